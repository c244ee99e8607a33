//! Suggestions: spans (and `said_by` links) the recognisers propose, stored with origin
//! `suggested` in the layer of the annotator [`SUGGESTER`], so that they are never anyone's
//! tags. Adding them is idempotent: a proposal already there (as a suggestion, or as anyone's
//! span of the same range and label) or rejected before for the document is skipped.
//! Rejecting one deletes it and remembers it per document (`rejected_suggestions`);
//! accepting one makes it the analyst's own span (a logged edit, undoable like any other)
//! and removes the suggestion.
//!
//! Adding and rejecting suggestions are not edits of anyone's layer, so they are not in the
//! operation log (undo does not bring a rejected suggestion back; `stet suggest` does not
//! either, since it is remembered).

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{Connection, params};

use super::relations::{relation_with, remove_relation, write_relation};
use super::spans::{span_in, write_span};
use super::{Project, Result, StoreError};
use crate::model::{Attributes, CharRange, Origin, Relation, Span, Timestamp};

/// The annotator whose layer holds suggestions.
pub const SUGGESTER: &str = "stet";

/// A span to suggest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestedSpan {
    pub range: CharRange,
    pub label: String,
}

/// A link to suggest between two of the suggested spans (indices).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestedLink {
    pub kind: String,
    pub from: usize,
    pub to: usize,
}

/// What adding suggestions to a document did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuggestOutcome {
    /// New suggested spans per label.
    pub added: BTreeMap<String, usize>,
    pub relations_added: usize,
    /// Proposals skipped because they were rejected before.
    pub skipped_rejected: usize,
}

impl Project {
    /// Adds suggestions to a document in one transaction (see the module doc for what is
    /// skipped). Labels or relation kinds the project lacks are skipped too.
    pub fn add_suggestions(
        &mut self,
        document_id: i64,
        spans: &[SuggestedSpan],
        links: &[SuggestedLink],
    ) -> Result<SuggestOutcome> {
        let len = self.document_len(document_id)?;
        let scheme = self.scheme()?;
        let tx = self.write_tx()?;
        let mut outcome = SuggestOutcome::default();
        let present = ranges_present(&tx, document_id)?;
        let rejected = rejected_in(&tx, document_id)?;
        let now = Timestamp::now();
        // The stored suggestion for each proposal, when there is one.
        let mut ids: Vec<Option<i64>> = Vec::with_capacity(spans.len());
        for proposal in spans {
            let key = (proposal.range, proposal.label.clone());
            if proposal.range.validate(len).is_err() || scheme.label(&proposal.label).is_none() {
                ids.push(None);
                continue;
            }
            if rejected.contains(&key) {
                outcome.skipped_rejected += 1;
                ids.push(None);
                continue;
            }
            if let Some(existing) = present.get(&key) {
                ids.push(*existing);
                continue;
            }
            let span = Span {
                id: 0,
                uid: String::new(),
                document_id,
                range: proposal.range,
                label: proposal.label.clone(),
                annotator: SUGGESTER.to_owned(),
                note: String::new(),
                origin: Origin::Suggested,
                created_at: now,
                updated_at: now,
                attributes: Attributes::new(),
            };
            ids.push(Some(write_span(&tx, &span)?));
            *outcome.added.entry(proposal.label.clone()).or_default() += 1;
        }
        for link in links {
            let (Some(Some(from)), Some(Some(to))) = (ids.get(link.from), ids.get(link.to)) else {
                continue;
            };
            let fits = scheme
                .relation(&link.kind)
                .is_some_and(|def| def.fits(&spans[link.from].label, &spans[link.to].label));
            if !fits || from == to {
                continue;
            }
            let relation = Relation {
                id: 0,
                uid: String::new(),
                document_id,
                kind: link.kind.clone(),
                from: *from,
                to: *to,
                from_uid: String::new(),
                to_uid: String::new(),
                annotator: SUGGESTER.to_owned(),
                origin: Origin::Suggested,
                created_at: now,
            };
            if relation_with(&tx, &relation)?.is_none() {
                write_relation(&tx, &relation)?;
                outcome.relations_added += 1;
            }
        }
        tx.commit()?;
        Ok(outcome)
    }

