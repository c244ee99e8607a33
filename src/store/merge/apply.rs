//! Applying a merge plan: one write transaction that adds their labels, annotators and
//! documents, writes the span changes and merge states, copies statuses and logs the merge.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::read::{export_revision_key, read_local};
use super::{
    DocRef, LocalSide, MergeLog, MergePlan, MergeReport, MergeSource, NameRef, SourceKind,
    SourceRelation,
};
use crate::model::{Fingerprint, Timestamp};
use crate::store::ops::{Change, insert_op};
use crate::store::spans::attributes_json;
use crate::store::{Project, Result, StoreError, annotator_id_in};

/// The page cache a merge may use here, in SQLite's negative-KiB form (512 MiB). Their
/// file is read in order and needs no more than the default.
const MERGE_CACHE_KIB: i64 = -524_288;

/// Rows written per multi-row `INSERT`: fewer statement runs for the same rows.
const ROWS_PER_INSERT: usize = 64;

/// Columns of a span row as inserted.
const SPAN_ROW_WIDTH: usize = 11;

impl Project {
    /// Merges `source` into this project: reads our side, asks `plan` what to do, applies
    /// the plan in one transaction and logs it under `by`. Returns what the merge did.
    ///
    /// The plan is made from a read of our side outside the write lock, so that deciding
    /// never holds up other writers; if someone else wrote in between, our side is read and
    /// the plan made again inside the transaction.
    pub fn merge_from<E: From<StoreError>>(
        &mut self,
        source: &MergeSource<'_>,
        by: &str,
        plan: impl Fn(&LocalSide, &MergeSource<'_>) -> Result<MergePlan, E>,
    ) -> Result<MergeReport, E> {
        if self.is_read_only() {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            }
            .into());
        }
        let annotators = (!source.is_export()).then_some(source.annotators.as_slice());
        let (local, seen) = {
            let read =
                Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Deferred)
                    .map_err(StoreError::from)?;
            let local = read_local(&read, &source.uid, annotators)?;
            let seen = data_version(&read)?;
            (local, seen)
        };
        let mut planned = plan(&local, source)?;
        drop(local);
        with_merge_cache(&self.conn, |conn| -> Result<MergeReport, E> {
            let tx = Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
                .map_err(StoreError::from)?;
            if data_version(&tx)? != seen {
                let local = read_local(&tx, &source.uid, annotators)?;
                planned = plan(&local, source)?;
            }
            let report = apply(&tx, source, planned, by)?;
            tx.commit().map_err(StoreError::from)?;
            Ok(report)
        })
    }
}

fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
}

/// Runs `merge` with a bigger page cache on `conn`. A big merge inserts into indexes keyed
/// by random uids: with SQLite's default 2 MB page cache it would spend its time spilling
/// and re-reading pages. The cache grows only as needed, and is put back afterwards.
fn with_merge_cache<T, E: From<StoreError>>(
    conn: &Connection,
    merge: impl FnOnce(&Connection) -> Result<T, E>,
) -> Result<T, E> {
    let cache: i64 = conn
        .pragma_query_value(None, "cache_size", |r| r.get(0))
        .map_err(StoreError::from)?;
    conn.pragma_update(None, "cache_size", MERGE_CACHE_KIB)
        .map_err(StoreError::from)?;
    let result = merge(conn);
    if let Err(err) = conn.pragma_update(None, "cache_size", cache) {
        tracing::warn!("cannot restore the page cache size: {err}");
    }
    result
}

/// Ids of what the plan adds, filled as it is written.
struct Added {
    labels: Vec<i64>,
    annotators: Vec<i64>,
    documents: Vec<i64>,
}

impl Added {
    fn doc(&self, doc: DocRef) -> Result<i64> {
        match doc {
            DocRef::Here(id) => Ok(id),
            DocRef::Added(i) => self
                .documents
                .get(i)
                .copied()
                .ok_or(StoreError::NoDocument(0)),
        }
    }

    fn name(ids: &[i64], name: NameRef) -> Result<i64> {
        match name {
            NameRef::Here(id) => Ok(id),
            NameRef::Added(i) => ids.get(i).copied().ok_or(StoreError::NoDocument(0)),
        }
    }
}

