//! File ▸ Merge a colleague's project (or their stet JSONL export) and File ▸ Save a copy for
//! a colleague, on worker threads with their own connections.

use std::path::PathBuf;

use super::state::StetApp;
use super::worker::{Worker, spawn_on_project, take_finished};
use crate::review::merge::MergeReport;
use crate::store::Access;
use crate::workflows::merge_file;

/// A merge in progress.
pub type MergeJob = Worker<MergeReport>;

/// A copy for a colleague in progress: the copy's path when done.
pub type CopyJob = Worker<PathBuf>;

impl StetApp {
    /// Whether a job that writes to the project (an import or a merge) is running; one at a
    /// time, so that their reports say what each did.
    pub(crate) fn busy_writing(&mut self) -> bool {
        let busy = self.merge_job.is_some() || self.import.is_some();
        if busy {
            self.status
                .error("An import or merge is already running; try again when it has finished");
        }
        busy
    }

    /// Starts merging `theirs` into the open project.
    pub(crate) fn start_merge(&mut self, theirs: PathBuf, ctx: &egui::Context) {
        if self.busy_writing() {
            return;
        }
        let by = self.annotator.clone();
        self.merge_job = Some(spawn_on_project(
            ctx,
            self.project.path(),
            Access::ReadWrite,
            move |project| merge_file(project, &theirs, &by).map_err(|e| e.to_string()),
        ));
        self.status.info("Merging…");
    }

    /// Picks up a finished merge: reloads labels, documents and spans; lists conflicts.
    pub(crate) fn poll_merge(&mut self) {
        let report = match take_finished(&mut self.merge_job, "the merge") {
            None => return,
            Some(Ok(report)) => report,
            Some(Err(err)) => return self.status.error(format!("Merge failed: {err}")),
        };
        // The merge may have added labels.
        let reloaded = (|| -> anyhow::Result<()> {
            if !report.labels_added.is_empty() {
                self.scheme = self.project.scheme()?;
            }
            self.reload_documents()?;
            self.reload_spans()
        })();
        if let Err(err) = reloaded {
            return self.status.error(format!("{err:#}"));
        }
        self.import_errors = report.conflicts.iter().map(ToString::to_string).collect();
        let message = format!(
            "Merged {}: {} documents and {} spans added, {} updated, {} deleted; {} conflicts",
            report.source.display(),
            report.documents_added(),
            report.spans_added,
            report.spans_updated,
            report.spans_deleted,
            report.conflicts.len()
        );
        if report.conflicts.is_empty() {
            self.status.info(message);
        } else {
            self.status.error(message);
        }
    }

    /// Starts writing a copy of the open project for a colleague (with its own connection,
    /// so a big project does not hold up the window).
    pub(crate) fn start_copy(&mut self, dest: PathBuf, ctx: &egui::Context) {
        if self.copy_job.is_some() {
            self.status
                .error("A copy is already being written; try again when it has finished");
            return;
        }
        self.copy_job = Some(spawn_on_project(
            ctx,
            self.project.path(),
            Access::ReadOnly,
            move |project| {
                project
                    .save_copy(&dest)
                    .map(|_| dest)
                    .map_err(|e| e.to_string())
            },
        ));
        self.status.info("Writing the copy…");
    }

    /// Reports a finished copy.
    pub(crate) fn poll_copy(&mut self) {
        match take_finished(&mut self.copy_job, "the copy") {
            None => {}
            Some(Ok(path)) => self.status.info(format!(
                "Saved a copy for a colleague: {}. Merge it back with File ▸ Merge when they are done",
                path.display()
            )),
            Some(Err(err)) => self.status.error(format!("Copy failed: {err}")),
        }
    }
}
