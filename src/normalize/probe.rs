//! Header probe: format by magic bytes, dimensions, colour model, bit depth, interlacing,
//! EXIF orientation — all without decoding pixels.

use std::fmt;

/// Image container formats deckconv reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    Png,
    Jpeg,
    Gif,
    WebP,
    Bmp,
    Tiff,
}

impl SourceFormat {
    pub fn mime(self) -> &'static str {
        match self {
            SourceFormat::Png => "image/png",
            SourceFormat::Jpeg => "image/jpeg",
            SourceFormat::Gif => "image/gif",
            SourceFormat::WebP => "image/webp",
            SourceFormat::Bmp => "image/bmp",
            SourceFormat::Tiff => "image/tiff",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            SourceFormat::Png => "png",
            SourceFormat::Jpeg => "jpg",
            SourceFormat::Gif => "gif",
            SourceFormat::WebP => "webp",
            SourceFormat::Bmp => "bmp",
            SourceFormat::Tiff => "tif",
        }
    }
}

/// Colour model as stored in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorModel {
    Gray,
    Rgb,
    /// PNG palette (indexed) colour.
    Indexed,
    Cmyk,
    /// Adobe YCCK JPEG (CMYK after colour transform).
    Ycck,
}

/// What the probe learned from a file's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub format: SourceFormat,
    /// Stored pixel size, before EXIF orientation.
    pub width: u32,
    pub height: u32,
    /// EXIF orientation 1–8 (1 = upright).
    pub orientation: u8,
    pub color: ColorModel,
    /// Bits per sample.
    pub bit_depth: u8,
    pub has_alpha: bool,
    pub interlaced: bool,
    /// JPEG with an Adobe APP14 marker whose CMYK values are stored inverted.
    pub adobe_inverted: bool,
}

impl ImageInfo {
    /// Size as displayed, after EXIF orientation (5–8 swap the axes).
    pub fn display_size(&self) -> (u32, u32) {
        if (5..=8).contains(&self.orientation) {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

/// Guards applied before any decode.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_width: u32,
    pub max_height: u32,
    pub max_pixels: u64,
    /// Bytes a decoder may allocate for one image.
    pub max_alloc: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_width: 20_000,
            max_height: 20_000,
            max_pixels: 100_000_000,
            max_alloc: 1 << 30,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeError {
    /// Not an image format deckconv reads (the start of the body is described).
    NotAnImage(String),
    Corrupt(String),
    TooLarge {
        width: u32,
        height: u32,
    },
}

impl fmt::Display for ProbeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProbeError::NotAnImage(what) => write!(f, "not an image ({what})"),
            ProbeError::Corrupt(why) => write!(f, "corrupt image: {why}"),
            ProbeError::TooLarge { width, height } => {
                write!(f, "image too large ({width}x{height} pixels)")
            }
        }
    }
}

impl std::error::Error for ProbeError {}

/// Format from the magic bytes alone.
pub fn sniff(head: &[u8]) -> Option<SourceFormat> {
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Some(SourceFormat::Png)
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        Some(SourceFormat::Jpeg)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some(SourceFormat::Gif)
    } else if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some(SourceFormat::WebP)
    } else if starts(b"BM") {
        Some(SourceFormat::Bmp)
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some(SourceFormat::Tiff)
    } else {
        None
    }
}

/// Probe a whole file held in memory: header fields only, limits checked before any decode.
pub fn probe(bytes: &[u8], limits: &Limits) -> Result<ImageInfo, ProbeError> {
    let format = sniff(bytes).ok_or_else(|| ProbeError::NotAnImage(describe_start(bytes)))?;
    let info = match format {
        SourceFormat::Png => probe_png(bytes)?,
        SourceFormat::Jpeg => probe_jpeg(bytes)?,
        other => probe_with_image_crate(bytes, other)?,
    };
    check_limits(&info, limits)?;
    Ok(info)
}

fn check_limits(info: &ImageInfo, limits: &Limits) -> Result<(), ProbeError> {
    let pixels = u64::from(info.width) * u64::from(info.height);
    if info.width == 0 || info.height == 0 {
        return Err(ProbeError::Corrupt("zero width or height".into()));
    }
    if info.width > limits.max_width
        || info.height > limits.max_height
        || pixels > limits.max_pixels
    {
        return Err(ProbeError::TooLarge {
            width: info.width,
            height: info.height,
        });
    }
    Ok(())
}

/// What the start of a non-image body looks like, for the error message.
fn describe_start(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(256)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let trimmed = text.trim_start();
    if bytes.is_empty() {
        "empty file".into()
    } else if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") {
        "an HTML page".into()
    } else if trimmed.starts_with("<?xml") || trimmed.starts_with("<svg") {
        "XML or SVG, which deckconv does not read".into()
    } else if trimmed.starts_with('{') {
        "JSON text".into()
    } else if head
        .iter()
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
    {
        "plain text".into()
    } else {
        let hex: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!("unknown format starting with {}", hex.join(" "))
    }
}

