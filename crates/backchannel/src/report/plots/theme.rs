//! Sizes, fonts and strokes of every chart, scaled to the area drawn so the
//! SVG and the PNG (drawn larger) look alike.

use plotters::chart::MeshStyle;
use plotters::prelude::*;

use super::{Area, SVG_SIZE};
use crate::report::font::FAMILY;
use crate::report::palette::{GRID, INK};

/// Size of axis descriptions, in SVG pixels.
pub(super) const AXIS_FONT: f64 = 16.0;

/// Sizes scaled to the area being drawn, so SVG and PNG look alike.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Pixels per SVG pixel.
    pub s: f64,
}

impl Theme {
    pub fn of<DB: DrawingBackend>(area: &Area<DB>) -> Theme {
        Theme {
            s: area.dim_in_pixel().0 as f64 / SVG_SIZE.0 as f64,
        }
    }

    /// `v` SVG pixels in this area's pixels.
    pub fn px(self, v: f64) -> i32 {
        (v * self.s).round() as i32
    }

    pub fn upx(self, v: f64) -> u32 {
        self.px(v).max(1) as u32
    }

    pub fn font(self, size: f64) -> FontDesc<'static> {
        (FAMILY, size * self.s).into_font()
    }

    /// Bold: plotters' `FontDesc::style` keeps the regular glyphs, so the
    /// bold face is asked for by name.
    pub fn bold(self, size: f64) -> FontDesc<'static> {
        (FAMILY, size * self.s, FontStyle::Bold).into_font()
    }

    /// Tick labels.
    pub fn tick(self) -> TextStyle<'static> {
        self.font(15.0).color(&INK)
    }

    /// Axis descriptions (see [`super::axis_desc`]).
    pub fn axis(self) -> TextStyle<'static> {
        self.font(AXIS_FONT).color(&INK)
    }

    /// Numbers printed on bars.
    pub fn value(self) -> TextStyle<'static> {
        self.font(14.0).color(&INK)
    }

    /// A line of `width` SVG pixels.
    pub fn stroke(self, colour: RGBColor, width: f64) -> ShapeStyle {
        colour.stroke_width(self.upx(width))
    }

    /// The house frame of every chart in `body`: its margins and the room
    /// for the x axis's labels; `y_label_area` pixels for the y axis's.
    pub fn frame<'a, 'b, DB: DrawingBackend>(
        self,
        body: &'a Area<DB>,
        y_label_area: i32,
    ) -> ChartBuilder<'a, 'b, DB> {
        let mut builder = ChartBuilder::on(body);
        builder
            .margin_left(self.px(24.0))
            .margin_right(self.px(36.0))
            .margin_top(self.px(12.0))
            .margin_bottom(self.px(14.0))
            .x_label_area_size(self.px(56.0))
            .y_label_area_size(y_label_area);
        builder
    }

    /// The house style of every chart's grid and axes: light grid lines,
    /// ink axes, tick and axis fonts, 5-pixel tick marks. Callers add their
    /// formatters, descriptions and which grid lines to hide.
    pub fn mesh<'m, 'a, 'b, X, Y, DB>(
        self,
        mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    ) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
    where
        X: plotters::coord::ranged1d::Ranged<ValueType = f64>
            + plotters::coord::ranged1d::ValueFormatter<f64>,
        Y: plotters::coord::ranged1d::Ranged<ValueType = f64>
            + plotters::coord::ranged1d::ValueFormatter<f64>,
        DB: DrawingBackend,
    {
        mesh.bold_line_style(GRID)
            .axis_style(self.stroke(INK, 1.0))
            .label_style(self.tick())
            .axis_desc_style(self.axis())
            .set_all_tick_mark_size(self.px(5.0))
    }
}

/// Opacity of a confidence band.
pub const BAND_ALPHA: f64 = 0.25;

/// Opacity of a marker drawn one per item: where markers overlap, the
/// overlap shows darker.
pub const DOT_ALPHA: f64 = 0.6;
