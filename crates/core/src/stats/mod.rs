//! Statistics every layer may use: Wilson intervals for proportions, the
//! normal quantile the model draws noise with, the distributions judged
//! inputs are drawn from, the spread of a probability across worlds, and
//! PRIM, the box search of scenario discovery.
//! A leaf module: it depends on nothing else in the crate.

mod distribution;
mod estimate;
mod normal;
pub mod prim;
pub mod scoring;
pub mod spread;
mod wilson;

pub use distribution::{Distribution, Drawn};
pub use estimate::{Estimate, WorldSum};
pub use normal::{normal_quantile, normal_quantile_pair};
pub use wilson::{Proportion, Z95, wilson};

/// `x` rounded to `digits` significant digits, but never within its
/// integer part (`1234.4` stays `1234`): how every number meant to be read
/// rather than computed with is shown, four digits for judged values and
/// their weights (`0.6`, `0.1235`, `12.5`: judgements, not measurements),
/// three for the limits of a discovered box (`0.0512`, `0.7`). Halves round
/// away from zero as written in decimal (`0.4965` to three is `0.497`).
pub fn significant(x: f64, digits: u32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(significant_decimals(x, digits).min(300) as i32);
    (x * scale).round() / scale
}

/// The decimals [`significant`] keeps of `x`: 4 for `0.0512` to three
/// digits, 1 for `12.5`, none from `10^(digits - 1)` up. Zero, which has no
/// magnitude, gets as many as a number between 0.1 and 1.
pub fn significant_decimals(x: f64, digits: u32) -> usize {
    let magnitude = if x == 0.0 || !x.is_finite() {
        -1
    } else {
        x.abs().log10().floor() as i32
    };
    (digits as i32 - 1 - magnitude).max(0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits_round_the_fraction_never_the_integer_part() {
        let shown = |x: f64, digits| significant(x, digits).to_string();
        assert_eq!(shown(0.7, 3), "0.7");
        assert_eq!(shown(0.60312, 3), "0.603");
        assert_eq!(shown(0.051234, 3), "0.0512");
        assert_eq!(shown(12.5, 3), "12.5");
        assert_eq!(shown(1234.4, 3), "1234");
        assert_eq!(shown(0.0, 3), "0");
        assert_eq!(shown(0.4965, 3), "0.497");
        assert_eq!(shown(0.123456, 4), "0.1235");
        assert_eq!(shown(-53.625, 4), "-53.63");
        assert_eq!(shown(f64::INFINITY, 4), "inf");
        assert_eq!(significant_decimals(0.0, 3), 3);
        assert_eq!(significant_decimals(250.0, 3), 0);
    }
}
