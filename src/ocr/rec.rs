//! Line recognition: crops scaled to the model's height, greedy CTC decoding, and the
//! placement of each character (from its CTC time steps) to split a line into words.

use image::imageops::FilterType;
use image::RgbImage;
use rten_tensor::prelude::*;
use rten_tensor::{NdTensor, NdTensorView};

use super::det::PxBox;
use super::{is_cjk, is_han, Line, Rect, Word};

/// Height of the recognition input (PP-OCRv4 `rec_img_shape` 3×48×320).
pub(crate) const REC_HEIGHT: usize = 48;
const REC_MIN_WIDTH: usize = 320;
/// Lines whose mean character probability is below this are dropped (PP-OCR `text_score`).
const MIN_CONFIDENCE: f32 = 0.5;
/// Upper bound on the input width: a page-wide line at the smallest legible size.
const REC_MAX_WIDTH: usize = 4800;

/// The model's classes from the dictionary file: the CTC blank, one entry per line, a space.
pub(crate) fn charset(dict: &str) -> Vec<String> {
    let mut c = vec![String::new()];
    c.extend(
        dict.lines()
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string()),
    );
    c.push(" ".to_string());
    c
}

/// The box's pixels, rounded outwards.
pub(crate) fn crop(image: &RgbImage, b: &PxBox) -> RgbImage {
    let (w, h) = image.dimensions();
    let x0 = (b.x0.floor().max(0.0) as u32).min(w - 1);
    let y0 = (b.y0.floor().max(0.0) as u32).min(h - 1);
    let x1 = (b.x1.ceil() as u32).clamp(x0 + 1, w);
    let y1 = (b.y1.ceil() as u32).clamp(y0 + 1, h);
    image::imageops::crop_imm(image, x0, y0, x1 - x0, y1 - y0).to_image()
}

/// A batch of crops as one NCHW tensor, each scaled to [`REC_HEIGHT`] keeping its aspect
/// ratio, padded on the right to the widest (at least [`REC_MIN_WIDTH`]); BGR, -1..1.
/// Also returns each crop's scaled width.
pub(crate) fn batch_input(crops: &[RgbImage]) -> (NdTensor<f32, 4>, Vec<usize>) {
    let ratio = |c: &RgbImage| c.width() as f32 / c.height().max(1) as f32;
    let max_ratio = crops
        .iter()
        .map(ratio)
        .fold(REC_MIN_WIDTH as f32 / REC_HEIGHT as f32, f32::max);
    let width = ((REC_HEIGHT as f32 * max_ratio) as usize).clamp(REC_MIN_WIDTH, REC_MAX_WIDTH);
    let mut t = NdTensor::zeros([crops.len(), 3, REC_HEIGHT, width]);
    let mut widths = Vec::with_capacity(crops.len());
    for (n, c) in crops.iter().enumerate() {
        let rw = ((REC_HEIGHT as f32 * ratio(c)).ceil() as usize).clamp(1, width);
        let scaled = image::imageops::resize(c, rw as u32, REC_HEIGHT as u32, FilterType::Triangle);
        for (x, y, p) in scaled.enumerate_pixels() {
            let (x, y) = (x as usize, y as usize);
            t[[n, 0, y, x]] = p[2] as f32 / 127.5 - 1.0;
            t[[n, 1, y, x]] = p[1] as f32 / 127.5 - 1.0;
            t[[n, 2, y, x]] = p[0] as f32 / 127.5 - 1.0;
        }
        widths.push(rw);
    }
    (t, widths)
}

/// A decoded character: its text, probability and the centre of its time steps, as a
/// fraction of the crop's width (0..1).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Char {
    pub text: String,
    pub prob: f32,
    pub x: f32,
}

/// Greedy CTC decoding of one line's `[time, classes]` probabilities: the best class at each
/// step, repeats merged, blanks dropped. `scaled_width` is the crop's width in the model input
/// of `input_width` pixels (the rest is padding). `None` for no text or low confidence.
pub(crate) fn decode(
    probs: NdTensorView<f32, 2>,
    charset: &[String],
    scaled_width: usize,
    input_width: usize,
) -> Option<Vec<Char>> {
    let steps = probs.size(0);
    if steps == 0 {
        return None;
    }
    let step_px = input_width as f32 / steps as f32;
    let mut chars: Vec<Char> = Vec::new();
    let mut prev = 0usize;
    let mut run_start = 0usize;
    for t in 0..=steps {
        let (best, p) = if t < steps {
            let row = probs.slice(t);
            let mut best = (0usize, f32::MIN);
            for (k, &v) in row.iter().enumerate() {
                if v > best.1 {
                    best = (k, v);
                }
            }
            best
        } else {
            (usize::MAX, 0.0)
        };
        if best != prev || t == steps {
            // Close the run of `prev`.
            if prev != 0 && prev != usize::MAX {
                if let Some(last) = chars.last_mut() {
                    let centre = (run_start + t) as f32 / 2.0 * step_px;
                    last.x = (centre / scaled_width.max(1) as f32).clamp(0.0, 1.0);
                }
            }
            if t < steps && best != 0 {
                chars.push(Char {
                    text: charset.get(best).cloned().unwrap_or_default(),
                    prob: p,
                    x: 0.0,
                });
            }
            run_start = t;
            prev = best;
        } else if let Some(last) = chars.last_mut().filter(|_| best != 0) {
            last.prob = last.prob.max(p);
        }
    }
    chars.retain(|c| !c.text.is_empty());
    if chars.is_empty() {
        return None;
    }
    let mean = chars.iter().map(|c| c.prob).sum::<f32>() / chars.len() as f32;
    let text_chars = chars.iter().filter(|c| c.text != " ").count();
    (mean >= MIN_CONFIDENCE && text_chars > 0).then_some(chars)
}

