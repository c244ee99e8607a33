//! Commands: every change the UI asks for, applied in one place after the frame's panels have
//! drawn, through the store (the same path the CLI and the tests use).

use std::path::PathBuf;

use super::dialogs::DialogKind;
use super::state::StetApp;
use crate::model::{CharRange, DocStatus, LabelScheme};
use crate::store::{Access, GOLD, Project, ReviewStatus, SpanEdit};

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    OpenDocument(i64),
    /// Next (+1) or previous (−1) document in the filtered list.
    StepDocument(isize),
    /// A hotkey or label click: tags the selection, else relabels the selected span.
    ApplyLabel(String),
    /// Locks (or unlocks) a label: every new selection is tagged with it at once.
    ToggleSticky(String),
    /// A new text selection was made in the view.
    Selected(CharRange),
    SelectSpan(Option<i64>),
    /// Click on stacked spans: select the next one after the selected one.
    CycleSpans(Vec<i64>),
    /// Selects the next (+1) or previous (−1) span in reading order.
    StepSpan(isize),
    DeleteSelectedSpan,
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
    Undo,
    Redo,
    ToggleDone,
    Ask(DialogKind),
    Import(Vec<PathBuf>),
    OpenProject(PathBuf),
    NewProject(PathBuf),
    ZoomText(f32),
    ResetZoom,
    ToggleLayer(String),
    SetCompare(Option<(String, String)>),
    /// Selects the next (+1) or previous (−1) disagreement in compare mode.
    StepDisagreement(isize),
    Accept,
    Reject,
    AcceptAgreed,
    SetReviewStatus(ReviewStatus),
    OpenCompare {
        document: i64,
        a: String,
        b: String,
    },
    ShowAgreement,
    /// Exports with the Export window's choices to this path.
    ExportTo(PathBuf),
    /// Merges a colleague's project file into this one.
    Merge(PathBuf),
    /// Write a copy of the project for a colleague to this new file.
    SaveCopy(PathBuf),
}

const MIN_FONT: f32 = 9.0;
const MAX_FONT: f32 = 40.0;

impl StetApp {
    /// Applies every queued command.
    pub(crate) fn apply_commands(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        // Commands run after the panels drew this frame: show their effect in a new one,
        // rather than on the next input event.
        if !commands.is_empty() {
            ctx.request_repaint();
        }
        for command in commands {
            if let Err(err) = self.apply(command, ctx) {
                self.status.error(format!("{err:#}"));
            }
        }
    }

