//! The pooled posterior in fixed memory: a seeded priority sample of the
//! worlds of every generation (docs/MODEL.md, "Calibration", "The pooled
//! posterior in fixed memory").
//!
//! Priority sampling (Duffield, Lund & Thorup 2007) gives world `i` of
//! weight `w` the priority `w / u`, `u` uniform on (0, 1] from its own
//! seeded stream, and keeps the [`CAPACITY`] worlds of highest priority.
//! With `tau` the highest priority of the worlds left out, a kept world's
//! weight is estimated as `max(w, tau)`: every sum of weights over a set of
//! worlds (the mass below a quantile, in a cell of the pairs plot, on a
//! count) is then estimated without bias, and worlds heavier than `tau`,
//! which carry most of a posterior's weight, are kept with their own.
//! Until more than [`CAPACITY`] worlds have come, nothing is left out,
//! `tau` is 0 and the pool is exact.
//!
//! Everything runs on one thread in the worlds' order, ties in priority
//! broken by that order, so the sample does not depend on the thread count.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::sampler::{Points, Uniforms};

/// The most worlds the pool keeps: four times the most worlds a generation
/// may have ([`super::MAX_GENERATION_WORLDS`]). The pooled effective sample
/// exceeds the asked one (at most a generation's worlds) by at most one
/// generation's, so it is at most half of this; a priority sample of `K`
/// worlds adds about the error of `K` independent draws, which widens the
/// pool's standard errors by at most `sqrt(1 + ESS / K)`, about 22 % at
/// that bound and under 1 % at the default effective sample of 500.
pub const CAPACITY: usize = 4 * super::MAX_GENERATION_WORLDS as usize;

/// The domain of the priorities' random streams, apart from the worlds'.
const DOMAIN: &[u8] = b"backchannel/calibrate/reservoir/v1";

/// One kept world: its priority, its place in the stream and where its
/// point and counts are stored.
struct Kept {
    priority: f64,
    order: u64,
    slot: usize,
    /// Its weight within its generation (normalised there).
    weight: f64,
    /// Its generation's effective sample size.
    generation_ess: f64,
}

impl Kept {
    /// Ranked by priority, then by place in the stream (the earlier first
    /// kept), so the sample is a function of the stream.
    fn rank(&self, other: &Kept) -> Ordering {
        self.priority
            .total_cmp(&other.priority)
            .then(other.order.cmp(&self.order))
    }
}

impl PartialEq for Kept {
    fn eq(&self, other: &Kept) -> bool {
        self.rank(other) == Ordering::Equal
    }
}

impl Eq for Kept {}

impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Kept) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Kept {
    fn cmp(&self, other: &Kept) -> Ordering {
        self.rank(other)
    }
}

/// The worlds of every generation so far, pooled into at most
/// [`CAPACITY`] worlds. A generation enters with its worlds' weights
/// (normalised within it) times its effective sample size, so the pool's
/// effective size is the sum of the generations' (docs/MODEL.md,
/// "Calibration").
pub struct Pool {
    seed: u64,
    dimensions: usize,
    targets: usize,
    /// The kept worlds, the lowest priority on top.
    kept: BinaryHeap<Reverse<Kept>>,
    /// `points[slot * dimensions + j]`.
    points: Vec<f64>,
    /// `counts[slot * targets + t]`.
    counts: Vec<u64>,
    free: Vec<usize>,
    /// The highest priority of the worlds left out (0 while none is).
    threshold: f64,
    streamed: u64,
    /// The sum of the generations' effective sample sizes.
    pub ess: f64,
}

/// The pooled posterior: its worlds, their weights (summing to about one)
/// and `counts[t][i]`, runs of target `t` in world `i` with its outcome.
pub struct Posterior {
    pub points: Points,
    pub weights: Vec<f64>,
    pub counts: Vec<Vec<u64>>,
}

impl Pool {
    /// An empty pool of worlds of `dimensions` unknowns and `targets`
    /// targets, its priorities drawn under `seed`.
    pub fn new(seed: u64, dimensions: usize, targets: usize) -> Pool {
        Pool {
            seed,
            dimensions,
            targets,
            kept: BinaryHeap::new(),
            points: Vec::new(),
            counts: Vec::new(),
            free: Vec::new(),
            threshold: 0.0,
            streamed: 0,
            ess: 0.0,
        }
    }

    /// Add generation `generation`: its worlds' `points`, normalised
    /// `weights`, `counts[t][i]` and effective sample size.
    pub fn add(
        &mut self,
        generation: u64,
        points: &Points,
        weights: &[f64],
        counts: &[Vec<u64>],
        ess: f64,
    ) {
        for (i, (point, &weight)) in points.iter().zip(weights).enumerate() {
            let u = 1.0 - Uniforms::in_domain(DOMAIN, self.seed, generation, i as u64).next();
            let world = Kept {
                priority: weight * ess / u,
                order: self.streamed,
                slot: 0,
                weight,
                generation_ess: ess,
            };
            self.streamed += 1;
            if let Some(slot) = self.admit(world) {
                let at = slot * self.dimensions;
                self.points[at..at + self.dimensions].copy_from_slice(point);
                for (t, counts) in counts.iter().enumerate() {
                    self.counts[slot * self.targets + t] = counts[i];
                }
            }
        }
        self.ess += ess;
    }

