//! The invisible text layer of `--ocr` (as OCRmyPDF and Tesseract make it): every recognised
//! word is set over its place on the slide image in text render mode 3 (neither filled nor
//! stroked), stretched to the word's box, so viewers find and select words where they are
//! seen, and `pdftotext` and pdf.js read each slide's text in reading order. The image
//! stays as it is.
//!
//! The font is "glyphless" (`assets/fonts/glyphless.ttf`, made by
//! `scripts/make-glyphless-font.py`): every character code maps to one empty glyph 500 units
//! wide, and a ToUnicode CMap maps each code back to its character. Codes are given out per
//! document in first-use order, so any character, CJK or not, in or beyond the BMP, costs
//! one code and one CMap entry, and no glyph data.

use std::collections::HashMap;

use pdf_writer::types::{
    CidFontType, FontFlags, StructRole, SystemInfo, TextRenderingMode, UnicodeCmap,
};
use pdf_writer::writers::WMode;
use pdf_writer::{Chunk, Content, Filter, Finish, Name, Rect, Ref, Str};

use super::deflate;
use super::tags::PageTags;
use crate::ocr::{Line, PageText, Word};

const GLYPHLESS: &[u8] = include_bytes!("../../../assets/fonts/glyphless.ttf");
const BASE_FONT: &[u8] = b"GlyphLessFont";
/// Each code's advance, in thousandths of the font size (the font's glyph is 500 of 1000).
const ADVANCE: f32 = 0.5;
const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// The codes used so far; written once, after the pages.
#[derive(Debug, Default)]
pub struct TextLayerFont {
    codes: HashMap<char, u16>,
    /// Characters by code − 1.
    chars: Vec<char>,
}

impl TextLayerFont {
    /// The two-byte codes of `text` (Identity-H). Past 65,535 distinct characters in one
    /// document (more than any script has), further ones share the last code.
    fn encode(&mut self, text: &str, out: &mut Vec<u8>) {
        for c in text.chars() {
            let next = self.chars.len() + 1;
            let code = *self.codes.entry(c).or_insert_with(|| {
                if next <= usize::from(u16::MAX) {
                    self.chars.push(c);
                    next as u16
                } else {
                    u16::MAX
                }
            });
            out.extend_from_slice(&code.to_be_bytes());
        }
    }

    /// Type0 font at `font_ref` with its CIDFont, descriptor, font file, CIDToGIDMap and
    /// ToUnicode; the other objects' refs come from `alloc`.
    pub fn write(&self, font_ref: Ref, alloc: &mut Ref) -> Chunk {
        let cid_ref = alloc.bump();
        let descriptor_ref = alloc.bump();
        let file_ref = alloc.bump();
        let gid_map_ref = alloc.bump();
        let cmap_ref = alloc.bump();
        let mut chunk = Chunk::new();
        chunk
            .type0_font(font_ref)
            .base_font(Name(BASE_FONT))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);
        let mut cid = chunk.cid_font(cid_ref);
        cid.subtype(CidFontType::Type2)
            .base_font(Name(BASE_FONT))
            .system_info(SYSTEM_INFO)
            .font_descriptor(descriptor_ref)
            .default_width(ADVANCE * 1000.0);
        cid.pair(Name(b"CIDToGIDMap"), gid_map_ref);
        cid.finish();
        chunk
            .font_descriptor(descriptor_ref)
            .name(Name(BASE_FONT))
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(0.0, 0.0, ADVANCE * 1000.0, 1000.0))
            .italic_angle(0.0)
            .ascent(1000.0)
            .descent(0.0)
            .cap_height(1000.0)
            .stem_v(80.0)
            .font_file2(file_ref);
        chunk
            .stream(file_ref, &deflate(GLYPHLESS))
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), GLYPHLESS.len() as i32);
        // Code 0 is .notdef; every code in use shows glyph 1, the empty one.
        let mut gid_map = vec![0u8, 0];
        for _ in &self.chars {
            gid_map.extend_from_slice(&[0, 1]);
        }
        chunk
            .stream(gid_map_ref, &deflate(&gid_map))
            .filter(Filter::FlateDecode);
        let mut cmap = UnicodeCmap::new(Name(b"GlyphLess-UCS"), SYSTEM_INFO);
        for (i, &c) in self.chars.iter().enumerate() {
            cmap.pair(i as u16 + 1, c);
        }
        chunk
            .cmap(cmap_ref, &deflate(cmap.finish().as_slice()))
            .writing_mode(WMode::Horizontal)
            .filter(Filter::FlateDecode);
        chunk
    }
}

