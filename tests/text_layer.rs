//! The `--ocr` text layers on real outputs, without OCR models: a fake recogniser gives each
//! slide a fixed page of words, plugged into the library's pipeline, and the PDF, handout,
//! EPUB and Kobo outputs are read back with poppler, qpdf and EPUBCheck.

use crate::tools;
use crate::tools::fake_ocr::*;

use std::path::{Path, PathBuf};

use deckconv::model::DeckMeta;
use deckconv::pipeline::ConvertOptions;
use deckconv::writer::pdf::handout::Layout;
use deckconv::writer::pdf::PdfOptions;
use deckconv::writer::OutputOptions;
use image::{ImageFormat, RgbImage};
use tools::{run, TestSlide};

const COVER_TITLE: &str = "微服务架构演进 From Monolith to Services";
/// The deck's own description of slide 3 (the EPUB tests give it).
const KAFKA_ALT: &str = "Kafka 架构图";

/// Lines of text, each trimmed with whitespace runs as single spaces; blank lines dropped.
fn normalized_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// `pdftotext` of one page (1-based), in reading order or (`raw`) content-stream order.
fn page_text(pdf: &Path, page: usize, raw: bool) -> String {
    let n = page.to_string();
    let mut args = vec!["-f", &n, "-l", &n, "-enc", "UTF-8"];
    if raw {
        args.push("-raw");
    }
    let path = pdf.to_string_lossy();
    args.extend([path.as_ref(), "-"]);
    run("pdftotext", &args)
}

/// The text layer's runs: each `<span>`'s text and the numbers of its style (`left`, `top`,
/// `font-size` …, in px).
fn layer_runs(page: &str) -> Vec<(String, Vec<(String, f64)>)> {
    let Some(start) = page.find("<div class=\"ocr\"") else {
        return Vec::new();
    };
    let layer = &page[start..];
    let layer = &layer[..layer.find("</div>").unwrap()];
    layer
        .split("<span ")
        .skip(1)
        .map(|span| {
            // A Kobo run has its kepub class and id before the style.
            let span = &span[span.find("style=\"").unwrap() + 7..];
            let style = &span[..span.find('"').unwrap()];
            let text = &span[span.find('>').unwrap() + 1..span.find("</span>").unwrap()];
            let numbers = style
                .split(';')
                .map(|decl| {
                    let (name, value) = decl.split_once(':').unwrap();
                    let value = value.trim_end_matches(" !important").trim_end_matches("px");
                    (name.to_string(), value.parse().unwrap())
                })
                .collect();
            (text.to_string(), numbers)
        })
        .collect()
}

/// What the layer's text reads as (its text content, white space collapsed).
fn layer_text(page: &str) -> String {
    let start = page.find("<div class=\"ocr\"").unwrap();
    let layer = &page[start..];
    let layer = &layer[layer.find('>').unwrap() + 1..layer.find("</div>").unwrap()];
    let mut text = String::new();
    let mut in_tag = false;
    for c in layer.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn expected_lines(spec: &Spec) -> Vec<String> {
    spec.lines.iter().map(|l| l.0.to_string()).collect()
}

/// Two Han characters of one line with white space between them: what the layer must
/// never give.
fn spaced_han(text: &str) -> bool {
    let han = |c: char| matches!(c as u32, 0x4E00..=0x9FFF);
    text.lines().any(|line| {
        let chars: Vec<char> = line.chars().collect();
        chars
            .windows(3)
            .any(|w| han(w[0]) && w[1].is_whitespace() && han(w[2]))
    })
}

/// The value of attribute `name` in `tag`'s text (`<word xMin="1.0" ...>`).
fn attr(tag: &str, name: &str) -> Option<f32> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[start..].find('"')? + start;
    tag[start..end].parse().ok()
}

fn outline_titles(pdf: &Path) -> Vec<String> {
    let json = run(
        "qpdf",
        &["--json=2", "--json-key=outlines", &pdf.to_string_lossy()],
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap().to_string())
        .collect()
}

