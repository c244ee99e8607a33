//! One frame of the view: which paragraphs the viewport shows, laying them out while keeping
//! the text under the viewport still, scrolling to targets and while dragging past an edge.

use std::ops::Range;

use egui::{Rect, Sense, vec2};

use super::layout_cache::LayoutKey;
use super::{
    ArticleAction, ArticleText, ArticleViewState, GUTTER, MIN_WRAP, Placement, RIGHT_PAD,
    SCROLL_TARGET_FRACTION, SpanMark, ViewOptions,
};
use crate::model::CharRange;

/// What one frame works with (everything but the state).
pub(super) struct Frame<'a> {
    pub(super) ctx: egui::Context,
    pub(super) text: &'a ArticleText,
    pub(super) spans: &'a [SpanMark],
    pub(super) options: &'a ViewOptions,
    pub(super) highlights: &'a [CharRange],
    pub(super) current_highlight: Option<usize>,
    pub(super) id: egui::Id,
}

impl Frame<'_> {
    /// Lays out, handles input and paints one frame of the view.
    pub(super) fn run(
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
        if let Some(request) = state.scroll_request.take() {
            // A line is the text's row height; a page keeps two lines of the last in view.
            let line = self.options.font_size * 1.4;
            top = match request {
                super::ScrollRequest::Pages(n) => {
                    top + n * (viewport.height() - 2.0 * line).max(line)
                }
                super::ScrollRequest::Lines(n) => top + n * line,
                super::ScrollRequest::Home => 0.0,
                // Clamped to the end by `settle`, which measures what it comes to.
                super::ScrollRequest::End => f32::MAX,
            };
            self.ctx.request_repaint();
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
}
