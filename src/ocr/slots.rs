//! Lines the detector misses. A lone `}` or `)` closing a block of code is a few thin
//! strokes, and PP-OCR's detector gives it no probability at all (0.0 around the brace at
//! 960 and at 1280 px on deck37's code slides), so the line never reaches recognition. Where
//! a run of evenly spaced lines of one size skips a beat, or ends, the band where the next
//! line would stand is searched for ink; what is found there is cropped close around the ink
//! in three ways and recognised, and the engine keeps the surest reading when it is sure
//! enough, or the closing bracket that the code above leaves open when the glyph looks like
//! one (docs/ocr-engine.md, "Lines the detector cannot see").

use image::RgbImage;

use super::det::{DetBox, PxBox};

/// Lines of a run have kernels this close in height (ratio).
const SAME_SIZE: f32 = 1.25;
/// A gap counts as whole pitches when it is within this fraction of one.
const PITCH_TOLERANCE: f32 = 0.15;
/// At most this many lines missing in a row between two lines of a run.
const MAX_MISSING: usize = 3;

/// Where a line of a run of evenly spaced lines is missing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Slot {
    /// A band across the run's width, one pitch tall, centred where the line would be.
    pub band: PxBox,
    /// The run's boxes above it (indices into the detected boxes), top to bottom.
    pub above: Vec<usize>,
}

/// The slots of every run of evenly spaced lines among `boxes`, each run's top to bottom.
pub(crate) fn missed_line_slots(boxes: &[DetBox], page_h: f32) -> Vec<Slot> {
    let centre = |b: &DetBox| (b.core.top + b.core.bottom) / 2.0;
    // Each box's next line: the nearest box below it of the same size that overlaps it across
    // (code is indented and dedented by any amount; columns side by side do not overlap),
    // no further than a few lines down (the footer is no part of a block of code).
    let next: Vec<Option<usize>> = (0..boxes.len())
        .map(|i| {
            let a = &boxes[i];
            let h = a.core.height();
            (0..boxes.len())
                .filter(|&j| j != i)
                .filter(|&j| {
                    let b = &boxes[j];
                    let ratio = b.core.height().max(h) / b.core.height().min(h).max(1.0);
                    let gap = centre(b) - centre(a);
                    gap > h
                        && gap <= (MAX_MISSING + 1) as f32 * (a.bbox.y1 - a.bbox.y0)
                        && ratio <= SAME_SIZE
                        && b.bbox.x0 < a.bbox.x1
                        && b.bbox.x1 > a.bbox.x0
                })
                .min_by(|&x, &y| centre(&boxes[x]).total_cmp(&centre(&boxes[y])))
        })
        .collect();
    let mut has_prev = vec![false; boxes.len()];
    for n in next.iter().flatten() {
        has_prev[*n] = true;
    }
    let mut slots = Vec::new();
    for start in (0..boxes.len()).filter(|&i| !has_prev[i]) {
        let mut run = vec![start];
        while let Some(n) = next[*run.last().unwrap_or(&start)] {
            if run.contains(&n) {
                break;
            }
            run.push(n);
        }
        if run.len() < 3 {
            continue;
        }
        let gaps: Vec<f32> = run
            .windows(2)
            .map(|w| centre(&boxes[w[1]]) - centre(&boxes[w[0]]))
            .collect();
        let pitch = gaps.iter().copied().fold(f32::MAX, f32::min);
        let whole = |g: f32| {
            let k = (g / pitch).round();
            ((g - k * pitch).abs() <= PITCH_TOLERANCE * pitch).then_some(k as usize)
        };
        // Evenly spaced: at least two gaps of one pitch.
        if gaps.iter().filter(|&&g| whole(g) == Some(1)).count() < 2 {
            continue;
        }
        let mut heights: Vec<f32> = run
            .iter()
            .map(|&i| boxes[i].bbox.y1 - boxes[i].bbox.y0)
            .collect();
        heights.sort_by(f32::total_cmp);
        // The whole pitch, from gap to gap, and never less than a line's box: a brace
        // reaches from above the capitals to below the baseline, taller than most lines.
        let height = heights[heights.len() / 2].max(pitch);
        let core_h = boxes[run[0]].core.height();
        let left = run
            .iter()
            .map(|&i| boxes[i].bbox.x0)
            .fold(f32::MAX, f32::min)
            - core_h / 2.0;
        let right = run.iter().map(|&i| boxes[i].bbox.x1).fold(0.0, f32::max);
        let band = |cy: f32| PxBox {
            x0: left.max(0.0),
            y0: (cy - height / 2.0).max(0.0),
            x1: right,
            y1: (cy + height / 2.0).min(page_h),
        };
        for (n, &g) in gaps.iter().enumerate() {
            if let Some(k) = whole(g).filter(|k| (2..=MAX_MISSING + 1).contains(k)) {
                let top = centre(&boxes[run[n]]);
                slots.extend((1..k).map(|j| Slot {
                    band: band(top + j as f32 * pitch),
                    above: run[..=n].to_vec(),
                }));
            }
        }
        let after = centre(&boxes[run[run.len() - 1]]) + pitch;
        if after + height / 2.0 <= page_h {
            slots.push(Slot {
                band: band(after),
                above: run.clone(),
            });
        }
    }
    // A slot where some box already stands is no missing line.
    slots.retain(|Slot { band: s, .. }| {
        !boxes.iter().any(|b| {
            let cy = centre(b);
            cy > s.y0 && cy < s.y1 && b.bbox.x0 < s.x1 && b.bbox.x1 > s.x0
        })
    });
    slots
}

