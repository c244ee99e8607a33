//! Dataset exports, one file per format. Every exporter reads the project through
//! [`for_each_document`], so filters apply the same way everywhere and output order is
//! fixed: documents in import order, spans by start, longest first, label order, annotator.
//!
//! Single-file formats (`write_jsonl`, `write_doccano`, `write_conll`, `write_labelstudio`,
//! `write_csv`) write to any [`Write`]; folder formats (`write_brat`, `write_webanno`) write
//! into an existing empty folder, which [`write_folder_atomically`] provides. Splits into
//! train/dev/test parts are made by [`split`] and applied through [`ExportFilter::documents`].

mod brat;
mod conll;
mod csv;
mod doccano;
mod jsonl;
mod labelstudio;
mod names;
mod run;
pub mod split;
mod tokens;
mod webanno;

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::path::Path;

use rusqlite::params_from_iter;
use serde_json::{Map, Value};

use crate::model::{Span, Timestamp};
use crate::store::{DocumentInfo, Project, SPAN_COLUMNS, StoreError, read_span};

pub use brat::write_brat;
pub use conll::write_conll;
pub use csv::write_csv;
pub use doccano::write_doccano;
pub use jsonl::write_jsonl;
pub use labelstudio::{labelstudio_config, write_labelstudio};
pub use run::{ExportOutcome, ExportRequest, export_to_path, labelstudio_config_path, part_path};
pub use split::{SplitPart, SplitSpec, assign_split};
pub use webanno::write_webanno;

/// Which documents and spans an export includes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportFilter {
    /// Only these annotators' spans (empty: everyone's).
    pub annotators: Vec<String>,
    /// Only spans with these labels (empty: all labels).
    pub labels: Vec<String>,
    /// Only documents marked done (by one of `annotators`, or by anyone if none are named).
    pub only_done: bool,
    /// Only the documents with these uids (one part of a split); `None`: every document.
    pub documents: Option<BTreeSet<String>>,
}

/// One document as exporters see it.
#[derive(Clone, Debug)]
pub struct ExportDocument {
    pub info: DocumentInfo,
    pub text: String,
    /// The document's stored meta plus `source`.
    pub meta: Map<String, Value>,
    /// The spans that pass the filter, in export order.
    pub spans: Vec<Span>,
}

/// How much an export wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub documents: usize,
    /// Spans written (for CoNLL: entities tagged).
    pub spans: usize,
    /// Spans the format could not express and left out: for CoNLL those overlapping a longer
    /// span; for CoNLL, brat and WebAnno those covering nothing but whitespace.
    pub left_out: usize,
    /// Spans whose edges fell inside a word (token formats split that word at the edge).
    pub split_words: usize,
    /// Documents with no token at all, which WebAnno TSV cannot hold (not written).
    pub skipped_documents: usize,
}

impl ExportSummary {
    /// Adds another part's counts to this one.
    pub fn add(&mut self, other: &Self) {
        self.documents += other.documents;
        self.spans += other.spans;
        self.left_out += other.left_out;
        self.split_words += other.split_words;
        self.skipped_documents += other.skipped_documents;
    }
}

/// The export formats, for callers that choose one at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    Jsonl,
    Doccano,
    Conll,
    Brat,
    LabelStudio,
    Csv,
    WebAnno,
}

impl ExportFormat {
    /// Whether the format writes a folder (one file set per document) rather than one file.
    pub const fn is_folder(self) -> bool {
        matches!(self, Self::Brat | Self::WebAnno)
    }

