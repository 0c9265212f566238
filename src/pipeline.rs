//! The pipeline: read → fetch → probe → normalize → write, for every input and format.
//! Outputs are written beside their target and renamed into place only when complete.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};
use std::thread;
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::error::{Error, SlideError};
use crate::fetch::Fetcher;
use crate::fonts::{self, FontData};
use crate::model::{Deck, Slide};
use crate::normalize::{self, ImageInfo, ImageNeeds};
use crate::reader;
use crate::settings::{Format, Settings};
use crate::writer::epub::EpubWriter;
use crate::writer::pdf::PdfWriter;
use crate::writer::{Book, PageEncoder, SlideInfo, Writer};

/// What a run did: the files it wrote and every deck that failed, with why.
#[derive(Debug, Default)]
pub struct Outcome {
    pub written: Vec<PathBuf>,
    pub failures: Vec<(String, Error)>,
}

pub fn run(settings: &Settings) -> Outcome {
    let timeline = Timeline::new(settings);
    let mut outcome = Outcome::default();
    let fetcher = match Fetcher::new(settings.fetch.clone()) {
        Ok(f) => f,
        Err(e) => {
            outcome.failures.push(("cache".into(), Error::Deck(e)));
            return outcome;
        }
    };
    let mut taken_names = HashSet::new();
    for input in &settings.inputs {
        let name = input_name(input);
        match convert_one(input, settings, &fetcher, &mut taken_names, &timeline) {
            Ok(mut paths) => outcome.written.append(&mut paths),
            Err(e) => outcome.failures.push((name, e)),
        }
    }
    let freed = fetcher.evict();
    if freed > 0 {
        timeline.note(1, format_args!("cache: evicted {freed} bytes"));
    }
    outcome
}

fn input_name(input: &reader::Input) -> String {
    match input {
        reader::Input::Path(p) => p.display().to_string(),
        reader::Input::Url(u) => u.to_string(),
        reader::Input::Stdin => "<stdin>".into(),
    }
}

fn convert_one(
    input: &reader::Input,
    settings: &Settings,
    fetcher: &Fetcher,
    taken_names: &mut HashSet<PathBuf>,
    timeline: &Timeline,
) -> Result<Vec<PathBuf>, Error> {
    let deck = reader::read(input, &settings.overrides, fetcher)?;
    timeline.note(
        1,
        format_args!(
            "read {}: {} slides",
            deck.origin.display_name(),
            deck.slides.len()
        ),
    );
    for note in &deck.meta.title_notes {
        timeline.note(1, format_args!("title: {note}"));
    }
    if deck.slides.is_empty() {
        return Err(Error::Deck(format!(
            "{}: no slide images found",
            deck.origin.display_name()
        )));
    }
    let mut targets = Vec::with_capacity(settings.formats.len());
    for &format in &settings.formats {
        targets.push((format, target_path(settings, &deck, format, taken_names)?));
    }
    let timestamp = timestamp();
    // Slides are converted as they arrive, not once the last one is in.
    let arrivals = Arrivals::new(deck.slides.len());
    // Set when the run fails before the last download: the rest would be for nothing.
    let cancel = AtomicBool::new(false);
    thread::scope(|scope| {
        // The font search needs only the deck's text: it runs while the slides download.
        let mut font_job = settings.formats.contains(&Format::Pdf).then(|| {
            scope.spawn(|| {
                let font = resolve_font(&text_to_draw(&deck), settings);
                if let Ok(font) = &font {
                    timeline.note(1, format_args!("font: {}", font.name));
                }
                font
            })
        });
        scope.spawn(|| {
            let fetched = panic::catch_unwind(AssertUnwindSafe(|| {
                fetcher.fetch_each_with(&deck, &cancel, &|index, result| {
                    timeline.note(2, format_args!("slide {} fetched", index + 1));
                    arrivals.put(index, result);
                });
            }));
            timeline.note(1, format_args!("fetched every slide"));
            // Whatever happened, nobody may wait for a slide that will never come.
            arrivals.close(&deck, fetched.is_err());
        });
        let stages = Stages {
            deck: &deck,
            arrivals: &arrivals,
            settings,
            timestamp,
            timeline,
        };
        let mut written = Vec::new();
        for (format, target) in targets {
            let font = || match font_job.take() {
                Some(job) => job
                    .join()
                    .unwrap_or_else(|_| {
                        Err(Error::Deck("internal error while choosing a font".into()))
                    })
                    .map(Some),
                None => Ok(None),
            };
            if let Err(e) = stages.write_output(format, &target, font) {
                cancel.store(true, Ordering::Relaxed);
                return Err(e);
            }
            timeline.note(1, format_args!("finished {}", target.display()));
            if !settings.quiet {
                let _ = writeln!(std::io::stderr(), "wrote {}", target.display());
            }
            written.push(target);
        }
        Ok(written)
    })
}

