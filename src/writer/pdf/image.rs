//! Slide images made into PDF image XObjects without losing a bit: JPEG bytes as they are,
//! PNG image data copied out of the file, everything else recompressed losslessly.

use image::DynamicImage;
use pdf_writer::{Chunk, Filter, Finish, Name, Ref};

use crate::normalize::{
    self, ColorModel, ImageInfo, Limits, NormalizeError, Prepared, ProbeError, SourceFormat,
};

/// Colour space of an image XObject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Colors {
    Gray,
    Rgb,
    Cmyk,
    /// Palette of RGB triples (at most 256).
    Indexed(Vec<u8>),
}

impl Colors {
    /// Components per pixel as stored in the stream.
    pub(super) fn components(&self) -> i32 {
        match self {
            Colors::Gray | Colors::Indexed(_) => 1,
            Colors::Rgb => 3,
            Colors::Cmyk => 4,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// JPEG bytes, embedded unchanged.
    Dct,
    /// zlib data of PNG-filtered rows (PNG predictor 15 undoes them).
    FlatePng,
}

/// An image XObject with its stream ready to write.
#[derive(Debug, Clone)]
pub struct EncodedImage {
    pub width: u32,
    pub height: u32,
    pub colors: Colors,
    pub bits: u8,
    pub compression: Compression,
    /// Adobe CMYK JPEGs store inverted values.
    pub inverted: bool,
    pub data: Vec<u8>,
    /// Alpha channel as a grey image of the same size.
    pub soft_mask: Option<Box<EncodedImage>>,
    /// The profile of an ICCBased colour space for the image, as PDF/A wants for colours the
    /// sRGB output intent does not define.
    pub icc: Option<Icc>,
}

/// Where an image's ICC profile comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Icc {
    /// The JPEG's own profile (its APP2 segments joined), when it describes the image's colours.
    Embedded(Vec<u8>),
    /// `icc::uncalibrated_cmyk_profile`, for a CMYK JPEG that carries none: written once a file.
    UncalibratedCmyk,
    /// A CMYK JPEG's own profile (as `Embedded`), written baked into sRGB with black-point
    /// compensation (`icc::baked_cmyk_profile`) so that pdf.js shows the colours Poppler and
    /// Ghostscript do; as it is if Little CMS cannot read it.
    BakedCmyk(Vec<u8>),
}

impl EncodedImage {
    /// Write this image alone as object `id`, naming `mask_ref` as its soft mask (the mask
    /// is written the same way, as an object of its own) and `icc_ref` as the stream of its
    /// ICC profile (written by `write_icc`).
    pub fn write(&self, chunk: &mut Chunk, id: Ref, mask_ref: Option<Ref>, icc_ref: Option<Ref>) {
        self.write_with_data(chunk, id, &self.data, mask_ref, icc_ref);
    }

