//! Opening and creating project files.
//!
//! Three rules keep a project safe here:
//! - The file is never opened outside SQLite. POSIX locks belong to the process, and closing
//!   any descriptor of a file drops every lock the process holds on it: a `File::open` and
//!   close of an open project would let another program delete its write-ahead log under
//!   the window. So the header is checked through a read-only SQLite connection.
//! - A file stet must refuse (another program's database, a newer stet's project, a damaged
//!   file, a read-only one for writing) is inspected read-only and never written to.
//! - A new project is built under a temporary name beside its path and moved into place
//!   complete, so a crash never leaves a file with no tables, and two processes creating
//!   the same project at once both end up with the one that got there first.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{Access, Project, Result, StoreError, schema};
use crate::model::LabelScheme;

/// How long a write waits for another writer before it gives up.
pub const BUSY_WAIT: Duration = Duration::from_secs(5);

/// What a read-only look at an existing file found.
enum Found {
    /// A zero-length file or a database with nothing in it (a creation that never
    /// finished): writing opens make it a project.
    Empty,
    /// A stet project this stet can open.
    Project,
}

impl Project {
    pub(super) fn open_existing(
        path: &Path,
        access: Access,
        scheme: Option<&LabelScheme>,
    ) -> Result<Self> {
        let found = inspect(path)?;
        if access == Access::ReadOnly {
            if matches!(found, Found::Empty) {
                return Err(StoreError::NotAProject {
                    path: path.to_owned(),
                    reason: "the file is empty".into(),
                });
            }
            let conn = open_read_only(path)?;
            return Self::from_connection(conn, path, access);
        }
        let meta = std::fs::metadata(path).map_err(|source| StoreError::Open {
            path: path.to_owned(),
            source,
        })?;
        if meta.permissions().readonly() {
            return Err(StoreError::ReadOnly {
                path: path.to_owned(),
            });
        }
        if matches!(found, Found::Project) {
            check_integrity(path)?;
        }
        let mut conn = open_read_write(path)?;
        schema::migrate(&mut conn, scheme.unwrap_or(&LabelScheme::newsroom()))?;
        Self::from_connection(conn, path, access)
    }

    /// Creates the project at `path` atomically: built beside it, then linked into place only
    /// if nothing is there yet (`None` when something was).
    pub(super) fn create_atomically(path: &Path, scheme: &LabelScheme) -> Result<Option<Self>> {
        let part = part_path(path)?;
        let _ = std::fs::remove_file(&part);
        let built = (|| -> Result<()> {
            let mut conn = open_read_write(&part)?;
            schema::migrate(&mut conn, scheme)?;
            // Closing checkpoints the log into the file, so the file is whole on its own.
            conn.close().map_err(|(_, err)| StoreError::from(err))?;
            Ok(())
        })();
        if let Err(err) = built {
            remove_part(&part);
            return Err(err);
        }
        let placed = place(&part, path);
        remove_part(&part);
        match placed {
            Ok(()) => Self::open_existing(path, Access::ReadWrite, Some(scheme)).map(Some),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
            Err(source) => Err(StoreError::Open {
                path: path.to_owned(),
                source,
            }),
        }
    }
}

/// Looks at an existing file through a read-only connection, refusing what stet must not
/// open.
fn inspect(path: &Path) -> Result<Found> {
    let not_project = |reason: String| StoreError::NotAProject {
        path: path.to_owned(),
        reason,
    };
    let conn = Connection::open_with_flags(path, read_only_flags())
        .map_err(|err| not_project(err.to_string()))?;
    let probe = schema::probe(&conn);
    match probe {
        Ok(schema::Probe::Empty) => Ok(Found::Empty),
        Ok(schema::Probe::Stet { version }) if version > super::SCHEMA_VERSION => {
            Err(StoreError::TooNew {
                path: path.to_owned(),
                found: version,
            })
        }
        Ok(schema::Probe::Stet { .. }) => Ok(Found::Project),
        Ok(schema::Probe::Other) => {
            Err(not_project("an SQLite database of another program".into()))
        }
        Err(err) if is_not_a_database(&err) => Err(not_project("not an SQLite file".into())),
        Err(err) if err.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            Err(StoreError::Damaged {
                path: path.to_owned(),
                problem: format!("its list of tables cannot be read: {err}"),
            })
        }
        Err(err) if cannot_open_read_only(&err) => {
            // A WAL project in a read-only folder: look again without the shared memory file.
            let conn = open_immutable(path)?;
            match schema::probe(&conn) {
                Ok(schema::Probe::Stet { version }) if version > super::SCHEMA_VERSION => {
                    Err(StoreError::TooNew {
                        path: path.to_owned(),
                        found: version,
                    })
                }
                Ok(schema::Probe::Stet { .. }) => Ok(Found::Project),
                Ok(schema::Probe::Empty) => Ok(Found::Empty),
                Ok(schema::Probe::Other) => {
                    Err(not_project("an SQLite database of another program".into()))
                }
                Err(err) => Err(not_project(err.to_string())),
            }
        }
        Err(err) => Err(not_project(err.to_string())),
    }
}

