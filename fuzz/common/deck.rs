//! A tiny deck built from fuzz bytes, for the writer targets: hostile text everywhere a deck
//! carries it (title, authors, event, date, language, source, labels, alt text, notes,
//! recognised text) and slides that are small real images of any size, colour type and
//! format, or the raw bytes themselves when they pass the probe. Each slide goes through the
//! pipeline's own steps: probe, prepare for the backend's needs, encode, write, finish.

use std::io::{Cursor, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex, OnceLock};

use deckconv::fonts::FontData;
use deckconv::model::DeckMeta;
use deckconv::normalize::{prepare, probe, Limits};
use deckconv::ocr::{Line, PageText, Rect, Word};
use deckconv::writer::{Backend, Book, Setup, SlideInfo};
use libfuzzer_sys::arbitrary::{Result, Unstructured};

/// Small enough that a run spends its time in the writers, not in pixels.
pub const LIMITS: Limits = Limits {
    max_width: 512,
    max_height: 512,
    max_pixels: 1 << 16,
    max_alloc: 16 << 20,
};

/// What the writer wrote, kept after `finish` consumed the sink.
#[derive(Clone, Default)]
pub struct Shared(pub Arc<Mutex<Cursor<Vec<u8>>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::ErrorKind::Other)?
            .write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Seek for Shared {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.0
            .lock()
            .map_err(|_| std::io::ErrorKind::Other)?
            .seek(pos)
    }
}

impl Shared {
    pub fn bytes(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|c| c.get_ref().clone())
            .unwrap_or_default()
    }
}

fn text(u: &mut Unstructured) -> Result<String> {
    let s: String = u.arbitrary()?;
    // Long texts only slow the run down; the writers' wrapping is reached well before.
    Ok(s.chars().take(300).collect())
}

fn maybe_text(u: &mut Unstructured) -> Result<Option<String>> {
    Ok(if u.arbitrary()? { Some(text(u)?) } else { None })
}

pub fn meta(u: &mut Unstructured) -> Result<DeckMeta> {
    let mut meta = DeckMeta {
        raw_title: maybe_text(u)?,
        title: text(u)?,
        date: maybe_text(u)?,
        event: maybe_text(u)?,
        lang: maybe_text(u)?,
        source: maybe_text(u)?,
        title_is_fallback: u.arbitrary()?,
        title_score: u.arbitrary()?,
        ..DeckMeta::default()
    };
    for _ in 0..u.int_in_range(0..=3)? {
        meta.authors.push(text(u)?);
    }
    Ok(meta)
}

/// A slide's image file: mostly a small real image, sometimes the fuzz bytes as they are.
fn image_file(u: &mut Unstructured) -> Result<Vec<u8>> {
    if u.ratio(1, 5)? {
        let len = u.int_in_range(0..=4096)?;
        return Ok(u.bytes(len.min(u.len()))?.to_vec());
    }
    let (w, h) = (u.int_in_range(1..=64u32)?, u.int_in_range(1..=64u32)?);
    let seed: u8 = u.arbitrary()?;
    let rgba = image::RgbaImage::from_fn(w, h, |x, y| {
        let v = (x * 7 + y * 13) as u8 ^ seed;
        image::Rgba([
            v,
            v.wrapping_mul(3),
            255 - v,
            if (x + y) % 5 == 0 { 0 } else { 255 },
        ])
    });
    let rgba = image::DynamicImage::ImageRgba8(rgba);
    let image = match u.int_in_range(0..=4)? {
        0 => rgba,
        1 => image::DynamicImage::ImageRgb8(rgba.to_rgb8()),
        2 => image::DynamicImage::ImageLuma8(rgba.to_luma8()),
        3 => image::DynamicImage::ImageLumaA8(rgba.to_luma_alpha8()),
        _ => image::DynamicImage::ImageRgb16(rgba.to_rgb16()),
    };
    let format = *u.choose(&[
        image::ImageFormat::Png,
        image::ImageFormat::Jpeg,
        image::ImageFormat::Gif,
        image::ImageFormat::Bmp,
    ])?;
    let image = match format {
        // JPEG and GIF take 8-bit RGB or grey only.
        image::ImageFormat::Jpeg => image::DynamicImage::ImageRgb8(image.to_rgb8()),
        image::ImageFormat::Gif => image::DynamicImage::ImageRgba8(image.to_rgba8()),
        _ => image,
    };
    let mut out = Cursor::new(Vec::new());
    // A failed encode leaves a broken file: the probe must refuse it, which is a case too.
    let _ = image.write_to(&mut out, format);
    Ok(out.into_inner())
}

