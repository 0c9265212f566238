//! The pipeline: read → fetch → probe → normalize → write, for every input and backend. It
//! knows no format by name: every output is a [`Backend`] from the settings.

pub mod anthology;
pub mod output;
pub mod recognize;
mod slides;
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
use crate::fetch::{FetchError, FetchTurn, Fetcher};
use crate::fonts::{self, FontData};
use crate::model::{Deck, DeckMeta, Slide};
use crate::normalize::{self, ImageInfo, ImageNeeds};
use crate::ocr::PageText;
use crate::reader;
use crate::reader::title::cover::{self, CoverVerdict};
use crate::report::{Event, Reporter};
use crate::settings::Settings;
use crate::writer::{
    Backend, Book, Page, PageEncoder, PageWriter, Plan, Setup, SlideInfo, Talk, WriteError,
};

pub use self::anthology::SlideDigest;
use self::output::PartialOutput;
use self::recognize::Recognized;
pub use self::recognize::OCR_CACHE_FOLDER;
pub use crate::settings::{AnthologyOptions, ConvertOptions, OcrOptions, SortKey};

/// What a run did: the files it wrote and every deck that failed, with why.
#[derive(Debug, Default)]
pub struct Outcome {
    pub written: Vec<PathBuf>,
    pub failures: Vec<(String, Error)>,
    /// One line per deck (`--report`): what it was, what became of it.
    pub decks: Vec<DeckReport>,
}

/// What became of one deck of a run: the `--report` line.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DeckReport {
    /// The input as given (a path, a URL, `<stdin>`), or the deck file a folder held.
    pub input: String,
    /// The files written from it (an anthology's book, for each of its talks).
    pub output: Vec<PathBuf>,
    pub title: Option<String>,
    pub speakers: Vec<String>,
    /// Slides in the deck as read.
    pub slides: usize,
    /// Warnings while it was converted (slides left out, text not recognised, a talk
    /// left out of an anthology as a duplicate).
    pub warnings: Vec<String>,
    /// Why it failed; `None` when it was written.
    pub error: Option<String>,
}

impl DeckReport {
    fn of(input: String, deck: Option<&Deck>) -> Self {
        DeckReport {
            input,
            title: deck.map(|d| d.meta.title.clone()),
            speakers: deck.map(|d| d.meta.authors.clone()).unwrap_or_default(),
            slides: deck.map_or(0, |d| d.slides.len()),
            ..DeckReport::default()
        }
    }
}

/// Passes every event on and keeps the warnings, for the deck's `--report` line.
struct Collecting<'a> {
    inner: &'a dyn Reporter,
    warnings: Mutex<Vec<String>>,
}

impl<'a> Collecting<'a> {
    fn new(inner: &'a dyn Reporter) -> Self {
        Collecting {
            inner,
            warnings: Mutex::new(Vec::new()),
        }
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Reporter for Collecting<'_> {
    fn report(&self, event: &Event<'_>) {
        let said = match event {
            Event::LeftOut { slides } => slides.iter().map(|e| format!("left out: {e}")).collect(),
            Event::NotRecognized { position, reason } => {
                vec![format!("slide {position}: no text recognised: {reason}")]
            }
            Event::Uncovered { chars } => {
                vec![format!("no font covers {} characters", chars.len())]
            }
            Event::DuplicateTalk { kept, dropped, why } => {
                vec![format!(
                    "{dropped} left out: the same talk as {kept} ({why})"
                )]
            }
            _ => Vec::new(),
        };
        if !said.is_empty() {
            self.warnings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(said);
        }
        self.inner.report(event);
    }
}

/// One output of a deck: the format and the file it goes to.
pub struct Output<'a> {
    pub backend: &'a dyn Backend,
    pub target: PathBuf,
}

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
    let mut taken_names = HashSet::new();
    if let Some(anthology) = &settings.anthology {
        let (mut written, failures, mut lines) =
            convert_anthology(anthology, settings, &fetcher, &mut taken_names, reporter);
        outcome.written.append(&mut written);
        outcome.failures.extend(failures);
        outcome.decks.append(&mut lines);
        report_cache_warnings(&fetcher, reporter);
        if fetcher.stopped() {
            return outcome;
        }
    }
    // A whole archive in one run: a folder of decks is every deck in it, each its own
    // output; one deck's failure is named and the others are still written.
    if settings.anthology.is_none() {
        let singles = anthology::expand_inputs(&settings.inputs);
        convert_archive(
            &singles,
            settings,
            &fetcher,
            &mut taken_names,
            reporter,
            &mut outcome,
        );
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

/// A deck read ahead of its turn, with its slides already downloading.
struct ReadAhead<'i> {
    input: &'i reader::Input,
    deck: Result<Arc<Deck>, Error>,
    download: Option<Arc<Download>>,
}

