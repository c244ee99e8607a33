//! The document list on the left: titles, lengths, span counts, my status, filters, progress.

use egui::{RichText, ScrollArea};

use super::commands::Command;
use super::session::Session;
use super::ui_state::UiState;
use super::words::shorten;
use crate::model::DocStatus;
use crate::model::count;

/// The left panel.
pub fn doc_list(ui: &mut egui::Ui, session: &Session, state: &mut UiState) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.set_max_width(ui.available_width());
    let documents = &session.documents;
    let total = documents.all.len();
    let done = documents.done_count();
    ui.heading("Documents");
    ui.label(format!("{done} of {total} done"));
    if total > 0 {
        ui.add(egui::ProgressBar::new(done as f32 / total as f32).desired_height(4.0));
    }
    let mut filter = documents.filter.clone();
    let mut changed = ui
        .add(
            egui::TextEdit::singleline(&mut filter.text)
                .hint_text("filter by title")
                .desired_width(f32::INFINITY),
        )
        .changed();
    // The chips wrap onto a second row in a narrow list rather than run out of it.
    ui.horizontal_wrapped(|ui| {
        // Close together, so that the four fit on one row at the list's usual width.
        ui.spacing_mut().item_spacing.x = 2.0;
        ui.spacing_mut().button_padding.x = 5.0;
        let options = [
            (None, "all"),
            (Some(DocStatus::Todo), "todo"),
            (Some(DocStatus::InProgress), "in progress"),
            (Some(DocStatus::Done), "done"),
        ];
        for (value, text) in options {
            changed |= ui
                .selectable_value(&mut filter.status, value, text)
                .changed();
        }
    });
    if changed {
        commands.push(Command::FilterDocuments(filter));
    }
    ui.separator();
    let open_id = session.open_document_id();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) * 2.0 + 6.0;
    let visible = documents.visible.len();
    // Each card keeps its two lines (the rows are of one height): the title is cut to what
    // the list's width holds, at a generous average letter width.
    let letter = ui.text_style_height(&egui::TextStyle::Body) * 0.5;
    let title_chars = ((ui.available_width() - 16.0) / letter).clamp(12.0, 60.0) as usize;
    // A narrow list leaves the length out of the second line.
    let narrow = ui.available_width() < 230.0;
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_height, visible, |ui, rows| {
            for row in rows {
                let Some(doc) = documents
                    .visible
                    .get(row)
                    .and_then(|&i| documents.all.get(i))
                else {
                    continue;
                };
                let status = documents.status(doc.id);
                let stats = if narrow {
                    format!("{} · {}", count(doc.span_count, "span"), status.label())
                } else {
                    format!(
                        "{} chars · {} · {}",
                        doc.len_chars,
                        count(doc.span_count, "span"),
                        status.label()
                    )
                };
                let text = format!("{}\n{stats}", shorten(&doc.title, title_chars));
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
                    commands.push(Command::OpenDocument(doc.id));
                }
                if selected && state.scroll_list_to_open {
                    response.scroll_to_me(None);
                }
            }
        });
    state.scroll_list_to_open = false;
    commands
}
