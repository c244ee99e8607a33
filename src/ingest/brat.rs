//! brat standoff: a `NAME.ann` beside its `NAME.txt` is one document.
//!
//! `T` lines are spans (offsets count code points of the `.txt` as written; CR LF pairs are
//! mapped to the stored LF), `#` AnnotatorNotes are their notes, an `Annotator` attribute
//! names whose layer a span is on, other `A`/`M` attributes are span attributes, and `R`
//! relations are relations. What stet cannot hold — discontinuous `T` lines, events,
//! equivalences, normalisations, attributes of things that are not spans — is counted in the
//! article's notes, never dropped silently. Any malformed line refuses the file, naming it.

use std::collections::HashMap;
use std::path::Path;

use super::decode::decode_with_map;
use super::{
    Article, ArticleRelation, ArticleSpan, DeclaredLabel, IngestError, Problem, SourceFormat,
    first_line_title,
};
use crate::model::{CharIndex, CharRange};

/// The attribute brat corpora use for whose annotation a line is (`A1 Annotator T1 ana`).
const ANNOTATOR_ATTRIBUTE: &str = "Annotator";

/// Things a `.ann` held that stet has no place for, by kind, for the import's notes.
#[derive(Default)]
struct Unheld {
    discontinuous: usize,
    events: usize,
    equivalences: usize,
    normalisations: usize,
    /// Attributes, notes and relations of things left out (an event's attribute).
    attached: usize,
    /// Lines of kinds brat has that stet does not know.
    other: usize,
}

impl Unheld {
    fn describe(&self) -> Option<String> {
        let parts: Vec<String> = [
            (
                self.discontinuous,
                "discontinuous span",
                "discontinuous spans",
            ),
            (self.events, "event", "events"),
            (self.equivalences, "equivalence", "equivalences"),
            (self.normalisations, "normalisation", "normalisations"),
            (
                self.attached,
                "attribute, note or relation of those",
                "attributes, notes or relations of those",
            ),
            (self.other, "line of another kind", "lines of other kinds"),
        ]
        .into_iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
        (!parts.is_empty()).then(|| {
            format!(
                "left out what stet cannot hold: {} (the spans they join are kept)",
                parts.join(", ")
            )
        })
    }
}

/// Reads `ann_path` with the `.txt` beside it.
pub fn read_pair(ann_path: &Path) -> Result<Vec<Article>, IngestError> {
    let txt_path = ann_path.with_extension("txt");
    let txt_bytes = std::fs::read(&txt_path).map_err(|err| {
        let problem = if err.kind() == std::io::ErrorKind::NotFound {
            Problem::Record(format!(
                "brat annotations need their text beside them, but there is no {}",
                txt_path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ))
        } else {
            Problem::Io(err)
        };
        IngestError::file(ann_path, problem)
    })?;
    let ann_bytes =
        std::fs::read(ann_path).map_err(|err| IngestError::file(ann_path, Problem::Io(err)))?;
    let (text, map) =
        decode_with_map(&txt_bytes).map_err(|problem| IngestError::file(&txt_path, problem))?;
    let ann = match super::decode_text(&ann_bytes) {
        Ok(ann) => ann,
        // An empty `.ann` is a document nobody has tagged yet.
        Err(Problem::Empty | Problem::Blank) => String::new(),
        Err(problem) => return Err(IngestError::file(ann_path, problem)),
    };
    let mut article = read_standoff(&text, &map, &ann, ann_path)?;
    if let Some(dir) = ann_path.parent() {
        article.declared_labels = declared_labels(dir);
    }
    Ok(vec![article])
}

/// How many folders up from a document brat's configuration is looked for (brat takes the
/// nearest `annotation.conf` of the collection or a parent).
const CONF_LEVELS: usize = 4;

/// The nearest `name` in `dir` or the folders above it.
fn find_conf(dir: &Path, name: &str) -> Option<String> {
    dir.ancestors()
        .take(CONF_LEVELS + 1)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|bytes| super::decode_text(&bytes).ok())
}

