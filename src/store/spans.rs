//! Spans: reading them, and the edits a user makes (each one transaction, logged for undo).

use rusqlite::{Connection, OptionalExtension, params};

use super::ops::Change;
use super::relations::{relations_lost_with, remove_relation};
use super::review::{GOLD, verdicts_lost_with};
use super::{Project, Result, StoreError, annotator_id_in, label_id_in};
use crate::model::{Attributes, CharRange, DocStatus, Origin, Span, Timestamp};

/// A change to an existing span; `None` fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanEdit {
    pub range: Option<CharRange>,
    pub label: Option<String>,
    pub note: Option<String>,
    /// Sets (`Some(value)`) or clears (`None`) one attribute.
    pub attribute: Option<(String, Option<String>)>,
}

/// The columns [`read_span`] reads, with the joins they need; append a `WHERE` clause.
pub(super) const SPAN_COLUMNS: &str =
    "s.id, s.document_id, s.start, s.\"end\", l.name, a.name, s.note,
     s.origin, s.created_at, s.updated_at, s.uid, s.attributes_json
     FROM spans s JOIN labels l ON l.id = s.label_id JOIN annotators a ON a.id = s.annotator_id";

impl Project {
    /// A document's spans by every annotator, in reading order (start, then longest first).
    pub fn spans(&self, document_id: i64) -> Result<Vec<Span>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SPAN_COLUMNS} WHERE s.document_id = ?1
             ORDER BY s.start, s.\"end\" DESC, l.position, a.name, s.id"
        ))?;
        let spans = stmt
            .query_map([document_id], read_span)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(spans)
    }

    /// One span by id.
    pub fn span(&self, id: i64) -> Result<Span> {
        span_in(&self.conn, id)?.ok_or(StoreError::NoSpan(id))
    }

    /// Tags `range` of a document with `label` for `annotator`.
    pub fn add_span(
        &mut self,
        annotator: &str,
        document_id: i64,
        range: CharRange,
        label: &str,
        note: &str,
    ) -> Result<Span> {
        range.validate(self.document_len(document_id)?)?;
        let now = Timestamp::now();
        let span = Span {
            id: 0,
            uid: String::new(),
            document_id,
            range,
            label: label.to_owned(),
            annotator: annotator.to_owned(),
            note: note.to_owned(),
            origin: Origin::Manual,
            created_at: now,
            updated_at: now,
            attributes: Attributes::new(),
        };
        let id = self.apply_logged(annotator, |tx| {
            label_id_in(tx, label)?;
            // Checked inside the transaction, so that no other writer slips the same span in.
            if let Some(existing) = span_with(tx, annotator, document_id, range, label)? {
                return Err(StoreError::DuplicateSpan(existing));
            }
            let id = write_span(tx, &span)?;
            mark_in_progress(tx, document_id, annotator)?;
            let stored = span_in(tx, id)?.ok_or(StoreError::NoSpan(id))?;
            Ok((id, Change::AddSpan { span: stored }))
        })?;
        self.span(id)
    }

    /// Removes a span, with the review verdicts on it. Undoing the deletion brings both back.
    pub fn delete_span(&mut self, annotator: &str, span_id: i64) -> Result<Span> {
        let span = self.span(span_id)?;
        check_owner(&span, annotator)?;
        self.apply_logged(annotator, |tx| {
            let mut changes = verdicts_lost_with(tx, span.document_id, span_id)?;
            changes.extend(relations_lost_with(tx, span_id)?);
            remove_span(tx, span_id)?;
            let delete = Change::DeleteSpan { span: span.clone() };
            if changes.is_empty() {
                return Ok(((), delete));
            }
            changes.push(delete);
            Ok(((), Change::Batch { changes }))
        })?;
        Ok(span)
    }

    /// Relabels, resizes or re-notes a span.
    pub fn edit_span(&mut self, annotator: &str, span_id: i64, edit: &SpanEdit) -> Result<Span> {
        let before = self.span(span_id)?;
        check_owner(&before, annotator)?;
        let mut after = before.clone();
        if let Some(range) = edit.range {
            range.validate(self.document_len(before.document_id)?)?;
            after.range = range;
        }
        if let Some(label) = &edit.label {
            label_id_in(&self.conn, label)?;
            after.label.clone_from(label);
        }
        if let Some(note) = &edit.note {
            after.note.clone_from(note);
        }
        let scheme = self.scheme()?;
        let label = scheme.label(&after.label);
        if let Some((name, value)) = &edit.attribute {
            let def = label.and_then(|l| l.attribute(name)).ok_or_else(|| {
                StoreError::Attribute(format!("{} spans have no attribute {name:?}", after.label))
            })?;
            match value {
                Some(value) => {
                    def.check(value).map_err(StoreError::Attribute)?;
                    after.attributes.insert(name.clone(), value.clone());
                }
                None => {
                    after.attributes.remove(name);
                }
            }
        }
        // A new label keeps only the attributes it has (undo brings the others back).
        after
            .attributes
            .retain(|name, _| label.is_some_and(|l| l.attribute(name).is_some()));
        if after == before {
            return Ok(before);
        }
        after.updated_at = Timestamp::now();
        self.apply_logged(annotator, |tx| {
            // A new label drops the links its kind no longer allows, in the same step.
            let mut changes = Vec::new();
            if after.label != before.label {
                for change in relations_lost_with(tx, span_id)? {
                    if let Change::DeleteRelation { relation } = &change {
                        let (from, to) = if relation.from == span_id {
                            (after.label.clone(), label_of(tx, relation.to)?)
                        } else {
                            (label_of(tx, relation.from)?, after.label.clone())
                        };
                        let fits = scheme
                            .relation(&relation.kind)
                            .is_some_and(|def| def.fits(&from, &to));
                        if !fits {
                            remove_relation(tx, relation.id)?;
                            changes.push(change);
                        }
                    }
                }
            }
            write_span(tx, &after)?;
            let edit = Change::EditSpan {
                before: before.clone(),
                after: after.clone(),
            };
            if changes.is_empty() {
                return Ok(((), edit));
            }
            changes.push(edit);
            Ok(((), Change::Batch { changes }))
        })?;
        self.span(span_id)
    }

    /// Sets an annotator's status for a document.
    pub fn set_status(
        &mut self,
        annotator: &str,
        document_id: i64,
        status: DocStatus,
    ) -> Result<()> {
        self.document_len(document_id)?;
        let before = self
            .statuses(annotator)?
            .get(&document_id)
            .copied()
            .unwrap_or_default();
        if before == status {
            return Ok(());
        }
        self.apply_logged(annotator, |tx| {
            let annotator_id = annotator_id_in(tx, annotator)?;
            write_status(tx, document_id, annotator_id, status)?;
            Ok((
                (),
                Change::SetStatus {
                    document_id,
                    annotator: annotator.to_owned(),
                    before,
                    after: status,
                },
            ))
        })
    }
}

