//! The pictures of the experiments: which charts each command draws from
//! its results, and `comparison.html`. Everything here reads only the
//! experiment's output struct (`Comparison`, `SweepTable`, `Sensitivity`,
//! `Indicators`), so files are byte-identical for the same results.

use super::charts::{Join, ChartFiles, Curve, Heatmap, Lines, RowSeries, Rows};
use super::palette::{Meaning, Outcome};
use super::keys::{VariedKey, key_words};
use super::plots::{Rounds, conditional_on, thousands};
use crate::error::{Note, setting};
use crate::scenario::calendar::Calendar;
use crate::output::comparison::Comparison;
use crate::output::comparison::{Difference, Estimate, MetricRow};
use crate::output::indicators::{Indicator, Indicators};
use crate::output::names::Names;
use crate::output::{HEADLINE, Metric};
use crate::output::sensitivity::{OatRow, Sensitivity, SobolRow, WIDE_INTERVAL};
use crate::output::sweep::SweepTable;
use crate::output::words::CommandLineWords;
use crate::stats::Proportion;

fn percent(p: &Proportion) -> Estimate {
    Estimate::from(p).scaled(100.0)
}

fn difference_percent(d: Difference) -> Estimate {
    Estimate {
        value: 100.0 * d.difference,
        lo: 100.0 * d.lo,
        hi: 100.0 * d.hi,
    }
}

/// "2,000 runs per scenario · seed 5 · bands: 95 % intervals", naming the
/// marks the chart draws its intervals with (`whiskers`, `bands`).
fn study_line(runs: u64, seed: u64, what: &str, marks: &str) -> String {
    format!(
        "{} runs{what} · seed {seed} · {marks}: 95 % intervals",
        thousands(runs)
    )
}

/// A comparison's study line, and the line saying what it is conditional on
/// if it is.
fn comparison_lines(c: &Comparison, marks: &str) -> Vec<String> {
    let mut lines = vec![study_line(
        c.runs,
        c.seed,
        " per scenario, common random numbers",
        marks,
    )];
    if let Some(cond) = &c.conditioning {
        lines.push(conditional_on(&cond.observations));
    }
    lines
}

/// A difference chart's row: the metric's name and its level in the
/// baseline and in each other scenario, "Comprehensive deal (3.3 → 0.3 %)",
/// so a difference of 3 points reads against the level it changes.
fn with_levels(c: &Comparison, row: &MetricRow) -> String {
    let levels: Vec<String> = row
        .values
        .iter()
        .map(|v| format!("{:.1}", 100.0 * v.value))
        .collect();
    let (base, others) = levels.split_first().map_or(("", &[][..]), |(b, o)| (b.as_str(), o));
    format!("{} ({base} → {} %)", c.names.label(&row.metric), others.join(" / "))
}

/// Rows of the differences chart: P(channel continued) and the largest
/// other differences.
pub const DIFFERENCE_ROWS: usize = 12;

