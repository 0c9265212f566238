//! Text recognition of slide images (cargo feature `ocr`).
//!
//! PP-OCRv4 (PaddleOCR) detection + recognition ONNX models, run in-process by ONNX Runtime
//! (the [ort](https://docs.rs/ort) crate, which opens the runtime's shared library at run
//! time): nothing to compile or link at build time, no subprocess, no download at run time.
//! The models and the library come from `scripts/fetch-ocr-models.sh` (checksummed); why
//! this engine and what it scores: `docs/ocr-engine.md`.
//!
//! The types here (pages, lines, words, the [`Recognizer`] trait, the cache) are always
//! built, so that the pipeline and the writers' text layers need no engine; `Engine` (and
//! `LazyEngine`, which loads it at first use) come with the feature.
//!
//! `Engine::recognize`: the page is scaled so that its longer side is at most
//! [`DET_LIMIT_SIDE`] pixels (PP-OCR's `limit_side_len`), the DB detector's probability map is
//! thresholded into text boxes (`det`), each box is cut from the full-resolution page, scaled
//! to 48 pixels high and recognised one at a time (`rec`: greedy CTC decoding, character
//! positions from the CTC time steps, spaces where the crop shows a gap), and the lines are
//! put in reading order (`layout`).
//!
//! The library never prints. An `Engine` is `Send + Sync`: load it once and call `recognize`
//! from as many threads as there are cores; each calling thread recognises lines in a
//! one-thread session of its own, and takes its turn at a detection session: one for every
//! two cores, each on one core (docs/ocr-engine.md has the numbers).

pub mod cache;
#[cfg(feature = "ocr")]
mod det;
#[cfg(feature = "ocr")]
mod engine;
mod layout;
#[cfg(feature = "ocr")]
mod rec;
#[cfg(feature = "ocr")]
mod slots;

use std::fmt;
use std::path::PathBuf;

use image::RgbImage;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ocr")]
pub use engine::{Engine, LazyEngine};

/// The script that installs the models; named by [`OcrError::ModelsMissing`].
pub const FETCH_SCRIPT: &str = "scripts/fetch-ocr-models.sh";
/// Longest side of the detection input, in pixels (PP-OCR's default `limit_side_len`).
pub const DET_LIMIT_SIDE: u32 = 960;

#[cfg_attr(not(feature = "ocr"), allow(dead_code))]
const DET_FILE: &str = "ch_PP-OCRv4_det_infer.onnx";
#[cfg_attr(not(feature = "ocr"), allow(dead_code))]
const REC_FILE: &str = "ch_PP-OCRv4_rec_infer.onnx";
#[cfg_attr(not(feature = "ocr"), allow(dead_code))]
const DICT_FILE: &str = "ppocr_keys_v1.txt";
/// ONNX Runtime's shared library, installed beside the models by [`FETCH_SCRIPT`].
#[cfg(target_os = "macos")]
#[cfg_attr(not(feature = "ocr"), allow(dead_code))]
const RUNTIME_FILE: &str = "libonnxruntime.dylib";
#[cfg(target_os = "windows")]
#[cfg_attr(not(feature = "ocr"), allow(dead_code))]
const RUNTIME_FILE: &str = "onnxruntime.dll";
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
#[cfg_attr(not(feature = "ocr"), allow(dead_code))]
const RUNTIME_FILE: &str = "libonnxruntime.so";

/// Errors of the recognition stage.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error(
        "OCR models not found: {} has no {missing}; fetch the models and their runtime with `{FETCH_SCRIPT} {}`",
        dir.display(), dir.display()
    )]
    ModelsMissing { dir: PathBuf, missing: &'static str },
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot load OCR model {}: {message}", path.display())]
    Model { path: PathBuf, message: String },
    #[error("OCR character dictionary {}: {message}", path.display())]
    Dictionary { path: PathBuf, message: String },
    #[error("unsupported OCR language {0:?} (supported: {langs})", langs = Lang::SUPPORTED)]
    Lang(String),
    #[error("text recognition failed: {0}")]
    Inference(String),
    /// The engine could not be loaded when the first slide needed it (every slide after gets
    /// the same failure).
    #[error("text recognition failed: {0}")]
    Unavailable(std::sync::Arc<OcrError>),
    #[error("image of {width}x{height} pixels is too small or too large to recognise")]
    ImageSize { width: u32, height: u32 },
}

/// Languages the engine recognises. One model covers each variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    /// Simplified Chinese and English (PP-OCRv4 `ch` models; also digits and punctuation).
    #[default]
    ChiSimEng,
}

