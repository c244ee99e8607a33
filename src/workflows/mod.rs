//! What both faces (the window and the command line) call: import, merge, export, copy,
//! suggest.
//!
//! A workflow combines the layers below it — readers (`ingest`), decisions (`review`),
//! writers (`export`) and the project file (`store`) — and words what it did, so the window
//! says what the command line says.

pub mod export;
pub mod import;
pub mod merge;
pub mod suggest;

pub use export::{ExportOutcome, ExportRequest, export_to_path, write_folder_atomically};
pub use import::{ImportOptions, ImportReport, import_articles, import_paths, import_paths_with};
pub use merge::{MergeError, merge_export, merge_file, merge_project};
pub use suggest::{SuggestReport, SuggestRequest, suggest_project};

pub(crate) use crate::model::count;

/// An error as a face shows it: one line, naming the project when the error itself does
/// not name a file.
pub fn describe(project: &std::path::Path, err: &anyhow::Error) -> String {
    let bare_store = err
        .downcast_ref::<crate::store::StoreError>()
        .is_some_and(|e| !e.names_file());
    if bare_store {
        format!("{}: {err}", project.display())
    } else {
        format!("{err:#}")
    }
}
