//! EPUB 3.3 fixed-layout backend on zip + templates.
//!
//! Layout of the container: `mimetype` (first, stored), `META-INF/container.xml`, and under
//! `OEBPS/` the package document, `nav.xhtml`, `toc.ncx`, one stylesheet, the title page and
//! one XHTML page per slide whose body holds a single `<img>`. Images are stored (they are
//! compressed already); text files are deflated. Each slide's image goes into the file as
//! soon as it is encoded, so memory holds a few images, never the book; the small text
//! files, which depend on the whole deck (page size, slide count, identifier), follow in
//! `finish`.

mod templates;

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::normalize::encode::{file_for_reader, jpeg_readers_show, EncodedFile, FileEncoding};
use crate::normalize::resize::fitted_size;
use crate::normalize::{
    self, ImageInfo, ImageNeeds, Limits, NormalizeError, Prepared, SourceFormat,
};
use crate::writer::devices::DeviceOptions;
use crate::writer::{
    Backend, Book, Page, PageEncoder, PageWriter, Setup, Sink, SlideInfo, WriteError,
};

use crate::fonts::FontData;
use crate::writer::locale::Words;
use templates::Templates;

#[derive(Debug, Clone, Default)]
pub struct EpubOptions {
    /// Kobo edition: `.kepub.epub`.
    pub kobo: bool,
    /// Cover image instead of the first slide.
    pub cover: Option<PathBuf>,
    /// Folder whose files override the embedded templates of the same name.
    pub templates: Option<PathBuf>,
}

/// The EPUB 3 fixed-layout backend.
#[derive(Debug, Clone, Default)]
pub struct EpubBackend {
    pub options: EpubOptions,
    pub screen: DeviceOptions,
    /// Limits for decoding the `--cover` image, as for every slide.
    pub limits: Limits,
}

impl EpubBackend {
    /// What the normalizer must do for these options.
    pub fn image_needs(&self) -> ImageNeeds {
        self.screen.image_needs(core_media_type)
    }
}

impl Backend for EpubBackend {
    fn name(&self) -> &str {
        "epub"
    }

    fn extension(&self) -> &str {
        if self.options.kobo {
            "kepub.epub"
        } else {
            "epub"
        }
    }

    fn edition(&self) -> String {
        let kobo = if self.options.kobo { "/kobo" } else { "" };
        format!("epub{}{kobo}", self.screen.edition())
    }

    fn image_needs(&self) -> ImageNeeds {
        EpubBackend::image_needs(self)
    }

    fn create(
        &self,
        sink: Box<dyn Sink>,
        setup: &Setup,
    ) -> Result<Box<dyn PageWriter>, WriteError> {
        Ok(Box::new(EpubWriter::create(sink, self, setup.timestamp)?))
    }
}

/// EPUB 3.3 core media types that every reading system shows: JPEG (RGB or grey — CMYK
/// JPEGs show inverted or not at all in many readers), PNG, GIF, WebP.
fn core_media_type(info: &ImageInfo) -> bool {
    match info.format {
        SourceFormat::Jpeg => jpeg_readers_show(info),
        SourceFormat::Png | SourceFormat::Gif | SourceFormat::WebP => true,
        SourceFormat::Bmp | SourceFormat::Tiff => false,
    }
}

/// One slide's image, encoded and ready to be stored.
type EpubPage = EncodedFile;

/// A slide page as the templates see it.
#[derive(Debug, Clone, Serialize)]
struct PageEntry {
    id: String,
    href: String,
    image_id: String,
    image_href: String,
    media_type: &'static str,
    width: u32,
    height: u32,
    alt: String,
    label: String,
    nav_label: String,
    /// The recognised text laid over the image, line by line (none in a `--kobo` book).
    text_layer: Vec<TextSpan>,
}

/// One recognised line over the image, in page pixels (f64: an f32 rounded to tenths
/// prints as `985.5999755859375` once widened for the template).
#[derive(Debug, Clone, Serialize)]
struct TextSpan {
    left: f64,
    top: f64,
    width: f64,
    size: f64,
    text: String,
}

