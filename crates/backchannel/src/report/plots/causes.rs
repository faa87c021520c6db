//! When and why the channel broke: the cumulative incidence of a break by
//! each cause (each breaking shock, each spoiler that can strike) over the
//! rounds, stacked, so the top edge is the share of runs broken by the end
//! of each round, 1 − S(t), and each layer's height at the end is that
//! cause's share of all runs.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::time::{StepLayer, percent_time_frame, stack, with_events};
use super::{
    Area, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, percent, percent_axis, plural,
    with_interval,
};
use crate::output::summary::SurvivalPoint;
use crate::report::palette::{MUTED, Meaning, NAMED_CAUSES};


/// A layer of the chart: its name, colour and cumulative share by round
/// (percent of all runs).
#[derive(Debug, Clone)]
pub struct Layer {
    pub name: String,
    pub colour: RGBColor,
    pub by_round: Vec<f64>,
}

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
    let s = input.summary;
    let layers = layers(input);
    let mut header = Header::new(PlotKind::Causes, s);
    if let Some(broken) = s.channel.get("broken") {
        header = header.line(format!(
            "Channel broken in {} of runs by the end; each layer: the share of all runs \
             broken by that cause so far",
            with_interval(broken)
        ));
    }
    let never = s.causes.0.iter().filter(|(_, p)| p.count == 0).count();
    if never > 0 {
        header = header.line(format!(
            "{} never broke the channel",
            plural(never as u64, "possible cause")
        ));
    }
    for layer in &layers {
        let end = layer.by_round.last().copied().unwrap_or(0.0);
        header = header.legend(
            format!("{} ({} by the end)", layer.name, percent(end / 100.0)),
            Mark::Square(layer.colour),
        );
    }
    let body = with_events(header, s, input.info).draw(area)?;
    let t = Theme::of(&body);
    if layers.is_empty() {
        let style = t
            .font(18.0)
            .color(&MUTED)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let (w, h) = body.dim_in_pixel();
        let what = if s.causes.0.is_empty() {
            "No shock or spoiler in this scenario can break the channel"
        } else {
            "No run broke the channel"
        };
        body.draw_text(what, &style, (w as i32 / 2, h as i32 / 2))?;
        return Ok(());
    }
    let total = layers.iter().filter_map(|l| l.by_round.last()).sum::<f64>();
    let (top, step) = percent_axis(total * 1.1);
    let mut chart = percent_time_frame(
        &body,
        t,
        (s, input.info),
        ("Runs broken by the end of the round (%)", top, step),
    )?;
    for (layer, drawn) in layers.iter().zip(drawn(&layers, s.horizon)) {
        chart.draw_series(std::iter::once(Polygon::new(
            drawn.polygon(),
            layer.colour.filled(),
        )))?;
    }
    Ok(())
}

/// The layers as drawn, stacked from the bottom up over rounds 0..=`horizon`.
pub fn drawn(layers: &[Layer], horizon: u32) -> Vec<StepLayer> {
    let rounds: Vec<u32> = (0..=horizon).collect();
    stack(&rounds, layers.iter().map(|l| l.by_round.clone()))
}

/// The causes that broke the channel in some run, most frequent first (ties
/// in the summary's order), in percent by round, each a shade of the
/// vermillion of a break, darker the more frequent; past
/// [`NAMED_CAUSES`], the rest summed as "other causes" in the lightest.
pub fn layers(input: PlotInput<'_>) -> Vec<Layer> {
    let s = input.summary;
    let mut causes: Vec<(usize, &String, &Vec<SurvivalPoint>)> = s
        .breaks_by_round
        .0
        .iter()
        .enumerate()
        .filter(|(_, (_, points))| points.last().is_some_and(|p| p.p > 0.0))
        .map(|(i, (key, points))| (i, key, points))
        .collect();
    let end = |points: &Vec<SurvivalPoint>| points.last().map_or(0.0, |p| p.p);
    causes.sort_by(|a, b| end(b.2).total_cmp(&end(a.2)).then(a.0.cmp(&b.0)));
    let percents =
        |points: &Vec<SurvivalPoint>| -> Vec<f64> { points.iter().map(|p| 100.0 * p.p).collect() };
    let shown = if causes.len() > NAMED_CAUSES + 1 {
        NAMED_CAUSES
    } else {
        causes.len()
    };
    let mut layers: Vec<Layer> = causes[..shown]
        .iter()
        .enumerate()
        .map(|(rank, (_, key, points))| Layer {
            name: input.info.names.cause(key),
            colour: Meaning::Cause(rank).colour(),
            by_round: percents(points),
        })
        .collect();
    if let Some(rest) = causes.get(shown..).filter(|rest| !rest.is_empty()) {
        let mut by_round = vec![0.0; usize::try_from(s.horizon).unwrap_or(0) + 1];
        for (_, _, points) in rest {
            for (sum, v) in by_round.iter_mut().zip(percents(points)) {
                *sum += v;
            }
        }
        layers.push(Layer {
            name: format!("{} other causes", rest.len()),
            colour: Meaning::Cause(NAMED_CAUSES).colour(),
            by_round,
        });
    }
    layers
}
