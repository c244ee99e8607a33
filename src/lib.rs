//! stet: a desktop annotation tool for analysts.
//!
//! The core (`model`, `ingest`, `store`, `export`, `review`) knows nothing of the window;
//! the GUI (`app`) and the command line (`main.rs`) are thin faces over it.

pub mod app;
pub mod export;
pub mod ingest;
pub mod model;
pub mod review;
pub mod store;
