//! The window as a user drives it (egui_kittest): drag over words, press label keys, click
//! spans, undo, restart — and check what the project file holds.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::{Event, Key, Modifiers, pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stet::app::{Picked, ScriptedDialogs, StetApp, theme};
use stet::export::{ExportFilter, ExportFormat};
use stet::model::{CharRange, DocStatus, LabelScheme, Origin, Span};
use stet::store::{Access, Project, SuggestedSpan};
use stet::workflows::export::write_to;
use stet::workflows::import_paths;

#[path = "common/text.rs"]
mod text;
#[path = "common/window.rs"]
mod window;

use text::chars;
use window::*;

#[test]
fn drag_over_a_phrase_and_press_1_stores_a_claim_with_exact_offsets() {
    let setup = setup();
    let mut harness = app(&setup);
    let phrase = "Kremlin spokesman Dmitry Peskov confirmed plans on Saturday";
    let range = drag_over(&mut harness, phrase);
    assert_eq!(harness.state().text_selection(), Some(range));
    press(&mut harness, Key::Num1);
    let spans = stored_spans(&setup.project, open_doc(&harness));
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].label, "claim");
    assert_eq!(spans[0].annotator, "ana");
    assert_eq!(spans[0].range, range);
    let text = harness.state().open_text().unwrap();
    assert_eq!(chars(text, spans[0].range), phrase);
    // The new span is selected, its details shown.
    assert_eq!(harness.state().selected_span(), Some(spans[0].id));
    harness.get_by_label(&format!("{range} (code points)"));
}

#[test]
fn a_sloppy_drag_snaps_to_whole_words() {
    let setup = setup();
    let mut harness = app(&setup);
    // From inside "spokesman" to inside "Dmitry".
    let start = offset_of(&harness, "spokesman") + 3;
    let end = offset_of(&harness, "Dmitry") + 2;
    let (a, b) = (rect_of(&harness, start), rect_of(&harness, end));
    drag(&mut harness, a.center(), b.center());
    let text = harness.state().open_text().unwrap().to_owned();
    let selection = harness.state().text_selection().unwrap();
    assert_eq!(chars(&text, selection), "spokesman Dmitry");
}

#[test]
fn persian_digits_and_a_paragraph_after_an_emoji_map_exactly() {
    let setup = setup();
    let mut harness = app(&setup);
    press_with(&mut harness, Modifiers::COMMAND, Key::PageDown);
    assert_eq!(harness.state().open_text().unwrap(), MIXED);
    let figure = drag_over(&mut harness, "“۱۱۶۵۳۸۱ cases”");
    press(&mut harness, Key::Num3);
    let claim = drag_over(&mut harness, "the ministry said exports rose 12 percent");
    press(&mut harness, Key::Num1);
    let spans = stored_spans(&setup.project, open_doc(&harness));
    let got: Vec<(CharRange, &str, String)> = spans
        .iter()
        .map(|s| (s.range, s.label.as_str(), chars(MIXED, s.range)))
        .collect();
    assert_eq!(
        got,
        [
            (figure, "figure", "“۱۱۶۵۳۸۱ cases”".to_owned()),
            (
                claim,
                "claim",
                "the ministry said exports rose 12 percent".to_owned()
            ),
        ]
    );
}

#[test]
fn a_word_dragged_over_in_arabic_text_is_tagged_exactly() {
    let setup = setup();
    let mut harness = app(&setup);
    press_with(&mut harness, Modifiers::COMMAND, Key::PageDown);
    let word = "المسؤولون";
    let start = offset_of(&harness, word);
    let last = start + word.chars().count() - 1;
    // Right to left: from the right edge of the first letter to the left edge of the last.
    let a = rect_of(&harness, start);
    let b = rect_of(&harness, last);
    assert!(a.center().x > b.center().x, "drawn right to left");
    drag(
        &mut harness,
        pos2(a.right() - 1.0, a.center().y),
        pos2(b.left() + 1.0, b.center().y),
    );
    press(&mut harness, Key::Num1);
    let (message, is_error) = harness.state().status_message();
    assert!(!is_error, "{message}");
    let spans = stored_spans(&setup.project, open_doc(&harness));
    assert_eq!(spans.len(), 1, "{message}");
    assert_eq!(spans[0].range, CharRange::new(start, last + 1));
    assert_eq!(spans[0].label, "claim");
}

