//! Fonts end to end: resolution (with the bundled fallback), subset embedding checked by
//! poppler (`pdffonts`, `pdftotext`), `qpdf --check`, and title pages rendered with
//! `pdftoppm`. The PDFs are minimal one-page documents built here around the title page's
//! content stream, independent of the full PDF writer.
//!
//! Renders are kept in `target/tmp/title-pages/` for looking at.

use crate::tools;
use tools::run;

use std::path::{Path, PathBuf};

use deckconv::fonts::{self, FontData};
use deckconv::model::DeckMeta;
use deckconv::writer::pdf::font::PdfFont;
use deckconv::writer::pdf::title_page::title_page;
use deckconv::writer::SlideInfo;

/// A book for the title page and the font it is drawn in.
#[derive(Clone)]
struct Book {
    meta: DeckMeta,
    slides: Vec<SlideInfo>,
    font: Option<FontData>,
    timestamp: i64,
    identifier: String,
}

impl Book {
    fn writer_book(&self) -> deckconv::writer::Book {
        deckconv::writer::Book::deck(
            self.meta.clone(),
            self.slides.clone(),
            self.timestamp,
            self.identifier.clone(),
        )
    }
}
use pdf_writer::{Finish, Name, Pdf, Rect, Ref};

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("title-pages");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn book(
    title: &str,
    author: Option<&str>,
    event: Option<&str>,
    source: &str,
    font: FontData,
) -> Book {
    Book {
        meta: DeckMeta {
            raw_title: Some(title.to_string()),
            title: title.to_string(),
            authors: author.map(str::to_string).into_iter().collect(),
            date: Some("2018-10-19".to_string()),
            event: event.map(str::to_string),
            lang: None,
            source: Some(source.to_string()),
            title_notes: Vec::new(),
            title_is_fallback: false,
            title_score: None,
        },
        slides: (0..12)
            .map(|i| SlideInfo {
                position: i + 1,
                label: (i + 4).to_string(),
                alt: String::new(),
                notes: String::new(),
                width: 1280,
                height: 720,
                text: None,
                talk: 0,
            })
            .collect(),
        font: Some(font),
        timestamp: 1_540_000_000,
        identifier: "test".to_string(),
    }
}

/// All the text a title page may show, as the pipeline gathers it for font resolution.
fn page_text(book: &Book) -> String {
    let m = &book.meta;
    let author_line = m.author_line();
    [
        Some(m.title.as_str()),
        author_line.as_deref(),
        m.event.as_deref(),
        m.date.as_deref(),
        m.source.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n")
        + "0123456789 /·–—:.,()Slides"
}

/// A one-page PDF: the title page of `book` at `width`×`height` pt.
fn title_pdf(book: &Book, width: f32, height: f32) -> Vec<u8> {
    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let pages = alloc.bump();
    let page = alloc.bump();
    let contents = alloc.bump();
    let font_ref = alloc.bump();
    let name = Name(b"F1");

    let mut font = PdfFont::new(book.font.as_ref().unwrap()).unwrap();
    let writer_book = book.writer_book();
    let card = deckconv::writer::pdf::title_page::TitleCard {
        meta: &writer_book.meta,
        count: deckconv::writer::locale::Words::for_meta(&writer_book.meta)
            .slide_count(writer_book.slides.len()),
        heading: pdf_writer::types::StructRole::H1,
    };
    let stream = title_page(
        &card,
        width,
        height,
        &mut font,
        name,
        &mut Default::default(),
    );

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.parent(pages)
        .media_box(Rect::new(0.0, 0.0, width, height))
        .contents(contents);
    p.resources().fonts().pair(name, font_ref);
    p.finish();
    pdf.stream(contents, &stream);
    let chunk = font.write(font_ref, &mut alloc).unwrap();
    pdf.extend(&chunk);
    pdf.finish()
}

/// Write the PDF, validate it, render it; returns (pdffonts, pdftotext) output.
fn check_pdf(stem: &str, bytes: &[u8]) -> (String, String) {
    let dir = out_dir();
    let pdf = dir.join(format!("{stem}.pdf"));
    std::fs::write(&pdf, bytes).unwrap();
    let pdf = pdf.to_str().unwrap();
    run("qpdf", &["--check", pdf]);
    let fonts = run("pdffonts", &[pdf]);
    let text = run("pdftotext", &["-enc", "UTF-8", pdf, "-"]);
    let png = dir.join(stem);
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "100",
            "-singlefile",
            pdf,
            png.to_str().unwrap(),
        ],
    );
    (fonts, text)
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The font line of `pdffonts`: embedded, subset, with ToUnicode, Identity-H.
fn assert_embedded_subset(fonts: &str) {
    let line = fonts
        .lines()
        .nth(2)
        .unwrap_or_else(|| panic!("no font: {fonts}"));
    let fields: Vec<&str> = line.split_whitespace().collect();
    let name = fields[0];
    assert_eq!(name.find('+'), Some(6), "{line}");
    assert!(name[..6].chars().all(|c| c.is_ascii_uppercase()), "{line}");
    assert!(line.contains("Identity-H"), "{line}");
    assert!(line.contains("CID"), "{line}");
    // emb sub uni
    let n = fields.len();
    assert_eq!(&fields[n - 5..n - 2], ["yes", "yes", "yes"], "{line}");
    assert_eq!(fonts.lines().count(), 3, "{fonts}");
}

