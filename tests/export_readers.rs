//! The exports read by the real consumers, in Python: spaCy (the JSONL, and the DocBin with
//! `spacy train`), Hugging Face datasets, seqeval,
//! brat's reader (bundled in bratiaa) and bratiaa's agreement, label-studio-converter, and
//! web-anno-tsv plus a WebAnno TSV reader written from the spec. Each test runs `tests/python/check_*.py` with the Python in
//! `$STET_PYTHON`, else `.venv/bin/python` (which `.ci/run` sets up); with neither, it prints a
//! note and skips (the Rust round trips in `tests/export.rs` still cover every format), and
//! where `CI` is set it fails.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/export_fixture.rs"]
mod fixture;
#[path = "common/needs.rs"]
mod needs;

use std::path::{Path, PathBuf};
use std::process::Command;

use stet::export::{ExportFilter, ExportFormat, labelstudio_config};
use stet::store::{Access, Project};
use stet::workflows::export::{write_into, write_to};

/// A project with the fixture and a place for exports.
struct Setup {
    dir: tempfile::TempDir,
    project: Project,
    project_path: PathBuf,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let project_path = fixture::build(dir.path());
        let project = Project::open(&project_path, Access::ReadOnly).unwrap();
        Self {
            dir,
            project,
            project_path,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a single-file export of the whole project.
    fn file(&self, format: ExportFormat, name: &str) -> PathBuf {
        let path = self.path(name);
        let mut out = Vec::new();
        write_to(&self.project, format, &ExportFilter::default(), &mut out).unwrap();
        std::fs::write(&path, out).unwrap();
        path
    }

    /// Writes a folder export of what passes `filter`.
    fn folder(&self, format: ExportFormat, name: &str, filter: &ExportFilter) -> PathBuf {
        let path = self.path(name);
        std::fs::create_dir_all(&path).unwrap();
        write_into(&self.project, format, filter, &path).unwrap();
        path
    }

    /// The JSONL export every checker compares against.
    fn reference(&self) -> PathBuf {
        self.file(ExportFormat::Jsonl, "reference.jsonl")
    }
}

/// Runs a checker; prints why it did not when there is no Python.
fn run_checker(script: &str, args: &[&Path]) {
    let Some(python) = needs::python().filter(|_| needs::or_skip(script, needs::python_missing()))
    else {
        return;
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python");
    let output = Command::new(&python)
        .arg(dir.join(script))
        .args(args)
        .current_dir(&dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", python.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed:\n{stdout}\n{stderr}"
    );
    println!("{script}: {}", stdout.trim());
}

#[test]
fn spacy_takes_the_jsonl_spans_as_strict_char_spans() {
    let setup = Setup::new();
    run_checker("check_spacy.py", &[&setup.reference()]);
}

#[test]
fn spacy_loads_the_docbin_with_the_texts_spans_and_entities() {
    let setup = Setup::new();
    let data = setup.file(ExportFormat::Spacy, "data.spacy");
    run_checker("check_spacy_docbin.py", &[&setup.reference(), &data]);
}

#[test]
fn the_command_line_writes_the_docbin_under_another_spans_key() {
    let setup = Setup::new();
    let out = setup.path("cli.spacy");
    let output = Command::new(env!("CARGO_BIN_EXE_stet"))
        .args([
            "export",
            "--format",
            "spacy",
            "--spans-key",
            "claims",
            "--project",
        ])
        .arg(&setup.project_path)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    // Overlapping spans are left out of doc.ents only, and the summary says so.
    assert!(stderr.contains("left out of doc.ents"), "{stderr}");
    assert!(
        stderr.contains("as spacy (offsets: Unicode code points"),
        "{stderr}"
    );
    let key = PathBuf::from("claims");
    run_checker("check_spacy_docbin.py", &[&setup.reference(), &out, &key]);
}

/// `spacy train` itself, not only `spacy debug data`: a blank English `ner` + `spancat`
/// pipeline from `spacy init config` trains for one epoch on the DocBin as train and dev set,
/// evaluates, saves, and the saved pipeline loads (about 1.5 s on two cores: the fixture's
/// three documents are one batch).
#[test]
fn spacy_train_runs_one_epoch_on_the_docbin() {
    let setup = Setup::new();
    let data = setup.file(ExportFormat::Spacy, "train.spacy");
    let work = setup.path("training");
    std::fs::create_dir(&work).unwrap();
    run_checker("check_spacy_train.py", &[&data, &work]);
}

#[test]
fn hugging_face_datasets_loads_the_jsonl_with_typed_spans() {
    let setup = Setup::new();
    run_checker("check_hf_datasets.py", &[&setup.reference()]);
}

#[test]
fn seqeval_recovers_the_conll_entities() {
    let setup = Setup::new();
    let conll = setup.file(ExportFormat::Conll, "data.conll");
    run_checker("check_seqeval.py", &[&setup.reference(), &conll]);
}

#[test]
fn brats_reader_and_bratiaa_take_the_brat_folder() {
    let setup = Setup::new();
    let all = setup.folder(ExportFormat::Brat, "brat", &ExportFilter::default());
    // bratiaa's layout: one subfolder per annotator, annotation.conf at the root.
    let root = setup.path("agreement");
    for annotator in ["ana", "ben"] {
        let filter = ExportFilter {
            annotators: vec![annotator.into()],
            ..ExportFilter::default()
        };
        setup.folder(
            ExportFormat::Brat,
            &format!("agreement/{annotator}"),
            &filter,
        );
    }
    std::fs::copy(all.join("annotation.conf"), root.join("annotation.conf")).unwrap();
    run_checker("check_brat.py", &[&setup.reference(), &all, &root]);
}

#[test]
fn label_studio_converter_takes_the_tasks() {
    let setup = Setup::new();
    let tasks = setup.file(ExportFormat::LabelStudio, "tasks.json");
    let config = setup.path("tasks.config.xml");
    std::fs::write(
        &config,
        labelstudio_config(&setup.project.scheme().unwrap()),
    )
    .unwrap();
    let out = setup.path("converted");
    std::fs::create_dir(&out).unwrap();
    run_checker(
        "check_labelstudio.py",
        &[&setup.reference(), &tasks, &config, &out],
    );
}

#[test]
fn webanno_readers_take_the_tsv_folder() {
    let setup = Setup::new();
    let tsv = setup.folder(ExportFormat::WebAnno, "webanno", &ExportFilter::default());
    run_checker("check_webanno.py", &[&setup.reference(), &tsv]);
}

#[test]
fn the_command_line_export_reads_the_same() {
    // The CLI path (temporary file, rename) gives the same bytes as the library call.
    let setup = Setup::new();
    let out = setup.path("cli.conll");
    let status = Command::new(env!("CARGO_BIN_EXE_stet"))
        .args(["export", "--format", "conll", "--project"])
        .arg(&setup.project_path)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success());
    let library = setup.file(ExportFormat::Conll, "lib.conll");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(&library).unwrap()
    );
    run_checker("check_seqeval.py", &[&setup.reference(), &out]);
}
