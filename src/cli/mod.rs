//! The subcommands: thin wrappers that parse options, call the core and report.

mod agree;

pub use agree::{AgreeArgs, agree};

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use stet::export::{
    ExportFilter, ExportFormat, ExportRequest, ExportSummary, SplitSpec, export_to_path,
};
use stet::ingest::import_paths;
use stet::model::{LabelScheme, SchemeError};
use stet::store::{Access, Project};

mod merge;

pub use merge::{CopyArgs, MergeArgs, copy, merge};

/// Options every project command takes.
#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// The project file (NAME.stet).
    #[arg(long, env = "STET_PROJECT", value_name = "FILE")]
    pub project: PathBuf,
}

/// `stet import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Whose spans the imported spans are when a record names no annotator.
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
    /// Label scheme for a project that does not exist yet.
    #[arg(long, value_name = "FILE.ron")]
    pub scheme: Option<PathBuf>,
    /// Files or folders (read recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `stet export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The dataset format.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Where to write: a file (`-` for standard output, the default) for jsonl, doccano,
    /// conll, labelstudio and csv; a new or empty folder for brat and webanno.
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
        }
    }
}

/// The annotator's name: the option, else `$STET_ANNOTATOR`, else the OS user name.
pub fn annotator_name(option: Option<&str>) -> String {
    option
        .map(str::to_owned)
        .or_else(|| std::env::var("STET_ANNOTATOR").ok())
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "analyst".to_owned())
}

/// Opens a project for writing, creating it with the given (or default) scheme.
pub fn open_for_writing(path: &Path, scheme: Option<&Path>) -> anyhow::Result<Project> {
    Project::open_or_create(path, || load_scheme(scheme))
}

fn load_scheme(path: Option<&Path>) -> Result<LabelScheme, SchemeError> {
    match path {
        Some(path) => LabelScheme::load(path),
        None => Ok(LabelScheme::newsroom()),
    }
}

