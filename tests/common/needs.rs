//! What a test needs from outside Rust (a Vulkan driver, the Python readers, a PostgreSQL
//! server): a test without it prints a note and skips on a developer's machine, and fails
//! where `CI` is set, so that a CI run can never pass by skipping.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The Python with the readers (spaCy…): `$STET_PYTHON`, else the project's `.venv`, if any.
pub fn python() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("STET_PYTHON") {
        return Some(PathBuf::from(path));
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    venv.exists().then_some(venv)
}

/// Why the Python readers cannot run here, if they cannot.
pub fn python_missing() -> Option<String> {
    python().is_none().then(|| {
        "no Python with the readers (set STET_PYTHON or run .ci/run to make .venv)".to_owned()
    })
}

/// Skips (returns `false`) or, under CI, fails when `missing` says something is missing.
pub fn or_skip(test: &str, missing: Option<String>) -> bool {
    let Some(why) = missing else {
        return true;
    };
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {why} (CI is set, so this is a failure, not a skip)");
    }
    println!("note: {test} skipped: {why}");
    false
}

/// Why image snapshots cannot be rendered here, if they cannot: a Vulkan loader and an
/// installable driver (lavapipe, from `mesa-vulkan-drivers`) are needed.
pub fn vulkan_missing() -> Option<String> {
    let loader = [
        "/usr/lib/x86_64-linux-gnu/libvulkan.so.1",
        "/usr/lib/aarch64-linux-gnu/libvulkan.so.1",
        "/usr/lib64/libvulkan.so.1",
        "/usr/lib/libvulkan.so.1",
    ]
    .iter()
    .any(|p| std::path::Path::new(p).exists());
    let driver = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .flatten()
        .any(|entry| entry.path().extension().is_some_and(|e| e == "json"));
    match (loader, driver) {
        (true, true) => None,
        _ => Some(
            "no Vulkan driver to render snapshots on the CPU (apt-get install mesa-vulkan-drivers)"
                .into(),
        ),
    }
}
