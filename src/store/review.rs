//! Review: a reviewer's verdicts on annotators' spans, the gold layer they build, and each
//! document's review status. Every change is logged, so it can be undone like any edit.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::ops::Change;
use super::relations::{
    RELATION_COLUMNS, read_relation, relation_in, relation_with, write_relation,
};
use super::spans::{remove_span, span_in, span_with, write_span};
use super::{Project, Result, StoreError, annotator_id_in};
use crate::model::{Origin, Relation, Span, Timestamp};

/// The annotator name of the adjudicated (gold) layer.
pub const GOLD: &str = "gold";

/// A reviewer's decision on one span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accepted,
    Rejected,
}

impl Verdict {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }

    fn parse(name: &str) -> Self {
        if name == "accepted" {
            Self::Accepted
        } else {
            Self::Rejected
        }
    }
}

/// A verdict as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictRecord {
    pub span_id: i64,
    pub reviewer: String,
    pub verdict: Verdict,
    pub comment: String,
    /// The gold span an acceptance put (or found) in the gold layer.
    pub gold_span_id: Option<i64>,
    pub at: Timestamp,
}

/// Where a document stands in review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    #[default]
    Unreviewed,
    InReview,
    Adjudicated,
}

impl ReviewStatus {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Unreviewed => "unreviewed",
            Self::InReview => "in_review",
            Self::Adjudicated => "adjudicated",
        }
    }

    /// Words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Unreviewed => "unreviewed",
            Self::InReview => "in review",
            Self::Adjudicated => "adjudicated",
        }
    }

    fn parse(name: &str) -> Self {
        match name {
            "in_review" => Self::InReview,
            "adjudicated" => Self::Adjudicated,
            _ => Self::Unreviewed,
        }
    }
}

/// A query for verdicts as [`read_verdict`] reads them, ending with `$tail` (more joins,
/// the condition, the order).
macro_rules! verdict_query {
    ($tail:literal) => {
        concat!(
            "SELECT v.span_id, a.name, v.verdict, v.comment, v.gold_span_id, v.at
             FROM verdicts v JOIN annotators a ON a.id = v.reviewer_id ",
            $tail
        )
    };
}

