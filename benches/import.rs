//! Import speed: 3,000 generated articles (~15 MB) through `stet import`'s pipeline, against
//! the baseline of reading the same files and inserting their bytes into a bare SQLite table
//! (no decoding checks, no parsing, no hashing), measured in the same run.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use rusqlite::Connection;
use stet::model::LabelScheme;
use stet::store::Project;
use stet::workflows::import_paths;

use common::{Rng, news_text};

const ARTICLES: usize = 3_000;

/// Writes `ARTICLES` newswire-like articles of ~5 KB each; returns their paths.
fn generate(dir: &Path) -> Vec<PathBuf> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..ARTICLES)
        .map(|i| {
            let text = news_text(
                &mut rng,
                &format!("Headline number {i} on trade and talks"),
                40,
                5_000,
            );
            let path = dir.join(format!("article-{i:05}.txt"));
            std::fs::write(&path, text).expect("write a generated article");
            path
        })
        .collect()
}

/// A fresh bare database with one table, set up like a project (WAL, full sync).
fn bare_db(db: &Path) -> Connection {
    let conn = Connection::open(db).expect("open baseline db");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("wal");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("sync");
    conn.execute_batch("CREATE TABLE docs(id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        .expect("create");
    conn
}

/// Reads each file and inserts its text, in one transaction.
fn baseline(conn: &mut Connection, files: &[PathBuf]) {
    let tx = conn.transaction().expect("tx");
    {
        let mut insert = tx
            .prepare("INSERT INTO docs(text) VALUES (?1)")
            .expect("prepare");
        for file in files {
            let bytes = std::fs::read(file).expect("read");
            let text = String::from_utf8(bytes).expect("utf8");
            insert.execute([text]).expect("insert");
        }
    }
    tx.commit().expect("commit");
}

fn bench_import(c: &mut Criterion) {
    let corpus = tempfile::tempdir().expect("temp dir");
    let files = generate(corpus.path());
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    eprintln!("corpus: {ARTICLES} articles, {:.1} MB", total as f64 / 1e6);
    let mut group = c.benchmark_group("import_3000_articles");
    group.sample_size(10);
    // Creating the database or project is set-up, outside the timing, for both.
    group.bench_function("bare_sqlite_baseline", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("temp dir");
                let conn = bare_db(&dir.path().join("bare.db"));
                (dir, conn)
            },
            |(dir, mut conn)| {
                baseline(&mut conn, &files);
                (dir, conn)
            },
            criterion::BatchSize::PerIteration,
        );
    });
    group.bench_function("stet_import", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("temp dir");
                let project = Project::create(&dir.path().join("p.stet"), &LabelScheme::newsroom())
                    .expect("create project");
                (dir, project)
            },
            |(dir, mut project)| {
                let report = import_paths(
                    &mut project,
                    &[corpus.path().to_owned()],
                    "bench",
                    &mut |_, _| {},
                )
                .expect("import");
                assert_eq!(report.added.len(), ARTICLES);
                (dir, project)
            },
            criterion::BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
