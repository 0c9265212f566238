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
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Serde};
use minijinja::Value;
use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::normalize::encode::{file_for_reader, jpeg_readers_show, EncodedFile, FileEncoding};
use crate::normalize::{
    self, ImageInfo, ImageNeeds, Limits, NormalizeError, Prepared, SourceFormat,
};
use crate::writer::devices::{DeviceOptions, StackGeometry};
use crate::writer::{
    Backend, Book, Page, PageEncoder, PageWriter, Setup, Sink, SlideInfo, WriteError,
};

use crate::fonts::FontData;
use crate::writer::locale::{Described, Words};
use templates::Templates;

#[derive(Debug, Clone, Default)]
pub struct EpubOptions {
    /// Kobo edition (kepub): `.kepub.epub`, with the markup Kobo's kepub renderer keys its
    /// highlights, bookmarks and reading position on (README, "Kobo books").
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
        self.screen.image_needs(self.takes_as_is())
    }

    /// Which files go into the book unchanged.
    fn takes_as_is(&self) -> fn(&ImageInfo) -> bool {
        if self.options.kobo {
            kobo_media_type
        } else {
            core_media_type
        }
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

/// What Kobo's renderer shows as it is (its EPUB guide, "Image Formatting" and "Cover
/// Images"): a core media type without transparency (Kobo fills a transparent background
/// with a colour or pattern of its own) and not a GIF (no GIF cover shows in the library).
/// Others are decoded, flattened onto white and encoded again (a GIF as PNG: lossless).
fn kobo_media_type(info: &ImageInfo) -> bool {
    core_media_type(info)
        && !info.has_alpha
        && info.format != SourceFormat::Gif
        && u64::from(info.width) * u64::from(info.height) <= KOBO_MAX_PIXELS
}

/// Kobo's guide recommends at most this many pixels a fixed-layout viewport (about 1950 x
/// 1950); a page's viewport is its image's size.
const KOBO_MAX_PIXELS: u64 = 3_800_000;

/// Pixels scaled down (never up) to at most [`KOBO_MAX_PIXELS`], the proportions kept.
fn within_kobo_viewport(image: Prepared) -> Prepared {
    match image {
        Prepared::Pixels { image, info }
            if u64::from(image.width()) * u64::from(image.height()) > KOBO_MAX_PIXELS =>
        {
            let (w, h) = (f64::from(image.width()), f64::from(image.height()));
            let scale = (KOBO_MAX_PIXELS as f64 / (w * h)).sqrt();
            let fit = (
                ((w * scale).floor() as u32).max(1),
                ((h * scale).floor() as u32).max(1),
            );
            let needs = ImageNeeds {
                takes_as_is: |_| false,
                orientation_as_transform: false,
                fit: Some(fit),
                grayscale_gamma: None,
            };
            let image = crate::normalize::resize::apply(image, &needs);
            Prepared::Pixels { image, info }
        }
        other => other,
    }
}

/// Pixels without an alpha channel, blended onto the white page.
fn opaque(image: Prepared) -> Prepared {
    match image {
        Prepared::Pixels { image, info } if image.color().has_alpha() => {
            let image = if image.color().has_color() {
                image::DynamicImage::ImageRgb8(crate::normalize::encode::flatten_rgb(image))
            } else {
                image::DynamicImage::ImageLuma8(crate::normalize::encode::flatten_gray(image))
            };
            Prepared::Pixels { image, info }
        }
        other => other,
    }
}

/// One slide's image, encoded and ready to be stored, and whether it was turned a quarter
/// clockwise for a portrait screen (`--fit rotate`).
struct EpubPage {
    file: EncodedFile,
    turned: bool,
}

/// A slide as the templates see it: its image, names and, once placed on a page, where.
#[derive(Debug, Clone, Serialize)]
struct PageEntry {
    /// The id of the page that shows the slide alone (`page-0003`); on a stacked page, the
    /// id of the slide's own box (`slide-0003`).
    id: String,
    /// The page that shows the slide (`pages/slide-0003.xhtml`).
    href: String,
    /// What navigation links to: `href`, with `#slide-0003` on a stacked page.
    nav_href: String,
    image_id: String,
    image_href: String,
    media_type: &'static str,
    /// The image's size in pixels (turned, if it was).
    width: u32,
    height: u32,
    /// Where the slide shows on its page, in CSS pixels.
    x: u32,
    y: u32,
    display_width: u32,
    display_height: u32,
    /// The image is turned a quarter clockwise: the reader holds the device sideways.
    turned: bool,
    alt: String,
    label: String,
    nav_label: String,
    /// The slide's label above it on a stacked page.
    caption: Option<Caption>,
    /// `style` of the text layer's box: the slide's upright size, turned with the image.
    layer_style: String,
    /// The recognised text laid over the image, in runs of words.
    text_layer: Vec<TextRun>,
    /// `--kobo`: the ids of the kepub spans around the caption (stacked pages) and the
    /// image; the runs of the text layer carry their own.
    kobo: Option<KoboSlide>,
    #[serde(skip)]
    text: Option<std::sync::Arc<crate::ocr::PageText>>,
    /// The talk the slide belongs to (0 for a single deck).
    talk: usize,
    /// Position in the NCX's reading order (`playOrder`) of an anthology, set in `finish`.
    play: usize,
}

/// A slide's kepub spans (`kobo.P.S`, P the slide's place on its page, S the segment):
/// the caption's (stacked pages) and the image's; the text layer's runs follow them.
#[derive(Debug, Clone, Serialize)]
struct KoboSlide {
    caption: Option<String>,
    image: String,
}

/// A slide's label in the band above it on a stacked page.
#[derive(Debug, Clone, Serialize)]
struct Caption {
    top: u32,
    height: u32,
    size: f64,
    text: String,
}

/// One XHTML page: one slide, or two stacked.
#[derive(Debug, Clone, Serialize)]
struct Sheet {
    id: String,
    href: String,
    width: u32,
    height: u32,
    title: String,
    stacked: bool,
    slides: Vec<PageEntry>,
    /// The talk whose slides the page shows (a page never mixes talks).
    talk: usize,
}

/// Words the recognised text lays over the image without a space between them (a run of Han
/// characters, `Apollo：`), in CSS pixels of the upright slide as shown. Each run is its own
/// positioned `<span>` whose letters are spaced to fill the recognised box, so a search hit
/// lights up where the words are seen, whatever the reading system's own style does to text
/// sizes. f64: an f32 rounded to tenths prints as `985.5999755859375` once widened.
#[derive(Debug, Clone, Serialize)]
struct TextRun {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    size: f64,
    spacing: f64,
    /// A space (between words of a line) or a line break comes before this run: the text
    /// reads as the recognised lines do, for a search across words.
    space: bool,
    text: String,
    /// `--kobo`: the run is a kepub span with this id (`kobo.P.S`).
    kobo_id: Option<String>,
}

fn tenths(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The advance of `c` in the layer's font, in ems: the layer is set in the reader's
/// monospace face, where Latin letters are 0.6 em wide (DejaVu, Liberation, Noto, Courier
/// Mono) and CJK characters, from its fallback, 1 em.
fn advance(c: char) -> f64 {
    let half_width_kana = matches!(c as u32, 0xFF61..=0xFF9F);
    if crate::script::is_cjk(c) && !half_width_kana {
        1.0
    } else {
        0.6
    }
}

/// Words with no space between them, as one `<span>` of the layer.
struct Run {
    text: String,
    bbox: crate::ocr::Rect,
    /// Each word's width in ems of the layer's font, letters, and recognised width (pixels
    /// of the recognised image).
    words: Vec<(f64, f64, f64)>,
}

impl Run {
    fn new(text: &str, bbox: crate::ocr::Rect) -> Self {
        let mut run = Run {
            text: String::new(),
            bbox,
            words: Vec::new(),
        };
        run.push(text, bbox);
        run
    }

    fn push(&mut self, text: &str, bbox: crate::ocr::Rect) {
        let ems = text.chars().map(advance).sum();
        let letters = text.chars().count() as f64;
        self.text.push_str(text);
        self.bbox = self.bbox.union(&bbox);
        self.words.push((ems, letters, f64::from(bbox.width())));
    }

    /// Font size and letter spacing (in recognised pixels) that set each word at its
    /// recognised width: a word of `x` ems and `n` letters is `x·size + n·spacing` wide.
    /// A run mixing Latin and Han gives two kinds of words and so both unknowns (least
    /// squares); a run of one kind, or a fit out of reason, keeps glyphs at four fifths of
    /// the box's height and spaces the letters to fill the run's width.
    fn metrics(&self) -> (f64, f64) {
        let height = f64::from(self.bbox.height()).max(1.0);
        let (mut xx, mut xn, mut nn, mut xw, mut nw) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &(x, n, w) in &self.words {
            xx += x * x;
            xn += x * n;
            nn += n * n;
            xw += x * w;
            nw += n * w;
        }
        let det = xx * nn - xn * xn;
        if det.abs() > 1e-6 * xx * nn {
            let size = (xw * nn - nw * xn) / det;
            let spacing = (xx * nw - xn * xw) / det;
            if (0.5 * height..=1.3 * height).contains(&size) {
                return (size, spacing);
            }
        }
        let size = height * 0.8;
        let ems: f64 = self.words.iter().map(|w| w.0).sum();
        let letters: f64 = self.words.iter().map(|w| w.1).sum();
        (
            size,
            (f64::from(self.bbox.width()) - ems * size) / letters.max(1.0),
        )
    }
}

/// A line's words grouped into runs (words with no space between them); the whole line as
/// one run when its words do not spell it.
fn line_runs(line: &crate::ocr::Line) -> Vec<Run> {
    let whole = || vec![Run::new(line.text.trim(), line.bbox)];
    if line.words.is_empty() {
        return whole();
    }
    let mut runs: Vec<Run> = Vec::new();
    let mut rest = line.text.as_str();
    for word in &line.words {
        let trimmed = rest.trim_start();
        let spaced = trimmed.len() != rest.len();
        let Some(after) = trimmed.strip_prefix(word.text.as_str()) else {
            return whole();
        };
        rest = after;
        match runs.last_mut() {
            Some(run) if !spaced => run.push(&word.text, word.bbox),
            _ => runs.push(Run::new(&word.text, word.bbox)),
        }
    }
    if !rest.trim().is_empty() {
        return whole();
    }
    runs
}

/// The recognised text as runs over a slide shown `width` x `height` CSS pixels, upright.
fn text_runs(text: &crate::ocr::PageText, width: f64, height: f64) -> Vec<TextRun> {
    let sx = width / f64::from(text.width.max(1));
    let sy = height / f64::from(text.height.max(1));
    let mut runs = Vec::new();
    for line in &text.lines {
        for run in line_runs(line) {
            let words = single_line(&run.text);
            if words.is_empty() {
                continue;
            }
            let bbox = run.bbox;
            let (size, spacing) = run.metrics();
            runs.push(TextRun {
                left: tenths(f64::from(bbox.left) * sx),
                top: tenths(f64::from(bbox.top) * sy),
                width: tenths(f64::from(bbox.width()) * sx),
                height: tenths((f64::from(bbox.height()) * sy).max(1.0)),
                size: tenths((size * sy).max(1.0)),
                spacing: tenths(spacing * sx),
                space: !runs.is_empty(),
                text: words,
                kobo_id: None,
            });
        }
    }
    runs
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
    /// The `n`th slide (1-based) showing an image of `format` and that size. An empty
    /// `alt` is described in `finish`, which knows the book's title; where the slide shows
    /// is set there too, when the pages are laid out.
    fn new(
        n: usize,
        slide: &SlideInfo,
        format: SourceFormat,
        (width, height): (u32, u32),
        turned: bool,
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
        let href = format!("pages/slide-{n:04}.xhtml");
        PageEntry {
            id: format!("page-{n:04}"),
            nav_href: href.clone(),
            href,
            image_id: format!("image-{n:04}"),
            image_href: format!("images/slide-{n:04}.{}", format.extension()),
            media_type: format.mime(),
            width,
            height,
            x: 0,
            y: 0,
            display_width: width,
            display_height: height,
            turned,
            alt,
            label,
            nav_label,
            caption: None,
            layer_style: String::new(),
            text_layer: Vec::new(),
            kobo: None,
            text: slide.text.clone(),
            talk: slide.talk,
            play: 0,
        }
    }

    /// Show the slide at (`x`, `y`), `width` x `height` CSS pixels, and lay its text there.
    fn place(&mut self, x: u32, y: u32, (width, height): (u32, u32)) {
        self.x = x;
        self.y = y;
        self.display_width = width;
        self.display_height = height;
        // The layer is laid out on the upright slide, then turned with the image: (x, y)
        // upright goes to (height - y, x) on the turned page.
        let (upright_w, upright_h) = if self.turned {
            (height, width)
        } else {
            (width, height)
        };
        self.layer_style = if self.turned {
            format!(
                "width:{upright_w}px;height:{upright_h}px;transform-origin:0 0;\
                 transform:translate({width}px,0) rotate(90deg)"
            )
        } else {
            format!("width:{upright_w}px;height:{upright_h}px")
        };
        self.text_layer = self.text.as_deref().map_or_else(Vec::new, |text| {
            text_runs(text, f64::from(upright_w), f64::from(upright_h))
        });
    }
}

/// The slides laid out on pages: one a page, or (`stack`) landscape slides two a page.
fn lay_out(pages: Vec<PageEntry>, stack: Option<StackGeometry>, words: &Words) -> Vec<Sheet> {
    let Some(stack) = stack else {
        return pages
            .into_iter()
            .map(|mut p| {
                p.place(0, 0, (p.width, p.height));
                Sheet {
                    id: p.id.clone(),
                    href: p.href.clone(),
                    width: p.width,
                    height: p.height,
                    title: p.nav_label.clone(),
                    stacked: false,
                    talk: p.talk,
                    slides: vec![p],
                }
            })
            .collect();
    };
    let (page_w, page_h) = stack.page;
    let mut groups: Vec<Vec<PageEntry>> = Vec::new();
    for p in pages {
        let landscape = p.width > p.height;
        match groups.last_mut() {
            // Two landscape slides of the same talk share a page; a talk starts a new one.
            Some(group)
                if landscape
                    && group.len() == 1
                    && group[0].width > group[0].height
                    && group[0].talk == p.talk =>
            {
                group.push(p)
            }
            _ => groups.push(vec![p]),
        }
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(i, group)| {
            let n = i + 1;
            let href = format!("pages/sheet-{n:04}.xhtml");
            // A portrait slide has the page to itself; a landscape one takes half.
            let slot_h = if group[0].width > group[0].height {
                stack.slot.1
            } else {
                page_h.saturating_sub(stack.caption)
            };
            let title = group
                .iter()
                .map(|p| p.nav_label.as_str())
                .collect::<Vec<_>>()
                .join(" / ");
            let talk = group[0].talk;
            let slides = group
                .into_iter()
                .enumerate()
                .map(|(k, mut p)| {
                    // Shown as large as the slot allows, scaled up if the image is smaller.
                    let scale = (f64::from(page_w) / f64::from(p.width.max(1)))
                        .min(f64::from(slot_h) / f64::from(p.height.max(1)));
                    let w = ((f64::from(p.width) * scale).floor() as u32).max(1);
                    let h = ((f64::from(p.height) * scale).floor() as u32).max(1);
                    let top = (page_h / 2) * k as u32;
                    p.caption = Some(Caption {
                        top,
                        height: stack.caption,
                        size: tenths(f64::from(stack.caption) * 0.6),
                        text: words.slide(&p.label),
                    });
                    p.place((page_w - w.min(page_w)) / 2, top + stack.caption, (w, h));
                    p.id = p.image_id.replace("image-", "slide-");
                    p.nav_href = format!("{href}#{}", p.id);
                    p.href = href.clone();
                    p
                })
                .collect();
            Sheet {
                id: format!("sheet-{n:04}"),
                href,
                width: page_w,
                height: page_h,
                title,
                stacked: true,
                slides,
                talk,
            }
        })
        .collect()
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
    /// `--kobo`: kepub markup (Kobo's page wrappers, spans, style rules).
    kobo: bool,
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
    accessibility_hazards: Vec<&'static str>,
    accessibility_summary: String,
    /// Every slide's content is also text: a reader needs no images.
    access_mode_sufficient_textual: bool,
    /// `dcterms:conformsTo`: an EPUB Accessibility 1.1 conformance identifier where the book
    /// meets it, else `none` (README, "Accessibility conformance").
    conforms_to: Option<&'static str>,
    /// `a11y:certifiedBy` of the claim: who evaluated it.
    certified_by: Option<&'static str>,
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
    /// `--kobo`: the kepub span ids of the title page's lines.
    kobo_ids: Option<TitleKobo>,
}

/// The title page's kepub spans: one paragraph each for the lines it shows, numbered in
/// reading order as kepubify numbers a page's block elements (`kobo.1.1`, `kobo.2.1`, …).
#[derive(Debug, Clone, Serialize)]
struct TitleKobo {
    title: String,
    author: Option<String>,
    event: Option<String>,
    count: String,
    source: Option<String>,
}

impl TitleKobo {
    fn new(common: &Common) -> Self {
        let mut para = 0;
        let mut next = |shown: bool| {
            shown.then(|| {
                para += 1;
                format!("kobo.{para}.1")
            })
        };
        let title = next(true).unwrap_or_default();
        let author = next(common.author.is_some());
        let event = next(common.event.is_some() || common.date.is_some());
        let count = next(true).unwrap_or_default();
        let source = next(common.source.is_some());
        TitleKobo {
            title,
            author,
            event,
            count,
            source,
        }
    }
}

/// Number the kepub spans of every page: per slide on the page (P = its place, 1-based) the
/// caption, the image, then each run of its text layer (S = 1, 2, …), as kepubify numbers an
/// image and the text after it. Kobo's kepub renderer anchors highlights, bookmarks and the
/// reading position on these ids; they only need to be unique within a page, in order.
fn mark_for_kobo(sheets: &mut [Sheet]) {
    for sheet in sheets {
        for (k, slide) in sheet.slides.iter_mut().enumerate() {
            let para = k + 1;
            let mut seg = 0;
            let mut next = || {
                seg += 1;
                format!("kobo.{para}.{seg}")
            };
            let caption = slide.caption.as_ref().map(|_| next());
            let image = next();
            for run in &mut slide.text_layer {
                run.kobo_id = Some(next());
            }
            slide.kobo = Some(KoboSlide { caption, image });
        }
    }
}

#[derive(Serialize)]
struct PageContext<'a> {
    #[serde(flatten)]
    common: &'a Common,
    sheet: &'a Sheet,
    /// The page's first slide (templates written for one slide a page).
    page: &'a PageEntry,
}

#[derive(Serialize)]
struct BookContext<'a> {
    #[serde(flatten)]
    common: &'a Common,
    /// Every page, sheet and talk: views of the sheets read an item at a time.
    pages: Value,
    sheets: Value,
    cover: Option<&'a CoverEntry>,
    cover_id: &'a str,
    /// An anthology: a contents page and a title page per talk, navigation nested by talk.
    anthology: bool,
    /// The anthology's talks, in order (empty for a single deck).
    talks: Value,
    /// The anthology's contents pages.
    contents: &'a [ManifestItem],
}

