//! The review section of the right panel: layers, compare mode with its disagreement list,
//! accept/reject with a comment, the document's review status, and the Agreement window.

use egui::RichText;

use super::commands::Command;
use super::state::StetApp;
use crate::store::{GOLD, ReviewStatus, Verdict};

impl StetApp {
    /// The review section.
    pub(crate) fn review_panel_ui(&mut self, ui: &mut egui::Ui) {
        egui::CollapsingHeader::new("Review")
            .default_open(self.review.annotators.len() > 1)
            .show(ui, |ui| {
                self.layers_ui(ui);
                self.compare_ui(ui);
                self.review_status_ui(ui);
                if ui
                    .button("Agreement…")
                    .on_hover_text("F1, Cohen's/Fleiss' κ and Krippendorff's α_u")
                    .clicked()
                {
                    self.send(Command::ShowAgreement);
                }
            });
    }

    fn layers_ui(&mut self, ui: &mut egui::Ui) {
        ui.label("Layers shown");
        let comparing = self.review.compare.is_some();
        ui.horizontal_wrapped(|ui| {
            for name in self.review.annotators.clone() {
                let mut shown = !self.review.hidden.contains(&name);
                let text = if name == self.annotator {
                    format!("{name} (me)")
                } else {
                    name.clone()
                };
                if ui
                    .add_enabled(!comparing, egui::Checkbox::new(&mut shown, text))
                    .changed()
                {
                    self.commands.push(Command::ToggleLayer(name));
                }
            }
        });
    }

    fn compare_ui(&mut self, ui: &mut egui::Ui) {
        let others: Vec<String> = self
            .review
            .annotators
            .iter()
            .filter(|a| a.as_str() != GOLD)
            .cloned()
            .collect();
        let mut comparing = self.review.compare.is_some();
        let toggle = ui.add_enabled(
            others.len() >= 2,
            egui::Checkbox::new(&mut comparing, "Compare two annotators"),
        );
        if toggle.changed() {
            let pair = comparing.then(|| (others[0].clone(), others[1].clone()));
            self.commands.push(Command::SetCompare(pair));
        }
        let Some((a, b)) = self.review.compare.clone() else {
            return;
        };
        for (side, current, other) in [("A", &a, &b), ("B", &b, &a)] {
            ui.horizontal_wrapped(|ui| {
                ui.label(side);
                for name in &others {
                    if name == other {
                        continue;
                    }
                    if ui.selectable_label(name == current, name).clicked() && name != current {
                        let pair = if side == "A" {
                            (name.clone(), b.clone())
                        } else {
                            (a.clone(), name.clone())
                        };
                        self.commands.push(Command::SetCompare(Some(pair)));
                    }
                }
            });
        }
        let disagreements = self.review.disagreements.len();
        let agreed = self.review.compared.len() - disagreements;
        ui.label(format!(
            "{disagreements} disagreements, {agreed} spans agree (n / p to step)"
        ));
        if ui
            .button("Accept all where they agree")
            .on_hover_text("Copies every span both tagged identically into the gold layer")
            .clicked()
        {
            self.commands.push(Command::AcceptAgreed);
        }
        // A selectable button's height: its text and padding, at least the interact size.
        let row_height = (ui.text_style_height(&egui::TextStyle::Button)
            + 2.0 * ui.spacing().button_padding.y)
            .max(ui.spacing().interact_size.y);
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .id_salt("disagreements")
            .max_height(160.0)
            .show_rows(ui, row_height, disagreements, |ui, rows| {
                for (span_id, row) in &self.review.disagreements[rows] {
                    let selected = self.selected_span == Some(*span_id);
                    if ui
                        .add(egui::Button::selectable(selected, row.as_str()).truncate())
                        .clicked()
                    {
                        clicked = Some(*span_id);
                    }
                }
            });
        if let Some(id) = clicked {
            self.commands.push(Command::SelectSpan(Some(id)));
        }
    }

    fn review_status_ui(&mut self, ui: &mut egui::Ui) {
        let Some(id) = self.open_document_id() else {
            return;
        };
        let current = self.review.statuses.get(&id).copied().unwrap_or_default();
        ui.horizontal_wrapped(|ui| {
            ui.label("This document:");
            for status in [
                ReviewStatus::Unreviewed,
                ReviewStatus::InReview,
                ReviewStatus::Adjudicated,
            ] {
                if ui
                    .selectable_label(status == current, status.label())
                    .clicked()
                    && status != current
                {
                    self.commands.push(Command::SetReviewStatus(status));
                }
            }
        });
    }

    /// Verdicts on the selected span, and accept/reject with a comment.
    pub(crate) fn verdicts_ui(&mut self, ui: &mut egui::Ui, span_id: i64, annotator: &str) {
        for verdict in self.review.verdicts.iter().filter(|v| v.span_id == span_id) {
            let mark = match verdict.verdict {
                Verdict::Accepted => "✔ accepted",
                Verdict::Rejected => "✖ rejected",
            };
            let comment = if verdict.comment.is_empty() {
                String::new()
            } else {
                format!(": {}", verdict.comment)
            };
            ui.add(
                egui::Label::new(RichText::new(format!(
                    "{mark} by {}{comment}",
                    verdict.reviewer
                )))
                .wrap(),
            );
        }
        if annotator == GOLD {
            ui.label(RichText::new("gold layer (adjudicated)").weak());
            return;
        }
        let caption = ui.label("review comment");
        ui.add(
            egui::TextEdit::singleline(&mut self.review.comment)
                .hint_text("optional, shown to the annotator")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(caption.id);
        ui.horizontal(|ui| {
            if ui.button("Accept (A)").clicked() {
                self.commands.push(Command::Accept);
            }
            if ui.button("Reject (R)").clicked() {
                self.commands.push(Command::Reject);
            }
        });
    }
}
