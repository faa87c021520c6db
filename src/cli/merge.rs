//! `backchannel merge DIR... --out DIR`: add up the shards of a study
//! ([`Merge`] reads and checks them) and publish it exactly as a single
//! `run` would (same summary.json, byte for byte, plots and report);
//! `--partial` merges what is there.

use std::path::PathBuf;
use std::time::Instant;

use super::MergeArgs;
use super::common::{output_dir, results_line};
use crate::engine::worlds::DEFAULT_WORLDS;
use crate::error::Result;
use crate::output::study_key::StudyKey;
use crate::output::text;
use crate::report::publish::publish;
use crate::study::Merge;

pub fn run(args: MergeArgs) -> Result<()> {
    let started = Instant::now();
    let mut merged = Merge::new(args.dirs.as_slice()).partial(args.partial).run()?;
    let scenario = &merged.scenario;
    let spec = scenario.loaded.spec.clone();
    let (default_seed, _) = scenario.default_seed_and_runs();
    let key = StudyKey::new("run", &[&spec])
        .with_sets(&scenario.loaded.overrides)
        .with_seed(merged.seed, default_seed)
        .with_worlds(
            (merged.worlds != DEFAULT_WORLDS).then_some(merged.worlds),
            merged.worlds > 0,
        );
    let shards: Vec<PathBuf> = args.dirs.iter().map(PathBuf::from).collect();
    let out = output_dir(
        args.out.as_deref(),
        scenario.name(),
        &key,
        args.replace,
        &shards,
    )?;
    let results = &mut merged.study;
    results.plots = !args.no_plots;
    let committed = publish(out, results, &[], started)?;
    if !args.quiet {
        print!("{}", text::render(&results.summary));
        let runs = merged.runs;
        match &merged.missing {
            Some(note) => println!(
                "\n  PARTIAL MERGE: {} of {runs} runs from {} shards; missing {note}",
                results.summary.runs, merged.shards
            ),
            None => println!("\n  Merged {} shards: all {runs} runs", merged.shards),
        }
        println!("{}", results_line(&committed));
    }
    Ok(())
}
