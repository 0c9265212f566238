//! Line recognition: crops scaled to the model's height, greedy CTC decoding, and the
//! placement of each character (from its CTC time steps) to split a line into words.

use fast_image_resize::FilterType;
use image::RgbImage;
use rten_tensor::prelude::*;
use rten_tensor::{NdTensor, NdTensorView};

use crate::normalize::resize::resized_rgb;

use super::det::PxBox;
use super::{is_cjk, is_han, Line, Rect, Word};

/// Height of the recognition input (PP-OCRv4 `rec_img_shape` 3×48×320).
pub(crate) const REC_HEIGHT: usize = 48;
/// Narrower crops are padded to this width: twelve time steps, room for the few characters
/// such a crop holds. PP-OCR pads to 320 so that crops batch together; one crop a run needs
/// no more, and the padding cost a tenth of the recognition time on deck37 for the same
/// text (docs/ocr-engine.md).
const REC_MIN_WIDTH: usize = 96;
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

/// A crop as a one-image NCHW tensor, scaled to [`REC_HEIGHT`] keeping its aspect ratio
/// (at least [`REC_MIN_WIDTH`] wide, padded on the right up to it); BGR, -1..1. Also returns
/// the crop's scaled width.
pub(crate) fn input(crop: &RgbImage) -> (NdTensor<f32, 4>, usize) {
    let ratio = crop.width() as f32 / crop.height().max(1) as f32;
    let rw = ((REC_HEIGHT as f32 * ratio).ceil() as usize).clamp(1, REC_MAX_WIDTH);
    let width = rw.max(REC_MIN_WIDTH);
    let mut t = NdTensor::zeros([1, 3, REC_HEIGHT, width]);
    let scaled = resized_rgb(crop, (rw as u32, REC_HEIGHT as u32), FilterType::Bilinear);
    for (x, y, p) in scaled.enumerate_pixels() {
        let (x, y) = (x as usize, y as usize);
        t[[0, 0, y, x]] = p[2] as f32 / 127.5 - 1.0;
        t[[0, 1, y, x]] = p[1] as f32 / 127.5 - 1.0;
        t[[0, 2, y, x]] = p[0] as f32 / 127.5 - 1.0;
    }
    (t, rw)
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

impl RecLine {
    /// The characters' texts, joined.
    pub fn text(&self) -> String {
        self.chars.iter().map(|c| c.0.as_str()).collect()
    }
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
        let cs = normalise_spaces(strip_bullet(self.chars));
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

/// Which pixels of a line's crop are ink: those a quarter of the way from the background
/// (the median of the crop's border) to the strongest contrast in the crop. A fixed step
/// misses the anti-aliased stem of a thin `l` or `i` in grey code on a dark background.
pub(crate) struct Ink<'a> {
    crop: &'a RgbImage,
    background: u32,
    step: u32,
    bounds: Option<(u32, u32, u32, u32)>,
}

impl<'a> Ink<'a> {
    pub fn of(crop: &'a RgbImage) -> Ink<'a> {
        let (w, h) = crop.dimensions();
        let mut ink = Ink {
            crop,
            background: 0,
            step: u32::MAX,
            bounds: None,
        };
        if w == 0 || h == 0 {
            return ink;
        }
        let mut border: Vec<u32> = (0..w)
            .flat_map(|x| [ink.lum(x, 0), ink.lum(x, h - 1)])
            .chain((0..h).flat_map(|y| [ink.lum(0, y), ink.lum(w - 1, y)]))
            .collect();
        border.sort_unstable();
        ink.background = border[border.len() / 2];
        let contrast = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| ink.lum(x, y).abs_diff(ink.background))
            .max()
            .unwrap_or(0);
        ink.step = (contrast / 4).max(24);
        ink.bounds = ink.measure_bounds();
        ink
    }

    pub fn crop(&self) -> &'a RgbImage {
        self.crop
    }

    fn lum(&self, x: u32, y: u32) -> u32 {
        let p = self.crop.get_pixel(x, y);
        (u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000
    }

    pub fn at(&self, x: u32, y: u32) -> bool {
        self.lum(x, y).abs_diff(self.background) > self.step
    }

    /// The smallest box holding all the ink, `(left, top, right, bottom)` inclusive.
    pub fn bounds(&self) -> Option<(u32, u32, u32, u32)> {
        self.bounds
    }

    fn measure_bounds(&self) -> Option<(u32, u32, u32, u32)> {
        let (w, h) = self.crop.dimensions();
        let rows: Vec<u32> = (0..h).filter(|&y| (0..w).any(|x| self.at(x, y))).collect();
        let (&top, &bottom) = (rows.first()?, rows.last()?);
        let inked = |x: u32| (top..=bottom).any(|y| self.at(x, y));
        let left = (0..w).find(|&x| inked(x))?;
        let right = (0..w).rev().find(|&x| inked(x))?;
        Some((left, top, right, bottom))
    }
}

/// How wide a guessed space between two letters must be, as a share of the narrowest space
/// the model read in the same line. In a monospace line on deck37, `i` to `l` left 8 px of
/// blank where the narrowest read space left 11.
const READ_SPACE_SHARE: f32 = 0.8;

/// The model often reads no space between words (`ServiceDecomposition`, `中心Apollo`): add
/// one where the crop shows a blank run of columns between two characters that is wide both
/// for the text's size (a quarter of the ink's height) and for the line (over three times its usual
/// gap between letters). A word space is about a quarter of an em plus the glyphs' side
/// bearings; letters sit closer, but how much closer depends on the font: a monospace `l` or
/// `i`, or a tabular `1`, stands in a wide cell (`pub l i c`, `2 01 8` with the first rule
/// alone). The CTC time steps alone (8 input pixels each) are too coarse to tell
/// (`Deco mposition`).
pub(crate) fn insert_gap_spaces(chars: Vec<Char>, ink: &Ink) -> Vec<Char> {
    let (w, h) = ink.crop().dimensions();
    if chars.len() < 2 || w < 2 || h < 2 {
        return chars;
    }
    let Some((_, top, _, bottom)) = ink.bounds() else {
        return chars;
    };
    let ink = |x: u32, y: u32| ink.at(x, y);
    let ink_height = (bottom - top + 1) as f32;
    // Between letters a quarter of the ink's height (a bold `a r` leaves a fifth); next to a
    // Han character less, as its ink is the line's full height and a word space is narrower
    // than that quarter (`中心 Apollo`).
    let min_gap = (ink_height * 0.25).ceil().max(2.0) as usize;
    let min_gap_by_han = (ink_height * 0.2).max(2.0) as usize;
    let inked: Vec<bool> = (0..w).map(|x| (top..=bottom).any(|y| ink(x, y))).collect();
    let column = |fraction: f32| ((fraction * w as f32) as usize).min(inked.len() - 1);
    let han = |t: &str| t.chars().next().is_some_and(is_han);
    // Full-width punctuation (`：`, `／`) is drawn with its own blank half: no space ever goes
    // next to it, nor between two Han characters.
    let cjk_mark = |t: &str| t.chars().next().is_some_and(|c| is_cjk(c) && !is_han(c));
    // Nor before closing punctuation, after an opening one, or between two marks (`pb . Req`,
    // `( *pb`, `/ /`): a narrow mark stands alone in a monospace cell. A dot between letters
    // is code (`context.Context`): prose puts the space after it, and the model reads that one.
    let closing = |t: &str| matches!(t, "." | "," | ";" | ":" | "!" | "?" | ")" | "]" | "}" | "%");
    let opening = |t: &str| matches!(t, "(" | "[" | "{");
    let mark = |t: &str| t.chars().all(|ch| ch.is_ascii_punctuation());
    let may_take_space = |p: &str, c: &str| {
        let never = (han(p) && han(c)) || cjk_mark(p) || cjk_mark(c);
        let tight = closing(c)
            || opening(p)
            || (mark(p) && mark(c))
            || (p == "." && c.chars().all(char::is_alphanumeric));
        p != " " && c != " " && !never && !tight
    };
    // The widest blank run between two characters' centres.
    let blank_between = |p: &Char, c: &Char| {
        let mut run = 0;
        let mut longest = 0;
        for &has_ink in inked.get(column(p.x)..column(c.x)).unwrap_or_default() {
            run = if has_ink { 0 } else { run + 1 };
            longest = longest.max(run);
        }
        longest
    };
    // For each pair of neighbours that may take a space: that blank.
    let gaps: Vec<Option<usize>> = chars
        .windows(2)
        .map(|pair| {
            may_take_space(&pair[0].text, &pair[1].text).then(|| blank_between(&pair[0], &pair[1]))
        })
        .collect();
    // Word spaces in one line are alike: where the model read some, a guessed one between
    // letters must be nearly as wide as the narrowest of them. In code, a monospace `i` or
    // `l` leaves blank wider than a quarter of the ink's height, but not a whole cell (`ni l`).
    let narrowest_read = chars
        .windows(3)
        .filter(|t| t[1].text == " " && t[0].text != " " && t[2].text != " ")
        .map(|t| blank_between(&t[0], &t[2]))
        .min()
        .map_or(0, |g| (g as f32 * READ_SPACE_SHARE).ceil() as usize);
    let mut measured: Vec<usize> = gaps.iter().flatten().copied().collect();
    measured.sort_unstable();
    // Most neighbours are letters of one word; the lower quartile is a gap between wide
    // letters (a monospace line's narrow letters leave more).
    let usual = measured.get(measured.len() / 4).copied().unwrap_or(0);
    let for_line = usual * 3 + 1;
    // The space to put after each character but the last, if any.
    let spaces: Vec<Option<Char>> = chars
        .windows(2)
        .zip(&gaps)
        .map(|(pair, gap)| {
            let (p, c) = (&pair[0], &pair[1]);
            let by_han = han(&p.text) || han(&c.text);
            let threshold = if by_han {
                for_line.max(min_gap_by_han)
            } else {
                for_line.max(min_gap).max(narrowest_read)
            };
            gap.filter(|&g| g >= threshold).map(|_| Char {
                text: " ".into(),
                prob: c.prob,
                x: (p.x + c.x) / 2.0,
            })
        })
        .collect();
    let mut out: Vec<Char> = Vec::with_capacity(chars.len() + spaces.len());
    for (c, space) in chars.into_iter().zip(std::iter::once(None).chain(spaces)) {
        out.extend(space);
        out.push(c);
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

    #[test]
    fn spaces_go_where_the_crop_shows_a_gap() {
        // Ink 20 px high: glyphs at 10–30, 32–52 (a 2 px gap: same word) and 60–80 (an
        // 8 px gap, over a quarter of the ink's height: a new word).
        let mut crop = RgbImage::from_pixel(100, 40, image::Rgb([255, 255, 255]));
        for (x0, x1) in [(10, 30), (32, 52), (60, 80)] {
            for x in x0..x1 {
                for y in 10..30 {
                    crop.put_pixel(x, y, image::Rgb([0, 0, 0]));
                }
            }
        }
        let c = |t: &str, x: f32| Char {
            text: t.into(),
            prob: 0.9,
            x: x / 100.0,
        };
        let out = insert_gap_spaces(
            vec![c("a", 20.0), c("b", 42.0), c("c", 70.0)],
            &Ink::of(&crop),
        );
        let text: String = out.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(text, "ab c");
        // Between Han characters, or next to full-width punctuation, no space is ever added.
        let out = insert_gap_spaces(
            vec![c("服", 20.0), c("务", 42.0), c("拆", 70.0)],
            &Ink::of(&crop),
        );
        assert_eq!(out.len(), 3);
        let out = insert_gap_spaces(
            vec![c("a", 20.0), c("段", 42.0), c("：", 70.0)],
            &Ink::of(&crop),
        );
        assert_eq!(out.len(), 3);
    }

    /// A line of code `width` px wide: grey glyphs, 20 px of ink high, at the given columns
    /// on a dark background (a read space is listed at columns 0..0 and draws nothing).
    fn code_line(width: u32, glyphs: &[(&str, u32, u32)]) -> RgbImage {
        let mut crop = RgbImage::from_pixel(width, 40, image::Rgb([40, 44, 52]));
        for &(_, x0, x1) in glyphs {
            for x in x0..x1 {
                for y in 10..30 {
                    crop.put_pixel(x, y, image::Rgb([171, 178, 191]));
                }
            }
        }
        crop
    }

    /// The line's text once the spaces its crop shows are put in.
    fn spaced(chars: Vec<Char>, crop: &RgbImage) -> String {
        insert_gap_spaces(chars, &Ink::of(crop))
            .iter()
            .map(|c| c.text.as_str())
            .collect()
    }

    #[test]
    fn wide_letter_cells_take_no_space_but_a_wider_word_gap_does() {
        // `public Or` in a monospace font, ink 20 px high, as measured on a code slide: 2 px
        // between wide letters, 5 px beside the narrow `l` and `i` (over a quarter of the ink's
        // height), 12 px for the word space.
        let glyphs = [
            ("p", 10, 18),
            ("u", 20, 28),
            ("b", 30, 38),
            ("l", 43, 48),
            ("i", 53, 55),
            ("c", 60, 68),
            ("O", 80, 88),
            ("r", 90, 98),
        ];
        let crop = code_line(120, &glyphs);
        let chars = glyphs
            .iter()
            .map(|&(t, x0, x1)| Char {
                text: t.into(),
                prob: 0.9,
                x: (x0 + x1) as f32 / 240.0,
            })
            .collect();
        assert_eq!(spaced(chars, &crop), "public Or");
    }

    #[test]
    fn a_guessed_space_is_nearly_as_wide_as_those_the_model_read() {
        // `err != nil a x` in a monospace font, ink 20 px high: the model read three spaces
        // (14 px of blank each); `i` to `l` leaves 7 px, over a quarter of the ink's height
        // but half a read space: no space there; the 12 px before `x` takes one.
        let glyphs = [
            ("e", 2, 10),
            ("r", 11, 19),
            ("r", 20, 28),
            (" ", 0, 0),
            ("!", 42, 46),
            ("=", 48, 56),
            (" ", 0, 0),
            ("n", 70, 78),
            ("i", 81, 83),
            ("l", 90, 92),
            (" ", 0, 0),
            ("a", 106, 114),
            ("x", 126, 134),
        ];
        let crop = code_line(200, &glyphs);
        let chars: Vec<Char> = glyphs
            .iter()
            .enumerate()
            .map(|(i, &(t, x0, x1))| {
                // A read space sits between its neighbours.
                let centre = if t == " " {
                    (glyphs[i - 1].2 + glyphs[i + 1].1) as f32 / 2.0
                } else {
                    (x0 + x1) as f32 / 2.0
                };
                Char {
                    text: t.into(),
                    prob: 0.9,
                    x: centre / 200.0,
                }
            })
            .collect();
        assert_eq!(spaced(chars.clone(), &crop), "err != nil a x");
        // Without the spaces the model read, the quarter-height rule alone splits `nil`.
        let unread: Vec<Char> = chars.into_iter().filter(|c| c.text != " ").collect();
        assert_eq!(spaced(unread, &crop), "err!= ni l a x");
    }
}
