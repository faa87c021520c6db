//! The calibration's sampler (docs/MODEL.md, "Calibration"): adaptive
//! importance sampling by population Monte Carlo (Cappé et al. 2004;
//! Beaumont et al. 2009), on the unit cube of the judged inputs' prior
//! quantiles, where the prior is uniform. A world's likelihood is
//! beta-binomial: the binomial likelihood of the observation integrated
//! over the world's probability given its own runs.
//!
//! Everything here runs on one thread in a fixed order, so the floats it
//! computes do not depend on the thread count; only integer counts come
//! from the pool.

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::ln_gamma;

use crate::engine::chacha::{self, Key};
use crate::stats::normal_quantile;

/// The prior's share of every proposal after the first generation: a
/// defensive mixture (Hesterberg 1995) bounds every weight by
/// `likelihood / DEFENSIVE`, so a world the kernels miss cannot take all
/// the weight.
pub const DEFENSIVE: f64 = 0.05;

/// The narrowest kernel, in units of the prior's quantiles: below it a
/// posterior is sharper than the runs per world can tell.
const MIN_WIDTH: f64 = 1e-4;

/// Worlds as points of the unit cube: `points[i][j]` is world `i`'s prior
/// quantile of unknown `j`.
pub type Points = Vec<Vec<f64>>;

/// Log of the beta-binomial probability of `k` successes in `n` trials
/// when the success probability has the posterior `Beta(r + 1, m - r + 1)`
/// of `r` successes in `m` runs under a uniform prior: the binomial
/// likelihood integrated over what the runs say of the probability
/// (Gelman et al. 2013, ch. 5; the "integrated likelihood" of a Monte
/// Carlo estimate).
pub fn log_beta_binomial(k: u64, n: u64, r: u64, m: u64) -> f64 {
    let (k, n, r, m) = (k as f64, n as f64, r as f64, m as f64);
    ln_choose(n, k) + ln_beta(k + r + 1.0, n - k + m - r + 1.0) - ln_beta(r + 1.0, m - r + 1.0)
}

/// Log of the binomial probability of `k` in `n` at the observed rate
/// `k / n`: the most any world's likelihood can be.
pub fn log_saturated(k: u64, n: u64) -> f64 {
    let (k, n) = (k as f64, n as f64);
    let term = |x: f64, p: f64| if x > 0.0 { x * p.ln() } else { 0.0 };
    ln_choose(n, k) + term(k, k / n) + term(n - k, 1.0 - k / n)
}

fn ln_choose(n: f64, k: f64) -> f64 {
    ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0)
}

fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// Weights summing to one from log weights (the largest subtracted first,
/// so none overflows and the largest is never lost).
pub fn normalised(log_weights: &[f64]) -> Vec<f64> {
    let top = log_weights
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let raw: Vec<f64> = log_weights.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = raw.iter().sum();
    raw.iter().map(|w| w / total).collect()
}

/// Kish's effective sample size of normalised weights, `1 / sum w^2`.
pub fn effective_size(weights: &[f64]) -> f64 {
    1.0 / weights.iter().map(|w| w * w).sum::<f64>()
}

/// One uniform stream per world: the uniforms of world `world` in
/// generation `generation` depend on (seed, generation, world) only.
pub struct Uniforms {
    key: Key,
    stream: u64,
    counter: u64,
    block: [u32; 16],
    next: usize,
}

impl Uniforms {
    /// World `world`'s stream in generation `generation` under `seed`.
    pub fn new(seed: u64, generation: u64, world: u64) -> Uniforms {
        Uniforms::in_domain(b"backchannel/calibrate/v1", seed, generation, world)
    }

    /// As [`new`](Uniforms::new), in a domain of streams of its own: the
    /// streams of two domains are independent.
    pub fn in_domain(domain: &[u8], seed: u64, generation: u64, world: u64) -> Uniforms {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        hasher.update(domain);
        hasher.update(seed.to_le_bytes());
        hasher.update(generation.to_le_bytes());
        let key = Key::from_bytes(&hasher.finalize().into());
        Uniforms {
            block: chacha::block(&key, 0, world),
            key,
            stream: world,
            counter: 0,
            next: 0,
        }
    }