/// The slides of `sheets[range]`, in order: a template list read an item at a time, each
/// slide a template value only while a template looks at it. With [`SheetsOf`] and
/// [`TalksOf`], the book-wide templates (nav, NCX, package) see every page, sheet and talk
/// of an anthology of thousands of slides with one copy of each page entry and never all
/// of them as template values at once (minijinja turns a serialized context into values
/// eagerly: 2–3 KB a page).
#[derive(Debug)]
struct SlidesOf {
    sheets: Arc<Vec<Sheet>>,
    /// (sheet, slide on it) of each item.
    at: Vec<(usize, usize)>,
}

impl SlidesOf {
    fn value(sheets: &Arc<Vec<Sheet>>, range: Range<usize>) -> Value {
        let at = range
            .flat_map(|i| (0..sheets[i].slides.len()).map(move |k| (i, k)))
            .collect();
        Value::from_object(SlidesOf {
            sheets: Arc::clone(sheets),
            at,
        })
    }
}

impl Object for SlidesOf {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let &(sheet, slide) = self.at.get(key.as_usize()?)?;
        let entry = self.sheets.get(sheet)?.slides.get(slide)?;
        Some(Value::from(Serde(entry)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.at.len())
    }
}

/// `sheets[range]` as a template list read an item at a time (see [`SlidesOf`]).
#[derive(Debug)]
struct SheetsOf {
    sheets: Arc<Vec<Sheet>>,
    range: Range<usize>,
}

