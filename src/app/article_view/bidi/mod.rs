//! Paragraphs epaint cannot draw or map exactly (right-to-left and mixed text), laid out by
//! parley: full bidi reordering (UAX #9), line breaking (UAX #14), shaping with harfrust,
//! and hit-testing to logical byte offsets at grapheme boundaries; drawn by us from glyph
//! quads (see `glyphs`).
//!
//! Everything here is paragraph-local, as in `geometry`: positions relative to the
//! paragraph's top-left, rows spread apart by the lane room like epaint rows, offsets in
//! code points of the paragraph.

mod glyphs;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use egui::epaint::Mesh;
use egui::{Color32, FontFamily, Pos2, Rect, pos2};
use parley::fontique::{Blob, FontInfoOverride};
use parley::layout::{Affinity, Alignment, AlignmentOptions, PositionedLayoutItem};
use parley::style::{FontFamilyName, LineHeight, OverflowWrap, StyleProperty};
use parley::{Cluster, Cursor, FontContext, Layout, LayoutContext};

pub use glyphs::{GlyphAtlas, tinted};

/// What lays out bidi paragraphs: parley's font and layout contexts over the same fonts as
/// egui's proportional family, in the same order, and the glyph atlas.
#[derive(Default)]
pub struct BidiShaper {
    fonts: Option<Fonts>,
    layouts: LayoutContext<()>,
    atlas: GlyphAtlas,
}

/// How a paragraph is to be laid out.
#[derive(Clone, Copy, Debug)]
pub struct BidiStyle {
    pub font_size: f32,
    pub row_height: f32,
    pub lane_room: f32,
    pub wrap_width: f32,
    pub pixels_per_point: f32,
}

/// One paragraph laid out by parley.
pub struct BidiParagraph {
    layout: Layout<()>,
    /// The byte offset (in the paragraph) where each code point starts, and the length last.
    char_bytes: Vec<u32>,
    /// Each line's text box: its inline extent and its block extent, rows spread apart.
    lines: Vec<Rect>,
    /// How far each line was moved down to leave room for the lanes above it.
    shifts: Vec<f32>,
    /// Each line's runs in visual order, with the x of every code-point boundary, so that
    /// the rectangles of a range are found without walking the line's clusters.
    runs: Vec<Vec<RunGeometry>>,
    /// The glyph quads, one mesh per atlas page, untinted.
    meshes: Vec<Mesh>,
    /// The whole paragraph's size.
    size: egui::Vec2,
    /// Whether every cluster maps to whole code points, contiguously (the self-check).
    pub exact: bool,
}

/// One run of a line: its code points (paragraph-local), its direction, and the x of the
/// boundary before each of its code points (and after the last), in logical order.
#[derive(Clone, Debug)]
struct RunGeometry {
    chars: Range<usize>,
    rtl: bool,
    edges: Vec<f32>,
}

impl RunGeometry {
    /// The x extent of the part of `range` in this run, if any.
    fn extent(&self, range: &Range<usize>) -> Option<(f32, f32)> {
        let a = range.start.max(self.chars.start);
        let b = range.end.min(self.chars.end);
        if a >= b {
            return None;
        }
        let x = |at: usize| {
            self.edges
                .get(at - self.chars.start)
                .copied()
                .unwrap_or(0.0)
        };
        let (xa, xb) = (x(a), x(b));
        Some(if self.rtl { (xb, xa) } else { (xa, xb) })
    }
}

/// parley's font database over egui's proportional fonts, and the stack naming them in
/// egui's order.
struct Fonts {
    context: FontContext,
    /// The family names, first choice first.
    stack: parley::style::FontFamily<'static>,
}

