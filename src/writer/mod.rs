//! Output backends behind one object-safe trait, and the registry the CLI and the library share.
//!
//! A [`Backend`] describes a format (name, file extension, which images it takes as they are,
//! which text it draws and so which font it needs) and creates a [`PageWriter`] on a sink. The
//! pipeline encodes pages with the writer's [`PageEncoder`] on several threads, hands them to
//! `write_page` in slide order while later slides still download, then calls `finish` with the
//! whole [`Book`]. Writers get plain data only — never the fetcher or the command line.
//!
//! A book is a list of talks: one for a single deck, many for an anthology (`--anthology`),
//! where the decks go one after the other through the same writer. Each [`SlideInfo`] names
//! its talk, so a writer that lays pages out as they arrive can start a new sheet where a
//! talk starts; `finish` writes the collection's title and contents pages, each talk's title
//! page and the nested navigation from [`Book::talks`].
//!
//! A backend defined outside the crate:
//!
//! ```
//! use std::io::Write;
//! use deckconv::normalize::{ImageNeeds, Prepared};
//! use deckconv::fonts::FontData;
//! use deckconv::writer::{Backend, Book, Page, PageEncoder, PageWriter, Setup, Sink, SlideInfo, WriteError};
//!
//! /// A text file listing each slide's size.
//! struct Sizes;
//! struct SizesWriter { sink: Box<dyn Sink>, lines: Vec<String> }
//! struct SizesEncoder;
//!
//! impl Backend for Sizes {
//!     fn name(&self) -> &str { "sizes" }
//!     fn extension(&self) -> &str { "txt" }
//!     fn image_needs(&self) -> ImageNeeds { ImageNeeds::as_is() }
//!     fn create(&self, sink: Box<dyn Sink>, _: &Setup) -> Result<Box<dyn PageWriter>, WriteError> {
//!         Ok(Box::new(SizesWriter { sink, lines: Vec::new() }))
//!     }
//! }
//! impl PageEncoder for SizesEncoder {
//!     fn encode_page(&self, slide: &SlideInfo, _image: Prepared) -> Result<Page, WriteError> {
//!         Ok(Page::new(format!("{} {}x{}", slide.label, slide.width, slide.height)))
//!     }
//! }
//! impl PageWriter for SizesWriter {
//!     fn encoder(&self) -> Box<dyn PageEncoder> { Box::new(SizesEncoder) }
//!     fn write_page(&mut self, _: &SlideInfo, page: Page) -> Result<(), WriteError> {
//!         self.lines.push(page.downcast::<String>()?);
//!         Ok(())
//!     }
//!     fn finish(mut self: Box<Self>, book: &Book, _: Option<&FontData>) -> Result<(), WriteError> {
//!         writeln!(self.sink, "{}\n{}", book.meta.title, self.lines.join("\n"))
//!             .map_err(|e| WriteError::io("the list", e))
//!     }
//! }
//! ```
//! Run a deck through it with [`crate::pipeline::convert`], next to the built-in backends.

pub mod cbz;
pub mod devices;
pub mod epub;
pub mod locale;
pub mod pdf;
pub mod registry;

use std::any::Any;
use std::io::{Seek, Write};
use std::sync::Arc;

use crate::fonts::FontData;
use crate::model::{Deck, DeckMeta};
use crate::normalize::{ImageNeeds, NormalizeError, Prepared};
use crate::ocr::PageText;

pub use registry::{BackendEntry, OutputOptions, BACKENDS};

/// One slide as the writers see it.
#[derive(Debug, Clone, Default)]
pub struct SlideInfo {
    /// 1-based position in the deck.
    pub position: usize,
    /// The slide's own number in the deck (page labels, captions, navigation).
    pub label: String,
    pub alt: String,
    pub notes: String,
    /// Pixel size as displayed (after EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// The slide's recognised text (`--ocr`), in pixels of the upright image.
    pub text: Option<Arc<PageText>>,
    /// Which talk of the book the slide belongs to (index into [`Book::talks`]; always 0 for
    /// a single deck). Writers that lay slides out as they arrive (handout sheets, stacked
    /// EPUB pages) start a new sheet when it changes.
    pub talk: usize,
}

