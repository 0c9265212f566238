//! DB (differentiable binarization) text detection: input preparation and the
//! post-processing of the probability map into text boxes, after PaddleOCR's
//! `DBPostProcess` for upright text (axis-aligned boxes).

use fast_image_resize::FilterType;
use image::RgbImage;
use rten_tensor::NdTensor;

use super::Rect;
use crate::normalize::resize::resized_rgb;

/// A detected text region, in page pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DetBox {
    /// The region expanded by the unclip ratio: the text's box (what recognition crops).
    pub bbox: PxBox,
    /// The shrunk kernel the model marks: the text's middle band (used for reading order).
    pub core: Rect,
    pub score: f32,
}

/// A box in pixels, `x0 < x1`, `y0 < y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PxBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl PxBox {
    pub fn rect(&self) -> Rect {
        Rect::new(self.x0, self.y0, self.x1, self.y1)
    }
}

pub(crate) struct DetParams {
    /// Pixels above this probability are text.
    pub thresh: f32,
    /// Regions whose mean probability is below this are dropped.
    pub box_thresh: f32,
    /// The expansion of the shrunk region (PP-OCR: distance = area × ratio / perimeter).
    pub unclip_ratio: f32,
    /// Regions with a side shorter than this (map pixels) are dropped.
    pub min_size: f32,
    pub max_candidates: usize,
}

impl Default for DetParams {
    fn default() -> Self {
        // rapidocr's configuration of the PP-OCRv4 models.
        DetParams {
            thresh: 0.3,
            box_thresh: 0.5,
            unclip_ratio: 1.6,
            min_size: 3.0,
            max_candidates: 1000,
        }
    }
}

/// The detector's input size for a `w`×`h` page: scaled so its longer side is at most
/// `limit` pixels (never enlarged), each side rounded to a multiple of 32.
pub(crate) fn input_size(w: u32, h: u32, limit: u32) -> (usize, usize) {
    let ratio = if w.max(h) > limit {
        limit as f32 / w.max(h) as f32
    } else {
        1.0
    };
    (round32(w as f32 * ratio), round32(h as f32 * ratio))
}

fn round32(v: f32) -> usize {
    ((v / 32.0).round() as usize * 32).max(32)
}

/// `image` at the detector's input size (from [`input_size`]).
pub(crate) fn scaled(image: &RgbImage, dw: usize, dh: usize) -> std::borrow::Cow<'_, RgbImage> {
    if (dw as u32, dh as u32) == image.dimensions() {
        std::borrow::Cow::Borrowed(image)
    } else {
        std::borrow::Cow::Owned(resized_rgb(
            image,
            (dw as u32, dh as u32),
            FilterType::Bilinear,
        ))
    }
}

/// The detector's input tensor for an image at its input size: BGR, normalised to -1..1,
/// NCHW.
pub(crate) fn input(image: &RgbImage) -> NdTensor<f32, 4> {
    let (dw, dh) = (image.width() as usize, image.height() as usize);
    let plane = dw * dh;
    let mut data = vec![0f32; 3 * plane];
    for (i, p) in image.pixels().enumerate() {
        // BGR order, as the models were trained on OpenCV images.
        data[i] = p[2] as f32 / 127.5 - 1.0;
        data[plane + i] = p[1] as f32 / 127.5 - 1.0;
        data[2 * plane + i] = p[0] as f32 / 127.5 - 1.0;
    }
    NdTensor::from_data([1, 3, dh, dw], data)
}

/// Blank rows and columns kept around text for detection, in detection pixels: more than
/// the unclip margin of body text, so boxes come out as they would on the whole page.
const DET_BLANK_KEPT: u32 = 32;

/// Pixels two neighbouring rows (or columns) may differ by, per channel, and still count as
/// the same blank: gradients and JPEG noise in flat areas stay under it, text does not.
const SAME_LINE_TOLERANCE: u8 = 8;

/// The detector's input with its long blank stretches cut short: a run of rows (then of
/// columns) that each repeat the one before keeps [`DET_BLANK_KEPT`] of them, half at each
/// end. Each text line keeps that half of its surroundings exactly as they were, at the same
/// pixel positions, so the detector marks it as it would on the whole input. Slides are
/// mostly blank (deck37: the input shrinks to 56% of its area), and detection costs in
/// proportion to area. `rows` and `cols` are the input's lines that were kept, in order.
pub(crate) struct Compaction {
    rows: Vec<u32>,
    cols: Vec<u32>,
}

