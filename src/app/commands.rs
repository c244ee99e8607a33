//! Commands: every change the user asks for, applied in one place after the frame's views
//! have drawn. Edits go to the project through the writer (`edits.rs`), background work to
//! the jobs (`tasks.rs`); the rest changes what the window shows.

use std::path::PathBuf;

use super::StetApp;
use super::dialogs::DialogKind;
use crate::model::{CharRange, DocStatus};
use crate::store::ReviewStatus;

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    OpenDocument(i64),
    /// Shows the documents that pass this filter in the list.
    FilterDocuments(super::session::DocumentFilter),
    /// Next (+1) or previous (−1) document in the filtered list.
    StepDocument(isize),
    /// A hotkey or label click: tags the selection, else relabels the selected span.
    ApplyLabel(String),
    /// Locks (or unlocks) a label: every new selection is tagged with it at once.
    ToggleSticky(String),
    /// A new text selection was made in the view.
    Selected(CharRange),
    /// A selection the view refused, with the reason.
    Refused(String),
    /// A click in the text with no span under it, at this offset.
    ClickedText(usize),
    SelectSpan(Option<i64>),
    /// Click on stacked spans at an offset: select the next one after the selected one.
    CycleSpans {
        at: usize,
        ids: Vec<i64>,
    },
    /// Selects the next (+1) or previous (−1) span in reading order.
    StepSpan(isize),
    DeleteSelectedSpan,
    /// Accepts the selected suggestion as the analyst's own span.
    AcceptSelectedSuggestion,
    /// Accepts every suggestion of a label in the open document.
    AcceptAllSuggestions(String),
    ResizeSpan {
        id: i64,
        range: CharRange,
    },
    /// Moves an edge of the selected span by a word: `end` edge or start, forward or back.
    NudgeSelectedSpan {
        end: bool,
        forward: bool,
    },
    /// Extends the text selection by a word from the keyboard.
    ExtendSelection {
        forward: bool,
    },
    EditNote,
    /// Saves a span's note.
    SaveNote {
        span: i64,
        text: String,
    },
    Undo,
    Redo,
    ToggleDone,
    Ask(DialogKind),
    /// Paths given by a dialog or typed into the prompt, for what `DialogKind` asked.
    Answer(DialogKind, Vec<PathBuf>),
    Import(Vec<PathBuf>),
    /// Imports files again, adding to the scheme the labels, attributes and relation kinds
    /// they use that it lacks (the Problems window offers it after such files were refused).
    ImportAddingLabels(Vec<PathBuf>),
    /// Copies the selected text, else the selected span's text, to the clipboard.
    CopyText,
    /// Closes the window (every edit is already committed).
    Quit,
    /// Scrolls the article from the keyboard.
    Scroll(super::article_view::ScrollRequest),
    /// Asks who is annotating (the status bar's name).
    AskName,
    /// From now on the window's spans are this annotator's.
    SetAnnotator(String),
    OpenProject(PathBuf),
    NewProject(PathBuf),
    ZoomText(f32),
    ResetZoom,
    OpenSearch,
    /// Steps to the next (`true`) or previous search match.
    StepSearch(bool),
    ToggleShortcuts,
    Escape,
    ToggleLayer(String),
    SetCompare(Option<(String, String)>),
    /// Selects the next (+1) or previous (−1) disagreement in compare mode.
    StepDisagreement(isize),
    Accept,
    Reject,
    /// Link mode from the selected span (L): the next span chosen is the relation's end.
    StartLink,
    /// Links the chooser's two spans with this relation kind.
    LinkAs(String),
    DeleteRelation(i64),
    /// Gives the selected span's attribute the next value of its list (unset after the
    /// last); `None`: the label's first attribute with a list (V).
    CycleAttribute(Option<String>),
    /// Sets (or with `None` clears) an attribute of the selected span.
    SetAttribute {
        name: String,
        value: Option<String>,
    },
    AcceptAgreed,
    SetReviewStatus(ReviewStatus),
    OpenCompare {
        document: i64,
        a: String,
        b: String,
    },
    ShowAgreement,
    ComputeAgreement,
    /// Runs the recognisers over the open document in the background.
    SuggestDocument,
    OpenExport,
    /// Asks where to export with the Export window's choices.
    AskExport,
    /// Exports with the Export window's choices to this path.
    ExportTo(PathBuf),
    /// Merges a colleague's project file into this one.
    Merge(PathBuf),
    /// Write a copy of the project for a colleague to this new file.
    SaveCopy(PathBuf),
}