/// How a slide's text layer is tagged: each recognised line is an element of its own, the
/// heading line a heading, the others paragraphs, after the slide's figure.
pub struct LayerTags<'a> {
    pub tags: &'a mut PageTags,
    /// The slide's slot on the page (its place in the reading order).
    pub slot: usize,
    pub heading: StructRole,
    /// The document's language, against which each line's is compared.
    pub lang: &'a str,
}

/// Set `page`'s words invisibly over the image drawn in the box (x, y, w, h) in points
/// (the image's upright pixels scaled to it), with the glyphless font as `font_name`.
pub fn draw(
    content: &mut Content,
    font: &mut TextLayerFont,
    font_name: Name,
    page: &PageText,
    (x, y, w, h): (f32, f32, f32, f32),
    tagging: &mut LayerTags,
) {
    if page.lines.is_empty() || page.width == 0 || page.height == 0 {
        return;
    }
    let sx = w / page.width as f32;
    let sy = h / page.height as f32;
    let heading = page.heading();
    let mut codes = Vec::new();
    for line in &page.lines {
        let words = spaced_words(line);
        if words.iter().all(|(word, _)| word.text.is_empty()) {
            continue;
        }
        // The text is real content, read once: the slide's figure is described by its
        // number and the talk, not by this text again.
        let role = if heading.is_some_and(|h| std::ptr::eq(h, line)) {
            tagging.heading
        } else {
            StructRole::P
        };
        let lang = super::tags::line_language(&line.text, tagging.lang);
        tagging
            .tags
            .begin(content, role, (tagging.slot, super::tags::TEXT), None, lang);
        content.begin_text();
        content.set_text_rendering_mode(TextRenderingMode::Invisible);
        content.set_font(font_name, 1.0);
        let size = (line.bbox.height() * sy).max(1.0);
        let baseline = y + h - line.bbox.bottom * sy;
        for (i, (word, spaced)) in words.iter().enumerate() {
            let next = words.get(i + 1).map(|(w, _)| w);
            // A word reaches to where the next begins, with the space between them in its
            // text, so extraction puts exactly the line's spaces back.
            let right = next.map_or(word.bbox.right, |n| n.bbox.left.max(word.bbox.right));
            let width = ((right - word.bbox.left) * sx).max(0.1);
            let mut text = word.text.clone();
            if *spaced {
                text.push(' ');
            }
            let count = text.chars().count().max(1) as f32;
            let stretch = width / (count * ADVANCE * size);
            codes.clear();
            font.encode(&text, &mut codes);
            content.set_text_matrix([
                stretch * size,
                0.0,
                0.0,
                size,
                x + word.bbox.left * sx,
                baseline,
            ]);
            content.show(Str(&codes));
        }
        content.end_text();
        PageTags::end(content);
    }
}

/// A line's words, each with whether a space follows it in the line's text (so the layer
/// gives back exactly the recognised spacing: `使用Kafka` stays one run, `服务 A` keeps its
/// space). A line the engine gave no words for is one word.
fn spaced_words(line: &Line) -> Vec<(Word, bool)> {
    if line.words.is_empty() {
        return vec![(
            Word {
                text: line.text.trim().to_string(),
                bbox: line.bbox,
            },
            false,
        )];
    }
    let text = line.text.as_str();
    let mut cursor = 0;
    let mut out = Vec::with_capacity(line.words.len());
    for word in &line.words {
        let spaced = match text[cursor..].find(word.text.as_str()) {
            Some(at) => {
                cursor += at + word.text.len();
                text[cursor..].starts_with(char::is_whitespace)
            }
            None => true,
        };
        out.push((word.clone(), spaced));
    }
    if let Some(last) = out.last_mut() {
        last.1 = false;
    }
    out
}
