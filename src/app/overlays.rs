//! Windows over the main layout: the shortcut sheet, the typed-path prompt, import progress
//! and import errors.

use std::path::PathBuf;

use super::keys::SHORTCUTS;
use super::state::StetApp;

impl StetApp {
    /// Every floating window.
    pub(crate) fn overlays_ui(&mut self, ctx: &egui::Context) {
        self.shortcuts_ui(ctx);
        self.path_prompt_ui(ctx);
        self.import_progress_ui(ctx);
        self.import_errors_ui(ctx);
        self.agreement_window_ui(ctx);
        self.export_window_ui(ctx);
    }

    fn shortcuts_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.show_shortcuts;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.label(egui::RichText::new(*keys).strong());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
            });
        self.show_shortcuts = open;
    }

    fn path_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.path_prompt else {
            return;
        };
        let mut submit = false;
        let mut cancel = false;
        egui::Window::new(prompt.kind.title())
            .collapsible(false)
            .show(ctx, |ui| {
                let caption =
                    ui.label("No file dialog is available on this desktop. Type or paste a path:");
                let response = ui
                    .add(egui::TextEdit::singleline(&mut prompt.text).desired_width(420.0))
                    .labelled_by(caption.id);
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                if enter && (response.lost_focus() || response.has_focus()) {
                    submit = true;
                } else if !response.has_focus() {
                    response.request_focus();
                }
                ui.horizontal(|ui| {
                    submit |= ui.button("OK").clicked();
                    cancel |= ui.button("Cancel").clicked();
                });
            });
        if submit && !prompt.text.trim().is_empty() {
            let kind = prompt.kind;
            let path = PathBuf::from(prompt.text.trim());
            self.path_prompt = None;
            self.answer(kind, vec![path]);
        } else if cancel {
            self.path_prompt = None;
        }
    }

    fn import_progress_ui(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.import else {
            return;
        };
        let (done, total) = job.progress();
        egui::Window::new("Importing")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_BOTTOM, [0.0, -40.0])
            .show(ctx, |ui| {
                let fraction = if total == 0 {
                    0.0
                } else {
                    done as f32 / total as f32
                };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(320.0)
                        .text(format!("{done} of {total} files")),
                );
            });
    }

    fn import_errors_ui(&mut self, ctx: &egui::Context) {
        if self.import_errors.is_empty() {
            return;
        }
        let mut open = true;
        egui::Window::new("Problems to look at")
            .open(&mut open)
            .default_width(560.0)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(240.0)
                    .show(ui, |ui| {
                        for line in &self.import_errors {
                            ui.label(line);
                        }
                    });
            });
        if !open {
            self.import_errors.clear();
        }
    }
}
