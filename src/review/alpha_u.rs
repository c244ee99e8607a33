//! Krippendorff's unitized alpha (α_u) for one category at a time, and for all categories
//! together.
//!
//! The coefficient follows Krippendorff (2004), "Measuring the reliability of qualitative text
//! analysis data" (Quality & Quantity 38), as DKPro Statistics computes it in
//! `KrippendorffAlphaUnitizingAgreement`:
//!
//! * Each rater's continuum is cut, for one category, into that rater's units of the category
//!   and the gaps between them.
//! * The observed disagreement sums, over every ordered pair of raters, the squared distances
//!   of overlapping sections: two overlapping units differ by `(Δbegin)² + (Δend)²`; a unit
//!   that lies inside the other rater's gap (no unit of the other rater overlaps it) costs its
//!   length squared; everything else costs nothing. The sum is divided by `R (R - 1) L²`.
//! * The expected disagreement considers every placement of each unit within the continuum:
//!   `(2 / L) Σ_units [ (N - 1) (2l³ - 3l² + l) / 3 + l² Σ_{gaps g ≥ l} (g - l + 1) ]`, divided
//!   by `R L (R L - 1) - Σ_units l (l - 1)`, where `N` counts the category's units of all
//!   raters and the gaps are those of all raters.
//! * `α_u = 1 - D_O / D_E`. Over several categories DKPro averages the observed and the
//!   expected disagreements separately before dividing, so the overall coefficient is
//!   `1 - Σ_c D_O(c) / Σ_c D_E(c)` over the categories that have units.
//!
//! Work is done on unit boundaries, never per position: the observed part is a merge of two
//! sorted lists of units, and the expected part sorts the gap lengths once and finds, for each
//! unit, the gaps it fits in by binary search. Sums stay in exact integers (`u128`) until the
//! final divisions.
//!
//! A corpus is one continuum made of its documents laid end to end, with every gap cut at the
//! document's edges (no gap runs from one document into the next). Use one [`AlphaTally`] per
//! category, feed it each document with [`AlphaTally::add_continuum`], and merge tallies with
//! [`AlphaTally::absorb`].
//!
//! Where DKPro would return NaN (no units at all, so `0 / 0`) or `0.0` for a category without
//! units, these functions return an error naming the reason instead; they never return NaN.

use crate::model::CharRange;

use super::Reason;

/// The additive parts of α_u for one category over one or more continua.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlphaTally {
    /// How many raters every continuum has (raters without units included).
    raters: usize,
    /// The total length of the continua, in positions.
    length: u128,
    /// The sum of squared distances over every unordered pair of raters.
    distance: u128,
    /// The length of every unit of every rater.
    units: Vec<u64>,
    /// The length of every gap of every rater.
    gaps: Vec<u64>,
}

impl AlphaTally {
    /// An empty tally for `raters` raters.
    pub fn new(raters: usize) -> Self {
        Self {
            raters,
            ..Self::default()
        }
    }

    /// The total length of the continua added so far.
    pub fn length(&self) -> u128 {
        self.length
    }

    /// Adds one continuum of `length` positions with each rater's units of this category.
    ///
    /// Units are clipped to the continuum; a rater's overlapping units are merged into one
    /// (α_u assumes a rater's units of one category do not overlap), while units that merely
    /// touch stay separate. Raters missing from `units` have no units; extra ones are ignored.
    pub fn add_continuum<U: AsRef<[CharRange]>>(&mut self, length: usize, units: &[U]) {
        let normalised: Vec<Vec<CharRange>> = (0..self.raters)
            .map(|r| normalise_units(units.get(r).map_or(&[][..], AsRef::as_ref), length))
            .collect();
        self.length += length as u128;
        for (r, own) in normalised.iter().enumerate() {
            let mut cursor = 0;
            for unit in own {
                if unit.start > cursor {
                    self.gaps.push((unit.start - cursor) as u64);
                }
                self.units.push(unit.len() as u64);
                cursor = unit.end;
            }
            if length > cursor {
                self.gaps.push((length - cursor) as u64);
            }
            for other in &normalised[r + 1..] {
                self.distance += pair_distance(own, other);
            }
        }
    }

    /// Adds another tally's continua (both must compare the same raters).
    pub fn absorb(&mut self, other: &Self) {
        self.length += other.length;
        self.distance += other.distance;
        self.units.extend_from_slice(&other.units);
        self.gaps.extend_from_slice(&other.gaps);
    }

    /// The observed disagreement D_O.
    pub fn observed(&self) -> Result<f64, Reason> {
        self.check()?;
        let r = self.raters as f64;
        let l = self.length as f64;
        Ok(2.0 * self.distance as f64 / (r * (r - 1.0) * l * l))
    }

