//! What html5ever is given: HTML with its nesting bounded and doctype subsets taken out.
//!
//! html5ever's tree builder looks through the stack of open elements for most tags, so its
//! time grows with the square of the nesting depth: 80,000 unclosed `<div>`s took 25 s,
//! 200,000 ten minutes. No article nests more than a few dozen levels, so past
//! [`MAX_DEPTH`] open elements further start tags (and the end tags that close them) are
//! dropped: the text stays, in order, and only structure that deep is flattened.
//!
//! The depth is tracked roughly as browsers build it: void elements never open, a `p`, `li`,
//! `dt`/`dd`, `option`, `tr` or `td`/`th` start tag closes an open one of its kind, a block
//! start tag closes an open `p`, and an end tag closes up to its element. Comments,
//! doctypes and the raw text of `script`, `style`, `textarea` and `title` are passed over.
//!
//! A doctype's internal subset (`<!DOCTYPE nitf [ <!ENTITY …> ]>`, which real NITF files
//! have) is XML only: html5ever would end the doctype at its first `>` and show the rest,
//! `]>` among it, as text. The subset is taken out here.

use std::borrow::Cow;

/// How many elements may be open at once before deeper ones are flattened.
pub const MAX_DEPTH: usize = 512;

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose content is raw text up to their end tag.
const RAW: &[&str] = &["script", "style", "textarea", "title", "xmp", "plaintext"];

/// Start tags that close an open element of the same kind (or of a sibling kind).
const SELF_CLOSING_SIBLINGS: &[(&str, &[&str])] = &[
    ("p", &["p"]),
    ("li", &["li"]),
    ("dt", &["dt", "dd"]),
    ("dd", &["dt", "dd"]),
    ("option", &["option"]),
    ("tr", &["tr", "td", "th"]),
    ("td", &["td", "th"]),
    ("th", &["td", "th"]),
];

/// Block start tags that close an open `p`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "div",
    "dl",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// `text` with its nesting bounded to [`MAX_DEPTH`] and any doctype subset taken out;
/// unchanged (borrowed) when there is neither, which is nearly every real article.
pub fn prepare_for_html5ever(text: &str) -> Cow<'_, str> {
    let mut scan = Scan::default();
    let mut cuts: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let Some(tag) = read_tag(text, start) else {
            at = start + 1;
            continue;
        };
        at = tag.end;
        match tag.kind {
            TagKind::Start(name) => {
                if scan.open(name) == Kept::Dropped {
                    // A dropped block edge still separates words.
                    cuts.push((start..tag.end, " "));
                }
                if RAW.iter().any(|raw| raw.eq_ignore_ascii_case(name)) {
                    at = skip_raw_text(text, at, name);
                }
            }
            TagKind::End(name) => {
                if scan.close(name) == Kept::Dropped {
                    cuts.push((start..tag.end, " "));
                }
            }
            TagKind::Doctype { subset } => cuts.push((subset, "")),
            TagKind::Other => {}
        }
    }
    if cuts.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (cut, replacement) in cuts {
        out.push_str(text.get(from..cut.start).unwrap_or_default());
        out.push_str(replacement);
        from = cut.end;
    }
    out.push_str(text.get(from..).unwrap_or_default());
    Cow::Owned(out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kept {
    Kept,
    Dropped,
}

/// The elements open so far, and how many start tags were dropped past the limit.
#[derive(Default)]
struct Scan {
    open: Vec<String>,
    dropped: usize,
}

impl Scan {
    fn open(&mut self, name: &str) -> Kept {
        let name = name.to_ascii_lowercase();
        let name = name.as_str();
        if VOID.contains(&name) {
            return Kept::Kept;
        }
        if let Some((_, siblings)) = SELF_CLOSING_SIBLINGS.iter().find(|(n, _)| *n == name)
            && self
                .open
                .last()
                .is_some_and(|top| siblings.contains(&top.as_str()))
        {
            self.open.pop();
        }
        if CLOSES_P.contains(&name) && self.open.last().is_some_and(|top| top == "p") {
            self.open.pop();
        }
        if self.open.len() >= MAX_DEPTH {
            self.dropped += 1;
            return Kept::Dropped;
        }
        self.open.push(name.to_owned());
        Kept::Kept
    }

    fn close(&mut self, name: &str) -> Kept {
        let name = name.to_ascii_lowercase();
        // An end tag closes its element and everything opened inside it; the stack is at
        // most MAX_DEPTH deep, so the search is bounded.
        if let Some(at) = self.open.iter().rposition(|open| *open == name) {
            if self.dropped > 0 && at + 1 == self.open.len() && self.open.len() >= MAX_DEPTH {
                // At the limit, the next end tags of this kind belong to dropped starts.
                self.dropped -= 1;
                return Kept::Dropped;
            }
            self.open.truncate(at);
            return Kept::Kept;
        }
        if self.dropped > 0 {
            self.dropped -= 1;
            return Kept::Dropped;
        }
        Kept::Kept
    }
}

enum TagKind<'t> {
    Start(&'t str),
    End(&'t str),
    /// A doctype with an internal subset: the subset's bytes, brackets included.
    Doctype {
        subset: std::ops::Range<usize>,
    },
    /// A comment, doctype or processing instruction.
    Other,
}

struct Tag<'t> {
    kind: TagKind<'t>,
    /// Just past the tag's `>`.
    end: usize,
}

/// Reads the tag starting at byte `start` (a `<`), if it is one.
fn read_tag(text: &str, start: usize) -> Option<Tag<'_>> {
    let rest = text.get(start + 1..)?;
    if let Some(comment) = rest.strip_prefix("!--") {
        let close = comment
            .find("-->")
            .map_or(text.len(), |i| start + 4 + i + 3);
        return Some(Tag {
            kind: TagKind::Other,
            end: close,
        });
    }
    if rest
        .get(..8)
        .is_some_and(|d| d.eq_ignore_ascii_case("!doctype"))
    {
        return Some(read_doctype(text, start));
    }
    if rest.starts_with('!') || rest.starts_with('?') {
        let close = rest.find('>').map_or(text.len(), |i| start + 1 + i + 1);
        return Some(Tag {
            kind: TagKind::Other,
            end: close,
        });
    }
    let (closing, name_from) = match rest.strip_prefix('/') {
        Some(_) => (true, start + 2),
        None => (false, start + 1),
    };
    let name_text = text.get(name_from..)?;
    let name_len = name_text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b':')
        .count();
    if name_len == 0 || !name_text.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let name = name_text.get(..name_len)?;
    let after = name_from + name_len;
    let close = tag_end(text, after)?;
    let self_closing = text.get(..close).is_some_and(|t| t.ends_with("/>"));
    let kind = if closing {
        TagKind::End(name)
    } else if self_closing {
        TagKind::Other
    } else {
        TagKind::Start(name)
    };
    Some(Tag { kind, end: close })
}

