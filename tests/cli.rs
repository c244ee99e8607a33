//! The command line as users script it: import, export, docs, stats, and bad input.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use serde_json::Value;

const NEWSWIRE: &str = "tests/fixtures/ingest/newswire.txt";

#[path = "common/cli.rs"]
mod cli;

use cli::{records, stdout_of, stet};

fn import(project: &Path, paths: &[&Path]) -> assert_cmd::assert::Assert {
    let mut cmd = stet();
    cmd.arg("import").arg("--project").arg(project);
    for path in paths {
        cmd.arg(path);
    }
    cmd.assert()
}

fn export_jsonl(project: &Path) -> Vec<u8> {
    stdout_of(
        stet()
            .args(["export", "--format", "jsonl", "--project"])
            .arg(project),
    )
}

/// `stet agree --format json` between `annotators` (comma-separated), parsed.
fn agree_json(project: &Path, annotators: &str) -> Value {
    let stdout = stdout_of(
        stet()
            .args([
                "agree",
                "--format",
                "json",
                "--annotators",
                annotators,
                "--project",
            ])
            .arg(project),
    );
    serde_json::from_slice(&stdout).unwrap()
}

/// `text[start:end]` as Python would slice it: by code points.
fn chars(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

#[test]
fn newswire_article_exports_as_one_clean_record() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("news.stet");
    import(&project, &[Path::new(NEWSWIRE)])
        .success()
        .stdout(predicates::str::contains("imported 1 document"));
    let records = records(&export_jsonl(&project));
    assert_eq!(records.len(), 1);
    let record = &records[0];
    let title = "Biden and Putin to hold video call on Tuesday on Ukraine";
    assert_eq!(record["title"], title);
    let text = record["text"].as_str().unwrap();
    assert!(text.starts_with(&format!("{title}\n\nPresident Joe Biden")));
    assert_eq!(text.matches(title).count(), 1, "the headline appears once");
    for trailer in ["\nEND", "endNewsMessage1", "Comments", "News code"] {
        assert!(!text.contains(trailer), "{trailer:?} leaked into the text");
    }
    assert!(text.ends_with("take action in short order.”"));
    assert_eq!(record["meta"]["news_code"], "۱۱۶۵۳۸۱");
    assert_eq!(record["meta"]["news_code_ascii"], "1165381");
    assert_eq!(record["meta"]["source"], NEWSWIRE);
    assert_eq!(record["id"].as_str().unwrap().len(), 32);
}

/// A JSONL dataset with emoji, combining marks, Persian digits and curly quotes.
fn tricky_jsonl() -> String {
    let texts = [
        "Peskov said “the presidents will decide themselves” 😀 how long it lasts.",
        "Cafe\u{301} owners 👩‍👩‍👧 claim costs rose ۱۲ percent, about 70,000 euros.",
        "Russia and Akhmetov have denied that any plot is under way.",
    ];
    let find = |text: &str, needle: &str| {
        let byte = text.find(needle).unwrap();
        let start = text[..byte].chars().count();
        (start, start + needle.chars().count())
    };
    let spans: Vec<Vec<(&str, &str, &str)>> = vec![
        vec![
            ("“the presidents will decide themselves”", "quote", "ana"),
            (
                "Peskov said “the presidents will decide themselves”",
                "claim",
                "ben",
            ),
            ("how long", "claim", "ana"),
        ],
        vec![
            ("Cafe\u{301} owners", "claim", "ana"),
            ("۱۲ percent", "figure", "ana"),
            ("about 70,000 euros", "figure", "ben"),
        ],
        vec![(
            "Russia and Akhmetov have denied that any plot is under way",
            "denial",
            "ana",
        )],
    ];
    texts
        .iter()
        .zip(spans)
        .map(|(text, spans)| {
            let spans: Vec<Value> = spans
                .iter()
                .map(|(needle, label, who)| {
                    let (start, end) = find(text, needle);
                    serde_json::json!({"start": start, "end": end, "label": label, "annotator": who})
                })
                .collect();
            serde_json::json!({"text": text, "spans": spans}).to_string() + "\n"
        })
        .collect()
}

