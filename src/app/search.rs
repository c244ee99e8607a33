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

/// One character as Find compares it: lower case; the Arabic yeh and kaf as their Persian
/// forms (keyboards type either); Persian and Arabic-Indic digits as ASCII digits, so "70"
/// finds "۷۰". Each character maps to one, so matches keep exact code-point ranges.
fn fold(c: char) -> char {
    match c {
        'ي' | 'ى' => 'ی',
        'ك' => 'ک',
        '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10).unwrap_or(c),
        '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10).unwrap_or(c),
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// Every case-insensitive occurrence of `query` in `text`, as code-point ranges (see `fold`
/// for what else counts as the same).
pub fn find_all(text: &str, query: &str) -> Vec<CharRange> {
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
    fn persian_and_arabic_queries_match_across_keyboards_and_digit_sets() {
        let text = "سخنگوی كرملين گفت ۷۰ هزار نیرو و ٧٠ دبابة؛ الكرملين می‌شود";
        let words = |query: &str| -> Vec<String> {
            find_all(text, query)
                .iter()
                .map(|r| text.chars().skip(r.start).take(r.len()).collect())
                .collect()
        };
        // Typed with a Persian keyboard, found where the text has Arabic kaf and yeh.
        assert_eq!(words("کرملین"), ["كرملين", "كرملين"]);
        assert_eq!(words("۷۰"), ["۷۰", "٧٠"]);
        assert_eq!(words("70"), ["۷۰", "٧٠"]);
        // The zero-width non-joiner is part of the word.
        assert_eq!(words("می‌شود"), ["می‌شود"]);
        assert!(words("میشود").is_empty());
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
