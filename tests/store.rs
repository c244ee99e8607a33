//! The project file: persistence, undo/redo from the log, and refusing files it must not touch.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use stet::model::{CharRange, DocStatus, LabelScheme, Origin};
use stet::store::{Access, NewDocument, NewSpan, OpKind, Project, SpanEdit, StoreError};

#[path = "common/text.rs"]
mod text;

use text::{chars, range_of};

const TEXT: &str = "Kremlin spokesman Dmitry Peskov confirmed plans on Saturday. “We see that he is putting in place the capacity,” Psaki said. 😀 Russia has massed about 70,000 troops.";

fn temp_project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.stet");
    (dir, path)
}

fn doc(text: &str) -> NewDocument {
    NewDocument {
        title: "Peskov".into(),
        text: text.into(),
        source: "peskov.txt".into(),
        format: "text".into(),
        ..NewDocument::default()
    }
}

#[test]
fn spans_survive_closing_and_reopening() {
    let (_dir, path) = temp_project();
    let mut project = Project::create(&path, &LabelScheme::newsroom()).unwrap();
    let id = project.add_document(&doc(TEXT)).unwrap().document_id;
    let troops = range_of(TEXT, "about 70,000 troops");
    let span = project.add_span("ana", id, troops, "figure", "").unwrap();
    assert_eq!(span.range, troops);
    drop(project);

    let project = Project::open(&path, Access::ReadOnly).unwrap();
    let spans = project.spans(id).unwrap();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].label, "figure");
    assert_eq!(spans[0].annotator, "ana");
    assert_eq!(spans[0].origin, Origin::Manual);
    let stored = project.document(id).unwrap();
    assert_eq!(chars(&stored.text, spans[0].range), "about 70,000 troops");
    // The first span moves the document to "in progress" for its annotator.
    assert_eq!(
        project.statuses("ana").unwrap().get(&id),
        Some(&DocStatus::InProgress)
    );
}

#[test]
fn same_text_twice_is_skipped_not_duplicated() {
    let (_dir, path) = temp_project();
    let mut project = Project::create(&path, &LabelScheme::newsroom()).unwrap();
    let first = project.add_document(&doc(TEXT)).unwrap();
    let second = project.add_document(&doc(TEXT)).unwrap();
    assert!(first.added);
    assert!(!second.added);
    assert_eq!(first.document_id, second.document_id);
    assert_eq!(project.documents().unwrap().len(), 1);
    let stored = project.document(first.document_id).unwrap();
    assert_eq!(stored.info.uid.len(), 32);
    assert!(stored.sha256.starts_with(&stored.info.uid));
}

#[test]
fn invalid_spans_are_refused_with_the_reason() {
    let (_dir, path) = temp_project();
    let mut project = Project::create(&path, &LabelScheme::newsroom()).unwrap();
    let id = project.add_document(&doc(TEXT)).unwrap().document_id;
    let len = TEXT.chars().count();
    let err = project
        .add_span("ana", id, CharRange::new(len - 2, len + 1), "claim", "")
        .unwrap_err();
    assert!(err.to_string().contains("runs past the end"), "{err}");
    let err = project
        .add_span("ana", id, CharRange::new(9, 4), "claim", "")
        .unwrap_err();
    assert!(err.to_string().contains("reversed"), "{err}");
    let err = project
        .add_span("ana", id, CharRange::new(0, 4), "rumour", "")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "label \"rumour\" is not in the project's scheme (claim, quote, figure, denial, source)"
    );
    assert!(project.spans(id).unwrap().is_empty());
}