fn span_set(records: &[Value]) -> Vec<(String, u64, u64, String, String, String)> {
    let mut all = Vec::new();
    for record in records {
        let text = record["text"].as_str().unwrap();
        for span in record["spans"].as_array().unwrap() {
            let (start, end) = (
                span["start"].as_u64().unwrap(),
                span["end"].as_u64().unwrap(),
            );
            let covered = chars(text, start, end);
            assert_eq!(
                span["text"].as_str().unwrap(),
                covered,
                "span text is text[start:end]"
            );
            all.push((
                text.to_owned(),
                start,
                end,
                span["label"].as_str().unwrap().to_owned(),
                span["annotator"].as_str().unwrap().to_owned(),
                covered,
            ));
        }
    }
    all.sort();
    all
}

#[test]
fn jsonl_round_trips_through_a_fresh_project_with_identical_spans() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("tricky.jsonl");
    std::fs::write(&source, tricky_jsonl()).unwrap();
    let first = dir.path().join("first.stet");
    import(&first, &[&source]).success();
    let exported = export_jsonl(&first);

    let again = dir.path().join("again.jsonl");
    std::fs::write(&again, &exported).unwrap();
    let second = dir.path().join("second.stet");
    import(&second, &[&again]).success();
    let re_exported = export_jsonl(&second);

    let original: Vec<Value> = tricky_jsonl()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (a, b) = (records(&exported), records(&re_exported));
    assert_eq!(a.len(), 3);
    let texts = |r: &[Value]| r.iter().map(|r| r["text"].clone()).collect::<Vec<_>>();
    assert_eq!(texts(&a), texts(&original));
    assert_eq!(texts(&a), texts(&b));
    assert_eq!(span_set(&a).len(), 7);
    assert_eq!(span_set(&a), span_set(&b));
    // The spans are exactly the ones we wrote, by code point.
    let covered: Vec<String> = span_set(&a).into_iter().map(|s| s.5).collect();
    assert!(covered.contains(&"۱۲ percent".to_owned()));
    assert!(covered.contains(&"Cafe\u{301} owners".to_owned()));
    assert!(covered.contains(&"“the presidents will decide themselves”".to_owned()));
}

#[test]
fn two_exports_of_the_same_project_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("tricky.jsonl");
    std::fs::write(&source, tricky_jsonl()).unwrap();
    let project = dir.path().join("p.stet");
    import(&project, &[&source, Path::new(NEWSWIRE)]).success();
    let out = dir.path().join("out.jsonl");
    for _ in 0..2 {
        stet()
            .args(["export", "--format", "jsonl", "--project"])
            .arg(&project)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
    }
    let file = std::fs::read(&out).unwrap();
    assert_eq!(file, export_jsonl(&project));
    assert_eq!(records(&file).len(), 4);
}

#[test]
fn importing_the_same_text_twice_reports_it_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.stet");
    import(&project, &[Path::new(NEWSWIRE)]).success();
    import(&project, &[Path::new(NEWSWIRE)])
        .success()
        .stdout(predicates::str::contains(
            "imported 0 documents and 0 spans; 1 already in the project (skipped)",
        ));
    assert_eq!(records(&export_jsonl(&project)).len(), 1);
}

