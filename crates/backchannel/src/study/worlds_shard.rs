//! `indicators` and `discover` across machines, and what they share with
//! `backtest`'s shards: a study whose work is numbered (runs `0..R` over
//! its worlds, run `i` in world `i mod W`; a back-test's case-runs) is
//! split by `--shard I/N` into N balanced slices, each counted as
//! integers (`partial.json`, docs/OUTPUTS.md). Since a run depends only on
//! the seed, its world and its index, `merge` adds the counts up to
//! exactly those one machine gets and hands them to the study's own
//! results and publishing, so the files are the same, byte for byte.

use std::ops::Range;
use std::path::Path;
use std::time::{Instant, SystemTime};

use serde::de::DeserializeOwned;

use super::checks::threads_or_every_core;
use super::control::stopped;
use super::design_shard::{no_partial_merge, refuse_missing};
use super::discover::WorldsAndRuns;
use super::indicators::Counting;
use super::merge::{
    Found, Sliced, check_runs_slice, check_same, corrupted, describe_missing, missing_of,
    missing_shards, other_kind, parse_partial, partial_file, same_scenario, schema_of,
};
use super::points::Evaluator;
use super::scenario::Scenario;
use super::shard::{checked_shard, empty_shards, no_observations_in_shard};
use super::{Discovery, DiscoveryResults, Indicators, IndicatorsResults, Merge, Sampling};
use crate::engine::indicators::{IndicatorCounts, count_indicators_of};
use crate::engine::shard::Shard;
use crate::engine::{Tally, Worlds};
use crate::error::{Diagnostic, Error, Result, setting, setting_value};
use crate::output::discover::Case;
use crate::output::manifest::{Manifest, ManifestScenario};
use crate::output::partial::{
    BACKTEST_SCHEMA, DISCOVER_SCHEMA, DiscoverPartial, DiscoverStudy, INDICATORS_SCHEMA,
    IndicatorsPartial, PartialScenario, Slice,
};
use crate::scenario::load::hex_sha256;

/// What a shard of `indicators`, `discover` or `backtest` returns: its
/// integer counts (the contents of `partial.json`) and its manifest.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SlicedShardResults {
    json: String,
    slice: Range<u64>,
    total: u64,
    /// How the shard was run (`manifest.json`).
    pub manifest: Manifest,
}

impl SlicedShardResults {
    /// The results of a shard that counted `slice` of the `total` units
    /// of its study's work, `partial` rendered as `json`.
    pub(super) fn new(
        json: String,
        slice: Range<u64>,
        total: u64,
        manifest: Manifest,
    ) -> SlicedShardResults {
        SlicedShardResults {
            json,
            slice,
            total,
            manifest,
        }
    }

    /// `partial.json`, which [`Merge`] reads.
    pub fn to_json(&self) -> String {
        self.json.clone()
    }

    /// The numbers of the work this shard counted (runs, or a back-test's
    /// case-runs: case `c`'s run `r` is `c × runs per case + r`).
    pub fn slice(&self) -> Range<u64> {
        self.slice.clone()
    }

    /// The numbers of the whole study's work.
    pub fn study_total(&self) -> u64 {
        self.total
    }
}

/// A shard's results: its partial (`json`) of the runs `slice` of a study
/// of `runs` of `scenario` on `seed` with `threads`, started at
/// `started_at`, simulated since `simulate_start`, and its manifest.
pub(super) fn sliced_results(
    json: String,
    scenario: ManifestScenario,
    (seed, runs, threads): (u64, u64, usize),
    slice: Range<u64>,
    (started_at, simulate_start): (SystemTime, Instant),
) -> SlicedShardResults {
    let mut manifest = Manifest::start(scenario, seed, runs, threads, started_at);
    manifest.simulated(
        slice.end - slice.start,
        simulate_start.elapsed().as_secs_f64(),
    );
    manifest.runs = runs;
    SlicedShardResults::new(json, slice, runs, manifest)
}

