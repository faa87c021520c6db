//! What a study reduces to: integer counts only. Merging adds counts, which
//! is exact and independent of order, so any split of the runs (threads,
//! chunks, shards) gives the same totals.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::count_fields::{Dims, count_fields};
use super::worlds::Worlds;
use crate::model::{Cause, Channel, Deal, IssueStatus, Model, RunState};
use crate::scenario::ShockEffect;

/// A count that breaks an identity every run satisfies: the tally was not
/// made by runs of the model (an edited or damaged file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inconsistency {
    /// The field as `partial.json` spells it, e.g. `channel` or
    /// `issue_agreed[2]`.
    pub field: String,
    /// What is wrong, e.g. "sums to 1203, expected runs = 1000".
    pub problem: String,
}

impl Inconsistency {
    /// This inconsistency of a count inside `outer`: its field named from
    /// there (`worlds[3].` + `deal[2]`). Names are made only for an error,
    /// never for every addition of a merge.
    pub(crate) fn within(mut self, outer: &str) -> Inconsistency {
        self.field.insert_str(0, outer);
        self
    }
}

impl fmt::Display for Inconsistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.problem)
    }
}

count_fields! {
    /// Integer counts over a set of runs. Serialisable, so a shard can write
    /// its counts and `merge` add them up exactly.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    pub struct Tally {
        runs: u64 = fixed,
        escalation: u64 = fixed,
        /// Indexed like [`Deal::ALL`].
        deal: [u64; 3] = fixed,
        /// Indexed like [`Channel::ALL`].
        channel: [u64; 4] = fixed,
        /// Breaks by shock, by shock index.
        broken_by_shock: Vec<u64> = shocks,
        /// Breaks by spoiler, by spoiler index.
        broken_by_spoiler: Vec<u64> = spoilers,
        /// `broken_in_round[t]`: runs broken in round `t` (index 0 unused).
        broken_in_round: Vec<u64> = rounds,
        /// `first_agreement[t]`: runs whose first agreement came in round `t`.
        first_agreement: Vec<u64> = rounds,
        /// `broken_by_shock_in_round[k][t]`: runs broken by shock `k` in round
        /// `t` (index 0 unused): when each cause breaks the channel.
        broken_by_shock_in_round: Vec<Vec<u64>> = shock_rounds,
        /// `broken_by_spoiler_in_round[k][t]`: runs broken by spoiler `k` in
        /// round `t` (index 0 unused).
        broken_by_spoiler_in_round: Vec<Vec<u64>> = spoiler_rounds,
        /// `concluded_in_round[t]`: runs that concluded in round `t`.
        concluded_in_round: Vec<u64> = rounds,
        /// `suspended_in_round[t]`: runs whose channel was suspended at the end
        /// of round `t`.
        suspended_in_round: Vec<u64> = rounds,
        issue_agreed: Vec<u64> = issues,
        issue_ratified: Vec<u64> = issues,
        issue_rejected: Vec<u64> = issues,
        spoiler_activations: Vec<u64> = spoilers,
        spoiler_successes: Vec<u64> = spoilers,
        walkouts: u64 = fixed,
        leaks: u64 = fixed,
    }
    and {
        /// Counts by world, for a study with judged inputs (empty otherwise):
        /// what the spread across worlds and the intervals for runs clustered
        /// in worlds are computed from.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub worlds: Vec<WorldTally>,
    }
}

count_fields! {
    /// One world's counts of what the summary gives an interval for: the
    /// headline outcomes, the causes of a break (in all and by round), the
    /// first agreement and the issues. Each is named as the total it adds
    /// up to over the worlds.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    pub struct WorldTally {
        runs: u64 = fixed,
        escalation: u64 = fixed,
        /// Indexed like [`Deal::ALL`].
        deal: [u64; 3] = fixed,
        /// Indexed like [`Channel::ALL`].
        channel: [u64; 4] = fixed,
        /// `broken_in_round[t]`: runs broken in round `t` (index 0 unused).
        broken_in_round: Vec<u64> = rounds,
        /// Runs that end calm: the channel not broken, no escalation and no
        /// relapse (the `calm` outcome of a calibration, docs/CALIBRATION.md).
        #[serde(default)]
        calm: u64 = fixed,
        #[serde(default)]
        broken_by_shock: Vec<u64> = shocks,
        #[serde(default)]
        broken_by_spoiler: Vec<u64> = spoilers,
        #[serde(default)]
        broken_by_shock_in_round: Vec<Vec<u64>> = shock_rounds,
        #[serde(default)]
        broken_by_spoiler_in_round: Vec<Vec<u64>> = spoiler_rounds,
        #[serde(default)]
        first_agreement: Vec<u64> = rounds,
        #[serde(default)]
        issue_agreed: Vec<u64> = issues,
        #[serde(default)]
        issue_ratified: Vec<u64> = issues,
        #[serde(default)]
        issue_rejected: Vec<u64> = issues,
    }
    and {}
    flat WorldLayout;
}

impl WorldTally {
    /// Runs still unbroken after round `t`, for `t = 0..=horizon`.
    pub fn surviving(&self) -> Vec<u64> {
        surviving(self.runs, &self.broken_in_round)
    }

    /// Runs broken by `cause`.
    pub fn cause_count(&self, cause: Cause) -> u64 {
        match cause {
            Cause::Shock(k) => self.broken_by_shock[k],
            Cause::Spoiler(k) => self.broken_by_spoiler[k],
        }
    }

