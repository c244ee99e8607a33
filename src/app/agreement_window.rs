//! The Agreement window: overall and per-label scores, a per-label chart, and documents sorted
//! by disagreement (a click opens one in compare mode). Computed as a background job.

use egui::RichText;
use egui_plot::{Bar, BarChart, Legend, Plot};

use super::commands::Command;
use super::words::shorten;
use crate::model::count;
use crate::review::{AgreementReport, Scores};

/// The window's state.
#[derive(Default)]
pub struct AgreementWindow {
    pub open: bool,
    pub report: Option<AgreementReport>,
    pub error: Option<String>,
}

/// The Agreement window, if open; `busy` while the computation runs.
pub fn agreement_window(
    ctx: &egui::Context,
    bounds: egui::Rect,
    window: &mut AgreementWindow,
    busy: bool,
) -> Option<Command> {
    if !window.open {
        return None;
    }
    let mut open = true;
    let mut command = None;
    super::overlays::window("Agreement", bounds)
        .open(&mut open)
        .default_width(620.0)
        .default_height(560.0)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                if ui.button("Compute again").clicked() && !busy {
                    command = Some(Command::ComputeAgreement);
                }
                if busy {
                    ui.spinner();
                    ui.label("computing…");
                }
            });
            if let Some(error) = &window.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            if let Some(report) = &window.report
                && let Some(clicked) = report_ui(ui, report)
            {
                command = Some(clicked);
            }
        });
    window.open = open;
    command
}

/// Shows a report; a click on a document asks to open it in compare mode.
fn report_ui(ui: &mut egui::Ui, report: &AgreementReport) -> Option<Command> {
    ui.label(format!(
        "{} · {} ({} not worked on by everyone, left out)",
        report.annotators.join(" vs "),
        count(report.documents.len(), "document"),
        report.documents_skipped
    ));
    // Fleiss' κ is for three annotators or more; with two it only repeats Cohen's.
    let fleiss = report.annotators.len() > 2;
    egui::Grid::new("agreement_scores")
        .striped(true)
        .show(ui, |ui| {
            for header in ["", "exact F1", "overlap F1", "Cohen κ", "Fleiss κ", "α_u"] {
                if header != "Fleiss κ" || fleiss {
                    ui.label(RichText::new(header).strong());
                }
            }
            ui.end_row();
            scores_row(ui, "overall", &report.overall, fleiss);
            for (label, scores) in &report.labels {
                scores_row(ui, label, scores, fleiss);
            }
        });
    let relations = &report.relations;
    if relations.relations.iter().any(|&n| n > 0) {
        ui.label(format!(
            "Relations: exact F1 {}, precision {}, recall {} ({} matching)",
            fmt(relations.exact_f1),
            fmt(relations.precision),
            fmt(relations.recall),
            relations.matches
        ));
    }
    for (name, scores) in &report.attributes {
        ui.label(format!(
            "{name}: agreement {}, Cohen κ {} over {} tagged alike",
            fmt(scores.agreement),
            fmt(scores.cohen_kappa),
            count(scores.n, "span")
        ));
    }
    label_chart_ui(ui, report);
    ui.separator();
    ui.label(RichText::new("Documents, most disagreement first (click to compare)").strong());
    let mut command = None;
    let pair = match report.annotators.as_slice() {
        [a, b, ..] => Some((a.clone(), b.clone())),
        _ => None,
    };
    egui::ScrollArea::vertical()
        .id_salt("agreement_documents")
        .max_height(200.0)
        .show(ui, |ui| {
            for doc in &report.documents {
                let text = format!(
                    "{:>3} disagreements · exact F1 {} · {}",
                    doc.disagreements,
                    fmt(doc.scores.exact_f1),
                    shorten(&doc.title, 60)
                );
                if ui.selectable_label(false, text).clicked()
                    && let Some((a, b)) = &pair
                {
                    command = Some(Command::OpenCompare {
                        document: doc.id,
                        a: a.clone(),
                        b: b.clone(),
                    });
                }
            }
        });
    command
}

fn scores_row(ui: &mut egui::Ui, name: &str, scores: &Scores, fleiss: bool) {
    ui.label(name);
    let fleiss = fleiss.then_some(scores.fleiss_kappa);
    for value in [
        Some(scores.exact_f1),
        Some(scores.overlap_f1),
        Some(scores.cohen_kappa),
        fleiss,
        Some(scores.alpha_u),
    ]
    .into_iter()
    .flatten()
    {
        ui.label(fmt(value));
    }
    ui.end_row();
}

/// Reads one score out of a scope's scores.
type Metric = fn(&Scores) -> Option<f64>;

/// Exact F1, overlap F1 and α_u per label, side by side.
fn label_chart_ui(ui: &mut egui::Ui, report: &AgreementReport) {
    let series: [(&str, Metric, f64); 3] = [
        ("exact F1", |s| s.exact_f1, -0.25),
        ("overlap F1", |s| s.overlap_f1, 0.0),
        ("α_u", |s| s.alpha_u, 0.25),
    ];
    let labels: Vec<&String> = report.labels.keys().collect();
    let charts: Vec<BarChart> = series
        .iter()
        .map(|(name, metric, offset)| {
            let bars = labels
                .iter()
                .enumerate()
                .filter_map(|(i, label)| {
                    let value = report.labels.get(*label).and_then(metric)?;
                    Some(Bar::new(i as f64 + offset, value).width(0.22).name(*label))
                })
                .collect();
            BarChart::new(*name, bars)
        })
        .collect();
    let names = labels.clone();
    Plot::new("agreement_by_label")
        .height(180.0)
        .legend(Legend::default())
        .include_y(0.0)
        .include_y(1.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                names
                    .get(i as usize)
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
}

/// Three decimals, or a dash where the metric is undefined.
fn fmt(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"))
}