#[test]
fn double_click_relabel_delete_undo_and_redo_with_keys() {
    let setup = setup();
    let mut harness = app(&setup);
    let doc = open_doc(&harness);
    let peskov = offset_of(&harness, "Peskov");
    let inside = rect_of(&harness, peskov + 2).center();
    click_at(&mut harness, inside, 2);
    press(&mut harness, Key::Num1);
    let spans = stored_spans(&setup.project, doc);
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].range, CharRange::new(peskov, peskov + 6));
    assert_eq!(spans[0].label, "claim");

    // The span is selected: a label key relabels it.
    press(&mut harness, Key::Num2);
    assert_eq!(stored_spans(&setup.project, doc)[0].label, "quote");

    press(&mut harness, Key::Delete);
    assert!(stored_spans(&setup.project, doc).is_empty());

    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    let back = stored_spans(&setup.project, doc);
    assert_eq!(back.len(), 1);
    assert_eq!((back[0].id, back[0].label.as_str()), (spans[0].id, "quote"));

    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(stored_spans(&setup.project, doc)[0].label, "claim");

    press_with(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(stored_spans(&setup.project, doc)[0].label, "quote");
    press_with(&mut harness, Modifiers::COMMAND, Key::Y);
    assert!(stored_spans(&setup.project, doc).is_empty());
}

#[test]
fn clicking_stacked_spans_cycles_through_them() {
    let setup = setup();
    let mut harness = app(&setup);
    drag_over(
        &mut harness,
        "Russia has massed about 70,000 troops near its border",
    );
    press(&mut harness, Key::Num1);
    drag_over(&mut harness, "about 70,000 troops");
    press(&mut harness, Key::Num3);
    let spans = stored_spans(&setup.project, open_doc(&harness));
    let claim = spans.iter().find(|s| s.label == "claim").unwrap().id;
    let figure = spans.iter().find(|s| s.label == "figure").unwrap().id;
    press(&mut harness, Key::Escape);
    let inside = rect_of(&harness, offset_of(&harness, "70,000") + 1).center();
    click_at(&mut harness, inside, 1);
    assert_eq!(
        harness.state().selected_span(),
        Some(figure),
        "innermost first"
    );
    // Far enough in time from the first click not to count as a double-click.
    harness.run_steps(30);
    click_at(&mut harness, inside, 1);
    assert_eq!(harness.state().selected_span(), Some(claim));
}

#[test]
fn spans_survive_closing_and_reopening_and_undo_works_after_a_restart() {
    let setup = setup();
    let mut harness = app(&setup);
    let doc = open_doc(&harness);
    let range = drag_over(&mut harness, "White House did not immediately comment");
    press(&mut harness, Key::Num4);
    let before = stored_spans(&setup.project, doc);
    drop(harness);

    let mut harness = app(&setup);
    assert_eq!(open_doc(&harness), doc);
    let after = stored_spans(&setup.project, doc);
    assert_eq!(before, after);
    assert_eq!(after[0].range, range);
    harness.get_by_label_contains("denial · White House did not");
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    assert!(stored_spans(&setup.project, doc).is_empty());
}

#[test]
fn a_locked_label_tags_every_selection_at_once() {
    let setup = setup();
    let mut harness = app(&setup);
    press_with(&mut harness, Modifiers::SHIFT, Key::Num3);
    drag_over(&mut harness, "about 70,000 troops");
    drag_over(&mut harness, "Tuesday evening");
    let labels: Vec<String> = stored_spans(&setup.project, open_doc(&harness))
        .into_iter()
        .map(|s| s.label)
        .collect();
    assert_eq!(labels, ["figure", "figure"]);
}

#[test]
fn shift_arrows_extend_the_selection_word_by_word() {
    let setup = setup();
    let mut harness = app(&setup);
    let start = offset_of(&harness, "Kremlin spokesman");
    let at = rect_of(&harness, start).left_center() + vec2(1.0, 0.0);
    click_at(&mut harness, at, 1);
    press_with(&mut harness, Modifiers::SHIFT, Key::ArrowRight);
    press_with(&mut harness, Modifiers::SHIFT, Key::ArrowRight);
    let text = harness.state().open_text().unwrap().to_owned();
    let selection = harness.state().text_selection().unwrap();
    assert_eq!(chars(&text, selection), "Kremlin spokesman");
}

#[test]
fn find_steps_through_matches_and_selects_them() {
    let setup = setup();
    let mut harness = app(&setup);
    press_with(&mut harness, Modifiers::COMMAND, Key::F);
    harness.get_by_label("Find:");
    harness.event(Event::Text("putin".into()));
    harness.run();
    press(&mut harness, Key::Enter);
    let text = harness.state().open_text().unwrap().to_owned();
    let first = harness.state().text_selection().unwrap();
    assert_eq!(chars(&text, first), "Putin");
    harness.get_by_label_contains("1 of ");
    press(&mut harness, Key::Enter);
    let second = harness.state().text_selection().unwrap();
    assert!(second.start > first.start);
}

