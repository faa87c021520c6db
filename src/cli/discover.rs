//! `backchannel discover SCENARIO --outcome KEY`: scenario discovery over
//! the judged inputs ([`Discovery`] runs it; this file writes and prints
//! what it found).

use std::time::Instant;

use super::DiscoverArgs;
use super::common::{finish, input_files, load_inputs, with_progress, write_charts};
use crate::error::Result;
use crate::interrupt::STOP;
use crate::output::discover::write_discovery;
use crate::output::study_key::StudyKey;
use crate::report::plots::discover::discovery_charts;
use crate::study::Discovery;

pub fn run(args: DiscoverArgs) -> Result<()> {
    let started = Instant::now();
    let (spec, scenario, _) = load_inputs(&args.scenario, &args.set, None)?;
    let study = Discovery::new(&scenario, &args.outcome)
        .threshold(args.threshold)
        .paste(args.paste)
        .runs(args.runs)
        .seed(args.study.seed)
        .threads(args.study.threads()?)
        .worlds(args.study.worlds)
        .cancel_on(&STOP);
    let (_, runs) = study.worlds_and_runs()?;
    let (default_seed, _) = scenario.default_seed_and_runs();
    let key = StudyKey::new(&format!("discover --outcome {}", args.outcome), &[&spec])
        .with_sets(&args.set)
        .with_seed(args.study.seed.unwrap_or(default_seed), default_seed)
        .with(
            "threshold",
            args.threshold.to_string(),
            args.threshold.to_string(),
        )
        .with_worlds(args.study.worlds, true);
    let out = args.study.output(
        &format!("discover-{}-{}", scenario.name(), args.outcome),
        &key,
        &input_files([spec.as_str()], None),
    )?;

    let results = with_progress(runs, "runs", args.study.quiet, |bar| {
        study.on_progress(|done| bar.set_position(done)).run()
    })?;

    let mut files = write_discovery(&out, &results.discovery)?;
    out.write("worlds.csv", results.worlds_csv.as_bytes())?;
    files.push("worlds.csv".into());
    let charts = write_charts(&out, args.study.no_plots, || {
        discovery_charts(&results.discovery, &scenario.display_name())
    })?;
    files.extend(charts.files);
    let mut manifest = results.manifest.clone();
    manifest.plot_seconds = charts.seconds;
    let text = (!args.study.quiet).then(|| results.text().to_string());
    finish(out, files, manifest, started, text)
}
