//! spaCy's own training format: a `DocBin` (`.spacy`) that `spacy train` and
//! `DocBin().from_disk(path).get_docs(nlp.vocab)` read as they are.
//!
//! Each document becomes one `Doc`:
//! - **Text and tokens.** The tokens are stet's own ([`super::tokens`]: UAX #29 words, cut at
//!   span edges), and the whitespace between them is kept the way spaCy's tokenizer keeps it:
//!   one plain space after a token is that token's trailing space (`SPACY` = true); any other
//!   whitespace (a second space, a line break, a tab, a no-break space, whitespace before the
//!   first token) is a whitespace token of its own. So `doc.text` is the stored text byte for
//!   byte. Whitespace is cut into further tokens wherever a span edge falls in it, and a space
//!   is not taken as trailing when a span starts on it or ends just after it, so every span
//!   starts and ends on a token boundary.
//! - **`doc.spans[KEY]`** (`sc` unless `--spans-key` says otherwise): every exported span,
//!   with its label, in export order, including overlapping ones and those covering only
//!   whitespace. Its `start_char`/`end_char` are stet's code-point offsets, which are Python
//!   `str` indices.
//! - **`doc.ents`**: the spans that do not overlap, chosen as CoNLL chooses them (longest
//!   first, ties in export order; spans covering only whitespace cannot be entities), with
//!   whitespace tokens at their edges left out (spaCy's NER cannot learn an entity that starts
//!   or ends on whitespace). The others are counted as left out; every token outside an
//!   entity is `O`, since the annotator has looked at the whole text.
//! - **Sentences** (`SENT_START`): stet's sentences ([`super::tokens`]); whitespace tokens
//!   belong to the sentence before them (leading whitespace to the first).
//! - **`doc.user_data`**: `{"id": uid, "title": title}`, so a `Doc` can be traced back.
//!
//! The file is zlib-compressed msgpack as `spacy/tokens/_serialize.py` writes it: `attrs`
//! `[ORTH, ENT_IOB, ENT_TYPE, SENT_START]`, the token rows as little-endian `uint64`, the
//! trailing-space flags, the lengths as `int32`, the strings the hashes stand for, and per
//! document its span groups (`spacy/tokens/span_group.pyx`). Strings are spaCy's ids
//! ([`crate::model::spacy_strings`]). The whole file is one msgpack map whose arrays carry
//! their lengths first, so the arrays are built in memory (about 33 bytes per token, plus each
//! distinct string once) and written at the end. `crate::ingest`'s spaCy reader reads it back.

use std::collections::BTreeSet;
use std::io::Write;
use std::ops::Range;

use super::conll::outermost;
use super::tokens::{Tokenized, tokenize};
use super::{ExportDocument, ExportError, ExportHeader, ExportSummary};
use crate::model::CharRange;
use crate::model::spacy_strings::string_id;

/// The span key when none is given (spaCy's `spancat` default).
pub const DEFAULT_SPANS_KEY: &str = "sc";

/// spaCy's attribute ids (`spacy.attrs.IDS`), in the order the rows hold them (sorted, as
/// `DocBin` sorts them, with `ORTH` first).
const ATTRS: [u64; 4] = [ORTH, ENT_IOB, ENT_TYPE, SENT_START];
const ORTH: u64 = 65;
const ENT_IOB: u64 = 77;
const ENT_TYPE: u64 = 78;
const SENT_START: u64 = 80;

/// `ENT_IOB` values (`Token.iob_strings()`: "", "I", "O", "B").
const IOB_I: u64 = 1;
const IOB_O: u64 = 2;
const IOB_B: u64 = 3;

/// Writes the documents as one spaCy `DocBin` (see the module docs).
pub fn write_spacy(
    header: &ExportHeader,
    docs: &mut dyn Iterator<Item = ExportDocument>,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    let key = header
        .options
        .spans_key
        .as_deref()
        .unwrap_or(DEFAULT_SPANS_KEY);
    if key.is_empty() {
        return Err(ExportError::Invalid("--spans-key: give a name".into()));
    }
    let mut bin = DocBin::default();
    let mut summary = ExportSummary::default();
    for doc in docs {
        bin.add(&doc, key, &mut summary)?;
        summary.documents += 1;
    }
    let mut zlib = flate2::write::ZlibEncoder::new(out, flate2::Compression::default());
    bin.write(&mut zlib)?;
    zlib.finish()?.flush()?;
    Ok(summary)
}

