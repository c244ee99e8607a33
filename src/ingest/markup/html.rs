//! HTML (and lenient XML) through html5ever: the tree walked in document order, its visible
//! text collected.

use scraper::{Html, Node};

use super::Extracted;
use super::prepare::prepare_for_html5ever;
use super::roles::{FOREIGN, Mode, Role, is_title, role_of};
use super::text::{TextCollector, TitleCatcher};

/// Walks an html5ever tree, feeding its visible text to a [`TextCollector`].
struct TreeWalker<'p> {
    mode: Mode,
    out: &'p mut TextCollector,
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
pub(super) fn extract_with_html5ever(text: &str, mode: Mode) -> Extracted {
    let html = Html::parse_document(&prepare_for_html5ever(text));
    let mut out = TextCollector::default();
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
pub(super) fn html_fragment_text(text: &str) -> String {
    let html = Html::parse_fragment(&prepare_for_html5ever(text));
    let mut out = TextCollector::default();
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
pub(super) fn looks_like_html(text: &str) -> bool {
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
