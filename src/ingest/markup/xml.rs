//! Well-formed XML through quick-xml; a file that is not well-formed is read again
//! leniently (see the module above).

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Extracted;
use super::html::{html_fragment_text, looks_like_html};
use super::roles::{FOREIGN, Mode, Role, is_title, role_of};
use super::text::{TextCollector, TitleCatcher};

/// An element open while reading XML.
struct OpenElement {
    name: String,
    role: Role,
    title: bool,
}

/// Reads well-formed XML; `Err` says why the file is not (for the fallback note).
pub(super) fn extract_xml(text: &str) -> Result<Extracted, String> {
    let mut reader = Reader::from_str(text);
    let mut out = TextCollector::default();
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
    out: &mut TextCollector,
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
