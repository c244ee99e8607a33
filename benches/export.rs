//! Export throughput: a generated project of 10,000 documents and 500,000 spans (built once per
//! run with the store's batch API), exported in every format.
//!
//! Targets: jsonl and csv at 300,000 spans/s or more; every other format within 3× of jsonl's
//! time. Single-file formats write through a buffer to a file; folder formats into a fresh
//! folder each time (creating the folder is not timed; the folders are deleted once the
//! format's runs are over).
//!
//! Run with `CARGO_TARGET_DIR=… cargo bench --bench export`; medians are in
//! `target/criterion/export/*/new/estimates.json`.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use stet::export::{ExportFilter, ExportFormat};
use stet::model::{CharRange, LabelScheme, Origin};
use stet::store::{Access, NewDocument, NewSpan, Project};
use stet::workflows::export::{write_into, write_to};

const DOCUMENTS: usize = 10_000;
const SPANS_PER_DOCUMENT: usize = 50;

/// Sentences the generated articles are made of (some with emoji, Persian digits and
/// curly quotes, so the UTF-16 and code-point paths are exercised).
const SENTENCES: [&str; 8] = [
    "Kremlin spokesman Dmitry Peskov said on Saturday that talks would resume. ",
    "“We see that he is putting in place the capacity,” the official said. ",
    "Russia has massed about 70,000 troops near the border, officials said. ",
    "News code : ۱۱۶۵۳۸۱ was filed at noon 😀 by the desk. ",
    "Kyiv denied the report and called it a provocation. ",
    "More than 14,000 lives have been lost since the conflict began in 2014. ",
    "The ministry published figures showing a rise of 20% in prices. ",
    "Analysts at the institute expect the decision within weeks. ",
];

/// One generated document: ~40 sentences and 50 spans by two annotators, some nested.
fn document(n: usize) -> NewDocument {
    let mut text = format!("Report {n}\n\n");
    let mut sentence_ranges = Vec::new();
    for i in 0..40 {
        let sentence = SENTENCES[(n + i * 3) % SENTENCES.len()];
        let start = text.chars().count();
        text.push_str(sentence);
        if i % 10 == 9 {
            text.push_str("\n\n");
        }
        // The sentence without its final space.
        sentence_ranges.push(CharRange::new(
            start,
            start + sentence.trim_end().chars().count(),
        ));
    }
    let labels = ["claim", "quote", "figure", "denial"];
    let mut spans = Vec::with_capacity(SPANS_PER_DOCUMENT);
    for (i, range) in sentence_ranges.iter().enumerate().take(25) {
        spans.push(NewSpan {
            range: *range,
            label: labels[i % 4].into(),
            annotator: "ana".into(),
            note: if i % 7 == 0 {
                "check the wire".into()
            } else {
                String::new()
            },
            origin: Origin::Imported,
            attributes: Default::default(),
        });
        // A nested span: the sentence's first ten characters.
        spans.push(NewSpan {
            range: CharRange::new(range.start, range.start + 10),
            label: labels[(i + 1) % 4].into(),
            annotator: "ben".into(),
            note: String::new(),
            origin: Origin::Imported,
            attributes: Default::default(),
        });
    }
    NewDocument {
        title: format!("Report {n}: talks, troops and figures"),
        text,
        source: format!("generated/{n}.txt"),
        format: "text".into(),
        spans,
        ..NewDocument::default()
    }
}

fn build(path: &Path) -> Project {
    let mut project = Project::create(path, &LabelScheme::newsroom()).expect("create project");
    let mut batch = project.batch().expect("batch");
    let docs: Vec<NewDocument> = (0..DOCUMENTS).map(document).collect();
    for chunk in docs.chunks(500) {
        batch
            .insert_documents(chunk)
            .map_err(|(i, e)| format!("document {i}: {e}"))
            .expect("insert");
    }
    batch.commit().expect("commit");
    drop(project);
    Project::open(path, Access::ReadOnly).expect("reopen")
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let started = std::time::Instant::now();
    let project = build(&dir.path().join("bench.stet"));
    let spans = project.stats().expect("stats").spans;
    eprintln!(
        "built {DOCUMENTS} documents with {spans} spans in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let filter = ExportFilter::default();
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(15));
    group.throughput(Throughput::Elements(spans as u64));
    let formats = [
        ("jsonl", ExportFormat::Jsonl),
        ("csv", ExportFormat::Csv),
        ("doccano", ExportFormat::Doccano),
        ("labelstudio", ExportFormat::LabelStudio),
        ("conll", ExportFormat::Conll),
        ("brat", ExportFormat::Brat),
        ("webanno", ExportFormat::WebAnno),
    ];
    for (name, format) in formats {
        if format.is_folder() {
            // Folders are kept until the format is done: deleting thousands of files between
            // runs makes ext4 slow to create the next ones (it skips recently freed inodes),
            // which an export into a new folder does not meet.
            let kept = RefCell::new(Vec::new());
            group.bench_function(name, |b| {
                b.iter_batched(
                    || tempfile::tempdir_in(dir.path()).expect("folder"),
                    |out| {
                        let summary =
                            write_into(&project, format, &filter, out.path()).expect("export");
                        kept.borrow_mut().push(out);
                        summary
                    },
                    BatchSize::PerIteration,
                );
            });
            drop(kept);
        } else {
            let path = dir.path().join(format!("out.{name}"));
            group.bench_function(name, |b| {
                b.iter(|| {
                    let file = std::fs::File::create(&path).expect("file");
                    let mut out = BufWriter::with_capacity(1 << 16, file);
                    let summary = write_to(&project, format, &filter, &mut out).expect("export");
                    out.flush().expect("flush");
                    summary
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
