use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use ort::value::Tensor;
use runtimes::*;

// Sessions as deckconv makes them (src/ocr/engine.rs), on one thread.
fn main() -> ort::Result<()> {
    let dir = std::env::args().nth(1).expect("usage: ort MODELS_DIR");
    let env = ort::init_from(format!("{dir}/libonnxruntime.so"))
        .expect("libonnxruntime.so in MODELS_DIR")
        .build()?;
    let session = |file: &str| -> ort::Result<Session> {
        Session::builder(&env)?
            .with_optimization_level(GraphOptimizationLevel::All)?
            .with_intra_threads(1)?
            .with_memory_pattern(false)?
            .commit_from_file(format!("{dir}/{file}"))
    };
    let mut det = session("ch_PP-OCRv4_det_infer.onnx")?;
    let mut rec = session("ch_PP-OCRv4_rec_infer.onnx")?;
    let mut time = |s: &mut Session, shape: [usize; 4]| {
        let n = shape.iter().product();
        best_of_three(|| {
            let x = Tensor::from_array((shape, vec![0.3f32; n])).expect("tensor");
            s.run(ort::inputs![x]).expect("run");
        })
    };
    report("det 544x960", time(&mut det, DET_SHAPE));
    for w in REC_WIDTHS {
        report(&format!("rec 48x{w}"), time(&mut rec, [1, 3, 48, w]));
    }
    report("rec 6 x 48x800", time(&mut rec, [6, 3, 48, 800]));
    Ok(())
}