/// Recognised lines scaled from the recognised image to the page.
fn text_spans(slide: &SlideInfo, width: u32, height: u32) -> Vec<TextSpan> {
    let Some(text) = &slide.text else {
        return Vec::new();
    };
    let sx = width as f32 / text.width.max(1) as f32;
    let sy = height as f32 / text.height.max(1) as f32;
    let round = |v: f32| (f64::from(v) * 10.0).round() / 10.0;
    text.lines
        .iter()
        .map(|l| TextSpan {
            left: round(l.bbox.left * sx),
            top: round(l.bbox.top * sy),
            width: round(l.bbox.width() * sx),
            // Glyphs fill about four fifths of the detected box.
            size: round((l.bbox.height() * sy * 0.8).max(1.0)),
            text: single_line(&l.text),
        })
        .filter(|s| !s.text.is_empty())
        .collect()
}

#[derive(Debug, Clone, Serialize)]
struct ManifestItem {
    id: String,
    href: String,
    media_type: &'static str,
}

/// A `--cover` image and the page that shows it first.
#[derive(Debug, Clone, Serialize)]
struct CoverEntry {
    id: String,
    href: String,
    media_type: &'static str,
    page_id: String,
    page_href: String,
    width: u32,
    height: u32,
}

impl PageEntry {
    /// The `n`th slide page (1-based) showing an image of `format` and that size. An empty
    /// `alt` is described in `finish`, which knows the book's title.
    fn new(
        n: usize,
        slide: &SlideInfo,
        format: SourceFormat,
        (width, height): (u32, u32),
        text_layer: bool,
    ) -> Self {
        let alt = single_line(&slide.alt);
        // Recognised text describes an image the deck did not describe.
        let alt = if alt.is_empty() {
            slide.recognized_text().map_or(alt, |t| single_line(&t))
        } else {
            alt
        };
        // Slides without a description or heading are named in `finish`, in the deck's
        // language.
        let nav_label = match slide.numbered_heading() {
            Some(heading) if slide.alt.trim().is_empty() => single_line(&heading),
            _ => single_line(&slide.alt),
        };
        let label = match single_line(&slide.label) {
            l if l.is_empty() => slide.position.to_string(),
            l => l,
        };
        PageEntry {
            id: format!("page-{n:04}"),
            href: format!("pages/slide-{n:04}.xhtml"),
            image_id: format!("image-{n:04}"),
            image_href: format!("images/slide-{n:04}.{}", format.extension()),
            media_type: format.mime(),
            width,
            height,
            alt,
            label,
            nav_label,
            text_layer: if text_layer {
                text_spans(slide, width, height)
            } else {
                Vec::new()
            },
        }
    }
}

impl CoverEntry {
    fn new(format: SourceFormat, width: u32, height: u32) -> Self {
        CoverEntry {
            id: "cover-image".into(),
            href: format!("images/cover.{}", format.extension()),
            media_type: format.mime(),
            page_id: "cover".into(),
            page_href: "pages/cover.xhtml".into(),
            width,
            height,
        }
    }
}

#[derive(Serialize)]
struct CoverContext<'a> {
    #[serde(flatten)]
    common: &'a Common,
    cover: &'a CoverEntry,
}

#[derive(Debug, Clone, Copy, Serialize)]
struct Size {
    width: u32,
    height: u32,
}

/// Everything every template may use.
#[derive(Debug, Clone, Serialize)]
struct Common {
    lang: String,
    title: String,
    raw_title: Option<String>,
    author: Option<String>,
    event: Option<String>,
    date: Option<String>,
    /// `date` when it is a W3C date (`dc:date` takes nothing else).
    date_w3c: Option<String>,
    source: Option<String>,
    identifier: String,
    modified: String,
    orientation: &'static str,
    /// The most common page size (Kindle's `original-resolution`, the title page's viewport).
    page_size: Size,
    slide_count: usize,
    slide_count_text: String,
    /// deckconv's own words in the book's language.
    words: WordsContext,
    accessibility_features: Vec<&'static str>,
    accessibility_summary: String,
    /// Some slide's content is also text (its description or recognised text).
    access_mode_textual: bool,
    /// Every slide's content is also text: a reader needs no images.
    access_mode_sufficient_textual: bool,
    title_page: ManifestItem,
}

/// The headings and entries deckconv writes itself, for the templates.
#[derive(Debug, Clone, Serialize)]
struct WordsContext {
    title_page: &'static str,
    cover: &'static str,
    contents: &'static str,
    pages: &'static str,
    landmarks: &'static str,
    slides: &'static str,
}

