//! Background work the window starts (import, merge, copy, export, agreement, suggestions) and what it
//! shows when each finishes, in the words the command line uses; opening another project.

use std::path::{Path, PathBuf};

use super::StetApp;
use super::jobs::{JobError, JobKind, JobOutput, Work};
use super::session::Session;
use crate::export::ExportFilter;
use crate::model::{LabelScheme, count};
use crate::review::{AgreementOptions, agreement};
use crate::store::{Access, GOLD, Project};
use crate::workflows::{
    ExportRequest, ImportOptions, ImportReport, SuggestRequest, export_to_path, import_paths_with,
    merge_file, suggest_project,
};

impl StetApp {
    fn start_job(
        &mut self,
        ctx: &egui::Context,
        kind: JobKind,
        access: Access,
        work: Work,
    ) -> bool {
        let path = self.session.project.path().to_owned();
        match self.jobs.start(ctx, kind, &path, access, work) {
            Ok(()) => true,
            Err(why) => {
                self.ui.status.error(why);
                false
            }
        }
    }

    /// Starts importing `paths` in the background; `add_labels` adds to the scheme what the
    /// files use that it lacks.
    pub(crate) fn start_import(
        &mut self,
        paths: Vec<PathBuf>,
        add_labels: bool,
        ctx: &egui::Context,
    ) {
        let annotator = self.session.annotator.clone();
        let repaint = ctx.clone();
        let options = ImportOptions {
            add_labels,
            ..ImportOptions::default()
        };
        let work: Work = Box::new(move |project, progress| {
            let report =
                import_paths_with(project, &paths, &annotator, &options, &mut |done, total| {
                    progress.set(done, total);
                    repaint.request_repaint();
                })?;
            Ok(JobOutput::Imported(report))
        });
        if self.start_job(ctx, JobKind::Import, Access::ReadWrite, work) {
            self.ui.status.info("Importing…");
        }
    }

    /// Starts merging `theirs` into the open project.
    pub(crate) fn start_merge(&mut self, theirs: PathBuf, ctx: &egui::Context) {
        let by = self.session.annotator.clone();
        let work: Work =
            Box::new(move |project, _| Ok(JobOutput::Merged(merge_file(project, &theirs, &by)?)));
        if self.start_job(ctx, JobKind::Merge, Access::ReadWrite, work) {
            self.ui.status.info("Merging…");
        }
    }

    /// Starts writing a copy of the open project for a colleague.
    pub(crate) fn start_copy(&mut self, dest: PathBuf, ctx: &egui::Context) {
        let work: Work = Box::new(move |project, _| {
            project.save_copy(&dest)?;
            Ok(JobOutput::Copied(dest))
        });
        if self.start_job(ctx, JobKind::Copy, Access::ReadOnly, work) {
            self.ui.status.info("Writing the copy…");
        }
    }

    /// Exports to `out` with the Export window's choices.
    pub(crate) fn start_export(&mut self, out: PathBuf, ctx: &egui::Context) {
        let form = &self.ui.export;
        let request = ExportRequest {
            format: form.format,
            filter: ExportFilter {
                annotators: if form.gold_only {
                    vec![GOLD.to_owned()]
                } else {
                    Vec::new()
                },
                only_done: form.done_only,
                ..ExportFilter::default()
            },
            out,
            split: None,
            options: Default::default(),
        };
        let work: Work =
            Box::new(move |project, _| Ok(JobOutput::Exported(export_to_path(project, &request)?)));
        if self.start_job(ctx, JobKind::Export, Access::ReadOnly, work) {
            self.ui.status.info("Exporting…");
        }
    }

    /// Starts computing agreement for the compared pair, or for every annotator but gold.
    pub(crate) fn compute_agreement(&mut self, ctx: &egui::Context) {
        let annotators = self.session.review.compared_annotators();
        self.ui.agreement.error = None;
        let work: Work = Box::new(move |project, _| {
            let options = AgreementOptions {
                annotators,
                ..AgreementOptions::default()
            };
            Ok(JobOutput::Agreement(Box::new(agreement(
                project, &options,
            )?)))
        });
        self.start_job(ctx, JobKind::Agreement, Access::ReadOnly, work);
    }

    /// Runs the recognisers over the open document off the UI thread; its suggestions appear
    /// when they are stored.
    pub(crate) fn suggest_document(&mut self, ctx: &egui::Context) {
        let Some(document) = self.session.open.as_ref().map(|open| open.info.id) else {
            self.ui.status.error("Open a document first");
            return;
        };
        let work: Work = Box::new(move |project, _| {
            let request = SuggestRequest {
                document: Some(document),
                ..SuggestRequest::default()
            };
            Ok(JobOutput::Suggested(suggest_project(project, &request)?))
        });
        if self.start_job(ctx, JobKind::Suggest, Access::ReadWrite, work) {
            self.ui.status.info("Suggesting…");
        }
    }

    /// Shows what the jobs that finished did.
    pub(crate) fn poll_jobs(&mut self) {
        for (kind, result) in self.jobs.finished() {
            let shown = match result {
                Ok(output) => self.job_done(output),
                Err(err) => {
                    self.job_failed(kind, &err);
                    Ok(())
                }
            };
            if let Err(err) = shown {
                self.ui.status.error(format!("{err:#}"));
            }
        }
    }

    fn job_failed(&mut self, kind: JobKind, err: &JobError) {
        if kind == JobKind::Agreement {
            self.ui.agreement.error = Some(err.to_string());
            return;
        }
        let what = match kind {
            JobKind::Import => "Import failed",
            JobKind::Merge => "Merge failed",
            JobKind::Copy => "Copy failed",
            JobKind::Export => "Export failed",
            JobKind::Agreement => "Agreement failed",
            JobKind::Suggest => "Suggesting failed",
        };
        self.ui.status.error(format!("{what}: {err}"));
    }