/// The pieces of ink in `band` that stand alone like a line of text: clear of the band's top
/// and bottom rows (so not part of a picture or a taller thing), between a fifth and
/// nine tenths of the band's height tall. Each comes back as the ink's own box.
pub(crate) fn ink_boxes(image: &RgbImage, band: &PxBox) -> Vec<PxBox> {
    let (w, h) = image.dimensions();
    let x0 = band.x0.max(0.0) as u32;
    let x1 = (band.x1.ceil() as u32).min(w);
    let y0 = band.y0.max(0.0) as u32;
    let y1 = (band.y1.ceil() as u32).min(h);
    if x1 <= x0 + 2 || y1 <= y0 + 4 {
        return Vec::new();
    }
    let lum = |x: u32, y: u32| {
        let p = image.get_pixel(x, y);
        (u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000
    };
    let mut all: Vec<u32> = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .map(|(x, y)| lum(x, y))
        .collect();
    let mid = all.len() / 2;
    let background = *all.select_nth_unstable(mid).1;
    let contrast = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .map(|(x, y)| lum(x, y).abs_diff(background))
        .max()
        .unwrap_or(0);
    if contrast < 48 {
        return Vec::new();
    }
    let step = contrast / 3;
    let ink = |x: u32, y: u32| lum(x, y).abs_diff(background) > step;
    let band_h = (y1 - y0) as f32;
    let columns: Vec<bool> = (x0..x1).map(|x| (y0..y1).any(|y| ink(x, y))).collect();
    // Pieces: inked columns, joined across gaps narrower than half the band's height (spaces
    // between words), so the edge of a box drawn around the code stays apart.
    let join = (band_h / 2.0) as usize;
    let mut pieces: Vec<(u32, u32)> = Vec::new();
    let mut blank = usize::MAX;
    for (i, &c) in columns.iter().enumerate() {
        let x = x0 + i as u32;
        if c {
            match pieces.last_mut() {
                Some(last) if blank < join => last.1 = x + 1,
                _ => pieces.push((x, x + 1)),
            }
            blank = 0;
        } else {
            blank = blank.saturating_add(1);
        }
    }
    let mut out = Vec::new();
    for (px0, px1) in pieces {
        let rows: Vec<u32> = (y0..y1)
            .filter(|&y| (px0..px1).any(|x| ink(x, y)))
            .collect();
        let (Some(&top), Some(&bottom)) = (rows.first(), rows.last()) else {
            continue;
        };
        let ink_h = (bottom - top + 1) as f32;
        if top == y0 || bottom + 1 >= y1 || ink_h < band_h / 5.0 || ink_h > band_h * 0.9 {
            continue;
        }
        out.push(PxBox {
            x0: px0 as f32,
            y0: top as f32,
            x1: px1 as f32,
            y1: (bottom + 1) as f32,
        });
    }
    out
}

/// Crops of a lone glyph's ink box to recognise, of which the surest reading is kept. The
/// model's reading of one glyph swings with the margin around it: `}` cropped with half a
/// line's height around it is `1` or `了`; with (vertical, horizontal) margins of a tenth
/// and a tenth, a tenth and a half, or a twentieth and a half of its height, one of the
/// three read it as `}` at 0.82 or more, 15 to 48 px tall, light on dark and dark on light,
/// in a monospaced and a proportional font (docs/ocr-engine.md).
pub(crate) fn glyph_crops(ink: &PxBox, page_w: f32, page_h: f32) -> [PxBox; 3] {
    let h = ink.y1 - ink.y0;
    [(0.1, 0.1), (0.1, 0.5), (0.05, 0.5)].map(|(vertical, horizontal): (f32, f32)| {
        let (my, mx) = (
            (vertical * h).round().max(1.0),
            (horizontal * h).round().max(1.0),
        );
        PxBox {
            x0: (ink.x0 - mx).max(0.0),
            y0: (ink.y0 - my).max(0.0),
            x1: (ink.x1 + mx).min(page_w),
            y1: (ink.y1 + my).min(page_h),
        }
    })
}

/// The bracket that closes the innermost one left open by `lines` (code read so far), if
/// any: what a lone glyph below them most likely is. Brackets inside string literals and
/// after a `//` comment do not count.
pub(crate) fn expected_closer<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<char> {
    let mut open = Vec::new();
    for line in lines {
        let mut quoted = None;
        let mut prev = ' ';
        for c in line.chars() {
            match (quoted, c) {
                (Some(q), c) if c == q && prev != '\\' => quoted = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quoted = Some(c),
                (None, '/') if prev == '/' => break,
                (None, '{' | '(' | '[') => open.push(c),
                (None, '}' | ')' | ']') => {
                    open.pop();
                }
                _ => {}
            }
            prev = c;
        }
    }
    open.last().map(|o| match o {
        '{' => '}',
        '(' => ')',
        _ => ']',
    })
}

/// Whether a reading of a lone glyph is one the model gives a thin closing bracket: `}` is
/// read as `1`, `l` or `了` as often as not (docs/ocr-engine.md).
pub(crate) fn looks_like_closer(reading: &str) -> bool {
    let mut chars = reading.chars();
    matches!(
        (chars.next(), chars.next()),
        (
            Some('}' | ')' | ']' | '1' | 'l' | 'I' | '|' | 'J' | '了' | '」' | '）'),
            None
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::Rect;

    /// A detected line: kernel `left..right` × `cy ± 8`, box 1.75× as tall.
    fn line(left: f32, right: f32, cy: f32) -> DetBox {
        DetBox {
            bbox: PxBox {
                x0: left - 6.0,
                y0: cy - 14.0,
                x1: right + 6.0,
                y1: cy + 14.0,
            },
            core: Rect::new(left, cy - 8.0, right, cy + 8.0),
            score: 0.9,
        }
    }

    #[test]
    fn a_skipped_beat_and_the_line_after_a_run_are_slots() {
        // Code at a 30 px pitch: lines at 100, 130, 160, (190 missing), 220; then 250 free.
        let boxes = vec![
            line(80.0, 600.0, 100.0),
            line(120.0, 500.0, 130.0),
            line(120.0, 400.0, 160.0),
            line(80.0, 300.0, 220.0),
        ];
        let slots = missed_line_slots(&boxes, 720.0);
        let centres: Vec<f32> = slots
            .iter()
            .map(|s| (s.band.y0 + s.band.y1) / 2.0)
            .collect();
        assert_eq!(centres, vec![190.0, 250.0]);
        assert!(
            slots
                .iter()
                .all(|s| s.band.x0 <= 74.0 && s.band.x1 >= 606.0),
            "{slots:?}"
        );
        assert_eq!(slots[0].above, [0, 1, 2]);
        assert_eq!(slots[1].above, [0, 1, 2, 3]);
    }

    #[test]
    fn the_innermost_open_bracket_is_the_one_expected() {
        assert_eq!(
            expected_closer(["fn main() {", "    let v = vec![1, 2];"]),
            Some('}')
        );
        assert_eq!(expected_closer(["call(a,", "  b"]), Some(')'));
        assert_eq!(expected_closer(["if x {", "}"]), None);
        // Brackets in strings and comments are not code.
        assert_eq!(expected_closer([r#"print("{")"#, "// a { here"]), None);
        assert_eq!(expected_closer(["s = '(' + x"]), None);
        assert!(looks_like_closer("1") && looks_like_closer("}") && looks_like_closer("了"));
        assert!(!looks_like_closer("11") && !looks_like_closer("a") && !looks_like_closer(""));
    }

    #[test]
    fn unevenly_spaced_or_short_runs_give_no_slot() {
        // Two lines: no evidence of a pitch.
        assert!(
            missed_line_slots(&[line(80.0, 600.0, 100.0), line(80.0, 600.0, 160.0)], 720.0)
                .is_empty()
        );
        // Paragraphs at uneven distances.
        let boxes = vec![
            line(80.0, 600.0, 100.0),
            line(80.0, 600.0, 140.0),
            line(80.0, 600.0, 230.0),
            line(80.0, 600.0, 300.0),
        ];
        assert!(missed_line_slots(&boxes, 720.0).is_empty());
        // A heading twice the size over a list is no part of it.
        let mut big = line(80.0, 600.0, 60.0);
        big.core.top -= 10.0;
        big.core.bottom += 10.0;
        let boxes = vec![big, line(80.0, 600.0, 160.0), line(80.0, 600.0, 190.0)];
        assert!(missed_line_slots(&boxes, 720.0).is_empty());
    }

    #[test]
    fn ink_alone_in_a_band_is_found_and_ink_running_off_it_is_not() {
        let mut page = RgbImage::from_pixel(400, 200, image::Rgb([40, 44, 52]));
        // A brace-like glyph, 16 px tall, in the middle of a 28 px band (y 36..64).
        for y in 42..58 {
            for x in 90..96 {
                page.put_pixel(x, y, image::Rgb([171, 178, 191]));
            }
        }
        // A picture crossing the band's edges further right.
        for y in 20..120 {
            for x in 300..380 {
                page.put_pixel(x, y, image::Rgb([200, 60, 60]));
            }
        }
        let band = PxBox {
            x0: 60.0,
            y0: 36.0,
            x1: 399.0,
            y1: 64.0,
        };
        let found = ink_boxes(&page, &band);
        assert_eq!(found.len(), 1, "{found:?}");
        let b = found[0];
        assert_eq!((b.x0, b.y0, b.x1, b.y1), (90.0, 42.0, 96.0, 58.0), "{b:?}");
        let crops = glyph_crops(&b, 400.0, 200.0);
        assert_eq!(
            crops[1],
            PxBox {
                x0: 82.0,
                y0: 40.0,
                x1: 104.0,
                y1: 60.0
            }
        );
        // An empty band: nothing.
        let empty = PxBox {
            x0: 60.0,
            y0: 140.0,
            x1: 280.0,
            y1: 168.0,
        };
        assert!(ink_boxes(&page, &empty).is_empty());
    }
}
