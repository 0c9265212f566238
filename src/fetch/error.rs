//! Why a slide or a deck could not be fetched.

use std::path::PathBuf;

/// The cache folder could not be used or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CacheError {
    /// Neither the cache folder nor a temporary one could be set up.
    #[error("{problem}; no temporary folder either: {reason}")]
    Unusable { problem: String, reason: String },
    #[error("cannot write to the cache folder {}: {reason}", dir.display())]
    Write { dir: PathBuf, reason: String },
    #[error("cannot store {} in the cache: {reason}", path.display())]
    Store { path: PathBuf, reason: String },
}

/// One URL or local file could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("not in the cache (offline)")]
    NotCached,
    /// The server answered with an error status (`404 Not Found`).
    #[error("HTTP {status}{}", gave_up(*attempts))]
    Status { status: String, attempts: u32 },
    /// No answer, or the connection broke: DNS, refused, reset, timeout, truncated body.
    #[error("{reason}{}", gave_up(*attempts))]
    Network { reason: String, attempts: u32 },
    /// The server answered, but not with what a slide can be (an HTML page, too large).
    #[error("{0}")]
    Content(String),
    #[error(transparent)]
    Cache(#[from] CacheError),
    #[error("cannot set up HTTP: {0}")]
    Setup(String),
    /// A local slide: missing, a folder, unreadable.
    #[error("{reason}: {}", path.display())]
    Local { path: PathBuf, reason: String },
    /// A link the deck may not use (a local file from a remote deck, an unknown scheme).
    #[error("{0}")]
    Refused(String),
    #[error("not fetched: the run was stopped")]
    Stopped,
    /// The whole download took longer than its deadline (a server trickling the body).
    #[error(
        "download not finished after {seconds} s ({received} bytes received{}): the server is too slow (see --timeout)",
        of_total(*expected)
    )]
    TooSlow {
        seconds: u64,
        received: u64,
        expected: Option<u64>,
    },
    /// A redirect deckconv does not follow: a loop, https to http, another scheme.
    #[error("{0}")]
    Redirect(String),
    /// A deck read from a URL linked to this machine or its network.
    #[error(
        "{0} is a local-network address; a deck read from a URL may reach only public addresses (--allow-local-network allows it)"
    )]
    LocalNetwork(String),
}

fn of_total(expected: Option<u64>) -> String {
    expected.map(|n| format!(" of {n}")).unwrap_or_default()
}

fn gave_up(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (gave up after {attempts} attempts)")
    } else {
        String::new()
    }
}

impl FetchError {
    /// The same failure, known to have taken `attempts` tries.
    pub(crate) fn after(self, attempts: u32) -> Self {
        match self {
            FetchError::Status { status, .. } => FetchError::Status { status, attempts },
            FetchError::Network { reason, .. } => FetchError::Network { reason, attempts },
            other => other,
        }
    }

    pub(crate) fn network(reason: impl Into<String>) -> Self {
        FetchError::Network {
            reason: reason.into(),
            attempts: 1,
        }
    }
}
