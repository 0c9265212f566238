use rten::{ModelOptions, RunOptions, ThreadPool};
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;
use runtimes::*;
use std::sync::Arc;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: rten MODELS_DIR");
    let load = |f: &str| {
        let mut options = ModelOptions::with_all_ops();
        options.prepack_weights(true);
        options.load(std::fs::read(format!("{dir}/{f}")).expect("model file")).expect("model")
    };
    let det = load("ch_PP-OCRv4_det_infer.onnx");
    let rec = load("ch_PP-OCRv4_rec_infer.onnx");
    let pool = Arc::new(ThreadPool::with_num_threads(1));
    let time = |model: &rten::Model, shape: [usize; 4]| {
        let x = NdTensor::<f32, 4>::full(shape, 0.3);
        best_of_three(|| {
            let opts = RunOptions::default().with_thread_pool(Some(pool.clone()));
            model.run_one(x.view().into(), Some(opts)).expect("run");
        })
    };
    report("det 544x960", time(&det, DET_SHAPE));
    for w in REC_WIDTHS {
        report(&format!("rec 48x{w}"), time(&rec, [1, 3, 48, w]));
    }
    report("rec 6 x 48x800", time(&rec, [6, 3, 48, 800]));
}
