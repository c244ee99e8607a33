//! Bytes to text: BOMs, UTF-8, UTF-16, legacy single-byte encodings, newline normalisation.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use super::Problem;

/// Signatures of common binary formats, checked before anything else so that the message can
/// say what the file really is.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (
        b"PK\x03\x04",
        "a ZIP archive, or a Word, Excel or EPUB file",
    ),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an old Microsoft Office file",
    ),
    (b"\x1F\x8B", "a gzip archive"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    (b"Rar!\x1A\x07", "a RAR archive"),
    (b"\x7FELF", "a program"),
];

/// The share of control characters (in parts per thousand) above which decoded bytes are
/// judged not to be text at all.
const MAX_CONTROL_PER_MILLE: usize = 20;

/// [`decode_text`] for bytes the caller owns: plain UTF-8 (the common case) is taken
/// without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<String, Problem> {
    let plain_utf8 = !bytes.is_empty()
        && Encoding::for_bom(&bytes).is_none()
        && !MAGIC.iter().any(|(magic, _)| bytes.starts_with(magic))
        && !bytes.contains(&0)
        && !bytes.contains(&b'\r');
    if !plain_utf8 {
        return decode_text(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) if !looks_like_text(&text) => Err(Problem::Encoding),
        Ok(text) if text.trim().is_empty() => Err(Problem::Blank),
        Ok(text) => Ok(text),
        Err(err) => decode_text(err.as_bytes()),
    }
}

/// Decodes a file's bytes to text with LF newlines, or says why it is not text.
pub fn decode_text(bytes: &[u8]) -> Result<String, Problem> {
    decode_unnormalised(bytes).map(normalise_newlines)
}

/// Where the characters of a text moved when its CR LF pairs became LF: turns code point
/// offsets counted in the text as it was (brat's, say) into offsets in the stored text.
#[derive(Clone, Debug, Default)]
pub struct NewlineMap {
    /// The old offsets of the LFs dropped (each followed a CR that became the LF), ascending.
    dropped: Vec<usize>,
}

impl NewlineMap {
    /// The offset in the stored text of old offset `at`.
    pub fn map(&self, at: usize) -> usize {
        at - self.dropped.partition_point(|&d| d < at)
    }
}

/// [`decode_text`], also giving how offsets into the text as written map to the stored text.
pub fn decode_with_map(bytes: &[u8]) -> Result<(String, NewlineMap), Problem> {
    let text = decode_unnormalised(bytes)?;
    let mut map = NewlineMap::default();
    let mut previous_cr = false;
    for (at, c) in text.chars().enumerate() {
        if c == '\n' && previous_cr {
            map.dropped.push(at);
        }
        previous_cr = c == '\r';
    }
    Ok((normalise_newlines(text), map))
}

fn decode_unnormalised(bytes: &[u8]) -> Result<Cow<'_, str>, Problem> {
    if bytes.is_empty() {
        return Err(Problem::Empty);
    }
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(Problem::Binary(what));
    }
    let text = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => {
            let rest = bytes.get(bom_len..).unwrap_or_default();
            decode_strict(encoding, rest)?
        }
        None => decode_unmarked(bytes)?,
    };
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    if !looks_like_text(&text) {
        return Err(Problem::Encoding);
    }
    if text.trim().is_empty() {
        return Err(Problem::Blank);
    }
    Ok(text)
}

/// Decodes bytes that carry no BOM: UTF-8 if they are valid UTF-8, else the single-byte
/// encoding chardetng guesses.
fn decode_unmarked(bytes: &[u8]) -> Result<Cow<'_, str>, Problem> {
    if bytes.contains(&0) {
        return Err(Problem::Binary("it contains NUL bytes"));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text));
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Deny);
    if !guess.is_single_byte() {
        // Multi-byte legacy guesses (GBK, Shift_JIS, …) on text that is not valid UTF-8 are
        // far more often damaged or random bytes than real text, so they are refused.
        return Err(Problem::Encoding);
    }
    decode_strict(guess, bytes)
}

/// Decodes `bytes` in `encoding` without replacing anything: malformed input is an error.
fn decode_strict<'b>(
    encoding: &'static Encoding,
    bytes: &'b [u8],
) -> Result<Cow<'b, str>, Problem> {
    if encoding == UTF_8 {
        return std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|_| Problem::Encoding);
    }
    if encoding == UTF_16LE || encoding == UTF_16BE {
        // An odd byte count cannot be UTF-16; encoding_rs would quietly drop the last byte.
        if !bytes.len().is_multiple_of(2) {
            return Err(Problem::Encoding);
        }
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or(Problem::Encoding)
}

