//! Merging a colleague's project: their layer and documents come in, their later edits are
//! applied, edits on both sides are conflicts, their file is never touched, bad files are
//! refused whole.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use stet::export::{ExportFilter, ExportFormat};
use stet::model::{DocStatus, LabelDef, LabelScheme};
use stet::review::merge::{ConflictKind, MergeReport};
use stet::store::{Access, Fingerprint, NewDocument, Project, SpanEdit};
use stet::workflows::export::write_to;
use stet::workflows::{ImportReport, import_paths};
use stet::workflows::{MergeError, merge_project};

#[path = "common/text.rs"]
mod text;

use text::{chars, range_of};

/// Emoji, curly quotes and an RTL-free Latin text around them.
const PESKOV: &str = "Kremlin spokesman Dmitry Peskov confirmed talks on Saturday. 😀 “We see that he is putting in place the capacity,” Psaki said. Russia has massed about 70,000 troops.";
/// Persian digits and Arabic script next to Latin, with an emoji in a figure.
const EXPORTS: &str = "خبرگزاری: News code : ۱۱۶۵۳۸۱ — the ministry said exports rose 12% 🚢 to ۱۲ million tonnes, officials denied reports of a halt.";
/// A ZWJ emoji sequence (several code points) before the spans; only in ben's file.
const FLOODS: &str = "Only in ben's file: 👩‍👩‍👧 families fled; the mayor said ۳۰۰ homes were lost, a claim the army denied.";

fn relabel(label: &str) -> SpanEdit {
    SpanEdit {
        label: Some(label.into()),
        ..SpanEdit::default()
    }
}

fn renote(note: &str) -> SpanEdit {
    SpanEdit {
        note: Some(note.into()),
        ..SpanEdit::default()
    }
}

fn doc(title: &str, text: &str) -> NewDocument {
    NewDocument {
        title: title.into(),
        text: text.into(),
        source: format!("{title}.txt"),
        format: "text".into(),
        ..NewDocument::default()
    }
}

fn add(project: &mut Project, title: &str, text: &str) -> i64 {
    project.add_document(&doc(title, text)).unwrap().document_id
}

fn tag(project: &mut Project, who: &str, doc: i64, text: &str, needle: &str, label: &str) -> i64 {
    project
        .add_span(who, doc, range_of(text, needle), label, "")
        .unwrap()
        .id
}

/// The id of `who`'s span over `needle` in the document with `text`.
fn find(project: &Project, who: &str, text: &str, needle: &str) -> Option<i64> {
    let doc = doc_id(project, text)?;
    let range = range_of(text, needle);
    project
        .spans(doc)
        .unwrap()
        .into_iter()
        .find(|s| s.annotator == who && s.range == range)
        .map(|s| s.id)
}

fn doc_id(project: &Project, text: &str) -> Option<i64> {
    let uid = stet::store::Fingerprint::of(text).uid;
    project.document_id_by_uid(&uid).unwrap()
}

/// Every span of the project: document uid, range, label, annotator, note, uid, and the
/// text it covers (sliced by code points).
fn dump(project: &Project) -> Vec<String> {
    let mut lines = Vec::new();
    for info in project.documents().unwrap() {
        let doc = project.document(info.id).unwrap();
        for span in project.spans(info.id).unwrap() {
            lines.push(format!(
                "{} {} {} {} {:?} {} {:?}",
                info.uid,
                span.range,
                span.label,
                span.annotator,
                span.note,
                span.uid,
                chars(&doc.text, span.range)
            ));
        }
    }
    lines.sort();
    lines
}

struct Setup {
    _dir: tempfile::TempDir,
    mine_path: PathBuf,
    theirs_path: PathBuf,
    mine: Project,
}

impl Setup {
    fn theirs(&self) -> Project {
        Project::open(&self.theirs_path, Access::ReadWrite).unwrap()
    }

    fn merge(&mut self) -> MergeReport {
        merge_project(&mut self.mine, &self.theirs_path, "ana").unwrap()
    }
}

/// Ana's project (two articles) and ben's (the same two and one more), tagged apart.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let mine_path = dir.path().join("ana.stet");
    let theirs_path = dir.path().join("ben.stet");
    let mut mine = Project::create(&mine_path, &LabelScheme::newsroom()).unwrap();
    let a = add(&mut mine, "Peskov", PESKOV);
    let b = add(&mut mine, "Exports", EXPORTS);
    tag(&mut mine, "ana", a, PESKOV, "about 70,000 troops", "figure");
    tag(
        &mut mine,
        "ana",
        a,
        PESKOV,
        "Peskov confirmed talks",
        "claim",
    );
    tag(&mut mine, "ana", b, EXPORTS, "۱۲ million tonnes", "figure");

    let mut theirs = Project::create(&theirs_path, &LabelScheme::newsroom()).unwrap();
    let tb = add(&mut theirs, "Exports (ben)", EXPORTS);
    let ta = add(&mut theirs, "Peskov (ben)", PESKOV);
    let tc = add(&mut theirs, "Floods", FLOODS);
    tag(
        &mut theirs,
        "ben",
        ta,
        PESKOV,
        "Dmitry Peskov confirmed talks",
        "claim",
    );
    tag(
        &mut theirs,
        "ben",
        ta,
        PESKOV,
        "“We see that he is putting in place the capacity,”",
        "quote",
    );
    tag(
        &mut theirs,
        "ben",
        ta,
        PESKOV,
        "about 70,000 troops",
        "figure",
    );
    tag(
        &mut theirs,
        "ben",
        tb,
        EXPORTS,
        "exports rose 12% 🚢 to ۱۲ million tonnes",
        "figure",
    );
    tag(
        &mut theirs,
        "ben",
        tb,
        EXPORTS,
        "officials denied reports of a halt",
        "denial",
    );
    tag(
        &mut theirs,
        "ben",
        tc,
        FLOODS,
        "۳۰۰ homes were lost",
        "figure",
    );
    tag(&mut theirs, "ben", tc, FLOODS, "the army denied", "denial");
    theirs.set_status("ben", ta, DocStatus::Done).unwrap();
    drop(theirs);
    Setup {
        _dir: dir,
        mine_path,
        theirs_path,
        mine,
    }
}

