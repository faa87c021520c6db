//! `backchannel compare A B [C ...]`: every scenario run on the same seed and
//! run indices (common random numbers); every metric with each scenario's
//! value and its paired difference to the first.

use std::time::{Instant, SystemTime};

use super::CompareArgs;
use super::common::{
    check_count, check_precision, finish, input_files, page_input, progress_bar, stopped,
    write_charts, write_page,
};
use crate::engine::Worlds;
use crate::engine::conditioning::Conditioning;
use crate::engine::precision::{self, PrecisionRecord};
use crate::engine::runner::Stopped;
use crate::error::{Diagnostic, Error, Result};
use crate::experiment::compare::{PairedTally, compare, compare_given};
use crate::interrupt::STOP;
use crate::output::comparison::{ComparedScenario, Comparison};
use crate::output::manifest::Manifest;
use crate::output::names::Names;
use crate::output::study_key::StudyKey;
use crate::report::experiment_pages::comparison_page;
use crate::report::experiments::comparison_charts;
use crate::report::shell_word;
use crate::scenario::observations::{Observation, load_observations};
use crate::scenario::validate::MAX_RUNS;
use crate::scenario::{LoadedScenario, load_variant};

/// The headline whose paired difference `--precision` targets.
const HEADLINE: &str = "channel_continued";

pub fn run(args: CompareArgs) -> Result<()> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let loaded: Vec<LoadedScenario> = args
        .scenarios
        .iter()
        .map(|s| load_variant(s))
        .collect::<Result<_>>()?;
    check_same_clock(&args.scenarios, &loaded)?;
    let first = &loaded[0].scenario.scenario;
    if let Some(eps) = args.precision {
        check_precision(eps)?;
    }
    let max_runs = match (args.runs, args.precision) {
        (Some(runs), _) => runs,
        (None, Some(_)) => precision::DEFAULT_MAX_RUNS,
        (None, None) => first.runs,
    };
    check_count("--runs", max_runs, 1, MAX_RUNS)?;
    let threads = args.study.threads()?;
    let seed = args.study.seed.unwrap_or(first.seed);
    let worlds_count = args.study.worlds()?;
    let studies: Vec<Worlds> = loaded
        .iter()
        .map(|l| Worlds::draw(l, seed, worlds_count))
        .collect::<Result<_>>()?;
    let study_refs: Vec<&Worlds> = studies.iter().collect();
    let uncertain = studies.iter().any(Worlds::is_uncertain);
    let mut given_sha256 = String::new();
    let given: Option<Vec<Vec<Observation>>> = match &args.given {
        Some(path) => Some(
            loaded
                .iter()
                .map(|l| {
                    load_observations(path, &l.scenario).map(|o| {
                        given_sha256 = o.sha256;
                        o.items
                    })
                })
                .collect::<Result<_>>()?,
        ),
        None => None,
    };
    let specs: Vec<&str> = args.scenarios.iter().map(String::as_str).collect();
    let study = StudyKey::new("compare", &specs)
        .with_given(args.given.as_deref())
        .with_precision(args.precision)
        .with_seed(seed, first.seed)
        .with_worlds(args.study.worlds, uncertain);
    let out = args.study.output(
        &default_out_name(&args.scenarios),
        &study,
        &input_files(specs.iter().copied(), args.given.as_deref()),
    )?;

    let progress = progress_bar(max_runs, "paired runs", args.study.quiet);
    let simulate_start = Instant::now();
    let checkpoints = match args.precision {
        Some(_) => precision::checkpoints(max_runs),
        None => vec![max_runs],
    };
    let mut total: Option<PairedTally> = None;
    let mut checked_at = Vec::new();
    let mut conditioning = None;
    if let Some(given) = &given {
        let (tally, tried) = compare_given(&study_refs, given, seed, max_runs, threads, &STOP, |n| progress.set_position(n)).map_err(|stop| match stop {
            Stopped::Callback((kept, tried)) => Error::input(
                Diagnostic::new(format!("only {kept} of {tried} run indices are consistent with the observations in every scenario"))
                    .key("--given")
                    .help("run each scenario alone with `run --given` to see which observation the model did not expect"),
            ),
            Stopped::Cancelled => stopped::<std::convert::Infallible>(Stopped::Cancelled),
            Stopped::Pool(e) => stopped::<std::convert::Infallible>(Stopped::Pool(e)),
        })?;
        conditioning = Some(Conditioning {
            tried,
            accepted: tally.runs,
            acceptance: tally.runs as f64 / tried.max(1) as f64,
            observations: given[0].iter().map(|o| o.text.clone()).collect(),
            observations_sha256: given_sha256.clone(),
        });
        total = Some(tally);
    }
    let checkpoints = if given.is_some() {
        Vec::new()
    } else {
        checkpoints
    };
    for &checkpoint in &checkpoints {
        let done = total.as_ref().map_or(0, |t| t.runs);
        let part = compare(
            &study_refs,
            seed,
            done,
            checkpoint - done,
            threads,
            &STOP,
            |n| progress.set_position(done + n),
        )
        .map_err(stopped)?;
        match total.as_mut() {
            Some(t) => t.merge(&part),
            None => total = Some(part),
        }
        checked_at.push(checkpoint);
        let tally = total.as_ref().expect("just set");
        if args
            .precision
            .is_some_and(|eps| headline_half_width(tally, seed) <= eps)
        {
            break;
        }
    }
    let tally = total.expect("at least one checkpoint");
    let simulate_seconds = simulate_start.elapsed().as_secs_f64();
    progress.finish_and_clear();

    let scenarios: Vec<ComparedScenario> = args
        .scenarios
        .iter()
        .zip(&loaded)
        .map(|(label, l)| ComparedScenario {
            label: label.clone(),
            name: l.scenario.scenario.name.clone(),
            sha256: l.sha256.clone(),
            round_label: l.scenario.scenario.round_label.clone(),
        })
        .collect();
    let mut comparison = Comparison::new(&tally, seed, scenarios);
    comparison.conditioning = conditioning;
    comparison.names = Names::of(&loaded[0].scenario);
    let mut manifest = Manifest::start((&loaded[0]).into(), seed, tally.runs, threads, started_at);
    manifest.compared = loaded[1..].iter().map(Into::into).collect();
    manifest.simulated(tally.runs * studies.len() as u64, simulate_seconds);
    manifest.precision = args.precision.map(|eps| {
        let achieved = headline_half_width(&tally, seed);
        PrecisionRecord {
            metric: format!(
                "difference in {HEADLINE} ({} minus {})",
                args.scenarios[1], args.scenarios[0]
            ),
            target_half_width: eps,
            achieved_half_width: achieved,
            reached: achieved <= eps,
            runs: tally.runs,
            max_runs,
            checked_at,
            worlds_needed: None,
        }
    });
    manifest.runs = tally.runs;
    out.write("comparison.json", comparison.to_json().as_bytes())?;
    out.write("comparison.csv", &comparison.to_csv())?;
    let mut files = vec!["comparison.json".to_string(), "comparison.csv".to_string()];
    let charts = write_charts(&out, args.study.no_plots, || comparison_charts(&comparison))?;
    files.extend(charts.files);
    manifest.plot_seconds = charts.seconds;
    let display = loaded[0].display_name();
    write_page(
        &out,
        args.study.no_plots,
        "comparison.html",
        &mut files,
        || {
            let command = reproduce(&args, seed, tally.runs);
            let descriptions: Vec<String> = loaded
                .iter()
                .map(|l| l.scenario.scenario.description.clone())
                .collect();
            let input = page_input(&loaded[0], &display, &charts.svgs, command);
            comparison_page(&comparison, &descriptions, &input)
        },
    )?;
    let text = (!args.study.quiet).then(|| comparison.render_text());
    finish(out, files, manifest, started, text)
}

