//! The page of a calibration, `calibration.html`, and its charts: each
//! input's prior and posterior on the scale of its prior's range, each
//! target's observation beside the calibrated model's prediction, and the
//! pairs plot of the inputs the data moved most. Pure functions of
//! `calibration.json`'s contents, like every file of the report.

use super::keys::unit_of;
use super::charts::{Join, ChartFiles, Heatmap, RowSeries, Rows, WrittenChart};
use super::palette::Meaning;
use super::markup::{Html, html};
use super::page::{Figure, Page, Plain, Section, preformatted, scroll_table};
use crate::output::calibration::{Calibration, Marginal, PairPanel};
use crate::stats::{Estimate, significant};

/// The stem of the pairs plot's chart `k` (from 1) under `plots/`.
fn pairs_stem(k: usize) -> String {
    format!("pairs-{k}")
}

/// One chart of the pairs plot: the posterior's weight (%) in each cell of
/// tenths of the two inputs' priors.
fn pair_chart(c: &Calibration, k: usize, panel: &PairPanel) -> Heatmap {
    let label = |name: &str| {
        let key = c
            .inputs
            .iter()
            .find(|i| i.name == name)
            .map_or(name, |i| i.key.as_str());
        // A calibration's rounds are the scenario's; its keys' units read
        // "per round" (the page names the scenario's round).
        match unit_of(key, "round") {
            Some(unit) => format!("{name} ({unit})"),
            None => name.to_string(),
        }
    };
    Heatmap {
        stem: pairs_stem(k),
        title: format!("Posterior of {} and {}", panel.x, panel.y),
        lines: vec![
            format!(
                "The inputs the data moved most: {} (largest contraction); ESS {:.0}",
                c.pairs.inputs.join(", "),
                c.ess
            ),
            "Cells: tenths of each prior (1 % of its weight each), labelled at their \
             middles; colour and number: the posterior's weight (%)"
                .into(),
        ],
        x_label: label(&panel.x),
        y_label: label(&panel.y),
        xs: panel.x_centres.clone(),
        ys: panel.y_centres.clone(),
        values: panel
            .weight
            .iter()
            .map(|column| column.iter().map(|w| 100.0 * w).collect())
            .collect(),
        min_span: 0.0,
        marker: None,
    }
}

/// The charts of a calibration: `inputs` (prior and posterior, 5th to
/// 95th percentile around the mean), `targets` (observed with its Wilson
/// 95 % interval, predicted with its 90 % interval) and `pairs-1`… (the
/// posterior over each pair of the inputs the data moved most).
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
                colour: Meaning::SecondMeasure.colour(),
                points: c.inputs.iter().map(|i| scaled(&i.prior, &i.prior)).collect(),
            },
            RowSeries {
                label: "posterior".into(),
                colour: Meaning::FirstMeasure.colour(),
                points: c.inputs.iter().map(|i| scaled(&i.posterior, &i.prior)).collect(),
            },
        ],
        reference: None,
        join: Join::None,
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
                colour: Meaning::SecondMeasure.colour(),
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
                colour: Meaning::FirstMeasure.colour(),
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
        join: Join::None,
    };
    let mut charts: Vec<Box<dyn ChartFiles>> = vec![Box::new(inputs), Box::new(targets)];
    for (k, panel) in c.pairs.panels.iter().enumerate() {
        charts.push(Box::new(pair_chart(c, k + 1, panel)));
    }
    charts
}

/// `calibration.html`: the summary, the charts as written (`(stem,
/// svg)`), the inputs' and targets' tables, and the command that
/// reproduces it.
pub fn calibration_page(c: &Calibration, charts: &[WrittenChart], command: String) -> String {
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
        .map(|WrittenChart { stem, svg }| {
            let pair = (1..=c.pairs.panels.len())
                .find(|&k| *stem == pairs_stem(k))
                .map(|k| &c.pairs.panels[k - 1]);
            let (heading, caption) = match (stem.as_str(), pair) {
                ("inputs", _) => (
                    "Prior and posterior of each input".to_string(),
                    "Each input on the scale of its prior's 5th–95th percentile range: a posterior narrower than its prior was moved by the data; the percentage is the posterior contraction.".to_string(),
                ),
                (_, Some(panel)) => (
                    format!("Pairs: {} and {}", panel.x, panel.y),
                    format!(
                        "The pairs plot shows {}: {}. Each cell is a tenth of one input's prior by a tenth of the other's, so under the prior every cell would hold 1 % of the weight; its colour and number are the share of the posterior's weight (the weighted worlds of every generation) that lies in it. A ridge across cells shows two inputs the data can trade against each other.",
                        c.pairs.inputs.join(", "),
                        c.pairs.rule
                    ),
                ),
                _ => (
                    "Observed and predicted".to_string(),
                    "Each target's observed rate with its Wilson 95 % interval, beside the calibrated model's mean probability and the 90 % interval in which the observed rate should fall.".to_string(),
                ),
            };
            Figure {
                stem: stem.clone(),
                heading: heading.clone(),
                title: heading,
                svg: svg.clone(),
                caption,
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
        worlds: None,
    }
    .render()
}
