//! An anthology's talks before any slide is fetched: which decks (folders of decks opened),
//! each talk once, in what order, and the collection's own title.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use crate::model::{Deck, DeckMeta, SlideSource};
use crate::reader::Input;
use crate::settings::{AnthologyOptions, SortKey};
use crate::writer::locale::language_tag;

/// Inputs with every folder that holds Markdown decks opened into those decks, in natural
/// order. A folder of images stays one deck, as without `--anthology`.
pub fn expand_inputs(inputs: &[Input]) -> Vec<Input> {
    let mut expanded = Vec::with_capacity(inputs.len());
    for input in inputs {
        match input {
            Input::Path(dir) if dir.is_dir() => match markdown_files(dir) {
                Some(files) if !files.is_empty() => {
                    expanded.extend(files.into_iter().map(Input::Path))
                }
                _ => expanded.push(input.clone()),
            },
            other => expanded.push(other.clone()),
        }
    }
    expanded
}

/// The Markdown files directly in `dir` (hidden ones skipped), naturally ordered; `None` when
/// it cannot be listed (the reader then reports the folder as it would any other).
fn markdown_files(dir: &Path) -> Option<Vec<PathBuf>> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let markdown = name.rsplit_once('.').is_some_and(|(stem, ext)| {
                !stem.is_empty()
                    && ["md", "markdown"]
                        .iter()
                        .any(|e| e.eq_ignore_ascii_case(ext))
            });
            let path = entry.path();
            (markdown && !name.starts_with('.') && path.is_file()).then_some((name, path))
        })
        .collect();
    files.sort_by(|a, b| crate::reader::natural_order(&a.0, &b.0));
    Some(files.into_iter().map(|(_, path)| path).collect())
}

/// A talk left out because another input is the same talk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub kept: String,
    pub dropped: String,
    pub why: &'static str,
}

/// Each talk once: of two decks that are the same talk — the same slide images (by file
/// name: the published twins link the same files, one by Windows path, one by URL), or the
/// same cleaned title and speakers — the first given is kept, unless its local images are
/// missing where the other's are not. The kept copy takes the place of the first.
pub fn each_talk_once(decks: Vec<Deck>) -> (Vec<Deck>, Vec<Duplicate>) {
    let mut kept: Vec<Deck> = Vec::with_capacity(decks.len());
    let mut duplicates = Vec::new();
    for deck in decks {
        let same = kept
            .iter()
            .enumerate()
            .find_map(|(i, k)| same_talk(k, &deck).map(|why| (i, why)));
        match same {
            None => kept.push(deck),
            Some((i, why)) => {
                let (kept_name, dropped_name) = if missing_images(&deck) < missing_images(&kept[i])
                {
                    let old = std::mem::replace(&mut kept[i], deck);
                    (kept[i].origin.display_name(), old.origin.display_name())
                } else {
                    (kept[i].origin.display_name(), deck.origin.display_name())
                };
                duplicates.push(Duplicate {
                    kept: kept_name,
                    dropped: dropped_name,
                    why,
                });
            }
        }
    }
    (kept, duplicates)
}

/// A slide's content digest.
pub type SlideDigest = [u8; 32];

/// The content digests of (deck, slide index) pairs, in order; `None` where one cannot be read.
pub type SlideDigests<'a> = dyn Fn(&[(&Deck, usize)]) -> Vec<Option<SlideDigest>> + 'a;