impl SlideInfo {
    /// The recognised heading (the slide's top, largest line), on one line.
    pub fn heading(&self) -> Option<String> {
        let line = self.text.as_ref()?.heading()?;
        let heading = line.text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!heading.is_empty()).then_some(heading)
    }

    /// The slide's number and recognised heading: `4 · 服务拆分`.
    pub fn numbered_heading(&self) -> Option<String> {
        self.heading()
            .map(|heading| format!("{} · {heading}", self.label.trim()))
    }

    /// What navigation calls the slide: the deck's own description, else its number and
    /// recognised heading, else "Slide 4" in the deck's language.
    pub fn nav_title(&self, words: &locale::Words) -> String {
        let alt = self.alt.split_whitespace().collect::<Vec<_>>().join(" ");
        if !alt.is_empty() {
            return alt;
        }
        self.numbered_heading()
            .unwrap_or_else(|| words.slide(&self.label))
    }

    /// All the recognised text, lines joined by spaces (an image description); `None`
    /// without text.
    pub fn recognized_text(&self) -> Option<String> {
        let text = self.text.as_ref()?;
        let joined = text
            .lines
            .iter()
            .map(|l| l.text.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (!joined.is_empty()).then_some(joined)
    }
}

/// The whole book as the writers describe it, known once every slide has arrived: pages
/// stream into the output before it exists, so only `finish` receives it.
///
/// A book is a list of talks. A single deck is the special case of one talk whose metadata is
/// the book's; an anthology (`--anthology`) is many, with the collection's own metadata in
/// `meta` and a title page and contents of its own before the talks.
#[derive(Debug, Clone)]
pub struct Book {
    /// The book's metadata: the deck's, or the collection's in an anthology.
    pub meta: DeckMeta,
    /// Every slide of every talk, in reading order.
    pub slides: Vec<SlideInfo>,
    /// The talks in order, each naming its run of `slides`; never empty when written.
    pub talks: Vec<Talk>,
    /// An anthology: a collection title page and a contents page come first, and every talk
    /// has a title page of its own.
    pub anthology: bool,
    /// Seconds since the epoch for every date the output records (`SOURCE_DATE_EPOCH` or now).
    pub timestamp: i64,
    /// Stable identifier derived from the deck's content and the edition.
    pub identifier: String,
}

/// One talk of a book: its own metadata (title, speakers, language) and its slides.
#[derive(Debug, Clone)]
pub struct Talk {
    pub meta: DeckMeta,
    /// The talk's slides as a range of [`Book::slides`].
    pub slides: std::ops::Range<usize>,
}

impl Book {
    /// A single deck's book: one talk holding every slide, described by the deck's metadata.
    pub fn deck(
        meta: DeckMeta,
        slides: Vec<SlideInfo>,
        timestamp: i64,
        identifier: String,
    ) -> Self {
        let talks = vec![Talk {
            meta: meta.clone(),
            slides: 0..slides.len(),
        }];
        Book {
            meta,
            slides,
            talks,
            anthology: false,
            timestamp,
            identifier,
        }
    }

    /// The slides of talk `index` (empty for an index out of range).
    pub fn talk_slides(&self, index: usize) -> &[SlideInfo] {
        self.talks
            .get(index)
            .and_then(|t| self.slides.get(t.slides.clone()))
            .unwrap_or(&[])
    }

    /// The metadata of the talk a slide belongs to (the book's for a single deck).
    pub fn talk_meta(&self, slide: &SlideInfo) -> &DeckMeta {
        self.talks.get(slide.talk).map_or(&self.meta, |t| &t.meta)
    }

    /// The (width, height) in pixels shared by most slides; pages take its aspect.
    pub fn dominant_size(&self) -> (u32, u32) {
        let mut counts: Vec<((u32, u32), usize)> = Vec::new();
        for s in &self.slides {
            match counts
                .iter_mut()
                .find(|(size, _)| *size == (s.width, s.height))
            {
                Some((_, n)) => *n += 1,
                None => counts.push(((s.width, s.height), 1)),
            }
        }
        // Ties go to the earliest size, so the result does not depend on hashing.
        counts
            .iter()
            .fold(None::<((u32, u32), usize)>, |best, &(size, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((size, n)),
            })
            .map(|(size, _)| size)
            .unwrap_or((1280, 720))
    }
}

/// What a book will hold, known before any slide is fetched: its decks (one for a single
/// deck, each talk of an anthology) and, for an anthology, the collection's metadata.
#[derive(Debug, Clone, Copy)]
pub struct Plan<'a> {
    pub decks: &'a [Deck],
    pub collection: Option<&'a DeckMeta>,
}

