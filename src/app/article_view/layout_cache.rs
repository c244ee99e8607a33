//! Laid-out paragraphs: one `LayoutJob` per paragraph, wrapped at the view's width, kept for
//! the paragraphs seen recently; and every paragraph's height (measured once laid out,
//! estimated before), with prefix sums for scrolling.

use std::collections::HashMap;
use std::sync::Arc;

use egui::text::LayoutJob;
use egui::{Color32, FontId, Galley, Rect};

use super::bidi::{BidiParagraph, BidiShaper, BidiStyle};
use super::heights::Heights;
use super::paragraphs::{Paragraph, Paragraphs};
use super::rtl::galley_maps_chars;
use super::segments::Decor;
use crate::app::theme;

/// How many laid-out paragraphs are kept; the least recently shown go first.
const MAX_CACHED: usize = 96;

/// Word wrapping leaves the end of most rows empty, about half a word (in characters);
/// estimates allow for it.
const WRAP_WASTE_CHARS: f32 = 4.5;

/// Typical article text, to measure the average glyph width for estimates.
const SAMPLE: &str = "The minister said on Tuesday that the government would review the \
    figures, adding: “We will publish all 1,165 of them before the vote in March.”";

/// What a layout depends on; when any of it changes, every paragraph is laid out anew.
///
/// The text colour is not part of it: galleys are laid out with `Color32::PLACEHOLDER`
/// and painted with the theme's colour, so switching themes does not lay anything out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayoutKey {
    pub wrap_width: f32,
    pub font_size: f32,
    pub pixels_per_point: f32,
}

/// Sizes that follow from the font.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Metrics {
    /// The height of one row of text.
    pub row_height: f32,
    /// The room below each row for the underline lanes.
    pub lane_room: f32,
    /// The gap below each paragraph.
    pub paragraph_gap: f32,
    /// The average advance of a character in typical text.
    pub avg_glyph_width: f32,
}

impl Metrics {
    /// Measures the font of `key`.
    fn measure(ctx: &egui::Context, key: &LayoutKey) -> Self {
        let font_id = FontId::proportional(key.font_size);
        let (row_height, sample_width) = ctx.fonts_mut(|fonts| {
            let row_height = fonts.row_height(&font_id);
            let sample =
                fonts.layout_no_wrap(SAMPLE.to_owned(), font_id.clone(), Color32::PLACEHOLDER);
            (row_height, sample.rect.width())
        });
        let chars = SAMPLE.chars().count().max(1) as f32;
        let ppp = key.pixels_per_point.max(0.1);
        let lanes = theme::MAX_LANES as f32 * (theme::LANE_HEIGHT + theme::LANE_GAP);
        Self {
            row_height,
            lane_room: ((lanes + theme::LANE_GAP) * ppp).ceil() / ppp,
            paragraph_gap: ((row_height * 0.5) * ppp).round() / ppp,
            avg_glyph_width: (sample_width / chars).max(1.0),
        }
    }

    /// The estimated height of a paragraph of `chars` code points wrapped at `wrap_width`.
    pub fn estimate(&self, chars: usize, wrap_width: f32) -> f32 {
        let width = chars as f32 * self.avg_glyph_width;
        let usable = (wrap_width - WRAP_WASTE_CHARS * self.avg_glyph_width).max(1.0);
        let rows = (width / usable).ceil().max(1.0);
        rows * (self.row_height + self.lane_room) + self.paragraph_gap
    }
}

/// A paragraph's text as laid out: by epaint, or by parley where epaint cannot draw or map
/// it exactly (right-to-left and mixed text; see `bidi`).
pub enum Shaped {
    /// The galley, its rows moved apart to leave room for the lanes under each.
    Galley(Arc<Galley>),
    Bidi(Box<BidiParagraph>),
}

/// One laid-out paragraph.
pub struct LaidOut {
    pub shaped: Shaped,
    /// The paragraph-local code point that starts each row, and the paragraph's length last.
    pub row_starts: Vec<usize>,
    /// Whether pointer positions map to exact code points here (see `rtl`).
    pub trusted: bool,
    /// What to draw for the spans, and the span-index epoch it was made for.
    pub decor: Option<(u64, Decor)>,
    last_used: u64,
}

impl LaidOut {
    /// The height of the text with its lanes, without the paragraph gap.
    pub fn text_height(&self) -> f32 {
        self.size().y
    }

    /// The size of the text with its lanes.
    pub fn size(&self) -> egui::Vec2 {
        match &self.shaped {
            Shaped::Galley(galley) => galley.rect.size(),
            Shaped::Bidi(bidi) => bidi.size(),
        }
    }
}

