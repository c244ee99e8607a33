//! HTML reading time on pathological nesting (issue: html5ever's time grows with the square
//! of the depth): unclosed `<div>`s and `<ul><li>`s at growing depths, and an ordinary 1 MB
//! article for comparison. Target: any 1 MB HTML file in at most 2 s.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use stet::ingest::{FileKind, read_bytes};

use common::{Rng, news_text};

fn read(html: &str) -> usize {
    let articles = read_bytes(html.as_bytes(), FileKind::Html, Path::new("deep.html")).unwrap();
    articles[0].text.len()
}

fn nesting(c: &mut Criterion) {
    let mut group = c.benchmark_group("html_nesting");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for depth in [10_000, 20_000, 40_000, 80_000, 200_000] {
        let html = format!("{}text at the bottom", "<div>".repeat(depth));
        group.bench_function(format!("unclosed_div_{depth}"), |b| b.iter(|| read(&html)));
    }
    let lists = format!("{}item", "<ul><li>".repeat(20_000));
    group.bench_function("unclosed_ul_li_20000", |b| b.iter(|| read(&lists)));
    let mut rng = Rng(7);
    let mut article = String::from("<html><head><title>Long</title></head><body>");
    while article.len() < 1_000_000 {
        let text = news_text(&mut rng, "Paragraph", 1, 2_000);
        article.push_str("<p>");
        article.push_str(&text.replace('<', " "));
        article.push_str("</p>\n");
    }
    article.push_str("</body></html>");
    group.bench_function("ordinary_article_1mb", |b| b.iter(|| read(&article)));
    group.finish();
}

criterion_group!(benches, nesting);
criterion_main!(benches);
