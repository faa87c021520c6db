//! Comparisons (`compare`) across machines. Every scenario of a comparison
//! plays the same run indices on one seed (common random numbers), so a
//! shard `i` of `n` takes the run indices `[floor(i R / n), floor((i + 1)
//! R / n))` of its `R` paired runs, plays them in every scenario and
//! keeps the paired integer sums (`partial.json`, docs/OUTPUTS.md). Since
//! a run depends only on the seed, its scenario and its index, `merge`
//! adds the sums up to exactly those one machine gets, and so the same
//! tables, charts and page, byte for byte.

use std::ops::Range;
use std::path::Path;
use std::time::{Instant, SystemTime};

use super::checks::threads_or_every_core;
use super::compare::Ran;
use super::control::stopped;
use super::design_shard::{no_partial_merge, refuse_missing};
use super::merge::{
    Counted, Found, Sliced, check_runs_slice, check_same, corrupted, counts_of, describe_missing,
    missing_of, other_kind, parse_partial, partial_file, read_shards,
};
use super::scenario::Scenario;
use super::shard::{checked_shard, empty_shards, no_observations_in_shard, no_precision_in_shard};
use super::{Comparison, ComparisonResults};
use crate::engine::Worlds;
use crate::engine::shard::Shard;
use crate::error::{Diagnostic, Error, Result, setting_value};
use crate::experiment::compare::{PairedTally, compare, no_runs};
use crate::output::manifest::Manifest;
use crate::output::partial::{COMPARE_SCHEMA, ComparePartial, PartialScenario, Slice};
use crate::scenario::load::{hex_sha256, load_text};

impl Comparison<'_> {
    /// Run only shard `index` of `count` (from 0) of this comparison of
    /// `R` paired runs: the run indices `[index R / count, (index + 1) R /
    /// count)`, in every scenario. The shards' sums, merged, are exactly
    /// the comparison's. A sharded comparison has a fixed size: no
    /// precision target or observations (docs/SCALING.md says why).
    pub fn shard(self, index: u64, count: u64) -> Result<CompareShardResults> {
        let started_at = SystemTime::now();
        let shard = checked_shard(index, count)?;
        if self.precision.is_some() {
            return Err(no_precision_in_shard());
        }
        if self.given.is_some() {
            return Err(no_observations_in_shard());
        }
        let runs = self.max_runs()?;
        if count > runs {
            return Err(empty_shards(count, runs, "paired runs"));
        }
        let threads = threads_or_every_core(self.shared.threads)?;
        let (seed, worlds) = self.seed_and_worlds(runs)?;
        let studies = self.draw(seed, worlds)?;
        let slice = shard.slice(runs);
        let simulate_start = Instant::now();
        let control = &self.shared.control;
        let tally = compare(
            &studies.iter().collect::<Vec<_>>(),
            seed,
            slice.start,
            slice.end - slice.start,
            threads,
            control.cancel_flag(),
            |n| control.progress(n),
        )
        .map_err(stopped)?;
        let mut manifest = Manifest::start(
            (&self.baseline().loaded).into(),
            seed,
            runs,
            threads,
            started_at,
        );
        manifest.simulated(
            (slice.end - slice.start) * studies.len() as u64,
            simulate_start.elapsed().as_secs_f64(),
        );
        manifest.compared = self.scenarios[1..]
            .iter()
            .map(|s| (&s.loaded).into())
            .collect();
        manifest.runs = runs;
        let partial = ComparePartial {
            schema: COMPARE_SCHEMA.into(),
            scenarios: self
                .scenarios
                .iter()
                .map(|s| PartialScenario::of(&s.loaded))
                .collect(),
            seed,
            runs,
            worlds,
            shard,
            slice: Slice {
                start: slice.start,
                end: slice.end,
            },
            tally,
        };
        Ok(CompareShardResults { partial, manifest })
    }

    /// Whether `dir` holds shard `index` of `count` of this comparison,
    /// complete: its `partial.json` (published only when complete) is of
    /// the same scenarios, seed, runs, worlds and shard (so a rerun of the
    /// array may skip it).
    pub fn shard_done(&self, dir: &Path, index: u64, count: u64) -> Result<bool> {
        let Ok(partial) = parse_partial::<ComparePartial>(&dir.join("partial.json")) else {
            return Ok(false);
        };
        let runs = self.max_runs()?;
        let (seed, worlds) = self.seed_and_worlds(runs)?;
        let shard = Shard { index, count };
        let same_scenarios = partial
            .scenarios
            .iter()
            .map(|s| &s.sha256)
            .eq(self.scenarios.iter().map(|s| &s.loaded.sha256));
        Ok(partial.schema == COMPARE_SCHEMA
            && same_scenarios
            && partial.seed == seed
            && partial.runs == runs
            && partial.worlds == worlds
            && partial.shard == shard
            && partial.slice() == shard.slice(runs))
    }
}

