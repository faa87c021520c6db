//! Charts for the experiments (`compare`, `sweep`, `sensitivity`,
//! `indicators`): three general shapes drawn with the study plots' header,
//! theme, font and palette, so every picture of the project looks alike.
//!
//! - [`Lines`]: curves with 95 % bands over a numeric x axis (survival of
//!   several scenarios, a sweep's headline against its parameter), with
//!   [`Dots`] over them, one marker per item (a back-test's forecasts);
//! - [`Rows`]: horizontal rows of points with interval whiskers against a
//!   reference line, optionally joined (paired differences, grouped outcome
//!   probabilities, Sobol' indices, a tornado, leading indicators);
//! - [`Heatmap`]: a two-key sweep's headline over its grid.
//!
//! Each is a plain struct of what to show; drawing depends only on it, so
//! the files are byte-identical for the same results.

use crate::report::plots::row_label;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::{GREY, INK};
use super::plots::{
    Area, Axis, BAND_ALPHA, DOT_ALPHA, DrawResult, Drawable, Header, Mark, Rounds, Theme,
    axis_desc, fit, staircase, step_band, tick_label, widest, x_desc_beside,
};

/// A value with its interval, all in the chart's units.
pub use crate::stats::Estimate;

/// The smallest and largest of `values` (infinities when there are none).
fn extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// An axis range that is never empty: one unit either side of a single
/// value (or of nothing at all).
fn widened((lo, hi): (f64, f64)) -> (f64, f64) {
    if lo < hi {
        (lo, hi)
    } else if lo.is_finite() {
        (lo - 1.0, lo + 1.0)
    } else {
        (0.0, 1.0)
    }
}

/// The distance between ticks (1 when there is only one).
fn tick_step(ticks: &[f64]) -> f64 {
    if ticks.len() > 1 {
        ticks[1] - ticks[0]
    } else {
        1.0
    }
}

/// The header every chart starts with.
fn header(title: &str, lines: &[String], legend: Vec<(String, Mark)>) -> Header {
    Header {
        title: title.to_string(),
        lines: lines.to_vec(),
        legend,
    }
}

/// "Nice" ticks covering `lo..hi`: about six, at 1, 2 or 5 × 10^k.
pub fn nice_ticks(lo: f64, hi: f64) -> (f64, f64, Vec<f64>) {
    let span = (hi - lo).max(1e-9);
    let raw = span / 6.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let n = ((end - start) / step).round() as usize;
    let ticks = (0..=n).map(|i| {
        let v = start + i as f64 * step;
        (v / step).round() * step
    });
    (start, end, ticks.collect())
}

/// One curve of a [`Lines`] chart.
#[derive(Debug, Clone)]
pub struct Curve {
    pub label: String,
    pub colour: RGBColor,
    /// `(x, point)`, x increasing.
    pub points: Vec<(f64, Estimate)>,
}

/// Points drawn one by one over a [`Lines`] chart: one marker per item
/// (a forecast, a case), where a curve would summarise them.
#[derive(Debug, Clone)]
pub struct Dots {
    pub label: String,
    pub colour: RGBColor,
    /// `(x, y)` in the chart's units, one per marker.
    pub points: Vec<(f64, f64)>,
}

/// How dark the shading of a [`Lines`] chart's span is.
const SPAN_ALPHA: f64 = 0.15;

/// The radius of a [`Dots`] marker, in SVG pixels.
const DOT_RADIUS: f64 = 5.0;

