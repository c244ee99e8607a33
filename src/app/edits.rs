//! The user's edits: turned into writer edits here, and their results shown when they come
//! back (at once, usually; after "saving…" when another program holds the project).

use std::time::Duration;

use super::StetApp;
use super::words::{relation_words, shorten};
use super::writer::{Edit, Edited};
use crate::model::{CharRange, Origin};
use crate::store::{GOLD, ReviewStatus, SpanEdit, StoreError};

impl StetApp {
    /// Sends an edit to the writer.
    pub(crate) fn submit(&mut self, edit: Edit) {
        self.session.writer.submit(edit);
    }

    /// Shows the results of the edits that finished, waiting up to `wait` for the rest; says
    /// "saving…" for those still on their way.
    pub(crate) fn collect_edits(&mut self, wait: Duration) {
        if !self.session.writer.is_saving() {
            return;
        }
        for (edit, result) in self.session.writer.finished(wait) {
            match result {
                Ok(edited) => {
                    if let Err(err) = self.edited(&edit, edited) {
                        self.ui.status.error(format!("{err:#}"));
                    }
                }
                Err(err) => self.edit_failed(&err),
            }
        }
        if self.session.writer.is_saving() {
            self.ui.status.info("saving…");
        } else {
            // Our own edits are not news from elsewhere.
            self.session.mark_seen();
        }
    }

    fn edit_failed(&mut self, err: &StoreError) {
        let text = if err.names_file() {
            err.to_string()
        } else {
            format!("{}: {err}", self.session.project.path().display())
        };
        self.ui.status.error(text);
        // What the window shows may be behind what was saved before the failure.
        if let Err(err) = self.session.after_edit() {
            self.ui.status.error(format!("{err:#}"));
        }
    }

    /// Shows what an edit did.
    fn edited(&mut self, edit: &Edit, edited: Edited) -> anyhow::Result<()> {
        match edited {
            Edited::SpanAdded(span) => {
                self.ui.article.set_selection(None);
                self.session.selected_span = Some(span.id);
                self.session.after_edit()?;
                let text = self
                    .session
                    .open
                    .as_ref()
                    .map(|d| d.slice(&span).to_owned())
                    .unwrap_or_default();
                self.ui.status.info(format!(
                    "Tagged {} {}: {}",
                    span.label,
                    span.range,
                    super::words::quoted(&text, 60)
                ));
            }
            Edited::SpanChanged { edit, span } => {
                self.session.after_edit()?;
                if edit.label.is_some() {
                    self.ui.status.info(format!("Relabelled as {}", span.label));
                } else if let Some((name, _)) = &edit.attribute {
                    let shown = span.attributes.get(name).map_or("unset", String::as_str);
                    self.ui.status.info(format!("{name}: {shown}"));
                } else if edit.range.is_some() {
                    self.ui.status.info(format!("Span now {}", span.range));
                } else {
                    self.ui.status.info("Note saved");
                }
            }
            Edited::SpanDeleted(span) => {
                self.session.after_edit()?;
                self.ui.status.info(format!(
                    "Deleted {} {} (Ctrl+Z to undo)",
                    span.label, span.range
                ));
            }
            Edited::RelationAdded(relation) => {
                self.session.after_edit()?;
                let end = self.span_words(relation.to);
                self.ui.status.info(format!(
                    "Linked: {} “{end}” (Ctrl+Z to undo)",
                    relation_words(&relation.kind)
                ));
            }
            Edited::RelationDeleted(relation) => {
                self.session.after_edit()?;
                self.ui.status.info(format!(
                    "Removed the {} link (Ctrl+Z to undo)",
                    relation_words(&relation.kind)
                ));
            }
            Edited::StatusSet { document, status } => {
                self.session.documents.statuses.insert(document, status);
                self.session.documents.refilter();
                self.session.refresh_undo_redo();
                self.ui.status.info(format!("Marked {}", status.label()));
            }
            Edited::Undone(outcome) | Edited::Redone(outcome) => {
                let undo = *edit == Edit::Undo;
                self.undone(undo, outcome)?;
            }
            Edited::Accepted(_) => {
                self.session.after_edit()?;
                self.ui
                    .status
                    .info("Accepted into the gold layer (Ctrl+Z to undo)");
                if self.session.review.compare.is_some() {
                    self.step_disagreement(1);
                }
            }
            Edited::SuggestionAccepted(span) => {
                self.session.selected_span = Some(span.id);
                self.session.after_edit()?;
                self.ui.status.info(format!(
                    "Accepted the suggested {} {} as yours (Ctrl+Z to undo)",
                    span.label, span.range
                ));
            }
            Edited::SuggestionRejected(span) => {
                self.session.selected_span = None;
                self.session.after_edit()?;
                self.ui.status.info(format!(
                    "Rejected the suggested {} {}; it will not be proposed again",
                    span.label, span.range
                ));
            }
            Edited::Rejected => {
                self.session.after_edit()?;
                self.ui.status.info("Rejected (Ctrl+Z to undo)");
                if self.session.review.compare.is_some() {
                    self.step_disagreement(1);
                }
            }
            Edited::AgreedAccepted { spans, annotators } => {
                self.session.after_edit()?;
                self.ui.status.info(format!(
                    "Accepted {} where {} agree",
                    crate::model::count(spans, "span"),
                    annotators.join(" and ")
                ));
            }
            Edited::ReviewStatusSet(status) => {
                self.session.after_edit()?;
                self.ui.status.info(format!("Review: {}", status.label()));
            }
        }
        Ok(())
    }

