//! `stet copy`: a copy of the project for a colleague, under its own project uid.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use stet::store::{Access, Project};

use super::ProjectArgs;

/// `stet copy`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The copy to write (a new file).
    #[arg(value_name = "COPY.stet")]
    pub out: PathBuf,
}

/// `stet copy`: writes the copy whole or not at all; the project is only read.
pub fn copy(args: &CopyArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(&args.project.project, Access::ReadOnly)?;
    let uid = project.save_copy(&args.out)?;
    println!(
        "copied {} to {} (project uid {uid}): give it to a colleague, then merge it back with `stet merge`",
        args.project.project.display(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
