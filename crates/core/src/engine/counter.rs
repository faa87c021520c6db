//! What a study's runs are counted into while they run: the counts of
//! every world in one flat vector, world after world, each laid out by a
//! [`WorldLayout`] computed once, and beside them a [`Tally`] of what worlds
//! do not count. Counting a run is a few additions at fixed offsets in its
//! world's counts, and adding two counters is one addition of slices, with
//! no allocation per world. The totals are the sums over the worlds, taken
//! once the runs are done; the counts by world become [`Tally::worlds`] when
//! the study has judged inputs (a study without them is one world).
//!
//! Counting each run into a [`Tally`] of 200 worlds, each with about
//! fifteen vectors of its own, and into the totals besides, cost the
//! flagship 3 % of its speed (docs/PERFORMANCE.md, "Counts by world for
//! every interval").

use super::count_fields::Dims;
use super::tally::{Tally, WorldLayout, WorldTally, channel_index, deal_index};
use super::worlds::Worlds;
use crate::model::{Cause, Channel, IssueStatus, RunState};

/// Counts of runs of a study being run.
#[derive(Debug, Clone)]
pub(crate) struct Counter {
    /// What the worlds do not count ([`Tally::record_beyond_worlds`]); its
    /// other counts stay zero until [`Counter::into_tally`].
    beyond_worlds: Tally,
    by_world: WorldCounts,
    /// Whether the tally keeps its counts by world: the study has judged
    /// inputs.
    keeps_worlds: bool,
}

impl Counter {
    /// Nothing counted yet, shaped for `worlds`.
    pub(crate) fn new(worlds: &Worlds) -> Counter {
        let layout = WorldLayout::of(&Dims::of(worlds.shape()));
        Counter {
            beyond_worlds: Tally::new(worlds.shape()),
            by_world: WorldCounts {
                counts: vec![0; layout.len * worlds.count()],
                layout,
            },
            keeps_worlds: worlds.is_uncertain(),
        }
    }

    /// The runs counted.
    pub(crate) fn runs(&self) -> u64 {
        let runs = &self.by_world.counts[self.by_world.layout.runs..];
        runs.iter().step_by(self.by_world.layout.len).sum()
    }

    /// Count one finished run, which took place in world `world`.
    pub(crate) fn record_in(&mut self, world: usize, state: &RunState) {
        self.beyond_worlds.record_beyond_worlds(state);
        self.by_world.record(world, state);
    }

    /// Add `other`'s counts (of the same study) to these.
    pub(crate) fn merge(&mut self, other: &Counter) {
        self.beyond_worlds.merge(&other.beyond_worlds);
        self.by_world.add(&other.by_world);
    }

    /// The tally of the runs counted: the totals, and the counts by world
    /// when the study has judged inputs.
    pub(crate) fn into_tally(self) -> Tally {
        let mut tally = self.beyond_worlds;
        tally.take_world_sums(self.by_world.sum());
        if self.keeps_worlds {
            tally.worlds = self.by_world.tallies();
        }
        tally
    }
}

/// The counts of every world, world-major: world `w`'s are
/// `counts[w * layout.len..][..layout.len]`.
#[derive(Debug, Clone)]
struct WorldCounts {
    layout: WorldLayout,
    counts: Vec<u64>,
}

impl WorldCounts {
    /// Count one finished run in world `world`: what
    /// [`WorldTally`]'s fields say each counts.
    fn record(&mut self, world: usize, state: &RunState) {
        let at = &self.layout;
        let counts = &mut self.counts[world * at.len..][..at.len];
        counts[at.runs] += 1;
        counts[at.escalation] += u64::from(state.escalation);
        counts[at.deal + deal_index(state.deal())] += 1;
        counts[at.channel + channel_index(state.channel)] += 1;
        counts[at.calm] +=
            u64::from(state.channel != Channel::Broken && !state.escalation && !state.relapsed);
        if let (Some(cause), Some(round)) = (state.cause, state.broken_round) {
            let round = round as usize;
            let rounds = at.dims.round_count();
            let (total, row) = match cause {
                Cause::Shock(k) => (
                    at.broken_by_shock + k,
                    at.broken_by_shock_in_round + k * rounds,
                ),
                Cause::Spoiler(k) => (
                    at.broken_by_spoiler + k,
                    at.broken_by_spoiler_in_round + k * rounds,
                ),
            };
            counts[total] += 1;
            counts[row + round] += 1;
            counts[at.broken_in_round + round] += 1;
        }
        if let Some(round) = state.first_agreement_round {
            counts[at.first_agreement + round as usize] += 1;
        }
        for (j, issue) in state.issues.iter().enumerate() {
            counts[at.issue_agreed + j] += u64::from(issue.agreed_round.is_some());
            counts[at.issue_ratified + j] += u64::from(issue.status == IssueStatus::Ratified);
            counts[at.issue_rejected + j] += u64::from(issue.status == IssueStatus::Rejected);
        }
    }

