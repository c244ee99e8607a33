//! Merging a colleague's project file into this one.
//!
//! Their documents are matched by uid (the text's hash) and missing ones are added whole.
//! Each of their annotators' spans joins that annotator's layer here. Spans are matched by
//! their uid, and each is compared three ways: the copy here, the copy there, and the version
//! last merged from that project (`merge_state`). A change on one side only is taken; a
//! change on both sides is a conflict, reported and left as it is here.
//!
//! A span's version is the first 128 bits of the SHA-256 of its document uid, start, end,
//! label, annotator and note (each length-prefixed), written as 32 hex digits. It is stored
//! in `merge_state`, so its definition is part of the project format.
//!
//! Where nothing was merged before (no `merge_state` row), the operation logs of both projects
//! serve as history: a copy that equals an earlier version of the other side's span is the
//! older one, and a span this project once had and removed is not brought back.
//!
//! A colleague's JSONL export that names its project (see [`crate::export::jsonl`]) merges
//! the same way ([`merge_export`]), with two differences: only the documents the file holds
//! are compared (a span missing from one of them was deleted there), and a file older than
//! one already merged from that project is refused, since it would undo their later work.
//!
//! Review data (verdicts, document review states) is not merged.

mod export;

pub use export::merge_export;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::ingest::{FileKind, IngestError, read_file};
use crate::model::{CharRange, LabelDef, Origin, Span, Timestamp};
use crate::store::{Access, Fingerprint, Project, SCHEMA_VERSION, StoreError};

/// What one side holds of a span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanContent {
    pub range: CharRange,
    pub label: String,
    pub annotator: String,
    pub note: String,
}

/// How the two copies of a span disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictKind {
    /// Changed here and there since the last merge, differently.
    BothChanged,
    /// Changed here since the last merge; deleted there.
    ChangedHereDeletedThere,
    /// Deleted here; changed there since the last merge (or never merged before).
    DeletedHereChangedThere,
    /// Never merged before, and the copies differ with no history to tell which is newer.
    DifferentUnmerged,
    /// Unchanged here, but their copy is a version this project had before and moved on
    /// from: a copy made before our change, or a change they reverted.
    OlderVersionThere,
    /// Their change would make the span a duplicate of another span here.
    WouldDuplicate,
}

/// One span the merge left alone because both sides changed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The document's title here.
    pub document: String,
    /// The document's id here.
    pub document_id: i64,
    pub span_uid: String,
    pub kind: ConflictKind,
    /// The copy here (`None`: deleted here).
    pub ours: Option<SpanContent>,
    /// The copy there (`None`: deleted there).
    pub theirs: Option<SpanContent>,
}

impl Conflict {
    /// The copy the conflict line is headed by: ours if it exists, else theirs.
    fn head(&self) -> Option<&SpanContent> {
        self.ours.as_ref().or(self.theirs.as_ref())
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(head) = self.head() else {
            return write!(f, "{:?}: span {}", self.document, self.span_uid);
        };
        write!(
            f,
            "{:?} · {} · {} {}: ",
            self.document, head.annotator, head.label, head.range
        )?;
        let side = |content: Option<&SpanContent>| match content {
            Some(content) => describe(content, &head.annotator),
            None => "deleted".to_owned(),
        };
        let ours = side(self.ours.as_ref());
        let theirs = side(self.theirs.as_ref());
        match self.kind {
            ConflictKind::BothChanged => {
                write!(f, "here changed to {ours}; there changed to {theirs}")
            }
            ConflictKind::ChangedHereDeletedThere => {
                write!(f, "here changed to {ours}; there deleted")
            }
            ConflictKind::DeletedHereChangedThere => {
                write!(f, "here deleted; there changed to {theirs}")
            }
            ConflictKind::DifferentUnmerged => write!(
                f,
                "here {ours}; there {theirs} (never merged before, no history says which is newer)"
            ),
            ConflictKind::OlderVersionThere => write!(
                f,
                "here {ours}; there {theirs}, a version this project had before (an old copy, or reverted there)"
            ),
            ConflictKind::WouldDuplicate => write!(
                f,
                "here {ours}; there changed to {theirs}, which another span here already is"
            ),
        }
    }
}

/// A copy of a span in words: `claim 10..24`, with the annotator if it differs from
/// `annotator` and the note if there is one.
fn describe(content: &SpanContent, annotator: &str) -> String {
    let mut words = format!("{} {}", content.label, content.range);
    if content.annotator != annotator {
        words.push_str(&format!(" by {}", content.annotator));
    }
    if !content.note.is_empty() {
        words.push_str(&format!(" (note {:?})", content.note));
    }
    words
}

/// What merging one file did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Their project file.
    pub source: PathBuf,
    /// Their project's uid, naming it in `merge_state`.
    pub source_uid: String,
    pub spans_added: usize,
    /// Spans they changed and we did not: their version taken.
    pub spans_updated: usize,
    /// Spans they deleted and we had not changed: deleted here.
    pub spans_deleted: usize,
    /// Spans the same on both sides.
    pub spans_unchanged: usize,
    /// Spans we changed or deleted and they did not: ours kept.
    pub spans_kept: usize,
    /// Document statuses of their annotators copied where this project had none.
    pub statuses_copied: usize,
    /// Labels their spans use that this project's scheme lacked, added with their colour
    /// (and hotkey, unless a label here already has it).
    pub labels_added: Vec<LabelDef>,
    /// Spans changed on both sides, left as they are here; in document order.
    pub conflicts: Vec<Conflict>,
    /// Their documents' ids here, in their order: those this merge added and those this
    /// project already had.
    pub documents_new: Vec<i64>,
    pub documents_matched: Vec<i64>,
}

impl MergeReport {
    /// How many documents the merge added.
    pub fn documents_added(&self) -> usize {
        self.documents_new.len()
    }

    /// Whether the merge changed this project's documents, spans, labels or statuses.
    pub fn changed(&self) -> bool {
        self.documents_added()
            + self.spans_added
            + self.spans_updated
            + self.spans_deleted
            + self.statuses_copied
            + self.labels_added.len()
            > 0
    }

    /// One line of counts: `1 document added; spans: 3 added, …; 0 conflicts`.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "{} added; spans: {} added, {} updated, {} deleted, {} unchanged, {} kept as changed here; {}; {} copied",
            count(self.documents_added(), "document"),
            self.spans_added,
            self.spans_updated,
            self.spans_deleted,
            self.spans_unchanged,
            self.spans_kept,
            count(self.conflicts.len(), "conflict"),
            count(self.statuses_copied, "status"),
        );
        if !self.labels_added.is_empty() {
            let labels: Vec<String> = self
                .labels_added
                .iter()
                .map(|l| format!("{} ({})", l.name, l.color))
                .collect();
            line.push_str(&format!("; labels added: {}", labels.join(", ")));
        }
        line
    }
}