/// Every input, each deck into its own outputs. The next deck is read and its downloads begin
/// while this one is written (sharing the run's download slots, this deck's first), so a
/// folder of remote decks takes about as long as its downloads. One deck's failure is named
/// and the others are still written.
fn convert_archive(
    inputs: &[reader::Input],
    settings: &Settings,
    fetcher: &Fetcher,
    taken_names: &mut HashSet<PathBuf>,
    reporter: &dyn Reporter,
    outcome: &mut Outcome,
) {
    let single_output = inputs.len() * settings.backends.len() == 1;
    if inputs.len() > 1 {
        reporter.report(&Event::Archive {
            decks: inputs.len(),
        });
    }
    thread::scope(|scope| {
        // A rendezvous: one deck read and downloading ahead of the one being written.
        let (ahead, read_ahead) = std::sync::mpsc::sync_channel::<ReadAhead<'_>>(0);
        scope.spawn(move || {
            for input in inputs {
                if fetcher.stopped() {
                    break;
                }
                let deck = read_deck(input, settings, fetcher).map(Arc::new);
                let download = deck.as_ref().ok().map(|deck| {
                    let download = Arc::new(Download::new(deck.slides.len()));
                    let (deck, started) = (Arc::clone(deck), Arc::clone(&download));
                    // Taken here, in deck order, not on the fetch's own thread.
                    let turn = fetcher.turn();
                    scope.spawn(move || {
                        fetch_deck(
                            &deck,
                            turn,
                            &started.arrivals,
                            fetcher,
                            reporter,
                            &started.cancel,
                        )
                    });
                    download
                });
                let next = ReadAhead {
                    input,
                    deck,
                    download,
                };
                if let Err(unsent) = ahead.send(next) {
                    if let Some(download) = unsent.0.download {
                        download.cancel.store(true, Ordering::Relaxed);
                    }
                    break;
                }
            }
        });
        let mut read_ahead = read_ahead.into_iter();
        for input in inputs {
            let next = match read_ahead.next() {
                Some(next) if !fetcher.stopped() => next,
                stopped => {
                    if let Some(download) = stopped.and_then(|n| n.download) {
                        download.cancel.store(true, Ordering::Relaxed);
                    }
                    outcome.failures.push((input_name(input), Error::Stopped));
                    continue;
                }
            };
            let collecting = Collecting::new(reporter);
            let mut line = DeckReport::of(input_name(input), None);
            let result = convert_input(
                next,
                settings,
                single_output,
                fetcher,
                taken_names,
                &collecting,
                &mut line,
            );
            report_cache_warnings(fetcher, reporter);
            line.warnings = collecting.take();
            let failed = result.is_err();
            match result {
                Err(_) if fetcher.stopped() => {
                    outcome.failures.push((input_name(input), Error::Stopped))
                }
                Ok(mut paths) => {
                    line.output = paths.clone();
                    outcome.written.append(&mut paths);
                }
                Err(e) => {
                    line.error = Some(e.to_string());
                    outcome.failures.push((input_name(input), e));
                }
            }
            outcome.decks.push(line);
            reporter.report(&Event::DeckDone { failed });
        }
    });
}

/// A deck read, with slides to convert.
fn read_deck(input: &reader::Input, settings: &Settings, fetcher: &Fetcher) -> Result<Deck, Error> {
    let deck = reader::read(input, &settings.overrides, fetcher)?;
    if deck.slides.is_empty() {
        return Err(Error::Deck(format!(
            "{}: no slide images found",
            deck.origin.display_name()
        )));
    }
    Ok(deck)
}

