//! Reading other tools' files: real samples from brat, INCEpTION, CoNLL corpora, Prodigy and
//! Label Studio (tests/data/readers, each with its licence and SOURCES.md), and every format
//! stet writes read back into a fresh project.
//!
//! The counts a test expects come from `expected.json` beside each sample, made by a Python
//! script that reads the files on its own (tests/data/readers/compute_expected.py); every
//! span's text is checked against what the source file says it covers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/cli.rs"]
mod cli;
#[path = "common/export_fixture.rs"]
mod fixture;
#[path = "common/needs.rs"]
mod needs;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cli::{records, stdout_of, stet};
use serde_json::Value;

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/readers")
        .join(path)
}

fn expected(folder: &str) -> Value {
    let text = std::fs::read_to_string(data(folder).join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `stet import --add-labels` of `paths` into a new project; returns (stdout, stderr).
fn import(project: &Path, paths: &[PathBuf], extra: &[&str]) -> (String, String, bool) {
    let output = stet()
        .arg("import")
        .arg("--project")
        .arg(project)
        .args(extra)
        .args(paths)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.success(),
    )
}

fn export_jsonl(project: &Path) -> Vec<Value> {
    records(&stdout_of(
        stet()
            .args(["export", "--format", "jsonl", "--project"])
            .arg(project),
    ))
}

/// A span's covered text, by code points.
fn covered(record: &Value, span: &Value) -> String {
    let text = record["text"].as_str().unwrap();
    let (start, end) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    text.chars().skip(start).take(end - start).collect()
}

/// Every record's spans as (label, covered text), counted.
fn label_texts(records: &[Value]) -> BTreeMap<(String, String), usize> {
    let mut all = BTreeMap::new();
    for record in records {
        for span in record["spans"].as_array().unwrap() {
            let key = (
                span["label"].as_str().unwrap().to_owned(),
                covered(record, span),
            );
            *all.entry(key).or_default() += 1;
        }
    }
    all
}

/// A record's spans as (start, end, label, covered text), in the record's order.
fn located(record: &Value) -> Vec<(u64, u64, String, String)> {
    record["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["start"].as_u64().unwrap(),
                s["end"].as_u64().unwrap(),
                s["label"].as_str().unwrap().to_owned(),
                covered(record, s),
            )
        })
        .collect()
}

fn span_count(records: &[Value]) -> usize {
    records
        .iter()
        .map(|r| r["spans"].as_array().unwrap().len())
        .sum()
}

#[test]
fn a_brat_corpus_folder_comes_in_with_its_spans_relations_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.stet");
    let folder = data("brat/news-tutorial");
    // Without --add-labels the files are refused, and the error says how to bring them in.
    let (_, stderr, ok) = import(&project, std::slice::from_ref(&folder), &[]);
    assert!(!ok, "a refused file is exit status 1");
    assert!(
        stderr.contains("label \"Organization\" is not in the project's scheme")
            && stderr.contains("import with --add-labels"),
        "{stderr}"
    );
    let fresh = dir.path().join("q.stet");
    let (stdout, stderr, ok) = import(&fresh, std::slice::from_ref(&folder), &["--add-labels"]);
    assert!(ok, "{stderr}");
    let want = &expected("brat")["news-tutorial"];
    let totals = &want["totals"];
    assert!(
        stdout.contains(&format!(
            "imported {} documents, {} spans and {} relations",
            want["documents"], totals["T_continuous"], totals["R"]
        )),
        "{stdout}"
    );
    // The .conf files are brat's, read with the corpus, not skipped as unknown; the licence
    // file beside them is.
    assert!(
        stdout.contains("1 file of types stet does not read skipped"),
        "{stdout}"
    );
    // What stet cannot hold is counted per file.
    assert!(
        stderr.contains("100-attribute_annotation.ann: left out what stet cannot hold: 10 events"),
        "{stderr}"
    );
    // The corpus's annotation.conf gives its entity types, visual.conf their colours.
    let scheme = stet::store::Project::open(&fresh, stet::store::Access::ReadOnly)
        .unwrap()
        .scheme()
        .unwrap();
    for entity in want["annotation_conf_entity_labels"].as_array().unwrap() {
        assert!(scheme.label(entity.as_str().unwrap()).is_some(), "{entity}");
    }
    assert_eq!(scheme.label("Person").unwrap().color, "#ff821c");
    assert_eq!(scheme.label("Money").unwrap().color, "#007000");
    let records = export_jsonl(&fresh);
    assert_eq!(records.len(), 13);
    // Each span covers exactly what its T line says, and the labels are the file's.
    let mut from_files: BTreeMap<(String, String), usize> = BTreeMap::new();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ann") {
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                let columns: Vec<&str> = line.split('\t').collect();
                if line.starts_with('T') {
                    let label = columns[1].split(' ').next().unwrap().to_owned();
                    *from_files
                        .entry((label, columns[2].to_owned()))
                        .or_default() += 1;
                }
            }
        }
    }
    assert_eq!(label_texts(&records), from_files);
    let notes: Vec<&str> = records
        .iter()
        .flat_map(|r| r["spans"].as_array().unwrap())
        .filter_map(|s| s["note"].as_str().filter(|n| !n.is_empty()))
        .collect();
    assert!(!notes.is_empty(), "AnnotatorNotes become notes");
    let relations: usize = records
        .iter()
        .map(|r| r["relations"].as_array().unwrap().len())
        .sum();
    assert_eq!(relations, totals["R"].as_u64().unwrap() as usize);
}

