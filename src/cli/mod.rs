//! The command line: parses arguments into plain option structs and hands
//! them to one function per command. Nothing below this module sees clap.

mod args;
mod backtest;
mod calibrate;
mod common;
mod compare;
mod discover;
mod indicators;
mod init;
mod merge;
mod points;
mod run;
mod scenarios;
mod sensitivity;
mod shard;
mod sweep;
mod trace;
mod validate;

use clap::Parser;

pub use args::{
    BacktestArgs, Cli, Command, CompareArgs, DiscoverArgs, IndicatorsArgs, MergeArgs, RunArgs,
    SensitivityArgs, StudyFlags, SweepArgs, TraceArgs,
};

use crate::console::{self, errln, out};
use backchannel::error::Error;
use backchannel::text::CommandLineWords;

/// Run the command line and return the process exit status: 0 success,
/// 2 bad input or usage, 1 any other failure.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    // SIGINT, SIGTERM and SIGHUP stop any command within moments, leaving
    // the previous results and no temporary directory (see `interrupt`).
    if let Err(e) = crate::interrupt::install() {
        errln!("warning: cannot handle interrupts: {e}");
    }
    let result = match cli.command.unwrap_or_default() {
        Command::Run(args) => run::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Indicators(args) => indicators::run(args),
        Command::Discover(args) => discover::run(args),
        Command::Calibrate(args) => calibrate::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Trace(args) => trace::run(args),
        Command::Sensitivity(args) => sensitivity::run(args),
        Command::Backtest(args) => backtest::run(args),
        Command::Validate(args) => validate::validate(&args.files),
        Command::Scenarios => scenarios::list(),
        Command::Init { name } => init::init(&name),
        Command::Schema => {
            out!("{}", backchannel_core::scenario::schema::json_schema());
            Ok(())
        }
    };
    // A command cut short by a signal may fail in any way (a read that
    // returned early, a study stopped); what the user should hear is that it
    // was interrupted, unless its results were already published: then it
    // ends as it would have (see `interrupt`).
    let result = match (crate::interrupt::requested(), crate::interrupt::published()) {
        (Some(_), None) => Err(Error::Interrupted),
        _ => result,
    };
    // A closed pipe is a reader gone, not a failure; any other error
    // writing stdout lost text the user asked for.
    let result = match console::stdout_error() {
        Some(e) if result.is_ok() => Err(Error::failure(format!("cannot write to stdout: {e}"))),
        _ => result,
    };
    match result {
        Ok(()) => 0,
        Err(error) => report(error),
    }
}

/// Print an error to stderr, the study settings it names as this command
/// line's flags, and give its exit status: 2 bad input, 1 any other
/// failure, `128 + signal` when a signal stopped the command.
fn report(error: Error) -> i32 {
    let error = error.in_words(&CommandLineWords);
    match error {
        Error::Input(_) => {
            errln!("{error}");
            2
        }
        Error::Interrupted => {
            let signal = crate::interrupt::requested().unwrap_or(signal_hook::consts::SIGINT);
            errln!(
                "interrupted by {}; no results were written",
                crate::interrupt::signal_name(signal)
            );
            crate::interrupt::exit_status(signal)
        }
        // `Error::Failure`, and any kind the library adds (`Error` is
        // non-exhaustive): a failure.
        _ => {
            errln!("{error}");
            1
        }
    }
}
