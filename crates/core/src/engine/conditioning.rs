//! Conditioning on observations: a run is consistent with an observations
//! file when every fact holds in it; a conditional study keeps exactly the
//! consistent runs, examined in run-index order, until it has the number
//! asked for. The accepted set, and so every result, depends only on the
//! seed.

use std::ops::Range;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::counter::Counter;
use super::runner::{Stopped, map_batches};
use super::streams::StudyStreams;
use super::tally::Tally;
use super::worlds::Worlds;
use crate::model::{Channel, Event, IssueStatus, Model, Observer, RunState, simulate};
use crate::scenario::observations::{
    Fact, Observation, ObservedChannel, ObservedEvent, ObservedStatus,
};

/// Watches one run and says which observations hold in it.
pub struct Checker<'a> {
    observations: &'a [Observation],
    /// First round each event happened in, by kind and entity.
    shock: Vec<Option<u32>>,
    spoiler: Vec<Option<u32>>,
    leak: Option<u32>,
    walkout: Vec<Option<u32>>,
    /// Whether each observation holds (valid after [`Checker::finish`]).
    pub holds: Vec<bool>,
}

impl<'a> Checker<'a> {
    pub fn new(model: &Model, observations: &'a [Observation]) -> Checker<'a> {
        Checker {
            observations,
            shock: vec![None; model.shocks.len()],
            spoiler: vec![None; model.spoilers.len()],
            leak: None,
            walkout: vec![None; model.parties.len()],
            holds: vec![false; observations.len()],
        }
    }

    /// Forget the last run.
    pub fn reset(&mut self) {
        self.shock.fill(None);
        self.spoiler.fill(None);
        self.leak = None;
        self.walkout.fill(None);
        self.holds.fill(false);
    }

    /// Settle what the run's last round decides: facts about rounds after
    /// the run ended (a broken channel stays broken) and every event.
    pub fn finish(&mut self, state: &RunState) {
        for (i, o) in self.observations.iter().enumerate() {
            match o.fact {
                Fact::Event { event, happened } => {
                    let first = match event {
                        ObservedEvent::Shock(k) => self.shock[k],
                        ObservedEvent::Spoiler(k) => self.spoiler[k],
                        ObservedEvent::Leak => self.leak,
                        ObservedEvent::Walkout(p) => self.walkout[p],
                    };
                    self.holds[i] = first.is_some_and(|t| t <= o.round) == happened;
                }
                _ if o.round > state.round => self.holds[i] = state_holds(&o.fact, state),
                _ => {}
            }
        }
    }

    /// 1 for each observation that holds, else 0.
    pub fn holds_counts(&self) -> Vec<u64> {
        self.holds.iter().map(|&h| u64::from(h)).collect()
    }

    /// Whether every observation holds.
    pub fn all_hold(&self) -> bool {
        self.holds.iter().all(|&h| h)
    }
}

/// Whether a channel or issue fact holds in `state` (the end of its round).
fn state_holds(fact: &Fact, state: &RunState) -> bool {
    match *fact {
        Fact::Channel(channel) => {
            let want = match channel {
                ObservedChannel::Active => Channel::Active,
                ObservedChannel::Suspended => Channel::Suspended,
                ObservedChannel::Broken => Channel::Broken,
                ObservedChannel::Concluded => Channel::Concluded,
            };
            state.channel == want
        }
        Fact::Issue { issue, status } => {
            let s = &state.issues[issue];
            match status {
                ObservedStatus::Open => s.agreed_round.is_none(),
                ObservedStatus::Agreed => s.agreed_round.is_some(),
                ObservedStatus::Ratified => s.status == IssueStatus::Ratified,
                ObservedStatus::Rejected => s.status == IssueStatus::Rejected,
            }
        }
        Fact::Event { .. } => unreachable!("events are settled in finish"),
    }
}

impl Observer for Checker<'_> {
    fn event(&mut self, round: u32, event: Event) {
        let slot = match event {
            Event::Shock { shock, .. } => &mut self.shock[shock],
            Event::Spoiler { spoiler, .. } => &mut self.spoiler[spoiler],
            Event::Leak { .. } => &mut self.leak,
            Event::Walkout { party, .. } => &mut self.walkout[party],
            _ => return,
        };
        slot.get_or_insert(round);
    }

    fn round_end(&mut self, state: &RunState) {
        for (i, o) in self.observations.iter().enumerate() {
            if o.round == state.round && !matches!(o.fact, Fact::Event { .. }) {
                self.holds[i] = state_holds(&o.fact, state);
            }
        }
    }
}

