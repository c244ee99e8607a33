//! Reading both sides of a merge: their project file into a [`MergeSource`], this project
//! into a [`LocalSide`], and each side's operation log into a [`History`].

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::{
    FastMap, History, LocalDocument, LocalLabel, LocalSide, LocalSpan, MergeSource, SourceDocument,
    SourceKind, SourceRelation, SourceSpan, SourceStatus,
};
use crate::model::{CharRange, LabelDef, Origin, SpanVersion, Timestamp, relation_version};
use crate::store::ops::{SpanCopy, read_span_changes};
use crate::store::relations::{RELATION_COLUMNS, read_relation};
use crate::store::spans::parse_attributes;
use crate::store::{Project, Result, SCHEMA_VERSION, StoreError};

/// Why their file cannot be read for a merge.
fn corrupt(path: &Path, message: String) -> StoreError {
    StoreError::CorruptSource {
        path: path.to_owned(),
        message,
    }
}

impl Project {
    /// Reads this project as the other side of a merge, in one read transaction that stays
    /// open while the source lives (so the texts read later come from the same state).
    ///
    /// A project of an older format is refused: it cannot be upgraded while only read.
    pub fn read_as_merge_source(&self) -> Result<MergeSource<'_>> {
        let path = self.path.as_path();
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version < SCHEMA_VERSION {
            return Err(StoreError::TooOld {
                path: path.to_owned(),
                found: version,
            });
        }
        let snapshot = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?;
        let uid: String = snapshot
            .query_row(
                "SELECT value FROM meta WHERE key = 'project_uid'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| corrupt(path, "the project has no uid".into()))?;
        let docs = read_source_documents(&snapshot)?;
        let doc_index: FastMap<i64, usize> =
            docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
        let (labels, label_index) = read_source_labels(&snapshot)?;
        let (annotators, annotator_index) = read_source_annotators(&snapshot)?;
        let spans = read_source_spans(
            &snapshot,
            path,
            &docs,
            &doc_index,
            (&labels, &label_index),
            (&annotators, &annotator_index),
        )?;
        let statuses = read_source_statuses(&snapshot, &doc_index, &annotator_index)?;
        let doc_uids: FastMap<i64, &str> = docs.iter().map(|d| (d.id, d.uid.as_str())).collect();
        let history = read_history(&snapshot, &doc_uids)?;
        let relations = read_source_relations(&snapshot)?;
        Ok(MergeSource {
            relations,
            path: path.to_owned(),
            uid,
            docs,
            labels,
            annotators,
            spans,
            statuses,
            kind: SourceKind::Project { snapshot, history },
        })
    }
}

