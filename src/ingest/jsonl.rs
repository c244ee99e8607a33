//! JSONL: one document per line, with spans in stet/spaCy or doccano form.
//!
//! Offsets count Unicode code points of `text` exactly as the record gives it. Every error
//! names the line, and any error rejects the whole file.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::{
    Article, ArticleRelation, ArticleSpan, ExportOrigin, IngestError, Problem, ReadOptions,
    SourceFormat, first_line_title, make_title,
};
use crate::model::{Attributes, CharIndex, CharRange, Origin};

/// How much of a span's text an error message quotes.
const QUOTE_CHARS: usize = 40;

/// Reads a decoded JSONL file: one article per non-blank line.
///
/// A stet export names its project on every record and gives every span its uid: such a
/// file must come from one project, with no uid twice, or it is refused.
pub fn read_jsonl(
    text: &str,
    path: &Path,
    options: &ReadOptions,
) -> Result<Vec<Article>, IngestError> {
    let values = text
        .split('\n')
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let number = index + 1;
            serde_json::from_str(line)
                .map(|value| (number, value))
                .map_err(|err| {
                    IngestError::at_line(path, number, Problem::Json(json_message(&err)))
                })
        });
    read_records(values, path, options, "line")
}

/// Reads parsed records, each with its number in the file; `unit` says what the number
/// counts (`line` for JSONL, where errors name the line; `item` for a JSON list).
///
/// Prodigy's answers count only when accepted: `reject` and `ignore` records give no tags
/// (they are counted in the first article's notes). Records that name their annotator
/// (`annotator`, Prodigy's `_annotator_id` or `_session_id`) and share a text become one
/// article with a layer each.
pub(super) fn read_records(
    values: impl IntoIterator<Item = Result<(usize, Value), IngestError>>,
    path: &Path,
    options: &ReadOptions,
    unit: &str,
) -> Result<Vec<Article>, IngestError> {
    let mut articles: Vec<Article> = Vec::new();
    let mut span_uids = std::collections::HashSet::new();
    let mut not_accepted: usize = 0;
    // Annotated records' texts → their article, to join several annotators' answers.
    let mut by_text: HashMap<String, usize> = HashMap::new();
    for value in values {
        let (number, value) = value?;
        let at_line = |msg: String| {
            if unit == "line" {
                IngestError::at_line(path, number, Problem::Record(msg))
            } else {
                IngestError::file(path, Problem::Record(format!("{unit} {number}: {msg}")))
            }
        };
        if let Some(answer) = value.get("answer").and_then(Value::as_str)
            && answer != "accept"
        {
            not_accepted += 1;
            continue;
        }
        let mut article = read_record(value, options).map_err(at_line)?;
        article.line = Some(number);
        if let Some(first) = articles.first() {
            check_same_origin(first, &article).map_err(at_line)?;
        }
        for span in &article.spans {
            if let Some(uid) = &span.uid
                && !span_uids.insert(uid.clone())
            {
                return Err(at_line(format!(
                    "span id {uid:?} ({} {}) was already used; span ids must be unique in \
                     the file",
                    span.label, span.range
                )));
            }
        }
        if article.export.is_none()
            && let Some(annotator) = article.annotator.clone()
        {
            for span in &mut article.spans {
                span.annotator.get_or_insert_with(|| annotator.clone());
            }
            if let Some(&at) = by_text.get(&article.text) {
                let joined = &mut articles[at];
                let offset = joined.spans.len();
                joined.spans.append(&mut article.spans);
                joined
                    .relations
                    .extend(article.relations.into_iter().map(|mut relation| {
                        relation.from += offset;
                        relation.to += offset;
                        relation
                    }));
                continue;
            }
            by_text.insert(article.text.clone(), articles.len());
        }
        articles.push(article);
    }
    if articles.is_empty() {
        if not_accepted > 0 {
            return Err(IngestError::file(
                path,
                Problem::Record(format!(
                    "every record ({not_accepted}) was answered reject or ignore in Prodigy; \
                     only accepted answers give tags"
                )),
            ));
        }
        return Err(IngestError::file(path, Problem::Blank));
    }
    if not_accepted > 0
        && let Some(first) = articles.first_mut()
    {
        first.notes.push(format!(
            "left out {} answered reject or ignore (Prodigy): only accepted answers give tags",
            crate::model::count(not_accepted, "record")
        ));
    }
    Ok(articles)
}

