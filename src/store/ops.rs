//! The operation log: every edit a user makes is recorded with enough to reverse it, which
//! serves undo/redo (per annotator, across documents and restarts) and the audit trail.
//!
//! Each op has a state: `done`, `undone` (on the redo stack), `dead` (undone, then
//! superseded by a new edit) or `final` (recorded for the audit trail only, like imports).

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use super::merge::MergeLog;
use super::relations::{relation_in, remove_relation, write_relation};
use super::review::{ReviewStatus, VerdictRecord, write_review_status, write_verdict};
use super::spans::{remove_span, span_in, write_span, write_status};
use super::{Project, Result, StoreError, annotator_id_in};
use crate::model::{DocStatus, Relation, Span, Timestamp};

/// A reversible change, stored as the op's payload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum Change {
    AddSpan {
        span: Span,
    },
    DeleteSpan {
        span: Span,
    },
    EditSpan {
        before: Span,
        after: Span,
    },
    SetStatus {
        document_id: i64,
        annotator: String,
        before: DocStatus,
        after: DocStatus,
    },
    SetVerdict {
        document_id: i64,
        span_id: i64,
        reviewer: String,
        before: Option<VerdictRecord>,
        after: Option<VerdictRecord>,
    },
    SetReviewStatus {
        document_id: i64,
        before: ReviewStatus,
        after: ReviewStatus,
    },
    /// Several changes made as one edit (accepting a span adds its gold copy and a verdict).
    Batch {
        changes: Vec<Change>,
    },
    AddRelation {
        relation: Relation,
    },
    DeleteRelation {
        relation: Relation,
    },
    /// A merge of a colleague's work: recorded for the audit trail and for later merges'
    /// history, never undone.
    Merge(MergeLog),
    /// A suggestion rejected (deleted with its links, remembered as rejected).
    RejectSuggestion {
        span: Span,
        relations: Vec<Relation>,
    },
    /// A rejected suggestion put back (the undo of a rejection).
    RestoreSuggestion {
        span: Span,
        relations: Vec<Relation>,
    },
}

/// What kind of edit an op was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    AddSpan,
    DeleteSpan,
    EditSpan,
    SetStatus,
    Review,
    AddRelation,
    DeleteRelation,
    Merge,
}

/// What an undo or redo changed, so the app can show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpOutcome {
    pub kind: OpKind,
    pub document_id: i64,
    /// The span the op was about, if any (it may no longer exist after the undo).
    pub span_id: Option<i64>,
    /// One line for the status bar: "tag claim 10..24".
    pub summary: String,
}

impl Change {
    fn kind(&self) -> OpKind {
        match self {
            Self::AddSpan { .. } => OpKind::AddSpan,
            Self::DeleteSpan { .. } => OpKind::DeleteSpan,
            Self::EditSpan { .. } => OpKind::EditSpan,
            Self::SetStatus { .. } => OpKind::SetStatus,
            Self::Batch { .. } if self.is_deletion() => OpKind::DeleteSpan,
            Self::SetVerdict { .. } | Self::SetReviewStatus { .. } | Self::Batch { .. } => {
                OpKind::Review
            }
            Self::AddRelation { .. } => OpKind::AddRelation,
            Self::DeleteRelation { .. } => OpKind::DeleteRelation,
            Self::Merge(_) => OpKind::Merge,
            Self::RejectSuggestion { .. } => OpKind::DeleteSpan,
            Self::RestoreSuggestion { .. } => OpKind::AddSpan,
        }
    }

    /// A span's deletion together with the review verdicts it took along (still a deletion
    /// for the log and the app).
    fn is_deletion(&self) -> bool {
        match self {
            Self::DeleteSpan { .. } => true,
            Self::Batch { changes } => matches!(changes.last(), Some(Self::DeleteSpan { .. })),
            _ => false,
        }
    }

