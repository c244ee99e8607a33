//! Merging a colleague's work into this project: the decisions, made on plain snapshots of
//! both sides (read by the store), with no database in sight.
//!
//! Their documents are matched by uid (the text's hash) and missing ones are added whole.
//! Each of their annotators' spans joins that annotator's layer here. Spans are matched by
//! their uid, and each is compared three ways: the copy here, the copy there, and the version
//! last merged from that project (`merge_state`). A change on one side only is taken; a
//! change on both sides is a conflict, reported and left as it is here ([`decide`] has the
//! rules, case by case).
//!
//! Where nothing was merged before (no `merge_state` row), the operation logs of both projects
//! serve as history: a copy that equals an earlier version of the other side's span is the
//! older one, and a span this project once had and removed is not brought back.
//!
//! A colleague's JSONL export that names its project merges the same way, with two
//! differences: only the documents the file holds are compared (a span missing from one of
//! them was deleted there), and a file older than one already merged from that project is
//! refused, since it would undo their later work.
//!
//! Review data (verdicts, document review states) is not merged.

mod decide;
mod plan;

pub use crate::store::merge::{Conflict, ConflictKind, MergeReport, SpanContent};
pub use decide::{Decision, SpanFacts, TheirLog, decide};
pub use plan::{PlanError, plan};
