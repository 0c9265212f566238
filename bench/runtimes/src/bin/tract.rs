use runtimes::*;
use std::time::Instant;
use tract_onnx::prelude::*;

// tract plans for one concrete input shape (a symbolic width fails on the recognition
// model's Reshape), so each width is optimised first; that time is reported too.
fn main() -> TractResult<()> {
    let dir = std::env::args().nth(1).expect("usage: tract MODELS_DIR");
    let time = |file: &str, shape: [usize; 4]| -> TractResult<(f64, f64)> {
        let start = Instant::now();
        let plan = tract_onnx::onnx()
            .model_for_path(format!("{dir}/{file}"))?
            .with_input_fact(0, f32::fact(shape).into())?
            .into_optimized()?
            .into_runnable()?;
        let prepare = start.elapsed().as_secs_f64();
        let x: Tensor = tract_ndarray::ArrayD::<f32>::from_elem(shape.to_vec(), 0.3).into();
        let run = best_of_three(|| {
            plan.run(tvec!(x.clone().into())).expect("run");
        });
        Ok((prepare, run))
    };
    let (prepare, run) = time("ch_PP-OCRv4_det_infer.onnx", DET_SHAPE)?;
    report("det 544x960", run);
    report("  (optimise)", prepare);
    for w in REC_WIDTHS {
        let (prepare, run) = time("ch_PP-OCRv4_rec_infer.onnx", [1, 3, 48, w])?;
        report(&format!("rec 48x{w}"), run);
        report("  (optimise)", prepare);
    }
    Ok(())
}
