//! An anthology's contents: one line per talk (number, title, speakers) and the page it
//! starts on, over as many pages as the talks need.
//!
//! Same column, colours and scale as the title page, so the two read as one front matter.
//! Every text is real content (tagged: an H2 heading, then one paragraph per talk, in
//! reading order); the dotted leaders are decoration.

use pdf_writer::types::{ArtifactType, StructRole};
use pdf_writer::{Content, Name};

use super::font::PdfFont;
use super::sheet;
use super::tags::PageTags;
use crate::text;

const HEADING_GRAY: f32 = 0.13;
const TITLE_GRAY: f32 = 0.18;
const SPEAKER_GRAY: f32 = 0.42;
const LEADER_GRAY: f32 = 0.70;

/// One talk as the contents list it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// 1-based talk number.
    pub number: usize,
    pub title: String,
    pub speakers: Option<String>,
    /// The page the talk starts on, as printed (1-based physical page number).
    pub page: usize,
}

/// Geometry of a contents page, scaled like the title page (by the short side).
struct Geometry {
    unit: f32,
    margin_x: f32,
    margin_top: f32,
    margin_bottom: f32,
    heading_size: f32,
    title_size: f32,
    speaker_size: f32,
    /// Height one entry takes (title line, speaker line, gap).
    entry_height: f32,
}

impl Geometry {
    fn new(width: f32, height: f32) -> Self {
        let unit = width.min(height) / 540.0;
        let title_size = 15.0 * unit;
        let speaker_size = 11.0 * unit;
        Geometry {
            unit,
            margin_x: 64.0 * unit,
            margin_top: 52.0 * unit,
            margin_bottom: 40.0 * unit,
            heading_size: 26.0 * unit,
            title_size,
            speaker_size,
            entry_height: title_size * 1.3 + speaker_size * 1.35 + 7.0 * unit,
        }
    }

    /// Where the first entry's block starts, below the heading.
    fn list_top(&self, height: f32) -> f32 {
        height - self.margin_top - self.heading_size * 1.1 - 20.0 * self.unit
    }
}

/// How many talks one contents page of this size holds (at least one).
pub fn entries_per_page(width: f32, height: f32) -> usize {
    let g = Geometry::new(width, height);
    let room = g.list_top(height) - g.margin_bottom;
    ((room / g.entry_height).floor() as usize).max(1)
}

/// How many contents pages `talks` talks take on pages of this size.
pub fn page_count(talks: usize, width: f32, height: f32) -> usize {
    talks.div_ceil(entries_per_page(width, height)).max(1)
}

/// One contents page: `heading` ("Contents") and its entries. Returns the content stream.
pub fn contents_page(
    heading: &str,
    entries: &[Entry],
    width: f32,
    height: f32,
    font: &mut PdfFont,
    font_name: Name,
    tags: &mut PageTags,
) -> Vec<u8> {
    let g = Geometry::new(width, height);
    let mut content = Content::new();
    let column = width - 2.0 * g.margin_x;

    let baseline = height - g.margin_top - g.heading_size * 0.88;
    tags.begin(&mut content, StructRole::H2, (0, 0), None, None);
    sheet::show(
        &mut content,
        font,
        font_name,
        g.heading_size,
        HEADING_GRAY,
        g.margin_x,
        baseline,
        heading,
    );
    PageTags::end(&mut content);

    let number_width = font.width("000  ", g.title_size);
    let page_width = font.width("0000", g.title_size);
    let mut top = g.list_top(height);
    for (i, entry) in entries.iter().enumerate() {
        let title_baseline = top - g.title_size * 0.95;
        let page_text = entry.page.to_string();
        let page_x = width - g.margin_x - font.width(&page_text, g.title_size);
        // The title takes what the number and the page leave, cut with `…` if longer.
        let title_room = (column - number_width - page_width - 12.0 * g.unit).max(g.title_size);
        let title = text::ellipsize(entry.title.trim(), title_room, &|t| {
            font.width(t, g.title_size)
        });
        let title_x = g.margin_x + number_width;
        // One paragraph per talk: number, title, page, speakers read together.
        tags.begin(
            &mut content,
            StructRole::P,
            (1, i.min(255) as u8),
            None,
            None,
        );
        sheet::show(
            &mut content,
            font,
            font_name,
            g.title_size,
            SPEAKER_GRAY,
            g.margin_x,
            title_baseline,
            &format!("{}", entry.number),
        );
        sheet::show(
            &mut content,
            font,
            font_name,
            g.title_size,
            TITLE_GRAY,
            title_x,
            title_baseline,
            &title,
        );
        sheet::show(
            &mut content,
            font,
            font_name,
            g.title_size,
            TITLE_GRAY,
            page_x,
            title_baseline,
            &page_text,
        );
        if let Some(speakers) = entry.speakers.as_deref().filter(|s| !s.trim().is_empty()) {
            let line = text::ellipsize(speakers.trim(), column - number_width, &|t| {
                font.width(t, g.speaker_size)
            });
            sheet::show(
                &mut content,
                font,
                font_name,
                g.speaker_size,
                SPEAKER_GRAY,
                title_x,
                title_baseline - g.title_size * 1.3,
                &line,
            );
        }
        PageTags::end(&mut content);
        // A dotted leader from the title to its page: decoration.
        let leader_start = title_x + font.width(&title, g.title_size) + 6.0 * g.unit;
        let leader_end = page_x - 6.0 * g.unit;
        if leader_end > leader_start {
            PageTags::artifact(&mut content, ArtifactType::Layout, None);
            content
                .set_stroke_gray(LEADER_GRAY)
                .set_line_width(0.8 * g.unit)
                .set_dash_pattern([0.8 * g.unit, 3.2 * g.unit], 0.0)
                .move_to(leader_start, title_baseline + 1.5 * g.unit)
                .line_to(leader_end, title_baseline + 1.5 * g.unit)
                .stroke()
                .set_dash_pattern([], 0.0);
            PageTags::end(&mut content);
        }
        top -= g.entry_height;
    }
    content.finish().into_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_pages_hold_every_talk() {
        // A 16:9 slide page holds a dozen-odd talks; 130 talks take several pages.
        let per_page = entries_per_page(960.0, 540.0);
        assert!((8..=20).contains(&per_page), "{per_page}");
        assert_eq!(page_count(1, 960.0, 540.0), 1);
        assert_eq!(page_count(130, 960.0, 540.0), 130usize.div_ceil(per_page));
        // A portrait A4 sheet holds more than a landscape slide page.
        assert!(entries_per_page(595.0, 842.0) > per_page);
    }
}
