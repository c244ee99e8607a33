//! Review in the store: verdicts, the gold layer they build, review status, and undo.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use stet::model::{CharRange, LabelScheme};
use stet::store::{GOLD, NewDocument, Project, ReviewStatus, Verdict};

#[path = "common/text.rs"]
mod text;

const TEXT: &str = "Russia has massed about 70,000 troops near its border, officials said. \
Moscow denied any plan to invade.";

fn range_of(needle: &str) -> CharRange {
    text::range_of(TEXT, needle)
}

/// A project where ana and ben tagged the same text, agreeing on some spans.
fn project() -> (tempfile::TempDir, Project, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut project =
        Project::create(&dir.path().join("r.stet"), &LabelScheme::newsroom()).unwrap();
    let doc = project
        .add_document(&NewDocument {
            title: "Troops".into(),
            text: TEXT.into(),
            source: "t.txt".into(),
            format: "text".into(),
            ..NewDocument::default()
        })
        .unwrap()
        .document_id;
    for who in ["ana", "ben"] {
        project
            .add_span(who, doc, range_of("about 70,000 troops"), "figure", "")
            .unwrap();
    }
    project
        .add_span(
            "ana",
            doc,
            range_of("Moscow denied any plan to invade"),
            "denial",
            "",
        )
        .unwrap();
    project
        .add_span(
            "ben",
            doc,
            range_of("Moscow denied any plan to invade"),
            "claim",
            "",
        )
        .unwrap();
    (dir, project, doc)
}

fn span_id(project: &Project, doc: i64, who: &str, label: &str) -> i64 {
    project
        .spans(doc)
        .unwrap()
        .into_iter()
        .find(|s| s.annotator == who && s.label == label)
        .unwrap()
        .id
}

fn gold(project: &Project, doc: i64) -> Vec<(CharRange, String)> {
    project
        .spans(doc)
        .unwrap()
        .into_iter()
        .filter(|s| s.annotator == GOLD)
        .map(|s| (s.range, s.label))
        .collect()
}

#[test]
fn accepting_copies_into_gold_once_and_rejecting_removes_the_copy() {
    let (_dir, mut project, doc) = project();
    let ana_figure = span_id(&project, doc, "ana", "figure");
    let ben_figure = span_id(&project, doc, "ben", "figure");
    let copy = project.accept_span("rita", ana_figure, "").unwrap();
    assert_eq!(copy.annotator, GOLD);
    project.accept_span("rita", ben_figure, "same").unwrap();
    assert_eq!(
        gold(&project, doc),
        [(range_of("about 70,000 troops"), "figure".to_owned())],
        "two acceptances of the same span make one gold span"
    );
    assert_eq!(project.review_status(doc).unwrap(), ReviewStatus::InReview);

    let ben_claim = span_id(&project, doc, "ben", "claim");
    project
        .reject_span("rita", ben_claim, "a denial, not a claim")
        .unwrap();
    let verdicts = project.verdicts(doc).unwrap();
    let rejected = verdicts.iter().find(|v| v.span_id == ben_claim).unwrap();
    assert_eq!(rejected.verdict, Verdict::Rejected);
    assert_eq!(rejected.comment, "a denial, not a claim");
    assert_eq!(rejected.reviewer, "rita");

    // Changing one's mind: rejecting ana's figure keeps gold, which ben's acceptance holds.
    project.reject_span("rita", ana_figure, "").unwrap();
    assert_eq!(gold(&project, doc).len(), 1);
    project.reject_span("rita", ben_figure, "").unwrap();
    assert!(gold(&project, doc).is_empty());
}

