//! The window: egui/eframe app, its views, and the article view widget.
//!
//! A frame goes: keys are read into [`Command`]s (`keymap.rs`); each view draws, reading the
//! [`Session`](session::Session) and its own UI state, and returns commands; the commands are
//! applied in one place (`commands.rs`, `edits.rs`, `tasks.rs`), edits going to the project
//! through the writer thread; finished background jobs are shown. Nothing changes the session
//! while the views draw.

mod agreement_window;
pub mod article_view;
mod commands;
pub mod dialogs;
mod doc_list;
mod edits;
mod export_window;
mod jobs;
mod keymap;
mod launch;
mod menu;
mod overlays;
mod panels;
mod problem;
mod recent;
mod review_panel;
mod search;
mod session;
pub mod settings;
mod side_panel;
mod tasks;
pub mod theme;
mod ui_state;
mod whoami;
mod words;
mod writer;

use std::time::Duration;

pub use commands::Command;
pub use dialogs::{DialogKind, FileDialogs, Picked, RfdDialogs, ScriptedDialogs};
pub use launch::{LaunchOptions, default_project_path, open_default_project, run};

use recent::RecentProjects;
use session::Session;
use ui_state::UiState;

/// How often an idle window looks for changes other programs made to the project.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// The whole app.
pub struct StetApp {
    session: Session,
    ui: UiState,
    jobs: jobs::Jobs,
    dialogs: Box<dyn FileDialogs>,
    commands: Vec<Command>,
    /// How long a frame waits for an edit before showing "saving…".
    edit_wait: Duration,
    /// Where the window's settings are remembered and what was last written there (none in
    /// tests that do not ask for it).
    settings: Option<RememberedSettings>,
    /// The remembered theme, set on the first frame (it needs the context).
    pending_theme: Option<egui::ThemePreference>,
}

/// The settings file, what it holds now, and the open project's path with its canonical
/// form (the key the settings use).
struct RememberedSettings {
    file: std::path::PathBuf,
    saved: settings::Settings,
    project: Option<(std::path::PathBuf, std::path::PathBuf)>,
}

impl StetApp {
    /// An app on an open project, showing its first document.
    pub fn new(
        project: crate::store::Project,
        annotator: String,
        dialogs: Box<dyn FileDialogs>,
    ) -> anyhow::Result<Self> {
        Self::with_recent(project, annotator, dialogs, RecentProjects::load())
    }

    /// An app that keeps its recent-projects list in memory only (tests, scripted runs).
    pub fn isolated(
        project: crate::store::Project,
        annotator: String,
        dialogs: Box<dyn FileDialogs>,
    ) -> anyhow::Result<Self> {
        Self::with_recent(project, annotator, dialogs, RecentProjects::in_memory())
    }

    fn with_recent(
        project: crate::store::Project,
        annotator: String,
        dialogs: Box<dyn FileDialogs>,
        recent: RecentProjects,
    ) -> anyhow::Result<Self> {
        let session = Session::new(project, annotator, None)?;
        let mut ui = UiState::new(recent);
        ui.recent.add(session.project.path());
        let text = session.open.as_ref().map(|d| d.text.text());
        ui.search.recompute(text);
        Ok(Self {
            session,
            ui,
            jobs: jobs::Jobs::default(),
            dialogs,
            commands: Vec::new(),
            edit_wait: writer::EDIT_WAIT,
            settings: None,
            pending_theme: None,
        })
    }

    /// Remembers the window's settings in `file` (read now, written whenever they change):
    /// theme, text size, snapping, side panels, the window's place, and the project's last
    /// document, which is opened.
    pub fn with_settings_file(self, file: &std::path::Path) -> Self {
        let saved = settings::Settings::load(file);
        self.with_settings(file, saved)
    }

    /// [`Self::with_settings_file`] with the file already read (the launcher reads it once).
    pub fn with_settings(mut self, file: &std::path::Path, saved: settings::Settings) -> Self {
        if let Some(size) = saved.font_size {
            self.ui.font_size = size.clamp(9.0, 40.0);
        }
        if let Some(snap) = saved.snap_words {
            self.ui.snap_words = snap;
        }
        if let Some(show) = saved.show_documents {
            self.ui.show_documents = show;
        }
        if let Some(show) = saved.show_details {
            self.ui.show_details = show;
        }
        self.pending_theme = saved.theme_preference();
        let key = self.session.project.path().display().to_string();
        if let Some(uid) = saved.last_documents.get(&key)
            && let Ok(Some(id)) = self.session.project.document_id_by_uid(uid)
            && self.session.open_document_id() != Some(id)
        {
            let _ = self.open_document(id);
        }
        self.settings = Some(RememberedSettings {
            file: file.to_owned(),
            saved,
            project: None,
        });
        self
    }

