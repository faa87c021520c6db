//! `backtest` across machines: a back-test of `C` cases of `R` runs has
//! `C × R` case-runs, case `c`'s run `r` numbered `c R + r`; shard `i` of
//! `n` takes the case-runs `[floor(i C R / n), floor((i + 1) C R / n))` —
//! whole cases, and at its two ends part of a case — and counts each
//! case's probes by world (`partial.json`, docs/OUTPUTS.md). Since a run
//! depends only on its case, seed and index, and counts are integers,
//! `merge` adds each case's counts up to exactly those one machine gets,
//! and scores them with the same code: the same report, byte for byte.

use std::ops::Range;
use std::path::Path;
use std::time::{Instant, SystemTime};

use super::backtest::{Case, case_of, load_cases};
use super::compare_shard::runs_in_world;
use super::design_shard::pieces;
use super::merge::{Found, Sliced, check_same, corrupted};
use super::shard::{checked_shard, empty_shards};
use super::worlds_shard::{SlicedPartial, SlicedShardResults, read_shards};
use super::{Backtest, BacktestResults, Merge};
use crate::engine::outcomes::ProbeCounts;
use crate::engine::shard::Shard;
use crate::error::{Error, Result, setting, setting_value};
use crate::output::partial::{
    BACKTEST_SCHEMA, BacktestPartial, BacktestStudy, CaseCounts, PartialCase, Slice,
};
use crate::scenario::load::{hex_sha256, load_text};

impl Backtest<'_> {
    /// Run only shard `index` of `count` (from 0) of this back-test's
    /// case-runs: every case is loaded and checked, then the shard's slice
    /// counted case by case. The shards' counts, merged, are exactly the
    /// back-test's.
    pub fn shard(self, index: u64, count: u64) -> Result<SlicedShardResults> {
        let started_at = SystemTime::now();
        let shard = checked_shard(index, count)?;
        let (worlds_count, threads) = self.checked()?;
        let cases = load_cases(&self.dir)?;
        let total = self.runs * cases.len() as u64;
        if count > total {
            return Err(empty_shards(count, total, "case-runs"));
        }
        let slice = shard.slice(total);
        let simulate_start = Instant::now();
        let mut counted = Vec::new();
        let mut done = 0;
        for (in_cases, runs) in pieces(&slice, self.runs) {
            for case in in_cases {
                let counts =
                    self.count_case(&cases[case], worlds_count, runs.clone(), threads, done)?;
                counted.push(CaseCounts {
                    case: case as u64,
                    first_run: runs.start,
                    counts,
                });
                done += runs.end - runs.start;
            }
        }
        let partial = BacktestPartial {
            schema: BACKTEST_SCHEMA.into(),
            study: self.study(),
            cases: cases.iter().map(partial_case).collect(),
            shard,
            slice: Slice {
                start: slice.start,
                end: slice.end,
            },
            counts: counted,
        };
        let mut manifest = self.manifest(&cases, threads, started_at);
        manifest.simulated(
            slice.end - slice.start,
            simulate_start.elapsed().as_secs_f64(),
        );
        Ok(SlicedShardResults::new(
            partial.to_json(),
            slice,
            total,
            manifest,
        ))
    }

    /// Whether `dir` holds shard `index` of `count` of this back-test,
    /// complete: its `partial.json` is of the same cases (by their
    /// hashes), runs, seed, worlds and shard.
    pub fn shard_done(&self, dir: &Path, index: u64, count: u64) -> Result<bool> {
        let Ok(partial) = super::merge::parse_partial::<BacktestPartial>(&dir.join("partial.json"))
        else {
            return Ok(false);
        };
        let cases = load_cases(&self.dir)?;
        let shard = Shard { index, count };
        let same_cases = partial
            .cases
            .iter()
            .map(|c| &c.sha256)
            .eq(cases.iter().map(|c| &c.loaded.sha256));
        Ok(partial.schema == BACKTEST_SCHEMA
            && partial.study == self.study()
            && same_cases
            && partial.shard == shard
            && partial.slice() == shard.slice(self.runs * cases.len() as u64))
    }

    /// What this back-test is, as its shards record it.
    fn study(&self) -> BacktestStudy {
        BacktestStudy {
            directory: self.dir.to_string_lossy().to_string(),
            runs_per_case: self.runs,
            seed: self.shared.seed,
            worlds: self.shared.worlds,
        }
    }
}