/// Page `page` (1-based) rendered by poppler at 36 dpi.
fn render(pdf: &Path, page: usize, dir: &Path, name: &str) -> RgbImage {
    let n = page.to_string();
    let prefix = dir.join(name);
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "36",
            "-f",
            &n,
            "-l",
            &n,
            "-singlefile",
            &pdf.to_string_lossy(),
            &prefix.to_string_lossy(),
        ],
    );
    image::open(prefix.with_extension("png")).unwrap().to_rgb8()
}

fn pdf_title(pdf: &Path) -> String {
    run("pdfinfo", &[&pdf.to_string_lossy()])
        .lines()
        .find_map(|l| l.strip_prefix("Title:"))
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

#[test]
fn pdf_slides_carry_an_invisible_searchable_layer() {
    let dir = tools::tempdir("deckconv-layer-pdf");
    let specs = deck();
    let slides = slides(&specs, &[]);
    let recognizer = FakeRecognizer::new();
    let pdf = dir.path().join("ocr.pdf");
    let plain = dir.path().join("plain.pdf");
    let backend = pdf_backend();
    convert_one(
        meta("0到3000万用户微服务之旅", false),
        &slides,
        backend.as_ref(),
        &pdf,
        &ocr_options(&recognizer, None),
    );
    convert_one(
        meta("0到3000万用户微服务之旅", false),
        &slides,
        backend.as_ref(),
        &plain,
        &tools::convert_options(TIMESTAMP),
    );
    assert_eq!(recognizer.calls(), specs.len());
    let path = pdf.to_string_lossy();
    tools::qpdf_check(&path);
    assert_eq!(tools::pdf_pages(&pdf), 1 + specs.len());

    // Each slide page (after the title page) reads back as exactly its lines, in order.
    for (i, spec) in specs.iter().enumerate() {
        let text = page_text(&pdf, i + 2, false);
        assert_eq!(
            normalized_lines(&text),
            expected_lines(spec),
            "slide {}: {text:?}",
            i + 1
        );
        assert!(!spaced_han(&text), "slide {}: {text:?}", i + 1);
    }
    // Without --ocr the slides have no text at all.
    assert!(normalized_lines(&page_text(&plain, 3, false)).is_empty());

    // The glyphless font, with a ToUnicode map, only where there is a layer.
    let fonts = run("pdffonts", &[&path]);
    let glyphless: Vec<&str> = fonts
        .lines()
        .find(|l| l.starts_with("GlyphLessFont"))
        .unwrap_or_else(|| panic!("no GlyphLessFont in\n{fonts}"))
        .split_whitespace()
        .collect();
    assert_eq!(glyphless[glyphless.len() - 3], "yes", "uni column: {fonts}");
    assert!(!run("pdffonts", &[&plain.to_string_lossy()]).contains("GlyphLessFont"));

    // The outline names slides by number and heading, "Slide N" when nothing was read.
    let titles = outline_titles(&pdf);
    assert_eq!(
        titles,
        [
            "0到3000万用户微服务之旅",
            "1 · 微服务架构演进",
            &format!("2 · {HEADING}"),
            "3 · 消息队列 Kafka",
            "Slide 4",
            "5 · Thank you",
        ]
    );

    // The JPEG slide is still passed through byte for byte.
    let bytes = std::fs::read(&pdf).unwrap();
    let jpeg = &slides[1].bytes;
    assert!(
        bytes.windows(jpeg.len()).any(|w| w == jpeg.as_slice()),
        "the JPEG slide's bytes are not in the PDF"
    );

    // The layer is invisible: the page renders exactly as without it.
    let with_layer = render(&pdf, 3, dir.path(), "ocr");
    let without = render(&plain, 3, dir.path(), "plain");
    assert_eq!(with_layer.dimensions(), without.dimensions());
    assert!(
        with_layer.as_raw() == without.as_raw(),
        "the text layer changes the rendered pixels"
    );
    let png_with = render(&pdf, 4, dir.path(), "ocr-png");
    let png_without = render(&plain, 4, dir.path(), "plain-png");
    assert!(png_with.as_raw() == png_without.as_raw());

    // Set in render mode 3 (invisible), the way OCR layers are, not merely with empty glyphs.
    let qdf = dir.path().join("ocr-qdf.pdf");
    run(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            &path,
            &qdf.to_string_lossy(),
        ],
    );
    let qdf = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
    assert!(qdf.contains("3 Tr"), "no text in render mode 3");
    assert!(!qdf.contains("0 Tr"), "visible text on a slide page");

    // Words sit where they were seen: `Apollo` starts at its box's left, scaled to points.
    assert_apollo_where_seen(&pdf, 3);
}