    /// As `write`, with `data` as the stream: empty, for `ObjectWriter::write_stream_object`
    /// to write the image's own data after the dictionary.
    pub fn write_with_data(
        &self,
        chunk: &mut Chunk,
        id: Ref,
        data: &[u8],
        mask_ref: Option<Ref>,
        icc_ref: Option<Ref>,
    ) {
        let mut xobject = chunk.image_xobject(id, data);
        xobject.width(self.width as i32);
        xobject.height(self.height as i32);
        xobject.bits_per_component(i32::from(self.bits));
        match &self.colors {
            _ if icc_ref.is_some() && self.icc.is_some() => {
                if let Some(icc_ref) = icc_ref {
                    xobject.color_space().icc_based(icc_ref);
                }
            }
            Colors::Gray => {
                xobject.color_space().device_gray();
            }
            Colors::Rgb => {
                xobject.color_space().device_rgb();
            }
            Colors::Cmyk => {
                xobject.color_space().device_cmyk();
            }
            Colors::Indexed(palette) => {
                let hival = (palette.len() / 3).saturating_sub(1) as i32;
                xobject
                    .color_space()
                    .indexed(Name(b"DeviceRGB"), hival, palette);
            }
        }
        if self.inverted {
            let pairs = self.colors.components() as usize;
            xobject.decode((0..pairs).flat_map(|_| [1.0, 0.0]));
        }
        if let Some(mask_ref) = mask_ref {
            xobject.s_mask(mask_ref);
        }
        match self.compression {
            Compression::Dct => {
                xobject.filter(Filter::DctDecode);
            }
            Compression::FlatePng => {
                xobject.filter(Filter::FlateDecode);
                let mut parms = xobject.decode_parms();
                parms.predictor(pdf_writer::types::Predictor::PngOptimum);
                parms.colors(self.colors.components());
                parms.bits_per_component(i32::from(self.bits));
                parms.columns(self.width as i32);
                parms.finish();
            }
        }
        xobject.finish();
    }
}

/// An ICC profile stream of `components` colour components, compressed.
pub fn write_icc_stream(chunk: &mut Chunk, id: Ref, icc: &[u8], components: i32) {
    let data = super::deflate(icc);
    let mut stream = chunk.icc_profile(id, &data);
    stream.n(components);
    stream.filter(Filter::FlateDecode);
    stream.finish();
}

/// Make a prepared slide into an image XObject: the CPU-heavy part, off the writing thread.
/// Files that cannot be copied are decoded here, within `limits`, as stored (the placement
/// turns them upright).
pub fn encode(prepared: Prepared, limits: &Limits) -> Result<EncodedImage, NormalizeError> {
    match prepared {
        Prepared::AsIs { bytes, info } => match info.format {
            SourceFormat::Jpeg => {
                let mut image = jpeg(bytes, &info);
                if image.colors == Colors::Cmyk && image.icc.is_none() {
                    // A CMYK JPEG without a profile has no defined colour: PDF/A admits
                    // DeviceCMYK only under a CMYK output intent, and readers would convert
                    // it each their own way. Its bytes stay as they are, under the profile
                    // of the conversion browsers apply (and the EPUB and CBZ writers, which
                    // decode it), so every reader shows the same colours.
                    image.icc = Some(Icc::UncalibratedCmyk);
                }
                Ok(image)
            }
            SourceFormat::Png => match png_as_is(&bytes)? {
                Some(mut image) => {
                    image.data = idat_only(bytes)?;
                    Ok(image)
                }
                // A PNG whose data cannot be copied (alpha, transparency, interlacing, 16-bit):
                // decode it here rather than fail.
                None => pixels(normalize::decode_stored(&bytes, &info, limits)?),
            },
            _ => pixels(normalize::decode_stored(&bytes, &info, limits)?),
        },
        Prepared::Pixels { image, .. } => pixels(image),
    }
}

fn corrupt_png(reason: &str) -> NormalizeError {
    NormalizeError::Probe(ProbeError::Corrupt(reason.to_string()))
}

fn jpeg(bytes: Vec<u8>, info: &ImageInfo) -> EncodedImage {
    let colors = match info.color {
        ColorModel::Gray => Colors::Gray,
        ColorModel::Cmyk | ColorModel::Ycck => Colors::Cmyk,
        ColorModel::Rgb | ColorModel::Indexed => Colors::Rgb,
    };
    let icc = jpeg_icc_profile(&bytes)
        .filter(|icc| icc_fits(icc, &colors))
        .map(|icc| match colors {
            Colors::Cmyk => Icc::BakedCmyk(icc),
            _ => Icc::Embedded(icc),
        });
    EncodedImage {
        width: info.width,
        height: info.height,
        inverted: info.adobe_inverted && colors == Colors::Cmyk,
        colors,
        bits: 8,
        compression: Compression::Dct,
        data: bytes,
        soft_mask: None,
        icc,
    }
}

/// The ICC profile a JPEG carries in its APP2 `ICC_PROFILE` segments, which may split it
/// into numbered parts (ICC.1:2010, annex B.4); `None` if it has none or a part is missing.
pub fn jpeg_icc_profile(bytes: &[u8]) -> Option<Vec<u8>> {
    const TAG: &[u8] = b"ICC_PROFILE\0";
    let mut parts: Vec<(u8, &[u8])> = Vec::new();
    let mut count = 0u8;
    let mut at = 2;
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        match marker {
            // Fill bytes, and markers without a length.
            0xFF => {
                at += 1;
                continue;
            }
            0x01 | 0xD0..=0xD7 => {
                at += 2;
                continue;
            }
            // Start of scan or end of image: the headers are over.
            0xDA | 0xD9 => break,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let body = bytes.get(at + 4..at + 2 + length.max(2))?;
        if marker == 0xE2 && body.len() > TAG.len() + 2 && body.starts_with(TAG) {
            let sequence = body[TAG.len()];
            count = body[TAG.len() + 1];
            parts.push((sequence, &body[TAG.len() + 2..]));
        }
        at += 2 + length;
    }
    if parts.is_empty() || parts.len() != usize::from(count) {
        return None;
    }
    parts.sort_by_key(|(sequence, _)| *sequence);
    if parts
        .iter()
        .enumerate()
        .any(|(i, (sequence, _))| usize::from(*sequence) != i + 1)
    {
        return None;
    }
    let mut profile = Vec::with_capacity(parts.iter().map(|(_, data)| data.len()).sum());
    for (_, data) in parts {
        profile.extend_from_slice(data);
    }
    Some(profile)
}

/// Whether an ICC profile can describe these colours in a PDF/A file: a whole profile
/// (header size, `acsp` signature) of a version PDF 1.7 reads (up to 4), an input, display,
/// output or colour space class, and the image's colour space.
fn icc_fits(icc: &[u8], colors: &Colors) -> bool {
    if icc.len() < 132 || &icc[36..40] != b"acsp" || icc[8] > 4 {
        return false;
    }
    let size = u32::from_be_bytes([icc[0], icc[1], icc[2], icc[3]]) as usize;
    let class = &icc[12..16];
    let space = &icc[16..20];
    let wanted: &[u8] = match colors {
        Colors::Gray => b"GRAY",
        Colors::Rgb => b"RGB ",
        Colors::Cmyk => b"CMYK",
        Colors::Indexed(_) => return false,
    };
    size == icc.len()
        && [b"scnr", b"mntr", b"prtr", b"spac"]
            .iter()
            .any(|c| class == *c)
        && space == wanted
}

/// The PNG's own compressed rows, if PDF can read them unchanged: greyscale, RGB or palette,
/// not interlaced, no alpha and no transparency chunk; 16-bit samples too (PDF 1.5 reads them).
fn png_as_is(bytes: &[u8]) -> Result<Option<EncodedImage>, NormalizeError> {
    let chunks = png_chunks(bytes)?;
    let header = chunks
        .iter()
        .find(|(kind, _)| kind == b"IHDR")
        .map(|(_, data)| *data)
        .filter(|data| data.len() >= 13)
        .ok_or_else(|| corrupt_png("PNG without a valid IHDR chunk"))?;
    let width = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
    let height = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
    let bits = header[8];
    let color_type = header[9];
    let interlaced = header[12] != 0;
    let has_transparency = chunks.iter().any(|(kind, _)| kind == b"tRNS");
    if interlaced || has_transparency || bits > 16 || width == 0 || height == 0 {
        return Ok(None);
    }
    if bits == 16 && color_type == 3 {
        return Ok(None);
    }
    let colors = match color_type {
        0 => Colors::Gray,
        2 => Colors::Rgb,
        3 => {
            let palette = chunks
                .iter()
                .find(|(kind, _)| kind == b"PLTE")
                .map(|(_, data)| data.to_vec())
                .filter(|p| !p.is_empty() && p.len() % 3 == 0 && p.len() <= 768)
                .ok_or_else(|| corrupt_png("palette PNG without a valid PLTE chunk"))?;
            Colors::Indexed(palette)
        }
        _ => return Ok(None),
    };
    // The caller moves the rows in with `idat_only`, reusing the file's own buffer.
    Ok(Some(EncodedImage {
        width,
        height,
        colors,
        bits,
        compression: Compression::FlatePng,
        inverted: false,
        data: Vec::new(),
        soft_mask: None,
        icc: None,
    }))
}

/// The concatenated IDAT payloads of a PNG file — exactly what FlateDecode with PNG predictors
/// reads — moved to the front of the file's own buffer, so no second copy is allocated.
fn idat_only(mut file: Vec<u8>) -> Result<Vec<u8>, NormalizeError> {
    let spans: Vec<(usize, usize)> = png_chunks(&file)?
        .iter()
        .filter(|(kind, _)| kind == b"IDAT")
        .map(|(_, data)| (data.as_ptr() as usize - file.as_ptr() as usize, data.len()))
        .collect();
    let mut end = 0;
    for (start, len) in spans {
        file.copy_within(start..start + len, end);
        end += len;
    }
    if end == 0 {
        return Err(corrupt_png("PNG without image data"));
    }
    file.truncate(end);
    Ok(file)
}

/// A PNG chunk: its type and payload.
type PngChunk<'a> = ([u8; 4], &'a [u8]);

