//! Token-level chance-corrected agreement: Cohen's κ for two annotators, Fleiss' κ for three
//! or more.
//!
//! Each document is cut into tokens by Unicode word boundaries (UAX #29, as the
//! `unicode-segmentation` crate splits them); segments made only of whitespace are dropped,
//! while punctuation segments stay tokens of their own. A token takes the label of the longest
//! span that shares at least one character with it (the outermost of nested spans; ties go to
//! the earlier start, then the label listed first), or "O" when no span touches it.
//!
//! Both coefficients are computed in exact integers up to the final division. They match
//! scikit-learn's `cohen_kappa_score` and statsmodels' `fleiss_kappa`; where those return NaN
//! (every token has one and the same category, so `0 / 0`), these functions return an error
//! naming the reason instead.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use unicode_segmentation::UnicodeSegmentation;

use super::Reason;
use crate::model::CharRange;

/// The category of a token no span touches.
pub const OUTSIDE: usize = 0;

/// The word tokens of `text` as code-point ranges, whitespace-only segments left out.
pub fn tokens(text: &str) -> Vec<CharRange> {
    let ascii = text.is_ascii();
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut position = 0;
    for segment in text.split_word_bounds() {
        let len = if ascii {
            segment.len()
        } else {
            segment.chars().count()
        };
        if !segment.chars().all(char::is_whitespace) {
            out.push(CharRange::new(position, position + len));
        }
        position += len;
    }
    out
}

/// Each token's category: `label + 1` of the longest span touching it, or [`OUTSIDE`].
///
/// `tokens` must be sorted and disjoint, as [`tokens`] returns them; `spans` are
/// `(range, label index)` in any order.
pub fn token_categories(tokens: &[CharRange], spans: &[(CharRange, usize)]) -> Vec<usize> {
    let mut sorted: Vec<&(CharRange, usize)> = spans.iter().filter(|s| !s.0.is_empty()).collect();
    sorted.sort_unstable_by_key(|s| s.0.start);
    let mut next = 0;
    // Spans that start before the current token ends, longest on top; spans that ended
    // before the current token are dropped when they reach the top (tokens only move right).
    let mut active = BinaryHeap::new();
    let mut out = Vec::with_capacity(tokens.len());
    for token in tokens {
        while let Some(&&(range, label)) = sorted.get(next)
            && range.start < token.end
        {
            active.push((range.len(), Reverse(range.start), Reverse(label), range.end));
            next += 1;
        }
        while let Some(&(_, _, _, end)) = active.peek()
            && end <= token.start
        {
            active.pop();
        }
        out.push(
            active
                .peek()
                .map_or(OUTSIDE, |&(_, _, Reverse(l), _)| l + 1),
        );
    }
    out
}

/// Whether each token shares a character with one of `ranges` (sorted and disjoint).
pub fn token_coverage(tokens: &[CharRange], ranges: &[CharRange]) -> Vec<bool> {
    let mut next = 0;
    tokens
        .iter()
        .map(|token| {
            while ranges.get(next).is_some_and(|r| r.end <= token.start) {
                next += 1;
            }
            ranges.get(next).is_some_and(|r| r.overlaps(*token))
        })
        .collect()
}

/// A two-annotator confusion table over categories, for Cohen's κ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Confusion {
    categories: usize,
    /// Row = first annotator's category, column = second's.
    counts: Vec<u64>,
}

impl Confusion {
    /// An empty table for `categories` categories (it grows if a larger one is added).
    pub fn new(categories: usize) -> Self {
        Self {
            categories,
            counts: vec![0; categories * categories],
        }
    }

    /// Counts one item the annotators put in categories `a` and `b`.
    pub fn add(&mut self, a: usize, b: usize) {
        self.fit(a.max(b) + 1);
        if let Some(cell) = self.counts.get_mut(a * self.categories + b) {
            *cell += 1;
        }
    }

