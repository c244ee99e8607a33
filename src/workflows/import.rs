//! Importing files into a project: read and parse on one thread, insert on the caller's, each
//! file all or nothing.
//!
//! Nothing slow happens while the project is locked for writing: files are parsed, hashed and
//! measured before a transaction begins, and a transaction only inserts what is ready. Each
//! holds the lock for at most [`BATCH_TIME`], then lets other writers in (the window's edits
//! go through between two batches), so a long import never holds up anyone for long. A
//! colleague's stet JSONL export is merged rather than imported.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::merge::{MergeError, merge_export};
use crate::ingest::{
    Article, Collected, FileKind, IngestError, ReadOptions, collect_paths, read_file_with,
};
use crate::model::{Fingerprint, LabelScheme, Origin};
use crate::review::merge::MergeReport;
use crate::store::{Batch, InsertError, NewDocument, NewRelation, NewSpan, Project, StoreError};

/// Files gathered for one transaction at most.
const BATCH_FILES: usize = 2_000;
/// Text gathered for one transaction at most, in bytes.
const BATCH_BYTES: usize = 32 << 20;
/// How long one transaction may hold the write lock before it commits (a single file's
/// documents are never split, so one huge file may take longer).
const BATCH_TIME: Duration = Duration::from_millis(50);
/// How long parsed files are gathered before a transaction begins, at most.
const GATHER_TIME: Duration = Duration::from_millis(200);
/// The pause after a transaction that held the lock long, so that writers waiting on it
/// (polling every millisecond) get their turn.
const YIELD: Duration = Duration::from_millis(2);

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Documents added, in the order read.
    pub added: Vec<i64>,
    /// Documents whose text was already in the project: (file, existing document id).
    pub duplicates: Vec<(PathBuf, i64)>,
    /// Spans added (to new or existing documents).
    pub spans_added: usize,
    /// Relations added between those spans.
    pub relations_added: usize,
    /// One line per file that was refused, naming the file (and line).
    pub errors: Vec<String>,
    /// One line per file passed over (unknown type).
    pub skipped: Vec<String>,
    /// Other things worth saying, one line each, naming the file.
    pub notes: Vec<String>,
    /// Colleagues' stet JSONL exports, merged rather than imported (their documents and
    /// spans are counted here, not above).
    pub merged: Vec<MergeReport>,
    /// Files refused only because the scheme lacks a label, attribute or relation kind they
    /// use (importing them with `add_labels` would take them), with the index of their line
    /// in `errors`.
    pub lacking_scheme: Vec<(usize, PathBuf)>,
}

impl ImportReport {
    /// The first document the import added or matched, for the app to show.
    pub fn first_document(&self) -> Option<i64> {
        self.added
            .first()
            .copied()
            .or_else(|| self.duplicates.first().map(|(_, id)| *id))
            .or_else(|| {
                self.merged.iter().find_map(|m| {
                    m.documents_new
                        .first()
                        .or(m.documents_matched.first())
                        .copied()
                })
            })
    }

    /// The one-line summary both faces show: `imported 2 documents and 5 spans; …`.
    pub fn summary(&self) -> String {
        let spans = if self.relations_added > 0 {
            format!(
                ", {} and {}",
                super::count(self.spans_added, "span"),
                super::count(self.relations_added, "relation")
            )
        } else {
            format!(" and {}", super::count(self.spans_added, "span"))
        };
        let passed_over = if self.skipped.is_empty() {
            String::new()
        } else {
            format!(
                "; {} of types stet does not read skipped",
                super::count(self.skipped.len(), "file")
            )
        };
        format!(
            "imported {}{spans}; {} already in the project (skipped); {} refused{passed_over}",
            super::count(self.added.len(), "document"),
            self.duplicates.len(),
            super::count(self.errors.len(), "file"),
        )
    }
}