/// On PDF page `page` (slide DECOMPOSITION filling it), `pdftotext -bbox` puts the word
/// `Apollo` at its box, scaled from image pixels to points.
fn assert_apollo_where_seen(pdf: &Path, page: usize) {
    let n = page.to_string();
    let path = pdf.to_string_lossy();
    let html = run("pdftotext", &["-bbox", "-f", &n, "-l", &n, &path, "-"]);
    let page_tag = html.split("<page ").nth(1).expect("a page in -bbox output");
    let scale = attr(page_tag, "width").unwrap() / WIDTH as f32;
    let (text, left, top, height) = DECOMPOSITION.lines[1];
    let apollo = line(text, left, top, height)
        .words
        .into_iter()
        .find(|w| w.text == "Apollo")
        .unwrap();
    let word_tag = html
        .split("<word ")
        .find(|w| w.split('>').nth(1).is_some_and(|t| t.starts_with("Apollo")))
        .unwrap_or_else(|| panic!("no word Apollo in\n{html}"));
    let x_min = attr(word_tag, "xMin").unwrap();
    let y_min = attr(word_tag, "yMin").unwrap();
    assert!(
        (x_min - apollo.bbox.left * scale).abs() < 2.0,
        "Apollo at x {x_min}, its box at {}",
        apollo.bbox.left * scale
    );
    assert!(
        (y_min - apollo.bbox.top * scale).abs() < 4.0,
        "Apollo at y {y_min}, its box at {}",
        apollo.bbox.top * scale
    );
}

/// A JPEG stored turned (EXIF orientation 6) is recognised upright and its layer set over
/// the upright slide, while its bytes still pass through.
#[test]
fn exif_turned_jpeg_gets_its_words_where_they_are_seen() {
    let dir = tools::tempdir("deckconv-layer-exif");
    let upright = image::load_from_memory(&image_of(&DECOMPOSITION)).unwrap();
    let mut stored = std::io::Cursor::new(Vec::new());
    upright
        .rotate270()
        .write_to(&mut stored, ImageFormat::Jpeg)
        .unwrap();
    let turned = tools::with_orientation(&stored.into_inner(), 6);
    let info = deckconv::normalize::probe(&turned, &Default::default()).unwrap();
    assert_eq!(
        (info.orientation, info.display_size()),
        (6, (WIDTH, HEIGHT))
    );
    let mut slides = slides(&[&COVER], &[]);
    slides.push(TestSlide::new("2", turned.clone()));
    let pdf = dir.path().join("exif.pdf");
    convert_one(
        meta("0到3000万用户微服务之旅", false),
        &slides,
        pdf_backend().as_ref(),
        &pdf,
        &ocr_options(&FakeRecognizer::new(), None),
    );
    tools::qpdf_check(&pdf.to_string_lossy());
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        bytes.windows(turned.len()).any(|w| w == turned.as_slice()),
        "the turned JPEG was re-encoded"
    );
    assert_eq!(
        normalized_lines(&page_text(&pdf, 3, false)),
        expected_lines(&DECOMPOSITION)
    );
    assert_apollo_where_seen(&pdf, 3);
}