#[test]
fn merge_brings_their_layer_and_their_new_document() {
    let mut s = setup();
    let report = s.merge();
    assert_eq!(report.documents_added(), 1);
    assert_eq!(report.spans_added, 7);
    assert_eq!(
        (
            report.spans_updated,
            report.spans_deleted,
            report.spans_unchanged
        ),
        (0, 0, 0)
    );
    assert!(report.conflicts.is_empty());
    assert!(report.labels_added.is_empty());
    assert_eq!(s.mine.annotators().unwrap(), ["ana", "ben"]);

    // The new document came whole, after ours, with its own title.
    let docs = s.mine.documents().unwrap();
    assert_eq!(docs.len(), 3);
    let floods = s.mine.document(docs[2].id).unwrap();
    assert_eq!(floods.text, FLOODS);
    assert_eq!(floods.info.title, "Floods");
    assert_eq!(floods.info.len_chars, FLOODS.chars().count());
    // Documents we had keep our titles.
    assert_eq!(docs[0].title, "Peskov");

    // Both layers, each span covering the same characters as in ben's file.
    for (text, needle, who) in [
        (PESKOV, "about 70,000 troops", "ana"),
        (PESKOV, "about 70,000 troops", "ben"),
        (
            PESKOV,
            "“We see that he is putting in place the capacity,”",
            "ben",
        ),
        (EXPORTS, "exports rose 12% 🚢 to ۱۲ million tonnes", "ben"),
        (EXPORTS, "۱۲ million tonnes", "ana"),
        (FLOODS, "۳۰۰ homes were lost", "ben"),
        (FLOODS, "the army denied", "ben"),
    ] {
        let id = find(&s.mine, who, text, needle).unwrap_or_else(|| panic!("{who}: {needle}"));
        let span = s.mine.span(id).unwrap();
        let doc = s.mine.document(span.document_id).unwrap();
        assert_eq!(chars(&doc.text, span.range), needle);
    }
    // Ben's spans keep their uids, so later merges can follow them.
    let theirs = Project::open(&s.theirs_path, Access::ReadOnly).unwrap();
    let mut their_uids: Vec<String> = theirs
        .documents()
        .unwrap()
        .iter()
        .flat_map(|d| theirs.spans(d.id).unwrap())
        .map(|s| s.uid)
        .collect();
    their_uids.sort();
    let mut ben_uids: Vec<String> = dump(&s.mine)
        .iter()
        .filter(|l| l.contains(" ben "))
        .map(|l| l.split(' ').nth(5).unwrap().to_owned())
        .collect();
    ben_uids.sort();
    assert_eq!(ben_uids, their_uids);

    // Ben's status came along; ana's are hers.
    let peskov = doc_id(&s.mine, PESKOV).unwrap();
    assert_eq!(
        s.mine.statuses("ben").unwrap().get(&peskov),
        Some(&DocStatus::Done)
    );
    assert_eq!(
        s.mine.statuses("ana").unwrap().get(&peskov),
        Some(&DocStatus::InProgress)
    );
}

#[test]
fn merging_the_same_file_twice_changes_nothing() {
    let mut s = setup();
    let cache_size = count(&s.mine, "PRAGMA cache_size");
    s.merge();
    // The merge's bigger page cache is given back.
    assert_eq!(count(&s.mine, "PRAGMA cache_size"), cache_size);
    let before = dump(&s.mine);
    let ops_before = count(&s.mine, "SELECT count(*) FROM ops");
    let state_before = count(&s.mine, "SELECT count(*) FROM merge_state");
    let second = s.merge();
    assert_eq!(dump(&s.mine), before);
    assert!(!second.changed(), "{second:?}");
    assert_eq!(second.spans_unchanged, 7);
    assert_eq!(second.documents_added() + second.spans_added, 0);
    assert!(second.conflicts.is_empty());
    assert_eq!(count(&s.mine, "SELECT count(*) FROM ops"), ops_before);
    assert_eq!(
        count(&s.mine, "SELECT count(*) FROM merge_state"),
        state_before
    );
    assert_eq!(s.mine.documents().unwrap().len(), 3);
}