fn be_u32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn be_u16(b: &[u8]) -> u16 {
    u16::from_be_bytes([b[0], b[1]])
}

/// PNG: IHDR for size, depth, colour type and interlacing; tRNS anywhere before IDAT means alpha.
fn probe_png(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let corrupt = |why: &str| ProbeError::Corrupt(format!("PNG: {why}"));
    let ihdr = bytes
        .get(8..33)
        .ok_or_else(|| corrupt("truncated header"))?;
    if &ihdr[4..8] != b"IHDR" || be_u32(&ihdr[0..4]) != 13 {
        return Err(corrupt("first chunk is not IHDR"));
    }
    let width = be_u32(&ihdr[8..12]);
    let height = be_u32(&ihdr[12..16]);
    let bit_depth = ihdr[16];
    let color_type = ihdr[17];
    let interlaced = ihdr[20] == 1;
    let (color, mut has_alpha) = match color_type {
        0 => (ColorModel::Gray, false),
        2 => (ColorModel::Rgb, false),
        3 => (ColorModel::Indexed, false),
        4 => (ColorModel::Gray, true),
        6 => (ColorModel::Rgb, true),
        other => return Err(corrupt(&format!("unknown colour type {other}"))),
    };
    if !matches!(bit_depth, 1 | 2 | 4 | 8 | 16) {
        return Err(corrupt(&format!("invalid bit depth {bit_depth}")));
    }
    let mut pos = 33;
    while let Some(header) = bytes.get(pos..pos + 8) {
        let len = be_u32(&header[0..4]) as usize;
        let kind = &header[4..8];
        if kind == b"IDAT" || kind == b"IEND" {
            break;
        }
        if kind == b"tRNS" {
            has_alpha = true;
        }
        pos = pos.saturating_add(12).saturating_add(len);
    }
    Ok(ImageInfo {
        format: SourceFormat::Png,
        width,
        height,
        orientation: png_orientation(bytes).unwrap_or(1),
        color,
        bit_depth,
        has_alpha,
        interlaced,
        adobe_inverted: false,
    })
}

/// PNG may carry EXIF in an eXIf chunk; browsers honour it, so do we.
fn png_orientation(bytes: &[u8]) -> Option<u8> {
    let mut pos = 8;
    while let Some(header) = bytes.get(pos..pos + 8) {
        let len = be_u32(&header[0..4]) as usize;
        let kind = &header[4..8];
        if kind == b"IDAT" || kind == b"IEND" {
            return None;
        }
        if kind == b"eXIf" {
            return exif_orientation(bytes.get(pos + 8..pos + 8 + len)?);
        }
        pos = pos.saturating_add(12).saturating_add(len);
    }
    None
}

/// Orientation (1–8) from a raw TIFF-structured EXIF block.
fn exif_orientation(tiff: &[u8]) -> Option<u8> {
    let exif = exif::Reader::new().read_raw(tiff.to_vec()).ok()?;
    let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let value = field.value.get_uint(0)?;
    u8::try_from(value).ok().filter(|v| (1..=8).contains(v))
}

/// JPEG: walk the markers up to the frame header; APP1 gives EXIF orientation, APP14 the
/// Adobe colour transform (which also means inverted CMYK as Photoshop writes it).
fn probe_jpeg(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let corrupt = |why: &str| ProbeError::Corrupt(format!("JPEG: {why}"));
    let mut pos = 2;
    let mut orientation = 1;
    let mut adobe_transform: Option<u8> = None;
    loop {
        // Markers may be padded with any number of 0xFF bytes.
        while bytes.get(pos) == Some(&0xFF) && bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let marker = match bytes.get(pos..pos + 2) {
            Some([0xFF, m]) => *m,
            Some(_) => return Err(corrupt("expected a marker")),
            None => return Err(corrupt("no frame header before end of file")),
        };
        if marker == 0xD8 || marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            pos += 2;
            continue;
        }
        if marker == 0xD9 || marker == 0xDA {
            return Err(corrupt("no frame header before image data"));
        }
        let len = bytes
            .get(pos + 2..pos + 4)
            .map(be_u16)
            .ok_or_else(|| corrupt("truncated segment"))? as usize;
        if len < 2 {
            return Err(corrupt("invalid segment length"));
        }
        let segment = bytes
            .get(pos + 4..pos + 2 + len)
            .ok_or_else(|| corrupt("truncated segment"))?;
        match marker {
            0xE1 if segment.starts_with(b"Exif\0\0") => {
                orientation = exif_orientation(&segment[6..]).unwrap_or(1);
            }
            0xEE if segment.starts_with(b"Adobe") && segment.len() >= 12 => {
                adobe_transform = Some(segment[11]);
            }
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if segment.len() < 6 {
                    return Err(corrupt("truncated frame header"));
                }
                let bit_depth = segment[0];
                let height = u32::from(be_u16(&segment[1..3]));
                let width = u32::from(be_u16(&segment[3..5]));
                let components = segment[5];
                let color = match (components, adobe_transform) {
                    (1, _) => ColorModel::Gray,
                    (3, _) => ColorModel::Rgb,
                    (4, Some(2)) => ColorModel::Ycck,
                    (4, _) => ColorModel::Cmyk,
                    (n, _) => return Err(corrupt(&format!("{n} colour components"))),
                };
                if height == 0 {
                    return Err(corrupt("height defined by DNL is not supported"));
                }
                return Ok(ImageInfo {
                    format: SourceFormat::Jpeg,
                    width,
                    height,
                    orientation,
                    color,
                    bit_depth,
                    has_alpha: false,
                    interlaced: marker == 0xC2 || marker == 0xC6 || marker == 0xCA,
                    adobe_inverted: components == 4 && adobe_transform.is_some(),
                });
            }
            _ => {}
        }
        pos += 2 + len;
    }
}

