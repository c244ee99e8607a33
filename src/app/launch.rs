//! Starting the app: the project to open (the default one in the platform data folder, made
//! on first run with a sample article), articles named on the command line, the window.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::StetApp;
use super::dialogs::RfdDialogs;
use super::theme;
use crate::ingest::{FileKind, read_bytes};
use crate::model::LabelScheme;
use crate::store::Project;
use crate::workflows::import_articles;

/// The sample article a new default project starts with (written for stet).
const SAMPLE_ARTICLE: &[u8] = include_bytes!("../../assets/sample-article.txt");

/// What `stet` was started with.
#[derive(Debug, Default)]
pub struct LaunchOptions {
    pub project: Option<PathBuf>,
    pub annotator: String,
    pub scheme: Option<LabelScheme>,
    pub articles: Vec<PathBuf>,
}

/// Where the default project lives: `default.stet` in the platform data folder.
pub fn default_project_path() -> anyhow::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "stet")
        .context("no home folder to keep the default project in; pass --project FILE")?;
    Ok(dirs.data_dir().join("default.stet"))
}

/// Opens (or on first run creates, with the sample article) the project at `path`.
pub fn open_default_project(path: &Path, annotator: &str) -> anyhow::Result<Project> {
    if path.exists() {
        return Ok(Project::open(path, crate::store::Access::ReadWrite)?);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    }
    let mut project = Project::create(path, &LabelScheme::newsroom())?;
    let source = Path::new("sample-article.txt");
    let articles = read_bytes(SAMPLE_ARTICLE, FileKind::Text, source)?;
    import_articles(&mut project, source, articles, annotator)?;
    Ok(project)
}

/// Opens the window and runs until it is closed.
pub fn run(options: LaunchOptions) -> anyhow::Result<()> {
    let project = match &options.project {
        Some(path) if path.exists() => Project::open(path, crate::store::Access::ReadWrite)?,
        Some(path) => {
            let scheme = options.scheme.clone().unwrap_or_else(LabelScheme::newsroom);
            Project::create(path, &scheme)?
        }
        None => open_default_project(&default_project_path()?, &options.annotator)?,
    };
    let title = format!("stet — {}", project.path().display());
    let mut app = StetApp::new(project, options.annotator.clone(), Box::new(RfdDialogs))?;
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(title)
            .with_app_id("stet")
            .with_inner_size([1280.0, 820.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let articles = options.articles;
    eframe::run_native(
        "stet",
        native,
        Box::new(move |cc| {
            theme::install_fonts(&cc.egui_ctx);
            cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
            if !articles.is_empty() {
                app.send(super::commands::Command::Import(articles));
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|err| anyhow::anyhow!("cannot open the window: {err}"))
}
