//! Stopping at a chosen precision without giving up reproducibility: a study
//! grows by doubling from 10 000 runs and is checked only at those fixed run
//! counts, so where it stops depends only on the seed (and the runs added
//! are always the next indices, so a study stopped at N is identical to a
//! fixed study of N runs).

use serde::Serialize;

/// The first run count at which precision is checked.
pub const FIRST_CHECKPOINT: u64 = 10_000;
/// Default largest study when only a precision is asked for (10 000 × 2^10).
pub const DEFAULT_MAX_RUNS: u64 = 10_240_000;

/// Run counts at which to check: 10 000, 20 000, 40 000, ... and `max` last.
pub fn checkpoints(max: u64) -> Vec<u64> {
    let mut points = Vec::new();
    let mut n = FIRST_CHECKPOINT;
    while n < max {
        points.push(n);
        n = n.saturating_mul(2);
    }
    points.push(max);
    points
}

/// What the manifest records about a study run to a precision.
#[derive(Debug, Clone, Serialize)]
pub struct PrecisionRecord {
    /// The metric whose 95 % half-width was the target.
    pub metric: String,
    /// The half-width asked for.
    pub target_half_width: f64,
    /// The half-width reached.
    pub achieved_half_width: f64,
    /// Whether the target was met before the maximum.
    pub reached: bool,
    /// Runs done.
    pub runs: u64,
    /// The most runs allowed.
    pub max_runs: u64,
    /// Run counts at which the half-width was checked.
    pub checked_at: Vec<u64>,
    /// With judged inputs, when the spread across the study's worlds alone
    /// keeps the half-width above the target: the worlds that would reach
    /// it (more runs cannot). The study then stops at that checkpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worlds_needed: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_ten_thousand_up_to_the_maximum() {
        assert_eq!(checkpoints(50_000), vec![10_000, 20_000, 40_000, 50_000]);
        assert_eq!(checkpoints(40_000), vec![10_000, 20_000, 40_000]);
        assert_eq!(checkpoints(5_000), vec![5_000]);
    }
}
