//! Relations and attributes as an analyst uses them: tag a quote and its source, link them,
//! give a claim its verdict, relabel, undo, reopen, and carry it all through exports.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use stet::export::{ExportFilter, ExportFormat};
use stet::model::{LabelScheme, Span};
use stet::store::{Access, NewDocument, Project, SpanEdit, StoreError};
use stet::workflows::export::{write_into, write_to};
use stet::workflows::import::import_paths;
use stet::workflows::merge::merge_project;

#[path = "common/text.rs"]
mod text;

use text::range_of;

const TEXT: &str = "Kremlin spokesman Dmitry Peskov said: “We have no plans to invade.” Russia has massed about 70,000 troops near the border. Peskov denied that any attack is planned.";

struct Desk {
    _dir: tempfile::TempDir,
    path: PathBuf,
    project: Project,
    doc: i64,
}

/// The article every test tags, as a new document.
fn peskov() -> NewDocument {
    NewDocument {
        title: "Peskov".into(),
        text: TEXT.into(),
        source: "peskov.txt".into(),
        format: "text".into(),
        ..NewDocument::default()
    }
}

fn desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.stet");
    let mut project = Project::create(&path, &LabelScheme::newsroom()).unwrap();
    let doc = project.add_document(&peskov()).unwrap().document_id;
    Desk {
        _dir: dir,
        path,
        project,
        doc,
    }
}

impl Desk {
    fn tag(&mut self, who: &str, words: &str, label: &str) -> Span {
        self.project
            .add_span(who, self.doc, range_of(TEXT, words), label, "")
            .unwrap()
    }

    /// The document's relations as `(kind, from text, to text, layer)`.
    fn links(&self) -> Vec<(String, String, String, String)> {
        let spans = self.project.spans(self.doc).unwrap();
        let text_of = |id: i64| {
            let span = spans.iter().find(|s| s.id == id).unwrap();
            TEXT.chars()
                .skip(span.range.start)
                .take(span.range.len())
                .collect::<String>()
        };
        self.project
            .relations(self.doc)
            .unwrap()
            .into_iter()
            .map(|r| (r.kind, text_of(r.from), text_of(r.to), r.annotator))
            .collect()
    }
}

fn link(kind: &str, from: &str, to: &str, who: &str) -> (String, String, String, String) {
    (kind.into(), from.into(), to.into(), who.into())
}

#[test]
fn a_quote_linked_to_its_source_survives_reopening_and_undo_takes_it_back() {
    let mut desk = desk();
    let quote = desk.tag("ana", "“We have no plans to invade.”", "quote");
    let source = desk.tag("ana", "Dmitry Peskov", "source");
    let relation = desk
        .project
        .add_relation("ana", "said_by", quote.id, source.id)
        .unwrap();
    assert_eq!(relation.from_uid, quote.uid);
    assert_eq!(relation.to_uid, source.uid);
    assert!(!relation.uid.is_empty());
    let path = desk.path.clone();
    desk.project = Project::open(&path, Access::ReadWrite).unwrap();
    assert_eq!(
        desk.links(),
        [link(
            "said_by",
            "“We have no plans to invade.”",
            "Dmitry Peskov",
            "ana"
        )]
    );
    // The same link twice is refused; the wrong way round does not fit the kind.
    let err = desk
        .project
        .add_relation("ana", "said_by", quote.id, source.id)
        .unwrap_err();
    assert!(err.to_string().contains("already linked"), "{err}");
    let err = desk
        .project
        .add_relation("ana", "said_by", source.id, quote.id)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "said_by links quote/claim/denial to source, not source to quote"
    );
    desk.project.undo("ana").unwrap().unwrap();
    assert!(desk.links().is_empty(), "undo removes the link");
    desk.project.redo("ana").unwrap().unwrap();
    assert_eq!(desk.links().len(), 1, "redo puts it back");
}