/// Curves with bands over a numeric x axis, and points over them.
#[derive(Debug, Clone)]
pub struct Lines {
    pub stem: String,
    pub title: String,
    pub lines: Vec<String>,
    pub x_label: String,
    pub y_label: String,
    pub curves: Vec<Curve>,
    /// Fix the y axis to 0..100 (percentages) instead of fitting the data.
    pub percent_axis: bool,
    /// A vertical line at an x value, labelled at its top (a sweep marks
    /// the scenario's own value of its key).
    pub marker: Option<(f64, String)>,
    /// Points over the curves, each set in the legend after them.
    pub dots: Vec<Dots>,
    /// x in rounds: the time axis of every chart over rounds (its ticks
    /// and title replace `x_label`'s), each curve a staircase, round t
    /// over (t − 1, t], as the study's own charts draw S(t).
    pub rounds: Option<Rounds>,
    /// A shaded span of x, within the axis, labelled at its foot (a sweep
    /// shades the judged input's range when it goes beyond it).
    pub span: Option<(f64, f64, String)>,
    /// The first curve is a baseline the others are compared with: drawn
    /// last, dashed, so no other line hides it and it hides none.
    pub baseline: bool,
}

/// Points in the chart's units, joined in order.
type Path = Vec<(f64, f64)>;

impl Lines {
    /// A curve's band and line as drawn: straight between its points, or a
    /// staircase over rounds.
    fn drawn(&self, curve: &Curve) -> (Path, Path) {
        let along = |f: fn(&Estimate) -> f64| curve.points.iter().map(move |(x, p)| (*x, f(p)));
        if self.rounds.is_some() {
            let steps = |f: fn(&Estimate) -> f64| {
                staircase(along(f).map(|(x, y)| (x.round() as u32, y)))
            };
            let band = step_band(steps(|p| p.hi), steps(|p| p.lo));
            return (band, steps(|p| p.value));
        }
        let band = along(|p| p.hi)
            .chain(along(|p| p.lo).collect::<Vec<_>>().into_iter().rev())
            .collect();
        (band, along(|p| p.value).collect())
    }
}

impl Drawable for Lines {
    fn name(&self) -> String {
        self.stem.clone()
    }
    fn title(&self) -> String {
        self.title.clone()
    }

