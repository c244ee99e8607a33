//! Turning the paths a user names into the files to read.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::{FileKind, IngestError, KNOWN_EXTENSIONS, Problem};

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
///
/// A file named outright that stet cannot read is an error; inside a folder it is skipped
/// and counted. A brat `NAME.txt` with a `NAME.ann` beside it is one brat document (listed
/// once, as the `.ann`), and brat's `.conf` files are read with the documents, not skipped.
pub fn collect_paths(inputs: &[PathBuf]) -> Collected {
    let mut walk = Walk::default();
    for input in inputs {
        match fs::metadata(input) {
            Ok(meta) if meta.is_dir() => walk.folder(input),
            Ok(meta) if meta.is_file() => walk.file(input, true),
            Ok(_) => walk.skip(input, "not a regular file".into()),
            Err(err) => walk.error(input, err),
        }
    }
    walk.collected
}

/// brat's configuration files, read with a corpus's documents (labels, colours).
const BRAT_CONFIGS: [&str; 4] = [
    "annotation.conf",
    "visual.conf",
    "tools.conf",
    "kb_shortcuts.conf",
];

/// The state of one [`collect_paths`] run.
#[derive(Default)]
struct Walk {
    collected: Collected,
    /// Files already listed or skipped, by canonical path, so that each appears once.
    seen_files: HashSet<PathBuf>,
    /// Folders already entered, by canonical path, so that links cannot loop.
    seen_folders: HashSet<PathBuf>,
}

impl Walk {
    /// Lists a file if stet reads its type; else an error when the user named it
    /// (`explicit`), or a skip inside a folder.
    fn file(&mut self, path: &Path, explicit: bool) {
        let kind = FileKind::of(path);
        // A brat text goes with its annotations: the pair is listed once, by its `.ann`.
        let (path, kind) = match kind {
            Some(FileKind::Text) if path.with_extension("ann").is_file() => {
                (path.with_extension("ann"), Some(FileKind::Brat))
            }
            _ => (path.to_owned(), kind),
        };
        if !self.seen_files.insert(canonical(&path)) {
            return;
        }
        let is_conf = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|name| BRAT_CONFIGS.contains(&name));
        match kind {
            Some(kind) => self.collected.files.push((path, kind)),
            None if is_conf && !explicit => {}
            None if explicit => self.collected.errors.push(IngestError::file(
                &path,
                Problem::Record(format!(
                    "not a file type stet reads (it reads {KNOWN_EXTENSIONS})"
                )),
            )),
            None => self.skip(
                &path,
                format!("not an article type stet reads ({KNOWN_EXTENSIONS})"),
            ),
        }
    }

    fn skip(&mut self, path: &Path, reason: String) {
        self.collected.skipped.push((path.to_owned(), reason));
    }

    fn error(&mut self, path: &Path, err: std::io::Error) {
        let problem = if err.kind() == std::io::ErrorKind::NotFound {
            Problem::Missing
        } else {
            Problem::Io(err)
        };
        self.collected.errors.push(IngestError::file(path, problem));
    }

    /// Walks a folder depth first, each folder's entries in path order, without recursion.
    fn folder(&mut self, root: &Path) {
        let mut stack = vec![root.to_owned()];
        while let Some(path) = stack.pop() {
            let meta = match fs::metadata(&path) {
                Ok(meta) => meta,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound && path != root => {
                    // A link inside the folder that points nowhere.
                    self.skip(&path, "a link to something that does not exist".into());
                    continue;
                }
                Err(err) => {
                    self.error(&path, err);
                    continue;
                }
            };
            if meta.is_file() {
                self.file(&path, path == root);
                continue;
            }
            if !meta.is_dir() {
                self.skip(&path, "not a regular file".into());
                continue;
            }
            if !self.seen_folders.insert(canonical(&path)) {
                continue;
            }
            match list_folder(&path) {
                Ok(entries) => stack.extend(entries.into_iter().rev()),
                Err(err) => self.error(&path, err),
            }
        }
    }
}

/// The visible entries of a folder, sorted by path; hidden ones (`.name`) are left out.
fn list_folder(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(path)? {
        let entry = entry?;
        if entry.file_name().as_encoded_bytes().starts_with(b".") {
            continue;
        }
        entries.push(entry.path());
    }
    entries.sort();
    Ok(entries)
}

/// The path with links and `..` resolved, for recognising the same file or folder twice.
fn canonical(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}
