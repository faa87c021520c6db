//! The `uncertainty` object of `summary.json` and `worlds.csv`
//! (docs/OUTPUTS.md): how much of a forecast comes from the judged inputs,
//! and, under `--given`, how the news moved them.

use serde::Serialize;

use super::summary::{Ordered, Summary, SurvivalPoint};
use crate::engine::tally::{Tally, WorldTally};
use crate::engine::metrics::Metric;
use crate::engine::{Labels, Worlds};
use crate::stats::spread::{
    Spread, WorldCount, clustered, spread, weighted_mean, weighted_quantile,
};
use crate::stats::{Drawn, Proportion, Z95, significant};

/// What `summary.json` says about the judged inputs.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Uncertainty {
    /// Worlds drawn.
    pub worlds: u64,
    /// Runs in each world (the last worlds have one fewer when the runs do
    /// not divide evenly).
    pub runs_per_world: u64,
    /// Each judged input: its distribution, prior and any posterior.
    pub inputs: Vec<InputSummary>,
    /// For each headline probability: its spread across worlds.
    pub headline: Ordered<Spread>,
    /// The survival curve's spread across worlds, round by round from 0
    /// (the fan chart's bands).
    pub survival: Vec<Spread>,
    /// Under `--given`: the inputs in the order the news moved them, most
    /// first (the shift of the mean in prior 90 % ranges).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub moved_most: Vec<String>,
}

/// One judged input: its distribution, and what the worlds drew (an entry
/// of `summary.json`'s `uncertainty.inputs`).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct InputSummary {
    /// The input's key, e.g. `parties.us.domestic.threshold`.
    pub key: String,
    /// The distribution in words, e.g. `beta [4, 6]`.
    pub distribution: String,
    /// Over the worlds' draws, each world weighted alike.
    pub prior: Moments,
    /// Under `--given`: the worlds weighted by their likelihood.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posterior: Option<Moments>,
}

/// A numeric input's mean and 90 % range over the worlds, or an enumerated
/// input's share of worlds for each option.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Moments {
    /// A numeric input, in the key's own unit.
    Number {
        /// Mean over the worlds.
        mean: f64,
        /// 5th percentile over the worlds.
        p05: f64,
        /// 95th percentile over the worlds.
        p95: f64,
    },
    /// An enumerated input.
    Shares {
        /// Each option's share of the worlds (fractions adding up to 1).
        shares: Ordered<f64>,
    },
}

/// Add what the judged inputs contribute to `summary` of a study over
/// `worlds`: the `uncertainty` object and intervals for runs clustered in
/// worlds. Returns `worlds.csv`'s text, or `None` when no input is judged
/// (the summary is then left as it was).
pub fn add_to(
    summary: &mut Summary,
    worlds: &Worlds,
    tally: &Tally,
    tried_by_world: Option<&[u64]>,
) -> Option<String> {
    summary.uncertainty = Uncertainty::new(worlds, tally, tried_by_world);
    summary.uncertainty.as_ref()?;
    Uncertainty::widen_intervals(summary, tally);
    Some(worlds_csv(worlds, tally, tried_by_world))
}

impl Uncertainty {
    /// The uncertainty of a study over `worlds` that reduced to `tally`;
    /// `tried_by_world` are the runs each world tried under `--given`.
    /// `None` when no input is judged.
    pub(crate) fn new(
        worlds: &Worlds,
        tally: &Tally,
        tried_by_world: Option<&[u64]>,
    ) -> Option<Uncertainty> {
        if !worlds.is_uncertain() || tally.worlds.is_empty() {
            return None;
        }
        let prior = vec![1.0; worlds.count()];
        let weights = match tried_by_world {
            Some(tried) => tally
                .worlds
                .iter()
                .zip(tried)
                .map(|(w, &t)| {
                    if t == 0 {
                        0.0
                    } else {
                        w.runs as f64 / t as f64
                    }
                })
                .collect(),
            None => prior.clone(),
        };
        let inputs: Vec<InputSummary> = worlds
            .inputs
            .iter()
            .enumerate()
            .map(|(i, input)| InputSummary {
                key: input.key.clone(),
                distribution: input.distribution.describe(),
                prior: moments(worlds, i, &prior),
                posterior: tried_by_world.map(|_| moments(worlds, i, &weights)),
            })
            .collect();
        let headline = Labels::headline_by_world(tally)
            .into_iter()
            .map(|(metric, counts)| (metric.name(), spread(&counts, &weights)))
            .collect();
        let survival = survival_by_round(tally)
            .iter()
            .map(|counts| spread(counts, &weights))
            .collect();
        let runs = tried_by_world.map_or(tally.runs, |t| t.iter().sum());
        Some(Uncertainty {
            worlds: worlds.count() as u64,
            runs_per_world: runs / worlds.count() as u64,
            moved_most: moved_most(&inputs),
            inputs,
            headline: Ordered(headline),
            survival,
        })
    }

