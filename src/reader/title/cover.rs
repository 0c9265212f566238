//! The cover slide's largest text against the title read from the deck's own words (its
//! heading or file name), for `--ocr`: the two agree (the cover confirms), or they disagree
//! and one wins. The reading keeps its exact characters where the two agree, since text
//! recognition may misread a character that the file name has right; the cover wins only
//! where the reading is weak (a stand-in, one word, a company) and the cover's text names a
//! talk, since a cover may also show only a logo, an event or an agenda.

use super::{analyze, cjk_name, fold_compatibility, is_latin_name, reading_score};

/// Readings that score below this name a talk weakly: a stand-in (0), one word or up to
/// four Han characters (1), a phrase shorter than about four Han characters. A cover may
/// correct only these.
pub const WEAK_READING: u32 = 6;

/// Two titles at least this similar (1 − edit distance ÷ the longer's length, over letters and
/// digits only) are one title read twice: text recognition misreads a character or two in a
/// line, and punctuation and spacing differ between a file name and a slide.
const SAME_TITLE: f32 = 0.75;

/// What the cover slide said about the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverVerdict {
    /// The cover's text is the reading's title (or contains it, or is contained in it).
    Confirms,
    /// The reading was weak and the cover names a talk: the cover's title wins.
    Corrects,
    /// They disagree, and the reading stays: it names a talk, or the cover does not.
    Overruled,
}

/// The comparison of the cover slide's largest text with the deck's title, for `-v`.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverCheck {
    /// The cover's largest text as recognised.
    pub cover: String,
    /// What the cover's text says once cleaned like a title (`None`: it names no talk).
    pub cover_title: Option<String>,
    /// The title read from the deck's own words.
    pub reading: String,
    /// `reading_score` of the reading and of the cover's text.
    pub reading_score: u32,
    pub cover_score: u32,
    /// How alike the two are, 0 to 1 (letters and digits only, case folded).
    pub similarity: f32,
    /// One contains the other (at four characters or more).
    pub contained: bool,
    /// The reading holds the cover's text after other words (`4 Jonathan Lindstrom Soft
    /// Skills…` against `Soft Skills…`).
    pub prefixed: bool,
    pub verdict: CoverVerdict,
}

impl CoverCheck {
    /// The title that won.
    pub fn title(&self) -> &str {
        match self.verdict {
            CoverVerdict::Corrects => self.cover_title.as_deref().unwrap_or(&self.cover),
            CoverVerdict::Confirms | CoverVerdict::Overruled => &self.reading,
        }
    }

    /// Which reading won and why, in a sentence for `-v`.
    pub fn why(&self) -> String {
        let (cover, reading) = (&self.cover, &self.reading);
        let (rs, cs, sim) = (self.reading_score, self.cover_score, self.similarity);
        match self.verdict {
            CoverVerdict::Confirms if self.contained && sim < SAME_TITLE => {
                format!("the cover slide's `{cover}` confirms `{reading}` (one contains the other)")
            }
            CoverVerdict::Confirms => {
                format!("the cover slide's `{cover}` confirms `{reading}` (similarity {sim:.2})")
            }
            CoverVerdict::Corrects if self.prefixed => format!(
                "the cover slide's `{}` replaces `{reading}`, which holds it after other words \
                 (a file name's codes, names or event; the cover's score {cs})",
                self.title()
            ),
            CoverVerdict::Corrects => format!(
                "the cover slide's `{}` replaces `{reading}`: they differ (similarity {sim:.2}) \
                 and the cover names a talk (score {cs}) where the deck's own words name it \
                 weakly (score {rs})",
                self.title()
            ),
            CoverVerdict::Overruled if self.cover_title.is_none() || cs < WEAK_READING => format!(
                "kept `{reading}` (score {rs}) over the cover slide's `{cover}`: they differ \
                 (similarity {sim:.2}) and the cover names no talk (score {cs})"
            ),
            CoverVerdict::Overruled => format!(
                "kept `{reading}` over the cover slide's `{cover}`: they differ (similarity \
                 {sim:.2}) but the deck's own words name a talk (score {rs}, the cover {cs})"
            ),
        }
    }
}