/// One spaCy token: a stet token or a piece of the whitespace between them.
#[derive(Clone, Debug, PartialEq, Eq)]
struct DocToken {
    chars: CharRange,
    bytes: Range<usize>,
    /// Followed by one plain space that belongs to it (spaCy's `whitespace_`).
    space: bool,
    /// The stet token it is; `None` for whitespace.
    word: Option<usize>,
}

/// The char offsets where spans start and where they end, sorted.
struct Edges {
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl Edges {
    fn new(ranges: &[CharRange]) -> Self {
        let mut starts: Vec<usize> = ranges.iter().map(|r| r.start).collect();
        let mut ends: Vec<usize> = ranges.iter().map(|r| r.end).collect();
        starts.sort_unstable();
        starts.dedup();
        ends.sort_unstable();
        ends.dedup();
        Self { starts, ends }
    }

    fn starts_at(&self, at: usize) -> bool {
        self.starts.binary_search(&at).is_ok()
    }

    fn ends_at(&self, at: usize) -> bool {
        self.ends.binary_search(&at).is_ok()
    }

    fn any_at(&self, at: usize) -> bool {
        self.starts_at(at) || self.ends_at(at)
    }
}

/// spaCy's tokens for `text`: stet's tokens and the whitespace between them, so that their
/// texts and trailing spaces give `text` back, with a token boundary at every edge of `spans`.
fn doc_tokens(text: &str, tokenized: &Tokenized, spans: &[CharRange]) -> Vec<DocToken> {
    let edges = Edges::new(spans);
    let mut out: Vec<DocToken> = Vec::with_capacity(tokenized.tokens.len() + 8);
    let mut at = (0, 0);
    for (i, token) in tokenized.tokens.iter().enumerate() {
        push_gap(&mut out, text, at, token.bytes.start, &edges);
        out.push(DocToken {
            chars: token.chars,
            bytes: token.bytes.clone(),
            space: false,
            word: Some(i),
        });
        at = (token.chars.end, token.bytes.end);
    }
    push_gap(&mut out, text, at, text.len(), &edges);
    out
}

/// Adds the whitespace from `from` (code point, byte) to byte `to`: a plain space right after
/// a word as its trailing space, the rest as whitespace tokens cut at span edges.
fn push_gap(out: &mut Vec<DocToken>, text: &str, from: (usize, usize), to: usize, edges: &Edges) {
    let (mut start_char, mut start_byte) = from;
    let gap = text.get(start_byte..to).unwrap_or_default();
    if gap.is_empty() {
        return;
    }
    let trailing =
        gap.starts_with(' ') && !edges.starts_at(start_char) && !edges.ends_at(start_char + 1);
    if let Some(word) = out.last_mut().filter(|_| trailing) {
        word.space = true;
        start_char += 1;
        start_byte += 1;
    }
    let (mut char_at, mut byte_at) = (start_char, start_byte);
    for c in text.get(start_byte..to).unwrap_or_default().chars() {
        if char_at > start_char && edges.any_at(char_at) {
            out.push(space_token(start_char..char_at, start_byte..byte_at));
            (start_char, start_byte) = (char_at, byte_at);
        }
        char_at += 1;
        byte_at += c.len_utf8();
    }
    if char_at > start_char {
        out.push(space_token(start_char..char_at, start_byte..byte_at));
    }
}

fn space_token(chars: Range<usize>, bytes: Range<usize>) -> DocToken {
    DocToken {
        chars: CharRange::new(chars.start, chars.end),
        bytes,
        space: false,
        word: None,
    }
}

/// The token index range a code-point range covers (its edges are token boundaries).
fn token_range(tokens: &[DocToken], range: CharRange) -> Range<usize> {
    let start = tokens.partition_point(|t| t.chars.start < range.start);
    let end = tokens.partition_point(|t| t.chars.start < range.end);
    debug_assert!(
        tokens
            .get(start)
            .is_none_or(|t| t.chars.start == range.start)
            && (end == start || tokens[end - 1].chars.end == range.end),
        "span {range:?} is not on token bounds"
    );
    start..end.max(start)
}

/// The `DocBin` being built: the arrays and strings of every document so far.
#[derive(Default)]
struct DocBin {
    /// Rows of [`ATTRS`], little-endian `uint64`.
    tokens: Vec<u8>,
    spaces: Vec<u8>,
    /// Tokens per document, little-endian `int32`.
    lengths: Vec<u8>,
    strings: BTreeSet<String>,
    /// Each document's `SpanGroups` bytes.
    span_groups: Vec<Vec<u8>>,
    /// Each document's user data bytes.
    user_data: Vec<Vec<u8>>,
}

impl DocBin {
    /// Adds one document, counting its spans into `summary`.
    fn add(
        &mut self,
        doc: &ExportDocument,
        key: &str,
        summary: &mut ExportSummary,
    ) -> Result<(), ExportError> {
        let text = doc.text.as_str();
        let ranges: Vec<CharRange> = doc.spans.iter().map(|s| s.range).collect();
        let tokenized = tokenize(text, &ranges);
        let tokens = doc_tokens(text, &tokenized, &ranges);
        let spans: Vec<Range<usize>> = ranges.iter().map(|&r| token_range(&tokens, r)).collect();
        for range in &ranges {
            if tokenized.cuts_word_at(range.start) || tokenized.cuts_word_at(range.end) {
                summary.split_words += 1;
            }
        }
        let entities = entities(&tokens, &ranges, &spans);
        summary.spans += ranges.len();
        summary.left_out += ranges.len() - entities.len();
        let mut iob = vec![(IOB_O, 0); tokens.len()];
        for (i, range) in &entities {
            let label = string_id(&doc.spans[*i].label);
            for t in range.clone() {
                iob[t] = (if t == range.start { IOB_B } else { IOB_I }, label);
            }
        }
        let sentence = sentence_flags(&tokenized, &tokens);
        for (t, token) in tokens.iter().enumerate() {
            let orth = text.get(token.bytes.clone()).unwrap_or_default();
            self.intern(orth);
            for value in [string_id(orth), iob[t].0, iob[t].1, sentence[t]] {
                self.tokens.extend_from_slice(&value.to_le_bytes());
            }
            self.spaces.push(u8::from(token.space));
        }
        let length = i32::try_from(tokens.len())
            .map_err(|_| ExportError::Invalid(format!("{}: too many tokens", doc.info.title)))?;
        self.lengths.extend_from_slice(&length.to_le_bytes());
        for span in &doc.spans {
            self.intern(&span.label);
        }
        let group = span_group(key, doc, &spans)?;
        self.span_groups.push(group);
        self.user_data.push(user_data(doc)?);
        Ok(())
    }