    /// Replace the Wilson intervals of `summary`, which treat runs as
    /// independent, by intervals for runs clustered in worlds: every
    /// probability of the summary (the headline, survival, causes and their
    /// cumulative incidence, the first agreement and the issues), by the one
    /// rule docs/OUTPUTS.md states ("Intervals").
    pub(crate) fn widen_intervals(summary: &mut Summary, tally: &Tally) {
        if tally.worlds.is_empty() {
            return;
        }
        let pooled = |counts: &[WorldCount]| clustered(counts, Z95);
        let by_world = |count: &dyn Fn(&WorldTally) -> u64| -> Proportion {
            let counts: Vec<WorldCount> = tally
                .worlds
                .iter()
                .map(|w| WorldCount {
                    count: count(w),
                    runs: w.runs,
                })
                .collect();
            pooled(&counts)
        };
        for (metric, counts) in Labels::headline_by_world(tally) {
            let widened = pooled(&counts);
            match metric {
                Metric::ChannelContinued => summary.channel_continued = widened,
                Metric::Escalation => summary.escalation = widened,
                Metric::Deal(deal) => set(&mut summary.deal, deal.as_str(), widened),
                Metric::Channel(state) => set(&mut summary.channel, state.as_str(), widened),
                _ => unreachable!("the headline is outcomes, deals and channel states"),
            }
        }
        widen_points(&mut summary.survival, survival_by_round(tally));
        for (k, &cause) in summary.cause_order.iter().enumerate() {
            summary.causes.0[k].1 = by_world(&|w| w.cause_count(cause));
            let cumulative = cumulative_by_world(tally, |w| w.cause_by_round(cause));
            widen_points(&mut summary.breaks_by_round.0[k].1, cumulative);
        }
        let first = &mut summary.first_agreement_round;
        let agreed = |w: &WorldTally| w.first_agreement.iter().sum::<u64>();
        first.never = by_world(&|w| w.runs - agreed(w));
        for (t, share) in first.by_round.iter_mut().enumerate() {
            *share = by_world(&|w| w.first_agreement[t + 1]);
        }
        for (j, (_, outcome)) in summary.issues.0.iter_mut().enumerate() {
            outcome.agreed = by_world(&|w| w.issue_agreed[j]);
            outcome.ratified = by_world(&|w| w.issue_ratified[j]);
            outcome.rejected = by_world(&|w| w.issue_rejected[j]);
        }
    }
}

/// Give each of `points` the interval for runs clustered in worlds of its
/// counts by world.
fn widen_points(points: &mut [SurvivalPoint], by_round: Vec<Vec<WorldCount>>) {
    for (point, counts) in points.iter_mut().zip(by_round) {
        let widened = clustered(&counts, Z95);
        (point.lo, point.hi) = (widened.lo, widened.hi);
    }
}

/// For each round from 0, each world's count in that round of `in_round`.
fn in_round_by_world(tally: &Tally, in_round: impl Fn(&WorldTally) -> &[u64]) -> Vec<Vec<WorldCount>> {
    (0..tally.broken_in_round.len())
        .map(|t| {
            tally
                .worlds
                .iter()
                .map(|w| WorldCount {
                    count: in_round(w)[t],
                    runs: w.runs,
                })
                .collect()
        })
        .collect()
}

/// For each round from 0, each world's count up to that round of
/// `in_round`.
fn cumulative_by_world(
    tally: &Tally,
    in_round: impl Fn(&WorldTally) -> &[u64],
) -> Vec<Vec<WorldCount>> {
    let mut rounds = in_round_by_world(tally, in_round);
    for t in 1..rounds.len() {
        let (before, now) = rounds.split_at_mut(t);
        for (sum, previous) in now[0].iter_mut().zip(&before[t - 1]) {
            sum.count += previous.count;
        }
    }
    rounds
}

