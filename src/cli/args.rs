//! Argument definitions (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use backchannel::Method;
use backchannel::Sampling;
use backchannel::{DEFAULT_RUNS_PER_POINT, DEFAULT_SAMPLES};

#[derive(Debug, Parser)]
#[command(
    name = "backchannel",
    version,
    about = "Forecast mediated diplomatic talks by seeded, reproducible Monte Carlo simulation",
    long_about = "Forecast mediated diplomatic talks by seeded, reproducible Monte Carlo simulation.\n\n\
                  With no command, runs the embedded flagship scenario (muscat-2026)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a study of a scenario and write its results
    Run(RunArgs),
    /// Compare scenarios run on common random numbers, with paired differences
    ///
    /// The table printed is fitted to $COLUMNS when set, else to the
    /// terminal's width, else (output to a pipe or a file) to 80 columns:
    /// one line per metric if that fits; else each metric's name on a line
    /// of its own with its figures below it, each labelled [k] when they
    /// need more than one line.
    Compare(CompareArgs),
    /// Headline outcomes over a line or grid of parameter values
    Sweep(SweepArgs),
    /// Rank parameters by their influence on the headline outcomes
    Sensitivity(SensitivityArgs),
    /// Rank what could be observed at a round by how much it would move the forecast
    Indicators(IndicatorsArgs),
    /// Find the ranges of the judged inputs where an outcome is likely (PRIM;
    /// draws 1000 worlds of 500 runs unless --worlds and --runs say otherwise)
    Discover(DiscoverArgs),
    /// Hold the judged inputs of scenarios to observed frequencies
    /// (population Monte Carlo; docs/CALIBRATION.md)
    Calibrate(super::calibrate::CalibrateArgs),
    /// Merge the partial results of a study run with --shard (`run`,
    /// `compare`, `sweep`, `sensitivity`, `indicators`, `discover`,
    /// `backtest`) into one study
    Merge(MergeArgs),
    /// Replay one run round by round
    Trace(TraceArgs),
    /// Score the forecasts of historical cases (scenario files with a
    /// [record]) with proper scoring rules (docs/BACKTEST.md)
    Backtest(BacktestArgs),
    /// Check scenario files and report every problem
    Validate(ValidateArgs),
    /// List the embedded scenarios
    Scenarios,
    /// Write NAME.toml, a commented scenario to start from
    Init {
        /// The scenario's name: lowercase letters, digits and '-'
        name: String,
    },
    /// Print the JSON Schema of the scenario format
    Schema,
}

impl Default for Command {
    fn default() -> Self {
        Command::Run(RunArgs::default())
    }
}

/// What every command that simulates and writes a study shares.
#[derive(Debug, Default, Args)]
pub struct StudyFlags {
    /// Master seed, shared by every scenario and design point [default: the (first) scenario's `seed`]
    #[arg(long, value_parser = seed_parser())]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Worlds to draw when the scenario has judged inputs (distributions):
    /// each samples every distribution once and gets runs/W runs [default: 200]
    #[arg(long, value_name = "W")]
    pub worlds: Option<u64>,
    /// Output directory [default: under output/, named after the command and scenario]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No progress bar and no text summary
    #[arg(long, short)]
    pub quiet: bool,
    /// Write no plots and no HTML page (for batch use)
    #[arg(long)]
    pub no_plots: bool,
    /// Replace the results of a different study in the output directory
    /// (backchannel's own results only; other files are never replaced)
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Default, Args)]
pub struct RunArgs {
    /// A scenario file or the name of an embedded scenario [default: muscat-2026]
    pub scenario: Option<String>,
    /// Number of runs [default: the scenario's `runs`]
    #[arg(long)]
    pub runs: Option<u64>,
    /// Change one scenario value, e.g. format.mode=direct or spoilers.israel.capability=0.3
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Also write runs.csv, one row per run
    #[arg(long)]
    pub save_runs: bool,
    /// Add runs (doubling from 10 000) until the 95% half-width of
    /// P(channel continued) is at most EPS; --runs is then the maximum
    #[arg(long, value_name = "EPS", conflicts_with = "given")]
    pub precision: Option<f64>,
    /// Condition the forecast on observations (a TOML file of facts by
    /// round); --runs then counts the runs consistent with them
    #[arg(long, value_name = "OBS.toml", conflicts_with = "save_runs")]
    pub given: Option<String>,
    /// Run only shard I of N (counting from 0) and write its counts for
    /// `merge`; `auto/N` reads SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub study: StudyFlags,
}

