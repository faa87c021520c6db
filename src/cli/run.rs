//! `backchannel run`: load, make the output directory, run the study with
//! a progress bar (writing `runs.csv` as it goes with `--save-runs`),
//! publish the outputs atomically and print the one-screen summary.

use std::time::Instant;

use super::RunArgs;
use super::common::{load_inputs, print_notes, print_warnings, results_line, with_progress};
use super::shard::run_shard;
use crate::console::{out, outln};
use crate::interrupt::{STOP, WATCH};
use backchannel::StudyResults;
use backchannel::error::Result;
use backchannel::{Study, parse_shard};

pub fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    let (_, scenario, given) = load_inputs(&args.scenario, &args.set, args.given.as_deref())?;
    if !args.study.quiet {
        print_warnings(scenario.definition());
    }
    let mut study = Study::new(&scenario)
        .runs(args.runs)
        .seed(args.study.seed)
        .precision(args.precision)
        .threads(args.study.threads()?)
        .worlds(args.study.worlds)
        .given(given.as_ref())
        .cancel_and_watch(&STOP, &WATCH);
    let max_runs = study.max_runs()?;
    if let Some(shard) = &args.shard {
        let shard = parse_shard(shard, |v| std::env::var(v).ok())?;
        return run_shard(study, shard, args.save_runs, &args.study);
    }
    let mut out = study
        .output(&args.study.output_options())?
        .timed_from(started);
    if args.save_runs {
        study = study.runs_csv(out.runs_csv()?);
    }
    let mut results = with_progress(max_runs, "runs", args.study.quiet, |bar| {
        study.on_progress(|done| bar.set_position(done)).run()
    })?;
    let published = out.study(&mut results)?;
    print_notes(&published);
    if !args.study.quiet {
        out!("{}", results.text());
        print_precision(&results, args.study.worlds()?);
        outln!(
            "\n{} ({:.0} runs/s on {} threads)",
            results_line(&published),
            results.manifest.runs_per_second,
            results.manifest.threads
        );
    }
    Ok(())
}

/// Whether the precision target was reached, and if more runs cannot reach
/// it, the worlds that would.
fn print_precision(results: &StudyResults, worlds: u64) {
    let Some(p) = &results.manifest.precision else {
        return;
    };
    let verdict = match (p.reached, p.worlds_needed) {
        (true, _) => "reached",
        (false, Some(_)) => "NOT reachable with these worlds",
        (false, None) => "NOT reached at the maximum",
    };
    outln!(
        "\n  Precision ±{:.4} on P(channel continued) {verdict}: ±{:.4} after {} runs",
        p.target_half_width,
        p.achieved_half_width,
        p.runs
    );
    if let Some(needed) = p.worlds_needed {
        outln!(
            "  More runs cannot reach it: the judged inputs' spread over {worlds} worlds alone is wider; about --worlds {needed} would"
        );
    }
}