/// Refuses a record whose project differs from the file's first record's.
fn check_same_origin(first: &Article, record: &Article) -> Result<(), String> {
    let first_line = first.line.unwrap_or(1);
    match (&first.export, &record.export) {
        (None, None) => Ok(()),
        (Some(a), Some(b)) if a.project == b.project => Ok(()),
        (Some(a), Some(b)) => Err(format!(
            "the record comes from project {} but line {first_line}'s from project {}; \
             a file may hold one project's export",
            b.project, a.project
        )),
        (Some(a), None) => Err(format!(
            "the record names no \"project\" but line {first_line}'s names {}; a stet export \
             names its project on every line",
            a.project
        )),
        (None, Some(b)) => Err(format!(
            "the record names project {} but line {first_line}'s names none; a stet export \
             names its project on every line",
            b.project
        )),
    }
}

/// A stet export's `"project"` and `"revision"`, if the record has a project.
fn read_origin(record: &Map<String, Value>) -> Result<Option<ExportOrigin>, String> {
    let Some(project) = optional_str(record, "project")?.filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let revision = match record.get("revision") {
        None | Some(Value::Null) => 0,
        Some(value) => value.as_u64().ok_or_else(|| {
            format!(
                "\"revision\" must be a whole number (0 or more), not {}",
                short_json(value)
            )
        })?,
    };
    Ok(Some(ExportOrigin {
        project: project.to_owned(),
        revision,
    }))
}

/// serde_json's message with the position given as a column of the line (every record is
/// on line 1 of its own parse).
fn json_message(err: &serde_json::Error) -> String {
    let full = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    match full.strip_suffix(&position) {
        Some(message) => format!("{message} at column {}", err.column()),
        None => full,
    }
}

/// What kind of JSON value `value` is, for messages.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// An optional string field: absent or null is `None`, any other non-string is an error.
fn optional_str<'v>(object: &'v Map<String, Value>, key: &str) -> Result<Option<&'v str>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("\"{key}\" must be a string, not {}", kind(other))),
    }
}