/// The entity types of the collection's `annotation.conf`, in its order, with their
/// `visual.conf` background colours (`#rrggbb` only): the corpus's own labels, for
/// `--add-labels`. Abstract types (`!Life`) and macros are left out; event types are labels
/// only where a `T` line uses them. A missing or odd configuration gives none: it is never a
/// reason to refuse the documents.
fn declared_labels(dir: &Path) -> Vec<DeclaredLabel> {
    let Some(annotation) = find_conf(dir, "annotation.conf") else {
        return Vec::new();
    };
    let mut colours = std::collections::HashMap::new();
    if let Some(visual) = find_conf(dir, "visual.conf") {
        let mut drawing = false;
        for line in visual.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                drawing = line == "[drawing]";
                continue;
            }
            let Some((name, styles)) = line.split_once(char::is_whitespace) else {
                continue;
            };
            if !drawing || name.starts_with('#') {
                continue;
            }
            let colour = styles.split(',').find_map(|style| {
                let value = style.trim().strip_prefix("bgColor:")?.trim();
                crate::model::Color::parse_hex(value).map(|_| value.to_ascii_lowercase())
            });
            if let Some(colour) = colour {
                colours.insert(name.to_owned(), colour);
            }
        }
    }
    let mut labels = Vec::new();
    let mut entities = false;
    for line in annotation.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            entities = trimmed == "[entities]";
            continue;
        }
        if !entities || trimmed.is_empty() || trimmed.starts_with(['#', '!', '<']) {
            continue;
        }
        if let Some(name) = trimmed.split_whitespace().next() {
            labels.push(DeclaredLabel {
                name: name.to_owned(),
                color: colours.get(name).cloned(),
                declared: true,
            });
        }
    }
    // Colours for the types that are not entities (event triggers) too.
    let mut others: Vec<(String, String)> = colours
        .into_iter()
        .filter(|(name, _)| !labels.iter().any(|l| l.name == *name))
        .collect();
    others.sort();
    labels.extend(others.into_iter().map(|(name, color)| DeclaredLabel {
        name,
        color: Some(color),
        declared: false,
    }));
    labels
}

