//! `backchannel calibrate FILE`: the judged inputs of the file's targets
//! held to their observations ([`Calibration`] runs it; this file writes
//! and prints what it learnt).

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use super::StudyFlags;
use super::common::{print_notes, results_line, with_progress};
use crate::console::{errln, out, outln};
use crate::interrupt::{STOP, WATCH};
use backchannel::error::Result;
use backchannel::results::Shard;
use backchannel::{
    Calibration, CalibrationFile, Diagnostic, Error, GenerationState, calibration_schema,
    parse_shard,
};

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// The calibration file (TOML: docs/CALIBRATION.md)
    #[arg(required_unless_present = "schema")]
    pub file: Option<String>,
    /// Print the JSON Schema of calibration files and exit
    #[arg(long, exclusive = true)]
    pub schema: bool,
    /// Runs of each target's scenario in each world [default: the file's, else 100]
    #[arg(long, value_name = "M")]
    pub runs_per_world: Option<u64>,
    /// The effective sample size to reach [default: the file's, else 500]
    #[arg(long, value_name = "N")]
    pub min_ess: Option<u64>,
    /// The most generations of the sampler [default: the file's, else 8]
    #[arg(long, value_name = "G")]
    pub max_generations: Option<u64>,
    /// Run across a cluster, one generation at a time: the directory that
    /// holds the generations' shards and counts (docs/SCALING.md,
    /// "Calibrating on a cluster"); with --shard, --step, --next or --missing
    #[arg(long, value_name = "DIR")]
    pub generation_dir: Option<PathBuf>,
    /// With --generation-dir: run shard I of N (from 0) of the current
    /// generation (`auto/N`: I from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// With --generation-dir: fold the current generation's shards, and
    /// once the calibration is complete write its files (to --out)
    #[arg(long, conflicts_with_all = ["shard", "next", "missing"])]
    pub step: bool,
    /// With --generation-dir: print the generation to run next, or `done`
    #[arg(long, conflicts_with_all = ["shard", "missing"])]
    pub next: bool,
    /// With --generation-dir: print the current generation's missing shards
    /// as a SLURM --array spec
    #[arg(long, conflicts_with = "shard")]
    pub missing: bool,
    #[command(flatten)]
    pub study: StudyFlags,
}

pub fn run(args: CalibrateArgs) -> Result<()> {
    let started = Instant::now();
    let Some(path) = &args.file else {
        out!("{}", calibration_schema());
        return Ok(());
    };
    if args.generation_dir.is_none()
        && (args.shard.is_some() || args.step || args.next || args.missing)
    {
        return Err(Error::input(
            Diagnostic::new(
                "`calibrate` runs on a cluster one generation at a time, in a generation directory",
            )
            .setting("generation-dir")
            .help("add --generation-dir DIR (the same for every shard and step of the calibration); see docs/SCALING.md, \"Calibrating on a cluster\""),
        ));
    }
    let file = CalibrationFile::load(path)?;
    let study = Calibration::new(&file)
        .runs_per_world(args.runs_per_world)
        .min_ess(args.min_ess)
        .max_generations(args.max_generations)
        .seed(args.study.seed)
        .threads(args.study.threads()?)
        .worlds(args.study.worlds)
        .cancel_and_watch(&STOP, &WATCH);
    if let Some(dir) = &args.generation_dir {
        return on_a_cluster(study, dir, &args, started);
    }
    let most_runs = study.check()?;
    let out = study
        .output(&args.study.output_options())?
        .timed_from(started);
    let results = with_progress(most_runs, "runs (at most)", args.study.quiet, |bar| {
        study.on_progress(|done| bar.set_position(done)).run()
    })?;
    let published = out.calibration(&results)?;
    print_notes(&published);
    if !args.study.quiet {
        out!("{}", results.text());
        outln!("\n{}", results_line(&published));
    }
    Ok(())
}

