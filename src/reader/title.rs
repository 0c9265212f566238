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
    if let Some((head, tail)) = s.rsplit_once('_') {
        if !head.is_empty() && (1..=2).contains(&tail.len()) && all_digits(tail) {
            s = head;
        }
    }
    analyze(s)
}

/// File extensions sometimes left in names.
const EXTENSIONS: &[&str] = &[".pdf", ".pptx", ".ppt", ".key", ".md", ".markdown", ".odp"];

// ---------------------------------------------------------------------------------------------
// Normalisation

/// Entities (also double-escaped), a percent-encoded name, compatibility ideographs folded, and
/// `+` decoded to a space where it stands for one.
fn normalize(raw: &str) -> String {
    let mut text = raw.trim().to_string();
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
    let folded = fold_compatibility(&text);
    // A title without spaces but with `+` was form-encoded: `+` stands for a space.
    if folded.contains('+') && !folded.chars().any(char::is_whitespace) {
        decode_plus(&folded)
    } else {
        folded
    }
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
        if literal_before_punct {
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
    matches!(c, '-' | '—' | '–' | '|' | '｜' | '_' | '~')
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
                if digits {
                    false
                } else {
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
            '_' => {
                let space_next = next.is_some_and(char::is_whitespace);
                let space_prev = prev.is_some_and(char::is_whitespace);
                if (latin(prev) && space_next) || (space_prev && latin(next)) {
                    false // `Go_ Real` → `Go: Real`, done when displayed
                } else {
                    // Between Latin letters: a space in a name-like text without spaces
                    // (`Neal_Ford`, `AWS18_DevDay`), a field separator in a text with spaces.
                    !(latin(prev) && latin(next) && !has_spaces)
                }
            }
            '、' => {
                current.trim().chars().all(|c| c.is_ascii_digit()) && !current.trim().is_empty()
            }
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
        for word in piece.text.split_whitespace() {
            words.extend(split_glued(word, first && words.is_empty()));
        }
        // Peel recognised noise from both edges; what is left is the piece's core.
        let mut left = Vec::new();
        let mut right = Vec::new();
        let mut lo = 0;
        let mut hi = words.len();
        while lo < hi {
            let next_latin = words
                .get(lo + 1)
                .filter(|_| lo + 1 < hi)
                .is_some_and(|(w, _)| w.starts_with(|c: char| c.is_ascii_alphabetic()));
            match edge_class(&words[lo], first && lo == 0, next_latin) {
                Some(class) => {
                    let mut text = words[lo].0.clone();
                    lo += 1;
                    // `Qcon 北京2018`: a city or year written apart belongs to the event.
                    while class == SegmentClass::Event
                        && lo < hi
                        && words[lo].1.is_none()
                        && is_city_or_year(&words[lo].0)
                    {
                        text.push(' ');
                        text.push_str(&words[lo].0);
                        lo += 1;
                    }
                    left.push((text, class));
                }
                None => break,
            }
        }
        while lo < hi {
            match edge_class(&words[hi - 1], false, false) {
                Some(class) => {
                    right.push((words[hi - 1].0.clone(), class));
                    hi -= 1;
                }
                None => break,
            }
        }
        let push = |text: String, class: SegmentClass, units: &mut Vec<Unit>| {
            let mut u = Unit::new(text, class, piece, index);
            if class == SegmentClass::Person {
                u.names = person_names(&u.text).unwrap_or_else(|| vec![u.text.clone()]);
            }
            units.push(u);
        };
        for (text, class) in left {
            push(text, class, &mut units);
        }
        if lo < hi {
            let core = words[lo..hi]
                .iter()
                .map(|(w, _)| w.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            units.push(classify_core(&core, piece, index, first && lo == 0));
        }
        for (text, class) in right.into_iter().rev() {
            push(text, class, &mut units);
        }
    }
    units
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
    if event_prefix_len(w) == Some(w.len()) {
        return Some(SegmentClass::Event);
    }
    if is_version(w) {
        return Some(SegmentClass::Version);
    }
    if first && is_ordinal(w) {
        return Some(SegmentClass::Ordinal);
    }
    // A number in a Latin phrase (`3.5 years`) is part of it.
    if !next_is_latin {
        if session_prefix_len(w) == w.len() {
            return Some(SegmentClass::SessionCode);
        }
        if is_date(w) {
            return Some(SegmentClass::Date);
        }
    }
    if cjk_name(w) == Some(true) {
        return Some(SegmentClass::Person);
    }
    None
}

/// A piece's core (its words minus recognised edges), classified as a whole.
fn classify_core(core: &str, piece: &Piece, index: usize, first: bool) -> Unit {
    use SegmentClass as C;
    let class = if is_status_word(core, false) {
        C::StatusWord
    } else if event_prefix_len(core) == Some(core.len()) {
        C::Event
    } else if is_version(core) || is_copy_marker(core) {
        C::Version
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
    } else if person_names(core).is_some() {
        C::Person
    } else if is_company_or_track(core) {
        C::CompanyOrTrack
    } else {
        C::Title
    };
    let mut unit = Unit::new(core, class, piece, index);
    if class == C::Person {
        unit.names = person_names(core).unwrap_or_default();
    }
    if class == C::Title {
        unit.shape = shape_of(core);
    }
    unit
}

fn classify_bracket(piece: &Piece, index: usize, open: char) -> Unit {
    use SegmentClass as C;
    let inner = piece.text.trim();
    let class = if open == '《' {
        C::BracketedTitle
    } else if is_status_word(inner, false) {
        C::StatusWord
    } else if is_version(inner)
        || is_copy_marker(inner)
        || inner
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && all_digits(p))
    {
        C::Version
    } else if event_prefix_len(inner) == Some(inner.len()) {
        C::Event
    } else if session_prefix_len(inner) == inner.len() {
        C::SessionCode
    } else if is_date(inner) {
        C::Date
    } else if person_names(inner).is_some() {
        C::Person
    } else {
        C::Title
    };
    let mut unit = Unit::new(inner, class, piece, index);
    if class == C::Person {
        unit.names = person_names(inner).unwrap_or_default();
    }
    if class == C::Title {
        unit.shape = shape_of(inner);
    }
    unit
}

/// Split a word at glued boundaries: `19日下2廖雪梅` → `19日下2` (session) + `廖雪梅`;
/// `keshangchuan周大江`; `3AWS18_DevDay`; `任庆杰3`; `v1.7的副本`; `架构.v4`.
fn split_glued(word: &str, first: bool) -> Vec<(String, Option<SegmentClass>)> {
    use SegmentClass as C;
    let mut out = Vec::new();
    let mut rest = word;
    if is_status_word(word, true) || is_copy_marker(word) {
        return vec![(word.to_string(), None)];
    }
    // Leading parts, repeatedly.
    loop {
        let starts_han = |s: &str| s.chars().next().is_some_and(is_han);
        let n = session_prefix_len(rest);
        if n > 0 && n < rest.len() && starts_han(&rest[n..]) {
            out.push((rest[..n].to_string(), Some(C::SessionCode)));
            rest = &rest[n..];
            continue;
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
        // A name glued to a Latin title: `王强ApacheRocketMQ事务消息`.
        let split = name_before_latin(rest);
        match split {
            Some(n) => {
                out.push((rest[..n].to_string(), Some(C::Person)));
                out.push((rest[n..].to_string(), None));
            }
            None => out.push((rest.to_string(), None)),
        }
    }
    out.extend(tail.into_iter().rev());
    out
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

/// Status words that are never part of a talk's title, recognised at a piece's edges.
const STATUS_WORDS: &[&str] = &[
    "最终版",
    "最最终版",
    "最终稿",
    "最终",
    "最后版",
    "终版",
    "终稿",
    "定稿",
    "定版",
    "可上传",
    "可以上传",
    "可公开",
    "可以公开",
    "公开版",
    "对外版",
    "对外",
    "发布版",
    "可发布",
    "可发布版",
    "可发布版本",
    "修改后发布",
    "修改后",
    "修订版",
    "修改版",
    "演讲版",
    "分享版",
    "正式版",
    "完整版",
    "最新版",
    "确认版",
    "已确认",
    "已审核",
    "审核版",
    "无视频",
    "重要",
    "final",
    "finalversion",
    "keshangchuan",
    "kegongkai",
    "kefabu",
];

/// Words that are status words only as a whole piece (`…-new`), never at the edge of a phrase.
const WEAK_STATUS_WORDS: &[&str] = &[
    "new",
    "draft",
    "copy",
    "public",
    "release",
    "公开",
    "final version",
    "ok",
    "latest",
    "updated",
];

fn is_status_word(s: &str, edge: bool) -> bool {
    let s = s.trim();
    STATUS_WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
        || (!edge && WEAK_STATUS_WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)))
}

/// A status word glued before more text: a Latin one before Han (`keshangchuan周大江`) or a
/// Han one of three or more characters (`最终版王强`).
fn glued_status_prefix_len(s: &str) -> Option<usize> {
    let mut best: Option<usize> = None;
    for w in STATUS_WORDS {
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
fn glued_status_suffix_len(s: &str) -> Option<usize> {
    STATUS_WORDS
        .iter()
        .filter(|w| !w.is_ascii() && w.chars().count() >= 3)
        .filter(|w| s.len() > w.len() && s.ends_with(*w))
        .map(|w| w.len())
        .max()
}

/// Conference names; a city and a year may follow (`QCon北京2018`), a short Latin prefix may
/// come before (`AWS18_DevDay`).
const EVENT_BRANDS: &[&str] = &[
    "qcon",
    "archsummit",
    "gmtc",
    "giac",
    "aicon",
    "cnutcon",
    "gitc",
    "sacc",
    "dtcc",
    "devday",
    "kubecon",
    "gopherchina",
    "techday",
    "devcon",
];

const CITIES: &[&str] = &[
    "北京",
    "上海",
    "深圳",
    "广州",
    "杭州",
    "成都",
    "南京",
    "武汉",
    "西安",
    "香港",
    "台北",
    "beijing",
    "shanghai",
    "shenzhen",
    "guangzhou",
    "hangzhou",
];

/// `北京`, `2018`, `北京2018`: what may follow a conference's name.
fn is_city_or_year(s: &str) -> bool {
    let lower = s.to_lowercase();
    let rest = CITIES
        .iter()
        .find_map(|c| lower.strip_prefix(c))
        .unwrap_or(&lower);
    let rest = rest.strip_prefix(['_', ' ']).unwrap_or(rest);
    (rest.is_empty() && rest.len() < lower.len())
        || (all_digits(rest) && matches!(rest.len(), 2 | 4))
}

/// The byte length of a conference name at the start of `s`, if one is there.
fn event_prefix_len(s: &str) -> Option<usize> {
    let lower = s.to_lowercase();
    if lower.len() != s.len() {
        return None; // lowercasing changed byte lengths: not an ASCII-led name
    }
    let brand_at = |at: usize| {
        EVENT_BRANDS
            .iter()
            .find(|b| lower[at..].starts_with(*b))
            .map(|b| at + b.len())
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
        let mut at = letters + digits;
        if lower[at..].starts_with(['_', ' ']) {
            at += 1;
        }
        brand_at(at)
    })?;
    // The brand must end a Latin word (`qcon` but not `qconx`).
    if lower[end..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        if let Some(city) = CITIES.iter().find(|c| lower[end..].starts_with(*c)) {
            end += city.len();
        } else {
            return None;
        }
    }
    let skip_space = |e: usize| {
        if lower[e..].starts_with(['_', ' ']) {
            e + 1
        } else {
            e
        }
    };
    if let Some(city) = CITIES
        .iter()
        .find(|c| lower[skip_space(end)..].starts_with(*c))
    {
        end = skip_space(end) + city.len();
    }
    let at = skip_space(end);
    let digits = lower[at..].bytes().take_while(u8::is_ascii_digit).count();
    if digits == 2 || digits == 4 {
        end = at + digits;
        if let Some(city) = CITIES.iter().find(|c| lower[end..].starts_with(*c)) {
            end += city.len();
        }
    }
    if lower[end..].starts_with("大会") {
        end += "大会".len();
    }
    Some(end)
}

/// `v2`, `V1.2`, `v3.0.1`, `.v4`.
fn is_version(s: &str) -> bool {
    let s = s.strip_prefix('.').unwrap_or(s);
    let Some(rest) = s.strip_prefix(['v', 'V']) else {
        return false;
    };
    !rest.is_empty()
        && rest
            .split('.')
            .all(|part| !part.is_empty() && part.len() <= 3 && all_digits(part))
}

/// `的副本`, `副本`, `副本2`, `copy`.
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
    (1..=3).contains(&s.len()) && all_digits(s)
}

/// `4.17`, `10-18`, `2018.4.17`, `2018-10-19`, `10月19日`.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split(['.', '-', '/']).collect();
    let numeric = parts.iter().all(|p| all_digits(p));
    let ok_lengths = match parts.as_slice() {
        [m, d] => m.len() <= 2 && d.len() <= 2,
        [y, m, d] => y.len() == 4 && m.len() <= 2 && d.len() <= 2,
        _ => false,
    };
    if numeric && ok_lengths {
        return true;
    }
    // 10月19日
    let chars: Vec<char> = s.chars().collect();
    let n = session_date_atom(&chars);
    n > 0 && n == chars.len()
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
            return at + k;
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

/// Common single-character Chinese surnames.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸慕危玉银亢嵇公湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由";

/// Two-character Chinese surnames.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "独孤", "南宫", "西门", "端木", "百里", "呼延", "澹台", "太史", "申屠",
    "钟离",
];

