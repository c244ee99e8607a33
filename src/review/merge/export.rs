//! Merging a colleague's JSONL export: its records are read into the shape a project file's
//! contents take ([`Theirs`]) and merged by the same three-way comparison.

use std::path::Path;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::Value;

use super::{
    At, Map, MergeError, MergeReport, Merger, TheirDoc, TheirKind, TheirSpan, Theirs, version_of,
    with_merge_cache,
};
use crate::ingest::{Article, ExportOrigin};
use crate::model::{LabelDef, Origin, SpanError, Timestamp};
use crate::store::{Fingerprint, Project, StoreError};

/// Merges `articles`, read from the stet JSONL export at `path`, into `mine` in one
/// transaction, as [`super::merge_project`] merges a project file. Spans whose record names
/// no annotator are `annotator`'s; `by` is the person merging, whom the log names.
///
/// The file must come from another project than `mine` (importing one's own export is a
/// plain import), and must not be older than an export of that project merged before.
pub fn merge_export(
    mine: &mut Project,
    path: &Path,
    articles: Vec<Article>,
    annotator: &str,
    by: &str,
) -> Result<MergeReport, MergeError> {
    let mine_path = mine.path().to_owned();
    if mine.is_read_only() {
        return Err(StoreError::ReadOnly { path: mine_path }.into());
    }
    let Some(origin) = articles.first().and_then(|a| a.export.clone()) else {
        return Err(MergeError::NotAnExport {
            path: path.to_owned(),
        });
    };
    if origin.project == mine.uid()? {
        return Err(MergeError::SameFile {
            path: path.to_owned(),
        });
    }
    let scheme = mine.scheme()?;
    let their = Theirs::from_export(path, &origin, articles, scheme.labels, annotator)?;
    let key = format!("export_revision:{}", origin.project);
    with_merge_cache(mine.connection(), &mine_path, |conn| {
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate).at(&mine_path)?;
        let merged: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = ?1", [&key], |r| {
                r.get(0)
            })
            .optional()
            .at(&mine_path)?;
        let merged = merged.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        if origin.revision < merged {
            return Err(MergeError::OlderExport {
                path: path.to_owned(),
                project: origin.project.clone(),
                found: origin.revision,
                merged,
            });
        }
        let mut merger = Merger::new(&tx, &mine_path, path, &their)?;
        merger.run(by)?;
        let report = merger.report;
        if origin.revision > merged {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, origin.revision.to_string()],
            )
            .at(&mine_path)?;
        }
        tx.commit().at(&mine_path)?;
        Ok(report)
    })
}

impl Theirs<'_> {
    /// Their side as an export tells it: documents with their texts, the labels of this
    /// project (a label this project lacks refuses the file, as an import would), no
    /// statuses and no history.
    fn from_export(
        path: &Path,
        origin: &ExportOrigin,
        articles: Vec<Article>,
        labels: Vec<LabelDef>,
        annotator: &str,
    ) -> Result<Self, MergeError> {
        let known = labels
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let label_ids: Map<String, i64> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.name.clone(), i as i64))
            .collect();
        let mut annotator_ids: Map<String, i64> = Map::default();
        let now = Timestamp::now().0;
        let mut docs = Vec::with_capacity(articles.len());
        let mut texts = Vec::with_capacity(articles.len());
        let mut spans = Vec::new();
        for (index, article) in articles.into_iter().enumerate() {
            let line = article.line.unwrap_or(index + 1);
            let refuse = |message: String| MergeError::Record {
                path: path.to_owned(),
                line,
                message,
            };
            let fingerprint = Fingerprint::of(&article.text);
            let record_annotator = article.annotator.as_deref().unwrap_or(annotator);
            for (n, span) in article.spans.iter().enumerate() {
                let Some(&label) = label_ids.get(&span.label) else {
                    let error = SpanError::UnknownLabel {
                        label: span.label.clone(),
                        known: known.clone(),
                    };
                    return Err(refuse(format!("span {}: {error}", n + 1)));
                };
                let Some(uid) = span.uid.clone() else {
                    return Err(refuse(format!(
                        "span {} ({} {}) has no \"id\"",
                        n + 1,
                        span.label,
                        span.range
                    )));
                };
                let name = span.annotator.as_deref().unwrap_or(record_annotator);
                let next = annotator_ids.len() as i64;
                let annotator_id = *annotator_ids.entry(name.to_owned()).or_insert(next);
                spans.push(TheirSpan {
                    version: version_of(
                        &fingerprint.uid,
                        span.range,
                        &span.label,
                        name,
                        &span.note,
                    ),
                    uid,
                    doc: index,
                    range: span.range,
                    label,
                    annotator: annotator_id,
                    note: span.note.clone(),
                    origin: Origin::Imported,
                    created_at: now,
                    updated_at: now,
                });
            }
            docs.push(TheirDoc {
                uid: fingerprint.uid.clone(),
                title: article.title,
                source: path.display().to_string(),
                format: article.format.as_str().to_owned(),
                meta_json: Value::Object(article.meta).to_string(),
                id: index as i64,
            });
            texts.push((article.text, fingerprint));
        }
        Ok(Self {
            uid: origin.project.clone(),
            docs,
            labels: labels
                .into_iter()
                .enumerate()
                .map(|(i, l)| (i as i64, l))
                .collect(),
            annotators: annotator_ids
                .into_iter()
                .map(|(name, id)| (id, name))
                .collect(),
            spans,
            statuses: Vec::new(),
            kind: TheirKind::Export { texts },
        })
    }
}