impl SheetsOf {
    fn value(sheets: &Arc<Vec<Sheet>>, range: Range<usize>) -> Value {
        Value::from_object(SheetsOf {
            sheets: Arc::clone(sheets),
            range,
        })
    }
}

impl Object for SheetsOf {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let i = self.range.start + key.as_usize()?;
        (i < self.range.end)
            .then(|| self.sheets.get(i))
            .flatten()
            .map(|sheet| Value::from(Serde(sheet)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.range.len())
    }
}

/// An anthology's talks as a template list: each talk with `pages` and `sheets`, views of
/// its run of sheets (a page never mixes talks, and talks come in order).
#[derive(Debug)]
struct TalksOf {
    talks: Vec<TalkEntry>,
    sheets: Arc<Vec<Sheet>>,
}

/// One talk as the templates see it.
#[derive(Serialize)]
struct TalkView<'a> {
    #[serde(flatten)]
    talk: &'a TalkEntry,
    pages: Value,
    sheets: Value,
}

impl TalksOf {
    fn value(talks: Vec<TalkEntry>, sheets: &Arc<Vec<Sheet>>) -> Value {
        Value::from_object(TalksOf {
            talks,
            sheets: Arc::clone(sheets),
        })
    }
}

impl Object for TalksOf {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let talk = self.talks.get(key.as_usize()?)?;
        let index = talk.number - 1;
        let start = self.sheets.partition_point(|s| s.talk < index);
        let end = self.sheets.partition_point(|s| s.talk <= index);
        let view = TalkView {
            talk,
            pages: SlidesOf::value(&self.sheets, start..end),
            sheets: SheetsOf::value(&self.sheets, start..end),
        };
        Some(Value::from(Serde(view)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.talks.len())
    }
}

