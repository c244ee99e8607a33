//! Desktop manners, as a new user meets them (egui_kittest): themes, focus, prompts and
//! windows, small windows, the keyboard, what is remembered across restarts.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use egui::{Event, Key, Modifiers, Theme};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stet::app::{Picked, ScriptedDialogs, StetApp};
use stet::model::Span;

#[path = "common/needs.rs"]
mod needs;
#[path = "common/window.rs"]
mod window;

use window::*;

/// How many pixels inside the boxes of `needle`'s characters stand out from the
/// background (the text's ink), in the last rendered frame.
fn ink(harness: &mut Harness<'_, StetApp>, needle: &str) -> usize {
    let image = harness.render().unwrap();
    let ppp = harness.ctx.pixels_per_point();
    let start = offset_of(harness, needle);
    let mut lumas = Vec::new();
    for at in start..start + needle.chars().count() {
        let rect = rect_of(harness, at);
        let (x0, y0) = ((rect.left() * ppp) as u32, (rect.top() * ppp) as u32);
        let (x1, y1) = ((rect.right() * ppp) as u32, (rect.bottom() * ppp) as u32);
        for y in y0..y1.min(image.height()) {
            for x in x0..x1.min(image.width()) {
                let [r, g, b, _] = image.get_pixel(x, y).0;
                lumas.push((u32::from(r) * 3 + u32::from(g) * 6 + u32::from(b)) / 10);
            }
        }
    }
    let mut sorted = lumas.clone();
    sorted.sort_unstable();
    let background = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
    lumas
        .iter()
        .filter(|&&l| l.abs_diff(background) > 60)
        .count()
}

const LATE_WORDS: &str = "The risks for Putin of going through with such an invasion";

#[test]
fn switching_the_theme_repaints_the_article_text() {
    if !needs::or_skip("theme switch", needs::vulkan_missing()) {
        return;
    }
    let setup = setup();
    let dark = Window {
        theme: Theme::Dark,
        wgpu: true,
        ..Window::default()
    };
    let fresh = ink(
        &mut app_in(&setup.project, ScriptedDialogs::default(), dark),
        LATE_WORDS,
    );
    assert!(fresh > 300, "the dark window shows the text ({fresh} px)");

    let light = Window {
        wgpu: true,
        ..Window::default()
    };
    let mut harness = app_in(&setup.project, ScriptedDialogs::default(), light);
    let before = ink(&mut harness, LATE_WORDS);
    assert!(
        before > 300,
        "the light window shows the text ({before} px)"
    );
    for theme in ["Dark", "Light", "Dark"] {
        menu(&mut harness, "View", theme);
        harness.run();
    }
    let after = ink(&mut harness, LATE_WORDS);
    assert!(
        after * 10 >= fresh * 9,
        "after switching to dark the text shows as in a window started dark: {after} px of ink, {fresh} when started dark"
    );
}

/// Tags two phrases as claims and drops the selection.
fn two_claims(harness: &mut Harness<'_, StetApp>) -> Vec<Span> {
    drag_over(harness, "Kremlin spokesman Dmitry Peskov");
    press(harness, Key::Num1);
    drag_over(harness, "White House");
    press(harness, Key::Num1);
    press(harness, Key::Escape);
    press(harness, Key::Escape);
    let spans = stored_spans(&harness_project(harness), open_doc(harness));
    assert_eq!(spans.len(), 2);
    spans
}

fn harness_project(harness: &Harness<'_, StetApp>) -> PathBuf {
    harness.state().project().path().to_owned()
}

#[test]
fn tab_steps_through_spans_and_the_label_keys_stay_live() {
    let setup = setup();
    let mut harness = app(&setup);
    let spans = two_claims(&mut harness);
    // A click on a toolbar button, as a user makes between tags.
    harness.get_by_label("snap to words").click();
    harness.run();
    harness.get_by_label("snap to words").click();
    harness.run();
    press(&mut harness, Key::Tab);
    assert_eq!(harness.state().selected_span(), Some(spans[0].id));
    press(&mut harness, Key::Tab);
    assert_eq!(harness.state().selected_span(), Some(spans[1].id));
    assert_eq!(
        harness.ctx.memory(|m| m.focused()),
        None,
        "Tab gave no button the keyboard"
    );
    press(&mut harness, Key::Num2);
    press_with(&mut harness, Modifiers::SHIFT, Key::Tab);
    assert_eq!(harness.state().selected_span(), Some(spans[0].id));
    press(&mut harness, Key::Num4);
    let labels: Vec<String> = stored_spans(&setup.project, open_doc(&harness))
        .into_iter()
        .map(|s| s.label)
        .collect();
    assert_eq!(labels, ["denial", "quote"]);
}