#[test]
fn discontinuous_brat_spans_and_events_are_counted_not_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.stet");
    let (stdout, stderr, ok) = import(&project, &[data("brat/dkpro")], &["--add-labels"]);
    assert!(ok, "{stderr}");
    // document0d's fragments (`5 7;9 10`) skip a letter: truly discontinuous, left out and
    // said. document0c's (`5 7;8 9`) are apart only by a line break, which is how brat stores
    // a span over two lines: one span.
    assert!(
        stderr.contains("document0d.ann: left out what stet cannot hold: 1 discontinuous span"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("discontinuous").count(), 1, "{stderr}");
    let want = &expected("brat")["dkpro"]["totals"];
    let records = export_jsonl(&project);
    assert_eq!(
        span_count(&records),
        want["T_continuous"].as_u64().unwrap() as usize + 1,
        "{stdout}"
    );
    let joined = records
        .iter()
        .flat_map(|r| {
            r["spans"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |s| covered(r, s))
        })
        .any(|text| text == "is\na");
    assert!(joined, "the span over the line break covers both lines");
}

#[test]
fn inception_webanno_tsv_files_give_their_spans_exactly_emoji_included() {
    let want = expected("webanno");
    for (name, file) in want["files"].as_object().unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.stet");
        let (_, stderr, ok) = import(&project, &[data("webanno").join(name)], &["--add-labels"]);
        assert!(ok, "{name}: {stderr}");
        let records = export_jsonl(&project);
        assert_eq!(records.len(), 1, "{name}");
        let record = &records[0];
        assert_eq!(record["text"], file["text"], "{name}: the text rebuilt");
        let mut got: Vec<(usize, usize, String, String)> = record["spans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["start"].as_u64().unwrap() as usize,
                    s["end"].as_u64().unwrap() as usize,
                    covered(record, s),
                    s["label"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        // A span's label: its `value` feature, else its first feature with a value, else
        // the layer's short name.
        let mut wanted: Vec<(usize, usize, String, String)> = file["spans"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(layer, spans)| spans.as_array().unwrap().iter().map(move |s| (layer, s)))
            .filter(|(_, s)| s["begin_cp"] != s["end_cp"])
            .map(|(layer, s)| {
                let features = s["features"].as_object().unwrap();
                let label = features
                    .get("value")
                    .filter(|v| *v != "*")
                    .or_else(|| features.values().find(|v| *v != "*"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| layer.rsplit('.').next().unwrap().to_owned());
                (
                    s["begin_cp"].as_u64().unwrap() as usize,
                    s["end_cp"].as_u64().unwrap() as usize,
                    s["text"].as_str().unwrap().to_owned(),
                    label,
                )
            })
            .collect();
        // Stacked spans alike in extent and label are one span in stet.
        wanted.sort();
        wanted.dedup();
        got.sort();
        wanted.sort();
        assert_eq!(got.len(), wanted.len(), "{name}");
        assert_eq!(got, wanted, "{name}");
    }
}

#[test]
fn conll_files_of_every_tag_scheme_give_their_chunks() {
    let want = expected("conll");
    for (name, file) in want["files"].as_object().unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.stet");
        let (stdout, stderr, ok) = import(&project, &[data("conll").join(name)], &["--add-labels"]);
        assert!(ok, "{name}: {stderr}");
        let records = export_jsonl(&project);
        // A document whose text is already in the project is that document (flair's
        // train.txt holds one twice, last).
        let again = if stdout.contains("; 1 already in the project") {
            1
        } else {
            0
        };
        assert_eq!(
            records.len() + again,
            file["documents"].as_u64().unwrap() as usize,
            "{name}: documents"
        );
        for (record, doc) in records.iter().zip(file["docs"].as_array().unwrap()) {
            let text = record["text"].as_str().unwrap();
            assert_eq!(
                text.chars().count(),
                doc["text_chars_cp"].as_u64().unwrap() as usize,
                "{name}"
            );
            assert_eq!(
                text.lines().count(),
                doc["sentences"].as_u64().unwrap() as usize,
                "{name}: sentences"
            );
            let got = located(record);
            let mut wanted: Vec<(u64, u64, String, String)> = doc["chunk_list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["start"].as_u64().unwrap(),
                        c["end"].as_u64().unwrap(),
                        c["label"].as_str().unwrap().to_owned(),
                        c["text"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            wanted.sort();
            let mut got = got;
            got.sort();
            assert_eq!(got, wanted, "{name}");
        }
    }
}

#[test]
fn prodigy_answers_count_only_when_accepted_and_annotators_become_layers() {
    let want = expected("prodigy");
    let name = "annotated_reddit-PRODUCT-ner.jsonl";
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.stet");
    let (_, stderr, ok) = import(&project, &[data("prodigy").join(name)], &["--add-labels"]);
    assert!(ok, "{stderr}");
    let file = &want["files"][name];
    let not_accepted =
        file["answers"]["reject"].as_u64().unwrap() + file["answers"]["ignore"].as_u64().unwrap();
    assert!(
        stderr.contains(&format!(
            "left out {not_accepted} records answered reject or ignore"
        )),
        "{stderr}"
    );
    // The accepted answers' spans, read from the file here; the same span in two accepted
    // answers on one text is one span.
    let mut accepted = std::collections::BTreeSet::new();
    for line in std::fs::read_to_string(data("prodigy").join(name))
        .unwrap()
        .lines()
    {
        let record: Value = serde_json::from_str(line).unwrap();
        if record["answer"] == "accept" {
            for span in record["spans"].as_array().into_iter().flatten() {
                let text: String = record["text"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .skip(span["start"].as_u64().unwrap() as usize)
                    .take(
                        (span["end"].as_u64().unwrap() - span["start"].as_u64().unwrap()) as usize,
                    )
                    .collect();
                assert_eq!(span["text"].as_str().unwrap(), text);
                accepted.insert((
                    record["text"].as_str().unwrap().to_owned(),
                    span["start"].as_u64().unwrap(),
                    span["label"].as_str().unwrap().to_owned(),
                ));
            }
        }
    }
    assert!(accepted.len() >= file["spans_in_accepted_records"].as_u64().unwrap() as usize - 1);
    let records = export_jsonl(&project);
    assert_eq!(span_count(&records), accepted.len());

    // Two annotators' answers on one text: one document, a layer each; a rejected answer
    // gives nothing.
    let source = dir.path().join("multi.jsonl");
    std::fs::write(
        &source,
        concat!(
            r#"{"text": "Peskov spoke to TASS.", "spans": [{"start": 0, "end": 6, "label": "source"}], "answer": "accept", "_annotator_id": "news-ana", "_session_id": "news-ana"}"#,
            "\n",
            r#"{"text": "Peskov spoke to TASS.", "spans": [{"start": 16, "end": 20, "label": "source"}], "answer": "accept", "_annotator_id": "news-ben", "_session_id": "news-ben"}"#,
            "\n",
            r#"{"text": "Peskov spoke to TASS.", "spans": [{"start": 7, "end": 12, "label": "claim"}], "answer": "reject", "_annotator_id": "news-cy", "_session_id": "news-cy"}"#,
            "\n"
        ),
    )
    .unwrap();
    let multi = dir.path().join("m.stet");
    let (stdout, stderr, ok) = import(&multi, &[source], &[]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("imported 1 document and 2 spans"),
        "{stdout}"
    );
    let records = export_jsonl(&multi);
    let annotators: Vec<&str> = records[0]["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["annotator"].as_str().unwrap())
        .collect();
    assert_eq!(annotators, ["news-ana", "news-ben"]);
}

#[test]
fn label_studio_exports_give_their_regions() {
    let want = expected("labelstudio");
    for (name, file) in want["files"].as_object().unwrap() {
        if name == "expected.json" {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.stet");
        let (_, stderr, ok) = import(
            &project,
            &[data("labelstudio").join(name)],
            &["--add-labels"],
        );
        assert!(ok, "{name}: {stderr}");
        let records = export_jsonl(&project);
        let mut got: Vec<(u64, u64, String, String)> = records.iter().flat_map(located).collect();
        let mut wanted: Vec<(u64, u64, String, String)> = file["regions"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| {
                let labels: Vec<String> = r[2]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l.as_str().unwrap().to_owned())
                    .collect();
                labels.into_iter().map(move |label| {
                    (
                        r[0].as_u64().unwrap(),
                        r[1].as_u64().unwrap(),
                        label,
                        r[3].as_str().unwrap().to_owned(),
                    )
                })
            })
            .collect();
        got.sort();
        wanted.sort();
        assert_eq!(got, wanted, "{name}");
    }
}

#[test]
fn a_named_file_stet_cannot_read_is_an_error_and_datasets_in_txt_are_read_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.stet");
    let odd = dir.path().join("notes.xyz");
    std::fs::write(&odd, "hello").unwrap();
    let (_, stderr, ok) = import(&project, &[odd], &[]);
    assert!(!ok);
    assert!(
        stderr.contains("notes.xyz: not a file type stet reads"),
        "{stderr}"
    );
    // Kaggle ships CoNLL as train.txt: read as CoNLL, not as one garbage article.
    let kaggle = dir.path().join("train.txt");
    std::fs::write(
        &kaggle,
        "EU\tB-ORG\nrejects\tO\nGerman\tB-MISC\ncall\tO\n\nPeter\tB-PER\n",
    )
    .unwrap();
    let (stdout, stderr, ok) = import(&project, &[kaggle], &["--add-labels"]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("imported 1 document and 3 spans"),
        "{stdout}"
    );
    let table = dir.path().join("table.txt");
    std::fs::write(&table, "id\tname\n1\ta\n2\tb\n3\tc\n").unwrap();
    let (_, stderr, ok) = import(&project, &[table], &[]);
    assert!(!ok);
    assert!(stderr.contains("table.txt: holds a table"), "{stderr}");
}

#[test]
fn doccano_field_names_can_be_mapped() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.stet");
    let source = dir.path().join("d.jsonl");
    std::fs::write(
        &source,
        r#"{"body": "Peskov said no.", "tags": [[0, 6, "source"], [12, 14, "denial"]]}"#,
    )
    .unwrap();
    let (_, stderr, ok) = import(&project, std::slice::from_ref(&source), &[]);
    assert!(!ok);
    assert!(
        stderr.contains("name the text's field with --text-field"),
        "{stderr}"
    );
    let (stdout, stderr, ok) = import(
        &project,
        &[source],
        &["--text-field", "body", "--label-field", "tags"],
    );
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("imported 1 document and 2 spans"),
        "{stdout}"
    );
}

/// A project whose spans every format can hold: whole words, no overlaps, two annotators, an
/// emoji, Persian digits and curly quotes, relations and a verdict.
fn round_trip_source(dir: &Path) -> PathBuf {
    let source = dir.join("source.jsonl");
    let lines = [
        r#"{"title": "Call", "text": "Kremlin spokesman Dmitry Peskov said “the presidents will decide themselves” 🚢 on Tuesday.\n\nAbout ۷۰,۰۰۰ troops are near the border, officials said.", "spans": [
            {"id": "s", "start": 18, "end": 31, "label": "source", "annotator": "ana"},
            {"id": "q", "start": 37, "end": 76, "label": "quote", "annotator": "ana"},
            {"start": 92, "end": 111, "label": "figure", "annotator": "ben"},
            {"start": 92, "end": 97, "label": "figure", "annotator": "ana"}],
          "relations": [{"type": "said_by", "from": "q", "to": "s"}]}"#,
        r#"{"title": "Denial", "text": "The ministry denied that exports stopped. Exports rose 12% to ۱۲ million tonnes.", "spans": [
            {"id": "m", "start": 4, "end": 12, "label": "source", "annotator": "ana"},
            {"id": "d", "start": 13, "end": 40, "label": "denial", "annotator": "ana"},
            {"id": "c", "start": 42, "end": 79, "label": "claim", "annotator": "ana", "attributes": {"verdict": "mostly true"}}],
          "relations": [{"type": "said_by", "from": "d", "to": "m"}, {"type": "denies", "from": "d", "to": "c"}]}"#,
    ];
    let text: Vec<String> = lines
        .iter()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v.to_string()
        })
        .collect();
    std::fs::write(&source, text.join("\n")).unwrap();
    source
}

