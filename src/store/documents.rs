//! Documents: adding them (in batches, each document all or nothing) and reading them back.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Map, Value};

use super::relations::{LinkEnd, link_problem, relation_with, write_relation};
use super::scheme::read_scheme;
use super::spans::attributes_json;
use super::{Project, Result, StoreError, annotator_id_in, known_labels};
use crate::model::{
    Attributes, CharRange, DocStatus, Fingerprint, LabelScheme, Origin, Relation, SpanError,
    Timestamp,
};

/// A document to add, with the spans that came with it.
#[derive(Clone, Debug, Default)]
pub struct NewDocument {
    pub title: String,
    pub text: String,
    /// Where it came from (the file path as the user named it).
    pub source: String,
    /// The reader that produced it (`newswire`, `jsonl`, …).
    pub format: String,
    pub meta: Map<String, Value>,
    pub spans: Vec<NewSpan>,
    /// Links between those spans (indices into `spans`).
    pub relations: Vec<NewRelation>,
    /// The text's hash and length, if already computed (imports do it on the reader
    /// thread); computed on insert otherwise.
    pub fingerprint: Option<Fingerprint>,
}

/// A span to add with a document.
#[derive(Clone, Debug)]
pub struct NewSpan {
    pub range: CharRange,
    pub label: String,
    pub annotator: String,
    pub note: String,
    pub origin: Origin,
    /// Attribute values, checked against the label's declared attributes.
    pub attributes: Attributes,
}

/// A relation to add with a document, between two of its [`NewDocument::spans`] (0-based
/// indices); it belongs to their annotator's layer.
#[derive(Clone, Debug)]
pub struct NewRelation {
    pub kind: String,
    pub from: usize,
    pub to: usize,
}

/// What adding one document did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InsertOutcome {
    pub document_id: i64,
    /// False when the same text was already in the project (the document was skipped).
    pub added: bool,
    /// Spans added (spans already present for the same annotator are not added twice).
    pub spans_added: usize,
    /// Relations added (a link already present is not added twice).
    pub relations_added: usize,
}

/// Why one document of a batch was refused; the rest of the batch is unaffected.
#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    #[error("span {index}: {error}")]
    Span { index: usize, error: SpanError },
    #[error("span {index} ({label}): {message}")]
    Attribute {
        index: usize,
        label: String,
        message: String,
        /// The label has no such attribute (rather than a value it refuses).
        undeclared: bool,
    },
    #[error("relation {index}: {message}")]
    Relation {
        index: usize,
        message: String,
        /// The scheme has no relation of that kind (rather than one that does not fit).
        undeclared: bool,
    },
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl InsertError {
    /// Whether the document was refused only for a name the scheme lacks (a label, an
    /// attribute, a relation kind), which adding to the scheme would cure.
    pub fn lacks_scheme(&self) -> bool {
        matches!(
            self,
            Self::Span {
                error: SpanError::UnknownLabel { .. },
                ..
            } | Self::Attribute {
                undeclared: true,
                ..
            } | Self::Relation {
                undeclared: true,
                ..
            }
        )
    }
}

impl From<rusqlite::Error> for InsertError {
    fn from(err: rusqlite::Error) -> Self {
        Self::Store(StoreError::from(err))
    }
}

/// A document's row without its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentInfo {
    pub id: i64,
    /// Stable across projects: derived from the text's SHA-256.
    pub uid: String,
    pub title: String,
    pub source: String,
    pub format: String,
    pub len_chars: usize,
    pub imported_at: Timestamp,
    /// Spans by every annotator.
    pub span_count: usize,
}

/// A whole document.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredDocument {
    pub info: DocumentInfo,
    pub text: String,
    pub sha256: String,
    pub meta: Map<String, Value>,
}

/// Several documents added in one transaction; each document is all or nothing.
pub struct Batch<'p> {
    pub(super) tx: Transaction<'p>,
    /// Label name → id, read when the batch began (and labels added since).
    pub(super) label_ids: HashMap<String, i64>,
    /// Annotator name → id, filled as annotators appear (forgotten with the batch).
    annotator_ids: HashMap<String, i64>,
    /// The scheme when the batch began (and what was added since), for attributes and
    /// relations.
    pub(super) scheme: LabelScheme,
    now: Timestamp,
}

