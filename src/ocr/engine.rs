//! The recognition engine: PP-OCRv4 models run by rten (cargo feature `ocr`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::OnceLock;

use image::RgbImage;
use rten::{Model, ModelOptions, RunOptions, ThreadPool};
use rten_tensor::prelude::*;
use rten_tensor::NdTensor;
use sha2::{Digest, Sha256};

use super::{det, layout, rec, slots, Lang, OcrError, PageText, Recognizer};
use super::{DET_FILE, DET_LIMIT_SIDE, DICT_FILE, REC_BATCH, REC_FILE};

/// What is read where no line was detected is kept only when every character is this sure:
/// the ink there may be a picture's edge or an icon, which the model reads with less.
const MISSED_LINE_MIN_PROB: f32 = 0.7;

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

const MODEL_FILES: [&str; 3] = [DET_FILE, REC_FILE, DICT_FILE];

/// The bytes of the detection model, the recognition model and the dictionary.
type ModelBytes = (Vec<u8>, Vec<u8>, Vec<u8>);

/// The model files of `lang` from `dir`.
fn read_models(dir: &Path, lang: Lang) -> Result<ModelBytes, OcrError> {
    let Lang::ChiSimEng = lang;
    for f in MODEL_FILES {
        if !dir.join(f).is_file() {
            return Err(OcrError::ModelsMissing {
                dir: dir.to_path_buf(),
                missing: f,
            });
        }
    }
    let read = |f: &str| {
        let path = dir.join(f);
        std::fs::read(&path).map_err(|source| OcrError::Io { path, source })
    };
    Ok((read(DET_FILE)?, read(REC_FILE)?, read(DICT_FILE)?))
}

/// A hash of the model files' contents: part of every cache key.
fn version_of(contents: &[&Vec<u8>; 3]) -> String {
    let mut hasher = Sha256::new();
    for (name, bytes) in MODEL_FILES.iter().zip(contents) {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(Sha256::digest(bytes));
    }
    format!("ppocrv4-{}", &hex::encode(hasher.finalize())[..16])
}

/// An [`Engine`] loaded at its first use: a run whose pages are all cached never parses and
/// prepacks the models, which is most of what such a run would otherwise spend. The files
/// are checked and hashed (the cache key's model version) at once.
pub struct LazyEngine {
    dir: PathBuf,
    lang: Lang,
    version: String,
    engine: OnceLock<Result<Engine, String>>,
}

impl LazyEngine {
    pub fn new(models_dir: &Path, lang: Lang) -> Result<LazyEngine, OcrError> {
        let (det, rec, dict) = read_models(models_dir, lang)?;
        Ok(LazyEngine {
            dir: models_dir.to_path_buf(),
            lang,
            version: version_of(&[&det, &rec, &dict]),
            engine: OnceLock::new(),
        })
    }
}