    fn draw_into<DB: DrawingBackend>(&self, area: &Area<DB>) -> DrawResult<DB> {
        let legend = self
            .curves
            .iter()
            .map(|c| (c.label.clone(), Mark::LineOverBand(c.colour)))
            .chain(self.dots.iter().map(|d| (d.label.clone(), Mark::Dot(d.colour))))
            .collect();
        let body = header(&self.title, &self.lines, legend).draw(area)?;
        let t = Theme::of(&body);
        let dots = || self.dots.iter().flat_map(|d| d.points.iter());
        let xs = self
            .curves
            .iter()
            .flat_map(|c| c.points.iter().map(|(x, _)| *x))
            .chain(dots().map(|(x, _)| *x));
        let x_axis = match &self.rounds {
            Some(rounds) => rounds.axis(),
            None => {
                let (x_lo, x_hi) = widened(extent(xs));
                let (_, _, x_ticks) = nice_ticks(x_lo, x_hi);
                let x_ticks = x_ticks
                    .into_iter()
                    .filter(|x| *x >= x_lo - 1e-9 && *x <= x_hi + 1e-9)
                    .collect();
                Axis::new(x_lo..x_hi, x_ticks)
            }
        };
        let x_step = tick_step(x_axis.ticks());
        let (y_lo, y_hi, y_ticks) = if self.percent_axis {
            (0.0, 100.0, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0])
        } else {
            let ys = self
                .curves
                .iter()
                .flat_map(|c| c.points.iter().flat_map(|(_, p)| [p.lo, p.hi]))
                .chain(dots().map(|(_, y)| *y));
            let (lo, hi) = extent(ys);
            nice_ticks(lo.min(0.0), hi)
        };
        let y_step = tick_step(&y_ticks);
        let mut chart = t
            .frame(&body, t.px(78.0))
            .build_cartesian_2d(x_axis, Axis::new(y_lo..y_hi, y_ticks))?;
        let x_fmt = |x: &f64| match &self.rounds {
            Some(rounds) => rounds.tick(x.round() as u32),
            None => tick_label(*x, x_step),
        };
        let y_fmt = |y: &f64| tick_label(*y, y_step);
        let x_desc = match &self.rounds {
            Some(rounds) => rounds.description(),
            None => self.x_label.clone(),
        };
        t.mesh(&mut chart.configure_mesh())
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .x_desc(axis_desc(&body, &x_desc, false)?)
            .y_desc(axis_desc(&body, &self.y_label, true)?)
            .draw()?;
        if let Some((from, to, label)) = &self.span {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(*from, y_lo), (*to, y_hi)],
                GREY.mix(SPAN_ALPHA).filled(),
            )))?;
            let style = t
                .font(14.0)
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Bottom));
            chart.draw_series(std::iter::once(
                EmptyElement::at((*from, y_lo)) + Text::new(label.clone(), (t.px(6.0), -t.px(6.0)), style),
            ))?;
        }
        // Bands first, then the lines over every band, in reverse, so a
        // baseline (the first curve) comes last.
        let drawn: Vec<_> = self.curves.iter().map(|c| self.drawn(c)).collect();
        for (curve, (band, _)) in self.curves.iter().zip(&drawn) {
            chart.draw_series(std::iter::once(Polygon::new(
                band.clone(),
                curve.colour.mix(BAND_ALPHA).filled(),
            )))?;
        }
        for (k, (curve, (_, line))) in self.curves.iter().zip(&drawn).enumerate().rev() {
            if k == 0 && self.baseline {
                // Dashed, so a curve that runs with it shows in its gaps.
                chart.draw_series(std::iter::once(DashedPathElement::new(
                    line.clone(),
                    t.upx(12.0),
                    t.upx(7.0),
                    t.stroke(curve.colour, 3.5),
                )))?;
            } else {
                chart.draw_series(LineSeries::new(line.clone(), t.stroke(curve.colour, 2.5)))?;
            }
            if self.rounds.is_none() {
                chart.draw_series(curve.points.iter().map(|(x, p)| {
                    Circle::new((*x, p.value), t.upx(3.5), curve.colour.filled())
                }))?;
            }
        }
        for set in &self.dots {
            let style = set.colour.mix(DOT_ALPHA).filled();
            chart.draw_series(
                set.points
                    .iter()
                    .map(|&at| Circle::new(at, t.upx(DOT_RADIUS), style)),
            )?;
        }
        if let Some((x, label)) = &self.marker {
            let (x, top) = (*x, y_hi - 0.02 * (y_hi - y_lo));
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x, y_lo), (x, y_hi)],
                t.stroke(GREY, 2.0),
            )))?;
            let style = t
                .font(14.0)
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Top));
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, top)) + Text::new(label.clone(), (t.px(6.0), 0), style),
            ))?;
        }
        Ok(())
    }
}

/// One series of a [`Rows`] chart: a point (with whiskers) in every row.
#[derive(Debug, Clone)]
pub struct RowSeries {
    pub label: String,
    pub colour: RGBColor,
    /// One per row; `None` leaves the row empty for this series.
    pub points: Vec<Option<Estimate>>,
}

/// A row label shortened to `max_width`: the name gives way, a final
/// parenthesis (a parameter's range, an indicator's share and effect) is
/// kept whole, since it carries the row's numbers.
fn fit_row<DB: DrawingBackend>(
    area: &Area<DB>,
    label: &str,
    font: &FontDesc<'_>,
    max_width: u32,
) -> DrawResult<DB, String> {
    let split = label
        .strip_suffix(')')
        .and_then(|inner| inner.rfind(" ("))
        .filter(|&at| at > 0);
    let Some(at) = split else {
        return fit(area, label, font, max_width);
    };
    let (name, numbers) = label.split_at(at);
    let style = TextStyle::from(font.clone());
    let room = max_width.saturating_sub(area.estimate_text_size(numbers, &style)?.0);
    Ok(fit(area, name, font, room)? + numbers)
}

/// The radius of a [`Rows`] chart's markers, in SVG pixels.
const MARKER_RADIUS: f64 = 4.5;