#[test]
fn a_document_with_one_bad_span_is_not_added_at_all() {
    let (_dir, path) = temp_project();
    let mut project = Project::create(&path, &LabelScheme::newsroom()).unwrap();
    let mut bad = doc(TEXT);
    bad.spans = vec![
        NewSpan {
            range: CharRange::new(0, 7),
            label: "claim".into(),
            annotator: "ana".into(),
            note: String::new(),
            origin: Origin::Imported,
            attributes: Default::default(),
        },
        NewSpan {
            range: CharRange::new(0, 7),
            label: "gossip".into(),
            annotator: "new-annotator".into(),
            note: String::new(),
            origin: Origin::Imported,
            attributes: Default::default(),
        },
    ];
    let err = project.add_document(&bad).unwrap_err();
    assert!(
        err.to_string().starts_with("span 2: label \"gossip\""),
        "{err}"
    );
    assert!(project.documents().unwrap().is_empty());
    assert!(project.annotators().unwrap().is_empty());
}

#[test]
fn overlapping_and_nested_spans_are_kept() {
    let (_dir, path) = temp_project();
    let mut project = Project::create(&path, &LabelScheme::newsroom()).unwrap();
    let id = project.add_document(&doc(TEXT)).unwrap().document_id;
    let claim = range_of(TEXT, "Russia has massed about 70,000 troops");
    let figure = range_of(TEXT, "about 70,000 troops");
    project.add_span("ana", id, claim, "claim", "").unwrap();
    project.add_span("ana", id, figure, "figure", "").unwrap();
    project.add_span("ben", id, figure, "figure", "").unwrap();
    let duplicate = project.add_span("ana", id, figure, "figure", "");
    assert!(matches!(duplicate, Err(StoreError::DuplicateSpan(_))));
    let spans = project.spans(id).unwrap();
    let summary: Vec<_> = spans
        .iter()
        .map(|s| (s.label.as_str(), s.annotator.as_str(), chars(TEXT, s.range)))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "claim",
                "ana",
                "Russia has massed about 70,000 troops".to_owned()
            ),
            ("figure", "ana", "about 70,000 troops".to_owned()),
            ("figure", "ben", "about 70,000 troops".to_owned()),
        ]
    );
}

#[test]
fn undo_and_redo_walk_the_log_across_documents_and_restarts() {
    let (_dir, path) = temp_project();
    let mut project = Project::create(&path, &LabelScheme::newsroom()).unwrap();
    let first = project.add_document(&doc(TEXT)).unwrap().document_id;
    let second = project
        .add_document(&doc(
            "Russia and Akhmetov have denied that any plot is under way.",
        ))
        .unwrap()
        .document_id;
    let quote = range_of(TEXT, "“We see that he is putting in place the capacity,”");
    let span = project.add_span("ana", first, quote, "claim", "").unwrap();
    project
        .edit_span(
            "ana",
            span.id,
            &SpanEdit {
                label: Some("quote".into()),
                ..SpanEdit::default()
            },
        )
        .unwrap();
    let denial = project
        .add_span("ana", second, CharRange::new(0, 58), "denial", "")
        .unwrap();
    project.delete_span("ana", denial.id).unwrap();
    // Another annotator's edits are not on ana's undo stack.
    project
        .add_span("ben", first, CharRange::new(0, 7), "claim", "")
        .unwrap();
    drop(project);

    let mut project = Project::open(&path, Access::ReadWrite).unwrap();
    let undone = project.undo("ana").unwrap().unwrap();
    assert_eq!(undone.kind, OpKind::DeleteSpan);
    assert_eq!(undone.document_id, second);
    // The deleted span is back with its id and its uid (its identity across projects).
    let restored = project.span(denial.id).unwrap();
    assert_eq!(restored.label, "denial");
    assert_eq!(restored.uid, denial.uid);
    assert_eq!(restored.uid.len(), 32);

    let undone = project.undo("ana").unwrap().unwrap();
    assert_eq!(undone.kind, OpKind::AddSpan);
    assert!(project.spans(second).unwrap().is_empty());

    let undone = project.undo("ana").unwrap().unwrap();
    assert_eq!(undone.kind, OpKind::EditSpan);
    assert_eq!(project.span(span.id).unwrap().label, "claim");
    drop(project);

    let mut project = Project::open(&path, Access::ReadWrite).unwrap();
    let redone = project.redo("ana").unwrap().unwrap();
    assert_eq!(redone.kind, OpKind::EditSpan);
    assert_eq!(project.span(span.id).unwrap().label, "quote");
    let redone = project.redo("ana").unwrap().unwrap();
    assert_eq!(redone.kind, OpKind::AddSpan);
    assert_eq!(project.spans(second).unwrap().len(), 1);

    // A new edit clears what is left to redo.
    project.set_status("ana", first, DocStatus::Done).unwrap();
    assert_eq!(project.redo("ana").unwrap(), None);
    assert_eq!(project.undo_redo_available("ana").unwrap(), (true, false));
    let undone = project.undo("ana").unwrap().unwrap();
    assert_eq!(undone.kind, OpKind::SetStatus);
    assert_eq!(
        project.statuses("ana").unwrap().get(&first),
        Some(&DocStatus::InProgress)
    );
    // Ben's span was never touched by ana's undos.
    assert_eq!(
        project
            .spans(first)
            .unwrap()
            .iter()
            .filter(|s| s.annotator == "ben")
            .count(),
        1
    );
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_untouched() {
    let (_dir, path) = temp_project();
    std::fs::write(&path, "these are my notes, not a database\n").unwrap();
    let before = bytes(&path);
    for access in [Access::ReadOnly, Access::ReadWrite] {
        let err = Project::open(&path, access).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}: not a stet project (not an SQLite file); left untouched",
                path.display()
            )
        );
    }
    assert_eq!(bytes(&path), before);
}

