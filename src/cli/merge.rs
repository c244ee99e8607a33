//! `stet merge`: brings colleagues' project files (or their stet JSONL exports) into this
//! project.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use stet::ingest::{FileKind, read_file};
use stet::store::{Access, Project};
use stet::workflows::merge_file;

use super::{ProjectArgs, annotator_name, open_for_writing};

/// `stet merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Who is merging, for the audit trail (default: $STET_ANNOTATOR, else the OS user name).
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
    /// Label scheme for a project that does not exist yet.
    #[arg(long, value_name = "FILE.ron")]
    pub scheme: Option<PathBuf>,
    /// Colleagues' project files, or their stet JSONL exports (`.jsonl`); each is read only
    /// and never changed.
    #[arg(required = true, value_name = "THEIRS.stet")]
    pub theirs: Vec<PathBuf>,
}

/// `stet merge`: merges each file in turn; exit status 1 if one could not be merged.
pub fn merge(args: &MergeArgs) -> anyhow::Result<ExitCode> {
    // Each file is merged in its own transaction: a summary line per file goes to standard
    // output and its conflicts, one per line, to standard error. Conflicts are reported, not
    // errors: the merge did what it could and left the rest as it was here.
    let mine = &args.project.project;
    // A project that does not exist yet is created only if some file can be merged into it.
    if !mine.exists() {
        let errors: Vec<String> = args
            .theirs
            .iter()
            .filter_map(|path| readable(path).err())
            .collect();
        if errors.len() == args.theirs.len() {
            for line in &errors {
                eprintln!("stet: error: {line}");
            }
            return Ok(ExitCode::FAILURE);
        }
    }
    let mut project = open_for_writing(mine, args.scheme.as_deref())?;
    let by = annotator_name(args.annotator.as_deref());
    let mut failed = false;
    for path in &args.theirs {
        match merge_file(&mut project, path, &by) {
            Ok(report) => {
                for conflict in &report.conflicts {
                    eprintln!("stet: conflict: {}: {conflict}", path.display());
                }
                println!("merged {}: {}", path.display(), report.summary());
            }
            Err(err) => {
                eprintln!("stet: error: {err}");
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether `path` can be merged at all (before a project is created for it).
fn readable(path: &Path) -> Result<(), String> {
    match FileKind::of(path) {
        Some(FileKind::Jsonl) => read_file(path, FileKind::Jsonl)
            .map(drop)
            .map_err(|err| err.to_string()),
        _ => Project::open(path, Access::ReadOnly)
            .map(drop)
            .map_err(|err| err.to_string()),
    }
}