/// Each talk once, by the images' bytes: decks with as many slides whose first, middle and
/// last slides have the same content are one talk (a renamed or re-hosted copy, which file
/// names cannot tell), and the first is kept. `digests` gives the content digest of each
/// (deck, slide index) asked for, `None` where it cannot be read (that deck is then compared
/// by nothing more). Only decks that share their slide count are read, and only their first
/// slide unless that matches another's.
pub fn each_content_once(
    decks: Vec<Deck>,
    digests: &SlideDigests<'_>,
) -> (Vec<Deck>, Vec<Duplicate>) {
    let count = |d: &Deck| d.slides.len();
    let candidates: Vec<usize> = (0..decks.len())
        .filter(|&i| {
            count(&decks[i]) > 0
                && decks
                    .iter()
                    .enumerate()
                    .any(|(j, d)| j != i && count(d) == count(&decks[i]))
        })
        .collect();
    // Each deck's first slide's digest, by deck index (`None`: not a candidate, or unread).
    let mut first: Vec<Option<SlideDigest>> = vec![None; decks.len()];
    let wanted: Vec<(&Deck, usize)> = candidates.iter().map(|&i| (&decks[i], 0)).collect();
    for (&i, digest) in candidates.iter().zip(digests(&wanted)) {
        first[i] = digest;
    }
    let mut dropped: Vec<Option<usize>> = vec![None; decks.len()];
    for (at, &a) in candidates.iter().enumerate() {
        if dropped[a].is_some() || first[a].is_none() {
            continue;
        }
        for &b in &candidates[at + 1..] {
            if dropped[b].is_some() || count(&decks[b]) != count(&decks[a]) || first[b] != first[a]
            {
                continue;
            }
            let n = count(&decks[a]);
            let rest: Vec<(&Deck, usize)> = [n / 2, n - 1]
                .into_iter()
                .flat_map(|k| [(&decks[a], k), (&decks[b], k)])
                .collect();
            let rest = digests(&rest);
            if rest.iter().all(Option::is_some) && rest[0] == rest[1] && rest[2] == rest[3] {
                dropped[b] = Some(a);
            }
        }
    }
    let names: Vec<String> = decks.iter().map(|d| d.origin.display_name()).collect();
    let mut kept = Vec::with_capacity(decks.len());
    let mut duplicates = Vec::new();
    for (i, deck) in decks.into_iter().enumerate() {
        match dropped[i] {
            None => kept.push(deck),
            Some(k) => duplicates.push(Duplicate {
                kept: names[k].clone(),
                dropped: names[i].clone(),
                why: "the same slide images by content",
            }),
        }
    }
    (kept, duplicates)
}

/// Why two decks are the same talk, if they are.
fn same_talk(a: &Deck, b: &Deck) -> Option<&'static str> {
    // Names say "the same images" only where they are the deck's own (a timestamp, an id):
    // `1.png`, `slide-01.png` in every deck's folder say nothing (those are compared by
    // content instead).
    let names = |d: &Deck| -> Option<Vec<String>> {
        let names: Vec<String> = d.slides.iter().map(|s| image_name(&s.source)).collect();
        let own = !names.is_empty()
            && names.iter().all(|n| !n.is_empty())
            && !names.iter().all(|n| generic_name(n));
        own.then_some(names)
    };
    if let (Some(x), Some(y)) = (names(a), names(b)) {
        if x == y {
            return Some("the same slide images");
        }
    }
    let key = |d: &Deck| -> Option<(String, Vec<String>)> {
        if d.meta.title_is_fallback {
            return None;
        }
        let title: String = d
            .meta
            .title
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        let mut speakers: Vec<String> = d
            .meta
            .authors
            .iter()
            .map(|a| a.split_whitespace().collect::<String>().to_lowercase())
            .collect();
        speakers.sort();
        (!title.is_empty()).then_some((title, speakers))
    };
    match (key(a), key(b)) {
        (Some(x), Some(y)) if x == y => Some("the same title and speakers"),
        _ => None,
    }
}

/// A slide image's file name, whichever way it is linked (`images\a\1.png`, `…/a/1.png`).
fn image_name(source: &SlideSource) -> String {
    let text = match source {
        SlideSource::Local(path) => path.to_string_lossy().into_owned(),
        SlideSource::Remote(url) => url.path().to_string(),
        // Embedded images have no name: such decks are compared by title and speakers.
        SlideSource::Refused(_) | SlideSource::Data(_) => return String::new(),
    };
    text.rsplit(['/', '\\']).next().unwrap_or("").to_string()
}

/// A file name any deck's slides could have: a number of up to four digits, with at most a
/// word such as `slide` or `page` around it (`3.png`, `Slide-03.jpg`, `幻灯片3.PNG`, `page_003.png`).
fn generic_name(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let word: String = stem
        .chars()
        .filter(|c| !c.is_ascii_digit() && !matches!(c, '-' | '_' | ' ' | '.' | '(' | ')'))
        .flat_map(char::to_lowercase)
        .collect();
    // A slide's number has a few digits; a timestamp or an id is the deck's own.
    let digits = stem.chars().filter(char::is_ascii_digit).count();
    (1..=4).contains(&digits)
        && matches!(
            word.as_str(),
            "" | "slide" | "slides" | "page" | "p" | "img" | "image" | "pic" | "幻灯片" | "图片"
        )
}

