//! Handout geometry: where slides, captions, note lines, header and footer go on a sheet.
//! Pure arithmetic in PDF points (1/72 in), origin at the bottom left, so it is tested alone.

use std::fmt;
use std::str::FromStr;

const MM: f32 = 72.0 / 25.4;

/// Every office printer prints at least this far from the edge.
pub const MARGIN: f32 = 12.0 * MM;
const HEADER: f32 = 9.0 * MM;
const FOOTER: f32 = 8.0 * MM;
/// Space between cells, and under each slide for its number.
const GUTTER: f32 = 7.0 * MM;
const CAPTION: f32 = 5.0 * MM;

/// Where a sheet puts each slide's notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notes {
    /// No notes: slides in a grid.
    None,
    /// Beside each slide, with ruled lines for the reader's own (PowerPoint's 3-up handout).
    BesideRuled,
    /// Beneath the slide, as running text.
    Below,
}

/// A sheet layout: its name on the command line, slides per sheet and where notes go.
#[derive(Debug, PartialEq, Eq)]
pub struct SheetSpec {
    pub name: &'static str,
    pub slides: u8,
    pub notes: Notes,
    /// Pages are labelled with their slide's own label (`4`, `5`, …), as in the slides layout:
    /// a notes page is a slide with its notes. Handouts number their sheets.
    pub slide_labels: bool,
}

/// Every sheet layout, one line each.
pub static SHEET_LAYOUTS: &[SheetSpec] = &[
    SheetSpec {
        name: "handout-1",
        slides: 1,
        notes: Notes::None,
        slide_labels: false,
    },
    SheetSpec {
        name: "handout-2",
        slides: 2,
        notes: Notes::None,
        slide_labels: false,
    },
    SheetSpec {
        name: "handout-3",
        slides: 3,
        notes: Notes::BesideRuled,
        slide_labels: false,
    },
    SheetSpec {
        name: "handout-4",
        slides: 4,
        notes: Notes::None,
        slide_labels: false,
    },
    SheetSpec {
        name: "handout-6",
        slides: 6,
        notes: Notes::None,
        slide_labels: false,
    },
    SheetSpec {
        name: "handout-9",
        slides: 9,
        notes: Notes::None,
        slide_labels: false,
    },
    SheetSpec {
        name: "notes",
        slides: 1,
        notes: Notes::Below,
        slide_labels: true,
    },
];

/// How slides are put on pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// One slide per page, the page slide-sized (no sheet).
    #[default]
    Slides,
    /// Slides on printable sheets, as one of [`SHEET_LAYOUTS`] says.
    Sheets(&'static SheetSpec),
}

/// `--layout` named a layout deckconv does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown layout '{0}' (slides, {names})", names = sheet_layout_names())]
pub struct UnknownLayout(pub String);

fn sheet_layout_names() -> String {
    let names: Vec<&str> = SHEET_LAYOUTS.iter().map(|spec| spec.name).collect();
    names.join(", ")
}

impl FromStr for Layout {
    type Err = UnknownLayout;

    fn from_str(s: &str) -> Result<Self, UnknownLayout> {
        if s == "slides" {
            return Ok(Layout::Slides);
        }
        match SHEET_LAYOUTS.iter().find(|spec| spec.name == s) {
            Some(spec) => Ok(Layout::Sheets(spec)),
            None => Err(UnknownLayout(s.to_string())),
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Layout::Slides => f.write_str("slides"),
            Layout::Sheets(spec) => f.write_str(spec.name),
        }
    }
}

impl Layout {
    pub fn slides_per_sheet(self) -> usize {
        match self {
            Layout::Slides => 1,
            Layout::Sheets(spec) => usize::from(spec.slides),
        }
    }

    /// Whether pages carry their slide's label rather than a sheet number.
    pub fn labels_pages_by_slide(self) -> bool {
        match self {
            Layout::Slides => true,
            Layout::Sheets(spec) => spec.slide_labels,
        }
    }

    /// Where notes go on its sheets.
    pub fn notes(self) -> Notes {
        match self {
            Layout::Slides => Notes::None,
            Layout::Sheets(spec) => spec.notes,
        }
    }
}

/// Paper size in points, portrait (width ≤ height).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    pub width: f32,
    pub height: f32,
}

