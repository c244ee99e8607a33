//! Glyphs of the paragraphs laid out by parley: rasterised once (outlines from skrifa,
//! coverage from vello_cpu, both the crates epaint itself draws with) into texture pages of
//! our own, and placed as textured quads.
//!
//! A page is white with the glyph's coverage as alpha (premultiplied), so a quad's vertex
//! colour is the text colour, as with epaint's own font texture. Each glyph is stored twice,
//! side by side: on the left half with coverage as alpha (what epaint uses for dark text on
//! light), on the right half through epaint's dark-mode transfer (`2c − c²`), so switching
//! themes needs no new layout, only a shift of the texture coordinates.

use std::collections::HashMap;

use egui::epaint::{Mesh, Vertex};
use egui::{Color32, ColorImage, Rect, TextureHandle, TextureOptions, pos2};
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{GlyphId, MetadataProvider};
use vello_cpu::kurbo::{self, BezPath, Shape as _};

/// The height of a texture page, and the width of each of its halves, in pixels.
const PAGE_SIDE: usize = 1024;
/// The width of a texture page: a light half and a dark half.
const PAGE_WIDTH: usize = 2 * PAGE_SIDE;
/// Horizontal positions are kept to a quarter pixel; each quarter is its own bitmap.
const SUBPIXEL_BINS: f32 = 4.0;
/// Empty pixels around each glyph in a page, so linear filtering never reads a neighbour.
const PADDING: usize = 1;

/// Which bitmap: a glyph of a font at a size and a horizontal subpixel offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct GlyphKey {
    font: u64,
    index: u32,
    glyph: u32,
    size_bits: u32,
    bin: u8,
}

/// Where a rasterised glyph sits in a page, and where it sits relative to its pen position.
#[derive(Clone, Copy, Debug)]
struct Placed {
    page: usize,
    /// The top-left pixel in the page.
    at: [usize; 2],
    size: [usize; 2],
    /// From the pen position (baseline, whole pixel) to the bitmap's top-left, in pixels.
    offset: [f32; 2],
}

/// One texture page: a shelf packer over a CPU copy that is uploaded where it changed.
struct Page {
    texture: TextureHandle,
    image: ColorImage,
    shelf_x: usize,
    shelf_y: usize,
    shelf_height: usize,
    /// Rows changed since the last upload.
    dirty: Option<(usize, usize)>,
}

impl Page {
    fn new(ctx: &egui::Context, n: usize) -> Self {
        let image = ColorImage::filled([PAGE_WIDTH, PAGE_SIDE], Color32::TRANSPARENT);
        let texture = ctx.load_texture(
            format!("stet-bidi-glyphs-{n}"),
            image.clone(),
            TextureOptions::LINEAR,
        );
        Self {
            texture,
            image,
            shelf_x: 0,
            shelf_y: 0,
            shelf_height: 0,
            dirty: None,
        }
    }

    /// Room for a `w`×`h` bitmap (padding included), if the page has it.
    fn allocate(&mut self, w: usize, h: usize) -> Option<[usize; 2]> {
        let (w, h) = (w + PADDING, h + PADDING);
        if w > PAGE_SIDE || h > PAGE_SIDE {
            return None;
        }
        if self.shelf_x + w > PAGE_SIDE {
            self.shelf_y += self.shelf_height;
            self.shelf_x = 0;
            self.shelf_height = 0;
        }
        if self.shelf_y + h > PAGE_SIDE {
            return None;
        }
        let at = [self.shelf_x, self.shelf_y];
        self.shelf_x += w;
        self.shelf_height = self.shelf_height.max(h);
        Some(at)
    }

    fn write(&mut self, at: [usize; 2], bitmap: &ColorImage) {
        let [w, h] = bitmap.size;
        for y in 0..h {
            let src = &bitmap.pixels[y * w..(y + 1) * w];
            let start = (at[1] + y) * PAGE_WIDTH + at[0];
            self.image.pixels[start..start + w].copy_from_slice(src);
            let dark = start + PAGE_SIDE;
            for (out, px) in self.image.pixels[dark..dark + w].iter_mut().zip(src) {
                let coverage = f32::from(px.a()) / 255.0;
                let alpha = (2.0 * coverage - coverage * coverage).clamp(0.0, 1.0);
                *out = Color32::from_white_alpha((alpha * 255.0).round() as u8);
            }
        }
        let (lo, hi) = self.dirty.unwrap_or((at[1], at[1] + h));
        self.dirty = Some((lo.min(at[1]), hi.max(at[1] + h)));
    }

