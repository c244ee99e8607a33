//! Quotes: the words between quotation marks, marks included (`projects/newsroom.ron`: "tag
//! the words inside the marks, marks included").
//!
//! - Marks: “…” ‘…’ "…" «…» „…“ (or „…”) ‹…›. A closing ’ between letters is an apostrophe
//!   (`Russia’s`), not the end of a quote; a straight " opens after a space or the start of
//!   a paragraph and closes after anything else.
//! - News copy continues a quotation across paragraphs: a paragraph that opens a quote
//!   without closing it continues into the next paragraph when that one opens with the same
//!   mark; the quote is one span from the first mark to the final closing mark.
//! - A quotation inside a quotation belongs to the outer one.
//! - Not quotes: scare quotes (one or two words, with no reporting verb beside them, unless
//!   they stand as a sentence of their own with punctuation inside the marks) and names in
//!   quotes (every word capitalised, no sentence punctuation, at most six words: the tanker
//!   “Grace One”, exercise “Sea Breeze”).

use super::lexicon::{REPORTING_VERBS, is_in};
use super::tokens::Analysis;
use crate::model::CharRange;

/// The closing marks that end a quote opened by `open`, if `open` is an opening mark.
fn closers(open: char) -> Option<&'static [char]> {
    Some(match open {
        '“' => &['”'],
        '‘' => &['’'],
        '"' => &['"'],
        '«' => &['»'],
        '„' => &['“', '”'],
        '‹' => &['›'],
        _ => return None,
    })
}

/// Every quote in the document, in text order.
pub fn quotes(a: &Analysis) -> Vec<CharRange> {
    let mut out = Vec::new();
    let mut p = 0;
    // Where scanning resumes (after a quote that ran into later paragraphs).
    let mut resume = 0;
    while p < a.paragraphs.len() {
        let (start, end) = a.paragraphs[p];
        let mut i = start.max(resume);
        let mut next_p = p + 1;
        while i < end {
            let c = a.chars[i];
            let Some(close) = closers(c).filter(|_| opens_here(a, i)) else {
                i += 1;
                continue;
            };
            match find_close(a, p, i, close) {
                Some((j, last_p)) => {
                    let range = CharRange::new(i, j + 1);
                    if is_quote(a, range) {
                        out.push(range);
                    }
                    if last_p != p {
                        resume = j + 1;
                        next_p = last_p;
                        break;
                    }
                    i = j + 1;
                }
                None => i += 1,
            }
        }
        p = next_p;
    }
    out
}

/// Whether the mark at `i` opens a quote (a straight `"` must follow a space or a start).
fn opens_here(a: &Analysis, i: usize) -> bool {
    let c = a.chars[i];
    let before = if i == 0 { ' ' } else { a.chars[i - 1] };
    match c {
        '"' => before.is_whitespace() || matches!(before, '(' | '[' | '—' | '–' | ':'),
        '‘' => !before.is_alphanumeric(),
        _ => true,
    }
}

/// Whether the mark at `j` closes a quote of the kind `close`.
fn closes_here(a: &Analysis, j: usize, close: &[char]) -> bool {
    let c = a.chars[j];
    if !close.contains(&c) {
        return false;
    }
    let before = if j == 0 { ' ' } else { a.chars[j - 1] };
    let after = a.char_at(j + 1);
    match c {
        '’' => !(before.is_whitespace() || before.is_alphanumeric() && after.is_alphanumeric()),
        '"' => !before.is_whitespace(),
        _ => true,
    }
}

/// The closing mark for the quote opened at `open` in paragraph `p`, and the paragraph it is
/// in (later ones when the quote continues).
fn find_close(a: &Analysis, mut p: usize, open: usize, close: &[char]) -> Option<(usize, usize)> {
    let open_mark = a.chars[open];
    let mut j = open + 1;
    loop {
        let (_, end) = a.paragraphs[p];
        while j < end {
            if closes_here(a, j, close) {
                return Some((j, p));
            }
            j += 1;
        }
        // Unclosed: does the next paragraph open with the same mark?
        let (next_start, _) = *a.paragraphs.get(p + 1)?;
        if a.chars[next_start] != open_mark {
            return None;
        }
        p += 1;
        j = next_start + 1;
    }
}

