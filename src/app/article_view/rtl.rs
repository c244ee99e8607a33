//! Which paragraphs epaint cannot be trusted with: those with right-to-left text (laid out by
//! parley instead, see `bidi`), and any whose galley fails the one-glyph-per-character check.
//!
//! Since 0.35, egui shapes text with harfrust. In right-to-left runs the shaper returns glyphs
//! in visual order, and egui 0.37 then pads the wrong ranges, so a galley row can hold more
//! glyphs than characters and `cursor_from_pos` drifts (egui issue 8576). stet refuses to
//! store offsets it cannot map exactly, so every paragraph is checked when it is laid out.

use egui::Galley;

/// Code-point ranges whose characters have bidi class R or AL (strongly right-to-left),
/// plus the explicit right-to-left marks, embeddings, overrides and isolates.
///
/// Digits (European and Arabic-Indic numbers) and the Arabic comma and separators are
/// left out: Persian digits alone keep a paragraph trustworthy when its glyphs match.
const RTL_RANGES: &[(u32, u32)] = &[
    (0x0590, 0x05FF),   // Hebrew.
    (0x0608, 0x0608),   // Arabic ray.
    (0x060B, 0x060B),   // Afghani sign.
    (0x060D, 0x065F),   // Arabic letters, signs and marks.
    (0x066D, 0x06EF),   // Arabic letters (after the Arabic-Indic digits).
    (0x06FA, 0x08FF),   // Arabic letters, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic ext.
    (0x200F, 0x200F),   // Right-to-left mark.
    (0x202B, 0x202B),   // Right-to-left embedding.
    (0x202E, 0x202E),   // Right-to-left override.
    (0x2067, 0x2067),   // Right-to-left isolate.
    (0xFB1D, 0xFDFF),   // Hebrew and Arabic presentation forms A.
    (0xFE70, 0xFEFE),   // Arabic presentation forms B.
    (0x10800, 0x10FFF), // Historic right-to-left scripts.
    (0x1E800, 0x1EFFF), // Mende Kikakui, Adlam, Arabic mathematical symbols.
];

/// Whether `c` makes its paragraph right-to-left (bidi class R or AL, or an explicit RTL
/// control character).
pub fn is_strong_rtl(c: char) -> bool {
    let code = c as u32;
    if code < 0x0590 {
        return false;
    }
    RTL_RANGES
        .iter()
        .any(|&(low, high)| (low..=high).contains(&code))
}

/// Whether the galley holds exactly one glyph per character of `text`, in logical order, so
/// that its `CCursor`s are code-point offsets into `text`.
pub fn galley_maps_chars(galley: &Galley, text: &str) -> bool {
    let mut chars = text.chars();
    for row in &galley.rows {
        for glyph in &row.glyphs {
            if chars.next() != Some(glyph.chr) {
                return false;
            }
        }
    }
    chars.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_and_hebrew_letters_are_right_to_left() {
        for c in ['س', 'ل', 'ا', 'م', 'ש', 'ﻻ', 'ک', 'ی', '\u{200F}'] {
            assert!(is_strong_rtl(c), "{c:?}");
        }
    }

    #[test]
    fn digits_quotes_and_latin_are_not() {
        for c in "۱۱۶۵۳۸۱ ٠١٢ “quoted” café 😀 ،٫٬".chars() {
            assert!(!is_strong_rtl(c), "{c:?}");
        }
    }
}
