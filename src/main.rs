//! The `backchannel` command line: arguments in, a study of the
//! `backchannel` library run, its files published and a summary printed.

mod cli;
mod console;
mod interrupt;

fn main() {
    std::process::exit(cli::main());
}
