//! Shared by the three runtime benchmarks: the shapes timed, and best-of-three timing.
use std::time::Instant;

/// Detection at deckconv's 960-px limit on a 16:9 slide, then one recognition line at three
/// widths (48 px high; 1,600 px is a slide-wide line of small text).
pub const DET_SHAPE: [usize; 4] = [1, 3, 544, 960];
pub const REC_WIDTHS: [usize; 3] = [320, 800, 1600];

/// Seconds of the fastest of three runs after one warm-up run.
pub fn best_of_three(mut run: impl FnMut()) -> f64 {
    run();
    (0..3)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
}

pub fn report(what: &str, secs: f64) {
    println!("{what:<22} {secs:.4} s");
}
