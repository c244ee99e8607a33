//! Relations: links of a kind from one span to another of the same document, in one
//! annotator's layer (or the gold layer). Adding and deleting one is a logged edit; deleting
//! a span takes its relations with it, and undoing that brings them back.

use rusqlite::{Connection, OptionalExtension, params};

use super::ops::Change;
use super::review::GOLD;
use super::spans::span_in;
use super::{Project, Result, StoreError, annotator_id_in};
use crate::model::{LabelScheme, Origin, Relation, Span, Timestamp};

/// The columns [`read_relation`] reads, with their joins; append a `WHERE` clause.
pub(super) const RELATION_COLUMNS: &str = "r.id, r.uid, r.document_id, k.name, r.from_span,
     r.to_span, f.uid, t.uid, a.name, r.origin, r.created_at
     FROM relations r JOIN relation_kinds k ON k.id = r.kind_id
     JOIN spans f ON f.id = r.from_span JOIN spans t ON t.id = r.to_span
     JOIN annotators a ON a.id = r.annotator_id";

/// Reads a relation from a row selected with [`RELATION_COLUMNS`].
pub(super) fn read_relation(row: &rusqlite::Row<'_>) -> rusqlite::Result<Relation> {
    Ok(Relation {
        id: row.get(0)?,
        uid: row.get(1)?,
        document_id: row.get(2)?,
        kind: row.get(3)?,
        from: row.get(4)?,
        to: row.get(5)?,
        from_uid: row.get(6)?,
        to_uid: row.get(7)?,
        annotator: row.get(8)?,
        origin: Origin::parse(row.get_ref(9)?.as_str()?),
        created_at: Timestamp(row.get(10)?),
    })
}

impl Project {
    /// How many relations the project holds (cheap: lets readers skip looking for them).
    pub fn relation_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM relations")?
            .query_row([], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// A document's relations by every annotator, in the order they were made.
    pub fn relations(&self, document_id: i64) -> Result<Vec<Relation>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RELATION_COLUMNS} WHERE r.document_id = ?1 ORDER BY r.id"
        ))?;
        let relations = stmt
            .query_map([document_id], read_relation)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(relations)
    }

    /// Links span `from` to span `to` with a relation of `kind` in `annotator`'s layer. Both
    /// spans must be of one layer the annotator may edit (their own, or gold), on one
    /// document, with labels the kind allows.
    pub fn add_relation(
        &mut self,
        annotator: &str,
        kind: &str,
        from: i64,
        to: i64,
    ) -> Result<Relation> {
        let from_span = self.span(from)?;
        let to_span = self.span(to)?;
        let scheme = self.scheme()?;
        let ends = (LinkEnd::of(&from_span), LinkEnd::of(&to_span));
        if let Some(problem) = link_problem(&scheme, kind, ends) {
            return Err(StoreError::Relation(problem));
        }
        let layer = relation_layer(annotator, &from_span, &to_span)?;
        let relation = Relation {
            id: 0,
            uid: String::new(),
            document_id: from_span.document_id,
            kind: kind.to_owned(),
            from,
            to,
            from_uid: from_span.uid.clone(),
            to_uid: to_span.uid.clone(),
            annotator: layer.to_owned(),
            origin: Origin::Manual,
            created_at: Timestamp::now(),
        };
        let id = self.apply_logged(annotator, |tx| {
            if let Some(existing) = relation_with(tx, &relation)? {
                return Err(StoreError::Relation(format!(
                    "those spans are already linked by {kind} (relation {existing})"
                )));
            }
            let id = write_relation(tx, &relation)?;
            let stored = relation_in(tx, id)?.ok_or(StoreError::NoSpan(id))?;
            Ok((id, Change::AddRelation { relation: stored }))
        })?;
        relation_in(&self.conn, id)?.ok_or(StoreError::NoSpan(id))
    }

    /// Deletes a relation of a layer the annotator may edit.
    pub fn delete_relation(&mut self, annotator: &str, id: i64) -> Result<Relation> {
        let relation = relation_in(&self.conn, id)?
            .ok_or_else(|| StoreError::Relation(format!("no relation with id {id}")))?;
        if relation.annotator != annotator && relation.annotator != GOLD {
            return Err(StoreError::NotYours {
                owner: relation.annotator.clone(),
            });
        }
        self.apply_logged(annotator, |tx| {
            remove_relation(tx, id)?;
            Ok((
                (),
                Change::DeleteRelation {
                    relation: relation.clone(),
                },
            ))
        })?;
        Ok(relation)
    }
}

/// One end of a link, as [`link_problem`] judges it.
#[derive(Clone, Copy)]
pub(super) struct LinkEnd<'a> {
    pub id: i64,
    pub label: &'a str,
    pub annotator: &'a str,
}