/// Survival overlay, outcomes by scenario, paired differences; over rounds
/// named by the baseline's `calendar` if it has one.
pub fn comparison_charts(c: &Comparison, calendar: Option<Calendar>) -> Vec<Box<dyn ChartFiles>> {
    let labels: Vec<String> = c.scenarios.iter().map(|s| s.label.clone()).collect();
    let survival: Vec<_> = c
        .metrics
        .iter()
        .filter_map(|r| match r.measured {
            Metric::Survival(t) => Some((f64::from(t), r)),
            _ => None,
        })
        .collect();
    let horizon = survival.last().map_or(1, |(t, _)| *t as u32);
    let rounds = Rounds::new(horizon, &c.scenarios[0].round_label, calendar);
    let curves = labels
        .iter()
        .enumerate()
        .map(|(k, label)| Curve {
            label: if k == 0 && labels.len() > 1 {
                format!("{label} (baseline, dashed)")
            } else {
                label.clone()
            },
            colour: Meaning::Scenario(k).colour(),
            points: survival
                .iter()
                .map(|(t, r)| (*t, r.values[k].scaled(100.0)))
                .collect(),
        })
        .collect();
    let overlay = Lines {
        stem: "survival".into(),
        title: "Channel survival by scenario".into(),
        lines: comparison_lines(c, "bands"),
        x_label: rounds.description(),
        y_label: "Channel not broken, S(t) (%)".into(),
        curves,
        percent_axis: true,
        marker: None,
        dots: Vec::new(),
        rounds: Some(rounds.clone()),
        span: None,
        baseline: true,
    };
    // The paired difference of S(t) to the baseline, round by round: the
    // curves above often lie on top of each other.
    let gaps = Lines {
        stem: "survival-difference".into(),
        title: format!("Channel survival minus {}, by round", c.baseline),
        lines: comparison_lines(c, "bands"),
        x_label: rounds.description(),
        y_label: "Difference in S(t) (percentage points)".into(),
        curves: labels
            .iter()
            .enumerate()
            .skip(1)
            .map(|(k, label)| Curve {
                label: format!("{label} minus baseline"),
                colour: Meaning::Scenario(k).colour(),
                points: survival
                    .iter()
                    .filter_map(|(t, r)| r.differences[k].map(|d| (*t, difference_percent(d))))
                    .collect(),
            })
            .collect(),
        percent_axis: false,
        marker: None,
        dots: Vec::new(),
        rounds: Some(rounds),
        span: None,
        baseline: false,
    };
    let outcome_rows: Vec<&MetricRow> = c
        .metrics
        .iter()
        .filter(|r| r.metric.starts_with("deal.") || r.metric.starts_with("channel."))
        .collect();
    let outcomes = Rows {
        stem: "outcomes".into(),
        title: "Outcomes by scenario".into(),
        lines: comparison_lines(c, "whiskers"),
        x_label: "Probability (%)".into(),
        rows: outcome_rows
            .iter()
            .map(|r| c.names.label(&r.metric))
            .collect(),
        series: labels
            .iter()
            .enumerate()
            .map(|(k, label)| RowSeries {
                label: label.clone(),
                colour: Meaning::Scenario(k).colour(),
                points: outcome_rows
                    .iter()
                    .map(|r| Some(r.values[k].scaled(100.0)))
                    .collect(),
            })
            .collect(),
        reference: None,
        join: Join::None,
    };
    // The headline, then the largest effects whatever the metric: costs
    // (an issue rejected more often) as well as gains.
    let mut diff_rows: Vec<&MetricRow> = c.row(HEADLINE).into_iter().collect();
    diff_rows.extend(c.largest_differences(&[HEADLINE], DIFFERENCE_ROWS - 1));
    let mut lines = comparison_lines(c, "whiskers");
    lines.push("A whisker across the grey line at 0: no detectable difference".into());
    lines.push(format!(
        "Each row: its level in {} → {} %",
        labels[0],
        labels[1..].join(" / ")
    ));
    let differences = Rows {
        stem: "differences".into(),
        title: format!("Paired differences to {}", c.baseline),
        lines,
        x_label: "Difference to the baseline (percentage points)".into(),
        rows: diff_rows.iter().map(|r| with_levels(c, r)).collect(),
        series: labels
            .iter()
            .enumerate()
            .skip(1)
            .map(|(k, label)| RowSeries {
                label: format!("{label} minus baseline"),
                colour: Meaning::Scenario(k).colour(),
                points: diff_rows
                    .iter()
                    .map(|r| r.differences[k].map(difference_percent))
                    .collect(),
            })
            .collect(),
        reference: Some((0.0, "no difference".into())),
        join: Join::None,
    };
    vec![
        Box::new(overlay),
        Box::new(gaps),
        Box::new(outcomes),
        Box::new(differences),
    ]
}

