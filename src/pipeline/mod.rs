//! The pipeline: read → fetch → probe → normalize → write, for every input and backend. It
//! knows no format by name: every output is a [`Backend`] from the settings.

pub mod output;
pub mod recognize;
pub mod window;

use std::collections::HashSet;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use sha2::{Digest, Sha256};

use crate::error::{Error, SlideError, SlideFailure};
use crate::fetch::{FetchError, Fetcher};
use crate::fonts::{self, FontData};
use crate::model::{Deck, DeckMeta, Slide};
use crate::normalize::{self, ImageInfo, ImageNeeds, Limits};
use crate::ocr::PageText;
use crate::reader;
use crate::reader::title::cover::{self, CoverVerdict};
use crate::report::{Event, Reporter};
use crate::settings::Settings;
use crate::writer::{Backend, Book, Page, PageEncoder, PageWriter, Setup, SlideInfo, WriteError};

use self::output::PartialOutput;
pub use self::recognize::OcrOptions;
use self::recognize::Recognized;

/// What a run did: the files it wrote and every deck that failed, with why.
#[derive(Debug, Default)]
pub struct Outcome {
    pub written: Vec<PathBuf>,
    pub failures: Vec<(String, Error)>,
}

/// How slides are converted, whatever the formats.
#[derive(Debug, Clone)]
pub struct ConvertOptions {
    /// `--font FILE` for backends that draw text.
    pub font: Option<PathBuf>,
    pub limits: Limits,
    /// Threads that decode and encode images.
    pub encode_jobs: usize,
    /// Leave out slides that fail (each reported) instead of failing the output.
    pub skip_broken: bool,
    /// Seconds since the epoch for every date the outputs record.
    pub timestamp: i64,
    /// Recognise the text of every slide (`--ocr`).
    pub ocr: Option<OcrOptions>,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        ConvertOptions {
            font: None,
            limits: Limits::default(),
            encode_jobs: thread::available_parallelism().map_or(2, |n| n.get()),
            skip_broken: false,
            timestamp: 0,
            ocr: None,
        }
    }
}

/// One output of a deck: the format and the file it goes to.
pub struct Output<'a> {
    pub backend: &'a dyn Backend,
    pub target: PathBuf,
}

/// The folder of recognised text inside the cache folder.
pub const OCR_CACHE_FOLDER: &str = "ocr";

/// Every input of the settings through every backend.
pub fn run(settings: &Settings, reporter: &dyn Reporter) -> Outcome {
    let mut outcome = Outcome::default();
    let fetcher = match Fetcher::new(settings.fetch.clone()) {
        Ok(f) => f,
        Err(e) => {
            outcome.failures.push(("cache".into(), e.into()));
            return outcome;
        }
    };
    report_cache_warnings(&fetcher, reporter);
    // Recognised text lives in the cache folder beside the downloads.
    let mut settings = std::borrow::Cow::Borrowed(settings);
    if settings
        .convert
        .ocr
        .as_ref()
        .is_some_and(|o| o.cache_dir.is_none())
    {
        if let Some(ocr) = settings.to_mut().convert.ocr.as_mut() {
            ocr.cache_dir = Some(fetcher.cache_dir().join(OCR_CACHE_FOLDER));
        }
    }
    let settings = settings.as_ref();
    let mut taken_names = HashSet::new();
    for input in &settings.inputs {
        if fetcher.stopped() {
            outcome.failures.push((input_name(input), Error::Stopped));
            continue;
        }
        let result = convert_input(input, settings, &fetcher, &mut taken_names, reporter);
        report_cache_warnings(&fetcher, reporter);
        match result {
            Err(_) if fetcher.stopped() => {
                outcome.failures.push((input_name(input), Error::Stopped))
            }
            Ok(mut paths) => outcome.written.append(&mut paths),
            Err(e) => outcome.failures.push((input_name(input), e)),
        }
    }
    // A stopped run ends at once; the next one trims the cache.
    if fetcher.stopped() {
        return outcome;
    }
    let bytes = fetcher.evict();
    if bytes > 0 {
        reporter.report(&Event::CacheEvicted { bytes });
    }
    outcome
}

