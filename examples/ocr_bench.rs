//! Recognise a folder of upright slide images and write the results as JSON, for
//! `bench/ocr/score.py` (docs/ocr-engine.md).
//!
//! ```text
//! cargo run --release --features ocr --example ocr_bench -- \
//!     MODELS_DIR IMG_DIR OUT.json [JOBS]
//! ```
//! JOBS threads share one engine and take slides in turn (default 1).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use deckconv::ocr::{Engine, Lang};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() < 3 {
        eprintln!("usage: ocr_bench MODELS_DIR IMG_DIR OUT.json [JOBS]");
        std::process::exit(2);
    }
    let jobs: usize = a.get(3).map(|j| j.parse()).transpose()?.unwrap_or(1);
    let t_load = Instant::now();
    let engine = Engine::load(&PathBuf::from(&a[0]), Lang::ChiSimEng)?;
    let load_secs = t_load.elapsed().as_secs_f64();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&a[1])?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "png" || e == "jpg"));
    files.sort();
    let t0 = Instant::now();
    let next = AtomicUsize::new(0);
    let results = Mutex::new(serde_json::Map::new());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(path) = files.get(i) else { break };
                let img = image::open(path).expect("image").to_rgb8();
                let t = Instant::now();
                let page = engine.recognize(&img).expect("recognize");
                let secs = t.elapsed().as_secs_f64();
                let lines: Vec<_> = page
                    .lines
                    .iter()
                    .map(|l| {
                        serde_json::json!({"text": l.text, "confidence": l.confidence,
                            "bbox": [l.bbox.left, l.bbox.top, l.bbox.right, l.bbox.bottom],
                            "words": l.words.len()})
                    })
                    .collect();
                let heading = page.heading().map(|l| l.text.clone());
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                results.lock().unwrap().insert(
                    name,
                    serde_json::json!({"secs": secs, "heading": heading, "lines": lines}),
                );
            });
        }
    });
    let total = t0.elapsed().as_secs_f64();
    let mut m = results.into_inner().unwrap();
    m.insert("_total_secs".into(), total.into());
    m.insert("_load_secs".into(), load_secs.into());
    m.insert("_model_version".into(), engine.model_version().into());
    std::fs::write(&a[2], serde_json::to_string_pretty(&m)?)?;
    eprintln!(
        "ocr_bench: {} slides in {total:.2}s with {jobs} jobs (load {load_secs:.2}s)",
        files.len()
    );
    Ok(())
}