struct BadInputs {
    _dir: tempfile::TempDir,
    good: PathBuf,
    bad: Vec<(PathBuf, &'static str)>,
}

/// One good article and every kind of bad input, with the message each must produce.
fn bad_inputs() -> BadInputs {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    let good = p("good.txt");
    std::fs::write(&good, "A good article\n\nIt says something.\n").unwrap();
    let mut bad = Vec::new();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(7u8, 64));
    std::fs::write(p("photo.txt"), png).unwrap();
    bad.push((p("photo.txt"), "binary"));
    std::fs::write(p("empty.txt"), b"").unwrap();
    bad.push((p("empty.txt"), "the file is empty"));
    std::fs::write(
        p("garbage.txt"),
        [0x81u8, 0x8d, 0x8f, 0x90, 0x9d, 0x81, 0x8d, 0x8f],
    )
    .unwrap();
    bad.push((p("garbage.txt"), "is not text in any encoding"));
    std::fs::write(p("notjson.jsonl"), "{\"text\": \"fine\"}\n{not json}\n").unwrap();
    bad.push((p("notjson.jsonl"), ":2: not valid JSON"));
    std::fs::write(
        p("range.jsonl"),
        "{\"text\": \"short\", \"spans\": [{\"start\": 2, \"end\": 9, \"label\": \"claim\"}]}\n",
    )
    .unwrap();
    bad.push((p("range.jsonl"), ":1: span 1 (2..9) runs past the end"));
    std::fs::write(
        p("reversed.jsonl"),
        "{\"text\": \"short text\", \"spans\": [{\"start\": 6, \"end\": 2, \"label\": \"claim\"}]}\n",
    )
    .unwrap();
    bad.push((p("reversed.jsonl"), ":1: span 1 (6..2) is reversed"));
    std::fs::write(
        p("label.jsonl"),
        "{\"text\": \"first\"}\n{\"text\": \"short text\", \"label\": [[0, 5, \"rumour\"]]}\n",
    )
    .unwrap();
    bad.push((
        p("label.jsonl"),
        ":2: span 1: label \"rumour\" is not in the project's scheme (claim, quote, figure, denial, source)",
    ));
    bad.push((p("missing.txt"), "no such file or folder"));
    BadInputs {
        _dir: dir,
        good,
        bad,
    }
}

#[test]
fn bad_files_are_refused_one_line_each_while_good_ones_import() {
    let inputs = bad_inputs();
    let project = inputs._dir.path().join("p.stet");
    let mut paths: Vec<&Path> = inputs.bad.iter().map(|(p, _)| p.as_path()).collect();
    paths.push(&inputs.good);
    let output = {
        let mut cmd = stet();
        cmd.arg("import")
            .arg("--project")
            .arg(&project)
            .args(&paths);
        cmd.output().unwrap()
    };
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        inputs.bad.len(),
        "one line per bad file:\n{stderr}"
    );
    for (path, message) in &inputs.bad {
        let line = lines
            .iter()
            .find(|l| l.contains(&*path.display().to_string()))
            .unwrap_or_else(|| panic!("no error names {}:\n{stderr}", path.display()));
        assert!(line.starts_with("stet: error: "), "{line}");
        assert!(line.contains(message), "{line} should say {message:?}");
    }
    assert!(!stderr.contains("panicked"));
    // Only the good article went in: nothing of the bad files, not even the good first
    // line of a JSONL file whose second line is bad.
    let records = records(&export_jsonl(&project));
    let titles: Vec<&str> = records
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["A good article"]);
}

#[test]
fn a_folder_is_imported_recursively_and_unknown_types_are_noted() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(corpus.join("2021/december")).unwrap();
    std::fs::write(corpus.join("a.md"), "# First\n\nBody one.\n").unwrap();
    std::fs::write(
        corpus.join("2021/december/b.html"),
        "<html><head><title>Second</title></head><body><p>Body &amp; two.</p></body></html>",
    )
    .unwrap();
    std::fs::write(corpus.join("2021/notes.pdf"), "%PDF-1.4").unwrap();
    let project = dir.path().join("p.stet");
    import(&project, &[&corpus])
        .success()
        .stderr(predicates::str::contains("notes.pdf: skipped"));
    let records = records(&export_jsonl(&project));
    let mut titles: Vec<&str> = records
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    titles.sort();
    assert_eq!(titles, ["First", "Second"]);
    let html = records.iter().find(|r| r["title"] == "Second").unwrap();
    assert_eq!(html["text"], "Body & two.");
}

#[test]
fn a_project_path_that_is_not_a_project_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("notes.stet");
    std::fs::write(&project, "my notes\n").unwrap();
    let output = stet()
        .arg("import")
        .arg("--project")
        .arg(&project)
        .arg(NEWSWIRE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        format!(
            "stet: {}: not a stet project (not an SQLite file); left untouched\n",
            project.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&project).unwrap(), "my notes\n");
}

