//! Every export format, parsed back in Rust and compared with the project's spans; byte-identical
//! output on every run; filters, splits and the command line's output handling.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/export_fixture.rs"]
mod fixture;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use stet::export::{ExportFilter, ExportFormat};
use stet::model::{CharRange, Span};
use stet::store::{Access, Project};
use stet::workflows::export::{write_into, write_to};

use fixture::{chars, trimmed};

/// The project's documents (title, text, spans) as exporters see them with `filter`.
fn reference(project: &Project, filter: &ExportFilter) -> Vec<(String, String, Vec<Span>)> {
    project
        .export_documents(filter)
        .map(|doc| {
            let doc = doc.unwrap();
            (doc.info.title, doc.text, doc.spans)
        })
        .collect()
}

fn open() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture::build(dir.path());
    let project = Project::open(&path, Access::ReadOnly).unwrap();
    (dir, project)
}

fn file_export(project: &Project, format: ExportFormat) -> String {
    let mut out = Vec::new();
    write_to(project, format, &ExportFilter::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Every file under `dir` with its bytes, by relative path.
fn folder_bytes(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_owned();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// (start, end, label, annotator) of every span, per document, from the project.
fn expected_spans(project: &Project) -> Vec<Vec<(usize, usize, String, String)>> {
    reference(project, &ExportFilter::default())
        .into_iter()
        .map(|(_, _, spans)| {
            spans
                .into_iter()
                .map(|s| (s.range.start, s.range.end, s.label, s.annotator))
                .collect()
        })
        .collect()
}

#[test]
fn jsonl_round_trips_with_code_point_offsets() {
    let (_dir, project) = open();
    let out = file_export(&project, ExportFormat::Jsonl);
    let mut got = Vec::new();
    for line in out.lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        let text = record["text"].as_str().unwrap();
        let mut spans = Vec::new();
        for s in record["spans"].as_array().unwrap() {
            let (start, end) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(chars(text, CharRange::new(start, end)), s["text"]);
            spans.push((
                start,
                end,
                s["label"].as_str().unwrap().to_owned(),
                s["annotator"].as_str().unwrap().to_owned(),
            ));
        }
        got.push(spans);
    }
    assert_eq!(got, expected_spans(&project));
}

#[test]
fn doccano_lines_hold_labels_and_annotators_in_code_points() {
    let (_dir, project) = open();
    let out = file_export(&project, ExportFormat::Doccano);
    let mut got = Vec::new();
    for (line, (_, text, _)) in out
        .lines()
        .zip(reference(&project, &ExportFilter::default()))
    {
        let record: Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["text"], text.as_str());
        let annotators = record["annotators"].as_array().unwrap();
        let labels = record["label"].as_array().unwrap();
        assert_eq!(annotators.len(), labels.len());
        got.push(
            labels
                .iter()
                .zip(annotators)
                .map(|(l, a)| {
                    (
                        l[0].as_u64().unwrap() as usize,
                        l[1].as_u64().unwrap() as usize,
                        l[2].as_str().unwrap().to_owned(),
                        a.as_str().unwrap().to_owned(),
                    )
                })
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(got, expected_spans(&project));
}

#[test]
fn csv_has_a_bom_a_header_and_one_quoted_row_per_span() {
    let (_dir, project) = open();
    let out = file_export(&project, ExportFormat::Csv);
    let body = out.strip_prefix('\u{feff}').expect("a byte-order mark");
    assert!(body.contains("\r\n"), "CRLF line ends");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "document_uid",
            "title",
            "span_id",
            "start",
            "end",
            "label",
            "text",
            "annotator",
            "note",
            "created"
        ]
    );
    let docs = reference(&project, &ExportFilter::default());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let all: Vec<(&String, &Span)> = docs
        .iter()
        .flat_map(|(_, text, spans)| spans.iter().map(move |s| (text, s)))
        .collect();
    assert_eq!(rows.len(), all.len());
    for (row, (text, span)) in rows.iter().zip(all) {
        assert_eq!(row[2], span.id.to_string());
        assert_eq!(row[3], span.range.start.to_string());
        assert_eq!(row[4], span.range.end.to_string());
        assert_eq!(&row[5], span.label);
        assert_eq!(row[6], chars(text, span.range));
        assert_eq!(&row[7], span.annotator);
        assert_eq!(&row[8], span.note);
        assert!(row[9].ends_with('Z'), "{}", &row[9]);
    }
}

#[test]
fn labelstudio_tasks_have_one_annotation_per_annotator() {
    let (_dir, project) = open();
    let out = file_export(&project, ExportFormat::LabelStudio);
    let tasks: Value = serde_json::from_str(&out).unwrap();
    let mut got = Vec::new();
    for task in tasks.as_array().unwrap() {
        let text = task["data"]["text"].as_str().unwrap();
        let mut spans = Vec::new();
        let mut annotators = Vec::new();
        for annotation in task["annotations"].as_array().unwrap() {
            assert!(annotation.get("completed_by").is_none());
            let mut who = BTreeSet::new();
            for r in annotation["result"].as_array().unwrap() {
                if r["type"] != "labels" {
                    // Attribute values and relations: tests/relations.rs and the readers.
                    continue;
                }
                assert_eq!(r["from_name"], "label");
                assert_eq!(r["to_name"], "text");
                assert_eq!(r["type"], "labels");
                let v = &r["value"];
                let range = CharRange::new(
                    v["start"].as_u64().unwrap() as usize,
                    v["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(chars(text, range), v["text"]);
                let annotator = r["meta"]["annotator"].as_str().unwrap().to_owned();
                who.insert(annotator.clone());
                spans.push((
                    range.start,
                    range.end,
                    v["labels"][0].as_str().unwrap().to_owned(),
                    annotator,
                ));
            }
            assert_eq!(who.len(), 1, "one annotator per annotation");
            annotators.extend(who);
        }
        let unique: BTreeSet<&String> = annotators.iter().collect();
        assert_eq!(unique.len(), annotators.len());
        spans.sort();
        got.push(spans);
    }
    let mut expected = expected_spans(&project);
    for spans in &mut expected {
        spans.sort();
    }
    assert_eq!(got, expected);
    let note = &tasks[0]["annotations"][0]["result"];
    assert!(
        note.as_array()
            .unwrap()
            .iter()
            .any(|r| r["meta"]["text"][0] == "Check the ministry's statement\nagainst the wire")
    );
}

/// A parsed brat text-bound annotation: label, fragments, text, annotator.
type TextBound = (String, Vec<(usize, usize)>, String, String);

/// The text-bound annotations of a brat `.ann` file, with their `Annotator` attributes.
fn brat_textbounds(ann: &str) -> Vec<TextBound> {
    let mut attributes = BTreeMap::new();
    for line in ann.lines().filter(|l| l.starts_with('A')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let parts: Vec<&str> = fields[1].split(' ').collect();
        if parts[0] != "Annotator" {
            assert_eq!(parts[0], "verdict", "{line}");
            continue;
        }
        attributes.insert(parts[1].to_owned(), parts[2].to_owned());
    }
    ann.lines()
        .filter(|l| l.starts_with('T'))
        .map(|line| {
            let fields: Vec<&str> = line.splitn(3, '\t').collect();
            let (label, offsets) = fields[1].split_once(' ').unwrap();
            let fragments = offsets
                .split(';')
                .map(|f| {
                    let (s, e) = f.split_once(' ').unwrap();
                    (s.parse().unwrap(), e.parse().unwrap())
                })
                .collect();
            (
                label.to_owned(),
                fragments,
                fields[2].to_owned(),
                attributes[fields[0]].clone(),
            )
        })
        .collect()
}

#[test]
fn brat_folder_has_text_standoff_and_configs_that_agree() {
    let (dir, project) = open();
    let out = dir.path().join("brat");
    std::fs::create_dir(&out).unwrap();
    let summary = write_into(&project, ExportFormat::Brat, &ExportFilter::default(), &out).unwrap();
    let conf = std::fs::read_to_string(out.join("annotation.conf")).unwrap();
    assert!(conf.contains("[entities]\nclaim\nquote\nfigure\ndenial\n"));
    assert!(conf.contains("Annotator\tArg:<ENTITY>, Value:ana|ben"));
    let visual = std::fs::read_to_string(out.join("visual.conf")).unwrap();
    assert!(visual.contains("claim\tbgColor:#f2b33d"));

    let docs = reference(&project, &ExportFilter::default());
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ann"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 3);
    assert!(names.contains(&"peskov-we-see.ann".to_owned()), "{names:?}");
    let mut total = 0;
    for (title_index, (_, text, spans)) in docs.iter().enumerate() {
        // Find this document's files by their text (CR written as a space).
        let brat_text: String = text.replace('\r', " ");
        let stem = names
            .iter()
            .map(|n| n.trim_end_matches(".ann").to_owned())
            .find(|s| std::fs::read_to_string(out.join(format!("{s}.txt"))).unwrap() == brat_text)
            .unwrap_or_else(|| panic!("no .txt for document {title_index}"));
        let ann = std::fs::read_to_string(out.join(format!("{stem}.ann"))).unwrap();
        let bounds = brat_textbounds(&ann);
        let mut got = Vec::new();
        for (label, fragments, span_text, annotator) in &bounds {
            let pieces: Vec<String> = fragments
                .iter()
                .map(|&(s, e)| chars(&brat_text, CharRange::new(s, e)))
                .collect();
            assert_eq!(&pieces.join(" "), span_text);
            assert!(!span_text.contains('\n'));
            let start = fragments[0].0;
            let end = fragments[fragments.len() - 1].1;
            got.push((start, end, label.clone(), annotator.clone()));
        }
        let expected: Vec<_> = spans
            .iter()
            .map(|s| {
                (
                    s.range.start,
                    s.range.end,
                    s.label.clone(),
                    s.annotator.clone(),
                )
            })
            .collect();
        assert_eq!(got, expected);
        total += got.len();
    }
    assert_eq!(summary.spans, total);
    // The multi-line claim is a two-fragment annotation.
    let news = std::fs::read_to_string(out.join("peskov-we-see.ann")).unwrap();
    assert!(
        news.lines().any(|l| l.contains("claim")
            && l.contains(';')
            && l.ends_with("70,000 troops. Kyiv denied")),
        "{news}"
    );
    assert!(news.contains("AnnotatorNotes T"));
    assert!(news.contains("\tCheck the ministry's statement against the wire\n"));
}

/// Outermost-first overlap resolution over trimmed, non-empty ranges, as CoNLL promises.
fn conll_expected(text: &str, spans: &[Span]) -> BTreeSet<(usize, usize, String)> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(spans[i].range.len()), i));
    let mut kept: Vec<CharRange> = Vec::new();
    let mut out = BTreeSet::new();
    for i in order {
        let r = spans[i].range;
        if kept.iter().any(|k| k.overlaps(r)) {
            continue;
        }
        kept.push(r);
        let t = trimmed(text, r);
        if !t.is_empty() {
            out.insert((t.start, t.end, spans[i].label.clone()));
        }
    }
    out
}

