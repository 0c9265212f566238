//! Line breaking for the text deckconv sets itself: titles, notes, captions, headers.
//!
//! Break opportunities follow UAX #14 (unicode-linebreak): between CJK ideographs, after
//! spaces and hyphens, never before closing punctuation (`，。）」`) or after opening
//! punctuation. Lines are filled greedily; a run wider than the line with no break
//! opportunity (a long URL) is cut between characters. Widths come from the caller's
//! `measure`, so the same code serves any font and size.

use unicode_linebreak::{linebreaks, BreakOpportunity};

use crate::script;

/// The ellipsis appended to text cut short.
pub const ELLIPSIS: &str = "…";

/// Break `text` into lines no wider than `max_width` (trailing spaces do not count).
/// Newlines in `text` are kept as line breaks; blank lines stay as empty lines.
pub fn wrap(text: &str, max_width: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut start = 0;
    let words = cjk_words(text);
    for (end, opportunity) in linebreaks(text) {
        // UAX #14 allows a break between any two ideographs; inside a word (`用户`) it reads
        // as a typo, so only breaks between words are taken.
        if opportunity != BreakOpportunity::Mandatory && inside_word(text, end, &words) {
            continue;
        }
        let segment = &text[start..end];
        start = end;
        let mandatory = opportunity == BreakOpportunity::Mandatory;
        // A mandatory break's segment ends with the newline itself.
        let segment = if mandatory {
            segment.trim_end_matches([
                '\n', '\r', '\u{2028}', '\u{2029}', '\u{0B}', '\u{0C}', '\u{85}',
            ])
        } else {
            segment
        };

        let candidate = format!("{line}{segment}");
        if line.is_empty() || measure(candidate.trim_end()) <= max_width {
            line = candidate;
        } else {
            lines.push(line.trim_end().to_string());
            line = segment.to_string();
        }
        // A single segment may still be too wide: cut it between characters.
        while measure(line.trim_end()) > max_width {
            let (head, tail) = split_to_width(&line, max_width, measure);
            if tail.is_empty() {
                break;
            }
            lines.push(head.trim_end().to_string());
            line = tail.to_string();
        }
        if mandatory {
            lines.push(line.trim_end().to_string());
            line.clear();
        }
    }
    if !line.trim_end().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    // `linebreaks` ends with a mandatory break at the end of text, which pushed the last
    // line already; an input that ends in a newline would add one empty line: drop it.
    if text.ends_with('\n') && lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Byte offsets where a word ends inside the Han runs of `text` (empty when it has none).
fn cjk_words(text: &str) -> Vec<usize> {
    if !text.chars().any(script::is_han) {
        return Vec::new();
    }
    segment_words(text)
}

/// Word boundaries from ICU4X's dictionary segmenter (Chinese and Japanese dictionaries
/// compiled in; see the README's design notes for why not jieba-rs).
fn segment_words(text: &str) -> Vec<usize> {
    icu_segmenter::WordSegmenter::new_dictionary(Default::default())
        .segment_str(text)
        .collect()
}

/// Whether a break at `at` would fall between two Han characters of one word.
fn inside_word(text: &str, at: usize, words: &[usize]) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    match (before, after) {
        (Some(b), Some(a)) if script::is_han(b) && script::is_han(a) => {
            words.binary_search(&at).is_err()
        }
        _ => false,
    }
}

/// The longest prefix of `s` (at least one character) that fits `max_width`, and the rest.
fn split_to_width<'a>(
    s: &'a str,
    max_width: f32,
    measure: &dyn Fn(&str) -> f32,
) -> (&'a str, &'a str) {
    let mut cut = 0;
    for (i, c) in s.char_indices() {
        let end = i + c.len_utf8();
        if cut > 0 && measure(&s[..end]) > max_width {
            break;
        }
        cut = end;
    }
    s.split_at(cut)
}

/// Like [`wrap`], but with lines of even length: the narrowest width that still gives as
/// few lines as `max_width` does. Titles read better without a one-word last line.
pub fn wrap_balanced(text: &str, max_width: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    let greedy = wrap(text, max_width, measure);
    if greedy.len() <= 1 {
        return greedy;
    }
    let (mut low, mut high) = (0.0f32, max_width);
    let mut best = greedy.clone();
    // Bisect the width; 12 steps put it within max_width / 4096 of the optimum.
    for _ in 0..12 {
        let mid = (low + high) / 2.0;
        let lines = wrap(text, mid, measure);
        let fits = lines.len() <= greedy.len() && lines.iter().all(|l| measure(l) <= mid);
        if fits {
            high = mid;
            best = lines;
        } else {
            low = mid;
        }
    }
    best
}

