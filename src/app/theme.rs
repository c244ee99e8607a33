//! The design system: fonts, label colours, lane heights. Panels never hard-code these.

use std::sync::Arc;

use egui::{Color32, FontData, FontDefinitions, FontFamily};

use crate::model::Color;

/// DejaVu Sans: Latin, Greek, Cyrillic and Arabic script (Persian digits included), curly
/// quotes and no-break spaces. Licence: `assets/fonts/DejaVuSans.LICENSE.txt`.
const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// Noto Sans Arabic, for Arabic-script letters DejaVu lacks. Licence (OFL 1.1):
/// `assets/fonts/NotoSansArabic.LICENSE.txt`.
const NOTO_SANS_ARABIC: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");

/// System fonts tried as last fallbacks for scripts the bundled fonts lack (CJK, Indic, …).
const SYSTEM_FALLBACKS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "C:\\Windows\\Fonts\\msyh.ttc",
];

/// The height of one underline lane under a line of text, in points.
pub const LANE_HEIGHT: f32 = 3.0;
/// The gap between stacked underline lanes.
pub const LANE_GAP: f32 = 1.0;
/// At most this many lanes are drawn; deeper overlaps share the last lane.
pub const MAX_LANES: usize = 3;
/// Default article text size, in points.
pub const ARTICLE_FONT_SIZE: f32 = 16.0;

/// Registers the bundled fonts ahead of egui's defaults (which stay as fallbacks for
/// emoji), plus any system fallbacks found on this machine.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions(true));
}

/// The font set stet uses; `system` adds fallbacks from the machine (off in tests, so
/// snapshots do not depend on the machine).
pub fn font_definitions(system: bool) -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    let mut ours = vec![
        ("DejaVuSans".to_owned(), FontData::from_static(DEJAVU_SANS)),
        (
            "NotoSansArabic".to_owned(),
            FontData::from_static(NOTO_SANS_ARABIC),
        ),
    ];
    if system {
        for path in SYSTEM_FALLBACKS {
            if let Ok(bytes) = std::fs::read(path) {
                ours.push(((*path).to_owned(), FontData::from_owned(bytes)));
            }
        }
    }
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = fonts.families.entry(family.clone()).or_default();
        let insert_at = if family == FontFamily::Monospace {
            1
        } else {
            0
        };
        for (i, (name, _)) in ours.iter().take(2).enumerate() {
            list.insert((insert_at + i).min(list.len()), name.clone());
        }
        for (name, _) in ours.iter().skip(2) {
            list.push(name.clone());
        }
    }
    for (name, data) in ours {
        fonts.font_data.insert(name, Arc::new(data));
    }
    fonts
}

/// A label's colour as egui wants it.
pub fn label_color(color: Color) -> Color32 {
    Color32::from_rgb(color.r, color.g, color.b)
}

/// The article's text: darker (lighter in the dark theme) than egui's body text, so that it
/// stays readable over every label's fill, the selection and Find's matches.
pub fn article_text(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_gray(230)
    } else {
        Color32::from_gray(20)
    }
}

/// The background behind a span: the label colour, faint enough to read text over it.
pub fn span_background(color: Color, dark_mode: bool) -> Color32 {
    let alpha = if dark_mode { 64 } else { 90 };
    Color32::from_rgba_unmultiplied(color.r, color.g, color.b, alpha)
}

/// The colour of search matches; the current one in a hue no label of the default scheme
/// uses.
pub fn search_highlight(dark_mode: bool, current: bool) -> Color32 {
    match (dark_mode, current) {
        (true, true) => Color32::from_rgb(150, 60, 0),
        (false, true) => Color32::from_rgb(255, 150, 40),
        (true, false) => Color32::from_rgba_unmultiplied(255, 230, 80, 50),
        (false, false) => Color32::from_rgba_unmultiplied(255, 230, 0, 120),
    }
}

/// The colour of the user's text selection.
pub fn selection_color(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_rgba_unmultiplied(90, 140, 255, 70)
    } else {
        Color32::from_rgba_unmultiplied(60, 120, 255, 70)
    }
}

/// WCAG 2 contrast ratio of two opaque colours (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f64 {
    fn luminance(c: Color32) -> f64 {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fill` (possibly translucent) painted over the opaque `background`.
pub fn over(fill: Color32, background: Color32) -> Color32 {
    let keep = 1.0 - f32::from(fill.a()) / 255.0;
    let mix = |f: u8, b: u8| (f32::from(f) + f32::from(b) * keep).round().min(255.0) as u8;
    Color32::from_rgb(
        mix(fill.r(), background.r()),
        mix(fill.g(), background.g()),
        mix(fill.b(), background.b()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabelScheme;

    /// WCAG AA for body text.
    const AA: f64 = 4.5;

    #[test]
    fn contrast_matches_known_values() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(Color32::from_gray(118), Color32::WHITE) - 4.54).abs() < 0.02);
    }

    #[test]
    fn every_text_on_fill_pair_reaches_wcag_aa_in_both_themes() {
        let scheme = LabelScheme::newsroom();
        for dark in [false, true] {
            let visuals = if dark {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            };
            let page = visuals.panel_fill;
            let text = article_text(dark);
            let mut pairs: Vec<(String, Color32, Color32)> = vec![("page".into(), page, text)];
            for label in &scheme.labels {
                let fill = over(span_background(label.rgb(), dark), page);
                pairs.push((label.name.clone(), fill, text));
                // Selected text inside a span.
                let selected = over(selection_color(dark), fill);
                pairs.push((format!("selection in {}", label.name), selected, text));
            }
            for current in [false, true] {
                let fill = over(search_highlight(dark, current), page);
                pairs.push((format!("find match (current: {current})"), fill, text));
            }
            let card = &visuals.selection;
            pairs.push((
                "selected document card".into(),
                card.bg_fill,
                card.stroke.color,
            ));
            for (what, fill, ink) in pairs {
                let ratio = contrast(fill, ink);
                assert!(
                    ratio >= AA,
                    "{} theme: text on {what} is {ratio:.2}:1 (fill {fill:?}, text {ink:?})",
                    if dark { "dark" } else { "light" }
                );
            }
        }
    }

    #[test]
    fn the_current_find_match_differs_from_every_label_colour() {
        let scheme = LabelScheme::newsroom();
        for dark in [false, true] {
            let page = egui::Visuals::light().panel_fill;
            let current = search_highlight(dark, true);
            for label in &scheme.labels {
                let fill = over(span_background(label.rgb(), dark), page);
                let distance: i32 = [
                    (current.r(), fill.r()),
                    (current.g(), fill.g()),
                    (current.b(), fill.b()),
                ]
                .iter()
                .map(|&(a, b)| (i32::from(a) - i32::from(b)).abs())
                .sum();
                assert!(
                    distance > 60,
                    "{} too close to the current match",
                    label.name
                );
            }
        }
    }
}
