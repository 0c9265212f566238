//! Title, speakers and event from conference file names:
//! `10.19 宴会厅2 下午第三场 王强-ApacheRocketMQ事务消息` → title `ApacheRocketMQ事务消息`,
//! author `王强`; `QCon北京2018-《TiDB架构与开源之路》-申砾` → `TiDB架构与开源之路`, `申砾`,
//! event `QCon北京2018`.
//!
//! The design, in three steps, rather than a list of patterns to delete:
//! 1. **Split** the raw text into pieces: at strong separators (`-`, `—`, `–`, `|`, `_` between
//!    CJK text, `、` after a leading number), at brackets (`【】()（）《》[]`), then each piece
//!    into words at spaces (`+` decoded to a space first when it stands for one), and words at
//!    boundaries such as a session code glued to a name (`19日下2廖雪梅`).
//! 2. **Classify** each segment into a [`SegmentClass`] by what it is (a status word, a session
//!    code, a person's name, …). Recognisers for noise are applied at the edges of a piece, so
//!    a word inside a phrase (`3.5 years of Go`) stays part of it.
//! 3. **Assemble**: `《…》` holds the title if present; otherwise the remaining title segments,
//!    joined as written. Segments shaped like a name but not certain to be one (`jgiles`,
//!    `者文明`, `Jun Rao`) are speakers when something else is clearly the title.
//!
//! Only compatibility ideographs and Kangxi radicals (`⾯` → `面`) and full-width letters and
//! digits are folded; full-width punctuation (`：`, `，`) stays as written.

use std::fmt::Write as _;

pub mod collection;
pub mod cover;
mod lexicon;

use crate::script::is_han;
use unicode_normalization::UnicodeNormalization;

/// What a segment of a raw title is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentClass {
    /// The state of the file, not the talk: `最终版`, `【可以上传】`, `keshangchuan`, `final`.
    StatusWord,
    /// The conference: `QCon北京2018`, `AWS18_DevDay`, `qcon`.
    Event,
    /// Room, day or time slot: `10.19`, `下午第二场`, `宴会厅2`, `宴2`, `19日上1`, `20上2`.
    SessionCode,
    /// A date after the title: `4.17`, `10-18`, `2018`.
    Date,
    /// A version or copy marker: `v1.7`, `.v4`, `(002)`, `【1.6】`, `(1)`, `的副本`.
    Version,
    /// A leading running number: `1、`, `2-`, `3AWS…`.
    Ordinal,
    /// A speaker (or several): `王强`, `Neal_Ford`, `jgiles`, `周涌杰（矮鱼）`, `陈韦廷&范振`.
    Person,
    /// A company, a track or a deck label that names no talk: `龙智数码`, `AWS专场`, `魔法哥幻灯片`.
    CompanyOrTrack,
    /// Words of the talk's title.
    Title,
    /// A title in `《…》`.
    BracketedTitle,
    /// Words most decks of the same folder share at the same place: the collection's name
    /// (`AWSKRUG`, `paperreading`, `…-wp`).
    Collection,
}

impl SegmentClass {
    /// How `-v` names the class.
    pub fn describe(self) -> &'static str {
        match self {
            SegmentClass::StatusWord => "status word",
            SegmentClass::Event => "event",
            SegmentClass::SessionCode => "session code",
            SegmentClass::Date => "date",
            SegmentClass::Version => "version/copy marker",
            SegmentClass::Ordinal => "ordinal",
            SegmentClass::Person => "speaker",
            SegmentClass::CompanyOrTrack => "company/track/label",
            SegmentClass::Title => "title",
            SegmentClass::BracketedTitle => "bracketed title",
            SegmentClass::Collection => "shared by the folder's decks",
        }
    }
}

/// One classified part of a raw title, its text as displayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub class: SegmentClass,
}

/// What a raw title says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TitleAnalysis {
    /// The talk's title; `None` when the text names no talk (only a speaker, company, codes).
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub event: Option<String>,
    /// Every segment in order, for the derivation.
    pub segments: Vec<Segment>,
}

impl TitleAnalysis {
    /// A human-readable account of how the title was derived, for `-v`:
    /// "dropped `最终版` as status word, `10.19` as session code; took `王强` as speaker; …".
    pub fn derivation(&self) -> String {
        let mut dropped = Vec::new();
        let mut took = Vec::new();
        for s in &self.segments {
            match s.class {
                SegmentClass::Title | SegmentClass::BracketedTitle => {}
                SegmentClass::Person | SegmentClass::Event => {
                    took.push(format!("`{}` as {}", s.text, s.class.describe()))
                }
                other => dropped.push(format!("`{}` as {}", s.text, other.describe())),
            }
        }
        let mut out = String::new();
        if !dropped.is_empty() {
            let _ = write!(out, "dropped {}", dropped.join(", "));
        }
        if !took.is_empty() {
            if !out.is_empty() {
                out.push_str("; ");
            }
            let _ = write!(out, "took {}", took.join(", "));
        }
        if !out.is_empty() {
            out.push_str("; ");
        }
        match &self.title {
            Some(t) => {
                let _ = write!(out, "title `{t}`");
            }
            None => out.push_str("names no talk"),
        }
        out
    }
}

/// How much a reading's title looks like a talk's, to choose between two readings of one
/// deck (its heading and its file name): 0 when it names no talk; one Latin word or up to
/// four Han characters (`rekit`, `满帮`, `Pivotal`) score low, a `《…》` title or a phrase
/// high. Characters count, capped, so that a much longer reading does not win on length
/// alone once both are phrases.
pub fn reading_score(a: &TitleAnalysis) -> u32 {
    let Some(title) = a.title.as_deref() else {
        return 0;
    };
    let han = title.chars().filter(|&c| is_han(c)).count();
    let latin_words = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .count();
    let one_word = han == 0 && latin_words <= 1;
    if one_word || (han > 0 && title.chars().count() <= 4) {
        return 1;
    }
    let bracketed = a
        .segments
        .iter()
        .any(|s| s.class == SegmentClass::BracketedTitle);
    let length = (han + 2 * latin_words).min(12) as u32;
    2 + length + if bracketed { 4 } else { 0 }
}

/// Raw titles longer than this are prose, not file names: kept whole as the title.
const MAX_ANALYSED_BYTES: usize = 2048;

/// Analyse the raw text of a title (an H1, a folder name).
pub fn analyze(raw: &str) -> TitleAnalysis {
    if raw.len() > MAX_ANALYSED_BYTES {
        let t = raw.trim();
        return TitleAnalysis {
            title: (!t.is_empty()).then(|| t.to_string()),
            segments: vec![Segment {
                text: t.to_string(),
                class: SegmentClass::Title,
            }],
            ..TitleAnalysis::default()
        };
    }
    let mut text = normalize(raw);
    for ext in EXTENSIONS {
        if let Some(rest) = strip_suffix_ignore_case(&text, ext) {
            if !rest.trim().is_empty() {
                text = rest.to_string();
            }
        }
        // `…数字孪生体验pptx`: a slide file's extension that lost its dot, glued to Han text,
        // in lowercase (`如何生成PDF`, `写好PPT` name what the talk is about).
        // `…扩展功能介绍slide`: the file's label, glued, in lowercase.
        // Only after words that end a talk's title (`…介绍slide`), not a verb (`如何写好slides`).
        for label in ["slides", "slide"] {
            if let Some(rest) = text.strip_suffix(label) {
                if rest.chars().next_back().is_some_and(is_han) && has_han_title_ending(rest) {
                    text = rest.to_string();
                }
            }
        }
        // In capitals only after a name (`韦章PPT`: the speaker's file).
        let slide_file = matches!(*ext, ".pptx" | ".ppt" | ".odp");
        let after_name = |rest: &str| {
            let run: String = rest.chars().rev().take_while(|&c| is_han(c)).collect();
            cjk_name(&run.chars().rev().collect::<String>()) == Some(true)
        };
        let rest = text
            .strip_suffix(&ext[1..])
            .or_else(|| strip_suffix_ignore_case(&text, &ext[1..]).filter(|r| after_name(r)));
        if let Some(rest) = rest.filter(|_| slide_file) {
            if rest.chars().next_back().is_some_and(is_han) {
                text = rest.to_string();
            }
        }
    }
    let pieces = split_pieces(&text);
    let units = classify(&pieces);
    assemble(units)
}

/// Analyse a deck's file stem: as [`analyze`], after the collection's duplicate counters
/// (`…_0`, `…_01`) and a left-over extension are removed.
pub fn analyze_file_name(stem: &str) -> TitleAnalysis {
    let mut s = stem.trim();
    for ext in EXTENSIONS {
        if let Some(rest) = strip_suffix_ignore_case(s, ext) {
            if !rest.is_empty() {
                s = rest;
            }
        }
    }
    // `SObjectizerSlides`: the file's label glued to a run-together title (not
    // `AutomatingGoogleSlides`: Google's Slides).
    let product_slides =
        |h: &str| camel_parts(h).is_some_and(|p| p.last().is_some_and(|w| is_listed_product(w)));
    let last_field = |h: &str| h.rsplit(['_', '-']).next().unwrap_or(h).to_string();
    if let Some(head) = s.strip_suffix("Slides").filter(|h| {
        let field = last_field(h);
        field.len() >= 3
            && field.ends_with(|c: char| c.is_ascii_lowercase())
            && !field.contains(' ')
            && !product_slides(&field)
    }) {
        s = head;
    }
    // `…_Dataset_CN`, `…-EN`, `CNCF_Overview_Ja-Jp`, `…_zh-CN`: the language of the slides (a
    // locale after one field already), and `_slides`.
    let located;
    if let Some(head) = without_locale_tag(s) {
        s = head;
    } else if let Some((head, year)) = s
        .rsplit_once(['-', '_'])
        .filter(|(_, y)| is_year(y))
        .and_then(|(h, y)| Some((without_locale_tag(h)?, y)))
    {
        // `CNCF_Overview_ko-kr-2019`: the year after the locale.
        located = format!("{head}-{year}");
        s = &located;
    }
    for tag in [
        "_CN", "_EN", "_ZH", "_JP", "_JA", "_KR", "_KO", "-CN", "-EN", "_cn", "_en", "-cn", "-en",
        "_slides", "-slides", "_Slides",
    ] {
        let fields = |h: &str| h.chars().filter(|&c| c == '_' || c == '-').count();
        // In capitals after two fields (`CNCF_Overview_CN`), else after three.
        // (`OSS_Summit_JP` is the summit's country.)
        let language = ["_CN", "_EN", "_ZH"].contains(&tag);
        let needed = if language { 1 } else { 2 };
        if let Some(head) = s.strip_suffix(tag).filter(|h| fields(h) >= needed) {
            s = head;
        }
    }
    if let Some((head, tail)) = s.rsplit_once('_') {
        // Not a part's number (`…_question_part_1`).
        let counted = ["part", "pt", "vol", "r"]
            .iter()
            .any(|p| strip_suffix_ignore_case(head, p).is_some_and(|h| h.ends_with('_')));
        if !head.is_empty() && (1..=2).contains(&tail.len()) && all_digits(tail) && !counted {
            s = head;
        }
    }
    // `LifetimeRev2`, `Ranges-Rev3`: the file's revision, glued or in capitals.
    let revised = s
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .strip_suffix("Rev")
        .filter(|head| {
            let digits = s.len() - head.len() - 3;
            // Glued only: a field of its own (`…_Lifetime_Rev2`) is read as a version in place.
            // A word of five letters or more before it (`DevRev2` is a company's name).
            (1..=2).contains(&digits)
                && head.len() >= 5
                && head.ends_with(|c: char| c.is_ascii_lowercase())
        });
    if let Some(head) = revised {
        s = head;
    }
    let mut analysis = analyze(s);
    // A file name is a slug where a heading is not: `structured-logging` stands for two words,
    // a heading's `Wi-Fi` or `Lock-Free` for one.
    if let Some(title) = analysis.title.as_mut().filter(|t| !t.contains(' ')) {
        *title = unhyphen_slug_title(title);
    }
    analysis
}

/// Analyse a deck's name (`file_name`: a file's stem, else an H1 or a folder's name) beside
/// the names of the other decks in its folder: what most of them share at the same place
/// names the collection (see [`collection`]) and is read as an event's name, unless it names
/// a speaker (a speaker's own folder).
pub fn analyze_among(text: &str, siblings: &[String], file_name: bool) -> TitleAnalysis {
    let analyze_plain = |t: &str| {
        if file_name {
            analyze_file_name(t)
        } else {
            analyze(t)
        }
    };
    let (head_len, tail_len) = collection::shared_affixes(text, siblings);
    if head_len == 0 && tail_len == 0 {
        return analyze_plain(text);
    }
    // A speaker's own folder (`王强-…`, `王强-…`) shares the speaker.
    let affix_names_speaker = |part: &str| !part.is_empty() && !analyze(part).authors.is_empty();
    let affixes: Vec<&str> = [&text[..head_len], &text[text.len() - tail_len..]]
        .into_iter()
        .filter(|a| !a.is_empty() && !affix_names_speaker(a))
        .collect();
    if affixes.is_empty() {
        return analyze_plain(text);
    }
    let mut analysis = collection::with_shared(&affixes, || analyze_plain(text));
    // `KUBIG_NLP_3주차`: where only a number or a week is left, the shared words are the
    // talk's (a course's weeks), not a collection's.
    let title_has_words = analysis
        .title
        .as_deref()
        .is_some_and(|t| t.chars().filter(|c| c.is_alphabetic()).count() >= 3);
    if !title_has_words {
        return analyze_plain(text);
    }
    for segment in &mut analysis.segments {
        if segment.class == SegmentClass::Event
            && collection::matches_affix(&segment.text, &affixes)
        {
            segment.class = SegmentClass::Collection;
        }
    }
    analysis
}

/// File extensions sometimes left in names.
const EXTENSIONS: &[&str] = &[".pdf", ".pptx", ".ppt", ".key", ".md", ".markdown", ".odp"];

// ---------------------------------------------------------------------------------------------
// Normalisation

/// Entities (also double-escaped), a percent-encoded name, compatibility ideographs folded, and
/// `+` decoded to a space where it stands for one.
fn normalize(raw: &str) -> String {
    // Composed (NFC): macOS writes file names decomposed (`Ku\u{308}hl`), where an accent is a
    // character of its own and a name no longer reads as one.
    let mut text: String = raw.trim().nfc().collect();
    for _ in 0..6 {
        let decoded = html_escape::decode_html_entities(&text).into_owned();
        if decoded == text {
            break;
        }
        text = decoded;
    }
    if looks_percent_encoded(&text) {
        if let Ok(decoded) = percent_encoding::percent_decode_str(&text).decode_utf8() {
            text = decoded.into_owned();
        }
    }
    if let Some(head) = without_upload_id(&text) {
        text = head;
    }
    if let Some(fields) = glued_han_speaker(&text) {
        text = fields;
    }
    text = joined_date_parts(&text);
    // `Dubbo2.js-from-0-to-1`: numbers of a phrase, not versions or copies.
    text = spaced_from_to(&text);
    // `…实践-汤 尧`: a spaced name of two characters as the last field.
    if let Some((head, name)) = text
        .rsplit_once(['-', '_', '—'])
        .and_then(|(h, n)| Some((h, spaced_han_name(n.trim())?)))
        .filter(|(h, _)| h.chars().count() >= 4)
    {
        text = format!("{head} - {name}");
    }
    // `2018-04-rossberg-annotations`, `2014_05_14_multiplatform_cpp`: a date that opens a
    // name written without spaces is a field of its own, not words of a slug.
    // `16-2018-09-06-faas`: the talk's running number before the date.
    if let Some((number, rest)) = text.split_once(['-', '_']) {
        if (1..=3).contains(&number.len()) && all_digits(number) && !text.contains(' ') {
            if let Some((date, _)) = leading_slug_date(rest) {
                if date.len() == 10 {
                    return format!("{number} - {}", normalize(rest));
                }
            }
        }
    }
    if let Some((date, rest)) = leading_slug_date(&text) {
        // `2025-11-20-Franck-numerical-accuracy`: who spoke that day, then the talk in
        // lowercase words.
        if let Some((speaker, talk)) = rest.split_once(['-', '_']) {
            let lowercase_talk = talk.split(['-', '_']).count() >= 2
                && talk
                    .split(['-', '_'])
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()));
            let capitalised_name = is_capitalised_word(speaker)
                && speaker.len() >= 4
                && no_common_or_product_word(speaker)
                && !lexicon::contains("latin-not-name", speaker)
                && !is_event_name(speaker);
            if lowercase_talk && capitalised_name {
                // Written as a handle, which classifies as a speaker whatever its words.
                return format!("{date} - @{speaker} - {}", normalize(talk));
            }
        }
        // `2024-02-07_Omnipresent_Biometric_Surveillance`: underscores that stood for spaces
        // in a name without any still do once the date is spaced off.
        let rest = normalize(rest);
        let underscores = rest.matches('_').count();
        if underscores >= 2 && !rest.contains([' ', '-']) {
            // A state of the file last stays a field (`…_Surveillance_publish`).
            if let Some((talk, state)) = rest
                .rsplit_once('_')
                .filter(|(_, last)| is_status_word(last, false))
            {
                return format!("{date} - {} - {state}", talk.replace('_', " "));
            }
            return format!("{date} - {}", rest.replace('_', " "));
        }
        return format!("{date} - {rest}");
    }
    if let Some(fields) = underscored_event_fields(&text) {
        return fields;
    }
    if let Some((head, tail)) = glued_camel_event(&text) {
        return format!("{} - {}", normalize(head), normalize(tail));
    }
    if let Some((event, rest)) = leading_event_fields(&text) {
        // `devoxx-2019-java-13`, `pycon-2019-python-3-types`, `…-generics-in-go`: a short
        // talk of plain words is those words (read alone, `13` is a copy's number and `in-go`
        // a compound); only a file's version or state last is dropped.
        let mut fields: Vec<&str> = rest.split(['-', '_']).collect();
        // In lowercase: capitalised words may be a name (`…-Async-Traits` after a speaker).
        let plain = fields.len() <= 3
            && fields.iter().all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.')
            });
        if plain {
            let last = fields[fields.len() - 1];
            if fields.len() > 1 && (is_version(last) || is_status_word(last, true)) {
                fields.pop();
            }
            return format!("{event} - {}", fields.join(" "));
        }
        return format!("{event} - {}", normalize(rest));
    }
    // `20200205-C910-chenying`: the day, the talk, then a name in pinyin, surname first, as
    // the last field: the speaker.
    if let Some((day, rest)) = text.split_once('-') {
        if let Some((talk, name)) = rest.rsplit_once('-') {
            let pinyin_name = lowercase_pinyin_name(name)
                && starts_with_pinyin_surname(name)
                && !lexicon::contains("city", name)
                && !lexicon::contains("pinyin-word", name);
            if day.len() == 8
                && is_compact_date(day)
                && pinyin_name
                && !talk.is_empty()
                && !text.contains(' ')
            {
                // `…-dubbogo-shanghai-dengming`: the city of the meetup, a field of its own.
                if let Some((talk, city)) = talk
                    .rsplit_once('-')
                    .filter(|(t, c)| !t.is_empty() && lexicon::contains("city", c))
                {
                    return format!("{day} - {} - {city} - @{name}", normalize(talk));
                }
                return format!("{day} - {} - @{name}", normalize(talk));
            }
        }
    }
    // `dubbogo20191228-hangzhou`: the day glued after the first word.
    if is_latin_slug(&text) {
        let (first, rest) = text.split_once(['-', '_']).unwrap_or((text.as_str(), ""));
        // A lowercase word nobody uses (an event's name in capitals, `OWASPLondon20220510`, is
        // read whole; `release20200115-notes` is a release's notes).
        let letters = first.bytes().take_while(u8::is_ascii_lowercase).count();
        if letters >= 3
            && first.len() == letters + 8
            && is_compact_date(&first[letters..])
            && no_common_or_product_word(&first[..letters])
            && !is_status_word(&first[..letters], true)
        {
            let (word, day) = first.split_at(letters);
            return if rest.is_empty() {
                format!("{word} - {day}")
            } else {
                format!("{word} - {day} - {}", normalize(rest))
            };
        }
    }
    if let Some((day, event, rest)) = day_and_glued_event(&text) {
        // The day stays before the talk, where the slug's rules read it.
        let fields = normalize(&format!("{day}-{rest}"));
        return match fields.strip_prefix(day) {
            Some(after) => format!("{day} - {event} - {}", after.trim_start_matches([' ', '-'])),
            None => format!("{day} - {event} - {fields}"),
        };
    }
    // `A_Cross_Platform_SDK-liujia`, `code_size_optimization-chengbin`: a talk whose words are
    // joined by `_`, then one more field after a `-`, a name in lowercase pinyin: the speaker.
    if let Some((talk, name)) = text.rsplit_once('-') {
        if talk.matches('_').count() >= 2
            && !talk.contains(['-', ' '])
            && !text.chars().any(is_han)
            && lowercase_pinyin_name(name)
        {
            return format!("{} - @{name}", talk.replace('_', " "));
        }
    }
    if let Some((head, name)) = trailing_underscored_name(&text) {
        return format!("{} - {name}", normalize(&head.replace('_', " ")));
    }
    // `Nygard-Simulation_Testing`, `Dharrie-Relevance_of_ClojureScript`: a surname, a dash,
    // then the talk with `_` for its spaces.
    if let Some((surname, talk)) = text.split_once('-') {
        let underscored =
            talk.contains('_') && !talk.contains(['-', ' ']) && !surname.contains('_');
        if underscored
            && !text.contains(' ')
            && bare_surname(surname)
            && talk.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return format!("@{surname} - {}", talk.replace('_', " "));
        }
    }
    // `Pollak_getting_pushy`: a surname first, then the talk in lowercase words, as `_` joins
    // them where no spaces or dashes are.
    if !text.contains([' ', '-']) {
        let words: Vec<&str> = text.split('_').collect();
        // Not a talk's first word (`Observability_in_practice`) nor a product's
        // (`Cassandra_data_modeling`): the talk after it opens with a verb's form.
        if words.len() >= 3
            && bare_surname(words[0])
            && is_english_verb_form(words[1])
            && words[1..]
                .iter()
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        {
            return format!("@{} - {}", words[0], words[1..].join(" "));
        }
    }
    if let Some((name, rest)) = leading_underscored_name(&text) {
        return format!("{name} - {}", normalize(&rest.replace('_', " ")));
    }
    let folded = slug_as_words(&without_pictographs(&fold_compatibility(&text)));
    // A title without spaces but with `+` was form-encoded: `+` stands for a space.
    // Not where `_` stands for the spaces (`Easing_Into_Modern_C++__Ben_Deane`): there a `+`
    // is itself.
    let runs = |c: char| {
        let chars: Vec<char> = folded.chars().collect();
        (0..chars.len())
            .filter(|&i| chars[i] == c && (i == 0 || chars[i - 1] != c))
            .count()
    };
    let underscored = runs('_') > runs('+');
    let text = if folded.contains('+') && !folded.chars().any(char::is_whitespace) && !underscored {
        decode_plus(&folded)
    } else {
        folded
    };
    underscores_as_spaces(text)
}

/// `…体系v2.7b026e10-664a-11e8-a5b9-e3d62d8de840`: an upload's id (a UUID) after the name,
/// which no reader wants; the name before it, without the `.`, `-` or `_` that joined it.
fn without_upload_id(text: &str) -> Option<String> {
    const SHAPE: [usize; 5] = [8, 4, 4, 4, 12];
    let tail = text.get(text.len().checked_sub(36)?..)?;
    let groups: Vec<&str> = tail.split('-').collect();
    let uuid = groups.len() == 5
        && groups
            .iter()
            .zip(SHAPE)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    let head = text[..text.len() - 36].trim_end_matches(['.', '-', '_', ' ']);
    (uuid && !head.is_empty()).then(|| head.to_string())
}

/// `OctoML_OSS_2019_11_8`, `R_Users_Feb_2025`, `2017 - 11 - E2EVC …`: the parts of a date
/// written with the name's own separators, joined into one date (`2019-11-8`, `Feb2025`,
/// `2017-11`) so that it reads as one.
fn joined_date_parts(text: &str) -> String {
    let num = |t: &str, max: u32| {
        (1..=2).contains(&t.len()) && t.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n))
    };
    // `2017 - 11 - …`: a year and a month as the first two spaced fields.
    if let Some((year, rest)) = text.split_once(" - ") {
        if let Some((month, rest)) = rest.split_once(" - ") {
            if is_year(year) && num(month, 12) && !rest.trim().is_empty() {
                return format!("{year}-{month} - {rest}");
            }
        }
    }
    if text.contains(char::is_whitespace) || !text.contains('_') {
        return text.to_string();
    }
    let parts: Vec<&str> = text.split('_').collect();
    let month_name = |t: &str| MONTHS.contains(&t.to_ascii_lowercase().as_str());
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let at = |k: usize| parts.get(i + k).copied().unwrap_or("");
        let digits_next = |k: usize| at(k).bytes().next().is_some_and(|b| b.is_ascii_digit());
        // `Windows_Server_2019_10_Tips`: a product's year, not a date.
        let versioned = i > 0 && lexicon::contains("year-versioned", parts[i - 1]);
        let year_month =
            is_year(at(0)) && num(at(1), 12) && at(1).len() == 2 && !digits_next(2) && !versioned;
        // `_16th_april_2019`: a day before the month is read with it as it stands.
        let month_year = month_name(at(0))
            && is_year(at(1))
            && !digits_next(2)
            && !(i > 0 && parts[i - 1].starts_with(|c: char| c.is_ascii_digit()));
        let take = if is_year(at(0))
            && num(at(1), 12)
            && num(at(2), 31)
            && !digits_next(3)
            && !versioned
        {
            3
        } else if year_month || month_year {
            2
        } else {
            1
        };
        // A month's name is glued to its year (`Feb2025`): a hyphen there would split again.
        let joiner = if month_name(at(0)) { "" } else { "-" };
        out.push(parts[i..i + take].join(joiner));
        i += take;
    }
    out.join("_")
}

/// `…-from-0-to-1`, `…_from_1_to_100`: the words and numbers of `from N to M` in a name without
/// spaces, spaced, so that neither number reads as a version or a copy.
fn spaced_from_to(text: &str) -> String {
    if text.contains(' ') {
        return text.to_string();
    }
    let words: Vec<&str> = text.split(['-', '_']).collect();
    let at = words.windows(4).position(|w| {
        w[0].eq_ignore_ascii_case("from")
            && all_digits(w[1])
            && w[2].eq_ignore_ascii_case("to")
            && all_digits(w[3])
    });
    // Only where the phrase follows one word (`Dubbo2.js`): fields before it keep their
    // separators, which a spaced text would read otherwise.
    match at {
        Some(1) => words.join(" "),
        _ => text.to_string(),
    }
}

/// `…优质资产挖掘机王璟@布比`, `RN优化和实践分享by赵宏罡`: a Chinese name glued to the end of
/// a Han title, marked by the `@company` after it or a `by` before it: set apart as a field.
fn glued_han_speaker(text: &str) -> Option<String> {
    // `by赵宏罡` at the end.
    if let Some(at) = text.rfind("by") {
        let (head, name) = (&text[..at], &text[at + 2..]);
        let glued = head
            .chars()
            .last()
            .is_some_and(|c| !c.is_whitespace() && !is_separator_char(c));
        if glued && head.chars().count() >= 4 && cjk_name(name) == Some(true) {
            return Some(format!("{} - {name}", head.trim_end()));
        }
    }
    // `…王璟@布比`: the name before `@` glued to Han text.
    let (before, company) = text.rsplit_once('@')?;
    let company_ok = (1..=12).contains(&company.chars().count())
        && !company.contains(char::is_whitespace)
        && !company.chars().any(is_separator_char);
    let chars: Vec<char> = before.chars().collect();
    if !company_ok || chars.len() < 6 {
        return None;
    }
    // The Han run the name ends: glued to three characters of the title at least
    // (`by 姜玉珍@成都` is a name of its own already).
    let han_run = chars.iter().rev().take_while(|&&c| is_han(c)).count();
    [3, 2].into_iter().find_map(|n| {
        let (head, name) = chars.split_at(chars.len() - n);
        let name: String = name.iter().collect();
        let glued = (han_run >= n + 3 && head.last().is_some_and(|&c| is_han(c)))
            || (han_run == n && head.last().is_some_and(char::is_ascii_alphanumeric));
        // `…容器运行时安全@腾讯`: a name never ends in a word that ends titles (`安全`).
        let tail: String = name.chars().skip(name.chars().count() - 2).collect();
        let word_end = n == 3
            && ["han-title-ending", "han-title-word", "han-topic-word"]
                .iter()
                .any(|section| lexicon::contains(section, &tail));
        (glued && !word_end && cjk_name(&name) == Some(true) && head.len() >= 4)
            .then(|| format!("{} - {name}@{company}", head.iter().collect::<String>()))
    })
}

/// `John_Graham-Cumming_A_Channel_Compendium`, `4_Jonathan_Lindstrom_Soft_Skills_…`,
/// `William_Kennedy-Building-…`: in a name without spaces, a speaker written first as given
/// name and surname joined by `_` (after a running number), then the talk. The given name is
/// a listed one, or a dash ends the name.
fn leading_underscored_name(text: &str) -> Option<(String, &str)> {
    if text.chars().any(char::is_whitespace) || text.contains("__") {
        return None;
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let start = if digits > 0 && (1..=2).contains(&digits) && text[digits..].starts_with(['_', '-'])
    {
        digits + 1
    } else if digits == 0 {
        0
    } else {
        return None;
    };
    let body = &text[start..];
    // `IgorBogoslavskyi_testing_compile_time_…`: the name run together.
    if let Some((first_word, rest)) = body.split_once('_') {
        if let Some(name) = camel_name(first_word) {
            // `PetrKral_and_AnnaNovak_…`: a second speaker joined by `and`.
            let second = rest
                .split_once('_')
                .filter(|(and, _)| and.eq_ignore_ascii_case("and"))
                .and_then(|(_, r)| r.split_once('_'))
                .and_then(|(w, r)| Some((camel_name(w)?, r)));
            if let Some((other, talk)) = second {
                return Some((format!("{name} & {other}"), talk));
            }
            // Two speakers and no talk (`PetrKral_and_AnnaNovak`): no title to part from.
            if rest
                .split_once('_')
                .is_some_and(|(and, r)| and.eq_ignore_ascii_case("and") && camel_name(r).is_some())
            {
                return None;
            }
            // `DanielaPetruzalek_WhoTestsTheTests`: the talk may be run together too.
            let run_together =
                !rest.contains(['_', '-']) && camel_parts(rest).is_some_and(|p| p.len() >= 3);
            if rest.split('_').filter(|w| !w.is_empty()).count() >= 2 || run_together {
                return Some((name, rest));
            }
        }
    }
    // `ben_johnson-writing_a_high_performance_…`: a given name and a surname in lowercase, a
    // dash, then the talk with `_` for its spaces.
    if let Some((name_part, talk)) = body.split_once('-') {
        let words: Vec<&str> = name_part.split('_').collect();
        let lowercase = |w: &&str| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_lowercase());
        if words.len() == 2
            && words.iter().all(lowercase)
            // The curated given names only: in lowercase many of the world's are words or
            // tools (`hugo_modules-…`).
            && lexicon::contains("given-name", words[0])
            && !lexicon::is_english_word(words[0])
            // A word the talk names again is its subject (`hugo_modules-…_with_hugo`).
            && !talk.split('_').any(|w| w.eq_ignore_ascii_case(words[0]))
            && !talk.contains('-')
            && talk.split('_').filter(|w| !w.is_empty()).count() >= 3
        {
            return Some((words.join(" "), talk));
        }
    }
    // `gordon_woodhull_reparsing_2012`: a listed given name and a surname in lowercase.
    let lower_words: Vec<&str> = body.split('_').collect();
    if lower_words.len() >= 4
        && is_lowercase_given_name_pair(&lower_words[..2])
        && !lexicon::is_english_word(lower_words[1])
    {
        let name = lower_words[..2].join(" ");
        let rest = &body[lower_words[0].len() + lower_words[1].len() + 2..];
        return Some((name, rest));
    }
    let (given, after) = body.split_once('_')?;
    let surname_len = after.find(['_', '-']).unwrap_or(after.len());
    let (surname, rest) = after.split_at(surname_len);
    // A hyphened surname (`Graham-Cumming`) is one when `_` follows it.
    let (surname, rest) = match rest.strip_prefix('-') {
        Some(r) => {
            let more = r.find(['_', '-']).unwrap_or(r.len());
            let (tail, r2) = r.split_at(more);
            // The talk after it starts with a capital too (`…_A_Channel_Compendium`); after
            // `Zatelepin-Quick_tour_of_…` the dash ends the name.
            let capital_next = r2
                .get(1..)
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()));
            if r2.starts_with('_')
                && capital_next
                && tail.starts_with(|c: char| c.is_ascii_uppercase())
                && !tail.contains('_')
                && is_latin_name(&format!("{given} {surname} {tail}"))
                && lexicon::is_given_name(given)
            {
                (&after[..surname_len + 1 + more], r2)
            } else {
                (surname, rest)
            }
        }
        None => (surname, rest),
    };
    let dash = rest.starts_with('-');
    let rest = rest.trim_start_matches(['_', '-']);
    let name = format!("{given} {surname}");
    let words_after = rest.split(['_', '-']).filter(|w| !w.is_empty()).count();
    // `Bonnie_Eisenman_Caching_with_Lazy_Defenses`: a name nobody listed, when neither word is
    // a common word or a product's and the talk after it reads as a phrase (a small word).
    let phrase_after = words_after >= 3
        && rest
            .split(['_', '-'])
            .any(|w| ["with", "of", "for", "in", "to", "and", "the", "a", "on"].contains(&w));
    let unlisted_name = phrase_after
        && [given, surname]
            .iter()
            .all(|w| no_common_or_product_word(w));
    (is_latin_name(&name.replace('-', " "))
        && (lexicon::is_given_name(given) || dash || unlisted_name)
        && words_after >= 2
        && rest.starts_with(|c: char| c.is_ascii_alphabetic()))
    .then_some((name, rest))
}

