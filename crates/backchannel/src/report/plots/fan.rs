//! The survival fan chart of a study with judged inputs: S(t) across the
//! worlds (the 50 % and 90 % bands of the judged inputs' spread, and the
//! median world) around the mixture, the forecast itself. Drawn only when
//! the summary has an `uncertainty` object.

use plotters::prelude::*;

use super::survival::SURVIVAL_AXIS;
use super::time::{staircase, step_band, step_points, time_frame, with_events};
use super::{Area, BAND_ALPHA, DrawResult, Header, Mark, PlotInput, PlotKind, Theme};
use crate::report::palette::{Outcome, on_white};
use crate::stats::spread::Spread;

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
    let s = input.summary;
    let Some(u) = &s.uncertainty else {
        return Ok(());
    };
    let colour = Outcome::Continued.colour();
    let last = u.survival.last().copied();
    let mut header = Header::new(PlotKind::Fan, s)
        .line(format!(
            "What the judged inputs leave open: S(t) over {} worlds of {} runs each",
            u.worlds, u.runs_per_world
        ))
        .legend("the forecast: S(t) over every world", Mark::Line(colour))
        .legend(
            "50 % band: the middle half of the worlds (25th–75th percentile)",
            Mark::Square(on_white(colour, INNER_ALPHA)),
        )
        .legend(
            "90 % band: nine in ten worlds (5th–95th percentile)",
            Mark::Square(on_white(colour, BAND_ALPHA)),
        );
    if let Some(end) = last {
        header = header.line(format!(
            "P(channel continued) {:.1}% overall; from {:.0}% to {:.0}% across the judged ranges",
            100.0 * s.channel_continued.p,
            100.0 * end.p05,
            100.0 * end.p95
        ));
    }
    let body = with_events(header, s, input.info).draw(area)?;
    let t = Theme::of(&body);
    let mut chart = time_frame(&body, t, (s, input.info), SURVIVAL_AXIS)?;
    // Step curves, as every chart over rounds: round t over (t − 1, t].
    let curve = |f: fn(&Spread) -> f64| -> Vec<(f64, f64)> {
        staircase(
            (0..)
                .zip(&u.survival)
                .map(|(round, spread)| (round, 100.0 * f(spread))),
        )
    };
    for (upper, lower, alpha) in [
        (curve(|x| x.p95), curve(|x| x.p05), BAND_ALPHA),
        (curve(|x| x.p75), curve(|x| x.p25), INNER_ALPHA),
    ] {
        chart.draw_series(std::iter::once(Polygon::new(
            step_band(upper, lower),
            colour.mix(alpha).filled(),
        )))?;
    }
    let mixture = step_points(&s.survival, |p| p.p);
    chart.draw_series(LineSeries::new(mixture, t.stroke(colour, 2.5)))?;
    Ok(())
}

/// How opaque the inner (25–75 %) band is, over the outer band.
const INNER_ALPHA: f64 = 0.45;