    /// Runs broken by `cause` in each round (`[0]` unused).
    pub fn cause_by_round(&self, cause: Cause) -> &[u64] {
        match cause {
            Cause::Shock(k) => &self.broken_by_shock_in_round[k],
            Cause::Spoiler(k) => &self.broken_by_spoiler_in_round[k],
        }
    }
}

/// Count the break of a finished run, if it broke: by its cause (shocks,
/// then spoilers), by cause and round, and by round.
fn record_break(
    state: &RunState,
    [by_shock, by_spoiler]: [&mut [u64]; 2],
    [shock_rounds, spoiler_rounds]: [&mut [Vec<u64>]; 2],
    in_round: &mut [u64],
) {
    let (Some(cause), Some(round)) = (state.cause, state.broken_round) else {
        return;
    };
    let (total, by_round) = match cause {
        Cause::Shock(k) => (&mut by_shock[k], &mut shock_rounds[k]),
        Cause::Spoiler(k) => (&mut by_spoiler[k], &mut spoiler_rounds[k]),
    };
    *total += 1;
    by_round[round as usize] += 1;
    in_round[round as usize] += 1;
}

/// Count, for each issue of a finished run, whether it was agreed,
/// ratified and rejected.
fn record_issues(state: &RunState, [agreed, ratified, rejected]: [&mut Vec<u64>; 3]) {
    for (j, issue) in state.issues.iter().enumerate() {
        agreed[j] += u64::from(issue.agreed_round.is_some());
        ratified[j] += u64::from(issue.status == IssueStatus::Ratified);
        rejected[j] += u64::from(issue.status == IssueStatus::Rejected);
    }
}

impl Tally {
    /// An empty tally shaped for `model`.
    pub fn new(model: &Model) -> Tally {
        Tally::shaped(&Dims::of(model))
    }

    /// An empty tally shaped for `worlds`: with counts by world when its
    /// inputs are judged.
    pub fn for_worlds(worlds: &Worlds) -> Tally {
        let dims = Dims::of(worlds.shape());
        let mut tally = Tally::shaped(&dims);
        if worlds.is_uncertain() {
            tally.worlds = vec![WorldTally::shaped(&dims); worlds.count()];
        }
        tally
    }

    /// Count one finished run.
    pub fn record(&mut self, state: &RunState) {
        self.runs += 1;
        self.escalation += u64::from(state.escalation);
        self.deal[deal_index(state.deal())] += 1;
        self.channel[channel_index(state.channel)] += 1;
        record_break(
            state,
            [&mut self.broken_by_shock, &mut self.broken_by_spoiler],
            [
                &mut self.broken_by_shock_in_round,
                &mut self.broken_by_spoiler_in_round,
            ],
            &mut self.broken_in_round,
        );
        if let Some(round) = state.first_agreement_round {
            self.first_agreement[round as usize] += 1;
        }
        record_issues(
            state,
            [
                &mut self.issue_agreed,
                &mut self.issue_ratified,
                &mut self.issue_rejected,
            ],
        );
        self.record_beyond_worlds(state);
    }

