//! `--vary KEY=LO..HI[:STEPS]`: a parameter range for sweeps and
//! sensitivity studies. The key is a `--set` path; each value is a typed
//! value set at that key, type- and range-checked exactly like a value in
//! a file.

use crate::error::{Diagnostic, SourceText, setting};
use crate::stats::Drawn;

/// A parsed `--vary` argument.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    pub arg: String,
    pub key: String,
    pub lo: f64,
    pub hi: f64,
    /// Number of points, for sweeps.
    pub steps: Option<u32>,
    /// Whether values are whole numbers (an integer key such as `horizon`).
    pub integer: bool,
}

/// Whether a `--set` key holds whole numbers (rounds, counts, seeds).
pub fn is_integer_key(key: &str) -> bool {
    matches!(
        key.rsplit('.').next(),
        Some(
            "horizon"
                | "seed"
                | "runs"
                | "confirm_rounds"
                | "deadline"
                | "walkout_rounds"
                | "round"
                | "duration"
        )
    )
}

/// The most points one key may take in a sweep.
pub const MAX_STEPS: u32 = 1000;

impl Vary {
    /// Parse `KEY=LO..HI` (with `:STEPS` when `with_steps`). `integer` says
    /// whether the key holds whole numbers.
    pub fn parse(
        arg: &str,
        with_steps: bool,
        integer: impl Fn(&str) -> bool,
    ) -> Result<Vary, Diagnostic> {
        let source = SourceText {
            origin: setting("vary"),
            text: arg.into(),
        };
        let expected = if with_steps {
            "KEY=LO..HI:STEPS, e.g. spoilers.israel.capability=0.1..0.9:9"
        } else {
            "KEY=LO..HI, e.g. spoilers.israel.capability=0.1..0.9"
        };
        let bad = |message: String, span: std::ops::Range<usize>| {
            Diagnostic::new(message)
                .at(&source, span)
                .help(format!("expected {expected}"))
        };
        let Some((key, range)) = arg.split_once('=') else {
            return Err(bad(
                "no '=' between the key and its range".into(),
                0..arg.len(),
            ));
        };
        let offset = key.len() + 1;
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(bad(
                "expected a dotted key such as spoilers.israel.capability".into(),
                0..key.len().max(1),
            ));
        }
        let (range, steps) = match (range.split_once(':'), with_steps) {
            (Some((range, steps)), true) => {
                let at = offset + range.len() + 1..arg.len();
                let steps: u32 = steps.trim().parse().map_err(|_| {
                    bad(
                        format!("expected a whole number of steps, found {steps:?}"),
                        at.clone(),
                    )
                })?;
                if !(2..=MAX_STEPS).contains(&steps) {
                    return Err(bad(
                        format!("expected from 2 to {MAX_STEPS} steps, found {steps}"),
                        at,
                    ));
                }
                (range, Some(steps))
            }
            (None, true) => {
                return Err(bad("no ':STEPS' after the range".into(), offset..arg.len()));
            }
            (Some(_), false) => {
                return Err(bad(
                    "steps are not used here: the design chooses the points".into(),
                    offset..arg.len(),
                ));
            }
            (None, false) => (range, None),
        };
        let Some((lo_text, hi_text)) = range.split_once("..") else {
            return Err(bad(
                format!("expected LO..HI, found {range:?}"),
                offset..offset + range.len(),
            ));
        };
        let number = |text: &str, at: std::ops::Range<usize>| -> Result<f64, Diagnostic> {
            text.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| bad(format!("expected a number, found {text:?}"), at))
        };
        let lo = number(lo_text, offset..offset + lo_text.len())?;
        let hi = number(hi_text, offset + lo_text.len() + 2..offset + range.len())?;
        if lo >= hi {
            return Err(bad(
                format!("expected LO below HI, found {lo}..{hi}"),
                offset..offset + range.len(),
            ));
        }
        let integer = integer(key);
        if integer && (lo.fract() != 0.0 || hi.fract() != 0.0) {
            return Err(bad(
                format!("`{key}` takes whole numbers, found {lo}..{hi}"),
                offset..offset + range.len(),
            ));
        }
        if let (true, Some(steps)) = (integer, steps)
            && f64::from(steps) > hi - lo + 1.0
        {
            return Err(bad(
                format!(
                    "`{key}` takes whole numbers: at most {} steps from {lo} to {hi}",
                    hi - lo + 1.0
                ),
                offset..arg.len(),
            ));
        }
        Ok(Vary {
            arg: arg.to_string(),
            key: key.to_string(),
            lo,
            hi,
            steps,
            integer,
        })
    }

    /// The sweep's points: `steps` evenly spaced values from `lo` to `hi`.
    pub fn points(&self) -> Vec<f64> {
        let steps = self.steps.unwrap_or(2);
        (0..steps)
            .map(|i| self.at(f64::from(i) / f64::from(steps - 1)))
            .collect()
    }

    /// The value a fraction `u` in [0, 1] of the way from `lo` to `hi`,
    /// rounded as it will be written (whole numbers, or 10 decimals), so the
    /// value reported is the value used.
    pub fn at(&self, u: f64) -> f64 {
        let v = self.lo + (self.hi - self.lo) * u;
        if self.integer {
            v.round()
        } else {
            (v * 1e10).round() / 1e10
        }
    }

    /// The value a design sample `u` uniform in [0, 1) stands for: uniform
    /// over the range, so for whole-number keys each of `lo..=hi` equally
    /// likely (rounding, as [`Vary::at`] does, would give the two ends half
    /// the weight of the others).
    pub fn sample(&self, u: f64) -> f64 {
        if self.integer {
            (self.lo + ((self.hi - self.lo + 1.0) * u).floor()).min(self.hi)
        } else {
            self.at(u)
        }
    }

    /// `value` as the key takes it: a whole number for an integer key.
    pub fn value(&self, value: f64) -> Drawn {
        if self.integer {
            Drawn::Integer(value as i64)
        } else {
            Drawn::Number(value)
        }
    }
}

