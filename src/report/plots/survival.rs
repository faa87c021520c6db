//! Channel survival: S(t), the share of runs whose channel is not broken
//! after round t, for t = 0..T, with its 95 % band, and the headline
//! P(channel continued) = S(T) marked at the end.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Area, Axis, BAND_ALPHA, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, axis_desc,
    with_interval,
};
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
        );
    let body = header.draw(area)?;
    let t = Theme::of(&body);

    let horizon = s.horizon.max(1);
    let step = tick_step(horizon);
    let x_ticks: Vec<f64> = (0..=horizon)
        .step_by(step as usize)
        .map(f64::from)
        .collect();
    let x_range = Axis::new(0.0..f64::from(horizon), x_ticks);
    let y_range = Axis::new(0.0..100.0, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    let mut chart = t
        .frame(&body, t.px(78.0))
        .build_cartesian_2d(x_range, y_range)?;
    let x_formatter = |x: &f64| format!("{x:.0}");
    let y_formatter = |y: &f64| format!("{y:.0}");
    t.mesh(&mut chart.configure_mesh())
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .x_desc(axis_desc(
            &body,
            &format!("Round t ({})", s.round_label),
            false,
        )?)
        .y_desc("Channel not broken, S(t) (%)")
        .draw()?;

    let points = |f: fn(&crate::output::summary::SurvivalPoint) -> f64| {
        s.survival
            .iter()
            .map(move |point| (f64::from(point.round), 100.0 * f(point)))
    };
    let band: Vec<(f64, f64)> = points(|p| p.hi)
        .chain(points(|p| p.lo).collect::<Vec<_>>().into_iter().rev())
        .collect();
    chart.draw_series(std::iter::once(Polygon::new(
        band,
        colour.mix(BAND_ALPHA).filled(),
    )))?;
    chart.draw_series(LineSeries::new(points(|p| p.p), t.stroke(colour, 2.5)))?;
    chart.draw_series(points(|p| p.p).map(|xy| Circle::new(xy, t.upx(3.5), colour.filled())))?;

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
fn curve_above(survival: &[crate::output::summary::SurvivalPoint], from: f64) -> f64 {
    survival
        .iter()
        .filter(|p| f64::from(p.round) >= from.floor())
        .map(|p| 100.0 * p.hi)
        .fold(0.0, f64::max)
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
