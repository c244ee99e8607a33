//! Figures: numbers a reader could check, with their unit and hedge.
//!
//! The extent follows `projects/newsroom.ron` ("tag the number with its unit and any
//! approximation word"), made precise so that a rule and a person draw the same span:
//!
//! - **the number**: digits in Latin, Persian (۰-۹) or Arabic-Indic (٠-٩) form with inner
//!   decimal or thousands separators (`,` `.` `٬` `٫`), a scale written against it or after it
//!   (`$2.5m`, `3 billion`), or number words (`three`, `two hundred and fifty`, `a dozen`,
//!   `hundreds of`, `tens of thousands of`); a range or score joins two numbers into one
//!   figure (`300 to 400`, `between 5 and 10`, `3-1`);
//! - **before it**: a currency symbol (`$`, `€`, `£`, `US$`) and the one approximation or bound
//!   phrase right before (`about`, `nearly`, `more than`, `at least`, `up to`, `almost`, `an
//!   estimated`, `between` of a range);
//! - **after it**: a percent sign or word (`%`, `٪`, `percent`, `per cent`, `percentage
//!   points`), a currency word (`euros`, `rials`), or else the counted noun: up to three
//!   following words ending at the last plural noun or unit (`500 residents`, `60 fire
//!   units`, `70,000 Russian troops` stops before a capital; `1 person` takes a singular).
//!   Quantity words and fractions take their `of` phrase (`hundreds of homes`, `almost half of
//!   the residents`). A hyphened unit stays with the number (`a 40-mile convoy` → `40-mile`).
//!   After a currency amount no noun is taken (`$2.5 million in aid` → `$2.5 million`).
//!
//! Not figures: event dates (`5 December`, `December 5`), clock times (`10:30`, `9 a.m.`),
//! years that only date an event (a bare 1000–2100 with no unit, or after `in`, `since`,
//! `by`…), ordinals (`21st`, `third` without `of`), numbers inside names (`MH17`, `COVID-19`,
//! `Resolution 2231`, `News code : ۱۱۶۵۳۸۱`), and number words that only pick things out
//! (`the two leaders`, `one of them`).

use super::lexicon::{
    CURRENCY_SYMBOLS, CURRENCY_WORDS, FRACTIONS, HEDGES, MONTHS, NOT_PLURALS, NUMBER_WORDS,
    QUANTITY_WORDS, SCALE_SUFFIXES, SCALES, STOP_WORDS, is_in,
};
use super::tokens::{Analysis, IRREGULAR_UNITS, TokenKind};
use crate::model::CharRange;

/// What was found at a number's core.
#[derive(Clone, Copy, Debug, Default)]
struct Core {
    /// Token indices, inclusive.
    first: usize,
    last: usize,
    /// Made of digits (not words).
    digits: bool,
    /// A bare integer without separators or scale, and its value (for years and dates).
    plain: Option<u64>,
    /// A plural quantity or fraction that takes an `of` phrase.
    takes_of: bool,
    fraction: bool,
    /// The lone word "one" (or "a"), which needs a noun to count.
    one: bool,
}

/// Every figure in the document, in text order.
pub fn figures(a: &Analysis) -> Vec<CharRange> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < a.tokens.len() {
        match figure_at(a, i) {
            Some((range, next)) => {
                out.push(range);
                i = next;
            }
            None => i += 1,
        }
    }
    out
}

