//! Frame times of the article view, headless: `Context::run_ui` plus `tessellate` on a
//! 1000×800 screen with stet's bundled fonts.
//!
//! (a) a steady frame (nothing changed, scrolled to the middle) for articles of 10 KB,
//! 100 KB and 1 MB with 0, 1,000 and 10,000 spans; (b) a frame that adds one span to the
//! 1 MB / 10,000-span article; (c) opening a 1 MB article to its first frame. Criterion
//! reports its statistics; a summary of medians (our own timing) is printed at the end.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use egui::{Color32, Context, Pos2, RawInput, Rect, vec2};

use stet::app::article_view::{
    ArticleText, ArticleView, ArticleViewState, Emphasis, SpanMark, ViewOptions,
};
use stet::app::theme;
use stet::model::CharRange;

use common::Rng;

const KB: usize = 1000;
const SIZES: [(&str, usize); 3] = [("10KB", 10 * KB), ("100KB", 100 * KB), ("1MB", 1000 * KB)];
const SPAN_COUNTS: [usize; 3] = [0, 1_000, 10_000];
/// The id of the span the "add one span" frames add.
const ADDED_ID: i64 = 1_000_000;

const WORDS: &[&str] = &[
    "the",
    "minister",
    "said",
    "on",
    "Tuesday",
    "that",
    "talks",
    "would",
    "resume",
    "next",
    "week",
    "officials",
    "reported",
    "a",
    "figure",
    "of",
    "۱۱۶۵۳۸۱",
    "cases",
    "in",
    "Tehran",
    "“record”",
    "levels",
    "according",
    "to",
    "sources",
    "close",
    "government",
    "which",
    "denied",
    "claims",
    "‘quiet’",
    "spokesman",
    "added",
    "—",
    "percent",
    "Kyiv",
    "Moscow",
    "agreed",
    "since",
    "۱۴۰۲",
    "café",
    "analysts",
    "warned",
    "prices",
    "rose",
    "sharply",
    "and",
    "but",
];

/// Persian news words (with ZWNJ joins), digits of both sets and a Latin name, for the
/// right-to-left article.
const PERSIAN_WORDS: &[&str] = &[
    "سخنگوی",
    "کرملین",
    "گفت",
    "که",
    "روسیه",
    "حدود",
    "۷۰",
    "هزار",
    "نیرو",
    "را",
    "در",
    "نزدیکی",
    "مرز",
    "مستقر",
    "کرده",
    "است",
    "و",
    "این",
    "گفت‌وگو",
    "سه‌شنبه",
    "شب",
    "برگزار",
    "می‌شود",
    "رئیس‌جمهور",
    "وزارت",
    "خارجه",
    "اعلام",
    "کرد",
    "۱۱۶۵۳۸۱",
    "۲۰٪",
    "Times",
    "«ما",
    "نداریم»",
    "گزارش",
    "داد",
    "مقامات",
    "آمریکایی",
    "اوکراین",
];

/// An article of about `bytes` bytes: paragraphs of 300–900 characters of news-like words,
/// with curly quotes, Persian digits and the odd emoji.
fn article(bytes: usize, seed: u64) -> String {
    article_of(WORDS, bytes, seed)
}

/// The same, in Persian: every paragraph right-to-left.
fn persian_article(bytes: usize, seed: u64) -> String {
    article_of(PERSIAN_WORDS, bytes, seed)
}

fn article_of(words: &[&str], bytes: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut text = String::with_capacity(bytes + 1000);
    while text.len() < bytes {
        let target = 300 + rng.below(600);
        let start = text.len();
        let mut sentence_start = true;
        while text.len() - start < target {
            let word = words[rng.below(words.len())];
            if sentence_start {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    text.extend(first.to_uppercase());
                    text.push_str(chars.as_str());
                }
            } else {
                text.push_str(word);
            }
            sentence_start = false;
            match rng.below(40) {
                0..=2 => {
                    text.push_str(". ");
                    sentence_start = true;
                }
                3 => text.push_str(", "),
                4 if rng.below(10) == 0 => text.push_str(" 😀 "),
                _ => text.push(' '),
            }
        }
        text.push_str(".\n\n");
    }
    text
}

const LABEL_COLORS: [Color32; 4] = [
    Color32::from_rgb(230, 80, 80),
    Color32::from_rgb(70, 130, 230),
    Color32::from_rgb(60, 170, 90),
    Color32::from_rgb(200, 150, 30),
];

