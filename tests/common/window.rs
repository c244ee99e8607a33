//! The window under egui_kittest as a user drives it: a project with the newswire article and
//! a mixed-script one, the app on it, and the moves a user makes (drag over words, click,
//! press keys, open menus).

// Each test crate uses part of this file.
#![allow(dead_code)]
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::{Event, Key, Modifiers, PointerButton, Pos2, pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stet::app::{ScriptedDialogs, StetApp, theme};
use stet::model::{CharRange, LabelScheme, Span};
use stet::store::{Access, Project, SuggestOutcome, SuggestedSpan};
use stet::workflows::import_paths;

pub const NEWSWIRE: &str = "tests/fixtures/ingest/newswire.txt";

pub const MIXED: &str = "Ministry figures\n\n\
Officials said “۱۱۶۵۳۸۱ cases” were registered by Monday.\n\n\
Talks resumed 😀 and the ministry said exports rose 12 percent.\n\n\
قال المسؤولون إن المحادثات ستستأنف يوم الاثنين.\n";

pub struct Setup {
    pub _dir: tempfile::TempDir,
    pub project: PathBuf,
    pub dir: PathBuf,
}

/// A project with the newswire article and a mixed-script article.
pub fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("team.stet");
    let mixed = dir.path().join("mixed.txt");
    std::fs::write(&mixed, MIXED).unwrap();
    let mut p = Project::create(&project, &LabelScheme::newsroom()).unwrap();
    let report = import_paths(
        &mut p,
        &[PathBuf::from(NEWSWIRE), mixed],
        "ana",
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(report.added.len(), 2, "{:?}", report.errors);
    Setup {
        dir: dir.path().to_owned(),
        _dir: dir,
        project,
    }
}

/// How the window under test is set up.
#[derive(Clone, Copy)]
pub struct Window {
    pub size: egui::Vec2,
    pub theme: egui::Theme,
    /// Rendered on the GPU (lavapipe), for tests that look at the pixels.
    pub wgpu: bool,
}

impl Default for Window {
    fn default() -> Self {
        Self {
            size: vec2(1280.0, 820.0),
            theme: egui::Theme::Light,
            wgpu: false,
        }
    }
}

pub fn app_on(project: &Path, dialogs: ScriptedDialogs) -> Harness<'static, StetApp> {
    app_in(project, dialogs, Window::default())
}

pub fn app_in(
    project: &Path,
    dialogs: ScriptedDialogs,
    window: Window,
) -> Harness<'static, StetApp> {
    let project = Project::open(project, Access::ReadWrite).unwrap();
    // Each key's edit is saved before the frame ends, so that the file can be checked at once.
    let app = StetApp::isolated(project, "ana".into(), Box::new(dialogs))
        .unwrap()
        .with_edit_wait(Duration::from_secs(10));
    let mut builder = Harness::builder()
        .with_size(window.size)
        .with_step_dt(1.0 / 60.0)
        .with_theme(window.theme)
        .with_context_setup(|ctx| ctx.set_fonts(theme::font_definitions(false)));
    if window.wgpu {
        builder = builder.wgpu();
    }
    let mut harness = builder.build_ui_state(|ui, app: &mut StetApp| app.ui(ui), app);
    harness.run();
    harness
}

pub fn app(setup: &Setup) -> Harness<'static, StetApp> {
    app_on(&setup.project, ScriptedDialogs::default())
}

/// What the project file holds for the open document (read through a new connection).
pub fn stored_spans(project: &Path, doc: i64) -> Vec<Span> {
    Project::open(project, Access::ReadOnly)
        .unwrap()
        .spans(doc)
        .unwrap()
}

pub fn offset_of(harness: &Harness<'_, StetApp>, needle: &str) -> usize {
    let text = harness.state().open_text().unwrap();
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    text[..byte].chars().count()
}

pub fn rect_of(harness: &Harness<'_, StetApp>, at: usize) -> egui::Rect {
    harness
        .state()
        .char_rect(at)
        .unwrap_or_else(|| panic!("code point {at} is not on screen"))
}

/// Drags from the first to the last character of `needle` (inside by a pixel).
pub fn drag_over(harness: &mut Harness<'_, StetApp>, needle: &str) -> CharRange {
    let start = offset_of(harness, needle);
    let end = start + needle.chars().count();
    let (a, b) = (rect_of(harness, start), rect_of(harness, end - 1));
    drag(
        harness,
        pos2(a.left() + 1.0, a.center().y),
        pos2(b.right() - 1.0, b.center().y),
    );
    CharRange::new(start, end)
}

pub fn drag(harness: &mut Harness<'_, StetApp>, from: Pos2, to: Pos2) {
    harness.hover_at(from);
    harness.drag_at(from);
    harness.hover_at(from + (to - from) * 0.5 + vec2(0.0, 0.1));
    harness.hover_at(to);
    harness.drop_at(to);
    harness.run();
}

pub fn click_at(harness: &mut Harness<'_, StetApp>, pos: Pos2, times: usize) {
    harness.hover_at(pos);
    for _ in 0..times {
        for pressed in [true, false] {
            harness.event(Event::PointerButton {
                pos,
                button: PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
        }
    }
    harness.run();
}

/// Scrolls a widget into view (the side panel scrolls) and clicks it.
pub fn click_label(harness: &mut Harness<'_, StetApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

/// Opens the File menu and clicks `item`.
pub fn file_menu(harness: &mut Harness<'_, StetApp>, item: &str) {
    menu(harness, "File", item);
}

pub fn menu(harness: &mut Harness<'_, StetApp>, menu: &str, item: &str) {
    harness.get_by_label(menu).click();
    harness.run();
    harness.get_by_label(item).click();
}

/// Stores `proposals` as suggestions on document `doc`, through a connection of its own.
pub fn suggest(project: &Path, doc: i64, proposals: &[SuggestedSpan]) -> SuggestOutcome {
    Project::open(project, Access::ReadWrite)
        .unwrap()
        .add_suggestions(doc, proposals, &[])
        .unwrap()
}

pub fn press(harness: &mut Harness<'_, StetApp>, key: Key) {
    harness.key_press(key);
    harness.run();
}

pub fn press_with(harness: &mut Harness<'_, StetApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

pub fn open_doc(harness: &Harness<'_, StetApp>) -> i64 {
    harness.state().open_document_id().unwrap()
}

/// Steps frames until the status bar starts with `prefix` (background jobs finish).
pub fn wait_for_status(harness: &mut Harness<'_, StetApp>, prefix: &str) {
    for _ in 0..1000 {
        harness.step();
        if harness.state().status_message().0.starts_with(prefix) {
            harness.run_steps(2);
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!(
        "status never said {prefix:?}: {:?}",
        harness.state().status_message()
    );
}
