//! Reading the project for a dataset export: which documents and spans a filter keeps, in
//! the one order every format writes (documents in import order; spans by start, longest
//! first, label order, annotator).

use std::collections::{BTreeSet, HashSet};

use rusqlite::params_from_iter;
use serde_json::{Map, Value};

use super::documents::{DocumentInfo, parse_meta};
use super::relations::{RELATION_COLUMNS, read_relation};
use super::spans::{SPAN_COLUMNS, read_span};
use super::{Project, Result};
use crate::model::{Relation, Span, Timestamp};

/// Which documents and spans an export includes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportFilter {
    /// Only these annotators' spans (empty: everyone's).
    pub annotators: Vec<String>,
    /// Only spans with these labels (empty: all labels).
    pub labels: Vec<String>,
    /// Only documents marked done (by one of `annotators`, or by anyone if none are named).
    pub only_done: bool,
    /// Only the documents with these uids (one part of a split); `None`: every document.
    pub documents: Option<BTreeSet<String>>,
    /// Keep suggestions (spans of origin `suggested`, and their links); left out by default.
    pub include_suggested: bool,
}

impl ExportFilter {
    /// Whether the export holds every annotator's spans of every label, so that it speaks
    /// for its documents whole (and can carry the project's uid and revision for merging).
    pub fn is_whole(&self) -> bool {
        self.annotators.is_empty() && self.labels.is_empty()
    }
}

/// One document as exporters see it.
#[derive(Clone, Debug)]
pub struct ExportDocument {
    pub info: DocumentInfo,
    pub text: String,
    /// The document's stored meta plus `source`.
    pub meta: Map<String, Value>,
    /// The spans that pass the filter, in export order.
    pub spans: Vec<Span>,
    /// The relations between those spans (both ends exported), in the order they were made.
    pub relations: Vec<Relation>,
}

impl Project {
    /// The project's uid and revision, which a whole export (see [`ExportFilter::is_whole`])
    /// carries so that a colleague can merge it like the project.
    pub fn export_origin(&self, filter: &ExportFilter) -> Result<Option<(String, i64)>> {
        if filter.is_whole() {
            Ok(Some((self.uid()?, self.revision()?)))
        } else {
            Ok(None)
        }
    }

    /// The documents that pass `filter`, with their filtered spans, in export order. They
    /// are read a page at a time, so memory holds a few documents however big the project.
    pub fn export_documents<'p>(&'p self, filter: &ExportFilter) -> ExportDocuments<'p> {
        ExportDocuments::new(self, filter)
    }

    /// The uids of the documents `filter` keeps (its `documents` set aside), in import
    /// order: what a split divides.
    pub fn export_document_uids(&self, filter: &ExportFilter) -> Result<Vec<String>> {
        let wanted_docs = if filter.only_done {
            Some(self.done_documents(&filter.annotators)?)
        } else {
            None
        };
        let mut stmt = self
            .conn
            .prepare("SELECT id, uid FROM documents ORDER BY id")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter(|(id, _)| wanted_docs.as_ref().is_none_or(|w| w.contains(id)))
            .map(|(_, uid)| uid)
            .collect())
    }

    /// Documents marked done by any of `annotators` (or by anyone when empty).
    fn done_documents(&self, annotators: &[String]) -> Result<HashSet<i64>> {
        let mut sql = String::from(
            "SELECT st.document_id FROM document_status st
             JOIN annotators a ON a.id = st.annotator_id WHERE st.status = 'done'",
        );
        if !annotators.is_empty() {
            let marks = vec!["?"; annotators.len()].join(", ");
            sql.push_str(&format!(" AND a.name IN ({marks})"));
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let ids = stmt
            .query_map(params_from_iter(annotators), |r| r.get(0))?
            .collect::<rusqlite::Result<HashSet<i64>>>()?;
        Ok(ids)
    }
}

/// Documents read per page.
const PAGE_DOCUMENTS: i64 = 32;

/// The documents of an export, read a page at a time (see [`Project::export_documents`]).
pub struct ExportDocuments<'p> {
    project: &'p Project,
    filter: ExportFilter,
    /// The documents marked done, when the filter asks for them (read on the first page).
    done: Option<Option<HashSet<i64>>>,
    /// The highest document id read so far.
    after: i64,
    page: std::collections::VecDeque<ExportDocument>,
    finished: bool,
}

impl<'p> ExportDocuments<'p> {
    fn new(project: &'p Project, filter: &ExportFilter) -> Self {
        Self {
            project,
            filter: filter.clone(),
            done: None,
            after: i64::MIN,
            page: std::collections::VecDeque::new(),
            finished: false,
        }
    }

