//! `backchannel run`: load, check the study's size, run with a progress bar
//! (to a fixed size, or doubling until `--precision` is met), write the
//! outputs atomically and print the one-screen summary.

use std::fs::File;
use std::io::BufWriter;
use std::time::{Instant, SystemTime};

use super::RunArgs;
use super::common::{
    check_count, check_precision, input_files, progress_bar, results_line, scenario_spec, stopped,
};
use super::shard::{ShardRun, parse_shard, run_shard};
use crate::engine::Labels;
use crate::engine::conditioning::{ConditionStop, Conditioned, MIN_ACCEPTANCE, run_conditioned};
use crate::engine::precision::{self, PrecisionRecord};
use crate::engine::runner::Stopped;
use crate::engine::{StudyOptions, Tally, Worlds, run_study};
use crate::error::{Diagnostic, Error, Result};
use crate::interrupt::STOP;
use crate::model::Model;
use crate::output::manifest::Manifest;
use crate::output::runs_csv::{self, RunsCsv};
use crate::output::study_key::StudyKey;
use crate::output::summary::{Prior, StudyId};
use crate::output::{Summary, text, uncertainty};
use crate::report::publish::{StudyResults, publish};
use crate::report::{GivenFile, ScenarioInfo};
use crate::scenario::load;
use crate::scenario::observations::{Observation, load_observations};
use crate::scenario::validate::MAX_RUNS;
use crate::stats::spread::{clustered, spread};
use crate::stats::{Z95, wilson};

pub fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let spec = scenario_spec(&args.scenario);
    let loaded = load(&spec, &args.set)?;
    let meta = &loaded.scenario.scenario;
    if let Some(eps) = args.precision {
        check_precision(eps)?;
    }
    let max_runs = match (args.runs, args.precision) {
        (Some(runs), _) => runs,
        (None, Some(_)) => precision::DEFAULT_MAX_RUNS,
        (None, None) => meta.runs,
    };
    check_count("--runs", max_runs, 1, MAX_RUNS)?;
    let threads = args.study.threads()?;
    let seed = args.study.seed.unwrap_or(meta.seed);
    if let Some(shard) = &args.shard {
        let shard = parse_shard(shard, |v| std::env::var(v).ok())?;
        return run_shard(ShardRun {
            loaded: &loaded,
            shard,
            seed,
            runs: max_runs,
            threads,
            worlds: args.study.worlds()?,
            worlds_given: args.study.worlds,
            out: args.study.out.clone(),
            replace: args.study.replace,
            quiet: args.study.quiet,
        });
    }
    let worlds = Worlds::draw(&loaded, seed, args.study.worlds()?)?;
    let model = worlds.shape();
    if args.save_runs {
        check_runs_csv_size(model, max_runs)?;
    }
    let given = args
        .given
        .as_deref()
        .map(|path| load_observations(path, &loaded.scenario))
        .transpose()?;
    let study = StudyKey::new("run", &[&spec])
        .with_sets(&args.set)
        .with_given(args.given.as_deref())
        .with_precision(args.precision)
        .with_seed(seed, meta.seed)
        .with_worlds(args.study.worlds, worlds.is_uncertain());
    let out = args.study.output(
        &meta.name,
        &study,
        &input_files([spec.as_str()], args.given.as_deref()),
    )?;

    let mut runs_csv = if args.save_runs {
        let path = out.temp_path().join("runs.csv");
        let file = File::create(&path)
            .map_err(|e| Error::failure(format!("cannot write {}: {e}", path.display())))?;
        Some(
            RunsCsv::new(&Labels::of(model), &worlds, BufWriter::new(file))
                .map_err(|e| Error::failure(e.to_string()))?,
        )
    } else {
        None
    };
    let progress = progress_bar(max_runs, "runs", args.study.quiet);
    let simulate_start = Instant::now();
    let mut tally = Tally::for_worlds(&worlds);
    // Without --precision there is one checkpoint: the requested size.
    let checkpoints = match args.precision {
        Some(_) => precision::checkpoints(max_runs),
        None => vec![max_runs],
    };
    let mut checked_at = Vec::new();
    let mut worlds_needed = None;
    let mut conditioning = None;
    let mut prior = None;
    let mut tried_by_world = None;
    if let Some(observations) = &given {
        let conditioned = run_conditioned(
            &worlds,
            &observations.items,
            seed,
            max_runs,
            threads,
            &STOP,
            |done| progress.set_position(done),
        )
        .map_err(|stop| match stop {
            Stopped::Callback(ConditionStop::TooRare(counts)) => {
                too_rare(&counts, &observations.items)
            }
            other => stopped(other),
        })?;
        conditioning = Some(conditioned.conditioning(&observations.items, &observations.sha256));
        let now = observations.items.iter().map(|o| o.round).max();
        prior = Some(Prior::new(&conditioned.prior, now.unwrap_or(0)));
        tried_by_world = Some(conditioned.tried_by_world);
        tally = conditioned.tally;
    }
    let checkpoints = if given.is_some() {
        Vec::new()
    } else {
        checkpoints
    };
    for &checkpoint in &checkpoints {
        let options = StudyOptions {
            seed,
            first_run: tally.runs,
            runs: checkpoint - tally.runs,
            threads,
            keep_records: args.save_runs,
        };
        let done_before = tally.runs;
        let part = run_study(&worlds, &options, &STOP, |done, records| {
            progress.set_position(done_before + done);
            match runs_csv.as_mut() {
                Some(csv) => csv.write(records),
                None => Ok(()),
            }
        })
        .map_err(stopped)?;
        tally.merge(&part);
        checked_at.push(tally.runs);
        if let Some(eps) = args.precision {
            worlds_needed = worlds_needed_for(&tally, eps);
            if headline_half_width(&tally) <= eps || worlds_needed.is_some() {
                break;
            }
        }
    }
    let simulate_seconds = simulate_start.elapsed().as_secs_f64();
    progress.finish_and_clear();
    if let Some(csv) = runs_csv {
        csv.finish()
            .map_err(|e| Error::failure(format!("cannot write runs.csv: {e}")))?;
    }

    let study = StudyId::new(&loaded, seed);
    let mut manifest = Manifest::start((&loaded).into(), seed, tally.runs, threads, started_at);
    manifest.simulated(tally.runs, simulate_seconds);
    manifest.precision = args.precision.map(|eps| PrecisionRecord {
        metric: "channel_continued".into(),
        target_half_width: eps,
        achieved_half_width: headline_half_width(&tally),
        reached: headline_half_width(&tally) <= eps,
        runs: tally.runs,
        max_runs,
        checked_at,
        worlds_needed,
    });
    let mut summary = Summary::new(&Labels::of(model), &study, &tally);
    summary.conditioning = conditioning;
    summary.prior = prior;
    let worlds_csv = uncertainty::add_to(&mut summary, &worlds, &tally, tried_by_world.as_deref());
    let mut scenario = ScenarioInfo::new(&loaded);
    scenario.given = given.as_ref().map(|o| GivenFile {
        path: o.path.clone(),
        text: o.text.clone(),
    });
    let mut results = StudyResults {
        summary,
        manifest,
        scenario,
        plots: !args.study.no_plots,
        worlds_csv,
    };
    let already_written: &[&str] = if args.save_runs { &["runs.csv"] } else { &[] };
    let committed = publish(out, &mut results, already_written, started)?;
    if !args.study.quiet {
        print!("{}", text::render(&results.summary));
        if let Some(p) = &results.manifest.precision {
            let verdict = match (p.reached, p.worlds_needed) {
                (true, _) => "reached",
                (false, Some(_)) => "NOT reachable with these worlds",
                (false, None) => "NOT reached at the maximum",
            };
            println!(
                "\n  Precision ±{:.4} on P(channel continued) {verdict}: ±{:.4} after {} runs",
                p.target_half_width, p.achieved_half_width, p.runs
            );
            if let Some(needed) = p.worlds_needed {
                println!(
                    "  More runs cannot reach it: the judged inputs' spread over {} worlds alone is wider; about --worlds {needed} would",
                    worlds.count()
                );
            }
        }
        println!(
            "\n{} ({:.0} runs/s on {threads} threads)",
            results_line(&committed),
            results.manifest.runs_per_second
        );
    }
    Ok(())
}

