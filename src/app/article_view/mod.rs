//! The article view: a document's text with its spans, laid out one paragraph at a time and
//! only where visible, with our own selection (pointer → exact code-point offsets).
//!
//! How a frame goes: the view works out which paragraphs the viewport shows from their
//! heights (measured once laid out, estimated before), lays out only those, keeps the
//! paragraph at the top of the viewport still while estimates turn into real heights, maps
//! the pointer to code points with `Galley::cursor_from_pos` (parley's hit-testing in
//! right-to-left and mixed paragraphs, see `bidi`), and paints span backgrounds,
//! search matches, the selection, the text, the underline lanes and the selected span's
//! outline and handles. Spans are sorted into paragraphs only when they change.

mod bidi;
mod frame;
mod geometry;
mod heights;
mod input;
mod layout_cache;
mod paint;
mod paragraphs;
mod rtl;
mod segments;
mod selection;
mod span_index;
#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use egui::{Color32, Rect, vec2};

pub use paragraphs::{Paragraph, Paragraphs};
pub use selection::{RTL_MARKER_TOOLTIP, RTL_REFUSAL};

use crate::app::theme;
use crate::model::{CharIndex, CharRange};
use frame::Frame;
use layout_cache::LayoutCache;
use paint::Handle;
use selection::Drag;
use span_index::{SpanIndex, SpanSignature};

/// The accessible name of the view (what tests and screen readers find it by).
pub const ACCESSIBLE_NAME: &str = "Article text";

/// Room left of the text for right-to-left markers and span handles.
const GUTTER: f32 = 14.0;
/// Room right of the text.
const RIGHT_PAD: f32 = 8.0;
/// The narrowest wrap width used, however narrow the view.
const MIN_WRAP: f32 = 60.0;
/// How far from the top of the viewport `scroll_to` puts its target, as a fraction.
const SCROLL_TARGET_FRACTION: f32 = 0.3;

/// A document's text prepared for display: split into paragraphs once per document.
pub struct ArticleText {
    text: String,
    index: CharIndex,
    paragraphs: Paragraphs,
}

impl ArticleText {
    /// Prepares `text` for display (one pass for the index, one for the paragraphs).
    pub fn new(text: String) -> Self {
        let index = CharIndex::new(&text);
        let paragraphs = Paragraphs::build(&text);
        Self {
            text,
            index,
            paragraphs,
        }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Offsets into the text.
    pub fn index(&self) -> &CharIndex {
        &self.index
    }

    /// The paragraph table: each paragraph's code-point and byte ranges.
    pub fn paragraphs(&self) -> &Paragraphs {
        &self.paragraphs
    }

    /// The paragraph holding code point `at` (or ending there), if any.
    pub fn paragraph_of(&self, at: usize) -> Option<usize> {
        self.paragraphs.containing(at)
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
    /// A suggestion not yet accepted: a dashed outline in its label's colour, no fill and no
    /// underline, so it never reads as a tag.
    Suggested,
}

/// Display options that do not change per frame.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewOptions {
    pub font_size: f32,
    /// Snap selections to whole words (holding Alt inverts this while dragging).
    pub snap_words: bool,
}

impl Default for ViewOptions {
    fn default() -> Self {
        Self {
            font_size: theme::ARTICLE_FONT_SIZE,
            snap_words: true,
        }
    }
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

/// Where the last frame put the text on the screen.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Placement {
    /// The screen x of every paragraph's left edge.
    text_left: f32,
    /// The screen y of the top of the content (the first paragraph's top).
    origin_y: f32,
    /// The paragraphs drawn.
    first: usize,
    end: usize,
}

/// A scroll asked for from the keyboard.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScrollRequest {
    /// Pages of the view's height (less an overlap of a few lines), down when positive.
    Pages(f32),
    /// Lines of the text's size, down when positive.
    Lines(f32),
    /// The top of the document.
    Home,
    /// The bottom of the document.
    End,
}

/// Gives each state its own scroll area, so that every document keeps its own scroll offset.
static NEXT_INSTANCE: AtomicU64 = AtomicU64::new(1);

/// Per-document view state: layout caches, scroll and selection. Survives across frames.
pub struct ArticleViewState {
    instance: u64,
    selection: Option<CharRange>,
    /// The address and length of the text this state was built for.
    document: Option<(usize, usize)>,
    cache: LayoutCache,
    spans: SpanIndex,
    spans_version: u64,
    /// The address and length of the highlight slice last seen, and whether it is sorted.
    highlights_seen: Option<(usize, usize, bool)>,
    scroll_target: Option<usize>,
    /// How far to move the scroll offset on the next frame (the view showed this frame as if
    /// it had already moved: layouts replaced estimates above the anchor, or a jump).
    pending_shift: Option<f32>,
    /// Whether the next frame starts at the top (another document in this state).
    scroll_home: bool,
    /// A keyboard scroll for the next frame (PageDown, ↓, Ctrl+End…).
    scroll_request: Option<ScrollRequest>,
    /// The scroll area's id, to read its offset when applying `pending_shift`.
    area_id: Option<egui::Id>,
    drag: Option<Drag>,
    handles: Vec<Handle>,
    placement: Option<Placement>,
}

