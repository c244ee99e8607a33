//! What a `.txt` really holds. Datasets travel under `.txt` (Kaggle ships CoNLL as
//! `train.txt`, people rename JSONL to open it in an editor): such content is read as what it
//! is, or refused with a reason, but never imported as one garbage article.

use super::FileKind;

/// What a text file's content is.
#[derive(Debug, PartialEq, Eq)]
pub enum Content {
    /// An article: prose, Markdown, the newswire dump.
    Article,
    /// Data another reader takes.
    Kind(FileKind),
    /// Data stet cannot read as an article or otherwise; the reason, for the error.
    Refused(String),
}

/// How many non-blank lines are looked at.
const SAMPLE_LINES: usize = 200;
/// Fewer lines than this never make a table or CoNLL: a short note with a tab is prose.
const MIN_TABLE_LINES: usize = 4;

/// Decides by content what a text file holds.
pub fn sniff(text: &str) -> Content {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("#FORMAT=WebAnno TSV") {
        return Content::Kind(FileKind::WebAnno);
    }
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(SAMPLE_LINES)
        .collect();
    if let Some(first) = lines.first() {
        let first = first.trim();
        if first.starts_with('{')
            && serde_json::from_str::<serde_json::Value>(first).is_ok_and(|v| v.is_object())
        {
            return Content::Kind(FileKind::Jsonl);
        }
        // Checked for validity only (nothing is built): the reader parses it for real.
        if (first.starts_with('[') || first.starts_with('{'))
            && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
        {
            return Content::Kind(FileKind::Json);
        }
        if first.starts_with("-DOCSTART-") {
            return Content::Kind(FileKind::Conll);
        }
    }
    if lines.len() >= MIN_TABLE_LINES {
        let tagged = lines.iter().filter(|l| is_conll_line(l)).count();
        // Nearly every line a token and a tag: CoNLL (a stray comment line is allowed).
        if tagged * 10 >= lines.len() * 9 {
            return Content::Kind(FileKind::Conll);
        }
        let tabs: Vec<usize> = lines.iter().map(|l| l.matches('\t').count()).collect();
        if tabs[0] > 0 && tabs.iter().all(|&n| n == tabs[0]) {
            return Content::Refused(format!(
                "holds a table ({} tab-separated columns on every line), not an article; \
                 stet reads CoNLL (token and tag columns), WebAnno TSV, and JSONL datasets",
                tabs[0] + 1
            ));
        }
    }
    Content::Article
}

/// Whether a line is a CoNLL token line: at least two columns, the last an entity tag
/// (`O`, `B-X`, `I-X`, `E-X`, `S-X`, `L-X`, `U-X`, or `X-…` forms with `_`).
fn is_conll_line(line: &str) -> bool {
    let mut columns = line.split_whitespace();
    let Some(tag) = columns.next_back() else {
        return false;
    };
    columns.next().is_some() && is_tag(tag)
}

/// Whether `tag` is an IOB/BIOES entity tag.
pub fn is_tag(tag: &str) -> bool {
    if tag == "O" {
        return true;
    }
    let Some((prefix, label)) = tag.split_once(['-', '_']) else {
        return false;
    };
    matches!(prefix, "B" | "I" | "E" | "S" | "L" | "U")
        && !label.is_empty()
        && !label.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datasets_in_text_files_are_recognised() {
        let conll =
            "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n";
        assert_eq!(sniff(conll), Content::Kind(FileKind::Conll));
        let kaggle = "Thousands\tO\nof\tO\ndemonstrators\tO\nLondon\tB-geo\n\nIraq\tB-geo\n";
        assert_eq!(sniff(kaggle), Content::Kind(FileKind::Conll));
        assert_eq!(
            sniff("-DOCSTART- -X- -X- O\n\nEU B-ORG\n"),
            Content::Kind(FileKind::Conll)
        );
        assert_eq!(
            sniff("{\"text\": \"a\"}\n{\"text\": \"b\"}\n"),
            Content::Kind(FileKind::Jsonl)
        );
        assert_eq!(
            sniff("[\n {\"data\": {\"text\": \"a\"}}\n]\n"),
            Content::Kind(FileKind::Json)
        );
        assert_eq!(
            sniff("#FORMAT=WebAnno TSV 3.3\n"),
            Content::Kind(FileKind::WebAnno)
        );
        let Content::Refused(why) = sniff("id\tname\n1\ta\n2\tb\n3\tc\n") else {
            panic!("a table is refused");
        };
        assert!(
            why.starts_with("holds a table (2 tab-separated columns"),
            "{why}"
        );
    }

    #[test]
    fn prose_stays_an_article() {
        for text in [
            "Peskov said it was O.\nThe Kremlin I-think.\n",
            "Title\n\nA paragraph\twith a tab.\nAnother line.\nAnd one more.\nEnd.\n",
            "[Draft] notes for Monday\nItem one\n",
            "{not json} a brace at the start\n",
            "One\tTwo\n",
        ] {
            assert_eq!(sniff(text), Content::Article, "{text:?}");
        }
    }
}
