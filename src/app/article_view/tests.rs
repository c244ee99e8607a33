//! The view driven like a user would: drags, clicks and double-clicks in an egui_kittest
//! harness with stet's bundled fonts, checking the emitted offsets against the text.

use egui::{
    Event, Modifiers, MouseWheelUnit, PointerButton, Pos2, Rect, Role, TouchPhase, pos2, vec2,
};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use super::*;
use crate::model::CharRange;

/// What the harness holds: the document, its spans, the view state and what came out.
struct Doc {
    text: ArticleText,
    spans: Vec<SpanMark>,
    state: ArticleViewState,
    options: ViewOptions,
    highlights: Vec<CharRange>,
    current_highlight: Option<usize>,
    actions: Vec<ArticleAction>,
}

impl Doc {
    fn new(text: &str) -> Self {
        Self {
            text: ArticleText::new(text.to_owned()),
            spans: Vec::new(),
            state: ArticleViewState::default(),
            options: ViewOptions::default(),
            highlights: Vec::new(),
            current_highlight: None,
            actions: Vec::new(),
        }
    }

    /// The code-point offset of the `nth` occurrence (from 0) of `needle`.
    fn offset_of(&self, needle: &str, nth: usize) -> usize {
        let text = self.text.text();
        let byte = text
            .match_indices(needle)
            .nth(nth)
            .map(|(b, _)| b)
            .unwrap_or_else(|| panic!("{needle:?} not in the text"));
        text[..byte].chars().count()
    }

    /// The code points `range` covers, counted as code points (not bytes, not UTF-16).
    fn chars_of(&self, range: CharRange) -> String {
        self.text
            .text()
            .chars()
            .skip(range.start)
            .take(range.len())
            .collect()
    }

    /// The screen rectangle of code point `at` in the last frame.
    fn rect_of(&self, at: usize) -> Rect {
        self.state
            .char_rect(&self.text, at)
            .unwrap_or_else(|| panic!("code point {at} is not laid out"))
    }

    /// The single `Selected` range emitted, failing on anything else.
    fn selected(&self) -> CharRange {
        match self.actions.as_slice() {
            [ArticleAction::Selected(range)] => *range,
            other => panic!("expected one Selected, got {other:?}"),
        }
    }
}

fn harness(doc: Doc) -> Harness<'static, Doc> {
    let mut harness = Harness::builder()
        .with_size(vec2(700.0, 500.0))
        .with_step_dt(1.0 / 60.0)
        .with_context_setup(|ctx| ctx.set_fonts(crate::app::theme::font_definitions(false)))
        .build_ui_state(
            |ui, doc: &mut Doc| {
                let actions = ArticleView::new(&doc.text, &doc.spans, &mut doc.state, &doc.options)
                    .highlights(&doc.highlights, doc.current_highlight)
                    .show(ui);
                doc.actions.extend(actions);
            },
            doc,
        );
    harness.run();
    harness
}

/// The left and right edges (inside by a pixel) of code points `first` and `last`.
fn edges(harness: &Harness<'_, Doc>, first: usize, last: usize) -> (Pos2, Pos2) {
    let a = harness.state().rect_of(first);
    let b = harness.state().rect_of(last);
    (
        pos2(a.left() + 1.0, a.center().y),
        pos2(b.right() - 1.0, b.center().y),
    )
}

/// Drags from `from` to `to` with the primary button, through a point in between.
fn drag(harness: &mut Harness<'_, Doc>, from: Pos2, to: Pos2) {
    harness.state_mut().actions.clear();
    harness.hover_at(from);
    harness.drag_at(from);
    harness.hover_at(from + (to - from) * 0.5 + vec2(0.0, 0.1));
    harness.hover_at(to);
    harness.drop_at(to);
    harness.run();
}

