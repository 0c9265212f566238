//! Handout and notes sheets: the vector content (header, footer, captions, frames, note
//! lines, notes text) around slide images placed by reference. The geometry comes from
//! [`super::handout::sheet`]; this module only draws on it.

use pdf_writer::types::{ArtifactSubtype, ArtifactType, StructRole};
use pdf_writer::{Content, Name, Str};

use super::font::PdfFont;
use super::handout::{Layout, Notes, Rect, Sheet, NOTE_LINE_GAP};
use super::tags::{self, PageTags};
use super::PlacedImage;
use crate::text;
use crate::writer::SlideInfo;

const HEADER_SIZE: f32 = 9.0;
const FOOTER_SIZE: f32 = 8.0;
const CAPTION_SIZE: f32 = 8.0;
const HEADER_GRAY: f32 = 0.25;
const FOOTER_GRAY: f32 = 0.40;
const CAPTION_GRAY: f32 = 0.35;
const NOTES_GRAY: f32 = 0.15;
const FRAME_GRAY: f32 = 0.55;
const FRAME_WIDTH: f32 = 0.5;
const RULE_GRAY: f32 = 0.72;
const RULE_WIDTH: f32 = 0.4;
/// Notes text sizes: the largest that fits, down to the smallest still comfortable on paper.
const NOTES_MAX_SIZE: f32 = 9.5;
const NOTES_PAGE_MAX_SIZE: f32 = 11.0;
const NOTES_MIN_SIZE: f32 = 7.0;

/// Names of the images on one sheet's resources: Im1…Im9.
pub fn image_name(index: usize) -> Vec<u8> {
    format!("Im{}", index + 1).into_bytes()
}

/// What every sheet of one document shares.
pub struct SheetStyle<'a> {
    pub layout: Layout,
    pub geometry: &'a Sheet,
    pub frame: bool,
    pub title: &'a str,
    pub author: Option<&'a str>,
    /// Printed in the footer.
    pub date: &'a str,
    /// Sheets in the document (the title page not counted).
    pub total: usize,
}

/// How a sheet is tagged: each slide a figure with its description (`alts`, in slide
/// order), its notes a paragraph; header, footer, captions, frames and rules artifacts.
pub struct SheetTags<'a> {
    pub tags: &'a mut PageTags,
    pub alts: &'a [String],
}

/// Draw sheet `number` (1-based) holding `slides`, whose images are registered as
/// `image_name(i)`, into the page's one content stream (whatever else the page shows, such as
/// the text layer, is drawn into the same `Content`, so operators can never run together).
pub fn draw_sheet(
    content: &mut Content,
    style: &SheetStyle,
    number: usize,
    slides: &[(SlideInfo, PlacedImage)],
    font: &mut PdfFont,
    font_name: Name,
    tagging: SheetTags,
) {
    let g = style.geometry;

    // Header: the title on the left, the author on the right.
    let author = style
        .author
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            text::ellipsize(a, (g.right - g.left) * 0.35, &|s| {
                font.width(s, HEADER_SIZE)
            })
        });
    let author_room = author
        .as_deref()
        .map(|a| font.width(a, HEADER_SIZE) + 24.0)
        .unwrap_or(0.0);
    let title = text::ellipsize(
        style.title.trim(),
        (g.right - g.left - author_room).max(10.0),
        &|s| font.width(s, HEADER_SIZE),
    );
    // Running headers and footers repeat on every sheet: pagination artifacts, not content
    // a screen reader should read again and again (the document title says it once).
    PageTags::artifact(
        content,
        ArtifactType::Pagination,
        Some(ArtifactSubtype::Header),
    );
    show(
        content,
        font,
        font_name,
        HEADER_SIZE,
        HEADER_GRAY,
        g.left,
        g.header_y,
        &title,
    );
    if let Some(author) = &author {
        let x = g.right - font.width(author, HEADER_SIZE);
        show(
            content,
            font,
            font_name,
            HEADER_SIZE,
            HEADER_GRAY,
            x,
            g.header_y,
            author,
        );
    }
    PageTags::end(content);

    // Footer: the date on the left, "3 / 8" on the right.
    PageTags::artifact(
        content,
        ArtifactType::Pagination,
        Some(ArtifactSubtype::Footer),
    );
    show(
        content,
        font,
        font_name,
        FOOTER_SIZE,
        FOOTER_GRAY,
        g.left,
        g.footer_y,
        style.date,
    );
    let page = format!("{number} / {}", style.total);
    let x = g.right - font.width(&page, FOOTER_SIZE);
    show(
        content,
        font,
        font_name,
        FOOTER_SIZE,
        FOOTER_GRAY,
        x,
        g.footer_y,
        &page,
    );
    PageTags::end(content);

    for (index, (slot, (info, placed))) in g.slots.iter().zip(slides).enumerate() {
        let r = slot.slide;
        let name = image_name(index);
        let alt = tagging.alts.get(index).cloned();
        tagging.tags.begin(
            content,
            StructRole::Figure,
            (index, tags::FIGURE),
            alt,
            None,
        );
        placed.draw(content, Name(&name), r.x, r.y, r.w, r.h);
        PageTags::end(content);
        if style.frame {
            let (x, y, w, h) = placed.fitted(r.x, r.y, r.w, r.h);
            PageTags::artifact(content, ArtifactType::Layout, None);
            content
                .set_stroke_gray(FRAME_GRAY)
                .set_line_width(FRAME_WIDTH)
                .rect(x, y, w, h)
                .stroke();
            PageTags::end(content);
        }
        let label = info.label.trim();
        // The caption is the slide's number, which its figure's description already says.
        if !label.is_empty() {
            PageTags::artifact(content, ArtifactType::Layout, None);
            let label = text::ellipsize(label, r.w, &|s| font.width(s, CAPTION_SIZE));
            let x = slot.caption_x - font.width(&label, CAPTION_SIZE) / 2.0;
            show(
                content,
                font,
                font_name,
                CAPTION_SIZE,
                CAPTION_GRAY,
                x,
                slot.caption_y,
                &label,
            );
            PageTags::end(content);
        }
        if let Some(area) = slot.notes {
            let ruled = style.layout.notes() == Notes::BesideRuled;
            let max_size = if ruled {
                NOTES_MAX_SIZE
            } else {
                NOTES_PAGE_MAX_SIZE
            };
            notes(
                content,
                font,
                font_name,
                area,
                info.notes.trim(),
                max_size,
                ruled,
                (tagging.tags, index),
            );
        }
    }
}