#[test]
fn the_status_filter_follows_a_document_that_gets_its_first_tag() {
    let setup = setup();
    let mut harness = app(&setup);
    let doc = open_doc(&harness);
    // The list's filter buttons, not the toolbar's status text.
    let filter = |harness: &mut Harness<'_, StetApp>, status: &str| {
        harness
            .get_by_role_and_label(egui::accesskit::Role::Button, status)
            .click();
        harness.run();
    };
    filter(&mut harness, "todo");
    assert!(harness.state().listed_documents().contains(&doc));
    drag_over(&mut harness, "Kremlin spokesman");
    press(&mut harness, Key::Num1);
    // Tagging made it "in progress": no longer a todo, and listed under in progress.
    assert!(!harness.state().listed_documents().contains(&doc));
    filter(&mut harness, "in progress");
    assert!(harness.state().listed_documents().contains(&doc));
}

#[test]
fn mark_done_and_move_between_documents() {
    let setup = setup();
    let mut harness = app(&setup);
    let first = open_doc(&harness);
    press_with(&mut harness, Modifiers::COMMAND, Key::D);
    let statuses = Project::open(&setup.project, Access::ReadOnly)
        .unwrap()
        .statuses("ana")
        .unwrap();
    assert_eq!(statuses.get(&first), Some(&DocStatus::Done));
    harness.get_by_label("1 of 2 done");
    press_with(&mut harness, Modifiers::COMMAND, Key::PageDown);
    assert_ne!(open_doc(&harness), first);
    press_with(&mut harness, Modifiers::COMMAND, Key::PageUp);
    assert_eq!(open_doc(&harness), first);
}

/// Steps frames until the status line starts with `prefix` (a background job finishing).
/// Steps, not `run`: a spinner repaints for as long as the job lasts.
#[test]
fn file_import_uses_the_injected_dialog_and_runs_in_the_background() {
    let setup = setup();
    let article = setup.dir.join("new.md");
    std::fs::write(
        &article,
        "# Port strike ends\n\nDock workers returned on Monday.\n",
    )
    .unwrap();
    let dialogs = ScriptedDialogs::new([Picked::Chosen(vec![article])]);
    let mut harness = app_on(&setup.project, dialogs);
    file_menu(&mut harness, "Import articles…");
    wait_for_status(&mut harness, "Imported 1 document");
    harness.run();
    // The new document is listed and opened.
    assert_eq!(
        harness.state().open_text().unwrap(),
        "# Port strike ends\n\nDock workers returned on Monday.\n"
    );
    harness.get_by_label("0 of 3 done");
}

#[test]
fn files_with_labels_the_scheme_lacks_can_be_imported_adding_them() {
    let setup = setup();
    // A CoNLL file (read as such from its .txt, as Kaggle ships it) with labels the
    // newsroom scheme has no place for.
    let conll = setup.dir.join("train.txt");
    std::fs::write(
        &conll,
        "EU\tB-ORG\nrejects\tO\nGerman\tB-MISC\ncall\tO\n\nPeter\tB-PER\nBlackburn\tI-PER\n",
    )
    .unwrap();
    let dialogs = ScriptedDialogs::new([Picked::Chosen(vec![conll])]);
    let mut harness = app_on(&setup.project, dialogs);
    file_menu(&mut harness, "Import articles…");
    wait_for_status(&mut harness, "Imported 0 documents");
    harness.run();
    assert!(
        harness
            .state()
            .status_message()
            .0
            .ends_with("1 file refused")
    );
    // The problem says what is missing, without the command line's flag, and offers the fix.
    let problem = harness.get_by_label_contains("label \"ORG\" is not in the project's scheme");
    assert!(!format!("{problem:?}").contains("--add-labels"));
    harness.get_by_label_contains("1 refused file uses labels");
    harness
        .get_by_label("Add them to the scheme and import those files")
        .click();
    wait_for_status(&mut harness, "Imported 1 document and 3 spans");
    harness.run();
    assert!(harness.query_by_label("Problems to look at").is_none());
    let spans = stored_spans(&setup.project, open_doc(&harness));
    let labels: Vec<&str> = spans.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["ORG", "MISC", "PER"]);
    // The new labels are in the scheme, each with a colour of its own.
    let scheme = Project::open(&setup.project, stet::store::Access::ReadOnly)
        .unwrap()
        .scheme()
        .unwrap();
    let colours: std::collections::HashSet<&str> =
        scheme.labels.iter().map(|l| l.color.as_str()).collect();
    assert_eq!(colours.len(), scheme.labels.len());
    assert!(scheme.label("PER").is_some_and(|l| l.hotkey.is_none()));
}

/// Ben's own project (`ben.stet` beside the team's) holding the newswire article, with his
/// figure over "94,300"; the figure's uid.
fn bens_project(setup: &Setup) -> (Project, String) {
    let mut project =
        Project::create(&setup.dir.join("ben.stet"), &LabelScheme::newsroom()).unwrap();
    import_paths(
        &mut project,
        &[PathBuf::from(NEWSWIRE)],
        "ben",
        &mut |_, _| {},
    )
    .unwrap();
    let doc = project.documents().unwrap()[0].id;
    let text = project.document(doc).unwrap().text;
    let byte = text.find("94,300").unwrap();
    let start = text[..byte].chars().count();
    let uid = project
        .add_span("ben", doc, CharRange::new(start, start + 6), "figure", "")
        .unwrap()
        .uid;
    (project, uid)
}