/// `Embracing_User_Defined_Literals_Safely_Pablo_Halpern_CppCon_2021`,
/// `Pejman_Ghorbanzade_CppCon_2021_Extensible_Type_Serialization_System`: in a name whose words
/// `_` joins, a listed event (and its year) in the middle separates fields, and a speaker
/// written just before it or first (two capitalised words, a listed given name or the whole
/// field) is a field of its own: the fields as a spaced name writes them.
fn underscored_event_fields(text: &str) -> Option<String> {
    if !is_latin_slug(text) || text.contains("__") {
        return None;
    }
    let words: Vec<&str> = text.split('_').collect();
    if words.len() < 4 || words.iter().any(|w| w.is_empty()) {
        return None;
    }
    let e = (1..words.len()).find(|&i| {
        let w = words[i];
        w.len() >= 4
            && w.bytes().all(|b| b.is_ascii_alphanumeric())
            && event_prefix_len(w) == Some(w.len())
    })?;
    let end = e + 1 + usize::from(words.get(e + 1).is_some_and(|w| is_year(w)));
    // Just before the event, a name need not be listed if it is no common word
    // (`Aliasing_Roi_Barkan_CppCon_2022`).
    let name_pair = |pair: &[&str], before_event: bool| {
        pair.len() == 2
            && is_latin_name(&pair.join(" "))
            && (lexicon::is_given_name(pair[0])
                || before_event
                    && !pair
                        .iter()
                        .any(|w| lexicon::is_english_word(w) || lexicon::contains("company", w)))
    };
    let mut fields: Vec<String> = Vec::new();
    let before = &words[..e];
    if before.len() > 2 && name_pair(&before[before.len() - 2..], true) {
        fields.push(before[..before.len() - 2].join(" "));
        fields.push(before[before.len() - 2..].join(" "));
    } else if before.len() > 2 && name_pair(&before[..2], false) {
        fields.push(before[..2].join(" "));
        fields.push(before[2..].join(" "));
    } else {
        // A field of just a name (`Pejman_Ghorbanzade_CppCon_…`) is one field already.
        fields.push(before.join(" "));
    }
    fields.push(words[e..end].join(" "));
    if end < words.len() {
        fields.push(words[end..].join(" "));
    }
    // Only where the event field is not the last, or a speaker was found.
    (fields.len() >= 3).then(|| fields.join(" - "))
}

/// `bsplus_Tools_for_Bootstrap_JavaScript_Components-Ian_Lyttle`: in a name without spaces
/// whose words `_` joins, a speaker after the last dash, given name and surname joined by `_`.
fn trailing_underscored_name(text: &str) -> Option<(&str, String)> {
    if text.chars().any(char::is_whitespace) || text.contains("__") || text.chars().any(is_han) {
        return None;
    }
    let Some((head, tail)) = text.rsplit_once('-') else {
        // `DiffEqFlux_Yingbo_Ma`: the last two words a name in pinyin or with a listed given
        // name, after one or two words (longer names are read field by field, events first:
        // `GOTO_Berlin_2019_…_Scott_Wlaschin`).
        let words: Vec<&str> = text.split('_').collect();
        let n = words.len();
        let eventful = words
            .iter()
            .any(|w| event_prefix_len(w) == Some(w.len()) || (w.len() == 4 && all_digits(w)));
        if n < 3 || eventful || words.iter().any(|w| w.is_empty()) {
            return None;
        }
        let pair = &words[n - 2..];
        let named = lexicon::is_given_name(pair[0]) || pair.iter().all(|w| is_pinyin_word(w));
        let capitalised = pair
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()));
        let head = &text[..text.len() - pair[0].len() - pair[1].len() - 2];
        // `…_at_Grab_by_Jing_Li`: `by` goes with the name.
        let head = head.strip_suffix("_by").unwrap_or(head);
        if named && capitalised && is_latin_name(&pair.join(" ")) {
            return Some((head, pair.join(" ")));
        }
        // `Explainable_AI_by_Okonkwo`: one capitalised word after `by`.
        let last = words[n - 1];
        let lone_name = is_capitalised_word(last)
            && last.len() >= 3
            && no_common_or_product_word(last)
            && !is_event_name(last);
        if words[n - 2].eq_ignore_ascii_case("by") && lone_name {
            // Written as a handle: a certain speaker, whatever its word.
            return Some((&text[..text.len() - last.len() - 4], format!("@{last}")));
        }
        // `4_Java_sdk_details_wujimin`: a pinyin name in lowercase, last after a talk.
        let pinyin_last = last.bytes().all(|b| b.is_ascii_lowercase())
            && pinyin_syllables(last).is_some_and(|n| (2..=4).contains(&n))
            && starts_with_pinyin_surname(last)
            && !lexicon::contains("city", last)
            && no_common_or_product_word(last);
        let after_small_word =
            lexicon::contains("preposition", words[n - 2]) || is_short_function_word(words[n - 2]);
        if n >= 3 && pinyin_last && !after_small_word && words[..n - 1].iter().any(|w| w.len() >= 3)
        {
            return Some((&text[..text.len() - last.len() - 1], format!("@{last}")));
        }
        // `Fraud_Detection_with_Graphs_Ingrid`: a listed given name alone after a talk of three
        // words or more, not the object of a small word (`Intro_to_Ruby`).
        // Only the curated names there: the world's list holds tools' and models' names too
        // (`…_with_Anthropic_Claude`, `…_Autodesk_Maya`).
        if n >= 4 && lone_name && lexicon::contains("given-name", last) && !after_small_word {
            return Some((&text[..text.len() - last.len() - 1], format!("@{last}")));
        }
        return None;
    };
    // `ToursJUG-TDD-ClaudieFourneau-SylvainLezier`: speakers last, each written run together.
    let mut names = Vec::new();
    let mut rest = text;
    while let Some((h, t)) = rest.rsplit_once('-') {
        match camel_name(t) {
            Some(name) if names.len() < 3 && !h.is_empty() => {
                names.insert(0, name);
                rest = h;
            }
            _ => break,
        }
    }
    if !names.is_empty() && rest.split(['-', '_']).filter(|w| !w.is_empty()).count() >= 2 {
        return Some((rest, names.join(" & ")));
    }
    let words: Vec<&str> = tail.split('_').collect();
    let name = words.join(" ");
    // The given name a listed one: `Server-Sent_Events` is a compound.
    ((2..=3).contains(&words.len())
        && head.split('_').filter(|w| !w.is_empty()).count() >= 2
        && lexicon::is_given_name(words[0])
        && is_latin_name(&name))
    .then_some((head, name))
}

/// A date (`2018-04`, `2020-08-25`, `2014_05_14`, `2018.02.02`) opening a name without spaces,
/// joined to Latin words by `-` or `_`: the date and the rest.
fn leading_slug_date(text: &str) -> Option<(&str, &str)> {
    if text.chars().any(char::is_whitespace) {
        return None;
    }
    let bytes = text.as_bytes();
    let sep = *bytes.get(4)?;
    if !matches!(sep, b'-' | b'_' | b'.') || !bytes[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Year, month, and a day if one follows with the same separator.
    let mut end = 4;
    for _ in 0..2 {
        let digits = bytes
            .get(end + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if bytes.get(end) != Some(&sep) || digits != 2 {
            break;
        }
        end += 1 + digits;
    }
    let date = &text[..end];
    let rest = text[end..].trim_start_matches(['-', '_', '.']);
    let joined = end < text.len() && matches!(bytes[end], b'-' | b'_');
    (end > 4
        && joined
        && rest.starts_with(|c: char| c.is_ascii_alphabetic())
        && is_date(&date.replace('_', "-")))
    .then_some((date, rest))
}

/// A name written as one slug: no space and no Han character (`2014_cppnow_metashell`).
fn is_latin_slug(text: &str) -> bool {
    !text.chars().any(|c| c.is_whitespace() || is_han(c))
}

/// `liujia`, `chenying`: a lowercase word of two to four pinyin syllables that is no word of
/// English nor of a tool.
fn lowercase_pinyin_name(w: &str) -> bool {
    w.bytes().all(|b| b.is_ascii_lowercase())
        && pinyin_syllables(w).is_some_and(|n| (2..=4).contains(&n))
        && no_common_or_product_word(w)
}

/// `2014_cppnow_metashell`, `gophercon-2017-9volt`, `rustconf-chengdu-2024-…`,
/// `20211218-osdt2021-aosp-rv`: a slug that opens with its event and the event's year (and a
/// `Talk` label after them): that opening is a field of its own, the talk after it.
fn leading_event_fields(text: &str) -> Option<(String, &str)> {
    if !is_latin_slug(text) {
        return None;
    }
    // Each field with the byte offset where it starts.
    let mut fields: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '-' || c == '_' {
            fields.push((start, &text[start..i]));
            start = i + 1;
        }
    }
    fields.push((start, &text[start..]));
    if fields.len() < 3 || fields.iter().any(|(_, f)| f.is_empty()) {
        return None;
    }
    let event = |w: &str| w.len() >= 3 && event_prefix_len(w) == Some(w.len()) && !is_year(w);
    let f: Vec<&str> = fields.iter().map(|(_, f)| *f).collect();
    // `Lippincott-Cppnow-2015-How-we-reason-…`: the speaker's surname before the event.
    if f.len() >= 4 && bare_surname(f[0]) && event(f[1]) && is_year(f[2]) {
        return Some((
            format!("@{} - {} {}", f[0], f[1], f[2]),
            &text[fields[3].0..],
        ));
    }
    // `Cpp-Now-2015-…`: the event's name hyphened.
    let hyphened = f.len() >= 4
        && text.as_bytes()[fields[1].0 - 1] == b'-'
        && !event(f[0])
        && event(&format!("{}{}", f[0], f[1]))
        && is_year(f[2]);
    let mut k = if (is_year(f[0]) && event(f[1])) || (event(f[0]) && is_year(f[1])) {
        2
    } else if hyphened {
        3
    } else {
        return None;
    };
    // `CppCon-2022-Patrice-Roy-Reviewing-…`: a speaker's name after the event, a field too.
    if f.len() > k + 2
        && is_capitalised_word(f[k])
        && lexicon::is_given_name(f[k])
        && is_capitalised_word(f[k + 1])
    {
        let name = format!("{} {}", f[k], f[k + 1]);
        return Some((
            format!("{} - {name}", f[..k].join(" ")),
            &text[fields[k + 2].0..],
        ));
    }
    if f.len() > k + 1 && is_capitalised_word(f[k]) && lexicon::is_given_name(f[k]) {
        return None;
    }
    // `liaw_2012_day_3_…`: the event's day.
    if f.len() > k + 2 && f[k].eq_ignore_ascii_case("day") && all_digits(f[k + 1]) {
        k += 2;
    }
    // `2015-GopherCon-Talk-Uptime`: the deck's label before the talk.
    if f.len() > k + 1 && f[k].eq_ignore_ascii_case("talk") {
        k += 1;
    }
    // `2019_pycon_talk`: no talk named after the event, only a label.
    let label = |w: &str| {
        ["talk", "slides", "slide", "presentation", "deck", "keynote"]
            .iter()
            .any(|l| w.eq_ignore_ascii_case(l))
    };
    // `gopher-2019-meetup`: nor only another event's word.
    if f.len() == k + 1 && (label(f[k]) || is_event_name(f[k])) {
        return None;
    }
    if k >= f.len() {
        return None;
    }
    let rest = &text[fields[k].0..];
    Some((f[..k].join(" "), rest))
}

/// `osdt` (of `osdt2021`): a short run of letters nobody writes as a word, one vowel at most,
/// as an event's letters are; not a business's (`kpi2022`, `hc2022`, `recap2020`).
fn is_event_letters(name: &str) -> bool {
    let vowels = name.bytes().filter(|b| b"aeiouyAEIOUY".contains(b)).count();
    (3..=6).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphabetic())
        && vowels <= 1
        && no_common_or_product_word(name)
        && !lexicon::contains("deck-label", name)
        && !lexicon::contains("business-letters", name)
}

/// `StrangeLoopCrossword`, `Boost.ComputeCxxNow2015`: a listed event run together with the
/// talk, first, or last with its year; the two halves.
fn glued_camel_event(text: &str) -> Option<(&str, &str)> {
    if !is_latin_slug(text) || text.contains(['-', '_']) || !text.is_ascii() || is_event_name(text)
    {
        return None;
    }
    let b = text.as_bytes();
    let boundary = |i: usize| {
        i >= 2 && i + 3 <= b.len() && b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase()
    };
    let lower = text.to_ascii_lowercase();
    // First: the longest listed brand that ends where a capital starts the talk.
    // The event's name written with a capital inside (`StrangeLoop`, `CxxNow`): one capital
    // may be a word's (`Velocity`, `Meetup`, `GopherJS`).
    let camel = |at: usize, len: usize| {
        text[at + 1..at + len]
            .bytes()
            .any(|b| b.is_ascii_uppercase())
    };
    let first = lexicon::words("event")
        .iter()
        .filter(|e| e.len() >= 5 && lower.starts_with(*e) && boundary(e.len()) && camel(0, e.len()))
        .map(|e| e.len())
        .max()
        .filter(|&end| {
            let rest = &text[end..];
            rest.bytes().all(|c| c.is_ascii_alphabetic())
                && !lexicon::contains("region", rest)
                && !lexicon::contains("city", rest)
        });
    if let Some(end) = first {
        return Some((&text[..end], &text[end..]));
    }
    // Last: an event with its year.
    let year = text.bytes().rev().take_while(u8::is_ascii_digit).count();
    if !matches!(year, 2 | 4) {
        return None;
    }
    (2..text.len() - year)
        .filter(|&i| boundary(i))
        .find(|&i| {
            let tail = &text[i..];
            lexicon::words("event").iter().any(|e| {
                tail.len() == e.len() + year
                    && tail.to_ascii_lowercase().starts_with(e)
                    && camel(i, e.len())
            })
        })
        .map(|i| (&text[..i], &text[i..]))
}

/// `20211218-osdt2021-aosp-rv`: the day, then a short word glued to its year (the event),
/// then the talk.
fn day_and_glued_event(text: &str) -> Option<(&str, &str, &str)> {
    if !is_latin_slug(text) {
        return None;
    }
    let (day, rest) = text.split_once(['-', '_'])?;
    let (event, talk) = rest.split_once(['-', '_'])?;
    let letters = event.bytes().take_while(u8::is_ascii_alphabetic).count();
    let glued_year = event.len() == letters + 4
        && is_year(&event[letters..])
        && is_event_letters(&event[..letters]);
    (day.len() == 8 && is_compact_date(day) && glued_year && !talk.is_empty())
        .then_some((day, event, talk))
}

/// In a name without spaces whose fields are split by dashes (`11-王磊-基于_Go_的_网关`),
/// `_` stands for a space inside a field: the dashes, not the underscores, separate.
fn underscores_as_spaces(text: String) -> String {
    // `__` separates the fields itself (`title__name__event`).
    if text.chars().any(char::is_whitespace) || !text.contains('_') || text.contains("__") {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    let dash_fields = chars.iter().enumerate().any(|(i, &c)| {
        let alnum = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_ascii_alphanumeric())
        };
        match c {
            '-' => !(alnum(i.checked_sub(1)) && alnum(Some(i + 1))),
            '—' | '|' | '｜' => true,
            _ => false,
        }
    });
    if !dash_fields {
        return text;
    }
    let inner = text.trim_matches('_');
    let (lead, trail) = (
        &text[..text.len() - text.trim_start_matches('_').len()],
        &text[text.trim_end_matches('_').len()..],
    );
    format!("{lead}{}{trail}", inner.replace('_', " "))
}

/// Emoji and pictographs (`🚀`, `✨`) decorate a name; they are no words of it: each becomes a
/// space (trimmed at the ends).
fn without_pictographs(text: &str) -> String {
    let pictograph = |c: char| {
        matches!(c as u32,
            0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0F | 0x200D | 0x20E3)
    };
    if !text.chars().any(pictograph) {
        return text.to_string();
    }
    let spaced: String = text
        .chars()
        .map(|c| if pictograph(c) { ' ' } else { c })
        .collect();
    spaced.trim().to_string()
}

/// A slug (`building-fast-apis-with-rust-jane-smith`, `KubeCon-EU-2020-Securing-…`): Latin
/// words and numbers joined only by hyphens, at least four of them, no spaces, `_` or Han.
/// Its hyphens are spaces; a speaker's name at its end (two capitalised words, or a lowercase
/// pair led by a listed given name) is set apart as ` - Name`, the way a spaced name writes it.
fn slug_as_words(text: &str) -> String {
    let words: Vec<&str> = text.split('-').collect();
    // `weidian's`: an apostrophe inside a word is the word's.
    let slug = words.len() >= 4
        && words.iter().all(|w| {
            !w.is_empty()
                && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'\'')
                && !w.starts_with('\'')
                && !w.ends_with('\'')
        })
        && words
            .iter()
            .any(|w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphabetic()));
    if !slug {
        return text.to_string();
    }
    // `…-Keep-the-Hacker-Away-wp`: a state of the file is a field of its own at the end.
    if let Some((rest, state)) = text
        .rsplit_once('-')
        .filter(|(_, last)| is_status_word(last, false))
    {
        let words = slug_as_words(rest);
        // Too short a slug for its own rules: still words.
        let words = if words == rest {
            rest.replace('-', " ")
        } else {
            words
        };
        return format!("{words} - {state}");
    }
    let n = words.len();
    // `temporal-tables-dps-2022`: a word nobody uses in a talk before the year that ends the
    // name is the event's, glued to its year as events write it (`dps2022`).
    // Only a short word with one vowel at most (`dps`, `odsc`): a lowercase product (`citus`,
    // `tokio`) or a word (`way`, `web`) ends a talk's name far more often.
    let unknown_word = |w: &str| {
        let vowels = w.bytes().filter(|b| b"aeiouy".contains(b)).count();
        (3..=5).contains(&w.len())
            && vowels <= 1
            && w.bytes().all(|b| b.is_ascii_lowercase())
            && no_common_or_product_word(w)
            && !is_short_function_word(w)
            && !is_phrase_word_before(w)
            && !lexicon::contains("year-versioned", w)
    };
    if n >= 4 && is_year(words[n - 1]) && unknown_word(words[n - 2]) {
        return format!(
            "{} - {}{}",
            words[..n - 2].join(" "),
            words[n - 2],
            words[n - 1]
        );
    }
    // `velero-intro-kcd-2021-10-16`, `ranges-calendar-boostcon-2015-05`: a listed event and
    // the day or month of its edition end the name.
    let date_at_end = [3, 2]
        .into_iter()
        .find(|&k| n >= k + 3 && is_year(words[n - k]) && is_date(&words[n - k..].join("-")));
    if let Some(k) = date_at_end {
        let event = words[n - k - 1];
        if event_prefix_len(event) == Some(event.len()) {
            return format!(
                "{} - {event} - {}",
                words[..n - k - 1].join(" "),
                words[n - k..].join("-")
            );
        }
    }
    let event = event_prefix_len(words[0]) == Some(words[0].len());
    // `BlackHat-USA-2010-…`: a region and a year, or a city and a year.
    let at = 1 + words[1..]
        .iter()
        .take(2)
        .take_while(|w| is_city_or_year(w))
        .count();
    // `BlackHat-USA-2010-Kamkar-How-I-Met-Your-Girlfriend`: a surname alone there, before a
    // common word that opens the talk.
    if event
        && n >= at + 3
        && leading_surname(words[at])
        && words[at + 1].starts_with(|c: char| c.is_ascii_uppercase())
        && (lexicon::is_english_word(words[at + 1]) || is_short_function_word(words[at + 1]))
    {
        return format!(
            "{} - {} - {}",
            words[..at].join(" "),
            words[at],
            words[at + 1..].join(" ")
        );
    }
    let pair = &words[n - 2..];
    let letters = |w: &str| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_alphabetic());
    // `…-in-real-life-chen-yu`: two pinyin syllables after a word that is none.
    let pinyin =
        |w: &str| lexicon::contains("pinyin", w) && w.bytes().all(|b| b.is_ascii_lowercase());
    // `…-yang-jianghua`: a surname and a given name of one or two syllables.
    let pinyin_given = |w: &str| {
        w.bytes().all(|b| b.is_ascii_lowercase()) && pinyin_syllables(w).is_some_and(|c| c <= 2)
    };
    let pinyin_pair = (pair.iter().all(|w| pinyin(w))
        || (pinyin(pair[0]) && pair[1].len() >= 5 && pinyin_given(pair[1])))
        && !pinyin(words[n - 3])
        && !pinyin_given(words[n - 3]);
    // `Introduction-to-Apache-Dubbo-Ecosystem`: in a slug written in title case every word
    // has a capital, so a capitalised pair last names someone only by a given name.
    let capitalised = words[..n - 2]
        .iter()
        .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        .count();
    let title_case = capitalised * 2 >= n - 2;
    let given_led = lexicon::contains("given-name", pair[0])
        || (lexicon::is_given_name(pair[0]) && !lexicon::is_english_word(pair[1]));
    let latin_name = is_latin_name(&pair.join(" ")) && (!title_case || given_led);
    let name = pair.iter().all(|w| letters(w))
        && (latin_name || is_lowercase_given_name_pair(pair) || pinyin_pair);
    if name && n >= 5 {
        // `…-HAMi-Wang-Jifei-James-Deng`: two speakers, each written in two words.
        let before = &words[n - 4..n - 2];
        let named = lexicon::is_given_name(before[0]) || before.iter().all(|w| is_pinyin_word(w));
        if n >= 7 && before.iter().all(|w| letters(w)) && is_latin_name(&before.join(" ")) && named
        {
            return format!(
                "{} - {}, {}",
                words[..n - 4].join(" "),
                before.join(" "),
                pair.join(" ")
            );
        }
        return format!("{} - {}", words[..n - 2].join(" "), pair.join(" "));
    }
    // `gpu-slicing-virtualization-limengxuan`, `…-wangjifei-limengxuan-20260908`: speakers
    // written as one lowercase pinyin word each (three syllables or more: two may be a
    // word, `panda`, `hami`), after the talk and before a date.
    let dated = usize::from(is_compact_date(words[n - 1]) || is_timestamp(words[n - 1]));
    let handles = (1..=2).rev().find(|&k| {
        n >= dated + k + 3
            && words[n - dated - k..n - dated].iter().all(|w| {
                w.bytes().all(|b| b.is_ascii_lowercase())
                    // Two syllables only with a surname at both ends (`wangchen`).
                    && pinyin_syllables(w).is_some_and(|c| {
                        c >= 3
                            || (c == 2
                                && starts_with_pinyin_surname(w)
                                && ends_with_pinyin_surname(w))
                    })
                    // `…-using-json-module`: a word splits into syllables too; a name has
                    // a surname first or last (`jianguichen`).
                    && no_common_or_product_word(w)
                    && pinyin_surname_at_an_end(w)
            })
            && pinyin_syllables(words[n - dated - k - 1]).is_none_or(|c| c < 3)
    });
    if let Some(k) = handles {
        // A name of two syllables is marked as a handle: as a word alone it would read as one.
        let names: Vec<String> = words[n - dated - k..n - dated]
            .iter()
            .map(|w| match pinyin_syllables(w) {
                Some(2) if k == 1 => format!("@{w}"),
                _ => w.to_string(),
            })
            .collect();
        return format!(
            "{} - {}{}",
            words[..n - dated - k].join(" "),
            names.join(", "),
            if dated == 1 {
                format!(" - {}", words[n - 1])
            } else {
                String::new()
            }
        );
    }
    // `…-physical-units-for-matrices-Daniel-Withopf-CppCon-2022`, `Olsen-Smart-Pointers-
    // CppCon22`: the event (and its year) last, a speaker just before it.
    let event_at = (2..n).rev().find(|&e| {
        let tail = n - e - 1;
        event_prefix_len(words[e]) == Some(words[e].len())
            && (tail == 0 || (tail == 1 && is_year(words[n - 1])))
    });
    if let Some(e) = event_at {
        let event = words[e..].join(" ");
        let before = &words[..e];
        let pair = &before[before.len().saturating_sub(2)..];
        let named = before.len() >= 4
            && pair.iter().all(|w| letters(w))
            && is_latin_name(&pair.join(" "))
            && (lexicon::is_given_name(pair[0])
                || !pair.iter().any(|w| lexicon::is_english_word(w)));
        if named {
            return format!(
                "{} - {} - {event}",
                before[..before.len() - 2].join(" "),
                pair.join(" ")
            );
        }
        // `Olsen-Smart-Pointers-CppCon22`: a surname first.
        if before.len() >= 3
            && leading_surname(before[0])
            && before[1].starts_with(|c: char| c.is_ascii_uppercase())
        {
            return format!("{} - {} - {event}", before[0], before[1..].join(" "));
        }
        // `Rhys-Hiltner-go-tool-trace-GopherCon-2017`: a name first, a listed given name and a
        // capitalised surname, then the talk in lowercase.
        if before.len() >= 4
            && before[..2]
                .iter()
                .all(|w| letters(w) && is_capitalised_word(w))
            && lexicon::is_given_name(before[0])
            && is_latin_name(&before[..2].join(" "))
            && before[2..]
                .iter()
                .all(|w| !w.starts_with(|c: char| c.is_ascii_uppercase()))
        {
            return format!(
                "{} - {} - {event}",
                before[..2].join(" "),
                before[2..].join(" ")
            );
        }
        return format!("{} - {event}", before.join(" "));
    }
    // `Hauck-free-all-the-things`: a surname first, then a talk in lowercase words.
    let lowercase_words = |ws: &[&str]| {
        ws.iter().all(|w| {
            w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
    };
    // `Refactoring-legacy-code`, `Mastering-git-rebase`: a verb's form opens a talk, not a name.
    let verb_form = |w: &str| {
        let lower = w.to_ascii_lowercase();
        has_title_word_ending(w) || lower.ends_with("ing") || lower.ends_with("ed")
    };
    if n >= 4 && leading_surname(words[0]) && !verb_form(words[0]) && lowercase_words(&words[1..]) {
        // Marked as a handle where its shape does not read as a name (`McNeil`).
        let mark = if is_latin_word(words[0]) { "" } else { "@" };
        return format!("{mark}{} - {}", words[0], words[1..].join(" "));
    }
    // `Forsythe-Intro-To-JVM-Bytecode`: a surname first, then a capitalised talk.
    if n >= 4 && leading_surname(words[0]) && words[1].starts_with(|c: char| c.is_ascii_uppercase())
    {
        return format!("{} - {}", words[0], words[1..].join(" "));
    }
    // `elliott-stoneham-mutant-go-compilers`: a speaker first, the talk after.
    let first_pair = &words[..2];
    if n >= 5
        && first_pair.iter().all(|w| letters(w))
        && (is_lowercase_given_name_pair(first_pair)
            || (is_latin_name(&first_pair.join(" ")) && lexicon::is_given_name(first_pair[0])))
    {
        return format!("{} - {}", first_pair.join(" "), words[2..].join(" "));
    }
    // `gophercon-2019-dave-cheney-high-performance-go`: a name right after the event (and its
    // year), with the talk after it.
    let lead = words.get(at..at + 2).filter(|_| event && n >= at + 4);
    let lead_name = lead.is_some_and(|p| {
        p.iter().all(|w| letters(w))
            && (is_latin_name(&p.join(" ")) || is_lowercase_given_name_pair(p))
    });
    if lead_name {
        return format!(
            "{} - {} - {}",
            words[..at].join(" "),
            words[at..at + 2].join(" "),
            words[at + 2..].join(" ")
        );
    }
    words.join(" ")
}

/// `jane smith`: two lowercase words, the first a listed given name.
fn is_lowercase_given_name_pair(words: &[&str]) -> bool {
    words.len() == 2
        && words
            .iter()
            .all(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_lowercase()))
        && lexicon::is_given_name(words[0])
        && !lexicon::contains("latin-not-name", words[1])
}

fn looks_percent_encoded(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| {
        w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit() && w[1] >= b'2'
    })
}

/// NFKC only for CJK radicals, Kangxi radicals, compatibility ideographs and full-width ASCII
/// letters and digits; everything else (full-width punctuation included) as written.
pub fn fold_compatibility(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let fold = matches!(c as u32,
            0x2E80..=0x2FDF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F
            | 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A);
        if fold {
            out.extend(std::iter::once(c).nfkc());
        } else {
            out.push(c);
        }
    }
    out
}

/// `+` as a space, except where it belongs to the text: `C++`, `互联网+，…` (a `+` before
/// punctuation is not a space).
fn decode_plus(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let plus_runs = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| c == '+' && (i == 0 || chars[i - 1] != '+'))
        .count();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '+' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&c| c == '+').count();
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + run).copied();
        // `互联网+，技术…`: after a CJK word and before full-width punctuation, a `+` is a plus.
        let literal_before_punct = before.is_some_and(is_han)
            && after.is_some_and(|c| {
                !c.is_ascii()
                    && !c.is_alphanumeric()
                    && !c.is_whitespace()
                    && !is_separator_char(c)
                    && !is_open_bracket(c)
                    && !is_close_bracket(c)
            });
        if literal_before_punct || (run == 1 && plus_joins_terms(&chars, i, plus_runs)) {
            out.extend(std::iter::repeat_n('+', run));
        } else if run >= 2 && before.is_some_and(|c| c.is_ascii_alphabetic()) {
            // `C++`, `C+++in` (the last `+` of a run is the space unless the run ends the text).
            if after.is_none() {
                out.extend(std::iter::repeat_n('+', run));
            } else {
                out.extend(std::iter::repeat_n('+', run - 1));
                out.push(' ');
            }
        } else {
            out.push(' ');
        }
        i += run;
    }
    out
}