/// One talk of an anthology as the templates see it: its title page, its language and
/// its slides' pages.
#[derive(Debug, Clone, Serialize)]
struct TalkEntry {
    number: usize,
    /// The talk's title page.
    id: String,
    href: String,
    title: String,
    author: Option<String>,
    lang: String,
    /// The NCX `playOrder` of its title page.
    play: usize,
}

/// An anthology's contents page: its talks with links to their title pages.
#[derive(Serialize)]
struct ContentsContext<'a> {
    #[serde(flatten)]
    common: &'a Common,
    page: Size,
    sizes: ContentsSizes,
    /// Which contents page this is, and of how many.
    number: usize,
    pages: usize,
    talks: Value,
}

/// Pixel sizes of a contents page, following its viewport.
#[derive(Debug, Clone, Copy, Serialize)]
struct ContentsSizes {
    heading: u32,
    title: u32,
    small: u32,
    margin: u32,
    /// The height one talk takes.
    row: u32,
}

impl ContentsSizes {
    fn new(page: Size) -> Self {
        let px = designed_px(page);
        ContentsSizes {
            heading: px(34.0),
            title: px(21.0),
            small: px(15.0),
            margin: px(48.0),
            row: px(50.0),
        }
    }

    /// Talks one page holds below its heading (at least one).
    fn per_page(&self, page: Size) -> usize {
        let room = page
            .height
            .saturating_sub(2 * self.margin + 2 * self.heading);
        (room / self.row.max(1)).max(1) as usize
    }
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
    /// `--kobo`: kepub markup in every page.
    kobo: bool,
    /// How slides fill the screen (`--fit`), for the encoder.
    screen: DeviceOptions,
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
            check_templates(&templates, backend.screen.stack_geometry(), options.kobo)?;
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
            screen: backend.screen,
        };
        // OCF: `mimetype` first, stored, no extra fields, so that `file` and readers know the book.
        writer.add(false, "mimetype", MIMETYPE)?;
        if let Some(path) = &options.cover {
            // A cover of its own gets a page of its own (written in `finish`), first in the
            // spine: readers open on it, and EPUBCheck wants every manifest image used by
            // some content document.
            let cover = writer.encode_cover(path, &backend.limits)?;
            let entry = CoverEntry::new(cover.file.format, cover.file.width, cover.file.height);
            writer.add(false, &format!("{ROOT}/{}", entry.href), &cover.file.bytes)?;
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
        // The cover stays upright: it is what a library shows, not a page to read sideways.
        let prepared = if self.kobo {
            opaque(within_kobo_viewport(prepared))
        } else {
            prepared
        };
        let takes_as_is = if self.kobo {
            kobo_media_type
        } else {
            core_media_type
        };
        let file = file_for_reader(prepared, takes_as_is, "an EPUB", self.encoding)
            .map_err(|e| input(e.to_string()))?;
        Ok(EpubPage {
            file,
            turned: false,
        })
    }

    fn add(&mut self, deflate: bool, name: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let options = if deflate { self.deflated } else { self.stored };
        add_file(&mut self.zip, options, name, bytes)
    }

    fn encoder(&self) -> EpubEncoder {
        EpubEncoder {
            encoding: self.encoding,
            screen: self.screen,
            kobo: self.kobo,
        }
    }
}

