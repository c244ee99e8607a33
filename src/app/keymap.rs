//! The keymap: one table of shortcuts, each with its keys, the words menus show beside it and
//! the line of the shortcut sheet (F1). The key handler, the menus and the sheet all read it,
//! so a shortcut is written once.

use egui::{Key, Modifiers};

use super::commands::Command;

/// What a shortcut does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Undo,
    Redo,
    Find,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    NextDocument,
    PreviousDocument,
    ToggleDone,
    Shortcuts,
    Escape,
    NudgeEnd { forward: bool },
    NudgeStart { forward: bool },
    ExtendSelection { forward: bool },
    NextSpan,
    PreviousSpan,
    DeleteSpan,
    AcceptSuggestion,
    EditNote,
    NextDisagreement,
    PreviousDisagreement,
    Accept,
    Reject,
    Link,
    CycleAttribute,
    Copy,
    NewProject,
    OpenProject,
    Quit,
    Scroll(Scroll),
}

/// Which way the keyboard scrolls the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scroll {
    PageDown,
    PageUp,
    LineDown,
    LineUp,
    Home,
    End,
}

impl Action {
    /// The command the action sends.
    pub fn command(self) -> Command {
        match self {
            Self::Undo => Command::Undo,
            Self::Redo => Command::Redo,
            Self::Find => Command::OpenSearch,
            Self::ZoomIn => Command::ZoomText(1.0),
            Self::ZoomOut => Command::ZoomText(-1.0),
            Self::ZoomReset => Command::ResetZoom,
            Self::NextDocument => Command::StepDocument(1),
            Self::PreviousDocument => Command::StepDocument(-1),
            Self::ToggleDone => Command::ToggleDone,
            Self::Shortcuts => Command::ToggleShortcuts,
            Self::Escape => Command::Escape,
            Self::NudgeEnd { forward } => Command::NudgeSelectedSpan { end: true, forward },
            Self::NudgeStart { forward } => Command::NudgeSelectedSpan {
                end: false,
                forward,
            },
            Self::ExtendSelection { forward } => Command::ExtendSelection { forward },
            Self::NextSpan => Command::StepSpan(1),
            Self::PreviousSpan => Command::StepSpan(-1),
            Self::DeleteSpan => Command::DeleteSelectedSpan,
            Self::AcceptSuggestion => Command::AcceptSelectedSuggestion,
            Self::EditNote => Command::EditNote,
            Self::NextDisagreement => Command::StepDisagreement(1),
            Self::PreviousDisagreement => Command::StepDisagreement(-1),
            Self::Accept => Command::Accept,
            Self::Reject => Command::Reject,
            Self::Link => Command::StartLink,
            Self::CycleAttribute => Command::CycleAttribute(None),
            Self::Copy => Command::CopyText,
            Self::NewProject => Command::Ask(super::dialogs::DialogKind::NewProject),
            Self::OpenProject => Command::Ask(super::dialogs::DialogKind::OpenProject),
            Self::Quit => Command::Quit,
            Self::Scroll(scroll) => {
                use super::article_view::ScrollRequest;
                Command::Scroll(match scroll {
                    Scroll::PageDown => ScrollRequest::Pages(1.0),
                    Scroll::PageUp => ScrollRequest::Pages(-1.0),
                    Scroll::LineDown => ScrollRequest::Lines(3.0),
                    Scroll::LineUp => ScrollRequest::Lines(-3.0),
                    Scroll::Home => ScrollRequest::Home,
                    Scroll::End => ScrollRequest::End,
                })
            }
        }
    }
}

/// When a shortcut is live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Even while a text field has the keyboard (Ctrl+F, F1, Esc).
    Always,
    /// Unless a text field has the keyboard.
    NotTyping,
    /// In compare mode, unless typing.
    Comparing,
    /// Outside compare mode, unless typing.
    NotComparing,
    /// A plain letter: unless typing, and unless a label uses the key as its hotkey.
    Letter,
}

/// One entry of the keymap.
pub struct Binding {
    /// `None`: a sheet line about the pointer or the label keys, with no key of its own.
    pub action: Option<Action>,
    pub keys: &'static [(Modifiers, Key)],
    pub when: When,
    /// The keys in words, for menus and the sheet (`Ctrl+Z`).
    pub text: &'static str,
    /// What it does, for the sheet.
    pub help: &'static str,
}