/// Whether the lone `+` at `at` joins a Latin term and a Han one (`DevOps+微服务`,
/// `基于AI+大数据`, `云原生+DevOps`), rather than standing for a space. A form-encoded name
/// turns every space into `+`, so a name with one `+` only is not form-encoded unless its
/// Latin side is an ordinary word at the start of a piece (`Java+自动内存管理`): a term with
/// inner capitals or all capitals (`DevOps`, `AI`), or one glued to Han on its other side,
/// reads as half of a pair.
fn plus_joins_terms(chars: &[char], at: usize, plus_runs: usize) -> bool {
    if plus_runs != 1 {
        return false;
    }
    let before = at.checked_sub(1).map(|j| chars[j]);
    let after = chars.get(at + 1).copied();
    let latin_term = |word: &[char], beyond: Option<char>| {
        let inner_caps = word.iter().skip(1).any(char::is_ascii_uppercase);
        let all_caps = word.len() >= 2 && word.iter().all(|c| !c.is_ascii_lowercase());
        inner_caps || all_caps || beyond.is_some_and(is_han)
    };
    let ascii_word = |c: &char| c.is_ascii_alphanumeric();
    if before.is_some_and(|c| c.is_ascii_alphanumeric()) && after.is_some_and(is_han) {
        let start = chars[..at]
            .iter()
            .rev()
            .take_while(|c| ascii_word(c))
            .count();
        let word = &chars[at - start..at];
        let beyond = (at - start).checked_sub(1).map(|j| chars[j]);
        return latin_term(word, beyond);
    }
    // `通过Golang+eBPF实现`: two Latin terms inside Han text; or at its start, one of them a
    // term's shape (`Flink+AI：实时…`).
    if before.is_some_and(|c| c.is_ascii_alphanumeric())
        && after.is_some_and(|c| c.is_ascii_alphanumeric())
    {
        let start = chars[..at]
            .iter()
            .rev()
            .take_while(|c| ascii_word(c))
            .count();
        let len = chars[at + 1..].iter().take_while(|c| ascii_word(c)).count();
        let outer_before = (at - start).checked_sub(1).map(|j| chars[j]);
        let outer_after = chars.get(at + 1 + len).copied();
        if outer_before.is_some_and(is_han) && outer_after.is_some_and(is_han) {
            return true;
        }
        let right = &chars[at + 1..at + 1 + len];
        let han_text = chars.iter().any(|&c| is_han(c));
        // After a field separator too (`VueConf2021-Vue3+TypeScript最佳实践`), where the
        // pair is glued to Han after it.
        let opens = outer_before.is_none()
            || (outer_before.is_some_and(is_separator_char) && outer_after.is_some_and(is_han));
        return han_text
            && opens
            && (latin_term(right, None) || latin_term(&chars[at - start..at], None));
    }
    if before.is_some_and(is_han) && after.is_some_and(|c| c.is_ascii_alphanumeric()) {
        let len = chars[at + 1..].iter().take_while(|c| ascii_word(c)).count();
        let word = &chars[at + 1..at + 1 + len];
        return latin_term(word, chars.get(at + 1 + len).copied());
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Step 1: pieces

fn is_open_bracket(c: char) -> bool {
    matches!(
        c,
        '【' | '[' | '(' | '（' | '《' | '〔' | '「' | '『' | '〈' | '［'
    )
}

fn is_close_bracket(c: char) -> bool {
    matches!(
        c,
        '】' | ']' | ')' | '）' | '》' | '〕' | '」' | '』' | '〉' | '］'
    )
}

/// Characters that separate fields wherever they stand (but see `-` and `_`).
fn is_separator_char(c: char) -> bool {
    // `－`: the full-width hyphen of Chinese input methods (`…思考－百度首席－林仕鼎`).
    matches!(c, '-' | '—' | '–' | '|' | '｜' | '_' | '~' | '－')
}

/// One piece of the raw text between strong separators or in brackets.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    /// The opening bracket, for a bracketed piece.
    bracket: Option<char>,
    /// What separated it from the previous piece, as written (empty: glued to it).
    sep_before: String,
    /// Joined to the previous piece by a hyphen inside a Latin word (`end-to-end`).
    tight: bool,
}

fn split_pieces(text: &str) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let has_spaces = chars.iter().any(|c| c.is_whitespace());
    let double_underscore = text.contains("__") && !has_spaces;
    // `SREcon19_Asia_Priya-Raman_Alerting_on_SLOs`: where `_` separates Latin words and there
    // are no spaces, a hyphen inside a field is part of it (`Priya-Raman`, `gRPC-Web`).
    let underscore_words = !has_spaces
        && chars
            .windows(3)
            .any(|w| w[1] == '_' && w[0].is_ascii_alphanumeric() && w[2].is_ascii_alphanumeric())
        && !chars.iter().any(|&c| is_han(c));
    // `…峰会·微服务专场·郭旭东·Spring Cloud …`: middle dots as field separators, where there are
    // several in a long name (a transliterated name has one, `阿里木·买买提`).
    let dot_fields =
        chars.iter().filter(|&&c| matches!(c, '·' | '・')).count() >= 2 && chars.len() > 12;
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut sep = String::new();
    let mut tight = false;
    let flush =
        |pieces: &mut Vec<Piece>, current: &mut String, sep: &mut String, tight: &mut bool| {
            if !current.trim().is_empty() {
                // Spaces around a separator belong to it (`Go - lessons`).
                let body = current.trim_start();
                sep.push_str(&current[..current.len() - body.len()]);
                let trimmed = body.trim_end();
                let trailing = body[trimmed.len()..].to_string();
                pieces.push(Piece {
                    text: trimmed.to_string(),
                    bracket: None,
                    sep_before: std::mem::take(sep),
                    tight: *tight,
                });
                *sep = trailing;
                *tight = false;
            } else {
                // Spaces before a separator belong to it.
                sep.push_str(current);
            }
            current.clear();
        };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        if is_open_bracket(c) {
            // Up to the matching close (any closing bracket, nesting counted).
            let mut depth = 0;
            let mut end = None;
            for (j, &d) in chars.iter().enumerate().skip(i + 1) {
                if is_open_bracket(d) {
                    depth += 1;
                } else if is_close_bracket(d) {
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                    depth -= 1;
                }
            }
            if let Some(end) = end {
                flush(&mut pieces, &mut current, &mut sep, &mut tight);
                let inner: String = chars[i + 1..end].iter().collect();
                if !inner.trim().is_empty() {
                    pieces.push(Piece {
                        text: inner.trim().to_string(),
                        bracket: Some(c),
                        sep_before: std::mem::take(&mut sep),
                        tight: false,
                    });
                }
                i = end + 1;
                continue;
            }
            // Unclosed: a separator.
            flush(&mut pieces, &mut current, &mut sep, &mut tight);
            sep.push(c);
            i += 1;
            continue;
        }
        if is_close_bracket(c) {
            flush(&mut pieces, &mut current, &mut sep, &mut tight);
            sep.push(c);
            i += 1;
            continue;
        }
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let strong = match c {
            '-' => {
                // Inside a Latin word (`end-to-end`: kept as a tight join) or a date (`10-18`).
                let digits = prev.is_some_and(|c| c.is_ascii_digit())
                    && next.is_some_and(|c| c.is_ascii_digit());
                // `RustChinaConf2020-12.蒋金洋`: a number then a full stop and words is a
                // talk's number, not a date's month.
                let numbered = digits && {
                    let run = chars[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .count();
                    chars.get(i + 1 + run) == Some(&'.')
                        && chars
                            .get(i + 2 + run)
                            .is_some_and(|&c| is_han(c) || c.is_alphabetic())
                };
                if digits && !numbered {
                    false
                } else {
                    if underscore_words
                        && prev.is_some_and(|c| c.is_ascii_alphabetic())
                        && next.is_some_and(|c| c.is_ascii_alphabetic())
                    {
                        current.push(c);
                        i += 1;
                        continue;
                    }
                    if prev.is_some_and(|c| c.is_ascii_alphabetic())
                        && next.is_some_and(|c| c.is_ascii_alphabetic())
                    {
                        flush(&mut pieces, &mut current, &mut sep, &mut tight);
                        sep.push(c);
                        tight = true;
                        i += 1;
                        continue;
                    }
                    true
                }
            }
            // Where `__` separates the fields (`title__name__event`), one `_` is a space.
            '_' if double_underscore && prev != Some('_') && next != Some('_') => {
                current.push(' ');
                i += 1;
                continue;
            }
            '_' => {
                let space_next = next.is_some_and(char::is_whitespace);
                let space_prev = prev.is_some_and(char::is_whitespace);
                if (latin(prev) && space_next) || (space_prev && latin(next)) {
                    false // `Go_ Real` → `Go: Real`, done when displayed
                } else {
                    // Between Latin letters: a space in a name-like text without spaces
                    // (`Neal_Ford`, `AWS18_DevDay`), a field separator in a text with spaces,
                    // except inside an identifier there (`dynamic_cast From Scratch`).
                    let lower = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase());
                    let identifier = has_spaces && lower(prev) && lower(next);
                    // `Alice_Wong - Event Sourcing`: a listed given name and a capitalised
                    // word are one name there too.
                    let name = has_spaces && given_name_joined(&chars, i);
                    !(latin(prev) && latin(next) && (!has_spaces || identifier || name))
                }
            }
            '、' => {
                current.trim().chars().all(|c| c.is_ascii_digit()) && !current.trim().is_empty()
            }
            // An ASCII full stop between Han characters separates fields (`黄国平.人机交互`):
            // Chinese prose writes `。`, and `.` in a title sits in Latin words (`Node.js`).
            '.' => prev.is_some_and(is_han) && next.is_some_and(is_han),
            '·' | '・' => dot_fields,
            c => is_separator_char(c),
        };
        if strong {
            flush(&mut pieces, &mut current, &mut sep, &mut tight);
            sep.push(c);
        } else {
            current.push(c);
        }
        i += 1;
    }
    flush(&mut pieces, &mut current, &mut sep, &mut tight);
    pieces
}

// ---------------------------------------------------------------------------------------------
// Step 2: classification

/// How sure a title-looking unit is that it is a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Plain,
    /// One Latin word (`jgiles`, `rekit`, `Kubernetes`).
    LatinWord,
    /// Two or three capitalised words (`Jun Rao`, `Neal Ford`).
    LatinName,
    /// Two or three Han characters without word characters, surname unknown (`者文明`).
    CjkName,
}

#[derive(Debug, Clone)]
struct Unit {
    text: String,
    class: SegmentClass,
    shape: Shape,
    /// Names, for a person.
    names: Vec<String>,
    piece: usize,
    sep_before: String,
    tight: bool,
    /// No separator before it (a bracket glued to a name).
    glued: bool,
    bracket: Option<char>,
}

impl Unit {
    fn new(text: impl Into<String>, class: SegmentClass, piece: &Piece, index: usize) -> Unit {
        Unit {
            text: text.into(),
            class,
            shape: Shape::Plain,
            names: Vec::new(),
            piece: index,
            sep_before: piece.sep_before.clone(),
            tight: piece.tight,
            glued: piece.sep_before.is_empty() && index > 0,
            bracket: piece.bracket,
        }
    }
}

fn classify(pieces: &[Piece]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for (index, piece) in pieces.iter().enumerate() {
        let first = index == 0;
        if let Some(open) = piece.bracket {
            units.push(classify_bracket(piece, index, open));
            continue;
        }
        let mut words: Vec<(String, Option<SegmentClass>)> = Vec::new();
        let last_piece = index + 1 == pieces.len();
        let count = piece.text.split_whitespace().count();
        for (k, word) in piece.text.split_whitespace().enumerate() {
            let last = last_piece && k + 1 == count;
            for (part, class) in underscore_parts(word, first && words.is_empty()) {
                match class {
                    Some(class) => words.push((part, Some(class))),
                    None => words.extend(split_glued(&part, first && words.is_empty(), last)),
                }
            }
        }
        // A section number before the talk (`2.4 Go在…`, `1.1.3 …`, `2.3 service-governance`)
        // is a running number; `3.5 years of Go` is a phrase.
        // `6 ways for implementing …`, `10 Tips for …`: a number that counts what the title
        // names is the title's.
        // `10 Core Guidelines You …`, `10 Productivity Tools`: a word may stand between.
        let counted = words.len() >= 3
            && all_digits(&words[0].0)
            && words[0].0.len() <= 2
            && !words[0].0.starts_with('0')
            && (counts_things(&words[1].0)
                || is_plural_noun(&words[1].0)
                || (words[1].0.bytes().all(|b| b.is_ascii_alphabetic())
                    && (counts_things(&words[2].0) || is_plural_noun(&words[2].0))));
        if counted {
            words[0].1 = None;
            words[1].1 = None;
        }
        if first && words.len() >= 2 && words[0].1.is_none() && !counted {
            // `02. Service Mesh…`, `1-1 Go语言…`: a number with a full stop, or two joined
            // by a hyphen, number the talk as `2.4` does.
            let w = &words[0].0;
            let stopped = w
                .strip_suffix('.')
                .is_some_and(|n| (1..=2).contains(&n.len()) && all_digits(n));
            let hyphened = w.split_once('-').is_some_and(|(a, b)| {
                (1..=2).contains(&a.len())
                    && all_digits(a)
                    && (1..=2).contains(&b.len())
                    && all_digits(b)
            });
            let levels = if stopped {
                2
            } else if hyphened {
                section_levels(&w.replace('-', "."))
            } else {
                section_levels(w)
            };
            let next = &words[1].0;
            let capital_or_han = next.starts_with(|c: char| c.is_ascii_uppercase() || is_han(c));
            if levels >= 3 || (levels == 2 && (capital_or_han || words.len() == 2)) {
                // `10.19 宴会厅2`: a month and day there is the session's.
                let w = &words[0].0;
                words[0].1 = Some(if session_prefix_len(w) == w.len() {
                    SegmentClass::SessionCode
                } else {
                    SegmentClass::Ordinal
                });
            }
        }
        // Speakers joined by `&`, `,`, `+` or `and` (`王宁 & Mike Brown`, `韩旭+任杰`): the
        // piece is theirs.
        // `31.Illia&孙元超`: numbered as the talk is.
        let numbered = piece
            .text
            .split_once('.')
            .filter(|(n, rest)| (1..=2).contains(&n.len()) && all_digits(n) && !rest.is_empty());
        if let Some((n, rest)) = numbered.filter(|(_, rest)| {
            rest.contains(['&', '＆', '、']) && person_names(rest).is_some_and(|n| n.len() >= 2)
        }) {
            units.push(Unit::new(
                format!("{n}."),
                SegmentClass::Ordinal,
                piece,
                index,
            ));
            let mut u = Unit::new(rest, SegmentClass::Person, piece, index);
            u.names = person_names(rest).unwrap_or_default();
            units.push(u);
            continue;
        }
        if words.iter().all(|(_, c)| c.is_none())
            && piece.text.contains(['&', '＆', ',', '，', '、', '+'])
            && person_names(&piece.text).is_some_and(|n| n.len() >= 2)
        {
            let mut u = Unit::new(piece.text.clone(), SegmentClass::Person, piece, index);
            u.names = person_names(&piece.text).unwrap_or_default();
            units.push(u);
            continue;
        }
        // `Lei Chen, Meta`, `Sam Li, Tsinghua University`: a speaker and the affiliation after
        // a comma.
        if let Some((name, affiliation)) = name_and_affiliation(&piece.text).filter(|_| index > 0) {
            let mut u = Unit::new(name, SegmentClass::Person, piece, index);
            u.names = vec![display_name(name)];
            units.push(u);
            units.push(Unit::new(
                affiliation,
                SegmentClass::CompanyOrTrack,
                piece,
                index,
            ));
            continue;
        }
        // `ThinkingPortable-JasonTurner-v3`: a field that is one run-together name.
        if count == 1 && words.len() == 1 && words[0].1.is_none() {
            if let Some(name) = camel_name(&words[0].0) {
                let mut u = Unit::new(words[0].0.clone(), SegmentClass::Person, piece, index);
                u.names = vec![name];
                units.push(u);
                continue;
            }
        }
        // Peel recognised noise from both edges; what is left is the piece's core.
        let mut left = Vec::new();
        let mut right = Vec::new();
        let mut lo = 0;
        let mut hi = words.len();
        // `字节跳动 x CNCF Meetup`, `CNCF x 阿里云 云原生技术实践营`: an event held by two
        // organisers, `x` between them: a piece of its own before the talk, or followed by an
        // event's name.
        let x_second = hi >= 3 && matches!(words[1].0.as_str(), "x" | "X" | "×");
        if x_second && !last_piece && hi <= 6 && words.iter().all(|(_, c)| c.is_none()) {
            left.push((words_text(&words[..hi]), SegmentClass::Event));
            lo = hi;
        } else if x_second && hi >= 4 {
            let event = (1..=3).rev().find(|&k| {
                2 + k <= hi
                    && (2 + k < hi || !last_piece)
                    && words[..2 + k].iter().all(|(_, c)| c.is_none())
                    && is_event_name(&words_text(&words[2..2 + k]))
            });
            if let Some(k) = event {
                left.push((words_text(&words[..2 + k]), SegmentClass::Event));
                lo = 2 + k;
            }
        }
        // `Week 3. Preprocessing …`, `Lecture 2 Transformers`: a course's week or lecture
        // before the talk, written with a space.
        let course_slot = first
            && lo == 0
            && hi >= 3
            && words[..2].iter().all(|(_, c)| c.is_none())
            && ["week", "lecture", "day"]
                .iter()
                .any(|w| words[0].0.eq_ignore_ascii_case(w))
            && is_session_word(&format!("{} {}", words[0].0, words[1].0), false);
        if course_slot {
            left.push((words_text(&words[..2]), SegmentClass::SessionCode));
            lo = 2;
        }
        while lo < hi {
            // The count opens the title (`10 Things …`), not the edges.
            if counted && lo == 0 {
                break;
            }
            let next_latin = words
                .get(lo + 1)
                .filter(|_| lo + 1 < hi)
                .is_some_and(|(w, _)| w.starts_with(|c: char| c.is_ascii_alphabetic()));
            // An event of several words (`Infra Meetup`, `Strange Loop`, `Elastic{ON} Tour`),
            // with something after it in the piece or another piece after.
            let edge = edge_class(&words[lo], first && lo == 0, next_latin);
            let spaced_event = (2..=4).rev().find(|&k| {
                edge.is_none_or(|c| c == SegmentClass::Event)
                    && words[lo].0.starts_with(|c: char| c.is_alphabetic())
                    && lo + k <= hi
                    && (lo + k < hi || !last_piece)
                    && words[lo..lo + k].iter().all(|(_, c)| c.is_none())
                    && is_event_name(&words_text(&words[lo..lo + k]))
            });
            // An event not listed, by its shape (`Flink Forward Asia 2021`, `Mozilla Festival
            // 2020`, `droidcon berlin 2019 …`): one to three Latin words, a city or region and
            // a year, or, as the whole first of three pieces or more, the words and a year.
            let spaced_event = spaced_event.or_else(|| {
                (lo == 0 && first && edge.is_none())
                    .then(|| event_by_shape(&words[..hi], pieces.len()))
                    .flatten()
            });
            // `珍爱网 构建有业务价值的…`: a listed Han company spaced before a Han title.
            let company_first = lo == 0
                && hi - lo >= 2
                && edge.is_none()
                && words[lo].0.chars().all(is_han)
                && lexicon::contains("company", &words[lo].0)
                // `腾讯云 Kubernetes 高性能网络…`: before a product, the company is the title's.
                && words[lo + 1].0.starts_with(is_han)
                && words[lo + 1..hi]
                    .iter()
                    .map(|(w, _)| w.chars().filter(|&c| is_han(c)).count())
                    .sum::<usize>()
                    >= 6;
            let edge = if company_first {
                Some(SegmentClass::CompanyOrTrack)
            } else {
                edge
            };
            let (class, mut text) = match spaced_event {
                Some(k) => {
                    let text = words_text(&words[lo..lo + k]);
                    lo += k;
                    (SegmentClass::Event, text)
                }
                None => match edge {
                    Some(class) => {
                        lo += 1;
                        (class, words[lo - 1].0.clone())
                    }
                    None => break,
                },
            };
            // `Qcon 北京2018`: a city or year written apart belongs to the event; so does a
            // year before a colon (`Strange Loop 2019: …`).
            while class == SegmentClass::Event && lo < hi && words[lo].1.is_none() {
                let w = &words[lo].0;
                // `GopherCon New York 2025`: a city of two words.
                let two = words
                    .get(lo + 1)
                    .filter(|_| lo + 1 < hi)
                    .map(|(next, _)| format!("{w} {next}"));
                if let Some(city) = two.filter(|c| lexicon::contains("city", c)) {
                    text.push(' ');
                    text.push_str(&city);
                    lo += 2;
                    continue;
                }
                if is_city_or_year(w) {
                    text.push(' ');
                    text.push_str(w);
                    lo += 1;
                } else if let Some(year) = w
                    .strip_suffix([':', '：', '_'])
                    .filter(|y| is_city_or_year(y))
                {
                    text.push(' ');
                    text.push_str(year);
                    lo += 1;
                    break;
                } else if let Some(k) = (1..=2).find(|&k| {
                    // `HashiConf Digital 2020: …`: an edition in capitalised words before the
                    // year and its colon.
                    lo + k < hi
                        && words[lo..lo + k].iter().all(|(w, c)| {
                            c.is_none()
                                && w.starts_with(|c: char| c.is_ascii_uppercase())
                                && w.bytes().all(|b| b.is_ascii_alphabetic())
                        })
                        && words[lo + k].1.is_none()
                        && words[lo + k]
                            .0
                            .strip_suffix([':', '：'])
                            .is_some_and(|y| y.len() == 4 && is_city_or_year(y))
                }) {
                    text.push(' ');
                    text.push_str(&words_text(&words[lo..=lo + k]));
                    lo += k + 1;
                    break;
                } else {
                    break;
                }
            }
            left.push((text, class));
        }
        // `… Compilers for Everyone by Anna Park`: a speaker after `by` ends the piece.
        let by_name = (lo + 2..hi.saturating_sub(1)).rev().find(|&at| {
            words[at].0 == "by"
                && hi - at - 1 <= 3
                && words[at + 1..hi].iter().all(|(_, c)| c.is_none())
                && is_latin_name(&words_text(&words[at + 1..hi]))
        });
        let mut by_speaker = None;
        if let Some(at) = by_name {
            by_speaker = Some(words_text(&words[at + 1..hi]));
            hi = at;
        }
        while lo < hi {
            // A year after the talk (`golang gc internals 2021`): a date, with words before it;
            // not after a small word: `C++ in 2019` is a phrase.
            let trailing_year = (hi - lo >= 3
                && words[hi - 1].1.is_none()
                && is_year(&words[hi - 1].0)
                && !lexicon::contains("preposition", &words[hi - 2].0))
            .then_some(SegmentClass::Date);
            // `WebAssembly 2.0 展望`: Han words after a number qualify it; no speaker there.
            let after_number = hi - lo >= 2
                && words[hi - 1].1.is_none()
                && words[hi - 2].0.ends_with(|c: char| c.is_ascii_digit());
            // `…_Dataset_CN`: the language of the slides, after the title.
            let language = ["CN", "EN", "ZH", "中文版", "英文版"]
                .iter()
                .any(|l| words[hi - 1].0 == *l)
                && words[hi - 1].1.is_none();
            if hi - lo >= 3 && language {
                right.push((words[hi - 1].0.clone(), SegmentClass::Version));
                hi -= 1;
                continue;
            }
            // `String Operations in C++17 18th Sept 2018`, `… 20 March 2018`, `MindSpore TSC
            // Meeting 2021 Feb 18`: a day, a month's name and a year, after words of the talk.
            let tail: Vec<&str> = words[lo..hi]
                .iter()
                .rev()
                .take(3)
                .take_while(|(_, c)| c.is_none())
                .map(|(w, _)| w.as_str())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let k = trailing_month_date_len(&tail);
            if k > 0 && hi - lo > k {
                right.push((words_text(&words[hi - k..hi]), SegmentClass::Date));
                hi -= k;
                continue;
            }
            // `…_2205032`, `…_338705339`: a student's or an upload's number after the title.
            let id = words[hi - 1].1.is_none()
                && all_digits(&words[hi - 1].0)
                && (7..=12).contains(&words[hi - 1].0.len())
                && !is_date(&words[hi - 1].0)
                && !is_timestamp(&words[hi - 1].0);
            if hi - lo >= 2 && id {
                right.push((words[hi - 1].0.clone(), SegmentClass::Version));
                hi -= 1;
                continue;
            }
            // `geometricflux slides`: what the file is, after the title.
            let label = ["slides", "slide", "presentation", "handouts", "deck"]
                .iter()
                .any(|l| words[hi - 1].0.eq_ignore_ascii_case(l))
                && words[hi - 1].1.is_none();
            // `How to Give a Great Presentation`: a sentence's last word (articles, pronouns,
            // a question's word before it) is the talk's own; after a name or a topic
            // (`Embedded Basic Presentation`, `ubuntu server with gui presentation`) it labels
            // the file.
            let sentence_word = |w: &str| {
                [
                    "a", "an", "the", "how", "why", "what", "my", "your", "our", "i", "we", "you",
                ]
                .iter()
                .any(|f| w.eq_ignore_ascii_case(f))
            };
            let after_phrase = words[lo..hi.saturating_sub(1)]
                .iter()
                .any(|(w, _)| sentence_word(w));
            if hi - lo >= 2 && label && !after_phrase {
                right.push((words[hi - 1].0.clone(), SegmentClass::StatusWord));
                hi -= 1;
                continue;
            }
            // `… question part 1`, `Vol 2`: a number that counts parts is the title's.
            let counted = hi - lo >= 2
                && [
                    "part", "pt", "vol", "volume", "chapter", "episode", "ep", "lesson", "round",
                    "r",
                ]
                .iter()
                .any(|p| words[hi - 2].0.eq_ignore_ascii_case(p))
                && all_digits(&words[hi - 1].0);
            if counted {
                break;
            }
            // `深入理解Docker架构与实现 Sunhongliang`: a whole pinyin name of three syllables or
            // more, spaced after a Chinese title.
            let pinyin_speaker = hi - lo >= 2
                && words[hi - 1].1.is_none()
                && words[lo..hi - 1].iter().any(|(w, _)| w.contains(is_han))
                && !words[hi - 1].0.contains(is_han)
                && pinyin_syllables(&words[hi - 1].0).is_some_and(|n| (3..=4).contains(&n))
                && no_common_or_product_word(&words[hi - 1].0);
            if pinyin_speaker {
                let name = words[hi - 1].0.clone();
                hi -= 1;
                by_speaker = Some(name);
                break;
            }
            // `Sichere SW-Entwicklung mit OWASP`: an event's name as the object of a phrase.
            let object = hi - lo >= 2
                && is_phrase_word_before(&words[hi - 2].0)
                && !matches!(words[hi - 2].0.as_str(), "for" | "at" | "@");
            // `SQL Server 2016`, `Visual Studio 2019`: a product whose versions are years.
            let version_year = hi - lo >= 2
                && is_year(&words[hi - 1].0)
                && lexicon::contains("year-versioned", &words[hi - 2].0);
            match edge_class(&words[hi - 1], false, false)
                .or(trailing_year)
                .filter(|&c| !(c == SegmentClass::Person && after_number))
                .filter(|&c| !(matches!(c, SegmentClass::Event | SegmentClass::Date) && object))
                .filter(|&c| !(c == SegmentClass::Date && version_year))
            {
                Some(class) => {
                    right.push((words[hi - 1].0.clone(), class));
                    hi -= 1;
                }
                None => break,
            }
        }
        // `Go在百度BFE的应用 for Gopher China 2016`: `for` or `at` before the event after the talk.
        if hi >= lo + 2
            && matches!(words[hi - 1].0.as_str(), "for" | "at" | "@")
            && right.last().is_some_and(|(_, c)| *c == SegmentClass::Event)
        {
            hi -= 1;
        }
        // `K8s Operator开发实践 by 赵明`: `by` before a speaker already taken.
        if hi >= lo + 2
            && words[hi - 1].0 == "by"
            && right
                .last()
                .is_some_and(|(_, c)| *c == SegmentClass::Person)
        {
            hi -= 1;
        }
        let push = |text: String, class: SegmentClass, units: &mut Vec<Unit>| {
            let mut u = Unit::new(text, class, piece, index);
            if class == SegmentClass::Person {
                let at_company = u
                    .text
                    .split_once('@')
                    .filter(|(name, _)| cjk_name(name).is_some())
                    .map(|(name, _)| name.to_string());
                u.names = match (handle_name(&u.text), at_company) {
                    (Some(h), _) => vec![h.to_string()],
                    (None, Some(name)) => vec![name],
                    (None, None) => person_names(&u.text).unwrap_or_else(|| vec![u.text.clone()]),
                };
            }
            units.push(u);
        };
        for (text, class) in left {
            push(text, class, &mut units);
        }
        // `滴滴出行 孟浩 网约车调度算法实践`: where only spaces separate the fields, a certain
        // Chinese name between Han words is the speaker, and the words on each side are fields
        // of their own.
        let inner_name = (lo + 1..hi.saturating_sub(1)).find(|&j| {
            let han_side = |ws: &[(String, Option<SegmentClass>)]| {
                ws.iter().all(|(_, c)| c.is_none())
                    && ws
                        .iter()
                        .any(|(w, _)| w.chars().filter(|&c| is_han(c)).count() >= 2)
            };
            words[j].1.is_none()
                && cjk_name(&words[j].0) == Some(true)
                && !is_company_or_track(&words[j].0)
                && han_side(&words[lo..j])
                && han_side(&words[j + 1..hi])
        });
        let core_of = |ws: &[(String, Option<SegmentClass>)]| {
            ws.iter()
                .map(|(w, _)| w.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        if let Some(j) = inner_name {
            units.push(classify_core(
                &core_of(&words[lo..j]),
                piece,
                index,
                first && lo == 0,
            ));
            push(words[j].0.clone(), SegmentClass::Person, &mut units);
            units.push(classify_core(
                &core_of(&words[j + 1..hi]),
                piece,
                index,
                false,
            ));
        } else if lo < hi {
            units.push(classify_core(
                &core_of(&words[lo..hi]),
                piece,
                index,
                first && lo == 0,
            ));
        }
        if let Some(name) = by_speaker {
            push(name, SegmentClass::Person, &mut units);
        }
        for (text, class) in right.into_iter().rev() {
            push(text, class, &mut units);
        }
    }
    events_by_field_shape(&mut units, pieces);
    units
}

/// Events nobody listed, by the shape of a whole field, when another field holds the talk: a
/// year beside capitalised Latin words (`Devoxx Belgium 2019`, `DataFunSummit2022`, `2019年GDG
/// DevFest 北京`), or Han words ending as events do, with a year, an edition, a city or Latin
/// capitals around them (`2021中国数据库技术大会DTCC`, `2023第五届数字化转型峰会`,
/// `MongoDB中文社区大会2019`); without a year, one capitalised word with an event's ending
/// (`DataFunTalk`). A field that reads as a phrase (`的`, a lowercase word) is no event, nor
/// one after words of the talk.
fn events_by_field_shape(units: &mut [Unit], pieces: &[Piece]) {
    let plain = |c: SegmentClass| {
        matches!(
            c,
            SegmentClass::Title
                | SegmentClass::Event
                | SegmentClass::Date
                | SegmentClass::SessionCode
                | SegmentClass::Ordinal
                | SegmentClass::StatusWord
                | SegmentClass::Version
        )
    };
    let candidates: Vec<usize> = (0..pieces.len())
        .filter(|&p| {
            pieces[p].bracket.is_none_or(|b| matches!(b, '[' | '【'))
                && units
                    .iter()
                    .any(|u| u.piece == p && u.class == SegmentClass::Title)
                && units
                    .iter()
                    .filter(|u| u.piece == p)
                    .all(|u| plain(u.class))
                && (field_is_event(&pieces[p].text)
                    || (p == 0 && pieces.len() >= 3 && opens_with_dated_field(&pieces[p].text)))
        })
        .collect();
    // The talk is a field of its own or a `《…》` title, not words in brackets after a speaker.
    let talk = |p: usize| {
        !candidates.contains(&p)
            && pieces[p]
                .bracket
                .is_none_or(|b| matches!(b, '《' | '「' | '【'))
            && units.iter().any(|u| {
                u.piece == p
                    && matches!(u.class, SegmentClass::Title | SegmentClass::BracketedTitle)
            })
    };
    // Before the talk, with no words of the talk before it: `Effective Qt - 2017 Edition - …`
    // keeps its edition.
    let talks: Vec<usize> = (0..pieces.len()).filter(|&p| talk(p)).collect();
    // After the talk only the last field, one word glued to its year (`…-DevReach2017`,
    // `Java_17_Sealed_Classes-JFN2021`): a talk's title seldom ends so.
    let glued_year_last = |p: usize| {
        let text = pieces[p].text.as_str();
        let letters = text.trim_end_matches(|c: char| c.is_ascii_digit());
        p > 0
            && p + 1 == pieces.len()
            && is_year(&text[letters.len()..])
            && (2..=20).contains(&letters.len())
            && letters.bytes().all(|b| b.is_ascii_alphabetic())
            && letters.len() <= 12
            && no_common_or_product_word(letters)
            && !lexicon::contains("year-versioned", letters)
            // `Intro-to-Python2020`: the object of a small word is the talk's.
            && !pieces[p - 1]
                .text
                .split_whitespace()
                .next_back()
                .is_some_and(|w| is_phrase_word_before(w) || is_short_function_word(w))
    };
    // `20211218-osdt2021-aosp-rv`: right after the day that opens the name, a short word
    // glued to its year.
    let glued_year_first = |p: usize| {
        let text = pieces[p].text.as_str();
        let letters = text.trim_end_matches(|c: char| c.is_ascii_digit());
        p > 0
            && p + 1 < pieces.len()
            && is_year(&text[letters.len()..])
            && is_event_letters(letters)
            && !lexicon::contains("year-versioned", letters)
            && units
                .iter()
                .filter(|u| u.piece < p)
                .all(|u| matches!(u.class, SegmentClass::Date | SegmentClass::Ordinal))
    };
    let first_event = (1..pieces.len()).find(|&p| glued_year_first(p));
    let only_title = |p: usize| {
        units
            .iter()
            .filter(|u| u.piece == p)
            .all(|u| u.class == SegmentClass::Title)
    };
    let last_event = pieces
        .len()
        .checked_sub(1)
        .filter(|&p| glued_year_last(p) && only_title(p) && talks.iter().any(|&q| q < p));
    let events: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&p| talks.first().is_some_and(|&q| q > p))
        .chain(last_event)
        .chain(first_event)
        .collect();
    for u in units.iter_mut() {
        if events.contains(&u.piece) && u.class == SegmentClass::Title {
            u.class = SegmentClass::Event;
        }
    }
}

/// `Go to Busan 2023 - Go with Flutter - 박제창`: the first of three fields or more, a few
/// Latin words ending in a year, names the event (a talk's title seldom ends in its year).
fn opens_with_dated_field(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (3..=6).contains(&words.len())
        && words.last().is_some_and(|w| is_year(w))
        && !ends_with_phrase_year(&words)
        && words[0].starts_with(|c: char| c.is_ascii_uppercase())
        && words[..words.len() - 1]
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// `Undefined Behavior in 2017`: a year after a small word is the phrase's, no event's.
fn ends_with_phrase_year(words: &[&str]) -> bool {
    words.len() >= 2
        && is_year(words[words.len() - 1])
        && is_phrase_word_before(words[words.len() - 2])
}

/// Words that name a kind of event (`C++ Korea Seminar 1st`, `Google IO Extended … 2024`).
const EVENT_KINDS: &[&str] = &[
    "seminar",
    "conference",
    "meetup",
    "summit",
    "symposium",
    "forum",
    "workshop",
    "extended",
    "hackathon",
    "devfest",
    "festival",
    "expo",
    "meeting",
    "camp",
    "con",
    "conf",
];

/// A field naming an event by a word of its kind with an edition or a year beside it
/// (`C++ Korea Seminar 1st`, `C++ Korea 4th Seminar`, `Google IO Extended Golang Korea 2024`).
fn field_is_event_by_kind(text: &str) -> bool {
    if text.contains([':', '：', ',', '，']) {
        return false;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let ordinal = |w: &str| {
        let digits = w.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && ["st", "nd", "rd", "th"].contains(&&w[digits..])
    };
    (2..=7).contains(&words.len())
        && words
            .iter()
            .any(|w| EVENT_KINDS.iter().any(|k| w.eq_ignore_ascii_case(k)))
        && words.iter().any(|w| ordinal(w) || is_year(w))
        && words[0].starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Whether a whole field is shaped like an event's name (see [`events_by_field_shape`]).
fn field_is_event(text: &str) -> bool {
    // `…2021: Chaos Engineering`: a colon opens the talk's words.
    if text.contains([':', '：']) {
        return false;
    }
    if ends_with_phrase_year(&text.split_whitespace().collect::<Vec<_>>()) {
        return false;
    }
    if field_is_event_by_kind(text) {
        return true;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut rest = String::new();
    let mut year = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let n = digits_at(&chars, i);
            let run: String = chars[i..i + n].iter().collect();
            i += n;
            if n == 4 && is_year(&run) {
                year = true;
                if chars.get(i) == Some(&'年') {
                    i += 1;
                }
            } else {
                rest.push(' ');
                rest.push_str(&run);
                rest.push(' ');
            }
            continue;
        }
        // `第五届`, `第45期`: an edition or an issue.
        if c == '第' {
            let n = chars[i + 1..]
                .iter()
                .take_while(|&&d| d.is_ascii_digit() || is_cjk_number(d))
                .count();
            if n > 0 && matches!(chars.get(i + 1 + n), Some('届' | '期' | '季')) {
                i += n + 2;
                continue;
            }
        }
        if c.is_whitespace() || matches!(c, '.' | '·' | '_' | '-' | ':' | '：' | '|' | '｜') {
            rest.push(' ');
        } else if is_han(c) != rest.chars().next_back().is_some_and(is_han) {
            rest.push(' ');
            rest.push(c);
        } else {
            rest.push(c);
        }
        i += 1;
    }
    let place = |w: &str| {
        let w = w.strip_suffix('站').unwrap_or(w);
        lexicon::contains("city", w) || lexicon::contains("region", w)
    };
    let words: Vec<&str> = rest.split_whitespace().filter(|w| !place(w)).collect();
    let han: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.chars().all(is_han))
        .collect();
    let latin: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic()))
        .collect();
    let digits = words.iter().filter(|w| all_digits(w)).count();
    if han.len() + latin.len() + digits != words.len() || han.len() + latin.len() == 0 {
        return false;
    }
    let capitalised = latin.len() <= 3
        && latin.iter().all(|w| {
            w.starts_with(|c: char| c.is_ascii_uppercase())
                && w.chars().all(|c| c.is_ascii_alphanumeric())
                && !lexicon::contains("post", w)
        });
    if !capitalised {
        return false;
    }
    if let Some(last) = han.last() {
        let han_chars: usize = han.iter().map(|w| w.chars().count()).sum();
        let ending = lexicon::words("event-suffix")
            .iter()
            .filter(|s| !s.is_ascii())
            .any(|s| {
                last.ends_with(s) && (last.chars().count() > s.chars().count() || !latin.is_empty())
            });
        return han.len() <= 2
            && han_chars <= 14
            && !han.iter().any(|w| w.contains('的'))
            && ending;
    }
    if digits > 0 {
        return false;
    }
    if year {
        return true;
    }
    // `DataFunTalk`: one word, a capitalised name and an event's ending.
    latin.len() == 1 && {
        let w = latin[0];
        [
            "Talk", "Summit", "Conf", "Meetup", "Day", "Days", "Fest", "Forum", "Week",
        ]
        .iter()
        .any(|e| w.len() > e.len() + 2 && w.ends_with(e))
    }
}

