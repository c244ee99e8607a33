//! The document list on the left: titles, lengths, span counts, my status, filters, progress.

use egui::{RichText, ScrollArea};

use super::commands::{Command, shorten};
use super::state::StetApp;
use crate::model::DocStatus;

impl StetApp {
    /// The left panel.
    pub(crate) fn doc_list_ui(&mut self, ui: &mut egui::Ui) {
        ui.set_max_width(ui.available_width());
        let total = self.documents.all.len();
        let done = self.documents.done_count();
        ui.heading("Documents");
        ui.label(format!("{done} of {total} done"));
        if total > 0 {
            ui.add(egui::ProgressBar::new(done as f32 / total as f32).desired_height(4.0));
        }
        let filter = ui.add(
            egui::TextEdit::singleline(&mut self.documents.filter_text)
                .hint_text("filter by title")
                .desired_width(f32::INFINITY),
        );
        let mut changed = filter.changed();
        ui.horizontal(|ui| {
            let options = [
                (None, "all"),
                (Some(DocStatus::Todo), "todo"),
                (Some(DocStatus::InProgress), "in progress"),
                (Some(DocStatus::Done), "done"),
            ];
            for (value, text) in options {
                changed |= ui
                    .selectable_value(&mut self.documents.filter_status, value, text)
                    .changed();
            }
        });
        if changed {
            self.documents.refilter();
        }
        ui.separator();
        let open_id = self.open_document_id();
        let row_height = ui.text_style_height(&egui::TextStyle::Body) * 2.0 + 6.0;
        let visible = self.documents.visible.len();
        let mut clicked = None;
        ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, visible, |ui, rows| {
                for row in rows {
                    let Some(doc) = self
                        .documents
                        .visible
                        .get(row)
                        .and_then(|&i| self.documents.all.get(i))
                    else {
                        continue;
                    };
                    let status = self.documents.status(doc.id);
                    let text = format!(
                        "{}\n{} chars · {} spans · {}",
                        shorten(&doc.title, 40),
                        doc.len_chars,
                        doc.span_count,
                        status.label()
                    );
                    let selected = Some(doc.id) == open_id;
                    let label = if status == DocStatus::Done {
                        RichText::new(text).weak()
                    } else {
                        RichText::new(text)
                    };
                    let response = ui
                        .selectable_label(selected, label)
                        .on_hover_text(&doc.title);
                    if response.clicked() {
                        clicked = Some(doc.id);
                    }
                    if selected && self.scroll_list_to_open {
                        response.scroll_to_me(None);
                    }
                }
            });
        self.scroll_list_to_open = false;
        if let Some(id) = clicked {
            self.send(Command::OpenDocument(id));
        }
    }
}
