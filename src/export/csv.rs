//! CSV, one row per span, for spreadsheets: UTF-8 with a byte-order mark (so Excel reads it as
//! UTF-8), a header row, CRLF line ends and RFC 4180 quoting.
//!
//! Columns: `document_uid, title, span_id, start, end, label, text, annotator, note, created`.
//! `start`/`end` are Unicode code points, end-exclusive; `created` is RFC 3339 UTC.

use std::io::Write;

use super::{ExportDocument, ExportError, ExportHeader, ExportSummary};
use crate::model::CharIndex;

/// The header row.
const HEADER: [&str; 10] = [
    "document_uid",
    "title",
    "span_id",
    "start",
    "end",
    "label",
    "text",
    "annotator",
    "note",
    "created",
];

/// Writes one CSV row per span of the documents that pass `filter`.
pub fn write_csv(
    _header: &ExportHeader,
    docs: &mut dyn Iterator<Item = ExportDocument>,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .quote_style(::csv::QuoteStyle::Necessary)
        .from_writer(out);
    writer.write_record(HEADER).map_err(csv_error)?;
    let mut summary = ExportSummary::default();
    for doc in docs {
        let index = CharIndex::new(&doc.text);
        for span in &doc.spans {
            let id = span.id.to_string();
            let start = span.range.start.to_string();
            let end = span.range.end.to_string();
            writer
                .write_record([
                    doc.info.uid.as_str(),
                    doc.info.title.as_str(),
                    id.as_str(),
                    start.as_str(),
                    end.as_str(),
                    span.label.as_str(),
                    index.slice(&doc.text, span.range),
                    span.annotator.as_str(),
                    span.note.as_str(),
                    span.created_at.to_rfc3339().as_str(),
                ])
                .map_err(csv_error)?;
        }
        summary.documents += 1;
        summary.spans += doc.spans.len();
    }
    writer.flush()?;
    Ok(summary)
}

fn csv_error(err: ::csv::Error) -> ExportError {
    match err.into_kind() {
        ::csv::ErrorKind::Io(io) => ExportError::Io(io),
        other => ExportError::Invalid(format!("{other:?}")),
    }
}
