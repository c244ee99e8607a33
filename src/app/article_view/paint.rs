//! Painting one visible paragraph: span backgrounds, search matches and the selection under
//! the text, the text itself, then the underline lanes and the selected span's outline and
//! handles; and a frame's painting of all visible paragraphs.

use std::ops::Range;

use egui::epaint::{CornerRadius, Mesh, StrokeKind};
use egui::{
    Color32, Painter, Pos2, Rect, Role, Sense, Shape, Stroke, Vec2, WidgetInfo, pos2, vec2,
};

use super::frame::Frame;
use super::layout_cache::{LaidOut, Shaped};
use super::segments::{self, Decor};
use super::selection::{DragKind, SpanEnd};
use super::{ArticleViewState, GUTTER, Placement, RTL_MARKER_TOOLTIP};
use crate::app::theme;
use crate::model::CharRange;

/// How far from a handle's knob a press still grabs it.
pub const HANDLE_GRAB_RADIUS: f32 = 7.0;
/// The radius of a handle's knob.
const HANDLE_RADIUS: f32 = 3.5;

/// A handle of the selected span, where the user can grab it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Handle {
    pub id: i64,
    pub end: SpanEnd,
    /// The span's other end (code point in the whole text), which a resize keeps.
    pub fixed: usize,
    /// This end's code point in the whole text.
    pub at: usize,
    /// Where it is grabbed, in screen coordinates.
    pub grab: Rect,
}

/// One paragraph placed on the screen.
pub struct Placed<'a> {
    pub laid: &'a LaidOut,
    /// The screen position of the galley's top-left corner.
    pub origin: Pos2,
    /// The paragraph's code points in the whole text.
    pub chars: Range<usize>,
}

impl Placed<'_> {
    /// The paragraph-local part of a whole-text range, if any.
    pub fn local(&self, range: CharRange) -> Option<Range<usize>> {
        let start = range.start.max(self.chars.start);
        let end = range.end.min(self.chars.end);
        (start < end).then(|| start - self.chars.start..end - self.chars.start)
    }

    /// Screen rectangles (one per row) covering a paragraph-local range.
    pub fn rects(&self, local: Range<usize>) -> impl Iterator<Item = Rect> + '_ {
        let offset = self.origin.to_vec2();
        self.laid
            .range_rects(local)
            .into_iter()
            .map(move |r| r.translate(offset))
    }
}

/// Adds the span backgrounds of a paragraph to `mesh`.
pub fn backgrounds(mesh: &mut Mesh, placed: &Placed<'_>, decor: &Decor) {
    for segment in &decor.segments {
        for rect in placed.rects(segment.range.clone()) {
            mesh.add_colored_rect(rect, segment.background);
        }
    }
}

/// Adds filled rectangles under the whole-text `ranges` that touch the paragraph.
pub fn ranges(mesh: &mut Mesh, placed: &Placed<'_>, ranges: &[(CharRange, Color32)]) {
    for &(range, color) in ranges {
        if let Some(local) = placed.local(range) {
            for rect in placed.rects(local) {
                mesh.add_colored_rect(rect, color);
            }
        }
    }
}

/// Adds the underline bars of a paragraph, each in its lane below each row it covers.
pub fn lanes(mesh: &mut Mesh, placed: &Placed<'_>, decor: &Decor) {
    for bar in &decor.bars {
        for rect in placed.rects(bar.range.clone()) {
            mesh.add_colored_rect(LaidOut::lane_rect(rect, bar.lane), bar.color);
        }
    }
}

/// Draws a dashed outline around each suggestion.
pub fn dashed(painter: &Painter, placed: &Placed<'_>, decor: &Decor) {
    for (range, color) in &decor.dashed {
        let stroke = Stroke::new(1.2, *color);
        for rect in placed.rects(range.clone()) {
            let r = rect.expand(1.0);
            let corners = [
                r.left_top(),
                r.right_top(),
                r.right_bottom(),
                r.left_bottom(),
                r.left_top(),
            ];
            painter.extend(Shape::dashed_line(&corners, stroke, 3.0, 2.0));
        }
    }
}