impl<'a> LinkEnd<'a> {
    fn of(span: &'a Span) -> Self {
        Self {
            id: span.id,
            label: &span.label,
            annotator: &span.annotator,
        }
    }
}

/// Why a relation of `kind` may not link these ends: itself, two layers, a kind the scheme
/// lacks, or labels the kind does not allow. The window's links and imports both ask.
pub(super) fn link_problem(
    scheme: &LabelScheme,
    kind: &str,
    (from, to): (LinkEnd<'_>, LinkEnd<'_>),
) -> Option<String> {
    if from.id == to.id {
        return Some("a span cannot be linked to itself".into());
    }
    if from.annotator != to.annotator {
        return Some(format!(
            "a relation links two spans of one layer, not {}'s to {}'s",
            from.annotator, to.annotator
        ));
    }
    let Some(def) = scheme.relation(kind) else {
        let known: Vec<&str> = scheme.relations.iter().map(|r| r.name.as_str()).collect();
        return Some(if known.is_empty() {
            format!("the project has no relation {kind:?} (its scheme has none)")
        } else {
            format!(
                "the project has no relation {kind:?} ({})",
                known.join(", ")
            )
        });
    };
    (!def.fits(from.label, to.label)).then(|| {
        format!(
            "{kind} links {} to {}, not {} to {}",
            def.from.join("/"),
            def.to.join("/"),
            from.label,
            to.label
        )
    })
}

/// The layer a relation between these spans belongs to (both ends are of one layer, checked
/// by [`link_problem`]): the annotator's own, or gold.
fn relation_layer<'s>(annotator: &str, from: &'s Span, to: &Span) -> Result<&'s str> {
    if from.document_id != to.document_id {
        return Err(StoreError::Relation(
            "a relation links two spans of one document".into(),
        ));
    }
    if from.annotator != annotator && from.annotator != GOLD {
        return Err(StoreError::NotYours {
            owner: from.annotator.clone(),
        });
    }
    Ok(&from.annotator)
}

/// Reads one relation inside any connection or transaction.
pub(super) fn relation_in(conn: &Connection, id: i64) -> Result<Option<Relation>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {RELATION_COLUMNS} WHERE r.id = ?1"))?
        .query_row([id], read_relation)
        .optional()?)
}

/// The id of the relation of the same kind, ends and layer, if there is one.
pub(super) fn relation_with(conn: &Connection, relation: &Relation) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT r.id FROM relations r JOIN relation_kinds k ON k.id = r.kind_id
             JOIN annotators a ON a.id = r.annotator_id
             WHERE r.from_span = ?1 AND r.to_span = ?2 AND k.name = ?3 AND a.name = ?4",
        )?
        .query_row(
            params![
                relation.from,
                relation.to,
                relation.kind,
                relation.annotator
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// The relation kind's id.
fn kind_id_in(conn: &Connection, kind: &str) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM relation_kinds WHERE name = ?1")?
        .query_row([kind], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Relation(format!("the project has no relation {kind:?}")))
}

/// Inserts a relation row (keeping `relation.id` and its uid when set); returns its id.
/// Nothing is written when either end is gone (undoing a relation after its span).
pub(super) fn write_relation(conn: &Connection, relation: &Relation) -> Result<i64> {
    if span_in(conn, relation.from)?.is_none() || span_in(conn, relation.to)?.is_none() {
        return Ok(0);
    }
    let kind_id = kind_id_in(conn, &relation.kind)?;
    let annotator_id = annotator_id_in(conn, &relation.annotator)?;
    let id = (relation.id != 0).then_some(relation.id);
    let uid = (!relation.uid.is_empty()).then_some(relation.uid.as_str());
    conn.prepare_cached(
        "INSERT INTO relations(id, uid, document_id, kind_id, from_span, to_span,
                               annotator_id, origin, created_at)
         VALUES (?1, coalesce(?2, lower(hex(randomblob(16)))), ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO NOTHING",
    )?
    .execute(params![
        id,
        uid,
        relation.document_id,
        kind_id,
        relation.from,
        relation.to,
        annotator_id,
        relation.origin.as_str(),
        relation.created_at.0
    ])?;
    Ok(id.unwrap_or_else(|| conn.last_insert_rowid()))
}

/// Deletes a relation row if it exists.
pub(super) fn remove_relation(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM relations WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// The relations deleting span `span_id` takes with it, as deletions that the span's
/// deletion batch records (its undo puts them back after the span).
pub(super) fn relations_lost_with(conn: &Connection, span_id: i64) -> Result<Vec<Change>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RELATION_COLUMNS} WHERE r.from_span = ?1 OR r.to_span = ?1 ORDER BY r.id"
    ))?;
    let relations = stmt
        .query_map([span_id], read_relation)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(relations
        .into_iter()
        .map(|relation| Change::DeleteRelation { relation })
        .collect())
}
