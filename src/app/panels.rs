//! The middle of the window (the document's toolbar, the search bar, the article view) and
//! the status bar.

use egui::RichText;

use super::article_view::{ArticleAction, ArticleView};
use super::commands::Command;
use super::session::Session;
use super::theme;
use super::ui_state::UiState;
use crate::model::DocStatus;

/// The status bar: the last message, who I am and the project.
pub fn status_bar(ui: &mut egui::Ui, session: &Session, state: &UiState) -> Option<Command> {
    let mut command = None;
    ui.horizontal(|ui| {
        let text = RichText::new(&state.status.text);
        let text = if state.status.is_error {
            text.color(ui.visuals().error_fg_color)
        } else {
            text
        };
        ui.add(egui::Label::new(text).truncate());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            // The file's name; the whole path on hover (a long path would crowd the message).
            let path = session.project.path();
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            ui.label(RichText::new(name).weak())
                .on_hover_text(path.display().to_string());
            let me = ui.button(format!("{} ✎", session.annotator)).on_hover_text(
                "Who is annotating: your spans are kept under this name. Click to change it.",
            );
            if me.clicked() {
                command = Some(Command::AskName);
            }
            if let Some(label) = &state.sticky_label {
                ui.label(RichText::new(format!("{label} locked")).strong());
            }
        });
    });
    command
}

/// The central panel.
pub fn article_panel(ui: &mut egui::Ui, session: &Session, state: &mut UiState) -> Vec<Command> {
    let Some(open) = &session.open else {
        return empty_project(ui);
    };
    let mut commands = toolbar(ui, session, state);
    document_facts(ui, open, session);
    if state.search.open {
        commands.extend(search_bar(ui, session, state));
    }
    ui.separator();
    if state.article_marks_seen != open.marks_version {
        state.article.invalidate_spans();
        state.article_marks_seen = open.marks_version;
    }
    let options = state.view_options();
    let highlights: &[crate::model::CharRange] = if state.search.open {
        &state.search.matches
    } else {
        &[]
    };
    let actions = ArticleView::new(&open.text, &open.marks, &mut state.article, &options)
        .highlights(highlights, state.search.current)
        .show(ui);
    for action in actions {
        commands.push(match action {
            ArticleAction::Selected(range) => Command::Selected(range),
            ArticleAction::Refused(reason) => Command::Refused(reason),
            ArticleAction::ClickedSpans { at, ids } => Command::CycleSpans { at, ids },
            ArticleAction::ClickedText { at } => Command::ClickedText(at),
            ArticleAction::Resized { id, range } => Command::ResizeSpan { id, range },
        });
    }
    commands
}

/// Under the toolbar: where the document came from and what its reader kept (a newswire's
/// news code), in one weak line; and, while the project has no span at all, how to make one.
fn document_facts(ui: &mut egui::Ui, open: &super::session::OpenDocument, session: &Session) {
    let source = std::path::Path::new(&open.info.source)
        .file_name()
        .map_or_else(
            || open.info.source.clone(),
            |n| n.to_string_lossy().into_owned(),
        );
    let mut facts = vec![open.info.format.clone(), source];
    for (key, value) in &open.meta {
        // Short facts only: a trailer or a nested record would crowd the line.
        let text = match value {
            serde_json::Value::String(s) if s.chars().count() <= 40 && !s.contains('\n') => {
                s.clone()
            }
            serde_json::Value::Number(n) => n.to_string(),
            _ => continue,
        };
        if key == "news_code_ascii" {
            continue;
        }
        facts.push(format!("{}: {text}", key.replace('_', " ")));
    }
    ui.add(egui::Label::new(RichText::new(facts.join(" · ")).weak()).truncate());
    if session.documents.all.iter().all(|d| d.span_count == 0) {
        let keys: Vec<String> = session
            .scheme
            .labels
            .iter()
            .filter_map(|l| Some(format!("{} {}", l.hotkey.as_deref()?, l.name)))
            .collect();
        let hint = if keys.is_empty() {
            "Select text (drag, or double-click a word), then click a label on the right."
                .to_owned()
        } else {
            format!(
                "Select text (drag, or double-click a word), then press a label's key: {}",
                keys.join(" · ")
            )
        };
        ui.label(RichText::new(hint).italics());
    }
}

/// Below this width the toolbar puts the document's title on a row of its own.
const NARROW_TOOLBAR: f32 = 560.0;