impl Project {
    /// Starts a batch of document inserts (one transaction, committed by [`Batch::commit`]).
    pub fn batch(&mut self) -> Result<Batch<'_>> {
        let tx = self.write_tx()?;
        let label_ids = {
            let mut stmt = tx.prepare("SELECT name, id FROM labels")?;
            stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let scheme = read_scheme(&tx)?;
        Ok(Batch {
            scheme,
            tx,
            label_ids,
            annotator_ids: HashMap::new(),
            now: Timestamp::now(),
        })
    }

    /// Adds one document in its own transaction.
    pub fn add_document(&mut self, doc: &NewDocument) -> Result<InsertOutcome, InsertError> {
        let mut batch = self.batch()?;
        let outcome = batch.insert_document(doc)?;
        batch.commit()?;
        Ok(outcome)
    }

    /// Every document in import order, without texts.
    pub fn documents(&self) -> Result<Vec<DocumentInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.uid, d.title, d.source, d.format, d.len_chars, d.imported_at,
                    (SELECT count(*) FROM spans s WHERE s.document_id = d.id)
             FROM documents d ORDER BY d.id",
        )?;
        let docs = stmt
            .query_map([], read_info)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(docs)
    }

    /// One whole document.
    pub fn document(&self, id: i64) -> Result<StoredDocument> {
        let row = self
            .conn
            .query_row(
                "SELECT d.id, d.uid, d.title, d.source, d.format, d.len_chars, d.imported_at,
                        (SELECT count(*) FROM spans s WHERE s.document_id = d.id),
                        d.text, d.sha256, d.meta_json
                 FROM documents d WHERE d.id = ?1",
                [id],
                |row| {
                    Ok((
                        read_info(row)?,
                        row.get::<_, String>(8)?,
                        row.get::<_, String>(9)?,
                        row.get::<_, String>(10)?,
                    ))
                },
            )
            .optional()?;
        let (info, text, sha256, meta_json) = row.ok_or(StoreError::NoDocument(id))?;
        Ok(StoredDocument {
            info,
            text,
            sha256,
            meta: parse_meta(&meta_json),
        })
    }

    /// The id of the document with this uid, if the project has it.
    pub fn document_id_by_uid(&self, uid: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM documents WHERE uid = ?1", [uid], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The document's length in code points.
    pub(super) fn document_len(&self, id: i64) -> Result<usize> {
        self.conn
            .query_row("SELECT len_chars FROM documents WHERE id = ?1", [id], |r| {
                r.get::<_, i64>(0)
            })
            .optional()?
            .map(|n| n as usize)
            .ok_or(StoreError::NoDocument(id))
    }

    /// Each document's status for one annotator (documents never touched are todo and
    /// absent from the map).
    pub fn statuses(&self, annotator: &str) -> Result<HashMap<i64, DocStatus>> {
        let mut stmt = self.conn.prepare(
            "SELECT st.document_id, st.status FROM document_status st
             JOIN annotators a ON a.id = st.annotator_id WHERE a.name = ?1",
        )?;
        let rows = stmt
            .query_map([annotator], |row| {
                let status: String = row.get(1)?;
                Ok((row.get(0)?, DocStatus::parse(&status).unwrap_or_default()))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

impl Batch<'_> {
    /// Adds a document and its spans, or nothing if any span is invalid. A text already in
    /// the project is not added again; its new spans are.
    pub fn insert_document(&mut self, doc: &NewDocument) -> Result<InsertOutcome, InsertError> {
        let mut outcomes = self
            .insert_documents(std::slice::from_ref(doc))
            .map_err(|(_, err)| err)?;
        outcomes
            .pop()
            .ok_or(InsertError::Store(StoreError::NoDocument(0)))
    }

    /// Adds several documents (one file's worth) all or nothing; on failure, says which
    /// document (0-based) was refused and why.
    pub fn insert_documents(
        &mut self,
        docs: &[NewDocument],
    ) -> Result<Vec<InsertOutcome>, (usize, InsertError)> {
        let before = self.annotator_ids.clone();
        let result = self.insert_in_savepoint(docs);
        if result.is_err() {
            // The savepoint rolled back the annotators it added.
            self.annotator_ids = before;
        }
        result
    }

    fn insert_in_savepoint(
        &mut self,
        docs: &[NewDocument],
    ) -> Result<Vec<InsertOutcome>, (usize, InsertError)> {
        let sp = self.tx.savepoint().map_err(|e| (0, e.into()))?;
        let mut outcomes = Vec::with_capacity(docs.len());
        for (i, doc) in docs.iter().enumerate() {
            let known = Known {
                label_ids: &self.label_ids,
                scheme: &self.scheme,
            };
            let outcome = insert_one(&sp, known, &mut self.annotator_ids, self.now, doc)
                .map_err(|e| (i, e))?;
            outcomes.push(outcome);
        }
        sp.commit().map_err(|e| (docs.len(), e.into()))?;
        Ok(outcomes)
    }

    /// Commits every document inserted so far.
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}

/// What a batch knows of the project's scheme.
#[derive(Clone, Copy)]
struct Known<'b> {
    label_ids: &'b HashMap<String, i64>,
    scheme: &'b LabelScheme,
}

/// Inserts one document, its spans and their relations inside the caller's savepoint.
fn insert_one(
    conn: &rusqlite::Connection,
    known: Known<'_>,
    annotator_ids: &mut HashMap<String, i64>,
    now: Timestamp,
    doc: &NewDocument,
) -> Result<InsertOutcome, InsertError> {
    let computed;
    let fingerprint = match &doc.fingerprint {
        Some(fingerprint) => fingerprint,
        None => {
            computed = Fingerprint::of(&doc.text);
            &computed
        }
    };
    let Fingerprint {
        sha256,
        uid,
        len_chars,
    } = fingerprint;
    let len_chars = *len_chars;
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM documents WHERE uid = ?1")?
        .query_row([uid], |r| r.get(0))
        .optional()?;
    let (document_id, added) = match existing {
        Some(id) => (id, false),
        None => {
            let meta = Value::Object(doc.meta.clone()).to_string();
            conn.prepare_cached(
                "INSERT INTO documents(uid, title, source, format, len_chars, sha256,
                                       meta_json, imported_at, text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                uid,
                doc.title,
                doc.source,
                doc.format,
                len_chars as i64,
                sha256,
                meta,
                now.0,
                doc.text
            ])?;
            (conn.last_insert_rowid(), true)
        }
    };
    let mut spans_added = 0;
    // The stored id of each of `doc.spans`, new or already present.
    let mut span_ids = Vec::with_capacity(doc.spans.len());
    for (index, span) in doc.spans.iter().enumerate() {
        let span_error = |error| InsertError::Span {
            index: index + 1,
            error,
        };
        span.range.validate(len_chars).map_err(span_error)?;
        let Some(&label_id) = known.label_ids.get(&span.label) else {
            return Err(span_error(SpanError::UnknownLabel {
                label: span.label.clone(),
                known: known_labels(conn)?,
            }));
        };
        let annotator_id = match annotator_ids.get(&span.annotator) {
            Some(&id) => id,
            None => {
                let id = annotator_id_in(conn, &span.annotator)?;
                annotator_ids.insert(span.annotator.clone(), id);
                id
            }
        };
        let present: Option<i64> = conn
            .prepare_cached(
                "SELECT id FROM spans WHERE document_id = ?1 AND start = ?2 AND \"end\" = ?3
                 AND label_id = ?4 AND annotator_id = ?5",
            )?
            .query_row(
                params![
                    document_id,
                    span.range.start as i64,
                    span.range.end as i64,
                    label_id,
                    annotator_id
                ],
                |r| r.get(0),
            )
            .optional()?;
        check_attributes(known.scheme, index + 1, span)?;
        if let Some(id) = present {
            span_ids.push(id);
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO spans(document_id, start, \"end\", label_id, annotator_id, note,
                               origin, created_at, updated_at, attributes_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
        )?
        .execute(params![
            document_id,
            span.range.start as i64,
            span.range.end as i64,
            label_id,
            annotator_id,
            span.note,
            span.origin.as_str(),
            now.0,
            attributes_json(&span.attributes)
        ])?;
        span_ids.push(conn.last_insert_rowid());
        spans_added += 1;
    }
    let mut relations_added = 0;
    for (index, relation) in doc.relations.iter().enumerate() {
        if insert_relation(conn, known.scheme, doc, &span_ids, index + 1, relation, now)? {
            relations_added += 1;
        }
    }
    Ok(InsertOutcome {
        relations_added,
        document_id,
        added,
        spans_added,
    })
}

/// Refuses attribute values the span's label does not declare or allow.
fn check_attributes(scheme: &LabelScheme, index: usize, span: &NewSpan) -> Result<(), InsertError> {
    let refuse = |message: String, undeclared: bool| InsertError::Attribute {
        index,
        label: span.label.clone(),
        message,
        undeclared,
    };
    let label = scheme.label(&span.label);
    for (name, value) in &span.attributes {
        let def = label.and_then(|l| l.attribute(name)).ok_or_else(|| {
            refuse(
                format!("{} spans have no attribute {name:?}", span.label),
                true,
            )
        })?;
        def.check(value).map_err(|message| refuse(message, false))?;
    }
    Ok(())
}

/// Adds one of a document's relations between spans already inserted, unless the same link
/// is there already; says whether it added it.
fn insert_relation(
    conn: &rusqlite::Connection,
    scheme: &LabelScheme,
    doc: &NewDocument,
    span_ids: &[i64],
    index: usize,
    relation: &NewRelation,
    now: Timestamp,
) -> Result<bool, InsertError> {
    let refuse = |message: String| InsertError::Relation {
        index,
        message,
        undeclared: false,
    };
    let end = |at: usize| {
        doc.spans
            .get(at)
            .zip(span_ids.get(at))
            .ok_or_else(|| refuse(format!("refers to span {}, which the record lacks", at + 1)))
    };
    let (from, &from_id) = end(relation.from)?;
    let (to, &to_id) = end(relation.to)?;
    let ends = (
        LinkEnd {
            id: from_id,
            label: &from.label,
            annotator: &from.annotator,
        },
        LinkEnd {
            id: to_id,
            label: &to.label,
            annotator: &to.annotator,
        },
    );
    if let Some(problem) = link_problem(scheme, &relation.kind, ends) {
        return Err(InsertError::Relation {
            index,
            message: problem,
            undeclared: scheme.relation(&relation.kind).is_none(),
        });
    }
    let stored = Relation {
        id: 0,
        uid: String::new(),
        document_id: 0,
        kind: relation.kind.clone(),
        from: from_id,
        to: to_id,
        from_uid: String::new(),
        to_uid: String::new(),
        annotator: from.annotator.clone(),
        origin: from.origin,
        created_at: now,
    };
    if relation_with(conn, &stored)?.is_some() {
        return Ok(false);
    }
    let document_id: i64 = conn
        .prepare_cached("SELECT document_id FROM spans WHERE id = ?1")?
        .query_row([from_id], |r| r.get(0))?;
    write_relation(
        conn,
        &Relation {
            document_id,
            ..stored
        },
    )?;
    Ok(true)
}

fn read_info(row: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentInfo> {
    Ok(DocumentInfo {
        id: row.get(0)?,
        uid: row.get(1)?,
        title: row.get(2)?,
        source: row.get(3)?,
        format: row.get(4)?,
        len_chars: row.get::<_, i64>(5)? as usize,
        imported_at: Timestamp(row.get(6)?),
        span_count: row.get::<_, i64>(7)? as usize,
    })
}

/// Reads stored meta JSON; anything but an object reads as empty.
pub(super) fn parse_meta(json: &str) -> Map<String, Value> {
    match serde_json::from_str(json) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}