/// A recognised line: characters placed on the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecLine {
    /// (text, probability, centre x in page pixels)
    pub chars: Vec<(String, f32, f32)>,
}

/// Place decoded characters on the page within `b` (crop of `crop_w` pixels from `b.x0`).
pub(crate) fn place(chars: Vec<Char>, b: &PxBox, crop_w: u32) -> RecLine {
    let x0 = b.x0.floor().max(0.0);
    RecLine {
        chars: chars
            .into_iter()
            .map(|c| (c.text, c.prob, x0 + c.x * crop_w as f32))
            .collect(),
    }
}

impl RecLine {
    /// The line's text and words: spaces between Han characters removed, runs of spaces
    /// collapsed; each CJK character is a word, Latin words split on spaces; each character's
    /// box reaches halfway to its neighbours' centres.
    pub fn into_line(self, rect: Rect) -> Line {
        let confidence =
            self.chars.iter().map(|c| c.1).sum::<f32>() / self.chars.len().max(1) as f32;
        let cs = normalise_spaces(strip_bullet(insert_spaces(self.chars)));
        let n = cs.len();
        let left = |i: usize| {
            if i == 0 {
                rect.left
            } else {
                ((cs[i - 1].2 + cs[i].2) / 2.0).max(rect.left)
            }
        };
        let right = |i: usize| {
            if i + 1 == n {
                rect.right
            } else {
                ((cs[i].2 + cs[i + 1].2) / 2.0).min(rect.right)
            }
        };
        let mut words: Vec<Word> = Vec::new();
        let mut cur: Option<(String, usize, usize)> = None;
        let flush = |cur: &mut Option<(String, usize, usize)>, words: &mut Vec<Word>| {
            if let Some((text, a, b)) = cur.take() {
                words.push(Word {
                    text,
                    bbox: Rect::new(left(a), rect.top, right(b), rect.bottom),
                });
            }
        };
        for (i, (s, _, _)) in cs.iter().enumerate() {
            let c = s.chars().next().unwrap_or(' ');
            if s == " " {
                flush(&mut cur, &mut words);
            } else if is_cjk(c) {
                flush(&mut cur, &mut words);
                cur = Some((s.clone(), i, i));
                flush(&mut cur, &mut words);
            } else if let Some((t, _, b)) = cur.as_mut() {
                t.push_str(s);
                *b = i;
            } else {
                cur = Some((s.clone(), i, i));
            }
        }
        flush(&mut cur, &mut words);
        let text: String = cs.iter().map(|c| c.0.as_str()).collect();
        Line {
            text,
            bbox: rect,
            confidence,
            words,
        }
    }
}

/// The model often reads no space between a Han and a Latin word: add one where the distance
/// between the two characters' centres is a third of a Han advance more than touching
/// characters would have.
fn insert_spaces(chars: Vec<(String, f32, f32)>) -> Vec<(String, f32, f32)> {
    let cjk = |s: &str| s.chars().next().is_some_and(is_cjk);
    let median = |mut v: Vec<f32>| {
        v.sort_by(f32::total_cmp);
        (!v.is_empty()).then(|| v[v.len() / 2])
    };
    let pairs = |want: (bool, bool)| {
        chars
            .windows(2)
            .filter(|w| w[0].0 != " " && w[1].0 != " " && (cjk(&w[0].0), cjk(&w[1].0)) == want)
            .map(|w| w[1].2 - w[0].2)
            .collect::<Vec<f32>>()
    };
    let latin = median(pairs((false, false)));
    let han = median(pairs((true, true)));
    let (latin, han) = match (latin, han) {
        (Some(l), Some(h)) => (l, h),
        (Some(l), None) => (l, 2.0 * l),
        (None, Some(h)) => (0.5 * h, h),
        (None, None) => return chars,
    };
    let mut out = Vec::with_capacity(chars.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        if let Some(p) = i.checked_sub(1).map(|j| &chars[j]) {
            if p.0 != " " && c.0 != " " {
                let d = c.2 - p.2;
                let gap = match (cjk(&p.0), cjk(&c.0)) {
                    // Between Latin letters the time steps (8 input pixels) are too coarse
                    // to tell a space from a wide letter: `Deco mposition` would be worse
                    // for search than a missing space, so the model's own spaces stand.
                    (false, false) => false,
                    (true, true) => false,
                    _ => d > 0.5 * (latin + han) + 0.33 * han,
                };
                if gap {
                    out.push((" ".to_string(), c.1, (p.2 + c.2) / 2.0));
                }
            }
        }
        out.push(c.clone());
    }
    out
}

