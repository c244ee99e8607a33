//! A copy of the project for a colleague: a whole file under a new project uid.

use std::path::Path;

use rusqlite::Connection;

use super::{Project, Result, StoreError};

impl Project {
    /// Writes a copy of the project to `dest` under a new project uid, for a colleague to tag
    /// apart; returns the copy's uid. Merges tell such a copy from this project and follow
    /// its edits and deletions; a file copied by other means keeps this project's uid, and
    /// its JSONL exports can only be imported as plain tags. `dest` must not exist; the copy
    /// is made beside it and renamed into place, so it appears whole or not at all.
    pub fn save_copy(&self, dest: &Path) -> Result<String> {
        let refuse = |reason: &str| StoreError::Copy {
            path: dest.to_owned(),
            reason: reason.to_owned(),
        };
        if dest.exists() {
            return Err(refuse("already exists; choose a new file name"));
        }
        let name = dest.file_name().ok_or_else(|| refuse("not a file name"))?;
        let mut part_name = std::ffi::OsString::from(".");
        part_name.push(name);
        part_name.push(format!(".{}.part", std::process::id()));
        let part = dest.with_file_name(part_name);
        let part_str = part
            .to_str()
            .ok_or_else(|| refuse("the path is not valid UTF-8"))?;
        let _ = std::fs::remove_file(&part);
        let result = (|| -> Result<String> {
            self.conn
                .execute("VACUUM INTO ?1", [part_str])
                .map_err(|err| refuse(&err.to_string()))?;
            let copy = Connection::open(&part)?;
            let uid: String = copy.query_row(
                "UPDATE meta SET value = lower(hex(randomblob(16)))
                 WHERE key = 'project_uid' RETURNING value",
                [],
                |r| r.get(0),
            )?;
            copy.execute(
                "INSERT INTO meta(key, value) VALUES ('copied_from', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [self.uid()?],
            )?;
            copy.close().map_err(|(_, err)| err)?;
            std::fs::rename(&part, dest).map_err(|err| StoreError::Copy {
                path: dest.to_owned(),
                reason: err.to_string(),
            })?;
            Ok(uid)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&part);
        }
        result
    }
}
