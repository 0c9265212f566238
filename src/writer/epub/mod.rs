//! EPUB 3.3 fixed-layout backend on zip + templates.
//!
//! Layout of the container: `mimetype` (first, stored), `META-INF/container.xml`, and under
//! `OEBPS/` the package document, `nav.xhtml`, `toc.ncx`, one stylesheet, the title page and
//! one XHTML page per slide whose body holds a single `<img>`. Images are stored (they are
//! compressed already); text files are deflated. Each slide's image goes into the file as
//! soon as it is encoded, so memory holds a few images, never the book; the small text
//! files, which depend on the whole deck (page size, slide count, identifier), follow in
//! `finish`.

pub mod devices;
mod templates;

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::DynamicImage;
use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::normalize::resize::{fitted_size, EINK_GAMMA};
use crate::normalize::{self, ColorModel, ImageInfo, ImageNeeds, Limits, Prepared, SourceFormat};
use crate::writer::{Book, PageEncoder, SlideInfo, Writer};

pub use devices::{DeviceProfile, DEVICES};
use templates::Templates;

pub const DEFAULT_JPEG_QUALITY: u8 = 85;

#[derive(Debug, Clone)]
pub struct EpubOptions {
    /// Kobo edition: `.kepub.epub`.
    pub kobo: bool,
    /// Fit every slide to this reader's screen.
    pub device: Option<&'static DeviceProfile>,
    /// Keep colour on an e-ink device profile.
    pub color: bool,
    /// Cover image instead of the first slide.
    pub cover: Option<PathBuf>,
    /// Folder whose files override the embedded templates of the same name.
    pub templates: Option<PathBuf>,
    /// Quality of JPEGs this writer encodes (1–100).
    pub jpeg_quality: u8,
}

impl Default for EpubOptions {
    fn default() -> Self {
        EpubOptions {
            kobo: false,
            device: None,
            color: false,
            cover: None,
            templates: None,
            jpeg_quality: DEFAULT_JPEG_QUALITY,
        }
    }
}

impl EpubOptions {
    /// What the normalizer must do for these options.
    pub fn image_needs(&self) -> ImageNeeds {
        let grayscale = self.device.is_some_and(|d| !d.color) && !self.color;
        ImageNeeds {
            takes_as_is: core_media_type,
            orientation_as_transform: false,
            fit: self.device.map(|d| (d.width, d.height)),
            grayscale_gamma: grayscale.then_some(EINK_GAMMA),
        }
    }
}

/// EPUB 3.3 core media types that every reading system shows: JPEG (RGB or grey — CMYK
/// JPEGs show inverted or not at all in many readers), PNG, GIF, WebP.
fn core_media_type(info: &ImageInfo) -> bool {
    match info.format {
        SourceFormat::Jpeg => {
            matches!(info.color, ColorModel::Rgb | ColorModel::Gray) && info.bit_depth == 8
        }
        SourceFormat::Png | SourceFormat::Gif | SourceFormat::WebP => true,
        SourceFormat::Bmp | SourceFormat::Tiff => false,
    }
}

