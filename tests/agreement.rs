//! Agreement metrics against reference values: Krippendorff's worked example (as DKPro
//! Statistics computes it), scikit-learn and statsmodels on our own token sequences, F1 by
//! hand, and the edge cases.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{Value, json};
use stet::model::{CharRange, DocStatus, LabelDef, LabelScheme, Origin};
use stet::review::alpha_u::{AlphaTally, alpha_over, normalise_units};
use stet::review::kappa::{Confusion, token_categories, token_coverage, tokens};
use stet::review::span_match::{exact_matches, overlap_matches};
use stet::review::{AgreementOptions, AgreementReport, agreement};
use stet::store::{NewDocument, NewSpan, Project};

#[path = "common/text.rs"]
mod text;

use text::range_of;

// ---------------------------------------------------------------------------------------------
// Fixture helpers

fn temp_project(scheme: &LabelScheme) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::create(&dir.path().join("team.stet"), scheme).unwrap();
    (dir, project)
}

fn span(text: &str, annotator: &str, label: &str, needle: &str) -> NewSpan {
    NewSpan {
        range: range_of(text, needle),
        label: label.into(),
        annotator: annotator.into(),
        note: String::new(),
        origin: Origin::Manual,
        attributes: Default::default(),
    }
}

fn document(title: &str, text: &str, spans: Vec<NewSpan>) -> NewDocument {
    NewDocument {
        title: title.into(),
        text: text.into(),
        source: format!("{title}.txt"),
        format: "text".into(),
        spans,
        ..NewDocument::default()
    }
}

fn options(annotators: &[&str]) -> AgreementOptions {
    AgreementOptions {
        annotators: annotators.iter().map(|s| (*s).to_owned()).collect(),
        ..AgreementOptions::default()
    }
}

fn close(actual: Option<f64>, expected: f64, tolerance: f64) -> bool {
    actual.is_some_and(|a| (a - expected).abs() <= tolerance)
}

// ---------------------------------------------------------------------------------------------
// Krippendorff's α_u: the 2004 worked example