impl<'a> Plan<'a> {
    /// One deck, one book.
    pub fn deck(deck: &'a Deck) -> Self {
        Plan {
            decks: std::slice::from_ref(deck),
            collection: None,
        }
    }

    /// The book's own metadata: the collection's, or the single deck's.
    pub fn meta(&self) -> Option<&'a DeckMeta> {
        self.collection.or(self.decks.first().map(|d| &d.meta))
    }
}

/// What the pipeline hands a backend when it creates a writer.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    /// Seconds since the epoch recorded for every date (zip entry times included).
    pub timestamp: i64,
    /// Slides in the deck: at most this many pages will come (fewer under `--skip-broken`).
    pub slide_count: usize,
}

/// Output sink: a temporary file beside the target, renamed into place by the pipeline.
pub trait Sink: Write + Seek + Send {}
impl<T: Write + Seek + Send> Sink for T {}

/// A format. Object-safe: the registry and library users hold `Box<dyn Backend>`.
pub trait Backend: Send + Sync {
    /// Short name (`pdf`), as on the command line.
    fn name(&self) -> &str;

    /// File extension without the dot (`pdf`, `kepub.epub`).
    fn extension(&self) -> &str;

    /// What distinguishes this edition from the same deck in another format or for another
    /// device: part of the book's identifier, so reading apps keep editions apart.
    fn edition(&self) -> String {
        self.name().to_string()
    }

    /// What images this format takes as they are; the normalizer converts the rest.
    fn image_needs(&self) -> ImageNeeds;

    /// Every character this backend will draw in a font of its own (title page, captions,
    /// notes), known from the decks before any slide arrives; `None`: it draws no text and
    /// needs no font.
    fn text_to_draw(&self, plan: &Plan<'_>) -> Option<String> {
        let _ = plan;
        None
    }

    /// Start an output on `sink`. Anything that can fail before the first slide (templates,
    /// a cover image) fails here, before any download.
    fn create(&self, sink: Box<dyn Sink>, setup: &Setup)
        -> Result<Box<dyn PageWriter>, WriteError>;
}

/// A slide made ready for one format off the writing thread. Only the writer that made it
/// knows what is inside.
pub struct Page(Box<dyn Any + Send>);

impl Page {
    pub fn new<T: Send + 'static>(page: T) -> Self {
        Page(Box::new(page))
    }

    /// The page as its writer made it.
    pub fn downcast<T: 'static>(self) -> Result<T, WriteError> {
        self.0
            .downcast::<T>()
            .map(|b| *b)
            .map_err(|_| WriteError::Internal("a page made by another writer".into()))
    }
}

/// Makes a writer's pages from prepared images; shared by the encoding threads while the
/// writer keeps writing earlier pages.
pub trait PageEncoder: Send + Sync {
    fn encode_page(&self, slide: &SlideInfo, image: Prepared) -> Result<Page, WriteError>;
}

/// One output being written.
pub trait PageWriter: Send {
    fn encoder(&self) -> Box<dyn PageEncoder>;

    /// Store one slide's page. Nothing that depends on the rest of the deck (page size,
    /// title page, navigation) can be written yet.
    fn write_page(&mut self, slide: &SlideInfo, page: Page) -> Result<(), WriteError>;

    /// Write everything that needs the whole deck: `book.slides` are the slides given to
    /// `write_page`, in the same order. `font` covers [`Backend::text_to_draw`]; it was
    /// chosen while the slides downloaded, so it arrives only now.
    fn finish(self: Box<Self>, book: &Book, font: Option<&FontData>) -> Result<(), WriteError>;
}

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Image(#[from] NormalizeError),
    #[error("{0}")]
    Unsupported(String),
    #[error("template {name}: {reason}")]
    Template { name: String, reason: String },
    #[error("cannot use font {name}: {reason}")]
    Font {
        name: String,
        #[source]
        reason: pdf::font::EmbedError,
    },
    /// A file the user named for this output (`--cover`): the option, the path, and why.
    #[error("{option} {path}: {reason}")]
    Input {
        option: &'static str,
        path: String,
        reason: String,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

impl WriteError {
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        WriteError::Io {
            what: what.into(),
            source,
        }
    }
}

impl From<zip::result::ZipError> for WriteError {
    fn from(e: zip::result::ZipError) -> Self {
        match e {
            zip::result::ZipError::Io(io) => WriteError::io("the archive", io),
            other => WriteError::Internal(format!("zip: {other}")),
        }
    }
}
