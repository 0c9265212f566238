//! Scaling pages and line crops to the models' input sizes.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;

/// `image` scaled to `width`×`height` with a triangle (bilinear) filter, which widens to the
/// scale when shrinking, as `image`'s own `Triangle` does. fast_image_resize runs it in SIMD:
/// `image`'s scalar resize was a tenth of an `--ocr` run's CPU.
pub(crate) fn resized(image: &RgbImage, width: u32, height: u32) -> RgbImage {
    let mut out = RgbImage::new(width, height);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    if Resizer::new().resize(image, &mut out, &options).is_err() {
        // Only for an empty image on either side, which callers never pass; stay correct anyway.
        return image::imageops::resize(
            image,
            width,
            height,
            image::imageops::FilterType::Triangle,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinks_and_enlarges_like_a_triangle_filter() {
        // A left half black, right half white page: shrunk or enlarged, the halves stay and
        // the edge between them is a ramp.
        let page = RgbImage::from_fn(200, 100, |x, _| {
            image::Rgb([if x < 100 { 0 } else { 255 }; 3])
        });
        for (w, h) in [(150, 75), (400, 200)] {
            let out = resized(&page, w, h);
            assert_eq!(out.dimensions(), (w, h));
            assert_eq!(out.get_pixel(2, h / 2).0, [0; 3]);
            assert_eq!(out.get_pixel(w - 3, h / 2).0, [255; 3]);
            let ramp: Vec<u8> = (w / 2 - 2..w / 2 + 2)
                .map(|x| out.get_pixel(x, h / 2).0[0])
                .collect();
            assert!(ramp.iter().any(|v| (1..=254).contains(v)), "{ramp:?}");
            assert!(ramp.windows(2).all(|p| p[0] <= p[1]), "{ramp:?}");
        }
    }
}
