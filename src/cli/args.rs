//! Argument definitions (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Check scenario files and report every problem
    Validate(ValidateArgs),
    /// List the embedded scenarios
    Scenarios,
}

impl Default for Command {
    fn default() -> Self {
        Command::Run(RunArgs::default())
    }
}

#[derive(Debug, Default, Args)]
pub struct RunArgs {
    /// A scenario file or the name of an embedded scenario [default: muscat-2026]
    pub scenario: Option<String>,
    /// Number of runs [default: the scenario's `runs`]
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed [default: the scenario's `seed`]
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output directory [default: output/<scenario name>]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Change one scenario value, e.g. format.mode=direct or spoilers.israel.capability=0.3
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Also write runs.csv, one row per run
    #[arg(long)]
    pub save_runs: bool,
    /// Skip plots/ and report.html (for batch use)
    #[arg(long)]
    pub no_plots: bool,
    /// No progress bar and no text summary
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files or embedded scenario names
    #[arg(required = true)]
    pub files: Vec<String>,
}
