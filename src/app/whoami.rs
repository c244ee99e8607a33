//! Who is annotating: the name every span of this window is credited to, kept in the
//! platform config folder once someone has said it, so that colleagues who share an OS login
//! (`root`, a shared desk account) do not share a layer.

use std::path::PathBuf;

/// OS user names that say nothing about who is at the keyboard: the window asks.
const GENERIC_NAMES: &[&str] = &[
    "root",
    "admin",
    "administrator",
    "user",
    "guest",
    "analyst",
    "ubuntu",
    "debian",
    "pi",
    "desk",
    "newsroom",
];

/// Names stet uses for layers of its own.
const RESERVED: &[&str] = &[crate::store::GOLD, crate::store::SUGGESTER];

/// Whether `name` is an account's name rather than a person's.
pub fn is_generic(name: &str) -> bool {
    let name = name.trim();
    name.is_empty() || GENERIC_NAMES.iter().any(|g| g.eq_ignore_ascii_case(name))
}

/// Why a typed name cannot be an annotator, if it cannot.
pub fn refuse(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return Some("type a name".into());
    }
    if RESERVED.contains(&name) {
        return Some(format!(
            "{name:?} is the name of stet's own layer; choose another"
        ));
    }
    if name.chars().any(char::is_control) {
        return Some("a name is one line of text".into());
    }
    None
}

/// Where the name is kept (`annotator.txt` in the config folder).
fn file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "stet").map(|d| d.config_dir().join("annotator.txt"))
}

/// The name someone gave the window before, if any.
pub fn saved() -> Option<String> {
    let text = std::fs::read_to_string(file()?).ok()?;
    let name = text.trim();
    (refuse(name).is_none()).then(|| name.to_owned())
}

/// Keeps `name` for the next start; a failure to save is not worth an error.
pub fn save(name: &str) {
    if let Some(file) = file() {
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::write(file, format!("{name}\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_are_generic_and_stets_layers_are_refused() {
        assert!(is_generic("root") && is_generic("Administrator") && is_generic(" "));
        assert!(!is_generic("ana"));
        assert!(refuse("gold").is_some() && refuse("stet").is_some() && refuse(" ").is_some());
        assert_eq!(refuse("Bea Lind"), None);
    }
}
