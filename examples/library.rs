//! backchannel as a library: load the flagship scenario, change one value,
//! run a forecast of each, then compare them on common random numbers and
//! print the paired difference.
//!
//! ```text
//! cargo run --example library
//! ```

use backchannel::{Comparison, Scenario, Study};

fn main() -> Result<(), backchannel::Error> {
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
    if let Some(Some(difference)) = compared
        .comparison
        .row("deal.partial")
        .map(|row| row.differences[1])
    {
        println!(
            "Direct talks change P(partial deal) by {:+.1} points [{:+.1}, {:+.1}] (paired runs)",
            100.0 * difference.difference,
            100.0 * difference.lo,
            100.0 * difference.hi
        );
    }
    Ok(())
}