/// What `summary.json` says about a conditional forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conditioning {
    /// Runs examined, from index 0.
    pub tried: u64,
    /// Runs consistent with every observation (the runs summarised).
    pub accepted: u64,
    /// Share of the runs tried that were consistent with the observations.
    pub acceptance: f64,
    /// Each observation in words.
    pub observations: Vec<String>,
    /// The SHA-256 of the observations file's bytes.
    pub observations_sha256: String,
}

/// A conditional study's counts.
#[derive(Debug, Clone)]
pub struct Conditioned {
    pub tally: Tally,
    pub tried: u64,
    /// Every run tried, accepted or not: the same runs unconditioned, the
    /// forecast before the news (runs `0..tried` of the seed, so an
    /// unconditioned study of `tried` runs has exactly these counts).
    pub prior: Tally,
    /// Runs tried in each world (empty when no input is judged): with the
    /// runs each world kept, its likelihood under the observations.
    pub tried_by_world: Vec<u64>,
    /// Runs in which each observation held, over the runs tried.
    pub holds: Vec<u64>,
}

impl Conditioned {
    /// What `summary.json` says about this study conditioned on
    /// `observations`, read from a file whose bytes hash to `sha256`.
    pub fn conditioning(&self, observations: &[Observation], sha256: &str) -> Conditioning {
        Conditioning {
            tried: self.tried,
            accepted: self.tally.runs,
            acceptance: self.tally.runs as f64 / self.tried.max(1) as f64,
            observations: observations.iter().map(|o| o.text.clone()).collect(),
            observations_sha256: sha256.to_string(),
        }
    }

    /// The observation that held in the fewest runs, with its share.
    pub fn least_likely<'o>(&self, observations: &'o [Observation]) -> (&'o Observation, f64) {
        let (i, &count) = self
            .holds
            .iter()
            .enumerate()
            .min_by_key(|(_, c)| **c)
            .expect("at least one observation");
        (&observations[i], count as f64 / self.tried.max(1) as f64)
    }
}

/// Below this acceptance rate a conditional study stops: the model did not
/// expect the observations.
pub const MIN_ACCEPTANCE: f64 = 0.001;
/// Acceptance is judged only after this many runs.
pub const MIN_TRIED: u64 = 10_000;

/// Why a conditional study stopped short.
#[derive(Debug)]
pub enum ConditionStop {
    /// Acceptance fell below [`MIN_ACCEPTANCE`]: the counts so far.
    TooRare(Box<Conditioned>),
}

impl std::fmt::Display for ConditionStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the observations are too unlikely under the model")
    }
}

impl std::error::Error for ConditionStop {}

/// A chunk's range, its counts and the runs it accepted.
type ChunkOutcome<C> = (Range<u64>, (C, Vec<u64>));

/// The skeleton of every conditional study: examine runs from index 0 in
/// order, in parallel batches, keeping the runs `chunk` accepts, until
/// `wanted` are kept. `chunk(range)` returns its counts over the range and
/// the indices it accepted; the chunk that completes the study is run again
/// up to its last needed run, so exactly `wanted` runs are counted.
/// `after_batch(accepted, tried)` may stop the study. Returns runs tried.
pub fn accept_in_order<C: Send, E>(
    wanted: u64,
    threads: usize,
    cancel: &AtomicBool,
    chunk: impl Fn(Range<u64>) -> (C, Vec<u64>) + Sync,
    mut merge: impl FnMut(C),
    mut after_batch: impl FnMut(u64, u64) -> Result<(), E>,
) -> Result<u64, Stopped<E>> {
    let (mut accepted, mut tried) = (0u64, 0u64);
    let outcome = map_batches(
        0..u64::MAX,
        threads,
        cancel,
        |range| (range.clone(), chunk(range)),
        |results: Vec<ChunkOutcome<C>>| {
            for (range, (counts, runs)) in results {
                let missing = wanted - accepted;
                if (runs.len() as u64) < missing {
                    merge(counts);
                    accepted += runs.len() as u64;
                    tried += range.end - range.start;
                    continue;
                }
                let last = runs[missing as usize - 1];
                merge(chunk(range.start..last + 1).0);
                accepted = wanted;
                tried += last + 1 - range.start;
                return Err(None);
            }
            after_batch(accepted, tried).map_err(Some)
        },
    );
    match outcome {
        Ok(()) | Err(Stopped::Callback(None)) => Ok(tried),
        Err(Stopped::Callback(Some(e))) => Err(Stopped::Callback(e)),
        Err(Stopped::Cancelled) => Err(Stopped::Cancelled),
        Err(Stopped::Pool(e)) => Err(Stopped::Pool(e)),
    }
}

