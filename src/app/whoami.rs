//! Who is annotating: the name every span of this window is credited to (remembered in the
//! settings once someone has said it), so that colleagues who share an OS login (`root`, a
//! shared desk account) do not share a layer.

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
