//! Exact offsets: code-point indexing, word snapping and whitespace trimming.
//!
//! Offsets everywhere in stet count Unicode code points (`char`s). `str` slicing counts bytes,
//! so every conversion goes through here.

use unicode_segmentation::UnicodeSegmentation;

use super::CharRange;

/// How many `char`s lie between two checkpoints of a [`CharIndex`].
const CHECKPOINT_EVERY: usize = 64;

/// How far word snapping looks around a selection for its paragraph's edges.
const SNAP_WINDOW_BYTES: usize = 4096;

/// The number of code points in `text`.
pub fn char_len(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// The slice of `text` covering `range` (code points), clamped to the text.
pub fn slice_chars(text: &str, range: CharRange) -> &str {
    let start = byte_offset_scan(text, range.start);
    let end = start + byte_offset_scan(&text[start..], range.end.saturating_sub(range.start));
    &text[start..end]
}

/// The byte offset of code point `chars` in `text`, scanning from the start (clamped).
fn byte_offset_scan(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}

/// Maps code-point offsets to byte offsets and back in O(1)-ish time for one text.
///
/// Keeps one byte offset per 64 code points (an eighth of the text's size for ASCII-heavy
/// text, nothing at all for pure ASCII), so a 1 MB article costs ~130 KB.
#[derive(Clone, Debug, Default)]
pub struct CharIndex {
    len_chars: usize,
    len_bytes: usize,
    /// Byte offset of code point `i * CHECKPOINT_EVERY`; empty when the text is ASCII.
    checkpoints: Vec<usize>,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Self {
                len_chars: text.len(),
                len_bytes: text.len(),
                checkpoints: Vec::new(),
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_EVERY + 1);
        let mut len_chars = 0;
        for (i, (byte, _)) in text.char_indices().enumerate() {
            if i % CHECKPOINT_EVERY == 0 {
                checkpoints.push(byte);
            }
            len_chars = i + 1;
        }
        Self {
            len_chars,
            len_bytes: text.len(),
            checkpoints,
        }
    }

    /// The text's length in code points.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// The byte offset of code point `char_offset` (clamped to the end of the text).
    ///
    /// `text` must be the text this index was built from.
    pub fn byte_of(&self, text: &str, char_offset: usize) -> usize {
        if char_offset >= self.len_chars {
            return self.len_bytes;
        }
        if self.checkpoints.is_empty() {
            return char_offset;
        }
        let block = char_offset / CHECKPOINT_EVERY;
        let base = self.checkpoints.get(block).copied().unwrap_or(0);
        let rest = char_offset - block * CHECKPOINT_EVERY;
        base + byte_offset_scan(&text[base..], rest)
    }

    /// The code-point offset of byte `byte_offset`, which must be a char boundary
    /// (clamped to the end of the text).
    pub fn char_of(&self, text: &str, byte_offset: usize) -> usize {
        if byte_offset >= self.len_bytes {
            return self.len_chars;
        }
        if self.checkpoints.is_empty() {
            return byte_offset;
        }
        let block = self.checkpoints.partition_point(|&b| b <= byte_offset) - 1;
        let base = self.checkpoints[block];
        block * CHECKPOINT_EVERY + text[base..byte_offset].chars().count()
    }

    /// The byte range of a code-point range.
    pub fn byte_range(&self, text: &str, range: CharRange) -> std::ops::Range<usize> {
        let start = self.byte_of(text, range.start);
        let end = if range.end <= range.start {
            start
        } else {
            start + byte_offset_scan(&text[start..], range.end - range.start)
        };
        start..end
    }

    /// The text a code-point range covers.
    pub fn slice<'t>(&self, text: &'t str, range: CharRange) -> &'t str {
        &text[self.byte_range(text, range)]
    }
}

/// Widens `range` so that it does not cut a word in two, then drops edge whitespace.
///
/// Punctuation the selection already covers (quotation marks, brackets) stays; a boundary
/// inside a word moves out to the word's edge. The result is empty when the selection held
/// nothing but whitespace.
pub fn snap_to_words(text: &str, index: &CharIndex, range: CharRange) -> CharRange {
    if range.is_empty() {
        return range;
    }
    let bytes = index.byte_range(text, range);
    let window = paragraph_window(text, bytes.clone());
    let local = &text[window.clone()];
    let mut start = bytes.start;
    let mut end = bytes.end;
    for (offset, segment) in local.split_word_bound_indices() {
        let seg_start = window.start + offset;
        let seg_end = seg_start + segment.len();
        if !is_word(segment) {
            continue;
        }
        if seg_start < bytes.start && bytes.start < seg_end {
            start = seg_start;
        }
        if seg_start < bytes.end && bytes.end < seg_end {
            end = seg_end;
        }
    }
    let widened = CharRange::new(
        range.start - text[start..bytes.start].chars().count(),
        range.end + text[bytes.end..end].chars().count(),
    );
    trim_whitespace(text, index, widened)
}