/// Turns one parsed record into an article; `Err` is the one-line problem.
fn read_record(value: Value, options: &ReadOptions) -> Result<Article, String> {
    let Value::Object(record) = value else {
        return Err(format!(
            "the record must be a JSON object, not {}",
            kind(&value)
        ));
    };
    let text_key = options.text_field.as_deref().unwrap_or("text");
    let text = match record.get(text_key) {
        Some(Value::String(text)) => text.clone(),
        Some(other) => {
            return Err(format!(
                "\"{text_key}\" must be a string, not {}",
                kind(other)
            ));
        }
        None if options.text_field.is_none() => {
            return Err(format!(
                "the record has no \"text\" (its fields: {}); name the text's field with \
                 --text-field",
                field_names(&record)
            ));
        }
        None => return Err(format!("the record has no \"{text_key}\"")),
    };
    if text.trim().is_empty() {
        return Err("\"text\" is empty or only white space".into());
    }
    let title = optional_str(&record, "title")?
        .map(make_title)
        .filter(|title| !title.is_empty())
        .or_else(|| first_line_title(&text))
        .ok_or("\"text\" has no line to take a title from")?;

    let mut article = Article::new(title, String::new(), SourceFormat::Jsonl);
    match record.get("meta") {
        None | Some(Value::Null) => {}
        Some(Value::Object(meta)) => article.meta.extend(meta.clone()),
        Some(other) => return Err(format!("\"meta\" must be an object, not {}", kind(other))),
    }
    if let Some(id @ (Value::String(_) | Value::Number(_))) = record.get("id") {
        article.meta.insert("source_id".into(), id.clone());
    }
    // Prodigy names the annotator of an answer in `_annotator_id` (or its session).
    article.annotator = ["annotator", "_annotator_id", "_session_id"]
        .into_iter()
        .map(|key| optional_str(&record, key))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .find(|name| !name.is_empty())
        .map(str::to_owned);
    // stet's doccano export names each entry of `label`'s annotator in `annotators`.
    let annotators: Vec<Option<String>> = match record.get("annotators") {
        Some(Value::Array(names)) => names
            .iter()
            .map(|n| n.as_str().filter(|n| !n.is_empty()).map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    article.export = read_origin(&record)?;

    let checker = SpanChecker::new(&text);
    let mut spans: Vec<ArticleSpan> = Vec::new();
    // Repeated spans are kept once (a set: records of token-level tags hold many).
    let mut seen: HashMap<ArticleSpan, usize> = HashMap::new();
    // The record's own span ids (a stet uid, a doccano number, `T3`) → index in `spans`.
    let mut ids: HashMap<String, usize> = HashMap::new();
    let keys: Vec<(&str, Form)> = match options.label_field.as_deref() {
        Some(key) => {
            let form = match record.get(key) {
                Some(Value::Array(items)) if items.iter().any(Value::is_object) => Form::Objects,
                Some(_) => Form::Doccano,
                None => {
                    return Err(format!(
                        "the record has no \"{key}\" (its fields: {})",
                        field_names(&record)
                    ));
                }
            };
            vec![(key, form)]
        }
        None => vec![
            ("spans", Form::Objects),
            ("entities", Form::Objects),
            ("label", Form::Doccano),
        ],
    };
    for (key, form) in keys {
        match record.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                if form == Form::Doccano && is_document_labels(items) {
                    // Doccano's text-classification export labels the whole document.
                    article
                        .meta
                        .insert("doc_labels".into(), Value::Array(items.clone()));
                    continue;
                }
                for (at, item) in items.iter().enumerate() {
                    let n = at + 1;
                    let mut span = checker.read(n, item, form)?;
                    if form == Form::Doccano
                        && let Some(Some(name)) = annotators.get(at)
                    {
                        span.annotator = Some(name.clone());
                    }
                    let id = span_id(item);
                    let index = *seen.entry(span.clone()).or_insert_with(|| {
                        spans.push(span.clone());
                        spans.len() - 1
                    });
                    if let Some(id) = id
                        && ids
                            .insert(id.clone(), index)
                            .is_some_and(|other| other != index)
                    {
                        return Err(format!(
                            "span {n} ({} {}) has the id {id:?} of another span of the record",
                            span.label, span.range
                        ));
                    }
                }
            }
            Some(Value::String(label)) if form == Form::Doccano => {
                let labels = vec![Value::String(label.clone())];
                article
                    .meta
                    .insert("doc_labels".into(), Value::Array(labels));
            }
            Some(other) => return Err(format!("\"{key}\" must be a list, not {}", kind(other))),
        }
    }
    if article.export.is_some()
        && let Some((n, span)) = spans.iter().enumerate().find(|(_, s)| s.uid.is_none())
    {
        return Err(format!(
            "span {} ({} {}) has no \"id\"; a record that names its \"project\" gives every \
             span its uid",
            n + 1,
            span.label,
            span.range
        ));
    }
    if article.export.is_none() {
        // A file's own ids only join its relations to its spans; stet gives new uids.
        for span in &mut spans {
            span.uid = None;
        }
    }
    article.relations = read_relations(&record, &ids, spans.len())?;
    article.spans = spans;
    article.text = text;
    Ok(article)
}

