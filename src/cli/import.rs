//! `stet import`: reads article files and folders into a project.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use stet::workflows::import_paths;

use super::{DelayedProgress, ProjectArgs, annotator_name, open_for_writing};

/// `stet import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Whose spans the imported spans are when a record names no annotator.
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
    /// Label scheme for a project that does not exist yet.
    #[arg(long, value_name = "FILE.ron")]
    pub scheme: Option<PathBuf>,
    /// Files or folders (read recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `stet import`: reads files into the project; exit status 1 if any file was refused.
pub fn import(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let mut project = open_for_writing(&args.project.project, args.scheme.as_deref())?;
    let annotator = annotator_name(args.annotator.as_deref());
    let mut progress = DelayedProgress::new("importing");
    let report = import_paths(&mut project, &args.paths, &annotator, &mut |done, total| {
        progress.update(done, total);
    })?;
    progress.finish();
    for line in report.skipped.iter().chain(&report.notes) {
        eprintln!("stet: note: {line}");
    }
    for line in &report.errors {
        eprintln!("stet: error: {line}");
    }
    // Colleagues' exports were merged: the same lines `stet merge` prints.
    for merged in &report.merged {
        for conflict in &merged.conflicts {
            eprintln!("stet: conflict: {}: {conflict}", merged.source.display());
        }
        println!("merged {}: {}", merged.source.display(), merged.summary());
    }
    println!("{}", report.summary());
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
