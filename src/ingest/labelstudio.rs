//! `.json` files: Label Studio's JSON export (tasks with `data` and `annotations`), its
//! JSON-MIN export (one flat object per annotation), or a JSON list of JSONL-style records
//! (doccano's JSON export).
//!
//! Label Studio: the task's text is `data.text` (or the one string field of `data`, or the
//! field `--text-field` names). Every annotation that was not cancelled is its annotator's
//! layer: `completed_by` names it (a user's e-mail, else the id), unless a region's
//! `meta.annotator` names its own (stet's export puts the name there). `labels` regions are
//! spans, per-region results (`choices`, `textarea`, `number`, `rating` with the region's
//! id) are the span's attributes, `relation` results are relations, and a region's
//! `meta.text` is its note. `predictions` are suggested spans on the model's layer.
//!
//! Offsets are code points of the text; a region whose `value.text` does not match there but
//! does in UTF-16 units (what a browser counts) is read in UTF-16. Anything else that does not
//! match is refused, naming the task.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::jsonl::{kind, read_records};
use super::{
    Article, ArticleRelation, ArticleSpan, IngestError, Problem, ReadOptions, SourceFormat,
    first_line_title,
};
use crate::model::{CharIndex, CharRange, Origin};

/// The layer predictions go to when they name no model.
const PREDICTIONS_LAYER: &str = "predictions";

/// Reads a decoded `.json` file.
pub fn read_json(
    text: &str,
    path: &Path,
    options: &ReadOptions,
) -> Result<Vec<Article>, IngestError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|err| IngestError::at_line(path, err.line(), Problem::Json(err.to_string())))?;
    let items = match value {
        Value::Array(items) => items,
        // One task on its own.
        Value::Object(object) => vec![Value::Object(object)],
        other => {
            return Err(IngestError::file(
                path,
                Problem::Record(format!(
                    "the file must hold a list of tasks or records, not {}",
                    kind(&other)
                )),
            ));
        }
    };
    if items.is_empty() {
        return Err(IngestError::file(path, Problem::Blank));
    }
    let fail = |n: usize, msg: String| {
        IngestError::file(path, Problem::Record(format!("item {n}: {msg}")))
    };
    let is_task = |item: &Value| item.get("data").is_some_and(Value::is_object);
    if items.iter().all(is_task) {
        let mut articles = Vec::with_capacity(items.len());
        for (at, item) in items.iter().enumerate() {
            articles.push(read_task(item, options).map_err(|msg| fail(at + 1, msg))?);
        }
        return Ok(articles);
    }
    if items.iter().any(is_task) {
        return Err(IngestError::file(
            path,
            Problem::Record(
                "some items are Label Studio tasks (with \"data\") and some are not".into(),
            ),
        ));
    }
    if items.iter().all(is_min_record) {
        return read_min(items, options).map_err(|(n, msg)| fail(n, msg));
    }
    // A list of JSONL-style records, read as the JSONL reader reads lines.
    read_records(
        items.into_iter().enumerate().map(|(at, v)| Ok((at + 1, v))),
        path,
        options,
        "item",
    )
}

/// Whether an item is a JSON-MIN annotation: a flat object with a list of regions that carry
/// `labels`.
fn is_min_record(item: &Value) -> bool {
    item.as_object().is_some_and(|object| {
        object.values().any(|v| {
            v.as_array().is_some_and(|regions| {
                !regions.is_empty()
                    && regions
                        .iter()
                        .all(|r| r.get("labels").is_some() && r.get("start").is_some())
            })
        })
    })
}

