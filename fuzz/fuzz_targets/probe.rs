//! The image probe (PNG chunks and CRCs, JPEG markers and entropy data, EXIF) under tight
//! limits; what it accepts is then decoded under the same limits, as the pipeline would (under
//! its decoder guard: see fuzz/common/guard.rs).
#![no_main]
#[path = "../common/guard.rs"]
mod guard;

use deckconv::normalize::{probe, Limits};
use libfuzzer_sys::fuzz_target;

const LIMITS: Limits = Limits {
    max_width: 2048,
    max_height: 2048,
    max_pixels: 1 << 20,
    max_alloc: 64 << 20,
};

fuzz_target!(|data: &[u8]| {
    guard::init();
    if let Ok(info) = probe(data, &LIMITS) {
        assert!(info.width > 0 && info.height > 0);
        assert!(u64::from(info.width) * u64::from(info.height) <= LIMITS.max_pixels);
        assert!((1..=8).contains(&info.orientation));
        let _ = guard::decoding(|| deckconv::normalize::decode(data, &info, &LIMITS));
    }
});