/// Moves a range's edges inwards past whitespace (including no-break spaces).
pub fn trim_whitespace(text: &str, index: &CharIndex, range: CharRange) -> CharRange {
    let covered = index.slice(text, range);
    let leading = covered.chars().take_while(|c| c.is_whitespace()).count();
    if leading == covered.chars().count() {
        return CharRange::new(range.start + leading, range.start + leading);
    }
    let trailing = covered
        .chars()
        .rev()
        .take_while(|c| c.is_whitespace())
        .count();
    CharRange::new(range.start + leading, range.end - trailing)
}

/// The word (or other word-boundary segment) that contains code point `at`, for
/// double-click selection; `None` at whitespace or past the end.
pub fn word_at(text: &str, index: &CharIndex, at: usize) -> Option<CharRange> {
    if at >= index.len_chars() {
        return None;
    }
    let byte = index.byte_of(text, at);
    let window = paragraph_window(text, byte..byte);
    let local = &text[window.clone()];
    let (offset, segment) = local
        .split_word_bound_indices()
        .find(|(o, s)| window.start + o + s.len() > byte)?;
    if segment.chars().all(char::is_whitespace) {
        return None;
    }
    let seg_start = window.start + offset;
    let start = at - text[seg_start..byte].chars().count();
    Some(CharRange::new(start, start + segment.chars().count()))
}

/// The next word edge after code point `from` (forward) or before it (backward), for
/// extending a selection word by word from the keyboard.
pub fn next_word_edge(text: &str, index: &CharIndex, from: usize, forward: bool) -> usize {
    let byte = index.byte_of(text, from);
    let window = paragraph_window(text, byte..byte);
    let local = &text[window.clone()];
    let words = local
        .split_word_bound_indices()
        .filter(|(_, s)| is_word(s))
        .map(|(o, s)| (window.start + o, window.start + o + s.len()));
    let target = if forward {
        words
            .map(|(_, e)| e)
            .find(|&e| e > byte)
            .unwrap_or(window.end)
    } else {
        words
            .map(|(s, _)| s)
            .take_while(|&s| s < byte)
            .last()
            .unwrap_or(window.start)
    };
    // Past the paragraph's edge, step onto the neighbouring paragraph.
    let target = if target == byte {
        if forward {
            (byte + 1).min(text.len())
        } else {
            byte.saturating_sub(1)
        }
    } else {
        target
    };
    let target = floor_char_boundary(text, target);
    index.char_of(text, target)
}

/// Whether a word-boundary segment is a word (has a letter or digit), not space or
/// punctuation.
fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

/// The bytes of the paragraph around `bytes`: from after the previous newline to the next
/// one, looking at most [`SNAP_WINDOW_BYTES`] each way (word breaks never cross a newline).
fn paragraph_window(text: &str, bytes: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let lower = floor_char_boundary(text, bytes.start.saturating_sub(SNAP_WINDOW_BYTES));
    let upper = ceil_char_boundary(text, (bytes.end + SNAP_WINDOW_BYTES).min(text.len()));
    let start = text[lower..bytes.start]
        .rfind('\n')
        .map_or(lower, |i| lower + i + 1);
    let end = text[bytes.end..upper]
        .find('\n')
        .map_or(upper, |i| bytes.end + i);
    start..end
}

