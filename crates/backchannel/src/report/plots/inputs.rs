//! What the news did to the judged inputs (`run --given` with judged
//! inputs): for the inputs the news moved most, the prior's and the
//! posterior's mean and 90 % range over the worlds, each row on the scale of
//! its prior range (0 = the prior's 5th percentile, 1 = its 95th), so inputs
//! in different units share one axis. Drawn only when some input has a
//! posterior.

use plotters::prelude::*;

use super::{
    Area, Axis, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, fit, row_label, tick_label,
    widest, wrap,
};
use crate::output::Summary;
use crate::report::keys::key_words;
use crate::output::uncertainty::Moments;
use crate::report::palette::{GREY, INK, Outcome};
use crate::stats::significant_decimals;

/// At most this many inputs are drawn, the most moved first.
const MAX_ROWS: usize = 8;

/// One input's row: its key, and prior and posterior (mean, p05, p95).
struct Row {
    key: String,
    prior: (f64, f64, f64),
    posterior: (f64, f64, f64),
}

impl Row {
    /// `v` on the scale of the prior's 90 % range.
    fn scaled(&self, v: f64) -> f64 {
        let (_, lo, hi) = self.prior;
        if hi > lo { (v - lo) / (hi - lo) } else { 0.5 }
    }
}

/// Whether `summary` has inputs the news moved (a posterior to draw).
pub fn has_posterior(summary: &Summary) -> bool {
    !rows(summary).is_empty()
}

/// The numeric inputs with a posterior, in the order the news moved them.
fn rows(summary: &Summary) -> Vec<Row> {
    let Some(u) = &summary.uncertainty else {
        return Vec::new();
    };
    let number = |m: &Moments| match *m {
        Moments::Number { mean, p05, p95 } => Some((mean, p05, p95)),
        Moments::Shares { .. } => None,
    };
    u.moved_most
        .iter()
        .filter_map(|key| u.inputs.iter().find(|i| &i.key == key))
        .filter_map(|input| {
            Some(Row {
                key: input.key.clone(),
                prior: number(&input.prior)?,
                posterior: number(input.posterior.as_ref()?)?,
            })
        })
        .take(MAX_ROWS)
        .collect()
}

/// A value in three significant figures, at most three decimals and
/// trailing zeros kept, so a table's columns line up.
fn short(v: f64) -> String {
    let decimals = significant_decimals(v, 3).min(3);
    format!("{v:.decimals$}")
}

/// How far (on the scale of its prior's 90 % range) a posterior's mean and
/// ends may lie from the prior's and still count as unmoved: a hundredth,
/// a few pixels on this chart, less than a marker.
const UNMOVED: f64 = 0.01;

/// Whether the news left every row's posterior where its prior is: the
/// chart would only show identical pairs of bars.
pub fn unmoved(summary: &Summary) -> bool {
    let close = |row: &Row, a: f64, b: f64| (row.scaled(a) - row.scaled(b)).abs() < UNMOVED;
    rows(summary).iter().all(|row| {
        let ((m0, lo0, hi0), (m1, lo1, hi1)) = (row.prior, row.posterior);
        close(row, m0, m1) && close(row, lo0, lo1) && close(row, hi0, hi1)
    })
}

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
    let s = input.summary;
    let rows = rows(s);
    if unmoved(s) {
        return draw_unmoved(area, s);
    }
    let posterior = Outcome::Continued.colour();
    let header = Header::new(PlotKind::Inputs, s)
        .line(format!(
            "The {} the news moved most; labels: prior mean → posterior mean",
            super::plural(rows.len() as u64, "judged input")
        ))
        .legend("prior: mean and 90 % range of the worlds", Mark::Line(GREY))
        .legend(
            "posterior: the worlds weighted by how well they explain the news",
            Mark::Line(posterior),
        );
    let body = header.draw(area)?;
    let t = Theme::of(&body);
    if rows.is_empty() {
        return Ok(());
    }
    let label_font = t.font(15.0);
    let max_label = (body.dim_in_pixel().0 as f64 * 0.45) as u32;
    let mut labels = Vec::new();
    for row in &rows {
        // The name gives way to the numbers, which are the row's point.
        let numbers = format!(": {} → {}", short(row.prior.0), short(row.posterior.0));
        let style = TextStyle::from(label_font.clone());
        let room = max_label.saturating_sub(body.estimate_text_size(&numbers, &style)?.0);
        let name = fit(&body, &key_words(&input.info.names, &row.key), &label_font, room)?;
        labels.push(name + &numbers);
    }
    let label_area = widest(&body, &labels, &label_font)? as i32 + t.px(16.0);
    let (lo, hi) = rows.iter().fold((-0.25_f64, 1.25_f64), |(lo, hi), r| {
        (
            lo.min(r.scaled(r.posterior.1) - 0.1),
            hi.max(r.scaled(r.posterior.2) + 0.1),
        )
    });
    let (lo, hi) = ((lo * 4.0).floor() / 4.0, (hi * 4.0).ceil() / 4.0);
    let step = if hi - lo > 3.0 { 0.5 } else { 0.25 };
    let x_ticks: Vec<f64> = (0..=((hi - lo) / step).round() as usize)
        .map(|i| lo + i as f64 * step)
        .collect();
    let n = rows.len();
    let y_range = Axis::new(-0.6..n as f64 - 0.4, (0..n).map(|i| i as f64).collect());
    let mut chart = t
        .frame(&body, label_area)
        .build_cartesian_2d(Axis::new(lo..hi, x_ticks), y_range)?;
    let x_formatter = |x: &f64| tick_label(*x, step);
    let y_formatter = |y: &f64| row_label(&labels, *y);
    t.mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .y_label_style(label_font.color(&INK))
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .x_desc("Position in the prior's 90 % range (0: its 5th percentile, 1: its 95th)")
        .draw()?;
    for (rank, row) in rows.iter().enumerate() {
        let y = (n - 1 - rank) as f64;
        for ((mean, p05, p95), colour, dy) in
            [(row.prior, GREY, 0.15), (row.posterior, posterior, -0.15)]
        {
            let at = y + dy;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(row.scaled(p05), at), (row.scaled(p95), at)],
                t.stroke(colour, 5.0),
            )))?;
            chart.draw_series(std::iter::once(Circle::new(
                (row.scaled(mean), at),
                t.upx(6.0),
                ShapeStyle::from(INK).filled(),
            )))?;
        }
    }
    Ok(())
}

