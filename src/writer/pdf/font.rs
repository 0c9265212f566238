//! Embedding a font in the PDF as a subset: a Type0 font with Identity-H encoding over a
//! CIDFont (CIDFontType0 for CFF outlines, CIDFontType2 for TrueType), whose CIDs are the
//! glyph ids of the subset, with a /W widths array and a ToUnicode CMap so that text can
//! be searched and copied.
//!
//! Characters map to glyphs through the font's `cmap` one to one: no shaping, which
//! Chinese and Latin titles do not need. Kerning is not applied.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::writers::WMode;
use pdf_writer::{Chunk, Filter, Finish, Name, Rect, Ref, Str};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;
use ttf_parser::{name_id, Face, GlyphId, Tag};

use super::deflate;
use crate::fonts::{is_invisible, FontData};

const CFF: Tag = Tag::from_bytes(b"CFF ");
const IDENTITY_H: &str = "Identity-H";
const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// Why a font cannot be embedded: the font is named by the [`crate::writer::WriteError`]
/// that carries this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmbedError {
    /// Not a font ttf-parser reads (or not at this collection index).
    #[error("{0}")]
    Parse(ttf_parser::FaceParsingError),
    #[error("neither TrueType nor CFF outlines, cannot embed it")]
    NoOutlines,
    #[error("cannot subset it: {0}")]
    Subset(subsetter::Error),
    /// The subsetter made a font ttf-parser cannot read back.
    #[error("bad subset: {0}")]
    BadSubset(ttf_parser::FaceParsingError),
    #[error("subset lost its CFF table")]
    SubsetLostCff,
}

/// One font of the document: measures text, encodes it for content streams while
/// recording the glyphs used, and finally writes itself subset to those glyphs.
pub struct PdfFont {
    data: FontData,
    units_per_em: f32,
    is_cff: bool,
    /// PostScript name, reduced to characters safe in a PDF name.
    base_name: String,
    /// Original glyph id → the character it was first used for (ToUnicode).
    used: BTreeMap<u16, char>,
    /// Original glyph id → glyph id in the subset, which is also the CID.
    remapper: GlyphRemapper,
}

impl std::fmt::Debug for PdfFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfFont")
            .field("font", &self.data)
            .field("glyphs", &self.used.len())
            .finish()
    }
}