/// Horizontal rows of points with whiskers, top to bottom.
#[derive(Debug, Clone)]
pub struct Rows {
    pub stem: String,
    pub title: String,
    pub lines: Vec<String>,
    pub x_label: String,
    pub rows: Vec<String>,
    pub series: Vec<RowSeries>,
    /// A vertical reference line (0 for differences, a baseline), labelled.
    pub reference: Option<(f64, String)>,
    /// What bars a row's points stand on, if any.
    pub join: Join,
}

/// The bars of a [`Rows`] chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// Points alone.
    None,
    /// A grey bar from a row's lowest point to its highest (a dumbbell).
    Points,
    /// A bar from the reference line to each point, in its series' colour
    /// (a tornado: each end's deviation from the baseline).
    FromReference,
}

impl Drawable for Rows {
    fn name(&self) -> String {
        self.stem.clone()
    }
    fn title(&self) -> String {
        self.title.clone()
    }

    fn draw_into<DB: DrawingBackend>(&self, area: &Area<DB>) -> DrawResult<DB> {
        let mut legend: Vec<(String, Mark)> = self
            .series
            .iter()
            .map(|s| (s.label.clone(), Mark::Square(s.colour)))
            .collect();
        if let Some((_, label)) = &self.reference {
            legend.push((label.clone(), Mark::Square(GREY)));
        }
        let body = header(&self.title, &self.lines, legend).draw(area)?;
        let t = Theme::of(&body);
        let n = self.rows.len().max(1);
        let values = self.series.iter().flat_map(|s| {
            s.points
                .iter()
                .flatten()
                .flat_map(|p| [p.lo, p.hi, p.value])
        });
        let reference = self.reference.as_ref().map(|(v, _)| *v);
        let (lo, hi) = widened(extent(values.chain(reference)));
        let (x_lo, x_hi, x_ticks) = nice_ticks(lo, hi);
        let x_step = tick_step(&x_ticks);
        let label_font = t.font(14.0);
        let max_label = t.upx(330.0);
        let labels: Vec<String> = self
            .rows
            .iter()
            .map(|r| fit_row(&body, r, &label_font, max_label))
            .collect::<Result<_, _>>()?;
        let label_width = widest(&body, &labels, &label_font)?;
        let y_ticks: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let label_area = label_width as i32 + t.px(18.0);
        let mut chart = t.frame(&body, label_area).build_cartesian_2d(
            Axis::new(x_lo..x_hi, x_ticks),
            Axis::new(-0.5..n as f64 - 0.5, y_ticks),
        )?;
        let x_fmt = |x: &f64| tick_label(*x, x_step);
        let y_fmt = |y: &f64| row_label(&labels, *y);
        t.mesh(&mut chart.configure_mesh())
            .y_label_style(label_font.color(&INK))
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .x_desc(x_desc_beside(&body, &self.x_label, label_area as u32)?)
            .draw()?;
        if let Some(v) = reference {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(v, -0.5), (v, n as f64 - 0.5)],
                t.stroke(GREY, 2.0),
            )))?;
        }
        let k = self.series.len().max(1) as f64;
        let offset = |s: usize| {
            if self.join != Join::None {
                0.0
            } else {
                // Series 0 on top, as in the legend: rows count downwards.
                ((k - 1.0) / 2.0 - s as f64) * (0.7 / k)
            }
        };
        let y_of = |row: usize| (n - 1 - row) as f64;
        match (self.join, reference) {
            (Join::Points, _) => {
                for row in 0..self.rows.len() {
                    let ends = self.series.iter().filter_map(|s| s.points[row].map(|p| p.value));
                    let (a, b) = extent(ends);
                    if a <= b {
                        chart.draw_series(std::iter::once(Rectangle::new(
                            [(a, y_of(row) - 0.18), (b, y_of(row) + 0.18)],
                            GREY.mix(0.35).filled(),
                        )))?;
                    }
                }
            }
            (Join::FromReference, Some(base)) => {
                for series in &self.series {
                    for (row, point) in series.points.iter().enumerate() {
                        let Some(p) = point else { continue };
                        chart.draw_series(std::iter::once(Rectangle::new(
                            [(base, y_of(row) - 0.18), (p.value, y_of(row) + 0.18)],
                            series.colour.mix(0.45).filled(),
                        )))?;
                    }
                }
            }
            _ => {}
        }
        // The marker first, then the whisker over it, its caps standing
        // out above and below the marker: an interval narrower than the
        // marker still shows, as a pair of ticks through it.
        let cap = t.px(MARKER_RADIUS + 4.0);
        for (si, series) in self.series.iter().enumerate() {
            for (row, point) in series.points.iter().enumerate() {
                let Some(p) = point else { continue };
                let y = y_of(row) + offset(si);
                chart.draw_series(std::iter::once(Circle::new(
                    (p.value, y),
                    t.upx(MARKER_RADIUS),
                    series.colour.filled(),
                )))?;
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(p.lo, y), (p.hi, y)],
                    t.stroke(series.colour, 2.0),
                )))?;
                for end in [p.lo, p.hi] {
                    chart.draw_series(std::iter::once(
                        EmptyElement::at((end, y))
                            + PathElement::new(
                                vec![(0, -cap), (0, cap)],
                                t.stroke(series.colour, 2.0),
                            ),
                    ))?;
                }
            }
        }
        Ok(())
    }
}