/// A `--vary` range as a Sobol' factor: uniform over the range.
impl super::sensitivity::Factor for Vary {
    fn key(&self) -> &str {
        &self.key
    }

    fn value_at(&self, u: f64) -> Drawn {
        self.value(self.sample(u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::sensitivity::Factor;
    use crate::scenario::overrides::set_argument;

    /// The `--set` argument that puts factor `f` at design coordinate `u`.
    fn set_arg(f: &Vary, u: f64) -> String {
        set_argument(&f.key, &f.value_at(u))
    }

    fn float(_: &str) -> bool {
        false
    }

    #[test]
    fn parses_sweep_ranges() {
        let v = Vary::parse("shocks.s.hazard=0..0.3:4", true, float).unwrap();
        assert_eq!((v.lo, v.hi, v.steps), (0.0, 0.3, Some(4)));
        assert_eq!(v.points(), vec![0.0, 0.1, 0.2, 0.3]);
        assert_eq!(set_argument(&v.key, &v.value(0.1)), "shocks.s.hazard=0.1");
        assert_eq!(set_argument(&v.key, &v.value(0.0)), "shocks.s.hazard=0.0");
    }

    #[test]
    fn integer_keys_take_whole_numbers() {
        let v = Vary::parse("scenario.horizon=6..12:4", true, |_| true).unwrap();
        assert_eq!(v.points(), vec![6.0, 8.0, 10.0, 12.0]);
        assert_eq!(set_argument(&v.key, &v.value(8.0)), "scenario.horizon=8");
        assert!(Vary::parse("scenario.horizon=6..8:5", true, |_| true).is_err());
        assert!(Vary::parse("scenario.horizon=6.5..8:2", true, |_| true).is_err());
    }

    #[test]
    fn design_samples_weigh_every_whole_number_alike() {
        let v = Vary::parse("parties.us.deadline=3..9", false, |_| true).unwrap();
        let mut counts = [0u32; 7];
        let grid = 7000;
        for i in 0..grid {
            let x = v.sample(f64::from(i) / f64::from(grid));
            assert_eq!(x.fract(), 0.0);
            counts[(x - 3.0) as usize] += 1;
        }
        assert_eq!(counts, [1000; 7]);
        assert_eq!(v.sample(1.0), 9.0, "the closed end stays in range");
        let f = Vary::parse("a.b=0..0.5", false, float).unwrap();
        assert_eq!(f.sample(0.5), 0.25);
    }

    #[test]
    fn a_range_maps_design_coordinates_to_set_arguments() {
        let f = Vary::parse("a.b=0..0.5", false, float).unwrap();
        assert_eq!(set_arg(&f, 0.5), "a.b=0.25");
        assert_eq!(set_arg(&f, 0.0), "a.b=0.0");
        let whole = Vary::parse("parties.us.deadline=3..9", false, |_| true).unwrap();
        assert_eq!(set_arg(&whole, 0.99), "parties.us.deadline=9");
        let tiny = Vary::parse("a.b=0..1e-9", false, float).unwrap();
        let arg = set_arg(&tiny, 0.5);
        let value: f64 = arg["a.b=".len()..].parse().unwrap();
        assert_eq!(value, tiny.sample(0.5), "{arg}");
    }

    #[test]
    fn refuses_malformed_ranges_with_a_place() {
        for bad in [
            "x",
            "a.b=1..2",
            "a.b=2..1:3",
            "a.b=1..2:1",
            "a.b=1..x:3",
            "a.b=1-2:3",
            "=1..2:3",
            "a.b=1..2:many",
        ] {
            let error = Vary::parse(bad, true, float).expect_err(bad);
            assert!(error.location.is_some(), "{bad}");
        }
        assert!(
            Vary::parse("a.b=0..1:3", false, float).is_err(),
            "steps are for sweeps"
        );
        assert!(Vary::parse("a.b=0..1", false, float).is_ok());
    }
}
