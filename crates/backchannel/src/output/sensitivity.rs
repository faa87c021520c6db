//! `sensitivity.json` and `sensitivity.csv`: Sobol' indices (first order and
//! total, with bootstrap intervals) or one-at-a-time swings of the headline
//! outcomes, per parameter.

use serde::Serialize;

use super::words::CommandLineWords;
use crate::engine::metrics::{CHANNEL_CONTINUED, ESCALATION};
use crate::error::{Note, setting_value};
use crate::scenario::judged::JudgedInput;

/// An index with its interval, as the experiment estimates it: part of
/// what `sensitivity.json` holds.
pub use crate::experiment::sensitivity::{Estimate, Index};
use crate::stats::Proportion;

/// `sensitivity.json`'s `schema`.
pub const SCHEMA: &str = "backchannel.sensitivity.v1";

/// The outcomes whose sensitivity is measured.
pub const OUTPUTS: [&str; 4] = [
    CHANNEL_CONTINUED,
    "deal.partial",
    "deal.comprehensive",
    ESCALATION,
];

/// The width of a Sobol' index interval above which the text summary warns
/// that the indices are rough: a fifth of the index's whole range [0, 1].
pub const WIDE_INTERVAL: f64 = 0.2;

/// A parameter varied: an entry of `sensitivity.json`'s `parameters`.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Parameter {
    /// The scenario key, e.g. `format.leak_hazard`.
    pub key: String,
    /// The low end of the range it was varied over, in the key's own unit
    /// (a judged input's support; an enumerated input's options by
    /// position, from 0).
    pub lo: f64,
    /// The high end of that range.
    pub hi: f64,
    /// The scenario's own value (one-at-a-time only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<f64>,
    /// For a judged input ranked over its own distribution (no `--vary`):
    /// the distribution; `lo` and `hi` are then its support (options by
    /// position).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<String>,
}

impl Parameter {
    /// A judged input as a parameter: its support and its distribution.
    pub(crate) fn judged(input: &JudgedInput) -> Parameter {
        let (low, high) = input.distribution.support();
        let options = input.distribution.options();
        Parameter {
            key: input.key.clone(),
            lo: low.as_number(options),
            hi: high.as_number(options),
            base: None,
            distribution: Some(input.distribution.describe()),
        }
    }
}

/// One parameter's Sobol' indices for one output: an entry of
/// `sensitivity.json`'s `sobol`, two rows (`first_order`, `total`) of
/// `sensitivity.csv`.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct SobolRow {
    /// The output, one of `channel_continued`, `deal.partial`,
    /// `deal.comprehensive`, `escalation`.
    pub output: String,
    /// The parameter's key.
    pub parameter: String,
    /// The share of the output's variance the parameter explains alone.
    pub first_order: Index,
    /// The share it explains with every interaction it takes part in.
    pub total: Index,
}

/// The share of an output's variance no parameter explains alone:
/// `1 - sum of first-order indices`, clipped to [0, 1].
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct InteractionRow {
    /// The output, as in [`SobolRow::output`].
    pub output: String,
    /// The interaction share, a fraction in [0, 1] with its bootstrap
    /// interval.
    pub share: Index,
}

/// One parameter varied one at a time, for one output: an entry of
/// `sensitivity.json`'s `oat` (`sensitivity.csv`'s `at_lo`, `at_hi` and
/// `swing` rows). Probabilities are fractions with Wilson intervals.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct OatRow {
    /// The output, as in [`SobolRow::output`].
    pub output: String,
    /// The parameter's key.
    pub parameter: String,
    /// The output with every parameter at the scenario's own value.
    pub at_base: Proportion,
    /// The output with this parameter at its `lo`, the others at base.
    pub at_lo: Proportion,
    /// The output with this parameter at its `hi`, the others at base.
    pub at_hi: Proportion,
    /// `at_hi - at_lo`, a fraction (0.1 is 10 points).
    pub swing: f64,
}

impl OatRow {
    /// How far the parameter moves its output from the scenario as
    /// written: the larger of its two ends' deviations, so a parameter
    /// whose ends both fall on one side of the baseline ranks by the
    /// farther one. The text, the page and the tornado rank by it.
    pub fn largest_deviation(&self) -> f64 {
        (self.at_lo.p - self.at_base.p)
            .abs()
            .max((self.at_hi.p - self.at_base.p).abs())
    }
}