fn convert_input(
    next: ReadAhead<'_>,
    settings: &Settings,
    single: bool,
    fetcher: &Fetcher,
    taken_names: &mut HashSet<PathBuf>,
    reporter: &dyn Reporter,
    line: &mut DeckReport,
) -> Result<Vec<PathBuf>, Error> {
    let ReadAhead {
        input,
        deck,
        download,
    } = next;
    // Whatever fails here, the deck's downloads stop.
    let cancel_on_error = |e: Error| {
        if let Some(download) = &download {
            download.cancel.store(true, Ordering::Relaxed);
        }
        e
    };
    let deck = deck?;
    *line = DeckReport::of(std::mem::take(&mut line.input), Some(&deck));
    reporter.report(&Event::DeckRead { deck: &deck });
    reporter.report(&Event::TitleDerived {
        notes: &deck.meta.title_notes,
    });
    let mut outputs = Vec::with_capacity(settings.backends.len());
    for backend in &settings.backends {
        let target = output::target_path(
            settings.output.as_deref(),
            single,
            &output::file_stem_for(&deck),
            backend.extension(),
            taken_names,
        )
        .map_err(cancel_on_error)?;
        output::refuse_overwriting_inputs(&target, input, &deck).map_err(cancel_on_error)?;
        outputs.push(Output {
            backend: backend.as_ref(),
            target,
        });
    }
    convert_from(
        std::slice::from_ref(&*deck),
        None,
        &outputs,
        &settings.convert,
        fetcher,
        reporter,
        download.as_deref(),
    )
    .map_err(cancel_on_error)
}

/// `--anthology`: every input (folders of decks opened) read, each talk once, in order,
/// into one book per format. Returns the files written and every failure: a deck that
/// cannot be read is named, and without `--skip-broken` no book is written; with it the
/// book holds the other decks and the run still reports the one left out.
fn convert_anthology(
    options: &AnthologyOptions,
    settings: &Settings,
    fetcher: &Fetcher,
    taken_names: &mut HashSet<PathBuf>,
    reporter: &dyn Reporter,
) -> (Vec<PathBuf>, Vec<(String, Error)>, Vec<DeckReport>) {
    let inputs = anthology::expand_inputs(&settings.inputs);
    let mut decks = Vec::with_capacity(inputs.len());
    let mut failures = Vec::new();
    let mut lines = Vec::with_capacity(inputs.len());
    for input in &inputs {
        if fetcher.stopped() {
            failures.push((input_name(input), Error::Stopped));
            return (Vec::new(), failures, lines);
        }
        let deck = read_deck(input, settings, fetcher);
        let mut line = DeckReport::of(input_name(input), deck.as_ref().ok());
        match deck {
            Ok(deck) => {
                lines.push(line);
                reporter.report(&Event::DeckRead { deck: &deck });
                reporter.report(&Event::TitleDerived {
                    notes: &deck.meta.title_notes,
                });
                decks.push(deck);
            }
            Err(e) => {
                line.error = Some(e.to_string());
                lines.push(line);
                failures.push((input_name(input), e));
            }
        }
    }
    if !failures.is_empty() && !settings.convert.skip_broken {
        return (Vec::new(), failures, lines);
    }
    let (decks, mut duplicates) = anthology::each_talk_once(decks);
    let (mut decks, by_content) =
        anthology::each_content_once(decks, &|wanted| slide_digests(wanted, fetcher));
    duplicates.extend(by_content);
    for d in &duplicates {
        reporter.report(&Event::DuplicateTalk {
            kept: &d.kept,
            dropped: &d.dropped,
            why: d.why,
        });
        if let Some(line) = lines.iter_mut().find(|l| l.input == d.dropped) {
            line.warnings
                .push(format!("left out: the same talk as {} ({})", d.kept, d.why));
        }
    }
    if let Some(key) = options.sort {
        anthology::sort(&mut decks, key);
    }
    if decks.is_empty() {
        failures.push((
            "--anthology".into(),
            Error::Deck("no deck with slides to put in the anthology".into()),
        ));
        return (Vec::new(), failures, lines);
    }
    let folder = match settings.inputs.as_slice() {
        [reader::Input::Path(dir)] if dir.is_dir() => Some(dir.as_path()),
        _ => None,
    };
    let collection = anthology::collection_meta(&decks, options, folder);
    reporter.report(&Event::TitleDerived {
        notes: &collection.title_notes,
    });
    reporter.report(&Event::Anthology {
        title: &collection.title,
        talks: decks.len(),
        slides: decks.iter().map(|d| d.slides.len()).sum(),
    });
    let outputs = match anthology_outputs(settings, &collection, &decks, taken_names) {
        Ok(outputs) => outputs,
        Err(e) => {
            failures.push((collection.title.clone(), e));
            return (Vec::new(), failures, lines);
        }
    };
    let collecting = Collecting::new(reporter);
    let result = convert_book(
        &decks,
        Some(&collection),
        &outputs,
        &settings.convert,
        fetcher,
        &collecting,
    );
    // Each talk's line names the book it went into, or why the book failed.
    let warnings = collecting.take();
    let talks: Vec<String> = decks.iter().map(|d| d.origin.display_name()).collect();
    for line in lines.iter_mut().filter(|l| talks.contains(&l.input)) {
        line.warnings.extend(warnings.iter().cloned());
        match &result {
            Ok(written) => line.output = written.clone(),
            Err(e) => line.error = Some(e.to_string()),
        }
    }
    match result {
        Ok(written) => (written, failures, lines),
        Err(e) => {
            failures.push((collection.title.clone(), e));
            (Vec::new(), failures, lines)
        }
    }
}

