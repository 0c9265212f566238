//! Header probe: format by magic bytes, dimensions, colour model, bit depth, interlacing,
//! EXIF orientation — without decoding pixels; then, limits passed, a check that the whole
//! file is intact (PNG and JPEG structure end to end; other formats decoded once), so a
//! broken file fails its slide by name instead of reaching the output.

use super::jpeg::Refusal;

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

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// Not an image format deckconv reads (the start of the body is described).
    #[error("not an image ({0})")]
    NotAnImage(String),
    #[error("corrupt image: {0}")]
    Corrupt(String),
    /// A valid file of a kind that PDF readers or the decoder do not take (lossless or
    /// arithmetic-coded JPEG, 12-bit samples…).
    #[error("unsupported image: {0}")]
    Unsupported(String),
    #[error("image too large ({width}x{height} pixels)")]
    TooLarge { width: u32, height: u32 },
}

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
    // A file cut short or damaged must fail its slide, never be embedded as it is.
    match format {
        SourceFormat::Png => check_png(bytes)?,
        SourceFormat::Jpeg => super::jpeg::check(bytes).map_err(|refusal| match refusal {
            Refusal::Corrupt(why) => ProbeError::Corrupt(format!("JPEG: {why}")),
            Refusal::Unsupported(why) => ProbeError::Unsupported(format!("JPEG: {why}")),
        })?,
        other => check_by_decoding(bytes, other, limits)?,
    }
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
    // Each colour type allows only some bit depths (PNG spec 11.2.2); libpng and the png crate
    // refuse any other combination, and so any method other than 0 (interlace: 0 or 1).
    let (color, mut has_alpha, depths): (_, _, &[u8]) = match color_type {
        0 => (ColorModel::Gray, false, &[1, 2, 4, 8, 16]),
        2 => (ColorModel::Rgb, false, &[8, 16]),
        3 => (ColorModel::Indexed, false, &[1, 2, 4, 8]),
        4 => (ColorModel::Gray, true, &[8, 16]),
        6 => (ColorModel::Rgb, true, &[8, 16]),
        other => return Err(corrupt(&format!("unknown colour type {other}"))),
    };
    if !depths.contains(&bit_depth) {
        return Err(corrupt(&format!(
            "bit depth {bit_depth} is invalid for colour type {color_type}"
        )));
    }
    let (compression, filter, interlace) = (ihdr[18], ihdr[19], ihdr[20]);
    if compression != 0 || filter != 0 || interlace > 1 {
        return Err(corrupt(&format!(
            "invalid compression, filter or interlace method ({compression}, {filter}, \
             {interlace})"
        )));
    }
    if width > i32::MAX as u32 || height > i32::MAX as u32 {
        return Err(corrupt("width or height beyond 2^31 - 1"));
    }
    let interlaced = interlace == 1;
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