fn page_text(u: &mut Unstructured, width: u32, height: u32) -> Result<PageText> {
    let mut lines = Vec::new();
    for _ in 0..u.int_in_range(0..=4)? {
        let left = u.int_in_range(0..=width)? as f32;
        let top = u.int_in_range(0..=height)? as f32;
        let right = u.int_in_range(left as u32..=width)? as f32;
        let bottom = u.int_in_range(top as u32..=height)? as f32;
        let bbox = Rect::new(left, top, right, bottom);
        let line = text(u)?;
        let words = line
            .split(' ')
            .map(|w| Word {
                text: w.to_string(),
                bbox,
            })
            .collect();
        lines.push(Line {
            text: line,
            bbox,
            confidence: 0.9,
            words,
        });
    }
    Ok(PageText {
        width,
        height,
        lines,
    })
}

/// Build a deck from `u` and write it with `backend`; returns the output when the writer
/// finished (a slide the probe refuses, or a writer error, ends the run without one).
pub fn write_deck(u: &mut Unstructured, backend: &dyn Backend) -> Result<Option<Vec<u8>>> {
    crate::guard::init();
    let meta = meta(u)?;
    let count = u.int_in_range(1..=4usize)?;
    let sink = Shared::default();
    let setup = Setup {
        timestamp: u.int_in_range(0..=4_102_444_800i64)?,
        slide_count: count,
    };
    let Ok(mut writer) = backend.create(Box::new(sink.clone()), &setup) else {
        return Ok(None);
    };
    let encoder = writer.encoder();
    let needs = backend.image_needs();
    let mut slides = Vec::new();
    for position in 1..=count {
        let bytes = image_file(u)?;
        let Ok(info) = probe(&bytes, &LIMITS) else {
            continue;
        };
        let (width, height) = info.display_size();
        let recognized = if u.arbitrary()? {
            Some(Arc::new(page_text(u, width, height)?))
        } else {
            None
        };
        let slide = SlideInfo {
            position,
            label: text_or(u, position)?,
            alt: text(u)?,
            notes: text(u)?,
            width,
            height,
            text: recognized,
            talk: 0,
        };
        // Decoding happens in `prepare` (device screens) and `encode_page` (PDF fallbacks).
        let page = crate::guard::decoding(|| {
            prepare(bytes, info, &needs, &LIMITS)
                .ok()
                .and_then(|prepared| encoder.encode_page(&slide, prepared).ok())
        });
        let Some(Some(page)) = page else {
            continue;
        };
        if writer.write_page(&slide, page).is_err() {
            return Ok(None);
        }
        slides.push(slide);
    }
    if slides.is_empty() {
        return Ok(None);
    }
    let book = Book::deck(
        meta,
        slides,
        setup.timestamp,
        format!("urn:uuid:{}", text(u)?),
    );
    static FONT: OnceLock<FontData> = OnceLock::new();
    let font = FONT.get_or_init(FontData::bundled);
    match writer.finish(&book, Some(font)) {
        Ok(()) => Ok(Some(sink.bytes())),
        Err(_) => Ok(None),
    }
}

/// The slide's label: its number as the deck writes it, or any text.
fn text_or(u: &mut Unstructured, position: usize) -> Result<String> {
    Ok(if u.arbitrary()? {
        text(u)?
    } else {
        position.to_string()
    })
}