/// Share of pixels darker than mid-grey in a rendered page, inside a band of rows.
fn ink(png: &Path, rows: std::ops::Range<f32>) -> f32 {
    let img = image_gray(png);
    let (w, h) = (img.0, img.1);
    let (r0, r1) = (
        (rows.start * h as f32) as usize,
        (rows.end * h as f32) as usize,
    );
    let dark = (r0..r1)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| img.2[y * w + x] < 128)
        .count();
    dark as f32 / ((r1 - r0) * w) as f32
}

fn image_gray(png: &Path) -> (usize, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let gray = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| {
            p[..channels.min(3)].iter().map(|&v| v as u32).sum::<u32>() / channels.min(3) as u32
        })
        .map(|v| v as u8)
        .collect();
    (info.width as usize, info.height as usize, gray)
}

#[test]
fn chinese_title_page_with_the_bundled_font() {
    let b = book(
        "0到3000万用户微服务之旅",
        Some("潘志伟"),
        Some("QCon Shanghai 2018"),
        "examples/qcon-shanghai-2018/deck.md",
        FontData::bundled(),
    );
    let (fonts, text) = check_pdf("chinese-bundled", &title_pdf(&b, 960.0, 540.0));
    assert_embedded_subset(&fonts);
    assert!(fonts.contains("NotoSansCJKsc-Regular"), "{fonts}");
    let text = squeeze(&text);
    for expected in [
        "0到3000万用户微服务之旅",
        "潘志伟",
        "QConShanghai2018",
        "12张幻灯片",
        "2018-10-19",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
    // Ink where the title is, none in the empty right-hand band of the footer.
    let png = out_dir().join("chinese-bundled.png");
    assert!(ink(&png, 0.2..0.6) > 0.01);
}

#[test]
fn bundled_font_subset_is_small() {
    let b = book(
        "0到3000万用户微服务之旅",
        Some("潘志伟"),
        None,
        "deck.md",
        FontData::bundled(),
    );
    let bytes = title_pdf(&b, 960.0, 540.0);
    // The whole bundled font is 1.5 MB; the subset for ~40 glyphs is a few KB.
    assert!(bytes.len() < 40_000, "{} bytes", bytes.len());
}

#[test]
fn output_is_reproducible() {
    let b = book(
        "微服务之旅 Go 2",
        Some("潘志伟"),
        None,
        "deck.md",
        FontData::bundled(),
    );
    assert_eq!(title_pdf(&b, 960.0, 540.0), title_pdf(&b, 960.0, 540.0));
}

#[test]
fn system_font_chain_covers_and_embeds() {
    // Whatever this machine has, the chain must end with a font covering the title.
    let mut b = book(
        "The past, present, and future of Go 2: a long English title that must wrap onto several lines",
        Some("Russ Cox"),
        Some("GopherCon 2019"),
        "https://raw.githubusercontent.com/hellojd2018/ms_document/master/Qcon/Qcon_shanghai_2018/deck.md",
        FontData::bundled(),
    );
    let resolved = fonts::resolve(None, &page_text(&b)).unwrap();
    assert!(resolved.uncovered.is_empty(), "{:?}", resolved.uncovered);
    eprintln!("system font for Latin: {}", resolved.font.name);
    b.font = Some(resolved.font);
    let (fonts, text) = check_pdf("english-long", &title_pdf(&b, 960.0, 540.0));
    assert_embedded_subset(&fonts);
    let text = squeeze(&text);
    assert!(text.contains("Thepast,present,andfutureofGo2"), "{text}");
    assert!(text.contains("RussCox"), "{text}");
}

const MIXED_TITLE: &str = "从单体到云原生：0到3000万用户微服务之旅 —— Kubernetes, Service Mesh, \
     Observability and the long road of 持续交付 at scale in 2018 and beyond, \
     with many lessons learned 经验与教训总结 and even more to come";

fn mixed_book(title: &str) -> Book {
    let text = format!("{title}潘志伟QCon Shanghai 2018");
    let resolved = fonts::resolve(None, &text).unwrap();
    assert!(resolved.uncovered.is_empty(), "{:?}", resolved.uncovered);
    eprintln!("system font for CJK: {}", resolved.font.name);
    book(
        title,
        Some("潘志伟"),
        Some("QCon Shanghai 2018"),
        "/home/someone/conferences/qcon/shanghai-2018/slides/最终版_潘志伟_0到3000万用户微服务之旅/\
         a-deck-with-a-very-long-path-name-that-goes-on-and-on-and-on-and-on-and-on/deck.md",
        resolved.font,
    )
}

#[test]
fn long_mixed_title_shrinks_to_three_lines() {
    let b = mixed_book(MIXED_TITLE);
    for (stem, w, h) in [
        ("mixed-long", 960.0, 540.0),
        ("mixed-long-a4", 595.0, 842.0),
    ] {
        let (fonts, text) = check_pdf(stem, &title_pdf(&b, w, h));
        assert_embedded_subset(&fonts);
        // The whole title is there, not cut.
        let squeezed = squeeze(&text);
        assert!(squeezed.contains(&squeeze(MIXED_TITLE)), "{stem}: {text}");
        assert!(
            !squeezed.contains('…') || !squeezed.contains("evenmoretocome…"),
            "{stem}: {text}"
        );
    }
}

#[test]
fn very_long_mixed_title_is_cut_after_three_lines() {
    let title = format!("{MIXED_TITLE}，{MIXED_TITLE}");
    let b = mixed_book(&title);
    let (fonts, text) = check_pdf("mixed-very-long", &title_pdf(&b, 960.0, 540.0));
    assert_embedded_subset(&fonts);
    let squeezed = squeeze(&text);
    assert!(squeezed.contains("从单体到云原生"), "{text}");
    assert!(!squeezed.contains(&squeeze(&title)), "{text}");
    // Title cut with an ellipsis after three lines, on a 16:9 and on a 4:3 slide.
    assert!(squeezed.contains('…'), "{text}");
    assert_eq!(title_lines(&text), 3, "{text}");
    let (_, text) = check_pdf(
        "mixed-long-4x3",
        &title_pdf(&mixed_book(MIXED_TITLE), 720.0, 540.0),
    );
    assert!(squeeze(&text).contains("从单体到云原生"), "{text}");
    assert_eq!(title_lines(&text), 3, "{text}");
}

/// Lines `pdftotext` finds before the author's name.
fn title_lines(text: &str) -> usize {
    text.lines()
        .take_while(|l| !l.contains("潘志伟"))
        .filter(|l| !l.trim().is_empty())
        .count()
}

#[test]
fn chinese_title_with_the_system_chain() {
    let b0 = book(
        "0到3000万用户微服务之旅",
        Some("潘志伟"),
        Some("QCon Shanghai 2018"),
        "examples/qcon-shanghai-2018/deck.md",
        FontData::bundled(),
    );
    let resolved = fonts::resolve(None, &page_text(&b0)).unwrap();
    assert!(resolved.uncovered.is_empty(), "{:?}", resolved.uncovered);
    let b = Book {
        font: Some(resolved.font),
        ..b0
    };
    let (fonts, text) = check_pdf("chinese-system", &title_pdf(&b, 960.0, 540.0));
    assert_embedded_subset(&fonts);
    assert!(squeeze(&text).contains("0到3000万用户微服务之旅"), "{text}");
}

#[test]
fn empty_database_falls_back_to_the_bundled_font() {
    let db = fontdb::Database::new();
    let resolved = fonts::resolve_with(&db, "最终版_潘志伟_0到3000万用户微服务之旅 QCon");
    assert!(
        resolved.font.name.contains("bundled"),
        "{}",
        resolved.font.name
    );
    assert!(resolved.uncovered.is_empty());
    // Characters outside GB2312 + Latin are named, each once, in code point order.
    let resolved = fonts::resolve_with(&db, "微服务 𠀀 😀 😀 ﷺ");
    assert_eq!(
        resolved.uncovered,
        vec!['\u{FDFA}', '\u{1F600}', '\u{20000}']
    );
}

#[test]
fn system_fonts_preferred_over_the_bundled_one() {
    let mut db = fontdb::Database::new();
    db.load_font_data(
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/NotoSansCJKsc-GB2312.otf"),
        )
        .unwrap(),
    );
    let resolved = fonts::resolve_with(&db, "微服务");
    // The database's copy (same font) is picked by its family name, not the bundled label.
    assert_eq!(resolved.font.name, "Noto Sans CJK SC");
    // A character it lacks makes it lose to nothing better: the bundled font, with the warning.
    let resolved = fonts::resolve_with(&db, "微服务😀");
    assert_eq!(resolved.uncovered, vec!['😀']);
}

