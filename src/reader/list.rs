//! List files: one image path or URL per line; blank lines and `#` comments skipped.

use super::RawSlide;

pub(crate) fn parse(text: &str) -> Vec<RawSlide> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let entry = line.trim();
            (!entry.is_empty() && !entry.starts_with('#')).then(|| RawSlide {
                written: entry.to_string(),
                line: Some(index + 1),
                alt: String::new(),
                notes: String::new(),
            })
        })
        // One more than the limit, so that the caller can tell the deck is over it.
        .take(super::MAX_SLIDES + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blank_lines_are_skipped_and_lines_kept() {
        let slides = parse("# slides\n\na.png\r\n  # indented comment\n  https://h/b.png  \n");
        let got: Vec<_> = slides
            .iter()
            .map(|s| (s.written.as_str(), s.line))
            .collect();
        assert_eq!(got, [("a.png", Some(3)), ("https://h/b.png", Some(5))]);
    }
}