/// The content digest of each (deck, slide index), fetched (and so cached for the book)
/// several at once; `None` where the slide cannot be fetched or read.
fn slide_digests(wanted: &[(&Deck, usize)], fetcher: &Fetcher) -> Vec<Option<SlideDigest>> {
    let digests = Mutex::new(vec![None; wanted.len()]);
    let next = AtomicUsize::new(0);
    let digest = |deck: &Deck, index: usize| -> Option<SlideDigest> {
        let one = Deck {
            origin: deck.origin.clone(),
            meta: DeckMeta::default(),
            slides: vec![deck.slides.get(index)?.clone()],
        };
        let path = fetcher.fetch_each(&one).pop()?.ok()?;
        let mut file = fs::File::open(path).ok()?;
        let mut hasher = Sha256::new();
        std::io::copy(&mut file, &mut hasher).ok()?;
        Some(hasher.finalize().into())
    };
    thread::scope(|scope| {
        for _ in 0..fetcher.jobs().clamp(1, wanted.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(deck, index)) = wanted.get(i) else {
                    break;
                };
                if fetcher.stopped() {
                    break;
                }
                let found = digest(deck, index);
                if let Ok(mut digests) = digests.lock() {
                    digests[i] = found;
                }
            });
        }
    });
    digests.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// An anthology's outputs: one per format, named after the collection (`-o` is the file
/// when there is one format), none of them one of the decks or their images.
fn anthology_outputs<'s>(
    settings: &'s Settings,
    collection: &DeckMeta,
    decks: &[Deck],
    taken_names: &mut HashSet<PathBuf>,
) -> Result<Vec<Output<'s>>, Error> {
    let single = settings.backends.len() == 1;
    let stem = match output::sanitize_file_stem(&collection.title) {
        s if s.is_empty() => "anthology".to_string(),
        s => s,
    };
    let mut outputs = Vec::with_capacity(settings.backends.len());
    for backend in &settings.backends {
        let target = output::target_path(
            settings.output.as_deref(),
            single,
            &stem,
            backend.extension(),
            taken_names,
        )?;
        for deck in decks {
            output::refuse_overwriting_inputs(&target, &deck_input(deck), deck)?;
        }
        outputs.push(Output {
            backend: backend.as_ref(),
            target,
        });
    }
    Ok(outputs)
}

/// The input a deck was read from, for the check that no output overwrites it.
fn deck_input(deck: &Deck) -> reader::Input {
    match &deck.origin {
        crate::model::DeckOrigin::File(p) | crate::model::DeckOrigin::Folder(p) => {
            reader::Input::Path(p.clone())
        }
        crate::model::DeckOrigin::Url(u) => reader::Input::Url(u.clone()),
        crate::model::DeckOrigin::Stdin => reader::Input::Stdin,
    }
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
    convert_book(
        std::slice::from_ref(deck),
        None,
        outputs,
        options,
        fetcher,
        reporter,
    )
}