/// `calibrate FILE --generation-dir DIR` with `--shard`, `--step`, `--next`
/// or `--missing`: one step of a calibration run across a cluster.
fn on_a_cluster(
    study: Calibration,
    dir: &Path,
    args: &CalibrateArgs,
    started: Instant,
) -> Result<()> {
    if args.next {
        match study.generation_state(dir)? {
            GenerationState::Run(generation) => outln!("{generation}"),
            _ => outln!("done"),
        }
        return Ok(());
    }
    if args.missing {
        let spec = study.missing_generation_shards(dir)?;
        if spec.is_empty() {
            errln!("no shard is missing");
        }
        outln!("{spec}");
        return Ok(());
    }
    if let Some(shard) = &args.shard {
        let shard = parse_shard(shard, |v| std::env::var(v).ok())?;
        return run_generation_shard(study, dir, shard, args, started);
    }
    if !args.step {
        return Err(Error::input(
            Diagnostic::new("--generation-dir DIR needs one of --shard I/N, --step, --next or --missing")
                .help("run each generation's shards with --shard I/N, then fold it with --step; --next says what comes next"),
        ));
    }
    fold_generation(study, dir, args, started)
}

/// `--shard I/N`: run `shard` of the current generation into `dir`, unless
/// it is complete there already.
fn run_generation_shard(
    study: Calibration,
    dir: &Path,
    Shard { index, count }: Shard,
    args: &CalibrateArgs,
    started: Instant,
) -> Result<()> {
    let quiet = args.study.quiet;
    let GenerationState::Run(generation) = study.generation_state(dir)? else {
        // Refused with what to do instead.
        study.shard_generation(dir, index, count)?;
        return Ok(());
    };
    let out = study
        .generation_shard_output(dir, generation, index, count, args.study.replace)?
        .timed_from(started);
    if study.generation_shard_done(dir, index, count)? {
        if !quiet {
            outln!(
                "shard {index} of {count} of generation {generation} is complete in {} already: skipped (remove that directory to run it again)",
                out.path().display()
            );
        }
        return Ok(());
    }
    let slice = Shard { index, count }.slice(study.generation_runs()?);
    let results = with_progress(slice.end - slice.start, "runs", quiet, |bar| {
        study
            .on_progress(|done| bar.set_position(done))
            .shard_generation(dir, index, count)
    })?;
    let published = out.calibration_shard(&results)?;
    print_notes(&published);
    if !quiet {
        outln!(
            "shard {index} of {count} of generation {generation}: runs {}..{} written to {}/partial.json; fold the generation with `backchannel calibrate FILE --generation-dir DIR --step`",
            slice.start,
            slice.end,
            published.path.display()
        );
    }
    Ok(())
}

/// `--step`: fold the current generation's shards in `dir`; then say which
/// generation is next, or, the calibration complete, write its files.
fn fold_generation(
    study: Calibration,
    dir: &Path,
    args: &CalibrateArgs,
    started: Instant,
) -> Result<()> {
    let quiet = args.study.quiet;
    if let Some(folded) = study.fold_generation(dir)? {
        let generation = folded.generation();
        let published = study
            .folded_output(dir, generation)?
            .folded_generation(&folded)?;
        print_notes(&published);
        if !quiet {
            outln!(
                "generation {generation}: {} shards folded into {}/counts.json",
                folded.shards,
                published.path.display()
            );
        }
    }
    if let GenerationState::Run(generation) = study.generation_state(dir)? {
        if !quiet {
            outln!("next: generation {generation} (run its shards with --shard I/N, then --step)");
        }
        return Ok(());
    }
    let out = study
        .output(&args.study.output_options())?
        .timed_from(started);
    let results = study.finish_generations(dir)?;
    let published = out.calibration(&results)?;
    print_notes(&published);
    if !quiet {
        out!("{}", results.text());
        outln!("\n{}", results_line(&published));
    }
    Ok(())
}
