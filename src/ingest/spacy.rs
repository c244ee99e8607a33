//! spaCy's `DocBin` (`.spacy`, what `DocBin.to_disk` and `stet export --format spacy` write):
//! each `Doc` becomes one article.
//!
//! - **Text.** `doc.text` as spaCy builds it: each token's text (`ORTH`, a string id resolved
//!   through the file's `strings` and spaCy's reserved symbols), then one space when the
//!   token's `SPACY` flag is set (for every token when the `Doc`'s flags say
//!   `has_unknown_spaces`, as spaCy does).
//! - **Span groups** (`doc.spans`): every group is read, under the keys the file gives it (they
//!   are kept in `meta.spacy_spans_keys`), and each of its spans becomes a span with its label,
//!   its token range converted to code points (it ends where its last token ends, without that
//!   token's trailing space). The same range with the same label in two groups is one span.
//! - **Entities** (`doc.ents`, from `ENT_IOB` and `ENT_TYPE` as spaCy reads them) are spans
//!   too, except an entity a group already holds: one with the same label and the same range,
//!   or the range a group span has once whitespace tokens at its edges are dropped. stet's
//!   writer makes `doc.ents` that way out of `doc.spans["sc"]`, so its files read back to the
//!   spans written; a `DocBin` with only entities (as spaCy users often make) gives them all,
//!   and one with both keeps both without doubles.
//! - Spans with no label or no tokens, and `doc.cats`, have no place in stet: they are left
//!   out and counted in the article's notes.
//! - **Title**: `user_data["title"]` (stet writes it), else the text's first line. A `Doc`
//!   with no visible text is left out and counted.
//!
//! The bytes are read as bytes, never decoded as text. A file that is not one (not zlib, not
//! msgpack, no `tokens`, a string id missing from `strings`, a span past its `Doc`'s end…) is
//! refused with one line naming the problem; nothing here panics on any input.

mod msgpack;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::ops::Range;
use std::path::Path;

use serde_json::Value as Json;

use super::{
    Article, ArticleSpan, IngestError, Problem, SourceFormat, first_line_title, make_title,
};
use crate::model::CharRange;
use crate::model::spacy_strings::{string_id, symbol};
use msgpack::Value;

/// spaCy's attribute ids (`spacy.attrs.IDS`).
const ORTH: u64 = 65;
const ENT_IOB: u64 = 77;
const ENT_TYPE: u64 = 78;
const SPACY: u64 = 81;

/// `SpanGroups._EMPTY_BYTES`: an empty msgpack array, for a `Doc` without span groups.
const NO_GROUPS: &[u8] = &[0x90];

/// How many times its own size a DocBin may unpack to (spaCy's files come to 3–10).
const MAX_INFLATION: u64 = 100;

/// Reads the `Doc`s of a `DocBin` file's bytes; `path` names the file in errors.
pub(super) fn read_docbin(bytes: &[u8], path: &Path) -> Result<Vec<Article>, IngestError> {
    let refuse = |why: String| IngestError::file(path, Problem::Record(why));
    if bytes.is_empty() {
        return Err(IngestError::file(path, Problem::Empty));
    }
    let mut message = Vec::new();
    // A DocBin compresses some 3 to 10 times; far more is a zlib bomb, not a corpus.
    let limit = (bytes.len() as u64)
        .saturating_mul(MAX_INFLATION)
        .max(1 << 20);
    flate2::read::ZlibDecoder::new(bytes)
        .take(limit + 1)
        .read_to_end(&mut message)
        .map_err(|err| refuse(format!("not a spaCy DocBin: not zlib-compressed ({err})")))?;
    if message.len() as u64 > limit {
        return Err(refuse(format!(
            "spaCy DocBin: it unpacks to more than {MAX_INFLATION} times its size, which no \
             corpus does; refused"
        )));
    }
    let root = msgpack::parse(&message)
        .map_err(|why| refuse(format!("not a spaCy DocBin: not msgpack inside ({why})")))?;
    let bin = DocBin::new(&root).map_err(|why| refuse(format!("spaCy DocBin: {why}")))?;
    if bin.docs.is_empty() {
        return Err(refuse("spaCy DocBin: it holds no documents".into()));
    }
    let mut articles = Vec::with_capacity(bin.docs.len());
    let mut blank = 0;
    for (i, rows) in bin.docs.iter().enumerate() {
        match bin.article(i, rows.clone()) {
            Ok(Some(article)) => articles.push(article),
            Ok(None) => blank += 1,
            Err(why) => return Err(refuse(format!("spaCy DocBin: document {}: {why}", i + 1))),
        }
    }
    let Some(first) = articles.first_mut() else {
        return Err(IngestError::file(path, Problem::Blank));
    };
    if blank > 0 {
        first.notes.push(format!(
            "left out {blank} {} with no text",
            plural(blank, "document")
        ));
    }
    Ok(articles)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.into()
    } else {
        format!("{word}s")
    }
}

