//! `backchannel discover SCENARIO --outcome KEY`: scenario discovery over
//! the judged inputs ([`Discovery`] runs it; this file writes and prints
//! what it found).

use std::time::Instant;

use super::DiscoverArgs;
use super::common::{finish, load_inputs, with_progress};
use crate::interrupt::{STOP, WATCH};
use backchannel::Discovery;
use backchannel::error::Result;

pub fn run(args: DiscoverArgs) -> Result<()> {
    args.no_shard
        .refuse("discover", "PRIM reads every world's outcome share at once, and no partial result carries worlds' shares yet")?;
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
    let out = study.output(&args.study.output_options())?;
    let results = with_progress(runs, "runs", args.study.quiet, |bar| {
        study.on_progress(|done| bar.set_position(done)).run()
    })?;
    let files = results.files(&scenario);
    finish(out, files, &args.study, started, || {
        results.text().to_string()
    })
}
