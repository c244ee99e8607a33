//! `stet import`: reads article files and folders into a project.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use stet::ingest::ReadOptions;
use stet::workflows::{ImportOptions, import_paths_with};

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
    /// Add the labels, attributes and relation kinds the files use that the project's
    /// scheme lacks (each label gets a colour and no key), instead of refusing those files.
    #[arg(long)]
    pub add_labels: bool,
    /// The field of a JSON record that holds the text, when it is not `text` (doccano
    /// projects and Label Studio tasks name it their own way).
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,
    /// The field of a JSON record that holds the spans, when it is not `spans`,
    /// `entities` or `label`.
    #[arg(long, value_name = "NAME")]
    pub label_field: Option<String>,
    /// Files or folders (read recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `stet import`: reads files into the project; exit status 1 if any file was refused.
pub fn import(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let mut project = open_for_writing(&args.project.project, args.scheme.as_deref())?;
    let annotator = annotator_name(args.annotator.as_deref());
    let mut progress = DelayedProgress::new("importing");
    let options = ImportOptions {
        read: ReadOptions {
            text_field: args.text_field.clone(),
            label_field: args.label_field.clone(),
        },
        add_labels: args.add_labels,
    };
    let report = import_paths_with(
        &mut project,
        &args.paths,
        &annotator,
        &options,
        &mut |done, total| {
            progress.update(done, total);
        },
    )?;
    progress.finish();
    for line in report.skipped.iter().chain(&report.notes) {
        eprintln!("stet: note: {line}");
    }
    for (at, line) in report.errors.iter().enumerate() {
        // A file refused for a name the scheme lacks: say how to bring it in.
        let hint = if report.lacking_scheme.iter().any(|(i, _)| *i == at) {
            "; import with --add-labels to add what the file uses to the project's scheme"
        } else {
            ""
        };
        eprintln!("stet: error: {line}{hint}");
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