/// The text of a task's data: the named field, else `text`, else its only string field.
fn task_text<'v>(data: &'v Map<String, Value>, options: &ReadOptions) -> Result<&'v str, String> {
    let key = options.text_field.as_deref().unwrap_or("text");
    if let Some(value) = data.get(key) {
        return value
            .as_str()
            .ok_or_else(|| format!("\"{key}\" must be a string, not {}", kind(value)));
    }
    let strings: Vec<(&String, &str)> = data
        .iter()
        .filter_map(|(k, v)| Some((k, v.as_str()?)))
        .collect();
    match strings.as_slice() {
        [(_, text)] if options.text_field.is_none() => Ok(text),
        _ => Err(format!(
            "the task has no \"{key}\" in its data (it has {}); name the text's field with \
             --text-field",
            data.keys()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The name of whoever completed an annotation: their e-mail, else their id.
fn completed_by(annotation: &Map<String, Value>) -> Option<String> {
    match annotation.get("completed_by")? {
        Value::Object(user) => user
            .get("email")
            .and_then(Value::as_str)
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .or_else(|| user.get("id").map(plain)),
        Value::Null => None,
        other => Some(plain(other)),
    }
}

/// A JSON scalar as text (strings without quotes).
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Checks region offsets against the text: code points, or UTF-16 units if only they fit
/// the region's own copy of its text.
struct Offsets<'t> {
    text: &'t str,
    index: CharIndex,
    /// UTF-16 unit offset → code point offset, built when first needed.
    utf16: Option<HashMap<usize, usize>>,
}

impl<'t> Offsets<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            index: CharIndex::new(text),
            utf16: None,
        }
    }

    fn range(&mut self, value: &Map<String, Value>) -> Result<CharRange, String> {
        let number = |key: &str| {
            value
                .get(key)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| format!("the region's \"{key}\" must be a whole number"))
        };
        let (start, end) = (number("start")?, number("end")?);
        let len = self.index.len_chars();
        let claimed = value.get("text").and_then(Value::as_str);
        if start < end && end <= len {
            let range = CharRange::new(start, end);
            if claimed.is_none_or(|c| c == self.index.slice(self.text, range)) {
                return Ok(range);
            }
        }
        if let Some(claimed) = claimed {
            let map = self.utf16.get_or_insert_with(|| {
                let mut map = HashMap::new();
                let mut unit = 0;
                for (at, c) in self.text.chars().enumerate() {
                    map.insert(unit, at);
                    unit += c.len_utf16();
                }
                map.insert(unit, self.text.chars().count());
                map
            });
            if let (Some(&s), Some(&e)) = (map.get(&start), map.get(&end))
                && s < e
                && self.index.slice(self.text, CharRange::new(s, e)) == claimed
            {
                return Ok(CharRange::new(s, e));
            }
            return Err(format!(
                "region {start}..{end} gives its text as {claimed:?}, which is not the text \
                 there in code points or UTF-16 units"
            ));
        }
        Err(format!(
            "region {start}..{end} is empty, reversed or past the end of the text ({len} characters)"
        ))
    }
}

/// A region's attribute value: its choices, text, number or rating.
fn attribute_value(result: &Map<String, Value>) -> Option<String> {
    let value = result.get("value")?.as_object()?;
    for key in ["choices", "text", "number", "rating", "taxonomy"] {
        match value.get(key) {
            Some(Value::Array(items)) if !items.is_empty() => {
                return Some(items.iter().map(plain).collect::<Vec<_>>().join(", "));
            }
            Some(Value::Array(_)) | None | Some(Value::Null) => {}
            Some(other) => return Some(plain(other)),
        }
    }
    None
}