/// `-v`: what each stage did and when, on stderr (`-vv`: every slide).
struct Timeline {
    start: Instant,
    verbose: u8,
}

impl Timeline {
    fn new(settings: &Settings) -> Self {
        Timeline {
            start: Instant::now(),
            verbose: if settings.quiet { 0 } else { settings.verbose },
        }
    }

    fn note(&self, level: u8, what: std::fmt::Arguments) {
        if self.verbose >= level {
            // Never `eprintln!`: a closed stderr must not take a stage down with a panic.
            let seconds = self.start.elapsed().as_secs_f64();
            let _ = writeln!(std::io::stderr(), "[{seconds:7.3} s] {what}");
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
            "internal error while fetching"
        } else {
            "not fetched"
        };
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        for (slot, slide) in slots.iter_mut().zip(&deck.slides) {
            if slot.is_none() {
                *slot = Some(Err(SlideError::new(deck, slide, reason)));
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

fn slide_info(slide: &Slide, info: &ImageInfo) -> SlideInfo {
    let (width, height) = info.display_size();
    SlideInfo {
        position: slide.position,
        label: slide.label.clone(),
        alt: slide.alt.clone(),
        notes: slide.notes.clone(),
        width,
        height,
    }
}

/// Everything the PDF may draw in its own font: title page, headers, captions, notes.
fn text_to_draw(deck: &Deck) -> String {
    let meta = &deck.meta;
    let author_line = meta.author_line();
    let mut text: String = [
        Some(meta.title.as_str()),
        author_line.as_deref(),
        meta.event.as_deref(),
        meta.date.as_deref(),
        meta.source.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n");
    for slide in &deck.slides {
        text.push_str(&slide.notes);
        text.push_str(&slide.label);
    }
    // Captions, page numbers, dates and ellipses on title pages and handout sheets.
    text.push_str("0123456789 /·–—:.,()-…SlideslidesofPage");
    text
}

fn resolve_font(text: &str, settings: &Settings) -> Result<FontData, Error> {
    let resolved = fonts::resolve(settings.font.as_deref(), text).map_err(Error::Deck)?;
    if !resolved.uncovered.is_empty() && !settings.quiet {
        let points: Vec<String> = resolved
            .uncovered
            .iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        eprintln!(
            "warning: no font covers {} (use --font FILE)",
            points.join(" ")
        );
    }
    Ok(resolved.font)
}

/// `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
fn timestamp() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        })
}

/// A name-based UUID from the slides' content: the same deck gives the same identifier.
fn identifier(hash: &[u8; 32]) -> String {
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

fn extension(format: Format, settings: &Settings) -> &'static str {
    match format {
        Format::Pdf => "pdf",
        Format::Epub if settings.epub.kobo => "kepub.epub",
        Format::Epub => "epub",
    }
}

/// `-o` is the file itself when one input makes one output; otherwise a folder (`output/`).
fn target_path(
    settings: &Settings,
    deck: &Deck,
    format: Format,
    taken: &mut HashSet<PathBuf>,
) -> Result<PathBuf, Error> {
    let single = settings.inputs.len() * settings.formats.len() == 1;
    if let (true, Some(out)) = (single, &settings.output) {
        // `-o handouts/` names a folder even before it exists.
        let names_folder = out.as_os_str().to_string_lossy().ends_with(['/', '\\']);
        if !out.is_dir() && !names_folder {
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent)
                    .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
            }
            return Ok(out.clone());
        }
    }
    let dir = settings
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("output"));
    fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let stem = file_stem_for(deck);
    let ext = extension(format, settings);
    let mut candidate = dir.join(format!("{stem}.{ext}"));
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = dir.join(format!("{stem} ({n}).{ext}"));
        n += 1;
    }
    Ok(candidate)
}