/// The figure whose number (or currency symbol) starts at token `i`, with the token index
/// after it.
fn figure_at(a: &Analysis, i: usize) -> Option<(CharRange, usize)> {
    let (currency, at) = currency_prefix(a, i);
    let core = number_core(a, at)?;
    if excluded_name(a, &core) || is_time(a, &core) || is_date(a, &core) {
        return None;
    }
    if is_age_compound(a, core.last) {
        return None;
    }
    let first = if currency { i } else { core.first };
    let mut last = core.last;
    let mut ranged = false;
    if let Some(end) = range_end(a, last) {
        last = end;
        ranged = true;
    }
    let mut unit = false;
    if let Some(end) = percent_end(a, last) {
        last = end;
        unit = true;
    } else if let Some(end) = currency_word_end(a, last) {
        last = end;
        unit = true;
    } else if !currency {
        let singular = core.one || core.plain == Some(1);
        if let Some(end) = counted_noun_end(a, last, core.takes_of, singular) {
            last = end;
            unit = true;
        }
    }
    if (unit || currency)
        && let Some(end) = rate_end(a, last)
    {
        last = end;
    }
    if unit
        && core.digits
        && a.lower(last + 1) == "to"
        && let Some(second) = number_core(a, last + 2)
        && second.digits
        && core.plain.is_some()
        && second.plain.is_some()
        && percent_end(a, second.last).is_none()
        && counted_noun_end(a, second.last, false, false).is_none()
    {
        // A tally: "by 312 votes to 287".
        last = second.last;
    }
    let hedge = hedge_start(a, first, ranged);
    if hedge.is_none() && !unit && is_age(a, &core) {
        return None;
    }
    if is_year(a, &core, currency || unit || hedge.is_some()) {
        return None;
    }
    let needs_noun = !core.digits && !unit && !currency;
    if core.fraction && hedge.is_none() && !unit {
        return None;
    }
    if core.one && !unit {
        return None;
    }
    if needs_noun && !core.fraction && !core.takes_of && hedge.is_none() {
        return None;
    }
    if !core.digits && picks_out(a, hedge.unwrap_or(first)) {
        return None;
    }
    let start = hedge.unwrap_or(first);
    let range = CharRange::new(a.tokens[start].start, a.tokens[last].end);
    Some((range, last + 1))
}

/// A currency symbol at `i` (or `US$`): whether there is one, and where the number starts.
fn currency_prefix(a: &Analysis, i: usize) -> (bool, usize) {
    let word = a.lower(i);
    if is_in(CURRENCY_SYMBOLS, word) {
        return (true, i + 1);
    }
    if matches!(word, "us" | "a" | "c" | "hk" | "nz") && a.touches_next(i) && a.lower(i + 1) == "$"
    {
        return (true, i + 2);
    }
    (false, i)
}

/// The number (digits or words) starting at token `j`.
fn number_core(a: &Analysis, j: usize) -> Option<Core> {
    let t = a.token(j)?;
    let mut core = Core {
        first: j,
        last: j,
        ..Core::default()
    };
    if t.kind == TokenKind::Number {
        core.digits = true;
        core.plain = t.lower.parse::<u64>().ok();
        if a.touches_next(j) && is_in(SCALE_SUFFIXES, a.lower(j + 1)) {
            core.last = j + 1;
            core.plain = None;
        }
        core.last = scale_chain(a, core.last);
        if core.last != j {
            core.plain = None;
        }
        return Some(core);
    }
    if t.kind != TokenKind::Word {
        return None;
    }
    let w = t.lower.as_str();
    if w == "a" && is_in(SCALES, a.lower(j + 1)) {
        core.last = scale_chain(a, j);
        return Some(core);
    }
    if w == "a" && is_in(FRACTIONS, a.lower(j + 1)) {
        core.last = j + 1;
        core.fraction = true;
        core.takes_of = true;
        return Some(core);
    }
    if is_in(FRACTIONS, w) && !matches!(w, "third" | "quarter" | "fifth" | "tenth") {
        core.fraction = true;
        core.takes_of = true;
        return Some(core);
    }
    if is_in(QUANTITY_WORDS, w) {
        // "tens of thousands of", "hundreds of".
        if matches!(w, "tens" | "scores") && a.lower(j + 1) != "of" {
            return None;
        }
        if a.lower(j + 1) == "of" && is_in(QUANTITY_WORDS, a.lower(j + 2)) {
            core.last = j + 2;
        }
        core.takes_of = true;
        return Some(core);
    }
    if !is_number_word(w) {
        return None;
    }
    core.last = word_chain(a, j);
    core.one = w == "one" && core.last == j;
    if is_in(FRACTIONS, a.lower(core.last + 1)) {
        core.last += 1;
        core.fraction = true;
        core.takes_of = true;
    }
    Some(core)
}

/// Whether `w` is a number word, hyphened ones included (`twenty-five`).
fn is_number_word(w: &str) -> bool {
    is_in(NUMBER_WORDS, w)
        || w.split('-').count() == 2 && w.split('-').all(|p| is_in(NUMBER_WORDS, p))
}