/// Whether the marked text is a quote rather than scare quotes or a name.
fn is_quote(a: &Analysis, range: CharRange) -> bool {
    let inner: Vec<char> = a.chars[range.start + 1..range.end - 1].to_vec();
    let text: String = inner.iter().collect();
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return false;
    }
    let punctuated = inner
        .iter()
        .any(|c| matches!(c, '.' | ',' | '!' | '?' | ';' | '…' | ':'));
    let all_capitals = words.iter().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
    });
    if all_capitals && !punctuated && words.len() <= 6 {
        return false;
    }
    if words.len() <= 2 {
        return punctuated && standalone(a, range) || attributed(a, range);
    }
    true
}

/// Whether the quote stands as a sentence of its own (it opens a sentence or follows a
/// colon).
fn standalone(a: &Analysis, range: CharRange) -> bool {
    let open = a.token_at_or_after(range.start);
    a.token(open).is_some_and(|t| t.sentence_start) || a.lower(open.wrapping_sub(1)) == ":"
}

/// Whether a reporting verb stands right after the quote or right before it.
fn attributed(a: &Analysis, range: CharRange) -> bool {
    let after = a.token_at_or_after(range.end);
    let before = a.token_at_or_after(range.start);
    let near_after = (after..after + 3).any(|k| is_in(REPORTING_VERBS, a.lower(k)));
    let near_before = (before.saturating_sub(3)..before)
        .any(|k| is_in(REPORTING_VERBS, a.lower(k)))
        && matches!(a.lower(before.wrapping_sub(1)), ":" | ",");
    near_after || near_before
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let a = Analysis::new(text);
        quotes(&a)
            .into_iter()
            .map(|r| a.text(r.start, r.end))
            .collect()
    }

    #[test]
    fn every_mark_style_is_a_quote_marks_included() {
        assert_eq!(
            found("“We are ready,” he said. «Nous verrons bien», dit-il."),
            ["“We are ready,”", "«Nous verrons bien»"]
        );
        assert_eq!(
            found("She said \"it will not happen again\" twice."),
            ["\"it will not happen again\""]
        );
        assert_eq!(
            found("„Wir schaffen das“, sagte sie."),
            ["„Wir schaffen das“"]
        );
        assert_eq!(
            found("‹Cela suffit maintenant› dit-il."),
            ["‹Cela suffit maintenant›"]
        );
    }

    #[test]
    fn apostrophes_do_not_close_single_quotes() {
        assert_eq!(
            found("He said: ‘Russia’s army won’t stop here.’ Then he left."),
            ["‘Russia’s army won’t stop here.’"]
        );
    }

    #[test]
    fn a_quote_continues_into_a_paragraph_that_opens_with_a_mark() {
        let text = "“We will not back down,” Peskov said. “This is our land.\n\n“No one can tell us otherwise.”\nNext paragraph.";
        let a = Analysis::new(text);
        let found: Vec<String> = quotes(&a)
            .into_iter()
            .map(|r| a.text(r.start, r.end))
            .collect();
        assert_eq!(
            found,
            [
                "“We will not back down,”",
                "“This is our land.\n\n“No one can tell us otherwise.”"
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_without_a_continuation_is_dropped() {
        assert!(found("“This never ends.\nThe next paragraph is plain.").is_empty());
    }

    #[test]
    fn scare_quotes_and_names_are_not_quotes() {
        assert!(found("the so-called “special operation” began").is_empty());
        assert!(found("the tanker “Grace One” and the ship \"Moskva\" sailed").is_empty());
        assert!(found("the “Free Russia Legion” claimed it").is_empty());
        assert_eq!(found("“Never,” she said."), ["“Never,”"]);
    }
}