fn add_file(
    zip: &mut ZipWriter<Box<dyn Sink>>,
    options: SimpleFileOptions,
    name: &str,
    bytes: &[u8],
) -> Result<(), WriteError> {
    zip.start_file(name, options)
        .map_err(WriteError::from)
        .and_then(|()| {
            zip.write_all(bytes)
                .map_err(|e| WriteError::io(format!("{name} into the book"), e))
        })
}

/// Encodes book pages: the options it needs, copied, so every thread can use it.
pub struct EpubEncoder {
    encoding: FileEncoding,
    screen: DeviceOptions,
    /// `--kobo`: opaque images, no GIFs.
    kobo: bool,
}

impl EpubEncoder {
    fn encode(&self, image: Prepared) -> Result<EpubPage, NormalizeError> {
        // Turned (`--fit rotate`) only when decoded for the device anyway, before its one
        // encode: no JPEG goes through a second lossy generation for it.
        let (image, turned) = self.screen.turn(image);
        let (image, takes_as_is) = if self.kobo {
            (
                opaque(within_kobo_viewport(image)),
                kobo_media_type as fn(&ImageInfo) -> bool,
            )
        } else {
            (image, core_media_type as fn(&ImageInfo) -> bool)
        };
        let file = file_for_reader(image, takes_as_is, "an EPUB", self.encoding)?;
        Ok(EpubPage { file, turned })
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
        let EpubPage { file, turned } = page;
        let entry = PageEntry::new(
            self.pages.len() + 1,
            slide,
            file.format,
            (file.width, file.height),
            turned,
        );
        self.add(false, &format!("{ROOT}/{}", entry.image_href), &file.bytes)?;
        self.pages.push(entry);
        Ok(())
    }

