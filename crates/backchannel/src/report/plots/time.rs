//! What every chart over rounds shares: the frame (rounds across, with the
//! scenario's calendar when it has one), the marks of scheduled events, and
//! step curves.

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::{Area, Axis, DrawResult, Header, Mark, Theme, axis_desc, tick_label, ticks};
use crate::output::Summary;
use crate::output::summary::SurvivalPoint;
use crate::report::ScenarioInfo;
use crate::scenario::calendar::Calendar;
use crate::report::palette::MUTED;

/// A chart over rounds `0..=T`: x in rounds, y in percent.
pub type TimeChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// The frame of a chart over rounds: rounds 0..T across (labelled with
/// their months when the scenario has a start), `y_desc` in percent from 0
/// to 100 up, and every scheduled event marked.
pub fn time_frame<'a, DB: DrawingBackend>(
    body: &'a Area<DB>,
    t: Theme,
    study: (&Summary, &ScenarioInfo),
    y_desc: &str,
) -> DrawResult<DB, TimeChart<'a, DB>> {
    percent_time_frame(body, t, study, (y_desc, 100.0, 20.0))
}

/// [`time_frame`] with the y axis from 0 to `top` percent, ticks every
/// `step`.
pub fn percent_time_frame<'a, DB: DrawingBackend>(
    body: &'a Area<DB>,
    t: Theme,
    (s, info): (&Summary, &ScenarioInfo),
    (y_desc, top, step): (&str, f64, f64),
) -> DrawResult<DB, TimeChart<'a, DB>> {
    let rounds = Rounds::of(s, info);
    let horizon = rounds.horizon;
    let y_range = Axis::new(0.0..top, ticks(top, step));
    let mut chart = t
        .frame(body, t.px(78.0))
        .build_cartesian_2d(rounds.axis(), y_range)?;
    let x_formatter = |x: &f64| rounds.tick(x.round() as u32);
    let y_formatter = |y: &f64| tick_label(*y, step);
    t.mesh(&mut chart.configure_mesh())
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .x_desc(axis_desc(body, &rounds.description(), false)?)
        .y_desc(y_desc)
        .draw()?;
    mark_events(&mut chart, t, info, (horizon, top))?;
    Ok(chart)
}

/// The one time axis of every chart over rounds (a study's, a comparison's):
/// rounds 0..T across, named by the month each ends in when the scenario
/// has a start, else numbered.
#[derive(Debug, Clone, PartialEq)]
pub struct Rounds {
    /// T, the last round (at least 1, so the axis has a width).
    pub horizon: u32,
    /// What a round is (`scenario.round_label`).
    pub label: String,
    /// When the rounds fall, if the scenario says (`scenario.start`).
    pub calendar: Option<Calendar>,
}

impl Rounds {
    /// The rounds of a study.
    pub fn of(s: &Summary, info: &ScenarioInfo) -> Rounds {
        Rounds::new(s.horizon, &s.round_label, info.calendar)
    }

    pub fn new(horizon: u32, label: &str, calendar: Option<Calendar>) -> Rounds {
        Rounds {
            horizon: horizon.max(1),
            label: label.to_string(),
            calendar,
        }
    }

    /// The x axis: 0..T, a tick every round or every few.
    pub fn axis(&self) -> Axis {
        let ticks = (0..=self.horizon)
            .step_by(tick_step(self.horizon, self.calendar.is_some()) as usize)
            .map(f64::from)
            .collect();
        Axis::new(0.0..f64::from(self.horizon), ticks)
    }

    /// The axis's title: rounds, or with a calendar the month each ends
    /// ("End of month t (month 1 = Feb 2026)", with the months per round
    /// unless a round is a month).
    pub fn description(&self) -> String {
        let label = &self.label;
        match self.calendar {
            Some(c) if c.months_per_round == 1 && label == "month" => {
                format!("End of month t (month 1 = {})", c.start)
            }
            Some(c) => format!(
                "End of {label} t ({label} 1 = {}; {} each)",
                c.start,
                super::plural(c.months_per_round, "month")
            ),
            None => format!("End of {label} t"),
        }
    }

    /// The tick label of round `t`: its number, or its month ("Feb 2026"
    /// for the first and for each January, the month alone otherwise); 0,
    /// the start, is "start" under month names.
    pub fn tick(&self, t: u32) -> String {
        let Some(calendar) = self.calendar else {
            return t.to_string();
        };
        if t == 0 {
            return "start".into();
        }
        let month = calendar.month_of(t);
        let name = month.to_string();
        if t == 1 || month.month == 1 {
            name
        } else {
            name.split(' ').next().unwrap_or(&name).to_string()
        }
    }
}

/// Where a scheduled event of round `r` is drawn: mid-round, since it
/// happens during the round (values are at round ends).
fn event_x(round: u32) -> f64 {
    f64::from(round) - 0.5
}

/// A dashed vertical line at each scheduled event within the horizon.
fn mark_events<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    t: Theme,
    info: &ScenarioInfo,
    (horizon, top): (u32, f64),
) -> DrawResult<DB> {
    for (round, _) in info.scheduled.iter().filter(|(r, _)| *r <= horizon) {
        let x = event_x(*round);
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(x, 0.0), (x, top)],
            t.upx(7.0),
            t.upx(5.0),
            t.stroke(MUTED, 1.5),
        )))?;
    }
    Ok(())
}

/// `header` with a legend entry for each scheduled event within the
/// horizon ("US midterm elections (Nov 2026)").
pub fn with_events(mut header: Header, s: &Summary, info: &ScenarioInfo) -> Header {
    for (round, name) in info.scheduled.iter().filter(|(r, _)| *r <= s.horizon) {
        let when = match info.calendar {
            Some(calendar) => calendar.month_of(*round).to_string(),
            None => format!("{} {round}", s.round_label),
        };
        header = header.legend(format!("{name} ({when})"), Mark::Dashed(MUTED));
    }
    header
}