/// Characters of technical and everyday words that (almost) never occur in given names: a
/// segment containing one is a word (`高可用`, `龙智数码`), not a person.
const NON_NAME_CHARS: &str = "的之与在用化式性型级度率器件据统务构术计践战网库量析案理系台端享谈浅深论探篇版稿署测试码编序例法模块层链路流机制服架设数字算引擎存缓域页面组态移动实优效质础施微镜像调产品营销场专题讲幻灯片议厅公司集团技限股份息软硬络能习框放分布监控运交易支付融险旧低快慢多少前后内外里入出去做看说变革命解问答课训练";

/// Characters common in given names that also start or make up words (`云原生`, `大数据`,
/// `中台`): a name of unknown surname must not contain them either.
const WORD_OR_NAME_CHARS: &str = "大小新高中业展源云来平学开群治金风程科信会维全基容和智安";

fn han_chars(s: &str) -> Option<Vec<char>> {
    let chars: Vec<char> = s.chars().filter(|&c| c != '·' && c != '•').collect();
    (!chars.is_empty() && chars.iter().all(|&c| is_han(c))).then_some(chars)
}

/// Whether `s` is a Chinese name: `Some(true)` certain (a known surname, 2–3 characters, or a
/// compound surname, 3–4), `Some(false)` possible (2–3 characters, no word characters),
/// `None` not a name.
fn cjk_name(s: &str) -> Option<bool> {
    let chars = han_chars(s)?;
    if s.contains('·') && (3..=12).contains(&chars.len()) {
        return Some(true);
    }
    let no_word_chars = |cs: &[char]| !cs.iter().any(|&c| NON_NAME_CHARS.contains(c));
    let compound = COMPOUND_SURNAMES.iter().any(|c| s.starts_with(c));
    if compound && (3..=4).contains(&chars.len()) && no_word_chars(&chars[2..]) {
        return Some(true);
    }
    if (2..=3).contains(&chars.len()) && SURNAMES.contains(chars[0]) && no_word_chars(&chars[1..]) {
        return Some(true);
    }
    if (2..=3).contains(&chars.len())
        && no_word_chars(&chars)
        && !chars.iter().any(|&c| WORD_OR_NAME_CHARS.contains(c))
    {
        return Some(false);
    }
    None
}

