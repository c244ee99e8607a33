//! What each element does to the text around it: blocks, inline runs, hidden content and
//! headlines, for HTML and for XML vocabularies (NITF, TEI, DocBook, JATS, RSS).

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
pub(super) const FOREIGN: &[&str] = &["svg", "math"];

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
pub(super) enum Role {
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
pub(super) enum Mode {
    /// HTML: known block elements are blocks, unknown ones inline, `title` hidden.
    Html,
    /// Unknown XML: every element is a block except known inline ones, titles stay in text.
    Xml,
}

/// The role of an element in `mode`; `child_of_root` says whether it sits directly inside
/// the document's root element (an XML `head` is metadata only there).
pub(super) fn role_of(name: &str, mode: Mode, child_of_root: bool) -> Role {
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
pub(super) fn is_title(name: &str, mode: Mode) -> bool {
    let local = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
    match mode {
        Mode::Html => local == "title",
        Mode::Xml => XML_TITLES.contains(&local.as_str()),
    }
}

/// White space that markup collapses (HTML's and XML's; not the no-break space).
pub(super) fn is_markup_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0C}')
}