fn apply(
    tx: &Transaction<'_>,
    source: &MergeSource<'_>,
    mut plan: MergePlan,
    by: &str,
) -> Result<MergeReport> {
    let now = Timestamp::now().0;
    let mut report = std::mem::take(&mut plan.report);
    let mut added = Added {
        labels: Vec::new(),
        annotators: Vec::new(),
        documents: Vec::new(),
    };
    for label in &plan.labels_to_add {
        added
            .labels
            .push(crate::store::scheme::insert_label(tx, label)?);
    }
    for name in &plan.annotators_to_add {
        added.annotators.push(annotator_id_in(tx, name)?);
    }
    add_documents(tx, source, &plan.documents_to_add, now, &mut added)?;
    report.documents_new.clone_from(&added.documents);
    write_spans(tx, source, &plan, &added)?;
    write_bases(tx, &source.uid, std::mem::take(&mut plan.bases))?;
    report.statuses_copied = copy_statuses(tx, &plan.statuses, &added)?;
    report.relations_added = add_relations(tx, &source.relations)?;
    for &(conflict, doc) in &plan.conflicts_on_added {
        if let (Some(conflict), Some(&id)) =
            (report.conflicts.get_mut(conflict), added.documents.get(doc))
        {
            conflict.document_id = id;
        }
    }
    report.sort_conflicts();
    if let Some(revision) = source.export_revision()
        && revision > 0
    {
        tx.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value
             WHERE CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER)",
            params![export_revision_key(&source.uid), revision.to_string()],
        )?;
    }
    if report.changed() {
        log_merge(tx, &report, &plan.replaced, by)?;
    }
    Ok(report)
}

/// Adds their relations this project lacks (by uid) whose ends are both here and whose
/// kind this project has; returns how many. Relations are only ever added: one they deleted
/// stays here (a later issue merges their deletions three-way, as spans are).
fn add_relations(tx: &Transaction<'_>, relations: &[SourceRelation]) -> Result<usize> {
    let mut added = 0;
    for relation in relations {
        let present: Option<i64> = tx
            .prepare_cached("SELECT id FROM relations WHERE uid = ?1")?
            .query_row([&relation.uid], |r| r.get(0))
            .optional()?;
        if present.is_some() {
            continue;
        }
        let span_of = |uid: &str| -> Result<Option<(i64, i64)>> {
            Ok(tx
                .prepare_cached("SELECT id, document_id FROM spans WHERE uid = ?1")?
                .query_row([uid], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?)
        };
        let kind: Option<i64> = tx
            .prepare_cached("SELECT id FROM relation_kinds WHERE name = ?1")?
            .query_row([&relation.kind], |r| r.get(0))
            .optional()?;
        let (Some((from, doc)), Some((to, to_doc)), Some(kind)) = (
            span_of(&relation.from_uid)?,
            span_of(&relation.to_uid)?,
            kind,
        ) else {
            continue;
        };
        if doc != to_doc || from == to {
            continue;
        }
        let annotator = annotator_id_in(tx, &relation.annotator)?;
        tx.prepare_cached(
            "INSERT INTO relations(uid, document_id, kind_id, from_span, to_span, annotator_id,
                                   origin, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            relation.uid,
            doc,
            kind,
            from,
            to,
            annotator,
            relation.origin.as_str(),
            relation.created_at.0
        ])?;
        added += 1;
    }
    Ok(added)
}

