//! File ▸ Export: choose a format and filters, pick where; the export runs as a job.

use super::commands::Command;
use super::session::Session;
use crate::export::ExportFormat;

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
        ExportFormat::Spacy,
        "spaCy DocBin (spacy train)",
        "dataset.spacy",
    ),
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

/// The Export window's choices.
pub struct ExportForm {
    pub open: bool,
    pub format: ExportFormat,
    pub gold_only: bool,
    pub done_only: bool,
}

impl Default for ExportForm {
    fn default() -> Self {
        Self {
            open: false,
            format: ExportFormat::Jsonl,
            gold_only: false,
            done_only: false,
        }
    }
}

impl ExportForm {
    /// The file name the dialog suggests for the chosen format.
    pub fn suggested_name(&self) -> &'static str {
        FORMATS
            .iter()
            .find(|(f, _, _)| *f == self.format)
            .map_or("dataset", |(_, _, file)| file)
    }
}

/// The Export window, if open.
pub fn export_window(
    ctx: &egui::Context,
    bounds: egui::Rect,
    _session: &Session,
    form: &mut ExportForm,
    busy: bool,
) -> Option<Command> {
    if !form.open {
        return None;
    }
    let mut open = true;
    let mut go = false;
    super::overlays::window("Export dataset", bounds)
        .open(&mut open)
        .collapsible(false)
        .show(ctx, |ui| {
            for (format, name, _) in FORMATS {
                ui.radio_value(&mut form.format, *format, *name);
            }
            ui.label(egui::RichText::new(format!("offsets: {}", form.format.offset_unit())).weak());
            ui.separator();
            ui.checkbox(&mut form.gold_only, "only the gold (adjudicated) layer");
            ui.checkbox(&mut form.done_only, "only documents marked done");
            ui.horizontal(|ui| {
                go = ui
                    .add_enabled(!busy, egui::Button::new("Export…"))
                    .clicked();
                if busy {
                    ui.spinner();
                    ui.label("exporting…");
                }
            });
        });
    form.open = open;
    go.then_some(Command::AskExport)
}
