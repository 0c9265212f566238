//! The integration tests, one binary: each module is one area (PDF, EPUB, CBZ, fetching,
//! hostile input…). One binary links once instead of once per file, which keeps a fresh
//! `cargo test` build within CI's disk and time (22 binaries of ~420 MB each with debug info).
//! Run one area with `cargo test --test integration pdf::`.

mod support;
mod tools;

mod accessibility;
mod anthology;
mod broken_images;
mod cbz;
mod cli;
mod conformance;
mod dead_servers;
mod disks;
mod epub;
mod fetch;
mod fonts;
mod fuzz_regressions;
mod handout;
mod hostile;
mod interrupt;
#[cfg(feature = "ocr")]
mod ocr;
mod pdf;
mod probe;
mod reader;
mod reader_pdfjs;
mod reader_search;
mod remote;
mod shape;
mod shared_cache;
mod strictness;
mod text_layer;
