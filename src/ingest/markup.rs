//! HTML and XML news files: visible text only, block elements as paragraphs.
//!
//! Both readers feed one [`Paragraphs`] collector: text runs inside a paragraph collapse to
//! single spaces (except in `pre`), block boundaries end paragraphs, and paragraphs are
//! joined by one blank line. HTML goes through html5ever (via scraper), which never fails;
//! XML goes through quick-xml, and a file that is not well-formed XML is read again
//! leniently with html5ever so that whatever can be read is read.

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;
use scraper::{Html, Node};
use serde_json::Value;

use super::{Article, IngestError, Problem, SourceFormat, first_line_title, make_title};

/// HTML elements whose edges are paragraph boundaries.
const HTML_BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// HTML elements whose content is never shown as text.
const HTML_HIDDEN: &[&str] = &[
    "audio", "canvas", "datalist", "embed", "head", "iframe", "noscript", "object", "script",
    "select", "style", "template", "title", "video",
];

/// Elements whose content belongs to another vocabulary (their `title`s are not headlines).
const FOREIGN: &[&str] = &["svg", "math"];

/// XML elements (lower-case local names) that run inside a paragraph rather than starting
/// one: HTML inline markup, NITF inline entities, TEI, DocBook and JATS phrase markup, and
/// milestones such as page breaks.
const XML_INLINE: &[&str] = &[
    "a",
    "abbr",
    "abbrev",
    "acronym",
    "add",
    "alt-code",
    "anchor",
    "b",
    "bdi",
    "bdo",
    "big",
    "bold",
    "c",
    "cb",
    "choice",
    "chron",
    "cite",
    "citetitle",
    "classifier",
    "code",
    "command",
    "copyrite",
    "corr",
    "data",
    "date",
    "del",
    "dfn",
    "em",
    "email",
    "emph",
    "emphasis",
    "event",
    "expan",
    "ext-link",
    "filename",
    "firstterm",
    "font",
    "foreign",
    "function",
    "gap",
    "hi",
    "i",
    "inline-formula",
    "ins",
    "italic",
    "kbd",
    "label",
    "lang",
    "link",
    "literal",
    "location",
    "mark",
    "measure",
    "milestone",
    "money",
    "monospace",
    "name",
    "named-content",
    "nobr",
    "num",
    "object.title",
    "org",
    "orgname",
    "orig",
    "pb",
    "pc",
    "person",
    "persname",
    "phrase",
    "placename",
    "pronounce",
    "ptr",
    "q",
    "ref",
    "reg",
    "replaceable",
    "rp",
    "rs",
    "rt",
    "ruby",
    "s",
    "samp",
    "sc",
    "seg",
    "sic",
    "small",
    "span",
    "strike",
    "strong",
    "styled-content",
    "sub",
    "sup",
    "systemitem",
    "term",
    "time",
    "tt",
    "u",
    "ulink",
    "unclear",
    "underline",
    "uri",
    "var",
    "virtloc",
    "w",
    "wbr",
    "xref",
];

/// XML elements whose content is never text.
const XML_HIDDEN: &[&str] = &["noscript", "script", "style", "template"];

/// XML elements (lower-case local names) that hold a headline.
const XML_TITLES: &[&str] = &["headline", "hl1", "title"];

/// What an element does to the text around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Its content is not shown.
    Hidden,
    /// It starts and ends a paragraph.
    Block,
    /// A block whose white space is kept as written.
    Pre,
    /// A line break (`br`).
    LineBreak,
    /// It runs inside a paragraph.
    Inline,
}

/// Which vocabulary decides element roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// HTML: known block elements are blocks, unknown ones inline, `title` hidden.
    Html,
    /// Unknown XML: every element is a block except known inline ones, titles stay in text.
    Xml,
}

