//! Speakers: for each quote, the span naming who said it, found beside a reporting verb
//! (`said`, `told`, `added`, `according to`, `warned`…), to be tagged `source` and linked
//! `said_by` from the quote.
//!
//! Where the speaker is looked for, in order:
//! 1. after the quote in its sentence: `“…,” Peskov said`, `“…,” said Dmitry Peskov, the
//!    Kremlin's spokesman`, `“…,” the ministry said in a statement`, `“…,” he told reporters`;
//! 2. before it in its sentence: `Peskov told reporters: “…”`, `According to the ministry,
//!    “…”`, `Peskov said the West was “playing with fire”`;
//! 3. otherwise the speaker of the quote before it, when that one is in the same or the
//!    previous paragraph (news copy attributes a run of quotes once).
//!
//! The extent follows `projects/newsroom.ron`'s source definition: the name or description
//! as the article gives it, without titles before a name (`Kremlin spokesman Dmitry
//! Peskov` → `Dmitry Peskov`; `the Kremlin`, `a senior Western official` stay whole); an
//! appositive name wins over a description (`the spokeswoman, Maria Zakharova,`). A
//! pronoun (`he`, `she`, `they`) is resolved to the nearest earlier name in the same
//! paragraph (an earlier speaker, else a name of two or more capitalised words or one after a
//! title); with no name in the paragraph the pronoun itself is the source.

use super::lexicon::{PRONOUNS, REPORTING_VERBS, STOP_WORDS, TITLES, is_in};
use super::tokens::{Analysis, TokenKind};
use crate::model::CharRange;

/// A quote's speaker: the quote's index in the list given and the source's range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attribution {
    pub quote: usize,
    pub source: CharRange,
}

/// Words between a subject and its reporting verb that are not part of the subject.
const AUXILIARIES: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "later",
    "again",
    "repeatedly",
    "previously",
    "earlier",
    "then",
    "would",
    "will",
    "once",
    "recently",
    "simply",
    "flatly",
    "publicly",
    "angrily",
];

/// Words that end a subject when read backwards from its verb.
const CLAUSE_WORDS: &[&str] = &[
    "that", "and", "but", "which", "who", "when", "as", "after", "while", "because", "where", "if",
    "though", "although", "since", "before", "so", "yet", "or", "nor", "whom",
];

/// The speaker of each quote that has one.
pub fn speakers(a: &Analysis, quotes: &[CharRange]) -> Vec<Attribution> {
    let mut out: Vec<Attribution> = Vec::new();
    let mut previous: Option<(usize, CharRange)> = None;
    for (qi, &quote) in quotes.iter().enumerate() {
        let open = a.token_at_or_after(quote.start);
        let after = a.token_at_or_after(quote.end);
        let paragraph = a.token(open).map_or(0, |t| t.paragraph);
        let found = after_quote(a, quote, after).or_else(|| before_quote(a, open));
        let source = match found {
            Some(range) => Some(resolve_pronoun(a, range, &out)),
            None => previous
                .filter(|(p, _)| paragraph == *p as u32 || paragraph == *p as u32 + 1)
                .map(|(_, source)| source),
        };
        if let Some(source) = source {
            out.push(Attribution { quote: qi, source });
            let end_paragraph = a
                .token(after.saturating_sub(1))
                .map_or(paragraph, |t| t.paragraph);
            previous = Some((end_paragraph as usize, source));
        }
    }
    out
}

/// The source named after the quote (`“…,” Peskov said`, `“…,” said Peskov`).
fn after_quote(a: &Analysis, quote: CharRange, mut k: usize) -> Option<CharRange> {
    let closing_stop = a.chars.get(quote.end.wrapping_sub(2)) == Some(&'.');
    let paragraph = a.token(k)?.paragraph;
    if matches!(a.lower(k), "," | "—" | "–") {
        k += 1;
    }
    let first = a.token(k)?;
    if first.paragraph != paragraph || closing_stop && first.capital && !is_pronoun(a, k) {
        return None;
    }
    if is_verb(a, k) {
        return np_after(a, k + 1);
    }
    // Subject then verb, within a few tokens of the same sentence.
    let mut v = k;
    while v < k + 20 {
        let t = a.token(v)?;
        if t.paragraph != paragraph || v > k && t.sentence_start || is_quote_mark(&t.lower) {
            return None;
        }
        if is_verb(a, v) && v > k {
            return np_before(a, v, k);
        }
        if matches!(t.lower.as_str(), "." | ";" | "!" | "?") {
            return None;
        }
        v += 1;
    }
    None
}

