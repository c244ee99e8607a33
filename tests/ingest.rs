//! Reading article files end to end: finding them, refusing what is not text, and never
//! panicking on any bytes.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use stet::ingest::{
    Article, FileKind, KNOWN_EXTENSIONS, Problem, SourceFormat, collect_paths, decode_owned,
    decode_text, read_bytes, read_file,
};
use stet::model::char_len;

const NEWSWIRE: &[u8] = include_bytes!("fixtures/ingest/newswire.txt");
const ARTICLE_HTML: &[u8] = include_bytes!("fixtures/ingest/article.html");
const NITF: &[u8] = include_bytes!("fixtures/ingest/nitf.xml");
const RSS: &[u8] = include_bytes!("fixtures/ingest/rss.xml");
const RECORDS: &[u8] = include_bytes!("fixtures/ingest/records.jsonl");

/// Every fixture with the reader it belongs to.
const FIXTURES: &[(&[u8], FileKind)] = &[
    (NEWSWIRE, FileKind::Text),
    (ARTICLE_HTML, FileKind::Html),
    (NITF, FileKind::Xml),
    (RSS, FileKind::Xml),
    (RECORDS, FileKind::Jsonl),
];

const KINDS: [FileKind; 4] = [
    FileKind::Text,
    FileKind::Html,
    FileKind::Xml,
    FileKind::Jsonl,
];

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, bytes).unwrap();
}

/// Paths relative to `root`, with `/` separators, for readable assertions.
fn relative(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Vec<String> {
    paths
        .into_iter()
        .map(|p| {
            p.strip_prefix(root)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

/// A folder tree with readable, unknown and hidden files, nested two deep.
fn article_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("b.txt"), b"Second\n");
    write(&root.join("a.md"), b"# First\n");
    write(&root.join("notes.docx"), b"not read");
    write(&root.join(".hidden.txt"), b"hidden");
    write(&root.join(".git/HEAD.txt"), b"hidden folder");
    write(&root.join("sub/c.html"), b"<p>C</p>");
    write(&root.join("sub/d.XML"), b"<d>D</d>");
    write(&root.join("sub/photo.png"), b"\x89PNG\r\n\x1a\n");
    write(&root.join("sub/deeper/e.jsonl"), b"{\"text\": \"E\"}\n");
    write(&root.join("z.text"), b"Last\n");
    dir
}

#[test]
fn folders_are_walked_in_path_order_skipping_hidden_and_unknown_files() {
    let dir = article_tree();
    let root = dir.path();
    let collected = collect_paths(&[root.to_owned()]);
    assert!(collected.errors.is_empty(), "{:?}", collected.errors);
    let files = relative(root, collected.files.iter().map(|(p, _)| p.clone()));
    assert_eq!(
        files,
        [
            "a.md",
            "b.txt",
            "sub/c.html",
            "sub/d.XML",
            "sub/deeper/e.jsonl",
            "z.text"
        ]
    );
    let kinds: Vec<FileKind> = collected.files.iter().map(|(_, k)| *k).collect();
    assert_eq!(
        kinds,
        [
            FileKind::Text,
            FileKind::Text,
            FileKind::Html,
            FileKind::Xml,
            FileKind::Jsonl,
            FileKind::Text
        ]
    );
    let skipped = relative(root, collected.skipped.iter().map(|(p, _)| p.clone()));
    assert_eq!(skipped, ["notes.docx", "sub/photo.png"]);
    for (_, reason) in &collected.skipped {
        assert_eq!(
            reason,
            &format!("not an article type stet reads ({KNOWN_EXTENSIONS})")
        );
    }
    // The same tree gives the same order again.
    let again = collect_paths(&[root.to_owned()]);
    assert_eq!(again.files, collected.files);
}

#[test]
fn named_files_keep_their_order_and_appear_once() {
    let dir = article_tree();
    let root = dir.path();
    let inputs = [
        root.join("z.text"),
        root.join("a.md"),
        root.join("sub"),
        root.join("a.md"),
        root.join("sub/../z.text"),
        root.join(".hidden.txt"),
    ];
    let collected = collect_paths(&inputs);
    let files = relative(root, collected.files.iter().map(|(p, _)| p.clone()));
    // A hidden file named on purpose is read.
    assert_eq!(
        files,
        [
            "z.text",
            "a.md",
            "sub/c.html",
            "sub/d.XML",
            "sub/deeper/e.jsonl",
            ".hidden.txt"
        ]
    );
}

#[test]
fn missing_paths_are_errors_and_the_rest_is_still_collected() {
    let dir = article_tree();
    let missing = dir.path().join("nowhere.txt");
    let collected = collect_paths(&[missing.clone(), dir.path().join("b.txt")]);
    assert_eq!(collected.files.len(), 1);
    assert_eq!(collected.errors.len(), 1);
    assert!(matches!(collected.errors[0].problem, Problem::Missing));
    assert_eq!(
        collected.errors[0].to_string(),
        format!("{}: no such file or folder", missing.display())
    );
    let err = read_file(&missing, FileKind::Text).unwrap_err();
    assert!(matches!(err.problem, Problem::Missing));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed_forever() {
    let dir = article_tree();
    let root = dir.path();
    std::os::unix::fs::symlink(root, root.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("gone"), root.join("sub/broken.txt")).unwrap();
    let collected = collect_paths(&[root.to_owned()]);
    assert_eq!(collected.files.len(), 6);
    assert!(collected.errors.is_empty());
    let skipped = relative(root, collected.skipped.iter().map(|(p, _)| p.clone()));
    assert_eq!(skipped, ["notes.docx", "sub/broken.txt", "sub/photo.png"]);
}

#[test]
fn an_image_renamed_to_txt_is_refused_as_binary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.txt");
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00".to_vec();
    png.extend((0..=255u8).cycle().take(2048));
    write(&path, &png);
    let err = read_file(&path, FileKind::Text).unwrap_err();
    assert!(matches!(err.problem, Problem::Binary(_)));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: looks like a binary file, not text (a PNG image)",
            path.display()
        )
    );
}

