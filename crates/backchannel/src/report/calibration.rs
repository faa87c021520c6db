//! The page of a calibration, `calibration.html`, and its charts: each
//! input's prior and posterior on the scale of its prior's range, and each
//! target's observation beside the calibrated model's prediction. Pure
//! functions of `calibration.json`'s contents, like every file of the
//! report.

use super::charts::{ChartFiles, RowSeries, Rows, series_colour};
use super::markup::{Html, html};
use super::page::{Figure, Page, Plain, Section, preformatted, scroll_table};
use crate::output::calibration::{Calibration, Marginal};
use crate::stats::{Estimate, significant};

// Only the command line publishes this yet: it reaches it through the
// modules behind the front door (`internals`; ARCHITECTURE.md, "The
// command line").
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
/// The charts of a calibration: `inputs` (prior and posterior, 5th to
/// 95th percentile around the mean) and `targets` (observed with its
/// Wilson 95 % interval, predicted with its 90 % interval).
pub fn calibration_charts(c: &Calibration) -> Vec<Box<dyn ChartFiles>> {
    let lines = vec![format!(
        "{} worlds a generation × {} runs per world and target · seed {} · ESS {:.0}",
        c.worlds_per_generation, c.runs_per_world, c.seed, c.ess
    )];
    // Inputs have their own units: each is shown on 0–100 % of its prior's
    // 5th–95th percentile range, so their contraction can be compared.
    let scaled = |m: &Marginal, prior: &Marginal| {
        let width = (prior.p95 - prior.p5).max(f64::MIN_POSITIVE);
        let at = |x: f64| 100.0 * (x - prior.p5) / width;
        Some(Estimate {
            value: at(m.mean),
            lo: at(m.p5),
            hi: at(m.p95),
        })
    };
    let inputs = Rows {
        stem: "inputs".into(),
        title: "What the data did to each judged input".into(),
        lines: lines.clone(),
        x_label: "Share of the prior's 5th–95th percentile range (%)".into(),
        rows: c
            .inputs
            .iter()
            .map(|i| format!("{} ({}% contraction)", i.name, (100.0 * i.contraction).round()))
            .collect(),
        series: vec![
            RowSeries {
                label: "prior, mean and 5th–95th percentile".into(),
                colour: series_colour(1),
                points: c.inputs.iter().map(|i| scaled(&i.prior, &i.prior)).collect(),
            },
            RowSeries {
                label: "posterior".into(),
                colour: series_colour(0),
                points: c.inputs.iter().map(|i| scaled(&i.posterior, &i.prior)).collect(),
            },
        ],
        reference: None,
        join: false,
    };
    let targets = Rows {
        stem: "targets".into(),
        title: "Observed against predicted, per target".into(),
        lines,
        x_label: "Rate (%)".into(),
        rows: c.targets.iter().map(|t| t.name.clone()).collect(),
        series: vec![
            RowSeries {
                label: "observed, Wilson 95 %".into(),
                colour: series_colour(1),
                points: c
                    .targets
                    .iter()
                    .map(|t| {
                        Some(Estimate {
                            value: 100.0 * t.observed_rate,
                            lo: 100.0 * t.observed_wilson95[0],
                            hi: 100.0 * t.observed_wilson95[1],
                        })
                    })
                    .collect(),
            },
            RowSeries {
                label: "calibrated model, 90 % predictive".into(),
                colour: series_colour(0),
                points: c
                    .targets
                    .iter()
                    .map(|t| {
                        Some(Estimate {
                            value: 100.0 * t.posterior_probability.mean,
                            lo: 100.0 * t.predicted_rate90[0],
                            hi: 100.0 * t.predicted_rate90[1],
                        })
                    })
                    .collect(),
            },
        ],
        reference: None,
        join: false,
    };
    vec![Box::new(inputs), Box::new(targets)]
}