impl Command {
    /// Whether the command can be applied while edits are still being saved: it changes
    /// only how the window looks, never what an edit would act on.
    fn is_cosmetic(&self) -> bool {
        matches!(
            self,
            Self::ZoomText(_)
                | Self::FilterDocuments(_)
                | Self::ResetZoom
                | Self::OpenSearch
                | Self::ToggleShortcuts
                | Self::ShowAgreement
                | Self::OpenExport
                | Self::Scroll(_)
        )
    }
}

const MIN_FONT: f32 = 9.0;
const MAX_FONT: f32 = 40.0;

impl StetApp {
    /// Applies every queued command. While edits are being saved, commands that depend on
    /// their outcome wait (in order) for the next frame.
    pub(crate) fn apply_commands(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        // Commands run after the views drew this frame: show their effect in a new one.
        if !commands.is_empty() {
            ctx.request_repaint();
        }
        let mut waiting = Vec::new();
        for command in commands {
            if (self.session.writer.is_saving() || !waiting.is_empty()) && !command.is_cosmetic() {
                waiting.push(command);
                continue;
            }
            if let Err(err) = self.apply(command, ctx) {
                let text = crate::workflows::describe(self.session.project.path(), &err);
                self.ui.status.error(text);
            }
            self.collect_edits(self.edit_wait);
        }
        // Commands sent while applying these (an answered dialog's import) come after.
        waiting.append(&mut self.commands);
        self.commands = waiting;
    }

