//! brat standoff: a folder that opens in brat as it is.
//!
//! Files: `NAME.txt` (the text, UTF-8) and `NAME.ann` per document (names from
//! [`super::names`]), plus `annotation.conf` (the scheme's labels as entities, an `Annotator`
//! attribute, any overlap allowed) and `visual.conf` (label names and colours).
//!
//! brat reads the `.txt` in Python with universal newlines and counts offsets in code points
//! of what it read. A carriage return would therefore vanish or turn into `\n` and shift every
//! later offset, so each CR is written as a space (one code point for one; stet itself
//! normalises line ends on import, so only texts given verbatim in JSONL have any).
//!
//! `.ann` lines: `T1\tLABEL START END\tTEXT` for each span; a span whose text holds a line
//! break or tab (which brat cannot store in a line) is written as fragments split at those
//! characters, `T1\tLABEL 0 4;6 12\tpara second`, the fragments' texts joined by one space
//! as brat requires. `A1\tAnnotator T1 NAME` records whose span it is and
//! `#1\tAnnotatorNotes T1\tNOTE` its note (line breaks and tabs in notes become spaces).
//! Each attribute value with a closed list is an `A` line too (`A2\tverdict T1 mostly_true`);
//! free-text and number values join the note. Relations are `R1\tsaid_by Arg1:T3 Arg2:T1`.
//! `annotation.conf` declares the relations and attributes with the labels they allow.
//! Label, relation, attribute and annotator names are written in brat's storage form (`[A-Za-z0-9_-]`, other
//! characters `_`); `visual.conf` shows each label under its real name.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::names::FileNames;
use super::{ExportDocument, ExportError, ExportHeader, ExportSummary, with_file_sink};
use crate::model::{AttributeKind, CharIndex, CharRange, LabelScheme};