/// `(t, 100·f)` of each point as a staircase: see [`staircase`].
pub fn step_points(points: &[SurvivalPoint], f: fn(&SurvivalPoint) -> f64) -> Vec<(f64, f64)> {
    staircase(points.iter().map(|p| (p.round, 100.0 * f(p))))
}

/// `(round, value)` pairs as a staircase. A value is counted at the end of
/// its round, so round t is drawn over (t − 1, t]: level over the round,
/// and the step to it at the round's start. The first point (round 0, the
/// start) has no width, and the last round ends at the right edge, which
/// shows the value at the horizon.
pub fn staircase(points: impl Iterator<Item = (u32, f64)>) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut start = None;
    for (round, value) in points {
        let x = f64::from(round);
        if let Some(start) = start {
            out.push((start, value));
        }
        out.push((x, value));
        start = Some(x);
    }
    out
}

/// The value a staircase shows over the round that ends at `x` (the
/// rounds are (t − 1, t]): the level of its flat step with `x` in
/// (start, end]. At the right edge, the value at the horizon.
#[cfg(any(test, feature = "internals"))]
pub fn drawn_at(steps: &[(f64, f64)], x: f64) -> Option<f64> {
    steps
        .windows(2)
        .find(|w| w[0].1 == w[1].1 && w[0].0 < x && x <= w[1].0)
        .map(|w| w[0].1)
}

/// A band between two staircases, as one closed polygon.
pub fn step_band(upper: Vec<(f64, f64)>, lower: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    upper.into_iter().chain(lower.into_iter().rev()).collect()
}

/// One layer of a stacked chart over rounds, as drawn: the staircases of
/// its top and bottom edges, in percent.
#[derive(Debug, Clone, PartialEq)]
pub struct StepLayer {
    pub top: Vec<(f64, f64)>,
    pub bottom: Vec<(f64, f64)>,
}

impl StepLayer {
    /// The layer as one closed polygon.
    pub fn polygon(&self) -> Vec<(f64, f64)> {
        step_band(self.top.clone(), self.bottom.clone())
    }
}

/// Layers stacked from the bottom up, each given by its value (percent) at
/// the end of each of `rounds`.
pub fn stack(rounds: &[u32], layers: impl Iterator<Item = Vec<f64>>) -> Vec<StepLayer> {
    let steps = |values: &[f64]| staircase(rounds.iter().copied().zip(values.iter().copied()));
    let mut below = vec![0.0; rounds.len()];
    layers
        .map(|layer| {
            let above: Vec<f64> = below.iter().zip(&layer).map(|(b, v)| b + v).collect();
            let drawn = StepLayer {
                top: steps(&above),
                bottom: steps(&below),
            };
            below = above;
            drawn
        })
        .collect()
}

/// Rounds between x-axis ticks: every round up to 16 rounds (12 with month
/// names, which are wider), then sparser.
fn tick_step(horizon: u32, months: bool) -> u32 {
    match (horizon, months) {
        (0..=12, true) | (0..=16, false) => 1,
        (0..=40, _) => 2,
        (41..=100, _) => 5,
        _ => horizon.div_ceil(20),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::calendar::YearMonth;

    #[test]
    fn ticks_stay_readable_for_long_horizons() {
        for months in [false, true] {
            for horizon in [1, 12, 13, 16, 17, 40, 41, 100, 101, 1000] {
                let ticks = horizon / tick_step(horizon, months) + 1;
                assert!(ticks <= 21, "{horizon}: {ticks}");
            }
        }
    }

    #[test]
    fn rounds_are_named_by_month_with_the_year_at_the_start_and_each_january_and_0_is_labelled() {
        let numbered = Rounds::new(12, "month", None);
        assert_eq!((numbered.tick(0), numbered.tick(3)), ("0".into(), "3".into()));
        assert_eq!(numbered.description(), "End of month t");
        let calendar = Some(Calendar {
            start: YearMonth {
                year: 2026,
                month: 2,
            },
            months_per_round: 1,
        });
        let ticks: Vec<String> = (0..=12).map(|t| Rounds::new(12, "month", calendar).tick(t)).collect();
        assert_eq!(ticks[..3], ["start", "Feb 2026", "Mar"]);
        assert_eq!(ticks[12], "Jan 2027");
    }

    #[test]
    fn a_staircase_draws_round_t_over_the_round_that_ends_at_t() {
        let steps = staircase([(0, 100.0), (1, 90.0), (2, 80.0)].into_iter());
        assert_eq!(
            steps,
            vec![
                (0.0, 100.0),
                (0.0, 90.0),
                (1.0, 90.0),
                (1.0, 80.0),
                (2.0, 80.0)
            ]
        );
        assert_eq!(drawn_at(&steps, 0.5), Some(90.0));
        assert_eq!(drawn_at(&steps, 1.0), Some(90.0));
        assert_eq!(drawn_at(&steps, 2.0), Some(80.0), "the right edge");
        assert_eq!(drawn_at(&steps, 2.5), None);
    }

    #[test]
    fn stacked_layers_rest_on_each_other() {
        let layers = stack(&[0, 1], [vec![10.0, 20.0], vec![5.0, 5.0]].into_iter());
        assert_eq!(drawn_at(&layers[1].bottom, 1.0), Some(20.0));
        assert_eq!(drawn_at(&layers[1].top, 1.0), Some(25.0));
    }
}
