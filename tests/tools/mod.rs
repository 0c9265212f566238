//! Running the validators (qpdf, poppler, mupdf) on the outputs the tests make, in scratch
//! folders the tests share.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Run a validator; its standard output, or a panic with everything it said.
pub fn run(cmd: &str, args: &[&str]) -> String {
    let output = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} not runnable: {e}"));
    assert!(
        output.status.success(),
        "{cmd} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Page count as `pdfinfo` reports it.
pub fn pdf_pages(pdf: &Path) -> usize {
    let path = pdf.to_string_lossy();
    run("pdfinfo", &[path.as_ref()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// `qpdf --check` output, after asserting that it found no syntax or stream errors.
pub fn qpdf_check(pdf: &str) -> String {
    let out = run("qpdf", &["--check", pdf]);
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    out
}

/// A scratch folder; with `DECKCONV_KEEP_TEST_OUTPUT` set it is kept (and named) for a look.
pub fn tempdir(prefix: &str) -> tempfile::TempDir {
    let mut dir = tempfile::Builder::new().prefix(prefix).tempdir().unwrap();
    if std::env::var_os("DECKCONV_KEEP_TEST_OUTPUT").is_some() {
        dir.disable_cleanup(true);
        eprintln!("test output kept in {}", dir.path().display());
    }
    dir
}
