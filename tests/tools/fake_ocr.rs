//! The test deck of the `--ocr` tests and a fake recogniser that "reads" it, so text layers
//! can be made through the library's pipeline without OCR models (`text_layer`,
//! `reader_search`); and reading the EPUBs made back.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use deckconv::model::DeckMeta;
use deckconv::ocr::{Lang, Line, OcrError, PageText, Recognizer, Rect, Word};
use deckconv::pipeline::{ConvertOptions, OcrOptions};
use deckconv::writer::epub::EpubOptions;
use deckconv::writer::{registry, Backend, OutputOptions};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

use super as tools;
use super::TestSlide;

pub const WIDTH: u32 = 1280;
pub const HEIGHT: u32 = 720;
pub const TIMESTAMP: i64 = 1_539_907_200;
pub const HEADING: &str = "服务拆分 Service Decomposition";

/// One slide of the test deck: its background colour (how the fake recogniser knows it),
/// its lines as (text, left, top, height) in pixels of a 1280x720 image, its format.
pub struct Spec {
    pub colour: [u8; 3],
    pub lines: &'static [(&'static str, f32, f32, f32)],
    pub jpeg: bool,
}

pub const COVER: Spec = Spec {
    colour: [30, 60, 120],
    lines: &[
        ("微服务架构演进", 370.0, 230.0, 80.0),
        ("From Monolith to Services", 330.0, 320.0, 72.0),
        ("陈思远 · QCon Shanghai 2018", 470.0, 480.0, 30.0),
    ],
    jpeg: false,
};
pub const DECOMPOSITION: Spec = Spec {
    colour: [240, 240, 235],
    lines: &[
        (HEADING, 80.0, 50.0, 64.0),
        ("配置中心 Apollo：配置变更秒级生效", 120.0, 200.0, 40.0),
        ("服务注册 Eureka，调用链 Zipkin", 120.0, 270.0, 40.0),
        ("Each service owns its data", 120.0, 340.0, 40.0),
    ],
    jpeg: true,
};
pub const KAFKA: Spec = Spec {
    colour: [250, 225, 190],
    lines: &[
        ("消息队列 Kafka", 80.0, 50.0, 64.0),
        ("订单事件异步处理", 120.0, 200.0, 40.0),
        ("Exactly-once delivery is hard", 120.0, 270.0, 40.0),
    ],
    jpeg: false,
};
/// A photo: nothing to recognise.
pub const PHOTO: Spec = Spec {
    colour: [20, 20, 20],
    lines: &[],
    jpeg: false,
};
pub const THANKS: Spec = Spec {
    colour: [200, 240, 210],
    lines: &[
        ("Thank you", 460.0, 280.0, 90.0),
        ("谢谢", 560.0, 400.0, 60.0),
    ],
    jpeg: false,
};

/// The five slides in deck order; slide 4 has no text.
pub fn deck() -> Vec<&'static Spec> {
    vec![&COVER, &DECOMPOSITION, &KAFKA, &PHOTO, &THANKS]
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// A recognised line as the engine gives it: each Han character (or full-width mark) its
/// own word, Latin words split on spaces, boxes left to right at plausible glyph widths.
pub fn line(text: &str, left: f32, top: f32, height: f32) -> Line {
    let bottom = top + height;
    let mut words = Vec::new();
    let mut x = left;
    let mut latin: Option<(String, f32)> = None;
    let flush = |latin: &mut Option<(String, f32)>, words: &mut Vec<Word>, x: f32| {
        if let Some((text, start)) = latin.take() {
            words.push(Word {
                text,
                bbox: Rect::new(start, top, x, bottom),
            });
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush(&mut latin, &mut words, x);
            let w = 0.95 * height;
            words.push(Word {
                text: c.to_string(),
                bbox: Rect::new(x, top, x + w, bottom),
            });
            x += w;
        } else if c.is_whitespace() {
            flush(&mut latin, &mut words, x);
            x += 0.3 * height;
        } else {
            latin.get_or_insert_with(|| (String::new(), x)).0.push(c);
            x += 0.55 * height;
        }
    }
    flush(&mut latin, &mut words, x);
    Line {
        text: text.to_string(),
        bbox: Rect::new(left, top, x, bottom),
        confidence: 0.97,
        words,
    }
}

/// The slide's text as recognised on an image of `width` x `height` pixels (the specs are
/// in pixels of a 1280x720 image).
pub fn page_of(spec: &Spec, width: u32, height: u32) -> PageText {
    let (sx, sy) = (width as f32 / WIDTH as f32, height as f32 / HEIGHT as f32);
    let scale = |r: Rect| Rect::new(r.left * sx, r.top * sy, r.right * sx, r.bottom * sy);
    PageText {
        width,
        height,
        lines: spec
            .lines
            .iter()
            .map(|&(text, left, top, h)| {
                let mut l = line(text, left, top, h);
                l.bbox = scale(l.bbox);
                for w in &mut l.words {
                    w.bbox = scale(w.bbox);
                }
                l
            })
            .collect(),
    }
}

/// Knows each slide by its background colour (JPEG moves it a little) and counts its calls.
pub struct FakeRecognizer {
    calls: AtomicUsize,
}

