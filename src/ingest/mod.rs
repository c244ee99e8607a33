//! Article readers: one [`Article`] out of each text, Markdown, newswire, HTML or XML file, and
//! one per line of a JSONL file, per document of a CoNLL or WebAnno file, per `Doc` of a spaCy
//! `DocBin`.
//!
//! Readers never panic on any input: bad input is an [`IngestError`] naming the file (and the
//! line, for JSONL). A file is read whole or not at all.

mod brat;
mod conll;
mod decode;
mod jsonl;
mod labelstudio;
mod markup;
mod plain;
mod sniff;
mod spacy;
mod walk;
mod webanno;

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::model::{Attributes, CharRange, Origin};

pub use decode::{decode_owned, decode_text};
pub use walk::{Collected, collect_paths};

/// The kind of file an article came from, as stored in the project's `format` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    Text,
    Markdown,
    Newswire,
    Html,
    Xml,
    Jsonl,
    Brat,
    LabelStudio,
    WebAnno,
    Conll,
    Spacy,
}

impl SourceFormat {
    /// The name stored in the project.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Markdown => "markdown",
            Self::Newswire => "newswire",
            Self::Html => "html",
            Self::Xml => "xml",
            Self::Jsonl => "jsonl",
            Self::Brat => "brat",
            Self::LabelStudio => "labelstudio",
            Self::WebAnno => "webanno",
            Self::Conll => "conll",
            Self::Spacy => "spacy",
        }
    }
}

/// Which reader a file goes to, decided by its extension (and, for text, its content).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `.txt`, `.text`, `.md`, `.markdown`: plain text, Markdown, or the newswire dump
    /// (recognised by content); JSONL, CoNLL or WebAnno TSV inside are read as what they are.
    Text,
    /// `.html`, `.htm`, `.xhtml`.
    Html,
    /// `.xml`.
    Xml,
    /// `.jsonl`, `.ndjson`: stet, spaCy, doccano or Prodigy records.
    Jsonl,
    /// `.json`: a Label Studio export (JSON or JSON-MIN), or a JSON list of records.
    Json,
    /// `.conll`, `.conll2002`, `.conll2003`, `.iob`, `.iob2`, `.bio`, `.bioes`, `.bmes`, and
    /// CoNLL-2003's `.train`, `.testa`, `.testb`: one token a line with its entity tag last.
    Conll,
    /// `.tsv`: WebAnno TSV 3 (INCEpTION's export).
    WebAnno,
    /// `.ann`: a brat standoff file, read with the `.txt` of the same name beside it.
    Brat,
    /// `.spacy`: a spaCy `DocBin`, read as bytes (never decoded as text).
    Spacy,
}

impl FileKind {
    /// The reader for `path`, by extension (case-insensitive); `None` for types stet skips.
    pub fn of(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" | "md" | "markdown" => Some(Self::Text),
            "html" | "htm" | "xhtml" => Some(Self::Html),
            "xml" => Some(Self::Xml),
            "jsonl" | "ndjson" => Some(Self::Jsonl),
            "json" => Some(Self::Json),
            // CoNLL-2003 ships as eng.train, eng.testa and eng.testb.
            "conll" | "conll2002" | "conll2003" | "iob" | "iob2" | "bio" | "bioes" | "bmes"
            | "train" | "testa" | "testb" => Some(Self::Conll),
            "tsv" => Some(Self::WebAnno),
            "ann" => Some(Self::Brat),
            "spacy" => Some(Self::Spacy),
            _ => None,
        }
    }
}

/// The extensions stet reads, for messages about skipped files.
pub const KNOWN_EXTENSIONS: &str = ".txt .md .html .htm .xml .jsonl .json .conll .iob .bio .bioes .tsv (WebAnno) .ann (brat) .spacy";

/// One article read from a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    /// The headline: one line, never empty.
    pub title: String,
    /// The text offsets count in, exactly as it will be stored.
    pub text: String,
    pub format: SourceFormat,
    /// Reader-specific facts (`news_code`, …); keys sorted on export.
    pub meta: Map<String, Value>,
    /// Spans that came with the article (JSONL only), already checked against `text`.
    pub spans: Vec<ArticleSpan>,
    /// The annotator a JSONL record names for its spans, if any.
    pub annotator: Option<String>,
    /// The 1-based line of the source file the article came from (JSONL), for errors.
    pub line: Option<usize>,
    /// The stet project a JSONL record was exported from, when the record says so: such a
    /// file is merged like that project, not imported as new tags.
    pub export: Option<ExportOrigin>,
    /// Links between the article's spans.
    pub relations: Vec<ArticleRelation>,
    /// What the reader could not hold and left out, one line each (brat's events, say),
    /// for the import to report.
    pub notes: Vec<String>,
    /// Labels the file's collection declares (brat's `annotation.conf`), with colours where
    /// it gives them (`visual.conf`), for `--add-labels`.
    pub declared_labels: Vec<DeclaredLabel>,
}

