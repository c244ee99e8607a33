//! Windows over the main layout: the shortcut sheet, the typed-path prompt, import progress,
//! problems to look at, and the Export and Agreement windows.

use std::path::PathBuf;

use egui::Rect;

use super::commands::Command;
use super::jobs::{JobKind, Jobs};
use super::keymap::KEYMAP;
use super::session::Session;
use super::ui_state::UiState;
use super::words::relation_words;
use crate::model::count;

/// Every floating window, kept inside `bounds` (the window below the menu bar); the
/// typed-path prompt last, so that it is on top of them all.
pub fn overlays(
    ctx: &egui::Context,
    bounds: Rect,
    session: &Session,
    state: &mut UiState,
    jobs: &Jobs,
) -> Vec<Command> {
    let mut commands = Vec::new();
    shortcuts(ctx, bounds, state);
    commands.extend(link_chooser(ctx, session, state));
    import_progress(ctx, jobs);
    commands.extend(problems(ctx, bounds, state));
    commands.extend(super::agreement_window::agreement_window(
        ctx,
        bounds,
        &mut state.agreement,
        jobs.is_running(JobKind::Agreement),
    ));
    commands.extend(super::export_window::export_window(
        ctx,
        bounds,
        session,
        &mut state.export,
        jobs.is_running(JobKind::Export),
    ));
    commands.extend(path_prompt(ctx, state));
    commands.extend(name_prompt(ctx, session, state));
    commands
}

/// A floating window that first opens in the middle of `bounds` and never leaves them, so
/// that it never covers the menu bar.
pub fn window(title: &str, bounds: Rect) -> egui::Window<'_> {
    egui::Window::new(title)
        .constrain_to(bounds)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(bounds.center())
}

fn shortcuts(ctx: &egui::Context, bounds: Rect, state: &mut UiState) {
    if !state.show_shortcuts {
        return;
    }
    let mut open = state.show_shortcuts;
    window("Keyboard shortcuts", bounds)
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            // The sheet scrolls rather than grow past the window (title bar and margins
            // take the rest).
            egui::ScrollArea::vertical()
                .max_height((bounds.height() - 80.0).max(120.0))
                .show(ui, |ui| {
                    egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                        for binding in KEYMAP {
                            ui.label(egui::RichText::new(binding.text).strong());
                            ui.label(binding.help);
                            ui.end_row();
                        }
                    });
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

/// A prompt's one-line field under its caption, holding the keyboard; whether Enter was
/// pressed in it.
fn prompt_field(ui: &mut egui::Ui, text: &mut String, caption: &str, width: f32) -> bool {
    let caption = ui.label(caption);
    let response = ui
        .add(egui::TextEdit::singleline(text).desired_width(width))
        .labelled_by(caption.id);
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
    if enter && (response.lost_focus() || response.has_focus()) {
        return true;
    }
    if !response.has_focus() {
        response.request_focus();
    }
    false
}

/// The typed-path prompt: modal, in the middle of the window, the path field holding the
/// keyboard (no shortcut fires while it is open); Enter or OK answers, Esc or Cancel closes.
fn path_prompt(ctx: &egui::Context, state: &mut UiState) -> Option<Command> {
    let prompt = state.path_prompt.as_mut()?;
    let mut submit = false;
    let mut cancel = false;
    let modal = egui::Modal::new(egui::Id::unique("path prompt")).show(ctx, |ui| {
        ui.heading(prompt.kind.title());
        submit = prompt_field(
            ui,
            &mut prompt.text,
            "No file dialog is available on this desktop. Type or paste a path:",
            420.0,
        );
        ui.horizontal(|ui| {
            submit |= ui.button("OK").clicked();
            cancel |= ui.button("Cancel").clicked();
        });
    });
    cancel |= modal.should_close();
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

/// Who is annotating: asked at start when the OS user name is an account's (root, a shared
/// desk login), or from the status bar; modal, the name field holding the keyboard.
fn name_prompt(ctx: &egui::Context, session: &Session, state: &mut UiState) -> Option<Command> {
    let prompt = state.name_prompt.as_mut()?;
    let mut submit = false;
    let mut cancel = false;
    let modal = egui::Modal::new(egui::Id::unique("name prompt")).show(ctx, |ui| {
        ui.heading("Who is annotating?");
        if prompt.first_run {
            ui.label(format!(
                "This computer's user name, {:?}, could be anyone's. Your spans, notes and \
                 reviews are kept under the name you give, apart from colleagues'.",
                session.annotator
            ));
        } else {
            ui.label("New spans, notes and reviews in this window are kept under this name.");
        }
        submit = prompt_field(ui, &mut prompt.text, "Your name:", 320.0);
        if let Some(problem) = &prompt.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        ui.horizontal(|ui| {
            submit |= ui.button("OK").clicked();
            let keep = if prompt.first_run {
                format!("Keep {:?}", session.annotator)
            } else {
                "Cancel".to_owned()
            };
            cancel |= ui.button(keep).clicked();
        });
    });
    cancel |= modal.should_close();
    if submit {
        match super::whoami::refuse(&prompt.text) {
            Some(problem) => prompt.problem = Some(problem),
            None => {
                let name = prompt.text.trim().to_owned();
                state.name_prompt = None;
                return Some(Command::SetAnnotator(name));
            }
        }
    } else if cancel {
        state.name_prompt = None;
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

/// The problems of the last import, merge or export; after an import whose files use labels
/// the scheme lacks, a button that adds them and imports those files again.
fn problems(ctx: &egui::Context, bounds: Rect, state: &mut UiState) -> Option<Command> {
    if state.problems.is_empty() {
        return None;
    }
    let mut open = true;
    let mut command = None;
    window("Problems to look at", bounds)
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
            if !state.lacking_scheme.is_empty() {
                ui.separator();
                let n = state.lacking_scheme.len();
                ui.label(format!(
                    "{} {} labels, attributes or relation kinds this project's scheme lacks.",
                    count(n, "refused file"),
                    if n == 1 { "uses" } else { "use" }
                ));
                if ui
                    .button("Add them to the scheme and import those files")
                    .on_hover_text(
                        "Each new label gets a colour of its own and no key (the same as \
                         stet import --add-labels)",
                    )
                    .clicked()
                {
                    command = Some(Command::ImportAddingLabels(std::mem::take(
                        &mut state.lacking_scheme,
                    )));
                }
            }
        });
    if !open || command.is_some() {
        state.problems.clear();
        state.lacking_scheme.clear();
    }
    command
}
