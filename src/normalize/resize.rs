//! Fitting slides to a reader's screen and e-ink colour handling.
//!
//! Orientation: a slide is fitted into the device box as is or turned by 90°, whichever
//! gives the larger scale; the *box* turns, never the pixels. A landscape slide on a
//! portrait e-reader thus becomes a landscape page (the book declares its orientation and
//! the reader rotates the screen), which shows it far larger than a letterbox strip would.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, GrayImage, RgbImage};

use super::encode::{flatten_gray, flatten_rgb};
use super::needs::ImageNeeds;

/// Gamma for e-ink screens: they render mid-greys pale and anti-aliased text thin, so mid-tones
/// are darkened (`out = in^gamma`) while black and white stay as they are.
pub const EINK_GAMMA: f32 = 1.6;

/// The size `(width, height)` fits at inside `fit_box` or the box turned by 90°, whichever
/// shows it larger; never larger than the original (no upscaling) and never 0.
pub fn fitted_size((width, height): (u32, u32), fit_box: (u32, u32)) -> (u32, u32) {
    if width == 0 || height == 0 {
        return (width, height);
    }
    let scale_in = |(bw, bh): (u32, u32)| (bw as f64 / width as f64).min(bh as f64 / height as f64);
    let scale = scale_in(fit_box)
        .max(scale_in((fit_box.1, fit_box.0)))
        .min(1.0);
    if scale >= 1.0 {
        return (width, height);
    }
    // Round down so the result is never a pixel larger than the box.
    let w = ((width as f64 * scale).floor() as u32).max(1);
    let h = ((height as f64 * scale).floor() as u32).max(1);
    (w, h)
}

/// Fit (never upscale) and recolour as the target needs; a no-op when it needs neither.
/// Transparency is flattened onto white (the page colour) whenever the image is changed.
pub fn apply(image: DynamicImage, needs: &ImageNeeds) -> DynamicImage {
    if needs.fit.is_none() && needs.grayscale_gamma.is_none() {
        return image;
    }
    let (width, height) = (image.width(), image.height());
    let target = needs
        .fit
        .map(|b| fitted_size((width, height), b))
        .unwrap_or((width, height));
    match needs.grayscale_gamma {
        Some(gamma) => {
            // Grey first: resizing one channel costs a third of resizing three.
            let gray = resize_gray(flatten_gray(image), target);
            DynamicImage::ImageLuma8(apply_gamma(gray, gamma))
        }
        None => DynamicImage::ImageRgb8(resize_rgb(flatten_rgb(image), target)),
    }
}

fn resize_options() -> ResizeOptions {
    // Lanczos keeps the strokes of slide text sharp when shrinking.
    ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
}

fn resize_gray(src: GrayImage, (w, h): (u32, u32)) -> GrayImage {
    if (src.width(), src.height()) == (w, h) {
        return src;
    }
    let mut dst = GrayImage::new(w, h);
    match Resizer::new().resize(&src, &mut dst, &resize_options()) {
        Ok(()) => dst,
        // Only a pixel-type mismatch can fail, and both sides are Luma8; stay safe regardless.
        Err(_) => image::imageops::resize(&src, w, h, image::imageops::FilterType::Lanczos3),
    }
}

fn resize_rgb(src: RgbImage, (w, h): (u32, u32)) -> RgbImage {
    if (src.width(), src.height()) == (w, h) {
        return src;
    }
    resized_rgb(&src, (w, h), FilterType::Lanczos3)
}

/// `src` scaled to `w`×`h` by convolution with `filter` (fast_image_resize, SIMD). Text
/// recognition scales with `Bilinear`, which widens to the scale when shrinking as `image`'s
/// `Triangle` does: `image`'s scalar resize was a tenth of an `--ocr` run's CPU.
pub(crate) fn resized_rgb(src: &RgbImage, (w, h): (u32, u32), filter: FilterType) -> RgbImage {
    let mut dst = RgbImage::new(w, h);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
    match Resizer::new().resize(src, &mut dst, &options) {
        Ok(()) => dst,
        // Only a pixel-type mismatch or an empty side can fail; stay correct regardless.
        Err(_) => {
            let fallback = match filter {
                FilterType::Lanczos3 => image::imageops::FilterType::Lanczos3,
                _ => image::imageops::FilterType::Triangle,
            };
            image::imageops::resize(src, w, h, fallback)
        }
    }
}

