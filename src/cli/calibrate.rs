//! `backchannel calibrate FILE`: the judged inputs of the file's targets
//! held to their observations ([`Calibration`] runs it; this file writes
//! and prints what it learnt).

use std::time::Instant;

use clap::Args;

use super::StudyFlags;
use super::common::{print_notes, results_line, with_progress};
use crate::console::{out, outln};
use crate::interrupt::{STOP, WATCH};
use backchannel::error::Result;
use backchannel::{Calibration, CalibrationFile, calibration_schema};

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
    #[command(flatten)]
    pub no_shard: super::args::NoShard,
    #[command(flatten)]
    pub study: StudyFlags,
}

pub fn run(args: CalibrateArgs) -> Result<()> {
    args.no_shard.refuse(
        "calibrate",
        "each generation draws its worlds from the weights of the one before, so a cluster would run one array per generation with a merge between, which is not built",
    )?;
    let started = Instant::now();
    let Some(path) = &args.file else {
        out!("{}", calibration_schema());
        return Ok(());
    };
    let file = CalibrationFile::load(path)?;
    let study = Calibration::new(&file)
        .runs_per_world(args.runs_per_world)
        .min_ess(args.min_ess)
        .max_generations(args.max_generations)
        .seed(args.study.seed)
        .threads(args.study.threads()?)
        .worlds(args.study.worlds)
        .cancel_and_watch(&STOP, &WATCH);
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
