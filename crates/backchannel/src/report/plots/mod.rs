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
pub mod fan;
pub mod first_agreement;
pub mod inputs;
pub mod issues;
pub mod outcomes;
pub mod states;
pub mod survival;
pub mod update;

mod axes;
mod format;
mod legend;
mod text;
mod theme;
mod time;

pub use axes::{Axis, percent_axis, row_label, tick_label, ticks, whisker};
pub use crate::output::text::plural;
pub use format::{percent, thousands, with_interval};
pub use legend::Mark;
pub use text::{axis_desc, fit, widest, wrap, x_desc_beside};
// The report tests check that labels stay within this length.
#[cfg(feature = "internals")]
pub use text::MAX_LABEL_CHARS;
pub use theme::{BAND_ALPHA, DOT_ALPHA, Theme};
pub use time::{Rounds, staircase, step_band};
// The tests compare what charts over time draw with the summary.
#[cfg(feature = "internals")]
pub use time::{drawn_at, step_points};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ScenarioInfo;
use super::font;
use super::palette::{INK, MUTED};
use crate::output::Summary;
use legend::{LEGEND_ROW, draw_legend};

/// Size of every SVG, in pixels.
pub const SVG_SIZE: (u32, u32) = (1000, 620);
/// The PNG is this many times larger than the SVG in each direction
/// (2000 × 1240 pixels: about 6.7 inches wide at 300 dpi).
pub const PNG_SCALE: u32 = 2;

/// Size of every PNG, in pixels.
pub const fn png_size() -> (u32, u32) {
    (SVG_SIZE.0 * PNG_SCALE, SVG_SIZE.1 * PNG_SCALE)
}

/// 300 dots per inch in pixels per metre (300 / 0.0254, rounded), the
/// resolution every PNG declares.
pub const PNG_PIXELS_PER_METRE: u32 = 11_811;

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
    States,
    FirstAgreement,
    Causes,
    Issues,
    /// Only for a study with judged inputs: see [`PlotKind::of`].
    Fan,
    /// Only for a forecast updated with news (`--given`).
    Update,
    /// Only for a forecast updated with news that moved judged inputs.
    Inputs,
}

impl PlotKind {
    /// The plots every study gets.
    pub const ALL: [PlotKind; 6] = [
        PlotKind::Outcomes,
        PlotKind::Survival,
        PlotKind::States,
        PlotKind::FirstAgreement,
        PlotKind::Causes,
        PlotKind::Issues,
    ];

    /// The plots of `summary`: every kind; with news, the update of survival
    /// after the survival chart; with judged inputs, the fan chart; and
    /// when the news moved judged inputs, their prior and posterior last.
    pub fn of(summary: &Summary) -> Vec<PlotKind> {
        let mut kinds = PlotKind::ALL.to_vec();
        let mut after_survival = 2;
        if summary.prior.is_some() {
            kinds.insert(after_survival, PlotKind::Update);
            after_survival += 1;
        }
        if summary.uncertainty.is_some() {
            kinds.insert(after_survival, PlotKind::Fan);
        }
        if inputs::has_posterior(summary) {
            kinds.push(PlotKind::Inputs);
        }
        kinds
    }

    /// The file name without extension, under `plots/`.
    pub const fn stem(self) -> &'static str {
        match self {
            PlotKind::Outcomes => "outcomes",
            PlotKind::Survival => "survival",
            PlotKind::States => "states",
            PlotKind::Update => "update",
            PlotKind::Inputs => "inputs",
            PlotKind::FirstAgreement => "first-agreement",
            PlotKind::Causes => "causes",
            PlotKind::Issues => "issues",
            PlotKind::Fan => "fan",
        }
    }

    /// What the plot shows, as a heading.
    pub const fn heading(self) -> &'static str {
        match self {
            PlotKind::Outcomes => "Outcome distribution",
            PlotKind::Survival => "Channel survival",
            PlotKind::States => "The channel's state by round",
            PlotKind::Update => "Survival before and after the news",
            PlotKind::Inputs => "What the news did to the judged inputs",
            PlotKind::FirstAgreement => "Time to first agreement",
            PlotKind::Causes => "When and why the channel broke",
            PlotKind::Issues => "Per-issue outcomes",
            PlotKind::Fan => "Channel survival across the judged inputs",
        }
    }

    /// What the plot draws its 95 % intervals with, for its study line:
    /// none for a plot that draws none (the states' shares, the fan's
    /// spread of the worlds, the inputs' ranges, which their legends name).
    pub const fn interval_marks(self) -> Option<&'static str> {
        match self {
            PlotKind::Outcomes | PlotKind::FirstAgreement | PlotKind::Issues => Some("whiskers"),
            PlotKind::Survival | PlotKind::Update => Some("band"),
            PlotKind::Causes => Some("brackets"),
            PlotKind::States | PlotKind::Fan | PlotKind::Inputs => None,
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
            PlotKind::States => states::draw(area, input),
            PlotKind::Update => update::draw(area, input),
            PlotKind::Inputs => inputs::draw(area, input),
            PlotKind::FirstAgreement => first_agreement::draw(area, input),
            PlotKind::Causes => causes::draw(area, input),
            PlotKind::Issues => issues::draw(area, input),
            PlotKind::Fan => fan::draw(area, input),
        }
    }
}

