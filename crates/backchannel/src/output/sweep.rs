//! `sweep.csv`: one row per point of a sweep, the varied keys' values then
//! every headline metric with its 95 % interval.

use crate::engine::metrics::CHANNEL_CONTINUED;
use crate::stats::Proportion;

/// How many points the text summary lists; `sweep.csv` has them all.
const LISTED_POINTS: usize = 40;

/// A sweep's results, point by point: the contents of `sweep.csv`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SweepTable {
    /// The varied keys, in the order given (`sweep.csv`'s first columns).
    pub keys: Vec<String>,
    /// Every point of the line or grid: `points[i][k]` is key `k`'s value at
    /// point `i`, in the key's own unit (the first key varies slowest).
    pub points: Vec<Vec<f64>>,
    /// The headline metrics, named as in `summary.csv` (once, not per point):
    /// `channel_continued`, `escalation`, `deal.*`, `channel.*`.
    pub metrics: Vec<String>,
    /// `rows[i][m]`: metric `m` at point `i`, a probability (fraction) with
    /// its 95 % interval (`sweep.csv`'s `METRIC`, `METRIC_lo` and
    /// `METRIC_hi` columns).
    pub rows: Vec<Vec<Proportion>>,
    /// The most worlds of judged inputs a point's runs are clustered in,
    /// which its intervals account for (`None`: no judged inputs left at
    /// any point, Wilson intervals).
    pub(crate) worlds: Option<u64>,
}

impl SweepTable {
    /// `rows[i]` holds [`crate::output::Summary::headline`]'s values of
    /// point `i`, in the order of `metrics`.
    pub(crate) fn new(
        keys: Vec<String>,
        points: Vec<Vec<f64>>,
        metrics: Vec<String>,
        rows: Vec<Vec<Proportion>>,
    ) -> SweepTable {
        SweepTable {
            keys,
            points,
            metrics,
            rows,
            worlds: None,
        }
    }

    /// Metric `name` at every point, if the sweep has it.
    pub fn column(&self, name: &str) -> Option<impl Iterator<Item = &Proportion>> {
        let m = self.metrics.iter().position(|n| n == name)?;
        Some(self.rows.iter().map(move |row| &row[m]))
    }

    /// `sweep.csv`.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut header = self.keys.clone();
        if !self.rows.is_empty() {
            for metric in &self.metrics {
                header.extend([
                    metric.clone(),
                    format!("{metric}_lo"),
                    format!("{metric}_hi"),
                ]);
            }
        }
        let rows = self.points.iter().zip(&self.rows).map(|(values, row)| {
            let mut record: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            for p in row {
                record.extend([p.p.to_string(), p.lo.to_string(), p.hi.to_string()]);
            }
            record
        });
        super::csv_bytes(&header, rows)
    }

    /// The headline P(channel continued) point by point (the first
    /// 40; `sweep.csv` has every point).
    pub fn render_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Sweep of {} ({} points; percent with 95% intervals)",
            self.keys.join(" × "),
            self.points.len()
        );
        let _ = writeln!(
            out,
            "  {:<28} {:>22} {:>22}",
            self.keys.join(", "),
            "P(channel continued)",
            "P(partial deal)"
        );
        let index = |name: &str| self.metrics.iter().position(|m| m == name);
        let (continued, partial) = (index(CHANNEL_CONTINUED), index("deal.partial"));
        for (values, row) in self.points.iter().zip(&self.rows).take(LISTED_POINTS) {
            let shown: Vec<String> = values.iter().map(|v| format!("{v}")).collect();
            let get = |m: Option<usize>| m.map(|m| row[m]);
            let cell = |p: Option<Proportion>| {
                p.map_or(String::new(), |p| {
                    format!(
                        "{:.1} [{:.1}, {:.1}]",
                        100.0 * p.p,
                        100.0 * p.lo,
                        100.0 * p.hi
                    )
                })
            };
            let _ = writeln!(
                out,
                "  {:<28} {:>22} {:>22}",
                shown.join(", "),
                cell(get(continued)),
                cell(get(partial))
            );
        }
        if self.points.len() > LISTED_POINTS {
            let _ = writeln!(
                out,
                "  … {} more points in sweep.csv",
                self.points.len() - LISTED_POINTS
            );
        }
        out
    }
}