    fn apply(&mut self, command: Command, ctx: &egui::Context) -> anyhow::Result<()> {
        match command {
            Command::OpenDocument(id) => self.open_document(id)?,
            Command::StepDocument(step) => {
                let target = match self.open_document_id() {
                    Some(id) => self.documents.neighbour(id, step),
                    None => self
                        .documents
                        .visible
                        .first()
                        .and_then(|&i| self.documents.all.get(i))
                        .map(|d| d.id),
                };
                match target {
                    Some(id) => self.open_document(id)?,
                    None => self.status.info(if step > 0 {
                        "This is the last document"
                    } else {
                        "This is the first document"
                    }),
                }
            }
            Command::ApplyLabel(label) => self.apply_label(&label)?,
            Command::ToggleSticky(label) => {
                if self.sticky_label.as_deref() == Some(label.as_str()) {
                    self.sticky_label = None;
                    self.status.info("Label unlocked");
                } else {
                    self.status.info(format!(
                        "“{label}” locked: every selection is tagged at once"
                    ));
                    self.sticky_label = Some(label);
                }
            }
            Command::Selected(range) => {
                self.last_refusal = None;
                self.selected_span = None;
                self.note = None;
                if let Some(label) = self.sticky_label.clone() {
                    self.tag(range, &label)?;
                } else if let Some(open) = &mut self.open {
                    open.view.set_selection(Some(range));
                }
                self.rebuild_marks();
            }
            Command::SelectSpan(id) => self.select_span(id),
            Command::CycleSpans(ids) => {
                let next = match self
                    .selected_span
                    .and_then(|s| ids.iter().position(|&i| i == s))
                {
                    Some(pos) => ids.get((pos + 1) % ids.len()).copied(),
                    None => ids.first().copied(),
                };
                self.select_span(next);
            }
            Command::StepSpan(step) => {
                let spans = self.open_spans();
                let next = match self
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
            Command::DeleteSelectedSpan => {
                if let Some(id) = self.selected_span.filter(|&id| self.may_edit(id)) {
                    let span = self.project.delete_span(&self.annotator, id)?;
                    self.after_edit()?;
                    self.status.info(format!(
                        "Deleted {} {} (Ctrl+Z to undo)",
                        span.label, span.range
                    ));
                }
            }
            Command::ResizeSpan { id, range } => self.resize(id, range)?,
            Command::NudgeSelectedSpan { end, forward } => self.nudge(end, forward)?,
            Command::ExtendSelection { forward } => self.extend_selection(forward),
            Command::EditNote => {
                if let Some(span) = self
                    .selected_span
                    .and_then(|id| self.open_spans().iter().find(|s| s.id == id))
                {
                    self.note = Some(super::state::NoteDraft {
                        span_id: span.id,
                        text: span.note.clone(),
                        focus: true,
                    });
                }
            }
            Command::Undo | Command::Redo => self.undo_redo(command == Command::Undo)?,
            Command::ToggleDone => {
                if let Some(id) = self.open_document_id() {
                    let status = if self.documents.status(id) == DocStatus::Done {
                        DocStatus::InProgress
                    } else {
                        DocStatus::Done
                    };
                    self.set_status(status)?;
                }
            }
            Command::Ask(kind) => self.ask(kind),
            Command::Import(paths) => self.start_import(paths, ctx),
            Command::OpenProject(path) => {
                let project = Project::open(&path, Access::ReadWrite)?;
                self.switch_project(project)?;
            }
            Command::NewProject(path) => {
                let project = Project::create(&path, &LabelScheme::newsroom())?;
                self.switch_project(project)?;
            }
            Command::ZoomText(delta) => {
                self.font_size = (self.font_size + delta).clamp(MIN_FONT, MAX_FONT);
                self.status
                    .info(format!("Text size {:.0} pt", self.font_size));
            }
            Command::ResetZoom => self.font_size = super::theme::ARTICLE_FONT_SIZE,
            Command::ToggleLayer(name) => {
                if !self.review.hidden.remove(&name) {
                    self.review.hidden.insert(name);
                }
                self.rebuild_marks();
            }
            Command::SetCompare(pair) => {
                self.status.info(match &pair {
                    Some((a, b)) => {
                        format!("Comparing {a} with {b}: n / p step through disagreements")
                    }
                    None => "Compare mode off".to_owned(),
                });
                self.review.compare = pair;
                self.rebuild_marks();
            }
            Command::StepDisagreement(step) => self.step_disagreement(step),
            Command::Accept | Command::Reject => self.judge(command == Command::Accept)?,
            Command::AcceptAgreed => self.accept_agreed()?,
            Command::SetReviewStatus(status) => {
                if let Some(id) = self.open_document_id() {
                    self.project
                        .set_review_status(&self.annotator, id, status)?;
                    self.after_edit()?;
                    self.status.info(format!("Review: {}", status.label()));
                }
            }
            Command::OpenCompare { document, a, b } => {
                self.review.compare = Some((a, b));
                self.open_document(document)?;
            }
            Command::ExportTo(path) => self.start_export(path, ctx),
            Command::Merge(path) => self.start_merge(path, ctx),
            Command::SaveCopy(path) => self.start_copy(path, ctx),
            Command::ShowAgreement => {
                self.review.agreement.open = true;
                if self.review.agreement.report.is_none() && !self.review.agreement.busy() {
                    self.compute_agreement(ctx);
                }
            }
        }
        Ok(())
    }

    /// Whether the user may change a span: their own and the gold layer's, not colleagues'
    /// (those are reviewed with accept and reject).
    fn may_edit(&mut self, id: i64) -> bool {
        let Some(span) = self.open_spans().iter().find(|s| s.id == id) else {
            return false;
        };
        if span.annotator == self.annotator || span.annotator == GOLD {
            return true;
        }
        let owner = span.annotator.clone();
        self.status.error(format!(
            "That span is {owner}'s: review it with A (accept) or R (reject); you can change your own and the gold layer's"
        ));
        false
    }

    fn judge(&mut self, accept: bool) -> anyhow::Result<()> {
        let Some(id) = self.selected_span else {
            self.status
                .info("Click a span first, then accept (A) or reject (R) it");
            return Ok(());
        };
        if self
            .open_spans()
            .iter()
            .any(|s| s.id == id && s.annotator == GOLD)
        {
            self.status
                .info("That is a gold span; edit or delete it directly");
            return Ok(());
        }
        let comment = std::mem::take(&mut self.review.comment);
        if accept {
            self.project.accept_span(&self.annotator, id, &comment)?;
            self.status
                .info("Accepted into the gold layer (Ctrl+Z to undo)");
        } else {
            self.project.reject_span(&self.annotator, id, &comment)?;
            self.status.info("Rejected (Ctrl+Z to undo)");
        }
        self.after_edit()?;
        if self.review.compare.is_some() {
            self.step_disagreement(1);
        }
        Ok(())
    }

    fn accept_agreed(&mut self) -> anyhow::Result<()> {
        let Some(doc) = self.open_document_id() else {
            return Ok(());
        };
        let annotators = self.review.compared_annotators();
        let n = self
            .project
            .accept_agreed(&self.annotator, doc, &annotators)?;
        self.after_edit()?;
        self.status.info(format!(
            "Accepted {n} span(s) where {} agree",
            annotators.join(" and ")
        ));
        Ok(())
    }

    fn step_disagreement(&mut self, step: isize) {
        let ids: Vec<i64> = self
            .review
            .disagreements
            .iter()
            .map(|(id, _)| *id)
            .collect();
        if ids.is_empty() {
            self.status.info("No disagreements in this document");
            return;
        }
        let next = match self
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

    fn apply_label(&mut self, label: &str) -> anyhow::Result<()> {
        let selection = self.open.as_ref().and_then(|d| d.view.selection());
        if let Some(range) = selection.filter(|r| !r.is_empty()) {
            return self.tag(range, label);
        }
        if let Some(id) = self.selected_span {
            if !self.may_edit(id) {
                return Ok(());
            }
            let edit = SpanEdit {
                label: Some(label.to_owned()),
                ..SpanEdit::default()
            };
            self.project.edit_span(&self.annotator, id, &edit)?;
            self.after_edit()?;
            self.status.info(format!("Relabelled as {label}"));
            return Ok(());
        }
        match &self.last_refusal {
            Some(reason) => self.status.error(reason.clone()),
            None => self
                .status
                .info("Select some text first (drag over it), then press a label's key"),
        }
        Ok(())
    }

    /// Stores a new span and selects it.
    fn tag(&mut self, range: CharRange, label: &str) -> anyhow::Result<()> {
        let Some(doc_id) = self.open_document_id() else {
            return Ok(());
        };
        let span = self
            .project
            .add_span(&self.annotator, doc_id, range, label, "")?;
        if let Some(open) = &mut self.open {
            open.view.set_selection(None);
        }
        self.selected_span = Some(span.id);
        self.after_edit()?;
        let text = self
            .open
            .as_ref()
            .map(|d| d.text.index().slice(d.text.text(), range).to_owned())
            .unwrap_or_default();
        self.status
            .info(format!("Tagged {label} {range}: “{}”", shorten(&text, 60)));
        Ok(())
    }

    fn select_span(&mut self, id: Option<i64>) {
        self.save_note();
        self.selected_span = id;
        if let (Some(id), Some(open)) = (id, &mut self.open) {
            open.view.set_selection(None);
            if let Some(span) = open.spans.iter().find(|s| s.id == id) {
                open.view.scroll_to(span.range.start);
            }
        }
        self.rebuild_marks();
    }

    fn resize(&mut self, id: i64, range: CharRange) -> anyhow::Result<()> {
        if !self.may_edit(id) {
            return Ok(());
        }
        let edit = SpanEdit {
            range: Some(range),
            ..SpanEdit::default()
        };
        self.project.edit_span(&self.annotator, id, &edit)?;
        self.after_edit()?;
        self.status.info(format!("Span now {range}"));
        Ok(())
    }

    fn nudge(&mut self, end: bool, forward: bool) -> anyhow::Result<()> {
        let (Some(id), Some(open)) = (self.selected_span, &self.open) else {
            return Ok(());
        };
        let Some(span) = open.spans.iter().find(|s| s.id == id) else {
            return Ok(());
        };
        let text = open.text.text();
        let index = open.text.index();
        let mut range = span.range;
        if end {
            range.end = crate::model::next_word_edge(text, index, range.end, forward);
        } else {
            range.start = crate::model::next_word_edge(text, index, range.start, forward);
        }
        if range.is_empty() || range == span.range {
            return Ok(());
        }
        self.resize(id, range)
    }

    fn extend_selection(&mut self, forward: bool) {
        let Some(open) = &mut self.open else {
            return;
        };
        let text = open.text.text();
        let index = open.text.index();
        let current = open.view.selection();
        let next = match current {
            Some(range) => {
                let end = crate::model::next_word_edge(text, index, range.end, forward);
                CharRange::new(range.start, end.max(range.start))
            }
            None => {
                let start = open.caret.unwrap_or(0);
                let end = crate::model::next_word_edge(text, index, start, true);
                CharRange::new(start, end)
            }
        };
        let next = if self.snap_words {
            crate::model::snap_to_words(text, index, next)
        } else {
            next
        };
        open.view.set_selection((!next.is_empty()).then_some(next));
        self.selected_span = None;
    }

    fn undo_redo(&mut self, undo: bool) -> anyhow::Result<()> {
        self.save_note();
        let outcome = if undo {
            self.project.undo(&self.annotator)?
        } else {
            self.project.redo(&self.annotator)?
        };
        let Some(outcome) = outcome else {
            self.status.info(if undo {
                "Nothing to undo"
            } else {
                "Nothing to redo"
            });
            return Ok(());
        };
        if self.open_document_id() != Some(outcome.document_id) {
            self.open_document(outcome.document_id)?;
        }
        self.reload_documents()?;
        self.reload_spans()?;
        let exists = outcome
            .span_id
            .filter(|id| self.open_spans().iter().any(|s| s.id == *id));
        self.select_span(exists);
        self.refresh_undo_redo();
        self.status.info(format!(
            "{}: {}",
            if undo { "Undone" } else { "Redone" },
            outcome.summary
        ));
        Ok(())
    }

    fn set_status(&mut self, status: DocStatus) -> anyhow::Result<()> {
        let Some(id) = self.open_document_id() else {
            return Ok(());
        };
        self.project.set_status(&self.annotator, id, status)?;
        self.documents.statuses.insert(id, status);
        self.documents.refilter();
        self.refresh_undo_redo();
        self.status.info(format!("Marked {}", status.label()));
        Ok(())
    }

    /// After any span edit: spans, counts, statuses and undo state are read again.
    fn after_edit(&mut self) -> anyhow::Result<()> {
        self.reload_spans()?;
        // An edit can move the document from todo to in progress: the list follows.
        self.documents.statuses = self.project.statuses(&self.annotator)?;
        self.documents.refilter();
        self.refresh_undo_redo();
        Ok(())
    }

    fn ask(&mut self, kind: DialogKind) {
        let suggested = match kind {
            DialogKind::NewProject => "project.stet",
            DialogKind::CopyProject => "colleague.stet",
            _ => "",
        };
        let Some(paths) = self.ask_paths(kind, suggested) else {
            return;
        };
        self.answer(kind, paths);
    }

    /// Acts on paths given by a dialog or typed into the path prompt.
    pub(crate) fn answer(&mut self, kind: DialogKind, paths: Vec<PathBuf>) {
        let first = paths.first().cloned();
        match (kind, first) {
            (DialogKind::ImportFiles | DialogKind::ImportFolder, _) => {
                self.send(Command::Import(paths));
            }
            (DialogKind::OpenProject, Some(path)) => self.send(Command::OpenProject(path)),
            (DialogKind::NewProject, Some(path)) => {
                let path = if path.extension().is_none() {
                    path.with_extension("stet")
                } else {
                    path
                };
                self.send(Command::NewProject(path));
            }
            (DialogKind::Export, Some(path)) => self.send(Command::ExportTo(path)),
            (DialogKind::MergeProject, Some(path)) => self.send(Command::Merge(path)),
            (DialogKind::CopyProject, Some(path)) => {
                let path = if path.extension().is_none() {
                    path.with_extension("stet")
                } else {
                    path
                };
                self.send(Command::SaveCopy(path));
            }
            (_, None) => {}
        }
    }

    fn switch_project(&mut self, project: Project) -> anyhow::Result<()> {
        self.save_note();
        self.scheme = project.scheme()?;
        self.project = project;
        self.open = None;
        self.selected_span = None;
        self.sticky_label = None;
        self.reload_documents()?;
        if let Some(first) = self.documents.all.first().map(|d| d.id) {
            self.open_document(first)?;
        }
        self.recent.add(self.project.path());
        self.refresh_undo_redo();
        self.status
            .info(format!("Opened {}", self.project.path().display()));
        Ok(())
    }
}

/// The first `max` characters of `text` on one line, with "…" if cut.
/// Reads no further into `text` than it needs, so a span over a whole document costs no more
/// than a short one.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let mut chars = text.chars().map(|c| if c == '\n' { ' ' } else { c });
    let mut cut: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        cut.pop();
        cut.push('…');
    }
    cut
}
