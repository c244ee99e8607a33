//! Merges as the store sees them: both sides read into plain snapshots, and a plan (made by
//! `review::merge`, which decides span by span) applied in one transaction and logged.
//!
//! [`MergeSource`] is their side, read from their project file (in one read transaction, so
//! it is one consistent state even while their app writes) or built from their JSONL
//! export. [`LocalSide`] is ours. [`MergePlan`] says what to add, change and delete here,
//! and [`MergeReport`] what it did.
//!
//! A span's version ([`SpanVersion`]) is stored in `merge_state`, so its definition is part
//! of the project format.

mod apply;
mod read;
mod report;

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::PathBuf;

use crate::model::{Attributes, CharRange, Fingerprint, LabelDef, Origin, SpanVersion, Timestamp};

pub use report::{Conflict, ConflictKind, MergeLog, MergeReport, SpanContent};

/// The merge's in-memory maps, keyed by uids and ids, with a fast hasher.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// The merge's in-memory sets.
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// FxHash's word-at-a-time mixing: several times faster than the default SipHash on the
/// merge's million uid and id keys. It does not resist crafted collisions, which a project
/// file from a colleague has no reason to contain.
#[derive(Clone, Copy, Default)]
pub struct FastHasher(u64);

impl FastHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The table picks buckets from the low bits and tags from the high ones: fold the
        // well-mixed high bits down too.
        self.0.rotate_left(26)
    }
}

/// Every version each span had in a project, as its operation log tells.
#[derive(Default)]
pub struct History {
    versions: FastMap<String, Vec<SpanVersion>>,
}

impl History {
    /// Records that span `uid` had `version` at some point.
    pub fn push(&mut self, uid: String, version: SpanVersion) {
        let versions = self.versions.entry(uid).or_default();
        if !versions.contains(&version) {
            versions.push(version);
        }
    }

    /// Whether the project's log mentions the span at all (it had it at some point).
    pub fn mentions(&self, uid: &str) -> bool {
        self.versions.contains_key(uid)
    }

    /// Whether the span had this version at some point.
    pub fn had(&self, uid: &str, version: SpanVersion) -> bool {
        self.versions
            .get(uid)
            .is_some_and(|versions| versions.contains(&version))
    }
}

/// A document of theirs, without its text.
#[derive(Clone, Debug)]
pub struct SourceDocument {
    pub uid: String,
    pub title: String,
    pub source: String,
    pub format: String,
    pub meta_json: String,
    pub len_chars: usize,
    /// Its id in their project (an export's record index), to read its text by.
    pub id: i64,
}

/// A span of theirs.
#[derive(Clone, Debug)]
pub struct SourceSpan {
    pub uid: String,
    /// Index into [`MergeSource::docs`].
    pub doc: usize,
    pub range: CharRange,
    /// Index into [`MergeSource::labels`].
    pub label: usize,
    /// Index into [`MergeSource::annotators`].
    pub annotator: usize,
    pub note: String,
    pub origin: Origin,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub attributes: Attributes,
    pub version: SpanVersion,
}

/// One of their annotators' status on one of their documents.
#[derive(Clone, Debug)]
pub struct SourceStatus {
    /// Index into [`MergeSource::docs`].
    pub doc: usize,
    /// Index into [`MergeSource::annotators`].
    pub annotator: usize,
    pub status: String,
    pub updated_at: i64,
}

/// What their side is, which decides what it can tell.
pub enum SourceKind<'p> {
    /// A project file: whole, with a log that tells which versions each span had. Texts are
    /// read from it (in the snapshot's read transaction) only for documents new here.
    Project {
        snapshot: rusqlite::Transaction<'p>,
        history: History,
    },
    /// A JSONL export: it holds its documents' texts (hashed as read) and speaks only for
    /// those documents. It has no log, so a span merged from it before and missing now was
    /// deleted there (older exports are refused by revision), and it names only the
    /// annotators who still have spans in it.
    Export {
        texts: Vec<(String, Fingerprint)>,
        revision: u64,
    },
}

/// Their side of a merge.
pub struct MergeSource<'p> {
    /// Their file, as the user named it.
    pub path: PathBuf,
    /// Their project's uid, naming it in `merge_state`.
    pub uid: String,
    pub docs: Vec<SourceDocument>,
    pub labels: Vec<LabelDef>,
    pub annotators: Vec<String>,
    pub spans: Vec<SourceSpan>,
    pub statuses: Vec<SourceStatus>,
    /// Their relations, by the uids of their ends.
    pub relations: Vec<SourceRelation>,
    pub kind: SourceKind<'p>,
}