fn count(project: &Project, sql: &str) -> i64 {
    rusqlite::Connection::open(project.path())
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn their_relabel_and_delete_are_applied_without_duplicates() {
    let mut s = setup();
    s.merge();
    let mut theirs = s.theirs();
    let claim = find(&theirs, "ben", PESKOV, "Dmitry Peskov confirmed talks").unwrap();
    let claim_uid = theirs.span(claim).unwrap().uid;
    theirs.edit_span("ben", claim, &relabel("quote")).unwrap();
    let denial = find(&theirs, "ben", FLOODS, "the army denied").unwrap();
    theirs.delete_span("ben", denial).unwrap();
    drop(theirs);

    let report = s.merge();
    assert_eq!(report.spans_updated, 1, "{report:?}");
    assert_eq!(report.spans_deleted, 1);
    assert_eq!(report.spans_unchanged, 5);
    assert_eq!(report.spans_added, 0);
    assert!(report.conflicts.is_empty());

    let relabelled = find(&s.mine, "ben", PESKOV, "Dmitry Peskov confirmed talks").unwrap();
    let span = s.mine.span(relabelled).unwrap();
    assert_eq!(span.label, "quote");
    assert_eq!(span.uid, claim_uid);
    assert!(find(&s.mine, "ben", FLOODS, "the army denied").is_none());
    let ben_spans = dump(&s.mine).iter().filter(|l| l.contains(" ben ")).count();
    assert_eq!(ben_spans, 6);
    // Ana's layer is as she left it.
    assert_eq!(
        dump(&s.mine).iter().filter(|l| l.contains(" ana ")).count(),
        3
    );
    // And again: nothing more happens.
    let before = dump(&s.mine);
    assert!(!s.merge().changed());
    assert_eq!(dump(&s.mine), before);
}

#[test]
fn edits_on_both_sides_are_a_conflict_and_ours_is_kept() {
    let mut s = setup();
    s.merge();
    // Ben, working in this project too, moves his claim here; he relabels it there.
    let ours = find(&s.mine, "ben", PESKOV, "Dmitry Peskov confirmed talks").unwrap();
    let narrower = range_of(PESKOV, "Peskov confirmed talks");
    s.mine
        .edit_span(
            "ben",
            ours,
            &SpanEdit {
                range: Some(narrower),
                ..SpanEdit::default()
            },
        )
        .unwrap();
    let mut theirs = s.theirs();
    let their_claim = find(&theirs, "ben", PESKOV, "Dmitry Peskov confirmed talks").unwrap();
    theirs
        .edit_span("ben", their_claim, &relabel("denial"))
        .unwrap();
    drop(theirs);

    let before = dump(&s.mine);
    let report = s.merge();
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    assert_eq!(report.spans_updated, 0);
    let conflict = &report.conflicts[0];
    assert_eq!(conflict.kind, ConflictKind::BothChanged);
    assert_eq!(conflict.document, "Peskov");
    assert_eq!(
        conflict.to_string(),
        format!(
            "\"Peskov\" · ben · claim {narrower}: here changed to claim {narrower}; there changed to denial {}",
            range_of(PESKOV, "Dmitry Peskov confirmed talks")
        )
    );
    // Ours is untouched, and so is everything else.
    assert_eq!(dump(&s.mine), before);
    let kept = s.mine.span(ours).unwrap();
    assert_eq!((kept.label.as_str(), kept.range), ("claim", narrower));
    // The conflict stays a conflict on the next merge; nothing is overwritten.
    assert_eq!(s.merge().conflicts.len(), 1);
    assert_eq!(dump(&s.mine), before);
}

#[test]
fn one_sided_changes_and_deletions_follow_the_side_that_changed() {
    let mut s = setup();
    s.merge();
    // Here (ben working in this project too): his figure in Exports is deleted and his
    // quote re-noted.
    let figure = find(
        &s.mine,
        "ben",
        EXPORTS,
        "exports rose 12% 🚢 to ۱۲ million tonnes",
    )
    .unwrap();
    s.mine.delete_span("ben", figure).unwrap();
    let quote = find(
        &s.mine,
        "ben",
        PESKOV,
        "“We see that he is putting in place the capacity,”",
    )
    .unwrap();
    s.mine
        .edit_span("ben", quote, &renote("check the source"))
        .unwrap();
    // There: ben deletes the quote we changed, and changes the troops figure we did not.
    let mut theirs = s.theirs();
    let their_quote = find(
        &theirs,
        "ben",
        PESKOV,
        "“We see that he is putting in place the capacity,”",
    )
    .unwrap();
    theirs.delete_span("ben", their_quote).unwrap();
    let troops = find(&theirs, "ben", PESKOV, "about 70,000 troops").unwrap();
    theirs
        .edit_span(
            "ben",
            troops,
            &SpanEdit {
                range: Some(range_of(PESKOV, "70,000 troops")),
                ..SpanEdit::default()
            },
        )
        .unwrap();
    drop(theirs);

    let report = s.merge();
    // The figure we deleted stays deleted; ben's change to troops is taken; the quote we
    // re-noted and he deleted is a conflict.
    assert_eq!(report.spans_kept, 1, "{report:?}");
    assert_eq!(report.spans_updated, 1);
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(
        report.conflicts[0].kind,
        ConflictKind::ChangedHereDeletedThere
    );
    assert!(
        report.conflicts[0]
            .to_string()
            .ends_with("(note \"check the source\"); there deleted"),
        "{}",
        report.conflicts[0]
    );
    assert!(
        find(
            &s.mine,
            "ben",
            EXPORTS,
            "exports rose 12% 🚢 to ۱۲ million tonnes"
        )
        .is_none()
    );
    assert!(find(&s.mine, "ben", PESKOV, "70,000 troops").is_some());
    assert!(find(&s.mine, "ben", PESKOV, "about 70,000 troops").is_none());
    assert!(s.mine.span(quote).is_ok());
    // Ana's own figure over the same words is hers, untouched.
    assert!(find(&s.mine, "ana", PESKOV, "about 70,000 troops").is_some());
}

#[test]
fn their_file_is_never_modified() {
    let mut s = setup();
    let before = std::fs::read(&s.theirs_path).unwrap();
    s.merge();
    s.merge();
    assert_eq!(std::fs::read(&s.theirs_path).unwrap(), before);
    // Reading a WAL-mode project leaves SQLite's index files beside it (as `stet docs`
    // does); no change to the project is in them.
    let wal = s.theirs_path.with_file_name("ben.stet-wal");
    assert_eq!(std::fs::metadata(&wal).map_or(0, |m| m.len()), 0);
}

#[test]
fn bad_files_are_refused_in_one_line_and_mine_is_untouched() {
    let mut s = setup();
    let before = dump(&s.mine);
    let dir = s.mine_path.parent().unwrap().to_owned();
    let error = |mine: &mut Project, path: &Path| -> String {
        let err = merge_project(mine, path, "rita").unwrap_err().to_string();
        assert!(!err.contains('\n'), "{err}");
        err
    };

    let missing = dir.join("nobody.stet");
    assert_eq!(
        error(&mut s.mine, &missing),
        format!("{}: no such project", missing.display())
    );
    let text = dir.join("notes.stet");
    std::fs::write(&text, "not a database at all, just some notes").unwrap();
    let err = error(&mut s.mine, &text);
    assert!(err.contains("not a stet project"), "{err}");
    let other_db = dir.join("other.stet");
    rusqlite::Connection::open(&other_db)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let err = error(&mut s.mine, &other_db);
    assert!(err.contains("another program"), "{err}");
    let newer = dir.join("newer.stet");
    std::fs::copy(&s.theirs_path, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = error(&mut s.mine, &newer);
    assert!(err.contains("written by a newer stet"), "{err}");
    let mine_path = s.mine_path.clone();
    let err = merge_project(&mut s.mine, &mine_path, "rita").unwrap_err();
    assert!(matches!(err, MergeError::SameFile { .. }), "{err}");

    assert_eq!(dump(&s.mine), before);
    assert_eq!(s.mine.documents().unwrap().len(), 2);
    assert_eq!(count(&s.mine, "SELECT count(*) FROM merge_state"), 0);
}

#[test]
fn a_corrupt_span_refuses_the_whole_file() {
    let mut s = setup();
    let before = dump(&s.mine);
    // A hand-edited file: one of ben's spans now runs past the end of its article.
    let broken = s.mine_path.with_file_name("broken.stet");
    std::fs::copy(&s.theirs_path, &broken).unwrap();
    rusqlite::Connection::open(&broken)
        .unwrap()
        .execute(
            "UPDATE spans SET \"end\" = 100000 WHERE id = (SELECT max(id) FROM spans)",
            [],
        )
        .unwrap();
    let err = merge_project(&mut s.mine, &broken, "rita")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("runs past the end of document \"Floods\""),
        "{err}"
    );
    assert!(err.ends_with("nothing merged"), "{err}");
    // The new document and the spans before the bad one were rolled back too.
    assert_eq!(dump(&s.mine), before);
    assert_eq!(s.mine.documents().unwrap().len(), 2);
    assert_eq!(
        count(&s.mine, "SELECT count(*) FROM ops WHERE kind = 'merge'"),
        0
    );
}

#[test]
fn a_label_our_scheme_lacks_is_added_with_their_colour_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut mine = Project::create(&dir.path().join("ana.stet"), &LabelScheme::newsroom()).unwrap();
    add(&mut mine, "Peskov", PESKOV);
    let theirs_path = dir.path().join("ben.stet");
    let scheme = LabelScheme {
        name: "rumours".into(),
        description: String::new(),
        labels: vec![
            LabelDef {
                name: "rumour".into(),
                color: "#12AB34".into(),
                hotkey: Some("1".into()),
                description: "Unconfirmed reports.".into(),
                ..Default::default()
            },
            LabelDef {
                name: "claim".into(),
                color: "#000000".into(),
                hotkey: Some("9".into()),
                description: String::new(),
                ..Default::default()
            },
        ],
        relations: Vec::new(),
    };
    let mut theirs = Project::create(&theirs_path, &scheme).unwrap();
    let id = add(&mut theirs, "Peskov", PESKOV);
    tag(
        &mut theirs,
        "ben",
        id,
        PESKOV,
        "massed about 70,000",
        "rumour",
    );
    tag(&mut theirs, "ben", id, PESKOV, "Psaki said", "claim");
    drop(theirs);

    let report = merge_project(&mut mine, &theirs_path, "rita").unwrap();
    assert_eq!(report.spans_added, 2);
    // The hotkey "1" is claim's here, so the new label comes without one.
    assert_eq!(
        report.labels_added,
        [LabelDef {
            name: "rumour".into(),
            color: "#12ab34".into(),
            hotkey: None,
            description: "Unconfirmed reports.".into(),
            ..Default::default()
        }]
    );
    assert!(report.summary().ends_with("labels added: rumour (#12ab34)"));
    let scheme = mine.scheme().unwrap();
    let names: Vec<&str> = scheme.labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        ["claim", "quote", "figure", "denial", "source", "rumour"]
    );
    // Our colour for a label we share is ours.
    assert_ne!(scheme.labels[0].color, "#000000");
    // The project knows the new label at once.
    let doc = doc_id(&mine, PESKOV).unwrap();
    mine.add_span("ana", doc, range_of(PESKOV, "Saturday"), "rumour", "")
        .unwrap();
}

