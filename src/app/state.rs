//! The app's state: the open project, the document list, the open document and what the user
//! has selected. Panels read it and send [`Command`]s; only `commands.rs` changes it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use egui::Color32;

use super::article_view::{ArticleText, ArticleViewState, Emphasis, SpanMark};
use super::commands::{Command, shorten};
use super::dialogs::{DialogKind, FileDialogs};
use super::import_job::ImportJob;
use super::recent::RecentProjects;
use super::search::SearchState;
use super::theme;
use crate::model::{DocStatus, LabelScheme, Span};
use crate::review::layers::{Agreement, Compared, compare_layers};
use crate::store::{DocumentInfo, Project, ReviewStatus, VerdictRecord};

/// The whole app.
pub struct StetApp {
    pub(crate) project: Project,
    pub(crate) annotator: String,
    pub(crate) scheme: LabelScheme,
    pub(crate) documents: DocumentList,
    pub(crate) open: Option<OpenDocument>,
    /// The span the user clicked (details on the right; hotkeys relabel it).
    pub(crate) selected_span: Option<i64>,
    /// With a label locked, every new selection is tagged at once.
    pub(crate) sticky_label: Option<String>,
    pub(crate) snap_words: bool,
    pub(crate) font_size: f32,
    pub(crate) search: SearchState,
    pub(crate) show_shortcuts: bool,
    pub(crate) note: Option<NoteDraft>,
    pub(crate) status: StatusLine,
    pub(crate) commands: Vec<Command>,
    pub(crate) dialogs: Box<dyn FileDialogs>,
    pub(crate) path_prompt: Option<PathPrompt>,
    pub(crate) import: Option<ImportJob>,
    pub(crate) import_errors: Vec<String>,
    pub(crate) recent: RecentProjects,
    /// Whether undo and redo have something to do, refreshed after each edit.
    pub(crate) undo_redo: (bool, bool),
    /// Scroll the document list to the open document on the next frame.
    pub(crate) scroll_list_to_open: bool,
    /// Why the last selection was refused, repeated if a label key is pressed after it.
    pub(crate) last_refusal: Option<String>,
    pub(crate) review: ReviewState,
    pub(crate) export: super::export_window::ExportWindow,
    pub(crate) merge_job: Option<super::merge_job::MergeJob>,
    pub(crate) copy_job: Option<super::merge_job::CopyJob>,
}

/// Reviewing: which layers show, compare mode, verdicts on the open document.
#[derive(Default)]
pub struct ReviewState {
    /// Everyone who has spans in the project (the gold layer included), sorted.
    pub annotators: Vec<String>,
    /// Layers the user switched off.
    pub hidden: std::collections::BTreeSet<String>,
    /// Compare mode: the two annotators compared.
    pub compare: Option<(String, String)>,
    /// The open document's spans of the two compared layers, classified, in reading order.
    pub compared: Vec<Compared>,
    /// The disagreements among them, in reading order: span id and the row that lists it
    /// (made when the comparison is, not every frame).
    pub disagreements: Vec<(i64, String)>,
    /// Verdicts on the open document's spans.
    pub verdicts: Vec<VerdictRecord>,
    /// Each document's review status (unreviewed ones absent).
    pub statuses: HashMap<i64, ReviewStatus>,
    /// The reviewer's comment for the next accept or reject.
    pub comment: String,
    pub agreement: super::agreement_window::AgreementWindow,
}

impl ReviewState {
    /// Whom review actions compare: the compared pair, or everyone but the gold layer.
    pub fn compared_annotators(&self) -> Vec<String> {
        match &self.compare {
            Some((a, b)) => vec![a.clone(), b.clone()],
            None => self
                .annotators
                .iter()
                .filter(|a| a.as_str() != crate::store::GOLD)
                .cloned()
                .collect(),
        }
    }

    /// Whether a layer is drawn.
    pub fn shows(&self, annotator: &str) -> bool {
        match &self.compare {
            Some((a, b)) => annotator == a || annotator == b,
            None => !self.hidden.contains(annotator),
        }
    }
}