/// Galleys for the paragraphs shown lately, and the heights of all.
#[derive(Default)]
pub struct LayoutCache {
    key: Option<LayoutKey>,
    metrics: Metrics,
    heights: Heights,
    entries: HashMap<usize, LaidOut>,
    /// Whether each paragraph maps exactly, once it has been laid out.
    trust: Vec<Option<bool>>,
    /// How many paragraph layouts were made, ever (for tests and benchmarks).
    layouts_made: usize,
    frame: u64,
    /// Lays out and draws the paragraphs epaint cannot.
    bidi: BidiShaper,
    /// A small galley laid out every frame: egui hands back the same one until it drops
    /// its glyph atlas (the theme changed the text's coverage curve, or the atlas filled
    /// up), and then the galleys held here point into the old atlas and must go.
    atlas_probe: Option<Arc<Galley>>,
}

impl LayoutCache {
    /// Starts a frame at `key`; when the key changed (or the document did), drops all
    /// layouts and estimates every height anew. Returns whether it did.
    pub fn begin_frame(
        &mut self,
        ctx: &egui::Context,
        key: LayoutKey,
        paragraphs: &Paragraphs,
    ) -> bool {
        self.frame += 1;
        if self.atlas_renewed(ctx) {
            self.entries
                .retain(|_, entry| !matches!(entry.shaped, Shaped::Galley(_)));
        }
        if self.key == Some(key) && self.heights.len() == paragraphs.len() {
            return false;
        }
        let same_font = self.key.is_some_and(|old| {
            old.font_size == key.font_size && old.pixels_per_point == key.pixels_per_point
        });
        if !same_font || self.metrics.row_height <= 0.0 {
            self.metrics = Metrics::measure(ctx, &key);
        }
        let estimates = paragraphs
            .iter()
            .map(|p| self.metrics.estimate(p.char_len(), key.wrap_width))
            .collect();
        self.heights = Heights::from_estimates(estimates);
        self.entries.clear();
        if self.trust.len() != paragraphs.len() {
            self.trust = vec![None; paragraphs.len()];
        }
        self.key = Some(key);
        true
    }

    /// Whether egui laid its text out anew since the last frame, so that galleys laid out
    /// before show nothing.
    fn atlas_renewed(&mut self, ctx: &egui::Context) -> bool {
        let job = LayoutJob::simple(
            "stet".to_owned(),
            FontId::proportional(theme::ARTICLE_FONT_SIZE),
            Color32::PLACEHOLDER,
            f32::INFINITY,
        );
        let probe = ctx.fonts_mut(|fonts| fonts.layout_job(job));
        let renewed = self
            .atlas_probe
            .as_ref()
            .is_some_and(|old| !Arc::ptr_eq(old, &probe));
        self.atlas_probe = Some(probe);
        renewed
    }

    /// Forgets everything (another document); rasterised glyphs are kept.
    pub fn reset(&mut self) {
        let bidi = std::mem::take(&mut self.bidi);
        let atlas_probe = self.atlas_probe.take();
        *self = Self {
            bidi,
            atlas_probe,
            ..Self::default()
        };
    }

    /// Sends glyphs rasterised for bidi paragraphs to the GPU.
    pub fn upload_glyphs(&mut self) {
        self.bidi.upload();
    }

    /// The heights of all paragraphs.
    pub fn heights(&self) -> &Heights {
        &self.heights
    }

    /// How many paragraph layouts were made so far.
    pub fn layouts_made(&self) -> usize {
        self.layouts_made
    }

    /// How many laid-out paragraphs are held now.
    pub fn cached(&self) -> usize {
        self.entries.len()
    }

    /// Whether paragraph `p` maps pointer positions exactly; `None` until laid out.
    pub fn trust(&self, p: usize) -> Option<bool> {
        self.trust.get(p).copied().flatten()
    }

    /// Lays out paragraph `p` unless it already is; returns whether it laid it out now.
    pub fn ensure(
        &mut self,
        ctx: &egui::Context,
        p: usize,
        paragraphs: &Paragraphs,
        text: &str,
    ) -> bool {
        let frame = self.frame;
        if let Some(entry) = self.entries.get_mut(&p) {
            entry.last_used = frame;
            return false;
        }
        let (Some(key), Some(paragraph)) = (self.key, paragraphs.get(p)) else {
            return false;
        };
        let laid_out = lay_out(
            ctx,
            paragraph,
            text,
            &key,
            &self.metrics,
            frame,
            &mut self.bidi,
        );
        self.layouts_made += 1;
        self.heights
            .set_measured(p, laid_out.text_height() + self.metrics.paragraph_gap);
        if let Some(slot) = self.trust.get_mut(p) {
            *slot = Some(laid_out.trusted);
        }
        self.entries.insert(p, laid_out);
        true
    }

    /// Laid-out paragraph `p`, if it is held.
    pub fn get(&self, p: usize) -> Option<&LaidOut> {
        self.entries.get(&p)
    }

    /// Laid-out paragraph `p` for updating its decor, if it is held.
    pub fn get_mut(&mut self, p: usize) -> Option<&mut LaidOut> {
        self.entries.get_mut(&p)
    }

