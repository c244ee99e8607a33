//! Background jobs (import, merge, copy, export, agreement, suggestions): each on a thread of its own with
//! its own connection to the project, polled in one place, so the window never waits. An
//! import and a merge never run alongside each other, so that their reports say what each
//! did.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crate::export::ExportError;
use crate::review::AgreementReport;
use crate::review::merge::MergeReport;
use crate::store::{Access, Project, StoreError};
use crate::workflows::{ExportOutcome, ImportReport, MergeError, SuggestReport};

/// Which job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    Import,
    Merge,
    Copy,
    Export,
    Agreement,
    Suggest,
}

impl JobKind {
    /// The job in words, for messages ("the import").
    pub const fn name(self) -> &'static str {
        match self {
            Self::Import => "the import",
            Self::Merge => "the merge",
            Self::Copy => "the copy",
            Self::Export => "the export",
            Self::Agreement => "the agreement computation",
            Self::Suggest => "the suggestions",
        }
    }

    /// Whether the job writes to the project.
    pub const fn writes(self) -> bool {
        matches!(self, Self::Import | Self::Merge | Self::Suggest)
    }
}

/// What a finished job gave.
#[derive(Debug)]
pub enum JobOutput {
    Imported(ImportReport),
    Merged(MergeReport),
    /// The copy's path.
    Copied(PathBuf),
    Exported(ExportOutcome),
    Agreement(Box<AgreementReport>),
    Suggested(SuggestReport),
}

/// Why a job failed, said once.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Merge(#[from] MergeError),
    #[error("{0}")]
    Export(#[from] ExportError),
    #[error("{} stopped unexpectedly", .0.name())]
    Stopped(JobKind),
}

/// How far a job has got: items done and in all (0 in all until known).
#[derive(Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// Records progress.
    pub fn set(&self, done: usize, total: usize) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// Items done and in all.
    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

struct Running {
    kind: JobKind,
    progress: Arc<Progress>,
    handle: JoinHandle<Result<JobOutput, JobError>>,
}

/// The jobs running now.
#[derive(Default)]
pub struct Jobs {
    running: Vec<Running>,
}

/// What a job's work gets: the project (its own connection) and a progress to report to.
pub type Work = Box<dyn FnOnce(&mut Project, &Progress) -> Result<JobOutput, JobError> + Send>;

impl Jobs {
    /// Starts `work` on a new thread with the project at `path` opened with `access`; asks
    /// `ctx` for a frame when it is done. Refuses (returns why) a job of a kind that is
    /// running, and a writing job while another writes.
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        kind: JobKind,
        path: &Path,
        access: Access,
        work: Work,
    ) -> Result<(), String> {
        if self.is_running(kind) || (kind.writes() && self.running.iter().any(|r| r.kind.writes()))
        {
            return Err(if kind.writes() {
                "An import or merge is already running; try again when it has finished".into()
            } else {
                format!(
                    "{} is already running; try again when it has finished",
                    kind.name()
                )
            });
        }
        let progress = Arc::new(Progress::default());
        let job_progress = progress.clone();
        let ctx = ctx.clone();
        let path = path.to_owned();
        let handle = std::thread::spawn(move || {
            let result = Project::open(&path, access)
                .map_err(JobError::from)
                .and_then(|mut project| work(&mut project, &job_progress));
            ctx.request_repaint();
            result
        });
        self.running.push(Running {
            kind,
            progress,
            handle,
        });
        Ok(())
    }

    /// Whether a job of this kind is running.
    pub fn is_running(&self, kind: JobKind) -> bool {
        self.running.iter().any(|r| r.kind == kind)
    }

    /// How far the running job of this kind has got.
    pub fn progress(&self, kind: JobKind) -> Option<(usize, usize)> {
        self.running
            .iter()
            .find(|r| r.kind == kind)
            .map(|r| r.progress.get())
    }

    /// The jobs that finished since the last call, with their results.
    pub fn finished(&mut self) -> Vec<(JobKind, Result<JobOutput, JobError>)> {
        let mut done = Vec::new();
        let mut i = 0;
        while i < self.running.len() {
            if self.running[i].handle.is_finished() {
                let job = self.running.swap_remove(i);
                let result = job
                    .handle
                    .join()
                    .unwrap_or(Err(JobError::Stopped(job.kind)));
                done.push((job.kind, result));
            } else {
                i += 1;
            }
        }
        done
    }
}