/// The documents of the project with my statuses, and the list's filter.
#[derive(Default)]
pub struct DocumentList {
    pub all: Vec<DocumentInfo>,
    pub statuses: HashMap<i64, DocStatus>,
    pub filter_text: String,
    pub filter_status: Option<DocStatus>,
    /// Indices into `all` that pass the filter, recomputed when the filter or list changes.
    pub visible: Vec<usize>,
}

impl DocumentList {
    /// Recomputes which documents pass the filter.
    pub fn refilter(&mut self) {
        let needle = self.filter_text.to_lowercase();
        self.visible = self
            .all
            .iter()
            .enumerate()
            .filter(|(_, doc)| {
                let status = self.statuses.get(&doc.id).copied().unwrap_or_default();
                self.filter_status.is_none_or(|s| s == status)
                    && (needle.is_empty() || doc.title.to_lowercase().contains(&needle))
            })
            .map(|(i, _)| i)
            .collect();
    }

    /// My status for a document.
    pub fn status(&self, id: i64) -> DocStatus {
        self.statuses.get(&id).copied().unwrap_or_default()
    }

    /// How many documents I have marked done.
    pub fn done_count(&self) -> usize {
        self.statuses
            .values()
            .filter(|s| **s == DocStatus::Done)
            .count()
    }

    /// The document after (or before) `id` in the filtered list.
    pub fn neighbour(&self, id: i64, step: isize) -> Option<i64> {
        let position = self
            .visible
            .iter()
            .position(|&i| self.all.get(i).is_some_and(|d| d.id == id))?;
        let target = position.checked_add_signed(step)?;
        let index = *self.visible.get(target)?;
        self.all.get(index).map(|d| d.id)
    }
}

/// The document in the article view.
pub struct OpenDocument {
    pub info: DocumentInfo,
    pub text: ArticleText,
    /// Every annotator's spans, in reading order.
    pub spans: Vec<Span>,
    /// The spans as the view draws them, rebuilt when spans or the selection change.
    pub marks: Vec<SpanMark>,
    pub view: ArticleViewState,
    /// Where the user last clicked in the text: keyboard selection starts here.
    pub caret: Option<usize>,
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

impl StetApp {
    /// An app on an open project, showing its first document.
    pub fn new(
        project: Project,
        annotator: String,
        dialogs: Box<dyn FileDialogs>,
    ) -> anyhow::Result<Self> {
        Self::with_recent(project, annotator, dialogs, RecentProjects::load())
    }

    /// An app that keeps its recent-projects list in memory only (tests, scripted runs).
    pub fn isolated(
        project: Project,
        annotator: String,
        dialogs: Box<dyn FileDialogs>,
    ) -> anyhow::Result<Self> {
        Self::with_recent(project, annotator, dialogs, RecentProjects::in_memory())
    }

    fn with_recent(
        project: Project,
        annotator: String,
        dialogs: Box<dyn FileDialogs>,
        recent: RecentProjects,
    ) -> anyhow::Result<Self> {
        let scheme = project.scheme()?;
        let mut app = Self {
            project,
            annotator,
            scheme,
            documents: DocumentList::default(),
            open: None,
            selected_span: None,
            sticky_label: None,
            snap_words: true,
            font_size: theme::ARTICLE_FONT_SIZE,
            search: SearchState::default(),
            show_shortcuts: false,
            note: None,
            status: StatusLine::default(),
            commands: Vec::new(),
            dialogs,
            path_prompt: None,
            import: None,
            import_errors: Vec::new(),
            recent,
            undo_redo: (false, false),
            scroll_list_to_open: true,
            last_refusal: None,
            review: ReviewState::default(),
            export: super::export_window::ExportWindow::default(),
            merge_job: None,
            copy_job: None,
        };
        app.reload_documents()?;
        if let Some(first) = app.documents.all.first().map(|d| d.id) {
            app.open_document(first)?;
        }
        app.recent.add(app.project.path());
        app.refresh_undo_redo();
        Ok(app)
    }

    /// The project the app works on.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Who is annotating.
    pub fn annotator(&self) -> &str {
        &self.annotator
    }