/// The command that reproduces this comparison.
fn reproduce(args: &CompareArgs, seed: u64, runs: u64) -> String {
    let mut words: Vec<String> = vec!["backchannel".into(), "compare".into()];
    words.extend(args.scenarios.iter().map(|s| shell_word(s)));
    words.extend([
        "--seed".into(),
        seed.to_string(),
        "--runs".into(),
        runs.to_string(),
    ]);
    if let Some(given) = &args.given {
        words.extend(["--given".into(), shell_word(given)]);
    }
    words.join(" ")
}

/// Scenarios compared run for the same number of rounds of the same
/// length: otherwise P(channel continued) at one horizon would be set
/// against another's, and S(t) past the shorter horizon would be flat.
fn check_same_clock(specs: &[String], loaded: &[LoadedScenario]) -> Result<()> {
    let base = &loaded[0].scenario.scenario;
    let problems: Vec<Diagnostic> = specs
        .iter()
        .zip(loaded)
        .skip(1)
        .filter_map(|(spec, l)| {
            let meta = &l.scenario.scenario;
            (meta.horizon != base.horizon || meta.round_label != base.round_label).then(|| {
                Diagnostic::new(format!(
                    "`{spec}` runs {} rounds of a {}, the baseline `{}` {} rounds of a {}: \
                     their outcomes are not comparable",
                    meta.horizon, meta.round_label, specs[0], base.horizon, base.round_label
                ))
                .key("compare")
                .help(format!(
                    "give both the same clock, e.g. `{spec}:scenario.horizon={}`",
                    base.horizon
                ))
            })
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}

/// Half-width of the 95 % interval of the first paired difference in the
/// headline.
fn headline_half_width(tally: &PairedTally, seed: u64) -> f64 {
    let labels = (0..tally.sum.len())
        .map(|k| ComparedScenario {
            label: k.to_string(),
            name: String::new(),
            sha256: String::new(),
            round_label: String::new(),
        })
        .collect();
    let comparison = Comparison::new(tally, seed, labels);
    comparison
        .row(HEADLINE)
        .and_then(|row| row.differences[1])
        .map_or(f64::INFINITY, |d| (d.hi - d.lo) / 2.0)
}

/// `output/compare-<a>-vs-<b>...`, from the scenario specs.
fn default_out_name(specs: &[String]) -> String {
    let slug: String = specs
        .iter()
        .map(|s| {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-vs-");
    let slug: String = slug.chars().take(120).collect();
    format!("compare-{slug}")
}
