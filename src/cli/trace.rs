//! `backchannel trace SCENARIO --run K`: replay one run alone and show,
//! round by round, what happened — as text, or as JSON Lines with `--json`
//! whose last line is the run's outcome with the fields and spelling of its
//! `runs.csv` row ([`Trace`] does the replay).

use std::io::Write;

use super::TraceArgs;
use super::common::load_inputs;
use crate::error::{Error, Result};
use crate::interrupt::STOP;
use crate::output::text::printable;
use crate::study::Trace;

pub fn run(args: TraceArgs) -> Result<()> {
    let (_, scenario, given) = load_inputs(&args.scenario, &args.set, args.given.as_deref())?;
    let trace = Trace::new(&scenario, args.run)
        .seed(args.seed)
        .worlds(args.worlds)
        .given(given.as_ref())
        .cancel_on(&STOP)
        .run()?;
    let lines = if args.json {
        trace.json_lines()
    } else {
        trace.text_lines()
    };
    let mut out = std::io::stdout().lock();
    for line in lines {
        // Names come from the scenario: no control character reaches the terminal.
        writeln!(out, "{}", printable(&line))
            .map_err(|e| Error::failure(format!("cannot write the trace: {e}")))?;
    }
    Ok(())
}
