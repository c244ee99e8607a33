//! The subcommands: thin wrappers that parse options, call the workflows and report. One file
//! per subcommand; this one holds what they share.

mod agree;
mod app;
mod copy;
mod docs;
mod export;
mod import;
mod merge;
mod stats;
mod suggest;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use stet::model::{LabelScheme, SchemeError};
use stet::store::Project;

pub use agree::{AgreeArgs, agree};
pub use app::open_app;
pub use copy::{CopyArgs, copy};
pub use docs::docs;
pub use export::{ExportArgs, export};
pub use import::{ImportArgs, import};
pub use merge::{MergeArgs, merge};
pub use stats::stats;
pub use suggest::{SuggestArgs, suggest};

/// Options every project command takes.
#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// The project file (NAME.stet).
    #[arg(long, env = "STET_PROJECT", value_name = "FILE")]
    pub project: PathBuf,
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