#[test]
fn conll_entities_are_the_outermost_spans_on_token_bounds() {
    let (_dir, project) = open();
    let mut out = Vec::new();
    let summary = write_to(
        &project,
        ExportFormat::Conll,
        &ExportFilter::default(),
        &mut out,
    )
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    let docs = reference(&project, &ExportFilter::default());
    let blocks: Vec<&str> = out.split("-DOCSTART- -X- O O\n").skip(1).collect();
    assert_eq!(blocks.len(), docs.len());
    let mut expected_total = 0;
    for (block, (_, text, spans)) in blocks.iter().zip(&docs) {
        // Walk the tokens through the text to recover their code-point offsets.
        let mut pos_byte = 0;
        let mut entities = BTreeSet::new();
        let mut open_entity: Option<(usize, usize, String)> = None;
        for line in block.lines() {
            if line.is_empty() {
                if let Some(e) = open_entity.take() {
                    entities.insert(e);
                }
                continue;
            }
            let cols: Vec<&str> = line.split(' ').collect();
            assert_eq!(cols.len(), 4, "{line:?}");
            assert_eq!((cols[1], cols[2]), ("-X-", "_"));
            let found = text[pos_byte..].find(cols[0]).unwrap() + pos_byte;
            assert!(text[pos_byte..found].chars().all(char::is_whitespace));
            let start = text[..found].chars().count();
            let end = start + cols[0].chars().count();
            pos_byte = found + cols[0].len();
            let tag = cols[3];
            if let Some(label) = tag.strip_prefix("B-") {
                if let Some(e) = open_entity.take() {
                    entities.insert(e);
                }
                open_entity = Some((start, end, label.to_owned()));
            } else if let Some(label) = tag.strip_prefix("I-") {
                let e = open_entity.as_mut().expect("I- follows B- or I-");
                assert_eq!(e.2, label);
                e.1 = end;
            } else {
                assert_eq!(tag, "O");
                if let Some(e) = open_entity.take() {
                    entities.insert(e);
                }
            }
        }
        if let Some(e) = open_entity.take() {
            entities.insert(e);
        }
        let expected = conll_expected(text, spans);
        expected_total += expected.len();
        assert_eq!(entities, expected);
    }
    assert_eq!(summary.spans, expected_total);
    // Left out: the nested figures, ben's crossing claim, ben's whitespace span.
    assert!(summary.left_out >= 4, "{summary:?}");
    // "Putin" cut "Putin's".
    assert!(summary.split_words >= 1, "{summary:?}");
    assert!(out.contains("\nPutin -X- _ B-claim\n's -X- _ O\n"), "{out}");
}