/// A record's field names, for messages.
fn field_names(record: &Map<String, Value>) -> String {
    record
        .keys()
        .map(|k| format!("{k:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A span's id in its record, as a string: stet's uids, doccano's numbers, brat-like `T3`.
fn span_id(item: &Value) -> Option<String> {
    match item.get("id")? {
        Value::String(id) if !id.is_empty() => Some(id.clone()),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// Reads a record's `"relations"`: stet's `{"type", "from", "to"}` or doccano's
/// `{"type", "from_id", "to_id"}`, whose ends are span ids of the same record.
fn read_relations(
    record: &Map<String, Value>,
    ids: &HashMap<String, usize>,
    span_count: usize,
) -> Result<Vec<ArticleRelation>, String> {
    let items = match record.get("relations") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(format!("\"relations\" must be a list, not {}", kind(other)));
        }
    };
    let mut relations = Vec::with_capacity(items.len());
    for (at, item) in items.iter().enumerate() {
        let n = at + 1;
        let Value::Object(relation) = item else {
            return Err(format!(
                "relation {n} must be an object with \"type\", \"from\" and \"to\", not {}",
                kind(item)
            ));
        };
        let field =
            |key: &str| optional_str(relation, key).map_err(|m| format!("relation {n}: {m}"));
        let kind_name = field("type")?
            .or(field("label")?)
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| format!("relation {n} has no \"type\""))?
            .to_owned();
        let end = |keys: [&str; 2]| -> Result<usize, String> {
            let (key, value) = keys
                .iter()
                .find_map(|k| relation.get(*k).map(|v| (*k, v)))
                .ok_or_else(|| format!("relation {n} ({kind_name}) has no \"{}\"", keys[0]))?;
            let id = match value {
                Value::String(id) => id.clone(),
                Value::Number(id) => id.to_string(),
                other => {
                    return Err(format!(
                        "relation {n} ({kind_name}): \"{key}\" must be a span id, not {}",
                        short_json(other)
                    ));
                }
            };
            ids.get(&id).copied().ok_or_else(|| {
                if span_count == 0 {
                    format!("relation {n} ({kind_name}): \"{key}\" is {id:?}, but the record has no spans")
                } else {
                    format!(
                        "relation {n} ({kind_name}): \"{key}\" is {id:?}, which is no span id of the record"
                    )
                }
            })
        };
        let from = end(["from", "from_id"])?;
        let to = end(["to", "to_id"])?;
        relations.push(ArticleRelation {
            kind: kind_name,
            from,
            to,
            annotator: field("annotator")?
                .filter(|a| !a.is_empty())
                .map(str::to_owned),
            uid: match relation.get("id") {
                Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
                _ => None,
            },
        });
    }
    Ok(relations)
}

/// Reads a span's `"attributes"`: an object of strings (numbers and true/false are taken as
/// written; null is no value).
fn read_attributes(value: Option<&Value>) -> Result<Attributes, String> {
    let mut attributes = Attributes::new();
    let object = match value {
        None | Some(Value::Null) => return Ok(attributes),
        Some(Value::Object(object)) => object,
        Some(other) => {
            return Err(format!(
                "\"attributes\" must be an object, not {}",
                kind(other)
            ));
        }
    };
    for (name, value) in object {
        let value = match value {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                return Err(format!(
                    "attribute {name:?} must be a string, not {}",
                    kind(other)
                ));
            }
        };
        attributes.insert(name.clone(), value);
    }
    Ok(attributes)
}

/// Whether a doccano `label` list holds document labels (strings) rather than spans.
fn is_document_labels(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(Value::is_string)
}

/// How a list of spans is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// `{"start", "end", "label", …}` (stet, spaCy) or `{"start_offset", "end_offset",
    /// "label"}` (newer doccano).
    Objects,
    /// `[start, end, "LABEL"]` (doccano).
    Doccano,
}

/// Checks spans against one record's text.
struct SpanChecker<'t> {
    text: &'t str,
    index: CharIndex,
}