const NONE: Modifiers = Modifiers::NONE;
const SHIFT: Modifiers = Modifiers::SHIFT;
const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};
const SHIFT_ALT: Modifiers = Modifiers {
    alt: true,
    shift: true,
    ..Modifiers::NONE
};
const CMD_SHIFT_ALT: Modifiers = Modifiers {
    alt: true,
    shift: true,
    ..Modifiers::COMMAND
};

/// Every shortcut, in the order the sheet lists them (and the handler tries them: a longer
/// chord before its shorter part).
pub const KEYMAP: &[Binding] = &[
    Binding {
        action: None,
        keys: &[],
        when: When::Always,
        text: "drag, double-click",
        help: "select text (snapped to whole words; hold Alt for characters)",
    },
    Binding {
        action: Some(Action::NudgeStart { forward: true }),
        keys: &[(CMD_SHIFT_ALT, Key::ArrowRight)],
        when: When::NotTyping,
        text: "Ctrl+Shift+Alt+→",
        help: "move the selected span's start a word on",
    },
    Binding {
        action: Some(Action::NudgeStart { forward: false }),
        keys: &[(CMD_SHIFT_ALT, Key::ArrowLeft)],
        when: When::NotTyping,
        text: "Ctrl+Shift+Alt+←",
        help: "move the selected span's start a word back",
    },
    Binding {
        action: Some(Action::NudgeEnd { forward: true }),
        keys: &[(SHIFT_ALT, Key::ArrowRight)],
        when: When::NotTyping,
        text: "Shift+Alt+→",
        help: "move the selected span's end a word on",
    },
    Binding {
        action: Some(Action::NudgeEnd { forward: false }),
        keys: &[(SHIFT_ALT, Key::ArrowLeft)],
        when: When::NotTyping,
        text: "Shift+Alt+←",
        help: "move the selected span's end a word back",
    },
    Binding {
        action: Some(Action::ExtendSelection { forward: true }),
        keys: &[(SHIFT, Key::ArrowRight)],
        when: When::NotTyping,
        text: "Shift+→",
        help: "extend the selection by a word",
    },
    Binding {
        action: Some(Action::ExtendSelection { forward: false }),
        keys: &[(SHIFT, Key::ArrowLeft)],
        when: When::NotTyping,
        text: "Shift+←",
        help: "take a word off the selection",
    },
    Binding {
        action: None,
        keys: &[],
        when: When::Always,
        text: "1 2 3 4 (label keys)",
        help: "tag the selection, or relabel the selected span",
    },
    Binding {
        action: None,
        keys: &[],
        when: When::Always,
        text: "Shift+label key",
        help: "lock that label: every selection is tagged at once",
    },
    Binding {
        action: None,
        keys: &[],
        when: When::Always,
        text: "click a span",
        help: "select it (click again to cycle through stacked spans)",
    },
    Binding {
        action: Some(Action::PreviousSpan),
        keys: &[(SHIFT, Key::Tab)],
        when: When::NotTyping,
        text: "Shift+Tab",
        help: "select the previous span",
    },
    Binding {
        action: Some(Action::NextSpan),
        keys: &[(NONE, Key::Tab)],
        when: When::NotTyping,
        text: "Tab",
        help: "select the next span",
    },
    Binding {
        action: Some(Action::DeleteSpan),
        keys: &[(NONE, Key::Delete), (NONE, Key::Backspace)],
        when: When::NotTyping,
        text: "Delete",
        help: "delete the selected span (reject it, if it is a suggestion)",
    },
    Binding {
        action: Some(Action::AcceptSuggestion),
        keys: &[(NONE, Key::Enter)],
        when: When::NotTyping,
        text: "Enter",
        help: "accept the selected suggestion as your own span",
    },
    Binding {
        action: Some(Action::EditNote),
        keys: &[(NONE, Key::N)],
        when: When::NotComparing,
        text: "N",
        help: "edit the selected span's note (Enter saves)",
    },
    Binding {
        action: Some(Action::Accept),
        keys: &[(NONE, Key::A)],
        when: When::Letter,
        text: "A",
        help: "review: accept the selected span into gold",
    },
    Binding {
        action: Some(Action::Link),
        keys: &[(NONE, Key::L)],
        when: When::Letter,
        text: "L",
        help: "link the selected span to the next one you click (said by, denies…)",
    },
    Binding {
        action: Some(Action::CycleAttribute),
        keys: &[(NONE, Key::V)],
        when: When::Letter,
        text: "V",
        help: "give the selected span the next value of its attribute (a claim's verdict)",
    },
    Binding {
        action: Some(Action::Reject),
        keys: &[(NONE, Key::R)],
        when: When::Letter,
        text: "R",
        help: "review: reject the selected span",
    },
    Binding {
        action: Some(Action::NextDisagreement),
        keys: &[(NONE, Key::N)],
        when: When::Comparing,
        text: "n (compare mode)",
        help: "next disagreement",
    },
    Binding {
        action: Some(Action::PreviousDisagreement),
        keys: &[(NONE, Key::P)],
        when: When::Comparing,
        text: "p (compare mode)",
        help: "previous disagreement",
    },
    Binding {
        action: Some(Action::Redo),
        keys: &[(CMD_SHIFT, Key::Z), (CMD, Key::Y)],
        when: When::NotTyping,
        text: "Ctrl+Shift+Z",
        help: "redo (also Ctrl+Y)",
    },
    Binding {
        action: Some(Action::Scroll(Scroll::PageDown)),
        keys: &[(NONE, Key::PageDown), (NONE, Key::Space)],
        when: When::NotTyping,
        text: "PageDown, Space",
        help: "scroll down a page",
    },
    Binding {
        action: Some(Action::Scroll(Scroll::PageUp)),
        keys: &[(NONE, Key::PageUp), (SHIFT, Key::Space)],
        when: When::NotTyping,
        text: "PageUp, Shift+Space",
        help: "scroll up a page",
    },
    Binding {
        action: Some(Action::Scroll(Scroll::LineDown)),
        keys: &[(NONE, Key::ArrowDown)],
        when: When::NotTyping,
        text: "↓",
        help: "scroll down a little",
    },
    Binding {
        action: Some(Action::Scroll(Scroll::LineUp)),
        keys: &[(NONE, Key::ArrowUp)],
        when: When::NotTyping,
        text: "↑",
        help: "scroll up a little",
    },
    Binding {
        action: Some(Action::Scroll(Scroll::Home)),
        keys: &[(CMD, Key::Home), (NONE, Key::Home)],
        when: When::NotTyping,
        text: "Home, Ctrl+Home",
        help: "go to the top of the document",
    },
    Binding {
        action: Some(Action::Scroll(Scroll::End)),
        keys: &[(CMD, Key::End), (NONE, Key::End)],
        when: When::NotTyping,
        text: "End, Ctrl+End",
        help: "go to the end of the document",
    },
    Binding {
        action: Some(Action::Copy),
        // The window's platform turns Ctrl+C into a copy event, not a key; read below.
        keys: &[],
        when: When::NotTyping,
        text: "Ctrl+C",
        help: "copy the selected text, or the selected span's text",
    },
    Binding {
        action: Some(Action::NewProject),
        keys: &[(CMD, Key::N)],
        when: When::NotTyping,
        text: "Ctrl+N",
        help: "new project",
    },
    Binding {
        action: Some(Action::OpenProject),
        keys: &[(CMD, Key::O)],
        when: When::NotTyping,
        text: "Ctrl+O",
        help: "open a project",
    },
    Binding {
        action: Some(Action::Quit),
        keys: &[(CMD, Key::Q)],
        when: When::Always,
        text: "Ctrl+Q",
        help: "quit (everything is already saved)",
    },
    Binding {
        action: Some(Action::Undo),
        keys: &[(CMD, Key::Z)],
        when: When::NotTyping,
        text: "Ctrl+Z",
        help: "undo (across documents, after a restart too)",
    },
    Binding {
        action: Some(Action::NextDocument),
        keys: &[(CMD, Key::PageDown)],
        when: When::Always,
        text: "Ctrl+PageDown",
        help: "next document",
    },
    Binding {
        action: Some(Action::PreviousDocument),
        keys: &[(CMD, Key::PageUp)],
        when: When::Always,
        text: "Ctrl+PageUp",
        help: "previous document",
    },
    Binding {
        action: Some(Action::ToggleDone),
        keys: &[(CMD, Key::D)],
        when: When::Always,
        text: "Ctrl+D",
        help: "mark the document done (again: back to in progress)",
    },
    Binding {
        action: Some(Action::Find),
        keys: &[(CMD, Key::F)],
        when: When::Always,
        text: "Ctrl+F",
        help: "find in the document (Enter, Shift+Enter: next, previous match)",
    },
    Binding {
        action: Some(Action::ZoomIn),
        keys: &[(CMD, Key::Plus), (CMD, Key::Equals)],
        when: When::Always,
        text: "Ctrl++",
        help: "larger text",
    },
    Binding {
        action: Some(Action::ZoomOut),
        keys: &[(CMD, Key::Minus)],
        when: When::Always,
        text: "Ctrl+−",
        help: "smaller text",
    },
    Binding {
        action: Some(Action::ZoomReset),
        keys: &[(CMD, Key::Num0)],
        when: When::Always,
        text: "Ctrl+0",
        help: "default text size",
    },
    Binding {
        action: Some(Action::Escape),
        keys: &[(NONE, Key::Escape)],
        when: When::Always,
        text: "Esc",
        help: "clear the selection, close the search or this sheet",
    },
    Binding {
        action: Some(Action::Shortcuts),
        keys: &[(NONE, Key::F1)],
        when: When::Always,
        text: "F1 or ?",
        help: "this sheet",
    },
];