/// A WebAnno TSV 3.3 reader written from the format's documentation and INCEpTION's reader:
/// rebuilds the text from `#Text=` lines and returns (text, spans in UTF-16 units).
fn read_webanno(tsv: &str) -> (String, Vec<(usize, usize, String)>) {
    let mut lines = tsv.split('\n');
    assert_eq!(lines.next(), Some("#FORMAT=WebAnno TSV 3.3"));
    assert_eq!(
        lines.next(),
        Some("#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value")
    );
    assert_eq!(lines.next(), Some(""));
    assert_eq!(lines.next(), Some(""));
    let mut text: Vec<u16> = Vec::new();
    let mut sentence_text: Vec<u16> = Vec::new();
    let mut in_header = false;
    let mut by_id: BTreeMap<String, (usize, usize, String)> = BTreeMap::new();
    let mut single = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("#Text=") {
            let unescaped = rest
                .replace("\\\\", "\u{0}")
                .replace("\\t", "\t")
                .replace("\\r", "\r")
                .replace('\u{0}', "\\");
            sentence_text.extend(unescaped.encode_utf16());
            sentence_text.push(u16::from(b'\n'));
            in_header = true;
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 6, "{line:?}");
        assert_eq!(cols[5], "");
        let (b, e) = cols[1].split_once('-').unwrap();
        let (begin, end): (usize, usize) = (b.parse().unwrap(), e.parse().unwrap());
        if in_header {
            if text.len() > begin {
                assert_eq!(text.len(), begin + 1);
                text.pop();
            }
            while text.len() < begin {
                text.push(u16::from(b' '));
            }
            text.append(&mut sentence_text);
            in_header = false;
        }
        assert_eq!(String::from_utf16(&text[begin..end]).unwrap(), cols[2]);
        if cols[4] == "_" {
            assert_eq!(cols[3], "_");
            continue;
        }
        let values: Vec<&str> = cols[4].split('|').collect();
        assert_eq!(cols[3].split('|').count(), values.len());
        for value in values {
            match value.strip_suffix(']').and_then(|v| v.rsplit_once('[')) {
                Some((label, id)) => {
                    let entry =
                        by_id
                            .entry(id.to_owned())
                            .or_insert((begin, end, label.to_owned()));
                    entry.1 = end;
                }
                None => single.push((begin, end, value.to_owned())),
            }
        }
    }
    let mut spans: Vec<_> = by_id.into_values().chain(single).collect();
    spans.sort();
    (String::from_utf16(&text).unwrap(), spans)
}

