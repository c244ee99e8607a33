//! The right panel: the label bar, the selected span's details, and the document's spans.

use egui::{Color32, RichText, ScrollArea, Sense, Vec2};

use super::commands::{Command, shorten};
use super::state::StetApp;
use super::theme;
use crate::model::Timestamp;

impl StetApp {
    /// The right panel.
    pub(crate) fn side_panel_ui(&mut self, ui: &mut egui::Ui) {
        // Content wraps or truncates to the panel; it never widens it.
        ui.set_max_width(ui.available_width());
        // The span list keeps at least a third of the panel; the rest scrolls above it.
        let top_height = (ui.available_height() * 0.66).max(120.0);
        ScrollArea::vertical()
            .id_salt("side_panel")
            .max_height(top_height)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                self.label_bar_ui(ui);
                ui.separator();
                self.review_panel_ui(ui);
                ui.separator();
                self.span_details_ui(ui);
            });
        ui.separator();
        self.span_list_ui(ui);
    }

    /// One row per label: colour, name, hotkey and a lock; the definition on hover.
    fn label_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Labels");
        let labels = self.scheme.labels.clone();
        for label in &labels {
            ui.horizontal(|ui| {
                let color = theme::label_color(label.rgb());
                let (rect, _) = ui.allocate_exact_size(Vec2::splat(14.0), Sense::hover());
                ui.painter().rect_filled(rect, 3.0, color);
                let key = label.hotkey.as_deref().unwrap_or(" ");
                let text = format!("{}   [{key}]", label.name);
                let button = ui
                    .add(egui::Button::new(text).min_size(Vec2::new(120.0, 0.0)))
                    .on_hover_text(&label.description);
                if button.clicked() {
                    self.send(Command::ApplyLabel(label.name.clone()));
                }
                let locked = self.sticky_label.as_deref() == Some(label.name.as_str());
                let lock = ui
                    .selectable_label(locked, if locked { "🔒" } else { "🔓" })
                    .on_hover_text(format!(
                        "Lock “{}”: every selection is tagged at once (Shift+{key})",
                        label.name
                    ));
                if lock.clicked() {
                    self.send(Command::ToggleSticky(label.name.clone()));
                }
            });
        }
    }

    /// The selected span: label, text, annotator, note editor, times.
    fn span_details_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Span");
        let Some(span) = self
            .selected_span
            .and_then(|id| self.open_spans().iter().find(|s| s.id == id))
            .cloned()
        else {
            ui.label(RichText::new("Click a span to see it here.").weak());
            return;
        };
        let text = self
            .open
            .as_ref()
            .map(|d| d.text.index().slice(d.text.text(), span.range).to_owned())
            .unwrap_or_default();
        egui::Grid::new("span_details")
            .num_columns(2)
            .show(ui, |ui| {
                ui.label("label");
                ui.horizontal_wrapped(|ui| {
                    for l in &self.scheme.labels {
                        let chosen = l.name == span.label;
                        if ui.selectable_label(chosen, &l.name).clicked() && !chosen {
                            self.commands.push(Command::ApplyLabel(l.name.clone()));
                        }
                    }
                });
                ui.end_row();
                ui.label("offsets");
                ui.label(format!("{} (code points)", span.range));
                ui.end_row();
                ui.label("annotator");
                ui.label(&span.annotator);
                ui.end_row();
                ui.label("origin");
                ui.label(span.origin.as_str());
                ui.end_row();
                ui.label("created");
                ui.label(local_time(span.created_at));
                ui.end_row();
                ui.label("changed");
                ui.label(local_time(span.updated_at));
                ui.end_row();
            });
        ui.add(egui::Label::new(format!("“{}”", shorten(&text, 400))).wrap());
        let editable = span.annotator == self.annotator || span.annotator == crate::store::GOLD;
        self.note_editor_ui(ui, &span.note, span.id, editable);
        self.verdicts_ui(ui, span.id, &span.annotator);
    }

    fn note_editor_ui(&mut self, ui: &mut egui::Ui, note: &str, span_id: i64, editable: bool) {
        ui.label("note");
        if !editable {
            ui.add(egui::Label::new(if note.is_empty() { "—" } else { note }).wrap());
            return;
        }
        let draft = self.note.get_or_insert_with(|| super::state::NoteDraft {
            span_id,
            text: note.to_owned(),
            focus: false,
        });
        if draft.span_id != span_id {
            *draft = super::state::NoteDraft {
                span_id,
                text: note.to_owned(),
                focus: false,
            };
        }
        let response = ui.add(
            egui::TextEdit::multiline(&mut draft.text)
                .hint_text("why this tag? (N to edit, Enter to save)")
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        );
        if draft.focus {
            response.request_focus();
            draft.focus = false;
        }
        let enter = response.has_focus()
            && ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.shift);
        if enter {
            // Enter saves; Shift+Enter is a new line.
            if draft.text.ends_with('\n') {
                draft.text.pop();
            }
            response.surrender_focus();
        }
        if response.lost_focus() || enter {
            self.save_note();
        }
    }

    /// The document's spans in reading order; a click selects and scrolls to one.
    fn span_list_ui(&mut self, ui: &mut egui::Ui) {
        let count = self.open_spans().len();
        ui.heading(format!("Spans ({count})"));
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let mut clicked = None;
        ScrollArea::vertical()
            .id_salt("span_list")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, count, |ui, rows| {
                let Some(open) = &self.open else {
                    return;
                };
                for row in rows {
                    let Some(span) = open.spans.get(row) else {
                        continue;
                    };
                    let color = self
                        .scheme
                        .label(&span.label)
                        .map_or(Color32::GRAY, |l| theme::label_color(l.rgb()));
                    let text = open.text.index().slice(open.text.text(), span.range);
                    ui.horizontal(|ui| {
                        let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
                        ui.painter().rect_filled(rect, 2.0, color);
                        let selected = self.selected_span == Some(span.id);
                        let row_text = format!("{} · {}", span.label, shorten(text, 48));
                        let response = ui
                            .add(egui::Button::selectable(selected, row_text).truncate())
                            .on_hover_text(format!("{} · {}", span.annotator, span.range));
                        if response.clicked() {
                            clicked = Some(span.id);
                        }
                    });
                }
            });
        if let Some(id) = clicked {
            self.send(Command::SelectSpan(Some(id)));
        }
    }
}

/// A timestamp in the machine's time zone, to the minute.
fn local_time(at: Timestamp) -> String {
    let Ok(ts) = jiff::Timestamp::from_millisecond(at.0) else {
        return String::new();
    };
    let zoned = ts.to_zoned(jiff::tz::TimeZone::system());
    zoned.strftime("%Y-%m-%d %H:%M").to_string()
}