/// Coder, category, units as (begin, length).
type Units = (&'static str, &'static str, &'static [(usize, usize)]);

/// Krippendorff (2004), "Measuring the reliability of qualitative text analysis data",
/// Quality & Quantity 38, the unitizing example (also Content Analysis, 2nd ed., p. 254): a
/// continuum of 300 positions, two coders, units as (begin, length). DKPro Statistics' test of
/// `KrippendorffAlphaUnitizingAgreement` (`Krippendorff2004Test`, continuum 150..450) expects
/// overall α_u 0.8591, category c 0.7286 and category k 1.0.
const KRIPPENDORFF_2004: [Units; 4] = [
    ("A", "c", &[(75, 70), (220, 30)]),
    ("B", "c", &[(70, 80), (205, 20), (250, 20)]),
    ("A", "k", &[(30, 60), (150, 50)]),
    ("B", "k", &[(30, 60), (150, 50)]),
];

fn scheme(labels: &[&str]) -> LabelScheme {
    LabelScheme {
        name: "test".into(),
        description: String::new(),
        labels: labels
            .iter()
            .map(|name| LabelDef {
                name: (*name).into(),
                color: "#888888".into(),
                hotkey: None,
                description: String::new(),
                ..Default::default()
            })
            .collect(),
        relations: Vec::new(),
    }
}

#[test]
fn alpha_u_reproduces_krippendorff_2004_from_a_project() {
    let (_dir, mut project) = temp_project(&scheme(&["c", "k"]));
    // 300 characters of text: the continuum is the document's length.
    let text = "abcde fghij ".repeat(25);
    assert_eq!(text.chars().count(), 300);
    let mut spans = Vec::new();
    for (annotator, label, units) in KRIPPENDORFF_2004 {
        for &(begin, length) in units {
            spans.push(NewSpan {
                range: CharRange::new(begin, begin + length),
                label: label.into(),
                annotator: annotator.into(),
                note: String::new(),
                origin: Origin::Manual,
                attributes: Default::default(),
            });
        }
    }
    project
        .add_document(&document("k2004", &text, spans))
        .unwrap();
    let report = agreement(&project, &AgreementOptions::default()).unwrap();
    assert_eq!(report.annotators, vec!["A", "B"]);
    // Expected values: DKPro Statistics, Krippendorff2004Test (to 3 decimals).
    assert!(
        close(report.overall.alpha_u, 0.859, 5e-4),
        "{:?}",
        report.overall.alpha_u
    );
    assert!(close(report.labels["c"].alpha_u, 0.729, 5e-4));
    assert!(close(report.labels["k"].alpha_u, 1.0, 5e-4));
    assert_eq!(report.overall.characters, 300);
}

#[test]
fn alpha_u_reproduces_krippendorff_2004_from_plain_units() {
    let mut tallies = Vec::new();
    for label in ["c", "k"] {
        let mut tally = AlphaTally::new(2);
        let per_coder: Vec<Vec<CharRange>> = ["A", "B"]
            .iter()
            .map(|coder| {
                KRIPPENDORFF_2004
                    .iter()
                    .filter(|(a, l, _)| a == coder && *l == label)
                    .flat_map(|(_, _, units)| units.iter())
                    .map(|&(b, l)| CharRange::new(b, b + l))
                    .collect()
            })
            .collect();
        tally.add_continuum(300, &per_coder);
        tallies.push(tally);
    }
    // DKPro Statistics, Krippendorff2004Test: α_u(c) = 0.7286, α_u(k) = 1, overall 0.8591.
    assert!((tallies[0].alpha().unwrap() - 0.7286).abs() < 1e-4);
    assert_eq!(tallies[1].alpha().unwrap(), 1.0);
    assert!((alpha_over(&tallies).unwrap() - 0.8591).abs() < 5e-4);
}

// ---------------------------------------------------------------------------------------------
// κ against scikit-learn and statsmodels on our own token sequences

const DOC_A: &str = "Kremlin spokesman Dmitry Peskov said on Saturday that “the talks have failed”. Russia has massed about 70,000 troops near the border, officials said. Moscow denied any plan to invade.";
const DOC_B: &str = "Code ۱۱۶۵ 😀: Psaki said “we see the capacity” and cited 94,300 jobs. Akhmetov has denied that any plot is under way.";
const DOC_C: &str = "The ministry reported more than 14,000 lives lost since 1954. Critics called the figure inflated.";

/// Three annotators who agree on some spans, differ on edges, labels and omissions, and nest
/// a figure inside a claim.
fn newsroom_fixture() -> Vec<NewDocument> {
    let a = |who, label, needle| span(DOC_A, who, label, needle);
    let b = |who, label, needle| span(DOC_B, who, label, needle);
    let c = |who, label, needle| span(DOC_C, who, label, needle);
    vec![
        document(
            "peskov",
            DOC_A,
            vec![
                a("ana", "quote", "“the talks have failed”"),
                a(
                    "ana",
                    "claim",
                    "Russia has massed about 70,000 troops near the border",
                ),
                a("ana", "figure", "about 70,000 troops"),
                a("ana", "denial", "Moscow denied any plan to invade"),
                a("ben", "quote", "the talks have failed"),
                a("ben", "claim", "Russia has massed about 70,000 troops"),
                a("ben", "figure", "70,000 troops"),
                a("cy", "quote", "“the talks have failed”"),
                a(
                    "cy",
                    "claim",
                    "Russia has massed about 70,000 troops near the border",
                ),
                a("cy", "denial", "Moscow denied any plan"),
            ],
        ),
        document(
            "psaki",
            DOC_B,
            vec![
                b("ana", "quote", "“we see the capacity”"),
                b("ana", "figure", "94,300 jobs"),
                b(
                    "ana",
                    "denial",
                    "Akhmetov has denied that any plot is under way",
                ),
                b("ben", "quote", "“we see the capacity”"),
                b("ben", "figure", "94,300"),
                b(
                    "ben",
                    "claim",
                    "Akhmetov has denied that any plot is under way",
                ),
                b("cy", "quote", "“we see the capacity”"),
                b("cy", "figure", "94,300 jobs"),
                b(
                    "cy",
                    "denial",
                    "Akhmetov has denied that any plot is under way",
                ),
                b("cy", "figure", "۱۱۶۵"),
            ],
        ),
        document(
            "ministry",
            DOC_C,
            vec![
                c(
                    "ana",
                    "claim",
                    "The ministry reported more than 14,000 lives lost",
                ),
                c("ana", "figure", "more than 14,000 lives"),
                c(
                    "ben",
                    "claim",
                    "The ministry reported more than 14,000 lives lost",
                ),
                c("ben", "figure", "14,000 lives"),
                c("ben", "claim", "Critics called the figure inflated"),
                c("cy", "figure", "more than 14,000 lives"),
                c(
                    "cy",
                    "claim",
                    "The ministry reported more than 14,000 lives lost since 1954",
                ),
            ],
        ),
    ]
}

fn newsroom_project() -> (tempfile::TempDir, Project) {
    let (dir, mut project) = temp_project(&LabelScheme::newsroom());
    let mut batch = project.batch().unwrap();
    batch.insert_documents(&newsroom_fixture()).unwrap();
    batch.commit().unwrap();
    (dir, project)
}

const LABELS: [&str; 4] = ["claim", "quote", "figure", "denial"];
const ANNOTATORS: [&str; 3] = ["ana", "ben", "cy"];

/// The token sequences the metrics see for the fixture: overall categories ("O" or a label)
/// and, per label, whether a span of that label touches the token (0/1), over all documents
/// in order.
fn fixture_sequences() -> Value {
    let docs = newsroom_fixture();
    let mut overall = vec![Vec::<String>::new(); ANNOTATORS.len()];
    let mut binary = vec![vec![Vec::<u8>::new(); ANNOTATORS.len()]; LABELS.len()];
    for doc in &docs {
        let toks = tokens(&doc.text);
        let len = doc.text.chars().count();
        for (a, who) in ANNOTATORS.iter().enumerate() {
            let mine: Vec<(CharRange, usize)> = doc
                .spans
                .iter()
                .filter(|s| s.annotator == *who)
                .filter_map(|s| {
                    LABELS
                        .iter()
                        .position(|l| *l == s.label)
                        .map(|l| (s.range, l))
                })
                .collect();
            for category in token_categories(&toks, &mine) {
                overall[a].push(if category == 0 {
                    "O".to_owned()
                } else {
                    LABELS[category - 1].to_owned()
                });
            }
            for (l, per_label) in binary.iter_mut().enumerate() {
                let ranges: Vec<CharRange> = mine
                    .iter()
                    .filter(|(_, label)| *label == l)
                    .map(|(r, _)| *r)
                    .collect();
                let merged = normalise_units(&ranges, len);
                per_label[a].extend(token_coverage(&toks, &merged).into_iter().map(u8::from));
            }
        }
    }
    let by_annotator = |f: &dyn Fn(usize) -> Value| -> Value {
        ANNOTATORS
            .iter()
            .enumerate()
            .map(|(a, who)| ((*who).to_owned(), f(a)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    json!({
        "annotators": ANNOTATORS,
        "labels": LABELS,
        "overall": by_annotator(&|a| json!(overall[a])),
        "binary": LABELS.iter().enumerate().map(|(l, name)| {
            ((*name).to_owned(), by_annotator(&|a| json!(binary[l][a])))
        }).collect::<serde_json::Map<_, _>>(),
    })
}

fn reference_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/kappa_tokens.json")
}

/// Writes `value` with one line per sequence, so the reference file diffs readably.
fn write_reference(value: &Value) -> String {
    let line = |v: &Value| serde_json::to_string(v).unwrap();
    let mut out = String::from("{\n");
    writeln!(out, "  \"annotators\": {},", line(&value["annotators"])).unwrap();
    writeln!(out, "  \"labels\": {},", line(&value["labels"])).unwrap();
    out.push_str("  \"overall\": {\n");
    for (i, who) in ANNOTATORS.iter().enumerate() {
        let comma = if i + 1 < ANNOTATORS.len() { "," } else { "" };
        writeln!(
            out,
            "    \"{who}\": {}{comma}",
            line(&value["overall"][who])
        )
        .unwrap();
    }
    out.push_str("  },\n  \"binary\": {\n");
    for (l, label) in LABELS.iter().enumerate() {
        writeln!(out, "    \"{label}\": {{").unwrap();
        for (i, who) in ANNOTATORS.iter().enumerate() {
            let comma = if i + 1 < ANNOTATORS.len() { "," } else { "" };
            writeln!(
                out,
                "      \"{who}\": {}{comma}",
                line(&value["binary"][label][who])
            )
            .unwrap();
        }
        let comma = if l + 1 < LABELS.len() { "," } else { "" };
        writeln!(out, "    }}{comma}").unwrap();
    }
    out.push_str("  }\n}\n");
    out
}

/// The sequences `tests/reference/kappa.py` read are the ones the code produces today. Set
/// `STET_WRITE_KAPPA_REFERENCE=1` to rewrite the file (then rerun the script and update the
/// numbers below).
#[test]
fn kappa_reference_sequences_are_current() {
    let sequences = fixture_sequences();
    let path = reference_path();
    if std::env::var_os("STET_WRITE_KAPPA_REFERENCE").is_some() {
        std::fs::write(&path, write_reference(&sequences)).unwrap();
    }
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(stored, sequences, "rerun tests/reference/kappa.py");
}

// Reference values: `.venv/bin/python tests/reference/kappa.py` on
// tests/reference/kappa_tokens.json (79 tokens), with Python 3.11.7, numpy 2.4.6,
// scikit-learn 1.9.1 (`cohen_kappa_score`, ana vs ben) and statsmodels 0.15.0
// (`fleiss_kappa`, method "fleiss", ana, ben and cy).
const SKLEARN_COHEN_OVERALL: f64 = 0.5248669905158455;
const SKLEARN_COHEN_BY_LABEL: [(&str, f64); 4] = [
    ("claim", 0.48405685747214755),
    ("quote", 0.8945260347129507),
    ("figure", 0.6889763779527559),
    ("denial", 0.0),
];
const STATSMODELS_FLEISS_OVERALL: f64 = 0.6481879606879608;
const STATSMODELS_FLEISS_BY_LABEL: [(&str, f64); 4] = [
    ("claim", 0.5932984104046237),
    ("quote", 0.9313242538394663),
    ("figure", 0.6342592592592603),
    ("denial", 0.39251537935748476),
];

#[test]
fn cohen_kappa_matches_scikit_learn() {
    let (_dir, project) = newsroom_project();
    let report = agreement(&project, &options(&["ana", "ben"])).unwrap();
    assert!(
        close(report.overall.cohen_kappa, SKLEARN_COHEN_OVERALL, 1e-12),
        "{:?}",
        report.overall.cohen_kappa
    );
    for (label, expected) in SKLEARN_COHEN_BY_LABEL {
        let got = report.labels[label].cohen_kappa;
        assert!(close(got, expected, 1e-12), "{label}: {got:?}");
    }
    assert_eq!(report.overall.fleiss_kappa, None);
}

#[test]
fn fleiss_kappa_matches_statsmodels() {
    let (_dir, project) = newsroom_project();
    let report = agreement(&project, &options(&[])).unwrap();
    assert_eq!(report.annotators, ANNOTATORS);
    assert!(
        close(
            report.overall.fleiss_kappa,
            STATSMODELS_FLEISS_OVERALL,
            1e-12
        ),
        "{:?}",
        report.overall.fleiss_kappa
    );
    for (label, expected) in STATSMODELS_FLEISS_BY_LABEL {
        let got = report.labels[label].fleiss_kappa;
        assert!(close(got, expected, 1e-12), "{label}: {got:?}");
    }
    assert_eq!(report.overall.cohen_kappa, None);
    assert!(report.overall.undefined.contains_key("cohen_kappa"));
}

#[test]
fn cohen_kappa_by_hand_on_a_tiny_table() {
    // ana: O claim claim O; ben: O claim O O. p_o = 3/4; row totals (2, 2), column totals
    // (3, 1): p_e = (2·3 + 2·1) / 16 = 1/2; κ = (3/4 - 1/2) / (1 - 1/2) = 1/2.
    let mut table = Confusion::new(2);
    table.add_all(&[0, 1, 1, 0], &[0, 1, 0, 0]);
    assert_eq!(table.kappa(), Ok(0.5));
}

// ---------------------------------------------------------------------------------------------
// Span F1 by hand

#[test]
fn span_f1_by_hand() {
    let text =
        "0123456789 123456789 123456789 123456789 123456789 123456789 123456789 123456789 1234";
    let (_dir, mut project) = temp_project(&LabelScheme::newsroom());
    let at = |who: &str, label: &str, start, end| NewSpan {
        range: CharRange::new(start, end),
        label: label.into(),
        annotator: who.into(),
        note: String::new(),
        origin: Origin::Manual,
        attributes: Default::default(),
    };
    project
        .add_document(&document(
            "f1",
            text,
            vec![
                at("ana", "claim", 0, 10),
                at("ana", "claim", 20, 30),
                at("ana", "quote", 40, 50),
                at("ben", "claim", 0, 10),
                at("ben", "claim", 22, 30),
                at("ben", "quote", 60, 70),
                at("ben", "figure", 80, 85),
            ],
        ))
        .unwrap();
    let report = agreement(&project, &AgreementOptions::default()).unwrap();
    let o = &report.overall;
    // ana 3 spans, ben 4. Exact: claim 0..10 only, 1 match.
    //   precision = 1/4 (of ben's), recall = 1/3 (of ana's), F1 = 2·1 / (3 + 4) = 2/7.
    assert_eq!(o.spans, vec![3, 4]);
    assert_eq!(o.exact_matches, 1);
    assert_eq!(o.exact_precision, Some(0.25));
    assert_eq!(o.exact_recall, Some(1.0 / 3.0));
    assert_eq!(o.exact_f1, Some(2.0 / 7.0));
    // Overlap: claim 0..10 ~ 0..10 and 20..30 ~ 22..30; the quotes do not meet: 2 matches.
    //   precision = 2/4, recall = 2/3, F1 = 2·2 / 7 = 4/7.
    assert_eq!(o.overlap_matches, 2);
    assert_eq!(o.overlap_precision, Some(0.5));
    assert_eq!(o.overlap_recall, Some(2.0 / 3.0));
    assert_eq!(o.overlap_f1, Some(4.0 / 7.0));
    // Per label: claim exact F1 = 2·1 / (2 + 2) = 1/2, overlap F1 = 2·2 / 4 = 1; quote F1 =
    // 0 / 2 = 0; figure F1 = 0 / 1 = 0 (precision 0/1, recall undefined: ana has none);
    // denial: nobody tagged one, undefined.
    assert_eq!(report.labels["claim"].exact_f1, Some(0.5));
    assert_eq!(report.labels["claim"].overlap_f1, Some(1.0));
    assert_eq!(report.labels["quote"].overlap_f1, Some(0.0));
    assert_eq!(report.labels["figure"].exact_f1, Some(0.0));
    assert_eq!(report.labels["figure"].exact_precision, Some(0.0));
    assert_eq!(report.labels["figure"].exact_recall, None);
    assert_eq!(report.labels["denial"].exact_f1, None);
    assert!(report.labels["denial"].undefined.contains_key("exact_f1"));
}

#[test]
fn span_f1_averages_over_pairs_with_three_annotators() {
    let text = "Peskov said the talks failed.";
    let (_dir, mut project) = temp_project(&LabelScheme::newsroom());
    project
        .add_document(&document(
            "three",
            text,
            vec![
                span(text, "ana", "claim", "the talks failed"),
                span(text, "ben", "claim", "the talks failed"),
                span(text, "cy", "claim", "talks failed"),
            ],
        ))
        .unwrap();
    let report = agreement(&project, &AgreementOptions::default()).unwrap();
    // Pairs (ana, ben), (ana, cy), (ben, cy): exact F1 1, 0, 0 → mean 1/3; overlap 1, 1, 1.
    assert_eq!(report.pairs, 3);
    assert_eq!(report.overall.exact_f1, Some(1.0 / 3.0));
    assert_eq!(report.overall.overlap_f1, Some(1.0));
}

// ---------------------------------------------------------------------------------------------
// Edge cases

#[test]
fn identical_annotations_agree_fully() {
    let (_dir, mut project) = temp_project(&LabelScheme::newsroom());
    let mut spans = Vec::new();
    for who in ["ana", "ben", "cy"] {
        spans.push(span(DOC_A, who, "quote", "“the talks have failed”"));
        spans.push(span(DOC_A, who, "figure", "about 70,000 troops"));
    }
    project
        .add_document(&document("same", DOC_A, spans))
        .unwrap();
    for who in [&["ana", "ben"][..], &ANNOTATORS[..]] {
        let report = agreement(&project, &options(who)).unwrap();
        let o = &report.overall;
        assert_eq!(o.exact_f1, Some(1.0));
        assert_eq!(o.overlap_f1, Some(1.0));
        assert_eq!(o.alpha_u, Some(1.0));
        let kappa = if who.len() == 2 {
            o.cohen_kappa
        } else {
            o.fleiss_kappa
        };
        assert!(close(kappa, 1.0, 1e-12), "{kappa:?}");
        assert_eq!(report.labels["quote"].alpha_u, Some(1.0));
        // No one tagged a claim: undefined, not 1 and not NaN.
        assert_eq!(report.labels["claim"].alpha_u, None);
        assert_eq!(report.labels["claim"].exact_f1, None);
    }
}

#[test]
fn complete_disagreement_scores_low() {
    let (_dir, mut project) = temp_project(&LabelScheme::newsroom());
    project
        .add_document(&document(
            "apart",
            DOC_A,
            vec![
                span(DOC_A, "ana", "claim", "Kremlin spokesman Dmitry Peskov"),
                span(DOC_A, "ben", "claim", "Moscow denied any plan to invade"),
            ],
        ))
        .unwrap();
    let report = agreement(&project, &AgreementOptions::default()).unwrap();
    let o = &report.overall;
    assert_eq!(o.exact_f1, Some(0.0));
    assert_eq!(o.overlap_f1, Some(0.0));
    assert!(
        o.cohen_kappa.is_some_and(|k| k < 0.0),
        "{:?}",
        o.cohen_kappa
    );
    assert!(o.alpha_u.is_some_and(|a| a < 0.0), "{:?}", o.alpha_u);
    assert_eq!(report.documents[0].disagreements, 2);
}

#[test]
fn no_spans_and_one_annotator_are_undefined() {
    let (_dir, mut project) = temp_project(&LabelScheme::newsroom());
    let id = project
        .add_document(&document("empty", DOC_A, vec![]))
        .unwrap()
        .document_id;
    project.add_document(&document("zero", "", vec![])).unwrap();
    // No spans: no annotators to compare.
    let report = agreement(&project, &AgreementOptions::default()).unwrap();
    assert!(report.annotators.is_empty());
    assert_eq!(report.documents_skipped, 2);
    assert_eq!(report.overall.alpha_u, None);
    assert!(report.overall.undefined["alpha_u"].contains("two annotators"));
    // Two named annotators who both finished the document and tagged nothing: scikit-learn
    // and DKPro give NaN (0/0) here; the report gives None with the reason.
    project.set_status("ana", id, DocStatus::Done).unwrap();
    project.set_status("ben", id, DocStatus::Done).unwrap();
    let report = agreement(&project, &options(&["ana", "ben"])).unwrap();
    assert_eq!(report.documents.len(), 1);
    assert_eq!(report.documents_skipped, 1);
    let o = &report.overall;
    for value in [o.exact_f1, o.overlap_f1, o.cohen_kappa, o.alpha_u] {
        assert_eq!(value, None);
    }
    assert!(o.undefined["cohen_kappa"].contains("0/0"));
    // Comparing every document includes the zero-length one without trouble.
    let all = agreement(
        &project,
        &AgreementOptions {
            all_documents: true,
            ..options(&["ana", "ben"])
        },
    )
    .unwrap();
    assert_eq!(all.documents.len(), 2);
    assert_eq!(all.overall.alpha_u, None);
    // One annotator.
    project
        .add_span("ana", id, range_of(DOC_A, "Peskov"), "claim", "")
        .unwrap();
    let single = agreement(&project, &AgreementOptions::default()).unwrap();
    assert_eq!(single.annotators, vec!["ana"]);
    assert_eq!(single.overall.exact_f1, None);
    assert_eq!(single.overall.cohen_kappa, None);
    assert_eq!(single.overall.spans, vec![1]);
}

#[test]
fn documents_not_everyone_worked_on_are_skipped() {
    let (_dir, mut project) = newsroom_project();
    let lone = "A lone article only ana has seen.";
    project
        .add_document(&document(
            "lone",
            lone,
            vec![span(lone, "ana", "claim", "A lone article")],
        ))
        .unwrap();
    let report = agreement(&project, &AgreementOptions::default()).unwrap();
    assert_eq!(report.documents.len(), 3);
    assert_eq!(report.documents_skipped, 1);
    let all = agreement(
        &project,
        &AgreementOptions {
            all_documents: true,
            ..AgreementOptions::default()
        },
    )
    .unwrap();
    assert_eq!(all.documents.len(), 4);
    assert_eq!(all.documents[0].title, "peskov");
}

#[test]
fn suggestions_and_other_labels_are_left_out() {
    let (_dir, mut project) = temp_project(&LabelScheme::newsroom());
    let mut suggested = span(DOC_A, "ben", "claim", "Moscow denied any plan to invade");
    suggested.origin = Origin::Suggested;
    project
        .add_document(&document(
            "filters",
            DOC_A,
            vec![
                span(DOC_A, "ana", "quote", "“the talks have failed”"),
                span(DOC_A, "ben", "quote", "“the talks have failed”"),
                span(DOC_A, "ana", "figure", "about 70,000 troops"),
                suggested,
            ],
        ))
        .unwrap();
    let quotes = agreement(
        &project,
        &AgreementOptions {
            labels: vec!["quote".into()],
            ..AgreementOptions::default()
        },
    )
    .unwrap();
    assert_eq!(quotes.labels.keys().collect::<Vec<_>>(), vec!["quote"]);
    assert_eq!(quotes.overall.exact_f1, Some(1.0));
    assert_eq!(quotes.overall.alpha_u, Some(1.0));
    let with_suggestions = agreement(
        &project,
        &AgreementOptions {
            include_suggested: true,
            ..AgreementOptions::default()
        },
    )
    .unwrap();
    assert_eq!(with_suggestions.overall.spans, vec![2, 2]);
}

#[test]
fn report_serialises_to_the_cli_json_shape() {
    let (_dir, project) = newsroom_project();
    let report: AgreementReport = agreement(&project, &options(&["ana", "ben"])).unwrap();
    let value = serde_json::to_value(&report).unwrap();
    assert_eq!(value["annotators"], json!(["ana", "ben"]));
    for key in ["exact_f1", "overlap_f1", "cohen_kappa", "alpha_u"] {
        assert!(value["overall"][key].is_number(), "{key}");
        assert!(value["labels"]["claim"][key].is_number(), "{key}");
    }
    // Undefined values are null, with the reason alongside.
    assert!(value["overall"]["fleiss_kappa"].is_null());
    assert!(value["overall"]["undefined"]["fleiss_kappa"].is_string());
    let first = &value["documents"][0];
    assert!(first["disagreements"].is_u64() && first["exact_f1"].is_number());
    // Most disagreement first.
    let counts: Vec<u64> = value["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["disagreements"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
}

// ---------------------------------------------------------------------------------------------
// The fast algorithms against direct ones

/// DKPro's distance between two sections (unit = `Some(())`, gap = `None`) as
/// `(begin, length)`.
fn dkpro_distance(a: (i64, i64, bool), b: (i64, i64, bool)) -> i64 {
    let (b1, l1, u1) = a;
    let (b2, l2, u2) = b;
    let begin = b1 - b2;
    let length = l1 - l2;
    if u1 && u2 && -l1 < begin && begin < l2 {
        begin * begin + (begin + length) * (begin + length)
    } else if u1 && !u2 && -length >= begin && begin >= 0 {
        l1 * l1
    } else if !u1 && u2 && -length <= begin && begin <= 0 {
        l2 * l2
    } else {
        0
    }
}

/// One rater's sections of a continuum: units and the gaps between them.
fn sections(units: &[CharRange], length: usize) -> Vec<(i64, i64, bool)> {
    let mut out = Vec::new();
    let mut cursor = 0;
    for u in units {
        if u.start > cursor {
            out.push((cursor as i64, (u.start - cursor) as i64, false));
        }
        out.push((u.start as i64, u.len() as i64, true));
        cursor = u.end;
    }
    if length > cursor {
        out.push((cursor as i64, (length - cursor) as i64, false));
    }
    out
}

/// α_u computed directly: every pair of sections of every ordered pair of raters, and the
/// expected disagreement with a plain loop over units and gaps.
fn alpha_direct(length: usize, raters: &[Vec<CharRange>]) -> Option<f64> {
    let r = raters.len() as f64;
    let l = length as f64;
    let secs: Vec<_> = raters.iter().map(|u| sections(u, length)).collect();
    let mut observed = 0.0;
    for (i, a) in secs.iter().enumerate() {
        for (j, b) in secs.iter().enumerate() {
            if i != j {
                for &x in a {
                    for &y in b {
                        observed += dkpro_distance(x, y) as f64;
                    }
                }
            }
        }
    }
    let observed = observed / (r * (r - 1.0) * l * l);
    let units: Vec<f64> = secs
        .iter()
        .flatten()
        .filter(|s| s.2)
        .map(|s| s.1 as f64)
        .collect();
    let gaps: Vec<f64> = secs
        .iter()
        .flatten()
        .filter(|s| !s.2)
        .map(|s| s.1 as f64)
        .collect();
    if units.is_empty() {
        return None;
    }
    let n = units.len() as f64;
    let mut numerator = 0.0;
    for &u in &units {
        numerator += (n - 1.0) * (2.0 * u * u * u - 3.0 * u * u + u) / 3.0;
        numerator += u
            * u
            * gaps
                .iter()
                .filter(|&&g| g >= u)
                .map(|g| g - u + 1.0)
                .sum::<f64>();
    }
    let squares: f64 = units.iter().map(|u| u * (u - 1.0)).sum();
    let expected = 2.0 / l * numerator / (r * l * (r * l - 1.0) - squares);
    (expected > 0.0).then(|| 1.0 - observed / expected)
}

fn rater_units(length: usize) -> impl Strategy<Value = Vec<CharRange>> {
    prop::collection::vec((0..length, 1..12usize), 0..6).prop_map(move |raw| {
        let ranges: Vec<CharRange> = raw
            .into_iter()
            .map(|(s, l)| CharRange::new(s, (s + l).min(length)))
            .collect();
        normalise_units(&ranges, length)
    })
}

proptest! {
    #[test]
    fn alpha_u_on_segments_equals_the_direct_computation(
        (length, raters) in (1usize..60).prop_flat_map(|len| {
            (Just(len), prop::collection::vec(rater_units(len), 2..5))
        })
    ) {
        let mut tally = AlphaTally::new(raters.len());
        tally.add_continuum(length, &raters);
        let fast = tally.alpha().ok();
        let direct = alpha_direct(length, &raters);
        match (fast, direct) {
            (Some(f), Some(d)) => prop_assert!((f - d).abs() < 1e-9, "{f} vs {d}"),
            (None, None) => {}
            other => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn span_matching_is_one_to_one(
        a in prop::collection::vec((0usize..50, 1usize..20), 0..8),
        b in prop::collection::vec((0usize..50, 1usize..20), 0..8),
    ) {
        let a: Vec<CharRange> = a.into_iter().map(|(s, l)| CharRange::new(s, s + l)).collect();
        let b: Vec<CharRange> = b.into_iter().map(|(s, l)| CharRange::new(s, s + l)).collect();
        let exact = exact_matches(&a, &b);
        let overlap = overlap_matches(&a, &b);
        prop_assert!(exact <= overlap);
        prop_assert!(overlap <= a.len().min(b.len()));
        prop_assert_eq!(overlap_matches(&b, &a), overlap);
    }
}
