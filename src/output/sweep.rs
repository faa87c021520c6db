//! `sweep.csv`: one row per point of a sweep, the varied keys' values then
//! every headline metric with its 95 % interval.

use crate::stats::Proportion;

/// A sweep's results, point by point.
#[derive(Debug, Clone)]
pub struct SweepTable {
    pub keys: Vec<String>,
    pub points: Vec<Vec<f64>>,
    /// `rows[i]`: the headline of point `i`, named as in `summary.csv`.
    pub rows: Vec<Vec<(String, Proportion)>>,
}

impl SweepTable {
    /// `rows[i]` is [`crate::output::Summary::headline`] of point `i`.
    pub fn new(
        keys: Vec<String>,
        points: Vec<Vec<f64>>,
        rows: Vec<Vec<(String, Proportion)>>,
    ) -> SweepTable {
        SweepTable { keys, points, rows }
    }

    pub fn to_csv(&self) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header = self.keys.clone();
        if let Some(first) = self.rows.first() {
            for (metric, _) in first {
                header.extend([
                    metric.clone(),
                    format!("{metric}_lo"),
                    format!("{metric}_hi"),
                ]);
            }
        }
        writer.write_record(&header).expect("writing to memory");
        for (values, row) in self.points.iter().zip(&self.rows) {
            let mut record: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            for (_, p) in row {
                record.extend([p.p.to_string(), p.lo.to_string(), p.hi.to_string()]);
            }
            writer.write_record(&record).expect("writing to memory");
        }
        writer.into_inner().expect("writing to memory")
    }

    /// The headline P(channel continued) point by point.
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
        for (values, row) in self.points.iter().zip(&self.rows) {
            let shown: Vec<String> = values.iter().map(|v| format!("{v}")).collect();
            let get = |name: &str| row.iter().find(|(m, _)| m == name).map(|(_, p)| *p);
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
                cell(get("channel_continued")),
                cell(get("deal.partial"))
            );
        }
        out
    }
}