/// The role of an element in `mode`; `child_of_root` says whether it sits directly inside
/// the document's root element (an XML `head` is metadata only there).
fn role_of(name: &str, mode: Mode, child_of_root: bool) -> Role {
    let local = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
    let local = local.as_str();
    if local == "br" || (mode == Mode::Xml && local == "lb") {
        return Role::LineBreak;
    }
    if local == "pre" || local == "listing" || local == "xmp" || local == "plaintext" {
        return Role::Pre;
    }
    if FOREIGN.contains(&local) {
        return Role::Hidden;
    }
    match mode {
        Mode::Html if HTML_HIDDEN.contains(&local) => Role::Hidden,
        Mode::Html if HTML_BLOCKS.contains(&local) => Role::Block,
        Mode::Html => Role::Inline,
        Mode::Xml if XML_HIDDEN.contains(&local) || (local == "head" && child_of_root) => {
            Role::Hidden
        }
        Mode::Xml if XML_INLINE.contains(&local) => Role::Inline,
        Mode::Xml => Role::Block,
    }
}

/// Whether an element (by lower-case local name) holds a headline in `mode`.
fn is_title(name: &str, mode: Mode) -> bool {
    let local = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
    match mode {
        Mode::Html => local == "title",
        Mode::Xml => XML_TITLES.contains(&local.as_str()),
    }
}

/// White space that markup collapses (HTML's and XML's; not the no-break space).
fn is_markup_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0C}')
}

/// Collects visible text as paragraphs separated by one blank line.
#[derive(Debug, Default)]
struct Paragraphs {
    /// Finished paragraphs.
    out: String,
    /// The paragraph being filled.
    para: String,
    /// Whether `para` has anything but white space.
    has_text: bool,
    /// Whether collapsed white space is owed before the next character.
    pending_space: bool,
    /// Line breaks (`br`) seen since the last character.
    breaks: u32,
    /// How many `pre` elements are open.
    pre_depth: usize,
    /// Whether the paragraph being filled came from `pre`.
    para_is_pre: bool,
}

impl Paragraphs {
    /// Adds text as it appears in the markup.
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            self.push(c);
        }
    }

    fn push(&mut self, c: char) {
        if self.pre_depth == 0 && is_markup_space(c) {
            if self.has_text {
                self.pending_space = true;
            }
            return;
        }
        if self.breaks > 0 {
            let breaks = std::mem::take(&mut self.breaks);
            if breaks >= 2 {
                self.end_paragraph();
            } else if self.has_text {
                while self.para.ends_with(is_markup_space) {
                    self.para.pop();
                }
                self.para.push('\n');
            }
            self.pending_space = false;
        }
        if self.pending_space {
            self.para.push(' ');
            self.pending_space = false;
        }
        if self.pre_depth > 0 {
            self.para_is_pre = true;
        }
        if !c.is_whitespace() {
            self.has_text = true;
        }
        self.para.push(c);
    }

    /// A `br`: a line break inside the paragraph; two in a row end it.
    fn line_break(&mut self) {
        if self.pre_depth > 0 {
            self.para.push('\n');
        } else if self.has_text {
            self.breaks = self.breaks.saturating_add(1);
        }
    }

    /// A block element's edge: the paragraph being filled is finished.
    fn end_paragraph(&mut self) {
        let para = std::mem::take(&mut self.para);
        let kept = if self.para_is_pre {
            trim_pre(&para)
        } else {
            para.trim()
        };
        if self.has_text && !kept.is_empty() {
            if !self.out.is_empty() {
                self.out.push_str("\n\n");
            }
            self.out.push_str(kept);
        }
        self.has_text = false;
        self.pending_space = false;
        self.breaks = 0;
        self.para_is_pre = false;
    }

    /// Adds text that is already split into paragraphs (by blank lines) as paragraphs of
    /// their own; a single paragraph runs on inline.
    fn extracted(&mut self, text: &str) {
        if !text.contains("\n\n") {
            self.text(text);
            return;
        }
        self.end_paragraph();
        for para in text.split("\n\n") {
            self.para.push_str(para);
            self.has_text = !para.trim().is_empty();
            self.end_paragraph();
        }
    }

    /// The paragraphs collected, joined by blank lines.
    fn finish(mut self) -> String {
        self.end_paragraph();
        self.out
    }
}