impl PdfFont {
    pub fn new(data: &crate::fonts::FontData) -> Result<Self, EmbedError> {
        let face = parse(data)?;
        let raw = face.raw_face();
        let is_cff = raw.table(CFF).is_some();
        if !is_cff && raw.table(Tag::from_bytes(b"glyf")).is_none() {
            return Err(EmbedError::NoOutlines);
        }
        let base_name = postscript_name(&face)
            .or_else(|| Some(data.name.clone()))
            .map(|n| pdf_name_safe(&n))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "Font".to_string());
        Ok(PdfFont {
            units_per_em: f32::from(face.units_per_em().max(1)),
            is_cff,
            base_name,
            used: BTreeMap::new(),
            remapper: GlyphRemapper::new(),
            data: data.clone(),
        })
    }

    /// The font's family name, for messages.
    pub fn name(&self) -> &str {
        &self.data.name
    }

    /// Advance width of `text` at `size` pt (for layout).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(face) = parse(&self.data) else {
            return 0.0;
        };
        let units: u32 = text
            .chars()
            .filter(|&c| !is_invisible(c))
            .map(|c| {
                u32::from(
                    face.glyph_hor_advance(GlyphId(glyph_for(&face, c)))
                        .unwrap_or(0),
                )
            })
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// Ascender and descender (negative) at `size` pt, for placing lines.
    pub fn vertical_metrics(&self, size: f32) -> (f32, f32) {
        match parse(&self.data) {
            Ok(face) => (
                f32::from(face.ascender()) * size / self.units_per_em,
                f32::from(face.descender()) * size / self.units_per_em,
            ),
            Err(_) => (0.88 * size, -0.12 * size),
        }
    }

    /// Height of capital letters at `size` pt, for aligning text to rules and edges.
    pub fn cap_height(&self, size: f32) -> f32 {
        parse(&self.data)
            .ok()
            .and_then(|face| face.capital_height())
            .map(|h| f32::from(h) * size / self.units_per_em)
            .unwrap_or(0.72 * size)
    }

    /// Bytes for a show-text operation (`content.show(Str(&bytes))`); records the glyphs used.
    pub fn encode(&mut self, text: &str) -> Vec<u8> {
        let Ok(face) = parse(&self.data) else {
            return Vec::new();
        };
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for c in text.chars().filter(|&c| !is_invisible(c)) {
            // A character without a glyph shows `.notdef`; the pipeline warned already.
            let glyph = glyph_for(&face, c);
            if glyph != 0 {
                self.used.entry(glyph).or_insert(c);
            }
            let cid = self.remapper.remap(glyph);
            bytes.extend_from_slice(&cid.to_be_bytes());
        }
        bytes
    }

    /// The subset font objects (Type0 + CIDFont + descriptor + FontFile + ToUnicode), Type0 at `font_ref`; other refs from `alloc`.
    pub fn write(&self, font_ref: Ref, alloc: &mut Ref) -> Result<Chunk, EmbedError> {
        let face = parse(&self.data)?;
        let cid_ref = alloc.bump();
        let descriptor_ref = alloc.bump();
        let cmap_ref = alloc.bump();
        let file_ref = alloc.bump();

        let base_font = format!("{}+{}", self.subset_tag(), self.base_name);
        // For CIDFontType0 the Type0 name is the CIDFont's plus the CMap's (PDF 1.7, 9.7.6.1).
        let type0_name = if self.is_cff {
            format!("{base_font}-{IDENTITY_H}")
        } else {
            base_font.clone()
        };
        let to_pdf_units = |units: f32| units * 1000.0 / self.units_per_em;

        let mut chunk = Chunk::new();
        chunk
            .type0_font(font_ref)
            .base_font(Name(type0_name.as_bytes()))
            .encoding_predefined(Name(IDENTITY_H.as_bytes()))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);

        let mut cid = chunk.cid_font(cid_ref);
        cid.subtype(if self.is_cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        });
        cid.base_font(Name(base_font.as_bytes()));
        cid.system_info(SYSTEM_INFO);
        cid.font_descriptor(descriptor_ref);
        cid.default_width(0.0);
        if !self.is_cff {
            cid.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        // The subset's glyph ids run 0..n in the remapper's order, so widths go in one array.
        let widths: Vec<f32> = self
            .remapper
            .remapped_gids()
            .map(|gid| {
                let advance = face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0);
                (to_pdf_units(f32::from(advance)) * 10.0).round() / 10.0
            })
            .collect();
        cid.widths().consecutive(0, widths);
        cid.finish();

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
        for (&glyph, &c) in &self.used {
            if let Some(cid) = self.remapper.get(glyph) {
                cmap.pair(cid, c);
            }
        }
        let cmap = deflate(cmap.finish().as_slice());
        chunk
            .cmap(cmap_ref, &cmap)
            .writing_mode(WMode::Horizontal)
            .filter(Filter::FlateDecode);

        let subset = subsetter::subset(&self.data.bytes, self.data.index, &self.remapper)
            .map_err(EmbedError::Subset)?;
        // A CFF font is embedded as its bare CFF program (FontFile3 /CIDFontType0C),
        // a TrueType font as the whole subset file (FontFile2).
        let program = if self.is_cff {
            let raw = ttf_parser::RawFace::parse(&subset, 0).map_err(EmbedError::BadSubset)?;
            let cff = raw.table(CFF).ok_or(EmbedError::SubsetLostCff)?;
            let mut cff = cff.to_vec();
            match drop_leading_zeros_of_top_dict_reals(&mut cff) {
                Some(charstrings) => deflate(&widths_on_rmoveto(cff, charstrings)),
                None => deflate(&cff),
            }
        } else {
            deflate(&subset)
        };
        let mut stream = chunk.stream(file_ref, &program);
        stream.filter(Filter::FlateDecode);
        if self.is_cff {
            stream.pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
        }
        stream.finish();

        let mut flags = FontFlags::SYMBOLIC;
        flags.set(FontFlags::SERIF, self.base_name.contains("Serif"));
        flags.set(FontFlags::FIXED_PITCH, face.is_monospaced());
        flags.set(FontFlags::ITALIC, face.is_italic());
        let bbox = face.global_bounding_box();
        let ascent = to_pdf_units(f32::from(face.ascender()));
        let cap_height = face
            .capital_height()
            .map(|h| to_pdf_units(f32::from(h)))
            .unwrap_or(ascent * 0.8);
        let mut descriptor = chunk.font_descriptor(descriptor_ref);
        descriptor
            .name(Name(base_font.as_bytes()))
            .flags(flags)
            .bbox(Rect::new(
                to_pdf_units(f32::from(bbox.x_min)),
                to_pdf_units(f32::from(bbox.y_min)),
                to_pdf_units(f32::from(bbox.x_max)),
                to_pdf_units(f32::from(bbox.y_max)),
            ))
            .italic_angle(face.italic_angle())
            .ascent(ascent)
            .descent(to_pdf_units(f32::from(face.descender())))
            .cap_height(cap_height)
            // Not in the font; the usual estimate from the weight class.
            .stem_v(10.0 + 0.244 * (f32::from(face.weight().to_number()) - 50.0));
        if self.is_cff {
            descriptor.font_file3(file_ref);
        } else {
            descriptor.font_file2(file_ref);
        }
        descriptor.finish();
        Ok(chunk)
    }

    /// Six capital letters derived from the font and the glyph set, so that the same
    /// text gives the same name (reproducible output) and different subsets differ.
    fn subset_tag(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.base_name.as_bytes());
        for gid in self.remapper.remapped_gids() {
            hasher.update(gid.to_be_bytes());
        }
        let digest = hasher.finalize();
        let mut n = u64::from_be_bytes([
            digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
        ]);
        let mut tag = String::with_capacity(6);
        for _ in 0..6 {
            tag.push(char::from(b'A' + (n % 26) as u8));
            n /= 26;
        }
        tag
    }
}

