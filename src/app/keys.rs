//! Keyboard shortcuts: read once per frame before the panels draw, turned into commands.

use egui::{Key, Modifiers};

use super::commands::Command;
use super::state::StetApp;

/// One line of the shortcut sheet: keys and what they do.
pub const SHORTCUTS: &[(&str, &str)] = &[
    (
        "drag, double-click",
        "select text (snapped to whole words; hold Alt for characters)",
    ),
    ("Shift+← / →", "extend the selection word by word"),
    (
        "1 2 3 4 (label keys)",
        "tag the selection, or relabel the selected span",
    ),
    (
        "Shift+label key",
        "lock that label: every selection is tagged at once",
    ),
    (
        "click a span",
        "select it (click again to cycle through stacked spans)",
    ),
    ("Tab / Shift+Tab", "select the next / previous span"),
    ("Delete", "delete the selected span"),
    ("N", "edit the selected span's note (Enter saves)"),
    (
        "A / R",
        "review: accept the selected span into gold / reject it",
    ),
    ("n / p (compare mode)", "next / previous disagreement"),
    ("Shift+Alt+← / →", "move the selected span's end by a word"),
    (
        "Ctrl+Shift+Alt+← / →",
        "move the selected span's start by a word",
    ),
    ("Ctrl+Z", "undo (across documents, after a restart too)"),
    ("Ctrl+Shift+Z, Ctrl+Y", "redo"),
    ("Ctrl+PageDown / PageUp", "next / previous document"),
    (
        "Ctrl+D",
        "mark the document done (again: back to in progress)",
    ),
    (
        "Ctrl+F, Enter, Shift+Enter",
        "find in the document, next, previous match",
    ),
    (
        "Ctrl+ + / Ctrl+ − / Ctrl+0",
        "larger / smaller / default text",
    ),
    ("Esc", "clear the selection, close the search"),
    ("F1 or ?", "this sheet"),
];

impl StetApp {
    /// Turns this frame's key presses into commands (keys a text field is using are left alone).
    pub(crate) fn read_keys(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        let mut commands = Vec::new();
        let hotkeys: Vec<(Key, String)> = self
            .scheme
            .labels
            .iter()
            .filter_map(|l| {
                let key = Key::from_name(l.hotkey.as_deref()?)
                    .or_else(|| Key::from_name(&l.hotkey.as_deref()?.to_uppercase()))?;
                Some((key, l.name.clone()))
            })
            .collect();
        let comparing = self.review.compare.is_some();
        let mut toggle_search = false;
        let mut show_shortcuts = false;
        let mut escape = false;
        ctx.input_mut(|input| {
            let mut pressed = |mods: Modifiers, key: Key| input.consume_key(mods, key);
            if !typing {
                if pressed(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z) {
                    commands.push(Command::Redo);
                }
                if pressed(Modifiers::COMMAND, Key::Z) {
                    commands.push(Command::Undo);
                }
                if pressed(Modifiers::COMMAND, Key::Y) {
                    commands.push(Command::Redo);
                }
            }
            if pressed(Modifiers::COMMAND, Key::F) {
                toggle_search = true;
            }
            if pressed(Modifiers::COMMAND, Key::Plus) || pressed(Modifiers::COMMAND, Key::Equals) {
                commands.push(Command::ZoomText(1.0));
            }
            if pressed(Modifiers::COMMAND, Key::Minus) {
                commands.push(Command::ZoomText(-1.0));
            }
            if pressed(Modifiers::COMMAND, Key::Num0) {
                commands.push(Command::ResetZoom);
            }
            if pressed(Modifiers::COMMAND, Key::PageDown) {
                commands.push(Command::StepDocument(1));
            }
            if pressed(Modifiers::COMMAND, Key::PageUp) {
                commands.push(Command::StepDocument(-1));
            }
            if pressed(Modifiers::COMMAND, Key::D) {
                commands.push(Command::ToggleDone);
            }
            if pressed(Modifiers::NONE, Key::F1) {
                show_shortcuts = true;
            }
            if pressed(Modifiers::NONE, Key::Escape) {
                escape = true;
            }
            if typing {
                return;
            }
            let nudges = [
                (
                    Modifiers::COMMAND | Modifiers::SHIFT | Modifiers::ALT,
                    false,
                ),
                (Modifiers::SHIFT | Modifiers::ALT, true),
            ];
            for (mods, end) in nudges {
                for (key, forward) in [(Key::ArrowRight, true), (Key::ArrowLeft, false)] {
                    if pressed(mods, key) {
                        commands.push(Command::NudgeSelectedSpan { end, forward });
                    }
                }
            }
            for (key, forward) in [(Key::ArrowRight, true), (Key::ArrowLeft, false)] {
                if pressed(Modifiers::SHIFT, key) {
                    commands.push(Command::ExtendSelection { forward });
                }
            }
            if pressed(Modifiers::SHIFT, Key::Tab) {
                commands.push(Command::StepSpan(-1));
            }
            if pressed(Modifiers::NONE, Key::Tab) {
                commands.push(Command::StepSpan(1));
            }
            if pressed(Modifiers::NONE, Key::Delete) || pressed(Modifiers::NONE, Key::Backspace) {
                commands.push(Command::DeleteSelectedSpan);
            }
            let hotkey_keys: Vec<Key> = hotkeys.iter().map(|(k, _)| *k).collect();
            let free = |key: Key| !hotkey_keys.contains(&key);
            if comparing {
                if free(Key::N) && pressed(Modifiers::NONE, Key::N) {
                    commands.push(Command::StepDisagreement(1));
                }
                if free(Key::P) && pressed(Modifiers::NONE, Key::P) {
                    commands.push(Command::StepDisagreement(-1));
                }
            } else if free(Key::N) && pressed(Modifiers::NONE, Key::N) {
                commands.push(Command::EditNote);
            }
            if free(Key::A) && pressed(Modifiers::NONE, Key::A) {
                commands.push(Command::Accept);
            }
            if free(Key::R) && pressed(Modifiers::NONE, Key::R) {
                commands.push(Command::Reject);
            }
            for (key, label) in &hotkeys {
                if pressed(Modifiers::SHIFT, *key) {
                    commands.push(Command::ToggleSticky(label.clone()));
                }
                if pressed(Modifiers::NONE, *key) {
                    commands.push(Command::ApplyLabel(label.clone()));
                }
            }
            let question = input
                .events
                .iter()
                .any(|e| matches!(e, egui::Event::Text(t) if t == "?"));
            if question {
                show_shortcuts = true;
            }
        });
        if toggle_search {
            self.search.open = true;
            self.search.focus = true;
        }
        if show_shortcuts {
            self.show_shortcuts = !self.show_shortcuts;
        }
        if escape {
            self.escape();
        }
        self.commands.extend(commands);
    }

    /// Esc: close the search or the sheet, else drop the selection.
    fn escape(&mut self) {
        if self.show_shortcuts {
            self.show_shortcuts = false;
        } else if self.search.open {
            self.search.open = false;
        } else if let Some(open) = &mut self.open
            && open.view.selection().is_some()
        {
            open.view.set_selection(None);
        } else if self.selected_span.is_some() {
            self.commands.push(Command::SelectSpan(None));
        }
    }
}
