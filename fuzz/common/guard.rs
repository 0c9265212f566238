//! Decoding under deckconv's decoder guard, as the pipeline does: a panic inside a decoder
//! fails the slide there, so here it is a crash only when it is not the one known upstream
//! bug: zune-jpeg 0.5.15's IDCTs (AVX2, and the scalar DC-only one) asked to write past a
//! component's output on JPEGs with one scan per component and unusual sampling, valid ones
//! included (docs/upstream/zune-jpeg-avx2-idct.md). Without this, every run would stop at that
//! bug within seconds and find nothing else.

use deckconv::normalize::guard::{guarded, install_panic_hook};

/// Install deckconv's panic hook once, over libFuzzer's (which aborts, so that a caught panic
/// still counts as a crash): libFuzzer's stays in force for every panic outside a guard.
pub fn init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(install_panic_hook);
}

/// `work` under the guard; `None` when it hit the known upstream panic.
pub fn decoding<T>(work: impl FnOnce() -> T) -> Option<T> {
    match guarded(work) {
        Ok(value) => Some(value),
        Err(crash) if crash.detail.contains("zune-jpeg") && crash.detail.contains("/src/idct/") => {
            None
        }
        Err(crash) => panic!("a decoder panicked: {}", crash.detail),
    }
}
