//! WebAnno TSV 3 (INCEpTION's and WebAnno's export): one document per file.
//!
//! The text is rebuilt from the `#Text=` lines: each sentence is placed at its first token's
//! offset (the gap before it, whose characters the format does not keep, becomes spaces
//! ending in a line break), so every token's offsets land on its own text. Offsets count
//! UTF-16 code units (an emoji counts 2) and are converted to code points; a token whose text
//! is not at its offsets refuses the file.
//!
//! Every span layer (`#T_SP=`) is read: NamedEntity and custom layers alike. A span's label is
//! its `value` feature (else its first feature with a value, else the layer's short name),
//! and its other features are attributes. Stacked spans (`A[1]|B[2]`) and spans over several
//! tokens (the same `[id]` on each) become one span each. Chains and relation layers are
//! counted in the article's notes, not read.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{Article, ArticleSpan, IngestError, Problem, SourceFormat, first_line_title};
use crate::model::{Attributes, CharRange};

/// One declared layer and the columns it takes.
struct Layer {
    /// The layer's short name (`NamedEntity`, `Custom`).
    name: String,
    features: Vec<String>,
    kind: LayerKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LayerKind {
    Span,
    Chain,
    Relation,
}

impl Layer {
    /// How many columns the layer has in each token row.
    fn columns(&self) -> usize {
        match self.kind {
            // A span layer without features still has one column for its annotations.
            LayerKind::Span => self.features.len().max(1),
            LayerKind::Chain => 2,
            // The features, then the source token.
            LayerKind::Relation => self.features.len() + 1,
        }
    }
}

/// A span being gathered: its extent in UTF-16 units and its values.
struct Pending {
    layer: usize,
    begin: usize,
    end: usize,
    values: Vec<Option<String>>,
    /// Where it was first seen, for ordering.
    order: usize,
}

/// Reads a decoded WebAnno TSV file.
pub fn read_tsv(text: &str, path: &Path) -> Result<Vec<Article>, IngestError> {
    let fail = |line: usize, msg: String| IngestError::at_line(path, line, Problem::Record(msg));
    let mut lines = text.split('\n').enumerate().peekable();
    match lines.next() {
        Some((_, first))
            if first
                .trim_start_matches('\u{feff}')
                .starts_with("#FORMAT=WebAnno TSV 3") => {}
        _ => {
            return Err(IngestError::file(
                path,
                Problem::Record(
                    "not WebAnno TSV 3: the first line must be #FORMAT=WebAnno TSV 3.x".into(),
                ),
            ));
        }
    }
    let mut layers: Vec<Layer> = Vec::new();
    let mut built = String::new();
    let mut built_units = 0usize;
    // Sentence text waiting for its first token's offset.
    let mut sentence: Option<(usize, String)> = None;
    let mut pending: HashMap<(usize, String), Pending> = HashMap::new();
    let mut singles: Vec<Pending> = Vec::new();
    let mut tokens: Vec<(usize, usize, usize, String)> = Vec::new();
    let mut unread_chains = 0usize;
    let mut unread_relations = 0usize;
    let mut order = 0usize;
    for (at, raw) in lines {
        let number = at + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(decl) = line.strip_prefix("#T_") {
            let (kind, rest) = decl
                .split_once('=')
                .ok_or_else(|| fail(number, "a layer line needs =".into()))?;
            let kind = match kind {
                "SP" => LayerKind::Span,
                "CH" => LayerKind::Chain,
                "RL" => LayerKind::Relation,
                other => return Err(fail(number, format!("unknown layer kind #T_{other}"))),
            };
            let mut parts = rest.split('|');
            let full = parts.next().unwrap_or_default();
            let name = full.rsplit('.').next().unwrap_or(full).to_owned();
            let mut features: Vec<String> = parts.map(str::to_owned).collect();
            if kind == LayerKind::Relation {
                // The last part names the layer the relation joins (`BT_…`), not a column.
                features.retain(|f| !f.starts_with("BT_"));
            }
            layers.push(Layer {
                name,
                features,
                kind,
            });
            continue;
        }
        if let Some(part) = line.strip_prefix("#Text=") {
            let part = unescape_text(part);
            match &mut sentence {
                Some((_, text)) => {
                    text.push('\n');
                    text.push_str(&part);
                }
                None => sentence = Some((number, part)),
            }
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        let (Some(id), Some(offsets), Some(token)) =
            (columns.first(), columns.get(1), columns.get(2))
        else {
            return Err(fail(
                number,
                "a token row needs ID, BEGIN-END and the token".into(),
            ));
        };
        let (begin, end) = offsets
            .split_once('-')
            .and_then(|(b, e)| Some((b.parse::<usize>().ok()?, e.parse::<usize>().ok()?)))
            .ok_or_else(|| {
                fail(
                    number,
                    format!("{id}: offsets must be BEGIN-END, not {offsets:?}"),
                )
            })?;
        if begin > end {
            return Err(fail(
                number,
                format!("{id}: offsets {begin}-{end} are reversed"),
            ));
        }
        if let Some((_, text)) = sentence.take() {
            // The sentence starts at its first token.
            if built_units > begin {
                return Err(fail(
                    number,
                    format!("{id}: the sentence starts at {begin}, inside the text before it"),
                ));
            }
            let gap = begin - built_units;
            if gap > 0 {
                built.extend(std::iter::repeat_n(' ', gap - 1));
                built.push(if built.is_empty() { ' ' } else { '\n' });
            }
            built_units = begin + text.encode_utf16().count();
            built.push_str(&text);
        }
        tokens.push((number, begin, end, unescape_value(token)));
        let mut column = 3;
        for (index, layer) in layers.iter().enumerate() {
            let cells: Vec<&str> = (0..layer.columns())
                .map(|i| columns.get(column + i).copied().unwrap_or("_"))
                .collect();
            column += layer.columns();
            match layer.kind {
                LayerKind::Chain => {
                    unread_chains += cells.iter().filter(|c| **c != "_").count().min(1);
                    continue;
                }
                LayerKind::Relation => {
                    if cells.iter().any(|c| *c != "_") {
                        unread_relations += split_stack(cells[0]).len();
                    }
                    continue;
                }
                LayerKind::Span => {}
            }
            let stacks: Vec<Vec<String>> = cells.iter().map(|c| split_stack(c)).collect();
            let depth = stacks.iter().map(Vec::len).max().unwrap_or(0);
            for entry in 0..depth {
                let mut ids = None;
                let mut values = Vec::with_capacity(stacks.len());
                for stack in &stacks {
                    let raw = stack.get(entry).map(String::as_str).unwrap_or("*");
                    let (value, id) = split_id(raw);
                    if id.is_some() {
                        ids = id;
                    }
                    values.push(match value {
                        "*" | "" => None,
                        v => Some(unescape_value(v)),
                    });
                }
                order += 1;
                match ids {
                    Some(id) => {
                        let span = pending.entry((index, id)).or_insert(Pending {
                            layer: index,
                            begin,
                            end,
                            values: values.clone(),
                            order,
                        });
                        span.begin = span.begin.min(begin);
                        span.end = span.end.max(end);
                        for (have, new) in span.values.iter_mut().zip(values) {
                            if have.is_none() {
                                *have = new;
                            }
                        }
                    }
                    None => singles.push(Pending {
                        layer: index,
                        begin,
                        end,
                        values,
                        order,
                    }),
                }
            }
        }
    }
    if let Some((number, text)) = sentence {
        // A sentence with no tokens (the text after the last token).
        let _ = number;
        if !built.is_empty() {
            built.push('\n');
        }
        built.push_str(&text);
    }
    // UTF-16 unit → code point, for every unit boundary of the rebuilt text.
    let mut unit_to_char: BTreeMap<usize, usize> = BTreeMap::new();
    let mut unit = 0;
    for (at, c) in built.chars().enumerate() {
        unit_to_char.insert(unit, at);
        unit += c.len_utf16();
    }
    unit_to_char.insert(unit, built.chars().count());
    let to_range = |begin: usize, end: usize| -> Option<CharRange> {
        Some(CharRange::new(
            *unit_to_char.get(&begin)?,
            *unit_to_char.get(&end)?,
        ))
    };
    let index = crate::model::CharIndex::new(&built);
    for (number, begin, end, token) in &tokens {
        let range = to_range(*begin, *end).filter(|r| index.slice(&built, *r) == token);
        if range.is_none() {
            return Err(fail(
                *number,
                format!(
                    "the token {token:?} is not at {begin}-{end} (UTF-16 units) of the #Text lines"
                ),
            ));
        }
    }
    let title = first_line_title(&built).ok_or_else(|| IngestError::file(path, Problem::Blank))?;
    let mut article = Article::new(title, built, SourceFormat::WebAnno);
    let mut spans: Vec<Pending> = pending.into_values().chain(singles).collect();
    spans.sort_by_key(|s| s.order);
    for span in spans {
        let layer = &layers[span.layer];
        let Some(range) = to_range(span.begin, span.end).filter(|r| r.start < r.end) else {
            continue;
        };
        let label_at = layer
            .features
            .iter()
            .position(|f| f == "value")
            .filter(|&i| span.values.get(i).is_some_and(Option::is_some))
            .or_else(|| span.values.iter().position(Option::is_some));
        let label = label_at
            .and_then(|i| span.values.get(i).cloned().flatten())
            .unwrap_or_else(|| layer.name.clone());
        let mut attributes = Attributes::new();
        for (i, value) in span.values.iter().enumerate() {
            if Some(i) != label_at
                && let (Some(value), Some(name)) = (value, layer.features.get(i))
            {
                attributes.insert(name.clone(), value.clone());
            }
        }
        article.spans.push(ArticleSpan {
            attributes,
            ..ArticleSpan::new(range, label)
        });
    }
    let mut unread = Vec::new();
    if unread_relations > 0 {
        unread.push(crate::model::count(unread_relations, "relation"));
    }
    if unread_chains > 0 {
        unread.push(format!("{unread_chains} chain links"));
    }
    if !unread.is_empty() {
        article.notes.push(format!(
            "left out {} (WebAnno relation and chain layers are not read yet)",
            unread.join(" and ")
        ));
    }
    Ok(vec![article])
}

/// Splits a cell into its stacked entries at `|` not escaped; `_` is no entry.
fn split_stack(cell: &str) -> Vec<String> {
    if cell == "_" || cell.is_empty() {
        return Vec::new();
    }
    let mut entries = Vec::new();
    let mut entry = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                entry.push('\\');
                if let Some(next) = chars.next() {
                    entry.push(next);
                }
            }
            '|' => entries.push(std::mem::take(&mut entry)),
            c => entry.push(c),
        }
    }
    entries.push(entry);
    entries
}

