//! Why a slide or a deck could not be fetched.

use std::io::ErrorKind;
use std::path::PathBuf;

use url::Url;

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

/// The HTTP client could not be built (no TLS roots, no resolver): no URL can be fetched.
/// Cloneable: a client is built once, and every download that wanted it gets the failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot set up HTTP: {reason}")]
pub struct HttpSetupError {
    /// reqwest's error with its causes, `: `-separated.
    pub reason: String,
}

impl HttpSetupError {
    pub(crate) fn new(error: &reqwest::Error) -> Self {
        let mut reason = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            reason = format!("{reason}: {cause}");
            source = cause.source();
        }
        HttpSetupError { reason }
    }
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
    #[error(transparent)]
    Setup(#[from] HttpSetupError),
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
    /// The server could not be reached at all (its name does not resolve, it refuses
    /// connections, no route to it): every other URL on it would fail the same way, so they
    /// are not tried. `attempts` 0: not tried, its server had already failed.
    #[error("{}{}", .kind.describe(.server), server_gave_up(*.attempts))]
    ServerDown {
        /// `host` or `host:port` as the URL names it.
        server: String,
        kind: ServerFailure,
        /// The system's own words (`Connection refused (os error 111)`), for `-v`.
        detail: String,
        attempts: u32,
        /// The URL has a copy in the cache (so `--offline` would have it).
        in_cache: bool,
    },
}

/// How a server could not be reached: a failure of the host, not of one URL on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerFailure {
    /// The name does not resolve: no network, no DNS server, or no such name.
    Unresolved,
    /// Nothing listens on that port.
    Refused,
    /// No route to the host or its network.
    Unreachable,
    /// No connection within the connect timeout (packets dropped on the way).
    ConnectTimeout,
}

impl ServerFailure {
    pub fn describe(self, server: &str) -> String {
        match self {
            ServerFailure::Unresolved => format!("cannot resolve {server}"),
            ServerFailure::Refused => format!("{server} refused the connection"),
            ServerFailure::Unreachable => format!("{server} is unreachable"),
            ServerFailure::ConnectTimeout => format!("no connection to {server} in time"),
        }
    }
}

/// Attempts worth making on a URL whose server cannot be reached at all: one more covers a
/// hiccup (a restarting server, a resolver that just lost its cache); more only add delay.
pub(crate) const SERVER_DOWN_ATTEMPTS: u32 = 2;

fn server_gave_up(attempts: u32) -> String {
    match attempts {
        0 => " (given up: its server had failed already)".into(),
        n => gave_up(n),
    }
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
            FetchError::ServerDown {
                server,
                kind,
                detail,
                in_cache,
                ..
            } => FetchError::ServerDown {
                server,
                kind,
                detail,
                attempts,
                in_cache,
            },
            other => other,
        }
    }

    pub(crate) fn network(reason: impl Into<String>) -> Self {
        FetchError::Network {
            reason: reason.into(),
            attempts: 1,
        }
    }

    /// A failure to connect to `url`'s server at all, if `error` is one: a failure no other
    /// URL on that server can escape.
    pub(crate) fn server_down(error: &reqwest::Error, url: &Url) -> Option<Self> {
        if !error.is_connect() {
            return None;
        }
        let mut root: &dyn std::error::Error = error;
        let mut kind = error.is_timeout().then_some(ServerFailure::ConnectTimeout);
        let mut source: Option<&dyn std::error::Error> = Some(error);
        while let Some(cause) = source {
            // hyper-util's (private) connect error says "dns error" when resolving failed.
            if cause.to_string() == "dns error" {
                kind = Some(ServerFailure::Unresolved);
            }
            if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                match io.kind() {
                    ErrorKind::ConnectionRefused => kind = kind.or(Some(ServerFailure::Refused)),
                    ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => {
                        kind = kind.or(Some(ServerFailure::Unreachable));
                    }
                    _ => {}
                }
            }
            root = cause;
            source = cause.source();
        }
        Some(FetchError::ServerDown {
            server: server_name(url),
            kind: kind?,
            detail: root.to_string(),
            attempts: 1,
            in_cache: false,
        })
    }

    /// Whether the failure is one of the whole server, not only of this URL.
    pub fn is_server_down(&self) -> bool {
        matches!(self, FetchError::ServerDown { .. })
    }
}

/// `host`, or `host:port` when the URL names a port.
pub(crate) fn server_name(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}