/// The chunks of a PNG file, up to IEND.
fn png_chunks(bytes: &[u8]) -> Result<Vec<PngChunk<'_>>, NormalizeError> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let mut rest = bytes
        .strip_prefix(SIGNATURE)
        .ok_or_else(|| corrupt_png("not a PNG file (bad signature)"))?;
    let mut chunks = Vec::new();
    while rest.len() >= 12 {
        let length = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let kind = [rest[4], rest[5], rest[6], rest[7]];
        let end = 8usize
            .checked_add(length)
            .and_then(|e| e.checked_add(4))
            .filter(|&e| e <= rest.len())
            .ok_or_else(|| corrupt_png("truncated PNG chunk"))?;
        chunks.push((kind, &rest[8..8 + length]));
        rest = &rest[end..];
        if &kind == b"IEND" {
            return Ok(chunks);
        }
    }
    Err(corrupt_png("truncated PNG (no IEND chunk)"))
}

/// Decoded pixels, stored losslessly as PNG-filtered Flate data; alpha split into a soft mask
/// (dropped when every pixel is opaque). 16-bit images keep 16 bits per sample.
/// Takes the image by value so each conversion can reuse or free its buffer: peak memory is
/// about one decoded slide plus its compressed form, per encoding thread.
fn pixels(image: DynamicImage) -> Result<EncodedImage, NormalizeError> {
    let (width, height) = (image.width(), image.height());
    let sixteen = matches!(
        image,
        DynamicImage::ImageLuma16(_)
            | DynamicImage::ImageLumaA16(_)
            | DynamicImage::ImageRgb16(_)
            | DynamicImage::ImageRgba16(_)
            | DynamicImage::ImageRgb32F(_)
            | DynamicImage::ImageRgba32F(_)
    );
    let gray = matches!(
        image,
        DynamicImage::ImageLuma8(_)
            | DynamicImage::ImageLumaA8(_)
            | DynamicImage::ImageLuma16(_)
            | DynamicImage::ImageLumaA16(_)
    );
    let has_alpha = image.color().has_alpha();
    let colors = if gray { Colors::Gray } else { Colors::Rgb };
    let components = colors.components() as usize;
    let (samples, alpha, bits): (Vec<u8>, Option<Vec<u8>>, u8) = if sixteen {
        let (samples, alpha) = if gray {
            split_alpha16(image.into_luma_alpha16().into_raw(), 1, has_alpha)
        } else {
            split_alpha16(image.into_rgba16().into_raw(), 3, has_alpha)
        };
        (samples, alpha, 16)
    } else {
        let (samples, alpha) = match (gray, has_alpha) {
            (true, false) => (image.into_luma8().into_raw(), None),
            (false, false) => (image.into_rgb8().into_raw(), None),
            (true, true) => split_alpha8(image.into_luma_alpha8().into_raw(), 1),
            (false, true) => split_alpha8(image.into_rgba8().into_raw(), 3),
        };
        (samples, alpha, 8)
    };
    let data = deflate_rows(&samples, width, height, components, bits)?;
    drop(samples);
    let soft_mask = match alpha {
        Some(alpha) => Some(Box::new(EncodedImage {
            width,
            height,
            colors: Colors::Gray,
            bits,
            compression: Compression::FlatePng,
            inverted: false,
            data: deflate_rows(&alpha, width, height, 1, bits)?,
            soft_mask: None,
            icc: None,
        })),
        None => None,
    };
    Ok(EncodedImage {
        width,
        height,
        colors,
        bits,
        compression: Compression::FlatePng,
        inverted: false,
        data,
        soft_mask,
        icc: None,
    })
}

