//! The layers depend on each other one way only: faces (`app`, `cli`) → `workflows` →
//! `review`, `suggest`, `export`, `ingest` → `store` → `model`. This test reads every source
//! file and fails on a `crate::…` (or, in the command line, `stet::…`) path that runs
//! against that order, and on the store's raw connection leaking out.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// Each top-level module's layer: a module may use only modules of lower layers (and
/// itself). Modules of one layer are independent of each other.
const LAYERS: &[(&str, u8)] = &[
    ("model", 0),
    ("store", 1),
    ("ingest", 2),
    ("export", 2),
    ("review", 2),
    ("suggest", 2),
    ("workflows", 3),
    ("app", 4),
    // The command line also starts the window (no subcommand), so it sits above the app.
    ("cli", 5),
];

/// What the readers may use besides `model`: nothing (they read files into articles).
const INGEST_MAY_USE: &[&str] = &["model", "ingest"];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`src/store/merge/read.rs` → `store`);
/// `main.rs` counts as the command line.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(match first {
        "main.rs" => "cli".to_owned(),
        "lib.rs" => return None,
        name => name.trim_end_matches(".rs").to_owned(),
    })
}

/// Every module a file's code names through `crate::` (or `stet::` from the binary), with
/// the line it is on. Comments are skipped.
fn uses(text: &str, prefix: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().last();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((n + 1, name));
            }
        }
    }
    found
}

#[test]
fn dependencies_run_one_way_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 40, "found only {} source files", files.len());
    let mut wrong = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(from) = layer(&module) else {
            wrong.push(format!("{}: module {module} has no layer", file.display()));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let prefix = if module == "cli" { "stet::" } else { "crate::" };
        for (line, used) in uses(&text, prefix) {
            if used == module {
                continue;
            }
            let Some(to) = layer(&used) else {
                continue;
            };
            let against =
                to >= from || (module == "ingest" && !INGEST_MAY_USE.contains(&used.as_str()));
            if against {
                wrong.push(format!("{}:{line}: {module} uses {used}", file.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn only_the_store_holds_a_database_connection() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        if module_of(&src, file).as_deref() == Some("store") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("rusqlite") || code.contains(".connection()") {
                wrong.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "SQL outside the store:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_itself_sees_a_wrong_edge() {
    // A store file that used the review layer would be caught.
    let found = uses(
        "use crate::review::merge::plan; // crate::app in a comment",
        "crate::",
    );
    assert_eq!(found, vec![(1, "review".to_owned())]);
    assert!(layer("review") >= layer("store"));
}