#[test]
fn exporting_a_missing_project_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("nope.stet");
    stet()
        .args(["export", "--format", "jsonl", "--project"])
        .arg(&project)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no such project"));
    assert!(!project.exists());
}

#[test]
fn a_failed_export_leaves_no_half_file() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.stet");
    import(&project, &[Path::new(NEWSWIRE)]).success();
    let out = dir.path().join("no-such-folder/out.jsonl");
    stet()
        .args(["export", "--format", "jsonl", "--project"])
        .arg(&project)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("out.jsonl"));
    assert!(!out.exists());
}

#[test]
fn docs_and_stats_describe_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("tricky.jsonl");
    std::fs::write(&source, tricky_jsonl()).unwrap();
    let project = dir.path().join("p.stet");
    import(&project, &[&source]).success();
    let docs = stet()
        .arg("docs")
        .arg("--project")
        .arg(&project)
        .output()
        .unwrap();
    let docs = String::from_utf8(docs.stdout).unwrap();
    assert_eq!(docs.lines().count(), 4, "{docs}");
    assert!(docs.contains("Peskov said “the presidents"));
    let stats = stet()
        .arg("stats")
        .env("STET_PROJECT", &project)
        .output()
        .unwrap();
    let stats = String::from_utf8(stats.stdout).unwrap();
    assert!(stats.contains("documents  3"), "{stats}");
    assert!(stats.contains("spans      7"), "{stats}");
    let figure = stats.lines().find(|l| l.starts_with("figure")).unwrap();
    assert!(figure.ends_with(" 2"), "{figure}");
    let ben = stats.lines().find(|l| l.starts_with("ben")).unwrap();
    assert!(ben.split_whitespace().nth(1) == Some("2"), "{ben}");
}

#[test]
fn agree_prints_krippendorffs_worked_example_as_json() {
    // Krippendorff (2004), "Measuring the reliability of qualitative text analysis data":
    // a continuum of 300 positions, coders A and B, categories c and k, units given as
    // (begin, length). DKPro Statistics computes α_u ≈ 0.859 overall, 0.729 for c, 1 for k.
    let dir = tempfile::tempdir().unwrap();
    let scheme = dir.path().join("ck.ron");
    std::fs::write(
        &scheme,
        "(name: \"ck\", labels: [(name: \"c\", color: \"#aa0000\"), (name: \"k\", color: \"#0000aa\")])",
    )
    .unwrap();
    let units = |list: &[(&str, &str, u64, u64)]| -> Vec<Value> {
        list.iter()
            .map(|(who, label, begin, length)| {
                serde_json::json!({"start": begin, "end": begin + length, "label": label, "annotator": who})
            })
            .collect()
    };
    let spans = units(&[
        ("a", "c", 75, 70),
        ("a", "c", 220, 30),
        ("b", "c", 70, 80),
        ("b", "c", 205, 20),
        ("b", "c", 250, 20),
        ("a", "k", 30, 60),
        ("a", "k", 150, 50),
        ("b", "k", 30, 60),
        ("b", "k", 150, 50),
    ]);
    let text = "x".repeat(299) + ".";
    let jsonl = dir.path().join("units.jsonl");
    std::fs::write(
        &jsonl,
        serde_json::json!({"text": text, "spans": spans}).to_string() + "\n",
    )
    .unwrap();
    let project = dir.path().join("p.stet");
    stet()
        .arg("import")
        .arg("--project")
        .arg(&project)
        .arg("--scheme")
        .arg(&scheme)
        .arg(&jsonl)
        .assert()
        .success();
    let report = agree_json(&project, "a,b");
    assert_eq!(report["annotators"], serde_json::json!(["a", "b"]));
    let alpha = |v: &Value| (v.as_f64().unwrap() * 1000.0).round() / 1000.0;
    assert_eq!(alpha(&report["overall"]["alpha_u"]), 0.859);
    assert_eq!(alpha(&report["labels"]["c"]["alpha_u"]), 0.729);
    assert_eq!(alpha(&report["labels"]["k"]["alpha_u"]), 1.0);
    assert_eq!(report["labels"]["k"]["exact_f1"].as_f64(), Some(1.0));
    assert!(report["documents"].is_array());
    // An annotator with no work is a clear error.
    stet()
        .args(["agree", "--annotators", "a,zed", "--project"])
        .arg(&project)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "\"zed\" has no work in this project",
        ));
}