#[test]
fn file_import_of_a_colleagues_export_merges_it() {
    let setup = setup();
    // Ben tagged the same newswire article in his project and exported it to JSONL.
    let (project, uid) = bens_project(&setup);
    let export = setup.dir.join("ben.jsonl");
    let mut out = Vec::new();
    write_to(
        &project,
        ExportFormat::Jsonl,
        &ExportFilter::default(),
        &mut out,
    )
    .unwrap();
    std::fs::write(&export, out).unwrap();
    drop(project);

    let dialogs = ScriptedDialogs::new([Picked::Chosen(vec![export])]);
    let mut harness = app_on(&setup.project, dialogs);
    file_menu(&mut harness, "Import articles…");
    wait_for_status(&mut harness, "Imported 0 document");
    harness.run();
    let (message, _) = harness.state().status_message();
    assert!(
        message.contains("merged ben.jsonl: 0 documents added; spans: 1 added"),
        "{message}"
    );
    // Ben's tag, with his uid, on the article it belongs to, which is now open.
    let spans = stored_spans(&setup.project, open_doc(&harness));
    assert_eq!(spans.len(), 1);
    assert_eq!(
        (spans[0].annotator.as_str(), spans[0].uid.as_str()),
        ("ben", uid.as_str())
    );
    assert_eq!(
        chars(harness.state().open_text().unwrap(), spans[0].range),
        "94,300"
    );
}

#[test]
fn file_save_a_copy_writes_a_project_merges_can_tell_apart() {
    let setup = setup();
    let copy = setup.dir.join("for-ben");
    let dialogs = ScriptedDialogs::new([Picked::Chosen(vec![copy.clone()])]);
    let mut harness = app_on(&setup.project, dialogs);
    file_menu(&mut harness, "Save a copy for a colleague…");
    wait_for_status(&mut harness, "Saved a copy");
    // `.stet` is added to a bare name; the copy has the documents and its own uid.
    let copy = copy.with_extension("stet");
    let theirs = Project::open(&copy, Access::ReadOnly).unwrap();
    let mine = Project::open(&setup.project, Access::ReadOnly).unwrap();
    assert_eq!(
        theirs.documents().unwrap().len(),
        mine.documents().unwrap().len()
    );
    assert_ne!(theirs.uid().unwrap(), mine.uid().unwrap());
}

#[test]
fn without_a_file_dialog_the_app_asks_for_a_typed_path() {
    let setup = setup();
    let article = setup.dir.join("typed.txt");
    std::fs::write(&article, "Typed path article\n\nBody.\n").unwrap();
    let dialogs = ScriptedDialogs::new([Picked::Unavailable]);
    let mut harness = app_on(&setup.project, dialogs);
    file_menu(&mut harness, "Import articles…");
    harness.run();
    harness.get_by_label_contains("No file dialog is available");
    harness.event(Event::Text(article.display().to_string()));
    harness.run();
    // Enter starts the import on a worker thread: step rather than run to a settled frame.
    harness.key_press(Key::Enter);
    harness.step();
    wait_for_status(&mut harness, "Imported 1 document");
    harness.get_by_label("0 of 3 done");
}

#[test]
fn keyboard_moves_span_edges_and_n_edits_the_note() {
    let setup = setup();
    let mut harness = app(&setup);
    let doc = open_doc(&harness);
    drag_over(&mut harness, "Dmitry Peskov");
    press(&mut harness, Key::Num1);
    // Shift+Alt+→ moves the end a word on; Ctrl+Shift+Alt+← moves the start a word back.
    press_with(
        &mut harness,
        Modifiers::SHIFT | Modifiers::ALT,
        Key::ArrowRight,
    );
    press_with(
        &mut harness,
        Modifiers::COMMAND | Modifiers::SHIFT | Modifiers::ALT,
        Key::ArrowLeft,
    );
    let text = harness.state().open_text().unwrap().to_owned();
    let span = stored_spans(&setup.project, doc).remove(0);
    assert_eq!(
        chars(&text, span.range),
        "spokesman Dmitry Peskov confirmed"
    );

    press(&mut harness, Key::N);
    harness.event(Event::Text("attributed to RIA".into()));
    harness.run();
    press(&mut harness, Key::Enter);
    let span = stored_spans(&setup.project, doc).remove(0);
    assert_eq!(span.note, "attributed to RIA");
    // Typing the note did not tag anything: the digits and letters went to the editor.
    assert_eq!(stored_spans(&setup.project, doc).len(), 1);
}

