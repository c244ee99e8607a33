//! Collecting visible text: runs collapse to single spaces (except in `pre`), block edges end
//! paragraphs, paragraphs are joined by one blank line; and catching the headline's text.

use super::roles::is_markup_space;
use crate::ingest::make_title;

/// Collects visible text as paragraphs separated by one blank line.
#[derive(Debug, Default)]
pub(super) struct TextCollector {
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
    pub(super) pre_depth: usize,
    /// Whether the paragraph being filled came from `pre`.
    para_is_pre: bool,
}

impl TextCollector {
    /// Adds text as it appears in the markup.
    pub(super) fn text(&mut self, text: &str) {
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
    pub(super) fn line_break(&mut self) {
        if self.pre_depth > 0 {
            self.para.push('\n');
        } else if self.has_text {
            self.breaks = self.breaks.saturating_add(1);
        }
    }

    /// A block element's edge: the paragraph being filled is finished.
    pub(super) fn end_paragraph(&mut self) {
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
    pub(super) fn extracted(&mut self, text: &str) {
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
    pub(super) fn finish(mut self) -> String {
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
pub(super) struct TitleCatcher {
    text: String,
    depth: usize,
    pub(super) found: Option<String>,
}

impl TitleCatcher {
    pub(super) fn open(&mut self) {
        if self.found.is_none() {
            self.depth += 1;
        }
    }

    pub(super) fn close(&mut self) {
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

    pub(super) fn text(&mut self, text: &str) {
        if self.depth > 0 {
            self.text.push_str(text);
        }
    }

    /// A block edge or line break inside the headline: its parts must not run together.
    pub(super) fn gap(&mut self) {
        if self.depth > 0 {
            self.text.push(' ');
        }
    }
}