fn toolbar(ui: &mut egui::Ui, session: &Session, state: &mut UiState) -> Vec<Command> {
    let Some(open) = &session.open else {
        return Vec::new();
    };
    let title = open.info.title.as_str();
    let status = session.documents.status(open.info.id);
    let mut open_search = false;
    let nav = |ui: &mut egui::Ui| {
        let mut command = None;
        if ui
            .button("◀")
            .on_hover_text("Previous document (Ctrl+PageUp)")
            .clicked()
        {
            command = Some(Command::StepDocument(-1));
        }
        if ui
            .button("▶")
            .on_hover_text("Next document (Ctrl+PageDown)")
            .clicked()
        {
            command = Some(Command::StepDocument(1));
        }
        command
    };
    let heading = |ui: &mut egui::Ui| {
        ui.add(egui::Label::new(RichText::new(title).strong()).truncate())
            .on_hover_text(title);
    };
    // The status is said once, by the button (its hover names it in words).
    let mut controls = |ui: &mut egui::Ui| {
        let done = status == DocStatus::Done;
        let toggled = ui
            .selectable_label(done, if done { "✔ done" } else { "mark done" })
            .on_hover_text(format!("This document is {} (Ctrl+D)", status.label()))
            .clicked();
        ui.separator();
        ui.toggle_value(&mut state.snap_words, "snap to words")
            .on_hover_text(
                "Selections snap to whole words; hold Alt while dragging for single characters",
            );
        open_search = ui.button("🔍").on_hover_text("Find (Ctrl+F)").clicked();
        toggled.then_some(Command::ToggleDone)
    };
    // A narrow article (a small window) gives the title a row of its own, so that the
    // buttons never cover it.
    let (left, right) = if ui.available_width() < NARROW_TOOLBAR {
        ui.horizontal(heading);
        let mut left = None;
        let right = ui
            .horizontal(|ui| {
                left = nav(ui);
                controls(ui)
            })
            .inner;
        (left, right)
    } else {
        egui::Sides::new().shrink_left().show(
            ui,
            |ui| {
                let command = nav(ui);
                heading(ui);
                command
            },
            controls,
        )
    };
    let mut commands: Vec<Command> = left.into_iter().chain(right).collect();
    if open_search {
        commands.push(Command::OpenSearch);
    }
    commands
}

fn search_bar(ui: &mut egui::Ui, session: &Session, state: &mut UiState) -> Vec<Command> {
    let mut commands = Vec::new();
    let search = &mut state.search;
    ui.horizontal(|ui| {
        ui.label("Find:");
        let response = ui.add(
            egui::TextEdit::singleline(&mut search.query)
                .hint_text("text in this document")
                .desired_width(240.0),
        );
        if search.focus {
            response.request_focus();
            search.focus = false;
        }
        if response.changed() {
            search.recompute(session.open.as_ref().map(|d| d.text.text()));
        }
        if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            commands.push(Command::StepSearch(!ui.input(|i| i.modifiers.shift)));
            response.request_focus();
        }
        let n = search.matches.len();
        let position = search.current.map_or(0, |i| i + 1);
        ui.label(if search.query.is_empty() {
            String::new()
        } else if n == 0 {
            "no matches".to_owned()
        } else {
            format!("{position} of {n}")
        });
        if ui.button("▼").on_hover_text("Next match (Enter)").clicked() {
            commands.push(Command::StepSearch(true));
        }
        if ui
            .button("▲")
            .on_hover_text("Previous match (Shift+Enter)")
            .clicked()
        {
            commands.push(Command::StepSearch(false));
        }
        if ui.button("✖").on_hover_text("Close (Esc)").clicked() {
            search.open = false;
        }
    });
    commands
}

fn empty_project(ui: &mut egui::Ui) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() / 3.0);
        ui.heading("This project has no documents yet");
        ui.label("Drop article files or folders here, or use File ▸ Import articles.");
        ui.label(
            RichText::new(
                "articles (.txt .md .html .xml, newswire dumps) and datasets: JSONL, doccano, \
                 Prodigy, Label Studio .json, brat folders, WebAnno .tsv, CoNLL, .spacy",
            )
            .weak()
            .size(theme::ARTICLE_FONT_SIZE - 4.0),
        );
        if ui.button("Import articles…").clicked() {
            commands.push(Command::Ask(super::dialogs::DialogKind::ImportFiles));
        }
    });
    commands
}