#[test]
fn the_typed_path_prompt_is_on_top_of_the_export_window_and_takes_the_keys() {
    let setup = setup();
    let out = setup.dir.join("typed.csv");
    let mut harness = app_on(&setup.project, ScriptedDialogs::new([Picked::Unavailable]));
    let spans = two_claims(&mut harness);
    press(&mut harness, Key::Tab);
    file_menu(&mut harness, "Export dataset…");
    harness.run();
    harness.get_by_label("CSV, one row per span").click();
    harness.run();
    harness.get_by_label("Export…").click();
    harness.run();
    harness.get_by_label_contains("No file dialog is available");
    // Keys that are shortcuts outside the prompt (r rejects, 2 relabels, Delete deletes)
    // go into the path.
    harness.event(Event::Text("r2".into()));
    press(&mut harness, Key::Delete);
    harness.event(Event::Text(out.display().to_string()));
    harness.run();
    assert_eq!(
        stored_spans(&setup.project, open_doc(&harness)),
        spans,
        "no shortcut fired"
    );
    // The prompt is in the middle of the window and over the Export window: a click on
    // its OK button reaches it.
    let ok = harness.get_by_label("OK").rect();
    let screen = harness.ctx.content_rect();
    assert!((ok.center().x - screen.center().x).abs() < 200.0, "{ok:?}");
    harness.key_press(Key::Home);
    for _ in 0..2 {
        harness.key_press(Key::Delete);
    }
    harness.run();
    harness.get_by_label("OK").click();
    wait_for_status(&mut harness, "Exported");
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("White House")
    );
}

#[test]
fn windows_open_below_the_menu_bar_and_leave_it_usable() {
    let setup = setup();
    let mut harness = app(&setup);
    let menu_bottom = harness.get_by_label("File").rect().bottom();
    file_menu(&mut harness, "Export dataset…");
    harness.run();
    menu(&mut harness, "View", "Agreement…");
    // The agreement is computed in the background (a spinner keeps repainting).
    harness.run_steps(4);
    harness.key_press(Key::F1);
    harness.run_steps(4);
    for title in ["Export dataset", "Agreement", "Keyboard shortcuts"] {
        let rect = harness.get_by_label(title).rect();
        assert!(
            rect.top() >= menu_bottom,
            "{title} starts at {} under the menu bar ending at {menu_bottom}",
            rect.top()
        );
    }
    // The menus still open.
    harness.get_by_label("View").click();
    harness.run_steps(4);
    harness.get_by_label("Dark");
}

#[test]
fn counts_read_as_words_one_span_not_one_spans() {
    let setup = setup();
    let mut harness = app(&setup);
    drag_over(&mut harness, "White House");
    press(&mut harness, Key::Num1);
    harness.get_by_label_contains("chars · 1 span · ");
}

#[test]
fn ctrl_c_copies_the_selected_span_and_ctrl_q_closes_the_window() {
    let setup = setup();
    let mut harness = app(&setup);
    two_claims(&mut harness);
    press(&mut harness, Key::Tab);
    // Ctrl+C arrives as a copy event, as the platform sends it.
    harness.event(Event::Copy);
    harness.step();
    let copied: Vec<String> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(copied, ["Kremlin spokesman Dmitry Peskov"]);
    harness.run();
    // The File menu shows the desktop's keys beside its items.
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label_contains("Open project…");
    harness.get_by_label_contains("Ctrl+O");
    harness.get_by_label_contains("Ctrl+Q");
    press(&mut harness, Key::Escape);
    // The press alone, so that its frame's output is the one looked at.
    harness.event(Event::Key {
        key: Key::Q,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    });
    harness.step();
    let close_asked = |harness: &Harness<'_, StetApp>| {
        harness
            .output()
            .viewport_output
            .values()
            .any(|v| v.commands.contains(&egui::ViewportCommand::Close))
    };
    let mut closing = close_asked(&harness);
    for _ in 0..2 {
        harness.step();
        closing |= close_asked(&harness);
    }
    assert!(closing, "Ctrl+Q asks the window to close");
}