fn report_cache_warnings(fetcher: &Fetcher, reporter: &dyn Reporter) {
    for message in fetcher.take_cache_warnings() {
        reporter.report(&Event::CacheFallback { message: &message });
    }
}

fn input_name(input: &reader::Input) -> String {
    match input {
        reader::Input::Path(p) => p.display().to_string(),
        reader::Input::Url(u) => u.to_string(),
        reader::Input::Stdin => "<stdin>".into(),
    }
}

fn convert_input(
    input: &reader::Input,
    settings: &Settings,
    fetcher: &Fetcher,
    taken_names: &mut HashSet<PathBuf>,
    reporter: &dyn Reporter,
) -> Result<Vec<PathBuf>, Error> {
    let deck = reader::read(input, &settings.overrides, fetcher)?;
    reporter.report(&Event::DeckRead { deck: &deck });
    reporter.report(&Event::TitleDerived {
        notes: &deck.meta.title_notes,
    });
    if deck.slides.is_empty() {
        return Err(Error::Deck(format!(
            "{}: no slide images found",
            deck.origin.display_name()
        )));
    }
    let single = settings.inputs.len() * settings.backends.len() == 1;
    let mut outputs = Vec::with_capacity(settings.backends.len());
    for backend in &settings.backends {
        let target = output::target_path(
            settings.output.as_deref(),
            single,
            &deck,
            backend.extension(),
            taken_names,
        )?;
        output::refuse_overwriting_inputs(&target, input, &deck)?;
        outputs.push(Output {
            backend: backend.as_ref(),
            target,
        });
    }
    convert(&deck, &outputs, &settings.convert, fetcher, reporter)
}