impl<'t> SpanChecker<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            index: CharIndex::new(text),
        }
    }

    /// Reads span number `n` (1-based) of a list.
    fn read(&self, n: usize, item: &Value, form: Form) -> Result<ArticleSpan, String> {
        match form {
            Form::Objects => {
                let Value::Object(span) = item else {
                    return Err(format!(
                        "span {n} must be an object with \"start\", \"end\" and \"label\", not {}",
                        kind(item)
                    ));
                };
                let (start_key, end_key) =
                    if span.contains_key("start") || !span.contains_key("start_offset") {
                        ("start", "end")
                    } else {
                        ("start_offset", "end_offset")
                    };
                let start = offset(n, span.get(start_key), start_key)?;
                let end = offset(n, span.get(end_key), end_key)?;
                let range = self.range(n, start, end)?;
                let label = label(n, range, span.get("label"))?;
                let field = |key: &str| {
                    optional_str(span, key).map_err(|msg| format!("span {n} ({range}): {msg}"))
                };
                let annotator = field("annotator")?
                    .filter(|name| !name.is_empty())
                    .map(str::to_owned);
                let note = field("note")?.unwrap_or_default().to_owned();
                let attributes = read_attributes(span.get("attributes"))
                    .map_err(|msg| format!("span {n} ({range}): {msg}"))?;
                if let Some(claimed) = field("text")? {
                    self.check_text(n, range, claimed)?;
                }
                // Other tools number their spans; only a stet export's string uids are kept.
                let uid = span
                    .get("id")
                    .and_then(Value::as_str)
                    .filter(|uid| !uid.is_empty())
                    .map(str::to_owned);
                // A suggestion stays one (merges leave it out); other origins import as such.
                let origin = span
                    .get("origin")
                    .and_then(Value::as_str)
                    .filter(|o| *o == Origin::Suggested.as_str())
                    .map(|_| Origin::Suggested);
                Ok(ArticleSpan {
                    range,
                    label,
                    annotator,
                    note,
                    uid,
                    attributes,
                    origin,
                })
            }
            Form::Doccano => {
                let triple = match item {
                    Value::Array(triple) if triple.len() == 3 => triple,
                    _ => {
                        return Err(format!(
                            "span {n} must be [start, end, \"LABEL\"], not {}",
                            short_json(item)
                        ));
                    }
                };
                let start = offset(n, triple.first(), "start")?;
                let end = offset(n, triple.get(1), "end")?;
                let range = self.range(n, start, end)?;
                let label = label(n, range, triple.get(2))?;
                Ok(ArticleSpan::new(range, label))
            }
        }
    }

    /// Checks that `start..end` is a non-empty range inside the text.
    fn range(&self, n: usize, start: usize, end: usize) -> Result<CharRange, String> {
        if start > end {
            return Err(format!(
                "span {n} ({start}..{end}) is reversed: start must be below end"
            ));
        }
        if start == end {
            return Err(format!(
                "span {n} ({start}..{end}) is empty: start must be below end"
            ));
        }
        let len = self.index.len_chars();
        if end > len {
            return Err(format!(
                "span {n} ({start}..{end}) runs past the end of the text ({len} characters)"
            ));
        }
        Ok(CharRange::new(start, end))
    }

    /// Checks a span's own copy of its text against the record's text at its range.
    fn check_text(&self, n: usize, range: CharRange, claimed: &str) -> Result<(), String> {
        let actual = self.index.slice(self.text, range);
        if actual == claimed {
            return Ok(());
        }
        Err(format!(
            "span {n} ({range}) gives its text as {} but the text there is {}; offsets must \
             count Unicode code points (characters), not bytes or UTF-16 units",
            quote(claimed),
            quote(actual)
        ))
    }
}

/// Reads an offset: a whole number of characters, 0 or more.
fn offset(n: usize, value: Option<&Value>, key: &str) -> Result<usize, String> {
    let Some(value) = value else {
        return Err(format!("span {n} has no \"{key}\""));
    };
    value
        .as_u64()
        .and_then(|number| usize::try_from(number).ok())
        .ok_or_else(|| {
            format!(
                "span {n}: \"{key}\" must be a whole number of characters (0 or more), not {}",
                short_json(value)
            )
        })
}

/// Reads a span's label: a non-empty string.
fn label(n: usize, range: CharRange, value: Option<&Value>) -> Result<String, String> {
    match value {
        Some(Value::String(label)) if !label.trim().is_empty() => Ok(label.clone()),
        Some(Value::String(_)) => Err(format!("span {n} ({range}) has an empty label")),
        Some(other) => Err(format!(
            "span {n} ({range}): the label must be a string, not {}",
            short_json(other)
        )),
        None => Err(format!("span {n} ({range}) has no label")),
    }
}

/// A JSON value written out for a message, cut short if long.
fn short_json(value: &Value) -> String {
    let written = value.to_string();
    if written.chars().count() > QUOTE_CHARS {
        let mut cut: String = written.chars().take(QUOTE_CHARS).collect();
        cut.push('…');
        cut
    } else {
        written
    }
}

