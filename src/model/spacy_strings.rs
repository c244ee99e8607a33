//! spaCy's string ids: what `spacy.strings.StringStore` gives a string, so that the hashes in a
//! `DocBin` resolve when spaCy loads it.
//!
//! The empty string is 0; one of spaCy's 457 reserved symbols (`ORTH`, `PERSON`, `X`,
//! `number`, `_`, …: `spacy.symbols.IDS`) is its symbol id; any other string is MurmurHash64A
//! of its UTF-8 bytes with seed 1 (`spacy/strings.pyx`, `hash_utf8`, through the `murmurhash`
//! package's `hash64`).

use std::collections::HashMap;
use std::sync::OnceLock;

mod symbols;

use symbols::SYMBOLS;

/// spaCy's id for `text`: 0, a symbol id, or the MurmurHash64A of its UTF-8 bytes (seed 1).
pub fn string_id(text: &str) -> u64 {
    if text.is_empty() {
        return 0;
    }
    if let Some(&id) = symbol_ids().get(text) {
        return id;
    }
    murmurhash64a(text.as_bytes(), 1)
}

/// The reserved symbol whose id is `id`, if `id` is one (0 is the empty string).
pub fn symbol(id: u64) -> Option<&'static str> {
    usize::try_from(id)
        .ok()
        .and_then(|i| SYMBOLS.get(i))
        .copied()
}

/// The reserved symbols by name.
fn symbol_ids() -> &'static HashMap<&'static str, u64> {
    static IDS: OnceLock<HashMap<&'static str, u64>> = OnceLock::new();
    IDS.get_or_init(|| (0u64..).zip(SYMBOLS).map(|(id, name)| (name, id)).collect())
}

/// Austin Appleby's MurmurHash64A (MurmurHash2, 64-bit, for 64-bit platforms), reading the
/// input as little-endian 8-byte blocks as x86-64 and aarch64 do.
pub(crate) fn murmurhash64a(key: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (key.len() as u64).wrapping_mul(M);
    let mut blocks = key.chunks_exact(8);
    for block in &mut blocks {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(block);
        let mut k = u64::from_le_bytes(bytes);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        for (i, &byte) in tail.iter().enumerate() {
            h ^= u64::from(byte) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values computed once with spaCy 3.8.18 (`spacy.strings.StringStore()[text]`, which is
    /// `hash_string` for strings that are not symbols) in the project's `.venv`.
    const SPACY_IDS: [(&str, u64); 17] = [
        ("", 0),
        ("a", 11901859001352538922),
        ("claim", 4563812988814619444),
        ("quote", 5727435701664101727),
        ("Peskov", 13869299634588944754),
        ("12345678", 9871996032675327904),
        ("123456789", 2056675840866671865),
        ("“We", 5457025414824614198),
        ("۱۱۶۵۳۸۱", 4367154738217217899),
        ("😀", 13900606239988879105),
        ("cafe\u{301}", 450864218534274913),
        ("\n", 962983613142996970),
        (" ", 8532415787641010193),
        ("named entity", 6181067920334962396),
        (
            "abababababababababababababababababababab",
            15062975702038432619,
        ),
        ("PERSON", 380),
        ("number", 432),
    ];

    #[test]
    fn ids_are_spacys() {
        for (text, id) in SPACY_IDS {
            assert_eq!(string_id(text), id, "{text:?}");
        }
    }

    #[test]
    fn symbols_are_their_ids_not_hashes() {
        // Also computed with spaCy 3.8.18: the first, a middle and the last symbol.
        assert_eq!(string_id("IS_ALPHA"), 1);
        assert_eq!(string_id("ORTH"), 65);
        assert_eq!(string_id("X"), 101);
        assert_eq!(string_id("_"), 456);
        assert_eq!(SYMBOLS.len(), 457);
        // A symbol's name in another case is an ordinary string.
        assert_eq!(string_id("Person"), murmurhash64a(b"Person", 1));
    }
}