/// Split interleaved 8-bit samples into colour and alpha; no alpha if all opaque. Colour is
/// compacted in place, so no second slide-sized buffer is needed.
fn split_alpha8(mut raw: Vec<u8>, colour: usize) -> (Vec<u8>, Option<Vec<u8>>) {
    let stride = colour + 1;
    let pixels = raw.len() / stride;
    let opaque = raw.chunks_exact(stride).all(|px| px[colour] == u8::MAX);
    let alpha = (!opaque).then(|| raw.chunks_exact(stride).map(|px| px[colour]).collect());
    // Pixel p moves from stride·p to colour·p. A block of pixels [start, end) can be copied as
    // two disjoint slices once colour·end ≤ stride·start, so blocks grow geometrically (about
    // fifty for a 1080p slide) and each is a tight fixed-size copy loop.
    // The first few pixels overlap their own source: move them one at a time.
    for p in 1..colour.min(pixels) {
        raw.copy_within(p * stride..p * stride + colour, p * colour);
    }
    let mut start = colour.min(pixels).max(1);
    while start < pixels {
        let end = (start * stride / colour).min(pixels);
        let (head, tail) = raw.split_at_mut(start * stride);
        let to = &mut head[start * colour..end * colour];
        let from = &tail[..(end - start) * stride];
        if colour == 3 {
            for (to, px) in to.chunks_exact_mut(3).zip(from.chunks_exact(4)) {
                to.copy_from_slice(&px[..3]);
            }
        } else {
            for (to, px) in to.chunks_exact_mut(colour).zip(from.chunks_exact(stride)) {
                to.copy_from_slice(&px[..colour]);
            }
        }
        start = end;
    }
    raw.truncate(pixels * colour);
    (raw, alpha)
}

