//! Plain text, Markdown and the newswire dump format.

use std::path::Path;

use serde_json::Value;

use super::{Article, IngestError, Problem, SourceFormat, first_line_title, make_title};
use crate::model::to_ascii_digits;

/// How many non-empty lines from the top may hold the `News code :` line of a newswire dump.
const NEWS_CODE_WITHIN_LINES: usize = 6;

/// Reads a decoded `.txt`/`.md` file: the newswire dump if its content says so, else plain
/// text (or Markdown, by extension) titled by its first non-empty line.
pub fn read_text(text: String, path: &Path) -> Result<Article, IngestError> {
    if text.trim().is_empty() {
        return Err(IngestError::file(path, Problem::Blank));
    }
    if let Some(article) = read_newswire(&text) {
        return article.ok_or_else(|| IngestError::file(path, Problem::NoText));
    }
    let markdown = path
        .extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown"));
    let (title, format) = if markdown {
        (markdown_title(&text), SourceFormat::Markdown)
    } else {
        (first_line_title(&text), SourceFormat::Text)
    };
    let title = title.ok_or_else(|| IngestError::file(path, Problem::Blank))?;
    Ok(Article::new(title, text, format))
}

/// One line of the text with its byte position.
struct Line<'t> {
    start: usize,
    text: &'t str,
}

impl Line<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }

    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// Splits LF-newline text into lines, remembering where each starts.
fn lines_of(text: &str) -> Vec<Line<'_>> {
    let mut start = 0;
    text.split('\n')
        .map(|line| {
            let this = Line { start, text: line };
            start += line.len() + 1;
            this
        })
        .collect()
}

/// The code of a `News code : ۱۱۶۵۳۸۱` line (any case and spacing), if `line` is one.
fn news_code(line: &str) -> Option<&str> {
    let line = line.trim();
    let rest = strip_prefix_ignore_case(line, "news")?.trim_start();
    let rest = strip_prefix_ignore_case(rest, "code")?.trim_start();
    let rest = rest
        .strip_prefix(':')
        .or_else(|| rest.strip_prefix('\u{FF1A}'))?;
    Some(rest.trim())
}

/// `text` without an ASCII `prefix` matched regardless of case.
fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// Reads the newswire dump: `None` when `text` is not one, `Some(None)` when it is one with
/// neither a title nor a body.
///
/// Only the whole signature makes a dump: a headline, the same headline again, a
/// `News code :` line within the first [`NEWS_CODE_WITHIN_LINES`] non-blank lines, and an
/// `END` line after it. Anything less is an ordinary text and is kept whole, so that a
/// "News code:" line in someone's notes never leaves the document.
fn read_newswire(text: &str) -> Option<Option<Article>> {
    let lines = lines_of(text);
    let (code_at, code) = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.is_blank())
        .take(NEWS_CODE_WITHIN_LINES)
        .find_map(|(at, line)| news_code(line.text).map(|code| (at, code)))?;
    let header = lines.get(..code_at).unwrap_or_default();
    let after = lines.get(code_at + 1..).unwrap_or_default();
    let end_at = after.iter().position(|line| line.text.trim() == "END")?;
    let repeated = {
        let mut texts = header
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| l.text.trim());
        let first = texts.next()?;
        texts.any(|line| line == first)
    };
    if !repeated {
        return None;
    }
    let body_lines = after.get(..end_at).unwrap_or_default();
    let trailer_lines = after.get(end_at + 1..).unwrap_or_default();
    let body = exact_lines(text, body_lines);

    // The title is the first header line; later header lines that repeat it are dropped,
    // any others are kept as paragraphs so that no text is lost.
    let mut header_texts = header
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| l.text.trim());
    let headline = header_texts.next();
    let mut parts: Vec<&str> = Vec::new();
    if let Some(headline) = headline {
        parts.push(headline);
        parts.extend(header_texts.filter(|line| *line != headline));
    }
    if !body.is_empty() {
        parts.push(body);
    }
    let full_text = parts.join("\n\n");
    let Some(title) = first_line_title(&full_text) else {
        return Some(None);
    };

    let mut article = Article::new(title, full_text, SourceFormat::Newswire);
    if !code.is_empty() {
        article
            .meta
            .insert("news_code".into(), Value::String(code.to_owned()));
        article.meta.insert(
            "news_code_ascii".into(),
            Value::String(to_ascii_digits(code)),
        );
    }
    let trailer: Vec<&str> = trailer_lines
        .iter()
        .filter(|line| !line.is_blank())
        .map(|line| line.text.trim())
        .collect();
    if !trailer.is_empty() {
        article
            .meta
            .insert("trailer".into(), Value::String(trailer.join("\n")));
    }
    Some(Some(article))
}

