//! The project file: one SQLite database (`NAME.stet`) holding the label scheme, documents,
//! spans, statuses, review data and the operation log behind undo/redo.
//!
//! This is the only module that speaks SQL, and the only writer of the operation log. Every
//! write is one transaction, committed before the call returns. What other layers need to
//! read comes out as plain values: documents for export ([`ExportDocument`]), snapshots of
//! both sides of a merge ([`merge`]), spans for agreement; what they decide goes back in as
//! plain values too (a merge plan), applied and logged here.

mod copy;
mod documents;
mod error;
mod export;
pub mod merge;
mod open;
mod ops;
mod relations;
mod review;
mod schema;
mod scheme;
mod spans;
mod stats;
mod suggestions;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};

use crate::model::{LabelScheme, SpanError};

pub use crate::model::{Fingerprint, sha256_hex, uid_of_sha256};
pub use documents::{
    Batch, DocumentInfo, InsertError, InsertOutcome, NewDocument, NewRelation, NewSpan,
    StoredDocument,
};
pub use error::{DatabaseError, DatabaseErrorKind, StoreError};
pub use export::{ExportDocument, ExportDocuments, ExportFilter};
pub use open::BUSY_WAIT;
pub use ops::{OpKind, OpOutcome};
pub use review::{GOLD, ReviewStatus, Verdict, VerdictRecord};
pub use scheme::SchemeAdditions;
pub use spans::SpanEdit;
pub use stats::{AnnotatorStats, Stats};
pub use suggestions::{SUGGESTER, SuggestOutcome, SuggestedLink, SuggestedSpan};

/// The project-format version this stet writes. Bumped by each migration.
pub const SCHEMA_VERSION: i64 = schema::MIGRATIONS.len() as i64;

/// How a project is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reading only (export, docs, stats): works on read-only files, never writes.
    ReadOnly,
    /// Reading and writing; a missing project is created.
    ReadWrite,
}

/// Shorthand for store results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open project.
pub struct Project {
    conn: Connection,
    path: PathBuf,
    access: Access,
}

impl std::fmt::Debug for Project {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Project").field("path", &self.path).finish()
    }
}

impl Project {
    /// Opens an existing project, refusing files that are not stet projects, come from a
    /// newer stet, are damaged, or (for writing) are read-only. Nothing is written to a
    /// refused file.
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
        match Self::create_atomically(path, &scheme)? {
            Some(project) => Ok(project),
            // Another process created it meanwhile: open theirs.
            None => Ok(Self::open_existing(path, Access::ReadWrite, None)?),
        }
    }

    /// Creates a new project with `scheme`; refuses to overwrite an existing file.
    pub fn create(path: &Path, scheme: &LabelScheme) -> Result<Self> {
        let exists = || StoreError::NotAProject {
            path: path.to_owned(),
            reason: "a file is already there".into(),
        };
        if path.exists() {
            return Err(exists());
        }
        Self::create_atomically(path, scheme)?.ok_or_else(exists)
    }

    fn from_connection(conn: Connection, path: &Path, access: Access) -> Result<Self> {
        Ok(Self {
            conn,
            path: path.to_owned(),
            access,
        })
    }

    /// The project file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the project was opened for reading only.
    pub fn is_read_only(&self) -> bool {
        self.access == Access::ReadOnly
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

    /// A number that changes when another connection (another program, or a worker
    /// thread of this one) has committed a change to the project since this connection last
    /// looked: the window polls it to notice imports and merges made elsewhere. It is cheap
    /// (no read of the file's pages).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
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

    /// Every annotator with at least one span (suggestions counted only if asked), by name.
    pub fn annotators_with_spans(&self, include_suggested: bool) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT a.name FROM spans s JOIN annotators a ON a.id = s.annotator_id
             WHERE ?1 OR s.origin <> ?2 ORDER BY a.name",
        )?;
        let names = stmt
            .query_map(
                rusqlite::params![include_suggested, crate::model::Origin::Suggested.as_str()],
                |row| row.get(0),
            )?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    }

    /// Starts an immediate (writing) transaction on this project.
    fn write_tx(&mut self) -> Result<rusqlite::Transaction<'_>> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }
}

/// The label's id inside a transaction, or a span error listing the known labels.
fn label_id_in(conn: &Connection, name: &str) -> Result<i64> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM labels WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => Ok(id),
        None => Err(SpanError::UnknownLabel {
            label: name.to_owned(),
            known: known_labels(conn)?,
        }
        .into()),
    }
}

/// The project's label names in scheme order, for error messages.
fn known_labels(conn: &Connection) -> Result<String> {
    let mut stmt = conn.prepare_cached("SELECT name FROM labels ORDER BY position, id")?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names.join(", "))
}

/// The annotator's id, inserting the annotator if new (inside the caller's transaction).
fn annotator_id_in(conn: &Connection, name: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("INSERT INTO annotators(name) VALUES (?1) ON CONFLICT(name) DO NOTHING")?
        .execute([name])?;
    conn.prepare_cached("SELECT id FROM annotators WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
}