/// Whether acceptance after `tried` runs is too low to go on.
pub fn too_rare(accepted: u64, tried: u64) -> bool {
    tried >= MIN_TRIED && (accepted as f64) < MIN_ACCEPTANCE * tried as f64
}

/// The `after_batch` of every conditional study: report the runs kept so
/// far, and stop with `rare(kept, tried)` when acceptance is too low.
pub fn report_or_stop_if_rare<E>(
    mut on_batch: impl FnMut(u64),
    rare: impl Fn(u64, u64) -> E,
) -> impl FnMut(u64, u64) -> Result<(), E> {
    move |kept, tried| {
        on_batch(kept);
        if too_rare(kept, tried) {
            Err(rare(kept, tried))
        } else {
            Ok(())
        }
    }
}

impl Conditioned {
    /// Nothing tried yet, shaped for `worlds` and `observations`; the runs
    /// kept are to be counted in `tally`.
    fn empty(worlds: &Worlds, observations: &[Observation], tally: Tally) -> Conditioned {
        let judged_worlds = if worlds.is_uncertain() {
            worlds.count()
        } else {
            0
        };
        Conditioned {
            tried_by_world: vec![0; judged_worlds],
            prior: Tally::new(worlds.shape()),
            tally,
            tried: 0,
            holds: vec![0; observations.len()],
        }
    }

    fn merge(&mut self, part: &Conditioned) {
        self.tally.merge(&part.tally);
        self.prior.merge(&part.prior);
        self.tried += part.tried;
        add(&mut self.holds, &part.holds);
        add(&mut self.tried_by_world, &part.tried_by_world);
    }
}

fn run_chunk(
    worlds: &Worlds,
    observations: &[Observation],
    prototype: &StudyStreams,
    runs: Range<u64>,
) -> (Conditioned, Vec<u64>) {
    let mut streams = prototype.clone();
    let mut state = RunState::new(worlds.shape());
    let mut checker = Checker::new(worlds.shape(), observations);
    // The runs kept are counted in `kept`, then become `out.tally`.
    let mut out = Conditioned::empty(worlds, observations, Tally::default());
    let mut kept = Counter::new(worlds);
    let mut accepted = Vec::new();
    for run in runs {
        let (world, model) = (worlds.world_of(run), worlds.model_of(run));
        streams.start_run(run);
        checker.reset();
        simulate(model, &mut streams, &mut state, &mut checker);
        checker.finish(&state);
        out.tried += 1;
        out.prior.record(&state);
        if let Some(tried) = out.tried_by_world.get_mut(world) {
            *tried += 1;
        }
        add(&mut out.holds, &checker.holds_counts());
        if checker.all_hold() {
            kept.record_in(world, &state);
            accepted.push(run);
        }
    }
    out.tally = kept.into_tally();
    (out, accepted)
}

/// Examine runs from index 0 until `accepted` are consistent with
/// `observations` (or acceptance proves too low).
pub fn run_conditioned(
    worlds: &Worlds,
    observations: &[Observation],
    seed: u64,
    accepted: u64,
    threads: usize,
    cancel: &AtomicBool,
    on_batch: impl FnMut(u64),
) -> Result<Conditioned, Stopped<ConditionStop>> {
    let prototype = StudyStreams::new(seed, &worlds.shape().streams.ids);
    let mut total = Conditioned::empty(worlds, observations, Tally::for_worlds(worlds));
    let outcome = accept_in_order(
        accepted,
        threads,
        cancel,
        |range| run_chunk(worlds, observations, &prototype, range),
        |part: Conditioned| total.merge(&part),
        report_or_stop_if_rare(on_batch, |_, _| ()),
    );
    match outcome {
        Ok(_) => Ok(total),
        Err(Stopped::Callback(())) => {
            Err(Stopped::Callback(ConditionStop::TooRare(Box::new(total))))
        }
        Err(Stopped::Cancelled) => Err(Stopped::Cancelled),
        Err(Stopped::Pool(e)) => Err(Stopped::Pool(e)),
    }
}

fn add(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}
