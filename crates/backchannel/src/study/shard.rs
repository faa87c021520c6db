//! One shard of a study: a contiguous slice of its runs, counted to be
//! merged with the other shards into exactly the study (`partial.json`,
//! docs/OUTPUTS.md; [`Merge`](super::Merge) adds them up).

use std::ops::Range;
use std::time::{Instant, SystemTime};

use super::checks::{WorldsUse, threads_or_every_core, worlds_for_runs};
use super::control::stopped;
use super::merge::parse_partial;
use super::run::Study;
use super::run::check_runs_csv_size;
use crate::engine::shard::Shard;
use crate::engine::{Labels, StudyOptions, Worlds, run_study};
use crate::error::{Diagnostic, Error, Result, setting, setting_value};
use crate::output::manifest::Manifest;
use crate::output::partial::{self, Partial, PartialScenario, Slice};
use crate::output::runs_csv::RunsCsv;

/// A shard that cannot be: `message`, with how shards are named.
fn bad_shard(message: String) -> Error {
    Error::input(Diagnostic::new(message).setting("shard").help(format!(
        "e.g. {} (shards count from 0), or {} in a SLURM array or Kubernetes Indexed Job",
        setting_value("shard", "0/8"),
        setting_value("shard", "auto/8")
    )))
}

/// Shard `index` of `count`, checked: shards count from 0.
pub(super) fn checked_shard(index: u64, count: u64) -> Result<Shard> {
    if count == 0 {
        return Err(bad_shard("the number of shards must be at least 1".into()));
    }
    if index >= count {
        return Err(bad_shard(format!(
            "shard index {index} is out of range: shards of {count} are numbered 0 to {}",
            count - 1
        )));
    }
    Ok(Shard { index, count })
}

/// Environment variables that carry a shard index, in the order tried.
const INDEX_VARIABLES: [&str; 2] = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

/// Parse `--shard I/N`, or `auto/N` with the index read by `env` from
/// the cluster's variable (SLURM job arrays, Kubernetes Indexed Jobs).
pub fn parse_shard(arg: &str, env: impl Fn(&str) -> Option<String>) -> Result<Shard> {
    let Some((index, count)) = arg.split_once('/') else {
        return Err(bad_shard(format!("expected I/N, found {arg:?}")));
    };
    let count: u64 = count.trim().parse().map_err(|_| {
        bad_shard(format!(
            "expected a number of shards after '/', found {count:?}"
        ))
    })?;
    let index: u64 = if index.trim() == "auto" {
        let (variable, value) = INDEX_VARIABLES
            .iter()
            .find_map(|v| env(v).map(|value| (*v, value)))
            .ok_or_else(|| {
                bad_shard(format!(
                    "{} needs {} or {} in the environment",
                    setting_value("shard", "auto"),
                    INDEX_VARIABLES[0],
                    INDEX_VARIABLES[1]
                ))
            })?;
        value
            .trim()
            .parse()
            .map_err(|_| bad_shard(format!("{variable}={value:?} is not a shard index")))?
    } else {
        index.trim().parse().map_err(|_| {
            bad_shard(format!(
                "expected a shard index before '/', found {index:?}"
            ))
        })?
    };
    checked_shard(index, count)
}

/// `count` shards of a study of `total` units of work (`what`): some would
/// hold none, and `merge` refuses empty shards.
pub(super) fn empty_shards(count: u64, total: u64, what: &str) -> Error {
    Error::input(
        Diagnostic::new(format!(
            "{count} shards of a study of {total} {what} would leave some shards empty"
        ))
        .setting("shard")
        .help(format!(
            "use at most {total} shards, or more {}",
            setting("runs")
        )),
    )
}

/// A shard cannot run to a precision target: why, and what to do.
pub(super) fn no_precision_in_shard() -> Error {
    Error::input(
        Diagnostic::new("a shard cannot run to a precision target: the target decides how many runs to make from the runs made so far, and a shard must know its slice before it starts")
            .setting("shard")
            .help(format!(
                "run a pilot with {} on one machine, then shard the runs it reached (manifest.json's precision.runs) with {}",
                setting("precision"),
                setting("runs")
            )),
    )
}

/// A shard cannot be conditioned on observations: why, and what to do.
pub(super) fn no_observations_in_shard() -> Error {
    Error::input(
        Diagnostic::new(format!("a shard cannot be conditioned on observations: {} then counts the runs consistent with them, found by scanning runs in order, so a shard cannot know where its share starts without the shards before it", setting("runs")))
            .setting("shard")
            .help(format!(
                "run the conditional forecast on one machine, on every core (without {})",
                setting("shard")
            )),
    )
}