/// The number of words opening a piece that name an event not listed, by shape: one to three
/// Latin words (each capitalised, or one lowercase word) followed by a city or region and a
/// year, with at least two words after them; or, when the piece is all of it and the name has
/// three pieces or more, the Latin words and a year.
fn event_by_shape(words: &[(String, Option<SegmentClass>)], pieces: usize) -> Option<usize> {
    let name_word = |w: &str| {
        w.len() >= 2
            && w.bytes().all(|b| b.is_ascii_alphabetic())
            && !lexicon::contains("preposition", w)
            && !["the", "a", "an"].iter().any(|a| w.eq_ignore_ascii_case(a))
    };
    let place = |w: &str| lexicon::contains("city", w) || lexicon::contains("region", w);
    for k in 1..=3 {
        let Some(head) = words.get(..k) else {
            break;
        };
        if !head.iter().all(|(w, c)| c.is_none() && name_word(w)) {
            break;
        }
        let capitalised = head
            .iter()
            .all(|(w, _)| w.starts_with(|c: char| c.is_ascii_uppercase()));
        let lowercase_one = k == 1 && head[0].0.bytes().all(|b| b.is_ascii_lowercase());
        if !capitalised && !lowercase_one {
            continue;
        }
        let at = |i: usize| words.get(i).map(|(w, _)| w.as_str());
        if at(k).is_some_and(place) && at(k + 1).is_some_and(is_year) && words.len() >= k + 4 {
            return Some(k + 2);
        }
        let whole = |n: usize| words.len() == n && pieces >= 3;
        if at(k).is_some_and(place) && at(k + 1).is_some_and(is_year) && whole(k + 2) {
            return Some(k + 2);
        }
        if capitalised && at(k).is_some_and(is_year) && whole(k + 1) && k >= 2 {
            return Some(k + 1);
        }
    }
    None
}

fn words_text(words: &[(String, Option<SegmentClass>)]) -> String {
    words
        .iter()
        .map(|(w, _)| w.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Lei Chen, Meta`, `Sam Li, Tsinghua University`: a Latin name, a comma, then one to three
/// capitalised words (a company or a school) — not a second name (`Lei Chen, Bob Lee` are two
/// speakers).
fn name_and_affiliation(s: &str) -> Option<(&str, &str)> {
    let (name, rest) = s.split_once([',', '，'])?;
    let (name, rest) = (name.trim(), rest.trim());
    let words: Vec<&str> = rest.split_whitespace().collect();
    let affiliation = (1..=3).contains(&words.len())
        && words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        && (words.len() == 1 || !is_latin_name(rest) || lexicon::contains("company", words[0]));
    (is_latin_name(name) && affiliation).then_some((name, rest))
}

/// A word joined by `_` in a name without spaces (`1330-1410_QCon2019`, `v2_final`): noise
/// at its ends comes apart, the rest stays one word (`Neal_Ford`, `AWS18_DevDay`); `first`:
/// the word opens the name, where a running number may stand (`4_Soft_Skills`).
fn underscore_parts(word: &str, first: bool) -> Vec<(String, Option<SegmentClass>)> {
    let whole = vec![(word.to_string(), None)];
    // `3AWS18_DevDay`: an event written with `_` (after a running number) is one word.
    let unnumbered = word.trim_start_matches(|c: char| c.is_ascii_digit());
    if !word.contains('_') || event_prefix_len(unnumbered) == Some(unnumbered.len()) {
        return whole;
    }
    let parts: Vec<&str> = word.split('_').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return whole;
    }
    if first && parts.len() >= 2 && is_ordinal(parts[0]) && !counts_things(parts[1]) {
        let mut out = vec![(parts[0].to_string(), Some(SegmentClass::Ordinal))];
        out.extend(underscore_parts(&parts[1..].join("_"), false));
        return out;
    }
    // `liuyang_Flink在实时风控中的应用`: a name in pinyin, then a Han title.
    if parts.len() >= 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && is_pinyin_name(parts[0])
        && parts[1..].iter().any(|p| p.contains(is_han))
    {
        let mut out = vec![(parts[0].to_string(), Some(SegmentClass::Person))];
        out.extend(underscore_parts(&parts[1..].join("_"), false));
        return out;
    }
    let noise = |p: &str| {
        edge_class(&(p.to_string(), None), false, false).filter(|&c| c != SegmentClass::Person)
    };
    // `KubeCon_China_2019_…`: a city or a year after a leading event belongs to it.
    let mut lo = 0;
    // `Kafka_Summit_APAC_2021_…`: an event of two words.
    let two_word_event = parts.len() > 2 && is_event_name(&parts[..2].join(" "));
    let mut event_peeled = two_word_event;
    let mut out: Vec<(String, Option<SegmentClass>)> = Vec::new();
    if two_word_event {
        out.push((parts[..2].join(" "), Some(SegmentClass::Event)));
        lo = 2;
    }
    let first_noise = lo;
    // Whether the part before is the event or its place (`Kafka_Summit_APAC_2021`).
    let mut after_event = two_word_event;
    while lo < parts.len() {
        let after = |class| lo > 0 && noise(parts[lo - 1]) == Some(class);
        let event_place = after_event && is_city_or_year(parts[lo]);
        // `Day1_Track3_02_…`: a running number after the track is the session's.
        let slot = after(SegmentClass::SessionCode) && is_ordinal(parts[lo]);
        // `SREcon19_Asia_slides_…`: a weak status word as a field of its own after the event.
        let status = event_peeled && is_status_word(parts[lo], false);
        let class = noise(parts[lo]);
        if class.is_none() && !event_place && !slot && !status {
            break;
        }
        after_event = class == Some(SegmentClass::Event) || event_place;
        event_peeled |= after_event;
        lo += 1;
    }
    // `…_slides_Priya-Raman_Alerting_on_SLOs`: a hyphened name as the first field after the
    // event's.
    let mut leading_speaker = None;
    // Or first, led by a listed given name (`Grant-Ongers_Gamification_of_…`).
    let given_first = parts
        .get(lo)
        .and_then(|p| p.split('-').next())
        .is_some_and(lexicon::is_given_name);
    if (event_peeled || given_first) && lo + 3 <= parts.len() && parts[lo].contains('-') {
        let name = parts[lo].replace('-', " ");
        if is_latin_name(&name) {
            leading_speaker = Some(name);
            lo += 1;
        }
    }
    // `filesystem_overview_16th_april_2019`: a date with a month's name last.
    let month_date = trailing_month_date_len(&parts[lo..]);
    let mut hi = parts.len();
    if month_date > 0 && parts.len() - lo > month_date {
        hi -= month_date;
    }
    // `node_profiler_jsconf_cn_2015`: an event last, with its region or city and year.
    let place_after_event = |hi: usize| {
        (1..=2).any(|back| {
            hi > lo + back
                && parts[hi - back..hi].iter().all(|p| is_city_or_year(p))
                && noise(parts[hi - back - 1]) == Some(SegmentClass::Event)
        })
    };
    while hi > lo + 1 && place_after_event(hi) {
        hi -= 1;
    }
    // `The_way_to_WAF_in_2023`, `Introduction_to_OWASP`: after a small word, a year or an
    // event's name is the phrase's.
    // Each part here is a field: a state of the file is one as the last (`…_publish`).
    let last_state = |hi: usize| hi == parts.len() && is_status_word(parts[hi - 1], false);
    while hi > lo
        && (noise(parts[hi - 1]).is_some() || last_state(hi))
        && !(hi >= lo + 2 && is_phrase_word_before(parts[hi - 2]))
    {
        hi -= 1;
    }
    // A speaker at the end of an English title written with `_`: after `by`
    // (`…_at_Grab_by_Jing_Li`), or, after a leading event, two capitalised words
    // (`NDC_Oslo_2020_…_Under_the_Hood_Stephen_Toub`).
    let noise_hi = hi;
    let mut speaker = None;
    let rest = &parts[lo..hi];
    let k = rest.len();
    // `…_jon_kalb`: a lowercase pair led by a listed given name too.
    let name_of = |ws: &[&str]| {
        (is_latin_name(&ws.join(" ")) || is_lowercase_given_name_pair(ws)).then(|| ws.join(" "))
    };
    let by = |n: usize| k >= n + 3 && rest[k - n - 1].eq_ignore_ascii_case("by");
    if let Some(n) = (2..=3).find(|&n| by(n) && name_of(&rest[k - n..]).is_some()) {
        speaker = name_of(&rest[k - n..]);
        hi -= n + 1;
    } else if event_peeled && k >= 5 && !rest.iter().any(|p| p.contains(is_han)) {
        if let Some(name) = name_of(&rest[k - 2..]) {
            speaker = Some(name);
            hi -= 2;
        }
    }
    if lo == 0 && hi == parts.len() {
        return whole;
    }
    let classed = |p: &&str| {
        let class = noise(p)
            .or(is_city_or_year(p).then_some(SegmentClass::Event))
            .or(is_ordinal(p).then_some(SegmentClass::SessionCode))
            .or(is_status_word(p, false).then_some(SegmentClass::StatusWord));
        (p.to_string(), class)
    };
    let noise_lo = lo - usize::from(leading_speaker.is_some());
    out.extend(
        parts[first_noise.min(noise_lo)..noise_lo]
            .iter()
            .map(classed),
    );
    if let Some(name) = leading_speaker {
        out.push((name, Some(SegmentClass::Person)));
    }
    if lo < hi {
        out.push((parts[lo..hi].join("_"), None));
    }
    if let Some(name) = speaker {
        out.push((name, Some(SegmentClass::Person)));
    }
    out.extend(parts[noise_hi..].iter().map(classed));
    out
}

/// A recognised word at the edge of a piece, if it is one.
fn edge_class(
    (word, glued_class): &(String, Option<SegmentClass>),
    first: bool,
    next_is_latin: bool,
) -> Option<SegmentClass> {
    if let Some(class) = glued_class {
        return Some(*class);
    }
    let w = word.as_str();
    if is_status_word(w, true) {
        return Some(SegmentClass::StatusWord);
    }
    if is_event_name(w) {
        return Some(SegmentClass::Event);
    }
    if is_version(w) || is_version_and_status(w) {
        return Some(SegmentClass::Version);
    }
    if first && is_ordinal(w) {
        return Some(SegmentClass::Ordinal);
    }
    if is_session_word(w, first) {
        return Some(SegmentClass::SessionCode);
    }
    // A city beside the event (`2019.11.02 上海 GDG DevFest`) names where, not who: before the
    // name test, since a city may read as one (`杭州`).
    if lexicon::contains("deck-label", w) {
        return Some(SegmentClass::CompanyOrTrack);
    }
    if lexicon::contains("city", w) || (w.ends_with('站') && is_city_or_year(w)) {
        return Some(SegmentClass::Event);
    }
    // An issue of a series (`#3`, `No.134`, `第12期`) names no talk.
    if is_series_number(w) {
        return Some(SegmentClass::SessionCode);
    }
    // `@evanyou`: a speaker's handle.
    if handle_name(w).is_some() {
        return Some(SegmentClass::Person);
    }
    // `连响@dotengine`: a speaker at a company.
    if w.split_once('@')
        .is_some_and(|(name, at)| !at.is_empty() && cjk_name(name).is_some())
    {
        return Some(SegmentClass::Person);
    }
    // `汤 尧`: a two-character name spaced to the width of three.
    if spaced_han_name(w).is_some() {
        return Some(SegmentClass::Person);
    }
    // A day with its year is a date even before a Latin word (`2018-10-19 QCon`), and so is a
    // month after its year (`2018-10 Reactive …`, `2019.03 Jane Doe - …`).
    if is_dated_day(w) || is_year_and_month(w) {
        return Some(SegmentClass::Date);
    }
    // A number in a Latin phrase (`3.5 years`) is part of it.
    if !next_is_latin {
        if session_prefix_len(w) == w.len() {
            return Some(SegmentClass::SessionCode);
        }
        if is_date(w) || is_timestamp(w) {
            return Some(SegmentClass::Date);
        }
    }
    if cjk_name(w) == Some(true) && !lexicon::contains("company", w) {
        return Some(SegmentClass::Person);
    }
    // `_2205032`, `_338705339`: a student's or an upload's number, no words of a talk.
    if all_digits(w) && (7..=12).contains(&w.len()) {
        return Some(SegmentClass::Version);
    }
    None
}

/// A piece's core (its words minus recognised edges), classified as a whole.
fn classify_core(core: &str, piece: &Piece, index: usize, first: bool) -> Unit {
    use SegmentClass as C;
    let class = if is_status_word(core, false) {
        C::StatusWord
    } else if is_session_word(core, first) || is_series_number(core) {
        C::SessionCode
    } else if lexicon::contains("deck-label", core) || is_company_and_post(core) {
        C::CompanyOrTrack
    } else if handle_name(core).is_some() {
        C::Person
    } else if is_event_name(core) || (!first && is_capitals_and_year(core)) {
        C::Event
    } else if is_version(core) || is_copy_marker(core) {
        C::Version
    } else if is_timestamp(core) {
        C::Date
    } else if all_digits(core) && core.len() <= 3 {
        if first {
            C::Ordinal
        } else {
            C::Version
        }
    } else if session_prefix_len(core) == core.len() {
        C::SessionCode
    } else if is_date(core) || (all_digits(core) && (core.len() == 4 || core.len() == 8)) {
        C::Date
    } else if lexicon::contains("company", core) {
        C::CompanyOrTrack
    } else if person_names(core).is_some() || field_camel_name(core).is_some() {
        C::Person
    } else if is_company_or_track(core) {
        C::CompanyOrTrack
    } else {
        C::Title
    };
    let mut unit = Unit::new(core, class, piece, index);
    if class == C::Person {
        unit.names = match handle_name(core) {
            Some(h) => vec![h.to_string()],
            None => person_names(core)
                .or_else(|| field_camel_name(core).map(|n| vec![n]))
                .unwrap_or_default(),
        };
    }
    if class == C::Title {
        unit.shape = shape_of(core);
    }
    unit
}

fn classify_bracket(piece: &Piece, index: usize, open: char) -> Unit {
    use SegmentClass as C;
    let inner = piece.text.trim();
    // `(Final v2)`: every word a status word or a version.
    let all_status = inner
        .split_whitespace()
        .all(|w| is_status_word(w, false) || is_version(w));
    let class = if open == '《' {
        C::BracketedTitle
    } else if is_status_word(inner, false) || all_status {
        C::StatusWord
    } else if is_version(inner)
        || is_copy_marker(inner)
        || inner
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && all_digits(p))
    {
        C::Version
    } else if is_event_name(inner)
        || (matches!(open, '(' | '（' | '[')
            && index > 0
            && inner.split_whitespace().count() <= 5
            && inner
                .split_whitespace()
                .next()
                .is_some_and(|w| event_prefix_len(w) == Some(w.len())))
    {
        // `(GopherCon Lightning Talk)` after the title: the event and its kind of session.
        C::Event
    } else if handle_name(inner).is_some() {
        C::Person
    } else if session_prefix_len(inner) == inner.len() {
        C::SessionCode
    } else if is_date(inner) {
        C::Date
    } else if is_company_or_track(inner) {
        C::CompanyOrTrack
    } else if person_names(inner).is_some()
        || name_with_affiliation(inner).is_some()
        || name_and_date(inner).is_some()
    {
        C::Person
    } else {
        C::Title
    };
    let mut unit = Unit::new(inner, class, piece, index);
    if let Some(name) = name_and_date(inner).filter(|_| class == C::Person) {
        unit.names = vec![name.to_string()];
    } else if class == C::Person {
        unit.names = match (handle_name(inner), name_with_affiliation(inner)) {
            (Some(h), _) => vec![h.to_string()],
            (None, Some(name)) => person_names(name).unwrap_or_else(|| vec![name.to_string()]),
            (None, None) => person_names(inner).unwrap_or_default(),
        };
    }
    if class == C::Title {
        unit.shape = shape_of(inner);
    }
    unit
}

/// `范玚 2018.9.29`, `Berislav Nizic; 30.3.2017`: in brackets after a title, who gave the
/// talk and when; the name.
fn name_and_date(s: &str) -> Option<&str> {
    // `Berislav Nizic; 30.3.2017`: a Latin name, then `;` or `,`.
    let (name, date) = s
        .split_once([';', '；', ','])
        .or_else(|| s.split_once(' '))?;
    let (name, date) = (name.trim(), date.trim());
    let named = cjk_name(name) == Some(true) || is_latin_name(name);
    (named && (is_date(date) || is_compact_date(date))).then_some(name)
}

/// `京东 赵亮`, `赵亮 阿里云 架构师`: a speaker with the company or post written beside, in
/// brackets after the title: the name is the first or the last word, the others are a
/// company, a brand or a post.
fn name_with_affiliation(s: &str) -> Option<&str> {
    // `叶正盛-ADC`, `唯品会_方斌+黄梦娜`: a dash or `_` between them too.
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect();
    if !(2..=3).contains(&words.len()) {
        return None;
    }
    let is_name = |w: &str| {
        (cjk_name(w) == Some(true) && !is_company_or_track(w))
            || (w.contains(['+', '&', '、']) && person_names(w).is_some_and(|n| n.len() >= 2))
    };
    let name = [words[0], words[words.len() - 1]]
        .into_iter()
        .find(|w| is_name(w))?;
    let others_ok = words.iter().filter(|w| **w != name).all(|w| {
        let short_han = (2..=5).contains(&w.chars().count()) && w.chars().all(is_han);
        !is_name(w) && (is_company_or_track(w) || is_post(w) || looks_like_brand(w) || short_han)
    });
    others_ok.then_some(name)
}

/// Split a word at glued boundaries: `19日下2廖雪梅` → `19日下2` (session) + `廖雪梅`;
/// `keshangchuan周大江`; `3AWS18_DevDay`; `任庆杰3`; `v1.7的副本`; `架构.v4`.
fn split_glued(word: &str, first: bool, last: bool) -> Vec<(String, Option<SegmentClass>)> {
    use SegmentClass as C;
    let mut out = Vec::new();
    let mut rest = word;
    if is_status_word(word, true) || is_copy_marker(word) {
        return vec![(word.to_string(), None)];
    }
    // `探探云平台建设实践gocn`: an event's name glued after a Han title.
    let latin_tail = word.len()
        - word
            .trim_end_matches(|c: char| c.is_ascii_alphanumeric())
            .len();
    if latin_tail >= 3 && latin_tail < word.len() {
        let (head, tail) = word.split_at(word.len() - latin_tail);
        // `…开发指南withComments`: or a state of the file.
        let class = if is_event_name(tail) {
            Some(C::Event)
        } else if is_status_word(tail, true) {
            Some(C::StatusWord)
        } else {
            None
        };
        if let Some(class) = class.filter(|_| head.ends_with(is_han) && head.chars().count() >= 4) {
            let mut out = split_glued(head, first, false);
            out.push((tail.to_string(), Some(class)));
            return out;
        }
    }
    // `任庆盛&罗根Flink`: speakers joined by `&`, glued before the talk's Latin words.
    if let Some(at) = word.find(|c: char| c.is_ascii_alphabetic()) {
        let (names, rest) = word.split_at(at);
        let speakers = names.contains(['&', '＆'])
            && person_names(names)
                .is_some_and(|n| n.len() >= 2 && n.iter().all(|x| cjk_name(x) == Some(true)));
        if speakers && rest.len() >= 3 {
            let mut out = vec![(names.to_string(), Some(C::Person))];
            out.extend(split_glued(rest, false, last));
            return out;
        }
    }
    // `01陈波`: the talk's running number glued to its speaker, as the first field.
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    if first && (1..=2).contains(&digits) && cjk_name(&word[digits..]) == Some(true) {
        return vec![
            (word[..digits].to_string(), Some(C::Ordinal)),
            (word[digits..].to_string(), Some(C::Person)),
        ];
    }
    // Leading parts, repeatedly.
    loop {
        let starts_han = |s: &str| s.chars().next().is_some_and(is_han);
        let n = session_prefix_len(rest);
        // `19日下2廖雪梅`, and a code glued to the event after it: `19日下1QCon上海2018`.
        // `25日NO.7`: a day and the talk's number in the series.
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if (1..=2).contains(&digits)
            && rest[digits..].starts_with('日')
            && is_series_number(&rest[digits + '日'.len_utf8()..])
        {
            out.push((rest.to_string(), Some(C::SessionCode)));
            return out;
        }
        if n > 0
            && n < rest.len()
            && (starts_han(&rest[n..])
                || event_prefix_len(&rest[n..]).is_some()
                || is_series_number(&rest[n..]))
        {
            out.push((rest[..n].to_string(), Some(C::SessionCode)));
            rest = &rest[n..];
            continue;
        }
        if let Some(n) = glued_leading_date_len(rest) {
            out.push((rest[..n].to_string(), Some(C::Date)));
            rest = &rest[n..];
            continue;
        }
        // A year glued before an event: `2020GOPS上海`.
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 4 && is_city_or_year(&rest[..4]) && event_prefix_len(&rest[4..]).is_some() {
            out.push((rest[..4].to_string(), Some(C::Date)));
            rest = &rest[4..];
            continue;
        }
        // A kind of session or an event before a colon (`主题演讲：技术驱动的…`, `Keynote:`).
        if let Some((head, after)) = rest.split_once(['：', ':']) {
            // `第06次讨论：指令选择`: a meeting of a series, too.
            let class = if is_session_word(head, first) || is_series_number(head) {
                Some(C::SessionCode)
            } else if is_event_name(head) {
                Some(C::Event)
            } else {
                None
            };
            if let Some(class) = class.filter(|_| !head.is_empty()) {
                out.push((head.to_string(), Some(class)));
                rest = after;
                if rest.is_empty() {
                    break;
                }
                continue;
            }
        }
        // A running number written `2.` before the title (`2.基于…`) or before a time slot
        // (`6.1450-1530`); `3.5 years` is a number. Three levels glued to the title too
        // (`1.1.3Operator…`), not two (`2.0架构` is a version).
        if first && out.is_empty() {
            let n = section_prefix_len(rest);
            let levels = section_levels(rest.get(..n).unwrap_or(""));
            if levels >= 3 && rest[n..].starts_with(|c: char| is_han(c) || c.is_alphabetic()) {
                out.push((rest[..n].to_string(), Some(C::Ordinal)));
                rest = &rest[n..];
                continue;
            }
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            // A whole section number (`2.2.3`) is judged with the word after it.
            if (1..=2).contains(&digits)
                && rest[digits..].starts_with('.')
                && section_levels(rest) < 2
            {
                let after = &rest[digits + 1..];
                let starts_word = after.starts_with(|c: char| is_han(c) || c.is_alphabetic());
                let slot = !after.is_empty() && session_prefix_len(after) == after.len();
                if starts_word || slot {
                    out.push((rest[..digits + 1].to_string(), Some(C::Ordinal)));
                    rest = after;
                    continue;
                }
            }
        }
        // `RustChinaConf2020-12.蒋金洋-《…》`: a talk's number glued to its speaker, in any field.
        if out.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if (1..=2).contains(&digits) && rest[digits..].starts_with('.') {
                let after = &rest[digits + 1..];
                if cjk_name(after) == Some(true) {
                    out.push((rest[..digits + 1].to_string(), Some(C::Ordinal)));
                    rest = after;
                    continue;
                }
                // `6.Justin`, `15.油条哥`, `31.Illia&孙元超`: after a talk's number, a whole
                // field of names or a nickname is the speaker.
                let speaker = cjk_name(after).is_some()
                    || person_names(after).is_some_and(|n| n.len() >= 2)
                    || (lexicon::is_given_name(after)
                        && after.starts_with(|c: char| c.is_ascii_uppercase()));
                if speaker && !first {
                    out.push((rest[..digits + 1].to_string(), Some(C::Ordinal)));
                    out.push((after.to_string(), Some(C::Person)));
                    return out;
                }
            }
        }
        if let Some(n) = glued_status_prefix_len(rest) {
            out.push((rest[..n].to_string(), Some(C::StatusWord)));
            rest = &rest[n..];
            continue;
        }
        if let Some(n) = event_prefix_len(rest) {
            if n < rest.len() {
                out.push((rest[..n].to_string(), Some(C::Event)));
                rest = &rest[n..];
                continue;
            }
        }
        // A running number glued to an event: `3AWS18_DevDay`.
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if first && out.is_empty() && (1..=2).contains(&digits) {
            if let Some(n) = event_prefix_len(&rest[digits..]) {
                if n > 0 {
                    out.push((rest[..digits].to_string(), Some(C::Ordinal)));
                    rest = &rest[digits..];
                    continue;
                }
            }
        }
        break;
    }
    // Trailing parts.
    let mut tail = Vec::new();
    // `…+2的副本`: a copy's number with its marker, the whole word.
    if rest
        .strip_suffix("的副本")
        .is_some_and(|n| (1..=2).contains(&n.len()) && all_digits(n))
    {
        tail.push((rest.to_string(), Some(C::Version)));
        rest = "";
    }
    loop {
        if let Some(head) = rest
            .strip_suffix("的副本")
            .or_else(|| rest.strip_suffix("副本"))
            .filter(|h| !h.is_empty())
        {
            tail.push((rest[head.len()..].to_string(), Some(C::Version)));
            rest = head;
            continue;
        }
        // `GraphQL at Scale.final`: a status word after a full stop.
        if let Some(dot) = rest.rfind('.') {
            if dot > 0 && is_status_word(&rest[dot + 1..], true) {
                tail.push((rest[dot + 1..].to_string(), Some(C::StatusWord)));
                rest = &rest[..dot];
                continue;
            }
        }
        if let Some(dot) = rest.rfind(".v").or_else(|| rest.rfind(".V")) {
            if dot > 0 && is_version(&rest[dot + 1..]) {
                tail.push((rest[dot..].to_string(), Some(C::Version)));
                rest = &rest[..dot];
                continue;
            }
        }
        // A version glued to Han text: `吴穹v2`, `架构V1.2`.
        if let Some(v) = rest.rfind(['v', 'V']) {
            let before = rest[..v].chars().next_back();
            if before.is_some_and(is_han) && is_version(&rest[v..]) {
                tail.push((rest[v..].to_string(), Some(C::Version)));
                rest = &rest[..v];
                continue;
            }
        }
        if let Some(n) = glued_trailing_date_len(rest) {
            let cut = rest.len() - n;
            tail.push((rest[cut..].to_string(), Some(C::Date)));
            rest = &rest[..cut];
            continue;
        }
        if let Some(n) = glued_status_suffix_len(rest) {
            let cut = rest.len() - n;
            tail.push((rest[cut..].to_string(), Some(C::StatusWord)));
            rest = &rest[..cut];
            continue;
        }
        // A number glued to a name: `任庆杰3`.
        let digits = rest.bytes().rev().take_while(u8::is_ascii_digit).count();
        if (1..=2).contains(&digits) && digits < rest.len() {
            let head = &rest[..rest.len() - digits];
            if cjk_name(head) == Some(true) {
                tail.push((rest[head.len()..].to_string(), Some(C::Ordinal)));
                rest = head;
                continue;
            }
        }
        break;
    }
    if !rest.is_empty() {
        // A name glued to a Latin title: `王强ApacheRocketMQ事务消息`, or after it at the
        // very end: `…on RISCV陈嘉炜`.
        if let Some(n) = name_before_latin(rest) {
            out.push((rest[..n].to_string(), Some(C::Person)));
            out.push((rest[n..].to_string(), None));
        } else if let Some(n) = name_after_latin(rest).filter(|_| last) {
            out.push((rest[..n].to_string(), None));
            out.push((rest[n..].to_string(), Some(C::Person)));
        } else {
            out.push((rest.to_string(), None));
        }
    }
    out.extend(tail.into_iter().rev());
    out
}

/// `…on RISCV陈嘉炜`: a Han tail after a Latin word is a word (`Docker容器`) unless it is
/// exactly a certain 2–3 character name (listed surname, no word characters); only at the
/// very end of the text, where a speaker is written.
fn name_after_latin(s: &str) -> Option<usize> {
    let split = s.rfind(|c: char| c.is_ascii_alphanumeric())? + 1;
    let tail = &s[split..];
    let latin_len = s[..split]
        .chars()
        .rev()
        .take_while(char::is_ascii_alphanumeric)
        .count();
    (latin_len >= 2
        && (2..=3).contains(&tail.chars().count())
        && cjk_name(tail) == Some(true)
        && !lexicon::contains("company", tail))
    .then_some(split)
}

/// A date glued before Han text: `20181018分享`, `2018-10-19社区直播`, or a month and day
/// (`0729社区直播`) when what follows names an event, not a talk (`1024程序员节` stays).
fn glued_leading_date_len(s: &str) -> Option<usize> {
    let n = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '-' | '.' | '/')))
        .map(|(i, _)| i)?;
    let (head, rest) = s.split_at(n);
    // `20230608RSRG`: a compact date before Latin words too.
    if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        // `201008Introducing MLOps`: six digits only before a capitalised word.
        let capital = rest.starts_with(|c: char| c.is_ascii_uppercase());
        return (is_compact_date(head)
            && (head.len() == 8 || (head.len() == 6 && capital))
            && rest.len() >= 2)
            .then_some(n);
    }
    if !rest.starts_with(is_han) {
        return None;
    }
    // `2022-2023年度技术总结`: a span of years before Han words is the title's.
    let span = head
        .split_once('-')
        .is_some_and(|(a, b)| is_year(a) && is_year(b));
    if (is_date(head) && head.contains(['-', '/']) && !span) || is_compact_date(head) {
        return Some(n);
    }
    let month_day =
        head.len() == 4 && all_digits(head) && is_date(&format!("{}-{}", &head[..2], &head[2..]));
    (month_day && is_event_name(rest)).then_some(n)
}

