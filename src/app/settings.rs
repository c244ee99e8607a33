//! What the window remembers across restarts: theme, text size, snapping, which side panels
//! show, the window's place and size, the last project and each project's last document, and
//! the name given as "who is annotating".
//! Kept as JSON in the platform config folder (`settings.json`); a missing or unreadable
//! file is the defaults, never an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The remembered settings. Every field is optional, so that an older or hand-edited file
/// still reads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `system`, `light` or `dark`.
    pub theme: Option<String>,
    pub font_size: Option<f32>,
    pub snap_words: Option<bool>,
    pub show_documents: Option<bool>,
    pub show_details: Option<bool>,
    /// The window's outer position and inner size: x, y, width, height.
    pub window: Option<[f32; 4]>,
    pub last_project: Option<PathBuf>,
    /// The name last given in the window's "who is annotating" prompt.
    pub annotator: Option<String>,
    /// Each project's (by path) last open document (by uid).
    pub last_documents: BTreeMap<String, String>,
}

impl Settings {
    /// The settings file in the platform config folder.
    pub fn default_file() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "stet").map(|d| d.config_dir().join("settings.json"))
    }

    /// Reads `path`; the defaults when it is missing or unreadable.
    pub fn load(path: &Path) -> Self {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Writes `path` whole (a temporary file renamed over it); failures are not worth an
    /// error: the settings are a convenience.
    pub fn save(&self, path: &Path) {
        let Ok(text) = serde_json::to_string_pretty(self) else {
            return;
        };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let temp = path.with_extension("json.part");
        if std::fs::write(&temp, text).is_ok() {
            let _ = std::fs::rename(&temp, path);
        }
    }

    pub fn theme_preference(&self) -> Option<egui::ThemePreference> {
        match self.theme.as_deref()? {
            "light" => Some(egui::ThemePreference::Light),
            "dark" => Some(egui::ThemePreference::Dark),
            "system" => Some(egui::ThemePreference::System),
            _ => None,
        }
    }

    pub fn theme_name(preference: egui::ThemePreference) -> &'static str {
        match preference {
            egui::ThemePreference::Light => "light",
            egui::ThemePreference::Dark => "dark",
            egui::ThemePreference::System => "system",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_save_and_a_bad_file_is_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        assert_eq!(Settings::load(&path), Settings::default());
        let mut settings = Settings {
            theme: Some("dark".into()),
            font_size: Some(20.0),
            window: Some([10.0, 20.0, 900.0, 600.0]),
            annotator: Some("Bea Lind".into()),
            ..Settings::default()
        };
        settings
            .last_documents
            .insert("/p/team.stet".into(), "abc".into());
        settings.save(&path);
        assert_eq!(Settings::load(&path), settings);
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
    }
}