impl Default for ArticleViewState {
    fn default() -> Self {
        Self {
            instance: NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed),
            selection: None,
            document: None,
            cache: LayoutCache::default(),
            spans: SpanIndex::default(),
            spans_version: 0,
            highlights_seen: None,
            scroll_target: None,
            pending_shift: None,
            scroll_home: false,
            scroll_request: None,
            area_id: None,
            drag: None,
            handles: Vec::new(),
            placement: None,
        }
    }
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

    /// Scrolls by keyboard on the next frame.
    pub fn scroll(&mut self, request: ScrollRequest) {
        self.scroll_request = Some(request);
    }

    /// Scrolls so that code point `char_offset` is in view on the next frame (if it is not).
    pub fn scroll_to(&mut self, char_offset: usize) {
        self.scroll_target = Some(char_offset);
    }

    /// Tells the view that the spans changed (added, removed, moved, recoloured, emphasis).
    ///
    /// A different slice (address or length) is noticed without this; an edit in place is not.
    pub fn invalidate_spans(&mut self) {
        self.spans_version = self.spans_version.wrapping_add(1);
    }

    /// How many paragraph layouts the view has made (each paragraph once per width and zoom).
    pub fn layouts_made(&self) -> usize {
        self.cache.layouts_made()
    }

    /// How many laid-out paragraphs the view holds now.
    pub fn laid_out_paragraphs(&self) -> usize {
        self.cache.cached()
    }

    /// The paragraphs drawn in the last frame.
    pub fn visible_paragraphs(&self) -> Range<usize> {
        self.placement.map_or(0..0, |p| p.first..p.end)
    }

    /// Whether paragraph `p` maps pointer positions to exact code points; `None` until it
    /// has been laid out.
    pub fn paragraph_trusted(&self, p: usize) -> Option<bool> {
        self.cache.trust(p)
    }

    /// The screen rectangle of code point `at` as drawn in the last frame (for tests and for
    /// placing popups); `None` if its paragraph is not laid out.
    pub fn char_rect(&self, text: &ArticleText, at: usize) -> Option<Rect> {
        let placement = self.placement?;
        let p = text.paragraphs.first_ending_after(at);
        let paragraph = text.paragraphs.get(p).filter(|q| q.chars.start <= at)?;
        let laid = self.cache.get(p)?;
        let local = at - paragraph.chars.start;
        let rect = laid.range_rects(local..local + 1).into_iter().next()?;
        let top = placement.origin_y + self.cache.heights().top(p);
        Some(rect.translate(vec2(placement.text_left, top)))
    }

    /// Resets everything if `text` is not the document this state was built for.
    fn sync_document(&mut self, text: &ArticleText) {
        let id = (text.text.as_ptr() as usize, text.text.len());
        if self.document != Some(id) {
            if self.document.is_some() {
                self.cache.reset();
                self.spans = SpanIndex::default();
                self.selection = None;
                self.drag = None;
                self.handles.clear();
                self.pending_shift = None;
                self.scroll_home = true;
            }
            self.document = Some(id);
        }
    }

    /// Whether `highlights` are sorted (checked once per slice).
    fn highlights_sorted(&mut self, highlights: &[CharRange]) -> bool {
        let id = (highlights.as_ptr() as usize, highlights.len());
        match self.highlights_seen {
            Some((address, len, sorted)) if (address, len) == id => sorted,
            _ => {
                let sorted = highlights
                    .windows(2)
                    .all(|w| w[0].start <= w[1].start && w[0].end <= w[1].end);
                self.highlights_seen = Some((id.0, id.1, sorted));
                sorted
            }
        }
    }
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

impl<'a> ArticleView<'a> {
    /// A view of `text` with `spans`, no search highlights.
    pub fn new(
        text: &'a ArticleText,
        spans: &'a [SpanMark],
        state: &'a mut ArticleViewState,
        options: &'a ViewOptions,
    ) -> Self {
        Self {
            text,
            spans,
            state,
            options,
            highlights: &[],
            current_highlight: None,
        }
    }

    /// Sets the search matches (sorted by start) and the current one.
    pub fn highlights(mut self, highlights: &'a [CharRange], current: Option<usize>) -> Self {
        self.highlights = highlights;
        self.current_highlight = current;
        self
    }

    /// Shows the article and returns what the user did.
    pub fn show(self, ui: &mut egui::Ui) -> Vec<ArticleAction> {
        let Self {
            text,
            spans,
            state,
            options,
            highlights,
            current_highlight,
        } = self;
        state.sync_document(text);
        let signature = SpanSignature::of(spans, state.spans_version);
        state.spans.sync(spans, &text.paragraphs, signature);

        let id = ui.make_persistent_id(("stet_article_view", state.instance));
        let frame = Frame {
            ctx: ui.ctx().clone(),
            text,
            spans,
            options,
            highlights,
            current_highlight,
            id,
        };
        let mut area = egui::ScrollArea::vertical()
            .id_salt(("stet_article_view", state.instance))
            .auto_shrink([false, false])
            .content_margin(egui::Margin::ZERO)
            .scroll_source(egui::scroll_area::ScrollSource {
                scroll_bar: true,
                drag: egui::scroll_area::DragScroll::Never,
                mouse_wheel: true,
            });
        if std::mem::take(&mut state.scroll_home) {
            area = area.vertical_scroll_offset(0.0);
        } else if let Some(shift) = state.pending_shift.take() {
            // Relative to where the area is now, so that wheel scrolling applied after the
            // last frame's content is kept.
            let current = state
                .area_id
                .and_then(|area_id| egui::scroll_area::State::load(ui.ctx(), area_id))
                .map_or(0.0, |s| s.unclamped_offset().y);
            area = area.vertical_scroll_offset((current + shift).max(0.0));
        }
        let mut actions = Vec::new();
        let output = area.show_viewport(ui, |ui, viewport| {
            frame.run(state, ui, viewport, &mut actions);
        });
        state.area_id = Some(output.id);
        actions
    }
}
