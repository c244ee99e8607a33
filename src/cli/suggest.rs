//! `stet suggest`: pre-annotates documents with the recognisers' suggestions.

use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;

use stet::workflows::suggest::{SuggestRequest, parse_recognisers, suggest_project};

use super::{ProjectArgs, open_for_writing};

/// `stet suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Only these recognisers, comma-separated: figures, quotes, speakers (with their
    /// quotes), denials, occurrences (strings already tagged, elsewhere). Default: all.
    #[arg(long, value_name = "KINDS")]
    pub only: Option<String>,
    /// Only the document with this uid (see `stet docs`).
    #[arg(long, value_name = "UID")]
    pub document: Option<String>,
}

/// `stet suggest`: stores suggestions (annotator `stet`, origin `suggested`) and prints
/// how many were added per label.
pub fn suggest(args: &SuggestArgs) -> anyhow::Result<ExitCode> {
    let path = &args.project.project;
    if !path.exists() {
        return Err(anyhow!("{}: no such project", path.display()));
    }
    let mut project = open_for_writing(path, None)?;
    let mut request = SuggestRequest::default();
    if let Some(list) = &args.only {
        request.recognisers = parse_recognisers(list).map_err(|e| anyhow!("--only: {e}"))?;
        if request.recognisers.is_empty() {
            return Err(anyhow!("--only: name at least one recogniser"));
        }
    }
    if let Some(uid) = &args.document {
        let id = project
            .document_id_by_uid(uid)?
            .ok_or_else(|| anyhow!("{}: no document with uid {uid}", path.display()))?;
        request.document = Some(id);
    }
    let report = suggest_project(&mut project, &request)?;
    for line in report.lines() {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}