    /// Remembers the name given in the window for the next start (when settings are kept).
    pub(crate) fn remember_annotator(&mut self, name: &str) {
        if let Some(remembered) = &mut self.settings {
            remembered.saved.annotator = Some(name.to_owned());
            remembered.saved.save(&remembered.file);
        }
    }

    /// Writes the settings if anything remembered changed this frame (a few comparisons a
    /// frame; the file is written only on a change).
    fn remember_settings(&mut self, ctx: &egui::Context) {
        let Some(remembered) = &mut self.settings else {
            return;
        };
        let path = self.session.project.path();
        // The project's canonical path, worked out once per project rather than each frame.
        if remembered.project.as_ref().is_none_or(|(p, _)| p != path) {
            let canonical = path.canonicalize().unwrap_or_else(|_| path.to_owned());
            remembered.project = Some((path.to_owned(), canonical));
        }
        let theme = settings::Settings::theme_name(ctx.options(|o| o.theme_preference));
        let (outer, inner) = ctx.input(|i| (i.viewport().outer_rect, i.viewport().inner_rect));
        let window = match (outer, inner) {
            (Some(outer), Some(inner)) => {
                Some([outer.min.x, outer.min.y, inner.width(), inner.height()])
            }
            _ => remembered.saved.window,
        };
        let document = self.session.open.as_ref().map(|open| &open.info.uid);
        let saved = &mut remembered.saved;
        let key = path.display().to_string();
        let canonical = remembered.project.as_ref().map(|(_, c)| c);
        let unchanged = saved.theme.as_deref() == Some(theme)
            && saved.font_size == Some(self.ui.font_size)
            && saved.snap_words == Some(self.ui.snap_words)
            && saved.show_documents == Some(self.ui.show_documents)
            && saved.show_details == Some(self.ui.show_details)
            && saved.window == window
            && saved.last_project.as_ref() == canonical
            && document.is_none_or(|uid| saved.last_documents.get(&key) == Some(uid));
        if unchanged {
            return;
        }
        saved.theme = Some(theme.to_owned());
        saved.font_size = Some(self.ui.font_size);
        saved.snap_words = Some(self.ui.snap_words);
        saved.show_documents = Some(self.ui.show_documents);
        saved.show_details = Some(self.ui.show_details);
        saved.window = window;
        saved.last_project = canonical.cloned();
        if let Some(uid) = document {
            saved.last_documents.insert(key, uid.clone());
        }
        saved.save(&remembered.file);
    }

    /// Opens the window asking who is annotating (the OS user name said nothing).
    pub fn asking_name(mut self) -> Self {
        self.ui.name_prompt = Some(ui_state::NamePrompt {
            text: String::new(),
            first_run: true,
            problem: None,
        });
        self
    }

    /// Sets how long a frame waits for an edit to be saved before it shows "saving…" and
    /// goes on (tests that check the project file after each key wait longer).
    pub fn with_edit_wait(mut self, wait: Duration) -> Self {
        self.edit_wait = wait;
        self
    }

    /// The project the app works on.
    pub fn project(&self) -> &crate::store::Project {
        &self.session.project
    }

    /// Who is annotating.
    pub fn annotator(&self) -> &str {
        &self.session.annotator
    }

    /// The article's text size, in points.
    pub fn font_size(&self) -> f32 {
        self.ui.font_size
    }

    /// Whether selections snap to whole words.
    pub fn snaps_to_words(&self) -> bool {
        self.ui.snap_words
    }

    /// The id of the document in the article view.
    pub fn open_document_id(&self) -> Option<i64> {
        self.session.open_document_id()
    }

    /// The span whose details are shown.
    pub fn selected_span(&self) -> Option<i64> {
        self.session.selected_span
    }

    /// The status-bar message and whether it is an error.
    pub fn status_message(&self) -> (&str, bool) {
        (&self.ui.status.text, self.ui.status.is_error)
    }

    /// Whether edits are still on their way to the project.
    pub fn is_saving(&self) -> bool {
        self.session.writer.is_saving()
    }

    /// The documents the list shows under its filters, in order.
    pub fn listed_documents(&self) -> Vec<i64> {
        let documents = &self.session.documents;
        documents
            .visible
            .iter()
            .filter_map(|&i| documents.all.get(i).map(|d| d.id))
            .collect()
    }

