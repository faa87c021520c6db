//! Channel survival: S(t), the share of runs whose channel is not broken
//! after round t, for t = 0..T, with its 95 % band, and the headline
//! P(channel continued) = S(T) marked at the end.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Area, Axis, BAND_ALPHA, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, axis_desc,
    with_interval,
};
use crate::output::Summary;
use crate::output::summary::SurvivalPoint;
use crate::report::palette::{INK, Outcome};

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
    let body = header.draw(area)?;
    let t = Theme::of(&body);

    let horizon = s.horizon.max(1);
    let mut chart = survival_frame(&body, t, s)?;

    // A step curve: breaks happen during a round, so S holds over the round
    // and drops at its end.
    let steps = |f: fn(&SurvivalPoint) -> f64| step_points(&s.survival, f);
    let band: Vec<(f64, f64)> = steps(|p| p.hi)
        .into_iter()
        .chain(steps(|p| p.lo).into_iter().rev())
        .collect();
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

/// The frame both survival charts draw in: rounds 0..T across, S(t) in
/// percent up, with the axes labelled.
pub(super) fn survival_frame<'a, DB: DrawingBackend>(
    body: &'a Area<DB>,
    t: Theme,
    s: &Summary,
) -> DrawResult<DB, ChartContext<'a, DB, Cartesian2d<Axis, Axis>>> {
    let horizon = s.horizon.max(1);
    let x_ticks: Vec<f64> = (0..=horizon)
        .step_by(tick_step(horizon) as usize)
        .map(f64::from)
        .collect();
    let x_range = Axis::new(0.0..f64::from(horizon), x_ticks);
    let y_range = Axis::new(0.0..100.0, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    let mut chart = t
        .frame(body, t.px(78.0))
        .build_cartesian_2d(x_range, y_range)?;
    let x_formatter = |x: &f64| format!("{x:.0}");
    let y_formatter = |y: &f64| format!("{y:.0}");
    t.mesh(&mut chart.configure_mesh())
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .x_desc(axis_desc(
            body,
            &format!("Round t ({})", s.round_label),
            false,
        )?)
        .y_desc("Channel not broken, S(t) (%)")
        .draw()?;
    Ok(chart)
}

/// `(t, 100·f)` of each point as a staircase: level over each round, down
/// (or up, for a band edge) at its end.
fn step_points(survival: &[SurvivalPoint], f: fn(&SurvivalPoint) -> f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(2 * survival.len());
    for (i, point) in survival.iter().enumerate() {
        let x = f64::from(point.round);
        if i > 0 {
            out.push((x, 100.0 * f(&survival[i - 1])));
        }
        out.push((x, 100.0 * f(point)));
    }
    out
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

/// Rounds between x-axis ticks: every round up to 16 rounds, then sparser.
fn tick_step(horizon: u32) -> u32 {
    match horizon {
        0..=16 => 1,
        17..=40 => 2,
        41..=100 => 5,
        _ => horizon.div_ceil(20),
    }
}

#[cfg(test)]
mod tests {
    use super::tick_step;

    #[test]
    fn ticks_stay_readable_for_long_horizons() {
        for horizon in [1, 12, 16, 17, 40, 41, 100, 101, 1000] {
            let ticks = horizon / tick_step(horizon) + 1;
            assert!(ticks <= 21, "{horizon}: {ticks}");
        }
    }
}