    /// The expected disagreement D_E.
    pub fn expected(&self) -> Result<f64, Reason> {
        self.check()?;
        let mut gaps = self.gaps.clone();
        gaps.sort_unstable();
        // `tail[i]` is the sum of `gaps[i..]`.
        let mut tail = vec![0u128; gaps.len() + 1];
        for i in (0..gaps.len()).rev() {
            tail[i] = tail[i + 1] + u128::from(gaps[i]);
        }
        let n = self.units.len() as u128;
        let mut numerator: u128 = 0;
        let mut squares: u128 = 0;
        for &unit in &self.units {
            let l = u128::from(unit);
            // (2l³ - 3l² + l) / 3 = l (l - 1) (2l - 1) / 3, always a whole number.
            let within = (n - 1) * (l * l.saturating_sub(1) * (2 * l).saturating_sub(1) / 3);
            let first_fit = gaps.partition_point(|&g| g < unit);
            let fitting = (gaps.len() - first_fit) as u128;
            let placements = tail[first_fit] - fitting * l.saturating_sub(1);
            numerator += within + l * l * placements;
            squares += l * l.saturating_sub(1);
        }
        let rl = self.raters as u128 * self.length;
        let pairs = (rl * rl.saturating_sub(1)).saturating_sub(squares);
        if pairs == 0 {
            return Err("the continuum is too short to place units in");
        }
        Ok(2.0 * numerator as f64 / (self.length as f64 * pairs as f64))
    }

    /// α_u for this category: `1 - D_O / D_E`.
    pub fn alpha(&self) -> Result<f64, Reason> {
        alpha_over(std::slice::from_ref(self))
    }

    /// Whether the tally has what both disagreements need.
    fn check(&self) -> Result<(), Reason> {
        if self.raters < 2 {
            return Err("agreement needs at least two annotators");
        }
        if self.length == 0 {
            return Err("the documents have no characters");
        }
        if self.units.is_empty() {
            return Err("no annotator tagged anything");
        }
        Ok(())
    }
}

/// α_u over several categories: `1 - Σ D_O / Σ D_E`, as DKPro combines categories; categories
/// without units are left out.
pub fn alpha_over(categories: &[AlphaTally]) -> Result<f64, Reason> {
    let mut observed = 0.0;
    let mut expected = 0.0;
    let mut any = false;
    let mut first_error = None;
    for tally in categories {
        if tally.units.is_empty() {
            first_error.get_or_insert("no annotator tagged anything");
            continue;
        }
        match (tally.observed(), tally.expected()) {
            (Ok(o), Ok(e)) => {
                observed += o;
                expected += e;
                any = true;
            }
            (Err(reason), _) | (_, Err(reason)) => return Err(reason),
        }
    }
    if !any {
        return Err(first_error.unwrap_or("no annotator tagged anything"));
    }
    if expected == 0.0 {
        return Err("no expected disagreement (every position is tagged alike), so alpha is 0/0");
    }
    Ok(1.0 - observed / expected)
}

/// One rater's units clipped to `0..length`, sorted, with overlapping units merged.
pub fn normalise_units(units: &[CharRange], length: usize) -> Vec<CharRange> {
    let mut sorted: Vec<CharRange> = units
        .iter()
        .map(|u| CharRange::new(u.start.min(length), u.end.min(length)))
        .filter(|u| !u.is_empty())
        .collect();
    sorted.sort_unstable();
    let mut merged: Vec<CharRange> = Vec::with_capacity(sorted.len());
    for unit in sorted {
        match merged.last_mut() {
            Some(last) if unit.start < last.end => last.end = last.end.max(unit.end),
            _ => merged.push(unit),
        }
    }
    merged
}

