//! DB (differentiable binarization) text detection: input preparation and the
//! post-processing of the probability map into text boxes, after PaddleOCR's
//! `DBPostProcess` for upright text (axis-aligned boxes).

use image::imageops::FilterType;
use image::RgbImage;
use rten_tensor::NdTensor;

use super::Rect;

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

/// The detector's input: the page scaled so its longer side is at most `limit` pixels (never
/// enlarged), each side rounded to a multiple of 32; BGR, normalised to -1..1, NCHW.
pub(crate) fn input(image: &RgbImage, limit: u32) -> (NdTensor<f32, 4>, usize, usize) {
    let (w, h) = image.dimensions();
    let ratio = if w.max(h) > limit {
        limit as f32 / w.max(h) as f32
    } else {
        1.0
    };
    let round32 = |v: u32| (((v as f32 * ratio) / 32.0).round() as usize * 32).max(32);
    let (dw, dh) = (round32(w), round32(h));
    let scaled;
    let src = if (dw as u32, dh as u32) == (w, h) {
        image
    } else {
        scaled = image::imageops::resize(image, dw as u32, dh as u32, FilterType::Triangle);
        &scaled
    };
    let plane = dw * dh;
    let mut data = vec![0f32; 3 * plane];
    for (i, p) in src.pixels().enumerate() {
        // BGR order, as the models were trained on OpenCV images.
        data[i] = p[2] as f32 / 127.5 - 1.0;
        data[plane + i] = p[1] as f32 / 127.5 - 1.0;
        data[2 * plane + i] = p[0] as f32 / 127.5 - 1.0;
    }
    (NdTensor::from_data([1, 3, dh, dw], data), dw, dh)
}

/// Text boxes from a `w`×`h` probability map, scaled to the page by (`sx`, `sy`) and clamped
/// to `page_w`×`page_h`. Regions are 8-connected components of the thresholded map, dilated by
/// one pixel (PP-OCR's `use_dilation`); the score is the mean probability over the region's box
/// (PP-OCR's "fast" score); each box is expanded by PP-OCR's unclip distance.
#[allow(clippy::too_many_arguments)]
pub(crate) fn boxes_from_map(
    map: &[f32],
    w: usize,
    h: usize,
    sx: f32,
    sy: f32,
    page_w: f32,
    page_h: f32,
    p: &DetParams,
) -> Vec<DetBox> {
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
            x0: (ux0 * sx).clamp(0.0, page_w),
            y0: (uy0 * sy).clamp(0.0, page_h),
            x1: (ux1 * sx).clamp(0.0, page_w),
            y1: (uy1 * sy).clamp(0.0, page_h),
        };
        if bbox.x1 - bbox.x0 < 2.0 || bbox.y1 - bbox.y0 < 2.0 {
            continue;
        }
        let core = Rect::new(
            x0 as f32 * sx,
            y0 as f32 * sy,
            (x1 + 1) as f32 * sx,
            (y1 + 1) as f32 * sy,
        );
        out.push(DetBox { bbox, core, score });
    }
    out
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
        let b = boxes_from_map(&m, 100, 50, 2.0, 2.0, 200.0, 100.0, &DetParams::default());
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
        let b = boxes_from_map(&m, 60, 40, 1.0, 1.0, 60.0, 40.0, &DetParams::default());
        assert!(b.is_empty(), "{b:?}");
    }

    #[test]
    fn boxes_are_clamped_to_the_page() {
        let m = map_with(40, 20, &[(0, 0, 40, 8, 0.95)]);
        let b = boxes_from_map(&m, 40, 20, 1.0, 1.0, 40.0, 20.0, &DetParams::default());
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].bbox.x0, b[0].bbox.y0, b[0].bbox.x1), (0.0, 0.0, 40.0));
    }

    #[test]
    fn input_is_scaled_to_the_limit_and_multiples_of_32() {
        let img = RgbImage::from_pixel(1280, 720, image::Rgb([255, 0, 0]));
        let (t, w, h) = input(&img, 960);
        assert_eq!((w, h), (960, 544));
        assert_eq!(t.shape(), [1, 3, 544, 960]);
        // Red is the last channel of BGR.
        let d = t.to_vec();
        assert_eq!(d[0], -1.0);
        assert_eq!(d[2 * 544 * 960], 1.0);
        let small = RgbImage::new(300, 100);
        let (_, w, h) = input(&small, 960);
        assert_eq!((w, h), (288, 96));
    }
}