/// A two-key sweep: a value in every cell of a grid.
#[derive(Debug, Clone)]
pub struct Heatmap {
    pub stem: String,
    pub title: String,
    pub lines: Vec<String>,
    pub x_label: String,
    pub y_label: String,
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    /// `values[ix][iy]`, in percent.
    pub values: Vec<Vec<f64>>,
    /// The colour scale spans at least this many points (the width of the
    /// cells' 95 % intervals), so that differences within Monte Carlo noise
    /// do not look like the whole range of the map.
    pub min_span: f64,
    /// A point to mark, in the keys' values (a sweep marks the scenario as
    /// written); placed between the cells it falls between.
    pub marker: Option<(f64, f64)>,
}

/// Where `v` falls on a grid of `values` (increasing or decreasing), in
/// cells: 1.5 halfway between the second and the third; none outside it.
fn grid_position(values: &[f64], v: f64) -> Option<f64> {
    if let [only] = values {
        return (*only == v).then_some(0.0);
    }
    values.windows(2).enumerate().find_map(|(i, w)| {
        let (a, b) = (w[0], w[1]);
        let within = (a.min(b)..=a.max(b)).contains(&v);
        within.then(|| i as f64 + if a == b { 0.0 } else { (v - a) / (b - a) })
    })
}

/// The range the colours span, in percent: the values' own, widened about
/// its middle to at least `min_span`, and kept within 0–100 %.
fn colour_scale((lo, hi): (f64, f64), min_span: f64) -> (f64, f64) {
    if hi - lo >= min_span {
        return (lo, hi);
    }
    let span = min_span.min(100.0);
    let bottom = ((lo + hi) / 2.0 - span / 2.0).clamp(0.0, 100.0 - span);
    (bottom, bottom + span)
}

/// The label of grid column (or row) `at`: its value to 4 decimals, on at
/// most `most` evenly spaced columns so labels never collide.
fn grid_label(values: &[f64], at: f64, most: usize) -> String {
    let i = at.round() as usize;
    let every = values.len().div_ceil(most.max(1)).max(1);
    match values.get(i) {
        Some(v) if i.is_multiple_of(every) => format!("{}", (v * 1e4).round() / 1e4),
        _ => String::new(),
    }
}