    /// The id of the document in the article view.
    pub fn open_document_id(&self) -> Option<i64> {
        self.open.as_ref().map(|d| d.info.id)
    }

    /// The span whose details are shown.
    pub fn selected_span(&self) -> Option<i64> {
        self.selected_span
    }

    /// The status-bar message and whether it is an error.
    pub fn status_message(&self) -> (&str, bool) {
        (&self.status.text, self.status.is_error)
    }

    /// The documents the list shows under its filters, in order.
    pub fn listed_documents(&self) -> Vec<i64> {
        let all = &self.documents.all;
        self.documents.visible.iter().map(|&i| all[i].id).collect()
    }

    /// The text of the open document.
    pub fn open_text(&self) -> Option<&str> {
        self.open.as_ref().map(|d| d.text.text())
    }

    /// Where code point `at` of the open document is on screen, if it was laid out in the
    /// last frame (tests drive the pointer with it).
    pub fn char_rect(&self, at: usize) -> Option<egui::Rect> {
        let open = self.open.as_ref()?;
        open.view.char_rect(&open.text, at)
    }

    /// The current text selection in the article view.
    pub fn text_selection(&self) -> Option<crate::model::CharRange> {
        self.open.as_ref().and_then(|d| d.view.selection())
    }

    /// Queues a command, as a panel or a test would.
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Reads the document list and my statuses again.
    pub(crate) fn reload_documents(&mut self) -> anyhow::Result<()> {
        self.documents.all = self.project.documents()?;
        self.documents.statuses = self.project.statuses(&self.annotator)?;
        self.documents.refilter();
        Ok(())
    }

    /// Shows a document in the article view.
    pub(crate) fn open_document(&mut self, id: i64) -> anyhow::Result<()> {
        self.save_note();
        let doc = self.project.document(id)?;
        let spans = self.project.spans(id)?;
        self.open = Some(OpenDocument {
            info: doc.info,
            text: ArticleText::new(doc.text),
            spans,
            marks: Vec::new(),
            view: ArticleViewState::default(),
            caret: None,
        });
        self.selected_span = None;
        self.scroll_list_to_open = true;
        self.search
            .recompute(self.open.as_ref().map(|d| d.text.text()));
        self.reload_review()?;
        self.rebuild_marks();
        Ok(())
    }

    /// Reads the open document's spans again after an edit.
    pub(crate) fn reload_spans(&mut self) -> anyhow::Result<()> {
        if let Some(open) = &mut self.open {
            open.spans = self.project.spans(open.info.id)?;
            let count = open.spans.len();
            open.info.span_count = count;
            let id = open.info.id;
            if let Some(doc) = self.documents.all.iter_mut().find(|d| d.id == id) {
                doc.span_count = count;
            }
        }
        if self
            .selected_span
            .is_some_and(|id| !self.open_spans().iter().any(|s| s.id == id))
        {
            self.selected_span = None;
        }
        self.reload_review()?;
        self.rebuild_marks();
        Ok(())
    }

    /// The open document's spans (empty when none is open).
    pub(crate) fn open_spans(&self) -> &[Span] {
        self.open.as_ref().map_or(&[], |d| d.spans.as_slice())
    }