pub use crate::model::DeclaredLabel;

/// Where a record of a stet JSONL export came from: the project's uid and how far its
/// history had got (its operation log's last entry) when it was exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOrigin {
    pub project: String,
    pub revision: u64,
}

impl Article {
    /// An article with no spans or meta.
    pub fn new(title: String, text: String, format: SourceFormat) -> Self {
        Self {
            title,
            text,
            format,
            meta: Map::new(),
            spans: Vec::new(),
            annotator: None,
            line: None,
            export: None,
            relations: Vec::new(),
            notes: Vec::new(),
            declared_labels: Vec::new(),
        }
    }
}

/// A span read with an article: range checked against the text, label not yet checked
/// against a scheme (the store does that).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArticleSpan {
    pub range: CharRange,
    pub label: String,
    pub annotator: Option<String>,
    pub note: String,
    /// The span's uid in the project it was exported from (stet JSONL `"id"`).
    pub uid: Option<String>,
    /// The span's attribute values (checked against the scheme by the store).
    pub attributes: Attributes,
    /// Where the span came from, when the file says (a suggestion, say); imported otherwise.
    pub origin: Option<Origin>,
}

impl ArticleSpan {
    /// A span with its label and nothing else: no annotator, note, uid, attributes or
    /// origin of its own.
    pub fn new(range: CharRange, label: impl Into<String>) -> Self {
        Self {
            range,
            label: label.into(),
            annotator: None,
            note: String::new(),
            uid: None,
            attributes: Attributes::new(),
            origin: None,
        }
    }
}

impl Article {
    /// The text `range` covers, by code points (readers' tests check spans with it).
    #[cfg(test)]
    pub(crate) fn covered(&self, range: CharRange) -> String {
        self.text
            .chars()
            .skip(range.start)
            .take(range.end.saturating_sub(range.start))
            .collect()
    }

    /// Each span's label and covered text, in order (readers' tests).
    #[cfg(test)]
    pub(crate) fn labelled_texts(&self) -> Vec<(String, String)> {
        self.spans
            .iter()
            .map(|s| (s.label.clone(), self.covered(s.range)))
            .collect()
    }
}

/// A link read with an article: a relation kind from one of its spans to another (indices
/// into [`Article::spans`]); the kind is checked against a scheme by the store.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArticleRelation {
    pub kind: String,
    pub from: usize,
    pub to: usize,
    pub annotator: Option<String>,
    /// The relation's uid in the project it was exported from (stet JSONL `"id"`).
    pub uid: Option<String>,
}

/// Why a file could not be read. Displays as one line: `PATH: problem` or
/// `PATH:LINE: problem`.
#[derive(Debug)]
pub struct IngestError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub problem: Problem,
}

/// What was wrong with a file.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("no such file or folder")]
    Missing,
    #[error("cannot read: {0}")]
    Io(std::io::Error),
    #[error("the file is empty")]
    Empty,
    #[error("the file has no text, only white space")]
    Blank,
    #[error("looks like a binary file, not text ({0})")]
    Binary(&'static str),
    #[error(
        "is not text in any encoding stet detects (UTF-8, UTF-16 with BOM, or a single-byte legacy encoding)"
    )]
    Encoding,
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("{0}")]
    Record(String),
    #[error("the file has no visible text")]
    NoText,
}

impl IngestError {
    /// An error about the whole file.
    pub fn file(path: &Path, problem: Problem) -> Self {
        Self {
            path: path.to_owned(),
            line: None,
            problem,
        }
    }

    /// An error about one line of the file.
    pub fn at_line(path: &Path, line: usize, problem: Problem) -> Self {
        Self {
            path: path.to_owned(),
            line: Some(line),
            problem,
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.problem),
            None => write!(f, "{}: {}", self.path.display(), self.problem),
        }
    }
}

impl std::error::Error for IngestError {}

/// The longest title kept, in characters; longer ones are cut and end in "…".
const TITLE_MAX_CHARS: usize = 200;

