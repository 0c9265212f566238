//! Fetcher: local files as they are, remote ones over HTTP(S) in parallel through a
//! persistent, revalidated cache. Bodies go to disk, never all into memory.

use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use crate::error::SlideError;
use crate::model::Deck;

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub jobs: usize,
    /// `None`: the platform cache folder.
    pub cache_dir: Option<PathBuf>,
    pub offline: bool,
    pub refresh: bool,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub retries: u32,
    pub max_body_bytes: u64,
    /// Draw a progress bar (only when stderr is a terminal and not quiet).
    pub progress: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            jobs: 8,
            cache_dir: None,
            offline: false,
            refresh: false,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            retries: 3,
            max_body_bytes: 200 * 1024 * 1024,
            progress: false,
        }
    }
}

pub struct Fetcher {
    options: FetchOptions,
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Result<Self, String> {
        Ok(Fetcher { options })
    }

    /// Text of a remote deck (Markdown or list).
    pub fn fetch_text(&self, url: &Url) -> Result<String, String> {
        let _ = (url, &self.options);
        Err("remote decks not implemented yet".into())
    }

    /// A local file for every slide, in deck order, or the errors of every slide that failed.
    pub fn fetch_slides(&self, deck: &Deck) -> Result<Vec<PathBuf>, Vec<SlideError>> {
        let mut paths = Vec::new();
        let mut errors = Vec::new();
        for slide in &deck.slides {
            match &slide.source {
                crate::model::SlideSource::Local(p) => paths.push(p.clone()),
                crate::model::SlideSource::Remote(_) => errors.push(SlideError::new(
                    deck,
                    slide,
                    "remote slides not implemented yet",
                )),
            }
        }
        if errors.is_empty() {
            Ok(paths)
        } else {
            Err(errors)
        }
    }
}
