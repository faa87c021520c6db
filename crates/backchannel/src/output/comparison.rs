//! `comparison.json` and `comparison.csv`: every summary metric of every
//! scenario, and each scenario's paired difference to the first (the
//! baseline) with a 95 % interval from the per-run differences.

use serde::Serialize;

use crate::engine::conditioning::Conditioning;
use crate::engine::metrics::{CHANNEL_CONTINUED, ESCALATION, Metric};
use crate::experiment::compare::{PairedTally, WorldSums};
use crate::output::names::Names;
use crate::stats::{Proportion, WorldSum, Z95, wilson};

/// `comparison.json`'s `schema`.
pub const SCHEMA: &str = "backchannel.comparison.v1";

/// One scenario of a comparison, as the user named it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ComparedScenario {
    /// The spec given on the command line, e.g. `muscat-2026:format.mode=direct`.
    pub label: String,
    /// The scenario's name (`scenario.name`).
    pub name: String,
    /// SHA-256 of the scenario's text as run (after any `KEY=VALUE`
    /// changes), in hexadecimal.
    pub sha256: String,
    /// What one round is (`scenario.round_label`), for the survival axis.
    pub round_label: String,
}

/// A value with its 95 % interval: a probability (Wilson) or a mean
/// (normal approximation).
pub use crate::stats::Estimate;

/// A paired difference to the baseline: one of `comparison.json`'s
/// `metrics[].differences` (`comparison.csv`'s `difference*` and
/// `excludes_zero` columns). A fraction for a probability (0.05 is 5
/// points), the metric's unit for a mean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Difference {
    /// The mean of the per-run differences, this scenario's value minus
    /// the baseline's on the same run index.
    pub difference: f64,
    /// Lower end of its 95 % interval, from the spread of the per-run
    /// differences (clustered in worlds with judged inputs).
    pub lo: f64,
    /// Upper end of its 95 % interval.
    pub hi: f64,
    /// Whether the difference is significant at 5 %: the interval excludes
    /// 0 and, for an event decided by few discordant runs, the exact sign
    /// test agrees (see docs/MODEL.md, "Paired differences").
    pub excludes_zero: bool,
}

/// Up to this many discordant runs, an event's difference is also checked
/// with the exact sign test: the normal interval is unreliable when only a
/// handful of runs differ.
const EXACT_UP_TO: u64 = 1000;

/// Two-sided p-value of the exact sign (McNemar) test for `up` runs where
/// only the scenario had the event and `down` where only the baseline had
/// it: under no difference, `up` is Binomial(up + down, 1/2).
fn sign_test_p(up: u64, down: u64) -> f64 {
    let n = up + down;
    let k = up.max(down);
    // P(X >= k) = sum_{j >= k} C(n, j) / 2^n, summed in logs.
    let mut log_term = -(n as f64) * std::f64::consts::LN_2; // j = n: C(n, n) / 2^n
    let mut tail = 0.0;
    for j in (k..=n).rev() {
        tail += log_term.exp();
        if j > 0 {
            // C(n, j - 1) = C(n, j) * j / (n - j + 1)
            log_term += (j as f64).ln() - ((n - j + 1) as f64).ln();
        }
    }
    (2.0 * tail).min(1.0)
}

/// Whether a paired difference is significant at 5 %: the interval
/// excludes zero and, for events with few discordant runs, so does the
/// exact sign test. `sum` and `squares` are the sums of the per-run
/// differences and of their squares.
fn significant(event: bool, sum: i64, squares: u64, lo: f64, hi: f64) -> bool {
    let outside = lo > 0.0 || hi < 0.0;
    if !event || squares > EXACT_UP_TO {
        return outside;
    }
    // For an event every difference is -1, 0 or +1: the squares count the
    // discordant runs.
    let up = (squares as i64 + sum) as u64 / 2;
    outside && sign_test_p(up, squares - up) < 0.05
}

