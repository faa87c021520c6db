//! The distributions a judged input may take (docs/SCENARIO.md, "Judged
//! inputs"), each drawn by inversion: one uniform in, one value out, so a
//! world's draw of an input is a fixed function of one number and Sobol'
//! designs can map a coordinate of the unit cube through the same function.
//!
//! Why `statrs`: the beta quantile has no closed form (it inverts the
//! regularised incomplete beta function); the crate has it tested.

use statrs::distribution::{Beta, ContinuousCDF, Normal};

/// What a judged input is drawn from.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// Uniform on `[lo, hi]`.
    Uniform {
        /// The lowest value.
        lo: f64,
        /// The highest value.
        hi: f64,
    },
    /// Triangular on `[lo, hi]` with its peak at `mode`.
    Triangular {
        /// The lowest value.
        lo: f64,
        /// The most likely value.
        mode: f64,
        /// The highest value.
        hi: f64,
    },
    /// Beta with shapes `alpha`, `beta`, on `[0, 1]`.
    Beta {
        /// The first shape parameter.
        alpha: f64,
        /// The second shape parameter.
        beta: f64,
    },
    /// Normal with `mean` and `sd`, truncated to `[lo, hi]` (the key's
    /// range).
    Normal {
        /// The mean before truncation.
        mean: f64,
        /// The standard deviation before truncation.
        sd: f64,
        /// The lower truncation point.
        lo: f64,
        /// The upper truncation point.
        hi: f64,
    },
    /// Uniform over the whole numbers `lo..=hi`.
    Integers {
        /// The lowest value.
        lo: i64,
        /// The highest value.
        hi: i64,
    },
    /// One of `options`, with probabilities `weights` (summing to 1).
    OneOf {
        /// The values, as the scenario writes them.
        options: Vec<String>,
        /// Their probabilities, in the same order.
        weights: Vec<f64>,
    },
}

/// A drawn value: what the scenario file would have said instead.
#[derive(Debug, Clone, PartialEq)]
pub enum Drawn {
    /// A value of a numeric key, in the key's own unit.
    Number(f64),
    /// A value of a whole-number key (a round, a count).
    Integer(i64),
    /// One of an enumerated key's options, as the scenario writes it.
    Text(String),
}

impl Drawn {
    /// The value as a number: a number or whole number as it is, an option
    /// by its position among `options` (for tables of worlds and PRIM).
    pub fn as_number(&self, options: &[String]) -> f64 {
        match self {
            Drawn::Number(x) => *x,
            Drawn::Integer(i) => *i as f64,
            Drawn::Text(t) => options.iter().position(|o| o == t).unwrap_or(0) as f64,
        }
    }

    /// The value as a CSV field: numbers in full (the text that reads back
    /// as the same value), an option as its name.
    pub fn to_field(&self) -> String {
        match self {
            Drawn::Text(t) => t.clone(),
            other => other.to_toml(),
        }
    }

    /// The value as TOML source text.
    pub fn to_toml(&self) -> String {
        match self {
            // `{:?}` writes the shortest text that reads back as the same
            // f64, and always with a '.' or an exponent, as TOML floats need.
            Drawn::Number(x) => format!("{x:?}"),
            Drawn::Integer(i) => i.to_string(),
            Drawn::Text(t) => toml_edit::Value::from(t.as_str()).to_string(),
        }
    }
}

impl std::fmt::Display for Drawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drawn::Number(x) => write!(f, "{}", super::significant(*x, 4)),
            Drawn::Integer(i) => write!(f, "{i}"),
            Drawn::Text(t) => f.write_str(t),
        }
    }
}

