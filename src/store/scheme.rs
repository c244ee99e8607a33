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

/// Colours for labels added on import, in the order they are handed out (skipping those the
/// project already uses): light enough for dark text and as a fill behind light text, and
/// apart from the newsroom scheme's five.
const IMPORT_PALETTE: [&str; 12] = [
    "#56b6c2", "#d19a66", "#98c379", "#c678dd", "#e5c07b", "#61afef", "#be5046", "#7fb4a8",
    "#d4a0c8", "#a0a4d8", "#c8b890", "#88c0d0",
];

/// What [`Batch::add_missing_scheme`] added to the project's scheme.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchemeAdditions {
    pub labels: Vec<String>,
    /// `label.attribute`.
    pub attributes: Vec<String>,
    pub relations: Vec<String>,
}

impl SchemeAdditions {
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.attributes.is_empty() && self.relations.is_empty()
    }

    /// `added labels ORG, PER; attributes ORG.kind; relations works_for` (empty parts left
    /// out).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (names, one, many) in [
            (&self.labels, "label", "labels"),
            (&self.attributes, "attribute", "attributes"),
            (&self.relations, "relation kind", "relation kinds"),
        ] {
            if !names.is_empty() {
                let noun = if names.len() == 1 { one } else { many };
                parts.push(format!("{noun} {}", names.join(", ")));
            }
        }
        format!("added to the scheme: {}", parts.join("; "))
    }
}

impl super::Batch<'_> {
    /// Adds to the project's scheme the labels, attributes and relation kinds `docs` use that
    /// it lacks (`stet import --add-labels`): labels get the next free colour of a palette
    /// and no key, attributes take free text, and a relation kind allows the labels the
    /// documents join with it. Part of the batch's transaction.
    ///
    /// `declared` are the labels the files' collection declares (brat's `annotation.conf`):
    /// its entity types are added even where no span uses them, and its colours are kept.
    pub fn add_missing_scheme(
        &mut self,
        docs: &[super::NewDocument],
        declared: &[crate::model::DeclaredLabel],
    ) -> Result<SchemeAdditions> {
        let mut added = SchemeAdditions::default();
        for label in declared.iter().filter(|l| l.declared) {
            self.add_label(&label.name, declared, &mut added)?;
        }
        for doc in docs {
            for span in &doc.spans {
                self.add_label(&span.label, declared, &mut added)?;
                for name in span.attributes.keys() {
                    let Some(label) = self.scheme.labels.iter_mut().find(|l| l.name == span.label)
                    else {
                        continue;
                    };
                    if label.attribute(name).is_some() {
                        continue;
                    }
                    let attribute = AttributeDef {
                        name: name.clone(),
                        kind: AttributeKind::Text,
                        values: Vec::new(),
                        description: ADDED_ON_IMPORT.to_owned(),
                    };
                    let Some(&label_id) = self.label_ids.get(&label.name) else {
                        continue;
                    };
                    insert_attribute(&self.tx, label_id, &attribute)?;
                    label.attributes.push(attribute);
                    added.attributes.push(format!("{}.{name}", span.label));
                }
            }
            for relation in &doc.relations {
                let (Some(from), Some(to)) =
                    (doc.spans.get(relation.from), doc.spans.get(relation.to))
                else {
                    continue;
                };
                match self
                    .scheme
                    .relations
                    .iter_mut()
                    .find(|r| r.name == relation.kind)
                {
                    Some(kind) if kind.fits(&from.label, &to.label) => {}
                    Some(kind) => {
                        for (ends, label) in
                            [(&mut kind.from, &from.label), (&mut kind.to, &to.label)]
                        {
                            if !ends.contains(label) {
                                ends.push(label.clone());
                            }
                        }
                        self.tx.execute(
                            "UPDATE relation_kinds SET from_labels = ?1, to_labels = ?2
                             WHERE name = ?3",
                            params![names_json(&kind.from), names_json(&kind.to), kind.name],
                        )?;
                        let change = format!("{} (now {} → {})", kind.name, from.label, to.label);
                        if !added.relations.contains(&change) {
                            added.relations.push(change);
                        }
                    }
                    None => {
                        let kind = RelationDef {
                            name: relation.kind.clone(),
                            from: vec![from.label.clone()],
                            to: vec![to.label.clone()],
                            hotkey: None,
                            description: ADDED_ON_IMPORT.to_owned(),
                        };
                        insert_relation_kind(&self.tx, &kind)?;
                        self.scheme.relations.push(kind);
                        added.relations.push(relation.kind.clone());
                    }
                }
            }
        }
        Ok(added)
    }

    /// Adds the label `name` if the scheme lacks it, with its declared colour if it has one,
    /// else the palette's next free one.
    fn add_label(
        &mut self,
        name: &str,
        declared: &[crate::model::DeclaredLabel],
        added: &mut SchemeAdditions,
    ) -> Result<()> {
        if self.label_ids.contains_key(name) {
            return Ok(());
        }
        let used: Vec<String> = self.scheme.labels.iter().map(|l| l.color.clone()).collect();
        let n = self.scheme.labels.len();
        let color = declared
            .iter()
            .find(|l| l.name == name)
            .and_then(|l| l.color.clone())
            .unwrap_or_else(|| {
                IMPORT_PALETTE
                    .iter()
                    .find(|c| !used.iter().any(|u| u.eq_ignore_ascii_case(c)))
                    .unwrap_or(&IMPORT_PALETTE[n % IMPORT_PALETTE.len()])
                    .to_string()
            });
        let label = LabelDef {
            name: name.to_owned(),
            color,
            hotkey: None,
            description: ADDED_ON_IMPORT.to_owned(),
            attributes: Vec::new(),
        };
        let id = insert_label(&self.tx, &label)?;
        self.label_ids.insert(label.name.clone(), id);
        self.scheme.labels.push(label);
        added.labels.push(name.to_owned());
        Ok(())
    }
}

/// The description of what `--add-labels` adds.
const ADDED_ON_IMPORT: &str = "Added on import from a file that uses it.";
