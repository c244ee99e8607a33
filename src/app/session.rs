//! The session: the open project and what the window knows of it — the document list, the
//! open document with its spans, the review data, which layers show. Only applying
//! [`Command`](super::Command)s changes it (`commands.rs`); the views read it.

use std::collections::{BTreeSet, HashMap, HashSet};

use egui::Color32;

use super::article_view::{ArticleText, Emphasis, SpanMark};
use super::theme;
use super::writer::Writer;
use crate::model::{DocStatus, LabelScheme, Origin, Relation, Span};
use crate::review::layers::{Agreement, Compared, compare_layers};
use crate::store::{DocumentInfo, GOLD, Project, ReviewStatus, VerdictRecord};

/// The open project and what the window shows of it.
pub struct Session {
    /// The window's connection, for reading; edits go through `writer`.
    pub project: Project,
    pub writer: Writer,
    pub annotator: String,
    pub scheme: LabelScheme,
    pub documents: DocumentList,
    pub open: Option<OpenDocument>,
    /// The span the user clicked (details on the right; hotkeys relabel it).
    pub selected_span: Option<i64>,
    pub review: ReviewData,
    /// Whether undo and redo have something to do, refreshed after each edit.
    pub undo_redo: (bool, bool),
    /// The project's change counter as of the last read, to notice other programs' writes.
    pub seen_version: i64,
}

/// Reviewing: which layers show, compare mode, verdicts on the open document.
#[derive(Default)]
pub struct ReviewData {
    /// Everyone who has spans in the project (the gold layer included), sorted.
    pub annotators: Vec<String>,
    /// Layers the user switched off.
    pub hidden: BTreeSet<String>,
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
}

