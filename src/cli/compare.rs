//! `backchannel compare A B [C ...]`: every scenario run on the same seed and
//! run indices (common random numbers); every metric with each scenario's
//! value and its paired difference to the first; `--shard I/N` runs one
//! slice of the run indices for `merge`.

use std::time::Instant;

use super::CompareArgs;
use super::common::{finish, output_columns, with_progress};
use super::shard::run_compare_shard;
use crate::interrupt::{STOP, WATCH};
use backchannel::Result;
use backchannel::{Comparison, Observations, Scenario, parse_shard};

pub fn run(args: CompareArgs) -> Result<()> {
    let started = Instant::now();
    let loaded: Vec<Scenario> = args
        .scenarios
        .iter()
        .map(|s| Scenario::load_variant(s))
        .collect::<Result<_>>()?;
    let scenarios: Vec<&Scenario> = loaded.iter().collect();
    // Declared before the comparison that borrows them (so dropped after
    // it), read after its checks as before.
    #[allow(clippy::needless_late_init)]
    let given: Option<Observations>;
    let comparison = Comparison::new(&scenarios)
        .runs(args.runs)
        .precision(args.precision)
        .cancel_and_watch(&STOP, &WATCH);
    let max_runs = comparison.max_runs()?;
    // Checked here, before the observations are read and anything written.
    args.study.threads()?;
    args.study.worlds()?;
    given = args
        .given
        .as_deref()
        .map(|path| Observations::load(path, &loaded[0]))
        .transpose()?;
    let comparison = comparison
        .threads(args.study.threads)
        .worlds(args.study.worlds)
        .seed(args.study.seed)
        .given(given.as_ref());
    if let Some(shard) = &args.shard {
        let shard = parse_shard(shard, |v| std::env::var(v).ok())?;
        let (index, count) = (shard.index, shard.count);
        let out = comparison
            .shard_output(index, count, &args.study.output_options())?
            .timed_from(started);
        let done = comparison.shard_done(out.path(), index, count)?;
        return run_compare_shard(out, shard, max_runs, done, &args.study, |bar| {
            comparison
                .on_progress(|n| bar.set_position(n))
                .shard(index, count)
        });
    }
    let out = comparison.output(&args.study.output_options())?;
    let results = with_progress(max_runs, "paired runs", args.study.quiet, |bar| {
        comparison.on_progress(|n| bar.set_position(n)).run()
    })?;
    let files = results.files(&scenarios, given.as_ref());
    finish(out, files, &args.study, started, || {
        results.comparison.render_text_within(output_columns())
    })
}