/// `王强ApacheRocketMQ…`: a certain 2–3 character name followed by a capitalised Latin word
/// of at least 4 characters.
fn name_before_latin(s: &str) -> Option<usize> {
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let head = &s[..split];
    let tail = &s[split..];
    let latin_len = tail.chars().take_while(char::is_ascii_alphanumeric).count();
    (split > 0
        && head.chars().count() <= 3
        && tail.starts_with(|c: char| c.is_ascii_uppercase())
        && latin_len >= 4
        && cjk_name(head) == Some(true))
    .then_some(split)
}

// ---------------------------------------------------------------------------------------------
// Recognisers

fn is_status_word(s: &str, edge: bool) -> bool {
    // A revision number after a Han status word is part of it: `修订版2`.
    let s = s.trim();
    let s = match s.trim_end_matches(|c: char| c.is_ascii_digit()) {
        head if head.ends_with(is_han) && head.len() + 2 >= s.len() => head,
        _ => s,
    };
    lexicon::contains("status", s) || (!edge && lexicon::contains("weak-status", s))
}

/// A status word glued before more text: a Latin one before Han (`keshangchuan周大江`) or a
/// Han one of three or more characters (`最终版王强`).
fn glued_status_prefix_len(s: &str) -> Option<usize> {
    // `副本如何用CLup管理PolarDB`: a copy's name before a title.
    if s.starts_with("副本") && s.chars().count() >= 6 {
        return Some("副本".len());
    }
    let mut best: Option<usize> = None;
    for w in lexicon::words("status") {
        let Some(head) = s.get(..w.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(w) || s.len() == w.len() {
            continue;
        }
        let rest = &s[w.len()..];
        let latin = w.is_ascii();
        let ok = if latin {
            rest.starts_with(is_han)
        } else {
            w.chars().count() >= 3
        };
        if ok && best.is_none_or(|b| w.len() > b) {
            best = Some(w.len());
        }
    }
    best
}

/// A Han status word of three or more characters glued after the text (`…修改后发布`).
/// Two-character ones (`终版`) only after two or three Han characters, a listed company or a
/// Latin brand, a company's name (`满帮终版`, `PingCAP终版`): after a longer text they may end
/// a phrase (`从草稿到终稿`).
fn glued_status_suffix_len(s: &str) -> Option<usize> {
    let long = lexicon::words("status")
        .iter()
        .filter(|w| !w.is_ascii() && w.chars().count() >= 3)
        .filter(|w| s.len() > w.len() && s.ends_with(*w))
        .map(|w| w.len())
        .max();
    long.or_else(|| {
        lexicon::words("status-glued")
            .iter()
            .filter(|w| s.len() > w.len() && s.ends_with(*w))
            .find(|w| {
                let head = &s[..s.len() - w.len()];
                let n = head.chars().count();
                // `PingCAP终版`: one Latin word with a capital, a brand's shape.
                let brand = looks_like_brand(head) && head.is_ascii();
                brand
                    || (head.chars().all(is_han)
                        && ((2..=3).contains(&n) || lexicon::contains("company", head)))
            })
            .map(|w| w.len())
    })
}

/// `北京`, `2018`, `北京2018`: what may follow a conference's name.
fn is_city_or_year(s: &str) -> bool {
    let lower = s.to_lowercase();
    // `上海站`: a touring event's stop.
    let lower = match lower.strip_suffix('站') {
        Some(city) if lexicon::contains("city", city) => city.to_string(),
        _ => lower,
    };
    // `PyCon US`, `KubeCon EU 2020 Virtual`: a region or an edition, only after the event.
    if lexicon::contains("region", &lower) {
        return true;
    }
    let rest = lexicon::words("city")
        .iter()
        .find_map(|c| lower.strip_prefix(c))
        .unwrap_or(&lower);
    let rest = rest.strip_prefix(['_', ' ']).unwrap_or(rest);
    (rest.is_empty() && rest.len() < lower.len())
        || (all_digits(rest) && (rest.len() == 2 || is_year(rest)))
}

/// The byte length of a conference name at the start of `s`, if one is there.
fn event_prefix_len(s: &str) -> Option<usize> {
    // Offsets into the lowercase text must hold in the text as written: every character keeps
    // its byte length (`İ` grows and `ẞ` shrinks, which a total length would not show).
    let same_lengths = s
        .chars()
        .all(|c| c.to_lowercase().map(char::len_utf8).sum::<usize>() == c.len_utf8());
    if !same_lengths {
        return None;
    }
    let lower = s.to_lowercase();
    // The longest brand: `rustconf`, not `rustcon` and a stray `f`.
    let brand_at = |at: usize| {
        lexicon::words("event")
            .iter()
            .filter(|b| lower[at..].starts_with(*b))
            .map(|b| at + b.len())
            .max()
    };
    let mut end = brand_at(0).or_else(|| {
        // `aws18_`: a short Latin prefix with an optional year and `_` before the brand.
        let letters = lower.bytes().take_while(u8::is_ascii_alphabetic).count();
        if !(1..=6).contains(&letters) {
            return None;
        }
        let digits = lower[letters..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        // An organiser's short name in capitals or with its year (`AWS18_`), not a lowercase
        // word of the talk (`cmake_boostcon2010`).
        let capitals = s[..letters].bytes().all(|b| b.is_ascii_uppercase());
        if digits == 0 && !capitals {
            return None;
        }
        let mut at = letters + digits;
        if lower[at..].starts_with(['_', ' ']) {
            at += 1;
        }
        brand_at(at)
    })?;
    // The brand must end a Latin word (`qcon` but not `qconx`).
    if lower[end..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        if let Some(city) = lexicon::words("city")
            .iter()
            .find(|c| lower[end..].starts_with(*c))
        {
            end += city.len();
        } else {
            return None;
        }
    }
    let skip_space = |e: usize| {
        // `JSConf.Asia`: a full stop between the brand and its region too.
        let dot = lower[e..].starts_with('.')
            && lower[e + 1..].starts_with(|c: char| c.is_ascii_alphabetic());
        if lower[e..].starts_with(['_', ' ']) || dot {
            e + 1
        } else {
            e
        }
    };
    if let Some(city) = lexicon::words("city")
        .iter()
        .find(|c| lower[skip_space(end)..].starts_with(*c))
    {
        end = skip_space(end) + city.len();
    }
    // `GOPS全球运维大会2022上海站`: the brand's Han name up to its ending (`大会`, `峰会`).
    if lower[..end].ends_with(|c: char| c.is_ascii_alphanumeric() || is_han(c)) {
        let han: Vec<(usize, char)> = lower[end..]
            .char_indices()
            .take_while(|&(_, c)| is_han(c))
            .take(10)
            .collect();
        let run = han.last().map_or(0, |&(i, c)| i + c.len_utf8());
        let named = (2..=han.len()).rev().find_map(|n| {
            let stop = han.get(n).map_or(run, |&(i, _)| i);
            let word = &lower[end..end + stop];
            lexicon::words("event-suffix")
                .iter()
                .any(|suffix| !suffix.is_ascii() && word.ends_with(suffix) && word != *suffix)
                .then_some(stop)
        });
        if let Some(stop) = named {
            end += stop;
        }
    }
    let at = skip_space(end);
    // The event's day after it: `cppnow_05-16-2017`, `QCon 2018-10-19`.
    if at < lower.len() && lower[at..].contains(['-', '.', '/']) && is_date(&lower[at..]) {
        return Some(lower.len());
    }
    let digits = lower[at..].bytes().take_while(u8::is_ascii_digit).count();
    if digits == 2 || digits == 4 {
        end = at + digits;
        if let Some(city) = lexicon::words("city")
            .iter()
            .find(|c| lower[end..].starts_with(*c))
        {
            end += city.len();
        }
    }
    if lower[end..].starts_with("大会") {
        end += "大会".len();
    }
    // A touring event's stop: `GOPS2018上海站`.
    if lower[..end].ends_with(|c: char| is_han(c)) && lower[end..].starts_with('站') {
        end += '站'.len_utf8();
    }
    Some(end)
}

/// A timestamp a tool appended (`20230605111720`, `201806051117`): a compact date and more
/// digits of time.
fn is_timestamp(s: &str) -> bool {
    all_digits(s) && (10..=14).contains(&s.len()) && s.get(..8).is_some_and(is_compact_date)
}

/// `GOTO 2019`, `NDC 2020`: a name in capitals with its year, as a field of its own after the
/// first (first, `AI 2030 …` may open a title).
fn is_capitals_and_year(s: &str) -> bool {
    s.rsplit_once([' ', '_']).is_some_and(|(name, year)| {
        (2..=8).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_uppercase())
            && year.len() == 4
            && is_city_or_year(year)
    })
}

/// A day with a four-digit year (`2018-10-19`, `2018.10.19`, `20181019`, `2018年10月19日`):
/// never a number of a phrase, unlike `3.5`.
fn is_dated_day(s: &str) -> bool {
    let has_year = s.bytes().take_while(u8::is_ascii_digit).count() >= 4
        || s.bytes().rev().take_while(u8::is_ascii_digit).count() == 4;
    has_year && is_date(s) && (s.len() >= 8 || s.contains('年'))
}

/// `2018-10`, `2019.03`, `2020/11`: a four-digit year, a separator and a month.
fn is_year_and_month(s: &str) -> bool {
    // `2021.1`, `2023.2` are versions: with a full stop, only a two-digit month is one.
    s.split_once(['-', '.', '/']).is_some_and(|(year, month)| {
        is_year(year) && !month.contains(['-', '.', '/']) && (month.len() == 2 || !s.contains('.'))
    }) && is_date(s)
}

/// A kind of session (`Keynote`), a day, track or room in Latin (`Day2`, `Track1`, `Room3`),
/// or, first in the name, a session's code of a capital and a number (`A1`, `Q11`, `T3-03`):
/// none names the talk.
fn is_session_word(s: &str, first: bool) -> bool {
    if lexicon::contains("session", s) {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    // `Day2`, `Day 2`, `Track A`, `Room 3`.
    // `Week 3.`, `Lecture 2`: a course's week or lecture, numbered.
    let numbered = ["day", "track", "room", "hall", "session", "week", "lecture"]
        .iter()
        .find_map(|p| lower.strip_prefix(p).map(|n| (*p, n)))
        .is_some_and(|(kind, n)| {
            let spaced = n.strip_prefix(' ');
            let n = spaced.unwrap_or(n);
            let n = n.strip_suffix('.').unwrap_or(n);
            // `Track A`, `Room b`: a letter names a track or a room, not a week.
            let lettered = !matches!(kind, "week" | "lecture")
                && spaced.is_some()
                && n.len() == 1
                && n.bytes().all(|b| b.is_ascii_lowercase());
            ((1..=2).contains(&n.len()) && all_digits(n)) || lettered
        });
    let code = || {
        let mut chars = s.chars();
        let capital = chars.next().is_some_and(|c| c.is_ascii_uppercase());
        let rest = chars.as_str();
        let (a, b) = rest.split_once('-').unwrap_or((rest, "1"));
        capital
            && (1..=2).contains(&a.len())
            && all_digits(a)
            && (1..=2).contains(&b.len())
            && all_digits(b)
    };
    // `WPC018`, `DB01`, `DEV023`: a track's letters and a zero-padded number, as a programme
    // numbers its talks (`JDK17`, `COVID19` are no codes: no leading zero).
    let padded = || {
        let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
        let digits = &s[letters..];
        (2..=4).contains(&letters)
            && (2..=3).contains(&digits.len())
            && digits.starts_with('0')
            && all_digits(digits)
    };
    // `30 Minutes`, `45min`: the slot's length.
    let minutes = || {
        let digits = lower.bytes().take_while(u8::is_ascii_digit).count();
        let unit = lower[digits..].trim_start();
        (1..=3).contains(&digits) && matches!(unit, "min" | "mins" | "minutes" | "分钟")
    };
    // `3주차`, `2회차`, `5강`: a Korean course's week, session or lecture.
    let korean_week = || {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        (1..=2).contains(&digits) && matches!(&s[digits..], "주차" | "회차" | "강" | "주")
    };
    numbered || (first && (code() || padded())) || minutes() || korean_week()
}

/// The number of an issue of a series: `#3`, `No.134`, `no 7`, `第12期`, `第三届`, `EP05`.
fn is_series_number(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let numbered = ["#", "no.", "no ", "ep", "vol."]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
        .is_some_and(|n| (1..=4).contains(&n.len()) && all_digits(n));
    let han = s
        .strip_prefix('第')
        // `第二周分享`, `第3次组会`: the week's or the meeting's talk of a reading group.
        .map(|r| {
            ["分享", "报告", "讲座", "组会", "例会", "讨论"]
                .iter()
                .find_map(|w| r.strip_suffix(w))
                .unwrap_or(r)
        })
        // `第2章`, `第9讲`: a chapter or a lecture of a course, too.
        .and_then(|r| r.strip_suffix(['期', '届', '季', '章', '讲', '课', '节', '周', '次', '回']))
        .is_some_and(|n| {
            !n.is_empty()
                && n.chars().count() <= 4
                && n.chars().all(|c| c.is_ascii_digit() || is_cjk_number(c))
        });
    // `议题3`, `话题 2`: a talk's number in a programme.
    let topic = ["议题", "话题"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .map(str::trim)
        .is_some_and(|n| {
            (1..=2).contains(&n.chars().count())
                && n.chars().all(|c| c.is_ascii_digit() || is_cjk_number(c))
        });
    numbered || han || topic
}

/// `@evanyou` → `evanyou`: a speaker's handle.
fn handle_name(s: &str) -> Option<&str> {
    let name = s.strip_prefix(['@', '＠'])?;
    ((2..=39).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    .then_some(name)
}

/// `v2`, `V1.2`, `v3.0.1`, `.v4`.
fn is_version(s: &str) -> bool {
    let s = s.strip_prefix('.').unwrap_or(s);
    // A revision: `r2`, `rev7`, `Rev2` (`R2` may be a product).
    if let Some(n) = s
        .strip_prefix("rev")
        .or_else(|| s.strip_prefix("Rev"))
        .or_else(|| s.strip_prefix('r'))
    {
        return (1..=2).contains(&n.len()) && all_digits(n);
    }
    let Some(rest) = s.strip_prefix(['v', 'V']) else {
        return false;
    };
    !rest.is_empty()
        && rest
            .split('.')
            .all(|part| !part.is_empty() && part.len() <= 3 && all_digits(part))
}

/// `的副本`, `副本`, `副本2`, `copy`.
/// A version and a Latin status word written as one (`v3final`, `finalv2`, `V2_final`).
fn is_version_and_status(s: &str) -> bool {
    lexicon::words("status")
        .iter()
        .chain(lexicon::words("weak-status"))
        .filter(|w| w.is_ascii() && !w.contains(' '))
        .any(|w| {
            let head = strip_suffix_ignore_case(s, w).map(|h| h.trim_end_matches(['_', '-']));
            let tail = s
                .get(..w.len())
                .filter(|h| h.eq_ignore_ascii_case(w))
                .map(|_| s[w.len()..].trim_start_matches(['_', '-']));
            head.or(tail)
                .is_some_and(|v| !v.is_empty() && is_version(v))
        })
}

fn is_copy_marker(s: &str) -> bool {
    let s = s.trim();
    let base = s.trim_end_matches(|c: char| c.is_ascii_digit());
    matches!(base, "的副本" | "副本" | "拷贝") || base.eq_ignore_ascii_case("copy")
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A running number: one to three digits (`2`, `01`).
fn is_ordinal(s: &str) -> bool {
    // `0x2_async-programming`: a number in hexadecimal, as hackers count.
    let hex = s
        .strip_prefix("0x")
        .is_some_and(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_hexdigit()));
    ((1..=3).contains(&s.len()) && all_digits(s)) || hex
}

/// The byte length of `1`, `2.4`, `1.1.3` at the start of `s`: numbers of one or two digits
/// joined by `.`.
fn section_prefix_len(s: &str) -> usize {
    let mut end = 0;
    let mut at = 0;
    loop {
        let digits = s[at..].bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=2).contains(&digits) {
            return end;
        }
        end = at + digits;
        if !s[end..].starts_with('.') {
            return end;
        }
        at = end + 1;
    }
}

/// How many levels a section number `2.4` (2) or `1.1.3` (3) has; 0 if `s` is not one.
fn section_levels(s: &str) -> usize {
    if s.is_empty() || section_prefix_len(s) != s.len() {
        return 0;
    }
    s.split('.').count()
}

/// `4.17`, `10-18`, `2018.4.17`, `2018-10-19`, `2018-10` (a month), `05-16-2017`, `30.3.2017`,
/// `10月19日`, `2018年10月`, `20181018`, `Oct 2018`: a day or a month, never a version (`2.0`,
/// `3.12.1`), since every part must be a real month, day or year.
fn is_date(s: &str) -> bool {
    let s = s.trim();
    let parts: Vec<&str> = s.split(['.', '-', '/']).collect();
    if parts.iter().all(|p| all_digits(p)) {
        let num = |p: &str| p.parse::<u32>().unwrap_or(0);
        let month = |p: &str| p.len() <= 2 && (1..=12).contains(&num(p));
        let day = |p: &str| p.len() <= 2 && (1..=31).contains(&num(p));
        // Dates of decks: years from 1990 (`is_year` takes 19xx for a phrase's year too).
        let year = |p: &str| is_year(p) && num(p) >= 1990;
        let ok = match parts.as_slice() {
            [one] => is_compact_date(one),
            // `2022-2023`: a span of years, as a season or an award names itself.
            [m, d] => {
                (month(m) && day(d))
                    || (year(m) && month(d))
                    || (is_year(m) && is_year(d) && num(d) > num(m) && num(d) - num(m) <= 5)
            }
            // Year first, or a month or a day first (`05-16-2017`, `30.3.2017`) then the year.
            [a, b, c] => {
                (year(a) && month(b) && day(c))
                    || (month(a) && day(b) && year(c))
                    || (day(a) && month(b) && year(c))
            }
            _ => false,
        };
        if ok {
            return true;
        }
    }
    let chars: Vec<char> = s.chars().collect();
    let n = session_date_atom(&chars);
    (n > 0 && n == chars.len()) || is_han_date(s) || is_month_name_date(s) || is_season(s)
}

/// `2020秋`, `2021年春季`, `2019秋季学期`: a year's season or term, as courses and seminars
/// date their meetings.
fn is_season(s: &str) -> bool {
    let rest = s.get(..4).filter(|y| is_year(y)).map(|_| &s[4..]);
    rest.map(|r| r.strip_prefix('年').unwrap_or(r))
        .and_then(|r| r.strip_prefix(['春', '夏', '秋', '冬']))
        .is_some_and(|r| matches!(r, "" | "季" | "季学期" | "学期"))
}

/// `20181018` (year, month, day) or `201810` (year, month), as file names write them.
fn is_compact_date(s: &str) -> bool {
    if !all_digits(s) || !matches!(s.len(), 6 | 8) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let year_ok = num(0..4).is_some_and(|y| (1990..=2099).contains(&y));
    let month_ok = num(4..6).is_some_and(|m| (1..=12).contains(&m));
    let day_ok = s.len() == 6 || num(6..8).is_some_and(|d| (1..=31).contains(&d));
    // `241029`, `250529`: a two-digit year of this century, month and day.
    let short_year = s.len() == 6
        && num(0..2).is_some_and(|y| (10..=39).contains(&y))
        && num(2..4).is_some_and(|m| (1..=12).contains(&m))
        && num(4..6).is_some_and(|d| (1..=31).contains(&d));
    // `05092019`: month, day and year, as American names write them.
    let american = s.len() == 8
        && num(0..2).is_some_and(|m| (1..=12).contains(&m))
        && num(2..4).is_some_and(|d| (1..=31).contains(&d))
        && num(4..8).is_some_and(|y| (1990..=2099).contains(&y));
    (year_ok && month_ok && day_ok) || american || short_year
}

/// `2018年`, `2018年10月`, `10月`, `2018年10月19日`, `10月19日`.
fn is_han_date(s: &str) -> bool {
    let mut rest = s;
    let mut any = false;
    for (unit, max_len) in [('年', 4), ('月', 2), ('日', 2)] {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            continue;
        }
        if digits > max_len || !rest[digits..].starts_with(unit) {
            return false;
        }
        rest = &rest[digits + unit.len_utf8()..];
        any = true;
    }
    any && rest.is_empty()
}

const MONTHS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// How many of the last words (up to three) write a date with a month's name: `18th Sept
/// 2018`, `20 March 2018`, `Nov 2017`, `april 2019`, `Sept 18 2018`, `Dec15 2022`. A month
/// needs a day or a year beside it (alone, `May` is a word); 0 if they write none.
fn trailing_month_date_len(words: &[&str]) -> usize {
    let day = |w: &str| {
        let lower = w.to_ascii_lowercase();
        let digits = lower.bytes().take_while(u8::is_ascii_digit).count();
        let suffix = &lower[digits..];
        (1..=2).contains(&digits)
            && lower[..digits]
                .parse::<u32>()
                .is_ok_and(|d| (1..=31).contains(&d))
            && matches!(suffix, "" | "st" | "nd" | "rd" | "th")
    };
    let month = |w: &str| MONTHS.contains(&w.to_ascii_lowercase().as_str());
    // `Dec15`: a month's name glued to its day.
    let month_day = |w: &str| {
        let letters = w.bytes().take_while(u8::is_ascii_alphabetic).count();
        letters >= 3 && month(&w[..letters]) && day(&w[letters..])
    };
    for k in (1..=3.min(words.len())).rev() {
        let tail = &words[words.len() - k..];
        let months = tail.iter().filter(|w| month(w)).count();
        let glued = tail.iter().filter(|w| month_day(w)).count();
        let days = tail.iter().filter(|w| day(w)).count();
        let years = tail.iter().filter(|w| is_year(w)).count();
        let dated = months + glued == 1
            && days + glued <= 1
            && years <= 1
            && months + glued + days + years == k
            && k >= 2;
        if dated || (k == 1 && is_month_name_date(tail[0])) {
            return k;
        }
    }
    0
}

/// `Oct 2018`, `Oct-2018`, `2018 Oct`, `October2018`: a month only with a year beside it
/// (alone, `May` is a word).
fn is_month_name_date(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let letters: String = lower.chars().filter(char::is_ascii_alphabetic).collect();
    let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
    let others = lower
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/'));
    others
        && MONTHS.contains(&letters.as_str())
        && digits.len() == 4
        && digits
            .parse::<u32>()
            .is_ok_and(|y| (1990..=2099).contains(&y))
}

/// A date glued to the end of Han text (`…之路10-18`, `…实践2018-10-18`, `…分享20181018`),
/// as its byte length. Only forms no title ends with: a bare `2.0` or `3` stays.
fn glued_trailing_date_len(s: &str) -> Option<usize> {
    let start = s
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, '-' | '.' | '/' | '月' | '日'))
        .last()
        .map(|(i, _)| i)?;
    let before = s[..start].chars().next_back()?;
    if !is_han(before) {
        return None;
    }
    // The longest date suffix that starts at a digit.
    let tail = &s[start..];
    for (i, c) in tail.char_indices() {
        if !c.is_ascii_digit() {
            continue;
        }
        if i > 0 && tail[..i].ends_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let cand = &tail[i..];
        let dashed = cand.contains(['-', '/', '月']);
        let dotted_day = cand
            .rsplit_once('.')
            .is_some_and(|(_, d)| d.len() == 2 && !cand.contains('-'));
        if is_date(cand) && (dashed || dotted_day || is_compact_date(cand)) {
            return Some(s.len() - (start + i));
        }
        // `…GCC进展2023`, `…后端介绍2024`: a year glued after Han words, at the end of a title of
        // four characters or more, dates the talk (`展望2025` keeps it; a goal year, `碳中和2060`,
        // is no year: see `is_year`).
        let han_before = s[..start].chars().rev().take_while(|&c| is_han(c)).count();
        // Not an event's or a city's year (`QCon北京2018`), nor one a title is about
        // (`年度回顾2023`, `技术展望2025`, `开源之夏2023`).
        let head = &s[..start];
        let about_the_year = lexicon::words("year-topic")
            .iter()
            .any(|w| head.ends_with(w));
        let edition = about_the_year
            || is_event_name(head)
            || lexicon::words("city")
                .iter()
                .any(|c| !c.is_ascii() && head.ends_with(c));
        if i == 0 && is_year(cand) && han_before >= 2 && head.chars().count() >= 4 && !edition {
            return Some(4);
        }
        break;
    }
    None
}

fn digits_at(chars: &[char], at: usize) -> usize {
    chars[at.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

/// `10.19`, `10月19日`: month and day.
fn session_date_atom(c: &[char]) -> usize {
    let m = digits_at(c, 0);
    if !(1..=2).contains(&m) || !matches!(c.get(m), Some('.' | '月')) {
        return 0;
    }
    let d = digits_at(c, m + 1);
    if !(1..=2).contains(&d) {
        return 0;
    }
    // A real month and day: `2.0` is a version.
    let num = |from: usize, len: usize| -> u32 {
        c[from..from + len]
            .iter()
            .filter_map(|c| c.to_digit(10))
            .fold(0, |n, d| n * 10 + d)
    };
    if !(1..=12).contains(&num(0, m)) || !(1..=31).contains(&num(m + 1, d)) {
        return 0;
    }
    let mut n = m + 1 + d;
    if c.get(n) == Some(&'日') {
        n += 1;
    } else if c.get(m) == Some(&'月') {
        return 0;
    }
    if c.get(n).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
        return 0;
    }
    n
}

fn is_cjk_number(c: char) -> bool {
    "一二三四五六七八九十".contains(c) || c.is_ascii_digit()
}

/// One room, day or time code at the start of `c`, in characters.
fn session_atom(c: &[char]) -> usize {
    let date = session_date_atom(c);
    if date > 0 {
        return date;
    }
    // `am.3`, `pm4`: a morning or afternoon slot in English (a number is required: `am` alone
    // is a word).
    let lower: String = c.iter().take(2).collect::<String>().to_ascii_lowercase();
    if lower == "am" || lower == "pm" {
        let dot = usize::from(c.get(2) == Some(&'.'));
        let k = digits_at(c, 2 + dot).min(2);
        if k > 0
            && !c
                .get(2 + dot + k)
                .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            return 2 + dot + k;
        }
    }
    // `1450-1530`, `14:50-15:30`: a time slot.
    let time = |at: usize| {
        let h = digits_at(c, at);
        let hhmm: String = c
            .get(at..at + 4)
            .map(|d| d.iter().collect())
            .unwrap_or_default();
        let valid = |hhmm: &str| {
            let n = hhmm.parse::<u32>().unwrap_or(9999);
            n / 100 <= 23 && n % 100 <= 59
        };
        if h == 4 && valid(&hhmm) {
            Some(at + 4)
        } else if (1..=2).contains(&h)
            && c.get(at + h) == Some(&':')
            && digits_at(c, at + h + 1) == 2
        {
            Some(at + h + 3)
        } else {
            None
        }
    };
    // A talk's slot lasts 10 minutes to 4 hours, on 5-minute marks: `2018-2019` or
    // `2020-2025` are years.
    let minutes = |from: usize, to: usize| -> Option<u32> {
        let d: String = c[from..to].iter().filter(|c| c.is_ascii_digit()).collect();
        let n = d.parse::<u32>().ok()?;
        (n % 5 == 0).then_some(n / 100 * 60 + n % 100)
    };
    if let Some(mid) = time(0) {
        if matches!(c.get(mid), Some('-' | '~' | '–')) {
            if let Some(end) = time(mid + 1) {
                let span = minutes(0, mid)
                    .zip(minutes(mid + 1, end))
                    .and_then(|(a, b)| b.checked_sub(a));
                if span.is_some_and(|m| (10..=240).contains(&m))
                    && !c.get(end).is_some_and(char::is_ascii_digit)
                {
                    return end;
                }
            }
        }
    }
    // `19日上1`, `20上2`, `18下1`, `20日下1`: day, morning/afternoon, slot.
    let d = digits_at(c, 0);
    if (1..=2).contains(&d) {
        let mut n = d;
        if c.get(n) == Some(&'日') {
            n += 1;
        }
        if matches!(c.get(n), Some('上' | '下')) {
            n += 1;
            if c.get(n) == Some(&'午') {
                n += 1;
            }
            n += digits_at(c, n).min(2);
            return n;
        }
    }
    // `上午`, `下午第三场`, `第二场`.
    let mut n = 0;
    if matches!(c.first(), Some('上' | '下')) && c.get(1) == Some(&'午') {
        n = 2;
        let after = c.get(2);
        if !(after.is_none() || after == Some(&'第') || after.is_some_and(char::is_ascii_digit)) {
            return 0;
        }
        n += digits_at(c, n).min(2);
    }
    if c.get(n) == Some(&'第') {
        let k = c[n + 1..].iter().take_while(|&&c| is_cjk_number(c)).count();
        if k > 0 && matches!(c.get(n + 1 + k), Some('场' | '节')) {
            return n + k + 2;
        }
        return if n > 0 { n } else { 0 };
    }
    if n > 0 {
        return n;
    }
    // Rooms: `宴会厅2`, `宴会2`, `宴2`, `A会议室`, `3号厅`.
    let mut start = 0;
    if c.first().is_some_and(char::is_ascii_uppercase) {
        start = 1;
    }
    start += digits_at(c, start);
    if c.get(start) == Some(&'号') {
        start += 1;
    }
    let s: String = c[start..].iter().take(5).collect();
    for (room, needs_number) in [
        ("宴会厅", false),
        ("宴会", true),
        ("宴", true),
        ("会议室", false),
        ("分会场", false),
        ("主会场", false),
        ("多功能厅", false),
        ("厅", start > 0),
    ] {
        if s.starts_with(room) {
            let at = start + room.chars().count();
            let k = digits_at(c, at).min(2);
            if needs_number && k == 0 && start == 0 {
                continue;
            }
            // `分会场B`: a room's letter.
            let letter = k == 0
                && c.get(at).is_some_and(char::is_ascii_uppercase)
                && !c.get(at + 1).is_some_and(char::is_ascii_alphanumeric);
            return at + k + usize::from(letter);
        }
    }
    0
}

/// The byte length of room/day/time codes at the start of `s` (0: none).
fn session_prefix_len(s: &str) -> usize {
    let chars: Vec<char> = s.chars().collect();
    let mut at = 0;
    loop {
        let n = session_atom(&chars[at..]);
        if n == 0 {
            break;
        }
        at += n;
        if at >= chars.len() {
            break;
        }
    }
    chars[..at].iter().map(|c| c.len_utf8()).sum()
}

fn han_chars(s: &str) -> Option<Vec<char>> {
    let chars: Vec<char> = s.chars().filter(|&c| c != '·' && c != '•').collect();
    (!chars.is_empty() && chars.iter().all(|&c| is_han(c))).then_some(chars)
}

/// Whether `s` is a Chinese name: `Some(true)` certain (a known surname, 2–3 characters, or a
/// compound surname, 3–4), `Some(false)` possible (2–3 characters, no word characters),
/// `None` not a name.
fn cjk_name(s: &str) -> Option<bool> {
    if let Some(certain) = hangul_name(s) {
        return certain.then_some(true);
    }
    let chars = han_chars(s)?;
    // `简介`, `周会`: words that end or make a title, whatever their first character.
    if lexicon::contains("han-title-word", s) {
        return None;
    }
    let no_word_chars = |cs: &[char]| !cs.iter().any(|&c| lexicon::NON_NAME_CHARS.contains(c));
    // `阿沛·阿旺晋美`: a name written with a middle dot, parts of two characters or more;
    // `观·数据未来` is a slogan.
    if s.contains('·')
        && (3..=12).contains(&chars.len())
        && s.split('·').all(|part| part.chars().count() >= 2)
    {
        return Some(true);
    }
    let compound = lexicon::words("compound-surname")
        .iter()
        .any(|c| s.starts_with(c));
    if compound && (3..=4).contains(&chars.len()) && no_word_chars(&chars[2..]) {
        return Some(true);
    }
    if (2..=3).contains(&chars.len())
        && lexicon::SURNAMES.contains(chars[0])
        && no_word_chars(&chars[1..])
    {
        return Some(true);
    }
    if (2..=3).contains(&chars.len())
        && no_word_chars(&chars)
        && !chars
            .iter()
            .any(|&c| lexicon::WORD_OR_NAME_CHARS.contains(c))
    {
        return Some(false);
    }
    None
}

/// Korean surnames, the commonest, covering nearly all of the population; one syllable each.
const KOREAN_SURNAMES: &str = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉";

