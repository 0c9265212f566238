//! Reader: any slide list (Markdown, folder, list file, stdin, remote deck) → `Deck`.
//!
//! Rules where the issue leaves a choice:
//! - Title: YAML front matter `title` wins over the first H1 and is used as written (it is
//!   deliberate metadata); an H1, or else the file/folder/URL name, goes through
//!   [`title::analyze`]. When the H1 names no talk (only a speaker, a company or a track), the
//!   deck's file name, analysed the same way, supplies the title; when neither does, the
//!   speaker's name is the title. A front-matter `author` or `event` wins over what the title
//!   says; `--title`, `--author` and `--event` win over everything.
//! - Encodings: BOMs (UTF-8, UTF-16), UTF-16 without BOM by its NUL bytes, valid UTF-8, else
//!   the encoding `chardetng` guesses (GB18030 for GBK, Big5, Shift_JIS, …), decoded with
//!   `encoding_rs`. A text that decodes only with errors, or holds control bytes, is refused.
//! - Markdown or list: by extension (`.md`, `.markdown`, `.mdown`), else by content: any `![` or
//!   `<img` makes it Markdown. A leading `# ` alone does not, because list files use `#` for
//!   comments; a Markdown text without images would have no slides anyway.
//! - Notes: the text of paragraphs, list items, quotes and code after an image until the next
//!   image; headings are not notes (they name sections or the next slide).

mod error;
mod folder;
mod list;
mod markdown;
mod resolve;
pub mod title;

use std::io::Read;
use std::path::{Path, PathBuf};

use url::Url;

pub use error::ReadError;
pub(crate) use folder::{folder_name, natural_order};
pub use resolve::{Base, Refusal};
/// One slide source as written resolved against a base, and the file stem it labels the
/// slide with. Exposed for the fuzz targets.
#[doc(hidden)]
pub fn resolve_source(
    written: &str,
    base: &Base,
) -> (Result<SlideSource, Refusal>, Option<String>) {
    let resolved = resolve::resolve(written, base);
    let stem = resolved.as_ref().ok().and_then(resolve::source_stem);
    (resolved, stem)
}

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
    /// An argument as the operating system gave it: a name that is not UTF-8 is a path.
    pub fn parse_os(arg: &std::ffi::OsStr) -> Input {
        match arg.to_str() {
            Some(arg) => Input::parse(arg),
            None => Input::Path(PathBuf::from(arg)),
        }
    }

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
    /// The event (conference) to name instead of the deck's.
    pub event: Option<String>,
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

/// A deck of more slides is refused. Real decks have hundreds; 100,000 is read in well under a
/// second and about 100 MB, while the millions a 64 MiB text can list would take gigabytes
/// and hours to convert.
pub const MAX_SLIDES: usize = 100_000;

/// A longer line is not a slide list (one image per line) but data: refused before parsing,
/// so that one paragraph cannot hold a deck's worth of text or links.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Read one input into a deck. The fetcher is used only to get a remote deck's text.
pub fn read(
    input: &Input,
    overrides: &MetaOverrides,
    fetcher: &Fetcher,
) -> Result<Deck, ReadError> {
    match input {
        Input::Path(path) => {
            let metadata = std::fs::metadata(path).map_err(|source| match source.kind() {
                std::io::ErrorKind::NotFound => ReadError::NotFound { path: path.clone() },
                _ => ReadError::Unreadable {
                    path: path.clone(),
                    action: "read",
                    source,
                },
            })?;
            if metadata.is_dir() {
                return read_folder(path, overrides);
            }
            let file = std::fs::File::open(path).map_err(|source| ReadError::Unreadable {
                path: path.clone(),
                action: "open",
                source,
            })?;
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
            let text = fetcher.fetch_text(url).map_err(|e| ReadError::Fetch {
                url: url.to_string(),
                reason: e.to_string(),
            })?;
            if is_html_page(&text) {
                return Err(ReadError::WebPage {
                    url: url.to_string(),
                });
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

fn read_limited(reader: impl Read, name: &str) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_DECK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Unreadable {
            path: PathBuf::from(name),
            action: "read",
            source,
        })?;
    if bytes.len() as u64 > MAX_DECK_BYTES {
        return Err(ReadError::TooLarge {
            name: name.to_string(),
            limit_mib: MAX_DECK_BYTES / (1024 * 1024),
        });
    }
    decode_text(&bytes).ok_or_else(|| ReadError::Undecodable {
        name: name.to_string(),
    })
}

/// A deck's bytes as text, or `None` if they are not text in an encoding we can tell.
///
/// Detection: `encoding_rs` does the decoding (the WHATWG encodings, so GBK is read as its
/// superset GB18030, and malformed sequences are reported); `chardetng` guesses the legacy
/// encoding of a text without BOM that is not UTF-8. Both are maintained by the same author
/// as Firefox's detector, need no tables of their own and no C library, which is why they were
/// chosen over `uchardet`/`chardet` ports.
pub fn decode_text(bytes: &[u8]) -> Option<String> {
    use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
    let decode_strict = |encoding: &'static Encoding, body: &[u8]| {
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        (!had_errors).then(|| text.into_owned())
    };
    let text = if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        decode_strict(encoding, &bytes[bom..])?
    } else if let Some(le) = utf16_without_bom(bytes) {
        decode_strict(if le { UTF_16LE } else { UTF_16BE }, bytes)?
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        text.to_string()
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
        if encoding == UTF_8 {
            return None;
        }
        decode_strict(encoding, bytes)?
    };
    // Control characters other than whitespace mean binary data, not a slide list.
    let controls = text
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    (controls == 0 || controls * 1000 < text.chars().count() && !text.contains('\0'))
        .then_some(text)
}

