//! Label Studio tasks: a JSON array, one task per document, to import into a project whose
//! labeling config is [`labelstudio_config`] (the command line writes it beside the JSON).
//!
//! Each task is `{"id", "data": {"text", "title", "uid"}, "meta", "annotations"}` with one
//! annotation per annotator. Each annotation's `result` holds one region per span:
//! `{"id", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
//! "value": {"start", "end", "text", "labels": [LABEL]}, "meta": {"annotator", "text"?}}`.
//! Offsets are Unicode code points into `data.text`, end-exclusive: Label Studio stores code
//! points for Text regions, and its converter slices `text[start:end]` in Python.
//!
//! A span's attribute values follow as per-region results with the region's id (`choices`,
//! `textarea` or `number` under the control `LABEL.NAME`), and relations as `{"from_id",
//! "to_id", "type": "relation", "direction": "right", "labels": [KIND]}` between region ids of
//! the same annotation; the config declares `<Relations>` and per-region controls.
//!
//! Label Studio refuses an import whose `completed_by` is not the id or e-mail of one of its
//! own users, so annotations carry no `completed_by` (Label Studio credits them to whoever
//! imports). The annotator's name is kept instead in every region's `meta.annotator`, which
//! Label Studio stores and exports unchanged, and a span's note in `meta.text`, which it shows
//! as the region's meta text.

use std::io::Write;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{ExportDocument, ExportError, ExportHeader, ExportSummary};
use crate::model::{AttributeKind, CharIndex, LabelScheme};

#[derive(Serialize)]
struct Task<'a> {
    id: usize,
    data: TaskData<'a>,
    meta: &'a Map<String, Value>,
    annotations: Vec<Annotation>,
}

#[derive(Serialize)]
struct TaskData<'a> {
    text: &'a str,
    title: &'a str,
    uid: &'a str,
}

#[derive(Serialize)]
struct Annotation {
    id: usize,
    /// Label regions, then per-region attribute values, then relations.
    result: Vec<Value>,
    was_cancelled: bool,
    ground_truth: bool,
}

#[derive(Serialize)]
struct Region<'a> {
    id: String,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    origin: &'static str,
    value: RegionValue<'a>,
    meta: RegionMeta<'a>,
}

#[derive(Serialize)]
struct RegionValue<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'a str; 1],
}

#[derive(Serialize)]
struct RegionMeta<'a> {
    annotator: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    text: Vec<&'a str>,
}

/// Writes the documents that pass `filter` as a JSON array of Label Studio tasks.
pub fn write_labelstudio(
    header: &ExportHeader,
    docs: &mut dyn Iterator<Item = ExportDocument>,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary::default();
    let mut buf = Vec::new();
    let mut annotation_id = 0;
    let mut relations = 0;
    out.write_all(b"[")?;
    for doc in docs {
        let index = CharIndex::new(&doc.text);
        // One annotation per annotator, annotators in name order, spans in export order.
        let mut annotators: Vec<&str> = doc.spans.iter().map(|s| s.annotator.as_str()).collect();
        annotators.sort_unstable();
        annotators.dedup();
        let annotations = annotators
            .into_iter()
            .map(|who| {
                annotation_id += 1;
                let mut result: Vec<Value> = Vec::new();
                let mut values: Vec<Value> = Vec::new();
                for s in doc.spans.iter().filter(|s| s.annotator == who) {
                    let region = Region {
                        id: format!("s{}", s.id),
                        from_name: "label",
                        to_name: "text",
                        kind: "labels",
                        origin: "manual",
                        value: RegionValue {
                            start: s.range.start,
                            end: s.range.end,
                            text: index.slice(&doc.text, s.range),
                            labels: [s.label.as_str()],
                        },
                        meta: RegionMeta {
                            annotator: &s.annotator,
                            text: if s.note.is_empty() {
                                Vec::new()
                            } else {
                                vec![s.note.as_str()]
                            },
                        },
                    };
                    for (name, value) in &s.attributes {
                        let kind = header
                            .scheme
                            .label(&s.label)
                            .and_then(|l| l.attribute(name))
                            .map_or(AttributeKind::Text, |a| a.kind);
                        values.push(attribute_result(&region, &s.label, name, value, kind));
                    }
                    result.push(serde_json::to_value(&region).unwrap_or(Value::Null));
                }
                result.append(&mut values);
                for relation in doc.relations.iter().filter(|r| r.annotator == who) {
                    result.push(json!({
                        "from_id": format!("s{}", relation.from),
                        "to_id": format!("s{}", relation.to),
                        "type": "relation",
                        "direction": "right",
                        "labels": [relation.kind],
                    }));
                    relations += 1;
                }
                Annotation {
                    id: annotation_id,
                    result,
                    was_cancelled: false,
                    ground_truth: false,
                }
            })
            .collect();
        let task = Task {
            id: summary.documents + 1,
            data: TaskData {
                text: &doc.text,
                title: &doc.info.title,
                uid: &doc.info.uid,
            },
            meta: &doc.meta,
            annotations,
        };
        buf.clear();
        buf.extend_from_slice(if summary.documents == 0 {
            b"\n"
        } else {
            b",\n"
        });
        serde_json::to_writer(&mut buf, &task)?;
        out.write_all(&buf)?;
        summary.documents += 1;
        summary.spans += doc.spans.len();
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    summary.relations = relations;
    Ok(summary)
}

/// A span's attribute value as Label Studio's per-region result: the region's id and range
/// under the attribute's control (`LABEL.NAME`), as `choices`, `textarea` or `number`.
fn attribute_result(
    region: &Region<'_>,
    label: &str,
    name: &str,
    value: &str,
    kind: AttributeKind,
) -> Value {
    let mut body = json!({
        "start": region.value.start,
        "end": region.value.end,
        "text": region.value.text,
    });
    let (kind_name, key, written) = match kind {
        AttributeKind::Choice => ("choices", "choices", json!([value])),
        AttributeKind::Text => ("textarea", "text", json!([value])),
        AttributeKind::Number => (
            "number",
            "number",
            value
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| json!(value), Value::Number),
        ),
    };
    body[key] = written;
    json!({
        "id": region.id,
        "from_name": control_name(label, name),
        "to_name": "text",
        "type": kind_name,
        "origin": "manual",
        "value": body,
    })
}