/// Adds their documents this project lacks, checking each text read from a project file
/// against its uid.
fn add_documents(
    tx: &Transaction<'_>,
    source: &MergeSource<'_>,
    documents: &[usize],
    now: i64,
    added: &mut Added,
) -> Result<()> {
    let corrupt = |message: String| StoreError::CorruptSource {
        path: source.path.clone(),
        message,
    };
    let mut insert = tx.prepare(
        "INSERT INTO documents(uid, title, source, format, len_chars, sha256,
                               meta_json, imported_at, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for &index in documents {
        let doc = source
            .docs
            .get(index)
            .ok_or_else(|| corrupt(format!("document {index} is missing")))?;
        let read;
        let (text, fingerprint) = match &source.kind {
            SourceKind::Export { texts, .. } => {
                let (text, fingerprint) = texts
                    .get(index)
                    .ok_or_else(|| corrupt(format!("document {:?} has no text", doc.title)))?;
                (text, fingerprint)
            }
            SourceKind::Project { snapshot, .. } => {
                let text: String = snapshot
                    .prepare_cached("SELECT text FROM documents WHERE id = ?1")?
                    .query_row([doc.id], |r| r.get(0))?;
                let fingerprint = Fingerprint::of(&text);
                if fingerprint.uid != doc.uid {
                    return Err(corrupt(format!(
                        "document {:?}: its text does not match its uid",
                        doc.title
                    )));
                }
                read = (text, fingerprint);
                (&read.0, &read.1)
            }
        };
        insert.execute(params![
            doc.uid,
            doc.title,
            doc.source,
            doc.format,
            fingerprint.len_chars as i64,
            fingerprint.sha256,
            doc.meta_json,
            now,
            text
        ])?;
        added.documents.push(tx.last_insert_rowid());
    }
    Ok(())
}

/// Inserts, updates and deletes the planned spans.
fn write_spans(
    tx: &Transaction<'_>,
    source: &MergeSource<'_>,
    plan: &MergePlan,
    added: &Added,
) -> Result<()> {
    let mut update = tx.prepare(
        "UPDATE spans SET document_id = ?2, start = ?3, \"end\" = ?4, label_id = ?5,
                          annotator_id = ?6, note = ?7, updated_at = ?8, attributes_json = ?9
         WHERE id = ?1",
    )?;
    for change in &plan.updates {
        let t = source
            .spans
            .get(change.span)
            .ok_or(StoreError::NoSpan(change.id))?;
        update.execute(params![
            change.id,
            added.doc(change.doc)?,
            t.range.start as i64,
            t.range.end as i64,
            Added::name(&added.labels, change.label)?,
            Added::name(&added.annotators, change.annotator)?,
            t.note,
            t.updated_at.0,
            attributes_json(&t.attributes)
        ])?;
    }
    let mut delete = tx.prepare("DELETE FROM spans WHERE id = ?1")?;
    for &id in &plan.deletes {
        delete.execute([id])?;
    }
    let insert = |rows| {
        format!(
            "INSERT INTO spans(uid, document_id, start, \"end\", label_id, annotator_id, note,
                               origin, created_at, updated_at, attributes_json)
             VALUES {}",
            placeholders(SPAN_ROW_WIDTH, rows)
        )
    };
    let mut insert_one = tx.prepare(&insert(1))?;
    let mut insert_many = tx.prepare(&insert(ROWS_PER_INSERT))?;
    let mut chunks = plan.inserts.chunks_exact(ROWS_PER_INSERT);
    for chunk in &mut chunks {
        for (i, row) in chunk.iter().enumerate() {
            bind_span(&mut insert_many, i * SPAN_ROW_WIDTH, source, row, added)?;
        }
        insert_many.raw_execute()?;
    }
    for row in chunks.remainder() {
        bind_span(&mut insert_one, 0, source, row, added)?;
        insert_one.raw_execute()?;
    }
    Ok(())
}

/// Writes the merge states in uid order, so that the merge-state index is appended to
/// rather than written all over.
fn write_bases(
    tx: &Transaction<'_>,
    source_uid: &str,
    mut bases: Vec<(String, Option<crate::model::SpanVersion>)>,
) -> Result<()> {
    bases.sort_unstable();
    let mut remove =
        tx.prepare("DELETE FROM merge_state WHERE source_uid = ?1 AND span_uid = ?2")?;
    let set = |rows| {
        format!(
            "INSERT INTO merge_state(source_uid, span_uid, version) VALUES {}
             ON CONFLICT(source_uid, span_uid) DO UPDATE SET version = excluded.version",
            placeholders(3, rows)
        )
    };
    let mut set_one = tx.prepare(&set(1))?;
    let mut set_many = tx.prepare(&set(ROWS_PER_INSERT))?;
    let mut sets = Vec::new();
    for (uid, version) in &bases {
        match version {
            None => {
                remove.execute(params![source_uid, uid])?;
            }
            Some(version) => sets.push((uid.as_str(), version.to_string())),
        }
    }
    let mut chunks = sets.chunks_exact(ROWS_PER_INSERT);
    for chunk in &mut chunks {
        for (i, (uid, version)) in chunk.iter().enumerate() {
            bind_base(&mut set_many, i * 3, source_uid, uid, version)?;
        }
        set_many.raw_execute()?;
    }
    for (uid, version) in chunks.remainder() {
        bind_base(&mut set_one, 0, source_uid, uid, version)?;
        set_one.raw_execute()?;
    }
    Ok(())
}

