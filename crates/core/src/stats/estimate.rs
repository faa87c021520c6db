//! A value with its 95 % interval: the one shape every estimate takes once
//! it leaves the estimator (a mean, a paired difference, a Sobol' index,
//! a point on a chart).

use serde::Serialize;

use super::{Proportion, Z95};

/// A value with its 95 % interval, `lo <= value <= hi` for every
/// estimator here.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The estimate.
    pub value: f64,
    /// Lower end of the 95 % interval.
    pub lo: f64,
    /// Upper end of the 95 % interval.
    pub hi: f64,
}

impl Estimate {
    /// A value known exactly: its interval is the value itself.
    pub(crate) fn exactly(value: f64) -> Estimate {
        Estimate {
            value,
            lo: value,
            hi: value,
        }
    }

    /// Mean and 95 % normal interval from integer sums of values and squares.
    pub fn mean(sum: i64, squares: u64, n: u64) -> Estimate {
        let n_f = n as f64;
        let mean = sum as f64 / n_f;
        if n < 2 || squares == 0 {
            return Estimate::exactly(mean);
        }
        let variance = ((squares as f64 - (sum as f64).powi(2) / n_f) / (n_f - 1.0)).max(0.0);
        let half = Z95 * (variance / n_f).sqrt();
        Estimate {
            value: mean,
            lo: mean - half,
            hi: mean + half,
        }
    }

    /// The mean of a value summed by world with a 95 % interval for runs
    /// clustered in worlds: the ratio estimator's variance over worlds
    /// (docs/MODEL.md, "Judged inputs and worlds").
    pub fn clustered_mean(by_world: &[WorldSum]) -> Estimate {
        let total: i64 = by_world.iter().map(|w| w.sum).sum();
        let runs: u64 = by_world.iter().map(|w| w.runs).sum();
        let used = by_world.iter().filter(|w| w.runs > 0).count() as f64;
        let mean = total as f64 / runs.max(1) as f64;
        if used < 2.0 {
            return Estimate::exactly(mean);
        }
        let squares: f64 = by_world
            .iter()
            .map(|w| (w.sum as f64 - mean * w.runs as f64).powi(2))
            .sum();
        let half = Z95 * (used / (used - 1.0) * squares).sqrt() / runs as f64;
        Estimate {
            value: mean,
            lo: mean - half,
            hi: mean + half,
        }
    }

    /// Every number multiplied by `factor` (e.g. 100 for percent).
    pub fn scaled(self, factor: f64) -> Estimate {
        Estimate {
            value: factor * self.value,
            lo: factor * self.lo,
            hi: factor * self.hi,
        }
    }
}

/// A value summed over one world's runs, and how many runs it had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorldSum {
    /// The value summed over the world's runs.
    pub sum: i64,
    /// The world's runs.
    pub runs: u64,
}

impl From<&Proportion> for Estimate {
    fn from(p: &Proportion) -> Estimate {
        Estimate {
            value: p.p,
            lo: p.lo,
            hi: p.hi,
        }
    }
}