impl Paper {
    pub const A4: Paper = Paper {
        width: 210.0 * MM,
        height: 297.0 * MM,
    };
    pub const A3: Paper = Paper {
        width: 297.0 * MM,
        height: 420.0 * MM,
    };
    pub const LETTER: Paper = Paper {
        width: 612.0,
        height: 792.0,
    };
    pub const LEGAL: Paper = Paper {
        width: 612.0,
        height: 1008.0,
    };

    /// The locale's paper: the US and Canada print on Letter, everyone else on A4.
    pub fn from_locale(lc_paper: Option<&str>, lang: Option<&str>) -> Paper {
        let locale = lc_paper.filter(|s| !s.is_empty()).or(lang).unwrap_or("");
        let region = locale
            .split(['.', '@'])
            .next()
            .and_then(|l| l.split('_').nth(1))
            .unwrap_or("");
        match region {
            "US" | "CA" => Paper::LETTER,
            _ => Paper::A4,
        }
    }
}

/// `--paper` named no paper deckconv knows, or one no printer takes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaperError {
    #[error(
        "paper '{0}': use a4, letter, a3, legal, or WxH in mm or in (e.g. 210x297mm, 8.5x11in)"
    )]
    Unknown(String),
    #[error("paper '{0}': between 100 mm and 1200 mm a side, please")]
    OutOfRange(String),
}

impl FromStr for Paper {
    type Err = PaperError;

    /// `a4`, `letter`, `a3`, `legal`, or `WxH` with a unit: `210x297mm`, `8.5x11in`.
    fn from_str(s: &str) -> Result<Self, PaperError> {
        let lower = s.trim().to_ascii_lowercase();
        let named = match lower.as_str() {
            "a4" => Some(Paper::A4),
            "a3" => Some(Paper::A3),
            "letter" => Some(Paper::LETTER),
            "legal" => Some(Paper::LEGAL),
            _ => None,
        };
        if let Some(p) = named {
            return Ok(p);
        }
        let bad = || PaperError::Unknown(s.to_string());
        let (dims, unit) = if let Some(d) = lower.strip_suffix("mm") {
            (d, MM)
        } else if let Some(d) = lower.strip_suffix("in") {
            (d, 72.0)
        } else {
            return Err(bad());
        };
        let (w, h) = dims.split_once('x').ok_or_else(bad)?;
        let w: f32 = w.trim().parse().map_err(|_| bad())?;
        let h: f32 = h.trim().parse().map_err(|_| bad())?;
        let (w, h) = (w * unit, h * unit);
        // Smaller than a postcard leaves no room for a slide; larger than A0 is no printer's.
        if !(w.is_finite() && h.is_finite()) || w.min(h) < 100.0 * MM || w.max(h) > 1200.0 * MM {
            return Err(PaperError::OutOfRange(s.to_string()));
        }
        Ok(Paper {
            width: w.min(h),
            height: w.max(h),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Orientation {
    /// Whichever shows the slides largest.
    #[default]
    Auto,
    Portrait,
    Landscape,
}

/// Reading order of slides on a 4/6/9 sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Left to right, then down (rows first).
    #[default]
    Horizontal,
    /// Top to bottom, then right (columns first).
    Vertical,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    pub fn top(&self) -> f32 {
        self.y + self.h
    }
    #[cfg(test)]
    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() - 0.01
            && o.x < self.right() - 0.01
            && self.y < o.top() - 0.01
            && o.y < self.top() - 0.01
    }
}

/// One slide's place on a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// The slide's image, aspect kept.
    pub slide: Rect,
    /// Baseline position of the slide's number, centred under the slide.
    pub caption_x: f32,
    pub caption_y: f32,
    /// Where notes go (handout-3 beside the slide, notes layout beneath); ruled lines are
    /// drawn there on handout-3.
    pub notes: Option<Rect>,
}

/// The geometry shared by every sheet of a handout.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub width: f32,
    pub height: f32,
    /// Baseline of the header (deck title) and footer (page number, date).
    pub header_y: f32,
    pub footer_y: f32,
    pub left: f32,
    pub right: f32,
    pub slots: Vec<Slot>,
}

/// Spacing of the ruled note lines on handout-3.
pub const NOTE_LINE_GAP: f32 = 8.0 * MM;