/// Whether a reading of this score may be corrected by the cover slide at all.
pub fn may_correct(reading_score: u32) -> bool {
    reading_score < WEAK_READING
}

/// Compare the cover's largest text with the reading (`reading_score` as
/// [`reading_score`] rates it, 0 for a stand-in title).
pub fn check_cover(reading: &str, reading_score: u32, cover: &str) -> CoverCheck {
    let cover = cover.split_whitespace().collect::<Vec<_>>().join(" ");
    let analysis = analyze(&cover);
    let cover_score = self::reading_score(&analysis);
    let (a, b) = (comparable(reading), comparable(&cover));
    let similarity = similarity(&a, &b);
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let contained = short.len() >= 4 && window_contains(long, short);
    // File names put codes, names and events before the title and a subtitle after it: words
    // of the reading before the cover's whole text, if they are such noise, are what the
    // cleaner left (a cover may also leave out a smaller first line: `深入理解` stays).
    let prefixed = b.len() >= 6
        && b.len() < a.len()
        && !a.starts_with(&b)
        && cover_score >= WEAK_READING
        && analysis.title.is_some()
        && text_before(reading, &b).is_some_and(is_noise);
    let verdict = if prefixed {
        CoverVerdict::Corrects
    } else if similarity >= SAME_TITLE || contained && !may_correct(reading_score) {
        CoverVerdict::Confirms
    } else if may_correct(reading_score)
        && (cover_score >= WEAK_READING || (reading_score == 0 && b.len() >= 2))
    {
        // A stand-in title gives way to any cover text (a name or one word is still closer to
        // the talk than `Untitled`); a weak reading only to a talk-like one.
        CoverVerdict::Corrects
    } else if contained {
        CoverVerdict::Confirms
    } else {
        CoverVerdict::Overruled
    };
    CoverCheck {
        cover_title: analysis.title,
        cover,
        reading: reading.to_string(),
        reading_score,
        cover_score,
        similarity,
        contained,
        prefixed,
        verdict,
    }
}

/// A title's letters and digits, compatibility forms folded, case folded: what a file name and
/// a slide share when punctuation, spacing and case differ.
fn comparable(s: &str) -> Vec<char> {
    fold_compatibility(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text of `reading` before where `inner` (comparable characters) starts in it.
fn text_before<'a>(reading: &'a str, inner: &[char]) -> Option<&'a str> {
    let (first, _) = inner.split_first()?;
    reading
        .char_indices()
        .filter(|(_, c)| c.to_lowercase().next() == Some(*first))
        .map(|(i, _)| i)
        .find(|&i| comparable(&reading[i..]).starts_with(inner))
        .map(|i| &reading[..i])
}

/// Words a file name puts before a title: running numbers, a speaker's name, or anything the
/// cleaner reads as no talk (an event, a date, a code).
fn is_noise(text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '.' | '、'))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let rest = words.join(" ");
    rest.is_empty()
        || is_latin_name(&rest)
        || cjk_name(&rest) == Some(true)
        || analyze(&rest).title.is_none()
}

fn window_contains(long: &[char], short: &[char]) -> bool {
    long.windows(short.len()).any(|w| w == short)
}