/// A Korean name in Hangul (`박제창`, `김명신`): `None` when `s` is not all Hangul syllables;
/// `Some(true)` for three syllables led by a listed surname, the shape of nearly every
/// Korean name; `Some(false)` otherwise (a word, or a rarer name).
fn hangul_name(s: &str) -> Option<bool> {
    let syllables: Vec<char> = s.chars().collect();
    if syllables.is_empty()
        || !syllables
            .iter()
            .all(|&c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
    {
        return None;
    }
    Some(syllables.len() == 3 && KOREAN_SURNAMES.contains(syllables[0]))
}

/// "Firstname Lastname" (two or three capitalised words, `_`, `+` or space between).
fn is_latin_name(s: &str) -> bool {
    let words: Vec<&str> = s.split([' ', '_']).filter(|w| !w.is_empty()).collect();
    // A surname in capitals after a given name (`Hang SU`), a pinyin syllable: `Flink CDC`
    // ends in an acronym.
    let caps_surname = |w: &str| {
        (2..=3).contains(&w.len())
            && w.bytes().all(|b| b.is_ascii_uppercase())
            && lexicon::contains("pinyin", w)
    };
    let n = words.len();
    // `Guido van Rossum`, `Ursula von der Leyen`: lowercase particles inside a name.
    let particle = |i: usize, w: &str| {
        i > 0
            && i + 1 < n
            && lexicon::contains("name-particle", w)
            && w.bytes().all(|b| b.is_ascii_lowercase())
    };
    let particles = words
        .iter()
        .enumerate()
        .filter(|&(i, w)| particle(i, w))
        .count();
    // `Quantum Error`, `Supply Chain`: common words all, and no listed given name first.
    let phrase = words.iter().all(|w| lexicon::is_english_word(w))
        && !lexicon::is_given_name(words.first().copied().unwrap_or_default());
    // `Mastering Bicep`, `Scaling Kafka`: a verb's form opens a talk, not a name.
    let first = words.first().copied().unwrap_or_default();
    let verb_first = is_english_verb_form(first) && !lexicon::is_given_name(first);
    !phrase
        && !verb_first
        && (2..=3).contains(&(n - particles))
        && words.iter().enumerate().all(|(i, &word)| {
            if particle(i, word) {
                return true;
            }
            // `YunHao Zhang`: a Chinese given name of two syllables, each capitalised.
            let pinyin_camel = camel_parts(word).is_some_and(|p| {
                p.len() == 2
                    && p.iter().all(|s| {
                        s[1..].bytes().all(|b| b.is_ascii_lowercase())
                            && lexicon::contains("pinyin", &s.to_ascii_lowercase())
                    })
            });
            if i == 0 && n == 2 && pinyin_camel {
                return true;
            }
            // `Graham-Cumming`, `Pierre-Yves`: each part of a hyphened name capitalised.
            word.split('-').all(|w| {
                // `Bryan C. Mills`: a middle initial.
                let initial = w.len() == 2
                    && w.ends_with('.')
                    && w.starts_with(|c: char| c.is_ascii_uppercase());
                if initial && i > 0 && i + 1 < n {
                    return true;
                }
                if i == n - 1 && i > 0 && caps_surname(w) {
                    return true;
                }
                // `McNellis`, `O'Dwyer`, `D'Angelo`: a prefix before the capital.
                let w = ["Mc", "Mac", "O'", "D'"]
                    .iter()
                    .find_map(|p| {
                        w.strip_prefix(p)
                            .filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
                    })
                    .unwrap_or(w);
                // Latin letters with accents too (`Léonie`, `Émile`, `Müller`).
                let accented =
                    |c: char| ('\u{C0}'..='\u{24F}').contains(&c) && c != '×' && c != '÷';
                let mut chars = w.chars();
                let first_upper = chars
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase() || (accented(c) && c.is_uppercase()));
                let rest: Vec<char> = chars.collect();
                first_upper
                && (1..=14).contains(&rest.len())
                && rest.iter().all(|&c| {
                    c.is_ascii_lowercase()
                        || (accented(c) && c.is_lowercase())
                        || c == '\''
                        || c == '-'
                })
                && !lexicon::contains("latin-not-name", w)
                // `Charity Majors`: a listed given name first, whatever its ending.
                && !(has_title_word_ending(w) && !(i == 0 && lexicon::is_given_name(w)))
            })
        })
}

/// `wanglei`, `lilinfeng`: a word that opens with one of the commonest surnames in pinyin
/// (`metadata` does not).
fn starts_with_pinyin_surname(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lexicon::words("pinyin-surname").iter().any(|p| {
        lower
            .strip_prefix(p)
            .is_some_and(|rest| rest.len() >= 3 && !rest.starts_with(['a', 'e', 'i', 'o', 'u']))
    })
}

/// `limengxuan`, `jianguichen`: a surname opens or closes the word (names are written in
/// either order).
fn pinyin_surname_at_an_end(s: &str) -> bool {
    starts_with_pinyin_surname(s) || ends_with_pinyin_surname(s)
}

/// `jianguichen`, `wangchen`: a word that closes with a surname in pinyin after a given name
/// of two letters or more.
fn ends_with_pinyin_surname(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lexicon::words("pinyin-surname")
        .iter()
        .any(|p| lower.strip_suffix(p).is_some_and(|rest| rest.len() >= 2))
}

/// A Chinese name in pinyin, as one word (`zhanghongbin`, `Panruizhe`): it splits wholly into
/// two to four syllables, none after the first a bare vowel (`an`, `e`), which English words
/// rarely do (`banana` does; `router`, `envoy`, `rekit` do not).
fn is_pinyin_name(s: &str) -> bool {
    pinyin_syllables(s).is_some_and(|n| (2..=4).contains(&n))
}

/// The fewest pinyin syllables `s` splits into wholly (none after the first a bare vowel),
/// if it does (see [`is_pinyin_name`]).
fn pinyin_syllables(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let first_upper_only = s.chars().skip(1).all(|c| c.is_ascii_lowercase());
    if !(4..=20).contains(&lower.len())
        || !first_upper_only
        || !lower.bytes().all(|b| b.is_ascii_lowercase())
    {
        return None;
    }
    let bytes = lower.as_bytes();
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'o');
    // counts[i]: the fewest syllables that make up lower[i..], if any do.
    let mut counts: Vec<Option<usize>> = vec![None; bytes.len() + 1];
    counts[bytes.len()] = Some(0);
    for i in (0..bytes.len()).rev() {
        for len in 1..=6 {
            let Some(syllable) = lower.get(i..i + len) else {
                break;
            };
            if i > 0 && vowel(bytes[i]) {
                break;
            }
            if !lexicon::contains("pinyin", syllable) {
                continue;
            }
            if let Some(rest) = counts[i + len] {
                let n = rest + 1;
                if counts[i].is_none_or(|c| n < c) {
                    counts[i] = Some(n);
                }
            }
        }
    }
    counts[0]
}

/// One Latin word that may be a login name (`jgiles`) or a product (`rekit`).
fn is_latin_word(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && (3..=16).contains(&s.len())
        && chars.all(|c| c.is_ascii_lowercase())
}

/// The names in a segment that is only names (`陈韦廷&范振`, `周涌杰`, `Neal_Ford`), with
/// certain Chinese names or Latin names; `None` if it is not that.
fn person_names(s: &str) -> Option<Vec<String>> {
    // `Jason Turner and Ben Deane`: `and` joins names as `&` does (each part is checked).
    let s = s.replace(" and ", "&");
    let parts: Vec<&str> = s
        .split(['&', '＆', '、', ',', '，', '/', '／', '+'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    let several = parts.len() > 1;
    let mut names = Vec::new();
    for &p in &parts {
        // `黑哥&swan`: beside a Han name, a lowercase handle.
        let handle = |p: &str| {
            (3..=16).contains(&p.len())
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        };
        let ok = match cjk_name(p) {
            Some(true) => true,
            Some(false) => several,
            None if several && handle(p) && parts.iter().any(|q| cjk_name(q).is_some()) => true,
            // `Illia&孙元超`, `Mike&Niko`: a capitalised word beside a Han name or a listed
            // given name.
            None if several
                && is_capitalised_word(p)
                && parts
                    .iter()
                    .any(|q| cjk_name(q) == Some(true) || lexicon::is_given_name(q)) =>
            {
                true
            }
            // `wangjifei, limengxuan`: pinyin names written as one word.
            None => several && (is_latin_name(p) || pinyin_syllables(p).is_some_and(|n| n >= 3)),
        };
        if !ok {
            return None;
        }
        names.push(display_name(p));
    }
    Some(names)
}

/// `Illia`, `Niko`: one capitalised Latin word of a name's length.
fn is_capitalised_word(s: &str) -> bool {
    (3..=12).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s[1..].bytes().all(|b| b.is_ascii_lowercase())
}

fn display_name(s: &str) -> String {
    s.split([' ', '_'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A listed company or product (`博云`, `VMware`), or a word with a company's or track's
/// ending (`龙智数码`, `AWS专场`).
fn is_company_or_track(s: &str) -> bool {
    let lower = s.to_lowercase();
    // `openEuler消息中间件专场`: a programme's special session, its track.
    let track = s.ends_with("专场") && (3..=16).contains(&s.chars().count()) && !s.contains(' ');
    track
        || lexicon::contains("company", s)
        || is_company_unit(s)
        || (s.chars().count() <= 12
            && !s.contains(' ')
            && lexicon::words("company-suffix")
                .iter()
                .any(|suffix| lower.ends_with(suffix) && lower.len() > suffix.len()))
        || is_organizer(s)
}

/// A listed Han company and one or two more Han characters naming its unit or business
/// (`腾讯游戏`, `滴滴出行`, `京东物流`), as a whole word: too short for a talk.
fn is_company_unit(s: &str) -> bool {
    let n = s.chars().count();
    s.chars().all(is_han)
        && lexicon::words("company").iter().any(|c| {
            let k = c.chars().count();
            !c.is_ascii() && k >= 2 && s.starts_with(c) && (k + 1..=k + 2).contains(&n)
        })
}

/// A community or team that organised the talk (`云原生社区`, `基础架构团队`): a short Han word
/// with such an ending; longer ones may be titles (`从开源到开源社区`).
fn is_organizer(s: &str) -> bool {
    let n = s.chars().count();
    n <= 6
        && s.chars().all(is_han)
        && lexicon::words("organizer-suffix")
            .iter()
            .any(|suffix| s.ends_with(suffix) && n > suffix.chars().count() + 1)
}

/// `Google GDE`, `阿里巴巴 技术专家`: a listed company and a post, written beside a speaker.
fn is_company_and_post(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=3).contains(&words.len())
        && is_post(words[words.len() - 1])
        && lexicon::contains("company", &words[..words.len() - 1].join(" "))
}

/// An event or a series by its ending: `成都Meetup`, `携程技术峰会`, `社区直播`,
/// `CppCon 2017`, `GopherCon`, `arch-meetup` — or a listed conference (`QCon北京2018`).
fn is_event_name(s: &str) -> bool {
    let s = s.trim();
    if collection::is_collection_word(s) {
        return true;
    }
    if s.is_empty() || s.chars().count() > 24 {
        return false;
    }
    if event_prefix_len(s) == Some(s.len()) {
        return true;
    }

    // A year or a city after the name belongs to it, in either order (`OSC源创会2019深圳`,
    // `Meetup 上海`, `技术沙龙 北京站`).
    let mut core = s;
    let (mut had_year, mut had_city) = (false, false);
    for _ in 0..2 {
        let year = core.bytes().rev().take_while(u8::is_ascii_digit).count();
        // `杭州meetup20221015`: the day of the meetup.
        let day = year == 8 && is_compact_date(&core[core.len() - 8..]);
        if (matches!(year, 2 | 4) || day) && year < core.len() {
            core = core[..core.len() - year].trim_end_matches([' ', '_', '-']);
            had_year |= year == 4 || day;
        }
        let stop = core.strip_suffix('站').unwrap_or(core);
        if let Some(head) = lexicon::words("city")
            .iter()
            .filter(|c| !c.is_ascii())
            .find_map(|c| stop.strip_suffix(c))
            .filter(|h| !h.trim().is_empty())
        {
            core = head.trim_end_matches([' ', '_', '-']);
            had_city = true;
        }
        // `Azure User Group Sweden`, `DevOpsDays Nordics`: a region after the name.
        if let Some((head, region)) = core.rsplit_once(' ') {
            if lexicon::contains("region", region) && region.len() > 3 && !head.trim().is_empty() {
                core = head.trim_end();
            }
        }
    }
    if core.split_whitespace().count() > 4 {
        return false;
    }
    // `FCC成都`, `gdg成都`: a community's letters and the city of its chapter; `运维上海2017`: a
    // short Han name with the city and year of its edition.
    let acronym = (2..=6).contains(&core.len())
        && (core.bytes().all(|b| b.is_ascii_uppercase())
            || core.bytes().all(|b| b.is_ascii_lowercase()))
        && !lexicon::is_english_word(core);
    let short_han = (2..=4).contains(&core.chars().count()) && core.chars().all(is_han);
    if had_city && (acronym || (short_han && had_year)) {
        return true;
    }
    // `GopherConKorea`, `RustConfChina`, `OpenStackSummitAustin`, `GopherConBR`: a place
    // written after the event's name as one more capitalised part.
    if !core.contains(' ') && core.is_ascii() {
        let place_at = core
            .char_indices()
            .skip(1)
            .filter(|&(_, c)| c.is_ascii_uppercase())
            .map(|(i, _)| i)
            .find(|&i| {
                let place = &core[i..];
                let capital_word =
                    place.len() >= 3 && place[1..].bytes().all(|b| b.is_ascii_lowercase());
                let region_code = place.len() == 2 && place.bytes().all(|b| b.is_ascii_uppercase());
                (capital_word || region_code)
                    && core[..i].ends_with(|c: char| c.is_ascii_alphabetic())
                    && [
                        "Con",
                        "Conf",
                        "Summit",
                        "Meetup",
                        "Camp",
                        "Days",
                        "Fest",
                        "UG",
                        "Ladies",
                        "StudyGroup",
                    ]
                    .iter()
                    .any(|k| core[..i].ends_with(k) && core[..i].len() > k.len())
            });
        if place_at.is_some() {
            return true;
        }
    }
    // `AWSKRUG`, `RTPSUG`, `DevUG`: a user group by its acronym (`UG`, after letters that are
    // no English word: `DEBUG`, `UNPLUG` are words).
    if core.len() >= 4
        && core.ends_with("UG")
        && core.bytes().all(|b| b.is_ascii_alphabetic())
        && core[..core.len() - 2]
            .bytes()
            .any(|b| b.is_ascii_uppercase())
        && !lexicon::is_english_word(core)
        && !matches!(
            core.to_ascii_lowercase().as_str(),
            "debug" | "unplug" | "bedbug" | "ladybug" | "shrug" | "humbug" | "earplug" | "firebug"
        )
    {
        return true;
    }
    // `ningjsconf`, `rustconf`, `pwlconf18`: no English word ends in `conf`.
    if core.len() > 5
        && core.ends_with("conf")
        && core
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        // Tools that end so.
        && !matches!(core, "autoconf" | "pkgconf" | "sysconf" | "resolvconf" | "kconf")
    {
        return true;
    }
    lexicon::words("event-suffix").iter().any(|suffix| {
        if !suffix.is_ascii() {
            // `极客时间 公开课`: two short words at most.
            let words: Vec<&str> = core.split_whitespace().collect();
            let short = words.len() <= 2 && words.iter().all(|w| w.chars().count() <= 8);
            return core.ends_with(suffix)
                && (!core.contains(' ') || short)
                && core.chars().count() <= 12;
        }
        let Some(head) = core
            .len()
            .checked_sub(suffix.len())
            .and_then(|at| core.get(..at))
        else {
            return false;
        };
        let tail = &core[head.len()..];
        let before = head.chars().next_back();
        // `StudyGroup`: a suffix with a capital inside marks its own start, as `Con` does.
        // (`User Group` is two words, the second's capital no start of a part.)
        let camel = suffix.len() > 4
            && !suffix.contains(' ')
            && suffix[1..].contains(|c: char| c.is_ascii_uppercase());
        if suffix.starts_with(|c: char| c.is_ascii_uppercase()) && (suffix.len() <= 4 || camel) {
            // `Con`, `Conf`: written with their capital after a name (`CppCon`, not `Falcon`).
            tail == *suffix && before.is_some_and(|c| c.is_alphanumeric())
        } else {
            // `Meetup`, `Summit`: a word of their own, or after Han (`成都Meetup`), after a name of
            // capitalised words (`Apache Kylin Meetup`, `CNCF Meetup`).
            let named = head.split_whitespace().all(|w| {
                w.starts_with(|c: char| c.is_ascii_uppercase() || is_han(c) || c.is_ascii_digit())
            });
            tail.eq_ignore_ascii_case(suffix)
                && before.is_none_or(|c| !c.is_ascii_lowercase())
                && (!head.trim().contains(' ') || named)
        }
    })
}

fn shape_of(core: &str) -> Shape {
    if cjk_name(core) == Some(false) {
        Shape::CjkName
    } else if is_latin_name(core) || {
        let words: Vec<&str> = core.split_whitespace().collect();
        // `jane smith`, `chen yu`: a name in lowercase.
        is_lowercase_given_name_pair(&words)
            || (words.len() == 2
                && words.iter().all(|w| lexicon::contains("pinyin", w))
                && is_pinyin_name(&words.concat()))
    } {
        Shape::LatinName
    } else if is_latin_word(core) {
        Shape::LatinWord
    } else {
        Shape::Plain
    }
}

// ---------------------------------------------------------------------------------------------
// Step 3: assembly

fn assemble(mut units: Vec<Unit>) -> TitleAnalysis {
    use SegmentClass as C;
    // `原生技术&内核 - 1 - 刘翔 - 浏览器内核…`: a programme's track, then the talk's slot in
    // it, each a field of its own, before the speaker and the talk.
    let slot =
        |u: &Unit| (1..=2).contains(&u.text.len()) && all_digits(&u.text) && u.bracket.is_none();
    let content_after = |from: usize| {
        units[from..]
            .iter()
            .filter(|u| matches!(u.class, C::Title | C::BracketedTitle | C::Person))
            .count()
    };
    if units.len() >= 4
        && units[0].class == C::Title
        && units[0].bracket.is_none()
        && (2..=10).contains(&units[0].text.chars().count())
        && !units[0].text.contains(['的', ':', '：'])
        && slot(&units[1])
        && content_after(2) >= 2
    {
        units[0].class = C::CompanyOrTrack;
    }
    // Title units joined inside a Latin word (`end-to-end`) are one. Where spaced dashes
    // separate the fields (`… - Practical Property-Based Testing - Lisa Park`), an unspaced
    // hyphen joins a compound word, even of capitalised parts.
    let spaced_dashes = units.iter().any(|u| {
        !u.tight
            && u.sep_before.starts_with(char::is_whitespace)
            && u.sep_before.ends_with(char::is_whitespace)
            && u.sep_before.contains(['-', '—', '–'])
    });
    // Whether a spaced dash follows the unit: a name is written last, never so.
    let spaced_after: Vec<bool> = (0..units.len())
        .map(|i| {
            units.get(i + 1).is_some_and(|n| {
                !n.tight
                    && n.sep_before.starts_with(char::is_whitespace)
                    && n.sep_before.contains(['-', '—', '–'])
            })
        })
        .collect();
    // `Zakai-asmjs`, `Bauman-Babel`: a name of just two fields.
    let two_fields = units.len() == 2;
    let mut merged: Vec<Unit> = Vec::new();
    for (at, mut u) in units.drain(..).enumerate() {
        let named_before = merged.iter().any(|m| m.class == C::Person);
        if let Some(last) = merged.last_mut() {
            let names = |u: &Unit| u.shape == Shape::LatinName;
            // `arch-meetup`: a word joined to an event by a hyphen is part of its name.
            // A named event stands alone (`Databend-RustConfChina2022`).
            let named_event = u
                .text
                .chars()
                .skip(1)
                .any(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
            if u.tight
                && u.class == C::Event
                && last.class == C::Title
                && !last.text.contains(' ')
                && !named_event
            {
                last.text = format!("{}-{}", last.text, u.text);
                last.class = C::Event;
                last.piece = u.piece;
                continue;
            }
            // `Broechler-GraphComputingAtScale`: a surname joined to a run-together title.
            // (One speakers' field: a second one is the talk's, `KatieMiller-CoderDecoder-…`.)
            // `DeVivo-HTTP2InErlang`: a surname nobody uses as a word, then one run-together
            // word, is the speaker and the talk.
            let surname_and_word = two_fields
                && at == 1
                && last.class == C::Title
                && u.class == C::Title
                && u.sep_before == "-"
                && bare_surname(&last.text)
                && !lexicon::is_given_name(&last.text)
                && u.text.len() >= 3
                && u.text.bytes().all(|b| b.is_ascii_alphanumeric())
                // Run together only: one capitalised word may be a product after a product
                // (`Unitils-Selenium`), a lowercase word a named idea or a tool's thing
                // (`Bayes-theorem`, `Gradle-plugins`). Nor what kind of talk a product's deck is
                // (`Dapr-intro`).
                && u.text.bytes().skip(1).any(|b| b.is_ascii_uppercase())
                && !is_listed_product(&u.text)
                && !lexicon::contains("tech-word", &u.text)
                && !lexicon::contains("talk-kind", &u.text);
            if u.tight
                && !named_before
                && last.class == C::Title
                && (surname_before_camel(&last.text, &u.text) || surname_and_word)
            {
                last.class = C::Person;
                // `BlochLee-JavaPuzzlers`: two surnames run together.
                last.names = match (camel_name(&last.text), two_surnames(&last.text)) {
                    (Some(name), _) => vec![name],
                    (None, Some(pair)) => pair,
                    (None, None) => vec![last.text.clone()],
                };
                u.tight = false;
                merged.push(u);
                continue;
            }
            if u.tight
                && last.class == C::Title
                && u.class == C::Title
                && u.piece == last.piece + 1
                && ((spaced_dashes && spaced_after[at])
                    // `Kubernetes at Airbnb-Melanie Cebula`: a name beside a phrase is not a word.
                    || !(names(&u) && (last.text.contains(' ') || last.text.contains(is_han)))
                        // `…处理器核GDS-zhanghongbin`: a name in pinyin after Han text.
                        && !(is_pinyin_name(&u.text) && last.text.contains(is_han))
                        && !(names(last) && (u.text.contains(' ') || u.text.contains(is_han))))
            {
                last.text = format!("{}-{}", last.text, u.text);
                last.shape = shape_of(&last.text);
                last.piece = u.piece;
                continue;
            }
        }
        merged.push(u);
    }
    let mut units = merged;

    // Words in round brackets inside the title (`服务网格（Service Mesh）的数据面`) belong to it,
    // and so does the text glued after them.
    let mut merged: Vec<Unit> = Vec::new();
    let mut open_aside = false;
    for u in units.drain(..) {
        if let Some(last) = merged.last_mut() {
            let aside = u.glued
                && u.class == C::Title
                && last.class == C::Title
                && matches!(u.bracket, Some('(' | '（'));
            if aside {
                let (open, close) = if u.bracket == Some('(') {
                    ('(', ')')
                } else {
                    ('（', '）')
                };
                last.text = format!("{}{open}{}{close}", last.text, u.text);
                last.shape = Shape::Plain;
                last.piece = u.piece;
                open_aside = true;
                continue;
            }
            if open_aside && u.glued && u.sep_before.is_empty() && u.class == C::Title {
                last.text.push_str(&u.text);
                last.piece = u.piece;
                continue;
            }
        }
        open_aside = false;
        merged.push(u);
    }
    let mut units = merged;

    // A date before anything of the talk is the session's (`10.19 宴会厅2`), after it a date.
    let mut content_seen = false;
    for u in &mut units {
        match u.class {
            C::Title | C::BracketedTitle | C::Person => content_seen = true,
            C::SessionCode if content_seen && is_date(&u.text) => u.class = C::Date,
            _ => {}
        }
    }

    // A short bracket glued to a name is a nickname: `周涌杰（矮鱼）`.
    let mut i = 1;
    while i < units.len() {
        // A company in brackets (`李昌昊（阶跃星辰）`) is not a nickname: nicknames are short.
        // A Latin word there is an affiliation too (`郑立（Dify）`): nicknames in such names are
        // Han (`矮鱼`).
        let han = units[i].text.chars().filter(|&c| is_han(c)).count();
        let nick = units[i].glued
            && matches!(units[i].bracket, Some('(' | '（'))
            && matches!(units[i].class, C::Title | C::Person)
            && units[i].text.chars().count() <= 8
            && (1..=3).contains(&han)
            && !is_post(&units[i].text)
            && units[i - 1].class == C::Person
            && units[i - 1].names.len() == 1;
        if nick {
            let (open, close) = if units[i].bracket == Some('(') {
                ('(', ')')
            } else {
                ('（', '）')
            };
            let nick = format!("{open}{}{close}", units[i].text);
            let prev = &mut units[i - 1];
            prev.text.push_str(&nick);
            prev.names[0].push_str(&nick);
            units.remove(i);
            continue;
        }
        // Longer words in brackets glued to a name are the speaker's company or post
        // (`张浩（美团 技术专家）`), not the talk.
        let affiliation = units[i].glued
            && matches!(units[i].bracket, Some('(' | '（'))
            && matches!(units[i].class, C::Title | C::Person)
            && units[i - 1].class == C::Person;
        if affiliation {
            units[i].class = C::CompanyOrTrack;
        }
        i += 1;
    }

    // `…__eduardo_madrid__cppcon_2019`: in a `__` field of its own, a given name then a city's
    // name is a person whose surname is the city's.
    let capitalised = |w: &str| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    let mut i = 0;
    while i + 1 < units.len() {
        let given = matches!(units[i].class, C::Title | C::Person)
            && units[i].names.len() <= 1
            && units[i].sep_before.contains("__")
            && !units[i].text.contains(' ')
            // The world's given names in lowercase too: the field says where a name is.
            && units[i].text.is_ascii()
            && lexicon::is_given_name(&capitalised(&units[i].text));
        let city = units[i + 1].class == C::Event
            && units[i + 1].piece == units[i].piece
            && !units[i + 1].text.contains(' ')
            && lexicon::contains("city", &units[i + 1].text);
        let field_ends = units
            .get(i + 2)
            .is_none_or(|u| u.piece != units[i].piece || u.sep_before.contains("__"));
        if given && city && field_ends {
            let surname = units.remove(i + 1);
            units[i].text = format!("{} {}", units[i].text, surname.text);
            if units[i].class == C::Person {
                units[i].names = vec![units[i].text.clone()];
            }
        }
        i += 1;
    }

    // Speakers written where speakers go, beside a clearer title: names glued together
    // (`》范振陈韦廷`), and a lowercase name before the event (`…__mark_zeren__cppnow`).
    let longest_other = |units: &[Unit], i: usize| {
        units
            .iter()
            .enumerate()
            .filter(|&(j, u)| j != i && matches!(u.class, C::Title | C::BracketedTitle))
            .map(|(_, u)| u.text.chars().count())
            .max()
            .unwrap_or(0)
    };
    // From the end: a second speaker field makes the one before it a speaker's place too
    // (`…__barbara_geller__ansel_sermersheim__cppcon_2020`).
    for i in (0..units.len()).rev() {
        if units[i].class != C::Title || !matches!(units[i].shape, Shape::Plain | Shape::LatinName)
        {
            continue;
        }
        let longest = longest_other(&units, i);
        let n = units[i].text.chars().count();
        if longest > n && units[i].shape == Shape::Plain {
            if let Some(names) = glued_names(&units[i].text) {
                units[i].class = C::Person;
                units[i].names = names;
                continue;
            }
        }
        // Where `__` separates the fields, the last one before a version or a date is where
        // the speaker is written (`…__bryce_adelstein_lelbach__r2`).
        let fields = units[i].sep_before.contains("__");
        let next = units[i + 1..]
            .iter()
            .find(|u| !matches!(u.class, C::Date | C::Version | C::StatusWord));
        // `… - yang jianghua`: a pinyin surname and given name written last.
        let pinyin_pair = {
            let w: Vec<&str> = units[i].text.split_whitespace().collect();
            w.len() == 2
                && w.iter().all(|p| p.bytes().all(|b| b.is_ascii_lowercase()))
                && lexicon::contains("pinyin", w[0])
                && pinyin_syllables(w[1]).is_some_and(|c| c <= 2)
                && w[1].len() >= 4
        };
        if next.is_none() && pinyin_pair && !units[i].sep_before.is_empty() {
            units[i].class = C::Person;
            units[i].names = vec![units[i].text.clone()];
            continue;
        }
        let before_event = match next {
            Some(u) => {
                matches!(u.class, C::Event) || (u.class == C::Person && u.sep_before.contains("__"))
            }
            None => fields,
        };
        let title_before = units[..i]
            .iter()
            .any(|u| matches!(u.class, C::Title | C::BracketedTitle));
        if before_event && title_before {
            if let Some(names) = latin_names_loose(&units[i].text) {
                units[i].class = C::Person;
                units[i].names = names;
            }
        }
    }

    // A book's or a paper's name in `《…》` glued to words of the talk (`《SRE实践白皮书》解读`,
    // `深入解读《…》`) is part of the title, not the whole of it.
    let mut i = 0;
    while i < units.len() {
        let words_of_talk = |u: &Unit| {
            u.class == C::Title
                && u.bracket.is_none()
                && u.text.contains(is_han)
                && cjk_name(&u.text).is_none()
        };
        if units[i].class == C::BracketedTitle && units[i].bracket == Some('《') {
            let quoted = format!("《{}》", units[i].text);
            if units
                .get(i + 1)
                .is_some_and(|u| u.glued && u.sep_before.is_empty() && words_of_talk(u))
            {
                let next = units.remove(i + 1);
                units[i].text = format!("{quoted}{}", next.text);
                units[i].class = C::Title;
                units[i].shape = Shape::Plain;
                units[i].bracket = None;
                units[i].piece = next.piece;
            } else if i > 0
                && units[i].glued
                && units[i].sep_before.is_empty()
                && words_of_talk(&units[i - 1])
            {
                let this = units.remove(i);
                units[i - 1].text.push_str(&quoted);
                units[i - 1].piece = this.piece;
                continue;
            }
        }
        i += 1;
    }

    // A speaker's handle in brackets after the speaker (`贺师俊 (@hax)`) says nothing more; a
    // bracket after a Latin name that follows the title is the speaker's affiliation
    // (`… - Sam Li (Tsinghua University)`).
    for i in 1..units.len() {
        let bracketed = matches!(units[i].bracket, Some('(' | '（' | '[' | '【'));
        if !bracketed {
            continue;
        }
        let prev = &units[i - 1];
        let handle = units[i].class == C::Person && handle_name(&units[i].text).is_some();
        let after_speaker = prev.class == C::Person && handle;
        let after_name = prev.class == C::Title
            && prev.shape == Shape::LatinName
            && i + 1 == units.len()
            && units[..i - 1]
                .iter()
                .any(|u| u.class == C::Title && u.shape == Shape::Plain)
            && units[i].class == C::Title
            && units[i].text.split_whitespace().count() <= 4;
        if after_speaker || after_name {
            units[i].class = C::CompanyOrTrack;
        }
    }

    // The issue of a series before or after its name (`第12期Go夜读`, `美团技术沙龙第45期`)
    // names the series, not the talk.
    let issue_of_series = |u: &Unit| {
        let leading = u.text.starts_with('第')
            && u.text.char_indices().skip(1).any(|(at, c)| {
                matches!(c, '期' | '届' | '季') && is_series_number(&u.text[..at + c.len_utf8()])
            });
        let trailing = u
            .text
            .char_indices()
            .skip(1)
            .any(|(at, c)| c == '第' && is_series_number(&u.text[at..]));
        u.class == C::Title && u.text.chars().count() <= 16 && (leading || trailing)
    };
    let titles = units.iter().filter(|u| u.class == C::Title).count();
    if titles >= 2 {
        for u in &mut units {
            if issue_of_series(u) {
                u.class = C::Event;
            }
        }
    }

    let has_bracketed = units.iter().any(|u| u.class == C::BracketedTitle);
    let has_plain_title = units
        .iter()
        .any(|u| u.class == C::Title && u.shape == Shape::Plain);
    let clear_title = has_bracketed || has_plain_title;
    let has_person = units.iter().any(|u| u.class == C::Person);
    // Where the clear title is, and whether it is Chinese: Latin names beside an English title
    // are only taken when written as names (`Neal_Ford`, `jgiles - API …`).
    let clear =
        |u: &Unit| u.class == C::BracketedTitle || (u.class == C::Title && u.shape == Shape::Plain);
    let first_clear = units.iter().position(clear);
    let cjk_title = units
        .iter()
        .any(|u| clear(u) && (u.text.chars().any(is_han) || u.class == C::BracketedTitle));
    let underscore_next: Vec<bool> = (0..units.len())
        .map(|i| {
            units[i].sep_before.contains('_')
                || units.get(i + 1).is_some_and(|n| n.sep_before.contains('_'))
                || units[i].text.contains('_')
        })
        .collect();
    // A name written against the title without spaces (`Airbnb-Melanie+Cebula`), where a
    // subtitle would be spaced (`Go Concurrency - Advanced Patterns`).
    let unspaced = |sep: &str| !sep.is_empty() && !sep.chars().any(char::is_whitespace);
    let tight_next: Vec<bool> = (0..units.len())
        .map(|i| {
            (i > 0 && unspaced(&units[i].sep_before))
                || units.get(i + 1).is_some_and(|n| unspaced(&n.sep_before))
        })
        .collect();
    // The first and last units that are words of the talk or a speaker: a name stands at one
    // end (`Kavya Joshi - Understanding Channels`, `… - Louis Dionne - CppCon 2017`).
    let content = |u: &Unit| matches!(u.class, C::Title | C::BracketedTitle | C::Person);
    let first_content = units.iter().position(content);
    // The talk after the first content (`Rohrer - Elixir and …`, `BlackHat USA 2010 - Kamkar -
    // How I Met …`): words of a phrase.
    let long_second_title = first_content
        .and_then(|f| units.get(f + 1))
        .is_some_and(|n| n.class == C::Title && n.text.split_whitespace().count() >= 2);
    let last_content = units.iter().rposition(content);
    // Two words of content, a name and a lone word that is not one.
    let contents: Vec<&Unit> = units.iter().filter(|u| content(u)).collect();
    let lone_word_beside = contents.len() == 2
        && contents
            .iter()
            .filter(|u| u.class == C::Title && u.shape == Shape::LatinWord)
            .count()
            == 1;
    // `Omnipresent_Biometric_Surveillance`: three single words or more split at underscores
    // are the words of a title, not as many speakers.
    let latin_words = units
        .iter()
        .filter(|u| u.class == C::Title && u.shape == Shape::LatinWord)
        .count();
    let underscore_split_name: Vec<bool> = underscore_next
        .iter()
        .map(|&next| next && latin_words <= 2)
        .collect();
    for (i, u) in units.iter_mut().enumerate() {
        if u.class != C::Title {
            continue;
        }
        let at_end = first_content == Some(i) || last_content == Some(i);
        let before_title = first_clear.is_some_and(|f| i < f);
        let to_person = match u.shape {
            Shape::Plain => false,
            // Uncertain names only where no certain speaker is named.
            // A capitalised word after a Chinese title is a brand (`…优化-Tetrate`); a login
            // name is written in lowercase (`jgiles`), a pinyin name is one.
            Shape::LatinWord => {
                clear_title
                    && !has_person
                    // `css-选择器`: a language or tool is the talk's word, not a login.
                    && !lexicon::contains("tech-word", &u.text)
                    && ((cjk_title
                        && (u.text.bytes().all(|b| b.is_ascii_lowercase())
                            || is_pinyin_name(&u.text)
                            || before_title))
                        || underscore_split_name[i]
                        || (before_title && u.text.chars().all(|c| c.is_ascii_lowercase()))
                        // `Rohrer - Elixir and the Internet of Things`: a surname first, before
                        // a spaced dash and a title of three words or more.
                        || (first_content == Some(i)
                            && (leading_surname(&u.text) || lone_given_name(&u.text))
                            && !cjk_title
                            && spaced_after[i]
                            && long_second_title
                            // Not where a name closes the name (`Credo - … - René Föhring`).
                            && last_content == Some(i + 1))
                        // `… - limengxuan`: a pinyin name of three syllables or more, written
                        // last, in lowercase.
                        || (last_content == Some(i)
                            && !before_title
                            && u.text.bytes().all(|b| b.is_ascii_lowercase())
                            && pinyin_syllables(&u.text).is_some_and(|n| n >= 3)
                            && no_common_or_product_word(&u.text)
                            && pinyin_surname_at_an_end(&u.text)))
            }
            Shape::LatinName => {
                !has_person
                    && ((clear_title
                        && (cjk_title || underscore_split_name[i] || tight_next[i] || at_end))
                        // `Max Maaß - kcwarden`: a name led by a listed given name beside a
                        // talk of one word that names nobody.
                        || (at_end && lone_word_beside && given_name_first(&u.text)))
            }
            Shape::CjkName => !has_person,
        };
        if to_person {
            u.class = C::Person;
            u.names = vec![display_name(&u.text)];
        } else if has_bracketed || (u.shape == Shape::CjkName && has_person) {
            // Beside a `《…》` title, other text names a company or a track.
            u.class = C::CompanyOrTrack;
        }
        // A lone Latin word beside a speaker (`江源-nohost`) stays the title: a weak one,
        // which the reader weighs against the file name's (`王沛-终稿-rekit` beside
        // `使用Rekit开发….md`).
    }

    // `…高级恶意软件威胁-叶根深`: two or three Han characters led by a listed surname, written
    // last as a field of their own after a long title, name its speaker even with characters
    // that are rare in names (`深`).
    if !units.iter().any(|u| u.class == C::Person) {
        let last = units
            .iter()
            .rposition(|u| matches!(u.class, C::Title | C::BracketedTitle));
        if let Some(i) = last.filter(|&i| i > 0) {
            let chars: Vec<char> = units[i].text.chars().collect();
            let longest_before = units[..i]
                .iter()
                .filter(|u| matches!(u.class, C::Title | C::BracketedTitle))
                .map(|u| u.text.chars().count())
                .max()
                .unwrap_or(0);
            let surname_led = (2..=3).contains(&chars.len())
                && chars.iter().all(|&c| is_han(c))
                && lexicon::SURNAMES.contains(chars[0])
                && !lexicon::contains("han-title-word", &units[i].text)
                && !is_company_or_track(&units[i].text);
            if surname_led
                && longest_before >= 6
                && !units[i].sep_before.is_empty()
                && units[i].bracket.is_none()
            {
                units[i].class = C::Person;
                units[i].names = vec![units[i].text.clone()];
            }
        }
    }

    // Two pairs of capitalised words and nothing clearer (`… - Lakehouse Internals - Priya
    // Shah`): the speaker is written last, after the title, as it is beside a clearer title.
    let pairs: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].class == C::Title)
        .collect();
    let no_person = !units.iter().any(|u| u.class == C::Person);
    if no_person
        && pairs.len() == 2
        && pairs.iter().all(|&i| units[i].shape == Shape::LatinName)
        && units[pairs[1]].piece > units[pairs[0]].piece
        && !units[pairs[1]].tight
    {
        let u = &mut units[pairs[1]];
        u.class = C::Person;
        u.names = vec![display_name(&u.text)];
    }

    // Company, speaker, title (`bilibili-李伟-弹幕系统的设计`): one word just before the
    // speaker, with a longer title after the speaker, is the speaker's company.
    for i in 0..units.len().saturating_sub(2) {
        let word = &units[i];
        let one_word = word.class == C::Title
            && !word.text.contains(' ')
            && word.text.chars().count() <= 10
            && word.bracket.is_none();
        if !one_word || units[i + 1].class != C::Person {
            continue;
        }
        // Han characters count double: `弹幕系统的设计` says more than `bilibili`.
        let weight = |t: &str| {
            t.chars()
                .map(|c| if is_han(c) { 2 } else { 1 })
                .sum::<usize>()
        };
        let n = weight(&word.text);
        let longer_after = units[i + 2..]
            .iter()
            .any(|u| matches!(u.class, C::Title | C::BracketedTitle) && weight(&u.text) > n);
        if longer_after {
            units[i].class = C::CompanyOrTrack;
        }
    }

    // `Hololens开发入门_Esri_席鹏`: one Latin word between the title and the speaker written
    // last is the speaker's company.
    let n = units.len();
    if n >= 3
        && units[n - 1].class == C::Person
        && units[n - 2].class == C::Title
        && units[n - 2].bracket.is_none()
        && !units[n - 2].text.contains(' ')
        && units[n - 2].text.len() <= 12
        && units[n - 2].text.bytes().all(|b| b.is_ascii_alphanumeric())
        && units[..n - 2].iter().any(|u| {
            u.class == C::Title && u.text.chars().count() > units[n - 2].text.chars().count()
        })
    {
        units[n - 2].class = C::CompanyOrTrack;
    }

    // A post after the speaker as a field of its own (`…-李刚-阿里技术专家`, `宋阳 高级工程师`,
    // `…-范勇-腾讯运维负责人`): the speaker's, beside a longer title; a title may end so
    // (`如何成为架构师`), so only where another title is longer.
    for i in 1..units.len() {
        let u = &units[i];
        let n = u.text.chars().count();
        let post = u.class == C::Title
            && u.bracket.is_none()
            && n <= 12
            && u.text.split_whitespace().count() <= 2
            && is_post(&u.text)
            && units[i - 1].class == C::Person;
        if post && longest_other(&units, i) > n {
            units[i].class = C::CompanyOrTrack;
        }
    }

    // A company or product after the talk's title (`…从0到1-Bocloud博云`, `…部署-VMware-王方驰`):
    // one short word, a brand's shape. Before the title such a word may open it
    // (`EasyNote——CloudWeGo 生态入门`).
    let main = units
        .iter()
        .enumerate()
        .filter(|(_, u)| {
            u.class == C::Title
                && (u.text.contains(' ') || u.text.contains(is_han))
                && !looks_like_brand(&u.text)
        })
        .max_by_key(|(_, u)| u.text.chars().count())
        .map(|(i, _)| i);
    if let Some(main) = main {
        let main_len = units[main].text.chars().count();
        // `빠른-웹-…-AWS-Amplify-…`: a brand with the talk's words after it is one of them.
        let last_title = units.iter().rposition(|u| u.class == C::Title);
        for (i, u) in units.iter_mut().enumerate().skip(main + 1) {
            let words_after = last_title.is_some_and(|l| l > i);
            if u.class == C::Title && looks_like_brand(&u.text) && main_len >= 6 && !words_after {
                u.class = C::CompanyOrTrack;
            }
        }
    }

    // Several title pieces: a short Han-only one beside a much longer one names a company or a
    // track (`万达网络-微服务治理实践`, `蚂蚁金服-Kata Containers`).
    let title_lens: Vec<usize> = units
        .iter()
        .filter(|u| u.class == C::Title)
        .map(|u| u.text.chars().count())
        .collect();
    if title_lens.len() > 1 {
        let longest = title_lens.iter().copied().max().unwrap_or(0);
        // `闪电网络—BTC小额支付`: a dash of prose (`—`) joins parts of one title.
        let prose_dash: Vec<bool> = (0..units.len())
            .map(|i| {
                let dash = |u: &Unit| u.sep_before.contains('—');
                dash(&units[i]) || units.get(i + 1).is_some_and(dash)
            })
            .collect();
        // Right after the event, a track may be longer (`GIAC2019 · 高可用架构 · …`).
        let after_event: Vec<bool> = (0..units.len())
            .map(|i| i > 0 && matches!(units[i - 1].class, C::Event | C::SessionCode))
            .collect();
        for (i, u) in units.iter_mut().enumerate() {
            let n = u.text.chars().count();
            let limit = if after_event[i] { 6 } else { 4 };
            // `埋坑之路`, `设计`, `归来记`: a Han field ending as titles do is the title's.
            let title_ending = lexicon::words("han-title-ending")
                .iter()
                .any(|w| u.text.ends_with(w));
            let quoted = matches!(u.bracket, Some('「' | '『'));
            if u.class == C::Title
                && n <= limit
                && u.text.chars().all(is_han)
                && longest >= n + 3
                && !prose_dash[i]
                && !title_ending
                && !quoted
            {
                u.class = C::CompanyOrTrack;
            }
        }
    }

    // `Developer Grief Thamara Andrade`: a name written after the title with only a space, when
    // no other speaker is named: two capitalised words that are no common words, products or
    // events, after words of a phrase.
    let titles: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].class == C::Title)
        .collect();
    if let [i] = titles[..] {
        let words: Vec<&str> = units[i].text.split_whitespace().collect();
        let n = words.len();
        let trailing_name = n >= 4
            && units[i].bracket.is_none()
            && !units.iter().any(|u| u.class == C::Person)
            && words[n - 2..].iter().all(|w| no_common_or_product_word(w))
            && is_latin_name(&words[n - 2..].join(" "))
            && words[..n - 2]
                .iter()
                .filter(|w| lexicon::is_english_word(w))
                .count()
                >= 2;
        if trailing_name {
            let name = words[n - 2..].join(" ");
            units[i].text = words[..n - 2].join(" ");
            let mut person = units[i].clone();
            person.class = C::Person;
            person.names = vec![name.clone()];
            person.text = name;
            person.sep_before = " ".to_string();
            units.insert(i + 1, person);
        }
    }

    // `Jose_Valim_-_Keynote`, `01_开场致辞_王磊`: where a name and a kind of session are all a file
    // name says, the session is the title and the name its speaker.
    let session = units.iter().position(|u| {
        u.class == C::SessionCode
            && u.text.chars().any(|c| c.is_alphabetic())
            && !u.text.chars().any(|c| c.is_ascii_digit())
    });
    let only_names = units.iter().all(|u| {
        !matches!(u.class, C::Title | C::BracketedTitle)
            || matches!(u.shape, Shape::LatinName | Shape::CjkName)
    }) && units.iter().any(|u| u.class == C::Title);
    if let (Some(k), true) = (session, only_names) {
        for u in units.iter_mut().filter(|u| u.class == C::Title) {
            u.class = C::Person;
            u.names = vec![display_name(&u.text)];
        }
        units[k].class = C::Title;
    }

    // `Title - Lawrence Crowl - CppCon 2015 - black background`: after the talk, its speaker
    // and then the event, the rest labels the file, not the talk.
    if let Some(p) = units.iter().position(|u| u.class == C::Person) {
        let talk_before = units[..p]
            .iter()
            .any(|u| matches!(u.class, C::Title | C::BracketedTitle));
        let event_after = units[p + 1..]
            .iter()
            .position(|u| u.class == C::Event)
            .map(|e| p + 1 + e);
        if let Some(e) = event_after.filter(|_| talk_before) {
            for u in &mut units[e + 1..] {
                if u.class == C::Title {
                    u.class = C::CompanyOrTrack;
                }
            }
        }
        // `Title - 김경진 - C++ Korea Seminar 1st`: an event after the speaker, by its kind.
        if talk_before {
            for u in &mut units[p + 1..] {
                if u.class == C::Title && u.bracket.is_none() && field_is_event_by_kind(&u.text) {
                    u.class = C::Event;
                }
            }
        }
    }

    // `PracticalPerformancePractices`, `StructTags`: a title that is one run-together word of
    // two or three capitalised parts is shown as words, unless it is a listed product's
    // name (`ClickHouse`, `JavaScript`), which a title may be alone.
    let lone: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].class == C::Title)
        .collect();
    // `AmazonQDeveloper AIPairProgramming`: two or three such words, each run together.
    if let [i] = lone[..] {
        let spread = |text: &str| -> Option<String> {
            let product = is_listed_product(text);
            camel_parts(text)
                .filter(|p| {
                    // `BlendUI`, `RocketMQ`: a name and an acronym are a product's name.
                    let acronym = p
                        .iter()
                        .any(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_uppercase()));
                    p.len() >= 2 && !product && (p.len() >= 3 || !acronym)
                })
                .map(|parts| join_camel_parts(&parts))
        };
        // `8SimpleTestingRules`: a count before the words.
        let spread_after_count = |text: &str| -> Option<String> {
            let count = text.bytes().take_while(u8::is_ascii_digit).count();
            if count > 0 && count <= 2 {
                return spread(&text[count..]).map(|rest| format!("{} {rest}", &text[..count]));
            }
            spread(text)
        };
        let words: Vec<&str> = units[i].text.split(' ').collect();
        if words.len() <= 3 {
            let spread_words: Option<Vec<String>> =
                words.iter().map(|w| spread_after_count(w)).collect();
            if let Some(spread_words) = spread_words {
                units[i].text = spread_words.join(" ");
            }
        }
    }

    // `Kubernetes-安全-张晋涛`, `Debian-RVA22+V-移植计划`: Han words hyphened to the talk's Latin
    // words are the talk's, unless a listed company or organiser.
    for i in 1..units.len() {
        let (before, after) = units.split_at_mut(i);
        let (prev, u) = (&before[i - 1], &mut after[0]);
        let han = !u.text.is_empty() && u.text.chars().all(is_han);
        // Only words that make titles (`安全`, `移植计划`), not an unlisted company (`得物`).
        let title_word = has_han_title_ending(&u.text)
            || lexicon::words("han-topic-word")
                .iter()
                .any(|w| u.text.ends_with(w));
        if u.class == C::CompanyOrTrack
            && han
            && title_word
            && !lexicon::contains("company", &u.text)
            && u.sep_before == "-"
            && u.bracket.is_none()
            && prev.class == C::Title
            && prev.text.ends_with(|c: char| c.is_ascii_alphanumeric())
        {
            u.class = C::Title;
            u.shape = shape_of(&u.text);
        }
    }

    // `Modernizing Legacy C++ Code - Gregory and McNellis - CppCon 2014`: between the talk and
    // the event that closes the name, surnames joined by `and` or commas are the speakers.
    if !units.iter().any(|u| u.class == C::Person) {
        let n = units.len();
        let closing_event = n >= 3 && units[n - 1].class == C::Event;
        if closing_event && units[n - 2].class == C::Title && units[n - 3].class == C::Title {
            let text = units[n - 2].text.replace(" and ", ", ");
            let parts: Vec<&str> = text.split(", ").map(str::trim).collect();
            let surnames = parts.len() >= 2
                && parts
                    .iter()
                    .all(|p| is_latin_name(p) || (one_surname(p) && no_common_or_product_word(p)));
            if surnames {
                units[n - 2].class = C::Person;
                units[n - 2].names = parts.iter().map(|p| p.to_string()).collect();
            }
        }
    }

    // `Cpp11 SweatingTheSmallStuff`, `WeWon HowScalaConqueredBigData`: English words run
    // together inside a title are shown as words too.
    for u in units.iter_mut().filter(|u| u.class == C::Title) {
        let word_break = |c: char| c == ' ' || c == '_';
        if u.text.split(word_break).count() >= 2 || lone.len() > 1 || u.text.contains('-') {
            // Each word with the space or underscore after it, kept as written.
            u.text = u
                .text
                .split_inclusive(word_break)
                .map(|w| {
                    let core = w.trim_end_matches(word_break);
                    match spread_words_in_phrase(core).or_else(|| spread_hyphened_phrases(core)) {
                        Some(spread) => format!("{spread}{}", &w[core.len()..]),
                        None => w.to_string(),
                    }
                })
                .collect();
        }
    }

    // `dubbogo - 20200718 - shanghai gopher dengming`: after the event, a lowercase word that is
    // a Chinese name in pinyin is the speaker.
    if !units.iter().any(|u| u.class == C::Person) {
        let n = units.len();
        let pinyin_speaker = |u: &Unit| {
            u.bracket.is_none()
                && u.text.bytes().all(|b| b.is_ascii_lowercase())
                && pinyin_syllables(&u.text).is_some_and(|c| (2..=3).contains(&c))
                && pinyin_surname_at_an_end(&u.text)
                && no_common_or_product_word(&u.text)
        };
        if n >= 3
            && units[n - 1].class == C::Title
            && pinyin_speaker(&units[n - 1])
            && units[n - 2].class == C::Event
            && units[..n - 2].iter().any(|u| u.class == C::Title)
        {
            units[n - 1].class = C::Person;
            units[n - 1].names = vec![units[n - 1].text.clone()];
        }
    }

    restore_words_a_joining_word_needs(&mut units);
    restore_numbers_inside_a_slug(&mut units);
    year_after_talk_is_the_events(&mut units);
    lone_name_is_the_speaker(&mut units);

    // The title.
    let title = if let Some(b) = units.iter().find(|u| u.class == C::BracketedTitle) {
        Some(display_title(&b.text))
    } else {
        let mut out = String::new();
        let mut last_piece: Option<usize> = None;
        // Whether the unit before was a slug shown spread out (`grpc-past-and`).
        let mut after_slug = false;
        for u in units.iter().filter(|u| u.class == C::Title) {
            let after_quote = out.ends_with(['」', '』']) && u.sep_before.is_empty();
            // The slug's next words (`…-and-1.60`) are spread out with it.
            let latin = !u.text.contains(is_han) && !u.text.contains([' ', '_']);
            let slug_goes_on = after_slug && u.sep_before == "-" && latin;
            if last_piece.is_some() && !after_quote {
                if slug_goes_on {
                    out.push(' ');
                } else {
                    out.push_str(&joiner(&u.sep_before));
                }
            }
            let shown = if slug_goes_on {
                unhyphen_slug_title(&u.text)
            } else {
                display_title(&u.text)
            };
            after_slug =
                slug_goes_on || (latin && u.text.matches('-').count() >= 2 && shown.contains(' '));
            // `「鸡尾酒会效应」：…`: corner quotes in a title are the title's.
            match u.bracket {
                Some('「') => out.push_str(&format!("「{shown}」")),
                Some('『') => out.push_str(&format!("『{shown}』")),
                _ => out.push_str(&shown),
            }
            last_piece = Some(u.piece);
        }
        let t = tidy_edges(&out);
        (!t.is_empty()).then_some(t)
    };

    let mut authors: Vec<String> = Vec::new();
    for u in units.iter().filter(|u| u.class == C::Person) {
        for n in &u.names {
            if !authors.contains(n) {
                authors.push(n.clone());
            }
        }
    }
    let events: Vec<&Unit> = units.iter().filter(|u| u.class == C::Event).collect();
    let event = events
        .iter()
        .find(|u| u.text.chars().any(|c| c.is_ascii_digit() || is_han(c)))
        .or(events.first())
        .map(|u| display_name(&u.text));

    let segments = units
        .into_iter()
        .map(|u| Segment {
            text: match u.class {
                C::Title | C::BracketedTitle => display_title(&u.text),
                // A speaker the reader marked as a handle (`2025-11-20-Franck-…`) is shown as
                // the name it is.
                C::Person => u.text.trim_start_matches(['@', '＠']).to_string(),
                _ => u.text,
            },
            class: u.class,
        })
        .collect();
    TitleAnalysis {
        title,
        authors,
        event,
        segments,
    }
}

