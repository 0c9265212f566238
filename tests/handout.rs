//! Handout and notes layouts, through the real binary on the bundled example deck (12 slides,
//! 960×540) and a small deck with notes: page counts, paper sizes and orientation, one image
//! object per slide placed by reference, placements per sheet, note lines, notes text,
//! outline and page labels, lossless JPEGs, and the flags' usage errors.

use crate::tools;
use tools::run;

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;

use deckconv::writer::pdf::handout::{self, Layout, Order, Orientation, Paper, NOTE_LINE_GAP};

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qcon-shanghai-2018")
}

fn example_deck() -> PathBuf {
    example_dir().join("deck.md")
}

fn deckconv(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deckconv").expect("binary built");
    cmd.current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1557734400")
        // The default paper follows the locale; tests say which they mean.
        .env_remove("LC_ALL")
        .env_remove("LC_PAPER")
        .env("LANG", "C.UTF-8");
    cmd
}

/// Convert `deck` with `args` into `dir/name.pdf`; panics with stderr on failure.
fn convert(dir: &Path, deck: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(format!("{name}.pdf"));
    deckconv(dir)
        .arg(deck)
        .args(["--pdf", "-q", "-o"])
        .arg(&out)
        .args(args)
        .assert()
        .success();
    out
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn page_count(pdf: &Path) -> usize {
    let info = run("pdfinfo", &[path_str(pdf)]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Every page's size in points, rounded: [(w, h), …].
fn page_sizes(pdf: &Path) -> Vec<(i32, i32)> {
    let pages = page_count(pdf).to_string();
    run("pdfinfo", &["-f", "1", "-l", &pages, path_str(pdf)])
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            let dims: Vec<f32> = l
                .split_once("size:")
                .unwrap()
                .1
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (dims[0].round() as i32, dims[1].round() as i32)
        })
        .collect()
}

fn qpdf_check(pdf: &Path) {
    tools::qpdf_check(path_str(pdf));
}

/// `pdfimages -list` rows of real images (soft masks left out): (page, object id).
fn image_placements(pdf: &Path) -> Vec<(usize, u32)> {
    run("pdfimages", &["-list", path_str(pdf)])
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|r| r.len() > 11 && r[2] == "image")
        .map(|r| (r[0].parse().unwrap(), r[10].parse().unwrap()))
        .collect()
}

