//! Matching one annotator's spans against another's, for span precision, recall and F1.
//!
//! Both functions take the ranges of a single label (a match always needs the same label, so
//! callers split spans by label first) and count one-to-one matches:
//!
//! * exact: the same start and end; repeated identical ranges match as often as both sides
//!   have them.
//! * overlap: the ranges share at least one character. Candidate pairs are taken greedily,
//!   largest overlap first (ties: the pair whose edges differ least, then the earlier spans),
//!   and each span is used at most once, so one long span cannot match many short ones.

use std::cmp::Reverse;

use super::Reason;
use crate::model::CharRange;

/// How many spans of `a` and `b` have identical ranges, pairing each span at most once.
pub fn exact_matches(a: &[CharRange], b: &[CharRange]) -> usize {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort_unstable();
    b.sort_unstable();
    let (mut i, mut j, mut matched) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                matched += 1;
                i += 1;
                j += 1;
            }
        }
    }
    matched
}

/// How many spans of `a` and `b` can be paired one-to-one by overlap, greedily by the
/// largest overlap (the count does not depend on which side is `a`).
pub fn overlap_matches(a: &[CharRange], b: &[CharRange]) -> usize {
    let mut candidates = overlapping_pairs(a, b);
    candidates.sort_unstable();
    let mut used_a = vec![false; a.len()];
    let mut used_b = vec![false; b.len()];
    let mut matched = 0;
    for (_, _, _, _, i, j) in candidates {
        if let (Some(ua), Some(ub)) = (used_a.get(i), used_b.get(j))
            && !*ua
            && !*ub
        {
            used_a[i] = true;
            used_b[j] = true;
            matched += 1;
        }
    }
    matched
}

/// The greedy order of a candidate pair: largest overlap, then the smallest difference of
/// edges, then the two ranges (the smaller first, so that swapping the annotators keeps the
/// order), then the indices into `a` and `b`.
type PairKey = (Reverse<usize>, usize, CharRange, CharRange, usize, usize);

/// Every pair `(i, j)` whose ranges overlap, keyed for the greedy order.
fn overlapping_pairs(a: &[CharRange], b: &[CharRange]) -> Vec<PairKey> {
    let mut a_order: Vec<usize> = (0..a.len()).filter(|&i| !a[i].is_empty()).collect();
    let mut b_order: Vec<usize> = (0..b.len()).filter(|&j| !b[j].is_empty()).collect();
    a_order.sort_unstable_by_key(|&i| a[i].start);
    b_order.sort_unstable_by_key(|&j| b[j].start);
    let mut pairs = Vec::new();
    // `b` spans that have started before the current `a` span ends and have not ended before
    // it starts; `a` spans come in order of start, so a `b` span that ends before one `a`
    // span starts can meet no later one.
    let mut active: Vec<usize> = Vec::new();
    let mut next = 0;
    for &i in &a_order {
        let x = a[i];
        while let Some(&j) = b_order.get(next)
            && b[j].start < x.end
        {
            active.push(j);
            next += 1;
        }
        active.retain(|&j| b[j].end > x.start);
        for &j in &active {
            let y = b[j];
            if x.overlaps(y) {
                let shared = x.end.min(y.end) - x.start.max(y.start);
                let edges = x.start.abs_diff(y.start) + x.end.abs_diff(y.end);
                pairs.push((Reverse(shared), edges, x.min(y), x.max(y), i, j));
            }
        }
    }
    pairs
}

/// The spans each of two annotators made and how many of them matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PairCounts {
    /// Spans of the first annotator (the reference for recall).
    pub first: usize,
    /// Spans of the second annotator (the reference for precision).
    pub second: usize,
    /// Pairs matched exactly.
    pub exact: usize,
    /// Pairs matched by overlap.
    pub overlap: usize,
}

