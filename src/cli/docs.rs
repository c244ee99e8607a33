//! `stet docs`: lists a project's documents.

use std::io::Write;
use std::process::ExitCode;

use stet::store::{Access, Project};

use super::ProjectArgs;

/// `stet docs`: one line per document.
pub fn docs(args: &ProjectArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(&args.project, Access::ReadOnly)?;
    let docs = project.documents()?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:>5}  {:<32}  {:>8}  {:>6}  title",
        "id", "uid", "chars", "spans"
    )?;
    for doc in docs {
        writeln!(
            out,
            "{:>5}  {:<32}  {:>8}  {:>6}  {}",
            doc.id, doc.uid, doc.len_chars, doc.span_count, doc.title
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