#[test]
fn export_gold_writes_only_the_adjudicated_layer() {
    use stet::model::{CharRange, LabelScheme};
    use stet::store::{NewDocument, Project};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.stet");
    let text = "Officials denied that 70,000 troops had massed.";
    let mut project = Project::create(&path, &LabelScheme::newsroom()).unwrap();
    let doc = project
        .add_document(&NewDocument {
            title: "t".into(),
            text: text.into(),
            source: "t.txt".into(),
            format: "text".into(),
            ..NewDocument::default()
        })
        .unwrap()
        .document_id;
    let figure = project
        .add_span("ana", doc, CharRange::new(22, 35), "figure", "")
        .unwrap();
    project
        .add_span("ben", doc, CharRange::new(0, 16), "claim", "")
        .unwrap();
    project.accept_span("rita", figure.id, "").unwrap();
    drop(project);
    let stdout = stdout_of(
        stet()
            .args(["export", "--format", "jsonl", "--gold", "--project"])
            .arg(&path),
    );
    let records = records(&stdout);
    let spans = records[0]["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0]["annotator"], "gold");
    assert_eq!(spans[0]["text"], "70,000 troops");
    assert_eq!(spans[0]["label"], "figure");
    // --gold and --annotator contradict each other.
    stet()
        .args([
            "export",
            "--format",
            "jsonl",
            "--gold",
            "--annotator",
            "ana",
            "--project",
        ])
        .arg(&path)
        .assert()
        .code(2);
}

#[test]
fn commands_creating_the_same_project_at_once_all_succeed_into_one_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("new.stet");
    let children: Vec<_> = (0..6)
        .map(|i| {
            let article = dir.path().join(format!("a{i}.txt"));
            std::fs::write(&article, format!("Article {i}\n\nBody number {i}.\n")).unwrap();
            std::process::Command::new(assert_cmd::cargo::cargo_bin("stet"))
                .env_remove("STET_PROJECT")
                .env("STET_ANNOTATOR", "ana")
                .arg("import")
                .arg("--project")
                .arg(&project)
                .arg(&article)
                .output_async()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let records = records(&export_jsonl(&project));
    assert_eq!(records.len(), 6);
    // Nothing half-built is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".creating"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

/// Starting a child process with its output captured, without waiting for it.
trait OutputAsync {
    fn output_async(&mut self) -> std::process::Child;
}

impl OutputAsync for std::process::Command {
    fn output_async(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }
}

#[test]
fn a_damaged_project_is_refused_for_writing_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("team.stet");
    import(&project, &[Path::new(NEWSWIRE)]).success();
    // A disk error scribbles over the headers of the pages after the first.
    let mut bytes = std::fs::read(&project).unwrap();
    assert!(bytes.len() > 3 * 4096, "the project has several pages");
    for page in bytes.chunks_mut(4096).skip(1) {
        for b in &mut page[..12] {
            *b = 0xA5;
        }
    }
    std::fs::write(&project, &bytes).unwrap();
    let article = dir.path().join("more.txt");
    std::fs::write(&article, "More\n\nAnother article.\n").unwrap();
    let output = stet()
        .arg("import")
        .arg("--project")
        .arg(&project)
        .arg(&article)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("damaged"), "{stderr}");
    assert!(stderr.contains(&project.display().to_string()), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert_eq!(
        std::fs::read(&project).unwrap(),
        bytes,
        "the file was written to"
    );
}

#[test]
fn a_project_whose_folder_cannot_take_sqlites_index_file_is_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("team.stet");
    import(&project, &[Path::new(NEWSWIRE)]).success();
    let colleague = dir.path().join("colleague.stet");
    stet()
        .args(["copy", "--project"])
        .arg(&project)
        .arg(&colleague)
        .assert()
        .success();
    // As in a read-only folder (which root, who runs CI, cannot make): SQLite cannot create
    // the shared-memory file beside the colleague's project.
    std::fs::create_dir(dir.path().join("colleague.stet-shm")).unwrap();
    stet()
        .args(["stats", "--project"])
        .arg(&colleague)
        .assert()
        .success()
        .stdout(predicates::str::contains("documents  1"));
    assert_eq!(records(&export_jsonl(&colleague)).len(), 1);
    stet()
        .args(["merge", "--project"])
        .arg(&project)
        .arg(&colleague)
        .assert()
        .success();
}

#[test]
fn agree_scores_relations_and_verdicts_against_hand_counts() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Peskov said “no plans”. Troops massed near Kyiv. Talks failed on Friday.";
    let at = |needle: &str| {
        let start = text[..text.find(needle).unwrap()].chars().count();
        (start, start + needle.chars().count())
    };
    let span = |id: &str, who: &str, needle: &str, label: &str, verdict: Option<&str>| {
        let (start, end) = at(needle);
        let attributes = match verdict {
            Some(v) => serde_json::json!({"verdict": v}),
            None => serde_json::json!({}),
        };
        serde_json::json!({"id": id, "start": start, "end": end, "label": label,
                           "annotator": who, "attributes": attributes})
    };
    let link =
        |from: &str, to: &str| serde_json::json!({"type": "said_by", "from": from, "to": to});
    let record = serde_json::json!({
        "text": text,
        "spans": [
            span("aq", "ana", "“no plans”", "quote", None),
            span("ap", "ana", "Peskov", "source", None),
            span("a1", "ana", "Troops massed near Kyiv", "claim", Some("false")),
            span("a2", "ana", "Talks failed on Friday", "claim", Some("true")),
            span("bq", "ben", "“no plans”", "quote", None),
            span("bp", "ben", "Peskov", "source", None),
            span("b1", "ben", "Troops massed near Kyiv", "claim", Some("false")),
            span("b2", "ben", "Talks failed on Friday", "claim", Some("false")),
        ],
        // Both link the quote to Peskov; ana links her first claim, ben his second.
        "relations": [link("aq", "ap"), link("a1", "ap"), link("bq", "bp"), link("b2", "bp")],
    });
    let jsonl = dir.path().join("two.jsonl");
    std::fs::write(&jsonl, record.to_string() + "\n").unwrap();
    let project = dir.path().join("p.stet");
    import(&project, &[&jsonl]).success();
    let report = agree_json(&project, "ana,ben");
    // Relations: 1 match, 2 each: P = R = F1 = 1/2.
    let relations = &report["relations"];
    assert_eq!(relations["matches"], 1);
    for metric in ["exact_f1", "precision", "recall"] {
        assert_eq!(relations[metric], 0.5, "{metric}: {relations}");
    }
    // Verdicts on the two claims both tagged: one equal, so agreement 1/2; ana false/true,
    // ben false/false: p_o = 1/2, p_e = 1/2·1 + 1/2·0 = 1/2, κ = 0.
    let verdict = &report["attributes"]["claim.verdict"];
    assert_eq!(verdict["n"], 2);
    assert_eq!(verdict["agreement"], 0.5);
    assert_eq!(verdict["cohen_kappa"], 0.0);
    let table = stet()
        .args(["agree", "--annotators", "ana,ben", "--project"])
        .arg(&project)
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.contains("relations: exact F1 0.500  precision 0.500  recall 0.500  (1 matching)"),
        "{table}"
    );
    assert!(
        table.contains("claim.verdict: agreement 0.500  κ Cohen 0.000  over 2 spans tagged alike"),
        "{table}"
    );
}

#[test]
fn a_mistyped_subcommand_is_an_error_not_a_file_to_open() {
    let out = stet().arg("sugest").assert().failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("unknown subcommand `sugest`") && stderr.contains("suggest"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    let out = stet().arg("missing/article.txt").assert().failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("missing/article.txt: no such file or folder"),
        "{stderr}"
    );
}
