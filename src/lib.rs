//! stet: a desktop annotation tool for analysts.
//!
//! Layers, each depending only on those below it (a test in `tests/architecture.rs` keeps
//! it so):
//!
//! - `app`, the window, and the command line (`main.rs`, `cli`): the two faces;
//! - `workflows`: import, merge, export, copy, which both faces call;
//! - `review` (agreement, compare, merge decisions), `export` (one writer per format),
//!   `ingest` (readers): pure logic over plain values;
//! - `store`: the project file, the only module that speaks SQL;
//! - `model`: documents, spans, schemes, offsets (no I/O).

pub mod app;
pub mod export;
pub mod ingest;
pub mod model;
pub mod review;
pub mod store;
pub mod suggest;
pub mod workflows;