/// Makes a one-line title: white space runs become one space, the ends are trimmed, and a
/// title longer than [`TITLE_MAX_CHARS`] is cut between characters (never inside a
/// character with its combining marks) and ends in "…". Empty when `line` has no text.
fn make_title(line: &str) -> String {
    use unicode_segmentation::UnicodeSegmentation;

    let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= TITLE_MAX_CHARS {
        return collapsed;
    }
    let mut title = String::new();
    let mut chars = 0;
    for grapheme in collapsed.graphemes(true) {
        let len = grapheme.chars().count();
        if chars + len > TITLE_MAX_CHARS - 1 {
            break;
        }
        title.push_str(grapheme);
        chars += len;
    }
    if title.is_empty() {
        // A single giant cluster (a letter with hundreds of marks) is cut between characters.
        title = collapsed.chars().take(TITLE_MAX_CHARS - 1).collect();
    }
    let mut title = title.trim_end().to_owned();
    title.push('…');
    title
}

/// The title made from the first line of `text` that has any, or `None` when none has.
fn first_line_title(text: &str) -> Option<String> {
    text.lines().map(make_title).find(|title| !title.is_empty())
}

/// Choices a reader takes from the user: which fields of a JSON record hold the text and
/// the labels when a file names them its own way (doccano projects often do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The record field holding the text, instead of `text`.
    pub text_field: Option<String>,
    /// The record field holding the spans, instead of `spans`/`entities`/`label`.
    pub label_field: Option<String>,
}

/// Reads the articles in one file, choosing the reader by extension ([`FileKind::of`]).
pub fn read_file(path: &Path, kind: FileKind) -> Result<Vec<Article>, IngestError> {
    read_file_with(path, kind, &ReadOptions::default())
}

/// [`read_file`] with the user's [`ReadOptions`].
pub fn read_file_with(
    path: &Path,
    kind: FileKind,
    options: &ReadOptions,
) -> Result<Vec<Article>, IngestError> {
    if kind == FileKind::Brat {
        return brat::read_pair(path);
    }
    let bytes = std::fs::read(path).map_err(|err| {
        let problem = if err.kind() == std::io::ErrorKind::NotFound {
            Problem::Missing
        } else {
            Problem::Io(err)
        };
        IngestError::file(path, problem)
    })?;
    if kind == FileKind::Spacy {
        return spacy::read_docbin(&bytes, path);
    }
    let text = decode_owned(bytes).map_err(|problem| IngestError::file(path, problem))?;
    read_decoded(text, kind, path, options)
}

/// Reads the articles in a file's bytes; `path` names the file in errors and decides
/// Markdown title handling.
pub fn read_bytes(bytes: &[u8], kind: FileKind, path: &Path) -> Result<Vec<Article>, IngestError> {
    if kind == FileKind::Spacy {
        return spacy::read_docbin(bytes, path);
    }
    let text = decode_text(bytes).map_err(|problem| IngestError::file(path, problem))?;
    read_decoded(text, kind, path, &ReadOptions::default())
}

fn read_decoded(
    text: String,
    kind: FileKind,
    path: &Path,
    options: &ReadOptions,
) -> Result<Vec<Article>, IngestError> {
    match kind {
        FileKind::Text => match sniff::sniff(&text) {
            sniff::Content::Article => Ok(vec![plain::read_text(text, path)?]),
            sniff::Content::Kind(kind) => read_decoded(text, kind, path, options),
            sniff::Content::Refused(why) => Err(IngestError::file(path, Problem::Record(why))),
        },
        FileKind::Html => Ok(vec![markup::read_html(&text, path)?]),
        FileKind::Xml => Ok(vec![markup::read_xml(&text, path)?]),
        FileKind::Jsonl => jsonl::read_jsonl(&text, path, options),
        FileKind::Json => labelstudio::read_json(&text, path, options),
        FileKind::Conll => conll::read_conll(&text, path),
        FileKind::WebAnno => webanno::read_tsv(&text, path),
        // Read from the pair on disk; bytes alone cannot hold both files.
        FileKind::Brat => Err(IngestError::file(
            path,
            Problem::Record("a brat .ann is read with the .txt beside it".into()),
        )),
        // Read from its bytes before any decoding; a DocBin is never text.
        FileKind::Spacy => Err(IngestError::file(
            path,
            Problem::Record("a spaCy DocBin is read from its bytes, not as text".into()),
        )),
    }
}
