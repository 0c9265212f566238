//! The title page: display title, author, event and date, slide count and source.
//!
//! One left-aligned column on a white page. The title is the largest size at which it
//! fits in three balanced lines (five on a portrait sheet) (CJK line breaking); an accent bar above it and a
//! hairline above the footer frame the page. Every size and margin scales with the
//! page's short side, so the layout holds for 16:9 and 4:3 slides and for A4/Letter
//! sheets in either orientation.

use pdf_writer::types::{ArtifactType, StructRole};
use pdf_writer::{Content, Name, Str};

use super::font::PdfFont;
use super::tags::PageTags;
use crate::model::DeckMeta;
use crate::text;

/// What a title page shows: a deck's or a collection's metadata, the count line at its foot
/// ("45 slides", "12 talks · 540 slides") and the structure role of its title (H1 for the
/// book's own title page, H2 for a talk's inside an anthology).
pub struct TitleCard<'a> {
    pub meta: &'a DeckMeta,
    pub count: String,
    pub heading: StructRole,
}

/// Text colours (grey levels) and the accent, dark on white and restrained.
const TITLE_GRAY: f32 = 0.13;
const AUTHOR_GRAY: f32 = 0.22;
const DETAIL_GRAY: f32 = 0.40;
const FOOTER_GRAY: f32 = 0.45;
const RULE_GRAY: f32 = 0.78;
const ACCENT_RGB: (f32, f32, f32) = (0.17, 0.37, 0.60);

/// One line of text to set, with the space it takes.
struct Line {
    text: String,
    size: f32,
    gray: f32,
    /// Baseline-to-baseline distance to the next line of the same group.
    leading: f32,
}

pub fn title_page(
    card: &TitleCard<'_>,
    width: f32,
    height: f32,
    font: &mut super::font::PdfFont,
    font_name: pdf_writer::Name,
    tags: &mut PageTags,
) -> Vec<u8> {
    let layout = Layout::new(width, height);
    let mut content = Content::new();
    let (block, footer) = compose(card, &layout, font);

    // Footer first, from the bottom margin up: the source, then the slide count.
    let mut baseline = layout.margin_bottom;
    let mut footer_top = baseline;
    // Read after the block above it, in its own order (it is drawn from the bottom up).
    let footer_lines = footer.len();
    for (i, line) in footer.iter().rev().enumerate() {
        if i > 0 {
            baseline += line.leading;
        }
        tags.begin(
            &mut content,
            StructRole::P,
            (1, (footer_lines - 1 - i) as u8),
            None,
            None,
        );
        draw(
            &mut content,
            font,
            font_name,
            line,
            layout.margin_x,
            baseline,
        );
        PageTags::end(&mut content);
        footer_top = baseline + top_extent(font, Some(line));
    }
    let rule_y = footer_top + 14.0 * layout.unit;
    // The rule and the accent bar are decoration.
    PageTags::artifact(&mut content, ArtifactType::Layout, None);
    content
        .set_stroke_gray(RULE_GRAY)
        .set_line_width(0.6 * layout.unit.min(1.5))
        .move_to(layout.margin_x, rule_y)
        .line_to(width - layout.margin_x, rule_y)
        .stroke();
    PageTags::end(&mut content);

    // The title block sits a little above the middle of the space above the rule.
    let accent_height = 4.0 * layout.unit;
    let accent_gap = 22.0 * layout.unit;
    let block_height = accent_height + accent_gap + block_height(font, &block);
    let region_top = height - layout.margin_top;
    let region_bottom = rule_y + 28.0 * layout.unit;
    let spare = (region_top - region_bottom - block_height).max(0.0);
    // Slightly above the middle; higher on a portrait sheet, where the page is tall.
    let top = region_top - spare * if height > width * 1.1 { 0.3 } else { 0.42 };

    let (r, g, b) = ACCENT_RGB;
    PageTags::artifact(&mut content, ArtifactType::Layout, None);
    content
        .set_fill_rgb(r, g, b)
        .rect(
            layout.margin_x,
            top - accent_height,
            48.0 * layout.unit,
            accent_height,
        )
        .fill_nonzero();
    PageTags::end(&mut content);

    let mut y = top - accent_height - accent_gap;
    for (index, group) in block.iter().enumerate() {
        y -= group.gap_before;
        // One element for the group's lines: a title set over three lines is one heading.
        tags.begin(&mut content, group.role, (0, index as u8), None, None);
        for (i, line) in group.lines.iter().enumerate() {
            let baseline = if i == 0 {
                y - top_extent(font, Some(line))
            } else {
                y - line.leading
            };
            draw(
                &mut content,
                font,
                font_name,
                line,
                layout.margin_x,
                baseline,
            );
            y = baseline;
        }
        PageTags::end(&mut content);
        // Continue from the group's last baseline plus its descent.
        if let Some(last) = group.lines.last() {
            y -= 0.22 * last.size;
        }
    }
    content.finish().into_vec()
}

/// Page geometry, scaled by the short side (540 pt for a 960×540 slide).
struct Layout {
    unit: f32,
    margin_x: f32,
    margin_top: f32,
    margin_bottom: f32,
    content_width: f32,
    /// Slides take three title lines at most; a portrait sheet has room for five.
    title_lines: usize,
}