/// As `split_alpha8` for 16-bit samples, giving big-endian bytes as PDF stores them.
fn split_alpha16(raw: Vec<u16>, colour: usize, has_alpha: bool) -> (Vec<u8>, Option<Vec<u8>>) {
    let stride = colour + 1;
    let opaque = !has_alpha || raw.chunks_exact(stride).all(|px| px[colour] == u16::MAX);
    let mut samples = Vec::with_capacity(raw.len() / stride * colour * 2);
    let mut alpha = Vec::with_capacity(if opaque { 0 } else { raw.len() / stride * 2 });
    for px in raw.chunks_exact(stride) {
        for s in &px[..colour] {
            samples.extend_from_slice(&s.to_be_bytes());
        }
        if !opaque {
            alpha.extend_from_slice(&px[colour].to_be_bytes());
        }
    }
    (samples, (!opaque).then_some(alpha))
}

/// PNG-filter (adaptive per row) and zlib-compress raw samples: the PNG encoder's IDAT data
/// is exactly what FlateDecode with predictor 15 expects.
fn deflate_rows(
    samples: &[u8],
    width: u32,
    height: u32,
    components: usize,
    bits: u8,
) -> Result<Vec<u8>, NormalizeError> {
    let color = match components {
        1 => png::ColorType::Grayscale,
        3 => png::ColorType::Rgb,
        _ => {
            return Err(NormalizeError::Encode {
                format: "PDF image",
                reason: format!("cannot store {components} colour components"),
            })
        }
    };
    let depth = if bits == 16 {
        png::BitDepth::Sixteen
    } else {
        png::BitDepth::Eight
    };
    let mut file = Vec::with_capacity(samples.len() / 2);
    {
        let mut encoder = png::Encoder::new(&mut file, width, height);
        encoder.set_color(color);
        encoder.set_depth(depth);
        // Level 4: measured as large as img2pdf's output (±0.1 %) at a lower cost than level 6,
        // on the decks of bench/compare.sh. The Up filter on every row rather than the
        // adaptive choice among five: on deck400's 53 alpha slides 0.62 s of CPU against 0.73 s
        // (the 6-up handout 1.235 s against 1.312 s, five runs each) for 1.6 % more bytes on
        // those slides (3,567,173 against 3,502,330), 0.05 % of the file.
        encoder.set_deflate_compression(png::DeflateCompression::Level(4));
        encoder.set_filter(png::Filter::Up);
        let mut writer = encoder.write_header().map_err(compress_error)?;
        writer.write_image_data(samples).map_err(compress_error)?;
        writer.finish().map_err(compress_error)?;
    }
    idat_only(file)
}