/// The labeling config's control for one label's attribute.
fn control_name(label: &str, attribute: &str) -> String {
    format!("{label}.{attribute}")
}

/// The Label Studio labeling config for a scheme: a `Labels` control named `label` over a
/// `Text` object named `text`, one `Label` per scheme label with its colour.
pub fn labelstudio_config(scheme: &LabelScheme) -> String {
    let mut xml = String::from("<View>\n  <Labels name=\"label\" toName=\"text\">\n");
    for label in &scheme.labels {
        xml.push_str(&format!(
            "    <Label value=\"{}\" background=\"{}\"/>\n",
            xml_attr(&label.name),
            label.rgb()
        ));
    }
    xml.push_str("  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n");
    if !scheme.relations.is_empty() {
        xml.push_str("  <Relations>\n");
        for relation in &scheme.relations {
            xml.push_str(&format!(
                "    <Relation value=\"{}\"/>\n",
                xml_attr(&relation.name)
            ));
        }
        xml.push_str("  </Relations>\n");
    }
    for label in &scheme.labels {
        for attribute in &label.attributes {
            let common = format!(
                "name=\"{}\" toName=\"text\" perRegion=\"true\" visibleWhen=\"region-selected\" whenLabelValue=\"{}\"",
                xml_attr(&control_name(&label.name, &attribute.name)),
                xml_attr(&label.name)
            );
            match attribute.kind {
                AttributeKind::Choice => {
                    xml.push_str(&format!("  <Choices {common} choice=\"single\">\n"));
                    for value in &attribute.values {
                        xml.push_str(&format!("    <Choice value=\"{}\"/>\n", xml_attr(value)));
                    }
                    xml.push_str("  </Choices>\n");
                }
                AttributeKind::Text => xml.push_str(&format!("  <TextArea {common}/>\n")),
                AttributeKind::Number => xml.push_str(&format!("  <Number {common}/>\n")),
            }
        }
    }
    xml.push_str("</View>\n");
    xml
}

/// Escapes text for a double-quoted XML attribute.
fn xml_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_lists_every_label_with_its_colour() {
        let xml = labelstudio_config(&LabelScheme::newsroom());
        assert!(xml.contains("<Label value=\"claim\" background=\"#f2b33d\"/>"));
        assert!(xml.contains("<Text name=\"text\" value=\"$text\"/>"));
        assert_eq!(xml.matches("<Label ").count(), 5);
    }

    #[test]
    fn attributes_are_escaped() {
        assert_eq!(xml_attr("a&b\"<c>"), "a&amp;b&quot;&lt;c&gt;");
    }
}
