//! What a merge did, in words the window and the command line both show, and the log entry
//! it leaves.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::{CharRange, LabelDef, count};

/// What one side holds of a span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanContent {
    pub range: CharRange,
    pub label: String,
    pub annotator: String,
    pub note: String,
}

/// How the two copies of a span disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictKind {
    /// Changed here and there since the last merge, differently.
    BothChanged,
    /// Changed here since the last merge; deleted there.
    ChangedHereDeletedThere,
    /// Deleted here; changed there since the last merge (or never merged before).
    DeletedHereChangedThere,
    /// Never merged before, and the copies differ with no history to tell which is newer.
    DifferentUnmerged,
    /// Unchanged here, but their copy is a version this project had before and moved on
    /// from: a copy made before our change, or a change they reverted.
    OlderVersionThere,
    /// Their change would make the span a duplicate of another span here.
    WouldDuplicate,
}

/// One span the merge left alone because both sides changed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The document's title here.
    pub document: String,
    /// The document's id here.
    pub document_id: i64,
    pub span_uid: String,
    pub kind: ConflictKind,
    /// The copy here (`None`: deleted here).
    pub ours: Option<SpanContent>,
    /// The copy there (`None`: deleted there).
    pub theirs: Option<SpanContent>,
}

impl Conflict {
    /// The copy the conflict line is headed by: ours if it exists, else theirs.
    fn head(&self) -> Option<&SpanContent> {
        self.ours.as_ref().or(self.theirs.as_ref())
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(head) = self.head() else {
            return write!(f, "{:?}: span {}", self.document, self.span_uid);
        };
        write!(
            f,
            "{:?} · {} · {} {}: ",
            self.document, head.annotator, head.label, head.range
        )?;
        let side = |content: Option<&SpanContent>| match content {
            Some(content) => describe(content, &head.annotator),
            None => "deleted".to_owned(),
        };
        let ours = side(self.ours.as_ref());
        let theirs = side(self.theirs.as_ref());
        match self.kind {
            ConflictKind::BothChanged => {
                write!(f, "here changed to {ours}; there changed to {theirs}")
            }
            ConflictKind::ChangedHereDeletedThere => {
                write!(f, "here changed to {ours}; there deleted")
            }
            ConflictKind::DeletedHereChangedThere => {
                write!(f, "here deleted; there changed to {theirs}")
            }
            ConflictKind::DifferentUnmerged => write!(
                f,
                "here {ours}; there {theirs} (never merged before, no history says which is newer)"
            ),
            ConflictKind::OlderVersionThere => write!(
                f,
                "here {ours}; there {theirs}, a version this project had before (an old copy, or reverted there)"
            ),
            ConflictKind::WouldDuplicate => write!(
                f,
                "here {ours}; there changed to {theirs}, which another span here already is"
            ),
        }
    }
}

/// A copy of a span in words: `claim 10..24`, with the annotator if it differs from
/// `annotator` and the note if there is one.
fn describe(content: &SpanContent, annotator: &str) -> String {
    let mut words = format!("{} {}", content.label, content.range);
    if content.annotator != annotator {
        words.push_str(&format!(" by {}", content.annotator));
    }
    if !content.note.is_empty() {
        words.push_str(&format!(" (note {:?})", content.note));
    }
    words
}

/// What merging one file did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Their project file.
    pub source: PathBuf,
    /// Their project's uid, naming it in `merge_state`.
    pub source_uid: String,
    pub spans_added: usize,
    /// Spans they changed and we did not: their version taken.
    pub spans_updated: usize,
    /// Spans they deleted and we had not changed: deleted here.
    pub spans_deleted: usize,
    /// Spans the same on both sides.
    pub spans_unchanged: usize,
    /// Spans we changed or deleted and they did not: ours kept.
    pub spans_kept: usize,
    /// Document statuses of their annotators copied where this project had none.
    pub statuses_copied: usize,
    /// Their relations added here (a relation is merged once, by uid).
    pub relations_added: usize,
    /// Labels their spans use that this project's scheme lacked, added with their colour
    /// (and hotkey, unless a label here already has it).
    pub labels_added: Vec<LabelDef>,
    /// Spans changed on both sides, left as they are here; in document order.
    pub conflicts: Vec<Conflict>,
    /// Their documents' ids here, in their order: those this merge added and those this
    /// project already had.
    pub documents_new: Vec<i64>,
    pub documents_matched: Vec<i64>,
}

impl MergeReport {
    /// Sorts the conflicts into document order (by document, then where the span starts).
    pub fn sort_conflicts(&mut self) {
        self.conflicts.sort_by(|a, b| {
            let key = |c: &Conflict| {
                let head = c
                    .head()
                    .map(|h| (h.range.start, h.range.end, h.annotator.clone()));
                (c.document_id, head, c.span_uid.clone())
            };
            key(a).cmp(&key(b))
        });
    }

    /// How many documents the merge added.
    pub fn documents_added(&self) -> usize {
        self.documents_new.len()
    }

    /// Whether the merge changed this project's documents, spans, labels or statuses.
    pub fn changed(&self) -> bool {
        self.documents_added()
            + self.spans_added
            + self.spans_updated
            + self.spans_deleted
            + self.statuses_copied
            + self.labels_added.len()
            + self.relations_added
            > 0
    }

    /// One line of counts: `1 document added; spans: 3 added, …; 0 conflicts`.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "{} added; spans: {} added, {} updated, {} deleted, {} unchanged, {} kept as changed here; {}; {} copied",
            count(self.documents_added(), "document"),
            self.spans_added,
            self.spans_updated,
            self.spans_deleted,
            self.spans_unchanged,
            self.spans_kept,
            count(self.conflicts.len(), "conflict"),
            count(self.statuses_copied, "status"),
        );
        if self.relations_added > 0 {
            line.push_str(&format!(
                "; {} added",
                count(self.relations_added, "relation")
            ));
        }
        if !self.labels_added.is_empty() {
            let labels: Vec<String> = self
                .labels_added
                .iter()
                .map(|l| format!("{} ({})", l.name, l.color))
                .collect();
            line.push_str(&format!("; labels added: {}", labels.join(", ")));
        }
        line
    }
}

/// A merge's entry in the operation log (kind `merge`, state `final`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeLog {
    /// Their file as the user named it.
    pub source: String,
    pub source_uid: String,
    pub documents_added: usize,
    pub spans_added: usize,
    pub spans_updated: usize,
    pub spans_deleted: usize,
    pub spans_unchanged: usize,
    pub spans_kept: usize,
    pub statuses_copied: usize,
    pub conflicts: usize,
    pub labels_added: Vec<String>,
    /// The versions the merge replaced or deleted: `[span uid, version]`.
    pub history: Vec<(String, String)>,
}
