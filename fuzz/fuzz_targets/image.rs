//! Hostile image bytes through every step that decodes them, under tight limits: the probe,
//! then what the pipeline does to a slide a writer cannot take as it is — decode with EXIF
//! orientation (JPEG, PNG, GIF, WebP, BMP, TIFF; ICC and EXIF segments on the way), resize
//! to a device screen in colour or in e-ink grey with gamma, flatten onto white (what OCR is
//! given), and encode again as PNG and JPEG. (The PDF writer's own image path, PNG rows
//! copied or decoded, is the `pdf` target's.)
#![no_main]
#[path = "../common/guard.rs"]
mod guard;

use deckconv::normalize::encode::{encode_file, flatten_rgb, FileEncoding};
use deckconv::normalize::{decode, prepare, probe, ImageNeeds, Limits, Prepared};
use libfuzzer_sys::fuzz_target;

const LIMITS: Limits = Limits {
    max_width: 1024,
    max_height: 1024,
    max_pixels: 1 << 18,
    max_alloc: 64 << 20,
};

fuzz_target!(|data: &[u8]| {
    guard::init();
    let Ok(info) = probe(data, &LIMITS) else {
        return;
    };
    let (width, height) = info.display_size();
    let Some(Ok(image)) = guard::decoding(|| decode(data, &info, &LIMITS)) else {
        return;
    };
    assert_eq!((image.width(), image.height()), (width, height));
    let rgb = flatten_rgb(image);
    assert_eq!(rgb.dimensions(), (width, height));
    // A reader's screen, in grey with gamma and in colour, as the EPUB and CBZ writers ask.
    for grayscale_gamma in [Some(1.6), None] {
        let needs = ImageNeeds {
            takes_as_is: |_| false,
            orientation_as_transform: false,
            fit: Some((37, 23)),
            grayscale_gamma,
        };
        let prepared = guard::decoding(|| prepare(data.to_vec(), info.clone(), &needs, &LIMITS));
        let Some(Ok(Prepared::Pixels { image, info })) = prepared else {
            panic!("a file that decoded once did not decode again");
        };
        assert!(image.width().max(image.height()) <= 37);
        let how = FileEncoding {
            device: true,
            jpeg_quality: 85,
        };
        encode_file(&image, &info, how).expect("encoding decoded pixels");
    }
});