impl Indicators<'_> {
    /// Run only shard `index` of `count` (from 0) of this study of `R`
    /// runs: the runs `[index R / count, (index + 1) R / count)`, counted
    /// for every observable of the round. The shards' counts, merged, are
    /// exactly the study's. A shard cannot be conditioned on observations
    /// (docs/SCALING.md says why).
    pub fn shard(self, index: u64, count: u64) -> Result<SlicedShardResults> {
        let started_at = SystemTime::now();
        let shard = checked_shard(index, count)?;
        if self.given.is_some() {
            return Err(no_observations_in_shard());
        }
        let Counting {
            runs,
            seed,
            worlds,
            observables,
        } = self.counting()?;
        if count > runs {
            return Err(empty_shards(count, runs, "runs"));
        }
        let threads = threads_or_every_core(self.shared.threads)?;
        let slice = shard.slice(runs);
        let simulate_start = Instant::now();
        let control = &self.shared.control;
        let counts = count_indicators_of(
            &worlds,
            &observables,
            seed,
            slice.clone(),
            threads,
            control.cancel_flag(),
            |done| control.progress(done),
        )
        .map_err(stopped)?;
        let loaded = &self.scenario.loaded;
        let partial = IndicatorsPartial {
            schema: INDICATORS_SCHEMA.into(),
            scenario: PartialScenario::of(loaded),
            at: self.at,
            seed,
            runs,
            worlds: self.shared.worlds,
            shard,
            slice: Slice {
                start: slice.start,
                end: slice.end,
            },
            counts,
        };
        Ok(sliced_results(
            partial.to_json(),
            loaded.into(),
            (seed, runs, threads),
            slice,
            (started_at, simulate_start),
        ))
    }

    /// Whether `dir` holds shard `index` of `count` of this study,
    /// complete: its `partial.json` (published only when complete) is of
    /// the same scenario, round, seed, runs, worlds and shard (so a rerun
    /// of the array may skip it).
    pub fn shard_done(&self, dir: &Path, index: u64, count: u64) -> Result<bool> {
        let Ok(partial) = parse_partial::<IndicatorsPartial>(&dir.join("partial.json")) else {
            return Ok(false);
        };
        let loaded = &self.scenario.loaded;
        let runs = self.runs_counted()?;
        let seed = self.shared.seed.unwrap_or(loaded.scenario.scenario.seed);
        let shard = Shard { index, count };
        Ok(partial.schema == INDICATORS_SCHEMA
            && partial.scenario.sha256 == loaded.sha256
            && partial.at == self.at
            && partial.seed == seed
            && partial.runs == runs
            && partial.worlds == self.shared.worlds
            && partial.shard == shard
            && partial.slice() == shard.slice(runs))
    }
}

impl Discovery<'_> {
    /// Run only shard `index` of `count` (from 0) of this discovery of
    /// `R` runs over its worlds: the runs `[index R / count, (index + 1) R
    /// / count)`, counted by world. The shards' counts, merged, are
    /// exactly the study's; `merge` then searches the worlds as one
    /// machine does.
    pub fn shard(self, index: u64, count: u64) -> Result<SlicedShardResults> {
        let started_at = SystemTime::now();
        let shard = checked_shard(index, count)?;
        let WorldsAndRuns { runs, .. } = self.worlds_and_runs()?;
        if count > runs {
            return Err(empty_shards(count, runs, "runs"));
        }
        let threads = threads_or_every_core(self.shared.threads)?;
        let (seed, worlds) = self.seed_and_worlds()?;
        let slice = shard.slice(runs);
        let simulate_start = Instant::now();
        let evaluator = Evaluator::local(seed, threads, &self.shared.control);
        let tally = evaluator
            .run_range(std::slice::from_ref(&worlds), slice.clone(), 0)?
            .pop()
            .expect("one tally per study");
        let loaded = &self.scenario.loaded;
        let partial = DiscoverPartial {
            schema: DISCOVER_SCHEMA.into(),
            study: self.study()?,
            scenario: PartialScenario::of(loaded),
            seed,
            shard,
            slice: Slice {
                start: slice.start,
                end: slice.end,
            },
            tally,
        };
        Ok(sliced_results(
            partial.to_json(),
            loaded.into(),
            (seed, runs, threads),
            slice,
            (started_at, simulate_start),
        ))
    }

    /// Whether `dir` holds shard `index` of `count` of this discovery,
    /// complete: its `partial.json` is of the same scenario, seed, search
    /// and shard.
    pub fn shard_done(&self, dir: &Path, index: u64, count: u64) -> Result<bool> {
        let Ok(partial) = parse_partial::<DiscoverPartial>(&dir.join("partial.json")) else {
            return Ok(false);
        };
        let loaded = &self.scenario.loaded;
        let study = self.study()?;
        let seed = self.shared.seed.unwrap_or(loaded.scenario.scenario.seed);
        let shard = Shard { index, count };
        Ok(partial.schema == DISCOVER_SCHEMA
            && partial.scenario.sha256 == loaded.sha256
            && partial.seed == seed
            && partial.shard == shard
            && partial.slice() == shard.slice(study.runs)
            && partial.study == study)
    }

    /// What this discovery is, as its shards record it and its page's
    /// command asks for it.
    pub(super) fn study(&self) -> Result<DiscoverStudy> {
        let WorldsAndRuns { worlds, runs } = self.worlds_and_runs()?;
        Ok(DiscoverStudy {
            outcome: self.outcome.clone(),
            threshold: self.threshold,
            below: self.below,
            case: self.case.map(|c| format!("p{}{}", c.op, c.p)),
            step: self.step,
            paste: self.paste,
            keep_all: self.keep_all,
            sampling: self.sampling.name().into(),
            worlds,
            worlds_set: self.shared.worlds,
            runs,
            runs_set: self.runs,
        })
    }
}

