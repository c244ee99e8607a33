//! The middle of the window: the document's toolbar, the search bar and the article view.

use egui::RichText;

use super::article_view::{ArticleAction, ArticleView, ViewOptions};
use super::commands::Command;
use super::state::StetApp;
use super::theme;
use crate::model::DocStatus;

impl StetApp {
    /// The central panel.
    pub(crate) fn article_panel_ui(&mut self, ui: &mut egui::Ui) {
        if self.open.is_none() {
            self.empty_project_ui(ui);
            return;
        }
        self.toolbar_ui(ui);
        if self.search.open {
            self.search_bar_ui(ui);
        }
        ui.separator();
        let options = ViewOptions {
            font_size: self.font_size,
            snap_words: self.snap_words,
        };
        let Some(open) = &mut self.open else {
            return;
        };
        let actions = ArticleView::new(&open.text, &open.marks, &mut open.view, &options)
            .highlights(
                if self.search.open {
                    &self.search.matches
                } else {
                    &[]
                },
                self.search.current,
            )
            .show(ui);
        for action in actions {
            match action {
                ArticleAction::Selected(range) => self.send(Command::Selected(range)),
                ArticleAction::Refused(reason) => {
                    if let Some(open) = &mut self.open {
                        open.view.set_selection(None);
                    }
                    self.status.error(reason.clone());
                    self.last_refusal = Some(reason);
                }
                ArticleAction::ClickedSpans { at, ids } => {
                    if let Some(open) = &mut self.open {
                        open.caret = Some(at);
                    }
                    self.send(Command::CycleSpans(ids));
                }
                ArticleAction::ClickedText { at } => {
                    if let Some(open) = &mut self.open {
                        open.caret = Some(at);
                    }
                    if self.selected_span.is_some() {
                        self.send(Command::SelectSpan(None));
                    }
                }
                ArticleAction::Resized { id, range } => {
                    self.send(Command::ResizeSpan { id, range });
                }
            }
        }
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let Some(open) = &self.open else {
            return;
        };
        let id = open.info.id;
        let title = open.info.title.clone();
        let status = self.documents.status(id);
        let mut snap = self.snap_words;
        let mut open_search = false;
        let (left, right) = egui::Sides::new().shrink_left().show(
            ui,
            |ui| {
                let mut command = None;
                if ui
                    .button("◀")
                    .on_hover_text("Previous document (Ctrl+PageUp)")
                    .clicked()
                {
                    command = Some(Command::StepDocument(-1));
                }
                if ui
                    .button("▶")
                    .on_hover_text("Next document (Ctrl+PageDown)")
                    .clicked()
                {
                    command = Some(Command::StepDocument(1));
                }
                ui.add(egui::Label::new(RichText::new(&title).strong()).truncate())
                    .on_hover_text(&title);
                command
            },
            |ui| {
                let done = status == DocStatus::Done;
                let toggled = ui
                    .selectable_label(done, if done { "✔ done" } else { "mark done" })
                    .on_hover_text("Ctrl+D")
                    .clicked();
                ui.label(RichText::new(status.label()).weak());
                ui.separator();
                ui.toggle_value(&mut snap, "snap to words").on_hover_text(
                    "Selections snap to whole words; hold Alt while dragging for single characters",
                );
                open_search = ui.button("🔍").on_hover_text("Find (Ctrl+F)").clicked();
                toggled.then_some(Command::ToggleDone)
            },
        );
        self.snap_words = snap;
        if open_search {
            self.search.open = true;
            self.search.focus = true;
        }
        self.commands.extend(left.into_iter().chain(right));
    }

    fn search_bar_ui(&mut self, ui: &mut egui::Ui) {
        let mut step = None;
        ui.horizontal(|ui| {
            ui.label("Find:");
            let response = ui.add(
                egui::TextEdit::singleline(&mut self.search.query)
                    .hint_text("text in this document")
                    .desired_width(240.0),
            );
            if self.search.focus {
                response.request_focus();
                self.search.focus = false;
            }
            if response.changed() {
                self.search
                    .recompute(self.open.as_ref().map(|d| d.text.text()));
            }
            if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                step = Some(!ui.input(|i| i.modifiers.shift));
                response.request_focus();
            }
            let n = self.search.matches.len();
            let position = self.search.current.map_or(0, |i| i + 1);
            ui.label(if self.search.query.is_empty() {
                String::new()
            } else if n == 0 {
                "no matches".to_owned()
            } else {
                format!("{position} of {n}")
            });
            if ui.button("▼").on_hover_text("Next match (Enter)").clicked() {
                step = Some(true);
            }
            if ui
                .button("▲")
                .on_hover_text("Previous match (Shift+Enter)")
                .clicked()
            {
                step = Some(false);
            }
            if ui.button("✖").on_hover_text("Close (Esc)").clicked() {
                self.search.open = false;
            }
        });
        if let Some(forward) = step
            && let Some(found) = self.search.step(forward)
            && let Some(open) = &mut self.open
        {
            open.view.scroll_to(found.start);
            open.view.set_selection(Some(found));
        }
    }

    fn empty_project_ui(&mut self, ui: &mut egui::Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() / 3.0);
            ui.heading("This project has no documents yet");
            ui.label("Drop article files or folders here, or use File ▸ Import articles.");
            ui.label(
                RichText::new(".txt .md .html .htm .xml .jsonl and newswire dumps")
                    .weak()
                    .size(theme::ARTICLE_FONT_SIZE - 4.0),
            );
            if ui.button("Import articles…").clicked() {
                self.send(Command::Ask(super::dialogs::DialogKind::ImportFiles));
            }
        });
    }
}