/// `case` as a shard keeps it.
fn partial_case(case: &Case) -> PartialCase {
    PartialCase {
        file: case.file.to_string_lossy().to_string(),
        sha256: case.loaded.sha256.clone(),
        text: case.loaded.source.text.to_string(),
    }
}

impl Sliced for BacktestPartial {
    fn shard(&self) -> Shard {
        self.shard
    }
    fn slice(&self) -> Range<u64> {
        self.slice.start..self.slice.end
    }
    fn total(&self) -> u64 {
        self.study
            .runs_per_case
            .saturating_mul(self.cases.len() as u64)
    }
    fn rerun(&self) -> String {
        format!(
            "`backtest` with {} and {}",
            setting_value("shard", format!("I/{}", self.shard.count)),
            setting_value("runs", self.study.runs_per_case)
        )
    }
}

impl SlicedPartial for BacktestPartial {
    const SCHEMA: &'static str = BACKTEST_SCHEMA;
    const RUNS_OF: &'static str = "case-";
    fn schema(&self) -> &str {
        &self.schema
    }
    fn check(&self, file: &str) -> Result<()> {
        let refuse = |problem: String| Err(Error::input(corrupted(file, problem)));
        if let Some(k) = self
            .cases
            .iter()
            .position(|c| hex_sha256(c.text.as_bytes()) != c.sha256)
        {
            return refuse(format!("cases[{k}].text does not match cases[{k}].sha256"));
        }
        let total = self.total();
        if self.cases.is_empty() || self.study.runs_per_case == 0 {
            return refuse("expected at least one case and one run per case".into());
        }
        let Shard { index, count } = self.shard;
        let expected = self.shard.slice(total);
        if count == 0 || index >= count || expected != self.slice() || expected.is_empty() {
            return refuse(format!(
                "slice is {}..{}, but shard {index}/{count} of {total} case-runs covers {}..{}",
                self.slice.start, self.slice.end, expected.start, expected.end
            ));
        }
        let expected: Vec<(u64, Range<u64>)> = pieces(&expected, self.study.runs_per_case)
            .into_iter()
            .flat_map(|(cases, runs)| cases.map(move |c| (c as u64, runs.clone())))
            .collect();
        let found: Vec<(u64, Range<u64>)> = self
            .counts
            .iter()
            .map(|c| {
                let runs: u64 = c.counts.runs.iter().sum();
                (c.case, c.first_run..c.first_run.saturating_add(runs))
            })
            .collect();
        if found != expected {
            return refuse(format!(
                "counts does not count the runs of the slice: expected {} cases, each the runs its slice holds",
                expected.len()
            ));
        }
        Ok(())
    }
}

/// What [`Merge::backtest`] returns: the back-test as one machine scores
/// it, and how its shards made it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BacktestMergeResults {
    /// The report and the merged manifest.
    pub results: BacktestResults,
    /// The number of shards merged.
    pub shards: usize,
    pub(super) study: BacktestStudy,
}

impl BacktestMergeResults {
    /// The back-test the shards made up (for its output directory and
    /// the command its page says reproduces it).
    pub(crate) fn backtest(&self) -> Backtest<'static> {
        backtest_of(&self.study)
    }
}

/// The back-test `study` records.
fn backtest_of(study: &BacktestStudy) -> Backtest<'static> {
    Backtest::new(&study.directory)
        .runs(study.runs_per_case)
        .seed(study.seed)
        .worlds(study.worlds)
}

