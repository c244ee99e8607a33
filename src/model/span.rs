//! Spans: labelled ranges of a document's text.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time.
    pub fn now() -> Self {
        Self(jiff::Timestamp::now().as_millisecond())
    }

    /// RFC 3339 in UTC with milliseconds, as exported (`2026-11-27T21:09:50.123Z`).
    pub fn to_rfc3339(self) -> String {
        match jiff::Timestamp::from_millisecond(self.0) {
            Ok(ts) => format!("{ts:.3}"),
            Err(_) => String::new(),
        }
    }
}

/// A range of Unicode code points (Rust `char`s, Python `str` indices), end-exclusive.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct CharRange {
    pub start: usize,
    pub end: usize,
}

impl CharRange {
    /// A range from `start` to `end` (code points, end-exclusive).
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// How many code points the range covers.
    pub const fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the range covers nothing.
    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// Whether two ranges share at least one code point.
    pub const fn overlaps(self, other: Self) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies inside this range.
    pub const fn contains_range(self, other: Self) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Checks the range against a text of `len_chars` code points.
    pub fn validate(self, len_chars: usize) -> Result<(), SpanError> {
        if self.start >= self.end {
            return Err(SpanError::Empty {
                start: self.start,
                end: self.end,
            });
        }
        if self.end > len_chars {
            return Err(SpanError::OutOfRange {
                start: self.start,
                end: self.end,
                len: len_chars,
            });
        }
        Ok(())
    }
}

impl fmt::Display for CharRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Why a span cannot be stored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("span {start}..{end} is empty or reversed (start must be below end)")]
    Empty { start: usize, end: usize },
    #[error("span {start}..{end} runs past the end of the text ({len} characters)")]
    OutOfRange {
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("label {label:?} is not in the project's scheme ({known})")]
    UnknownLabel { label: String, known: String },
}

/// Where a span came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Made by hand in the app.
    #[default]
    Manual,
    /// Read from a dataset file.
    Imported,
    /// Proposed by a model or rule, not yet confirmed.
    Suggested,
    /// Decided by a reviewer (the gold layer).
    Adjudicated,
}

impl Origin {
    /// The name stored in the project and shown to users.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Imported => "imported",
            Self::Suggested => "suggested",
            Self::Adjudicated => "adjudicated",
        }
    }

    /// Reads a stored name; unknown names count as imported.
    pub fn parse(name: &str) -> Self {
        match name {
            "manual" => Self::Manual,
            "suggested" => Self::Suggested,
            "adjudicated" => Self::Adjudicated,
            _ => Self::Imported,
        }
    }
}

/// An annotator's progress on a document.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    #[default]
    Todo,
    InProgress,
    Done,
}

impl DocStatus {
    /// The name stored in the project and accepted on the command line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Todo => "todo",
            Self::InProgress => "in_progress",
            Self::Done => "done",
        }
    }

    /// Words for people ("in progress").
    pub const fn label(self) -> &'static str {
        match self {
            Self::Todo => "todo",
            Self::InProgress => "in progress",
            Self::Done => "done",
        }
    }

    /// Reads a stored or typed name (`in_progress`, `in-progress`, `in progress`).
    pub fn parse(name: &str) -> Option<Self> {
        match name
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "todo" => Some(Self::Todo),
            "in_progress" => Some(Self::InProgress),
            "done" => Some(Self::Done),
            _ => None,
        }
    }
}

/// A span's attribute values, by attribute name (`verdict` → `false`).
pub type Attributes = std::collections::BTreeMap<String, String>;

/// A stored span: one annotator's label on one range of one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub id: i64,
    /// Unique across projects (random, kept by merges), so colleagues' copies match up.
    pub uid: String,
    pub document_id: i64,
    pub range: CharRange,
    pub label: String,
    pub annotator: String,
    pub note: String,
    pub origin: Origin,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Values of the label's attributes (only those set).
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
}

/// A stored relation: one annotator's link of a kind from one span to another of the same
/// document (a quote `said_by` its source).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub id: i64,
    /// Unique across projects (random, kept by merges).
    pub uid: String,
    pub document_id: i64,
    /// The relation kind's name (`said_by`).
    pub kind: String,
    /// The span it starts from and the one it points to, by id here and by uid.
    pub from: i64,
    pub to: i64,
    pub from_uid: String,
    pub to_uid: String,
    pub annotator: String,
    pub origin: Origin,
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_validation_names_the_problem() {
        assert_eq!(CharRange::new(2, 5).validate(5), Ok(()));
        assert!(matches!(
            CharRange::new(5, 2).validate(10),
            Err(SpanError::Empty { .. })
        ));
        assert!(matches!(
            CharRange::new(3, 3).validate(10),
            Err(SpanError::Empty { .. })
        ));
        assert_eq!(
            CharRange::new(8, 11).validate(10).unwrap_err().to_string(),
            "span 8..11 runs past the end of the text (10 characters)"
        );
    }

    #[test]
    fn overlap_is_exclusive_at_the_end() {
        assert!(CharRange::new(0, 5).overlaps(CharRange::new(4, 6)));
        assert!(!CharRange::new(0, 5).overlaps(CharRange::new(5, 6)));
        assert!(CharRange::new(0, 5).contains_range(CharRange::new(1, 5)));
    }

    #[test]
    fn timestamps_export_as_utc_rfc3339() {
        assert_eq!(
            Timestamp(1_764_277_790_123).to_rfc3339(),
            "2025-11-27T21:09:50.123Z"
        );
    }

    #[test]
    fn status_names_parse_loosely() {
        assert_eq!(DocStatus::parse("In progress"), Some(DocStatus::InProgress));
        assert_eq!(DocStatus::parse("done"), Some(DocStatus::Done));
        assert_eq!(DocStatus::parse("finished"), None);
    }
}