/// Text quoted for a message on one line, cut short if long.
fn quote(text: &str) -> String {
    let mut quoted: String = text.chars().take(QUOTE_CHARS).collect();
    if text.chars().nth(QUOTE_CHARS).is_some() {
        quoted.push('…');
    }
    format!("{quoted:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORDS: &str = include_str!("../../tests/fixtures/ingest/records.jsonl");

    fn read(text: &str) -> Vec<Article> {
        read_jsonl(text, Path::new("x.jsonl"), &ReadOptions::default()).unwrap()
    }

    fn error(text: &str) -> String {
        read_jsonl(text, Path::new("x.jsonl"), &ReadOptions::default())
            .unwrap_err()
            .to_string()
    }

    /// The span's text counted in code points, as Python or the store would slice it.
    fn covered(article: &Article, span: &ArticleSpan) -> String {
        article.covered(span.range)
    }

    #[test]
    fn fixture_records_keep_text_spans_and_meta() {
        let articles = read(RECORDS);
        assert_eq!(articles.len(), 2);

        let first = &articles[0];
        assert_eq!(first.format, SourceFormat::Jsonl);
        assert_eq!(first.line, Some(1));
        assert_eq!(first.title, "Peskov on the call");
        assert_eq!(first.meta["source_id"], "doc-1");
        assert_eq!(first.annotator, None);
        let covered_texts: Vec<String> = first.spans.iter().map(|s| covered(first, s)).collect();
        assert_eq!(
            covered_texts,
            [
                "\u{201C}the presidents will decide themselves\u{201D}",
                "Peskov"
            ]
        );
        assert_eq!(first.spans[0].label, "QUOTE");
        assert_eq!(first.spans[1].annotator.as_deref(), Some("ana"));
        assert_eq!(first.spans[1].note, "speaker");
        assert!(first.text.contains('😀'));

        let second = &articles[1];
        assert_eq!(second.line, Some(3));
        assert_eq!(
            second.title,
            "News code ۱۱۶۵۳۸۱: cafe\u{301} 𝒳 sources deny it."
        );
        assert_eq!(second.meta["source_id"], 7);
        assert_eq!(second.meta["source"], "wire");
        assert_eq!(second.annotator.as_deref(), Some("ben"));
        let pairs: Vec<(String, &str)> = second
            .spans
            .iter()
            .map(|s| (covered(second, s), s.label.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("۱۱۶۵۳۸۱".to_owned(), "FIGURE"),
                ("deny".to_owned(), "DENIAL"),
                ("cafe\u{301}".to_owned(), "CLAIM"),
                ("𝒳".to_owned(), "FIGURE"),
            ]
        );
    }

    #[test]
    fn text_is_stored_exactly_as_given() {
        let articles = read("{\"text\": \"a\\r\\nb\\rc\\u2028d \\u00a0\"}\n");
        assert_eq!(articles[0].text, "a\r\nb\rc\u{2028}d \u{A0}");
        assert_eq!(articles[0].title, "a");
        assert!(articles[0].spans.is_empty());
    }

    #[test]
    fn doccano_entities_and_document_labels_are_read() {
        let line = r#"{"text": "Putin denies it", "entities": [{"id": 3, "start_offset": 6, "end_offset": 12, "label": "DENIAL"}], "spans": []}"#;
        let article = &read(line)[0];
        assert_eq!(article.spans.len(), 1);
        assert_eq!(covered(article, &article.spans[0]), "denies");
        let classified = &read(r#"{"text": "x", "label": ["world", "politics"]}"#)[0];
        assert!(classified.spans.is_empty());
        assert_eq!(
            classified.meta["doc_labels"],
            serde_json::json!(["world", "politics"])
        );
        // The same span written twice (two forms) is read once.
        let both = r#"{"text": "abc", "label": [[0, 1, "A"]], "spans": [{"start": 0, "end": 1, "label": "A"}]}"#;
        assert_eq!(read(both)[0].spans.len(), 1);
    }

    #[test]
    fn titles_come_from_the_record_or_the_first_line() {
        let article = &read(r#"{"text": "\n  First line\nSecond", "title": "  "}"#)[0];
        assert_eq!(article.title, "First line");
        let long = format!(r#"{{"text": "body", "title": "{}"}}"#, "x".repeat(300));
        let title = read(&long)[0].title.clone();
        assert_eq!(title.chars().count(), 200);
        assert!(title.ends_with('…'));
    }

    #[test]
    fn bad_records_name_the_file_line_and_problem() {
        let ok = r#"{"text": "fine"}"#;
        let cases = [
            (
                "nope",
                "x.jsonl:1: not valid JSON: expected ident at column 2",
            ),
            (
                r#"{"text": "a""#,
                "x.jsonl:1: not valid JSON: EOF while parsing an object at column 12",
            ),
            (
                "[1, 2]",
                "x.jsonl:1: the record must be a JSON object, not a list",
            ),
            (
                r#"{"title": "t"}"#,
                "x.jsonl:1: the record has no \"text\" (its fields: \"title\"); name the text's field \
             with --text-field",
            ),
            (
                r#"{"text": 5}"#,
                "x.jsonl:1: \"text\" must be a string, not a number",
            ),
            (
                r#"{"text": " \n "}"#,
                "x.jsonl:1: \"text\" is empty or only white space",
            ),
            (
                r#"{"text": "a", "title": 3}"#,
                "x.jsonl:1: \"title\" must be a string, not a number",
            ),
            (
                r#"{"text": "a", "meta": []}"#,
                "x.jsonl:1: \"meta\" must be an object, not a list",
            ),
            (
                r#"{"text": "a", "annotator": 1}"#,
                "x.jsonl:1: \"annotator\" must be a string, not a number",
            ),
            (
                r#"{"text": "a", "spans": {}}"#,
                "x.jsonl:1: \"spans\" must be a list, not an object",
            ),
            (
                r#"{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "A"}, {"start": 40, "end": 12, "label": "B"}]}"#,
                "x.jsonl:1: span 2 (40..12) is reversed: start must be below end",
            ),
            (
                r#"{"text": "abc", "spans": [{"start": 1, "end": 1, "label": "A"}]}"#,
                "x.jsonl:1: span 1 (1..1) is empty: start must be below end",
            ),
            (
                r#"{"text": "😀ab", "spans": [{"start": 0, "end": 4, "label": "A"}]}"#,
                "x.jsonl:1: span 1 (0..4) runs past the end of the text (3 characters)",
            ),
            (
                r#"{"text": "abc", "spans": [{"start": -1, "end": 2, "label": "A"}]}"#,
                "x.jsonl:1: span 1: \"start\" must be a whole number of characters (0 or more), not -1",
            ),
            (
                r#"{"text": "abc", "spans": [{"start": 0, "end": 1.5, "label": "A"}]}"#,
                "x.jsonl:1: span 1: \"end\" must be a whole number of characters (0 or more), not 1.5",
            ),
            (
                r#"{"text": "abc", "spans": [{"start": 0, "label": "A"}]}"#,
                "x.jsonl:1: span 1 has no \"end\"",
            ),
            (
                r#"{"text": "abc", "spans": [{"start": 0, "end": 2}]}"#,
                "x.jsonl:1: span 1 (0..2) has no label",
            ),
            (
                r#"{"text": "abc", "spans": [{"start": 0, "end": 2, "label": ""}]}"#,
                "x.jsonl:1: span 1 (0..2) has an empty label",
            ),
            (
                r#"{"text": "abc", "spans": [{"start": 0, "end": 2, "label": 4}]}"#,
                "x.jsonl:1: span 1 (0..2): the label must be a string, not 4",
            ),
            (
                r#"{"text": "abc", "spans": [{"start": 0, "end": 2, "label": "A", "note": 1}]}"#,
                "x.jsonl:1: span 1 (0..2): \"note\" must be a string, not a number",
            ),
            (
                r#"{"text": "abc", "spans": [7]}"#,
                "x.jsonl:1: span 1 must be an object with \"start\", \"end\" and \"label\", not a number",
            ),
            (
                r#"{"text": "abc", "label": [[0, 2]]}"#,
                "x.jsonl:1: span 1 must be [start, end, \"LABEL\"], not [0,2]",
            ),
            (
                // UTF-16 offsets (as JavaScript counts) for "quote": the emoji is two units.
                r#"{"text": "😀 “quote” here", "spans": [{"start": 3, "end": 10, "label": "Q", "text": "“quote”"}]}"#,
                "x.jsonl:1: span 1 (3..10) gives its text as \"“quote”\" but the text there is \
                 \"quote” \"; offsets must count Unicode code points (characters), not bytes or \
                 UTF-16 units",
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(error(line), expected, "for {line}");
            // The same record after good lines and a blank one names its own line.
            let later = format!("{ok}\n\n{line}\n{ok}\n");
            assert_eq!(
                error(&later),
                expected.replacen(":1:", ":3:", 1),
                "for {line}"
            );
        }
    }

    #[test]
    fn the_first_bad_line_rejects_the_whole_file() {
        let text = "{\"text\": \"good\"}\n{\"text\": 1}\nnot json\n";
        assert_eq!(
            error(text),
            "x.jsonl:2: \"text\" must be a string, not a number"
        );
    }

    #[test]
    fn combining_marks_and_astral_characters_count_as_single_code_points() {
        let text = "e\u{301}𝒳 \u{201C}۱۲\u{201D}";
        let record = serde_json::json!({
            "text": text,
            "spans": [
                {"start": 0, "end": 2, "label": "A", "text": "e\u{301}"},
                {"start": 2, "end": 3, "label": "B", "text": "𝒳"},
                {"start": 4, "end": 8, "label": "C", "text": "\u{201C}۱۲\u{201D}"},
            ],
        });
        let article = &read(&record.to_string())[0];
        for span in &article.spans {
            let expected = match span.label.as_str() {
                "A" => "e\u{301}",
                "B" => "𝒳",
                _ => "\u{201C}۱۲\u{201D}",
            };
            assert_eq!(covered(article, span), expected);
        }
    }

    #[test]
    fn a_stet_export_keeps_its_project_revision_and_span_uids() {
        let text = concat!(
            r#"{"text": "Officials denied it.", "project": "p1", "revision": 7, "#,
            r#""spans": [{"id": "u1", "start": 0, "end": 16, "label": "denial"}]}"#,
            "\n",
            r#"{"text": "Nobody said a thing.", "project": "p1", "revision": 7, "spans": []}"#,
        );
        let articles = read(text);
        let origin = ExportOrigin {
            project: "p1".into(),
            revision: 7,
        };
        assert!(articles.iter().all(|a| a.export.as_ref() == Some(&origin)));
        assert_eq!(articles[0].spans[0].uid.as_deref(), Some("u1"));
        // Other tools' numeric span ids are not uids.
        let doccano = r#"{"text": "Officials denied it.", "entities": [{"id": 3, "start_offset": 0, "end_offset": 9, "label": "who"}]}"#;
        let article = &read(doccano)[0];
        assert_eq!(
            (article.spans[0].uid.clone(), article.export.clone()),
            (None, None)
        );
    }

    #[test]
    fn an_export_must_come_from_one_project_with_unique_span_uids() {
        let span = r#""spans": [{"id": "u1", "start": 0, "end": 4, "label": "claim"}]"#;
        let record =
            |project: &str| format!(r#"{{"text": "Some text", "project": "{project}", {span}}}"#);
        assert_eq!(
            error(&format!("{}\n{}\n", record("p1"), record("p2"))),
            "x.jsonl:2: the record comes from project p2 but line 1's from project p1; a file \
             may hold one project's export"
        );
        assert_eq!(
            error(&format!("{}\n{{\"text\": \"Other text\"}}\n", record("p1"))),
            "x.jsonl:2: the record names no \"project\" but line 1's names p1; a stet export \
             names its project on every line"
        );
        assert_eq!(
            error(&format!(
                "{}\n{}\n",
                record("p1"),
                record("p1").replace("Some", "Also")
            )),
            "x.jsonl:2: span id \"u1\" (claim 0..4) was already used; span ids must be unique \
             in the file"
        );
        assert_eq!(
            error(
                r#"{"text": "Some text", "project": "p1", "spans": [{"start": 0, "end": 4, "label": "claim"}]}"#
            ),
            "x.jsonl:1: span 1 (claim 0..4) has no \"id\"; a record that names its \"project\" \
             gives every span its uid"
        );
        assert_eq!(
            error(r#"{"text": "Some text", "project": "p1", "revision": -1}"#),
            "x.jsonl:1: \"revision\" must be a whole number (0 or more), not -1"
        );
    }
}