/// `stet import`: reads files into the project; exit status 1 if any file was refused.
pub fn import(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let mut project = open_for_writing(&args.project.project, args.scheme.as_deref())?;
    let annotator = annotator_name(args.annotator.as_deref());
    let mut progress = DelayedProgress::new("importing");
    let report = import_paths(&mut project, &args.paths, &annotator, &mut |done, total| {
        progress.update(done, total);
    })?;
    progress.finish();
    for line in report.skipped.iter().chain(&report.notes) {
        eprintln!("stet: note: {line}");
    }
    for line in &report.errors {
        eprintln!("stet: error: {line}");
    }
    // Colleagues' exports were merged: the same lines `stet merge` prints.
    for merged in &report.merged {
        for conflict in &merged.conflicts {
            eprintln!("stet: conflict: {}: {conflict}", merged.source.display());
        }
        println!("merged {}: {}", merged.source.display(), merged.summary());
    }
    println!(
        "imported {} document{} and {} span{}; {} already in the project (skipped); {} file{} refused",
        report.added.len(),
        plural(report.added.len()),
        report.spans_added,
        plural(report.spans_added),
        report.duplicates.len(),
        report.errors.len(),
        plural(report.errors.len()),
    );
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `stet export`: writes the dataset (each part of a split) whole or not at all.
pub fn export(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(&args.project.project, Access::ReadOnly)?;
    let only_done = match args.status.as_deref() {
        None => false,
        Some("done") => true,
        Some(other) => bail!("--status {other:?}: only \"done\" can be exported on its own"),
    };
    let scheme = project.scheme()?;
    for label in &args.labels {
        if scheme.label(label).is_none() {
            bail!(
                "--label {label:?}: not in the project's scheme ({})",
                scheme
                    .labels
                    .iter()
                    .map(|l| l.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let known = project.annotators()?;
    for name in &args.annotators {
        if !known.contains(name) {
            bail!(
                "--annotator {name:?}: nobody of that name has worked in the project ({})",
                if known.is_empty() {
                    "no annotators yet".to_owned()
                } else {
                    known.join(", ")
                }
            );
        }
    }
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
            "--format {:?} writes a folder: give --out FOLDER",
            args.format
        );
    }
    if to_stdout && split.is_some() {
        bail!("--split writes one output per part: give --out PATH");
    }
    let filter = ExportFilter {
        annotators: if args.gold {
            vec![stet::store::GOLD.to_owned()]
        } else {
            args.annotators.clone()
        },
        labels: args.labels.clone(),
        only_done,
        documents: None,
    };
    let mut written: Vec<(String, ExportSummary)> = Vec::new();
    if to_stdout {
        let summary = write_output(&args.out, |out| {
            Ok(format.write_file(&project, &filter, out)?)
        })?;
        written.push(("standard output".into(), summary));
        if format == ExportFormat::LabelStudio {
            eprintln!(
                "stet: note: the Label Studio labeling config is only written beside a file; give --out FILE.json to get it"
            );
        }
    } else {
        let outcome = export_to_path(
            &project,
            &ExportRequest {
                format,
                filter,
                out: args.out.clone(),
                split: split.map(|spec| (spec, args.seed)),
            },
        )?;
        if let Some(config) = &outcome.config {
            eprintln!(
                "stet: Label Studio labeling config: {} (paste it into the project's Labeling Interface)",
                config.display()
            );
        }
        written = outcome
            .written
            .into_iter()
            .map(|(path, summary)| (path.display().to_string(), summary))
            .collect();
    }

    let mut total = ExportSummary::default();
    for (place, summary) in &written {
        total.add(summary);
        if written.len() > 1 {
            eprintln!(
                "stet: {place}: {} document{} and {} span{}",
                summary.documents,
                plural(summary.documents),
                summary.spans,
                plural(summary.spans)
            );
        }
    }
    if total.left_out > 0 {
        eprintln!(
            "stet: note: {} span{} left out: {}",
            total.left_out,
            plural(total.left_out),
            match format {
                ExportFormat::Conll =>
                    "IOB2 cannot overlap, so the longest of overlapping spans was kept (spans covering only whitespace are left out too)",
                _ => "they cover only whitespace, which this format has no place for",
            }
        );
    }
    if total.split_words > 0 {
        eprintln!(
            "stet: note: {} span{} began or ended inside a word; the word was split into two tokens there",
            total.split_words,
            plural(total.split_words)
        );
    }
    if total.skipped_documents > 0 {
        eprintln!(
            "stet: note: {} document{} with no words skipped (WebAnno TSV cannot hold an empty document)",
            total.skipped_documents,
            plural(total.skipped_documents)
        );
    }
    eprintln!(
        "stet: exported {} document{} and {} span{} as {} (offsets: {})",
        total.documents,
        plural(total.documents),
        total.spans,
        plural(total.spans),
        args.format
            .to_possible_value()
            .map_or_else(|| format!("{:?}", args.format), |v| v.get_name().to_owned()),
        format.offset_unit()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `write` on standard output.
fn write_output(
    out: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<ExportSummary>,
) -> anyhow::Result<ExportSummary> {
    debug_assert_eq!(out, Path::new("-"));
    let stdout = std::io::stdout();
    let mut lock = std::io::BufWriter::new(stdout.lock());
    let summary = write(&mut lock)?;
    lock.flush().context("standard output")?;
    Ok(summary)
}

/// `stet docs`: one line per document.
pub fn docs(args: &ProjectArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(&args.project, Access::ReadOnly)?;
    let docs = project.documents()?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:>5}  {:<32}  {:>8}  {:>6}  title",
        "id", "uid", "chars", "spans"
    )?;
    for doc in docs {
        writeln!(
            out,
            "{:>5}  {:<32}  {:>8}  {:>6}  {}",
            doc.id, doc.uid, doc.len_chars, doc.span_count, doc.title
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `stet stats`: counts per label, annotator and status.
pub fn stats(args: &ProjectArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(&args.project, Access::ReadOnly)?;
    let stats = project.stats()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "documents  {}", stats.documents)?;
    writeln!(out, "spans      {}", stats.spans)?;
    writeln!(out, "\nlabel          spans")?;
    for (label, count) in &stats.by_label {
        writeln!(out, "{label:<14} {count:>5}")?;
    }
    writeln!(out, "\nannotator      spans   todo  in progress   done")?;
    for a in &stats.by_annotator {
        writeln!(
            out,
            "{:<14} {:>5}  {:>5}  {:>11}  {:>5}",
            a.name, a.spans, a.todo, a.in_progress, a.done
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// No subcommand: opens the app on the project (default: the one in the data folder).
pub fn open_app(
    project: Option<PathBuf>,
    annotator: Option<String>,
    scheme: Option<PathBuf>,
    articles: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let scheme = match scheme {
        Some(path) => Some(LabelScheme::load(&path)?),
        None => None,
    };
    stet::app::run(stet::app::LaunchOptions {
        project,
        annotator: annotator_name(annotator.as_deref()),
        scheme,
        articles: articles.to_vec(),
    })?;
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A progress bar that appears only once work has lasted a second, and only on a terminal.
struct DelayedProgress {
    bar: ProgressBar,
    started: Instant,
    shown: bool,
}

impl DelayedProgress {
    fn new(what: &'static str) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} {eta}") {
            bar.set_style(style);
        }
        bar.set_message(what);
        Self {
            bar,
            started: Instant::now(),
            shown: false,
        }
    }

    fn update(&mut self, done: usize, total: usize) {
        self.bar.set_length(total as u64);
        self.bar.set_position(done as u64);
        if !self.shown
            && self.started.elapsed() > Duration::from_secs(1)
            && std::io::stderr().is_terminal()
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