/// 1 − the character edit distance ÷ the longer length; 0 when either is empty.
fn similarity(a: &[char], b: &[char]) -> f32 {
    let longer = a.len().max(b.len());
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    1.0 - row[b.len()] as f32 / longer as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(reading: &str, cover: &str) -> CoverCheck {
        let score = reading_score(&analyze(reading));
        check_cover(reading, score, cover)
    }

    #[test]
    fn a_misread_character_still_confirms_and_the_reading_keeps_its_spelling() {
        let c = check("基于图数据库的知识图谱构建", "基于图数据庫的知识图譜构建");
        assert_eq!(c.verdict, CoverVerdict::Confirms, "{c:?}");
        assert_eq!(c.title(), "基于图数据库的知识图谱构建");
        let c = check("Rust in Production at Scale", "RUST IN PRODUCTION AT SCALE");
        assert_eq!(c.verdict, CoverVerdict::Confirms, "{c:?}");
        assert!(c.why().contains("confirms"), "{}", c.why());
    }

    #[test]
    fn a_cover_with_a_subtitle_confirms_a_clear_reading() {
        let c = check("链路追踪系统设计", "链路追踪系统设计 从采样到存储的取舍");
        assert_eq!(c.verdict, CoverVerdict::Confirms, "{c:?}");
        assert!(c.contained);
    }

    #[test]
    fn a_weak_reading_gives_way_to_a_talk_on_the_cover() {
        // One Latin word from the file name; the cover names the talk.
        let c = check("nohost", "前端代理调试工具的设计与实现");
        assert_eq!(c.verdict, CoverVerdict::Corrects, "{c:?}");
        assert_eq!(c.title(), "前端代理调试工具的设计与实现");
        assert!(c.why().contains("replaces `nohost`"), "{}", c.why());
        // A company's name is weak too, and the cover's text is cleaned like a title.
        let c = check("蔚来汽车", "车联网平台架构演进 - QCon上海2019");
        assert_eq!(c.verdict, CoverVerdict::Corrects, "{c:?}");
        assert_eq!(c.title(), "车联网平台架构演进");
    }

    #[test]
    fn a_cover_corrects_a_reading_with_words_before_its_title() {
        let c = check_cover(
            "7 Maria Lopez Testing Legacy Code Safely",
            9,
            "Testing Legacy Code Safely",
        );
        assert_eq!(c.verdict, CoverVerdict::Corrects, "{c:?}");
        assert_eq!(c.title(), "Testing Legacy Code Safely");
        assert!(c.why().contains("after other words"), "{}", c.why());
        // Words before it that are no noise are the title's own.
        let c = check_cover("深入理解 Kubernetes 调度器", 16, "Kubernetes 调度器");
        assert_eq!(c.verdict, CoverVerdict::Confirms, "{c:?}");
        // A subtitle after the cover's words is the talk's own: confirmed.
        let c = check("容器镜像加速-按需加载的实现", "容器镜像加速");
        assert_eq!(c.verdict, CoverVerdict::Confirms, "{c:?}");
        assert_eq!(c.title(), "容器镜像加速-按需加载的实现");
    }

    #[test]
    fn a_clear_reading_stays_when_the_cover_shows_something_else() {
        // The cover shows the event's banner, not the talk.
        let c = check("消息队列的削峰填谷实践", "ArchSummit 全球架构师峰会 2019");
        assert_eq!(c.verdict, CoverVerdict::Overruled, "{c:?}");
        assert_eq!(c.title(), "消息队列的削峰填谷实践");
        assert!(c.why().starts_with("kept"), "{}", c.why());
        // Both name a talk: the deck's own words win.
        let c = check("消息队列的削峰填谷实践", "高并发系统的流量治理");
        assert_eq!(c.verdict, CoverVerdict::Overruled, "{c:?}");
        assert!(c.why().contains("name a talk"), "{}", c.why());
    }

    #[test]
    fn a_weak_reading_stays_when_the_cover_names_no_talk_either() {
        // A speaker's name on the cover says no more than a one-word file name.
        let c = check("etcd", "张小龙");
        assert_eq!(c.verdict, CoverVerdict::Overruled, "{c:?}");
        assert_eq!(c.title(), "etcd");
    }

    #[test]
    fn a_stand_in_title_takes_any_cover_text() {
        let c = check_cover("陈晨", 0, "Kafka");
        assert_eq!(c.verdict, CoverVerdict::Corrects, "{c:?}");
        assert_eq!(c.title(), "Kafka");
    }

    #[test]
    fn similarity_is_over_letters_and_digits() {
        let s = |a: &str, b: &str| similarity(&comparable(a), &comparable(b));
        assert_eq!(s("Go: 实战", "go 实战!"), 1.0);
        assert_eq!(s("", "x"), 0.0);
        assert!((s("abcd", "abce") - 0.75).abs() < 1e-6);
    }
}
