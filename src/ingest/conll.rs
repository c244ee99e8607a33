//! CoNLL (2002/2003 and its kin): one token a line with its entity tag in the last column,
//! sentences separated by blank lines, documents by `-DOCSTART-` lines.
//!
//! The text is rebuilt from the tokens: tokens joined by single spaces, sentences by line
//! breaks (the original spacing is not in the file). Each entity chunk becomes one span. The
//! tag schemes IOB1, IOB2, BIOES and BILOU are all read by one rule: `B`/`S`/`U` start a
//! chunk, `I`/`E`/`L` continue a chunk of the same type (or start one, as IOB1 does), `E`/`L`/
//! `S`/`U` end it, `O` is outside.

use std::path::Path;

use super::sniff::is_tag;
use super::{Article, ArticleSpan, IngestError, Problem, SourceFormat, make_title};
use crate::model::CharRange;

/// Reads a decoded CoNLL file: one article per `-DOCSTART-` document (the whole file when it
/// has none).
pub fn read_conll(text: &str, path: &Path) -> Result<Vec<Article>, IngestError> {
    let mut articles = Vec::new();
    let mut doc = Builder::default();
    for (at, line) in text.split('\n').enumerate() {
        let number = at + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            doc.end_sentence();
            continue;
        }
        let columns: Vec<&str> = if line.contains('\t') {
            line.split('\t').map(str::trim).collect()
        } else {
            line.split_whitespace().collect()
        };
        let token = columns.first().copied().unwrap_or_default();
        if token == "-DOCSTART-" {
            if let Some(article) = doc.finish() {
                articles.push(article);
            }
            doc = Builder::default();
            doc.line = number;
            continue;
        }
        if token.starts_with('#') && columns.len() < 2 {
            // A comment line (CoNLL-U style `# sent_id = 1`).
            continue;
        }
        let (Some(tag), true) = (columns.last().copied(), columns.len() >= 2) else {
            return Err(IngestError::at_line(
                path,
                number,
                Problem::Record(format!(
                    "{token:?} has no tag column; a CoNLL line is a token and its tag (EU B-ORG)"
                )),
            ));
        };
        if token.is_empty() {
            return Err(IngestError::at_line(
                path,
                number,
                Problem::Record("the token column is empty".into()),
            ));
        }
        if !is_tag(tag) {
            return Err(IngestError::at_line(
                path,
                number,
                Problem::Record(format!(
                    "the last column {tag:?} is not an entity tag (O, B-TYPE, I-TYPE, E-TYPE, \
                     S-TYPE)"
                )),
            ));
        }
        if doc.line == 0 {
            doc.line = number;
        }
        doc.token(token, tag);
    }
    if let Some(article) = doc.finish() {
        articles.push(article);
    }
    if articles.is_empty() {
        return Err(IngestError::file(path, Problem::Blank));
    }
    Ok(articles)
}

/// One document being rebuilt.
#[derive(Default)]
struct Builder {
    text: String,
    /// The text's length in code points.
    chars: usize,
    spans: Vec<ArticleSpan>,
    /// The chunk being read: its type and start.
    open: Option<(String, usize)>,
    /// Whether the current sentence has a token yet.
    in_sentence: bool,
    /// The end of the last token, in code points.
    last_end: usize,
    /// The line the document starts on (its first token or `-DOCSTART-`).
    line: usize,
}

impl Builder {
    fn token(&mut self, token: &str, tag: &str) {
        if !self.text.is_empty() {
            let gap = if self.in_sentence { ' ' } else { '\n' };
            self.text.push(gap);
            self.chars += 1;
        }
        let start = self.chars;
        self.text.push_str(token);
        self.chars += token.chars().count();
        self.in_sentence = true;
        let (prefix, label) = tag.split_once(['-', '_']).unwrap_or(("O", ""));
        match prefix {
            "B" | "S" | "U" => {
                self.close();
                self.open = Some((label.to_owned(), start));
            }
            "I" | "E" | "L" => {
                if self.open.as_ref().is_none_or(|(open, _)| open != label) {
                    self.close();
                    self.open = Some((label.to_owned(), start));
                }
            }
            _ => self.close(),
        }
        self.last_end = self.chars;
        if matches!(prefix, "E" | "L" | "S" | "U") {
            self.close();
        }
    }

    /// Ends the chunk being read at the last token.
    fn close(&mut self) {
        if let Some((label, start)) = self.open.take() {
            self.spans.push(ArticleSpan::new(
                CharRange::new(start, self.last_end),
                label,
            ));
        }
    }

    fn end_sentence(&mut self) {
        self.close();
        self.in_sentence = false;
    }

    fn finish(mut self) -> Option<Article> {
        self.close();
        let title = make_title(self.text.lines().next()?);
        if title.is_empty() {
            return None;
        }
        let mut article = Article::new(title, self.text, SourceFormat::Conll);
        article.spans = self.spans;
        article.line = Some(self.line.max(1));
        Some(article)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Article> {
        read_conll(text, Path::new("x.conll")).unwrap()
    }

    fn chunks(article: &Article) -> Vec<(String, String)> {
        article.labelled_texts()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn documents_sentences_and_chunks_of_conll_2003() {
        let text = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\
                    German JJ B-NP B-MISC\ncall NN I-NP O\n.\t.\tO\tO\n\nPeter NNP B-NP B-PER\n\
                    Blackburn NNP I-NP I-PER\n\n-DOCSTART- -X- -X- O\n\nBRUSSELS NNP B-NP B-LOC\n";
        let articles = read(text);
        assert_eq!(articles.len(), 2);
        assert_eq!(
            articles[0].text,
            "EU rejects German call .\nPeter Blackburn"
        );
        assert_eq!(articles[0].title, "EU rejects German call .");
        assert_eq!(
            chunks(&articles[0]),
            pairs(&[
                ("ORG", "EU"),
                ("MISC", "German"),
                ("PER", "Peter Blackburn")
            ])
        );
        assert_eq!(chunks(&articles[1]), pairs(&[("LOC", "BRUSSELS")]));
        assert_eq!(articles[1].line, Some(12), "the -DOCSTART- line");
    }

    #[test]
    fn iob1_iob2_and_bioes_give_the_same_chunks() {
        let iob1 = "New I-LOC\nYork I-LOC\nB-LOC B-LOC\nand O\nÉmile I-PER\n";
        let iob2 = "New B-LOC\nYork I-LOC\nB-LOC B-LOC\nand O\nÉmile B-PER\n";
        let bioes = "New B-LOC\nYork E-LOC\nB-LOC S-LOC\nand O\nÉmile S-PER\n";
        let want = pairs(&[("LOC", "New York"), ("LOC", "B-LOC"), ("PER", "Émile")]);
        for text in [iob1, iob2, bioes] {
            assert_eq!(chunks(&read(text)[0]), want, "{text}");
        }
    }

    #[test]
    fn bad_lines_are_refused_with_their_number() {
        let err = read_conll("EU B-ORG\nrejects\n", Path::new("t.conll")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.conll:2: \"rejects\" has no tag column; a CoNLL line is a token and its tag (EU B-ORG)"
        );
        let err = read_conll("EU B-ORG\nrejects NOUN\n", Path::new("t.conll")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t.conll:2: the last column \"NOUN\"")
        );
    }
}