/// The exact text from the first to the last non-blank line of `lines` (empty if none).
fn exact_lines<'t>(text: &'t str, lines: &[Line<'_>]) -> &'t str {
    let first = lines.iter().find(|line| !line.is_blank());
    let last = lines.iter().rev().find(|line| !line.is_blank());
    match (first, last) {
        (Some(first), Some(last)) => text.get(first.start..last.end()).unwrap_or_default(),
        _ => "",
    }
}

/// A Markdown file's title: the `title:` of its front matter, else its first non-empty line
/// after the front matter without heading marks.
fn markdown_title(text: &str) -> Option<String> {
    let mut lines = text.lines().peekable();
    if lines.peek().is_some_and(|line| line.trim_end() == "---") {
        lines.next();
        let mut front_title = None;
        for line in lines.by_ref() {
            let trimmed = line.trim_end();
            if trimmed == "---" || trimmed == "..." {
                break;
            }
            if let Some(value) = strip_prefix_ignore_case(trimmed, "title:") {
                let value = value.trim();
                let value = value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                    .unwrap_or(value);
                front_title = Some(make_title(value)).filter(|title| !title.is_empty());
            }
        }
        if front_title.is_some() {
            return front_title;
        }
    }
    lines
        .map(|line| make_title(strip_heading_marks(line)))
        .find(|title| !title.is_empty())
        .or_else(|| first_line_title(text))
}

/// A Markdown heading line without its opening (and closing) `#` marks.
fn strip_heading_marks(line: &str) -> &str {
    let inner = line.trim().trim_start_matches('#').trim();
    let closed = inner.trim_end_matches('#');
    if closed.is_empty() || closed.ends_with(char::is_whitespace) {
        closed.trim_end()
    } else {
        inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::decode_text;

    const NEWSWIRE: &[u8] = include_bytes!("../../tests/fixtures/ingest/newswire.txt");
    const HEADLINE: &str = "Biden and Putin to hold video call on Tuesday on Ukraine";

    fn read(text: &str, name: &str) -> Article {
        read_text(text.to_owned(), Path::new(name)).unwrap()
    }

    fn newswire() -> Article {
        read(&decode_text(NEWSWIRE).unwrap(), "biden.txt")
    }

    #[test]
    fn newswire_keeps_headline_once_and_body_exactly() {
        let article = newswire();
        assert_eq!(article.format, SourceFormat::Newswire);
        assert_eq!(article.title, HEADLINE);
        assert_eq!(article.text.matches(HEADLINE).count(), 1);
        assert!(
            article
                .text
                .starts_with(&format!("{HEADLINE}\n\nPresident Joe Biden and Russian"))
        );
        assert!(article.text.ends_with("in short order.\u{201D}"));
        assert!(!article.text.contains("News code"));
        assert!(!article.text.contains("END"));
        assert!(!article.text.contains("endNewsMessage1"));
        assert!(!article.text.contains("Comments"));
        // Curly quotes, apostrophes and the no-break space before a quote survive.
        assert!(
            article
                .text
                .contains("Peskov added \u{201C}the presidents will decide themselves\u{201D}")
        );
        assert!(article.text.contains("Russia\u{2019}s state news agency"));
        assert!(
            article.text.contains(
                "\n\n\u{A0}\u{201C}I don\u{2019}t accept anyone\u{2019}s red line,\u{201D}"
            )
        );
        assert!(
            article
                .text
                .contains("Biden-Zelenskyy call expected\n\nBiden is tentatively")
        );
    }

    #[test]
    fn newswire_meta_has_the_code_in_both_digit_forms_and_the_trailer() {
        let article = newswire();
        assert_eq!(article.meta["news_code"], "۱۱۶۵۳۸۱");
        assert_eq!(article.meta["news_code_ascii"], "1165381");
        assert_eq!(article.meta["trailer"], "endNewsMessage1\nComments");
        assert!(article.spans.is_empty());
    }

    #[test]
    fn newswire_is_found_by_content_not_name_and_tolerates_spacing() {
        let text = "Headline here\n\nHeadline here\nNEWS CODE: 42\n\nBody one.\n\nBody two.\nEND\n";
        for name in ["a.txt", "b.md", "no-extension"] {
            let article = read(text, name);
            assert_eq!(article.format, SourceFormat::Newswire);
            assert_eq!(article.text, "Headline here\n\nBody one.\n\nBody two.");
            assert_eq!(article.meta["news_code"], "42");
            assert!(!article.meta.contains_key("trailer"));
        }
        let spaced = read(
            "Title\nTitle\n  News   code   :   7  \nBody\nEND\n",
            "c.txt",
        );
        assert_eq!(spaced.text, "Title\n\nBody");
        assert_eq!(spaced.meta["news_code_ascii"], "7");
    }

    #[test]
    fn newswire_keeps_other_header_lines_and_a_headline_alone() {
        let article = read(
            "Title\nA subtitle\nTitle\nNews code : 1\n\nBody.\nEND",
            "a.txt",
        );
        assert_eq!(article.text, "Title\n\nA subtitle\n\nBody.");
        let title_only = read("Just a title\nJust a title\nNews code : 1\nEND\n", "a.txt");
        assert_eq!(title_only.text, "Just a title");
    }

    #[test]
    fn a_news_code_line_without_the_whole_signature_is_ordinary_text() {
        // Each lacks one part: the repeated headline, the END line, or any headline.
        for text in [
            "Minutes of the call\nNews code : 12\n\nWe agreed.\nEND\n",
            "Title\nTitle\nNews code : 12\n\nNo end line.\n",
            "News code : 1\n\nFirst body line.\nMore.\nEND\nx",
            "News code : 1\n\nEND\nComments",
        ] {
            let article = read(text, "notes.txt");
            assert_eq!(article.format, SourceFormat::Text, "{text:?}");
            assert_eq!(article.text, text, "nothing leaves the text");
            assert!(article.meta.is_empty());
        }
    }

    #[test]
    fn news_code_later_in_the_text_is_just_text() {
        let text = "One\nTwo\nThree\nFour\nFive\nSix\nSeven\nNews code : 1\n";
        assert_eq!(read(text, "a.txt").format, SourceFormat::Text);
    }

    #[test]
    fn plain_text_is_stored_unchanged() {
        let text = "\n  First line  \n\tSecond\u{A0}line\n\n";
        let article = read(text, "a.TXT");
        assert_eq!(article.format, SourceFormat::Text);
        assert_eq!(article.title, "First line");
        assert_eq!(article.text, text);
    }

    #[test]
    fn markdown_titles_lose_heading_marks_but_text_is_unchanged() {
        let text = "## A *Markdown* headline ##\n\nBody.\n";
        let article = read(text, "notes.Markdown");
        assert_eq!(article.format, SourceFormat::Markdown);
        assert_eq!(article.title, "A *Markdown* headline");
        assert_eq!(article.text, text);
        assert_eq!(read("#\n# C# rocks\n", "a.md").title, "C# rocks");
        let front = "---\nauthor: x\ntitle: \"From front matter\"\n---\n# Heading\n";
        assert_eq!(read(front, "a.md").title, "From front matter");
        assert_eq!(
            read("---\nauthor: x\n---\n# Heading\n", "a.md").title,
            "Heading"
        );
        // A .txt file keeps the marks.
        assert_eq!(read("# Not markdown\n", "a.txt").title, "# Not markdown");
    }

    #[test]
    fn long_titles_are_cut_with_an_ellipsis() {
        let line = "word ".repeat(100);
        let article = read(&format!("{line}\nbody"), "a.txt");
        assert!(article.title.chars().count() <= 200);
        assert!(article.title.ends_with("word…"));
        let accents = "e\u{301}".repeat(150);
        let title = read(&accents, "a.txt").title;
        assert!(title.ends_with("e\u{301}…"));
    }

    #[test]
    fn blank_text_is_refused() {
        let err = read_text(" \n ".to_owned(), Path::new("x.txt")).unwrap_err();
        assert!(matches!(err.problem, Problem::Blank));
    }
}