#[test]
fn deleting_a_span_takes_its_links_and_undo_brings_both_back() {
    let mut desk = desk();
    let claim = desk.tag("ana", "Russia has massed about 70,000 troops", "claim");
    let denial = desk.tag("ana", "Peskov denied that any attack is planned", "denial");
    let peskov = desk.tag("ana", "Dmitry Peskov", "source");
    desk.project
        .add_relation("ana", "denies", denial.id, claim.id)
        .unwrap();
    desk.project
        .add_relation("ana", "said_by", denial.id, peskov.id)
        .unwrap();
    desk.project.delete_span("ana", denial.id).unwrap();
    assert!(desk.links().is_empty());
    assert_eq!(desk.project.spans(desk.doc).unwrap().len(), 2);
    desk.project.undo("ana").unwrap().unwrap();
    let mut links = desk.links();
    links.sort();
    assert_eq!(
        links,
        [
            link(
                "denies",
                "Peskov denied that any attack is planned",
                "Russia has massed about 70,000 troops",
                "ana"
            ),
            link(
                "said_by",
                "Peskov denied that any attack is planned",
                "Dmitry Peskov",
                "ana"
            ),
        ]
    );
}

#[test]
fn relabelling_drops_only_the_links_the_new_label_cannot_have() {
    let mut desk = desk();
    let claim = desk.tag("ana", "Russia has massed about 70,000 troops", "claim");
    let denial = desk.tag("ana", "Peskov denied that any attack is planned", "denial");
    let peskov = desk.tag("ana", "Dmitry Peskov", "source");
    desk.project
        .add_relation("ana", "denies", denial.id, claim.id)
        .unwrap();
    desk.project
        .add_relation("ana", "said_by", denial.id, peskov.id)
        .unwrap();
    // A claim can be said by someone but denies nothing.
    let edit = SpanEdit {
        label: Some("claim".into()),
        ..SpanEdit::default()
    };
    desk.project.edit_span("ana", denial.id, &edit).unwrap();
    assert_eq!(
        desk.links(),
        [link(
            "said_by",
            "Peskov denied that any attack is planned",
            "Dmitry Peskov",
            "ana"
        )]
    );
    desk.project.undo("ana").unwrap().unwrap();
    assert_eq!(desk.links().len(), 2, "one undo restores label and link");
    assert_eq!(desk.project.span(denial.id).unwrap().label, "denial");
}

#[test]
fn a_colleagues_spans_cannot_be_linked_and_layers_do_not_mix() {
    let mut desk = desk();
    let quote = desk.tag("ben", "“We have no plans to invade.”", "quote");
    let source = desk.tag("ben", "Dmitry Peskov", "source");
    let err = desk
        .project
        .add_relation("ana", "said_by", quote.id, source.id)
        .unwrap_err();
    assert!(matches!(err, StoreError::NotYours { .. }), "{err}");
    let mine = desk.tag("ana", "Dmitry Peskov", "source");
    let err = desk
        .project
        .add_relation("ana", "said_by", quote.id, mine.id)
        .unwrap_err();
    assert!(err.to_string().contains("one layer"), "{err}");
    assert!(desk.links().is_empty());
}

#[test]
fn a_verdict_is_set_checked_cycled_and_dropped_with_its_label() {
    let mut desk = desk();
    let claim = desk.tag("ana", "Russia has massed about 70,000 troops", "claim");
    let set = |value: Option<&str>| SpanEdit {
        attribute: Some(("verdict".into(), value.map(str::to_owned))),
        ..SpanEdit::default()
    };
    let span = desk
        .project
        .edit_span("ana", claim.id, &set(Some("misleading")))
        .unwrap();
    assert_eq!(span.attributes.get("verdict").unwrap(), "misleading");
    let err = desk
        .project
        .edit_span("ana", claim.id, &set(Some("fake")))
        .unwrap_err();
    assert!(err.to_string().contains("\"fake\""), "{err}");
    let figure = desk.tag("ana", "about 70,000 troops", "figure");
    let err = desk
        .project
        .edit_span("ana", figure.id, &set(Some("true")))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "figure spans have no attribute \"verdict\""
    );
    // A figure has no verdict: relabelling drops it, undo brings it back.
    let relabel = SpanEdit {
        label: Some("figure".into()),
        ..SpanEdit::default()
    };
    let span = desk.project.edit_span("ana", claim.id, &relabel).unwrap();
    assert!(span.attributes.is_empty());
    desk.project.undo("ana").unwrap().unwrap();
    let span = desk.project.span(claim.id).unwrap();
    assert_eq!(span.attributes.get("verdict").unwrap(), "misleading");
    let span = desk.project.edit_span("ana", claim.id, &set(None)).unwrap();
    assert!(span.attributes.is_empty());
}