    /// What the format's offsets count, as said in the summary line and the README.
    pub const fn offset_unit(self) -> &'static str {
        match self {
            Self::Jsonl | Self::Doccano | Self::LabelStudio | Self::Csv => {
                "Unicode code points, end-exclusive"
            }
            Self::Brat => "Unicode code points into each UTF-8 .txt, end-exclusive",
            Self::Conll => "none: one token per line with IOB2 tags",
            Self::WebAnno => "UTF-16 code units, end-exclusive",
        }
    }

    /// Writes a single-file format to `out`; folder formats are refused.
    pub fn write_file(
        self,
        project: &Project,
        filter: &ExportFilter,
        out: &mut dyn Write,
    ) -> Result<ExportSummary, ExportError> {
        match self {
            Self::Jsonl => write_jsonl(project, filter, out),
            Self::Doccano => write_doccano(project, filter, out),
            Self::Conll => write_conll(project, filter, out),
            Self::LabelStudio => write_labelstudio(project, filter, out),
            Self::Csv => write_csv(project, filter, out),
            Self::Brat | Self::WebAnno => Err(ExportError::Invalid(
                "this format writes a folder, not a single file".into(),
            )),
        }
    }

    /// Writes a folder format into the existing folder `dir`; single-file formats are refused.
    pub fn write_folder(
        self,
        project: &Project,
        filter: &ExportFilter,
        dir: &Path,
    ) -> Result<ExportSummary, ExportError> {
        match self {
            Self::Brat => write_brat(project, filter, dir),
            Self::WebAnno => write_webanno(project, filter, dir),
            _ => Err(ExportError::Invalid(
                "this format writes a single file, not a folder".into(),
            )),
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl From<rusqlite::Error> for ExportError {
    fn from(err: rusqlite::Error) -> Self {
        Self::Store(StoreError::Sqlite(err))
    }
}

/// Streams the project's documents with their filtered spans, in export order, to `each`.
///
/// Two ordered queries are merged, so memory holds one document at a time.
pub fn for_each_document(
    project: &Project,
    filter: &ExportFilter,
    mut each: impl FnMut(ExportDocument) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let conn = project.connection();
    let wanted_docs = if filter.only_done {
        Some(done_documents(project, &filter.annotators)?)
    } else {
        None
    };
    let mut span_sql = format!("SELECT {SPAN_COLUMNS} WHERE 1");
    let mut args: Vec<&str> = Vec::new();
    for (column, values) in [("a.name", &filter.annotators), ("l.name", &filter.labels)] {
        if !values.is_empty() {
            let marks = vec!["?"; values.len()].join(", ");
            span_sql.push_str(&format!(" AND {column} IN ({marks})"));
            args.extend(values.iter().map(String::as_str));
        }
    }
    span_sql.push_str(" ORDER BY s.document_id, s.start, s.\"end\" DESC, l.position, a.name, s.id");
    let mut span_stmt = conn.prepare(&span_sql)?;
    let mut span_rows = span_stmt.query(params_from_iter(args))?;
    let mut doc_stmt = conn.prepare(
        "SELECT d.id, d.uid, d.title, d.source, d.format, d.len_chars, d.imported_at,
                d.text, d.meta_json
         FROM documents d ORDER BY d.id",
    )?;
    let mut doc_rows = doc_stmt.query([])?;
    let mut next_span = read_export_span(span_rows.next()?)?;
    while let Some(row) = doc_rows.next()? {
        let id: i64 = row.get(0)?;
        let mut spans = Vec::new();
        while let Some(span) = next_span.take_if(|s| s.document_id <= id) {
            if span.document_id == id {
                spans.push(span);
            }
            next_span = read_export_span(span_rows.next()?)?;
        }
        if wanted_docs.as_ref().is_some_and(|w| !w.contains(&id)) {
            continue;
        }
        let uid: String = row.get(1)?;
        if filter.documents.as_ref().is_some_and(|d| !d.contains(&uid)) {
            continue;
        }
        let source: String = row.get(3)?;
        let meta_json: String = row.get(8)?;
        let mut meta = crate::store::parse_meta(&meta_json);
        meta.insert("source".into(), Value::String(source.clone()));
        let info = DocumentInfo {
            id,
            uid,
            title: row.get(2)?,
            source,
            format: row.get(4)?,
            len_chars: row.get::<_, i64>(5)? as usize,
            imported_at: Timestamp(row.get(6)?),
            span_count: spans.len(),
        };
        each(ExportDocument {
            info,
            text: row.get(7)?,
            meta,
            spans,
        })?;
    }
    Ok(())
}

fn read_export_span(row: Option<&rusqlite::Row<'_>>) -> rusqlite::Result<Option<Span>> {
    row.map(read_span).transpose()
}

/// Documents marked done by any of `annotators` (or by anyone when empty).
fn done_documents(project: &Project, annotators: &[String]) -> Result<HashSet<i64>, ExportError> {
    let mut sql = String::from(
        "SELECT st.document_id FROM document_status st JOIN annotators a ON a.id = st.annotator_id
         WHERE st.status = 'done'",
    );
    if !annotators.is_empty() {
        let marks = vec!["?"; annotators.len()].join(", ");
        sql.push_str(&format!(" AND a.name IN ({marks})"));
    }
    let conn = project.connection();
    let mut stmt = conn.prepare(&sql)?;
    let ids = stmt
        .query_map(params_from_iter(annotators), |r| r.get(0))?
        .collect::<rusqlite::Result<HashSet<i64>>>()?;
    Ok(ids)
}

/// Like [`for_each_document`], but `each` runs on another thread while this one reads the
/// next documents from the project, so reading overlaps with tokenizing and formatting.
/// Documents arrive in the same order; the first error (`each`'s first) stops both.
pub(crate) fn for_each_document_in_background(
    project: &Project,
    filter: &ExportFilter,
    mut each: impl FnMut(ExportDocument) -> Result<(), ExportError> + Send,
) -> Result<(), ExportError> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<ExportDocument>(16);
        let worker = scope.spawn(move || -> Result<(), ExportError> {
            for doc in rx {
                each(doc)?;
            }
            Ok(())
        });
        let read = for_each_document(project, filter, |doc| {
            tx.send(doc)
                .map_err(|_| ExportError::Invalid("the export stopped".into()))
        });
        drop(tx);
        match worker.join() {
            Ok(result) => result?,
            Err(_) => return Err(ExportError::Invalid("the export failed".into())),
        }
        read
    })
}