/// GIF, WebP, BMP, TIFF: the image crate's decoders read headers without decoding pixels.
fn probe_with_image_crate(bytes: &[u8], format: SourceFormat) -> Result<ImageInfo, ProbeError> {
    use image::ImageDecoder;
    let corrupt = |e: image::ImageError| ProbeError::Corrupt(e.to_string());
    let reader =
        image::ImageReader::with_format(std::io::Cursor::new(bytes), to_image_format(format));
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    let color_type = decoder.color_type();
    let orientation = decoder.orientation().map(|o| o.to_exif()).unwrap_or(1);
    let color = match color_type.channel_count() {
        1 | 2 => ColorModel::Gray,
        _ => ColorModel::Rgb,
    };
    Ok(ImageInfo {
        format,
        width,
        height,
        orientation,
        color,
        bit_depth: (color_type.bits_per_pixel() / u16::from(color_type.channel_count())) as u8,
        has_alpha: color_type.has_alpha(),
        interlaced: false,
        adobe_inverted: false,
    })
}

pub(crate) fn to_image_format(format: SourceFormat) -> image::ImageFormat {
    match format {
        SourceFormat::Png => image::ImageFormat::Png,
        SourceFormat::Jpeg => image::ImageFormat::Jpeg,
        SourceFormat::Gif => image::ImageFormat::Gif,
        SourceFormat::WebP => image::ImageFormat::WebP,
        SourceFormat::Bmp => image::ImageFormat::Bmp,
        SourceFormat::Tiff => image::ImageFormat::Tiff,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(image: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        image.write_to(&mut out, format).expect("encode test image");
        out.into_inner()
    }

    #[test]
    fn png_header_fields() {
        let rgba = encode(
            &image::DynamicImage::new_rgba8(7, 5),
            image::ImageFormat::Png,
        );
        let info = probe(&rgba, &Limits::default()).expect("probe");
        assert_eq!(
            (info.format, info.width, info.height),
            (SourceFormat::Png, 7, 5)
        );
        assert_eq!(
            (info.color, info.bit_depth, info.has_alpha),
            (ColorModel::Rgb, 8, true)
        );
        let gray16 = encode(
            &image::DynamicImage::new_luma16(3, 9),
            image::ImageFormat::Png,
        );
        let info = probe(&gray16, &Limits::default()).expect("probe");
        assert_eq!(
            (info.color, info.bit_depth, info.has_alpha),
            (ColorModel::Gray, 16, false)
        );
    }

    #[test]
    fn jpeg_header_fields() {
        let jpeg = encode(
            &image::DynamicImage::new_rgb8(33, 17),
            image::ImageFormat::Jpeg,
        );
        let info = probe(&jpeg, &Limits::default()).expect("probe");
        assert_eq!(
            (info.format, info.width, info.height),
            (SourceFormat::Jpeg, 33, 17)
        );
        assert_eq!((info.color, info.orientation), (ColorModel::Rgb, 1));
    }

    #[test]
    fn limits_are_checked_before_decoding() {
        let png = encode(
            &image::DynamicImage::new_rgb8(64, 64),
            image::ImageFormat::Png,
        );
        let tight = Limits {
            max_pixels: 1000,
            ..Limits::default()
        };
        assert_eq!(
            probe(&png, &tight),
            Err(ProbeError::TooLarge {
                width: 64,
                height: 64
            })
        );
    }

    #[test]
    fn non_images_are_named() {
        let err = probe(b"<!DOCTYPE html><html>", &Limits::default()).unwrap_err();
        assert_eq!(err.to_string(), "not an image (an HTML page)");
        assert!(probe(&[], &Limits::default()).is_err());
        // Truncated and garbage headers give errors, never panics.
        for cut in 0..40 {
            let png = encode(
                &image::DynamicImage::new_rgb8(4, 4),
                image::ImageFormat::Png,
            );
            let _ = probe(&png[..cut.min(png.len())], &Limits::default());
        }
        let _ = probe(&[0xFF, 0xD8, 0xFF, 0xC0, 0x00], &Limits::default());
        let _ = probe(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01], &Limits::default());
    }
}
