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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// What an analyst records about a span of this label besides its range (a claim's
    /// verdict).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeDef>,
}

/// An attribute of a label's spans.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeDef {
    /// The attribute's name as exported (`verdict`).
    pub name: String,
    /// What values it takes.
    #[serde(default)]
    pub kind: AttributeKind,
    /// For a closed list (`Choice`), the values in the order keys cycle through them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// What the attribute means, shown on hover.
    #[serde(default)]
    pub description: String,
}

/// What values an attribute takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttributeKind {
    /// One of a closed list of values.
    #[default]
    Choice,
    /// Free text.
    Text,
    /// A number (written in decimal, `12` or `0.5`).
    Number,
}

impl AttributeDef {
    /// Checks a value for this attribute; `Err` says why it does not fit.
    pub fn check(&self, value: &str) -> Result<(), String> {
        match self.kind {
            AttributeKind::Choice if self.values.iter().any(|v| v == value) => Ok(()),
            AttributeKind::Choice => Err(format!(
                "{:?} is not a value of {} ({})",
                value,
                self.name,
                self.values.join(", ")
            )),
            AttributeKind::Text => Ok(()),
            AttributeKind::Number => value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(drop)
                .ok_or_else(|| format!("{}: {value:?} is not a number", self.name)),
        }
    }

    /// The value after `current` in the closed list, for keys that cycle: the first when
    /// unset, none (unset) after the last; always none for text and number attributes.
    pub fn next_value(&self, current: Option<&str>) -> Option<&str> {
        if self.kind != AttributeKind::Choice || self.values.is_empty() {
            return None;
        }
        // Unset, then each value in turn, then unset again.
        let next = match current.and_then(|c| self.values.iter().position(|v| v == c)) {
            Some(i) => i + 1,
            None => 0,
        };
        self.values.get(next).map(String::as_str)
    }
}

/// A kind of link between two spans (a quote `said_by` its source).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationDef {
    /// The relation's name as exported (`said_by`).
    pub name: String,
    /// The labels a relation of this kind may start from.
    pub from: Vec<String>,
    /// The labels it may point to.
    pub to: Vec<String>,
    /// One key that picks this kind when linking; optional.
    #[serde(default)]
    pub hotkey: Option<String>,
    /// What the relation means, shown on hover.
    #[serde(default)]
    pub description: String,
}

impl RelationDef {
    /// Whether a span labelled `from` may be linked to one labelled `to` by this kind.
    pub fn fits(&self, from: &str, to: &str) -> bool {
        self.from.iter().any(|l| l == from) && self.to.iter().any(|l| l == to)
    }
}

impl LabelDef {
    /// The attribute of this name, if the label has one.
    pub fn attribute(&self, name: &str) -> Option<&AttributeDef> {
        self.attributes.iter().find(|a| a.name == name)
    }

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

/// A label a file's collection declares or colours (brat's configuration).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredLabel {
    pub name: String,
    /// `#rrggbb`.
    pub color: Option<String>,
    /// Whether it is one of the collection's labels (an entity type), to add even where no
    /// span uses it; otherwise it only gives a used label its colour.
    pub declared: bool,
}

