//! `comparison.json` and `comparison.csv`: every summary metric of every
//! scenario, and each scenario's paired difference to the first (the
//! baseline) with a 95 % interval from the per-run differences.

use serde::Serialize;

use crate::engine::conditioning::Conditioning;
use crate::experiment::compare::PairedTally;
use crate::stats::{Proportion, Z95, wilson};

pub const SCHEMA: &str = "backchannel.comparison.v1";

/// One scenario of a comparison, as the user named it.
#[derive(Debug, Clone, Serialize)]
pub struct ComparedScenario {
    /// The spec given on the command line, e.g. `muscat-2026:format.mode=direct`.
    pub label: String,
    pub name: String,
    pub sha256: String,
    /// What one round is (`scenario.round_label`), for the survival axis.
    pub round_label: String,
}

/// A value with its 95 % interval: a probability (Wilson) or a mean
/// (normal approximation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
}

/// A paired difference to the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    pub difference: f64,
    pub lo: f64,
    pub hi: f64,
    pub excludes_zero: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricRow {
    pub metric: String,
    /// "probability" or "mean".
    pub kind: &'static str,
    /// One per scenario, in order.
    pub values: Vec<Estimate>,
    /// One per scenario; the baseline's is null.
    pub differences: Vec<Option<Difference>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub schema: &'static str,
    pub seed: u64,
    pub runs: u64,
    pub baseline: String,
    pub scenarios: Vec<ComparedScenario>,
    pub metrics: Vec<MetricRow>,
    /// Present with `--given`: only run indices at which every scenario was
    /// consistent with the observations are compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditioning: Option<Conditioning>,
}

/// Mean and 95 % normal interval from integer sums of values and squares.
fn mean_interval(sum: i64, squares: u64, n: u64) -> (f64, f64, f64) {
    let n_f = n as f64;
    let mean = sum as f64 / n_f;
    if n < 2 || squares == 0 {
        return (mean, mean, mean);
    }
    let variance = ((squares as f64 - (sum as f64).powi(2) / n_f) / (n_f - 1.0)).max(0.0);
    let half = Z95 * (variance / n_f).sqrt();
    (mean, mean - half, mean + half)
}

impl Comparison {
    pub fn new(tally: &PairedTally, seed: u64, scenarios: Vec<ComparedScenario>) -> Comparison {
        let n = tally.runs;
        let metrics = tally
            .metrics
            .iter()
            .enumerate()
            .map(|(m, metric)| {
                let values = (0..scenarios.len())
                    .map(|k| {
                        if metric.is_event() {
                            let Proportion { p, lo, hi, .. } =
                                wilson(tally.sum[k][m] as u64, n, Z95);
                            Estimate { value: p, lo, hi }
                        } else {
                            let (value, lo, hi) =
                                mean_interval(tally.sum[k][m], tally.sum_squares[k][m], n);
                            Estimate { value, lo, hi }
                        }
                    })
                    .collect();
                let differences = (0..scenarios.len())
                    .map(|k| {
                        (k > 0).then(|| {
                            let (difference, lo, hi) =
                                mean_interval(tally.diff[k][m], tally.diff_squares[k][m], n);
                            Difference {
                                difference,
                                lo,
                                hi,
                                excludes_zero: lo > 0.0 || hi < 0.0,
                            }
                        })
                    })
                    .collect();
                MetricRow {
                    metric: metric.name(),
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
        }
    }

    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }

    /// One row per metric and scenario.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
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
        writer.write_record(header).expect("writing to memory");
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
                writer.write_record(&record).expect("writing to memory");
            }
        }
        writer.into_inner().expect("writing to memory")
    }

    /// The row of `metric`, if present.
    pub fn row(&self, metric: &str) -> Option<&MetricRow> {
        self.metrics.iter().find(|r| r.metric == metric)
    }

    /// A one-screen text table of the headline metrics.
    pub fn render_text(&self) -> String {
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
            "channel_continued",
            "escalation",
            "deal.comprehensive",
            "deal.partial",
            "deal.none",
            "channel.broken",
        ];
        for metric in headline {
            let Some(row) = self.row(metric) else {
                continue;
            };
            let _ = write!(out, "  {metric:<20}");
            for (value, difference) in row.values.iter().zip(&row.differences) {
                let _ = write!(out, " {:>6.1}", 100.0 * value.value);
                if let Some(d) = difference {
                    let star = if d.excludes_zero { "*" } else { " " };
                    let _ = write!(
                        out,
                        " ({:+.1} [{:+.1}, {:+.1}]{star})",
                        100.0 * d.difference,
                        100.0 * d.lo,
                        100.0 * d.hi
                    );
                }
            }
            let _ = writeln!(out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_runs_differ_by_exactly_zero() {
        assert_eq!(mean_interval(0, 0, 1000), (0.0, 0.0, 0.0));
    }

    #[test]
    fn paired_interval_matches_the_textbook_formula() {
        // Differences: 30 runs of +1, 10 of -1, 60 of 0.
        let (mean, lo, hi) = mean_interval(20, 40, 100);
        let sd = ((40.0 - 400.0 / 100.0) / 99.0f64).sqrt();
        assert!((mean - 0.2).abs() < 1e-15);
        assert!(
            (hi - mean - Z95 * sd / 10.0).abs() < 1e-12
                && (mean - lo - Z95 * sd / 10.0).abs() < 1e-12
        );
    }
}
