//! The library's events as the user sees them on stderr: warnings, "wrote …", the `-v`
//! timeline, and a progress bar while slides download (on a terminal, without `-v`).

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use deckconv::error::{compact_positions, group_failures, FailureGroup, SlideError, SlideFailure};
use deckconv::fetch::{FetchError, ServerFailure};
use deckconv::model::SlideSource;
use deckconv::reader::title::cover::CoverVerdict;
use deckconv::report::{Event, Reporter};

pub struct Terminal {
    quiet: bool,
    verbose: u8,
    start: Instant,
    /// Drawn only on a terminal, and not under `-v`: a redrawn bar and the timeline would
    /// garble each other.
    bar_allowed: bool,
    bar: Mutex<Option<ProgressBar>>,
    /// What the bar counts; per deck unless the run has one bar for all of it.
    whole_run: Mutex<WholeRun>,
}

#[derive(Clone, Copy, PartialEq)]
enum WholeRun {
    /// A bar per deck, for its slides.
    No,
    /// An anthology: every deck's slides, from the first fetch to the book.
    Anthology,
    /// A whole archive: decks done, with the slides and bytes fetched so far.
    Archive { slides: u64, bytes: u64 },
}

impl Terminal {
    pub fn new(quiet: bool, verbose: u8) -> Self {
        Terminal {
            quiet,
            verbose: if quiet { 0 } else { verbose },
            start: Instant::now(),
            bar_allowed: !quiet && verbose == 0 && std::io::stderr().is_terminal(),
            bar: Mutex::new(None),
            whole_run: Mutex::new(WholeRun::No),
        }
    }

    /// Never `eprintln!`: a closed stderr must not take the run down with a panic.
    fn line(&self, text: &str) {
        let bar = self.bar.lock().ok();
        match bar.as_ref().and_then(|b| b.as_ref()) {
            Some(bar) => bar.suspend(|| {
                let _ = writeln!(std::io::stderr(), "{text}");
            }),
            None => {
                let _ = writeln!(std::io::stderr(), "{text}");
            }
        }
    }

    pub fn error(&self, message: &str) {
        self.line(&format!("deckconv: {message}"));
    }

    /// The first SIGINT or SIGTERM: the run ends after the step under way, which may be a
    /// download waiting on a silent server.
    pub fn stopping(&self, signal: &str) {
        if !self.quiet {
            self.line(&format!(
                "deckconv: {signal} received, stopping (send it again to stop at once)"
            ));
        }
    }

    /// Slides that failed `input`: one line per cause, so a dead server is one line however
    /// many slides it had; `-v` adds each slide's detail.
    pub fn slides_failed(&self, input: &str, errors: &[SlideError]) {
        let mut message = format!("{input}: {} slide(s) failed:", errors.len());
        self.push_groups(&mut message, errors);
        self.error(&message);
    }

    fn push_groups(&self, message: &mut String, errors: &[SlideError]) {
        for group in group_failures(errors) {
            let slides = group.slides();
            let FailureGroup::ServerDown { server, kind, .. } = &group else {
                message.push_str(&format!("\n  {}", slides[0]));
                continue;
            };
            let count = match slides.len() {
                1 => format!("slide {}", slides[0].position),
                n => format!(
                    "{n} slides ({})",
                    compact_positions(slides.iter().map(|e| e.position))
                ),
            };
            message.push_str(&format!(
                "\n  {count}: {} — {}",
                kind.describe(server),
                server_hint(*kind)
            ));
            match group.in_cache() {
                0 => {}
                n if n == slides.len() => message.push_str("; in the cache: try --offline"),
                n => message.push_str(&format!(
                    "; {n} of them in the cache: --offline --skip-broken keeps those"
                )),
            }
            if self.verbose > 0 {
                for error in slides {
                    message.push_str(&format!("\n    {error}"));
                    if let SlideFailure::Fetch(FetchError::ServerDown { detail, .. }) = &error.cause
                    {
                        message.push_str(&format!(" [{detail}]"));
                    }
                }
            }
        }
    }

    fn note(&self, level: u8, what: std::fmt::Arguments) {
        if self.verbose >= level {
            let seconds = self.start.elapsed().as_secs_f64();
            self.line(&format!("[{seconds:7.3} s] {what}"));
        }
    }

    fn whole_run(&self) -> WholeRun {
        self.whole_run.lock().map_or(WholeRun::No, |w| *w)
    }

    fn set_whole_run(&self, whole_run: WholeRun) {
        if let Ok(mut w) = self.whole_run.lock() {
            *w = whole_run;
        }
    }

