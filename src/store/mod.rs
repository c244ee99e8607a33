//! The project file: one SQLite database (`NAME.stet`) holding the label scheme, documents,
//! spans, statuses and the operation log behind undo/redo.
//!
//! Every write is one transaction, committed before the call returns.

mod documents;
mod ops;
mod review;
mod schema;
mod spans;
mod stats;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::model::{LabelDef, LabelScheme, SpanError};

pub(crate) use documents::parse_meta;
pub use documents::{
    Batch, DocumentInfo, Fingerprint, InsertError, InsertOutcome, NewDocument, NewSpan,
    StoredDocument, sha256_hex, uid_of_sha256,
};
pub use ops::{OpKind, OpOutcome};
pub use review::{GOLD, ReviewStatus, Verdict, VerdictRecord};
pub use spans::{SPAN_COLUMNS, SpanEdit, read_span};
pub use stats::{AnnotatorStats, Stats};

/// The project-format version this stet writes. Bumped by each migration.
pub const SCHEMA_VERSION: i64 = schema::MIGRATIONS.len() as i64;

/// `PRAGMA application_id` of a stet project ("stet" in ASCII).
const APPLICATION_ID: i64 = 0x7374_6574;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// How a project is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reading only (export, docs, stats): works on read-only files, never writes.
    ReadOnly,
    /// Reading and writing; a missing project is created.
    ReadWrite,
}

/// Why the project could not be opened or changed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: no such project", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: not a stet project ({reason}); left untouched", path.display())]
    NotAProject { path: PathBuf, reason: String },
    #[error(
        "{}: written by a newer stet (project format {found}, this stet knows up to {SCHEMA_VERSION}); left untouched",
        path.display()
    )]
    TooNew { path: PathBuf, found: i64 },
    #[error("{}: the project file is read-only; left untouched", path.display())]
    ReadOnly { path: PathBuf },
    #[error("{}: cannot open: {source}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot write the copy: {reason}; nothing written", path.display())]
    Copy { path: PathBuf, reason: String },
    #[error("{0}")]
    Span(#[from] SpanError),
    #[error("no document with id {0}")]
    NoDocument(i64),
    #[error("no span with id {0}")]
    NoSpan(i64),
    #[error("that text already has this label from this annotator (span {0})")]
    DuplicateSpan(i64),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("corrupt operation log entry {id}: {message}")]
    CorruptOp { id: i64, message: String },
}

/// Shorthand for store results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open project.
pub struct Project {
    conn: Connection,
    path: PathBuf,
    access: Access,
    /// Label name → id, loaded on open.
    label_ids: HashMap<String, i64>,
    /// Annotator name → id, filled as annotators appear.
    annotator_ids: HashMap<String, i64>,
}

impl std::fmt::Debug for Project {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Project").field("path", &self.path).finish()
    }
}

impl Project {
    /// Opens an existing project, refusing files that are not stet projects, come from a
    /// newer stet, or (for writing) are read-only. Nothing is written to a refused file.
    pub fn open(path: &Path, access: Access) -> Result<Self> {
        if !path.exists() {
            return Err(StoreError::NotFound {
                path: path.to_owned(),
            });
        }
        Self::open_existing(path, access, None)
    }

    /// Opens a project for writing, creating it with `scheme` if it does not exist.
    pub fn open_or_create(
        path: &Path,
        scheme: impl FnOnce() -> Result<LabelScheme, crate::model::SchemeError>,
    ) -> anyhow::Result<Self> {
        if path.exists() {
            return Ok(Self::open_existing(path, Access::ReadWrite, None)?);
        }
        let scheme = scheme()?;
        Ok(Self::create(path, &scheme)?)
    }

    /// Creates a new project with `scheme`; refuses to overwrite an existing file.
    pub fn create(path: &Path, scheme: &LabelScheme) -> Result<Self> {
        if path.exists() {
            return Err(StoreError::NotAProject {
                path: path.to_owned(),
                reason: "a file is already there".into(),
            });
        }
        Self::open_existing(path, Access::ReadWrite, Some(scheme))
    }