    /// Count what a world's counts ([`WorldTally`]) leave out of one
    /// finished run: when it concluded, the rounds it was suspended, its
    /// spoilers' actions, its walkouts and leaks.
    pub(super) fn record_beyond_worlds(&mut self, state: &RunState) {
        if state.channel == Channel::Concluded {
            self.concluded_in_round[state.round as usize] += 1;
        }
        for &round in &state.suspended_rounds {
            self.suspended_in_round[round as usize] += 1;
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

    /// Take every count a world keeps from `sum`, the sum of the counts of
    /// the worlds of this tally's runs (a world's `calm` has no total). The
    /// fields are listed by destructuring, so a count added to
    /// [`WorldTally`] cannot be missed here.
    pub(super) fn take_world_sums(&mut self, sum: WorldTally) {
        let WorldTally {
            runs,
            escalation,
            deal,
            channel,
            broken_in_round,
            calm: _,
            broken_by_shock,
            broken_by_spoiler,
            broken_by_shock_in_round,
            broken_by_spoiler_in_round,
            first_agreement,
            issue_agreed,
            issue_ratified,
            issue_rejected,
        } = sum;
        self.runs = runs;
        self.escalation = escalation;
        self.deal = deal;
        self.channel = channel;
        self.broken_in_round = broken_in_round;
        self.broken_by_shock = broken_by_shock;
        self.broken_by_spoiler = broken_by_spoiler;
        self.broken_by_shock_in_round = broken_by_shock_in_round;
        self.broken_by_spoiler_in_round = broken_by_spoiler_in_round;
        self.first_agreement = first_agreement;
        self.issue_agreed = issue_agreed;
        self.issue_ratified = issue_ratified;
        self.issue_rejected = issue_rejected;
    }

    /// Every identity this tally breaks among those that hold for any runs
    /// of `model`, so an edited or damaged tally read from a file is caught
    /// before it becomes probabilities outside [0, 1]. Only a wrong shape is
    /// reported when the shape is wrong (the identities index by it). What
    /// cannot be seen: an edit that keeps every identity, such as moving a
    /// break from one round to another.
    pub fn inconsistencies(&self, model: &Model) -> Vec<Inconsistency> {
        let shape = self.shape_inconsistencies(model);
        if shape.is_empty() {
            self.count_inconsistencies(model)
        } else {
            shape
        }
    }

    /// Vectors whose length is not the one `model` gives.
    fn shape_inconsistencies(&self, model: &Model) -> Vec<Inconsistency> {
        let dims = Dims::of(model);
        let mut found = self.shape_problems(&dims, "");
        for (w, world) in self.worlds.iter().enumerate() {
            found.extend(world.shape_problems(&dims, &format!("worlds[{w}].")));
        }
        found
    }

    /// Identities between counts (the tally has the model's shape).
    fn count_inconsistencies(&self, model: &Model) -> Vec<Inconsistency> {
        let mut found = Findings::default();
        // Sums in u128 cannot overflow, whatever the file says.
        let runs = u128::from(self.runs);
        let broken = u128::from(self.channel[channel_index(Channel::Broken)]);
        let concluded = u128::from(self.channel[channel_index(Channel::Concluded)]);
        let first_agreements = total(&self.first_agreement);
        let with_a_deal = runs.saturating_sub(u128::from(self.deal[deal_index(Deal::None)]));
        // At most one leak and one activation per spoiler a round, and one
        // walkout per party a round.
        let rounds_played_at_most = runs * u128::from(model.horizon);
        let walkouts_at_most = rounds_played_at_most * model.parties.len() as u128;

        // Each run ends with exactly one deal and one channel state.
        for (field, counts) in [("deal", &self.deal[..]), ("channel", &self.channel[..])] {
            let sum = total(counts);
            found.require(
                sum == runs,
                field.into(),
                format!("sums to {sum}, expected runs = {runs}"),
            );
        }
        // Rounds count from 1.
        for (field, counts) in [
            ("broken_in_round", &self.broken_in_round),
            ("first_agreement", &self.first_agreement),
        ] {
            found.require(
                counts[0] == 0,
                format!("{field}[0]"),
                format!("is {}, expected 0 (rounds count from 1)", counts[0]),
            );
        }
        self.timing_inconsistencies(&mut found);
        // A run is broken exactly when it has a break round and a cause.
        let in_rounds = total(&self.broken_in_round);
        found.require(
            in_rounds == broken,
            "broken_in_round".into(),
            format!("sums to {in_rounds}, expected the {broken} broken runs of channel"),
        );
        let by_cause = total(&self.broken_by_shock) + total(&self.broken_by_spoiler);
        found.require(
            by_cause == broken,
            "broken_by_shock + broken_by_spoiler".into(),
            format!("sum to {by_cause}, expected the {broken} broken runs of channel"),
        );
        // Escalation comes only with a break by an escalating shock or a
        // spoiler's strike, and always does.
        let escalating: u128 = model
            .shocks
            .iter()
            .zip(&self.broken_by_shock)
            .filter(|(shock, _)| shock.effect == ShockEffect::Escalate)
            .map(|(_, &count)| u128::from(count))
            .sum::<u128>()
            + total(&self.broken_by_spoiler);
        found.require(
            u128::from(self.escalation) == escalating,
            "escalation".into(),
            format!(
                "is {}, expected the {escalating} breaks by escalating shocks and spoilers",
                self.escalation
            ),
        );
        // Concluded runs, and only they, have a comprehensive deal; a
        // concluded run ratified every concluding issue; any ratified issue
        // makes a deal, and a partial deal needs a ratified issue.
        let comprehensive = self.deal[deal_index(Deal::Comprehensive)];
        found.require(
            u128::from(comprehensive) == concluded,
            format!("deal[{}]", deal_index(Deal::Comprehensive)),
            format!(
                "(comprehensive) is {comprehensive}, expected the {concluded} concluded runs of channel"
            ),
        );
        let partial = self.deal[deal_index(Deal::Partial)];
        let ratifications = total(&self.issue_ratified);
        found.require(
            u128::from(partial) <= ratifications,
            format!("deal[{}]", deal_index(Deal::Partial)),
            format!(
                "(partial) is {partial}, more than the {ratifications} ratifications of issue_ratified"
            ),
        );
        // A run agrees its first issue once, in one round, and agrees each
        // issue at most once; an agreed issue is ratified, rejected or pending.
        found.require(
            first_agreements <= runs,
            "first_agreement".into(),
            format!("sums to {first_agreements}, more than runs = {runs}"),
        );
        let agreements = total(&self.issue_agreed);
        found.require(
            first_agreements <= agreements,
            "first_agreement".into(),
            format!(
                "sums to {first_agreements}, more than the {agreements} agreements of issue_agreed"
            ),
        );
        for (j, ((&agreed, &ratified), &rejected)) in self
            .issue_agreed
            .iter()
            .zip(&self.issue_ratified)
            .zip(&self.issue_rejected)
            .enumerate()
        {
            found.require(
                u128::from(agreed) <= first_agreements,
                format!("issue_agreed[{j}]"),
                format!(
                    "is {agreed}, more than the {first_agreements} runs with a first agreement"
                ),
            );
            let sealed = u128::from(ratified) + u128::from(rejected);
            found.require(
                sealed <= u128::from(agreed),
                format!("issue_ratified[{j}] + issue_rejected[{j}]"),
                format!("is {sealed}, more than issue_agreed[{j}] = {agreed}"),
            );
            found.require(
                u128::from(ratified) <= with_a_deal,
                format!("issue_ratified[{j}]"),
                format!("is {ratified}, more than the {with_a_deal} runs with a deal"),
            );
            if model.concluding_issues.contains(&j) {
                found.require(
                    u128::from(ratified) >= concluded,
                    format!("issue_ratified[{j}]"),
                    format!(
                        "is {ratified}, fewer than the {concluded} concluded runs, which all ratified it"
                    ),
                );
            }
        }
        // A spoiler breaks the channel only by a successful action, succeeds
        // only when active, and is active at most once a round.
        for (k, ((&breaks, &successes), &activations)) in self
            .broken_by_spoiler
            .iter()
            .zip(&self.spoiler_successes)
            .zip(&self.spoiler_activations)
            .enumerate()
        {
            found.require(
                breaks <= successes,
                format!("broken_by_spoiler[{k}]"),
                format!("is {breaks}, more than spoiler_successes[{k}] = {successes}"),
            );
            found.require(
                successes <= activations,
                format!("spoiler_successes[{k}]"),
                format!("is {successes}, more than spoiler_activations[{k}] = {activations}"),
            );
            found.require(
                u128::from(activations) <= rounds_played_at_most,
                format!("spoiler_activations[{k}]"),
                format!("is {activations}, more than one a round: at most {rounds_played_at_most}"),
            );
        }
        found.require(
            u128::from(self.leaks) <= rounds_played_at_most,
            "leaks".into(),
            format!(
                "is {}, more than one a round: at most {rounds_played_at_most}",
                self.leaks
            ),
        );
        found.require(
            u128::from(self.walkouts) <= walkouts_at_most,
            "walkouts".into(),
            format!(
                "is {}, more than one per party a round: at most {walkouts_at_most}",
                self.walkouts
            ),
        );
        self.world_inconsistencies(&mut found);
        found.0
    }

    /// Add `other`'s counts to these (both shaped for the same model).
    /// Counts of runs simulated in one process stay far below 2^64.
    pub fn merge(&mut self, other: &Tally) {
        self.checked_merge(other)
            .expect("counts of simulated runs stay below 2^64");
    }

    /// Add `other`'s counts to these, refusing to wrap: a count past 2^64 - 1
    /// is an error naming the field (the tally is then partly added; drop it).
    pub fn checked_merge(&mut self, other: &Tally) -> Result<(), Inconsistency> {
        self.add_counts(other)?;
        self.merge_worlds(other)
    }

    /// Add `other`'s counts by world. An empty tally without worlds takes
    /// `other`'s; otherwise both must have drawn the same number.
    fn merge_worlds(&mut self, other: &Tally) -> Result<(), Inconsistency> {
        if other.worlds.is_empty() && self.worlds.is_empty() {
            return Ok(());
        }
        if self.worlds.is_empty() && self.runs == other.runs {
            self.worlds = other.worlds.clone();
            return Ok(());
        }
        if self.worlds.len() != other.worlds.len() {
            return Err(Inconsistency {
                field: "worlds".into(),
                problem: format!(
                    "has counts for {} worlds, expected {}: the parts drew different worlds",
                    other.worlds.len(),
                    self.worlds.len()
                ),
            });
        }
        for (world, (a, b)) in self.worlds.iter_mut().zip(&other.worlds).enumerate() {
            a.add_counts(b)
                .map_err(|e| e.within(&format!("worlds[{world}].")))?;
        }
        Ok(())
    }

    /// Runs broken by `cause`.
    pub fn cause_count(&self, cause: Cause) -> u64 {
        match cause {
            Cause::Shock(k) => self.broken_by_shock[k],
            Cause::Spoiler(k) => self.broken_by_spoiler[k],
        }
    }

    /// Runs broken by `cause` in each round (`[0]` unused).
    pub fn cause_by_round(&self, cause: Cause) -> &[u64] {
        match cause {
            Cause::Shock(k) => &self.broken_by_shock_in_round[k],
            Cause::Spoiler(k) => &self.broken_by_spoiler_in_round[k],
        }
    }

    /// Runs not broken by the end.
    pub fn continued(&self) -> u64 {
        self.runs - self.channel[channel_index(Channel::Broken)]
    }

    /// Runs still unbroken after round `t`, for `t = 0..=horizon`.
    pub fn surviving(&self) -> Vec<u64> {
        surviving(self.runs, &self.broken_in_round)
    }
}

/// Of `runs`, those still unbroken after each round, given the runs broken
/// in each (`broken_in_round[0]` unused).
fn surviving(runs: u64, broken_in_round: &[u64]) -> Vec<u64> {
    let mut alive = runs;
    let mut out = Vec::with_capacity(broken_in_round.len());
    for (t, &broken) in broken_in_round.iter().enumerate() {
        if t > 0 {
            alive -= broken;
        }
        out.push(alive);
    }
    out
}

impl Tally {
    /// The counts by round and cause must add up to the counts by round and
    /// by cause; conclusions to the concluded runs; and no more runs can be
    /// suspended after a round than are neither broken nor concluded by it.
    fn timing_inconsistencies(&self, found: &mut Findings) {
        let by_cause = self
            .broken_by_shock_in_round
            .iter()
            .zip(&self.broken_by_shock)
            .map(|(rounds, &all)| ("broken_by_shock_in_round", rounds, all))
            .chain(
                self.broken_by_spoiler_in_round
                    .iter()
                    .zip(&self.broken_by_spoiler)
                    .map(|(rounds, &all)| ("broken_by_spoiler_in_round", rounds, all)),
            );
        let mut in_round = vec![0u128; self.broken_in_round.len()];
        for (k, (field, rounds, all)) in by_cause.enumerate() {
            let sum = total(rounds);
            let what = field.trim_end_matches("_in_round");
            found.require(
                sum == u128::from(all) && rounds[0] == 0,
                format!("{field}[..][0..]"),
                format!("(cause {k}) sums to {sum} from round 1, expected {what} = {all}"),
            );
            for (x, &c) in in_round.iter_mut().zip(rounds) {
                *x += u128::from(c);
            }
        }
        for (t, (&sum, &broken)) in in_round.iter().zip(&self.broken_in_round).enumerate() {
            found.require(
                sum == u128::from(broken),
                format!("broken_in_round[{t}]"),
                format!("is {broken}, expected the {sum} breaks of round {t} by cause"),
            );
        }
        let concluded = self.channel[channel_index(Channel::Concluded)];
        let in_rounds = total(&self.concluded_in_round);
        found.require(
            in_rounds == u128::from(concluded) && self.concluded_in_round[0] == 0,
            "concluded_in_round".into(),
            format!("sums to {in_rounds} from round 1, expected the {concluded} concluded runs"),
        );
        // A run still going after the last round ends in the state it was
        // in then: suspended exactly when suspended at the end of it.
        let suspended = self.channel[channel_index(Channel::Suspended)];
        let last = *self.suspended_in_round.last().unwrap_or(&0);
        found.require(
            suspended == last,
            format!("channel[{}]", channel_index(Channel::Suspended)),
            format!(
                "(suspended) is {suspended}, expected the {last} runs suspended after the last \
                 round (suspended_in_round)"
            ),
        );
        let (mut ended, runs) = (0u128, u128::from(self.runs));
        for (t, &suspended) in self.suspended_in_round.iter().enumerate() {
            ended += u128::from(self.broken_in_round[t]) + u128::from(self.concluded_in_round[t]);
            found.require(
                u128::from(suspended) + ended <= runs && (t > 0 || suspended == 0),
                format!("suspended_in_round[{t}]"),
                format!(
                    "is {suspended}, more than the {} runs still going after round {t}",
                    runs.saturating_sub(ended)
                ),
            );
        }
    }

    /// The counts by world must add up, count by count, to the totals;
    /// and each world keeps, for its own runs, the identities of the totals
    /// that its counts can show (one deal and one channel state a run, a
    /// break in one round from 1 by one cause, escalation only with a break,
    /// a comprehensive deal exactly when concluded, an issue sealed only
    /// once agreed).
    fn world_inconsistencies(&self, found: &mut Findings) {
        if self.worlds.is_empty() {
            return;
        }
        let mut sums: BTreeMap<String, u128> = BTreeMap::new();
        for world in &self.worlds {
            for (field, count) in world.entries() {
                *sums.entry(field).or_default() += u128::from(count);
            }
        }
        // In the fields' order; a count only worlds keep (calm) has no total.
        for (field, whole) in self.entries() {
            if let Some(&sum) = sums.get(&field) {
                found.require(
                    sum == u128::from(whole),
                    format!("worlds[..].{field}"),
                    format!("sums to {sum} over the worlds, expected the total {field} = {whole}"),
                );
            }
        }
        for (w, world) in self.worlds.iter().enumerate() {
            world.inconsistencies(w, found);
        }
    }

    /// Each world's run count where run `i` of the runs `slice` took place
    /// in world `i mod W` (`W` the worlds counted): a shard's counts by
    /// world must be of exactly those runs.
    pub fn world_runs_inconsistencies(&self, slice: Range<u64>) -> Vec<Inconsistency> {
        let mut found = Findings::default();
        let count = self.worlds.len() as u64;
        for (w, world) in self.worlds.iter().enumerate() {
            let expected = runs_in_world(slice.clone(), w as u64, count);
            found.require(
                world.runs == expected,
                format!("worlds[{w}].runs"),
                format!(
                    "is {}, expected {expected}: runs {}..{} with {count} worlds put {expected} \
                     runs in world {w} (run i in world i mod {count})",
                    world.runs, slice.start, slice.end
                ),
            );
        }
        found.0
    }
}

impl WorldTally {
    /// The identities of [`Tally::inconsistencies`] that one world's
    /// counts can show, for world `w`.
    fn inconsistencies(&self, w: usize, found: &mut Findings) {
        let runs = u128::from(self.runs);
        for (field, counts) in [("deal", &self.deal[..]), ("channel", &self.channel[..])] {
            let sum = total(counts);
            found.require(
                sum == runs,
                format!("worlds[{w}].{field}"),
                format!("sums to {sum}, expected the world's runs = {runs}"),
            );
        }
        let broken = self.channel[channel_index(Channel::Broken)];
        found.require(
            self.broken_in_round[0] == 0,
            format!("worlds[{w}].broken_in_round[0]"),
            format!(
                "is {}, expected 0 (rounds count from 1)",
                self.broken_in_round[0]
            ),
        );
        let in_rounds = total(&self.broken_in_round);
        found.require(
            in_rounds == u128::from(broken),
            format!("worlds[{w}].broken_in_round"),
            format!("sums to {in_rounds}, expected the world's {broken} broken runs of channel"),
        );
        found.require(
            self.escalation <= broken,
            format!("worlds[{w}].escalation"),
            format!(
                "is {}, more than the world's {broken} broken runs (escalation comes only with \
                 a break)",
                self.escalation
            ),
        );
        let unbroken = u128::from(self.runs).saturating_sub(u128::from(broken));
        found.require(
            u128::from(self.calm) <= unbroken,
            format!("worlds[{w}].calm"),
            format!(
                "is {}, more than the world's {unbroken} runs whose channel did not break (a calm \
                 run is one of them)",
                self.calm
            ),
        );
        let comprehensive = self.deal[deal_index(Deal::Comprehensive)];
        let concluded = self.channel[channel_index(Channel::Concluded)];
        found.require(
            comprehensive == concluded,
            format!("worlds[{w}].deal[{}]", deal_index(Deal::Comprehensive)),
            format!(
                "(comprehensive) is {comprehensive}, expected the world's {concluded} concluded \
                 runs of channel"
            ),
        );
        let by_cause = total(&self.broken_by_shock) + total(&self.broken_by_spoiler);
        found.require(
            by_cause == u128::from(broken),
            format!("worlds[{w}].broken_by_shock + broken_by_spoiler"),
            format!("sum to {by_cause}, expected the world's {broken} broken runs of channel"),
        );
        let tables = [
            (
                "broken_by_shock",
                &self.broken_by_shock_in_round,
                &self.broken_by_shock,
            ),
            (
                "broken_by_spoiler",
                &self.broken_by_spoiler_in_round,
                &self.broken_by_spoiler,
            ),
        ];
        for (field, rows, totals) in tables {
            for (k, (row, &all)) in rows.iter().zip(totals).enumerate() {
                let sum = total(row);
                found.require(
                    sum == u128::from(all) && row[0] == 0,
                    format!("worlds[{w}].{field}_in_round[{k}]"),
                    format!("sums to {sum} from round 1, expected {field}[{k}] = {all}"),
                );
            }
        }
        let first_agreements = total(&self.first_agreement);
        found.require(
            self.first_agreement[0] == 0 && first_agreements <= runs,
            format!("worlds[{w}].first_agreement"),
            format!("sums to {first_agreements} from round 0, expected at most the world's {runs} runs from round 1"),
        );
        for (j, ((&agreed, &ratified), &rejected)) in self
            .issue_agreed
            .iter()
            .zip(&self.issue_ratified)
            .zip(&self.issue_rejected)
            .enumerate()
        {
            let sealed = u128::from(ratified) + u128::from(rejected);
            found.require(
                sealed <= u128::from(agreed) && u128::from(agreed) <= first_agreements,
                format!("worlds[{w}].issue_agreed[{j}]"),
                format!(
                    "is {agreed}, expected between the {sealed} ratified and rejected and the \
                     world's {first_agreements} runs with a first agreement"
                ),
            );
        }
    }
}

/// How many of the runs `slice` take place in world `world` of `count`
/// (run `i` in world `i mod count`).
pub fn runs_in_world(slice: Range<u64>, world: u64, count: u64) -> u64 {
    let before = |n: u64| n / count + u64::from(n % count > world);
    before(slice.end) - before(slice.start)
}

/// Inconsistencies found so far.
#[derive(Default)]
struct Findings(Vec<Inconsistency>);

impl Findings {
    /// Note `field`'s `problem` unless the identity `holds`.
    fn require(&mut self, holds: bool, field: String, problem: String) {
        if !holds {
            self.0.push(Inconsistency { field, problem });
        }
    }
}

/// Where `deal` is counted in [`Tally::deal`].
pub(super) fn deal_index(deal: Deal) -> usize {
    Deal::ALL
        .iter()
        .position(|&d| d == deal)
        .expect("every deal is listed")
}

/// Where `channel` is counted in [`Tally::channel`].
pub(super) fn channel_index(channel: Channel) -> usize {
    Channel::ALL
        .iter()
        .position(|&c| c == channel)
        .expect("every channel is listed")
}

/// The sum of `counts`, which cannot overflow.
fn total(counts: &[u64]) -> u128 {
    counts.iter().map(|&c| u128::from(c)).sum()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::engine::{StudyOptions, run_study};
    use crate::scenario::load;

    /// muscat-2025 (an escalating and a breaking shock, striking spoilers)
    /// and a real tally of 2 000 of its runs.
    fn study() -> (Model, Tally) {
        let model = Model::new(&load("muscat-2025", &[]).unwrap().scenario);
        let worlds = Worlds::fixed(model.clone());
        let options = StudyOptions::new(7, 2000, 2);
        let tally = run_study(&worlds, &options, &AtomicBool::new(false), |_, _| {
            Ok::<(), ()>(())
        })
        .unwrap();
        (model, tally)
    }

    /// A change to a real tally that breaks one identity.
    type Edit = fn(&mut Tally);
    /// The same, capturing which worlds it edits.
    type EditInPlace<'a> = dyn Fn(&mut Tally) + 'a;

    fn fields(tally: &Tally, model: &Model) -> Vec<String> {
        tally
            .inconsistencies(model)
            .into_iter()
            .map(|i| i.field)
            .collect()
    }

    #[test]
    fn a_real_tally_keeps_every_identity() {
        let (model, tally) = study();
        assert_eq!(tally.inconsistencies(&model), vec![]);
        // The identities were put to work, not passed vacuously.
        let broken = tally.channel[channel_index(Channel::Broken)];
        assert!(broken > 0 && tally.escalation > 0 && tally.escalation < broken);
        assert!(total(&tally.first_agreement) > 0 && total(&tally.issue_rejected) > 0);
        assert!(tally.broken_by_spoiler.iter().any(|&b| b > 0));
    }

    #[test]
    fn each_broken_identity_is_named() {
        let (model, real) = study();
        let last_round = real.broken_in_round.len() - 1;
        let edits: [(&str, Edit); 12] = [
            ("channel", |t| t.channel[1] += 1),
            ("deal", |t| t.deal[2] += 1),
            ("broken_in_round[0]", |t| {
                t.broken_in_round[1] -= 1;
                t.broken_in_round[0] += 1;
            }),
            ("escalation", |t| t.escalation += 1),
            ("broken_by_shock + broken_by_spoiler", |t| {
                t.broken_by_shock[1] += 1
            }),
            ("first_agreement", |t| t.first_agreement[1] += t.runs),
            ("issue_agreed[0]", |t| t.issue_agreed[0] = t.runs + 1),
            ("issue_ratified[0] + issue_rejected[0]", |t| {
                t.issue_rejected[0] = t.issue_agreed[0]
            }),
            ("spoiler_successes[0]", |t| {
                t.spoiler_successes[0] = t.spoiler_activations[0] + 1
            }),
            ("spoiler_activations[0]", |t| {
                t.spoiler_activations[0] = u64::MAX
            }),
            ("leaks", |t| t.leaks = u64::MAX),
            ("walkouts", |t| t.walkouts = u64::MAX),
        ];
        for (field, edit) in edits {
            let mut tally = real.clone();
            edit(&mut tally);
            let found = fields(&tally, &model);
            assert!(found.contains(&field.to_string()), "{field}: {found:?}");
        }
        let mut broken_late = real.clone();
        broken_late.broken_in_round[last_round] += 1;
        let found = fields(&broken_late, &model);
        assert!(found.contains(&"broken_in_round".to_string()), "{found:?}");
        // The counts by round and cause are checked against the rest.
        let timing: [(&str, Edit); 3] = [
            ("broken_by_shock_in_round[..][0..]", |t| {
                t.broken_by_shock_in_round[0][1] += 1
            }),
            ("concluded_in_round", |t| t.concluded_in_round[1] += 1),
            ("suspended_in_round[1]", |t| {
                t.suspended_in_round[1] = t.runs + 1
            }),
        ];
        for (field, edit) in timing {
            let mut tally = real.clone();
            edit(&mut tally);
            let found = fields(&tally, &model);
            assert!(found.contains(&field.to_string()), "{field}: {found:?}");
        }
    }

    #[test]
    fn a_wrong_shape_is_reported_alone() {
        let (model, mut tally) = study();
        tally.issue_agreed.push(0);
        tally.channel[0] += 1;
        assert_eq!(fields(&tally, &model), vec!["issue_agreed"]);
    }

    /// The limit of the check, as docs/SCALING.md states it: an edit that
    /// keeps every identity is not seen.
    #[test]
    fn moving_a_break_to_another_round_goes_unseen() {
        let (model, mut tally) = study();
        let rounds = tally
            .broken_by_shock_in_round
            .iter_mut()
            .chain(tally.broken_by_spoiler_in_round.iter_mut())
            .find(|rounds| rounds[1] > 0)
            .expect("some cause broke the channel in round 1");
        rounds[1] -= 1;
        rounds[2] += 1;
        tally.broken_in_round[1] -= 1;
        tally.broken_in_round[2] += 1;
        assert_eq!(tally.inconsistencies(&model), vec![]);
    }

    /// The flagship's 2 000 runs over 40 worlds of its judged inputs.
    fn study_by_world() -> (Model, Tally) {
        let loaded = load("muscat-2026", &[]).unwrap();
        let worlds = Worlds::draw(&loaded, 7, 40).unwrap();
        let options = StudyOptions::new(7, 2000, 2);
        let tally = run_study(&worlds, &options, &AtomicBool::new(false), |_, _| {
            Ok::<(), ()>(())
        })
        .unwrap();
        (worlds.shape().clone(), tally)
    }

    #[test]
    fn counts_by_world_keep_every_identity_and_are_of_the_right_runs() {
        let (model, tally) = study_by_world();
        assert_eq!(tally.worlds.len(), 40);
        assert_eq!(tally.inconsistencies(&model), vec![]);
        assert_eq!(tally.world_runs_inconsistencies(0..2000), vec![]);
        // Runs 0..2000 put 50 runs in each world; 3..2000, 49 in worlds 0 to 2.
        let wrong = tally.world_runs_inconsistencies(3..2000);
        let fields: Vec<&str> = wrong.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            ["worlds[0].runs", "worlds[1].runs", "worlds[2].runs"]
        );
        assert!(
            wrong[0].problem.contains("is 50, expected 49"),
            "{}",
            wrong[0]
        );
        assert_eq!(runs_in_world(5000..10001, 0, 200), 26);
        assert_eq!(runs_in_world(5000..10001, 1, 200), 25);
    }

    /// The issue's edits: a world's count beyond its runs with the sum over
    /// worlds kept, counts moved between worlds, totals edited with their
    /// sum kept. Each is named by its field.
    #[test]
    fn edits_of_the_counts_by_world_are_named() {
        let (model, real) = study_by_world();
        let broken = channel_index(Channel::Broken);
        // Two worlds where moving escalations puts one above its breaks.
        let (a, b) = (0..40)
            .flat_map(|a| (0..40).map(move |b| (a, b)))
            .find(|&(a, b)| {
                let room = real.worlds[a].channel[broken] - real.worlds[a].escalation;
                a != b && real.worlds[b].escalation > room
            })
            .expect("two such worlds");
        let mut tally = real.clone();
        let room = tally.worlds[a].channel[broken] - tally.worlds[a].escalation;
        tally.worlds[a].escalation += room + 1;
        tally.worlds[b].escalation -= room + 1;
        let escalation = format!("worlds[{a}].escalation");
        assert_eq!(fields(&tally, &model), vec![escalation]);
        let concluded = channel_index(Channel::Concluded);
        let world =
            |test: &dyn Fn(usize) -> bool| (0..40).find(|&w| test(w)).expect("such a world");
        let source = world(&|w| real.worlds[w].deal[0] > 0 && real.worlds[w].channel[broken] > 0);
        let sink =
            world(&|w| w != source && real.worlds[w].deal[2] > 0 && real.worlds[w].channel[1] > 0);
        let first_round = world(&|w| real.worlds[w].broken_in_round[1] > 0);
        let edits: Vec<(String, Box<EditInPlace<'_>>)> = vec![
            (
                "worlds[..].deal[1]".into(),
                Box::new(|t| {
                    t.deal[1] -= 1;
                    t.deal[2] += 1;
                }),
            ),
            (
                "channel[2]".into(),
                Box::new(|t| {
                    t.channel[1] += 1;
                    t.channel[2] -= 1;
                }),
            ),
            // A comprehensive deal moved between worlds, sums kept.
            (
                format!("worlds[{sink}].deal[0]"),
                Box::new(|t| {
                    t.worlds[source].deal[0] -= 1;
                    t.worlds[source].deal[2] += 1;
                    t.worlds[sink].deal[0] += 1;
                    t.worlds[sink].deal[2] -= 1;
                    assert_eq!(
                        t.worlds[sink].channel[concluded] + 1,
                        t.worlds[sink].deal[0]
                    );
                }),
            ),
            // A break moved between worlds, sums kept.
            (
                format!("worlds[{source}].broken_in_round"),
                Box::new(|t| {
                    t.worlds[source].channel[broken] -= 1;
                    t.worlds[source].channel[1] += 1;
                    t.worlds[sink].channel[broken] += 1;
                    t.worlds[sink].channel[1] -= 1;
                }),
            ),
            (
                format!("worlds[{first_round}].broken_in_round[0]"),
                Box::new(|t| {
                    t.worlds[first_round].broken_in_round[0] += 1;
                    t.worlds[first_round].broken_in_round[1] -= 1;
                }),
            ),
        ];
        for (field, edit) in edits {
            let mut tally = real.clone();
            edit(&mut tally);
            let found = fields(&tally, &model);
            assert!(found.contains(&field), "{field}: {found:?}");
        }
    }

    /// Each world counts the causes, the first agreement and the issues,
    /// adding up to the totals; an edit of one world's is named by the
    /// world and by the sum over worlds.
    #[test]
    fn counts_by_world_of_causes_and_issues_add_up_and_are_checked() {
        let (model, real) = study_by_world();
        let spoiler_breaks: u64 = real.worlds.iter().map(|w| w.broken_by_spoiler[0]).sum();
        assert_eq!(spoiler_breaks, real.broken_by_spoiler[0]);
        assert!(spoiler_breaks > 0);
        let w = (0..40)
            .find(|&w| real.worlds[w].broken_by_spoiler[0] > 0)
            .unwrap();
        let mut tally = real.clone();
        tally.worlds[w].broken_by_spoiler[0] -= 1;
        let found = fields(&tally, &model);
        for field in [
            "worlds[..].broken_by_spoiler[0]".to_string(),
            format!("worlds[{w}].broken_by_shock + broken_by_spoiler"),
            format!("worlds[{w}].broken_by_spoiler_in_round[0]"),
        ] {
            assert!(found.contains(&field), "{field}: {found:?}");
        }
        let mut tally = real.clone();
        tally.worlds[w].issue_ratified[0] = tally.worlds[w].issue_agreed[0] + 1;
        let found = fields(&tally, &model);
        assert!(
            found.contains(&format!("worlds[{w}].issue_agreed[0]")),
            "{found:?}"
        );
        // Every count of a world is named in a merge's overflow.
        let mut huge = real.clone();
        huge.worlds[w].issue_rejected[1] = u64::MAX;
        let refused = real.clone().checked_merge(&huge).unwrap_err();
        assert_eq!(refused.field, format!("worlds[{w}].issue_rejected[1]"));
    }

    /// The limit by world: counts no other count of a world pins down
    /// (which of its runs still going are suspended, which deals are
    /// partial) can move between worlds unseen.
    #[test]
    fn moving_a_suspension_between_worlds_goes_unseen() {
        let (model, mut tally) = study_by_world();
        let suspended = channel_index(Channel::Suspended);
        let active = channel_index(Channel::Active);
        let a = (0..40)
            .find(|&w| tally.worlds[w].channel[suspended] > 0)
            .unwrap();
        let b = (0..40)
            .find(|&w| w != a && tally.worlds[w].channel[active] > 0)
            .unwrap();
        tally.worlds[a].channel[suspended] -= 1;
        tally.worlds[a].channel[active] += 1;
        tally.worlds[b].channel[suspended] += 1;
        tally.worlds[b].channel[active] -= 1;
        assert_eq!(tally.inconsistencies(&model), vec![]);
    }

    #[test]
    fn a_merge_past_two_to_the_64_is_refused() {
        let (_, mut tally) = study();
        tally.issue_agreed[1] = 1;
        let mut huge = tally.clone();
        huge.issue_agreed[1] = u64::MAX;
        let refused = tally.checked_merge(&huge).unwrap_err();
        assert_eq!(refused.field, "issue_agreed[1]");
        assert!(refused.to_string().contains("overflows"), "{refused}");
    }
}