impl Compaction {
    /// Each side keeps enough blank to stay a multiple of 32 pixels, as the detector needs.
    /// `None` when nothing is cut.
    pub fn of(image: &RgbImage) -> Option<(Compaction, RgbImage)> {
        let (w, h) = image.dimensions();
        let (w, h) = (w as usize, h as usize);
        let raw = image.as_raw();
        let row = |y: usize| &raw[y * w * 3..(y + 1) * w * 3];
        let near = |a: &[u8], b: &[u8]| {
            a.iter()
                .zip(b)
                .all(|(p, q)| p.abs_diff(*q) <= SAME_LINE_TOLERANCE)
        };
        let rows = kept_lines(h, |y| near(row(y), row(y - 1)));
        // Columns are compared over the kept rows only: what was cut is blank anyway.
        let mut same_col = vec![true; w];
        if let Some(first) = same_col.first_mut() {
            *first = false;
        }
        for &y in &rows {
            let r = row(y as usize);
            for (x, same) in same_col.iter_mut().enumerate().skip(1) {
                *same = *same && near(&r[x * 3..x * 3 + 3], &r[(x - 1) * 3..x * 3]);
            }
        }
        let cols = kept_lines(w, |x| same_col[x]);
        if rows.len() == h && cols.len() == w {
            return None;
        }
        let mut out = RgbImage::new(cols.len() as u32, rows.len() as u32);
        for (oy, &y) in rows.iter().enumerate() {
            for (ox, &x) in cols.iter().enumerate() {
                out.put_pixel(ox as u32, oy as u32, *image.get_pixel(x, y));
            }
        }
        Some((Compaction { rows, cols }, out))
    }

    /// A box found on the compacted input, on the whole input. Its text (the core) lies
    /// where nothing was cut, so it maps exactly; the margins around it keep their size, as
    /// if nothing had been cut beside them.
    pub fn uncut(&self, b: DetBox) -> DetBox {
        let c = b.core;
        let core = Rect::new(
            edge(&self.cols, c.left, false),
            edge(&self.rows, c.top, false),
            edge(&self.cols, c.right, true),
            edge(&self.rows, c.bottom, true),
        );
        let bbox = PxBox {
            x0: core.left - (c.left - b.bbox.x0),
            y0: core.top - (c.top - b.bbox.y0),
            x1: core.right + (b.bbox.x1 - c.right),
            y1: core.bottom + (b.bbox.y1 - c.bottom),
        };
        DetBox {
            bbox,
            core,
            score: b.score,
        }
    }
}

/// The lines `0..n` to keep: all but the middle of each run of more than [`DET_BLANK_KEPT`]
/// in which every line is `same` as the one before it (`same(i)` is asked for `i ≥ 1`);
/// then lines from the longest cuts back, up to a multiple of 32.
fn kept_lines(n: usize, same: impl Fn(usize) -> bool) -> Vec<u32> {
    let keep = DET_BLANK_KEPT as usize;
    let mut runs = Vec::new();
    let mut cuts = Vec::new();
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && same(end) {
            end += 1;
        }
        if end - start > keep {
            runs.push(start..start + keep / 2);
            cuts.push(start + keep / 2..end - (keep - keep / 2));
            runs.push(end - (keep - keep / 2)..end);
        } else {
            runs.push(start..end);
        }
        start = end;
    }
    let kept: usize = runs.iter().map(|r| r.len()).sum();
    let mut missing = kept.next_multiple_of(32).min(n) - kept;
    cuts.sort_by_key(|c| std::cmp::Reverse(c.len()));
    for cut in cuts {
        if missing == 0 {
            break;
        }
        let back = cut.len().min(missing);
        runs.push(cut.start..cut.start + back);
        missing -= back;
    }
    runs.sort_by_key(|r| r.start);
    runs.into_iter().flatten().map(|l| l as u32).collect()
}

/// A coordinate on the compacted input (pixel edges, `0..kept.len()`) on the whole input. `closing`:
/// a box's right or bottom edge, which belongs to the line before it.
fn edge(kept: &[u32], at: f32, closing: bool) -> f32 {
    let Some(last) = kept.len().checked_sub(1) else {
        return at;
    };
    let line = if closing { at.ceil() - 1.0 } else { at.floor() };
    let i = (line.max(0.0) as usize).min(last);
    kept[i] as f32 + (at - i as f32)
}

