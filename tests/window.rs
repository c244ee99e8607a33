//! Desktop manners, as a new user meets them (egui_kittest): themes, focus, prompts and
//! windows, small windows, the keyboard, what is remembered across restarts.

// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui::Theme;
use egui_kittest::Harness;
use stet::app::{ScriptedDialogs, StetApp};

#[path = "common/needs.rs"]
mod needs;
#[path = "common/window.rs"]
mod window;

use window::*;

/// How many pixels inside the boxes of `needle`'s characters stand out from the
/// background (the text's ink), in the last rendered frame.
fn ink(harness: &mut Harness<'_, StetApp>, needle: &str) -> usize {
    let image = harness.render().unwrap();
    let ppp = harness.ctx.pixels_per_point();
    let start = offset_of(harness, needle);
    let mut lumas = Vec::new();
    for at in start..start + needle.chars().count() {
        let rect = rect_of(harness, at);
        let (x0, y0) = ((rect.left() * ppp) as u32, (rect.top() * ppp) as u32);
        let (x1, y1) = ((rect.right() * ppp) as u32, (rect.bottom() * ppp) as u32);
        for y in y0..y1.min(image.height()) {
            for x in x0..x1.min(image.width()) {
                let [r, g, b, _] = image.get_pixel(x, y).0;
                lumas.push((u32::from(r) * 3 + u32::from(g) * 6 + u32::from(b)) / 10);
            }
        }
    }
    let mut sorted = lumas.clone();
    sorted.sort_unstable();
    let background = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
    lumas
        .iter()
        .filter(|&&l| l.abs_diff(background) > 60)
        .count()
}

const LATE_WORDS: &str = "The risks for Putin of going through with such an invasion";

#[test]
fn switching_the_theme_repaints_the_article_text() {
    if !needs::or_skip("theme switch", needs::vulkan_missing()) {
        return;
    }
    let setup = setup();
    let dark = Window {
        theme: Theme::Dark,
        wgpu: true,
        ..Window::default()
    };
    let fresh = ink(
        &mut app_in(&setup.project, ScriptedDialogs::default(), dark),
        LATE_WORDS,
    );
    assert!(fresh > 300, "the dark window shows the text ({fresh} px)");

    let light = Window {
        wgpu: true,
        ..Window::default()
    };
    let mut harness = app_in(&setup.project, ScriptedDialogs::default(), light);
    let before = ink(&mut harness, LATE_WORDS);
    assert!(
        before > 300,
        "the light window shows the text ({before} px)"
    );
    for theme in ["Dark", "Light", "Dark"] {
        menu(&mut harness, "View", theme);
        harness.run();
    }
    let after = ink(&mut harness, LATE_WORDS);
    assert!(
        after * 10 >= fresh * 9,
        "after switching to dark the text shows as in a window started dark: {after} px of ink, {fresh} when started dark"
    );
}
