//! The `--ocr` EPUB text layer in a real reading system: epub.js (from npm, pinned in
//! `tests/data/epubjs/package-lock.json`) running in Debian's chromium, headless, opens books
//! made through the library with the fake recogniser (`tools::fake_ocr`) and searches them
//! with its own `Section.find`; it also renders a page for a screenshot. The harness page
//! (`tests/data/epubjs/search.html`) and the books are served by a loopback server the test
//! starts, and the page reports back to that server.

use crate::tools::fake_ocr::{
    backend, convert_one, deck, deck_book, image_sized, line, meta, ocr_options, FakeRecognizer,
    COVER, DECK_TITLE, DECOMPOSITION, KAFKA, THANKS, WIDTH,
};
use crate::tools::TestSlide;
use crate::tools::{self, browser};

use deckconv::writer::devices::{DeviceOptions, Fit, DEVICES};
use deckconv::writer::OutputOptions;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use image::RgbImage;
use serde_json::Value;

/// What to run when chromium or epub.js is missing.
const SETUP: &str = "run .ci/run: it installs Debian's chromium (apt-get install chromium) and \
    epub.js (npm ci in tests/data/epubjs)";
const TITLE: &str = DECK_TITLE;
/// Words recognised on the slides of `fake_ocr::deck()`, each with its slide (1-based):
/// Chinese and English, in headings and in body lines.
const WORDS: [(&str, usize); 5] = [
    ("服务拆分", 2),
    ("Zipkin", 2),
    ("Kafka", 3),
    ("订单事件", 3),
    ("谢谢", 5),
];
/// A word that is on no slide.
const ABSENT: &str = "Kubernetes";

fn harness_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/epubjs")
}

/// The installed epub.js version, after checking that chromium and the harness's npm
/// packages are there (and epub.js is the pinned one): a failure naming the setup otherwise.
fn setup() -> String {
    tools::browser_harness(
        &harness_dir(),
        "epubjs",
        &[
            "node_modules/epubjs/dist/epub.min.js",
            "node_modules/jszip/dist/jszip.min.js",
        ],
        SETUP,
    )
}

/// One run of the harness page in headless chromium, on `books` served under /books/:
/// `query` is the page's query string (`book=...&q=...` or `...&show=HREF`), `output` the
/// chromium flag that makes it exit once the page has loaded (`--dump-dom`,
/// `--screenshot=FILE`). Returns what the page reported.
pub(crate) fn run_harness(
    books: &Path,
    query: &str,
    output: &str,
    window: (u32, u32),
) -> browser::Report {
    browser::run(&browser::Page {
        harness: &harness_dir(),
        name: "epubjs",
        files: books,
        files_at: "books",
        page: "search.html",
        query,
        flags: &[
            // Without it the screenshot may be taken before epub.js's frame is drawn.
            "--run-all-compositor-stages-before-draw".to_string(),
            "--hide-scrollbars".to_string(),
            // The size of the harness page's epub.js stage.
            format!("--window-size={},{}", window.0, window.1),
            output.to_string(),
        ],
        setup: SETUP,
    })
}

/// One match of epub.js's `Section.find`.
#[derive(Debug)]
struct Found {
    query: String,
    href: String,
    cfi: String,
    excerpt: String,
}

impl Found {
    /// In the page's `<body>` (the CFI's first step in the document is `/4`), not in its
    /// `<head>` (`/2`): `Section.find` walks every text node, the `<title>` too.
    fn in_body(&self) -> bool {
        self.cfi
            .split_once('!')
            .is_some_and(|(_, path)| path.starts_with("/4/"))
    }
}

/// The book's spine (hrefs) and every match of each of `queries` in each of its items, as
/// epub.js finds them.
fn search(books: &Path, book: &str, queries: &[&str]) -> (Vec<String>, Vec<Found>) {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("book", &format!("/books/{book}"));
    for q in queries {
        query.append_pair("q", q);
    }
    let report = run_harness(books, &query.finish(), "--dump-dom", (1280, 720));
    let result: Value = serde_json::from_str(&report.result).unwrap();
    let text = |v: &Value| v.as_str().unwrap().to_string();
    let spine = result["spine"]
        .as_array()
        .unwrap()
        .iter()
        .map(text)
        .collect();
    let found = result["found"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Found {
            query: text(&f["query"]),
            href: text(&f["href"]),
            cfi: text(&f["cfi"]),
            excerpt: text(&f["excerpt"]),
        })
        .collect();
    (spine, found)
}

