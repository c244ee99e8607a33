//! The project every export test uses, included by `export.rs` and `export_readers.rs` with
//! `#[path]` (it sits in `tests/common/` so cargo does not build it as a test of its own).
//!
//! Its texts hold what breaks naive exporters: an emoji (two UTF-16 units), combining marks,
//! Persian digits, curly quotes, a no-break space, a tab, CRLF line ends, and spans that nest,
//! overlap, cross lines, cut a word, or cover only whitespace.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use stet::model::{CharRange, DocStatus, LabelScheme};
use stet::store::{NewDocument, Project, SpanEdit};

pub const NEWS: &str = "Kremlin spokesman Dmitry Peskov said on Saturday: “We see that he is putting in place the capacity.” 😀 Russia has massed about 70,000 troops.\n\nKyiv denied the report.\u{a0}Putin's aide said 14,000 lives were lost.";
pub const PERSIAN: &str =
    "News code : ۱۱۶۵۳۸۱\nThe cafe\u{301} owners said “prices rose 😀😀 by 20%” this year.";
pub const CRLF: &str = "Line one\r\nLine\ttwo claims 5 things.\r\n  Indented end";

/// One span the fixture adds: document index, annotator, text (its `nth` occurrence), label,
/// note.
pub struct Planned {
    pub doc: usize,
    pub annotator: &'static str,
    pub needle: &'static str,
    pub nth: usize,
    pub label: &'static str,
    pub note: &'static str,
}

const fn plan(
    doc: usize,
    annotator: &'static str,
    needle: &'static str,
    label: &'static str,
) -> Planned {
    Planned {
        doc,
        annotator,
        needle,
        nth: 0,
        label,
        note: "",
    }
}

pub const TEXTS: [&str; 3] = [NEWS, PERSIAN, CRLF];
pub const TITLES: [&str; 3] = ["Peskov: “We see…”", "خبرگزاری ۱۱۶۵", "Peskov: “We see…”"];

pub fn planned() -> Vec<Planned> {
    vec![
        plan(
            0,
            "ana",
            "“We see that he is putting in place the capacity.”",
            "quote",
        ),
        plan(0, "ana", "Dmitry Peskov", "source"),
        plan(0, "ana", "Russia has massed about 70,000 troops", "claim"),
        plan(0, "ana", "about 70,000 troops", "figure"),
        plan(0, "ben", "about 70,000 troops", "figure"),
        plan(0, "ben", "70,000 troops.\n\nKyiv denied", "claim"),
        Planned {
            note: "Check the ministry's statement\nagainst the wire",
            ..plan(0, "ana", "Kyiv denied the report", "denial")
        },
        plan(0, "ben", "Putin", "claim"),
        plan(0, "ben", "14,000 lives", "figure"),
        plan(1, "ana", "۱۱۶۵۳۸۱", "figure"),
        plan(1, "ana", "“prices rose 😀😀 by 20%”", "quote"),
        plan(1, "ana", "20%", "figure"),
        plan(1, "ben", "cafe\u{301} owners said", "claim"),
        plan(2, "ana", "one\r\nLine", "claim"),
        plan(2, "ana", "Line\ttwo claims", "claim"),
        plan(2, "ben", "5", "figure"),
        Planned {
            nth: 1,
            ..plan(2, "ben", " ", "claim")
        },
    ]
}

/// Ana's relations: kind, from and to as indices into [`planned`].
pub const RELATIONS: [(&str, usize, usize); 2] = [
    // The quote is said by Dmitry Peskov; Kyiv's denial denies the claim about troops.
    ("said_by", 0, 1),
    ("denies", 6, 2),
];

/// Attribute values: index into [`planned`], attribute, value.
pub const ATTRIBUTES: [(usize, &str, &str); 1] = [(2, "verdict", "mostly true")];

/// The code-point range of the `nth` occurrence of `needle` in `text`.
pub fn range_of(text: &str, needle: &str, nth: usize) -> CharRange {
    let (byte, _) = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text[..byte].chars().count();
    CharRange::new(start, start + needle.chars().count())
}

/// Builds the fixture project in `dir`; ana has marked the first two documents done.
pub fn build(dir: &Path) -> PathBuf {
    let path = dir.join("team.stet");
    let mut project = Project::create(&path, &LabelScheme::newsroom()).unwrap();
    let mut ids = Vec::new();
    for (text, title) in TEXTS.iter().zip(TITLES) {
        let doc = NewDocument {
            title: title.into(),
            text: (*text).into(),
            source: format!("{title}.txt"),
            format: "text".into(),
            ..NewDocument::default()
        };
        ids.push(project.add_document(&doc).unwrap().document_id);
    }
    let mut span_ids = Vec::new();
    for p in planned() {
        let range = range_of(TEXTS[p.doc], p.needle, p.nth);
        let span = project
            .add_span(p.annotator, ids[p.doc], range, p.label, p.note)
            .unwrap();
        span_ids.push(span.id);
    }
    for (kind, from, to) in RELATIONS {
        project
            .add_relation("ana", kind, span_ids[from], span_ids[to])
            .unwrap();
    }
    for (span, name, value) in ATTRIBUTES {
        let edit = SpanEdit {
            attribute: Some((name.into(), Some(value.into()))),
            ..SpanEdit::default()
        };
        project.edit_span("ana", span_ids[span], &edit).unwrap();
    }
    project.set_status("ana", ids[0], DocStatus::Done).unwrap();
    project.set_status("ana", ids[1], DocStatus::Done).unwrap();
    path
}

/// `text[range]` in code points.
pub fn chars(text: &str, range: CharRange) -> String {
    text.chars().skip(range.start).take(range.len()).collect()
}

/// The range without edge whitespace (token formats cannot hold it).
pub fn trimmed(text: &str, range: CharRange) -> CharRange {
    let covered: Vec<char> = text.chars().skip(range.start).take(range.len()).collect();
    let lead = covered.iter().take_while(|c| c.is_whitespace()).count();
    if lead == covered.len() {
        return CharRange::new(range.start, range.start);
    }
    let trail = covered
        .iter()
        .rev()
        .take_while(|c| c.is_whitespace())
        .count();
    CharRange::new(range.start + lead, range.end - trail)
}
