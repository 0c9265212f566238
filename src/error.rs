//! Errors that name the slide they are about, and everything that can stop a conversion.
//! Each stage has its own error type; messages that name a flag are made by the CLI.

use std::fmt;
use std::sync::Arc;

use crate::fetch::{CacheError, FetchError};
use crate::fonts::FontError;
use crate::model::{Deck, Slide};
use crate::normalize::NormalizeError;
use crate::writer::WriteError;

/// Why one slide failed, by stage.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SlideFailure {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error(transparent)]
    Image(#[from] NormalizeError),
    #[error(transparent)]
    Write(Arc<WriteError>),
    #[error("not fetched")]
    NotFetched,
    #[error("internal error while {0}")]
    Internal(&'static str),
}

impl From<WriteError> for SlideFailure {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Image(image) => SlideFailure::Image(image),
            other => SlideFailure::Write(Arc::new(other)),
        }
    }
}

/// One slide failed: which slide, from where in the deck, and why.
#[derive(Debug, Clone)]
pub struct SlideError {
    pub position: usize,
    pub written: String,
    pub location: String,
    pub cause: SlideFailure,
}

impl SlideError {
    pub fn new(deck: &Deck, slide: &Slide, cause: impl Into<SlideFailure>) -> Self {
        SlideError {
            position: slide.position,
            written: slide.written.clone(),
            location: deck.location(slide),
            cause: cause.into(),
        }
    }
}

impl fmt::Display for SlideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "slide {} ({}) at {}: {}",
            self.position, self.written, self.location, self.cause
        )
    }
}

impl std::error::Error for SlideError {}

/// Everything that can stop a conversion. Usage errors are the CLI's and never get here.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The deck itself could not be read (missing file, unreadable URL, no slides).
    #[error("{0}")]
    Deck(String),
    #[error(transparent)]
    Cache(#[from] CacheError),
    #[error(transparent)]
    Font(#[from] FontError),
    /// The deck could not be read, with a typed reason.
    #[error(transparent)]
    Read(#[from] crate::reader::ReadError),
    /// One or more slides failed; all of them are listed.
    #[error("{} slide(s) failed:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    Slides(Vec<SlideError>),
    /// The output file itself (its folder, the temporary file, the rename into place).
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The run was asked to stop (a signal); nothing of this output was left behind.
    #[error("stopped before the output was complete")]
    Stopped,
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