    /// The text of the open document.
    pub fn open_text(&self) -> Option<&str> {
        self.session.open.as_ref().map(|d| d.text.text())
    }

    /// Where code point `at` of the open document is on screen, if it was laid out in the
    /// last frame (tests drive the pointer with it).
    pub fn char_rect(&self, at: usize) -> Option<egui::Rect> {
        let open = self.session.open.as_ref()?;
        self.ui.article.char_rect(&open.text, at)
    }

    /// The current text selection in the article view.
    pub fn text_selection(&self) -> Option<crate::model::CharRange> {
        self.ui.article.selection()
    }

    /// Queues a command, as a view or a test would.
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Draws the whole window into `ui` and applies what the user did.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if let Some(theme) = self.pending_theme.take() {
            ctx.set_theme(theme);
        }
        self.collect_edits(Duration::ZERO);
        self.read_dropped_files(&ctx);
        self.read_keys(&ctx);
        let mut commands = Vec::new();
        egui::Panel::top("menu").show(ui, |ui| {
            commands.extend(menu::menu_bar(ui, &self.session, &mut self.ui));
        });
        let below_menu = ui.available_rect_before_wrap();
        egui::Panel::bottom("status").show(ui, |ui| {
            commands.extend(panels::status_bar(ui, &self.session, &self.ui));
        });
        // The side panels take at most this share of the window each, so that the article
        // keeps a readable width in a small window (View hides them altogether).
        let width = ui.available_width();
        let share = |fraction: f32, min: f32| (width * fraction).max(min);
        if self.ui.show_documents {
            egui::Panel::left("documents")
                .resizable(true)
                .default_size(share(0.2, 150.0).min(260.0))
                .size_range(150.0..=share(0.22, 150.0))
                .show(ui, |ui| {
                    commands.extend(doc_list::doc_list(ui, &self.session, &mut self.ui));
                });
        }
        if self.ui.show_details {
            egui::Panel::right("labels")
                .resizable(true)
                .default_size(share(0.27, 220.0).min(320.0))
                .size_range(220.0..=share(0.28, 220.0))
                .show(ui, |ui| {
                    commands.extend(side_panel::side_panel(ui, &self.session, &mut self.ui));
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            commands.extend(panels::article_panel(ui, &self.session, &mut self.ui));
        });
        commands.extend(overlays::overlays(
            &ctx,
            below_menu,
            &self.session,
            &mut self.ui,
            &self.jobs,
        ));
        self.commands.extend(commands);
        self.apply_commands(&ctx);
        self.poll_jobs();
        self.watch_project();
        self.remember_settings(&ctx);
        if !self.commands.is_empty() || self.is_saving() {
            ctx.request_repaint_after(Duration::from_millis(30));
        }
        ctx.request_repaint_after(WATCH_EVERY);
    }

    /// Turns this frame's key presses into commands (keys a text field is using are left
    /// alone).
    fn read_keys(&mut self, ctx: &egui::Context) {
        // Only a text field or a modal prompt keeps the shortcuts off: a button egui gave
        // the focus to must not swallow them, and Tab steps through spans, never through
        // the buttons.
        let typing = ctx.text_edit_focused()
            || self.ui.path_prompt.is_some()
            || self.ui.name_prompt.is_some();
        if !typing {
            ctx.memory_mut(|memory| memory.move_focus(egui::FocusDirection::None));
        }
        let label_keys: Vec<(egui::Key, String)> = self
            .session
            .scheme
            .labels
            .iter()
            .filter_map(|l| Some((keymap::label_key(l.hotkey.as_deref()?)?, l.name.clone())))
            .collect();
        let context = keymap::KeyContext {
            typing,
            comparing: self.session.review.compare.is_some(),
            label_keys: &label_keys,
        };
        let commands = ctx.input_mut(|input| keymap::read_keys(input, &context));
        self.commands.extend(commands);
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

    /// Shows what other programs (an import in a terminal, a colleague's merge) changed.
    fn watch_project(&mut self) {
        if self.is_saving() || !self.session.changed_elsewhere() {
            return;
        }
        match self.session.reload_all() {
            Ok(()) => {
                let text = self.session.open.as_ref().map(|d| d.text.text());
                self.ui.search.recompute(text);
            }
            Err(err) => self.ui.status.error(format!("{err:#}")),
        }
    }
}

impl eframe::App for StetApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        StetApp::ui(self, ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_note();
        // Everything asked for is saved before the window goes.
        self.collect_edits(Duration::from_secs(30));
    }
}
