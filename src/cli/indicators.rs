//! `backchannel indicators SCENARIO --at ROUND`: which news at that round
//! would move the forecast most — a ranked "what to watch" list.

use std::time::{Instant, SystemTime};

use super::IndicatorsArgs;
use super::common::{
    check_count, command_line, finish, input_files, page_input, progress_bar, scenario_spec,
    stopped, write_charts, write_page,
};
use std::convert::Infallible;

use crate::engine::Worlds;
use crate::engine::conditioning::Conditioning;
use crate::engine::indicators::count_indicators;
use crate::engine::runner::Stopped;
use crate::error::{Diagnostic, Error, Result};
use crate::interrupt::STOP;
use crate::output::indicators::Indicators;
use crate::output::manifest::Manifest;
use crate::output::names::Names;
use crate::output::study_key::StudyKey;
use crate::report::experiment_pages::indicators_page;
use crate::report::experiments::indicators_chart;
use crate::report::shell_word;
use crate::scenario::load;
use crate::scenario::observations::{load_observations, observables};
use crate::scenario::validate::MAX_RUNS;

/// How many indicators the chart shows.
const CHARTED: usize = 12;

/// How many indicators the text list shows.
const SHOWN: usize = 10;

pub fn run(args: IndicatorsArgs) -> Result<()> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let spec = scenario_spec(&args.scenario);
    let loaded = load(&spec, &args.set)?;
    let meta = &loaded.scenario.scenario;
    check_count("--at", args.at.into(), 1, meta.horizon.into())?;
    let runs = args.runs.unwrap_or(meta.runs);
    check_count("--runs", runs, 1, MAX_RUNS)?;
    let threads = args.study.threads()?;
    let seed = args.study.seed.unwrap_or(meta.seed);
    let worlds = Worlds::draw(&loaded, seed, args.study.worlds()?)?;
    let candidates = observables(&loaded.scenario, args.at);
    let (given, given_sha256) = match &args.given {
        Some(path) => {
            let observations = load_observations(path, &loaded.scenario)?;
            (observations.items, observations.sha256)
        }
        None => (Vec::new(), String::new()),
    };
    let study = StudyKey::new(&format!("indicators --at {}", args.at), &[&spec])
        .with_given(args.given.as_deref())
        .with_sets(&args.set)
        .with_seed(seed, meta.seed)
        .with_worlds(args.study.worlds, worlds.is_uncertain());
    let out = args.study.output(
        &format!("indicators-{}-{}", meta.name, args.at),
        &study,
        &input_files([spec.as_str()], args.given.as_deref()),
    )?;

    let progress = progress_bar(runs, "runs", args.study.quiet);
    let simulate_start = Instant::now();
    let (counts, tried) = count_indicators(
        &worlds,
        &candidates,
        &given,
        seed,
        runs,
        threads,
        &STOP,
        |done| progress.set_position(done),
    )
    .map_err(|stop| match stop {
        Stopped::Callback((kept, tried)) => Error::input(
            Diagnostic::new(format!(
                "only {kept} of {tried} runs are consistent with the observations"
            ))
            .key("--given")
            .help(
                "`run --given` with the same file names the observation the model did not expect",
            ),
        ),
        Stopped::Cancelled => stopped::<Infallible>(Stopped::Cancelled),
        Stopped::Pool(e) => stopped::<Infallible>(Stopped::Pool(e)),
    })?;
    let simulate_seconds = simulate_start.elapsed().as_secs_f64();
    progress.finish_and_clear();
    let mut indicators = Indicators::new(
        &counts,
        &candidates,
        &Names::of(&loaded.scenario),
        &loaded.display_name(),
        seed,
        args.at,
        &meta.round_label,
    );
    indicators.conditioning = (!given.is_empty()).then(|| Conditioning {
        tried,
        accepted: counts.runs,
        acceptance: counts.runs as f64 / tried.max(1) as f64,
        observations: given.iter().map(|o| o.text.clone()).collect(),
        observations_sha256: given_sha256,
    });
    out.write("indicators.json", indicators.to_json().as_bytes())?;
    out.write("indicators.csv", &indicators.to_csv())?;
    let mut files = vec!["indicators.json".to_string(), "indicators.csv".to_string()];
    let charts = write_charts(&out, args.study.no_plots, || {
        indicators_chart(&indicators, CHARTED)
    })?;
    files.extend(charts.files);
    let display = loaded.display_name();
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
                &indicators,
                SHOWN,
                &page_input(&loaded, &display, &charts.svgs, command),
            )
        },
    )?;
    let mut manifest = Manifest::start((&loaded).into(), seed, runs, threads, started_at);
    manifest.simulated(runs, simulate_seconds);
    manifest.plot_seconds = charts.seconds;
    let text = (!args.study.quiet).then(|| indicators.render_text(SHOWN));
    finish(out, files, manifest, started, text)
}