/// An entry's value and its `[id]` (the first of `[id_id]`), if it has one.
fn split_id(entry: &str) -> (&str, Option<String>) {
    if let Some(open) = entry.rfind('[')
        && entry.ends_with(']')
        && !entry[..open].ends_with('\\')
    {
        let id = &entry[open + 1..entry.len() - 1];
        if !id.is_empty() && id.chars().all(|c| c.is_ascii_digit() || c == '_') {
            return (&entry[..open], Some(id.to_owned()));
        }
    }
    (entry, None)
}

/// A feature value or token without the format's escapes: a backslash before any character
/// stands for that character (`\t`, `\n` and `\r` for tab, line feed and CR).
fn unescape_value(value: &str) -> String {
    unescape(value, &[('t', '\t'), ('n', '\n'), ('r', '\r')], false)
}

/// A `#Text=` line without INCEpTION's escapes (backslash, tab, CR, form feed, backspace);
/// another backslash is the text's own.
fn unescape_text(text: &str) -> String {
    unescape(
        text,
        &[
            ('t', '\t'),
            ('r', '\r'),
            ('f', '\u{c}'),
            ('b', '\u{8}'),
            ('\\', '\\'),
        ],
        true,
    )
}

/// `text` with each backslash escape in `escapes` replaced; any other escaped character is
/// itself, keeping its backslash if `keep_unknown`.
fn unescape(text: &str, escapes: &[(char, char)], keep_unknown: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(next) => match escapes.iter().find(|(code, _)| *code == next) {
                Some((_, meant)) => out.push(*meant),
                None => {
                    if keep_unknown {
                        out.push('\\');
                    }
                    out.push(next);
                }
            },
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(tsv: &str) -> Article {
        read_tsv(tsv, Path::new("t.tsv")).unwrap().remove(0)
    }

    fn spans(article: &Article) -> Vec<(String, String)> {
        article.labelled_texts()
    }

    #[test]
    fn stacked_multi_token_spans_and_emoji_offsets() {
        let tsv = "#FORMAT=WebAnno TSV 3.3\n\
            #T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value\n\
            #T_SP=webanno.custom.Verdict|verdict\n\n\n\
            #Text=🚢 Peskov said no .\n\
            1-1\t0-2\t🚢\t_\t_\t_\t\n\
            1-2\t3-9\tPeskov\t*[1]|*\tPER[1]|source\t_\t\n\
            1-3\t10-14\tsaid\t*[1]\tPER[1]\t_\t\n\
            1-4\t15-17\tno\t_\t_\tfalse\t\n\
            1-5\t18-19\t.\t_\t_\t_\t\n\n\
            #Text=Next one\n\
            2-1\t20-24\tNext\t_\t_\t*\t\n\
            2-2\t25-28\tone\t_\t_\t_\t\n";
        let article = read(tsv);
        assert_eq!(article.text, "🚢 Peskov said no .\nNext one");
        assert_eq!(
            spans(&article),
            [
                ("PER".to_owned(), "Peskov said".to_owned()),
                ("source".to_owned(), "Peskov".to_owned()),
                ("false".to_owned(), "no".to_owned()),
                ("Verdict".to_owned(), "Next".to_owned()),
            ]
        );
    }

    #[test]
    fn tokens_off_their_text_refuse_the_file() {
        let tsv = "#FORMAT=WebAnno TSV 3.3\n#T_SP=x.NamedEntity|value\n\n\n#Text=ab cd\n\
                   1-1\t0-2\tab\t_\n1-2\t3-5\tcx\t_\n";
        let err = read_tsv(tsv, Path::new("t.tsv")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.tsv:7: the token \"cx\" is not at 3-5 (UTF-16 units) of the #Text lines"
        );
    }
}