/// The parts of a `DocBin` message, checked against each other.
struct DocBin<'a> {
    /// Attributes per token row, and the columns of the ones read.
    columns: usize,
    orth: usize,
    iob: Option<usize>,
    ent_type: Option<usize>,
    spacy: Option<usize>,
    /// The token rows: `columns` little-endian `uint64` each.
    tokens: &'a [u8],
    /// One trailing-space flag per token row, unless the rows hold `SPACY`.
    spaces: Option<&'a [u8]>,
    /// Each `Doc`'s token rows.
    docs: Vec<Range<usize>>,
    strings: HashMap<u64, &'a str>,
    span_groups: &'a [Value<'a>],
    user_data: &'a [Value<'a>],
    flags: &'a [Value<'a>],
    cats: &'a [Value<'a>],
}

impl<'a> DocBin<'a> {
    fn new(root: &'a Value<'a>) -> Result<Self, String> {
        let Value::Array(attrs) = root.get("attrs").ok_or("no `attrs`")? else {
            return Err("`attrs` is not a list".into());
        };
        let attrs: Vec<u64> = attrs
            .iter()
            .map(|a| {
                a.uint()
                    .ok_or("`attrs` holds something not an attribute id")
            })
            .collect::<Result<_, _>>()?;
        let column = |id: u64| attrs.iter().position(|&a| a == id);
        let orth = column(ORTH).ok_or("`attrs` has no ORTH, so the tokens have no text")?;
        let tokens = bytes_of(root, "tokens")?.ok_or("no `tokens`")?;
        let row = 8 * attrs.len();
        if !tokens.len().is_multiple_of(row) {
            return Err(format!(
                "`tokens` has {} bytes, not whole rows of {} 8-byte attributes",
                tokens.len(),
                attrs.len()
            ));
        }
        let rows = tokens.len() / row;
        let docs = doc_rows(bytes_of(root, "lengths")?.ok_or("no `lengths`")?, rows)?;
        let spacy = column(SPACY);
        let spaces = bytes_of(root, "spaces")?;
        match spaces {
            Some(spaces) if spaces.len() != rows => {
                return Err(format!(
                    "`spaces` has {} flags for {rows} tokens",
                    spaces.len()
                ));
            }
            None if spacy.is_none() => return Err("no `spaces`".into()),
            _ => {}
        }
        Ok(Self {
            columns: attrs.len(),
            orth,
            iob: column(ENT_IOB),
            ent_type: column(ENT_TYPE),
            spacy,
            tokens,
            spaces,
            strings: strings(root)?,
            span_groups: per_doc(root, "span_groups", docs.len())?,
            user_data: per_doc(root, "user_data", docs.len())?,
            flags: per_doc(root, "flags", docs.len())?,
            cats: per_doc(root, "cats", docs.len())?,
            docs,
        })
    }

