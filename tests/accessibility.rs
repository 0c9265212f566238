//! DAISY Ace (the EPUB accessibility checker, from npm, pinned in
//! `tests/data/ace/package-lock.json`) on the books deckconv writes: plain, with an `--ocr`
//! text layer (the fake recogniser), for Kobo, and one whose every slide is described (the
//! conformance claim). Ace runs axe-core in Debian's chromium through puppeteer, which
//! `.ci/run` installs without a browser of its own (`--ignore-scripts`), pointed at
//! `/usr/bin/chromium`; Ace's puppeteer runner launches chromium with `--no-sandbox`, which
//! root needs.

use crate::tools;
use crate::tools::fake_ocr::{
    convert_one, deck, deck_book, epub_backend, meta, slides, DECK_TITLE, TIMESTAMP,
};

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const SETUP: &str = "run .ci/run: it installs Debian's chromium and DAISY Ace (npm ci \
    --ignore-scripts in tests/data/ace)";

fn ace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ace")
}

/// Ace's command line (its puppeteer runner), after checking that it and chromium are there.
fn ace() -> PathBuf {
    let cli = ace_dir().join("node_modules/@daisy/ace-cli/bin/ace.js");
    let runner = ace_dir().join("node_modules/@daisy/ace-axe-runner-puppeteer");
    assert!(
        cli.is_file() && runner.is_dir(),
        "{} is missing: {SETUP}",
        cli.display()
    );
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: {SETUP}"
    );
    cli
}

const CHROMIUM: &str = "/usr/bin/chromium";

/// Ace's report on `book` (its `report.json`), after a run that must succeed.
fn ace_report(book: &Path) -> Value {
    let cli = ace();
    let out = book.with_extension("ace");
    let temp = book.with_extension("ace-tmp");
    std::fs::create_dir_all(&temp).unwrap();
    let run = Command::new("node")
        .arg(&cli)
        .args(["--silent", "--force", "--outdir"])
        .arg(&out)
        .arg("--tempdir")
        .arg(&temp)
        .arg(book)
        .env("PUPPETEER_EXECUTABLE_PATH", CHROMIUM)
        .output()
        .unwrap_or_else(|e| panic!("node: {e}: {SETUP}"));
    assert!(
        run.status.success(),
        "Ace on {} failed: {}{}",
        book.display(),
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let report = std::fs::read_to_string(out.join("report.json"))
        .unwrap_or_else(|e| panic!("Ace wrote no report for {}: {e}", book.display()));
    serde_json::from_str(&report).unwrap()
}

/// Every violation Ace found: "page: rule (impact): description".
fn violations(report: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for document in report["assertions"].as_array().into_iter().flatten() {
        let url = document["earl:testSubject"]["url"].as_str().unwrap_or("?");
        for assertion in document["assertions"].as_array().into_iter().flatten() {
            if assertion["earl:result"]["earl:outcome"] != "pass" {
                found.push(format!(
                    "{url}: {} ({}): {}",
                    assertion["earl:test"]["dct:title"],
                    assertion["earl:test"]["earl:impact"],
                    assertion["earl:result"]["dct:description"]
                ));
            }
        }
    }
    found
}

#[test]
fn ace_finds_no_violations() {
    ace();
    let dir = tools::tempdir("deckconv-ace");
    let specs = deck();
    let mut books = Vec::new();
    for (name, kobo, ocr) in [
        ("plain.epub", false, false),
        ("ocr.epub", false, true),
        ("ocr.kepub.epub", true, true),
    ] {
        let path = dir.path().join(name);
        deck_book(&path, ocr, kobo);
        books.push(path);
    }
    // Every slide described by the deck: the book claims conformance (README).
    let alts: Vec<(usize, String)> = (1..=specs.len())
        .map(|n| (n, format!("Slide {n}, described")))
        .collect();
    let alts: Vec<(usize, &str)> = alts.iter().map(|(n, a)| (*n, a.as_str())).collect();
    let described = dir.path().join("described.epub");
    convert_one(
        meta(DECK_TITLE, false),
        &slides(&specs, &alts),
        epub_backend(false).as_ref(),
        &described,
        &tools::convert_options(TIMESTAMP),
    );
    books.push(described.clone());

    for book in &books {
        let report = ace_report(book);
        let violations = violations(&report);
        assert!(
            violations.is_empty() && report["earl:result"]["earl:outcome"] == "pass",
            "Ace on {}:\n{}",
            book.display(),
            violations.join("\n")
        );
        // Ace reads the accessibility metadata: each book names its conformance.
        let missing = report["a11y-metadata"]["missing"].to_string();
        assert!(
            !missing.contains("dcterms:conformsTo"),
            "{book:?}: {missing}"
        );
        assert!(
            !missing.contains("schema:accessibilitySummary"),
            "{book:?}: {missing}"
        );
        if book == &described {
            assert!(!missing.contains("a11y:certifiedBy"), "{book:?}: {missing}");
        }
    }
}