    /// Counts paired items (the shorter sequence sets how many).
    pub fn add_all(&mut self, a: &[usize], b: &[usize]) {
        for (&x, &y) in a.iter().zip(b) {
            self.add(x, y);
        }
    }

    /// Adds another table's counts.
    pub fn absorb(&mut self, other: &Self) {
        self.fit(other.categories);
        for a in 0..other.categories {
            for b in 0..other.categories {
                let n = other.counts[a * other.categories + b];
                if n > 0
                    && let Some(cell) = self.counts.get_mut(a * self.categories + b)
                {
                    *cell += n;
                }
            }
        }
    }

    /// How many items are counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Cohen's κ: `(p_o - p_e) / (1 - p_e)`.
    pub fn kappa(&self) -> Result<f64, Reason> {
        let k = self.categories;
        let n = i128::from(self.total());
        if n == 0 {
            return Err("no tokens to compare");
        }
        let mut agree: i128 = 0;
        let mut chance: i128 = 0;
        for c in 0..k {
            agree += i128::from(self.counts[c * k + c]);
            let row: u64 = self.counts[c * k..(c + 1) * k].iter().sum();
            let col: u64 = (0..k).map(|r| self.counts[r * k + c]).sum();
            chance += i128::from(row) * i128::from(col);
        }
        // κ = (n·agree - chance) / (n² - chance), all over n² to stay in integers.
        let denominator = n * n - chance;
        if denominator == 0 {
            return Err("both annotators gave every token the same category, so kappa is 0/0");
        }
        Ok((n * agree - chance) as f64 / denominator as f64)
    }

    /// Grows the table to hold at least `categories` categories.
    fn fit(&mut self, categories: usize) {
        if categories <= self.categories {
            return;
        }
        let mut grown = vec![0; categories * categories];
        for a in 0..self.categories {
            for b in 0..self.categories {
                grown[a * categories + b] = self.counts[a * self.categories + b];
            }
        }
        self.categories = categories;
        self.counts = grown;
    }
}

/// Per-category counts over items each rated by the same number of raters, for Fleiss' κ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fleiss {
    raters: usize,
    items: u64,
    /// Σ over items and categories of (raters who chose the category)².
    squares: u64,
    /// Ratings per category over all items.
    totals: Vec<u64>,
}

impl Fleiss {
    /// An empty table for items rated by `raters` raters each.
    pub fn new(raters: usize) -> Self {
        Self {
            raters,
            ..Self::default()
        }
    }

    /// Counts one item from each rater's category; refuses an item with another number of
    /// ratings.
    pub fn add_item(&mut self, ratings: &[usize]) -> Result<(), Reason> {
        if ratings.len() != self.raters {
            return Err("every item needs one rating from each rater");
        }
        // Σ_j n_ij² counts the ordered pairs of raters (a rater with itself included) who
        // agree on this item.
        let mut agreeing = 0u64;
        for (i, &a) in ratings.iter().enumerate() {
            agreeing += 1;
            agreeing += 2 * ratings[i + 1..].iter().filter(|&&b| b == a).count() as u64;
            if a >= self.totals.len() {
                self.totals.resize(a + 1, 0);
            }
            if let Some(total) = self.totals.get_mut(a) {
                *total += 1;
            }
        }
        self.squares += agreeing;
        self.items += 1;
        Ok(())
    }

    /// Adds another table's counts (both must have the same number of raters).
    pub fn absorb(&mut self, other: &Self) {
        self.items += other.items;
        self.squares += other.squares;
        if other.totals.len() > self.totals.len() {
            self.totals.resize(other.totals.len(), 0);
        }
        for (mine, theirs) in self.totals.iter_mut().zip(&other.totals) {
            *mine += theirs;
        }
    }