/// The viridis colour map (a perceptually uniform, colour-blind-safe
/// sequential scale), by five anchor colours.
pub fn viridis(u: f64) -> RGBColor {
    const STOPS: [(f64, (f64, f64, f64)); 5] = [
        (0.0, (68.0, 1.0, 84.0)),
        (0.25, (59.0, 82.0, 139.0)),
        (0.5, (33.0, 145.0, 140.0)),
        (0.75, (94.0, 201.0, 98.0)),
        (1.0, (253.0, 231.0, 37.0)),
    ];
    let u = u.clamp(0.0, 1.0);
    let i = STOPS.iter().position(|(s, _)| *s >= u).unwrap_or(4).max(1);
    let ((s0, a), (s1, b)) = (STOPS[i - 1], STOPS[i]);
    let f = (u - s0) / (s1 - s0);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

impl Drawable for Heatmap {
    fn name(&self) -> String {
        self.stem.clone()
    }
    fn title(&self) -> String {
        self.title.clone()
    }

    fn draw_into<DB: DrawingBackend>(&self, area: &Area<DB>) -> DrawResult<DB> {
        let (lo, hi) = colour_scale(extent(self.values.iter().flatten().cloned()), self.min_span);
        let mut lines = self.lines.clone();
        if self.marker.is_some() {
            lines.push(format!("Ringed: {MARKER_LABEL}"));
        }
        lines.push(if hi > lo {
            format!("Colour bar: {lo:.1} to {hi:.1} % (the colour scale)")
        } else {
            format!("{lo:.1} % in every cell")
        });
        let whole = header(&self.title, &lines, Vec::new()).draw(area)?;
        let t = Theme::of(&whole);
        let (body, bar) = whole.split_horizontally(whole.dim_in_pixel().0 as i32 - t.px(110.0));
        colour_bar(&bar, t, lo, hi)?;
        let (nx, ny) = (self.xs.len().max(1), self.ys.len().max(1));
        let scale = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        let mut chart = t.frame(&body, t.px(90.0)).build_cartesian_2d(
            Axis::new(-0.5..nx as f64 - 0.5, (0..nx).map(|i| i as f64).collect()),
            Axis::new(-0.5..ny as f64 - 0.5, (0..ny).map(|i| i as f64).collect()),
        )?;
        let x_fmt = |x: &f64| grid_label(&self.xs, *x, 12);
        let y_fmt = |y: &f64| grid_label(&self.ys, *y, 16);
        t.mesh(&mut chart.configure_mesh())
            .disable_mesh()
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .x_desc(axis_desc(&body, &self.x_label, false)?)
            .y_desc(axis_desc(&body, &self.y_label, true)?)
            .draw()?;
        let print_values = nx * ny <= 120;
        for (ix, column) in self.values.iter().enumerate() {
            for (iy, &v) in column.iter().enumerate() {
                let (x, y) = (ix as f64, iy as f64);
                let colour = viridis(scale(v));
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                    colour.filled(),
                )))?;
                if print_values {
                    let light = scale(v) < 0.6;
                    let style = t
                        .font(13.0)
                        .color(if light { &WHITE } else { &INK })
                        .pos(Pos::new(HPos::Center, VPos::Center));
                    chart.draw_series(std::iter::once(Text::new(
                        format!("{v:.1}"),
                        (x, y),
                        style,
                    )))?;
                }
            }
        }
        let marked = self
            .marker
            .and_then(|(x, y)| Some((grid_position(&self.xs, x)?, grid_position(&self.ys, y)?)));
        if let Some((x, y)) = marked {
            // A ring in white over black, visible on every colour of the
            // scale, and its label beside it.
            for (colour, width) in [(INK, 5.0), (WHITE, 2.5)] {
                chart.draw_series(std::iter::once(Circle::new(
                    (x, y),
                    t.upx(11.0),
                    t.stroke(colour, width),
                )))?;
            }
            let style = t
                .bold(14.0)
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Bottom));
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, y))
                    + Text::new(MARKER_LABEL, (t.px(14.0), -t.px(12.0)), style),
            ))?;
        }
        Ok(())
    }
}

