//! Statistics every layer may use: Wilson intervals for proportions, the
//! normal quantile the model draws noise with, the distributions judged
//! inputs are drawn from, the spread of a probability across worlds, and
//! PRIM, the box search of scenario discovery.
//! A leaf module: it depends on nothing else in the crate.

mod distribution;
mod estimate;
mod normal;
pub mod prim;
pub mod spread;
mod wilson;

pub use distribution::{Distribution, Drawn};
pub use estimate::Estimate;
pub use normal::{normal_quantile, normal_quantile_pair};
pub use wilson::{Proportion, Z95, wilson};

/// `x` rounded to four significant digits, as a judged value is shown
/// (`0.6`, `0.1235`, `12.5`): the inputs are judgements, not measurements.
pub fn round_for_display(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 3 - x.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits.clamp(-300, 300));
    (x * scale).round() / scale
}