#[test]
fn a_copy_of_their_tags_under_other_uids_is_not_duplicated() {
    let mut s = setup();
    // Ben's JSONL export imported here earlier: same tags, new uids.
    let peskov = doc_id(&s.mine, PESKOV).unwrap();
    tag(
        &mut s.mine,
        "ben",
        peskov,
        PESKOV,
        "about 70,000 troops",
        "figure",
    );
    let report = s.merge();
    assert_eq!(report.spans_added, 6, "{report:?}");
    assert_eq!(report.spans_unchanged, 1);
    let troops = dump(&s.mine)
        .iter()
        .filter(|l| l.contains(" ben ") && l.contains("about 70,000 troops"))
        .count();
    assert_eq!(troops, 1);
    // Ben's later change to that tag reaches our copy of it.
    let mut theirs = s.theirs();
    let id = find(&theirs, "ben", PESKOV, "about 70,000 troops").unwrap();
    theirs.edit_span("ben", id, &renote("rounded")).unwrap();
    drop(theirs);
    let report = s.merge();
    assert_eq!(report.spans_updated, 1, "{report:?}");
    let ours = find(&s.mine, "ben", PESKOV, "about 70,000 troops").unwrap();
    assert_eq!(s.mine.span(ours).unwrap().note, "rounded");
}