/// Pixel sizes for the title page, following its viewport.
#[derive(Debug, Clone, Copy, Serialize)]
struct TitleSizes {
    title: u32,
    text: u32,
    small: u32,
    margin: u32,
    gap: u32,
    top: u32,
}

#[derive(Serialize)]
struct TitleContext<'a> {
    #[serde(flatten)]
    common: &'a Common,
    page: Size,
    sizes: TitleSizes,
}

#[derive(Serialize)]
struct PageContext<'a> {
    #[serde(flatten)]
    common: &'a Common,
    page: &'a PageEntry,
}

#[derive(Serialize)]
struct BookContext<'a> {
    #[serde(flatten)]
    common: &'a Common,
    pages: &'a [PageEntry],
    cover: Option<&'a CoverEntry>,
    cover_id: &'a str,
}

pub struct EpubWriter {
    zip: ZipWriter<Box<dyn Sink>>,
    templates: Templates,
    pages: Vec<PageEntry>,
    cover: Option<CoverEntry>,
    needs: ImageNeeds,
    encoding: FileEncoding,
    stored: SimpleFileOptions,
    deflated: SimpleFileOptions,
    /// `--kobo`: slide pages hold one `<img>` only.
    kobo: bool,
}

const MIMETYPE: &[u8] = b"application/epub+zip";
const ROOT: &str = "OEBPS";

impl EpubWriter {
    /// `timestamp`: seconds since the epoch recorded for every entry of the container.
    pub fn create(
        out: Box<dyn Sink>,
        backend: &EpubBackend,
        timestamp: i64,
    ) -> Result<Self, WriteError> {
        let options = &backend.options;
        let templates = Templates::load(options.templates.as_deref())?;
        let needs = backend.image_needs();
        if options.templates.is_some() {
            check_templates(&templates, needs.fit)?;
        }
        let zip_time = crate::writer::cbz::zip_datetime(timestamp);
        let stored = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(zip_time)
            .unix_permissions(0o644);
        let deflated = stored.compression_method(CompressionMethod::Deflated);
        let mut writer = EpubWriter {
            zip: ZipWriter::new(out),
            templates,
            pages: Vec::new(),
            cover: None,
            needs,
            encoding: backend.screen.file_encoding(),
            stored,
            deflated,
            kobo: options.kobo,
        };
        // OCF: `mimetype` first, stored, no extra fields, so that `file` and readers know the book.
        writer.add(false, "mimetype", MIMETYPE)?;
        if let Some(path) = &options.cover {
            // A cover of its own gets a page of its own (written in `finish`), first in the
            // spine: readers open on it, and EPUBCheck wants every manifest image used by
            // some content document.
            let cover = writer.encode_cover(path, &backend.limits)?;
            let entry = CoverEntry::new(cover.format, cover.width, cover.height);
            writer.add(false, &format!("{ROOT}/{}", entry.href), &cover.bytes)?;
            writer.cover = Some(entry);
        }
        Ok(writer)
    }

    /// The `--cover` file through the same probe, limits and normalizer as the slides.
    fn encode_cover(
        &self,
        path: &std::path::Path,
        limits: &Limits,
    ) -> Result<EpubPage, WriteError> {
        let input = |reason: String| WriteError::Input {
            option: "--cover",
            path: path.display().to_string(),
            reason,
        };
        let bytes = std::fs::read(path).map_err(|e| input(format!("cannot read: {e}")))?;
        let info = normalize::probe(&bytes, limits).map_err(|e| input(e.to_string()))?;
        let prepared = normalize::prepare(bytes, info, &self.needs, limits)
            .map_err(|e| input(e.to_string()))?;
        self.encoder()
            .encode(prepared)
            .map_err(|e| input(e.to_string()))
    }

    fn add(&mut self, deflate: bool, name: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let options = if deflate { self.deflated } else { self.stored };
        self.zip
            .start_file(name, options)
            .map_err(WriteError::from)
            .and_then(|()| {
                self.zip
                    .write_all(bytes)
                    .map_err(|e| WriteError::io(format!("{name} into the book"), e))
            })
    }

    fn encoder(&self) -> EpubEncoder {
        EpubEncoder {
            encoding: self.encoding,
        }
    }
}

/// Encodes book pages: the options it needs, copied, so every thread can use it.
pub struct EpubEncoder {
    encoding: FileEncoding,
}

