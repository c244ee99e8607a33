//! Tokens and sentences for the token-based formats (CoNLL, WebAnno TSV, spaCy).
//!
//! The text is split at whitespace, and each piece at the word bounds of Unicode Standard
//! Annex #29 (`unicode-segmentation`): a word, a number such as `70,000` or `۱۱۶۵۳۸۱`, each
//! punctuation mark and each emoji is one token, and combining marks stay with their letter. A token is also cut wherever an exported span starts or ends
//! inside it, so every span covers whole tokens. A sentence ends at every line break and
//! after sentence-final punctuation followed by whitespace and a token that does not begin
//! with a lowercase letter, except after an abbreviation (`Dr.`, `U.S.`, `a.m.`; see
//! [`sentence_starts`]); never inside an exported span.

use unicode_segmentation::UnicodeSegmentation;

use crate::model::CharRange;

/// One token, with its offsets in code points and in UTF-16 code units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// Code points, end-exclusive.
    pub chars: CharRange,
    /// UTF-16 code units, end-exclusive.
    pub utf16_start: usize,
    pub utf16_end: usize,
    /// Bytes, for slicing the text.
    pub bytes: std::ops::Range<usize>,
}

/// A document cut into tokens and sentences.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tokenized {
    pub tokens: Vec<Token>,
    /// Index of the first token of each sentence (the first is 0 when there are tokens).
    pub sentence_starts: Vec<usize>,
    /// Code-point offsets at which a word was cut because a span edge fell inside it.
    pub cut_inside_words: Vec<usize>,
}

impl Tokenized {
    /// The token index range of sentence `i`.
    pub fn sentence(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.sentence_starts.get(i).copied().unwrap_or(0);
        let end = self
            .sentence_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.tokens.len());
        start..end
    }

    /// Whether a span edge at this code-point offset cut a word.
    pub fn cuts_word_at(&self, offset: usize) -> bool {
        self.cut_inside_words.binary_search(&offset).is_ok()
    }

    /// The tokens a code-point range covers: whole tokens inside it (by the cuts, a span's
    /// tokens are always whole), as an index range; empty if it covers only whitespace.
    pub fn covered(&self, range: CharRange) -> std::ops::Range<usize> {
        let first = self.tokens.partition_point(|t| t.chars.start < range.start);
        let end = self.tokens.partition_point(|t| t.chars.end <= range.end);
        if end <= first {
            first..first
        } else {
            first..end
        }
    }
}

/// A position in the text: byte, code point and UTF-16 offsets.
#[derive(Clone, Copy, Debug)]
struct Pos {
    byte: usize,
    char: usize,
    utf16: usize,
}

/// Collects tokens, cutting them at span edges.
struct Builder<'t> {
    text: &'t str,
    cuts: Vec<usize>,
    next_cut: usize,
    tokens: Vec<Token>,
    cut_inside_words: Vec<usize>,
}

impl Builder<'_> {
    /// Tokenizes one run of non-whitespace characters from `start` to `end`.
    fn chunk(&mut self, start: Pos, end: Pos) {
        let piece = &self.text[start.byte..end.byte];
        // A run of ASCII letters and digits is one word under UAX #29; skip the segmenter.
        if piece.bytes().all(|b| b.is_ascii_alphanumeric()) {
            self.segment(start, end);
            return;
        }
        let mut pos = start;
        for segment in piece.split_word_bounds() {
            let mut next = Pos {
                byte: pos.byte + segment.len(),
                char: pos.char,
                utf16: pos.utf16,
            };
            if segment.is_ascii() {
                next.char += segment.len();
                next.utf16 += segment.len();
            } else {
                for c in segment.chars() {
                    next.char += 1;
                    next.utf16 += c.len_utf16();
                }
            }
            self.segment(pos, next);
            pos = next;
        }
    }

    /// Adds one word-bound segment as a token, cut at span edges strictly inside it.
    fn segment(&mut self, start: Pos, end: Pos) {
        while self
            .cuts
            .get(self.next_cut)
            .is_some_and(|&c| c <= start.char)
        {
            self.next_cut += 1;
        }
        let mut from = start;
        while let Some(&cut) = self.cuts.get(self.next_cut) {
            if cut >= end.char {
                break;
            }
            let mut at = from;
            for c in self.text[from.byte..end.byte].chars() {
                if at.char == cut {
                    break;
                }
                at.byte += c.len_utf8();
                at.char += 1;
                at.utf16 += c.len_utf16();
            }
            self.tokens.push(make(from, at));
            self.cut_inside_words.push(cut);
            from = at;
            self.next_cut += 1;
        }
        self.tokens.push(make(from, end));
    }
}

