//! Tag all occurrences: once an analyst has tagged a string, the same string elsewhere
//! (case-sensitive, bounded by non-word characters on both sides) is proposed with the same
//! label (INCEpTION's string matcher).

use crate::model::CharRange;

/// Where `needle` occurs in `chars` as whole words, skipping ranges in `skip` (the spans
/// already tagged with the label).
pub fn occurrences(chars: &[char], needle: &[char], skip: &[CharRange]) -> Vec<CharRange> {
    let mut out = Vec::new();
    let n = needle.len();
    if n == 0 || n > chars.len() || needle.iter().all(|c| c.is_whitespace()) {
        return out;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let first = needle[0];
    let mut i = 0;
    while i + n <= chars.len() {
        if chars[i] == first && chars[i..i + n] == *needle {
            let range = CharRange::new(i, i + n);
            let left_ok = i == 0 || !(word(chars[i - 1]) && word(first));
            let right_ok = i + n == chars.len() || !(word(chars[i + n]) && word(needle[n - 1]));
            if left_ok && right_ok && !skip.iter().any(|s| s.overlaps(range)) {
                out.push(range);
                i += n;
                continue;
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn whole_words_only_and_not_where_already_tagged() {
        let text = chars("Peskov said. Peskovs are rare. Dmitry Peskov spoke; Peskov, again.");
        let found = occurrences(&text, &chars("Peskov"), &[CharRange::new(0, 6)]);
        assert_eq!(found, [CharRange::new(38, 44), CharRange::new(52, 58)]);
    }

    #[test]
    fn offsets_are_code_points() {
        let text = chars("۹۴٬۳۰۰ cases 😀 and ۹۴٬۳۰۰ cases");
        let found = occurrences(&text, &chars("۹۴٬۳۰۰ cases"), &[]);
        assert_eq!(found, [CharRange::new(0, 12), CharRange::new(19, 31)]);
    }
}