/// PNG integrity at the cost of a CRC: every chunk's length and CRC-32 (crc32fast, SIMD where
/// the CPU has it), IHDR first and once (its fields checked by [`probe_png`]), a palette
/// where the colour type needs one and none where it forbids one, no critical chunk a reader
/// would not know, IDAT chunks together, IEND present; the zlib header of the image data; and the first [`PNG_PREFIX_CHECKED`] bytes of rows inflated, each row's
/// filter type checked. That names every file cut short (in any chunk), every flipped or
/// overwritten byte (the CRC) and image data that is not zlib from the start.
///
/// The whole stream is not inflated: on 400 slides at 1920x1080 that was 1.77 GB of rows and
/// doubled a passthrough PDF run's CPU. What only a full inflate would see is a zlib stream
/// that breaks off or goes wrong past its start *inside chunks whose CRCs are right*, which
/// transfer damage cannot make (only a broken encoder). Where pixels are decoded (EPUB and CBZ
/// for devices, `--ocr`, resizing) the decoder names such a file like any other.
fn check_png(bytes: &[u8]) -> Result<(), ProbeError> {
    let corrupt = |why: String| ProbeError::Corrupt(format!("PNG: {why}"));
    let truncated = || corrupt("no IEND chunk: the file is cut short".into());
    let mut pos = 8;
    let mut ihdr: Option<&[u8]> = None;
    let mut idat: Option<IdatPrefix> = None;
    let mut idat_state = 0u8; // 0 before, 1 inside, 2 after the IDAT chunks
    let mut palette = false;
    loop {
        let header = bytes.get(pos..pos + 8).ok_or_else(truncated)?;
        let len = be_u32(&header[0..4]) as usize;
        let kind: [u8; 4] = [header[4], header[5], header[6], header[7]];
        let name = String::from_utf8_lossy(&kind).into_owned();
        let end = pos
            .checked_add(12)
            .and_then(|e| e.checked_add(len))
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| {
                corrupt(format!(
                    "{name} chunk at byte {pos} is cut short (truncated file)"
                ))
            })?;
        let data = &bytes[pos + 8..pos + 8 + len];
        // flate2's Crc is crc32fast: PCLMULQDQ/SIMD where the CPU has it.
        let mut crc = flate2::Crc::new();
        crc.update(&kind);
        crc.update(data);
        if crc.sum() != be_u32(&bytes[end - 4..end]) {
            return Err(corrupt(format!(
                "bad CRC in the {name} chunk at byte {pos}"
            )));
        }
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(corrupt(format!("invalid chunk type at byte {pos}")));
        }
        if &kind == b"IHDR" && pos == 8 && len == 13 {
            ihdr = Some(data);
            pos = end;
            continue;
        }
        let Some(header) = ihdr else {
            return Err(corrupt("first chunk is not IHDR".into()));
        };
        let color_type = header[9];
        match &kind {
            b"IHDR" => return Err(corrupt("a second IHDR chunk".into())),
            b"PLTE" => {
                if palette || idat_state != 0 {
                    return Err(corrupt("a PLTE chunk after the image data or twice".into()));
                }
                if color_type == 0 || color_type == 4 {
                    return Err(corrupt("a palette (PLTE) in a greyscale PNG".into()));
                }
                if len == 0 || len % 3 != 0 || len > 3 * 256 {
                    return Err(corrupt(format!("a palette (PLTE) of {len} bytes")));
                }
                palette = true;
            }
            b"IDAT" => {
                if idat_state == 2 {
                    return Err(corrupt("IDAT chunks are not together".into()));
                }
                if color_type == 3 && !palette {
                    return Err(corrupt(
                        "no palette (PLTE) before the image data of an indexed-colour PNG".into(),
                    ));
                }
                let check = idat.get_or_insert_with(|| IdatPrefix::new(header));
                idat_state = 1;
                check.feed(data).map_err(|e| corrupt(e.to_string()))?;
            }
            b"IEND" => {
                return match idat {
                    None => Err(corrupt("no image data (IDAT)".into())),
                    Some(check) => check.finish().map_err(|e| corrupt(e.to_string())),
                };
            }
            // An upper-case first letter marks a chunk a reader must understand (PNG 5.4):
            // readers refuse a critical chunk they do not know.
            _ if kind[0].is_ascii_uppercase() => {
                return Err(corrupt(format!("unknown critical chunk {name}")));
            }
            _ => {
                if idat_state == 1 {
                    idat_state = 2;
                }
            }
        }
        pos = end;
    }
}

/// Bytes of inflated rows [`check_png`] looks at: a few rows of a slide, microseconds a file.
const PNG_PREFIX_CHECKED: u64 = 64 * 1024;

/// The start of the IDAT stream inflated into a small scratch buffer, its rows' filter types
/// checked; the rest of the stream is covered by the chunks' CRCs only.
struct IdatPrefix {
    inflate: flate2::Decompress,
    /// Bytes the rows take once inflated (filter bytes included).
    expected: u64,
    /// Bytes per row including its filter byte; 0 for interlaced images (not checked).
    stride: u64,
    produced: u64,
    /// The zlib stream ended within the prefix.
    ended: bool,
}

impl IdatPrefix {
    fn new(ihdr: &[u8]) -> IdatPrefix {
        let width = u64::from(be_u32(&ihdr[0..4]));
        let height = u64::from(be_u32(&ihdr[4..8]));
        let channels: u64 = match ihdr[9] {
            0 | 3 => 1,
            2 => 3,
            4 => 2,
            _ => 4,
        };
        let bits = channels * u64::from(ihdr[8]);
        let row = |w: u64| {
            if w == 0 {
                0
            } else {
                1 + w.saturating_mul(bits).div_ceil(8)
            }
        };
        let (expected, stride) = if ihdr[12] == 0 {
            (height.saturating_mul(row(width)), row(width))
        } else {
            // Adam7: seven reduced images, each (start, step) in x and y.
            let passes = [(0, 8, 0, 8), (4, 8, 0, 8), (0, 4, 4, 8), (2, 4, 0, 4)];
            let passes = passes
                .into_iter()
                .chain([(0, 2, 2, 4), (1, 2, 0, 2), (0, 1, 1, 2)]);
            let total = passes
                .map(|(x0, dx, y0, dy)| {
                    let w = (width + dx - 1 - x0) / dx;
                    let h = (height + dy - 1 - y0) / dy;
                    if w == 0 {
                        0
                    } else {
                        h.saturating_mul(row(w))
                    }
                })
                .sum();
            (total, 0)
        };
        IdatPrefix {
            inflate: flate2::Decompress::new(true),
            expected,
            stride,
            produced: 0,
            ended: false,
        }
    }

