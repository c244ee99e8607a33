//! CSV, one row per span, for spreadsheets: UTF-8 with a byte-order mark (so Excel reads it as
//! UTF-8), a header row, CRLF line ends and RFC 4180 quoting.
//!
//! Columns: `document_uid, title, span_id, start, end, label, text, annotator, note, created`.
//! `start`/`end` are Unicode code points, end-exclusive; `created` is RFC 3339 UTC.
//!
//! Articles are outside input, and a spreadsheet runs a cell that begins with `=`, `+`, `-`
//! or `@` (or a tab or carriage return before one) as a formula (CWE-1236). Unless
//! [`FormatOptions::csv_exact`](super::FormatOptions) is set, such text cells get a leading
//! `'`, as OWASP recommends: spreadsheets show the text as it is, and a pipeline that wants
//! the exact text strips one leading `'` from cells whose next character is one of those
//! (or asks for `--csv-exact`).

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
    header: &ExportHeader,
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
    let exact = header.options.csv_exact;
    let cell = |text: &str| -> String {
        if exact || !runs_as_formula(text) {
            text.to_owned()
        } else {
            format!("'{text}")
        }
    };
    for doc in docs {
        let index = CharIndex::new(&doc.text);
        let title = cell(&doc.info.title);
        for span in &doc.spans {
            let id = span.id.to_string();
            let start = span.range.start.to_string();
            let end = span.range.end.to_string();
            writer
                .write_record([
                    doc.info.uid.as_str(),
                    title.as_str(),
                    id.as_str(),
                    start.as_str(),
                    end.as_str(),
                    cell(&span.label).as_str(),
                    cell(index.slice(&doc.text, span.range)).as_str(),
                    cell(&span.annotator).as_str(),
                    cell(&span.note).as_str(),
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

/// Whether a spreadsheet would run a cell with this text as a formula.
pub fn runs_as_formula(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

fn csv_error(err: ::csv::Error) -> ExportError {
    match err.into_kind() {
        ::csv::ErrorKind::Io(io) => ExportError::Io(io),
        other => ExportError::Invalid(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{ExportDocument, FormatOptions};
    use crate::model::{CharRange, LabelScheme, Origin, Span, Timestamp};
    use crate::store::DocumentInfo;

    /// A document whose title, spans, annotator and note begin like formulas, written
    /// without any project: the writer is a pure function.
    fn hostile() -> ExportDocument {
        let text = "=HYPERLINK(\"http://x\",\"click\") +1 said -2 @SUM(A1) plain".to_owned();
        let range_of = |text: &str, needle: &str| {
            let start = text[..text.find(needle).unwrap()].chars().count();
            CharRange::new(start, start + needle.chars().count())
        };
        let span = |range: CharRange, note: &str| Span {
            id: range.start as i64 + 1,
            uid: format!("u{}", range.start),
            document_id: 1,
            range,
            label: "claim".into(),
            annotator: "@ana".into(),
            note: note.into(),
            origin: Origin::Manual,
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
            attributes: Default::default(),
        };
        ExportDocument {
            info: DocumentInfo {
                id: 1,
                uid: "d".into(),
                title: "=cmd|' /C calc'!A0".into(),
                source: "x".into(),
                format: "text".into(),
                len_chars: text.chars().count(),
                imported_at: Timestamp(0),
                span_count: 3,
            },
            meta: Default::default(),
            relations: Vec::new(),
            spans: vec![
                span(
                    range_of(&text, "=HYPERLINK(\"http://x\",\"click\")"),
                    "-check",
                ),
                span(range_of(&text, "+1"), "\tnote"),
                span(range_of(&text, "plain"), "fine"),
            ],
            text,
        }
    }

    fn write(options: FormatOptions) -> Vec<Vec<String>> {
        let header = ExportHeader {
            scheme: LabelScheme::newsroom(),
            annotators: vec!["@ana".into()],
            origin: None,
            options,
        };
        let mut out = Vec::new();
        write_csv(&header, &mut vec![hostile()].into_iter(), &mut out).unwrap();
        let body = String::from_utf8(out).unwrap();
        let mut reader = ::csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_written_as_text() {
        let rows = write(FormatOptions::default());
        assert_eq!(rows.len(), 3);
        for row in &rows {
            for cell in row {
                assert!(!runs_as_formula(cell), "{cell:?} would run as a formula");
            }
        }
        assert_eq!(rows[0][1], "'=cmd|' /C calc'!A0");
        assert_eq!(rows[0][6], "'=HYPERLINK(\"http://x\",\"click\")");
        assert_eq!(rows[0][7], "'@ana");
        assert_eq!(rows[0][8], "'-check");
        assert_eq!(rows[1][6], "'+1");
        assert_eq!(rows[2][6], "plain");
    }

    #[test]
    fn the_exact_option_keeps_every_cell_as_the_text_has_it() {
        let rows = write(FormatOptions {
            csv_exact: true,
            ..FormatOptions::default()
        });
        assert_eq!(rows[0][1], "=cmd|' /C calc'!A0");
        assert_eq!(rows[0][6], "=HYPERLINK(\"http://x\",\"click\")");
        assert_eq!(rows[1][8], "\tnote");
    }
}