fn slide_href(n: usize) -> String {
    format!("pages/slide-{n:04}.xhtml")
}

/// The deck of `fake_ocr` as an EPUB in `dir`, recognised (`ocr`) or not, for Kobo or not.
fn book(dir: &Path, name: &str, ocr: bool, kobo: bool) -> String {
    deck_book(&dir.join(name), ocr, kobo);
    name.to_string()
}

/// Each recognised word is found by epub.js on its slide's page, in the text layer, and
/// the word on no slide nowhere.
fn assert_found_on_their_slides(books: &Path, book: &str, version: &str) {
    let mut queries: Vec<&str> = WORDS.iter().map(|w| w.0).collect();
    queries.push(ABSENT);
    let (spine, found) = search(books, book, &queries);
    for n in 1..=deck().len() {
        assert!(spine.contains(&slide_href(n)), "{spine:?}");
    }
    for (word, slide) in WORDS {
        let hits: Vec<&Found> = found.iter().filter(|f| f.query == word).collect();
        let pages: BTreeSet<&str> = hits.iter().map(|f| f.href.as_str()).collect();
        assert_eq!(
            pages,
            BTreeSet::from([slide_href(slide).as_str()]),
            "epub.js {version}, {book}: {word} found in {hits:#?}"
        );
        // Found in the layer: its excerpt is the run of the recognised line that holds it
        // (the page's `<title>`, the slide's heading, may match too).
        let spec = deck()[slide - 1];
        let line = spec.lines.iter().find(|l| l.0.contains(word)).unwrap().0;
        assert!(
            hits.iter()
                .any(|hit| hit.in_body() && line.split(' ').any(|run| run == hit.excerpt)),
            "epub.js {version}, {book}: {word} not found in the text layer, only in {hits:#?}"
        );
        for hit in hits {
            assert!(hit.excerpt.contains(word), "{hit:?}");
            assert!(hit.cfi.starts_with("epubcfi("), "{hit:?}");
        }
    }
    assert!(
        !found.iter().any(|f| f.query == ABSENT),
        "{ABSENT}, on no slide, found: {found:#?}"
    );
}

#[test]
fn epubjs_finds_recognised_words_on_their_slides() {
    let version = setup();
    let dir = tools::tempdir("deckconv-reader-search");
    let ocr = book(dir.path(), "ocr.epub", true, false);
    let plain = book(dir.path(), "plain.epub", false, false);
    assert_found_on_their_slides(dir.path(), &ocr, &version);

    // Without --ocr the same book has none of those words: what epub.js finds is the layer.
    let queries: Vec<&str> = WORDS.iter().map(|w| w.0).collect();
    let (_, found) = search(dir.path(), &plain, &queries);
    assert!(found.is_empty(), "found without a text layer: {found:#?}");
}

/// `--kobo` books carry the same layer, its runs kepub spans (README): found as in the
/// plain book, each word on its slide.
#[test]
fn epubjs_finds_recognised_words_in_kobo_books() {
    let version = setup();
    let dir = tools::tempdir("deckconv-reader-kobo");
    let kobo = book(dir.path(), "ocr.kepub.epub", true, true);
    assert_found_on_their_slides(dir.path(), &kobo, &version);
}

/// How the harness shows a page: the stage's size (the window's), CSS injected into the
/// page as a reading system's style, and words to find on it.
struct Show<'a> {
    stage: (u32, u32),
    style: Option<&'a str>,
    queries: &'a [&'a str],
}

const LANDSCAPE_STAGE: Show<'static> = Show {
    stage: (1280, 720),
    style: None,
    queries: &[],
};

/// A page of the book as epub.js shows it, screenshot by chromium, and what the page
/// reported of it (the images' boxes, the layer's runs, the matches of `show.queries`).
fn screenshot(books: &Path, book: &str, href: &str, name: &str, show: &Show) -> (RgbImage, Value) {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("book", &format!("/books/{book}"));
    query.append_pair("show", href);
    query.append_pair("w", &show.stage.0.to_string());
    query.append_pair("h", &show.stage.1.to_string());
    if let Some(style) = show.style {
        query.append_pair("style", style);
    }
    for q in show.queries {
        query.append_pair("q", q);
    }
    let png = books.join(name);
    let report = run_harness(
        books,
        &query.finish(),
        &format!("--screenshot={}", png.display()),
        show.stage,
    );
    let shown: Value = serde_json::from_str(&report.result).unwrap();
    assert_eq!(shown["shown"], href, "{shown}");
    let image = image::open(&png)
        .unwrap_or_else(|e| panic!("{}: {e}", png.display()))
        .to_rgb8();
    // Kept for a look when asked: DECKCONV_KEEP_SHOTS=/tmp/shots.
    if let Some(keep) = std::env::var_os("DECKCONV_KEEP_SHOTS") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&png, keep.join(name)).unwrap();
    }
    (image, shown)
}

