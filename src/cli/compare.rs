//! `backchannel compare A B [C ...]`: every scenario run on the same seed and
//! run indices (common random numbers); every metric with each scenario's
//! value and its paired difference to the first.

use std::time::Instant;

use super::CompareArgs;
use super::common::{finish, input_files, page_input, progress_bar, write_charts, write_page};
use crate::error::Result;
use crate::interrupt::STOP;
use crate::output::study_key::StudyKey;
use crate::report::experiment_pages::comparison_page;
use crate::report::experiments::comparison_charts;
use crate::report::shell_word;
use crate::study::{Comparison, Observations, Scenario};

pub fn run(args: CompareArgs) -> Result<()> {
    let started = Instant::now();
    let loaded: Vec<Scenario> = args
        .scenarios
        .iter()
        .map(|s| Scenario::load_variant(s))
        .collect::<Result<_>>()?;
    let scenarios: Vec<&Scenario> = loaded.iter().collect();
    // Declared before the comparison that borrows them (so dropped after
    // it), read after its checks as before.
    #[allow(clippy::needless_late_init)]
    let given: Option<Observations>;
    let mut comparison = Comparison::new(&scenarios).cancel_on(&STOP);
    if let Some(runs) = args.runs {
        comparison = comparison.runs(runs);
    }
    if let Some(eps) = args.precision {
        comparison = comparison.precision(eps);
    }
    let max_runs = comparison.max_runs()?;
    comparison = comparison
        .threads(args.study.threads()?)
        .worlds(args.study.worlds()?);
    let (scenario_seed, _) = loaded[0].default_seed_and_runs();
    let seed = args.study.seed.unwrap_or(scenario_seed);
    comparison = comparison.seed(seed);
    given = args
        .given
        .as_deref()
        .map(|path| Observations::load(path, &loaded[0]))
        .transpose()?;
    if let Some(observations) = &given {
        comparison = comparison.given(observations);
    }
    let uncertain = loaded.iter().any(|s| !s.judged_keys().is_empty());
    let specs: Vec<&str> = args.scenarios.iter().map(String::as_str).collect();
    let study = StudyKey::new("compare", &specs)
        .with_given(args.given.as_deref())
        .with_precision(args.precision)
        .with_seed(seed, scenario_seed)
        .with_worlds(args.study.worlds, uncertain);
    let out = args.study.output(
        &default_out_name(&args.scenarios),
        &study,
        &input_files(specs.iter().copied(), args.given.as_deref()),
    )?;

    let progress = progress_bar(max_runs, "paired runs", args.study.quiet);
    let results = comparison
        .on_progress(|n| progress.set_position(n))
        .run()?;
    progress.finish_and_clear();

    let (comparison, mut manifest) = (results.comparison, results.manifest);
    out.write("comparison.json", comparison.to_json().as_bytes())?;
    out.write("comparison.csv", &comparison.to_csv())?;
    let mut files = vec!["comparison.json".to_string(), "comparison.csv".to_string()];
    let charts = write_charts(&out, args.study.no_plots, || comparison_charts(&comparison))?;
    files.extend(charts.files);
    manifest.plot_seconds = charts.seconds;
    let baseline = &loaded[0].loaded;
    let display = baseline.display_name();
    write_page(
        &out,
        args.study.no_plots,
        "comparison.html",
        &mut files,
        || {
            let command = reproduce(&args, seed, comparison.runs);
            let descriptions: Vec<String> = loaded
                .iter()
                .map(|s| s.loaded.scenario.scenario.description.clone())
                .collect();
            let input = page_input(baseline, &display, &charts.svgs, command);
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