impl ReviewData {
    /// Whom review actions compare: the compared pair, or everyone but the gold layer.
    pub fn compared_annotators(&self) -> Vec<String> {
        match &self.compare {
            Some((a, b)) => vec![a.clone(), b.clone()],
            None => self
                .annotators
                .iter()
                .filter(|a| a.as_str() != GOLD)
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
    pub filter: DocumentFilter,
    /// Indices into `all` that pass the filter, recomputed when the filter or list changes.
    pub visible: Vec<usize>,
}

/// What the document list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentFilter {
    pub text: String,
    pub status: Option<DocStatus>,
}

impl DocumentList {
    /// Recomputes which documents pass the filter.
    pub fn refilter(&mut self) {
        let needle = self.filter.text.to_lowercase();
        self.visible = self
            .all
            .iter()
            .enumerate()
            .filter(|(_, doc)| {
                let status = self.statuses.get(&doc.id).copied().unwrap_or_default();
                self.filter.status.is_none_or(|s| s == status)
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

    /// The first document the list shows.
    pub fn first_visible(&self) -> Option<i64> {
        self.visible
            .first()
            .and_then(|&i| self.all.get(i))
            .map(|d| d.id)
    }
}

/// The document in the article view.
pub struct OpenDocument {
    pub info: DocumentInfo,
    /// What the reader kept about the document (a newswire's news code, a task's id).
    pub meta: serde_json::Map<String, serde_json::Value>,
    pub text: ArticleText,
    /// Every annotator's spans, in reading order.
    pub spans: Vec<Span>,
    /// Every layer's relations between those spans, in the order they were made.
    pub relations: Vec<Relation>,
    /// The spans as the view draws them, rebuilt when spans or the selection change.
    pub marks: Vec<SpanMark>,
    /// Bumped whenever `marks` is rebuilt, so the view knows to look again.
    pub marks_version: u64,
}

impl OpenDocument {
    /// The text of a span of this document.
    pub fn slice(&self, span: &Span) -> &str {
        self.text.index().slice(self.text.text(), span.range)
    }
}

impl Session {
    /// A session on an open project, showing its first document.
    pub fn new(
        project: Project,
        annotator: String,
        repaint: Option<egui::Context>,
    ) -> anyhow::Result<Self> {
        let scheme = project.scheme()?;
        let writer = Writer::start(project.path(), &annotator, repaint);
        let mut session = Self {
            project,
            writer,
            annotator,
            scheme,
            documents: DocumentList::default(),
            open: None,
            selected_span: None,
            review: ReviewData::default(),
            undo_redo: (false, false),
            seen_version: 0,
        };
        session.reload_documents()?;
        if let Some(first) = session.documents.all.first().map(|d| d.id) {
            session.open_document(first)?;
        }
        session.refresh_undo_redo();
        session.seen_version = session.project.data_version().unwrap_or(0);
        Ok(session)
    }

    /// The id of the document in the article view.
    pub fn open_document_id(&self) -> Option<i64> {
        self.open.as_ref().map(|d| d.info.id)
    }

    /// The open document's spans (empty when none is open).
    pub fn open_spans(&self) -> &[Span] {
        self.open.as_ref().map_or(&[], |d| d.spans.as_slice())
    }

    /// The selected span, if it is on the open document.
    pub fn selected(&self) -> Option<&Span> {
        let id = self.selected_span?;
        self.open_spans().iter().find(|s| s.id == id)
    }

    /// Whether the user may change a span: their own and the gold layer's, not colleagues'
    /// (those are reviewed with accept and reject). The store enforces it too.
    pub fn may_edit(&self, span: &Span) -> bool {
        span.annotator == self.annotator || span.annotator == GOLD
    }

    /// Reads the document list and my statuses again.
    pub fn reload_documents(&mut self) -> anyhow::Result<()> {
        self.documents.all = self.project.documents()?;
        self.documents.statuses = self.project.statuses(&self.annotator)?;
        self.documents.refilter();
        Ok(())
    }

    /// Shows a document in the article view.
    pub fn open_document(&mut self, id: i64) -> anyhow::Result<()> {
        let doc = self.project.document(id)?;
        let spans = self.project.spans(id)?;
        let relations = self.project.relations(id)?;
        self.open = Some(OpenDocument {
            info: doc.info,
            meta: doc.meta,
            text: ArticleText::new(doc.text),
            spans,
            relations,
            marks: Vec::new(),
            marks_version: 0,
        });
        self.selected_span = None;
        self.reload_review()?;
        self.rebuild_marks();
        Ok(())
    }

    /// Reads the open document's spans again after an edit.
    pub fn reload_spans(&mut self) -> anyhow::Result<()> {
        if let Some(open) = &mut self.open {
            open.spans = self.project.spans(open.info.id)?;
            open.relations = self.project.relations(open.info.id)?;
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

    /// After any edit: spans, counts, statuses and undo state are read again.
    pub fn after_edit(&mut self) -> anyhow::Result<()> {
        self.reload_spans()?;
        // An edit can move the document from todo to in progress: the list follows.
        self.documents.statuses = self.project.statuses(&self.annotator)?;
        self.documents.refilter();
        self.refresh_undo_redo();
        Ok(())
    }

    /// Reads the open document's verdicts and the project's annotators and review statuses.
    pub fn reload_review(&mut self) -> anyhow::Result<()> {
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
    pub fn refresh_undo_redo(&mut self) {
        self.undo_redo = self
            .project
            .undo_redo_available(&self.annotator)
            .unwrap_or((false, false));
    }

    /// Whether another program (or a background job) changed the project since the window
    /// last read it; remembers the new state.
    pub fn changed_elsewhere(&mut self) -> bool {
        match self.project.data_version() {
            Ok(version) if version != self.seen_version => {
                self.seen_version = version;
                true
            }
            _ => false,
        }
    }

    /// Marks what the window shows as up to date with the project.
    pub fn mark_seen(&mut self) {
        if let Ok(version) = self.project.data_version() {
            self.seen_version = version;
        }
    }

    /// Reads everything again that another program may have changed: labels, documents,
    /// the open document's spans and review data.
    pub fn reload_all(&mut self) -> anyhow::Result<()> {
        self.scheme = self.project.scheme()?;
        self.reload_documents()?;
        let open = self.open_document_id();
        match open {
            Some(id) if self.documents.all.iter().any(|d| d.id == id) => self.reload_spans()?,
            _ => {
                if let Some(first) = self.documents.all.first().map(|d| d.id) {
                    self.open_document(first)?;
                }
            }
        }
        self.refresh_undo_redo();
        Ok(())
    }

    /// Rebuilds what the view draws from the spans, labels and selection.
    pub fn rebuild_marks(&mut self) {
        let Some(open) = &mut self.open else {
            return;
        };
        let review = &mut self.review;
        review.compared = match &review.compare {
            Some((a, b)) => compare_layers(&open.spans, a, b),
            None => Vec::new(),
        };
        let agreeing: HashSet<i64> = review
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
                    "{} · {label} · {}: {}",
                    c.annotator,
                    c.agreement.label(),
                    super::words::quoted(text, 40)
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
                } else if span.origin == Origin::Suggested {
                    Emphasis::Suggested
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
        open.marks_version = open.marks_version.wrapping_add(1);
    }
}

/// What hovering a span shows: label, annotator with initials, attribute values, note,
/// verdicts.
fn span_tooltip(span: &Span, verdicts: &[&VerdictRecord]) -> String {
    let initials: String = span
        .annotator
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|part| part.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    let mut tooltip = format!("{} · {} ({initials})", span.label, span.annotator);
    for (name, value) in &span.attributes {
        tooltip.push_str(&format!("\n{name}: {value}"));
    }
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
