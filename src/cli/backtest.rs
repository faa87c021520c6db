//! `backchannel backtest DIR`: every case of DIR run with its judged inputs
//! and scored against its `[record]` (docs/BACKTEST.md).

use std::time::Instant;

use super::BacktestArgs;
use super::common::{finish, with_progress};
use crate::interrupt::{STOP, WATCH};
use backchannel::Backtest;
use backchannel::Result;

pub fn run(args: BacktestArgs) -> Result<()> {
    args.no_shard.refuse(
        "backtest",
        "no partial result carries a share of its cases yet",
    )?;
    let started = Instant::now();
    let backtest = Backtest::new(&args.dir)
        .runs(args.runs)
        .seed(args.study.seed)
        .threads(args.study.threads)
        .worlds(args.study.worlds)
        .cancel_and_watch(&STOP, &WATCH);
    // Every case is loaded and checked before anything is run or written.
    let cases = backtest.check()?;
    let out = backtest.output(&args.study.output_options())?;
    let total = args.runs * cases as u64;
    let command = backtest.command();
    let results = with_progress(total, "runs", args.study.quiet, |bar| {
        backtest.on_progress(|done| bar.set_position(done)).run()
    })?;
    let files = results.files(command);
    finish(out, files, &args.study, started, || {
        results.report.render_text()
    })
}