/// Spans as (text of the document, start, end, label, annotator).
fn span_set(records: &[Value], with_annotator: bool) -> Vec<(String, u64, u64, String, String)> {
    let mut all: Vec<_> = records
        .iter()
        .flat_map(|r| {
            r["spans"].as_array().unwrap().iter().map(move |s| {
                (
                    r["text"].as_str().unwrap().to_owned(),
                    s["start"].as_u64().unwrap(),
                    s["end"].as_u64().unwrap(),
                    s["label"].as_str().unwrap().to_owned(),
                    if with_annotator {
                        s["annotator"].as_str().unwrap().to_owned()
                    } else {
                        String::new()
                    },
                )
            })
        })
        .collect();
    all.sort();
    all.dedup();
    all
}

/// Relations as (kind, from span's text, to span's text).
fn relation_set(records: &[Value]) -> Vec<(String, String, String)> {
    let mut all = Vec::new();
    for record in records {
        let spans = record["spans"].as_array().unwrap();
        let text_of = |id: &Value| {
            let span = spans.iter().find(|s| &s["id"] == id).unwrap();
            covered(record, span)
        };
        for relation in record["relations"].as_array().unwrap() {
            all.push((
                relation["type"].as_str().unwrap().to_owned(),
                text_of(&relation["from"]),
                text_of(&relation["to"]),
            ));
        }
    }
    all.sort();
    all
}