    /// Fleiss' κ: `(P̄ - P_e) / (1 - P_e)`.
    pub fn kappa(&self) -> Result<f64, Reason> {
        if self.raters < 2 {
            return Err("agreement needs at least two annotators");
        }
        if self.items == 0 {
            return Err("no tokens to compare");
        }
        let n = self.raters as i128;
        let m = i128::from(self.items) * n;
        let s = i128::from(self.squares);
        let t: i128 = self
            .totals
            .iter()
            .map(|&x| i128::from(x) * i128::from(x))
            .sum();
        // With M = items·raters, P̄ = (S - M) / (M (n - 1)) and P_e = T / M²; multiplying
        // through by M² (n - 1) keeps everything in integers.
        let denominator = (n - 1) * (m * m - t);
        if denominator == 0 {
            return Err("every annotator gave every token the same category, so kappa is 0/0");
        }
        Ok(((s - m) * m - t * (n - 1)) as f64 / denominator as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: usize, end: usize) -> CharRange {
        CharRange::new(start, end)
    }

    #[test]
    fn tokens_drop_whitespace_and_keep_punctuation() {
        let text = "Peskov said: “no”.  😀 ok";
        let toks = tokens(text);
        let words: Vec<String> = toks
            .iter()
            .map(|t| text.chars().skip(t.start).take(t.len()).collect())
            .collect();
        assert_eq!(
            words,
            vec!["Peskov", "said", ":", "“", "no", "”", ".", "😀", "ok"]
        );
        assert!(tokens("").is_empty());
        assert!(tokens(" \n\t ").is_empty());
    }

    #[test]
    fn longest_span_wins_and_touching_counts() {
        let toks = vec![r(0, 3), r(4, 8), r(9, 12), r(13, 15)];
        // A long span (label 0) holds a short one (label 1); label 2 cuts into the last
        // token by one character.
        let spans = vec![(r(5, 7), 1), (r(0, 12), 0), (r(14, 20), 2)];
        assert_eq!(token_categories(&toks, &spans), vec![1, 1, 1, 3]);
        assert_eq!(token_categories(&toks, &[]), vec![OUTSIDE; 4]);
        assert_eq!(
            token_coverage(&toks, &[r(5, 7), r(14, 20)]),
            vec![false, true, false, true]
        );
    }

    #[test]
    fn cohen_kappa_by_hand() {
        // 10 items: both say 0 on 4, both say 1 on 3, 0/1 on 2, 1/0 on 1.
        // p_o = 0.7; rows (6, 4), columns (5, 5): p_e = (30 + 20) / 100 = 0.5; κ = 0.4.
        let mut c = Confusion::new(2);
        for (a, b, n) in [(0, 0, 4), (1, 1, 3), (0, 1, 2), (1, 0, 1)] {
            for _ in 0..n {
                c.add(a, b);
            }
        }
        assert!((c.kappa().unwrap() - 0.4).abs() < 1e-12);
        let mut same = Confusion::new(1);
        same.add_all(&[0, 0, 0], &[0, 0, 0]);
        assert!(same.kappa().is_err());
        assert!(Confusion::new(3).kappa().is_err());
    }

    #[test]
    fn confusion_grows_and_absorbs() {
        let mut a = Confusion::new(1);
        a.add(0, 2);
        let mut b = Confusion::new(3);
        b.add(2, 2);
        b.absorb(&a);
        assert_eq!(b.total(), 2);
        a.absorb(&b);
        assert_eq!(a.total(), 3);
    }

    #[test]
    fn fleiss_kappa_of_perfect_and_constant_data() {
        let mut f = Fleiss::new(3);
        f.add_item(&[0, 0, 0]).unwrap();
        f.add_item(&[1, 1, 1]).unwrap();
        assert!((f.kappa().unwrap() - 1.0).abs() < 1e-12);
        assert!(f.add_item(&[0, 1]).is_err());
        let mut g = Fleiss::new(3);
        g.add_item(&[2, 2, 2]).unwrap();
        assert!(g.kappa().is_err());
    }
}
