//! Find in the document: case-insensitive matches as code-point ranges.

use crate::model::CharRange;

/// The search bar's state.
#[derive(Default)]
pub struct SearchState {
    pub open: bool,
    pub query: String,
    pub matches: Vec<CharRange>,
    pub current: Option<usize>,
    /// Focus the query field on the next frame.
    pub focus: bool,
}

impl SearchState {
    /// Finds the query in `text` again (after the query or the document changed).
    pub fn recompute(&mut self, text: Option<&str>) {
        self.matches = match text {
            Some(text) if !self.query.is_empty() => find_all(text, &self.query),
            _ => Vec::new(),
        };
        self.current = None;
    }

    /// Steps to the next (or previous) match and returns it.
    pub fn step(&mut self, forward: bool) -> Option<CharRange> {
        if self.matches.is_empty() {
            return None;
        }
        let n = self.matches.len();
        let next = match (self.current, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.current = Some(next);
        self.matches.get(next).copied()
    }
}

/// Every case-insensitive occurrence of `query` in `text`, as code-point ranges.
pub fn find_all(text: &str, query: &str) -> Vec<CharRange> {
    let fold = |c: char| c.to_lowercase().next().unwrap_or(c);
    let needle: Vec<char> = query.chars().map(fold).collect();
    let Some(&first) = needle.first() else {
        return Vec::new();
    };
    // One pass over the text where it stands: no copy of a long document per keystroke.
    let mut found = Vec::new();
    let mut free_from = 0;
    for (at, (byte, c)) in text.char_indices().enumerate() {
        if at < free_from || fold(c) != first {
            continue;
        }
        let here = text[byte..].chars().map(fold).take(needle.len());
        if here.eq(needle.iter().copied()) {
            found.push(CharRange::new(at, at + needle.len()));
            free_from = at + needle.len();
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_case_insensitive_code_point_ranges() {
        let text = "😀 Putin met PUTIN’s aide; putin.";
        let found = find_all(text, "putin");
        let words: Vec<String> = found
            .iter()
            .map(|r| text.chars().skip(r.start).take(r.len()).collect())
            .collect();
        assert_eq!(words, ["Putin", "PUTIN", "putin"]);
        assert_eq!(found[0], CharRange::new(2, 7));
    }

    #[test]
    fn stepping_wraps_both_ways() {
        let mut search = SearchState {
            query: "a".into(),
            ..SearchState::default()
        };
        search.recompute(Some("a b a"));
        assert_eq!(search.step(true), Some(CharRange::new(0, 1)));
        assert_eq!(search.step(true), Some(CharRange::new(4, 5)));
        assert_eq!(search.step(true), Some(CharRange::new(0, 1)));
        assert_eq!(search.step(false), Some(CharRange::new(4, 5)));
    }
}
