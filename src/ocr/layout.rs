//! Reading order (recursive XY-cut over the detector's text kernels), joining the pieces of
//! one line that the detector split at a wide space, and the page's heading.

#![cfg_attr(not(feature = "ocr"), allow(dead_code))]

use super::{is_cjk, Line, Rect};

/// A recognised line and the detector's kernel for it (the text's middle band: boxes of
/// adjacent lines never overlap, so cuts between them are clean).
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub core: Rect,
    pub line: Line,
}

/// Lines in reading order, pieces of one line joined.
pub(crate) fn order_and_merge(blocks: Vec<Block>) -> Vec<Line> {
    let order = reading_order(&blocks.iter().map(|b| b.core).collect::<Vec<_>>());
    let mut slots: Vec<Option<Block>> = blocks.into_iter().map(Some).collect();
    let mut out: Vec<Block> = Vec::with_capacity(slots.len());
    for i in order {
        let b = slots[i].take().expect("each block once");
        match out.last_mut() {
            Some(prev) if same_line(prev, &b) => merge(prev, b),
            _ => out.push(b),
        }
    }
    out.into_iter().map(|b| b.line).collect()
}

/// Indices of `rects` in reading order: recursive XY-cut. Each set is cut in two at its
/// widest gap, between rows (horizontal gap: top part first) or columns (vertical gap: left
/// part first), until no gap is left; what cannot be cut is sorted by top, then left. So a
/// heading over two columns reads heading, left column, right column, and the footer last.
pub(crate) fn reading_order(rects: &[Rect]) -> Vec<usize> {
    let mut out = Vec::with_capacity(rects.len());
    xy_cut((0..rects.len()).collect(), rects, &mut out);
    out
}

fn xy_cut(items: Vec<usize>, rects: &[Rect], out: &mut Vec<usize>) {
    if items.len() <= 1 {
        out.extend(items);
        return;
    }
    let rows = widest_gap(&items, |i| (rects[i].top, rects[i].bottom));
    let cols = widest_gap(&items, |i| (rects[i].left, rects[i].right));
    // Columns only stand side by side: parts that a column gap parts but that do not share
    // any height (an indented line over a dedented `}`) are read top to bottom.
    let extent = |part: &[usize]| {
        part.iter().fold((f32::MAX, f32::MIN), |(t, b), &i| {
            (t.min(rects[i].top), b.max(rects[i].bottom))
        })
    };
    let side_by_side = |c: &(f32, Vec<usize>, Vec<usize>)| {
        let ((t1, b1), (t2, b2)) = (extent(&c.1), extent(&c.2));
        t1.max(t2) < b1.min(b2)
    };
    let cut = match (rows, cols) {
        (Some(r), Some(c)) => Some(if c.0 > r.0 && side_by_side(&c) { c } else { r }),
        (r, c) => r.or(c),
    };
    match cut {
        Some((_, first, second)) => {
            xy_cut(first, rects, out);
            xy_cut(second, rects, out);
        }
        None => {
            let mut items = items;
            items.sort_by(|&a, &b| {
                rects[a]
                    .top
                    .total_cmp(&rects[b].top)
                    .then(rects[a].left.total_cmp(&rects[b].left))
            });
            out.extend(items);
        }
    }
}

/// The widest gap in the projection of `items` on one axis: (its width, the items before it,
/// the items after it), or `None` when the projections overlap without a gap.
#[allow(clippy::type_complexity)]
fn widest_gap(
    items: &[usize],
    span: impl Fn(usize) -> (f32, f32),
) -> Option<(f32, Vec<usize>, Vec<usize>)> {
    let mut sorted = items.to_vec();
    sorted.sort_by(|&a, &b| span(a).0.total_cmp(&span(b).0));
    let mut end = span(sorted[0]).1;
    let mut best: Option<(f32, usize)> = None;
    for (k, &i) in sorted.iter().enumerate().skip(1) {
        let (s, e) = span(i);
        if s > end && best.is_none_or(|b| s - end > b.0) {
            best = Some((s - end, k));
        }
        end = end.max(e);
    }
    best.map(|(gap, k)| (gap, sorted[..k].to_vec(), sorted[k..].to_vec()))
}

/// Two blocks are one line when their kernels share most of their height, their heights are
/// alike and the space between them is under one and a half line heights.
fn same_line(a: &Block, b: &Block) -> bool {
    let (ha, hb) = (a.core.height(), b.core.height());
    let overlap = a.core.bottom.min(b.core.bottom) - a.core.top.max(b.core.top);
    let (lo, hi) = (ha.min(hb), ha.max(hb));
    let text_h = a.line.bbox.height().min(b.line.bbox.height());
    let gap = b.core.left - a.core.right;
    lo > 0.0 && overlap >= 0.6 * lo && hi <= 1.4 * lo && gap >= -0.5 * text_h && gap <= 1.5 * text_h
}

