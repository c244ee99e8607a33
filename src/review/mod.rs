//! Reviewing colleagues' tags: agreement metrics, compare mode, merge decisions.
//!
//! Everything here is pure logic over plain inputs (ranges, label indices, token categories,
//! snapshots of projects), so it can be tested against reference values and run fast;
//! [`agreement()`] reads a project through the store and builds the whole report from them.

pub mod agreement;
pub mod alpha_u;
pub mod kappa;
pub mod layers;
pub mod links;
pub mod merge;
pub mod span_match;

pub use agreement::{
    AgreementOptions, AgreementReport, DocumentAgreement, DocumentSpans, Scores, agreement,
    agreement_of,
};

/// Why a metric has no value (for example, nothing was tagged, so it would be `0 / 0`).
pub type Reason = &'static str;
