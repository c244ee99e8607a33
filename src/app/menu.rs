//! The menu bar.

use egui::{Button, ThemePreference};

use super::commands::Command;
use super::dialogs::DialogKind;
use super::state::StetApp;

impl StetApp {
    /// File, Edit, View and Go menus.
    pub(crate) fn menu_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| self.file_menu_ui(ui));
            ui.menu_button("Edit", |ui| self.edit_menu_ui(ui));
            ui.menu_button("View", |ui| self.view_menu_ui(ui));
            ui.menu_button("Go", |ui| {
                if ui
                    .add(Button::new("Next document").shortcut_text("Ctrl+PageDown"))
                    .clicked()
                {
                    self.send(Command::StepDocument(1));
                }
                if ui
                    .add(Button::new("Previous document").shortcut_text("Ctrl+PageUp"))
                    .clicked()
                {
                    self.send(Command::StepDocument(-1));
                }
            });
            ui.menu_button("Help", |ui| {
                if ui
                    .add(Button::new("Keyboard shortcuts").shortcut_text("F1"))
                    .clicked()
                {
                    self.show_shortcuts = true;
                }
            });
        });
    }

    fn file_menu_ui(&mut self, ui: &mut egui::Ui) {
        let asks = [
            ("New project…", DialogKind::NewProject),
            ("Open project…", DialogKind::OpenProject),
        ];
        for (text, kind) in asks {
            if ui.button(text).clicked() {
                self.send(Command::Ask(kind));
            }
        }
        ui.menu_button("Recent projects", |ui| {
            let recent: Vec<_> = self.recent.paths().to_vec();
            if recent.is_empty() {
                ui.label("none yet");
            }
            for path in recent {
                if ui.button(path.display().to_string()).clicked() {
                    self.send(Command::OpenProject(path));
                }
            }
        });
        ui.separator();
        if ui.button("Import articles…").clicked() {
            self.send(Command::Ask(DialogKind::ImportFiles));
        }
        if ui.button("Import a folder…").clicked() {
            self.send(Command::Ask(DialogKind::ImportFolder));
        }
        if ui.button("Merge a colleague's project…").clicked() {
            self.send(Command::Ask(DialogKind::MergeProject));
        }
        if ui.button("Save a copy for a colleague…").clicked() {
            self.send(Command::Ask(DialogKind::CopyProject));
        }
        ui.separator();
        if ui.button("Export dataset…").clicked() {
            self.export.open = true;
        }
    }

    fn edit_menu_ui(&mut self, ui: &mut egui::Ui) {
        let (can_undo, can_redo) = self.undo_redo;
        if ui
            .add_enabled(can_undo, Button::new("Undo").shortcut_text("Ctrl+Z"))
            .clicked()
        {
            self.send(Command::Undo);
        }
        if ui
            .add_enabled(can_redo, Button::new("Redo").shortcut_text("Ctrl+Shift+Z"))
            .clicked()
        {
            self.send(Command::Redo);
        }
        ui.separator();
        let has_span = self.selected_span.is_some();
        if ui
            .add_enabled(has_span, Button::new("Delete span").shortcut_text("Delete"))
            .clicked()
        {
            self.send(Command::DeleteSelectedSpan);
        }
        if ui
            .add_enabled(has_span, Button::new("Edit note").shortcut_text("N"))
            .clicked()
        {
            self.send(Command::EditNote);
        }
        if ui
            .add(Button::new("Find in document").shortcut_text("Ctrl+F"))
            .clicked()
        {
            self.search.open = true;
            self.search.focus = true;
        }
    }

    fn view_menu_ui(&mut self, ui: &mut egui::Ui) {
        ui.checkbox(&mut self.snap_words, "Snap selections to whole words");
        if ui.button("Agreement…").clicked() {
            self.send(Command::ShowAgreement);
        }
        ui.separator();
        let mut preference = ui.ctx().options(|o| o.theme_preference);
        let before = preference;
        ui.radio_value(
            &mut preference,
            ThemePreference::System,
            "Follow the system theme",
        );
        ui.radio_value(&mut preference, ThemePreference::Light, "Light");
        ui.radio_value(&mut preference, ThemePreference::Dark, "Dark");
        if preference != before {
            ui.ctx().set_theme(preference);
        }
        ui.separator();
        if ui
            .add(Button::new("Larger text").shortcut_text("Ctrl++"))
            .clicked()
        {
            self.send(Command::ZoomText(1.0));
        }
        if ui
            .add(Button::new("Smaller text").shortcut_text("Ctrl+−"))
            .clicked()
        {
            self.send(Command::ZoomText(-1.0));
        }
        if ui
            .add(Button::new("Default text size").shortcut_text("Ctrl+0"))
            .clicked()
        {
            self.send(Command::ResetZoom);
        }
    }
}
