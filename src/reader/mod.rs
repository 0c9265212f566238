//! Reader: any slide list (Markdown, folder, list file, stdin, remote deck) → `Deck`.
//!
//! Rules where the issue leaves a choice:
//! - Title: YAML front matter `title` wins over the first H1 and is used as written (it is
//!   deliberate metadata); an H1, or else the file/folder/URL name, goes through
//!   [`title::clean`]. A front-matter `author` wins over a speaker found in the title.
//! - Markdown or list: by extension (`.md`, `.markdown`, `.mdown`), else by content: any `![` or
//!   `<img` makes it Markdown. A leading `# ` alone does not, because list files use `#` for
//!   comments; a Markdown text without images would have no slides anyway.
//! - Notes: the text of paragraphs, list items, quotes and code after an image until the next
//!   image; headings are not notes (they name sections or the next slide).

mod folder;
mod list;
mod markdown;
mod resolve;
pub mod title;

use std::io::Read;
use std::path::{Path, PathBuf};

use url::Url;

pub use resolve::Base;
/// One slide source as written resolved against a base, and the file stem it labels the
/// slide with. Exposed for the fuzz targets.
#[doc(hidden)]
pub fn resolve_source(written: &str, base: &Base) -> (Result<SlideSource, String>, Option<String>) {
    let resolved = resolve::resolve(written, base);
    let stem = resolved.as_ref().ok().and_then(resolve::source_stem);
    (resolved, stem)
}

use crate::error::Error;
use crate::fetch::Fetcher;
use crate::model::{Deck, DeckMeta, DeckOrigin, Slide, SlideSource};

/// One input as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Url(Url),
    Stdin,
}

impl Input {
    pub fn parse(arg: &str) -> Input {
        if arg == "-" {
            return Input::Stdin;
        }
        match Url::parse(arg) {
            Ok(u) if u.scheme() == "http" || u.scheme() == "https" => Input::Url(u),
            Ok(u) if u.scheme() == "file" => match u.to_file_path() {
                Ok(p) => Input::Path(p),
                Err(()) => Input::Path(PathBuf::from(arg)),
            },
            _ => Input::Path(PathBuf::from(arg)),
        }
    }
}

/// Overrides from the command line applied to the deck's metadata.
#[derive(Debug, Clone, Default)]
pub struct MetaOverrides {
    pub title: Option<String>,
    pub author: Option<String>,
    pub lang: Option<String>,
    /// Keep the title as written (no cleanup).
    pub raw_title: bool,
}

/// A slide as the deck lists it, before its source is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawSlide {
    pub written: String,
    pub line: Option<usize>,
    pub alt: String,
    pub notes: String,
}

/// Deck texts larger than this are not slide lists.
const MAX_DECK_BYTES: u64 = 64 * 1024 * 1024;

/// Read one input into a deck. The fetcher is used only to get a remote deck's text.
pub fn read(input: &Input, overrides: &MetaOverrides, fetcher: &Fetcher) -> Result<Deck, Error> {
    match input {
        Input::Path(path) => {
            let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => {
                    Error::Deck(format!("{}: no such file or folder", path.display()))
                }
                _ => Error::Deck(format!("{}: cannot read: {e}", path.display())),
            })?;
            if metadata.is_dir() {
                return read_folder(path, overrides);
            }
            let file = std::fs::File::open(path)
                .map_err(|e| Error::Deck(format!("{}: cannot open: {e}", path.display())))?;
            let text = read_limited(file, &path.display().to_string())?;
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            read_text(
                &text,
                DeckOrigin::File(path.clone()),
                &Base::Dir(dir),
                overrides,
            )
        }
        Input::Url(url) => {
            let text = fetcher
                .fetch_text(url)
                .map_err(|e| Error::Deck(format!("{url}: cannot fetch the deck: {e}")))?;
            if is_html_page(&text) {
                return Err(Error::Deck(format!(
                    "{url}: this is a web page, not a Markdown deck or a list \
                     (for a file on GitHub, use its raw URL)"
                )));
            }
            read_text(
                &text,
                DeckOrigin::Url(url.clone()),
                &Base::Url(url.clone()),
                overrides,
            )
        }
        Input::Stdin => {
            let text = read_limited(std::io::stdin().lock(), "<stdin>")?;
            read_text(
                &text,
                DeckOrigin::Stdin,
                &Base::Dir(PathBuf::new()),
                overrides,
            )
        }
    }
}

