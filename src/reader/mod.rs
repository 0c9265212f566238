//! Reader: any slide list (Markdown, folder, list file, stdin, remote deck) → `Deck`.

pub mod title;

use std::path::PathBuf;

use url::Url;

use crate::error::Error;
use crate::fetch::Fetcher;
use crate::model::Deck;

/// One input as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Url(Url),
    Stdin,
}

impl Input {
    pub fn parse(arg: &str) -> Input {
        if arg == "-" {
            return Input::Stdin;
        }
        match Url::parse(arg) {
            Ok(u) if u.scheme() == "http" || u.scheme() == "https" => Input::Url(u),
            Ok(u) if u.scheme() == "file" => match u.to_file_path() {
                Ok(p) => Input::Path(p),
                Err(()) => Input::Path(PathBuf::from(arg)),
            },
            _ => Input::Path(PathBuf::from(arg)),
        }
    }
}

/// Overrides from the command line applied to the deck's metadata.
#[derive(Debug, Clone, Default)]
pub struct MetaOverrides {
    pub title: Option<String>,
    pub author: Option<String>,
    pub lang: Option<String>,
    /// Keep the title as written (no cleanup).
    pub raw_title: bool,
}

/// Read one input into a deck. The fetcher is used only to get a remote deck's text.
pub fn read(input: &Input, overrides: &MetaOverrides, fetcher: &Fetcher) -> Result<Deck, Error> {
    let _ = (input, overrides, fetcher);
    Err(Error::Deck("reader not implemented yet".into()))
}