fn apply_gamma(mut gray: GrayImage, gamma: f32) -> GrayImage {
    if (gamma - 1.0).abs() < f32::EPSILON || !gamma.is_finite() || gamma <= 0.0 {
        return gray;
    }
    let mut table = [0u8; 256];
    for (i, out) in table.iter_mut().enumerate() {
        *out = ((i as f32 / 255.0).powf(gamma) * 255.0)
            .round()
            .clamp(0.0, 255.0) as u8;
    }
    for p in gray.iter_mut() {
        *p = table[*p as usize];
    }
    gray
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::ImageInfo;
    use image::Rgb;

    fn needs(fit: Option<(u32, u32)>, gamma: Option<f32>) -> ImageNeeds {
        fn never(_: &ImageInfo) -> bool {
            false
        }
        ImageNeeds {
            takes_as_is: never,
            orientation_as_transform: false,
            fit,
            grayscale_gamma: gamma,
        }
    }

    #[test]
    fn landscape_slide_on_portrait_reader_uses_the_turned_box() {
        // 1920x1080 into 1236x1648: as is 0.64 (1236x695), turned 0.858 (1648x927).
        assert_eq!(fitted_size((1920, 1080), (1236, 1648)), (1648, 927));
        // Portrait slide keeps the portrait box.
        assert_eq!(fitted_size((1080, 1920), (1236, 1648)), (927, 1648));
    }

    #[test]
    fn never_upscales() {
        assert_eq!(fitted_size((1280, 720), (1236, 1648)), (1280, 720));
        assert_eq!(fitted_size((100, 50), (2048, 1536)), (100, 50));
    }

    #[test]
    fn fitted_size_never_exceeds_the_box() {
        for (w, h) in [
            (1921, 1081),
            (3000, 7),
            (7, 3000),
            (4000, 3000),
            (2481, 1861),
        ] {
            let (fw, fh) = fitted_size((w, h), (1860, 2480));
            let fits = (fw <= 1860 && fh <= 2480) || (fw <= 2480 && fh <= 1860);
            assert!(fits, "{w}x{h} -> {fw}x{fh}");
            assert!(fw >= 1 && fh >= 1);
        }
    }

    #[test]
    fn apply_without_needs_is_identity() {
        let img = DynamicImage::ImageRgba8(image::RgbaImage::new(10, 10));
        let out = apply(img.clone(), &needs(None, None));
        assert_eq!(out, img);
    }

    #[test]
    fn eink_output_is_gray_fitted_and_darkened() {
        let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(2000, 1000, Rgb([128, 128, 128])));
        let out = apply(img, &needs(Some((1072, 1448)), Some(EINK_GAMMA)));
        assert_eq!((out.width(), out.height()), (1448, 724));
        let gray = out.as_luma8().expect("grayscale output");
        let mid = gray.get_pixel(700, 300).0[0];
        assert!(mid < 128 && mid > 60, "mid-grey darkened, got {mid}");
    }

    #[test]
    fn transparency_becomes_white() {
        let img = DynamicImage::ImageRgba8(image::RgbaImage::new(4, 4));
        let out = apply(img, &needs(Some((2, 2)), None));
        let rgb = out.as_rgb8().expect("rgb output");
        assert_eq!(rgb.get_pixel(0, 0).0, [255, 255, 255]);
    }

    #[test]
    fn shrinks_and_enlarges_like_a_triangle_filter() {
        // A left half black, right half white page: shrunk or enlarged, the halves stay and
        // the edge between them is a ramp.
        let page = RgbImage::from_fn(200, 100, |x, _| {
            image::Rgb([if x < 100 { 0 } else { 255 }; 3])
        });
        for (w, h) in [(150, 75), (400, 200)] {
            let out = resized_rgb(&page, (w, h), FilterType::Bilinear);
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