impl Study<'_> {
    /// Run only shard `index` of `count` (from 0): runs
    /// `[index R / count, (index + 1) R / count)` of this study of `R`
    /// runs. The shards' results, merged, are exactly the study's. A
    /// sharded study has a fixed size: no precision target or
    /// observations (docs/SCALING.md says why). With
    /// [`runs_csv`](Study::runs_csv), the slice's rows are written there
    /// (with the header), for `merge` to put together.
    pub fn shard(mut self, index: u64, count: u64) -> Result<ShardResults> {
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
            return Err(empty_shards(count, runs, "runs"));
        }
        let loaded = &self.scenario.loaded;
        let threads = threads_or_every_core(self.shared.threads)?;
        let seed = self.shared.seed.unwrap_or(loaded.scenario.scenario.seed);
        let count = worlds_for_runs(
            self.shared.worlds,
            runs,
            !loaded.judged.is_empty(),
            WorldsUse::Spread,
        )?;
        let worlds = Worlds::draw(loaded, seed, count)?;
        let slice = shard.slice(runs);
        let options = StudyOptions {
            seed,
            first_run: slice.start,
            runs: slice.end - slice.start,
            threads,
            keep_records: false,
        };
        let simulate_start = Instant::now();
        let tally = match self.runs_csv.take() {
            None => self.shared.control.count_runs(&worlds, &options)?,
            Some(out) => {
                check_runs_csv_size(worlds.shape(), options.runs)?;
                let mut csv = RunsCsv::new(&Labels::of(worlds.shape()), &worlds, out)
                    .map_err(|e| Error::failed("cannot write runs.csv", e))?;
                let options = StudyOptions {
                    keep_records: true,
                    ..options
                };
                let control = &self.shared.control;
                let tally = run_study(&worlds, &options, control.cancel_flag(), |done, records| {
                    control.progress(done);
                    csv.write(records)
                })
                .map_err(stopped)?;
                csv.finish()
                    .map_err(|e| Error::failed("cannot write runs.csv", e))?;
                tally
            }
        };
        let mut manifest = Manifest::start(loaded.into(), seed, runs, threads, started_at);
        manifest.simulated(
            slice.end - slice.start,
            simulate_start.elapsed().as_secs_f64(),
        );
        manifest.runs = runs;
        let partial = Partial {
            schema: partial::SCHEMA.into(),
            scenario: PartialScenario {
                name: loaded.scenario.scenario.name.clone(),
                sha256: loaded.sha256.clone(),
                text: loaded.source.text.to_string(),
                spec: Some(loaded.spec.clone()),
                overrides: loaded.overrides.clone(),
            },
            seed,
            runs,
            shard,
            slice: Slice {
                start: slice.start,
                end: slice.end,
            },
            tally,
        };
        Ok(ShardResults { partial, manifest })
    }
}

impl Study<'_> {
    /// Whether `dir` holds shard `index` of `count` of this study,
    /// complete: its `partial.json` (published only when complete) is of
    /// the same scenario, seed, runs, worlds and shard (so a rerun of the
    /// array may skip it).
    pub fn shard_done(&self, dir: &std::path::Path, index: u64, count: u64) -> Result<bool> {
        let Ok(partial) = parse_partial::<Partial>(&dir.join("partial.json")) else {
            return Ok(false);
        };
        let loaded = &self.scenario.loaded;
        let runs = self.max_runs()?;
        let worlds = if loaded.judged.is_empty() {
            0
        } else {
            worlds_for_runs(self.shared.worlds, runs, true, WorldsUse::Spread)?
        };
        let seed = self.shared.seed.unwrap_or(loaded.scenario.scenario.seed);
        let shard = Shard { index, count };
        Ok(partial.schema == partial::SCHEMA
            && partial.scenario.sha256 == loaded.sha256
            && partial.seed == seed
            && partial.runs == runs
            && partial.shard == shard
            && (partial.slice.start..partial.slice.end) == shard.slice(runs)
            && partial.tally.worlds.len() as u64 == worlds)
    }
}

/// What [`Study::shard`] returns: the shard's integer counts (the contents
/// of `partial.json`) and its manifest.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ShardResults {
    pub(crate) partial: Partial,
    /// How the shard was run (`manifest.json`; `runs` is the whole study's).
    pub manifest: Manifest,
}

impl ShardResults {
    /// `partial.json`, which [`Merge`](super::Merge) reads.
    pub fn to_json(&self) -> String {
        self.partial.to_json()
    }

    /// The run indices this shard counted.
    pub fn slice(&self) -> Range<u64> {
        self.partial.slice.start..self.partial.slice.end
    }

    /// The runs of the whole study.
    pub fn study_runs(&self) -> u64 {
        self.partial.runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn parses_explicit_and_cluster_indices() {
        assert_eq!(
            parse_shard("2/7", no_env).unwrap(),
            Shard { index: 2, count: 7 }
        );
        let slurm = |v: &str| (v == "SLURM_ARRAY_TASK_ID").then(|| "3".to_string());
        assert_eq!(
            parse_shard("auto/4", slurm).unwrap(),
            Shard { index: 3, count: 4 }
        );
        let k8s = |v: &str| (v == "JOB_COMPLETION_INDEX").then(|| "0".to_string());
        assert_eq!(
            parse_shard("auto/4", k8s).unwrap(),
            Shard { index: 0, count: 4 }
        );
    }

    #[test]
    fn refuses_bad_shards() {
        for bad in ["3", "4/4", "1/0", "x/3", "1/x", "auto/3"] {
            assert!(parse_shard(bad, no_env).is_err(), "{bad}");
        }
        let junk = |_: &str| Some("seven".to_string());
        assert!(parse_shard("auto/3", junk).is_err());
    }
}