/// Presses and releases at `pos` `times` times in quick succession.
fn click(harness: &mut Harness<'_, Doc>, pos: Pos2, times: usize) {
    harness.state_mut().actions.clear();
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

const PERSIAN: &str = "The ministry said it had registered “۱۱۶۵۳۸۱ cases” by Monday, \
    and officials repeated the figure twice.\n\nA second paragraph follows here.";

#[test]
fn drag_over_persian_digits_and_curly_quotes_gives_exact_offsets() {
    let mut harness = harness(Doc::new(PERSIAN));
    let doc = harness.state();
    let open = doc.offset_of("“", 0);
    let close = doc.offset_of("”", 0);
    let (from, to) = edges(&harness, open, close);
    drag(&mut harness, from, to);
    let doc = harness.state();
    let range = doc.selected();
    assert_eq!(range, CharRange::new(open, close + 1));
    assert_eq!(doc.chars_of(range), "“۱۱۶۵۳۸۱ cases”");
    assert_eq!(doc.state.selection(), Some(range));

    // From inside the number to inside it again: snapping takes the whole number.
    let digits = doc.offset_of("۱۱۶۵۳۸۱", 0);
    let a = doc.rect_of(digits + 1).center();
    let b = doc.rect_of(digits + 4).center();
    drag(&mut harness, a, b);
    let doc = harness.state();
    assert_eq!(doc.chars_of(doc.selected()), "۱۱۶۵۳۸۱");
    assert_eq!(doc.selected(), CharRange::new(digits, digits + 7));
}

#[test]
fn drag_after_an_emoji_counts_code_points_not_utf16() {
    let text = "Breaking 😀 news: the talks ended.\nThen Peskov added that the presidents \
        would decide.";
    let mut harness = harness(Doc::new(text));
    let doc = harness.state();
    let start = doc.offset_of("Peskov", 0);
    let (from, to) = edges(&harness, start, start + 5);
    drag(&mut harness, from, to);
    let doc = harness.state();
    let range = doc.selected();
    assert_eq!(doc.chars_of(range), "Peskov");
    assert_eq!(range, CharRange::new(start, start + 6));
    // UTF-16 would put "Peskov" one unit later: the emoji is one code point, two units.
    let utf16_start = text[..text.find("Peskov").unwrap_or(0)]
        .encode_utf16()
        .count();
    assert_eq!(utf16_start, start + 1);
}

#[test]
fn drag_across_two_paragraphs() {
    let text = "The first paragraph ends with Moscow.\n\nThe second one starts with Kyiv today.";
    let mut harness = harness(Doc::new(text));
    let doc = harness.state();
    let start = doc.offset_of("Moscow", 0);
    let end = doc.offset_of("Kyiv", 0) + 4;
    let from = doc.rect_of(start + 2).center();
    let to = doc.rect_of(end - 2).center();
    drag(&mut harness, from, to);
    let doc = harness.state();
    let range = doc.selected();
    assert_eq!(range, CharRange::new(start, end));
    assert_eq!(
        doc.chars_of(range),
        "Moscow.\n\nThe second one starts with Kyiv"
    );
}

#[test]
fn double_click_selects_the_word() {
    let mut harness = harness(Doc::new(PERSIAN));
    let doc = harness.state();
    let word = doc.offset_of("repeated", 0);
    let pos = doc.rect_of(word + 3).center();
    click(&mut harness, pos, 2);
    let doc = harness.state();
    let selected: Vec<CharRange> = doc
        .actions
        .iter()
        .filter_map(|a| match a {
            ArticleAction::Selected(r) => Some(*r),
            _ => None,
        })
        .collect();
    assert_eq!(selected, vec![CharRange::new(word, word + 8)]);
    assert_eq!(doc.chars_of(selected[0]), "repeated");
}

#[test]
fn alt_drag_selects_with_character_precision() {
    let text = "Officials in Tehran reported the figure on Monday evening.";
    let mut harness = harness(Doc::new(text));
    let doc = harness.state();
    // From inside "Tehran" (after "Te") to inside "reported" (through "rep").
    let first = doc.offset_of("Tehran", 0) + 2;
    let last = doc.offset_of("reported", 0) + 2;
    let (from, to) = edges(&harness, first, last);
    harness.event(Event::ModifiersChanged(Modifiers::ALT));
    drag(&mut harness, from, to);
    harness.event(Event::ModifiersChanged(Modifiers::NONE));
    harness.run();
    let doc = harness.state();
    assert_eq!(doc.selected(), CharRange::new(first, last + 1));
    assert_eq!(doc.chars_of(doc.selected()), "hran rep");

    // Without Alt the same drag snaps to the words.
    drag(&mut harness, from, to);
    let doc = harness.state();
    assert_eq!(doc.chars_of(doc.selected()), "Tehran reported");

    // "ffi" is one glyph: a character-precise drag to its right edge takes all three
    // letters, never a boundary hidden inside the ligature.
    let o = doc.offset_of("Officials", 0);
    let from = pos2(doc.rect_of(o).left() + 1.0, doc.rect_of(o).center().y);
    let ligature = doc.rect_of(o + 1);
    let to = pos2(ligature.right() - 1.0, ligature.center().y);
    harness.event(Event::ModifiersChanged(Modifiers::ALT));
    drag(&mut harness, from, to);
    harness.event(Event::ModifiersChanged(Modifiers::NONE));
    harness.run();
    let doc = harness.state();
    assert_eq!(doc.chars_of(doc.selected()), "Offi");
}

/// Persian, Arabic, Hebrew and mixed paragraphs, as a Persian-language desk gets them.
const RTL_ARTICLE: &str = "An English paragraph first.\n\n\
    سخنگوی کرملین روز شنبه گفت که روسیه حدود ۷۰ هزار نیرو را در نزدیکی مرز مستقر کرده است و این \
    گفت‌وگو سه‌شنبه شب برگزار می‌شود و ۲۰٪ آن پخش خواهد شد.\n\n\
    روزنامه Times نوشت که دیدار ساعت ۱۸:۰۰ آغاز می‌شود.\n\n\
    قال المتحدث باسم الكرملين إن الرئيسين سيتحدثان يوم الثلاثاء.\n\n\
    הנשיא אמר כי השיחה תתקיים ביום שלישי.\n\n\
    The paper Times نوشت که the call is on Tuesday.";

/// Where a drag over code points `first..=last` starts and ends, whatever the direction they
/// are drawn in: the outer edge of the first (away from the last) and of the last.
fn word_edges(harness: &Harness<'_, Doc>, first: usize, last: usize) -> (Pos2, Pos2) {
    let doc = harness.state();
    let a = doc.rect_of(first);
    let b = doc.rect_of(last);
    let outer = |r: Rect, other: Rect| {
        if r.center().x <= other.center().x && first != last {
            r.left() + 1.0
        } else {
            r.right() - 1.0
        }
    };
    let (from, to) = if first == last {
        (a.left() + 1.0, a.right() - 1.0)
    } else {
        (outer(a, b), outer(b, a))
    };
    (pos2(from, a.center().y), pos2(to, b.center().y))
}

#[test]
fn drags_over_persian_arabic_and_hebrew_words_give_exactly_those_words() {
    let mut doc = Doc::new(RTL_ARTICLE);
    // Character precision, so that the mapping alone decides what is selected.
    doc.options.snap_words = false;
    let mut harness = harness(doc);
    let shown = harness.state().state.visible_paragraphs();
    assert!(shown.end >= 6, "{shown:?}");
    for p in shown {
        assert_eq!(
            harness.state().state.paragraph_trusted(p),
            Some(true),
            "paragraph {p}"
        );
    }
    assert!(harness.query_by_label(RTL_MARKER_TOOLTIP).is_none());
    for word in [
        "کرملین",
        "۷۰",
        "گفت‌وگو",
        "می‌شود",
        "Times",
        "۱۸:۰۰",
        "المتحدث",
        "الثلاثاء",
        "השיחה",
        "שלישי",
    ] {
        let doc = harness.state();
        let start = doc.offset_of(word, 0);
        let last = start + word.chars().count() - 1;
        let (from, to) = word_edges(&harness, start, last);
        drag(&mut harness, from, to);
        let doc = harness.state();
        let [ArticleAction::Selected(range)] = doc.actions.as_slice() else {
            panic!(
                "dragging over {word:?} from {from:?} to {to:?}: {:?}",
                doc.actions
            );
        };
        let range = *range;
        assert_eq!(doc.chars_of(range), word, "dragging over {word:?}");
        assert_eq!(range, CharRange::new(start, last + 1));
    }
}

#[test]
fn a_logical_range_across_directions_is_drawn_as_two_pieces_and_selected_exactly() {
    let mut doc = Doc::new(RTL_ARTICLE);
    doc.options.snap_words = false;
    let mut harness = harness(doc);
    let doc = harness.state();
    // In the last (English) paragraph "نوشت که" is drawn right to left, so "Times نوشت" is two
    // pieces on the screen with "که" between them.
    let times = doc.offset_of("Times", 1);
    let range = CharRange::new(times, times + "Times نوشت".chars().count());
    let p = doc.text.paragraphs.first_ending_after(times);
    let paragraph = doc
        .text
        .paragraphs
        .get(p)
        .unwrap_or_else(|| panic!("no paragraph"));
    let laid = doc
        .state
        .cache
        .get(p)
        .unwrap_or_else(|| panic!("not laid out"));
    let local = range.start - paragraph.chars.start..range.end - paragraph.chars.start;
    let pieces = laid.range_rects(local);
    assert_eq!(pieces.len(), 2, "{pieces:?}");
    // From the left of "T" to the left of "ت", the last letter of "نوشت" (drawn leftmost).
    let t = doc.rect_of(range.start);
    let last = doc.rect_of(range.end - 1);
    let from = pos2(t.left() + 1.0, t.center().y);
    let to = pos2(last.left() + 1.0, last.center().y);
    drag(&mut harness, from, to);
    let doc = harness.state();
    assert_eq!(doc.chars_of(doc.selected()), "Times نوشت");
}

#[test]
fn right_to_left_paragraphs_are_right_aligned_in_reading_order() {
    let harness = harness(Doc::new(RTL_ARTICLE));
    let doc = harness.state();
    // "۷۰" reads 7 then 0, left to right, as digits do inside right-to-left text.
    let seventy = doc.offset_of("۷۰", 0);
    assert!(doc.rect_of(seventy).center().x < doc.rect_of(seventy + 1).center().x);
    // Persian words run right to left: "سخنگوی" starts the line at its right edge.
    let first = doc.offset_of("سخنگوی", 0);
    let kremlin = doc.offset_of("کرملین", 0);
    assert!(doc.rect_of(first).center().x > doc.rect_of(kremlin).center().x);
    let english = doc.rect_of(0);
    assert!(
        doc.rect_of(first).right() > english.left() + 400.0,
        "right-aligned"
    );
    // Latin inside Persian keeps its order: T before s.
    let times = doc.offset_of("Times", 0);
    assert!(doc.rect_of(times).center().x < doc.rect_of(times + 4).center().x);
}

#[test]
fn double_click_in_persian_selects_the_word_with_its_zwnj() {
    let mut harness = harness(Doc::new(RTL_ARTICLE));
    let doc = harness.state();
    let start = doc.offset_of("می‌شود", 0);
    let at = doc.rect_of(start).center();
    click(&mut harness, at, 2);
    let doc = harness.state();
    let selected: Vec<String> = doc
        .actions
        .iter()
        .filter_map(|a| match a {
            ArticleAction::Selected(range) => Some(doc.chars_of(*range)),
            _ => None,
        })
        .collect();
    assert_eq!(
        selected.last().map(String::as_str),
        Some("می‌شود"),
        "{:?}",
        doc.actions
    );
}

fn mark(id: i64, start: usize, end: usize, color: Color32) -> SpanMark {
    SpanMark {
        id,
        range: CharRange::new(start, end),
        color,
        tooltip: format!("span {id}"),
        emphasis: Emphasis::Normal,
    }
}

#[test]
fn click_on_nested_spans_reports_innermost_first() {
    let text = "Peskov said the presidents will decide on the matter next week.";
    let mut doc = Doc::new(text);
    let outer = doc.offset_of("said", 0);
    let inner = doc.offset_of("presidents", 0);
    doc.spans = vec![
        mark(10, outer, outer + 30, Color32::from_rgb(200, 60, 60)),
        mark(20, inner, inner + 10, Color32::from_rgb(60, 60, 200)),
    ];
    let mut harness = harness(doc);
    let pos = harness.state().rect_of(inner + 4).center();
    click(&mut harness, pos, 1);
    let doc = harness.state();
    assert_eq!(
        doc.actions,
        vec![ArticleAction::ClickedSpans {
            at: inner + 4,
            ids: vec![20, 10]
        }]
    );

    // Outside both spans: plain text.
    let plain = doc.offset_of("Peskov", 0) + 1;
    let pos = doc.rect_of(plain).center();
    click(&mut harness, pos, 1);
    assert_eq!(
        harness.state().actions,
        vec![ArticleAction::ClickedText { at: plain }]
    );
}

#[test]
fn dragging_a_selected_span_handle_resizes_it() {
    let text = "Peskov said the presidents will decide on the matter next week.";
    let mut doc = Doc::new(text);
    let start = doc.offset_of("presidents", 0);
    let mut span = mark(5, start, start + 10, Color32::from_rgb(60, 160, 60));
    span.emphasis = Emphasis::Selected;
    doc.spans = vec![span];
    let mut harness = harness(doc);
    let doc = harness.state();
    let end_rect = doc.rect_of(start + 9);
    let grab = pos2(end_rect.right(), end_rect.bottom() + 3.0);
    let target = doc.offset_of("decide", 0) + 3;
    let to = doc.rect_of(target).center();
    drag(&mut harness, grab, to);
    let doc = harness.state();
    let resized = CharRange::new(start, doc.offset_of("decide", 0) + 6);
    assert_eq!(
        doc.actions,
        vec![ArticleAction::Resized {
            id: 5,
            range: resized
        }]
    );
    assert_eq!(doc.chars_of(resized), "presidents will decide");
}

#[test]
fn the_end_handle_of_a_persian_span_is_at_its_left_and_resizes_it() {
    let text = "سخنگوی کرملین روز شنبه گفت که روسیه حدود ۷۰ هزار نیرو دارد.";
    let mut doc = Doc::new(text);
    let start = doc.offset_of("کرملین", 0);
    let end = start + "کرملین".chars().count();
    let mut span = mark(5, start, end, Color32::from_rgb(60, 160, 60));
    span.emphasis = Emphasis::Selected;
    doc.spans = vec![span];
    let mut harness = harness(doc);
    let doc = harness.state();
    // Right to left: the span ends at the left edge of its last letter.
    let last = doc.rect_of(end - 1);
    assert!(last.center().x < doc.rect_of(start).center().x);
    let grab = pos2(last.left(), last.bottom() + 3.0);
    let shanbe = doc.offset_of("شنبه", 0);
    let to = doc.rect_of(shanbe + 2).center();
    drag(&mut harness, grab, to);
    let doc = harness.state();
    let resized = CharRange::new(start, shanbe + "شنبه".chars().count());
    assert_eq!(
        doc.actions,
        vec![ArticleAction::Resized {
            id: 5,
            range: resized
        }]
    );
    assert_eq!(doc.chars_of(resized), "کرملین روز شنبه");
}

/// A long article: `paragraphs` paragraphs of about 600 code points.
fn long_text(paragraphs: usize) -> String {
    let sentence = "Officials said on Tuesday that the talks, which began in “late ۱۴۰۲”, \
        would resume next week. ";
    let mut text = String::new();
    for i in 0..paragraphs {
        text.push_str(&format!("Paragraph {i}. "));
        for _ in 0..6 {
            text.push_str(sentence);
        }
        text.push_str("\n\n");
    }
    text
}

#[test]
fn a_long_document_lays_out_only_what_is_visible() {
    let text = long_text(1700);
    assert!(text.len() > 1_000_000);
    let harness = harness(Doc::new(&text));
    let doc = harness.state();
    assert!(doc.state.layouts_made() > 0);
    assert!(
        doc.state.layouts_made() < 20,
        "laid out {} paragraphs",
        doc.state.layouts_made()
    );
    assert!(doc.state.laid_out_paragraphs() < 20);
    assert_eq!(doc.state.visible_paragraphs().start, 0);
}

#[test]
fn scroll_to_brings_a_far_offset_into_view_and_it_maps_exactly() {
    let text = long_text(400);
    let mut harness = harness(Doc::new(&text));
    let target_paragraph = 300;
    let target = harness
        .state()
        .text
        .paragraphs()
        .get(target_paragraph)
        .map_or(0, |p| p.chars.start + 20);
    harness.state_mut().state.scroll_to(target);
    harness.run();
    let doc = harness.state();
    assert!(doc.state.visible_paragraphs().contains(&target_paragraph));
    let rect = doc.rect_of(target);
    assert!(
        rect.top() >= 0.0 && rect.bottom() <= 500.0,
        "{rect:?} is off screen"
    );
    let layouts = doc.state.layouts_made();
    assert!(layouts < 40, "laid out {layouts} paragraphs");

    // The text there still maps exactly: "Officials" follows "Paragraph 300. ".
    let word = target - 20 + "Paragraph 300. ".len();
    assert_eq!(doc.chars_of(CharRange::new(word, word + 9)), "Officials");
    let (from, to) = edges(&harness, word, word + 8);
    drag(&mut harness, from, to);
    let doc = harness.state();
    assert_eq!(doc.selected(), CharRange::new(word, word + 9));
}

#[test]
fn the_view_and_its_paragraphs_are_accessible() {
    let harness = harness(Doc::new(PERSIAN));
    let view = harness.get_by_label(ACCESSIBLE_NAME);
    assert_eq!(view.accesskit_node().role(), Role::Document);
    let paragraphs = harness.get_all_by_role(Role::Paragraph).count();
    assert_eq!(paragraphs, 2);
    let second = harness.get_by_label_contains("A second paragraph");
    assert!(second.rect().height() > 0.0);
}

#[test]
#[ignore = "writes a picture for a person to look at"]
fn render_a_picture() {
    let text = "Peskov said “the presidents will decide” on the matter, and officials in Tehran \
        reported ۱۱۶۵۳۸۱ cases 😀 by Monday evening, according to the ministry.\n\nقال المتحدث إن \
        الرئيسين سيقرران ذلك.\n\nA third paragraph with a selection and nested, overlapping spans \
        that continue across the line break and into more text here.";
    let mut doc = Doc::new(text);
    let said = doc.offset_of("said", 0);
    let pres = doc.offset_of("presidents", 0);
    let third = doc.offset_of("third", 0);
    doc.spans = vec![
        mark(1, said, said + 60, Color32::from_rgb(230, 80, 80)),
        mark(2, pres, pres + 10, Color32::from_rgb(70, 130, 230)),
        mark(3, pres + 5, pres + 30, Color32::from_rgb(60, 170, 90)),
        mark(4, third, third + 80, Color32::from_rgb(200, 150, 30)),
    ];
    doc.spans[1].emphasis = Emphasis::Selected;
    doc.state
        .set_selection(Some(CharRange::new(third + 20, third + 40)));
    let more = doc.offset_of("more", 0);
    let monday = doc.offset_of("Monday", 0);
    doc.highlights = vec![
        CharRange::new(monday, monday + 6),
        CharRange::new(more, more + 4),
    ];
    doc.current_highlight = Some(1);
    let mut harness = harness(doc);
    harness.run();
    let image = harness.render().unwrap_or_else(|e| panic!("{e}"));
    image
        .save(std::env::temp_dir().join("article_view.png"))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_drag_past_the_bottom_edge_scrolls_and_keeps_selecting() {
    let text = long_text(40);
    let mut harness = harness(Doc::new(&text));
    let doc = harness.state();
    let last_visible = doc.state.visible_paragraphs().end - 1;
    let start = doc.offset_of("Officials", 0);
    let from = doc.rect_of(start).left_center() + vec2(1.0, 0.0);
    harness.hover_at(from);
    harness.drag_at(from);
    harness.hover_at(from + vec2(0.0, 40.0));
    // Hold the pointer below the window for a while: the view scrolls and extends.
    harness.hover_at(pos2(300.0, 540.0));
    harness.run_steps(40);
    harness.drop_at(pos2(300.0, 540.0));
    harness.run_ok();
    let doc = harness.state();
    let range = doc.selected();
    assert_eq!(range.start, start);
    let end_paragraph = doc.text.paragraph_of(range.end).unwrap_or(0);
    assert!(
        end_paragraph > last_visible,
        "selection ends in paragraph {end_paragraph}, first screen showed up to {last_visible}"
    );
}

#[test]
fn scrolling_up_into_estimated_paragraphs_does_not_jump() {
    let text = long_text(400);
    let mut harness = harness(Doc::new(&text));
    let target = harness
        .state()
        .text
        .paragraphs()
        .get(200)
        .map_or(0, |p| p.chars.start);
    harness.state_mut().state.scroll_to(target);
    harness.run();
    let before = harness.state().rect_of(target);
    let layouts = harness.state().state.layouts_made();
    harness.hover_at(pos2(300.0, 250.0));
    harness.event(Event::MouseWheel {
        unit: MouseWheelUnit::Point,
        delta: vec2(0.0, 400.0),
        phase: TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: Modifiers::NONE,
    });
    harness.run_steps(40);
    let doc = harness.state();
    assert!(
        doc.state.layouts_made() > layouts,
        "scrolling up laid out no new paragraph"
    );
    let after = doc.rect_of(target);
    assert!(
        (after.top() - before.top() - 400.0).abs() <= 1.0,
        "moved from {} to {} for a 400 pt scroll",
        before.top(),
        after.top()
    );
}

#[test]
fn hovering_nested_spans_shows_all_their_tooltips() {
    let text = "Peskov said the presidents will decide on the matter next week.";
    let mut doc = Doc::new(text);
    let outer = doc.offset_of("said", 0);
    let inner = doc.offset_of("presidents", 0);
    doc.spans = vec![
        mark(10, outer, outer + 30, Color32::from_rgb(200, 60, 60)),
        mark(20, inner, inner + 10, Color32::from_rgb(60, 60, 200)),
    ];
    let mut harness = harness(doc);
    let pos = harness.state().rect_of(inner + 4).center();
    harness.hover_at(pos);
    harness.run_steps(60);
    assert!(harness.query_by_label("span 20").is_some());
    assert!(harness.query_by_label("span 10").is_some());
}