/// The discovery `study` of `scenario` on `seed`, as its shards recorded
/// it; `file` names the shard for messages.
fn discovery_of<'s>(
    scenario: &'s Scenario,
    study: &DiscoverStudy,
    seed: u64,
    file: &str,
) -> Result<Discovery<'s>> {
    let case = study
        .case
        .as_deref()
        .map(|c| c.parse::<Case>())
        .transpose()
        .map_err(|problem| Error::input(corrupted(file, format_args!("study.case: {problem}"))))?;
    let sampling = match study.sampling.as_str() {
        "latin" => Sampling::Latin,
        "monte-carlo" => Sampling::MonteCarlo,
        other => {
            return Err(Error::input(corrupted(
                file,
                format_args!("study.sampling is {other:?}, expected \"monte-carlo\" or \"latin\""),
            )));
        }
    };
    Ok(Discovery::new(scenario, &study.outcome)
        .threshold(study.threshold)
        .below(study.below)
        .case(case)
        .step(study.step)
        .paste(study.paste)
        .keep_all(study.keep_all)
        .sampling(sampling)
        .runs(study.runs_set)
        .seed(seed)
        .worlds(study.worlds_set))
}

/// A shard's partial result of a study whose work is numbered: how
/// `merge` reads and checks it on its own.
pub(super) trait SlicedPartial: Sliced + DeserializeOwned {
    /// The schema it must have.
    const SCHEMA: &'static str;
    /// What its units of work are called before "runs" (`case-`), for
    /// messages.
    const RUNS_OF: &'static str = "";
    /// The schema it has.
    fn schema(&self) -> &str;
    /// Refuse it (read from `file`) if its parts contradict each other.
    fn check(&self, file: &str) -> Result<()>;
}

/// Refuse a scenario whose text does not match its hash.
fn check_text(file: &str, scenario: &PartialScenario, field: &str) -> Result<()> {
    if hex_sha256(scenario.text.as_bytes()) != scenario.sha256 {
        return Err(Error::input(corrupted(
            file,
            format_args!("{field}.text does not match {field}.sha256"),
        )));
    }
    Ok(())
}

impl Sliced for IndicatorsPartial {
    fn shard(&self) -> Shard {
        self.shard
    }
    fn slice(&self) -> Range<u64> {
        self.slice.start..self.slice.end
    }
    fn total(&self) -> u64 {
        self.runs
    }
    fn rerun(&self) -> String {
        format!(
            "`indicators` with {} and {}",
            setting_value("shard", format!("I/{}", self.shard.count)),
            setting_value("runs", self.runs)
        )
    }
}

impl SlicedPartial for IndicatorsPartial {
    const SCHEMA: &'static str = INDICATORS_SCHEMA;
    fn schema(&self) -> &str {
        &self.schema
    }
    fn check(&self, file: &str) -> Result<()> {
        check_text(file, &self.scenario, "scenario")?;
        // The slice is checked on its own (the counts are not a tally),
        // then the runs counted against it.
        let slice_runs = self.slice.end.saturating_sub(self.slice.start);
        check_runs_slice(file, self.runs, self.shard, &self.slice, slice_runs)?;
        if self.counts.runs != slice_runs {
            return Err(Error::input(corrupted(
                file,
                format_args!(
                    "counts.runs is {}, expected the {slice_runs} runs of slice {}..{}",
                    self.counts.runs, self.slice.start, self.slice.end
                ),
            )));
        }
        Ok(())
    }
}

