//! Plain text, Markdown and the newswire dump format.

use std::path::Path;

use super::{Article, IngestError, SourceFormat};

/// Reads a decoded `.txt`/`.md` file: the newswire dump if its content says so, else plain
/// text (or Markdown, by extension) titled by its first non-empty line.
pub fn read_text(text: &str, _path: &Path) -> Result<Article, IngestError> {
    // TODO(ingest helper): newswire detection, Markdown titles.
    let title = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_owned();
    Ok(Article::new(title, text.to_owned(), SourceFormat::Text))
}