/// The squared distances between two raters' sorted, disjoint units: overlapping units cost
/// `(Δbegin)² + (Δend)²`, a unit that overlaps none of the other rater's costs its length
/// squared.
fn pair_distance(a: &[CharRange], b: &[CharRange]) -> u128 {
    let square = |x: usize, y: usize| {
        let d = x.abs_diff(y) as u128;
        d * d
    };
    let alone = |u: &CharRange| {
        let l = u.len() as u128;
        l * l
    };
    let mut total = 0;
    let (mut i, mut j) = (0, 0);
    // Whether the current unit of each side has overlapped a unit of the other side.
    let (mut a_hit, mut b_hit) = (false, false);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        if x.overlaps(*y) {
            total += square(x.start, y.start) + square(x.end, y.end);
            a_hit = true;
            b_hit = true;
        }
        if x.end <= y.end {
            if !a_hit {
                total += alone(x);
            }
            i += 1;
            a_hit = false;
        } else {
            if !b_hit {
                total += alone(y);
            }
            j += 1;
            b_hit = false;
        }
    }
    // What is left of one side overlaps nothing more; its current unit may already have
    // overlapped something.
    let rest_a = a
        .get(i..)
        .unwrap_or_default()
        .iter()
        .skip(usize::from(a_hit));
    let rest_b = b
        .get(j..)
        .unwrap_or_default()
        .iter()
        .skip(usize::from(b_hit));
    total += rest_a.chain(rest_b).map(alone).sum::<u128>();
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Units given as (begin, length), as Krippendorff and DKPro write them.
    fn units(list: &[(usize, usize)]) -> Vec<CharRange> {
        list.iter()
            .map(|&(b, l)| CharRange::new(b, b + l))
            .collect()
    }

    /// Krippendorff (2004: 254), as in DKPro Statistics' `Krippendorff2004Test`, with the
    /// continuum shifted from 150..450 to 0..300.
    fn krippendorff_2004() -> (AlphaTally, AlphaTally) {
        let mut c = AlphaTally::new(2);
        c.add_continuum(
            300,
            &[
                units(&[(75, 70), (220, 30)]),
                units(&[(70, 80), (205, 20), (250, 20)]),
            ],
        );
        let mut k = AlphaTally::new(2);
        let both = units(&[(30, 60), (150, 50)]);
        k.add_continuum(300, &[both.clone(), both]);
        (c, k)
    }

    #[test]
    fn krippendorff_2004_example_matches_dkpro() {
        let (c, k) = krippendorff_2004();
        // DKPro's Krippendorff2004Test: D_O(c) = 0.0144, D_E(c) = 0.0532, α(c) = 0.7286;
        // D_O(k) = 0, D_E(k) = 0.0490, α(k) = 1; overall α = 0.8591.
        assert!((c.observed().unwrap() - 0.0144).abs() < 1e-4);
        assert!((c.expected().unwrap() - 0.0532).abs() < 1e-4);
        assert!((c.alpha().unwrap() - 0.7286).abs() < 1e-4);
        assert_eq!(k.observed().unwrap(), 0.0);
        assert!((k.expected().unwrap() - 0.0490).abs() < 1e-4);
        assert_eq!(k.alpha().unwrap(), 1.0);
        let overall = alpha_over(&[c, k]).unwrap();
        assert!((overall - 0.8591).abs() < 5e-4, "{overall}");
    }

    #[test]
    fn dkpro_unitizing_example_with_negative_alpha() {
        // DKPro's UnitizingAgreementTest: r0 -11111111-, r1 --1-1-1--- on a continuum of 10:
        // D_O = 0.9100, D_E = 0.5351, α = -0.7003.
        let mut a = AlphaTally::new(2);
        a.add_continuum(10, &[units(&[(1, 8)]), units(&[(2, 1), (4, 1), (6, 1)])]);
        assert!((a.observed().unwrap() - 0.9100).abs() < 1e-4);
        assert!((a.expected().unwrap() - 0.5351).abs() < 1e-4);
        assert!((a.alpha().unwrap() + 0.7003).abs() < 1e-4);
    }

    #[test]
    fn single_unit_among_three_raters_gives_zero() {
        // DKPro's testSingleAnnotationUnit: D_O equals D_E, so α = 0.
        let mut a = AlphaTally::new(3);
        a.add_continuum(20, &[units(&[(0, 1)])]);
        assert!(a.alpha().unwrap().abs() < 1e-12);
    }

    #[test]
    fn no_units_is_undefined_not_nan() {
        let mut a = AlphaTally::new(3);
        a.add_continuum(20, &[Vec::<CharRange>::new()]);
        assert!(a.alpha().is_err());
        assert!(alpha_over(&[a]).is_err());
        let mut one = AlphaTally::new(1);
        one.add_continuum(20, &[units(&[(0, 5)])]);
        assert!(one.alpha().is_err());
        let empty = AlphaTally::new(2);
        assert!(empty.alpha().is_err());
    }

    #[test]
    fn whole_continuum_of_one_position_has_no_variation() {
        let mut a = AlphaTally::new(2);
        a.add_continuum(1, &[units(&[(0, 1)]), units(&[(0, 1)])]);
        assert!(a.alpha().is_err());
    }

    #[test]
    fn overlapping_units_of_one_rater_merge() {
        let merged = normalise_units(&units(&[(5, 10), (0, 3), (8, 20), (3, 2), (40, 5)]), 30);
        assert_eq!(
            merged,
            vec![
                CharRange::new(0, 3),
                CharRange::new(3, 5),
                CharRange::new(5, 28)
            ]
        );
    }

    #[test]
    fn gaps_do_not_run_across_documents() {
        // Two documents of 10 positions; rater 0 has one unit at 2..5 of the second. The gap
        // before it is 2 long, not 12: the first document's gaps end at its own edge.
        let mut t = AlphaTally::new(2);
        t.add_continuum(10, &[Vec::<CharRange>::new(), Vec::new()]);
        t.add_continuum(10, &[units(&[(2, 3)]), Vec::new()]);
        let mut gaps = t.gaps.clone();
        gaps.sort_unstable();
        assert_eq!(gaps, vec![2, 5, 10, 10, 10]);
        assert_eq!(t.length(), 20);
    }
}