#[test]
fn user_font_errors_and_success() {
    let dir = out_dir();
    let missing = dir.join("no-such-font.ttf");
    let err = fonts::resolve(Some(&missing), "abc").unwrap_err();
    assert!(err.to_string().contains("no-such-font.ttf"), "{err}");

    let garbage = dir.join("garbage.ttf");
    std::fs::write(&garbage, b"this is not a font").unwrap();
    let err = fonts::resolve(Some(&garbage), "abc").unwrap_err();
    assert!(err.to_string().contains("garbage.ttf"), "{err}");

    let bundled =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/NotoSansCJKsc-GB2312.otf");
    let resolved = fonts::resolve(Some(&bundled), "微服务😀").unwrap();
    assert_eq!(resolved.font.index, 0);
    assert_eq!(resolved.uncovered, vec!['😀']);
}

#[test]
fn ttc_user_font_picks_the_covering_face() {
    // Any TrueType collection on this machine, if there is one (Noto CJK on Debian).
    let ttc = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if !ttc.exists() {
        eprintln!("skipped: no {}", ttc.display());
        return;
    }
    let resolved = fonts::resolve(Some(ttc), "微服务").unwrap();
    assert!(resolved.uncovered.is_empty());
    let b = book("微服务之旅", None, None, "deck.md", resolved.font);
    let (fonts, text) = check_pdf("ttc-user-font", &title_pdf(&b, 960.0, 540.0));
    assert_embedded_subset(&fonts);
    assert!(squeeze(&text).contains("微服务之旅"));
}