#[test]
fn the_keyboard_scrolls_a_long_article_by_pages_lines_and_to_either_end() {
    let setup = setup();
    let long = setup.dir.join("long.txt");
    let text: String = (1..=300)
        .map(|n| format!("Paragraph {n}: the ministry said exports rose again this week.\n\n"))
        .collect();
    std::fs::write(&long, &text).unwrap();
    let dialogs = ScriptedDialogs::new([Picked::Chosen(vec![long])]);
    let mut harness = app_on(&setup.project, dialogs);
    file_menu(&mut harness, "Import articles…");
    wait_for_status(&mut harness, "Imported 1 document");
    harness.run();
    let last = harness
        .state()
        .open_text()
        .unwrap()
        .trim_end()
        .chars()
        .count()
        - 1;
    let height = harness.ctx.content_rect().height();
    let top = |harness: &Harness<'_, StetApp>| rect_of(harness, 0).top();
    let start = top(&harness);

    press(&mut harness, Key::PageDown);
    let paged = start - top(&harness);
    assert!(
        paged > height * 0.5 && paged < height,
        "a page is most of the view: moved {paged} of {height}"
    );
    press(&mut harness, Key::ArrowDown);
    assert!(start - top(&harness) > paged, "↓ goes on a little");
    press(&mut harness, Key::PageUp);
    press(&mut harness, Key::ArrowUp);
    assert!((top(&harness) - start).abs() < 1.0, "back at the top");

    press_with(&mut harness, Modifiers::COMMAND, Key::End);
    harness.run();
    let end = rect_of(&harness, last);
    assert!(
        end.bottom() <= height && end.top() > height * 0.5,
        "the last line is in view at the bottom: {end:?} in {height}"
    );
    press(&mut harness, Key::Home);
    assert!((top(&harness) - start).abs() < 1.0, "Home is the top again");
}

#[test]
fn the_annotator_is_named_in_the_window_and_new_spans_are_theirs() {
    let setup = setup();
    let mut harness = app(&setup);
    // The status bar says who is annotating; a click asks for another name.
    harness.get_by_label("ana ✎").click();
    harness.run();
    harness.get_by_label("Who is annotating?");
    // While the prompt is open the keys type, they do not tag.
    let field = harness.get_by_label("Your name:");
    field.focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Your name:").type_text("Bea Lind");
    harness.run();
    press(&mut harness, Key::Enter);
    harness.get_by_label("Bea Lind ✎");
    assert_eq!(harness.state().annotator(), "Bea Lind");
    drag_over(&mut harness, "White House");
    press(&mut harness, Key::Num1);
    let spans = stored_spans(&setup.project, open_doc(&harness));
    let annotators: Vec<&str> = spans.iter().map(|s| s.annotator.as_str()).collect();
    assert_eq!(annotators, ["Bea Lind"]);
}

#[test]
fn a_generic_login_is_asked_for_a_name_and_stets_own_layers_are_refused() {
    let setup = setup();
    let project =
        stet::store::Project::open(&setup.project, stet::store::Access::ReadWrite).unwrap();
    let app = StetApp::isolated(project, "root".into(), Box::new(ScriptedDialogs::default()))
        .unwrap()
        .asking_name();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 820.0))
        .with_context_setup(|ctx| ctx.set_fonts(stet::app::theme::font_definitions(false)))
        .build_ui_state(|ui, app: &mut StetApp| app.ui(ui), app);
    harness.run();
    harness.get_by_label_contains("This computer's user name, \"root\", could be anyone's");
    harness.get_by_label("Your name:").type_text("gold");
    harness.run();
    harness.get_by_label("OK").click();
    harness.run();
    harness.get_by_label_contains("is the name of stet's own layer");
    assert_eq!(harness.state().annotator(), "root");
    harness.get_by_label("Keep \"root\"").click();
    harness.run();
    assert!(harness.query_by_label("Who is annotating?").is_none());
}

#[test]
fn a_small_window_keeps_the_article_readable_and_the_title_clear_of_the_buttons() {
    let setup = setup();
    let small = Window {
        size: egui::vec2(900.0, 600.0),
        ..Window::default()
    };
    let mut harness = app_in(&setup.project, ScriptedDialogs::default(), small);
    let documents = harness.get_by_label("Documents").rect();
    let labels = harness.get_by_label("Labels").rect();
    let text = harness.state().open_text().unwrap().to_owned();
    // Every line's first letter is to the right of the document list, every line ends left
    // of the labels, and the article keeps at least half the window.
    let mut line_starts = vec![0];
    line_starts.extend(
        text.char_indices()
            .filter(|(_, c)| *c == '\n')
            .map(|(b, _)| text[..b].chars().count() + 1),
    );
    for &start in line_starts.iter().take(6) {
        if let Some(rect) = harness
            .state()
            .char_rect(start)
            .filter(|r| r.width() > 0.0 && r.bottom() < 560.0)
        {
            assert!(
                rect.left() > documents.right(),
                "line at {start} starts under the list: {rect:?}"
            );
            assert!(rect.right() < labels.left());
        }
    }
    assert!(
        labels.left() - documents.right() > 450.0,
        "{documents:?} {labels:?}"
    );
    // The title has a row of its own, clear of the buttons.
    let title = harness
        .query_all_by_label_contains("Biden and Putin to hold video call")
        .map(|node| node.rect())
        .find(|rect| rect.left() > documents.right())
        .expect("the toolbar's title");
    for button in ["▶", "mark done", "snap to words"] {
        assert!(
            !title.intersects(harness.get_by_label(button).rect()),
            "{button}"
        );
    }
    // The side panels can be hidden altogether.
    menu(&mut harness, "View", "Document list");
    harness.run();
    press(&mut harness, Key::Escape);
    assert!(harness.query_by_label("Documents").is_none());
}