/// `n thing` or `n things` (`status` → `statuses`).
fn count(n: usize, noun: &str) -> String {
    match (n, noun.ends_with('s')) {
        (1, _) => format!("1 {noun}"),
        (_, true) => format!("{n} {noun}es"),
        (_, false) => format!("{n} {noun}s"),
    }
}

/// Why a file could not be merged; the project merged into is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Their file could not be opened (not found, not a stet project, from a newer stet), or
    /// ours is read-only.
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{}: this is the project being merged into; merge a colleague's file", path.display())]
    SameFile { path: PathBuf },
    #[error(
        "{}: written by an older stet (project format {found}); open it once with this stet to upgrade it, then merge",
        path.display()
    )]
    TooOld { path: PathBuf, found: i64 },
    #[error("{}: {message}; nothing merged", path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error("{}: cannot merge: {source}; nothing merged", path.display())]
    Database {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{}: merged, but reading its labels again failed: {source}", path.display())]
    Reload { path: PathBuf, source: StoreError },
    #[error("{}:{line}: {message}; nothing merged", path.display())]
    Record {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{}: an older export of project {project} (revision {found}) than one merged before (revision {merged}); it would undo their later work, so nothing was merged: ask for a new export",
        path.display()
    )]
    OlderExport {
        path: PathBuf,
        project: String,
        found: u64,
        merged: u64,
    },
    #[error(
        "{}: not a stet JSONL export (its records name no \"project\"); import it with `stet import` instead",
        path.display()
    )]
    NotAnExport { path: PathBuf },
    /// Their JSONL file could not be read.
    #[error("{0}")]
    Read(#[from] IngestError),
}

/// Names the file a database error happened in.
trait At<T> {
    fn at(self, path: &Path) -> Result<T, MergeError>;
}

impl<T> At<T> for rusqlite::Result<T> {
    fn at(self, path: &Path) -> Result<T, MergeError> {
        self.map_err(|source| MergeError::Database {
            path: path.to_owned(),
            source,
        })
    }
}

/// Merges a colleague's project file, or their stet JSONL export (by its extension), into
/// `mine`. `by` is the person merging; an export's spans that name no annotator are theirs.
pub fn merge_file(mine: &mut Project, theirs: &Path, by: &str) -> Result<MergeReport, MergeError> {
    if FileKind::of(theirs) == Some(FileKind::Jsonl) {
        let articles = read_file(theirs, FileKind::Jsonl)?;
        merge_export(mine, theirs, articles, by, by)
    } else {
        merge_project(mine, theirs, by)
    }
}

/// Merges the project file `theirs` into `mine` in one transaction; `theirs` is only read.
pub fn merge_project(
    mine: &mut Project,
    theirs: &Path,
    by: &str,
) -> Result<MergeReport, MergeError> {
    // `by` is the person merging, whom the operation log names.
    let mine_path = mine.path().to_owned();
    if mine.is_read_only() {
        return Err(StoreError::ReadOnly { path: mine_path }.into());
    }
    if let (Ok(a), Ok(b)) = (mine_path.canonicalize(), theirs.canonicalize())
        && a == b
    {
        return Err(MergeError::SameFile {
            path: theirs.to_owned(),
        });
    }
    let source = Project::open(theirs, Access::ReadOnly)?;
    check_format(source.connection(), theirs)?;
    let report = with_merge_cache(mine.connection(), &mine_path, |conn| {
        merge_connections(conn, source.connection(), &mine_path, theirs, by)
    })?;
    if !report.labels_added.is_empty() {
        // The project caches its label ids: read them again so that it knows the new ones.
        mine.load_ids().map_err(|source| MergeError::Reload {
            path: mine_path.clone(),
            source,
        })?;
    }
    Ok(report)
}

/// The page cache a merge may use here, in SQLite's negative-KiB form (512 MiB). Their
/// file is read in order and needs no more than the default.
const MERGE_CACHE_KIB: i64 = -524_288;

/// Runs `merge` with a bigger page cache on `conn`. A big merge inserts into indexes keyed
/// by random uids: with SQLite's default 2 MB page cache it would spend its time spilling
/// and re-reading pages. The cache grows only as needed, and is put back afterwards.
fn with_merge_cache<T>(
    conn: &Connection,
    path: &Path,
    merge: impl FnOnce(&Connection) -> Result<T, MergeError>,
) -> Result<T, MergeError> {
    let cache: i64 = conn
        .pragma_query_value(None, "cache_size", |r| r.get(0))
        .at(path)?;
    conn.pragma_update(None, "cache_size", MERGE_CACHE_KIB)
        .at(path)?;
    let result = merge(conn);
    if let Err(err) = conn.pragma_update(None, "cache_size", cache) {
        tracing::warn!(
            "{}: cannot restore the page cache size: {err}",
            path.display()
        );
    }
    result
}

/// The merge proper, in one transaction on `mine` and one read transaction on `source`.
fn merge_connections(
    mine: &Connection,
    source: &Connection,
    mine_path: &Path,
    theirs: &Path,
    by: &str,
) -> Result<MergeReport, MergeError> {
    // A read transaction gives one consistent snapshot of their file, even if their app is
    // writing to it meanwhile.
    let read = Transaction::new_unchecked(source, TransactionBehavior::Deferred).at(theirs)?;
    let tx = Transaction::new_unchecked(mine, TransactionBehavior::Immediate).at(mine_path)?;
    let their = Theirs::load(&read, theirs)?;
    let mut merger = Merger::new(&tx, mine_path, theirs, &their)?;
    merger.run(by)?;
    let report = merger.report;
    tx.commit().at(mine_path)?;
    Ok(report)
}

/// Refuses a file whose format is older than this stet's (a read-only file cannot be
/// upgraded), or an SQLite file with no project in it.
fn check_format(conn: &Connection, path: &Path) -> Result<(), MergeError> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .at(path)?;
    if version == 0 {
        return Err(StoreError::NotAProject {
            path: path.to_owned(),
            reason: "an empty database".into(),
        }
        .into());
    }
    if version < SCHEMA_VERSION {
        return Err(MergeError::TooOld {
            path: path.to_owned(),
            found: version,
        });
    }
    Ok(())
}

/// A span's version: the first 128 bits of the SHA-256 of its length-prefixed fields.
fn version_of(doc_uid: &str, range: CharRange, label: &str, annotator: &str, note: &str) -> u128 {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(doc_uid.as_bytes());
    field(&(range.start as u64).to_le_bytes());
    field(&(range.end as u64).to_le_bytes());
    field(label.as_bytes());
    field(annotator.as_bytes());
    field(note.as_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(first)
}

/// A version as stored: 32 lowercase hex digits.
fn version_hex(version: u128) -> String {
    format!("{version:032x}")
}

/// Reads a stored version; anything unreadable matches no version.
fn parse_version(text: &str) -> Option<u128> {
    (text.len() == 32)
        .then(|| u128::from_str_radix(text, 16).ok())
        .flatten()
}

/// The merge's in-memory maps, keyed by uids and ids, with a fast hasher.
type Map<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// The merge's in-memory sets.
type Set<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// FxHash's word-at-a-time mixing: several times faster than the default SipHash on the
/// merge's million uid and id keys. It does not resist crafted collisions, which a project
/// file from a colleague has no reason to contain.
#[derive(Clone, Copy, Default)]
struct FastHasher(u64);

impl FastHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The table picks buckets from the low bits and tags from the high ones: fold the
        // well-mixed high bits down too.
        self.0.rotate_left(26)
    }
}