// Two rewrites of the subset CFF program for `page-validation` 0.11, which misreads it where
// it follows the CFF specifications to the letter. Both keep the glyphs and their widths as
// they are; each stays only as long as `tests/conformance.rs` shows the validator needs it.

/// An INDEX at `at` (count, offset size, 1-based offsets, data): where its first and second
/// items start, where it ends, its count and offset size.
fn cff_index(cff: &[u8], at: usize) -> Option<(Vec<usize>, usize)> {
    let count = usize::from(u16::from_be_bytes([*cff.get(at)?, *cff.get(at + 1)?]));
    if count == 0 {
        return Some((vec![at + 2], 0));
    }
    let size = usize::from(*cff.get(at + 2)?);
    let data = at + 3 + (count + 1) * size - 1;
    let offsets = (0..=count)
        .map(|i| {
            let start = at + 3 + i * size;
            let bytes = cff.get(start..start + size)?;
            Some(data + bytes.iter().fold(0usize, |n, &b| n << 8 | usize::from(b)))
        })
        .collect::<Option<Vec<usize>>>()?;
    Some((offsets, size))
}

/// The Top DICT's byte range.
fn cff_top_dict(cff: &[u8]) -> Option<(usize, usize)> {
    let header_size = usize::from(*cff.get(2)?);
    let (names, _) = cff_index(cff, header_size)?;
    let (top, _) = cff_index(cff, *names.last()?)?;
    Some((*top.first()?, *top.get(1)?))
}

