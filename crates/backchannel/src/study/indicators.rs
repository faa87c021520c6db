//! Which news at a round would move the forecast most: every observable of
//! that round counted against the outcomes over one study's runs
//! (docs/MODEL.md, "Indicators").

use std::convert::Infallible;
use std::time::{Instant, SystemTime};

use super::checks::{WorldsUse, check_count, threads_or_every_core, worlds_for_runs};
use super::control::{Shared, option_setter, shared_setters, stopped};
use super::scenario::{Observations, Scenario};
use crate::engine::Worlds;
use crate::engine::conditioning::Conditioning;
use crate::engine::indicators::{IndicatorCounts, count_indicators};
use crate::engine::runner::Stopped;
use crate::error::{Diagnostic, Error, Result, setting};
use crate::output::indicators;
use crate::output::manifest::Manifest;
use crate::output::names::Names;
use crate::scenario::observations::{Observation, observables};
use crate::scenario::validate::MAX_RUNS;

/// A ranked "what to watch" list for one round, built step by step and
/// then [`run`]:
///
/// ```no_run
/// # use backchannel::{Scenario, Indicators};
/// let scenario = Scenario::load("muscat-2026")?;
/// let watch = Indicators::new(&scenario, 3).runs(20_000).run()?;
/// print!("{}", watch.text(10));
/// # Ok::<(), backchannel::Error>(())
/// ```
///
/// Unset values come from the scenario (`[scenario] runs`, `seed`), every
/// core, and 200 worlds of the judged inputs.
///
/// [`run`]: Indicators::run
#[derive(Debug)]
pub struct Indicators<'a> {
    pub(super) scenario: &'a Scenario,
    pub(super) at: u32,
    runs: Option<u64>,
    pub(super) given: Option<&'a Observations>,
    pub(super) shared: Shared<'a>,
}

impl<'a> Indicators<'a> {
    shared_setters!('a);

    /// The indicators of round `at` of `scenario`.
    pub fn new(scenario: &'a Scenario, at: u32) -> Indicators<'a> {
        Indicators {
            scenario,
            at,
            runs: None,
            given: None,
            shared: Shared::default(),
        }
    }

    option_setter! {
        /// The number of runs counted (with [`Indicators::given`], of runs
        /// consistent with the observations).
        /// `None`: the default.
        runs(runs: u64)
    }

    option_setter! {
        /// Count only the runs consistent with `observations`: what to watch
        /// next, given the news so far. `None`: every run.
        given(observations: &'a Observations)
    }

    /// The number of runs this study counts: the runs set or the
    /// scenario's. Checked, with the round.
    pub fn runs_counted(&self) -> Result<u64> {
        let horizon = self.scenario.loaded.scenario.scenario.horizon;
        check_count("at", self.at.into(), 1, horizon.into())?;
        let runs = self.runs.unwrap_or(self.scenario.default_runs());
        check_count("runs", runs, 1, MAX_RUNS)?;
        Ok(runs)
    }

    /// The seed, worlds and observables this study counts with, checked.
    pub(super) fn counting(&self) -> Result<Counting> {
        let loaded = &self.scenario.loaded;
        let runs = self.runs_counted()?;
        let seed = self.shared.seed.unwrap_or(loaded.scenario.scenario.seed);
        let count = worlds_for_runs(
            self.shared.worlds,
            runs,
            !loaded.judged.is_empty(),
            WorldsUse::Mixture,
        )?;
        Ok(Counting {
            runs,
            seed,
            worlds: Worlds::draw(loaded, seed, count)?,
            observables: observables(&loaded.scenario, self.at),
        })
    }

    /// Run the study: the indicators, ranked, and how they were counted.
    pub fn run(self) -> Result<IndicatorsResults> {
        let started_at = SystemTime::now();
        let loaded = &self.scenario.loaded;
        let counting = self.counting()?;
        let (runs, seed) = (counting.runs, counting.seed);
        let threads = threads_or_every_core(self.shared.threads)?;
        let given = self
            .given
            .map_or(&[][..], |given| &given.observations.items[..]);
        let simulate_start = Instant::now();
        let control = &self.shared.control;
        let (counts, tried) = count_indicators(
            &counting.worlds,
            &counting.observables,
            given,
            seed,
            runs,
            threads,
            control.cancel_flag(),
            |done| control.progress(done),
        )
        .map_err(too_few_consistent)?;
        let mut manifest = Manifest::start(loaded.into(), seed, runs, threads, started_at);
        manifest.simulated(runs, simulate_start.elapsed().as_secs_f64());
        let mut results = self.results(&counts, &counting, manifest);
        // A study given no observation at all is not conditioned.
        let conditioned = self.given.filter(|_| !given.is_empty());
        results.indicators.conditioning = conditioned.map(|given| Conditioning {
            tried,
            accepted: counts.runs,
            acceptance: counts.runs as f64 / tried.max(1) as f64,
            observations: given.facts().iter().map(|f| f.to_string()).collect(),
            observations_sha256: given.sha256().to_string(),
        });
        Ok(results)
    }

    /// The indicators ranked from their `counts`, made as `counting` says.
    pub(super) fn results(
        &self,
        counts: &IndicatorCounts,
        counting: &Counting,
        manifest: Manifest,
    ) -> IndicatorsResults {
        let loaded = &self.scenario.loaded;
        let meta = &loaded.scenario.scenario;
        let indicators = indicators::Indicators::new(
            counts,
            &counting.observables,
            &Names::of(&loaded.scenario),
            &loaded.display_name(),
            counting.seed,
            self.at,
            &meta.round_label,
        );
        IndicatorsResults {
            indicators,
            manifest,
        }
    }
}

/// What an indicators study counts: its runs, on its seed, in its worlds,
/// for the observables of its round.
pub(super) struct Counting {
    pub(super) runs: u64,
    pub(super) seed: u64,
    pub(super) worlds: Worlds,
    pub(super) observables: Vec<Observation>,
}

/// The error for a study stopped short: too few runs consistent with the
/// observations, or cancelled.
fn too_few_consistent(stop: Stopped<(u64, u64)>) -> Error {
    match stop {
        Stopped::Callback((kept, tried)) => Error::input(
            Diagnostic::new(format!(
                "only {kept} of {tried} runs are consistent with the observations"
            ))
            .setting("given")
            .help(format!(
                "`run` with {} and the same file names the observation the model did not expect",
                setting("given")
            )),
        ),
        Stopped::Cancelled => stopped::<Infallible>(Stopped::Cancelled),
        Stopped::Pool(e) => stopped::<Infallible>(Stopped::Pool(e)),
    }
}

/// What [`Indicators::run`] returns: the ranked indicators (the contents of
/// `indicators.json` and `indicators.csv`, docs/OUTPUTS.md) and the
/// manifest of the study.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct IndicatorsResults {
    /// The indicators, ranked: `indicators.json` and `indicators.csv`.
    pub indicators: indicators::Indicators,
    /// How the study was run (`manifest.json`).
    pub manifest: Manifest,
}

impl IndicatorsResults {
    /// `indicators.json`: the baseline and every indicator, ranked.
    pub fn to_json(&self) -> String {
        self.indicators.to_json()
    }

    /// `indicators.csv`: one row per observable and outcome, in rank order.
    pub fn to_csv(&self) -> Vec<u8> {
        self.indicators.to_csv()
    }

    /// "What to watch": the top `count` indicators as sentences.
    pub fn text(&self, count: usize) -> String {
        self.indicators.render_text(count)
    }
}
