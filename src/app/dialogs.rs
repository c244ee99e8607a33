//! File dialogs behind a trait, so tests inject paths and desktops without a portal still
//! work (the app then asks for a typed path instead).

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a dialog gave back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked<T> {
    /// The user chose this.
    Chosen(T),
    /// The user closed the dialog.
    Cancelled,
    /// No dialog could be shown (no desktop portal): ask for a typed path instead.
    Unavailable,
}

/// Which question a dialog asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogKind {
    OpenProject,
    NewProject,
    ImportFiles,
    ImportFolder,
    MergeProject,
    /// Where to save a copy of the project for a colleague.
    CopyProject,
    Export,
}

impl DialogKind {
    /// The dialog's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::OpenProject => "Open project",
            Self::NewProject => "New project",
            Self::ImportFiles => "Import articles",
            Self::ImportFolder => "Import a folder of articles",
            Self::MergeProject => "Merge a colleague's project",
            Self::CopyProject => "Save a copy for a colleague",
            Self::Export => "Export dataset",
        }
    }
}

/// The file dialogs the app needs.
pub trait FileDialogs {
    /// Asks for one or more paths; `Chosen` is never empty.
    fn ask(&mut self, kind: DialogKind, suggested_name: &str) -> Picked<Vec<PathBuf>>;
}

/// Native dialogs through rfd (the XDG desktop portal on Linux).
#[derive(Default)]
pub struct RfdDialogs;

/// A dialog that returns nothing this fast was never shown.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(150);

impl FileDialogs for RfdDialogs {
    fn ask(&mut self, kind: DialogKind, suggested_name: &str) -> Picked<Vec<PathBuf>> {
        let started = Instant::now();
        let dialog = rfd::FileDialog::new().set_title(kind.title());
        let project_filter = |d: rfd::FileDialog| d.add_filter("stet project", &["stet"]);
        let picked: Vec<PathBuf> = match kind {
            DialogKind::OpenProject => project_filter(dialog).pick_file().into_iter().collect(),
            DialogKind::MergeProject => project_filter(dialog)
                .add_filter("stet JSONL export", &["jsonl"])
                .pick_file()
                .into_iter()
                .collect(),
            DialogKind::NewProject | DialogKind::CopyProject => project_filter(dialog)
                .set_file_name(suggested_name)
                .save_file()
                .into_iter()
                .collect(),
            DialogKind::ImportFiles => dialog
                .add_filter("articles", &["txt", "md", "html", "htm", "xml", "jsonl"])
                .pick_files()
                .unwrap_or_default(),
            DialogKind::ImportFolder => dialog.pick_folder().into_iter().collect(),
            DialogKind::Export => dialog
                .set_file_name(suggested_name)
                .save_file()
                .into_iter()
                .collect(),
        };
        if !picked.is_empty() {
            Picked::Chosen(picked)
        } else if started.elapsed() < NO_DIALOG_WITHIN {
            Picked::Unavailable
        } else {
            Picked::Cancelled
        }
    }
}

/// Dialogs answered from a queue, for tests and scripted runs.
#[derive(Default)]
pub struct ScriptedDialogs {
    answers: VecDeque<Picked<Vec<PathBuf>>>,
}

impl ScriptedDialogs {
    /// Dialogs that will answer with these, in order (then `Cancelled`).
    pub fn new(answers: impl IntoIterator<Item = Picked<Vec<PathBuf>>>) -> Self {
        Self {
            answers: answers.into_iter().collect(),
        }
    }
}

impl FileDialogs for ScriptedDialogs {
    fn ask(&mut self, _kind: DialogKind, _suggested_name: &str) -> Picked<Vec<PathBuf>> {
        self.answers.pop_front().unwrap_or(Picked::Cancelled)
    }
}
