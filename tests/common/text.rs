//! Offsets worked out the plain way, independently of stet's own `CharIndex`: what a test
//! compares the store's spans against.

// Each test crate uses part of this file.
#![allow(dead_code)]

use stet::model::CharRange;

/// The characters (code points) of `text` in `range`.
pub fn chars(text: &str, range: CharRange) -> String {
    text.chars().skip(range.start).take(range.len()).collect()
}

/// The code-point range of the first `needle` in `text`.
pub fn range_of(text: &str, needle: &str) -> CharRange {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text[..byte].chars().count();
    CharRange::new(start, start + needle.chars().count())
}