/// Cut `text` so that it and a trailing ellipsis fit `max_width`; unchanged if it fits.
pub fn ellipsize(text: &str, max_width: f32, measure: &dyn Fn(&str) -> f32) -> String {
    if measure(text) <= max_width {
        return text.to_string();
    }
    let mut end = text.len();
    while end > 0 {
        end = text[..end]
            .char_indices()
            .next_back()
            .map(|(i, _)| i)
            .unwrap_or(0);
        let head = text[..end].trim_end();
        let candidate = format!("{head}{ELLIPSIS}");
        if measure(&candidate) <= max_width {
            return candidate;
        }
    }
    ELLIPSIS.to_string()
}

/// [`wrap`] limited to `max_lines`; when text is left over, the last line ends in an ellipsis.
pub fn wrap_lines(
    text: &str,
    max_width: f32,
    max_lines: usize,
    measure: &dyn Fn(&str) -> f32,
) -> Vec<String> {
    let mut lines = wrap(text, max_width, measure);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            // Force the ellipsis even if the cut line itself fits.
            let widened = format!("{last}{ELLIPSIS}");
            *last = ellipsize(&widened, max_width, measure);
            if !last.ends_with(ELLIPSIS) {
                last.push_str(ELLIPSIS);
            }
        }
    }
    lines
}

/// Text set in as few as `max_lines` lines at the largest size that allows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub size: f32,
    pub lines: Vec<String>,
}

