//! What to draw for the spans of one paragraph: overlapping spans flattened into boundary
//! segments (one background each), one underline bar per span in its lane, and the outline
//! of the selected span. Computed when a paragraph becomes visible after spans changed.

use std::ops::Range;

use egui::Color32;

use super::paragraphs::Paragraph;
use super::span_index::SpanIndex;
use super::{Emphasis, SpanMark};
use crate::app::theme;
use crate::model::CharRange;

/// A stretch of a paragraph covered by the same set of spans.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// Paragraph-local code points.
    pub range: Range<usize>,
    /// The background: the innermost span's colour (the most recent one among equals).
    pub background: Color32,
    /// How many spans cover the segment.
    pub depth: usize,
}

/// An underline under one span, in its lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Paragraph-local code points.
    pub range: Range<usize>,
    pub lane: usize,
    pub color: Color32,
}

/// The selected span's part in this paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    pub id: i64,
    /// Paragraph-local code points.
    pub range: Range<usize>,
    /// The whole span, in code points of the whole text.
    pub full: CharRange,
    pub color: Color32,
    /// Whether the span starts (ends) in this paragraph, so its handle is drawn here.
    pub starts_here: bool,
    pub ends_here: bool,
}

/// Everything drawn for the spans of one paragraph.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decor {
    pub segments: Vec<Segment>,
    pub bars: Vec<Bar>,
    pub outlines: Vec<Outline>,
    /// Suggestions: paragraph-local ranges drawn with a dashed outline, and their colours.
    pub dashed: Vec<(Range<usize>, Color32)>,
}

/// The background behind a span of colour `color`.
fn background_of(span: &SpanMark, dark_mode: bool) -> Color32 {
    let rgb = crate::model::Color {
        r: span.color.r(),
        g: span.color.g(),
        b: span.color.b(),
    };
    let bg = theme::span_background(rgb, dark_mode);
    match span.emphasis {
        Emphasis::Dimmed => bg.gamma_multiply(0.35),
        Emphasis::Suggested => Color32::TRANSPARENT,
        Emphasis::Normal | Emphasis::Selected => bg,
    }
}

/// The colour of a span's underline.
fn bar_color(span: &SpanMark) -> Color32 {
    let opaque = Color32::from_rgb(span.color.r(), span.color.g(), span.color.b());
    match span.emphasis {
        Emphasis::Dimmed => opaque.gamma_multiply(0.35),
        Emphasis::Normal | Emphasis::Selected | Emphasis::Suggested => opaque,
    }
}

/// Flattens the spans of `paragraph` into segments, bars and outlines.
pub fn decorate(
    paragraph: &Paragraph,
    p: usize,
    spans: &[SpanMark],
    index: &SpanIndex,
    dark_mode: bool,
) -> Decor {
    let base = paragraph.chars.start;
    let len = paragraph.char_len();
    // (local start, local end, span index), by start as the index keeps them.
    let local: Vec<(usize, usize, usize)> = index
        .in_paragraph(p)
        .iter()
        .filter_map(|&i| {
            let span = spans.get(i as usize)?;
            let start = span.range.start.max(base) - base;
            let end = span.range.end.min(base + len).saturating_sub(base);
            (start < end).then_some((start, end, i as usize))
        })
        .collect();

    let mut decor = Decor::default();
    // Suggestions get no fill and no lane: only their dashed outline.
    let (suggested, local): (Vec<_>, Vec<_>) = local
        .into_iter()
        .partition(|&(_, _, i)| spans[i].emphasis == Emphasis::Suggested);
    for &(start, end, i) in &suggested {
        decor.dashed.push((start..end, bar_color(&spans[i])));
    }
    for &(start, end, i) in &local {
        let span = &spans[i];
        decor.bars.push(Bar {
            range: start..end,
            lane: index.lane(i).min(theme::MAX_LANES.saturating_sub(1)),
            color: bar_color(span),
        });
        if span.emphasis == Emphasis::Selected {
            decor.outlines.push(Outline {
                id: span.id,
                range: start..end,
                full: span.range,
                color: bar_color(span),
                starts_here: span.range.start >= base,
                ends_here: span.range.end <= base + len,
            });
        }
    }
    // Deeper lanes first, so that the shared last lane does not hide the others' ends.
    decor.bars.sort_by_key(|b| std::cmp::Reverse(b.lane));
    decor.segments = flatten(&local, spans, dark_mode);
    decor
}

