//! The optional text-recognition stage: each slide's upright pixels → its words with boxes,
//! cached on disk by image content, model version and language, so a rerun (or an
//! `--offline` run) recognises nothing again. Runs on the encode threads, so it uses every
//! core and overlaps the downloads like the rest of the pipeline.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use crate::normalize::{self, ImageInfo, Limits};
use crate::ocr::{cache, PageText};
use crate::settings::OcrOptions;

/// The folder of recognised text inside the run's cache folder.
pub const OCR_CACHE_FOLDER: &str = "ocr";
use crate::report::{Event, Reporter};

/// One deck's recognised pages, shared by all its outputs: each slide is recognised once per
/// run, whatever the number of formats.
pub(crate) struct Recognized<'a> {
    options: &'a OcrOptions,
    /// Where recognised pages are cached.
    cache_dir: PathBuf,
    model_version: String,
    pages: Vec<OnceLock<Option<Arc<PageText>>>>,
    cache_warned: AtomicBool,
}

impl<'a> Recognized<'a> {
    /// `run_cache`: the run's cache folder, where pages are kept unless the options name
    /// another.
    pub fn new(options: &'a OcrOptions, slide_count: usize, run_cache: &Path) -> Self {
        Recognized {
            cache_dir: options
                .cache_dir
                .clone()
                .unwrap_or_else(|| run_cache.join(OCR_CACHE_FOLDER)),
            options,
            model_version: options.recognizer.model_version(),
            pages: (0..slide_count).map(|_| OnceLock::new()).collect(),
            cache_warned: AtomicBool::new(false),
        }
    }

    /// Slide `index`'s text (`None`: nothing recognisable, or recognition failed, which is
    /// reported; a slide without text is still a good slide).
    pub fn page(
        &self,
        index: usize,
        bytes: &[u8],
        info: &ImageInfo,
        digest: &[u8; 32],
        limits: &Limits,
        reporter: &dyn Reporter,
    ) -> Option<Arc<PageText>> {
        let slot = self.pages.get(index)?;
        slot.get_or_init(|| {
            self.recognize(index + 1, bytes, info, digest, limits, reporter)
                .filter(|page| !page.is_empty())
                .map(Arc::new)
        })
        .clone()
    }

    fn recognize(
        &self,
        position: usize,
        bytes: &[u8],
        info: &ImageInfo,
        digest: &[u8; 32],
        limits: &Limits,
        reporter: &dyn Reporter,
    ) -> Option<PageText> {
        let recognizer = self.options.recognizer.as_ref();
        let key = cache::Key::from_image_sha256(
            &hex::encode(digest),
            &self.model_version,
            recognizer.lang(),
        );
        if let Some(page) = cache::load(&self.cache_dir, &key) {
            reporter.report(&Event::SlideRecognized {
                position,
                cached: true,
            });
            return Some(page);
        }
        let result = normalize::decode(bytes, info, limits)
            .map_err(|e| e.to_string())
            .and_then(|image| {
                let rgb = normalize::encode::flatten_rgb(image);
                recognizer.recognize(&rgb).map_err(|e| e.to_string())
            });
        match result {
            Ok(page) => {
                reporter.report(&Event::SlideRecognized {
                    position,
                    cached: false,
                });
                let dir = &self.cache_dir;
                if let Err(e) = cache::store(dir, &key, &page) {
                    if !self.cache_warned.swap(true, Ordering::Relaxed) {
                        let message = format!(
                            "cannot store recognised text in {}: {e}; it will be recognised again next time",
                            dir.display()
                        );
                        reporter.report(&Event::CacheFallback { message: &message });
                    }
                }
                Some(page)
            }
            Err(reason) => {
                reporter.report(&Event::NotRecognized {
                    position,
                    reason: &reason,
                });
                None
            }
        }
    }

    /// Slide `index`'s text if it has been recognised.
    pub fn get(&self, index: usize) -> Option<Arc<PageText>> {
        self.pages.get(index)?.get().cloned().flatten()
    }
}