    /// Rebuilds what the view draws from the spans, labels and selection.
    pub(crate) fn rebuild_marks(&mut self) {
        let Some(open) = &mut self.open else {
            return;
        };
        let review = &mut self.review;
        review.compared = match &review.compare {
            Some((a, b)) => compare_layers(&open.spans, a, b),
            None => Vec::new(),
        };
        let agreeing: std::collections::HashSet<i64> = review
            .compared
            .iter()
            .filter(|c| c.agreement == Agreement::Same)
            .map(|c| c.span_id)
            .collect();
        let by_id: HashMap<i64, &Span> = open.spans.iter().map(|s| (s.id, s)).collect();
        review.disagreements = review
            .compared
            .iter()
            .filter(|c| c.agreement != Agreement::Same)
            .map(|c| {
                let span = by_id.get(&c.span_id);
                let text = span.map_or("", |s| open.text.index().slice(open.text.text(), s.range));
                let label = span.map_or("", |s| s.label.as_str());
                let row = format!(
                    "{} · {label} · {}: “{}”",
                    c.annotator,
                    c.agreement.label(),
                    shorten(text, 40)
                );
                (c.span_id, row)
            })
            .collect();
        let mut verdicts: HashMap<i64, Vec<&VerdictRecord>> = HashMap::new();
        for verdict in &review.verdicts {
            verdicts.entry(verdict.span_id).or_default().push(verdict);
        }
        let selected = self.selected_span;
        open.marks = open
            .spans
            .iter()
            .filter(|span| review.shows(&span.annotator))
            .map(|span| {
                let color = self
                    .scheme
                    .label(&span.label)
                    .map_or(Color32::GRAY, |l| theme::label_color(l.rgb()));
                let emphasis = if Some(span.id) == selected {
                    Emphasis::Selected
                } else if agreeing.contains(&span.id) {
                    Emphasis::Dimmed
                } else {
                    Emphasis::Normal
                };
                SpanMark {
                    id: span.id,
                    range: span.range,
                    color,
                    tooltip: span_tooltip(span, verdicts.get(&span.id).map_or(&[], Vec::as_slice)),
                    emphasis,
                }
            })
            .collect();
        open.view.invalidate_spans();
    }

    /// Reads the open document's verdicts and the project's annotators and review statuses.
    pub(crate) fn reload_review(&mut self) -> anyhow::Result<()> {
        let mut annotators = self.project.annotators()?;
        if !annotators.contains(&self.annotator) {
            annotators.push(self.annotator.clone());
            annotators.sort();
        }
        self.review.annotators = annotators;
        self.review.statuses = self.project.review_statuses()?;
        self.review.verdicts = match self.open_document_id() {
            Some(id) => self.project.verdicts(id)?,
            None => Vec::new(),
        };
        Ok(())
    }

    /// Refreshes whether undo and redo are available.
    pub(crate) fn refresh_undo_redo(&mut self) {
        self.undo_redo = self
            .project
            .undo_redo_available(&self.annotator)
            .unwrap_or((false, false));
    }

    /// Saves the note being edited, if it changed.
    pub(crate) fn save_note(&mut self) {
        let Some(draft) = self.note.take() else {
            return;
        };
        let unchanged = self
            .open_spans()
            .iter()
            .find(|s| s.id == draft.span_id)
            .is_none_or(|s| s.note == draft.text);
        if unchanged {
            return;
        }
        let edit = crate::store::SpanEdit {
            note: Some(draft.text),
            ..Default::default()
        };
        match self
            .project
            .edit_span(&self.annotator, draft.span_id, &edit)
        {
            Ok(_) => {
                self.status.info("Note saved");
                let _ = self.reload_spans();
                self.refresh_undo_redo();
            }
            Err(err) => self.status.error(format!("Could not save the note: {err}")),
        }
    }

    /// Asks the dialogs for paths; falls back to a typed-path prompt when none can be shown.
    pub(crate) fn ask_paths(&mut self, kind: DialogKind, suggested: &str) -> Option<Vec<PathBuf>> {
        match self.dialogs.ask(kind, suggested) {
            super::dialogs::Picked::Chosen(paths) => Some(paths),
            super::dialogs::Picked::Cancelled => None,
            super::dialogs::Picked::Unavailable => {
                self.path_prompt = Some(PathPrompt {
                    kind,
                    text: String::new(),
                });
                None
            }
        }
    }
}

/// What hovering a span shows: label, annotator with initials, note, verdicts.
fn span_tooltip(span: &Span, verdicts: &[&VerdictRecord]) -> String {
    let initials: String = span
        .annotator
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|part| part.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    let mut tooltip = format!("{} · {} ({initials})", span.label, span.annotator);
    if !span.note.is_empty() {
        tooltip.push('\n');
        tooltip.push_str(&span.note);
    }
    for verdict in verdicts {
        tooltip.push_str(&format!(
            "\n{} by {}{}",
            verdict.verdict.as_str(),
            verdict.reviewer,
            if verdict.comment.is_empty() {
                String::new()
            } else {
                format!(": {}", verdict.comment)
            }
        ));
    }
    tooltip
}