    /// A span's words, shortened, for the status line.
    fn span_words(&self, id: i64) -> String {
        let Some(open) = &self.session.open else {
            return String::new();
        };
        open.spans
            .iter()
            .find(|s| s.id == id)
            .map(|s| shorten(open.slice(s), 40))
            .unwrap_or_default()
    }

    fn undone(
        &mut self,
        undo: bool,
        outcome: Option<crate::store::OpOutcome>,
    ) -> anyhow::Result<()> {
        let Some(outcome) = outcome else {
            self.ui.status.info(if undo {
                "Nothing to undo"
            } else {
                "Nothing to redo"
            });
            return Ok(());
        };
        if self.session.open_document_id() != Some(outcome.document_id) {
            self.open_document(outcome.document_id)?;
        }
        self.session.reload_documents()?;
        self.session.reload_spans()?;
        let exists = outcome
            .span_id
            .filter(|id| self.session.open_spans().iter().any(|s| s.id == *id));
        self.select_span(exists);
        self.session.refresh_undo_redo();
        self.ui.status.info(format!(
            "{}: {}",
            if undo { "Undone" } else { "Redone" },
            outcome.summary
        ));
        Ok(())
    }

    /// A label key or click: tags the selection, else relabels the selected span.
    pub(crate) fn apply_label(&mut self, label: &str) {
        if let Some(range) = self.ui.article.selection().filter(|r| !r.is_empty()) {
            self.tag(range, label);
            return;
        }
        // On a suggestion, the key decides it: the same label accepts it; another tags the
        // range with that label and rejects the suggestion's label there.
        if let Some(suggestion) = self
            .session
            .selected()
            .filter(|s| s.origin == Origin::Suggested)
            .cloned()
        {
            if suggestion.label == label {
                self.submit(Edit::AcceptSuggestion {
                    span: suggestion.id,
                });
            } else {
                self.tag(suggestion.range, label);
                self.submit(Edit::RejectSuggestion {
                    span: suggestion.id,
                });
            }
            return;
        }
        if let Some(id) = self.session.selected_span {
            if !self.check_may_edit(id) {
                return;
            }
            self.submit(Edit::ChangeSpan {
                span: id,
                edit: SpanEdit {
                    label: Some(label.to_owned()),
                    ..SpanEdit::default()
                },
            });
            return;
        }
        match &self.ui.last_refusal {
            Some(reason) => self.ui.status.error(reason.clone()),
            None => self
                .ui
                .status
                .info("Select some text first (drag over it), then press a label's key"),
        }
    }