/// One of their relations.
#[derive(Clone, Debug)]
pub struct SourceRelation {
    pub uid: String,
    pub kind: String,
    pub from_uid: String,
    pub to_uid: String,
    pub annotator: String,
    pub origin: Origin,
    pub created_at: Timestamp,
}

impl MergeSource<'_> {
    /// Their log, if they have one.
    pub fn history(&self) -> Option<&History> {
        match &self.kind {
            SourceKind::Project { history, .. } => Some(history),
            SourceKind::Export { .. } => None,
        }
    }

    /// Whether their side is an export (it speaks only for the documents it holds).
    pub fn is_export(&self) -> bool {
        matches!(self.kind, SourceKind::Export { .. })
    }

    /// An export's revision.
    pub fn export_revision(&self) -> Option<u64> {
        match self.kind {
            SourceKind::Export { revision, .. } => Some(revision),
            SourceKind::Project { .. } => None,
        }
    }
}

/// A document here.
#[derive(Clone, Debug)]
pub struct LocalDocument {
    pub id: i64,
    pub len: usize,
    pub title: String,
}

/// A label here.
#[derive(Clone, Debug)]
pub struct LocalLabel {
    pub id: i64,
    pub name: String,
    pub hotkey: Option<String>,
}

/// A span here.
#[derive(Clone, Debug)]
pub struct LocalSpan {
    pub id: i64,
    pub uid: String,
    pub doc: i64,
    pub range: CharRange,
    pub label: i64,
    pub annotator: i64,
    pub note: String,
    pub version: SpanVersion,
}

/// Our side of a merge.
pub struct LocalSide {
    /// Documents by uid.
    pub docs: FastMap<String, LocalDocument>,
    pub labels: Vec<LocalLabel>,
    /// The position a new label gets.
    pub next_label_position: i64,
    /// Annotator name → id.
    pub annotators: FastMap<String, i64>,
    /// The spans that can be copies of theirs: every span of an annotator their side names
    /// (every span, for an export).
    pub spans: Vec<LocalSpan>,
    /// The versions last merged from their project (`merge_state`), by span uid.
    pub base: FastMap<String, SpanVersion>,
    pub history: History,
    /// The revision of the last export of their project merged here.
    pub export_revision: u64,
}

/// Which document a planned change is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocRef {
    /// A document here, by id.
    Here(i64),
    /// Their document `i` of [`MergePlan::documents_to_add`].
    Added(usize),
}

/// A label or annotator of a planned change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRef {
    /// One here, by id.
    Here(i64),
    /// The `i`-th the plan adds.
    Added(usize),
}

/// A span of theirs to insert here, with its uid.
#[derive(Clone, Debug)]
pub struct PlannedSpan {
    /// Index into [`MergeSource::spans`].
    pub span: usize,
    pub doc: DocRef,
    pub label: NameRef,
    pub annotator: NameRef,
}

/// A span here to take their version of.
#[derive(Clone, Debug)]
pub struct PlannedUpdate {
    /// The span here.
    pub id: i64,
    /// Their copy: index into [`MergeSource::spans`].
    pub span: usize,
    pub doc: DocRef,
    pub label: NameRef,
    pub annotator: NameRef,
}

/// What a merge will do here.
#[derive(Default)]
pub struct MergePlan {
    /// Labels their spans use that this project lacks, in first use, hotkeys already
    /// dropped where a label here has them.
    pub labels_to_add: Vec<LabelDef>,
    pub annotators_to_add: Vec<String>,
    /// Their documents this project lacks (indices into [`MergeSource::docs`]).
    pub documents_to_add: Vec<usize>,
    pub inserts: Vec<PlannedSpan>,
    pub updates: Vec<PlannedUpdate>,
    /// Spans here to delete.
    pub deletes: Vec<i64>,
    /// Last merged versions to record, by span uid (`None`: forget it).
    pub bases: Vec<(String, Option<SpanVersion>)>,
    /// Their statuses to copy where this project has none: (document, annotator, status,
    /// updated at).
    pub statuses: Vec<(DocRef, NameRef, String, i64)>,
    /// Versions the merge replaced or deleted, for the log (and later merges' history).
    pub replaced: Vec<(String, SpanVersion)>,
    /// Conflicts on documents the plan adds: which conflict, which added document.
    pub conflicts_on_added: Vec<(usize, usize)>,
    /// What the plan found; the store completes it (documents added, statuses copied).
    pub report: MergeReport,
}