/// One slide's image, encoded and ready to be stored.
pub struct EpubPage {
    bytes: Vec<u8>,
    format: SourceFormat,
    width: u32,
    height: u32,
}

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
    fn new(n: usize, slide: &SlideInfo, format: SourceFormat, width: u32, height: u32) -> Self {
        let alt = single_line(&slide.alt);
        let nav_label = if alt.is_empty() {
            format!("Slide {}", slide.position)
        } else {
            alt.clone()
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
    accessibility_features: Vec<&'static str>,
    accessibility_summary: String,
    title_page: ManifestItem,
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
    zip: ZipWriter<File>,
    templates: Templates,
    pages: Vec<PageEntry>,
    cover: Option<CoverEntry>,
    needs: ImageNeeds,
    device: bool,
    jpeg_quality: u8,
    stored: SimpleFileOptions,
    deflated: SimpleFileOptions,
}

const MIMETYPE: &[u8] = b"application/epub+zip";
const ROOT: &str = "OEBPS";

impl EpubWriter {
    /// `timestamp`: seconds since the epoch recorded for every entry of the container.
    pub fn create(out: File, options: &EpubOptions, timestamp: i64) -> Result<Self, String> {
        let templates = Templates::load(options.templates.as_deref())?;
        let needs = options.image_needs();
        if options.templates.is_some() {
            check_templates(&templates, needs.fit)?;
        }
        let zip_time = zip_datetime(timestamp);
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
            device: options.device.is_some(),
            jpeg_quality: options.jpeg_quality.clamp(1, 100),
            stored,
            deflated,
        };
        // OCF: `mimetype` first, stored, no extra fields, so that `file` and readers know the book.
        writer.add(false, "mimetype", MIMETYPE)?;
        if let Some(path) = &options.cover {
            // A cover of its own gets a page of its own (written in `finish`), first in the
            // spine: readers open on it, and EPUBCheck wants every manifest image used by
            // some content document.
            let cover = writer.encode_cover(path)?;
            let entry = CoverEntry::new(cover.format, cover.width, cover.height);
            writer.add(false, &format!("{ROOT}/{}", entry.href), &cover.bytes)?;
            writer.cover = Some(entry);
        }
        Ok(writer)
    }

    /// The `--cover` file through the same normalizer as the slides.
    fn encode_cover(&self, path: &std::path::Path) -> Result<EpubPage, String> {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("--cover {}: cannot read: {e}", path.display()))?;
        let limits = Limits::default();
        let info = normalize::probe(&bytes, &limits)
            .map_err(|e| format!("--cover {}: {e}", path.display()))?;
        let prepared = normalize::prepare(bytes, info, &self.needs, &limits)
            .map_err(|e| format!("--cover {}: {e}", path.display()))?;
        self.encode(prepared)
    }

    fn add(&mut self, deflate: bool, name: &str, bytes: &[u8]) -> Result<(), String> {
        let options = if deflate { self.deflated } else { self.stored };
        self.zip
            .start_file(name, options)
            .and_then(|()| self.zip.write_all(bytes).map_err(Into::into))
            .map_err(|e| format!("cannot write {name} into the book: {e}"))
    }

    fn encode(&self, image: Prepared) -> Result<EpubPage, String> {
        self.encoder().encode(image)
    }
}

/// PNG for lossless sources without a device (nothing is lost); JPEG for JPEG sources; with a
/// device, a lossless source becomes whichever of PNG and JPEG is smaller (flat slides compress
/// better as PNG, photos as JPEG).
fn encode_pixels(
    image: &DynamicImage,
    info: &ImageInfo,
    device: bool,
    quality: u8,
) -> Result<EpubPage, String> {
    let (width, height) = (image.width(), image.height());
    let lossless_source = info.format != SourceFormat::Jpeg;
    // With a device the PNG only competes with the JPEG on size: fast compression is enough
    // to tell which wins on flat slides and costs a third of the default level.
    let png = if lossless_source {
        Some(encode_png(
            image,
            if device {
                CompressionType::Fast
            } else {
                CompressionType::Default
            },
        )?)
    } else {
        None
    };
    let jpeg = if !lossless_source || device {
        Some(encode_jpeg(image, quality)?)
    } else {
        None
    };
    let (bytes, format) = match (png, jpeg) {
        (Some(p), Some(j)) if j.len() < p.len() => (j, SourceFormat::Jpeg),
        (Some(p), _) => (p, SourceFormat::Png),
        (None, Some(j)) => (j, SourceFormat::Jpeg),
        (None, None) => return Err("internal error: no encoding chosen".into()),
    };
    Ok(EpubPage {
        bytes,
        format,
        width,
        height,
    })
}