/// What a sensitivity analysis found: the contents of `sensitivity.json`
/// (schema `backchannel.sensitivity.v1`) and `sensitivity.csv`.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Sensitivity {
    /// `"backchannel.sensitivity.v1"`.
    pub schema: &'static str,
    /// "sobol" or "oat".
    pub method: &'static str,
    /// The seed every point ran on (common random numbers).
    pub seed: u64,
    /// Runs at each point of the design.
    pub runs_per_point: u64,
    /// Points of the design: (parameters + 2) × samples for Sobol', 1 + 2 ×
    /// parameters one at a time.
    pub design_points: usize,
    /// The parameters, in the order given.
    pub parameters: Vec<Parameter>,
    /// Sobol' only: one per output and parameter.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sobol: Vec<SobolRow>,
    /// Sobol' only: one per output.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interactions: Vec<InteractionRow>,
    /// One at a time only: one per output and parameter.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub oat: Vec<OatRow>,
    /// What a reader must know before quoting the indices (clipping),
    /// written in the command line's words.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "super::words::serialize_notes"
    )]
    pub notes: Vec<Note>,
    /// The most worlds of judged inputs a point's runs are clustered in,
    /// which the points' intervals account for (`None`: Wilson intervals).
    #[serde(skip)]
    pub(crate) worlds: Option<u64>,
}