    /// The attribute in `column` of token row `row` (rows are checked to be whole).
    fn cell(&self, row: usize, column: usize) -> u64 {
        let at = (row * self.columns + column) * 8;
        self.tokens
            .get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, u64::from_le_bytes)
    }

    fn has_space(&self, row: usize) -> bool {
        match (self.spaces, self.spacy) {
            (Some(spaces), _) => spaces.get(row).is_some_and(|&b| b != 0),
            (None, Some(column)) => self.cell(row, column) != 0,
            (None, None) => false,
        }
    }

    /// The string a string id stands for, as spaCy's `StringStore` gives it.
    fn resolve(&self, id: u64) -> Result<&'a str, String> {
        if let Some(&text) = self.strings.get(&id) {
            return Ok(text);
        }
        symbol(id).ok_or_else(|| format!("string id {id} is not in the file's `strings`"))
    }

    /// Document `i`'s article, or `None` when it has no visible text.
    fn article(&self, i: usize, rows: Range<usize>) -> Result<Option<Article>, String> {
        let unknown_spaces = self
            .flags
            .get(i)
            .and_then(|f| f.get("has_unknown_spaces"))
            .is_some_and(|v| *v == Value::Bool(true));
        let mut doc = Doc::default();
        for (t, row) in rows.clone().enumerate() {
            let orth = self
                .resolve(self.cell(row, self.orth))
                .map_err(|why| format!("token {}: {why}", t + 1))?;
            doc.push(orth, unknown_spaces || self.has_space(row));
        }
        if doc.text.trim().is_empty() {
            return Ok(None);
        }
        let mut found = Found::default();
        let keys = self.read_groups(i, &doc, &mut found)?;
        for (range, label) in self.entities(rows)? {
            found.add_entity(&doc, range, label);
        }
        let title = self
            .title(i)?
            .or_else(|| first_line_title(&doc.text))
            .unwrap_or_else(|| "Untitled".into());
        let mut article = Article::new(title, doc.text, SourceFormat::Spacy);
        if !keys.is_empty() {
            article
                .meta
                .insert("spacy_spans_keys".into(), Json::from(keys));
        }
        article.notes = found.notes(self.cats.get(i));
        article.spans = found.spans;
        Ok(Some(article))
    }

    /// Reads document `i`'s span groups into `found`; gives their keys.
    fn read_groups(&self, i: usize, doc: &Doc, found: &mut Found) -> Result<Vec<String>, String> {
        let Some(value) = self.span_groups.get(i) else {
            return Ok(Vec::new());
        };
        let bytes = value.bytes().ok_or("`span_groups`: not bytes")?;
        if bytes.is_empty() || bytes == NO_GROUPS {
            return Ok(Vec::new());
        }
        let groups = msgpack::parse(bytes).map_err(|why| format!("`span_groups`: {why}"))?;
        let mut keys = Vec::new();
        // An older spaCy wrote a list of groups (keyed by their names); 3.3 and later a map
        // from each group to the keys it is under.
        let listed: Vec<(&Value, Option<&Value>)> = match &groups {
            Value::Array(list) => list.iter().map(|g| (g, None)).collect(),
            Value::Map(entries) => entries.iter().map(|(g, k)| (g, Some(k))).collect(),
            _ => return Err("`span_groups` is neither a list nor a map".into()),
        };
        for (group, under) in listed {
            let group = SpanGroup::read(group)?;
            let named = match under {
                Some(Value::Array(names)) => names
                    .iter()
                    .map(|n| n.text().ok_or("a span group key is not text"))
                    .collect::<Result<Vec<_>, _>>()?,
                Some(_) => return Err("a span group's keys are not a list".into()),
                None => vec![group.name],
            };
            let key = named.first().copied().unwrap_or(group.name);
            for (n, span) in group.spans.iter().enumerate() {
                let (tokens, label) = packed_span(span, doc.bounds.len())
                    .map_err(|why| format!("span group {key:?}: span {}: {why}", n + 1))?;
                let label = self
                    .resolve(label)
                    .map_err(|why| format!("span group {key:?}: span {}: {why}", n + 1))?;
                found.add_group_span(doc, tokens, label);
            }
            keys.extend(named.iter().map(|k| (*k).to_owned()));
        }
        Ok(keys)
    }

    /// `doc.ents` of the token rows, as spaCy's `Doc.ents` reads `ENT_IOB`: B begins an
    /// entity (none when its `ENT_TYPE` is empty), I continues one (an I with none to
    /// continue is an error, as in spaCy), O and "" end it.
    fn entities(&self, rows: Range<usize>) -> Result<Vec<(Range<usize>, &'a str)>, String> {
        let Some(iob) = self.iob else {
            return Ok(Vec::new());
        };
        let mut ents = Vec::new();
        let mut open: Option<(usize, u64)> = None;
        let len = rows.len();
        for (t, row) in rows.enumerate() {
            let label = self.ent_type.map_or(0, |column| self.cell(row, column));
            match self.cell(row, iob) {
                1 if open.is_none() => {
                    return Err(format!(
                        "token {}: ENT_IOB is I (inside) where no entity began",
                        t + 1
                    ));
                }
                1 => {}
                0 | 2 => ents.extend(open.take().map(|(start, label)| (start..t, label))),
                3 => {
                    ents.extend(open.take().map(|(start, label)| (start..t, label)));
                    open = (label != 0).then_some((t, label));
                }
                other => {
                    return Err(format!(
                        "token {}: ENT_IOB {other} is none of 0-3 (\"\", I, O, B)",
                        t + 1
                    ));
                }
            }
        }
        ents.extend(open.map(|(start, label)| (start..len, label)));
        ents.into_iter()
            .map(|(range, label)| {
                let label = self
                    .resolve(label)
                    .map_err(|why| format!("entity at token {}: {why}", range.start + 1))?;
                Ok((range, label))
            })
            .collect()
    }

    /// `user_data["title"]`, made one line, when the document has one.
    fn title(&self, i: usize) -> Result<Option<String>, String> {
        let Some(bytes) = self.user_data.get(i).and_then(Value::bytes) else {
            return Ok(None);
        };
        let data = msgpack::parse(bytes).map_err(|why| format!("`user_data`: {why}"))?;
        Ok(data
            .get("title")
            .and_then(Value::text)
            .map(make_title)
            .filter(|t| !t.is_empty()))
    }
}

