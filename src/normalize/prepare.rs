//! Bring a probed slide into the form a writer asked for.

use image::DynamicImage;

use super::needs::{ImageNeeds, Prepared};
use super::probe::{ImageInfo, Limits};
use super::NormalizeError;

/// Decide and do the least work that gives the writer what it needs.
pub fn prepare(
    bytes: Vec<u8>,
    info: ImageInfo,
    needs: &ImageNeeds,
    limits: &Limits,
) -> Result<Prepared, NormalizeError> {
    if (needs.takes_as_is)(&info)
        && needs.fit.is_none()
        && needs.grayscale_gamma.is_none()
        && (info.orientation == 1 || needs.orientation_as_transform)
    {
        return Ok(Prepared::AsIs { bytes, info });
    }
    let image = decode(&bytes, &info, limits)?;
    drop(bytes);
    let image = super::resize::apply(image, needs);
    Ok(Prepared::Pixels { image, info })
}

/// Decode with the probe's limits in force, then turn the pixels upright.
pub fn decode(
    bytes: &[u8],
    info: &ImageInfo,
    limits: &Limits,
) -> Result<DynamicImage, NormalizeError> {
    let mut image = decode_stored(bytes, info, limits)?;
    if let Some(orientation) = image::metadata::Orientation::from_exif(info.orientation) {
        image.apply_orientation(orientation);
    }
    Ok(image)
}

/// Decode with the probe's limits in force, pixels as stored (EXIF orientation not applied).
pub fn decode_stored(
    bytes: &[u8],
    info: &ImageInfo,
    limits: &Limits,
) -> Result<DynamicImage, NormalizeError> {
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_width);
    decoder_limits.max_image_height = Some(limits.max_height);
    decoder_limits.max_alloc = Some(limits.max_alloc);
    let mut reader = image::ImageReader::with_format(
        std::io::Cursor::new(bytes),
        super::probe::to_image_format(info.format),
    );
    reader.limits(decoder_limits);
    reader.decode().map_err(|e| NormalizeError::Decode {
        format: info.format.extension(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::probe;

    fn png_bytes(image: &DynamicImage) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        image
            .write_to(&mut out, image::ImageFormat::Png)
            .expect("encode test PNG");
        out.into_inner()
    }

    fn needs(takes_as_is: fn(&ImageInfo) -> bool) -> ImageNeeds {
        ImageNeeds {
            takes_as_is,
            orientation_as_transform: false,
            fit: None,
            grayscale_gamma: None,
        }
    }

    #[test]
    fn accepted_files_pass_through_untouched() {
        let bytes = png_bytes(&DynamicImage::new_rgb8(4, 3));
        let info = probe(&bytes, &Limits::default()).expect("probe");
        match prepare(bytes.clone(), info, &needs(|_| true), &Limits::default()) {
            Ok(Prepared::AsIs { bytes: kept, .. }) => assert_eq!(kept, bytes),
            other => panic!("expected AsIs, got {other:?}"),
        }
    }

    #[test]
    fn refused_files_are_decoded() {
        let bytes = png_bytes(&DynamicImage::new_rgba8(5, 2));
        let info = probe(&bytes, &Limits::default()).expect("probe");
        match prepare(bytes, info, &needs(|_| false), &Limits::default()) {
            Ok(Prepared::Pixels { image, .. }) => {
                assert_eq!((image.width(), image.height()), (5, 2))
            }
            other => panic!("expected Pixels, got {other:?}"),
        }
    }
}