/// Tokenizes `text`, cutting tokens at every span edge, and groups the tokens into sentences
/// that never end inside one of `spans`.
pub(crate) fn tokenize(text: &str, spans: &[CharRange]) -> Tokenized {
    let mut cuts: Vec<usize> = spans.iter().flat_map(|r| [r.start, r.end]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut builder = Builder {
        text,
        cuts,
        next_cut: 0,
        tokens: Vec::with_capacity(text.len() / 5),
        cut_inside_words: Vec::new(),
    };
    let mut pos = Pos {
        byte: 0,
        char: 0,
        utf16: 0,
    };
    let mut run: Option<Pos> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            if let Some(start) = run.take() {
                builder.chunk(start, pos);
            }
        } else if run.is_none() {
            run = Some(pos);
        }
        pos.byte += c.len_utf8();
        pos.char += 1;
        pos.utf16 += c.len_utf16();
    }
    if let Some(start) = run {
        builder.chunk(start, pos);
    }
    let sentence_starts = sentence_starts(text, &builder.tokens, spans);
    Tokenized {
        tokens: builder.tokens,
        sentence_starts,
        cut_inside_words: builder.cut_inside_words,
    }
}

fn make(start: Pos, end: Pos) -> Token {
    Token {
        chars: CharRange::new(start.char, end.char),
        utf16_start: start.utf16,
        utf16_end: end.utf16,
        bytes: start.byte..end.byte,
    }
}

/// Characters that end a sentence when they make up a token (with its repeats, `?!`, `...`).
fn is_terminator(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '…'
            | '‼'
            | '⁇'
            | '⁈'
            | '⁉'
            | '؟'
            | '۔'
            | '।'
            | '॥'
            | '。'
            | '！'
            | '？'
            | '｡'
    )
}

/// Characters that may follow a terminator inside the same sentence: closing quotes and
/// brackets.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}' | '」' | '』' | '）'
    )
}

/// Line breaks end a sentence wherever they fall between tokens.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Abbreviations whose stop never ends a sentence: they stand before a name or a number
/// (`Dr. Smith`, `Jan. 5`, `No. 10`, `e.g. this`).
const PREFIX_ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Col", "Lt", "Sgt", "St", "Jan",
    "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No", "vs",
    "e.g", "i.e",
];

/// Abbreviations that may also end a sentence (`… Apple Inc.`, `… at 5 p.m.`): besides these,
/// any run of single letters with stops (`U.S.`, `a.m.`) and a single capital (`J.`).
const SUFFIX_ABBREVIATIONS: &[&str] = &["Jr", "Sr", "Co", "Corp", "Inc", "Ltd", "etc"];

/// Words that often begin an English sentence: after a suffix abbreviation, one of them
/// means the sentence ended there (`at the U.N. The talks failed`).
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "After",
    "An",
    "And",
    "As",
    "At",
    "Before",
    "But",
    "He",
    "Her",
    "His",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Meanwhile",
    "Now",
    "On",
    "Our",
    "She",
    "So",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "We",
    "When",
    "While",
    "Yet",
    "You",
];

/// Whether `word` is letters joined by single stops, each one letter (`U.S`, `a.m`, `e.g`).
fn is_dotted_letters(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
        })
}

