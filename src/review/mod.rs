//! Reviewing colleagues' tags: agreement metrics, merge, adjudication.
//!
//! The metrics are pure functions over plain inputs (ranges, label indices, token
//! categories), so they can be tested against reference values and run fast.

pub mod alpha_u;
pub mod kappa;
pub mod span_match;

/// Why a metric has no value (for example, nothing was tagged, so it would be `0 / 0`).
pub type Reason = &'static str;