impl Fonts {
    /// Registers the fonts of egui's proportional family, in its order.
    fn register(ctx: &egui::Context) -> Self {
        let definitions = ctx.fonts(|fonts| fonts.definitions().clone());
        let mut context = FontContext::default();
        let mut families: Vec<String> = Vec::new();
        let order = definitions
            .families
            .get(&FontFamily::Proportional)
            .cloned()
            .unwrap_or_default();
        for data in order
            .iter()
            .filter_map(|name| definitions.font_data.get(name))
        {
            let blob = Blob::new(data.font.clone());
            let registered = context
                .collection
                .register_fonts(blob, None::<FontInfoOverride<'_>>);
            for (family, _) in registered {
                if let Some(name) = context.collection.family_name(family)
                    && !families.iter().any(|f| f == name)
                {
                    families.push(name.to_owned());
                }
            }
        }
        let stack = parley::style::FontFamily::List(Cow::Owned(
            families
                .iter()
                .map(|name| FontFamilyName::named(name.as_str()).into_owned())
                .collect(),
        ));
        Self { context, stack }
    }
}

impl BidiShaper {
    /// Lays out `text` (one paragraph, no line breaks) and prepares its glyph quads.
    pub fn lay_out(&mut self, ctx: &egui::Context, text: &str, style: &BidiStyle) -> BidiParagraph {
        let fonts = self.fonts.get_or_insert_with(|| Fonts::register(ctx));
        let mut builder = self
            .layouts
            .ranged_builder(&mut fonts.context, text, 1.0, true);
        builder.push_default(StyleProperty::FontSize(style.font_size));
        builder.push_default(StyleProperty::FontFamily(fonts.stack.clone()));
        builder.push_default(StyleProperty::LineHeight(LineHeight::Absolute(
            style.row_height,
        )));
        // A word longer than the line is broken, as epaint does, rather than drawn past it.
        builder.push_default(StyleProperty::OverflowWrap(OverflowWrap::Anywhere));
        let mut layout: Layout<()> = builder.build(text);
        layout.break_all_lines(Some(style.wrap_width));
        layout.align(Alignment::Start, AlignmentOptions::default());
        BidiParagraph::new(ctx, layout, text, style, &mut self.atlas)
    }

    /// Sends newly rasterised glyphs to the GPU (once per frame, after laying out).
    pub fn upload(&mut self) {
        self.atlas.upload();
    }
}

impl BidiParagraph {
    fn new(
        ctx: &egui::Context,
        layout: Layout<()>,
        text: &str,
        style: &BidiStyle,
        atlas: &mut GlyphAtlas,
    ) -> Self {
        let mut char_bytes: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
        char_bytes.push(text.len() as u32);
        let ppp = style.pixels_per_point.max(0.1);
        let mut lines = Vec::new();
        let mut shifts = Vec::new();
        let mut runs = Vec::new();
        let mut meshes = Vec::new();
        let char_of = |byte: usize| char_at_byte(&char_bytes, byte);
        for (i, line) in layout.lines().enumerate() {
            let mut line_runs = Vec::new();
            let shift = i as f32 * style.lane_room;
            let metrics = line.metrics();
            let (mut left, mut right) = (f32::INFINITY, f32::NEG_INFINITY);
            for item in line.items() {
                let PositionedLayoutItem::GlyphRun(run) = item else {
                    continue;
                };
                left = left.min(run.offset());
                right = right.max(run.offset() + run.advance());
                line_runs.extend(run_geometry(&run, &char_of));
                let font = run.run().font();
                let bytes = font.data.data();
                let size_px = run.run().font_size() * ppp;
                for glyph in run.positioned_glyphs() {
                    let g = glyphs::GlyphRef {
                        font_bytes: bytes,
                        font_id: font.data.id(),
                        font_index: font.index,
                        glyph: glyph.id,
                        size_px,
                        x_px: glyph.x * ppp,
                        y_px: (glyph.y + shift) * ppp,
                    };
                    atlas.add_quad(ctx, &mut meshes, &g, ppp);
                }
            }
            if left > right {
                (left, right) = (metrics.offset, metrics.offset);
            }
            lines.push(Rect::from_x_y_ranges(
                left..=right,
                metrics.block_min_coord + shift..=metrics.block_max_coord + shift,
            ));
            shifts.push(shift);
            runs.push(line_runs);
        }
        let height = lines.last().map_or(0.0, |r| r.bottom());
        let exact = clusters_are_exact(&layout, &char_bytes);
        Self {
            size: egui::vec2(style.wrap_width.max(layout.width()), height),
            layout,
            char_bytes,
            lines,
            shifts,
            runs,
            meshes,
            exact,
        }
    }

    /// The paragraph's size (the wrap width, and its rows with their lanes).
    pub fn size(&self) -> egui::Vec2 {
        self.size
    }

    /// How many rows (lines) it has.
    pub fn rows(&self) -> usize {
        self.lines.len()
    }