    fn apply(&mut self, command: Command, ctx: &egui::Context) -> anyhow::Result<()> {
        match command {
            Command::OpenDocument(id) => self.open_document(id)?,
            Command::FilterDocuments(filter) => {
                self.session.documents.filter = filter;
                self.session.documents.refilter();
            }
            Command::StepDocument(step) => self.step_document(step)?,
            Command::ApplyLabel(label) => self.apply_label(&label),
            Command::ToggleSticky(label) => self.toggle_sticky(label),
            Command::Selected(range) => self.selected(range),
            Command::Refused(reason) => {
                self.ui.article.set_selection(None);
                self.ui.status.error(reason.clone());
                self.ui.last_refusal = Some(reason);
            }
            Command::ClickedText(at) => {
                self.ui.caret = Some(at);
                if self.session.selected_span.is_some() {
                    self.select_span(None);
                }
            }
            Command::SelectSpan(Some(id)) if self.ui.linking.is_some() => self.link_to(id),
            Command::SelectSpan(id) => self.select_span(id),
            Command::StartLink => self.start_link(),
            Command::LinkAs(kind) => self.link_as(&kind),
            Command::DeleteRelation(id) => self.delete_relation(id),
            Command::CycleAttribute(name) => self.cycle_attribute(name.as_deref()),
            Command::SetAttribute { name, value } => self.set_attribute(name, value),
            Command::CycleSpans { at, ids } if self.ui.linking.is_some() => {
                // The relation's end: the clicked span that is not its start.
                self.ui.caret = Some(at);
                let from = self.ui.linking;
                if let Some(&to) = ids.iter().find(|&&id| Some(id) != from) {
                    self.link_to(to);
                }
            }
            Command::CycleSpans { at, ids } => {
                self.ui.caret = Some(at);
                let next = match self
                    .session
                    .selected_span
                    .and_then(|s| ids.iter().position(|&i| i == s))
                {
                    Some(pos) => ids.get((pos + 1) % ids.len()).copied(),
                    None => ids.first().copied(),
                };
                self.select_span(next);
            }
            Command::StepSpan(step) => self.step_span(step),
            Command::DeleteSelectedSpan => self.delete_selected(),
            Command::AcceptSelectedSuggestion => self.accept_selected_suggestion(),
            Command::AcceptAllSuggestions(label) => self.accept_all_suggestions(&label),
            Command::ResizeSpan { id, range } => self.resize(id, range),
            Command::NudgeSelectedSpan { end, forward } => self.nudge(end, forward),
            Command::ExtendSelection { forward } => self.extend_selection(forward),
            Command::EditNote => self.edit_note(),
            Command::SaveNote { span, text } => self.save_note_text(span, text),
            Command::Undo => self.submit(super::writer::Edit::Undo),
            Command::Redo => self.submit(super::writer::Edit::Redo),
            Command::ToggleDone => self.toggle_done(),
            Command::Ask(kind) => self.ask(kind),
            Command::Answer(kind, paths) => self.answer(kind, paths),
            Command::Import(paths) => self.start_import(paths, false, ctx),
            Command::ImportAddingLabels(paths) => self.start_import(paths, true, ctx),
            Command::CopyText => self.copy_text(ctx),
            Command::Scroll(request) => self.ui.article.scroll(request),
            Command::AskName => {
                self.ui.name_prompt = Some(super::ui_state::NamePrompt {
                    text: self.session.annotator.clone(),
                    ..Default::default()
                });
            }
            Command::SetAnnotator(name) => self.set_annotator(name, ctx)?,
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::OpenProject(path) => self.open_project(&path, ctx)?,
            Command::NewProject(path) => self.new_project(&path, ctx)?,
            Command::ZoomText(delta) => {
                self.ui.font_size = (self.ui.font_size + delta).clamp(MIN_FONT, MAX_FONT);
                self.ui
                    .status
                    .info(format!("Text size {:.0} pt", self.ui.font_size));
            }
            Command::ResetZoom => self.ui.font_size = super::theme::ARTICLE_FONT_SIZE,
            Command::OpenSearch => {
                self.ui.search.open = true;
                self.ui.search.focus = true;
            }
            Command::StepSearch(forward) => {
                if let Some(found) = self.ui.search.step(forward) {
                    self.ui.article.scroll_to(found.start);
                    self.ui.article.set_selection(Some(found));
                }
            }
            Command::ToggleShortcuts => self.ui.show_shortcuts = !self.ui.show_shortcuts,
            Command::Escape => self.escape(),
            Command::ToggleLayer(name) => {
                if !self.session.review.hidden.remove(&name) {
                    self.session.review.hidden.insert(name);
                }
                self.session.rebuild_marks();
            }
            Command::SetCompare(pair) => {
                self.ui.status.info(match &pair {
                    Some((a, b)) => {
                        format!("Comparing {a} with {b}: n / p step through disagreements")
                    }
                    None => "Compare mode off".to_owned(),
                });
                self.session.review.compare = pair;
                self.session.rebuild_marks();
            }
            Command::StepDisagreement(step) => self.step_disagreement(step),
            Command::Accept | Command::Reject => self.judge(command == Command::Accept),
            Command::AcceptAgreed => self.accept_agreed(),
            Command::SetReviewStatus(status) => self.set_review_status(status),
            Command::OpenCompare { document, a, b } => {
                self.session.review.compare = Some((a, b));
                self.open_document(document)?;
            }
            Command::ShowAgreement => {
                self.ui.agreement.open = true;
                if self.ui.agreement.report.is_none() {
                    self.compute_agreement(ctx);
                }
            }
            Command::ComputeAgreement => self.compute_agreement(ctx),
            Command::SuggestDocument => self.suggest_document(ctx),
            Command::OpenExport => self.ui.export.open = true,
            Command::AskExport => self.ask(DialogKind::Export),
            Command::ExportTo(path) => self.start_export(path, ctx),
            Command::Merge(path) => self.start_merge(path, ctx),
            Command::SaveCopy(path) => self.start_copy(path, ctx),
        }
        Ok(())
    }