/// Builds the article from the decoded text and `.ann`.
fn read_standoff(
    text: &str,
    map: &super::decode::NewlineMap,
    ann: &str,
    path: &Path,
) -> Result<Article, IngestError> {
    let title = first_line_title(text).ok_or_else(|| IngestError::file(path, Problem::Blank))?;
    let mut article = Article::new(title, text.to_owned(), SourceFormat::Brat);
    let index = CharIndex::new(text);
    let len = index.len_chars();
    let mut unheld = Unheld::default();
    // `T` id → index in `article.spans`.
    let mut spans: HashMap<&str, usize> = HashMap::new();
    // Lines that refer to spans, kept until every `T` line is read (brat allows any order).
    let mut later: Vec<(usize, &str)> = Vec::new();
    let mut discontinuous: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (at, line) in ann.split('\n').enumerate() {
        let number = at + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let fail = |msg: String| IngestError::at_line(path, number, Problem::Record(msg));
        let (id, rest) = line
            .split_once('\t')
            .ok_or_else(|| fail(format!("{:?} has no tab after its id", short(line))))?;
        match id.chars().next() {
            Some('T') => {
                let (head, covered) = rest.split_once('\t').unwrap_or((rest, ""));
                let (label, offsets) = head
                    .split_once(' ')
                    .ok_or_else(|| fail(format!("{id}: no offsets after the type")))?;
                if label.is_empty() {
                    return Err(fail(format!("{id}: the type is empty")));
                }
                let mut fragments = Vec::new();
                for fragment in offsets.split(';') {
                    let (start, end) = fragment
                        .split_once(' ')
                        .and_then(|(s, e)| {
                            Some((s.parse::<usize>().ok()?, e.parse::<usize>().ok()?))
                        })
                        .ok_or_else(|| {
                            fail(format!(
                                "{id}: offsets must be START END in characters, not {offsets:?}"
                            ))
                        })?;
                    fragments.push((map.map(start), map.map(end)));
                }
                // Fragments apart only by white space are one span brat had to cut at a line
                // break (stet's own export does so); others are truly discontinuous.
                let joined = fragments.windows(2).all(|pair| {
                    let (gap_start, gap_end) = (pair[0].1, pair[1].0);
                    gap_start <= gap_end
                        && gap_end <= len
                        && index
                            .slice(text, CharRange::new(gap_start, gap_end))
                            .chars()
                            .all(char::is_whitespace)
                });
                if !joined {
                    unheld.discontinuous += 1;
                    discontinuous.insert(id);
                    continue;
                }
                let (start, end) = match (fragments.first(), fragments.last()) {
                    (Some(first), Some(last)) => (first.0, last.1),
                    _ => return Err(fail(format!("{id}: no offsets"))),
                };
                if start >= end {
                    return Err(fail(format!(
                        "{id}: span {start}..{end} is empty or reversed"
                    )));
                }
                if end > len {
                    return Err(fail(format!(
                        "{id}: span {start}..{end} runs past the end of the text ({len} characters)"
                    )));
                }
                let range = CharRange::new(start, end);
                let actual = index.slice(text, range);
                // brat writes the covered text after the offsets; a mismatch means the
                // offsets count something else (bytes, another copy of the text).
                let squeezed = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
                if !covered.is_empty() && squeezed(actual) != squeezed(covered) {
                    return Err(fail(format!(
                        "{id}: the text at {start}..{end} is {:?}, but the line says {:?}; the \
                         .txt beside it may not be the one annotated",
                        short(actual),
                        short(covered)
                    )));
                }
                if spans.contains_key(id) {
                    return Err(fail(format!("{id} is defined twice")));
                }
                spans.insert(id, article.spans.len());
                article
                    .spans
                    .push(ArticleSpan::new(range, label.to_owned()));
            }
            Some('R' | 'A' | 'M' | '#') => later.push((number, line)),
            Some('E') => unheld.events += 1,
            Some('*') => unheld.equivalences += 1,
            Some('N') => unheld.normalisations += 1,
            _ => unheld.other += 1,
        }
    }
    for (number, line) in later {
        let fail = |msg: String| IngestError::at_line(path, number, Problem::Record(msg));
        let (id, rest) = line.split_once('\t').unwrap_or((line, ""));
        let span_of = |target: &str| -> Result<Option<usize>, IngestError> {
            match spans.get(target) {
                Some(&i) => Ok(Some(i)),
                // Points at something stet left out (a discontinuous span, an event).
                None if discontinuous.contains(target) || !target.starts_with('T') => Ok(None),
                None => Err(fail(format!("{id}: {target} is no span of the file"))),
            }
        };
        match id.chars().next() {
            Some('R') => {
                let mut words = rest.split_whitespace();
                let kind = words
                    .next()
                    .ok_or_else(|| fail(format!("{id}: the relation has no type")))?;
                let mut ends = [None, None];
                for word in words {
                    let (role, target) = word
                        .split_once(':')
                        .ok_or_else(|| fail(format!("{id}: {word:?} is not ROLE:ID (Arg1:T1)")))?;
                    let slot = match role {
                        "Arg1" => 0,
                        "Arg2" => 1,
                        _ => return Err(fail(format!("{id}: role {role:?} is not Arg1 or Arg2"))),
                    };
                    ends[slot] = Some(target);
                }
                let (Some(from), Some(to)) = (ends[0], ends[1]) else {
                    return Err(fail(format!("{id}: a relation needs Arg1 and Arg2")));
                };
                match (span_of(from)?, span_of(to)?) {
                    (Some(from), Some(to)) => article.relations.push(ArticleRelation {
                        kind: kind.to_owned(),
                        from,
                        to,
                        annotator: None,
                        uid: None,
                    }),
                    _ => unheld.attached += 1,
                }
            }
            Some('A' | 'M') => {
                let mut words = rest.split_whitespace();
                let (Some(name), Some(target)) = (words.next(), words.next()) else {
                    return Err(fail(format!(
                        "{id}: an attribute needs a name and a target"
                    )));
                };
                // A binary attribute has no value: it is set.
                let value = words.collect::<Vec<_>>().join(" ");
                let value = if value.is_empty() {
                    "true".to_owned()
                } else {
                    value
                };
                let Some(span) = span_of(target)? else {
                    unheld.attached += 1;
                    continue;
                };
                let span = &mut article.spans[span];
                if name == ANNOTATOR_ATTRIBUTE {
                    span.annotator = Some(value);
                } else {
                    span.attributes.insert(name.to_owned(), value);
                }
            }
            Some('#') => {
                let (head, note) = rest.split_once('\t').unwrap_or((rest, ""));
                let mut words = head.split_whitespace();
                let (Some(_kind), Some(target)) = (words.next(), words.next()) else {
                    return Err(fail(format!("{id}: a note needs a type and a target")));
                };
                let Some(span) = span_of(target)? else {
                    unheld.attached += 1;
                    continue;
                };
                let span = &mut article.spans[span];
                if !span.note.is_empty() {
                    span.note.push('\n');
                }
                span.note.push_str(note);
            }
            _ => {}
        }
    }
    if let Some(note) = unheld.describe() {
        article.notes.push(note);
    }
    Ok(article)
}

