//! backchannel as a library: load the flagship scenario, change one value,
//! run a forecast of each, then compare them on common random numbers and
//! print the paired difference.
//!
//! ```text
//! cargo run --example library
//! ```

use std::process::ExitCode;

use backchannel::{Comparison, Error, Scenario, Study};

fn main() -> ExitCode {
    // An error is reported in words (its Display), with the exit status
    // the command line gives it: 2 for bad input, 1 for anything else.
    match forecast_and_compare() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            match error {
                Error::Input(_) => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

fn forecast_and_compare() -> Result<(), Error> {
    let indirect = Scenario::load("muscat-2026")?;
    let direct = indirect.with_values(&["format.mode=direct"])?;

    println!("P(channel continued), 5 000 runs, seed 7:");
    for scenario in [&indirect, &direct] {
        let forecast = Study::new(scenario).runs(5_000).seed(7).run()?;
        let continued = forecast.summary.channel_continued;
        println!(
            "  {:<40} {:5.1}% [{:.1}, {:.1}]",
            scenario.display_name(),
            100.0 * continued.p,
            100.0 * continued.lo,
            100.0 * continued.hi
        );
    }

    let compared = Comparison::new(&[&indirect, &direct])
        .runs(5_000)
        .seed(7)
        .run()?;
    // A metric the comparison lacks is an error to report, not a line to
    // leave out: this example is run by CI and copied by users.
    let metric = "deal.partial";
    let difference = compared
        .comparison
        .row(metric)
        .and_then(|row| row.differences.get(1).copied().flatten())
        .ok_or_else(|| {
            Error::failure(format!(
                "the comparison has no paired difference for `{metric}`"
            ))
        })?;
    println!(
        "Direct talks change P(partial deal) by {:+.1} points [{:+.1}, {:+.1}] (paired runs)",
        100.0 * difference.difference,
        100.0 * difference.lo,
        100.0 * difference.hi
    );
    Ok(())
}