fn floor_char_boundary(text: &str, mut byte: usize) -> usize {
    while byte > 0 && !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

fn ceil_char_boundary(text: &str, mut byte: usize) -> usize {
    while byte < text.len() && !text.is_char_boundary(byte) {
        byte += 1;
    }
    byte
}

/// Replaces decimal digits of other scripts (Persian, Arabic-Indic, Devanagari, full-width)
/// with ASCII digits: `۱۱۶۵` becomes `1165`.
pub fn to_ascii_digits(text: &str) -> String {
    const ZEROS: [u32; 5] = [0x0660, 0x06F0, 0x0966, 0x09E6, 0xFF10];
    text.chars()
        .map(|c| {
            let code = c as u32;
            ZEROS
                .iter()
                .find(|&&zero| (zero..zero + 10).contains(&code))
                .and_then(|&zero| char::from_digit(code - zero, 10))
                .unwrap_or(c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "Code ۱۱۶۵ 😀 “quoted” cafe\u{301} end";

    fn snap(text: &str, start: usize, end: usize) -> String {
        let index = CharIndex::new(text);
        let r = snap_to_words(text, &index, CharRange::new(start, end));
        index.slice(text, r).to_owned()
    }

    #[test]
    fn index_maps_both_ways_on_mixed_text() {
        let index = CharIndex::new(MIXED);
        assert_eq!(index.len_chars(), MIXED.chars().count());
        for (i, (byte, _)) in MIXED.char_indices().enumerate() {
            assert_eq!(index.byte_of(MIXED, i), byte);
            assert_eq!(index.char_of(MIXED, byte), i);
        }
        assert_eq!(index.byte_of(MIXED, 10_000), MIXED.len());
    }

    #[test]
    fn index_is_exact_past_many_checkpoints() {
        let text = "ab😀ç ".repeat(500);
        let index = CharIndex::new(&text);
        for i in (0..index.len_chars()).step_by(7) {
            let expected = text.char_indices().nth(i).unwrap().0;
            assert_eq!(index.byte_of(&text, i), expected);
            assert_eq!(index.char_of(&text, expected), i);
        }
    }

    #[test]
    fn slices_count_code_points_not_bytes() {
        // The emoji is one code point (two UTF-16 units, four bytes).
        assert_eq!(slice_chars(MIXED, CharRange::new(10, 11)), "😀");
        assert_eq!(slice_chars(MIXED, CharRange::new(5, 9)), "۱۱۶۵");
        let index = CharIndex::new(MIXED);
        assert_eq!(index.slice(MIXED, CharRange::new(12, 20)), "“quoted”");
    }

    #[test]
    fn snapping_widens_cut_words_and_keeps_chosen_punctuation() {
        let text = "Peskov added “the presidents will decide”.";
        // "kov add" → "Peskov added".
        assert_eq!(snap(text, 3, 10), "Peskov added");
        // A selection that starts on the opening quote keeps it.
        assert_eq!(snap(text, 13, 20), "“the presidents");
        // Edge spaces go.
        assert_eq!(snap(text, 6, 13), "added");
        // Only whitespace: nothing.
        let index = CharIndex::new(text);
        assert!(snap_to_words(text, &index, CharRange::new(6, 7)).is_empty());
    }

    #[test]
    fn snapping_keeps_combining_marks_and_persian_digits_whole() {
        // Cutting inside "cafe\u{301}" (before the accent) takes the whole word.
        let start = MIXED.chars().position(|c| c == 'c').unwrap();
        assert_eq!(snap(MIXED, start, start + 4), "cafe\u{301}");
        assert_eq!(snap(MIXED, 6, 7), "۱۱۶۵");
    }

    #[test]
    fn snapping_works_across_paragraphs() {
        let text = "first para\n\nsecond para";
        assert_eq!(snap(text, 8, 14), "para\n\nsecond");
        assert_eq!(snap(text, 6, 9), "para");
    }

    #[test]
    fn word_at_finds_the_word_under_a_double_click() {
        let index = CharIndex::new(MIXED);
        let word = word_at(MIXED, &index, 6).unwrap();
        assert_eq!(index.slice(MIXED, word), "۱۱۶۵");
        assert_eq!(word_at(MIXED, &index, 4), None);
    }

    #[test]
    fn word_edges_step_word_by_word() {
        let text = "one two, three";
        let index = CharIndex::new(text);
        assert_eq!(next_word_edge(text, &index, 0, true), 3);
        assert_eq!(next_word_edge(text, &index, 3, true), 7);
        assert_eq!(next_word_edge(text, &index, 7, true), 14);
        assert_eq!(next_word_edge(text, &index, 14, false), 9);
        assert_eq!(next_word_edge(text, &index, 9, false), 4);
    }

    #[test]
    fn persian_digits_become_ascii() {
        assert_eq!(to_ascii_digits("۱۱۶۵۳۸۱"), "1165381");
        assert_eq!(to_ascii_digits("٢٠٢١ and 42"), "2021 and 42");
    }
}
