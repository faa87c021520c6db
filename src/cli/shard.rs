//! `run --shard I/N`: run one contiguous slice of a study and write its
//! integer counts (`partial.json`) for `merge`. The shard index may come
//! from the cluster: `--shard auto/N` reads `SLURM_ARRAY_TASK_ID` (SLURM job
//! arrays) or `JOB_COMPLETION_INDEX` (Kubernetes Indexed Jobs).

use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use super::common::{input_files, output_dir, progress_bar, run_counting};
use crate::engine::StudyOptions;
use crate::engine::Worlds;
use crate::engine::shard::Shard;
use crate::error::{Diagnostic, Error, Result};
use crate::output::manifest::Manifest;
use crate::output::partial::{self, Partial, PartialScenario, Slice};
use crate::output::study_key::StudyKey;
use crate::scenario::LoadedScenario;

/// Environment variables that carry a shard index, in the order tried.
pub const INDEX_VARIABLES: [&str; 2] = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

/// Parse `I/N` or `auto/N`, reading the environment for `auto`.
pub fn parse_shard(arg: &str, env: impl Fn(&str) -> Option<String>) -> Result<Shard> {
    let bad = |message: String| {
        Error::input(Diagnostic::new(message).key("--shard").help("e.g. --shard 0/8 (shards count from 0), or --shard auto/8 in a SLURM array or Kubernetes Indexed Job"))
    };
    let Some((index, count)) = arg.split_once('/') else {
        return Err(bad(format!("expected I/N, found {arg:?}")));
    };
    let count: u64 = count.trim().parse().map_err(|_| {
        bad(format!(
            "expected a number of shards after '/', found {count:?}"
        ))
    })?;
    if count == 0 {
        return Err(bad("the number of shards must be at least 1".into()));
    }
    let index: u64 = if index.trim() == "auto" {
        let (variable, value) = INDEX_VARIABLES
            .iter()
            .find_map(|v| env(v).map(|value| (*v, value)))
            .ok_or_else(|| {
                bad(format!(
                    "--shard auto needs {} or {} in the environment",
                    INDEX_VARIABLES[0], INDEX_VARIABLES[1]
                ))
            })?;
        value
            .trim()
            .parse()
            .map_err(|_| bad(format!("{variable}={value:?} is not a shard index")))?
    } else {
        index.trim().parse().map_err(|_| {
            bad(format!(
                "expected a shard index before '/', found {index:?}"
            ))
        })?
    };
    if index >= count {
        return Err(bad(format!(
            "shard index {index} is out of range: shards of {count} are numbered 0 to {}",
            count - 1
        )));
    }
    Ok(Shard { index, count })
}

/// What a shard run needs from `run`.
pub struct ShardRun<'a> {
    pub loaded: &'a LoadedScenario,
    pub shard: Shard,
    pub seed: u64,
    pub runs: u64,
    pub threads: usize,
    /// Worlds to draw when the scenario has judged inputs.
    pub worlds: u64,
    /// Whether `--worlds` was given (it then names the study).
    pub worlds_given: Option<u64>,
    pub out: Option<PathBuf>,
    /// `--replace`.
    pub replace: bool,
    pub quiet: bool,
}

pub fn run_shard(job: ShardRun) -> Result<()> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let meta = &job.loaded.scenario.scenario;
    let Shard { index, count } = job.shard;
    if count > job.runs {
        // Some shards would hold no runs, and `merge` refuses empty shards.
        return Err(Error::input(
            Diagnostic::new(format!(
                "{count} shards of a study of {} runs would leave some shards empty",
                job.runs
            ))
            .key("--shard")
            .help(format!("use at most {} shards, or more --runs", job.runs)),
        ));
    }
    let worlds = Worlds::draw(job.loaded, job.seed, job.worlds)?;
    let slice = job.shard.slice(job.runs);
    let spec = job.loaded.spec.as_str();
    let study = StudyKey::new("run", &[spec])
        .with_sets(&job.loaded.overrides)
        .with_seed(job.seed, meta.seed)
        .with_worlds(job.worlds_given, worlds.is_uncertain())
        .with(
            "shard",
            format!("{index}/{count}"),
            format!("{index}-of-{count}"),
        );
    let out = output_dir(
        job.out.as_deref(),
        &meta.name,
        &study,
        job.replace,
        &input_files([spec], None),
    )?;
    let progress = progress_bar(slice.end - slice.start, "runs", job.quiet);
    let simulate_start = Instant::now();
    let options = StudyOptions {
        seed: job.seed,
        first_run: slice.start,
        runs: slice.end - slice.start,
        threads: job.threads,
        keep_records: false,
    };
    let tally = run_counting(&worlds, &options, &progress)?;
    let simulate_seconds = simulate_start.elapsed().as_secs_f64();
    progress.finish_and_clear();
    let partial = Partial {
        schema: partial::SCHEMA.into(),
        scenario: PartialScenario {
            name: meta.name.clone(),
            sha256: job.loaded.sha256.clone(),
            text: job.loaded.source.text.to_string(),
            spec: Some(job.loaded.spec.clone()),
            overrides: job.loaded.overrides.clone(),
        },
        seed: job.seed,
        runs: job.runs,
        shard: job.shard,
        slice: Slice {
            start: slice.start,
            end: slice.end,
        },
        tally,
    };
    out.write("partial.json", partial.to_json().as_bytes())?;
    let mut manifest = Manifest::start(
        job.loaded.into(),
        job.seed,
        job.runs,
        job.threads,
        started_at,
    );
    manifest.simulated(slice.end - slice.start, simulate_seconds);
    manifest.runs = job.runs;
    manifest.files = vec!["partial.json".into(), "manifest.json".into()];
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    out.write_manifest(&mut manifest)?;
    let committed = out.commit()?;
    if !job.quiet {
        if let Some(note) = committed.replaced_note() {
            println!("{note}");
        }
        println!(
            "shard {index} of {count}: runs {}..{} of {} written to {}/partial.json; merge all shards with `backchannel merge DIR... --out DIR`",
            slice.start,
            slice.end,
            job.runs,
            committed.path.display()
        );
    }
    Ok(())
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