impl Sliced for DiscoverPartial {
    fn shard(&self) -> Shard {
        self.shard
    }
    fn slice(&self) -> Range<u64> {
        self.slice.start..self.slice.end
    }
    fn total(&self) -> u64 {
        self.study.runs
    }
    fn rerun(&self) -> String {
        format!(
            "`discover` with {} and {}",
            setting_value("shard", format!("I/{}", self.shard.count)),
            setting_value("runs", self.study.runs)
        )
    }
}

impl SlicedPartial for DiscoverPartial {
    const SCHEMA: &'static str = DISCOVER_SCHEMA;
    fn schema(&self) -> &str {
        &self.schema
    }
    fn check(&self, file: &str) -> Result<()> {
        check_text(file, &self.scenario, "scenario")?;
        check_runs_slice(
            file,
            self.study.runs,
            self.shard,
            &self.slice,
            self.tally.runs,
        )
    }
}

/// Read and check the shards in `dirs` of one study (`same` refuses
/// shards of different ones), sorted by their slices, covering the
/// study's work exactly once. `partial` (merging what is there) is
/// refused: `why` says what needs every shard.
pub(super) fn read_shards<P: SlicedPartial>(
    dirs: &[String],
    partial: bool,
    why: &str,
    same: impl Fn(&[Found<P>]) -> Result<()>,
) -> Result<Vec<Found<P>>> {
    if partial {
        return Err(no_partial_merge(why));
    }
    let mut found: Vec<Found<P>> = dirs
        .iter()
        .map(|dir| read_shard(dir))
        .collect::<Result<_>>()?;
    if found.is_empty() {
        return Err(Error::input(Diagnostic::new("no shards to merge")));
    }
    same(&found)?;
    found.sort_by_key(|f| (f.partial.slice().start, f.partial.slice().end));
    if let Some(missing) = missing_of(&found)? {
        return Err(refuse_missing(format!(
            "{}{}",
            P::RUNS_OF,
            describe_missing(&missing, &found)
        )));
    }
    Ok(found)
}

/// Read and check one shard on its own.
fn read_shard<P: SlicedPartial>(dir: &str) -> Result<Found<P>> {
    let path = partial_file(dir);
    let partial: P = parse_partial(&path).map_err(|e| other_kind(&path, e))?;
    let file = path.display().to_string();
    if partial.schema() != P::SCHEMA {
        return Err(Error::input(Diagnostic::new(format!(
            "{file}: schema {:?}, expected {:?}",
            partial.schema(),
            P::SCHEMA
        ))));
    }
    partial.check(&file)?;
    Ok(Found {
        dir: dir.to_string(),
        file,
        partial,
    })
}

/// The merged manifest of a study of `scenario`, `seed` and `runs`, from
/// the shards `found`, started at `started_at`.
pub(super) fn merged_manifest<P>(
    scenario: ManifestScenario,
    seed: u64,
    runs: u64,
    found: &[Found<P>],
    started_at: SystemTime,
) -> Manifest {
    let mut manifest = Manifest::start(scenario, seed, runs, 0, started_at);
    manifest.merged_from = found.iter().map(|f| f.dir.clone()).collect();
    manifest
}

/// N and the shard indices absent, where the shards share one N.
type Absent = Option<(u64, Vec<u64>)>;

/// The shards to run again of a study of a numbered work (`indicators`,
/// `discover`, `backtest`) named by `dirs`, if the first is one: N and the
/// shard indices absent (`None` inside when the shards name different N).
pub(super) fn sliced_missing(dirs: &[String]) -> Option<Result<Absent>> {
    fn absent<P: DeserializeOwned + Sliced>(dirs: &[String]) -> Result<Absent> {
        let found = dirs
            .iter()
            .map(|d| {
                Ok(Found {
                    dir: d.clone(),
                    file: d.clone(),
                    partial: parse_partial::<P>(&partial_file(d))?,
                })
            })
            .collect::<Result<Vec<Found<P>>>>()?;
        Ok(missing_shards(&found))
    }
    match schema_of(dirs.first()?)?.as_str() {
        INDICATORS_SCHEMA => Some(absent::<IndicatorsPartial>(dirs)),
        DISCOVER_SCHEMA => Some(absent::<DiscoverPartial>(dirs)),
        BACKTEST_SCHEMA => Some(absent::<crate::output::partial::BacktestPartial>(dirs)),
        _ => None,
    }
}

