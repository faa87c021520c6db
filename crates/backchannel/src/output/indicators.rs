//! `indicators.json` / `indicators.csv` and the "what to watch" list: every
//! observable at a round, its probability, the headline outcomes given it
//! and given its absence, ranked by how much knowing it would move
//! P(channel continued) (the expected absolute change).

use serde::Serialize;

use super::names::Names;
use crate::engine::conditioning::Conditioning;
use crate::engine::indicators::{IndicatorCounts, OUTCOMES};
use crate::scenario::observations::Observation;
use crate::stats::spread::{WorldCount, clustered};
use crate::stats::{Proportion, Z95, wilson};

/// `indicators.json`'s `schema`.
pub const SCHEMA: &str = "backchannel.indicators.v1";

/// One headline outcome if an observable happens and if it does not: an
/// entry of an indicator's `outcomes` in `indicators.json` (a row of
/// `indicators.csv`). Probabilities are fractions with 95 % intervals by
/// the one rule of docs/OUTPUTS.md ("Intervals"): Wilson's, or, with
/// judged inputs, for runs clustered in worlds.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct OutcomeShift {
    /// The outcome: `channel_continued`, `deal.partial`,
    /// `deal.comprehensive` or `escalation`, at the end of the horizon.
    pub outcome: &'static str,
    /// P(outcome) over the runs in which the observable happened.
    pub given: Proportion,
    /// P(outcome) over the runs in which it did not.
    pub absent: Proportion,
}

/// One headline outcome's probability now, before any news: an entry of
/// [`Indicators::baseline`]. `indicators.json` writes it as the pair
/// `["channel_continued", {...}]` it has always been.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OutcomeNow {
    /// The outcome, named as [`OutcomeShift::outcome`] names it.
    pub outcome: String,
    /// Its probability, a fraction with its Wilson interval.
    pub probability: Proportion,
}

impl Serialize for OutcomeNow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.outcome, &self.probability).serialize(serializer)
    }
}

/// One observable at the round studied, and what knowing it tells: an
/// entry of `indicators.json`'s `indicators`.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Indicator {
    /// The observable as observations files and `--given` state it
    /// (`round 2: walkout:us happened`).
    pub observable: String,
    /// The same in words, with the scenario's names and without the round
    /// ("a walkout by United States happened").
    pub label: String,
    /// P(the observable holds), the share of runs in which it does.
    pub probability: Proportion,
    /// `p |P(C | o) - P(C)| + (1 - p) |P(C | not o) - P(C)|` for C = the
    /// channel continuing: how far, on average, learning o moves it (a
    /// fraction: 0.05 is 5 points).
    pub expected_change: f64,
    /// Each headline outcome given the observable and given its absence.
    pub outcomes: Vec<OutcomeShift>,
}

/// What to watch at one round: the contents of `indicators.json` (schema
/// `backchannel.indicators.v1`) and `indicators.csv`.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Indicators {
    /// `"backchannel.indicators.v1"`.
    pub schema: &'static str,
    /// The scenario's name.
    pub scenario: String,
    /// The study's seed.
    pub seed: u64,
    /// Runs counted (with observations, the consistent runs).
    pub runs: u64,
    /// The round the observables are at (`--at`), from 1.
    pub round: u32,
    /// What one round is (`month`, `week`, ...).
    pub round_label: String,
    /// The headline outcomes (as in [`OutcomeShift::outcome`]) now, before
    /// any news: each with its probability, a fraction.
    pub baseline: Vec<OutcomeNow>,
    /// Ranked, most informative first.
    pub indicators: Vec<Indicator>,
    /// Present with `--given`: everything is over the runs consistent with
    /// the observations so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditioning: Option<Conditioning>,
    /// The worlds of judged inputs the runs are clustered in, which every
    /// interval accounts for (`None`: no judged inputs, Wilson intervals).
    #[serde(skip)]
    pub(crate) worlds: Option<u64>,
}

/// The share `count` of `runs` over `counts` with its 95 % interval by
/// the one rule (docs/OUTPUTS.md, "Intervals"): Wilson's, or, with judged
/// inputs, the interval for runs clustered in worlds, from each world's
/// counts.
fn share(
    counts: &IndicatorCounts,
    count: impl Fn(&IndicatorCounts) -> u64,
    runs: impl Fn(&IndicatorCounts) -> u64,
) -> Proportion {
    if counts.by_world.is_empty() {
        return wilson(count(counts), runs(counts), Z95);
    }
    let worlds: Vec<WorldCount> = counts
        .by_world
        .iter()
        .map(|w| WorldCount {
            count: count(w),
            runs: runs(w),
        })
        .collect();
    clustered(&worlds, Z95)
}

