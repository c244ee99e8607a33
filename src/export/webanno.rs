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

use std::io::{BufWriter, Write};
use std::path::Path;

use super::names::FileNames;
use super::tokens::tokenize;
use super::{ExportError, ExportFilter, ExportSummary, for_each_document};
use crate::model::CharRange;
use crate::store::Project;

/// The layer line: INCEpTION's built-in named-entity layer.
const LAYER: &str = "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value";

/// Writes the documents that pass `filter` into `dir` (which must exist), one `.tsv` each.
pub fn write_webanno(
    project: &Project,
    filter: &ExportFilter,
    dir: &Path,
) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary::default();
    let mut names = FileNames::default();
    let mut buf = String::new();
    for_each_document(project, filter, |doc| {
        let ranges: Vec<CharRange> = doc.spans.iter().map(|s| s.range).collect();
        let tok = tokenize(&doc.text, &ranges);
        if tok.tokens.is_empty() {
            summary.skipped_documents += 1;
            summary.left_out += ranges.len();
            return Ok(());
        }
        // Each span's token range; the tokens each token is covered by (span indices).
        let mut covering: Vec<Vec<usize>> = vec![Vec::new(); tok.tokens.len()];
        let mut covered = Vec::with_capacity(ranges.len());
        for (i, range) in ranges.iter().enumerate() {
            let tokens = tok.covered(*range);
            if tokens.is_empty() {
                summary.left_out += 1;
            } else {
                if tok.cuts_word_at(range.start) || tok.cuts_word_at(range.end) {
                    summary.split_words += 1;
                }
                summary.spans += 1;
                for t in tokens.clone() {
                    covering[t].push(i);
                }
            }
            covered.push(tokens);
        }
        // Disambiguation ids, numbered in order of first appearance, for spans over several
        // tokens or sharing a token with another span.
        let mut ids: Vec<Option<usize>> = vec![None; ranges.len()];
        let mut next_id = 1;
        for spans_here in &covering {
            for &i in spans_here {
                let needs = covered[i].len() > 1 || spans_here.len() > 1;
                if needs && ids[i].is_none() {
                    ids[i] = Some(next_id);
                    next_id += 1;
                }
            }
        }
        let labels: Vec<String> = doc.spans.iter().map(|s| escape_value(&s.label)).collect();

        buf.clear();
        buf.push_str("#FORMAT=WebAnno TSV 3.3\n");
        buf.push_str(LAYER);
        buf.push_str("\n\n");
        let text = doc.text.as_str();
        for s in 0..tok.sentence_starts.len() {
            let sentence = tok.sentence(s);
            let first = &tok.tokens[sentence.start];
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
                buf.push_str(&format!(
                    "{}-{}\t{}-{}\t{}\t",
                    s + 1,
                    n + 1,
                    token.utf16_start,
                    token.utf16_end,
                    &text[token.bytes.clone()]
                ));
                let here = &covering[t];
                if here.is_empty() {
                    buf.push_str("_\t_\t\n");
                    continue;
                }
                let suffix = |i: usize| ids[i].map(|id| format!("[{id}]")).unwrap_or_default();
                let identifiers: Vec<String> =
                    here.iter().map(|&i| format!("*{}", suffix(i))).collect();
                let values: Vec<String> = here
                    .iter()
                    .map(|&i| format!("{}{}", labels[i], suffix(i)))
                    .collect();
                buf.push_str(&identifiers.join("|"));
                buf.push('\t');
                buf.push_str(&values.join("|"));
                buf.push_str("\t\n");
            }
        }
        let stem = names.stem(&doc.info.title, &doc.info.uid);
        let mut out = BufWriter::new(std::fs::File::create(dir.join(format!("{stem}.tsv")))?);
        out.write_all(buf.as_bytes())?;
        out.flush()?;
        summary.documents += 1;
        Ok(())
    })?;
    Ok(summary)
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