/// The main window as a user first sees it, light and dark, large and small: the reference
/// images in tests/snapshots/ (`UPDATE_SNAPSHOTS=1` rewrites them after a deliberate change).
#[test]
fn main_window_snapshots_light_and_dark_large_and_small() {
    if !needs::or_skip("main window snapshots", needs::vulkan_missing()) {
        return;
    }
    let setup = setup();
    let mut results = egui_kittest::SnapshotResults::new();
    for (theme, theme_name) in [(Theme::Light, "light"), (Theme::Dark, "dark")] {
        for (size, size_name) in [
            (egui::vec2(1280.0, 820.0), "large"),
            (egui::vec2(900.0, 600.0), "small"),
        ] {
            let window = Window {
                size,
                theme,
                wgpu: true,
            };
            let mut harness = app_in(&setup.project, ScriptedDialogs::default(), window);
            harness.run();
            harness.snapshot(format!("main_window_{theme_name}_{size_name}"));
            results.extend_harness(&mut harness);
        }
    }
    results.unwrap();
}

#[test]
fn theme_text_size_snapping_panels_and_the_open_document_survive_a_restart() {
    let setup = setup();
    let settings = setup.dir.join("settings.json");
    let start = |setup: &Setup| {
        let project =
            stet::store::Project::open(&setup.project, stet::store::Access::ReadWrite).unwrap();
        let app = StetApp::isolated(project, "ana".into(), Box::new(ScriptedDialogs::default()))
            .unwrap()
            .with_settings_file(&setup.dir.join("settings.json"));
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 820.0))
            .with_theme(Theme::Light)
            .with_context_setup(|ctx| ctx.set_fonts(stet::app::theme::font_definitions(false)))
            .build_ui_state(|ui, app: &mut StetApp| app.ui(ui), app);
        harness.run();
        harness
    };
    let mut harness = start(&setup);
    let first = open_doc(&harness);
    menu(&mut harness, "View", "Dark");
    harness.run();
    let default_size = harness.state().font_size();
    press_with(&mut harness, Modifiers::COMMAND, Key::Plus);
    assert!(harness.state().font_size() > default_size);
    harness.get_by_label("snap to words").click();
    harness.run();
    menu(&mut harness, "View", "Document list");
    harness.run();
    press(&mut harness, Key::Escape);
    press_with(&mut harness, Modifiers::COMMAND, Key::PageDown);
    let second = open_doc(&harness);
    assert_ne!(first, second);
    let size = harness.state().font_size();
    drop(harness);
    assert!(
        settings.is_file(),
        "the settings were written as they changed"
    );

    let harness = start(&setup);
    assert_eq!(
        open_doc(&harness),
        second,
        "the last document is open again"
    );
    assert_eq!(harness.state().font_size(), size);
    assert!(!harness.state().snaps_to_words());
    assert_eq!(harness.ctx.theme(), Theme::Dark);
    assert!(
        harness.query_by_label("Documents").is_none(),
        "the list stays hidden"
    );
}

#[test]
fn the_article_says_where_it_came_from_and_a_new_project_says_how_to_tag() {
    let setup = setup();
    let mut harness = app(&setup);
    // The newswire's reader kept its news code; the line names the format and the file.
    harness.get_by_label_contains("newswire · newswire.txt");
    harness.get_by_label_contains("news code: ۱۱۶۵۳۸۱");
    // Nothing tagged yet in the project: the hint names the label keys.
    harness.get_by_label_contains("then press a label's key: 1 claim · 2 quote");
    drag_over(&mut harness, "White House");
    press(&mut harness, Key::Num1);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("then press a label's key")
            .is_none(),
        "the hint goes once the first span is made"
    );
}
