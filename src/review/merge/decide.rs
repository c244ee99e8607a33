//! The decision for one span: what its base, our copy, their copy and both logs say, and
//! what the merge does about it. Pure, so every case is tested on its own.
//!
//! The rules:
//! - Same version on both sides: nothing to do (the base is brought up to date).
//! - Only theirs changed (ours still equals the base, or, never merged before, their log
//!   shows our version was once theirs): take theirs — unless theirs is a version we had
//!   and moved on from (an old copy, or a change reverted there), or taking it would make a
//!   duplicate of another span here: conflicts.
//! - Only ours changed (theirs equals the base, or, never merged, our log had their
//!   version): keep ours.
//! - Both changed: conflict (`BothChanged`, or `DifferentUnmerged` with no base).
//! - Gone here, there there: we deleted it after merging (theirs unchanged: keep the
//!   deletion; changed: conflict), or our log had it (their version is one we had: keep
//!   the deletion; else conflict); a span we never had is added.
//! - Here, gone there: their project never had it (a copy of an older state of theirs):
//!   keep it; ours unchanged since the merge: delete it; ours changed: conflict.
//! - Gone on both sides: forget its base.

use crate::model::SpanVersion;
use crate::store::merge::ConflictKind;

/// What their operation log says about a span (a project file has one; an export has not).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TheirLog {
    /// Their log mentions the span at all.
    pub mentions: bool,
    /// Our copy's version is one their span had.
    pub had_ours: bool,
}

/// Everything the decision depends on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpanFacts {
    /// The version last merged from them.
    pub base: Option<SpanVersion>,
    pub ours: Option<SpanVersion>,
    pub theirs: Option<SpanVersion>,
    /// Taking their copy would make it a duplicate of another span here.
    pub would_duplicate: bool,
    /// Our log mentions the span.
    pub we_mention: bool,
    /// Their copy's version is one our span had.
    pub we_had_theirs: bool,
    pub their_log: Option<TheirLog>,
}

/// What to do with the span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The same on both sides; `record_base`: the base needs bringing up to date.
    Unchanged {
        record_base: bool,
    },
    /// Replace ours with theirs.
    TakeTheirs,
    /// Add theirs here.
    AddTheirs,
    /// Delete ours.
    DeleteOurs,
    /// Keep ours as it is (changed or deleted here); `record_base`: remember their version
    /// as merged.
    KeepOurs {
        record_base: bool,
    },
    /// Both sides gone: forget the base.
    Forget,
    Conflict(ConflictKind),
}

/// Decides one span.
pub fn decide(f: &SpanFacts) -> Decision {
    match (f.ours, f.theirs) {
        (Some(ours), Some(theirs)) => decide_both(f, ours, theirs),
        (None, Some(theirs)) => decide_theirs_only(f, theirs),
        (Some(ours), None) => decide_ours_only(f, ours),
        (None, None) => Decision::Forget,
    }
}

fn decide_both(f: &SpanFacts, ours: SpanVersion, theirs: SpanVersion) -> Decision {
    if ours == theirs {
        return Decision::Unchanged {
            record_base: f.base != Some(theirs),
        };
    }
    let only_theirs_changed =
        f.base == Some(ours) || (f.base.is_none() && f.their_log.is_some_and(|log| log.had_ours));
    if only_theirs_changed {
        if f.base.is_some() && f.we_had_theirs {
            Decision::Conflict(ConflictKind::OlderVersionThere)
        } else if f.would_duplicate {
            Decision::Conflict(ConflictKind::WouldDuplicate)
        } else {
            Decision::TakeTheirs
        }
    } else if f.base == Some(theirs) {
        Decision::KeepOurs { record_base: false }
    } else if f.base.is_none() && f.we_had_theirs {
        Decision::KeepOurs { record_base: true }
    } else if f.base.is_some() {
        Decision::Conflict(ConflictKind::BothChanged)
    } else {
        Decision::Conflict(ConflictKind::DifferentUnmerged)
    }
}

fn decide_theirs_only(f: &SpanFacts, theirs: SpanVersion) -> Decision {
    match f.base {
        // We had it from them and deleted it.
        Some(base) if base == theirs => Decision::KeepOurs { record_base: false },
        Some(_) => Decision::Conflict(ConflictKind::DeletedHereChangedThere),
        // We had it (from them or by our own hand) and removed it.
        None if f.we_mention && f.we_had_theirs => Decision::KeepOurs { record_base: true },
        None if f.we_mention => Decision::Conflict(ConflictKind::DeletedHereChangedThere),
        None => Decision::AddTheirs,
    }
}

