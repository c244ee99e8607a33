//! The rule recognisers over a corpus: 3,000 generated news articles (about 15 MB) through
//! figures, quotes, speakers and denials, as `stet suggest` runs them (tokenising each
//! article once). Target: 2 s or less for the corpus.
//!
//! Run with `cargo bench --bench suggest -- --sample-size 10`; the median is in
//! `target/criterion/suggest/rules_3000_articles/new/estimates.json`. Measured 2026-12-02
//! with `--profile dev` (opt-level 1, a release build did not fit on the shared machine):
//! median 694 ms for 15.2 MB.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use stet::suggest::{Recogniser, propose};

use common::Rng;

const ARTICLES: usize = 3_000;
const TARGET_BYTES: usize = 5_000;

/// Paragraphs the articles are made of: quotes continued across paragraphs, speakers with
/// titles and pronouns, figures in three scripts, denials, dates and names that are not
/// figures.
const PARAGRAPHS: [&str; 12] = [
    "Russia has massed about 70,000 troops near the border, according to satellite images reviewed on 3 December.",
    "“We see that he is putting in place the capacity to act in short order,” a senior administration official told reporters on Friday.",
    "Kremlin spokesman Dmitry Peskov said: “Russia is not threatening anyone. The movement of troops on our own territory is our business.",
    "“Nobody can tell us otherwise,” he added, before leaving the briefing at 10:30.",
    "Health officials recorded ۹۴٬۳۰۰ new cases over the past week, up from ۸۱٬۲۰۰, and ٤٠٪ of patients were in intensive care.",
    "Moscow has repeatedly denied planning an invasion, and the ministry rejected the claims as propaganda.",
    "More than 14,000 lives have been lost since the conflict began in 2014, and some 1.5 million people have fled.",
    "The central bank raised its rate by 0.75 percentage points to 4.5% and set aside $2.5 million in aid.",
    "Flight MH17 was shot down in 2014; Resolution 2231 was adopted later, News code : ۱۱۶۵۳۸۱.",
    "“The water came so fast that we had no time to take anything,” said Maria Kovacs, 54, who left with her two grandchildren.",
    "The company denied the allegations but agreed to pay $2.3 billion, about a fifth of its revenue 😀.",
    "City won the final 3-2 with more than 80,000 fans watching, the third title in a row for the so-called “golden generation”.",
];

fn corpus() -> Vec<String> {
    let mut rng = Rng(0x5eed_5eed);
    (0..ARTICLES)
        .map(|n| {
            let mut text = format!("Article {n}\n\n");
            while text.len() < TARGET_BYTES {
                text.push_str(PARAGRAPHS[rng.below(PARAGRAPHS.len())]);
                text.push_str("\n\n");
            }
            text
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let articles = corpus();
    let bytes: usize = articles.iter().map(String::len).sum();
    let rules = [
        Recogniser::Figures,
        Recogniser::Quotes,
        Recogniser::Speakers,
        Recogniser::Denials,
    ];
    let mut group = c.benchmark_group("suggest");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(format!("rules_{ARTICLES}_articles"), |b| {
        b.iter(|| {
            let mut spans = 0;
            for text in &articles {
                spans += propose(black_box(text), &rules).spans.len();
            }
            black_box(spans)
        });
    });
    group.finish();
    println!("corpus: {ARTICLES} articles, {bytes} bytes");
}

criterion_group!(benches, bench);
criterion_main!(benches);