fn encode_png(image: &DynamicImage, compression: CompressionType) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let encoder = PngEncoder::new_with_quality(&mut out, compression, FilterType::Adaptive);
    image
        .write_with_encoder(encoder)
        .map_err(|e| format!("cannot encode PNG: {e}"))?;
    Ok(out)
}

fn encode_jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    // JPEG has no alpha: flatten onto the white page. Grey stays one component (a third of
    // the data). jpeg-encoder (SIMD) is several times faster than image's own encoder.
    let (w, h) = (image.width(), image.height());
    let (width, height) = match (u16::try_from(w), u16::try_from(h)) {
        (Ok(w), Ok(h)) if w > 0 && h > 0 => (w, h),
        _ => return Err(format!("{w}x{h} is beyond what JPEG can hold")),
    };
    let mut out = Vec::new();
    // Default Huffman tables: optimising them saves ~5% of the bytes for ~20% more time.
    let encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    let encoded = match image {
        DynamicImage::ImageLuma8(gray) => {
            encoder.encode(gray.as_raw(), width, height, jpeg_encoder::ColorType::Luma)
        }
        DynamicImage::ImageRgb8(rgb) => {
            encoder.encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        }
        other if other.color().has_color() => {
            let rgb = flatten_onto_white(other).into_rgb8();
            encoder.encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        }
        other => {
            let gray = flatten_onto_white(other).into_luma8();
            encoder.encode(gray.as_raw(), width, height, jpeg_encoder::ColorType::Luma)
        }
    };
    encoded.map_err(|e| format!("cannot encode JPEG: {e}"))?;
    Ok(out)
}