#[test]
fn copies_of_one_project_merge_by_their_logs() {
    // Ana sets the project up, tags, and gives ben and carol copies of the file.
    let dir = tempfile::tempdir().unwrap();
    let mine_path = dir.path().join("ana.stet");
    let mut mine = Project::create(&mine_path, &LabelScheme::newsroom()).unwrap();
    let peskov = add(&mut mine, "Peskov", PESKOV);
    let claim = tag(&mut mine, "ana", peskov, PESKOV, "confirmed talks", "claim");
    let troops = tag(&mut mine, "ana", peskov, PESKOV, "70,000 troops", "figure");
    let psaki = tag(&mut mine, "ana", peskov, PESKOV, "Psaki said", "quote");
    drop(mine);
    let ben_path = dir.path().join("ben.stet");
    let carol_path = dir.path().join("carol.stet");
    std::fs::copy(&mine_path, &ben_path).unwrap();
    std::fs::copy(&mine_path, &carol_path).unwrap();
    let mut mine = Project::open(&mine_path, Access::ReadWrite).unwrap();

    // On ben's copy, ana (the spans' owner, working there) relabels her claim and ben adds a
    // span; here ana re-notes her figure; both copies change the quote.
    let mut ben = Project::open(&ben_path, Access::ReadWrite).unwrap();
    ben.edit_span("ana", claim, &relabel("denial")).unwrap();
    ben.edit_span("ana", psaki, &relabel("claim")).unwrap();
    tag(
        &mut ben,
        "ben",
        peskov,
        PESKOV,
        "Kremlin spokesman",
        "quote",
    );
    drop(ben);
    mine.edit_span("ana", troops, &renote("about")).unwrap();
    mine.edit_span("ana", psaki, &relabel("figure")).unwrap();

    let report = merge_project(&mut mine, &ben_path, "ana").unwrap();
    // Never merged before: ben's log shows the claim was ana's version before his change,
    // ana's log shows the figure was hers before her change; the quote changed on both.
    assert_eq!(report.spans_updated, 1, "{report:?}");
    assert_eq!(report.spans_kept, 1);
    assert_eq!(report.spans_added, 1);
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(report.conflicts[0].kind, ConflictKind::DifferentUnmerged);
    assert_eq!(mine.span(claim).unwrap().label, "denial");
    assert_eq!(mine.span(troops).unwrap().note, "about");
    assert_eq!(mine.span(psaki).unwrap().label, "figure");

    // Carol's copy is older than ben's changes: it neither reverts the claim nor deletes
    // ben's new span.
    let report = merge_project(&mut mine, &carol_path, "ana").unwrap();
    assert_eq!(report.spans_deleted, 0, "{report:?}");
    assert_eq!(report.spans_updated, 0);
    assert_eq!(mine.span(claim).unwrap().label, "denial");
    assert!(find(&mine, "ben", PESKOV, "Kremlin spokesman").is_some());
}

#[test]
fn statuses_are_copied_only_where_we_have_none() {
    let mut s = setup();
    let peskov = doc_id(&s.mine, PESKOV).unwrap();
    let exports = doc_id(&s.mine, EXPORTS).unwrap();
    s.mine
        .set_status("ben", peskov, DocStatus::InProgress)
        .unwrap();
    let report = s.merge();
    // Ben's "done" on Peskov does not replace ours; his statuses elsewhere come in.
    let statuses = s.mine.statuses("ben").unwrap();
    assert_eq!(statuses.get(&peskov), Some(&DocStatus::InProgress));
    assert_eq!(statuses.get(&exports), Some(&DocStatus::InProgress));
    assert_eq!(report.statuses_copied, 2, "{report:?}");
}

#[test]
fn the_merge_is_in_the_audit_trail_and_not_undoable() {
    let mut s = setup();
    let peskov = doc_id(&s.mine, PESKOV).unwrap();
    let extra = tag(&mut s.mine, "ana", peskov, PESKOV, "Saturday", "claim");
    tag(&mut s.mine, "ana", peskov, PESKOV, "Russia", "claim");
    s.mine.undo("ana").unwrap().unwrap();
    assert_eq!(s.mine.undo_redo_available("ana").unwrap(), (true, true));
    s.merge();
    // The merge changed spans, so, as after any new edit, there is nothing to redo.
    assert_eq!(s.mine.undo_redo_available("ana").unwrap(), (true, false));
    let (kind, state, who, payload): (String, String, String, String) =
        rusqlite::Connection::open(s.mine.path())
            .unwrap()
            .query_row(
                "SELECT o.kind, o.state, a.name, o.payload_json FROM ops o
             JOIN annotators a ON a.id = o.annotator_id WHERE o.kind = 'merge'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
    assert_eq!(
        (kind.as_str(), state.as_str(), who.as_str()),
        ("merge", "final", "ana")
    );
    let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(payload["spans_added"], 7);
    assert_eq!(payload["documents_added"], 1);
    // Ana merged, and her undo skips the merge: it takes back her own last edit.
    let undone = s.mine.undo("ana").unwrap().unwrap();
    assert_eq!(undone.span_id, Some(extra));
    assert!(s.mine.span(extra).is_err());
    assert_eq!(s.mine.documents().unwrap().len(), 3);
}

fn stet() -> Command {
    let mut cmd = Command::cargo_bin("stet").unwrap();
    cmd.env_remove("STET_PROJECT").env("STET_ANNOTATOR", "rita");
    cmd
}

#[test]
fn cli_prints_a_summary_per_file_and_conflicts_on_stderr() {
    let mut s = setup();
    s.merge();
    let ours = find(&s.mine, "ben", FLOODS, "the army denied").unwrap();
    s.mine.edit_span("ben", ours, &relabel("claim")).unwrap();
    drop(s.mine);
    let mut theirs = Project::open(&s.theirs_path, Access::ReadWrite).unwrap();
    let id = find(&theirs, "ben", FLOODS, "the army denied").unwrap();
    theirs.delete_span("ben", id).unwrap();
    drop(theirs);

    let output = stet()
        .arg("merge")
        .arg("--project")
        .arg(&s.mine_path)
        .arg(&s.theirs_path)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stdout,
        format!(
            "merged {}: 0 documents added; spans: 0 added, 0 updated, 0 deleted, 6 unchanged, 0 kept as changed here; 1 conflict; 0 statuses copied\n",
            s.theirs_path.display()
        )
    );
    let range = range_of(FLOODS, "the army denied");
    assert_eq!(
        stderr,
        format!(
            "stet: conflict: {}: \"Floods\" · ben · claim {range}: here changed to claim {range}; there deleted\n",
            s.theirs_path.display()
        )
    );
}