/// Writes the documents that pass `filter` into `dir` (which must exist) as brat standoff.
pub fn write_brat(
    header: &ExportHeader,
    docs: &mut dyn Iterator<Item = ExportDocument>,
    dir: &Path,
) -> Result<ExportSummary, ExportError> {
    let scheme = &header.scheme;
    let labels = StorageNames::new(scheme.labels.iter().map(|l| l.name.clone()));
    // Annotators are named in the config before the documents are read.
    let annotators = &header.annotators;
    let annotator_names = StorageNames::new(annotators.iter().cloned());
    let relation_names = StorageNames::new(scheme.relations.iter().map(|r| r.name.clone()));
    let attributes = BratAttributes::new(scheme);
    write_file(&dir.join("annotation.conf"), |out| {
        writeln!(
            out,
            "# Written by stet: the project's labels as brat entity types."
        )?;
        writeln!(out, "[entities]")?;
        for label in &scheme.labels {
            writeln!(out, "{}", labels.get(&label.name))?;
        }
        writeln!(out, "\n[relations]")?;
        for relation in &scheme.relations {
            let ends = |list: &[String]| {
                list.iter()
                    .map(|l| labels.get(l))
                    .collect::<Vec<_>>()
                    .join("|")
            };
            writeln!(
                out,
                "{}\tArg1:{}, Arg2:{}",
                relation_names.get(&relation.name),
                ends(&relation.from),
                ends(&relation.to)
            )?;
        }
        writeln!(
            out,
            "# Spans may nest and overlap, as they can in stet.\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"
        )?;
        writeln!(out, "\n[events]\n\n[attributes]")?;
        if !annotators.is_empty() {
            let values: Vec<&str> = annotators.iter().map(|a| annotator_names.get(a)).collect();
            writeln!(out, "Annotator\tArg:<ENTITY>, Value:{}", values.join("|"))?;
        }
        for attribute in &attributes.declared {
            writeln!(
                out,
                "{}\tArg:{}, Value:{}",
                attribute.form,
                attribute
                    .labels
                    .iter()
                    .map(|l| labels.get(l))
                    .collect::<Vec<_>>()
                    .join("|"),
                attribute.values.join("|")
            )?;
        }
        Ok(())
    })?;
    write_file(&dir.join("visual.conf"), |out| {
        writeln!(out, "# Written by stet: label names and colours.\n[labels]")?;
        for label in &scheme.labels {
            writeln!(
                out,
                "{} | {}",
                labels.get(&label.name),
                visual_name(&label.name)
            )?;
        }
        writeln!(out, "\n[drawing]")?;
        writeln!(
            out,
            "SPAN_DEFAULT\tfgColor:black, bgColor:lightgray, borderColor:darken"
        )?;
        writeln!(out, "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5")?;
        for label in &scheme.labels {
            writeln!(out, "{}\tbgColor:{}", labels.get(&label.name), label.rgb())?;
        }
        Ok(())
    })?;

    let mut summary = ExportSummary::default();
    let mut names = FileNames::default();
    let mut frags = Vec::new();
    with_file_sink(|sink| {
        for doc in docs {
            let stem = names.stem(&doc.info.title, &doc.info.uid);
            let text: Cow<'_, str> = if doc.text.contains('\r') {
                Cow::Owned(doc.text.replace('\r', " "))
            } else {
                Cow::Borrowed(&doc.text)
            };
            let index = CharIndex::new(&text);
            let mut ann = String::from_utf8(sink.buffer()).unwrap_or_default();
            let (mut t, mut n, mut a) = (0, 0, 0);
            // Each written span's `T` number, for the relations.
            let mut written: HashMap<i64, usize> = HashMap::new();
            for span in &doc.spans {
                let covered = index.slice(&text, span.range);
                fragments(covered, span.range, &mut frags);
                if frags.is_empty() {
                    summary.left_out += 1;
                    continue;
                }
                t += 1;
                let _ = write!(ann, "T{t}\t{} ", labels.get(&span.label));
                for (k, r) in frags.iter().enumerate() {
                    let sep = if k > 0 { ";" } else { "" };
                    let _ = write!(ann, "{sep}{} {}", r.start, r.end);
                }
                ann.push('\t');
                for (k, r) in frags.iter().enumerate() {
                    if k > 0 {
                        ann.push(' ');
                    }
                    ann.push_str(index.slice(&text, *r));
                }
                written.insert(span.id, t);
                a += 1;
                let _ = writeln!(
                    ann,
                    "\nA{a}\tAnnotator T{t} {}",
                    annotator_names.get(&span.annotator)
                );
                // Closed-list attributes become brat attributes; free text and numbers,
                // which brat has no attribute for, join the note as `name: value`.
                let mut note = span.note.clone();
                for (name, value) in &span.attributes {
                    match attributes.form(&span.label, name, value) {
                        Some((attribute, value)) => {
                            a += 1;
                            let _ = writeln!(ann, "A{a}\t{attribute} T{t} {value}");
                        }
                        None => {
                            if !note.is_empty() {
                                note.push_str("; ");
                            }
                            let _ = write!(note, "{name}: {value}");
                        }
                    }
                }
                if !note.is_empty() {
                    n += 1;
                    let _ = write!(ann, "#{n}\tAnnotatorNotes T{t}\t");
                    ann.extend(note.chars().map(|c| {
                        if matches!(c, '\n' | '\r' | '\t') {
                            ' '
                        } else {
                            c
                        }
                    }));
                    ann.push('\n');
                }
                summary.spans += 1;
            }
            let mut r = 0;
            for relation in &doc.relations {
                let (Some(from), Some(to)) =
                    (written.get(&relation.from), written.get(&relation.to))
                else {
                    continue;
                };
                r += 1;
                let _ = writeln!(
                    ann,
                    "R{r}\t{} Arg1:T{from} Arg2:T{to}",
                    relation_names.get(&relation.kind)
                );
                summary.relations += 1;
            }
            sink.write(dir.join(format!("{stem}.txt")), text.as_bytes().to_vec())?;
            sink.write(dir.join(format!("{stem}.ann")), ann.as_bytes().to_vec())?;
            summary.documents += 1;
        }
        Ok(())
    })?;
    Ok(summary)
}

/// The parts of `range` (whose text is `covered`) between line feeds and tabs, non-empty
/// ones only, as brat stores a span that crosses lines; written into `out`.
fn fragments(covered: &str, range: CharRange, out: &mut Vec<CharRange>) {
    out.clear();
    let mut start = range.start;
    for (i, c) in covered.chars().enumerate() {
        if c == '\n' || c == '\t' {
            let at = range.start + i;
            if at > start {
                out.push(CharRange::new(start, at));
            }
            start = at + 1;
        }
    }
    if range.end > start {
        out.push(CharRange::new(start, range.end));
    }
}