    /// Rejects a suggestion: deletes it (with its links) and remembers, for its document,
    /// never to propose its range and label again. One edit in `annotator`'s log: undo puts
    /// the suggestion and its links back and forgets the rejection.
    pub fn reject_suggestion(&mut self, annotator: &str, span_id: i64) -> Result<Span> {
        let span = self.suggestion(span_id)?;
        self.apply_logged(annotator, |tx| {
            let ids: Vec<i64> = tx
                .prepare_cached("SELECT id FROM relations WHERE from_span = ?1 OR to_span = ?1")?
                .query_map([span_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut relations = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(relation) = super::relations::relation_in(tx, id)? {
                    relations.push(relation);
                }
            }
            let change = super::ops::Change::RejectSuggestion {
                span: span.clone(),
                relations,
            };
            reject_in(tx, &span)?;
            Ok((span.clone(), change))
        })
    }

    /// Accepts a suggestion as `annotator`'s own span (a logged edit) and removes the
    /// suggestion.
    pub fn accept_suggestion(&mut self, annotator: &str, span_id: i64) -> Result<Span> {
        let suggestion = self.suggestion(span_id)?;
        let own = match super::spans::span_with(
            &self.conn,
            annotator,
            suggestion.document_id,
            suggestion.range,
            &suggestion.label,
        )? {
            Some(id) => self.span(id)?,
            None => self.add_span(
                annotator,
                suggestion.document_id,
                suggestion.range,
                &suggestion.label,
                "",
            )?,
        };
        let tx = self.write_tx()?;
        remove_suggestion(&tx, span_id)?;
        tx.commit()?;
        Ok(own)
    }

    /// A document's suggestions, in reading order.
    pub fn suggestions(&self, document_id: i64) -> Result<Vec<Span>> {
        Ok(self
            .spans(document_id)?
            .into_iter()
            .filter(|s| s.origin == Origin::Suggested)
            .collect())
    }

    /// The span, refused unless it is a suggestion.
    fn suggestion(&self, span_id: i64) -> Result<Span> {
        let span = span_in(&self.conn, span_id)?.ok_or(StoreError::NoSpan(span_id))?;
        if span.origin != Origin::Suggested {
            return Err(StoreError::NotYours {
                owner: span.annotator,
            });
        }
        Ok(span)
    }
}

/// Every (range, label) of the document's spans, with the id of the suggestion holding it
/// (`None` when only someone's own span holds it).
fn ranges_present(
    conn: &Connection,
    document_id: i64,
) -> Result<HashMap<(CharRange, String), Option<i64>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.start, s.\"end\", l.name, s.origin, a.name
         FROM spans s JOIN labels l ON l.id = s.label_id
         JOIN annotators a ON a.id = s.annotator_id WHERE s.document_id = ?1",
    )?;
    let mut out: HashMap<(CharRange, String), Option<i64>> = HashMap::new();
    let mut rows = stmt.query([document_id])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let range = CharRange::new(
            row.get::<_, i64>(1)? as usize,
            row.get::<_, i64>(2)? as usize,
        );
        let label: String = row.get(3)?;
        let origin: String = row.get(4)?;
        let annotator: String = row.get(5)?;
        let suggestion = origin == Origin::Suggested.as_str() && annotator == SUGGESTER;
        let entry = out.entry((range, label)).or_insert(None);
        if suggestion {
            *entry = Some(id);
        }
    }
    Ok(out)
}

/// The (range, label) pairs rejected for a document.
fn rejected_in(conn: &Connection, document_id: i64) -> Result<HashSet<(CharRange, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.start, r.\"end\", l.name FROM rejected_suggestions r
         JOIN labels l ON l.id = r.label_id WHERE r.document_id = ?1",
    )?;
    let rows = stmt
        .query_map([document_id], |row| {
            Ok((
                CharRange::new(
                    row.get::<_, i64>(0)? as usize,
                    row.get::<_, i64>(1)? as usize,
                ),
                row.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<HashSet<_>>>()?;
    Ok(rows)
}

/// Deletes a suggestion and the links it is an end of.
/// Deletes a suggestion with its links and remembers its range and label as rejected in its
/// document.
pub(super) fn reject_in(conn: &Connection, span: &Span) -> Result<()> {
    remove_suggestion(conn, span.id)?;
    conn.prepare_cached(
        "INSERT INTO rejected_suggestions(document_id, start, \"end\", label_id, at)
         SELECT ?1, ?2, ?3, id, ?5 FROM labels WHERE name = ?4
         ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        span.document_id,
        span.range.start as i64,
        span.range.end as i64,
        span.label,
        Timestamp::now().0
    ])?;
    Ok(())
}

/// Undoes [`reject_in`]: the suggestion and its links back, the rejection forgotten.
pub(super) fn restore_in(conn: &Connection, span: &Span, relations: &[Relation]) -> Result<()> {
    if span_in(conn, span.id)?.is_none() {
        write_span(conn, span)?;
    }
    for relation in relations {
        let ends = span_in(conn, relation.from)?.is_some() && span_in(conn, relation.to)?.is_some();
        if ends && super::relations::relation_in(conn, relation.id)?.is_none() {
            write_relation(conn, relation)?;
        }
    }
    conn.prepare_cached(
        "DELETE FROM rejected_suggestions WHERE document_id = ?1 AND start = ?2
         AND \"end\" = ?3 AND label_id = (SELECT id FROM labels WHERE name = ?4)",
    )?
    .execute(params![
        span.document_id,
        span.range.start as i64,
        span.range.end as i64,
        span.label
    ])?;
    Ok(())
}

fn remove_suggestion(conn: &Connection, span_id: i64) -> Result<()> {
    let links: Vec<i64> = conn
        .prepare_cached("SELECT id FROM relations WHERE from_span = ?1 OR to_span = ?1")?
        .query_map([span_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in links {
        remove_relation(conn, id)?;
    }
    conn.prepare_cached("DELETE FROM spans WHERE id = ?1 AND origin = 'suggested'")?
        .execute([span_id])?;
    Ok(())
}