#[test]
fn cli_merges_good_files_and_fails_on_a_bad_one() {
    let s = setup();
    let dir = s.mine_path.parent().unwrap().to_owned();
    let bad = dir.join("notes.stet");
    std::fs::write(&bad, "just notes").unwrap();
    drop(s.mine);
    let output = stet()
        .arg("merge")
        .arg("--project")
        .arg(&s.mine_path)
        .arg(&bad)
        .arg(&s.theirs_path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stdout.contains("1 document added; spans: 7 added"),
        "{stdout}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "stet: error: {}: not a stet project",
            bad.display()
        )),
        "{stderr}"
    );

    // A project that does not exist is not created when nothing can be merged into it.
    let fresh = dir.join("fresh.stet");
    stet()
        .arg("merge")
        .arg("--project")
        .arg(&fresh)
        .arg(dir.join("missing.stet"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("missing.stet: no such project"));
    assert!(!fresh.exists());
    // With a good file it is created and filled.
    stet()
        .arg("merge")
        .arg("--project")
        .arg(&fresh)
        .arg(&s.theirs_path)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "3 documents added; spans: 7 added",
        ));
}

// ---- A colleague's JSONL export, imported: merged like their project ----

/// `project` exported to JSONL at `path` (`filter` as `stet export` builds it).
fn export_jsonl(project: &Project, path: PathBuf, filter: &ExportFilter) -> PathBuf {
    let mut out = Vec::new();
    write_to(project, ExportFormat::Jsonl, filter, &mut out).unwrap();
    std::fs::write(&path, out).unwrap();
    path
}

impl Setup {
    /// Ben's project exported to JSONL at `name`, beside the projects.
    fn export(&self, name: &str, filter: &ExportFilter) -> PathBuf {
        let theirs = Project::open(&self.theirs_path, Access::ReadOnly).unwrap();
        export_jsonl(&theirs, self.mine_path.with_file_name(name), filter)
    }

    /// `stet import` of `path` into ana's project.
    fn import(&mut self, path: &Path) -> ImportReport {
        import_paths(&mut self.mine, &[path.to_owned()], "ana", &mut |_, _| {}).unwrap()
    }
}

/// The one merge an import of a single export did.
fn merged(report: &ImportReport) -> &MergeReport {
    assert!(report.errors.is_empty(), "{report:?}");
    assert_eq!(report.merged.len(), 1, "{report:?}");
    &report.merged[0]
}

fn ben_spans(project: &Project) -> Vec<String> {
    dump(project)
        .into_iter()
        .filter(|l| l.contains(" ben "))
        .collect()
}

#[test]
fn a_colleagues_jsonl_export_brings_their_layer_with_their_span_uids() {
    let mut s = setup();
    let export = s.export("ben.jsonl", &ExportFilter::default());
    let report = s.import(&export);
    let first = merged(&report);
    assert_eq!(first.documents_added(), 1);
    assert_eq!(first.spans_added, 7);
    assert!(first.conflicts.is_empty());
    // Nothing is counted twice as a plain import.
    assert!(report.added.is_empty() && report.spans_added == 0);
    assert_eq!(
        report.first_document(),
        first.documents_new.first().copied()
    );

    // Ben's spans as his project has them: same documents, offsets, texts and uids.
    assert_eq!(ben_spans(&s.mine), ben_spans(&s.theirs()));
    let floods = s.mine.document(doc_id(&s.mine, FLOODS).unwrap()).unwrap();
    assert_eq!(floods.text, FLOODS);
    assert_eq!(floods.info.title, "Floods");

    // Importing the same export again changes nothing.
    let before = dump(&s.mine);
    let ops = count(&s.mine, "SELECT count(*) FROM ops");
    let again = s.import(&export);
    assert!(!merged(&again).changed(), "{again:?}");
    assert_eq!(merged(&again).spans_unchanged, 7);
    assert_eq!(dump(&s.mine), before);
    assert_eq!(count(&s.mine, "SELECT count(*) FROM ops"), ops);
}

#[test]
fn their_later_export_applies_edits_and_deletions_without_duplicates() {
    let mut s = setup();
    let first = s.export("ben-1.jsonl", &ExportFilter::default());
    s.import(&first);
    let mut theirs = s.theirs();
    let claim = find(&theirs, "ben", PESKOV, "Dmitry Peskov confirmed talks").unwrap();
    let claim_uid = theirs.span(claim).unwrap().uid;
    theirs
        .edit_span(
            "ben",
            claim,
            &SpanEdit {
                label: Some("quote".into()),
                note: Some("he was quoted".into()),
                ..SpanEdit::default()
            },
        )
        .unwrap();
    let denial = find(&theirs, "ben", FLOODS, "the army denied").unwrap();
    theirs.delete_span("ben", denial).unwrap();
    drop(theirs);
    let second = s.export("ben-2.jsonl", &ExportFilter::default());

    let report = s.import(&second);
    let m = merged(&report);
    assert_eq!(
        (
            m.spans_updated,
            m.spans_deleted,
            m.spans_added,
            m.spans_unchanged
        ),
        (1, 1, 0, 5),
        "{m:?}"
    );
    let id = find(&s.mine, "ben", PESKOV, "Dmitry Peskov confirmed talks").unwrap();
    let span = s.mine.span(id).unwrap();
    assert_eq!(
        (span.label.as_str(), span.note.as_str(), span.uid.as_str()),
        ("quote", "he was quoted", claim_uid.as_str())
    );
    assert!(find(&s.mine, "ben", FLOODS, "the army denied").is_none());
    assert_eq!(ben_spans(&s.mine).len(), 6);
    // Ana's own layer is untouched.
    assert_eq!(
        dump(&s.mine).iter().filter(|l| l.contains(" ana ")).count(),
        3
    );
}

