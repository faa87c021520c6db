//! A comparison: scenarios run on the same seed and run indices (common
//! random numbers), every metric with each scenario's value and its paired
//! difference to the first (docs/MODEL.md, "Paired differences").

use std::time::{Instant, SystemTime};

use super::checkpoints::{by_checkpoints, max_runs};
use super::checks::{WorldsUse, check_precision, threads_or_every_core, worlds_for_runs};
use super::control::{Control, Shared, option_setter, shared_setters, stopped};
use super::scenario::{Observations, Scenario};
use crate::engine::Worlds;
use crate::engine::conditioning::Conditioning;
use crate::engine::metrics::HEADLINE;
use crate::engine::precision::PrecisionRecord;
use crate::engine::runner::Stopped;
use crate::error::{Diagnostic, Error, Result, setting};
use crate::experiment::compare::{PairedTally, compare, compare_given};
use crate::output::comparison::{self, ComparedScenario};
use crate::output::manifest::Manifest;
use crate::output::names::Names;
use crate::scenario::observations::{Observation, parse_observations};

/// A comparison of two or more scenarios, the first the baseline, built
/// step by step and then [`run`](Comparison::run):
///
/// ```no_run
/// # use backchannel::{Comparison, Scenario};
/// let mediated = Scenario::load("muscat-2026")?;
/// let direct = Scenario::load_variant("muscat-2026:format.mode=direct")?;
/// let compared = Comparison::new(&[&mediated, &direct]).runs(20_000).run()?;
/// print!("{}", compared.comparison.render_text());
/// # Ok::<(), backchannel::Error>(())
/// ```
///
/// Unset values come from the baseline (`[scenario] runs`, `seed`), every
/// core, and 200 worlds of the judged inputs.
#[derive(Debug)]
pub struct Comparison<'a> {
    pub(crate) scenarios: Vec<&'a Scenario>,
    runs: Option<u64>,
    pub(crate) given: Option<&'a Observations>,
    pub(super) precision: Option<f64>,
    pub(super) shared: Shared<'a>,
}

/// What a comparison produced, ready to be written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ComparisonResults {
    /// `comparison.json` and `comparison.csv`.
    pub comparison: comparison::Comparison,
    /// `manifest.json`, to be completed with the files written.
    pub manifest: Manifest,
}

