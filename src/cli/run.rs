//! `backchannel run`: load, make the output directory, run the study with
//! a progress bar (writing `runs.csv` as it goes with `--save-runs`),
//! publish the outputs atomically and print the one-screen summary.

use std::fs::File;
use std::io::BufWriter;
use std::time::Instant;

use super::RunArgs;
use super::common::{input_files, load_inputs, results_line, with_progress};
use super::shard::{parse_shard, run_shard};
use crate::error::{Error, Result};
use crate::interrupt::STOP;
use crate::output::study_key::StudyKey;
use crate::output::text;
use crate::report::publish::{StudyResults, publish};
use crate::study::Study;

pub fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    let (spec, scenario, given) = load_inputs(&args.scenario, &args.set, args.given.as_deref())?;
    let mut study = Study::new(&scenario).cancel_on(&STOP);
    study = with_flags(study, &args)?;
    if let Some(observations) = &given {
        study = study.given(observations);
    }
    let max_runs = study.max_runs()?;
    let seed = args
        .study
        .seed
        .unwrap_or(scenario.default_seed_and_runs().0);
    let uncertain = !scenario.judged_keys().is_empty();
    if let Some(shard) = &args.shard {
        let shard = parse_shard(shard, |v| std::env::var(v).ok())?;
        return run_shard(study, &scenario, shard, &args);
    }
    let key = StudyKey::new("run", &[&spec])
        .with_sets(&args.set)
        .with_given(args.given.as_deref())
        .with_precision(args.precision)
        .with_seed(seed, scenario.default_seed_and_runs().0)
        .with_worlds(args.study.worlds, uncertain);
    let out = args.study.output(
        scenario.name(),
        &key,
        &input_files([spec.as_str()], args.given.as_deref()),
    )?;
    if args.save_runs {
        let path = out.temp_path().join("runs.csv");
        let file = File::create(&path)
            .map_err(|e| Error::failure(format!("cannot write {}: {e}", path.display())))?;
        study = study.runs_csv(BufWriter::new(file));
    }
    let mut results = with_progress(max_runs, "runs", args.study.quiet, |bar| {
        study.on_progress(|done| bar.set_position(done)).run()
    })?;
    results.plots = !args.study.no_plots;
    let already_written: &[&str] = if args.save_runs { &["runs.csv"] } else { &[] };
    let committed = publish(out, &mut results, already_written, started)?;
    if !args.study.quiet {
        print!("{}", text::render(&results.summary));
        print_precision(&results, args.study.worlds()?);
        println!(
            "\n{} ({:.0} runs/s on {} threads)",
            results_line(&committed),
            results.manifest.runs_per_second,
            results.manifest.threads
        );
    }
    Ok(())
}

/// The study as the flags set it.
fn with_flags<'a>(mut study: Study<'a>, args: &RunArgs) -> Result<Study<'a>> {
    if let Some(runs) = args.runs {
        study = study.runs(runs);
    }
    if let Some(seed) = args.study.seed {
        study = study.seed(seed);
    }
    if let Some(eps) = args.precision {
        study = study.precision(eps);
    }
    study = study.threads(args.study.threads()?);
    if let Some(worlds) = args.study.worlds {
        study = study.worlds(worlds);
    }
    Ok(study)
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
    println!(
        "\n  Precision ±{:.4} on P(channel continued) {verdict}: ±{:.4} after {} runs",
        p.target_half_width, p.achieved_half_width, p.runs
    );
    if let Some(needed) = p.worlds_needed {
        println!(
            "  More runs cannot reach it: the judged inputs' spread over {worlds} worlds alone is wider; about --worlds {needed} would"
        );
    }
}
