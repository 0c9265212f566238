//! The recognition engine: PP-OCRv4 models run by ONNX Runtime (cargo feature `ocr`).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

use image::RgbImage;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use rten_tensor::prelude::*;
use rten_tensor::NdTensor;
use sha2::{Digest, Sha256};

use super::{det, layout, rec, slots, Lang, OcrError, PageText, Recognizer};
use super::{DET_FILE, DET_LIMIT_SIDE, DICT_FILE, REC_FILE, RUNTIME_FILE};

/// What is read where no line was detected is kept only when every character is this sure:
/// the ink there may be a picture's edge or an icon, which the model reads with less.
const MISSED_LINE_MIN_PROB: f32 = 0.7;

/// A loaded recognition engine. `Send + Sync`: share one between threads.
pub struct Engine {
    det: Net,
    rec: Net,
    /// Index 0 is the CTC blank; the last entry is the space.
    charset: Vec<String>,
    lang: Lang,
    version: String,
    /// What each line crop read, by a hash of its ink's pixels: the same footer or heading
    /// drawn on every slide of a template is recognised once.
    lines_seen: Mutex<HashMap<[u8; 32], SeenLine>>,
}

/// Crops remembered by [`Engine`] before it forgets them all and starts again: bounds
/// memory (a few hundred bytes a crop) however long the deck.
const LINES_SEEN_MAX: usize = 4096;

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

/// The model files of `lang` from `dir`, with the runtime library beside them.
fn read_models(dir: &Path, lang: Lang) -> Result<ModelBytes, OcrError> {
    check_models(dir, lang)?;
    let read = |f: &str| {
        let path = dir.join(f);
        std::fs::read(&path).map_err(|source| OcrError::Io { path, source })
    };
    Ok((read(DET_FILE)?, read(REC_FILE)?, read(DICT_FILE)?))
}

fn check_models(dir: &Path, lang: Lang) -> Result<(), OcrError> {
    let Lang::ChiSimEng = lang;
    for f in MODEL_FILES.into_iter().chain([RUNTIME_FILE]) {
        if !dir.join(f).is_file() {
            return Err(OcrError::ModelsMissing {
                dir: dir.to_path_buf(),
                missing: f,
            });
        }
    }
    Ok(())
}

/// The checksums `scripts/fetch-ocr-models.sh` writes once it has verified the files.
const SUMS_FILE: &str = "SHA256SUMS";

/// A hash of the model files' contents and of the runtime library's size: part of every
/// cache key. Another ONNX Runtime may round differently; its size tells releases apart
/// without hashing 30 MB on every run, which a run served from the cache would feel.
fn version_of(dir: &Path) -> Result<String, OcrError> {
    let io = |path: PathBuf| move |source| OcrError::Io { path, source };
    let runtime = dir.join(RUNTIME_FILE);
    let runtime_len = std::fs::metadata(&runtime).map_err(io(runtime))?.len();
    let listed = listed_sums(dir);
    let mut hasher = Sha256::new();
    for name in MODEL_FILES {
        let path = dir.join(name);
        let digest = match listed.as_ref().and_then(|l| l.unchanged(name, &path)) {
            Some(digest) => digest,
            None => Sha256::digest(std::fs::read(&path).map_err(io(path.clone()))?).into(),
        };
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(digest);
    }
    hasher.update(RUNTIME_FILE.as_bytes());
    hasher.update(runtime_len.to_le_bytes());
    Ok(format!("ppocrv4-{}", &hex::encode(hasher.finalize())[..16]))
}

/// A models folder's `SHA256SUMS` (`sha256sum`'s format) and when it was written.
struct ListedSums {
    sums: HashMap<String, [u8; 32]>,
    written: std::time::SystemTime,
}

