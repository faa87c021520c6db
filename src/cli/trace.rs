//! `backchannel trace SCENARIO --run K`: replay one run alone and show,
//! round by round, what happened — as text, or as JSON Lines with `--json`
//! whose last line is the run's outcome with the fields and spelling of its
//! `runs.csv` row ([`Trace`] does the replay).

use super::TraceArgs;
use super::common::load_inputs;
use crate::console::{self, outln};
use crate::interrupt::{STOP, WATCH};
use backchannel::Trace;
use backchannel::error::Result;
use backchannel::text::printable;

pub fn run(args: TraceArgs) -> Result<()> {
    let (_, scenario, given) = load_inputs(&args.scenario, &args.set, args.given.as_deref())?;
    let trace = Trace::new(&scenario, args.run)
        .seed(args.seed)
        .worlds(args.worlds)
        .given(given.as_ref())
        .cancel_and_watch(&STOP, &WATCH)
        .run()?;
    let lines = if args.json {
        trace.json_lines()
    } else {
        trace.text_lines()
    };
    // Names come from the scenario: no control character reaches the
    // terminal. A reader gone (`| head`) ends the trace quietly.
    for line in lines.iter().take_while(|_| console::stdout_open()) {
        outln!("{}", printable(line));
    }
    Ok(())
}
