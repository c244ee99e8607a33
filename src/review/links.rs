//! Agreement on what spans carry besides their label: relations between them and their
//! attribute values.
//!
//! A relation of one annotator matches one of another when its type and both ends match
//! exactly (start, end and label of each end). Precision, recall and F1 are pooled over
//! annotator pairs: with annotators `i < j`, precision counts the matches against `i`'s
//! relations and recall against `j`'s (for two annotators: the first against the second).
//!
//! Attribute values are compared on the spans two annotators tagged identically (same range,
//! same label) where at least one of them set the attribute; an unset value is a category of
//! its own there. Each `label.attribute` gets the share of such spans with equal values and
//! Cohen's κ over them (for more than two annotators, over the pairs' tables pooled).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::kappa::Confusion;
use crate::model::{Attributes, CharRange};

/// A span as agreement names it: range and label.
pub type SpanKey = (CharRange, String);

/// One annotator's relations and attribute values in one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnnotatorLinks {
    /// `(type, from, to)`.
    pub relations: Vec<(String, SpanKey, SpanKey)>,
    /// Every span with its attribute values (none for most), so that spans both annotators
    /// tagged can be told from spans only one did.
    pub attributes: Vec<(SpanKey, Attributes)>,
}

/// Relation agreement.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RelationScores {
    pub exact_f1: Option<f64>,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    /// Each annotator's relations, in the report's annotator order.
    pub relations: Vec<usize>,
    /// Matching relations, summed over annotator pairs.
    pub matches: usize,
}

/// Agreement on one attribute of one label.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AttributeScores {
    /// The share of compared spans whose values are equal.
    pub agreement: Option<f64>,
    pub cohen_kappa: Option<f64>,
    /// Spans compared (summed over annotator pairs).
    pub n: usize,
}

/// Counts gathered one document at a time.
#[derive(Clone, Debug)]
pub struct LinkTally {
    raters: usize,
    relations: Vec<usize>,
    /// Over pairs `i < j`: matches, `i`'s relations, `j`'s relations.
    matches: usize,
    first: usize,
    second: usize,
    attributes: BTreeMap<String, AttributeTally>,
}

#[derive(Clone, Debug)]
struct AttributeTally {
    /// Value → category (0 is unset).
    categories: HashMap<String, usize>,
    table: Confusion,
    equal: usize,
    n: usize,
}

impl AttributeTally {
    fn new() -> Self {
        Self {
            categories: HashMap::new(),
            table: Confusion::new(1),
            equal: 0,
            n: 0,
        }
    }

    fn category(&mut self, value: Option<&String>) -> usize {
        let Some(value) = value else {
            return 0;
        };
        let next = self.categories.len() + 1;
        *self.categories.entry(value.clone()).or_insert(next)
    }
}

impl LinkTally {
    pub fn new(raters: usize) -> Self {
        Self {
            raters,
            relations: vec![0; raters],
            matches: 0,
            first: 0,
            second: 0,
            attributes: BTreeMap::new(),
        }
    }

    /// Adds one document: each annotator's links, in the report's annotator order.
    pub fn add(&mut self, links: &[AnnotatorLinks]) {
        let empty = AnnotatorLinks::default();
        let of = |a: usize| links.get(a).unwrap_or(&empty);
        for a in 0..self.raters {
            self.relations[a] += of(a).relations.len();
        }
        for i in 0..self.raters {
            for j in i + 1..self.raters {
                let (a, b) = (of(i), of(j));
                self.first += a.relations.len();
                self.second += b.relations.len();
                self.matches += matching(&a.relations, &b.relations);
                self.add_attributes(a, b);
            }
        }
    }

    fn add_attributes(&mut self, a: &AnnotatorLinks, b: &AnnotatorLinks) {
        let theirs: HashMap<&SpanKey, &Attributes> =
            b.attributes.iter().map(|(k, v)| (k, v)).collect();
        for (key, x) in &a.attributes {
            // Only spans both tagged identically.
            let Some(y) = theirs.get(key) else {
                continue;
            };
            let mut names: Vec<&String> = x.keys().chain(y.keys()).collect();
            names.sort();
            names.dedup();
            for name in names {
                let tally = self
                    .attributes
                    .entry(format!("{}.{name}", key.1))
                    .or_insert_with(AttributeTally::new);
                let (u, v) = (x.get(name), y.get(name));
                let (cu, cv) = (tally.category(u), tally.category(v));
                tally.table.add(cu, cv);
                tally.n += 1;
                if u == v {
                    tally.equal += 1;
                }
            }
        }
    }