#[test]
fn handout_sheets_carry_each_slides_text() {
    let dir = tools::tempdir("deckconv-layer-handout");
    let specs = deck();
    let options = OutputOptions {
        pdf: PdfOptions {
            layout: "handout-4".parse::<Layout>().unwrap(),
            ..Default::default()
        },
        ..Default::default()
    };
    let backend = backend("pdf", &options);
    let pdf = dir.path().join("handout.pdf");
    convert_one(
        meta("0到3000万用户微服务之旅", false),
        &slides(&specs, &[]),
        backend.as_ref(),
        &pdf,
        &ocr_options(&FakeRecognizer::new(), None),
    );
    tools::qpdf_check(&pdf.to_string_lossy());
    // The title page, then slides 1-4 on one sheet and slide 5 on the next.
    assert_eq!(tools::pdf_pages(&pdf), 3);
    for (page, on_sheet) in [(2, &specs[..4]), (3, &specs[4..])] {
        let text = normalized_lines(&page_text(&pdf, page, true)).join("\n");
        for spec in on_sheet {
            for expected in expected_lines(spec) {
                assert!(
                    text.contains(&expected),
                    "sheet {page}: {expected:?} in {text:?}"
                );
            }
        }
    }
    let first = page_text(&pdf, 2, true);
    assert!(!first.contains("Thank you"), "slide 5 on sheet 1: {first}");
}

const TEXTUAL_SUFFICIENT: &str = "<meta property=\"schema:accessModeSufficient\">textual</meta>";

#[test]
fn epub_pages_carry_the_text_and_describe_the_images() {
    let dir = tools::tempdir("deckconv-layer-epub");
    let specs = deck();
    let backend = epub_backend(false);
    let path = dir.path().join("ocr.epub");
    convert_one(
        meta("0到3000万用户微服务之旅", false),
        &slides(&specs, &[(3, KAFKA_ALT)]),
        backend.as_ref(),
        &path,
        &ocr_options(&FakeRecognizer::new(), None),
    );
    let book = entries(&path);

    let page = slide_page(&book, 2);
    // The layer reads as the recognised lines, spaces between them: a search across words
    // finds them. No <p>: reading systems restyle paragraphs.
    assert_eq!(
        layer_text(page),
        expected_lines(&DECOMPOSITION).join(" "),
        "{page}"
    );
    assert!(!page.contains("<p"), "{page}");
    // Positions in tenths of a pixel, not float noise.
    for (_, style) in layer_runs(page) {
        for (name, value) in style {
            let decimals = format!("{value}").split('.').nth(1).unwrap_or("").len();
            assert!(decimals <= 1, "{name}: {value}");
        }
    }
    // No description in the deck: the recognised text describes the image.
    assert_eq!(img_alt(page), expected_lines(&DECOMPOSITION).join(" "));
    // The deck's own description wins.
    assert_eq!(img_alt(slide_page(&book, 3)), KAFKA_ALT);
    assert!(slide_page(&book, 3).contains(">订单事件异步处理</span>"));
    // Nothing recognised, nothing laid over.
    assert!(!slide_page(&book, 4).contains("class=\"ocr\""));

    let nav = &book["OEBPS/nav.xhtml"];
    for label in [
        format!(">2 · {HEADING}</a>"),
        "1 · 微服务架构演进</a>".into(),
        format!(">{KAFKA_ALT}</a>"),
        ">Slide 4</a>".into(),
    ] {
        assert!(nav.contains(&label), "{label} in\n{nav}");
    }

    // Slide 4 is a photo without text: the images are still needed.
    let opf = &book["OEBPS/package.opf"];
    assert!(!opf.contains(TEXTUAL_SUFFICIENT), "{opf}");
    assert!(opf.contains("<meta property=\"schema:accessMode\">textual</meta>"));
    assert!(opf.contains("recognised automatically"), "{opf}");
    tools::assert_epubcheck_clean(&path);

    // Every slide with text: text alone suffices.
    let all_text: Vec<&Spec> = vec![&COVER, &DECOMPOSITION, &KAFKA, &THANKS];
    let textual = dir.path().join("textual.epub");
    convert_one(
        meta("0到3000万用户微服务之旅", false),
        &slides(&all_text, &[]),
        backend.as_ref(),
        &textual,
        &ocr_options(&FakeRecognizer::new(), None),
    );
    let opf = &entries(&textual)["OEBPS/package.opf"];
    assert!(opf.contains(TEXTUAL_SUFFICIENT), "{opf}");
    assert!(opf.contains("recognised on it automatically"), "{opf}");
}

