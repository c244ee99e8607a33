//! doccano's sequence-labelling JSONL: `{"text": …, "label": [[start, end, "LABEL"], …]}`.
//!
//! Offsets are Unicode code points, end-exclusive, as doccano reads them (Python indices).
//! doccano's importer keeps every other key of a line as the example's metadata, so `id`
//! (the document uid), `title` and `annotators` (one name per entry of `label`, in the same
//! order) ride along harmlessly and are also read back by stet's own importer.

use std::io::Write;

use serde::Serialize;

use super::{ExportDocument, ExportError, ExportHeader, ExportSummary};

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    title: &'a str,
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
    annotators: Vec<&'a str>,
}

/// Writes one doccano JSONL line per document that passes `filter`.
pub fn write_doccano(
    _header: &ExportHeader,
    docs: &mut dyn Iterator<Item = ExportDocument>,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary::default();
    let mut buf = Vec::new();
    for doc in docs {
        let line = Line {
            id: &doc.info.uid,
            title: &doc.info.title,
            text: &doc.text,
            label: doc
                .spans
                .iter()
                .map(|s| (s.range.start, s.range.end, s.label.as_str()))
                .collect(),
            annotators: doc.spans.iter().map(|s| s.annotator.as_str()).collect(),
        };
        buf.clear();
        serde_json::to_writer(&mut buf, &line)?;
        buf.push(b'\n');
        out.write_all(&buf)?;
        summary.documents += 1;
        summary.spans += doc.spans.len();
    }
    out.flush()?;
    Ok(summary)
}
