//! `stet stats`: counts per label, annotator and status.

use std::io::Write;
use std::process::ExitCode;

use stet::store::{Access, Project};

use super::ProjectArgs;

/// `stet stats`: counts per label, annotator and status.
pub fn stats(args: &ProjectArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(&args.project, Access::ReadOnly)?;
    let stats = project.stats()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "documents  {}", stats.documents)?;
    writeln!(out, "spans      {}", stats.spans)?;
    writeln!(out, "\nlabel          spans")?;
    for (label, count) in &stats.by_label {
        writeln!(out, "{label:<14} {count:>5}")?;
    }
    writeln!(out, "\nannotator      spans   todo  in progress   done")?;
    for a in &stats.by_annotator {
        writeln!(
            out,
            "{:<14} {:>5}  {:>5}  {:>11}  {:>5}",
            a.name, a.spans, a.todo, a.in_progress, a.done
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
