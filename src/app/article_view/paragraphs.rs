//! The paragraph table: a document split at runs of line breaks, built once per document.
//!
//! Each paragraph knows its code-point range and byte range in the whole text, and whether it
//! holds strong right-to-left characters.

use std::ops::Range;

use super::rtl::is_strong_rtl;

/// One paragraph: a maximal run of text without line breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Code-point range in the whole text.
    pub chars: Range<usize>,
    /// Byte range in the whole text.
    pub bytes: Range<usize>,
    /// Whether the paragraph holds a strong right-to-left character (bidi class R or AL).
    pub has_rtl: bool,
}

impl Paragraph {
    /// How many code points the paragraph holds.
    pub fn char_len(&self) -> usize {
        self.chars.end - self.chars.start
    }
}

/// All paragraphs of a document, in order.
#[derive(Clone, Debug, Default)]
pub struct Paragraphs {
    list: Vec<Paragraph>,
}

/// Whether `c` separates paragraphs (a carriage return counts with the line feed).
fn is_break(c: char) -> bool {
    c == '\n' || c == '\r'
}

impl Paragraphs {
    /// Splits `text` at runs of line breaks, in one pass over the text.
    pub fn build(text: &str) -> Self {
        let mut list = Vec::new();
        let mut open: Option<Paragraph> = None;
        let mut char_i = 0usize;
        for (byte_i, c) in text.char_indices() {
            if is_break(c) {
                if let Some(mut p) = open.take() {
                    p.chars.end = char_i;
                    p.bytes.end = byte_i;
                    list.push(p);
                }
            } else {
                let p = open.get_or_insert(Paragraph {
                    chars: char_i..char_i,
                    bytes: byte_i..byte_i,
                    has_rtl: false,
                });
                p.has_rtl |= !c.is_ascii() && is_strong_rtl(c);
            }
            char_i += 1;
        }
        if let Some(mut p) = open.take() {
            p.chars.end = char_i;
            p.bytes.end = text.len();
            list.push(p);
        }
        Self { list }
    }

    /// How many paragraphs there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether the text has no paragraph at all (empty or only line breaks).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Paragraph `i`, if it exists.
    pub fn get(&self, i: usize) -> Option<&Paragraph> {
        self.list.get(i)
    }

    /// All paragraphs, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Paragraph> {
        self.list.iter()
    }

    /// The first paragraph that ends after code point `at` (the one holding it, or the next
    /// one when `at` sits in a line break); `len()` when there is none.
    pub fn first_ending_after(&self, at: usize) -> usize {
        self.list.partition_point(|p| p.chars.end <= at)
    }

    /// The paragraph holding code point `at`, or whose end is `at` (for end-exclusive
    /// offsets); `None` inside a run of line breaks or past the text.
    pub fn containing(&self, at: usize) -> Option<usize> {
        let i = self.list.partition_point(|p| p.chars.end < at);
        self.list
            .get(i)
            .filter(|p| p.chars.start <= at && at <= p.chars.end)
            .map(|_| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_line_break_runs_and_keeps_exact_ranges() {
        let text = "one “two”\n\n\r\nthree 😀 ۱۲\nfour\n";
        let paragraphs = Paragraphs::build(text);
        assert_eq!(paragraphs.len(), 3);
        for p in paragraphs.iter() {
            let by_chars: String = text
                .chars()
                .skip(p.chars.start)
                .take(p.char_len())
                .collect();
            assert_eq!(by_chars, &text[p.bytes.clone()]);
        }
        assert_eq!(paragraphs.get(1).map(|p| p.chars.clone()), Some(13..23));
    }

    #[test]
    fn finds_paragraphs_by_offset() {
        let text = "ab\n\ncd";
        let paragraphs = Paragraphs::build(text);
        assert_eq!(paragraphs.containing(0), Some(0));
        assert_eq!(paragraphs.containing(2), Some(0));
        assert_eq!(paragraphs.containing(3), None);
        assert_eq!(paragraphs.containing(4), Some(1));
        assert_eq!(paragraphs.containing(6), Some(1));
        assert_eq!(paragraphs.containing(7), None);
        assert_eq!(paragraphs.first_ending_after(2), 1);
        assert_eq!(paragraphs.first_ending_after(3), 1);
        assert_eq!(paragraphs.first_ending_after(6), 2);
    }

    #[test]
    fn flags_right_to_left_paragraphs_but_not_persian_digits() {
        let paragraphs = Paragraphs::build("digits ۱۱۶۵۳۸۱ only\nسلام world\nשלום");
        let flags: Vec<bool> = paragraphs.iter().map(|p| p.has_rtl).collect();
        assert_eq!(flags, vec![false, true, true]);
    }

    #[test]
    fn empty_and_break_only_texts_have_no_paragraphs() {
        assert!(Paragraphs::build("").is_empty());
        assert!(Paragraphs::build("\n\n\r\n").is_empty());
    }
}