impl Project {
    /// Every verdict on the spans of a document.
    pub fn verdicts(&self, document_id: i64) -> Result<Vec<VerdictRecord>> {
        let mut stmt = self.conn.prepare_cached(verdict_query!(
            "JOIN spans s ON s.id = v.span_id
                 WHERE s.document_id = ?1 ORDER BY v.span_id, a.name"
        ))?;
        let rows = stmt
            .query_map([document_id], read_verdict)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Accepts a span into the gold layer (a copy, unless gold already has the same range and
    /// label), with an optional comment for its annotator.
    pub fn accept_span(&mut self, reviewer: &str, span_id: i64, comment: &str) -> Result<Span> {
        let span = self.span(span_id)?;
        let before = self.verdict(reviewer, span_id)?;
        let mut review = self.review_status(span.document_id)?;
        let gold_id = self.apply_logged(reviewer, |tx| {
            let (gold, changes) = accept_in(tx, reviewer, &span, comment, before, &mut review)?;
            Ok((gold, Change::Batch { changes }))
        })?;
        self.span(gold_id)
    }

    /// Rejects a span: it stays in its annotator's layer, marked rejected with the comment,
    /// and any gold copy this reviewer's earlier acceptance made is removed.
    pub fn reject_span(&mut self, reviewer: &str, span_id: i64, comment: &str) -> Result<()> {
        let span = self.span(span_id)?;
        let before = self.verdict(reviewer, span_id)?;
        let orphan = match before.as_ref().and_then(|v| v.gold_span_id) {
            Some(gold) if self.gold_links(gold)? <= 1 => self.span(gold).ok(),
            _ => None,
        };
        let review_before = self.review_status(span.document_id)?;
        self.apply_logged(reviewer, |tx| {
            let mut changes = Vec::new();
            if let Some(gold) = &orphan {
                remove_span(tx, gold.id)?;
                changes.push(Change::DeleteSpan { span: gold.clone() });
            }
            let judged = Judgement {
                span: &span,
                reviewer,
                verdict: Verdict::Rejected,
                comment,
                gold_span_id: None,
                before: before.clone(),
                review_before,
            };
            changes.extend(judged.write(tx)?);
            Ok(((), Change::Batch { changes }))
        })
    }

    /// Accepts, in one step, every span that all of `annotators` tagged with the same range
    /// and label in a document; returns how many gold spans that gave.
    pub fn accept_agreed(
        &mut self,
        reviewer: &str,
        document_id: i64,
        annotators: &[String],
    ) -> Result<usize> {
        let spans = self.spans(document_id)?;
        let mut groups: std::collections::BTreeMap<_, Vec<&Span>> = Default::default();
        for span in spans.iter().filter(|s| annotators.contains(&s.annotator)) {
            groups
                .entry((span.range, span.label.clone()))
                .or_default()
                .push(span);
        }
        let agreed: Vec<Vec<i64>> = groups
            .into_values()
            .filter(|group| {
                annotators
                    .iter()
                    .all(|a| group.iter().any(|s| &s.annotator == a))
            })
            .map(|group| group.iter().map(|s| s.id).collect())
            .collect();
        // My earlier acceptances stand; the rest are accepted together, as one undo step.
        let mut verdicts: std::collections::HashMap<i64, VerdictRecord> = self
            .verdicts(document_id)?
            .into_iter()
            .filter(|v| v.reviewer == reviewer)
            .map(|v| (v.span_id, v))
            .collect();
        let agreed_ids: std::collections::HashSet<i64> = agreed.iter().flatten().copied().collect();
        let to_accept: Vec<&Span> = spans
            .iter()
            .filter(|s| agreed_ids.contains(&s.id))
            .filter(|s| {
                verdicts
                    .get(&s.id)
                    .is_none_or(|v| v.verdict != Verdict::Accepted)
            })
            .collect();
        if !to_accept.is_empty() {
            let mut review = self.review_status(document_id)?;
            self.apply_logged(reviewer, |tx| {
                let mut changes = Vec::new();
                for span in to_accept {
                    let before = verdicts.remove(&span.id);
                    let (_, more) = accept_in(tx, reviewer, span, "", before, &mut review)?;
                    changes.extend(more);
                }
                Ok(((), Change::Batch { changes }))
            })?;
        }
        Ok(agreed.len())
    }

    /// A document's review status.
    pub fn review_status(&self, document_id: i64) -> Result<ReviewStatus> {
        let status: Option<String> = self
            .conn
            .query_row(
                "SELECT status FROM document_review WHERE document_id = ?1",
                [document_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(status.map_or(ReviewStatus::Unreviewed, |s| ReviewStatus::parse(&s)))
    }

    /// Every document's review status (unreviewed ones are absent).
    pub fn review_statuses(&self) -> Result<std::collections::HashMap<i64, ReviewStatus>> {
        let mut stmt = self
            .conn
            .prepare("SELECT document_id, status FROM document_review")?;
        let rows = stmt
            .query_map([], |r| {
                let status: String = r.get(1)?;
                Ok((r.get(0)?, ReviewStatus::parse(&status)))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Sets a document's review status (logged for undo under the reviewer's name).
    pub fn set_review_status(
        &mut self,
        reviewer: &str,
        document_id: i64,
        status: ReviewStatus,
    ) -> Result<()> {
        self.document_len(document_id)?;
        let before = self.review_status(document_id)?;
        if before == status {
            return Ok(());
        }
        self.apply_logged(reviewer, |tx| {
            write_review_status(tx, document_id, status)?;
            Ok((
                (),
                Change::SetReviewStatus {
                    document_id,
                    before,
                    after: status,
                },
            ))
        })
    }

    fn verdict(&self, reviewer: &str, span_id: i64) -> Result<Option<VerdictRecord>> {
        Ok(self
            .conn
            .prepare_cached(verdict_query!("WHERE v.span_id = ?1 AND a.name = ?2"))?
            .query_row(params![span_id, reviewer], read_verdict)
            .optional()?)
    }

    /// How many acceptances point at a gold span.
    fn gold_links(&self, gold_span_id: i64) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM verdicts WHERE gold_span_id = ?1 AND verdict = 'accepted'",
            [gold_span_id],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }
}

/// A verdict about to be written, with what it replaces.
struct Judgement<'a> {
    span: &'a Span,
    reviewer: &'a str,
    verdict: Verdict,
    comment: &'a str,
    gold_span_id: Option<i64>,
    before: Option<VerdictRecord>,
    review_before: ReviewStatus,
}

impl Judgement<'_> {
    /// Writes the verdict (and moves an unreviewed document into review); returns the
    /// changes made, for the log.
    fn write(self, tx: &rusqlite::Connection) -> Result<Vec<Change>> {
        let span_id = self.span.id;
        let document_id = self.span.document_id;
        let after = VerdictRecord {
            span_id,
            reviewer: self.reviewer.to_owned(),
            verdict: self.verdict,
            comment: self.comment.to_owned(),
            gold_span_id: self.gold_span_id,
            at: Timestamp::now(),
        };
        write_verdict(tx, span_id, self.reviewer, Some(&after))?;
        let mut changes = vec![Change::SetVerdict {
            document_id,
            span_id,
            reviewer: self.reviewer.to_owned(),
            before: self.before,
            after: Some(after),
        }];
        if self.review_before == ReviewStatus::Unreviewed {
            write_review_status(tx, document_id, ReviewStatus::InReview)?;
            changes.push(Change::SetReviewStatus {
                document_id,
                before: self.review_before,
                after: ReviewStatus::InReview,
            });
        }
        Ok(changes)
    }
}

/// Accepts `span` inside an edit's transaction: finds or makes its gold copy and writes the
/// verdict (and the document's move into review, which `review` then records). Returns the
/// gold span's id and the changes, for the edit's log entry.
fn accept_in(
    tx: &rusqlite::Transaction<'_>,
    reviewer: &str,
    span: &Span,
    comment: &str,
    before: Option<VerdictRecord>,
    review: &mut ReviewStatus,
) -> Result<(i64, Vec<Change>)> {
    let mut changes = Vec::new();
    let gold = match span_with(tx, GOLD, span.document_id, span.range, &span.label)? {
        Some(gold) => gold,
        None => {
            let now = Timestamp::now();
            let copy = Span {
                id: 0,
                uid: String::new(),
                annotator: GOLD.to_owned(),
                origin: Origin::Adjudicated,
                created_at: now,
                updated_at: now,
                ..span.clone()
            };
            let id = write_span(tx, &copy)?;
            let stored = span_in(tx, id)?.ok_or(StoreError::NoSpan(id))?;
            changes.push(Change::AddSpan { span: stored });
            id
        }
    };
    let judged = Judgement {
        span,
        reviewer,
        verdict: Verdict::Accepted,
        comment,
        gold_span_id: Some(gold),
        before,
        review_before: *review,
    };
    changes.extend(judged.write(tx)?);
    changes.extend(accept_relations(tx, span, gold)?);
    if *review == ReviewStatus::Unreviewed {
        *review = ReviewStatus::InReview;
    }
    Ok((gold, changes))
}

/// The relations of an accepted span whose other end is in gold already come into gold too
/// (a quote accepted after its source brings its `said_by`), between the gold copies.
fn accept_relations(tx: &rusqlite::Transaction<'_>, span: &Span, gold: i64) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {RELATION_COLUMNS} WHERE r.from_span = ?1 OR r.to_span = ?1 ORDER BY r.id"
    ))?;
    let relations = stmt
        .query_map([span.id], read_relation)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for relation in relations {
        let other_id = if relation.from == span.id {
            relation.to
        } else {
            relation.from
        };
        let Some(other) = span_in(tx, other_id)? else {
            continue;
        };
        let Some(other_gold) = span_with(tx, GOLD, other.document_id, other.range, &other.label)?
        else {
            continue;
        };
        let (from, to) = if relation.from == span.id {
            (gold, other_gold)
        } else {
            (other_gold, gold)
        };
        let (Some(from_span), Some(to_span)) = (span_in(tx, from)?, span_in(tx, to)?) else {
            continue;
        };
        let copy = Relation {
            id: 0,
            uid: String::new(),
            from,
            to,
            from_uid: from_span.uid,
            to_uid: to_span.uid,
            annotator: GOLD.to_owned(),
            origin: Origin::Adjudicated,
            created_at: Timestamp::now(),
            ..relation
        };
        if relation_with(tx, &copy)?.is_some() {
            continue;
        }
        let id = write_relation(tx, &copy)?;
        if let Some(stored) = relation_in(tx, id)? {
            changes.push(Change::AddRelation { relation: stored });
        }
    }
    Ok(changes)
}

fn read_verdict(row: &rusqlite::Row<'_>) -> rusqlite::Result<VerdictRecord> {
    let verdict: String = row.get(2)?;
    Ok(VerdictRecord {
        span_id: row.get(0)?,
        reviewer: row.get(1)?,
        verdict: Verdict::parse(&verdict),
        comment: row.get(3)?,
        gold_span_id: row.get(4)?,
        at: Timestamp(row.get(5)?),
    })
}

/// The verdicts deleting span `span_id` takes with it: those on the span, and those whose
/// gold copy it is (the schema removes the first and unlinks the second). As changes that do
/// the same, so that the deletion's undo puts them back.
pub(super) fn verdicts_lost_with(
    conn: &rusqlite::Connection,
    document_id: i64,
    span_id: i64,
) -> Result<Vec<Change>> {
    let mut stmt = conn.prepare_cached(verdict_query!(
        "WHERE v.span_id = ?1 OR v.gold_span_id = ?1 ORDER BY v.span_id, a.name"
    ))?;
    let verdicts = stmt
        .query_map([span_id], read_verdict)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(verdicts
        .into_iter()
        .map(|before| {
            let after = (before.span_id != span_id).then(|| VerdictRecord {
                gold_span_id: None,
                ..before.clone()
            });
            Change::SetVerdict {
                document_id,
                span_id: before.span_id,
                reviewer: before.reviewer.clone(),
                before: Some(before),
                after,
            }
        })
        .collect())
}

/// Writes (or with `None` removes) one reviewer's verdict on a span.
pub(super) fn write_verdict(
    conn: &rusqlite::Connection,
    span_id: i64,
    reviewer: &str,
    verdict: Option<&VerdictRecord>,
) -> Result<()> {
    let reviewer_id = annotator_id_in(conn, reviewer)?;
    match verdict {
        None => {
            conn.execute(
                "DELETE FROM verdicts WHERE span_id = ?1 AND reviewer_id = ?2",
                params![span_id, reviewer_id],
            )?;
        }
        Some(v) => {
            // The span may be gone (undoing a verdict after its span was deleted).
            if span_in(conn, span_id)?.is_none() {
                return Ok(());
            }
            let gold = match v.gold_span_id {
                Some(id) if span_in(conn, id)?.is_some() => Some(id),
                _ => None,
            };
            conn.execute(
                "INSERT INTO verdicts(span_id, reviewer_id, verdict, comment, gold_span_id, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(span_id, reviewer_id) DO UPDATE SET verdict = excluded.verdict,
                   comment = excluded.comment, gold_span_id = excluded.gold_span_id,
                   at = excluded.at",
                params![
                    span_id,
                    reviewer_id,
                    v.verdict.as_str(),
                    v.comment,
                    gold,
                    v.at.0
                ],
            )?;
        }
    }
    Ok(())
}

/// Writes a document's review status (unreviewed removes the row).
pub(super) fn write_review_status(
    conn: &rusqlite::Connection,
    document_id: i64,
    status: ReviewStatus,
) -> Result<()> {
    if status == ReviewStatus::Unreviewed {
        conn.execute(
            "DELETE FROM document_review WHERE document_id = ?1",
            [document_id],
        )?;
    } else {
        conn.execute(
            "INSERT INTO document_review(document_id, status, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(document_id) DO UPDATE SET status = excluded.status,
               updated_at = excluded.updated_at",
            params![document_id, status.as_str(), Timestamp::now().0],
        )?;
    }
    Ok(())
}