/// The newswire document tagged by ana and ben: one agreement, one label disagreement.
fn two_annotators(setup: &Setup) -> i64 {
    let mut project = Project::open(&setup.project, Access::ReadWrite).unwrap();
    let doc = project.documents().unwrap()[0].id;
    let text = project.document(doc).unwrap().text;
    let range = |needle: &str| {
        let byte = text.find(needle).unwrap();
        let start = text[..byte].chars().count();
        CharRange::new(start, start + needle.chars().count())
    };
    for who in ["ana", "ben"] {
        project
            .add_span(who, doc, range("about 70,000 troops"), "figure", "")
            .unwrap();
    }
    project
        .add_span(
            "ana",
            doc,
            range("Russia and Akhmetov have denied"),
            "denial",
            "",
        )
        .unwrap();
    project
        .add_span(
            "ben",
            doc,
            range("Russia and Akhmetov have denied"),
            "claim",
            "",
        )
        .unwrap();
    doc
}

fn gold_spans(project: &Path, doc: i64) -> Vec<(String, String)> {
    let project = Project::open(project, Access::ReadOnly).unwrap();
    let text = project.document(doc).unwrap().text;
    project
        .spans(doc)
        .unwrap()
        .into_iter()
        .filter(|s| s.annotator == stet::store::GOLD)
        .map(|s| (s.label, chars(&text, s.range)))
        .collect()
}

#[test]
fn compare_mode_steps_through_disagreements_and_review_builds_gold() {
    let setup = setup();
    let doc = two_annotators(&setup);
    let mut harness = app(&setup);
    harness.get_by_label("Compare two annotators").click();
    harness.run();
    harness.get_by_label_contains("2 disagreements, 2 spans agree");
    press(&mut harness, Key::N);
    let first = harness.state().selected_span().unwrap();
    // A colleague's span cannot be relabelled from here, only reviewed.
    press(&mut harness, Key::Num4);
    assert!(harness.state().status_message().1);
    // Reject ben's claim with a comment, accept ana's denial.
    let spans = stored_spans(&setup.project, doc);
    let ben_claim = spans
        .iter()
        .find(|s| s.annotator == "ben" && s.label == "claim")
        .unwrap()
        .id;
    let ana_denial = spans
        .iter()
        .find(|s| s.annotator == "ana" && s.label == "denial")
        .unwrap()
        .id;
    assert!([ben_claim, ana_denial].contains(&first));
    harness
        .state_mut()
        .send(stet::app::Command::SelectSpan(Some(ben_claim)));
    harness.run();
    click_label(&mut harness, "review comment");
    harness.event(Event::Text("they deny it: a denial".into()));
    harness.run();
    click_label(&mut harness, "Reject (R)");
    harness
        .state_mut()
        .send(stet::app::Command::SelectSpan(Some(ana_denial)));
    harness.run();
    press(&mut harness, Key::A);
    let project = Project::open(&setup.project, Access::ReadOnly).unwrap();
    let verdicts = project.verdicts(doc).unwrap();
    let rejected = verdicts.iter().find(|v| v.span_id == ben_claim).unwrap();
    assert_eq!(rejected.comment, "they deny it: a denial");
    assert_eq!(rejected.reviewer, "ana");
    assert_eq!(
        gold_spans(&setup.project, doc),
        [(
            "denial".to_owned(),
            "Russia and Akhmetov have denied".to_owned()
        )]
    );
    click_label(&mut harness, "Accept all where they agree");
    let mut gold = gold_spans(&setup.project, doc);
    gold.sort();
    assert_eq!(
        gold,
        [
            (
                "denial".to_owned(),
                "Russia and Akhmetov have denied".to_owned()
            ),
            ("figure".to_owned(), "about 70,000 troops".to_owned()),
        ]
    );
    assert_eq!(
        project.review_status(doc).unwrap(),
        stet::store::ReviewStatus::InReview
    );
}