    /// Stores a new span (selected once stored).
    pub(crate) fn tag(&mut self, range: CharRange, label: &str) {
        let Some(document) = self.session.open_document_id() else {
            return;
        };
        self.submit(Edit::AddSpan {
            document,
            range,
            label: label.to_owned(),
        });
    }

    /// Whether the user may change the span, saying why not in the status line.
    fn check_may_edit(&mut self, id: i64) -> bool {
        let Some(span) = self.session.open_spans().iter().find(|s| s.id == id) else {
            return false;
        };
        if self.session.may_edit(span) {
            return true;
        }
        let owner = span.annotator.clone();
        self.ui.status.error(format!(
            "That span is {owner}'s: review it with A (accept) or R (reject); you can change your own and the gold layer's"
        ));
        false
    }

    /// The selected span, if it is a suggestion.
    fn selected_suggestion(&self) -> Option<i64> {
        self.session
            .selected()
            .filter(|span| span.origin == Origin::Suggested)
            .map(|span| span.id)
    }

    /// Enter: the selected suggestion becomes the analyst's own span.
    pub(crate) fn accept_selected_suggestion(&mut self) {
        if let Some(id) = self.selected_suggestion() {
            self.submit(Edit::AcceptSuggestion { span: id });
        }
    }

    /// Accepts every suggestion of `label` in the open document, one undoable step each.
    pub(crate) fn accept_all_suggestions(&mut self, label: &str) {
        let ids: Vec<i64> = self
            .session
            .open_spans()
            .iter()
            .filter(|s| s.origin == Origin::Suggested && s.label == label)
            .map(|s| s.id)
            .collect();
        if ids.is_empty() {
            self.ui
                .status
                .info(format!("No suggested {label} spans here"));
        }
        for id in ids {
            self.submit(Edit::AcceptSuggestion { span: id });
        }
    }

    pub(crate) fn delete_selected(&mut self) {
        // Deleting a suggestion rejects it, so it is never proposed again.
        if let Some(id) = self.selected_suggestion() {
            self.submit(Edit::RejectSuggestion { span: id });
            return;
        }
        if let Some(id) = self
            .session
            .selected_span
            .filter(|&id| self.check_may_edit(id))
        {
            self.submit(Edit::DeleteSpan { span: id });
        }
    }

    pub(crate) fn resize(&mut self, id: i64, range: CharRange) {
        if !self.check_may_edit(id) {
            return;
        }
        self.submit(Edit::ChangeSpan {
            span: id,
            edit: SpanEdit {
                range: Some(range),
                ..SpanEdit::default()
            },
        });
    }

    pub(crate) fn nudge(&mut self, end: bool, forward: bool) {
        let (Some(span), Some(open)) = (self.session.selected(), &self.session.open) else {
            return;
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
            return;
        }
        let id = span.id;
        self.resize(id, range);
    }

    /// Saves the note being edited, if it changed.
    pub(crate) fn save_note(&mut self) {
        let Some(draft) = self.ui.note.take() else {
            return;
        };
        self.save_note_text(draft.span_id, draft.text);
    }

    pub(crate) fn save_note_text(&mut self, span: i64, text: String) {
        let unchanged = self
            .session
            .open_spans()
            .iter()
            .find(|s| s.id == span)
            .is_none_or(|s| s.note == text);
        if unchanged {
            return;
        }
        self.submit(Edit::ChangeSpan {
            span,
            edit: SpanEdit {
                note: Some(text),
                ..SpanEdit::default()
            },
        });
    }

    pub(crate) fn judge(&mut self, accept: bool) {
        let Some(span) = self.session.selected() else {
            self.ui
                .status
                .info("Click a span first, then accept (A) or reject (R) it");
            return;
        };
        if span.annotator == GOLD {
            self.ui
                .status
                .info("That is a gold span; edit or delete it directly");
            return;
        }
        let span = span.id;
        let comment = std::mem::take(&mut self.ui.comment);
        self.submit(if accept {
            Edit::Accept { span, comment }
        } else {
            Edit::Reject { span, comment }
        });
    }

    pub(crate) fn accept_agreed(&mut self) {
        let Some(document) = self.session.open_document_id() else {
            return;
        };
        let annotators = self.session.review.compared_annotators();
        self.submit(Edit::AcceptAgreed {
            document,
            annotators,
        });
    }