#[test]
fn every_format_stet_writes_reads_back_to_the_same_spans() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.stet");
    let (_, stderr, ok) = import(&first, &[round_trip_source(dir.path())], &[]);
    assert!(ok, "{stderr}");
    let original = export_jsonl(&first);
    assert_eq!(span_count(&original), 7);
    assert_eq!(relation_set(&original).len(), 3);
    // (format, output, keeps annotators)
    for (format, out, annotators) in [
        ("jsonl", "out.jsonl", true),
        ("doccano", "out-doccano.jsonl", true),
        ("labelstudio", "out-ls.json", true),
        ("brat", "out-brat", true),
        ("webanno", "out-webanno", false),
        ("spacy", "out.spacy", false),
    ] {
        let out = dir.path().join(out);
        stdout_of(
            stet()
                .args(["export", "--format", format, "--project"])
                .arg(&first)
                .arg("--out")
                .arg(&out),
        );
        let again = dir.path().join(format!("again-{format}.stet"));
        let (_, stderr, ok) = import(&again, &[out], &[]);
        assert!(ok, "{format}: {stderr}");
        let back = export_jsonl(&again);
        assert_eq!(
            span_set(&back, annotators),
            span_set(&original, annotators),
            "{format}"
        );
        // A DocBin keeps no attributes.
        if format != "webanno" && format != "spacy" {
            let verdicts: Vec<&Value> = back
                .iter()
                .flat_map(|r| r["spans"].as_array().unwrap())
                .filter_map(|s| s["attributes"].get("verdict"))
                .collect();
            if format != "doccano" {
                assert_eq!(verdicts, [&Value::from("mostly true")], "{format}");
            }
        }
        if annotators && format != "doccano" {
            assert_eq!(relation_set(&back), relation_set(&original), "{format}");
        }
    }
    // CoNLL keeps tokens, not the text's spacing: the same labels over the same words,
    // the overlapping shorter figure left out as the export says.
    let out = dir.path().join("out.conll");
    stdout_of(
        stet()
            .args(["export", "--format", "conll", "--project"])
            .arg(&first)
            .arg("--out")
            .arg(&out),
    );
    let again = dir.path().join("again-conll.stet");
    let (_, stderr, ok) = import(&again, &[out], &[]);
    assert!(ok, "{stderr}");
    let back = export_jsonl(&again);
    // Compared without white space: CoNLL's tokens are joined by single spaces.
    let words = |records: &[Value]| -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = label_texts(records)
            .into_keys()
            .map(|(label, text)| (label, text.split_whitespace().collect::<String>()))
            .collect();
        all.sort();
        all
    };
    let mut want = words(&original);
    // The longer figure wins in CoNLL.
    want.retain(|(label, text)| !(label == "figure" && text == "About"));
    assert!(want.contains(&("quote".into(), "“thepresidentswilldecidethemselves”".into())));
    assert_eq!(want.len(), 6);
    assert_eq!(words(&back), want);
}

