//! JSONL, stet's own format: one object per document, offsets in Unicode code points.

use std::io::Write;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{ExportDocument, ExportError, ExportHeader, ExportSummary};
use crate::model::{Attributes, CharIndex};

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    title: &'a str,
    text: &'a str,
    spans: Vec<RecordSpan<'a>>,
    /// Always written (`[]` for none), for the same reason as a span's `note`.
    relations: Vec<RecordRelation<'a>>,
    meta: &'a Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: Option<i64>,
}

#[derive(Serialize)]
struct RecordSpan<'a> {
    id: &'a str,
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    annotator: &'a str,
    /// Always written (empty for none), so that every span has the same fields: Hugging
    /// Face `datasets` then types `spans` as a list of records rather than of loose JSON.
    note: &'a str,
    /// Always written: `manual`, `imported`, `suggested` or `adjudicated`.
    origin: &'a str,
    /// Always written (`{}` for none).
    attributes: &'a Attributes,
}

#[derive(Serialize)]
struct RecordRelation<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    /// The `id` of a span of the same record.
    from: &'a str,
    to: &'a str,
    annotator: &'a str,
}

/// Writes one JSON object per document: `{"id", "title", "text", "spans": [{"id", "start",
/// "end", "label", "text", "annotator", "note", "origin", "attributes"}], "relations": [{"id", "type",
/// "from", "to", "annotator"}], "meta", "project"?, "revision"?}`, where `text[start:end]` in
/// Python is the span's text and a relation's ends are span ids of the same record.
///
/// `project` (this project's uid) and `revision` (its operation log's last entry) are
/// written when the export holds every annotator's spans of every label (the header's
/// `origin`), so that importing the file elsewhere can merge it like the project itself: a
/// span missing from a document the file holds was deleted here. Exports filtered by label
/// or annotator leave them out and import as plain tags.
pub fn write_jsonl(
    header: &ExportHeader,
    docs: &mut dyn Iterator<Item = ExportDocument>,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary::default();
    let mut line = Vec::new();
    let origin = header.origin.as_ref();
    for doc in docs {
        let index = CharIndex::new(&doc.text);
        let spans = doc
            .spans
            .iter()
            .map(|span| RecordSpan {
                id: &span.uid,
                start: span.range.start,
                end: span.range.end,
                label: &span.label,
                text: index.slice(&doc.text, span.range),
                annotator: &span.annotator,
                note: &span.note,
                origin: span.origin.as_str(),
                attributes: &span.attributes,
            })
            .collect();
        let relations = doc
            .relations
            .iter()
            .map(|relation| RecordRelation {
                id: &relation.uid,
                kind: &relation.kind,
                from: &relation.from_uid,
                to: &relation.to_uid,
                annotator: &relation.annotator,
            })
            .collect();
        let record = Record {
            id: &doc.info.uid,
            title: &doc.info.title,
            text: &doc.text,
            spans,
            relations,
            meta: &doc.meta,
            project: origin.map(|(uid, _)| uid.as_str()),
            revision: origin.map(|(_, revision)| *revision),
        };
        line.clear();
        serde_json::to_writer(&mut line, &record)?;
        line.push(b'\n');
        out.write_all(&line)?;
        summary.documents += 1;
        summary.spans += doc.spans.len();
        summary.relations += doc.relations.len();
    }
    out.flush()?;
    Ok(summary)
}