// Only the command line publishes this yet: it reaches it through the
// modules behind the front door (`internals`; ARCHITECTURE.md, "The
// command line").
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
/// `calibration.html`: the summary, the charts as written (`(stem,
/// svg)`), the inputs' and targets' tables, and the command that
/// reproduces it.
pub fn calibration_page(c: &Calibration, charts: &[(String, String)], command: String) -> String {
    let outside = c.targets.iter().filter(|t| t.outside).count();
    let plain = Plain {
        question: format!(
            "Which values of the {} judged inputs reproduce the {} observed frequencies?",
            c.inputs.len(),
            c.targets.len()
        ),
        answer: if outside == 0 {
            "Every observed rate lies in the calibrated model's 90 % predictive interval.".into()
        } else {
            format!(
                "{outside} of the {} observed rates lie outside the calibrated model's 90 % predictive interval: the model cannot reproduce them with these inputs.",
                c.targets.len()
            )
        },
        how_sure: format!(
            "The posterior rests on an effective sample of {:.0} weighted worlds{}.",
            c.ess,
            if c.reached_min_ess {
                String::new()
            } else {
                format!(", fewer than the {} asked", c.min_ess)
            }
        ),
        judged: Some(
            "The posterior is only as good as the model and the mapping of each observation to an outcome; read the targets' chart for what the calibrated model still misses.".into(),
        ),
    };
    let figures = charts
        .iter()
        .map(|(stem, svg)| {
            let (heading, caption) = match stem.as_str() {
                "inputs" => (
                    "Prior and posterior of each input",
                    "Each input on the scale of its prior's 5th–95th percentile range: a posterior narrower than its prior was moved by the data; the percentage is the posterior contraction.",
                ),
                _ => (
                    "Observed and predicted",
                    "Each target's observed rate with its Wilson 95 % interval, beside the calibrated model's mean probability and the 90 % interval in which the observed rate should fall.",
                ),
            };
            Figure {
                stem: stem.clone(),
                heading: heading.into(),
                title: heading.into(),
                svg: svg.clone(),
                caption: caption.into(),
            }
        })
        .collect();
    let number = |x: f64| significant(x, 3).to_string();
    let input_rows: Vec<Vec<String>> = c
        .inputs
        .iter()
        .map(|i| {
            vec![
                i.name.clone(),
                i.prior_distribution.clone(),
                number(i.prior.mean),
                format!("{} – {}", number(i.posterior.p5), number(i.posterior.p95)),
                number(i.posterior.mean),
                format!("{:.0} %", 100.0 * i.contraction),
            ]
        })
        .collect();
    let percent = |x: f64| format!("{:.1}", 100.0 * x);
    let target_rows: Vec<Vec<String>> = c
        .targets
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                t.outcome.clone(),
                format!("{} of {}", t.observed, t.trials),
                format!(
                    "{} [{}, {}]",
                    percent(t.observed_rate),
                    percent(t.observed_wilson95[0]),
                    percent(t.observed_wilson95[1])
                ),
                format!(
                    "{} [{}, {}]",
                    percent(t.posterior_probability.mean),
                    percent(t.predicted_rate90[0]),
                    percent(t.predicted_rate90[1])
                ),
                if t.outside { "outside" } else { "" }.into(),
            ]
        })
        .collect();
    Page {
        kind: "calibration".into(),
        title: format!("Calibration of {}", c.file),
        description: c.method.into(),
        plain,
        facts: vec![(
            "Calibration file sha256".into(),
            html!("<code>{}</code>", Html::text(&c.sha256)),
        )],
        header_html: Html::new(),
        figures,
        sections: vec![
            Section {
                id: "summary".into(),
                heading: "Summary".into(),
                html: preformatted(&c.render_text()),
            },
            Section {
                id: "inputs".into(),
                heading: "Inputs".into(),
                html: scroll_table(
                    &["input", "prior", "prior mean", "posterior 5–95 %", "posterior mean", "contraction"],
                    &input_rows,
                    2,
                ),
            },
            Section {
                id: "targets".into(),
                heading: "Targets".into(),
                html: scroll_table(
                    &["target", "outcome", "observed", "rate % [Wilson 95 %]", "predicted % [90 %]", ""],
                    &target_rows,
                    2,
                ),
            },
        ],
        scenario_text: String::new(),
        command,
        command_notes: vec![html!(
            "Calibration file sha256: <code>{}</code>",
            Html::text(&c.sha256)
        )],
    }
    .render()
}
