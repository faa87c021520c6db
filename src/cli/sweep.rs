//! `backchannel sweep SCENARIO --vary KEY=LO..HI:STEPS [--vary ...]`: the
//! headline outcomes over a line (one key) or a grid (two keys) of values,
//! every point on the same seed.

use std::time::Instant;

use super::SweepArgs;
use super::common::{
    command_line, finish, input_files, page_input, scenario_spec, write_charts, write_page,
};
use super::points::{design_study, point_progress, show_points};
use crate::error::Result;
use crate::interrupt::STOP;
use crate::report::experiment_pages::sweep_page;
use crate::report::experiments::sweep_charts;
use crate::report::shell_word;
use crate::study::{Scenario, Sweep};

pub fn run(args: SweepArgs) -> Result<()> {
    let started = Instant::now();
    let spec = scenario_spec(&args.scenario);
    let base = Scenario::load(&spec)?.with_values(&args.set)?;
    let (scenario_seed, scenario_runs) = base.default_seed_and_runs();
    let seed = args.study.seed.unwrap_or(scenario_seed);
    let runs = args.runs.unwrap_or(scenario_runs);
    // --worlds is not passed on: a sweep's points draw the default worlds.
    let mut sweep = Sweep::new(&base).runs(runs).seed(seed).cancel_on(&STOP);
    for vary in &args.vary {
        sweep = sweep.vary(vary);
    }
    if let Some(threads) = args.study.threads {
        sweep = sweep.threads(threads);
    }
    let total_runs = sweep.check()?;
    let study = design_study("sweep", &spec, &args.vary, &args.set, seed, scenario_seed);
    let out = args.study.output(
        &format!("sweep-{}", base.name()),
        &study,
        &input_files([spec.as_str()], None),
    )?;

    let progress = point_progress(total_runs, runs, args.study.quiet);
    let results = sweep
        .on_progress(|done| show_points(&progress, done, runs))
        .run()?;
    progress.finish_and_clear();
    let (table, mut manifest) = (results.table, results.manifest);
    out.write("sweep.csv", &table.to_csv())?;
    let mut files = vec!["sweep.csv".to_string()];
    let display = base.display_name();
    let charts = write_charts(&out, args.study.no_plots, || {
        sweep_charts(&table, &display, runs, seed, &results.own_values)
    })?;
    files.extend(charts.files);
    write_page(&out, args.study.no_plots, "sweep.html", &mut files, || {
        let mut extra = Vec::new();
        for vary in &args.vary {
            extra.extend(["--vary".to_string(), shell_word(vary)]);
        }
        extra.extend(["--runs".to_string(), runs.to_string()]);
        let command = command_line("sweep", &spec, &extra, seed, &args.set);
        sweep_page(
            &table,
            runs,
            seed,
            &page_input(&base.loaded, &display, &charts.svgs, command),
        )
    })?;
    manifest.plot_seconds = charts.seconds;
    let text = (!args.study.quiet).then(|| table.render_text());
    finish(out, files, manifest, started, text)
}