/// Extends over following scale words ("2.5 million", "three hundred thousand").
fn scale_chain(a: &Analysis, mut last: usize) -> usize {
    while is_in(SCALES, a.lower(last + 1)) {
        last += 1;
    }
    last
}

/// Extends a number word over more number words, scales and `and` between them.
fn word_chain(a: &Analysis, j: usize) -> usize {
    let mut last = j;
    loop {
        let next = a.lower(last + 1);
        if is_in(SCALES, next) || is_number_word(next) {
            last += 1;
        } else if next == "and" && is_in(SCALES, a.lower(last)) && is_number_word(a.lower(last + 2))
        {
            last += 2;
        } else {
            return last;
        }
    }
}

/// The end of a range or score after the number ending at `last`: `-`/`–` or `to` and a
/// second number, or `and` after `between`.
fn range_end(a: &Analysis, last: usize) -> Option<usize> {
    let joiner = a.lower(last + 1);
    let dash = matches!(joiner, "-" | "–" | "—");
    if dash && !(a.touches_next(last) && a.touches_next(last + 1)) {
        return None;
    }
    if !(dash || joiner == "to" || joiner == "and" || joiner == "in") {
        return None;
    }
    if joiner == "in" {
        // A ratio: "one in four", "3 in 10".
        let small = |c: &Core| c.plain.is_none_or(|n| n <= 1000) && !c.fraction;
        let first = number_core(a, last)?;
        let second = number_core(a, last + 2)?;
        let words = !first.digits && !second.digits;
        let digits =
            first.digits && second.digits && first.plain.is_some() && second.plain.is_some();
        return ((words || digits) && small(&first) && small(&second)).then_some(second.last);
    }
    if joiner == "and" {
        // Only "between X and Y".
        let core = number_core(a, last + 2)?;
        let mut k = last;
        while k > 0 && k + 6 > last {
            k -= 1;
            if a.lower(k) == "between" {
                return Some(core.last);
            }
        }
        return None;
    }
    let (_, at) = currency_prefix(a, last + 2);
    let core = number_core(a, at)?;
    if joiner == "to" && changes_before(a, last) {
        return None;
    }
    Some(core.last)
}

/// Whether a verb of change stands before the number that ends at `last` ("rose $3.40 to
/// $91.80": a change and a level, not a range).
fn changes_before(a: &Analysis, last: usize) -> bool {
    let mut k = last;
    while k > 0 {
        let w = a.lower(k);
        let part = a.tokens[k].kind == TokenKind::Number
            || is_in(SCALES, w)
            || is_in(SCALE_SUFFIXES, w)
            || is_in(CURRENCY_SYMBOLS, w);
        if !part {
            break;
        }
        k -= 1;
    }
    matches!(
        a.lower(k),
        "rose"
            | "fell"
            | "climbed"
            | "dropped"
            | "increased"
            | "decreased"
            | "jumped"
            | "slipped"
            | "grew"
            | "gained"
            | "lost"
            | "surged"
            | "slumped"
            | "added"
            | "shed"
            | "declined"
            | "plunged"
            | "soared"
            | "edged"
            | "up"
            | "down"
    )
}

/// The end of a rate after a unit (`barrels a day`, `$91.80 a barrel`, `per person`).
fn rate_end(a: &Analysis, last: usize) -> Option<usize> {
    let per = matches!(a.lower(last + 1), "a" | "an" | "per" | "each");
    let what = a.lower(last + 2);
    let rate = matches!(
        what,
        "day"
            | "week"
            | "month"
            | "year"
            | "hour"
            | "minute"
            | "barrel"
            | "head"
            | "person"
            | "capita"
            | "kilo"
            | "kilogram"
            | "litre"
            | "liter"
            | "gallon"
            | "night"
            | "tonne"
            | "ton"
            | "share"
            | "second"
    );
    (per && rate).then_some(last + 2)
}

/// An age that describes someone, written as a compound (`13-year-olds`, `a 45-year-old`).
fn is_age_compound(a: &Analysis, last: usize) -> bool {
    a.lower(last + 1) == "-"
        && a.touches_next(last)
        && (a.lower(last + 2).ends_with("-old") || a.lower(last + 2).ends_with("-olds"))
}

