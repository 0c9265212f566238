//! Text recognition of slide images (cargo feature `ocr`).
//!
//! PP-OCRv4 (PaddleOCR) detection + recognition ONNX models, run in-process by
//! [rten](https://docs.rs/rten), a pure-Rust runtime: no C++ toolchain, no subprocess, no
//! download at run time. The models come from `scripts/fetch-ocr-models.sh` (checksummed);
//! why this engine and what it scores: `docs/ocr-engine.md`.
//!
//! Pipeline of [`Engine::recognize`]: the page is scaled so that its longer side is at most
//! [`DET_LIMIT_SIDE`] pixels (PP-OCR's `limit_side_len`), the DB detector's probability map is
//! thresholded into text boxes ([`det`]), each box is cut from the full-resolution page,
//! scaled to 48 pixels high and recognised in batches ([`rec`], greedy CTC decoding, character
//! positions from the CTC time steps), and the lines are put in reading order ([`layout`]).
//!
//! The library never prints. An [`Engine`] is `Send + Sync`: load it once and call
//! [`Engine::recognize`] from as many threads as there are cores; each call runs its model
//! inference on rten's thread pool (physical cores, or `RTEN_NUM_THREADS`). For the best
//! throughput over a deck, recognise one slide per core with `RTEN_NUM_THREADS=1`
//! (docs/ocr-engine.md has the numbers).

pub mod cache;
mod det;
mod layout;
mod rec;

use std::fmt;
use std::path::{Path, PathBuf};

use image::RgbImage;
use rten::Model;
use rten_tensor::prelude::*;
use rten_tensor::NdTensor;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The script that installs the models; named by [`OcrError::ModelsMissing`].
pub const FETCH_SCRIPT: &str = "scripts/fetch-ocr-models.sh";
/// Longest side of the detection input, in pixels (PP-OCR's default `limit_side_len`).
pub const DET_LIMIT_SIDE: u32 = 960;
/// Lines recognised in one model run (PP-OCR's `rec_batch_num`); bounds memory.
pub const REC_BATCH: usize = 6;

const DET_FILE: &str = "ch_PP-OCRv4_det_infer.onnx";
const REC_FILE: &str = "ch_PP-OCRv4_rec_infer.onnx";
const DICT_FILE: &str = "ppocr_keys_v1.txt";

/// Errors of the recognition stage.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error(
        "OCR models not found: {} has no {missing}; fetch them with `{FETCH_SCRIPT} {}`",
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
/// together). Coordinates are pixels of the image given to [`Engine::recognize`].
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

/// A loaded recognition engine. `Send + Sync`: share one between threads.
pub struct Engine {
    det: Model,
    rec: Model,
    /// Index 0 is the CTC blank; the last entry is the space.
    charset: Vec<String>,
    lang: Lang,
    version: String,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("lang", &self.lang)
            .field("version", &self.version)
            .finish()
    }
}

// Compile-time check of the documented thread-safety.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Engine>();
};

