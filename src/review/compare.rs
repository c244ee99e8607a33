//! Compare mode: how each of two annotators' spans in a document stands against the other's.

use crate::model::Span;

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
/// reading order.
pub fn compare_layers(spans: &[Span], a: &str, b: &str) -> Vec<Compared> {
    let side =
        |name: &str| -> Vec<&Span> { spans.iter().filter(|s| s.annotator == name).collect() };
    let (left, right) = (side(a), side(b));
    let mut out: Vec<Compared> = left
        .iter()
        .map(|s| classify(s, &right))
        .chain(right.iter().map(|s| classify(s, &left)))
        .collect();
    let order = |id: i64| spans.iter().position(|s| s.id == id).unwrap_or(usize::MAX);
    out.sort_by_key(|c| order(c.span_id));
    out
}

fn classify(span: &Span, others: &[&Span]) -> Compared {
    let found = |agreement: Agreement, pred: &dyn Fn(&Span) -> bool| {
        others.iter().find(|o| pred(o)).map(|o| Compared {
            span_id: span.id,
            annotator: span.annotator.clone(),
            agreement,
            counterpart: Some(o.id),
        })
    };
    found(Agreement::Same, &|o| {
        o.range == span.range && o.label == span.label
    })
    .or_else(|| found(Agreement::OtherLabel, &|o| o.range == span.range))
    .or_else(|| {
        found(Agreement::Boundaries, &|o| {
            o.label == span.label && o.range.overlaps(span.range)
        })
    })
    .unwrap_or_else(|| Compared {
        span_id: span.id,
        annotator: span.annotator.clone(),
        agreement: Agreement::OnlyHere,
        counterpart: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharRange, Origin, Timestamp};

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
