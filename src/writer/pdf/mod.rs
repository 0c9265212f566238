//! PDF backend on pdf-writer: lossless image embedding, title page, outline, page labels,
//! document info and XMP. Objects stream to the file as pages arrive; only their offsets
//! and the page/outline references stay in memory until `finish`.

mod contents;
mod file;
pub mod font;
pub mod handout;
mod icc;
mod image;
mod meta;
mod sheet;
pub mod tags;
mod text_layer;
pub mod title_page;

use std::io::{BufWriter, Write};

use pdf_writer::types::{OutputIntentSubtype, PageMode, StructRole};
use pdf_writer::{Chunk, Content, Filter, Finish, Name, Rect, Ref, TextStr};

use crate::fonts::FontData;
use crate::model::DeckMeta;
use crate::normalize::{ImageInfo, ImageNeeds, Limits, Prepared, SourceFormat};
use crate::writer::locale::Words;
use crate::writer::{
    Backend, Book, Page, PageEncoder, PageWriter, Plan, Setup, Sink, SlideInfo, Talk, WriteError,
};

use self::file::ObjectWriter;
use self::font::PdfFont;
use self::handout::Sheet;
pub use self::handout::{Layout, Order, Orientation, Paper, PaperError, UnknownLayout};
pub use self::image::{Colors, Compression, EncodedImage, Icc};
use self::meta::LabelRange;
use self::tags::{PageTags, Tags};
use self::text_layer::{LayerTags, TextLayerFont};
use self::title_page::TitleCard;

/// Points per pixel: a 1280×720 slide becomes a 960×540 pt page (96 px per inch).
pub const POINTS_PER_PIXEL: f32 = 0.75;
/// Largest page side most readers accept (Acrobat's limit: 200 in).
const MAX_PAGE_SIDE: f32 = 14_400.0;
const FONT_NAME: Name<'static> = Name(b"F1");
const IMAGE_NAME: Name<'static> = Name(b"Im1");
/// The glyphless font of the invisible text layer (`--ocr`).
const TEXT_LAYER_FONT: Name<'static> = Name(b"FOcr");

#[derive(Debug, Clone)]
pub struct PdfOptions {
    pub layout: Layout,
    /// Sheet paper, orientation and reading order: handout and notes layouts only.
    pub paper: Paper,
    pub orientation: Orientation,
    pub order: Order,
    /// A thin frame around each slide on sheets.
    pub frame: bool,
    /// Start with the title page.
    pub title_page: bool,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            layout: Layout::Slides,
            paper: Paper::A4,
            orientation: Orientation::Auto,
            order: Order::Horizontal,
            frame: true,
            title_page: true,
        }
    }
}

/// An image slide made ready for the PDF off the writing thread.
pub struct PdfPage {
    image: EncodedImage,
    /// EXIF orientation (1–8) still to apply at placement.
    orientation: u8,
}

/// An image XObject already in the file, placeable any number of times by reference.
#[derive(Debug, Clone, Copy)]
pub struct PlacedImage {
    pub xobject: Ref,
    pub orientation: u8,
    /// Size as displayed (after orientation), in pixels.
    pub width: u32,
    pub height: u32,
    /// Drawn through a soft mask: the page needs a transparency group with a blending colour
    /// space (PDF/A-2, 6.2.10).
    pub soft_mask: bool,
}

impl PlacedImage {
    /// Where the image lands when fitted and centred in the box (x, y, w, h), aspect kept.
    pub fn fitted(&self, x: f32, y: f32, w: f32, h: f32) -> (f32, f32, f32, f32) {
        let (iw, ih) = (self.width.max(1) as f32, self.height.max(1) as f32);
        let scale = (w / iw).min(h / ih);
        let (dw, dh) = (iw * scale, ih * scale);
        (x + (w - dw) / 2.0, y + (h - dh) / 2.0, dw, dh)
    }

    /// Draw the image upright, fitted and centred in the box (x, y, w, h), aspect kept.
    pub fn draw(&self, content: &mut Content, name: Name, x: f32, y: f32, w: f32, h: f32) {
        let (dx, dy, dw, dh) = self.fitted(x, y, w, h);
        content.save_state();
        content.transform(orientation_matrix(self.orientation, dx, dy, dw, dh));
        content.x_object(name);
        content.restore_state();
    }
}

/// The `cm` matrix that maps the image's unit square onto the box (x, y, w, h) with the EXIF
/// orientation undone: the stored pixels stay as they are, the page turns them upright.
pub fn orientation_matrix(orientation: u8, x: f32, y: f32, w: f32, h: f32) -> [f32; 6] {
    // Where a stored point (sx, sy) — fractions from the top-left — shows up when upright,
    // as fractions from the displayed top-left.
    let upright = |sx: f32, sy: f32| -> (f32, f32) {
        match orientation {
            2 => (1.0 - sx, sy),
            3 => (1.0 - sx, 1.0 - sy),
            4 => (sx, 1.0 - sy),
            5 => (sy, sx),
            6 => (1.0 - sy, sx),
            7 => (1.0 - sy, 1.0 - sx),
            8 => (sy, 1.0 - sx),
            _ => (sx, sy),
        }
    };
    // Image space (u right, v up; row 0 at v = 1) to page space.
    let page = |u: f32, v: f32| -> (f32, f32) {
        let (dx, dy) = upright(u, 1.0 - v);
        (x + dx * w, y + (1.0 - dy) * h)
    };
    let (e, f) = page(0.0, 0.0);
    let (ux, uy) = page(1.0, 0.0);
    let (vx, vy) = page(0.0, 1.0);
    [ux - e, uy - f, vx - e, vy - f, e, f]
}

