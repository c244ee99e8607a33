//! `stet suggest` as users script it: suggestions are stored once, counted per label,
//! remembered when rejected, left out of exports unless asked for, and never merged as
//! anyone's tags.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use serde_json::Value;

use stet::model::{CharRange, Origin};
use stet::store::{Access, Project, SUGGESTER};

const ARTICLE: &str = "Flood forces evacuations\n\n\
Some 500 residents were moved overnight as the river rose.\n\n\
“We had no time to take anything,” said Maria Kovacs.\n\n\
The governor denied that warnings had come too late.\n";

#[path = "common/cli.rs"]
mod cli;

use cli::{records, stdout_of, stet};

/// A project with the article imported.
fn project_with_article(dir: &Path, name: &str) -> PathBuf {
    let article = dir.join("flood.txt");
    std::fs::write(&article, ARTICLE).unwrap();
    let project = dir.join(name);
    stet()
        .arg("import")
        .arg("--project")
        .arg(&project)
        .arg(&article)
        .assert()
        .success();
    project
}

fn suggest(project: &Path, extra: &[&str]) -> String {
    let out = stdout_of(
        stet()
            .arg("suggest")
            .arg("--project")
            .arg(project)
            .args(extra),
    );
    String::from_utf8(out).unwrap()
}

fn export(project: &Path, extra: &[&str]) -> Vec<Value> {
    records(&stdout_of(
        stet()
            .args(["export", "--format", "jsonl", "--project"])
            .arg(project)
            .args(extra),
    ))
}

/// `annotator` tags the article's first five code points as a claim.
fn tag_first_word(project: &Path, annotator: &str) {
    let mut p = Project::open(project, Access::ReadWrite).unwrap();
    let id = p.documents().unwrap()[0].id;
    p.add_span(annotator, id, CharRange::new(0, 5), "claim", "")
        .unwrap();
}

fn spans(record: &Value) -> Vec<Value> {
    record["spans"].as_array().unwrap().clone()
}

fn span_texts(record: &Value, label: &str) -> Vec<String> {
    spans(record)
        .iter()
        .filter(|s| s["label"] == label)
        .map(|s| s["text"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn suggest_stores_each_proposal_once_and_counts_them_per_label() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_article(dir.path(), "p.stet");
    let out = suggest(&project, &[]);
    for line in ["figure", "quote", "source", "denial"] {
        assert!(
            out.lines()
                .any(|l| l.starts_with(line) && l.ends_with(" 1")),
            "{out}"
        );
    }
    assert!(
        out.contains("suggested 4 spans and 1 link in 1 document"),
        "{out}"
    );
    let again = suggest(&project, &[]);
    assert!(again.contains("suggested 0 spans and 0 links"), "{again}");

    let record = &export(&project, &["--include-suggested"])[0];
    assert_eq!(span_texts(record, "figure"), ["Some 500 residents"]);
    assert_eq!(
        span_texts(record, "quote"),
        ["“We had no time to take anything,”"]
    );
    assert_eq!(span_texts(record, "source"), ["Maria Kovacs"]);
    assert_eq!(
        span_texts(record, "denial"),
        ["The governor denied that warnings had come too late"]
    );
    assert!(spans(record).iter().all(|s| s["origin"] == "suggested"));
    assert!(spans(record).iter().all(|s| s["annotator"] == SUGGESTER));
    let relations = record["relations"].as_array().unwrap();
    assert_eq!(relations.len(), 1);
    assert_eq!(relations[0]["type"], "said_by");
}

#[test]
fn exports_leave_suggestions_out_unless_asked_and_always_say_the_origin() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_article(dir.path(), "p.stet");
    suggest(&project, &[]);
    tag_first_word(&project, "ana");
    let record = &export(&project, &[])[0];
    let all = spans(record);
    assert_eq!(all.len(), 1, "only ana's span: {all:?}");
    assert_eq!(all[0]["origin"], "manual");
    assert!(record["relations"].as_array().unwrap().is_empty());
    let with = &export(&project, &["--include-suggested"])[0];
    assert_eq!(spans(with).len(), 5);
}

#[test]
fn a_rejected_suggestion_is_never_proposed_again() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_article(dir.path(), "p.stet");
    suggest(&project, &["--only", "figures"]);
    {
        let mut p = Project::open(&project, Access::ReadWrite).unwrap();
        let id = p.documents().unwrap()[0].id;
        let figures = p.suggestions(id).unwrap();
        assert_eq!(figures.len(), 1);
        p.reject_suggestion("ana", figures[0].id).unwrap();
        assert!(p.suggestions(id).unwrap().is_empty());
    }
    let out = suggest(&project, &[]);
    assert!(out.contains("(1 rejected before, left out)"), "{out}");
    let record = &export(&project, &["--include-suggested"])[0];
    assert!(span_texts(record, "figure").is_empty());
    assert_eq!(span_texts(record, "quote").len(), 1);
}

#[test]
fn accepting_makes_the_analysts_own_span_and_suggest_does_not_repeat_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_article(dir.path(), "p.stet");
    suggest(&project, &["--only", "figures"]);
    {
        let mut p = Project::open(&project, Access::ReadWrite).unwrap();
        let id = p.documents().unwrap()[0].id;
        let figure = p.suggestions(id).unwrap().remove(0);
        let own = p.accept_suggestion("ana", figure.id).unwrap();
        assert_eq!(own.origin, Origin::Manual);
        assert_eq!(own.annotator, "ana");
        assert_eq!(own.range, figure.range);
        assert!(p.suggestions(id).unwrap().is_empty());
    }
    let out = suggest(&project, &["--only", "figures"]);
    assert!(out.contains("suggested 0 spans"), "{out}");
}

#[test]
fn only_and_document_choose_what_is_suggested_and_bad_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_article(dir.path(), "p.stet");
    let uid = Project::open(&project, Access::ReadOnly)
        .unwrap()
        .documents()
        .unwrap()[0]
        .uid
        .clone();
    let out = suggest(&project, &["--only", "quotes", "--document", &uid]);
    assert!(out.contains("suggested 1 span and 0 links"), "{out}");
    stet()
        .args(["suggest", "--only", "figures,learned", "--project"])
        .arg(&project)
        .assert()
        .failure()
        .stderr(predicates::str::contains("no recogniser \"learned\""));
    stet()
        .args(["suggest", "--document", "nope", "--project"])
        .arg(&project)
        .assert()
        .failure()
        .stderr(predicates::str::contains("no document with uid nope"));
}

#[test]
fn merges_never_bring_suggestions_in_as_anyones_tags() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = project_with_article(dir.path(), "theirs.stet");
    suggest(&theirs, &[]);
    tag_first_word(&theirs, "ben");
    let mine = project_with_article(dir.path(), "mine.stet");
    stet()
        .args(["merge", "--project"])
        .arg(&mine)
        .arg(&theirs)
        .assert()
        .success();
    // Their export with suggestions, merged as a file, brings none either.
    let exported = dir.path().join("theirs.jsonl");
    stet()
        .args([
            "export",
            "--format",
            "jsonl",
            "--include-suggested",
            "--project",
        ])
        .arg(&theirs)
        .arg("--out")
        .arg(&exported)
        .assert()
        .success();
    stet()
        .args(["merge", "--project"])
        .arg(&mine)
        .arg(&exported)
        .assert()
        .success();
    let p = Project::open(&mine, Access::ReadOnly).unwrap();
    let id = p.documents().unwrap()[0].id;
    let spans = p.spans(id).unwrap();
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert_eq!(spans[0].annotator, "ben");
    assert!(p.relations(id).unwrap().is_empty());
}