/// How many of a deck's local images are not there (a twin linking them by URL is better).
fn missing_images(deck: &Deck) -> usize {
    deck.slides
        .iter()
        .filter(|s| match &s.source {
            SlideSource::Local(path) => !path.exists(),
            SlideSource::Refused(_) => true,
            SlideSource::Remote(_) | SlideSource::Data(_) => false,
        })
        .count()
}

/// Order the talks by `key`; a stable sort, so equal keys keep the order given.
pub fn sort(decks: &mut [Deck], key: SortKey) {
    match key {
        SortKey::Title => decks.sort_by(|a, b| natural(&a.meta.title, &b.meta.title)),
        SortKey::Speaker => decks.sort_by(|a, b| {
            let speaker = |d: &Deck| d.meta.authors.first().cloned().unwrap_or_default();
            // Talks without a speaker go last.
            match (speaker(a).is_empty(), speaker(b).is_empty()) {
                (false, true) => Ordering::Less,
                (true, false) => Ordering::Greater,
                _ => natural(&speaker(a), &speaker(b)),
            }
        }),
        // Talks without a session code keep their place after those with one.
        SortKey::Session => decks.sort_by_key(|d| {
            let code = session_of(d);
            (code.is_none(), code.unwrap_or_default())
        }),
    }
}

fn natural(a: &str, b: &str) -> Ordering {
    crate::reader::natural_order(a, b)
}

/// A talk's session as a sortable key: (day, half, slot). Day is `month * 100 + day` for
/// `10.20`, the day of the month for `19日`; half is 0 for a morning (`上`, `上午`), 1 for an
/// afternoon (`下`, `下午`), 2 for an evening; slot is the number after it (`上1`,
/// `第三场`), 0 if none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Session {
    pub day: u32,
    pub half: u8,
    pub slot: u32,
}

/// The session code of a deck: from the title as written, else the file name.
fn session_of(deck: &Deck) -> Option<Session> {
    [deck.meta.raw_title.clone(), deck.origin.stem()]
        .into_iter()
        .flatten()
        .find_map(|name| parse_session(&name))
}