/// What [`Comparison::shard`] returns: the shard's paired integer sums
/// (the contents of `partial.json`) and its manifest.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CompareShardResults {
    pub(crate) partial: ComparePartial,
    /// How the shard was run (`manifest.json`; `runs` is the whole
    /// comparison's).
    pub manifest: Manifest,
}

impl CompareShardResults {
    /// `partial.json`, which [`Merge`](super::Merge) reads.
    pub fn to_json(&self) -> String {
        self.partial.to_json()
    }

    /// The run indices this shard played in every scenario.
    pub fn slice(&self) -> Range<u64> {
        self.partial.slice()
    }

    /// The paired runs of the whole comparison.
    pub fn study_runs(&self) -> u64 {
        self.partial.runs
    }
}

impl Sliced for ComparePartial {
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
            "`compare` with {} and {}",
            setting_value("shard", format!("I/{}", self.shard.count)),
            setting_value("runs", self.runs)
        )
    }
}

/// What [`Merge::compare`](super::Merge::compare) returns: the comparison
/// as one machine gives it, and how its shards made it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CompareMergeResults {
    /// The comparison's table and manifest.
    pub results: ComparisonResults,
    /// The scenarios the shards ran (their copies of the texts), the
    /// baseline first.
    pub scenarios: Vec<Scenario>,
    /// The number of shards merged.
    pub shards: usize,
    /// The comparison's seed.
    pub seed: u64,
}

impl CompareMergeResults {
    /// The scenarios compared, the baseline first, as
    /// [`ComparisonResults::files`] takes them.
    pub fn compared(&self) -> Vec<&Scenario> {
        self.scenarios.iter().collect()
    }
}

/// Read, check and merge the comparison shards in `dirs`.
pub(super) fn merge_comparison(dirs: &[String], partial: bool) -> Result<CompareMergeResults> {
    let started_at = SystemTime::now();
    if partial {
        return Err(no_partial_merge(
            "a comparison's paired differences need every run index",
        ));
    }
    // Read without their sums, which are read again one shard at a time
    // below: memory holds one shard's sums and the total.
    let (mut found, whole) = read_shards(dirs, read_compare_partial)?;
    let Some(whole) = whole else {
        return Err(Error::input(Diagnostic::new("no shards to merge")));
    };
    check_same_comparison(&found)?;
    found.sort_by_key(|f| (f.partial.slice.start, f.partial.slice.end));
    if let Some(missing) = missing_of(&found)? {
        return Err(refuse_missing(describe_missing(&missing, &found)));
    }
    let first = &found[0];
    // Every shard's scenario texts have the same hashes: the first read's.
    let scenarios: Vec<Scenario> = whole
        .scenarios
        .iter()
        .map(|s| Scenario::of_partial(s, &first.dir))
        .collect::<Result<_>>()?;
    drop(whole);
    let compared: Vec<&Scenario> = scenarios.iter().collect();
    let (seed, runs, worlds) = (first.partial.seed, first.partial.runs, first.partial.worlds);
    let studies: Vec<Worlds> = compared
        .iter()
        .map(|s| Worlds::draw(&s.loaded, seed, worlds))
        .collect::<Result<_>>()?;
    let studies: Vec<&Worlds> = studies.iter().collect();
    let mut tally = no_runs(&studies, seed);
    for f in &found {
        let counted = counts_of(f, read_compare_partial)?;
        check_sums(f, &counted, &tally)?;
        tally = tally.checked_sum(&counted).ok_or_else(|| {
            Error::input(corrupted(
                &f.file,
                "tally: its sums overflow when added to the other shards'",
            ))
        })?;
    }
    let ran = Ran {
        tally,
        conditioning: None,
        checked_at: Vec::new(),
    };
    let results = {
        let comparison = Comparison::new(&compared).runs(runs).seed(seed);
        let mut manifest = Manifest::start(
            (&comparison.baseline().loaded).into(),
            seed,
            runs,
            0,
            started_at,
        );
        manifest.merged_from = found.iter().map(|f| f.dir.clone()).collect();
        comparison.results(ran, seed, runs, manifest)
    };
    let shards = found.len();
    Ok(CompareMergeResults {
        results,
        scenarios,
        shards,
        seed,
    })
}

/// Read and check one comparison shard on its own.
fn read_compare_partial(dir: &str) -> Result<Found<ComparePartial>> {
    let path = partial_file(dir);
    let partial: ComparePartial = parse_partial(&path).map_err(|e| other_kind(&path, e))?;
    let file = path.display().to_string();
    if partial.schema != COMPARE_SCHEMA {
        return Err(Error::input(Diagnostic::new(format!(
            "{file}: schema {:?}, expected {COMPARE_SCHEMA:?}",
            partial.schema
        ))));
    }
    if partial.scenarios.len() < 2 {
        return Err(Error::input(corrupted(
            &file,
            format_args!(
                "scenarios has {}, expected two or more",
                partial.scenarios.len()
            ),
        )));
    }
    if let Some(k) = partial
        .scenarios
        .iter()
        .position(|s| hex_sha256(s.text.as_bytes()) != s.sha256)
    {
        return Err(Error::input(corrupted(
            &file,
            format_args!("scenarios[{k}].text does not match scenarios[{k}].sha256"),
        )));
    }
    check_runs_slice(
        &file,
        partial.runs,
        partial.shard,
        &partial.slice,
        partial.tally.runs,
    )?;
    Ok(Found {
        dir: dir.to_string(),
        file,
        partial,
    })
}

