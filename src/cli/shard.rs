//! `run --shard I/N`: run one contiguous slice of a study and write its
//! integer counts (`partial.json`) for `merge`. The shard index may come
//! from the cluster: `--shard auto/N` reads `SLURM_ARRAY_TASK_ID` (SLURM job
//! arrays) or `JOB_COMPLETION_INDEX` (Kubernetes Indexed Jobs).

use std::time::Instant;

use super::RunArgs;
use super::common::{input_files, with_progress};
use crate::engine::shard::Shard;
use crate::error::Result;
use crate::output::study_key::StudyKey;
use crate::study::{Scenario, Study, bad_shard, checked_shard};

/// Environment variables that carry a shard index, in the order tried.
pub const INDEX_VARIABLES: [&str; 2] = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

/// Parse `I/N` or `auto/N`, reading the environment for `auto`.
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
                    "--shard auto needs {} or {} in the environment",
                    INDEX_VARIABLES[0], INDEX_VARIABLES[1]
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

/// Run `shard` of `study` (set up by `run`'s flags) and write its
/// `partial.json` and manifest.
pub fn run_shard(study: Study, scenario: &Scenario, shard: Shard, args: &RunArgs) -> Result<()> {
    let started = Instant::now();
    let Shard { index, count } = shard;
    let runs = study.max_runs()?;
    let spec = scenario.loaded.spec.as_str();
    let (default_seed, _) = scenario.default_seed_and_runs();
    let key = StudyKey::new("run", &[spec])
        .with_sets(&args.set)
        .with_seed(args.study.seed.unwrap_or(default_seed), default_seed)
        .with_worlds(args.study.worlds, !scenario.judged_keys().is_empty())
        .with(
            "shard",
            format!("{index}/{count}"),
            format!("{index}-of-{count}"),
        );
    let out = args
        .study
        .output(scenario.name(), &key, &input_files([spec], None))?;
    let slice = shard.slice(runs);
    let results = with_progress(slice.end - slice.start, "runs", args.study.quiet, |bar| {
        study
            .on_progress(|done| bar.set_position(done))
            .shard(index, count)
    })?;
    out.write("partial.json", results.to_json().as_bytes())?;
    let mut manifest = results.manifest.clone();
    manifest.files = vec!["partial.json".into(), "manifest.json".into()];
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    out.write_manifest(&mut manifest)?;
    let committed = out.commit()?;
    if !args.study.quiet {
        if let Some(note) = committed.replaced_note() {
            println!("{note}");
        }
        println!(
            "shard {index} of {count}: runs {}..{} of {runs} written to {}/partial.json; merge all shards with `backchannel merge DIR... --out DIR`",
            slice.start,
            slice.end,
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
