//! `backchannel sensitivity SCENARIO --vary KEY=LO..HI ... [--method sobol|oat]`:
//! which parameters move the headline outcomes, globally (Sobol' indices
//! from a Saltelli design) or one at a time (a tornado around the
//! scenario's own values). Every design point is a study on the same seed.

use std::time::Instant;

use super::SensitivityArgs;
use super::common::{finish, load_inputs};
use super::points::{point_progress, show_points};
use super::shard::run_design_shard;
use crate::interrupt::{STOP, WATCH};
use backchannel::Result;
use backchannel::{Sensitivity, parse_shard};

pub fn run(args: SensitivityArgs) -> Result<()> {
    let started = Instant::now();
    let (_, base, _) = load_inputs(&args.scenario, &args.set, None)?;
    let mut analysis = Sensitivity::new(&base)
        .method(args.method.into())
        .runs(args.runs)
        .samples(args.samples)
        .seed(args.study.seed)
        .threads(args.study.threads)
        .worlds(args.study.worlds)
        .cancel_and_watch(&STOP, &WATCH);
    for vary in &args.vary {
        analysis = analysis.vary(vary);
    }
    if let Some(shard) = &args.shard {
        let shard = parse_shard(shard, |v| std::env::var(v).ok())?;
        let (index, count) = (shard.index, shard.count);
        let out = analysis
            .shard_output(index, count, &args.study.output_options())?
            .timed_from(started);
        let done = analysis.shard_done(out.path(), index, count)?;
        let point_runs = analysis.point_runs()?;
        return run_design_shard(out, shard, point_runs, done, &args.study, |bar| {
            analysis
                .on_progress(|done| bar.set_position(done))
                .shard(index, count)
        });
    }
    let total_runs = analysis.check()?;
    let out = analysis.output(&args.study.output_options())?;
    let progress = point_progress(total_runs, args.runs, args.study.quiet);
    let results = analysis
        .on_progress(|done| show_points(&progress, done, args.runs))
        .run()?;
    progress.finish_and_clear();
    let files = results.files(&base, &args.vary, args.method.into());
    finish(out, files, &args.study, started, || {
        results.report.render_text()
    })
}
