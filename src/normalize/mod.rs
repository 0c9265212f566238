//! Image normalizer: probe headers (with limits) before any decode, then bring each slide
//! into a form the target writer can take — untouched wherever the target accepts it.

pub mod encode;
pub mod guard;
mod jpeg;
mod needs;
mod prepare;
mod probe;
pub mod resize;

pub use needs::{ImageNeeds, Prepared};
pub use prepare::{decode, decode_stored, prepare};
pub use probe::{probe, sniff, ColorModel, ImageInfo, Limits, ProbeError, SourceFormat};

/// Why a slide's image could not be made ready for a writer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NormalizeError {
    #[error(transparent)]
    Probe(#[from] ProbeError),
    #[error("cannot decode {format}: {reason}")]
    Decode {
        format: &'static str,
        reason: String,
    },
    #[error("cannot encode {format}: {reason}")]
    Encode {
        format: &'static str,
        reason: String,
    },
    /// A decoder panicked on this file; the panic's message is in the [`guard::Crash`].
    #[error(transparent)]
    Crashed(#[from] guard::Crash),
    /// The writer cannot take this image (`image/tiff cannot go into an EPUB unchanged`).
    #[error("{0}")]
    Unsupported(String),
}