/// One metric of every scenario: an entry of `comparison.json`'s
/// `metrics`, one row per scenario in `comparison.csv`.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct MetricRow {
    /// The metric as `summary.csv` names it: `channel_continued`,
    /// `deal.partial`, `survival.3`, `walkouts_mean`, ...
    pub metric: String,
    /// What the metric measures, for the charts: the name above is how
    /// files write it, never read back.
    #[serde(skip)]
    pub(crate) measured: Metric,
    /// "probability" or "mean".
    pub kind: &'static str,
    /// One per scenario, in order: the value with its 95 % interval (a
    /// fraction for a probability, a count per run for a mean).
    pub values: Vec<Estimate>,
    /// One per scenario; the baseline's is null.
    pub differences: Vec<Option<Difference>>,
}

/// What a comparison found: the contents of `comparison.json` (schema
/// `backchannel.comparison.v1`) and `comparison.csv`, every metric of
/// every scenario and each scenario's paired difference to the first.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Comparison {
    /// `"backchannel.comparison.v1"`.
    pub schema: &'static str,
    /// The seed every scenario ran on (common random numbers).
    pub seed: u64,
    /// Runs per scenario (with observations, the consistent run indices
    /// compared).
    pub runs: u64,
    /// The first scenario's label, the one every difference is to.
    pub baseline: String,
    /// The scenarios, the baseline first.
    pub scenarios: Vec<ComparedScenario>,
    /// One row per metric of the summary (the union over the scenarios).
    pub metrics: Vec<MetricRow>,
    /// Present with `--given`: only run indices at which every scenario was
    /// consistent with the observations are compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditioning: Option<Conditioning>,
    /// The baseline scenario's names, for metric names in the text and the
    /// charts (the JSON and CSV keep the keys).
    #[serde(skip)]
    pub(crate) names: Names,
    /// The worlds of judged inputs the runs are clustered in, which every
    /// interval accounts for (`None`: no judged inputs).
    #[serde(skip)]
    pub(crate) worlds: Option<u64>,
}

impl Comparison {
    /// The comparison of the scenarios whose paired runs `tally` counts.
    pub(crate) fn new(tally: &PairedTally, seed: u64, scenarios: Vec<ComparedScenario>) -> Comparison {
        let n = tally.runs;
        let metrics = tally
            .metrics
            .iter()
            .enumerate()
            .map(|(m, metric)| {
                let by_world = |pick: &dyn Fn(&WorldSums) -> i64| -> Vec<WorldSum> {
                    tally
                        .worlds
                        .iter()
                        .map(|w| WorldSum {
                            sum: pick(w),
                            runs: w.runs,
                        })
                        .collect()
                };
                let values = (0..scenarios.len())
                    .map(|k| {
                        if !tally.worlds.is_empty() {
                            let Estimate { value, lo, hi } =
                                Estimate::clustered_mean(&by_world(&|w| w.sum[k][m]));
                            // A probability's interval stays inside [0, 1].
                            let (lo, hi) = if metric.is_event() {
                                (lo.max(0.0), hi.min(1.0))
                            } else {
                                (lo, hi)
                            };
                            Estimate { value, lo, hi }
                        } else if metric.is_event() {
                            let Proportion { p, lo, hi, .. } =
                                wilson(tally.sum[k][m] as u64, n, Z95);
                            Estimate { value: p, lo, hi }
                        } else {
                            Estimate::mean(tally.sum[k][m], tally.sum_squares[k][m], n)
                        }
                    })
                    .collect();
                let differences = (0..scenarios.len())
                    .map(|k| {
                        (k > 0).then(|| {
                            let Estimate {
                                value: difference,
                                lo,
                                hi,
                            } = if tally.worlds.is_empty() {
                                Estimate::mean(tally.diff[k][m], tally.diff_squares[k][m], n)
                            } else {
                                Estimate::clustered_mean(&by_world(&|w| w.diff[k][m]))
                            };
                            Difference {
                                difference,
                                lo,
                                hi,
                                excludes_zero: significant(
                                    metric.is_event(),
                                    tally.diff[k][m],
                                    tally.diff_squares[k][m],
                                    lo,
                                    hi,
                                ),
                            }
                        })
                    })
                    .collect();
                MetricRow {
                    metric: metric.name(),
                    measured: metric.clone(),
                    kind: if metric.is_event() {
                        "probability"
                    } else {
                        "mean"
                    },
                    values,
                    differences,
                }
            })
            .collect();
        Comparison {
            schema: SCHEMA,
            seed,
            runs: n,
            baseline: scenarios[0].label.clone(),
            scenarios,
            metrics,
            conditioning: None,
            names: Names::default(),
            worlds: (!tally.worlds.is_empty()).then_some(tally.worlds.len() as u64),
        }
    }

