//! The text as the recognisers read it: code points, word/number/punctuation tokens with
//! code-point offsets, paragraphs (lines) and sentence starts. Built once per document and
//! shared by every recogniser.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, with inner apostrophes and hyphens (`Russia’s`, `al-Assad`), or a known
    /// abbreviation with its period (`Mr.`, `U.S.`).
    Word,
    /// Digits of any script, with inner decimal and thousands separators (`70,000`, `۹۴٬۳۰۰`).
    Number,
    /// Any other single character that is not white space.
    Punct,
}

/// One token: a range of code points of the text.
#[derive(Clone, Debug)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// The token in lower case (digits converted to ASCII).
    pub lower: String,
    /// The first character is upper case.
    pub capital: bool,
    /// The paragraph (0-based line of text) it is in.
    pub paragraph: u32,
    /// It begins a sentence (or a paragraph).
    pub sentence_start: bool,
}

/// A document prepared for the recognisers.
pub struct Analysis {
    pub chars: Vec<char>,
    pub tokens: Vec<Token>,
    /// Each paragraph's code-point range (a line of text that is not blank).
    pub paragraphs: Vec<(usize, usize)>,
}

/// Abbreviations that keep their period (and so end no sentence).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "gov", "col", "lt", "sgt", "capt", "maj", "st",
    "prof", "jr", "sr", "no", "vs", "dec", "jan", "feb", "aug", "sept", "oct", "nov", "inc",
    "corp", "co", "ltd", "adm", "cmdr", "rev",
];

/// Whether `c` is a digit of the Latin, Persian or Arabic-Indic forms.
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('۰'..='۹').contains(&c) || ('٠'..='٩').contains(&c)
}

/// The ASCII digit for a digit of any of the three forms.
pub fn ascii_digit(c: char) -> char {
    match c {
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        _ => c,
    }
}