/// A project with ana's linked quote, source and claim with a verdict, exported as JSONL.
fn linked_export(desk: &mut Desk, filter: &ExportFilter) -> Vec<Value> {
    let quote = desk.tag("ana", "“We have no plans to invade.”", "quote");
    let source = desk.tag("ana", "Dmitry Peskov", "source");
    let claim = desk.tag("ana", "Russia has massed about 70,000 troops", "claim");
    desk.project
        .add_relation("ana", "said_by", quote.id, source.id)
        .unwrap();
    let verdict = SpanEdit {
        attribute: Some(("verdict".into(), Some("mostly true".into()))),
        ..SpanEdit::default()
    };
    desk.project.edit_span("ana", claim.id, &verdict).unwrap();
    let mut out = Vec::new();
    let summary = write_to(&desk.project, ExportFormat::Jsonl, filter, &mut out).unwrap();
    assert_eq!(summary.relations, 1);
    assert_eq!(summary.relations_left_out, 0);
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn jsonl_carries_attributes_and_relations_between_span_ids_of_the_record() {
    let mut desk = desk();
    let records = linked_export(&mut desk, &ExportFilter::default());
    let record = &records[0];
    let spans = record["spans"].as_array().unwrap();
    let by_text = |text: &str| spans.iter().find(|s| s["text"] == text).unwrap();
    assert_eq!(
        by_text("Russia has massed about 70,000 troops")["attributes"],
        serde_json::json!({"verdict": "mostly true"})
    );
    assert_eq!(
        by_text("Dmitry Peskov")["attributes"],
        serde_json::json!({})
    );
    let relations = record["relations"].as_array().unwrap();
    assert_eq!(relations.len(), 1);
    let relation = &relations[0];
    assert_eq!(relation["type"], "said_by");
    assert_eq!(relation["annotator"], "ana");
    assert_eq!(
        relation["from"],
        by_text("“We have no plans to invade.”")["id"]
    );
    assert_eq!(relation["to"], by_text("Dmitry Peskov")["id"]);
    assert!(relation["id"].as_str().is_some_and(|id| !id.is_empty()));
}

#[test]
fn a_jsonl_export_imports_into_another_project_with_its_links_and_verdicts() {
    let mut desk = desk();
    // Ana's layer only: an export of tags, not of the whole project.
    let filter = ExportFilter {
        annotators: vec!["ana".into()],
        ..ExportFilter::default()
    };
    let records = linked_export(&mut desk, &filter);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ana.jsonl");
    let lines: Vec<String> = records.iter().map(Value::to_string).collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    let mut other =
        Project::create(&dir.path().join("other.stet"), &LabelScheme::newsroom()).unwrap();
    let report = import_paths(&mut other, &[file], "rita", &mut |_, _| {}).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.spans_added, 3);
    assert!(
        report
            .summary()
            .starts_with("imported 1 document, 3 spans and 1 relation;"),
        "{}",
        report.summary()
    );
    let doc = report.added[0];
    let spans = other.spans(doc).unwrap();
    let claim = spans.iter().find(|s| s.label == "claim").unwrap();
    assert_eq!(claim.attributes.get("verdict").unwrap(), "mostly true");
    let relations = other.relations(doc).unwrap();
    assert_eq!(relations.len(), 1);
    let quote = spans.iter().find(|s| s.label == "quote").unwrap();
    let source = spans.iter().find(|s| s.label == "source").unwrap();
    assert_eq!((relations[0].from, relations[0].to), (quote.id, source.id));
    assert_eq!(relations[0].annotator, "ana");
    // Its own uids, not the file's.
    assert_ne!(relations[0].uid, records[0]["relations"][0]["id"]);
}

fn import_text(line: &str) -> (Project, Result<i64, String>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tools.jsonl");
    std::fs::write(&file, line).unwrap();
    let mut project =
        Project::create(&dir.path().join("p.stet"), &LabelScheme::newsroom()).unwrap();
    let report = import_paths(&mut project, &[file], "ana", &mut |_, _| {}).unwrap();
    let outcome = match report.errors.first() {
        Some(error) => Err(error.clone()),
        None => Ok(report.added[0]),
    };
    (project, outcome, dir)
}

#[test]
fn doccanos_relation_form_imports_with_its_numbered_entities() {
    let line = serde_json::json!({
        "text": "Peskov said: “No plans.”",
        "entities": [
            {"id": 7, "start_offset": 0, "end_offset": 6, "label": "source"},
            {"id": 8, "start_offset": 13, "end_offset": 24, "label": "quote"}
        ],
        "relations": [{"id": 1, "from_id": 8, "to_id": 7, "type": "said_by"}]
    })
    .to_string();
    let (project, outcome, _dir) = import_text(&line);
    let doc = outcome.unwrap();
    let relations = project.relations(doc).unwrap();
    assert_eq!(relations.len(), 1);
    let spans = project.spans(doc).unwrap();
    let end = |id: i64| spans.iter().find(|s| s.id == id).unwrap().label.clone();
    assert_eq!(end(relations[0].from), "quote");
    assert_eq!(end(relations[0].to), "source");
}

