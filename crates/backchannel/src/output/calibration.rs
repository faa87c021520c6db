//! `calibration.json`: what a calibration learnt (docs/OUTPUTS.md,
//! "calibration.json"): per judged input its prior and posterior, per
//! target the posterior predictive beside the observation, and how the
//! sampler got there; and the one-screen text of the same.

use std::fmt::Write;

use serde::Serialize;

use super::text::printable;
use crate::stats::significant;

/// `calibration.json`'s `schema`.
pub const SCHEMA: &str = "backchannel.calibration.v1";

/// The whole of `calibration.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Calibration {
    /// The format and its version.
    pub schema: &'static str,
    /// The calibration file, as given.
    pub file: String,
    /// Hex SHA-256 of the calibration file's text.
    pub sha256: String,
    /// The seed of every random stream.
    pub seed: u64,
    /// The sampler, in words.
    pub method: &'static str,
    /// Worlds in each generation.
    pub worlds_per_generation: u64,
    /// Runs of each target's scenario in each world.
    pub runs_per_world: u64,
    /// The effective sample size the sampler stops at.
    pub min_ess: u64,
    /// Each generation's effective sample size.
    pub generations: Vec<Generation>,
    /// The effective sample size of the posterior: the generations pooled,
    /// the sum of theirs.
    pub ess: f64,
    /// Whether it reached `min_ess`.
    pub reached_min_ess: bool,
    /// Every unknown, in the order the targets first name them.
    pub inputs: Vec<CalibratedInput>,
    /// Every target, in the file's order.
    pub targets: Vec<CalibratedTarget>,
    /// The posterior over pairs of the inputs the data moved most (the
    /// pairs plot).
    pub pairs: Pairs,
    /// The calibrated scenario files written, relative to the results.
    pub calibrated_scenarios: Vec<String>,
    /// What a reader must know to use the results.
    pub notes: Vec<String>,
}

/// One generation of the sampler.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Generation {
    /// From 0 (the prior).
    pub generation: u64,
    /// Worlds run.
    pub worlds: u64,
    /// Kish's effective sample size of its weights.
    pub ess: f64,
}

/// A distribution's mean, spread, median and 5th and 95th percentiles
/// (numbers as the key takes them; options by position, from 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Marginal {
    /// The mean.
    pub mean: f64,
    /// The standard deviation.
    pub sd: f64,
    /// The 5th percentile.
    pub p5: f64,
    /// The median.
    pub p50: f64,
    /// The 95th percentile.
    pub p95: f64,
}

/// One unknown: a judged input, shared by every target that names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CalibratedInput {
    /// Its name: the key, or the name a target's `rename` gives it.
    pub name: String,
    /// The scenario key it sets.
    pub key: String,
    /// The targets whose worlds it sets.
    pub targets: Vec<String>,
    /// The prior, as written.
    pub prior_distribution: String,
    /// The prior's spread.
    pub prior: Marginal,
    /// The posterior's spread (the weighted worlds of every generation).
    pub posterior: Marginal,
    /// Posterior contraction, `1 - var_post / var_prior` (Schad, Betancourt
    /// & Vasishth 2021): 0 the data said nothing, 1 they pinned it.
    pub contraction: f64,
    /// The distribution the calibrated scenarios give it.
    pub calibrated: String,
}

/// One target: the observation beside what the calibrated model predicts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CalibratedTarget {
    /// Its name in the calibration file.
    pub name: String,
    /// The scenario, as resolved (a path or an embedded name).
    pub scenario: String,
    /// Its `KEY=VALUE` values.
    pub set: Vec<String>,
    /// The outcome's key (docs/CALIBRATION.md, "Outcomes").
    pub outcome: String,
    /// What the outcome means, in words.
    pub outcome_words: String,
    /// Trials in which the outcome was observed.
    pub observed: u64,
    /// Trials observed.
    pub trials: u64,
    /// `observed / trials`.
    pub observed_rate: f64,
    /// The observed rate's Wilson 95 % interval.
    pub observed_wilson95: [f64; 2],
    /// The prior predictive: the outcome's probability over the first
    /// generation's worlds (equal weights).
    pub prior_probability: Marginal,
    /// The posterior predictive probability of the outcome.
    pub posterior_probability: Marginal,
    /// The 90 % posterior predictive interval of the rate in `trials`
    /// trials: where the observed rate should fall.
    pub predicted_rate90: [f64; 2],
    /// Whether the observed rate falls outside `predicted_rate90`.
    pub outside: bool,
}