/// Lay out a sheet for slides of aspect `slide_w / slide_h`.
pub fn sheet(
    layout: Layout,
    paper: Paper,
    orientation: Orientation,
    order: Order,
    slide_aspect: f32,
) -> Sheet {
    let aspect = if slide_aspect.is_finite() && slide_aspect > 0.0 {
        slide_aspect
    } else {
        16.0 / 9.0
    };
    let candidates = match orientation {
        Orientation::Portrait => vec![false],
        Orientation::Landscape => vec![true],
        Orientation::Auto => vec![false, true],
    };
    let mut best: Option<(f32, Sheet)> = None;
    for landscape in candidates {
        let (w, h) = if landscape {
            (paper.height, paper.width)
        } else {
            (paper.width, paper.height)
        };
        let sheet = sheet_on(layout, w, h, order, aspect);
        let area = sheet
            .slots
            .first()
            .map(|s| s.slide.w * s.slide.h)
            .unwrap_or(0.0);
        // Prefer portrait on a tie: it is how handouts are filed.
        if best.as_ref().is_none_or(|(a, _)| area > *a * 1.01) {
            best = Some((area, sheet));
        }
    }
    best.map(|(_, s)| s)
        .unwrap_or_else(|| sheet_on(layout, paper.width, paper.height, order, aspect))
}

fn sheet_on(layout: Layout, width: f32, height: f32, order: Order, aspect: f32) -> Sheet {
    let left = MARGIN;
    let right = width - MARGIN;
    let header_y = height - MARGIN - HEADER * 0.6;
    let footer_y = MARGIN;
    // The area between header and footer that slides may use.
    let area = Rect {
        x: left,
        y: MARGIN + FOOTER,
        w: right - left,
        h: height - 2.0 * MARGIN - HEADER - FOOTER,
    };
    let n = layout.slides_per_sheet();
    let slots = match layout.notes() {
        Notes::BesideRuled => with_notes_beside(area, n, aspect),
        Notes::Below => with_notes_below(area, aspect),
        Notes::None if n <= 1 => grid(area, 1, 1, order, aspect),
        Notes::None => {
            let (cols, rows) = grid_shape(n, area.w >= area.h, area, aspect);
            grid(area, cols, rows, order, aspect)
        }
    };
    Sheet {
        width,
        height,
        header_y,
        footer_y,
        left,
        right,
        slots,
    }
}

/// Columns and rows for `n` slides: of the shapes that hold `n`, the one with the largest slides.
fn grid_shape(n: usize, _landscape: bool, area: Rect, aspect: f32) -> (usize, usize) {
    (1..=n)
        .filter_map(|cols| {
            let rows = n.div_ceil(cols);
            (cols * rows == n).then_some((cols, rows))
        })
        .max_by(|a, b| {
            let sa = cell_slide(area, a.0, a.1, aspect).w;
            let sb = cell_slide(area, b.0, b.1, aspect).w;
            sa.total_cmp(&sb)
        })
        .unwrap_or((1, n))
}

/// The slide size in one cell of a `cols`×`rows` grid (caption room included).
fn cell_slide(area: Rect, cols: usize, rows: usize, aspect: f32) -> Rect {
    let cell_w = (area.w - GUTTER * (cols as f32 - 1.0)) / cols as f32;
    let cell_h = (area.h - GUTTER * (rows as f32 - 1.0)) / rows as f32 - CAPTION;
    let (w, h) = fit(cell_w, cell_h, aspect);
    Rect {
        x: 0.0,
        y: 0.0,
        w,
        h,
    }
}

fn fit(max_w: f32, max_h: f32, aspect: f32) -> (f32, f32) {
    let (max_w, max_h) = (max_w.max(1.0), max_h.max(1.0));
    if max_w / max_h > aspect {
        (max_h * aspect, max_h)
    } else {
        (max_w, max_w / aspect)
    }
}