#[test]
fn the_agreement_window_shows_scores() {
    let setup = setup();
    two_annotators(&setup);
    let mut harness = app(&setup);
    harness.state_mut().send(stet::app::Command::ShowAgreement);
    for _ in 0..1000 {
        harness.step();
        if harness.query_by_label_contains("ana vs ben").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run_steps(2);
    harness.get_by_label_contains("ana vs ben · 1 document (");
    // Exact F1 over the pair: 1 of 2 spans match on each side, overall and in the document
    // list; figure agrees fully, denial/claim not at all.
    assert!(harness.query_all_by_label("0.500").count() >= 2);
    harness.get_by_label_contains("2 disagreements · exact F1 0.500");
    // Two annotators: Cohen's κ, not Fleiss' (which only repeats it for a pair).
    harness.get_by_label("Cohen κ");
    assert!(harness.query_by_label("Fleiss κ").is_none());
}

#[test]
fn file_export_writes_the_chosen_format_where_the_dialog_says() {
    let setup = setup();
    let out = setup.dir.join("out.csv");
    let dialogs = ScriptedDialogs::new([Picked::Chosen(vec![out.clone()])]);
    let mut harness = app_on(&setup.project, dialogs);
    drag_over(&mut harness, "about 70,000 troops");
    press(&mut harness, Key::Num3);
    file_menu(&mut harness, "Export dataset…");
    harness.run();
    harness.get_by_label("CSV, one row per span").click();
    harness.run();
    harness.get_by_label("Export…").click();
    // The window says what `stet export` says.
    wait_for_status(&mut harness, "Exported 2 documents and 1 span as csv");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with('\u{feff}'), "UTF-8 with BOM");
    assert!(
        csv.contains(",figure,about 70,000 troops,")
            || csv.contains(",figure,\"about 70,000 troops\","),
        "{csv}"
    );
}

#[test]
fn file_merge_brings_a_colleagues_layer_in() {
    let setup = setup();
    // Ben's project: the same newswire article, tagged by ben.
    let (project, _) = bens_project(&setup);
    let theirs = project.path().to_owned();
    drop(project);
    let dialogs = ScriptedDialogs::new([Picked::Chosen(vec![theirs])]);
    let mut harness = app_on(&setup.project, dialogs);
    file_menu(&mut harness, "Merge a colleague's project…");
    wait_for_status(&mut harness, "Merged");
    let (message, _) = harness.state().status_message();
    // The window says what `stet merge` says.
    assert!(
        message.contains("0 documents added; spans: 1 added"),
        "{message}"
    );
    let mine = stored_spans(&setup.project, open_doc(&harness));
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].annotator, "ben");
    assert_eq!(
        chars(harness.state().open_text().unwrap(), mine[0].range),
        "94,300"
    );
    // Ben's layer can now be shown or hidden in the Review section.
    click_label(&mut harness, "Review");
    harness.get_by_label("ben");
}

#[test]
fn a_locked_project_never_freezes_the_window_and_the_edit_lands_when_it_frees() {
    let setup = setup();
    let project = Project::open(&setup.project, Access::ReadWrite).unwrap();
    let app = StetApp::isolated(project, "ana".into(), Box::new(ScriptedDialogs::default()))
        .unwrap()
        .with_edit_wait(Duration::from_millis(60));
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 820.0))
        .with_context_setup(|ctx| ctx.set_fonts(theme::font_definitions(false)))
        .build_ui_state(|ui, app: &mut StetApp| app.ui(ui), app);
    harness.run();
    let doc = open_doc(&harness);
    let range = drag_over(&mut harness, "Kremlin spokesman");
    // Another program (a terminal import, a sync tool) holds the project's write lock.
    let other = rusqlite::Connection::open(&setup.project).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    press(&mut harness, Key::Num1);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the frame waited {:?} for the lock",
        started.elapsed()
    );
    assert!(harness.state().is_saving());
    assert_eq!(harness.state().status_message(), ("saving…", false));
    assert!(stored_spans(&setup.project, doc).is_empty());
    // The lock is released: the tag lands, selected, as if nothing had happened.
    other.execute_batch("COMMIT").unwrap();
    for _ in 0..1000 {
        harness.step();
        if !harness.state().is_saving() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let spans = stored_spans(&setup.project, doc);
    assert_eq!(spans.len(), 1);
    assert_eq!((spans[0].range, spans[0].label.as_str()), (range, "claim"));
    assert_eq!(harness.state().selected_span(), Some(spans[0].id));
    assert!(
        harness
            .state()
            .status_message()
            .0
            .starts_with("Tagged claim")
    );
}

#[test]
fn documents_another_program_imports_appear_in_the_open_window() {
    let setup = setup();
    let mut harness = app(&setup);
    assert_eq!(harness.state().listed_documents().len(), 2);
    // `stet import` in a terminal, while the window is open.
    let article = setup.dir.join("later.txt");
    std::fs::write(
        &article,
        "Later article\n\nIt came in while the window was open.\n",
    )
    .unwrap();
    let mut other = Project::open(&setup.project, Access::ReadWrite).unwrap();
    import_paths(&mut other, &[article], "ben", &mut |_, _| {}).unwrap();
    drop(other);
    harness.step();
    harness.run();
    assert_eq!(harness.state().listed_documents().len(), 3);
    harness.get_by_label("0 of 3 done");
}

/// Tags `needle` with the label key `key` (a fresh selection each time).
fn tag(harness: &mut Harness<'_, StetApp>, needle: &str, key: Key) {
    drag_over(harness, needle);
    press(harness, key);
}