/// The source named before the quote, in its sentence.
fn before_quote(a: &Analysis, open: usize) -> Option<CharRange> {
    let paragraph = a.token(open)?.paragraph;
    let mut k = open;
    let limit = open.saturating_sub(40);
    while k > limit {
        k -= 1;
        let t = a.token(k)?;
        if t.paragraph != paragraph || is_quote_mark(&t.lower) && k + 1 != open {
            return None;
        }
        if t.lower == "according" && a.lower(k + 1) == "to" {
            return np_after(a, k + 2);
        }
        if is_verb(a, k) {
            let start = sentence_start(a, k);
            return np_before(a, k, start).or_else(|| np_after(a, k + 1));
        }
        if t.sentence_start || matches!(t.lower.as_str(), "." | "!" | "?") {
            return None;
        }
    }
    None
}

fn is_verb(a: &Analysis, k: usize) -> bool {
    is_in(REPORTING_VERBS, a.lower(k)) && a.lower(k) != "denied"
}

fn is_pronoun(a: &Analysis, k: usize) -> bool {
    is_in(PRONOUNS, a.lower(k))
}

fn is_quote_mark(w: &str) -> bool {
    matches!(
        w,
        "“" | "”" | "‘" | "’" | "\"" | "«" | "»" | "„" | "‹" | "›"
    )
}

/// The first token of the sentence holding token `k`.
fn sentence_start(a: &Analysis, mut k: usize) -> usize {
    let paragraph = a.tokens[k].paragraph;
    while k > 0 && !a.tokens[k].sentence_start && a.tokens[k - 1].paragraph == paragraph {
        k -= 1;
    }
    k
}

/// The subject read backwards from the verb at `v`, not before token `floor`.
fn np_before(a: &Analysis, v: usize, floor: usize) -> Option<CharRange> {
    let mut e = v;
    while e > floor && is_in(AUXILIARIES, a.lower(e - 1)) {
        e -= 1;
    }
    // "Peskov on Monday said".
    if e >= floor + 2 && a.lower(e - 2) == "on" && a.token(e - 1).is_some_and(|t| t.capital) {
        e -= 2;
    }
    if e > floor + 1 && a.lower(e - 1) == "," {
        // "Dmitry Peskov, the Kremlin spokesman, said", "Reza Karimi, who heads a clinic,
        // said": the name before the aside; "The club's manager, Anna Lindqvist, said": the
        // name that is the aside.
        let c = (e.saturating_sub(20).max(floor)..e - 1)
            .rev()
            .find(|&k| a.lower(k) == ",")?;
        let aside_is_name = c + 1 < e - 1 && (c + 1..e - 1).all(|k| is_name_word(a, k));
        if aside_is_name {
            return Some(strip_titles(a, c + 1, e - 1));
        }
        let mut n = c;
        while n > floor && is_name_word(a, n - 1) {
            n -= 1;
        }
        return (n < c).then(|| strip_titles(a, n, c));
    }
    let mut s = e;
    while s > floor && e - s < 8 {
        let t = &a.tokens[s - 1];
        let w = t.lower.as_str();
        if t.kind != TokenKind::Word || is_in(CLAUSE_WORDS, w) {
            break;
        }
        s -= 1;
        if matches!(w, "the" | "a" | "an") || t.sentence_start {
            break;
        }
    }
    if s == e {
        return None;
    }
    // An appositive: "Dmitry Peskov, the Kremlin spokesman, said".
    let described = matches!(a.lower(s), "the" | "a" | "an");
    if described && s >= floor + 2 && a.lower(s - 1) == "," {
        let name_end = s - 1;
        let mut n = name_end;
        while n > floor && a.tokens[n - 1].capital && a.tokens[n - 1].kind == TokenKind::Word {
            n -= 1;
        }
        if n < name_end
            && !(name_end - n == 1 && a.tokens[n].sentence_start && is_in(STOP_WORDS, a.lower(n)))
        {
            return Some(strip_titles(a, n, name_end));
        }
    }
    Some(strip_titles(a, s, e))
}

