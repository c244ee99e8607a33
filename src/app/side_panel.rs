//! The right panel: the label bar, the review section, the selected span's details, and the
//! document's spans.

use egui::{Color32, RichText, ScrollArea, Sense, Vec2};

use super::commands::Command;
use super::session::Session;
use super::theme;
use super::ui_state::{NoteDraft, UiState};
use super::words::{local_time, relation_words, shorten};
use crate::model::Span;

/// The right panel.
pub fn side_panel(ui: &mut egui::Ui, session: &Session, state: &mut UiState) -> Vec<Command> {
    let mut commands = Vec::new();
    // Content wraps or truncates to the panel; it never widens it.
    ui.set_max_width(ui.available_width());
    // The span list keeps at least a third of the panel; the rest scrolls above it.
    let top_height = (ui.available_height() * 0.66).max(120.0);
    ScrollArea::vertical()
        .id_salt("side_panel")
        .max_height(top_height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            commands.extend(label_bar(ui, session, state));
            ui.separator();
            commands.extend(super::review_panel::review_panel(ui, session));
            ui.separator();
            commands.extend(span_details(ui, session, state));
        });
    ui.separator();
    commands.extend(span_list(ui, session));
    commands
}

/// One row per label: colour, name, hotkey and a lock; the definition on hover.
fn label_bar(ui: &mut egui::Ui, session: &Session, state: &UiState) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading("Labels");
    for label in &session.scheme.labels {
        ui.horizontal(|ui| {
            let color = theme::label_color(label.rgb());
            let (rect, _) = ui.allocate_exact_size(Vec2::splat(14.0), Sense::hover());
            ui.painter().rect_filled(rect, 3.0, color);
            // A label added on import has no key: no empty brackets.
            let text = match label.hotkey.as_deref() {
                Some(key) => format!("{}   [{key}]", label.name),
                None => label.name.clone(),
            };
            let button = ui
                .add(egui::Button::new(text).min_size(Vec2::new(120.0, 0.0)))
                .on_hover_text(&label.description);
            if button.clicked() {
                commands.push(Command::ApplyLabel(label.name.clone()));
            }
            let locked = state.sticky_label.as_deref() == Some(label.name.as_str());
            let lock = ui
                // In words: the fonts' padlock reads as a chain link at this size.
                .selectable_label(locked, if locked { "locked" } else { "lock" })
                .on_hover_text(match label.hotkey.as_deref() {
                    Some(key) => format!(
                        "Lock “{}”: every selection is tagged at once (Shift+{key})",
                        label.name
                    ),
                    None => format!("Lock “{}”: every selection is tagged at once", label.name),
                });
            if lock.clicked() {
                commands.push(Command::ToggleSticky(label.name.clone()));
            }
        });
    }
    commands
}

/// The selected span: label, text, annotator, note editor, times, review.
fn span_details(ui: &mut egui::Ui, session: &Session, state: &mut UiState) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading("Span");
    let (Some(span), Some(open)) = (session.selected(), &session.open) else {
        ui.label(RichText::new("Click a span to see it here.").weak());
        return commands;
    };
    let text = open.slice(span);
    // The label choices wrap on a row of their own: wrapped inside a grid cell they ran
    // over the row below once the scheme had five labels.
    ui.horizontal_wrapped(|ui| {
        ui.label("label");
        for l in &session.scheme.labels {
            let chosen = l.name == span.label;
            if ui.selectable_label(chosen, &l.name).clicked() && !chosen {
                commands.push(Command::ApplyLabel(l.name.clone()));
            }
        }
    });
    egui::Grid::new("span_details")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("offsets");
            ui.label(format!("{} (code points)", span.range));
            ui.end_row();
            ui.label("annotator");
            ui.label(&span.annotator);
            ui.end_row();
            ui.label("origin");
            ui.label(span.origin.as_str());
            ui.end_row();
            ui.label("created");
            ui.label(local_time(span.created_at));
            ui.end_row();
            ui.label("changed");
            ui.label(local_time(span.updated_at));
            ui.end_row();
        });
    ui.add(egui::Label::new(super::words::quoted(text, 400)).wrap());
    commands.extend(attributes(ui, session, span));
    commands.extend(links(ui, session, span, state));
    commands.extend(note_editor(ui, span, session.may_edit(span), state));
    commands.extend(super::review_panel::verdicts(
        ui,
        session,
        span,
        &mut state.comment,
    ));
    commands
}

/// The span's attributes: each value of a list as a button (the chosen one lit; V cycles
/// the first), free values as text.
fn attributes(ui: &mut egui::Ui, session: &Session, span: &Span) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(label) = session.scheme.label(&span.label) else {
        return commands;
    };
    let editable = session.may_edit(span);
    for def in &label.attributes {
        let current = span.attributes.get(&def.name);
        ui.horizontal_wrapped(|ui| {
            ui.label(&def.name).on_hover_text(&def.description);
            if def.values.is_empty() {
                ui.label(current.map_or("—", String::as_str));
                return;
            }
            for value in &def.values {
                let chosen = current == Some(value);
                let button = ui.add_enabled(editable, egui::Button::selectable(chosen, value));
                if button.clicked() {
                    commands.push(Command::SetAttribute {
                        name: def.name.clone(),
                        value: (!chosen).then(|| value.clone()),
                    });
                }
            }
        });
    }
    if label.attributes.iter().any(|a| !a.values.is_empty()) && editable {
        ui.label(RichText::new("V: next value").weak().small());
    }
    commands
}