#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// A directory of case files: scenarios with a [record] table
    pub dir: PathBuf,
    /// Runs per case
    #[arg(long, default_value_t = backchannel::BACKTEST_RUNS)]
    pub runs: u64,
    /// Run only shard I of N (counting from 0) of the case-runs (every
    /// case's runs, case after case) and write its counts for `merge`;
    /// `auto/N` reads SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub study: StudyFlags,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files or embedded scenario names
    #[arg(required = true)]
    pub files: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two or more scenarios: files, embedded names, or NAME:KEY=VALUE[:KEY=VALUE] variants; the first is the baseline
    #[arg(required = true, num_args = 2..)]
    pub scenarios: Vec<String>,
    /// Runs per scenario [default: the first scenario's `runs`]
    #[arg(long)]
    pub runs: Option<u64>,
    /// Add runs (doubling from 10 000) until the 95% half-width of the first
    /// difference in P(channel continued) is at most EPS
    #[arg(long, value_name = "EPS", conflicts_with = "given")]
    pub precision: Option<f64>,
    /// Compare only runs consistent with these observations in every
    /// scenario; --runs then counts those runs
    #[arg(long, value_name = "OBS.toml")]
    pub given: Option<String>,
    /// Run only shard I of N (counting from 0) of the paired run indices,
    /// in every scenario, and write its sums for `merge`; `auto/N` reads
    /// SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub study: StudyFlags,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// A scenario file or embedded name [default: muscat-2026]
    pub scenario: Option<String>,
    /// KEY=LO..HI:STEPS, once for a line, twice for a grid
    #[arg(long, required = true, value_name = "KEY=LO..HI:STEPS")]
    pub vary: Vec<String>,
    /// Change one scenario value at every point
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Runs per point [default: the scenario's `runs`]
    #[arg(long)]
    pub runs: Option<u64>,
    /// Run only shard I of N (counting from 0) of the design's point-runs
    /// (points x runs) and write its counts for `merge`; `auto/N` reads
    /// SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub study: StudyFlags,
}

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// A scenario file or embedded name [default: muscat-2026]
    pub scenario: Option<String>,
    /// KEY=LO..HI, once per parameter [default: the scenario's judged
    /// inputs, each over its distribution (Sobol' only)]
    #[arg(long, value_name = "KEY=LO..HI")]
    pub vary: Vec<String>,
    #[arg(long, value_enum, default_value = "sobol")]
    pub method: MethodArg,
    /// Runs per design point
    #[arg(long, default_value_t = DEFAULT_RUNS_PER_POINT)]
    pub runs: u64,
    /// Base samples N of the Saltelli design (N x (parameters + 2) points)
    #[arg(long, default_value_t = DEFAULT_SAMPLES)]
    pub samples: usize,
    /// Change one scenario value at every point
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run only shard I of N (counting from 0) of the design's point-runs
    /// (points x runs) and write its counts for `merge`; `auto/N` reads
    /// SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub study: StudyFlags,
}

#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    /// A scenario file or embedded name [default: muscat-2026]
    pub scenario: Option<String>,
    /// The round whose observables to rank
    #[arg(long, value_name = "ROUND")]
    pub at: u32,
    /// What is known so far: rank only among runs consistent with these
    /// observations (--runs then counts those runs)
    #[arg(long, value_name = "OBS.toml")]
    pub given: Option<String>,
    /// Number of runs [default: the scenario's `runs`]
    #[arg(long)]
    pub runs: Option<u64>,
    /// Change one scenario value
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run only shard I of N (counting from 0) of the runs and write its
    /// counts for `merge`; `auto/N` reads SLURM_ARRAY_TASK_ID or
    /// JOB_COMPLETION_INDEX
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub study: StudyFlags,
}

