//! HTML and XML news files: visible text only, block elements as paragraphs.
//!
//! Both readers feed one text collector: text runs inside a paragraph collapse to single
//! spaces (except in `pre`), block boundaries end paragraphs, and paragraphs are joined by
//! one blank line. HTML goes through html5ever (via scraper), which never fails, after its
//! nesting is bounded (`prepare.rs`: html5ever's time grows with the square of the depth);
//! XML goes through quick-xml, and a file that is not well-formed XML is read again
//! leniently with html5ever so that whatever can be read is read.

mod html;
mod prepare;
mod roles;
#[cfg(test)]
mod tests;
mod text;
mod xml;

use std::path::Path;

use serde_json::Value;

use super::{Article, IngestError, Problem, SourceFormat, first_line_title};
use html::extract_with_html5ever;
use roles::Mode;
use xml::extract_xml;

/// Text and headline read from a markup file.
#[derive(Debug, Default)]
pub(super) struct Extracted {
    pub(super) text: String,
    pub(super) title: Option<String>,
}

/// Turns extracted text into an article, or says that there was nothing to read.
fn into_article(
    extracted: Extracted,
    format: SourceFormat,
    path: &Path,
) -> Result<Article, IngestError> {
    let title = extracted
        .title
        .or_else(|| first_line_title(&extracted.text))
        .filter(|_| !extracted.text.trim().is_empty())
        .ok_or_else(|| IngestError::file(path, Problem::NoText))?;
    Ok(Article::new(title, extracted.text, format))
}

/// Reads a decoded HTML file.
pub fn read_html(text: &str, path: &Path) -> Result<Article, IngestError> {
    into_article(
        extract_with_html5ever(text, Mode::Html),
        SourceFormat::Html,
        path,
    )
}

/// Reads a decoded XML file.
pub fn read_xml(text: &str, path: &Path) -> Result<Article, IngestError> {
    match extract_xml(text) {
        Ok(extracted) => into_article(extracted, SourceFormat::Xml, path),
        Err(reason) => {
            let lenient = extract_with_html5ever(text, Mode::Xml);
            let mut article = into_article(lenient, SourceFormat::Xml, path).map_err(|_| {
                let message =
                    format!("is not well-formed XML ({reason}) and has no text that can be read");
                IngestError::file(path, Problem::Record(message))
            })?;
            let note = format!("{reason}; the file was read leniently");
            article.meta.insert("xml_error".into(), Value::String(note));
            Ok(article)
        }
    }
}