    /// Sends the changed rows to the GPU.
    fn upload(&mut self) {
        let Some((lo, hi)) = self.dirty.take() else {
            return;
        };
        let rows = ColorImage::new(
            [PAGE_WIDTH, hi - lo],
            self.image.pixels[lo * PAGE_WIDTH..hi * PAGE_WIDTH].to_vec(),
        );
        self.texture
            .set_partial([0, lo], rows, TextureOptions::LINEAR);
    }
}

/// Every glyph rasterised so far, in pages.
#[derive(Default)]
pub struct GlyphAtlas {
    pages: Vec<Page>,
    /// `None` for a glyph with nothing to draw (a space).
    glyphs: HashMap<GlyphKey, Option<Placed>>,
}

/// A glyph to draw: which font, which glyph, and where its pen is (in pixels, relative to
/// the paragraph's top-left).
pub struct GlyphRef<'a> {
    pub font_bytes: &'a [u8],
    pub font_id: u64,
    pub font_index: u32,
    pub glyph: u32,
    /// The font size in pixels.
    pub size_px: f32,
    pub x_px: f32,
    pub y_px: f32,
}

impl GlyphAtlas {
    /// Adds glyph `g`'s quad (in points, relative to the paragraph's top-left) to `meshes`,
    /// one mesh per page, rasterising it first if it is new.
    pub fn add_quad(
        &mut self,
        ctx: &egui::Context,
        meshes: &mut Vec<Mesh>,
        g: &GlyphRef<'_>,
        pixels_per_point: f32,
    ) {
        let whole_x = g.x_px.floor();
        let bin = ((g.x_px - whole_x) * SUBPIXEL_BINS)
            .floor()
            .min(SUBPIXEL_BINS - 1.0);
        let key = GlyphKey {
            font: g.font_id,
            index: g.font_index,
            glyph: g.glyph,
            size_bits: g.size_px.to_bits(),
            bin: bin as u8,
        };
        let placed = match self.glyphs.get(&key) {
            Some(placed) => *placed,
            None => {
                let placed = self.rasterise(ctx, g, bin / SUBPIXEL_BINS);
                self.glyphs.insert(key, placed);
                placed
            }
        };
        let Some(placed) = placed else {
            return;
        };
        let ppp = pixels_per_point.max(0.1);
        let min = pos2(
            (whole_x + placed.offset[0]) / ppp,
            (g.y_px.round() + placed.offset[1]) / ppp,
        );
        let max = min + egui::vec2(placed.size[0] as f32, placed.size[1] as f32) / ppp;
        let (width, height) = (PAGE_WIDTH as f32, PAGE_SIDE as f32);
        let uv = Rect::from_min_max(
            pos2(placed.at[0] as f32 / width, placed.at[1] as f32 / height),
            pos2(
                (placed.at[0] + placed.size[0]) as f32 / width,
                (placed.at[1] + placed.size[1]) as f32 / height,
            ),
        );
        let Some(page) = self.pages.get(placed.page) else {
            return;
        };
        let texture = page.texture.id();
        let mesh = match meshes.iter_mut().position(|m| m.texture_id == texture) {
            Some(i) => &mut meshes[i],
            None => {
                meshes.push(Mesh::with_texture(texture));
                let last = meshes.len() - 1;
                &mut meshes[last]
            }
        };
        mesh.add_rect_with_uv(Rect::from_min_max(min, max), uv, Color32::WHITE);
    }

    /// Sends every page's new glyphs to the GPU.
    pub fn upload(&mut self) {
        for page in &mut self.pages {
            page.upload();
        }
    }

