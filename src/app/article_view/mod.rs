//! The article view: a document's text with its spans, laid out one paragraph at a time and
//! only where visible, with our own selection (pointer → exact code-point offsets).

use egui::Color32;

use crate::model::{CharIndex, CharRange};

/// A document's text prepared for display: split into paragraphs once per document.
pub struct ArticleText {
    text: String,
    index: CharIndex,
}

impl ArticleText {
    /// Prepares `text` for display.
    pub fn new(text: String) -> Self {
        let index = CharIndex::new(&text);
        Self { text, index }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Offsets into the text.
    pub fn index(&self) -> &CharIndex {
        &self.index
    }
}

/// How a span is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanMark {
    pub id: i64,
    pub range: CharRange,
    pub color: Color32,
    /// Shown on hover: label, annotator, note.
    pub tooltip: String,
    pub emphasis: Emphasis,
}

/// Extra weight on a span.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Emphasis {
    #[default]
    Normal,
    /// The span the user selected: outlined, with drag handles on its ends.
    Selected,
    /// Drawn faintly (another layer, or not in focus).
    Dimmed,
}

/// Display options that do not change per frame.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewOptions {
    pub font_size: f32,
    /// Snap selections to whole words (holding Alt inverts this while dragging).
    pub snap_words: bool,
}

/// What the user did in the view this frame.
#[derive(Clone, Debug, PartialEq)]
pub enum ArticleAction {
    /// A new selection was made (drag released or word double-clicked), already snapped.
    Selected(CharRange),
    /// A selection was refused; the reason is for the status bar.
    Refused(String),
    /// A click landed on these spans (innermost first) at this offset.
    ClickedSpans { at: usize, ids: Vec<i64> },
    /// A click landed on text with no span.
    ClickedText { at: usize },
    /// The selected span's end was dragged to a new range.
    Resized { id: i64, range: CharRange },
}

/// Per-document view state: layout caches, scroll and selection. Survives across frames.
#[derive(Default)]
pub struct ArticleViewState {
    selection: Option<CharRange>,
}

impl ArticleViewState {
    /// The current selection.
    pub fn selection(&self) -> Option<CharRange> {
        self.selection
    }

    /// Replaces the selection (keyboard extension, search).
    pub fn set_selection(&mut self, selection: Option<CharRange>) {
        self.selection = selection;
    }

    /// Says the spans changed since the last frame.
    pub fn invalidate_spans(&mut self) {}

    /// Scrolls so that this code point is visible on the next frame.
    pub fn scroll_to(&mut self, _char_offset: usize) {}
}

/// The widget: borrows what it shows for one frame.
pub struct ArticleView<'a> {
    pub text: &'a ArticleText,
    pub spans: &'a [SpanMark],
    pub state: &'a mut ArticleViewState,
    pub options: &'a ViewOptions,
    /// Search matches to highlight, and which of them is current.
    pub highlights: &'a [CharRange],
    pub current_highlight: Option<usize>,
}

impl ArticleView<'_> {
    /// Shows the article and returns what the user did.
    pub fn show(self, ui: &mut egui::Ui) -> Vec<ArticleAction> {
        // TODO(article view helper): paragraphs, spans, selection.
        ui.label(self.text.text());
        Vec::new()
    }
}