    /// Shows a document in the article view.
    pub(crate) fn open_document(&mut self, id: i64) -> anyhow::Result<()> {
        self.save_note();
        self.session.open_document(id)?;
        self.ui.document_changed();
        let text = self.session.open.as_ref().map(|d| d.text.text());
        self.ui.search.recompute(text);
        Ok(())
    }

    fn step_document(&mut self, step: isize) -> anyhow::Result<()> {
        let documents = &self.session.documents;
        let target = match self.session.open_document_id() {
            Some(id) => documents.neighbour(id, step),
            None => documents.first_visible(),
        };
        match target {
            Some(id) => self.open_document(id)?,
            None => self.ui.status.info(if step > 0 {
                "This is the last document"
            } else {
                "This is the first document"
            }),
        }
        Ok(())
    }

    fn toggle_sticky(&mut self, label: String) {
        if self.ui.sticky_label.as_deref() == Some(label.as_str()) {
            self.ui.sticky_label = None;
            self.ui.status.info("Label unlocked");
        } else {
            self.ui.status.info(format!(
                "“{label}” locked: every selection is tagged at once"
            ));
            self.ui.sticky_label = Some(label);
        }
    }

    fn selected(&mut self, range: CharRange) {
        self.ui.last_refusal = None;
        self.session.selected_span = None;
        self.ui.note = None;
        if let Some(label) = self.ui.sticky_label.clone() {
            self.tag(range, &label);
        } else {
            self.ui.article.set_selection(Some(range));
        }
        self.session.rebuild_marks();
    }

    pub(crate) fn select_span(&mut self, id: Option<i64>) {
        self.save_note();
        self.session.selected_span = id;
        if let Some(id) = id {
            self.ui.article.set_selection(None);
            if let Some(span) = self.session.open_spans().iter().find(|s| s.id == id) {
                self.ui.article.scroll_to(span.range.start);
            }
        }
        self.session.rebuild_marks();
    }

    fn step_span(&mut self, step: isize) {
        let spans = self.session.open_spans();
        let next = match self
            .session
            .selected_span
            .and_then(|id| spans.iter().position(|s| s.id == id))
        {
            Some(pos) => pos
                .checked_add_signed(step)
                .and_then(|p| spans.get(p))
                .map(|s| s.id),
            None if step > 0 => spans.first().map(|s| s.id),
            None => spans.last().map(|s| s.id),
        };
        if next.is_some() {
            self.select_span(next);
        }
    }

    pub(crate) fn step_disagreement(&mut self, step: isize) {
        let ids: Vec<i64> = self
            .session
            .review
            .disagreements
            .iter()
            .map(|(id, _)| *id)
            .collect();
        if ids.is_empty() {
            self.ui.status.info("No disagreements in this document");
            return;
        }
        let next = match self
            .session
            .selected_span
            .and_then(|id| ids.iter().position(|&i| i == id))
        {
            Some(pos) => pos
                .checked_add_signed(step)
                .filter(|&p| p < ids.len())
                .unwrap_or(if step > 0 { 0 } else { ids.len() - 1 }),
            None if step > 0 => 0,
            None => ids.len() - 1,
        };
        self.select_span(ids.get(next).copied());
    }

    /// Copies the selection's text, else the selected span's, and says so.
    fn copy_text(&mut self, ctx: &egui::Context) {
        let Some(open) = &self.session.open else {
            return;
        };
        let range = self
            .ui
            .article
            .selection()
            .or_else(|| self.session.selected().map(|span| span.range));
        let Some(range) = range else {
            self.ui
                .status
                .info("Nothing to copy: select text or a span first");
            return;
        };
        let text = open.text.index().slice(open.text.text(), range).to_owned();
        self.ui.status.info(format!(
            "Copied {}",
            crate::model::count(text.chars().count(), "character")
        ));
        ctx.copy_text(text);
    }