    fn kind_name(&self) -> &'static str {
        match self {
            Self::AddSpan { .. } => "add_span",
            Self::DeleteSpan { .. } => "delete_span",
            Self::EditSpan { .. } => "edit_span",
            Self::SetStatus { .. } => "set_status",
            Self::SetVerdict { .. } => "set_verdict",
            Self::SetReviewStatus { .. } => "set_review_status",
            Self::Batch { .. } if self.is_deletion() => "delete_span",
            Self::Batch { .. } => "review",
            Self::AddRelation { .. } => "add_relation",
            Self::DeleteRelation { .. } => "delete_relation",
            Self::Merge(_) => "merge",
            Self::RejectSuggestion { .. } => "reject_suggestion",
            Self::RestoreSuggestion { .. } => "restore_suggestion",
        }
    }

    /// The document the change is about (none for a merge).
    fn document_id(&self) -> Option<i64> {
        match self {
            Self::AddSpan { span }
            | Self::DeleteSpan { span }
            | Self::RejectSuggestion { span, .. }
            | Self::RestoreSuggestion { span, .. } => Some(span.document_id),
            Self::EditSpan { after, .. } => Some(after.document_id),
            Self::SetStatus { document_id, .. }
            | Self::SetVerdict { document_id, .. }
            | Self::SetReviewStatus { document_id, .. } => Some(*document_id),
            Self::Batch { changes } => changes.first().and_then(Change::document_id),
            Self::AddRelation { relation } | Self::DeleteRelation { relation } => {
                Some(relation.document_id)
            }
            Self::Merge(_) => None,
        }
    }

    /// Every copy of a span the change holds (before and after an edit, a deleted one…),
    /// and for a merge the versions it replaced: what the span's history was.
    pub(super) fn span_copies<'c>(&'c self, out: &mut Vec<SpanCopy<'c>>) {
        match self {
            Self::AddSpan { span } | Self::DeleteSpan { span } => out.push(SpanCopy::Span(span)),
            // Suggestions are never merged: no history to keep.
            Self::RejectSuggestion { .. } | Self::RestoreSuggestion { .. } => {}
            Self::EditSpan { before, after } => {
                out.push(SpanCopy::Span(before));
                out.push(SpanCopy::Span(after));
            }
            Self::Batch { changes } => {
                for change in changes {
                    change.span_copies(out);
                }
            }
            Self::AddRelation { relation } | Self::DeleteRelation { relation } => {
                out.push(SpanCopy::Relation(relation));
            }
            Self::Merge(log) => {
                for (uid, version) in &log.history {
                    out.push(SpanCopy::Version { uid, version });
                }
            }
            Self::SetStatus { .. } | Self::SetVerdict { .. } | Self::SetReviewStatus { .. } => {}
        }
    }

    fn span_id(&self) -> Option<i64> {
        match self {
            Self::AddSpan { span }
            | Self::DeleteSpan { span }
            | Self::RejectSuggestion { span, .. }
            | Self::RestoreSuggestion { span, .. } => Some(span.id),
            Self::EditSpan { after, .. } => Some(after.id),
            Self::SetVerdict { span_id, .. } => Some(*span_id),
            Self::SetStatus { .. } | Self::SetReviewStatus { .. } => None,
            Self::Batch { changes } => changes.iter().rev().find_map(Change::span_id),
            Self::AddRelation { relation } | Self::DeleteRelation { relation } => {
                Some(relation.from)
            }
            Self::Merge(_) => None,
        }
    }

    /// The change that reverses this one.
    fn inverse(&self) -> Self {
        match self.clone() {
            Self::AddSpan { span } => Self::DeleteSpan { span },
            Self::DeleteSpan { span } => Self::AddSpan { span },
            Self::EditSpan { before, after } => Self::EditSpan {
                before: after,
                after: before,
            },
            Self::SetStatus {
                document_id,
                annotator,
                before,
                after,
            } => Self::SetStatus {
                document_id,
                annotator,
                before: after,
                after: before,
            },
            Self::SetVerdict {
                document_id,
                span_id,
                reviewer,
                before,
                after,
            } => Self::SetVerdict {
                document_id,
                span_id,
                reviewer,
                before: after,
                after: before,
            },
            Self::SetReviewStatus {
                document_id,
                before,
                after,
            } => Self::SetReviewStatus {
                document_id,
                before: after,
                after: before,
            },
            Self::Batch { changes } => Self::Batch {
                changes: changes.iter().rev().map(Change::inverse).collect(),
            },
            Self::AddRelation { relation } => Self::DeleteRelation { relation },
            Self::DeleteRelation { relation } => Self::AddRelation { relation },
            Self::RejectSuggestion { span, relations } => {
                Self::RestoreSuggestion { span, relations }
            }
            Self::RestoreSuggestion { span, relations } => {
                Self::RejectSuggestion { span, relations }
            }
            // A merge is final: the log never offers it for undo.
            merge @ Self::Merge(_) => merge,
        }
    }

    /// Words for the status bar.
    fn summary(&self) -> String {
        match self {
            Self::AddSpan { span } => format!("tag {} {}", span.label, span.range),
            Self::DeleteSpan { span } => format!("delete {} {}", span.label, span.range),
            Self::EditSpan { before, after } if before.label != after.label => {
                format!("relabel {} → {}", before.label, after.label)
            }
            Self::EditSpan { before, after } if before.range != after.range => {
                format!("resize {} → {}", before.range, after.range)
            }
            Self::EditSpan { .. } => "edit note".to_owned(),
            Self::SetStatus { after, .. } => format!("mark {}", after.label()),
            Self::SetVerdict { after: Some(v), .. } => v.verdict.as_str().to_owned(),
            Self::SetVerdict { after: None, .. } => "clear verdict".to_owned(),
            Self::SetReviewStatus { after, .. } => format!("review {}", after.label()),
            Self::Batch { changes } => changes
                .iter()
                .map(Change::summary)
                .collect::<Vec<_>>()
                .join(", "),
            Self::AddRelation { relation } => format!("link {}", relation.kind),
            Self::DeleteRelation { relation } => format!("unlink {}", relation.kind),
            Self::Merge(log) => format!("merge {}", log.source),
            Self::RejectSuggestion { span, .. } => {
                format!("reject suggested {} {}", span.label, span.range)
            }
            Self::RestoreSuggestion { span, .. } => {
                format!("restore suggested {} {}", span.label, span.range)
            }
        }
    }

    /// Writes the change's result into the project.
    fn apply(&self, tx: &Transaction<'_>) -> Result<()> {
        match self {
            Self::AddSpan { span } => {
                if span_in(tx, span.id)?.is_none() {
                    write_span(tx, span)?;
                }
            }
            Self::DeleteSpan { span } => remove_span(tx, span.id)?,
            Self::EditSpan { after, .. } => {
                if span_in(tx, after.id)?.is_some() {
                    write_span(tx, after)?;
                }
            }
            Self::SetStatus {
                document_id,
                annotator,
                after,
                ..
            } => {
                let annotator_id = annotator_id_in(tx, annotator)?;
                write_status(tx, *document_id, annotator_id, *after)?;
            }
            Self::SetVerdict {
                span_id,
                reviewer,
                after,
                ..
            } => write_verdict(tx, *span_id, reviewer, after.as_ref())?,
            Self::SetReviewStatus {
                document_id, after, ..
            } => write_review_status(tx, *document_id, *after)?,
            Self::Batch { changes } => {
                for change in changes {
                    change.apply(tx)?;
                }
            }
            Self::AddRelation { relation } => {
                if relation_in(tx, relation.id)?.is_none() {
                    write_relation(tx, relation)?;
                }
            }
            Self::DeleteRelation { relation } => remove_relation(tx, relation.id)?,
            Self::RejectSuggestion { span, .. } => super::suggestions::reject_in(tx, span)?,
            Self::RestoreSuggestion { span, relations } => {
                super::suggestions::restore_in(tx, span, relations)?;
            }
            Self::Merge(_) => {
                return Err(StoreError::CorruptOp {
                    id: 0,
                    message: "a merge cannot be undone or redone".into(),
                });
            }
        }
        Ok(())
    }
}