/// The error for observations the model did not expect: it names the least
/// likely one, which is itself news.
fn too_rare(counts: &Conditioned, observations: &[Observation]) -> Error {
    let (least, share) = counts.least_likely(observations);
    Error::input(
        Diagnostic::new(format!(
            "only {} of {} runs ({:.3}%) are consistent with the observations, below the {}% needed",
            counts.tally.runs,
            counts.tried,
            100.0 * counts.tally.runs as f64 / counts.tried.max(1) as f64,
            100.0 * MIN_ACCEPTANCE
        ))
        .key("--given")
        .help(if share >= MIN_ACCEPTANCE {
            format!(
                "each observation alone holds in at least {:.3}% of runs (the least likely: \"{}\"): it is their combination \
                 the model did not produce — check the observations against docs/SCENARIO.md (a suspending shock, for one, \
                 leaves the channel suspended in its round)",
                100.0 * share,
                least.text
            )
        } else {
            format!(
                "the least likely observation is \"{}\", true in {:.3}% of runs: the model did not expect it; check it, or the scenario",
                least.text,
                100.0 * share
            )
        }),
    )
}

/// Refuse up front a `runs.csv` too large to be useful, stating its size.
fn check_runs_csv_size(model: &Model, runs: u64) -> Result<()> {
    let bytes = runs_csv::estimated_bytes(&Labels::of(model), runs);
    if bytes > runs_csv::MAX_BYTES {
        return Err(Error::input(
            Diagnostic::new(format!(
                "runs.csv for {runs} runs would take about {:.0} GB, over the {} GB limit",
                bytes as f64 / 1e9,
                runs_csv::MAX_BYTES / (1024 * 1024 * 1024)
            ))
            .key("--save-runs")
            .help("drop --save-runs (summaries need no per-run rows), use fewer runs, or replay single runs with `backchannel trace`"),
        ));
    }
    Ok(())
}

/// With judged inputs: when the spread of P(channel continued) across the
/// worlds alone, `1.96 sqrt(τ² / W)`, is above `eps`, the worlds that would
/// bring it to `eps` (docs/MODEL.md, "Judged inputs and worlds").
fn worlds_needed_for(tally: &Tally, eps: f64) -> Option<u64> {
    let by_world = Labels::headline_by_world(tally);
    let (_, continued) = by_world.first()?;
    let worlds = continued.iter().filter(|w| w.runs > 0).count() as f64;
    let spread = spread(continued, &vec![1.0; continued.len()]);
    let p = tally.continued() as f64 / tally.runs.max(1) as f64;
    let between = spread.share_from_inputs * p * (1.0 - p);
    let floor = Z95 * (between / worlds).sqrt();
    (floor > eps).then(|| (worlds * (floor / eps).powi(2)).ceil() as u64)
}

/// Half-width of the 95 % interval of P(channel continued) (for runs
/// clustered in worlds when inputs are judged).
fn headline_half_width(tally: &Tally) -> f64 {
    let p = if tally.worlds.is_empty() {
        wilson(tally.continued(), tally.runs, Z95)
    } else {
        let by_world = Labels::headline_by_world(tally);
        clustered(&by_world[0].1, Z95)
    };
    (p.hi - p.lo) / 2.0
}
