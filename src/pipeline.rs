//! The pipeline: read → fetch → probe → normalize → write, for every input and format.
//! Outputs are written beside their target and renamed into place only when complete.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};
use std::thread;

use sha2::{Digest, Sha256};

use crate::error::{Error, SlideError};
use crate::fetch::Fetcher;
use crate::fonts::{self, FontData};
use crate::model::Deck;
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
        match convert_one(input, settings, &fetcher, &mut taken_names) {
            Ok(mut paths) => outcome.written.append(&mut paths),
            Err(e) => outcome.failures.push((name, e)),
        }
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
) -> Result<Vec<PathBuf>, Error> {
    let deck = reader::read(input, &settings.overrides, fetcher)?;
    if deck.slides.is_empty() {
        return Err(Error::Deck(format!(
            "{}: no slide images found",
            deck.origin.display_name()
        )));
    }
    // The font search needs only the deck's text: it runs while the slides download.
    let (font, probed) = thread::scope(|scope| {
        let font = settings
            .formats
            .contains(&Format::Pdf)
            .then(|| scope.spawn(|| resolve_font(&text_to_draw(&deck), settings)));
        let probed = probe_all(&deck, fetcher.fetch_each(&deck), settings);
        let font = font.map(|job| {
            job.join()
                .unwrap_or_else(|_| Err(Error::Deck("internal error while choosing a font".into())))
        });
        (font, probed)
    });
    let (paths, infos, content_hash) = probed?;
    let font = font.transpose()?;
    let book = describe(&deck, &infos, &content_hash, font);

    let mut written = Vec::new();
    for &format in &settings.formats {
        let target = target_path(settings, &deck, format, taken_names)?;
        write_output(format, &target, &book, &deck, &paths, &infos, settings)?;
        if !settings.quiet {
            eprintln!("wrote {}", target.display());
        }
        written.push(target);
    }
    Ok(written)
}