/// The relations the span is an end of ("said by: Dmitry Peskov"), each selectable and
/// removable, and the way to make one.
fn links(ui: &mut egui::Ui, session: &Session, span: &Span, state: &UiState) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(open) = &session.open else {
        return commands;
    };
    if session.scheme.relations.is_empty() {
        return commands;
    }
    let words = |id: i64| {
        open.spans
            .iter()
            .find(|s| s.id == id)
            .map(|s| shorten(open.slice(s), 40))
            .unwrap_or_default()
    };
    for relation in open
        .relations
        .iter()
        .filter(|r| r.from == span.id || r.to == span.id)
    {
        let kind = relation_words(&relation.kind);
        let (text, other) = if relation.from == span.id {
            (format!("{kind}: {}", words(relation.to)), relation.to)
        } else {
            (
                format!("{kind} (of): {}", words(relation.from)),
                relation.from,
            )
        };
        ui.horizontal(|ui| {
            let row = ui
                .add(egui::Button::new(text).truncate())
                .on_hover_text(format!(
                    "{}'s link; click to go to the other end",
                    relation.annotator
                ));
            if row.clicked() {
                commands.push(Command::SelectSpan(Some(other)));
            }
            let mine =
                relation.annotator == session.annotator || relation.annotator == crate::store::GOLD;
            if mine
                && ui
                    .small_button("✕")
                    .on_hover_text("remove this link")
                    .clicked()
            {
                commands.push(Command::DeleteRelation(relation.id));
            }
        });
    }
    if session.may_edit(span) {
        let linking = state.linking == Some(span.id);
        let text = if linking {
            "click the span to link to… (Esc)"
        } else {
            "link to… (L)"
        };
        if ui.selectable_label(linking, text).clicked() && !linking {
            commands.push(Command::StartLink);
        }
    }
    commands
}

fn note_editor(
    ui: &mut egui::Ui,
    span: &Span,
    editable: bool,
    state: &mut UiState,
) -> Option<Command> {
    ui.label("note");
    if !editable {
        let note = if span.note.is_empty() {
            "—"
        } else {
            span.note.as_str()
        };
        ui.add(egui::Label::new(note).wrap());
        return None;
    }
    let draft = state.note.get_or_insert_with(|| NoteDraft {
        span_id: span.id,
        text: span.note.clone(),
        focus: false,
    });
    if draft.span_id != span.id {
        *draft = NoteDraft {
            span_id: span.id,
            text: span.note.clone(),
            focus: false,
        };
    }
    let response = ui.add(
        egui::TextEdit::multiline(&mut draft.text)
            .hint_text("why this tag? (N to edit, Enter to save)")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    );
    if draft.focus {
        response.request_focus();
        draft.focus = false;
    }
    let enter =
        response.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.shift);
    if enter {
        // Enter saves; Shift+Enter is a new line.
        if draft.text.ends_with('\n') {
            draft.text.pop();
        }
        response.surrender_focus();
    }
    (response.lost_focus() || enter).then(|| Command::SaveNote {
        span: draft.span_id,
        text: draft.text.clone(),
    })
}

/// The document's spans in reading order; a click selects and scrolls to one.
fn span_list(ui: &mut egui::Ui, session: &Session) -> Option<Command> {
    let spans = session.open_spans();
    ui.heading(format!("Spans ({})", spans.len()));
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let mut clicked = None;
    ScrollArea::vertical()
        .id_salt("span_list")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, spans.len(), |ui, rows| {
            let Some(open) = &session.open else {
                return;
            };
            for row in rows {
                let Some(span) = spans.get(row) else {
                    continue;
                };
                let color = session
                    .scheme
                    .label(&span.label)
                    .map_or(Color32::GRAY, |l| theme::label_color(l.rgb()));
                let text = open.slice(span);
                ui.horizontal(|ui| {
                    let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
                    ui.painter().rect_filled(rect, 2.0, color);
                    let selected = session.selected_span == Some(span.id);
                    let values: Vec<&str> = span.attributes.values().map(String::as_str).collect();
                    let row_text = if values.is_empty() {
                        format!("{} · {}", span.label, shorten(text, 48))
                    } else {
                        format!(
                            "{} ({}) · {}",
                            span.label,
                            values.join(", "),
                            shorten(text, 40)
                        )
                    };
                    let response = ui
                        .add(egui::Button::selectable(selected, row_text).truncate())
                        .on_hover_text(format!("{} · {}", span.annotator, span.range));
                    if response.clicked() {
                        clicked = Some(span.id);
                    }
                });
            }
        });
    clicked.map(|id| Command::SelectSpan(Some(id)))
}
