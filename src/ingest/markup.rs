//! HTML and XML news files: visible text only, block elements as paragraphs.

use std::path::Path;

use super::{Article, IngestError, Problem, SourceFormat};

/// Reads a decoded HTML file.
pub fn read_html(_text: &str, path: &Path) -> Result<Article, IngestError> {
    // TODO(ingest helper): scraper-based extraction.
    Err(IngestError::file(
        path,
        Problem::Record("HTML is not read yet".into()),
    ))
}

/// Reads a decoded XML file.
pub fn read_xml(_text: &str, path: &Path) -> Result<Article, IngestError> {
    // TODO(ingest helper): quick-xml extraction with an HTML fallback.
    let _ = SourceFormat::Xml;
    Err(IngestError::file(
        path,
        Problem::Record("XML is not read yet".into()),
    ))
}
