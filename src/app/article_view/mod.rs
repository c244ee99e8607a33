//! The article view: a document's text with its spans, laid out one paragraph at a time and
//! only where visible, with our own selection (pointer → exact code-point offsets).
//!
//! How a frame goes: the view works out which paragraphs the viewport shows from their
//! heights (measured once laid out, estimated before), lays out only those, keeps the
//! paragraph at the top of the viewport still while estimates turn into real heights, maps
//! the pointer to code points with `Galley::cursor_from_pos`, and paints span backgrounds,
//! search matches, the selection, the text, the underline lanes and the selected span's
//! outline and handles. Spans are sorted into paragraphs only when they change.

mod geometry;
mod heights;
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

use egui::epaint::Mesh;
use egui::{Color32, CursorIcon, Rect, Role, Sense, Shape, WidgetInfo, pos2, vec2};

pub use paragraphs::{ByteMap, Paragraph, Paragraphs};
pub use selection::{RTL_MARKER_TOOLTIP, RTL_REFUSAL};

use crate::app::theme;
use crate::model::{CharIndex, CharRange};
use layout_cache::{LayoutCache, LayoutKey};
use paint::{Handle, Placed};
use selection::{Drag, DragKind, TextPoint};
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

/// What one frame works with (everything but the state).
struct Frame<'a> {
    ctx: egui::Context,
    text: &'a ArticleText,
    spans: &'a [SpanMark],
    options: &'a ViewOptions,
    highlights: &'a [CharRange],
    current_highlight: Option<usize>,
    id: egui::Id,
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

