//! The plots, one file each. Every plot is a function that draws a
//! [`Summary`] (plus display names) into a given plotters [`DrawingArea`],
//! so the same code renders the SVG and the PNG; [`render_svg`] and
//! [`render_png`] choose the backend.
//!
//! Every size (fonts, margins, strokes) is a multiple of the area's width
//! over [`SVG_SIZE`], so the PNG, drawn [`PNG_SCALE`] times larger for print,
//! looks the same as the SVG.

pub mod causes;
pub mod discover;
pub mod first_agreement;
pub mod issues;
pub mod outcomes;
pub mod survival;

use std::borrow::Cow;

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ScenarioInfo;
use super::font::{self, FAMILY};
use super::palette::{GRID, INK, MUTED};
use crate::output::Summary;
use crate::stats::Proportion;

/// Size of every SVG, in pixels.
pub const SVG_SIZE: (u32, u32) = (1000, 620);
/// The PNG is this many times larger than the SVG in each direction
/// (2000 × 1240 pixels: about 6.7 inches wide at 300 dpi).
pub const PNG_SCALE: u32 = 2;

/// Size of every PNG, in pixels.
pub const fn png_size() -> (u32, u32) {
    (SVG_SIZE.0 * PNG_SCALE, SVG_SIZE.1 * PNG_SCALE)
}

pub type Area<DB> = DrawingArea<DB, Shift>;
pub type DrawResult<DB, T = ()> =
    Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// What a plot reads: the summary and the scenario's display names.
#[derive(Clone, Copy)]
pub struct PlotInput<'a> {
    pub summary: &'a Summary,
    pub info: &'a ScenarioInfo,
}

/// The plots every study gets, in the order the report shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlotKind {
    Outcomes,
    Survival,
    FirstAgreement,
    Causes,
    Issues,
}

impl PlotKind {
    pub const ALL: [PlotKind; 5] = [
        PlotKind::Outcomes,
        PlotKind::Survival,
        PlotKind::FirstAgreement,
        PlotKind::Causes,
        PlotKind::Issues,
    ];

    /// The file name without extension, under `plots/`.
    pub const fn stem(self) -> &'static str {
        match self {
            PlotKind::Outcomes => "outcomes",
            PlotKind::Survival => "survival",
            PlotKind::FirstAgreement => "first-agreement",
            PlotKind::Causes => "causes",
            PlotKind::Issues => "issues",
        }
    }

    /// What the plot shows, as a heading.
    pub const fn heading(self) -> &'static str {
        match self {
            PlotKind::Outcomes => "Outcome distribution",
            PlotKind::Survival => "Channel survival",
            PlotKind::FirstAgreement => "Time to first agreement",
            PlotKind::Causes => "Why the channel broke",
            PlotKind::Issues => "Per-issue outcomes",
        }
    }

    /// The plot's title line: the heading and the scenario's name, with its
    /// `--set` changes if any (as every other chart names a study).
    pub fn title(self, summary: &Summary) -> String {
        format!("{}: {}", summary.scenario.display(), self.heading())
    }

    /// Draw this plot into `area`.
    pub fn draw<DB: DrawingBackend>(self, area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
        match self {
            PlotKind::Outcomes => outcomes::draw(area, input),
            PlotKind::Survival => survival::draw(area, input),
            PlotKind::FirstAgreement => first_agreement::draw(area, input),
            PlotKind::Causes => causes::draw(area, input),
            PlotKind::Issues => issues::draw(area, input),
        }
    }
}

/// Anything drawable as a plot file: the study plots and the experiment
/// charts share one SVG and one PNG renderer.
pub trait Drawable {
    /// The file name without extension, for messages.
    fn name(&self) -> String;
    fn draw_into<DB: DrawingBackend>(&self, area: &Area<DB>) -> DrawResult<DB>;
}

impl Drawable for (PlotKind, PlotInput<'_>) {
    fn name(&self) -> String {
        self.0.stem().to_string()
    }
    fn draw_into<DB: DrawingBackend>(&self, area: &Area<DB>) -> DrawResult<DB> {
        self.0.draw(area, self.1)
    }
}

/// The plot as SVG text.
pub fn render_svg(kind: PlotKind, input: PlotInput<'_>) -> Result<String, String> {
    svg_of(&(kind, input))
}