/// For each round from 0, each world's runs still unbroken after it.
fn survival_by_round(tally: &Tally) -> Vec<Vec<WorldCount>> {
    let surviving: Vec<Vec<u64>> = tally.worlds.iter().map(|w| w.surviving()).collect();
    (0..tally.broken_in_round.len())
        .map(|t| {
            tally
                .worlds
                .iter()
                .zip(&surviving)
                .map(|(w, alive)| WorldCount {
                    count: alive[t],
                    runs: w.runs,
                })
                .collect()
        })
        .collect()
}

fn set(entries: &mut Ordered<Proportion>, key: &str, value: Proportion) {
    if let Some((_, slot)) = entries.0.iter_mut().find(|(k, _)| k == key) {
        *slot = value;
    }
}

/// Input `i`'s moments over the worlds, each weighted by `weights`.
fn moments(worlds: &Worlds, i: usize, weights: &[f64]) -> Moments {
    let options = worlds.inputs[i].distribution.options();
    if !options.is_empty() {
        let total: f64 = weights.iter().sum();
        let shares = options
            .iter()
            .map(|option| {
                let weight: f64 = worlds
                    .values
                    .iter()
                    .zip(weights)
                    .filter(|(v, _)| v[i] == Drawn::Text(option.clone()))
                    .map(|(_, w)| w)
                    .sum();
                (option.clone(), significant(weight / total, 4))
            })
            .collect();
        return Moments::Shares {
            shares: Ordered(shares),
        };
    }
    let values: Vec<(f64, f64)> = worlds
        .values
        .iter()
        .zip(weights)
        .map(|(v, &w)| (v[i].as_number(&[]), w))
        .collect();
    Moments::Number {
        mean: weighted_mean(&values),
        p05: weighted_quantile(&values, 0.05),
        p95: weighted_quantile(&values, 0.95),
    }
}

/// Inputs with a posterior, most moved first: the shift of the mean over
/// the prior's 90 % range (options: the largest change of a share).
fn moved_most(inputs: &[InputSummary]) -> Vec<String> {
    let mut shifts: Vec<(f64, &str)> = inputs
        .iter()
        .filter_map(|input| {
            Some((
                shift(&input.prior, input.posterior.as_ref()?),
                input.key.as_str(),
            ))
        })
        .collect();
    shifts.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    shifts.into_iter().map(|(_, key)| key.to_string()).collect()
}

/// How far `posterior` moved from `prior`, in the prior's 90 % ranges.
pub fn shift(prior: &Moments, posterior: &Moments) -> f64 {
    match (prior, posterior) {
        (Moments::Number { mean: a, p05, p95 }, Moments::Number { mean: b, .. }) => {
            (b - a).abs() / (p95 - p05).max(1e-12)
        }
        (Moments::Shares { shares: a }, Moments::Shares { shares: b }) => {
            a.0.iter()
                .zip(&b.0)
                .map(|((_, x), (_, y))| (y - x).abs())
                .fold(0.0, f64::max)
        }
        _ => 0.0,
    }
}

/// `worlds.csv`: one row per world: its runs (and, under `--given`, runs
/// tried and likelihood), its inputs, and its raw estimate of each
/// headline probability.
pub fn worlds_csv(worlds: &Worlds, tally: &Tally, tried_by_world: Option<&[u64]>) -> String {
    let headline = Labels::headline_by_world(tally);
    let mut header = vec!["world".to_string(), "runs".to_string()];
    if tried_by_world.is_some() {
        header.extend(["tried".to_string(), "likelihood".to_string()]);
    }
    header.extend(worlds.inputs.iter().map(|i| i.key.clone()));
    header.extend(headline.iter().map(|(metric, _)| metric.name()));
    let rows = tally.worlds.iter().enumerate().map(|(w, counts)| {
        let mut row = vec![w.to_string(), counts.runs.to_string()];
        if let Some(tried) = tried_by_world {
            let likelihood = if tried[w] == 0 {
                0.0
            } else {
                counts.runs as f64 / tried[w] as f64
            };
            row.extend([tried[w].to_string(), likelihood.to_string()]);
        }
        row.extend(worlds.values[w].iter().map(Drawn::to_field));
        row.extend(headline.iter().map(|(_, by_world)| {
            let c = by_world[w];
            if c.runs == 0 {
                String::new()
            } else {
                (c.count as f64 / c.runs as f64).to_string()
            }
        }));
        row
    });
    String::from_utf8(super::csv_bytes(&header, rows)).expect("CSV of UTF-8 fields")
}
