//! Header probe: format by magic bytes, dimensions, colour model, bit depth, interlacing,
//! EXIF orientation — without decoding pixels; then, limits passed, a check that the whole
//! file is intact (PNG and JPEG structure end to end; other formats decoded once), so a
//! broken file fails its slide by name instead of reaching the output.

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
    // A file cut short or damaged must fail its slide, never be embedded as it is.
    match format {
        SourceFormat::Png => check_png(bytes)?,
        SourceFormat::Jpeg => check_jpeg(bytes)?,
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

/// JPEG structure, end to end and without decoding: every segment up to the end marker
/// (EOI), and in the entropy-coded data after each scan header only stuffed `FF 00` bytes,
/// restart markers in sequence (RST0, RST1, … RST7, RST0 …) and a marker that may follow a
/// scan. This catches a file cut short anywhere and most overwritten scan data, at the cost of
/// one pass over the bytes (see fuzz/README.md, "How deep a JPEG is checked").
fn check_jpeg(bytes: &[u8]) -> Result<(), ProbeError> {
    let corrupt = |why: String| ProbeError::Corrupt(format!("JPEG: {why}"));
    let truncated = || corrupt("no end marker (EOI): the file is cut short".into());
    let mut pos = 2;
    let mut scans = 0usize;
    loop {
        while bytes.get(pos) == Some(&0xFF) && bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let marker = match bytes.get(pos..pos + 2) {
            Some([0xFF, m]) => *m,
            Some(_) => return Err(corrupt(format!("expected a marker at byte {pos}"))),
            None => return Err(truncated()),
        };
        match marker {
            0xD9 if scans > 0 => return Ok(()),
            0xD9 => return Err(corrupt("end marker before any image data".into())),
            0xD8 | 0xD0..=0xD7 | 0x01 => {
                pos += 2;
                continue;
            }
            0x00 | 0x02..=0xBF => {
                return Err(corrupt(format!(
                    "invalid marker FF {marker:02X} at byte {pos}"
                )))
            }
            _ => {}
        }
        let len = bytes
            .get(pos + 2..pos + 4)
            .map(be_u16)
            .ok_or_else(truncated)? as usize;
        if len < 2 {
            return Err(corrupt(format!("invalid segment length at byte {pos}")));
        }
        pos += 2 + len;
        if pos > bytes.len() {
            return Err(truncated());
        }
        if marker != 0xDA {
            continue;
        }
        scans += 1;
        // Entropy-coded data: runs to the first marker that is not a restart marker.
        let mut next_restart = 0u8;
        loop {
            let ff = bytes[pos..]
                .iter()
                .position(|&b| b == 0xFF)
                .ok_or_else(truncated)?;
            pos += ff;
            match bytes.get(pos + 1) {
                None => return Err(truncated()),
                Some(0x00) => pos += 2,
                // Fill bytes before a marker.
                Some(0xFF) => pos += 1,
                Some(&m @ 0xD0..=0xD7) => {
                    if m - 0xD0 != next_restart {
                        return Err(corrupt(format!(
                            "restart marker RST{} where RST{next_restart} was due, at byte \
                             {pos}: the image data is damaged",
                            m - 0xD0
                        )));
                    }
                    next_restart = (next_restart + 1) % 8;
                    pos += 2;
                }
                // What may follow a scan: the end, another scan, tables, comments, APPn.
                Some(0xD9 | 0xDA | 0xC4 | 0xDB | 0xDC | 0xDD | 0xFE | 0xE0..=0xEF) => break,
                Some(&m) => {
                    return Err(corrupt(format!(
                        "invalid byte sequence FF {m:02X} in the image data at byte {pos}: \
                         the image data is damaged"
                    )))
                }
            }
        }
    }
}

/// PNG integrity at the cost of a CRC: every chunk's length and CRC-32 (crc32fast, SIMD where
/// the CPU has it), IHDR first and once, IDAT chunks together, IEND present; the zlib header
/// of the image data; and the first [`PNG_PREFIX_CHECKED`] bytes of rows inflated, each row's
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
        match &kind {
            b"IHDR" if ihdr.is_none() && pos == 8 && len == 13 => ihdr = Some(data),
            _ if ihdr.is_none() => return Err(corrupt("first chunk is not IHDR".into())),
            b"IHDR" => return Err(corrupt("a second IHDR chunk".into())),
            b"IDAT" => {
                if idat_state == 2 {
                    return Err(corrupt("IDAT chunks are not together".into()));
                }
                let check = idat.get_or_insert_with(|| IdatPrefix::new(ihdr.unwrap_or_default()));
                idat_state = 1;
                check.feed(data).map_err(corrupt)?;
            }
            b"IEND" => {
                return match idat {
                    None => Err(corrupt("no image data (IDAT)".into())),
                    Some(check) => check.finish().map_err(corrupt),
                };
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
    fn feed(&mut self, mut data: &[u8]) -> Result<(), String> {
        let mut scratch = [0u8; 16 * 1024];
        while !self.checked_enough() && !data.is_empty() {
            let (before_in, before_out) = (self.inflate.total_in(), self.inflate.total_out());
            let status = self
                .inflate
                .decompress(data, &mut scratch, flate2::FlushDecompress::None)
                .map_err(|e| format!("the compressed image data is damaged ({e})"))?;
            let used = (self.inflate.total_in() - before_in) as usize;
            let out = &scratch[..(self.inflate.total_out() - before_out) as usize];
            if self.stride > 0 {
                // Every row starts with its filter type, 0–4.
                let mut at = (self.stride - self.produced % self.stride) % self.stride;
                while at < out.len() as u64 {
                    let filter = out[at as usize];
                    if filter > 4 {
                        return Err(format!(
                            "invalid row filter type {filter}: the image data is damaged"
                        ));
                    }
                    at += self.stride;
                }
            }
            self.produced += out.len() as u64;
            if self.produced > self.expected {
                return Err("more image data than the header's size promises".into());
            }
            data = &data[used..];
            if status == flate2::Status::StreamEnd {
                self.ended = true;
            } else if used == 0 && out.is_empty() {
                return Err("the compressed image data is damaged".into());
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<(), String> {
        if self.produced < PNG_PREFIX_CHECKED.min(self.expected) {
            return Err(format!(
                "the image data ends early ({} of {} bytes): the file is truncated or damaged",
                self.produced, self.expected
            ));
        }
        Ok(())
    }
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
}
