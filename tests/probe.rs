//! The header probe on the bundled example deck, whose slides cover the formats seen in the wild.

use std::path::Path;

use deckconv::normalize::{prepare, probe, ColorModel, ImageNeeds, Limits, Prepared, SourceFormat};

fn example(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/qcon-shanghai-2018/images/673764946qgTHbi")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn probes_every_format_of_the_example_deck() {
    let limits = Limits::default();
    let cases = [
        (
            "201905181115_4.png",
            SourceFormat::Png,
            ColorModel::Rgb,
            8,
            false,
            1,
        ),
        (
            "201905181115_7.png",
            SourceFormat::Png,
            ColorModel::Gray,
            8,
            false,
            1,
        ),
        (
            "201905181115_8.jpg",
            SourceFormat::Jpeg,
            ColorModel::Cmyk,
            8,
            false,
            1,
        ),
        (
            "201905181115_9.png",
            SourceFormat::Png,
            ColorModel::Rgb,
            8,
            true,
            1,
        ),
        (
            "201905181115_12.png",
            SourceFormat::Png,
            ColorModel::Rgb,
            16,
            false,
            1,
        ),
        (
            "201905181115_13.jpg",
            SourceFormat::Jpeg,
            ColorModel::Rgb,
            8,
            false,
            1,
        ),
        (
            "201905181115_14.jpg",
            SourceFormat::Jpeg,
            ColorModel::Rgb,
            8,
            false,
            6,
        ),
    ];
    for (name, format, color, depth, alpha, orientation) in cases {
        let info = probe(&example(name), &limits).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            (
                info.format,
                info.color,
                info.bit_depth,
                info.has_alpha,
                info.orientation
            ),
            (format, color, depth, alpha, orientation),
            "{name}"
        );
        assert_eq!(info.display_size(), (960, 540), "{name}");
    }
    let progressive = probe(&example("201905181115_13.jpg"), &limits).expect("probe");
    assert!(progressive.interlaced);
}

#[test]
fn decoding_turns_exif_rotated_slides_upright_and_cmyk_into_rgb() {
    let limits = Limits::default();
    let decode_all = ImageNeeds {
        takes_as_is: |_| false,
        orientation_as_transform: false,
        fit: None,
        grayscale_gamma: None,
    };
    for name in ["201905181115_14.jpg", "201905181115_8.jpg"] {
        let bytes = example(name);
        let info = probe(&bytes, &limits).expect("probe");
        match prepare(bytes, info, &decode_all, &limits) {
            Ok(Prepared::Pixels { image, .. }) => {
                assert_eq!((image.width(), image.height()), (960, 540), "{name}");
                assert_eq!(image.color().channel_count(), 3, "{name}");
            }
            other => panic!("{name}: expected pixels, got {other:?}"),
        }
    }
}