    /// Rasterises `g` at subpixel offset `dx` (0..1 px) and stores it in a page.
    fn rasterise(&mut self, ctx: &egui::Context, g: &GlyphRef<'_>, dx: f32) -> Option<Placed> {
        let bitmap = rasterise(g, dx)?;
        let (image, offset) = bitmap;
        let [w, h] = image.size;
        let (page, at) = match self.pages.last_mut().and_then(|p| p.allocate(w, h)) {
            Some(at) => (self.pages.len() - 1, at),
            None => {
                let mut fresh = Page::new(ctx, self.pages.len());
                let at = fresh.allocate(w, h)?;
                self.pages.push(fresh);
                (self.pages.len() - 1, at)
            }
        };
        self.pages.get_mut(page)?.write(at, &image);
        Some(Placed {
            page,
            at,
            size: [w, h],
            offset,
        })
    }
}

/// Builds a path from skrifa's outline, in pixels with y down, shifted right by `dx`.
struct PathPen {
    path: BezPath,
    dx: f64,
}

impl PathPen {
    fn point(&self, x: f32, y: f32) -> kurbo::Point {
        kurbo::Point::new(f64::from(x) + self.dx, -f64::from(y))
    }
}

impl OutlinePen for PathPen {
    fn move_to(&mut self, x: f32, y: f32) {
        let p = self.point(x, y);
        self.path.move_to(p);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.point(x, y);
        self.path.line_to(p);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let (c, p) = (self.point(cx0, cy0), self.point(x, y));
        self.path.quad_to(c, p);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let (c0, c1, p) = (self.point(cx0, cy0), self.point(cx1, cy1), self.point(x, y));
        self.path.curve_to(c0, c1, p);
    }
    fn close(&mut self) {
        self.path.close_path();
    }
}

/// The coverage bitmap of a glyph and its top-left relative to the pen, or `None` when the
/// glyph draws nothing.
fn rasterise(g: &GlyphRef<'_>, dx: f32) -> Option<(ColorImage, [f32; 2])> {
    let font = skrifa::FontRef::from_index(g.font_bytes, g.font_index).ok()?;
    let outlines = font.outline_glyphs();
    let outline = outlines.get(GlyphId::new(g.glyph))?;
    let mut pen = PathPen {
        path: BezPath::new(),
        dx: f64::from(dx),
    };
    let settings = DrawSettings::unhinted(Size::new(g.size_px), LocationRef::default());
    outline.draw(settings, &mut pen).ok()?;
    let bounds = pen.path.bounding_box();
    let (x0, y0) = (bounds.x0.floor(), bounds.y0.floor());
    let width = (bounds.x1.ceil() - x0) as usize;
    let height = (bounds.y1.ceil() - y0) as usize;
    if width == 0 || height == 0 || width > PAGE_SIDE || height > PAGE_SIDE {
        return None;
    }
    let (w16, h16) = (u16::try_from(width).ok()?, u16::try_from(height).ok()?);
    let mut render = vello_cpu::RenderContext::new(w16, h16);
    render.set_transform(kurbo::Affine::translate((-x0, -y0)));
    render.set_paint(vello_cpu::color::OpaqueColor::<vello_cpu::color::Srgb>::WHITE);
    render.fill_path(&pen.path);
    let mut pixmap = vello_cpu::Pixmap::new(w16, h16);
    let mut resources = vello_cpu::Resources::new();
    render.render(&mut pixmap, &mut resources);
    let pixels = pixmap
        .data_as_u8_slice()
        .chunks_exact(4)
        .map(|px| Color32::from_rgba_premultiplied(px[3], px[3], px[3], px[3]))
        .collect();
    Some((
        ColorImage::new([width, height], pixels),
        [x0 as f32, y0 as f32],
    ))
}

/// Returns a copy of `mesh` moved by `offset` and tinted `color` (the text colour), reading
/// the dark half of the pages in dark mode.
pub fn tinted(mesh: &Mesh, offset: egui::Vec2, color: Color32, dark_mode: bool) -> Mesh {
    let du = if dark_mode { 0.5 } else { 0.0 };
    let mut out = mesh.clone();
    for v in &mut out.vertices {
        *v = Vertex {
            pos: v.pos + offset,
            uv: pos2(v.uv.x + du, v.uv.y),
            color,
        };
    }
    out
}
