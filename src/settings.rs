//! Validated settings: what the pipeline runs on, whatever the front end was.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::thread;

use crate::fetch::FetchOptions;
use crate::normalize::Limits;
use crate::ocr::Recognizer;
use crate::reader::{Input, MetaOverrides};
use crate::writer::Backend;

#[derive(Clone)]
pub struct Settings {
    pub inputs: Vec<Input>,
    /// Every output format, in the order they are written.
    pub backends: Vec<Arc<dyn Backend>>,
    /// A file when one input makes one output, else a folder. `None`: `output/`.
    pub output: Option<PathBuf>,
    pub fetch: FetchOptions,
    pub overrides: MetaOverrides,
    pub convert: ConvertOptions,
    /// `--anthology`: every input's talks into one book per format.
    pub anthology: Option<AnthologyOptions>,
    /// `--report FILE`: one JSON line per deck, written by the front end from the outcome.
    pub report: Option<PathBuf>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.backends.iter().map(|b| b.name()).collect();
        f.debug_struct("Settings")
            .field("inputs", &self.inputs)
            .field("backends", &names)
            .field("output", &self.output)
            .field("fetch", &self.fetch)
            .field("overrides", &self.overrides)
            .field("convert", &self.convert)
            .field("anthology", &self.anthology)
            .field("report", &self.report)
            .finish()
    }
}

/// How slides are converted, whatever the formats.
#[derive(Debug, Clone)]
pub struct ConvertOptions {
    /// `--font FILE` for backends that draw text.
    pub font: Option<PathBuf>,
    pub limits: Limits,
    /// Threads that decode and encode images.
    pub encode_jobs: usize,
    /// Leave out slides that fail (each reported) instead of failing the output.
    pub skip_broken: bool,
    /// Seconds since the epoch for every date the outputs record.
    pub timestamp: i64,
    /// Recognise the text of every slide (`--ocr`).
    pub ocr: Option<OcrOptions>,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        ConvertOptions {
            font: None,
            limits: Limits::default(),
            encode_jobs: thread::available_parallelism().map_or(2, |n| n.get()),
            skip_broken: false,
            timestamp: 0,
            ocr: None,
        }
    }
}

/// How slides are recognised: the engine and where its results are kept.
#[derive(Clone)]
pub struct OcrOptions {
    pub recognizer: Arc<dyn Recognizer>,
    /// Where recognised pages are cached; `None`: in the run's cache folder, beside the
    /// downloads (`ocr/`).
    pub cache_dir: Option<PathBuf>,
}

impl fmt::Debug for OcrOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OcrOptions")
            .field("model_version", &self.recognizer.model_version())
            .field("lang", &self.recognizer.lang())
            .field("cache_dir", &self.cache_dir)
            .finish()
    }
}

/// `--anthology`: many decks, one book.
#[derive(Debug, Clone, Default)]
pub struct AnthologyOptions {
    /// `--title`: the collection's title (each talk keeps its own).
    pub title: Option<String>,
    /// `--sort`; `None`: as given, a folder's decks in natural order.
    pub sort: Option<SortKey>,
}

/// How `--sort` orders an anthology's talks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Title,
    Speaker,
    /// By the session code in the deck's name: day, then morning before afternoon, then slot.
    Session,
}

/// `--sort` named no order deckconv knows (the name as given, trimmed and lower-cased).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown order {0:?} (title, speaker or session)")]
pub struct UnknownSortKey(pub String);

impl FromStr for SortKey {
    type Err = UnknownSortKey;

    fn from_str(s: &str) -> Result<Self, UnknownSortKey> {
        match s.trim().to_ascii_lowercase().as_str() {
            "title" => Ok(SortKey::Title),
            "speaker" | "speakers" | "author" => Ok(SortKey::Speaker),
            "session" => Ok(SortKey::Session),
            other => Err(UnknownSortKey(other.to_string())),
        }
    }
}