/// The source after a verb or `according to`: up to the next comma, stop or clause word; an
/// appositive name after a description wins.
fn np_after(a: &Analysis, k: usize) -> Option<CharRange> {
    let paragraph = a.token(k)?.paragraph;
    let mut e = k;
    while e < k + 8 {
        let Some(t) = a.token(e) else { break };
        let w = t.lower.as_str();
        if t.paragraph != paragraph || t.kind != TokenKind::Word || e > k && t.sentence_start {
            break;
        }
        // "Marek Nowak of the hauliers' association": the name, not its organisation.
        if matches!(w, "of" | "for") && e > k && a.tokens[e - 1].capital {
            break;
        }
        if e > k
            && !t.capital
            && matches!(
                w,
                "on" | "in"
                    | "at"
                    | "after"
                    | "during"
                    | "when"
                    | "while"
                    | "who"
                    | "which"
                    | "that"
                    | "as"
                    | "before"
                    | "told"
                    | "to"
                    | "from"
                    | "adding"
                    | "speaking"
                    | "late"
                    | "earlier"
                    | "last"
                    | "this"
                    | "yesterday"
                    | "today"
                    | "and"
                    | "with"
                    | "by"
                    | "about"
            )
        {
            break;
        }
        e += 1;
    }
    if e == k {
        return None;
    }
    let described = matches!(a.lower(k), "the" | "a" | "an");
    if described && a.lower(e) == "," {
        let n = e + 1;
        let mut m = n;
        while a
            .token(m)
            .is_some_and(|t| t.capital && t.kind == TokenKind::Word && t.paragraph == paragraph)
        {
            m += 1;
        }
        if m > n && matches!(a.lower(m), "," | "." | "") {
            return Some(strip_titles(a, n, m));
        }
    }
    Some(strip_titles(a, k, e))
}

/// Whether token `k` can be part of a name: a capitalised word or a lower-case particle
/// (`al-Ghais`, `van`, `de`).
fn is_name_word(a: &Analysis, k: usize) -> bool {
    let Some(t) = a.token(k) else {
        return false;
    };
    t.kind == TokenKind::Word
        && (t.capital
            || t.lower.starts_with("al-")
            || t.lower.starts_with("el-")
            || matches!(
                t.lower.as_str(),
                "de" | "van" | "von" | "bin" | "da" | "der" | "la"
            ))
}

/// The range of tokens `s..e` without the titles or roles before a name (`head keeper
/// Lina Zhou` → `Lina Zhou`); a determiner right before a capitalised name stays (`the
/// Kremlin`).
fn strip_titles(a: &Analysis, s: usize, e: usize) -> CharRange {
    let mut from = s;
    for m in s..e {
        let w = a.lower(m);
        let titled = is_in(TITLES, w) || w.ends_with("’s") || w.ends_with("'s");
        if titled && m + 1 < e && (m + 1..e).all(|x| is_name_word(a, x)) {
            from = m + 1;
        }
    }
    // Lower-case role words before a trailing name.
    let mut run = e;
    while run > from && is_name_word(a, run - 1) {
        run -= 1;
    }
    if run > from && run < e && a.tokens[run].capital {
        let before = a.lower(run - 1);
        let role = !a.tokens[run - 1].capital && !matches!(before, "the" | "a" | "an");
        if role {
            from = run;
        }
    }
    CharRange::new(a.tokens[from].start, a.tokens[e - 1].end)
}

/// A pronoun source stands for the nearest earlier name in its paragraph: an earlier
/// speaker there, else a name in the text before it; with none, the pronoun itself.
fn resolve_pronoun(a: &Analysis, range: CharRange, earlier: &[Attribution]) -> CharRange {
    let k = a.token_at_or_after(range.start);
    if range.len() > 4 || !is_pronoun(a, k) {
        return range;
    }
    let paragraph = a.tokens[k].paragraph;
    let (p_start, _) = a.paragraphs[paragraph as usize];
    if let Some(prior) = earlier
        .iter()
        .rev()
        .map(|at| at.source)
        .find(|s| s.start >= p_start && s.end <= range.start)
        && !is_pronoun(a, a.token_at_or_after(prior.start))
    {
        return prior;
    }
    name_before(a, k, p_start)
        .or_else(|| {
            matches!(a.lower(k), "it" | "they")
                .then(|| subject_before(a, k, p_start))
                .flatten()
        })
        .unwrap_or(range)
}

/// For `it` and `they`: the subject opening the previous sentence of the paragraph (`The
/// embassy denied the accusations. “…,” it said.` → `The embassy`): a determiner and up to
/// three words before the first verb-like word.
fn subject_before(a: &Analysis, k: usize, p_start: usize) -> Option<CharRange> {
    let this = sentence_start(a, k);
    if this == 0 || a.tokens[this - 1].start < p_start {
        return None;
    }
    let s = sentence_start(a, this - 1);
    if !matches!(a.lower(s), "the" | "a" | "an") && !a.tokens[s].capital {
        return None;
    }
    let mut e = s + 1;
    while e < this && e < s + 4 {
        let t = &a.tokens[e];
        let w = t.lower.as_str();
        let verb_like = w.ends_with("ed")
            || is_in(REPORTING_VERBS, w)
            || is_in(AUXILIARIES, w)
            || is_in(STOP_WORDS, w);
        if t.kind != TokenKind::Word || verb_like {
            break;
        }
        e += 1;
    }
    let verb = a.token(e).is_some_and(|t| {
        t.lower.ends_with("ed") || is_in(REPORTING_VERBS, &t.lower) || is_in(AUXILIARIES, &t.lower)
    });
    (verb && e > s + usize::from(matches!(a.lower(s), "the" | "a" | "an")))
        .then(|| CharRange::new(a.tokens[s].start, a.tokens[e - 1].end))
}