/// Builds a folder export in a temporary folder beside `out` and renames it into place only
/// once `build` has succeeded, so `out` never holds half an export.
///
/// `out` must not exist or be an empty folder: a folder with files in it is never replaced.
pub fn write_folder_atomically<T>(
    out: &Path,
    build: impl FnOnce(&Path) -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    if out.exists() {
        let empty_dir = out.is_dir() && std::fs::read_dir(out)?.next().is_none();
        if !empty_dir {
            return Err(ExportError::Invalid(
                "already exists and is not an empty folder; choose a new folder or remove it"
                    .into(),
            ));
        }
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".stet-export-")
        .tempdir_in(&parent)?;
    let result = build(temp.path())?;
    if out.exists() {
        std::fs::remove_dir(out)?;
    }
    let kept = temp.keep();
    if let Err(err) = std::fs::rename(&kept, out) {
        // The folder stays complete under its temporary name only if removing it fails too.
        let _ = std::fs::remove_dir_all(&kept);
        return Err(err.into());
    }
    Ok(result)
}

/// Hands finished files to a background thread that writes them, so that the disk's latency
/// overlaps with building the next file (folder formats write one or two files per document).
/// Written buffers come back for reuse.
pub(crate) struct FileSink {
    tx: std::sync::mpsc::SyncSender<(std::path::PathBuf, Vec<u8>)>,
    spare: std::sync::Mutex<std::sync::mpsc::Receiver<Vec<u8>>>,
}

impl FileSink {
    /// An empty buffer to build a file in (a recycled one when there is one).
    pub(crate) fn buffer(&self) -> Vec<u8> {
        self.spare
            .lock()
            .ok()
            .and_then(|spare| spare.try_recv().ok())
            .unwrap_or_else(|| Vec::with_capacity(1 << 15))
    }

    /// Queues `bytes` to be written to `path`.
    pub(crate) fn write(
        &self,
        path: std::path::PathBuf,
        bytes: Vec<u8>,
    ) -> Result<(), ExportError> {
        self.tx
            .send((path, bytes))
            .map_err(|_| ExportError::Io(std::io::Error::other("the file writer stopped")))
    }
}

/// Runs `produce` with a [`FileSink`] whose files are written on another thread; returns once
/// every file is on disk, with the writer's error first if it had one.
pub(crate) fn with_file_sink<T>(
    produce: impl FnOnce(&FileSink) -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(std::path::PathBuf, Vec<u8>)>(64);
        let (spare_tx, spare) = std::sync::mpsc::sync_channel::<Vec<u8>>(16);
        let writer = scope.spawn(move || -> std::io::Result<()> {
            for (path, mut bytes) in rx {
                std::fs::write(&path, &bytes)?;
                bytes.clear();
                // A full return queue just lets the buffer go.
                let _ = spare_tx.try_send(bytes);
            }
            Ok(())
        });
        let sink = FileSink {
            tx,
            spare: std::sync::Mutex::new(spare),
        };
        let produced = produce(&sink);
        drop(sink);
        let written = match writer.join() {
            Ok(result) => result.map_err(ExportError::from),
            Err(_) => Err(ExportError::Invalid("the file writer failed".into())),
        };
        written?;
        produced
    })
}

/// Appends a number in decimal, without going through `fmt`.
pub(crate) fn push_number(buf: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        buf.push(char::from(d));
    }
}
