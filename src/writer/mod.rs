//! Output backends. A writer gets plain data — one encoded page at a time as slides arrive,
//! then the book's description — and never sees the fetcher or the command line.

pub mod epub;
pub mod pdf;

use std::io::{Seek, Write};

use crate::fonts::FontData;
use crate::model::DeckMeta;
use crate::normalize::{ImageNeeds, Prepared};

/// One slide as the writers see it.
#[derive(Debug, Clone)]
pub struct SlideInfo {
    /// 1-based position in the deck.
    pub position: usize,
    /// The slide's own number in the deck (page labels, handout captions).
    pub label: String,
    pub alt: String,
    pub notes: String,
    /// Pixel size as displayed (after EXIF orientation).
    pub width: u32,
    pub height: u32,
}

/// The whole deck as the writers describe it, known once every slide has arrived: pages
/// stream into the output before it exists, so only `finish` receives it.
#[derive(Debug, Clone)]
pub struct Book {
    pub meta: DeckMeta,
    pub slides: Vec<SlideInfo>,
    /// Font for the title page and captions, covering the text it will show.
    /// `None` when no requested output draws text of its own (EPUB pages are XHTML).
    pub font: Option<FontData>,
    /// Seconds since the epoch for every date the output records (`SOURCE_DATE_EPOCH` or now).
    pub timestamp: i64,
    /// Stable identifier derived from the deck's content.
    pub identifier: String,
}

impl Book {
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

/// Output sink: a temporary file beside the target, renamed into place by the pipeline.
pub trait Sink: Write + Seek + Send {}
impl<T: Write + Seek + Send> Sink for T {}

/// Makes a writer's pages from prepared images. Owned and `Sync`, so the encoding threads
/// share it while the writer itself keeps writing earlier pages.
pub trait PageEncoder: Sync {
    type Page: Send;

    fn encode_page(&self, slide: &SlideInfo, image: Prepared) -> Result<Self::Page, String>;
}

/// A pluggable backend. The pipeline encodes pages with the writer's `encoder()` on several
/// threads at once (a bounded window of slides), calls `write_page` in slide order while later
/// slides are still downloading, then `finish` with the whole book.
pub trait Writer {
    /// A slide made ready for this format off the writing thread.
    type Page: Send;
    type Encoder: PageEncoder<Page = Self::Page>;

    /// What images this format takes as they are; the normalizer converts the rest.
    fn image_needs(&self) -> ImageNeeds;

    fn encoder(&self) -> Self::Encoder;

    /// Encode one page on the calling thread.
    fn encode_page(&self, slide: &SlideInfo, image: Prepared) -> Result<Self::Page, String> {
        self.encoder().encode_page(slide, image)
    }

    /// Store one slide's image. Nothing that depends on the rest of the deck (page size,
    /// title page, navigation) can be written yet.
    fn write_page(&mut self, slide: &SlideInfo, page: Self::Page) -> Result<(), String>;

    /// Write everything that needs the whole deck: `book.slides` are the slides given to
    /// `write_page`, in the same order.
    fn finish(self, book: &Book) -> Result<(), String>;
}
