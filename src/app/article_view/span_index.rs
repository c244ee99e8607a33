//! Spans sorted into paragraphs, with an underline lane for each, rebuilt only when the
//! caller's spans change (never per frame).

use super::SpanMark;
use super::paragraphs::Paragraphs;

/// What identifies one version of the caller's span slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpanSignature {
    /// The slice's address and length: a different slice means different spans.
    pub address: usize,
    pub len: usize,
    /// Bumped by `ArticleViewState::invalidate_spans`.
    pub version: u64,
}

impl SpanSignature {
    /// The signature of `spans` at `version`.
    pub fn of(spans: &[SpanMark], version: u64) -> Self {
        Self {
            address: spans.as_ptr() as usize,
            len: spans.len(),
            version,
        }
    }
}

/// The spans of each paragraph and the lane of each span.
#[derive(Clone, Debug, Default)]
pub struct SpanIndex {
    signature: Option<SpanSignature>,
    /// For each paragraph, the indices (into the span slice) of the spans overlapping it,
    /// sorted by start, longer first on ties.
    buckets: Vec<Vec<u32>>,
    /// The underline lane of each span (index into the span slice); deeper overlaps get
    /// higher lanes.
    lanes: Vec<u16>,
    /// Bumped on every rebuild, so per-paragraph caches know they are stale.
    epoch: u64,
}

impl SpanIndex {
    /// Rebuilds the index if `signature` differs from the one it was built for; returns
    /// whether it did.
    pub fn sync(
        &mut self,
        spans: &[SpanMark],
        paragraphs: &Paragraphs,
        signature: SpanSignature,
    ) -> bool {
        if self.signature == Some(signature) && self.buckets.len() == paragraphs.len() {
            return false;
        }
        self.rebuild(spans, paragraphs);
        self.signature = Some(signature);
        true
    }

    fn rebuild(&mut self, spans: &[SpanMark], paragraphs: &Paragraphs) {
        self.epoch += 1;
        let mut order: Vec<u32> = (0..spans.len() as u32)
            .filter(|&i| spans.get(i as usize).is_some_and(|s| !s.range.is_empty()))
            .collect();
        order.sort_by_key(|&i| {
            let r = spans[i as usize].range;
            (r.start, std::cmp::Reverse(r.end))
        });

        self.lanes.clear();
        self.lanes.resize(spans.len(), 0);
        let mut lane_ends: Vec<usize> = Vec::new();
        for &i in &order {
            let r = spans[i as usize].range;
            let lane = match lane_ends.iter().position(|&end| end <= r.start) {
                Some(free) => {
                    lane_ends[free] = r.end;
                    free
                }
                None => {
                    lane_ends.push(r.end);
                    lane_ends.len() - 1
                }
            };
            self.lanes[i as usize] = u16::try_from(lane).unwrap_or(u16::MAX);
        }

        self.buckets.clear();
        self.buckets.resize_with(paragraphs.len(), Vec::new);
        for &i in &order {
            let r = spans[i as usize].range;
            let mut p = paragraphs.first_ending_after(r.start);
            while let Some(paragraph) = paragraphs.get(p) {
                if paragraph.chars.start >= r.end {
                    break;
                }
                self.buckets[p].push(i);
                p += 1;
            }
        }
    }

    /// The spans overlapping paragraph `p` (indices into the span slice), by start.
    pub fn in_paragraph(&self, p: usize) -> &[u32] {
        self.buckets.get(p).map_or(&[], Vec::as_slice)
    }

    /// The lane of span `i`.
    pub fn lane(&self, i: usize) -> usize {
        self.lanes.get(i).map_or(0, |&l| usize::from(l))
    }

    /// A number that changes whenever the index is rebuilt.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// The spans of paragraph `p` covering code point `at`, innermost (shortest) first, most
    /// recent (latest in the slice) first among equals.
    pub fn covering(&self, spans: &[SpanMark], p: usize, at: usize) -> Vec<usize> {
        let mut hits: Vec<usize> = self
            .in_paragraph(p)
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| {
                spans
                    .get(i)
                    .is_some_and(|s| s.range.start <= at && at < s.range.end)
            })
            .collect();
        hits.sort_by_key(|&i| {
            (
                spans.get(i).map_or(usize::MAX, |s| s.range.len()),
                std::cmp::Reverse(i),
            )
        });
        hits
    }
}

#[cfg(test)]
mod tests {
    use egui::Color32;

    use super::*;
    use crate::app::article_view::Emphasis;
    use crate::model::CharRange;

    fn mark(id: i64, start: usize, end: usize) -> SpanMark {
        SpanMark {
            id,
            range: CharRange::new(start, end),
            color: Color32::RED,
            tooltip: String::new(),
            emphasis: Emphasis::Normal,
        }
    }

    #[test]
    fn nested_and_overlapping_spans_get_different_lanes() {
        let text = "aaaaaaaaaa bbbbbbbbbb\ncccccccccc";
        let paragraphs = Paragraphs::build(text);
        let spans = vec![
            mark(1, 0, 21),
            mark(2, 2, 5),
            mark(3, 4, 9),
            mark(4, 12, 15),
            mark(5, 22, 25),
        ];
        let mut index = SpanIndex::default();
        assert!(index.sync(&spans, &paragraphs, SpanSignature::of(&spans, 0)));
        assert!(!index.sync(&spans, &paragraphs, SpanSignature::of(&spans, 0)));
        let lanes: Vec<usize> = (0..spans.len()).map(|i| index.lane(i)).collect();
        assert_eq!(lanes, vec![0, 1, 2, 1, 0]);
        assert_eq!(index.in_paragraph(0), &[0, 1, 2, 3]);
        assert_eq!(index.in_paragraph(1), &[4]);
        assert_eq!(index.covering(&spans, 0, 4), vec![1, 2, 0]);
    }

    #[test]
    fn spans_crossing_paragraphs_are_in_each() {
        let text = "ab\n\ncd\nef";
        let paragraphs = Paragraphs::build(text);
        let spans = vec![mark(1, 1, 8), mark(2, 2, 4)];
        let mut index = SpanIndex::default();
        index.sync(&spans, &paragraphs, SpanSignature::of(&spans, 0));
        assert_eq!(index.in_paragraph(0), &[0]);
        assert_eq!(index.in_paragraph(1), &[0]);
        assert_eq!(index.in_paragraph(2), &[0]);
    }
}
