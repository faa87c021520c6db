//! The channel's state by round: the shares of runs whose channel is
//! active, suspended, concluded or broken at the end of each round,
//! stacked to 100 %. The top of the concluded layer is S(t), the survival
//! curve.

use plotters::prelude::*;

use super::time::{staircase, step_band, time_frame, with_events};
use super::{Area, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, percent};
use crate::output::summary::ChannelPoint;
use crate::report::palette::Outcome;

/// A layer: its outcome (colour), name and how it reads its share.
type Layer = (Outcome, &'static str, fn(&ChannelPoint) -> f64);

/// The layers from the bottom up.
const LAYERS: [Layer; 4] = [
    (Outcome::Active, "active", |p| p.active),
    (Outcome::Suspended, "suspended", |p| p.suspended),
    (Outcome::Concluded, "concluded", |p| p.concluded),
    (Outcome::Broken, "broken", |p| p.broken),
];

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
    let s = input.summary;
    let mut header = Header::new(PlotKind::States, s).line(format!(
        "Each {}: how the runs stand at its end (shares add up to 100 %); \
         the top of the green layer is S(t)",
        s.round_label
    ));
    let end = s.channel_by_round.last();
    for (outcome, name, share) in LAYERS {
        let label = match end {
            Some(p) => format!("{name} ({} at the end)", percent(share(p))),
            None => name.to_string(),
        };
        header = header.legend(label, Mark::Square(outcome.colour()));
    }
    let body = with_events(header, s, input.info).draw(area)?;
    let t = Theme::of(&body);
    let mut chart = time_frame(&body, t, (s, input.info), "Share of runs (%)")?;
    let mut below = vec![0.0; s.channel_by_round.len()];
    for (outcome, _, share) in LAYERS {
        let above: Vec<f64> = below
            .iter()
            .zip(&s.channel_by_round)
            .map(|(b, p)| b + 100.0 * share(p))
            .collect();
        let steps = |tops: &[f64]| {
            staircase(
                s.channel_by_round
                    .iter()
                    .zip(tops)
                    .map(|(p, &v)| (p.round, v)),
            )
        };
        let layer = step_band(steps(&above), steps(&below));
        chart.draw_series(std::iter::once(Polygon::new(
            layer,
            outcome.colour().filled(),
        )))?;
        below = above;
    }
    Ok(())
}