/// A whole HTML document (a repository's web view, an error page), not a deck.
fn is_html_page(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{FEFF}')
        .trim_start()
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

fn read_limited(reader: impl Read, name: &str) -> Result<String, Error> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_DECK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Deck(format!("{name}: cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_DECK_BYTES {
        return Err(Error::Deck(format!(
            "{name}: larger than {} MiB, not a slide list",
            MAX_DECK_BYTES / (1024 * 1024)
        )));
    }
    Ok(decode_text(&bytes))
}

/// UTF-8 (BOM stripped) or UTF-16 with a BOM; anything else is read lossily.
fn decode_text(bytes: &[u8]) -> String {
    let utf16 = |chunks: std::slice::ChunksExact<u8>, le: bool| {
        let units: Vec<u16> = chunks
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        [0xFF, 0xFE, rest @ ..] => utf16(rest.chunks_exact(2), true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest.chunks_exact(2), false),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Whether a deck text is Markdown (else a list file), by the origin's extension, then content.
pub fn is_markdown(text: &str, origin: &DeckOrigin) -> bool {
    let name = match origin {
        DeckOrigin::File(p) | DeckOrigin::Folder(p) => p.to_string_lossy().into_owned(),
        DeckOrigin::Url(u) => u.path().to_string(),
        DeckOrigin::Stdin => String::new(),
    };
    let lower = name.to_ascii_lowercase();
    if [".md", ".markdown", ".mdown"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        return true;
    }
    text.contains("![") || text.to_ascii_lowercase().contains("<img")
}

/// A deck's text (Markdown or list, detected) read against a base. Testable without I/O.
pub fn read_text(
    text: &str,
    origin: DeckOrigin,
    base: &Base,
    overrides: &MetaOverrides,
) -> Result<Deck, Error> {
    if is_markdown(text, &origin) {
        read_markdown_text(text, origin, base, overrides)
    } else {
        read_list_text(text, origin, base, overrides)
    }
}

/// A Markdown deck's text read against a base.
pub fn read_markdown_text(
    text: &str,
    origin: DeckOrigin,
    base: &Base,
    overrides: &MetaOverrides,
) -> Result<Deck, Error> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    ensure_not_empty(text, &origin)?;
    let parsed = markdown::parse(text).map_err(|(line, message)| {
        Error::Deck(format!("{}:{line}: {message}", origin.display_name()))
    })?;
    let front = parsed.front;
    let title_source = match (&front.title, &parsed.heading) {
        (Some(title), _) => TitleSource::Deliberate(title.clone()),
        (None, Some(heading)) => TitleSource::Heading {
            written: heading.source.clone(),
            text: heading.text.clone(),
        },
        (None, None) => TitleSource::from_origin(&origin),
    };
    let meta = MetaParts {
        title: title_source,
        author: front.author,
        date: front.date,
        event: front.event,
        lang: front.lang,
    };
    assemble(
        origin,
        base,
        parsed.slides,
        Syntax::Markdown,
        meta,
        overrides,
    )
}

/// A list file's text (one path or URL per line, `#` comments) read against a base.
pub fn read_list_text(
    text: &str,
    origin: DeckOrigin,
    base: &Base,
    overrides: &MetaOverrides,
) -> Result<Deck, Error> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    ensure_not_empty(text, &origin)?;
    let slides = list::parse(text);
    let meta = MetaParts {
        title: TitleSource::from_origin(&origin),
        ..MetaParts::default()
    };
    assemble(origin, base, slides, Syntax::Plain, meta, overrides)
}

/// A folder of images, in natural order (`_4` before `_10`), titled by the folder's name.
pub fn read_folder(path: &Path, overrides: &MetaOverrides) -> Result<Deck, Error> {
    let names = folder::image_names(path)?;
    let slides: Vec<RawSlide> = names
        .into_iter()
        .map(|name| RawSlide {
            written: name,
            line: None,
            alt: String::new(),
            notes: String::new(),
        })
        .collect();
    let origin = DeckOrigin::Folder(path.to_path_buf());
    let meta = MetaParts {
        title: TitleSource::from_origin(&origin),
        ..MetaParts::default()
    };
    // Folder entries are file names as they are: no `\` or `%` interpretation.
    let resolved = slides
        .iter()
        .map(|raw| Ok(crate::model::SlideSource::Local(path.join(&raw.written))))
        .collect();
    build_deck(origin, slides, resolved, meta, overrides)
}

fn ensure_not_empty(text: &str, origin: &DeckOrigin) -> Result<(), Error> {
    if text.trim().is_empty() {
        return Err(Error::Deck(format!(
            "{}: the deck is empty",
            origin.display_name()
        )));
    }
    Ok(())
}

/// Where the display title comes from.
#[derive(Debug, Clone, Default)]
enum TitleSource {
    /// Front matter: used as written.
    Deliberate(String),
    /// The first H1: as written (for `raw_title`) and as plain text (for the cleanup).
    Heading { written: String, text: String },
    /// A file, folder or URL name.
    Name(String),
    #[default]
    None,
}

impl TitleSource {
    fn from_origin(origin: &DeckOrigin) -> TitleSource {
        let name = match origin {
            DeckOrigin::Folder(p) => folder::folder_name(p),
            DeckOrigin::Url(_) => origin.stem().map(|s| {
                percent_encoding::percent_decode_str(&s)
                    .decode_utf8_lossy()
                    .into_owned()
            }),
            _ => origin.stem(),
        };
        name.filter(|n| !n.trim().is_empty())
            .map_or(TitleSource::None, TitleSource::Name)
    }
}

#[derive(Debug, Default)]
struct MetaParts {
    title: TitleSource,
    author: Option<String>,
    date: Option<String>,
    event: Option<String>,
    lang: Option<String>,
}

/// How sources were written: Markdown/HTML sources may carry entities (`a&amp;b.png`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Markdown,
    Plain,
}

