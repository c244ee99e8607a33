//! What identifies data across projects: a document by the hash of its text, a span's
//! content by a version hash. Both definitions are part of the project format (documents
//! store their uid; merges store span versions), so they never change.

use std::fmt;

use sha2::{Digest, Sha256};

use super::text::char_len;
use super::{Attributes, CharRange};

/// A text's identity: its SHA-256, the uid derived from it, and its length in code points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    pub sha256: String,
    pub uid: String,
    pub len_chars: usize,
}

impl Fingerprint {
    /// Hashes and measures `text`.
    pub fn of(text: &str) -> Self {
        let sha256 = sha256_hex(text);
        Self {
            uid: uid_of_sha256(&sha256),
            sha256,
            len_chars: char_len(text),
        }
    }
}

/// The lowercase hex SHA-256 of a text's UTF-8 bytes.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    hex
}

/// A document's uid: the first 128 bits of its text's SHA-256, in hex.
pub fn uid_of_sha256(sha256: &str) -> String {
    sha256.get(..32).unwrap_or(sha256).to_owned()
}

/// A span's version: the first 128 bits of the SHA-256 of its document uid, start, end,
/// label, annotator and note (each length-prefixed). Two copies of a span are the same
/// version exactly when they say the same thing about the same text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SpanVersion(pub u128);

impl SpanVersion {
    /// The version of a span with these contents.
    pub fn of(doc_uid: &str, range: CharRange, label: &str, annotator: &str, note: &str) -> Self {
        Self::with_attributes(doc_uid, range, label, annotator, note, &Attributes::new())
    }

    /// The version of a span with these contents and attribute values. Without attributes
    /// it is [`SpanVersion::of`] (so versions stored before attributes existed still match);
    /// each attribute adds its name and value, in name order.
    pub fn with_attributes(
        doc_uid: &str,
        range: CharRange,
        label: &str,
        annotator: &str,
        note: &str,
        attributes: &Attributes,
    ) -> Self {
        let mut hasher = Sha256::new();
        let mut field = |bytes: &[u8]| {
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        };
        field(doc_uid.as_bytes());
        field(&(range.start as u64).to_le_bytes());
        field(&(range.end as u64).to_le_bytes());
        field(label.as_bytes());
        field(annotator.as_bytes());
        field(note.as_bytes());
        for (name, value) in attributes {
            field(name.as_bytes());
            field(value.as_bytes());
        }
        let digest = hasher.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        Self(u128::from_be_bytes(first))
    }

    /// Reads a stored version (32 hex digits); anything else is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == 32)
            .then(|| u128::from_str_radix(text, 16).ok())
            .flatten()
            .map(Self)
    }
}

/// A relation's version: the SHA-256 of its document uid, kind, end span uids and
/// annotator, like a span's. Relations are added and deleted, never changed, so two copies
/// differ only when one side changed an end.
pub fn relation_version(
    doc_uid: &str,
    kind: &str,
    from_uid: &str,
    to_uid: &str,
    annotator: &str,
) -> SpanVersion {
    let mut hasher = Sha256::new();
    for bytes in [
        b"relation".as_slice(),
        doc_uid.as_bytes(),
        kind.as_bytes(),
        from_uid.as_bytes(),
        to_uid.as_bytes(),
        annotator.as_bytes(),
    ] {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    let digest = hasher.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    SpanVersion(u128::from_be_bytes(first))
}

impl fmt::Display for SpanVersion {
    /// As stored: 32 lowercase hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_round_trips_through_its_stored_form() {
        let v = SpanVersion::of("d", CharRange::new(1, 4), "claim", "ana", "");
        let stored = v.to_string();
        assert_eq!(stored.len(), 32);
        assert_eq!(SpanVersion::parse(&stored), Some(v));
        assert_eq!(SpanVersion::parse("xyz"), None);
    }

    #[test]
    fn fields_are_length_prefixed_so_they_cannot_run_together() {
        let a = SpanVersion::of("d", CharRange::new(1, 4), "ab", "c", "");
        let b = SpanVersion::of("d", CharRange::new(1, 4), "a", "bc", "");
        assert_ne!(a, b);
    }

    #[test]
    fn uid_is_the_first_half_of_the_hash() {
        let f = Fingerprint::of("héllo");
        assert_eq!(f.sha256.len(), 64);
        assert_eq!(f.uid, f.sha256[..32]);
        assert_eq!(f.len_chars, 5);
    }
}
