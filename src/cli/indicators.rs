//! `backchannel indicators SCENARIO --at ROUND`: which news at that round
//! would move the forecast most — a ranked "what to watch" list
//! ([`Indicators`] counts them; this file writes and prints them).

use std::time::Instant;

use super::IndicatorsArgs;
use super::common::{
    command_line, finish, input_files, load_inputs, page_input, with_progress, write_charts,
    write_page,
};
use crate::error::Result;
use crate::interrupt::STOP;
use crate::output::study_key::StudyKey;
use crate::report::experiment_pages::indicators_page;
use crate::report::experiments::indicators_chart;
use crate::report::shell_word;
use crate::study::Indicators;

/// How many indicators the chart shows.
const CHARTED: usize = 12;

/// How many indicators the text list shows.
const SHOWN: usize = 10;

pub fn run(args: IndicatorsArgs) -> Result<()> {
    let started = Instant::now();
    let (spec, scenario, given) = load_inputs(&args.scenario, &args.set, args.given.as_deref())?;
    let mut study = Indicators::new(&scenario, args.at)
        .runs(args.runs)
        .seed(args.study.seed)
        .threads(args.study.threads()?)
        .worlds(args.study.worlds)
        .cancel_on(&STOP);
    if let Some(observations) = &given {
        study = study.given(observations);
    }
    let runs = study.runs_counted()?;
    let (default_seed, _) = scenario.default_seed_and_runs();
    let seed = args.study.seed.unwrap_or(default_seed);
    let key = StudyKey::new(&format!("indicators --at {}", args.at), &[&spec])
        .with_given(args.given.as_deref())
        .with_sets(&args.set)
        .with_seed(seed, default_seed)
        .with_worlds(args.study.worlds, !scenario.judged_keys().is_empty());
    let out = args.study.output(
        &format!("indicators-{}-{}", scenario.name(), args.at),
        &key,
        &input_files([spec.as_str()], args.given.as_deref()),
    )?;

    let results = with_progress(runs, "runs", args.study.quiet, |bar| {
        study.on_progress(|done| bar.set_position(done)).run()
    })?;
    let indicators = &results.indicators;
    out.write("indicators.json", results.to_json().as_bytes())?;
    out.write("indicators.csv", &results.to_csv())?;
    let mut files = vec!["indicators.json".to_string(), "indicators.csv".to_string()];
    let charts = write_charts(&out, args.study.no_plots, || {
        indicators_chart(indicators, CHARTED)
    })?;
    files.extend(charts.files);
    let display = scenario.display_name();
    write_page(
        &out,
        args.study.no_plots,
        "indicators.html",
        &mut files,
        || {
            let mut extra = vec!["--at".to_string(), args.at.to_string()];
            if let Some(given) = &args.given {
                extra.extend(["--given".to_string(), shell_word(given)]);
            }
            extra.extend(["--runs".to_string(), runs.to_string()]);
            let command = command_line("indicators", &spec, &extra, seed, &args.set);
            indicators_page(
                indicators,
                SHOWN,
                &page_input(&scenario.loaded, &display, &charts.svgs, command),
            )
        },
    )?;
    let mut manifest = results.manifest.clone();
    manifest.plot_seconds = charts.seconds;
    let text = (!args.study.quiet).then(|| results.text(SHOWN));
    finish(out, files, manifest, started, text)
}