fn decide_ours_only(f: &SpanFacts, ours: SpanVersion) -> Decision {
    if f.their_log.is_some_and(|log| !log.mentions) {
        // Their file never had it: a copy of an older state of their project, not a
        // deletion there. (An export has no log; older exports are refused by revision.)
        Decision::KeepOurs { record_base: false }
    } else if f.base == Some(ours) {
        Decision::DeleteOurs
    } else {
        Decision::Conflict(ConflictKind::ChangedHereDeletedThere)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Option<SpanVersion> = Some(SpanVersion(1));
    const B: Option<SpanVersion> = Some(SpanVersion(2));
    const C: Option<SpanVersion> = Some(SpanVersion(3));
    const LOG: Option<TheirLog> = Some(TheirLog {
        mentions: true,
        had_ours: false,
    });
    const LOG_HAD_OURS: Option<TheirLog> = Some(TheirLog {
        mentions: true,
        had_ours: true,
    });
    const LOG_NEVER_HAD_IT: Option<TheirLog> = Some(TheirLog {
        mentions: false,
        had_ours: false,
    });

    fn facts(
        base: Option<SpanVersion>,
        ours: Option<SpanVersion>,
        theirs: Option<SpanVersion>,
    ) -> SpanFacts {
        SpanFacts {
            base,
            ours,
            theirs,
            their_log: LOG,
            ..SpanFacts::default()
        }
    }

    /// Every rule of the module documentation, one row each: the facts and the decision.
    #[test]
    fn every_case_of_a_span_is_decided_as_documented() {
        use ConflictKind::*;
        use Decision::*;
        let rows: Vec<(&str, SpanFacts, Decision)> = vec![
            (
                "same on both sides",
                facts(A, B, B),
                Unchanged { record_base: true },
            ),
            (
                "same, base up to date",
                facts(B, B, B),
                Unchanged { record_base: false },
            ),
            ("only theirs changed", facts(A, A, B), TakeTheirs),
            (
                "never merged, their log had ours",
                SpanFacts {
                    their_log: LOG_HAD_OURS,
                    ..facts(None, A, B)
                },
                TakeTheirs,
            ),
            (
                "theirs is a version we moved on from",
                SpanFacts {
                    we_had_theirs: true,
                    ..facts(A, A, B)
                },
                Conflict(OlderVersionThere),
            ),
            (
                "taking theirs would duplicate",
                SpanFacts {
                    would_duplicate: true,
                    ..facts(A, A, B)
                },
                Conflict(WouldDuplicate),
            ),
            (
                "only ours changed",
                facts(A, B, A),
                KeepOurs { record_base: false },
            ),
            (
                "never merged, our log had theirs",
                SpanFacts {
                    we_had_theirs: true,
                    ..facts(None, B, A)
                },
                KeepOurs { record_base: true },
            ),
            ("both changed", facts(A, B, C), Conflict(BothChanged)),
            (
                "never merged, differ",
                facts(None, B, C),
                Conflict(DifferentUnmerged),
            ),
            (
                "an export, never merged, differ",
                SpanFacts {
                    their_log: None,
                    ..facts(None, B, C)
                },
                Conflict(DifferentUnmerged),
            ),
            (
                "deleted here, unchanged there",
                facts(A, None, A),
                KeepOurs { record_base: false },
            ),
            (
                "deleted here, changed there",
                facts(A, None, B),
                Conflict(DeletedHereChangedThere),
            ),
            (
                "never merged, we had it and removed it",
                SpanFacts {
                    we_mention: true,
                    we_had_theirs: true,
                    ..facts(None, None, A)
                },
                KeepOurs { record_base: true },
            ),
            (
                "never merged, removed here, changed there",
                SpanFacts {
                    we_mention: true,
                    ..facts(None, None, A)
                },
                Conflict(DeletedHereChangedThere),
            ),
            ("new there", facts(None, None, A), AddTheirs),
            (
                "their file never had it",
                SpanFacts {
                    their_log: LOG_NEVER_HAD_IT,
                    ..facts(A, A, None)
                },
                KeepOurs { record_base: false },
            ),
            (
                "deleted there, unchanged here",
                facts(A, A, None),
                DeleteOurs,
            ),
            (
                "an export dropped it, unchanged here",
                SpanFacts {
                    their_log: None,
                    ..facts(A, A, None)
                },
                DeleteOurs,
            ),
            (
                "deleted there, changed here",
                facts(A, B, None),
                Conflict(ChangedHereDeletedThere),
            ),
            ("gone on both sides", facts(A, None, None), Forget),
        ];
        for (case, facts, expected) in rows {
            assert_eq!(decide(&facts), expected, "{case}");
        }
    }

    #[test]
    fn every_conflict_kind_has_a_case() {
        use ConflictKind::*;
        let kinds = [
            BothChanged,
            ChangedHereDeletedThere,
            DeletedHereChangedThere,
            DifferentUnmerged,
            OlderVersionThere,
            WouldDuplicate,
        ];
        let cases = [
            facts(A, B, C),
            facts(A, B, None),
            facts(A, None, B),
            facts(None, B, C),
            SpanFacts {
                we_had_theirs: true,
                ..facts(A, A, B)
            },
            SpanFacts {
                would_duplicate: true,
                ..facts(A, A, B)
            },
        ];
        for (kind, case) in kinds.into_iter().zip(cases) {
            assert_eq!(decide(&case), Decision::Conflict(kind));
        }
    }
}