    fn finish(self: Box<Self>, book: &Book, _font: Option<&FontData>) -> Result<(), WriteError> {
        let EpubWriter {
            mut zip,
            templates,
            pages,
            cover,
            deflated,
            kobo,
            screen,
            ..
        } = *self;
        // Each text file goes into the book as it is rendered: an anthology's thousands of
        // pages are never all in memory at once.
        text_files(
            &templates,
            book,
            screen.stack_geometry(),
            kobo,
            pages,
            cover.as_ref(),
            &mut |name, text| add_file(&mut zip, deflated, &name, text.as_bytes()),
        )?;
        let mut file = zip.finish()?;
        file.flush().map_err(|e| WriteError::io("the book", e))
    }
}

/// Every text file of the book, rendered and handed to `emit` (name in the container,
/// content) one after the other, in the container's order.
fn text_files(
    templates: &Templates,
    book: &Book,
    stack: Option<StackGeometry>,
    kobo: bool,
    mut pages: Vec<PageEntry>,
    cover: Option<&CoverEntry>,
    emit: &mut dyn FnMut(String, String) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    let words = Words::for_meta(&book.meta);
    // Each slide is named in its own talk's language and after its own talk.
    let talk_words: Vec<Words> = book
        .talks
        .iter()
        .map(|t| Words::for_meta(&t.meta))
        .collect();
    for entry in pages.iter_mut() {
        let (words, title) = match (talk_words.get(entry.talk), book.talks.get(entry.talk)) {
            (Some(words), Some(talk)) => (words, talk_title(&talk.meta, words)),
            _ => (&words, book_title(book, &words)),
        };
        if entry.nav_label.is_empty() {
            entry.nav_label = words.slide(&entry.label);
        }
        if entry.alt.is_empty() {
            entry.alt = words.slide_of(&entry.label, &title);
        }
    }
    let mut sheets = lay_out(pages, stack, &words);
    if kobo {
        mark_for_kobo(&mut sheets);
    }
    // The title page takes the most common page size.
    let (page_w, page_h) = dominant(sheets.iter().map(|s| (s.width, s.height)));
    const GIF: &str = "image/gif";
    let gif = cover.is_some_and(|c| c.media_type == GIF)
        || sheets
            .iter()
            .flat_map(|s| &s.slides)
            .any(|p| p.media_type == GIF);
    let mut common = describe(book, (page_w, page_h), kobo, gif)?;
    if book.anthology {
        common.slide_count_text = words.collection_count(book.talks.len(), book.slides.len());
    }
    emit(
        "META-INF/container.xml".to_string(),
        templates.render("container.xml", &common)?,
    )?;
    emit(
        format!("{ROOT}/css/book.css"),
        templates.render("book.css", &common)?,
    )?;
    let page = Size {
        width: page_w,
        height: page_h,
    };
    let title_page = TitleContext {
        common: &common,
        page,
        sizes: title_sizes(page),
        kobo_ids: kobo.then(|| TitleKobo::new(&common)),
    };
    emit(
        format!("{ROOT}/{}", common.title_page.href),
        templates.render("title.xhtml", title_page)?,
    )?;
    if let Some(cover) = cover {
        let context = CoverContext {
            common: &common,
            cover,
        };
        emit(
            format!("{ROOT}/{}", cover.page_href),
            templates.render("cover.xhtml", context)?,
        )?;
    }
    // An anthology's talks: each its own title page and language, its pages after it.
    let talk_commons: Vec<Common> = if book.anthology {
        book.talks
            .iter()
            .zip(&talk_words)
            .map(|(talk, words)| talk_common(&common, &talk.meta, words, talk.slides.len()))
            .collect()
    } else {
        Vec::new()
    };
    let mut talks: Vec<TalkEntry> = talk_commons
        .iter()
        .enumerate()
        .map(|(i, c)| TalkEntry {
            number: i + 1,
            id: format!("talk-{:04}", i + 1),
            href: format!("pages/talk-{:04}.xhtml", i + 1),
            title: c.title.clone(),
            author: c.author.clone(),
            lang: c.lang.clone(),
            play: 0,
        })
        .collect();
    for (talk, c) in talks.iter().zip(&talk_commons) {
        let context = TitleContext {
            common: c,
            page,
            sizes: title_sizes(page),
            kobo_ids: kobo.then(|| TitleKobo::new(c)),
        };
        emit(
            format!("{ROOT}/{}", talk.href),
            templates.render("title.xhtml", context)?,
        )?;
    }
    for sheet in &sheets {
        let Some(first) = sheet.slides.first() else {
            continue;
        };
        let context = PageContext {
            common: talk_commons.get(sheet.talk).unwrap_or(&common),
            sheet,
            page: first,
        };
        emit(
            format!("{ROOT}/{}", sheet.href),
            templates.render("slide.xhtml", context)?,
        )?;
    }
    // Reading order for EPUB 2's NCX (an anthology): title page, contents, then each talk's
    // title page and its slides. Set on the sheets' own entries: the book-wide templates read
    // pages and talks as views of the sheets, never as copies.
    if book.anthology {
        let mut play = 2;
        for talk in talks.iter_mut() {
            play += 1;
            talk.play = play;
            for sheet in sheets.iter_mut().filter(|s| s.talk == talk.number - 1) {
                for slide in sheet.slides.iter_mut() {
                    play += 1;
                    slide.play = play;
                }
            }
        }
    }
    let sheets = Arc::new(sheets);
    let contents: Vec<ManifestItem> = if book.anthology {
        let sizes = ContentsSizes::new(page);
        let per_page = sizes.per_page(page);
        let count = talks.len().div_ceil(per_page).max(1);
        let mut items = Vec::with_capacity(count);
        for (i, chunk) in talks.chunks(per_page).enumerate() {
            let item = ManifestItem {
                id: format!("contents-{:02}", i + 1),
                href: format!("pages/contents-{:02}.xhtml", i + 1),
                media_type: "application/xhtml+xml",
            };
            let context = ContentsContext {
                common: &common,
                page,
                sizes,
                number: i + 1,
                pages: count,
                talks: TalksOf::value(chunk.to_vec(), &sheets),
            };
            emit(
                format!("{ROOT}/{}", item.href),
                templates.render("contents.xhtml", context)?,
            )?;
            items.push(item);
        }
        items
    } else {
        Vec::new()
    };
    let first_slide = sheets.iter().find_map(|s| s.slides.first());
    let cover_id = match (cover, first_slide) {
        (Some(c), _) => c.id.clone(),
        (None, Some(first)) => first.image_id.clone(),
        (None, None) => return Err(WriteError::Internal("the book has no pages".into())),
    };
    let context = BookContext {
        common: &common,
        pages: SlidesOf::value(&sheets, 0..sheets.len()),
        sheets: SheetsOf::value(&sheets, 0..sheets.len()),
        cover,
        cover_id: &cover_id,
        anthology: book.anthology,
        talks: TalksOf::value(talks, &sheets),
        contents: &contents,
    };
    for (name, template) in [
        ("nav.xhtml", "nav.xhtml"),
        ("toc.ncx", "toc.ncx"),
        ("package.opf", "package.opf"),
    ] {
        emit(
            format!("{ROOT}/{name}"),
            templates.render(template, &context)?,
        )?;
    }
    Ok(())
}