/// Convert one deck into every output: slides are fetched once, and each is probed, encoded
/// and written while later slides still download. Returns the files written.
pub fn convert(
    deck: &Deck,
    outputs: &[Output<'_>],
    options: &ConvertOptions,
    fetcher: &Fetcher,
    reporter: &dyn Reporter,
) -> Result<Vec<PathBuf>, Error> {
    let arrivals = Arrivals::new(deck.slides.len());
    // Set when the run fails before the last download: the rest would be for nothing.
    let cancel = AtomicBool::new(false);
    thread::scope(|scope| {
        // The font search needs only the deck's text: it runs while the slides download.
        let texts: Vec<Option<String>> = outputs
            .iter()
            .map(|o| o.backend.text_to_draw(deck))
            .collect();
        let mut text: String = texts.iter().flatten().map(String::as_str).collect();
        // The cover's recognised text may replace a stand-in title (`Stages::meta`), but only
        // after the font is chosen: ask for the recognised script too, or a Latin stand-in
        // title picks a Latin font and a Chinese cover title is drawn without its Han.
        if let Some(ocr) = options.ocr.as_ref() {
            let correctable = deck.meta.title_score.is_some_and(cover::may_correct);
            if correctable && !text.is_empty() {
                text.push_str(script_sample(ocr.recognizer.lang()));
            }
        }
        let mut font_job = (!text.is_empty()).then(|| {
            scope.spawn(move || {
                let resolved = fonts::resolve(options.font.as_deref(), &text)?;
                reporter.report(&Event::FontChosen {
                    name: &resolved.font.name,
                });
                if !resolved.uncovered.is_empty() {
                    reporter.report(&Event::Uncovered {
                        chars: &resolved.uncovered,
                    });
                }
                Ok::<_, fonts::FontError>(resolved.font)
            })
        });
        scope.spawn(|| {
            let fetched = AtomicUsize::new(0);
            let total = deck.slides.len();
            let crashed = panic::catch_unwind(AssertUnwindSafe(|| {
                fetcher.fetch_each_with(deck, &cancel, &|index, result| {
                    let done = fetched.fetch_add(1, Ordering::Relaxed) + 1;
                    reporter.report(&Event::SlideFetched {
                        position: index + 1,
                        done,
                        total,
                    });
                    arrivals.put(index, result);
                });
            }))
            .is_err();
            report_cache_warnings(fetcher, reporter);
            reporter.report(&Event::AllFetched);
            // Whatever happened, nobody may wait for a slide that will never come.
            arrivals.close(deck, crashed);
        });
        let recognized = options
            .ocr
            .as_ref()
            .map(|ocr| Recognized::new(ocr, deck.slides.len()));
        let stages = Stages {
            deck,
            arrivals: &arrivals,
            options,
            reporter,
            recognized: recognized.as_ref(),
            fetcher,
            cover_title_reported: AtomicBool::new(false),
        };
        let mut font: Option<Result<FontData, fonts::FontError>> = None;
        let mut written = Vec::new();
        for (output, draws_text) in outputs.iter().zip(&texts) {
            let mut font_for = || -> Result<Option<FontData>, Error> {
                if draws_text.is_none() {
                    return Ok(None);
                }
                if font.is_none() {
                    font = font_job.take().map(|job| {
                        job.join().unwrap_or_else(|_| {
                            Err(fonts::FontError {
                                path: PathBuf::new(),
                                reason: "internal error while choosing a font".into(),
                            })
                        })
                    });
                }
                match &font {
                    Some(Ok(f)) => Ok(Some(f.clone())),
                    Some(Err(e)) => Err(Error::Font(e.clone())),
                    None => Ok(None),
                }
            };
            match stages.write_output(output, &mut font_for) {
                Ok(path) => {
                    reporter.report(&Event::Wrote { path: &path });
                    written.push(path);
                }
                Err(e) => {
                    cancel.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(written)
    })
}

/// Characters of the script `lang` recognises, for the font search.
fn script_sample(lang: crate::ocr::Lang) -> &'static str {
    match lang {
        crate::ocr::Lang::ChiSimEng => "中文",
    }
}

/// Slides as the fetcher delivers them, in any order: each stage waits here for the slide it
/// needs next, so conversion starts with the first arrival instead of the last.
struct Arrivals {
    slots: Mutex<Vec<Option<Result<PathBuf, SlideError>>>>,
    arrived: Condvar,
}

impl Arrivals {
    fn new(count: usize) -> Self {
        Arrivals {
            slots: Mutex::new(vec![None; count]),
            arrived: Condvar::new(),
        }
    }

    fn put(&self, index: usize, result: Result<PathBuf, SlideError>) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.get_mut(index) {
            *slot = Some(result);
        }
        self.arrived.notify_all();
    }

    /// Fail every slide the fetcher did not deliver.
    fn close(&self, deck: &Deck, crashed: bool) {
        let reason = if crashed {
            SlideFailure::Internal("fetching")
        } else {
            SlideFailure::NotFetched
        };
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        for (slot, slide) in slots.iter_mut().zip(&deck.slides) {
            if slot.is_none() {
                *slot = Some(Err(SlideError::new(deck, slide, reason.clone())));
            }
        }
        self.arrived.notify_all();
    }

    /// Slide `index`'s local file or its error, once it is known (`index` < the slide count).
    fn wait(&self, index: usize) -> Result<PathBuf, SlideError> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(result) = &slots[index] {
                return result.clone();
            }
            slots = self.arrived.wait(slots).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// A failed write into the output file (a full disk, an I/O error) is about the target, not
/// a slide or a format: say so, naming the target.
fn name_the_target(error: Error, target: &Path) -> Error {
    let output_io = |e: &WriteError| match e {
        WriteError::Io { source, .. } => {
            Some(std::io::Error::new(source.kind(), source.to_string()))
        }
        _ => None,
    };
    let io = match &error {
        Error::Write(e) => output_io(e),
        Error::Slides(errors) => {
            let each: Option<Vec<_>> = errors
                .iter()
                .map(|e| match &e.cause {
                    SlideFailure::Write(w) => output_io(w),
                    _ => None,
                })
                .collect();
            each.and_then(|v| v.into_iter().next())
        }
        _ => None,
    };
    match io {
        Some(source) => Error::io(format!("cannot write {}", target.display()), source),
        None => error,
    }
}

fn slide_info(slide: &Slide, info: &ImageInfo, text: Option<Arc<PageText>>) -> SlideInfo {
    let (width, height) = info.display_size();
    SlideInfo {
        position: slide.position,
        label: slide.label.clone(),
        alt: slide.alt.clone(),
        notes: slide.notes.clone(),
        width,
        height,
        text,
    }
}

/// A name-based UUID (version 5 layout) from the slides' content and the edition: the same
/// deck gives the same identifier, another edition of it another one.
fn identifier(content: &[u8; 32], edition: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(content);
    hasher.update(edition.as_bytes());
    let hash: [u8; 32] = hasher.finalize().into();
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

struct Stages<'a> {
    deck: &'a Deck,
    arrivals: &'a Arrivals,
    options: &'a ConvertOptions,
    reporter: &'a dyn Reporter,
    recognized: Option<&'a Recognized<'a>>,
    /// Asked whether the run was stopped, between slides and before an output is committed.
    fetcher: &'a Fetcher,
    /// Every output takes the cover's title; it is announced once.
    cover_title_reported: AtomicBool,
}

/// One slide through probe and encode: its description, its content digest (for the book's
/// identifier) and its page, `None` once the run has failed and pages are no longer written.
struct Encoded {
    info: SlideInfo,
    digest: [u8; 32],
    page: Option<Page>,
}

impl Stages<'_> {
    /// Write one output beside its target and rename it into place only when complete.
    fn write_output(
        &self,
        output: &Output<'_>,
        font: &mut dyn FnMut() -> Result<Option<FontData>, Error>,
    ) -> Result<PathBuf, Error> {
        let (partial, file) = PartialOutput::begin(&output.target)?;
        let setup = Setup {
            timestamp: self.options.timestamp,
            slide_count: self.deck.slides.len(),
        };
        let writer = output.backend.create(Box::new(file), &setup)?;
        let needs = output.backend.image_needs();
        let edition = output.backend.edition();
        let written = self.write_all(writer, &needs, &edition, font);
        // On any error, and when stopped, `partial` is dropped and its temporary file removed.
        if self.fetcher.stopped() {
            return Err(Error::Stopped);
        }
        written.map_err(|e| name_the_target(e, &output.target))?;
        partial.commit()
    }

    /// Probe and encode slides on `encode_jobs` threads as they arrive, while this thread
    /// writes finished pages in slide order. Every failure of the run (fetch, probe, encode)
    /// is listed.
    fn write_all(
        &self,
        mut writer: Box<dyn PageWriter>,
        needs: &ImageNeeds,
        edition: &str,
        font: &mut dyn FnMut() -> Result<Option<FontData>, Error>,
    ) -> Result<(), Error> {
        let encoder = writer.encoder();
        let jobs = self.options.encode_jobs.max(1);
        let count = self.deck.slides.len();
        // Once a slide failed the output is lost: later slides are only checked, not encoded.
        // With `--skip-broken` a failed slide is only left out.
        let skip_broken = self.options.skip_broken;
        let failed = AtomicBool::new(false);
        let mut errors: Vec<SlideError> = Vec::new();
        let mut skipped: Vec<SlideError> = Vec::new();
        let mut slides: Vec<SlideInfo> = Vec::with_capacity(count);
        let mut hasher = Sha256::new();
        let work = |i: usize| {
            let slide = &self.deck.slides[i];
            if self.fetcher.stopped() {
                failed.store(true, Ordering::Relaxed);
                return Err(SlideError::new(self.deck, slide, FetchError::Stopped));
            }
            let result = self.arrivals.wait(i).and_then(|path| {
                let encode = !failed.load(Ordering::Relaxed);
                // A decoder that panics on a hostile file fails that slide, not the run, and
                // says so in the slide's error only (normalize::guard).
                normalize::guard::guarded(|| {
                    self.encode(slide, &path, encode, encoder.as_ref(), needs)
                })
                .unwrap_or_else(|crash| Err(normalize::NormalizeError::from(crash).into()))
                .map_err(|cause| SlideError::new(self.deck, slide, cause))
            });
            if result.is_err() && !skip_broken {
                failed.store(true, Ordering::Relaxed);
            }
            result
        };
        let consumed = window::run_ordered(count, jobs, jobs + 1, work, |i, result| match result {
            Err(error) if skip_broken => skipped.push(error),
            Err(error) => errors.push(error),
            Ok(encoded) => {
                hasher.update(encoded.digest);
                // Once the output is lost, later pages are only checked.
                if let (Some(page), true) = (encoded.page, errors.is_empty()) {
                    if let Err(e) = writer.write_page(&encoded.info, page) {
                        failed.store(true, Ordering::Relaxed);
                        errors.push(SlideError::new(self.deck, &self.deck.slides[i], e));
                    }
                }
                self.reporter
                    .report(&Event::SlideWritten { position: i + 1 });
                slides.push(encoded.info);
            }
        });
        if consumed < count {
            errors.push(SlideError::new(
                self.deck,
                &self.deck.slides[consumed],
                SlideFailure::Internal("encoding"),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Slides(errors));
        }
        if slides.is_empty() {
            return Err(Error::Slides(skipped));
        }
        if !skipped.is_empty() {
            self.reporter.report(&Event::LeftOut { slides: &skipped });
        }
        self.reporter.report(&Event::AllWritten);
        let book = Book {
            meta: self.meta(),
            slides,
            timestamp: self.options.timestamp,
            identifier: identifier(&hasher.finalize().into(), edition),
        };
        let font = font()?;
        writer.finish(&book, font.as_ref())?;
        Ok(())
    }

    /// The deck's metadata, its title checked against the cover slide's largest text: the
    /// cover confirms it, or corrects a weak one (`cover::check_cover`). A title given as
    /// written (front matter, `--title`) is not checked.
    fn meta(&self) -> DeckMeta {
        let mut meta = self.deck.meta.clone();
        let Some(score) = meta.title_score else {
            return meta;
        };
        let cover = self.recognized.and_then(|r| r.get(0));
        let Some(cover) = cover.as_deref().and_then(PageText::cover_title) else {
            return meta;
        };
        let check = cover::check_cover(&meta.title, score, &cover);
        if !self.cover_title_reported.swap(true, Ordering::Relaxed) {
            self.reporter.report(&Event::CoverTitle { check: &check });
        }
        meta.title_notes.push(check.why());
        if check.verdict == CoverVerdict::Corrects {
            meta.title = check.title().to_string();
            meta.title_is_fallback = false;
            meta.title_score = Some(check.cover_score);
        }
        meta
    }

    /// Read, probe, normalize and encode one slide (`encode` false: only read and probe).
    fn encode(
        &self,
        slide: &Slide,
        path: &Path,
        encode: bool,
        encoder: &dyn PageEncoder,
        needs: &ImageNeeds,
    ) -> Result<Encoded, SlideFailure> {
        let bytes = fs::read(path).map_err(|e| SlideFailure::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let limits = &self.options.limits;
        let info = normalize::probe(&bytes, limits).map_err(normalize::NormalizeError::from)?;
        let digest: [u8; 32] = Sha256::digest(&bytes).into();
        let text = match self.recognized {
            Some(recognized) if encode => recognized.page(
                slide.position - 1,
                &bytes,
                &info,
                &digest,
                limits,
                self.reporter,
            ),
            _ => None,
        };
        let described = slide_info(slide, &info, text);
        let page = if encode {
            let prepared = normalize::prepare(bytes, info, needs, limits)?;
            Some(encoder.encode_page(&described, prepared)?)
        } else {
            None
        };
        Ok(Encoded {
            info: described,
            digest,
            page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_is_a_name_based_uuid_per_edition() {
        let id = identifier(&[7u8; 32], "pdf");
        assert_eq!(id.len(), "urn:uuid:".len() + 36);
        assert_eq!(&id[23..24], "5");
        assert_eq!(id, identifier(&[7u8; 32], "pdf"));
        assert_ne!(id, identifier(&[7u8; 32], "epub"));
    }
}
