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
    /// Whether the name came from `--annotator` or `STET_ANNOTATOR`; if not, the name the
    /// window was given before wins over the OS user name, and a generic OS user name (root)
    /// makes the window ask.
    pub annotator_given: bool,
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

/// Opens the project `options` name (or the default one).
fn open_project(options: &LaunchOptions) -> anyhow::Result<Project> {
    Ok(match &options.project {
        Some(path) if path.exists() => Project::open(path, crate::store::Access::ReadWrite)?,
        Some(path) => {
            let scheme = options.scheme.clone().unwrap_or_else(LabelScheme::newsroom);
            Project::create(path, &scheme)?
        }
        None => open_default_project(&default_project_path()?, &options.annotator)?,
    })
}

/// Opens the window and runs until it is closed. A project that cannot be opened (damaged,
/// written by a newer stet) does not stop the window: it shows the problem and the ways
/// out.
pub fn run(options: LaunchOptions) -> anyhow::Result<()> {
    let mut options = options;
    // Read once: the launcher takes the window's place and the last project from it, and
    // hands it to the app.
    let settings_file = super::settings::Settings::default_file();
    let remembered = settings_file
        .as_deref()
        .map(super::settings::Settings::load)
        .unwrap_or_default();
    // Started with no project named: the last one, if it is still there.
    if options.project.is_none()
        && let Some(last) = remembered.last_project.as_ref().filter(|p| p.is_file())
    {
        options.project = Some(last.clone());
    }
    let mut ask_name = false;
    if !options.annotator_given {
        match remembered
            .annotator
            .clone()
            .filter(|name| super::whoami::refuse(name).is_none())
        {
            Some(name) => options.annotator = name,
            None => ask_name = super::whoami::is_generic(&options.annotator),
        }
    }
    let screen = match open_project(&options) {
        Ok(project) => {
            let mut app = StetApp::new(project, options.annotator.clone(), Box::new(RfdDialogs))?;
            if let Some(file) = &settings_file {
                app = app.with_settings(file, remembered.clone());
            }
            if ask_name {
                app = app.asking_name();
            }
            if !options.articles.is_empty() {
                app.send(super::commands::Command::Import(options.articles.clone()));
            }
            Screen::Working(Box::new(app))
        }
        Err(err) => Screen::Problem(super::problem::ProblemScreen::new(
            options.project.clone(),
            options.annotator.clone(),
            format!("{err:#}"),
        )),
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("stet")
        .with_app_id("stet")
        .with_inner_size([1280.0, 820.0])
        .with_drag_and_drop(true);
    // Where the window was last time, if that was a sensible size.
    if let Some([x, y, width, height]) = remembered.window
        && width >= 400.0
        && height >= 300.0
    {
        viewport = viewport
            .with_inner_size([width, height])
            .with_position([x.max(0.0), y.max(0.0)]);
    }
    let native = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "stet",
        native,
        Box::new(move |cc| {
            theme::install_fonts(&cc.egui_ctx);
            cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
            Ok(Box::new(screen))
        }),
    )
    .map_err(|err| anyhow::anyhow!("cannot open the window: {err}"))
}

/// What the window shows: the work, or a problem opening the project.
enum Screen {
    Working(Box<StetApp>),
    Problem(super::problem::ProblemScreen),
}

impl eframe::App for Screen {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        match self {
            Self::Working(app) => {
                let title = format!("stet — {}", app.project().path().display());
                ui.ctx()
                    .send_viewport_cmd(egui::ViewportCommand::Title(title));
                eframe::App::ui(app.as_mut(), ui, frame);
            }
            Self::Problem(problem) => {
                if let Some(app) = problem.ui(ui) {
                    *self = Self::Working(Box::new(app));
                }
            }
        }
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        if let Self::Working(app) = self {
            eframe::App::on_exit(app.as_mut(), gl);
        }
    }
}
