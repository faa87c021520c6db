//! Per-issue outcomes: for each issue, one bar as long as the share of runs
//! in which it was agreed at the table, split into ratified by both
//! parties, rejected at home, and still pending.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Area, Axis, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, fit, percent, whisker, widest,
};
use crate::output::summary::IssueOutcome;
use crate::report::palette::{INK, Outcome};

/// The parts of each issue's bar, whose whole length is P(agreed): ratified
/// by both, rejected at home (what ratification lost), and still pending
/// at the horizon. A run's issue ends in one status, so the parts do not
/// overlap. Green, vermillion and purple differ in lightness as well as
/// hue, so they stay apart under deuteranopia.
const PARTS: [(Outcome, &str); 3] = [
    (Outcome::Ratified, "Ratified by both"),
    (Outcome::Rejected, "Rejected at home"),
    (Outcome::Agreed, "Agreed, still pending"),
];

/// Where each part of an issue's bar ends, in percent: ratified, then
/// rejected, then pending up to P(agreed) (never before the parts drawn).
fn part_ends(o: &IssueOutcome) -> [f64; 3] {
    let ratified = 100.0 * o.ratified.p;
    let rejected = ratified + 100.0 * o.rejected.p;
    [ratified, rejected, rejected.max(100.0 * o.agreed.p)]
}

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
    let s = input.summary;
    let mut header = Header::new(PlotKind::Issues, s).line(
        "Share of runs in which each issue was agreed at the table (the whole bar), and what became of it",
    );
    for (outcome, label) in PARTS {
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
    let x_range = Axis::new(0.0..100.0, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
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

    let half = 0.3;
    let rows: Vec<(f64, &IssueOutcome)> = s
        .issues
        .0
        .iter()
        .enumerate()
        .map(|(row, (_, o))| (row_y(row), o))
        .collect();
    for &(y, o) in &rows {
        let mut start = 0.0;
        for ((outcome, _), end) in PARTS.iter().zip(part_ends(o)) {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(start, y - half), (end, y + half)],
                outcome.colour().filled(),
            )))?;
            start = end;
        }
        let ink = t.stroke(INK, 1.2);
        for p in [o.ratified, o.agreed] {
            chart.draw_series(whisker(
                y,
                100.0 * p.lo,
                100.0 * p.hi,
                half * 0.4,
                true,
                ink,
            ))?;
        }
    }
    // Each row's numbers, after the bar or, for bars reaching past 60 %,
    // inside it on the left (the agreed part starts there).
    let (_, plot_h) = chart.plotting_area().dim_in_pixel();
    if plot_h as f64 / n as f64 * 2.0 * half >= t.s * 14.0 {
        let style = t
            .font(13.0)
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let gap = t.px(6.0);
        chart.draw_series(rows.iter().map(|&(y, o)| {
            let text = format!(
                "agreed {}, ratified {}, rejected {}",
                percent(o.agreed.p),
                percent(o.ratified.p),
                percent(o.rejected.p)
            );
            let at = if o.agreed.hi > 0.6 {
                1.0
            } else {
                100.0 * o.agreed.hi
            };
            EmptyElement::at((at, y)) + Text::new(text, (gap, 0), style.clone())
        }))?;
    }
    Ok(())
}
