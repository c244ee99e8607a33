//! Work on worker threads, each with its own connection to the project: the window polls
//! for the result and never waits.

use std::path::Path;
use std::thread::JoinHandle;

use crate::store::{Access, Project};

/// A worker's thread: its result, or the one-line reason it failed.
pub(crate) type Worker<T> = JoinHandle<Result<T, String>>;

/// Runs `work` on a new thread with the project at `path` opened with `access`, and asks
/// for a frame when it is done, so the window shows the result at once.
pub(crate) fn spawn_on_project<T: Send + 'static>(
    ctx: &egui::Context,
    path: &Path,
    access: Access,
    work: impl FnOnce(&mut Project) -> Result<T, String> + Send + 'static,
) -> Worker<T> {
    let ctx = ctx.clone();
    let path = path.to_owned();
    std::thread::spawn(move || {
        let result = Project::open(&path, access)
            .map_err(|e| e.to_string())
            .and_then(|mut project| work(&mut project));
        ctx.request_repaint();
        result
    })
}

/// The result of a finished worker, taken out of `slot`; `None` while it runs or when
/// there is none. A worker that panicked gives "`what` stopped unexpectedly".
pub(crate) fn take_finished<T>(
    slot: &mut Option<Worker<T>>,
    what: &str,
) -> Option<Result<T, String>> {
    if !slot.as_ref()?.is_finished() {
        return None;
    }
    let handle = slot.take()?;
    Some(
        handle
            .join()
            .unwrap_or_else(|_| Err(format!("{what} stopped unexpectedly"))),
    )
}