/// Page size in points for a slide size in pixels, within what readers accept.
pub fn page_size(width: u32, height: u32) -> (f32, f32) {
    let (w, h) = (
        width.max(1) as f32 * POINTS_PER_PIXEL,
        height.max(1) as f32 * POINTS_PER_PIXEL,
    );
    let shrink = (MAX_PAGE_SIDE / w.max(h)).min(1.0);
    (w * shrink, h * shrink)
}

/// JPEG of any colour model (orientation applied at placement), and PNG whose compressed
/// rows PDF reads directly: at most 8 bits, not interlaced, no alpha or transparency.
fn pdf_takes_as_is(info: &ImageInfo) -> bool {
    match info.format {
        // DCTDecode in common readers is 8-bit only.
        SourceFormat::Jpeg => info.bit_depth == 8,
        // 16-bit rows go in unchanged too: FlateDecode's PNG predictor handles 16 bpc.
        SourceFormat::Png => !info.interlaced && !info.has_alpha,
        _ => false,
    }
}

fn io_error(e: std::io::Error) -> WriteError {
    WriteError::io("the PDF", e)
}

/// The PDF backend: slides, handouts and notes layouts.
#[derive(Debug, Clone, Default)]
pub struct PdfBackend {
    pub options: PdfOptions,
    /// Limits for the images this writer must decode itself.
    pub limits: Limits,
}

impl Backend for PdfBackend {
    fn name(&self) -> &str {
        "pdf"
    }

    fn extension(&self) -> &str {
        "pdf"
    }

    fn edition(&self) -> String {
        format!("pdf/{}", self.options.layout)
    }

    fn image_needs(&self) -> ImageNeeds {
        ImageNeeds {
            takes_as_is: pdf_takes_as_is,
            orientation_as_transform: true,
            fit: None,
            grayscale_gamma: None,
        }
    }

