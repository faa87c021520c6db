//! `backchannel sensitivity SCENARIO --vary KEY=LO..HI ... [--method sobol|oat]`:
//! which parameters move the headline outcomes, globally (Sobol' indices
//! from a Saltelli design) or one at a time (a tornado around the
//! scenario's own values). Every design point is a study on the same seed.

use std::time::Instant;

use super::SensitivityArgs;
use super::common::{
    command_line, finish, input_files, page_input, scenario_spec, write_charts, write_page,
};
use super::points::{design_study, point_progress, show_points};
use crate::error::Result;
use crate::interrupt::STOP;
use crate::output::names::Names;
use crate::report::experiment_pages::sensitivity_page;
use crate::report::experiments::sensitivity_charts;
use crate::report::shell_word;
use crate::study::{Scenario, Sensitivity};

pub fn run(args: SensitivityArgs) -> Result<()> {
    let started = Instant::now();
    let spec = scenario_spec(&args.scenario);
    let base = Scenario::load(&spec)?.with_values(&args.set)?;
    let scenario_seed = base.default_seed_and_runs().0;
    let seed = args.study.seed.unwrap_or(scenario_seed);
    // --worlds is not passed on: the design's points draw the default worlds.
    let mut analysis = Sensitivity::new(&base)
        .method(args.method)
        .runs(args.runs)
        .samples(args.samples)
        .seed(seed)
        .cancel_on(&STOP);
    for vary in &args.vary {
        analysis = analysis.vary(vary);
    }
    if let Some(threads) = args.study.threads {
        analysis = analysis.threads(threads);
    }
    let total_runs = analysis.check()?;
    let method = args.method.name();
    let study = design_study(
        &format!("sensitivity --method {method}"),
        &spec,
        &args.vary,
        &args.set,
        seed,
        scenario_seed,
    );
    let out = args.study.output(
        &format!("sensitivity-{}-{method}", base.name()),
        &study,
        &input_files([spec.as_str()], None),
    )?;

    let progress = point_progress(total_runs, args.runs, args.study.quiet);
    let results = analysis
        .on_progress(|done| show_points(&progress, done, args.runs))
        .run()?;
    progress.finish_and_clear();
    let (report, mut manifest) = (results.report, results.manifest);
    out.write("sensitivity.json", report.to_json().as_bytes())?;
    out.write("sensitivity.csv", &report.to_csv())?;
    let mut files = vec![
        "sensitivity.json".to_string(),
        "sensitivity.csv".to_string(),
    ];
    let display = base.display_name();
    let charts = write_charts(&out, args.study.no_plots, || {
        sensitivity_charts(&report, &display, &Names::of(&base.loaded.scenario))
    })?;
    files.extend(charts.files);
    write_page(
        &out,
        args.study.no_plots,
        "sensitivity.html",
        &mut files,
        || {
            let mut extra = Vec::new();
            for vary in &args.vary {
                extra.extend(["--vary".to_string(), shell_word(vary)]);
            }
            extra.extend([
                "--method".to_string(),
                method.to_string(),
                "--runs".into(),
                args.runs.to_string(),
            ]);
            let command = command_line("sensitivity", &spec, &extra, seed, &args.set);
            sensitivity_page(
                &report,
                &page_input(&base.loaded, &display, &charts.svgs, command),
            )
        },
    )?;
    manifest.plot_seconds = charts.seconds;
    let text = (!args.study.quiet).then(|| report.render_text());
    finish(out, files, manifest, started, text)
}
