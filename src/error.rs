//! Errors that name the slide they are about, and everything that can stop a conversion.
//! Each stage has its own error type; messages that name a flag are made by the CLI.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::fetch::{CacheError, FetchError, ServerFailure};
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
            written: short_source(&slide.written),
            location: deck.location(slide),
            cause: cause.into(),
        }
    }
}

/// Longest source a message repeats, in characters: a `data:` image or a hostile link can be
/// megabytes long, and the slide's number and `deck.md:LINE` already say where it is.
pub const SHOWN_SOURCE_CHARS: usize = 120;

/// The source as written, cut to [`SHOWN_SOURCE_CHARS`] with `…` when longer.
pub fn short_source(written: &str) -> String {
    match written.char_indices().nth(SHOWN_SOURCE_CHARS) {
        Some((at, _)) => format!("{}…", &written[..at]),
        None => written.to_string(),
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

/// Failed slides as a user reads them: the slides whose server could not be reached go
/// together (one cause, however many slides), every other slide stands alone. In the order of
/// each group's first slide.
#[derive(Debug)]
pub enum FailureGroup<'a> {
    ServerDown {
        server: &'a str,
        kind: ServerFailure,
        slides: Vec<&'a SlideError>,
    },
    Slide(&'a SlideError),
}

impl<'a> FailureGroup<'a> {
    pub fn slides(&self) -> &[&'a SlideError] {
        match self {
            FailureGroup::ServerDown { slides, .. } => slides,
            FailureGroup::Slide(error) => std::slice::from_ref(error),
        }
    }

    /// How many of the group's slides have a copy in the cache.
    pub fn in_cache(&self) -> usize {
        self.slides()
            .iter()
            .filter(|e| {
                matches!(
                    e.cause,
                    SlideFailure::Fetch(FetchError::ServerDown { in_cache: true, .. })
                )
            })
            .count()
    }
}

/// `errors` grouped by cause: see [`FailureGroup`].
pub fn group_failures(errors: &[SlideError]) -> Vec<FailureGroup<'_>> {
    let mut groups: Vec<FailureGroup<'_>> = Vec::new();
    for error in errors {
        let SlideFailure::Fetch(FetchError::ServerDown { server, kind, .. }) = &error.cause else {
            groups.push(FailureGroup::Slide(error));
            continue;
        };
        let same = groups.iter_mut().find_map(|g| match g {
            FailureGroup::ServerDown {
                server: s,
                kind: k,
                slides,
            } if s == server && k == kind => Some(slides),
            _ => None,
        });
        match same {
            Some(slides) => slides.push(error),
            None => groups.push(FailureGroup::ServerDown {
                server,
                kind: *kind,
                slides: vec![error],
            }),
        }
    }
    groups
}

/// Slide numbers, each once, runs shortened: `1–12, 14, 20–38`.
pub fn compact_positions(positions: impl IntoIterator<Item = usize>) -> String {
    let mut sorted: Vec<usize> = positions.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        while i + 1 < sorted.len() && sorted[i + 1] == sorted[i] + 1 {
            i += 1;
        }
        runs.push(match sorted[i] {
            end if end == start => start.to_string(),
            end if end == start + 1 => format!("{start}, {end}"),
            end => format!("{start}–{end}"),
        });
        i += 1;
    }
    runs.join(", ")
}

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
    /// The output would replace one of the run's own inputs (the deck or a slide image, links
    /// resolved): refused before anything is read or written, as a usage error.
    #[error("refusing to write {target}: it is {what} of this run (choose another -o)")]
    OverwritesInput { target: PathBuf, what: String },
    /// The run was asked to stop (a signal); nothing of this output was left behind.
    #[error("stopped before the output was complete")]
    Stopped,
}

impl Error {
    /// A mistake in how the run was asked for rather than in its inputs (exit status 2).
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::OverwritesInput { .. })
    }

    /// The message already names the deck (its path, URL or `file:line`): no prefix needed.
    pub fn names_its_input(&self) -> bool {
        matches!(
            self,
            Error::Read(_) | Error::Deck(_) | Error::OverwritesInput { .. }
        )
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_repeat_only_a_short_prefix_of_a_source() {
        let long = format!("data:image/png;base64,{}", "A".repeat(1 << 20));
        let shown = short_source(&long);
        assert_eq!(shown.chars().count(), SHOWN_SOURCE_CHARS + 1);
        assert!(shown.starts_with("data:image/png;base64,AAA") && shown.ends_with('…'));
        assert_eq!(short_source("images/4.png"), "images/4.png");
        assert_eq!(
            short_source(&"图".repeat(SHOWN_SOURCE_CHARS)),
            "图".repeat(SHOWN_SOURCE_CHARS)
        );
    }

    fn failed(position: usize, cause: FetchError) -> SlideError {
        SlideError {
            position,
            written: format!("https://a.example/{position}.png"),
            location: format!("deck.md:{}", position + 2),
            cause: cause.into(),
        }
    }

    fn down(server: &str, kind: ServerFailure, in_cache: bool) -> FetchError {
        FetchError::ServerDown {
            server: server.into(),
            kind,
            detail: "os error".into(),
            attempts: 0,
            in_cache,
        }
    }

    #[test]
    fn positions_are_listed_once_in_runs() {
        assert_eq!(compact_positions([]), "");
        assert_eq!(compact_positions([7]), "7");
        assert_eq!(compact_positions([2, 1]), "1, 2");
        let mut scattered: Vec<usize> = (20..=38).chain(1..=12).collect();
        scattered.extend([14, 3, 38]);
        assert_eq!(compact_positions(scattered), "1–12, 14, 20–38");
    }

    #[test]
    fn slides_of_a_dead_server_are_grouped_the_rest_stand_alone() {
        let unresolved = ServerFailure::Unresolved;
        let errors = vec![
            failed(1, down("a.example", unresolved, true)),
            failed(2, FetchError::NotCached),
            failed(3, down("b.example:8080", ServerFailure::Refused, false)),
            failed(4, down("a.example", unresolved, false)),
            failed(5, FetchError::NotCached),
            failed(6, down("a.example", unresolved, true)),
        ];
        let groups = group_failures(&errors);
        let summary: Vec<(Vec<usize>, usize)> = groups
            .iter()
            .map(|g| {
                let positions = g.slides().iter().map(|e| e.position).collect();
                (positions, g.in_cache())
            })
            .collect();
        assert_eq!(
            summary,
            vec![(vec![1, 4, 6], 2), (vec![2], 0), (vec![3], 0), (vec![5], 0)]
        );
        assert!(matches!(
            groups[0],
            FailureGroup::ServerDown {
                server: "a.example",
                kind: ServerFailure::Unresolved,
                ..
            }
        ));
        assert!(matches!(groups[1], FailureGroup::Slide(_)));
    }
}