#[derive(Debug, Args)]
#[command(mut_arg("worlds", |arg| arg.help(
    "Worlds to draw: each samples every judged input once and gets runs/W runs [default: 1000]"
)))]
pub struct DiscoverArgs {
    /// A scenario file or embedded name with judged inputs [default: muscat-2026]
    pub scenario: Option<String>,
    /// The outcome: broken, continued, escalation, deal.partial,
    /// deal.comprehensive, deal.none, or channel.STATE
    #[arg(long, value_name = "KEY")]
    pub outcome: String,
    /// The density (share of runs with the outcome) the chosen box should
    /// reach; when no box does, the box is chosen for the threshold the data
    /// supports, and the summary says so
    #[arg(long, default_value_t = 0.8, value_name = "P")]
    pub threshold: f64,
    /// Look for where the outcome is unlikely: boxes whose density is at
    /// most --threshold
    #[arg(long)]
    pub below: bool,
    /// A world is a case when its probability of the outcome crosses a
    /// value (p>=0.35 or p<=0.2); PRIM then looks for the cases, and the
    /// density is their share of a box's worlds
    #[arg(long, value_name = "p>=P|p<=P", value_parser = parse_case)]
    pub case: Option<backchannel::results::Case>,
    /// Report step N of PRIM's trajectory (discover.csv's `step`) instead
    /// of the box the rule chooses
    #[arg(long, value_name = "N")]
    pub step: Option<usize>,
    /// Paste every peeled box (widen it again while that raises its
    /// density) and add the pasted boxes to the trajectory, marked with the
    /// step they widen, as candidates for the chosen box
    #[arg(long)]
    pub paste: bool,
    /// Keep the chosen box's restrictions that pass neither test of
    /// significance (quasi-p <= 0.05, or restricted in half the refits),
    /// marked, instead of dropping them
    #[arg(long)]
    pub keep_all: bool,
    /// How the worlds are laid out over the judged inputs: independent
    /// draws, or a Latin hypercube (each of W equal-probability strata of
    /// every input holds one world)
    #[arg(long, value_enum, default_value_t = SamplingArg::MonteCarlo)]
    pub sampling: SamplingArg,
    /// Number of runs, spread over the worlds [default: 500 a world]
    #[arg(long)]
    pub runs: Option<u64>,
    /// Change one scenario value
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run only shard I of N (counting from 0) of the runs over the worlds
    /// and write its counts for `merge`, which then searches the worlds;
    /// `auto/N` reads SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub study: StudyFlags,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output directories of a study run with --shard I/N (or their
    /// partial.json files)
    #[arg(required = true)]
    pub dirs: Vec<String>,
    /// Output directory [default: the one `run` of the same study writes]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the results of a different study in the output directory
    /// (backchannel's own results only; other files are never replaced)
    #[arg(long)]
    pub replace: bool,
    /// Merge the shards present even if some are missing (`run` only)
    #[arg(long)]
    pub partial: bool,
    /// Merge nothing: print the shards missing among those of N named, as
    /// a SLURM --array spec (e.g. 3,7-9), empty when none is
    #[arg(long, conflicts_with_all = ["partial", "out", "replace", "no_plots"])]
    pub missing: bool,
    /// Write no plots and no report
    #[arg(long)]
    pub no_plots: bool,
    /// No text summary
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// A scenario file or embedded name [default: muscat-2026]
    pub scenario: Option<String>,
    /// The run index to replay (from 0), as in runs.csv
    #[arg(long)]
    pub run: u64,
    /// Master seed [default: the scenario's `seed`]
    #[arg(long, value_parser = seed_parser())]
    pub seed: Option<u64>,
    /// Change one scenario value
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// JSON Lines: one object per event and per round, the outcome last
    #[arg(long)]
    pub json: bool,
    /// Worlds the study drew, when the scenario has judged inputs: run R
    /// takes place in world R mod W [default: 200]
    #[arg(long, value_name = "W")]
    pub worlds: Option<u64>,
    /// Replay the --run-th run (from 0) consistent with these observations
    #[arg(long, value_name = "OBS.toml")]
    pub given: Option<String>,
}

/// `--seed` takes what a scenario's `seed` takes: 0 to 2^63 − 1, the
/// integers TOML (and so `summary.json` read back) can hold.
fn seed_parser() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(..=backchannel::MAX_SEED)
}

/// `--method`: the library's [`Method`], named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// Sobol' first-order and total indices from a Saltelli design
    Sobol,
    /// One at a time: each parameter at its low and high value, others at the scenario's
    Oat,
}

impl From<MethodArg> for Method {
    fn from(method: MethodArg) -> Method {
        match method {
            MethodArg::Sobol => Method::Sobol,
            MethodArg::Oat => Method::Oat,
        }
    }
}

/// `--case p>=P` or `p<=P`.
fn parse_case(written: &str) -> Result<backchannel::results::Case, String> {
    written.parse()
}

/// `--sampling`: the library's [`Sampling`], named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SamplingArg {
    /// Independent draws from the judged inputs' distributions
    #[default]
    MonteCarlo,
    /// A Latin hypercube over the distributions (McKay, Beckman & Conover 1979)
    Latin,
}

impl From<SamplingArg> for Sampling {
    fn from(sampling: SamplingArg) -> Sampling {
        match sampling {
            SamplingArg::MonteCarlo => Sampling::MonteCarlo,
            SamplingArg::Latin => Sampling::Latin,
        }
    }
}