/// A talk's template context inside an anthology: the book's, with the talk's own title,
/// speakers, event, date, source, language and words.
fn talk_common(
    book: &Common,
    meta: &crate::model::DeckMeta,
    words: &Words,
    slides: usize,
) -> Common {
    let optional = |v: &Option<String>| v.as_deref().map(single_line).filter(|s| !s.is_empty());
    let mut common = book.clone();
    common.lang = crate::writer::locale::language_tag(meta);
    common.title = talk_title(meta, words);
    common.raw_title = optional(&meta.raw_title);
    common.author = optional(&meta.author_line());
    common.event = optional(&meta.event);
    common.date = optional(&meta.date);
    common.date_w3c = optional(&meta.date).filter(|d| is_w3c_date(d));
    common.source = optional(&meta.source);
    common.slide_count = slides;
    common.slide_count_text = words.slide_count(slides);
    common.words = words_context(words);
    common
}

/// A talk's title on one line, or "Untitled" in its language.
fn talk_title(meta: &crate::model::DeckMeta, words: &Words) -> String {
    match single_line(&meta.title) {
        t if t.is_empty() => words.untitled.to_string(),
        t => t,
    }
}

/// The size most pages have (ties: the first); 1280x720 for none.
fn dominant(sizes: impl Iterator<Item = (u32, u32)>) -> (u32, u32) {
    let mut counts: Vec<((u32, u32), usize)> = Vec::new();
    for size in sizes {
        match counts.iter_mut().find(|(s, _)| *s == size) {
            Some((_, n)) => *n += 1,
            None => counts.push((size, 1)),
        }
    }
    counts
        .iter()
        .fold(None::<((u32, u32), usize)>, |best, &(size, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((size, n)),
        })
        .map_or((1280, 720), |(size, _)| size)
}

/// The book's title on one line, or "Untitled" in its language.
fn book_title(book: &Book, words: &Words) -> String {
    match single_line(&book.meta.title) {
        t if t.is_empty() => words.untitled.to_string(),
        t => t,
    }
}

/// Render every template once for a sample book, so that a broken `--templates` override
/// fails before any slide is downloaded, not after the last.
fn check_templates(
    templates: &Templates,
    stack: Option<StackGeometry>,
    kobo: bool,
) -> Result<(), WriteError> {
    let slide = SlideInfo {
        position: 1,
        label: "1".into(),
        width: 1280,
        height: 720,
        ..Default::default()
    };
    let meta = crate::model::DeckMeta {
        title: "Sample".into(),
        ..Default::default()
    };
    let mut book = Book::deck(
        meta.clone(),
        vec![slide],
        0,
        "urn:uuid:00000000-0000-5000-8000-000000000000".into(),
    );
    let page = PageEntry::new(1, &book.slides[0], SourceFormat::Png, (1280, 720), false);
    let cover = CoverEntry::new(SourceFormat::Png, 1280, 720);
    let mut rendered = |_: String, _: String| Ok(());
    text_files(
        templates,
        &book,
        stack,
        kobo,
        vec![page.clone()],
        Some(&cover),
        &mut rendered,
    )?;
    // The same sample as an anthology of one talk: the contents and nested navigation.
    book.anthology = true;
    text_files(
        templates,
        &book,
        stack,
        kobo,
        vec![page],
        Some(&cover),
        &mut rendered,
    )
}