    fn open_existing(path: &Path, access: Access, scheme: Option<&LabelScheme>) -> Result<Self> {
        let fresh = path.exists() && check_header(path)?;
        if fresh && access == Access::ReadOnly {
            return Err(StoreError::NotAProject {
                path: path.to_owned(),
                reason: "the file is empty".into(),
            });
        }
        if access == Access::ReadWrite && path.exists() {
            let meta = std::fs::metadata(path).map_err(|source| StoreError::Open {
                path: path.to_owned(),
                source,
            })?;
            if meta.permissions().readonly() {
                return Err(StoreError::ReadOnly {
                    path: path.to_owned(),
                });
            }
        }
        if path.exists() && !fresh {
            // Inspect read-only first, so that a refused file is never written to.
            let probe = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| not_a_project(path, &e))?;
            schema::check_compatible(&probe, path)?;
        }
        let conn = match access {
            Access::ReadOnly => Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            ),
            Access::ReadWrite => Connection::open(path),
        }
        .map_err(|e| not_a_project(path, &e))?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        if access == Access::ReadWrite {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        let mut project = Self {
            conn,
            path: path.to_owned(),
            access,
            label_ids: HashMap::new(),
            annotator_ids: HashMap::new(),
        };
        if access == Access::ReadWrite {
            schema::migrate(
                &mut project.conn,
                scheme.unwrap_or(&LabelScheme::newsroom()),
            )?;
        }
        project.load_ids()?;
        Ok(project)
    }

    /// The project file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The project's own uid (random, made when it was created), naming it in merges.
    pub fn uid(&self) -> Result<String> {
        Ok(self.conn.query_row(
            "SELECT value FROM meta WHERE key = 'project_uid'",
            [],
            |r| r.get(0),
        )?)
    }

    /// How far the project's history has got: the highest id its operation log ever gave
    /// (0 for none). It never goes down, even when log entries are removed, so of two
    /// exports of one project the later has the higher or the same.
    pub fn revision(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'ops'), 0)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Writes a copy of the project to `dest` under a new project uid, for a colleague to tag
    /// apart; returns the copy's uid. Merges tell such a copy from this project and follow
    /// its edits and deletions; a file copied by other means keeps this project's uid, and
    /// its JSONL exports can only be imported as plain tags. `dest` must not exist; the copy
    /// is made beside it and renamed into place, so it appears whole or not at all.
    pub fn save_copy(&self, dest: &Path) -> Result<String> {
        let refuse = |reason: &str| StoreError::Copy {
            path: dest.to_owned(),
            reason: reason.to_owned(),
        };
        if dest.exists() {
            return Err(refuse("already exists; choose a new file name"));
        }
        let name = dest.file_name().ok_or_else(|| refuse("not a file name"))?;
        let mut part_name = std::ffi::OsString::from(".");
        part_name.push(name);
        part_name.push(format!(".{}.part", std::process::id()));
        let part = dest.with_file_name(part_name);
        let part_str = part
            .to_str()
            .ok_or_else(|| refuse("the path is not valid UTF-8"))?;
        let _ = std::fs::remove_file(&part);
        let result = (|| -> Result<String> {
            self.conn
                .execute("VACUUM INTO ?1", [part_str])
                .map_err(|err| refuse(&err.to_string()))?;
            let copy = Connection::open(&part)?;
            let uid: String = copy.query_row(
                "UPDATE meta SET value = lower(hex(randomblob(16)))
                 WHERE key = 'project_uid' RETURNING value",
                [],
                |r| r.get(0),
            )?;
            copy.execute(
                "INSERT INTO meta(key, value) VALUES ('copied_from', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [self.uid()?],
            )?;
            copy.close().map_err(|(_, err)| err)?;
            std::fs::rename(&part, dest).map_err(|err| StoreError::Copy {
                path: dest.to_owned(),
                reason: err.to_string(),
            })?;
            Ok(uid)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&part);
        }
        result
    }

    /// Whether the project was opened for reading only.
    pub fn is_read_only(&self) -> bool {
        self.access == Access::ReadOnly
    }

    /// The project's labels in their display order.
    pub fn scheme(&self) -> Result<LabelScheme> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, color, hotkey, description FROM labels ORDER BY position, id")?;
        let labels = stmt
            .query_map([], |row| {
                Ok(LabelDef {
                    name: row.get(0)?,
                    color: row.get(1)?,
                    hotkey: row.get(2)?,
                    description: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let name = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'scheme'", [], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or_else(|| "project".to_owned());
        Ok(LabelScheme {
            name,
            description: String::new(),
            labels,
        })
    }

    /// Every annotator who has worked in the project, sorted by name.
    pub fn annotators(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM annotators ORDER BY name")?;
        let names = stmt
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    }

    /// The underlying connection, for the review and export modules' own queries.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Reads the label and annotator ids again (after something else, a merge, added some).
    pub(crate) fn load_ids(&mut self) -> Result<()> {
        let mut stmt = self.conn.prepare("SELECT name, id FROM labels")?;
        self.label_ids = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare("SELECT name, id FROM annotators")?;
        self.annotator_ids = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(())
    }

    /// The label's id, or a span error listing the known labels.
    fn label_id(&self, name: &str) -> Result<i64, SpanError> {
        self.label_ids
            .get(name)
            .copied()
            .ok_or_else(|| SpanError::UnknownLabel {
                label: name.to_owned(),
                known: known_labels(&self.label_ids),
            })
    }
}

/// The project's label names in scheme order, for error messages.
fn known_labels(label_ids: &HashMap<String, i64>) -> String {
    let mut names: Vec<_> = label_ids.iter().collect();
    names.sort_by_key(|(_, id)| **id);
    names
        .into_iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The annotator's id, inserting the annotator if new (inside the caller's transaction).
fn annotator_id_in(
    conn: &Connection,
    cache: &mut HashMap<String, i64>,
    name: &str,
) -> rusqlite::Result<i64> {
    if let Some(&id) = cache.get(name) {
        return Ok(id);
    }
    conn.execute(
        "INSERT INTO annotators(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
        [name],
    )?;
    let id = conn.query_row("SELECT id FROM annotators WHERE name = ?1", [name], |r| {
        r.get(0)
    })?;
    cache.insert(name.to_owned(), id);
    Ok(id)
}

/// Checks the first bytes of an existing file; `Ok(true)` if it is empty (a project whose
/// creation never got past opening the file).
fn check_header(path: &Path) -> Result<bool> {
    let mut file = std::fs::File::open(path).map_err(|source| StoreError::Open {
        path: path.to_owned(),
        source,
    })?;
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        let n = file
            .read(&mut header[read..])
            .map_err(|source| StoreError::Open {
                path: path.to_owned(),
                source,
            })?;
        if n == 0 {
            break;
        }
        read += n;
    }
    if read == 0 {
        return Ok(true);
    }
    if read < header.len() || &header != SQLITE_MAGIC {
        return Err(StoreError::NotAProject {
            path: path.to_owned(),
            reason: "not an SQLite file".into(),
        });
    }
    Ok(false)
}

fn not_a_project(path: &Path, err: &rusqlite::Error) -> StoreError {
    StoreError::NotAProject {
        path: path.to_owned(),
        reason: err.to_string(),
    }
}