/// A label for visual.conf's `[labels]` line, where `|` separates names.
fn visual_name(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '|' => '/',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Unique brat storage forms (`[A-Za-z0-9_-]`) for a list of names, `_2`, `_3`… added when
/// two names normalise alike.
struct StorageNames {
    forms: HashMap<String, String>,
}

impl StorageNames {
    fn new(names: impl Iterator<Item = String>) -> Self {
        let mut forms = HashMap::new();
        let mut used = std::collections::HashSet::new();
        for name in names {
            if forms.contains_key(&name) {
                continue;
            }
            let base = storage_form(&name);
            let mut form = base.clone();
            let mut n = 2;
            while !used.insert(form.clone()) {
                form = format!("{base}_{n}");
                n += 1;
            }
            forms.insert(name, form);
        }
        Self { forms }
    }

    fn get<'a>(&'a self, name: &'a str) -> &'a str {
        self.forms.get(name).map_or(name, String::as_str)
    }
}

/// The scheme's closed-list attributes as brat declares them: one `[attributes]` line per
/// name (labels sharing a name share the line), names and values in storage form.
struct BratAttributes {
    declared: Vec<DeclaredAttribute>,
    /// (label, attribute) → index into `declared`.
    by_label: HashMap<(String, String), usize>,
    value_forms: HashMap<(usize, String), String>,
}

struct DeclaredAttribute {
    form: String,
    labels: Vec<String>,
    values: Vec<String>,
}

impl BratAttributes {
    fn new(scheme: &LabelScheme) -> Self {
        let names = StorageNames::new(
            std::iter::once("Annotator".to_owned()).chain(
                scheme
                    .labels
                    .iter()
                    .flat_map(|l| l.attributes.iter().map(|a| a.name.clone())),
            ),
        );
        let mut declared: Vec<DeclaredAttribute> = Vec::new();
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        let mut by_label = HashMap::new();
        let mut value_forms = HashMap::new();
        for label in &scheme.labels {
            for attribute in &label.attributes {
                if attribute.kind != AttributeKind::Choice {
                    continue;
                }
                let at = *by_name.entry(&attribute.name).or_insert_with(|| {
                    declared.push(DeclaredAttribute {
                        form: names.get(&attribute.name).to_owned(),
                        labels: Vec::new(),
                        values: Vec::new(),
                    });
                    declared.len() - 1
                });
                let entry = &mut declared[at];
                entry.labels.push(label.name.clone());
                for value in &attribute.values {
                    if value_forms.contains_key(&(at, value.clone())) {
                        continue;
                    }
                    let mut form = storage_form(value);
                    let mut n = 2;
                    while entry.values.contains(&form) {
                        form = format!("{}_{n}", storage_form(value));
                        n += 1;
                    }
                    entry.values.push(form.clone());
                    value_forms.insert((at, value.clone()), form);
                }
                by_label.insert((label.name.clone(), attribute.name.clone()), at);
            }
        }
        Self {
            declared,
            by_label,
            value_forms,
        }
    }

    /// The brat attribute name and value for a span's value, if brat can hold it.
    fn form(&self, label: &str, name: &str, value: &str) -> Option<(&str, &str)> {
        let at = *self.by_label.get(&(label.to_owned(), name.to_owned()))?;
        let value = self.value_forms.get(&(at, value.to_owned()))?;
        Some((self.declared[at].form.as_str(), value.as_str()))
    }
}

/// A name in brat's storage form: `[A-Za-z0-9_-]`, anything else `_`.
pub fn storage_form(name: &str) -> String {
    let form: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if form.is_empty() {
        "_".to_owned()
    } else {
        form
    }
}

/// Writes a small file through a buffer.
fn write_file(
    path: &Path,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    let mut out = BufWriter::new(File::create(path)?);
    body(&mut out)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frags(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
        let range = CharRange::new(start, end);
        let covered: String = text.chars().skip(start).take(range.len()).collect();
        let mut out = Vec::new();
        fragments(&covered, range, &mut out);
        out.into_iter().map(|r| (r.start, r.end)).collect()
    }

    #[test]
    fn spans_across_lines_become_fragments() {
        let text = "first para\n\nsecond para";
        assert_eq!(frags(text, 6, 18), [(6, 10), (12, 18)]);
        assert_eq!(frags(text, 0, 5), [(0, 5)]);
        assert_eq!(frags(text, 10, 12), []);
        assert_eq!(frags("a\tb", 0, 3), [(0, 1), (2, 3)]);
    }

    #[test]
    fn storage_names_are_safe_and_unique() {
        let names = StorageNames::new(
            ["claim", "named entity", "named_entity", "déni"]
                .into_iter()
                .map(String::from),
        );
        assert_eq!(names.get("claim"), "claim");
        assert_eq!(names.get("named entity"), "named_entity");
        assert_eq!(names.get("named_entity"), "named_entity_2");
        assert_eq!(names.get("déni"), "d_ni");
    }
}
