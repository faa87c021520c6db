//! `backchannel indicators SCENARIO --at ROUND`: which news at that round
//! would move the forecast most — a ranked "what to watch" list
//! ([`Indicators`] counts them; this file writes and prints them);
//! `--shard I/N` counts one slice of the runs for `merge`.

use std::time::Instant;

use super::IndicatorsArgs;
use super::common::{finish, load_inputs, with_progress};
use super::shard::run_sliced_shard;
use crate::interrupt::{STOP, WATCH};
use backchannel::Result;
use backchannel::{INDICATORS_SHOWN, Indicators, parse_shard};

pub fn run(args: IndicatorsArgs) -> Result<()> {
    let started = Instant::now();
    let (_, scenario, given) = load_inputs(&args.scenario, &args.set, args.given.as_deref())?;
    let study = Indicators::new(&scenario, args.at)
        .runs(args.runs)
        .seed(args.study.seed)
        .threads(args.study.threads()?)
        .worlds(args.study.worlds)
        .given(given.as_ref())
        .cancel_and_watch(&STOP, &WATCH);
    let runs = study.runs_counted()?;
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
    let files = results.files(&scenario, given.as_ref());
    finish(out, files, &args.study, started, || {
        results.text(INDICATORS_SHOWN)
    })
}