    /// Drops the least recently shown layouts beyond the cache's size.
    pub fn evict(&mut self) {
        if self.entries.len() <= MAX_CACHED {
            return;
        }
        let mut ages: Vec<(u64, usize)> = self
            .entries
            .iter()
            .map(|(&p, entry)| (entry.last_used, p))
            .collect();
        ages.sort_unstable();
        let excess = self.entries.len() - MAX_CACHED;
        for &(_, p) in ages.iter().take(excess) {
            self.entries.remove(&p);
        }
    }
}

/// Lays out one paragraph and spreads its rows apart for the lanes: with epaint, unless the
/// paragraph has right-to-left text or epaint's galley fails the one-glyph-per-character
/// check, and then with parley.
fn lay_out(
    ctx: &egui::Context,
    paragraph: &Paragraph,
    text: &str,
    key: &LayoutKey,
    metrics: &Metrics,
    frame: u64,
    bidi: &mut BidiShaper,
) -> LaidOut {
    let slice = text.get(paragraph.bytes.clone()).unwrap_or_default();
    if !paragraph.has_rtl {
        let job = LayoutJob::simple(
            slice.to_owned(),
            FontId::proportional(key.font_size),
            Color32::PLACEHOLDER,
            key.wrap_width,
        );
        let galley = ctx.fonts_mut(|fonts| fonts.layout_job(job));
        if galley_maps_chars(&galley, slice) {
            return spread_galley(&galley, metrics, frame);
        }
    }
    let style = BidiStyle {
        font_size: key.font_size,
        row_height: metrics.row_height,
        lane_room: metrics.lane_room,
        wrap_width: key.wrap_width,
        pixels_per_point: key.pixels_per_point,
    };
    let laid = bidi.lay_out(ctx, slice, &style);
    LaidOut {
        row_starts: laid.row_starts(),
        trusted: laid.exact,
        shaped: Shaped::Bidi(Box::new(laid)),
        decor: None,
        last_used: frame,
    }
}

/// An epaint galley with its rows moved apart for the lanes.
fn spread_galley(galley: &Galley, metrics: &Metrics, frame: u64) -> LaidOut {
    let mut spread = galley.clone();
    let mut mesh_bounds = Rect::NOTHING;
    let mut row_starts = Vec::with_capacity(spread.rows.len() + 1);
    let mut at = 0;
    for (i, row) in spread.rows.iter_mut().enumerate() {
        row.pos.y += i as f32 * metrics.lane_room;
        mesh_bounds |= row.visuals.mesh_bounds.translate(row.pos.to_vec2());
        row_starts.push(at);
        at += row.char_count_including_newline().0;
    }
    row_starts.push(at);
    spread.rect.max.y += spread.rows.len() as f32 * metrics.lane_room;
    spread.mesh_bounds = mesh_bounds;

    LaidOut {
        shaped: Shaped::Galley(Arc::new(spread)),
        row_starts,
        trusted: true,
        decor: None,
        last_used: frame,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// News-like paragraphs of 300–900 code points.
    fn article() -> String {
        let words = [
            "the",
            "minister",
            "said",
            "on",
            "Tuesday",
            "that",
            "talks",
            "would",
            "resume",
            "officials",
            "reported",
            "۱۱۶۵۳۸۱",
            "“record”",
            "according",
            "government",
            "denied",
        ];
        let mut text = String::new();
        let mut state = 12_345u64;
        for _ in 0..120 {
            let target = 300 + (state % 600) as usize;
            let start = text.len();
            while text.len() - start < target {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                text.push_str(words[(state >> 33) as usize % words.len()]);
                text.push(' ');
            }
            text.push_str(".\n\n");
        }
        text
    }

    #[test]
    fn estimates_come_close_to_real_heights() {
        let ctx = egui::Context::default();
        ctx.set_fonts(theme::font_definitions(false));
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let text = article();
        let paragraphs = Paragraphs::build(&text);
        for wrap_width in [300.0, 600.0, 950.0] {
            let mut cache = LayoutCache::default();
            let key = LayoutKey {
                wrap_width,
                font_size: theme::ARTICLE_FONT_SIZE,
                pixels_per_point: 1.0,
            };
            assert!(cache.begin_frame(&ctx, key, &paragraphs));
            let estimated = cache.heights().total();
            for p in 0..paragraphs.len() {
                cache.ensure(&ctx, p, &paragraphs, &text);
            }
            let measured = cache.heights().total();
            let error = (estimated / measured - 1.0).abs();
            assert!(
                error < 0.05,
                "at {wrap_width}: estimated {estimated}, measured {measured}"
            );
            assert_eq!(cache.layouts_made(), paragraphs.len());
            cache.evict();
            assert!(cache.cached() <= MAX_CACHED);
        }
    }
}
