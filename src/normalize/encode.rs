//! Image encoding shared by every writer: PNG and JPEG encoders, transparency flattened onto
//! the white page, and the choice between PNG and JPEG for readers' pages.

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, GrayImage, ImageBuffer, Luma, Rgb, RgbImage};

use super::needs::Prepared;
use super::probe::{ColorModel, ImageInfo, SourceFormat};
use super::NormalizeError;

/// An image file ready to be stored as it is.
#[derive(Debug, Clone)]
pub struct EncodedFile {
    pub bytes: Vec<u8>,
    pub format: SourceFormat,
    pub width: u32,
    pub height: u32,
}

/// How a reader's page is encoded from decoded pixels.
#[derive(Debug, Clone, Copy)]
pub struct FileEncoding {
    /// Fitted to a device: a lossless source may become a JPEG when that is smaller.
    pub device: bool,
    /// Quality of the JPEGs encoded here (1–100).
    pub jpeg_quality: u8,
}

/// PNG for lossless sources without a device (nothing is lost); JPEG for JPEG sources; with a
/// device, a lossless source becomes whichever of PNG and JPEG is smaller (flat slides compress
/// better as PNG, photos as JPEG).
pub fn encode_file(
    image: &DynamicImage,
    info: &ImageInfo,
    how: FileEncoding,
) -> Result<EncodedFile, NormalizeError> {
    let (width, height) = (image.width(), image.height());
    let lossless_source = info.format != SourceFormat::Jpeg;
    // With a device the PNG only competes with the JPEG on size: fast compression is enough
    // to tell which wins on flat slides and costs a third of the default level.
    let png = if lossless_source {
        Some(encode_png(
            image,
            if how.device {
                CompressionType::Fast
            } else {
                CompressionType::Default
            },
        )?)
    } else {
        None
    };
    let jpeg = if !lossless_source || how.device {
        Some(encode_jpeg(image, how.jpeg_quality)?)
    } else {
        None
    };
    let (bytes, format) = match (png, jpeg) {
        (Some(p), Some(j)) if j.len() < p.len() => (j, SourceFormat::Jpeg),
        (Some(p), _) => (p, SourceFormat::Png),
        (None, Some(j)) => (j, SourceFormat::Jpeg),
        (None, None) => unreachable_encoding()?,
    };
    Ok(EncodedFile {
        bytes,
        format,
        width,
        height,
    })
}

/// A JPEG every reading app shows as it is: 8-bit RGB or grey (CMYK shows inverted or not
/// at all in many).
pub fn jpeg_readers_show(info: &ImageInfo) -> bool {
    matches!(info.color, ColorModel::Rgb | ColorModel::Gray) && info.bit_depth == 8
}

/// A prepared slide as a file for a reader's format (EPUB, CBZ): the file itself where the
/// format `takes_as_is` it, else the pixels encoded as [`encode_file`] chooses.
pub fn file_for_reader(
    image: Prepared,
    takes_as_is: fn(&ImageInfo) -> bool,
    container: &str,
    how: FileEncoding,
) -> Result<EncodedFile, NormalizeError> {
    match image {
        Prepared::AsIs { bytes, info } => {
            if !takes_as_is(&info) {
                return Err(NormalizeError::Unsupported(format!(
                    "{} cannot go into {container} unchanged",
                    info.format.mime()
                )));
            }
            let (width, height) = info.display_size();
            Ok(EncodedFile {
                bytes,
                format: info.format,
                width,
                height,
            })
        }
        Prepared::Pixels { image, info } => encode_file(&image, &info, how),
    }
}

fn unreachable_encoding() -> Result<(Vec<u8>, SourceFormat), NormalizeError> {
    Err(NormalizeError::Encode {
        format: "image",
        reason: "no encoding chosen".into(),
    })
}

pub fn encode_png(
    image: &DynamicImage,
    compression: CompressionType,
) -> Result<Vec<u8>, NormalizeError> {
    let mut out = Vec::new();
    let encoder = PngEncoder::new_with_quality(&mut out, compression, FilterType::Adaptive);
    image
        .write_with_encoder(encoder)
        .map_err(|e| NormalizeError::Encode {
            format: "PNG",
            reason: e.to_string(),
        })?;
    Ok(out)
}