#[test]
fn an_older_export_is_refused_whole() {
    let mut s = setup();
    let old = s.export("ben-old.jsonl", &ExportFilter::default());
    let mut theirs = s.theirs();
    let denial = find(&theirs, "ben", FLOODS, "the army denied").unwrap();
    theirs.delete_span("ben", denial).unwrap();
    drop(theirs);
    let new = s.export("ben-new.jsonl", &ExportFilter::default());
    assert_eq!(merged(&s.import(&new)).spans_added, 6);

    // The old file still has the tag ben deleted since: taking it would undo his work.
    let before = dump(&s.mine);
    let report = s.import(&old);
    assert!(report.merged.is_empty());
    assert_eq!(report.errors.len(), 1, "{report:?}");
    let line = &report.errors[0];
    assert!(
        line.starts_with(&format!("{}: an older export of project", old.display())),
        "{line}"
    );
    assert!(line.contains("nothing was merged"), "{line}");
    assert_eq!(dump(&s.mine), before);
}

#[test]
fn a_split_export_speaks_only_for_its_documents() {
    let mut s = setup();
    let full = s.export("ben.jsonl", &ExportFilter::default());
    s.import(&full);
    let mut theirs = s.theirs();
    for (text, needle) in [(FLOODS, "the army denied"), (PESKOV, "about 70,000 troops")] {
        let id = find(&theirs, "ben", text, needle).unwrap();
        theirs.delete_span("ben", id).unwrap();
    }
    drop(theirs);
    // One part of a split: the Peskov article only.
    let peskov_only = ExportFilter {
        documents: Some([Fingerprint::of(PESKOV).uid].into_iter().collect()),
        ..ExportFilter::default()
    };
    let part = s.export("ben-train.jsonl", &peskov_only);
    let m = merged(&s.import(&part)).clone();
    assert_eq!((m.spans_deleted, m.spans_unchanged), (1, 2), "{m:?}");
    assert!(find(&s.mine, "ben", PESKOV, "about 70,000 troops").is_none());
    // Floods is not in the file: its spans are not taken for deleted.
    assert!(find(&s.mine, "ben", FLOODS, "the army denied").is_some());
}

#[test]
fn edits_on_both_sides_of_an_export_are_a_conflict_and_ours_is_kept() {
    let mut s = setup();
    let first = s.export("ben-1.jsonl", &ExportFilter::default());
    s.import(&first);
    let ours = find(&s.mine, "ben", FLOODS, "۳۰۰ homes were lost").unwrap();
    s.mine
        .edit_span("ben", ours, &renote("check the count"))
        .unwrap();
    let mut theirs = s.theirs();
    let id = find(&theirs, "ben", FLOODS, "۳۰۰ homes were lost").unwrap();
    theirs.edit_span("ben", id, &relabel("claim")).unwrap();
    drop(theirs);
    let second = s.export("ben-2.jsonl", &ExportFilter::default());
    let before = dump(&s.mine);
    let report = s.import(&second);
    let m = merged(&report);
    assert_eq!(m.conflicts.len(), 1, "{m:?}");
    assert_eq!(m.conflicts[0].kind, ConflictKind::BothChanged);
    assert_eq!(dump(&s.mine), before);
    assert_eq!(s.mine.span(ours).unwrap().note, "check the count");
}

#[test]
fn a_label_filtered_export_imports_as_plain_tags_without_duplicates() {
    let mut s = setup();
    s.merge();
    let figures = ExportFilter {
        labels: vec!["figure".into()],
        ..ExportFilter::default()
    };
    let path = s.export("ben-figures.jsonl", &figures);
    // It cannot say what ben deleted, so it names no project and is not merged.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("\"project\""), "{text}");
    let before = dump(&s.mine);
    let report = s.import(&path);
    assert!(report.merged.is_empty() && report.errors.is_empty());
    assert_eq!(report.spans_added, 0);
    assert_eq!(report.duplicates.len(), 3);
    assert_eq!(dump(&s.mine), before);
}

#[test]
fn a_bad_record_in_an_export_refuses_the_file() {
    let mut s = setup();
    let path = s.export("ben.jsonl", &ExportFilter::default());
    let text = std::fs::read_to_string(&path).unwrap();
    // Ben's scheme had a label ana's lacks.
    let bad = text.replacen("\"label\":\"denial\"", "\"label\":\"rumour\"", 1);
    let line = bad
        .lines()
        .position(|l| l.contains("rumour"))
        .map(|i| i + 1)
        .unwrap();
    std::fs::write(&path, bad).unwrap();
    let before = dump(&s.mine);
    let docs = s.mine.documents().unwrap().len();
    let report = s.import(&path);
    assert_eq!(report.errors.len(), 1, "{report:?}");
    let error = &report.errors[0];
    assert!(
        error.starts_with(&format!("{}:{line}: span ", path.display())),
        "{error}"
    );
    assert!(error.contains("\"rumour\" is not in the project's scheme"));
    assert!(error.ends_with("nothing merged"), "{error}");
    assert_eq!(dump(&s.mine), before);
    assert_eq!(s.mine.documents().unwrap().len(), docs);
}

#[test]
fn cli_merge_and_import_both_take_an_export() {
    let s = setup();
    let export = s.export("ben.jsonl", &ExportFilter::default());
    drop(s.mine);
    stet()
        .arg("merge")
        .arg("--project")
        .arg(&s.mine_path)
        .arg(&export)
        .assert()
        .success()
        .stdout(format!(
            "merged {}: 1 document added; spans: 7 added, 0 updated, 0 deleted, 0 unchanged, 0 kept as changed here; 0 conflicts; 0 statuses copied\n",
            export.display()
        ));
    stet()
        .arg("import")
        .arg("--project")
        .arg(&s.mine_path)
        .arg(&export)
        .assert()
        .success()
        .stdout(predicates::str::contains(format!(
            "merged {}: 0 documents added; spans: 0 added, 0 updated, 0 deleted, 7 unchanged",
            export.display()
        )));
    // A JSONL that is not a stet export cannot be merged.
    let plain = s.mine_path.with_file_name("plain.jsonl");
    std::fs::write(&plain, "{\"text\": \"Officials denied it.\"}\n").unwrap();
    stet()
        .arg("merge")
        .arg("--project")
        .arg(&s.mine_path)
        .arg(&plain)
        .assert()
        .code(1)
        .stderr(format!(
            "stet: error: {}: not a stet JSONL export (its records name no \"project\"); import it with `stet import` instead\n",
            plain.display()
        ));
}