    fn extend_selection(&mut self, forward: bool) {
        let Some(open) = &self.session.open else {
            return;
        };
        let text = open.text.text();
        let index = open.text.index();
        let next = match self.ui.article.selection() {
            Some(range) => {
                let end = crate::model::next_word_edge(text, index, range.end, forward);
                CharRange::new(range.start, end.max(range.start))
            }
            None => {
                let start = self.ui.caret.unwrap_or(0);
                let end = crate::model::next_word_edge(text, index, start, true);
                CharRange::new(start, end)
            }
        };
        let next = if self.ui.snap_words {
            crate::model::snap_to_words(text, index, next)
        } else {
            next
        };
        self.ui
            .article
            .set_selection((!next.is_empty()).then_some(next));
        self.session.selected_span = None;
        self.session.rebuild_marks();
    }

    fn edit_note(&mut self) {
        if let Some(span) = self.session.selected() {
            self.ui.note = Some(super::ui_state::NoteDraft {
                span_id: span.id,
                text: span.note.clone(),
                focus: true,
            });
        }
    }

    /// Esc: close the sheet or the search, else drop the selection.
    fn escape(&mut self) {
        if self.ui.link_choice.is_some() || self.ui.linking.is_some() {
            self.ui.link_choice = None;
            self.ui.linking = None;
            self.ui.status.info("Link cancelled");
        } else if self.ui.show_shortcuts {
            self.ui.show_shortcuts = false;
        } else if self.ui.search.open {
            self.ui.search.open = false;
        } else if self.ui.article.selection().is_some() {
            self.ui.article.set_selection(None);
        } else if self.session.selected_span.is_some() {
            self.select_span(None);
        }
    }

    fn ask(&mut self, kind: DialogKind) {
        let suggested = match kind {
            DialogKind::NewProject => "project.stet",
            DialogKind::CopyProject => "colleague.stet",
            DialogKind::Export => self.ui.export.suggested_name(),
            _ => "",
        };
        match self.dialogs.ask(kind, suggested) {
            super::dialogs::Picked::Chosen(paths) => self.answer(kind, paths),
            super::dialogs::Picked::Cancelled => {}
            super::dialogs::Picked::Unavailable => {
                self.ui.path_prompt = Some(super::ui_state::PathPrompt {
                    kind,
                    text: String::new(),
                });
            }
        }
    }

    /// Acts on paths given by a dialog or typed into the path prompt.
    fn answer(&mut self, kind: DialogKind, paths: Vec<PathBuf>) {
        let with_extension = |path: PathBuf| {
            if path.extension().is_none() {
                path.with_extension("stet")
            } else {
                path
            }
        };
        let first = paths.first().cloned();
        let next = match (kind, first) {
            (DialogKind::ImportFiles | DialogKind::ImportFolder, _) => Command::Import(paths),
            (DialogKind::OpenProject, Some(path)) => Command::OpenProject(path),
            (DialogKind::NewProject, Some(path)) => Command::NewProject(with_extension(path)),
            (DialogKind::Export, Some(path)) => Command::ExportTo(path),
            (DialogKind::MergeProject, Some(path)) => Command::Merge(path),
            (DialogKind::CopyProject, Some(path)) => Command::SaveCopy(with_extension(path)),
            (_, None) => return,
        };
        self.send(next);
    }

    /// Marks the open document done, or back in progress.
    fn toggle_done(&mut self) {
        let Some(id) = self.session.open_document_id() else {
            return;
        };
        let status = if self.session.documents.status(id) == DocStatus::Done {
            DocStatus::InProgress
        } else {
            DocStatus::Done
        };
        self.submit(super::writer::Edit::SetStatus {
            document: id,
            status,
        });
    }
}
