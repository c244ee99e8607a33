//! Imports run on a worker thread with their own connection, so the window never freezes.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::commands::Command;
use super::state::StetApp;
use super::worker::{Worker, spawn_on_project, take_finished};
use crate::store::Access;
use crate::workflows::{ImportReport, import_paths};

/// An import in progress.
pub struct ImportJob {
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    worker: Option<Worker<ImportReport>>,
}

impl ImportJob {
    /// Files read so far and in all (0 until the files are listed).
    pub fn progress(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

impl StetApp {
    /// Starts importing `paths` in the background.
    pub(crate) fn start_import(&mut self, paths: Vec<PathBuf>, ctx: &egui::Context) {
        if self.busy_writing() {
            return;
        }
        let annotator = self.annotator.clone();
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (done_w, total_w) = (done.clone(), total.clone());
        let repaint = ctx.clone();
        let worker = spawn_on_project(
            ctx,
            self.project.path(),
            Access::ReadWrite,
            move |project| {
                import_paths(project, &paths, &annotator, &mut |d, t| {
                    done_w.store(d, Ordering::Relaxed);
                    total_w.store(t, Ordering::Relaxed);
                    repaint.request_repaint();
                })
                .map_err(|e| e.to_string())
            },
        );
        self.import = Some(ImportJob {
            done,
            total,
            worker: Some(worker),
        });
        self.status.info("Importing…");
    }

    /// Picks up a finished import: reloads the list and opens the first new document.
    pub(crate) fn poll_import(&mut self) {
        let Some(job) = &mut self.import else {
            return;
        };
        let Some(result) = take_finished(&mut job.worker, "the import") else {
            return;
        };
        self.import = None;
        match result {
            Ok(report) => self.finish_import(&report),
            Err(err) => self.status.error(format!("Import failed: {err}")),
        }
    }

    /// Applies an import's report to the window.
    pub(crate) fn finish_import(&mut self, report: &ImportReport) {
        if let Err(err) = self.reload_documents() {
            self.status.error(format!("{err:#}"));
            return;
        }
        if let Some(first) = report.first_document() {
            self.send(Command::OpenDocument(first));
        }
        self.import_errors = report.errors.clone();
        let mut message = format!(
            "Imported {} document(s), {} span(s); {} already in the project; {} file(s) refused",
            report.added.len(),
            report.spans_added,
            report.duplicates.len(),
            report.errors.len()
        );
        // Colleagues' exports were merged: say what each did and list its conflicts.
        for merged in &report.merged {
            let name = merged.source.file_name().unwrap_or_default().display();
            message.push_str(&format!("; merged {name}: {}", merged.summary()));
            self.import_errors.extend(
                merged
                    .conflicts
                    .iter()
                    .map(|c| format!("{}: {c}", merged.source.display())),
            );
        }
        for note in &report.notes {
            message.push_str("; ");
            message.push_str(note);
        }
        if self.import_errors.is_empty() {
            self.status.info(message);
        } else {
            self.status.error(message);
        }
    }
}
