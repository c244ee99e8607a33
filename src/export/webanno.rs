//! WebAnno TSV 3.3, as INCEpTION imports it: one `NAME.tsv` per document.
//!
//! Spans go on INCEpTION's built-in named-entity layer, which every INCEpTION project has, so
//! the files import without configuring a layer first:
//! `#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value`, the
//! label in `value` and `identifier` left empty (`*`). The layout follows INCEpTION's own
//! writer: the format line, the layer line, two empty lines, then per sentence its `#Text=`
//! lines (one per line of the sentence's text) and one line per token,
//! `SENT-TOK\tBEGIN-END\tTOKEN\tIDENTIFIER\tVALUE\t`, with an empty line between sentences.
//!
//! Offsets are **UTF-16 code units** (a character outside the Basic Multilingual Plane, such
//! as an emoji, counts 2), as the format requires. A span over several tokens, or stacked on a
//! token with another span, carries a disambiguation id (`claim[3]`), and stacked spans are
//! separated by `|`; tokens without a span have `_`. Feature values are escaped as the
//! format says (`\`, `[`, `]`, `|`, `_`, `->`, `;`, tab, line feed and `*` get a backslash),
//! and `#Text=` lines as INCEpTION escapes them (backslash, tab, CR, form feed, backspace and
//! other control characters).
//!
//! Tokens and sentences come from [`super::tokens`]; tokens are cut at span edges, so every
//! span is exact to the code point unless it begins or ends with whitespace (the format has
//! no rows for whitespace: such a span is written from its first to its last token). Each
//! sentence's text runs to the next sentence, so INCEpTION rebuilds the document text
//! exactly, except that whitespace before the first token becomes spaces and a final line
//! feed is added when the text has none. A document with no token at all cannot be written
//! in this format and is skipped. The format has no place for annotators or notes.

use std::path::Path;

use super::names::FileNames;
use super::tokens::tokenize;
use super::{
    ExportDocument, ExportError, ExportHeader, ExportSummary, push_number, with_file_sink,
};
use crate::model::CharRange;

/// The layer line: INCEpTION's built-in named-entity layer.
const LAYER: &str = "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value";