/// `count` random, overlapping spans of 5–150 code points.
fn spans(len_chars: usize, count: usize, seed: u64) -> Vec<SpanMark> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|i| random_span(&mut rng, len_chars, i as i64))
        .collect()
}

fn random_span(rng: &mut Rng, len_chars: usize, id: i64) -> SpanMark {
    let start = rng.below(len_chars.saturating_sub(5));
    let end = (start + 5 + rng.below(146)).min(len_chars);
    SpanMark {
        id,
        range: CharRange::new(start, end),
        color: LABEL_COLORS[rng.below(LABEL_COLORS.len())],
        tooltip: format!("claim · analyst {}", id % 7),
        emphasis: if id == 3 {
            Emphasis::Selected
        } else {
            Emphasis::Normal
        },
    }
}

/// One document open in the view.
struct Doc {
    text: ArticleText,
    spans: Vec<SpanMark>,
    state: ArticleViewState,
    options: ViewOptions,
}

impl Doc {
    fn new(text: String, spans: Vec<SpanMark>) -> Self {
        Self {
            text: ArticleText::new(text),
            spans,
            state: ArticleViewState::default(),
            options: ViewOptions::default(),
        }
    }
}

fn context() -> Context {
    let ctx = Context::default();
    ctx.set_fonts(theme::font_definitions(false));
    ctx
}

/// Runs one frame of the view and tessellates it; returns the number of primitives.
fn frame(ctx: &Context, doc: &mut Doc) -> usize {
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 800.0))),
        ..Default::default()
    };
    let mut output = ctx.run_ui(input, |ui| {
        let actions =
            ArticleView::new(&doc.text, &doc.spans, &mut doc.state, &doc.options).show(ui);
        black_box(actions);
    });
    let shapes = std::mem::take(&mut output.shapes);
    let primitives = ctx.tessellate(shapes, output.pixels_per_point);
    output.textures_delta.clear();
    primitives.len()
}

/// A frame with no ui at all, which empties egui's galley cache (it keeps only what the
/// last frame used), so that an "open" is measured without egui's memo of earlier opens.
fn blank_frame(ctx: &Context) {
    let mut output = ctx.run_ui(RawInput::default(), |_| {});
    output.textures_delta.clear();
}

/// A document of `bytes` with `span_count` spans, scrolled to its middle and settled.
fn settled_doc(ctx: &Context, bytes: usize, span_count: usize) -> Doc {
    settled(ctx, article(bytes, 7 + bytes as u64), span_count)
}

/// The same for a Persian article.
fn settled_persian(ctx: &Context, bytes: usize, span_count: usize) -> Doc {
    settled(ctx, persian_article(bytes, 7 + bytes as u64), span_count)
}

fn settled(ctx: &Context, text: String, span_count: usize) -> Doc {
    let len_chars = text.chars().count();
    let mut doc = Doc::new(text, spans(len_chars, span_count, 11 + span_count as u64));
    frame(ctx, &mut doc);
    doc.state.scroll_to(len_chars / 2);
    for _ in 0..5 {
        frame(ctx, &mut doc);
    }
    doc
}

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[times.len() / 2]
}

fn steady_frames(c: &mut Criterion) {
    let ctx = context();
    let mut group = c.benchmark_group("steady_frame");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for (name, bytes) in SIZES {
        for span_count in SPAN_COUNTS {
            let mut doc = settled_doc(&ctx, bytes, span_count);
            group.bench_function(format!("{name}/{span_count}_spans"), |b| {
                b.iter(|| frame(&ctx, &mut doc));
            });
        }
    }
    for (name, bytes) in [SIZES[0], SIZES[2]] {
        let mut doc = settled_persian(&ctx, bytes, 10_000);
        group.bench_function(format!("persian_{name}/10000_spans"), |b| {
            b.iter(|| frame(&ctx, &mut doc));
        });
    }
    group.finish();
}

fn add_one_span(c: &mut Criterion) {
    let ctx = context();
    let mut doc = settled_doc(&ctx, 1000 * KB, 10_000);
    let mut rng = Rng(99);
    let visible = doc.state.visible_paragraphs();
    let mut group = c.benchmark_group("add_span");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    group.bench_function("1MB/10000_spans", |b| {
        b.iter(|| {
            push_visible_span(&mut doc, &mut rng, visible.clone());
            frame(&ctx, &mut doc)
        });
    });
    group.finish();
}