/// The label of a stored span.
fn label_of(conn: &Connection, span_id: i64) -> Result<String> {
    span_in(conn, span_id)?
        .map(|span| span.label)
        .ok_or(StoreError::NoSpan(span_id))
}

/// Refuses an edit of another annotator's span: everyone edits their own layer, and the
/// gold layer is everyone's (reviewers adjudicate there).
fn check_owner(span: &Span, annotator: &str) -> Result<()> {
    if span.annotator == annotator || span.annotator == GOLD {
        Ok(())
    } else {
        Err(StoreError::NotYours {
            owner: span.annotator.clone(),
        })
    }
}

/// The annotator's span with exactly this range and label, if there is one.
pub(super) fn span_with(
    conn: &Connection,
    annotator: &str,
    document_id: i64,
    range: CharRange,
    label: &str,
) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.id FROM spans s JOIN labels l ON l.id = s.label_id
                 JOIN annotators a ON a.id = s.annotator_id
                 WHERE s.document_id = ?1 AND s.start = ?2 AND s.\"end\" = ?3
                   AND l.name = ?4 AND a.name = ?5",
        )?
        .query_row(
            params![
                document_id,
                range.start as i64,
                range.end as i64,
                label,
                annotator
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// Reads one span inside any connection or transaction.
pub(super) fn span_in(conn: &Connection, id: i64) -> Result<Option<Span>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {SPAN_COLUMNS} WHERE s.id = ?1"))?
        .query_row([id], read_span)
        .optional()?)
}

