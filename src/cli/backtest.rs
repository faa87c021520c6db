//! `backchannel backtest DIR`: every case of DIR run with its judged inputs
//! and scored against its `[record]` (docs/BACKTEST.md).

use std::time::Instant;

use super::BacktestArgs;
use super::common::{finish, with_progress};
use crate::interrupt::{STOP, WATCH};
use backchannel::Backtest;
use backchannel::error::Result;
use backchannel::text::shell_word;

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
    let out = backtest.output(&args.study.output_options())?;
    let total = args.runs * cases as u64;
    let results = with_progress(total, "runs", args.study.quiet, |bar| {
        backtest.on_progress(|done| bar.set_position(done)).run()
    })?;
    let mut words = vec![
        "backchannel".to_string(),
        "backtest".into(),
        shell_word(&args.dir.to_string_lossy()),
        "--runs".into(),
        args.runs.to_string(),
    ];
    if let Some(seed) = args.study.seed {
        words.extend(["--seed".into(), seed.to_string()]);
    }
    if let Some(worlds) = args.study.worlds {
        words.extend(["--worlds".into(), worlds.to_string()]);
    }
    let files = results.files(words.join(" "));
    finish(out, files, &args.study, started, || {
        results.report.render_text()
    })
}