/// Notes text from the top of `area`, wrapped (CJK included) at the largest size that
/// fits; on ruled sheets the note lines continue below the text. The text is one paragraph
/// of the slide in `slot`, the rules artifacts.
#[allow(clippy::too_many_arguments)]
fn notes(
    content: &mut Content,
    font: &mut PdfFont,
    font_name: Name,
    area: Rect,
    notes: &str,
    max_size: f32,
    ruled: bool,
    (tags, slot): (&mut PageTags, usize),
) {
    // Where the text ends; the rules start a line gap below it.
    let mut text_bottom = area.top();
    if !notes.is_empty() {
        tags.begin(content, StructRole::P, (slot, tags::NOTES), None, None);
        let (size, lines) = fit_notes(font, notes, area, max_size);
        let leading = size * 1.4;
        let (ascent, descent) = font.vertical_metrics(size);
        let mut baseline = area.top() - ascent.max(size * 0.8);
        for line in &lines {
            if !line.is_empty() {
                show(
                    content, font, font_name, size, NOTES_GRAY, area.x, baseline, line,
                );
            }
            text_bottom = baseline + descent.min(0.0);
            baseline -= leading;
        }
        PageTags::end(content);
    }
    if ruled {
        PageTags::artifact(content, ArtifactType::Layout, None);
        content
            .set_stroke_gray(RULE_GRAY)
            .set_line_width(RULE_WIDTH);
        // Rules on the sheet-wide grid of NOTE_LINE_GAP from the area's top, so that rows
        // with and without text line up.
        let mut y = area.top() - NOTE_LINE_GAP;
        let mut drawn = false;
        while y >= area.y - 0.01 {
            if y <= text_bottom - NOTE_LINE_GAP * 0.5 {
                content.move_to(area.x, y).line_to(area.right(), y);
                drawn = true;
            }
            y -= NOTE_LINE_GAP;
        }
        if drawn {
            content.stroke();
        }
        PageTags::end(content);
    }
}

/// The size (from `max_size` down to NOTES_MIN_SIZE in half points) and lines with which
/// `notes` fit in `area`; cut with an ellipsis if even the smallest size does not fit.
fn fit_notes(font: &PdfFont, notes: &str, area: Rect, max_size: f32) -> (f32, Vec<String>) {
    let mut size = max_size;
    loop {
        let measure = |s: &str| font.width(s, size);
        let leading = size * 1.4;
        // The first line takes its ascent, each further one a leading.
        let max_lines = (((area.h - size) / leading).floor() as usize + 1).max(1);
        let lines = text::wrap(notes, area.w, &measure);
        if lines.len() <= max_lines {
            return (size, lines);
        }
        if size <= NOTES_MIN_SIZE {
            return (size, text::wrap_lines(notes, area.w, max_lines, &measure));
        }
        size = (size - 0.5).max(NOTES_MIN_SIZE);
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn show(
    content: &mut Content,
    font: &mut PdfFont,
    font_name: Name,
    size: f32,
    gray: f32,
    x: f32,
    baseline: f32,
    text: &str,
) {
    if text.is_empty() {
        return;
    }
    let bytes = font.encode(text);
    content
        .begin_text()
        .set_font(font_name, size)
        .set_fill_gray(gray)
        .next_line(x, baseline)
        .show(Str(&bytes))
        .end_text();
}