/// Every version each span had in a project, as its operation log tells.
#[derive(Default)]
struct History {
    versions: Map<String, Vec<u128>>,
}

impl History {
    /// Reads the span edits and merges of a project's log; `doc_uids` maps its document ids
    /// to uids. Entries that do not parse are skipped: history only settles cases that would
    /// otherwise be conflicts.
    fn load(conn: &Connection, doc_uids: &Map<i64, &str>) -> rusqlite::Result<Self> {
        let mut history = Self::default();
        let mut stmt = conn.prepare(
            "SELECT kind, payload_json FROM ops
             WHERE kind IN ('add_span', 'delete_span', 'edit_span', 'review', 'merge')",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let kind: String = row.get(0)?;
            let payload: String = row.get(1)?;
            let Ok(value) = serde_json::from_str::<Value>(&payload) else {
                continue;
            };
            if kind == "merge" {
                history.add_merge(&value);
                continue;
            }
            // A batch (a review step, or a deletion with its verdicts) holds several changes;
            // only span payloads read as spans.
            let changes = match value.get("changes").and_then(Value::as_array) {
                Some(changes) => changes.iter().collect(),
                None => vec![&value],
            };
            let spans = changes
                .into_iter()
                .flat_map(|change| ["span", "before", "after"].map(|key| change.get(key)))
                .flatten();
            for span in spans {
                let Ok(span) = Span::deserialize(span) else {
                    continue;
                };
                let Some(doc_uid) = doc_uids.get(&span.document_id) else {
                    continue;
                };
                let version = version_of(
                    doc_uid,
                    span.range,
                    &span.label,
                    &span.annotator,
                    &span.note,
                );
                history.push(span.uid, version);
            }
        }
        Ok(history)
    }

    /// Takes the versions a merge replaced or deleted (`"history": [[uid, version], …]`).
    fn add_merge(&mut self, payload: &Value) {
        let Some(entries) = payload.get("history").and_then(Value::as_array) else {
            return;
        };
        for entry in entries {
            if let (Some(uid), Some(version)) = (
                entry.get(0).and_then(Value::as_str),
                entry.get(1).and_then(Value::as_str).and_then(parse_version),
            ) {
                self.push(uid.to_owned(), version);
            }
        }
    }

    fn push(&mut self, uid: String, version: u128) {
        let versions = self.versions.entry(uid).or_default();
        if !versions.contains(&version) {
            versions.push(version);
        }
    }

    /// Whether the project's log mentions the span at all (it had it at some point).
    fn mentions(&self, uid: &str) -> bool {
        self.versions.contains_key(uid)
    }

    /// Whether the span had this version at some point.
    fn had(&self, uid: &str, version: u128) -> bool {
        self.versions
            .get(uid)
            .is_some_and(|versions| versions.contains(&version))
    }
}

/// A document of theirs, without its text.
struct TheirDoc {
    uid: String,
    title: String,
    source: String,
    format: String,
    meta_json: String,
    id: i64,
}

/// A span of theirs.
struct TheirSpan {
    uid: String,
    /// Index into [`Theirs::docs`].
    doc: usize,
    range: CharRange,
    label: i64,
    annotator: i64,
    note: String,
    origin: Origin,
    created_at: i64,
    updated_at: i64,
    version: u128,
}

/// Their side: everything the merge compares, read from their project file or export.
struct Theirs<'c> {
    uid: String,
    docs: Vec<TheirDoc>,
    labels: Map<i64, LabelDef>,
    annotators: Map<i64, String>,
    spans: Vec<TheirSpan>,
    /// Document index, annotator id, status, updated at.
    statuses: Vec<(usize, i64, String, i64)>,
    kind: TheirKind<'c>,
}

/// What their side is, which decides what it can tell.
enum TheirKind<'c> {
    /// A project file: whole, with a log that tells which versions each span had. Texts are
    /// read from it only for documents new here.
    Project {
        conn: &'c Connection,
        history: History,
    },
    /// A JSONL export: it holds its documents' texts (hashed as read) and speaks only for
    /// those documents. It has no log, so a span merged from it before and missing now was
    /// deleted there (older exports are refused by revision), and it names only the
    /// annotators who still have spans in it.
    Export { texts: Vec<(String, Fingerprint)> },
}

impl TheirKind<'_> {
    /// Their log, if they have one.
    fn history(&self) -> Option<&History> {
        match self {
            Self::Project { history, .. } => Some(history),
            Self::Export { .. } => None,
        }
    }

    fn is_export(&self) -> bool {
        matches!(self, Self::Export { .. })
    }
}

impl<'c> Theirs<'c> {
    /// Reads their project inside the caller's read transaction.
    fn load(conn: &'c Connection, path: &Path) -> Result<Self, MergeError> {
        let corrupt = |message: String| MergeError::Corrupt {
            path: path.to_owned(),
            message,
        };
        let uid: String = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'project_uid'",
                [],
                |r| r.get(0),
            )
            .optional()
            .at(path)?
            .ok_or_else(|| corrupt("the project has no uid".into()))?;
        let docs = conn
            .prepare("SELECT id, uid, title, source, format, meta_json FROM documents ORDER BY id")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| {
                    Ok(TheirDoc {
                        id: r.get(0)?,
                        uid: r.get(1)?,
                        title: r.get(2)?,
                        source: r.get(3)?,
                        format: r.get(4)?,
                        meta_json: r.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .at(path)?;
        let doc_index: Map<i64, usize> = docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
        let labels: Map<i64, LabelDef> = conn
            .prepare("SELECT id, name, color, hotkey, description FROM labels")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        LabelDef {
                            name: r.get(1)?,
                            color: r.get(2)?,
                            hotkey: r.get(3)?,
                            description: r.get(4)?,
                        },
                    ))
                })?
                .collect()
            })
            .at(path)?;
        let annotators: Map<i64, String> = conn
            .prepare("SELECT id, name FROM annotators")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .at(path)?;

        let mut spans = Vec::new();
        let mut stmt = conn
            .prepare(
                "SELECT uid, document_id, start, \"end\", label_id, annotator_id, note, origin,
                        created_at, updated_at
                 FROM spans ORDER BY id",
            )
            .at(path)?;
        let mut rows = stmt.query([]).at(path)?;
        while let Some(row) = rows.next().at(path)? {
            let read = || -> rusqlite::Result<_> {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, String>(6)?,
                    Origin::parse(row.get_ref(7)?.as_str()?),
                    row.get::<_, i64>(8)?,
                    row.get::<_, i64>(9)?,
                ))
            };
            let (uid, doc_id, start, end, label, annotator, note, origin, created, updated) =
                read().at(path)?;
            let doc = *doc_index
                .get(&doc_id)
                .ok_or_else(|| corrupt(format!("span {uid} has no document")))?;
            let (Some(label_def), Some(annotator_name)) =
                (labels.get(&label), annotators.get(&annotator))
            else {
                return Err(corrupt(format!("span {uid} has no label or annotator")));
            };
            let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
                return Err(corrupt(format!("span {uid} has a negative offset")));
            };
            let range = CharRange::new(start, end);
            let version = version_of(
                &docs[doc].uid,
                range,
                &label_def.name,
                annotator_name,
                &note,
            );
            spans.push(TheirSpan {
                uid,
                doc,
                range,
                label,
                annotator,
                note,
                origin,
                created_at: created,
                updated_at: updated,
                version,
            });
        }
        drop(rows);
        drop(stmt);

        let statuses = conn
            .prepare(
                "SELECT document_id, annotator_id, status, updated_at FROM document_status
                 ORDER BY document_id, annotator_id",
            )
            .and_then(|mut stmt| {
                stmt.query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .at(path)?
            .into_iter()
            .filter_map(|(doc, annotator, status, at)| {
                Some((*doc_index.get(&doc)?, annotator, status, at))
            })
            .collect();
        let doc_uids: Map<i64, &str> = docs.iter().map(|d| (d.id, d.uid.as_str())).collect();
        let history = History::load(conn, &doc_uids).at(path)?;
        Ok(Self {
            uid,
            docs,
            labels,
            annotators,
            spans,
            statuses,
            kind: TheirKind::Project { conn, history },
        })
    }
}