fn listed_sums(dir: &Path) -> Option<ListedSums> {
    let path = dir.join(SUMS_FILE);
    let written = std::fs::metadata(&path).ok()?.modified().ok()?;
    let text = std::fs::read_to_string(&path).ok()?;
    let sums = text
        .lines()
        .filter_map(|line| {
            let (hash, name) = line.split_once("  ")?;
            let digest: [u8; 32] = hex::decode(hash).ok()?.try_into().ok()?;
            Some((name.to_string(), digest))
        })
        .collect();
    Some(ListedSums { sums, written })
}

impl ListedSums {
    /// `name`'s listed checksum, if the file has not been modified since it was listed (read
    /// and hashed, reading 15 MB of models was most of a fully cached run's extra time).
    fn unchanged(&self, name: &str, path: &Path) -> Option<[u8; 32]> {
        let modified = std::fs::metadata(path).ok()?.modified().ok()?;
        (modified <= self.written)
            .then(|| self.sums.get(name).copied())
            .flatten()
    }
}

/// An [`Engine`] loaded at its first use: a run whose pages are all cached never loads the
/// runtime or the models, which is most of what such a run would otherwise spend. The files
/// are checked at once, and hashed for the cache key's model version unless the folder's
/// `SHA256SUMS` lists them unchanged.
pub struct LazyEngine {
    dir: PathBuf,
    lang: Lang,
    version: String,
    /// Loaded at the first slide; a failure is shared by every slide after it.
    engine: OnceLock<Result<Engine, Arc<OcrError>>>,
}