/// Text boxes from a `w`×`h` probability map, in map pixels. Regions are 8-connected
/// components of the thresholded map, dilated by one pixel (PP-OCR's `use_dilation`); the
/// score is the mean probability over the region's box (PP-OCR's "fast" score); each box is
/// expanded by PP-OCR's unclip distance (and may reach past the map).
pub(crate) fn boxes_from_map(map: &[f32], w: usize, h: usize, p: &DetParams) -> Vec<DetBox> {
    assert_eq!(map.len(), w * h);
    // Threshold and dilate with a 2×2 kernel.
    let raw: Vec<bool> = map.iter().map(|&v| v > p.thresh).collect();
    let mut bitmap = raw.clone();
    for y in 0..h {
        for x in 0..w {
            if raw[y * w + x] {
                if x + 1 < w {
                    bitmap[y * w + x + 1] = true;
                }
                if y + 1 < h {
                    bitmap[(y + 1) * w + x] = true;
                    if x + 1 < w {
                        bitmap[(y + 1) * w + x + 1] = true;
                    }
                }
            }
        }
    }
    let mut label = vec![false; w * h];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    for start in 0..w * h {
        if !bitmap[start] || label[start] {
            continue;
        }
        // Flood fill one component, tracking its bounds.
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        label[start] = true;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
            for dy in -1i32..=1 {
                for dx in -1i32..=1 {
                    let (nx, ny) = (x as i32 + dx, y as i32 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i32 || ny >= h as i32 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if bitmap[j] && !label[j] {
                        label[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        if out.len() >= p.max_candidates {
            break;
        }
        let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
        if bw.min(bh) < p.min_size {
            continue;
        }
        let mut sum = 0f32;
        for y in y0..=y1 {
            sum += map[y * w + x0..=y * w + x1].iter().sum::<f32>();
        }
        let score = sum / (bw * bh);
        if score < p.box_thresh {
            continue;
        }
        let d = bw * bh * p.unclip_ratio / (2.0 * (bw + bh));
        let (ux0, uy0, ux1, uy1) = (
            x0 as f32 - d,
            y0 as f32 - d,
            x1 as f32 + 1.0 + d,
            y1 as f32 + 1.0 + d,
        );
        if (ux1 - ux0).min(uy1 - uy0) < p.min_size + 2.0 {
            continue;
        }
        let bbox = PxBox {
            x0: ux0,
            y0: uy0,
            x1: ux1,
            y1: uy1,
        };
        let core = Rect::new(x0 as f32, y0 as f32, (x1 + 1) as f32, (y1 + 1) as f32);
        out.push(DetBox { bbox, core, score });
    }
    out
}

/// A box in map pixels on the page: scaled by (`sx`, `sy`) and clamped to
/// `page_w`×`page_h`; `None` if less than two pixels remain on either side.
pub(crate) fn on_page(b: DetBox, sx: f32, sy: f32, page_w: f32, page_h: f32) -> Option<DetBox> {
    let bbox = PxBox {
        x0: (b.bbox.x0 * sx).clamp(0.0, page_w),
        y0: (b.bbox.y0 * sy).clamp(0.0, page_h),
        x1: (b.bbox.x1 * sx).clamp(0.0, page_w),
        y1: (b.bbox.y1 * sy).clamp(0.0, page_h),
    };
    if bbox.x1 - bbox.x0 < 2.0 || bbox.y1 - bbox.y0 < 2.0 {
        return None;
    }
    let c = b.core;
    let core = Rect::new(c.left * sx, c.top * sy, c.right * sx, c.bottom * sy);
    Some(DetBox {
        bbox,
        core,
        score: b.score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rten_tensor::prelude::*;

    fn map_with(w: usize, h: usize, rects: &[(usize, usize, usize, usize, f32)]) -> Vec<f32> {
        let mut m = vec![0.0; w * h];
        for &(x0, y0, x1, y1, v) in rects {
            for y in y0..y1 {
                for x in x0..x1 {
                    m[y * w + x] = v;
                }
            }
        }
        m
    }

    #[test]
    fn two_regions_become_two_unclipped_boxes() {
        let m = map_with(100, 50, &[(10, 10, 60, 20, 0.9), (10, 30, 40, 38, 0.8)]);
        let b: Vec<DetBox> = boxes_from_map(&m, 100, 50, &DetParams::default())
            .into_iter()
            .filter_map(|b| on_page(b, 2.0, 2.0, 200.0, 100.0))
            .collect();
        assert_eq!(b.len(), 2);
        // Dilation adds a pixel right and below; unclip d = area*1.6/perimeter.
        let (bw, bh) = (51.0f32, 11.0f32);
        let d = bw * bh * 1.6 / (2.0 * (bw + bh));
        assert!((b[0].bbox.x0 - (10.0 - d) * 2.0).abs() < 1e-3, "{:?}", b[0]);
        assert!((b[0].bbox.y1 - (21.0 + d) * 2.0).abs() < 1e-3, "{:?}", b[0]);
        assert_eq!(b[0].core, Rect::new(20.0, 20.0, 122.0, 42.0));
        assert!(b[1].bbox.y0 > b[0].bbox.y0);
    }

    #[test]
    fn weak_and_tiny_regions_are_dropped() {
        // Mean probability below box_thresh; a 1-pixel speck.
        let m = map_with(60, 40, &[(5, 5, 50, 15, 0.35), (30, 30, 31, 31, 0.99)]);
        let b = boxes_from_map(&m, 60, 40, &DetParams::default());
        assert!(b.is_empty(), "{b:?}");
    }

    #[test]
    fn boxes_are_clamped_to_the_page() {
        let m = map_with(40, 20, &[(0, 0, 40, 8, 0.95)]);
        let b: Vec<DetBox> = boxes_from_map(&m, 40, 20, &DetParams::default())
            .into_iter()
            .filter_map(|b| on_page(b, 1.0, 1.0, 40.0, 20.0))
            .collect();
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].bbox.x0, b[0].bbox.y0, b[0].bbox.x1), (0.0, 0.0, 40.0));
    }

    #[test]
    fn input_is_scaled_to_the_limit_and_multiples_of_32() {
        let img = RgbImage::from_pixel(1280, 720, image::Rgb([255, 0, 0]));
        let (w, h) = input_size(1280, 720, 960);
        let t = input(&scaled(&img, w, h));
        assert_eq!((w, h), (960, 544));
        assert_eq!(t.shape(), [1, 3, 544, 960]);
        // Red is the last channel of BGR.
        let d = t.to_vec();
        assert_eq!(d[0], -1.0);
        assert_eq!(d[2 * 544 * 960], 1.0);
        let small = RgbImage::new(300, 100);
        let (w, h) = input_size(small.width(), small.height(), 960);
        assert_eq!((w, h), (288, 96));
    }

    /// A white page with stand-ins for lines of text (black strokes 3 px wide and apart) at
    /// the given (x0, y0, x1, y1).
    fn page_with(w: u32, h: u32, bars: &[(u32, u32, u32, u32)]) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            let ink = (x / 3) % 2 == 0
                && bars
                    .iter()
                    .any(|&(x0, y0, x1, y1)| (x0..x1).contains(&x) && (y0..y1).contains(&y));
            image::Rgb(if ink { [0, 0, 0] } else { [250, 250, 245] })
        })
    }

    #[test]
    fn long_blank_runs_keep_their_ends_and_a_multiple_of_32() {
        // Lines 0..10 differ from each other, then 200 that repeat, then 10 that differ.
        let kept = kept_lines(220, |i| (11..210).contains(&i));
        assert_eq!(kept.len(), 64);
        // 10 + 16 + 16 + 10 = 52 lines, and 12 back from the cut middle, next to its head.
        assert_eq!(kept[..38], (0..38).collect::<Vec<u32>>()[..]);
        assert!(!kept.contains(&193) && kept.contains(&194) && kept.contains(&219));
        assert!(kept.windows(2).all(|w| w[0] < w[1]), "{kept:?}");
        // Nothing to cut: every line stays.
        assert_eq!(kept_lines(96, |_| false).len(), 96);
    }

    #[test]
    fn compaction_cuts_blank_and_maps_boxes_back_exactly() {
        let page = page_with(960, 544, &[(40, 20, 300, 44), (600, 480, 900, 500)]);
        let (cut, small) = Compaction::of(&page).expect("blank to cut");
        assert!(
            small.width() < 960 && small.height() < 544,
            "{:?}",
            small.dimensions()
        );
        assert_eq!((small.width() % 32, small.height() % 32), (0, 0));
        // The second bar, found on the compacted page, lands where it is on the page.
        let (cx, cy) = (
            cut.cols.iter().position(|&x| x == 600).unwrap(),
            cut.rows.iter().position(|&y| y == 480).unwrap(),
        );
        assert_eq!(small.get_pixel(cx as u32, cy as u32).0, [0, 0, 0]);
        assert!(cut.cols[cx..cx + 300].windows(2).all(|w| w[1] == w[0] + 1));
        let core = Rect::new(cx as f32, cy as f32, cx as f32 + 300.0, cy as f32 + 20.0);
        let found = DetBox {
            bbox: PxBox {
                x0: core.left - 8.0,
                y0: core.top - 8.0,
                x1: core.right + 8.0,
                y1: core.bottom + 8.0,
            },
            core,
            score: 0.9,
        };
        let back = cut.uncut(found);
        assert_eq!(back.core, Rect::new(600.0, 480.0, 900.0, 500.0));
        assert_eq!(
            (back.bbox.x0, back.bbox.y0, back.bbox.x1, back.bbox.y1),
            (592.0, 472.0, 908.0, 508.0)
        );
    }

    #[test]
    fn pages_without_long_blank_are_not_compacted() {
        // Stripes every 8 pixels both ways: no run of repeated lines is long enough.
        let page = RgbImage::from_fn(320, 160, |x, y| {
            image::Rgb(if (x / 8 + y / 8) % 2 == 0 {
                [0; 3]
            } else {
                [255; 3]
            })
        });
        assert!(Compaction::of(&page).is_none());
    }
}
