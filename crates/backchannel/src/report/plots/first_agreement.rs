//! Time to first agreement: in which round the first issue was agreed
//! (became pending), as a share of all runs, with a separate bar for the
//! runs that never agreed on anything.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Area, Axis, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, axis_desc, percent,
    percent_axis, tick_label, ticks, whisker,
};
use crate::report::palette::{INK, Outcome};
use crate::stats::Proportion;

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
    let s = input.summary;
    let first = &s.first_agreement_round;
    let never = first.never;
    let mut header = Header::new(PlotKind::FirstAgreement, s);
    header = match first.mean {
        Some(mean) => header.line(format!(
            "Agreement on at least one issue in {} of runs, on average in {} {mean:.1}; never in {}",
            percent(1.0 - never.p),
            s.round_label,
            percent(never.p)
        )),
        None => header.line(format!(
            "No run reached any agreement: never in {} of runs",
            percent(never.p)
        )),
    };
    let header = header
        .legend(
            "First agreement in this round",
            Mark::Square(Outcome::Agreed.colour()),
        )
        .legend("Never agreed", Mark::Square(Outcome::None.colour()))
        .legend("95 % interval", Mark::Whisker);
    let body = header.draw(area)?;
    let t = Theme::of(&body);

    // Bars at rounds 1..=T, then the "never" bar after a gap.
    let horizon = s.horizon.max(1) as usize;
    let never_at = horizon as f64 + 1.5;
    let bars: Vec<(f64, Proportion, Outcome)> = first
        .by_round
        .iter()
        .enumerate()
        .map(|(t, &share)| ((t + 1) as f64, share, Outcome::Agreed))
        .chain(std::iter::once((never_at, never, Outcome::None)))
        .collect();
    let max = bars
        .iter()
        .map(|(_, p, _)| 100.0 * p.hi)
        .fold(0.0, f64::max);
    let (top, step) = percent_axis(max * 1.12);
    let label_every = horizon.div_ceil(16);
    let mut x_ticks: Vec<f64> = (1..=horizon)
        .step_by(label_every)
        .map(|r| r as f64)
        .collect();
    x_ticks.push(never_at);
    let x_range = Axis::new(0.4..never_at + 0.6, x_ticks);
    // Room above the tallest bar for its value.
    let y_range = Axis::new(0.0..top.max(max * 1.12), ticks(top, step));
    let mut chart = t
        .frame(&body, t.px(78.0))
        .build_cartesian_2d(x_range, y_range)?;
    let x_formatter = |x: &f64| {
        if (x - never_at).abs() < 1e-9 {
            "never".to_string()
        } else {
            format!("{x:.0}")
        }
    };
    let y_formatter = |y: &f64| tick_label(*y, step);
    t.mesh(&mut chart.configure_mesh())
        .disable_x_mesh()
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .x_desc(axis_desc(
            &body,
            &format!("Round of the first agreement ({})", s.round_label),
            false,
        )?)
        .y_desc("Share of runs (%)")
        .draw()?;

    let half = 0.36;
    chart.draw_series(bars.iter().map(|(x, p, outcome)| {
        Rectangle::new(
            [(x - half, 0.0), (x + half, 100.0 * p.p)],
            outcome.colour().filled(),
        )
    }))?;
    let ink = t.stroke(INK, 1.5);
    // No whisker over empty rounds: the histogram's shape is the point.
    for (x, p, _) in bars.iter().filter(|(_, p, _)| p.count > 0) {
        chart.draw_series(whisker(*x, 100.0 * p.lo, 100.0 * p.hi, 0.1, false, ink))?;
    }
    if horizon <= 16 {
        let style = t
            .font(13.0)
            .color(&INK)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        let gap = t.px(4.0);
        // Nothing printed over empty rounds; "<0.1" where a few runs agreed.
        chart.draw_series(
            bars.iter()
                .filter(|(_, p, _)| p.count > 0)
                .map(|(x, p, _)| {
                    let value = if p.p < 0.0005 {
                        "<0.1".to_string()
                    } else {
                        format!("{:.1}", 100.0 * p.p)
                    };
                    EmptyElement::at((*x, 100.0 * p.hi))
                        + Text::new(value, (0, -gap), style.clone())
                }),
        )?;
    }
    Ok(())
}
