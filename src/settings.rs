//! Validated settings: what the pipeline runs on, whatever the front end was.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::fetch::FetchOptions;
use crate::pipeline::{AnthologyOptions, ConvertOptions};
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
