//! The strictness matrix: every kind of output deckconv writes, in every combination of layout,
//! paper, orientation, text layer and device, opened by the strict readers users have.
//!
//! A PDF must draw **no message at all** from Poppler (`pdftotext`, `pdftoppm`: Evince, Okular),
//! Ghostscript (`-dPDFSTOPONERROR`), MuPDF (`mutool draw`; only its own build note "ICC support
//! is not available" is ignored) and `qpdf --check`. Lenient readers (pdf.js) repair what these
//! report, so a test that reads text back is not enough: a layer glued to a sheet's drawing
//! (`...Tj ETBT`, `... re SBT`) passed those and failed all of these. An EPUB must draw no
//! EPUBCheck message; comicapi must read every CBZ.
//!
//! The slides are the fake recogniser's deck (PNG and JPEG, text on four of five slides), with
//! notes on every slide so the notes and ruled handout layouts draw text and lines.

use std::path::{Path, PathBuf};
use std::process::Command;

use deckconv::pipeline::ConvertOptions;
use deckconv::writer::devices;
use deckconv::writer::devices::{DeviceOptions, Fit};
use deckconv::writer::epub::EpubOptions;
use deckconv::writer::pdf::handout::{Layout, Orientation, Paper, SHEET_LAYOUTS};
use deckconv::writer::pdf::PdfOptions;
use deckconv::writer::OutputOptions;

use crate::tools::fake_ocr::{backend, deck, meta, ocr_options, slides, FakeRecognizer, TIMESTAMP};
use crate::tools::{self, TestSlide};

/// Every page layout: slides, then each sheet layout the PDF writer has.
pub fn layouts() -> Vec<&'static str> {
    std::iter::once("slides")
        .chain(SHEET_LAYOUTS.iter().map(|spec| spec.name))
        .collect()
}

/// The three sheet variants of the matrix.
const SHEETS: &[(&str, Paper, Orientation)] = &[
    ("a4", Paper::A4, Orientation::Portrait),
    ("letter", Paper::LETTER, Orientation::Portrait),
    ("landscape", Paper::A4, Orientation::Landscape),
];

/// The deck, each slide with notes (two lines, CJK and Latin).
pub fn noted_slides() -> Vec<TestSlide> {
    let mut slides = slides(&deck(), &[(2, "服务拆分的示意图")]);
    for (i, slide) in slides.iter_mut().enumerate() {
        slide.notes = format!(
            "第{}页的讲稿：配置中心与服务注册。\nSpeaker notes for slide {}, long enough to wrap \
             across the width of a notes area at least once.",
            i + 1,
            i + 1
        );
    }
    slides
}

pub fn run_options(ocr: bool) -> ConvertOptions {
    if ocr {
        ocr_options(&FakeRecognizer::new(), None)
    } else {
        tools::convert_options(TIMESTAMP)
    }
}

/// What a program said on stdout and stderr, and whether it failed.
fn output_of(cmd: &mut Command) -> (bool, String) {
    let program = format!("{cmd:?}");
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{program} not runnable ({e}): run .ci/run to install it"));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

/// Every message a strict PDF reader gives on `pdf`, one line each, naming the reader.
pub fn strict_pdf_findings(pdf: &Path) -> Vec<String> {
    let scratch = tools::tempdir("deckconv-strict-render");
    let render = scratch.path().join("page");
    let mut findings = Vec::new();
    let mut note = |reader: &str, ok: bool, said: &str, quiet: bool| {
        let messages: Vec<&str> = said
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.contains("ICC support is not available"))
            .collect();
        if !ok || (quiet && !messages.is_empty()) {
            findings.push(format!(
                "{reader}: {}{}",
                if ok { "" } else { "failed; " },
                messages.join(" | ")
            ));
        }
    };
    // pdftotext's stdout is the text itself: only its stderr counts.
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils): run .ci/run");
    note(
        "pdftotext",
        out.status.success(),
        &String::from_utf8_lossy(&out.stderr),
        true,
    );
    let (ok, said) = output_of(
        Command::new("pdftoppm")
            .args(["-r", "24", "-png"])
            .arg(pdf)
            .arg(&render),
    );
    note("pdftoppm", ok, &said, true);
    let (ok, said) = output_of(
        Command::new("gs")
            .args([
                "-q",
                "-dNOPAUSE",
                "-dBATCH",
                "-dSAFER",
                "-dPDFSTOPONERROR",
                "-sDEVICE=nullpage",
            ])
            .arg(pdf),
    );
    note("gs", ok, &said, true);
    let (ok, said) = output_of(
        Command::new("mutool")
            .args(["draw", "-q", "-r", "24", "-o"])
            .arg(scratch.path().join("mu-%d.png"))
            .arg(pdf),
    );
    note("mutool draw", ok, &said, true);
    let (ok, said) = output_of(Command::new("qpdf").arg("--check").arg(pdf));
    let clean = said.contains("No syntax or stream encoding errors") && !said.contains("WARNING");
    note("qpdf --check", ok && clean, &said, false);
    findings
}

