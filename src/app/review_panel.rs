//! The review section of the right panel: layers, compare mode with its disagreement list,
//! accept/reject with a comment, the document's review status, and the Agreement window.

use egui::RichText;

use super::commands::Command;
use super::session::Session;
use crate::model::Span;
use crate::store::{GOLD, ReviewStatus, Verdict};

/// The review section.
pub fn review_panel(ui: &mut egui::Ui, session: &Session) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::CollapsingHeader::new("Review")
        .default_open(session.review.annotators.len() > 1)
        .show(ui, |ui| {
            layers(ui, session, &mut commands);
            compare(ui, session, &mut commands);
            review_status(ui, session, &mut commands);
            if ui
                .button("Agreement…")
                .on_hover_text("F1, Cohen's/Fleiss' κ and Krippendorff's α_u")
                .clicked()
            {
                commands.push(Command::ShowAgreement);
            }
        });
    commands
}

fn layers(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    ui.label("Layers shown");
    let review = &session.review;
    let comparing = review.compare.is_some();
    ui.horizontal_wrapped(|ui| {
        for name in &review.annotators {
            let mut shown = !review.hidden.contains(name);
            let text = if *name == session.annotator {
                format!("{name} (me)")
            } else {
                name.clone()
            };
            if ui
                .add_enabled(!comparing, egui::Checkbox::new(&mut shown, text))
                .changed()
            {
                commands.push(Command::ToggleLayer(name.clone()));
            }
        }
    });
}

fn compare(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    let review = &session.review;
    let others: Vec<&String> = review
        .annotators
        .iter()
        .filter(|a| a.as_str() != GOLD)
        .collect();
    let mut comparing = review.compare.is_some();
    let toggle = ui.add_enabled(
        others.len() >= 2,
        egui::Checkbox::new(&mut comparing, "Compare two annotators"),
    );
    if toggle.changed() {
        let pair = match (comparing, others.as_slice()) {
            (true, [a, b, ..]) => Some(((*a).clone(), (*b).clone())),
            _ => None,
        };
        commands.push(Command::SetCompare(pair));
    }
    let Some((a, b)) = &review.compare else {
        return;
    };
    for (side, current, other) in [("A", a, b), ("B", b, a)] {
        ui.horizontal_wrapped(|ui| {
            ui.label(side);
            for name in &others {
                if *name == other {
                    continue;
                }
                if ui
                    .selectable_label(*name == current, name.as_str())
                    .clicked()
                    && *name != current
                {
                    let pair = if side == "A" {
                        ((*name).clone(), b.clone())
                    } else {
                        (a.clone(), (*name).clone())
                    };
                    commands.push(Command::SetCompare(Some(pair)));
                }
            }
        });
    }
    let disagreements = review.disagreements.len();
    let agreed = review.compared.len() - disagreements;
    ui.label(format!(
        "{disagreements} disagreements, {agreed} spans agree (n / p to step)"
    ));
    if ui
        .button("Accept all where they agree")
        .on_hover_text("Copies every span both tagged identically into the gold layer")
        .clicked()
    {
        commands.push(Command::AcceptAgreed);
    }
    // A selectable button's height: its text and padding, at least the interact size.
    let row_height = (ui.text_style_height(&egui::TextStyle::Button)
        + 2.0 * ui.spacing().button_padding.y)
        .max(ui.spacing().interact_size.y);
    egui::ScrollArea::vertical()
        .id_salt("disagreements")
        .max_height(160.0)
        .show_rows(ui, row_height, disagreements, |ui, rows| {
            for (span_id, row) in review.disagreements.get(rows).unwrap_or_default() {
                let selected = session.selected_span == Some(*span_id);
                if ui
                    .add(egui::Button::selectable(selected, row.as_str()).truncate())
                    .clicked()
                {
                    commands.push(Command::SelectSpan(Some(*span_id)));
                }
            }
        });
}

fn review_status(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    let Some(id) = session.open_document_id() else {
        return;
    };
    let current = session
        .review
        .statuses
        .get(&id)
        .copied()
        .unwrap_or_default();
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
                commands.push(Command::SetReviewStatus(status));
            }
        }
    });
}

/// Verdicts on the selected span, and accept/reject with a comment.
pub fn verdicts(
    ui: &mut egui::Ui,
    session: &Session,
    span: &Span,
    comment: &mut String,
) -> Vec<Command> {
    let mut commands = Vec::new();
    for verdict in session
        .review
        .verdicts
        .iter()
        .filter(|v| v.span_id == span.id)
    {
        let mark = match verdict.verdict {
            Verdict::Accepted => "✔ accepted",
            Verdict::Rejected => "✖ rejected",
        };
        let said = if verdict.comment.is_empty() {
            String::new()
        } else {
            format!(": {}", verdict.comment)
        };
        ui.add(
            egui::Label::new(RichText::new(format!(
                "{mark} by {}{said}",
                verdict.reviewer
            )))
            .wrap(),
        );
    }
    if span.annotator == GOLD {
        ui.label(RichText::new("gold layer (adjudicated)").weak());
        return commands;
    }
    let caption = ui.label("review comment");
    ui.add(
        egui::TextEdit::singleline(comment)
            .hint_text("optional, shown to the annotator")
            .desired_width(f32::INFINITY),
    )
    .labelled_by(caption.id);
    ui.horizontal(|ui| {
        if ui.button("Accept (A)").clicked() {
            commands.push(Command::Accept);
        }
        if ui.button("Reject (R)").clicked() {
            commands.push(Command::Reject);
        }
    });
    commands
}