/// The posterior's weight over pairs of the inputs the data moved most:
/// the pairs plot's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pairs {
    /// How the inputs were chosen, in words.
    pub rule: &'static str,
    /// The chosen inputs' names, most moved first.
    pub inputs: Vec<String>,
    /// One per pair of them: the first with the second, the first with the
    /// third, the second with the third.
    pub panels: Vec<PairPanel>,
}

/// The posterior's weight over one pair of inputs, on a grid of tenths of
/// each input's prior: every cell holds 1 % of the prior's weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairPanel {
    /// The input across (its name).
    pub x: String,
    /// The input up (its name).
    pub y: String,
    /// The middle of each tenth of `x`'s prior (its 5th, 15th, …, 95th
    /// percentile), in the key's own unit.
    pub x_centres: Vec<f64>,
    /// The same for `y`.
    pub y_centres: Vec<f64>,
    /// `weight[i][j]`: the posterior's weight of the worlds in the `i`-th
    /// tenth of `x`'s prior and the `j`-th of `y`'s; they sum to 1.
    pub weight: Vec<Vec<f64>>,
}

impl Calibration {
    /// `calibration.json`.
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }

    /// The one-screen summary: inputs prior → posterior, then targets
    /// predicted beside observed, flagged when outside.
    pub fn render_text(&self) -> String {
        let mut text = String::new();
        let last = self.generations.last().map_or(0, |g| g.generation);
        let _ = writeln!(
            text,
            "Calibration of {} judged inputs to {} targets: {} generations of {} worlds, {} runs per world and target; ESS {:.0}{}",
            self.inputs.len(),
            self.targets.len(),
            last + 1,
            self.worlds_per_generation,
            self.runs_per_world,
            self.ess,
            if self.reached_min_ess {
                String::new()
            } else {
                format!(" (below the {} asked)", self.min_ess)
            }
        );
        let width = self
            .inputs
            .iter()
            .map(|i| i.name.len())
            .max()
            .unwrap_or(5)
            .max(5);
        let _ = writeln!(
            text,
            "\n  {:<width$}  {:>26}  {:>26}  moved",
            "input", "prior mean [5%, 95%]", "posterior mean [5%, 95%]"
        );
        for input in &self.inputs {
            let _ = writeln!(
                text,
                "  {:<width$}  {:>26}  {:>26}  {:>4.0}%",
                printable(&input.name),
                spread_text(&input.prior),
                spread_text(&input.posterior),
                100.0 * input.contraction
            );
        }
        let width = self
            .targets
            .iter()
            .map(|t| t.name.len())
            .max()
            .unwrap_or(6)
            .max(6);
        let _ = writeln!(
            text,
            "\n  {:<width$}  {:>22}  {:>18}  {:>26}",
            "target", "observed [Wilson 95%]", "predicted [90%]", "P(outcome) [5%, 95%]"
        );
        for t in &self.targets {
            let _ = writeln!(
                text,
                "  {:<width$}  {:>22}  {:>18}  {:>26}{}",
                printable(&t.name),
                format!(
                    "{:.1}% [{:.1}, {:.1}]",
                    100.0 * t.observed_rate,
                    100.0 * t.observed_wilson95[0],
                    100.0 * t.observed_wilson95[1]
                ),
                format!(
                    "[{:.1}, {:.1}]",
                    100.0 * t.predicted_rate90[0],
                    100.0 * t.predicted_rate90[1]
                ),
                percent_spread(&t.posterior_probability),
                if t.outside { "  OUTSIDE" } else { "" }
            );
        }
        for note in &self.notes {
            let _ = writeln!(text, "\n  Note: {}", printable(note));
        }
        text
    }
}

fn spread_text(s: &Marginal) -> String {
    format!(
        "{} [{}, {}]",
        significant(s.mean, 3),
        significant(s.p5, 3),
        significant(s.p95, 3)
    )
}

fn percent_spread(s: &Marginal) -> String {
    format!(
        "{:.1}% [{:.1}, {:.1}]",
        100.0 * s.mean,
        100.0 * s.p5,
        100.0 * s.p95
    )
}
