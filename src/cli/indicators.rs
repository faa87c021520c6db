//! `backchannel indicators SCENARIO --at ROUND`: which news at that round
//! would move the forecast most — a ranked "what to watch" list
//! ([`Indicators`] counts them; this file writes and prints them).

use std::time::Instant;

use super::IndicatorsArgs;
use super::common::{finish, load_inputs, with_progress};
use crate::error::Result;
use crate::interrupt::STOP;
use crate::report::shell_word;
use crate::study::{Indicators, SHOWN, reproduction};

pub fn run(args: IndicatorsArgs) -> Result<()> {
    let started = Instant::now();
    let (_, scenario, given) = load_inputs(&args.scenario, &args.set, args.given.as_deref())?;
    let study = Indicators::new(&scenario, args.at)
        .runs(args.runs)
        .seed(args.study.seed)
        .threads(args.study.threads()?)
        .worlds(args.study.worlds)
        .given(given.as_ref())
        .cancel_on(&STOP);
    let runs = study.runs_counted()?;
    let out = args.study.output(&study.identity())?;
    let results = with_progress(runs, "runs", args.study.quiet, |bar| {
        study.on_progress(|done| bar.set_position(done)).run()
    })?;
    let mut extra = vec!["--at".to_string(), args.at.to_string()];
    if let Some(given) = &args.given {
        extra.extend(["--given".to_string(), shell_word(given)]);
    }
    extra.extend(["--runs".to_string(), runs.to_string()]);
    let command = reproduction("indicators", &scenario, &extra, results.manifest.seed);
    let files = results.files(&scenario, command);
    finish(out, files, &args.study, started, || results.text(SHOWN))
}
