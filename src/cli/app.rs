//! No subcommand: the window.

use std::path::PathBuf;
use std::process::ExitCode;

use stet::model::LabelScheme;

use super::annotator_name;

/// No subcommand: opens the app on the project (default: the one in the data folder).
pub fn open_app(
    project: Option<PathBuf>,
    annotator: Option<String>,
    scheme: Option<PathBuf>,
    articles: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let scheme = match scheme {
        Some(path) => Some(LabelScheme::load(&path)?),
        None => None,
    };
    stet::app::run(stet::app::LaunchOptions {
        project,
        annotator: annotator_name(annotator.as_deref()),
        scheme,
        articles: articles.to_vec(),
    })?;
    Ok(ExitCode::SUCCESS)
}
