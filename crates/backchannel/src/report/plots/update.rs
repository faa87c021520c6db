//! A forecast updated with news (`run --given`): survival before the news
//! (every run tried) and given it (the runs consistent with the
//! observations) on one chart, the observed rounds shaded and a "now" line
//! at the last of them. Drawn only when the summary has a `prior`.

use plotters::prelude::*;

use super::survival::SURVIVAL_AXIS;
use super::time::{step_band, step_points, time_frame, with_events};
use super::{Area, BAND_ALPHA, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, thousands};
use crate::output::summary::SurvivalPoint;
use crate::report::palette::{GREY, INK, Outcome, on_white};

/// How dark the shading of the observed rounds is.
const OBSERVED_ALPHA: f64 = 0.12;

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
    let s = input.summary;
    let Some(prior) = &s.prior else {
        return Ok(());
    };
    let colour = Outcome::Continued.colour();
    let now = prior.observed_through.min(s.horizon);
    let header = Header::new(PlotKind::Update, s)
        .line(format!(
            "P(channel continued): {:.1}% before the news → {:.1}% given it",
            100.0 * prior.channel_continued.p,
            100.0 * s.channel_continued.p
        ))
        .legend(
            format!("before the news: all {} runs tried", thousands(prior.runs)),
            Mark::Line(GREY),
        )
        .legend(
            format!(
                "given the news: the {} consistent runs, with the 95 % band",
                thousands(s.runs)
            ),
            Mark::LineOverBand(colour),
        )
        .legend(
            format!("observed: {}s 1–{now}", s.round_label),
            Mark::Square(on_white(INK, OBSERVED_ALPHA)),
        )
        .legend(
            format!("now: end of {} {now}", s.round_label),
            Mark::Vertical(INK),
        );
    let body = with_events(header, s, input.info).draw(area)?;
    let t = Theme::of(&body);
    let mut chart = time_frame(&body, t, (s, input.info), SURVIVAL_AXIS)?;
    let x_now = f64::from(now);
    chart.draw_series(std::iter::once(Rectangle::new(
        [(0.0, 0.0), (x_now, 100.0)],
        INK.mix(OBSERVED_ALPHA).filled(),
    )))?;
    let steps = |points: &[SurvivalPoint], f: fn(&SurvivalPoint) -> f64| step_points(points, f);
    chart.draw_series(std::iter::once(Polygon::new(
        step_band(steps(&s.survival, |p| p.hi), steps(&s.survival, |p| p.lo)),
        colour.mix(BAND_ALPHA).filled(),
    )))?;
    chart.draw_series(LineSeries::new(
        steps(&prior.survival, |p| p.p),
        t.stroke(GREY, 2.5),
    ))?;
    chart.draw_series(LineSeries::new(
        steps(&s.survival, |p| p.p),
        t.stroke(colour, 2.5),
    ))?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(x_now, 0.0), (x_now, 100.0)],
        t.stroke(INK, 2.0),
    )))?;
    Ok(())
}