const LATIN_STOPWORDS: &[&str] = &[
    "The", "A", "An", "Of", "And", "For", "In", "On", "To", "With", "At", "By", "Is", "From",
    "How", "What", "Why", "Go", "New", "Big", "Data",
];

/// "Firstname Lastname" (two or three capitalised words, `_`, `+` or space between).
fn is_latin_name(s: &str) -> bool {
    let words: Vec<&str> = s.split([' ', '_']).filter(|w| !w.is_empty()).collect();
    (2..=3).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            let first_upper = chars.next().is_some_and(|c| c.is_ascii_uppercase());
            let rest: Vec<char> = chars.collect();
            first_upper
                && (1..=14).contains(&rest.len())
                && rest
                    .iter()
                    .all(|c| c.is_ascii_lowercase() || *c == '\'' || *c == '-')
                && !LATIN_STOPWORDS.contains(w)
        })
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
    let parts: Vec<&str> = s
        .split(['&', '＆', '、', ',', '，', '/', '／'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    let several = parts.len() > 1;
    let mut names = Vec::new();
    for p in parts {
        let ok = match cjk_name(p) {
            Some(true) => true,
            Some(false) => several,
            None => several && is_latin_name(p),
        };
        if !ok {
            return None;
        }
        names.push(display_name(p));
    }
    Some(names)
}

fn display_name(s: &str) -> String {
    s.split([' ', '_'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Endings of companies, tracks and deck labels (`龙智数码`, `AWS专场`, `魔法哥幻灯片`).
const COMPANY_TRACK_SUFFIXES: &[&str] = &[
    "专场",
    "专题",
    "论坛",
    "分会场",
    "峰会",
    "公司",
    "集团",
    "科技",
    "数码",
    "股份",
    "幻灯片",
    "演讲稿",
    "讲稿",
    "课件",
    "ppt",
    "slides",
    "deck",
];

fn is_company_or_track(s: &str) -> bool {
    let lower = s.to_lowercase();
    s.chars().count() <= 12
        && !s.contains(' ')
        && COMPANY_TRACK_SUFFIXES
            .iter()
            .any(|suffix| lower.ends_with(suffix) && lower.len() > suffix.len())
}

fn shape_of(core: &str) -> Shape {
    if cjk_name(core) == Some(false) {
        Shape::CjkName
    } else if is_latin_name(core) {
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
    // Title units joined inside a Latin word (`end-to-end`) are one.
    let mut merged: Vec<Unit> = Vec::new();
    for u in units.drain(..) {
        if let Some(last) = merged.last_mut() {
            let names = |u: &Unit| u.shape == Shape::LatinName;
            if u.tight
                && last.class == C::Title
                && u.class == C::Title
                && u.piece == last.piece + 1
                // `Kubernetes at Airbnb-Melanie Cebula`: a name beside a phrase is not a word.
                && !(names(&u) && last.text.contains(' '))
                && !(names(last) && u.text.contains(' '))
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
        let nick = units[i].glued
            && matches!(units[i].bracket, Some('(' | '（'))
            && matches!(units[i].class, C::Title | C::Person)
            && units[i].text.chars().count() <= 8
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
        i += 1;
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
    for (i, u) in units.iter_mut().enumerate() {
        if u.class != C::Title {
            continue;
        }
        let before_title = first_clear.is_some_and(|f| i < f);
        let to_person = match u.shape {
            Shape::Plain => false,
            // Uncertain names only where no certain speaker is named.
            Shape::LatinWord => {
                clear_title
                    && !has_person
                    && (cjk_title
                        || underscore_next[i]
                        || (before_title && u.text.chars().all(|c| c.is_ascii_lowercase())))
            }
            Shape::LatinName => {
                clear_title && !has_person && (cjk_title || underscore_next[i] || tight_next[i])
            }
            Shape::CjkName => !has_person,
        };
        if to_person {
            u.class = C::Person;
            u.names = vec![display_name(&u.text)];
        } else if has_bracketed || (u.shape == Shape::CjkName && has_person) {
            // Beside a `《…》` title, other text names a company or a track.
            u.class = C::CompanyOrTrack;
        } else if u.shape == Shape::LatinWord && has_person && !clear_title {
            // `王沛-终稿-rekit`: a keyword beside a speaker names no talk.
            u.class = C::CompanyOrTrack;
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
        for u in units.iter_mut().filter(|u| u.class == C::Title) {
            let n = u.text.chars().count();
            if n <= 4 && u.text.chars().all(is_han) && longest >= n + 3 {
                u.class = C::CompanyOrTrack;
            }
        }
    }

    // The title.
    let title = if let Some(b) = units.iter().find(|u| u.class == C::BracketedTitle) {
        Some(display_title(&b.text))
    } else {
        let mut out = String::new();
        let mut last_piece: Option<usize> = None;
        for u in units.iter().filter(|u| u.class == C::Title) {
            if let Some(_last) = last_piece {
                out.push_str(&joiner(&u.sep_before));
            }
            out.push_str(&display_title(&u.text));
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

/// How two title pieces are joined: by their separator, spaced as written.
fn joiner(sep: &str) -> String {
    let core: String = sep
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect();
    let core = if core.chars().count() > 1 {
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
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            if prev.is_some_and(|p| !p.is_whitespace()) && next.is_some_and(char::is_whitespace) {
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

fn tidy_edges(s: &str) -> String {
    s.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '_' | '-' | '+' | '、' | '|' | '—' | '–' | '~')
    })
    .to_string()
}

fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let start = s.len().checked_sub(suffix.len())?;
    let tail = s.get(start..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..start])
}

#[cfg(test)]
mod tests;