#[test]
fn another_programs_database_is_refused_and_untouched() {
    let (_dir, path) = temp_project();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('soup');")
        .unwrap();
    drop(conn);
    let before = bytes(&path);
    let err = Project::open(&path, Access::ReadWrite).unwrap_err();
    assert!(
        err.to_string()
            .contains("not a stet project (an SQLite database of another program)"),
        "{err}"
    );
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_project_from_a_newer_stet_is_refused_and_untouched() {
    let (_dir, path) = temp_project();
    drop(Project::create(&path, &LabelScheme::newsroom()).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    let before = bytes(&path);
    let err = Project::open(&path, Access::ReadWrite).unwrap_err();
    assert!(
        err.to_string()
            .contains("written by a newer stet (project format 99"),
        "{err}"
    );
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_read_only_project_is_refused_for_writing_but_readable() {
    let (_dir, path) = temp_project();
    let mut project = Project::create(&path, &LabelScheme::newsroom()).unwrap();
    project.add_document(&doc(TEXT)).unwrap();
    drop(project);
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "journal_mode", "DELETE")
        .unwrap();
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let before = bytes(&path);
    let err = Project::open(&path, Access::ReadWrite).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the project file is read-only; left untouched",
            path.display()
        )
    );
    let project = Project::open(&path, Access::ReadOnly).unwrap();
    assert_eq!(project.documents().unwrap().len(), 1);
    drop(project);
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_missing_project_is_not_created_by_reading() {
    let (_dir, path) = temp_project();
    let err = Project::open(&path, Access::ReadOnly).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}: no such project", path.display())
    );
    assert!(!path.exists());
}

#[test]
fn a_custom_scheme_is_copied_into_the_project() {
    let (_dir, path) = temp_project();
    let scheme = LabelScheme::parse(
        "(name: \"legal\", labels: [(name: \"ruling\", color: \"#123456\", hotkey: \"r\")])",
        Path::new("legal.ron"),
    )
    .unwrap();
    drop(Project::create(&path, &scheme).unwrap());
    let project = Project::open(&path, Access::ReadOnly).unwrap();
    let stored = project.scheme().unwrap();
    assert_eq!(stored.name, "legal");
    assert_eq!(stored.labels, scheme.labels);
}