impl Recognizer for LazyEngine {
    fn model_version(&self) -> String {
        self.version.clone()
    }
    fn lang(&self) -> Lang {
        self.lang
    }
    fn recognize(&self, image: &RgbImage) -> Result<PageText, OcrError> {
        let engine = self
            .engine
            .get_or_init(|| Engine::load(&self.dir, self.lang).map_err(|e| e.to_string()));
        match engine {
            Ok(engine) => engine.recognize(image),
            Err(message) => Err(OcrError::Inference(message.clone())),
        }
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
        let (det_bytes, rec_bytes, dict_bytes) = read_models(models_dir, lang)?;
        let version = version_of(&[&det_bytes, &rec_bytes, &dict_bytes]);

        let dict_path = models_dir.join(DICT_FILE);
        let dict = String::from_utf8(dict_bytes).map_err(|_| OcrError::Dictionary {
            path: dict_path.clone(),
            message: "not UTF-8".into(),
        })?;
        let charset = rec::charset(&dict);
        let load = |f: &str, bytes: Vec<u8>| {
            // Prepacked weights: a copy in the matrix kernels' layout, about 10% less CPU a
            // slide for a few MB (docs/ocr-engine.md).
            let mut options = ModelOptions::with_all_ops();
            options.prepack_weights(true);
            options.load(bytes).map_err(|e| OcrError::Model {
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
        let rects: Vec<det::PxBox> = boxes.iter().map(|b| b.bbox).collect();
        let read = self.recognize_boxes(image, &rects)?;
        let texts: Vec<String> = read
            .iter()
            .map(|r| r.as_ref().map(rec::RecLine::text).unwrap_or_default())
            .collect();
        let mut lines = Vec::with_capacity(boxes.len());
        for (b, r) in boxes.iter().zip(read) {
            if let Some(r) = r {
                lines.push(layout::Block {
                    core: b.core,
                    line: r.into_line(b.bbox.rect()),
                });
            }
        }
        lines.extend(self.read_missed_lines(image, &boxes, &texts)?);
        Ok(PageText {
            width: w,
            height: h,
            lines: layout::order_and_merge(lines),
        })
    }

    /// Lines the detector cannot see (a lone `}` closing a block of code), where a run of
    /// evenly spaced lines says one should stand. Each piece of ink found there is read in
    /// three crops; the surest reading is kept if it is sure enough, and a thin glyph below
    /// code that leaves a bracket open is that bracket's closer (the model reads a lone `}`
    /// as `1` or `了` as often as not). `texts`: what was read in each of `boxes`.
    fn read_missed_lines(
        &self,
        image: &RgbImage,
        boxes: &[det::DetBox],
        texts: &[String],
    ) -> Result<Vec<layout::Block>, OcrError> {
        let (w, h) = image.dimensions();
        let mut inks: Vec<(usize, det::PxBox)> = Vec::new();
        let slots = slots::missed_line_slots(boxes, h as f32);
        for (n, slot) in slots.iter().enumerate() {
            inks.extend(
                slots::ink_boxes(image, &slot.band)
                    .into_iter()
                    .map(|b| (n, b)),
            );
        }
        let crops: Vec<det::PxBox> = inks
            .iter()
            .flat_map(|(_, ink)| slots::glyph_crops(ink, w as f32, h as f32))
            .collect();
        let readings = self.recognize_boxes(image, &crops)?;
        let surest = |r: &rec::RecLine| r.chars.iter().map(|c| c.1).fold(1.0, f32::min);
        // What was read in slots so far, by run (its first box) and band: the code above a
        // slot lower in the same run includes it.
        let mut found: Vec<(Option<&usize>, det::PxBox, String)> = Vec::new();
        let mut blocks = Vec::new();
        for ((n, ink), readings) in inks.iter().zip(readings.chunks(3)) {
            let slot = &slots[*n];
            let run = slot.above.first();
            let mut code_above: Vec<(f32, &str)> = slot
                .above
                .iter()
                .map(|&i| (boxes[i].core.top, texts[i].as_str()))
                .collect();
            code_above.extend(
                found
                    .iter()
                    .filter(|(r, band, _)| *r == run && band.y1 <= slot.band.y0)
                    .map(|(_, band, t)| (band.y0, t.as_str())),
            );
            code_above.sort_by(|a, b| a.0.total_cmp(&b.0));
            let closer = slots::expected_closer(code_above.iter().map(|(_, t)| *t));
            let Some(best) = readings
                .iter()
                .flatten()
                .max_by(|a, b| surest(a).total_cmp(&surest(b)))
            else {
                continue;
            };
            let chosen = match (closer, best.chars.first()) {
                (Some(c), Some(glyph)) if slots::looks_like_closer(&best.text()) => rec::RecLine {
                    chars: vec![(c.to_string(), glyph.1, glyph.2)],
                },
                _ if surest(best) >= MISSED_LINE_MIN_PROB => best.clone(),
                _ => continue,
            };
            found.push((run, slot.band, chosen.text()));
            blocks.push(layout::Block {
                core: ink.rect(),
                line: chosen.into_line(ink.rect()),
            });
        }
        Ok(blocks)
    }

    /// Recognise the text in each box (page pixels), in batches of similar aspect ratio
    /// (they pad least, as PP-OCR does); `None` for a box with no confident text.
    fn recognize_boxes(
        &self,
        image: &RgbImage,
        boxes: &[det::PxBox],
    ) -> Result<Vec<Option<rec::RecLine>>, OcrError> {
        let mut order: Vec<usize> = (0..boxes.len()).collect();
        order.sort_by(|&a, &b| boxes[a].aspect().total_cmp(&boxes[b].aspect()));
        let mut recognised: Vec<Option<rec::RecLine>> = vec![None; boxes.len()];
        for chunk in order.chunks(REC_BATCH) {
            let crops: Vec<RgbImage> = chunk.iter().map(|&i| rec::crop(image, &boxes[i])).collect();
            let (input, widths) = rec::batch_input(&crops);
            // Time steps are positions in the padded input: `decode` needs its width.
            let input_width = input.size(3);
            let out = self.run_rec(input)?;
            for (k, &i) in chunk.iter().enumerate() {
                let probs = out.slice(k);
                recognised[i] = rec::decode(probs, &self.charset, widths[k], input_width)
                    .map(|d| rec::insert_gap_spaces(d, &crops[k]))
                    .map(|d| rec::place(d, &boxes[i], crops[k].width()));
            }
        }
        Ok(recognised)
    }

    fn detect(&self, image: &RgbImage) -> Result<Vec<det::DetBox>, OcrError> {
        let (input, dw, dh) = det::input(image, DET_LIMIT_SIDE);
        let out = self
            .det
            .run_one(input.view().into(), Some(run_options()))
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
            .run_one(input.view().into(), Some(run_options()))
            .map_err(|e| OcrError::Inference(e.to_string()))?;
        out.try_into()
            .map_err(|e: rten::TryFromValueError| OcrError::Inference(e.to_string()))
    }
}

thread_local! {
    /// One inference thread for each thread that recognises: the caller owns the
    /// parallelism (the pipeline recognises one slide per core), which measured faster than
    /// every slide spread over rten's shared pool (docs/ocr-engine.md).
    static POOL: Arc<ThreadPool> = Arc::new(ThreadPool::with_num_threads(1));
}

fn run_options() -> RunOptions {
    RunOptions::default().with_thread_pool(Some(POOL.with(Arc::clone)))
}

impl Recognizer for Engine {
    fn model_version(&self) -> String {
        self.model_version()
    }
    fn lang(&self) -> Lang {
        self.lang()
    }
    fn recognize(&self, image: &RgbImage) -> Result<PageText, OcrError> {
        self.recognize(image)
    }
}