/// A span here.
struct LocalSpan {
    id: i64,
    doc: i64,
    range: CharRange,
    label: i64,
    annotator: i64,
    note: String,
    version: u128,
}

/// What identifies a span for duplicates: document, range, label and annotator (ids here).
type ContentKey = (i64, usize, usize, i64, i64);

/// One document here.
struct LocalDoc {
    id: i64,
    len: usize,
}

/// The merge of one file, inside this project's transaction.
struct Merger<'a> {
    tx: &'a Connection,
    mine_path: &'a Path,
    their_path: &'a Path,
    their: &'a Theirs<'a>,
    now: i64,
    docs: Map<String, LocalDoc>,
    titles: Map<i64, String>,
    /// Their document index → document here (filled by [`Merger::add_documents`]).
    doc_map: Vec<Option<(i64, usize)>>,
    labels: Map<String, i64>,
    label_names: Map<i64, String>,
    hotkeys: Set<String>,
    next_position: i64,
    annotators: Map<String, i64>,
    annotator_names: Map<i64, String>,
    /// Their label ids → ours, for the labels both have (and those added).
    their_label_ids: Map<i64, i64>,
    /// Their annotator ids → ours, likewise.
    their_annotator_ids: Map<i64, i64>,
    history: History,
    /// Versions this merge replaced or deleted, for the log (and later merges' history).
    replaced: Vec<(String, u128)>,
    report: MergeReport,
}

impl<'a> Merger<'a> {
    /// Reads this project's documents, labels, annotators and history.
    fn new(
        tx: &'a Connection,
        mine_path: &'a Path,
        their_path: &'a Path,
        their: &'a Theirs<'a>,
    ) -> Result<Self, MergeError> {
        let mut docs = Map::default();
        let mut titles = Map::default();
        {
            let mut stmt = tx
                .prepare("SELECT id, uid, title, len_chars FROM documents")
                .at(mine_path)?;
            let mut rows = stmt.query([]).at(mine_path)?;
            while let Some(row) = rows.next().at(mine_path)? {
                let id: i64 = row.get(0).at(mine_path)?;
                let uid: String = row.get(1).at(mine_path)?;
                let len: i64 = row.get(3).at(mine_path)?;
                titles.insert(id, row.get(2).at(mine_path)?);
                docs.insert(
                    uid,
                    LocalDoc {
                        id,
                        len: usize::try_from(len).unwrap_or(0),
                    },
                );
            }
        }
        let mut labels = Map::default();
        let mut label_names = Map::default();
        let mut hotkeys = Set::default();
        let mut next_position = 0;
        {
            let mut stmt = tx
                .prepare("SELECT id, name, hotkey, position FROM labels")
                .at(mine_path)?;
            let mut rows = stmt.query([]).at(mine_path)?;
            while let Some(row) = rows.next().at(mine_path)? {
                let id: i64 = row.get(0).at(mine_path)?;
                let name: String = row.get(1).at(mine_path)?;
                let hotkey: Option<String> = row.get(2).at(mine_path)?;
                let position: i64 = row.get(3).at(mine_path)?;
                labels.insert(name.clone(), id);
                label_names.insert(id, name);
                if let Some(key) = hotkey {
                    hotkeys.insert(key.to_lowercase());
                }
                next_position = next_position.max(position + 1);
            }
        }
        let annotators: Map<String, i64> = tx
            .prepare("SELECT name, id FROM annotators")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .at(mine_path)?;
        let annotator_names = annotators
            .iter()
            .map(|(name, id)| (*id, name.clone()))
            .collect();
        let doc_uids: Map<i64, &str> = docs
            .iter()
            .map(|(uid, doc)| (doc.id, uid.as_str()))
            .collect();
        let history = History::load(tx, &doc_uids).at(mine_path)?;
        let their_label_ids = their
            .labels
            .iter()
            .filter_map(|(id, def)| Some((*id, *labels.get(&def.name)?)))
            .collect();
        let their_annotator_ids = their
            .annotators
            .iter()
            .filter_map(|(id, name)| Some((*id, *annotators.get(name)?)))
            .collect();
        Ok(Self {
            tx,
            mine_path,
            their_path,
            their,
            now: Timestamp::now().0,
            docs,
            titles,
            doc_map: vec![None; their.docs.len()],
            labels,
            label_names,
            hotkeys,
            next_position,
            annotators,
            annotator_names,
            their_label_ids,
            their_annotator_ids,
            history,
            replaced: Vec::new(),
            report: MergeReport {
                source: their_path.to_owned(),
                source_uid: their.uid.clone(),
                ..MergeReport::default()
            },
        })
    }

    fn corrupt(&self, message: String) -> MergeError {
        MergeError::Corrupt {
            path: self.their_path.to_owned(),
            message,
        }
    }

    /// The whole merge: documents, spans, statuses, and the log entry.
    fn run(&mut self, by: &str) -> Result<(), MergeError> {
        self.add_documents()?;
        self.merge_spans()?;
        self.copy_statuses()?;
        self.report.conflicts.sort_by(|a, b| {
            let key = |c: &Conflict| {
                let head = c
                    .head()
                    .map(|h| (h.range.start, h.range.end, h.annotator.clone()));
                (c.document_id, head, c.span_uid.clone())
            };
            key(a).cmp(&key(b))
        });
        if self.report.changed() {
            self.log(by)?;
        }
        Ok(())
    }

