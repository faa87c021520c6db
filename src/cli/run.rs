//! `backchannel run`: load, check the study's size, run with a progress bar,
//! write the outputs atomically and print the one-screen summary.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::RunArgs;
use crate::engine::{StudyOptions, run_study, runner::Stopped};
use crate::error::{Diagnostic, Error, Result};
use crate::model::Model;
use crate::output::manifest::{self, Manifest, ManifestScenario};
use crate::output::publish::{StudyResults, publish};
use crate::output::runs_csv::RunsCsv;
use crate::output::summary::StudyId;
use crate::output::{OutputDir, Summary, text};
use crate::report::ScenarioInfo;
use crate::scenario::validate::MAX_RUNS;
use crate::scenario::{embedded, load};

/// A never-raised cancel flag until Ctrl-C handling is wired in.
static CANCEL: AtomicBool = AtomicBool::new(false);

pub fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    let spec = args
        .scenario
        .clone()
        .unwrap_or_else(|| embedded::FLAGSHIP.to_string());
    let loaded = load(&spec, &args.set)?;
    let meta = &loaded.scenario.scenario;
    let runs = args.runs.unwrap_or(meta.runs);
    check_count("--runs", runs, 1, MAX_RUNS)?;
    let threads = args.threads.unwrap_or_else(default_threads);
    check_count("--threads", threads as u64, 1, 1024)?;
    let seed = args.seed.unwrap_or(meta.seed);
    let out_path = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&meta.name));
    let model = Model::new(&loaded.scenario);
    let out = OutputDir::create(&out_path)?;

    let options = StudyOptions {
        seed,
        first_run: 0,
        runs,
        threads,
        keep_records: args.save_runs,
    };
    let progress = progress_bar(runs, args.quiet);
    let mut runs_csv = if args.save_runs {
        let path = out.temp_path().join("runs.csv");
        let file = File::create(&path)
            .map_err(|e| Error::failure(format!("cannot write {}: {e}", path.display())))?;
        Some(
            RunsCsv::new(&model, BufWriter::new(file))
                .map_err(|e| Error::failure(e.to_string()))?,
        )
    } else {
        None
    };
    let simulate_start = Instant::now();
    let tally = run_study(&model, &options, &CANCEL, |done, records| {
        progress.set_position(done);
        match runs_csv.as_mut() {
            Some(csv) => csv.write(records),
            None => Ok(()),
        }
    })
    .map_err(|stopped| match stopped {
        Stopped::Cancelled => Error::failure("interrupted; no results were written"),
        Stopped::Callback(e) => Error::failure(format!("cannot write runs.csv: {e}")),
        Stopped::Pool(e) => Error::failure(format!("cannot start worker threads: {e}")),
    })?;
    let simulate_seconds = simulate_start.elapsed().as_secs_f64();
    progress.finish_and_clear();
    if let Some(csv) = runs_csv {
        csv.finish()
            .map_err(|e| Error::failure(format!("cannot write runs.csv: {e}")))?;
    }

    let study = StudyId {
        name: meta.name.clone(),
        sha256: loaded.sha256.clone(),
        seed,
        round_label: meta.round_label.clone(),
    };
    let mut results = StudyResults {
        summary: Summary::new(&model, &study, &tally),
        manifest: Manifest {
            schema: manifest::SCHEMA,
            scenario: ManifestScenario {
                spec: loaded.spec.clone(),
                name: meta.name.clone(),
                sha256: loaded.sha256.clone(),
                overrides: loaded.overrides.clone(),
            },
            seed,
            runs,
            threads,
            backchannel_version: env!("CARGO_PKG_VERSION"),
            rustc_version: manifest::RUSTC_VERSION,
            target: manifest::TARGET,
            host: manifest::host_name(),
            command_line: std::env::args().collect(),
            started_at_unix: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
                .saturating_sub(started.elapsed().as_secs()),
            simulate_seconds,
            runs_per_second: runs as f64 / simulate_seconds.max(1e-9),
            plot_seconds: 0.0,
            wall_seconds: 0.0,
            files: Vec::new(),
        },
        scenario: ScenarioInfo::new(&loaded),
        plots: !args.no_plots,
    };
    let already_written: &[&str] = if args.save_runs { &["runs.csv"] } else { &[] };
    let written = publish(out, &mut results, already_written, started)?;
    let (summary, manifest) = (&results.summary, &results.manifest);
    if !args.quiet {
        print!("{}", text::render(summary));
        println!(
            "\n  Results in {}/ ({:.0} runs/s on {threads} threads)",
            written.display(),
            manifest.runs_per_second
        );
    }
    Ok(())
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A command-line count must lie in `[lo, hi]`.
fn check_count(flag: &str, value: u64, lo: u64, hi: u64) -> Result<()> {
    if value < lo || value > hi {
        return Err(Error::input(
            Diagnostic::new(format!(
                "expected a number from {lo} to {hi}, found {value}"
            ))
            .key(flag),
        ));
    }
    Ok(())
}

/// A progress bar on stderr, hidden with `--quiet` or when stderr is not a
/// terminal.
fn progress_bar(runs: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(runs), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} runs ({per_sec}, {eta} left)")
            .expect("a valid template"),
    );
    bar
}
