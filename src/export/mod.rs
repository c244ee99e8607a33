//! Dataset exports, one file per format. Every writer is a pure function over the documents
//! the store reads for it ([`ExportDocument`]s, already filtered, in the one export order:
//! documents in import order, spans by start, longest first, label order, annotator) and a
//! header ([`ExportHeader`]: labels, annotators, the project's identity), so each format can
//! be tested without a database.
//!
//! Single-file formats (`write_jsonl`, `write_doccano`, `write_conll`, `write_labelstudio`,
//! `write_csv`, `write_spacy`) write to any [`Write`]; folder formats (`write_brat`, `write_webanno`) write
//! into an existing empty folder. Exporting to a path, whole or not at all, with filters and
//! splits, is `workflows::export`.

mod brat;
mod conll;
mod csv;
mod doccano;
mod jsonl;
mod labelstudio;
mod names;
mod spacy;
pub mod split;
mod tokens;
mod webanno;

use std::io::Write;
use std::path::Path;

use crate::model::LabelScheme;

pub use crate::store::{ExportDocument, ExportFilter};
pub use brat::{storage_form as brat_storage_form, write_brat};
pub use conll::write_conll;
pub use csv::write_csv;
pub use doccano::write_doccano;
pub use jsonl::write_jsonl;
pub use labelstudio::{labelstudio_config, write_labelstudio};
pub use spacy::{DEFAULT_SPANS_KEY, write_spacy};
pub use split::{SplitPart, SplitSpec};
pub use webanno::write_webanno;

/// What every format needs besides the documents: the project's labels, annotators and
/// identity, and the choices a format offers.
#[derive(Clone, Debug)]
pub struct ExportHeader {
    pub scheme: LabelScheme,
    /// The annotators whose spans the export holds (everyone who has worked in the project,
    /// unless the filter names some), sorted.
    pub annotators: Vec<String>,
    /// The project's uid and revision, when the export is whole: a colleague can then merge
    /// it like the project.
    pub origin: Option<(String, i64)>,
    pub options: FormatOptions,
}

/// Choices some formats offer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormatOptions {
    /// CSV: write cells exactly as the text has them, even those a spreadsheet would run as
    /// a formula (by default such cells get a leading `'`).
    pub csv_exact: bool,
    /// spaCy: the key of `doc.spans` that holds every span ([`DEFAULT_SPANS_KEY`], `sc`, when
    /// `None`).
    pub spans_key: Option<String>,
}

/// The documents a writer writes, in export order.
pub type Documents<'a> = dyn Iterator<Item = ExportDocument> + 'a;

/// How much an export wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub documents: usize,
    /// Spans written (for CoNLL: entities tagged).
    pub spans: usize,
    /// Spans the format could not express and left out: for CoNLL those overlapping a longer
    /// span (for spaCy: left out of `doc.ents`, though kept in `doc.spans`); for CoNLL, brat and WebAnno those covering nothing but whitespace.
    pub left_out: usize,
    /// Spans whose edges fell inside a word (token formats split that word at the edge).
    pub split_words: usize,
    /// Documents with no token at all, which WebAnno TSV cannot hold (not written).
    pub skipped_documents: usize,
    /// Relations written.
    pub relations: usize,
    /// Relations between exported spans that the format has no place for.
    pub relations_left_out: usize,
}

impl ExportSummary {
    /// Adds another part's counts to this one.
    pub fn add(&mut self, other: &Self) {
        self.documents += other.documents;
        self.spans += other.spans;
        self.left_out += other.left_out;
        self.split_words += other.split_words;
        self.skipped_documents += other.skipped_documents;
        self.relations += other.relations;
        self.relations_left_out += other.relations_left_out;
    }

    /// Counts as left out the relations of `seen` (those the documents held) that the
    /// writer did not write.
    pub fn relations_seen(&mut self, seen: usize) {
        self.relations_left_out = seen.saturating_sub(self.relations);
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
    Spacy,
}

impl ExportFormat {
    /// Every format, in the order menus list them.
    pub const ALL: [Self; 8] = [
        Self::Jsonl,
        Self::Doccano,
        Self::Conll,
        Self::Spacy,
        Self::LabelStudio,
        Self::Csv,
        Self::Brat,
        Self::WebAnno,
    ];

    /// The format's name on the command line (`--format NAME`) and in summaries.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Jsonl => "jsonl",
            Self::Doccano => "doccano",
            Self::Conll => "conll",
            Self::Brat => "brat",
            Self::LabelStudio => "labelstudio",
            Self::Csv => "csv",
            Self::WebAnno => "webanno",
            Self::Spacy => "spacy",
        }
    }

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
            Self::Spacy => {
                "Unicode code points (spaCy's start_char, end_char) on stet's tokens, end-exclusive"
            }
        }
    }

    /// Writes a single-file format to `out`; folder formats are refused.
    pub fn write_file(
        self,
        header: &ExportHeader,
        docs: &mut Documents<'_>,
        out: &mut dyn Write,
    ) -> Result<ExportSummary, ExportError> {
        match self {
            Self::Jsonl => write_jsonl(header, docs, out),
            Self::Doccano => write_doccano(header, docs, out),
            Self::Conll => write_conll(header, docs, out),
            Self::LabelStudio => write_labelstudio(header, docs, out),
            Self::Csv => write_csv(header, docs, out),
            Self::Spacy => write_spacy(header, docs, out),
            Self::Brat | Self::WebAnno => Err(ExportError::Invalid(
                "this format writes a folder, not a single file".into(),
            )),
        }
    }

    /// Writes a folder format into the existing folder `dir`; single-file formats are refused.
    pub fn write_folder(
        self,
        header: &ExportHeader,
        docs: &mut Documents<'_>,
        dir: &Path,
    ) -> Result<ExportSummary, ExportError> {
        match self {
            Self::Brat => write_brat(header, docs, dir),
            Self::WebAnno => write_webanno(header, docs, dir),
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
    Store(#[from] crate::store::StoreError),
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
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