impl Merge {
    /// Read, check and add up the shards of `backtest`: each case's
    /// counts, scored as one machine scores them, byte for byte. The
    /// scores need every case's runs: [`Merge::partial`] is refused.
    pub fn backtest(self) -> Result<BacktestMergeResults> {
        let started_at = SystemTime::now();
        let found: Vec<Found<BacktestPartial>> = read_shards(
            self.dirs(),
            self.wants_partial(),
            "a back-test scores every case on all its runs",
            check_same_backtest,
        )?;
        let first = &found[0];
        let study = first.partial.study.clone();
        let origin = format!("partial.json of {}", first.dir);
        let cases: Vec<Case> = first
            .partial
            .cases
            .iter()
            .map(|c| {
                case_of(
                    Path::new(&c.file),
                    load_text(&c.file, &origin, &c.text, &[])?,
                )
            })
            .collect::<Result<_>>()?;
        let merged = backtest_of(&study);
        let (worlds_count, _) = merged.checked()?;
        let mut counted: Vec<ProbeCounts> = cases
            .iter()
            .map(|c| ProbeCounts::new(c.probes().len(), worlds_count as usize))
            .collect();
        for f in &found {
            for piece in &f.partial.counts {
                let case = &cases[piece.case as usize];
                check_case_counts(&f.file, piece, case.probes().len(), worlds_count)?;
                counted[piece.case as usize].merge(&piece.counts);
            }
        }
        let mut manifest = merged.manifest(&cases, 0, started_at);
        manifest.merged_from = found.iter().map(|f| f.dir.clone()).collect();
        let results = merged.results(&cases, &counted, worlds_count, manifest);
        Ok(BacktestMergeResults {
            results,
            shards: found.len(),
            study,
        })
    }
}

/// Refuse a case's counts that are not of its probes and worlds, or whose
/// worlds do not hold the runs the piece puts in each (run `i` in world
/// `i mod W`), or with more hits than runs.
fn check_case_counts(file: &str, piece: &CaseCounts, probes: usize, worlds: u64) -> Result<()> {
    let refuse = |problem: String| Err(Error::input(corrupted(file, problem)));
    let counts = &piece.counts;
    let shaped = counts.runs.len() as u64 == worlds
        && counts.hits.len() == probes
        && counts.hits.iter().all(|h| h.len() as u64 == worlds);
    if !shaped {
        return refuse(format!(
            "counts of case {} are not {probes} outcomes in {worlds} worlds",
            piece.case
        ));
    }
    let runs = piece.first_run..piece.first_run + counts.runs.iter().sum::<u64>();
    for (w, &n) in counts.runs.iter().enumerate() {
        let expected = runs_in_world(&runs, w as u64, worlds);
        if n != expected {
            return refuse(format!(
                "counts of case {}: world {w} has {n} runs, but runs {}..{} put {expected} in it",
                piece.case, runs.start, runs.end
            ));
        }
        if let Some(k) = counts.hits.iter().position(|h| h[w] > n) {
            return refuse(format!(
                "counts of case {}: outcome {k} happened in more runs of world {w} than it has",
                piece.case
            ));
        }
    }
    Ok(())
}

/// Refuse `backtest` shards that are not of one back-test: each differing
/// field named.
fn check_same_backtest(found: &[Found<BacktestPartial>]) -> Result<()> {
    let describe = |p: &BacktestPartial| {
        p.cases
            .iter()
            .map(|c| format!("{} (sha256 {:.12}…)", c.file, c.sha256))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let hashes =
        |p: &BacktestPartial| -> Vec<String> { p.cases.iter().map(|c| c.sha256.clone()).collect() };
    check_same(
        found,
        "back-tests",
        &format!(
            "merge only the shards of one back-test (same cases, {}, {} and {})",
            setting("runs"),
            setting("seed"),
            setting("worlds")
        ),
        |a, b| {
            let (x, y) = (&a.study, &b.study);
            vec![
                (
                    "cases",
                    hashes(a) != hashes(b),
                    format!("{} vs {}", describe(a), describe(b)),
                ),
                (
                    "directory",
                    x.directory != y.directory,
                    format!("{} vs {}", x.directory, y.directory),
                ),
                (
                    "runs per case",
                    x.runs_per_case != y.runs_per_case,
                    format!("{} vs {}", x.runs_per_case, y.runs_per_case),
                ),
                (
                    "seed",
                    x.seed != y.seed,
                    format!("{:?} vs {:?}", x.seed, y.seed),
                ),
                (
                    "worlds",
                    x.worlds != y.worlds,
                    format!("{:?} vs {:?}", x.worlds, y.worlds),
                ),
            ]
        },
    )
}
