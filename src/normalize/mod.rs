//! Image normalizer: probe headers (with limits) before any decode, then bring each slide
//! into a form the target writer can take — untouched wherever the target accepts it.

mod prepare;
mod probe;
pub mod resize;

pub use prepare::{decode, prepare, ImageNeeds, Prepared};
pub use probe::{probe, sniff, ColorModel, ImageInfo, Limits, ProbeError, SourceFormat};
