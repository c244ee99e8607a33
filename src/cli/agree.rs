//! `stet agree`: agreement between annotators, as a table or JSON for scripts.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use stet::model::count;
use stet::review::{AgreementOptions, Scores, agreement};
use stet::store::{Access, Project};

use super::ProjectArgs;

/// `stet agree`.
#[derive(Debug, Args)]
pub struct AgreeArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Annotators to compare, comma-separated (default: everyone with spans).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub annotators: Vec<String>,
    /// Only this label (repeatable; default: all).
    #[arg(long = "label", value_name = "NAME")]
    pub labels: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: AgreeFormat,
}

/// How `stet agree` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AgreeFormat {
    Table,
    Json,
}

/// Computes agreement and prints it.
pub fn agree(args: &AgreeArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(&args.project.project, Access::ReadOnly)?;
    let known = project.annotators()?;
    for name in &args.annotators {
        if !known.contains(name) {
            anyhow::bail!(
                "--annotators: {name:?} has no work in this project (annotators: {})",
                known.join(", ")
            );
        }
    }
    let scheme = project.scheme()?;
    for label in &args.labels {
        if scheme.label(label).is_none() {
            anyhow::bail!("--label {label:?}: not in the project's scheme");
        }
    }
    let options = AgreementOptions {
        annotators: args.annotators.clone(),
        labels: args.labels.clone(),
        ..AgreementOptions::default()
    };
    let report = agreement(&project, &options)?;
    let mut out = std::io::stdout().lock();
    if args.format == AgreeFormat::Json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "annotators: {}   documents: {} ({} skipped: not worked on by everyone)",
        report.annotators.join(", "),
        report.documents.len(),
        report.documents_skipped
    )?;
    writeln!(
        out,
        "\n{:<12} {:>8} {:>10} {:>8} {:>8} {:>8}",
        "", "exact F1", "overlap F1", "κ Cohen", "κ Fleiss", "α_u"
    )?;
    write_scores(&mut out, "overall", &report.overall)?;
    for (label, scores) in &report.labels {
        write_scores(&mut out, label, scores)?;
    }
    let relations = &report.relations;
    if relations.relations.iter().any(|&n| n > 0) {
        writeln!(
            out,
            "\nrelations: exact F1 {}  precision {}  recall {}  ({} matching)",
            fmt(relations.exact_f1),
            fmt(relations.precision),
            fmt(relations.recall),
            relations.matches
        )?;
    }
    for (name, scores) in &report.attributes {
        writeln!(
            out,
            "{name}: agreement {}  κ Cohen {}  over {} tagged alike",
            fmt(scores.agreement),
            fmt(scores.cohen_kappa),
            count(scores.n, "span")
        )?;
    }
    writeln!(out, "\nmost disagreement first:")?;
    for doc in report.documents.iter().take(20) {
        writeln!(
            out,
            "{:>5}  {:>4} disagreements  {}",
            doc.id, doc.disagreements, doc.title
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_scores(out: &mut impl Write, name: &str, s: &Scores) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<12} {:>8} {:>10} {:>8} {:>8} {:>8}",
        name,
        fmt(s.exact_f1),
        fmt(s.overlap_f1),
        fmt(s.cohen_kappa),
        fmt(s.fleiss_kappa),
        fmt(s.alpha_u)
    )
}

/// Three decimals, or a dash where the metric is undefined.
fn fmt(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"))
}