impl Counted for ComparePartial {
    type Counts = PairedTally;
    fn take_counts(&mut self) -> PairedTally {
        std::mem::take(&mut self.tally)
    }
    fn texts(&mut self) -> Vec<&mut String> {
        self.scenarios.iter_mut().map(|s| &mut s.text).collect()
    }
}

/// Refuse a shard whose sums (`counted`) are not shaped like `total`'s (the
/// scenarios' metrics, and worlds), or whose worlds do not hold the runs
/// its slice puts in each (run `i` in world `i mod W`).
fn check_sums(f: &Found<ComparePartial>, counted: &PairedTally, total: &PairedTally) -> Result<()> {
    let refuse = |problem: String| Err(Error::input(corrupted(&f.file, problem)));
    let (scenarios, metrics) = (total.sum.len(), total.metrics.len());
    let shaped =
        |table: &[Vec<_>]| table.len() == scenarios && table.iter().all(|row| row.len() == metrics);
    let unsigned = |table: &[Vec<u64>]| {
        table.len() == scenarios && table.iter().all(|row| row.len() == metrics)
    };
    let table_shapes = [
        ("sum", shaped(&counted.sum)),
        ("sum_squares", unsigned(&counted.sum_squares)),
        ("diff", shaped(&counted.diff)),
        ("diff_squares", unsigned(&counted.diff_squares)),
    ];
    if let Some((table, _)) = table_shapes.iter().find(|(_, ok)| !ok) {
        return refuse(format!(
            "tally.{table} is not {scenarios} scenarios of {metrics} metrics"
        ));
    }
    let worlds = total.worlds.len();
    if counted.worlds.len() != worlds {
        return refuse(format!(
            "tally.worlds has {} worlds, expected {worlds}",
            counted.worlds.len()
        ));
    }
    let slice = f.partial.slice();
    for (w, world) in counted.worlds.iter().enumerate() {
        if !shaped(&world.sum) || !shaped(&world.diff) {
            return refuse(format!(
                "tally.worlds[{w}] is not {scenarios} scenarios of {metrics} metrics"
            ));
        }
        let expected = runs_in_world(&slice, w as u64, worlds as u64);
        if world.runs != expected {
            return refuse(format!(
                "tally.worlds[{w}].runs is {}, but runs {}..{} put {expected} runs in world {w}",
                world.runs, slice.start, slice.end
            ));
        }
    }
    Ok(())
}

/// How many of the runs `slice` fall in world `w` of `worlds` (run `i` in
/// world `i mod worlds`).
pub(super) fn runs_in_world(slice: &Range<u64>, w: u64, worlds: u64) -> u64 {
    let before = |end: u64| end / worlds + u64::from(end % worlds > w);
    before(slice.end) - before(slice.start)
}

/// Refuse shards that are not of one comparison: each differing field
/// named.
fn check_same_comparison(found: &[Found<ComparePartial>]) -> Result<()> {
    let describe = |p: &ComparePartial| {
        p.scenarios
            .iter()
            .map(|s| format!("{} (sha256 {:.12}…)", s.name, s.sha256))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sha256s = |p: &ComparePartial| -> Vec<String> {
        p.scenarios.iter().map(|s| s.sha256.clone()).collect()
    };
    check_same(
        found,
        "comparisons",
        "merge only the shards of one comparison (same scenarios in the same order, seed, runs and worlds)",
        |a, b| {
            vec![
                (
                    "scenarios",
                    sha256s(a) != sha256s(b),
                    format!("{} vs {}", describe(a), describe(b)),
                ),
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
                    format!("{} vs {}", a.worlds, b.worlds),
                ),
            ]
        },
    )
}

impl Scenario {
    /// The scenario a shard ran, from its copy of the text (which holds
    /// the `--set` changes, kept on record); `dir` names the shard.
    pub(super) fn of_partial(partial: &PartialScenario, dir: &str) -> Result<Scenario> {
        let mut loaded = load_text(
            partial.spec.as_deref().unwrap_or(&partial.name),
            &format!("partial.json of {dir}"),
            &partial.text,
            &[],
        )?;
        loaded.overrides = partial.overrides.clone();
        Ok(Scenario { loaded })
    }
}

#[cfg(test)]
mod tests {
    use super::runs_in_world;

    #[test]
    fn runs_fall_in_worlds_round_robin() {
        for (start, end, worlds) in [(0u64, 10u64, 3u64), (5, 27, 4), (7, 8, 5), (3, 3, 2)] {
            for w in 0..worlds {
                let counted = (start..end).filter(|i| i % worlds == w).count() as u64;
                assert_eq!(runs_in_world(&(start..end), w, worlds), counted);
            }
        }
    }
}