    fn intern(&mut self, text: &str) {
        if !self.strings.contains(text) {
            self.strings.insert(text.to_owned());
        }
    }

    /// Writes the `DocBin` message (uncompressed msgpack).
    fn write(&self, w: &mut impl Write) -> Result<(), ExportError> {
        let docs = self.span_groups.len();
        map_len(w, 10)?;
        str(w, "version")?;
        str(w, "0.1")?;
        str(w, "attrs")?;
        array_len(w, ATTRS.len())?;
        for attr in ATTRS {
            uint(w, attr)?;
        }
        for (name, bytes) in [
            ("tokens", &self.tokens),
            ("spaces", &self.spaces),
            ("lengths", &self.lengths),
        ] {
            str(w, name)?;
            bin(w, bytes)?;
        }
        str(w, "strings")?;
        array_len(w, self.strings.len())?;
        for s in &self.strings {
            str(w, s)?;
        }
        str(w, "cats")?;
        array_len(w, docs)?;
        for _ in 0..docs {
            map_len(w, 0)?;
        }
        str(w, "flags")?;
        array_len(w, docs)?;
        for _ in 0..docs {
            map_len(w, 1)?;
            str(w, "has_unknown_spaces")?;
            rmp::encode::write_bool(w, false)?;
        }
        for (name, list) in [
            ("span_groups", &self.span_groups),
            ("user_data", &self.user_data),
        ] {
            str(w, name)?;
            array_len(w, list.len())?;
            for bytes in list {
                bin(w, bytes)?;
            }
        }
        Ok(())
    }
}

/// The entities: `(span index, token range)` of the spans kept when overlaps are resolved as
/// CoNLL resolves them, without whitespace tokens at their edges; spans of only whitespace
/// are never entities. In text order.
fn entities(
    tokens: &[DocToken],
    ranges: &[CharRange],
    spans: &[Range<usize>],
) -> Vec<(usize, Range<usize>)> {
    let is_word = |t: usize| tokens.get(t).is_some_and(|t| t.word.is_some());
    let trimmed: Vec<Range<usize>> = spans
        .iter()
        .map(|r| {
            let mut r = r.clone();
            while r.start < r.end && !is_word(r.start) {
                r.start += 1;
            }
            while r.end > r.start && !is_word(r.end - 1) {
                r.end -= 1;
            }
            r
        })
        .collect();
    let candidates: Vec<usize> = (0..ranges.len())
        .filter(|&i| !trimmed[i].is_empty())
        .collect();
    let candidate_ranges: Vec<CharRange> = candidates.iter().map(|&i| ranges[i]).collect();
    let mut kept: Vec<(usize, Range<usize>)> = outermost(&candidate_ranges)
        .into_iter()
        .map(|k| (candidates[k], trimmed[candidates[k]].clone()))
        .collect();
    kept.sort_by_key(|(_, r)| r.start);
    kept
}

/// `SENT_START` per token: 1 for the first token of a sentence, -1 (as `uint64`) otherwise.
fn sentence_flags(tokenized: &Tokenized, tokens: &[DocToken]) -> Vec<u64> {
    const NOT_START: u64 = u64::MAX;
    // Leading whitespace begins the first sentence; its first word then does not.
    let mut after_first_word = false;
    tokens
        .iter()
        .enumerate()
        .map(|(t, token)| {
            let starts = match token.word {
                _ if t == 0 => true,
                None => false,
                Some(w) => after_first_word && tokenized.sentence_starts.binary_search(&w).is_ok(),
            };
            after_first_word |= token.word.is_some();
            if starts { 1 } else { NOT_START }
        })
        .collect()
}

/// The document's `SpanGroups` bytes: `{group bytes: [key]}`, the group being
/// `{"name", "attrs", "spans"}` with each span packed as `>QQQllll` (id, kb_id, label, start
/// and end token, start and end char).
fn span_group(
    key: &str,
    doc: &ExportDocument,
    spans: &[Range<usize>],
) -> Result<Vec<u8>, ExportError> {
    let mut group = Vec::with_capacity(32 + 42 * spans.len());
    map_len(&mut group, 3)?;
    str(&mut group, "name")?;
    str(&mut group, key)?;
    str(&mut group, "attrs")?;
    map_len(&mut group, 0)?;
    str(&mut group, "spans")?;
    array_len(&mut group, spans.len())?;
    for (span, tokens) in doc.spans.iter().zip(spans) {
        let mut packed = [0u8; 40];
        packed[16..24].copy_from_slice(&string_id(&span.label).to_be_bytes());
        for (slot, value) in [tokens.start, tokens.end, span.range.start, span.range.end]
            .into_iter()
            .enumerate()
        {
            let value = i32::try_from(value)
                .map_err(|_| ExportError::Invalid(format!("{}: too long", doc.info.title)))?;
            let at = 24 + 4 * slot;
            packed[at..at + 4].copy_from_slice(&value.to_be_bytes());
        }
        bin(&mut group, &packed)?;
    }
    let mut groups = Vec::with_capacity(group.len() + 16);
    map_len(&mut groups, 1)?;
    bin(&mut groups, &group)?;
    array_len(&mut groups, 1)?;
    str(&mut groups, key)?;
    Ok(groups)
}

/// The document's user data bytes: `{"id": uid, "title": title}`.
fn user_data(doc: &ExportDocument) -> Result<Vec<u8>, ExportError> {
    let mut bytes = Vec::with_capacity(96 + doc.info.title.len());
    map_len(&mut bytes, 2)?;
    str(&mut bytes, "id")?;
    str(&mut bytes, &doc.info.uid)?;
    str(&mut bytes, "title")?;
    str(&mut bytes, &doc.info.title)?;
    Ok(bytes)
}

/// A length as msgpack holds it (at most `u32::MAX`).
fn len32(n: usize) -> std::io::Result<u32> {
    u32::try_from(n).map_err(|_| std::io::Error::other("more than msgpack can hold (4 GiB)"))
}

fn map_len(w: &mut impl Write, n: usize) -> std::io::Result<()> {
    rmp::encode::write_map_len(w, len32(n)?)?;
    Ok(())
}

fn array_len(w: &mut impl Write, n: usize) -> std::io::Result<()> {
    rmp::encode::write_array_len(w, len32(n)?)?;
    Ok(())
}

fn str(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    len32(s.len())?;
    rmp::encode::write_str(w, s)?;
    Ok(())
}

fn bin(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    len32(bytes.len())?;
    rmp::encode::write_bin(w, bytes)?;
    Ok(())
}

fn uint(w: &mut impl Write, n: u64) -> std::io::Result<()> {
    rmp::encode::write_uint(w, n)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, spans: &[CharRange]) -> Vec<(String, bool)> {
        let tokenized = tokenize(text, spans);
        doc_tokens(text, &tokenized, spans)
            .iter()
            .map(|t| (text[t.bytes.clone()].to_owned(), t.space))
            .collect()
    }