    /// `comparison.json`.
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }

    /// `comparison.csv`: one row per metric and scenario.
    pub fn to_csv(&self) -> Vec<u8> {
        let header = [
            "metric",
            "scenario",
            "value",
            "lo",
            "hi",
            "difference",
            "difference_lo",
            "difference_hi",
            "excludes_zero",
        ];
        let mut rows = Vec::new();
        for row in &self.metrics {
            for (scenario, (value, difference)) in self
                .scenarios
                .iter()
                .zip(row.values.iter().zip(&row.differences))
            {
                let mut record = vec![
                    row.metric.clone(),
                    scenario.label.clone(),
                    value.value.to_string(),
                    value.lo.to_string(),
                    value.hi.to_string(),
                ];
                match difference {
                    Some(d) => record.extend([
                        d.difference.to_string(),
                        d.lo.to_string(),
                        d.hi.to_string(),
                        d.excludes_zero.to_string(),
                    ]),
                    None => {
                        record.extend([String::new(), String::new(), String::new(), String::new()])
                    }
                }
                rows.push(record);
            }
        }
        super::csv_bytes(&header, rows)
    }

    /// The row of `metric`, if present.
    pub fn row(&self, metric: &str) -> Option<&MetricRow> {
        self.metrics.iter().find(|r| r.metric == metric)
    }

    /// The probability metrics other than survival and those in `except`,
    /// largest paired difference first (the largest over the scenarios
    /// compared to the baseline, in absolute value), at most `most` of them.
    /// Ties keep the metrics' order.
    pub fn largest_differences(&self, except: &[&str], most: usize) -> Vec<&MetricRow> {
        let size = |r: &MetricRow| {
            r.differences
                .iter()
                .flatten()
                .map(|d| d.difference.abs())
                .fold(0.0, f64::max)
        };
        let mut rows: Vec<&MetricRow> = self
            .metrics
            .iter()
            .filter(|r| {
                r.measured.is_event()
                    && !matches!(r.measured, Metric::Survival(_))
                    && !except.contains(&r.metric.as_str())
            })
            .collect();
        rows.sort_by(|a, b| size(b).total_cmp(&size(a)));
        rows.truncate(most);
        rows
    }

    /// A one-screen text table of the headline metrics and, when there is
    /// something to compare, the largest other differences: one line per
    /// metric, however wide (the HTML page scrolls it). The terminal's
    /// form is [`Comparison::render_text_within`].
    pub fn render_text(&self) -> String {
        self.render_text_within(usize::MAX)
    }

    /// [`Comparison::render_text`] within `columns` characters: one line
    /// per metric while that fits; else each metric's name on a line of its
    /// own and its scenarios' figures on the line below, in the same
    /// columns; else, too many scenarios for one line, each figure
    /// labelled `[k]`, as many to a line as fit, aligned (one a line at the
    /// least).
    pub fn render_text_within(&self, columns: usize) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Comparison — {} runs each, seed {}, common random numbers",
            self.runs, self.seed
        );
        if let Some(c) = &self.conditioning {
            let _ = writeln!(
                out,
                "CONDITIONAL: only run indices consistent with every observation in every scenario ({} of {} tried):",
                c.accepted, c.tried
            );
            for o in &c.observations {
                let _ = writeln!(out, "  - {o}");
            }
        }
        for (k, s) in self.scenarios.iter().enumerate() {
            let _ = writeln!(
                out,
                "  [{k}] {}{}",
                s.label,
                if k == 0 { "  (baseline)" } else { "" }
            );
        }
        let _ = writeln!(
            out,
            "\n  (percent; differences to [0] with 95% paired intervals; * excludes 0)"
        );
        let headline = [
            CHANNEL_CONTINUED,
            ESCALATION,
            "deal.comprehensive",
            "deal.partial",
            "deal.none",
            "channel.broken",
        ];
        let mut rows: Vec<&MetricRow> = headline.iter().filter_map(|m| self.row(m)).collect();
        let headline_rows = rows.len();
        rows.extend(
            self.largest_differences(&headline, 5)
                .into_iter()
                .filter(|r| r.differences.iter().flatten().any(|d| d.difference != 0.0)),
        );
        let table: Vec<(String, Vec<String>)> = rows
            .iter()
            .map(|r| (self.names.probability(&r.metric), figures(r)))
            .collect();
        let width = table
            .iter()
            .map(|(n, _)| n.chars().count())
            .max()
            .unwrap_or(0);
        let widest = |indent: usize| {
            table
                .iter()
                .map(|(_, cells)| indent + cells.iter().map(String::len).sum::<usize>())
                .max()
                .unwrap_or(0)
        };
        let layout = if widest(2 + width) <= columns {
            Layout::OneLine
        } else if widest(FIGURES_INDENT) <= columns {
            Layout::FiguresBelow
        } else {
            Layout::Labelled(label_width(&table))
        };
        for (i, (name, cells)) in table.iter().enumerate() {
            if i == headline_rows {
                let _ = writeln!(out, "  largest other differences:");
            }
            match layout {
                Layout::OneLine => {
                    let _ = writeln!(out, "  {name:<width$}{}", cells.concat());
                }
                Layout::FiguresBelow => {
                    let _ = writeln!(out, "  {name}\n{:FIGURES_INDENT$}{}", "", cells.concat());
                }
                Layout::Labelled(cell_width) => {
                    let _ = writeln!(out, "  {name}");
                    out.push_str(&labelled(cells, cell_width, columns));
                }
            }
        }
        out
    }
}

