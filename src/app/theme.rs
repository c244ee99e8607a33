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

/// The background behind a span: the label colour, light enough to read text over it.
pub fn span_background(color: Color, dark_mode: bool) -> Color32 {
    let alpha = if dark_mode { 110 } else { 90 };
    Color32::from_rgba_unmultiplied(color.r, color.g, color.b, alpha)
}

/// The colour of search matches.
pub fn search_highlight(dark_mode: bool, current: bool) -> Color32 {
    match (dark_mode, current) {
        (_, true) => Color32::from_rgb(255, 140, 0),
        (true, false) => Color32::from_rgba_unmultiplied(255, 230, 80, 70),
        (false, false) => Color32::from_rgba_unmultiplied(255, 230, 0, 120),
    }
}

/// The colour of the user's text selection.
pub fn selection_color(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_rgba_unmultiplied(90, 140, 255, 90)
    } else {
        Color32::from_rgba_unmultiplied(60, 120, 255, 70)
    }
}
