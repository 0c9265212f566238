//! What a deck's name shares with its siblings: the decks of one folder are usually one
//! collection, named by one convention (`AWSKRUG_2023_01_AWS_Config`, `AWSKRUG_2023_06_…`;
//! `paperreading-20170907-…`; `…-wp`), and words at the same place in most of their names
//! name the collection, not a talk. No list can hold every user group's or series' name; the
//! folder tells.

use std::cell::RefCell;

use super::lexicon;

thread_local! {
    /// The affixes shared by the folder of the name being analysed, while it is.
    static SHARED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// `AWSKRUG_2023`, `OWASP Belgium Chapter Meeting`: compared with separators as spaces,
/// without case.
fn folded(s: &str) -> String {
    word_texts(s).join(" ")
}

/// Puts back the words that were known before, when dropped: on return, on a panic that
/// unwinds, and for a nested call.
struct Restore(Vec<String>);

impl Drop for Restore {
    fn drop(&mut self) {
        let before = std::mem::take(&mut self.0);
        SHARED.with(|s| *s.borrow_mut() = before);
    }
}

/// Runs `f` with `affixes` known as the collection's own words (see [`is_collection_word`]).
pub(super) fn with_shared<T>(affixes: &[&str], f: impl FnOnce() -> T) -> T {
    let words = affixes.iter().map(|a| folded(a)).collect();
    let _restore = Restore(SHARED.with(|s| std::mem::replace(&mut *s.borrow_mut(), words)));
    f()
}

/// Whether `s` is, as a whole, words the folder's decks share (while [`with_shared`] runs):
/// the collection's name, an event to the cleaner.
pub(super) fn is_collection_word(s: &str) -> bool {
    SHARED.with(|shared| {
        let shared = shared.borrow();
        !shared.is_empty() && {
            let s = folded(s);
            !s.is_empty() && shared.contains(&s)
        }
    })
}

/// Fewest other decks that must share the words: two decks sharing a word may be chance (two
/// talks on one product); three are a convention.
const MIN_SHARING: usize = 3;
/// The share of the other decks that must: a folder mixing collections (a download folder) has
/// no name of its own, and half keeps a convention that some decks break (a keynote named
/// otherwise) while leaving out a word that only some talks open with.
const MIN_SHARE_PERCENT: usize = 50;
/// Words at most taken from either end: an event with its place, year and track
/// (`OWASP_Belgium_Chapter_Meeting`); more is a title that most decks repeat.
const MAX_WORDS: usize = 4;
/// Directory entries read at most, in the order the file system lists them: a folder of
/// thousands is no collection of talks, and reading it must stay cheap.
pub const MAX_SIBLINGS: usize = 2000;

/// The words of a name and where each starts and ends, split at separators.
fn words(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let sep =
            c.is_whitespace() || matches!(c, '-' | '_' | '.' | '+' | '·' | '|' | '－' | '—' | '–');
        match (sep, start) {
            (true, Some(s0)) => {
                out.push((s0, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s0) = start {
        out.push((s0, s.len()));
    }
    out
}

fn word_texts(s: &str) -> Vec<String> {
    words(s)
        .into_iter()
        .map(|(a, b)| s[a..b].to_lowercase())
        .collect()
}

/// A word shaped as a collection's name, not as a title's (`Intro_to_…` may open a folder's
/// talks by chance): an edition with its number (`RustChinaConf2020`, `D2`), capitals
/// (`AWSKRUG`, `OWASP`), a run-together name (`ElixirStudyGroup`), or a long word that is no
/// English one (`paperreading`, `tencent`); no listed product. Not Han or Hangul words alone:
/// a course's weeks share its name (`딥러닝 개론 3주차`) and a group's projects a word
/// (`…예측 프로젝트`).
fn names_a_collection(w: &str) -> bool {
    let letters = w.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let digits = w.chars().any(|c| c.is_ascii_digit());
    let capitals = letters >= 3
        && w.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let camel = w
        .as_bytes()
        .windows(2)
        .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase());
    let long_unknown =
        letters >= 6 && w.bytes().all(|b| b.is_ascii_alphabetic()) && !lexicon::is_english_word(w);
    // `TiDB-…`, `Kubernetes-…`: a product most talks of its own meetup open with is the talks'.
    let product = lexicon::contains("tech-word", w) || lexicon::contains("camel-word", w);
    // `…-v2`, `…-final`: a version or a state the decks share is read as such.
    let state = super::is_version(w) || super::is_status_word(w, false);
    ((letters > 0 && digits) || capitals || camel || long_unknown) && !product && !state
}

/// Whether `s` is one of `affixes`, compared as [`is_collection_word`] does.
pub(super) fn matches_affix(s: &str, affixes: &[&str]) -> bool {
    let s = folded(s);
    affixes.iter().any(|a| folded(a) == s)
}

/// The affixes of `name` shared by most of `siblings` (other decks' names in its folder), as
/// the byte lengths of the shared head and tail; `(0, 0)` when there are none.
pub fn shared_affixes(name: &str, siblings: &[String]) -> (usize, usize) {
    let spans = words(name);
    let mine: Vec<String> = spans
        .iter()
        .map(|&(a, b)| name[a..b].to_lowercase())
        .collect();
    let others: Vec<Vec<String>> = siblings
        .iter()
        .take(MAX_SIBLINGS)
        .map(|s| word_texts(s))
        .filter(|w| *w != mine)
        .collect();
    if others.len() < MIN_SHARING || mine.len() < 2 {
        return (0, 0);
    }
    let enough = |sharing: usize| {
        sharing >= MIN_SHARING && sharing * 100 >= others.len() * MIN_SHARE_PERCENT
    };
    // The collection's name holds at least one word shaped as a name (compared as written).
    let written: Vec<&str> = spans.iter().map(|&(a, b)| &name[a..b]).collect();
    let head_names = |k: usize| written[..k].iter().any(|w| names_a_collection(w));
    let tail_names = |k: usize| {
        written[written.len() - k..]
            .iter()
            .any(|w| names_a_collection(w))
    };
    let head = (1..=MAX_WORDS.min(mine.len() - 1))
        .rev()
        .find(|&k| {
            let shared = &mine[..k];
            head_names(k)
                && enough(
                    others
                        .iter()
                        .filter(|o| o.len() > k && o[..k] == *shared)
                        .count(),
                )
        })
        .unwrap_or(0);
    let tail = (1..=MAX_WORDS.min(mine.len() - 1 - head))
        .rev()
        .find(|&k| {
            let shared = &mine[mine.len() - k..];
            tail_names(k)
                && enough(
                    others
                        .iter()
                        .filter(|o| o.len() > k && o[o.len() - k..] == *shared)
                        .count(),
                )
        })
        .unwrap_or(0);
    let head_len = if head > 0 { spans[head - 1].1 } else { 0 };
    let tail_len = if tail > 0 {
        name.len() - spans[spans.len() - tail].0
    } else {
        0
    };
    (head_len, tail_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_series_name_shared_by_most_of_the_folder() {
        let siblings = names(&[
            "BGSUG_2022_03_Terraform_Modules",
            "BGSUG_2022_05_Policy_as_Code",
            "BGSUG_2023_01_Cost_Explorer",
            "BGSUG_2023_02_EKS_Upgrades",
            "notes",
        ]);
        let name = "BGSUG_2023_04_Identity_Center";
        let (head, tail) = shared_affixes(name, &siblings);
        assert_eq!((&name[..head], tail), ("BGSUG", 0));
    }

    #[test]
    fn a_tail_shared_by_the_folder() {
        let siblings = names(&[
            "（一）弹性伸缩 - Tencent Cloud Camp",
            "（二）日志采集 - Tencent Cloud Camp",
            "（三）服务网格 - Tencent Cloud Camp",
        ]);
        let name = "（四）灰度发布 - Tencent Cloud Camp";
        let (head, tail) = shared_affixes(name, &siblings);
        assert_eq!(
            (head, &name[name.len() - tail..]),
            (0, "Tencent Cloud Camp")
        );
    }

    #[test]
    fn a_product_its_meetup_talks_open_with_is_theirs() {
        let siblings = names(&[
            "TiDB-架构演进",
            "TiDB-事务模型",
            "TiDB-调度原理",
            "TiDB-存储引擎",
        ]);
        assert_eq!(shared_affixes("TiDB-执行器", &siblings), (0, 0));
    }

    #[test]
    fn words_any_title_opens_with_are_no_collection() {
        let siblings = names(&[
            "Intro_to_Rust",
            "Intro_to_Kotlin",
            "Intro_to_Zig",
            "Intro_to_Nim",
        ]);
        assert_eq!(shared_affixes("Intro_to_Go", &siblings), (0, 0));
    }

    #[test]
    fn too_few_or_too_mixed_siblings_tell_nothing() {
        let few = names(&["GOSH-channels", "GOSH-generics"]);
        assert_eq!(shared_affixes("GOSH-profiling", &few), (0, 0));
        let mixed = names(&[
            "GOSH-channels",
            "GOSH-generics",
            "GOSH-modules",
            "kubecon-keynote",
            "rustfest-async",
            "pycon-typing",
            "qcon-tidb",
            "gophercon-errors",
        ]);
        assert_eq!(shared_affixes("GOSH-profiling", &mixed), (0, 0));
    }

    #[test]
    fn the_folders_words_are_put_back_after_a_panic_and_a_nested_call() {
        let unwound = std::panic::catch_unwind(|| with_shared(&["BGSUG"], || panic!("inside")));
        assert!(unwound.is_err());
        assert!(!is_collection_word("BGSUG"));
        with_shared(&["BGSUG"], || {
            with_shared(&["techtalk"], || assert!(is_collection_word("techtalk")));
            assert!(is_collection_word("BGSUG"));
        });
        assert!(!is_collection_word("BGSUG"));
    }
}
