//! Channel survival: S(t), the share of runs whose channel is not broken
//! after round t, for t = 0..T, with its 95 % band, and the headline
//! P(channel continued) = S(T) marked at the end.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::time::{step_band, step_points, time_frame, with_events};
use super::{
    Area, BAND_ALPHA, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, with_interval,
};
use crate::output::summary::SurvivalPoint;
use crate::report::palette::{INK, Outcome};

/// The y axis of every survival chart.
pub(super) const SURVIVAL_AXIS: &str = "Channel not broken, S(t) (%)";

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
    let s = input.summary;
    let colour = Outcome::Continued.colour();
    let headline = format!(
        "P(channel continued) = {}",
        with_interval(&s.channel_continued)
    );
    let header = Header::new(PlotKind::Survival, s)
        .line(format!(
            "{headline}: the channel not broken after {} {}s",
            s.horizon, s.round_label
        ))
        .legend(
            "S(t): channel not broken after round t, with its 95 % band",
            Mark::LineOverBand(colour),
        )
        .line(band_note(&s.survival));
    let body = with_events(header, s, input.info).draw(area)?;
    let t = Theme::of(&body);

    let horizon = s.horizon.max(1);
    let mut chart = time_frame(&body, t, (s, input.info), SURVIVAL_AXIS)?;

    // A step curve: breaks happen during a round, so S holds over the round
    // and drops at its end.
    let steps = |f: fn(&SurvivalPoint) -> f64| step_points(&s.survival, f);
    let band = step_band(steps(|p| p.hi), steps(|p| p.lo));
    chart.draw_series(std::iter::once(Polygon::new(
        band,
        colour.mix(BAND_ALPHA).filled(),
    )))?;
    chart.draw_series(LineSeries::new(steps(|p| p.p), t.stroke(colour, 2.5)))?;

    // The headline at the end of the curve. S is non-increasing, so the space
    // below and to the left of its last point is free of the curve.
    if let Some(last) = s.survival.last() {
        let end = (f64::from(last.round), 100.0 * last.p);
        chart.draw_series(std::iter::once(Circle::new(
            end,
            t.upx(6.0),
            ShapeStyle::from(INK).stroke_width(t.upx(2.0)),
        )))?;
        let style = t.bold(16.0).color(&INK);
        let label = format!("P(channel continued) = {:.1}%", 100.0 * last.p);
        // Below the end point when there is room (S never rises, so nothing
        // is drawn there); otherwise above the highest part of the curve
        // that the label spans.
        let (label_w, _) = body.estimate_text_size(&label, &style)?;
        let (plot_w, plot_h) = chart.plotting_area().dim_in_pixel();
        let span = f64::from(label_w) / f64::from(plot_w.max(1)) * f64::from(horizon);
        let gap = t.px(14.0);
        let (anchor, at) = if last.lo > 0.14 {
            (Pos::new(HPos::Right, VPos::Top), (end, gap))
        } else {
            let ceiling = curve_above(&s.survival, end.0 - span - 0.5);
            let above = (ceiling - 100.0 * last.p) / 100.0 * f64::from(plot_h);
            let dy = -(above.round() as i32) - gap;
            (Pos::new(HPos::Right, VPos::Bottom), (end, dy))
        };
        let ((x, y), dy) = at;
        chart.draw_series(std::iter::once(
            EmptyElement::at((x, y)) + Text::new(label, (-t.px(4.0), dy), style.pos(anchor)),
        ))?;
    }
    Ok(())
}

/// The highest upper band edge, in percent, from round `from` on.
fn curve_above(survival: &[SurvivalPoint], from: f64) -> f64 {
    survival
        .iter()
        .filter(|p| f64::from(p.round) >= from.floor())
        .map(|p| 100.0 * p.hi)
        .fold(0.0, f64::max)
}

/// How wide the band is, in words: at 100 000 runs it is narrower than the
/// line, and a reader should not take its absence for certainty.
fn band_note(survival: &[SurvivalPoint]) -> String {
    let widest = survival
        .iter()
        .map(|p| 100.0 * (p.hi - p.lo))
        .fold(0.0, f64::max);
    if widest < 1.5 {
        format!(
            "The 95 % band is at most {widest:.1} points wide, narrower than the line: \
             simulation noise is negligible here"
        )
    } else {
        format!("The 95 % band is at most {widest:.1} points wide")
    }
}