/// Separators allowed between digit groups (decimal and thousands, Latin and Arabic).
fn is_number_separator(c: char) -> bool {
    matches!(c, ',' | '.' | '٬' | '٫')
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c == '\u{200c}'
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

impl Analysis {
    /// Tokenises `text`.
    pub fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let paragraphs = paragraphs_of(&chars);
        let mut tokens = Vec::with_capacity(chars.len() / 5);
        for (p, &(start, end)) in paragraphs.iter().enumerate() {
            tokenize(&chars, start, end, p as u32, &mut tokens);
        }
        mark_sentences(&mut tokens);
        Self {
            chars,
            tokens,
            paragraphs,
        }
    }

    /// The code points of a token range as a string.
    pub fn text(&self, start: usize, end: usize) -> String {
        self.chars.get(start..end).unwrap_or(&[]).iter().collect()
    }

    /// The token at `i`, if any.
    pub fn token(&self, i: usize) -> Option<&Token> {
        self.tokens.get(i)
    }

    /// The lower-case form of token `i` ("" past the ends).
    pub fn lower(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.lower.as_str())
    }

    /// Whether tokens `i` and `i + 1` touch (no space between them).
    pub fn touches_next(&self, i: usize) -> bool {
        match (self.tokens.get(i), self.tokens.get(i + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    /// The index of the first token starting at or after code point `at`.
    pub fn token_at_or_after(&self, at: usize) -> usize {
        self.tokens.partition_point(|t| t.start < at)
    }

    /// The character at `i`, or a space past the ends.
    pub fn char_at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or(' ')
    }
}

/// Each non-blank line's range, trimmed of surrounding white space.
fn paragraphs_of(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..=chars.len() {
        if i == chars.len() || chars[i] == '\n' {
            let mut s = start;
            let mut e = i;
            while s < e && chars[s].is_whitespace() {
                s += 1;
            }
            while e > s && chars[e - 1].is_whitespace() {
                e -= 1;
            }
            if s < e {
                out.push((s, e));
            }
            start = i + 1;
        }
    }
    out
}

fn tokenize(chars: &[char], start: usize, end: usize, paragraph: u32, out: &mut Vec<Token>) {
    let mut i = start;
    let at = |k: usize| if k < end { chars[k] } else { ' ' };
    while i < end {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let begin = i;
        let kind = if is_digit(c) {
            i += 1;
            while i < end
                && (is_digit(chars[i]) || is_number_separator(chars[i]) && is_digit(at(i + 1)))
            {
                i += 1;
            }
            TokenKind::Number
        } else if is_word_char(c) {
            i += 1;
            while i < end
                && (is_word_char(chars[i])
                    || (is_apostrophe(chars[i]) || chars[i] == '-') && is_word_char(at(i + 1)))
            {
                i += 1;
            }
            absorb_abbreviation(chars, begin, &mut i, end);
            TokenKind::Word
        } else {
            i += 1;
            TokenKind::Punct
        };
        let lower: String = chars[begin..i]
            .iter()
            .flat_map(|c| c.to_lowercase())
            .map(ascii_digit)
            .collect();
        out.push(Token {
            start: begin,
            end: i,
            kind,
            lower,
            capital: c.is_uppercase(),
            paragraph,
            sentence_start: false,
        });
    }
}

/// Extends a word over its period when it is an abbreviation (`Mr.`) or a run of initials
/// (`U.S.`, `U.N.`).
fn absorb_abbreviation(chars: &[char], begin: usize, i: &mut usize, end: usize) {
    if *i >= end || chars[*i] != '.' {
        return;
    }
    let word: String = chars[begin..*i]
        .iter()
        .flat_map(|c| c.to_lowercase())
        .collect();
    let single = *i - begin == 1 && chars[begin].is_uppercase();
    if single {
        // Initials: U.S., U.K., J.D.
        let mut k = *i;
        while k + 2 < end && chars[k] == '.' && chars[k + 1].is_uppercase() && chars[k + 2] == '.' {
            k += 2;
        }
        if k > *i {
            *i = k + 1;
            return;
        }
        // A middle initial ("John F. Kennedy"): keep the period when a capital follows.
        if chars.get(*i + 1) == Some(&' ') && chars.get(*i + 2).is_some_and(|c| c.is_uppercase()) {
            *i += 1;
        }
        return;
    }
    if ABBREVIATIONS.contains(&word.as_str()) {
        *i += 1;
    }
}

/// Marks the first token of each paragraph and each token after a sentence end (`.`, `!`,
/// `?`, possibly followed by closing quotes) that begins with a capital, digit or quote.
fn mark_sentences(tokens: &mut [Token]) {
    let mut after_end = true;
    let mut paragraph = u32::MAX;
    let mut previous_end = usize::MAX;
    for t in tokens.iter_mut() {
        if t.paragraph != paragraph {
            paragraph = t.paragraph;
            after_end = true;
        }
        let closing = matches!(t.lower.as_str(), "”" | "’" | "»" | "›" | ")")
            || t.lower == "\"" && t.start == previous_end;
        previous_end = t.end;
        if after_end && !closing && (t.capital || t.kind != TokenKind::Word) {
            t.sentence_start = true;
        }
        if matches!(t.lower.as_str(), "." | "!" | "?" | "…") {
            after_end = true;
        } else if !(closing && after_end) {
            after_end = false;
        }
    }
}

/// Words that are plural nouns or units even without a final `s`, or are counted as such.
pub const IRREGULAR_UNITS: &[&str] = &[
    "people",
    "children",
    "men",
    "women",
    "police",
    "personnel",
    "staff",
    "aircraft",
    "sheep",
    "cattle",
    "feet",
    "teeth",
    "crew",
    "militia",
    "infantry",
    "km",
    "kg",
    "mph",
    "cm",
    "mm",
    "mw",
    "gw",
    "kwh",
    "percent",
    "bpd",
    "ha",
    "livestock",
    "equipment",
    "ammunition",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let a = Analysis::new(text);
        a.tokens.iter().map(|t| a.text(t.start, t.end)).collect()
    }

    #[test]
    fn numbers_keep_their_separators_in_every_script() {
        assert_eq!(
            words("about 70,000 troops."),
            ["about", "70,000", "troops", "."]
        );
        assert_eq!(words("۹۴٬۳۰۰ and ٣٫٥"), ["۹۴٬۳۰۰", "and", "٣٫٥"]);
        assert_eq!(words("in 2014, 300"), ["in", "2014", ",", "300"]);
    }

    #[test]
    fn abbreviations_keep_their_period_and_end_no_sentence() {
        let a = Analysis::new("Mr. Smith met U.S. officials. They left.");
        let texts: Vec<String> = a.tokens.iter().map(|t| a.text(t.start, t.end)).collect();
        assert_eq!(texts[0], "Mr.");
        assert_eq!(texts[3], "U.S.");
        let starts: Vec<bool> = a.tokens.iter().map(|t| t.sentence_start).collect();
        assert_eq!(
            starts,
            [true, false, false, false, false, false, true, false, false]
        );
    }

    #[test]
    fn offsets_count_code_points() {
        let a = Analysis::new("😀 “Yes,” ۱۲");
        let last = a.tokens.last().unwrap();
        assert_eq!((last.start, last.end), (9, 11));
        assert_eq!(last.lower, "12");
    }
}
