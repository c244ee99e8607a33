//! JSONL: one document per line, with spans in stet/spaCy or doccano form.

use std::path::Path;

use super::{Article, IngestError};

/// Reads a decoded JSONL file: one article per non-blank line.
pub fn read_jsonl(_text: &str, _path: &Path) -> Result<Vec<Article>, IngestError> {
    // TODO(ingest helper): records, spans, validation.
    Ok(Vec::new())
}