/// The plot as PNG bytes (8-bit RGB, no timestamp or other varying chunk).
pub fn render_png(kind: PlotKind, input: PlotInput<'_>) -> Result<Vec<u8>, String> {
    png_of(&(kind, input))
}

/// Any drawable as SVG text.
pub fn svg_of(plot: &impl Drawable) -> Result<String, String> {
    font::register();
    let failed = |e: &dyn std::fmt::Display| format!("cannot draw the {} plot: {e}", plot.name());
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, SVG_SIZE).into_drawing_area();
        plot.draw_into(&area).map_err(|e| failed(&e))?;
        area.present().map_err(|e| failed(&e))?;
    }
    Ok(text)
}

/// Any drawable as PNG bytes, [`PNG_SCALE`] times the SVG's size.
pub fn png_of(plot: &impl Drawable) -> Result<Vec<u8>, String> {
    font::register();
    let failed = |e: &dyn std::fmt::Display| format!("cannot draw the {} plot: {e}", plot.name());
    let (w, h) = png_size();
    let mut pixels = vec![255u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        plot.draw_into(&area).map_err(|e| failed(&e))?;
        area.present().map_err(|e| failed(&e))?;
    }
    encode_png(&pixels, w, h).map_err(|e| format!("cannot encode the {} plot: {e}", plot.name()))
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Default);
        encoder.set_filter(png::FilterType::Paeth);
        encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgb)?;
        writer.finish()?;
    }
    Ok(bytes)
}

/// Size of axis descriptions, in SVG pixels.
const AXIS_FONT: f64 = 16.0;

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

    /// Axis descriptions (see [`axis_desc`]).
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

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    /// A filled square (bars).
    Square(RGBColor),
    /// A line over a light band (a curve with its interval).
    LineOverBand(RGBColor),
    /// An interval whisker.
    Whisker,
}

/// Title, subtitle lines and an optional legend row above a chart.
pub struct Header {
    pub title: String,
    pub lines: Vec<String>,
    pub legend: Vec<(String, Mark)>,
}

impl Header {
    /// The title of `kind` and, as the first subtitle line, the study's
    /// size and seed.
    pub fn new(kind: PlotKind, summary: &Summary) -> Header {
        let mut lines = vec![study_line(summary)];
        lines.extend(conditioning_line(summary));
        Header {
            title: kind.title(summary),
            lines,
            legend: Vec::new(),
        }
    }

    pub fn line(mut self, line: impl Into<String>) -> Header {
        self.lines.push(line.into());
        self
    }

    pub fn legend(mut self, label: impl Into<String>, mark: Mark) -> Header {
        self.legend.push((label.into(), mark));
        self
    }

    /// Paint the background, draw the header and return the area below it.
    pub fn draw<DB: DrawingBackend>(&self, area: &Area<DB>) -> DrawResult<DB, Area<DB>> {
        let t = Theme::of(area);
        area.fill(&WHITE)?;
        let left = t.px(24.0);
        let width = (area.dim_in_pixel().0 as i32 - 2 * left).max(1) as u32;
        let mut y = t.px(18.0);
        let top_left = Pos::new(HPos::Left, VPos::Top);
        for line in wrap(area, &self.title, &t.bold(25.0), width)? {
            area.draw_text(&line, &t.bold(25.0).color(&INK).pos(top_left), (left, y))?;
            y += t.px(33.0);
        }
        y += t.px(3.0);
        for line in &self.lines {
            for part in wrap(area, line, &t.font(16.0), width)? {
                area.draw_text(&part, &t.font(16.0).color(&MUTED).pos(top_left), (left, y))?;
                y += t.px(23.0);
            }
        }
        if !self.legend.is_empty() {
            y += t.px(6.0);
            let rows = draw_legend(area, t, &self.legend, (left, y))?;
            y += rows * t.px(LEGEND_ROW);
        }
        let (_, rest) = area.split_vertically(y + t.px(4.0));
        Ok(rest)
    }
}

/// "100,000 runs · seed 20260206 · 95 % Wilson intervals".
pub fn study_line(summary: &Summary) -> String {
    format!(
        "{} runs · seed {} · whiskers and bands: 95 % Wilson intervals",
        thousands(summary.runs),
        summary.seed
    )
}