    /// Keep `world` if its priority ranks among the [`CAPACITY`] highest,
    /// leaving out the lowest kept if full: the slot to store it in.
    fn admit(&mut self, mut world: Kept) -> Option<usize> {
        if self.kept.len() == CAPACITY {
            let lowest = &self.kept.peek()?.0;
            if world <= *lowest {
                self.threshold = self.threshold.max(world.priority);
                return None;
            }
            let Reverse(lowest) = self.kept.pop()?;
            self.threshold = self.threshold.max(lowest.priority);
            self.free.push(lowest.slot);
        }
        world.slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.points.resize(self.points.len() + self.dimensions, 0.0);
                self.counts.resize(self.counts.len() + self.targets, 0);
                self.kept.len()
            }
        };
        let slot = world.slot;
        self.kept.push(Reverse(world));
        Some(slot)
    }

    /// The pooled posterior, its worlds in the order they came. While no
    /// world was left out, each weight is exactly its world's share of the
    /// pool (its weight times its generation's effective size over their
    /// sum); after, each is the priority sample's estimate of it.
    pub fn posterior(self) -> Posterior {
        let total = self.ess;
        let mut kept: Vec<Kept> = self.kept.into_iter().map(|Reverse(k)| k).collect();
        kept.sort_by_key(|k| k.order);
        let mut counts = vec![Vec::with_capacity(kept.len()); self.targets];
        let mut points = Vec::with_capacity(kept.len());
        let mut weights = Vec::with_capacity(kept.len());
        for world in &kept {
            let at = world.slot * self.dimensions;
            points.push(self.points[at..at + self.dimensions].to_vec());
            for (t, counts) in counts.iter_mut().enumerate() {
                counts.push(self.counts[world.slot * self.targets + t]);
            }
            let share = world.weight * world.generation_ess;
            weights.push(share.max(self.threshold) / total);
        }
        Posterior {
            points,
            weights,
            counts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pool of `n` one-target worlds in one generation of weight
    /// proportional to `1 + i % 7`.
    fn pooled(n: usize) -> (Pool, Vec<f64>) {
        let points: Points = (0..n).map(|i| vec![i as f64 / n as f64]).collect();
        let raw: Vec<f64> = (0..n).map(|i| 1.0 + (i % 7) as f64).collect();
        let sum: f64 = raw.iter().sum();
        let weights: Vec<f64> = raw.iter().map(|w| w / sum).collect();
        let counts = vec![(0..n as u64).collect()];
        let mut pool = Pool::new(11, 1, 1);
        pool.add(0, &points, &weights, &counts, 1.0);
        (pool, weights)
    }

    #[test]
    fn below_capacity_the_pool_is_exact() {
        let (pool, weights) = pooled(1000);
        let posterior = pool.posterior();
        assert_eq!(posterior.weights, weights);
        assert_eq!(posterior.counts[0], (0..1000).collect::<Vec<u64>>());
    }

    #[test]
    fn above_capacity_the_pool_keeps_capacity_worlds_and_estimates_their_weight() {
        let n = CAPACITY * 3;
        let (pool, weights) = pooled(n);
        let posterior = pool.posterior();
        assert_eq!(posterior.points.len(), CAPACITY);
        // Worlds in order, each point matching its count.
        for (p, &c) in posterior.points.iter().zip(&posterior.counts[0]) {
            assert_eq!(p[0], c as f64 / n as f64);
        }
        assert!(posterior.counts[0].windows(2).all(|w| w[0] < w[1]));
        // The total weight and the weight of the first half, estimated
        // within a few standard errors (about 1 / sqrt(CAPACITY)).
        let total: f64 = posterior.weights.iter().sum();
        assert!((total - 1.0).abs() < 0.03, "{total}");
        let half: f64 = posterior.counts[0]
            .iter()
            .zip(&posterior.weights)
            .filter(|(c, _)| (**c as usize) < n / 2)
            .map(|(_, w)| w)
            .sum();
        let exact: f64 = weights[..n / 2].iter().sum();
        assert!((half - exact).abs() < 0.03, "{half} against {exact}");
    }

    #[test]
    fn the_sample_is_seeded() {
        let n = CAPACITY + 500;
        let first = pooled(n).0.posterior();
        let again = pooled(n).0.posterior();
        assert_eq!(first.counts, again.counts);
        assert_eq!(first.weights, again.weights);
    }
}