fn flatten_onto_white(image: &DynamicImage) -> DynamicImage {
    if !image.color().has_alpha() {
        return image.clone();
    }
    let mut rgba = image.to_rgba8();
    for p in rgba.pixels_mut() {
        let a = p.0[3] as u32;
        for c in &mut p.0[..3] {
            *c = ((*c as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
        }
        p.0[3] = 255;
    }
    DynamicImage::ImageRgba8(rgba)
}

/// Encodes book pages: the options it needs, copied, so every thread can use it.
pub struct EpubEncoder {
    device: bool,
    jpeg_quality: u8,
}

impl EpubEncoder {
    fn encode(&self, image: Prepared) -> Result<EpubPage, String> {
        match image {
            Prepared::AsIs { bytes, info } => {
                if !core_media_type(&info) {
                    return Err(format!(
                        "{} cannot go into an EPUB unchanged",
                        info.format.mime()
                    ));
                }
                let (width, height) = info.display_size();
                Ok(EpubPage {
                    bytes,
                    format: info.format,
                    width,
                    height,
                })
            }
            Prepared::Pixels { image, info } => {
                encode_pixels(&image, &info, self.device, self.jpeg_quality)
            }
        }
    }
}

impl PageEncoder for EpubEncoder {
    type Page = EpubPage;

    fn encode_page(&self, _slide: &SlideInfo, image: Prepared) -> Result<EpubPage, String> {
        self.encode(image)
    }
}

impl Writer for EpubWriter {
    type Page = EpubPage;
    type Encoder = EpubEncoder;

    fn image_needs(&self) -> ImageNeeds {
        self.needs.clone()
    }

    fn encoder(&self) -> EpubEncoder {
        EpubEncoder {
            device: self.device,
            jpeg_quality: self.jpeg_quality,
        }
    }

    fn write_page(&mut self, slide: &SlideInfo, page: EpubPage) -> Result<(), String> {
        let entry = PageEntry::new(
            self.pages.len() + 1,
            slide,
            page.format,
            page.width,
            page.height,
        );
        self.add(false, &format!("{ROOT}/{}", entry.image_href), &page.bytes)?;
        self.pages.push(entry);
        Ok(())
    }

    fn finish(mut self, book: &Book) -> Result<(), String> {
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
        let mut file = self
            .zip
            .finish()
            .map_err(|e| format!("cannot finish the book: {e}"))?;
        file.flush()
            .map_err(|e| format!("cannot finish the book: {e}"))
    }
}

/// Every text file of the book, rendered: (name in the container, content).
fn text_files(
    templates: &Templates,
    book: &Book,
    fit: Option<(u32, u32)>,
    mut pages: Vec<PageEntry>,
    cover: Option<&CoverEntry>,
) -> Result<Vec<(String, String)>, String> {
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
    for (entry, slide) in pages.iter_mut().zip(&book.slides) {
        if entry.alt.is_empty() {
            entry.alt = format!("Slide {} of {}", slide.position, common.title);
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
        (None, None) => return Err("the book has no pages".into()),
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
fn check_templates(templates: &Templates, fit: Option<(u32, u32)>) -> Result<(), String> {
    let slide = SlideInfo {
        position: 1,
        label: "1".into(),
        alt: String::new(),
        notes: String::new(),
        width: 1280,
        height: 720,
    };
    let book = Book {
        meta: crate::model::DeckMeta {
            title: "Sample".into(),
            ..Default::default()
        },
        slides: vec![slide],
        font: None,
        timestamp: 0,
        identifier: "urn:uuid:00000000-0000-5000-8000-000000000000".into(),
    };
    let page = PageEntry::new(1, &book.slides[0], SourceFormat::Png, 1280, 720);
    let cover = CoverEntry::new(SourceFormat::Png, 1280, 720);
    text_files(templates, &book, fit, vec![page], Some(&cover)).map(drop)
}

/// The book-wide template context.
fn describe(book: &Book, (page_w, page_h): (u32, u32)) -> Result<Common, String> {
    let meta = &book.meta;
    let title = match single_line(&meta.title) {
        t if t.is_empty() => "Slides".to_string(),
        t => t,
    };
    let optional = |v: &Option<String>| v.as_deref().map(single_line).filter(|s| !s.is_empty());
    let lang = meta
        .lang
        .as_deref()
        .and_then(language_tag)
        .unwrap_or_else(|| detect_language(&title).to_string());
    let count = book.slides.len();
    let all_alt = book.slides.iter().all(|s| !s.alt.trim().is_empty());
    let mut accessibility_features = vec!["tableOfContents", "readingOrder", "pageNavigation"];
    let alt_sentence = if all_alt {
        accessibility_features.insert(0, "alternativeText");
        "each image carries the short description the deck gives for it"
    } else {
        "each image is identified by its slide number and the talk's title, not described"
    };
    let accessibility_summary = format!(
        "This book presents the slides of a talk as images, one fixed-layout page per slide. \
         The text on the slides is part of the images and is not available as text; {alt_sentence}. \
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
        identifier: clean_xml(&book.identifier),
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
        slide_count_text: if count == 1 {
            "1 slide".into()
        } else {
            format!("{count} slides")
        },
        accessibility_features,
        accessibility_summary,
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

/// `--lang`/front-matter value as a BCP 47 tag (`zh_CN` → `zh-CN`); `None` when unusable.
fn language_tag(value: &str) -> Option<String> {
    let tag = value.trim().replace('_', "-");
    let valid = !tag.is_empty()
        && tag.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    valid.then_some(tag)
}

/// Kana → ja, Hangul → ko, other Han → zh, else en.
pub fn detect_language(text: &str) -> &'static str {
    let any = |ranges: &[(u32, u32)]| {
        text.chars().any(|c| {
            ranges
                .iter()
                .any(|&(lo, hi)| (lo..=hi).contains(&(c as u32)))
        })
    };
    if any(&[(0x3040, 0x30FF), (0x31F0, 0x31FF)]) {
        "ja"
    } else if any(&[(0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F)]) {
        "ko"
    } else if any(&[
        (0x4E00, 0x9FFF),
        (0x3400, 0x4DBF),
        (0xF900, 0xFAFF),
        (0x20000, 0x2FA1F),
    ]) {
        "zh"
    } else {
        "en"
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

fn modified_date(timestamp: i64) -> Result<String, String> {
    let at = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .map_err(|e| format!("timestamp {timestamp} out of range: {e}"))?;
    at.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .map_err(|e| format!("cannot format timestamp: {e}"))
}

/// Zip entry times in DOS form, clamped to the range DOS dates can hold.
fn zip_datetime(timestamp: i64) -> zip::DateTime {
    let at = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let year = at.year().clamp(1980, 2107) as u16;
    zip::DateTime::from_date_and_time(
        year,
        at.month() as u8,
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
    )
    .unwrap_or_default()
}

/// Drop characters XML 1.0 cannot hold (most C0 controls, U+FFFE/U+FFFF).
fn clean_xml(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect()
}

/// XML-safe, whitespace collapsed to single spaces: for titles, names, labels.
fn single_line(text: &str) -> String {
    clean_xml(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_title_script() {
        assert_eq!(detect_language("0到3000万用户微服务之旅"), "zh");
        assert_eq!(
            detect_language("The past, present, and future of Go 2"),
            "en"
        );
        assert_eq!(detect_language("東京のマイクロサービス"), "ja");
        assert_eq!(detect_language("마이크로서비스"), "ko");
    }

    #[test]
    fn language_tags_are_normalised_or_refused() {
        assert_eq!(language_tag("zh_CN").as_deref(), Some("zh-CN"));
        assert_eq!(language_tag(" en ").as_deref(), Some("en"));
        assert_eq!(language_tag("not a tag"), None);
        assert_eq!(language_tag(""), None);
    }

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
        let early = zip_datetime(0);
        assert_eq!(early.year(), 1980);
    }

    #[test]
    fn xml_text_loses_control_characters() {
        assert_eq!(single_line("a\u{1}b \n c\u{FFFF}"), "ab c");
    }

    #[test]
    fn grey_stays_one_component_in_jpeg() {
        let img = DynamicImage::ImageLuma8(image::GrayImage::from_pixel(16, 16, image::Luma([90])));
        let bytes = encode_jpeg(&img, 85).unwrap();
        let back = image::load_from_memory(&bytes).unwrap();
        assert_eq!(back.color(), image::ColorType::L8);
    }

    #[test]
    fn jpeg_quality_is_honoured_and_lossless_sources_stay_png() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 48, |x, y| {
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
        let low = encode_pixels(&img, &jpeg_info, false, 20).unwrap();
        let high = encode_pixels(&img, &jpeg_info, false, 95).unwrap();
        assert_eq!(low.format, SourceFormat::Jpeg);
        assert!(low.bytes.len() < high.bytes.len());
        let bmp_info = ImageInfo {
            format: SourceFormat::Bmp,
            ..jpeg_info
        };
        let page = encode_pixels(&img, &bmp_info, false, 85).unwrap();
        assert_eq!(page.format, SourceFormat::Png);
        assert_eq!(image::load_from_memory(&page.bytes).unwrap(), img);
    }

    #[test]
    fn needs_follow_the_device() {
        let plain = EpubOptions::default().image_needs();
        assert!(plain.fit.is_none() && plain.grayscale_gamma.is_none());
        let eink = EpubOptions {
            device: devices::find("kobo-clara"),
            ..EpubOptions::default()
        }
        .image_needs();
        assert_eq!(eink.fit, Some((1072, 1448)));
        assert!(eink.grayscale_gamma.is_some());
        let color = EpubOptions {
            device: devices::find("kobo-clara"),
            color: true,
            ..EpubOptions::default()
        }
        .image_needs();
        assert!(color.grayscale_gamma.is_none());
        let tablet = EpubOptions {
            device: devices::find("tablet"),
            ..EpubOptions::default()
        }
        .image_needs();
        assert!(tablet.grayscale_gamma.is_none());
    }
}