/// One copy of a span in the log: the whole span, or (from a merge) its uid and a version.
pub(super) enum SpanCopy<'c> {
    Span(&'c Span),
    Relation(&'c Relation),
    Version { uid: &'c str, version: &'c str },
}

impl Project {
    /// Runs one edit in one transaction and records it in the log; the annotator's redo
    /// stack is cleared.
    pub(super) fn apply_logged<T>(
        &mut self,
        annotator: &str,
        edit: impl FnOnce(&Transaction<'_>) -> Result<(T, Change)>,
    ) -> Result<T> {
        let tx = self.write_tx()?;
        let (value, change) = edit(&tx)?;
        let annotator_id = annotator_id_in(&tx, annotator)?;
        tx.execute(
            "UPDATE ops SET state = 'dead' WHERE annotator_id = ?1 AND state = 'undone'",
            [annotator_id],
        )?;
        insert_op(&tx, annotator_id, &change, "done")?;
        tx.commit()?;
        Ok(value)
    }

    /// Reverses the annotator's latest edit that is not yet undone.
    pub fn undo(&mut self, annotator: &str) -> Result<Option<OpOutcome>> {
        self.step(annotator, Direction::Undo)
    }

    /// Re-applies the annotator's most recently undone edit.
    pub fn redo(&mut self, annotator: &str) -> Result<Option<OpOutcome>> {
        self.step(annotator, Direction::Redo)
    }

    /// Whether the annotator has an edit to undo and one to redo.
    pub fn undo_redo_available(&self, annotator: &str) -> Result<(bool, bool)> {
        let Some(annotator_id) = self.annotator_id(annotator)? else {
            return Ok((false, false));
        };
        let count = |state: &str| -> Result<bool> {
            Ok(self
                .conn
                .prepare_cached(
                    "SELECT EXISTS(SELECT 1 FROM ops WHERE annotator_id = ?1 AND state = ?2)",
                )?
                .query_row(params![annotator_id, state], |r| r.get(0))?)
        };
        Ok((count("done")?, count("undone")?))
    }

    fn step(&mut self, annotator: &str, direction: Direction) -> Result<Option<OpOutcome>> {
        let Some(annotator_id) = self.annotator_id(annotator)? else {
            return Ok(None);
        };
        let (from_state, to_state, order) = match direction {
            Direction::Undo => ("done", "undone", "DESC"),
            Direction::Redo => ("undone", "done", "ASC"),
        };
        let tx = self.write_tx()?;
        let row: Option<(i64, String)> = tx
            .query_row(
                &format!(
                    "SELECT id, payload_json FROM ops WHERE annotator_id = ?1 AND state = ?2
                     ORDER BY id {order} LIMIT 1"
                ),
                params![annotator_id, from_state],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((op_id, payload)) = row else {
            return Ok(None);
        };
        let change: Change =
            serde_json::from_str(&payload).map_err(|err| StoreError::CorruptOp {
                id: op_id,
                message: err.to_string(),
            })?;
        let applied = match direction {
            Direction::Undo => change.inverse(),
            Direction::Redo => change.clone(),
        };
        applied.apply(&tx)?;
        tx.execute(
            "UPDATE ops SET state = ?1 WHERE id = ?2",
            params![to_state, op_id],
        )?;
        tx.commit()?;
        Ok(Some(OpOutcome {
            kind: change.kind(),
            document_id: change.document_id().unwrap_or(0),
            span_id: change.span_id(),
            summary: change.summary(),
        }))
    }
}

impl Project {
    /// The annotator's id, if they have ever worked here.
    pub(super) fn annotator_id(&self, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM annotators WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }
}

/// Reads every log entry that holds spans (edits, deletions, review steps, merges), in log
/// order, for `each` to take the span copies from.
pub(super) fn read_span_changes(
    conn: &rusqlite::Connection,
    each: &mut dyn FnMut(&Change),
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, payload_json FROM ops
         WHERE kind IN ('add_span', 'delete_span', 'edit_span', 'review', 'merge',
                        'add_relation', 'delete_relation')
         ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let payload = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        let change: Change =
            serde_json::from_str(payload).map_err(|err| StoreError::CorruptOp {
                id,
                message: err.to_string(),
            })?;
        each(&change);
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Direction {
    Undo,
    Redo,
}

/// Writes a log entry.
pub(super) fn insert_op(
    tx: &Transaction<'_>,
    annotator_id: i64,
    change: &Change,
    state: &str,
) -> Result<()> {
    let payload = serde_json::to_string(change).map_err(|err| StoreError::CorruptOp {
        id: 0,
        message: err.to_string(),
    })?;
    tx.prepare_cached(
        "INSERT INTO ops(at, annotator_id, document_id, kind, payload_json, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        Timestamp::now().0,
        annotator_id,
        change.document_id(),
        change.kind_name(),
        payload,
        state
    ])?;
    Ok(())
}