    fn start_bar(&self, total: u64, template: &str) {
        if !self.bar_allowed || self.whole_run() != WholeRun::No {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        if let Ok(mut slot) = self.bar.lock() {
            *slot = Some(bar);
        }
    }

    fn end_bar(&self) {
        if let Some(bar) = self.bar.lock().ok().and_then(|mut b| b.take()) {
            bar.finish_and_clear();
        }
    }
}

impl Reporter for Terminal {
    fn report(&self, event: &Event<'_>) {
        match event {
            Event::DeckRead { deck } => {
                self.note(
                    1,
                    format_args!(
                        "read {}: {} slides",
                        deck.origin.display_name(),
                        deck.slides.len()
                    ),
                );
                if deck
                    .slides
                    .iter()
                    .any(|s| matches!(s.source, SlideSource::Remote(_)))
                {
                    self.start_bar(deck.slides.len() as u64, SLIDES_BAR);
                }
            }
            Event::TitleDerived { notes } => {
                for note in *notes {
                    self.note(1, format_args!("title: {note}"));
                }
            }
            Event::FontChosen { name } => self.note(1, format_args!("font: {name}")),
            Event::Uncovered { chars } if !self.quiet => {
                let points: Vec<String> = chars
                    .iter()
                    .map(|c| format!("U+{:04X}", *c as u32))
                    .collect();
                self.line(&format!(
                    "warning: no font covers {} (use --font FILE)",
                    points.join(" ")
                ));
            }
            Event::CacheFallback { message } if !self.quiet => {
                self.line(&format!("deckconv: {message}"));
            }
            Event::SlideFetched {
                position,
                done,
                bytes,
                ..
            } => {
                if let Some(bar) = self.bar.lock().ok().as_ref().and_then(|b| b.as_ref()) {
                    // Decks arrive one after the other, the next fetched ahead: a whole
                    // run's bar counts every slide of it.
                    match self.whole_run() {
                        WholeRun::No => bar.set_position(*done as u64),
                        WholeRun::Anthology => bar.inc(1),
                        WholeRun::Archive { .. } => {
                            if let Ok(mut whole_run) = self.whole_run.lock() {
                                if let WholeRun::Archive { slides, bytes: sum } = &mut *whole_run {
                                    *slides += 1;
                                    *sum += bytes;
                                    bar.set_message(format!(
                                        "{slides} slides, {}",
                                        indicatif::HumanBytes(*sum)
                                    ));
                                }
                            }
                        }
                    }
                }
                self.note(2, format_args!("slide {position} fetched"));
            }
            Event::AllFetched => {
                if self.whole_run() == WholeRun::No {
                    self.end_bar();
                }
                self.note(1, format_args!("fetched every slide"));
            }
            Event::SlideWritten { position } => {
                self.note(2, format_args!("slide {position} written"));
            }
            Event::AllWritten => self.note(1, format_args!("wrote every slide")),
            Event::LeftOut { slides } if !self.quiet => {
                let mut message = format!("warning: left out {} slide(s):", slides.len());
                self.push_groups(&mut message, slides);
                self.line(&message);
            }
            Event::Wrote { path } => {
                // An archive's bar stays for the decks to come; its lines print above it.
                if !matches!(self.whole_run(), WholeRun::Archive { .. }) {
                    self.set_whole_run(WholeRun::No);
                    self.end_bar();
                }
                self.note(1, format_args!("finished {}", path.display()));
                if !self.quiet {
                    self.line(&format!("wrote {}", path.display()));
                }
            }
            Event::CacheEvicted { bytes } => {
                self.note(1, format_args!("cache: evicted {bytes} bytes"));
            }
            Event::SlideRecognized { position, cached } => {
                let how = if *cached { " (cached)" } else { "" };
                self.note(2, format_args!("slide {position} text recognised{how}"));
            }
            Event::NotRecognized { position, reason } if !self.quiet => {
                self.line(&format!(
                    "warning: slide {position}: no text recognised: {reason}"
                ));
            }
            Event::CoverTitle { check } => match check.verdict {
                CoverVerdict::Corrects => self.note(
                    1,
                    format_args!(
                        "title from the cover slide: {} ({})",
                        check.title(),
                        check.why()
                    ),
                ),
                CoverVerdict::Confirms | CoverVerdict::Overruled => {
                    self.note(1, format_args!("title: {}", check.why()));
                }
            },
            Event::DuplicateTalk { kept, dropped, why } => {
                self.note(
                    1,
                    format_args!("left out {dropped}: the same talk as {kept} ({why})"),
                );
            }
            Event::Anthology {
                title,
                talks,
                slides,
            } => {
                self.note(
                    1,
                    format_args!("anthology {title}: {talks} talks, {slides} slides"),
                );
                self.end_bar();
                self.start_bar(*slides as u64, SLIDES_BAR);
                if self.bar.lock().ok().is_some_and(|b| b.is_some()) {
                    self.set_whole_run(WholeRun::Anthology);
                }
            }
            Event::Archive { decks } => {
                self.note(1, format_args!("{decks} decks, each its own output"));
                self.start_bar(
                    *decks as u64,
                    "converting {bar:30} {pos}/{len} decks, {msg} {elapsed}",
                );
                if self.bar.lock().ok().is_some_and(|b| b.is_some()) {
                    self.set_whole_run(WholeRun::Archive {
                        slides: 0,
                        bytes: 0,
                    });
                }
            }
            Event::DeckDone { .. } => {
                if !matches!(self.whole_run(), WholeRun::Archive { .. }) {
                    return;
                }
                let finished = self.bar.lock().ok().is_some_and(|b| {
                    b.as_ref().is_some_and(|bar| {
                        bar.inc(1);
                        bar.length().is_some_and(|len| bar.position() >= len)
                    })
                });
                if finished {
                    self.set_whole_run(WholeRun::No);
                    self.end_bar();
                }
            }
            _ => {}
        }
    }
}

const SLIDES_BAR: &str = "fetching {bar:30} {pos}/{len} slides {elapsed}";

/// What a server failure most likely means, for the user to check first.
fn server_hint(kind: ServerFailure) -> &'static str {
    match kind {
        ServerFailure::Unresolved => "no network, or a misspelt server name?",
        ServerFailure::Refused => "is the server running, on that port?",
        ServerFailure::Unreachable => "no network, or no route to it?",
        ServerFailure::ConnectTimeout => "no network, or a firewall in the way?",
    }
}
