//! Wilson score intervals (Wilson 1927; Brown, Cai & DasGupta 2001 recommend
//! them over the Wald interval, which collapses to zero width at p = 0 or 1).

use serde::Serialize;

/// The 97.5 % standard normal quantile: two-sided 95 % intervals.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A proportion with its Wilson 95 % interval: the `P` of the output contract.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Proportion {
    /// Runs in which it happened.
    pub count: u64,
    /// The estimate, `count / runs`.
    pub p: f64,
    /// Lower end of the 95 % interval.
    pub lo: f64,
    /// Upper end of the 95 % interval.
    pub hi: f64,
}

/// `count` successes out of `n` with a Wilson interval at quantile `z`.
/// With `n = 0` nothing is known: p = 0 and the interval is [0, 1].
pub fn wilson(count: u64, n: u64, z: f64) -> Proportion {
    if n == 0 {
        return Proportion {
            count,
            p: 0.0,
            lo: 0.0,
            hi: 1.0,
        };
    }
    wilson_fractional(count, n, n as f64, z)
}

/// `count` of `n` (n > 0) with the Wilson interval of an effective sample
/// size `effective` (at most `n`): for runs that are not independent, such
/// as runs clustered in worlds (see [`super::spread::clustered`]).
pub fn wilson_fractional(count: u64, n: u64, effective: f64, z: f64) -> Proportion {
    let p = count as f64 / n as f64;
    let (lo, hi) = wilson_bounds(p, effective, z);
    Proportion { count, p, lo, hi }
}

/// The Wilson interval of a share `p` estimated with the effective sample
/// size `effective` (> 0), at quantile `z`: for a share that is not a
/// count over runs, such as the mean of worlds' shares.
pub fn wilson_bounds(p: f64, effective: f64, z: f64) -> (f64, f64) {
    let n_f = effective;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denominator;
    let half = z * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() / denominator;
    // At the edges the exact bounds are 0 and 1; rounding must not move them.
    let lo = if p <= 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if p >= 1.0 {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_published_value() {
        // Newcombe (1998), Table I: 81 of 263 gives [0.2553, 0.3662].
        let w = wilson(81, 263, Z95);
        assert!(
            (w.lo - 0.2553).abs() < 5e-5 && (w.hi - 0.3662).abs() < 5e-5,
            "{w:?}"
        );
    }

    #[test]
    fn is_exact_at_the_edges() {
        let none = wilson(0, 10, Z95);
        assert_eq!((none.p, none.lo), (0.0, 0.0));
        assert!(none.hi > 0.0 && none.hi < 0.35);
        let all = wilson(10, 10, Z95);
        assert_eq!((all.p, all.hi), (1.0, 1.0));
        assert!(all.lo > 0.65 && all.lo < 1.0);
        let empty = wilson(0, 0, Z95);
        assert_eq!((empty.lo, empty.hi), (0.0, 1.0));
    }

    #[test]
    fn contains_the_estimate_for_tiny_samples() {
        for n in 1..30 {
            for k in 0..=n {
                let w = wilson(k, n, Z95);
                assert!(w.lo <= w.p && w.p <= w.hi, "{k}/{n}: {w:?}");
            }
        }
    }
}
