//! Compare mode: how each of two annotators' spans in a document stands against the other's.

use std::collections::HashMap;

use crate::model::{CharRange, Span};

/// How one span compares with the other annotator's spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Agreement {
    /// The other annotator has the same range with the same label.
    Same,
    /// The other annotator has the same range with another label.
    OtherLabel,
    /// The other annotator has an overlapping span with the same label, other boundaries.
    Boundaries,
    /// Nothing like it on the other side.
    OnlyHere,
}

impl Agreement {
    /// Words for the disagreement list.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Same => "agree",
            Self::OtherLabel => "other label",
            Self::Boundaries => "other boundaries",
            Self::OnlyHere => "only one tagged it",
        }
    }
}

/// One span's standing in a comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compared {
    pub span_id: i64,
    pub annotator: String,
    pub agreement: Agreement,
    /// The other annotator's span it was compared with, if any.
    pub counterpart: Option<i64>,
}

/// Classifies every span of annotators `a` and `b` among `spans` (one document's), in
/// reading order. Indexed, so documents with thousands of spans compare in milliseconds.
pub fn compare_layers(spans: &[Span], a: &str, b: &str) -> Vec<Compared> {
    let side = |name: &str| -> Side<'_> { Side::new(spans.iter().filter(|s| s.annotator == name)) };
    let (left, right) = (side(a), side(b));
    // `spans` is in reading order, and so is the result.
    spans
        .iter()
        .filter_map(|span| {
            let other = if span.annotator == a {
                &right
            } else if span.annotator == b {
                &left
            } else {
                return None;
            };
            Some(other.classify(span))
        })
        .collect()
}

/// One annotator's spans, indexed for comparison.
struct Side<'s> {
    /// Exact range and label → span id.
    exact: HashMap<(CharRange, &'s str), i64>,
    /// Exact range → span id (any label).
    by_range: HashMap<CharRange, i64>,
    /// Per label: spans sorted by start, and the longest span's length.
    by_label: HashMap<&'s str, (Vec<&'s Span>, usize)>,
}

impl<'s> Side<'s> {
    fn new(spans: impl Iterator<Item = &'s Span>) -> Self {
        let mut side = Self {
            exact: HashMap::new(),
            by_range: HashMap::new(),
            by_label: HashMap::new(),
        };
        for span in spans {
            side.exact
                .entry((span.range, span.label.as_str()))
                .or_insert(span.id);
            side.by_range.entry(span.range).or_insert(span.id);
            let (list, longest) = side.by_label.entry(span.label.as_str()).or_default();
            list.push(span);
            *longest = (*longest).max(span.range.len());
        }
        for (list, _) in side.by_label.values_mut() {
            list.sort_by_key(|s| (s.range.start, s.range.end, s.id));
        }
        side
    }

    fn classify(&self, span: &Span) -> Compared {
        let (agreement, counterpart) =
            if let Some(&id) = self.exact.get(&(span.range, span.label.as_str())) {
                (Agreement::Same, Some(id))
            } else if let Some(&id) = self.by_range.get(&span.range) {
                (Agreement::OtherLabel, Some(id))
            } else if let Some(id) = self.overlapping_same_label(span) {
                (Agreement::Boundaries, Some(id))
            } else {
                (Agreement::OnlyHere, None)
            };
        Compared {
            span_id: span.id,
            annotator: span.annotator.clone(),
            agreement,
            counterpart,
        }
    }

    /// The first span of the same label sharing a character with `span`.
    fn overlapping_same_label(&self, span: &Span) -> Option<i64> {
        let (list, longest) = self.by_label.get(span.label.as_str())?;
        // Candidates start before `span` ends and no earlier than the longest span allows.
        let earliest = span.range.start.saturating_sub(*longest);
        let from = list.partition_point(|s| s.range.start < earliest);
        let to = list.partition_point(|s| s.range.start < span.range.end);
        list.get(from..to)?
            .iter()
            .find(|o| o.range.overlaps(span.range))
            .map(|o| o.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Timestamp};

    fn span(id: i64, who: &str, start: usize, end: usize, label: &str) -> Span {
        Span {
            id,
            uid: String::new(),
            document_id: 1,
            range: CharRange::new(start, end),
            label: label.into(),
            annotator: who.into(),
            note: String::new(),
            origin: Origin::Manual,
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
            attributes: Default::default(),
        }
    }

    #[test]
    fn each_kind_of_disagreement_is_named() {
        let spans = vec![
            span(1, "ana", 0, 10, "claim"),
            span(2, "ben", 0, 10, "claim"),
            span(3, "ana", 20, 30, "quote"),
            span(4, "ben", 20, 30, "claim"),
            span(5, "ana", 40, 50, "figure"),
            span(6, "ben", 42, 55, "figure"),
            span(7, "ana", 60, 70, "denial"),
            span(8, "cy", 60, 70, "denial"),
        ];
        let got: Vec<(i64, Agreement)> = compare_layers(&spans, "ana", "ben")
            .into_iter()
            .map(|c| (c.span_id, c.agreement))
            .collect();
        assert_eq!(
            got,
            [
                (1, Agreement::Same),
                (2, Agreement::Same),
                (3, Agreement::OtherLabel),
                (4, Agreement::OtherLabel),
                (5, Agreement::Boundaries),
                (6, Agreement::Boundaries),
                (7, Agreement::OnlyHere),
            ]
        );
    }
}

#[cfg(test)]
mod speed {
    use super::*;
    use crate::model::{Origin, Timestamp};

    #[test]
    fn ten_thousand_spans_a_side_compare_like_the_naive_rule() {
        // The indexed comparison agrees with the obvious quadratic one on a dense document.
        let mut spans = Vec::new();
        let mut seed = 7u64;
        for id in 0..4_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let start = (seed >> 33) as usize % 50_000;
            let len = 1 + (seed >> 20) as usize % 40;
            let label = ["claim", "quote", "figure"][(seed >> 10) as usize % 3];
            let who = if id % 2 == 0 { "ana" } else { "ben" };
            spans.push(Span {
                id,
                uid: String::new(),
                document_id: 1,
                range: CharRange::new(start, start + len),
                label: label.into(),
                annotator: who.into(),
                note: String::new(),
                origin: Origin::Manual,
                created_at: Timestamp(0),
                updated_at: Timestamp(0),
                attributes: Default::default(),
            });
        }
        spans.sort_by_key(|s| (s.range.start, std::cmp::Reverse(s.range.end), s.id));
        let fast = compare_layers(&spans, "ana", "ben");
        let naive: Vec<Agreement> = spans
            .iter()
            .map(|s| {
                let others: Vec<&Span> = spans
                    .iter()
                    .filter(|o| o.annotator != s.annotator)
                    .collect();
                if others
                    .iter()
                    .any(|o| o.range == s.range && o.label == s.label)
                {
                    Agreement::Same
                } else if others.iter().any(|o| o.range == s.range) {
                    Agreement::OtherLabel
                } else if others
                    .iter()
                    .any(|o| o.label == s.label && o.range.overlaps(s.range))
                {
                    Agreement::Boundaries
                } else {
                    Agreement::OnlyHere
                }
            })
            .collect();
        let got: Vec<Agreement> = fast.iter().map(|c| c.agreement).collect();
        assert_eq!(got, naive);
    }
}