impl EpubEncoder {
    fn encode(&self, image: Prepared) -> Result<EpubPage, NormalizeError> {
        file_for_reader(image, core_media_type, "an EPUB", self.encoding)
    }
}

impl PageEncoder for EpubEncoder {
    fn encode_page(&self, _slide: &SlideInfo, image: Prepared) -> Result<Page, WriteError> {
        Ok(Page::new(self.encode(image)?))
    }
}

impl PageWriter for EpubWriter {
    fn encoder(&self) -> Box<dyn PageEncoder> {
        Box::new(EpubWriter::encoder(self))
    }

    fn write_page(&mut self, slide: &SlideInfo, page: Page) -> Result<(), WriteError> {
        let page: EpubPage = page.downcast()?;
        // Kobo's fast image pages show one `<img>` and nothing else: the text goes in its
        // description only.
        let entry = PageEntry::new(
            self.pages.len() + 1,
            slide,
            page.format,
            (page.width, page.height),
            !self.kobo,
        );
        self.add(false, &format!("{ROOT}/{}", entry.image_href), &page.bytes)?;
        self.pages.push(entry);
        Ok(())
    }

    fn finish(
        mut self: Box<Self>,
        book: &Book,
        _font: Option<&FontData>,
    ) -> Result<(), WriteError> {
        let pages = std::mem::take(&mut self.pages);
        let files = text_files(
            &self.templates,
            book,
            self.needs.fit,
            pages,
            self.cover.as_ref(),
        )?;
        for (name, text) in files {
            self.add(true, &name, text.as_bytes())?;
        }
        let mut file = self.zip.finish()?;
        file.flush().map_err(|e| WriteError::io("the book", e))
    }
}

/// Every text file of the book, rendered: (name in the container, content).
fn text_files(
    templates: &Templates,
    book: &Book,
    fit: Option<(u32, u32)>,
    mut pages: Vec<PageEntry>,
    cover: Option<&CoverEntry>,
) -> Result<Vec<(String, String)>, WriteError> {
    // Pages take the slide's size after fitting; the title page takes the most common one.
    let (dom_w, dom_h) = book.dominant_size();
    let (page_w, page_h) = match fit {
        Some(fit_box) => fitted_size((dom_w, dom_h), fit_box),
        None => (dom_w, dom_h),
    };
    let common = describe(book, (page_w, page_h))?;
    let mut files = Vec::with_capacity(pages.len() + 8);
    files.push((
        "META-INF/container.xml".to_string(),
        templates.render("container.xml", &common)?,
    ));
    files.push((
        format!("{ROOT}/css/book.css"),
        templates.render("book.css", &common)?,
    ));
    let page = Size {
        width: page_w,
        height: page_h,
    };
    let title_page = TitleContext {
        common: &common,
        page,
        sizes: title_sizes(page),
    };
    files.push((
        format!("{ROOT}/{}", common.title_page.href),
        templates.render("title.xhtml", title_page)?,
    ));
    if let Some(cover) = cover {
        let context = CoverContext {
            common: &common,
            cover,
        };
        files.push((
            format!("{ROOT}/{}", cover.page_href),
            templates.render("cover.xhtml", context)?,
        ));
    }
    let words = Words::for_meta(&book.meta);
    for entry in pages.iter_mut() {
        if entry.nav_label.is_empty() {
            entry.nav_label = words.slide(&entry.label);
        }
        if entry.alt.is_empty() {
            entry.alt = words.slide_of(&entry.label, &common.title);
        }
        let context = PageContext {
            common: &common,
            page: entry,
        };
        files.push((
            format!("{ROOT}/{}", entry.href),
            templates.render("slide.xhtml", context)?,
        ));
    }
    let cover_id = match (cover, pages.first()) {
        (Some(c), _) => c.id.clone(),
        (None, Some(first)) => first.image_id.clone(),
        (None, None) => return Err(WriteError::Internal("the book has no pages".into())),
    };
    let context = BookContext {
        common: &common,
        pages: &pages,
        cover,
        cover_id: &cover_id,
    };
    for (name, template) in [
        ("nav.xhtml", "nav.xhtml"),
        ("toc.ncx", "toc.ncx"),
        ("package.opf", "package.opf"),
    ] {
        files.push((
            format!("{ROOT}/{name}"),
            templates.render(template, &context)?,
        ));
    }
    Ok(files)
}