    pub(crate) fn set_review_status(&mut self, status: ReviewStatus) {
        if let Some(document) = self.session.open_document_id() {
            self.submit(Edit::SetReviewStatus { document, status });
        }
    }
}

/// Links and attribute values.
impl StetApp {
    /// L: link mode from the selected span.
    pub(crate) fn start_link(&mut self) {
        let Some(span) = self.session.selected() else {
            self.ui
                .status
                .info("Click a span first, then press L and click the span it links to");
            return;
        };
        if self.session.scheme.relations.is_empty() {
            self.ui
                .status
                .error("The project's scheme has no relations to link spans with");
            return;
        }
        let (id, label) = (span.id, span.label.clone());
        if !self.check_may_edit(id) {
            return;
        }
        self.ui.linking = Some(id);
        self.ui.status.info(format!(
            "Linking from this {label}: click the span it links to (Esc cancels)"
        ));
    }

    /// The second span of link mode: links at once when one kind fits, asks when several do.
    pub(crate) fn link_to(&mut self, to: i64) {
        let Some(from) = self.ui.linking.take() else {
            return;
        };
        let spans = self.session.open_spans();
        let (Some(start), Some(end)) = (
            spans.iter().find(|s| s.id == from),
            spans.iter().find(|s| s.id == to),
        ) else {
            return;
        };
        if from == to {
            self.ui.linking = Some(from);
            self.ui
                .status
                .info("That is the span the link starts from: click another one");
            return;
        }
        let kinds: Vec<String> = self
            .session
            .scheme
            .relations_between(&start.label, &end.label)
            .map(|r| r.name.clone())
            .collect();
        match kinds.as_slice() {
            [] => {
                let message = format!(
                    "No relation links a {} to a {} in this scheme",
                    start.label, end.label
                );
                self.ui.status.error(message);
            }
            [kind] => {
                let kind = kind.clone();
                self.submit(Edit::AddRelation { kind, from, to });
            }
            _ => self.ui.link_choice = Some(super::ui_state::LinkChoice { from, to, kinds }),
        }
    }

    /// The chooser's answer.
    pub(crate) fn link_as(&mut self, kind: &str) {
        if let Some(choice) = self.ui.link_choice.take() {
            self.submit(Edit::AddRelation {
                kind: kind.to_owned(),
                from: choice.from,
                to: choice.to,
            });
        }
    }

    pub(crate) fn set_attribute(&mut self, name: String, value: Option<String>) {
        let Some(id) = self.session.selected_span else {
            return;
        };
        if !self.check_may_edit(id) {
            return;
        }
        self.submit(Edit::ChangeSpan {
            span: id,
            edit: SpanEdit {
                attribute: Some((name, value)),
                ..SpanEdit::default()
            },
        });
    }

    pub(crate) fn delete_relation(&mut self, relation: i64) {
        self.submit(Edit::DeleteRelation { relation });
    }

    /// V, or a click on an attribute: the next value of the list, unset after the last.
    pub(crate) fn cycle_attribute(&mut self, name: Option<&str>) {
        let Some(span) = self.session.selected() else {
            self.ui
                .status
                .info("Click a span first, then press V to cycle its attribute");
            return;
        };
        let Some(label) = self.session.scheme.label(&span.label) else {
            return;
        };
        let def = match name {
            Some(name) => label.attribute(name),
            None => label
                .attributes
                .iter()
                .find(|a| a.kind == crate::model::AttributeKind::Choice),
        };
        let Some(def) = def else {
            let message = format!("{} spans have no attribute to cycle", span.label);
            self.ui.status.info(message);
            return;
        };
        let next = def
            .next_value(span.attributes.get(&def.name).map(String::as_str))
            .map(str::to_owned);
        let (id, name) = (span.id, def.name.clone());
        if !self.check_may_edit(id) {
            return;
        }
        self.submit(Edit::ChangeSpan {
            span: id,
            edit: SpanEdit {
                attribute: Some((name, next)),
                ..SpanEdit::default()
            },
        });
    }
}