impl Layout {
    fn new(width: f32, height: f32) -> Layout {
        let unit = (width.min(height) / 540.0).max(0.2);
        let margin_x = (width * 0.08).max(24.0 * unit);
        Layout {
            unit,
            margin_x,
            margin_top: height * 0.11,
            margin_bottom: height * 0.09,
            content_width: (width - 2.0 * margin_x).max(10.0),
            title_lines: if height > width * 1.1 { 5 } else { 3 },
        }
    }
}

/// Lines set together, with the space above the group.
struct Group {
    /// The title is the document's heading; author and details are paragraphs.
    role: StructRole,
    gap_before: f32,
    lines: Vec<Line>,
}

/// The centred block (title, author, event · date) and the footer lines (count, source).
fn compose(card: &TitleCard<'_>, layout: &Layout, font: &PdfFont) -> (Vec<Group>, Vec<Line>) {
    let unit = layout.unit;
    let width = layout.content_width;
    let meta = card.meta;
    let mut block = Vec::new();

    let title = meta.title.trim();
    if !title.is_empty() {
        let fitted = text::fit(
            title,
            width,
            layout.title_lines,
            46.0 * unit,
            20.0 * unit,
            &|s, size| font.width(s, size),
        );
        let leading = fitted.size
            * if crate::script::has_cjk(title) {
                1.3
            } else {
                1.18
            };
        block.push(Group {
            role: card.heading,
            gap_before: 0.0,
            lines: fitted
                .lines
                .into_iter()
                .map(|text| Line {
                    text,
                    size: fitted.size,
                    gray: TITLE_GRAY,
                    leading,
                })
                .collect(),
        });
    }

    let author_size = 22.0 * unit;
    let author_line = meta.author_line();
    if let Some(author) = non_empty(author_line.as_deref()) {
        block.push(Group {
            role: StructRole::P,
            gap_before: 30.0 * unit,
            lines: lines(author, width, 2, author_size, AUTHOR_GRAY, 1.3, font),
        });
    }

    // An anthology named after its event would say the event twice.
    let event = non_empty(meta.event.as_deref()).filter(|e| *e != title);
    let details: Vec<&str> = [event, meta.date.as_deref()]
        .into_iter()
        .filter_map(non_empty)
        .collect();
    if !details.is_empty() {
        let gap = if non_empty(author_line.as_deref()).is_some() {
            10.0 * unit
        } else {
            30.0 * unit
        };
        block.push(Group {
            role: StructRole::P,
            gap_before: gap,
            lines: lines(
                &details.join(&separator(font)),
                width,
                2,
                16.0 * unit,
                DETAIL_GRAY,
                1.35,
                font,
            ),
        });
    }

    let footer_size = 11.0 * unit;
    let mut footer = vec![Line {
        text: card.count.clone(),
        size: footer_size,
        gray: FOOTER_GRAY,
        leading: footer_size * 1.45,
    }];
    if let Some(source) = non_empty(meta.source.as_deref()) {
        footer.extend(lines(
            source,
            width,
            2,
            footer_size,
            FOOTER_GRAY,
            1.45,
            font,
        ));
    }
    (block, footer)
}

fn lines(
    s: &str,
    width: f32,
    max_lines: usize,
    size: f32,
    gray: f32,
    leading: f32,
    font: &PdfFont,
) -> Vec<Line> {
    text::wrap_lines(s, width, max_lines, &|t| font.width(t, size))
        .into_iter()
        .map(|text| Line {
            text,
            size,
            gray,
            leading: size * leading,
        })
        .collect()
}

/// A middle dot with room around it; CJK fonts draw it full-width, with room built in.
fn separator(font: &PdfFont) -> String {
    if font.width("·", 1.0) > 0.6 {
        " · ".to_string()
    } else {
        "  ·  ".to_string()
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Height of the block from the top of its first line to the bottom of its last.
fn block_height(font: &PdfFont, block: &[Group]) -> f32 {
    let mut height = 0.0;
    for group in block {
        height += group.gap_before;
        for (i, line) in group.lines.iter().enumerate() {
            height += if i == 0 {
                top_extent(font, Some(line))
            } else {
                line.leading
            };
        }
        if let Some(last) = group.lines.last() {
            height += 0.22 * last.size;
        }
    }
    height
}

/// How far a line's ink rises above its baseline: ideographs reach higher than capitals.
fn top_extent(font: &PdfFont, line: Option<&Line>) -> f32 {
    match line {
        Some(line) if crate::script::has_cjk(&line.text) => 0.88 * line.size,
        Some(line) => font.cap_height(line.size),
        None => 0.0,
    }
}

fn draw(
    content: &mut Content,
    font: &mut PdfFont,
    font_name: Name,
    line: &Line,
    x: f32,
    baseline: f32,
) {
    if line.text.is_empty() {
        return;
    }
    let bytes = font.encode(&line.text);
    content
        .begin_text()
        .set_font(font_name, line.size)
        .set_fill_gray(line.gray)
        .next_line(x, baseline)
        .show(Str(&bytes))
        .end_text();
}