impl Distribution {
    /// The `u`-quantile, `u` in `[0, 1)`: the value a world whose uniform
    /// for this input is `u` draws.
    pub fn quantile(&self, u: f64) -> Drawn {
        // Keep away from 0 and 1, where the normal and beta quantiles are
        // infinite or flat.
        let u = u.clamp(1e-12, 1.0 - 1e-12);
        match self {
            Distribution::Uniform { lo, hi } => Drawn::Number(lo + u * (hi - lo)),
            Distribution::Triangular { lo, mode, hi } => {
                Drawn::Number(triangular_quantile(*lo, *mode, *hi, u))
            }
            Distribution::Beta { alpha, beta } => Drawn::Number(
                Beta::new(*alpha, *beta)
                    .map(|d| d.inverse_cdf(u))
                    .unwrap_or(f64::NAN),
            ),
            Distribution::Normal { mean, sd, lo, hi } => {
                Drawn::Number(truncated_normal_quantile(*mean, *sd, *lo, *hi, u))
            }
            Distribution::Integers { lo, hi } => {
                let count = (hi - lo + 1) as f64;
                Drawn::Integer(lo + ((u * count).floor() as i64).min(hi - lo))
            }
            Distribution::OneOf { options, weights } => {
                let mut cumulative = 0.0;
                for (option, weight) in options.iter().zip(weights) {
                    cumulative += weight;
                    if u < cumulative {
                        return Drawn::Text(option.clone());
                    }
                }
                Drawn::Text(options.last().cloned().unwrap_or_default())
            }
        }
    }

    /// The smallest and largest values a draw can take (for options, the
    /// first and last).
    pub fn support(&self) -> (Drawn, Drawn) {
        match self {
            Distribution::Uniform { lo, hi }
            | Distribution::Triangular { lo, hi, .. }
            | Distribution::Normal { lo, hi, .. } => (Drawn::Number(*lo), Drawn::Number(*hi)),
            Distribution::Beta { .. } => (Drawn::Number(0.0), Drawn::Number(1.0)),
            Distribution::Integers { lo, hi } => (Drawn::Integer(*lo), Drawn::Integer(*hi)),
            Distribution::OneOf { options, .. } => (
                Drawn::Text(options[0].clone()),
                Drawn::Text(options[options.len() - 1].clone()),
            ),
        }
    }

    /// The mean of a numeric distribution (`None` for options).
    pub fn mean(&self) -> Option<f64> {
        Some(match self {
            Distribution::Uniform { lo, hi } => (lo + hi) / 2.0,
            Distribution::Triangular { lo, mode, hi } => (lo + mode + hi) / 3.0,
            Distribution::Beta { alpha, beta } => alpha / (alpha + beta),
            Distribution::Integers { lo, hi } => (lo + hi) as f64 / 2.0,
            // Truncation moves the mean: integrate the quantile function
            // (midpoint rule on 2 000 points: far finer than any judgement).
            Distribution::Normal { .. } => {
                const POINTS: usize = 2000;
                (0..POINTS)
                    .map(|i| self.quantile((i as f64 + 0.5) / POINTS as f64))
                    .map(|d| d.as_number(&[]))
                    .sum::<f64>()
                    / POINTS as f64
            }
            Distribution::OneOf { .. } => return None,
        })
    }

    /// The options of an enumerated input (empty for numbers).
    pub fn options(&self) -> &[String] {
        match self {
            Distribution::OneOf { options, .. } => options,
            _ => &[],
        }
    }

    /// How docs and reports write it, e.g. `uniform [0.4, 0.8]`.
    pub fn describe(&self) -> String {
        let r = |x: f64| super::significant(x, 4);
        match self {
            Distribution::Uniform { lo, hi } => format!("uniform [{}, {}]", r(*lo), r(*hi)),
            Distribution::Triangular { lo, mode, hi } => {
                format!("triangular [{}, {}, {}]", r(*lo), r(*mode), r(*hi))
            }
            Distribution::Beta { alpha, beta } => format!("beta [{}, {}]", r(*alpha), r(*beta)),
            Distribution::Normal { mean, sd, lo, hi } => format!(
                "normal [{}, {}] on [{}, {}]",
                r(*mean),
                r(*sd),
                r(*lo),
                r(*hi)
            ),
            Distribution::Integers { lo, hi } => format!("whole numbers {lo} to {hi}"),
            Distribution::OneOf { options, weights } => {
                let parts: Vec<String> = options
                    .iter()
                    .zip(weights)
                    .map(|(o, w)| format!("{o} {}", r(*w)))
                    .collect();
                format!("one of {}", parts.join(", "))
            }
        }
    }
}