/// A file name from the display title (CJK kept, unsafe characters replaced) or the input's stem.
pub fn file_stem_for(deck: &Deck) -> String {
    let from_title = sanitize_file_stem(&deck.meta.title);
    if !from_title.is_empty() {
        return from_title;
    }
    deck.origin
        .stem()
        .map(|s| sanitize_file_stem(&s))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "deck".to_string())
}

pub fn sanitize_file_stem(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = replaced.trim_matches(|c: char| c == '.' || c.is_whitespace());
    // Most file systems allow 255 bytes per name; leave room for the extension.
    let mut out = String::new();
    for c in trimmed.chars() {
        if out.len() + c.len_utf8() > 200 {
            break;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

struct Stages<'a> {
    deck: &'a Deck,
    arrivals: &'a Arrivals,
    settings: &'a Settings,
    timestamp: i64,
    timeline: &'a Timeline,
}

/// One slide through probe and encode: its description, its content digest (for the book's
/// identifier) and its page, `None` once the run has failed and pages are no longer written.
struct Encoded<P> {
    info: SlideInfo,
    digest: [u8; 32],
    page: Option<P>,
}

impl Stages<'_> {
    /// Write one output beside `target` and rename it into place only when complete.
    fn write_output(
        &self,
        format: Format,
        target: &Path,
        font: impl FnOnce() -> Result<Option<FontData>, Error>,
    ) -> Result<(), Error> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".deckconv-").suffix(".part");
        #[cfg(unix)]
        {
            // Like any new file: 0666 less the umask, not tempfile's private 0600.
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let temp = builder
            .tempfile_in(&dir)
            .map_err(|e| Error::io(format!("cannot write in {}", dir.display()), e))?;
        let file = temp
            .reopen()
            .map_err(|e| Error::io("cannot reopen temporary output", e))?;
        match format {
            Format::Pdf => {
                let writer = PdfWriter::create(file, &self.settings.pdf).map_err(Error::Output)?;
                self.write_all(writer, font)?;
            }
            Format::Epub => {
                let writer = EpubWriter::create(file, &self.settings.epub, self.timestamp)
                    .map_err(Error::Output)?;
                self.write_all(writer, || Ok(None))?;
            }
        }
        // Only a complete file reaches the target; on any error above the temp file is removed.
        temp.persist(target)
            .map_err(|e| Error::io(format!("cannot write {}", target.display()), e.error))?;
        Ok(())
    }

    /// Probe and encode slides on `encode_jobs` threads as they arrive, while this thread
    /// writes finished pages in slide order. Workers run at most `window` slides ahead of the
    /// writer, so memory holds a few images, never the deck, and one slow slide does not leave
    /// the other cores idle. Every failure of the run (fetch, probe, encode) is listed.
    fn write_all<W: Writer>(
        &self,
        mut writer: W,
        font: impl FnOnce() -> Result<Option<FontData>, Error>,
    ) -> Result<(), Error> {
        let needs = writer.image_needs();
        let encoder = writer.encoder();
        let jobs = self.settings.encode_jobs.max(1);
        let window = jobs + 1;
        let count = self.deck.slides.len();
        let next = AtomicUsize::new(0);
        let written = (Mutex::new(0usize), Condvar::new());
        // Once a slide failed the output is lost: later slides are only checked, not encoded.
        // With `--skip-broken` a failed slide is only left out.
        let skip_broken = self.settings.skip_broken;
        let failed = AtomicBool::new(false);
        let mut errors: Vec<SlideError> = Vec::new();
        let mut skipped: Vec<SlideError> = Vec::new();
        let mut slides: Vec<SlideInfo> = Vec::with_capacity(count);
        let mut hasher = Sha256::new();
        thread::scope(|scope| {
            let (sender, receiver) =
                mpsc::channel::<(usize, Result<Encoded<W::Page>, SlideError>)>();
            for _ in 0..jobs.min(count) {
                let sender = sender.clone();
                let (next, written, encoder, needs, failed) =
                    (&next, &written, &encoder, &needs, &failed);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    let (lock, ahead) = written;
                    let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *done + window {
                        done = ahead.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                    drop(done);
                    let slide = &self.deck.slides[i];
                    let result = self.arrivals.wait(i).and_then(|path| {
                        let encode = !failed.load(Ordering::Relaxed);
                        // A decoder that panics on a hostile file fails that slide, not the run.
                        panic::catch_unwind(AssertUnwindSafe(|| {
                            self.encode(slide, &path, encode, encoder, needs)
                        }))
                        .unwrap_or_else(|_| Err("internal error while decoding this image".into()))
                        .map_err(|reason| SlideError::new(self.deck, slide, reason))
                    });
                    if result.is_err() && !skip_broken {
                        failed.store(true, Ordering::Relaxed);
                    }
                    if sender.send((i, result)).is_err() {
                        break;
                    }
                });
            }
            drop(sender);
            let mut pending = BTreeMap::new();
            let mut expected = 0;
            for (i, result) in receiver {
                pending.insert(i, result);
                while let Some(result) = pending.remove(&expected) {
                    match result {
                        Err(error) if skip_broken => skipped.push(error),
                        Err(error) => errors.push(error),
                        Ok(encoded) => {
                            hasher.update(encoded.digest);
                            // Once the output is lost, later pages are only checked.
                            if let (Some(page), true) = (encoded.page, errors.is_empty()) {
                                if let Err(reason) = writer.write_page(&encoded.info, page) {
                                    failed.store(true, Ordering::Relaxed);
                                    let slide = &self.deck.slides[expected];
                                    errors.push(SlideError::new(self.deck, slide, reason));
                                }
                            }
                            self.timeline
                                .note(2, format_args!("slide {} written", expected + 1));
                            slides.push(encoded.info);
                        }
                    }
                    expected += 1;
                    let (lock, ahead) = &written;
                    *lock.lock().unwrap_or_else(|e| e.into_inner()) = expected;
                    ahead.notify_all();
                }
            }
            if expected < count {
                errors.push(SlideError::new(
                    self.deck,
                    &self.deck.slides[expected],
                    "internal error while encoding",
                ));
            }
        });
        if !errors.is_empty() {
            return Err(Error::Slides(errors));
        }
        if slides.is_empty() {
            return Err(Error::Slides(skipped));
        }
        if !skipped.is_empty() && !self.settings.quiet {
            let mut message = format!("warning: left out {} slide(s):", skipped.len());
            for error in &skipped {
                message.push_str(&format!("\n  {error}"));
            }
            let _ = writeln!(std::io::stderr(), "{message}");
        }
        self.timeline.note(1, format_args!("wrote every slide"));
        let book = Book {
            meta: self.deck.meta.clone(),
            slides,
            font: font()?,
            timestamp: self.timestamp,
            identifier: identifier(&hasher.finalize().into()),
        };
        writer.finish(&book).map_err(Error::Output)
    }

    /// Read, probe, normalize and encode one slide (`encode` false: only read and probe).
    fn encode<E: PageEncoder>(
        &self,
        slide: &Slide,
        path: &Path,
        encode: bool,
        encoder: &E,
        needs: &ImageNeeds,
    ) -> Result<Encoded<E::Page>, String> {
        let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let limits = &self.settings.limits;
        let info = normalize::probe(&bytes, limits).map_err(|e| e.to_string())?;
        let digest = Sha256::digest(&bytes).into();
        let described = slide_info(slide, &info);
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
    fn sanitized_names_keep_cjk_and_drop_separators() {
        assert_eq!(
            sanitize_file_stem("0到3000万/用户: 微服务?"),
            "0到3000万_用户_ 微服务_"
        );
        assert_eq!(sanitize_file_stem("  ..hidden.. "), "hidden");
    }

    #[test]
    fn identifier_is_a_name_based_uuid() {
        let id = identifier(&[7u8; 32]);
        assert_eq!(id.len(), "urn:uuid:".len() + 36);
        assert_eq!(&id[23..24], "5");
    }
}
