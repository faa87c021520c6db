//! The channel's state by round: the shares of runs whose channel is
//! active, suspended, concluded or broken at the end of each round,
//! stacked to 100 %. The top of the concluded layer is S(t), the survival
//! curve.

use plotters::prelude::*;

use super::time::{StepLayer, stack, time_frame, with_events};
use super::{Area, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, percent};
use crate::output::Summary;
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
    for (outcome, layer) in drawn(s) {
        chart.draw_series(std::iter::once(Polygon::new(
            layer.polygon(),
            outcome.colour().filled(),
        )))?;
    }
    Ok(())
}

/// The layers as drawn, from the bottom up: each state's share of runs (in
/// percent) at the end of each round, held over that round.
pub fn drawn(s: &Summary) -> Vec<(Outcome, StepLayer)> {
    let rounds: Vec<u32> = s.channel_by_round.iter().map(|p| p.round).collect();
    let shares = LAYERS.iter().map(|(_, _, share)| {
        s.channel_by_round
            .iter()
            .map(|p| 100.0 * share(p))
            .collect()
    });
    let outcomes = LAYERS.iter().map(|(outcome, _, _)| *outcome);
    outcomes.zip(stack(&rounds, shares)).collect()
}