#[test]
fn empty_and_blank_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for kind in KINDS {
        let empty = dir.path().join("empty.txt");
        write(&empty, b"");
        let err = read_file(&empty, kind).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: the file is empty", empty.display())
        );
        let blank = dir.path().join("blank.txt");
        write(&blank, b" \r\n\t\n");
        let err = read_file(&blank, kind).unwrap_err();
        assert!(matches!(err.problem, Problem::Blank));
    }
}

#[test]
fn every_fixture_reads_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "newswire.txt",
        "article.html",
        "nitf.xml",
        "rss.xml",
        "records.jsonl",
    ];
    for ((bytes, kind), name) in FIXTURES.iter().zip(names) {
        let path = dir.path().join(name);
        write(&path, bytes);
        assert_eq!(FileKind::of(&path), Some(*kind));
        let articles = read_file(&path, *kind).unwrap();
        for article in &articles {
            check_article(article);
        }
    }
    let newswire = &read_file(&dir.path().join("newswire.txt"), FileKind::Text).unwrap()[0];
    assert_eq!(newswire.format, SourceFormat::Newswire);
    assert_eq!(newswire.meta["news_code_ascii"], "1165381");
}

#[test]
fn newswire_reads_the_same_from_crlf_and_utf16_copies() {
    let path = Path::new("biden.txt");
    let original = read_bytes(NEWSWIRE, FileKind::Text, path).unwrap();
    let source = std::str::from_utf8(NEWSWIRE).unwrap();
    let crlf = source.replace('\n', "\r\n");
    assert_eq!(
        read_bytes(crlf.as_bytes(), FileKind::Text, path).unwrap(),
        original
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(source.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(read_bytes(&utf16, FileKind::Text, path).unwrap(), original);
    let article = &original[0];
    assert!(article.text.ends_with("short order.\u{201D}"));
    assert!(article.text.contains('\u{A0}'));
}

#[test]
fn a_windows_1252_file_reads_with_its_curly_quotes_and_accents() {
    let bytes = b"Caf\xE9 owners \x93welcome\x94 the talks\r\n\r\nThe minister\x92s \
        r\xE9sum\xE9 was na\xEFve \x96 critics said so.\r\n";
    let article = &read_bytes(bytes, FileKind::Text, Path::new("legacy.txt")).unwrap()[0];
    assert_eq!(article.format, SourceFormat::Text);
    assert_eq!(
        article.title,
        "Caf\u{E9} owners \u{201C}welcome\u{201D} the talks"
    );
    assert_eq!(
        article.text,
        "Caf\u{E9} owners \u{201C}welcome\u{201D} the talks\n\nThe minister\u{2019}s \
         r\u{E9}sum\u{E9} was na\u{EF}ve \u{2013} critics said so.\n"
    );
}

/// What every article a reader returns must satisfy.
fn check_article(article: &Article) {
    assert!(!article.title.trim().is_empty(), "empty title");
    assert!(!article.title.contains('\n'), "title has a newline");
    assert!(article.title.chars().count() <= 200, "title too long");
    assert!(!article.text.trim().is_empty(), "empty text");
    let len = char_len(&article.text);
    for span in &article.spans {
        assert!(span.range.start < span.range.end, "empty span");
        assert!(span.range.end <= len, "span past the end");
        assert!(!span.label.is_empty(), "empty label");
    }
}

/// A small change to a file's bytes.
#[derive(Clone, Debug)]
enum Mutation {
    Replace(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<usize>(), 1usize..64).prop_map(|(at, n)| Mutation::Delete(at, n)),
        // Markup-significant bytes, so that mutations break structure, not just letters.
        (
            any::<usize>(),
            prop::sample::select(vec![b'<', b'>', b'&', b'"', b'{', b'}', b'\n', b'/', b'\r'])
        )
            .prop_map(|(at, b)| Mutation::Insert(at, vec![b])),
    ]
}

fn apply(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for m in mutations {
        let len = out.len().max(1);
        match m {
            Mutation::Replace(at, b) => {
                let at = at % len;
                if at < out.len() {
                    out[at] = *b;
                }
            }
            Mutation::Insert(at, new) => {
                let at = at % (out.len() + 1);
                out.splice(at..at, new.iter().copied());
            }
            Mutation::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(out.len());
                if at < end {
                    out.drain(at..end);
                }
            }
        }
    }
    out
}