#[test]
fn an_export_of_this_project_or_a_copy_imports_as_plain_tags_with_a_note() {
    let mut s = setup();
    let own = export_jsonl(
        &s.mine,
        s.mine_path.with_file_name("ana.jsonl"),
        &ExportFilter::default(),
    );
    let before = dump(&s.mine);
    let report = s.import(&own);
    assert!(
        report.merged.is_empty() && report.errors.is_empty(),
        "{report:?}"
    );
    // Nothing new: the tags are already here.
    assert_eq!((report.spans_added, report.duplicates.len()), (0, 2));
    assert_eq!(dump(&s.mine), before);
    assert_eq!(report.notes.len(), 1);
    assert!(
        report.notes[0].starts_with(&format!(
            "{}: exported from this project or a copy of it",
            own.display()
        )),
        "{:?}",
        report.notes
    );
}

// ---- A copy for a colleague ----

#[test]
fn a_copy_for_a_colleague_merges_back_by_file_or_by_export() {
    let mut s = setup();
    let copy_path = s.mine_path.with_file_name("for-carol.stet");
    let uid = s.mine.save_copy(&copy_path).unwrap();
    assert_ne!(uid, s.mine.uid().unwrap());
    let mut carol = Project::open(&copy_path, Access::ReadWrite).unwrap();
    assert_eq!(carol.uid().unwrap(), uid);
    // The copy holds everything the project did.
    assert_eq!(dump(&carol), dump(&s.mine));
    let peskov = doc_id(&carol, PESKOV).unwrap();
    tag(&mut carol, "carol", peskov, PESKOV, "Psaki said", "quote");
    let troops = tag(
        &mut carol,
        "carol",
        peskov,
        PESKOV,
        "about 70,000 troops",
        "figure",
    );
    let beside = s.mine_path.clone();
    let export = |carol: &Project, name: &str| {
        export_jsonl(carol, beside.with_file_name(name), &ExportFilter::default())
    };
    let first = export(&carol, "carol-1.jsonl");
    let report = s.import(&first);
    let m = merged(&report);
    // Ana's own spans came back unchanged; carol's two are added.
    assert_eq!((m.spans_added, m.spans_unchanged), (2, 3), "{m:?}");

    carol.delete_span("carol", troops).unwrap();
    let quote = find(&carol, "carol", PESKOV, "Psaki said").unwrap();
    carol
        .edit_span("carol", quote, &renote("attribution only"))
        .unwrap();
    let second = export(&carol, "carol-2.jsonl");
    let report = s.import(&second);
    let m = merged(&report);
    assert_eq!((m.spans_updated, m.spans_deleted), (1, 1), "{m:?}");
    assert!(find(&s.mine, "carol", PESKOV, "about 70,000 troops").is_none());
    let quote = find(&s.mine, "carol", PESKOV, "Psaki said").unwrap();
    assert_eq!(s.mine.span(quote).unwrap().note, "attribution only");
    // Ana's figure on the same words is hers and stays.
    assert!(find(&s.mine, "ana", PESKOV, "about 70,000 troops").is_some());
    // Merging the copy's file now finds no span news (only carol's document status, which
    // exports do not carry).
    drop(carol);
    let report = merge_project(&mut s.mine, &copy_path, "ana").unwrap();
    assert_eq!(
        (
            report.spans_added,
            report.spans_updated,
            report.spans_deleted,
            report.spans_unchanged
        ),
        (0, 0, 0, 4),
        "{report:?}"
    );
    assert!(report.conflicts.is_empty());
}

#[test]
fn a_copy_is_written_whole_to_a_new_file_only() {
    let s = setup();
    let existing = s.theirs_path.clone();
    let before = std::fs::read(&existing).unwrap();
    let err = s.mine.save_copy(&existing).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}: cannot write the copy: already exists; choose a new file name; nothing written",
            existing.display()
        )
    );
    assert_eq!(std::fs::read(&existing).unwrap(), before);
    // From a read-only project, with nothing left behind on failure.
    let dir = s.mine_path.parent().unwrap();
    let read_only = Project::open(&s.mine_path, Access::ReadOnly).unwrap();
    let missing_dir = dir.join("no-such-folder").join("copy.stet");
    assert!(read_only.save_copy(&missing_dir).is_err());
    let copy = dir.join("copy.stet");
    read_only.save_copy(&copy).unwrap();
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".part"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    assert_eq!(
        dump(&Project::open(&copy, Access::ReadOnly).unwrap()),
        dump(&s.mine)
    );
}

#[test]
fn cli_copy_writes_a_new_project_and_refuses_to_overwrite() {
    let s = setup();
    drop(s.mine);
    let copy = s.mine_path.with_file_name("for-ben.stet");
    stet()
        .arg("copy")
        .arg("--project")
        .arg(&s.mine_path)
        .arg(&copy)
        .assert()
        .success()
        .stdout(predicates::str::starts_with(format!(
            "copied {} to {} (project uid ",
            s.mine_path.display(),
            copy.display()
        )));
    let uid = |path: &Path| {
        Project::open(path, Access::ReadOnly)
            .unwrap()
            .uid()
            .unwrap()
    };
    assert_ne!(uid(&copy), uid(&s.mine_path));
    stet()
        .arg("copy")
        .arg("--project")
        .arg(&s.mine_path)
        .arg(&copy)
        .assert()
        .code(1)
        .stderr(format!(
            "stet: {}: cannot write the copy: already exists; choose a new file name; nothing written\n",
            copy.display()
        ));
}