fn utf16_of(text: &str, chars: usize) -> usize {
    text.chars().take(chars).map(char::len_utf16).sum()
}

#[test]
fn webanno_tsv_rebuilds_text_and_spans_in_utf16() {
    let (dir, project) = open();
    let out = dir.path().join("webanno");
    std::fs::create_dir(&out).unwrap();
    let summary = write_into(
        &project,
        ExportFormat::WebAnno,
        &ExportFilter::default(),
        &out,
    )
    .unwrap();
    assert_eq!(summary.skipped_documents, 0);
    let docs = reference(&project, &ExportFilter::default());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), docs.len());
    let mut matched = 0;
    for (_, text, spans) in &docs {
        let mut expected: Vec<(usize, usize, String)> = spans
            .iter()
            .map(|s| (trimmed(text, s.range), s.label.clone()))
            .filter(|(r, _)| !r.is_empty())
            .map(|(r, l)| (utf16_of(text, r.start), utf16_of(text, r.end), l))
            .collect();
        expected.sort();
        for file in &files {
            let (rebuilt, got) = read_webanno(&std::fs::read_to_string(file).unwrap());
            let lead = text.len() - text.trim_start().len();
            let original = format!("{}{}", " ".repeat(lead), &text[lead..]);
            let original = if original.ends_with('\n') {
                original
            } else {
                original + "\n"
            };
            if rebuilt == original {
                assert_eq!(got, expected);
                matched += 1;
            }
        }
    }
    assert_eq!(matched, docs.len());
    let persian = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .find(|t| t.contains("۱۱۶۵۳۸۱"))
        .unwrap();
    // Two emoji (two UTF-16 units each) before "by": the offsets count them twice.
    assert!(persian.contains("\t😀\t"), "{persian}");
    assert!(persian.contains("quote[") && persian.contains("|figure["));
}

