//! The legend row under a chart's title: one entry per series, wrapping
//! onto a new row when the next entry would run past the right edge.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::text::fit;
use super::theme::{BAND_ALPHA, DOT_ALPHA, Theme};
use super::{Area, DrawResult};
use crate::report::palette::INK;

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    /// A filled square (bars).
    Square(RGBColor),
    /// A line over a light band (a curve with its interval).
    LineOverBand(RGBColor),
    /// An interval whisker.
    Whisker,
    /// A line alone (a curve drawn without its interval).
    Line(RGBColor),
    /// A dashed vertical line (a scheduled event).
    Dashed(RGBColor),
    /// A solid vertical line.
    Vertical(RGBColor),
    /// A round marker, one per item drawn.
    Dot(RGBColor),
}

/// Height of one row of the legend, in SVG pixels.
pub(super) const LEGEND_ROW: f64 = 26.0;

/// Draw the legend from `(left, top)`, left to right, starting a new row
/// when an entry would run past the right edge; the number of rows used.
pub(super) fn draw_legend<DB: DrawingBackend>(
    area: &Area<DB>,
    t: Theme,
    items: &[(String, Mark)],
    (left, top): (i32, i32),
) -> DrawResult<DB, i32> {
    let size = t.px(16.0);
    let style = t
        .font(15.0)
        .color(&INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let right = area.dim_in_pixel().0 as i32 - left;
    let room = (right - left - size - t.px(8.0)).max(1) as u32;
    let (mut x, mut y, mut rows) = (left, top, 1);
    for (label, mark) in items {
        let label = fit(area, label, &t.font(15.0), room)?;
        let (w, _) = area.estimate_text_size(&label, &style)?;
        let width = size + t.px(8.0) + w as i32;
        if x > left && x + width > right {
            (x, y, rows) = (left, y + t.px(LEGEND_ROW), rows + 1);
        }
        let mid = y + size / 2;
        match *mark {
            Mark::Square(colour) => {
                area.draw(&Rectangle::new(
                    [(x, y), (x + size, y + size)],
                    colour.filled(),
                ))?;
            }
            Mark::LineOverBand(colour) => {
                area.draw(&Rectangle::new(
                    [(x - t.px(4.0), y), (x + size + t.px(4.0), y + size)],
                    colour.mix(BAND_ALPHA).filled(),
                ))?;
                area.draw(&PathElement::new(
                    vec![(x - t.px(4.0), mid), (x + size + t.px(4.0), mid)],
                    t.stroke(colour, 2.5),
                ))?;
            }
            Mark::Line(colour) => {
                area.draw(&PathElement::new(
                    vec![(x - t.px(4.0), mid), (x + size + t.px(4.0), mid)],
                    t.stroke(colour, 2.5),
                ))?;
            }
            Mark::Whisker => {
                let c = x + size / 2;
                let w = t.px(5.0);
                let stroke = t.stroke(INK, 1.5);
                area.draw(&PathElement::new(vec![(c, y), (c, y + size)], stroke))?;
                area.draw(&PathElement::new(vec![(c - w, y), (c + w, y)], stroke))?;
                area.draw(&PathElement::new(
                    vec![(c - w, y + size), (c + w, y + size)],
                    stroke,
                ))?;
            }
            Mark::Dot(colour) => {
                area.draw(&Circle::new(
                    (x + size / 2, mid),
                    size / 3,
                    colour.mix(DOT_ALPHA).filled(),
                ))?;
            }
            Mark::Dashed(colour) | Mark::Vertical(colour) => {
                let c = x + size / 2;
                let stroke = t.stroke(colour, 2.0);
                let dashed = matches!(*mark, Mark::Dashed(_));
                let pieces: &[(i32, i32)] = if dashed {
                    &[(0, 5), (9, 16)]
                } else {
                    &[(0, 16)]
                };
                for &(from, to) in pieces {
                    area.draw(&PathElement::new(
                        vec![(c, y + t.px(from.into())), (c, y + t.px(to.into()))],
                        stroke,
                    ))?;
                }
            }
        }
        area.draw_text(&label, &style, (x + size + t.px(8.0), mid))?;
        x += width + t.px(26.0);
    }
    Ok(rows)
}