/// One key: the headline outcomes against it; two keys: a heat map. `keys`
/// are the table's keys as the charts name and mark them.
pub fn sweep_charts(
    table: &SweepTable,
    scenario: &str,
    runs: u64,
    seed: u64,
    keys: &[VariedKey],
) -> Vec<Box<dyn ChartFiles>> {
    let mut lines = vec![study_line(
        runs,
        seed,
        " per point, common random numbers",
        "bands",
    )];
    if let [varied] = keys {
        let key = &varied.key;
        // Not P(escalation): in a scenario where every break escalates it is
        // 100 - P(channel continued), a second line that says nothing new
        // (sweep.csv has it).
        // Each in its outcome's colour.
        let curves = [
            (HEADLINE, Outcome::Continued),
            ("deal.partial", Outcome::Partial),
        ]
        .iter()
        .map(|&(metric, outcome)| Curve {
                // These three names involve no id of the scenario.
                label: Names::default().probability(metric),
                colour: Meaning::Outcome(outcome).colour(),
                points: table
                    .column(metric)
                    .map(|column| {
                        table
                            .points
                            .iter()
                            .zip(column)
                            .map(|(x, p)| (x[0], percent(p)))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect();
        let span = judged_span(varied, table);
        if span.is_some() {
            lines.push(
                "Outside the shaded range: values the scenario's judgement of the input \
                 rules out"
                    .into(),
            );
        }
        return vec![Box::new(Lines {
            stem: "sweep".into(),
            title: format!("{scenario}: headline outcomes against {key}"),
            lines,
            x_label: varied.name.clone(),
            y_label: "Probability (%)".into(),
            curves,
            percent_axis: true,
            marker: varied
                .own
                .map(|x| (x, format!("the scenario: {}", number(x)))),
            dots: Vec::new(),
            rounds: None,
            span,
            baseline: false,
        })];
    }
    // Each axis's distinct values in the order they first appear, and each
    // point's cell, in one pass (a hash map, not a search per point).
    let axis = |i: usize| {
        let mut values: Vec<f64> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let cells: Vec<usize> = table
            .points
            .iter()
            .map(|p| {
                *index.entry(p[i].to_bits()).or_insert_with(|| {
                    values.push(p[i]);
                    values.len() - 1
                })
            })
            .collect();
        (values, cells)
    };
    let ((xs, x_cells), (ys, y_cells)) = (axis(0), axis(1));
    let name = |i: usize| keys.get(i).map_or_else(|| table.keys[i].clone(), |k| k.name.clone());
    let own = |i: usize| keys.get(i).and_then(|k| k.own);
    let mut values = vec![vec![0.0; ys.len()]; xs.len()];
    let mut widest_interval: f64 = 0.0;
    if let Some(column) = table.column(HEADLINE) {
        for ((p, &ix), &iy) in column.zip(&x_cells).zip(&y_cells) {
            values[ix][iy] = 100.0 * p.p;
            widest_interval = widest_interval.max(100.0 * (p.hi - p.lo));
        }
    }
    vec![Box::new(Heatmap {
        stem: "heatmap".into(),
        title: format!("{scenario}: P(channel continued) over the grid, in %"),
        lines: vec![format!(
            "{} runs per point, common random numbers · seed {seed} · each cell's 95 % interval is in sweep.csv",
            thousands(runs)
        )],
        x_label: name(0),
        y_label: name(1),
        xs,
        ys,
        values,
        min_span: widest_interval,
        marker: own(0).zip(own(1)),
    })]
}

/// The judged range of a swept key when the sweep goes beyond it, as a
/// shaded span of its chart (none when the sweep stays within it: then
/// every point is a value the scenario allows).
fn judged_span(varied: &VariedKey, table: &SweepTable) -> Option<(f64, f64, String)> {
    let (lo, hi) = varied.judged?;
    let xs = table.points.iter().map(|p| p[0]);
    let (first, last) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    let leaves = first < lo || last > hi;
    // Shaded where it meets the sweep's axis (none if it misses it).
    let (from, to) = (lo.max(first), hi.min(last));
    (leaves && from < to).then(|| {
        (
            from,
            to,
            format!("judged range {} to {}", number(lo), number(hi)),
        )
    })
}

/// A key's value as a label: up to four decimals, trailing zeros dropped.
pub(crate) fn number(x: f64) -> String {
    let text = format!("{x:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A parameter in words with the range it was varied over, as a row
/// label: "The mediator's credibility (0.5 to 1)".
fn with_range(s: &Sensitivity, names: &Names, key: &str) -> String {
    let name = key_words(names, key);
    match s.parameters.iter().find(|p| p.key == key) {
        Some(p) => format!("{name} ({} to {})", number(p.lo), number(p.hi)),
        None => name,
    }
}

/// The warning the text prints too: intervals so wide that the ranking of
/// `rows` may be noise (none when they are narrow enough).
/// In the command line's words, as pages and charts write every note.
pub(crate) fn rough_note(rows: &[&SobolRow]) -> Option<String> {
    let widest = rows
        .iter()
        .flat_map(|r| [r.first_order.hi - r.first_order.lo, r.total.hi - r.total.lo])
        .fold(0.0, f64::max);
    (widest > WIDE_INTERVAL).then(|| {
        Note::new(format!(
            "ROUGH: intervals up to {widest:.2} wide, so the ranking may be noise; more \
             {} narrow them",
            setting("samples")
        ))
        .in_words(&CommandLineWords)
    })
}

/// The outputs of a sensitivity study that get a chart of their own, in the
/// order of its rows (the headline first), less any whose chart would be
/// the headline's again: P(escalation) is 100 - P(channel continued) in a
/// scenario where every break escalates, which gives it the headline's
/// Sobol' indices, and one at a time its values mirrored (100 minus each);
/// a second chart would say nothing new (sensitivity.json has it).
pub fn charted_outputs(s: &Sensitivity) -> Vec<&str> {
    let oat = s.sobol.is_empty();
    // What each output's chart draws, parameter by parameter.
    let of = |output: &str| -> Vec<f64> {
        if oat {
            s.oat
                .iter()
                .filter(|r| r.output == output)
                .flat_map(|r| [r.at_base.p, r.at_lo.p, r.at_hi.p])
                .collect()
        } else {
            s.sobol
                .iter()
                .filter(|r| r.output == output)
                .flat_map(|r| [r.first_order.value, r.total.value])
                .collect()
        }
    };
    let same = |a: &[f64], b: &[f64], mirrored: bool| {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                let x = if mirrored { 1.0 - x } else { *x };
                (x - y).abs() < 1e-9
            })
    };
    let headline = of(HEADLINE);
    let mut outputs: Vec<&str> = Vec::new();
    let rows = s.sobol.iter().map(|r| r.output.as_str());
    for output in rows.chain(s.oat.iter().map(|r| r.output.as_str())) {
        if outputs.contains(&output) {
            continue;
        }
        let drawn = of(output);
        let repeats = output != HEADLINE
            && (same(&drawn, &headline, false) || (oat && same(&drawn, &headline, true)));
        if !repeats {
            outputs.push(output);
        }
    }
    outputs
}

/// The file stem of `output`'s chart of kind `kind` (`sobol` or
/// `tornado`): the kind alone for the headline, `sobol-deal-partial` for
/// `deal.partial`.
pub fn output_stem(kind: &str, output: &str) -> String {
    match output {
        HEADLINE => kind.into(),
        other => format!("{kind}-{}", other.replace('.', "-")),
    }
}

/// The Sobol' chart of one output: first-order and total indices of each
/// parameter (its range on the label), the interaction share, clipping and
/// roughness in the subtitle.
fn sobol_chart(s: &Sensitivity, scenario: &str, names: &Names, output: &str) -> Rows {
    let name = names.probability(output);
    let mut lines = vec![format!(
        "{} design points × {} runs · seed {} · output {name}",
        s.design_points,
        thousands(s.runs_per_point),
        s.seed,
    )];
    if let Some(r) = s.interactions.iter().find(|r| r.output == output) {
        let i = r.share;
        lines.push(format!(
            "Interactions (1 - sum of first order): {:.3} [{:.3}, {:.3}]",
            i.value, i.lo, i.hi
        ));
    }
    lines.extend(s.notes.iter().map(|note| note.in_words(&CommandLineWords)));
    let mut rows: Vec<&SobolRow> = s.sobol.iter().filter(|r| r.output == output).collect();
    rows.sort_by(|a, b| b.total.value.total_cmp(&a.total.value));
    lines.extend(rough_note(&rows));
    let point = |i: &crate::output::sensitivity::Index| {
        Some(Estimate {
            value: i.value,
            lo: i.lo,
            hi: i.hi,
        })
    };
    Rows {
        stem: output_stem("sobol", output),
        title: format!("{scenario}: Sobol' indices of {name}"),
        lines,
        x_label: "Sobol' index (share of the variance; 95 % bootstrap intervals)".into(),
        rows: rows.iter().map(|r| with_range(s, names, &r.parameter)).collect(),
        series: vec![
            RowSeries {
                label: "first order".into(),
                colour: Meaning::FirstMeasure.colour(),
                points: rows.iter().map(|r| point(&r.first_order)).collect(),
            },
            RowSeries {
                label: "total".into(),
                colour: Meaning::SecondMeasure.colour(),
                points: rows.iter().map(|r| point(&r.total)).collect(),
            },
        ],
        reference: Some((0.0, "no influence".into())),
        join: Join::None,
    }
}

/// Sobol' indices of every charted output as bars with intervals, or its
/// tornado for one at a time.
pub fn sensitivity_charts(
    s: &Sensitivity,
    scenario: &str,
    names: &Names,
) -> Vec<Box<dyn ChartFiles>> {
    let chart: fn(&Sensitivity, &str, &Names, &str) -> Rows = if s.sobol.is_empty() {
        tornado
    } else {
        sobol_chart
    };
    charted_outputs(s)
        .into_iter()
        .map(|output| Box::new(chart(s, scenario, names, output)) as Box<dyn ChartFiles>)
        .collect()
}

/// The one-at-a-time chart of one output: a bar from the scenario as
/// written to its value with each parameter at the low and at the high end
/// of its range (the range on the label), the largest deviation on top.
fn tornado(s: &Sensitivity, scenario: &str, names: &Names, output: &str) -> Rows {
    let name = names.probability(output);
    let lines = vec![
        format!(
            "{} design points × {} runs · seed {} · output {name} · whiskers: 95 % intervals",
            s.design_points,
            thousands(s.runs_per_point),
            s.seed,
        ),
        "Bars from the scenario as written to each end of a parameter's range; ranked by \
         the farther end"
            .into(),
    ];
    let mut rows: Vec<&OatRow> = s.oat.iter().filter(|r| r.output == output).collect();
    rows.sort_by(|a, b| b.largest_deviation().total_cmp(&a.largest_deviation()));
    let base = rows.first().map_or(0.0, |r| 100.0 * r.at_base.p);
    Rows {
        stem: output_stem("tornado", output),
        title: format!("{scenario}: one at a time, {name}"),
        lines,
        x_label: format!("{name} (%) with the parameter at its low and high value"),
        rows: rows.iter().map(|r| with_range(s, names, &r.parameter)).collect(),
        series: vec![
            RowSeries {
                label: "at low".into(),
                colour: Meaning::FirstMeasure.colour(),
                points: rows.iter().map(|r| Some(percent(&r.at_lo))).collect(),
            },
            RowSeries {
                label: "at high".into(),
                colour: Meaning::SecondMeasure.colour(),
                points: rows.iter().map(|r| Some(percent(&r.at_hi))).collect(),
            },
        ],
        reference: Some((base, "the scenario as written".into())),
        join: Join::FromReference,
    }
}

/// An observable whose "if it happens" or "if not" forecast is certain
/// (0 or 100 % over some runs; an interval of [0, 1] means no runs): it
/// restates the outcome rather than warns of it.
pub(super) fn obvious(i: &Indicator) -> bool {
    let headline = &i.outcomes[0];
    [headline.given, headline.absent]
        .iter()
        .any(|p| (p.hi - p.lo) < 1.0 && (p.p == 0.0 || p.p == 1.0))
}

/// The top indicators: the forecast if each happens and if not (no chart
/// when nothing observable varies across the runs).
pub fn indicators_chart(ind: &Indicators, top: usize) -> Vec<Box<dyn ChartFiles>> {
    // Rows that follow from the outcome itself (the channel broken by then
    // makes "continued" impossible) go last: they are true but teach
    // nothing a reader does not know.
    let (mut shown, obvious): (Vec<&Indicator>, Vec<&Indicator>) =
        ind.informative().take(top).partition(|i| !obvious(i));
    shown.extend(obvious);
    if shown.is_empty() {
        // Nothing varies: an empty chart would only look like a failure;
        // the text output says why there is none.
        return Vec::new();
    }
    let mut lines = vec![format!(
        "{} runs · seed {} · ranked by how far knowing it moves P(channel continued) \
         (± points, averaged over whether it happens)",
        thousands(ind.runs),
        ind.seed
    )];
    lines.push(
        "An association across simulated futures, not a cause: an event that moves the \
         forecast may only travel with what does"
            .into(),
    );
    if let Some(c) = &ind.conditioning {
        lines.push(conditional_on(&c.observations));
    }
    vec![Box::new(Rows {
        stem: "indicators".into(),
        title: format!(
            "{}: what to watch by {} {}",
            ind.scenario, ind.round_label, ind.round
        ),
        lines,
        x_label: "P(channel continued) (%)".into(),
        rows: shown
            .iter()
            .map(|i| {
                format!(
                    "{} ({:.0}%, ±{:.1} pts)",
                    i.label,
                    100.0 * i.probability.p,
                    100.0 * i.expected_change
                )
            })
            .collect(),
        series: vec![
            RowSeries {
                label: "if it happens".into(),
                colour: Meaning::FirstMeasure.colour(),
                points: shown
                    .iter()
                    .map(|i| Some(percent(&i.outcomes[0].given)))
                    .collect(),
            },
            RowSeries {
                label: "if not".into(),
                colour: Meaning::SecondMeasure.colour(),
                points: shown
                    .iter()
                    .map(|i| Some(percent(&i.outcomes[0].absent)))
                    .collect(),
            },
        ],
        reference: Some((100.0 * ind.baseline[0].probability.p, "now".into())),
        join: Join::Points,
    })]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::wilson;

    /// One at a time over two parameters of 10 000 runs each: credibility
    /// swings the headline 13 points (45 → 58 % around 50 %), a deadline
    /// only 2 (40 → 42 %), both ends below the baseline but 10 points from
    /// it at the farther.
    fn one_at_a_time() -> Sensitivity {
        let p = |percent: u64| wilson(100 * percent, 10_000, crate::stats::Z95);
        let row = |parameter: &str, lo: u64, hi: u64| OatRow {
            output: HEADLINE.into(),
            parameter: parameter.into(),
            at_base: p(50),
            at_lo: p(lo),
            at_hi: p(hi),
            swing: p(hi).p - p(lo).p,
        };
        Sensitivity {
            schema: "backchannel.sensitivity.v1",
            method: "oat",
            seed: 1,
            runs_per_point: 10_000,
            design_points: 5,
            parameters: Vec::new(),
            sobol: Vec::new(),
            interactions: Vec::new(),
            oat: vec![
                row("mediator.credibility", 45, 58),
                row("parties.us.deadline", 40, 42),
            ],
            notes: Vec::new(),
            worlds: None,
        }
    }

    /// A sweep of one key over `xs`, with no metric.
    fn sweep_over(xs: &[f64]) -> SweepTable {
        SweepTable {
            keys: vec!["spoilers.israel.capability".into()],
            points: xs.iter().map(|x| vec![*x]).collect(),
            metrics: Vec::new(),
            rows: vec![Vec::new(); xs.len()],
            worlds: None,
        }
    }

    #[test]
    fn a_sweep_shades_the_judged_range_only_when_it_leaves_it_and_within_its_axis() {
        let varied = VariedKey {
            key: "spoilers.israel.capability".into(),
            name: "Israel's capability".into(),
            own: Some(0.6),
            judged: Some((0.4, 0.8)),
        };
        let span = |xs: &[f64]| judged_span(&varied, &sweep_over(xs)).map(|(a, b, _)| (a, b));
        assert_eq!(span(&[0.2, 0.4, 0.6, 0.8]), Some((0.4, 0.8)));
        assert_eq!(span(&[0.5, 0.9]), Some((0.5, 0.8)), "cut to the axis");
        assert_eq!(span(&[0.4, 0.6, 0.8]), None, "within the judged range");
        assert_eq!(span(&[0.9, 1.0]), None, "beyond it altogether");
        let plain = VariedKey {
            judged: None,
            ..varied.clone()
        };
        assert_eq!(judged_span(&plain, &sweep_over(&[0.0, 1.0])), None);
    }

    #[test]
    fn a_tornado_ranks_by_the_farther_end_and_draws_from_the_baseline() {
        let s = one_at_a_time();
        let chart = tornado(&s, "s", &Names::default(), HEADLINE);
        assert_eq!(
            chart.rows,
            ["Parties us deadline", "The mediator's credibility"],
            "the deadline moves the output 10 points, credibility 8"
        );
        assert_eq!(chart.join, Join::FromReference);
        let (base, _) = chart.reference.clone().unwrap();
        assert!((base - 50.0).abs() < 1e-9);
        // Both of the deadline's bars start at the baseline and end below it.
        let ends: Vec<f64> = chart.series.iter().map(|s| s.points[0].unwrap().value).collect();
        assert!(ends.iter().all(|v| *v < base), "{ends:?}");
    }
}