/// Writes a `DocBin` with spaCy itself, to `argv[1]`, and prints each `Doc`'s title, text and
/// spans (`doc.ents` and every span group, as Python's code-point offsets).
const SPACY_DOCBIN_SCRIPT: &str = r#"
import json, sys
import spacy
from spacy.tokens import DocBin, Span

nlp = spacy.blank("en")
a = nlp("Peskov said “no” 🚢 in Moscow.\n\nKyiv  denied it.")
a.ents = [Span(a, 0, 1, "PERSON"), Span(a, 7, 8, "GPE"), Span(a, 10, 11, "GPE")]
a.spans["sc"] = [Span(a, 0, 2, "source"), Span(a, 2, 5, "quote"), Span(a, 2, 4, "quote")]
a.spans["claims"] = [Span(a, 10, 15, "denial")]
a.user_data["title"] = "Peskov on Moscow"
b = nlp("Only entities here, in Berlin.\nAnd Ленинград.")
b.ents = [Span(b, 5, 6, "GPE"), Span(b, 9, 10, "GPE")]
DocBin(docs=[a, b], store_user_data=True).to_disk(sys.argv[1])
out = []
for doc, title in [(a, "Peskov on Moscow"), (b, "Only entities here, in Berlin.")]:
    spans = {(s.start_char, s.end_char, s.label_) for s in doc.ents}
    spans |= {(s.start_char, s.end_char, s.label_) for g in doc.spans.values() for s in g}
    out.append({"title": title, "text": doc.text, "spans": sorted(spans)})