/// The keys of `action` in words, for a menu.
pub fn shortcut_text(action: Action) -> &'static str {
    KEYMAP
        .iter()
        .find(|b| b.action == Some(action))
        .map_or("", |b| b.text)
}

/// What the handler needs to know about the window to decide which shortcuts are live.
pub struct KeyContext<'a> {
    /// A text field has the keyboard.
    pub typing: bool,
    pub comparing: bool,
    /// The label hotkeys: key and label name.
    pub label_keys: &'a [(Key, String)],
}

impl KeyContext<'_> {
    fn live(&self, binding: &Binding, key: Key) -> bool {
        let is_label_key = self.label_keys.iter().any(|(k, _)| *k == key);
        match binding.when {
            When::Always => true,
            When::NotTyping => !self.typing,
            When::Comparing => !self.typing && self.comparing && !is_label_key,
            When::NotComparing => !self.typing && !self.comparing && !is_label_key,
            When::Letter => !self.typing && !is_label_key,
        }
    }
}

/// Turns this frame's key presses into commands, consuming the keys it uses.
pub fn read_keys(input: &mut egui::InputState, context: &KeyContext<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    for binding in KEYMAP {
        let Some(action) = binding.action else {
            continue;
        };
        for &(mods, key) in binding.keys {
            if context.live(binding, key) && input.consume_key(mods, key) {
                commands.push(action.command());
            }
        }
    }
    if !context.typing {
        for (key, label) in context.label_keys {
            if input.consume_key(SHIFT, *key) {
                commands.push(Command::ToggleSticky(label.clone()));
            }
            if input.consume_key(NONE, *key) {
                commands.push(Command::ApplyLabel(label.clone()));
            }
        }
        let copies = input.events.len();
        input.events.retain(|e| !matches!(e, egui::Event::Copy));
        if input.events.len() < copies {
            commands.push(Command::CopyText);
        }
        let question = input
            .events
            .iter()
            .any(|e| matches!(e, egui::Event::Text(t) if t == "?"));
        if question {
            commands.push(Command::ToggleShortcuts);
        }
    }
    commands
}

/// The key of a label's hotkey, if egui has one of that name.
pub fn label_key(hotkey: &str) -> Option<Key> {
    Key::from_name(hotkey).or_else(|| Key::from_name(&hotkey.to_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_bound_once_in_each_context() {
        let mut seen = std::collections::HashSet::new();
        for binding in KEYMAP {
            for &(mods, key) in binding.keys {
                let context = match binding.when {
                    When::Comparing => 1,
                    When::NotComparing => 2,
                    _ => 0,
                };
                assert!(
                    seen.insert((format!("{mods:?}"), key, context)),
                    "{} is bound twice",
                    binding.text
                );
            }
        }
    }

    #[test]
    fn menus_find_the_words_for_their_shortcuts() {
        assert_eq!(shortcut_text(Action::Undo), "Ctrl+Z");
        assert_eq!(shortcut_text(Action::NextDocument), "Ctrl+PageDown");
    }
}