impl LazyEngine {
    pub fn new(models_dir: &Path, lang: Lang) -> Result<LazyEngine, OcrError> {
        check_models(models_dir, lang)?;
        Ok(LazyEngine {
            dir: models_dir.to_path_buf(),
            lang,
            version: version_of(models_dir)?,
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
        let engine = self.engine.get_or_init(|| {
            Engine::load_as(&self.dir, self.lang, self.version.clone()).map_err(Arc::new)
        });
        match engine {
            Ok(engine) => engine.recognize(image),
            Err(error) => Err(OcrError::Unavailable(error.clone())),
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
        check_models(models_dir, lang)?;
        Engine::load_as(models_dir, lang, version_of(models_dir)?)
    }

    /// [`Engine::load`] for models whose `version` is known already.
    fn load_as(models_dir: &Path, lang: Lang, version: String) -> Result<Engine, OcrError> {
        let (det_bytes, rec_bytes, dict_bytes) = read_models(models_dir, lang)?;

        let dict_path = models_dir.join(DICT_FILE);
        let dict = String::from_utf8(dict_bytes).map_err(|_| OcrError::Dictionary {
            path: dict_path.clone(),
            message: "not UTF-8".into(),
        })?;
        let charset = rec::charset(&dict);
        // Every session runs on one core: a page or line spread over two cores cost more
        // CPU for the same wall time (deck37, 2 cores: 19.4 against 20.9 s of user CPU, means of
        // three). Detection is about a third of the work, so one session for every two
        // recognising threads keeps up; recognition runs one session per thread.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let env = runtime(models_dir)?;
        let det = Net::new(
            env,
            models_dir.join(DET_FILE),
            det_bytes,
            Sharing::one_core_each(cores.div_ceil(2)),
        )?;
        let rec = Net::new(
            env,
            models_dir.join(REC_FILE),
            rec_bytes,
            Sharing::one_per_thread(),
        )?;
        let engine = Engine {
            det,
            rec,
            charset,
            lang,
            version,
            lines_seen: Mutex::new(HashMap::new()),
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
        let read = self.recognize_boxes(image, &rects, true)?;
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
        let readings = self.recognize_boxes(image, &crops, false)?;
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

    /// Recognise the text in each box (page pixels), one box per model run: nothing is
    /// padded, and a batch of six ran slower per line than six runs of one on these CPUs
    /// (docs/ocr-engine.md). `None` for a box with no confident text. `by_ink`: a crop whose
    /// ink is the same as one read before, pixel for pixel, takes that reading, whatever the
    /// blank around it (the detector's box around a slide template's footer moves by a
    /// pixel from slide to slide); otherwise only the same whole crop does.
    fn recognize_boxes(
        &self,
        image: &RgbImage,
        boxes: &[det::PxBox],
        by_ink: bool,
    ) -> Result<Vec<Option<rec::RecLine>>, OcrError> {
        let mut recognised = Vec::with_capacity(boxes.len());
        for b in boxes {
            let crop = rec::crop(image, b);
            let ink = rec::Ink::of(&crop);
            let ink_left = ink.bounds().map_or(0, |(left, ..)| left);
            let key = line_key(&crop, ink.bounds().filter(|_| by_ink));
            let seen = self
                .lines_seen
                .lock()
                .ok()
                .and_then(|s| s.get(&key).cloned());
            let chars = match seen {
                Some(seen) => seen.placed_in(crop.width(), ink_left),
                None => {
                    let (input, width) = rec::input(&crop);
                    // Time steps are positions in the padded input: `decode` needs its width.
                    let input_width = input.size(3);
                    let out = self.run_rec(input)?;
                    let chars = rec::decode(out.slice(0), &self.charset, width, input_width)
                        .map(|d| rec::insert_gap_spaces(d, &ink));
                    if let Ok(mut seen) = self.lines_seen.lock() {
                        if seen.len() >= LINES_SEEN_MAX {
                            seen.clear();
                        }
                        let line = SeenLine {
                            chars: chars.clone(),
                            crop_width: crop.width(),
                            ink_left,
                        };
                        seen.insert(key, line);
                    }
                    chars
                }
            };
            recognised.push(chars.map(|d| rec::place(d, b, crop.width())));
        }
        Ok(recognised)
    }

    fn detect(&self, image: &RgbImage) -> Result<Vec<det::DetBox>, OcrError> {
        let (w, h) = image.dimensions();
        let (dw, dh) = det::input_size(w, h, DET_LIMIT_SIDE);
        let scaled = det::scaled(image, dw, dh);
        let compacted = det::Compaction::of(&scaled);
        let (input, compaction) = match &compacted {
            Some((compaction, cut)) => (cut, Some(compaction)),
            None => (scaled.as_ref(), None),
        };
        let (iw, ih) = (input.width() as usize, input.height() as usize);
        let prob: NdTensor<f32, 4> = self.det.run(det::input(input))?;
        if prob.size(2) != ih || prob.size(3) != iw {
            return Err(OcrError::Inference(format!(
                "detection map is {}x{}, expected {iw}x{ih}",
                prob.size(3),
                prob.size(2)
            )));
        }
        let map = prob.to_vec();
        let boxes = det::boxes_from_map(&map, iw, ih, &det::DetParams::default());
        let (sx, sy) = (w as f32 / dw as f32, h as f32 / dh as f32);
        Ok(boxes
            .into_iter()
            .map(|b| compaction.map_or(b, |c| c.uncut(b)))
            .filter_map(|b| det::on_page(b, sx, sy, w as f32, h as f32))
            .collect())
    }

    fn run_rec(&self, input: NdTensor<f32, 4>) -> Result<NdTensor<f32, 3>, OcrError> {
        self.rec.run(input)
    }
}

/// A line crop's identity: the size and pixels of its ink (`ink`: its bounds in the crop),
/// or of the whole crop.
fn line_key(crop: &RgbImage, ink: Option<(u32, u32, u32, u32)>) -> [u8; 32] {
    let (left, top, right, bottom) = ink.unwrap_or((0, 0, crop.width() - 1, crop.height() - 1));
    let (w, h) = (right - left + 1, bottom - top + 1);
    let mut hasher = Sha256::new();
    hasher.update([u8::from(ink.is_some())]);
    hasher.update(w.to_le_bytes());
    hasher.update(h.to_le_bytes());
    for y in top..=bottom {
        let row = (y * crop.width() + left) as usize * 3;
        hasher.update(&crop.as_raw()[row..row + w as usize * 3]);
    }
    hasher.finalize().into()
}

/// What a line crop read, and where its ink began.
#[derive(Clone)]
struct SeenLine {
    chars: Option<Vec<rec::Char>>,
    crop_width: u32,
    ink_left: u32,
}

impl SeenLine {
    /// The characters read, placed in another crop `crop_width` wide whose (same) ink
    /// begins at `ink_left`.
    fn placed_in(self, crop_width: u32, ink_left: u32) -> Option<Vec<rec::Char>> {
        let mut chars = self.chars?;
        if (crop_width, ink_left) != (self.crop_width, self.ink_left) {
            let shift = ink_left as f32 - self.ink_left as f32;
            for c in &mut chars {
                c.x = ((c.x * self.crop_width as f32 + shift) / crop_width.max(1) as f32)
                    .clamp(0.0, 1.0);
            }
        }
        Some(chars)
    }
}

/// The ONNX Runtime library, loaded once per process from the first models folder used.
static RUNTIME: OnceLock<Result<ort::environment::Environment, RuntimeError>> = OnceLock::new();

/// Why the ONNX Runtime library could not be set up; kept for the process, so every engine
/// after the first failure gets the same answer.
#[derive(Debug, thiserror::Error)]
enum RuntimeError {
    /// The library could not be loaded (missing, another version).
    #[error("{0}")]
    Load(#[from] ort::LoadDynamicError),
    /// The library loaded but refused to make an environment or its memory description.
    #[error("{0}")]
    Setup(#[from] ort::Error),
    /// The shared CPU arena could not be registered; the runtime's own message.
    #[error("cannot share a memory arena: {0}")]
    Arena(String),
}

fn runtime(models_dir: &Path) -> Result<&'static ort::environment::Environment, OcrError> {
    let path = models_dir.join(RUNTIME_FILE);
    let loaded = RUNTIME.get_or_init(|| {
        let env = ort::init_from(&path)?.with_name("deckconv").build()?;
        share_one_arena(&env)?;
        Ok(env)
    });
    loaded.as_ref().map_err(|error| OcrError::Model {
        path,
        message: error.to_string(),
    })
}

/// Registers one CPU arena with the environment for every session to allocate from (with
/// `with_env_allocators`): detection's activations and recognition's then
/// reuse the same memory instead of each session keeping its own high-water mark.
fn share_one_arena(env: &ort::environment::Environment) -> Result<(), RuntimeError> {
    use ort::memory::{AllocationDevice, AllocatorType, MemoryInfo, MemoryType};
    use ort::AsPointer;
    let info = MemoryInfo::new(
        AllocationDevice::CPU,
        0,
        AllocatorType::Arena,
        MemoryType::Default,
    )?;
    let api = ort::api();
    // SAFETY: both pointers come from live ort objects; a null arena configuration asks for
    // the default one; the returned status is read and released here.
    unsafe {
        let status =
            (api.CreateAndRegisterAllocator)(env.ptr().cast_mut(), info.ptr(), std::ptr::null());
        if status.0.is_null() {
            return Ok(());
        }
        let message = std::ffi::CStr::from_ptr((api.GetErrorMessage)(status.0))
            .to_string_lossy()
            .into_owned();
        (api.ReleaseStatus)(status.0);
        Err(RuntimeError::Arena(message))
    }
}

/// How many sessions of a model run at once, each on how many threads.
#[derive(Debug, Clone, Copy)]
struct Sharing {
    max_sessions: usize,
    threads: usize,
}

impl Sharing {
    /// One session per calling thread, each on one core: the pipeline's one slide per core
    /// then uses every core without oversubscribing them, which measured faster than one
    /// slide spread over them all.
    fn one_per_thread() -> Sharing {
        Sharing::one_core_each(usize::MAX)
    }
    /// At most `sessions` sessions, which callers take in turn, each on one core.
    fn one_core_each(sessions: usize) -> Sharing {
        Sharing {
            max_sessions: sessions.max(1),
            threads: 1,
        }
    }
}

/// One model and the sessions that run it. A session runs one input at a time: a caller
/// takes an idle one, or makes one (then kept) while fewer than `sharing` allows exist, or
/// waits for one to come back.
struct Net {
    env: &'static ort::environment::Environment,
    bytes: Vec<u8>,
    path: PathBuf,
    sharing: Sharing,
    pool: Mutex<Pool>,
    returned: Condvar,
}

#[derive(Default)]
struct Pool {
    idle: Vec<Session>,
    made: usize,
}

impl Net {
    fn new(
        env: &'static ort::environment::Environment,
        path: PathBuf,
        bytes: Vec<u8>,
        sharing: Sharing,
    ) -> Result<Net, OcrError> {
        let net = Net {
            env,
            bytes,
            path,
            sharing,
            pool: Mutex::new(Pool::default()),
            returned: Condvar::new(),
        };
        // Fails here, not on the first slide, if the runtime cannot load the model.
        let first = net.session()?;
        net.put_back(first);
        Ok(net)
    }

    fn model_error(&self, message: String) -> OcrError {
        OcrError::Model {
            path: self.path.clone(),
            message,
        }
    }

    fn session(&self) -> Result<Session, OcrError> {
        let poisoned = || self.model_error("a thread running this model panicked".into());
        let mut pool = self.pool.lock().map_err(|_| poisoned())?;
        loop {
            if let Some(session) = pool.idle.pop() {
                return Ok(session);
            }
            if pool.made < self.sharing.max_sessions {
                pool.made += 1;
                drop(pool);
                let made = build_session(self.env, &self.bytes, self.sharing.threads)
                    .map_err(|e| self.model_error(e.to_string()));
                if made.is_err() {
                    if let Ok(mut pool) = self.pool.lock() {
                        pool.made -= 1;
                    }
                }
                return made;
            }
            pool = self.returned.wait(pool).map_err(|_| poisoned())?;
        }
    }

    fn put_back(&self, session: Session) {
        if let Ok(mut pool) = self.pool.lock() {
            pool.idle.push(session);
        }
        self.returned.notify_one();
    }

    /// Run the model on one NCHW input; its one output as a tensor of rank `N`.
    fn run<const N: usize>(&self, input: NdTensor<f32, 4>) -> Result<NdTensor<f32, N>, OcrError> {
        let mut session = self.session()?;
        let result = run_session(&mut session, input);
        self.put_back(session);
        result
    }
}

fn build_session(
    env: &ort::environment::Environment,
    model: &[u8],
    threads: usize,
) -> ort::Result<Session> {
    Session::builder(env)?
        .with_optimization_level(GraphOptimizationLevel::All)?
        .with_intra_threads(threads)?
        // Spinning helper threads would take the core from a recognising thread.
        .with_intra_op_spinning(false)?
        .with_inter_threads(1)?
        // Recognition inputs change width with every line: a memory plan made for one shape
        // is wasted on the next.
        .with_memory_pattern(false)?
        .with_env_allocators()?
        // The arena keeps each session's activations from one run to the next; without it,
        // the same runs left glibc's heap at 600 MB on deck37.
        .with_execution_providers([ort::ep::CPU::default().with_arena_allocator(true).build()])?
        .commit_from_memory(model)
}

fn run_session<const N: usize>(
    session: &mut Session,
    input: NdTensor<f32, 4>,
) -> Result<NdTensor<f32, N>, OcrError> {
    let inference = |e: ort::Error| OcrError::Inference(e.to_string());
    let shape = input.shape();
    let value = ort::value::Tensor::from_array((shape, input.into_data())).map_err(inference)?;
    let outputs = session.run(ort::inputs![value]).map_err(inference)?;
    let (out_shape, data) = outputs[0].try_extract_tensor::<f32>().map_err(inference)?;
    let dims: Vec<usize> = out_shape.iter().map(|&d| d.max(0) as usize).collect();
    let dims: [usize; N] = dims.try_into().map_err(|d: Vec<usize>| {
        OcrError::Inference(format!("model output has rank {}, expected {N}", d.len()))
    })?;
    Ok(NdTensor::from_data(dims, data.to_vec()))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of "ink" (a dark bar with gaps) at `left` in a crop `width` wide.
    fn crop_with_ink_at(left: u32, width: u32) -> RgbImage {
        RgbImage::from_fn(width, 30, |x, y| {
            let inked =
                (left..left + 40).contains(&x) && (8..22).contains(&y) && (x - left) % 5 < 3;
            image::Rgb(if inked { [20, 20, 20] } else { [250, 250, 250] })
        })
    }

    #[test]
    fn the_same_ink_in_a_wider_crop_is_the_same_line() {
        let (a, b) = (crop_with_ink_at(6, 60), crop_with_ink_at(9, 64));
        let (ink_a, ink_b) = (rec::Ink::of(&a).bounds(), rec::Ink::of(&b).bounds());
        assert_eq!(ink_a.map(|i| i.0), Some(6));
        assert_eq!(line_key(&a, ink_a), line_key(&b, ink_b));
        // As whole crops they differ, and other ink differs either way.
        assert_ne!(line_key(&a, None), line_key(&b, None));
        let c = crop_with_ink_at(6, 50);
        let mut c2 = c.clone();
        c2.put_pixel(9, 10, image::Rgb([20, 20, 20]));
        assert_ne!(
            line_key(&c, rec::Ink::of(&c).bounds()),
            line_key(&c2, rec::Ink::of(&c2).bounds())
        );
    }

    #[test]
    fn a_reading_taken_over_keeps_its_characters_on_their_ink() {
        // Read in a 60 px crop whose ink starts at 6: a character centred at 16 px.
        let seen = SeenLine {
            chars: Some(vec![rec::Char {
                text: "a".into(),
                prob: 0.9,
                x: 16.0 / 60.0,
            }]),
            crop_width: 60,
            ink_left: 6,
        };
        // In a 64 px crop whose ink starts at 9, it is centred at 19 px.
        let moved = seen.clone().placed_in(64, 9).expect("text");
        assert!(
            (moved[0].x * 64.0 - 19.0).abs() < 1e-4,
            "{}",
            moved[0].x * 64.0
        );
        assert_eq!(seen.placed_in(60, 6).expect("text")[0].x, 16.0 / 60.0);
    }

    #[test]
    fn listed_checksums_stand_for_files_not_changed_since() {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in MODEL_FILES.into_iter().chain([RUNTIME_FILE]) {
            std::fs::write(dir.path().join(name), name).expect("write");
        }
        let by_content = version_of(dir.path()).expect("version");
        // A list with the true checksums gives the same version without reading the files.
        let line = |name: &str, digest: &[u8]| format!("{}  {name}\n", hex::encode(digest));
        let true_sums: String = MODEL_FILES
            .iter()
            .map(|n| line(n, &Sha256::digest(n.as_bytes())))
            .collect();
        std::fs::write(dir.path().join(SUMS_FILE), &true_sums).expect("write");
        assert_eq!(version_of(dir.path()).expect("version"), by_content);
        // The list is taken at its word for files older than it ...
        let false_sums = true_sums.replacen(
            &hex::encode(Sha256::digest(DET_FILE.as_bytes())),
            &"0".repeat(64),
            1,
        );
        std::fs::write(dir.path().join(SUMS_FILE), false_sums).expect("write");
        assert_ne!(version_of(dir.path()).expect("version"), by_content);
        // ... but a file changed after it is read again.
        let det = std::fs::File::options()
            .write(true)
            .open(dir.path().join(DET_FILE))
            .expect("open");
        det.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
            .expect("set mtime");
        assert_eq!(version_of(dir.path()).expect("version"), by_content);
    }
}
