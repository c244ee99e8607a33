//! Text the window shows about things: shortened spans, times.

use crate::model::Timestamp;

/// The first `max` characters of `text` on one line, with "…" if cut.
/// Reads no further into `text` than it needs, so a span over a whole document costs no more
/// than a short one.
/// `text` cut to `max` characters between curly quotes, unless it is a quotation that
/// brings its own marks (a tagged quote, “…”), which are not doubled.
pub fn quoted(text: &str, max: usize) -> String {
    const OPENING: [char; 6] = ['“', '"', '«', '„', '‘', '\''];
    const CLOSING: [char; 6] = ['”', '"', '»', '“', '’', '\''];
    let short = shorten(text, max);
    let trimmed = text.trim();
    let has_own = trimmed.starts_with(OPENING) && trimmed.ends_with(CLOSING);
    if has_own {
        short
    } else {
        format!("“{short}”")
    }
}

pub fn shorten(text: &str, max: usize) -> String {
    let mut chars = text.chars().map(|c| if c == '\n' { ' ' } else { c });
    let mut cut: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        cut.pop();
        cut.push('…');
    }
    cut
}

/// A timestamp in the machine's time zone, to the minute.
pub fn local_time(at: Timestamp) -> String {
    let Ok(ts) = jiff::Timestamp::from_millisecond(at.0) else {
        return String::new();
    };
    let zoned = ts.to_zoned(jiff::tz::TimeZone::system());
    zoned.strftime("%Y-%m-%d %H:%M").to_string()
}

/// A relation kind in words (`said_by` → "said by").
pub fn relation_words(kind: &str) -> String {
    kind.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn long_text_is_cut_with_an_ellipsis_on_one_line() {
        assert_eq!(shorten("a\nb", 10), "a b");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abcd", 4), "abcd");
    }
}