/// How [`Comparison::render_text_within`] lays out a metric: on one line
/// with its name; its figures on the line below the name, in the same
/// columns; or, too many for one line, each labelled `[k]` and as many to
/// a line as fit (at the given width each, so they align across metrics).
#[derive(Clone, Copy)]
enum Layout {
    OneLine,
    FiguresBelow,
    Labelled(usize),
}

/// Figures laid out under a metric's name start at this column.
const FIGURES_INDENT: usize = 4;

/// The width of the widest labelled figure of the table.
fn label_width(table: &[(String, Vec<String>)]) -> usize {
    table
        .iter()
        .flat_map(|(_, cells)| cells.iter().enumerate())
        .map(|(k, cell)| format!("[{k}]").len() + cell.len())
        .max()
        .unwrap_or(0)
}

/// Each scenario's figures for one metric, in percent: ` 45.3` for the
/// baseline, ` 46.1 (+0.8 [+0.2, +1.4]*)` for the others (`*`: the
/// interval excludes 0). Byte lengths equal character counts: ASCII only.
fn figures(row: &MetricRow) -> Vec<String> {
    row.values
        .iter()
        .zip(&row.differences)
        .map(|(value, difference)| {
            let mut cell = format!(" {:>6.1}", 100.0 * value.value);
            if let Some(d) = difference {
                let star = if d.excludes_zero { "*" } else { " " };
                let places = difference_places(d);
                cell.push_str(&format!(
                    " ({:+.places$} [{:+.places$}, {:+.places$}]{star})",
                    100.0 * d.difference,
                    100.0 * d.lo,
                    100.0 * d.hi
                ));
            }
            cell
        })
        .collect()
}