    /// The next uniform in `[0, 1)` (53 bits).
    pub fn next(&mut self) -> f64 {
        if self.next == 16 {
            self.counter += 1;
            self.block = chacha::block(&self.key, self.counter, self.stream);
            self.next = 0;
        }
        let bits = u64::from(self.block[self.next]) | (u64::from(self.block[self.next + 1]) << 32);
        self.next += 2;
        (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// Generation 0: `count` worlds drawn from the prior, uniform on the cube.
pub fn prior_points(seed: u64, count: usize, dimensions: usize) -> Points {
    (0..count)
        .map(|i| {
            let mut u = Uniforms::new(seed, 0, i as u64);
            (0..dimensions).map(|_| u.next()).collect()
        })
        .collect()
}

/// The proposal of a generation after the first: with probability
/// [`DEFENSIVE`] the prior, else a world of the previous generation chosen
/// by weight and moved by a normal kernel truncated to the cube, with
/// independent coordinates of twice the weighted variance (Beaumont et
/// al. 2009).
pub struct Proposal<'a> {
    points: &'a Points,
    weights: &'a [f64],
    widths: Vec<f64>,
    /// `mass[a][j]`: the kernel's mass inside `[0, 1]` around world `a`'s
    /// coordinate `j`.
    mass: Vec<Vec<f64>>,
}

impl<'a> Proposal<'a> {
    /// The proposal around `points` with normalised `weights`.
    pub fn new(points: &'a Points, weights: &'a [f64]) -> Proposal<'a> {
        let dimensions = points.first().map_or(0, Vec::len);
        let widths: Vec<f64> = (0..dimensions)
            .map(|j| {
                let mean: f64 = points.iter().zip(weights).map(|(p, w)| w * p[j]).sum();
                let var: f64 = points
                    .iter()
                    .zip(weights)
                    .map(|(p, w)| w * (p[j] - mean).powi(2))
                    .sum();
                (2.0 * var).sqrt().max(MIN_WIDTH)
            })
            .collect();
        let mass = points
            .iter()
            .map(|p| {
                p.iter()
                    .zip(&widths)
                    .map(|(&a, &s)| phi((1.0 - a) / s) - phi(-a / s))
                    .collect()
            })
            .collect();
        Proposal {
            points,
            weights,
            widths,
            mass,
        }
    }

    /// `count` worlds of generation `generation`.
    pub fn draw(&self, seed: u64, generation: u64, count: usize) -> Points {
        let cumulative: Vec<f64> = self
            .weights
            .iter()
            .scan(0.0, |sum, w| {
                *sum += w;
                Some(*sum)
            })
            .collect();
        let dimensions = self.widths.len();
        (0..count)
            .map(|i| {
                let mut u = Uniforms::new(seed, generation, i as u64);
                if u.next() < DEFENSIVE {
                    return (0..dimensions).map(|_| u.next()).collect();
                }
                let pick = u.next() * cumulative.last().copied().unwrap_or(1.0);
                let a = cumulative
                    .partition_point(|&c| c <= pick)
                    .min(self.points.len() - 1);
                (0..dimensions)
                    .map(|j| self.move_coordinate(a, j, u.next()))
                    .collect()
            })
            .collect()
    }

    /// World `a`'s coordinate `j` moved by the truncated kernel, by
    /// inversion of its distribution function at `v`.
    fn move_coordinate(&self, a: usize, j: usize, v: f64) -> f64 {
        let (centre, width) = (self.points[a][j], self.widths[j]);
        let low = phi(-centre / width);
        let p = (low + v * self.mass[a][j]).clamp(1e-300, 1.0 - 1e-16);
        (centre + width * normal_quantile(p)).clamp(0.0, 1.0 - 1e-12)
    }

    /// The proposal's density at `point` (the prior's is 1 on the cube).
    pub fn density(&self, point: &[f64]) -> f64 {
        let kernels: f64 = self
            .points
            .iter()
            .zip(self.weights)
            .zip(&self.mass)
            .filter(|((_, w), _)| **w > 0.0)
            .map(|((centre, w), mass)| {
                let product: f64 = point
                    .iter()
                    .zip(centre)
                    .zip(&self.widths)
                    .zip(mass)
                    .map(|(((x, c), s), m)| density_phi((x - c) / s) / (s * m))
                    .product();
                w * product
            })
            .sum();
        DEFENSIVE + (1.0 - DEFENSIVE) * kernels
    }
}

fn standard() -> Normal {
    Normal::standard()
}

/// The standard normal distribution function.
fn phi(x: f64) -> f64 {
    standard().cdf(x)
}

/// The standard normal density.
fn density_phi(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_binomial_is_a_distribution_over_the_observed_count() {
        let total: f64 = (0..=10)
            .map(|k| log_beta_binomial(k, 10, 37, 100).exp())
            .sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        // Many runs: it tends to the binomial at r / m.
        let bb = log_beta_binomial(3, 10, 300_000, 1_000_000);
        let binomial = ln_choose(10.0, 3.0) + 3.0 * 0.3f64.ln() + 7.0 * 0.7f64.ln();
        assert!((bb - binomial).abs() < 1e-3);
        assert!(log_saturated(3, 10) >= bb);
    }

    #[test]
    fn the_proposal_is_a_density_on_the_unit_square() {
        let points = vec![vec![0.1, 0.9], vec![0.5, 0.5], vec![0.95, 0.02]];
        let weights = [0.2, 0.5, 0.3];
        let proposal = Proposal::new(&points, &weights);
        let grid = 200;
        let mut integral = 0.0;
        for i in 0..grid {
            for j in 0..grid {
                let x = [
                    (i as f64 + 0.5) / grid as f64,
                    (j as f64 + 0.5) / grid as f64,
                ];
                integral += proposal.density(&x);
            }
        }
        integral /= (grid * grid) as f64;
        assert!((integral - 1.0).abs() < 1e-2, "{integral}");
        let drawn = proposal.draw(1, 1, 500);
        assert!(drawn.iter().flatten().all(|x| (0.0..1.0).contains(x)));
        assert_eq!(drawn, proposal.draw(1, 1, 500), "seeded");
    }
}
