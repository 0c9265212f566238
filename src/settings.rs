//! Validated settings: what the pipeline runs on, whatever the front end was.

use std::path::PathBuf;

use crate::fetch::FetchOptions;
use crate::normalize::Limits;
use crate::reader::{Input, MetaOverrides};
use crate::writer::epub::EpubOptions;
use crate::writer::pdf::PdfOptions;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Epub,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub inputs: Vec<Input>,
    pub formats: Vec<Format>,
    /// A file when one input makes one output, else a folder. `None`: `output/`.
    pub output: Option<PathBuf>,
    pub fetch: FetchOptions,
    pub overrides: MetaOverrides,
    pub font: Option<PathBuf>,
    pub limits: Limits,
    pub pdf: PdfOptions,
    pub epub: EpubOptions,
    /// Threads that decode and encode images.
    pub encode_jobs: usize,
    /// Leave out slides that fail (each reported) instead of failing the output.
    pub skip_broken: bool,
    pub quiet: bool,
    pub verbose: u8,
}
