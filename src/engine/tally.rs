//! What a study reduces to: integer counts only. Merging adds counts, which
//! is exact and independent of order, so any split of the runs (threads,
//! chunks, shards) gives the same totals.

use serde::{Deserialize, Serialize};

use crate::model::{Cause, Channel, Deal, IssueStatus, Model, RunState};

/// Integer counts over a set of runs. Serialisable, so a shard can write
/// its counts and `merge` add them up exactly.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub runs: u64,
    pub escalation: u64,
    /// Indexed like [`Deal::ALL`].
    pub deal: [u64; 3],
    /// Indexed like [`Channel::ALL`].
    pub channel: [u64; 4],
    /// Breaks by shock, by shock index.
    pub broken_by_shock: Vec<u64>,
    /// Breaks by spoiler, by spoiler index.
    pub broken_by_spoiler: Vec<u64>,
    /// `broken_in_round[t]`: runs broken in round `t` (index 0 unused).
    pub broken_in_round: Vec<u64>,
    /// `first_agreement[t]`: runs whose first agreement came in round `t`.
    pub first_agreement: Vec<u64>,
    pub issue_agreed: Vec<u64>,
    pub issue_ratified: Vec<u64>,
    pub issue_rejected: Vec<u64>,
    pub spoiler_activations: Vec<u64>,
    pub spoiler_successes: Vec<u64>,
    pub walkouts: u64,
    pub leaks: u64,
}

impl Tally {
    /// An empty tally shaped for `model`.
    pub fn new(model: &Model) -> Tally {
        let rounds = model.horizon as usize + 1;
        let issues = model.issues.len();
        let spoilers = model.spoilers.len();
        Tally {
            broken_by_shock: vec![0; model.shocks.len()],
            broken_by_spoiler: vec![0; spoilers],
            broken_in_round: vec![0; rounds],
            first_agreement: vec![0; rounds],
            issue_agreed: vec![0; issues],
            issue_ratified: vec![0; issues],
            issue_rejected: vec![0; issues],
            spoiler_activations: vec![0; spoilers],
            spoiler_successes: vec![0; spoilers],
            ..Tally::default()
        }
    }

    /// Count one finished run.
    pub fn record(&mut self, state: &RunState) {
        self.runs += 1;
        self.escalation += u64::from(state.escalation);
        self.deal[Deal::ALL
            .iter()
            .position(|&d| d == state.deal())
            .expect("every deal is listed")] += 1;
        self.channel[Channel::ALL
            .iter()
            .position(|&c| c == state.channel)
            .expect("every channel is listed")] += 1;
        match state.cause {
            Some(Cause::Shock(k)) => self.broken_by_shock[k] += 1,
            Some(Cause::Spoiler(k)) => self.broken_by_spoiler[k] += 1,
            None => {}
        }
        if let Some(round) = state.broken_round {
            self.broken_in_round[round as usize] += 1;
        }
        if let Some(round) = state.first_agreement_round {
            self.first_agreement[round as usize] += 1;
        }
        for (j, issue) in state.issues.iter().enumerate() {
            self.issue_agreed[j] += u64::from(issue.agreed_round.is_some());
            self.issue_ratified[j] += u64::from(issue.status == IssueStatus::Ratified);
            self.issue_rejected[j] += u64::from(issue.status == IssueStatus::Rejected);
        }
        for (k, (&a, &s)) in state
            .spoiler_activations
            .iter()
            .zip(&state.spoiler_successes)
            .enumerate()
        {
            self.spoiler_activations[k] += u64::from(a);
            self.spoiler_successes[k] += u64::from(s);
        }
        self.walkouts += u64::from(state.walkouts);
        self.leaks += u64::from(state.leaks);
    }

    /// Whether this tally has the shape `model` gives (a check on counts
    /// read from a file).
    pub fn fits(&self, model: &Model) -> bool {
        let empty = Tally::new(model);
        [
            (self.broken_by_shock.len(), empty.broken_by_shock.len()),
            (self.broken_by_spoiler.len(), empty.broken_by_spoiler.len()),
            (self.broken_in_round.len(), empty.broken_in_round.len()),
            (self.first_agreement.len(), empty.first_agreement.len()),
            (self.issue_agreed.len(), empty.issue_agreed.len()),
            (self.issue_ratified.len(), empty.issue_ratified.len()),
            (self.issue_rejected.len(), empty.issue_rejected.len()),
            (
                self.spoiler_activations.len(),
                empty.spoiler_activations.len(),
            ),
            (self.spoiler_successes.len(), empty.spoiler_successes.len()),
        ]
        .iter()
        .all(|(a, b)| a == b)
    }

    /// Add `other`'s counts to these (both shaped for the same model).
    pub fn merge(&mut self, other: &Tally) {
        fn add(a: &mut [u64], b: &[u64]) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        self.runs += other.runs;
        self.escalation += other.escalation;
        add(&mut self.deal, &other.deal);
        add(&mut self.channel, &other.channel);
        add(&mut self.broken_by_shock, &other.broken_by_shock);
        add(&mut self.broken_by_spoiler, &other.broken_by_spoiler);
        add(&mut self.broken_in_round, &other.broken_in_round);
        add(&mut self.first_agreement, &other.first_agreement);
        add(&mut self.issue_agreed, &other.issue_agreed);
        add(&mut self.issue_ratified, &other.issue_ratified);
        add(&mut self.issue_rejected, &other.issue_rejected);
        add(&mut self.spoiler_activations, &other.spoiler_activations);
        add(&mut self.spoiler_successes, &other.spoiler_successes);
        self.walkouts += other.walkouts;
        self.leaks += other.leaks;
    }

    /// Runs broken by `cause`.
    pub fn cause_count(&self, cause: Cause) -> u64 {
        match cause {
            Cause::Shock(k) => self.broken_by_shock[k],
            Cause::Spoiler(k) => self.broken_by_spoiler[k],
        }
    }

    /// Runs not broken by the end.
    pub fn continued(&self) -> u64 {
        self.runs
            - self.channel[Channel::ALL
                .iter()
                .position(|&c| c == Channel::Broken)
                .expect("listed")]
    }

    /// Runs still unbroken after round `t`, for `t = 0..=horizon`.
    pub fn surviving(&self) -> Vec<u64> {
        let mut alive = self.runs;
        let mut out = Vec::with_capacity(self.broken_in_round.len());
        for (t, &broken) in self.broken_in_round.iter().enumerate() {
            if t > 0 {
                alive -= broken;
            }
            out.push(alive);
        }
        out
    }
}