    /// The code point that starts each row, and the paragraph's length last.
    pub fn row_starts(&self) -> Vec<usize> {
        let mut starts: Vec<usize> = self
            .layout
            .lines()
            .map(|line| self.char_of(line.text_range().start))
            .collect();
        starts.push(self.char_bytes.len() - 1);
        starts
    }

    /// The code point starting at (or containing) byte `byte`.
    fn char_of(&self, byte: usize) -> usize {
        char_at_byte(&self.char_bytes, byte)
    }

    /// The byte where code point `at` starts (the end for `at` past it).
    fn byte_of(&self, at: usize) -> usize {
        let last = self.char_bytes.len() - 1;
        self.char_bytes[at.min(last)] as usize
    }

    /// Row `row`'s text rectangle.
    pub fn row_rect(&self, row: usize) -> Rect {
        self.lines.get(row).copied().unwrap_or(Rect::NOTHING)
    }

    /// The row whose band (text and lanes below) holds `y`.
    fn row_at_y(&self, y: f32) -> usize {
        self.lines
            .partition_point(|line| line.top() <= y)
            .saturating_sub(1)
    }

    /// Moves a point of the spread paragraph into parley's coordinates, clamped into its
    /// row's text.
    fn unspread(&self, pos: Pos2) -> (usize, Pos2) {
        let row = self.row_at_y(pos.y);
        let text = self.row_rect(row);
        let y = pos.y.clamp(
            text.top() + 0.5,
            (text.bottom() - 0.5).max(text.top() + 0.5),
        );
        let shift = self.shifts.get(row).copied().unwrap_or(0.0);
        (row, pos2(pos.x, y - shift))
    }

    /// Rectangles covering the paragraph-local code points `range`: one per visual piece, so
    /// a line mixing directions gives several. Each run the range touches gives an interval;
    /// intervals that touch on the screen are one piece.
    pub fn range_rects(&self, range: Range<usize>) -> Vec<Rect> {
        let mut rects = Vec::new();
        if range.start >= range.end {
            return rects;
        }
        for (line, runs) in self.runs.iter().enumerate() {
            let touches = runs
                .iter()
                .any(|r| r.chars.start < range.end && range.start < r.chars.end);
            if !touches {
                continue;
            }
            let Some(text) = self.lines.get(line) else {
                break;
            };
            let mut piece: Option<(f32, f32)> = None;
            for run in runs {
                let Some((x0, x1)) = run.extent(&range) else {
                    continue;
                };
                piece = match piece {
                    Some((p0, p1)) if (x0 - p1).abs() < 0.01 => Some((p0, x1)),
                    Some((p0, p1)) => {
                        push_piece(&mut rects, p0, p1, text);
                        Some((x0, x1))
                    }
                    None => Some((x0, x1)),
                };
            }
            if let Some((p0, p1)) = piece {
                push_piece(&mut rects, p0, p1, text);
            }
        }
        rects
    }

    /// The boundary nearest to `pos` (a grapheme boundary), in code points.
    pub fn cursor_at(&self, pos: Pos2) -> usize {
        if self.lines.is_empty() || pos.y < 0.0 {
            return 0;
        }
        if pos.y >= self.size.y {
            return self.char_bytes.len() - 1;
        }
        let (_, at) = self.unspread(pos);
        let cursor = Cursor::from_point(&self.layout, at.x, at.y);
        self.char_of(cursor.index())
    }

    /// The first code point of the cluster drawn under `pos`, if any.
    pub fn char_under(&self, pos: Pos2) -> Option<usize> {
        if self.lines.is_empty() || pos.y < 0.0 || pos.y >= self.size.y {
            return None;
        }
        let (_, at) = self.unspread(pos);
        let (cluster, _) = Cluster::from_point_exact(&self.layout, at.x, at.y)?;
        Some(self.char_of(cluster.text_range().start))
    }

    /// The caret before code point `at` (downstream), or after the code point before it
    /// (upstream), on row `row`: its top-left and height.
    pub fn caret(&self, at: usize, upstream: bool, row: usize) -> (Pos2, f32) {
        let affinity = if upstream {
            Affinity::Upstream
        } else {
            Affinity::Downstream
        };
        let cursor = Cursor::from_byte_index(&self.layout, self.byte_of(at), affinity);
        let x = cursor.geometry(&self.layout, 0.0).x0 as f32;
        let text = self.row_rect(row);
        (pos2(x, text.top()), text.height())
    }

