//! File ▸ Export: choose a format and filters, pick where, and export on a worker thread.

use std::path::PathBuf;

use super::dialogs::DialogKind;
use super::state::StetApp;
use super::worker::{Worker, spawn_on_project, take_finished};
use crate::export::{ExportFilter, ExportFormat};
use crate::store::{Access, GOLD};
use crate::workflows::{ExportOutcome, ExportRequest, export_to_path};

/// The formats offered, with the name suggested for the output.
const FORMATS: &[(ExportFormat, &str, &str)] = &[
    (
        ExportFormat::Jsonl,
        "JSONL (stet, spaCy, Hugging Face)",
        "dataset.jsonl",
    ),
    (
        ExportFormat::Doccano,
        "doccano JSONL",
        "dataset.doccano.jsonl",
    ),
    (ExportFormat::Conll, "CoNLL-2003 IOB2", "dataset.conll"),
    (
        ExportFormat::LabelStudio,
        "Label Studio tasks",
        "tasks.json",
    ),
    (ExportFormat::Csv, "CSV, one row per span", "spans.csv"),
    (ExportFormat::Brat, "brat folder", "brat"),
    (
        ExportFormat::WebAnno,
        "WebAnno TSV folder (INCEpTION)",
        "webanno",
    ),
];

/// The Export window's state.
pub struct ExportWindow {
    pub open: bool,
    pub format: ExportFormat,
    pub gold_only: bool,
    pub done_only: bool,
    job: Option<Worker<ExportOutcome>>,
}

impl Default for ExportWindow {
    fn default() -> Self {
        Self {
            open: false,
            format: ExportFormat::Jsonl,
            gold_only: false,
            done_only: false,
            job: None,
        }
    }
}

impl ExportWindow {
    /// Whether an export is running.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }
}

impl StetApp {
    /// The Export window, if open, and a finished export's report.
    pub(crate) fn export_window_ui(&mut self, ctx: &egui::Context) {
        self.poll_export();
        if !self.export.open {
            return;
        }
        let mut open = true;
        let mut go = false;
        let window = &mut self.export;
        egui::Window::new("Export dataset")
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                for (format, name, _) in FORMATS {
                    ui.radio_value(&mut window.format, *format, *name);
                }
                ui.label(
                    egui::RichText::new(format!("offsets: {}", window.format.offset_unit())).weak(),
                );
                ui.separator();
                ui.checkbox(&mut window.gold_only, "only the gold (adjudicated) layer");
                ui.checkbox(&mut window.done_only, "only documents marked done");
                ui.horizontal(|ui| {
                    go = ui
                        .add_enabled(!window.busy(), egui::Button::new("Export…"))
                        .clicked();
                    if window.busy() {
                        ui.spinner();
                        ui.label("exporting…");
                    }
                });
            });
        self.export.open = open;
        if go {
            let suggested = FORMATS
                .iter()
                .find(|(f, _, _)| *f == self.export.format)
                .map_or("dataset", |(_, _, file)| file);
            if let Some(paths) = self.ask_paths(DialogKind::Export, suggested)
                && let Some(out) = paths.into_iter().next()
            {
                self.start_export(out, ctx);
            }
        }
    }

    /// Exports to `out` on a worker thread with its own read-only connection.
    pub(crate) fn start_export(&mut self, out: PathBuf, ctx: &egui::Context) {
        let request = ExportRequest {
            format: self.export.format,
            filter: ExportFilter {
                annotators: if self.export.gold_only {
                    vec![GOLD.to_owned()]
                } else {
                    Vec::new()
                },
                only_done: self.export.done_only,
                ..ExportFilter::default()
            },
            out,
            split: None,
        };
        self.export.job = Some(spawn_on_project(
            ctx,
            self.project.path(),
            Access::ReadOnly,
            move |project| export_to_path(project, &request).map_err(|e| e.to_string()),
        ));
        self.status.info("Exporting…");
    }

    fn poll_export(&mut self) {
        let Some(result) = take_finished(&mut self.export.job, "the export") else {
            return;
        };
        match result {
            Ok(outcome) => {
                let place = outcome
                    .written
                    .first()
                    .map(|(p, _)| p.display().to_string())
                    .unwrap_or_default();
                self.status.info(format!(
                    "Exported {} documents and {} spans to {place} (offsets: {})",
                    outcome.total.documents,
                    outcome.total.spans,
                    self.export.format.offset_unit()
                ));
            }
            Err(err) => self.status.error(format!("Export failed: {err}")),
        }
    }
}
