//! Fetching as the pipeline sees it: each slide's local file, or its [`SlideError`] naming
//! the slide and its line in the deck. `fetch` knows downloads and their [`FetchError`]s, not
//! slides' errors, so that `error` (which wraps every stage's errors) depends on `fetch` and
//! not the other way round.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use crate::error::{SlideError, SlideFailure};
use crate::fetch::Fetcher;
use crate::model::Deck;

impl Fetcher {
    /// A local file for every slide, in deck order, or the errors of every slide that failed.
    pub fn fetch_slides(&self, deck: &Deck) -> Result<Vec<PathBuf>, Vec<SlideError>> {
        let (paths, errors): (Vec<_>, Vec<_>) =
            self.fetch_each(deck).into_iter().partition(Result::is_ok);
        if errors.is_empty() {
            Ok(paths.into_iter().flatten().collect())
        } else {
            Err(errors.into_iter().filter_map(Result::err).collect())
        }
    }

    /// Each slide's local file or its error, in deck order.
    pub fn fetch_each(&self, deck: &Deck) -> Vec<Result<PathBuf, SlideError>> {
        let results = std::sync::Mutex::new(vec![None; deck.slides.len()]);
        self.fetch_each_with(
            deck,
            self.turn(),
            &AtomicBool::new(false),
            &|index, result| {
                if let Ok(mut results) = results.lock() {
                    results[index] = Some(result);
                }
            },
        );
        let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
        deck.slides
            .iter()
            .zip(results)
            .map(|(slide, result)| match result {
                Some(result) => result.map_err(|e| SlideError::new(deck, slide, e)),
                None => Err(SlideError::new(deck, slide, SlideFailure::NotFetched)),
            })
            .collect()
    }
}