/// One annotation's (or prediction's) results, added to the article's spans and relations.
fn read_results(
    article: &mut Article,
    offsets: &mut Offsets<'_>,
    results: &[Value],
    annotator: Option<&str>,
    origin: Option<Origin>,
) -> Result<(), String> {
    let mut regions: HashMap<String, Vec<usize>> = HashMap::new();
    let mut later = Vec::new();
    for result in results {
        let Some(result) = result.as_object() else {
            return Err(format!("a result must be an object, not {}", kind(result)));
        };
        let kind_name = result
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let value = result.get("value").and_then(Value::as_object);
        let labels = value
            .and_then(|v| v.get("labels").or_else(|| v.get("hypertextlabels")))
            .and_then(Value::as_array);
        match (kind_name, value, labels) {
            (_, Some(value), Some(labels)) if kind_name != "relation" => {
                let range = offsets.range(value)?;
                let meta = result.get("meta").and_then(Value::as_object);
                let own = meta
                    .and_then(|m| m.get("annotator"))
                    .and_then(Value::as_str)
                    .filter(|a| !a.is_empty());
                let note = meta
                    .and_then(|m| m.get("text"))
                    .map(|t| match t {
                        Value::Array(lines) => {
                            lines.iter().map(plain).collect::<Vec<_>>().join("\n")
                        }
                        other => plain(other),
                    })
                    .unwrap_or_default();
                let id = result.get("id").map(plain);
                for label in labels {
                    let Some(label) = label.as_str().filter(|l| !l.trim().is_empty()) else {
                        return Err(format!("region {range}: a label must be a name"));
                    };
                    if let Some(id) = &id {
                        regions
                            .entry(id.clone())
                            .or_default()
                            .push(article.spans.len());
                    }
                    article.spans.push(ArticleSpan {
                        annotator: own.or(annotator).map(str::to_owned),
                        note: note.clone(),
                        origin,
                        ..ArticleSpan::new(range, label)
                    });
                }
            }
            _ => later.push(result),
        }
    }
    for result in later {
        let kind_name = result
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind_name == "relation" {
            let end = |key: &str| result.get(key).map(plain).and_then(|id| regions.get(&id));
            let (Some(from), Some(to)) = (end("from_id"), end("to_id")) else {
                return Err("a relation joins regions that are not in its annotation".into());
            };
            let kinds: Vec<String> = result
                .get("labels")
                .and_then(Value::as_array)
                .map(|l| l.iter().map(plain).collect())
                .unwrap_or_default();
            if kinds.is_empty() {
                article.notes.push(
                    "left out a relation with no label (stet's relations have a kind)".into(),
                );
                continue;
            }
            let reversed = result.get("direction").and_then(Value::as_str) == Some("left");
            let (from, to) = if reversed {
                (to[0], from[0])
            } else {
                (from[0], to[0])
            };
            for kind in kinds {
                article.relations.push(ArticleRelation {
                    kind,
                    from,
                    to,
                    annotator: annotator.map(str::to_owned),
                    uid: None,
                });
            }
            continue;
        }
        // A per-region value: an attribute of the spans of that region.
        let Some(targets) = result.get("id").map(plain).and_then(|id| regions.get(&id)) else {
            continue;
        };
        let Some(value) = attribute_value(result) else {
            continue;
        };
        let control = result
            .get("from_name")
            .and_then(Value::as_str)
            .unwrap_or("value");
        for &span in targets {
            let span = &mut article.spans[span];
            // stet names its controls LABEL.ATTRIBUTE.
            let name = control
                .strip_prefix(span.label.as_str())
                .and_then(|rest| rest.strip_prefix('.'))
                .unwrap_or(control);
            span.attributes.insert(name.to_owned(), value.clone());
        }
    }
    Ok(())
}