/// The book-wide template context.
fn describe(
    book: &Book,
    (page_w, page_h): (u32, u32),
    kobo: bool,
    gif: bool,
) -> Result<Common, WriteError> {
    let meta = &book.meta;
    let words = Words::for_meta(meta);
    let title = book_title(book, &words);
    let optional = |v: &Option<String>| v.as_deref().map(single_line).filter(|s| !s.is_empty());
    let lang = crate::writer::locale::language_tag(meta);
    let count = book.slides.len();
    let all_alt = book.slides.iter().all(|s| !s.alt.trim().is_empty());
    let described = |s: &SlideInfo| !s.alt.trim().is_empty() || s.recognized_text().is_some();
    let recognized = book.slides.iter().any(|s| s.text.is_some());
    // Text alone suffices only when every slide has some: the deck's or recognised.
    let textual = book.slides.iter().all(described);
    let mut accessibility_features = vec!["tableOfContents", "readingOrder", "pageNavigation"];
    let conformance = conformance(all_alt);
    let described = if all_alt {
        accessibility_features.insert(0, "alternativeText");
        Described::ByTheDeck
    } else if recognized && textual {
        accessibility_features.insert(0, "alternativeText");
        Described::ByRecognisedText
    } else if recognized {
        Described::PartlyByRecognisedText
    } else {
        Described::ByNumber
    };
    // In the deck's language, as every other word of the book.
    let accessibility_summary = words.accessibility_summary(recognized, described);
    Ok(Common {
        kobo,
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
        words: words_context(&words),
        accessibility_features,
        accessibility_hazards: hazards(gif),
        accessibility_summary,
        access_mode_sufficient_textual: textual,
        conforms_to: conformance.map(|c| c.conforms_to),
        certified_by: conformance.map(|c| c.certified_by),
        title_page: ManifestItem {
            id: "titlepage".into(),
            href: "pages/title.xhtml".into(),
            media_type: "application/xhtml+xml",
        },
        title,
    })
}

/// An EPUB Accessibility conformance claim: the identifier and who evaluated the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Conformance {
    conforms_to: &'static str,
    certified_by: &'static str,
}

/// The identifier of EPUB Accessibility 1.1 § "Publication conformance", at WCAG 2.2 Level A.
pub const WCAG_A: &str = "EPUB Accessibility 1.1 - WCAG 2.2 Level A";

/// What the book can claim. Level A holds when every slide's image carries the deck's own
/// description (success criterion 1.1.1: a text alternative for all non-text content; an
/// automatic recognition, unchecked, is not one, nor is "Slide 4 of …"); deckconv makes the
/// rest of Level A true of every book (language, titles, headings, reading order, navigation,
/// no keyboard traps, no timing). Level AA never holds: slides are images of text (1.4.5
/// allows them only where essential) on fixed-layout pages (1.4.10, reflow), whatever the
/// descriptions say. deckconv evaluated the book itself, from what it knows of the deck.
fn conformance(every_slide_described: bool) -> Option<Conformance> {
    every_slide_described.then_some(Conformance {
        conforms_to: WCAG_A,
        certified_by: "deckconv",
    })
}

/// `schema:accessibilityHazard`: `none`, unless some image is a GIF: GIFs are stored as
/// they are, their frames unseen, and an animated one may flash.
fn hazards(gif: bool) -> Vec<&'static str> {
    if gif {
        vec![
            "unknownFlashingHazard",
            "noMotionSimulationHazard",
            "noSoundHazard",
        ]
    } else {
        vec!["none"]
    }
}

fn words_context(words: &Words) -> WordsContext {
    WordsContext {
        title_page: words.title_page,
        cover: words.cover,
        contents: words.contents,
        pages: words.pages,
        landmarks: words.landmarks,
        slides: words.slides,
    }
}

/// Sizes designed on a 960x540 page, in pixels of `page`, scaled to its limiting side.
fn designed_px(page: Size) -> impl Fn(f64) -> u32 {
    let unit = (page.width as f64 / 960.0).min(page.height as f64 / 540.0);
    move |v: f64| ((v * unit).round() as u32).max(1)
}

fn title_sizes(page: Size) -> TitleSizes {
    let px = designed_px(page);
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
    fn runs_join_words_without_spaces_and_fit_their_boxes() {
        use crate::ocr::{Line, Rect, Word};
        let word = |text: &str, left: f32, right: f32| Word {
            text: text.into(),
            bbox: Rect::new(left, 0.0, right, 40.0),
        };
        // Latin letters 22 px, Han characters 38 px: a 40 px face spaced by -2 px.
        let line = Line {
            text: "Apollo：配置 data".into(),
            bbox: Rect::new(0.0, 0.0, 300.0, 40.0),
            confidence: 1.0,
            words: vec![
                word("Apollo", 0.0, 132.0),
                word("：", 132.0, 170.0),
                word("配", 170.0, 208.0),
                word("置", 208.0, 246.0),
                word("data", 258.0, 346.0),
            ],
        };
        let runs = line_runs(&line);
        let texts: Vec<&str> = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["Apollo：配置", "data"]);
        let (size, spacing) = runs[0].metrics();
        assert!((size - 40.0).abs() < 0.01 && (spacing + 2.0).abs() < 0.01);
        // One kind of word: glyphs at four fifths of the box, spaced to its width.
        let (size, spacing) = runs[1].metrics();
        assert_eq!(size, 32.0);
        assert!((4.0 * (0.6 * size + spacing) - 88.0).abs() < 0.01);
        // Words that do not spell the line: the line is one run.
        let odd = Line {
            text: "something else".into(),
            ..line
        };
        assert_eq!(line_runs(&odd).len(), 1);
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