/// What [`Merge::indicators`] returns: the ranked indicators as one
/// machine gives them, and how the shards made them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct IndicatorsMergeResults {
    /// The indicators and the merged manifest.
    pub results: IndicatorsResults,
    /// The scenario the shards ran (their copy of its text).
    pub scenario: Scenario,
    /// The round whose observables were counted.
    pub at: u32,
    /// The study's seed.
    pub seed: u64,
    /// `--worlds`, when the shards set it.
    pub worlds: Option<u64>,
    /// The number of shards merged.
    pub shards: usize,
}

/// What [`Merge::discover`] returns: the discovery as one machine gives
/// it, and how the shards made it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DiscoverMergeResults {
    /// The boxes found, the tables and the merged manifest.
    pub results: DiscoveryResults,
    /// The scenario the shards ran (their copy of its text).
    pub scenario: Scenario,
    /// The study's seed.
    pub seed: u64,
    /// The number of shards merged.
    pub shards: usize,
    pub(super) study: DiscoverStudy,
}

impl DiscoverMergeResults {
    /// The discovery the shards made up (for its output directory).
    pub(crate) fn discovery(&self) -> Result<Discovery<'_>> {
        discovery_of(&self.scenario, &self.study, self.seed, "partial.json")
    }
}

impl Merge {
    /// Whether the shards are of `indicators`, to be merged with
    /// [`Merge::indicators`]; read from the first shard.
    pub fn is_indicators(&self) -> bool {
        self.first_schema().as_deref() == Some(INDICATORS_SCHEMA)
    }

    /// Whether the shards are of `discover`, to be merged with
    /// [`Merge::discover`]; read from the first shard.
    pub fn is_discover(&self) -> bool {
        self.first_schema().as_deref() == Some(DISCOVER_SCHEMA)
    }

    /// Whether the shards are of `backtest`, to be merged with
    /// [`Merge::backtest`]; read from the first shard.
    pub fn is_backtest(&self) -> bool {
        self.first_schema().as_deref() == Some(BACKTEST_SCHEMA)
    }

    fn first_schema(&self) -> Option<String> {
        self.dirs().first().and_then(|d| schema_of(d))
    }

    /// Read, check and add up the shards of `indicators`: the ranked
    /// indicators, byte for byte as one machine counts them. They need
    /// every run: [`Merge::partial`] is refused.
    pub fn indicators(self) -> Result<IndicatorsMergeResults> {
        let started_at = SystemTime::now();
        let found: Vec<Found<IndicatorsPartial>> = read_shards(
            self.dirs(),
            self.wants_partial(),
            "the indicators' ranks need every run",
            check_same_indicators,
        )?;
        let first = &found[0].partial;
        let scenario = Scenario::of_partial(&first.scenario, &found[0].dir)?;
        let (at, seed, worlds) = (first.at, first.seed, first.worlds);
        let results = {
            let study = Indicators::new(&scenario, at)
                .runs(first.runs)
                .seed(seed)
                .worlds(worlds);
            let counting = study.counting()?;
            let observables = counting.observables.len();
            let mut counts = IndicatorCounts::new(observables, &counting.worlds);
            for f in &found {
                check_indicator_counts(f, observables, counts.by_world.len())?;
                counts.merge(&f.partial.counts);
            }
            let manifest = merged_manifest(
                (&scenario.loaded).into(),
                seed,
                counting.runs,
                &found,
                started_at,
            );
            study.results(&counts, &counting, manifest)
        };
        Ok(IndicatorsMergeResults {
            results,
            shards: found.len(),
            scenario,
            at,
            seed,
            worlds,
        })
    }