/// Whether the stop token before `tokens[i]` belongs to an abbreviation that the sentence goes
/// on after (see [`sentence_starts`]).
fn abbreviation_continues(text: &str, tokens: &[Token], i: usize) -> bool {
    let (Some(word), Some(stop)) = (
        i.checked_sub(2).and_then(|w| tokens.get(w)),
        tokens.get(i - 1),
    ) else {
        return false;
    };
    if word.bytes.end != stop.bytes.start || text.get(stop.bytes.clone()) != Some(".") {
        return false;
    }
    let word = text.get(word.bytes.clone()).unwrap_or_default();
    if PREFIX_ABBREVIATIONS.contains(&word) {
        return true;
    }
    let single_capital = {
        let mut chars = word.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.next().is_none()
    };
    let suffix = SUFFIX_ABBREVIATIONS.contains(&word) || is_dotted_letters(word) || single_capital;
    let next = tokens
        .get(i)
        .and_then(|t| text.get(t.bytes.clone()))
        .unwrap_or_default();
    suffix && !SENTENCE_STARTERS.contains(&next)
}

/// The first token of each sentence. A sentence ends at a line break, or after a terminator
/// token (`.`, `!`, `?`, `…`, `؟`, `۔`, `।`, `。` and the like), with any closing quotes or
/// brackets that follow it, when whitespace comes next and the next token does not begin
/// with a lowercase letter, as in UAX #29's rule for sentences. No sentence ends inside one
/// of `spans`.
///
/// The stop of an abbreviation does not end a sentence. Titles, months, `No.`, `vs.`, `e.g.`
/// and `i.e.` ([`PREFIX_ABBREVIATIONS`]) never do: `Dr. Smith met Mr. Jones`. Those that may
/// close a sentence as well (`Inc.`, `Jr.`, `etc.`, `U.S.`, `a.m.`, `J.`: single letters
/// with stops, a single capital, [`SUFFIX_ABBREVIATIONS`]) end it only when the next word is
/// one that often begins a sentence ([`SENTENCE_STARTERS`]: `The`, `He`, `But`, …). So `at
/// the U.N. The talks failed` is two sentences and `the U.S. Senate` one; the price of
/// the choice is that `at 5 p.m. Officials said` stays one sentence. When in doubt the
/// sentence goes on: a missed split costs a CoNLL or WebAnno reader only a longer sentence,
/// while a split inside `Dr. Smith` or `U.S. Senate` cuts a name apart.
fn sentence_starts(text: &str, tokens: &[Token], spans: &[CharRange]) -> Vec<usize> {
    if tokens.is_empty() {
        return Vec::new();
    }
    let mut sorted: Vec<CharRange> = spans.to_vec();
    sorted.sort_unstable();
    let mut starts = vec![0];
    let mut next_span = 0;
    // The furthest end of the spans starting at or before the previous token.
    let mut reach = 0;
    // Whether the sentence so far ends in a terminator (possibly followed by closers).
    let mut ended = false;
    for i in 1..tokens.len() {
        let prev = &tokens[i - 1];
        let this = &tokens[i];
        let prev_text = &text[prev.bytes.clone()];
        if prev_text.chars().all(is_terminator) {
            ended = !abbreviation_continues(text, tokens, i);
        } else if !(ended && prev_text.chars().all(is_closer)) {
            ended = false;
        }
        while next_span < sorted.len() && sorted[next_span].start <= prev.chars.start {
            reach = reach.max(sorted[next_span].end);
            next_span += 1;
        }
        let gap = &text[prev.bytes.end..this.bytes.start];
        let breaks = if gap.chars().any(is_line_break) {
            true
        } else {
            ended
                && !gap.is_empty()
                && !text[this.bytes.clone()]
                    .chars()
                    .next()
                    .is_some_and(char::is_lowercase)
        };
        if breaks && reach < this.chars.end {
            starts.push(i);
            ended = false;
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, spans: &[CharRange]) -> Vec<Vec<String>> {
        let t = tokenize(text, spans);
        (0..t.sentence_starts.len())
            .map(|s| {
                t.sentence(s)
                    .map(|i| text[t.tokens[i].bytes.clone()].to_owned())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn words_numbers_punctuation_and_emoji_are_tokens() {
        let text = "He said: “about 70,000 troops” 😀 cafe\u{301} ۱۱۶۵۳۸۱.\u{a0}End";
        assert_eq!(
            words(text, &[]),
            [
                vec![
                    "He",
                    "said",
                    ":",
                    "“",
                    "about",
                    "70,000",
                    "troops",
                    "”",
                    "😀",
                    "cafe\u{301}",
                    "۱۱۶۵۳۸۱",
                    "."
                ],
                vec!["End"]
            ]
        );
    }

    #[test]
    fn utf16_offsets_count_astral_characters_twice() {
        let text = "😀 ab";
        let t = tokenize(text, &[]);
        assert_eq!(t.tokens[1].chars, CharRange::new(2, 4));
        assert_eq!((t.tokens[1].utf16_start, t.tokens[1].utf16_end), (3, 5));
    }

    #[test]
    fn span_edges_inside_words_cut_them() {
        let text = "Peskov's plan";
        let t = tokenize(text, &[CharRange::new(0, 6)]);
        let toks: Vec<&str> = t.tokens.iter().map(|k| &text[k.bytes.clone()]).collect();
        assert_eq!(toks, ["Peskov", "'s", "plan"]);
        assert!(t.cuts_word_at(6));
        assert!(!t.cuts_word_at(0));
        assert_eq!(t.covered(CharRange::new(0, 6)), 0..1);
        assert_eq!(t.covered(CharRange::new(8, 9)), 2..2);
    }

    #[test]
    fn sentences_end_at_stops_and_lines_but_not_inside_spans() {
        let text = "One two. Three four.\nFive";
        assert_eq!(
            words(text, &[]),
            [
                vec!["One", "two", "."],
                vec!["Three", "four", "."],
                vec!["Five"]
            ]
        );
        // A span from "two" to "Three" keeps the first two sentences together.
        assert_eq!(
            words(text, &[CharRange::new(4, 14)]),
            [vec!["One", "two", ".", "Three", "four", "."], vec!["Five"]]
        );
    }

    fn sentences(text: &str) -> Vec<String> {
        let t = tokenize(text, &[]);
        (0..t.sentence_starts.len())
            .map(|s| {
                let range = t.sentence(s);
                let start = t.tokens[range.start].bytes.start;
                let end = t.tokens[range.end - 1].bytes.end;
                text[start..end].to_owned()
            })
            .collect()
    }

    #[test]
    fn titles_acronyms_and_times_keep_their_sentence_together() {
        for text in [
            "Dr. Smith met Mr. Jones in the U.S. on Monday.",
            "It ended at 5 p.m. on Friday.",
            "Prof. Ng and Sen. Warren spoke to Gov. Hochul on Jan. 5 in St. Paul.",
            "The U.S. Senate and the U.K. Parliament voted, e.g. on No. 10 vs. the E.U. plan.",
            "J. Smith of Acme Corp. Holdings and Martin Luther King Jr. Day are names.",
            "Officials met at 9 a.m. Tuesday.",
        ] {
            assert_eq!(sentences(text), [text], "{text}");
        }
    }

    #[test]
    fn an_abbreviation_before_a_sentence_starter_ends_the_sentence() {
        assert_eq!(
            sentences("They met at the U.N. The talks failed. He left at 5 p.m. But why?"),
            [
                "They met at the U.N.",
                "The talks failed.",
                "He left at 5 p.m.",
                "But why?"
            ]
        );
        assert_eq!(
            sentences("It bought Acme Inc. It paid cash, etc. Then it sold."),
            ["It bought Acme Inc.", "It paid cash, etc.", "Then it sold."]
        );
        // The choice this rule makes: a capitalised word that is not a frequent starter
        // continues the sentence.
        assert_eq!(
            sentences("The vote was at 5 p.m. Officials said so."),
            ["The vote was at 5 p.m. Officials said so."]
        );
        // An ordinary word before a stop still ends its sentence.
        assert_eq!(
            sentences("Ask Dr. Who. Smith knows."),
            ["Ask Dr. Who.", "Smith knows."]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence_and_lowercase_continues_it() {
        let text = "He said “stop.” Then e.g. this. 😀 Next? «Oui.» Fin";
        assert_eq!(
            words(text, &[]),
            [
                vec!["He", "said", "“", "stop", ".", "”"],
                vec!["Then", "e.g", ".", "this", "."],
                vec!["😀", "Next", "?"],
                vec!["«", "Oui", ".", "»"],
                vec!["Fin"]
            ]
        );
    }
}