fn merge(a: &mut Block, b: Block) {
    let (na, nb) = (
        a.line.text.chars().count() as f32,
        b.line.text.chars().count() as f32,
    );
    a.line.confidence = (a.line.confidence * na + b.line.confidence * nb) / (na + nb).max(1.0);
    a.line.text = join_text(&a.line.text, &b.line.text);
    a.line.bbox = a.line.bbox.union(&b.line.bbox);
    a.line.words.extend(b.line.words);
    a.core = a.core.union(&b.core);
}

/// Join two lines of one row: a space between them unless both sides are CJK.
pub(crate) fn join_text(a: &str, b: &str) -> String {
    let end = a.chars().last().unwrap_or(' ');
    let start = b.chars().next().unwrap_or(' ');
    if is_cjk(end) && is_cjk(start) {
        format!("{a}{b}")
    } else {
        format!("{a} {b}")
    }
}

/// The top-most of the lines at least 85% as tall as the tallest.
pub(crate) fn heading(lines: &[Line]) -> Option<&Line> {
    let tallest = lines.iter().map(|l| l.bbox.height()).fold(0.0, f32::max);
    lines
        .iter()
        .filter(|l| l.bbox.height() >= 0.85 * tallest)
        .min_by(|a, b| {
            a.bbox
                .top
                .total_cmp(&b.bbox.top)
                .then(a.bbox.left.total_cmp(&b.bbox.left))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::Word;

    fn r(l: f32, t: f32, w: f32, h: f32) -> Rect {
        Rect::new(l, t, l + w, t + h)
    }

    fn block(text: &str, core: Rect) -> Block {
        let bbox = Rect::new(
            core.left - 4.0,
            core.top - 4.0,
            core.right + 4.0,
            core.bottom + 4.0,
        );
        Block {
            core,
            line: Line {
                text: text.into(),
                bbox,
                confidence: 0.9,
                words: vec![Word {
                    text: text.into(),
                    bbox,
                }],
            },
        }
    }

    #[test]
    fn rows_top_to_bottom_then_left_to_right() {
        let rects = [
            r(300.0, 100.0, 50.0, 10.0),
            r(10.0, 10.0, 200.0, 20.0),
            r(10.0, 100.0, 50.0, 10.0),
            r(10.0, 50.0, 80.0, 10.0),
        ];
        assert_eq!(reading_order(&rects), [1, 3, 2, 0]);
    }

    #[test]
    fn columns_are_read_one_after_the_other() {
        // A heading over two columns whose lines are not aligned.
        let rects = [
            r(10.0, 10.0, 600.0, 20.0),  // heading
            r(320.0, 55.0, 200.0, 10.0), // right column
            r(10.0, 50.0, 200.0, 10.0),  // left column
            r(320.0, 75.0, 200.0, 10.0),
            r(10.0, 70.0, 200.0, 10.0),
            r(10.0, 90.0, 200.0, 10.0),
        ];
        assert_eq!(reading_order(&rects), [0, 2, 4, 5, 1, 3]);
    }

    #[test]
    fn an_indented_line_and_a_dedented_brace_below_it_read_top_to_bottom() {
        // `if x {` / `    return;` / `}`: the brace's column is apart from the indented
        // line's, by more than the rows are, but the two share no height.
        let rects = [
            r(10.0, 10.0, 120.0, 12.0),
            r(60.0, 40.0, 200.0, 12.0),
            r(10.0, 66.0, 8.0, 18.0),
        ];
        assert_eq!(reading_order(&rects), [0, 1, 2]);
    }

    #[test]
    fn overlapping_boxes_sort_by_top_then_left() {
        let rects = [r(50.0, 12.0, 100.0, 20.0), r(0.0, 10.0, 100.0, 20.0)];
        assert_eq!(reading_order(&rects), [1, 0]);
    }

    #[test]
    fn pieces_of_a_line_are_joined_and_far_ones_are_not() {
        let lines = order_and_merge(vec![
            block("QCon", r(400.0, 700.0, 60.0, 8.0)),
            block("大会", r(10.0, 700.0, 40.0, 8.0)),
            block("上海站", r(60.0, 700.0, 60.0, 8.0)),
            block("服务拆分 Service", r(10.0, 10.0, 300.0, 30.0)),
        ]);
        let t: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(t, ["服务拆分 Service", "大会上海站", "QCon"]);
        assert_eq!(lines[1].words.len(), 2);
        assert_eq!(lines[1].bbox, Rect::new(6.0, 696.0, 124.0, 712.0));
    }

    #[test]
    fn heading_is_the_top_most_large_line() {
        let mk = |t: &str, top: f32, h: f32| block(t, r(10.0, top, 300.0, h)).line;
        let lines = vec![
            mk("小字", 5.0, 8.0),
            mk("Part 1", 100.0, 20.0),
            mk("服务拆分", 60.0, 22.0),
            mk("脚注", 700.0, 8.0),
        ];
        assert_eq!(heading(&lines).unwrap().text, "服务拆分");
        assert!(heading(&[]).is_none());
    }

    #[test]
    fn rows_join_with_a_space_unless_both_sides_are_cjk() {
        assert_eq!(join_text("大会", "上海"), "大会上海");
        assert_eq!(join_text("2018", "4"), "2018 4");
        assert_eq!(join_text("服务", "User"), "服务 User");
    }
}
