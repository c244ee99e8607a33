//! Merge speed: a colleague's project of 10,000 articles with 50 spans each (500,000 spans),
//! merged (a) into an empty project, (b) into a project with the same articles and its own
//! annotator's 50 spans each, and (c) into that project again once merged (nothing new).
//!
//! The projects are built once per run with the batch API; each iteration merges into a fresh
//! copy, made outside the timing.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use stet::model::{CharRange, LabelScheme, Origin};
use stet::store::{NewDocument, NewSpan, Project};
use stet::workflows::merge_project;

use common::{Rng, news_text};

const DOCS: usize = 10_000;
const SPANS: usize = 50;
const LABELS: [&str; 4] = ["claim", "quote", "figure", "denial"];

/// Deterministic article texts of about 2,800 bytes, with emoji and Persian digits.
fn texts() -> Vec<String> {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    (0..DOCS)
        .map(|i| {
            news_text(
                &mut rng,
                &format!("Article {i}: trade talks and a port dispute"),
                20,
                2_800,
            )
        })
        .collect()
}

/// A document with `annotator`'s 50 spans, spread over the text from `shift` on.
fn document(i: usize, text: &str, annotator: &str, shift: usize) -> NewDocument {
    let len = text.chars().count();
    let step = len / SPANS;
    let spans = (0..SPANS)
        .map(|k| NewSpan {
            range: CharRange::new(k * step + shift, k * step + shift + step / 2),
            label: LABELS[(i + k) % LABELS.len()].to_owned(),
            annotator: annotator.to_owned(),
            note: String::new(),
            origin: Origin::Manual,
            attributes: Default::default(),
        })
        .collect();
    NewDocument {
        title: format!("Article {i}"),
        text: text.to_owned(),
        source: format!("article-{i:05}.txt"),
        format: "text".to_owned(),
        spans,
        ..NewDocument::default()
    }
}

/// Creates a project holding every text with `annotator`'s spans.
fn build(path: &Path, texts: &[String], annotator: &str, shift: usize) {
    let mut project = Project::create(path, &LabelScheme::newsroom()).expect("create project");
    for (chunk_index, chunk) in texts.chunks(1_000).enumerate() {
        let docs: Vec<NewDocument> = chunk
            .iter()
            .enumerate()
            .map(|(j, text)| document(chunk_index * 1_000 + j, text, annotator, shift))
            .collect();
        let mut batch = project.batch().expect("batch");
        batch.insert_documents(&docs).expect("insert documents");
        batch.commit().expect("commit");
    }
}

/// A fresh copy of `template` (or a new empty project) to merge into.
fn fresh(template: Option<&Path>) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = dir.path().join("mine.stet");
    let project = match template {
        Some(template) => {
            std::fs::copy(template, &path).expect("copy template");
            Project::open(&path, stet::store::Access::ReadWrite).expect("open copy")
        }
        None => Project::create(&path, &LabelScheme::newsroom()).expect("create"),
    };
    (dir, project)
}

fn bench_merge(c: &mut Criterion) {
    let store = tempfile::tempdir().expect("temp dir");
    let texts = texts();
    let theirs = store.path().join("ben.stet");
    build(&theirs, &texts, "ben", 0);
    let same_docs = store.path().join("ana.stet");
    build(&same_docs, &texts, "ana", 3);
    let merged = store.path().join("ana-merged.stet");
    std::fs::copy(&same_docs, &merged).expect("copy");
    {
        let mut project =
            Project::open(&merged, stet::store::Access::ReadWrite).expect("open merged");
        merge_project(&mut project, &theirs, "rita").expect("first merge");
    }
    let size = std::fs::metadata(&theirs).map_or(0, |m| m.len());
    eprintln!(
        "theirs: {DOCS} documents, {} spans, {:.0} MB",
        DOCS * SPANS,
        size as f64 / 1e6
    );

    let mut group = c.benchmark_group("merge_10000_docs_500000_spans");
    group.sample_size(10);
    group.bench_function("into_empty_project", |b| {
        b.iter_batched(
            || fresh(None),
            |(dir, mut project)| {
                let report = merge_project(&mut project, &theirs, "rita").expect("merge");
                assert_eq!(report.documents_added(), DOCS);
                assert_eq!(report.spans_added, DOCS * SPANS);
                (dir, project)
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("into_project_with_same_documents", |b| {
        b.iter_batched(
            || fresh(Some(&same_docs)),
            |(dir, mut project)| {
                let report = merge_project(&mut project, &theirs, "rita").expect("merge");
                assert_eq!(report.documents_added(), 0);
                assert_eq!(report.spans_added, DOCS * SPANS);
                (dir, project)
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("again_nothing_new", |b| {
        b.iter_batched(
            || fresh(Some(&merged)),
            |(dir, mut project)| {
                let report = merge_project(&mut project, &theirs, "rita").expect("merge");
                assert_eq!(report.spans_unchanged, DOCS * SPANS);
                assert!(!report.changed());
                (dir, project)
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, bench_merge);
criterion_main!(benches);