    fn checked_enough(&self) -> bool {
        self.ended || self.produced >= PNG_PREFIX_CHECKED.min(self.expected)
    }

    /// Inflate the start of `data` until the prefix is checked.
    fn feed(&mut self, mut data: &[u8]) -> Result<(), IdatProblem> {
        let mut scratch = [0u8; 16 * 1024];
        while !self.checked_enough() && !data.is_empty() {
            let (before_in, before_out) = (self.inflate.total_in(), self.inflate.total_out());
            let status = self
                .inflate
                .decompress(data, &mut scratch, flate2::FlushDecompress::None)
                .map_err(IdatProblem::Inflate)?;
            let used = (self.inflate.total_in() - before_in) as usize;
            let out = &scratch[..(self.inflate.total_out() - before_out) as usize];
            if self.stride > 0 {
                // Every row starts with its filter type, 0–4.
                let mut at = (self.stride - self.produced % self.stride) % self.stride;
                while at < out.len() as u64 {
                    let filter = out[at as usize];
                    if filter > 4 {
                        return Err(IdatProblem::RowFilter(filter));
                    }
                    at += self.stride;
                }
            }
            self.produced += out.len() as u64;
            if self.produced > self.expected {
                return Err(IdatProblem::TooMuch);
            }
            data = &data[used..];
            if status == flate2::Status::StreamEnd {
                self.ended = true;
            } else if used == 0 && out.is_empty() {
                return Err(IdatProblem::Stuck);
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<(), IdatProblem> {
        if self.produced < PNG_PREFIX_CHECKED.min(self.expected) {
            return Err(IdatProblem::EndsEarly {
                produced: self.produced,
                expected: self.expected,
            });
        }
        Ok(())
    }
}

/// What [`IdatPrefix`] found wrong with a PNG's image data (a [`ProbeError::Corrupt`]).
#[derive(Debug, thiserror::Error)]
enum IdatProblem {
    #[error("the compressed image data is damaged ({0})")]
    Inflate(flate2::DecompressError),
    #[error("invalid row filter type {0}: the image data is damaged")]
    RowFilter(u8),
    #[error("more image data than the header's size promises")]
    TooMuch,
    /// The inflater takes no input and gives no output.
    #[error("the compressed image data is damaged")]
    Stuck,
    #[error("the image data ends early ({produced} of {expected} bytes): the file is truncated or damaged")]
    EndsEarly { produced: u64, expected: u64 },
}

/// GIF, WebP, BMP, TIFF have no cheap end-to-end check: they are decoded once, under the
/// limits. They are rare in decks, and a writer that takes them as they are (GIF and WebP in
/// EPUB) must not get a broken one.
fn check_by_decoding(
    bytes: &[u8],
    format: SourceFormat,
    limits: &Limits,
) -> Result<(), ProbeError> {
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_width);
    decoder_limits.max_image_height = Some(limits.max_height);
    decoder_limits.max_alloc = Some(limits.max_alloc);
    let mut reader =
        image::ImageReader::with_format(std::io::Cursor::new(bytes), to_image_format(format));
    reader.limits(decoder_limits);
    reader
        .decode()
        .map(drop)
        .map_err(|e| ProbeError::Corrupt(format!("{}: cannot decode: {e}", format_name(format))))
}

fn format_name(format: SourceFormat) -> &'static str {
    match format {
        SourceFormat::Png => "PNG",
        SourceFormat::Jpeg => "JPEG",
        SourceFormat::Gif => "GIF",
        SourceFormat::WebP => "WebP",
        SourceFormat::Bmp => "BMP",
        SourceFormat::Tiff => "TIFF",
    }
}

/// GIF, WebP, BMP, TIFF: the image crate's decoders read headers without decoding pixels.
fn probe_with_image_crate(bytes: &[u8], format: SourceFormat) -> Result<ImageInfo, ProbeError> {
    use image::ImageDecoder;
    let corrupt = |e: image::ImageError| {
        ProbeError::Corrupt(format!("{}: cannot decode: {e}", format_name(format)))
    };
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

    /// A PNG of 4x2 pixels from IHDR fields (depth, colour type, compression, filter,
    /// interlace) and the chunks to put before the image data; rows of zeros.
    fn png(fields: [u8; 5], before_idat: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut put = |kind: &[u8; 4], data: &[u8]| {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(data);
            out.extend_from_slice(&crc.sum().to_be_bytes());
        };
        let mut ihdr = [0, 0, 0, 4, 0, 0, 0, 2].to_vec();
        ihdr.extend_from_slice(&fields);
        put(b"IHDR", &ihdr);
        for (kind, data) in before_idat {
            put(kind, data);
        }
        // As many bytes of rows (filter type 0, zeros) as the header promises.
        let rows = vec![0; IdatPrefix::new(&ihdr).expected as usize];
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&rows).expect("deflate");
        put(b"IDAT", &z.finish().expect("deflate"));
        put(b"IEND", &[]);
        out
    }