/// Anything drawable as a plot file: the study plots and the experiment
/// charts share one SVG and one PNG renderer.
pub trait Drawable {
    /// The file name without extension, for messages.
    fn name(&self) -> String;
    /// The chart's title, which also names the SVG for readers and screen
    /// readers (its `<title>`).
    fn title(&self) -> String;
    fn draw_into<DB: DrawingBackend>(&self, area: &Area<DB>) -> DrawResult<DB>;
}

impl Drawable for (PlotKind, PlotInput<'_>) {
    fn name(&self) -> String {
        self.0.stem().to_string()
    }
    fn title(&self) -> String {
        self.0.title(self.1.summary)
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
    Ok(with_title(&text, &plot.title()))
}

/// The family list every SVG's text asks for after its embedded glyphs:
/// DejaVu Sans, in whose metrics the chart was laid out, then the fonts
/// nearest to it in width (for a viewer that ignores embedded fonts).
pub const SVG_FONTS: &str = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif";

/// `svg` with a `<title>` (shown by viewers, read by screen readers) as the
/// first child of its root, and its text in the glyphs of DejaVu Sans it
/// uses, embedded ([`super::svg_font`]), then [`SVG_FONTS`].
fn with_title(svg: &str, title: &str) -> String {
    let svg = svg.replace(
        &format!("font-family=\"{}\"", font::FAMILY),
        &format!("font-family=\"{SVG_FONTS}\""),
    );
    let svg = super::svg_font::embed(&svg, SVG_FONTS);
    match svg
        .find("<svg")
        .and_then(|start| svg[start..].find('>').map(|end| start + end + 1))
    {
        Some(end) => format!(
            "{}\n<title>{}</title>{}",
            &svg[..end],
            super::markup::Html::text(title),
            &svg[end..]
        ),
        None => svg,
    }
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
        // 300 dpi (11 811 pixels per metre), so the PNG prints at the size
        // docs/REPORT.md gives, about 6.7 inches wide.
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: PNG_PIXELS_PER_METRE,
            yppu: PNG_PIXELS_PER_METRE,
            unit: png::Unit::Meter,
        }));
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgb)?;
        writer.finish()?;
    }
    Ok(bytes)
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
        let mut lines = vec![study_line(summary, kind.interval_marks())];
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

/// "100,000 runs · seed 20260206 · whiskers: 95 % Wilson intervals" (with
/// judged inputs, intervals for runs clustered in the worlds), naming the
/// `marks` a chart draws its intervals with; without marks, the runs and
/// seed alone.
pub fn study_line(summary: &Summary, marks: Option<&str>) -> String {
    let study = format!("{} runs · seed {}", thousands(summary.runs), summary.seed);
    let Some(marks) = marks else {
        return study;
    };
    let intervals = match &summary.uncertainty {
        Some(u) => format!("95 % intervals over {} worlds", u.worlds),
        None => "95 % Wilson intervals".into(),
    };
    format!("{study} · {marks}: {intervals}")
}

/// For a conditional forecast, a line saying so and on what (shortened to
/// fit a chart; the report lists every observation).
pub fn conditioning_line(summary: &Summary) -> Option<String> {
    let c = summary.conditioning.as_ref()?;
    Some(conditional_on(&c.observations))
}

/// "CONDITIONAL on 2 observations: round 1: …; round 2: …", wrapped onto
/// as many lines as it needs by [`Header::draw`] (cut only past
/// [`MAX_LABEL_CHARS`]).
pub fn conditional_on(observations: &[String]) -> String {
    format!(
        "CONDITIONAL on {}: {}",
        plural(observations.len() as u64, "observation"),
        observations.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plot_stems_are_distinct_file_names() {
        let mut stems: Vec<_> = PlotKind::ALL.iter().map(|k| k.stem()).collect();
        stems.sort();
        stems.dedup();
        assert_eq!(stems.len(), PlotKind::ALL.len());
    }
}