/// A bullet glyph read at the start of a line is not text.
fn strip_bullet(mut chars: Vec<(String, f32, f32)>) -> Vec<(String, f32, f32)> {
    const BULLETS: &[&str] = &["·", "•", "●", "▪", "■", "◆", "○", "◦", "►", "▶", "・"];
    let opens = chars.iter().any(|c| c.0 == "(" || c.0 == "（");
    if chars.len() > 1
        && (BULLETS.contains(&chars[0].0.as_str())
            || (!opens && (chars[0].0 == ")" || chars[0].0 == "）")))
    {
        chars.remove(0);
    }
    chars
}

/// Drop spaces at the ends, between two Han characters, and repeated ones.
fn normalise_spaces(chars: Vec<(String, f32, f32)>) -> Vec<(String, f32, f32)> {
    let first_char = |s: &str| s.chars().next().unwrap_or(' ');
    let mut out: Vec<(String, f32, f32)> = Vec::with_capacity(chars.len());
    for (i, c) in chars.iter().enumerate() {
        if c.0 == " " {
            let prev = out.last().map(|p| first_char(&p.0));
            let next = chars[i + 1..]
                .iter()
                .find(|n| n.0 != " ")
                .map(|n| first_char(&n.0));
            match (prev, next) {
                (None, _) | (_, None) => continue,
                (Some(' '), _) => continue,
                (Some(p), Some(n)) if is_han(p) && is_han(n) => continue,
                _ => {}
            }
        }
        out.push(c.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cs() -> Vec<String> {
        charset("服\n务\nA\nB\n")
    }

    /// One-hot probabilities for a class sequence (0 = blank).
    fn probs(seq: &[usize], classes: usize) -> NdTensor<f32, 2> {
        let mut t = NdTensor::zeros([seq.len(), classes]);
        for (i, &k) in seq.iter().enumerate() {
            t[[i, k]] = 0.9;
        }
        t
    }

    #[test]
    fn charset_has_blank_first_and_space_last() {
        let c = cs();
        assert_eq!(c, ["", "服", "务", "A", "B", " "]);
    }

    #[test]
    fn ctc_merges_repeats_and_drops_blanks() {
        // 服 服 _ 服 务 _ A A space B
        let p = probs(&[1, 1, 0, 1, 2, 0, 3, 3, 5, 4], 6);
        let d = decode(p.view(), &cs(), 80, 80).unwrap();
        let text: String = d.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(text, "服服务A B");
        // Centres of time steps: run 服 at steps 0..2 → centre 1 step of 8 px = 8 px of 80.
        assert!((d[0].x - 0.1).abs() < 1e-6, "{d:?}");
        assert!((d[1].x - 0.35).abs() < 1e-6, "{d:?}");
        assert!(d.iter().all(|c| (c.prob - 0.9).abs() < 1e-6));
    }

    #[test]
    fn ctc_rejects_empty_and_unsure_lines() {
        assert!(decode(probs(&[0, 0, 0], 6).view(), &cs(), 24, 24).is_none());
        assert!(decode(probs(&[5, 0, 5], 6).view(), &cs(), 24, 24).is_none());
        let mut p = probs(&[1, 2], 6);
        p[[0, 1]] = 0.2;
        p[[1, 2]] = 0.3;
        assert!(decode(p.view(), &cs(), 16, 16).is_none());
    }

    fn line(chars: &[(&str, f32)]) -> Line {
        RecLine {
            chars: chars
                .iter()
                .map(|&(s, x)| (s.to_string(), 0.9, x))
                .collect(),
        }
        .into_line(Rect::new(0.0, 10.0, 100.0, 30.0))
    }

    #[test]
    fn han_characters_are_words_and_latin_splits_on_spaces() {
        let l = line(&[
            ("服", 5.0),
            (" ", 10.0),
            ("务", 15.0),
            (" ", 25.0),
            ("A", 40.0),
            ("B", 50.0),
            (" ", 60.0),
            (" ", 62.0),
            ("A", 80.0),
        ]);
        assert_eq!(l.text, "服务 AB A");
        let w: Vec<&str> = l.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(w, ["服", "务", "AB", "A"]);
        // Boxes reach halfway to the neighbours' centres, the ends reach the line's box.
        assert_eq!(l.words[0].bbox, Rect::new(0.0, 10.0, 10.0, 30.0));
        assert_eq!(l.words[1].bbox.left, 10.0);
        assert_eq!(l.words[2].bbox.left, (25.0 + 40.0) / 2.0);
        assert_eq!(l.words[2].bbox.right, (50.0 + 60.0) / 2.0);
        assert_eq!(l.words[3].bbox.right, 100.0);
        for w in l.words.windows(2) {
            assert!(w[0].bbox.right <= w[1].bbox.left);
        }
    }

    #[test]
    fn spaces_at_the_ends_are_dropped() {
        let l = line(&[(" ", 1.0), ("A", 5.0), (" ", 9.0)]);
        assert_eq!(l.text, "A");
        assert_eq!(l.words.len(), 1);
    }
}