impl FakeRecognizer {
    pub fn new() -> Arc<Self> {
        Arc::new(FakeRecognizer {
            calls: AtomicUsize::new(0),
        })
    }
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl Recognizer for FakeRecognizer {
    fn model_version(&self) -> String {
        "fake-1".into()
    }
    fn lang(&self) -> Lang {
        Lang::ChiSimEng
    }
    fn recognize(&self, image: &RgbImage) -> Result<PageText, OcrError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let Rgb(seen) = *image.get_pixel(4, 4);
        let distance = |c: [u8; 3]| -> i32 {
            (0..3)
                .map(|k| (i32::from(c[k]) - i32::from(seen[k])).abs())
                .sum()
        };
        let spec = deck()
            .into_iter()
            .min_by_key(|s| distance(s.colour))
            .filter(|s| distance(s.colour) < 24)
            .ok_or_else(|| OcrError::Inference(format!("unknown slide colour {seen:?}")))?;
        Ok(page_of(spec, image.width(), image.height()))
    }
}

/// The slide's image: its background with dark bars where its lines are.
pub fn image_of(spec: &Spec) -> Vec<u8> {
    image_sized(spec, WIDTH, HEIGHT)
}

/// [`image_of`] at another size.
pub fn image_sized(spec: &Spec, width: u32, height: u32) -> Vec<u8> {
    let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb(spec.colour));
    for &(text, left, top, h) in spec.lines {
        let bbox = line(text, left, top, h).bbox;
        for y in (bbox.top as u32 + 8)..(bbox.bottom as u32 - 8) {
            for x in bbox.left as u32..(bbox.right as u32).min(WIDTH) {
                img.put_pixel(x, y, Rgb([90, 40, 40]));
            }
        }
    }
    if (width, height) != (WIDTH, HEIGHT) {
        img = image::imageops::resize(&img, width, height, image::imageops::FilterType::Nearest);
    }
    let format = if spec.jpeg {
        ImageFormat::Jpeg
    } else {
        ImageFormat::Png
    };
    let mut bytes = std::io::Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(img)
        .write_to(&mut bytes, format)
        .unwrap();
    bytes.into_inner()
}

/// The deck's slides, labelled from 1; `alts` gives (1-based position, description).
pub fn slides(specs: &[&Spec], alts: &[(usize, &str)]) -> Vec<TestSlide> {
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let mut slide = TestSlide::new((i + 1).to_string(), image_of(spec));
            if let Some((_, alt)) = alts.iter().find(|(n, _)| *n == i + 1) {
                slide.alt = alt.to_string();
            }
            slide
        })
        .collect()
}

pub fn meta(title: &str, title_is_fallback: bool) -> DeckMeta {
    DeckMeta {
        title: title.into(),
        authors: vec!["陈思远".into()],
        date: Some("2018-10-19".into()),
        event: Some("QCon Shanghai 2018".into()),
        lang: Some("en".into()),
        title_is_fallback,
        // A stand-in may give way to the cover; a title the deck gives is kept as written.
        title_score: title_is_fallback.then_some(0),
        ..Default::default()
    }
}

pub fn ocr_options(recognizer: &Arc<FakeRecognizer>, cache_dir: Option<PathBuf>) -> ConvertOptions {
    let recognizer: Arc<dyn Recognizer> = recognizer.clone();
    ConvertOptions {
        ocr: Some(OcrOptions {
            recognizer,
            cache_dir,
        }),
        ..tools::convert_options(TIMESTAMP)
    }
}

pub fn backend(name: &str, options: &OutputOptions) -> Box<dyn Backend> {
    (registry::find(name).unwrap().build)(options)
}

pub fn pdf_backend() -> Box<dyn Backend> {
    backend("pdf", &OutputOptions::default())
}

pub fn epub_backend(kobo: bool) -> Box<dyn Backend> {
    let options = OutputOptions {
        epub: EpubOptions {
            kobo,
            ..Default::default()
        },
        ..Default::default()
    };
    backend("epub", &options)
}

/// Convert `slides` into `backend` at `out` with `options`, in a scratch deck folder.
pub fn convert_one(
    meta: DeckMeta,
    slides: &[TestSlide],
    backend: &dyn Backend,
    out: &Path,
    options: &ConvertOptions,
) {
    let work = tools::tempdir("deckconv-layer-work");
    tools::convert_with(work.path(), meta, slides, &[(backend, out)], options).unwrap();
}

/// The title `deck()` is converted under in the reader tests.
pub const DECK_TITLE: &str = "0到3000万用户微服务之旅";

/// `deck()` as an EPUB at `out`, recognised by the fake recogniser (`ocr`) or not, for Kobo
/// or not.
pub fn deck_book(out: &Path, ocr: bool, kobo: bool) {
    let options = if ocr {
        ocr_options(&FakeRecognizer::new(), None)
    } else {
        tools::convert_options(TIMESTAMP)
    };
    convert_one(
        meta(DECK_TITLE, false),
        &slides(&deck(), &[]),
        epub_backend(kobo).as_ref(),
        out,
        &options,
    );
}

/// Every entry of the book, by name.
pub fn entries(book: &Path) -> HashMap<String, String> {
    let mut archive = zip::ZipArchive::new(File::open(book).unwrap()).unwrap();
    (0..archive.len())
        .filter_map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            let name = f.name().unwrap().to_string();
            String::from_utf8(data).ok().map(|text| (name, text))
        })
        .collect()
}

pub fn slide_page(book: &HashMap<String, String>, n: usize) -> &str {
    let name = format!("OEBPS/pages/slide-{n:04}.xhtml");
    book.get(&name)
        .unwrap_or_else(|| panic!("{name} in the book"))
}

/// The `alt` of the page's `<img>`.
pub fn img_alt(page: &str) -> &str {
    let start = page.find("<img ").expect("an img");
    let at = page[start..].find(" alt=\"").unwrap() + start + 6;
    let end = page[at..].find('"').unwrap() + at;
    &page[at..end]
}