/// Clicks inside the first occurrence of `needle` in the article.
fn click_text(harness: &mut Harness<'_, StetApp>, needle: &str) {
    let at = offset_of(harness, needle) + 1;
    let pos = rect_of(harness, at).center();
    click_at(harness, pos, 1);
}

#[test]
fn l_links_a_quote_to_its_source_and_v_cycles_a_claims_verdict() {
    let setup = setup();
    let mut harness = app(&setup);
    let doc = open_doc(&harness);
    tag(
        &mut harness,
        "the presidents will decide themselves",
        Key::Num2,
    );
    let quote = harness.state().selected_span().unwrap();
    tag(&mut harness, "Dmitry Peskov", Key::Num5);
    let source = harness.state().selected_span().unwrap();

    // Select the quote, press L, click the source: said_by is the one kind that fits.
    click_text(&mut harness, "presidents will decide");
    assert_eq!(harness.state().selected_span(), Some(quote));
    press(&mut harness, Key::L);
    click_text(&mut harness, "Dmitry Peskov");
    let project = Project::open(&setup.project, Access::ReadOnly).unwrap();
    let relations = project.relations(doc).unwrap();
    assert_eq!(relations.len(), 1);
    assert_eq!(
        (
            relations[0].kind.as_str(),
            relations[0].from,
            relations[0].to
        ),
        ("said_by", quote, source)
    );
    // The quote's details list the link by its source's words.
    click_text(&mut harness, "presidents will decide");
    harness.get_by_label("said by: Dmitry Peskov");
    // Ctrl+Z takes the link back.
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    assert!(project.relations(doc).unwrap().is_empty());

    // A claim's verdict: V gives the first value, then the next.
    tag(
        &mut harness,
        "Russia has massed about 70,000 troops",
        Key::Num1,
    );
    let claim = harness.state().selected_span().unwrap();
    press(&mut harness, Key::V);
    press(&mut harness, Key::V);
    let verdict = |p: &Project| p.span(claim).unwrap().attributes.get("verdict").cloned();
    assert_eq!(verdict(&project).as_deref(), Some("true"));
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(verdict(&project).as_deref(), Some("unverified"));
    // A click on a value sets it; the span list shows it.
    click_label(&mut harness, "misleading");
    assert_eq!(verdict(&project).as_deref(), Some("misleading"));
    harness.get_by_label_contains("claim (misleading)");
}

#[test]
fn a_suggestion_is_accepted_with_enter_and_rejected_with_delete_for_good() {
    let setup = setup();
    let harness = app(&setup);
    let doc = open_doc(&harness);
    let peskov = offset_of(&harness, "Peskov");
    let troops = offset_of(&harness, "about 70,000 troops");
    drop(harness);
    let proposals = [
        SuggestedSpan {
            range: CharRange::new(peskov, peskov + 6),
            label: "source".into(),
        },
        SuggestedSpan {
            range: CharRange::new(troops, troops + "about 70,000 troops".len()),
            label: "figure".into(),
        },
    ];
    let added = suggest(&setup.project, doc, &proposals);
    assert_eq!(added.added.values().sum::<usize>(), 2);

    let mut harness = app(&setup);
    assert_eq!(open_doc(&harness), doc);
    // Clicking the suggestion selects it; Enter makes it the analyst's own span.
    let at = rect_of(&harness, peskov + 2).center();
    click_at(&mut harness, at, 1);
    press(&mut harness, Key::Enter);
    let spans = stored_spans(&setup.project, doc);
    let own: Vec<&Span> = spans.iter().filter(|s| s.annotator == "ana").collect();
    assert_eq!(own.len(), 1, "{spans:?}");
    assert_eq!(own[0].range, CharRange::new(peskov, peskov + 6));
    assert_eq!(own[0].label, "source");
    assert_eq!(own[0].origin, Origin::Manual);
    assert!(
        spans
            .iter()
            .all(|s| s.range != own[0].range || s.origin != Origin::Suggested)
    );

    // Delete on a suggestion rejects it: gone, and not proposed again.
    let at = rect_of(&harness, troops + 8).center();
    click_at(&mut harness, at, 1);
    press(&mut harness, Key::Delete);
    let spans = stored_spans(&setup.project, doc);
    assert!(
        spans.iter().all(|s| s.origin != Origin::Suggested),
        "{spans:?}"
    );
    let (message, _) = harness.state().status_message();
    assert!(message.contains("will not be proposed again"), "{message}");
    drop(harness);
    let again = suggest(&setup.project, doc, &proposals[1..]);
    assert_eq!(
        (again.added.values().sum::<usize>(), again.skipped_rejected),
        (0, 1)
    );
}

