//! backchannel as a library: load the flagship scenario, change one value,
//! run both as forecasts and print what changed.
//!
//! ```text
//! cargo run --release --example library
//! ```

use backchannel::{Scenario, Study};

fn main() -> Result<(), backchannel::Error> {
    let indirect = Scenario::load("muscat-2026")?;
    let direct = indirect.with_values(&["format.mode=direct"])?;
    println!("P(channel continued) over 20 000 runs, seed 7:");
    for scenario in [&indirect, &direct] {
        let forecast = Study::new(scenario).runs(20_000).seed(7).run()?;
        let continued = forecast.summary.channel_continued;
        println!(
            "  {:<40} {:5.1}% [{:.1}, {:.1}]",
            scenario.display_name(),
            100.0 * continued.p,
            100.0 * continued.lo,
            100.0 * continued.hi
        );
    }
    Ok(())
}