/// A line or text cut short for a message.
fn short(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(MAX).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::decode::NewlineMap;

    fn read(text: &str, ann: &str) -> Result<Article, String> {
        read_standoff(text, &NewlineMap::default(), ann, Path::new("doc.ann"))
            .map_err(|e| e.to_string())
    }

    fn covered(article: &Article, i: usize) -> String {
        article.covered(article.spans[i].range)
    }

    #[test]
    fn spans_notes_attributes_and_relations_come_in() {
        let text = "Peskov said “no” 🚢 today.\n";
        let ann = "T1\tsource 0 6\tPeskov\nT2\tquote 12 16\t“no”\nR1\tsaid_by Arg1:T2 Arg2:T1\t\n\
                   A1\tAnnotator T2 ana\nA2\tverdict T2 false\nM3\tNegated T1\n#1\tAnnotatorNotes T2\tshort\n\
                   T3\tfigure 19 24\ttoday\n";
        let article = read(text, ann).unwrap();
        assert_eq!(covered(&article, 0), "Peskov");
        assert_eq!(covered(&article, 1), "“no”");
        assert_eq!(
            covered(&article, 2),
            "today",
            "offsets after the emoji are code points"
        );
        assert_eq!(article.spans[1].annotator.as_deref(), Some("ana"));
        assert_eq!(article.spans[1].attributes["verdict"], "false");
        assert_eq!(article.spans[0].attributes["Negated"], "true");
        assert_eq!(article.spans[1].note, "short");
        assert_eq!(article.relations.len(), 1);
        assert_eq!((article.relations[0].from, article.relations[0].to), (1, 0));
        assert!(article.notes.is_empty());
    }

    #[test]
    fn what_stet_cannot_hold_is_counted_not_dropped_silently() {
        let text = "a b c d";
        let ann = "T1\tX 0 1;4 5\ta c\nT2\tY 2 3\tb\nE1\tY:T2 Theme:T1\nN1\tReference T2 W:1\tb\n";
        let article = read(text, ann).unwrap();
        assert_eq!(article.spans.len(), 1);
        assert_eq!(
            article.notes,
            [
                "left out what stet cannot hold: 1 discontinuous span, 1 event, 1 normalisation \
              (the spans they join are kept)"
            ]
        );
    }

    #[test]
    fn fragments_cut_at_line_breaks_are_one_span() {
        let article = read("one two\nthree four", "T1\tX 4 7;8 13\ttwo three\n").unwrap();
        assert_eq!(covered(&article, 0), "two\nthree");
        assert!(article.notes.is_empty());
    }

    #[test]
    fn crlf_texts_map_offsets_onto_the_stored_lf_text() {
        let raw = "one\r\ntwo\r\nthree";
        let (text, map) = decode_with_map(raw.as_bytes()).unwrap();
        let article =
            read_standoff(&text, &map, "T1\tX 10 15\tthree\n", Path::new("d.ann")).unwrap();
        assert_eq!(covered(&article, 0), "three");
    }

    #[test]
    fn malformed_lines_name_the_file_and_line() {
        let text = "abc def";
        assert_eq!(
            read(text, "T1\tX 0 3\tabc\nT2\tY 4\n").unwrap_err(),
            "doc.ann:2: T2: offsets must be START END in characters, not \"4\""
        );
        assert_eq!(
            read(text, "T1\tX 0 30\tabc\n").unwrap_err(),
            "doc.ann:1: T1: span 0..30 runs past the end of the text (7 characters)"
        );
        assert_eq!(
            read(text, "T1\tX 0 3\tdef\n").unwrap_err(),
            "doc.ann:1: T1: the text at 0..3 is \"abc\", but the line says \"def\"; the .txt \
             beside it may not be the one annotated"
        );
        assert_eq!(
            read(text, "R1\tr Arg1:T1 Arg2:T9\n").unwrap_err(),
            "doc.ann:1: R1: T1 is no span of the file"
        );
    }
}