/// Assert no finding in any output, listing every one that has some.
fn assert_all_clean(results: Vec<(String, Vec<String>)>) {
    let failed: Vec<String> = results
        .iter()
        .filter(|(_, findings)| !findings.is_empty())
        .map(|(name, findings)| format!("{name}:\n  {}", findings.join("\n  ")))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} outputs drew messages from strict readers:\n{}",
        failed.len(),
        results.len(),
        failed.join("\n")
    );
}

/// The PDF options of one cell of the matrix.
fn pdf_output(layout: &str, paper: Paper, orientation: Orientation) -> OutputOptions {
    OutputOptions {
        pdf: PdfOptions {
            layout: layout.parse::<Layout>().unwrap(),
            paper,
            orientation,
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Every (name, options) of the PDF matrix: each layout × {A4, Letter, landscape}; the slides
/// layout once (its pages are the slides' own size whatever the paper).
fn pdf_cells() -> Vec<(String, OutputOptions)> {
    let mut cells = Vec::new();
    for layout in layouts() {
        for (sheet, paper, orientation) in SHEETS {
            if layout == "slides" && *sheet != "a4" {
                continue;
            }
            cells.push((
                format!("{layout}-{sheet}"),
                pdf_output(layout, *paper, *orientation),
            ));
        }
    }
    cells
}

fn pdf_matrix(ocr: bool) {
    let dir = tools::tempdir("deckconv-strict-pdf");
    let work = tools::tempdir("deckconv-strict-work");
    let cells = pdf_cells();
    let built: Vec<(Box<dyn deckconv::writer::Backend>, PathBuf)> = cells
        .iter()
        .map(|(name, options)| {
            (
                backend("pdf", options),
                dir.path().join(format!("{name}.pdf")),
            )
        })
        .collect();
    let outputs: Vec<(&dyn deckconv::writer::Backend, &Path)> = built
        .iter()
        .map(|(b, path)| (b.as_ref(), path.as_path()))
        .collect();
    // One run writes every cell: each slide fetched and recognised once.
    tools::convert_with(
        work.path(),
        meta("微服务架构演进 Strict readers", false),
        &noted_slides(),
        &outputs,
        &run_options(ocr),
    )
    .unwrap();
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = built
            .iter()
            .map(|(_, path)| {
                scope.spawn(move || {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    (name, strict_pdf_findings(path))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<_>>()
    });
    assert_eq!(results.len(), 2 * 7 + 1 + 7);
    assert_all_clean(results);
}

#[test]
fn every_pdf_layout_and_paper_is_clean_in_strict_readers() {
    pdf_matrix(false);
}

#[test]
fn every_pdf_layout_and_paper_with_a_text_layer_is_clean_in_strict_readers() {
    pdf_matrix(true);
}

/// The EPUB variants: plain, for a grey and a colour device, Kobo, with a text layer.
#[test]
fn every_epub_variant_passes_epubcheck_without_a_message() {
    let dir = tools::tempdir("deckconv-strict-epub");
    let grey = devices::find("kindle-paperwhite").unwrap();
    let colour = devices::find("tablet").unwrap();
    let variants: Vec<(&str, OutputOptions, bool)> = vec![
        ("plain", OutputOptions::default(), false),
        (
            "device-grey",
            OutputOptions {
                screen: DeviceOptions {
                    device: Some(grey),
                    ..Default::default()
                },
                ..Default::default()
            },
            false,
        ),
        (
            "device-colour",
            OutputOptions {
                screen: DeviceOptions {
                    device: Some(colour),
                    color: true,
                    ..Default::default()
                },
                ..Default::default()
            },
            false,
        ),
        (
            "kobo",
            OutputOptions {
                epub: EpubOptions {
                    kobo: true,
                    ..Default::default()
                },
                ..Default::default()
            },
            false,
        ),
        ("ocr", OutputOptions::default(), true),
    ];
    // Every --fit on a portrait screen, with a text layer that follows the slides.
    let paperwhite = devices::find("kindle-paperwhite");
    let variants: Vec<(&str, OutputOptions, bool)> = variants
        .into_iter()
        .chain([Fit::Rotate, Fit::Stack].map(|fit| {
            (
                if fit == Fit::Stack {
                    "stack-ocr"
                } else {
                    "rotate-ocr"
                },
                OutputOptions {
                    screen: DeviceOptions {
                        device: paperwhite,
                        fit: Some(fit),
                        ..Default::default()
                    },
                    ..Default::default()
                },
                true,
            )
        }))
        .collect();
    let mut books = Vec::new();
    for (name, options, ocr) in &variants {
        let work = tools::tempdir("deckconv-strict-work");
        let book = dir.path().join(format!("{name}.epub"));
        let epub = backend("epub", options);
        tools::convert_with(
            work.path(),
            meta("微服务架构演进 Strict readers", false),
            &noted_slides(),
            &[(epub.as_ref(), &book)],
            &run_options(*ocr),
        )
        .unwrap();
        books.push(book);
    }
    // One after another: each EPUBCheck is a JVM of its own, and the other tests run beside.
    for book in &books {
        tools::assert_epubcheck_clean(book);
    }
}

/// CBZ as it is and for each device profile: comicapi reads every page.
#[test]
fn every_cbz_device_variant_is_read_by_comicapi() {
    let dir = tools::tempdir("deckconv-strict-cbz");
    let mut archives = Vec::new();
    let profiles = std::iter::once(None).chain(devices::DEVICES.iter().map(Some));
    for profile in profiles {
        let name = profile.map_or("as-is", |p| p.name);
        let options = OutputOptions {
            screen: DeviceOptions {
                device: profile,
                ..Default::default()
            },
            ..Default::default()
        };
        let work = tools::tempdir("deckconv-strict-work");
        let archive = dir.path().join(format!("{name}.cbz"));
        let cbz = backend("cbz", &options);
        tools::convert_with(
            work.path(),
            meta("微服务架构演进 Strict readers", false),
            &noted_slides(),
            &[(cbz.as_ref(), &archive)],
            &run_options(false),
        )
        .unwrap();
        archives.push((name, archive));
    }
    assert!(archives.len() > 3, "device profiles: {}", archives.len());
    for (name, archive) in &archives {
        let read = crate::cbz::comicapi_read(archive);
        // Every slide a page, and ComicInfo.xml read.
        assert!(
            read.contains("comic=True") && read.contains("pages=5") && read.contains("cix=True"),
            "{name}: {read}"
        );
    }
}

/// The matrix's own check must fail on the defect it is there for: a text layer glued to the
/// drawing before it (`ETBT`), as handouts with `--ocr` were written.
#[test]
fn the_strict_readers_catch_operators_run_together() {
    let dir = tools::tempdir("deckconv-strict-glued");
    let pdf = dir.path().join("glued.pdf");
    let content: &[u8] = b"BT /F1 12 Tf 72 720 Td (a) Tj ETBT 3 Tr /F1 12 Tf 72 700 Td (b) Tj ET\n\
                           0 0 10 10 re SBT ET";
    let mut w = pdf_writer::Pdf::new();
    let (catalog, pages, page, font, stream) = (
        pdf_writer::Ref::new(1),
        pdf_writer::Ref::new(2),
        pdf_writer::Ref::new(3),
        pdf_writer::Ref::new(4),
        pdf_writer::Ref::new(5),
    );
    w.catalog(catalog).pages(pages);
    w.pages(pages).kids([page]).count(1);
    let mut p = w.page(page);
    p.media_box(pdf_writer::Rect::new(0.0, 0.0, 595.0, 842.0))
        .parent(pages)
        .contents(stream);
    p.resources().fonts().pair(pdf_writer::Name(b"F1"), font);
    drop(p);
    w.type1_font(font).base_font(pdf_writer::Name(b"Helvetica"));
    w.stream(stream, content);
    std::fs::write(&pdf, w.finish()).unwrap();
    let findings = strict_pdf_findings(&pdf).join("\n");
    for reader in ["pdftotext", "pdftoppm", "gs", "mutool draw"] {
        assert!(
            findings.contains(&format!("{reader}:")),
            "{reader} should object to glued operators:\n{findings}"
        );
    }
}
