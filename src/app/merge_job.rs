//! File ▸ Merge a colleague's project (or their stet JSONL export), on a worker thread with
//! its own connection.

use std::path::PathBuf;
use std::thread::JoinHandle;

use super::state::StetApp;
use crate::review::merge::{MergeReport, merge_file};
use crate::store::{Access, Project};

/// A merge in progress.
pub type MergeJob = JoinHandle<Result<MergeReport, String>>;

/// A copy for a colleague in progress: the copy's path when done.
pub type CopyJob = JoinHandle<Result<PathBuf, String>>;

impl StetApp {
    /// Starts merging `theirs` into the open project.
    pub(crate) fn start_merge(&mut self, theirs: PathBuf, ctx: &egui::Context) {
        if self.merge_job.is_some() || self.import.is_some() {
            self.status
                .error("An import or merge is already running; try again when it has finished");
            return;
        }
        let mine = self.project.path().to_owned();
        let by = self.annotator.clone();
        let ctx = ctx.clone();
        self.merge_job = Some(std::thread::spawn(move || {
            let result = Project::open(&mine, Access::ReadWrite)
                .map_err(|e| e.to_string())
                .and_then(|mut project| {
                    merge_file(&mut project, &theirs, &by).map_err(|e| e.to_string())
                });
            ctx.request_repaint();
            result
        }));
        self.status.info("Merging…");
    }

    /// Picks up a finished merge: reloads labels, documents and spans; lists conflicts.
    pub(crate) fn poll_merge(&mut self) {
        if !self.merge_job.as_ref().is_some_and(JoinHandle::is_finished) {
            return;
        }
        let Some(job) = self.merge_job.take() else {
            return;
        };
        let report = match job.join() {
            Ok(Ok(report)) => report,
            Ok(Err(err)) => return self.status.error(format!("Merge failed: {err}")),
            Err(_) => return self.status.error("The merge stopped unexpectedly"),
        };
        // The merge may have added labels: reopen so the project knows them.
        let reopened = Project::open(self.project.path(), Access::ReadWrite)
            .map_err(anyhow::Error::from)
            .and_then(|project| {
                self.scheme = project.scheme()?;
                self.project = project;
                self.reload_documents()?;
                self.reload_spans()
            });
        if let Err(err) = reopened {
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
        let mine = self.project.path().to_owned();
        let ctx = ctx.clone();
        self.copy_job = Some(std::thread::spawn(move || {
            let result = Project::open(&mine, Access::ReadOnly)
                .and_then(|project| project.save_copy(&dest))
                .map(|_| dest)
                .map_err(|e| e.to_string());
            ctx.request_repaint();
            result
        }));
        self.status.info("Writing the copy…");
    }

    /// Reports a finished copy.
    pub(crate) fn poll_copy(&mut self) {
        if !self.copy_job.as_ref().is_some_and(JoinHandle::is_finished) {
            return;
        }
        let Some(job) = self.copy_job.take() else {
            return;
        };
        match job.join() {
            Ok(Ok(path)) => self.status.info(format!(
                "Saved a copy for a colleague: {}. Merge it back with File ▸ Merge when they are done",
                path.display()
            )),
            Ok(Err(err)) => self.status.error(format!("Copy failed: {err}")),
            Err(_) => self.status.error("The copy stopped unexpectedly"),
        }
    }
}