/// The bytes under `key`, if there is such a key; an error if it holds something else.
fn bytes_of<'a>(root: &'a Value<'a>, key: &str) -> Result<Option<&'a [u8]>, String> {
    root.get(key)
        .map(|v| v.bytes().ok_or_else(|| format!("`{key}` is not bytes")))
        .transpose()
}

/// Each `Doc`'s token rows, from `lengths` (little-endian `int32`s adding up to `rows`).
fn doc_rows(lengths: &[u8], rows: usize) -> Result<Vec<Range<usize>>, String> {
    if !lengths.len().is_multiple_of(4) {
        return Err(format!(
            "`lengths` has {} bytes, not whole 4-byte lengths",
            lengths.len()
        ));
    }
    let mut docs = Vec::with_capacity(lengths.len() / 4);
    let mut at = 0usize;
    for chunk in lengths.chunks_exact(4) {
        let mut le = [0u8; 4];
        le.copy_from_slice(chunk);
        let len = usize::try_from(i32::from_le_bytes(le))
            .map_err(|_| format!("document {}: a negative length", docs.len() + 1))?;
        let end = at.saturating_add(len);
        docs.push(at..end);
        at = end;
    }
    if at != rows {
        return Err(format!(
            "`lengths` add up to {at} tokens, `tokens` has {rows}"
        ));
    }
    Ok(docs)
}

/// The file's strings by their spaCy ids.
fn strings<'a>(root: &'a Value<'a>) -> Result<HashMap<u64, &'a str>, String> {
    let Value::Array(list) = root.get("strings").ok_or("no `strings`")? else {
        return Err("`strings` is not a list".into());
    };
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            let text = s
                .text()
                .ok_or_else(|| format!("`strings` item {} is not UTF-8 text", i + 1))?;
            Ok((string_id(text), text))
        })
        .collect()
}

/// A list with an entry per `Doc` (none when the key is absent).
fn per_doc<'a>(root: &'a Value<'a>, key: &str, docs: usize) -> Result<&'a [Value<'a>], String> {
    match root.get(key) {
        None => Ok(&[]),
        Some(Value::Array(list)) if list.len() == docs => Ok(list),
        Some(Value::Array(list)) => Err(format!(
            "`{key}` has {} entries for {docs} documents",
            list.len()
        )),
        Some(_) => Err(format!("`{key}` is not a list")),
    }
}

/// One span group: `{"name", "attrs", "spans"}`, each span packed as `>QQQllll`.
struct SpanGroup<'a> {
    name: &'a str,
    spans: Vec<&'a [u8]>,
}

