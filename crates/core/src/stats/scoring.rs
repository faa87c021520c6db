//! Proper scoring rules for probability forecasts of yes/no outcomes, and
//! the bootstrap over cases the back-test's intervals come from
//! (docs/BACKTEST.md, "Scoring"; Gneiting & Raftery 2007; Brier 1950).

use rand::RngExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::wilson::{Z95, wilson};

/// The Brier score of forecast `p` for an outcome that happened or not:
/// `(p − y)²`. Lower is better.
pub fn brier(p: f64, happened: bool) -> f64 {
    (p - f64::from(u8::from(happened))).powi(2)
}

/// The logarithmic score (negative log-likelihood) of forecast `p`:
/// `−ln p` if the outcome happened, `−ln(1 − p)` if not, with `p` kept in
/// `[1/(2n), 1 − 1/(2n)]` for a forecast made from `n` runs, so that an
/// outcome no run showed scores finitely. Lower is better.
pub fn log_score(p: f64, happened: bool, runs: u64) -> f64 {
    let floor = 0.5 / runs.max(1) as f64;
    let p = p.clamp(floor, 1.0 - floor);
    if happened { -p.ln() } else { -(1.0 - p).ln() }
}

/// The Brier skill score of a mean score `score` against a reference's
/// `reference`: `1 − score / reference`; positive when the forecast beat
/// the reference. `None` when the reference scored perfectly.
pub fn skill(score: f64, reference: f64) -> Option<f64> {
    (reference > 0.0).then(|| 1.0 - score / reference)
}

/// A statistic with its 95 % bootstrap percentile interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// The statistic on the cases as they are.
    pub value: f64,
    /// 2.5th percentile of the statistic over the resamples.
    pub lo: f64,
    /// 97.5th percentile.
    pub hi: f64,
}

/// Resamples of `cases` indices drawn with replacement (each resample as
/// long as the case list), from one ChaCha8 stream seeded with `seed`: the
/// same resamples for every statistic of one back-test.
pub fn resamples(cases: usize, count: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|_| (0..cases).map(|_| rng.random_range(0..cases)).collect())
        .collect()
}

/// `statistic` on all the cases and its 95 % percentile interval over
/// `resamples` (statistics a resample cannot give, `None`, are skipped).
/// `None` when the cases themselves give no value.
pub fn bootstrap(
    cases: usize,
    resamples: &[Vec<usize>],
    statistic: impl Fn(&[usize]) -> Option<f64>,
) -> Option<Interval> {
    let all: Vec<usize> = (0..cases).collect();
    let value = statistic(&all)?;
    let mut values: Vec<f64> = resamples.iter().filter_map(|r| statistic(r)).collect();
    values.sort_by(f64::total_cmp);
    Some(Interval {
        value,
        lo: percentile(&values, 0.025).unwrap_or(value),
        hi: percentile(&values, 0.975).unwrap_or(value),
    })
}

/// The `q`-th percentile of sorted `values` by the nearest rank: the
/// smallest value with at least `q` of the values at or below it.
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// One bin of a reliability diagram (Murphy & Winkler 1977).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReliabilityBin {
    /// The bin's forecasts lie in `[from, to)` (the last bin includes 1).
    pub from: f64,
    /// Upper end of the bin.
    pub to: f64,
    /// Forecasts in the bin.
    pub forecasts: u64,
    /// Their mean.
    pub mean_forecast: f64,
    /// Outcomes among them that happened.
    pub happened: u64,
    /// The share that happened, with its Wilson 95 % interval (the band).
    pub observed: f64,
    /// Lower end of the band.
    pub lo: f64,
    /// Upper end of the band.
    pub hi: f64,
}

/// `(forecast, happened)` pairs in `bins` equal bins of [0, 1]; empty
/// bins are left out.
pub fn reliability(pairs: &[(f64, bool)], bins: usize) -> Vec<ReliabilityBin> {
    let width = 1.0 / bins as f64;
    (0..bins)
        .filter_map(|b| {
            let inside: Vec<&(f64, bool)> = pairs
                .iter()
                .filter(|(p, _)| ((p / width).floor() as usize).min(bins - 1) == b)
                .collect();
            if inside.is_empty() {
                return None;
            }
            let n = inside.len() as u64;
            let happened = inside.iter().filter(|(_, y)| *y).count() as u64;
            let band = wilson(happened, n, Z95);
            Some(ReliabilityBin {
                from: b as f64 * width,
                to: (b + 1) as f64 * width,
                forecasts: n,
                mean_forecast: inside.iter().map(|(p, _)| p).sum::<f64>() / n as f64,
                happened,
                observed: band.p,
                lo: band.lo,
                hi: band.hi,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_by_hand() {
        assert!((brier(0.7, true) - 0.09).abs() < 1e-12);
        assert!((brier(0.7, false) - 0.49).abs() < 1e-12);
        assert!((log_score(0.5, true, 100) - std::f64::consts::LN_2).abs() < 1e-12);
        // No run showed it: kept at 1/(2n), finite.
        assert!((log_score(0.0, true, 100) - 200f64.ln()).abs() < 1e-12);
        assert_eq!(skill(0.1, 0.2), Some(0.5));
        assert_eq!(skill(0.1, 0.0), None);
    }

    #[test]
    fn percentile_by_nearest_rank() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&v, 0.025), Some(1.0));
        assert_eq!(percentile(&v, 0.5), Some(2.0));
        assert_eq!(percentile(&v, 0.975), Some(4.0));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn reliability_bins_count_and_band() {
        let pairs = [(0.1, false), (0.15, true), (0.9, true), (1.0, true)];
        let bins = reliability(&pairs, 5);
        assert_eq!(bins.len(), 2);
        assert_eq!((bins[0].forecasts, bins[0].happened), (2, 1));
        assert!((bins[0].mean_forecast - 0.125).abs() < 1e-12);
        assert_eq!((bins[1].forecasts, bins[1].happened), (2, 2));
        assert!(bins[1].lo < 1.0 && bins[1].hi == 1.0);
    }
}
