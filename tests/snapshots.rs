//! Image snapshots of the article view, rendered on the CPU (wgpu on lavapipe): overlapping
//! and nested spans, a selected span, a search match and a text selection, light and dark.
//!
//! Reference images live in `tests/snapshots/`; `UPDATE_SNAPSHOTS=1 cargo test --test
//! snapshots` rewrites them after a deliberate change (look at them before committing).

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui::{Theme, vec2};
use egui_kittest::Harness;
use stet::app::article_view::{
    ArticleText, ArticleView, ArticleViewState, Emphasis, SpanMark, ViewOptions,
};
use stet::app::theme;
use stet::model::{CharRange, LabelScheme};

#[path = "common/needs.rs"]
mod needs;
#[path = "common/text.rs"]
mod text;

const TEXT: &str = "Velmora port says grain exports rose despite dock strike\n\n\
Grain exports through the port of Velmora rose 12 percent in the first half of the year, \
the harbour authority said on Monday.\n\n\
The authority said about 4.3 million tonnes of wheat left the port. A regional bulletin \
printed the same total in Dari as ۴٫۳ million tonnes.\n\n\
“We moved more tonnage in June than in any month since 2019,” the director, Ilse Marant, \
told reporters 😀 at the terminal.\n\n\
The union denied reports that the strike had been called off.";

struct Scene {
    text: ArticleText,
    spans: Vec<SpanMark>,
    state: ArticleViewState,
    options: ViewOptions,
    highlights: Vec<CharRange>,
}

fn range_of(needle: &str) -> CharRange {
    text::range_of(TEXT, needle)
}

/// A span over the first `needle` in `text`, in the newsroom colour of `label`.
fn mark(text: &str, id: i64, needle: &str, label: &str, emphasis: Emphasis) -> SpanMark {
    let scheme = LabelScheme::newsroom();
    SpanMark {
        id,
        range: text::range_of(text, needle),
        color: theme::label_color(scheme.label(label).unwrap().rgb()),
        tooltip: label.to_owned(),
        emphasis,
    }
}

fn scene() -> Scene {
    let mark = |id, needle: &str, label: &str, emphasis| mark(TEXT, id, needle, label, emphasis);
    let spans = vec![
        mark(
            1,
            "Grain exports through the port of Velmora rose 12 percent in the first half of the year",
            "claim",
            Emphasis::Normal,
        ),
        mark(2, "12 percent", "figure", Emphasis::Normal),
        mark(
            3,
            "The authority said about 4.3 million tonnes of wheat left the port",
            "claim",
            Emphasis::Normal,
        ),
        mark(4, "about 4.3 million tonnes", "figure", Emphasis::Normal),
        mark(5, "4.3 million", "figure", Emphasis::Normal),
        mark(
            6,
            "“We moved more tonnage in June than in any month since 2019,”",
            "quote",
            Emphasis::Selected,
        ),
        mark(
            7,
            "The union denied reports that the strike had been called off",
            "denial",
            Emphasis::Normal,
        ),
    ];
    let mut state = ArticleViewState::default();
    state.set_selection(Some(range_of("Ilse Marant")));
    Scene {
        text: ArticleText::new(TEXT.to_owned()),
        spans,
        state,
        options: ViewOptions::default(),
        highlights: vec![range_of("Velmora"), range_of("Dari")],
    }
}

/// The view alone on a 640-wide screen of `height`, in `theme`, showing `scene`.
fn harness(theme: Theme, height: f32, scene: Scene) -> Harness<'static, Scene> {
    let mut harness = Harness::builder()
        .with_size(vec2(640.0, height))
        .with_theme(theme)
        .with_context_setup(|ctx| ctx.set_fonts(theme::font_definitions(false)))
        .wgpu()
        .build_ui_state(
            |ui, scene: &mut Scene| {
                egui::CentralPanel::default().show(ui, |ui| {
                    ArticleView::new(&scene.text, &scene.spans, &mut scene.state, &scene.options)
                        .highlights(&scene.highlights, Some(0))
                        .show(ui);
                });
            },
            scene,
        );
    harness.run();
    harness
}

#[test]
fn article_view_with_overlapping_spans_light() {
    if needs::or_skip("article_view_light", needs::vulkan_missing()) {
        harness(Theme::Light, 560.0, scene()).snapshot("article_view_light");
    }
}

#[test]
fn article_view_with_overlapping_spans_dark() {
    if needs::or_skip("article_view_dark", needs::vulkan_missing()) {
        harness(Theme::Dark, 560.0, scene()).snapshot("article_view_dark");
    }
}

/// A Persian report with an English name and both digit sets in it.
const PERSIAN: &str = "سخنگوی کرملین گفت که دیدار دو رئیس‌جمهور سه‌شنبه برگزار می‌شود\n\n\
سخنگوی کرملین روز شنبه گفت که روسیه حدود ۷۰ هزار نیرو را در نزدیکی مرز مستقر کرده است و \
این گفت‌وگو سه‌شنبه شب برگزار می‌شود.\n\n\
روزنامه Times نوشت که دیدار ساعت ۱۸:۰۰ به وقت مسکو آغاز خواهد شد و ۲۰٪ آن پخش می‌شود.\n\n\
«ما هیچ برنامه‌ای برای حمله نداریم» دیمیتری پسکوف گفت.";

fn persian_scene() -> Scene {
    let range = |needle: &str| text::range_of(PERSIAN, needle);
    let mark = |id, needle: &str, label: &str, emphasis| mark(PERSIAN, id, needle, label, emphasis);
    let spans = vec![
        mark(
            1,
            "روسیه حدود ۷۰ هزار نیرو را در نزدیکی مرز مستقر کرده است",
            "claim",
            Emphasis::Normal,
        ),
        mark(2, "حدود ۷۰ هزار نیرو", "figure", Emphasis::Normal),
        mark(3, "۷۰ هزار", "figure", Emphasis::Normal),
        mark(4, "Times نوشت", "source", Emphasis::Normal),
        mark(
            5,
            "«ما هیچ برنامه‌ای برای حمله نداریم»",
            "quote",
            Emphasis::Selected,
        ),
        mark(6, "دیمیتری پسکوف", "source", Emphasis::Normal),
    ];
    let mut state = ArticleViewState::default();
    state.set_selection(Some(range("۱۸:۰۰")));
    Scene {
        text: ArticleText::new(PERSIAN.to_owned()),
        spans,
        state,
        options: ViewOptions::default(),
        highlights: vec![range("کرملین"), range("مسکو")],
    }
}

#[test]
fn right_to_left_paragraph_with_nested_spans_light() {
    if needs::or_skip("article_view_rtl_light", needs::vulkan_missing()) {
        harness(Theme::Light, 420.0, persian_scene()).snapshot("article_view_rtl_light");
    }
}

#[test]
fn right_to_left_paragraph_with_nested_spans_dark() {
    if needs::or_skip("article_view_rtl_dark", needs::vulkan_missing()) {
        harness(Theme::Dark, 420.0, persian_scene()).snapshot("article_view_rtl_dark");
    }
}
