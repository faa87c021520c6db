//! Per-issue outcomes: for each issue, the share of runs in which it was
//! agreed (became pending), ratified by both parties, or rejected at home.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Area, Axis, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, fit, percent, whisker, widest,
};
use crate::report::palette::{INK, Outcome};
use crate::stats::Proportion;

const KINDS: [(Outcome, &str); 3] = [
    (Outcome::Agreed, "Agreed"),
    (Outcome::Ratified, "Ratified by both"),
    (Outcome::Rejected, "Rejected at home"),
];

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
    let s = input.summary;
    let mut header = Header::new(PlotKind::Issues, s).line(
        "Share of runs in which each issue was agreed at the table, then ratified or rejected",
    );
    for (outcome, label) in KINDS {
        header = header.legend(label, Mark::Square(outcome.colour()));
    }
    let body = header.legend("95 % interval", Mark::Whisker).draw(area)?;
    let t = Theme::of(&body);

    let n = s.issues.0.len().max(1);
    let label_font = t.font(15.0);
    let (w, _) = body.dim_in_pixel();
    let max_label = (w as f64 * 0.36) as u32;
    let mut labels = Vec::new();
    for (id, _) in &s.issues.0 {
        labels.push(fit(
            &body,
            input.info.names.issue(id),
            &label_font,
            max_label,
        )?);
    }
    let label_area = widest(&body, &labels, &label_font)? as i32 + t.px(16.0);

    let row_y = |row: usize| (n - 1 - row) as f64;
    let y_range = Axis::new(-0.5..n as f64 - 0.5, (0..n).map(|i| i as f64).collect());
    let x_range = Axis::new(0.0..112.0, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    let mut chart = t
        .frame(&body, label_area)
        .build_cartesian_2d(x_range, y_range)?;
    let y_formatter = |y: &f64| {
        let row = y.round();
        if row >= 0.0 && (row as usize) < labels.len() {
            labels[n - 1 - row as usize].clone()
        } else {
            String::new()
        }
    };
    let x_formatter = |x: &f64| format!("{x:.0}");
    t.mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .y_label_style(label_font.color(&INK))
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .x_desc("Share of runs (%)")
        .draw()?;

    // Three bars a row, top to bottom in the legend's order.
    let thickness = 0.24;
    let bars: Vec<(f64, Proportion, Outcome)> = s
        .issues
        .0
        .iter()
        .enumerate()
        .flat_map(|(row, (_, o))| {
            [o.agreed, o.ratified, o.rejected]
                .into_iter()
                .zip(KINDS)
                .enumerate()
                .map(move |(k, (p, (outcome, _)))| {
                    (
                        row_y(row) + (1.0 - k as f64) * (thickness + 0.03),
                        p,
                        outcome,
                    )
                })
        })
        .collect();
    let half = thickness / 2.0;
    chart.draw_series(bars.iter().map(|(y, p, outcome)| {
        Rectangle::new(
            [(0.0, y - half), (100.0 * p.p, y + half)],
            outcome.colour().filled(),
        )
    }))?;
    let ink = t.stroke(INK, 1.2);
    for (y, p, _) in &bars {
        chart.draw_series(whisker(
            *y,
            100.0 * p.lo,
            100.0 * p.hi,
            half * 0.5,
            true,
            ink,
        ))?;
    }
    let (_, plot_h) = chart.plotting_area().dim_in_pixel();
    let bar_px = plot_h as f64 / n as f64 * thickness;
    if bar_px >= t.s * 12.0 {
        let style = t
            .font(13.0)
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let gap = t.px(6.0);
        chart.draw_series(bars.iter().map(|(y, p, _)| {
            EmptyElement::at((100.0 * p.hi, *y)) + Text::new(percent(p.p), (gap, 0), style.clone())
        }))?;
    }
    Ok(())
}
