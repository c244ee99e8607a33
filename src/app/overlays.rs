//! Windows over the main layout: the shortcut sheet, the typed-path prompt, import progress,
//! problems to look at, and the Export and Agreement windows.

use std::path::PathBuf;

use super::commands::Command;
use super::jobs::{JobKind, Jobs};
use super::keymap::KEYMAP;
use super::session::Session;
use super::ui_state::UiState;
use super::words::relation_words;

/// Every floating window.
pub fn overlays(
    ctx: &egui::Context,
    session: &Session,
    state: &mut UiState,
    jobs: &Jobs,
) -> Vec<Command> {
    let mut commands = Vec::new();
    shortcuts(ctx, state);
    commands.extend(link_chooser(ctx, session, state));
    commands.extend(path_prompt(ctx, state));
    import_progress(ctx, jobs);
    problems(ctx, state);
    commands.extend(super::agreement_window::agreement_window(
        ctx,
        &mut state.agreement,
        jobs.is_running(JobKind::Agreement),
    ));
    commands.extend(super::export_window::export_window(
        ctx,
        session,
        &mut state.export,
        jobs.is_running(JobKind::Export),
    ));
    commands
}

fn shortcuts(ctx: &egui::Context, state: &mut UiState) {
    let mut open = state.show_shortcuts;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for binding in KEYMAP {
                    ui.label(egui::RichText::new(binding.text).strong());
                    ui.label(binding.help);
                    ui.end_row();
                }
            });
        });
    state.show_shortcuts = open;
}

/// Which relation links the two spans, when several kinds could: a button per kind, its
/// hotkey choosing it too.
fn link_chooser(ctx: &egui::Context, session: &Session, state: &UiState) -> Option<Command> {
    let choice = state.link_choice.as_ref()?;
    let mut chosen = None;
    egui::Window::new("Link as")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            for kind in &choice.kinds {
                let def = session.scheme.relation(kind);
                let key = def.and_then(|d| d.hotkey.as_deref());
                let text = match key {
                    Some(key) => format!("{}   [{key}]", relation_words(kind)),
                    None => relation_words(kind),
                };
                let button = ui
                    .button(text)
                    .on_hover_text(def.map_or("", |d| d.description.as_str()));
                let pressed = key
                    .and_then(|k| egui::Key::from_name(&k.to_uppercase()))
                    .is_some_and(|k| ui.input(|i| i.key_pressed(k) && i.modifiers.is_none()));
                if button.clicked() || pressed {
                    chosen = Some(kind.clone());
                }
            }
            ui.label(egui::RichText::new("Esc: no link").weak());
        });
    chosen.map(Command::LinkAs)
}

fn path_prompt(ctx: &egui::Context, state: &mut UiState) -> Option<Command> {
    let prompt = state.path_prompt.as_mut()?;
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
        state.path_prompt = None;
        return Some(Command::Answer(kind, vec![path]));
    }
    if cancel {
        state.path_prompt = None;
    }
    None
}

fn import_progress(ctx: &egui::Context, jobs: &Jobs) {
    let Some((done, total)) = jobs.progress(JobKind::Import) else {
        return;
    };
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

fn problems(ctx: &egui::Context, state: &mut UiState) {
    if state.problems.is_empty() {
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
                    for line in &state.problems {
                        ui.label(line);
                    }
                });
        });
    if !open {
        state.problems.clear();
    }
}