/// On an e-reader the slides are fitted to its screen: the lines follow them, upright
/// (`--fit none`) or turned with the image (`--fit rotate`, the Clara's default).
#[test]
fn epub_layer_follows_slides_fitted_to_a_reader() {
    use deckconv::writer::devices::{find, DeviceOptions, Fit};
    let dir = tools::tempdir("deckconv-layer-fitted");
    for fit in [Fit::None, Fit::Rotate] {
        let options = OutputOptions {
            screen: DeviceOptions {
                device: find("kobo-clara"),
                fit: Some(fit),
                ..Default::default()
            },
            ..Default::default()
        };
        let path = dir.path().join(format!("clara-{}.epub", fit.name()));
        // A 1920x1080 slide, larger than the reader's screen.
        let slide = TestSlide::new("1", image_sized(&DECOMPOSITION, 1920, 1080));
        convert_one(
            meta("0到3000万用户微服务之旅", false),
            &[slide],
            backend("epub", &options).as_ref(),
            &path,
            &ocr_options(&FakeRecognizer::new(), None),
        );
        tools::assert_epubcheck_clean(&path);
        let book = entries(&path);
        let page = slide_page(&book, 1);
        let viewport = &page[page.find("content=\"width=").unwrap() + 15..];
        let (w, rest) = viewport.split_once(", height=").unwrap();
        let w: f64 = w.parse().unwrap();
        let h: f64 = rest[..rest.find('"').unwrap()].parse().unwrap();
        // The slide upright, as shown: 1448x814 on the Clara's 1072x1448 screen.
        let upright = if fit == Fit::Rotate {
            assert!(h > w, "not turned: {page}");
            assert!(
                page.contains(&format!(
                    "style=\"width:{h}px;height:{w}px;transform-origin:0 0;transform:translate({w}px,0) rotate(90deg)\""
                )),
                "the layer turns with the image: {page}"
            );
            h
        } else {
            assert!(w > h, "turned: {page}");
            w
        };
        assert!(upright < 1920.0, "not fitted: {page}");
        let scale = upright / f64::from(WIDTH);
        let (_, left, top, _) = DECOMPOSITION.lines[1];
        let runs = layer_runs(page);
        let (_, style) = runs
            .iter()
            .find(|(text, _)| text == "配置中心")
            .unwrap_or_else(|| panic!("配置中心 in {page}"));
        let px = |name: &str| style.iter().find(|(n, _)| n == name).unwrap().1;
        assert!(
            (px("left") - f64::from(left) * scale).abs() < 0.2,
            "{style:?}"
        );
        assert!(
            (px("top") - f64::from(top) * scale).abs() < 0.2,
            "{style:?}"
        );
    }
}

