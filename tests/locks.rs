//! The window keeps its SQLite lock on the project through every kind of background job and
//! through other programs opening and closing the file, so that no other program deletes
//! the write-ahead log under it, and tags made after all that survive a `kill -9`.
//!
//! POSIX locks belong to the process: closing *any* descriptor of the file drops all of
//! them. These tests read the process's locks from `/proc/locks` (Linux).

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "common/needs.rs"]
mod needs;

use stet::export::{ExportFilter, ExportFormat};
use stet::model::{CharRange, LabelScheme};
use stet::review::{AgreementOptions, agreement};
use stet::store::{Access, Project};
use stet::workflows::{ExportRequest, export_to_path, import_paths, merge_project};

/// A background job, run on a thread of the window's process.
type Job<'a> = Box<dyn Fn() + Send + Sync + 'a>;

/// How many locks this process holds on `path` (by inode, as `/proc/locks` lists them).
fn locks_held(path: &Path) -> usize {
    let inode = std::fs::metadata(path).unwrap().ino().to_string();
    let pid = std::process::id().to_string();
    let locks = std::fs::read_to_string("/proc/locks").unwrap();
    locks
        .lines()
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // "1: POSIX  ADVISORY  READ 1234 08:01:5678 0 EOF" (a "->" after the number
            // marks a waiting lock).
            let fields: Vec<&str> = fields.into_iter().filter(|f| *f != "->").collect();
            fields.get(4) == Some(&pid.as_str())
                && fields
                    .get(5)
                    .and_then(|dev| dev.rsplit(':').next())
                    .is_some_and(|ino| ino == inode)
        })
        .count()
}

/// A project with one article, and a second article to import later.
fn project_with_articles(dir: &Path) -> (PathBuf, PathBuf) {
    let path = dir.join("team.stet");
    let first = dir.join("first.txt");
    std::fs::write(
        &first,
        "First article\n\nRussia has massed troops, officials said.\n",
    )
    .unwrap();
    let mut project = Project::create(&path, &LabelScheme::newsroom()).unwrap();
    import_paths(&mut project, &[first], "ana", &mut |_, _| {}).unwrap();
    let second = dir.join("second.txt");
    std::fs::write(
        &second,
        "Second article\n\nKyiv denied the report on Monday.\n",
    )
    .unwrap();
    (path, second)
}

/// Opens and closes the project in another process, as a backup or sync tool would: with
/// this test binary's SQLite, then with Python's `sqlite3` when there is a Python (an older
/// SQLite, which deletes the log on close whenever it can lock the file).
fn foreign_open_and_close(path: &Path) {
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "foreign_program", "--ignored", "--nocapture"])
        .env("STET_FOREIGN_DB", path)
        .status()
        .unwrap();
    assert!(status.success());
    let python = Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); \
             c.execute('select count(*) from sqlite_master').fetchall(); c.close()",
        )
        .arg(path)
        .status();
    let missing = match &python {
        Ok(status) => {
            assert!(status.success(), "python3 sqlite3 failed");
            None
        }
        Err(err) => Some(format!(
            "no python3 to open the project as another program ({err})"
        )),
    };
    needs::or_skip("python's sqlite3 as another program", missing);
}

/// Not a test on its own: run by [`foreign_open_and_close`] in a child process.
#[test]
#[ignore = "run in a child process by the lock tests"]
fn foreign_program() {
    let Some(path) = std::env::var_os("STET_FOREIGN_DB") else {
        return;
    };
    let conn = rusqlite::Connection::open(path).unwrap();
    let _: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    conn.close().unwrap();
}

