//! Shards: a study split into N contiguous slices of run indices, run
//! anywhere, merged exactly. Shard `i` of `n` covers runs
//! `[floor(i R / n), floor((i + 1) R / n))` of a study of `R` runs; since
//! every run depends only on (seed, run index) and tallies are integers, the
//! merge of all shards is the study.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Which shard, of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The run indices of this shard in a study of `runs` runs.
    pub fn slice(self, runs: u64) -> Range<u64> {
        let at = |i: u64| (u128::from(i) * u128::from(runs) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

/// Why slices do not make a whole study.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// Two slices share runs: their positions in the slices checked, the
    /// one starting first (or, starting together, ending first) first.
    Overlap(usize, usize),
    /// Runs no slice covers.
    Missing(Vec<Range<u64>>),
}

/// Check that `slices` cover `0..runs` exactly once. Returns the gaps (or
/// the first overlap) when they do not.
pub fn check_coverage(slices: &[Range<u64>], runs: u64) -> Result<(), Coverage> {
    let mut order: Vec<usize> = (0..slices.len()).collect();
    order.sort_by_key(|&i| (slices[i].start, slices[i].end));
    for pair in order.windows(2) {
        if slices[pair[1]].start < slices[pair[0]].end {
            return Err(Coverage::Overlap(pair[0], pair[1]));
        }
    }
    let sorted: Vec<&Range<u64>> = order.iter().map(|&i| &slices[i]).collect();
    let mut missing = Vec::new();
    let mut next = 0;
    for slice in sorted {
        if slice.start > next {
            missing.push(next..slice.start);
        }
        next = next.max(slice.end);
    }
    if next < runs {
        missing.push(next..runs);
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Coverage::Missing(missing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_tile_the_runs_exactly() {
        for runs in [0u64, 1, 7, 10, 1001, 1 << 40] {
            for count in [1u64, 2, 3, 7, 16] {
                let slices: Vec<Range<u64>> = (0..count)
                    .map(|index| Shard { index, count }.slice(runs))
                    .collect();
                assert_eq!(check_coverage(&slices, runs), Ok(()), "{runs} / {count}");
                let sizes: Vec<u64> = slices.iter().map(|s| s.end - s.start).collect();
                assert!(
                    sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1,
                    "balanced"
                );
            }
        }
    }

    #[test]
    fn gaps_and_overlaps_are_named() {
        assert_eq!(
            check_coverage(&[0..3, 5..10], 12),
            Err(Coverage::Missing(vec![3..5, 10..12]))
        );
        assert_eq!(
            check_coverage(&[4..10, 0..5], 10),
            Err(Coverage::Overlap(1, 0))
        );
    }
}