/// Reads a span from a row selected with [`SPAN_COLUMNS`].
pub(super) fn read_span(row: &rusqlite::Row<'_>) -> rusqlite::Result<Span> {
    let origin: String = row.get(7)?;
    Ok(Span {
        id: row.get(0)?,
        document_id: row.get(1)?,
        range: CharRange::new(
            row.get::<_, i64>(2)? as usize,
            row.get::<_, i64>(3)? as usize,
        ),
        label: row.get(4)?,
        annotator: row.get(5)?,
        note: row.get(6)?,
        origin: Origin::parse(&origin),
        created_at: Timestamp(row.get(8)?),
        updated_at: Timestamp(row.get(9)?),
        uid: row.get(10)?,
        attributes: parse_attributes(row.get_ref(11)?.as_str()?),
    })
}

/// Reads stored attribute values; anything but an object of strings reads as none.
pub(super) fn parse_attributes(json: &str) -> Attributes {
    if json == "{}" {
        return Attributes::new();
    }
    serde_json::from_str(json).unwrap_or_default()
}

/// Attribute values as stored.
pub(super) fn attributes_json(attributes: &Attributes) -> String {
    if attributes.is_empty() {
        return "{}".into();
    }
    serde_json::to_string(attributes).unwrap_or_else(|_| "{}".into())
}

/// Inserts or overwrites a span row (keeping `span.id` when it is not 0); returns its id.
pub(super) fn write_span(conn: &Connection, span: &Span) -> Result<i64> {
    let label_id = label_id_in(conn, &span.label)?;
    let annotator_id = annotator_id_in(conn, &span.annotator)?;
    let id = (span.id != 0).then_some(span.id);
    let uid = (!span.uid.is_empty()).then_some(span.uid.as_str());
    // An upsert, not INSERT OR REPLACE: replacing the row would delete it first, and with
    // it (by the foreign key) every relation it is an end of.
    conn.prepare_cached(
        "INSERT INTO spans(id, document_id, start, \"end\", label_id, annotator_id,
                           note, origin, created_at, updated_at, uid, attributes_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                 coalesce(?11, lower(hex(randomblob(16)))), ?12)
         ON CONFLICT(id) DO UPDATE SET document_id = excluded.document_id,
           start = excluded.start, \"end\" = excluded.\"end\", label_id = excluded.label_id,
           annotator_id = excluded.annotator_id, note = excluded.note,
           origin = excluded.origin, created_at = excluded.created_at,
           updated_at = excluded.updated_at, uid = excluded.uid,
           attributes_json = excluded.attributes_json",
    )?
    .execute(params![
        id,
        span.document_id,
        span.range.start as i64,
        span.range.end as i64,
        label_id,
        annotator_id,
        span.note,
        span.origin.as_str(),
        span.created_at.0,
        span.updated_at.0,
        uid,
        attributes_json(&span.attributes)
    ])?;
    Ok(id.unwrap_or_else(|| conn.last_insert_rowid()))
}

/// Deletes a span row if it exists.
pub(super) fn remove_span(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM spans WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Writes a status row (todo removes it).
pub(super) fn write_status(
    conn: &Connection,
    document_id: i64,
    annotator_id: i64,
    status: DocStatus,
) -> Result<()> {
    if status == DocStatus::Todo {
        conn.execute(
            "DELETE FROM document_status WHERE document_id = ?1 AND annotator_id = ?2",
            params![document_id, annotator_id],
        )?;
    } else {
        conn.execute(
            "INSERT INTO document_status(document_id, annotator_id, status, updated_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(document_id, annotator_id)
             DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
            params![
                document_id,
                annotator_id,
                status.as_str(),
                Timestamp::now().0
            ],
        )?;
    }
    Ok(())
}

/// A document an annotator starts tagging moves from todo to in progress.
fn mark_in_progress(conn: &Connection, document_id: i64, annotator: &str) -> Result<()> {
    let annotator_id = annotator_id_in(conn, annotator)?;
    conn.execute(
        "INSERT INTO document_status(document_id, annotator_id, status, updated_at)
         VALUES (?1, ?2, 'in_progress', ?3) ON CONFLICT DO NOTHING",
        params![document_id, annotator_id, Timestamp::now().0],
    )?;
    Ok(())
}
