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

/// Probe a whole file held in memory.
pub fn probe(bytes: &[u8], limits: &Limits) -> Result<ImageInfo, ProbeError> {
    let _ = (bytes, limits);
    Err(ProbeError::Corrupt("probe not implemented yet".into()))
}
