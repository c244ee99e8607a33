//! Where characters are in a laid-out paragraph, and which character is at a point.
//!
//! Positions here are relative to the paragraph's galley (its top-left corner); `CCursor`s
//! count characters, which are the paragraph-local code points once the paragraph is
//! trusted (see `rtl`).

use std::ops::Range;

use egui::epaint::text::cursor::CCursor;
use egui::{Pos2, Rect, pos2, vec2};

use super::layout_cache::{LaidOut, Shaped};
use crate::app::theme;

impl LaidOut {
    /// The row holding paragraph-local code point `at` (the last row for the end).
    pub fn row_of(&self, at: usize) -> usize {
        let rows = self.row_count();
        self.row_starts
            .partition_point(|&start| start <= at)
            .saturating_sub(1)
            .min(rows.saturating_sub(1))
    }

    /// How many rows the paragraph has.
    pub fn row_count(&self) -> usize {
        match &self.shaped {
            Shaped::Galley(galley) => galley.rows.len(),
            Shaped::Bidi(bidi) => bidi.rows(),
        }
    }

    /// The galley, for a paragraph epaint laid out.
    fn galley(&self) -> Option<&egui::Galley> {
        match &self.shaped {
            Shaped::Galley(galley) => Some(galley),
            Shaped::Bidi(_) => None,
        }
    }

    /// The x of the boundary before code point `at` on row `row` (epaint rows only).
    fn x_on_row(&self, row: usize, at: usize) -> f32 {
        let Some(placed) = self.galley().and_then(|g| g.rows.get(row)) else {
            return 0.0;
        };
        let start = self.row_starts.get(row).copied().unwrap_or(0);
        let column = at.saturating_sub(start);
        placed.pos.x + placed.row.x_offset(egui::epaint::text::CharIndex(column))
    }

    /// The rectangle of row `row`'s text (without its lanes).
    pub fn row_text_rect(&self, row: usize) -> Rect {
        match &self.shaped {
            Shaped::Galley(galley) => galley
                .rows
                .get(row)
                .map_or(Rect::NOTHING, |placed| placed.rect()),
            Shaped::Bidi(bidi) => bidi.row_rect(row),
        }
    }

    /// One rectangle per row covering the paragraph-local range (text height only).
    /// (For a bidi paragraph: one per visual piece, so a mixed line can give several.)
    pub fn range_rects(&self, range: Range<usize>) -> Vec<Rect> {
        if let Shaped::Bidi(bidi) = &self.shaped {
            return bidi.range_rects(range);
        }
        let mut rects = Vec::new();
        if range.start >= range.end || self.row_count() == 0 {
            return rects;
        }
        let first = self.row_of(range.start);
        let last = self.row_of(range.end - 1);
        for row in first..=last {
            let text = self.row_text_rect(row);
            let row_end = self.row_starts.get(row + 1).copied().unwrap_or(0);
            let x0 = if row == first {
                self.x_on_row(row, range.start)
            } else {
                text.left()
            };
            let x1 = if row == last && range.end < row_end {
                self.x_on_row(row, range.end)
            } else {
                text.right()
            };
            if x1 >= x0 {
                rects.push(Rect::from_x_y_ranges(x0..=x1, text.y_range()));
            }
        }
        rects
    }

    /// The rectangle of underline lane `lane` below a text rectangle of some row.
    pub fn lane_rect(text_rect: Rect, lane: usize) -> Rect {
        let top = text_rect.bottom()
            + theme::LANE_GAP
            + lane as f32 * (theme::LANE_HEIGHT + theme::LANE_GAP);
        Rect::from_x_y_ranges(text_rect.x_range(), top..=top + theme::LANE_HEIGHT)
    }

    /// The row whose band (text and lanes below it) holds height `y`, clamped.
    fn row_at_y(&self, y: f32) -> usize {
        let Some(galley) = self.galley() else {
            return 0;
        };
        let below = galley.rows.partition_point(|placed| placed.pos.y <= y);
        below.saturating_sub(1)
    }

    /// The boundary nearest to `pos` (paragraph-local code point), via `cursor_from_pos`.
    pub fn cursor_at(&self, pos: Pos2) -> usize {
        let galley = match &self.shaped {
            Shaped::Galley(galley) => galley,
            Shaped::Bidi(bidi) => return bidi.cursor_at(pos),
        };
        if galley.rows.is_empty() {
            return 0;
        }
        let total = self.row_starts.last().copied().unwrap_or(0);
        if pos.y < 0.0 {
            return 0;
        }
        if pos.y >= galley.rect.bottom() {
            return total;
        }
        // Clamp into the row's text, so a pointer over the lanes selects in the row above.
        let text = self.row_text_rect(self.row_at_y(pos.y));
        let y = pos.y.clamp(text.top() + 0.5, text.bottom() - 0.5);
        let cursor: CCursor = galley.cursor_from_pos(vec2(pos.x, y));
        let mut at = cursor.index.0.min(total);
        // A boundary inside a ligature or before a combining mark is drawn at the same x as
        // the cluster's end; move it there, so that what is shown is what is selected.
        while at < total && self.glyph(at).is_some_and(|g| g.advance_width == 0.0) {
            at += 1;
        }
        at
    }

    /// The glyph of paragraph-local code point `at`.
    fn glyph(&self, at: usize) -> Option<&egui::epaint::text::Glyph> {
        let row = self.row_of(at);
        let start = self.row_starts.get(row).copied()?;
        self.galley()?.rows.get(row)?.row.glyphs.get(at - start)
    }

    /// The code point whose glyph is under `pos`, if any (not past a row's end).
    pub fn char_under(&self, pos: Pos2) -> Option<usize> {
        let galley = match &self.shaped {
            Shaped::Galley(galley) => galley,
            Shaped::Bidi(bidi) => return bidi.char_under(pos),
        };
        if pos.y < 0.0 || pos.y >= galley.rect.bottom() {
            return None;
        }
        let row = self.row_at_y(pos.y);
        let placed = galley.rows.get(row)?;
        let start = self.row_starts.get(row).copied()?;
        let x = pos.x - placed.pos.x;
        placed
            .row
            .glyphs
            .iter()
            .position(|g| g.pos.x <= x && x < g.max_x())
            .map(|column| start + column)
    }

    /// The top-left of the boundary before paragraph-local code point `at`, and the row's
    /// text height there.
    pub fn caret(&self, at: usize) -> (Pos2, f32) {
        if let Shaped::Bidi(bidi) = &self.shaped {
            return bidi.caret(at, false, self.row_of(at));
        }
        let row = self.row_of(at);
        let text = self.row_text_rect(row);
        (pos2(self.x_on_row(row, at), text.top()), text.height())
    }

    /// The boundary after the last code point of a non-empty range, on the last row's line
    /// (unlike `caret`, which puts the end of a row at the start of the next one).
    pub fn caret_after(&self, end: usize) -> (Pos2, f32) {
        if end == 0 {
            return self.caret(0);
        }
        if let Shaped::Bidi(bidi) = &self.shaped {
            return bidi.caret(end, true, self.row_of(end - 1));
        }
        let row = self.row_of(end - 1);
        let text = self.row_text_rect(row);
        let row_end = self.row_starts.get(row + 1).copied().unwrap_or(0);
        let x = if end < row_end {
            self.x_on_row(row, end)
        } else {
            text.right()
        };
        (pos2(x, text.top()), text.height())
    }
}