/// Inverse of the triangular CDF.
fn triangular_quantile(lo: f64, mode: f64, hi: f64, u: f64) -> f64 {
    let width = hi - lo;
    if width <= 0.0 {
        return lo;
    }
    let left = (mode - lo) / width;
    if u < left {
        lo + (u * width * (mode - lo)).sqrt()
    } else {
        hi - ((1.0 - u) * width * (hi - mode)).sqrt()
    }
}

/// The `u`-quantile of a normal truncated to `[lo, hi]`: `u` rescaled to
/// the probability the interval holds, then inverted.
fn truncated_normal_quantile(mean: f64, sd: f64, lo: f64, hi: f64, u: f64) -> f64 {
    let Ok(normal) = Normal::new(mean, sd) else {
        return mean.clamp(lo, hi);
    };
    let (below, within) = (normal.cdf(lo), normal.cdf(hi) - normal.cdf(lo));
    if within <= 0.0 {
        // The interval lies many standard deviations from the mean: its
        // nearer end is where nearly all the truncated mass sits.
        return if mean < lo { lo } else { hi };
    }
    normal.inverse_cdf(below + u * within).clamp(lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(d: &Distribution, u: f64) -> f64 {
        d.quantile(u).as_number(&[])
    }

    #[test]
    fn quantiles_invert_the_known_cdfs() {
        let uniform = Distribution::Uniform { lo: 0.4, hi: 0.8 };
        assert!((number(&uniform, 0.25) - 0.5).abs() < 1e-12);
        let triangle = Distribution::Triangular {
            lo: 0.0,
            mode: 0.5,
            hi: 1.0,
        };
        // CDF of the symmetric triangle at 0.25 is 2 x 0.25^2 = 0.125.
        assert!((number(&triangle, 0.125) - 0.25).abs() < 1e-12);
        assert!((number(&triangle, 0.5) - 0.5).abs() < 1e-12);
        let beta = Distribution::Beta {
            alpha: 2.0,
            beta: 1.0,
        };
        // Beta(2, 1) has CDF x^2.
        assert!((number(&beta, 0.36) - 0.6).abs() < 1e-9);
        let normal = Distribution::Normal {
            mean: 0.5,
            sd: 0.1,
            lo: 0.0,
            hi: 1.0,
        };
        assert!((number(&normal, 0.5) - 0.5).abs() < 1e-9);
        assert!((number(&normal, 0.975) - (0.5 + 1.959_964 * 0.1)).abs() < 1e-5);
    }

    #[test]
    fn truncation_keeps_draws_inside_the_range() {
        let normal = Distribution::Normal {
            mean: 0.9,
            sd: 0.5,
            lo: 0.0,
            hi: 1.0,
        };
        for i in 0..100 {
            let x = number(&normal, i as f64 / 100.0);
            assert!((0.0..=1.0).contains(&x), "{x}");
        }
        let mean = normal.mean().unwrap();
        assert!(
            mean < 0.9 && mean > 0.5,
            "truncation pulls the mean in: {mean}"
        );
    }

    #[test]
    fn whole_numbers_and_options_are_equally_or_weight_likely() {
        let rounds = Distribution::Integers { lo: 3, hi: 6 };
        let draws: Vec<Drawn> = [0.0, 0.24, 0.26, 0.99]
            .iter()
            .map(|&u| rounds.quantile(u))
            .collect();
        assert_eq!(
            draws,
            vec![
                Drawn::Integer(3),
                Drawn::Integer(3),
                Drawn::Integer(4),
                Drawn::Integer(6)
            ]
        );
        let style = Distribution::OneOf {
            options: vec!["facilitation".into(), "formulation".into()],
            weights: vec![0.7, 0.3],
        };
        assert_eq!(style.quantile(0.69), Drawn::Text("facilitation".into()));
        assert_eq!(style.quantile(0.71), Drawn::Text("formulation".into()));
    }

    #[test]
    fn drawn_values_write_back_as_toml() {
        assert_eq!(Drawn::Number(0.5).to_toml(), "0.5");
        assert_eq!(Drawn::Number(1.0).to_toml(), "1.0");
        assert_eq!(Drawn::Integer(4).to_toml(), "4");
        assert_eq!(Drawn::Text("direct".into()).to_toml(), "\"direct\"");
    }
}
