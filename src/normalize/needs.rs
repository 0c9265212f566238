//! The normalizer's contract with a writer: what it asks for ([`ImageNeeds`]) and what it
//! gets ([`Prepared`]). Plain data, depending on nothing but the probe's [`ImageInfo`], so
//! the stages that read them go one way: `prepare` → `resize` → `encode`, each of them → here.

use image::DynamicImage;

use super::probe::ImageInfo;

/// What a writer needs from the normalizer. Everything it accepts as is stays byte-for-byte.
#[derive(Debug, Clone)]
pub struct ImageNeeds {
    /// Whether the target can take this file unchanged (EXIF orientation included when
    /// `orientation_as_transform` is set: the writer rotates at placement).
    pub takes_as_is: fn(&ImageInfo) -> bool,
    pub orientation_as_transform: bool,
    /// Fit inside this box (no upscaling); the orientation that shows the slide largest.
    pub fit: Option<(u32, u32)>,
    /// Convert to grayscale with this gamma (e-ink).
    pub grayscale_gamma: Option<f32>,
}

impl ImageNeeds {
    /// Every file as it is, upright pixels where it must be decoded.
    pub fn as_is() -> Self {
        ImageNeeds {
            takes_as_is: |_| true,
            orientation_as_transform: false,
            fit: None,
            grayscale_gamma: None,
        }
    }
}

/// A slide ready for a writer.
#[derive(Debug)]
pub enum Prepared {
    /// The file's own bytes, to be embedded unchanged.
    AsIs { bytes: Vec<u8>, info: ImageInfo },
    /// Decoded pixels, upright, sized and coloured for the target.
    Pixels {
        image: DynamicImage,
        info: ImageInfo,
    },
}
