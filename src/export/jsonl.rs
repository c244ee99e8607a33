//! JSONL, stet's own format: one object per document, offsets in Unicode code points.

use std::io::Write;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{ExportError, ExportFilter, ExportSummary, for_each_document};
use crate::model::CharIndex;
use crate::store::Project;

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    title: &'a str,
    text: &'a str,
    spans: Vec<RecordSpan<'a>>,
    meta: &'a Map<String, Value>,
}

#[derive(Serialize)]
struct RecordSpan<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    annotator: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
}

/// Writes one JSON object per document: `{"id", "title", "text", "spans": [{"start", "end",
/// "label", "text", "annotator", "note"?}], "meta"}`, where `text[start:end]` in Python is
/// the span's text.
pub fn write_jsonl(
    project: &Project,
    filter: &ExportFilter,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary::default();
    let mut line = Vec::new();
    for_each_document(project, filter, |doc| {
        let index = CharIndex::new(&doc.text);
        let spans = doc
            .spans
            .iter()
            .map(|span| RecordSpan {
                start: span.range.start,
                end: span.range.end,
                label: &span.label,
                text: index.slice(&doc.text, span.range),
                annotator: &span.annotator,
                note: &span.note,
            })
            .collect();
        let record = Record {
            id: &doc.info.uid,
            title: &doc.info.title,
            text: &doc.text,
            spans,
            meta: &doc.meta,
        };
        line.clear();
        serde_json::to_writer(&mut line, &record)
            .map_err(|err| ExportError::Invalid(err.to_string()))?;
        line.push(b'\n');
        out.write_all(&line)?;
        summary.documents += 1;
        summary.spans += doc.spans.len();
        Ok(())
    })?;
    out.flush()?;
    Ok(summary)
}