#[test]
fn relations_that_point_nowhere_or_do_not_fit_are_refused_with_the_line() {
    let unknown = r#"{"text": "Peskov said: “No plans.”", "spans": [{"id": "a", "start": 0, "end": 6, "label": "source"}], "relations": [{"type": "said_by", "from": "q", "to": "a"}]}"#;
    let (project, outcome, dir) = import_text(unknown);
    let error = outcome.unwrap_err();
    let file = dir.path().join("tools.jsonl");
    assert_eq!(
        error,
        format!(
            "{}:1: relation 1 (said_by): \"from\" is \"q\", which is no span id of the record",
            file.display()
        )
    );
    assert!(
        project.documents().unwrap().is_empty(),
        "nothing half-written"
    );

    let wrong_way = r#"{"text": "Peskov said: “No plans.”", "spans": [{"id": "a", "start": 0, "end": 6, "label": "source"}, {"id": "b", "start": 13, "end": 24, "label": "quote"}], "relations": [{"type": "said_by", "from": "a", "to": "b"}]}"#;
    let (project, outcome, _dir) = import_text(wrong_way);
    let error = outcome.unwrap_err();
    assert!(
        error.ends_with(
            ":1: relation 1: said_by links quote/claim/denial to source, not source to quote"
        ),
        "{error}"
    );
    assert!(
        project.documents().unwrap().is_empty(),
        "nothing half-written"
    );

    let bad_verdict = r#"{"text": "Russia has massed troops.", "spans": [{"start": 0, "end": 24, "label": "claim", "attributes": {"verdict": "fake"}}]}"#;
    let (_project, outcome, _dir) = import_text(bad_verdict);
    let error = outcome.unwrap_err();
    assert!(error.contains(":1: span 1 (claim): "), "{error}");
    assert!(error.contains("\"fake\""), "{error}");
}

#[test]
fn brat_gets_r_and_a_lines_and_declares_them() {
    let mut desk = desk();
    linked_export(&mut desk, &ExportFilter::default());
    let out = tempfile::tempdir().unwrap();
    let summary = write_into(
        &desk.project,
        ExportFormat::Brat,
        &ExportFilter::default(),
        out.path(),
    )
    .unwrap();
    assert_eq!(summary.relations, 1);
    let conf = std::fs::read_to_string(out.path().join("annotation.conf")).unwrap();
    assert!(
        conf.contains("said_by\tArg1:claim|quote|denial, Arg2:source")
            || conf.contains("said_by\tArg1:quote|claim|denial, Arg2:source"),
        "{conf}"
    );
    assert!(conf.contains("denies\tArg1:denial, Arg2:claim"), "{conf}");
    assert!(
        conf.contains("verdict\tArg:claim, Value:unverified|true|mostly_true|misleading|false"),
        "{conf}"
    );
    let ann = only_ann(out.path());
    let t_of = |text: &str| {
        ann.lines()
            .find(|l| l.starts_with('T') && l.ends_with(&format!("\t{text}")))
            .and_then(|l| l.split('\t').next())
            .unwrap()
            .to_owned()
    };
    let quote = t_of("“We have no plans to invade.”");
    let source = t_of("Dmitry Peskov");
    let claim = t_of("Russia has massed about 70,000 troops");
    assert!(
        ann.contains(&format!("R1\tsaid_by Arg1:{quote} Arg2:{source}\n")),
        "{ann}"
    );
    assert!(
        ann.lines()
            .any(|l| l.starts_with('A') && l.ends_with(&format!("\tverdict {claim} mostly_true"))),
        "{ann}"
    );
}

#[test]
fn formats_without_relations_say_how_many_they_left_out() {
    let mut desk = desk();
    linked_export(&mut desk, &ExportFilter::default());
    let mut out = Vec::new();
    let summary = write_to(
        &desk.project,
        ExportFormat::Conll,
        &ExportFilter::default(),
        &mut out,
    )
    .unwrap();
    assert_eq!(summary.relations, 0);
    assert_eq!(summary.relations_left_out, 1);
    let notes = stet::workflows::export::left_out_notes(ExportFormat::Conll, &summary);
    assert!(
        notes.iter().any(|n| n.contains("1 relation left out")),
        "{notes:?}"
    );
}