/// The label of a [`Heatmap`]'s marker.
pub const MARKER_LABEL: &str = "the scenario as written";

/// The heat map's colour scale as a continuous bar in `area` (right of the
/// map, level with its plot), labelled at round values within `lo..hi`.
fn colour_bar<DB: DrawingBackend>(area: &Area<DB>, t: Theme, lo: f64, hi: f64) -> DrawResult<DB> {
    // As the map's frame: 12 px margin on top, 14 + 56 px under the plot.
    let (top, bottom) = (t.px(12.0), area.dim_in_pixel().1 as i32 - t.px(70.0));
    let (left, right) = (t.px(4.0), t.px(28.0));
    const STEPS: i32 = 64;
    let height = (bottom - top).max(1);
    for k in 0..STEPS {
        let y1 = bottom - height * k / STEPS;
        let y0 = bottom - height * (k + 1) / STEPS;
        let u = (f64::from(k) + 0.5) / f64::from(STEPS);
        area.draw(&Rectangle::new(
            [(left, y0), (right, y1)],
            viridis(u).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(left, top), (right, bottom)],
        t.stroke(INK, 1.0),
    ))?;
    let style = t
        .font(14.0)
        .color(&INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (_, _, ticks) = nice_ticks(lo, hi.max(lo + 1e-9));
    let step = tick_step(&ticks);
    for v in ticks
        .into_iter()
        .filter(|v| *v >= lo - 1e-9 && *v <= hi + 1e-9)
    {
        let u = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        let y = bottom - (u * f64::from(height)).round() as i32;
        area.draw(&PathElement::new(
            vec![(right, y), (right + t.px(5.0), y)],
            t.stroke(INK, 1.0),
        ))?;
        area.draw_text(
            &format!("{} %", tick_label(v, step)),
            &style,
            (right + t.px(8.0), y),
        )?;
    }
    Ok(())
}

/// A chart as written into `plots/`: its file stem and its SVG, which a
/// page inlines.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WrittenChart {
    /// The file name without extension (`plots/<stem>.svg`).
    pub stem: String,
    /// The SVG text.
    pub svg: String,
}

/// Object-safe rendering, so charts of different types go in one list.
pub trait ChartFiles {
    fn stem(&self) -> String;
    fn render(&self) -> Result<(String, Vec<u8>), String>;
}

