//! Agreement over 1,000 documents × 3 annotators × 50 spans each: the pure metrics on data in
//! memory, and the whole report from a project on disk (loading included).
//!
//! Run with `cargo bench --bench review`; the target is one report in under a second.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use stet::model::{CharRange, LabelScheme, Origin};
use stet::review::{AgreementOptions, DocumentSpans, agreement, agreement_of};
use stet::store::{NewDocument, NewSpan, Project};

use common::Rng;

const DOCUMENTS: usize = 1_000;
const ANNOTATORS: [&str; 3] = ["ana", "ben", "cy"];
const LABELS: [&str; 4] = ["claim", "quote", "figure", "denial"];
const SPANS_PER_ANNOTATOR: usize = 50;
const WORDS_PER_DOCUMENT: usize = 700;

/// One generated document: its text and each annotator's `(range, label index)` spans.
struct Generated {
    text: String,
    spans: Vec<Vec<(CharRange, usize)>>,
}

/// Documents of about 4,500 characters where three annotators mostly agree: each starts from
/// the same 50 spans, then moves some edges, relabels a few and replaces a few.
fn generate() -> Vec<Generated> {
    const VOCABULARY: [&str; 12] = [
        "the",
        "minister",
        "said",
        "troops",
        "border",
        "70,000",
        "denied",
        "report",
        "talks",
        "capacity",
        "officials",
        "Moscow",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..DOCUMENTS)
        .map(|d| {
            let mut text = format!("Document {d}.");
            let mut word_starts = Vec::with_capacity(WORDS_PER_DOCUMENT);
            for _ in 0..WORDS_PER_DOCUMENT {
                text.push(' ');
                word_starts.push(text.len());
                text.push_str(VOCABULARY[rng.below(VOCABULARY.len())]);
            }
            text.push('.');
            let len = text.len();
            let word_span = |rng: &mut Rng| {
                let first = rng.below(word_starts.len());
                let last = (first + 1 + rng.below(10)).min(word_starts.len() - 1);
                CharRange::new(
                    word_starts[first],
                    word_starts[last].max(word_starts[first] + 1),
                )
            };
            let base: Vec<(CharRange, usize)> = (0..SPANS_PER_ANNOTATOR)
                .map(|_| (word_span(&mut rng), rng.below(LABELS.len())))
                .collect();
            let spans = ANNOTATORS
                .iter()
                .map(|_| {
                    base.iter()
                        .map(|&(range, label)| match rng.below(10) {
                            0 => (word_span(&mut rng), label),
                            1 => (range, rng.below(LABELS.len())),
                            2 | 3 => {
                                let start = range.start.saturating_sub(rng.below(4));
                                let end = (range.end + rng.below(4)).min(len);
                                (CharRange::new(start, end.max(start + 1)), label)
                            }
                            _ => (range, label),
                        })
                        .collect()
                })
                .collect();
            Generated { text, spans }
        })
        .collect()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn bench_pure(c: &mut Criterion, generated: &[Generated]) {
    let docs: Vec<DocumentSpans> = generated
        .iter()
        .enumerate()
        .map(|(i, g)| DocumentSpans {
            id: i as i64 + 1,
            uid: format!("{i:032x}"),
            title: format!("Document {i}"),
            text: g.text.clone(),
            spans: g.spans.clone(),
            links: Vec::new(),
        })
        .collect();
    let annotators = names(&ANNOTATORS);
    let labels = names(&LABELS);
    let mut group = c.benchmark_group("agreement");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("pure_1000_docs_3_annotators", |b| {
        b.iter(|| agreement_of(black_box(&annotators), black_box(&labels), black_box(&docs)));
    });
    let two = names(&ANNOTATORS[..2]);
    let two_docs: Vec<DocumentSpans> = docs
        .iter()
        .map(|d| DocumentSpans {
            spans: d.spans[..2].to_vec(),
            links: Vec::new(),
            ..d.clone()
        })
        .collect();
    group.bench_function("pure_1000_docs_2_annotators", |b| {
        b.iter(|| agreement_of(black_box(&two), black_box(&labels), black_box(&two_docs)));
    });
    group.finish();
}

fn bench_project(c: &mut Criterion, generated: &[Generated]) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut project = Project::create(&dir.path().join("bench.stet"), &LabelScheme::newsroom())
        .expect("new project");
    let new_docs: Vec<NewDocument> = generated
        .iter()
        .enumerate()
        .map(|(i, g)| NewDocument {
            title: format!("Document {i}"),
            text: g.text.clone(),
            source: format!("doc{i}.txt"),
            format: "text".into(),
            spans: g
                .spans
                .iter()
                .zip(ANNOTATORS)
                .flat_map(|(spans, who)| {
                    spans.iter().map(move |&(range, label)| NewSpan {
                        range,
                        label: LABELS[label].into(),
                        annotator: who.into(),
                        note: String::new(),
                        origin: Origin::Imported,
                        attributes: Default::default(),
                    })
                })
                .collect(),
            ..NewDocument::default()
        })
        .collect();
    let mut batch = project.batch().expect("batch");
    batch
        .insert_documents(&new_docs)
        .map_err(|(i, e)| format!("document {i}: {e}"))
        .expect("insert");
    batch.commit().expect("commit");
    let options = AgreementOptions::default();
    let report = agreement(&project, &options).expect("report");
    assert_eq!(report.documents.len(), DOCUMENTS);
    let mut group = c.benchmark_group("agreement");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("project_1000_docs_3_annotators", |b| {
        b.iter(|| agreement(black_box(&project), black_box(&options)));
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let generated = generate();
    bench_pure(c, &generated);
    bench_project(c, &generated);
}

criterion_group!(review, benches);
criterion_main!(review);