/// A doctype starting at `start`: with an internal subset (a `[` before the first `>`),
/// the tag runs to the `>` after the subset's closing `]`.
fn read_doctype(text: &str, start: usize) -> Tag<'_> {
    let rest = text.get(start..).unwrap_or_default();
    let first_close = rest.find('>');
    let open = rest
        .find('[')
        .filter(|&open| first_close.is_none_or(|close| open < close));
    let Some(open) = open else {
        let end = first_close.map_or(text.len(), |close| start + close + 1);
        return Tag {
            kind: TagKind::Other,
            end,
        };
    };
    let after = rest.get(open..).unwrap_or_default();
    let Some(bracket) = after.find(']') else {
        return Tag {
            kind: TagKind::Other,
            end: text.len(),
        };
    };
    let subset = start + open..start + open + bracket + 1;
    let end = text
        .get(subset.end..)
        .and_then(|tail| tail.find('>'))
        .map_or(text.len(), |close| subset.end + close + 1);
    Tag {
        kind: TagKind::Doctype { subset },
        end,
    }
}

/// Just past the `>` that ends a tag whose attributes start at `from`, skipping quoted
/// attribute values.
fn tag_end(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut quote = None;
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i + 1),
            (None, b'<') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Just past the end tag of raw-text element `name` (or the end of the text).
fn skip_raw_text(text: &str, from: usize, name: &str) -> usize {
    let closing = format!("</{name}");
    let rest = text.get(from..).unwrap_or_default();
    match rest.find(&closing) {
        Some(i) => from + i,
        None => text.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_markup_is_left_as_it_is() {
        let html = "<html><body><div><p>One<p>Two<ul><li>a<li>b</ul></div>\
                    <script>if (a<b) { x = '<div>'; }</script></body></html>";
        assert!(matches!(prepare_for_html5ever(html), Cow::Borrowed(_)));
        let many_paragraphs = "<p>x".repeat(10_000);
        assert!(matches!(
            prepare_for_html5ever(&many_paragraphs),
            Cow::Borrowed(_)
        ));
        let many_items = format!("<ul>{}</ul>", "<li>x".repeat(10_000));
        assert!(matches!(
            prepare_for_html5ever(&many_items),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn deep_nesting_is_flattened_past_the_limit_and_keeps_its_text() {
        let depth = 5_000;
        let html = format!(
            "{}deep{}after",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let limited = prepare_for_html5ever(&html);
        assert_eq!(limited.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(limited.matches("</div>").count(), MAX_DEPTH);
        assert!(limited.contains("deep") && limited.ends_with("after"));
        let unclosed = "<div>".repeat(depth) + "text";
        assert_eq!(
            prepare_for_html5ever(&unclosed).matches("<div>").count(),
            MAX_DEPTH
        );
    }
}