fn assemble(
    origin: DeckOrigin,
    base: &Base,
    slides: Vec<RawSlide>,
    syntax: Syntax,
    meta: MetaParts,
    overrides: &MetaOverrides,
) -> Result<Deck, Error> {
    let resolved = slides
        .iter()
        .map(|raw| match syntax {
            Syntax::Markdown => {
                resolve::resolve(&html_escape::decode_html_entities(&raw.written), base)
            }
            Syntax::Plain => resolve::resolve(&raw.written, base),
        })
        .collect();
    build_deck(origin, slides, resolved, meta, overrides)
}

fn build_deck(
    origin: DeckOrigin,
    slides: Vec<RawSlide>,
    resolved: Vec<Result<crate::model::SlideSource, String>>,
    parts: MetaParts,
    overrides: &MetaOverrides,
) -> Result<Deck, Error> {
    if slides.is_empty() {
        return Err(Error::Deck(format!(
            "{}: no slides found (expected Markdown images `![](image.png)` or `<img src>`, \
             or one image path or URL per line)",
            origin.display_name()
        )));
    }
    let mut out: Vec<Slide> = slides
        .into_iter()
        .zip(resolved)
        .enumerate()
        .map(|(index, (raw, source))| Slide {
            position: index + 1,
            label: (index + 1).to_string(),
            // A refused link fails its slide later, listed with every other failure of the run.
            source: source.unwrap_or_else(SlideSource::Refused),
            written: raw.written,
            line: raw.line,
            alt: raw.alt,
            notes: raw.notes,
        })
        .collect();
    apply_labels(&mut out);
    let meta = build_meta(&origin, parts, overrides);
    Ok(Deck {
        origin,
        meta,
        slides: out,
    })
}

