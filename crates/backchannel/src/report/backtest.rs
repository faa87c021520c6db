//! The back-test's chart and page (`backtest.html`): the reliability
//! diagram (Murphy & Winkler 1977) drawn with the experiments' line chart,
//! every forecast a point over its bins, and the scores, every case's forecasts and the forecasts that hurt most
//! in the layout every page shares.

use super::charts::{ChartFiles, Curve, Dots, Lines, WrittenChart};
use super::markup::{Html, html};
use super::page::{Figure, Page, Plain, Section, preformatted, scroll_table};
use super::palette::{GREY, Meaning};
use crate::output::backtest::BacktestReport;
use crate::stats::Estimate;

/// The stem of the reliability diagram under `plots/`.
const RELIABILITY: &str = "reliability";

/// How far from its edge a forecast's point may sit, in percentage points:
/// points at 0 and 100 % are spread over this band so that they do not
/// hide one another.
const JITTER: f64 = 7.0;

/// Where forecast number `k` (counted over every case) is drawn on the
/// y axis: near the top if it happened, near the bottom if not, spread by
/// a fixed sequence (the golden-ratio one) rather than a random one, so
/// the picture is the same every time.
pub fn forecast_height(k: usize, happened: bool) -> f64 {
    const GOLDEN: f64 = 0.618_033_988_749_895;
    let spread = 1.5 + (JITTER - 1.5) * ((k + 1) as f64 * GOLDEN).fract();
    if happened { 100.0 - spread } else { spread }
}

/// The reliability diagram: every forecast as a point, at its probability
/// and at what happened (0 or 100 %, spread by [`forecast_height`]); each
/// bin's mean forecast against the share that happened, with its Wilson
/// 95 % band; and the diagonal of perfect calibration.
pub fn backtest_charts(report: &BacktestReport) -> Vec<Box<dyn ChartFiles>> {
    let bins: Vec<(f64, Estimate)> = report
        .reliability
        .iter()
        .map(|b| {
            (
                100.0 * b.mean_forecast,
                Estimate {
                    value: 100.0 * b.observed,
                    lo: 100.0 * b.lo,
                    hi: 100.0 * b.hi,
                },
            )
        })
        .collect();
    let exact = |x: f64| Estimate {
        value: x,
        lo: x,
        hi: x,
    };
    let diagonal = vec![(0.0, exact(0.0)), (100.0, exact(100.0))];
    let points: Vec<(f64, f64)> = report
        .cases
        .iter()
        .flat_map(|c| c.forecasts.iter())
        .enumerate()
        .map(|(k, f)| (100.0 * f.p, forecast_height(k, f.happened)))
        .collect();
    vec![Box::new(Lines {
        stem: RELIABILITY.into(),
        title: format!(
            "Reliability of {} forecasts over {} cases",
            points.len(),
            report.cases.len()
        ),
        lines: vec![
            "Points: each forecast, at the top if it happened, at the bottom if not".into(),
            "Line: forecasts in bins of 20 points; band: 95 % interval of the share".into(),
        ],
        x_label: "Forecast probability (%)".into(),
        y_label: "Share that happened (%)".into(),
        curves: vec![
            Curve {
                label: "share that happened, by bin".into(),
                colour: Meaning::FirstMeasure.colour(),
                points: bins,
            },
            Curve {
                label: "perfect calibration".into(),
                colour: GREY,
                points: diagonal,
            },
        ],
        percent_axis: true,
        marker: None,
        dots: vec![Dots {
            label: "one forecast".into(),
            colour: Meaning::SecondMeasure.colour(),
            points,
        }],
        rounds: None,
        span: None,
        baseline: false,
    })]
}

/// `backtest.html`, with `charts` as written (`(stem, svg)`) and the
/// command that reproduces it.
pub fn backtest_page(report: &BacktestReport, charts: &[WrittenChart], command: String) -> String {
    let overall = report.scores.iter().find(|s| s.outcome == "overall");
    let answer = overall.map_or_else(
        || "No forecast was scored.".to_string(),
        |o| {
            let skill = o.skill_vs_base_rate.as_ref().map_or_else(
                || "no base rate to compare with".to_string(),
                |s| {
                    format!(
                        "a Brier skill score of {:.2} [{:.2}, {:.2}] against the base rate of the other cases",
                        s.value, s.lo, s.hi
                    )
                },
            );
            format!(
                "Over {} forecasts of {} cases the mean Brier score is {:.3} [{:.3}, {:.3}]: {skill}.",
                o.forecasts,
                report.cases.len(),
                o.brier.value,
                o.brier.lo,
                o.brier.hi
            )
        },
    );
    let plain = Plain {
        question: "Over historical cases, were the model's probabilities better than the base rate?"
            .into(),
        answer,
        how_sure: format!(
            "Intervals are 95 % bootstrap intervals over the cases ({} resamples): with this \
             few cases they are wide. Each forecast is {} runs over {} worlds.",
            report.bootstrap.resamples, report.runs, report.worlds
        ),
        judged: Some(
            "Each case is written by the rules of docs/BACKTEST.md as the track stood at its \
             start; every unknown is a judged input, the same ranges for every case."
                .into(),
        ),
    };
    let figures = charts
        .iter()
        .map(|WrittenChart { stem, svg }| Figure {
            stem: stem.clone(),
            heading: "Reliability diagram".into(),
            title: "Reliability diagram".into(),
            svg: svg.clone(),
            caption: "Each light point is one forecast, at its probability, along the top if \
                      what it forecast happened and along the bottom if not. The line joins \
                      bins of forecasts, each at its mean forecast and the share of them that \
                      happened, with the 95 % interval of that share. Bins on the grey \
                      diagonal are calibrated; below it the model was too confident that \
                      things would happen."
                .into(),
        })
        .collect();
    let head = [
        "case", "outcome", "month", "forecast (%)", "across worlds (%)", "happened", "Brier",
    ];
    let rows: Vec<Vec<String>> = report
        .cases
        .iter()
        .flat_map(|c| {
            c.forecasts.iter().map(move |f| {
                vec![
                    c.name.clone(),
                    f.outcome.clone(),
                    f.month.to_string(),
                    format!("{:.1}", 100.0 * f.p),
                    format!("{:.0}–{:.0}", 100.0 * f.p05, 100.0 * f.p95),
                    if f.happened { "yes" } else { "no" }.into(),
                    format!("{:.3}", f.brier),
                ]
            })
        })
        .collect();
    let sections = vec![
        Section {
            id: "summary".into(),
            heading: "Summary".into(),
            html: preformatted(&report.render_text()),
        },
        Section {
            id: "cases".into(),
            heading: "Every forecast".into(),
            html: html!(
                "<p>Sources of what happened are in <code>backtest.json</code> and each \
                 case's <code>[record]</code>.</p>{}",
                scroll_table(&head, &rows, 2)
            ),
        },
    ];
    Page {
        kind: "backtest".into(),
        title: format!("Back-test of {}", report.directory),
        description: format!("{} historical cases scored with proper scoring rules", report.cases.len()),
        plain,
        facts: Vec::new(),
        header_html: Html::new(),
        figures,
        sections,
        scenario_text: String::new(),
        command,
        command_notes: Vec::new(),
        worlds: None,
    }
    .render()
}
