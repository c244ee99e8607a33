//! Our own text selection: what a drag is doing, and what it yields when released.
//!
//! Pointer positions become (paragraph, code point) pairs in `mod.rs`; here those pairs are
//! turned into actions: snapped to words or trimmed, refused where the paragraph cannot be
//! mapped exactly, dropped when empty.

use super::ArticleAction;
use crate::model::{CharIndex, CharRange, snap_to_words, trim_whitespace, word_at};

/// Why a selection is refused in a paragraph whose layout failed its self-check (shown in the
/// status bar). Right-to-left text is laid out by parley and maps exactly; this is the safety
/// net for anything that still does not.
pub const RTL_REFUSAL: &str = "stet cannot map this paragraph exactly yet; tag it from the \
    keyboard or import the spans";

/// Shown on the margin marker of a paragraph that cannot be mapped exactly.
pub const RTL_MARKER_TOOLTIP: &str = "stet cannot map this paragraph exactly yet, so selections \
    and clicks here are refused rather than stored with guessed offsets; tag it from the \
    keyboard or import the spans.";

/// A point in the text found under the pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextPoint {
    /// The paragraph whose layout produced the offset.
    pub paragraph: usize,
    /// The code-point offset in the whole text.
    pub offset: usize,
}

/// Which end of a span a resize drag moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanEnd {
    Start,
    End,
}

/// What a drag does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DragKind {
    /// Selects text from the anchor to the pointer.
    Select,
    /// Moves one end of span `id`; the other end stays at `fixed`.
    Resize { id: i64, end: SpanEnd, fixed: usize },
}

/// A drag in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Drag {
    pub kind: DragKind,
    /// Where the drag started (for a resize: where the moving end was).
    pub anchor: TextPoint,
    /// Where the pointer is now.
    pub current: TextPoint,
}

impl Drag {
    /// The raw range covered so far (unsnapped), for painting while dragging.
    pub fn live_range(&self) -> CharRange {
        let from = match self.kind {
            DragKind::Select => self.anchor.offset,
            DragKind::Resize { fixed, .. } => fixed,
        };
        ordered(from, self.current.offset)
    }
}

/// The range between two offsets, whichever comes first.
pub fn ordered(a: usize, b: usize) -> CharRange {
    CharRange::new(a.min(b), a.max(b))
}

/// Snaps or trims a raw range: whole words when `snap` (the caller has already applied
/// Alt's inversion), otherwise character precision without edge whitespace.
pub fn finish_range(text: &str, index: &CharIndex, raw: CharRange, snap: bool) -> CharRange {
    if snap {
        snap_to_words(text, index, raw)
    } else {
        trim_whitespace(text, index, raw)
    }
}

/// What a released drag yields, given whether each paragraph it touches maps exactly.
///
/// `trusted(p)` must be false for a paragraph whose mapping is untrustworthy (or unknown).
pub fn finish_drag(
    drag: &Drag,
    text: &str,
    index: &CharIndex,
    snap: bool,
    trusted: impl Fn(usize) -> bool,
) -> Option<ArticleAction> {
    let moving_untrusted = !trusted(drag.current.paragraph);
    match drag.kind {
        DragKind::Select => {
            if moving_untrusted || !trusted(drag.anchor.paragraph) {
                return Some(ArticleAction::Refused(RTL_REFUSAL.to_owned()));
            }
            let range = finish_range(text, index, drag.live_range(), snap);
            (!range.is_empty()).then_some(ArticleAction::Selected(range))
        }
        DragKind::Resize { id, .. } => {
            if moving_untrusted {
                return Some(ArticleAction::Refused(RTL_REFUSAL.to_owned()));
            }
            let range = finish_range(text, index, drag.live_range(), snap);
            (!range.is_empty()).then_some(ArticleAction::Resized { id, range })
        }
    }
}

/// What a double-click on code point `at` yields: the word there, if any.
pub fn double_click(
    text: &str,
    index: &CharIndex,
    at: TextPoint,
    trusted: bool,
) -> Option<ArticleAction> {
    if !trusted {
        return Some(ArticleAction::Refused(RTL_REFUSAL.to_owned()));
    }
    word_at(text, index, at.offset).map(ArticleAction::Selected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(paragraph: usize, offset: usize) -> TextPoint {
        TextPoint { paragraph, offset }
    }

    #[test]
    fn drags_snap_trim_and_refuse() {
        let text = "Peskov added “the presidents will decide”.\nسلام world";
        let index = CharIndex::new(text);
        let drag = Drag {
            kind: DragKind::Select,
            anchor: point(0, 10),
            current: point(0, 3),
        };
        let trusted = |p: usize| p == 0;
        assert_eq!(
            finish_drag(&drag, text, &index, true, trusted),
            Some(ArticleAction::Selected(CharRange::new(0, 12)))
        );
        assert_eq!(
            finish_drag(&drag, text, &index, false, trusted),
            Some(ArticleAction::Selected(CharRange::new(3, 10)))
        );
        let blank = Drag {
            anchor: point(0, 6),
            current: point(0, 7),
            ..drag
        };
        assert_eq!(finish_drag(&blank, text, &index, true, trusted), None);
        let into_rtl = Drag {
            current: point(1, 45),
            ..drag
        };
        assert!(matches!(
            finish_drag(&into_rtl, text, &index, true, trusted),
            Some(ArticleAction::Refused(reason)) if reason.contains("cannot map this paragraph")
        ));
    }

    #[test]
    fn resizing_keeps_the_fixed_end() {
        let text = "one two three four";
        let index = CharIndex::new(text);
        let drag = Drag {
            kind: DragKind::Resize {
                id: 7,
                end: SpanEnd::End,
                fixed: 4,
            },
            anchor: point(0, 7),
            current: point(0, 10),
        };
        assert_eq!(
            finish_drag(&drag, text, &index, true, |_| true),
            Some(ArticleAction::Resized {
                id: 7,
                range: CharRange::new(4, 13)
            })
        );
    }
}
