//! Running the `stet` binary as a script would: a command with a clean environment, its
//! output when it succeeded (failing the test with its stderr when it did not), and JSONL
//! read back as records.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

/// `stet` with no project in the environment, run as annotator `ana`.
pub fn stet() -> Command {
    let mut cmd = Command::cargo_bin("stet").unwrap();
    cmd.env_remove("STET_PROJECT").env("STET_ANNOTATOR", "ana");
    cmd
}

/// Runs `cmd` and returns its standard output, failing the test with its standard error if
/// it did not succeed.
pub fn stdout_of(cmd: &mut Command) -> Vec<u8> {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// One JSON value per line.
pub fn records(jsonl: &[u8]) -> Vec<Value> {
    String::from_utf8(jsonl.to_vec())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}