/// UTF-16 without a BOM, told by its NUL bytes: ASCII-range text has a NUL in every other byte
/// (`Some(true)` little-endian, `Some(false)` big-endian). CJK-only UTF-16 has no NULs and is
/// left to the other checks.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let even_nuls = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nuls = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // A third of the characters in the ASCII range and NULs on one side only.
    if odd_nuls * 3 >= pairs && even_nuls * 20 <= odd_nuls {
        Some(true)
    } else if even_nuls * 3 >= pairs && odd_nuls * 20 <= even_nuls {
        Some(false)
    } else {
        None
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
) -> Result<Deck, ReadError> {
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
) -> Result<Deck, ReadError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    ensure_not_empty(text, &origin)?;
    let parsed = markdown::parse(text).map_err(|(line, message)| ReadError::Syntax {
        name: origin.display_name(),
        line,
        message,
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
) -> Result<Deck, ReadError> {
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
pub fn read_folder(path: &Path, overrides: &MetaOverrides) -> Result<Deck, ReadError> {
    let images = folder::image_names(path)?;
    let origin = DeckOrigin::Folder(path.to_path_buf());
    let meta = MetaParts {
        title: TitleSource::from_origin(&origin),
        ..MetaParts::default()
    };
    // Folder entries are file names as they are: no `\` or `%` interpretation, and the file
    // is opened by its own name even where that is not UTF-8 (`written` shows it lossily).
    let resolved = images
        .iter()
        .map(|image| Ok(SlideSource::Local(path.join(&image.name))))
        .collect();
    let slides: Vec<RawSlide> = images
        .into_iter()
        .map(|image| RawSlide {
            written: image.shown,
            line: None,
            alt: String::new(),
            notes: String::new(),
        })
        .collect();
    build_deck(origin, slides, resolved, meta, overrides)
}

/// Not empty and no line longer than [`MAX_LINE_BYTES`].
fn ensure_not_empty(text: &str, origin: &DeckOrigin) -> Result<(), ReadError> {
    if text.trim().is_empty() {
        return Err(ReadError::Empty {
            name: origin.display_name(),
        });
    }
    if let Some((index, line)) = text
        .split('\n')
        .enumerate()
        .find(|(_, line)| line.len() > MAX_LINE_BYTES)
    {
        return Err(ReadError::LineTooLong {
            name: origin.display_name(),
            line: index + 1,
            length_kib: line.len() / 1024,
            limit_kib: MAX_LINE_BYTES / 1024,
        });
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
        origin_name(origin).map_or(TitleSource::None, TitleSource::Name)
    }
}

/// The deck's own name: the file's stem, the folder's name, a URL's last segment decoded.
fn origin_name(origin: &DeckOrigin) -> Option<String> {
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
}

/// The names of the other decks beside this one: the stems of files with its extension in its
/// folder, or the other folders beside a folder deck. Empty when there is no folder to read
/// (a URL, stdin, a path that does not exist). What they share names their collection
/// (`title::collection`).
fn sibling_names(origin: &DeckOrigin) -> Vec<String> {
    let (path, folder) = match origin {
        DeckOrigin::File(p) => (p, false),
        DeckOrigin::Folder(p) => (p, true),
        DeckOrigin::Url(_) | DeckOrigin::Stdin => return Vec::new(),
    };
    // `.` or `..` as a folder deck: its name and its parent are those of the real folder.
    let resolved;
    let path = if path.file_name().is_none() {
        match path.canonicalize() {
            Ok(p) => {
                resolved = p;
                &resolved
            }
            Err(_) => return Vec::new(),
        }
    } else {
        path
    };
    let Some(parent) = path.parent() else {
        return Vec::new();
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let extension = path.extension().map(|e| e.to_ascii_lowercase());
    let own = path.file_name();
    entries
        .filter_map(Result::ok)
        .take(title::collection::MAX_SIBLINGS)
        .filter(|e| Some(e.file_name().as_os_str()) != own)
        .filter(|e| {
            // The entry's own type, without a `stat`; a link is followed to what it names.
            let (is_dir, is_file) = match e.file_type() {
                Ok(t) if !t.is_symlink() => (t.is_dir(), t.is_file()),
                _ => (e.path().is_dir(), e.path().is_file()),
            };
            if folder {
                is_dir
            } else {
                is_file && e.path().extension().map(|x| x.to_ascii_lowercase()) == extension
            }
        })
        .filter_map(|e| {
            let p = e.path();
            let name = if folder { p.file_name() } else { p.file_stem() };
            name.map(|n| n.to_string_lossy().into_owned())
        })
        .collect()
}

/// File names that say only "a deck" (`deck.md`, `slides`, `README`): they name no talk.
fn names_no_deck(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    matches!(
        name.as_str(),
        "deck"
            | "slides"
            | "slide"
            | "index"
            | "readme"
            | "talk"
            | "presentation"
            | "untitled"
            | "images"
            | "list"
            | "stdin"
    )
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
) -> Result<Deck, ReadError> {
    let mut slides = slides;
    if syntax == Syntax::Markdown {
        // Markdown/HTML destinations may carry entities (`a&amp;b.png`): the decoded text is
        // what is requested, so it is also what messages show.
        for raw in &mut slides {
            if raw.written.contains('&') {
                raw.written = html_escape::decode_html_entities(&raw.written).into_owned();
            }
        }
    }
    let resolved = slides
        .iter()
        .map(|raw| resolve::resolve(&raw.written, base))
        .collect();
    build_deck(origin, slides, resolved, meta, overrides)
}

fn build_deck(
    origin: DeckOrigin,
    slides: Vec<RawSlide>,
    resolved: Vec<Result<crate::model::SlideSource, Refusal>>,
    parts: MetaParts,
    overrides: &MetaOverrides,
) -> Result<Deck, ReadError> {
    if slides.is_empty() {
        return Err(ReadError::NoSlides {
            name: origin.display_name(),
        });
    }
    if let Some(first_over) = slides.get(MAX_SLIDES) {
        let name = origin.display_name();
        return Err(ReadError::TooManySlides {
            at: first_over
                .line
                .map_or_else(|| name.clone(), |line| format!("{name}:{line}")),
            limit: MAX_SLIDES,
        });
    }
    let mut out: Vec<Slide> = slides
        .into_iter()
        .zip(resolved)
        .enumerate()
        .map(|(index, (raw, source))| Slide {
            position: index + 1,
            label: (index + 1).to_string(),
            // A refused link fails its slide later, listed with every other failure of the run.
            source: source.unwrap_or_else(|refusal| SlideSource::Refused(refusal.to_string())),
            alt: if is_file_stem_alt(&raw.alt, &raw.written) {
                String::new()
            } else {
                raw.alt
            },
            written: raw.written,
            line: raw.line,
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

/// An alt text that is only a file stem (`qcon_2018_1`, `201905130944_4`, `image`, `img1`, the
/// image's own stem) describes nothing: the slide has no alt text.
fn is_file_stem_alt(alt: &str, written: &str) -> bool {
    let alt = alt.trim();
    if alt.is_empty() || alt.contains(char::is_whitespace) {
        return false;
    }
    let file = written.rsplit(['/', '\\']).next().unwrap_or(written);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    if alt.eq_ignore_ascii_case(stem) || alt.eq_ignore_ascii_case(file) {
        return true;
    }
    if !alt
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return false;
    }
    let lower = alt.to_ascii_lowercase();
    let word = lower.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '_' | '-'));
    let generic = matches!(
        word,
        "" | "image" | "img" | "picture" | "pic" | "photo" | "slide" | "screenshot" | "untitled"
    );
    let coded = alt.contains(['_', '-']) && alt.chars().any(|c| c.is_ascii_digit());
    generic || coded
}

/// One short word (`Pivotal`, `华为`): a heading like that names a company, not a talk, when
/// the file name has more to say.
fn too_short_for_a_talk(title: &str) -> bool {
    let han = title
        .chars()
        .filter(|&c| ('\u{3400}'..='\u{9FFF}').contains(&c))
        .count();
    (han > 0 && title.chars().count() <= 4)
        || (han == 0 && !title.contains(' ') && title.len() <= 12)
}

/// The title, speakers and event from the title source, with notes on how.
struct Derived {
    raw_title: Option<String>,
    title: Option<String>,
    authors: Vec<String>,
    event: Option<String>,
    notes: Vec<String>,
    /// `title::reading_score` of the reading that won; `None` for a title taken as written.
    score: Option<u32>,
}

fn derive_title(origin: &DeckOrigin, source: TitleSource, raw: bool) -> Derived {
    let mut d = Derived {
        raw_title: None,
        title: None,
        authors: Vec::new(),
        event: None,
        notes: Vec::new(),
        score: None,
    };
    let (written, text, from) = match source {
        TitleSource::Deliberate(t) => {
            d.notes
                .push("title from the front matter, as written".into());
            d.raw_title = Some(t.clone());
            d.title = Some(t);
            return d;
        }
        TitleSource::Heading { written, text } => (written, text, "the first heading"),
        TitleSource::Name(name) => (name.clone(), name, "the deck's name"),
        TitleSource::None => return d,
    };
    d.raw_title = Some(written.clone());
    if raw {
        d.notes
            .push(format!("title from {from}, as written (--raw-title)"));
        d.title = Some(written);
        return d;
    }
    let siblings = sibling_names(origin);
    let analysis = title::analyze_among(&text, &siblings, from == "the deck's name");
    d.notes.push(format!(
        "title from {from} `{text}`: {}",
        analysis.derivation()
    ));
    d.title = analysis.title.clone();
    d.authors = analysis.authors.clone();
    d.event = analysis.event.clone();
    d.score = Some(title::reading_score(&analysis));
    let names_no_talk = d.title.is_none();
    if (names_no_talk || d.title.as_deref().is_some_and(too_short_for_a_talk))
        && from == "the first heading"
    {
        // The H1 names no talk (or only a word, `3-Pivotal`): the file name may.
        let other = origin_name(origin)
            .filter(|n| n.trim() != text.trim())
            .filter(|n| !names_no_deck(n));
        let by_name = other
            .as_deref()
            .map(|n| title::analyze_among(n, &siblings, true));
        // Two readings compete: the file name's wins when it names a talk more clearly.
        let better = by_name.as_ref().is_some_and(|b| {
            b.title.as_deref().is_some_and(|t| {
                names_no_talk
                    || (!too_short_for_a_talk(t)
                        && title::reading_score(b) > title::reading_score(&analysis))
            })
        });
        if let (Some(name), Some(by_name), false) = (&other, &by_name, better || names_no_talk) {
            d.notes.push(format!(
                "the heading's reading stays (score {} against the file name's {}): file name `{name}`: {}",
                title::reading_score(&analysis),
                title::reading_score(by_name),
                by_name.derivation()
            ));
        }
        if let (Some(name), Some(by_name), true) = (other, by_name, better || names_no_talk) {
            let why = if names_no_talk {
                "the heading names no talk".to_string()
            } else {
                format!(
                    "the file name names the talk more clearly (score {} against the heading's {})",
                    title::reading_score(&by_name),
                    title::reading_score(&analysis)
                )
            };
            d.notes.push(format!(
                "{why}; file name `{name}`: {}",
                by_name.derivation()
            ));
            d.score = Some(title::reading_score(&by_name));
            d.title = by_name.title;
            if d.authors.is_empty() {
                d.authors = by_name.authors;
            }
            d.event = d.event.or(by_name.event);
        }
    }
    // A heading that names the talk but no speaker (`# 分布式链路追踪的设计`): the file name
    // may name the speaker (`2019-郑华-链路追踪.md`), if its own title, if any, is part of the
    // heading's, so that both speak of one talk.
    if from == "the first heading" && d.authors.is_empty() {
        if let (Some(title), Some(name)) = (&d.title, origin_name(origin)) {
            let by_name = title::analyze_among(&name, &siblings, true);
            let squash =
                |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
            // A Latin title in the file name beside a Han heading (`…-DAS-周华.md`,
            // `…-rust-async-孙辉.md`) is its short or English form: the words cannot be compared.
            let other_script = |t: &str| t.is_ascii() && title.chars().any(crate::script::is_han);
            let same_talk = by_name
                .title
                .as_deref()
                .is_none_or(|t| squash(title).contains(&squash(t)) || other_script(t));
            if !by_name.authors.is_empty() && same_talk && !names_no_deck(&name) {
                d.notes.push(format!(
                    "speaker from the file name `{name}`: {}",
                    by_name.derivation()
                ));
                d.authors = by_name.authors;
            }
        }
    }
    d
}

fn build_meta(origin: &DeckOrigin, parts: MetaParts, overrides: &MetaOverrides) -> DeckMeta {
    let derived = derive_title(origin, parts.title, overrides.raw_title);
    let mut notes = derived.notes;
    let authors = if let Some(author) = &overrides.author {
        notes.push("author from --author".into());
        vec![author.clone()]
    } else if let Some(author) = parts.author {
        notes.push("author from the front matter".into());
        vec![author]
    } else {
        derived.authors.clone()
    };
    let event = if overrides.event.is_some() {
        notes.push("event from --event".into());
        overrides.event.clone()
    } else {
        parts.event.or(derived.event.clone())
    };
    let mut title_is_fallback = false;
    let mut title_score = derived.score;
    let title = match (&overrides.title, derived.title) {
        (Some(t), _) => {
            notes.push("title from --title".into());
            title_score = None;
            t.clone()
        }
        (None, Some(t)) if !t.trim().is_empty() => t,
        (None, _) => {
            // Nothing names a talk: the speaker, else the event, else the text as written.
            let speakers = DeckMeta {
                authors: derived.authors,
                ..DeckMeta::default()
            }
            .author_line();
            let fallback = speakers
                .or(derived.event)
                .or_else(|| derived.raw_title.clone().filter(|t| !t.trim().is_empty()))
                .map(|t| t.trim().to_string())
                .unwrap_or_else(|| "Untitled".into());
            notes.push(format!("no talk named: title `{fallback}`"));
            title_is_fallback = true;
            title_score = Some(0);
            fallback
        }
    };
    // A local path names someone's machine, not the talk: only a URL is a source worth
    // publishing in a shared document.
    let source = match origin {
        DeckOrigin::Url(u) => Some(u.to_string()),
        DeckOrigin::File(_) | DeckOrigin::Folder(_) | DeckOrigin::Stdin => None,
    };
    DeckMeta {
        raw_title: derived.raw_title,
        title,
        authors,
        date: parts.date,
        event,
        lang: overrides.lang.clone().or(parts.lang),
        source,
        title_notes: notes,
        title_is_fallback,
        title_score,
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
        let d = |b: &[u8]| decode_text(b);
        assert_eq!(d(b"\xEF\xBB\xBF# a").as_deref(), Some("# a"));
        assert_eq!(d(&[0xFF, 0xFE, b'a', 0, b'b', 0]).as_deref(), Some("ab"));
        assert_eq!(d(&[0xFE, 0xFF, 0, b'a', 0, b'b']).as_deref(), Some("ab"));
        // UTF-16 without BOM, told by its NULs.
        let le: Vec<u8> = "# 标题\n![](a.png)\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(d(&le).as_deref(), Some("# 标题\n![](a.png)\n"));
        let be: Vec<u8> = "# Title\n![](a.png)\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(d(&be).as_deref(), Some("# Title\n![](a.png)\n"));
        // Legacy CJK encodings.
        let text = "# QCon北京2018-《TiDB架构与开源之路》-申砾\n\n![](幻灯片_1.png)\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(d(&gbk).as_deref(), Some(text));
        let big5_text = "# 微服務架構的過去、現在與未來\n\n![](投影片_1.png)\n";
        let (big5, _, _) = encoding_rs::BIG5.encode(big5_text);
        assert_eq!(d(&big5).as_deref(), Some(big5_text));
        // Binary garbage is not a deck.
        let garbage: Vec<u8> = (0..2048u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert_eq!(d(&garbage), None);
        assert_eq!(d(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), None);
    }

    #[test]
    fn file_stem_alts_are_not_descriptions() {
        for alt in [
            "qcon_2018_1",
            "201905130944_4",
            "image",
            "img1",
            "Image-3",
            "s_4",
        ] {
            assert!(is_file_stem_alt(alt, "images/s_4.png"), "{alt}");
        }
        for alt in ["K8s", "Architecture", "Latency & throughput", "架构图", ""] {
            assert!(!is_file_stem_alt(alt, "images/s_4.png"), "{alt}");
        }
    }
}
