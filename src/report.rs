//! What a run tells its user: the library reports events, a front end renders them (the
//! binary draws a progress bar, prints warnings and the `-v` timeline). The library itself
//! never writes to stdout or stderr.

use std::path::Path;

use crate::error::SlideError;
use crate::model::Deck;
use crate::reader::title::cover::CoverCheck;

/// Something that happened during a run.
#[derive(Debug)]
pub enum Event<'a> {
    /// A deck was read: its slides are known.
    DeckRead { deck: &'a Deck },
    /// How the display title was derived from the raw one (for `-v`).
    TitleDerived { notes: &'a [String] },
    /// The font chosen for the text a backend draws.
    FontChosen { name: &'a str },
    /// No font covers these characters; they will show as boxes.
    Uncovered { chars: &'a [char] },
    /// The cache folder could not be used; another one is.
    CacheFallback { message: &'a str },
    /// Slide `position` is on disk (downloaded, cached or local), `done` of `total`.
    SlideFetched {
        position: usize,
        done: usize,
        total: usize,
        /// The slide's size on disk (0 when it failed).
        bytes: u64,
    },
    /// Every slide's download has ended.
    AllFetched,
    /// Slide `position` went into the output being written.
    SlideWritten { position: usize },
    /// Every page of the output being written is in.
    AllWritten,
    /// Slides left out under `--skip-broken`, each with why.
    LeftOut { slides: &'a [SlideError] },
    /// An output is complete at its target.
    Wrote { path: &'a Path },
    /// Least recently used cache entries were removed.
    CacheEvicted { bytes: u64 },
    /// The text of slide `position` is known: recognised now, or from the cache.
    SlideRecognized { position: usize, cached: bool },
    /// Slide `position`'s text could not be recognised; the slide goes in without it.
    NotRecognized { position: usize, reason: &'a str },
    /// With `--ocr`: the cover slide's largest text compared with the deck's title; which won
    /// and why (`check.why()`).
    CoverTitle { check: &'a CoverCheck },
    /// An anthology leaves out `dropped`: it is the same talk as `kept`, for `why`.
    DuplicateTalk {
        kept: &'a str,
        dropped: &'a str,
        why: &'a str,
    },
    /// A run of `decks` inputs, each converted on its own (a whole archive).
    Archive { decks: usize },
    /// One deck of an archive run is done: written, or `failed`.
    DeckDone { failed: bool },
    /// An anthology of `talks` talks and `slides` slides is being written as `title`.
    Anthology {
        title: &'a str,
        talks: usize,
        slides: usize,
    },
}

impl Event<'_> {
    /// Warnings are shown unless the user asked for quiet; the rest is detail for `-v`.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Event::Uncovered { .. }
                | Event::CacheFallback { .. }
                | Event::LeftOut { .. }
                | Event::NotRecognized { .. }
        )
    }
}

/// Receives a run's events, from any thread.
pub trait Reporter: Sync {
    fn report(&self, event: &Event<'_>);
}

/// Hears nothing: for library use where nobody is listening.
pub struct Silent;

impl Reporter for Silent {
    fn report(&self, _event: &Event<'_>) {}
}
