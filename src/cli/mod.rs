//! The command line: parses arguments into plain option structs and hands
//! them to one function per command. Nothing below this module sees clap.

mod args;
mod common;
mod compare;
mod indicators;
mod init;
mod points;
mod run;
mod scenarios;
mod sensitivity;
mod sweep;
mod validate;

use clap::Parser;

pub use args::{
    Cli, Command, CompareArgs, IndicatorsArgs, Method, RunArgs, SensitivityArgs, SweepArgs,
};

use crate::error::Error;

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
    let result = match cli.command.unwrap_or_default() {
        Command::Run(args) => run::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Indicators(args) => indicators::run(args),
        Command::Sensitivity(args) => sensitivity::run(args),
        Command::Validate(args) => validate::validate(&args.files),
        Command::Scenarios => scenarios::list(),
        Command::Init { name } => init::init(&name),
        Command::Schema => {
            print!("{}", crate::scenario::schema::json_schema());
            Ok(())
        }
    };
    match result {
        Ok(()) => 0,
        Err(error) => report(&error),
    }
}

/// Print an error to stderr and give its exit status.
fn report(error: &Error) -> i32 {
    eprintln!("{error}");
    error.exit_code()
}
