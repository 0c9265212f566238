//! Stub until the fonts branch lands: the real module subsets and embeds the font.

use pdf_writer::{Chunk, Name, Ref};

pub struct PdfFont {}

impl PdfFont {
    pub fn new(data: &crate::fonts::FontData) -> Result<Self, String> {
        let _ = data;
        Ok(PdfFont {})
    }

    /// Advance width of `text` at `size` pt (for layout).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().count() as f32 * size * 0.5
    }

    /// Bytes for a show-text operation; records the glyphs used.
    pub fn encode(&mut self, text: &str) -> Vec<u8> {
        text.bytes().filter(u8::is_ascii).collect()
    }

    /// The font objects, Type0 at `font_ref`; other refs from `alloc`.
    pub fn write(&self, font_ref: Ref, alloc: &mut Ref) -> Result<Chunk, String> {
        let _ = alloc;
        let mut chunk = Chunk::new();
        chunk.type1_font(font_ref).base_font(Name(b"Helvetica"));
        Ok(chunk)
    }
}
