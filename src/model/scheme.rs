//! Label schemes: the set of labels a project tags with, read from RON files in `projects/`.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The scheme every new project gets unless told otherwise (`projects/newsroom.ron`).
pub const DEFAULT_SCHEME_RON: &str = include_str!("../../projects/newsroom.ron");

/// A label colour, written `"#rrggbb"` in scheme files and the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Color {
    /// Parses `#rrggbb` (case-insensitive); `None` for anything else.
    pub fn parse_hex(text: &str) -> Option<Self> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        Some(Self {
            r: channel(0)?,
            g: channel(2)?,
            b: channel(4)?,
        })
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// One label of a scheme as written in the RON file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelDef {
    /// The label's name as exported (`claim`).
    pub name: String,
    /// Background colour in the article view, `#rrggbb`.
    pub color: String,
    /// One key that applies the label (`"1"`); optional.
    #[serde(default)]
    pub hotkey: Option<String>,
    /// What the label means, shown on hover: the rule an analyst applies.
    #[serde(default)]
    pub description: String,
}

impl LabelDef {
    /// The parsed colour; schemes are validated on load, so a bad one only comes from a
    /// hand-edited project and falls back to grey.
    pub fn rgb(&self) -> Color {
        Color::parse_hex(&self.color).unwrap_or(Color {
            r: 0x99,
            g: 0x99,
            b: 0x99,
        })
    }
}

/// A named list of labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelScheme {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub labels: Vec<LabelDef>,
}

/// Why a scheme file was refused.
#[derive(Debug, thiserror::Error)]
pub enum SchemeError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl LabelScheme {
    /// The built-in newsroom scheme (claim, quote, figure, denial).
    #[allow(clippy::expect_used)]
    pub fn newsroom() -> Self {
        // The embedded file is checked by a unit test, so this cannot fail in a release.
        Self::parse(DEFAULT_SCHEME_RON, Path::new("projects/newsroom.ron"))
            .expect("the embedded newsroom scheme is valid")
    }

    /// Reads and validates a scheme file.
    pub fn load(path: &Path) -> Result<Self, SchemeError> {
        let text = std::fs::read_to_string(path).map_err(|source| SchemeError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses and validates scheme text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, SchemeError> {
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let scheme: Self = options.from_str(text).map_err(|err| SchemeError::Invalid {
            path: path.to_owned(),
            line: err.span.start.line,
            column: err.span.start.col,
            message: err.code.to_string(),
        })?;
        scheme.validate(text, path)?;
        Ok(scheme)
    }

    /// Finds a label by name.
    pub fn label(&self, name: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|l| l.name == name)
    }

    fn validate(&self, text: &str, path: &Path) -> Result<(), SchemeError> {
        let invalid = |needle: &str, nth: usize, message: String| {
            let (line, column) = locate(text, needle, nth);
            SchemeError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message,
            }
        };
        if self.labels.is_empty() {
            return Err(invalid("labels", 0, "the scheme has no labels".into()));
        }
        let mut names = HashSet::new();
        let mut hotkeys = HashSet::new();
        for label in &self.labels {
            let quoted = format!("\"{}\"", label.name);
            if label.name.trim().is_empty() || label.name.trim() != label.name {
                return Err(invalid(
                    &quoted,
                    0,
                    format!(
                        "label name {:?} must be non-empty with no edge spaces",
                        label.name
                    ),
                ));
            }
            if !names.insert(label.name.as_str()) {
                return Err(invalid(
                    &quoted,
                    1,
                    format!("label name {:?} is used twice", label.name),
                ));
            }
            if Color::parse_hex(&label.color).is_none() {
                return Err(invalid(
                    &format!("\"{}\"", label.color),
                    0,
                    format!(
                        "label {:?}: colour {:?} is not of the form \"#rrggbb\"",
                        label.name, label.color
                    ),
                ));
            }
            if let Some(key) = &label.hotkey {
                let quoted_key = format!("\"{key}\"");
                if key.chars().count() != 1 || key.chars().any(char::is_whitespace) {
                    return Err(invalid(
                        &quoted_key,
                        0,
                        format!(
                            "label {:?}: hotkey {key:?} must be one character",
                            label.name
                        ),
                    ));
                }
                if !hotkeys.insert(key.to_lowercase()) {
                    return Err(invalid(
                        &quoted_key,
                        1,
                        format!("hotkey {key:?} is used by two labels"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The 1-based line and column of the `nth` (0-based) occurrence of `needle`, or of the
/// last one found; (1, 1) if it does not occur.
fn locate(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let Some((offset, _)) = text.match_indices(needle).take(nth + 1).last() else {
        return (1, 1);
    };
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<LabelScheme, SchemeError> {
        LabelScheme::parse(text, Path::new("team.ron"))
    }

    #[test]
    fn newsroom_scheme_has_the_four_labels_with_hotkeys() {
        let scheme = LabelScheme::newsroom();
        let names: Vec<_> = scheme.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["claim", "quote", "figure", "denial"]);
        let keys: Vec<_> = scheme
            .labels
            .iter()
            .map(|l| l.hotkey.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(keys, ["1", "2", "3", "4"]);
        assert!(scheme.labels.iter().all(|l| l.description.len() > 80));
    }

    #[test]
    fn duplicate_name_is_refused_with_its_line() {
        let text = "(name: \"t\", labels: [\n  (name: \"a\", color: \"#112233\"),\n  (name: \"a\", color: \"#112234\"),\n])";
        let err = parse(text).unwrap_err().to_string();
        assert_eq!(err, "team.ron:3:10: label name \"a\" is used twice");
    }

    #[test]
    fn duplicate_hotkey_is_refused() {
        let text = "(name: \"t\", labels: [(name: \"a\", color: \"#112233\", hotkey: \"1\"), (name: \"b\", color: \"#112233\", hotkey: \"1\")])";
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains("hotkey \"1\" is used by two labels"), "{err}");
    }

    #[test]
    fn bad_colour_is_refused() {
        let text = "(name: \"t\", labels: [\n(name: \"a\", color: \"red\")])";
        let err = parse(text).unwrap_err().to_string();
        assert_eq!(
            err,
            "team.ron:2:20: label \"a\": colour \"red\" is not of the form \"#rrggbb\""
        );
    }

    #[test]
    fn unknown_field_is_refused_with_line_and_column() {
        let text = "(name: \"t\", labels: [\n  (name: \"a\", colour: \"#112233\")])";
        let err = parse(text).unwrap_err().to_string();
        assert!(err.starts_with("team.ron:2:"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn colour_round_trips_through_hex() {
        let color = Color::parse_hex("#A0b1C2").unwrap();
        assert_eq!(color.to_string(), "#a0b1c2");
        assert!(Color::parse_hex("#a0b1c").is_none());
        assert!(Color::parse_hex("a0b1c2").is_none());
    }
}