/// Probe every fetched slide's header on `encode_jobs` threads, hashing each file for the
/// book's identifier; the errors of fetching and probing are reported together.
fn probe_all(
    deck: &Deck,
    fetched: Vec<Result<PathBuf, SlideError>>,
    settings: &Settings,
) -> Result<(Vec<PathBuf>, Vec<ImageInfo>, [u8; 32]), Error> {
    let jobs = settings.encode_jobs.max(1);
    let per_thread = fetched.len().div_ceil(jobs).max(1);
    let probed: Vec<Result<(ImageInfo, [u8; 32]), String>> = thread::scope(|scope| {
        let handles: Vec<_> = fetched
            .chunks(per_thread)
            .map(|part| {
                let handle = scope.spawn(move || {
                    // One buffer per thread: the probe needs each file only briefly.
                    let mut bytes = Vec::new();
                    part.iter()
                        .map(|fetched| match fetched {
                            Ok(path) => probe_file(path, &mut bytes, settings),
                            Err(_) => Err(String::new()), // reported from `fetched` below
                        })
                        .collect::<Vec<_>>()
                });
                (part.len(), handle)
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(len, handle)| {
                handle
                    .join()
                    .unwrap_or_else(|_| vec![Err("internal error while probing".to_string()); len])
            })
            .collect()
    });
    let mut hasher = Sha256::new();
    let mut paths = Vec::with_capacity(fetched.len());
    let mut infos = Vec::with_capacity(fetched.len());
    let mut errors = Vec::new();
    for ((slide, fetched), probed) in deck.slides.iter().zip(fetched).zip(probed) {
        match (fetched, probed) {
            (Err(e), _) => errors.push(e),
            (Ok(path), Ok((info, digest))) => {
                hasher.update(digest);
                infos.push(info);
                paths.push(path);
            }
            (Ok(_), Err(reason)) => errors.push(SlideError::new(deck, slide, reason)),
        }
    }
    if errors.is_empty() {
        Ok((paths, infos, hasher.finalize().into()))
    } else {
        Err(Error::Slides(errors))
    }
}

fn probe_file(
    path: &Path,
    bytes: &mut Vec<u8>,
    settings: &Settings,
) -> Result<(ImageInfo, [u8; 32]), String> {
    bytes.clear();
    fs::File::open(path)
        .and_then(|mut file| file.read_to_end(bytes))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let info = normalize::probe(bytes, &settings.limits).map_err(|e| e.to_string())?;
    Ok((info, Sha256::digest(&bytes[..]).into()))
}

fn describe(
    deck: &Deck,
    infos: &[ImageInfo],
    content_hash: &[u8; 32],
    font: Option<FontData>,
) -> Book {
    let slides: Vec<SlideInfo> = deck
        .slides
        .iter()
        .zip(infos)
        .map(|(slide, info)| {
            let (width, height) = info.display_size();
            SlideInfo {
                position: slide.position,
                label: slide.label.clone(),
                alt: slide.alt.clone(),
                notes: slide.notes.clone(),
                width,
                height,
            }
        })
        .collect();
    Book {
        meta: deck.meta.clone(),
        slides,
        font,
        timestamp: timestamp(),
        identifier: identifier(content_hash),
    }
}

/// Everything the PDF may draw in its own font: title page, headers, captions, notes.
fn text_to_draw(deck: &Deck) -> String {
    let meta = &deck.meta;
    let mut text: String = [
        Some(meta.title.as_str()),
        meta.author.as_deref(),
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

fn write_output(
    format: Format,
    target: &Path,
    book: &Book,
    deck: &Deck,
    paths: &[PathBuf],
    infos: &[ImageInfo],
    settings: &Settings,
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
    let stages = Stages {
        book,
        deck,
        paths,
        infos,
        settings,
    };
    match format {
        Format::Pdf => {
            let writer = PdfWriter::create(file, book, &settings.pdf).map_err(Error::Output)?;
            stages.write_all(writer)?;
        }
        Format::Epub => {
            let writer = EpubWriter::create(file, book, &settings.epub).map_err(Error::Output)?;
            stages.write_all(writer)?;
        }
    }
    // Only a complete file reaches the target; on any error above the temp file is removed.
    temp.persist(target)
        .map_err(|e| Error::io(format!("cannot write {}", target.display()), e.error))?;
    Ok(())
}

struct Stages<'a> {
    book: &'a Book,
    deck: &'a Deck,
    paths: &'a [PathBuf],
    infos: &'a [ImageInfo],
    settings: &'a Settings,
}

impl Stages<'_> {
    /// Encode slides on `encode_jobs` threads while this thread writes finished pages in slide
    /// order. Workers run at most `window` slides ahead of the writer, so memory holds a few
    /// images, never the deck, and one slow slide does not leave the other cores idle.
    fn write_all<W: Writer>(&self, mut writer: W) -> Result<(), Error> {
        let needs = writer.image_needs();
        let encoder = writer.encoder();
        let jobs = self.settings.encode_jobs.max(1);
        let window = jobs + 1;
        let count = self.book.slides.len();
        let next = AtomicUsize::new(0);
        let written = (Mutex::new(0usize), Condvar::new());
        let mut errors: Vec<SlideError> = Vec::new();
        thread::scope(|scope| {
            let (sender, receiver) = mpsc::channel::<(usize, Result<W::Page, String>)>();
            for _ in 0..jobs.min(count) {
                let sender = sender.clone();
                let (next, written, encoder, needs) = (&next, &written, &encoder, &needs);
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
                    // A decoder that panics on a hostile file fails that slide, not the run.
                    let result =
                        panic::catch_unwind(AssertUnwindSafe(|| self.encode(i, encoder, needs)))
                            .unwrap_or_else(|_| {
                                Err("internal error while decoding this image".into())
                            });
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
                    let slide = &self.book.slides[expected];
                    let outcome = result.and_then(|page| {
                        if errors.is_empty() {
                            writer.write_page(slide, page)
                        } else {
                            Ok(()) // the output is lost already; keep going to list every failure
                        }
                    });
                    if let Err(reason) = outcome {
                        errors.push(SlideError::new(
                            self.deck,
                            &self.deck.slides[expected],
                            reason,
                        ));
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
        writer.finish().map_err(Error::Output)
    }

    /// Read, normalize and encode slide `i`.
    fn encode<E: PageEncoder>(
        &self,
        i: usize,
        encoder: &E,
        needs: &ImageNeeds,
    ) -> Result<E::Page, String> {
        let bytes = fs::read(&self.paths[i])
            .map_err(|e| format!("cannot read {}: {e}", self.paths[i].display()))?;
        let prepared =
            normalize::prepare(bytes, self.infos[i].clone(), needs, &self.settings.limits)?;
        encoder.encode_page(&self.book.slides[i], prepared)
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