#[test]
fn every_format_is_byte_identical_on_every_run() {
    let (dir, project) = open();
    for format in ExportFormat::ALL.into_iter().filter(|f| !f.is_folder()) {
        let mut first = Vec::new();
        let mut second = Vec::new();
        let filter = ExportFilter::default();
        write_to(&project, format, &filter, &mut first).unwrap();
        write_to(&project, format, &filter, &mut second).unwrap();
        assert_eq!(first, second, "{format:?}");
        assert!(!first.is_empty());
    }
    for format in [ExportFormat::Brat, ExportFormat::WebAnno] {
        let a = dir.path().join(format!("{format:?}-a"));
        let b = dir.path().join(format!("{format:?}-b"));
        for out in [&a, &b] {
            std::fs::create_dir(out).unwrap();
            write_into(&project, format, &ExportFilter::default(), out).unwrap();
        }
        let files = folder_bytes(&a);
        assert!(files.len() >= 3);
        assert_eq!(files, folder_bytes(&b), "{format:?}");
    }
}

#[test]
fn filters_choose_annotators_labels_and_done_documents() {
    let (_dir, project) = open();
    let filter = ExportFilter {
        annotators: vec!["ana".into()],
        labels: vec!["figure".into(), "claim".into()],
        only_done: true,
        documents: None,
        include_suggested: false,
    };
    let docs = reference(&project, &filter);
    assert_eq!(docs.len(), 2, "ana marked two documents done");
    let mut out = Vec::new();
    let summary = write_to(&project, ExportFormat::Csv, &filter, &mut out).unwrap();
    let total: usize = docs.iter().map(|(_, _, s)| s.len()).sum();
    assert_eq!(summary.spans, total);
    for (_, _, spans) in &docs {
        for s in spans {
            assert_eq!(s.annotator, "ana");
            assert!(s.label == "figure" || s.label == "claim");
        }
    }
}

fn stet() -> Command {
    Command::cargo_bin("stet").unwrap()
}

#[test]
fn cli_splits_by_document_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let project = fixture::build(dir.path());
    let out = dir.path().join("data.jsonl");
    let run = |seed: &str| {
        let assert = stet()
            .args([
                "export",
                "--format",
                "jsonl",
                "--split",
                "train=0.34,dev=0.33,test=0.33",
            ])
            .args(["--seed", seed, "--project"])
            .arg(&project)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains("offsets: Unicode code points"), "{stderr}");
        ["train", "dev", "test"].map(|part| {
            std::fs::read_to_string(dir.path().join(format!("data.{part}.jsonl"))).unwrap()
        })
    };
    let first = run("7");
    assert_eq!(run("7"), first);
    assert!(!out.exists());
    let ids: Vec<String> = first
        .iter()
        .flat_map(|part| part.lines())
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(unique.len(), 3);
    assert!(first.iter().all(|part| part.lines().count() == 1));
}

#[test]
fn cli_writes_folders_whole_with_a_subfolder_per_part() {
    let dir = tempfile::tempdir().unwrap();
    let project = fixture::build(dir.path());
    let out = dir.path().join("brat-out");
    stet()
        .args([
            "export",
            "--format",
            "brat",
            "--split",
            "a=0.5,b=0.5",
            "--project",
        ])
        .arg(&project)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    for part in ["a", "b"] {
        assert!(out.join(part).join("annotation.conf").exists());
    }
    // No temporary folder is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".stet-part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A folder with files in it is never replaced.
    stet()
        .args(["export", "--format", "webanno", "--project"])
        .arg(&project)
        .arg("--out")
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicates::str::contains("not an empty folder"));
    assert!(out.join("a").join("annotation.conf").exists());
}

