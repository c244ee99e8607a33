//! Reviewing colleagues' tags: agreement metrics, merge, adjudication.
//!
//! The metrics are pure functions over plain inputs (ranges, label indices, token
//! categories), so they can be tested against reference values and run fast;
//! [`agreement()`] loads a project and builds the whole report from them.

pub mod agreement;
pub mod alpha_u;
pub mod compare;
pub mod kappa;
pub mod merge;
pub mod span_match;

pub use agreement::{
    AgreementOptions, AgreementReport, DocumentAgreement, DocumentSpans, Scores, agreement, compare,
};

/// Why a metric has no value (for example, nothing was tagged, so it would be `0 / 0`).
pub type Reason = &'static str;
