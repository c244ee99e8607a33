//! How well the rule recognisers do on hand-tagged news copy: precision, recall and F1 per
//! recogniser, exact (same start, end and label) and overlap (a proposal that shares a code
//! point with a gold span of its label counts for precision; a gold span any proposal of its
//! label touches counts for recall), and the share of quotes whose speaker is found (the
//! proposal overlapping a gold quote is linked `said_by` to a proposal overlapping the gold
//! quote's source).
//!
//! The set is `tests/data/suggest/dev.jsonl` (articles written for stet, tagged by hand
//! under `projects/newsroom.ron`; `dev.txt` is its readable source). Another set in the same
//! JSONL shape can be measured with `STET_SUGGEST_SET=FILE cargo test --test suggest_eval --
//! --nocapture`; the targets are asserted only on the dev set.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use stet::ingest::{FileKind, read_file};
use stet::model::CharRange;
use stet::suggest::{Recogniser, propose};

/// Counts behind precision and recall, exact and overlap.
#[derive(Default)]
struct Score {
    predicted: usize,
    gold: usize,
    exact: usize,
    overlap_predicted: usize,
    overlap_gold: usize,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

impl Score {
    fn add(&mut self, predicted: &[CharRange], gold: &[CharRange]) {
        self.predicted += predicted.len();
        self.gold += gold.len();
        self.exact += predicted.iter().filter(|p| gold.contains(p)).count();
        self.overlap_predicted += predicted
            .iter()
            .filter(|p| gold.iter().any(|g| g.overlaps(**p)))
            .count();
        self.overlap_gold += gold
            .iter()
            .filter(|g| predicted.iter().any(|p| p.overlaps(**g)))
            .count();
    }

    /// (P, R, F1) exact and overlap.
    fn exact(&self) -> (f64, f64, f64) {
        let (p, r) = (
            ratio(self.exact, self.predicted),
            ratio(self.exact, self.gold),
        );
        (p, r, f1(p, r))
    }

    fn overlap(&self) -> (f64, f64, f64) {
        let p = ratio(self.overlap_predicted, self.predicted);
        let r = ratio(self.overlap_gold, self.gold);
        (p, r, f1(p, r))
    }
}

struct Report {
    scores: Vec<(&'static str, Score)>,
    quotes_with_speaker: usize,
    speakers_found: usize,
}

fn evaluate(path: &Path, show_misses: bool) -> Report {
    let articles = read_file(path, FileKind::Jsonl).unwrap();
    let kinds = [
        ("figures", "figure"),
        ("quotes", "quote"),
        ("speakers", "source"),
        ("denials", "denial"),
    ];
    let mut scores: Vec<(&'static str, Score)> =
        kinds.iter().map(|(k, _)| (*k, Score::default())).collect();
    let (mut quotes_with_speaker, mut speakers_found) = (0, 0);
    let all = [
        Recogniser::Figures,
        Recogniser::Quotes,
        Recogniser::Speakers,
        Recogniser::Denials,
    ];
    for article in &articles {
        let proposals = propose(&article.text, &all);
        let slice =
            |r: CharRange| -> String { article.text.chars().skip(r.start).take(r.len()).collect() };
        for ((_, label), (_, score)) in kinds.iter().zip(scores.iter_mut()) {
            let predicted: Vec<CharRange> = proposals
                .spans
                .iter()
                .filter(|s| s.label == *label)
                .map(|s| s.range)
                .collect();
            let gold: Vec<CharRange> = article
                .spans
                .iter()
                .filter(|s| s.label == *label)
                .map(|s| s.range)
                .collect();
            if show_misses {
                for p in predicted.iter().filter(|p| !gold.contains(p)) {
                    println!("  {label} extra: {:?}", slice(*p));
                }
                for g in gold.iter().filter(|g| !predicted.contains(g)) {
                    println!("  {label} missed: {:?}", slice(*g));
                }
            }
            score.add(&predicted, &gold);
        }
        for relation in article.relations.iter().filter(|r| r.kind == "said_by") {
            let quote = article.spans[relation.from].range;
            let source = article.spans[relation.to].range;
            quotes_with_speaker += 1;
            let found = proposals.links.iter().any(|link| {
                proposals.spans[link.from].range.overlaps(quote)
                    && proposals.spans[link.to].range.overlaps(source)
            });
            if found {
                speakers_found += 1;
            } else if show_misses {
                println!("  speaker missed: {:?} ← {:?}", slice(quote), slice(source));
            }
        }
    }
    Report {
        scores,
        quotes_with_speaker,
        speakers_found,
    }
}

fn print(report: &Report, name: &str) {
    println!("suggestions on {name}:");
    println!(
        "{:<10} {:>5} {:>5}  {:>6} {:>6} {:>6}  {:>6} {:>6} {:>6}",
        "", "gold", "pred", "P", "R", "F1", "P~", "R~", "F1~"
    );
    for (kind, score) in &report.scores {
        let (p, r, f) = score.exact();
        let (po, ro, fo) = score.overlap();
        println!(
            "{kind:<10} {:>5} {:>5}  {p:>6.3} {r:>6.3} {f:>6.3}  {po:>6.3} {ro:>6.3} {fo:>6.3}",
            score.gold, score.predicted
        );
    }
    println!(
        "speaker found for {}/{} quotes ({:.3})",
        report.speakers_found,
        report.quotes_with_speaker,
        ratio(report.speakers_found, report.quotes_with_speaker)
    );
}

fn dev_set() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/suggest/dev.jsonl")
}

#[test]
fn the_dev_set_meets_the_targets() {
    let show = std::env::var_os("STET_SUGGEST_MISSES").is_some();
    let report = evaluate(&dev_set(), show);
    print(&report, "tests/data/suggest/dev.jsonl");
    let score = |kind: &str| &report.scores.iter().find(|(k, _)| *k == kind).unwrap().1;
    let figures = score("figures");
    assert!(figures.gold >= 80, "the dev set has too few figures");
    assert!(figures.overlap().2 >= 0.90, "figures overlap F1 below 0.90");
    assert!(figures.exact().2 >= 0.75, "figures exact F1 below 0.75");
    assert!(
        score("quotes").exact().2 >= 0.85,
        "quotes exact F1 below 0.85"
    );
    let found = ratio(report.speakers_found, report.quotes_with_speaker);
    assert!(
        found >= 0.80,
        "speaker found for {found:.3} of quotes, below 0.80"
    );
}

#[test]
fn another_set_is_measured_when_named() {
    let Some(path) = std::env::var_os("STET_SUGGEST_SET") else {
        return;
    };
    let path = PathBuf::from(path);
    let report = evaluate(&path, std::env::var_os("STET_SUGGEST_MISSES").is_some());
    print(&report, &path.display().to_string());
}