impl Lang {
    const SUPPORTED: &'static str = "chi_sim+eng (aliases: ch, chi_sim, eng, zh)";

    /// The tag used in cache keys and on the command line.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ChiSimEng => "chi_sim+eng",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl std::str::FromStr for Lang {
    type Err = OcrError;
    fn from_str(s: &str) -> Result<Lang, OcrError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "chi_sim+eng" | "eng+chi_sim" | "ch" | "zh" | "chi_sim" | "eng" | "en" | "zh-cn"
            | "zh-hans" => Ok(Lang::ChiSimEng),
            _ => Err(OcrError::Lang(s.to_string())),
        }
    }
}

/// An axis-aligned box in image pixels: `left <= right`, `top <= bottom`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Rect {
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
}

impl Rect {
    pub fn new(left: f32, top: f32, right: f32, bottom: f32) -> Rect {
        Rect {
            left,
            top,
            right,
            bottom,
        }
    }
    pub fn width(&self) -> f32 {
        self.right - self.left
    }
    pub fn height(&self) -> f32 {
        self.bottom - self.top
    }
    /// The smallest box holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        Rect {
            left: self.left.min(o.left),
            top: self.top.min(o.top),
            right: self.right.max(o.right),
            bottom: self.bottom.max(o.bottom),
        }
    }
}

/// A word: a run of non-space characters of a Latin script, or one Han character (or one
/// CJK punctuation mark), with its box on the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub bbox: Rect,
}

/// A line of text as recognised: no spaces between Han characters, single spaces between
/// Latin words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub text: String,
    pub bbox: Rect,
    /// Mean probability of the recognised characters, 0..1.
    pub confidence: f32,
    /// The words of `text`, left to right (their texts joined as in `text` give `text`).
    pub words: Vec<Word>,
}

/// The text of one page: lines in reading order (top to bottom, left to right, columns kept
/// together). Coordinates are pixels of the image given to [`Recognizer::recognize`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PageText {
    pub width: u32,
    pub height: u32,
    pub lines: Vec<Line>,
}

impl PageText {
    /// The slide's heading: the top-most of its largest lines (lines at least 85% as tall as
    /// the tallest), or `None` for a page without text. What the outline / TOC shows.
    pub fn heading(&self) -> Option<&Line> {
        layout::heading(&self.lines)
    }

    /// A cover's title: its largest lines (at least 85% as tall as the tallest) from the
    /// first of them on, joined while each follows the one before (a title set over two
    /// lines); `None` for a page without text.
    pub fn cover_title(&self) -> Option<String> {
        let tallest = self
            .lines
            .iter()
            .map(|l| l.bbox.height())
            .fold(0.0, f32::max);
        let mut title: Option<(String, Rect)> = None;
        for line in &self.lines {
            let large = line.bbox.height() >= 0.85 * tallest;
            match &mut title {
                None if large => title = Some((line.text.trim().to_string(), line.bbox)),
                None => {}
                Some((text, last)) => {
                    let follows = large && line.bbox.top - last.bottom < last.height();
                    if !follows {
                        break;
                    }
                    *text = layout::join_text(text, line.text.trim());
                    *last = line.bbox;
                }
            }
        }
        title.map(|(t, _)| t).filter(|t| t.chars().count() >= 2)
    }

    /// All the text, one line per line, in reading order.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            s.push_str(&l.text);
            s.push('\n');
        }
        s
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// What the pipeline needs of a text recogniser; `Engine` is the one deckconv ships (cargo
/// feature `ocr`). A trait so that the stage, its cache and the writers' text layers do not
/// depend on the engine being compiled in.
pub trait Recognizer: Send + Sync {
    /// Identifies the models and post-processing: part of every cache key.
    fn model_version(&self) -> String;
    fn lang(&self) -> Lang;
    /// Recognise the text of an upright page.
    fn recognize(&self, image: &RgbImage) -> Result<PageText, OcrError>;
}

/// The directory where the fetch script puts the models by default:
/// `$XDG_DATA_HOME/deckconv/ocr-models` (`~/.local/share/...`).
pub fn default_models_dir() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("deckconv").join("ocr-models"))
}

/// Is `c` a Han character (CJK unified ideographs and their extensions / compatibility forms)?
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

/// Characters that get their own word and need no space next to Han text: Han, CJK
/// punctuation, full-width forms.
pub(crate) fn is_cjk(c: char) -> bool {
    is_han(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}