    /// The scores of everything added.
    pub fn finish(&self) -> (RelationScores, BTreeMap<String, AttributeScores>) {
        let ratio = |n: usize, d: usize| (d > 0).then(|| n as f64 / d as f64);
        let enough = self.raters >= 2;
        let relations = RelationScores {
            exact_f1: ratio(2 * self.matches, self.first + self.second).filter(|_| enough),
            precision: ratio(self.matches, self.first).filter(|_| enough),
            recall: ratio(self.matches, self.second).filter(|_| enough),
            relations: self.relations.clone(),
            matches: self.matches,
        };
        let attributes = self
            .attributes
            .iter()
            .map(|(name, t)| {
                (
                    name.clone(),
                    AttributeScores {
                        agreement: ratio(t.equal, t.n),
                        cohen_kappa: t.table.kappa().ok(),
                        n: t.n,
                    },
                )
            })
            .collect();
        (relations, attributes)
    }
}

/// How many of `a` have a counterpart in `b`, each used once.
fn matching(a: &[(String, SpanKey, SpanKey)], b: &[(String, SpanKey, SpanKey)]) -> usize {
    let mut left: HashMap<&(String, SpanKey, SpanKey), usize> = HashMap::new();
    for r in b {
        *left.entry(r).or_default() += 1;
    }
    a.iter()
        .filter(|r| match left.get_mut(r) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(start: usize, end: usize, label: &str) -> SpanKey {
        (CharRange::new(start, end), label.to_owned())
    }

    fn rel(kind: &str, from: SpanKey, to: SpanKey) -> (String, SpanKey, SpanKey) {
        (kind.to_owned(), from, to)
    }

    #[test]
    fn relations_match_on_type_and_both_exact_ends() {
        let quote = key(10, 20, "quote");
        let peskov = key(0, 6, "source");
        let ana = AnnotatorLinks {
            relations: vec![
                rel("said_by", quote.clone(), peskov.clone()),
                rel("said_by", key(30, 40, "claim"), peskov.clone()),
                rel("denies", key(50, 60, "denial"), key(30, 40, "claim")),
            ],
            ..AnnotatorLinks::default()
        };
        let ben = AnnotatorLinks {
            relations: vec![
                rel("said_by", quote, peskov.clone()),
                // One character off at the claim's end: no match.
                rel("said_by", key(30, 41, "claim"), peskov),
            ],
            ..AnnotatorLinks::default()
        };
        let mut tally = LinkTally::new(2);
        tally.add(&[ana, ben]);
        let (scores, _) = tally.finish();
        // By hand: 1 match; ana has 3, ben 2: P = 1/3, R = 1/2, F1 = 2·1/(3+2) = 0.4.
        assert_eq!(scores.matches, 1);
        assert_eq!(scores.relations, [3, 2]);
        assert!((scores.precision.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert!((scores.recall.unwrap() - 0.5).abs() < 1e-12);
        assert!((scores.exact_f1.unwrap() - 0.4).abs() < 1e-12);
    }

    #[test]
    fn verdicts_are_compared_on_identical_spans_only() {
        let values = |v: &str| Attributes::from([("verdict".to_owned(), v.to_owned())]);
        let claim = |start: usize| key(start, start + 5, "claim");
        let ana = AnnotatorLinks {
            attributes: vec![
                (claim(0), values("false")),
                (claim(10), values("true")),
                (claim(20), values("false")),
                (claim(30), values("true")),
                // Ben tagged no span here: not compared.
                (claim(40), values("false")),
            ],
            ..AnnotatorLinks::default()
        };
        let ben = AnnotatorLinks {
            attributes: vec![
                (claim(0), values("false")),
                (claim(10), values("true")),
                (claim(20), values("true")),
                (claim(30), values("true")),
            ],
            ..AnnotatorLinks::default()
        };
        let mut tally = LinkTally::new(2);
        tally.add(&[ana, ben]);
        let (_, attributes) = tally.finish();
        let verdict = &attributes["claim.verdict"];
        assert_eq!(verdict.n, 4);
        assert_eq!(verdict.agreement, Some(0.75));
        // By hand: p_o = 3/4; ana false 2, true 2; ben false 1, true 3;
        // p_e = (2·1 + 2·3)/16 = 1/2; κ = (3/4 − 1/2)/(1 − 1/2) = 1/2.
        assert!((verdict.cohen_kappa.unwrap() - 0.5).abs() < 1e-12);
    }
}