    /// Read, check and add up the shards of `discover`: every world's
    /// counts, then PRIM's search over them, byte for byte as one machine
    /// runs it. The search needs every world's runs: [`Merge::partial`]
    /// is refused.
    pub fn discover(self) -> Result<DiscoverMergeResults> {
        let started_at = SystemTime::now();
        let found: Vec<Found<DiscoverPartial>> = read_shards(
            self.dirs(),
            self.wants_partial(),
            "PRIM searches every world's share of its runs",
            check_same_discovery,
        )?;
        let first = &found[0];
        let scenario = Scenario::of_partial(&first.partial.scenario, &first.dir)?;
        let (seed, study) = (first.partial.seed, first.partial.study.clone());
        let results = {
            let discovery = discovery_of(&scenario, &study, seed, &first.file)?;
            let WorldsAndRuns {
                worlds: count,
                runs,
            } = discovery.worlds_and_runs()?;
            if (count, runs) != (study.worlds, study.runs) {
                return Err(Error::input(corrupted(
                    &first.file,
                    format_args!(
                        "study has {} worlds of {} runs, but its settings make {count} worlds of {runs} runs",
                        study.worlds, study.runs
                    ),
                )));
            }
            let (_, worlds) = discovery.seed_and_worlds()?;
            let mut tally = Tally::for_worlds(&worlds);
            for f in &found {
                add_tally(
                    &f.file,
                    &f.partial.tally,
                    f.partial.slice(),
                    &worlds,
                    &mut tally,
                )?;
            }
            let manifest =
                merged_manifest((&scenario.loaded).into(), seed, runs, &found, started_at);
            discovery.results(&worlds, &tally, runs, manifest)?
        };
        Ok(DiscoverMergeResults {
            results,
            shards: found.len(),
            scenario,
            seed,
            study,
        })
    }
}

/// Add a shard's `counted` tally of the runs `slice` to `total`, checked
/// against what runs of the scenario can produce and, by world, against
/// the runs the slice puts in each world.
pub(super) fn add_tally(
    file: &str,
    counted: &Tally,
    slice: Range<u64>,
    worlds: &Worlds,
    total: &mut Tally,
) -> Result<()> {
    let expected = if worlds.is_uncertain() {
        worlds.count()
    } else {
        0
    };
    if counted.worlds.len() != expected {
        return Err(Error::input(corrupted(
            file,
            format_args!(
                "tally.worlds has {} worlds, expected {expected}",
                counted.worlds.len()
            ),
        )));
    }
    let mut problems = counted.inconsistencies(worlds.shape());
    if problems.is_empty() {
        problems = counted.world_runs_inconsistencies(slice);
    }
    if !problems.is_empty() {
        return Err(Error::Input(
            problems
                .into_iter()
                .map(|problem| corrupted(file, format_args!("tally.{problem}")))
                .collect(),
        ));
    }
    total
        .checked_merge(counted)
        .map_err(|problem| Error::input(Diagnostic::new(format!("adding {file}: tally.{problem}"))))
}

/// Refuse indicator counts that are not of `observables` observables in
/// `worlds` worlds (none without judged inputs), or that no runs could
/// produce (more runs with an outcome or an observable than runs, more
/// with both than with either, totals that are not their worlds' sums).
fn check_indicator_counts(
    f: &Found<IndicatorsPartial>,
    observables: usize,
    worlds: usize,
) -> Result<()> {
    let counts = &f.partial.counts;
    let refuse = |problem: String| Err(Error::input(corrupted(&f.file, problem)));
    if counts.by_world.len() != worlds {
        return refuse(format!(
            "counts has {} worlds' counts, but the study has {worlds} worlds of judged inputs",
            counts.by_world.len()
        ));
    }
    let mut sum = IndicatorCounts::without_worlds(observables);
    for (w, world) in counts.by_world.iter().enumerate() {
        if let Err(problem) = possible_counts(world, observables) {
            return refuse(format!("in world {w}, {problem}"));
        }
        sum.merge(world);
    }
    if let Err(problem) = possible_counts(counts, observables) {
        return refuse(problem);
    }
    if worlds > 0
        && (sum.runs, &sum.outcome, &sum.holds, &sum.joint)
            != (counts.runs, &counts.outcome, &counts.holds, &counts.joint)
    {
        return refuse("the totals are not the sums of their worlds' counts".into());
    }
    Ok(())
}