    fn png_refusal(bytes: &[u8]) -> String {
        match probe(bytes, &Limits::default()) {
            Err(e) => e.to_string(),
            Ok(_) => "accepted".into(),
        }
    }

    #[test]
    fn png_header_fields_a_reader_refuses() {
        let palette: &[(&[u8; 4], &[u8])] = &[(b"PLTE", &[0; 6])];
        assert_eq!(png_refusal(&png([8, 2, 0, 0, 0], &[])), "accepted");
        assert_eq!(png_refusal(&png([4, 3, 0, 0, 1], palette)), "accepted");
        assert_eq!(png_refusal(&png([16, 0, 0, 0, 0], &[])), "accepted");
        for (depth, color) in [(16, 3), (4, 2), (1, 6), (2, 4), (3, 0), (8, 5)] {
            let why = png_refusal(&png([depth, color, 0, 0, 0], palette));
            assert!(
                why.contains(&format!(
                    "bit depth {depth} is invalid for colour type {color}"
                )) || why.contains("unknown colour type"),
                "{depth}/{color}: {why}"
            );
        }
        for (compression, filter, interlace) in [(1, 0, 0), (0, 1, 0), (0, 0, 2)] {
            let why = png_refusal(&png([8, 2, compression, filter, interlace], &[]));
            assert!(
                why.contains("invalid compression, filter or interlace method"),
                "{why}"
            );
        }
    }

    #[test]
    fn png_palettes_and_critical_chunks_as_readers_require() {
        let why = png_refusal(&png([8, 3, 0, 0, 0], &[]));
        assert!(
            why.contains("no palette (PLTE) before the image data"),
            "{why}"
        );
        for color in [0, 4] {
            let why = png_refusal(&png([8, color, 0, 0, 0], &[(b"PLTE", &[0; 6])]));
            assert!(why.contains("a palette (PLTE) in a greyscale PNG"), "{why}");
        }
        // A suggested palette in a truecolour PNG is allowed.
        assert_eq!(
            png_refusal(&png([8, 2, 0, 0, 0], &[(b"PLTE", &[0; 6])])),
            "accepted"
        );
        for bad in [&[0u8; 0][..], &[0; 7], &[0; 771]] {
            let why = png_refusal(&png([8, 3, 0, 0, 0], &[(b"PLTE", bad)]));
            assert!(
                why.contains(&format!("a palette (PLTE) of {} bytes", bad.len())),
                "{why}"
            );
        }
        let twice: &[(&[u8; 4], &[u8])] = &[(b"PLTE", &[0; 6]), (b"PLTE", &[0; 6])];
        assert!(png_refusal(&png([8, 3, 0, 0, 0], twice)).contains("after the image data or twice"));
        let why = png_refusal(&png([8, 2, 0, 0, 0], &[(b"CgBI", &[0; 4])]));
        assert!(why.contains("unknown critical chunk CgBI"), "{why}");
        // Ancillary chunks a reader does not know are skipped.
        assert_eq!(
            png_refusal(&png([8, 2, 0, 0, 0], &[(b"zzZz", &[1])])),
            "accepted"
        );
        let why = png_refusal(&png([8, 2, 0, 0, 0], &[(b"a1b2", &[1])]));
        assert!(why.contains("invalid chunk type"), "{why}");
    }
}