/// `dubbo-present-and-2.7-update`, `CNCF at Linux Summit`: a title never ends on a word that
/// joins it to more, nor opens with one written in lowercase; what was dropped beside such a
/// word (a version, a state, an event) is the talk's.
fn restore_words_a_joining_word_needs(units: &mut Vec<Unit>) {
    use SegmentClass as C;
    let titles: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].class == C::Title && units[i].bracket.is_none())
        .collect();
    let (Some(&first), Some(&last)) = (titles.first(), titles.last()) else {
        return;
    };
    if units.iter().any(|u| u.class == C::BracketedTitle) {
        return;
    }
    // Only what a slug's hyphen or underscore joined (a field after a spaced dash is one of its
    // own: `What Are Containers Made Of - KubeCon EU 2019`), and never the file's version or
    // state (`架构与-v2`, `…-and-2.0-final`).
    let joined_after = |u: &Unit| {
        u.bracket.is_none()
            && matches!(u.sep_before.as_str(), "-" | "_")
            && match u.class {
                C::Date => true,
                C::Version => !is_version(&u.text) && !is_copy_marker(&u.text),
                C::StatusWord => !lexicon::contains("status", &u.text),
                _ => false,
            }
    };
    const ENDS_JOINED: &[&str] = &[
        "and", "or", "of", "the", "a", "an", "for", "to", "with", "in", "at", "on", "from", "vs",
    ];
    const OPENS_JOINED: &[&str] = &["and", "at", "of", "vs", "with"];
    let last_word = units[last]
        .text
        .rsplit([' ', '-', '_'])
        .next()
        .unwrap_or_default()
        .to_string();
    // Written in lowercase: title case ends on such words (`What Are Containers Made Of`).
    let ends_joined = ENDS_JOINED.contains(&last_word.as_str());
    // `… and 2.0`: a number a lowercase joining word leads to.
    let title_text = titles
        .iter()
        .map(|&i| units[i].text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let slug_words: Vec<&str> = title_text.split([' ', '-']).collect();
    let joined_number = slug_words.len() >= 2
        && ENDS_JOINED.contains(&slug_words[slug_words.len() - 2])
        && last_word.starts_with(|c: char| c.is_ascii_digit())
        && last_word.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if ends_joined || joined_number {
        while last + 1 < units.len() && joined_after(&units[last + 1]) {
            // A slug's words (`dubbo-present-and-2.7-update`) go on as one slug.
            let next = &units[last + 1];
            let slug = !units[last].text.contains(' ') && next.piece == units[last].piece + 1;
            if slug {
                let next = units.remove(last + 1);
                units[last].text = format!("{}{}{}", units[last].text, next.sep_before, next.text);
                units[last].piece = next.piece;
            } else {
                units[last + 1].class = C::Title;
                break;
            }
        }
    }
    // `CNCF at Linux Summit`: inside one field, an event before `at` and the bare event word
    // after the place (`Summit`) are the phrase's.
    let last = units
        .iter()
        .rposition(|u| u.class == C::Title && u.bracket.is_none())
        .unwrap_or(last);
    let last_text = units[last].text.clone();
    let words: Vec<&str> = last_text.split(' ').collect();
    let opens_joined = OPENS_JOINED.contains(&words[0]);
    let before_in_field = first > 0
        && units[first - 1].class == C::Event
        && units[first - 1].piece == units[first].piece
        && units[first - 1].bracket.is_none();
    if first == last && opens_joined && before_in_field {
        units[first - 1].class = C::Title;
    }
    // `Welcome To The Time Zone`: `Welcome` before `To` in its field is the talk's first word.
    let opens_with_to = words[0].eq_ignore_ascii_case("to") && words.len() >= 2;
    // Only `Welcome` (`Keynote: To Infinity …` keeps its label off).
    let label_before = first > 0
        && units[first - 1].text.eq_ignore_ascii_case("welcome")
        && units[first - 1].piece == units[first].piece
        && units[first - 1].bracket.is_none();
    if first == last && opens_with_to && label_before {
        units[first - 1].class = C::Title;
    }
    let suffix_after = last + 1 < units.len()
        && units[last + 1].class == C::Event
        && units[last + 1].piece == units[last].piece
        && lexicon::contains("event-suffix", &units[last + 1].text);
    if first == last && words.len() == 2 && words[0] == "at" && before_in_field && suffix_after {
        units[last + 1].class = C::Title;
    }
    // `CNCF_Overview`: a word that only says what kind of talk it is, after the event, is
    // about that event.
    let kind_only = first == last
        && !units[first].text.contains([' ', '-', '_'])
        && lexicon::contains("talk-kind", &units[first].text);
    // A named event (`CNCF`, `PyCon`), not a meetup's generic word with its year.
    let named_event = |u: &Unit| {
        u.bracket.is_none()
            && u.text.bytes().any(|b| b.is_ascii_uppercase())
            && !u.text.bytes().any(|b| b.is_ascii_digit())
    };
    if kind_only
        && first > 0
        && units[first - 1].class == C::Event
        && named_event(&units[first - 1])
    {
        units[first - 1].class = C::Title;
        // Read as one phrase (`PyCon Intro`), whatever joined them.
        units[first].sep_before = " ".to_string();
    }
}

/// `Introduction-to-Dubbo-2.7-new-feature-with-demo`: between words of a slug's talk, a
/// version number (and a weak state word after it, `new`) is the talk's: a file's version or
/// state is written last.
fn restore_numbers_inside_a_slug(units: &mut [Unit]) {
    use SegmentClass as C;
    let version_number = |t: &str| {
        t.contains('.')
            && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && t.split('.').all(|p| (1..=2).contains(&p.len()))
    };
    let slug_step = |u: &Unit| u.sep_before == "-" && u.bracket.is_none();
    let mut i = 1;
    while i + 1 < units.len() {
        // `nacos-release-plan`: a weak state word between the talk's words is one of them.
        // Not a word for the file's kind (`golang-slides-intro`).
        let file_kind = lexicon::contains("file-kind", &units[i].text);
        let weak_state = units[i].class == C::StatusWord
            && slug_step(&units[i])
            && !file_kind
            && !lexicon::contains("status", &units[i].text)
            && units[i + 1].class == C::Title
            && slug_step(&units[i + 1]);
        if weak_state && units[i - 1].class == C::Title {
            units[i].class = C::Title;
            i += 1;
            continue;
        }
        let number = matches!(units[i].class, C::Date | C::Version | C::Title)
            && version_number(&units[i].text)
            && slug_step(&units[i]);
        if !(number && units[i - 1].class == C::Title) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < units.len()
            && units[end].class == C::StatusWord
            && slug_step(&units[end])
            && !lexicon::contains("status", &units[end].text)
        {
            end += 1;
        }
        if end < units.len() && units[end].class == C::Title && slug_step(&units[end]) {
            for u in &mut units[i..end] {
                u.class = C::Title;
            }
        }
        i = end;
    }
}

/// `CloudNativeCon_CoreDNS_2016`: after an event that opens the name, a year that closes the
/// talk's words is the event's.
fn year_after_talk_is_the_events(units: &mut Vec<Unit>) {
    use SegmentClass as C;
    let Some(first) = units.iter().position(|u| {
        matches!(
            u.class,
            C::Title | C::BracketedTitle | C::Person | C::Event | C::CompanyOrTrack
        )
    }) else {
        return;
    };
    let last = units.len() - 1;
    if units[first].class != C::Event || first == last || units[last].class != C::Title {
        return;
    }
    if units.iter().filter(|u| u.class == C::Title).count() != 1 {
        return;
    }
    let text = units[last].text.clone();
    let Some((head, year)) = text.rsplit_once([' ', '_']) else {
        return;
    };
    let before = head.rsplit([' ', '_']).next().unwrap_or(head);
    if is_year(year)
        && !is_phrase_word_before(before)
        && !lexicon::contains("year-versioned", before)
        && !lexicon::contains("year-topic", before)
        && head.chars().any(char::is_alphabetic)
    {
        units[last].text = head.to_string();
        let mut date = units[last].clone();
        date.text = year.to_string();
        date.class = C::Date;
        date.sep_before = " ".to_string();
        units.push(date);
    }
}

/// `luruichao`, `03_zhangweiqiang`: a name that holds nothing but a person's name (a member's
/// file, a speaker's deck named after them) names its speaker; the deck's title falls back
/// to it.
fn lone_name_is_the_speaker(units: &mut [Unit]) {
    use SegmentClass as C;
    if units
        .iter()
        .any(|u| matches!(u.class, C::Person | C::BracketedTitle))
    {
        return;
    }
    let titles: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].class == C::Title)
        .collect();
    let [i] = titles[..] else {
        return;
    };
    // Nothing else but the file's number or state (`osc2019shimane` has its event).
    if units.iter().any(|u| {
        !matches!(
            u.class,
            C::Title | C::Ordinal | C::Version | C::StatusWord | C::Date
        )
    }) {
        return;
    }
    // One lowercase word in pinyin. (A single token that is no pinyin name stays the title
    // only: in the labelled sets, 27 such names are a product or a topic, `fireflymq`, `pytest`,
    // for 6 login names of a project's members, `whalecold`. Two lowercase words are as often
    // a phrase or a tool's name as a person's: `grace period`, `julia dataframes`.)
    let w = units[i].text.as_str();
    let named = w.bytes().all(|b| b.is_ascii_lowercase())
        && pinyin_syllables(w).is_some_and(|c| {
            (c == 3 && pinyin_surname_at_an_end(w))
                || (c == 2 && starts_with_pinyin_surname(w) && ends_with_pinyin_surname(w))
        })
        && no_common_or_product_word(w)
        && !lexicon::contains("city", w)
        && !lexicon::contains("pinyin-word", w);
    if named {
        units[i].class = C::Person;
        units[i].names = vec![units[i].text.clone()];
    }
}

/// A post written beside a speaker's name (`架构师`, `高级技术专家`, `CTO`): it ends with a
/// listed word of posts.
fn is_post(s: &str) -> bool {
    let lower = s.to_lowercase();
    lexicon::words("post")
        .iter()
        .any(|w| lower.ends_with(&w.to_lowercase()))
}

/// `Bocloud博云`, `VMware`, `OPPO`, `ShardingSphere`: a Latin name with a capital, optionally
/// with a few Han characters, and nothing else; or a listed company.
fn looks_like_brand(s: &str) -> bool {
    if is_company_or_track(s) {
        return true;
    }
    let latin: String = s.chars().take_while(char::is_ascii_alphanumeric).collect();
    let han = s[latin.len()..].chars().count();
    let letters = latin.chars().filter(char::is_ascii_alphabetic).count();
    letters >= 2
        && latin.len() <= 16
        && latin.chars().any(|c| c.is_ascii_uppercase())
        && s[latin.len()..].chars().all(is_han)
        && han <= 4
}

/// `范振陈韦廷` → `范振`, `陈韦廷`: two or three Chinese names written together, each with a
/// listed surname and 2–3 characters (3–4 with a two-character surname), given names free of
/// word characters. Where several splits fit, the one whose surnames are commonest wins
/// (`范振陈韦廷`: `陈` is commoner than `韦`, so not `范振陈` + `韦廷`).
fn glued_names(s: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = s.chars().collect();
    if !(4..=9).contains(&chars.len()) || !chars.iter().all(|&c| is_han(c)) {
        return None;
    }
    let given_ok = |cs: &[char]| !cs.iter().any(|&c| lexicon::NON_NAME_CHARS.contains(c));
    // best[i]: the cheapest split of chars[i..] as (cost, name lengths).
    let mut best: Vec<Option<(usize, Vec<usize>)>> = vec![None; chars.len() + 1];
    best[chars.len()] = Some((0, Vec::new()));
    for i in (0..chars.len()).rev() {
        let compound = lexicon::words("compound-surname")
            .iter()
            .any(|c| chars[i..].iter().take(2).copied().eq(c.chars()));
        let (cost, lens) = if compound {
            (0, 3..=4)
        } else if let Some(rank) = lexicon::surname_rank(chars[i]) {
            (rank, 2..=3)
        } else {
            continue;
        };
        for len in lens {
            let end = i + len;
            let Some(Some((rest_cost, rest))) = best.get(end) else {
                continue;
            };
            let skip = if compound { 2 } else { 1 };
            if !given_ok(&chars[i + skip..end]) {
                continue;
            }
            let total = cost + rest_cost;
            if best[i].as_ref().is_none_or(|(c, _)| total < *c) {
                let mut lens = vec![len];
                lens.extend(rest);
                best[i] = Some((total, lens));
            }
        }
    }
    let (_, lens) = best[0].clone()?;
    if lens.len() < 2 {
        return None;
    }
    let mut at = 0;
    let mut names = Vec::new();
    for len in lens {
        names.push(chars[at..at + len].iter().collect());
        at += len;
    }
    Some(names)
}

