//! A probability across worlds (docs/MODEL.md, "What the results say about
//! judged inputs"): the mixture's interval when runs are clustered in
//! worlds, and the spread of the probability over the judged inputs with
//! the binomial noise of each world's few runs taken out.

use serde::Serialize;

use super::wilson::{Proportion, wilson_fractional};

/// One world's runs and the runs among them where the event happened.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorldCount {
    pub count: u64,
    pub runs: u64,
}

/// The pooled proportion over worlds with a 95 % interval that counts the
/// worlds' spread: a Wilson interval at the effective sample size
/// `p (1 - p) / Var(p̂)`, where `Var(p̂)` is the ratio estimator's variance
/// over clustered runs (Cochran 1977, §6.2 and §9A; Kish 1965's design
/// effect). With identical worlds it is the plain Wilson interval.
pub fn clustered(worlds: &[WorldCount], z: f64) -> Proportion {
    let count: u64 = worlds.iter().map(|w| w.count).sum();
    let runs: u64 = worlds.iter().map(|w| w.runs).sum();
    let used = worlds.iter().filter(|w| w.runs > 0).count();
    if runs == 0 || used < 2 {
        return super::wilson(count, runs, z);
    }
    let p = count as f64 / runs as f64;
    let squares: f64 = worlds
        .iter()
        .map(|w| (w.count as f64 - p * w.runs as f64).powi(2))
        .sum();
    let k = used as f64;
    let variance = k / (k - 1.0) * squares / (runs as f64).powi(2);
    // Never claim more than the runs themselves would give: worlds that
    // happen to agree more than chance allows are not extra information.
    let effective = if variance > 0.0 {
        (p * (1.0 - p) / variance).min(runs as f64)
    } else {
        runs as f64
    };
    wilson_fractional(count, runs, effective, z)
}

/// A probability's spread across the judged inputs: an entry of
/// `summary.json`'s `uncertainty.headline` and `uncertainty.survival`.
/// Percentiles across worlds of the probability (a fraction), corrected
/// for each world's binomial noise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// 5th percentile across worlds.
    pub p05: f64,
    /// 25th percentile across worlds.
    pub p25: f64,
    /// Median across worlds.
    pub p50: f64,
    /// 75th percentile across worlds.
    pub p75: f64,
    /// 95th percentile across worlds.
    pub p95: f64,
    /// Share of the outcome's variance that comes from the judged inputs
    /// rather than chance: Var(E[Y | world]) / Var(Y).
    pub share_from_inputs: f64,
}

/// The spread of a probability over worlds weighted by `weights` (all 1
/// for the prior; each world's likelihood under `--given`). Each world's
/// estimate `k/n` carries binomial noise of variance about `p (1 - p) /
/// (n - 1)`; the estimates are pulled towards their mean so that their
/// variance is the between-world variance alone (the "constrained" ensemble
/// estimator of Louis 1984), and the percentiles are read from them.
///
/// Only worlds with at least two runs take part. A world's one run gives
/// `k/n` of 0 or 1 and no estimate of its noise (`p (1 - p)` is then 0):
/// counted, its whole Bernoulli variance would pass for the inputs'. `run`
/// refuses `--runs` ≤ `--worlds`; below 2 × `--worlds` some worlds have one
/// run, and under `--given` a world may keep only one consistent run: such
/// worlds are left out.
pub fn spread(worlds: &[WorldCount], weights: &[f64]) -> Spread {
    let points: Vec<(f64, f64, u64)> = worlds
        .iter()
        .zip(weights)
        .filter(|&(w, &weight)| w.runs >= 2 && weight > 0.0)
        .map(|(w, &weight)| (w.count as f64 / w.runs as f64, weight, w.runs))
        .collect();
    let total: f64 = points.iter().map(|(_, w, _)| w).sum();
    if points.is_empty() || total <= 0.0 {
        return Spread {
            p05: 0.0,
            p25: 0.0,
            p50: 0.0,
            p75: 0.0,
            p95: 0.0,
            share_from_inputs: 0.0,
        };
    }
    let mean = points.iter().map(|(p, w, _)| p * w).sum::<f64>() / total;
    let observed = points
        .iter()
        .map(|(p, w, _)| w * (p - mean).powi(2))
        .sum::<f64>()
        / total;
    let noise = points
        .iter()
        .map(|&(p, w, n)| w * p * (1.0 - p) / (n - 1) as f64)
        .sum::<f64>()
        / total;
    let between = (observed - noise).max(0.0);
    let shrink = if observed > 0.0 {
        (between / observed).sqrt()
    } else {
        0.0
    };
    let corrected: Vec<(f64, f64)> = points
        .iter()
        .map(|&(p, w, _)| ((mean + shrink * (p - mean)).clamp(0.0, 1.0), w))
        .collect();
    let q = |at: f64| weighted_quantile(&corrected, at);
    let bernoulli = mean * (1.0 - mean);
    Spread {
        p05: q(0.05),
        p25: q(0.25),
        p50: q(0.50),
        p75: q(0.75),
        p95: q(0.95),
        share_from_inputs: if bernoulli > 0.0 {
            (between / bernoulli).min(1.0)
        } else {
            0.0
        },
    }
}