/// Render every template once for a sample book, so that a broken `--templates` override
/// fails before any slide is downloaded, not after the last.
fn check_templates(templates: &Templates, fit: Option<(u32, u32)>) -> Result<(), WriteError> {
    let slide = SlideInfo {
        position: 1,
        label: "1".into(),
        alt: String::new(),
        notes: String::new(),
        width: 1280,
        height: 720,
        text: None,
    };
    let book = Book {
        meta: crate::model::DeckMeta {
            title: "Sample".into(),
            ..Default::default()
        },
        slides: vec![slide],
        timestamp: 0,
        identifier: "urn:uuid:00000000-0000-5000-8000-000000000000".into(),
    };
    let page = PageEntry::new(1, &book.slides[0], SourceFormat::Png, (1280, 720), true);
    let cover = CoverEntry::new(SourceFormat::Png, 1280, 720);
    text_files(templates, &book, fit, vec![page], Some(&cover)).map(drop)
}

/// The book-wide template context.
fn describe(book: &Book, (page_w, page_h): (u32, u32)) -> Result<Common, WriteError> {
    let meta = &book.meta;
    let words = Words::for_meta(meta);
    let title = match single_line(&meta.title) {
        t if t.is_empty() => words.untitled.to_string(),
        t => t,
    };
    let optional = |v: &Option<String>| v.as_deref().map(single_line).filter(|s| !s.is_empty());
    let lang = crate::writer::locale::language_tag(meta);
    let count = book.slides.len();
    let all_alt = book.slides.iter().all(|s| !s.alt.trim().is_empty());
    let described = |s: &SlideInfo| !s.alt.trim().is_empty() || s.recognized_text().is_some();
    let recognized = book.slides.iter().any(|s| s.text.is_some());
    // Text alone suffices only when every slide has some: the deck's or recognised.
    let textual = book.slides.iter().all(described);
    let mut accessibility_features = vec!["tableOfContents", "readingOrder", "pageNavigation"];
    let alt_sentence = if all_alt {
        accessibility_features.insert(0, "alternativeText");
        "each image carries the short description the deck gives for it"
    } else if recognized && textual {
        accessibility_features.insert(0, "alternativeText");
        "each image is described by the text recognised on it automatically (OCR), which may \
         contain errors"
    } else if recognized {
        "images are described by the text recognised on them automatically (OCR), which may \
         contain errors; slides without recognisable text are identified by their number"
    } else {
        "each image is identified by its slide number and the talk's title, not described"
    };
    let text_sentence = if recognized {
        "The text on the slides was recognised automatically and is searchable"
    } else {
        "The text on the slides is part of the images and is not available as text"
    };
    let accessibility_summary = format!(
        "This book presents the slides of a talk as images, one fixed-layout page per slide. \
         {text_sentence}; {alt_sentence}. \
         The title page, table of contents and page list are text."
    );
    Ok(Common {
        lang,
        raw_title: optional(&meta.raw_title),
        author: optional(&meta.author_line()),
        event: optional(&meta.event),
        date: optional(&meta.date),
        date_w3c: optional(&meta.date).filter(|d| is_w3c_date(d)),
        source: optional(&meta.source),
        identifier: crate::xml::clean(&book.identifier),
        modified: modified_date(book.timestamp)?,
        orientation: match page_w.cmp(&page_h) {
            std::cmp::Ordering::Greater => "landscape",
            std::cmp::Ordering::Less => "portrait",
            std::cmp::Ordering::Equal => "auto",
        },
        page_size: Size {
            width: page_w,
            height: page_h,
        },
        slide_count: count,
        slide_count_text: words.slide_count(count),
        words: WordsContext {
            title_page: words.title_page,
            cover: words.cover,
            contents: words.contents,
            pages: words.pages,
            landmarks: words.landmarks,
            slides: words.slides,
        },
        accessibility_features,
        accessibility_summary,
        access_mode_textual: recognized || all_alt,
        access_mode_sufficient_textual: textual,
        title_page: ManifestItem {
            id: "titlepage".into(),
            href: "pages/title.xhtml".into(),
            media_type: "application/xhtml+xml",
        },
        title,
    })
}