/// An age set off by commas after a name (`Maria Kovacs, 54, said`).
fn is_age(a: &Analysis, core: &Core) -> bool {
    let Some(n) = core.plain else {
        return false;
    };
    n <= 120
        && core.first >= 2
        && a.lower(core.first - 1) == ","
        && a.tokens[core.first - 2].capital
        && matches!(a.lower(core.last + 1), "," | "." | "")
}

/// The end of a percent sign or word after `last`.
fn percent_end(a: &Analysis, last: usize) -> Option<usize> {
    match a.lower(last + 1) {
        "%" | "٪" | "percent" | "pct" => Some(last + 1),
        "per" if a.lower(last + 2) == "cent" => Some(last + 2),
        "percentage" if a.lower(last + 2) == "points" => Some(last + 2),
        _ => None,
    }
}

/// The end of a currency word after `last` (`500 euros`).
fn currency_word_end(a: &Analysis, last: usize) -> Option<usize> {
    is_in(CURRENCY_WORDS, a.lower(last + 1)).then_some(last + 1)
}

/// Whether a lower-case word looks like a plural noun or a unit.
fn is_plural_noun(w: &str) -> bool {
    if is_in(IRREGULAR_UNITS, w) || w.len() > 4 && w.ends_with("men") {
        return true;
    }
    w.chars().count() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("’s")
        && !w.ends_with("'s")
        && !is_in(NOT_PLURALS, w)
}

/// The end of the counted noun phrase after `last`: up to three lower-case words ending at
/// the last plural noun or unit (any noun when `singular`), or an `of` phrase after a
/// quantity word.
fn counted_noun_end(a: &Analysis, last: usize, takes_of: bool, singular: bool) -> Option<usize> {
    let mut k = last + 1;
    // A hyphened unit ("40-mile", "10-year-old").
    let mut end = None;
    if a.lower(k) == "-"
        && a.touches_next(last)
        && a.touches_next(k)
        && let Some(t) = a.token(k + 1)
        && t.kind == TokenKind::Word
    {
        if t.lower.ends_with("-old") || t.lower.ends_with("-olds") {
            // An age that describes someone ("13-year-olds"), not a count.
            return None;
        }
        end = Some(k + 1);
        k += 2;
        if !is_plural_noun(a.lower(k)) {
            return end;
        }
    }
    if takes_of && a.lower(k) == "of" {
        let mut m = k + 1;
        if matches!(
            a.lower(m),
            "the" | "its" | "their" | "his" | "her" | "a" | "an" | "all" | "our"
        ) {
            m += 1;
        }
        return noun_run(a, m, false).or(end);
    }
    noun_run(a, k, singular).or(end)
}

/// The last token of a run of up to three lower-case words starting at `k` that ends on a
/// noun (plural or unit, or any word when `singular`).
fn noun_run(a: &Analysis, k: usize, singular: bool) -> Option<usize> {
    let paragraph = a.token(k)?.paragraph;
    let mut end = None;
    for m in k..k + 3 {
        let Some(t) = a.token(m) else { break };
        if t.kind != TokenKind::Word || t.paragraph != paragraph {
            break;
        }
        let w = t.lower.as_str();
        if is_in(STOP_WORDS, w) || is_in(NUMBER_WORDS, w) {
            break;
        }
        if t.capital && !is_in(IRREGULAR_UNITS, w) {
            // A capital may be an adjective of nationality ("70,000 Russian troops").
            if !is_plural_noun(a.lower(m + 1)) {
                break;
            }
            continue;
        }
        if is_plural_noun(w) || singular && m == k {
            end = Some(m);
            if singular {
                break;
            }
        }
        if w.ends_with("ing") || w.ends_with("ed") && m > k {
            break;
        }
    }
    end
}

