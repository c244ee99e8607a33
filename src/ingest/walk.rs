//! Turning the paths a user names into the files to read.

use std::path::{Path, PathBuf};

use super::{FileKind, IngestError, Problem};

/// The files found under the paths a user named.
#[derive(Debug, Default)]
pub struct Collected {
    /// Files to read, in a stable order (as named; folders sorted by path).
    pub files: Vec<(PathBuf, FileKind)>,
    /// Files passed over, with the reason (`not an article type stet reads`).
    pub skipped: Vec<(PathBuf, String)>,
    /// Paths that do not exist or cannot be listed.
    pub errors: Vec<IngestError>,
}

/// Expands files and folders (recursively) into the files stet reads.
pub fn collect_paths(inputs: &[PathBuf]) -> Collected {
    // TODO(ingest helper): recursion, sorting, skipped notes.
    let mut collected = Collected::default();
    for path in inputs {
        match FileKind::of(path) {
            Some(kind) if path.is_file() => collected.files.push((path.clone(), kind)),
            _ if !path.exists() => collected
                .errors
                .push(IngestError::file(path, Problem::Missing)),
            _ => collected
                .skipped
                .push((path.clone(), "not read yet".into())),
        }
    }
    let _ = Path::new("");
    collected
}
