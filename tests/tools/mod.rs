//! Running the validators (qpdf, poppler, mupdf) on the outputs the tests make.
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