fn check_bytes(bytes: &[u8]) {
    for kind in KINDS {
        if let Ok(articles) = read_bytes(bytes, kind, Path::new("fuzz.txt")) {
            assert!(!articles.is_empty());
            for article in &articles {
                check_article(article);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_bytes(&bytes);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,400}") {
        check_bytes(text.as_bytes());
    }

    #[test]
    fn decoding_owned_bytes_agrees_with_decoding_borrowed_ones(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        text in "[a-z “”€\r\n\u{85}\u{1}]{0,80}",
    ) {
        for input in [bytes.clone(), text.clone().into_bytes()] {
            let owned = decode_owned(input.clone()).map_err(|e| e.to_string());
            let borrowed = decode_text(&input).map_err(|e| e.to_string());
            prop_assert_eq!(owned, borrowed);
        }
    }

    #[test]
    fn jsonl_spans_at_random_offsets_are_checked_or_refused(
        text in "\\PC{0,60}",
        spans in prop::collection::vec((0usize..80, 0usize..80, "[A-Z]{0,3}"), 0..6),
        doccano in any::<bool>(),
    ) {
        let record = if doccano {
            let label: Vec<_> =
                spans.iter().map(|(s, e, l)| serde_json::json!([s, e, l])).collect();
            serde_json::json!({"text": text, "label": label})
        } else {
            let list: Vec<_> = spans
                .iter()
                .map(|(s, e, l)| serde_json::json!({"start": s, "end": e, "label": l}))
                .collect();
            serde_json::json!({"text": text, "spans": list})
        };
        let line = record.to_string();
        let valid = !text.trim().is_empty()
            && spans
                .iter()
                .all(|(s, e, l)| s < e && *e <= text.chars().count() && !l.is_empty());
        let read = read_bytes(line.as_bytes(), FileKind::Jsonl, Path::new("r.jsonl"));
        match read {
            Ok(articles) => {
                prop_assert!(valid);
                prop_assert_eq!(&articles[0].text, &text);
                check_article(&articles[0]);
            }
            Err(err) => {
                prop_assert!(!valid || text.chars().any(char::is_control), "{}", err);
                prop_assert!(!err.to_string().contains('\n'));
            }
        }
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0..FIXTURES.len(),
        mutations in prop::collection::vec(mutation(), 1..12),
    ) {
        let (bytes, _) = FIXTURES[which];
        check_bytes(&apply(bytes, &mutations));
    }
}

#[test]
fn a_slow_file_never_holds_the_project_locked_for_other_writers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.stet");
    drop(stet::store::Project::create(&path, &stet::model::LabelScheme::newsroom()).unwrap());
    // A quick file, then one that takes long to read (a big JSONL).
    let quick = dir.path().join("a-quick.txt");
    std::fs::write(&quick, "Quick\n\nA short article.\n").unwrap();
    let slow = dir.path().join("b-slow.jsonl");
    let mut lines = String::new();
    for i in 0..150_000 {
        lines.push_str(&format!(
            "{{\"text\": \"Record {i}: officials said about {i} people were moved.\", \"spans\": []}}\n"
        ));
    }
    std::fs::write(&slow, lines).unwrap();
    let (first_in, first_in_seen) = std::sync::mpsc::channel();
    let big = std::thread::spawn({
        let path = path.clone();
        move || {
            let mut project =
                stet::store::Project::open(&path, stet::store::Access::ReadWrite).unwrap();
            let mut progress = |done: usize, _total: usize| {
                if done == 1 {
                    let _ = first_in.send(());
                }
            };
            stet::workflows::import_paths(&mut project, &[quick, slow], "ana", &mut progress)
                .unwrap();
            std::time::Instant::now()
        }
    });
    // The quick file is in and the big one is being read: another writer (a second
    // import, the window) gets the lock at once.
    first_in_seen.recv().unwrap();
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "Other\n\nWritten while the big file was read.\n").unwrap();
    let mut project = stet::store::Project::open(&path, stet::store::Access::ReadWrite).unwrap();
    let report =
        stet::workflows::import_paths(&mut project, &[other], "ben", &mut |_, _| {}).unwrap();
    let other_done = std::time::Instant::now();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.added.len(), 1);
    let big_done = big.join().unwrap();
    assert!(
        other_done < big_done,
        "the second writer waited for the whole slow import"
    );
    assert_eq!(project.documents().unwrap().len(), 150_002);
}
