//! CoNLL-2003-style IOB2: one token per line as `TOKEN -X- _ TAG`.
//!
//! The four space-separated columns are the token, a placeholder part-of-speech column
//! (`-X-`), a placeholder chunk column (`_`) and the IOB2 tag (`B-claim`, `I-claim`, `O`).
//! Each document starts with `-DOCSTART- -X- O O` and a blank line; sentences are separated
//! by a blank line. Tokens and sentences are those of [`super::tokens`]: UAX #29 word bounds
//! without whitespace, cut at span edges, sentences never ending inside a span.
//!
//! IOB2 cannot nest or overlap, so of overlapping spans the longest is kept (ties: the first
//! in export order), and the others are left out and counted, as are spans covering only
//! whitespace. CoNLL has no column for annotators or notes: export one annotator with
//! `--annotator` when that matters.

use std::collections::BTreeMap;
use std::io::Write;

use super::tokens::tokenize;
use super::{ExportDocument, ExportError, ExportHeader, ExportSummary};
use crate::model::CharRange;

/// Writes the documents that pass `filter` as CoNLL-2003-style IOB2 (see the module docs).
pub fn write_conll(
    _header: &ExportHeader,
    docs: &mut dyn Iterator<Item = ExportDocument>,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary::default();
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    for doc in docs {
        let ranges: Vec<CharRange> = doc.spans.iter().map(|s| s.range).collect();
        let kept = outermost(&ranges);
        summary.left_out += ranges.len() - kept.len();
        let kept_ranges: Vec<CharRange> = kept.iter().map(|&i| ranges[i]).collect();
        let tokenized = tokenize(&doc.text, &kept_ranges);
        // Tag per token: index of the span starting there (B) or continuing (I).
        let mut tags: Vec<Option<(usize, bool)>> = vec![None; tokenized.tokens.len()];
        for &i in &kept {
            let range = ranges[i];
            let covered = tokenized.covered(range);
            if covered.is_empty() {
                summary.left_out += 1;
                continue;
            }
            if tokenized.cuts_word_at(range.start) || tokenized.cuts_word_at(range.end) {
                summary.split_words += 1;
            }
            for (n, t) in covered.enumerate() {
                if let Some(tag) = tags.get_mut(t) {
                    *tag = Some((i, n == 0));
                }
            }
            summary.spans += 1;
        }
        buf.clear();
        buf.extend_from_slice(b"-DOCSTART- -X- O O\n");
        for s in 0..tokenized.sentence_starts.len() {
            buf.push(b'\n');
            for t in tokenized.sentence(s) {
                let token = &tokenized.tokens[t];
                buf.extend_from_slice(doc.text[token.bytes.clone()].as_bytes());
                buf.extend_from_slice(b" -X- _ ");
                match tags[t] {
                    None => buf.push(b'O'),
                    Some((i, begins)) => {
                        buf.extend_from_slice(if begins { b"B-" } else { b"I-" });
                        buf.extend_from_slice(conll_label(&doc.spans[i].label).as_bytes());
                    }
                }
                buf.push(b'\n');
            }
        }
        buf.push(b'\n');
        out.write_all(&buf)?;
        summary.documents += 1;
    }
    out.flush()?;
    Ok(summary)
}

/// A label as one CoNLL column: whitespace inside it becomes `_`.
fn conll_label(label: &str) -> std::borrow::Cow<'_, str> {
    if label.chars().any(char::is_whitespace) {
        label
            .chars()
            .map(|c| if c.is_whitespace() { '_' } else { c })
            .collect::<String>()
            .into()
    } else {
        label.into()
    }
}

/// The indices (into `ranges`) of the spans kept when overlaps are resolved outermost-first:
/// longest first, then by position in export order; a span overlapping a kept one is dropped.
/// Returned in export order. (spaCy's `doc.ents` are chosen the same way.)
pub(super) fn outermost(ranges: &[CharRange]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(ranges[i].len()), i));
    // Kept ranges by start; they never overlap each other.
    let mut kept: BTreeMap<usize, usize> = BTreeMap::new();
    let mut chosen = Vec::new();
    for i in order {
        let r = ranges[i];
        if r.is_empty() {
            continue;
        }
        let before = kept.range(..r.end).next_back();
        let clashes = before.is_some_and(|(_, &end)| end > r.start);
        if !clashes {
            kept.insert(r.start, r.end);
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_of_overlapping_spans_wins() {
        let ranges = [
            CharRange::new(0, 10),
            CharRange::new(2, 5),
            CharRange::new(8, 14),
            CharRange::new(14, 16),
            CharRange::new(0, 10),
        ];
        assert_eq!(outermost(&ranges), [0, 3]);
    }

    #[test]
    fn labels_with_spaces_stay_one_column() {
        assert_eq!(conll_label("named entity"), "named_entity");
        assert_eq!(conll_label("claim"), "claim");
    }
}