    fn job_done(&mut self, output: JobOutput) -> anyhow::Result<()> {
        match output {
            JobOutput::Imported(report) => self.finish_import(&report)?,
            JobOutput::Merged(report) => {
                self.session.reload_all()?;
                self.session.mark_seen();
                self.ui.problems = report
                    .conflicts
                    .iter()
                    .map(|c| format!("{}: {c}", report.source.display()))
                    .collect();
                let message = format!("Merged {}: {}", report.source.display(), report.summary());
                if report.conflicts.is_empty() {
                    self.ui.status.info(message);
                } else {
                    self.ui.status.error(message);
                }
            }
            JobOutput::Copied(path) => self.ui.status.info(format!(
                "Saved a copy for a colleague: {}. Merge it back with File ▸ Merge when they are done",
                path.display()
            )),
            JobOutput::Exported(outcome) => {
                let lines = outcome.summary_lines();
                let place = outcome
                    .written
                    .first()
                    .map(|(p, _)| p.display().to_string())
                    .unwrap_or_default();
                // The last line is the total; notes on what was left out come before it.
                let mut message = lines.last().cloned().unwrap_or_default();
                if let Some(first) = message.get(..1) {
                    message = first.to_uppercase() + &message[1..];
                }
                message.push_str(&format!(" to {place}"));
                self.ui.problems = lines[..lines.len().saturating_sub(1)].to_vec();
                self.ui.status.info(message);
            }
            JobOutput::Agreement(report) => self.ui.agreement.report = Some(*report),
            JobOutput::Suggested(report) => {
                self.session.after_edit()?;
                let total: usize = report.added.values().sum();
                let by_label: Vec<String> = report
                    .added
                    .iter()
                    .map(|(label, n)| format!("{n} {label}"))
                    .collect();
                self.ui.status.info(if total == 0 {
                    "No new suggestions in this document".to_owned()
                } else {
                    format!(
                        "Suggested {}: dashed outlines; Enter accepts, Delete rejects",
                        by_label.join(", ")
                    )
                });
            }
        }
        Ok(())
    }

    /// Shows an import's report: the list read again, the first new document opened.
    pub(crate) fn finish_import(&mut self, report: &ImportReport) -> anyhow::Result<()> {
        self.session.reload_all()?;
        self.session.mark_seen();
        if let Some(first) = report.first_document() {
            self.send(super::Command::OpenDocument(first));
        }
        self.ui.problems = report.errors.clone();
        self.ui.lacking_scheme = report
            .lacking_scheme
            .iter()
            .map(|(_, path)| path.clone())
            .collect();
        let mut message = report.summary();
        if let Some(first) = message.get(..1) {
            message = first.to_uppercase() + &message[1..];
        }
        // Colleagues' exports were merged: say what each did and list its conflicts.
        for merged in &report.merged {
            let name = merged.source.file_name().unwrap_or_default().display();
            message.push_str(&format!("; merged {name}: {}", merged.summary()));
            self.ui.problems.extend(
                merged
                    .conflicts
                    .iter()
                    .map(|c| format!("{}: {c}", merged.source.display())),
            );
        }
        for note in report.notes.iter().chain(&report.skipped) {
            message.push_str("; ");
            message.push_str(note);
        }
        if self.ui.problems.is_empty() {
            self.ui.status.info(message);
        } else {
            self.ui.status.error(message);
        }
        Ok(())
    }

    /// Credits the window's work to `name` from now on (the project opened again for that
    /// annotator), and keeps the name for the next start.
    pub(crate) fn set_annotator(
        &mut self,
        name: String,
        ctx: &egui::Context,
    ) -> anyhow::Result<()> {
        let name = name.trim().to_owned();
        if name == self.session.annotator {
            return Ok(());
        }
        let path = self.session.project.path().to_owned();
        let open = self.session.open_document_id();
        self.save_note();
        self.collect_edits(std::time::Duration::from_secs(10));
        let project = Project::open(&path, Access::ReadWrite)?;
        self.session = Session::new(project, name.clone(), Some(ctx.clone()))?;
        if let Some(open) = open {
            self.session.open_document(open)?;
        }
        self.ui.document_changed();
        self.remember_annotator(&name);
        self.ui
            .status
            .info(format!("Annotating as {name}: new spans are {name}'s"));
        Ok(())
    }

    pub(crate) fn open_project(&mut self, path: &Path, ctx: &egui::Context) -> anyhow::Result<()> {
        let project = Project::open(path, Access::ReadWrite)?;
        self.switch_project(project, ctx)
    }

    pub(crate) fn new_project(&mut self, path: &Path, ctx: &egui::Context) -> anyhow::Result<()> {
        let project = Project::create(path, &LabelScheme::newsroom())?;
        self.switch_project(project, ctx)
    }

    fn switch_project(&mut self, project: Project, ctx: &egui::Context) -> anyhow::Result<()> {
        self.save_note();
        self.collect_edits(std::time::Duration::from_secs(10));
        let annotator = self.session.annotator.clone();
        self.session = Session::new(project, annotator, Some(ctx.clone()))?;
        self.ui.document_changed();
        self.ui.sticky_label = None;
        self.ui.recent.add(self.session.project.path());
        self.ui.status.info(format!(
            "Opened {} ({})",
            self.session.project.path().display(),
            count(self.session.documents.all.len(), "document")
        ));
        Ok(())
    }
}