/// Writes the documents that pass `filter` into `dir` (which must exist), one `.tsv` each.
pub fn write_webanno(
    _header: &ExportHeader,
    docs: &mut dyn Iterator<Item = ExportDocument>,
    dir: &Path,
) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary::default();
    let mut names = FileNames::default();
    with_file_sink(|sink| {
        for doc in docs {
            let ranges: Vec<CharRange> = doc.spans.iter().map(|s| s.range).collect();
            let tok = tokenize(&doc.text, &ranges);
            if tok.tokens.is_empty() {
                summary.skipped_documents += 1;
                summary.left_out += ranges.len();
                continue;
            }
            // Each span's token range (empty when it covers only whitespace).
            let mut covered = Vec::with_capacity(ranges.len());
            for range in &ranges {
                let tokens = tok.covered(*range);
                if tokens.is_empty() {
                    summary.left_out += 1;
                } else {
                    if tok.cuts_word_at(range.start) || tok.cuts_word_at(range.end) {
                        summary.split_words += 1;
                    }
                    summary.spans += 1;
                }
                covered.push(tokens);
            }
            // Spans by first token; export order already sorts them so within a token.
            let mut order: Vec<usize> = (0..ranges.len())
                .filter(|&i| !covered[i].is_empty())
                .collect();
            order.sort_by_key(|&i| (covered[i].start, i));
            // A span needs a disambiguation id if it covers several tokens or shares a token.
            let mut needs_id: Vec<bool> = covered.iter().map(|r| r.len() > 1).collect();
            let mut active = Vec::new();
            let mut next = 0;
            for t in 0..tok.tokens.len() {
                advance(&mut active, &mut next, &order, &covered, t);
                if active.len() > 1 {
                    for &i in &active {
                        needs_id[i] = true;
                    }
                }
            }
            let labels: Vec<String> = doc.spans.iter().map(|s| escape_value(&s.label)).collect();

            let mut buf = String::from_utf8(sink.buffer()).unwrap_or_default();
            buf.push_str("#FORMAT=WebAnno TSV 3.3\n");
            buf.push_str(LAYER);
            buf.push_str("\n\n");
            let text = doc.text.as_str();
            // Ids are numbered in order of first appearance.
            let mut ids: Vec<usize> = vec![0; ranges.len()];
            let mut next_id = 1;
            active.clear();
            next = 0;
            for s in 0..tok.sentence_starts.len() {
                let sentence = tok.sentence(s);
                let Some(first) = tok.tokens.get(sentence.start) else {
                    continue;
                };
                let next_start = tok
                    .tokens
                    .get(sentence.end)
                    .map_or(text.len(), |t| t.bytes.start);
                let mut body = &text[first.bytes.start..next_start];
                // The reader puts back one line feed after each sentence.
                if let Some(stripped) = body.strip_suffix('\n') {
                    body = stripped;
                }
                buf.push('\n');
                for line in body.split('\n') {
                    buf.push_str("#Text=");
                    escape_text(line, &mut buf);
                    buf.push('\n');
                }
                for (n, t) in sentence.clone().enumerate() {
                    let token = &tok.tokens[t];
                    push_number(&mut buf, s + 1);
                    buf.push('-');
                    push_number(&mut buf, n + 1);
                    buf.push('\t');
                    push_number(&mut buf, token.utf16_start);
                    buf.push('-');
                    push_number(&mut buf, token.utf16_end);
                    buf.push('\t');
                    buf.push_str(&text[token.bytes.clone()]);
                    buf.push('\t');
                    advance(&mut active, &mut next, &order, &covered, t);
                    if active.is_empty() {
                        buf.push_str("_\t_\t\n");
                        continue;
                    }
                    for &i in &active {
                        if needs_id[i] && ids[i] == 0 {
                            ids[i] = next_id;
                            next_id += 1;
                        }
                    }
                    for (k, &i) in active.iter().enumerate() {
                        if k > 0 {
                            buf.push('|');
                        }
                        buf.push('*');
                        push_id(&mut buf, ids[i]);
                    }
                    buf.push('\t');
                    for (k, &i) in active.iter().enumerate() {
                        if k > 0 {
                            buf.push('|');
                        }
                        buf.push_str(&labels[i]);
                        push_id(&mut buf, ids[i]);
                    }
                    buf.push_str("\t\n");
                }
            }
            let stem = names.stem(&doc.info.title, &doc.info.uid);
            sink.write(dir.join(format!("{stem}.tsv")), buf.into_bytes())?;
            summary.documents += 1;
        }
        Ok(())
    })?;
    Ok(summary)
}

/// Moves the sweep to token `t`: drops spans that ended before it and adds those starting at
/// it (`order` is the spans sorted by first token), keeping export order.
fn advance(
    active: &mut Vec<usize>,
    next: &mut usize,
    order: &[usize],
    covered: &[std::ops::Range<usize>],
    t: usize,
) {
    active.retain(|&i| covered[i].end > t);
    while let Some(&i) = order.get(*next) {
        if covered[i].start > t {
            break;
        }
        if covered[i].end > t {
            active.push(i);
        }
        *next += 1;
    }
}

/// Appends a disambiguation id (`[3]`), or nothing for 0.
fn push_id(buf: &mut String, id: usize) {
    if id > 0 {
        buf.push('[');
        push_number(buf, id);
        buf.push(']');
    }
}

/// Escapes a feature value as WebAnno TSV 3.3 requires.
fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '[' | ']' | '|' | '_' | ';' | '*' => {
                out.push('\\');
                out.push(c);
            }
            '-' if chars.peek() == Some(&'>') => {
                chars.next();
                out.push_str("\\->");
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes one line of sentence text as INCEpTION's writer does: readable escapes for tab,
/// form feed, carriage return and backspace, a backslash before other control characters
/// (except those from 8 to 13), and the backslash doubled.
fn escape_text(line: &str, out: &mut String) {
    for c in line.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            c if (c as u32) < 32 && !(8..=13).contains(&(c as u32)) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_escape_the_reserved_characters() {
        assert_eq!(escape_value("claim"), "claim");
        assert_eq!(
            escape_value("a_b|c[1]->d;*\\"),
            "a\\_b\\|c\\[1\\]\\->d\\;\\*\\\\"
        );
        assert_eq!(escape_value("x-y"), "x-y");
    }

    #[test]
    fn sentence_text_escapes_like_inception() {
        let mut out = String::new();
        escape_text("a\tb\\c\rd\u{1}e\u{b}", &mut out);
        assert_eq!(out, "a\\tb\\\\c\\rd\\\u{1}e\u{b}");
    }
}