impl<'a> SpanGroup<'a> {
    fn read(value: &Value<'a>) -> Result<Self, String> {
        let bytes = value.bytes().ok_or("a span group is not bytes")?;
        let group = msgpack::parse(bytes).map_err(|why| format!("a span group: {why}"))?;
        let name = group
            .get("name")
            .and_then(Value::text)
            .ok_or("a span group has no name")?;
        let Some(Value::Array(spans)) = group.get("spans") else {
            return Err(format!("span group {name:?} has no list of spans"));
        };
        let spans = spans
            .iter()
            .map(|s| {
                s.bytes()
                    .ok_or_else(|| format!("span group {name:?}: a span is not bytes"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { name, spans })
    }
}

/// A packed span's token range (checked against the `Doc`'s `tokens`) and label id.
fn packed_span(packed: &[u8], tokens: usize) -> Result<(Range<usize>, u64), String> {
    let field = |at: usize, width: usize| packed.get(at..at + width);
    let (Some(label), Some(start), Some(end)) = (field(16, 8), field(24, 4), field(28, 4)) else {
        return Err(format!("{} bytes, not spaCy's 40 (>QQQllll)", packed.len()));
    };
    let be_i32 = |b: &[u8]| <[u8; 4]>::try_from(b).map_or(0, i32::from_be_bytes);
    let label = <[u8; 8]>::try_from(label).map_or(0, u64::from_be_bytes);
    let (start, end) = (be_i32(start), be_i32(end));
    match (usize::try_from(start), usize::try_from(end)) {
        (Ok(s), Ok(e)) if s <= e && e <= tokens => Ok((s..e, label)),
        _ => Err(format!(
            "tokens {start}..{end} are past the end of the document's {tokens} tokens"
        )),
    }
}

/// A `Doc`'s text as spaCy builds it, and each token's code-point range in it.
#[derive(Default)]
struct Doc {
    text: String,
    bounds: Vec<CharRange>,
    /// Whether each token is only whitespace.
    blank: Vec<bool>,
    chars: usize,
}

impl Doc {
    fn push(&mut self, orth: &str, space: bool) {
        let start = self.chars;
        self.chars += orth.chars().count();
        self.text.push_str(orth);
        self.bounds.push(CharRange::new(start, self.chars));
        self.blank.push(orth.chars().all(char::is_whitespace));
        if space {
            self.text.push(' ');
            self.chars += 1;
        }
    }

    /// The code points a non-empty token range covers.
    fn chars_of(&self, tokens: &Range<usize>) -> Option<CharRange> {
        let first = self.bounds.get(tokens.start)?;
        let last = self.bounds.get(tokens.end.checked_sub(1)?)?;
        (tokens.start < tokens.end).then(|| CharRange::new(first.start, last.end))
    }

    /// `tokens` without the whitespace tokens at its edges.
    fn trimmed(&self, tokens: &Range<usize>) -> Range<usize> {
        let blank = |t: usize| self.blank.get(t).copied().unwrap_or(false);
        let mut r = tokens.clone();
        while r.start < r.end && blank(r.start) {
            r.start += 1;
        }
        while r.end > r.start && blank(r.end - 1) {
            r.end -= 1;
        }
        r
    }
}

/// The spans found in a `Doc` so far, and what was left out.
#[derive(Default)]
struct Found {
    spans: Vec<ArticleSpan>,
    seen: HashSet<(CharRange, String)>,
    /// Group spans' ranges without edge whitespace, with their labels: the entities stet's
    /// writer would have made of them.
    as_entities: HashSet<(CharRange, String)>,
    unlabelled: usize,
    empty: usize,
}

impl Found {
    fn add_group_span(&mut self, doc: &Doc, tokens: Range<usize>, label: &str) {
        if label.is_empty() {
            self.unlabelled += 1;
            return;
        }
        let Some(range) = doc.chars_of(&tokens) else {
            self.empty += 1;
            return;
        };
        if let Some(trimmed) = doc.chars_of(&doc.trimmed(&tokens)) {
            self.as_entities.insert((trimmed, label.to_owned()));
        }
        self.add(range, label);
    }

    fn add_entity(&mut self, doc: &Doc, tokens: Range<usize>, label: &str) {
        let Some(range) = doc.chars_of(&tokens) else {
            return;
        };
        if !self.as_entities.contains(&(range, label.to_owned())) {
            self.add(range, label);
        }
    }

    fn add(&mut self, range: CharRange, label: &str) {
        if !self.seen.insert((range, label.to_owned())) {
            return;
        }
        self.spans.push(ArticleSpan::new(range, label.to_owned()));
    }

    /// What was left out, one line each; `cats` is the `Doc`'s `doc.cats`.
    fn notes(&self, cats: Option<&Value>) -> Vec<String> {
        let mut notes = Vec::new();
        if self.unlabelled > 0 {
            notes.push(format!(
                "left out {} {} with no label",
                self.unlabelled,
                plural(self.unlabelled, "span")
            ));
        }
        if self.empty > 0 {
            notes.push(format!(
                "left out {} {} covering no token",
                self.empty,
                plural(self.empty, "span")
            ));
        }
        if let Some(Value::Map(cats)) = cats
            && !cats.is_empty()
        {
            notes.push(format!(
                "left out doc.cats ({} {}): stet has no labels for a whole document",
                cats.len(),
                if cats.len() == 1 {
                    "category"
                } else {
                    "categories"
                }
            ));
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmp::encode::{
        write_array_len, write_bin, write_bool, write_map_len, write_str, write_uint,
    };
    use std::io::Write;

    const PERSON: u64 = 380;

    /// A hand-made `DocBin` with attrs `[ORTH, ENT_IOB, ENT_TYPE]`, as spaCy lays it out.
    #[derive(Default)]
    struct Made {
        rows: Vec<[u64; 3]>,
        spaces: Vec<u8>,
        lengths: Vec<u8>,
        strings: Vec<String>,
        groups: Vec<Vec<u8>>,
        user_data: Vec<Vec<u8>>,
        /// Keys left out of the message.
        without: Vec<&'static str>,
    }

    /// A token: text, trailing space, `ENT_IOB`, entity label (a string, or a symbol id).
    type Token = (&'static str, bool, u64, &'static str);

    impl Made {
        fn doc(mut self, tokens: &[Token], groups: Vec<u8>, title: Option<&str>) -> Self {
            for &(text, space, iob, label) in tokens {
                let label = if label == "PERSON" {
                    PERSON
                } else {
                    self.string(label)
                };
                let orth = self.string(text);
                self.rows.push([orth, iob, label]);
                self.spaces.push(u8::from(space));
            }
            let len = i32::try_from(tokens.len()).unwrap();
            self.lengths.extend_from_slice(&len.to_le_bytes());
            self.groups.push(groups);
            let mut user = Vec::new();
            match title {
                Some(title) => {
                    write_map_len(&mut user, 1).unwrap();
                    write_str(&mut user, "title").unwrap();
                    write_str(&mut user, title).unwrap();
                }
                None => {
                    write_map_len(&mut user, 0).unwrap();
                }
            }
            self.user_data.push(user);
            self
        }

        fn string(&mut self, text: &str) -> u64 {
            if !text.is_empty() && !self.strings.iter().any(|s| s == text) {
                self.strings.push(text.into());
            }
            string_id(text)
        }

        fn message(&self) -> Vec<u8> {
            let mut tokens = Vec::new();
            for row in &self.rows {
                for value in row {
                    tokens.extend_from_slice(&value.to_le_bytes());
                }
            }
            let mut fields: Vec<(&str, Vec<u8>)> = vec![
                ("version", encoded(|w| write_str(w, "0.1").unwrap())),
                (
                    "attrs",
                    encoded(|w| {
                        write_array_len(w, 3).unwrap();
                        for attr in [ORTH, ENT_IOB, ENT_TYPE] {
                            write_uint(w, attr).unwrap();
                        }
                    }),
                ),
                ("tokens", encoded(|w| write_bin(w, &tokens).unwrap())),
                ("spaces", encoded(|w| write_bin(w, &self.spaces).unwrap())),
                ("lengths", encoded(|w| write_bin(w, &self.lengths).unwrap())),
                (
                    "strings",
                    encoded(|w| {
                        write_array_len(w, self.strings.len() as u32).unwrap();
                        for s in &self.strings {
                            write_str(w, s).unwrap();
                        }
                    }),
                ),
                ("span_groups", bins(&self.groups)),
                ("user_data", bins(&self.user_data)),
            ];
            fields.retain(|(key, _)| !self.without.contains(key));
            let mut message = Vec::new();
            write_map_len(&mut message, fields.len() as u32).unwrap();
            for (key, value) in fields {
                write_str(&mut message, key).unwrap();
                message.extend(value);
            }
            message
        }

        fn bytes(&self) -> Vec<u8> {
            zlib(&self.message())
        }
    }

    fn encoded(write: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out);
        out
    }

    fn bins(list: &[Vec<u8>]) -> Vec<u8> {
        encoded(|w| {
            write_array_len(w, list.len() as u32).unwrap();
            for bytes in list {
                write_bin(w, bytes).unwrap();
            }
        })
    }

    fn zlib(bytes: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(bytes).unwrap();
        z.finish().unwrap()
    }

    /// One span group's bytes, each span `(label id, start token, end token)`.
    fn group(name: &str, spans: &[(u64, i32, i32)]) -> Vec<u8> {
        encoded(|w| {
            write_map_len(w, 3).unwrap();
            write_str(w, "name").unwrap();
            write_str(w, name).unwrap();
            write_str(w, "attrs").unwrap();
            write_map_len(w, 0).unwrap();
            write_str(w, "spans").unwrap();
            write_array_len(w, spans.len() as u32).unwrap();
            for &(label, start, end) in spans {
                let mut packed = vec![0u8; 16];
                packed.extend_from_slice(&label.to_be_bytes());
                for v in [start, end, 0, 0] {
                    packed.extend_from_slice(&v.to_be_bytes());
                }
                write_bin(w, &packed).unwrap();
            }
        })
    }

    /// `SpanGroups` bytes as spaCy 3.3+ writes them: `{group bytes: [keys]}`.
    fn groups(list: &[(Vec<u8>, &[&str])]) -> Vec<u8> {
        encoded(|w| {
            write_map_len(w, list.len() as u32).unwrap();
            for (group, keys) in list {
                write_bin(w, group).unwrap();
                write_array_len(w, keys.len() as u32).unwrap();
                for key in *keys {
                    write_str(w, key).unwrap();
                }
            }
        })
    }

    fn read(bytes: &[u8]) -> Result<Vec<Article>, IngestError> {
        read_docbin(bytes, Path::new("data.spacy"))
    }

    fn spans(article: &Article) -> Vec<(usize, usize, &str, String)> {
        let mut all: Vec<_> = article
            .spans
            .iter()
            .map(|s| {
                let text = article.covered(s.range);
                (s.range.start, s.range.end, s.label.as_str(), text)
            })
            .collect();
        all.sort();
        all
    }

    /// "Peskov said “no” 🚢 in Moscow.": Peskov a PERSON (a symbol), Moscow a GPE.
    fn peskov() -> Vec<Token> {
        vec![
            ("Peskov", true, 3, "PERSON"),
            ("said", true, 2, ""),
            ("“", false, 2, ""),
            ("no", false, 2, ""),
            ("”", true, 2, ""),
            ("🚢", true, 2, ""),
            ("in", true, 2, ""),
            ("Moscow", false, 3, "GPE"),
            (".", false, 2, ""),
        ]
    }

    #[test]
    fn the_text_is_the_tokens_and_their_spaces_and_entities_are_spans() {
        let made = Made::default().doc(&peskov(), NO_GROUPS.to_vec(), None);
        let articles = read(&made.bytes()).unwrap();
        let [article] = &articles[..] else {
            panic!("{articles:?}")
        };
        assert_eq!(article.text, "Peskov said “no” 🚢 in Moscow.");
        assert_eq!(article.title, "Peskov said “no” 🚢 in Moscow.");
        assert_eq!(article.format, SourceFormat::Spacy);
        // Code points: the ship is one.
        assert_eq!(
            spans(article),
            [
                (0, 6, "PERSON", "Peskov".into()),
                (22, 28, "GPE", "Moscow".into())
            ]
        );
        assert!(article.notes.is_empty());
        assert!(!article.meta.contains_key("spacy_spans_keys"));
    }

    #[test]
    fn every_group_is_read_and_entities_a_group_holds_are_not_doubled() {
        // "Kyiv  denied it.": "Kyiv" with a trailing space, then a whitespace token.
        let tokens: Vec<Token> = vec![
            ("Kyiv", true, 3, "source"),
            (" ", false, 2, ""),
            ("denied", true, 3, "PERSON"),
            ("it", false, 1, "PERSON"),
            (".", false, 2, ""),
        ];
        let source = string_id("source");
        let claim = string_id("claim");
        let sc = group(
            "sc",
            &[
                (source, 0, 2), // "Kyiv  ": its entity is "Kyiv".
                (claim, 2, 5),  // "denied it."
                (0, 0, 1),      // No label.
                (claim, 3, 3),  // No tokens.
            ],
        );
        let ruler = group("ruler", &[(claim, 2, 5), (source, 4, 5)]);
        let made = Made::default()
            .doc(
                &tokens,
                groups(&[(sc, &["sc"]), (ruler, &["ruler", "copy"])]),
                Some("Kyiv\ndenies"),
            )
            .doc(&[("Hi", false, 2, "")], NO_GROUPS.to_vec(), None);
        let mut made = made;
        made.string("claim");
        let articles = read(&made.bytes()).unwrap();
        let article = &articles[0];
        assert_eq!(article.text, "Kyiv  denied it.");
        assert_eq!(article.title, "Kyiv denies");
        assert_eq!(
            spans(article),
            [
                (0, 6, "source", "Kyiv  ".into()),
                (6, 15, "PERSON", "denied it".into()),
                (6, 16, "claim", "denied it.".into()),
                (15, 16, "source", ".".into()),
            ]
        );
        assert_eq!(
            article.meta["spacy_spans_keys"],
            serde_json::json!(["sc", "ruler", "copy"])
        );
        assert_eq!(
            article.notes,
            [
                "left out 1 span with no label",
                "left out 1 span covering no token"
            ]
        );
        assert_eq!(articles[1].text, "Hi");
    }

    #[test]
    fn an_older_spacys_list_of_groups_is_keyed_by_their_names() {
        let label = string_id("claim");
        let list = encoded(|w| {
            write_array_len(w, 1).unwrap();
            write_bin(w, &group("claims", &[(label, 0, 1)])).unwrap();
        });
        let mut made = Made::default().doc(&[("Yes", false, 0, "")], list, None);
        made.string("claim");
        let article = &read(&made.bytes()).unwrap()[0];
        assert_eq!(spans(article), [(0, 3, "claim", "Yes".into())]);
        assert_eq!(
            article.meta["spacy_spans_keys"],
            serde_json::json!(["claims"])
        );
    }

    #[test]
    fn unknown_spaces_are_spaces_after_every_token_as_spacy_reads_them() {
        let made = Made::default().doc(&[("a", false, 2, ""), ("b", false, 2, "")], vec![], None);
        let mut message = made.message();
        // Append "flags": [{"has_unknown_spaces": true}] to the map of 8 entries.
        assert_eq!(message[0], 0x88);
        message[0] = 0x89;
        write_str(&mut message, "flags").unwrap();
        write_array_len(&mut message, 1).unwrap();
        write_map_len(&mut message, 1).unwrap();
        write_str(&mut message, "has_unknown_spaces").unwrap();
        write_bool(&mut message, true).unwrap();
        assert_eq!(read(&zlib(&message)).unwrap()[0].text, "a b ");
    }

    #[test]
    fn malformed_files_are_refused_in_one_line_naming_the_problem() {
        let good = || Made::default().doc(&peskov(), NO_GROUPS.to_vec(), None);
        let mut no_tokens = good();
        no_tokens.without.push("tokens");
        let mut lost_string = good();
        lost_string.strings.retain(|s| s != "Moscow");
        let past_end = Made::default().doc(
            &[("Yes", false, 0, "")],
            groups(&[(group("sc", &[(PERSON, 0, 2)]), &["sc"])]),
            None,
        );
        let inside =
            Made::default().doc(&[("a", true, 2, ""), ("b", false, 1, "GPE")], vec![], None);
        let mut lengths = good();
        lengths.lengths = 3i32.to_le_bytes().to_vec();
        let cases: Vec<(Vec<u8>, String)> = vec![
            (Vec::new(), "the file is empty".into()),
            (b"Peskov said".to_vec(), "not zlib-compressed".into()),
            (zlib(b"\xc1"), "not msgpack inside".into()),
            (zlib(b"\x93\x01"), "not msgpack inside".into()),
            (zlib(b"\x80"), "no `attrs`".into()),
            // 8 MB of zeros packs into a few kB: a bomb, refused before it is parsed.
            (
                zlib(&vec![0u8; 8 << 20]),
                "unpacks to more than 100 times".into(),
            ),
            (no_tokens.bytes(), "no `tokens`".into()),
            (
                lost_string.bytes(),
                format!(
                    "document 1: token 8: string id {} is not in",
                    string_id("Moscow")
                ),
            ),
            (
                past_end.bytes(),
                "span 1: tokens 0..2 are past the end".into(),
            ),
            (
                inside.bytes(),
                "token 2: ENT_IOB is I (inside) where no entity began".into(),
            ),
            (
                lengths.bytes(),
                "`lengths` add up to 3 tokens, `tokens` has 9".into(),
            ),
        ];
        for (bytes, problem) in cases {
            let err = read(&bytes).unwrap_err().to_string();
            assert!(err.starts_with("data.spacy: "), "{err}");
            assert!(err.contains(&problem), "{err} (wanted {problem:?})");
            assert!(!err.contains('\n'), "{err}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Any change to a good message's bytes is read or refused, never a panic.
        #[test]
        fn damaged_docbins_never_panic(
            flips in proptest::collection::vec((0usize..4096, 0u8..=255), 1..6),
            cut in 0usize..4096,
        ) {
            let label = string_id("claim");
            let mut made = Made::default().doc(
                &peskov(),
                groups(&[(group("sc", &[(label, 0, 2)]), &["sc"])]),
                Some("A title"),
            );
            made.string("claim");
            let mut message = made.message();
            for (at, byte) in flips {
                let len = message.len();
                message[at % len] = byte;
            }
            message.truncate(message.len() - cut % message.len() / 8);
            let _ = read(&zlib(&message));
            let _ = read(&message);
        }
    }
}