/// `mark_zeren`, `ben_deane_and_jason_turner`, `Ken Sykes`: Latin names in any case, for a
/// place where a speaker is written (just before the event). Each name is two or three
/// words of letters, none a word of titles.
fn latin_names_loose(s: &str) -> Option<Vec<String>> {
    let spaced = s.replace('_', " ");
    let mut names = Vec::new();
    for part in spaced
        .split(" and ")
        .flat_map(|p| p.split([',', '，', '&', '、']))
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let words: Vec<&str> = part.split_whitespace().collect();
        // `zheming jin hal finkel`: four words or more and no `and`, in pairs, are names of
        // two words each.
        // `paul e mckenney maged michael michael wong`: an initial inside a name of them.
        if words.len() >= 4 && !s.contains(['&', ',', '，', '、']) {
            let mut pairs: Vec<String> = Vec::new();
            let mut i = 0;
            while i + 1 < words.len() {
                let mut end = i + 1;
                while end + 1 < words.len() && words[end].len() == 1 {
                    end += 1;
                }
                pairs.push(words[i..=end].join(" "));
                i = end + 1;
            }
            let whole = i == words.len() && pairs.len() >= 2;
            if whole && pairs.iter().all(|n| latin_names_loose(n).is_some()) {
                names.extend(pairs);
                continue;
            }
        }
        // A name is written all in lowercase (`mark_zeren`) or all capitalised (`Ken Sykes`);
        // mixed, it is a phrase (`Consistency without Tears`).
        let capitalised = words
            .iter()
            .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
            .count();
        // `paul e mckenney`: an initial between given name and surname.
        let initial = |i: usize, w: &str| {
            i > 0
                && i + 1 < words.len()
                && w.len() == 1
                && w.bytes().all(|b| b.is_ascii_alphabetic())
        };
        let uniform = capitalised == 0
            || capitalised == words.len()
            || (capitalised + 1 == words.len() && words.len() == 3 && initial(1, words[1]));
        let ok = uniform
            && (2..=3).contains(&words.len())
            && words.iter().enumerate().all(|(i, w)| {
                if initial(i, w) {
                    return true;
                }
                (2..=14).contains(&w.chars().count())
                    && !lexicon::contains("preposition", w)
                    && !["the", "a", "an", "of", "to"].iter().any(|a| w.eq_ignore_ascii_case(a))
                    // Latin letters with accents too (`barnabás bágyi`).
                    && w.chars().all(|c| {
                        c.is_ascii_alphabetic()
                            || (('\u{C0}'..='\u{24F}').contains(&c) && c.is_alphabetic())
                            || c == '\''
                            || c == '-'
                    })
                    && !lexicon::contains("latin-not-name", w)
                    && !has_title_word_ending(w)
            });
        // `black background`: common words all are a phrase.
        let phrase =
            words.iter().all(|w| lexicon::is_english_word(w)) && !lexicon::is_given_name(words[0]);
        if !ok || phrase {
            return None;
        }
        names.push(words.join(" "));
    }
    (!names.is_empty()).then_some(names)
}

/// English word endings that names (almost) never have: `Polymorphism`, `Introduction`.
/// Not `-ers`, `-ies`, `-ise`, `-ly` (`Rogers`, `Davies`, `Louise`, `Kelly`), and `-ing` only
/// in long words (`Understanding`), since pinyin names end so (`Jianping`, `Xiaoming`).
fn has_title_word_ending(w: &str) -> bool {
    let lower = w.to_ascii_lowercase();
    let endings = [
        "tion", "sion", "ment", "ness", "ity", "ics", "ism", "able", "ible", "ful", "less", "ous",
        "ive", "ize", "ure", "ency", "ancy",
    ];
    (lower.len() >= 6 && endings.iter().any(|e| lower.ends_with(e)))
        || (lower.len() >= 10 && lower.ends_with("ing"))
}

/// `Broechler-GraphComputingAtScale`: one capitalised word (a surname) hyphened to a title
/// written as one run-together word of two or more capitalised parts.
fn surname_before_camel(left: &str, right: &str) -> bool {
    let surname = one_surname(left)
        || two_surnames(left).is_some()
        // `KatieMiller-CoderDecoder-…`: a given name and surname run together.
        || camel_name(left).is_some()
        // `Fu-DaoProgramming…`: a surname of two letters in pinyin.
        || (left.len() == 2
            && left.starts_with(|c: char| c.is_ascii_uppercase())
            && lexicon::contains("pinyin-surname", left));
    // `Vokes-zipCodeUnpackingDataCompression`: a run-together title may start in lowercase.
    let capitalised: String = right
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
        .collect();
    let parts = camel_parts(&capitalised).map_or(0, |p| p.len());
    surname
        && !lexicon::contains("latin-not-name", left)
        && (parts >= 3 || (parts == 2 && right.starts_with(|c: char| c.is_ascii_uppercase())))
}

/// `Broechler`, `DePue`, `McNellis`: one capitalised word of a surname's length, a prefix of
/// a surname allowed before a second capital.
fn one_surname(w: &str) -> bool {
    let rest = [
        "Mc", "Mac", "De", "Di", "Da", "Du", "Le", "La", "Van", "Von", "O'",
    ]
    .iter()
    .find_map(|p| {
        w.strip_prefix(p)
            .filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
    })
    .unwrap_or(w);
    let mut chars = rest.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && (3..=14).contains(&w.len())
        && chars.all(|c| c.is_ascii_lowercase())
}

/// `BlochLee`, `FabbroMills` → `Bloch`, `Lee`: two surnames run together, each capitalised,
/// neither a common English word.
fn two_surnames(w: &str) -> Option<Vec<String>> {
    let parts = camel_parts(w)?;
    let [a, b] = parts[..] else {
        return None;
    };
    // A surname may be a word (`Mills`), not both: `JavaScript`, `PowerShell`.
    let surname = |p: &str| {
        p.len() >= 3
            && p[1..].bytes().all(|c| c.is_ascii_lowercase())
            && !lexicon::contains("latin-not-name", p)
            && !lexicon::contains("tech-word", p)
    };
    if lexicon::contains("camel-word", w) {
        return None;
    }
    let words = [a, b]
        .iter()
        // (The English list starts at four letters: `Box`, `Hub`, `Fox` count as words.)
        .filter(|p| p.len() <= 3 || is_english_form(p) || is_plural_noun(p))
        .count();
    (surname(a) && surname(b) && words <= 1 && w.len() <= 20)
        .then(|| vec![a.to_string(), b.to_string()])
}

/// `JasonTurner`, `HaozhongZhang`, `JavedAbsar`: a speaker's given name and surname written
/// as one word, the given name a listed one or both parts pinyin; `Jason Turner`.
fn camel_name(w: &str) -> Option<String> {
    let parts = camel_parts(w)?;
    // `AmbroseBonnaireSergeant`: a given name and a surname of two words.
    if let [given, a, b] = parts[..] {
        let surname = |p: &str| {
            p.len() >= 4
                && p[1..].bytes().all(|c| c.is_ascii_lowercase())
                && no_common_or_product_word(p)
                && !lexicon::contains("latin-not-name", p)
        };
        let ok = lexicon::is_given_name(given)
            && surname(a)
            && surname(b)
            && !lexicon::contains("camel-word", w)
            && !lexicon::contains("company", w);
        return ok.then(|| format!("{given} {a} {b}"));
    }
    let [given, surname] = parts[..] else {
        return None;
    };
    let listed = lexicon::is_given_name(given);
    let named = listed || (is_pinyin_word(given) && is_pinyin_word(surname));
    let ok = named
        && surname.len() >= 3
        && is_latin_name(&format!("{given} {surname}"))
        && !lexicon::contains("camel-word", w)
        && !lexicon::contains("company", w)
        && !lexicon::contains("latin-not-name", surname);
    // A Chinese name in pinyin with its surname first is shown as its owner writes it
    // (`JiangYuchen`, as `Wangtianran`); in the English order it is spaced (`WeiwenChen`).
    let surname_first =
        lexicon::contains("pinyin-surname", given) && !lexicon::contains("pinyin-surname", surname);
    ok.then(|| {
        if listed || !surname_first {
            format!("{given} {surname}")
        } else {
            w.to_string()
        }
    })
}

/// `…架构_TimYang_QCon_Beijing_2010`: a speaker's name run together as a field of its own,
/// anywhere in the name; stricter than [`camel_name`] where a name is expected, since a field
/// may be a product (`MarkDown`, `MaxCompute`): the surname no English word.
fn field_camel_name(w: &str) -> Option<String> {
    let name = camel_name(w)?;
    let surname = name.rsplit(' ').next().unwrap_or_default();
    (!lexicon::is_english_word(surname) && !lexicon::contains("tech-word", w)).then_some(name)
}

/// A product or company the lexicon lists, written run together (`ClickHouse`, `JavaScript`).
fn is_listed_product(w: &str) -> bool {
    lexicon::contains("camel-word", w) || lexicon::contains("company", w)
}

/// `GraphComputingAtScale` → `Graph`, `Computing`, `At`, `Scale`: a word made only of
/// capitalised parts; `None` for anything else (`iPhone`, `RocketMQ`, `Go2`).
fn camel_parts(s: &str) -> Option<Vec<&str>> {
    // Digits inside end the part they follow (`HTTP2InErlang`, `Cpp11Tips`); digits last are
    // a name's number or year (`DevOps101`, `JavaOne2008`), and letters and digits taking
    // turns a formula's or a code's (`H2O2`, `X9Y8`).
    let digit_runs = s
        .as_bytes()
        .windows(2)
        .filter(|w| w[0].is_ascii_alphabetic() && w[1].is_ascii_digit())
        .count();
    if !s.starts_with(|c: char| c.is_ascii_uppercase())
        || !s.bytes().all(|b| b.is_ascii_alphanumeric())
        || s.ends_with(|c: char| c.is_ascii_digit())
        || digit_runs >= 2
    {
        return None;
    }
    // A new part starts at a capital after a lowercase letter, or at the last capital of a
    // run before a lowercase letter (`WhenTheOSGetsIn` → `When`, `The`, `OS`, `Gets`, `In`).
    // A run's last capital keeps the run when the lowercase letters after it are a plural's
    // `s` (`DSLs`, `APIs`) or a small word (`FRPinElm` → `FRP`, `in`, `Elm`; `SQLto`).
    let b = s.as_bytes();
    let lowercase_run_after = |i: usize| {
        let end = (i + 1..b.len())
            .find(|&j| !b[j].is_ascii_lowercase())
            .unwrap_or(b.len());
        (&s[i + 1..end], end)
    };
    let small = [
        "in", "to", "of", "on", "at", "for", "and", "as", "vs", "or", "by", "with",
    ];
    let mut starts = vec![0];
    for i in 1..b.len() {
        let upper = b[i].is_ascii_uppercase();
        let after_lower = b[i - 1].is_ascii_lowercase();
        let run_end =
            b[i - 1].is_ascii_uppercase() && b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        if upper && run_end && i >= 2 {
            let (lower, end) = lowercase_run_after(i);
            // `JVMIsFast`: after a run of three, `Is`, `As`, `Us` are words (`APIs` is a plural).
            let run_before = (0..i)
                .rev()
                .take_while(|&j| b[j].is_ascii_uppercase())
                .count();
            let opens_word = matches!(b[i], b'I' | b'A' | b'U') && run_before >= 3;
            if lower == "s" && !opens_word {
                continue;
            }
            // `AWSForBeginners`: a capitalised small word (`For`) starts its own part.
            let capitalised_small = small.iter().any(|w| s[i..end].eq_ignore_ascii_case(w));
            if small.contains(&lower)
                && !capitalised_small
                && run_before >= 2
                && (end == b.len() || b[end].is_ascii_uppercase())
            {
                starts.push(i + 1);
                continue;
            }
        }
        let after_digit = b[i - 1].is_ascii_digit();
        if upper && (after_lower || run_end || after_digit) {
            starts.push(i);
        }
    }
    let spans: Vec<(usize, usize)> = starts
        .iter()
        .zip(starts.iter().skip(1).chain([&b.len()]))
        .map(|(&a, &z)| (a, z))
        .collect();
    // A listed product stays one part (`TiKVInternal` → `TiKV`, `Internal`; `GraphQLIn…`).
    // With its version glued (`MySQL57`).
    let listed = |t: &str| {
        is_listed_product(t) || is_listed_product(t.trim_end_matches(|c: char| c.is_ascii_digit()))
    };
    let mut parts: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < spans.len() {
        let k = (2..=3.min(spans.len() - i))
            .rev()
            .find(|&k| listed(&s[spans[i].0..spans[i + k - 1].1]))
            .unwrap_or(1);
        let part = &s[spans[i].0..spans[i + k - 1].1];
        // `HistoryOfWiT`: a lone capital after a short part is that part's (`WiT`).
        // (`A` and `I` are words: `HowIBuiltAStartup`.)
        let joined = part.len() == 1 && part != "A" && part != "I";
        match parts.last_mut() {
            Some(last) if joined && last.len() <= 3 => {
                // Parts are contiguous: the last one ends where this one starts.
                let start = spans[i].0 - last.len();
                *last = &s[start..spans[i + k - 1].1];
            }
            _ => parts.push(part),
        }
        i += k;
    }
    // Single capitals are words only as `A` (`ANotSoGentle…`) or inside a run; parts of two
    // letters or more, else it is no run-together title (`iPhone`, `Go2`).
    let ok = parts.iter().all(|p| p.len() >= 2 || *p == "A")
        && parts
            .iter()
            .filter(|p| p.bytes().all(|b| b.is_ascii_uppercase()))
            .count()
            < parts.len();
    ok.then_some(parts)
}

/// `StandardizingErrorsInGo-APracticalGuideWithDapr`: run-together phrases a hyphen joins,
/// each shown as words, the hyphen as the space it stood for.
fn spread_hyphened_phrases(w: &str) -> Option<String> {
    let parts: Vec<&str> = w.split('-').collect();
    if parts.len() < 2
        || parts
            .iter()
            .any(|p| camel_parts(p).is_none_or(|c| c.len() < 2))
    {
        return None;
    }
    let spread: Vec<Option<String>> = parts.iter().map(|p| spread_words_in_phrase(p)).collect();
    if !spread.iter().any(Option::is_some) {
        return None;
    }
    Some(
        parts
            .iter()
            .zip(spread)
            .map(|(p, s)| s.unwrap_or_else(|| p.to_string()))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Parts of a run-together title shown as words, a small word glued to the end of a part
/// spaced off (`BuildingaMultiMaster…` → `Building a Multi Master`, `Redisin` → `Redis in`).
fn join_camel_parts(parts: &[&str]) -> String {
    const SMALL: &[&str] = &[
        "a", "in", "of", "on", "to", "at", "for", "and", "the", "with",
    ];
    let known =
        |w: &str| is_english_form(w) || lexicon::contains("tech-word", w) || is_listed_product(w);
    parts
        .iter()
        .map(|&p| {
            if p.len() < 5 || known(p) || !p.bytes().skip(1).all(|b| b.is_ascii_lowercase()) {
                return p.to_string();
            }
            // After a verb's form or a product only (`Buildinga`, `Redisin`): a word's own ending
            // is none (`Plugin`, `Justin`, `Persona`, `Jetson`).
            let head_ok = |head: &str| {
                head.len() >= 4
                    && (is_english_verb_form(head)
                        || lexicon::contains("tech-word", head)
                        || is_listed_product(head))
            };
            if lexicon::is_given_name(p) {
                return p.to_string();
            }
            SMALL
                .iter()
                .filter_map(|small| Some((p.strip_suffix(small)?, small)))
                .find(|(head, _)| head_ok(head))
                .map_or_else(|| p.to_string(), |(head, small)| format!("{head} {small}"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A run-together English title shown as words (`DartForTheLanguageEnthusiast`): only with
/// four parts or more, or three with a small word among them (`GraphComputingAtScale`), since
/// products are written so too (`CloudWeGo`, `JavaScript`).
fn spread_camel(s: &str) -> Option<String> {
    let parts = camel_parts(s)?;
    let small = [
        "At", "For", "The", "Of", "And", "In", "To", "With", "On", "By",
    ];
    let ok = parts.len() >= 4 || (parts.len() == 3 && parts.iter().any(|p| small.contains(p)));
    ok.then(|| join_camel_parts(&parts))
}

/// `SweatingTheSmallStuff` → `Sweating The Small Stuff`: a run-together word of three parts
/// or more, two of them English words at least and one other at most (two of five or more:
/// `HowScalaConqueredBigData`);
/// not a listed product (`VisualStudioCode`) nor a name with acronyms (`DiffEqFlux`).
fn spread_words_in_phrase(w: &str) -> Option<String> {
    if is_listed_product(w) || lexicon::contains("tech-word", w) {
        return None;
    }
    let parts = camel_parts(w)?;
    let small = [
        "a", "an", "at", "by", "for", "in", "is", "of", "on", "to", "the", "and", "or", "vs", "we",
        "you", "my", "our", "how", "why", "what", "all", "big", "new", "old", "top", "one", "two",
        "not", "no", "get", "use", "way", "run", "web", "app",
    ];
    let wordish = |p: &&str| is_english_form(p) || small.iter().any(|s| s.eq_ignore_ascii_case(p));
    let words = parts.iter().filter(|p| wordish(p)).count();
    let others = parts.len() - words;
    let few_others = others <= 1 || (parts.len() >= 5 && others <= 2);
    // A phrase, not a product's name (`SharePointOnline`, `PlayStationNetwork`): a small word
    // or a verb's form among the parts (`SweatingTheSmallStuff`, `HowScala…`).
    let phrase = parts
        .iter()
        .any(|p| small.iter().any(|s| s.eq_ignore_ascii_case(p)) || is_english_verb_form(p));
    (parts.len() >= 3 && words >= 2 && few_others && phrase).then(|| join_camel_parts(&parts))
}

/// How two title pieces are joined: by their separator, spaced as written.
fn joiner(sep: &str) -> String {
    // `moving_faster__everyday_efficiency…`: `__` between fields of the title stands for a
    // dash, as `_` stands for a space.
    if sep.trim() == "__" {
        return " - ".to_string();
    }
    let core: String = sep
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect();
    // `--` as one `-`; the Chinese dash `——` is one mark of two characters.
    let core = if core.chars().count() > 1 && core != "——" {
        core.chars().take(1).collect()
    } else {
        core
    };
    if core.is_empty() {
        " ".to_string()
    } else if sep.chars().any(char::is_whitespace) {
        format!(" {core} ")
    } else {
        core
    }
}

/// A title's words as displayed: `_` standing for `:` becomes `: `, an underscore between words
/// a space, whitespace collapsed.
fn display_title(text: &str) -> String {
    if let Some(spread) = spread_camel(text) {
        return spread;
    }
    let text = &text
        .split(' ')
        .map(unhyphen_slug_chain)
        .collect::<Vec<_>>()
        .join(" ");
    let chars: Vec<char> = text.chars().collect();
    let spaced = text.contains(' ');
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let lower = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase());
            if spaced && lower(prev) && lower(next) {
                // An identifier in a spaced title: `dynamic_cast From Scratch`.
                out.push('_');
            } else if prev.is_some_and(|p| !p.is_whitespace())
                && next.is_some_and(char::is_whitespace)
            {
                out.push(':');
            } else {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    tidy_edges(&out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A speaker's surname written alone before the talk (`Forsythe-…`, `Rohrer - Elixir and …`):
/// one capitalised word, no common English word, and no listed given name, product, language,
/// company or event.
fn leading_surname(w: &str) -> bool {
    // `McNeil`, `DeVivo`: a surname's prefix before a second capital.
    (4..=14).contains(&w.len())
        && one_surname(w)
        && no_common_or_product_word(w)
        // Only the curated names: many surnames are somebody's given name (`Brandt`).
        && !lexicon::contains("given-name", w)
        && !lexicon::contains("latin-not-name", w)
        && !is_event_name(w)
}

/// `Alice_Wong`: the word before the `_` at `at` is a listed given name and the word after it
/// a capitalised one (letters only, both).
fn given_name_joined(chars: &[char], at: usize) -> bool {
    let before: String = {
        let start = chars[..at]
            .iter()
            .rposition(|c| !c.is_alphabetic())
            .map_or(0, |p| p + 1);
        chars[start..at].iter().collect()
    };
    let after: String = chars
        .iter()
        .skip(at + 1)
        .take_while(|c| c.is_alphabetic())
        .collect();
    // Any capital, not only ASCII ones as `is_capitalised_word` takes: `Åsa_Lindqvist`.
    let capitalised = |w: &str| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase) && w.chars().count() >= 2
    };
    capitalised(&before)
        && capitalised(&after)
        && given_name_first(&before)
        // A surname may be a word (`Smith`, `Baker`), not a product.
        && !lexicon::contains("tech-word", &after)
        && !is_listed_product(&after)
        && event_prefix_len(&after).is_none()
}

/// A common English word or one of its forms (`Taming`, `Checkers`, `Solved`, `Decoder`).
fn is_english_form(p: &str) -> bool {
    let lower = p.to_ascii_lowercase();
    lexicon::is_english_word(&lower)
        || is_english_verb_form(&lower)
        || ["s", "es", "er", "ers", "ed", "d", "r"].iter().any(|e| {
            lower
                .strip_suffix(e)
                .is_some_and(|stem| stem.len() >= 4 && lexicon::is_english_word(stem))
        })
}

/// `Mastering`, `Scaling`, `Running`: an English verb's `-ing` form, known by its stem
/// (`Hsiaoming` is a name, not a form of a verb).
fn is_english_verb_form(w: &str) -> bool {
    let lower = w.to_ascii_lowercase();
    let Some(stem) = lower.strip_suffix("ing").filter(|s| s.len() >= 3) else {
        return false;
    };
    let doubled =
        stem.len() >= 4 && stem.as_bytes()[stem.len() - 1] == stem.as_bytes()[stem.len() - 2];
    lexicon::is_english_word(&lower)
        || lexicon::is_english_word(stem)
        || lexicon::is_english_word(&format!("{stem}e"))
        || (doubled && lexicon::is_english_word(&stem[..stem.len() - 1]))
}

/// `汤 尧` → `汤尧`: a listed surname and one more character, a space between them, as names
/// of two characters are written to line up with names of three.
fn spaced_han_name(s: &str) -> Option<String> {
    let (surname, given) = s.split_once(' ')?;
    let name = format!("{surname}{}", given.trim_start());
    let one_each = surname.chars().count() == 1 && given.trim_start().chars().count() == 1;
    (one_each && cjk_name(&name) == Some(true)).then_some(name)
}

/// `Max Maaß`, `Lieven Desmet`: a name whose first word is a listed given name.
fn given_name_first(name: &str) -> bool {
    let mut words = name.split_whitespace();
    let Some(given) = words.next() else {
        return false;
    };
    // A name only the world's list knows needs a surname that is no word of a product
    // (`Seldon Core`, `Jasper Reports`).
    let surname_ok = lexicon::contains("given-name", given)
        || words.next_back().is_none_or(|s| {
            !lexicon::is_english_word(s) && !is_plural_noun(s) && no_common_or_product_word(s)
        });
    lexicon::is_given_name(given) && !lexicon::is_english_word(given) && surname_ok
}

/// `Gautam - Building a blockchain …`: a speaker known by a given name alone, capitalised,
/// no common English word, product or event.
fn lone_given_name(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.all(char::is_lowercase)
        && lexicon::is_given_name(w)
        && no_common_or_product_word(w)
        && !is_event_name(w)
}

/// `…_zh-CN`, `…_Ja-Jp`, `…_en-us`: a locale (two letters, a dash, two letters) after an
/// underscore and at least one more field: the name without it.
fn without_locale_tag(s: &str) -> Option<&str> {
    let (head, tag) = s.rsplit_once('_')?;
    let (lang, region) = tag.split_once('-')?;
    let letters = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic());
    let known = ["zh", "en", "ja", "ko", "de", "fr", "es", "pt", "ru", "it"]
        .iter()
        .any(|l| lang.eq_ignore_ascii_case(l));
    (letters(lang) && letters(region) && known && !head.is_empty()).then_some(head)
}

/// Whether Han text ends as titles do (`…介绍`, `…实践`: the lexicon's `han-title-ending`).
fn has_han_title_ending(s: &str) -> bool {
    lexicon::words("han-title-ending")
        .iter()
        .any(|e| s.ends_with(e))
}

/// A surname written alone first (`Pollak_…`, `Nygard-…`): [`leading_surname`], and no word a
/// talk opens with (`Observability`, `Scaling`).
fn bare_surname(w: &str) -> bool {
    leading_surname(w) && !has_title_word_ending(w) && !is_english_verb_form(w)
}

/// A small word after which a year or a name belongs to the phrase: an English preposition
/// (`in 2023`, `to OWASP`) or one of the languages talks are given in (`mit`, `con`, `su`).
fn is_phrase_word_before(w: &str) -> bool {
    lexicon::contains("preposition", w)
        || [
            "mit", "für", "con", "su", "per", "avec", "pour", "sur", "para", "en", "de",
        ]
        .iter()
        .any(|p| w.eq_ignore_ascii_case(p))
}

/// The short words that open English titles (`How I Met…`, `A Run a Day…`), below the
/// four letters the common-word list starts at.
fn is_short_function_word(w: &str) -> bool {
    [
        "a", "an", "the", "how", "why", "what", "who", "i", "we", "you", "my", "our", "your",
        "new", "is", "are", "do", "not", "no", "to", "in", "on", "of", "one",
    ]
    .iter()
    .any(|f| w.eq_ignore_ascii_case(f))
}

/// A year of these decades, `2019`: four digits from 19 or 20, before 2040 (`SG2042` is a
/// chip, `碳中和2060` a goal: no deck is dated so).
fn is_year(w: &str) -> bool {
    w.len() == 4 && all_digits(w) && (w.starts_with("19") || (w.starts_with("20") && w < "2040"))
}

/// A pinyin syllable or word of syllables (`Wang`, `Jifei`, `Yingbo`).
fn is_pinyin_word(w: &str) -> bool {
    lexicon::contains("pinyin", &w.to_ascii_lowercase()) || pinyin_syllables(w).is_some()
}

/// A word that may be part of a name nobody listed: no common English word, no language,
/// tool, company or product, no event.
fn no_common_or_product_word(w: &str) -> bool {
    !lexicon::is_english_word(w)
        && !lexicon::contains("tech-word", w)
        && !lexicon::contains("company", w)
        && !lexicon::contains("camel-word", w)
        && event_prefix_len(w).is_none()
}

/// `Guidelines`, `minutes`, `Tools`: the plural of a common English noun (its stem listed).
fn is_plural_noun(w: &str) -> bool {
    let lower = w.to_ascii_lowercase();
    let stem_listed = ["s", "es"].iter().any(|e| {
        lower
            .strip_suffix(e)
            .is_some_and(|stem| stem.len() >= 3 && lexicon::is_english_word(stem))
    });
    lower.len() >= 4
        && lower.bytes().all(|b| b.is_ascii_lowercase())
        && lower.ends_with('s')
        && !lower.ends_with("ss")
        && (stem_listed || lexicon::is_english_word(&lower))
}

/// `ways` in `6 ways for …`, `Tips` in `10 Tips …`: a word a title counts.
fn counts_things(w: &str) -> bool {
    [
        "ways",
        "tips",
        "things",
        "lessons",
        "reasons",
        "steps",
        "rules",
        "patterns",
        "mistakes",
        "myths",
        "years",
        "days",
        "ideas",
        "tricks",
        "habits",
        "principles",
    ]
    .iter()
    .any(|c| w.eq_ignore_ascii_case(c))
}

/// `typed-assembly-languages`, `The-Hitchhikers-Guide-to-the-TiDB`: three words or more of a
/// title joined only by hyphens stand for spaced words; a compound keeps its hyphens
/// (`end-to-end`, `state-of-the-art`: a small word inside, four words at most), and so do two
/// words in a spaced title (`Kubernetes-native`, `llm-d`) and a prefix (`Self-Healing`).
fn unhyphen_slug_chain(token: &str) -> String {
    let parts: Vec<&str> = token.split('-').collect();
    let wordy = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '\'' | '+' | '#' | '.'))
            && !w.chars().any(is_han)
    };
    if parts.len() < 3 || !parts.iter().all(|w| wordy(w)) || is_small_word_compound(&parts) {
        return token.to_string();
    }
    join_slug_words(&parts)
}

/// `end-to-end`, `state-of-the-art`: a compound with a small word inside, hyphened as written.
fn is_small_word_compound(parts: &[&str]) -> bool {
    let small = ["to", "of", "the", "by", "in", "and", "a", "on", "for"];
    // A compound repeats its word (`end-to-end`, `peer-to-peer`) or is an idiom
    // (`state-of-the-art`); `Register-Allocation-in-LLVM` is a slug.
    const IDIOMS: &[&str] = &[
        "state-of-the-art",
        "out-of-the-box",
        "up-to-date",
        "man-in-the-middle",
        "work-in-progress",
        "out-of-band",
        "out-of-order",
        "out-of-memory",
        "copy-on-write",
        "ahead-of-time",
        "just-in-time",
        "end-of-life",
        "all-in-one",
        "point-in-time",
        "sign-in",
    ];
    let idiom = |ps: &[&str]| {
        let joined = ps.join("-").to_ascii_lowercase();
        IDIOMS.contains(&joined.as_str()) || (ps.len() == 3 && ps[0].eq_ignore_ascii_case(ps[2]))
    };
    (3..=4).contains(&parts.len())
        && parts[1..parts.len() - 1]
            .iter()
            .any(|w| small.iter().any(|s| w.eq_ignore_ascii_case(s)))
        && idiom(parts)
}

/// A title written as a slug, without a space (`structured-logging`, `CRDTs-Illustrated`):
/// a hyphen between Latin words there stands for a space. Beside Han (`A-Tune算法解析`) or
/// underscores standing for spaces (`Read-Write_Locking`), a hyphen is the word's own.
fn unhyphen_slug_title(token: &str) -> String {
    let parts: Vec<&str> = token.split('-').collect();
    if parts.len() < 2
        || token.contains('_')
        || token.chars().any(is_han)
        || is_small_word_compound(&parts)
    {
        return token.to_string();
    }
    join_slug_words(&parts)
}

/// Slug words joined by spaces, keeping the hyphen after a prefix (`Non-Hermitian`,
/// `Self-Healing`), after a first letter (`e-commerce`), before a last one (`llm-d`) and
/// where either side is no Latin word.
fn join_slug_words(parts: &[&str]) -> String {
    const PREFIXES: &[&str] = &[
        "non", "self", "multi", "cross", "co", "pre", "re", "anti", "semi", "sub", "inter", "off",
    ];
    // `빠른-웹-개발을-위한`: Korean spaces its words, so a slug of Hangul words is spaced too.
    let latin_word = |w: &str| {
        (w.bytes().any(|b| b.is_ascii_alphabetic())
            && w.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'+'))
            || (!w.is_empty() && w.chars().all(crate::script::is_hangul))
    };
    // `present-and-2.7-update`: a version number between words of the slug is one of them.
    let number = |w: &str| {
        w.len() >= 2
            && w.contains('.')
            && w.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && w.starts_with(|c: char| c.is_ascii_digit())
    };
    let latin_word = |w: &str| latin_word(w) || number(w);
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            let left = parts[i - 1];
            // `Wi-Fi`: two short halves are one word.
            let short_pair = left.len() <= 2 && part.len() <= 2 && part.is_ascii();
            let spaced = latin_word(left)
                && latin_word(part)
                && !short_pair
                && (part.len() > 1 || part.chars().all(crate::script::is_hangul))
                && !(i == 1 && left.len() == 1)
                && !PREFIXES.iter().any(|p| left.eq_ignore_ascii_case(p));
            out.push(if spaced { ' ' } else { '-' });
        }
        out.push_str(part);
    }
    out
}

fn tidy_edges(s: &str) -> String {
    let edge =
        |c: char| c.is_whitespace() || matches!(c, '_' | '-' | '+' | '、' | '|' | '—' | '–' | '~');
    let trimmed = s.trim_matches(edge);
    // `C++` keeps its pluses; `张涛+` loses a stray one.
    let rest = &s[s.len() - s.trim_start_matches(edge).len()..];
    let pluses = rest[trimmed.len()..]
        .chars()
        .take_while(|&c| c == '+')
        .count();
    if pluses >= 2 && trimmed.ends_with(|c: char| c.is_ascii_alphabetic()) {
        format!("{trimmed}{}", "+".repeat(pluses))
    } else {
        trimmed.to_string()
    }
}

fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let start = s.len().checked_sub(suffix.len())?;
    let tail = s.get(start..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..start])
}

#[cfg(test)]
mod tests;