    fn rebuilt(text: &str, spans: &[CharRange]) -> String {
        pieces(text, spans)
            .into_iter()
            .map(|(t, space)| if space { t + " " } else { t })
            .collect()
    }

    fn owned(list: &[(&str, bool)]) -> Vec<(String, bool)> {
        list.iter().map(|&(t, s)| (t.to_owned(), s)).collect()
    }

    #[test]
    fn whitespace_is_kept_as_spacy_keeps_it() {
        // What spaCy's own tokenizer gives "Hi  there.\nBye": a trailing space, then the
        // second space and the line break as tokens.
        let text = "Hi  there.\nBye";
        assert_eq!(
            pieces(text, &[]),
            owned(&[
                ("Hi", true),
                (" ", false),
                ("there", false),
                (".", false),
                ("\n", false),
                ("Bye", false)
            ])
        );
        for text in [
            "",
            " ",
            "  lead and trail  ",
            "tab\there\u{a0}nbsp\r\n\r\n  indented",
            "Kyiv denied the report.\u{a0}Putin's aide 😀 ۱۱۶۵۳۸۱.",
        ] {
            assert_eq!(rebuilt(text, &[]), text);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Any text, any spans: the tokens give the text back, every span edge is a token
        /// bound, and the entities neither overlap nor start or end on whitespace.
        #[test]
        fn tokens_rebuild_the_text_and_bound_every_span(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Dr", ".", " ", "  ", "\n", "\t", "\u{a0}", "😀", "۱۱", "e\u{301}", "U.S", ",",
                ]),
                0..30,
            ),
            edges in proptest::collection::vec((0usize..60, 0usize..8), 0..8),
        ) {
            let text: String = pieces.concat();
            let len = text.chars().count();
            let ranges: Vec<CharRange> = edges
                .iter()
                .filter(|&&(start, _)| start < len)
                .map(|&(start, width)| CharRange::new(start, (start + width + 1).min(len)))
                .collect();
            proptest::prop_assert_eq!(rebuilt(&text, &ranges), text.clone());
            let tokenized = tokenize(&text, &ranges);
            let tokens = doc_tokens(&text, &tokenized, &ranges);
            let spans: Vec<_> = ranges.iter().map(|&r| token_range(&tokens, r)).collect();
            for (r, t) in ranges.iter().zip(&spans) {
                proptest::prop_assert_eq!(tokens[t.start].chars.start, r.start);
                proptest::prop_assert_eq!(tokens[t.end - 1].chars.end, r.end);
            }
            let mut last_end = 0;
            for (_, t) in entities(&tokens, &ranges, &spans) {
                proptest::prop_assert!(t.start >= last_end);
                proptest::prop_assert!(tokens[t.start].word.is_some());
                proptest::prop_assert!(tokens[t.end - 1].word.is_some());
                last_end = t.end;
            }
        }
    }

    #[test]
    fn span_edges_in_whitespace_are_token_bounds() {
        // "two claims": a span on the one space between them makes it a token of its own.
        let text = "Line\ttwo claims 5";
        let spans = [CharRange::new(8, 9), CharRange::new(4, 5)];
        assert_eq!(
            pieces(text, &spans),
            owned(&[
                ("Line", false),
                ("\t", false),
                ("two", false),
                (" ", false),
                ("claims", true),
                ("5", false)
            ])
        );
        // A span that starts on the space after a word, or ends inside a run of spaces.
        let text = "a   b";
        let spans = [CharRange::new(1, 3)];
        assert_eq!(
            pieces(text, &spans),
            owned(&[("a", false), ("  ", false), (" ", false), ("b", false)])
        );
        let tokenized = tokenize(text, &spans);
        let tokens = doc_tokens(text, &tokenized, &spans);
        assert_eq!(token_range(&tokens, spans[0]), 1..2);
        assert_eq!(rebuilt(text, &spans), text);
    }

    #[test]
    fn entities_are_the_outermost_spans_without_edge_whitespace() {
        let text = "about 70,000 troops. Kyiv";
        let ranges = [
            CharRange::new(6, 19),  // "70,000 troops"
            CharRange::new(0, 19),  // "about 70,000 troops"
            CharRange::new(19, 21), // ". "
            CharRange::new(20, 21), // " ": whitespace only
            CharRange::new(20, 25), // " Kyiv"
        ];
        let tokenized = tokenize(text, &ranges);
        let tokens = doc_tokens(text, &tokenized, &ranges);
        let spans: Vec<_> = ranges.iter().map(|&r| token_range(&tokens, r)).collect();
        let words = |r: &Range<usize>| -> Vec<&str> {
            tokens[r.clone()]
                .iter()
                .map(|t| &text[t.bytes.clone()])
                .collect()
        };
        let got: Vec<(usize, Vec<&str>)> = entities(&tokens, &ranges, &spans)
            .iter()
            .map(|(i, r)| (*i, words(r)))
            .collect();
        assert_eq!(
            got,
            [(1, vec!["about", "70,000", "troops"]), (4, vec!["Kyiv"])]
        );
    }

    #[test]
    fn sentences_start_at_words_and_whitespace_goes_before() {
        let text = "\nOne.  Two.\nThree";
        let tokenized = tokenize(text, &[]);
        let tokens = doc_tokens(text, &tokenized, &[]);
        let starts: Vec<&str> = sentence_flags(&tokenized, &tokens)
            .iter()
            .zip(&tokens)
            .filter(|(flag, _)| **flag == 1)
            .map(|(_, t)| &text[t.bytes.clone()])
            .collect();
        assert_eq!(starts, ["\n", "Two", "Three"]);
    }

    /// A document with `spans` as (start, end, label), written without any project.
    fn document(text: &str, spans: &[(usize, usize, &str)]) -> ExportDocument {
        use crate::model::{Origin, Span, Timestamp};
        let span = |&(start, end, label): &(usize, usize, &str)| Span {
            id: start as i64,
            uid: format!("s{start}"),
            document_id: 1,
            range: CharRange::new(start, end),
            label: label.into(),
            annotator: "ana".into(),
            note: String::new(),
            origin: Origin::Manual,
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
            attributes: Default::default(),
        };
        ExportDocument {
            info: crate::store::DocumentInfo {
                id: 1,
                uid: "d1".into(),
                title: "Peskov".into(),
                source: "x".into(),
                format: "text".into(),
                len_chars: text.chars().count(),
                imported_at: Timestamp(0),
                span_count: spans.len(),
            },
            text: text.into(),
            meta: Default::default(),
            spans: spans.iter().map(span).collect(),
            relations: Vec::new(),
        }
    }

    #[test]
    fn a_span_group_packs_offsets_big_endian() {
        let doc = document("Dmitry Peskov said", &[(7, 13, "source")]);
        let tokens = 1..2;
        let bytes = span_group("sc", &doc, std::slice::from_ref(&tokens)).unwrap();
        // {bin(group): ["sc"]}: fixmap of 1, bin8 of the group's length.
        assert_eq!(bytes[..2], [0x81, 0xc4]);
        let group = &bytes[3..3 + usize::from(bytes[2])];
        assert!(group.starts_with(b"\x83\xa4name\xa2sc\xa5attrs\x80\xa5spans\x91\xc4\x28"));
        let packed = &group[group.len() - 40..];
        assert_eq!(packed[..16], [0; 16]);
        assert_eq!(packed[16..24], string_id("source").to_be_bytes());
        assert_eq!(
            packed[24..],
            [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 13]
        );
        assert!(bytes.ends_with(b"\x91\xa2sc"));
    }

    #[test]
    fn the_file_is_zlib_msgpack_with_docbins_fields() {
        use rmp::decode::{read_array_len, read_bin_len, read_map_len, read_str_len};
        use std::io::Read;
        let header = ExportHeader {
            scheme: crate::model::LabelScheme::newsroom(),
            annotators: vec!["ana".into()],
            origin: None,
            options: Default::default(),
        };
        let docs = vec![
            document(
                "Dmitry Peskov said  so.",
                &[(7, 13, "source"), (0, 13, "source")],
            ),
            document("", &[]),
        ];
        let mut out = Vec::new();
        let summary = write_spacy(&header, &mut docs.into_iter(), &mut out).unwrap();
        assert_eq!(
            (summary.documents, summary.spans, summary.left_out),
            (2, 2, 1)
        );
        let mut msg = Vec::new();
        flate2::read::ZlibDecoder::new(&out[..])
            .read_to_end(&mut msg)
            .unwrap();
        let mut r = &msg[..];
        let key = |r: &mut &[u8]| {
            let len = read_str_len(r).unwrap() as usize;
            let (name, rest) = r.split_at(len);
            *r = rest;
            String::from_utf8(name.to_vec()).unwrap()
        };
        let skip_bin = |r: &mut &[u8]| {
            let len = read_bin_len(r).unwrap() as usize;
            let (bytes, rest) = r.split_at(len);
            *r = rest;
            bytes.to_vec()
        };
        assert_eq!(read_map_len(&mut r).unwrap(), 10);
        assert_eq!((key(&mut r), key(&mut r)), ("version".into(), "0.1".into()));
        assert_eq!(key(&mut r), "attrs");
        assert_eq!(read_array_len(&mut r).unwrap(), 4);
        r = &r[4..]; // Four positive fixints: 65, 77, 78, 80.
        assert_eq!(key(&mut r), "tokens");
        // "Dmitry", "Peskov", "said" + space, " ", "so", ".": six rows of four u64.
        let tokens = skip_bin(&mut r);
        assert_eq!(tokens.len(), 6 * 4 * 8);
        let row = |t: usize, col: usize| {
            let at = (t * 4 + col) * 8;
            u64::from_le_bytes(tokens[at..at + 8].try_into().unwrap())
        };
        assert_eq!(row(0, 0), string_id("Dmitry"));
        // The longer span is the entity: B, I, then O.
        assert_eq!((row(0, 1), row(1, 1), row(2, 1)), (IOB_B, IOB_I, IOB_O));
        assert_eq!(row(1, 2), string_id("source"));
        assert_eq!((row(0, 3), row(1, 3)), (1, u64::MAX));
        assert_eq!(key(&mut r), "spaces");
        assert_eq!(skip_bin(&mut r), [1, 1, 1, 0, 0, 0]);
        assert_eq!(key(&mut r), "lengths");
        assert_eq!(skip_bin(&mut r), [6, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(key(&mut r), "strings");
        let strings: Vec<String> = (0..read_array_len(&mut r).unwrap())
            .map(|_| key(&mut r))
            .collect();
        assert_eq!(
            strings,
            [" ", ".", "Dmitry", "Peskov", "said", "so", "source"]
        );
    }
}
