//! Errors that name the slide they are about.

use std::fmt;

use crate::model::{Deck, Slide};

/// One slide failed: which slide, from where in the deck, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlideError {
    pub position: usize,
    pub written: String,
    pub location: String,
    pub reason: String,
}

impl SlideError {
    pub fn new(deck: &Deck, slide: &Slide, reason: impl fmt::Display) -> Self {
        SlideError {
            position: slide.position,
            written: slide.written.clone(),
            location: deck.location(slide),
            reason: reason.to_string(),
        }
    }
}

impl fmt::Display for SlideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "slide {} ({}) at {}: {}",
            self.position, self.written, self.location, self.reason
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
    /// The deck could not be read, with a typed reason.
    #[error(transparent)]
    Read(#[from] crate::reader::ReadError),
    /// One or more slides failed; all of them are listed.
    #[error("{} slide(s) failed:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    Slides(Vec<SlideError>),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Output(String),
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
