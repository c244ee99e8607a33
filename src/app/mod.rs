//! The window: egui/eframe app state, panels, and the article view widget.

pub mod article_view;
pub mod theme;