/// The uncompressed content stream of each page (1-based index → text), via qpdf's QDF form.
fn content_streams(pdf: &Path, dir: &Path) -> HashMap<usize, String> {
    let qdf = dir.join("qdf.pdf");
    let status = Process::new("qpdf")
        .args(["--qdf", "--object-streams=disable", path_str(pdf)])
        .arg(&qdf)
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = fs::read(&qdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let mut pages = HashMap::new();
    for part in text.split("%% Contents for page ").skip(1) {
        let (number, rest) = part.split_once('\n').unwrap();
        let stream = rest
            .split_once("stream\n")
            .unwrap()
            .1
            .split_once("endstream")
            .unwrap()
            .0;
        pages.insert(number.trim().parse().unwrap(), stream.to_string());
    }
    pages
}

/// How many times the content stream uses `operator` (the last word of a line in QDF form).
fn operators(stream: &str, operator: &str) -> usize {
    stream
        .lines()
        .filter(|l| l.split_whitespace().last() == Some(operator))
        .count()
}

fn pdftotext(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    run(
        "pdftotext",
        &["-f", &p, "-l", &p, "-layout", path_str(pdf), "-"],
    )
}

/// A copy of the example deck with notes after some slides (CJK, long, two paragraphs).
fn deck_with_notes(dir: &Path) -> PathBuf {
    let source = fs::read_to_string(example_deck()).unwrap();
    let notes: HashMap<usize, &str> = HashMap::from([
        (
            0,
            "Welcome: how a small team grew a monolith into microservices.",
        ),
        (
            1,
            "监控与告警是微服务治理的基础：全链路追踪帮助定位慢请求，消息队列削峰填谷。",
        ),
        (3, "A long note to check shrinking and wrapping. "),
        (5, "Short.\n\nSecond paragraph."),
    ]);
    let mut out = String::new();
    let mut slide = 0;
    for line in source.lines() {
        let line = line.replace(
            "](images\\",
            &format!("]({}/images\\", example_dir().display()),
        );
        out.push_str(&line);
        out.push('\n');
        if line.starts_with("![") {
            if let Some(note) = notes.get(&slide) {
                let note = if slide == 3 {
                    note.repeat(40)
                } else {
                    note.to_string()
                };
                out.push('\n');
                out.push_str(&note);
                out.push('\n');
            }
            slide += 1;
        }
    }
    let deck = dir.join("deck.md");
    fs::write(&deck, out).unwrap();
    deck
}

fn tempdir() -> tempfile::TempDir {
    tools::tempdir("deckconv-handout-")
}

#[test]
fn every_layout_makes_the_right_number_of_pages() {
    let dir = tempdir();
    let deck = example_deck();
    for (layout, pages) in [
        ("slides", 13),
        ("handout-1", 13),
        ("handout-2", 7),
        ("handout-3", 5),
        ("handout-4", 4),
        ("handout-6", 3),
        ("handout-9", 3),
        ("notes", 13),
    ] {
        let pdf = convert(dir.path(), &deck, layout, &["--layout", layout]);
        assert_eq!(page_count(&pdf), pages, "{layout}");
        qpdf_check(&pdf);
        // 12 slides, each embedded once whatever the layout.
        let objects: BTreeSet<u32> = image_placements(&pdf).iter().map(|p| p.1).collect();
        assert_eq!(objects.len(), 12, "{layout}");
    }
    let pdf = convert(
        dir.path(),
        &deck,
        "no-title",
        &["--layout", "handout-6", "--no-title-page"],
    );
    assert_eq!(page_count(&pdf), 2);
    let pdf = convert(dir.path(), &deck, "slides-no-title", &["--no-title-page"]);
    assert_eq!(page_count(&pdf), 12);
}

#[test]
fn sheets_take_the_paper_and_orientation_asked_for() {
    let dir = tempdir();
    let deck = example_deck();
    let cases: [(&[&str], (i32, i32)); 8] = [
        (&["--paper", "a4"], (595, 842)),
        (&["--paper", "letter"], (612, 792)),
        (&["--paper", "a3", "--portrait"], (842, 1191)),
        (&["--paper", "legal", "--portrait"], (612, 1008)),
        (&["--paper", "a4", "--landscape"], (842, 595)),
        (&["--paper", "letter", "--landscape"], (792, 612)),
        (&["--paper", "210x297mm"], (595, 842)),
        (&["--paper", "8.5x11in"], (612, 792)),
    ];
    for (i, (args, size)) in cases.iter().enumerate() {
        let mut all = vec!["--layout", "handout-6"];
        all.extend_from_slice(args);
        let pdf = convert(dir.path(), &deck, &format!("paper{i}"), &all);
        let sizes = page_sizes(&pdf);
        assert_eq!(sizes.len(), 3);
        // The title page shares the sheets' paper.
        assert!(sizes.iter().all(|s| s == size), "{args:?}: {sizes:?}");
    }
    // Each layout picks the orientation that shows slides largest; flags override it.
    let one = convert(
        dir.path(),
        &deck,
        "one",
        &["--layout", "handout-1", "--paper", "a4"],
    );
    assert_eq!(page_sizes(&one)[1], (842, 595));
    let one_portrait = convert(
        dir.path(),
        &deck,
        "one-portrait",
        &["--layout", "handout-1", "--paper", "a4", "--portrait"],
    );
    assert_eq!(page_sizes(&one_portrait)[1], (595, 842));
    let three = convert(
        dir.path(),
        &deck,
        "three",
        &["--layout", "handout-3", "--paper", "letter"],
    );
    assert_eq!(page_sizes(&three)[1], (612, 792));
}

#[test]
fn the_default_paper_follows_the_locale() {
    let dir = tempdir();
    let deck = example_deck();
    for (var, value, size) in [
        ("LC_PAPER", "en_US.UTF-8", (612, 792)),
        ("LANG", "en_CA.UTF-8", (612, 792)),
        ("LANG", "de_DE.UTF-8", (595, 842)),
        ("LC_ALL", "en_US.UTF-8", (612, 792)),
    ] {
        let out = dir.path().join(format!("{var}-{value}.pdf"));
        deckconv(dir.path())
            .env(var, value)
            .arg(&deck)
            .args(["--pdf", "-q", "--layout", "handout-6", "-o"])
            .arg(&out)
            .assert()
            .success();
        assert_eq!(page_sizes(&out)[1], size, "{var}={value}");
    }
}

#[test]
fn each_slide_is_embedded_once_and_placed_by_reference() {
    let dir = tempdir();
    let deck = example_deck();
    let slides = convert(dir.path(), &deck, "slides", &[]);
    let six = convert(
        dir.path(),
        &deck,
        "six",
        &["--layout", "handout-6", "--paper", "a4"],
    );
    let placements = image_placements(&six);
    let on = |page: usize| placements.iter().filter(|p| p.0 == page).count();
    assert_eq!((on(1), on(2), on(3)), (0, 6, 6), "{placements:?}");
    let objects: BTreeSet<u32> = placements.iter().map(|p| p.1).collect();
    assert_eq!(objects.len(), placements.len(), "an image placed twice");

    // Vertical order fills columns first, but the same slides go on each sheet.
    let nine = convert(
        dir.path(),
        &deck,
        "nine",
        &["--layout", "handout-9", "--order", "vertical"],
    );
    let placements = image_placements(&nine);
    let on = |page: usize| placements.iter().filter(|p| p.0 == page).count();
    assert_eq!((on(2), on(3)), (9, 3));

    // About as large as the slides layout: the images are the same objects, once each.
    let (a, b) = (
        fs::metadata(&slides).unwrap().len() as f64,
        fs::metadata(&six).unwrap().len() as f64,
    );
    assert!(
        b < a * 1.02 && b > a * 0.98,
        "slides {a} B, handout-6 {b} B"
    );

    // JPEGs come back out byte for byte, the CMYK one without an ICC profile too (under the
    // uncalibrated-CMYK profile: see the README's "Conformance").
    let x = dir.path().join("x");
    fs::create_dir(&x).unwrap();
    run(
        "pdfimages",
        &["-all", path_str(&six), path_str(&x.join("img"))],
    );
    let extracted: BTreeSet<Vec<u8>> = fs::read_dir(&x)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .map(|p| fs::read(p).unwrap())
        .collect();
    let sources: BTreeSet<Vec<u8>> = walk(&example_dir().join("images"))
        .into_iter()
        .map(|p| fs::read(p).unwrap())
        .filter(|b| b.starts_with(&[0xFF, 0xD8]))
        .collect();
    assert!(sources.len() >= 4);
    assert_eq!(extracted, sources);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn handout_3_has_note_lines_beside_each_slide_and_frames() {
    let dir = tempdir();
    let deck = example_deck();
    let pdf = convert(
        dir.path(),
        &deck,
        "three",
        &["--layout", "handout-3", "--paper", "a4"],
    );
    let geometry = handout::sheet(
        "handout-3".parse::<Layout>().unwrap(),
        Paper::A4,
        Orientation::Auto,
        Order::Horizontal,
        16.0 / 9.0,
    );
    let rules_per_slot: Vec<usize> = geometry
        .slots
        .iter()
        .map(|s| ((s.notes.unwrap().h + 0.01) / NOTE_LINE_GAP).floor() as usize)
        .collect();
    assert!(rules_per_slot.iter().all(|&n| n >= 4), "{rules_per_slot:?}");
    let expected: usize = rules_per_slot.iter().sum();
    let streams = content_streams(&pdf, dir.path());
    assert_eq!(streams.len(), 5);
    for page in 2..=5 {
        let stream = &streams[&page];
        assert_eq!(operators(stream, "l"), expected, "page {page}:\n{stream}");
        // A frame around each of the three slides.
        assert_eq!(operators(stream, "re"), 3, "page {page}");
        assert_eq!(operators(stream, "Do"), 3, "page {page}");
    }
    let frameless = convert(
        dir.path(),
        &deck,
        "frameless",
        &["--layout", "handout-3", "--no-frame"],
    );
    let streams = content_streams(&frameless, dir.path());
    assert_eq!(operators(&streams[&2], "re"), 0);
    assert_eq!(operators(&streams[&2], "l"), expected);
}

#[test]
fn notes_are_printed_beside_or_beneath_their_slide() {
    let dir = tempdir();
    let deck = deck_with_notes(dir.path());
    let three = convert(
        dir.path(),
        &deck,
        "three",
        &["--layout", "handout-3", "--paper", "a4"],
    );
    qpdf_check(&three);
    let sheet1 = pdftotext(&three, 2);
    assert!(sheet1.contains("Welcome: how a small team"), "{sheet1}");
    // CJK notes are wrapped, not lost: the start and the end are both there.
    assert!(sheet1.contains("监控与告警是"), "{sheet1}");
    assert!(sheet1.contains("削峰填谷。"), "{sheet1}");
    // Text takes the place of some rules; the rules continue below it.
    let streams = content_streams(&three, dir.path());
    let plain = content_streams(
        &convert(
            dir.path(),
            &example_deck(),
            "plain",
            &["--layout", "handout-3", "--paper", "a4"],
        ),
        dir.path(),
    );
    let (with_text, without) = (operators(&streams[&2], "l"), operators(&plain[&2], "l"));
    assert!(
        with_text < without && with_text >= without - 4,
        "{with_text} vs {without}"
    );
    // A note too long for its place is cut with an ellipsis, within the page.
    let sheet2 = pdftotext(&three, 3);
    assert!(sheet2.contains("shrinking and wrapping"), "{sheet2}");
    assert!(sheet2.contains('…'), "{sheet2}");
    assert!(pdftotext(&three, 3).contains("Second paragraph."));

    let notes = convert(dir.path(), &deck, "notes", &["--layout", "notes"]);
    assert_eq!(page_count(&notes), 13);
    let page = pdftotext(&notes, 3);
    assert!(page.contains("监控与告警是"), "{page}");
    assert!(!pdftotext(&notes, 4).contains("监控与告警是"));
}

#[test]
fn sheets_have_header_footer_captions_outline_and_labels() {
    let dir = tempdir();
    let pdf = convert(
        dir.path(),
        &example_deck(),
        "six",
        &["--layout", "handout-6", "--paper", "a4"],
    );
    let sheet1 = pdftotext(&pdf, 2);
    assert!(sheet1.contains("0到3000万用户微服务之旅"), "{sheet1}");
    assert!(sheet1.contains("陈思远"), "{sheet1}");
    assert!(sheet1.contains("2019-05-13"), "{sheet1}");
    // pdftotext's layout mode may drop the thin spaces of "1 / 2".
    let squeezed = |s: &str| s.replace(' ', "");
    assert!(squeezed(&sheet1).contains("1/2"), "{sheet1}");
    assert!(squeezed(&pdftotext(&pdf, 3)).contains("2/2"));
    // The slides' own numbers, 4 to 9, under the slides of sheet 1.
    let words: BTreeSet<&str> = sheet1.split_whitespace().collect();
    for label in 4..=9 {
        assert!(
            words.contains(label.to_string().as_str()),
            "{label}: {sheet1}"
        );
    }

    let json = run(
        "qpdf",
        &[
            "--json",
            "--json-key=outlines",
            "--json-key=pagelabels",
            path_str(&pdf),
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let outline = json["outlines"].as_array().unwrap();
    let pages: Vec<i64> = outline
        .iter()
        .map(|o| o["destpageposfrom1"].as_i64().unwrap())
        .collect();
    // The title page, then six slides on sheet 1 (page 2) and six on sheet 2 (page 3).
    assert_eq!(pages, [1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3]);
    // A Chinese deck's own words are Chinese.
    assert_eq!(outline[1]["title"], "幻灯片 4");
    let labels = json["pagelabels"].as_array().unwrap();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert_eq!(labels[0]["label"]["/P"], "u:标题");
    assert_eq!(labels[1]["index"], 1);
    assert_eq!(labels[1]["label"]["/S"], "/D");
    assert_eq!(labels[1]["label"]["/St"], 1);
}

#[test]
fn sheet_flags_are_checked() {
    let dir = tempdir();
    let deck = example_deck();
    let usage = |args: &[&str], message: &str| {
        deckconv(dir.path())
            .arg(&deck)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message.to_string()));
    };
    usage(&["--pdf", "--layout", "handout-5"], "unknown layout");
    usage(&["--pdf", "--paper", "a4"], "--layout handout-6");
    usage(&["--pdf", "--no-frame"], "--no-frame");
    usage(
        &["--pdf", "--layout", "handout-6", "--paper", "huge"],
        "paper 'huge'",
    );
    usage(
        &["--pdf", "--layout", "handout-6", "--order", "diagonal"],
        "--order diagonal",
    );
    usage(
        &[
            "--pdf",
            "--layout",
            "handout-6",
            "--landscape",
            "--portrait",
        ],
        "cannot be used with",
    );
    usage(&["--epub", "--layout", "handout-6"], "add --pdf");
}

#[test]
fn notes_pages_carry_their_slides_labels_and_handouts_their_sheet_numbers() {
    let dir = tempdir();
    let labels_of = |pdf: &Path| -> serde_json::Value {
        let json = run("qpdf", &["--json", "--json-key=pagelabels", path_str(pdf)]);
        serde_json::from_str::<serde_json::Value>(&json).unwrap()["pagelabels"].clone()
    };
    // A notes page is a slide with its notes: the example deck's slides are 4, 5, 6 …
    let notes = convert(dir.path(), &example_deck(), "notes", &["--layout", "notes"]);
    let labels = labels_of(&notes);
    assert_eq!(labels[1]["index"], 1, "{labels}");
    assert_eq!(labels[1]["label"]["/S"], "/D", "{labels}");
    assert_eq!(labels[1]["label"]["/St"], 4, "{labels}");
    // A 1-up handout numbers its sheets, as every handout does.
    let handout = convert(
        dir.path(),
        &example_deck(),
        "one",
        &["--layout", "handout-1"],
    );
    assert_eq!(labels_of(&handout)[1]["label"]["/St"], 1);
}