    /// Title page, headers, captions, notes, page numbers and dates.
    fn text_to_draw(&self, plan: &Plan<'_>) -> Option<String> {
        let meta_text = |meta: &DeckMeta| {
            let author_line = meta.author_line();
            let mut text = [
                Some(meta.title.as_str()),
                author_line.as_deref(),
                meta.event.as_deref(),
                meta.date.as_deref(),
                meta.source.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
            text.push_str(&Words::for_meta(meta).all_text());
            text
        };
        // The collection's title page and contents, then every talk's title page and sheets.
        let mut text = plan.collection.map(meta_text).unwrap_or_default();
        for deck in plan.decks {
            text.push_str(&meta_text(&deck.meta));
            for slide in &deck.slides {
                text.push_str(&slide.notes);
                text.push_str(&slide.label);
            }
        }
        // Captions, page numbers, dates and ellipses on title pages and handout sheets.
        text.push_str("0123456789 /·–—:.,()-…");
        Some(text)
    }

    fn create(
        &self,
        sink: Box<dyn Sink>,
        _setup: &Setup,
    ) -> Result<Box<dyn PageWriter>, WriteError> {
        Ok(Box::new(PdfWriter::create(sink, self)?))
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// A page's content stream, compressed. (Fonts and profiles go through [`deflate`]: their
/// bytes must stay as they are.)
///
/// page-validation 0.11 reads a CR that ends a stream's data, before the LF pdf-writer puts
/// ahead of `endstream`, as part of a CRLF end of line, finds the data one byte shorter than
/// its `/Length` and fails the file (PDFA2U-STREAM-LENGTH-001), though the file is right
/// (the length decides). zlib data ends with the content's Adler-32, so about one content
/// stream in 256 ends in CR, whatever the compression level: a space after the content
/// (whitespace between operators means nothing) changes the checksum. Seen on an
/// anthology's notes sheet.
fn deflate_content(data: &[u8]) -> Vec<u8> {
    let mut out = deflate(data);
    if out.last() != Some(&b'\r') {
        return out;
    }
    // Each space gives another checksum: a few tries always find one not ending in CR.
    let mut padded = data.to_vec();
    for _ in 0..8 {
        padded.push(b' ');
        out = deflate(&padded);
        if out.last() != Some(&b'\r') {
            break;
        }
    }
    out
}

/// Streams each slide's image XObject into the file as soon as the slide is encoded; pages,
/// title page, font and navigation follow in `finish`, once the deck's dominant size and
/// text are known. Only the images' object references stay in memory.
pub struct PdfWriter {
    out: ObjectWriter<BufWriter<Box<dyn Sink>>>,
    options: PdfOptions,
    limits: Limits,
    /// Every slide's image, already in the file, in slide order.
    images: Vec<PlacedImage>,
    /// ICC profile streams already in the file (a deck has few distinct ones).
    icc_profiles: Vec<(Icc, Ref)>,
}

impl PdfWriter {
    pub fn create(out: Box<dyn Sink>, backend: &PdfBackend) -> Result<Self, WriteError> {
        let out = ObjectWriter::new(BufWriter::with_capacity(1 << 16, out)).map_err(io_error)?;
        Ok(PdfWriter {
            out,
            options: backend.options.clone(),
            limits: backend.limits,
            images: Vec::new(),
            icc_profiles: Vec::new(),
        })
    }

    /// The stream of an image's ICC profile, written the first time a file needs it: slides
    /// of one deck mostly share one camera's or one export's profile.
    fn icc_profile(&mut self, icc: &Icc, components: i32) -> Result<Ref, WriteError> {
        if let Some((_, id)) = self.icc_profiles.iter().find(|(known, _)| known == icc) {
            return Ok(*id);
        }
        let baked;
        let profile: &[u8] = match icc {
            Icc::Embedded(profile) => profile,
            Icc::UncalibratedCmyk => icc::uncalibrated_cmyk_profile(),
            Icc::BakedCmyk(profile) => {
                baked = icc::baked_cmyk_profile_cached(profile);
                baked.as_deref().map_or(profile, |baked| baked)
            }
        };
        let id = self.out.alloc();
        let mut chunk = Chunk::with_capacity(profile.len() + 256);
        image::write_icc_stream(&mut chunk, id, profile, components);
        self.out.write_chunk(&chunk).map_err(io_error)?;
        self.icc_profiles.push((icc.clone(), id));
        Ok(id)
    }

    /// Write an image XObject (and its soft mask) once; place it with `PlacedImage::draw`.
    pub fn write_image(
        &mut self,
        image: &EncodedImage,
        orientation: u8,
    ) -> Result<PlacedImage, WriteError> {
        // Each image's dictionary is built alone and its data written after it from the
        // image's own buffer (`write_stream_object`), never copied into a chunk.
        let mask_ref = match &image.soft_mask {
            Some(mask) => {
                let mask_ref = self.out.alloc();
                let mut chunk = Chunk::new();
                mask.write_with_data(&mut chunk, mask_ref, &[], None, None);
                self.out
                    .write_stream_object(&chunk, &mask.data)
                    .map_err(io_error)?;
                Some(mask_ref)
            }
            None => None,
        };
        let icc_ref = match &image.icc {
            Some(icc) => Some(self.icc_profile(icc, image.colors.components())?),
            None => None,
        };
        let id = self.out.alloc();
        let mut chunk = Chunk::new();
        image.write_with_data(&mut chunk, id, &[], mask_ref, icc_ref);
        self.out
            .write_stream_object(&chunk, &image.data)
            .map_err(io_error)?;
        let (width, height) = if (5..=8).contains(&orientation) {
            (image.height, image.width)
        } else {
            (image.width, image.height)
        };
        Ok(PlacedImage {
            xobject: id,
            orientation,
            width,
            height,
            soft_mask: mask_ref.is_some(),
        })
    }
}

/// Handout and notes layouts: how every sheet is laid out.
struct SheetSetup {
    layout: Layout,
    geometry: Sheet,
    frame: bool,
    /// Footer date: the deck's own, else the day of the build.
    date: String,
}

/// The pages and everything after them, written once the whole deck is known.
struct Document<'a> {
    out: ObjectWriter<BufWriter<Box<dyn Sink>>>,
    words: Words,
    book: &'a Book,
    page_width: f32,
    page_height: f32,
    sheets: Option<SheetSetup>,
    pages_root: Ref,
    font_ref: Ref,
    font: PdfFont,
    /// The text layer's font, when some slide has recognised text.
    text_font: Option<(Ref, TextLayerFont)>,
    pages: Vec<Ref>,
    /// Outline entries in page order: title, the page they open, and their children (a
    /// single deck's are flat; an anthology nests collection → talk → slides).
    outline: Vec<OutlineNode>,
    /// Page labels, one per page.
    labels: Vec<PageLabel>,
    /// The talk being written (index into `book.talks`).
    talk: usize,
    /// That talk's words (its language) and language tag.
    talk_words: Words,
    talk_lang: String,
    /// Every page's structure elements, for the structure tree written at the end.
    tags: Tags,
    /// The document's language tag (`/Lang`), against which text in another is marked.
    lang: String,
    /// Slide headings: H2 under the title page's H1, H1 without a title page (PDF/UA wants
    /// the first heading to be H1 and no level skipped); in an anthology one level lower,
    /// under the talk's H2 title.
    heading_role: StructRole,
}

/// One outline entry and the entries under it.
struct OutlineNode {
    title: String,
    page: Ref,
    children: Vec<OutlineNode>,
    /// Shown unfolded: the collection's entry is; a talk's (its slides) is folded.
    open: bool,
}

impl OutlineNode {
    fn leaf(title: String, page: Ref) -> Self {
        OutlineNode {
            title,
            page,
            children: Vec::new(),
            open: false,
        }
    }

    /// Entries shown when this one's parent is unfolded: itself and, if unfolded, its own.
    fn visible(&self) -> i32 {
        1 + if self.open {
            self.children.iter().map(OutlineNode::visible).sum()
        } else {
            0
        }
    }
}

/// A page's label: `prefix` then either `text` as it is (title and contents pages) or the
/// slide's or sheet's number, grouped into counting ranges where consecutive.
struct PageLabel {
    prefix: String,
    text: String,
    fixed: bool,
}

impl<'a> Document<'a> {
    fn new(
        mut out: ObjectWriter<BufWriter<Box<dyn Sink>>>,
        book: &'a Book,
        options: &PdfOptions,
        font_data: &FontData,
    ) -> Result<Self, WriteError> {
        let (width, height) = book.dominant_size();
        let sheets = match options.layout {
            Layout::Slides => None,
            layout => {
                let aspect = width.max(1) as f32 / height.max(1) as f32;
                let geometry = handout::sheet(
                    layout,
                    options.paper,
                    options.orientation,
                    options.order,
                    aspect,
                );
                let date = book
                    .meta
                    .date
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_string)
                    .unwrap_or_else(|| meta::iso_day(book.timestamp));
                Some(SheetSetup {
                    layout,
                    geometry,
                    frame: options.frame,
                    date,
                })
            }
        };
        let (page_width, page_height) = match &sheets {
            Some(s) => (s.geometry.width, s.geometry.height),
            None => page_size(width, height),
        };
        let font = PdfFont::new(font_data).map_err(|reason| WriteError::Font {
            name: font_data.name.clone(),
            reason,
        })?;
        let pages_root = out.alloc();
        let font_ref = out.alloc();
        let text_font = book
            .slides
            .iter()
            .any(|s| s.text.is_some())
            .then(|| (out.alloc(), TextLayerFont::default()));
        Ok(Document {
            out,
            words: Words::for_meta(&book.meta),
            book,
            page_width,
            page_height,
            sheets,
            pages_root,
            font_ref,
            font,
            text_font,
            pages: Vec::new(),
            outline: Vec::new(),
            labels: Vec::new(),
            talk: 0,
            talk_words: Words::for_meta(&book.meta),
            talk_lang: crate::writer::locale::language_tag(&book.meta),
            tags: Tags::default(),
            lang: crate::writer::locale::language_tag(&book.meta),
            heading_role: match (book.anthology, options.title_page) {
                (false, true) => StructRole::H2,
                (false, false) => StructRole::H1,
                (true, true) => StructRole::H3,
                (true, false) => StructRole::H2,
            },
        })
    }

    /// A slide figure's description: the deck's own for the image, else its number and
    /// the talk ("Slide 7 of Title"). The recognised text is not repeated here: it is
    /// tagged as the page's real text right after the figure.
    fn figure_alt(&self, slide: &SlideInfo) -> String {
        let alt = slide.alt.split_whitespace().collect::<Vec<_>>().join(" ");
        if !alt.is_empty() {
            return alt;
        }
        let title = self.book.talk_meta(slide).title.trim();
        if title.is_empty() {
            self.talk_words.slide(&slide.label)
        } else {
            self.talk_words.slide_of(&slide.label, title)
        }
    }

    /// The talk's language on its elements where it differs from the document's.
    fn element_lang(&self) -> Option<String> {
        (self.talk_lang != self.lang).then(|| self.talk_lang.clone())
    }

    /// Every page in reading order: for an anthology the collection's title and contents
    /// pages first; then each talk, its title page and its slides or sheets (a talk always
    /// starts a new sheet). A single deck is the book of one talk without front matter.
    fn write(mut self, title_page: bool, images: &[PlacedImage]) -> Result<(), WriteError> {
        let book = self.book;
        if images.len() != book.slides.len() {
            return Err(WriteError::Internal(format!(
                "{} slides described, {} placed",
                book.slides.len(),
                images.len()
            )));
        }
        let per_sheet = self
            .sheets
            .as_ref()
            .map(|s| s.layout.slides_per_sheet().max(1));
        let mut talk_nodes = Vec::new();
        if book.anthology {
            self.write_collection_title_page()?;
            self.write_contents(title_page, per_sheet)?;
        }
        for (index, talk) in book.talks.iter().enumerate() {
            self.talk = index;
            self.talk_words = Words::for_meta(&talk.meta);
            self.talk_lang = crate::writer::locale::language_tag(&talk.meta);
            let first_outline = self.outline.len();
            let first_page = self.pages.len();
            if title_page {
                self.write_title_page(talk)?;
            }
            let slides = book.slides.get(talk.slides.clone()).unwrap_or(&[]);
            let placed = images.get(talk.slides.clone()).unwrap_or(&[]);
            match per_sheet {
                None => {
                    for (slide, placed) in slides.iter().zip(placed) {
                        self.write_slide_page(slide, placed)?;
                    }
                }
                Some(per_sheet) => {
                    let total = slides.len().div_ceil(per_sheet);
                    let mut group = Vec::with_capacity(per_sheet);
                    for (number, (chunk, placed)) in slides
                        .chunks(per_sheet)
                        .zip(placed.chunks(per_sheet))
                        .enumerate()
                    {
                        group.clear();
                        group.extend(chunk.iter().cloned().zip(placed.iter().copied()));
                        self.write_sheet(number + 1, total, &group)?;
                    }
                }
            }
            if book.anthology {
                // The talk's entry opens its first page and holds its slides' entries.
                let mut children = self.outline.split_off(first_outline);
                let title_entry = title_page.then(|| children.remove(0));
                let page = match (&title_entry, self.pages.get(first_page)) {
                    (Some(entry), _) => entry.page,
                    (None, Some(page)) => *page,
                    (None, None) => continue,
                };
                talk_nodes.push(OutlineNode {
                    title: format!(
                        "{}. {}",
                        index + 1,
                        talk_title(&talk.meta, &self.talk_words)
                    ),
                    page,
                    children,
                    open: false,
                });
            }
        }
        if book.anthology {
            // Collection → contents and talks → slides.
            let mut front = std::mem::take(&mut self.outline).into_iter();
            if let Some(mut root) = front.next() {
                let mut children: Vec<OutlineNode> = front.collect();
                children.append(&mut talk_nodes);
                root.children = children;
                root.open = true;
                self.outline = vec![root];
            }
        }
        self.write_trailer()
    }

    /// The anthology's own title page: its title, event and date, "12 talks · 540 slides".
    fn write_collection_title_page(&mut self) -> Result<(), WriteError> {
        let book = self.book;
        let card = TitleCard {
            meta: &book.meta,
            count: self
                .words
                .collection_count(book.talks.len(), book.slides.len()),
            heading: StructRole::H1,
        };
        let page = self.write_title_card(&card, None)?;
        let title = talk_title(&book.meta, &self.words);
        self.outline.push(OutlineNode::leaf(title, page));
        self.labels.push(PageLabel {
            prefix: String::new(),
            text: self.words.title_label.to_string(),
            fixed: true,
        });
        Ok(())
    }

    /// The contents: one line per talk with the page it starts on, over as many pages as
    /// the talks need. Page numbers are counted here from what each talk will take.
    fn write_contents(
        &mut self,
        title_page: bool,
        per_sheet: Option<usize>,
    ) -> Result<(), WriteError> {
        let book = self.book;
        let contents_pages =
            contents::page_count(book.talks.len(), self.page_width, self.page_height);
        let mut next_page = self.pages.len() + contents_pages + 1;
        let mut entries = Vec::with_capacity(book.talks.len());
        for (index, talk) in book.talks.iter().enumerate() {
            let words = Words::for_meta(&talk.meta);
            entries.push(contents::Entry {
                number: index + 1,
                title: talk_title(&talk.meta, &words),
                speakers: talk.meta.author_line(),
                page: next_page,
            });
            let slides = talk.slides.len();
            next_page += usize::from(title_page) + per_sheet.map_or(slides, |n| slides.div_ceil(n));
        }
        let per_page = contents::entries_per_page(self.page_width, self.page_height);
        let heading = self.words.contents;
        for (i, chunk) in entries.chunks(per_page).enumerate() {
            let mut tags = PageTags::default();
            let content = contents::contents_page(
                heading,
                chunk,
                self.page_width,
                self.page_height,
                &mut self.font,
                FONT_NAME,
                &mut tags,
            );
            let font_ref = self.font_ref;
            let page = self.out.alloc();
            self.write_page_object(page, &deflate_content(&content), tags, false, |resources| {
                resources.fonts().pair(FONT_NAME, font_ref);
            })?;
            if i == 0 {
                self.outline
                    .push(OutlineNode::leaf(heading.to_string(), page));
            }
            self.labels.push(PageLabel {
                prefix: String::new(),
                text: if contents_pages > 1 {
                    format!("{heading} {}", i + 1)
                } else {
                    heading.to_string()
                },
                fixed: true,
            });
        }
        Ok(())
    }

    /// A talk's title page: the deck's title page for a single deck; inside an anthology,
    /// the talk's, with its title one heading level down and its language on its text.
    fn write_title_page(&mut self, talk: &Talk) -> Result<(), WriteError> {
        let book = self.book;
        let card = TitleCard {
            meta: &talk.meta,
            count: self.talk_words.slide_count(talk.slides.len()),
            heading: if book.anthology {
                StructRole::H2
            } else {
                StructRole::H1
            },
        };
        let page = self.write_title_card(&card, self.element_lang())?;
        let (title, prefix) = if book.anthology {
            (
                format!(
                    "{}. {}",
                    self.talk + 1,
                    talk_title(&talk.meta, &self.talk_words)
                ),
                format!("{}:", self.talk + 1),
            )
        } else if talk.meta.title.trim().is_empty() {
            (self.words.title_page.to_string(), String::new())
        } else {
            (talk.meta.title.clone(), String::new())
        };
        self.outline.push(OutlineNode::leaf(title, page));
        self.labels.push(PageLabel {
            prefix,
            text: self.talk_words.title_label.to_string(),
            fixed: true,
        });
        Ok(())
    }

    /// Draw and write one title page; `lang`: the language its text is in, when it is not
    /// the document's.
    fn write_title_card(
        &mut self,
        card: &TitleCard<'_>,
        lang: Option<String>,
    ) -> Result<Ref, WriteError> {
        let mut tags = PageTags::default();
        let content = title_page::title_page(
            card,
            self.page_width,
            self.page_height,
            &mut self.font,
            FONT_NAME,
            &mut tags,
        );
        if let Some(lang) = lang {
            tags.set_lang(&lang);
        }
        let font_ref = self.font_ref;
        let page = self.out.alloc();
        self.write_page_object(page, &deflate_content(&content), tags, false, |resources| {
            resources.fonts().pair(FONT_NAME, font_ref);
        })?;
        Ok(page)
    }

    /// The label prefix of the talk's pages: `3:` in an anthology (talk 3), none otherwise.
    fn label_prefix(&self) -> String {
        if self.book.anthology {
            format!("{}:", self.talk + 1)
        } else {
            String::new()
        }
    }

    /// The slides layout: one page per slide, the image filling it.
    fn write_slide_page(
        &mut self,
        slide: &SlideInfo,
        placed: &PlacedImage,
    ) -> Result<(), WriteError> {
        let mut content = Content::new();
        let mut tags = PageTags::default();
        tags.begin(
            &mut content,
            StructRole::Figure,
            (0, tags::FIGURE),
            Some(self.figure_alt(slide)),
            self.element_lang(),
        );
        placed.draw(
            &mut content,
            IMAGE_NAME,
            0.0,
            0.0,
            self.page_width,
            self.page_height,
        );
        PageTags::end(&mut content);
        let box_ = placed.fitted(0.0, 0.0, self.page_width, self.page_height);
        let text_font = self.draw_text_layer(&mut content, &mut tags, [(slide, box_)]);
        let content = content.finish().into_vec();
        let page_ref = self.out.alloc();
        let soft_mask = placed.soft_mask;
        self.write_page_object(
            page_ref,
            &deflate_content(&content),
            tags,
            soft_mask,
            |resources| {
                resources.x_objects().pair(IMAGE_NAME, placed.xobject);
                if let Some(font) = text_font {
                    resources.fonts().pair(TEXT_LAYER_FONT, font);
                }
            },
        )?;
        self.outline.push(OutlineNode::leaf(
            outline_title(&self.talk_words, slide),
            page_ref,
        ));
        self.labels.push(PageLabel {
            prefix: self.label_prefix(),
            text: slide.label.clone(),
            fixed: false,
        });
        Ok(())
    }

    /// One handout or notes sheet with its slides placed by reference.
    fn write_sheet(
        &mut self,
        number: usize,
        total: usize,
        slides: &[(SlideInfo, PlacedImage)],
    ) -> Result<(), WriteError> {
        let Some(sheets) = self.sheets.as_ref() else {
            return Ok(());
        };
        let labels_by_slide = sheets.layout.labels_pages_by_slide();
        // Each talk's sheets carry its own title in the header.
        let meta = &self
            .book
            .talks
            .get(self.talk)
            .map_or(&self.book.meta, |t| &t.meta);
        let author_line = meta.author_line();
        let style = sheet::SheetStyle {
            layout: sheets.layout,
            geometry: &sheets.geometry,
            frame: sheets.frame,
            title: &meta.title,
            author: author_line.as_deref(),
            date: &sheets.date,
            total,
        };
        let alts: Vec<String> = slides
            .iter()
            .map(|(info, _)| self.figure_alt(info))
            .collect();
        let mut tags = PageTags::default();
        let mut content = Content::new();
        sheet::draw_sheet(
            &mut content,
            &style,
            number,
            slides,
            &mut self.font,
            FONT_NAME,
            sheet::SheetTags {
                tags: &mut tags,
                alts: &alts,
            },
        );
        let cells: Vec<_> = slides
            .iter()
            .zip(&sheets.geometry.slots)
            .map(|((info, placed), slot)| {
                let r = slot.slide;
                (info, placed.fitted(r.x, r.y, r.w, r.h))
            })
            .collect();
        let text_font = self.draw_text_layer(&mut content, &mut tags, cells);
        let content = content.finish().into_vec();
        let font_ref = self.font_ref;
        let page = self.out.alloc();
        let soft_mask = slides.iter().any(|(_, placed)| placed.soft_mask);
        self.write_page_object(
            page,
            &deflate_content(&content),
            tags,
            soft_mask,
            |resources| {
                let mut fonts = resources.fonts();
                fonts.pair(FONT_NAME, font_ref);
                if let Some(font) = text_font {
                    fonts.pair(TEXT_LAYER_FONT, font);
                }
                fonts.finish();
                let mut images = resources.x_objects();
                for (i, (_, placed)) in slides.iter().enumerate() {
                    images.pair(Name(&sheet::image_name(i)), placed.xobject);
                }
            },
        )?;
        for (slide, _) in slides {
            self.outline.push(OutlineNode::leaf(
                outline_title(&self.talk_words, slide),
                page,
            ));
        }
        let slide_label = match slides {
            [(only, _)] if labels_by_slide => Some(only.label.clone()),
            _ => None,
        };
        self.labels.push(PageLabel {
            prefix: self.label_prefix(),
            text: slide_label.unwrap_or_else(|| number.to_string()),
            fixed: false,
        });
        Ok(())
    }

    /// The invisible text of each slide over its image's box; the layer's font, if any text
    /// was set.
    fn draw_text_layer<'s>(
        &mut self,
        content: &mut Content,
        tags: &mut PageTags,
        cells: impl IntoIterator<Item = (&'s SlideInfo, (f32, f32, f32, f32))>,
    ) -> Option<Ref> {
        let (font_ref, font) = self.text_font.as_mut()?;
        let mut drawn = false;
        for (slot, (slide, box_)) in cells.into_iter().enumerate() {
            if let Some(text) = &slide.text {
                // Lines are marked against the talk's language, which the talk's own
                // elements carry where it is not the document's.
                let mut tagging = LayerTags {
                    tags: &mut *tags,
                    slot,
                    heading: self.heading_role,
                    lang: &self.talk_lang,
                };
                text_layer::draw(content, font, TEXT_LAYER_FONT, text, box_, &mut tagging);
                drawn = true;
            }
        }
        drawn.then_some(*font_ref)
    }

    /// Write the (compressed) content stream and the page object `page_ref` that uses it,
    /// with its structure elements; `transparency` when it draws through a soft mask.
    fn write_page_object(
        &mut self,
        page_ref: Ref,
        content: &[u8],
        tags: PageTags,
        transparency: bool,
        resources: impl FnOnce(&mut pdf_writer::writers::Resources),
    ) -> Result<(), WriteError> {
        let content_ref = self.out.alloc();
        let mut chunk = Chunk::new();
        chunk
            .stream(content_ref, content)
            .filter(Filter::FlateDecode);
        let mut page = chunk.page(page_ref);
        page.parent(self.pages_root);
        page.media_box(Rect::new(0.0, 0.0, self.page_width, self.page_height));
        page.contents(content_ref);
        page.struct_parents(self.tags.add_page(page_ref, tags));
        if transparency {
            // Soft-masked images blend in sRGB, the output intent's space.
            page.group().transparency().color_space().device_rgb();
        }
        resources(&mut page.resources());
        page.finish();
        self.out.write_chunk(&chunk).map_err(io_error)?;
        self.pages.push(page_ref);
        Ok(())
    }

    fn write_outline(&mut self) -> Result<Option<Ref>, WriteError> {
        if self.outline.is_empty() {
            return Ok(None);
        }
        let root = self.out.alloc();
        let mut chunk = Chunk::new();
        let nodes = std::mem::take(&mut self.outline);
        let (first, last) = outline_items(&mut self.out, &mut chunk, root, &nodes);
        let count: i32 = nodes.iter().map(OutlineNode::visible).sum();
        chunk.outline(root).first(first).last(last).count(count);
        self.out.write_chunk(&chunk).map_err(io_error)?;
        Ok(Some(root))
    }

    /// Font, page tree, outline, metadata, catalog and cross-reference table.
    fn write_trailer(mut self) -> Result<(), WriteError> {
        // The font goes after the pages: its subset is known only once every text was encoded.
        let mut next = self.out.next_ref();
        let font_chunk = self
            .font
            .write(self.font_ref, &mut next)
            .map_err(|reason| WriteError::Font {
                name: self.font.name().to_string(),
                reason,
            })?;
        if let Some((font_ref, font)) = &self.text_font {
            let chunk = font.write(*font_ref, &mut next);
            self.out.set_next_ref(next);
            self.out.write_chunk(&chunk).map_err(io_error)?;
        }
        self.out.set_next_ref(next);
        self.out.write_chunk(&font_chunk).map_err(io_error)?;

        let mut chunk = Chunk::new();
        chunk
            .pages(self.pages_root)
            .kids(self.pages.iter().copied())
            .count(self.pages.len() as i32);
        self.out.write_chunk(&chunk).map_err(io_error)?;

        let outline = self.write_outline()?;

        // The structure tree, from what each page recorded.
        let struct_root = self.out.alloc();
        let mut next = self.out.next_ref();
        let out = &mut self.out;
        self.tags
            .write(struct_root, &mut next, |chunk| out.write_chunk(chunk))
            .map_err(io_error)?;
        self.out.set_next_ref(next);

        // PDF/A: device colours are defined by an sRGB output intent.
        let srgb = self.out.alloc();
        let mut chunk = Chunk::new();
        image::write_icc_stream(&mut chunk, srgb, &icc::srgb_profile()?, 3);
        self.out.write_chunk(&chunk).map_err(io_error)?;

        let metadata = self.out.alloc();
        let book = self.book;
        let xmp = meta::xmp_packet(book);
        let mut chunk = Chunk::new();
        chunk.metadata(metadata, &xmp);
        self.out.write_chunk(&chunk).map_err(io_error)?;

        let info = self.out.alloc();
        let date = meta::pdf_date(book.timestamp);
        let mut chunk = Chunk::new();
        let mut doc = chunk
            .indirect(info)
            .start::<pdf_writer::writers::DocumentInfo>();
        doc.title(TextStr(&book.meta.title));
        if let Some(author) = book.meta.author_line() {
            doc.author(TextStr(&author));
        }
        if let Some(event) = book.meta.event.as_deref().filter(|e| !e.is_empty()) {
            doc.subject(TextStr(event));
        }
        doc.creator(TextStr(meta::CREATOR));
        doc.producer(TextStr(meta::PRODUCER));
        doc.creation_date(date);
        doc.modified_date(date);
        doc.finish();
        self.out.write_chunk(&chunk).map_err(io_error)?;

        let catalog_ref = self.out.alloc();
        let mut chunk = Chunk::new();
        let mut catalog = chunk
            .indirect(catalog_ref)
            .start::<pdf_writer::writers::Catalog>();
        catalog.pages(self.pages_root);
        catalog.metadata(metadata);
        catalog.mark_info().marked(true);
        catalog.pair(Name(b"StructTreeRoot"), struct_root);
        catalog
            .output_intents()
            .push()
            .subtype(OutputIntentSubtype::PDFA)
            .output_condition_identifier(TextStr(icc::SRGB_NAME))
            .info(TextStr(icc::SRGB_NAME))
            .dest_output_profile(srgb);
        catalog.viewer_preferences().display_doc_title(true);
        if let Some(outline) = outline {
            catalog.outlines(outline);
            catalog.page_mode(PageMode::UseOutlines);
        }
        {
            // The deck's language, told or detected: screen readers and search need it.
            let lang = crate::writer::locale::language_tag(&book.meta);
            catalog.lang(TextStr(&lang));
        }
        {
            let mut labels = catalog.insert(Name(b"PageLabels")).dict();
            let mut nums = labels.insert(Name(b"Nums")).array();
            // Title and contents pages are labelled by their own text; slide and sheet
            // numbers are grouped into counting ranges, each run under its talk's prefix.
            let mut page = 0;
            while page < self.labels.len() {
                let label = &self.labels[page];
                if label.fixed {
                    nums.item(page as i32);
                    nums.push()
                        .start::<pdf_writer::writers::PageLabel>()
                        .prefix(TextStr(&format!("{}{}", label.prefix, label.text)));
                    page += 1;
                    continue;
                }
                let run = self.labels[page..]
                    .iter()
                    .take_while(|l| !l.fixed && l.prefix == label.prefix)
                    .count();
                let texts = self.labels[page..page + run]
                    .iter()
                    .map(|l| l.text.as_str());
                for range in meta::label_ranges(page, texts) {
                    match range {
                        LabelRange::Numbers { start, first } => {
                            nums.item(start as i32);
                            let mut entry = nums.push().start::<pdf_writer::writers::PageLabel>();
                            entry
                                .style(pdf_writer::types::NumberingStyle::Arabic)
                                .offset(first);
                            if !label.prefix.is_empty() {
                                entry.prefix(TextStr(&label.prefix));
                            }
                        }
                        LabelRange::Text { start, text } => {
                            nums.item(start as i32);
                            nums.push()
                                .start::<pdf_writer::writers::PageLabel>()
                                .prefix(TextStr(&format!("{}{text}", label.prefix)));
                        }
                    }
                }
                page += run;
            }
        }
        catalog.finish();
        self.out.write_chunk(&chunk).map_err(io_error)?;

        let id = meta::file_id(book, self.pages.len());
        let mut file = self.out.finish(catalog_ref, info, id).map_err(io_error)?;
        file.flush().map_err(io_error)?;
        Ok(())
    }
}

/// Write `nodes` (and, depth first, their children) as outline items under `parent`;
/// returns the first and last item of this level. Children are written before their parent
/// item so that its `First`/`Last` are known; every reference comes from `out`.
fn outline_items(
    out: &mut ObjectWriter<BufWriter<Box<dyn Sink>>>,
    chunk: &mut Chunk,
    parent: Ref,
    nodes: &[OutlineNode],
) -> (Ref, Ref) {
    let ids: Vec<Ref> = nodes.iter().map(|_| out.alloc()).collect();
    for (i, (node, id)) in nodes.iter().zip(&ids).enumerate() {
        let children =
            (!node.children.is_empty()).then(|| outline_items(out, chunk, *id, &node.children));
        let mut item = chunk.outline_item(*id);
        item.parent(parent).title(TextStr(&node.title));
        if i > 0 {
            item.prev(ids[i - 1]);
        }
        if let Some(next) = ids.get(i + 1) {
            item.next(*next);
        }
        if let Some((first, last)) = children {
            let below: i32 = node.children.iter().map(OutlineNode::visible).sum();
            // Folded entries count their hidden entries negatively (PDF 1.7, 12.3.3).
            item.first(first)
                .last(last)
                .count(if node.open { below } else { -below });
        }
        item.dest().page(node.page).fit();
    }
    // `nodes` is never empty here: the caller and the recursion check.
    let first = ids.first().copied().unwrap_or(parent);
    let last = ids.last().copied().unwrap_or(parent);
    (first, last)
}

/// A talk's or collection's title in navigation: its display title, else "Slides".
fn talk_title(meta: &DeckMeta, words: &Words) -> String {
    match meta.title.split_whitespace().collect::<Vec<_>>().join(" ") {
        t if t.is_empty() => words.untitled.to_string(),
        t => t,
    }
}

/// A slide's outline entry: its description, else its number and recognised heading, else
/// its number.
fn outline_title(words: &Words, slide: &SlideInfo) -> String {
    slide.nav_title(words)
}

/// Encodes PDF pages; shared by every encoding thread.
pub struct PdfEncoder {
    limits: Limits,
}

impl PageEncoder for PdfEncoder {
    fn encode_page(&self, _slide: &SlideInfo, image: Prepared) -> Result<Page, WriteError> {
        // Pixels arrive upright; only untouched files still carry their orientation.
        let orientation = match &image {
            Prepared::AsIs { info, .. } => info.orientation,
            Prepared::Pixels { .. } => 1,
        };
        Ok(Page::new(PdfPage {
            image: image::encode(image, &self.limits)?,
            orientation,
        }))
    }
}

impl PageWriter for PdfWriter {
    fn encoder(&self) -> Box<dyn PageEncoder> {
        Box::new(PdfEncoder {
            limits: self.limits,
        })
    }

