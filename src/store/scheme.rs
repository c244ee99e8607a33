//! The project's scheme as stored: labels with their attributes, and relation kinds. Copied
//! from the RON scheme when the project is created; the project's copy is the one that
//! counts afterwards.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Project, Result};
use crate::model::{AttributeDef, AttributeKind, LabelDef, LabelScheme, RelationDef};

/// The stored name of an attribute kind.
fn kind_name(kind: AttributeKind) -> &'static str {
    match kind {
        AttributeKind::Choice => "choice",
        AttributeKind::Text => "text",
        AttributeKind::Number => "number",
    }
}

fn parse_kind(name: &str) -> AttributeKind {
    match name {
        "text" => AttributeKind::Text,
        "number" => AttributeKind::Number,
        _ => AttributeKind::Choice,
    }
}

fn names_json(names: &[String]) -> String {
    serde_json::to_string(names).unwrap_or_else(|_| "[]".into())
}

fn parse_names(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Adds a label (with its attributes) after the others; returns its id.
pub(crate) fn insert_label(conn: &Connection, label: &LabelDef) -> Result<i64> {
    conn.execute(
        "INSERT INTO labels(name, color, hotkey, description, position)
         VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position) + 1, 0) FROM labels))",
        params![
            label.name,
            label.rgb().to_string(),
            label.hotkey,
            label.description
        ],
    )?;
    let id = conn.last_insert_rowid();
    for attribute in &label.attributes {
        insert_attribute(conn, id, attribute)?;
    }
    Ok(id)
}

/// Adds an attribute to the label with id `label_id`, after its others.
pub(crate) fn insert_attribute(
    conn: &Connection,
    label_id: i64,
    attribute: &AttributeDef,
) -> Result<()> {
    conn.execute(
        "INSERT INTO label_attributes(label_id, name, kind, values_json, description, position)
         VALUES (?1, ?2, ?3, ?4, ?5,
                 (SELECT coalesce(max(position) + 1, 0) FROM label_attributes
                  WHERE label_id = ?1))",
        params![
            label_id,
            attribute.name,
            kind_name(attribute.kind),
            names_json(&attribute.values),
            attribute.description
        ],
    )?;
    Ok(())
}

/// Adds a relation kind after the others.
pub(crate) fn insert_relation_kind(conn: &Connection, relation: &RelationDef) -> Result<i64> {
    conn.execute(
        "INSERT INTO relation_kinds(name, from_labels, to_labels, hotkey, description, position)
         VALUES (?1, ?2, ?3, ?4, ?5,
                 (SELECT coalesce(max(position) + 1, 0) FROM relation_kinds))",
        params![
            relation.name,
            names_json(&relation.from),
            names_json(&relation.to),
            relation.hotkey,
            relation.description
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Reads the stored scheme.
pub(crate) fn read_scheme(conn: &Connection) -> Result<LabelScheme> {
    let mut attributes: std::collections::HashMap<i64, Vec<AttributeDef>> = Default::default();
    {
        let mut stmt = conn.prepare(
            "SELECT label_id, name, kind, values_json, description FROM label_attributes
             ORDER BY label_id, position",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                AttributeDef {
                    name: row.get(1)?,
                    kind: parse_kind(row.get_ref(2)?.as_str()?),
                    values: parse_names(row.get_ref(3)?.as_str()?),
                    description: row.get(4)?,
                },
            ))
        })?;
        for row in rows {
            let (label, attribute) = row?;
            attributes.entry(label).or_default().push(attribute);
        }
    }
    let mut stmt = conn
        .prepare("SELECT id, name, color, hotkey, description FROM labels ORDER BY position, id")?;
    let labels = stmt
        .query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                LabelDef {
                    name: row.get(1)?,
                    color: row.get(2)?,
                    hotkey: row.get(3)?,
                    description: row.get(4)?,
                    attributes: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(id, mut label)| {
            label.attributes = attributes.remove(&id).unwrap_or_default();
            label
        })
        .collect();
    let mut stmt = conn.prepare(
        "SELECT name, from_labels, to_labels, hotkey, description FROM relation_kinds
         ORDER BY position, id",
    )?;
    let relations = stmt
        .query_map([], |row| {
            Ok(RelationDef {
                name: row.get(0)?,
                from: parse_names(row.get_ref(1)?.as_str()?),
                to: parse_names(row.get_ref(2)?.as_str()?),
                hotkey: row.get(3)?,
                description: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let name = conn
        .query_row("SELECT value FROM meta WHERE key = 'scheme'", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_else(|| "project".to_owned());
    Ok(LabelScheme {
        name,
        description: String::new(),
        labels,
        relations,
    })
}

/// A project made on the default (newsroom) scheme before relations and attributes gains
/// what today's default adds: labels it lacks, attributes its labels lack, relation kinds.
/// Labels it has keep their colours, keys and definitions (a team may have edited them).
pub(super) fn upgrade_default_scheme(conn: &Connection) -> Result<()> {
    let name: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'scheme'", [], |r| {
            r.get(0)
        })
        .optional()?;
    let default = LabelScheme::newsroom();
    if name.as_deref() != Some(default.name.as_str()) {
        return Ok(());
    }
    let have = read_scheme(conn)?;
    let used_keys: std::collections::HashSet<String> = have
        .labels
        .iter()
        .filter_map(|l| l.hotkey.as_ref().map(|k| k.to_lowercase()))
        .collect();
    for label in &default.labels {
        match have.label(&label.name) {
            None => {
                let mut label = label.clone();
                label.hotkey = label
                    .hotkey
                    .filter(|key| !used_keys.contains(&key.to_lowercase()));
                insert_label(conn, &label)?;
            }
            Some(existing) => {
                let id: i64 = conn.query_row(
                    "SELECT id FROM labels WHERE name = ?1",
                    [&existing.name],
                    |r| r.get(0),
                )?;
                for attribute in &label.attributes {
                    if existing.attribute(&attribute.name).is_none() {
                        insert_attribute(conn, id, attribute)?;
                    }
                }
            }
        }
    }
    for relation in &default.relations {
        if have.relation(&relation.name).is_none() {
            insert_relation_kind(conn, relation)?;
        }
    }
    Ok(())
}

impl Project {
    /// The project's labels (with their attributes) in display order, and its relation
    /// kinds.
    pub fn scheme(&self) -> Result<LabelScheme> {
        read_scheme(&self.conn)
    }
}