    /// Adds the glyph meshes, moved to `origin` and in `color`, to `painter`.
    pub fn paint(&self, painter: &egui::Painter, origin: Pos2, color: Color32, dark_mode: bool) {
        // Whole pixels, as the glyphs were placed on the pixel grid.
        let ppp = painter.pixels_per_point().max(0.1);
        let offset = (origin.to_vec2() * ppp).round() / ppp;
        for mesh in &self.meshes {
            let mesh = tinted(mesh, offset, color, dark_mode);
            painter.add(egui::Shape::mesh(Arc::new(mesh)));
        }
    }
}

/// The code point starting at (or containing) byte `byte`, given each code point's first byte.
fn char_at_byte(char_bytes: &[u32], byte: usize) -> usize {
    char_bytes
        .partition_point(|&b| (b as usize) <= byte)
        .saturating_sub(1)
}

/// Adds the rectangle `x0..x1` over a line's text box, if it has a width.
fn push_piece(rects: &mut Vec<Rect>, x0: f32, x1: f32, text: &Rect) {
    if x1 > x0 {
        rects.push(Rect::from_x_y_ranges(x0..=x1, text.y_range()));
    }
}

/// The geometry of one glyph run of a line: the x of each code-point boundary in it.
fn run_geometry(
    run: &parley::layout::GlyphRun<'_, ()>,
    char_of: &impl Fn(usize) -> usize,
) -> Option<RunGeometry> {
    let rtl = run.run().is_rtl();
    // (first code point, code points, left x, right x) per cluster, in visual order.
    let mut clusters = Vec::new();
    let mut x = run.offset();
    for cluster in run.run().visual_clusters() {
        let bytes = cluster.text_range();
        let advance = cluster.advance();
        clusters.push((char_of(bytes.start), char_of(bytes.end), x, x + advance));
        x += advance;
    }
    let start = clusters.iter().map(|c| c.0).min()?;
    let end = clusters.iter().map(|c| c.1).max()?;
    let mut edges = vec![if rtl { run.offset() } else { x }; end - start + 1];
    for &(first, last, left, right) in &clusters {
        for at in first..last.max(first + 1) {
            if let Some(edge) = edges.get_mut(at - start) {
                *edge = if rtl { right } else { left };
            }
        }
    }
    Some(RunGeometry {
        chars: start..end,
        rtl,
        edges,
    })
}

/// Whether the clusters of `layout`, in logical order, cover the text contiguously and each
/// starts and ends on a code-point boundary.
fn clusters_are_exact(layout: &Layout<()>, char_bytes: &[u32]) -> bool {
    let total = char_bytes.last().copied().unwrap_or(0) as usize;
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for line in layout.lines() {
        for run in line.runs() {
            for cluster in run.clusters() {
                ranges.push(cluster.text_range());
            }
        }
    }
    ranges.sort_by_key(|r| r.start);
    let on_boundary = |b: usize| char_bytes.binary_search(&(b as u32)).is_ok();
    let mut at = 0;
    for range in ranges {
        if range.start != at || !on_boundary(range.end) {
            return false;
        }
        at = range.end;
    }
    at == total
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    use super::*;
    use crate::app::theme;

    fn context() -> egui::Context {
        let ctx = egui::Context::default();
        ctx.set_fonts(theme::font_definitions(false));
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        ctx
    }

    fn style(wrap_width: f32) -> BidiStyle {
        BidiStyle {
            font_size: theme::ARTICLE_FONT_SIZE,
            row_height: 19.0,
            lane_room: 9.0,
            wrap_width,
            pixels_per_point: 1.0,
        }
    }

    /// The code-point offsets of every extended grapheme boundary of `text`.
    fn grapheme_boundaries(text: &str) -> BTreeSet<usize> {
        let mut out: BTreeSet<usize> = text
            .grapheme_indices(true)
            .map(|(b, _)| text[..b].chars().count())
            .collect();
        out.insert(text.chars().count());
        out
    }

    /// Every boundary a pointer sweeping each row at a quarter pixel lands on.
    fn swept(laid: &BidiParagraph) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        for row in 0..laid.rows() {
            let rect = laid.row_rect(row);
            let mut x = rect.left() - 4.0;
            while x <= rect.right() + 4.0 {
                out.insert(laid.cursor_at(pos2(x, rect.center().y)));
                x += 0.25;
            }
        }
        out
    }

