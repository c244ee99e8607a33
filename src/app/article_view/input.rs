//! Pointer input: positions to code points, drags to selections and resizes, clicks and
//! double-clicks to actions, and the hover tooltip of the spans under the pointer.

use egui::{CursorIcon, Rect, Role, Sense, WidgetInfo, pos2, vec2};

use super::frame::Frame;
use super::selection::{self, Drag, DragKind, TextPoint};
use super::{ACCESSIBLE_NAME, ArticleAction, ArticleViewState, Placement, RTL_REFUSAL};

impl Frame<'_> {
    /// The text point under screen position `pos`: the nearest boundary, and the code point
    /// whose glyph is under it (if any).
    pub(super) fn locate(
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
    pub(super) fn handle_input(
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
                    let point =
                        TextPoint {
                            paragraph: self.text.paragraphs.containing(handle.at).unwrap_or_else(
                                || self.text.paragraphs.first_ending_after(handle.at),
                            ),
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

    /// Shows the accessible name, the pointer's cursor, and the tooltip of the spans under
    /// the pointer.
    pub(super) fn hover(
        &self,
        state: &mut ArticleViewState,
        response: egui::Response,
        placement: Placement,
    ) {
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