/// Reads one Label Studio task.
fn read_task(item: &Value, options: &ReadOptions) -> Result<Article, String> {
    let task = item.as_object().ok_or("a task must be an object")?;
    let data = task
        .get("data")
        .and_then(Value::as_object)
        .ok_or("the task has no \"data\"")?;
    let text = task_text(data, options)?;
    if text.trim().is_empty() {
        return Err("the task's text is empty".into());
    }
    let title = data
        .get("title")
        .and_then(Value::as_str)
        .map(super::make_title)
        .filter(|t| !t.is_empty())
        .or_else(|| first_line_title(text))
        .ok_or("the task's text has no line to take a title from")?;
    let mut article = Article::new(title, text.to_owned(), SourceFormat::LabelStudio);
    if let Some(id) = task.get("id") {
        article.meta.insert("source_id".into(), id.clone());
    }
    let mut offsets = Offsets::new(text);
    let list = |key: &str| -> Result<&[Value], String> {
        // Label Studio before 1.0 called annotations `completions`.
        let value = match (key, task.get(key)) {
            ("annotations", None) => task.get("completions"),
            (_, value) => value,
        };
        match value {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(format!("\"{key}\" must be a list, not {}", kind(other))),
        }
    };
    let mut cancelled = 0;
    for (at, annotation) in list("annotations")?.iter().enumerate() {
        let Some(annotation) = annotation.as_object() else {
            return Err(format!("annotation {} must be an object", at + 1));
        };
        if annotation.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
            cancelled += 1;
            continue;
        }
        let results = annotation
            .get("result")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let name = completed_by(annotation);
        read_results(&mut article, &mut offsets, results, name.as_deref(), None)
            .map_err(|msg| format!("annotation {}: {msg}", at + 1))?;
    }
    for (at, prediction) in list("predictions")?.iter().enumerate() {
        let Some(prediction) = prediction.as_object() else {
            return Err(format!("prediction {} must be an object", at + 1));
        };
        let results = prediction
            .get("result")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let model = prediction
            .get("model_version")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .unwrap_or(PREDICTIONS_LAYER);
        read_results(
            &mut article,
            &mut offsets,
            results,
            Some(model),
            Some(Origin::Suggested),
        )
        .map_err(|msg| format!("prediction {}: {msg}", at + 1))?;
    }
    if cancelled > 0 {
        article.notes.push(format!(
            "left out {} (cancelled in Label Studio)",
            crate::model::count(cancelled, "annotation")
        ));
    }
    Ok(article)
}