/// Convert decks into one book per output: a single deck (`collection` `None`), or the talks
/// of an anthology after the collection's title page and contents. Decks go one after the
/// other through the same writers — decks → pages → one writer — each deck's slides fetched
/// once for every output and written while later ones download, so memory holds a few
/// images whatever the number of decks. Returns the files written.
pub fn convert_book(
    decks: &[Deck],
    collection: Option<&DeckMeta>,
    outputs: &[Output<'_>],
    options: &ConvertOptions,
    fetcher: &Fetcher,
    reporter: &dyn Reporter,
) -> Result<Vec<PathBuf>, Error> {
    convert_from(decks, collection, outputs, options, fetcher, reporter, None)
}

/// [`convert_book`], taking a single deck's slides from a download already under way when
/// `started` is given.
fn convert_from(
    decks: &[Deck],
    collection: Option<&DeckMeta>,
    outputs: &[Output<'_>],
    options: &ConvertOptions,
    fetcher: &Fetcher,
    reporter: &dyn Reporter,
    started: Option<&Download>,
) -> Result<Vec<PathBuf>, Error> {
    debug_assert!(started.is_none() || decks.len() == 1);
    let plan = Plan { decks, collection };
    let total_slides: usize = decks.iter().map(|d| d.slides.len()).sum();
    // Set when the run fails before the last download: the rest would be for nothing.
    let own_cancel = AtomicBool::new(false);
    let cancel = started.map_or(&own_cancel, |d| &d.cancel);
    thread::scope(|scope| {
        // The font search needs only the decks' text: it runs while the slides download.
        let texts: Vec<Option<String>> = outputs
            .iter()
            .map(|o| o.backend.text_to_draw(&plan))
            .collect();
        let mut text: String = texts.iter().flatten().map(String::as_str).collect();
        // The cover's recognised text may replace a stand-in title (`Stages::meta`), but only
        // after the font is chosen: ask for the recognised script too, or a Latin stand-in
        // title picks a Latin font and a Chinese cover title is drawn without its Han.
        if let Some(ocr) = options.ocr.as_ref() {
            let correctable = decks
                .iter()
                .any(|d| d.meta.title_score.is_some_and(cover::may_correct));
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
        let fail = |e: Error| {
            cancel.store(true, Ordering::Relaxed);
            e
        };
        // Every output is open from the start: each deck is fetched once for all of them.
        let mut open = Vec::with_capacity(outputs.len());
        for output in outputs {
            open.push(OpenOutput::begin(output, options.timestamp, total_slides).map_err(fail)?);
        }
        let arrivals = started.map(|d| &d.arrivals);
        write_decks(
            decks, &mut open, options, fetcher, reporter, cancel, arrivals,
        )
        .map_err(fail)?;
        let mut font: Option<Result<FontData, fonts::FontError>> = None;
        let mut written = Vec::new();
        for (output, draws_text) in open.into_iter().zip(&texts) {
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
            let path = output.finish(
                collection,
                options.timestamp,
                &mut font_for,
                fetcher,
                reporter,
            )?;
            reporter.report(&Event::Wrote { path: &path });
            written.push(path);
        }
        Ok(written)
    })
}

/// Fetch one deck's slides into `arrivals`, reporting each as it lands; every slide not
/// delivered is failed at the end, so nobody waits for a slide that will never come.
fn fetch_deck(
    deck: &Deck,
    turn: FetchTurn<'_>,
    arrivals: &Arrivals,
    fetcher: &Fetcher,
    reporter: &dyn Reporter,
    cancel: &AtomicBool,
) {
    let fetched = AtomicUsize::new(0);
    let total = deck.slides.len();
    let crashed = panic::catch_unwind(AssertUnwindSafe(|| {
        fetcher.fetch_each_with(deck, turn, cancel, &|index, result| {
            let done = fetched.fetch_add(1, Ordering::Relaxed) + 1;
            let bytes = match &result {
                Ok(path) => fs::metadata(path).map_or(0, |m| m.len()),
                Err(_) => 0,
            };
            reporter.report(&Event::SlideFetched {
                position: index + 1,
                done,
                total,
                bytes,
            });
            arrivals.put(
                index,
                result.map_err(|e| SlideError::new(deck, &deck.slides[index], e)),
            );
        });
    }))
    .is_err();
    report_cache_warnings(fetcher, reporter);
    reporter.report(&Event::AllFetched);
    arrivals.close(deck, crashed);
}

/// Every deck's slides into every open output, in order. Each deck is fetched once for all
/// outputs on a thread of its own, one deck ahead: the next deck downloads while this one's
/// slides are encoded and written, so a book of many remote decks takes about as long as
/// their downloads. Only file paths wait in `Arrivals`, never images.
fn write_decks(
    decks: &[Deck],
    open: &mut [OpenOutput],
    options: &ConvertOptions,
    fetcher: &Fetcher,
    reporter: &dyn Reporter,
    cancel: &AtomicBool,
    started: Option<&Arrivals>,
) -> Result<(), Error> {
    let own: Vec<Arrivals> = match started {
        Some(_) => Vec::new(),
        None => decks
            .iter()
            .map(|d| Arrivals::new(d.slides.len()))
            .collect(),
    };
    let arrivals: Vec<&Arrivals> = match started {
        Some(started) => vec![started],
        None => own.iter().collect(),
    };
    thread::scope(|scope| {
        let fetch = |i: usize| {
            if started.is_some() {
                return;
            }
            let (deck, arrivals) = (&decks[i], arrivals[i]);
            let turn = fetcher.turn();
            scope.spawn(move || fetch_deck(deck, turn, arrivals, fetcher, reporter, cancel));
        };
        if !decks.is_empty() {
            fetch(0);
        }
        for (i, deck) in decks.iter().enumerate() {
            if fetcher.stopped() {
                cancel.store(true, Ordering::Relaxed);
                return Err(Error::Stopped);
            }
            if i + 1 < decks.len() {
                fetch(i + 1);
            }
            // On an error the downloads stop before the scope waits for their threads.
            write_deck(deck, arrivals[i], open, options, fetcher, reporter).inspect_err(|_| {
                cancel.store(true, Ordering::Relaxed);
            })?;
        }
        Ok(())
    })
}

/// One deck's slides, as they arrive, into every open output in slide order.
fn write_deck(
    deck: &Deck,
    arrivals: &Arrivals,
    open: &mut [OpenOutput],
    options: &ConvertOptions,
    fetcher: &Fetcher,
    reporter: &dyn Reporter,
) -> Result<(), Error> {
    let recognized = options
        .ocr
        .as_ref()
        .map(|ocr| Recognized::new(ocr, deck.slides.len(), fetcher.cache_dir()));
    let stages = Stages {
        deck,
        arrivals,
        options,
        reporter,
        recognized: recognized.as_ref(),
        fetcher,
        cover_title_reported: AtomicBool::new(false),
    };
    for output in open.iter_mut() {
        let result = stages.write_talk(output);
        if fetcher.stopped() {
            return Err(Error::Stopped);
        }
        result.map_err(|e| name_the_target(e, &output.target))?;
    }
    Ok(())
}

/// An output being written: its temporary file, its writer and what it has taken so far.
struct OpenOutput {
    target: PathBuf,
    partial: PartialOutput,
    writer: Box<dyn PageWriter>,
    encoder: Box<dyn PageEncoder>,
    needs: ImageNeeds,
    edition: String,
    /// Every slide written, in order, and the talks they make up.
    slides: Vec<SlideInfo>,
    talks: Vec<Talk>,
    /// Slides left out under `--skip-broken`, for the error when none is left.
    skipped: Vec<SlideError>,
    /// Over every slide's content digest: the book's identifier.
    hasher: Sha256,
}

impl OpenOutput {
    /// Start writing beside the target. Anything that can fail before the first slide
    /// (templates, a cover image) fails here, before any download.
    fn begin(output: &Output<'_>, timestamp: i64, slide_count: usize) -> Result<Self, Error> {
        let (partial, file) = PartialOutput::begin(&output.target)?;
        let setup = Setup {
            timestamp,
            slide_count,
        };
        let writer = output.backend.create(Box::new(file), &setup)?;
        Ok(OpenOutput {
            target: output.target.clone(),
            partial,
            encoder: writer.encoder(),
            writer,
            needs: output.backend.image_needs(),
            edition: output.backend.edition(),
            slides: Vec::with_capacity(slide_count),
            talks: Vec::new(),
            skipped: Vec::new(),
            hasher: Sha256::new(),
        })
    }

    /// Write what needs the whole book and rename the file into place.
    fn finish(
        self,
        collection: Option<&DeckMeta>,
        timestamp: i64,
        font: &mut dyn FnMut() -> Result<Option<FontData>, Error>,
        fetcher: &Fetcher,
        reporter: &dyn Reporter,
    ) -> Result<PathBuf, Error> {
        let OpenOutput {
            target,
            partial,
            writer,
            slides,
            talks,
            skipped,
            hasher,
            edition,
            ..
        } = self;
        if slides.is_empty() {
            return Err(Error::Slides(skipped));
        }
        reporter.report(&Event::AllWritten);
        let identifier = identifier(&hasher.finalize().into(), &edition);
        let book = match collection {
            None => {
                let meta = talks.first().map(|t| t.meta.clone()).unwrap_or_default();
                Book::deck(meta, slides, timestamp, identifier)
            }
            Some(meta) => Book {
                meta: meta.clone(),
                slides,
                talks,
                anthology: true,
                timestamp,
                identifier,
            },
        };
        let written = font().and_then(|font| Ok(writer.finish(&book, font.as_ref())?));
        // On any error, and when stopped, `partial` is dropped and its temporary file removed.
        if fetcher.stopped() {
            return Err(Error::Stopped);
        }
        written.map_err(|e| name_the_target(e, &target))?;
        partial.commit()
    }
}

/// Characters of the script `lang` recognises, for the font search.
fn script_sample(lang: crate::ocr::Lang) -> &'static str {
    match lang {
        crate::ocr::Lang::ChiSimEng => "中文",
    }
}

/// A deck's slides downloading on a thread of their own, for its conversion to take as they
/// land; `cancel` stops the downloads not yet begun.
struct Download {
    arrivals: Arrivals,
    cancel: AtomicBool,
}

impl Download {
    fn new(slides: usize) -> Self {
        Download {
            arrivals: Arrivals::new(slides),
            cancel: AtomicBool::new(false),
        }
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
        talk: 0,
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
    /// Probe and encode this deck's slides on `encode_jobs` threads as they arrive, while
    /// this thread writes finished pages in slide order into `output`, as the book's next
    /// talk. Every failure of the deck (fetch, probe, encode) is listed.
    fn write_talk(&self, output: &mut OpenOutput) -> Result<(), Error> {
        let encoder = output.encoder.as_ref();
        let needs = &output.needs;
        let jobs = self.options.encode_jobs.max(1);
        let count = self.deck.slides.len();
        // Once a slide failed the output is lost: later slides are only checked, not encoded.
        // With `--skip-broken` a failed slide is only left out.
        let skip_broken = self.options.skip_broken;
        let failed = AtomicBool::new(false);
        let mut errors: Vec<SlideError> = Vec::new();
        let mut skipped: Vec<SlideError> = Vec::new();
        // Slides of this talk point at the talk it becomes (a talk none of whose slides is
        // left becomes none).
        let talk = output.talks.len();
        let first = output.slides.len();
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
                normalize::guard::guarded(|| self.encode(slide, &path, encode, encoder, needs))
                    .unwrap_or_else(|crash| Err(normalize::NormalizeError::from(crash).into()))
                    .map_err(|cause| SlideError::new(self.deck, slide, cause))
            });
            if result.is_err() && !skip_broken {
                failed.store(true, Ordering::Relaxed);
            }
            result
        };
        let writer = &mut output.writer;
        let slides = &mut output.slides;
        let hasher = &mut output.hasher;
        let consumed = window::run_ordered(count, jobs, jobs + 1, work, |i, result| match result {
            Err(error) if skip_broken => skipped.push(error),
            Err(error) => errors.push(error),
            Ok(mut encoded) => {
                hasher.update(encoded.digest);
                encoded.info.talk = talk;
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
        if !skipped.is_empty() {
            self.reporter.report(&Event::LeftOut { slides: &skipped });
        }
        output.skipped.append(&mut skipped);
        let end = output.slides.len();
        if end > first {
            output.talks.push(Talk {
                meta: self.meta(),
                slides: first..end,
            });
        }
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
