//! What the benchmarks share: a deterministic generator, so every run measures the same
//! data, and news-like text with curly quotes, Persian digits and an emoji.

// Each benchmark is its own crate and uses only part of this module.
#![allow(dead_code)]

/// xorshift64*: small, fast and the same on every machine.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const NEWS_WORDS: &[&str] = &[
    "the",
    "ministry",
    "said",
    "on",
    "Tuesday",
    "that",
    "exports",
    "rose",
    "about",
    "70,000",
    "tonnes",
    "“we",
    "will",
    "not",
    "accept”",
    "officials",
    "denied",
    "reports",
    "Kremlin",
    "port",
    "percent",
    "۱۲",
    "🚢",
    "Zelenskyy’s",
    "talks",
    "resumed",
    "in",
    "January",
];

/// `head`, a blank line, then paragraphs of `words_per_paragraph` (at least, plus up to as
/// many again) news words, each ending "end.", until the text has `min_bytes` bytes.
pub fn news_text(
    rng: &mut Rng,
    head: &str,
    words_per_paragraph: usize,
    min_bytes: usize,
) -> String {
    let mut text = format!("{head}\n\n");
    while text.len() < min_bytes {
        for _ in 0..words_per_paragraph + rng.below(words_per_paragraph) {
            text.push_str(NEWS_WORDS[rng.below(NEWS_WORDS.len())]);
            text.push(' ');
        }
        text.push_str("end.\n\n");
    }
    text
}