/// The token where the approximation or bound before `first` starts.
fn hedge_start(a: &Analysis, first: usize, ranged: bool) -> Option<usize> {
    for hedge in HEDGES {
        let n = hedge.len();
        if first < n {
            continue;
        }
        let at = first - n;
        let paragraph = a.tokens[first].paragraph;
        let matches = hedge
            .iter()
            .enumerate()
            .all(|(k, w)| a.tokens[at + k].paragraph == paragraph && a.lower(at + k) == *w);
        if !matches || (*hedge == ["between"] && !ranged) {
            continue;
        }
        // "just over", "well over" are whole hedges; "over" after "just" would match too.
        return Some(at);
    }
    if ranged && first > 0 && a.lower(first - 1) == "from" {
        return Some(first - 1);
    }
    None
}

/// A number inside a name: touching letters (`MH17`, `COVID-19`, `1990s`, `21st`), after
/// `No.`/`code :`/`#`, or a bare small integer after a capitalised word that is not a
/// month (`Resolution 2231`, `Apollo 11`).
fn excluded_name(a: &Analysis, core: &Core) -> bool {
    if !core.digits {
        return false;
    }
    let t = &a.tokens[core.first];
    let before = a.char_at(t.start.wrapping_sub(1));
    if t.start > 0
        && (before.is_alphabetic()
            || before == '-' && a.char_at(t.start.wrapping_sub(2)).is_alphabetic())
    {
        return true;
    }
    let last = &a.tokens[core.last];
    if a.char_at(last.end).is_alphabetic() && core.last == core.first {
        let next = a.lower(core.first + 1);
        if !is_in(SCALE_SUFFIXES, next) {
            return true;
        }
    }
    if core.first == 0 {
        return false;
    }
    let prev = a.lower(core.first - 1);
    if matches!(prev, "no." | "number" | "#" | "code" | "id" | "nos.") {
        return true;
    }
    if prev == ":" && core.first >= 2 && matches!(a.lower(core.first - 2), "code" | "number" | "id")
    {
        return true;
    }
    let p = &a.tokens[core.first - 1];
    core.plain.is_some()
        && p.kind == TokenKind::Word
        && p.capital
        && !p.sentence_start
        && !is_in(MONTHS, prev)
        && !HEDGES.iter().any(|h| h.len() == 1 && h[0] == prev)
        && percent_end(a, core.last).is_none()
        && counted_noun_end(a, core.last, false, false).is_none()
}

/// A clock time: `10:30`, `9 a.m.`, `3pm`, `0900 GMT`.
fn is_time(a: &Analysis, core: &Core) -> bool {
    if !core.digits {
        return false;
    }
    let k = core.last + 1;
    let next = a.lower(k);
    if next == ":"
        && a.touches_next(core.last)
        && a.token(k + 1).is_some_and(|t| t.kind == TokenKind::Number)
    {
        return true;
    }
    if core.first > 1
        && a.lower(core.first - 1) == ":"
        && a.touches_next(core.first - 1)
        && a.token(core.first - 2)
            .is_some_and(|t| t.kind == TokenKind::Number)
        && a.touches_next(core.first - 2)
    {
        return true;
    }
    matches!(next, "am" | "pm" | "gmt" | "utc" | "o’clock" | "o'clock")
        || matches!(next, "a" | "p") && a.lower(k + 1) == "." && a.lower(k + 2) == "m"
}

/// A day of an event date: a small integer next to a month name.
fn is_date(a: &Analysis, core: &Core) -> bool {
    let Some(n) = core.plain else {
        return false;
    };
    if !(1..=31).contains(&n) {
        return false;
    }
    let before = core.first.checked_sub(1).map_or("", |k| a.lower(k));
    is_in(MONTHS, before)
        || is_in(MONTHS, a.lower(core.last + 1))
        || a.lower(core.last + 1) == "of" && is_in(MONTHS, a.lower(core.last + 2))
}

/// A year that only dates an event: a bare 1000–2100 without unit, hedge or currency, or
/// one after a preposition of time or a month.
fn is_year(a: &Analysis, core: &Core, measured: bool) -> bool {
    let Some(n) = core.plain else {
        return false;
    };
    let digits = a.tokens[core.first].end - a.tokens[core.first].start;
    if digits != 4 || !(1000..=2100).contains(&n) {
        return false;
    }
    let before = core.first.checked_sub(1).map_or("", |k| a.lower(k));
    let dating = matches!(
        before,
        "in" | "since"
            | "by"
            | "from"
            | "until"
            | "till"
            | "of"
            | "during"
            | "before"
            | "after"
            | "between"
            | "and"
            | "to"
            | "year"
            | "early"
            | "late"
            | "mid"
            | ","
            | "spring"
            | "summer"
            | "autumn"
            | "winter"
            | "fall"
            | "through"
            | "around"
            | "circa"
    ) || is_in(MONTHS, before);
    dating || !measured
}