    fn write_page(&mut self, _slide: &SlideInfo, page: Page) -> Result<(), WriteError> {
        let page: PdfPage = page.downcast()?;
        let placed = self.write_image(&page.image, page.orientation)?;
        self.images.push(placed);
        Ok(())
    }

    fn finish(self: Box<Self>, book: &Book, font: Option<&FontData>) -> Result<(), WriteError> {
        let font = font
            .ok_or_else(|| WriteError::Internal("no font was chosen for the PDF's text".into()))?;
        if book.slides.len() != self.images.len() {
            return Err(WriteError::Internal(format!(
                "{} slides described, {} written",
                book.slides.len(),
                self.images.len()
            )));
        }
        let PdfWriter {
            out,
            options,
            images,
            ..
        } = *self;
        Document::new(out, book, &options, font)?.write(options.title_page, &images)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_streams_never_end_in_a_carriage_return() {
        // Contents whose zlib data ends in CR (its Adler-32's last byte is 0x0D).
        let mut found = 0;
        for n in 0..1000usize {
            // Checksums over every residue: each `A` adds 65 to the low sum.
            let content = format!("BT ({}) Tj ET", "A".repeat(n));
            let mut plain =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
            plain.write_all(content.as_bytes()).unwrap();
            if plain.finish().unwrap().last() == Some(&b'\r') {
                found += 1;
                let out = deflate_content(content.as_bytes());
                assert_ne!(out.last(), Some(&b'\r'));
                let mut back = String::new();
                std::io::Read::read_to_string(
                    &mut flate2::read::ZlibDecoder::new(&out[..]),
                    &mut back,
                )
                .unwrap();
                assert_eq!(back.trim_end(), content);
            }
        }
        assert!(found > 0, "no content ending in CR among the samples");
    }

    #[test]
    fn upright_images_are_only_scaled_and_moved() {
        assert_eq!(
            orientation_matrix(1, 10.0, 20.0, 300.0, 200.0),
            [300.0, 0.0, 0.0, 200.0, 10.0, 20.0]
        );
        // Orientation 6 (stored turned a quarter left): the stored top row ends up on the right.
        assert_eq!(
            orientation_matrix(6, 0.0, 0.0, 540.0, 960.0),
            [0.0, -960.0, 540.0, 0.0, 0.0, 960.0]
        );
    }

    #[test]
    fn pages_are_three_quarters_of_the_pixels_within_reader_limits() {
        assert_eq!(page_size(1280, 720), (960.0, 540.0));
        let (w, h) = page_size(40_000, 20_000);
        assert_eq!((w, h), (14_400.0, 7_200.0));
    }

    #[test]
    fn needs_take_only_what_pdf_reads_directly() {
        let info = |format, bit_depth, has_alpha, interlaced| ImageInfo {
            format,
            width: 1,
            height: 1,
            orientation: 6,
            color: crate::normalize::ColorModel::Rgb,
            bit_depth,
            has_alpha,
            interlaced,
            adobe_inverted: false,
        };
        assert!(pdf_takes_as_is(&info(SourceFormat::Jpeg, 8, false, true)));
        assert!(!pdf_takes_as_is(&info(
            SourceFormat::Jpeg,
            12,
            false,
            false
        )));
        assert!(pdf_takes_as_is(&info(SourceFormat::Png, 4, false, false)));
        // 16-bit rows are copied too: FlateDecode's PNG predictor reads 16 bits per component.
        assert!(pdf_takes_as_is(&info(SourceFormat::Png, 16, false, false)));
        assert!(!pdf_takes_as_is(&info(SourceFormat::Png, 8, true, false)));
        assert!(!pdf_takes_as_is(&info(SourceFormat::Png, 8, false, true)));
        assert!(!pdf_takes_as_is(&info(SourceFormat::Gif, 8, false, false)));
    }
}
