//! The window: egui/eframe app state, panels, and the article view widget.
//!
//! Panels read [`StetApp`] and queue [`Command`]s; the commands are applied in one place after
//! the panels have drawn (`commands.rs`), through the store.

mod agreement_window;
mod article_panel;
pub mod article_view;
mod commands;
pub mod dialogs;
mod doc_list;
mod export_window;
mod import_job;
mod keys;
mod launch;
mod menu;
mod merge_job;
mod overlays;
mod recent;
mod review_panel;
mod search;
mod side_panel;
mod state;
pub mod theme;
mod worker;

pub use commands::Command;
pub use dialogs::{DialogKind, FileDialogs, Picked, RfdDialogs, ScriptedDialogs};
pub use launch::{LaunchOptions, default_project_path, open_default_project, run};
pub use state::StetApp;

impl StetApp {
    /// Draws the whole window into `ui` and applies what the user did.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.read_dropped_files(&ctx);
        self.read_keys(&ctx);
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui));
        egui::Panel::left("documents")
            .resizable(true)
            .default_size(260.0)
            .size_range(180.0..=480.0)
            .show(ui, |ui| self.doc_list_ui(ui));
        egui::Panel::right("labels")
            .resizable(true)
            .default_size(320.0)
            .size_range(240.0..=560.0)
            .show(ui, |ui| self.side_panel_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| self.article_panel_ui(ui));
        self.overlays_ui(&ctx);
        self.apply_commands(&ctx);
        self.poll_import();
        self.poll_merge();
        self.poll_copy();
        if !self.commands.is_empty() {
            ctx.request_repaint();
        }
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let text = egui::RichText::new(&self.status.text);
            let text = if self.status.is_error {
                text.color(ui.visuals().error_fg_color)
            } else {
                text
            };
            ui.add(egui::Label::new(text).truncate());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(
                    egui::RichText::new(format!(
                        "{} · {}",
                        self.annotator,
                        self.project.path().display()
                    ))
                    .weak(),
                );
                if let Some(label) = &self.sticky_label {
                    ui.label(egui::RichText::new(format!("🔒 {label}")).strong());
                }
            });
        });
    }

    /// Files dropped on the window are imported.
    fn read_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<std::path::PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.send(Command::Import(dropped));
        }
    }
}

impl eframe::App for StetApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        StetApp::ui(self, ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_note();
    }
}
