//! `backchannel backtest DIR`: every case of DIR run with its judged inputs
//! and scored against its `[record]` (docs/BACKTEST.md); `--shard I/N`
//! counts one slice of the case-runs for `merge`.

use std::time::Instant;

use super::BacktestArgs;
use super::common::{finish, with_progress};
use super::shard::run_sliced_shard;
use crate::interrupt::{STOP, WATCH};
use backchannel::Result;
use backchannel::{Backtest, parse_shard};

pub fn run(args: BacktestArgs) -> Result<()> {
    let started = Instant::now();
    let backtest = Backtest::new(&args.dir)
        .runs(args.runs)
        .seed(args.study.seed)
        .threads(args.study.threads)
        .worlds(args.study.worlds)
        .cancel_and_watch(&STOP, &WATCH);
    // Every case is loaded and checked before anything is run or written.
    let cases = backtest.check()?;
    let total = args.runs * cases as u64;
    if let Some(shard) = &args.shard {
        let shard = parse_shard(shard, |v| std::env::var(v).ok())?;
        let (index, count) = (shard.index, shard.count);
        let out = backtest
            .shard_output(index, count, &args.study.output_options())?
            .timed_from(started);
        let done = backtest.shard_done(out.path(), index, count)?;
        return run_sliced_shard(out, shard, (total, "case-runs"), done, &args.study, |bar| {
            backtest
                .on_progress(|done| bar.set_position(done))
                .shard(index, count)
        });
    }
    let out = backtest.output(&args.study.output_options())?;
    let command = backtest.command();
    let results = with_progress(total, "runs", args.study.quiet, |bar| {
        backtest.on_progress(|done| bar.set_position(done)).run()
    })?;
    let files = results.files(command);
    finish(out, files, &args.study, started, || {
        results.report.render_text()
    })
}