    /// Reads the next page of documents (and their spans) into `page`.
    fn read_page(&mut self) -> Result<()> {
        if self.done.is_none() {
            self.done = Some(if self.filter.only_done {
                Some(self.project.done_documents(&self.filter.annotators)?)
            } else {
                None
            });
        }
        let conn = &self.project.conn;
        let mut docs = Vec::new();
        {
            let mut stmt = conn.prepare_cached(
                "SELECT d.id, d.uid, d.title, d.source, d.format, d.len_chars, d.imported_at,
                        d.text, d.meta_json
                 FROM documents d WHERE d.id > ?1 ORDER BY d.id LIMIT ?2",
            )?;
            let mut rows = stmt.query(rusqlite::params![self.after, PAGE_DOCUMENTS])?;
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                self.after = id;
                let uid: String = row.get(1)?;
                let wanted = self
                    .done
                    .as_ref()
                    .and_then(Option::as_ref)
                    .is_none_or(|done| done.contains(&id))
                    && self
                        .filter
                        .documents
                        .as_ref()
                        .is_none_or(|d| d.contains(&uid));
                if wanted {
                    docs.push(read_export_document(row, id, uid, Vec::new())?);
                }
            }
        }
        if let (Some(first), Some(last)) = (docs.first(), docs.last()) {
            let (first, last) = (first.info.id, last.info.id);
            let spans = self.spans_between(first, last)?;
            let mut spans = spans.into_iter().peekable();
            for doc in &mut docs {
                while let Some(span) = spans.next_if(|s| s.document_id <= doc.info.id) {
                    if span.document_id == doc.info.id {
                        doc.spans.push(span);
                    }
                }
                doc.info.span_count = doc.spans.len();
            }
            let relations = self.relations_between(first, last)?;
            let mut relations = relations.into_iter().peekable();
            for doc in &mut docs {
                let exported: HashSet<i64> = doc.spans.iter().map(|s| s.id).collect();
                while let Some(relation) = relations.next_if(|r| r.document_id <= doc.info.id) {
                    if relation.document_id == doc.info.id
                        && exported.contains(&relation.from)
                        && exported.contains(&relation.to)
                    {
                        doc.relations.push(relation);
                    }
                }
            }
        }
        self.page.extend(docs);
        Ok(())
    }

    /// The relations of documents `first..=last`, by document then creation.
    fn relations_between(&self, first: i64, last: i64) -> Result<Vec<Relation>> {
        let mut stmt = self.project.conn.prepare_cached(&format!(
            "SELECT {RELATION_COLUMNS} WHERE r.document_id BETWEEN ?1 AND ?2
             ORDER BY r.document_id, r.id"
        ))?;
        let relations = stmt
            .query_map([first, last], read_relation)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(relations)
    }

    /// The filtered spans of documents `first..=last`, in export order.
    fn spans_between(&self, first: i64, last: i64) -> Result<Vec<Span>> {
        let mut sql = format!("SELECT {SPAN_COLUMNS} WHERE s.document_id BETWEEN ?1 AND ?2");
        let mut args: Vec<rusqlite::types::Value> = vec![first.into(), last.into()];
        for (column, values) in [
            ("a.name", &self.filter.annotators),
            ("l.name", &self.filter.labels),
        ] {
            if !values.is_empty() {
                let marks = vec!["?"; values.len()].join(", ");
                sql.push_str(&format!(" AND {column} IN ({marks})"));
                args.extend(values.iter().map(|v| v.clone().into()));
            }
        }
        if !self.filter.include_suggested {
            sql.push_str(" AND s.origin <> 'suggested'");
        }
        sql.push_str(" ORDER BY s.document_id, s.start, s.\"end\" DESC, l.position, a.name, s.id");
        let mut stmt = self.project.conn.prepare_cached(&sql)?;
        let spans = stmt
            .query_map(params_from_iter(args), read_span)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(spans)
    }
}

impl Iterator for ExportDocuments<'_> {
    type Item = Result<ExportDocument>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(doc) = self.page.pop_front() {
                return Some(Ok(doc));
            }
            if self.finished {
                return None;
            }
            let before = self.after;
            if let Err(err) = self.read_page() {
                self.finished = true;
                return Some(Err(err));
            }
            if self.after == before {
                self.finished = true;
            }
        }
    }
}

fn read_export_document(
    row: &rusqlite::Row<'_>,
    id: i64,
    uid: String,
    spans: Vec<Span>,
) -> rusqlite::Result<ExportDocument> {
    let source: String = row.get(3)?;
    let meta_json: String = row.get(8)?;
    let mut meta = parse_meta(&meta_json);
    meta.insert("source".into(), Value::String(source.clone()));
    let info = DocumentInfo {
        id,
        uid,
        title: row.get(2)?,
        source,
        format: row.get(4)?,
        len_chars: row.get::<_, i64>(5)? as usize,
        imported_at: Timestamp(row.get(6)?),
        span_count: spans.len(),
    };
    Ok(ExportDocument {
        info,
        text: row.get(7)?,
        meta,
        spans,
        relations: Vec::new(),
    })
}