impl Engine {
    /// Load the models for `lang` from `models_dir` (as installed by
    /// `scripts/fetch-ocr-models.sh`). A folder without them is [`OcrError::ModelsMissing`].
    pub fn load(models_dir: &Path, lang: Lang) -> Result<Engine, OcrError> {
        let Lang::ChiSimEng = lang;
        let files = [DET_FILE, REC_FILE, DICT_FILE];
        for f in files {
            if !models_dir.join(f).is_file() {
                return Err(OcrError::ModelsMissing {
                    dir: models_dir.to_path_buf(),
                    missing: f,
                });
            }
        }
        let read = |f: &str| {
            let path = models_dir.join(f);
            std::fs::read(&path).map_err(|source| OcrError::Io { path, source })
        };
        let (det_bytes, rec_bytes, dict_bytes) =
            (read(DET_FILE)?, read(REC_FILE)?, read(DICT_FILE)?);

        let mut hasher = Sha256::new();
        for (name, bytes) in files.iter().zip([&det_bytes, &rec_bytes, &dict_bytes]) {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(Sha256::digest(bytes));
        }
        let version = format!("ppocrv4-{}", &hex::encode(hasher.finalize())[..16]);

        let dict_path = models_dir.join(DICT_FILE);
        let dict = String::from_utf8(dict_bytes).map_err(|_| OcrError::Dictionary {
            path: dict_path.clone(),
            message: "not UTF-8".into(),
        })?;
        let charset = rec::charset(&dict);
        let load = |f: &str, bytes: Vec<u8>| {
            Model::load(bytes).map_err(|e| OcrError::Model {
                path: models_dir.join(f),
                message: e.to_string(),
            })
        };
        let det = load(DET_FILE, det_bytes)?;
        let rec = load(REC_FILE, rec_bytes)?;
        let engine = Engine {
            det,
            rec,
            charset,
            lang,
            version,
        };
        // The recognition model's output width must match the dictionary.
        let probe = engine.run_rec(NdTensor::zeros([1, 3, rec::REC_HEIGHT, 320]))?;
        if probe.size(2) != engine.charset.len() {
            return Err(OcrError::Dictionary {
                path: dict_path,
                message: format!(
                    "{} classes in the dictionary, {} in the model",
                    engine.charset.len(),
                    probe.size(2)
                ),
            });
        }
        Ok(engine)
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

    /// Identifies the model files (a hash of their contents): part of every cache key.
    pub fn model_version(&self) -> String {
        self.version.clone()
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Recognise the text of an upright page.
    pub fn recognize(&self, image: &RgbImage) -> Result<PageText, OcrError> {
        let (w, h) = image.dimensions();
        if w < 8 || h < 8 || w > 30_000 || h > 30_000 {
            return Err(OcrError::ImageSize {
                width: w,
                height: h,
            });
        }
        let boxes = self.detect(image)?;
        let mut lines = Vec::with_capacity(boxes.len());
        // Batches of similar aspect ratio pad least (as PP-OCR does).
        let mut order: Vec<usize> = (0..boxes.len()).collect();
        order.sort_by(|&a, &b| boxes[a].bbox.aspect().total_cmp(&boxes[b].bbox.aspect()));
        let mut recognised: Vec<Option<rec::RecLine>> = vec![None; boxes.len()];
        for chunk in order.chunks(REC_BATCH) {
            let crops: Vec<RgbImage> = chunk
                .iter()
                .map(|&i| rec::crop(image, &boxes[i].bbox))
                .collect();
            let (input, widths) = rec::batch_input(&crops);
            let out = self.run_rec(input)?;
            for (k, &i) in chunk.iter().enumerate() {
                let probs = out.slice(k);
                recognised[i] = rec::decode(probs, &self.charset, widths[k], out.size(1))
                    .map(|d| rec::place(d, &boxes[i].bbox, crops[k].width()));
            }
        }
        for (b, r) in boxes.iter().zip(recognised) {
            if let Some(r) = r {
                lines.push(layout::Block {
                    core: b.core,
                    line: r.into_line(b.bbox.rect()),
                });
            }
        }
        Ok(PageText {
            width: w,
            height: h,
            lines: layout::order_and_merge(lines),
        })
    }

    fn detect(&self, image: &RgbImage) -> Result<Vec<det::DetBox>, OcrError> {
        let (input, dw, dh) = det::input(image, DET_LIMIT_SIDE);
        let out = self
            .det
            .run_one(input.view().into(), None)
            .map_err(|e| OcrError::Inference(e.to_string()))?;
        let prob: NdTensor<f32, 4> = out
            .try_into()
            .map_err(|e: rten::TryFromValueError| OcrError::Inference(e.to_string()))?;
        if prob.size(2) != dh || prob.size(3) != dw {
            return Err(OcrError::Inference(format!(
                "detection map is {}x{}, expected {dw}x{dh}",
                prob.size(3),
                prob.size(2)
            )));
        }
        let map = prob.to_vec();
        let (w, h) = image.dimensions();
        Ok(det::boxes_from_map(
            &map,
            dw,
            dh,
            w as f32 / dw as f32,
            h as f32 / dh as f32,
            w as f32,
            h as f32,
            &det::DetParams::default(),
        ))
    }

    fn run_rec(&self, input: NdTensor<f32, 4>) -> Result<NdTensor<f32, 3>, OcrError> {
        let out = self
            .rec
            .run_one(input.view().into(), None)
            .map_err(|e| OcrError::Inference(e.to_string()))?;
        out.try_into()
            .map_err(|e: rten::TryFromValueError| OcrError::Inference(e.to_string()))
    }
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