/// The chart of news that moved no input: one sentence saying so, in place
/// of pairs of identical bars.
fn draw_unmoved<DB: DrawingBackend>(area: &Area<DB>, s: &Summary) -> DrawResult<DB> {
    let body = Header::new(PlotKind::Inputs, s).draw(area)?;
    let t = Theme::of(&body);
    let sentence = "The news moved no judged input: each one's posterior lies where its \
                    prior does (mean and 90 % range within 1 % of the prior's range), so the \
                    observations are about as likely in every world.";
    let left = t.px(24.0);
    let width = (body.dim_in_pixel().0 as i32 - 2 * left).max(1) as u32;
    let mut y = t.px(40.0);
    for line in wrap(&body, sentence, &t.font(20.0), width)? {
        body.draw_text(&line, &t.font(20.0).color(&INK), (left, y))?;
        y += t.px(30.0);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_about_three_figures() {
        assert_eq!(short(0.35), "0.350");
        assert_eq!(short(2.5), "2.50");
        assert_eq!(short(12.34), "12.3");
        assert_eq!(short(250.0), "250");
    }

    /// The test study with one judged input whose posterior is `posterior`
    /// (prior: mean 0.5, 90 % range 0.3 to 0.7).
    fn news_that_leaves(posterior: (f64, f64, f64)) -> Summary {
        use crate::output::summary::Ordered;
        use crate::output::uncertainty::{InputSummary, Uncertainty};
        let mut summary = crate::report::test_support::summary();
        let number = |(mean, p05, p95)| Moments::Number { mean, p05, p95 };
        summary.uncertainty = Some(Uncertainty {
            worlds: 10,
            runs_per_world: 10,
            inputs: vec![InputSummary {
                key: "spoilers.israel.capability".into(),
                distribution: "uniform [0.2, 0.8]".into(),
                prior: number((0.5, 0.3, 0.7)),
                posterior: Some(number(posterior)),
            }],
            headline: Ordered(Vec::new()),
            survival: Vec::new(),
            moved_most: vec!["spoilers.israel.capability".into()],
        });
        summary
    }

    #[test]
    fn news_that_moved_nothing_is_said_in_one_sentence_not_drawn_as_identical_bars() {
        let info = crate::report::test_support::info();
        let still = news_that_leaves((0.501, 0.3, 0.7));
        assert!(has_posterior(&still) && unmoved(&still));
        let moved = news_that_leaves((0.4, 0.25, 0.6));
        assert!(!unmoved(&moved));
        let svg = |summary: &Summary| {
            let input = PlotInput {
                summary,
                info: &info,
            };
            super::super::render_svg(PlotKind::Inputs, input).unwrap()
        };
        let (still, moved) = (svg(&still), svg(&moved));
        assert!(still.contains("The news moved no judged input"), "{still}");
        assert!(!still.contains("<circle"), "bars drawn for news that moved nothing");
        assert!(moved.contains("<circle") && !moved.contains("The news moved no"));
    }

    #[test]
    fn a_row_is_scaled_to_its_prior_range() {
        let row = Row {
            key: "k".into(),
            prior: (0.35, 0.2, 0.5),
            posterior: (0.3, 0.2, 0.4),
        };
        assert!((row.scaled(0.2) - 0.0).abs() < 1e-12);
        assert!((row.scaled(0.5) - 1.0).abs() < 1e-12);
        assert!((row.scaled(0.35) - 0.5).abs() < 1e-12);
    }
}
