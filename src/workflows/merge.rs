//! Merging a colleague's project file or stet JSONL export into this project: their side read
//! (by the store, or from the export's records), the plan made (`review::merge`), the plan
//! applied and logged (by the store) — all or nothing per file.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::ingest::{Article, ExportOrigin, FileKind, IngestError, read_file};
use crate::model::{Fingerprint, LabelDef, Origin, SpanError, SpanVersion, Timestamp};
use crate::review::merge::{MergeReport, PlanError, plan};
use crate::store::merge::{
    FastMap, MergeSource, SourceDocument, SourceKind, SourceRelation, SourceSpan,
};
use crate::store::{Access, Project, StoreError};

/// Why a file could not be merged; the project merged into is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Either project could not be read or written (theirs not found, not a stet project,
    /// from a newer or older stet, damaged; ours read-only or busy).
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{}: this is the project being merged into; merge a colleague's file", path.display())]
    SameFile { path: PathBuf },
    #[error("{}: {message}; nothing merged", path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error("{}:{line}: {message}; nothing merged", path.display())]
    Record {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{}: an older export of project {project} (revision {found}) than one merged before (revision {merged}); it would undo their later work, so nothing was merged: ask for a new export",
        path.display()
    )]
    OlderExport {
        path: PathBuf,
        project: String,
        found: u64,
        merged: u64,
    },
    #[error(
        "{}: not a stet JSONL export (its records name no \"project\"); import it with `stet import` instead",
        path.display()
    )]
    NotAnExport { path: PathBuf },
    /// Their JSONL file could not be read.
    #[error("{0}")]
    Read(#[from] IngestError),
}

/// Merges a colleague's project file, or their stet JSONL export (by its extension), into
/// `mine`. `by` is the person merging; an export's spans that name no annotator are theirs.
pub fn merge_file(mine: &mut Project, theirs: &Path, by: &str) -> Result<MergeReport, MergeError> {
    if FileKind::of(theirs) == Some(FileKind::Jsonl) {
        let articles = read_file(theirs, FileKind::Jsonl)?;
        merge_export(mine, theirs, articles, by, by)
    } else {
        merge_project(mine, theirs, by)
    }
}

/// Merges the project file `theirs` into `mine` in one transaction; `theirs` is only read.
pub fn merge_project(
    mine: &mut Project,
    theirs: &Path,
    by: &str,
) -> Result<MergeReport, MergeError> {
    if mine.is_read_only() {
        return Err(StoreError::ReadOnly {
            path: mine.path().to_owned(),
        }
        .into());
    }
    if let (Ok(a), Ok(b)) = (mine.path().canonicalize(), theirs.canonicalize())
        && a == b
    {
        return Err(MergeError::SameFile {
            path: theirs.to_owned(),
        });
    }
    let their_project = Project::open(theirs, Access::ReadOnly)?;
    let source = their_project.read_as_merge_source()?;
    run(mine, &source, by)
}

/// Merges `articles`, read from the stet JSONL export at `path`, into `mine` in one
/// transaction, as [`merge_project`] merges a project file. Spans whose record names no
/// annotator are `annotator`'s; `by` is the person merging, whom the log names.
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
    if mine.is_read_only() {
        return Err(StoreError::ReadOnly {
            path: mine.path().to_owned(),
        }
        .into());
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
    let source = source_from_export(path, &origin, articles, scheme.labels, annotator)?;
    run(mine, &source, by).map_err(|err| match err {
        MergeError::OlderExport { found, merged, .. } => MergeError::OlderExport {
            path: path.to_owned(),
            project: origin.project.clone(),
            found,
            merged,
        },
        other => other,
    })
}

/// Plans and applies the merge of `source`.
fn run(mine: &mut Project, source: &MergeSource<'_>, by: &str) -> Result<MergeReport, MergeError> {
    let path = source.path.clone();
    mine.merge_from(source, by, |local, source| {
        plan(local, source).map_err(|err| match err {
            PlanError::Corrupt(message) => MergeError::Corrupt {
                path: path.clone(),
                message,
            },
            PlanError::OlderExport { found, merged } => MergeError::OlderExport {
                path: path.clone(),
                project: source.uid.clone(),
                found,
                merged,
            },
        })
    })
}

/// Their side as an export tells it: documents with their texts, the labels of this
/// project (a label this project lacks refuses the file, as an import would), no statuses
/// and no history.
fn source_from_export(
    path: &Path,
    origin: &ExportOrigin,
    articles: Vec<Article>,
    labels: Vec<LabelDef>,
    annotator: &str,
) -> Result<MergeSource<'static>, MergeError> {
    let known = labels
        .iter()
        .map(|l| l.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let label_index: FastMap<String, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.name.clone(), i))
        .collect();
    let mut annotators: Vec<String> = Vec::new();
    let mut annotator_index: FastMap<String, usize> = FastMap::default();
    let now = Timestamp::now();
    let mut docs = Vec::with_capacity(articles.len());
    let mut texts = Vec::with_capacity(articles.len());
    let mut spans = Vec::new();
    let mut relations = Vec::new();
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
            // Suggestions are local to the project that made them: never merged as tags.
            if span.origin == Some(Origin::Suggested) {
                continue;
            }
            let Some(&label) = label_index.get(&span.label) else {
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
            let annotator = *annotator_index.entry(name.to_owned()).or_insert_with(|| {
                annotators.push(name.to_owned());
                annotators.len() - 1
            });
            spans.push(SourceSpan {
                version: SpanVersion::with_attributes(
                    &fingerprint.uid,
                    span.range,
                    &span.label,
                    name,
                    &span.note,
                    &span.attributes,
                ),
                attributes: span.attributes.clone(),
                uid,
                doc: index,
                range: span.range,
                label,
                annotator,
                note: span.note.clone(),
                origin: Origin::Imported,
                created_at: now,
                updated_at: now,
            });
        }
        for relation in &article.relations {
            let ends = article
                .spans
                .get(relation.from)
                .zip(article.spans.get(relation.to));
            let (Some((from, to)), Some(uid)) = (ends, relation.uid.clone()) else {
                continue;
            };
            if from.origin == Some(Origin::Suggested) || to.origin == Some(Origin::Suggested) {
                continue;
            }
            let (Some(from_uid), Some(to_uid)) = (from.uid.clone(), to.uid.clone()) else {
                continue;
            };
            relations.push(SourceRelation {
                uid,
                kind: relation.kind.clone(),
                from_uid,
                to_uid,
                annotator: from
                    .annotator
                    .clone()
                    .unwrap_or_else(|| record_annotator.to_owned()),
                origin: Origin::Imported,
                created_at: now,
            });
        }
        docs.push(SourceDocument {
            uid: fingerprint.uid.clone(),
            title: article.title,
            source: path.display().to_string(),
            format: article.format.as_str().to_owned(),
            meta_json: Value::Object(article.meta).to_string(),
            len_chars: fingerprint.len_chars,
            id: index as i64,
        });
        texts.push((article.text, fingerprint));
    }
    Ok(MergeSource {
        path: path.to_owned(),
        uid: origin.project.clone(),
        docs,
        labels,
        annotators,
        spans,
        statuses: Vec::new(),
        relations,
        kind: SourceKind::Export {
            texts,
            revision: origin.revision,
        },
    })
}