/// Refuses a damaged project before anything writes to it.
fn check_integrity(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(path, read_only_flags()).map_err(|err| {
        StoreError::NotAProject {
            path: path.to_owned(),
            reason: err.to_string(),
        }
    })?;
    let damaged = |problem: String| StoreError::Damaged {
        path: path.to_owned(),
        problem,
    };
    let mut stmt = conn
        .prepare("PRAGMA quick_check(3)")
        .map_err(|err| damaged(err.to_string()))?;
    let problems: Vec<String> = stmt
        .query_map([], |row| row.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|err| damaged(err.to_string()))?;
    match problems.as_slice() {
        [ok] if ok == "ok" => Ok(()),
        _ => {
            // SQLite's report spans lines and names trees; one line with the first few.
            let lines: Vec<&str> = problems
                .iter()
                .flat_map(|p| p.lines())
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("***"))
                .take(2)
                .collect();
            Err(damaged(lines.join("; ")))
        }
    }
}

fn read_only_flags() -> OpenFlags {
    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
}

/// A read-only connection, falling back to an immutable one where the folder cannot hold
/// SQLite's shared-memory file (a colleague's project on a read-only share).
fn open_read_only(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open_with_flags(path, read_only_flags()).map_err(|err| {
        StoreError::NotAProject {
            path: path.to_owned(),
            reason: err.to_string(),
        }
    })?;
    if let Err(err) = schema::probe(&conn)
        && cannot_open_read_only(&err)
    {
        drop(conn);
        conn = open_immutable(path)?;
    }
    configure(&mut conn, Access::ReadOnly)?;
    Ok(conn)
}

fn open_immutable(path: &Path) -> Result<Connection> {
    let uri = file_uri(path, "mode=ro&immutable=1");
    Connection::open_with_flags(uri, read_only_flags() | OpenFlags::SQLITE_OPEN_URI).map_err(
        |err| StoreError::NotAProject {
            path: path.to_owned(),
            reason: err.to_string(),
        },
    )
}

fn open_read_write(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path).map_err(|err| StoreError::NotAProject {
        path: path.to_owned(),
        reason: err.to_string(),
    })?;
    configure(&mut conn, Access::ReadWrite)?;
    Ok(conn)
}

/// The pragmas and busy handling every connection gets.
fn configure(conn: &mut Connection, access: Access) -> Result<()> {
    conn.busy_handler(Some(wait_for_lock))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if access == Access::ReadWrite {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(())
}

/// Waits for another writer by polling every millisecond at first (so a writer that holds
/// the lock briefly, like an import between batches, lets us in at once), then every five,
/// up to [`BUSY_WAIT`] in all.
fn wait_for_lock(attempt: i32) -> bool {
    const QUICK: i32 = 200;
    let attempt = attempt.max(0);
    let waited_ms = if attempt < QUICK {
        i64::from(attempt)
    } else {
        i64::from(QUICK) + 5 * i64::from(attempt - QUICK)
    };
    if waited_ms >= BUSY_WAIT.as_millis() as i64 {
        return false;
    }
    std::thread::sleep(Duration::from_millis(if attempt < QUICK { 1 } else { 5 }));
    true
}

fn is_not_a_database(err: &rusqlite::Error) -> bool {
    err.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase)
}

/// Whether a read-only open failed for want of a writable folder (WAL's shared memory).
fn cannot_open_read_only(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
    )
}

/// `file:` URI for `path` with `query`, percent-encoding what URIs reserve.
fn file_uri(path: &Path, query: &str) -> String {
    let mut uri = String::from("file:");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'?' | b'#' | b'%' => uri.push_str(&format!("%{byte:02X}")),
            _ => uri.push(char::from(byte)),
        }
    }
    uri.push('?');
    uri.push_str(query);
    uri
}

/// The temporary name a new project is built under: `.NAME.PID.creating` beside it.
fn part_path(path: &Path) -> Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| StoreError::NotAProject {
        path: path.to_owned(),
        reason: "not a file name".into(),
    })?;
    let mut part = std::ffi::OsString::from(".");
    part.push(name);
    part.push(format!(".{}.creating", std::process::id()));
    Ok(path.with_file_name(part))
}

/// Moves the built file into place unless something is there already: a hard link fails
/// if the name is taken, which a rename would silently overwrite.
fn place(part: &Path, path: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(part, path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Err(err),
        Err(_) if !path.exists() => {
            // A file system without hard links: a rename, checked just before.
            std::fs::rename(part, path)
        }
        Err(err) => Err(err),
    }
}

fn remove_part(part: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = part.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}
