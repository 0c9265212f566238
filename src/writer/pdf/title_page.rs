//! Stub until the fonts branch lands: the real module lays out the title page.

use pdf_writer::{Content, Name, Str};

/// Content stream of the title page; text uses the font resource named `font_name`.
pub fn title_page(
    book: &crate::writer::Book,
    width: f32,
    height: f32,
    font: &mut super::font::PdfFont,
    font_name: Name,
) -> Vec<u8> {
    let mut content = Content::new();
    content.begin_text();
    content.set_font(font_name, 24.0);
    content.next_line(width * 0.1, height * 0.6);
    content.show(Str(&font.encode(&book.meta.title)));
    content.end_text();
    content.finish().into_vec()
}