/// A grid of equal cells; the whole block is centred in the area, so slides align on the grid.
fn grid(area: Rect, cols: usize, rows: usize, order: Order, aspect: f32) -> Vec<Slot> {
    let size = cell_slide(area, cols, rows, aspect);
    let block_w = size.w * cols as f32 + GUTTER * (cols as f32 - 1.0);
    let block_h = (size.h + CAPTION) * rows as f32 + GUTTER * (rows as f32 - 1.0);
    let x0 = area.x + (area.w - block_w) / 2.0;
    let top = area.top() - (area.h - block_h) / 2.0;
    (0..cols * rows)
        .map(|i| {
            let (col, row) = match order {
                Order::Horizontal => (i % cols, i / cols),
                Order::Vertical => (i / rows, i % rows),
            };
            let x = x0 + col as f32 * (size.w + GUTTER);
            let y = top - row as f32 * (size.h + CAPTION + GUTTER) - size.h;
            Slot {
                slide: Rect {
                    x,
                    y,
                    w: size.w,
                    h: size.h,
                },
                caption_x: x + size.w / 2.0,
                caption_y: y - CAPTION + 1.5 * MM,
                notes: None,
            }
        })
        .collect()
}

/// PowerPoint's three-slide handout: slides down the left, note lines beside each.
fn with_notes_beside(area: Rect, n: usize, aspect: f32) -> Vec<Slot> {
    // A little over half the width for slides: wide slides are width-bound here, and the
    // notes column keeps room for a readable line of handwriting or text.
    let col_w = (area.w - GUTTER) * 0.56;
    let column = Rect { w: col_w, ..area };
    let slots = grid(column, 1, n, Order::Vertical, aspect);
    let notes_x = area.x + col_w + GUTTER;
    slots
        .into_iter()
        .map(|mut slot| {
            // Slides sit flush left; the notes take the rest of the row.
            slot.slide.x = area.x;
            slot.caption_x = area.x + slot.slide.w / 2.0;
            slot.notes = Some(Rect {
                x: notes_x.max(slot.slide.right() + GUTTER),
                y: slot.slide.y - CAPTION,
                w: area.right() - notes_x.max(slot.slide.right() + GUTTER),
                h: slot.slide.h + CAPTION,
            });
            slot
        })
        .collect()
}

