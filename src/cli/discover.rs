//! `backchannel discover SCENARIO --outcome KEY`: scenario discovery over
//! the judged inputs ([`Discovery`] runs it; this file writes and prints
//! what it found); `--shard I/N` counts one slice of the runs over the
//! worlds for `merge`, which searches them.

use std::time::Instant;

use super::DiscoverArgs;
use super::common::{finish, load_inputs, with_progress};
use super::shard::run_sliced_shard;
use crate::interrupt::{STOP, WATCH};
use backchannel::error::Result;
use backchannel::{Discovery, parse_shard};

pub fn run(args: DiscoverArgs) -> Result<()> {
    let started = Instant::now();
    let (_, scenario, _) = load_inputs(&args.scenario, &args.set, None)?;
    let study = Discovery::new(&scenario, &args.outcome)
        .threshold(args.threshold)
        .below(args.below)
        .case(args.case)
        .step(args.step)
        .paste(args.paste)
        .keep_all(args.keep_all)
        .sampling(args.sampling.into())
        .runs(args.runs)
        .seed(args.study.seed)
        .threads(args.study.threads()?)
        .worlds(args.study.worlds)
        .cancel_and_watch(&STOP, &WATCH);
    let runs = study.worlds_and_runs()?.runs;
    if let Some(shard) = &args.shard {
        let shard = parse_shard(shard, |v| std::env::var(v).ok())?;
        let (index, count) = (shard.index, shard.count);
        let out = study
            .shard_output(index, count, &args.study.output_options())?
            .timed_from(started);
        let done = study.shard_done(out.path(), index, count)?;
        return run_sliced_shard(out, shard, (runs, "runs"), done, &args.study, |bar| {
            study
                .on_progress(|done| bar.set_position(done))
                .shard(index, count)
        });
    }
    let out = study.output(&args.study.output_options())?;
    let results = with_progress(runs, "runs", args.study.quiet, |bar| {
        study.on_progress(|done| bar.set_position(done)).run()
    })?;
    let files = results.files(&scenario);
    finish(out, files, &args.study, started, || {
        results.text().to_string()
    })
}