/// Reads JSON-MIN: one object per annotation, the text in `text` (or the named field), the
/// regions in any list of `{start, end, labels}`, the annotator in `annotator`. Annotations
/// of one text become layers of one document.
fn read_min(items: Vec<Value>, options: &ReadOptions) -> Result<Vec<Article>, (usize, String)> {
    let mut articles: Vec<Article> = Vec::new();
    let mut by_text: HashMap<String, usize> = HashMap::new();
    for (at, item) in items.iter().enumerate() {
        let n = at + 1;
        let object = item
            .as_object()
            .ok_or((n, "an item must be an object".into()))?;
        let text = task_text(object, options).map_err(|m| (n, m))?;
        let index = match by_text.get(text) {
            Some(&i) => i,
            None => {
                let title = first_line_title(text).ok_or((n, "the text is empty".into()))?;
                let mut article = Article::new(title, text.to_owned(), SourceFormat::LabelStudio);
                if let Some(id) = object.get("id") {
                    article.meta.insert("source_id".into(), id.clone());
                }
                article.line = Some(n);
                articles.push(article);
                by_text.insert(text.to_owned(), articles.len() - 1);
                articles.len() - 1
            }
        };
        let annotator = object.get("annotator").map(plain).filter(|a| !a.is_empty());
        let article = &mut articles[index];
        let mut offsets = Offsets::new(text);
        for (key, value) in object {
            if options.label_field.as_deref().is_some_and(|f| f != key) {
                continue;
            }
            let Some(regions) = value.as_array() else {
                continue;
            };
            if !regions.iter().all(|r| r.get("labels").is_some()) {
                continue;
            }
            for region in regions {
                let region = region
                    .as_object()
                    .ok_or((n, "a region must be an object".into()))?;
                let range = offsets.range(region).map_err(|m| (n, m))?;
                for label in region
                    .get("labels")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let label = label
                        .as_str()
                        .filter(|l| !l.trim().is_empty())
                        .ok_or((n, format!("region {range}: a label must be a name")))?;
                    article.spans.push(ArticleSpan {
                        annotator: annotator.clone(),
                        ..ArticleSpan::new(range, label)
                    });
                }
            }
        }
    }
    Ok(articles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Vec<Article>, String> {
        read_json(json, Path::new("ls.json"), &ReadOptions::default()).map_err(|e| e.to_string())
    }

    fn covered(article: &Article, i: usize) -> String {
        article.covered(article.spans[i].range)
    }

    #[test]
    fn tasks_give_a_layer_per_annotation_with_attributes_relations_and_suggestions() {
        let json = r#"[{"id": 7, "data": {"text": "🚢 Peskov said no."},
          "annotations": [
            {"completed_by": {"id": 3, "email": "ana@desk.org"}, "was_cancelled": false, "result": [
              {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
               "value": {"start": 2, "end": 8, "text": "Peskov", "labels": ["source"]}},
              {"id": "b", "type": "labels", "from_name": "label", "to_name": "text",
               "value": {"start": 14, "end": 16, "text": "no", "labels": ["denial"]},
               "meta": {"text": ["checked"]}},
              {"id": "b", "type": "choices", "from_name": "denial.verdict", "to_name": "text",
               "value": {"start": 14, "end": 16, "choices": ["false"]}},
              {"type": "relation", "from_id": "b", "to_id": "a", "direction": "right",
               "labels": ["said_by"]}]},
            {"completed_by": 4, "was_cancelled": true, "result": []},
            {"completed_by": 5, "result": [
              {"id": "c", "type": "labels", "value": {"start": 3, "end": 9, "text": "Peskov",
               "labels": ["source"]}}]}],
          "predictions": [{"model_version": "ner-v1", "result": [
              {"id": "p", "type": "labels", "value": {"start": 2, "end": 8, "labels": ["source"]}}]}]
        }]"#;
        let articles = read(json).unwrap();
        let article = &articles[0];
        assert_eq!(article.meta["source_id"], 7);
        assert_eq!(article.spans.len(), 4);
        assert_eq!(covered(article, 0), "Peskov");
        assert_eq!(article.spans[0].annotator.as_deref(), Some("ana@desk.org"));
        assert_eq!(article.spans[1].attributes["verdict"], "false");
        assert_eq!(article.spans[1].note, "checked");
        // Annotator 5's offsets count the ship as two UTF-16 units, as a browser does.
        assert_eq!(covered(article, 2), "Peskov");
        assert_eq!(article.spans[2].annotator.as_deref(), Some("5"));
        assert_eq!(article.spans[3].origin, Some(Origin::Suggested));
        assert_eq!(article.spans[3].annotator.as_deref(), Some("ner-v1"));
        assert_eq!(article.relations.len(), 1);
        assert_eq!((article.relations[0].from, article.relations[0].to), (1, 0));
        assert_eq!(
            article.notes,
            ["left out 1 annotation (cancelled in Label Studio)"]
        );
    }

    #[test]
    fn json_min_joins_annotations_of_one_text() {
        let json = r#"[
          {"id": 1, "text": "Peskov said no.", "annotator": "ana@x", "label": [
            {"start": 0, "end": 6, "text": "Peskov", "labels": ["source"]}]},
          {"id": 1, "text": "Peskov said no.", "annotator": "ben@x", "label": [
            {"start": 12, "end": 14, "text": "no", "labels": ["denial"]}]}]"#;
        let articles = read(json).unwrap();
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].spans.len(), 2);
        assert_eq!(articles[0].spans[1].annotator.as_deref(), Some("ben@x"));
    }

    #[test]
    fn wrong_offsets_and_missing_text_are_refused_naming_the_item() {
        let json = r#"[{"data": {"text": "abc"}, "annotations": [{"result": [
            {"id": "a", "type": "labels", "value": {"start": 0, "end": 2, "text": "bc", "labels": ["x"]}}]}]}]"#;
        assert_eq!(
            read(json).unwrap_err(),
            "ls.json: item 1: annotation 1: region 0..2 gives its text as \"bc\", which is not \
             the text there in code points or UTF-16 units"
        );
        let json = r#"[{"data": {"body": "abc", "url": "x"}}]"#;
        assert!(
            read(json)
                .unwrap_err()
                .contains("name the text's field with --text-field")
        );
    }
}