impl<T: Drawable> ChartFiles for T {
    fn stem(&self) -> String {
        self.name()
    }
    fn render(&self) -> Result<(String, Vec<u8>), String> {
        Ok((super::plots::svg_of(self)?, super::plots::png_of(self)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::palette::Meaning;

    #[test]
    fn the_colour_scale_is_no_narrower_than_the_noise_and_stays_in_0_100() {
        assert_eq!(colour_scale((20.0, 40.0), 2.0), (20.0, 40.0));
        assert_eq!(colour_scale((30.0, 31.0), 4.0), (28.5, 32.5));
        assert_eq!(colour_scale((0.0, 0.5), 2.0), (0.0, 2.0));
        assert_eq!(colour_scale((99.8, 100.0), 2.0), (98.0, 100.0));
        assert_eq!(colour_scale((50.0, 50.0), 0.0), (50.0, 50.0));
    }

    #[test]
    fn nice_ticks_cover_the_range_with_round_steps() {
        let (lo, hi, ticks) = nice_ticks(0.0, 0.87);
        assert!(lo <= 0.0 && hi >= 0.87);
        assert_eq!(ticks[1] - ticks[0], 0.2);
        let (_, _, ticks) = nice_ticks(-3.2, 6.1);
        assert!(ticks.contains(&0.0) && ticks.iter().all(|t| (t / 2.0).fract() == 0.0));
    }

    #[test]
    fn a_legend_too_wide_for_one_line_wraps_inside_the_picture() {
        let curve = |k: usize| Curve {
            label: format!("muscat-2026:trust.gain_per_agreement=0.{k}"),
            colour: Meaning::Scenario(k).colour(),
            points: vec![(
                0.0,
                Estimate {
                    value: 50.0,
                    lo: 40.0,
                    hi: 60.0,
                },
            )],
        };
        let chart = Lines {
            stem: "wide".into(),
            title: "t".into(),
            lines: vec![],
            x_label: "x".into(),
            y_label: "y".into(),
            curves: (0..8).map(curve).collect(),
            percent_axis: true,
            marker: Some((0.5, "the scenario: 0.5".into())),
            dots: Vec::new(),
            rounds: None,
            span: None,
            baseline: false,
        };
        let svg = super::super::plots::svg_of(&chart).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let width: f64 = doc
            .root_element()
            .attribute("width")
            .unwrap()
            .parse()
            .unwrap();
        let labels: Vec<(f64, f64)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter(|n| {
                n.text()
                    .is_some_and(|t| t.trim().starts_with("muscat-2026:"))
            })
            .map(|n| {
                let at = |a| n.attribute(a).unwrap().parse::<f64>().unwrap();
                (at("x"), at("y"))
            })
            .collect();
        assert_eq!(labels.len(), 8);
        let mut rows: Vec<i64> = labels.iter().map(|(_, y)| y.round() as i64).collect();
        rows.dedup();
        assert!(rows.len() > 1, "one row for 8 long labels: {labels:?}");
        assert!(labels.iter().all(|(x, _)| *x < width * 0.8), "{labels:?}");
    }

    #[test]
    fn a_whisker_narrower_than_its_marker_still_shows_above_and_below_it() {
        let chart = Rows {
            stem: "narrow".into(),
            title: "t".into(),
            lines: vec![],
            x_label: "x".into(),
            rows: vec!["a row".into()],
            series: vec![RowSeries {
                label: "s".into(),
                colour: Meaning::Scenario(0).colour(),
                points: vec![Some(Estimate {
                    value: 50.0,
                    lo: 49.99,
                    hi: 50.01,
                })],
            }],
            reference: Some((0.0, "zero".into())),
            join: Join::None,
        };
        let svg = super::super::plots::svg_of(&chart).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let shapes: Vec<_> = doc
            .root_element()
            .children()
            .filter(|n| n.is_element())
            .collect();
        let circle = shapes
            .iter()
            .position(|n| n.has_tag_name("circle"))
            .unwrap();
        let radius: f64 = shapes[circle].attribute("r").unwrap().parse().unwrap();
        // Drawn after the marker: the whisker, then a cap at each end,
        // each taller than the marker.
        let caps: Vec<f64> = shapes[circle + 1..]
            .iter()
            .filter_map(|n| n.attribute("points"))
            .map(|points| {
                let ys: Vec<f64> = points
                    .split_whitespace()
                    .map(|p| p.split(',').nth(1).unwrap().parse().unwrap())
                    .collect();
                ys.iter().cloned().fold(f64::MIN, f64::max)
                    - ys.iter().cloned().fold(f64::MAX, f64::min)
            })
            .collect();
        assert_eq!(caps.len(), 3, "{caps:?}");
        assert!(
            caps[1..].iter().all(|h| *h > 2.0 * radius + 4.0),
            "{caps:?} vs r {radius}"
        );
    }

    #[test]
    fn a_heatmap_marks_a_point_between_the_cells_it_falls_between() {
        assert_eq!(grid_position(&[0.05, 0.175, 0.3], 0.15), Some(0.8));
        assert_eq!(grid_position(&[0.0, 0.3], 0.15), Some(0.5));
        assert_eq!(grid_position(&[0.3, 0.0], 0.3), Some(0.0), "decreasing");
        assert_eq!(grid_position(&[0.0, 0.3], 0.4), None, "off the grid");
        assert_eq!(grid_position(&[0.2], 0.2), Some(0.0));
    }

    #[test]
    fn viridis_runs_from_purple_to_yellow() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(0.5), RGBColor(33, 145, 140));
    }
}