/// Labels from the file names (`…_4.png` → "4") when every slide has a distinct number there.
fn apply_labels(slides: &mut [Slide]) {
    let numbers: Option<Vec<String>> = slides
        .iter()
        .map(|s| resolve::source_stem(&s.source).and_then(|stem| trailing_number(&stem)))
        .collect();
    let Some(numbers) = numbers else {
        return;
    };
    let mut unique = numbers.clone();
    unique.sort();
    unique.dedup();
    if unique.len() != numbers.len() {
        return;
    }
    for (slide, number) in slides.iter_mut().zip(numbers) {
        slide.label = number;
    }
}

/// The digits after a final `_`, `-` or space (`201905130944_4` → "4"), or an all-digit stem.
/// Leading zeros are dropped (`slide_04` → "4").
fn trailing_number(stem: &str) -> Option<String> {
    let digits_start = stem
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i)?;
    let digits = &stem[digits_start..];
    let before = stem[..digits_start].chars().next_back();
    if !(before.is_none() || matches!(before, Some('_' | '-' | ' '))) || digits.len() > 9 {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    Some(if trimmed.is_empty() { "0" } else { trimmed }.to_string())
}

fn build_meta(origin: &DeckOrigin, parts: MetaParts, overrides: &MetaOverrides) -> DeckMeta {
    let (raw_title, title, title_author) = match parts.title {
        TitleSource::Deliberate(t) => (Some(t.clone()), t, None),
        TitleSource::Heading { written, text } => {
            if overrides.raw_title {
                (Some(written.clone()), written, None)
            } else {
                let cleaned = title::clean(&text);
                (Some(written), cleaned.title, cleaned.author)
            }
        }
        TitleSource::Name(name) => {
            if overrides.raw_title {
                (Some(name.clone()), name, None)
            } else {
                let cleaned = title::clean(&name);
                (Some(name), cleaned.title, cleaned.author)
            }
        }
        TitleSource::None => (None, "Untitled".to_string(), None),
    };
    let title = if title.trim().is_empty() {
        raw_title.clone().unwrap_or_else(|| "Untitled".into())
    } else {
        title
    };
    let source = match origin {
        DeckOrigin::File(p) | DeckOrigin::Folder(p) => Some(p.display().to_string()),
        DeckOrigin::Url(u) => Some(u.to_string()),
        DeckOrigin::Stdin => None,
    };
    DeckMeta {
        raw_title,
        title: overrides.title.clone().unwrap_or(title),
        author: overrides.author.clone().or(parts.author).or(title_author),
        date: parts.date,
        event: parts.event,
        lang: overrides.lang.clone().or(parts.lang),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_numbers() {
        assert_eq!(trailing_number("201905130944_4").as_deref(), Some("4"));
        assert_eq!(trailing_number("slide-010").as_deref(), Some("10"));
        assert_eq!(trailing_number("slide 7").as_deref(), Some("7"));
        assert_eq!(trailing_number("12").as_deref(), Some("12"));
        assert_eq!(trailing_number("slide7"), None);
        assert_eq!(trailing_number("slide"), None);
        assert_eq!(trailing_number("x_"), None);
    }

    #[test]
    fn html_pages_are_recognised() {
        assert!(is_html_page("\n<!DOCTYPE html>\n<html>"));
        assert!(is_html_page("<HTML lang=en>"));
        assert!(!is_html_page("# Title\n<img src=a.png>"));
    }

    #[test]
    fn text_decoding() {
        assert_eq!(decode_text(b"\xEF\xBB\xBF# a"), "# a");
        assert_eq!(decode_text(&[0xFF, 0xFE, b'a', 0, b'b', 0]), "ab");
        assert_eq!(decode_text(b"a\xFFb"), "a\u{FFFD}b");
    }
}
