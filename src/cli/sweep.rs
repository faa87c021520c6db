//! `backchannel sweep SCENARIO --vary KEY=LO..HI:STEPS [--vary ...]`: the
//! headline outcomes over a line (one key) or a grid (two keys) of values,
//! every point on the same seed.

use std::time::Instant;

use super::SweepArgs;
use super::common::{finish, load_inputs};
use super::points::{point_progress, show_points};
use super::shard::run_design_shard;
use crate::interrupt::{STOP, WATCH};
use backchannel::Result;
use backchannel::{Sweep, parse_shard};

pub fn run(args: SweepArgs) -> Result<()> {
    let started = Instant::now();
    let (_, base, _) = load_inputs(&args.scenario, &args.set, None)?;
    let runs = args.runs.unwrap_or(base.default_runs());
    let mut sweep = Sweep::new(&base)
        .runs(runs)
        .seed(args.study.seed)
        .threads(args.study.threads)
        .worlds(args.study.worlds)
        .cancel_and_watch(&STOP, &WATCH);
    for vary in &args.vary {
        sweep = sweep.vary(vary);
    }
    if let Some(shard) = &args.shard {
        let shard = parse_shard(shard, |v| std::env::var(v).ok())?;
        let (index, count) = (shard.index, shard.count);
        let out = sweep
            .shard_output(index, count, &args.study.output_options())?
            .timed_from(started);
        let done = sweep.shard_done(out.path(), index, count)?;
        let point_runs = sweep.point_runs()?;
        return run_design_shard(out, shard, point_runs, done, &args.study, |bar| {
            sweep
                .on_progress(|done| bar.set_position(done))
                .shard(index, count)
        });
    }
    let total_runs = sweep.check()?;
    let out = sweep.output(&args.study.output_options())?;
    let progress = point_progress(total_runs, runs, args.study.quiet);
    let results = sweep
        .on_progress(|done| show_points(&progress, done, runs))
        .run()?;
    progress.finish_and_clear();
    let files = results.files(&base, &args.vary);
    finish(out, files, &args.study, started, || {
        results.table.render_text()
    })
}