/// Number words after a determiner only pick things out ("the two leaders", "all three").
fn picks_out(a: &Analysis, first: usize) -> bool {
    first > 0
        && matches!(
            a.lower(first - 1),
            "the"
                | "these"
                | "those"
                | "its"
                | "their"
                | "his"
                | "her"
                | "our"
                | "both"
                | "all"
                | "no"
                | "any"
                | "every"
                | "each"
                | "this"
                | "that"
                | "which"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let a = Analysis::new(text);
        figures(&a)
            .into_iter()
            .map(|r| a.text(r.start, r.end))
            .collect()
    }

    #[test]
    fn counts_take_their_noun_and_hedge() {
        assert_eq!(
            found("Russia has massed about 70,000 troops near the border."),
            ["about 70,000 troops"]
        );
        assert_eq!(
            found("More than 14,000 lives have been lost."),
            ["More than 14,000 lives"]
        );
        assert_eq!(
            found("Some 500 residents fled as 60 fire units arrived."),
            ["Some 500 residents", "60 fire units"]
        );
        assert_eq!(
            found("at least 12 people were killed"),
            ["at least 12 people"]
        );
        assert_eq!(
            found("up to 3,000 Russian soldiers"),
            ["up to 3,000 Russian soldiers"]
        );
    }

    #[test]
    fn persian_and_arabic_digits_count() {
        assert_eq!(found("officials counted ۹۴٬۳۰۰ cases"), ["۹۴٬۳۰۰ cases"]);
        assert_eq!(found("a rise of ٣٫٥٪ in prices"), ["٣٫٥٪"]);
        assert_eq!(found("prices rose ۱۲٪."), ["۱۲٪"]);
    }

    #[test]
    fn money_percent_and_words() {
        assert_eq!(found("a grant of $2.5 million in aid"), ["$2.5 million"]);
        assert_eq!(found("€40bn and £3 billion"), ["€40bn", "£3 billion"]);
        assert_eq!(found("inflation reached 40 percent"), ["40 percent"]);
        assert_eq!(found("turnout fell by 5 per cent"), ["5 per cent"]);
        assert_eq!(
            found("three ambulances and hundreds of homes"),
            ["three ambulances", "hundreds of homes"]
        );
        assert_eq!(
            found("tens of thousands of people marched"),
            ["tens of thousands of people"]
        );
        assert_eq!(
            found("almost half of the residents left"),
            ["almost half of the residents"]
        );
        assert_eq!(found("Dozens were hurt."), ["Dozens"]);
        assert_eq!(found("almost half said no"), ["almost half"]);
    }

    #[test]
    fn ranges_and_scores_are_one_figure() {
        assert_eq!(
            found("between 300 and 400 people"),
            ["between 300 and 400 people"]
        );
        assert_eq!(found("Kyiv won 3-1 on Sunday."), ["3-1"]);
        assert_eq!(found("from 5 to 10 percent"), ["from 5 to 10 percent"]);
    }

    #[test]
    fn dates_times_years_ordinals_and_names_are_not_figures() {
        assert!(found("The talks on 5 December and on December 7, 2021 failed.").is_empty());
        assert!(found("It began at 10:30 and ended at 9 a.m. on Monday.").is_empty());
        assert!(found("The fighting since 2014 and the treaty of 1954.").is_empty());
        assert!(found("Flight MH17 and COVID-19 and the 21st summit, the third round.").is_empty());
        assert!(found("Under Resolution 2231 and News code : ۱۱۶۵۳۸۱ we see.").is_empty());
        assert!(found("The two leaders met; one of them left.").is_empty());
        assert!(found("In the 1990s it changed.").is_empty());
    }

    #[test]
    fn a_hyphened_unit_stays_with_the_number() {
        assert_eq!(found("a 40-mile convoy"), ["40-mile"]);
    }
}