/// Shrink from `max_size` towards `min_size` (in steps of about 4%) until `text`, wrapped
/// to balanced lines of `max_width`, takes at most `max_lines`. If even `min_size` needs
/// more, the text is cut after `max_lines` with an ellipsis. `measure(text, size)` gives
/// the advance width of `text` at `size`.
pub fn fit(
    text: &str,
    max_width: f32,
    max_lines: usize,
    max_size: f32,
    min_size: f32,
    measure: &dyn Fn(&str, f32) -> f32,
) -> Fitted {
    let max_lines = max_lines.max(1);
    let min_size = min_size.min(max_size);
    let mut size = max_size;
    loop {
        let at_size = |s: &str| measure(s, size);
        let lines = wrap(text, max_width, &at_size);
        if lines.len() <= max_lines {
            return Fitted {
                size,
                lines: wrap_balanced(text, max_width, &at_size),
            };
        }
        if size <= min_size {
            return Fitted {
                size,
                lines: wrap_lines(text, max_width, max_lines, &at_size),
            };
        }
        // Whole or half points keep the PDF's numbers short and the output stable.
        size = ((size * 0.96 * 2.0).floor() / 2.0).max(min_size);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character is 1 unit wide except CJK and full-width ones, which are 2.
    fn measure(s: &str) -> f32 {
        s.chars()
            .map(|c| if (c as u32) >= 0x2E80 { 2.0 } else { 1.0 })
            .sum()
    }

    fn measure_at(s: &str, size: f32) -> f32 {
        measure(s) * size / 10.0
    }

    #[test]
    fn latin_wraps_at_spaces_without_trailing_space() {
        let lines = wrap("The past, present, and future of Go 2", 16.0, &measure);
        assert_eq!(lines, ["The past,", "present, and", "future of Go 2"]);
        assert!(lines.iter().all(|l| measure(l) <= 16.0));
    }

    #[test]
    fn cjk_breaks_between_words_not_inside_them() {
        let lines = wrap("万亿级交易量下的苏宁支付平台设计", 10.0, &measure);
        assert_eq!(lines.concat(), "万亿级交易量下的苏宁支付平台设计");
        for line in &lines {
            assert!(measure(line) <= 10.0, "{lines:?}");
        }
        // Words stay whole: 交易, 支付, 平台, 设计 never split across lines.
        for word in ["交易", "支付", "平台", "设计"] {
            assert!(
                lines.iter().any(|l| l.contains(word)),
                "{word} split: {lines:?}"
            );
        }
        // The title the issue names: 用户 stays together.
        let lines = wrap("0到3000万用户微服务之旅", 12.0, &measure);
        assert!(lines.iter().any(|l| l.contains("用户")), "{lines:?}");
    }

    #[test]
    fn a_word_wider_than_the_line_is_still_cut() {
        let lines = wrap("微服务", 2.0, &measure);
        assert_eq!(lines, ["微", "服", "务"]);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // Width 8 = four ideographs; the comma after the fourth must stay with it.
        let lines = wrap("微服务之旅，从零开始。", 8.0, &measure);
        for line in &lines {
            let first = line.chars().next().unwrap();
            assert!(!"，。".contains(first), "{lines:?}");
        }
        assert_eq!(lines.concat(), "微服务之旅，从零开始。");
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        let lines = wrap("一二三（四五）六七", 8.0, &measure);
        for line in &lines {
            assert!(!line.ends_with('（'), "{lines:?}");
        }
    }

    #[test]
    fn mixed_text_keeps_latin_words_whole() {
        let lines = wrap("0到3000万用户微服务之旅", 10.0, &measure);
        assert_eq!(lines.concat(), "0到3000万用户微服务之旅");
        assert!(lines.iter().all(|l| measure(l) <= 10.0), "{lines:?}");
        assert!(
            !lines.iter().any(|l| l.starts_with('0') && l.len() < 4),
            "{lines:?}"
        );
    }

    #[test]
    fn unbreakable_runs_are_cut_between_characters() {
        let url = "https://example.com/a/very/long/path/without/spaces";
        let lines = wrap(url, 20.0, &measure);
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| measure(l) <= 20.0));
        assert_eq!(lines.concat(), url);
    }

    #[test]
    fn newlines_are_kept() {
        assert_eq!(
            wrap("one\ntwo\n\nthree\n", 100.0, &measure),
            ["one", "two", "", "three"]
        );
        assert!(wrap("", 10.0, &measure).is_empty());
    }

    #[test]
    fn balanced_lines_avoid_an_orphan() {
        let text = "0到3000万用户微服务之旅";
        // Greedy at 22: 21 units, then one character alone on line 2.
        let greedy = wrap(text, 22.0, &measure);
        assert_eq!(greedy.len(), 2);
        let balanced = wrap_balanced(text, 22.0, &measure);
        assert_eq!(balanced.len(), 2);
        let widths: Vec<f32> = balanced.iter().map(|l| measure(l)).collect();
        assert!((widths[0] - widths[1]).abs() <= 4.0, "{balanced:?}");
    }

    #[test]
    fn ellipsize_fits() {
        assert_eq!(ellipsize("short", 10.0, &measure), "short");
        let cut = ellipsize("a long source path that is far too long", 12.0, &measure);
        assert!(cut.ends_with(ELLIPSIS));
        assert!(measure(&cut) <= 12.0);
    }

    #[test]
    fn fit_shrinks_until_three_lines() {
        let title = "A rather long English title about microservices at scale and what we learned";
        let fitted = fit(title, 120.0, 3, 48.0, 20.0, &measure_at);
        assert!(fitted.lines.len() <= 3);
        assert!(fitted.size < 48.0 && fitted.size >= 20.0);
        assert!(fitted
            .lines
            .iter()
            .all(|l| measure_at(l, fitted.size) <= 120.0));
        // It had to shrink: at full size the title takes more than three lines.
        assert!(wrap(title, 120.0, &|s| measure_at(s, 48.0)).len() > 3);
    }

    #[test]
    fn fit_keeps_short_titles_large() {
        let fitted = fit("Go 2", 300.0, 3, 48.0, 20.0, &measure_at);
        assert_eq!(
            fitted,
            Fitted {
                size: 48.0,
                lines: vec!["Go 2".into()]
            }
        );
    }

    #[test]
    fn fit_truncates_with_ellipsis_at_min_size() {
        let title = "词".repeat(500);
        let fitted = fit(&title, 100.0, 3, 48.0, 20.0, &measure_at);
        assert_eq!(fitted.size, 20.0);
        assert_eq!(fitted.lines.len(), 3);
        assert!(fitted.lines[2].ends_with(ELLIPSIS));
        assert!(fitted.lines.iter().all(|l| measure_at(l, 20.0) <= 100.0));
    }
}