/// Rewrite the real numbers of a CFF program's Top DICT without their leading zero: `0.001`
/// as `.001`, in as many bytes (a trailing zero where one byte would be saved), so no offset
/// moves. Both are the same number (CFF, Adobe TN #5176, 4 "DICT Data", table 5); `.001` is
/// how fontTools writes it. page-validation reads subsetter's `0.001` (the FontMatrix it
/// writes out) as 0, and so found every glyph 0 wide against its `/W` width. Returns the
/// CharStrings offset; `None` (and the DICT unchanged from there on) where it does not parse.
fn drop_leading_zeros_of_top_dict_reals(cff: &mut [u8]) -> Option<usize> {
    let (start, end) = cff_top_dict(cff)?;
    let end = end.min(cff.len());
    let mut charstrings = None;
    let mut last_integer = None;
    let mut at = start;
    while at < end {
        let b0 = cff[at];
        match b0 {
            30 => {
                let length = cff[at + 1..end]
                    .iter()
                    .position(|&b| b & 0x0F == 0x0F || b >> 4 == 0x0F)?
                    + 1;
                let bytes = &mut cff[at + 1..at + 1 + length];
                let mut nibbles: Vec<u8> = bytes.iter().flat_map(|&b| [b >> 4, b & 0x0F]).collect();
                let digits = nibbles.iter().position(|&n| n == 0x0F)?;
                // "0." followed by digits only: no sign, no exponent.
                if digits > 2
                    && nibbles[0] == 0
                    && nibbles[1] == 0x0A
                    && nibbles[2..digits].iter().all(|&n| n <= 9)
                {
                    nibbles.remove(0);
                    if (digits - 1) % 2 == 1 {
                        nibbles.insert(digits - 1, 0);
                    }
                    for (i, byte) in bytes.iter_mut().enumerate() {
                        let high = nibbles.get(2 * i).copied().unwrap_or(0x0F);
                        let low = nibbles.get(2 * i + 1).copied().unwrap_or(0x0F);
                        *byte = high << 4 | low;
                    }
                }
                last_integer = None;
                at += 1 + length;
            }
            28 => {
                last_integer = Some(i32::from(i16::from_be_bytes([
                    *cff.get(at + 1)?,
                    *cff.get(at + 2)?,
                ])));
                at += 3;
            }
            29 => {
                let b = cff.get(at + 1..at + 5)?;
                last_integer = Some(i32::from_be_bytes([b[0], b[1], b[2], b[3]]));
                at += 5;
            }
            32..=246 => {
                last_integer = Some(i32::from(b0) - 139);
                at += 1;
            }
            247..=254 => {
                let b1 = i32::from(*cff.get(at + 1)?);
                last_integer = Some(if b0 < 251 {
                    (i32::from(b0) - 247) * 256 + b1 + 108
                } else {
                    -(i32::from(b0) - 251) * 256 - b1 - 108
                });
                at += 2;
            }
            12 => at += 2,
            // CharStrings (operator 17): its offset is the operand before it.
            17 => {
                charstrings = last_integer.and_then(|n| usize::try_from(n).ok());
                at += 1;
            }
            0..=21 => at += 1,
            _ => return None,
        }
    }
    charstrings
}

/// Write the width-carrying first move of each charstring as `rmoveto`: `w dx hmoveto` as
/// `w dx 0 rmoveto`, `w dy vmoveto` as `w 0 dy rmoveto` (the same move). The Type 2 charstring
/// format (Adobe TN #5177, 4.1 "Path Construction Operators" and 3.1's note on the width)
/// lets any first stack-clearing operator carry the width; page-validation takes it only
/// from `rmoveto`, hints or `endchar`, and found the bundled font's glyphs that start with
/// `hmoveto` (`1`, `i`, `n`…) as wide as the Private DICT's default. Each such charstring
/// grows by a byte, so the CharStrings INDEX is rebuilt: only where it is the last structure
/// of the program (as subsetter writes it) and its charstrings call no subroutine before
/// their first move; otherwise the program stays as it is.
fn widths_on_rmoveto(cff: Vec<u8>, charstrings: usize) -> Vec<u8> {
    let Some((offsets, _)) = cff_index(&cff, charstrings) else {
        return cff;
    };
    if offsets.len() < 2 || offsets.last() != Some(&cff.len()) {
        return cff;
    }
    let glyphs: Vec<Vec<u8>> = offsets
        .windows(2)
        .map(|w| first_move_as_rmoveto(&cff[w[0]..w[1]]))
        .collect();
    let total: usize = glyphs.iter().map(Vec::len).sum::<usize>() + 1;
    let size: usize = match total {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        0x1_0000..=0xFF_FFFF => 3,
        _ => 4,
    };
    let mut out = Vec::with_capacity(cff.len() + glyphs.len() + 8);
    out.extend_from_slice(&cff[..charstrings]);
    out.extend_from_slice(&(glyphs.len() as u16).to_be_bytes());
    out.push(size as u8);
    let mut offset = 1usize;
    for glyph in std::iter::once(None).chain(glyphs.iter().map(Some)) {
        offset += glyph.map_or(0, Vec::len);
        out.extend_from_slice(&offset.to_be_bytes()[std::mem::size_of::<usize>() - size..]);
    }
    for glyph in &glyphs {
        out.extend_from_slice(glyph);
    }
    out
}