/// Trims a preformatted paragraph: leading blank lines and trailing white space go, the
/// first line's indentation stays.
fn trim_pre(para: &str) -> &str {
    let lead = para.len() - para.trim_start().len();
    let start = para
        .get(..lead)
        .and_then(|head| head.rfind('\n'))
        .map_or(0, |newline| newline + 1);
    para.get(start..).unwrap_or_default().trim_end()
}

/// Collects the text of the first element of a kind that has any.
#[derive(Debug, Default)]
struct TitleCatcher {
    text: String,
    depth: usize,
    found: Option<String>,
}

impl TitleCatcher {
    fn open(&mut self) {
        if self.found.is_none() {
            self.depth += 1;
        }
    }

    fn close(&mut self) {
        if self.depth == 0 {
            return;
        }
        self.depth -= 1;
        if self.depth == 0 {
            let title = make_title(&std::mem::take(&mut self.text));
            if !title.is_empty() {
                self.found = Some(title);
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.depth > 0 {
            self.text.push_str(text);
        }
    }

    /// A block edge or line break inside the headline: its parts must not run together.
    fn gap(&mut self) {
        if self.depth > 0 {
            self.text.push(' ');
        }
    }
}

/// Text and headline read from a markup file.
#[derive(Debug, Default)]
struct Extracted {
    text: String,
    title: Option<String>,
}

/// Walks an html5ever tree, feeding its visible text to a [`Paragraphs`].
struct TreeWalker<'p> {
    mode: Mode,
    out: &'p mut Paragraphs,
    /// How many hidden elements are open.
    hidden: usize,
    /// How many SVG or MathML elements are open.
    foreign: usize,
    /// The headline element (`title` for HTML, `headline`/`hl1`/`title` for XML).
    title: TitleCatcher,
    /// The first `h1`, the HTML headline when there is no `title`.
    h1: TitleCatcher,
    /// Whether to look for headlines at all (not in fragments embedded in XML).
    titles: bool,
}

impl TreeWalker<'_> {
    fn open(&mut self, node: &Node) {
        match node {
            Node::Text(text) => {
                if self.hidden == 0 {
                    self.out.text(text);
                }
                self.title.text(text);
                self.h1.text(text);
            }
            Node::Element(element) => {
                let name = element.name();
                if self.titles && self.foreign == 0 {
                    if is_title(name, self.mode) {
                        self.title.open();
                    }
                    if self.mode == Mode::Html && name == "h1" && self.hidden == 0 {
                        self.h1.open();
                    }
                }
                let role = self.role(element);
                self.enter(role);
                if FOREIGN.contains(&name) {
                    self.foreign += 1;
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, node: &Node) {
        if let Node::Element(element) = node {
            let name = element.name();
            if FOREIGN.contains(&name) {
                self.foreign = self.foreign.saturating_sub(1);
            }
            let role = self.role(element);
            self.leave(role);
            if self.titles && self.foreign == 0 {
                if is_title(name, self.mode) {
                    self.title.close();
                }
                if self.mode == Mode::Html && name == "h1" {
                    self.h1.close();
                }
            }
        }
    }

    fn role(&self, element: &scraper::node::Element) -> Role {
        if element.attr("hidden").is_some() {
            return Role::Hidden;
        }
        // In an html5ever tree, a `head` is always the document head, so it is hidden in
        // both modes.
        role_of(element.name(), self.mode, true)
    }

    fn enter(&mut self, role: Role) {
        if role != Role::Inline {
            self.title.gap();
            self.h1.gap();
        }
        match role {
            Role::Hidden => self.hidden += 1,
            Role::Block => self.out.end_paragraph(),
            Role::Pre => {
                self.out.end_paragraph();
                self.out.pre_depth += 1;
            }
            Role::LineBreak => {
                if self.hidden == 0 {
                    self.out.line_break();
                }
            }
            Role::Inline => {}
        }
    }

    fn leave(&mut self, role: Role) {
        if role != Role::Inline {
            self.title.gap();
            self.h1.gap();
        }
        match role {
            Role::Hidden => self.hidden = self.hidden.saturating_sub(1),
            Role::Block => self.out.end_paragraph(),
            Role::Pre => {
                self.out.end_paragraph();
                self.out.pre_depth = self.out.pre_depth.saturating_sub(1);
            }
            Role::LineBreak | Role::Inline => {}
        }
    }
}

/// Visits every node of an html5ever tree in document order without recursion (deeply
/// nested markup must not exhaust the stack).
fn walk_tree(html: &Html, walker: &mut TreeWalker<'_>) {
    let root = html.tree.root();
    let mut node = root;
    loop {
        walker.open(node.value());
        if let Some(child) = node.first_child() {
            node = child;
            continue;
        }
        loop {
            walker.close(node.value());
            if node == root {
                return;
            }
            if let Some(next) = node.next_sibling() {
                node = next;
                break;
            }
            match node.parent() {
                Some(parent) => node = parent,
                None => return,
            }
        }
    }
}

/// Reads a whole document leniently with html5ever.
fn extract_with_html5ever(text: &str, mode: Mode) -> Extracted {
    let html = Html::parse_document(text);
    let mut out = Paragraphs::default();
    let mut walker = TreeWalker {
        mode,
        out: &mut out,
        hidden: 0,
        foreign: 0,
        title: TitleCatcher::default(),
        h1: TitleCatcher::default(),
        titles: true,
    };
    walk_tree(&html, &mut walker);
    let title = walker.title.found.take().or_else(|| walker.h1.found.take());
    Extracted {
        text: out.finish(),
        title,
    }
}

/// The visible text of an HTML fragment (such as escaped markup in an XML CDATA section).
fn html_fragment_text(text: &str) -> String {
    let html = Html::parse_fragment(text);
    let mut out = Paragraphs::default();
    let mut walker = TreeWalker {
        mode: Mode::Html,
        out: &mut out,
        hidden: 0,
        foreign: 0,
        title: TitleCatcher::default(),
        h1: TitleCatcher::default(),
        titles: false,
    };
    walk_tree(&html, &mut walker);
    out.finish()
}

/// Whether text (from CDATA) holds HTML tags rather than plain characters: a `<` followed
/// by a letter, `/` or `!`, with a `>` somewhere after it.
fn looks_like_html(text: &str) -> bool {
    let Some(last_close) = text.rfind('>') else {
        return false;
    };
    text.match_indices('<')
        .take_while(|(at, _)| *at < last_close)
        .any(|(at, _)| {
            let next = text.get(at + 1..).and_then(|rest| rest.chars().next());
            next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
        })
}

/// An element open while reading XML.
struct OpenElement {
    name: String,
    role: Role,
    title: bool,
}

/// Reads well-formed XML; `Err` says why the file is not (for the fallback note).
fn extract_xml(text: &str) -> Result<Extracted, String> {
    let mut reader = Reader::from_str(text);
    let mut out = Paragraphs::default();
    let mut title = TitleCatcher::default();
    let mut stack: Vec<OpenElement> = Vec::new();
    let mut hidden = 0usize;
    let mut saw_root = false;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => return Err(describe_xml_error(text, reader.error_position(), &err)),
        };
        let inside = !stack.is_empty();
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let name = start.name().into_inner().to_owned();
                let role = role_of(&name, Mode::Xml, stack.len() == 1);
                let is_headline = is_title(&name, Mode::Xml) && outside_foreign(&stack);
                if !inside && saw_root {
                    // A second root element is not well-formed, but its text is still read.
                    out.end_paragraph();
                }
                saw_root = true;
                if is_headline {
                    title.open();
                }
                if role != Role::Inline {
                    title.gap();
                }
                match role {
                    Role::Hidden => hidden += 1,
                    Role::Block => out.end_paragraph(),
                    Role::Pre => {
                        out.end_paragraph();
                        out.pre_depth += 1;
                    }
                    Role::LineBreak if hidden == 0 => out.line_break(),
                    Role::LineBreak | Role::Inline => {}
                }
                let element = OpenElement {
                    name,
                    role,
                    title: is_headline,
                };
                if matches!(event, Event::Empty(_)) {
                    close_xml_element(&element, &mut out, &mut title, &mut hidden);
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => match stack.pop() {
                Some(element) => close_xml_element(&element, &mut out, &mut title, &mut hidden),
                None => return Err("a closing tag has no opening tag".into()),
            },
            Event::Text(ref content) => {
                if !inside {
                    if !content.trim().is_empty() {
                        return Err("text stands outside the root element".into());
                    }
                    continue;
                }
                if hidden == 0 {
                    out.text(content);
                }
                title.text(content);
            }
            Event::CData(ref content) => {
                if !inside {
                    return Err("a CDATA section stands outside the root element".into());
                }
                let content: &str = content;
                if looks_like_html(content) {
                    // Feeds often wrap escaped HTML in CDATA; its tags are not text.
                    let visible = html_fragment_text(content);
                    if hidden == 0 {
                        out.extracted(&visible);
                    }
                    title.text(&visible);
                } else {
                    if hidden == 0 {
                        out.text(content);
                    }
                    title.text(content);
                }
            }
            Event::GeneralRef(ref reference) => {
                if !inside {
                    return Err("an entity reference stands outside the root element".into());
                }
                let resolved = resolve_reference(reference).ok_or_else(|| {
                    format!(
                        "line {}: the entity &{}; is not defined in XML",
                        line_at(text, reader.buffer_position()),
                        &**reference
                    )
                })?;
                let mut buf = [0u8; 4];
                let resolved = resolved.encode_utf8(&mut buf);
                if hidden == 0 {
                    out.text(resolved);
                }
                title.text(resolved);
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(format!("the file ends before <{}> is closed", open.name));
                }
                if !saw_root {
                    return Err("there is no root element".into());
                }
                break;
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    Ok(Extracted {
        text: out.finish(),
        title: title.found,
    })
}

/// Whether no SVG or MathML element is open (their `title`s are not headlines).
fn outside_foreign(stack: &[OpenElement]) -> bool {
    !stack.iter().any(|open| {
        let local = open.name.rsplit(':').next().unwrap_or(&open.name);
        FOREIGN.iter().any(|f| local.eq_ignore_ascii_case(f))
    })
}

/// Ends an XML element: the paragraph, hidden or headline it opened ends with it.
fn close_xml_element(
    element: &OpenElement,
    out: &mut Paragraphs,
    title: &mut TitleCatcher,
    hidden: &mut usize,
) {
    if element.role != Role::Inline {
        title.gap();
    }
    match element.role {
        Role::Hidden => *hidden = hidden.saturating_sub(1),
        Role::Block => out.end_paragraph(),
        Role::Pre => {
            out.end_paragraph();
            out.pre_depth = out.pre_depth.saturating_sub(1);
        }
        Role::LineBreak | Role::Inline => {}
    }
    if element.title {
        title.close();
    }
}

/// The character an XML entity reference stands for: the five predefined entities and
/// numeric character references; `None` for anything else.
fn resolve_reference(reference: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    match &**reference {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => reference.resolve_char_ref().ok().flatten(),
    }
}

/// The 1-based line of a byte position in `text`.
fn line_at(text: &str, position: u64) -> usize {
    let end = usize::try_from(position)
        .unwrap_or(usize::MAX)
        .min(text.len());
    let before = text.as_bytes().get(..end).unwrap_or_default();
    1 + before.iter().filter(|&&b| b == b'\n').count()
}

/// A one-line description of an XML error with its line.
fn describe_xml_error(text: &str, position: u64, err: &quick_xml::Error) -> String {
    let message = err.to_string().replace('\n', " ");
    format!("line {}: {message}", line_at(text, position))
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

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE_HTML: &str = include_str!("../../tests/fixtures/ingest/article.html");
    const NITF: &str = include_str!("../../tests/fixtures/ingest/nitf.xml");
    const RSS: &str = include_str!("../../tests/fixtures/ingest/rss.xml");

    fn html(text: &str) -> Article {
        read_html(text, Path::new("a.html")).unwrap()
    }

    fn xml(text: &str) -> Article {
        read_xml(text, Path::new("a.xml")).unwrap()
    }

    #[test]
    fn html_article_keeps_visible_text_as_paragraphs() {
        let article = html(ARTICLE_HTML);
        assert_eq!(article.format, SourceFormat::Html);
        assert_eq!(
            article.title,
            "Kremlin confirms Biden\u{2013}Putin call | Example News"
        );
        let paragraphs: Vec<&str> = article.text.split("\n\n").collect();
        assert_eq!(
            paragraphs,
            [
                "Home | World",
                "Biden and Putin to hold video call",
                "By A. Reporter,\u{A0}Moscow",
                "Kremlin spokesman Dmitry Peskov said the presidents \u{201C}will decide \
                 themselves\u{201D} how long the call will last & what it covers.",
                "Nested block text.",
                "Loose text after a nested block.",
                "\u{201C}We know what President Putin has done in the past,\u{201D} Psaki said.",
                "First line\nsecond line\nthird line",
                "Troops near the border.",
                "One",
                "Two items",
                "Troops",
                "94,300",
                "  indented\n    code   kept",
                "\u{A9} 2021 Example",
            ]
        );
        for hidden in [
            "color",
            "tracking",
            "not text",
            "JavaScript",
            "Template",
            "Hidden",
            "comment",
        ] {
            assert!(
                !article.text.contains(hidden),
                "{hidden} leaked into the text"
            );
        }
    }

    #[test]
    fn html_title_falls_back_to_h1_then_first_line() {
        assert_eq!(
            html("<h1>Main <i>headline</i></h1><p>Body</p>").title,
            "Main headline"
        );
        assert_eq!(
            html("<title> </title><p>Only a body\nline</p>").title,
            "Only a body line"
        );
        // An SVG's title is not the page's.
        let svg = "<svg><title>Icon</title></svg><h1>Real</h1>";
        assert_eq!(html(svg).title, "Real");
    }

    #[test]
    fn malformed_html_still_yields_its_text() {
        let article = html("<p>Unclosed <b>bold <i>and</b> italic<p>Next &amp c <div>Open div");
        assert_eq!(
            article.text,
            "Unclosed bold and italic\n\nNext & c\n\nOpen div"
        );
        let article = html("<<p>>Text</p></div></span>&bogus; <p");
        assert_eq!(article.text, "<\n\n>Text\n\n&bogus;");
    }

    #[test]
    fn repeated_line_breaks_end_a_paragraph() {
        let article = html("<div>One<br><br>Two<br> <br>\n<br>Three<br></div>");
        assert_eq!(article.text, "One\n\nTwo\n\nThree");
    }

    #[test]
    fn markup_without_visible_text_is_refused() {
        let err = read_html(
            "<html><head><title>T</title></head><body> <script>x</script></body>",
            Path::new("e.html"),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "e.html: the file has no visible text");
        let err = read_xml("<root><empty/>  </root>", Path::new("e.xml")).unwrap_err();
        assert_eq!(err.to_string(), "e.xml: the file has no visible text");
    }

    #[test]
    fn nitf_text_starts_with_the_headline_and_drops_the_head() {
        let article = xml(NITF);
        assert_eq!(article.format, SourceFormat::Xml);
        assert_eq!(article.title, "Putin-Biden call (slug)");
        assert!(!article.meta.contains_key("xml_error"));
        let paragraphs: Vec<&str> = article.text.split("\n\n").collect();
        assert_eq!(
            paragraphs,
            [
                "Biden and Putin to hold video call on Tuesday on Ukraine",
                "By A. Reporter",
                "MOSCOW,",
                "Dec. 4",
                "President Joe Biden and Russian President Vladimir Putin will speak in a \
                 video conference, Kremlin spokesman Dmitry Peskov said.",
                "Peskov added \u{201C}the presidents will decide themselves\u{201D} how long & when.",
                "Russia has massed about 70,000 troops & more <1 km> from the border.",
            ]
        );
    }

    #[test]
    fn rss_reads_namespaced_titles_and_html_in_cdata() {
        let article = xml(RSS);
        assert_eq!(
            article.title,
            "Kremlin says Putin and Biden will speak on Tuesday"
        );
        assert_eq!(
            article.text,
            "Kremlin says Putin and Biden will speak on Tuesday\n\nThe call will take place \
             Tuesday evening.\n\nIt was confirmed on Saturday.\n\nNewsdesk"
        );
    }

    #[test]
    fn xml_keeps_inline_elements_inside_paragraphs() {
        let article = xml(
            "<doc><headline>A <em>big</em> day</headline><para>It was <hi>very</hi> \
                 big<lb/>indeed.</para><pb n=\"2\"/><para>Next</para></doc>",
        );
        assert_eq!(article.title, "A big day");
        assert_eq!(
            article.text,
            "A big day\n\nIt was very big\nindeed.\n\nNext"
        );
    }

    #[test]
    fn malformed_xml_falls_back_to_lenient_reading() {
        let article = xml("<doc><title>Broken</title><p>One <b>two</p><p>Three</doc>");
        assert_eq!(article.format, SourceFormat::Xml);
        assert_eq!(article.title, "Broken");
        assert_eq!(article.text, "Broken\n\nOne two\n\nThree");
        let note = article.meta["xml_error"].as_str().unwrap();
        assert!(note.starts_with("line 1: "), "{note}");
        assert!(note.ends_with("; the file was read leniently"), "{note}");
        // A file that ends too early.
        let article = xml("<doc><p>Cut short</p>\n<p>mid");
        assert_eq!(article.text, "Cut short\n\nmid");
        assert!(article.meta["xml_error"].as_str().unwrap().contains("<p>"));
    }

    #[test]
    fn html_entities_in_xml_are_read_leniently() {
        let article = xml(
            "<story>\n<hl1>Caf&eacute; talks</hl1>\n<p>Price:&nbsp;5&#160;euros &amp; up</p></story>",
        );
        assert_eq!(article.title, "Café talks");
        assert_eq!(article.text, "Café talks\n\nPrice:\u{A0}5\u{A0}euros & up");
        assert_eq!(
            article.meta["xml_error"],
            "line 2: the entity &eacute; is not defined in XML; the file was read leniently"
        );
    }

    #[test]
    fn unreadable_xml_names_the_problem() {
        let err = read_xml("<a><!-- only a comment --></b>", Path::new("x.xml")).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("x.xml: is not well-formed XML (line 1: "),
            "{message}"
        );
        assert!(
            message.ends_with(") and has no text that can be read"),
            "{message}"
        );
    }

    #[test]
    fn cdata_is_read_as_html_only_when_it_holds_tags() {
        assert!(looks_like_html("<p>x</p>"));
        assert!(looks_like_html("a <br/> b"));
        assert!(!looks_like_html("a < b > c"));
        assert!(!looks_like_html("<p no closing"));
        assert!(!looks_like_html(&"<<".repeat(100_000)));
        let article = xml("<d><p><![CDATA[a < b && c > d]]></p></d>");
        assert_eq!(article.text, "a < b && c > d");
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        // html5ever takes time quadratic in the depth, so its test stays shallower; both
        // depths are far beyond what a recursive walk could survive on a test thread.
        let nested = format!("{}deep{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        assert_eq!(html(&nested).text, "deep");
        let depth = 100_000;
        let nested = format!("{}deep{}", "<x>".repeat(depth), "</x>".repeat(depth));
        assert_eq!(xml(&nested).text, "deep");
    }
}
