//! The `stet` command: with no subcommand it opens the app; subcommands script the same core.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// stet: tag claims, quotes, figures and denials in articles; export datasets; review.
#[derive(Debug, Parser)]
#[command(name = "stet", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    /// The project file (NAME.stet); the app defaults to one in the platform data folder.
    #[arg(long, env = "STET_PROJECT", value_name = "FILE")]
    project: Option<PathBuf>,
    /// Who is annotating (default: $STET_ANNOTATOR, else the OS user name).
    #[arg(long, value_name = "NAME")]
    annotator: Option<String>,
    /// Label scheme for a project that does not exist yet (default: projects/newsroom.ron).
    #[arg(long, value_name = "FILE.ron")]
    scheme: Option<PathBuf>,
    /// Articles to import and open.
    articles: Vec<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import article files or folders (recursively) into a project.
    Import(cli::ImportArgs),
    /// Export the project as a dataset.
    Export(cli::ExportArgs),
    /// List the project's documents.
    Docs(cli::ProjectArgs),
    /// Count documents and spans per label, annotator and status.
    Stats(cli::ProjectArgs),
    /// Measure agreement between annotators (F1, Cohen's/Fleiss' κ, Krippendorff's α_u).
    Agree(cli::AgreeArgs),
    /// Merge colleagues' project files (or their JSONL exports) into this project.
    Merge(cli::MergeArgs),
    /// Write a copy of the project for a colleague to tag apart (a new project uid, so merges
    /// follow their edits and deletions).
    Copy(cli::CopyArgs),
    /// Pre-annotate documents with suggested figures, quotes and their speakers, denials
    /// and strings already tagged elsewhere (origin `suggested`, annotator `stet`).
    Suggest(cli::SuggestArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Import(args)) => cli::import(&args),
        Some(Command::Export(args)) => cli::export(&args),
        Some(Command::Docs(args)) => cli::docs(&args),
        Some(Command::Stats(args)) => cli::stats(&args),
        Some(Command::Agree(args)) => cli::agree(&args),
        Some(Command::Merge(args)) => cli::merge(&args),
        Some(Command::Copy(args)) => cli::copy(&args),
        Some(Command::Suggest(args)) => cli::suggest(&args),
        None => {
            let subcommands: Vec<String> = Cli::command()
                .get_subcommands()
                .map(|c| c.get_name().to_owned())
                .filter(|name| name != "help")
                .collect();
            cli::open_app(
                cli.project,
                cli.annotator,
                cli.scheme,
                &cli.articles,
                &subcommands,
            )
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("stet: {err:#}");
            ExitCode::FAILURE
        }
    }
}
