//! The window when the project cannot be opened (a damaged default project, a newer stet's
//! file): the problem in one line, and the ways out — open or create another project, or
//! move the damaged file aside and start a fresh default project.

use std::path::PathBuf;

use super::StetApp;
use super::dialogs::{DialogKind, FileDialogs, Picked, RfdDialogs};
use super::launch::{default_project_path, open_default_project};
use crate::model::LabelScheme;
use crate::store::{Access, Project};

/// The problem screen's state.
pub struct ProblemScreen {
    /// The project named on the command line, if any (else the default one failed).
    named: Option<PathBuf>,
    annotator: String,
    problem: String,
    /// What the last attempt to get out said.
    message: Option<String>,
    typed: String,
    dialogs: Box<dyn FileDialogs>,
}

impl ProblemScreen {
    /// A screen saying why `named` (or the default project) could not be opened.
    pub fn new(named: Option<PathBuf>, annotator: String, problem: String) -> Self {
        Self {
            named,
            annotator,
            problem,
            message: None,
            typed: String::new(),
            dialogs: Box::new(RfdDialogs),
        }
    }

    /// Draws the screen; returns the app once a project is open.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<StetApp> {
        let mut opened = None;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() / 5.0);
                ui.heading("stet could not open the project");
                ui.add_space(8.0);
                ui.add(egui::Label::new(&self.problem).wrap());
                ui.add_space(16.0);
                if let Some(message) = &self.message {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                    ui.add_space(8.0);
                }
                if ui.button("Open another project…").clicked() {
                    opened = self.ask(DialogKind::OpenProject);
                }
                if ui.button("Create a new project…").clicked() {
                    opened = self.ask(DialogKind::NewProject);
                }
                if self.named.is_none()
                    && ui
                        .button("Move the damaged file aside and start a fresh default project")
                        .clicked()
                {
                    opened = self.start_fresh();
                }
                ui.add_space(8.0);
                ui.label("Or type the path of a project to open:");
                let response =
                    ui.add(egui::TextEdit::singleline(&mut self.typed).desired_width(420.0));
                if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    let path = PathBuf::from(self.typed.trim());
                    opened = self.open(&path);
                }
            });
        });
        opened
    }

    fn ask(&mut self, kind: DialogKind) -> Option<StetApp> {
        match self.dialogs.ask(kind, "project.stet") {
            Picked::Chosen(paths) => {
                let path = paths.into_iter().next()?;
                if kind == DialogKind::NewProject {
                    self.create(&path)
                } else {
                    self.open(&path)
                }
            }
            Picked::Cancelled => None,
            Picked::Unavailable => {
                self.message = Some("No file dialog is available here: type the path below".into());
                None
            }
        }
    }

    fn open(&mut self, path: &std::path::Path) -> Option<StetApp> {
        self.finish(Project::open(path, Access::ReadWrite).map_err(anyhow::Error::from))
    }

    fn create(&mut self, path: &std::path::Path) -> Option<StetApp> {
        self.finish(Project::create(path, &LabelScheme::newsroom()).map_err(anyhow::Error::from))
    }

    /// Renames the damaged default project to `default.stet.damaged-…` and makes a new one.
    fn start_fresh(&mut self) -> Option<StetApp> {
        let fresh = (|| -> anyhow::Result<Project> {
            let path = default_project_path()?;
            let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S").to_string();
            let aside = path.with_extension(format!("stet.damaged-{stamp}"));
            std::fs::rename(&path, &aside)?;
            // The log beside it holds part of it: it goes along, under the new name.
            for suffix in ["-wal", "-shm"] {
                let with = |p: &std::path::Path| {
                    let mut side = p.as_os_str().to_owned();
                    side.push(suffix);
                    PathBuf::from(side)
                };
                if with(&path).exists() {
                    std::fs::rename(with(&path), with(&aside))?;
                }
            }
            open_default_project(&path, &self.annotator)
        })();
        self.finish(fresh)
    }

    fn finish(&mut self, project: anyhow::Result<Project>) -> Option<StetApp> {
        let opened = project.and_then(|project| {
            StetApp::new(project, self.annotator.clone(), Box::new(RfdDialogs))
        });
        match opened {
            Ok(app) => Some(app),
            Err(err) => {
                self.message = Some(format!("{err:#}"));
                None
            }
        }
    }
}
