//! The cleaner's word lists, read once from `lexicon.txt` (embedded): status words, events,
//! cities, companies, surnames and the like are data, so adding a conference or a company is
//! a line there, not a change of code.

use std::collections::HashMap;
use std::sync::LazyLock;

const TEXT: &str = include_str!("lexicon.txt");

/// Every section of `lexicon.txt`, its entries in file order.
static SECTIONS: LazyLock<HashMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| parse(TEXT));

fn parse(text: &'static str) -> HashMap<&'static str, Vec<&'static str>> {
    let mut sections: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
    let mut current = "";
    for line in text.lines() {
        // `#` starts a comment; no entry contains one.
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim();
            continue;
        }
        sections.entry(current).or_default().push(line);
    }
    sections
}

/// The entries of one section (empty if the file has none).
pub(super) fn words(section: &str) -> &'static [&'static str] {
    SECTIONS.get(section).map_or(&[], Vec::as_slice)
}

/// Whether `s` is an entry of `section` (ASCII letters compared without case).
pub(super) fn contains(section: &str, s: &str) -> bool {
    words(section).iter().any(|w| w.eq_ignore_ascii_case(s))
}

/// A section of single characters, as one string for `str::contains(char)`.
fn chars_of(section: &str) -> String {
    words(section).concat()
}

pub(super) static SURNAMES: LazyLock<String> = LazyLock::new(|| chars_of("surname"));
pub(super) static NON_NAME_CHARS: LazyLock<String> = LazyLock::new(|| chars_of("non-name-char"));
pub(super) static WORD_OR_NAME_CHARS: LazyLock<String> =
    LazyLock::new(|| chars_of("word-or-name-char"));

/// Whether `w` is a common English word (ASCII letters compared without case). The list is a
/// file of its own, sorted, searched by halves: reading 7,000 words into the sections' map cost
/// every run more than all the other lists together.
pub(super) fn is_english_word(w: &str) -> bool {
    static ENGLISH: LazyLock<Vec<&'static str>> =
        LazyLock::new(|| list_entries(include_str!("english-words.txt")));
    w.len() >= 4
        && ENGLISH
            .binary_search(&w.to_ascii_lowercase().as_str())
            .is_ok()
}

/// Whether `w` is a person's given name: the curated `[given-name]` section, then the given
/// names of many countries in `given-names.txt` (sorted, searched by halves like the English
/// words; lowercase, accents kept: `Tomáš`, `Edoardo`, `Lieven`), these only capitalised.
pub(super) fn is_given_name(w: &str) -> bool {
    static WORLD: LazyLock<Vec<&'static str>> =
        LazyLock::new(|| list_entries(include_str!("given-names.txt")));
    // The world's names only where written as names: in lowercase (`dex_arbitrage`) too many
    // of them are words of some language or tool.
    contains("given-name", w)
        || (w.starts_with(char::is_uppercase)
            && w.chars().count() >= 3
            && WORLD.binary_search(&w.to_lowercase().as_str()).is_ok())
}

/// The entries of a sorted word list of its own (one a line, `#` comments), for
/// [`slice::binary_search`].
fn list_entries(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
}

/// How common a surname is: its place in the list (0 = commonest), `None` if unlisted.
pub(super) fn surname_rank(c: char) -> Option<usize> {
    words("surname").iter().position(|w| w.starts_with(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Binary search needs the English list sorted and lowercase.
    #[test]
    fn the_english_list_is_sorted_lowercase_words() {
        let words = list_entries(include_str!("english-words.txt"));
        assert!(words.len() > 5000);
        assert!(words.windows(2).all(|w| w[0] < w[1]));
        assert!(words
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_lowercase())));
        assert!(
            is_english_word("Quantum") && is_english_word("chain") && !is_english_word("Zatelepin")
        );
    }

    /// The world's given names are searched by halves: sorted lowercase words, none of them a
    /// common English word or a listed tool.
    #[test]
    fn the_given_names_are_sorted_lowercase_names() {
        let names = list_entries(include_str!("given-names.txt"));
        assert!(names.len() > 10_000);
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        assert!(names.iter().all(|n| n.to_lowercase() == *n));
        // A few names of many locales are in the English list too (`antonio`, `katie`).
        assert!(names.iter().filter(|n| is_english_word(n)).count() < 100);
        assert!(is_given_name("Edoardo") && is_given_name("LIEVEN") && is_given_name("Tomáš"));
        assert!(!is_given_name("edoardo") && is_given_name("john"));
        assert!(
            !is_given_name("Jasmine") && !is_given_name("Kafka") && !is_given_name("Zatelepin")
        );
    }

    #[test]
    fn sections_are_present_and_clean() {
        for section in [
            "status",
            "status-glued",
            "weak-status",
            "event",
            "event-suffix",
            "city",
            "company",
            "company-suffix",
            "surname",
            "compound-surname",
            "non-name-char",
            "word-or-name-char",
            "latin-not-name",
            "session",
            "post",
            "region",
            "deck-label",
            "given-name",
            "name-particle",
            "organizer-suffix",
            "preposition",
            "pinyin-surname",
            "year-topic",
            "han-topic-word",
        ] {
            let ws = words(section);
            assert!(!ws.is_empty(), "section {section} is empty");
            for w in ws {
                assert_eq!(w.trim(), *w, "{section}: `{w}` has spaces around it");
            }
        }
        for s in words("surname") {
            assert_eq!(s.chars().count(), 1, "surname `{s}`");
        }
        for s in words("compound-surname") {
            assert_eq!(s.chars().count(), 2, "compound surname `{s}`");
        }
        assert_eq!(surname_rank('王'), Some(0));
        assert!(surname_rank('陈') < surname_rank('韦'));
    }
}