#[test]
fn accept_all_where_annotators_agree() {
    let (_dir, mut project, doc) = project();
    let agreed = project
        .accept_agreed("rita", doc, &["ana".into(), "ben".into()])
        .unwrap();
    assert_eq!(agreed, 1);
    assert_eq!(
        gold(&project, doc),
        [(range_of("about 70,000 troops"), "figure".to_owned())]
    );
    // The disagreement (denial vs claim) is left for the reviewer.
    let verdicts = project.verdicts(doc).unwrap();
    assert_eq!(verdicts.len(), 2);
    assert!(verdicts.iter().all(|v| v.verdict == Verdict::Accepted));
    // It was one action, so one undo takes all of it back.
    project.undo("rita").unwrap().unwrap();
    assert!(gold(&project, doc).is_empty());
    assert!(project.verdicts(doc).unwrap().is_empty());
    assert_eq!(
        project.review_status(doc).unwrap(),
        ReviewStatus::Unreviewed
    );
    project.redo("rita").unwrap().unwrap();
    assert_eq!(project.verdicts(doc).unwrap(), verdicts);
    // Accepting again finds nothing new to do.
    let ops = |project: &Project| -> i64 {
        rusqlite::Connection::open(project.path())
            .unwrap()
            .query_row("SELECT count(*) FROM ops", [], |r| r.get(0))
            .unwrap()
    };
    let before = ops(&project);
    assert_eq!(
        project
            .accept_agreed("rita", doc, &["ana".into(), "ben".into()])
            .unwrap(),
        1
    );
    assert_eq!(ops(&project), before);
}

#[test]
fn review_decisions_undo_and_redo_as_one_step() {
    let (_dir, mut project, doc) = project();
    let ana_denial = span_id(&project, doc, "ana", "denial");
    project.accept_span("rita", ana_denial, "ok").unwrap();
    assert_eq!(gold(&project, doc).len(), 1);
    project.undo("rita").unwrap().unwrap();
    assert!(gold(&project, doc).is_empty());
    assert!(project.verdicts(doc).unwrap().is_empty());
    assert_eq!(
        project.review_status(doc).unwrap(),
        ReviewStatus::Unreviewed
    );
    project.redo("rita").unwrap().unwrap();
    assert_eq!(gold(&project, doc).len(), 1);
    assert_eq!(project.verdicts(doc).unwrap()[0].comment, "ok");
    project
        .set_review_status("rita", doc, ReviewStatus::Adjudicated)
        .unwrap();
    assert_eq!(
        project.review_status(doc).unwrap(),
        ReviewStatus::Adjudicated
    );
    project.undo("rita").unwrap().unwrap();
    assert_eq!(project.review_status(doc).unwrap(), ReviewStatus::InReview);
}

#[test]
fn undoing_a_deletion_brings_back_the_verdicts_it_took() {
    let (_dir, mut project, doc) = project();
    let ana_figure = span_id(&project, doc, "ana", "figure");
    let ben_claim = span_id(&project, doc, "ben", "claim");
    let copy = project
        .accept_span("rita", ana_figure, "matches the wire")
        .unwrap();
    project
        .reject_span("rita", ben_claim, "a denial, not a claim")
        .unwrap();
    let before = project.verdicts(doc).unwrap();
    assert_eq!(before.len(), 2);

    // Ben deletes his rejected claim: the rejection goes with it, and comes back on undo.
    project.delete_span("ben", ben_claim).unwrap();
    assert!(
        project
            .verdicts(doc)
            .unwrap()
            .iter()
            .all(|v| v.span_id != ben_claim)
    );
    let outcome = project.undo("ben").unwrap().unwrap();
    assert_eq!(outcome.kind, stet::store::OpKind::DeleteSpan);
    assert_eq!(project.verdicts(doc).unwrap(), before);
    // Redo deletes both again, and undo restores both again.
    project.redo("ben").unwrap().unwrap();
    assert_eq!(project.verdicts(doc).unwrap().len(), 1);
    project.undo("ben").unwrap().unwrap();
    assert_eq!(project.verdicts(doc).unwrap(), before);

    // Rita deletes the gold copy: ana's acceptance loses its link to it, and gets it back.
    project.delete_span("rita", copy.id).unwrap();
    let unlinked = project.verdicts(doc).unwrap();
    let accepted = unlinked.iter().find(|v| v.span_id == ana_figure).unwrap();
    assert_eq!(accepted.gold_span_id, None);
    assert_eq!(accepted.comment, "matches the wire");
    project.undo("rita").unwrap().unwrap();
    assert_eq!(project.verdicts(doc).unwrap(), before);
    assert_eq!(gold(&project, doc).len(), 1);
}
