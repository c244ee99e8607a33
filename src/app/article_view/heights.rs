//! Paragraph heights with prefix sums: where each paragraph starts, and which paragraph is
//! at a given height, in O(log n) each (a Fenwick tree).

/// The heights of all paragraphs (measured or estimated) and their running totals.
#[derive(Clone, Debug, Default)]
pub struct Heights {
    /// The height of each paragraph, gap below it included.
    values: Vec<f32>,
    /// Whether each height comes from a real layout (rather than an estimate).
    measured: Vec<bool>,
    /// Fenwick tree over `values` (1-based), in `f64` so that updates do not drift.
    tree: Vec<f64>,
}

impl Heights {
    /// Heights from estimates; none of them measured yet.
    pub fn from_estimates(values: Vec<f32>) -> Self {
        let n = values.len();
        let mut tree = vec![0.0f64; n + 1];
        for (i, &v) in values.iter().enumerate() {
            let node = i + 1;
            tree[node] += f64::from(v);
            let parent = node + (node & node.wrapping_neg());
            if parent <= n {
                tree[parent] += tree[node];
            }
        }
        Self {
            measured: vec![false; n],
            values,
            tree,
        }
    }

    /// How many paragraphs there are.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no paragraphs.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The height of paragraph `i` (0 past the end).
    pub fn height(&self, i: usize) -> f32 {
        self.values.get(i).copied().unwrap_or(0.0)
    }

    /// Whether paragraph `i`'s height comes from a real layout.
    pub fn is_measured(&self, i: usize) -> bool {
        self.measured.get(i).copied().unwrap_or(false)
    }

    /// Records the real height of paragraph `i`.
    pub fn set_measured(&mut self, i: usize, height: f32) {
        let Some(old) = self.values.get(i).copied() else {
            return;
        };
        self.measured[i] = true;
        if old == height {
            return;
        }
        self.values[i] = height;
        let delta = f64::from(height) - f64::from(old);
        let mut node = i + 1;
        while node < self.tree.len() {
            self.tree[node] += delta;
            node += node & node.wrapping_neg();
        }
    }

    /// The top of paragraph `i`: the sum of the heights above it.
    pub fn top(&self, i: usize) -> f32 {
        let mut node = i.min(self.values.len());
        let mut sum = 0.0f64;
        while node > 0 {
            sum += self.tree[node];
            node -= node & node.wrapping_neg();
        }
        sum as f32
    }

    /// The total height of all paragraphs.
    pub fn total(&self) -> f32 {
        self.top(self.values.len())
    }

    /// The paragraph at height `y` (clamped to the first and last paragraph); 0 when empty.
    pub fn index_at(&self, y: f32) -> usize {
        let n = self.values.len();
        if n == 0 || y <= 0.0 {
            return 0;
        }
        let y = f64::from(y);
        // Walk down the tree: find the largest count of paragraphs whose total is <= y.
        let mut pos = 0usize;
        let mut remaining = y;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= remaining {
                pos = next;
                remaining -= self.tree[next];
            }
            step >>= 1;
        }
        pos.min(n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_sums_follow_updates() {
        let mut heights = Heights::from_estimates(vec![10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(heights.top(0), 0.0);
        assert_eq!(heights.top(3), 60.0);
        assert_eq!(heights.total(), 150.0);
        heights.set_measured(1, 25.0);
        assert!(heights.is_measured(1));
        assert_eq!(heights.top(2), 35.0);
        assert_eq!(heights.total(), 155.0);
    }

    #[test]
    fn finds_the_paragraph_at_a_height() {
        let heights = Heights::from_estimates(vec![10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0]);
        assert_eq!(heights.index_at(-5.0), 0);
        assert_eq!(heights.index_at(0.0), 0);
        assert_eq!(heights.index_at(9.9), 0);
        assert_eq!(heights.index_at(10.0), 1);
        assert_eq!(heights.index_at(29.0), 1);
        assert_eq!(heights.index_at(30.0), 2);
        assert_eq!(heights.index_at(209.0), 5);
        assert_eq!(heights.index_at(210.0), 6);
        assert_eq!(heights.index_at(10_000.0), 6);
        for y in 0..280 {
            let i = heights.index_at(y as f32);
            assert!(heights.top(i) <= y as f32);
            assert!(i == 6 || heights.top(i + 1) > y as f32);
        }
    }

    #[test]
    fn empty_heights_are_harmless() {
        let heights = Heights::from_estimates(Vec::new());
        assert_eq!(heights.index_at(100.0), 0);
        assert_eq!(heights.total(), 0.0);
    }
}
