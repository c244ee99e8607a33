//! The menu bar. Shortcut texts come from the keymap.

use egui::{Button, ThemePreference};

use super::commands::Command;
use super::dialogs::DialogKind;
use super::keymap::{Action, shortcut_text};
use super::session::Session;
use super::ui_state::UiState;
use crate::model::Origin;

/// File, Edit, View, Go and Help menus.
pub fn menu_bar(ui: &mut egui::Ui, session: &Session, state: &mut UiState) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| file_menu(ui, state, &mut commands));
        ui.menu_button("Edit", |ui| edit_menu(ui, session, &mut commands));
        ui.menu_button("View", |ui| view_menu(ui, state, &mut commands));
        ui.menu_button("Go", |ui| {
            item(ui, &mut commands, "Next document", Action::NextDocument);
            item(
                ui,
                &mut commands,
                "Previous document",
                Action::PreviousDocument,
            );
        });
        ui.menu_button("Help", |ui| {
            item(ui, &mut commands, "Keyboard shortcuts", Action::Shortcuts);
        });
    });
    commands
}

/// A menu item for an action, with its shortcut.
fn item(ui: &mut egui::Ui, commands: &mut Vec<Command>, text: &str, action: Action) {
    item_enabled(ui, commands, true, text, action);
}

fn item_enabled(
    ui: &mut egui::Ui,
    commands: &mut Vec<Command>,
    enabled: bool,
    text: &str,
    action: Action,
) {
    let button = Button::new(text).shortcut_text(shortcut_text(action));
    if ui.add_enabled(enabled, button).clicked() {
        commands.push(action.command());
    }
}

fn file_menu(ui: &mut egui::Ui, state: &UiState, commands: &mut Vec<Command>) {
    item(ui, commands, "New project…", Action::NewProject);
    item(ui, commands, "Open project…", Action::OpenProject);
    ui.menu_button("Recent projects", |ui| {
        let recent = state.recent.paths();
        if recent.is_empty() {
            ui.label("none yet");
        }
        for path in recent {
            if ui.button(path.display().to_string()).clicked() {
                commands.push(Command::OpenProject(path.clone()));
            }
        }
    });
    ui.separator();
    let asks = [
        ("Import articles…", DialogKind::ImportFiles),
        ("Import a folder…", DialogKind::ImportFolder),
        ("Merge a colleague's project…", DialogKind::MergeProject),
        ("Save a copy for a colleague…", DialogKind::CopyProject),
    ];
    for (text, kind) in asks {
        if ui.button(text).clicked() {
            commands.push(Command::Ask(kind));
        }
    }
    ui.separator();
    if ui.button("Export dataset…").clicked() {
        commands.push(Command::OpenExport);
    }
    ui.separator();
    item(ui, commands, "Quit", Action::Quit);
}

fn edit_menu(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    let (can_undo, can_redo) = session.undo_redo;
    item_enabled(ui, commands, can_undo, "Undo", Action::Undo);
    item_enabled(ui, commands, can_redo, "Redo", Action::Redo);
    ui.separator();
    let has_span = session.selected_span.is_some();
    item_enabled(ui, commands, has_span, "Delete span", Action::DeleteSpan);
    item_enabled(ui, commands, has_span, "Edit note", Action::EditNote);
    item(ui, commands, "Copy", Action::Copy);
    item(ui, commands, "Find in document", Action::Find);
    ui.separator();
    let has_document = session.open.is_some();
    if ui
        .add_enabled(has_document, Button::new("Suggest tags for this document"))
        .clicked()
    {
        commands.push(Command::SuggestDocument);
    }
    let suggested = |label: &str| {
        session
            .open_spans()
            .iter()
            .filter(|s| s.origin == Origin::Suggested && s.label == label)
            .count()
    };
    for label in &session.scheme.labels {
        let n = suggested(&label.name);
        if n > 0
            && ui
                .button(format!("Accept all suggested: {} ({n})", label.name))
                .clicked()
        {
            commands.push(Command::AcceptAllSuggestions(label.name.clone()));
        }
    }
}

fn view_menu(ui: &mut egui::Ui, state: &mut UiState, commands: &mut Vec<Command>) {
    ui.checkbox(&mut state.snap_words, "Snap selections to whole words");
    ui.checkbox(&mut state.show_documents, "Document list");
    ui.checkbox(&mut state.show_details, "Labels and span details");
    if ui.button("Agreement…").clicked() {
        commands.push(Command::ShowAgreement);
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
    item(ui, commands, "Larger text", Action::ZoomIn);
    item(ui, commands, "Smaller text", Action::ZoomOut);
    item(ui, commands, "Default text size", Action::ZoomReset);
}