impl<'a> Comparison<'a> {
    /// A comparison of `scenarios` (the first is the baseline) with every
    /// setting at its default.
    pub fn new(scenarios: &[&'a Scenario]) -> Comparison<'a> {
        Comparison {
            scenarios: scenarios.to_vec(),
            runs: None,
            given: None,
            precision: None,
            shared: Shared::default(),
        }
    }

    shared_setters!('a);

    option_setter! {
        /// Paired runs per scenario (with [`Comparison::precision`], the most
        /// to run; with [`Comparison::given`], the runs kept). `None`: the
        /// baseline's.
        runs(runs: u64)
    }

    option_setter! {
        /// Compare only run indices at which every scenario is consistent with
        /// `observations` (checked against the baseline; checked here against
        /// each other scenario). `None`: every run index.
        given(observations: &'a Observations)
    }

    option_setter! {
        /// Double the runs until the 95 % interval of the first difference in
        /// P(channel continued) is at most `half_width` wide on each side.
        /// `None`: no target, the runs set.
        precision(half_width: f64)
    }

    /// Check the scenarios (two or more, on the same clock), the precision
    /// target and the runs; the most runs per scenario the comparison may
    /// take.
    pub fn max_runs(&self) -> Result<u64> {
        check_same_clock(&self.scenarios)?;
        if let Some(eps) = self.precision {
            check_precision(eps)?;
        }
        max_runs(self.runs, self.precision, self.baseline().default_runs())
    }

    /// Run the comparison.
    pub fn run(self) -> Result<ComparisonResults> {
        let started_at = SystemTime::now();
        let max_runs = self.max_runs()?;
        let threads = threads_or_every_core(self.shared.threads)?;
        let (seed, worlds_count) = self.seed_and_worlds(max_runs)?;
        let studies = self.draw(seed, worlds_count)?;
        let given = self.given_to_each()?.zip(self.given);
        let simulate_start = Instant::now();
        let paired = Paired {
            studies: studies.iter().collect(),
            seed,
            threads,
        };
        let ran = match &given {
            Some((given, observations)) => {
                let sha256 = &observations.observations.sha256;
                let (tally, conditioning) =
                    paired.given(given, sha256, max_runs, &self.shared.control)?;
                Ran {
                    tally,
                    conditioning: Some(conditioning),
                    checked_at: Vec::new(),
                }
            }
            None => {
                let (tally, checked_at) = paired.to_precision(max_runs, &self)?;
                Ran {
                    tally,
                    conditioning: None,
                    checked_at,
                }
            }
        };
        let mut manifest = Manifest::start(
            (&self.baseline().loaded).into(),
            seed,
            ran.tally.runs,
            threads,
            started_at,
        );
        let simulated = ran.tally.runs * studies.len() as u64;
        manifest.simulated(simulated, simulate_start.elapsed().as_secs_f64());
        Ok(self.results(ran, seed, max_runs, manifest))
    }

    /// The seed, and how many worlds of the judged inputs each scenario
    /// draws for a comparison of up to `max_runs` paired runs.
    pub(super) fn seed_and_worlds(&self, max_runs: u64) -> Result<(u64, u64)> {
        let seed = self.shared.seed.unwrap_or(self.baseline().default_seed());
        let judged = self.scenarios.iter().any(|s| !s.loaded.judged.is_empty());
        let worlds = worlds_for_runs(self.shared.worlds, max_runs, judged, WorldsUse::Mixture)?;
        Ok((seed, worlds))
    }

    /// Each scenario's `count` worlds, drawn on `seed`.
    pub(super) fn draw(&self, seed: u64, count: u64) -> Result<Vec<Worlds>> {
        self.scenarios
            .iter()
            .map(|s| Worlds::draw(&s.loaded, seed, count))
            .collect()
    }

    /// The comparison's table, and its manifest completed.
    pub(super) fn results(
        &self,
        ran: Ran,
        seed: u64,
        max_runs: u64,
        mut manifest: Manifest,
    ) -> ComparisonResults {
        let tally = &ran.tally;
        let mut comparison = comparison::Comparison::new(tally, seed, self.compared());
        comparison.conditioning = ran.conditioning;
        comparison.names = Names::of(&self.baseline().loaded.scenario);
        manifest.compared = self.scenarios[1..]
            .iter()
            .map(|s| (&s.loaded).into())
            .collect();
        manifest.precision = self.precision.map(|eps| {
            let achieved = headline_half_width(tally, seed);
            PrecisionRecord {
                metric: format!(
                    "difference in {HEADLINE} ({} minus {})",
                    self.scenarios[1].loaded.spec,
                    self.baseline().loaded.spec
                ),
                target_half_width: eps,
                achieved_half_width: achieved,
                reached: achieved <= eps,
                runs: tally.runs,
                max_runs,
                checked_at: ran.checked_at,
                worlds_needed: None,
            }
        });
        manifest.runs = tally.runs;
        ComparisonResults {
            comparison,
            manifest,
        }
    }

    pub(super) fn baseline(&self) -> &'a Scenario {
        self.scenarios[0]
    }

    /// The observations checked against each scenario in turn: they name
    /// parties and shocks, which each scenario must have.
    fn given_to_each(&self) -> Result<Option<Vec<Vec<Observation>>>> {
        let Some(given) = self.given else {
            return Ok(None);
        };
        let observations = &given.observations;
        self.scenarios
            .iter()
            .map(|s| {
                parse_observations(&observations.path, &observations.text, &s.loaded.scenario)
                    .map(|o| o.items)
            })
            .collect::<Result<_>>()
            .map(Some)
    }

    /// Each scenario as results name it: by its spec.
    fn compared(&self) -> Vec<ComparedScenario> {
        self.scenarios
            .iter()
            .map(|s| {
                let l = &s.loaded;
                ComparedScenario {
                    label: l.spec.clone(),
                    name: l.scenario.scenario.name.clone(),
                    sha256: l.sha256.clone(),
                    round_label: l.scenario.scenario.round_label.clone(),
                }
            })
            .collect()
    }
}

/// What the paired runs produced, before they are summarised.
pub(super) struct Ran {
    pub(super) tally: PairedTally,
    pub(super) conditioning: Option<Conditioning>,
    /// The checkpoints reached (none under observations).
    pub(super) checked_at: Vec<u64>,
}

/// The scenarios' worlds, paired run by run on one seed.
struct Paired<'w> {
    studies: Vec<&'w Worlds>,
    seed: u64,
    threads: usize,
}

impl Paired<'_> {
    /// Run indices from 0 until `wanted` are consistent with the
    /// observations (`given` to each scenario, their text's hash `sha256`)
    /// in every scenario.
    fn given(
        &self,
        given: &[Vec<Observation>],
        sha256: &str,
        wanted: u64,
        control: &Control,
    ) -> Result<(PairedTally, Conditioning)> {
        let (tally, tried) = compare_given(
            &self.studies,
            given,
            self.seed,
            wanted,
            self.threads,
            control.cancel_flag(),
            |n| control.progress(n),
        )
        .map_err(|stop| match stop {
            Stopped::Callback((kept, tried)) => too_rare(kept, tried),
            Stopped::Cancelled => stopped::<std::convert::Infallible>(Stopped::Cancelled),
            Stopped::Pool(e) => stopped::<std::convert::Infallible>(Stopped::Pool(e)),
        })?;
        let conditioning = Conditioning {
            tried,
            accepted: tally.runs,
            acceptance: tally.runs as f64 / tried.max(1) as f64,
            observations: given[0].iter().map(|o| o.text.clone()).collect(),
            observations_sha256: sha256.to_string(),
        };
        Ok((tally, conditioning))
    }

    /// Run to `max_runs` paired runs, or under the comparison's precision
    /// target through the doubling checkpoints until it is met; the sums
    /// and the checkpoints reached.
    fn to_precision(
        &self,
        max_runs: u64,
        comparison: &Comparison,
    ) -> Result<(PairedTally, Vec<u64>)> {
        let control = &comparison.shared.control;
        let mut total: Option<PairedTally> = None;
        let advance = |total: &mut Option<PairedTally>, checkpoint: u64| -> Result<()> {
            let done = total.as_ref().map_or(0, |t| t.runs);
            let part = compare(
                &self.studies,
                self.seed,
                done,
                checkpoint - done,
                self.threads,
                control.cancel_flag(),
                |n| control.progress(done + n),
            )
            .map_err(stopped)?;
            match total.as_mut() {
                Some(t) => t.merge(&part),
                None => *total = Some(part),
            }
            Ok(())
        };
        let met = |total: &mut Option<PairedTally>, eps: f64| {
            total
                .as_ref()
                .is_some_and(|t| headline_half_width(t, self.seed) <= eps)
        };
        let checked_at = by_checkpoints(&mut total, max_runs, comparison.precision, advance, met)?;
        Ok((total.expect("at least one checkpoint"), checked_at))
    }
}

/// The error for observations that too few run indices meet in every
/// scenario at once.
fn too_rare(kept: u64, tried: u64) -> Error {
    Error::input(
        Diagnostic::new(format!(
            "only {kept} of {tried} run indices are consistent with the observations in every scenario"
        ))
        .setting("given")
        .help(format!(
            "run each scenario alone (`run` with {}) to see which observation the model did not expect",
            setting("given")
        )),
    )
}

/// Scenarios compared run for the same number of rounds of the same
/// length: otherwise P(channel continued) at one horizon would be set
/// against another's, and S(t) past the shorter horizon would be flat.
fn check_same_clock(scenarios: &[&Scenario]) -> Result<()> {
    if scenarios.len() < 2 {
        return Err(Error::input(
            Diagnostic::new(format!(
                "expected two or more scenarios to compare, found {}",
                scenarios.len()
            ))
            .key("compare"),
        ));
    }
    let base = &scenarios[0].loaded;
    let clock = &base.scenario.scenario;
    let problems: Vec<Diagnostic> = scenarios[1..]
        .iter()
        .filter_map(|s| {
            let (spec, meta) = (&s.loaded.spec, &s.loaded.scenario.scenario);
            (meta.horizon != clock.horizon || meta.round_label != clock.round_label).then(|| {
                Diagnostic::new(format!(
                    "`{spec}` runs {} rounds of a {}, the baseline `{}` {} rounds of a {}: \
                     their outcomes are not comparable",
                    meta.horizon, meta.round_label, base.spec, clock.horizon, clock.round_label
                ))
                .key("compare")
                .help(same_clock_help(
                    (spec, meta.horizon, &meta.round_label),
                    (&base.spec, clock.horizon, &clock.round_label),
                ))
            })
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}

/// How to give two scenarios (spec, horizon, round label) the same clock:
/// lengthen the shorter horizon, which keeps every round-valued key valid
/// (shortening one can leave an event past the new horizon), and take the
/// baseline's round label.
fn same_clock_help(other: (&str, u32, &str), base: (&str, u32, &str)) -> String {
    let (spec, horizon, label) = other;
    let mut sets = Vec::new();
    if horizon < base.1 {
        sets.push((spec, format!("scenario.horizon={}", base.1)));
    } else if horizon > base.1 {
        sets.push((base.0, format!("scenario.horizon={horizon}")));
    }
    if label != base.2 {
        sets.push((spec, format!("scenario.round_label={}", base.2)));
    }
    let mut variants: Vec<(&str, Vec<String>)> = Vec::new();
    for (target, set) in sets {
        match variants.iter_mut().find(|(t, _)| *t == target) {
            Some((_, all)) => all.push(set),
            None => variants.push((target, vec![set])),
        }
    }
    let written: Vec<String> = variants
        .iter()
        .map(|(target, all)| format!("`{target}:{}`", all.join(":")))
        .collect();
    format!("give both the same clock, e.g. {}", written.join(" and "))
}

/// Half-width of the 95 % interval of the first paired difference in the
/// headline.
fn headline_half_width(tally: &PairedTally, seed: u64) -> f64 {
    let labels = (0..tally.sum.len())
        .map(|k| ComparedScenario {
            label: k.to_string(),
            name: String::new(),
            sha256: String::new(),
            round_label: String::new(),
        })
        .collect();
    let comparison = comparison::Comparison::new(tally, seed, labels);
    comparison
        .row(HEADLINE)
        .and_then(|row| row.differences[1])
        .map_or(f64::INFINITY, |d| (d.hi - d.lo) / 2.0)
}
