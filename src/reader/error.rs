//! Why a deck could not be read. Messages name the path or URL exactly as it was requested.

use std::path::PathBuf;

/// The deck itself could not be read (its slides are not fetched yet).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: no such file or folder", .path.display())]
    NotFound { path: PathBuf },
    /// `action` says what failed: "read", "open", "read folder".
    #[error("{}: cannot {action}: {source}", .path.display())]
    Unreadable {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{name}: larger than {limit_mib} MiB, not a slide list")]
    TooLarge { name: String, limit_mib: u64 },
    #[error(
        "{name}: not a text in any encoding deckconv reads (UTF-8, UTF-16, GB18030, Big5, \
         Shift_JIS, …): is it a slide list?"
    )]
    Undecodable { name: String },
    #[error(
        "{url}: this is a web page, not a Markdown deck or a list \
         (for a file on GitHub, use its raw URL)"
    )]
    WebPage { url: String },
    #[error("{url}: cannot fetch the deck: {reason}")]
    Fetch { url: String, reason: String },
    #[error("{name}: the deck is empty")]
    Empty { name: String },
    #[error("{name}:{line}: {message}")]
    Syntax {
        name: String,
        line: usize,
        message: String,
    },
    #[error(
        "{name}:{line}: a line of {length_kib} KiB, longer than the {limit_kib} KiB deckconv \
         reads (a slide list has one image per line)"
    )]
    LineTooLong {
        name: String,
        line: usize,
        length_kib: usize,
        limit_kib: usize,
    },
    /// `at` is where the first slide over the limit is (`deck.md:100003`), or the folder.
    #[error(
        "{at}: more than {limit} slides, more than deckconv converts in one run (split the deck)"
    )]
    TooManySlides { at: String, limit: usize },
    #[error(
        "{name}: no slides found (expected Markdown images `![](image.png)` or `<img src>`, \
         or one image path or URL per line)"
    )]
    NoSlides { name: String },
}