/// A box `[left, top, width, height]` as the page reported it.
fn reported_box(value: &Value) -> [f64; 4] {
    let numbers: Vec<f64> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_f64().unwrap())
        .collect();
    numbers.try_into().unwrap()
}

/// The layer is invisible in epub.js: the page with it looks exactly as without it, and
/// what shows is the slide image; its lines lie over the image where they were seen.
#[test]
fn epubjs_shows_the_slide_and_not_its_text_layer() {
    setup();
    let dir = tools::tempdir("deckconv-reader-shot");
    let ocr = book(dir.path(), "ocr.epub", true, false);
    let plain = book(dir.path(), "plain.epub", false, false);
    // Slide 3, a PNG: its colours come through exactly.
    let href = slide_href(3);
    let (with_layer, shown) = screenshot(dir.path(), &ocr, &href, "ocr.png", &LANDSCAPE_STAGE);
    let (without, bare) = screenshot(dir.path(), &plain, &href, "plain.png", &LANDSCAPE_STAGE);
    for page in [&shown, &bare] {
        assert_eq!(page["images"].as_array().map(Vec::len), Some(1), "{page}");
    }
    assert_eq!(bare["lines"].as_array().map(Vec::len), Some(0), "{bare}");
    assert_eq!(with_layer.dimensions(), without.dimensions());
    let background = with_layer.pixels().filter(|p| p.0 == KAFKA.colour).count();
    let (width, height) = with_layer.dimensions();
    assert!(
        background > (width * height / 4) as usize,
        "the slide's background covers {background} of {width}x{height} pixels"
    );

    // The lines sit over the image at their boxes, scaled as epub.js scales the page.
    let [image_left, image_top, image_width, _] = reported_box(&shown["images"][0]);
    let scale = image_width / f64::from(WIDTH);
    // Each line's first run of words.
    let lines: Vec<&Value> = KAFKA
        .lines
        .iter()
        .map(|&(text, ..)| {
            let first = text.split(' ').next().unwrap();
            shown["lines"]
                .as_array()
                .unwrap()
                .iter()
                .find(|run| run["text"] == first)
                .unwrap_or_else(|| panic!("{first} in {shown}"))
        })
        .collect();
    for (line, &(text, left, top, _)) in lines.iter().zip(KAFKA.lines) {
        assert_eq!(line["color"], "rgba(0, 0, 0, 0)", "{shown}");
        let [x, y, _, _] = reported_box(&line["box"]);
        assert!(
            (x - (image_left + f64::from(left) * scale)).abs() < 1.5
                && (y - (image_top + f64::from(top) * scale)).abs() < 1.5,
            "{text} at ({x}, {y}), seen at ({left}, {top}) on an image at \
             ({image_left}, {image_top}) scaled {scale}: {shown}"
        );
    }
    assert!(
        with_layer.as_raw() == without.as_raw(),
        "the text layer changes what epub.js shows (see {})",
        dir.path().display()
    );
}

/// The deck of `fake_ocr` at 1920x1080, its text recognised, as an EPUB for `options`.
fn fitted_book(dir: &Path, name: &str, options: &OutputOptions) -> String {
    let slides: Vec<TestSlide> = [&COVER, &DECOMPOSITION, &KAFKA, &THANKS]
        .iter()
        .enumerate()
        .map(|(i, spec)| TestSlide::new((i + 1).to_string(), image_sized(spec, 1920, 1080)))
        .collect();
    convert_one(
        meta(TITLE, false),
        &slides,
        backend("epub", options).as_ref(),
        &dir.join(name),
        &ocr_options(&FakeRecognizer::new(), None),
    );
    name.to_string()
}