    /// Marks with no ink of their own, and spaces.
    fn is_invisible(c: char) -> bool {
        matches!(c, '\u{200e}' | '\u{200f}') || c.is_whitespace()
    }

    /// Persian letters, ZWNJ, harakat, a lam-alef, Latin, both digit sets, brackets, marks.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "سخنگوی",
            "کرملین",
            "می\u{200c}شود",
            "گفت\u{200c}وگو",
            "لا",
            "بِسْمِ",
            "Times",
            "Tehran",
            "۱۲۳۴",
            "۲۰٪",
            "٠١٢",
            "70,000",
            "(",
            ")",
            "«",
            "»",
            "\u{200f}",
            "\u{200e}",
            " ",
            " ",
            " ",
            "،",
            ".",
            "השיחה",
            "ۓ",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn every_grapheme_boundary_is_reachable_and_maps_back(
            pieces in prop::collection::vec(piece(), 1..40),
            wrap_width in 80.0f32..700.0,
        ) {
            let text: String = pieces.concat();
            let ctx = context();
            let mut shaper = BidiShaper::default();
            let laid = shaper.lay_out(&ctx, &text, &style(wrap_width));
            prop_assert!(laid.exact, "self-check failed for {text:?}");
            let chars: Vec<char> = text.chars().collect();
            let boundaries = grapheme_boundaries(&text);
            let reached = swept(&laid);
            // The pointer only ever lands on grapheme boundaries, never between a letter and
            // its marks ...
            prop_assert!(reached.is_subset(&boundaries), "{text:?}: {reached:?}");
            // ... and reaches every one that has ink on both sides (next to a space or a
            // direction mark two boundaries can share one place on the screen).
            // Where a word longer than the line is broken inside, the break is the end of one
            // row and the start of the next and can land on either; those are left out.
            let row_starts = laid.row_starts();
            for &b in &boundaries {
                let broken_word = row_starts[1..].contains(&b)
                    && b.checked_sub(1).and_then(|p| chars.get(p)).is_some_and(|c| !c.is_whitespace());
                if broken_word {
                    continue;
                }
                let next = chars.get(b).copied();
                let prev = b.checked_sub(1).and_then(|p| chars.get(p).copied());
                if next.is_none_or(is_invisible) || prev.is_none_or(is_invisible) {
                    continue;
                }
                prop_assert!(reached.contains(&b), "{text:?} at {wrap_width}: {b} not reached");
            }
            // Each grapheme with ink has a rectangle, and the character under its centre is in
            // that grapheme.
            let list: Vec<usize> = boundaries.iter().copied().collect();
            for pair in list.windows(2) {
                let (start, end) = (pair[0], pair[1]);
                if chars[start..end].iter().all(|&c| is_invisible(c)) {
                    continue;
                }
                let rects = laid.range_rects(start..end);
                prop_assert!(!rects.is_empty(), "{text:?}: no rectangle for {start}..{end}");
                let under = laid.char_under(rects[0].center());
                prop_assert!(
                    under.is_some_and(|u| (start..end).contains(&u)),
                    "{text:?}: under {start}..{end} is {under:?}"
                );
            }
        }
    }

    #[test]
    fn a_paragraph_uses_egui_fonts_at_egui_sizes() {
        let ctx = context();
        let mut shaper = BidiShaper::default();
        let laid = shaper.lay_out(&ctx, "Times نوشت", &style(600.0));
        let first = match shaper.fonts.as_ref().map(|f| &f.stack) {
            Some(parley::style::FontFamily::List(list)) => list.first().cloned(),
            _ => None,
        };
        assert_eq!(first, Some(FontFamilyName::named("DejaVu Sans")));
        // "Times" as wide as epaint draws it, within a pixel.
        let width: f32 = laid.range_rects(0..5).iter().map(|r| r.width()).sum();
        let epaint = ctx.fonts_mut(|f| {
            f.layout_no_wrap(
                "Times".into(),
                egui::FontId::proportional(theme::ARTICLE_FONT_SIZE),
                Color32::WHITE,
            )
            .rect
            .width()
        });
        assert!(
            (width - epaint).abs() < 1.0,
            "parley {width}, epaint {epaint}"
        );
        // One row of egui's row height, and glyphs to draw.
        assert_eq!(laid.rows(), 1);
        assert_eq!(laid.row_rect(0).height(), 19.0);
        assert!(!laid.meshes.is_empty());
    }
}