#[test]
fn rejecting_a_suggestion_is_undone_with_ctrl_z_and_redone() {
    let setup = setup();
    let harness = app(&setup);
    let doc = open_doc(&harness);
    let troops = offset_of(&harness, "about 70,000 troops");
    drop(harness);
    let proposal = [SuggestedSpan {
        range: CharRange::new(troops, troops + "about 70,000 troops".len()),
        label: "figure".into(),
    }];
    suggest(&setup.project, doc, &proposal);
    let suggested = |project: &std::path::Path| {
        stored_spans(project, doc)
            .into_iter()
            .filter(|s| s.origin == Origin::Suggested)
            .count()
    };
    let mut harness = app(&setup);
    let at = rect_of(&harness, troops + 8).center();
    click_at(&mut harness, at, 1);
    press(&mut harness, Key::Delete);
    assert_eq!(suggested(&setup.project), 0);
    // Undo puts it back and forgets the rejection; redo rejects it again.
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(suggested(&setup.project), 1);
    press_with(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(suggested(&setup.project), 0);
    press_with(&mut harness, Modifiers::COMMAND, Key::Z);
    drop(harness);
    // Undone, the rejection is forgotten: the recogniser may propose the span again.
    let again = suggest(&setup.project, doc, &proposal);
    assert_eq!(again.skipped_rejected, 0);
    assert_eq!(
        suggested(&setup.project),
        1,
        "the restored suggestion, not a second one"
    );
}

#[test]
fn edit_suggest_proposes_figures_and_quotes_in_the_background_as_nobodys_tags() {
    let setup = setup();
    let mut harness = app(&setup);
    let doc = open_doc(&harness);
    menu(&mut harness, "Edit", "Suggest tags for this document");
    wait_for_status(&mut harness, "Suggested");
    let (message, is_error) = harness.state().status_message();
    assert!(!is_error, "{message}");
    let spans = stored_spans(&setup.project, doc);
    let text = harness.state().open_text().unwrap().to_owned();
    let suggested: Vec<(String, String)> = spans
        .iter()
        .filter(|s| s.origin == Origin::Suggested)
        .map(|s| (s.label.clone(), chars(&text, s.range)))
        .collect();
    assert!(
        suggested.contains(&("figure".into(), "about 70,000 troops".into())),
        "{suggested:?}"
    );
    assert!(
        suggested.iter().any(|(label, _)| label == "quote"),
        "{suggested:?}"
    );
    // Nobody's tags: every suggestion is in the stet layer, none in the analyst's.
    assert!(spans.iter().all(|s| s.annotator != "ana"));
    // Asking again proposes nothing new.
    menu(&mut harness, "Edit", "Suggest tags for this document");
    wait_for_status(&mut harness, "No new suggestions");
    assert_eq!(stored_spans(&setup.project, doc).len(), spans.len());
}

#[test]
fn accept_all_suggested_figures_makes_each_the_analysts_own() {
    let setup = setup();
    let mut harness = app(&setup);
    let doc = open_doc(&harness);
    menu(&mut harness, "Edit", "Suggest tags for this document");
    wait_for_status(&mut harness, "Suggested");
    let figures = |project: &Path, origin: Origin| {
        stored_spans(project, doc)
            .into_iter()
            .filter(|s| s.label == "figure" && s.origin == origin)
            .map(|s| s.range)
            .collect::<Vec<_>>()
    };
    let before = figures(&setup.project, Origin::Suggested);
    assert!(before.len() >= 2, "{before:?}");
    let item = format!("Accept all suggested: figure ({})", before.len());
    menu(&mut harness, "Edit", &item);
    harness.run();
    assert!(figures(&setup.project, Origin::Suggested).is_empty());
    let mut own = figures(&setup.project, Origin::Manual);
    own.sort_by_key(|r| r.start);
    let mut expected = before.clone();
    expected.sort_by_key(|r| r.start);
    assert_eq!(own, expected);
}

#[test]
fn a_label_key_on_a_suggestion_of_another_label_tags_the_range_with_that_label() {
    let setup = setup();
    let harness = app(&setup);
    let doc = open_doc(&harness);
    let troops = offset_of(&harness, "about 70,000 troops");
    drop(harness);
    let range = CharRange::new(troops, troops + "about 70,000 troops".len());
    let proposal = [SuggestedSpan {
        range,
        label: "figure".into(),
    }];
    suggest(&setup.project, doc, &proposal);

    let mut harness = app(&setup);
    let at = rect_of(&harness, troops + 8).center();
    click_at(&mut harness, at, 1);
    press(&mut harness, Key::Num1);
    let spans = stored_spans(&setup.project, doc);
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert_eq!(
        (
            spans[0].annotator.as_str(),
            spans[0].range,
            spans[0].label.as_str()
        ),
        ("ana", range, "claim")
    );
    drop(harness);
    // The figure suggestion there was rejected: it is not proposed again.
    let again = suggest(&setup.project, doc, &proposal);
    assert_eq!(again.skipped_rejected, 1);
}