fn title_sizes(page: Size) -> TitleSizes {
    // Designed on a 960x540 page, scaled to the viewport's limiting side.
    let unit = (page.width as f64 / 960.0).min(page.height as f64 / 540.0);
    let px = |v: f64| ((v * unit).round() as u32).max(1);
    TitleSizes {
        title: px(44.0),
        text: px(26.0),
        small: px(17.0),
        margin: px(56.0),
        gap: px(28.0),
        top: (page.height as f64 * 0.22).round() as u32,
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, the forms of `dc:date` every validator accepts.
fn is_w3c_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    }
}

fn modified_date(timestamp: i64) -> Result<String, WriteError> {
    let at = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .map_err(|e| WriteError::Internal(format!("timestamp {timestamp} out of range: {e}")))?;
    at.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .map_err(|e| WriteError::Internal(format!("cannot format timestamp: {e}")))
}

/// XML-safe, whitespace collapsed to single spaces: for titles, names, labels.
fn single_line(text: &str) -> String {
    crate::xml::clean(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::encode::encode_file;
    use crate::normalize::ColorModel;

    #[test]
    fn only_w3c_dates_become_dc_date() {
        assert!(is_w3c_date("2018-10-18"));
        assert!(is_w3c_date("2018"));
        assert!(!is_w3c_date("18 Oct 2018"));
        assert!(!is_w3c_date("2018-1-5"));
    }

    #[test]
    fn modified_date_is_utc_seconds() {
        assert_eq!(modified_date(0).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(
            modified_date(1_700_000_000).unwrap(),
            "2023-11-14T22:13:20Z"
        );
    }

    #[test]
    fn zip_times_clamp_to_dos_range() {
        let early = crate::writer::cbz::zip_datetime(0);
        assert_eq!(early.year(), 1980);
    }

    #[test]
    fn xml_text_loses_control_characters() {
        assert_eq!(single_line("a\u{1}b \n c\u{FFFF}"), "ab c");
    }

    #[test]
    fn jpeg_quality_is_honoured_and_lossless_sources_stay_png() {
        let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 48, |x, y| {
            image::Rgb([(x * 4) as u8, (y * 5) as u8, ((x * y) % 256) as u8])
        }));
        let jpeg_info = ImageInfo {
            format: SourceFormat::Jpeg,
            width: 64,
            height: 48,
            orientation: 6,
            color: ColorModel::Rgb,
            bit_depth: 8,
            has_alpha: false,
            interlaced: false,
            adobe_inverted: false,
        };
        let low = encode_file(
            &img,
            &jpeg_info,
            FileEncoding {
                device: false,
                jpeg_quality: 20,
            },
        )
        .unwrap();
        let high = encode_file(
            &img,
            &jpeg_info,
            FileEncoding {
                device: false,
                jpeg_quality: 95,
            },
        )
        .unwrap();
        assert_eq!(low.format, SourceFormat::Jpeg);
        assert!(low.bytes.len() < high.bytes.len());
        let bmp_info = ImageInfo {
            format: SourceFormat::Bmp,
            ..jpeg_info
        };
        let page = encode_file(
            &img,
            &bmp_info,
            FileEncoding {
                device: false,
                jpeg_quality: 85,
            },
        )
        .unwrap();
        assert_eq!(page.format, SourceFormat::Png);
        assert_eq!(image::load_from_memory(&page.bytes).unwrap(), img);
    }

    #[test]
    fn needs_follow_the_device() {
        let plain = EpubBackend::default().image_needs();
        assert!(plain.fit.is_none() && plain.grayscale_gamma.is_none());
        let eink = EpubBackend {
            screen: DeviceOptions {
                device: crate::writer::devices::find("kobo-clara"),
                ..DeviceOptions::default()
            },
            ..EpubBackend::default()
        }
        .image_needs();
        assert_eq!(eink.fit, Some((1072, 1448)));
        assert!(eink.grayscale_gamma.is_some());
        let color = EpubBackend {
            screen: DeviceOptions {
                device: crate::writer::devices::find("kobo-clara"),
                color: true,
                ..DeviceOptions::default()
            },
            ..EpubBackend::default()
        }
        .image_needs();
        assert!(color.grayscale_gamma.is_none());
        let tablet = EpubBackend {
            screen: DeviceOptions {
                device: crate::writer::devices::find("tablet"),
                ..DeviceOptions::default()
            },
            ..EpubBackend::default()
        }
        .image_needs();
        assert!(tablet.grayscale_gamma.is_none());
    }
}
