//! The list of recently opened projects, kept in the platform config folder.

use std::path::{Path, PathBuf};

const MAX_RECENT: usize = 8;

/// Recently opened projects, most recent first.
#[derive(Default)]
pub struct RecentProjects {
    paths: Vec<PathBuf>,
    file: Option<PathBuf>,
}

impl RecentProjects {
    /// Reads the list from the config folder (empty if there is none).
    pub fn load() -> Self {
        let file = directories::ProjectDirs::from("", "", "stet")
            .map(|dirs| dirs.config_dir().join("recent-projects.txt"));
        let paths = file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .map(|text| text.lines().map(PathBuf::from).collect())
            .unwrap_or_default();
        Self { paths, file }
    }

    /// A list that is never saved (tests).
    pub fn in_memory() -> Self {
        Self::default()
    }

    /// The projects, most recent first.
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// Puts `path` first and saves the list (failures to save are not worth an error).
    pub fn add(&mut self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        self.paths.retain(|p| *p != path);
        self.paths.insert(0, path);
        self.paths.truncate(MAX_RECENT);
        if let Some(file) = &self.file {
            if let Some(dir) = file.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let text: String = self
                .paths
                .iter()
                .map(|p| format!("{}\n", p.display()))
                .collect();
            let _ = std::fs::write(file, text);
        }
    }
}
