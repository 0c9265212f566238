//! Bring a probed slide into the form a writer asked for.

use image::DynamicImage;

use super::probe::{ImageInfo, Limits};

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

/// Decide and do the least work that gives the writer what it needs.
pub fn prepare(
    bytes: Vec<u8>,
    info: ImageInfo,
    needs: &ImageNeeds,
    limits: &Limits,
) -> Result<Prepared, String> {
    let _ = limits;
    if (needs.takes_as_is)(&info)
        && needs.fit.is_none()
        && needs.grayscale_gamma.is_none()
        && (info.orientation == 1 || needs.orientation_as_transform)
    {
        return Ok(Prepared::AsIs { bytes, info });
    }
    Err("decode path not implemented yet".into())
}
