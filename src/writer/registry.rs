//! The backends deckconv knows, shared by the command line and the library: one line each.

use crate::normalize::Limits;
use crate::writer::cbz::CbzBackend;
use crate::writer::devices::DeviceOptions;
use crate::writer::epub::{EpubBackend, EpubOptions};
use crate::writer::pdf::{PdfBackend, PdfOptions};
use crate::writer::Backend;

/// Every format's options, as validated settings; each backend takes what it uses.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    pub pdf: PdfOptions,
    pub epub: EpubOptions,
    /// Fitting and colour for a reader's screen (EPUB, CBZ).
    pub screen: DeviceOptions,
    /// Limits for any image a writer must decode itself (a `--cover`, a fallback).
    pub limits: Limits,
}

/// A built-in format: its name (the command-line flag `--NAME`) and how to make it.
///
/// Adding a format is one file (its backend) and one entry here: the command line makes
/// its `--NAME` flag, with `flag_help` as the flag's help, from this list alone.
pub struct BackendEntry {
    pub name: &'static str,
    pub about: &'static str,
    /// The `--NAME` flag's line in `--help`.
    pub flag_help: &'static str,
    pub build: fn(&OutputOptions) -> Box<dyn Backend>,
}

pub static BACKENDS: &[BackendEntry] = &[
    BackendEntry {
        name: "pdf",
        about: "a PDF: slides, handouts or notes, lossless",
        flag_help: "Write a PDF",
        build: |o| {
            Box::new(PdfBackend {
                options: o.pdf.clone(),
                limits: o.limits,
            })
        },
    },
    BackendEntry {
        name: "epub",
        about: "an EPUB 3 fixed-layout book for e-readers",
        flag_help: "Write an EPUB 3 book",
        build: |o| {
            Box::new(EpubBackend {
                options: o.epub.clone(),
                screen: o.screen,
                limits: o.limits,
            })
        },
    },
    BackendEntry {
        name: "cbz",
        about: "a comic-book archive for comic and e-ink readers",
        flag_help: "Write a comic-book archive (CBZ) for comic and e-ink readers",
        build: |o| Box::new(CbzBackend { screen: o.screen }),
    },
];

/// The built-in backend called `name` (or whose files end in `.name`).
pub fn find(name: &str) -> Option<&'static BackendEntry> {
    let name = name.trim().trim_start_matches('.').to_ascii_lowercase();
    BACKENDS.iter().find(|b| b.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_backend_is_found_by_its_name_and_says_it() {
        let options = OutputOptions::default();
        for entry in BACKENDS {
            let backend = (entry.build)(&options);
            assert_eq!(backend.name(), entry.name);
            assert!(find(&entry.name.to_uppercase()).is_some());
        }
        assert!(find("docx").is_none());
    }
}