/// Adds a span inside the visible paragraphs (in place of the one the previous call added,
/// so that every frame measures the same document plus one new span) and tells the view.
fn push_visible_span(doc: &mut Doc, rng: &mut Rng, visible: std::ops::Range<usize>) {
    if doc.spans.last().is_some_and(|s| s.id == ADDED_ID) {
        doc.spans.pop();
    }
    let paragraphs = doc.text.paragraphs();
    let p = visible.start + rng.below(visible.len());
    let Some(paragraph) = paragraphs.get(p) else {
        return;
    };
    let start = paragraph.chars.start + rng.below(paragraph.char_len().saturating_sub(20));
    doc.spans.push(SpanMark {
        id: ADDED_ID,
        range: CharRange::new(start, start + 5 + rng.below(15)),
        color: LABEL_COLORS[rng.below(LABEL_COLORS.len())],
        tooltip: "quote · analyst".to_owned(),
        emphasis: Emphasis::Normal,
    });
    doc.state.invalidate_spans();
}

fn open_article(c: &mut Criterion) {
    let ctx = context();
    let text = article(1000 * KB, 1007);
    let len_chars = text.chars().count();
    let marks = spans(len_chars, 10_000, 5);
    // Warm the font atlas once, as a running app would have.
    frame(&ctx, &mut Doc::new(text.clone(), Vec::new()));
    let mut group = c.benchmark_group("open");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("1MB/10000_spans", |b| {
        b.iter_batched(
            || {
                blank_frame(&ctx);
                (text.clone(), marks.clone())
            },
            |(text, marks)| {
                let mut doc = Doc::new(text, marks);
                frame(&ctx, &mut doc);
                doc
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

/// Our own medians, as a table, with the ratios the targets are stated in.
fn summary(_: &mut Criterion) {
    let ctx = context();
    println!("\narticle view medians (run_ui + tessellate, 1000×800):");
    println!("| scenario | 0 spans | 1,000 spans | 10,000 spans |");
    println!("| --- | --- | --- | --- |");
    let mut steady = Vec::new();
    for (name, bytes) in SIZES {
        let mut row = Vec::new();
        for span_count in SPAN_COUNTS {
            let mut doc = settled_doc(&ctx, bytes, span_count);
            let m = median(60, || {
                black_box(frame(&ctx, &mut doc));
            });
            row.push(m);
        }
        println!(
            "| steady frame, {name} | {:.3} ms | {:.3} ms | {:.3} ms |",
            ms(row[0]),
            ms(row[1]),
            ms(row[2])
        );
        steady.push(row);
    }
    for (i, span_count) in SPAN_COUNTS.iter().enumerate() {
        println!(
            "ratio 1MB / 10KB at {span_count} spans: {:.2}",
            ms(steady[2][i]) / ms(steady[0][i])
        );
    }

    let mut persian = Vec::new();
    for (_, bytes) in [SIZES[0], SIZES[2]] {
        let mut doc = settled_persian(&ctx, bytes, 10_000);
        persian.push(median(60, || {
            black_box(frame(&ctx, &mut doc));
        }));
    }
    println!(
        "| steady frame, Persian 10KB / 1MB at 10,000 spans | {:.3} ms | {:.3} ms | ratio {:.2} |",
        ms(persian[0]),
        ms(persian[1]),
        ms(persian[1]) / ms(persian[0])
    );

    let mut doc = settled_doc(&ctx, 1000 * KB, 10_000);
    let visible = doc.state.visible_paragraphs();
    let mut rng = Rng(3);
    let add = median(40, || {
        push_visible_span(&mut doc, &mut rng, visible.clone());
        black_box(frame(&ctx, &mut doc));
    });
    println!("add one span, 1MB / 10,000 spans: {:.3} ms", ms(add));

    let text = article(1000 * KB, 1007);
    let len_chars = text.chars().count();
    let marks = spans(len_chars, 10_000, 5);
    let mut opens = Vec::new();
    let mut layouts = 0;
    for _ in 0..9 {
        blank_frame(&ctx);
        let (text, marks) = (text.clone(), marks.clone());
        let start = Instant::now();
        let mut doc = Doc::new(text, marks);
        frame(&ctx, &mut doc);
        opens.push(start.elapsed());
        layouts = doc.state.layouts_made();
    }
    opens.sort_unstable();
    println!(
        "open 1MB / 10,000 spans to first frame: {:.3} ms ({layouts} paragraphs laid out)",
        ms(opens[opens.len() / 2])
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

criterion_group!(benches, steady_frames, add_one_span, open_article, summary);
criterion_main!(benches);