/// A metric's figures too many for one line: each labelled with its
/// scenario's `[k]`, padded to `cell_width` and laid out as many to a line
/// as fit in `columns` (one at the least).
fn labelled(cells: &[String], cell_width: usize, columns: usize) -> String {
    let per_line = (columns.saturating_sub(FIGURES_INDENT) / (cell_width + 2)).max(1);
    let labelled: Vec<String> = cells
        .iter()
        .enumerate()
        .map(|(k, cell)| format!("{:<cell_width$}", format!("[{k}]{cell}")))
        .collect();
    let mut out = String::new();
    for line in labelled.chunks(per_line) {
        out.push_str(&format!(
            "{:FIGURES_INDENT$}{}\n",
            "",
            line.join("  ").trim_end()
        ));
    }
    out
}

/// Decimal places for a difference in points: one, or as many as it takes
/// (up to three) for a significant interval not to print as 0.
fn difference_places(d: &Difference) -> usize {
    let nearest = 100.0 * d.lo.abs().min(d.hi.abs());
    match nearest {
        _ if !d.excludes_zero || nearest >= 0.05 => 1,
        n if n >= 0.005 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_test_has_its_textbook_values() {
        // 6 against 0: 2 / 2^6; 5 against 5: 1; 3 against 0: 0.25.
        assert!((sign_test_p(6, 0) - 2.0 / 64.0).abs() < 1e-15);
        assert!((sign_test_p(0, 6) - 2.0 / 64.0).abs() < 1e-15);
        assert_eq!(sign_test_p(5, 5), 1.0);
        assert!((sign_test_p(3, 0) - 0.25).abs() < 1e-15);
        // 60 against 40: 2 P(X >= 60), X ~ Bin(100, 1/2) = 0.056887...
        assert!((sign_test_p(60, 40) - 0.056_887_933_640_980_16).abs() < 1e-9);
    }

    #[test]
    fn a_handful_of_discordant_runs_is_not_significant() {
        // Four runs of 100 000 differ, all one way: the normal interval
        // excludes 0, the exact test (p = 0.125) does not.
        let Estimate { lo, hi, .. } = Estimate::mean(4, 4, 100_000);
        assert!(lo > 0.0);
        assert!(!significant(true, 4, 4, lo, hi));
        let Estimate { lo, hi, .. } = Estimate::mean(12, 12, 100_000);
        assert!(significant(true, 12, 12, lo, hi));
        let Estimate { lo, hi, .. } = Estimate::mean(4, 4, 100_000);
        assert!(significant(false, 4, 4, lo, hi), "means keep the interval");
    }

    #[test]
    fn a_significant_difference_never_prints_as_zero() {
        let tiny = Difference {
            difference: 0.00012,
            lo: 0.00004,
            hi: 0.0002,
            excludes_zero: true,
        };
        assert_eq!(difference_places(&tiny), 3);
        assert_eq!(format!("{:+.3}", 100.0 * tiny.lo), "+0.004");
        let plain = Difference {
            excludes_zero: false,
            ..tiny
        };
        assert_eq!(difference_places(&plain), 1);
    }

    #[test]
    fn identical_runs_differ_by_exactly_zero() {
        assert_eq!(
            Estimate::mean(0, 0, 1000),
            Estimate {
                value: 0.0,
                lo: 0.0,
                hi: 0.0
            }
        );
    }

    #[test]
    fn paired_interval_matches_the_textbook_formula() {
        // Differences: 30 runs of +1, 10 of -1, 60 of 0.
        let Estimate {
            value: mean,
            lo,
            hi,
        } = Estimate::mean(20, 40, 100);
        let sd = ((40.0 - 400.0 / 100.0) / 99.0f64).sqrt();
        assert!((mean - 0.2).abs() < 1e-15);
        assert!(
            (hi - mean - Z95 * sd / 10.0).abs() < 1e-12
                && (mean - lo - Z95 * sd / 10.0).abs() < 1e-12
        );
    }
}
