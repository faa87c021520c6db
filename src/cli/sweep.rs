//! `backchannel sweep SCENARIO --vary KEY=LO..HI:STEPS [--vary ...]`: the
//! headline outcomes over a line (one key) or a grid (two keys) of values,
//! every point on the same seed.

use std::time::{Instant, SystemTime};

use super::SweepArgs;
use super::common::{
    check_count, command_line, finish, input_files, page_input, progress_bar, scenario_spec,
    write_charts, write_page,
};
use super::points::{
    check_design_size, check_points, design_of, design_study, parse_varies, run_points,
};
use crate::error::{Diagnostic, Error, Result};
use crate::experiment::vary::Vary;
use crate::output::manifest::Manifest;
use crate::output::sweep::SweepTable;
use crate::report::experiment_pages::sweep_page;
use crate::report::experiments::sweep_charts;
use crate::report::shell_word;
use crate::scenario::load;
use crate::scenario::overrides::value_at;
use crate::scenario::validate::MAX_RUNS;

pub fn run(args: SweepArgs) -> Result<()> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let spec = scenario_spec(&args.scenario);
    let base = load(&spec, &args.set)?;
    let varies = parse_varies(&args.vary, true)?;
    if !(1..=2).contains(&varies.len()) {
        return Err(Error::input(
            Diagnostic::new(format!(
                "expected one or two --vary, found {}",
                varies.len()
            ))
            .key("--vary"),
        ));
    }
    let meta = &base.scenario.scenario;
    let runs = args.runs.unwrap_or(meta.runs);
    check_count("--runs", runs, 1, MAX_RUNS)?;
    let threads = args.study.threads()?;
    let seed = args.study.seed.unwrap_or(meta.seed);
    let lines: Vec<Vec<f64>> = varies.iter().map(Vary::points).collect();
    let points: u64 = lines.iter().map(|line| line.len() as u64).product();
    check_design_size(points, runs, "fewer steps, or fewer --runs")?;
    let grid: Vec<Vec<f64>> = match lines.as_slice() {
        [a] => a.iter().map(|&x| vec![x]).collect(),
        [a, b] => a
            .iter()
            .flat_map(|&x| b.iter().map(move |&y| vec![x, y]))
            .collect(),
        _ => unreachable!("one or two keys"),
    };
    let design = design_of(&varies, &grid);
    check_points(&spec, &args.set, &design, threads)?;
    let study = design_study("sweep", &spec, &args.vary, &args.set, seed, meta.seed);
    let out = args.study.output(
        &format!("sweep-{}", meta.name),
        &study,
        &input_files([spec.as_str()], None),
    )?;

    let progress = progress_bar(runs * points, "runs", args.study.quiet);
    let simulate_start = Instant::now();
    let headlines = run_points(&spec, &args.set, &design, seed, runs, threads, &progress)?;
    let simulate_seconds = simulate_start.elapsed().as_secs_f64();
    progress.finish_and_clear();
    drop(design); // it borrows the grid, which the table now takes
    let table = SweepTable::new(
        varies.iter().map(|v| v.key.clone()).collect(),
        grid,
        headlines.metrics,
        headlines.rows,
    );
    out.write("sweep.csv", &table.to_csv())?;
    let mut files = vec!["sweep.csv".to_string()];
    // The scenario's own value of each key, marked on the chart (none when
    // the key is not numeric or not written, so the mode's default applies).
    let own: Vec<Option<f64>> = varies
        .iter()
        .map(|v| {
            value_at(&base.scenario, &v.key)
                .and_then(|x| x.as_float().or_else(|| x.as_integer().map(|i| i as f64)))
        })
        .collect();
    let charts = write_charts(&out, args.study.no_plots, || {
        sweep_charts(&table, &base.display_name(), runs, seed, &own)
    })?;
    files.extend(charts.files);
    let display = base.display_name();
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
            &page_input(&base, &display, &charts.svgs, command),
        )
    })?;
    let mut manifest = Manifest::start((&base).into(), seed, runs, threads, started_at);
    manifest.simulated(runs * points, simulate_seconds);
    manifest.runs = runs;
    manifest.plot_seconds = charts.seconds;
    let text = (!args.study.quiet).then(|| table.render_text());
    finish(out, files, manifest, started, text)
}