pub fn encode_jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, NormalizeError> {
    // JPEG has no alpha: flatten onto the white page. Grey stays one component (a third of
    // the data). jpeg-encoder (SIMD) is several times faster than image's own encoder.
    let (w, h) = (image.width(), image.height());
    let (width, height) = match (u16::try_from(w), u16::try_from(h)) {
        (Ok(w), Ok(h)) if w > 0 && h > 0 => (w, h),
        _ => {
            return Err(NormalizeError::Encode {
                format: "JPEG",
                reason: format!("{w}x{h} is beyond what JPEG can hold"),
            })
        }
    };
    let mut out = Vec::new();
    // Default Huffman tables: optimising them saves ~5% of the bytes for ~20% more time.
    let encoder = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
    let encoded = match image {
        DynamicImage::ImageLuma8(gray) => {
            encoder.encode(gray.as_raw(), width, height, jpeg_encoder::ColorType::Luma)
        }
        DynamicImage::ImageRgb8(rgb) => {
            encoder.encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        }
        other if other.color().has_color() => {
            let rgb = flatten_rgb(other.clone());
            encoder.encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        }
        other => {
            let gray = flatten_gray(other.clone());
            encoder.encode(gray.as_raw(), width, height, jpeg_encoder::ColorType::Luma)
        }
    };
    encoded.map_err(|e| NormalizeError::Encode {
        format: "JPEG",
        reason: e.to_string(),
    })?;
    Ok(out)
}

/// Rec. 709 luma (what image's `into_luma8` computes), in integer arithmetic.
fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((2126 * r as u32 + 7152 * g as u32 + 722 * b as u32 + 5000) / 10000) as u8
}

/// Blend onto white: alpha 0 → 255, alpha 255 → the colour itself.
fn over_white(value: u8, alpha: u8) -> u8 {
    let a = alpha as u32;
    ((value as u32 * a + 255 * (255 - a) + 127) / 255) as u8
}

pub fn flatten_rgb(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (w, h) = rgba.dimensions();
    let pixels = rgba
        .as_raw()
        .chunks_exact(4)
        .flat_map(|p| {
            [
                over_white(p[0], p[3]),
                over_white(p[1], p[3]),
                over_white(p[2], p[3]),
            ]
        })
        .collect();
    ImageBuffer::from_raw(w, h, pixels).unwrap_or_else(|| RgbImage::from_pixel(w, h, Rgb([255; 3])))
}

pub fn flatten_gray(image: DynamicImage) -> GrayImage {
    if let DynamicImage::ImageRgb8(rgb) = &image {
        // image's generic conversion goes through float colour-space code: ~10x slower.
        let (w, h) = rgb.dimensions();
        let pixels = rgb
            .as_raw()
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect();
        return ImageBuffer::from_raw(w, h, pixels)
            .unwrap_or_else(|| GrayImage::from_pixel(w, h, Luma([255])));
    }
    if let DynamicImage::ImageRgba8(rgba) = &image {
        let (w, h) = rgba.dimensions();
        let pixels = rgba
            .as_raw()
            .chunks_exact(4)
            .map(|p| over_white(luma(p[0], p[1], p[2]), p[3]))
            .collect();
        return ImageBuffer::from_raw(w, h, pixels)
            .unwrap_or_else(|| GrayImage::from_pixel(w, h, Luma([255])));
    }
    if !image.color().has_alpha() {
        return image.into_luma8();
    }
    let la = image.into_luma_alpha8();
    let (w, h) = la.dimensions();
    let pixels = la
        .as_raw()
        .chunks_exact(2)
        .map(|p| over_white(p[0], p[1]))
        .collect();
    ImageBuffer::from_raw(w, h, pixels).unwrap_or_else(|| GrayImage::from_pixel(w, h, Luma([255])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transparent_pixels_become_the_white_page() {
        assert_eq!(over_white(0, 0), 255);
        assert_eq!(over_white(10, 255), 10);
        assert_eq!(over_white(0, 128), 127);
    }

    #[test]
    fn grey_stays_one_component_in_jpeg() {
        let gray = DynamicImage::ImageLuma8(GrayImage::from_pixel(16, 8, Luma([90])));
        let jpeg = encode_jpeg(&gray, 85).expect("encode");
        let decoded = image::load_from_memory(&jpeg).expect("decode");
        assert_eq!(decoded.color(), image::ColorType::L8);
    }

    #[test]
    fn rgba_flattens_onto_white() {
        let rgba = image::RgbaImage::from_pixel(2, 1, image::Rgba([0, 0, 0, 0]));
        let rgb = flatten_rgb(DynamicImage::ImageRgba8(rgba));
        assert_eq!(rgb.get_pixel(0, 0), &Rgb([255, 255, 255]));
    }
}