/// Their relations with the uids of their ends.
fn read_source_relations(conn: &Connection) -> Result<Vec<SourceRelation>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {RELATION_COLUMNS} WHERE r.origin <> 'suggested'
         AND f.origin <> 'suggested' AND t.origin <> 'suggested' ORDER BY r.id"
    ))?;
    let relations = stmt
        .query_map([], read_relation)?
        .map(|relation| {
            relation.map(|r| SourceRelation {
                uid: r.uid,
                kind: r.kind,
                from_uid: r.from_uid,
                to_uid: r.to_uid,
                annotator: r.annotator,
                origin: r.origin,
                created_at: r.created_at,
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(relations)
}

fn read_source_documents(conn: &Connection) -> Result<Vec<SourceDocument>> {
    let mut stmt = conn.prepare(
        "SELECT id, uid, title, source, format, meta_json, len_chars FROM documents ORDER BY id",
    )?;
    let docs = stmt
        .query_map([], |r| {
            Ok(SourceDocument {
                id: r.get(0)?,
                uid: r.get(1)?,
                title: r.get(2)?,
                source: r.get(3)?,
                format: r.get(4)?,
                meta_json: r.get(5)?,
                len_chars: usize::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(docs)
}

fn read_source_labels(conn: &Connection) -> Result<(Vec<LabelDef>, FastMap<i64, usize>)> {
    // The scheme's labels in its order, with their attributes; and each label id's place.
    let labels = crate::store::scheme::read_scheme(conn)?.labels;
    let mut stmt = conn.prepare("SELECT id, name FROM labels")?;
    let ids = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let index = ids
        .into_iter()
        .filter_map(|(id, name)| Some((id, labels.iter().position(|l| l.name == name)?)))
        .collect();
    Ok((labels, index))
}

fn read_source_annotators(conn: &Connection) -> Result<(Vec<String>, FastMap<i64, usize>)> {
    let mut stmt = conn.prepare("SELECT id, name FROM annotators ORDER BY id")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let index = rows
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    Ok((rows.into_iter().map(|(_, name)| name).collect(), index))
}

fn read_source_spans(
    conn: &Connection,
    path: &Path,
    docs: &[SourceDocument],
    doc_index: &FastMap<i64, usize>,
    (labels, label_index): (&[LabelDef], &FastMap<i64, usize>),
    (annotators, annotator_index): (&[String], &FastMap<i64, usize>),
) -> Result<Vec<SourceSpan>> {
    let mut spans = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT uid, document_id, start, \"end\", label_id, annotator_id, note, origin,
                created_at, updated_at, attributes_json
         FROM spans WHERE origin <> 'suggested' ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let uid: String = row.get(0)?;
        let doc_id: i64 = row.get(1)?;
        let (start, end): (i64, i64) = (row.get(2)?, row.get(3)?);
        let (label_id, annotator_id): (i64, i64) = (row.get(4)?, row.get(5)?);
        let note: String = row.get(6)?;
        let origin = Origin::parse(row.get_ref(7)?.as_str().map_err(rusqlite::Error::from)?);
        let (created, updated): (i64, i64) = (row.get(8)?, row.get(9)?);
        let attributes =
            parse_attributes(row.get_ref(10)?.as_str().map_err(rusqlite::Error::from)?);
        let doc = *doc_index
            .get(&doc_id)
            .ok_or_else(|| corrupt(path, format!("span {uid} has no document")))?;
        let (Some(&label), Some(&annotator)) = (
            label_index.get(&label_id),
            annotator_index.get(&annotator_id),
        ) else {
            return Err(corrupt(
                path,
                format!("span {uid} has no label or annotator"),
            ));
        };
        let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
            return Err(corrupt(path, format!("span {uid} has a negative offset")));
        };
        let range = CharRange::new(start, end);
        let version = SpanVersion::with_attributes(
            &docs[doc].uid,
            range,
            &labels[label].name,
            &annotators[annotator],
            &note,
            &attributes,
        );
        spans.push(SourceSpan {
            uid,
            doc,
            range,
            label,
            annotator,
            note,
            origin,
            created_at: Timestamp(created),
            updated_at: Timestamp(updated),
            attributes,
            version,
        });
    }
    Ok(spans)
}

fn read_source_statuses(
    conn: &Connection,
    doc_index: &FastMap<i64, usize>,
    annotator_index: &FastMap<i64, usize>,
) -> Result<Vec<SourceStatus>> {
    let mut stmt = conn.prepare(
        "SELECT document_id, annotator_id, status, updated_at FROM document_status
         ORDER BY document_id, annotator_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(doc, annotator, status, updated_at)| {
            Some(SourceStatus {
                doc: *doc_index.get(&doc)?,
                annotator: *annotator_index.get(&annotator)?,
                status,
                updated_at,
            })
        })
        .collect())
}

/// Every version each span had, from the log's span edits, review steps and merges;
/// `doc_uids` maps the project's document ids to uids. An entry that does not read as a
/// change stops the merge: history decides conflicts, so it must not be guessed.
pub(super) fn read_history(conn: &Connection, doc_uids: &FastMap<i64, &str>) -> Result<History> {
    let mut history = History::default();
    read_span_changes(conn, &mut |change| {
        let mut copies = Vec::new();
        change.span_copies(&mut copies);
        for copy in &copies {
            match copy {
                SpanCopy::Span(span) => {
                    let Some(doc_uid) = doc_uids.get(&span.document_id) else {
                        continue;
                    };
                    let version = SpanVersion::with_attributes(
                        doc_uid,
                        span.range,
                        &span.label,
                        &span.annotator,
                        &span.note,
                        &span.attributes,
                    );
                    history.push(span.uid.clone(), version);
                }
                SpanCopy::Relation(relation) => {
                    let Some(doc_uid) = doc_uids.get(&relation.document_id) else {
                        continue;
                    };
                    let version = relation_version(
                        doc_uid,
                        &relation.kind,
                        &relation.from_uid,
                        &relation.to_uid,
                        &relation.annotator,
                    );
                    history.push(relation.uid.clone(), version);
                }
                SpanCopy::Version { uid, version } => {
                    if let Some(version) = SpanVersion::parse(version) {
                        history.push((*uid).to_owned(), version);
                    }
                }
            }
        }
    })?;
    Ok(history)
}

/// Reads our side inside `conn`'s current transaction: documents, labels, annotators, the
/// spans of `annotators` (every span when `None`), what was last merged from `source_uid`,
/// and our history.
pub(super) fn read_local(
    conn: &Connection,
    source_uid: &str,
    annotators: Option<&[String]>,
) -> Result<LocalSide> {
    let mut docs = FastMap::default();
    {
        let mut stmt = conn.prepare("SELECT id, uid, title, len_chars FROM documents")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let uid: String = row.get(1)?;
            docs.insert(
                uid,
                LocalDocument {
                    id: row.get(0)?,
                    title: row.get(2)?,
                    len: usize::try_from(row.get::<_, i64>(3)?).unwrap_or(0),
                },
            );
        }
    }
    let mut next_label_position = 0;
    let labels = {
        let mut stmt = conn.prepare("SELECT id, name, hotkey, position FROM labels")?;
        stmt.query_map([], |r| {
            Ok((
                LocalLabel {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    hotkey: r.get(2)?,
                },
                r.get::<_, i64>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(label, position)| {
            next_label_position = next_label_position.max(position + 1);
            label
        })
        .collect::<Vec<_>>()
    };
    let annotator_ids: FastMap<String, i64> = {
        let mut stmt = conn.prepare("SELECT name, id FROM annotators")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let doc_uids: FastMap<i64, &str> = docs
        .iter()
        .map(|(uid, doc)| (doc.id, uid.as_str()))
        .collect();
    let label_names: FastMap<i64, &str> = labels.iter().map(|l| (l.id, l.name.as_str())).collect();
    let annotator_names: FastMap<i64, &str> = annotator_ids
        .iter()
        .map(|(name, id)| (*id, name.as_str()))
        .collect();
    let which = match annotators {
        None => String::new(),
        Some(names) => {
            let ids: Vec<String> = names
                .iter()
                .filter_map(|name| annotator_ids.get(name))
                .map(|id| id.to_string())
                .collect();
            format!("WHERE annotator_id IN ({})", ids.join(", "))
        }
    };
    let mut spans = Vec::new();
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, uid, document_id, start, \"end\", label_id, annotator_id, note,
                    attributes_json
             FROM spans {which}"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let doc: i64 = row.get(2)?;
            let label: i64 = row.get(5)?;
            let annotator: i64 = row.get(6)?;
            let note: String = row.get(7)?;
            let attributes =
                parse_attributes(row.get_ref(8)?.as_str().map_err(rusqlite::Error::from)?);
            let range = CharRange::new(
                usize::try_from(row.get::<_, i64>(3)?).unwrap_or(0),
                usize::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
            );
            let version = SpanVersion::with_attributes(
                doc_uids.get(&doc).copied().unwrap_or(""),
                range,
                label_names.get(&label).copied().unwrap_or(""),
                annotator_names.get(&annotator).copied().unwrap_or(""),
                &note,
                &attributes,
            );
            spans.push(LocalSpan {
                id: row.get(0)?,
                uid: row.get(1)?,
                doc,
                range,
                label,
                annotator,
                note,
                version,
            });
        }
    }
    let base: FastMap<String, SpanVersion> = {
        let mut stmt =
            conn.prepare("SELECT span_uid, version FROM merge_state WHERE source_uid = ?1")?;
        stmt.query_map([source_uid], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        // An unreadable stored version matches nothing, so both sides count as changed.
        .map(|(uid, v)| (uid, SpanVersion::parse(&v).unwrap_or_default()))
        .collect()
    };
    let history = read_history(conn, &doc_uids)?;
    let export_revision = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [export_revision_key(source_uid)],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    drop(label_names);
    drop(annotator_names);
    drop(doc_uids);
    Ok(LocalSide {
        docs,
        labels,
        next_label_position,
        annotators: annotator_ids,
        spans,
        base,
        history,
        export_revision,
    })
}

/// The meta key that records the last merged export revision of a project.
pub(super) fn export_revision_key(source_uid: &str) -> String {
    format!("export_revision:{source_uid}")
}