/// Finds a session code in a conference file name (`19日上1`, `10.20 上午第一场`,
/// `10.19+宴会厅2+下午第三场`).
pub fn parse_session(name: &str) -> Option<Session> {
    let chars: Vec<char> = name.chars().collect();
    let mut day = None;
    let mut rest_from = 0;
    // `M.D` (month.day) or `D日`.
    let mut i = 0;
    while i < chars.len() && day.is_none() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let (first, end) = number_at(&chars, i);
            if chars.get(end) == Some(&'.') {
                let (second, end2) = number_at(&chars, end + 1);
                let followed_by_digit = chars.get(end2).is_some_and(char::is_ascii_digit);
                if end2 > end + 1
                    && (1..=12).contains(&first)
                    && (1..=31).contains(&second)
                    && !followed_by_digit
                    && chars.get(end2) != Some(&'.')
                {
                    day = Some(first * 100 + second);
                    rest_from = end2;
                }
            } else if matches!(chars.get(end), Some('日' | '号')) && (1..=31).contains(&first) {
                day = Some(first);
                rest_from = end + 1;
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    let day = day?;
    let rest: String = chars[rest_from..].iter().collect();
    let rest = rest.trim_start_matches([' ', '+', '-', '_', '·']);
    let (half, after) = if let Some(r) = rest.strip_prefix("上午") {
        (0, r)
    } else if let Some(r) = rest.strip_prefix("下午") {
        (1, r)
    } else if let Some(r) = rest.strip_prefix("晚上") {
        (2, r)
    } else if let Some(r) = rest.strip_prefix('上') {
        (0, r)
    } else if let Some(r) = rest.strip_prefix('下') {
        (1, r)
    } else {
        // The half may come after a room (`10.19+宴会厅2+下午第三场`).
        let half = ["上午", "下午", "晚上"]
            .iter()
            .position(|h| rest.contains(h));
        match half {
            Some(h) => {
                let at = rest.find(["上午", "下午", "晚上"][h]).unwrap_or(0);
                (h as u8, &rest[at + "上午".len()..])
            }
            None => (0, ""),
        }
    };
    let slot = slot_number(after).unwrap_or(0);
    Some(Session { day, half, slot })
}

/// The number at `chars[i..]` and where it ends.
fn number_at(chars: &[char], i: usize) -> (u32, usize) {
    let mut n: u32 = 0;
    let mut end = i;
    while let Some(d) = chars.get(end).and_then(|c| c.to_digit(10)) {
        n = n.saturating_mul(10).saturating_add(d);
        end += 1;
    }
    (n, end)
}

/// `1…`, `第一场`, `第3场`: the slot's number.
fn slot_number(text: &str) -> Option<u32> {
    let text = text.trim_start_matches([' ', '+', '-', '_']);
    let text = text.strip_prefix('第').unwrap_or(text);
    let chars: Vec<char> = text.chars().collect();
    if chars.first().is_some_and(char::is_ascii_digit) {
        return Some(number_at(&chars, 0).0);
    }
    // Chinese numerals up to 99: 一 … 九, 十, 十一, 二十三.
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let mut value = 0;
    let mut seen = false;
    let mut current = 0;
    for c in chars {
        if let Some(d) = digit(c) {
            current = d;
            seen = true;
        } else if c == '十' {
            value += if current == 0 { 10 } else { current * 10 };
            current = 0;
            seen = true;
        } else {
            break;
        }
    }
    seen.then_some(value + current)
}

/// The collection's metadata: `--title`, else the event every talk that names one shares
/// (most of them, if they differ), else the folder the decks came from. Language and date
/// when every talk has the same.
pub fn collection_meta(
    decks: &[Deck],
    options: &AnthologyOptions,
    folder: Option<&Path>,
) -> DeckMeta {
    let mut notes = Vec::new();
    let events: Vec<&str> = decks
        .iter()
        .filter_map(|d| d.meta.event.as_deref())
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let shared_event = most_common(&events).filter(|(_, n)| 2 * n > decks.len().max(1) - 1);
    let title = if let Some(title) = options.title.as_deref().filter(|t| !t.trim().is_empty()) {
        notes.push("collection title from --title".to_string());
        title.trim().to_string()
    } else if let Some((event, n)) = shared_event {
        notes.push(format!(
            "collection title: the event `{event}`, named by {n} of {} talks",
            decks.len()
        ));
        event.to_string()
    } else if let Some(name) = folder.and_then(crate::reader::folder_name) {
        notes.push(format!("collection title: the folder's name `{name}`"));
        name
    } else {
        let first = decks
            .first()
            .map(|d| d.meta.title.clone())
            .unwrap_or_default();
        notes.push("collection title: no shared event, the first talk's title".to_string());
        first
    };
    let shared = |f: &dyn Fn(&Deck) -> Option<String>| -> Option<String> {
        let first = f(decks.first()?)?;
        decks
            .iter()
            .all(|d| f(d).as_deref() == Some(first.as_str()))
            .then_some(first)
    };
    let lang = shared(&|d| Some(language_tag(&d.meta)));
    DeckMeta {
        raw_title: None,
        title,
        authors: Vec::new(),
        date: shared(&|d| d.meta.date.clone()),
        event: shared_event.map(|(e, _)| e.to_string()),
        lang,
        source: None,
        title_notes: notes,
        title_is_fallback: false,
        // A collection's title is given or shared by its talks, not read from a file name.
        title_score: None,
    }
}

/// The most frequent value and how often it occurs (ties: the first seen).
fn most_common<'a>(values: &[&'a str]) -> Option<(&'a str, usize)> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(x, _)| x == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    counts
        .into_iter()
        .fold(None, |best: Option<(&str, usize)>, (v, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((v, n)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeckOrigin, Slide};

    fn deck(name: &str, title: &str, authors: &[&str], sources: &[&str]) -> Deck {
        Deck {
            origin: DeckOrigin::File(PathBuf::from(name)),
            meta: DeckMeta {
                title: title.into(),
                raw_title: Some(name.into()),
                authors: authors.iter().map(|a| a.to_string()).collect(),
                ..Default::default()
            },
            slides: sources
                .iter()
                .enumerate()
                .map(|(i, s)| Slide {
                    position: i + 1,
                    label: (i + 1).to_string(),
                    source: if s.starts_with("http") {
                        SlideSource::Remote(url::Url::parse(s).expect("url"))
                    } else {
                        SlideSource::Local(PathBuf::from(s))
                    },
                    written: s.to_string(),
                    line: Some(i + 3),
                    alt: String::new(),
                    notes: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn sessions_order_by_day_half_and_slot() {
        let s = |name| parse_session(name);
        assert_eq!(
            s("19日上1-王强-事务消息"),
            Some(Session {
                day: 19,
                half: 0,
                slot: 1
            })
        );
        assert_eq!(
            s("【可以公开】10.19+宴会厅2+下午第三场+王强-ApacheRocketMQ事务消息"),
            Some(Session {
                day: 1019,
                half: 1,
                slot: 3
            })
        );
        assert_eq!(
            s("10.20 上午第一场 微服务"),
            Some(Session {
                day: 1020,
                half: 0,
                slot: 1
            })
        );
        assert_eq!(
            s("20日下12"),
            Some(Session {
                day: 20,
                half: 1,
                slot: 12
            })
        );
        assert_eq!(s("第十二场"), None);
        assert_eq!(s("QCon北京2018-《TiDB架构与开源之路》-申砾"), None);
        assert_eq!(slot_number("第二十三场"), Some(23));
        assert_eq!(slot_number("十一"), Some(11));
        let mut order = [s("19日下1"), s("19日上2"), s("18日下3"), s("19日上1")];
        order.sort();
        assert_eq!(
            order.map(|x| x.map(|s| (s.day, s.half, s.slot))),
            [
                Some((18, 1, 3)),
                Some((19, 0, 1)),
                Some((19, 0, 2)),
                Some((19, 1, 1))
            ]
        );
    }

    #[test]
    fn twins_are_one_talk_and_the_reachable_copy_is_kept() {
        // The published twins: Windows paths to images that are not here, and URLs.
        let local = deck(
            "talk.md",
            "微服务之旅",
            &["潘志伟"],
            &[
                "images\\091009688pTkGBy\\201905130910_5.png",
                "images\\a\\201905130910_6.png",
            ],
        );
        let remote = deck(
            "talk_0.md",
            "微服务之旅",
            &["潘志伟"],
            &[
                "https://host/Qcon/images/094429655AViPzz/201905130910_5.png",
                "https://host/Qcon/images/b/201905130910_6.png",
            ],
        );
        let other = deck(
            "other.md",
            "TiDB 架构",
            &["申砾"],
            &["https://host/x/1.png"],
        );
        let (kept, duplicates) = each_talk_once(vec![local, other.clone(), remote]);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].origin.display_name(), "talk_0.md");
        assert_eq!(kept[1].origin.display_name(), "other.md");
        assert_eq!(
            duplicates,
            [Duplicate {
                kept: "talk_0.md".into(),
                dropped: "talk.md".into(),
                why: "the same slide images",
            }]
        );
        // Same cleaned title and speakers, different images: still one talk.
        let again = deck(
            "again.md",
            "TiDB  架构",
            &["申砾"],
            &["https://host/y/9.png"],
        );
        let (kept, duplicates) = each_talk_once(vec![other.clone(), again]);
        assert_eq!(kept.len(), 1);
        assert_eq!(duplicates[0].why, "the same title and speakers");
        // Numbered names every deck's folder could hold are no evidence.
        let numbered = |name, title| deck(name, title, &[], &["a/1.png", "a/Slide-02.png"]);
        assert_eq!(
            each_talk_once(vec![numbered("x.md", "X"), numbered("y.md", "Y")])
                .0
                .len(),
            2
        );
        assert!(generic_name("幻灯片3.PNG") && generic_name("page_003.png"));
        assert!(!generic_name("201905130910_5.png") && !generic_name("intro.png"));
        // Another speaker's talk of the same title is another talk.
        let namesake = deck("n.md", "TiDB 架构", &["王强"], &["https://host/z/2.png"]);
        assert_eq!(each_talk_once(vec![other, namesake]).0.len(), 2);
    }

    #[test]
    fn copies_of_the_same_images_are_one_talk_by_content() {
        // A renamed copy: other file names, other title, the same bytes.
        let original = deck(
            "a.md",
            "Rust 异步",
            &["李雷"],
            &["a1.png", "a2.png", "a3.png"],
        );
        let renamed = deck("b.md", "异步编程", &[], &["x.png", "y.png", "z.png"]);
        // The same template's cover, other slides after it.
        let sibling = deck(
            "c.md",
            "Go 调度",
            &["韩梅"],
            &["c1.png", "c2.png", "c3.png"],
        );
        let shorter = deck("d.md", "Short", &[], &["d1.png"]);
        let content = |source: &str| -> u8 {
            match source {
                "a1.png" | "x.png" | "c1.png" => 1,
                "a2.png" | "y.png" => 2,
                "a3.png" | "z.png" => 3,
                _ => source.len() as u8 + 100,
            }
        };
        let asked = std::cell::RefCell::new(Vec::new());
        let digests = |wanted: &[(&Deck, usize)]| -> Vec<Option<SlideDigest>> {
            wanted
                .iter()
                .map(|(d, i)| {
                    asked
                        .borrow_mut()
                        .push(format!("{}:{i}", d.origin.display_name()));
                    Some([content(&d.slides[*i].written); 32])
                })
                .collect()
        };
        let (kept, duplicates) =
            each_content_once(vec![original, sibling, renamed, shorter], &digests);
        let names: Vec<String> = kept.iter().map(|d| d.origin.display_name()).collect();
        assert_eq!(names, ["a.md", "c.md", "d.md"]);
        assert_eq!(
            duplicates,
            [Duplicate {
                kept: "a.md".into(),
                dropped: "b.md".into(),
                why: "the same slide images by content",
            }]
        );
        // The deck of a slide count nobody else has is never read.
        assert!(!asked.borrow().iter().any(|a| a.starts_with("d.md")));
        // A slide that cannot be read makes no match.
        let unreadable = |wanted: &[(&Deck, usize)]| vec![None; wanted.len()];
        let (kept, _) = each_content_once(
            vec![
                deck("a.md", "A", &[], &["1.png"]),
                deck("b.md", "B", &[], &["1.png"]),
            ],
            &unreadable,
        );
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn sorting_is_stable_and_by_the_chosen_key() {
        let mut decks = vec![
            deck("19日下1-b.md", "B talk", &["Zhang"], &["1.png"]),
            deck("x.md", "A talk", &[], &["2.png"]),
            deck("19日上2-c.md", "C talk", &["Li"], &["3.png"]),
            deck("18日上1-d.md", "D talk", &["Li"], &["4.png"]),
        ];
        let titles = |d: &[Deck]| d.iter().map(|d| d.meta.title.clone()).collect::<Vec<_>>();
        sort(&mut decks, SortKey::Session);
        assert_eq!(titles(&decks), ["D talk", "C talk", "B talk", "A talk"]);
        sort(&mut decks, SortKey::Speaker);
        assert_eq!(titles(&decks), ["D talk", "C talk", "B talk", "A talk"]);
        sort(&mut decks, SortKey::Title);
        assert_eq!(titles(&decks), ["A talk", "B talk", "C talk", "D talk"]);
    }

    #[test]
    fn the_collection_is_named_after_the_shared_event() {
        let mut a = deck("a.md", "A", &[], &["1.png"]);
        let mut b = deck("b.md", "B", &[], &["2.png"]);
        a.meta.event = Some("QCon上海2018".into());
        b.meta.event = Some("QCon上海2018".into());
        let meta = collection_meta(&[a.clone(), b.clone()], &AnthologyOptions::default(), None);
        assert_eq!(meta.title, "QCon上海2018");
        assert_eq!(meta.event.as_deref(), Some("QCon上海2018"));
        let titled = AnthologyOptions {
            title: Some("My binder".into()),
            sort: None,
        };
        assert_eq!(collection_meta(&[a, b], &titled, None).title, "My binder");
    }
}