/// The nearest name before token `k` in its paragraph (starting at code point `p_start`):
/// two or more capitalised words, or one after a title, outside quotes.
fn name_before(a: &Analysis, k: usize, p_start: usize) -> Option<CharRange> {
    let mut m = k;
    let mut inside_quote = false;
    while m > 0 && a.tokens[m - 1].start >= p_start {
        m -= 1;
        let t = &a.tokens[m];
        if matches!(t.lower.as_str(), "”" | "»" | "\"") {
            inside_quote = true;
            continue;
        }
        if matches!(t.lower.as_str(), "“" | "«") {
            inside_quote = false;
            continue;
        }
        if inside_quote || !t.capital || t.kind != TokenKind::Word {
            continue;
        }
        let e = m + 1;
        let mut s = m;
        while s > 0
            && a.tokens[s - 1].start >= p_start
            && a.tokens[s - 1].capital
            && a.tokens[s - 1].kind == TokenKind::Word
            && !is_in(TITLES, a.lower(s - 1))
        {
            s -= 1;
        }
        if s > 0 && a.tokens[s].sentence_start && is_in(STOP_WORDS, a.lower(s)) {
            s += 1;
        }
        let titled = s > 0 && is_in(TITLES, a.lower(s - 1));
        if e > s && (e - s >= 2 || titled) {
            return Some(CharRange::new(a.tokens[s].start, a.tokens[e - 1].end));
        }
        m = s.min(m);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::quotes::quotes;
    use super::*;

    /// Each quote's speaker as text ("" for none).
    fn found(text: &str) -> Vec<String> {
        let a = Analysis::new(text);
        let qs = quotes(&a);
        let at = speakers(&a, &qs);
        (0..qs.len())
            .map(|qi| {
                at.iter()
                    .find(|x| x.quote == qi)
                    .map(|x| a.text(x.source.start, x.source.end))
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn the_speaker_after_the_quote_without_titles() {
        assert_eq!(
            found("“We are ready,” Kremlin spokesman Dmitry Peskov said."),
            ["Dmitry Peskov"]
        );
        assert_eq!(
            found("“We are ready,” said Foreign Minister Sergei Lavrov."),
            ["Sergei Lavrov"]
        );
        assert_eq!(
            found("“It is over,” the ministry said in a statement."),
            ["the ministry"]
        );
        assert_eq!(
            found("“It is over,” said the ministry’s spokeswoman, Maria Zakharova, on Monday."),
            ["Maria Zakharova"]
        );
        assert_eq!(
            found("“Talks will go on,” a senior Western official told reporters."),
            ["a senior Western official"]
        );
    }

    #[test]
    fn the_speaker_before_the_quote() {
        assert_eq!(
            found("Peskov told reporters: “We see no reason to worry.”"),
            ["Peskov"]
        );
        assert_eq!(
            found("According to the Kremlin, “the meeting will take place.”"),
            ["the Kremlin"]
        );
        assert_eq!(
            found(
                "Dmitry Peskov, the Kremlin spokesman, said the West was “playing with fire in the region.”"
            ),
            ["Dmitry Peskov"]
        );
    }

    #[test]
    fn pronouns_resolve_to_a_name_in_the_paragraph_or_stay() {
        assert_eq!(
            found("Secretary of State Antony Blinken met allies. “We are united,” he said."),
            ["Antony Blinken"]
        );
        assert_eq!(found("Talks ended.\n“We are united,” she said."), ["she"]);
        assert_eq!(
            found("The embassy denied the report. “We obey the law,” it said."),
            ["The embassy"]
        );
    }

    #[test]
    fn split_and_continued_quotes_keep_their_speaker() {
        assert_eq!(
            found(
                "“We will not,” Peskov said, “accept these terms at all.”\n“Never again will we bow.”"
            ),
            ["Peskov", "Peskov", "Peskov"]
        );
    }
}