/// A named list of labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelScheme {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub labels: Vec<LabelDef>,
    /// The kinds of links between spans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<RelationDef>,
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
    /// The built-in newsroom scheme (claim, quote, figure, denial, source; said_by, denies).
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

    /// Finds a relation kind by name.
    pub fn relation(&self, name: &str) -> Option<&RelationDef> {
        self.relations.iter().find(|r| r.name == name)
    }

    /// The relation kinds that may link a span labelled `from` to one labelled `to`.
    pub fn relations_between<'s>(
        &'s self,
        from: &'s str,
        to: &'s str,
    ) -> impl Iterator<Item = &'s RelationDef> + 's {
        self.relations.iter().filter(move |r| r.fits(from, to))
    }

    /// Writes the scheme as a RON file that [`LabelScheme::parse`] reads back.
    pub fn to_ron(&self) -> Result<String, SchemeError> {
        let config = ron::ser::PrettyConfig::new()
            .struct_names(false)
            .indentor("    ".to_owned());
        ron::ser::to_string_pretty(self, config).map_err(|err| SchemeError::Invalid {
            path: PathBuf::from("scheme.ron"),
            line: 1,
            column: 1,
            message: err.to_string(),
        })
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
            self.validate_attributes(label, &invalid)?;
        }
        self.validate_relations(&names, &invalid)
    }

    fn validate_attributes(
        &self,
        label: &LabelDef,
        invalid: &dyn Fn(&str, usize, String) -> SchemeError,
    ) -> Result<(), SchemeError> {
        let mut seen = HashSet::new();
        for attribute in &label.attributes {
            let quoted = format!("\"{}\"", attribute.name);
            if attribute.name.trim().is_empty() || attribute.name.trim() != attribute.name {
                return Err(invalid(
                    &quoted,
                    0,
                    format!(
                        "label {:?}: attribute name {:?} must be non-empty with no edge spaces",
                        label.name, attribute.name
                    ),
                ));
            }
            if !seen.insert(attribute.name.as_str()) {
                return Err(invalid(
                    &quoted,
                    1,
                    format!(
                        "label {:?}: attribute {:?} is declared twice",
                        label.name, attribute.name
                    ),
                ));
            }
            match (attribute.kind, attribute.values.is_empty()) {
                (AttributeKind::Choice, true) => {
                    return Err(invalid(
                        &quoted,
                        0,
                        format!(
                            "label {:?}: attribute {:?} needs its values (or kind: Text or Number)",
                            label.name, attribute.name
                        ),
                    ));
                }
                (AttributeKind::Text | AttributeKind::Number, false) => {
                    return Err(invalid(
                        &quoted,
                        0,
                        format!(
                            "label {:?}: attribute {:?} is {:?}, so it takes no list of values",
                            label.name, attribute.name, attribute.kind
                        ),
                    ));
                }
                _ => {}
            }
            let mut values = HashSet::new();
            for value in &attribute.values {
                if !values.insert(value.as_str()) {
                    return Err(invalid(
                        &format!("\"{value}\""),
                        1,
                        format!(
                            "attribute {:?}: value {value:?} is listed twice",
                            attribute.name
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn validate_relations(
        &self,
        labels: &HashSet<&str>,
        invalid: &dyn Fn(&str, usize, String) -> SchemeError,
    ) -> Result<(), SchemeError> {
        let mut names = HashSet::new();
        let mut hotkeys = HashSet::new();
        for relation in &self.relations {
            let quoted = format!("\"{}\"", relation.name);
            if relation.name.trim().is_empty() || relation.name.trim() != relation.name {
                return Err(invalid(
                    &quoted,
                    0,
                    format!(
                        "relation name {:?} must be non-empty with no edge spaces",
                        relation.name
                    ),
                ));
            }
            if labels.contains(relation.name.as_str()) || !names.insert(relation.name.as_str()) {
                return Err(invalid(
                    &quoted,
                    1,
                    format!("relation name {:?} is used twice", relation.name),
                ));
            }
            for (end, list) in [("from", &relation.from), ("to", &relation.to)] {
                if list.is_empty() {
                    return Err(invalid(
                        &quoted,
                        0,
                        format!("relation {:?}: \"{end}\" names no label", relation.name),
                    ));
                }
                if let Some(unknown) = list.iter().find(|l| !labels.contains(l.as_str())) {
                    return Err(invalid(
                        &format!("\"{unknown}\""),
                        0,
                        format!(
                            "relation {:?}: {end} label {unknown:?} is not in the scheme",
                            relation.name
                        ),
                    ));
                }
            }
            if let Some(key) = &relation.hotkey {
                let quoted_key = format!("\"{key}\"");
                if key.chars().count() != 1 || key.chars().any(char::is_whitespace) {
                    return Err(invalid(
                        &quoted_key,
                        0,
                        format!(
                            "relation {:?}: hotkey {key:?} must be one character",
                            relation.name
                        ),
                    ));
                }
                if !hotkeys.insert(key.to_lowercase()) {
                    return Err(invalid(
                        &quoted_key,
                        1,
                        format!("hotkey {key:?} is used by two relations"),
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
    fn newsroom_scheme_has_its_labels_relations_and_verdict() {
        let scheme = LabelScheme::newsroom();
        let names: Vec<_> = scheme.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["claim", "quote", "figure", "denial", "source"]);
        let keys: Vec<_> = scheme
            .labels
            .iter()
            .map(|l| l.hotkey.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(keys, ["1", "2", "3", "4", "5"]);
        assert!(scheme.labels.iter().all(|l| l.description.len() > 80));
        let verdict = scheme.label("claim").and_then(|l| l.attribute("verdict"));
        let verdict = verdict.expect("claim has a verdict");
        assert_eq!(
            verdict.values,
            ["unverified", "true", "mostly true", "misleading", "false"]
        );
        let between: Vec<_> = scheme
            .relations_between("quote", "source")
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(between, ["said_by"]);
        assert!(scheme.relation("denies").unwrap().fits("denial", "claim"));
        assert!(!scheme.relation("denies").unwrap().fits("claim", "denial"));
        assert_eq!(scheme.relations_between("source", "quote").count(), 0);
    }

    #[test]
    fn a_scheme_written_out_reads_back_the_same() {
        let scheme = LabelScheme::newsroom();
        let text = scheme.to_ron().unwrap();
        let back = parse(&text).unwrap();
        assert_eq!(back, scheme);
    }

    #[test]
    fn attribute_values_are_checked_and_cycled() {
        let scheme = LabelScheme::newsroom();
        let verdict = scheme.label("claim").unwrap().attribute("verdict").unwrap();
        assert!(verdict.check("false").is_ok());
        let err = verdict.check("fake").unwrap_err();
        assert!(err.contains("\"fake\""), "{err}");
        assert!(err.contains("mostly true"), "{err}");
        assert_eq!(verdict.next_value(None), Some("unverified"));
        assert_eq!(verdict.next_value(Some("misleading")), Some("false"));
        assert_eq!(
            verdict.next_value(Some("false")),
            None,
            "past the last: unset"
        );
    }

    #[test]
    fn bad_relations_and_attributes_are_refused_with_their_line() {
        let base = |relations: &str, attributes: &str| {
            format!(
                "(name: \"t\", labels: [\n  (name: \"a\", color: \"#112233\", attributes: [{attributes}]),\n  (name: \"b\", color: \"#112234\"),\n], relations: [\n{relations}])"
            )
        };
        let err = parse(&base(
            "  (name: \"r\", from: [\"a\"], to: [\"zed\"]),\n",
            "",
        ))
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "team.ron:5:33: relation \"r\": to label \"zed\" is not in the scheme"
        );
        let err = parse(&base("  (name: \"r\", from: [], to: [\"b\"]),\n", ""))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("team.ron:5:"), "{err}");
        assert!(err.contains("\"from\" names no label"), "{err}");
        let err = parse(&base("", "(name: \"v\", kind: Choice, values: [])"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("team.ron:2:"), "{err}");
        assert!(err.contains("needs its values"), "{err}");
        let err = parse(&base("", "(name: \"n\", kind: Number, values: [\"1\"])"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("takes no list of values"), "{err}");
        let err = parse(&base(
            "  (name: \"r\", from: [\"a\"], to: [\"b\"], hotkey: \"s\"),\n  (name: \"q\", from: [\"a\"], to: [\"b\"], hotkey: \"s\"),\n",
            "",
        ))
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("team.ron:6:"), "{err}");
        assert!(err.contains("used by two relations"), "{err}");
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