impl Sensitivity {
    /// `sensitivity.json`.
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }

    /// Every Sobol' index reported, each parameter's and the interactions'.
    fn indices(&self) -> impl Iterator<Item = &Index> {
        self.sobol
            .iter()
            .flat_map(|r| [&r.first_order, &r.total])
            .chain(self.interactions.iter().map(|r| &r.share))
    }

    /// A note when any index or interval end was clipped to [0, 1]: how
    /// many, why, and where the estimates are.
    pub fn clipping_note(&self) -> Option<Note> {
        let clipped: Vec<Estimate> = self.indices().filter_map(|i| i.unclipped).collect();
        if clipped.is_empty() {
            return None;
        }
        let outside = |v: f64| !(0.0..=1.0).contains(&v);
        let values = clipped.iter().filter(|e| outside(e.value)).count();
        let ends = clipped
            .iter()
            .flat_map(|e| [e.lo, e.hi])
            .filter(|v| outside(*v))
            .count();
        Some(Note::new(format!(
            "Clipped to [0, 1], where every true index lies: {values} estimate{} and {ends} interval \
             end{} fell outside it (sampling noise at {}); sensitivity.json keeps them as `unclipped`.",
            if values == 1 { "" } else { "s" },
            if ends == 1 { "" } else { "s" },
            setting_value("samples", self.base_samples())
        )))
    }

    /// `method,output,parameter,index,value,lo,hi`.
    pub fn to_csv(&self) -> Vec<u8> {
        let header = [
            "method",
            "output",
            "parameter",
            "index",
            "value",
            "lo",
            "hi",
        ];
        let mut rows = Vec::new();
        let mut row = |r: (&str, &str), index: &str, value: f64, interval: Option<(f64, f64)>| {
            let (lo, hi) = interval.map_or((String::new(), String::new()), |(lo, hi)| {
                (lo.to_string(), hi.to_string())
            });
            rows.push(vec![
                self.method.to_string(),
                r.0.to_string(),
                r.1.to_string(),
                index.to_string(),
                value.to_string(),
                lo,
                hi,
            ]);
        };
        for r in &self.sobol {
            for (index, i) in [("first_order", r.first_order), ("total", r.total)] {
                row(
                    (&r.output, &r.parameter),
                    index,
                    i.value,
                    Some((i.lo, i.hi)),
                );
            }
        }
        for r in &self.interactions {
            let i = r.share;
            row((&r.output, ""), "interactions", i.value, Some((i.lo, i.hi)));
        }
        for r in &self.oat {
            for (index, p) in [("at_lo", r.at_lo), ("at_hi", r.at_hi)] {
                row((&r.output, &r.parameter), index, p.p, Some((p.lo, p.hi)));
            }
            row((&r.output, &r.parameter), "swing", r.swing, None);
        }
        super::csv_bytes(&header, rows)
    }

    /// The base sample size N of a Sobol' design (`N (k + 2)` points).
    fn base_samples(&self) -> usize {
        self.design_points / (self.parameters.len() + 2)
    }

    /// A warning when the widest interval among `rows` is wider than
    /// [`WIDE_INTERVAL`]: the ranking may then be noise, and the user should
    /// know the remedy before quoting it.
    fn wide_intervals_note(&self, rows: &[&SobolRow]) -> Option<Note> {
        let width = |i: &Index| i.hi - i.lo;
        let widest = rows
            .iter()
            .flat_map(|r| [width(&r.first_order), width(&r.total)])
            .fold(0.0, f64::max);
        (widest > WIDE_INTERVAL).then(|| {
            let n = self.base_samples();
            Note::new(format!(
                "  Intervals up to {widest:.2} wide: with {} these indices are rough. \
                 Intervals narrow about as 1/sqrt(samples): {} halves them.",
                setting_value("samples", n),
                setting_value("samples", 4 * n)
            ))
        })
    }

    /// Parameters ranked for the headline, as a short text table: what
    /// the page shows and the command line prints, its notes in the
    /// command line's words.
    pub fn render_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let headline = OUTPUTS[0];
        let _ = writeln!(
            out,
            "Sensitivity of {} — {} design points × {} runs, seed {}",
            crate::output::names::Names::default().probability(headline),
            self.design_points,
            self.runs_per_point,
            self.seed
        );
        if !self.sobol.is_empty() {
            let mut rows: Vec<&SobolRow> =
                self.sobol.iter().filter(|r| r.output == headline).collect();
            rows.sort_by(|a, b| b.total.value.total_cmp(&a.total.value));
            let _ = writeln!(
                out,
                "  {:<40} {:>22} {:>22}",
                "parameter", "first order", "total"
            );
            let cell = |i: &Index| format!("{:.3} [{:.3}, {:.3}]", i.value, i.lo, i.hi);
            for r in &rows {
                let _ = writeln!(
                    out,
                    "  {:<40} {:>22} {:>22}",
                    r.parameter,
                    cell(&r.first_order),
                    cell(&r.total)
                );
            }
            if let Some(r) = self.interactions.iter().find(|r| r.output == headline) {
                let _ = writeln!(
                    out,
                    "  {:<40} {:>22}",
                    "interactions (1 - sum of first order)",
                    cell(&r.share)
                );
            }
            if let Some(note) = self.wide_intervals_note(&rows) {
                let _ = writeln!(out, "{}", note.in_words(&CommandLineWords));
            }
            for note in &self.notes {
                let _ = writeln!(out, "  {}", note.in_words(&CommandLineWords));
            }
        }
        if !self.oat.is_empty() {
            let mut rows: Vec<&OatRow> = self.oat.iter().filter(|r| r.output == headline).collect();
            rows.sort_by(|a, b| b.largest_deviation().total_cmp(&a.largest_deviation()));
            let _ = writeln!(
                out,
                "  {:<40} {:>10} {:>10} {:>10}",
                "parameter", "at lo", "at hi", "swing"
            );
            for r in rows {
                let _ = writeln!(
                    out,
                    "  {:<40} {:>9.1}% {:>9.1}% {:>+9.1}",
                    r.parameter,
                    100.0 * r.at_lo.p,
                    100.0 * r.at_hi.p,
                    100.0 * r.swing
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(value: f64, half_width: f64) -> Index {
        Index::clipped(Estimate {
            value,
            lo: value - half_width,
            hi: value + half_width,
        })
    }

    fn study(half_width: f64) -> Sensitivity {
        let parameter = |key: &str| Parameter {
            key: key.into(),
            lo: 0.0,
            hi: 1.0,
            base: None,
            distribution: None,
        };
        Sensitivity {
            schema: SCHEMA,
            method: "sobol",
            seed: 1,
            runs_per_point: 100,
            design_points: 32 * 4,
            parameters: vec![parameter("a"), parameter("b")],
            sobol: vec![SobolRow {
                output: OUTPUTS[0].into(),
                parameter: "a".into(),
                first_order: index(0.5, half_width),
                total: index(0.6, 0.01),
            }],
            interactions: Vec::new(),
            oat: Vec::new(),
            notes: Vec::new(),
            worlds: None,
        }
    }

    #[test]
    fn wide_intervals_are_flagged_with_the_remedy() {
        let text = study(0.15).render_text();
        assert!(
            text.contains("Intervals up to 0.30 wide: with --samples 32"),
            "{text}"
        );
        assert!(text.contains("--samples 128 halves them"), "{text}");
        assert!(!study(0.05).render_text().contains("rough"));
    }

    #[test]
    fn clipping_is_counted_and_said() {
        assert_eq!(study(0.05).clipping_note(), None);
        let mut s = study(0.05);
        s.sobol[0].first_order = index(1.356, 0.4);
        s.interactions.push(InteractionRow {
            output: OUTPUTS[0].into(),
            share: index(-0.1, 0.05),
        });
        let note = s.clipping_note().unwrap().in_words(&CommandLineWords);
        assert!(
            note.starts_with(
                "Clipped to [0, 1], where every true index lies: 2 estimates and 3 interval ends"
            ),
            "{note}"
        );
        assert!(note.contains("--samples 32"), "{note}");
        s.notes.extend(s.clipping_note());
        let text = s.render_text();
        assert!(text.contains(&note), "{text}");
        assert!(text.contains("1.000 [0.956, 1.000]"), "{text}");
        assert!(
            text.contains("interactions (1 - sum of first order)"),
            "{text}"
        );
        let json: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
        assert_eq!(json["sobol"][0]["first_order"]["value"], 1.0);
        assert_eq!(json["sobol"][0]["first_order"]["unclipped"]["value"], 1.356);
        assert!(json["sobol"][0]["total"].get("unclipped").is_none());
        assert_eq!(json["notes"][0], note.as_str());
        let csv = String::from_utf8(s.to_csv()).unwrap();
        assert!(
            csv.contains("sobol,channel_continued,,interactions,0,0,0"),
            "{csv}"
        );
    }
}