/// Copies their statuses where this project has none; returns how many were copied.
fn copy_statuses(
    tx: &Transaction<'_>,
    statuses: &[(DocRef, NameRef, String, i64)],
    added: &Added,
) -> Result<usize> {
    let mut insert = tx.prepare(
        "INSERT INTO document_status(document_id, annotator_id, status, updated_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
    )?;
    let mut copied = 0;
    for (doc, annotator, status, at) in statuses {
        copied += insert.execute(params![
            added.doc(*doc)?,
            Added::name(&added.annotators, *annotator)?,
            status,
            at
        ])?;
    }
    Ok(copied)
}

/// Records the merge in the operation log (final: for the audit trail, not undoable),
/// and ends every redo stack, as any new edit ends its annotator's.
fn log_merge(
    tx: &Transaction<'_>,
    report: &MergeReport,
    replaced: &[(String, crate::model::SpanVersion)],
    by: &str,
) -> Result<()> {
    let by = annotator_id_in(tx, by)?;
    let log = MergeLog {
        source: report.source.display().to_string(),
        source_uid: report.source_uid.clone(),
        documents_added: report.documents_added(),
        spans_added: report.spans_added,
        spans_updated: report.spans_updated,
        spans_deleted: report.spans_deleted,
        spans_unchanged: report.spans_unchanged,
        spans_kept: report.spans_kept,
        statuses_copied: report.statuses_copied,
        conflicts: report.conflicts.len(),
        labels_added: report.labels_added.iter().map(|l| l.name.clone()).collect(),
        history: replaced
            .iter()
            .map(|(uid, version)| (uid.clone(), version.to_string()))
            .collect(),
    };
    insert_op(tx, by, &Change::Merge(log), "final")?;
    if report.spans_added + report.spans_updated + report.spans_deleted > 0 {
        // A redo after the merge could bring back what the merge just reconciled.
        tx.execute("UPDATE ops SET state = 'dead' WHERE state = 'undone'", [])?;
    }
    Ok(())
}

/// `(?, ?, …), (?, ?, …), …`: `rows` rows of `columns` placeholders.
fn placeholders(columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    vec![row; rows].join(", ")
}

/// Binds one span row's values from parameter `at + 1` on.
fn bind_span(
    stmt: &mut rusqlite::Statement<'_>,
    at: usize,
    source: &MergeSource<'_>,
    row: &super::PlannedSpan,
    added: &Added,
) -> Result<()> {
    let t = source.spans.get(row.span).ok_or(StoreError::NoSpan(0))?;
    stmt.raw_bind_parameter(at + 1, t.uid.as_str())?;
    stmt.raw_bind_parameter(at + 2, added.doc(row.doc)?)?;
    stmt.raw_bind_parameter(at + 3, t.range.start as i64)?;
    stmt.raw_bind_parameter(at + 4, t.range.end as i64)?;
    stmt.raw_bind_parameter(at + 5, Added::name(&added.labels, row.label)?)?;
    stmt.raw_bind_parameter(at + 6, Added::name(&added.annotators, row.annotator)?)?;
    stmt.raw_bind_parameter(at + 7, t.note.as_str())?;
    stmt.raw_bind_parameter(at + 8, t.origin.as_str())?;
    stmt.raw_bind_parameter(at + 9, t.created_at.0)?;
    stmt.raw_bind_parameter(at + 10, t.updated_at.0)?;
    stmt.raw_bind_parameter(at + 11, attributes_json(&t.attributes))?;
    Ok(())
}

/// Binds one merge-state row's values from parameter `at + 1` on.
fn bind_base(
    stmt: &mut rusqlite::Statement<'_>,
    at: usize,
    source: &str,
    uid: &str,
    version: &str,
) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(at + 1, source)?;
    stmt.raw_bind_parameter(at + 2, uid)?;
    stmt.raw_bind_parameter(at + 3, version)
}