/// Sweeps the (start-sorted) local spans into segments of constant coverage.
fn flatten(local: &[(usize, usize, usize)], spans: &[SpanMark], dark_mode: bool) -> Vec<Segment> {
    let mut bounds: Vec<usize> = local.iter().flat_map(|&(s, e, _)| [s, e]).collect();
    bounds.sort_unstable();
    bounds.dedup();

    let mut segments: Vec<Segment> = Vec::new();
    let mut active: Vec<(usize, usize, usize)> = Vec::new();
    let mut next = 0;
    for pair in bounds.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        active.retain(|&(_, end, _)| end > from);
        while let Some(&span) = local.get(next).filter(|&&(start, _, _)| start <= from) {
            if span.1 > from {
                active.push(span);
            }
            next += 1;
        }
        // The innermost span: the shortest, and the latest in the slice among equals.
        let Some(&(_, _, inner)) = active.iter().min_by_key(|&&(_, _, i)| {
            let len = spans.get(i).map_or(usize::MAX, |span| span.range.len());
            (len, std::cmp::Reverse(i))
        }) else {
            continue;
        };
        let background = spans
            .get(inner)
            .map_or(Color32::TRANSPARENT, |span| background_of(span, dark_mode));
        match segments.last_mut() {
            Some(last)
                if last.range.end == from
                    && last.background == background
                    && last.depth == active.len() =>
            {
                last.range.end = to;
            }
            _ => segments.push(Segment {
                range: from..to,
                background,
                depth: active.len(),
            }),
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::article_view::paragraphs::Paragraphs;
    use crate::app::article_view::span_index::SpanSignature;

    fn mark(id: i64, start: usize, end: usize, color: Color32) -> SpanMark {
        SpanMark {
            id,
            range: CharRange::new(start, end),
            color,
            tooltip: String::new(),
            emphasis: Emphasis::Normal,
        }
    }

    #[test]
    fn nested_spans_flatten_to_innermost_backgrounds() {
        let text = "0123456789\nabcdefghij";
        let paragraphs = Paragraphs::build(text);
        let spans = vec![
            mark(1, 1, 9, Color32::RED),
            mark(2, 3, 5, Color32::BLUE),
            mark(3, 8, 13, Color32::GREEN),
        ];
        let mut index = SpanIndex::default();
        index.sync(&spans, &paragraphs, SpanSignature::of(&spans, 0));
        let Some(paragraph) = paragraphs.get(0) else {
            panic!("no paragraph");
        };
        let decor = decorate(paragraph, 0, &spans, &index, false);
        let ranges: Vec<(Range<usize>, usize)> = decor
            .segments
            .iter()
            .map(|s| (s.range.clone(), s.depth))
            .collect();
        assert_eq!(
            ranges,
            vec![(1..3, 1), (3..5, 2), (5..8, 1), (8..9, 2), (9..10, 1)]
        );
        let red = background_of(&spans[0], false);
        let blue = background_of(&spans[1], false);
        let green = background_of(&spans[2], false);
        let colors: Vec<Color32> = decor.segments.iter().map(|s| s.background).collect();
        assert_eq!(colors, vec![red, blue, red, green, green]);
        assert_eq!(decor.bars.len(), 3);

        let Some(second) = paragraphs.get(1) else {
            panic!("no second paragraph");
        };
        let decor = decorate(second, 1, &spans, &index, false);
        assert_eq!(decor.segments.len(), 1);
        assert_eq!(decor.segments[0].range, 0..2);
    }
}