#[test]
fn the_window_keeps_its_lock_through_every_background_job_and_other_programs() {
    let dir = tempfile::tempdir().unwrap();
    let (path, second) = project_with_articles(dir.path());
    // The window's connection, having read the project.
    let window = Project::open(&path, Access::ReadWrite).unwrap();
    window.documents().unwrap();
    let held = locks_held(&path);
    assert!(held >= 1, "an open project holds a lock on its file");

    let theirs = dir.path().join("ben.stet");
    window.save_copy(&theirs).unwrap();
    let jobs: Vec<(&str, Job)> = vec![
        (
            "import",
            Box::new(|| {
                let mut project = Project::open(&path, Access::ReadWrite).unwrap();
                import_paths(
                    &mut project,
                    std::slice::from_ref(&second),
                    "ana",
                    &mut |_, _| {},
                )
                .unwrap();
            }),
        ),
        (
            "merge",
            Box::new(|| {
                let mut project = Project::open(&path, Access::ReadWrite).unwrap();
                merge_project(&mut project, &theirs, "ana").unwrap();
            }),
        ),
        (
            "copy",
            Box::new(|| {
                let project = Project::open(&path, Access::ReadOnly).unwrap();
                project.save_copy(&dir.path().join("copy.stet")).unwrap();
            }),
        ),
        (
            "export",
            Box::new(|| {
                let project = Project::open(&path, Access::ReadOnly).unwrap();
                let request = ExportRequest {
                    format: ExportFormat::Jsonl,
                    filter: ExportFilter::default(),
                    out: dir.path().join("out.jsonl"),
                    split: None,
                    options: Default::default(),
                };
                export_to_path(&project, &request).unwrap();
            }),
        ),
        (
            "agreement",
            Box::new(|| {
                let project = Project::open(&path, Access::ReadOnly).unwrap();
                agreement(&project, &AgreementOptions::default()).unwrap();
            }),
        ),
    ];
    for (name, job) in jobs {
        // Background jobs run on threads of the window's process, with their own connection.
        std::thread::scope(|s| {
            s.spawn(job).join().unwrap();
        });
        window.documents().unwrap();
        assert!(
            locks_held(&path) >= held,
            "the window lost its lock after the {name} job"
        );
    }
    foreign_open_and_close(&path);
    window.documents().unwrap();
    assert!(
        locks_held(&path) >= held,
        "the window lost its lock after another program"
    );
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    assert!(
        wal.exists(),
        "another program deleted the log under the open window"
    );
}

/// The window's half of the kill test, run in a child process: open the project, run an
/// import job, say so, wait, then tag three words and wait to be killed.
#[test]
#[ignore = "run in a child process by the kill test"]
fn window_process() {
    let Some(dir) = std::env::var_os("STET_WINDOW_DIR").map(PathBuf::from) else {
        return;
    };
    let path = dir.join("team.stet");
    let mut window = Project::open(&path, Access::ReadWrite).unwrap();
    let doc = window.documents().unwrap()[0].id;
    let second = dir.join("second.txt");
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut project = Project::open(&path, Access::ReadWrite).unwrap();
            import_paths(&mut project, &[second], "ana", &mut |_, _| {}).unwrap();
        })
        .join()
        .unwrap();
    });
    window.documents().unwrap();
    std::fs::write(dir.join("ready"), "").unwrap();
    wait_for(&dir.join("go"));
    for range in [(0, 5), (6, 13), (15, 21)] {
        window
            .add_span("ana", doc, CharRange::new(range.0, range.1), "claim", "")
            .unwrap();
    }
    std::fs::write(dir.join("tagged"), "").unwrap();
    std::thread::sleep(Duration::from_secs(60));
}

fn wait_for(file: &Path) {
    let started = Instant::now();
    while !file.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{} never came",
            file.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn tags_survive_a_kill_after_a_background_job_and_another_program_opening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = project_with_articles(dir.path());
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "window_process", "--ignored", "--nocapture"])
        .env("STET_WINDOW_DIR", dir.path())
        .spawn()
        .unwrap();
    wait_for(&dir.path().join("ready"));
    foreign_open_and_close(&path);
    std::fs::write(dir.path().join("go"), "").unwrap();
    wait_for(&dir.path().join("tagged"));
    child.kill().unwrap();
    child.wait().unwrap();
    let project = Project::open(&path, Access::ReadOnly).unwrap();
    let doc = project.documents().unwrap()[0].id;
    assert_eq!(project.spans(doc).unwrap().len(), 3, "tags were lost");
    assert_eq!(project.documents().unwrap().len(), 2);
}