/// For a conditional forecast, a line saying so and on what (shortened to
/// fit a chart; the report lists every observation).
pub fn conditioning_line(summary: &Summary) -> Option<String> {
    let c = summary.conditioning.as_ref()?;
    Some(conditional_on(&c.observations))
}

/// "CONDITIONAL on 2 observations: round 1: …; round 2: …", cut to fit a
/// chart's width.
pub fn conditional_on(observations: &[String]) -> String {
    let line = format!(
        "CONDITIONAL on {}: {}",
        plural(observations.len(), "observation"),
        observations.join("; ")
    );
    shorten(&line, 110).into_owned()
}

/// The most characters of any text a chart draws (about two lines of a
/// chart's width). Names and labels come from scenario files and may be of
/// any length, and measuring text costs time in its length (fitting a label
/// measures it once per length tried): cutting every text drawn to this
/// keeps a chart's cost bounded whatever the scenario says. `report.html`
/// shows names in full.
pub const MAX_LABEL_CHARS: usize = 200;

/// `text` cut to at most `max_chars` characters, the last an ellipsis.
fn shorten(text: &str, max_chars: usize) -> Cow<'_, str> {
    if text.chars().nth(max_chars).is_none() {
        return Cow::Borrowed(text);
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    Cow::Owned(kept + "…")
}

/// A name or label as a chart measures and draws it: see
/// [`MAX_LABEL_CHARS`].
fn label(text: &str) -> Cow<'_, str> {
    shorten(text, MAX_LABEL_CHARS)
}

/// An axis description that may hold user text (a round label, a `--vary`
/// key), shortened to fit along the x axis of `area`, or the y axis when
/// `vertical`.
pub fn axis_desc<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    vertical: bool,
) -> DrawResult<DB, String> {
    let t = Theme::of(area);
    let (width, height) = area.dim_in_pixel();
    let along = if vertical { height } else { width };
    fit(
        area,
        text,
        &t.font(AXIS_FONT),
        along.saturating_sub(t.upx(60.0)),
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Height of one row of the legend, in SVG pixels.
const LEGEND_ROW: f64 = 26.0;

/// Draw the legend from `(left, top)`, left to right, starting a new row
/// when an entry would run past the right edge; the number of rows used.
fn draw_legend<DB: DrawingBackend>(
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
        }
        area.draw_text(&label, &style, (x + size + t.px(8.0), mid))?;
        x += width + t.px(26.0);
    }
    Ok(rows)
}

/// Opacity of a confidence band.
pub const BAND_ALPHA: f64 = 0.25;

/// "12.3%".
pub fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// "12.3% [11.9, 12.7]".
pub fn with_interval(p: &Proportion) -> String {
    format!(
        "{:.1}% [{:.1}, {:.1}]",
        100.0 * p.p,
        100.0 * p.lo,
        100.0 * p.hi
    )
}

/// 100000 → "100,000".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `text` (cut to [`MAX_LABEL_CHARS`]) broken at spaces into lines of at
/// most `max_width` pixels (a word wider than that on its own is shortened
/// with an ellipsis), so long titles, scenario names and `--set` lists stay
/// on the chart.
pub fn wrap<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    font: &FontDesc<'_>,
    max_width: u32,
) -> DrawResult<DB, Vec<String>> {
    let text = label(text);
    let style = &TextStyle::from(font.clone());
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || area.estimate_text_size(&candidate, style)?.0 <= max_width {
            current = candidate;
        } else {
            lines.push(fit(area, &current, font, max_width)?);
            current = word.to_string();
        }
    }
    lines.push(fit(area, &current, font, max_width)?);
    Ok(lines)
}