/// Notes pages: the slide in the upper half, its notes beneath.
fn with_notes_below(area: Rect, aspect: f32) -> Vec<Slot> {
    let upper = Rect {
        y: area.y + area.h * 0.5,
        h: area.h * 0.5,
        ..area
    };
    let mut slots = grid(upper, 1, 1, Order::Horizontal, aspect);
    if let Some(slot) = slots.first_mut() {
        slot.notes = Some(Rect {
            x: area.x,
            y: area.y,
            w: area.w,
            h: slot.caption_y - area.y - GUTTER,
        });
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handout(n: u8) -> Layout {
        format!("handout-{n}").parse().unwrap()
    }

    const LAYOUTS: [&str; 8] = [
        "slides",
        "handout-1",
        "handout-2",
        "handout-3",
        "handout-4",
        "handout-6",
        "handout-9",
        "notes",
    ];

    fn all_rects(s: &Sheet) -> Vec<Rect> {
        s.slots
            .iter()
            .flat_map(|slot| std::iter::once(slot.slide).chain(slot.notes))
            .collect()
    }

    #[test]
    fn nothing_leaves_the_printable_area_or_overlaps() {
        for paper in [Paper::A4, Paper::LETTER, Paper::A3, Paper::LEGAL] {
            for name in LAYOUTS {
                for aspect in [16.0 / 9.0, 4.0 / 3.0, 9.0 / 16.0] {
                    let layout: Layout = name.parse().unwrap();
                    let s = sheet(layout, paper, Orientation::Auto, Order::Horizontal, aspect);
                    assert_eq!(s.slots.len(), layout.slides_per_sheet(), "{name}");
                    let rects = all_rects(&s);
                    for r in &rects {
                        assert!(
                            r.x >= MARGIN - 0.01 && r.right() <= s.width - MARGIN + 0.01,
                            "{name} {r:?}"
                        );
                        assert!(
                            r.y >= MARGIN + FOOTER - 0.01,
                            "{name} {r:?} under the footer"
                        );
                        assert!(
                            r.top() <= s.height - MARGIN - HEADER + 0.01,
                            "{name} {r:?} over the header"
                        );
                        assert!(r.w > 20.0 && r.h > 20.0, "{name} {r:?} too small");
                    }
                    for (i, a) in rects.iter().enumerate() {
                        for b in &rects[i + 1..] {
                            assert!(!a.overlaps(b), "{name}: {a:?} overlaps {b:?}");
                        }
                    }
                    for slot in &s.slots {
                        let got = slot.slide.w / slot.slide.h;
                        assert!(
                            (got - aspect).abs() < 0.01,
                            "{name}: aspect {got} != {aspect}"
                        );
                        assert!(
                            slot.caption_y < slot.slide.y && slot.caption_y > MARGIN + FOOTER - 1.0
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn grids_align_and_follow_the_reading_order() {
        let s = sheet(
            handout(6),
            Paper::A4,
            Orientation::Portrait,
            Order::Horizontal,
            16.0 / 9.0,
        );
        let xs: Vec<f32> = s.slots.iter().map(|s| s.slide.x).collect();
        let ys: Vec<f32> = s.slots.iter().map(|s| s.slide.y).collect();
        // 2 columns × 3 rows: slot 1 right of slot 0 on the same row.
        assert!((ys[0] - ys[1]).abs() < 0.01 && xs[1] > xs[0]);
        assert!((xs[0] - xs[2]).abs() < 0.01 && ys[2] < ys[0]);
        let v = sheet(
            handout(6),
            Paper::A4,
            Orientation::Portrait,
            Order::Vertical,
            16.0 / 9.0,
        );
        // Columns first: slot 1 below slot 0.
        assert!((v.slots[0].slide.x - v.slots[1].slide.x).abs() < 0.01);
        assert!(v.slots[1].slide.y < v.slots[0].slide.y);
    }

    #[test]
    fn orientation_makes_slides_largest() {
        let one = sheet(
            handout(1),
            Paper::A4,
            Orientation::Auto,
            Order::Horizontal,
            16.0 / 9.0,
        );
        assert!(one.width > one.height, "one wide slide: landscape");
        let three = sheet(
            handout(3),
            Paper::A4,
            Orientation::Auto,
            Order::Horizontal,
            16.0 / 9.0,
        );
        assert!(three.width < three.height, "three with notes: portrait");
        let six = sheet(
            handout(6),
            Paper::LETTER,
            Orientation::Auto,
            Order::Horizontal,
            16.0 / 9.0,
        );
        assert!(six.width < six.height, "six 16:9 slides: portrait 2×3");
        let forced = sheet(
            handout(6),
            Paper::A4,
            Orientation::Landscape,
            Order::Horizontal,
            16.0 / 9.0,
        );
        assert!(forced.width > forced.height);
        let notes = sheet(
            handout(3),
            Paper::A4,
            Orientation::Auto,
            Order::Horizontal,
            16.0 / 9.0,
        );
        for slot in &notes.slots {
            let n = slot.notes.expect("note area");
            assert!(n.x > slot.slide.right() && n.w > 150.0, "{n:?}");
        }
    }

    #[test]
    fn papers_parse_and_follow_the_locale() {
        assert_eq!("A4".parse::<Paper>().unwrap(), Paper::A4);
        assert_eq!("letter".parse::<Paper>().unwrap(), Paper::LETTER);
        let custom: Paper = "297x210mm".parse().unwrap();
        assert!((custom.width - Paper::A4.width).abs() < 0.01 && custom.height > custom.width);
        let inches: Paper = "8.5x11in".parse().unwrap();
        assert_eq!(inches, Paper::LETTER);
        assert!("10x10mm".parse::<Paper>().is_err());
        assert!("huge".parse::<Paper>().is_err());
        assert!("axbmm".parse::<Paper>().is_err());
        assert_eq!(Paper::from_locale(Some("en_US.UTF-8"), None), Paper::LETTER);
        assert_eq!(Paper::from_locale(None, Some("fr_CA.UTF-8")), Paper::LETTER);
        assert_eq!(Paper::from_locale(None, Some("zh_CN.UTF-8")), Paper::A4);
        assert_eq!(Paper::from_locale(Some(""), Some("en_GB.UTF-8")), Paper::A4);
        assert_eq!(Paper::from_locale(None, None), Paper::A4);
    }

    #[test]
    fn layouts_parse() {
        for name in LAYOUTS {
            assert_eq!(name.parse::<Layout>().unwrap().to_string(), name);
        }
        assert!("handout-5".parse::<Layout>().is_err());
    }
}