/// The kepub spans' ids in `page`, in document order.
fn kobo_ids(page: &str) -> Vec<String> {
    page.split("class=\"koboSpan\" id=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

/// `--kobo` pages carry the same text layer as the plain book's, each run a kepub span
/// (`kobo.1.2`, `kobo.1.3`, … after the image's `kobo.1.1`), placed and sized as in the
/// plain book: Kobo's renderer highlights and searches koboSpans.
#[test]
fn kobo_pages_carry_the_layer_as_kepub_spans() {
    let dir = tools::tempdir("deckconv-layer-kobo");
    let specs = deck();
    let mut books = Vec::new();
    for kobo in [false, true] {
        let path = dir
            .path()
            .join(if kobo { "ocr.kepub.epub" } else { "ocr.epub" });
        convert_one(
            meta("0到3000万用户微服务之旅", false),
            &slides(&specs, &[]),
            epub_backend(kobo).as_ref(),
            &path,
            &ocr_options(&FakeRecognizer::new(), None),
        );
        books.push((path.clone(), entries(&path)));
    }
    let (plain, kobo) = (&books[0].1, &books[1].1);
    for (i, spec) in specs.iter().enumerate() {
        let page = slide_page(kobo, i + 1);
        assert!(!page.contains("<p"), "{page}");
        assert_eq!(page.matches("<img ").count(), 1, "{page}");
        assert!(
            page.contains("<div id=\"book-columns\"><div id=\"book-inner\"><span class=\"koboSpan\" id=\"kobo.1.1\"><img "),
            "slide {}: {page}",
            i + 1
        );
        let runs = layer_runs(page);
        assert_eq!(
            runs,
            layer_runs(slide_page(plain, i + 1)),
            "slide {}",
            i + 1
        );
        let ids = kobo_ids(page);
        let expected: Vec<String> = (1..=runs.len() + 1)
            .map(|s| format!("kobo.1.{s}"))
            .collect();
        assert_eq!(ids, expected, "slide {}: {page}", i + 1);
        if !spec.lines.is_empty() {
            assert_eq!(layer_text(page), expected_lines(spec).join(" "));
            assert_eq!(img_alt(page), expected_lines(spec).join(" "));
        }
    }
    assert!(!slide_page(plain, 2).contains("koboSpan"));
    tools::assert_epubcheck_clean(&books[1].0);
}

#[test]
fn recognised_pages_are_cached_and_shared_by_outputs() {
    let dir = tools::tempdir("deckconv-layer-cache");
    let cache = dir.path().join("ocr-cache");
    let specs = deck();
    let slides = slides(&specs, &[]);
    let backend = pdf_backend();
    let first = dir.path().join("first.pdf");
    let second = dir.path().join("second.pdf");
    let recognizer = FakeRecognizer::new();
    convert_one(
        meta("0到3000万用户微服务之旅", false),
        &slides,
        backend.as_ref(),
        &first,
        &ocr_options(&recognizer, Some(cache.clone())),
    );
    assert_eq!(recognizer.calls(), specs.len());
    let again = FakeRecognizer::new();
    convert_one(
        meta("0到3000万用户微服务之旅", false),
        &slides,
        backend.as_ref(),
        &second,
        &ocr_options(&again, Some(cache)),
    );
    assert_eq!(again.calls(), 0, "the second run recognised slides again");
    assert!(
        std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
        "the cached text gives another PDF"
    );
    assert_eq!(
        normalized_lines(&page_text(&second, 3, false)),
        expected_lines(&DECOMPOSITION)
    );

    // Two formats in one run: each slide is recognised once.
    let shared = FakeRecognizer::new();
    let epub = epub_backend(false);
    let work = tools::tempdir("deckconv-layer-work");
    let pdf = dir.path().join("both.pdf");
    let book = dir.path().join("both.epub");
    let written = tools::convert_with(
        work.path(),
        meta("0到3000万用户微服务之旅", false),
        &slides,
        &[(backend.as_ref(), &pdf), (epub.as_ref(), &book)],
        &ocr_options(&shared, None),
    )
    .unwrap();
    assert_eq!(written, [pdf.clone(), book.clone()]);
    assert_eq!(shared.calls(), specs.len());
    assert!(slide_page(&entries(&book), 2).contains(">Apollo：配置变更秒级生效</span>"));
}

#[test]
fn cover_text_titles_a_deck_that_names_no_talk() {
    let dir = tools::tempdir("deckconv-layer-title");
    let specs = deck();
    let slides = slides(&specs, &[]);
    let pdf = pdf_backend();
    let epub = epub_backend(false);
    let convert = |meta: DeckMeta, name: &str| -> (PathBuf, PathBuf) {
        let work = tools::tempdir("deckconv-layer-work");
        let (p, e) = (
            dir.path().join(format!("{name}.pdf")),
            dir.path().join(format!("{name}.epub")),
        );
        tools::convert_with(
            work.path(),
            meta,
            &slides,
            &[(pdf.as_ref(), &p), (epub.as_ref(), &e)],
            &ocr_options(&FakeRecognizer::new(), None),
        )
        .unwrap();
        (p, e)
    };
    // The stand-in title gives way to the cover's two large lines, joined.
    let (p, e) = convert(meta("陈思远", true), "fallback");
    assert_eq!(pdf_title(&p), COVER_TITLE);
    assert_eq!(outline_titles(&p)[0], COVER_TITLE);
    let title_page = normalized_lines(&page_text(&p, 1, false)).join(" ");
    assert!(title_page.contains("From Monolith"), "{title_page}");
    let opf = &entries(&e)["OEBPS/package.opf"];
    assert!(
        opf.contains(&format!("<dc:title id=\"title\">{COVER_TITLE}</dc:title>")),
        "{opf}"
    );
    // A title the deck gives stays.
    let (p, e) = convert(meta("0到3000万用户微服务之旅", false), "titled");
    assert_eq!(pdf_title(&p), "0到3000万用户微服务之旅");
    let opf = &entries(&e)["OEBPS/package.opf"];
    assert!(opf.contains("<dc:title id=\"title\">0到3000万用户微服务之旅</dc:title>"));
}

/// A Latin stand-in title, no `--font`: the font is chosen before the cover is read, so it
/// must cover the recognised script or the Chinese cover title loses its Han characters.
#[test]
fn cover_title_in_another_script_gets_a_font_that_draws_it() {
    let han_fonts = std::process::Command::new("fc-list")
        .args([":lang=zh", "family"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    if han_fonts.is_empty() {
        eprintln!("SKIPPED: no system font covers Chinese (fc-list :lang=zh)");
        return;
    }
    let dir = tools::tempdir("deckconv-layer-script");
    let latin = DeckMeta {
        authors: vec!["John Smith".into()],
        event: Some("GOTO Berlin".into()),
        ..meta("John Smith", true)
    };
    let options = ConvertOptions {
        font: None,
        ..ocr_options(&FakeRecognizer::new(), None)
    };
    let pdf = dir.path().join("latin.pdf");
    convert_one(
        latin,
        &slides(&deck(), &[]),
        pdf_backend().as_ref(),
        &pdf,
        &options,
    );
    assert_eq!(pdf_title(&pdf), COVER_TITLE);
    let title_page = normalized_lines(&page_text(&pdf, 1, false)).join(" ");
    assert!(
        title_page.contains("微服务架构演进"),
        "the title page lost the Han of its title: {title_page:?}\n{}",
        run("pdffonts", &[&pdf.to_string_lossy()])
    );
}

/// Every event of a run, as its debug text.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<String>>);

impl deckconv::report::Reporter for Recorder {
    fn report(&self, event: &deckconv::report::Event<'_>) {
        self.0.lock().unwrap().push(format!("{event:?}"));
    }
}

impl Recorder {
    fn count(&self, prefix: &str) -> usize {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.starts_with(prefix))
            .count()
    }
}

/// A slide the recogniser fails on is reported and kept, without text; the cover title is
/// announced once per deck, however many outputs.
#[test]
fn a_failed_recognition_is_reported_and_the_slide_kept() {
    let dir = tools::tempdir("deckconv-layer-failed");
    let unknown = Spec {
        colour: [255, 0, 255],
        lines: &[],
        jpeg: false,
    };
    let slides = slides(&[&COVER, &unknown, &DECOMPOSITION], &[]);
    let (pdf, epub) = (pdf_backend(), epub_backend(false));
    let (p, e) = (dir.path().join("f.pdf"), dir.path().join("f.epub"));
    let work = tools::tempdir("deckconv-layer-work");
    let recorder = Recorder::default();
    let recognizer = FakeRecognizer::new();
    tools::convert_reporting(
        work.path(),
        meta("陈思远", true),
        &slides,
        &[(pdf.as_ref(), &p), (epub.as_ref(), &e)],
        &ocr_options(&recognizer, None),
        &recorder,
    )
    .unwrap();
    assert_eq!(recognizer.calls(), 3);
    assert_eq!(recorder.count("NotRecognized { position: 2,"), 1);
    assert_eq!(recorder.count("SlideRecognized"), 2);
    assert_eq!(recorder.count("CoverTitle"), 1, "{:#?}", recorder.0);
    assert_eq!(tools::pdf_pages(&p), 4);
    assert!(normalized_lines(&page_text(&p, 3, false)).is_empty());
    assert_eq!(
        normalized_lines(&page_text(&p, 4, false)),
        expected_lines(&DECOMPOSITION)
    );
    assert_eq!(outline_titles(&p)[2], "Slide 2");
    let book = entries(&e);
    assert!(!slide_page(&book, 2).contains("class=\"ocr\""));
    assert_eq!(pdf_title(&p), COVER_TITLE);

    // Cached pages are reported as such.
    let cache = dir.path().join("cache");
    for cached in [false, true] {
        let recorder = Recorder::default();
        tools::convert_reporting(
            work.path(),
            meta("陈思远", false),
            &slides,
            &[(pdf.as_ref(), &p)],
            &ocr_options(&FakeRecognizer::new(), Some(cache.clone())),
            &recorder,
        )
        .unwrap();
        let events = recorder.0.lock().unwrap();
        let recognized: Vec<&String> = events
            .iter()
            .filter(|e| e.starts_with("SlideRecognized"))
            .collect();
        // Slide 2 failed: it is not cached and fails again.
        assert_eq!(recognized.len(), 2, "{events:#?}");
        let said = format!("cached: {cached} }}");
        assert!(recognized.iter().all(|e| e.ends_with(&said)), "{events:#?}");
    }
}

/// The cover checks a title read from the deck's own words: it confirms one that matches
/// (however punctuated), corrects a weak one (one word), and a clear one that disagrees stays;
/// one event says which won and why.
#[test]
fn cover_text_confirms_or_corrects_the_title() {
    let dir = tools::tempdir("deckconv-layer-cover-check");
    let slides = slides(&[&COVER, &DECOMPOSITION], &[]);
    let pdf = pdf_backend();
    let convert = |title: &str, score: u32, name: &str| -> (String, Vec<String>) {
        let work = tools::tempdir("deckconv-layer-work");
        let p = dir.path().join(format!("{name}.pdf"));
        let recorder = Recorder::default();
        let mut m = meta(title, false);
        m.title_score = Some(score);
        tools::convert_reporting(
            work.path(),
            m,
            &slides,
            &[(pdf.as_ref(), &p)],
            &ocr_options(&FakeRecognizer::new(), None),
            &recorder,
        )
        .unwrap();
        let events: Vec<String> = recorder
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.starts_with("CoverTitle"))
            .cloned()
            .collect();
        assert_eq!(events.len(), 1, "{events:?}");
        (pdf_title(&p), events)
    };
    // One word from the file name: the cover's talk wins.
    let (title, events) = convert("Monolith", 1, "weak");
    assert_eq!(title, COVER_TITLE);
    assert!(events[0].contains("verdict: Corrects"), "{events:?}");
    // The same title, punctuated otherwise: confirmed, the deck's spelling kept.
    let same = "微服务架构演进：From Monolith to Services";
    let (title, events) = convert(same, 16, "same");
    assert_eq!(title, same);
    assert!(events[0].contains("verdict: Confirms"), "{events:?}");
    // A clear title that the cover does not show: it stays.
    let (title, events) = convert("订单系统的分库分表实践", 12, "clear");
    assert_eq!(title, "订单系统的分库分表实践");
    assert!(events[0].contains("verdict: Overruled"), "{events:?}");
}