    /// Add `other`'s counts (laid out alike) to these: counts of simulated
    /// runs stay far below 2^64, as [`Tally::merge`] holds.
    fn add(&mut self, other: &WorldCounts) {
        assert_eq!(self.counts.len(), other.counts.len(), "the same worlds");
        let mut wrapped = false;
        for (a, &b) in self.counts.iter_mut().zip(&other.counts) {
            let (sum, overflow) = a.overflowing_add(b);
            *a = sum;
            wrapped |= overflow;
        }
        assert!(!wrapped, "counts of simulated runs stay below 2^64");
    }

    /// The sum of every world's counts (none past the runs counted, so no
    /// sum can wrap).
    fn sum(&self) -> WorldTally {
        let mut sum = vec![0u64; self.layout.len];
        for world in self.counts.chunks_exact(self.layout.len) {
            for (a, &b) in sum.iter_mut().zip(world) {
                *a += b;
            }
        }
        self.layout.unflatten(&sum)
    }

    /// Each world's counts, in the worlds' order.
    fn tallies(&self) -> Vec<WorldTally> {
        self.counts
            .chunks_exact(self.layout.len)
            .map(|counts| self.layout.unflatten(counts))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::engine::{StudyOptions, run_one, run_study};
    use crate::model::NoObserver;
    use crate::scenario::load;

    /// The flat counts of a world are the counts of its runs alone, each
    /// replayed and counted into a tally of its own, every field at its
    /// place (tables row by row); and they add up to the totals.
    #[test]
    fn a_world_laid_out_flat_holds_the_counts_of_its_runs() {
        let loaded = load("muscat-2026", &[]).unwrap();
        let worlds = Worlds::draw(&loaded, 7, 5).unwrap();
        let tally = run_study(
            &worlds,
            &StudyOptions::new(7, 3000, 2),
            &AtomicBool::new(false),
            |_, _| Ok::<(), ()>(()),
        )
        .unwrap();
        assert_eq!(tally.inconsistencies(worlds.shape()), vec![]);
        let world = &tally.worlds[3];
        let (mut replayed, mut calm) = (Tally::new(worlds.shape()), 0);
        for run in (3..3000).step_by(5) {
            let state = run_one(worlds.model(3), 7, run, &mut NoObserver);
            replayed.record(&state);
            calm +=
                u64::from(state.channel != Channel::Broken && !state.escalation && !state.relapsed);
        }
        let shared = WorldTally {
            runs: replayed.runs,
            escalation: replayed.escalation,
            deal: replayed.deal,
            channel: replayed.channel,
            broken_in_round: replayed.broken_in_round,
            broken_by_shock: replayed.broken_by_shock,
            broken_by_spoiler: replayed.broken_by_spoiler,
            broken_by_shock_in_round: replayed.broken_by_shock_in_round,
            broken_by_spoiler_in_round: replayed.broken_by_spoiler_in_round,
            first_agreement: replayed.first_agreement,
            issue_agreed: replayed.issue_agreed,
            issue_ratified: replayed.issue_ratified,
            issue_rejected: replayed.issue_rejected,
            calm,
        };
        assert_eq!(&shared, world);
        assert!(
            world
                .broken_by_spoiler_in_round
                .iter()
                .flatten()
                .sum::<u64>()
                > 0
        );
        assert!(world.issue_rejected.iter().sum::<u64>() > 0 && world.calm > 0);
        // Laid out flat in the fields' order, as `entries` lists them.
        let layout = WorldLayout::of(&Dims::of(worlds.shape()));
        let flat: Vec<u64> = world.entries().into_iter().map(|(_, c)| c).collect();
        assert_eq!(flat.len(), layout.len);
        assert_eq!(&layout.unflatten(&flat), world);
    }
}