/// Shorten `text` (cut to [`MAX_LABEL_CHARS`]) with an ellipsis until it
/// fits in `max_width` pixels.
pub fn fit<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    font: &FontDesc<'_>,
    max_width: u32,
) -> DrawResult<DB, String> {
    let text = &*label(text);
    let font = &TextStyle::from(font.clone());
    if area.estimate_text_size(text, font)?.0 <= max_width {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    for keep in (1..chars.len()).rev() {
        let candidate: String = chars[..keep]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if area.estimate_text_size(&candidate, font)?.0 <= max_width {
            return Ok(candidate);
        }
    }
    Ok("…".into())
}

/// The widest of `labels` in pixels.
pub fn widest<DB: DrawingBackend>(
    area: &Area<DB>,
    labels: &[String],
    font: &FontDesc<'_>,
) -> DrawResult<DB, u32> {
    let font = &TextStyle::from(font.clone());
    let mut widest = 0;
    for label in labels {
        widest = widest.max(area.estimate_text_size(label, font)?.0);
    }
    Ok(widest)
}

/// A "nice" upper end for a percentage axis holding values up to `max`
/// (in percent), and its tick step.
pub fn percent_axis(max: f64) -> (f64, f64) {
    for (top, step) in [
        (1.0, 0.2),
        (2.0, 0.5),
        (5.0, 1.0),
        (10.0, 2.0),
        (20.0, 5.0),
        (30.0, 5.0),
        (40.0, 10.0),
        (50.0, 10.0),
        (60.0, 10.0),
        (80.0, 20.0),
    ] {
        if max <= top {
            return (top, step);
        }
    }
    (100.0, 20.0)
}

/// Tick positions `0, step, …, top`.
pub fn ticks(top: f64, step: f64) -> Vec<f64> {
    let n = (top / step).round() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

/// A tick label with as many decimals as the step needs (0 for steps of
/// 1 or more, 1 for 0.2 or 0.5, 2 for 0.05, …).
pub fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    format!("{v:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100000), "100,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn percent_axes_cover_their_values_with_round_ticks() {
        for max in [0.0, 0.3, 1.0, 3.7, 12.0, 49.9, 77.0, 99.0, 100.0] {
            let (top, step) = percent_axis(max);
            assert!(top >= max, "{max}");
            let ticks = ticks(top, step);
            assert_eq!(ticks.first(), Some(&0.0));
            assert!((ticks.last().unwrap() - top).abs() < 1e-9);
        }
    }

    #[test]
    fn shorten_cuts_characters_not_bytes_and_ends_with_an_ellipsis() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "ab…");
        assert_eq!(shorten("éééé", 3), "éé…");
        let long = "w".repeat(30_000);
        assert_eq!(label(&long).chars().count(), MAX_LABEL_CHARS);
    }

    #[test]
    fn plot_stems_are_distinct_file_names() {
        let mut stems: Vec<_> = PlotKind::ALL.iter().map(|k| k.stem()).collect();
        stems.sort();
        stems.dedup();
        assert_eq!(stems.len(), PlotKind::ALL.len());
    }
}

/// An interval whisker from `lo` to `hi` at position `at` across the value
/// axis, with caps `cap` wide either side (in data units). Vertical bars
/// have `horizontal = false`.
pub fn whisker(
    at: f64,
    lo: f64,
    hi: f64,
    cap: f64,
    horizontal: bool,
    style: ShapeStyle,
) -> Vec<PathElement<(f64, f64)>> {
    let point = |along: f64, value: f64| {
        if horizontal {
            (value, along)
        } else {
            (along, value)
        }
    };
    vec![
        PathElement::new(vec![point(at, lo), point(at, hi)], style),
        PathElement::new(vec![point(at - cap, lo), point(at + cap, lo)], style),
        PathElement::new(vec![point(at - cap, hi), point(at + cap, hi)], style),
    ]
}

/// A linear `f64` axis whose tick marks (and grid lines) are exactly the
/// given values, so categories and round numbers land where they belong.
#[derive(Debug, Clone)]
pub struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Axis {
    pub fn new(range: std::ops::Range<f64>, ticks: Vec<f64>) -> Axis {
        Axis {
            lo: range.start,
            hi: range.end,
            ticks,
        }
    }
}

impl Ranged for Axis {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        // As plotters maps its own f64 ranges.
        if self.hi == self.lo {
            return (limit.1 - limit.0) / 2;
        }
        let logic = (value - self.lo) / (self.hi - self.lo);
        let actual = limit.1 - limit.0;
        if actual >= 0 {
            limit.0 + (f64::from(actual) * logic + 1e-3).floor() as i32
        } else {
            limit.0 + (f64::from(actual) * logic - 1e-3).ceil() as i32
        }
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}