/// Imports files and folders into `project`. Spans without an annotator of their own go to
/// `annotator`. `progress(done, total)` is called after each file. Bad files are reported in
/// the result and leave the project as it was; only a failure of the project itself is an
/// `Err`.
///
/// A stet JSONL export of another project (its records name their `"project"`) is merged
/// like that project ([`merge_export`]): spans keep their uids, and the colleague's later
/// edits and deletions are applied by the next import of a newer export.
pub fn import_paths(
    project: &mut Project,
    paths: &[PathBuf],
    annotator: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport, StoreError> {
    import_paths_with(
        project,
        paths,
        annotator,
        &ImportOptions::default(),
        progress,
    )
}

/// The user's choices for an import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Field names of JSON records.
    pub read: ReadOptions,
    /// Add to the project's scheme the labels, attributes and relation kinds the files use
    /// that it lacks, instead of refusing those files.
    pub add_labels: bool,
}

/// [`import_paths`] with the user's [`ImportOptions`].
pub fn import_paths_with(
    project: &mut Project,
    paths: &[PathBuf],
    annotator: &str,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport, StoreError> {
    let Collected {
        files,
        skipped,
        errors,
    } = collect_paths(paths);
    let mut report = ImportReport {
        errors: errors.iter().map(ToString::to_string).collect(),
        skipped: skipped
            .iter()
            .map(|(path, why)| format!("{}: skipped: {why}", path.display()))
            .collect(),
        ..ImportReport::default()
    };
    let total = files.len();
    let (sender, receiver) = mpsc::sync_channel(64);
    let reader_annotator = annotator.to_owned();
    let reader_options = options.read.clone();
    let scheme = project.scheme()?;
    let reader = std::thread::spawn(move || {
        read_all(files, &reader_annotator, &reader_options, &scheme, sender)
    });
    let mut done = 0;
    let mut gathered: Vec<(PathBuf, Prepared)> = Vec::new();
    let mut reader_finished = false;
    while !reader_finished || !gathered.is_empty() {
        // Gather parsed files with no transaction open.
        let mut bytes: usize = gathered.iter().map(|(_, p)| p.bytes).sum();
        let started = Instant::now();
        let mut export = None;
        while !reader_finished && gathered.len() < BATCH_FILES && bytes < BATCH_BYTES {
            let wait = if gathered.is_empty() {
                Duration::from_secs(3600)
            } else {
                GATHER_TIME.saturating_sub(started.elapsed())
            };
            match receiver.recv_timeout(wait) {
                Ok((path, Ok(FileRead::Documents(prepared)))) => {
                    bytes += prepared.bytes;
                    gathered.push((path, prepared));
                }
                Ok((path, Ok(FileRead::Export(articles)))) => {
                    // A merge has its own transaction: insert what is gathered first.
                    export = Some((path, articles));
                    break;
                }
                Ok((_, Err(err))) => {
                    report.errors.push(err.to_string());
                    done += 1;
                    progress(done, total);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => reader_finished = true,
            }
        }
        insert_gathered(
            project,
            &mut gathered,
            options.add_labels,
            &mut report,
            &mut |n| {
                done += n;
                progress(done, total);
            },
        )?;
        if let Some((path, articles)) = export {
            merge_file(project, &path, articles, annotator, &mut report)?;
            done += 1;
            progress(done, total);
        }
    }
    // The reader ends early only if it panicked: say so rather than report a short import
    // as complete.
    if reader.join().is_err() {
        report.errors.push(
            "reading the files stopped unexpectedly; the files not listed above were not imported"
                .into(),
        );
    }
    Ok(report)
}

/// Inserts the gathered files, committing whenever a transaction has held the lock for
/// [`BATCH_TIME`] and pausing briefly after such a transaction; `inserted(n)` counts files.
fn insert_gathered(
    project: &mut Project,
    gathered: &mut Vec<(PathBuf, Prepared)>,
    add_labels: bool,
    report: &mut ImportReport,
    inserted: &mut dyn FnMut(usize),
) -> Result<(), StoreError> {
    let mut files = std::mem::take(gathered).into_iter().peekable();
    while files.peek().is_some() {
        let started = Instant::now();
        let mut batch = project.batch()?;
        let mut in_batch = 0;
        while started.elapsed() < BATCH_TIME {
            let Some((path, prepared)) = files.next() else {
                break;
            };
            insert_prepared(&mut batch, &path, prepared, add_labels, report)?;
            in_batch += 1;
        }
        batch.commit()?;
        inserted(in_batch);
        if files.peek().is_some() && started.elapsed() >= BATCH_TIME {
            std::thread::sleep(YIELD);
        }
    }
    Ok(())
}

/// Imports articles already read (for the app's drag-and-drop of text, and tests).
pub fn import_articles(
    project: &mut Project,
    source: &Path,
    articles: Vec<Article>,
    annotator: &str,
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport::default();
    match classify(articles, source, annotator) {
        FileRead::Documents(prepared) => {
            let mut batch = project.batch()?;
            insert_prepared(&mut batch, source, prepared, false, &mut report)?;
            batch.commit()?;
        }
        FileRead::Export(articles) => {
            merge_file(project, source, articles, annotator, &mut report)?
        }
    }
    Ok(report)
}

/// One file's documents, ready to insert, with the source line of each (JSONL).
struct Prepared {
    docs: Vec<NewDocument>,
    lines: Vec<Option<usize>>,
    /// What the reader left out, one line each, naming the file.
    notes: Vec<String>,
    /// The labels the file's collection declares (brat), for `add_labels`.
    declared: Vec<crate::ingest::DeclaredLabel>,
    /// The documents' text, in bytes.
    bytes: usize,
}

/// What reading one file gave.
enum FileRead {
    Documents(Prepared),
    /// A colleague's stet export, to merge.
    Export(Vec<Article>),
}

/// Reads, parses, hashes and measures each file on the reader thread.
fn read_all(
    files: Vec<(PathBuf, FileKind)>,
    annotator: &str,
    options: &ReadOptions,
    scheme: &LabelScheme,
    sender: mpsc::SyncSender<(PathBuf, Result<FileRead, IngestError>)>,
) {
    for (path, kind) in files {
        let read = read_file_with(&path, kind, options).map(|mut articles| {
            if kind == FileKind::Brat {
                for article in &mut articles {
                    restore_brat_names(article, scheme);
                }
            }
            classify(articles, &path, annotator)
        });
        if sender.send((path, read)).is_err() {
            return;
        }
    }
}

/// Gives back the project's own names to what brat could only store in its restricted form
/// (`mostly_true` for the verdict `mostly true`): a label, attribute, value or relation kind
/// the scheme lacks is renamed to the one scheme name with that storage form, if there is one.
fn restore_brat_names(article: &mut Article, scheme: &LabelScheme) {
    fn restore<'n>(name: &mut String, names: impl Iterator<Item = &'n String>) {
        let form = crate::export::brat_storage_form(name);
        let mut matches = names.filter(|n| crate::export::brat_storage_form(n) == form);
        if let (Some(only), None) = (matches.next(), matches.next())
            && only != name
        {
            *name = only.clone();
        }
    }
    for span in &mut article.spans {
        if scheme.label(&span.label).is_none() {
            restore(&mut span.label, scheme.labels.iter().map(|l| &l.name));
        }
        let Some(label) = scheme.label(&span.label) else {
            continue;
        };
        let attributes = std::mem::take(&mut span.attributes);
        for (mut name, mut value) in attributes {
            if label.attribute(&name).is_none() {
                restore(&mut name, label.attributes.iter().map(|a| &a.name));
            }
            if let Some(attribute) = label.attribute(&name)
                && !attribute.values.is_empty()
                && !attribute.values.contains(&value)
            {
                restore(&mut value, attribute.values.iter());
            }
            span.attributes.insert(name, value);
        }
    }
    for relation in &mut article.relations {
        if scheme.relation(&relation.kind).is_none() {
            restore(&mut relation.kind, scheme.relations.iter().map(|r| &r.name));
        }
    }
}

/// Sorts a file's articles into documents to insert or an export to merge.
fn classify(articles: Vec<Article>, path: &Path, annotator: &str) -> FileRead {
    if articles.first().is_some_and(|a| a.export.is_some()) {
        FileRead::Export(articles)
    } else {
        FileRead::Documents(prepare(articles, path, annotator))
    }
}

/// Merges a colleague's export, recording the outcome in `report`. An export of this very
/// project is imported as plain documents and tags instead: it has nothing to merge.
fn merge_file(
    project: &mut Project,
    path: &Path,
    articles: Vec<Article>,
    annotator: &str,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let own = articles
        .first()
        .and_then(|a| a.export.as_ref())
        .is_some_and(|origin| project.uid().is_ok_and(|uid| uid == origin.project));
    if own {
        report.notes.push(format!(
            "{}: exported from this project or a copy of it (the same project uid), so it is \
             imported as plain tags: edits and deletions are followed only between projects \
             created apart",
            path.display()
        ));
        let mut batch = project.batch()?;
        insert_prepared(
            &mut batch,
            path,
            prepare(articles, path, annotator),
            false,
            report,
        )?;
        return batch.commit();
    }
    match merge_export(project, path, articles, annotator, annotator) {
        Ok(merged) => report.merged.push(merged),
        // The project itself failing ends the import, as it does for plain files.
        Err(MergeError::Store(err)) => return Err(err),
        Err(err) => report.errors.push(err.to_string()),
    }
    Ok(())
}

fn prepare(articles: Vec<Article>, path: &Path, annotator: &str) -> Prepared {
    let lines = articles.iter().map(|a| a.line).collect();
    let notes = articles
        .iter()
        .flat_map(|a| &a.notes)
        .map(|note| format!("{}: {note}", path.display()))
        .collect();
    let declared = articles
        .first()
        .map(|a| a.declared_labels.clone())
        .unwrap_or_default();
    let mut bytes = 0;
    let docs = articles
        .into_iter()
        .map(|a| {
            let mut doc = to_new_document(a, path, annotator);
            doc.fingerprint = Some(Fingerprint::of(&doc.text));
            bytes += doc.text.len();
            doc
        })
        .collect();
    Prepared {
        docs,
        lines,
        notes,
        declared,
        bytes,
    }
}

fn insert_prepared(
    batch: &mut Batch<'_>,
    path: &Path,
    prepared: Prepared,
    add_labels: bool,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let Prepared {
        docs,
        lines,
        notes,
        declared,
        ..
    } = prepared;
    if add_labels {
        // Added in the batch's transaction: a file refused below still leaves the scheme
        // grown, which is harmless (labels with no spans) and what the user asked for.
        let added = batch.add_missing_scheme(&docs, &declared)?;
        if !added.is_empty() {
            report
                .notes
                .push(format!("{}: {}", path.display(), added.describe()));
        }
    }
    match batch.insert_documents(&docs) {
        Ok(outcomes) => {
            report.notes.extend(notes);
            for outcome in outcomes {
                if outcome.added {
                    report.added.push(outcome.document_id);
                } else {
                    report
                        .duplicates
                        .push((path.to_owned(), outcome.document_id));
                }
                report.spans_added += outcome.spans_added;
                report.relations_added += outcome.relations_added;
            }
            Ok(())
        }
        Err((_, InsertError::Store(err))) => Err(err),
        Err((index, refused)) => {
            let line = lines.get(index).copied().flatten();
            let place = match line {
                Some(line) => format!("{}:{line}", path.display()),
                None => path.display().to_string(),
            };
            // Only what the scheme lacks can be added: a relation the wrong way round or a
            // value outside a closed list is the file's mistake, not a missing name.
            if refused.lacks_scheme() {
                report
                    .lacking_scheme
                    .push((report.errors.len(), path.to_owned()));
            }
            report.errors.push(format!("{place}: {refused}"));
            Ok(())
        }
    }
}

fn to_new_document(article: Article, path: &Path, annotator: &str) -> NewDocument {
    let record_annotator = article.annotator.as_deref().unwrap_or(annotator);
    let spans = article
        .spans
        .into_iter()
        .map(|span| NewSpan {
            range: span.range,
            label: span.label,
            annotator: span
                .annotator
                .unwrap_or_else(|| record_annotator.to_owned()),
            note: span.note,
            origin: span.origin.unwrap_or(Origin::Imported),
            attributes: span.attributes,
        })
        .collect();
    let relations = article
        .relations
        .into_iter()
        .map(|relation| NewRelation {
            kind: relation.kind,
            from: relation.from,
            to: relation.to,
        })
        .collect();
    NewDocument {
        title: article.title,
        text: article.text,
        source: path.display().to_string(),
        format: article.format.as_str().to_owned(),
        meta: article.meta,
        spans,
        relations,
        fingerprint: None,
    }
}
