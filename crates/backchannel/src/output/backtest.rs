//! The back-test's results (docs/BACKTEST.md) as files: `backtest.json`
//! (schema `backchannel.backtest.v1`, docs/OUTPUTS.md), `backtest.csv` (one
//! row per scored outcome) and the text summary.

use serde::Serialize;

use super::{csv_bytes, pretty_json};
use crate::stats::scoring::{Interval, ReliabilityBin};

/// The schema of `backtest.json`.
pub const SCHEMA: &str = "backchannel.backtest.v1";

/// Everything `backtest.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BacktestReport {
    /// `"backchannel.backtest.v1"`.
    pub schema: &'static str,
    /// The directory of cases, as named.
    pub directory: String,
    /// Runs per case.
    pub runs: u64,
    /// Worlds per case (of its judged inputs).
    pub worlds: u64,
    /// Resamples of the cases behind every interval, and their seed.
    pub bootstrap: BootstrapSettings,
    /// One entry per outcome scored (`agreement`, `channel_alive`,
    /// `ratified`, `escalation`), then `overall`, over every scored outcome.
    pub scores: Vec<OutcomeScores>,
    /// The reliability diagram: the forecasts in five bins of [0, 1].
    pub reliability: Vec<ReliabilityBin>,
    /// Every case, in file-name order, with its forecasts.
    pub cases: Vec<CaseResult>,
    /// The scored outcomes, worst Brier score first.
    pub hurt_most: Vec<Hurt>,
}

/// How the bootstrap intervals were drawn.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BootstrapSettings {
    /// Resamples of the cases, with replacement.
    pub resamples: usize,
    /// Seed of the resampling stream (ChaCha8).
    pub seed: u64,
}

/// The scores of one outcome over the cases (or of all outcomes).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OutcomeScores {
    /// The outcome's key, or `"overall"`.
    pub outcome: String,
    /// Forecasts scored (cases recording the outcome).
    pub forecasts: usize,
    /// How many of them happened.
    pub happened: usize,
    /// Mean Brier score with its 95 % bootstrap interval over cases.
    pub brier: Interval,
    /// Mean logarithmic score (nats) with its interval.
    pub log: Interval,
    /// Mean Brier score of the leave-one-out base rate.
    pub brier_base_rate: Option<f64>,
    /// Brier skill score against the leave-one-out base rate, with its interval.
    pub skill_vs_base_rate: Option<Interval>,
    /// Mean Brier score of the ICB rate of each case's style (for the
    /// outcomes ICB has a counterpart for).
    pub brier_icb: Option<f64>,
    /// Brier skill score against the ICB rate, with its interval.
    pub skill_vs_icb: Option<Interval>,
}

/// One case and its forecasts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CaseResult {
    /// The case file.
    pub file: String,
    /// `[scenario] name`.
    pub name: String,
    /// `[scenario] description`.
    pub description: String,
    /// `[scenario] start`.
    pub start: Option<String>,
    /// The seed it ran with.
    pub seed: u64,
    /// SHA-256 of the case's text.
    pub sha256: String,
    /// The mediator's highest style (the ICB reference's group).
    pub style: Option<String>,
    /// One per outcome its `[record]` holds.
    pub forecasts: Vec<Forecast>,
}

/// A forecast of one recorded outcome, what happened, and its scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Forecast {
    /// The outcome's key in `[record]`.
    pub outcome: String,
    /// The round by whose end it is judged.
    pub month: u32,
    /// The forecast: the share of all runs showing it.
    pub p: f64,
    /// 5th percentile across worlds (binomial noise taken out).
    pub p05: f64,
    /// 95th percentile across worlds.
    pub p95: f64,
    /// What happened.
    pub happened: bool,
    /// The record's source for it.
    pub source: String,
    /// `(p − y)²`.
    pub brier: f64,
    /// `−ln` of the probability given to what happened.
    pub log: f64,
    /// The share of the other cases in which it happened.
    pub base_rate: Option<f64>,
    /// The ICB rate of the case's style.
    pub icb_rate: Option<f64>,
}

/// One scored outcome, for the list of those that hurt most.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Hurt {
    /// The case's name.
    pub case: String,
    /// The outcome.
    pub outcome: String,
    /// The forecast.
    pub p: f64,
    /// What happened.
    pub happened: bool,
    /// Its Brier score.
    pub brier: f64,
}

/// How many of the worst forecasts the text summary lists.
const WORST_SHOWN: usize = 5;

impl BacktestReport {
    /// `backtest.json`'s text.
    pub fn to_json(&self) -> String {
        pretty_json(self)
    }

    /// `backtest.csv`: one row per scored outcome of every case.
    pub fn to_csv(&self) -> Vec<u8> {
        let header = [
            "case", "outcome", "month", "p", "p05", "p95", "happened", "brier", "log",
            "base_rate", "icb_rate",
        ];
        let optional = |x: Option<f64>| x.map_or_else(String::new, |v| v.to_string());
        let rows = self.cases.iter().flat_map(|case| {
            case.forecasts.iter().map(move |f| {
                vec![
                    case.name.clone(),
                    f.outcome.clone(),
                    f.month.to_string(),
                    f.p.to_string(),
                    f.p05.to_string(),
                    f.p95.to_string(),
                    f.happened.to_string(),
                    f.brier.to_string(),
                    f.log.to_string(),
                    optional(f.base_rate),
                    optional(f.icb_rate),
                ]
            })
        });
        csv_bytes(&header, rows)
    }

    /// The text summary: scores and skill with their intervals, the
    /// reliability bins and the forecasts that hurt most.
    pub fn render_text(&self) -> String {
        let mut text = format!(
            "Back-test of {} cases in {} ({} runs each, {} worlds)\n\n",
            self.cases.len(),
            self.directory,
            self.runs,
            self.worlds
        );
        text.push_str(&format!(
            "  {:<14} {:>3} {:>4}  {:<22} {:<22} {:<24} {:<24}\n",
            "outcome", "n", "yes", "Brier", "log score", "skill vs base rate", "skill vs ICB"
        ));
        for score in &self.scores {
            text.push_str(&format!(
                "  {:<14} {:>3} {:>4}  {:<22} {:<22} {:<24} {:<24}\n",
                score.outcome,
                score.forecasts,
                score.happened,
                interval(&score.brier),
                interval(&score.log),
                score.skill_vs_base_rate.as_ref().map_or("-".into(), interval),
                score.skill_vs_icb.as_ref().map_or("-".into(), interval),
            ));
        }
        text.push_str("\n  Reliability (forecast bin: mean forecast → share that happened [95%])\n");
        for bin in &self.reliability {
            text.push_str(&format!(
                "    {:.1}–{:.1}  {:>2} forecasts  {:>5.1}% → {:>5.1}%  [{:.1}, {:.1}]\n",
                bin.from,
                bin.to,
                bin.forecasts,
                100.0 * bin.mean_forecast,
                100.0 * bin.observed,
                100.0 * bin.lo,
                100.0 * bin.hi
            ));
        }
        text.push_str("\n  Hurt most (Brier score)\n");
        for hurt in self.hurt_most.iter().take(WORST_SHOWN) {
            text.push_str(&format!(
                "    {:<32} {:<14} forecast {:>5.1}%, {}  {:.3}\n",
                hurt.case,
                hurt.outcome,
                100.0 * hurt.p,
                if hurt.happened { "happened" } else { "did not" },
                hurt.brier
            ));
        }
        text
    }
}

fn interval(x: &Interval) -> String {
    format!("{:.3} [{:.3}, {:.3}]", x.value, x.lo, x.hi)
}
