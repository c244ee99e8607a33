//! `stet export`: writes the project as a dataset, whole or not at all.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};

use stet::export::{ExportFilter, ExportFormat, ExportSummary, FormatOptions, SplitSpec};
use stet::store::{Access, Project};
use stet::workflows::export::{
    ExportOutcome, ExportRequest, check_filter, export_to_path, left_out_notes, total_line,
    write_to_with,
};

use super::ProjectArgs;

/// `stet export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The dataset format.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Where to write: a file (`-` for standard output, the default) for jsonl, doccano,
    /// conll, labelstudio, csv and spacy; a new or empty folder for brat and webanno.
    #[arg(long, value_name = "PATH", default_value = "-")]
    pub out: PathBuf,
    /// Only this annotator's spans (repeatable; default: everyone's).
    #[arg(long = "annotator", value_name = "NAME")]
    pub annotators: Vec<String>,
    /// Only spans with this label (repeatable; default: all labels).
    #[arg(long = "label", value_name = "NAME")]
    pub labels: Vec<String>,
    /// Export the adjudicated (gold) layer: the spans reviewers accepted.
    #[arg(long, conflicts_with = "annotators")]
    pub gold: bool,
    /// Only documents with this status (`done`).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Split the documents into parts, e.g. `train=0.8,dev=0.1,test=0.1`; each part is
    /// written to OUT with its name before the extension (`data.train.jsonl`), or to a
    /// subfolder per part for folder formats.
    #[arg(long, value_name = "NAME=FRACTION,...")]
    pub split: Option<String>,
    /// The seed that orders documents for `--split` (the same seed gives the same split).
    #[arg(long, value_name = "N", default_value_t = 0, requires = "split")]
    pub seed: u64,
    /// CSV: write every cell exactly as the text has it. By default a cell that begins with
    /// = + - @, a tab or a carriage return gets a leading ' so that a spreadsheet shows it
    /// as text instead of running it as a formula.
    #[arg(long)]
    pub csv_exact: bool,
    /// spaCy: the key of `doc.spans` that holds every span (spancat's `spans_key`; default
    /// `sc`).
    #[arg(long, value_name = "KEY")]
    pub spans_key: Option<String>,
    /// Keep suggestions (spans of origin `suggested` and their links), left out by default.
    #[arg(long)]
    pub include_suggested: bool,
}

/// Dataset formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object per document; offsets in Unicode code points.
    Jsonl,
    /// doccano sequence labelling JSONL (`text`, `label: [[start, end, LABEL]]`); code points.
    Doccano,
    /// CoNLL-2003-style IOB2, `TOKEN -X- _ TAG` per line.
    Conll,
    /// A brat folder: NAME.txt + NAME.ann per document, annotation.conf, visual.conf.
    Brat,
    /// Label Studio tasks (JSON array); the labeling config is written to OUT.config.xml.
    Labelstudio,
    /// One row per span, UTF-8 with BOM; code points.
    Csv,
    /// A folder of WebAnno TSV 3.3 files for INCEpTION; UTF-16 offsets.
    Webanno,
    /// A spaCy DocBin (`.spacy`) for `spacy train`: every span in doc.spans, the
    /// non-overlapping ones as doc.ents.
    Spacy,
}

impl Format {
    /// The core's name for the format.
    pub const fn core(self) -> ExportFormat {
        match self {
            Self::Jsonl => ExportFormat::Jsonl,
            Self::Doccano => ExportFormat::Doccano,
            Self::Conll => ExportFormat::Conll,
            Self::Brat => ExportFormat::Brat,
            Self::Labelstudio => ExportFormat::LabelStudio,
            Self::Csv => ExportFormat::Csv,
            Self::Webanno => ExportFormat::WebAnno,
            Self::Spacy => ExportFormat::Spacy,
        }
    }
}

/// `stet export`: writes the dataset (each part of a split) whole or not at all.
pub fn export(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(&args.project.project, Access::ReadOnly)?;
    let only_done = match args.status.as_deref() {
        None => false,
        Some("done") => true,
        Some(other) => bail!("--status {other:?}: only \"done\" can be exported on its own"),
    };
    let split = match &args.split {
        None => None,
        Some(text) => Some(
            text.parse::<SplitSpec>()
                .map_err(|err| anyhow::anyhow!("--split {text:?}: {err}"))?,
        ),
    };
    let format = args.format.core();
    let to_stdout = args.out == Path::new("-");
    if to_stdout && format.is_folder() {
        bail!(
            "--format {} writes a folder: give --out FOLDER",
            format.name()
        );
    }
    if args.spans_key.is_some() && format != ExportFormat::Spacy {
        bail!(
            "--spans-key is for --format spacy; {} has no span groups",
            format.name()
        );
    }
    if to_stdout && format == ExportFormat::Spacy && std::io::stdout().is_terminal() {
        bail!("--format spacy writes a binary file: give --out FILE.spacy");
    }
    if to_stdout && split.is_some() {
        bail!("--split writes one output per part: give --out PATH");
    }
    let options = FormatOptions {
        csv_exact: args.csv_exact,
        spans_key: args.spans_key.clone(),
    };
    let filter = ExportFilter {
        annotators: if args.gold {
            vec![stet::store::GOLD.to_owned()]
        } else {
            args.annotators.clone()
        },
        labels: args.labels.clone(),
        only_done,
        documents: None,
        include_suggested: args.include_suggested,
    };
    let lines = if to_stdout {
        check_filter(&project, &filter)?;
        let summary =
            write_stdout(|out| Ok(write_to_with(&project, format, &filter, &options, out)?))?;
        if format == ExportFormat::LabelStudio {
            eprintln!(
                "stet: note: the Label Studio labeling config is only written beside a file; give --out FILE.json to get it"
            );
        }
        let mut lines = left_out_notes(format, &summary);
        lines.push(total_line(format, &summary));
        lines
    } else {
        let outcome: ExportOutcome = export_to_path(
            &project,
            &ExportRequest {
                format,
                filter,
                out: args.out.clone(),
                split: split.map(|spec| (spec, args.seed)),
                options: options.clone(),
            },
        )?;
        if let Some(config) = &outcome.config {
            eprintln!(
                "stet: Label Studio labeling config: {} (paste it into the project's Labeling Interface)",
                config.display()
            );
        }
        outcome.summary_lines()
    };
    for line in lines {
        eprintln!("stet: {line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `write` on standard output.
fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<ExportSummary>,
) -> anyhow::Result<ExportSummary> {
    let stdout = std::io::stdout();
    let mut lock = std::io::BufWriter::new(stdout.lock());
    let summary = write(&mut lock)?;
    lock.flush().context("standard output")?;
    Ok(summary)
}
