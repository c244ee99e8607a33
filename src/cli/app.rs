//! No subcommand: the window.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use stet::model::LabelScheme;

use super::annotator_name;

/// No subcommand: opens the app on the project (default: the one in the data folder).
pub fn open_app(
    project: Option<PathBuf>,
    annotator: Option<String>,
    scheme: Option<PathBuf>,
    articles: &[PathBuf],
    subcommands: &[String],
) -> anyhow::Result<ExitCode> {
    for path in articles {
        check_article_argument(path, subcommands)?;
    }
    let scheme = match scheme {
        Some(path) => Some(LabelScheme::load(&path)?),
        None => None,
    };
    stet::app::run(stet::app::LaunchOptions {
        project,
        annotator_given: annotator.is_some() || std::env::var_os("STET_ANNOTATOR").is_some(),
        annotator: annotator_name(annotator.as_deref()),
        scheme,
        articles: articles.to_vec(),
    })?;
    Ok(ExitCode::SUCCESS)
}

/// An article named on the command line must exist; a bare word that does not is taken for
/// a mistyped or missing subcommand rather than a file to import.
fn check_article_argument(path: &Path, subcommands: &[String]) -> anyhow::Result<()> {
    if path.exists() {
        return Ok(());
    }
    let word = path.to_str().filter(|s| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    match word {
        Some(word) => anyhow::bail!(
            "unknown subcommand `{word}` (subcommands: {}; `stet --help` lists them; to open a file of that name, write ./{word})",
            subcommands.join(", ")
        ),
        None => anyhow::bail!("{}: no such file or folder", path.display()),
    }
}