fn only_ann(dir: &Path) -> String {
    let ann = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "ann"))
        .unwrap();
    std::fs::read_to_string(ann).unwrap()
}

/// Turns a fresh project back into format 1 (before relations and attributes), as a
/// project made by the previous stet would be.
fn as_format_1(path: &Path, drop_label: Option<&str>) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TABLE rejected_suggestions; DROP TABLE relations; DROP TABLE relation_kinds;
         DROP TABLE label_attributes;
         ALTER TABLE spans DROP COLUMN attributes_json; PRAGMA user_version = 1;",
    )
    .unwrap();
    if let Some(label) = drop_label {
        conn.execute("DELETE FROM labels WHERE name = ?1", [label])
            .unwrap();
    }
}

#[test]
fn an_older_project_on_the_default_scheme_gains_source_relations_and_verdict() {
    let mut desk = desk();
    desk.tag("ana", "Dmitry Peskov", "figure");
    let path = desk.path.clone();
    drop(desk.project);
    as_format_1(&path, Some("source"));
    let project = Project::open(&path, Access::ReadWrite).unwrap();
    let scheme = project.scheme().unwrap();
    let default = LabelScheme::newsroom();
    assert_eq!(scheme.labels, default.labels);
    assert_eq!(scheme.relations, default.relations);
    assert_eq!(
        project.spans(desk.doc).unwrap().len(),
        1,
        "its tags are kept"
    );
}

#[test]
fn an_older_project_on_a_teams_own_scheme_is_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.stet");
    let own = LabelScheme::parse(
        "(name: \"rumours\", labels: [(name: \"rumour\", color: \"#12ab34\", hotkey: \"1\")])",
        Path::new("rumours.ron"),
    )
    .unwrap();
    drop(Project::create(&path, &own).unwrap());
    as_format_1(&path, None);
    let project = Project::open(&path, Access::ReadWrite).unwrap();
    let scheme = project.scheme().unwrap();
    assert_eq!(scheme.labels, own.labels);
    assert!(scheme.relations.is_empty());
}

#[test]
fn a_colleagues_links_merge_once_however_often_they_are_merged() {
    let mut mine = desk();
    let dir = tempfile::tempdir().unwrap();
    let theirs_path = dir.path().join("ben.stet");
    let mut theirs = Project::create(&theirs_path, &LabelScheme::newsroom()).unwrap();
    let doc = theirs.add_document(&peskov()).unwrap().document_id;
    let quote = theirs
        .add_span(
            "ben",
            doc,
            range_of(TEXT, "“We have no plans to invade.”"),
            "quote",
            "",
        )
        .unwrap();
    let source = theirs
        .add_span("ben", doc, range_of(TEXT, "Dmitry Peskov"), "source", "")
        .unwrap();
    theirs
        .add_relation("ben", "said_by", quote.id, source.id)
        .unwrap();
    drop(theirs);
    let first = merge_project(&mut mine.project, &theirs_path, "rita").unwrap();
    assert_eq!(first.spans_added, 2);
    assert_eq!(first.relations_added, 1);
    assert!(
        first.summary().contains("; 1 relation added"),
        "{}",
        first.summary()
    );
    let expected = [link(
        "said_by",
        "“We have no plans to invade.”",
        "Dmitry Peskov",
        "ben",
    )];
    assert_eq!(mine.links(), expected);
    let again = merge_project(&mut mine.project, &theirs_path, "rita").unwrap();
    assert_eq!(again.relations_added, 0);
    assert_eq!(mine.links(), expected, "merging twice is merging once");

    // Their whole-project JSONL export merges the same way.
    let theirs = Project::open(&theirs_path, Access::ReadOnly).unwrap();
    let mut out = Vec::new();
    write_to(
        &theirs,
        ExportFormat::Jsonl,
        &ExportFilter::default(),
        &mut out,
    )
    .unwrap();
    let file = dir.path().join("ben.jsonl");
    std::fs::write(&file, out).unwrap();
    let mut fresh = desk();
    for _ in 0..2 {
        let report = import_paths(
            &mut fresh.project,
            std::slice::from_ref(&file),
            "ana",
            &mut |_, _| {},
        )
        .unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
    }
    assert_eq!(fresh.links(), expected);
}
