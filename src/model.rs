//! The deck model shared by every stage: what the reader produces and the writers describe.

use std::fmt;
use std::path::PathBuf;

use url::Url;

/// Where a deck was read from; names the deck in messages (`deck.md:17`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeckOrigin {
    File(PathBuf),
    Url(Url),
    Folder(PathBuf),
    Stdin,
}

impl DeckOrigin {
    /// Short name used in `file:line` locations.
    pub fn display_name(&self) -> String {
        match self {
            DeckOrigin::File(p) | DeckOrigin::Folder(p) => p.display().to_string(),
            DeckOrigin::Url(u) => u.to_string(),
            DeckOrigin::Stdin => "<stdin>".to_string(),
        }
    }

    /// File stem used when no title gives an output name.
    pub fn stem(&self) -> Option<String> {
        match self {
            DeckOrigin::File(p) | DeckOrigin::Folder(p) => {
                p.file_stem().map(|s| s.to_string_lossy().into_owned())
            }
            DeckOrigin::Url(u) => u
                .path_segments()
                .and_then(|mut s| s.next_back().map(str::to_string))
                .filter(|s| !s.is_empty())
                .map(|s| match s.rsplit_once('.') {
                    Some((stem, _)) if !stem.is_empty() => stem.to_string(),
                    _ => s,
                }),
            DeckOrigin::Stdin => None,
        }
    }
}

/// Where one slide image lives, resolved against the deck.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SlideSource {
    Local(PathBuf),
    Remote(Url),
    /// An image embedded in the deck (`data:image/png;base64,…`, as Markdown editors paste
    /// them), decoded. It is handed on as a file like any other and checked against the same
    /// limits (`fetch`, then the probe).
    Data(std::sync::Arc<Vec<u8>>),
    /// A link the deck may not use (a local file from a remote deck, an unknown scheme): the
    /// reason, reported with the failures of the other slides once they have been fetched.
    Refused(String),
}

impl fmt::Display for SlideSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlideSource::Local(p) => write!(f, "{}", p.display()),
            SlideSource::Remote(u) => write!(f, "{u}"),
            SlideSource::Data(bytes) => write!(f, "(embedded image, {} bytes)", bytes.len()),
            SlideSource::Refused(reason) => write!(f, "(refused: {reason})"),
        }
    }
}

/// Document metadata. `title` is the cleaned display title; `raw_title` is as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeckMeta {
    pub raw_title: Option<String>,
    pub title: String,
    /// The speakers, in order (several for a joint talk).
    pub authors: Vec<String>,
    pub date: Option<String>,
    pub event: Option<String>,
    pub lang: Option<String>,
    /// The deck's own location (path or URL), printed on the title page and kept as `dc:source`.
    pub source: Option<String>,
    /// How the display title, authors and event were derived, one line each, for `-v`
    /// (the library never prints them itself).
    pub title_notes: Vec<String>,
    /// Nothing in the deck names a talk: `title` is a stand-in (the speaker, the event, the
    /// text as written), which the cover slide's recognised text may replace.
    pub title_is_fallback: bool,
    /// How clearly the title names a talk (`reader::title::reading_score`; 0 for a stand-in),
    /// which decides whether the cover slide's text may correct it; `None` when the title was
    /// given (front matter, `--title`, `--raw-title`) and stands whatever the cover says.
    pub title_score: Option<u32>,
}

impl DeckMeta {
    /// The authors on one line: joined with `、` when they are Chinese/Japanese names, with
    /// `, ` otherwise; `None` when there is none.
    pub fn author_line(&self) -> Option<String> {
        let authors: Vec<&str> = self
            .authors
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .collect();
        if authors.is_empty() {
            return None;
        }
        let cjk = authors.iter().all(|a| {
            a.chars()
                .next()
                .is_some_and(|c| crate::script::is_han(c) || crate::script::is_kana(c))
        });
        Some(authors.join(if cjk { "、" } else { ", " }))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slide {
    /// 1-based position in the deck.
    pub position: usize,
    /// The slide's own number as the deck names it (`201905130944_4.png` → "4"), else its position.
    pub label: String,
    pub source: SlideSource,
    /// The source exactly as written in the deck, for messages.
    pub written: String,
    /// 1-based line in the deck input; `None` for folders.
    pub line: Option<usize>,
    pub alt: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deck {
    pub origin: DeckOrigin,
    pub meta: DeckMeta,
    pub slides: Vec<Slide>,
}

impl Deck {
    /// `deck.md:17`, or just the deck's name where a slide has no line.
    pub fn location(&self, slide: &Slide) -> String {
        match slide.line {
            Some(line) => format!("{}:{line}", self.origin.display_name()),
            None => self.origin.display_name(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_line_joins_as_the_names_are_written() {
        let meta = |authors: &[&str]| DeckMeta {
            authors: authors.iter().map(|a| a.to_string()).collect(),
            ..DeckMeta::default()
        };
        assert_eq!(meta(&[]).author_line(), None);
        assert_eq!(
            meta(&["陈韦廷", "范振"]).author_line().as_deref(),
            Some("陈韦廷、范振")
        );
        assert_eq!(
            meta(&["Neal Ford", "Jun Rao"]).author_line().as_deref(),
            Some("Neal Ford, Jun Rao")
        );
        assert_eq!(
            meta(&["周涌杰（矮鱼）"]).author_line().as_deref(),
            Some("周涌杰（矮鱼）")
        );
    }
}