print(json.dumps(out))
"#;

#[test]
fn a_docbin_made_by_spacy_imports_with_its_texts_and_spans() {
    let test = "a_docbin_made_by_spacy_imports_with_its_texts_and_spans";
    let Some(python) = needs::python().filter(|_| needs::or_skip(test, needs::python_missing()))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let docbin = dir.path().join("made-by-spacy.spacy");
    let output = std::process::Command::new(&python)
        .args(["-c", SPACY_DOCBIN_SCRIPT])
        .arg(&docbin)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let want: Value = serde_json::from_slice(&output.stdout).unwrap();
    let project = dir.path().join("spacy.stet");
    let (stdout, stderr, ok) = import(&project, &[docbin], &["--add-labels"]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("imported 2 documents and 9 spans"),
        "{stdout}"
    );
    let got: Vec<Value> = export_jsonl(&project)
        .iter()
        .map(|record| {
            let mut spans: Vec<(u64, u64, String)> = record["spans"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["start"].as_u64().unwrap(),
                        s["end"].as_u64().unwrap(),
                        s["label"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            spans.sort();
            serde_json::json!({"title": record["title"], "text": record["text"], "spans": spans})
        })
        .collect();
    assert_eq!(Value::from(got), want);
}

#[test]
fn stets_docbin_of_nested_overlapping_and_whitespace_spans_reads_back_to_the_same_spans() {
    // The export fixture: spans that nest, overlap, cut a word or cover only whitespace, an
    // emoji, combining marks, a no-break space, a tab and CRLF.
    let dir = tempfile::tempdir().unwrap();
    let first = fixture::build(dir.path());
    let original = export_jsonl(&first);
    let out = dir.path().join("fixture.spacy");
    stdout_of(
        stet()
            .args(["export", "--format", "spacy", "--project"])
            .arg(&first)
            .arg("--out")
            .arg(&out),
    );
    let again = dir.path().join("again.stet");
    let (_, stderr, ok) = import(&again, &[out], &["--add-labels"]);
    assert!(ok, "{stderr}");
    let back = export_jsonl(&again);
    let texts = |records: &[Value]| -> Vec<String> {
        let mut all: Vec<String> = records
            .iter()
            .map(|r| r["text"].as_str().unwrap().to_owned())
            .collect();
        all.sort();
        all
    };
    assert_eq!(texts(&back), texts(&original));
    assert!(span_count(&original) > 10);
    assert_eq!(span_set(&back, false), span_set(&original, false));
}