/// One charstring with its first operator rewritten as `rmoveto` where it is `hmoveto` or
/// `vmoveto` carrying the width (two operands).
fn first_move_as_rmoveto(charstring: &[u8]) -> Vec<u8> {
    let mut operands = Vec::new();
    let mut at = 0;
    while at < charstring.len() {
        let b0 = charstring[at];
        let length = match b0 {
            28 => 3,
            32..=246 => 1,
            247..=254 => 2,
            255 => 5,
            _ => break,
        };
        operands.push(at);
        at += length;
    }
    let op = charstring.get(at).copied();
    if operands.len() != 2 || !matches!(op, Some(22) | Some(4)) || at + 1 > charstring.len() {
        return charstring.to_vec();
    }
    let mut out = Vec::with_capacity(charstring.len() + 1);
    if op == Some(22) {
        // w dx hmoveto → w dx 0 rmoveto
        out.extend_from_slice(&charstring[..at]);
        out.push(139);
    } else {
        // w dy vmoveto → w 0 dy rmoveto
        out.extend_from_slice(&charstring[..operands[1]]);
        out.push(139);
        out.extend_from_slice(&charstring[operands[1]..at]);
    }
    out.push(21);
    out.extend_from_slice(&charstring[at + 1..]);
    out
}

fn parse(data: &FontData) -> Result<Face<'_>, EmbedError> {
    Face::parse(&data.bytes, data.index).map_err(EmbedError::Parse)
}

/// The glyph for `c`; whitespace the font lacks (e.g. U+3000, U+00A0) becomes a space.
fn glyph_for(face: &Face, c: char) -> u16 {
    match face.glyph_index(c) {
        Some(g) if g.0 != 0 => g.0,
        _ if c.is_whitespace() => face.glyph_index(' ').map_or(0, |g| g.0),
        _ => 0,
    }
}

fn postscript_name(face: &Face) -> Option<String> {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == name_id::POST_SCRIPT_NAME)
        .find_map(|n| {
            n.to_string().or_else(|| {
                // Macintosh Roman names are ASCII in practice.
                (!n.is_unicode()).then(|| n.name.iter().map(|&b| char::from(b)).collect())
            })
        })
}