#[test]
fn cli_refuses_bad_requests_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let project = fixture::build(dir.path());
    let cases: [(&[&str], &str); 6] = [
        (&["--format", "brat"], "writes a folder"),
        (
            &["--format", "conll", "--spans-key", "sc"],
            "--spans-key is for --format spacy",
        ),
        (
            &[
                "--format",
                "jsonl",
                "--split",
                "train=0.8,dev=0.1",
                "--out",
                "x.jsonl",
            ],
            "sum to 0.9",
        ),
        (
            &["--format", "jsonl", "--split", "a=0.5,b=0.5"],
            "give --out PATH",
        ),
        (
            &["--format", "csv", "--annotator", "zed"],
            "--annotator \"zed\"",
        ),
        (
            &["--format", "csv", "--label", "rumour"],
            "--label \"rumour\"",
        ),
    ];
    for (args, message) in cases {
        let assert = stet()
            .current_dir(dir.path())
            .arg("export")
            .args(args)
            .arg("--project")
            .arg(&project)
            .assert()
            .failure();
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}

#[test]
fn cli_writes_the_labelstudio_config_beside_the_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let project = fixture::build(dir.path());
    let out = dir.path().join("tasks.json");
    stet()
        .args(["export", "--format", "labelstudio", "--project"])
        .arg(&project)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let config = std::fs::read_to_string(dir.path().join("tasks.config.xml")).unwrap();
    assert!(config.contains("<Labels name=\"label\" toName=\"text\">"));
    let tasks: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(tasks.as_array().unwrap().len(), 3);
}

#[test]
fn cli_reports_spans_conll_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let project = fixture::build(dir.path());
    stet()
        .args(["export", "--format", "conll", "--project"])
        .arg(&project)
        .assert()
        .success()
        .stdout(predicates::str::contains("-DOCSTART- -X- O O"))
        .stderr(predicates::str::contains("left out"))
        .stderr(predicates::str::contains("offsets: none"));
}

#[test]
fn a_failed_folder_export_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let result: Result<(), _> = stet::workflows::write_folder_atomically(&out, |tmp| {
        std::fs::write(tmp.join("half.txt"), "half").unwrap();
        Err(stet::export::ExportError::Invalid("disk full".into()))
    });
    assert!(result.is_err());
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // An empty folder is filled; the result is complete.
    std::fs::create_dir(&out).unwrap();
    stet::workflows::write_folder_atomically(&out, |tmp| {
        std::fs::write(tmp.join("done.txt"), "done")?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("done.txt")).unwrap(),
        "done"
    );
}

#[test]
fn exports_get_the_usual_permissions_and_clean_up_after_a_cut_off_export() {
    let dir = tempfile::tempdir().unwrap();
    let project = fixture::build(dir.path());
    let out = dir.path().join("data.jsonl");
    // What an export killed half-way left: a part file and a part folder of a process that
    // is gone (no such pid), and one of this very test process, still "running".
    let dead = dir.path().join("data.jsonl.4999999.abc123.stet-part");
    std::fs::write(&dead, "half an export").unwrap();
    let dead_folder = dir.path().join("data.jsonl.4999998.def456.stet-part");
    std::fs::create_dir(&dead_folder).unwrap();
    std::fs::write(dead_folder.join("x.ann"), "half").unwrap();
    let alive = dir.path().join(format!(
        "data.jsonl.{}.ghi789.stet-part",
        std::process::id()
    ));
    std::fs::write(&alive, "mine").unwrap();
    stet()
        .args(["export", "--format", "jsonl", "--project"])
        .arg(&project)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(out.exists());
    if cfg!(target_os = "linux") {
        assert!(
            !dead.exists() && !dead_folder.exists(),
            "stale parts were left"
        );
    }
    assert!(alive.exists(), "a running export's part was removed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode a plain new file gets here (0644 under the usual umask).
        let probe = dir.path().join("probe");
        std::fs::write(&probe, "").unwrap();
        let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected, "export written {mode:o}, not {expected:o}");
        assert_ne!(mode, 0o600);
    }
}