    /// Adds their documents this project lacks, checking each text from a project file
    /// against its uid.
    fn add_documents(&mut self) -> Result<(), MergeError> {
        let their = self.their;
        let mut insert = self
            .tx
            .prepare(
                "INSERT INTO documents(uid, title, source, format, len_chars, sha256,
                                       meta_json, imported_at, text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .at(self.mine_path)?;
        for (index, doc) in their.docs.iter().enumerate() {
            if let Some(local) = self.docs.get(&doc.uid) {
                self.doc_map[index] = Some((local.id, local.len));
                self.report.documents_matched.push(local.id);
                continue;
            }
            let read;
            let (text, fingerprint) = match &their.kind {
                TheirKind::Export { texts } => {
                    let (text, fingerprint) = texts.get(index).ok_or_else(|| {
                        self.corrupt(format!("document {:?} has no text", doc.title))
                    })?;
                    (text, fingerprint)
                }
                TheirKind::Project { conn, .. } => {
                    let text: String = conn
                        .prepare_cached("SELECT text FROM documents WHERE id = ?1")
                        .and_then(|mut stmt| stmt.query_row([doc.id], |r| r.get(0)))
                        .at(self.their_path)?;
                    let fingerprint = Fingerprint::of(&text);
                    if fingerprint.uid != doc.uid {
                        return Err(self.corrupt(format!(
                            "document {:?}: its text does not match its uid",
                            doc.title
                        )));
                    }
                    read = (text, fingerprint);
                    (&read.0, &read.1)
                }
            };
            insert
                .execute(params![
                    doc.uid,
                    doc.title,
                    doc.source,
                    doc.format,
                    fingerprint.len_chars as i64,
                    fingerprint.sha256,
                    doc.meta_json,
                    self.now,
                    text
                ])
                .at(self.mine_path)?;
            let id = self.tx.last_insert_rowid();
            self.docs.insert(
                doc.uid.clone(),
                LocalDoc {
                    id,
                    len: fingerprint.len_chars,
                },
            );
            self.titles.insert(id, doc.title.clone());
            self.doc_map[index] = Some((id, fingerprint.len_chars));
            self.report.documents_new.push(id);
        }
        Ok(())
    }

    /// Indexes this project's spans that can be copies of theirs: by uid those whose uid
    /// `keyed` names, the others by duplicate key.
    ///
    /// Only spans of annotators their project knows are read: a span's annotator never
    /// changes here except to take theirs in a merge, so a span shared with them, or one
    /// equal to one of theirs, is always by one of their annotators. Merging a colleague's
    /// file thus never reads our own layer.
    fn local_index(&self, keyed: &dyn Fn(&str) -> bool) -> Result<LocalIndex, MergeError> {
        let doc_uids: Map<i64, &str> = self
            .docs
            .iter()
            .map(|(uid, doc)| (doc.id, uid.as_str()))
            .collect();
        let ids: Vec<String> = self
            .their_annotator_ids
            .values()
            .map(|id| id.to_string())
            .collect();
        // An export names only the annotators who still have spans in it: one who deleted
        // all of theirs would be missed, so every layer is read.
        let which = if self.their.kind.is_export() {
            String::new()
        } else {
            format!("WHERE annotator_id IN ({})", ids.join(", "))
        };
        let mut stmt = self
            .tx
            .prepare(&format!(
                "SELECT id, uid, document_id, start, \"end\", label_id, annotator_id, note
                 FROM spans {which}"
            ))
            .at(self.mine_path)?;
        let mut rows = stmt.query([]).at(self.mine_path)?;
        let mut index = LocalIndex::default();
        while let Some(row) = rows.next().at(self.mine_path)? {
            let read = || -> rusqlite::Result<_> {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get_ref(1)?.as_str()?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, i64>(6)?,
                    row.get::<_, String>(7)?,
                ))
            };
            let (id, uid, doc, start, end, label, annotator, note) = read().at(self.mine_path)?;
            let range = CharRange::new(
                usize::try_from(start).unwrap_or(0),
                usize::try_from(end).unwrap_or(0),
            );
            let version = version_of(
                doc_uids.get(&doc).copied().unwrap_or(""),
                range,
                self.label_names.get(&label).map_or("", String::as_str),
                self.annotator_names
                    .get(&annotator)
                    .map_or("", String::as_str),
                &note,
            );
            let i = index.spans.len();
            if keyed(uid) {
                index.by_uid.insert(uid.to_owned(), i);
                index.claimed.push(true);
            } else {
                index
                    .by_content
                    .entry((doc, range.start, range.end, label, annotator))
                    .or_default()
                    .push(i);
                index.claimed.push(false);
            }
            index.spans.push(LocalSpan {
                id,
                doc,
                range,
                label,
                annotator,
                note,
                version,
            });
        }
        Ok(index)
    }

    /// The three-way comparison of every span they have or we last merged from them.
    fn merge_spans(&mut self) -> Result<(), MergeError> {
        let base: Map<String, u128> = self
            .tx
            .prepare("SELECT span_uid, version FROM merge_state WHERE source_uid = ?1")
            .and_then(|mut stmt| {
                stmt.query_map([&self.their.uid], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .at(self.mine_path)?
            .into_iter()
            // An unreadable stored version matches nothing, so both sides count as changed.
            .map(|(uid, v)| (uid, parse_version(&v).unwrap_or(0)))
            .collect();
        let their_uids: Set<&str> = self.their.spans.iter().map(|s| s.uid.as_str()).collect();
        let mut index =
            self.local_index(&|uid| their_uids.contains(uid) || base.contains_key(uid))?;

        let mut writer = Writer::new(self.tx).at(self.mine_path)?;
        let their = self.their;
        for t in &their.spans {
            let b = base.get(&t.uid).copied();
            self.merge_one(&mut writer, &mut index, &t.uid, b, Some(t))?;
        }
        // An export speaks only for the documents it holds.
        let present: Option<Set<i64>> = their
            .kind
            .is_export()
            .then(|| self.doc_map.iter().flatten().map(|(id, _)| *id).collect());
        let in_scope = |uid: &str| match &present {
            None => true,
            Some(present) => index
                .by_uid
                .get(uid)
                .is_some_and(|&i| present.contains(&index.spans[i].doc)),
        };
        let mut gone: Vec<(&String, u128)> = base
            .iter()
            .filter(|(uid, _)| !their_uids.contains(uid.as_str()) && in_scope(uid))
            .map(|(uid, v)| (uid, *v))
            .collect();
        gone.sort();
        for (uid, b) in gone {
            self.merge_one(&mut writer, &mut index, uid, Some(b), None)?;
        }
        writer.flush(&self.their.uid).at(self.mine_path)
    }

    /// Decides and applies one span: `uid` with base version `b`, their copy `t`.
    fn merge_one(
        &mut self,
        writer: &mut Writer<'_, 'a>,
        index: &mut LocalIndex,
        uid: &str,
        b: Option<u128>,
        t: Option<&'a TheirSpan>,
    ) -> Result<(), MergeError> {
        // Their copy with its duplicate key and its document here (checked to hold it).
        let t = match t {
            Some(t) => {
                let key = self.content_key(t)?;
                let (_, (_, len)) = key;
                if t.range.validate(len).is_err() {
                    return Err(self.corrupt(format!(
                        "span {uid} ({} {}) runs past the end of document {:?}",
                        self.their
                            .labels
                            .get(&t.label)
                            .map_or("", |l| l.name.as_str()),
                        t.range,
                        self.their.docs.get(t.doc).map_or("", |d| d.title.as_str())
                    )));
                }
                Some((t, key))
            }
            None => None,
        };
        let o = index
            .by_uid
            .get(uid)
            .copied()
            .or_else(|| b.and_then(|b| index.take_version(b)))
            .or_else(|| {
                // A copy of the same tag with another uid (from a JSONL import, say).
                let (_, (key, _)) = t?;
                index.take_content(&key?)
            });
        let mine_path = self.mine_path;
        match (o, t) {
            (Some(o), Some((t, (key, doc)))) => {
                let ours = &index.spans[o];
                if ours.version == t.version {
                    self.report.spans_unchanged += 1;
                    if b != Some(t.version) {
                        writer.set_base(uid, t.version);
                    }
                } else if b == Some(ours.version)
                    || (b.is_none()
                        && (self.their.kind.history()).is_some_and(|h| h.had(uid, ours.version)))
                {
                    // Theirs changed, ours did not.
                    if b.is_some() && self.history.had(uid, t.version) {
                        self.conflict(
                            ConflictKind::OlderVersionThere,
                            uid,
                            Some(o),
                            index,
                            Some(t),
                        );
                    } else if key.is_some_and(|key| index.has_other(&key, o)) {
                        self.conflict(ConflictKind::WouldDuplicate, uid, Some(o), index, Some(t));
                    } else {
                        let (label, annotator) = self.ids_for(t)?;
                        writer
                            .update(ours.id, doc.0, t, label, annotator)
                            .at(mine_path)?;
                        self.replaced.push((uid.to_owned(), ours.version));
                        writer.set_base(uid, t.version);
                        self.report.spans_updated += 1;
                    }
                } else if b == Some(t.version) {
                    // Ours changed, theirs did not.
                    self.report.spans_kept += 1;
                } else if b.is_none() && self.history.had(uid, t.version) {
                    self.report.spans_kept += 1;
                    writer.set_base(uid, t.version);
                } else {
                    let kind = if b.is_some() {
                        ConflictKind::BothChanged
                    } else {
                        ConflictKind::DifferentUnmerged
                    };
                    self.conflict(kind, uid, Some(o), index, Some(t));
                }
            }
            (None, Some((t, (_, (doc, _))))) => {
                if let Some(b) = b {
                    // We had it from them and deleted it.
                    if b == t.version {
                        self.report.spans_kept += 1;
                    } else {
                        self.conflict(
                            ConflictKind::DeletedHereChangedThere,
                            uid,
                            None,
                            index,
                            Some(t),
                        );
                    }
                } else if self.history.mentions(uid) {
                    // We had it (from them or by our own hand) and removed it.
                    if self.history.had(uid, t.version) {
                        self.report.spans_kept += 1;
                        writer.set_base(uid, t.version);
                    } else {
                        self.conflict(
                            ConflictKind::DeletedHereChangedThere,
                            uid,
                            None,
                            index,
                            Some(t),
                        );
                    }
                } else {
                    let (label, annotator) = self.ids_for(t)?;
                    writer.insert(t, doc, label, annotator);
                    writer.set_base(uid, t.version);
                    self.report.spans_added += 1;
                }
            }
            (Some(o), None) => {
                let ours = &index.spans[o];
                if (self.their.kind.history()).is_some_and(|h| !h.mentions(uid)) {
                    // Their file never had it: a copy of an older state of their project,
                    // not a deletion there. (An export has no log; older exports are
                    // refused by revision instead.)
                    self.report.spans_kept += 1;
                } else if b == Some(ours.version) {
                    writer.delete(ours.id).at(mine_path)?;
                    self.replaced.push((uid.to_owned(), ours.version));
                    writer.remove_base(uid);
                    self.report.spans_deleted += 1;
                } else {
                    self.conflict(
                        ConflictKind::ChangedHereDeletedThere,
                        uid,
                        Some(o),
                        index,
                        None,
                    );
                }
            }
            (None, None) => {
                // Deleted on both sides: forget it.
                writer.remove_base(uid);
            }
        }
        Ok(())
    }

    /// Their span's duplicate key here (if its label and annotator exist here), and its
    /// document here with the document's length.
    fn content_key(&self, t: &TheirSpan) -> Result<(Option<ContentKey>, (i64, usize)), MergeError> {
        let (doc, len) = self
            .doc_map
            .get(t.doc)
            .copied()
            .flatten()
            .ok_or_else(|| self.corrupt(format!("span {} has no document", t.uid)))?;
        let label = self.their_label_ids.get(&t.label);
        let annotator = self.their_annotator_ids.get(&t.annotator);
        let key = match (label, annotator) {
            (Some(&label), Some(&annotator)) => {
                Some((doc, t.range.start, t.range.end, label, annotator))
            }
            _ => None,
        };
        Ok((key, (doc, len)))
    }

    /// The label and annotator ids here for their span, adding whichever is missing.
    fn ids_for(&mut self, t: &TheirSpan) -> Result<(i64, i64), MergeError> {
        if let (Some(&label), Some(&annotator)) = (
            self.their_label_ids.get(&t.label),
            self.their_annotator_ids.get(&t.annotator),
        ) {
            return Ok((label, annotator));
        }
        let their = self.their;
        let (Some(label), Some(annotator)) = (
            their.labels.get(&t.label),
            their.annotators.get(&t.annotator),
        ) else {
            return Err(self.corrupt(format!("span {} has no label or annotator", t.uid)));
        };
        let label = self.label_id(label)?;
        let annotator = self.annotator_id(annotator)?;
        self.their_label_ids.insert(t.label, label);
        self.their_annotator_ids.insert(t.annotator, annotator);
        Ok((label, annotator))
    }

    /// The label's id here, adding it (with their colour and description) if missing.
    fn label_id(&mut self, def: &LabelDef) -> Result<i64, MergeError> {
        if let Some(&id) = self.labels.get(&def.name) {
            return Ok(id);
        }
        let hotkey = def
            .hotkey
            .clone()
            .filter(|key| !self.hotkeys.contains(&key.to_lowercase()));
        let color = def.rgb().to_string();
        self.tx
            .execute(
                "INSERT INTO labels(name, color, hotkey, description, position)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![def.name, color, hotkey, def.description, self.next_position],
            )
            .at(self.mine_path)?;
        let id = self.tx.last_insert_rowid();
        self.next_position += 1;
        if let Some(key) = &hotkey {
            self.hotkeys.insert(key.to_lowercase());
        }
        self.labels.insert(def.name.clone(), id);
        self.label_names.insert(id, def.name.clone());
        self.report.labels_added.push(LabelDef {
            name: def.name.clone(),
            color,
            hotkey,
            description: def.description.clone(),
        });
        Ok(id)
    }

    /// The annotator's id here, adding the annotator if new.
    fn annotator_id(&mut self, name: &str) -> Result<i64, MergeError> {
        if let Some(&id) = self.annotators.get(name) {
            return Ok(id);
        }
        let id = self
            .tx
            .execute(
                "INSERT INTO annotators(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
                [name],
            )
            .and_then(|_| {
                self.tx
                    .query_row("SELECT id FROM annotators WHERE name = ?1", [name], |r| {
                        r.get(0)
                    })
            })
            .at(self.mine_path)?;
        self.annotators.insert(name.to_owned(), id);
        self.annotator_names.insert(id, name.to_owned());
        Ok(id)
    }

    /// Records a conflict; nothing is written.
    fn conflict(
        &mut self,
        kind: ConflictKind,
        uid: &str,
        o: Option<usize>,
        index: &LocalIndex,
        t: Option<&TheirSpan>,
    ) {
        let ours = o.map(|o| {
            let span = &index.spans[o];
            SpanContent {
                range: span.range,
                label: self
                    .label_names
                    .get(&span.label)
                    .cloned()
                    .unwrap_or_default(),
                annotator: self
                    .annotator_names
                    .get(&span.annotator)
                    .cloned()
                    .unwrap_or_default(),
                note: span.note.clone(),
            }
        });
        let theirs = t.map(|t| SpanContent {
            range: t.range,
            label: self
                .their
                .labels
                .get(&t.label)
                .map(|l| l.name.clone())
                .unwrap_or_default(),
            annotator: self
                .their
                .annotators
                .get(&t.annotator)
                .cloned()
                .unwrap_or_default(),
            note: t.note.clone(),
        });
        let document_id = match (o, t) {
            (Some(o), _) => index.spans[o].doc,
            (None, Some(t)) => self
                .doc_map
                .get(t.doc)
                .copied()
                .flatten()
                .map_or(0, |d| d.0),
            (None, None) => 0,
        };
        self.report.conflicts.push(Conflict {
            document: self.titles.get(&document_id).cloned().unwrap_or_default(),
            document_id,
            span_uid: uid.to_owned(),
            kind,
            ours,
            theirs,
        });
    }

    /// Copies their annotators' statuses where this project has none.
    fn copy_statuses(&mut self) -> Result<(), MergeError> {
        let their = self.their;
        for (doc, annotator, status, at) in &their.statuses {
            let Some((doc, _)) = self.doc_map.get(*doc).copied().flatten() else {
                continue;
            };
            let Some(name) = their.annotators.get(annotator) else {
                continue;
            };
            let annotator = self.annotator_id(name)?;
            let copied = self
                .tx
                .prepare_cached(
                    "INSERT INTO document_status(document_id, annotator_id, status, updated_at)
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                )
                .and_then(|mut stmt| stmt.execute(params![doc, annotator, status, at]))
                .at(self.mine_path)?;
            self.report.statuses_copied += copied;
        }
        Ok(())
    }

    /// Records the merge in the operation log (final: for the audit trail, not undoable),
    /// and ends every redo stack, as any new edit ends its annotator's.
    fn log(&mut self, by: &str) -> Result<(), MergeError> {
        let by = self.annotator_id(by)?;
        let report = &self.report;
        let history: Vec<[String; 2]> = self
            .replaced
            .iter()
            .map(|(uid, version)| [uid.clone(), version_hex(*version)])
            .collect();
        let payload = json!({
            "kind": "merge",
            "source": report.source.display().to_string(),
            "source_uid": report.source_uid,
            "documents_added": report.documents_added(),
            "spans_added": report.spans_added,
            "spans_updated": report.spans_updated,
            "spans_deleted": report.spans_deleted,
            "spans_unchanged": report.spans_unchanged,
            "spans_kept": report.spans_kept,
            "statuses_copied": report.statuses_copied,
            "conflicts": report.conflicts.len(),
            "labels_added": report.labels_added.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
            "history": history,
        });
        let spans_changed = report.spans_added + report.spans_updated + report.spans_deleted > 0;
        self.tx
            .execute(
                "INSERT INTO ops(at, annotator_id, document_id, kind, payload_json, state)
                 VALUES (?1, ?2, NULL, 'merge', ?3, 'final')",
                params![self.now, by, payload.to_string()],
            )
            .at(self.mine_path)?;
        if spans_changed {
            // A redo after the merge could bring back what the merge just reconciled.
            self.tx
                .execute("UPDATE ops SET state = 'dead' WHERE state = 'undone'", [])
                .at(self.mine_path)?;
        }
        Ok(())
    }
}

/// This project's spans, looked up by uid, by version and by duplicate key.
#[derive(Default)]
struct LocalIndex {
    spans: Vec<LocalSpan>,
    /// Spans whose uid they have or we merged from them.
    by_uid: Map<String, usize>,
    /// The other spans, by duplicate key.
    by_content: Map<ContentKey, Vec<usize>>,
    /// The other spans by version, built on first use.
    by_version: Option<Map<u128, Vec<usize>>>,
    /// Spans already matched to one of theirs.
    claimed: Vec<bool>,
}

impl LocalIndex {
    /// Claims an unmatched span with this version.
    fn take_version(&mut self, version: u128) -> Option<usize> {
        let by_version = self.by_version.get_or_insert_with(|| {
            let mut map: Map<u128, Vec<usize>> = Map::default();
            for (i, span) in self.spans.iter().enumerate() {
                if !self.claimed[i] {
                    map.entry(span.version).or_default().push(i);
                }
            }
            map
        });
        let found = by_version
            .get(&version)?
            .iter()
            .copied()
            .find(|&i| !self.claimed[i])?;
        self.claimed[found] = true;
        Some(found)
    }

    /// Claims an unmatched span with this duplicate key.
    fn take_content(&mut self, key: &ContentKey) -> Option<usize> {
        let found = self
            .by_content
            .get(key)?
            .iter()
            .copied()
            .find(|&i| !self.claimed[i])?;
        self.claimed[found] = true;
        Some(found)
    }

    /// Whether an unmatched span other than `o` has this duplicate key.
    fn has_other(&self, key: &ContentKey, o: usize) -> bool {
        self.by_content
            .get(key)
            .is_some_and(|found| found.iter().any(|&i| i != o && !self.claimed[i]))
    }
}

/// Rows written per multi-row `INSERT`: fewer statement runs for the same rows.
const ROWS_PER_INSERT: usize = 64;

/// Columns of a span row as inserted.
const SPAN_COLUMNS: usize = 10;

/// `(?, ?, …), (?, ?, …), …`: `rows` rows of `columns` placeholders.
fn placeholders(columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    vec![row; rows].join(", ")
}

/// A span to insert: theirs, with the document, label and annotator ids here.
struct NewRow<'t> {
    span: &'t TheirSpan,
    doc: i64,
    label: i64,
    annotator: i64,
}

/// The prepared statements that write spans and merge states. Inserts are queued and
/// written many rows per statement; updates and deletes are written at once.
struct Writer<'c, 't> {
    insert_one: rusqlite::Statement<'c>,
    insert_many: rusqlite::Statement<'c>,
    update: rusqlite::Statement<'c>,
    delete: rusqlite::Statement<'c>,
    set_base_one: rusqlite::Statement<'c>,
    set_base_many: rusqlite::Statement<'c>,
    remove_base: rusqlite::Statement<'c>,
    /// Spans to insert, in their order.
    inserts: Vec<NewRow<'t>>,
    /// Merge states to write: span uid and version (`None`: forget it).
    bases: Vec<(String, Option<u128>)>,
}

impl<'c, 't> Writer<'c, 't> {
    fn new(tx: &'c Connection) -> rusqlite::Result<Self> {
        let insert = |rows| {
            format!(
                "INSERT INTO spans(uid, document_id, start, \"end\", label_id, annotator_id, note,
                                   origin, created_at, updated_at)
                 VALUES {}",
                placeholders(SPAN_COLUMNS, rows)
            )
        };
        let set_base = |rows| {
            format!(
                "INSERT INTO merge_state(source_uid, span_uid, version) VALUES {}
                 ON CONFLICT(source_uid, span_uid) DO UPDATE SET version = excluded.version",
                placeholders(3, rows)
            )
        };
        Ok(Self {
            insert_one: tx.prepare(&insert(1))?,
            insert_many: tx.prepare(&insert(ROWS_PER_INSERT))?,
            update: tx.prepare(
                "UPDATE spans SET document_id = ?2, start = ?3, \"end\" = ?4, label_id = ?5,
                                  annotator_id = ?6, note = ?7, updated_at = ?8
                 WHERE id = ?1",
            )?,
            delete: tx.prepare("DELETE FROM spans WHERE id = ?1")?,
            set_base_one: tx.prepare(&set_base(1))?,
            set_base_many: tx.prepare(&set_base(ROWS_PER_INSERT))?,
            remove_base: tx
                .prepare("DELETE FROM merge_state WHERE source_uid = ?1 AND span_uid = ?2")?,
            inserts: Vec::new(),
            bases: Vec::new(),
        })
    }

    /// Queues inserting their span (with its uid) here.
    fn insert(&mut self, span: &'t TheirSpan, doc: i64, label: i64, annotator: i64) {
        self.inserts.push(NewRow {
            span,
            doc,
            label,
            annotator,
        });
    }

    fn update(
        &mut self,
        id: i64,
        doc: i64,
        t: &TheirSpan,
        label: i64,
        annotator: i64,
    ) -> rusqlite::Result<()> {
        self.update.execute(params![
            id,
            doc,
            t.range.start as i64,
            t.range.end as i64,
            label,
            annotator,
            t.note,
            t.updated_at
        ])?;
        Ok(())
    }

    fn delete(&mut self, id: i64) -> rusqlite::Result<()> {
        self.delete.execute([id])?;
        Ok(())
    }

    /// Queues recording `version` as the span's last merged version.
    fn set_base(&mut self, uid: &str, version: u128) {
        self.bases.push((uid.to_owned(), Some(version)));
    }

    /// Queues forgetting the span's last merged version.
    fn remove_base(&mut self, uid: &str) {
        self.bases.push((uid.to_owned(), None));
    }

    /// Writes the queued spans, then the queued merge states in uid order, so that the
    /// merge-state index is appended to rather than written all over.
    fn flush(&mut self, source: &str) -> rusqlite::Result<()> {
        let mut chunks = self.inserts.chunks_exact(ROWS_PER_INSERT);
        for chunk in &mut chunks {
            for (i, row) in chunk.iter().enumerate() {
                bind_span(&mut self.insert_many, i * SPAN_COLUMNS, row)?;
            }
            self.insert_many.raw_execute()?;
        }
        for row in chunks.remainder() {
            bind_span(&mut self.insert_one, 0, row)?;
            self.insert_one.raw_execute()?;
        }
        self.inserts.clear();

        self.bases.sort_unstable();
        let (removals, sets): (Vec<_>, Vec<_>) = self
            .bases
            .iter()
            .partition(|(_, version)| version.is_none());
        for (uid, _) in removals {
            self.remove_base.execute(params![source, uid])?;
        }
        let sets: Vec<(&str, String)> = sets
            .into_iter()
            .filter_map(|(uid, version)| Some((uid.as_str(), version_hex((*version)?))))
            .collect();
        let mut chunks = sets.chunks_exact(ROWS_PER_INSERT);
        for chunk in &mut chunks {
            for (i, (uid, version)) in chunk.iter().enumerate() {
                bind_base(&mut self.set_base_many, i * 3, source, uid, version)?;
            }
            self.set_base_many.raw_execute()?;
        }
        for (uid, version) in chunks.remainder() {
            bind_base(&mut self.set_base_one, 0, source, uid, version)?;
            self.set_base_one.raw_execute()?;
        }
        self.bases.clear();
        Ok(())
    }
}