impl PairCounts {
    /// Counts the matches between two annotators' spans of one label.
    pub fn of(first: &[CharRange], second: &[CharRange]) -> Self {
        Self {
            first: first.len(),
            second: second.len(),
            exact: exact_matches(first, second),
            overlap: overlap_matches(first, second),
        }
    }

    /// Adds another count (another label or document).
    pub fn add(&mut self, other: &Self) {
        self.first += other.first;
        self.second += other.second;
        self.exact += other.exact;
        self.overlap += other.overlap;
    }

    /// Spans of either annotator without an exact counterpart in the other's.
    pub fn exact_misses(&self) -> usize {
        self.first + self.second - 2 * self.exact.min(self.first).min(self.second)
    }
}

/// Precision, recall and F1 from a match count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prf {
    pub precision: Result<f64, Reason>,
    pub recall: Result<f64, Reason>,
    pub f1: Result<f64, Reason>,
}

/// Precision (`matched / second`), recall (`matched / first`) and F1
/// (`2 matched / (first + second)`), each undefined when its denominator is zero.
pub fn prf(matched: usize, first: usize, second: usize) -> Prf {
    let ratio = |num: usize, den: usize, why: Reason| {
        if den == 0 {
            Err(why)
        } else {
            Ok(num as f64 / den as f64)
        }
    };
    Prf {
        precision: ratio(matched, second, "the second annotator tagged nothing"),
        recall: ratio(matched, first, "the first annotator tagged nothing"),
        f1: ratio(2 * matched, first + second, "no annotator tagged anything"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: usize, end: usize) -> CharRange {
        CharRange::new(start, end)
    }

    #[test]
    fn exact_matching_pairs_duplicates_once_each() {
        let a = [r(0, 5), r(0, 5), r(10, 12)];
        let b = [r(10, 12), r(0, 5), r(0, 6)];
        assert_eq!(exact_matches(&a, &b), 2);
        assert_eq!(exact_matches(&a, &[]), 0);
    }

    #[test]
    fn one_long_span_matches_only_one_short_one() {
        let long = [r(0, 100)];
        let short = [r(0, 10), r(20, 60), r(70, 80)];
        assert_eq!(overlap_matches(&long, &short), 1);
        assert_eq!(overlap_matches(&short, &long), 1);
    }

    #[test]
    fn greedy_prefers_the_largest_overlap() {
        // a0 overlaps b0 by 2 and b1 by 8; a1 overlaps only b0 (by 5). Largest first pairs
        // a0-b1 (8), then a1-b0 (5): two matches.
        let a = [r(8, 20), r(0, 9)];
        let b = [r(2, 10), r(12, 20)];
        assert_eq!(overlap_matches(&a, &b), 2);
        // Touching is not overlapping (ends are exclusive).
        assert_eq!(overlap_matches(&[r(0, 5)], &[r(5, 9)]), 0);
    }

    #[test]
    fn overlap_matching_finds_pairs_behind_long_spans() {
        // b's long span starts first and stays active while a's later spans are checked.
        let a = [r(0, 2), r(50, 52), r(90, 95)];
        let b = [r(1, 100), r(91, 92)];
        assert_eq!(overlapping_pairs(&a, &b).len(), 4);
        // Greedy takes a2-b0 (5 shared) first, which leaves no partner for the others: one
        // match where a maximum matching would find two. That is the price of greedy.
        assert_eq!(overlap_matches(&a, &b), 1);
    }

    #[test]
    fn f1_by_hand() {
        // 3 matched of 4 and 5 spans: P = 3/5, R = 3/4, F1 = 6/9.
        let p = prf(3, 4, 5);
        assert_eq!(p.precision, Ok(0.6));
        assert_eq!(p.recall, Ok(0.75));
        assert!((p.f1.unwrap() - 6.0 / 9.0).abs() < 1e-15);
        assert!(prf(0, 0, 0).f1.is_err());
        assert_eq!(prf(0, 0, 3).f1, Ok(0.0));
    }
}