/// Printable ASCII without PDF delimiters or spaces, at most 100 characters, so that
/// `ABCDEF+Name-Identity-H` stays within PDF/A's 127-byte name limit.
fn pdf_name_safe(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
        .take(100)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_two_byte_cids_in_first_use_order() {
        let mut font = PdfFont::new(&FontData::bundled()).unwrap();
        assert_eq!(font.encode("微服务"), vec![0, 1, 0, 2, 0, 3]);
        // Repeated glyphs keep their CID; spaces are glyphs, controls and ZWSP are not.
        assert_eq!(font.encode("服 \n\u{200B}微"), vec![0, 2, 0, 4, 0, 1]);
        // No glyph: .notdef, CID 0.
        assert_eq!(font.encode("\u{1F600}"), vec![0, 0]);
    }

    #[test]
    fn widths_scale_with_size() {
        let font = PdfFont::new(&FontData::bundled()).unwrap();
        // CJK ideographs are one em wide in Noto Sans CJK.
        assert_eq!(font.width("微服务", 10.0), 30.0);
        assert!((font.width("ii", 20.0) - 2.0 * font.width("i", 20.0)).abs() < 1e-4);
        assert!(font.width("W", 10.0) > font.width("i", 10.0));
    }

    #[test]
    fn subset_tag_is_deterministic_and_depends_on_glyphs() {
        let make = |text: &str| {
            let mut font = PdfFont::new(&FontData::bundled()).unwrap();
            font.encode(text);
            font.subset_tag()
        };
        assert_eq!(make("微服务"), make("微服务"));
        assert_ne!(make("微服务"), make("微服"));
        let tag = make("abc");
        assert_eq!(tag.len(), 6);
        assert!(tag.chars().all(|c| c.is_ascii_uppercase()));
    }

    #[test]
    fn write_with_no_text_still_works() {
        let font = PdfFont::new(&FontData::bundled()).unwrap();
        let chunk = font.write(Ref::new(1), &mut Ref::new(2)).unwrap();
        assert!(!chunk.as_bytes().is_empty());
    }

    #[test]
    fn top_dict_reals_lose_their_leading_zero_in_place() {
        // Header (size 4), a Name INDEX of one name, a Top DICT INDEX of one DICT holding
        // FontMatrix [0.001 0 0 0.001 0 0] and a real with an odd digit count (0.25).
        let dict: &[u8] = &[
            0x1E, 0x0A, 0x00, 0x1F, 139, 139, 0x1E, 0x0A, 0x00, 0x1F, 139, 139, 12, 7, //
            0x1E, 0x0A, 0x25, 0xFF, 12, 9,
        ];
        let mut cff = vec![1, 0, 4, 4, 0, 1, 1, 1, 2, b'A'];
        cff.extend_from_slice(&[0, 1, 1, 1, dict.len() as u8 + 1]);
        cff.extend_from_slice(dict);
        let before = cff.len();
        drop_leading_zeros_of_top_dict_reals(&mut cff);
        assert_eq!(cff.len(), before);
        assert_eq!(
            &cff[15..],
            &[
                0x1E, 0xA0, 0x01, 0xFF, 139, 139, 0x1E, 0xA0, 0x01, 0xFF, 139, 139, 12, 7, //
                0x1E, 0xA2, 0x50, 0xFF, 12, 9,
            ]
        );
    }

    #[test]
    fn width_carrying_horizontal_and_vertical_moves_become_rmoveto() {
        // -62 88 hmoveto … endchar → -62 88 0 rmoveto … endchar
        assert_eq!(
            first_move_as_rmoveto(&[77, 227, 22, 139, 14]),
            vec![77, 227, 139, 21, 139, 14]
        );
        // w dy vmoveto → w 0 dy rmoveto
        assert_eq!(
            first_move_as_rmoveto(&[77, 227, 4, 14]),
            vec![77, 139, 227, 21, 14]
        );
        // No width (one operand), a width already on rmoveto, a subroutine call first: as is.
        for unchanged in [
            &[227u8, 22, 14][..],
            &[77, 227, 139, 21, 14],
            &[77, 139, 10, 14],
        ] {
            assert_eq!(first_move_as_rmoveto(unchanged), unchanged.to_vec());
        }
    }

    #[test]
    fn subset_cff_keeps_its_glyphs_with_moves_rewritten() {
        let mut font = PdfFont::new(&FontData::bundled()).unwrap();
        font.encode("1in 微服务");
        let chunk = font.write(Ref::new(1), &mut Ref::new(2)).unwrap();
        let bytes = chunk.as_bytes();
        // Still a CFF program ttf-parser reads, with every glyph.
        assert!(bytes
            .windows(b"CIDFontType0C".len())
            .any(|w| w == b"CIDFontType0C"));
    }

    #[test]
    fn rejects_non_fonts() {
        let data = FontData {
            bytes: std::sync::Arc::new(b"not a font".to_vec()),
            index: 0,
            name: "junk".into(),
        };
        assert!(matches!(
            PdfFont::new(&data).unwrap_err(),
            EmbedError::Parse(_)
        ));
    }

    #[test]
    fn write_is_reproducible() {
        let chunk = |text: &str| {
            let mut font = PdfFont::new(&FontData::bundled()).unwrap();
            font.encode(text);
            font.write(Ref::new(1), &mut Ref::new(2))
                .unwrap()
                .as_bytes()
                .to_vec()
        };
        let a = chunk("0到3000万用户微服务之旅");
        assert_eq!(a, chunk("0到3000万用户微服务之旅"));
        // Subset: a few KB, not the 1.5 MB font.
        assert!(a.len() < 30_000, "{}", a.len());
    }
}