/// Outlines the selected span(s) and draws handles at their ends; returns the handles.
pub fn outlines(painter: &Painter, placed: &Placed<'_>, decor: &Decor) -> Vec<Handle> {
    let mut handles = Vec::new();
    for outline in &decor.outlines {
        let stroke = Stroke::new(1.5, outline.color);
        for rect in placed.rects(outline.range.clone()) {
            painter.rect_stroke(
                rect.expand(1.0),
                CornerRadius::same(2),
                stroke,
                StrokeKind::Outside,
            );
        }
        let full = outline.full;
        let offset = placed.origin.to_vec2();
        if outline.starts_here {
            let (top, height) = placed.laid.caret(outline.range.start);
            let top = top + offset;
            let knob = pos2(top.x, top.y - HANDLE_RADIUS);
            handle_shape(painter, top, height, knob, outline.color);
            handles.push(Handle {
                id: outline.id,
                end: SpanEnd::Start,
                fixed: full.end,
                at: full.start,
                grab: grab_rect(top, height, knob),
            });
        }
        if outline.ends_here {
            let (top, height) = placed.laid.caret_after(outline.range.end);
            let top = top + offset;
            let knob = pos2(top.x, top.y + height + HANDLE_RADIUS);
            handle_shape(painter, top, height, knob, outline.color);
            handles.push(Handle {
                id: outline.id,
                end: SpanEnd::End,
                fixed: full.start,
                at: full.end,
                grab: grab_rect(top, height, knob),
            });
        }
    }
    handles
}

/// A handle: a bar along the text's height at one end of the span, with a round knob.
fn handle_shape(painter: &Painter, top: Pos2, height: f32, knob: Pos2, color: Color32) {
    painter.line_segment([top, top + vec2(0.0, height)], Stroke::new(2.0, color));
    painter.circle_filled(knob, HANDLE_RADIUS, color);
}

/// Where a handle can be grabbed: its bar and knob, widened.
fn grab_rect(top: Pos2, height: f32, knob: Pos2) -> Rect {
    Rect::from_two_pos(top, top + vec2(0.0, height))
        .union(Rect::from_center_size(knob, Vec2::ZERO))
        .expand(HANDLE_GRAB_RADIUS)
}

/// A faint marker in the left margin beside a paragraph that cannot be mapped exactly.
pub fn rtl_marker(painter: &Painter, rect: Rect, dark_mode: bool) {
    let color = if dark_mode {
        Color32::from_rgba_unmultiplied(255, 170, 60, 90)
    } else {
        Color32::from_rgba_unmultiplied(220, 120, 0, 90)
    };
    painter.rect_filled(rect, CornerRadius::same(2), color);
}

impl Frame<'_> {
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
    pub(super) fn paint(
        &self,
        state: &mut ArticleViewState,
        ui: &mut egui::Ui,
        placement: Placement,
        ppp: f32,
    ) {
        let paragraphs = &self.text.paragraphs;
        let visible = placement.first..placement.end;
        let dark_mode = ui.visuals().dark_mode;
        let text_color = theme::article_text(dark_mode);
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
        state.cache.upload_glyphs();
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
                backgrounds(&mut under, &placed, decor);
            }
            ranges(&mut under, &placed, &highlights);
            if let Some(selection) = selection {
                ranges(&mut under, &placed, &[(selection, selection_color)]);
            }
            if !under.is_empty() {
                painter.add(Shape::mesh(under));
            }
            match &laid.shaped {
                Shaped::Galley(galley) => painter.galley(origin, galley.clone(), text_color),
                Shaped::Bidi(bidi) => bidi.paint(&painter, origin, text_color, dark_mode),
            }
            if let Some(decor) = decor {
                let mut over = Mesh::default();
                lanes(&mut over, &placed, decor);
                if !over.is_empty() {
                    painter.add(Shape::mesh(over));
                }
                dashed(&painter, &placed, decor);
                handles.extend(outlines(&painter, &placed, decor));
            }
            if let Some(preview) = preview.and_then(|r| placed.local(r)) {
                let stroke = egui::Stroke::new(1.5, selection_color.to_opaque());
                for rect in placed.rects(preview) {
                    painter.rect_stroke(rect.expand(1.0), 2.0, stroke, egui::StrokeKind::Outside);
                }
            }

            let text_rect = Rect::from_min_size(origin, laid.size());
            if !laid.trusted {
                let marker = Rect::from_x_y_ranges(
                    placement.text_left - GUTTER + 4.0..=placement.text_left - GUTTER + 8.0,
                    text_rect.y_range(),
                );
                rtl_marker(&painter, marker, dark_mode);
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
}
