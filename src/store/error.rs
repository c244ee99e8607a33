//! Why the project could not be opened or changed, worded for the person at the keyboard:
//! one line, saying what happened and, where it helps, what to do.

use std::path::PathBuf;

use crate::model::SpanError;

use super::SCHEMA_VERSION;

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
    #[error(
        "{}: the project file is damaged ({problem}); nothing was written to it: restore a backup, or open it with `sqlite3` and `.recover`",
        path.display()
    )]
    Damaged { path: PathBuf, problem: String },
    #[error(
        "{}: written by an older stet (project format {found}); open it once with this stet to upgrade it, then merge",
        path.display()
    )]
    TooOld { path: PathBuf, found: i64 },
    #[error("{}: {message}; nothing merged", path.display())]
    CorruptSource { path: PathBuf, message: String },
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
    #[error(
        "that span is {owner}'s: only its annotator may change it (review it with accept or reject); you can change your own spans and the gold layer's"
    )]
    NotYours { owner: String },
    #[error("{0}")]
    Attribute(String),
    #[error("{0}")]
    Relation(String),
    #[error("{0}")]
    Database(DatabaseError),
    #[error("corrupt operation log entry {id}: {message}")]
    CorruptOp { id: i64, message: String },
}

impl StoreError {
    /// Whether the message already names a file (the faces add the project's path to those
    /// that do not).
    pub fn names_file(&self) -> bool {
        matches!(
            self,
            Self::NotFound { .. }
                | Self::NotAProject { .. }
                | Self::TooNew { .. }
                | Self::TooOld { .. }
                | Self::CorruptSource { .. }
                | Self::ReadOnly { .. }
                | Self::Damaged { .. }
                | Self::Open { .. }
                | Self::Copy { .. }
        )
    }

    /// Whether the project was busy (another program held its write lock past the wait).
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Database(db) if db.kind == DatabaseErrorKind::Busy)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        Self::Database(DatabaseError::from(err))
    }
}

/// What kind of database failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatabaseErrorKind {
    Busy,
    Damaged,
    DiskFull,
    ReadOnly,
    Io,
    Other,
}

/// A database failure, said once (SQLite's own words repeat themselves through the error
/// chain).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseError {
    pub kind: DatabaseErrorKind,
    /// SQLite's message.
    pub detail: String,
}

impl From<rusqlite::Error> for DatabaseError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        let (kind, detail) = match &err {
            rusqlite::Error::SqliteFailure(failure, message) => {
                let kind = match failure.code {
                    C::DatabaseBusy | C::DatabaseLocked => DatabaseErrorKind::Busy,
                    C::DatabaseCorrupt | C::NotADatabase => DatabaseErrorKind::Damaged,
                    C::DiskFull => DatabaseErrorKind::DiskFull,
                    C::ReadOnly => DatabaseErrorKind::ReadOnly,
                    C::SystemIoFailure | C::CannotOpen => DatabaseErrorKind::Io,
                    _ => DatabaseErrorKind::Other,
                };
                let detail = message.clone().unwrap_or_else(|| failure.to_string());
                (kind, detail)
            }
            other => (DatabaseErrorKind::Other, other.to_string()),
        };
        Self { kind, detail }
    }
}

impl std::fmt::Display for DatabaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            DatabaseErrorKind::Busy => write!(
                f,
                "the project is busy: another program kept it locked for writing; nothing was lost, try again in a moment"
            ),
            DatabaseErrorKind::Damaged => write!(
                f,
                "the project file is damaged ({}); restore a backup",
                self.detail
            ),
            DatabaseErrorKind::DiskFull => {
                write!(f, "the disk is full; the last change was not saved")
            }
            DatabaseErrorKind::ReadOnly => {
                write!(f, "the project cannot be written ({})", self.detail)
            }
            DatabaseErrorKind::Io => {
                write!(f, "cannot read or write the project file ({})", self.detail)
            }
            DatabaseErrorKind::Other => write!(f, "database error: {}", self.detail),
        }
    }
}