/// The `q`-quantile of weighted values `(value, weight)`: the smallest
/// value whose cumulative weight reaches `q` of the total, interpolated
/// between neighbours at the midpoints of their weights (Hyndman & Fan
/// 1996's type 5, extended to weights).
pub fn weighted_quantile(values: &[(f64, f64)], q: f64) -> f64 {
    let mut sorted: Vec<(f64, f64)> = values.iter().copied().filter(|(_, w)| *w > 0.0).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = sorted.iter().map(|(_, w)| w).sum();
    let mut cumulative = 0.0;
    let midpoints: Vec<f64> = sorted
        .iter()
        .map(|(_, w)| {
            let mid = (cumulative + w / 2.0) / total;
            cumulative += w;
            mid
        })
        .collect();
    if q <= midpoints[0] {
        return sorted[0].0;
    }
    for i in 1..sorted.len() {
        if q <= midpoints[i] {
            let t = (q - midpoints[i - 1]) / (midpoints[i] - midpoints[i - 1]);
            return sorted[i - 1].0 + t * (sorted[i].0 - sorted[i - 1].0);
        }
    }
    sorted[sorted.len() - 1].0
}

/// Weighted mean of `(value, weight)`.
pub fn weighted_mean(values: &[(f64, f64)]) -> f64 {
    let total: f64 = values.iter().map(|(_, w)| w).sum();
    values.iter().map(|(v, w)| v * w).sum::<f64>() / total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Z95;

    #[test]
    fn identical_worlds_give_the_plain_wilson_interval() {
        let worlds = vec![
            WorldCount {
                count: 30,
                runs: 100
            };
            10
        ];
        let pooled = clustered(&worlds, Z95);
        let plain = crate::stats::wilson(300, 1000, Z95);
        assert!((pooled.lo - plain.lo).abs() < 1e-12 && (pooled.hi - plain.hi).abs() < 1e-12);
    }

    #[test]
    fn spread_worlds_widen_the_interval() {
        let worlds: Vec<WorldCount> = (0..10)
            .map(|i| WorldCount {
                count: 10 * i,
                runs: 100,
            })
            .collect();
        let pooled = clustered(&worlds, Z95);
        let plain = crate::stats::wilson(450, 1000, Z95);
        assert!(
            pooled.hi - pooled.lo > 3.0 * (plain.hi - plain.lo),
            "{pooled:?}"
        );
    }

    #[test]
    fn noise_alone_has_no_spread_and_no_share() {
        // Every world has p = 0.5; counts vary by binomial noise only.
        let counts = [48, 52, 50, 47, 53, 51, 49, 50, 46, 54];
        let worlds: Vec<WorldCount> = counts
            .iter()
            .map(|&count| WorldCount { count, runs: 100 })
            .collect();
        let s = spread(&worlds, &[1.0; 10]);
        assert!(s.share_from_inputs < 0.01, "{s:?}");
        assert!(s.p95 - s.p05 < 0.02, "{s:?}");
    }

    #[test]
    fn worlds_of_one_run_do_not_pass_for_the_inputs() {
        // Every world has p = 0.3: 100 worlds keep 50 runs, 400 keep one run
        // (as under --given), a draw of 0 or 1 each in the proportion 0.3.
        let mut worlds: Vec<WorldCount> = [14, 16, 15, 13, 17]
            .iter()
            .cycle()
            .take(100)
            .map(|&count| WorldCount { count, runs: 50 })
            .collect();
        worlds.extend((0..400u64).map(|i| WorldCount {
            count: u64::from(i % 10 < 3),
            runs: 1,
        }));
        let s = spread(&worlds, &vec![1.0; worlds.len()]);
        assert!(s.share_from_inputs < 0.01, "{s:?}");
        assert!(s.p05 > 0.25 && s.p95 < 0.35, "{s:?}");
    }

    #[test]
    fn exact_worlds_keep_their_percentiles() {
        // 101 worlds with p = 0, 0.01, ..., 1 and so many runs that noise is nil.
        let runs = 1_000_000_000u64;
        let worlds: Vec<WorldCount> = (0..=100u64)
            .map(|i| WorldCount {
                count: i * runs / 100,
                runs,
            })
            .collect();
        let s = spread(&worlds, &[1.0; 101]);
        assert!(
            (s.p05 - 0.05).abs() < 0.006 && (s.p95 - 0.95).abs() < 0.006, // type 5 between worlds
            "{s:?}"
        );
        assert!((s.p50 - 0.5).abs() < 1e-9);
        // Var of U(0,1) is 1/12 of the Bernoulli's 1/4: a third.
        assert!((s.share_from_inputs - 1.0 / 3.0).abs() < 0.01, "{s:?}");
    }

    #[test]
    fn weighted_quantiles_interpolate() {
        let values = [(1.0, 1.0), (2.0, 1.0), (3.0, 2.0)];
        assert_eq!(weighted_quantile(&values, 0.0), 1.0);
        assert_eq!(weighted_quantile(&values, 1.0), 3.0);
        assert!((weighted_quantile(&values, 0.25) - 1.5).abs() < 1e-12);
        assert!((weighted_mean(&values) - 2.25).abs() < 1e-12);
    }
}