/// The share of the stage that the page's images cover, from their boxes clipped to the
/// stage, and from the screenshot's pixels that are not the page's white.
fn covered(shown: &Value, shot: &RgbImage) -> (f64, f64) {
    let [stage_w, stage_h] = [0, 1].map(|i| shown["stage"][i].as_f64().unwrap());
    let [frame_x, frame_y, _, _] = reported_box(&shown["frame"]);
    let area: f64 = shown["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|image| {
            let [x, y, w, h] = reported_box(image);
            let (x, y) = (x + frame_x, y + frame_y);
            let clip = |a: f64, b: f64, limit: f64| (b.min(limit) - a.max(0.0)).max(0.0);
            clip(x, x + w, stage_w) * clip(y, y + h, stage_h)
        })
        .sum();
    let slide_pixels = shot
        .pixels()
        .filter(|p| p.0.iter().any(|&c| c < 250))
        .count();
    (
        area / (stage_w * stage_h),
        slide_pixels as f64 / f64::from(shot.width() * shot.height()),
    )
}

/// `--fit`: 16:9 slides on every portrait e-reader profile, shown by epub.js at the screen's
/// size in CSS pixels (half its pixels: a device pixel ratio of 2): the share of the screen
/// the slides cover, turned (at least 70%) or stacked (at least 80%), against the landscape
/// page of `--fit none` (42% on a 3:4 screen). The text layer follows the slides.
#[test]
fn epubjs_slides_fill_portrait_screens() {
    setup();
    let dir = tools::tempdir("deckconv-reader-fill");
    let mut table = String::from(
        "| device | screen (CSS px) | none | rotate | stack |\n|---|---|---|---|---|\n",
    );
    for device in DEVICES.iter().filter(|d| d.height > d.width) {
        let stage = (device.width / 2, device.height / 2);
        let mut row = format!("| {} | {}x{} |", device.name, stage.0, stage.1);
        for fit in [Fit::None, Fit::Rotate, Fit::Stack] {
            let options = OutputOptions {
                screen: DeviceOptions {
                    device: Some(device),
                    fit: Some(fit),
                    ..Default::default()
                },
                ..Default::default()
            };
            let name = format!("{}-{}.epub", device.name, fit.name());
            let book = fitted_book(dir.path(), &name, &options);
            let href = if fit == Fit::Stack {
                "pages/sheet-0001.xhtml"
            } else {
                "pages/slide-0002.xhtml"
            };
            let show = Show {
                stage,
                style: None,
                queries: &[],
            };
            let shot = format!("{}-{}.png", device.name, fit.name());
            let (image, shown) = screenshot(dir.path(), &book, href, &shot, &show);
            let (by_boxes, by_pixels) = covered(&shown, &image);
            let images = shown["images"].as_array().map_or(0, Vec::len);
            assert_eq!(images, if fit == Fit::Stack { 2 } else { 1 }, "{shown}");
            let least = match fit {
                Fit::None => 0.0,
                Fit::Rotate => 0.70,
                Fit::Stack => 0.80,
            };
            assert!(
                by_boxes >= least && (by_pixels - by_boxes).abs() < 0.03,
                "{name}: slides cover {by_boxes:.3} of the screen ({by_pixels:.3} by pixels): {shown}"
            );
            if fit == Fit::None {
                assert!(by_boxes < 0.45, "{name}: {by_boxes}");
            }
            // The layer is there, on the slides' pages: a stacked page holds slide 2's
            // heading and slide 1's title.
            let texts: Vec<&str> = shown["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["text"].as_str().unwrap())
                .collect();
            assert!(texts.contains(&"Decomposition"), "{name}: {texts:?}");
            row.push_str(&format!(" {:.1}% |", by_boxes * 100.0));
        }
        table.push_str(&row);
        table.push('\n');
    }
    eprintln!("{table}");
}

/// Reading systems' own style, as Foliate (`p, li, blockquote, dd { line-height: 1.4;
/// text-align: justify }` in its reader.js) and others (`font-size: … !important` on text
/// elements) apply it, made as hard on the layer as such rules get: every text element
/// resized, respaced and reset, with `!important`.
const READER_STYLE: &str = "p, li, blockquote, dd, div, span { font-size: 1em !important; \
    line-height: 1.4 !important; text-align: justify !important; \
    letter-spacing: normal !important; font-family: serif !important; }";

/// Words of `DECOMPOSITION` to search for: Chinese inside a run (`配置变更` in
/// `Apollo：配置变更秒级生效`), whole runs, English words at a line's start, middle and end.
const ALIGN_QUERIES: [&str; 8] = [
    "服务拆分",
    "Decomposition",
    "Apollo",
    "配置变更",
    "秒级生效",
    "Eureka",
    "Zipkin",
    "data",
];

/// The recognised box of `query` on `DECOMPOSITION` (in pixels of its 1280x720 image): the
/// union of the words it covers.
fn recognised_box(query: &str) -> [f64; 4] {
    for &(text, left, top, height) in DECOMPOSITION.lines {
        let Some(at) = text.find(query) else {
            continue;
        };
        let (start, end) = (
            text[..at].chars().count(),
            text[..at].chars().count() + query.chars().count(),
        );
        let recognised = line(text, left, top, height);
        // Each word's character span in the line.
        let mut pos = 0;
        let mut rest = text;
        let mut boxes = Vec::new();
        for word in &recognised.words {
            let skipped = rest.len() - rest.trim_start().len();
            pos += rest[..skipped].chars().count();
            rest = &rest[skipped..];
            let from = pos;
            pos += word.text.chars().count();
            rest = &rest[word.text.len()..];
            if from < end && pos > start {
                boxes.push(word.bbox);
            }
        }
        let b = boxes.iter().skip(1).fold(boxes[0], |a, b| a.union(b));
        return [b.left, b.top, b.right, b.bottom].map(f64::from);
    }
    panic!("{query} is on no line of the slide");
}

/// The text layer lines up under a reading system's style: each word epub.js finds on a
/// page lights up (the boxes of its match's range, what its highlight draws) where the
/// word was recognised on the slide, upright or turned with the slide (`--fit rotate`).
#[test]
fn found_words_light_up_where_they_were_seen_under_reader_styles() {
    setup();
    let dir = tools::tempdir("deckconv-reader-align");
    let plain = OutputOptions::default();
    let turned = OutputOptions {
        screen: DeviceOptions {
            device: deckconv::writer::devices::find("kobo-clara"),
            fit: Some(Fit::Rotate),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut worst: f64 = 0.0;
    for (name, options, stage) in [
        ("plain", &plain, (1280, 720)),
        ("turned", &turned, (536, 724)),
    ] {
        let book = fitted_book(dir.path(), &format!("{name}.epub"), options);
        let show = Show {
            stage,
            style: Some(READER_STYLE),
            queries: &ALIGN_QUERIES,
        };
        let (_, shown) = screenshot(
            dir.path(),
            &book,
            "pages/slide-0002.xhtml",
            &format!("align-{name}.png"),
            &show,
        );
        let [image_x, image_y, image_w, image_h] = reported_box(&shown["images"][0]);
        for query in ALIGN_QUERIES {
            let found: Vec<&Value> = shown["found"]
                .as_array()
                .unwrap()
                .iter()
                // Matches in the page's <title> (its heading) have no box.
                .filter(|f| f["query"] == query && !f["box"].is_null())
                .collect();
            assert_eq!(found.len(), 1, "{name}: {query}: {shown}");
            let [x, y, w, h] = reported_box(&found[0]["box"]);
            let [left, top, right, bottom] = recognised_box(query);
            // The slide's pixels (1280x720) to the frame's, upright or turned clockwise.
            let expected = if name == "turned" {
                let s = image_h / f64::from(WIDTH);
                let height = image_w / s;
                [
                    image_x + (height - bottom) * s,
                    image_y + left * s,
                    image_x + (height - top) * s,
                    image_y + right * s,
                ]
            } else {
                let s = image_w / f64::from(WIDTH);
                [
                    image_x + left * s,
                    image_y + top * s,
                    image_x + right * s,
                    image_y + bottom * s,
                ]
            };
            let got = [x, y, x + w, y + h];
            // Within a fifth of the line's height on every edge.
            let line_height = if name == "turned" {
                expected[2] - expected[0]
            } else {
                expected[3] - expected[1]
            };
            let off = got
                .iter()
                .zip(expected)
                .map(|(g, e)| (g - e).abs())
                .fold(0.0, f64::max);
            worst = worst.max(off / line_height);
            eprintln!(
                "{name} {query}: edges off by {off:.1} px, {:.0}% of the line height",
                100.0 * off / line_height
            );
            assert!(
                off <= 0.2 * line_height,
                "{name}: {query} lights up at {got:?}, recognised at {expected:?}: {shown}"
            );
        }
    }
    eprintln!("worst edge: {:.0}% of the line height", worst * 100.0);
}