/// What makes `counts` impossible for `observables` observables, if
/// anything.
fn possible_counts(
    counts: &IndicatorCounts,
    observables: usize,
) -> std::result::Result<(), String> {
    if counts.holds.len() != observables || counts.joint.len() != observables {
        return Err(format!(
            "counts has {} holds and {} joint counts, but the round has {observables} observables",
            counts.holds.len(),
            counts.joint.len()
        ));
    }
    if let Some(y) = counts.outcome.iter().position(|&n| n > counts.runs) {
        return Err(format!(
            "counts.outcome[{y}] is {}, more than its {} runs",
            counts.outcome[y], counts.runs
        ));
    }
    for (i, (&holds, joint)) in counts.holds.iter().zip(&counts.joint).enumerate() {
        if holds > counts.runs {
            return Err(format!(
                "counts.holds[{i}] is {holds}, more than its {} runs",
                counts.runs
            ));
        }
        if let Some(y) = (0..joint.len()).find(|&y| joint[y] > holds.min(counts.outcome[y])) {
            return Err(format!(
                "counts.joint[{i}][{y}] is {}, more than the runs where observable {i} holds or outcome {y} happens",
                joint[y]
            ));
        }
    }
    Ok(())
}

/// Refuse `indicators` shards that are not of one study: each differing
/// field named.
fn check_same_indicators(found: &[Found<IndicatorsPartial>]) -> Result<()> {
    check_same(
        found,
        "studies",
        &format!(
            "merge only the shards of one `indicators` study (same scenario, {}, seed, {} and {})",
            setting("at"),
            setting("runs"),
            setting("worlds")
        ),
        |a, b| {
            vec![
                same_scenario(&a.scenario, &b.scenario),
                ("round", a.at != b.at, format!("{} vs {}", a.at, b.at)),
                (
                    "seed",
                    a.seed != b.seed,
                    format!("{} vs {}", a.seed, b.seed),
                ),
                (
                    "runs",
                    a.runs != b.runs,
                    format!("{} vs {}", a.runs, b.runs),
                ),
                (
                    "worlds",
                    a.worlds != b.worlds,
                    format!("{:?} vs {:?}", a.worlds, b.worlds),
                ),
            ]
        },
    )
}

/// Refuse `discover` shards that are not of one study: each differing
/// field named.
fn check_same_discovery(found: &[Found<DiscoverPartial>]) -> Result<()> {
    let search = format!(
        "search ({})",
        [
            "outcome",
            "threshold",
            "below",
            "case",
            "step",
            "paste",
            "keep-all"
        ]
        .map(setting)
        .join(", ")
    );
    let describe = |s: &DiscoverStudy| {
        format!(
            "{} {} {} {} {} {} {}",
            setting_value("outcome", &s.outcome),
            setting_value("threshold", s.threshold),
            setting_value("below", s.below),
            setting_value("case", s.case.as_deref().unwrap_or("none")),
            setting_value("step", s.step.map_or("none".into(), |n| n.to_string())),
            setting_value("paste", s.paste),
            setting_value("keep-all", s.keep_all)
        )
    };
    let searched = |s: &DiscoverStudy| {
        (
            s.outcome.clone(),
            s.threshold.to_bits(),
            s.below,
            s.case.clone(),
            s.step,
            s.paste,
            s.keep_all,
        )
    };
    check_same(
        found,
        "studies",
        "merge only the shards of one `discover` study (same scenario, seed, worlds, runs and search)",
        |a, b| {
            let (x, y) = (&a.study, &b.study);
            vec![
                same_scenario(&a.scenario, &b.scenario),
                (
                    "seed",
                    a.seed != b.seed,
                    format!("{} vs {}", a.seed, b.seed),
                ),
                (
                    "sampling",
                    x.sampling != y.sampling,
                    format!("{} vs {}", x.sampling, y.sampling),
                ),
                (
                    "worlds",
                    (x.worlds, x.worlds_set) != (y.worlds, y.worlds_set),
                    format!("{} vs {}", x.worlds, y.worlds),
                ),
                (
                    "runs",
                    (x.runs, x.runs_set) != (y.runs, y.runs_set),
                    format!("{} vs {}", x.runs, y.runs),
                ),
                (
                    &search,
                    searched(x) != searched(y),
                    format!("{} vs {}", describe(x), describe(y)),
                ),
            ]
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_written_in_a_partial_reads_back_as_itself() {
        for written in ["p>=0.35", "p<=0.2", "p>=0.1234567890123", "p<=1"] {
            let case: Case = written.parse().unwrap();
            let kept = format!("p{}{}", case.op, case.p);
            assert_eq!(kept.parse::<Case>().unwrap(), case, "{written}");
        }
    }
}