impl Frame<'_> {
    /// Lays out, handles input and paints one frame of the view.
    fn run(
        &self,
        state: &mut ArticleViewState,
        ui: &mut egui::Ui,
        viewport: Rect,
        actions: &mut Vec<ArticleAction>,
    ) {
        let content = ui.max_rect();
        let clip = ui.clip_rect();
        let ppp = self.ctx.pixels_per_point();
        let key = LayoutKey {
            wrap_width: (content.width() - GUTTER - RIGHT_PAD).max(MIN_WRAP).floor(),
            font_size: self.options.font_size,
            pixels_per_point: ppp,
        };

        // Where the view was in terms of text, before a change of width or zoom moves it.
        let old_anchor = self.anchor_at(state, viewport.min.y);
        let rekeyed = state
            .cache
            .begin_frame(&self.ctx, key, &self.text.paragraphs);
        let mut top = viewport.min.y;
        if rekeyed && let Some((p, fraction)) = old_anchor {
            state
                .cache
                .ensure(&self.ctx, p, &self.text.paragraphs, &self.text.text);
            let heights = state.cache.heights();
            top = heights.top(p) + fraction * heights.height(p);
        }
        if let Some(target) = state.scroll_target.take()
            && let Some(target_top) = self.target_top(state, target, top, viewport.height())
        {
            top = target_top;
        }
        top += self.auto_scroll(state, clip);
        let (top, visible) = self.settle(state, top, viewport.height());

        let shift = top - viewport.min.y;
        if shift.abs() > 0.5 {
            state.pending_shift = Some(shift);
            self.ctx.request_repaint();
        }
        let total = state.cache.heights().total();
        ui.expand_to_include_rect(Rect::from_min_size(
            content.min,
            vec2(content.width(), total.max(viewport.height())),
        ));
        let placement = Placement {
            text_left: content.left() + GUTTER,
            origin_y: content.top() - shift,
            first: visible.start,
            end: visible.end,
        };
        state.placement = Some(placement);

        let response = ui.interact(clip, self.id.with("text"), Sense::click_and_drag());
        self.handle_input(state, &response, placement, clip, actions);
        self.paint(state, ui, placement, ppp);
        self.hover(state, response, placement);
    }

    /// The paragraph at content height `y` and how far into it, by the current heights.
    fn anchor_at(&self, state: &ArticleViewState, y: f32) -> Option<(usize, f32)> {
        let heights = state.cache.heights();
        if heights.is_empty() || heights.len() != self.text.paragraphs.len() {
            return None;
        }
        let p = heights.index_at(y);
        let height = heights.height(p).max(1.0);
        Some((p, ((y - heights.top(p)) / height).clamp(0.0, 1.0)))
    }

    /// The viewport top that shows code point `target`, or `None` when it is already shown.
    fn target_top(
        &self,
        state: &mut ArticleViewState,
        target: usize,
        top: f32,
        height: f32,
    ) -> Option<f32> {
        let paragraphs = &self.text.paragraphs;
        let p = paragraphs
            .first_ending_after(target)
            .min(paragraphs.len().checked_sub(1)?);
        let paragraph = paragraphs.get(p)?;
        state
            .cache
            .ensure(&self.ctx, p, paragraphs, &self.text.text);
        let laid = state.cache.get(p)?;
        let local = target.saturating_sub(paragraph.chars.start);
        let (caret, row_height) = laid.caret(local.min(paragraph.char_len()));
        let y = state.cache.heights().top(p) + caret.y;
        let shown = y >= top && y + row_height <= top + height;
        (!shown).then(|| (y - height * SCROLL_TARGET_FRACTION).max(0.0))
    }

    /// How far to scroll this frame because a drag went past the top or bottom edge.
    fn auto_scroll(&self, state: &ArticleViewState, clip: Rect) -> f32 {
        if state.drag.is_none() {
            return 0.0;
        }
        let (down, pos, dt) = self.ctx.input(|i| {
            (
                i.pointer.primary_down(),
                i.pointer.latest_pos(),
                i.stable_dt,
            )
        });
        let Some(pos) = pos.filter(|_| down) else {
            return 0.0;
        };
        let beyond = if pos.y < clip.top() {
            pos.y - clip.top()
        } else if pos.y > clip.bottom() {
            pos.y - clip.bottom()
        } else {
            return 0.0;
        };
        self.ctx.request_repaint();
        (beyond * 10.0 * dt.clamp(1.0 / 240.0, 0.1)).clamp(-200.0, 200.0)
    }

    /// Lays out the paragraphs a viewport at `top` shows, keeping the first already-measured
    /// one still on the screen while estimates above it turn into real heights. Returns the
    /// adjusted top and the visible paragraphs.
    fn settle(
        &self,
        state: &mut ArticleViewState,
        mut top: f32,
        height: f32,
    ) -> (f32, Range<usize>) {
        let paragraphs = &self.text.paragraphs;
        if paragraphs.is_empty() {
            return (0.0, 0..0);
        }
        let mut range = 0..0;
        for round in 0..4 {
            let heights = state.cache.heights();
            top = top.clamp(0.0, (heights.total() - height).max(0.0));
            let first = heights.index_at(top);
            let last = heights.index_at(top + height);
            range = first..last + 1;
            let anchor = range
                .clone()
                .find(|&p| heights.is_measured(p))
                .unwrap_or(first);
            let before = heights.top(anchor);
            let mut changed = false;
            for p in range.clone() {
                changed |= state
                    .cache
                    .ensure(&self.ctx, p, paragraphs, &self.text.text);
            }
            if !changed {
                break;
            }
            if round < 3 {
                top += state.cache.heights().top(anchor) - before;
            }
        }
        state.cache.evict();
        (top, range)
    }

    /// The text point under screen position `pos`: the nearest boundary, and the code point
    /// whose glyph is under it (if any).
    fn locate(
        &self,
        state: &mut ArticleViewState,
        placement: Placement,
        pos: egui::Pos2,
    ) -> Option<(TextPoint, Option<usize>)> {
        let paragraphs = &self.text.paragraphs;
        let y = pos.y - placement.origin_y;
        let p = state.cache.heights().index_at(y);
        state
            .cache
            .ensure(&self.ctx, p, paragraphs, &self.text.text);
        let paragraph = paragraphs.get(p)?;
        let laid = state.cache.get(p)?;
        let local = pos2(
            pos.x - placement.text_left,
            y - state.cache.heights().top(p),
        );
        let boundary = laid.cursor_at(local).min(paragraph.char_len());
        let under = laid
            .char_under(local)
            .filter(|&c| c < paragraph.char_len())
            .map(|c| paragraph.chars.start + c);
        let point = TextPoint {
            paragraph: p,
            offset: paragraph.chars.start + boundary,
        };
        Some((point, under))
    }

    /// Turns this frame's pointer input into drags, clicks and actions.
    fn handle_input(
        &self,
        state: &mut ArticleViewState,
        response: &egui::Response,
        placement: Placement,
        clip: Rect,
        actions: &mut Vec<ArticleAction>,
    ) {
        let (press_origin, interact_pos, alt) = self.ctx.input(|i| {
            (
                i.pointer.press_origin(),
                i.pointer.interact_pos(),
                i.modifiers.alt,
            )
        });
        let snap = self.options.snap_words != alt;
        let text = &self.text.text;
        let index = &self.text.index;

        if response.drag_started()
            && let Some(origin) = press_origin
        {
            let grabbed = state
                .handles
                .iter()
                .find(|h| h.grab.contains(origin))
                .copied();
            state.drag = match grabbed {
                Some(handle) => {
                    let point = TextPoint {
                        paragraph: self.text.paragraphs.first_ending_after(handle.at),
                        offset: handle.at,
                    };
                    Some(Drag {
                        kind: DragKind::Resize {
                            id: handle.id,
                            end: handle.end,
                            fixed: handle.fixed,
                        },
                        anchor: point,
                        current: point,
                    })
                }
                None => self
                    .locate(state, placement, origin)
                    .map(|(point, _)| Drag {
                        kind: DragKind::Select,
                        anchor: point,
                        current: point,
                    }),
            };
        }

        if let Some(mut drag) = state.drag {
            if response.dragged() || response.drag_stopped() {
                if let Some(pos) = interact_pos {
                    let y = pos
                        .y
                        .clamp(clip.top() + 1.0, (clip.bottom() - 1.0).max(clip.top()));
                    if let Some((point, _)) = self.locate(state, placement, pos2(pos.x, y)) {
                        drag.current = point;
                    }
                }
                if response.drag_stopped() {
                    let cache = &state.cache;
                    let action = selection::finish_drag(&drag, text, index, snap, |p| {
                        cache.trust(p) == Some(true)
                    });
                    if drag.kind == DragKind::Select {
                        state.selection = match &action {
                            Some(ArticleAction::Selected(range)) => Some(*range),
                            _ => None,
                        };
                    }
                    actions.extend(action);
                    state.drag = None;
                } else {
                    state.drag = Some(drag);
                }
            } else {
                state.drag = None;
            }
        }

        if response.double_clicked() {
            if let Some(pos) = interact_pos
                && let Some((point, Some(at))) = self.locate(state, placement, pos)
            {
                let trusted = state.cache.trust(point.paragraph) == Some(true);
                let at = TextPoint {
                    offset: at,
                    ..point
                };
                let action = selection::double_click(text, index, at, trusted);
                if let Some(ArticleAction::Selected(range)) = &action {
                    state.selection = Some(*range);
                }
                actions.extend(action);
            }
        } else if response.clicked()
            && let Some(pos) = interact_pos
            && let Some((point, under)) = self.locate(state, placement, pos)
        {
            state.selection = None;
            if state.cache.trust(point.paragraph) != Some(true) {
                actions.push(ArticleAction::Refused(RTL_REFUSAL.to_owned()));
            } else {
                let at = under.unwrap_or(point.offset);
                let ids: Vec<i64> = under
                    .map(|at| state.spans.covering(self.spans, point.paragraph, at))
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|i| self.spans.get(i).map(|s| s.id))
                    .collect();
                actions.push(if ids.is_empty() {
                    ArticleAction::ClickedText { at }
                } else {
                    ArticleAction::ClickedSpans { at, ids }
                });
            }
        }
    }

    /// The search matches touching code points `visible`, with their colours.
    fn visible_highlights(
        &self,
        state: &mut ArticleViewState,
        visible: Range<usize>,
        dark_mode: bool,
    ) -> Vec<(CharRange, Color32)> {
        let color =
            |i: usize| theme::search_highlight(dark_mode, self.current_highlight == Some(i));
        let touches = |r: &CharRange| r.start < visible.end && visible.start < r.end;
        if state.highlights_sorted(self.highlights) {
            let from = self.highlights.partition_point(|r| r.end <= visible.start);
            self.highlights
                .iter()
                .enumerate()
                .skip(from)
                .take_while(|(_, r)| r.start < visible.end)
                .filter(|(_, r)| touches(r))
                .map(|(i, r)| (*r, color(i)))
                .collect()
        } else {
            self.highlights
                .iter()
                .enumerate()
                .filter(|(_, r)| touches(r))
                .map(|(i, r)| (*r, color(i)))
                .collect()
        }
    }

    /// Paints the visible paragraphs and their decorations, and gives each an accessible node.
    fn paint(
        &self,
        state: &mut ArticleViewState,
        ui: &mut egui::Ui,
        placement: Placement,
        ppp: f32,
    ) {
        let paragraphs = &self.text.paragraphs;
        let visible = placement.first..placement.end;
        let dark_mode = ui.visuals().dark_mode;
        let text_color = ui.visuals().text_color();
        let painter = ui.painter().clone();
        let (Some(first), Some(last)) = (
            paragraphs.get(visible.start),
            visible.end.checked_sub(1).and_then(|l| paragraphs.get(l)),
        ) else {
            return;
        };
        let visible_chars = first.chars.start..last.chars.end;
        let highlights = self.visible_highlights(state, visible_chars, dark_mode);
        let (selection, preview) = match state.drag {
            Some(drag) if drag.kind == DragKind::Select => (Some(drag.live_range()), None),
            Some(drag) => (None, Some(drag.live_range())),
            None => (state.selection, None),
        };
        let selection_color = theme::selection_color(dark_mode);
        let decor_key = state.spans.epoch() * 2 + u64::from(dark_mode);
        let mut handles = Vec::new();

        for p in visible {
            let Some(paragraph) = paragraphs.get(p) else {
                continue;
            };
            if let Some(laid) = state.cache.get_mut(p)
                && laid.decor.as_ref().is_none_or(|(key, _)| *key != decor_key)
            {
                let decor = segments::decorate(paragraph, p, self.spans, &state.spans, dark_mode);
                laid.decor = Some((decor_key, decor));
            }
            let Some(laid) = state.cache.get(p) else {
                continue;
            };
            let top = placement.origin_y + state.cache.heights().top(p);
            let origin = pos2(placement.text_left, (top * ppp).round() / ppp);
            let placed = Placed {
                laid,
                origin,
                chars: paragraph.chars.clone(),
            };
            let decor = laid.decor.as_ref().map(|(_, d)| d);

            let mut under = Mesh::default();
            if let Some(decor) = decor {
                paint::backgrounds(&mut under, &placed, decor);
            }
            paint::ranges(&mut under, &placed, &highlights);
            if let Some(selection) = selection {
                paint::ranges(&mut under, &placed, &[(selection, selection_color)]);
            }
            if !under.is_empty() {
                painter.add(Shape::mesh(under));
            }
            painter.galley(origin, laid.galley.clone(), text_color);
            if let Some(decor) = decor {
                let mut over = Mesh::default();
                paint::lanes(&mut over, &placed, decor);
                if !over.is_empty() {
                    painter.add(Shape::mesh(over));
                }
                handles.extend(paint::outlines(&painter, &placed, decor));
            }
            if let Some(preview) = preview.and_then(|r| placed.local(r)) {
                let stroke = egui::Stroke::new(1.5, selection_color.to_opaque());
                for rect in placed.rects(preview) {
                    painter.rect_stroke(rect.expand(1.0), 2.0, stroke, egui::StrokeKind::Outside);
                }
            }

            let text_rect = Rect::from_min_size(origin, laid.galley.rect.size());
            if !laid.trusted {
                let marker = Rect::from_x_y_ranges(
                    placement.text_left - GUTTER + 4.0..=placement.text_left - GUTTER + 8.0,
                    text_rect.y_range(),
                );
                paint::rtl_marker(&painter, marker, dark_mode);
                let response = ui.interact(
                    marker.expand2(vec2(3.0, 0.0)),
                    self.id.with(("rtl", p)),
                    Sense::hover(),
                );
                response.widget_info(|| WidgetInfo::labeled(Role::Note, true, RTL_MARKER_TOOLTIP));
                response.on_hover_text(RTL_MARKER_TOOLTIP);
            }
            let slice = self
                .text
                .text
                .get(paragraph.bytes.clone())
                .unwrap_or_default();
            ui.interact(text_rect, self.id.with(("paragraph", p)), Sense::hover())
                .widget_info(|| WidgetInfo::labeled(Role::Paragraph, true, slice));
        }
        state.handles = handles;
    }

    /// Shows the accessible name, the pointer's cursor, and the tooltip of the spans under
    /// the pointer.
    fn hover(&self, state: &mut ArticleViewState, response: egui::Response, placement: Placement) {
        response.widget_info(|| WidgetInfo::labeled(Role::Document, true, ACCESSIBLE_NAME));
        let Some(pos) = response.hover_pos() else {
            return;
        };
        if state.handles.iter().any(|h| h.grab.contains(pos)) {
            self.ctx.set_cursor_icon(CursorIcon::ResizeHorizontal);
            return;
        }
        self.ctx.set_cursor_icon(CursorIcon::Text);
        if state.drag.is_some() {
            return;
        }
        let Some((point, Some(at))) = self.locate(state, placement, pos) else {
            return;
        };
        if state.cache.trust(point.paragraph) != Some(true) {
            return;
        }
        let hits = state.spans.covering(self.spans, point.paragraph, at);
        if hits.is_empty() {
            return;
        }
        let spans = self.spans;
        response.on_hover_ui_at_pointer(|ui| {
            for span in hits.iter().filter_map(|&i| spans.get(i)) {
                ui.horizontal(|ui| {
                    let (swatch, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
                    ui.painter().rect_filled(swatch, 2.0, span.color);
                    ui.label(&span.tooltip);
                });
            }
        });
    }
}
