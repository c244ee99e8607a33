//! The project schema and its migrations (`PRAGMA user_version` counts those applied).

use rusqlite::{Connection, params};

use super::{Result, SCHEMA_VERSION};
use crate::model::LabelScheme;

/// `PRAGMA application_id` of a stet project ("stet" in ASCII).
pub const APPLICATION_ID: i64 = 0x7374_6574;

/// Migration `i` takes a project from version `i` to `i + 1`. Never edit a released one;
/// append a new one.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE labels (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    color       TEXT NOT NULL,
    hotkey      TEXT,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL
);
CREATE TABLE annotators (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    source      TEXT NOT NULL,
    format      TEXT NOT NULL,
    len_chars   INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    meta_json   TEXT NOT NULL DEFAULT '{}',
    imported_at INTEGER NOT NULL,
    text        TEXT NOT NULL
);
CREATE TABLE spans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16)))),
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    label_id     INTEGER NOT NULL REFERENCES labels(id),
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    note         TEXT NOT NULL DEFAULT '',
    origin       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    CHECK (start >= 0 AND start < "end")
);
CREATE INDEX spans_by_document ON spans(document_id, start, "end");
CREATE TABLE document_status (
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    status       TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done')),
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (document_id, annotator_id)
);
CREATE TABLE ops (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           INTEGER NOT NULL,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    document_id  INTEGER,
    kind         TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone', 'dead', 'final'))
);
CREATE INDEX ops_by_annotator ON ops(annotator_id, state, id);
CREATE TABLE merge_state (
    source_uid TEXT NOT NULL,
    span_uid   TEXT NOT NULL,
    version    TEXT NOT NULL,
    PRIMARY KEY (source_uid, span_uid)
) WITHOUT ROWID;
CREATE TABLE verdicts (
    span_id      INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    reviewer_id  INTEGER NOT NULL REFERENCES annotators(id),
    verdict      TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
    comment      TEXT NOT NULL DEFAULT '',
    gold_span_id INTEGER REFERENCES spans(id) ON DELETE SET NULL,
    at           INTEGER NOT NULL,
    PRIMARY KEY (span_id, reviewer_id)
);
CREATE TABLE document_review (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (status IN ('unreviewed', 'in_review', 'adjudicated')),
    updated_at  INTEGER NOT NULL
);
INSERT INTO meta(key, value) VALUES ('project_uid', lower(hex(randomblob(16))));
"#,
    r#"
ALTER TABLE spans ADD COLUMN attributes_json TEXT NOT NULL DEFAULT '{}';
CREATE TABLE label_attributes (
    label_id    INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('choice', 'text', 'number')),
    values_json TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    PRIMARY KEY (label_id, name)
) WITHOUT ROWID;
CREATE TABLE relation_kinds (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    from_labels TEXT NOT NULL,
    to_labels   TEXT NOT NULL,
    hotkey      TEXT,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL
);
CREATE TABLE relations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16)))),
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind_id      INTEGER NOT NULL REFERENCES relation_kinds(id),
    from_span    INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    to_span      INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    origin       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    CHECK (from_span <> to_span)
);
CREATE INDEX relations_by_document ON relations(document_id);
CREATE INDEX relations_by_from ON relations(from_span);
CREATE INDEX relations_by_to ON relations(to_span);
"#,
    r#"
CREATE TABLE rejected_suggestions (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    label_id    INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    PRIMARY KEY (document_id, start, "end", label_id)
) WITHOUT ROWID;
"#,
];

/// What a database holds, as far as opening it is concerned.
pub enum Probe {
    /// Nothing at all: a zero-length file or a database with no tables.
    Empty,
    /// A stet project of this format version.
    Stet { version: i64 },
    /// Another program's database.
    Other,
}

/// Reads the application id, format version and table count; fails as SQLite does on a
/// file that is not a database.
pub fn probe(conn: &Connection) -> rusqlite::Result<Probe> {
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    Ok(match (app_id, tables) {
        (0, 0) => Probe::Empty,
        (APPLICATION_ID, _) => Probe::Stet { version },
        _ => Probe::Other,
    })
}

/// Brings a project up to [`SCHEMA_VERSION`] in one transaction; a new project gets
/// `scheme`'s labels.
pub fn migrate(conn: &mut Connection, scheme: &LabelScheme) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    for migration in MIGRATIONS.iter().skip(version as usize) {
        tx.execute_batch(migration)?;
    }
    if (1..2).contains(&version) {
        // Relations and attributes arrived with format 2: a project on the default scheme
        // gains what the new default adds; a team's own scheme is left as it is.
        super::scheme::upgrade_default_scheme(&tx)?;
    }
    if version == 0 {
        for label in &scheme.labels {
            super::scheme::insert_label(&tx, label)?;
        }
        for relation in &scheme.relations {
            super::scheme::insert_relation_kind(&tx, relation)?;
        }
        tx.execute(
            "INSERT INTO meta(key, value) VALUES ('scheme', ?1), ('created_by', ?2)",
            params![scheme.name, concat!("stet ", env!("CARGO_PKG_VERSION"))],
        )?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}