/// Whether decoded text is plausibly text: at most a small share of control characters
/// (C0 other than tab, line feed, carriage return and form feed; and all of C1).
fn looks_like_text(text: &str) -> bool {
    // Counted on bytes, in passes the compiler vectorises: a C1 control is U+0080–U+009F,
    // which UTF-8 writes as 0xC2 followed by 0x80–0x9F.
    let bytes = text.as_bytes();
    let c0 = bytes
        .iter()
        .filter(|&&b| b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    let c1 = memchr::memchr_iter(0xC2, bytes)
        .filter(|&i| bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
        .count();
    let control = c0 + c1;
    control == 0
        || control.saturating_mul(1000)
            <= text.chars().count().saturating_mul(MAX_CONTROL_PER_MILLE)
}

fn normalise_newlines(text: Cow<'_, str>) -> String {
    if !text.contains('\r') {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWSWIRE: &[u8] = include_bytes!("../../tests/fixtures/ingest/newswire.txt");

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        let mut bytes = if little_endian {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            let pair = if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    }

    #[test]
    fn empty_and_blank_files_are_refused() {
        assert!(matches!(decode_text(b""), Err(Problem::Empty)));
        assert!(matches!(decode_text(b"\xEF\xBB\xBF"), Err(Problem::Empty)));
        assert!(matches!(decode_text(b" \n\t\r\n "), Err(Problem::Blank)));
        // A no-break space is white space too.
        assert!(matches!(
            decode_text("\u{A0}\n".as_bytes()),
            Err(Problem::Blank)
        ));
    }

    #[test]
    fn utf8_is_kept_exactly_apart_from_newlines() {
        let text = "Caf\u{E9} \u{201C}x\u{201D}\u{A0}\ttab\r\nnext\rlast\u{2028}";
        assert_eq!(
            decode_text(text.as_bytes()).unwrap(),
            "Caf\u{E9} \u{201C}x\u{201D}\u{A0}\ttab\nnext\nlast\u{2028}"
        );
        // No Unicode normalisation: a decomposed accent stays decomposed.
        assert_eq!(
            decode_text("cafe\u{301}".as_bytes()).unwrap(),
            "cafe\u{301}"
        );
    }

    #[test]
    fn utf8_bom_is_stripped_and_invalid_utf8_after_it_refused() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFhello").unwrap(), "hello");
        assert!(matches!(
            decode_text(b"\xEF\xBB\xBFhi \xFF there"),
            Err(Problem::Encoding)
        ));
    }

    #[test]
    fn newswire_in_crlf_and_utf16_decodes_to_the_same_text() {
        let expected = decode_text(NEWSWIRE).unwrap();
        assert!(expected.contains("\u{A0}\u{201C}I don\u{2019}t accept"));
        let crlf = std::str::from_utf8(NEWSWIRE).unwrap().replace('\n', "\r\n");
        assert_eq!(decode_text(crlf.as_bytes()).unwrap(), expected);
        let source = std::str::from_utf8(NEWSWIRE).unwrap();
        assert_eq!(decode_text(&utf16(source, true)).unwrap(), expected);
        assert_eq!(decode_text(&utf16(source, false)).unwrap(), expected);
    }

    #[test]
    fn malformed_utf16_is_refused() {
        // A lone high surrogate, and an odd number of bytes.
        assert!(matches!(
            decode_text(b"\xFF\xFEa\x00\x00\xD8b\x00"),
            Err(Problem::Encoding)
        ));
        assert!(matches!(
            decode_text(b"\xFF\xFEa\x00b"),
            Err(Problem::Encoding)
        ));
    }

    #[test]
    fn windows_1252_text_decodes_with_its_quotes_and_accents() {
        let bytes = b"The minister\x92s r\xE9sum\xE9 was \x93na\xEFve\x94, critics said \x96 \
            and the caf\xE9 owner agreed. \xABNous verrons\xBB, a-t-il ajout\xE9 \x85";
        let text = decode_text(bytes).unwrap();
        assert_eq!(
            text,
            "The minister\u{2019}s r\u{E9}sum\u{E9} was \u{201C}na\u{EF}ve\u{201D}, critics \
             said \u{2013} and the caf\u{E9} owner agreed. \u{AB}Nous verrons\u{BB}, a-t-il \
             ajout\u{E9} \u{2026}"
        );
    }

    #[test]
    fn binary_files_are_refused_with_what_they_look_like() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        assert!(matches!(
            decode_text(png),
            Err(Problem::Binary("a PNG image"))
        ));
        assert!(matches!(
            decode_text(b"%PDF-1.7\n"),
            Err(Problem::Binary("a PDF document"))
        ));
        assert!(matches!(
            decode_text(b"hello\x00world"),
            Err(Problem::Binary(_))
        ));
    }

    #[test]
    fn random_bytes_are_not_text() {
        // Bytes from a simple generator, without NULs so that only the control check can
        // catch them.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let bytes: Vec<u8> = (0..4000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .map(|b| b.max(1))
            .collect();
        assert!(decode_text(&bytes).is_err());
        // A few control characters in real text are tolerated.
        let mostly_text = format!("{}\u{0B}{}", "word ".repeat(40), "more ".repeat(40));
        assert!(decode_text(mostly_text.as_bytes()).is_ok());
        assert!(matches!(
            decode_text(b"\x01\x02\x03abc"),
            Err(Problem::Encoding)
        ));
    }
}