impl Indicators {
    /// The indicators counted in `counts`, ranked.
    pub(crate) fn new(
        counts: &IndicatorCounts,
        observables: &[Observation],
        names: &Names,
        scenario: &str,
        seed: u64,
        round: u32,
        round_label: &str,
    ) -> Indicators {
        let n = counts.runs;
        let all = |c: &IndicatorCounts| c.runs;
        let baseline: Vec<OutcomeNow> = OUTCOMES
            .iter()
            .enumerate()
            .map(|(k, o)| OutcomeNow {
                outcome: o.to_string(),
                probability: share(counts, |c| c.outcome[k], all),
            })
            .collect();
        let mut indicators: Vec<Indicator> = observables
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let holds = counts.holds[i];
                let outcomes: Vec<OutcomeShift> = OUTCOMES
                    .iter()
                    .enumerate()
                    .map(|(k, name)| OutcomeShift {
                        outcome: name,
                        given: share(counts, |c| c.joint[i][k], |c| c.holds[i]),
                        absent: share(
                            counts,
                            |c| c.outcome[k] - c.joint[i][k],
                            |c| c.runs - c.holds[i],
                        ),
                    })
                    .collect();
                let p = holds as f64 / n.max(1) as f64;
                let now = baseline[0].probability.p;
                let headline = &outcomes[0];
                let given_change = if holds > 0 {
                    (headline.given.p - now).abs()
                } else {
                    0.0
                };
                let absent_change = if holds < n {
                    (headline.absent.p - now).abs()
                } else {
                    0.0
                };
                Indicator {
                    observable: o.text.clone(),
                    label: names.observation(&o.fact),
                    probability: share(counts, |c| c.holds[i], all),
                    expected_change: p * given_change + (1.0 - p) * absent_change,
                    outcomes,
                }
            })
            .collect();
        indicators.sort_by(|a, b| {
            b.expected_change
                .total_cmp(&a.expected_change)
                .then_with(|| a.observable.cmp(&b.observable))
        });
        Indicators {
            schema: SCHEMA,
            scenario: scenario.to_string(),
            seed,
            runs: n,
            round,
            round_label: round_label.to_string(),
            baseline,
            indicators,
            conditioning: None,
            worlds: (!counts.by_world.is_empty()).then_some(counts.by_world.len() as u64),
        }
    }

    /// `indicators.json`.
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }

    /// One row per observable and outcome, in rank order.
    pub fn to_csv(&self) -> Vec<u8> {
        let header = [
            "rank",
            "observable",
            "probability",
            "expected_change",
            "outcome",
            "given",
            "given_lo",
            "given_hi",
            "absent",
            "absent_lo",
            "absent_hi",
        ];
        let f = |x: f64| x.to_string();
        let rows = self.indicators.iter().enumerate().flat_map(|(rank, ind)| {
            ind.outcomes.iter().map(move |o| {
                vec![
                    (rank + 1).to_string(),
                    ind.observable.clone(),
                    f(ind.probability.p),
                    f(ind.expected_change),
                    o.outcome.to_string(),
                    f(o.given.p),
                    f(o.given.lo),
                    f(o.given.hi),
                    f(o.absent.p),
                    f(o.absent.lo),
                    f(o.absent.hi),
                ]
            })
        });
        super::csv_bytes(&header, rows)
    }

    /// The indicators, in rank order, that happen in some runs and not in
    /// others: only they can tell the analyst anything.
    pub fn informative(&self) -> impl Iterator<Item = &Indicator> {
        self.indicators
            .iter()
            .filter(|i| i.probability.count > 0 && i.probability.count < self.runs)
    }

    /// "What to watch": the top `count` indicators as sentences.
    pub fn render_text(&self, count: usize) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let now = &self.baseline[0].probability;
        let _ = writeln!(
            out,
            "What to watch by {} {} of {} ({} runs, seed {}): P(channel continued) is {:.1}% now.",
            self.round_label,
            self.round,
            self.scenario,
            self.runs,
            self.seed,
            100.0 * now.p
        );
        if let Some(c) = &self.conditioning {
            let _ = writeln!(
                out,
                "CONDITIONAL on what is known so far ({} of {} runs consistent):",
                c.accepted, c.tried
            );
            for o in &c.observations {
                let _ = writeln!(out, "  - {o}");
            }
        }
        if self.informative().next().is_none() {
            let _ = writeln!(
                out,
                "Nothing observable by {} {} varies across the runs: the model gives nothing to watch.",
                self.round_label, self.round
            );
        }
        for (rank, ind) in self.informative().take(count).enumerate() {
            let c = &ind.outcomes[0];
            let _ = writeln!(
                out,
                "{:>2}. {} (chance {:.1}%): P(channel continued) {:.1}% if it does, {:.1}% if not; moves the forecast {:.1} points on average",
                rank + 1,
                ind.label,
                100.0 * ind.probability.p,
                100.0 * c.given.p,
                100.0 * c.absent.p,
                100.0 * ind.expected_change
            );
        }
        out
    }
}