fn compress_error(e: impl std::fmt::Display) -> NormalizeError {
    NormalizeError::Encode {
        format: "PDF image",
        reason: format!("cannot compress: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Luma, LumaA, Rgb, Rgba};
    use std::io::Read;

    fn encode_default(prepared: Prepared) -> Result<EncodedImage, NormalizeError> {
        encode(prepared, &Limits::default())
    }

    fn png_bytes(image: &DynamicImage) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// Undo FlateDecode + PNG predictors the way a PDF reader does.
    fn unfilter(image: &EncodedImage) -> Vec<u8> {
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&image.data[..])
            .read_to_end(&mut raw)
            .unwrap();
        let bits_per_pixel = image.colors.components() as usize * image.bits as usize;
        let bpp = bits_per_pixel.div_ceil(8);
        let row = (image.width as usize * bits_per_pixel).div_ceil(8);
        let mut out: Vec<u8> = Vec::new();
        let mut prev = vec![0u8; row];
        for line in raw.chunks(row + 1) {
            let filter = line[0];
            let mut cur = line[1..].to_vec();
            for i in 0..row {
                let a = if i >= bpp { cur[i - bpp] as i16 } else { 0 };
                let b = prev[i] as i16;
                let c = if i >= bpp { prev[i - bpp] as i16 } else { 0 };
                let predicted = match filter {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => {
                        let p = a + b - c;
                        let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                        if pa <= pb && pa <= pc {
                            a
                        } else if pb <= pc {
                            b
                        } else {
                            c
                        }
                    }
                    _ => panic!("bad filter"),
                };
                cur[i] = cur[i].wrapping_add(predicted as u8);
            }
            out.extend_from_slice(&cur);
            prev = cur;
        }
        out
    }

    fn info(format: SourceFormat, w: u32, h: u32, color: ColorModel) -> ImageInfo {
        ImageInfo {
            format,
            width: w,
            height: h,
            orientation: 1,
            color,
            bit_depth: 8,
            has_alpha: false,
            interlaced: false,
            adobe_inverted: false,
        }
    }

    fn gradient(w: u32, h: u32) -> ImageBuffer<Rgb<u8>, Vec<u8>> {
        ImageBuffer::from_fn(w, h, |x, y| {
            Rgb([(x * 7) as u8, (y * 13) as u8, (x ^ y) as u8])
        })
    }

    #[test]
    fn rgb_png_data_is_copied() {
        let img = DynamicImage::ImageRgb8(gradient(37, 11));
        let bytes = png_bytes(&img);
        let out = encode_default(Prepared::AsIs {
            bytes: bytes.clone(),
            info: info(SourceFormat::Png, 37, 11, ColorModel::Rgb),
        })
        .unwrap();
        assert_eq!(out.colors, Colors::Rgb);
        assert_eq!(out.compression, Compression::FlatePng);
        // The stream is the file's IDAT payload, byte for byte.
        let idat: Vec<u8> = png_chunks(&bytes)
            .unwrap()
            .into_iter()
            .filter(|(k, _)| k == b"IDAT")
            .flat_map(|(_, d)| d.to_vec())
            .collect();
        assert_eq!(out.data, idat);
        assert_eq!(unfilter(&out), img.to_rgb8().into_raw());
    }

    #[test]
    fn palette_png_becomes_indexed() {
        let mut bytes = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut bytes, 4, 2);
            enc.set_color(png::ColorType::Indexed);
            enc.set_depth(png::BitDepth::Two);
            enc.set_palette(vec![0, 0, 0, 255, 0, 0, 0, 255, 0]);
            let mut w = enc.write_header().unwrap();
            w.write_image_data(&[0b00_01_10_00, 0b10_10_01_01]).unwrap();
        }
        let out = encode_default(Prepared::AsIs {
            bytes,
            info: info(SourceFormat::Png, 4, 2, ColorModel::Indexed),
        })
        .unwrap();
        assert_eq!(
            out.colors,
            Colors::Indexed(vec![0, 0, 0, 255, 0, 0, 0, 255, 0])
        );
        assert_eq!(out.bits, 2);
        assert_eq!(unfilter(&out), vec![0b00_01_10_00, 0b10_10_01_01]);
    }

    #[test]
    fn rgba_png_given_as_is_is_decoded_with_a_mask() {
        let img = DynamicImage::ImageRgba8(ImageBuffer::from_fn(5, 3, |x, y| {
            Rgba([x as u8 * 40, y as u8 * 80, 9, (x * 50) as u8])
        }));
        let out = encode_default(Prepared::AsIs {
            bytes: png_bytes(&img),
            info: info(SourceFormat::Png, 5, 3, ColorModel::Rgb),
        })
        .unwrap();
        let mask = out.soft_mask.as_ref().unwrap();
        assert_eq!(
            unfilter(mask),
            (0..15).map(|i| (i % 5 * 50) as u8).collect::<Vec<_>>()
        );
        assert_eq!(unfilter(&out), img.to_rgb8().into_raw());
    }

    #[test]
    fn opaque_alpha_is_dropped_and_gray_alpha_kept() {
        let opaque = DynamicImage::ImageRgba8(ImageBuffer::from_pixel(3, 3, Rgba([1, 2, 3, 255])));
        let out = pixels(opaque.clone()).unwrap();
        assert!(out.soft_mask.is_none());
        assert_eq!(unfilter(&out), [1, 2, 3].repeat(9));

        let gray = DynamicImage::ImageLumaA8(ImageBuffer::from_fn(4, 2, |x, _| {
            LumaA([x as u8, 255 - x as u8])
        }));
        let out = pixels(gray.clone()).unwrap();
        assert_eq!(out.colors, Colors::Gray);
        assert_eq!(
            unfilter(out.soft_mask.as_ref().unwrap()),
            [255, 254, 253, 252].repeat(2)
        );
    }

    #[test]
    fn sixteen_bit_stays_sixteen_bit() {
        let img = DynamicImage::ImageLuma16(ImageBuffer::from_fn(3, 2, |x, y| {
            Luma([(x * 1000 + y * 7) as u16])
        }));
        let out = pixels(img.clone()).unwrap();
        assert_eq!(out.bits, 16);
        assert_eq!(
            unfilter(&out),
            vec![0, 0, 3, 232, 7, 208, 0, 7, 3, 239, 7, 215]
        );
    }

    #[test]
    fn jpeg_cmyk_inverted_gets_decode_array() {
        let mut i = info(SourceFormat::Jpeg, 2, 2, ColorModel::Cmyk);
        i.adobe_inverted = true;
        // `jpeg` itself: `encode` adds the uncalibrated profile to a CMYK JPEG without one.
        let out = jpeg(vec![0xFF, 0xD8, 0xFF, 1, 2], &i);
        assert_eq!(out.data, vec![0xFF, 0xD8, 0xFF, 1, 2]);
        assert!(out.inverted);
        let mut chunk = Chunk::new();
        out.write(&mut chunk, Ref::new(1), None, None);
        let text = String::from_utf8_lossy(chunk.as_bytes()).into_owned();
        assert!(text.contains("/Decode [1 0 1 0 1 0 1 0]"), "{text}");
        assert!(text.contains("/DeviceCMYK"));
        assert!(text.contains("/DCTDecode"));
    }

    #[test]
    fn alpha_split_in_place_matches_a_plain_copy() {
        for colour in [1usize, 3] {
            for pixels in 0..60usize {
                let raw: Vec<u8> = (0..pixels * (colour + 1))
                    .map(|i| (i * 7 % 251) as u8)
                    .collect();
                let expected: Vec<u8> = raw
                    .chunks_exact(colour + 1)
                    .flat_map(|px| px[..colour].to_vec())
                    .collect();
                let alpha: Vec<u8> = raw.chunks_exact(colour + 1).map(|px| px[colour]).collect();
                let (samples, mask) = split_alpha8(raw, colour);
                assert_eq!(samples, expected, "colour {colour}, {pixels} pixels");
                if pixels > 0 && alpha.iter().any(|&a| a != 255) {
                    assert_eq!(mask, Some(alpha));
                }
            }
        }
    }
}
