//! What the window holds besides the session: view state (scroll, text selection, caret),
//! what is being typed (search, note, comment, typed path), open windows, display options and
//! the status line. Views may change it while drawing (a text field edits its text); the
//! session they only read.

use std::time::Instant;

use super::agreement_window::AgreementWindow;
use super::article_view::{ArticleViewState, ViewOptions};
use super::dialogs::DialogKind;
use super::export_window::ExportForm;
use super::recent::RecentProjects;
use super::search::SearchState;
use super::theme;

/// The "who is annotating" prompt.
#[derive(Clone, Debug, Default)]
pub struct NamePrompt {
    pub text: String,
    /// Asked at start (the OS user name says nothing), rather than from the status bar.
    pub first_run: bool,
    /// Why the last name typed was refused.
    pub problem: Option<String>,
}

/// The window's state outside the session.
pub struct UiState {
    /// The article view's layout, scroll and text selection (a new one per document).
    pub article: ArticleViewState,
    /// The session's marks version the view was last told about.
    pub article_marks_seen: u64,
    /// Where the user last clicked in the text: keyboard selection starts here.
    pub caret: Option<usize>,
    /// With a label locked, every new selection is tagged at once.
    pub sticky_label: Option<String>,
    pub snap_words: bool,
    pub font_size: f32,
    pub search: SearchState,
    pub show_shortcuts: bool,
    pub note: Option<NoteDraft>,
    /// The reviewer's comment for the next accept or reject.
    pub comment: String,
    pub path_prompt: Option<PathPrompt>,
    /// The "who is annotating" prompt, with the name being typed.
    pub name_prompt: Option<NamePrompt>,
    /// Whether the document list (left) and the labels and details (right) are shown.
    pub show_documents: bool,
    pub show_details: bool,
    pub status: StatusLine,
    /// Problems to look at: refused files, merge conflicts (one line each).
    pub problems: Vec<String>,
    /// Files the last import refused for names the scheme lacks (the Problems window offers
    /// to add them and import again).
    pub lacking_scheme: Vec<std::path::PathBuf>,
    pub recent: RecentProjects,
    /// Scroll the document list to the open document on the next frame.
    pub scroll_list_to_open: bool,
    /// Why the last selection was refused, repeated if a label key is pressed after it.
    pub last_refusal: Option<String>,
    pub export: ExportForm,
    pub agreement: AgreementWindow,
    /// Link mode: the span a relation starts from; the next span chosen is its other end.
    pub linking: Option<i64>,
    /// Two spans several relation kinds could link: the chooser asks which.
    pub link_choice: Option<LinkChoice>,
}

/// The chooser's question: which of `kinds` links span `from` to span `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkChoice {
    pub from: i64,
    pub to: i64,
    pub kinds: Vec<String>,
}

impl UiState {
    /// The state of a new window.
    pub fn new(recent: RecentProjects) -> Self {
        Self {
            article: ArticleViewState::default(),
            article_marks_seen: 0,
            caret: None,
            sticky_label: None,
            snap_words: true,
            font_size: theme::ARTICLE_FONT_SIZE,
            search: SearchState::default(),
            show_shortcuts: false,
            note: None,
            comment: String::new(),
            path_prompt: None,
            name_prompt: None,
            show_documents: true,
            show_details: true,
            status: StatusLine::default(),
            problems: Vec::new(),
            lacking_scheme: Vec::new(),
            recent,
            scroll_list_to_open: true,
            last_refusal: None,
            export: ExportForm::default(),
            agreement: AgreementWindow::default(),
            linking: None,
            link_choice: None,
        }
    }

    /// The article view's display options.
    pub fn view_options(&self) -> ViewOptions {
        ViewOptions {
            font_size: self.font_size,
            snap_words: self.snap_words,
        }
    }

    /// Forgets what belonged to the document shown before.
    pub fn document_changed(&mut self) {
        self.article = ArticleViewState::default();
        self.article_marks_seen = 0;
        self.caret = None;
        self.note = None;
        self.scroll_list_to_open = true;
    }
}

/// A note being edited for a span.
pub struct NoteDraft {
    pub span_id: i64,
    pub text: String,
    /// Focus the editor on the next frame (after pressing N).
    pub focus: bool,
}

/// A typed path, asked for when no file dialog can be shown.
pub struct PathPrompt {
    pub kind: DialogKind,
    pub text: String,
}

/// The message at the bottom of the window.
#[derive(Default)]
pub struct StatusLine {
    pub text: String,
    pub is_error: bool,
    pub at: Option<Instant>,
}

impl StatusLine {
    /// Shows a message.
    pub fn info(&mut self, text: impl Into<String>) {
        self.text = text.into();
        self.is_error = false;
        self.at = Some(Instant::now());
    }

    /// Shows an error.
    pub fn error(&mut self, text: impl Into<String>) {
        self.text = text.into();
        self.is_error = true;
        self.at = Some(Instant::now());
    }
}