/// Binds one span row's values from parameter `at + 1` on.
fn bind_span(
    stmt: &mut rusqlite::Statement<'_>,
    at: usize,
    row: &NewRow<'_>,
) -> rusqlite::Result<()> {
    let t = row.span;
    stmt.raw_bind_parameter(at + 1, t.uid.as_str())?;
    stmt.raw_bind_parameter(at + 2, row.doc)?;
    stmt.raw_bind_parameter(at + 3, t.range.start as i64)?;
    stmt.raw_bind_parameter(at + 4, t.range.end as i64)?;
    stmt.raw_bind_parameter(at + 5, row.label)?;
    stmt.raw_bind_parameter(at + 6, row.annotator)?;
    stmt.raw_bind_parameter(at + 7, t.note.as_str())?;
    stmt.raw_bind_parameter(at + 8, t.origin.as_str())?;
    stmt.raw_bind_parameter(at + 9, t.created_at)?;
    stmt.raw_bind_parameter(at + 10, t.updated_at)
}

/// Binds one merge-state row's values from parameter `at + 1` on.
fn bind_base(
    stmt: &mut rusqlite::Statement<'_>,
    at: usize,
    source: &str,
    uid: &str,
    version: &str,
) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(at + 1, source)?;
    stmt.raw_bind_parameter(at + 2, uid)?;
    stmt.raw_bind_parameter(at + 3, version)
}
