//! `backchannel sweep SCENARIO --vary KEY=LO..HI:STEPS [--vary ...]`: the
//! headline outcomes over a line (one key) or a grid (two keys) of values,
//! every point on the same seed.

use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use super::SweepArgs;
use super::common::{check_count, default_threads, progress_bar, write_charts};
use super::points::{load_points, parse_varies, run_points};
use crate::error::{Diagnostic, Error, Result};
use crate::output::OutputDir;
use crate::output::manifest::Manifest;
use crate::output::sweep::SweepTable;
use crate::report::experiments::sweep_charts;
use crate::scenario::validate::MAX_RUNS;
use crate::scenario::{embedded, load};

pub fn run(args: SweepArgs) -> Result<()> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let spec = args
        .scenario
        .clone()
        .unwrap_or_else(|| embedded::FLAGSHIP.to_string());
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
    let threads = args.threads.unwrap_or_else(default_threads);
    check_count("--threads", threads as u64, 1, 1024)?;
    let seed = args.seed.unwrap_or(meta.seed);
    let grid: Vec<Vec<f64>> = match varies.as_slice() {
        [a] => a.points().into_iter().map(|x| vec![x]).collect(),
        [a, b] => a
            .points()
            .into_iter()
            .flat_map(|x| b.points().into_iter().map(move |y| vec![x, y]))
            .collect(),
        _ => unreachable!("one or two keys"),
    };
    let point_sets: Vec<Vec<String>> = grid
        .iter()
        .map(|values| {
            varies
                .iter()
                .zip(values)
                .map(|(v, &x)| v.set_arg(x))
                .collect()
        })
        .collect();
    let points = load_points(&spec, &args.set, &point_sets)?;
    let out_path = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("sweep-{}", meta.name)));
    let out = OutputDir::create(&out_path)?;

    let progress = progress_bar(runs * points.len() as u64, "runs", args.quiet);
    let simulate_start = Instant::now();
    let summaries = run_points(&points, seed, runs, threads, &progress)?;
    progress.finish_and_clear();
    let table = SweepTable::new(
        varies.iter().map(|v| v.key.clone()).collect(),
        grid,
        &summaries,
    );
    out.write("sweep.csv", &table.to_csv())?;
    let mut files = vec!["sweep.csv".to_string()];
    let charts = write_charts(&out, args.no_plots, || {
        sweep_charts(&table, &meta.name, runs, seed)
    })?;
    files.extend(charts.files);
    files.push("manifest.json".into());
    let mut manifest = Manifest::start((&base).into(), seed, runs, threads, started_at);
    manifest.simulated(
        runs * points.len() as u64,
        simulate_start.elapsed().as_secs_f64(),
    );
    manifest.runs = runs;
    manifest.files = files;
    manifest.plot_seconds = charts.seconds;
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    out.write("manifest.json", manifest.to_json().as_bytes())?;
    let written = out.commit()?;
    if !args.quiet {
        print!("{}", table.render_text());
        println!("\n  Results in {}/", written.display());
    }
    Ok(())
}
