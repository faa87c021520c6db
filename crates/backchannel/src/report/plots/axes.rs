//! Axes: round tick positions for percentages, their labels, interval
//! whiskers, and an axis whose ticks are exactly the values given.

use plotters::prelude::*;

/// A "nice" upper end for a percentage axis holding values up to `max`
/// (in percent), and its tick step.
pub fn percent_axis(max: f64) -> (f64, f64) {
    for (top, step) in [
        (1.0, 0.2),
        (2.0, 0.5),
        (5.0, 1.0),
        (10.0, 2.0),
        (20.0, 5.0),
        (30.0, 5.0),
        (40.0, 10.0),
        (50.0, 10.0),
        (60.0, 10.0),
        (80.0, 20.0),
    ] {
        if max <= top {
            return (top, step);
        }
    }
    (100.0, 20.0)
}

/// Tick positions `0, step, …, top`.
pub fn ticks(top: f64, step: f64) -> Vec<f64> {
    let n = (top / step).round() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

/// A tick label with as many decimals as the step needs (0 for steps of
/// 1 or more, 1 for 0.2 or 0.5, 2 for 0.05, …).
pub fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    format!("{v:.decimals$}")
}

/// An interval whisker from `lo` to `hi` at position `at` across the value
/// axis, with caps `cap` wide either side (in data units). Vertical bars
/// have `horizontal = false`.
pub fn whisker(
    at: f64,
    lo: f64,
    hi: f64,
    cap: f64,
    horizontal: bool,
    style: ShapeStyle,
) -> Vec<PathElement<(f64, f64)>> {
    let point = |along: f64, value: f64| {
        if horizontal {
            (value, along)
        } else {
            (along, value)
        }
    };
    vec![
        PathElement::new(vec![point(at, lo), point(at, hi)], style),
        PathElement::new(vec![point(at - cap, lo), point(at + cap, lo)], style),
        PathElement::new(vec![point(at - cap, hi), point(at + cap, hi)], style),
    ]
}

/// A linear `f64` axis whose tick marks (and grid lines) are exactly the
/// given values, so categories and round numbers land where they belong.
#[derive(Debug, Clone)]
pub struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Axis {
    pub fn new(range: std::ops::Range<f64>, ticks: Vec<f64>) -> Axis {
        Axis {
            lo: range.start,
            hi: range.end,
            ticks,
        }
    }

    /// Where its tick marks are.
    pub fn ticks(&self) -> &[f64] {
        &self.ticks
    }
}

impl Ranged for Axis {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        // As plotters maps its own f64 ranges.
        if self.hi == self.lo {
            return (limit.1 - limit.0) / 2;
        }
        let logic = (value - self.lo) / (self.hi - self.lo);
        let actual = limit.1 - limit.0;
        if actual >= 0 {
            limit.0 + (f64::from(actual) * logic + 1e-3).floor() as i32
        } else {
            limit.0 + (f64::from(actual) * logic - 1e-3).ceil() as i32
        }
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// The label of the row at `y` on a chart of rows drawn top to bottom
/// (the first label at the top, row `n - 1` at y = 0).
pub fn row_label(labels: &[String], y: f64) -> String {
    let n = labels.len();
    if n == 0 {
        return String::new();
    }
    labels[n - 1 - (y.round().max(0.0) as usize).min(n - 1)].clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_axes_cover_their_values_with_round_ticks() {
        for max in [0.0, 0.3, 1.0, 3.7, 12.0, 49.9, 77.0, 99.0, 100.0] {
            let (top, step) = percent_axis(max);
            assert!(top >= max, "{max}");
            let ticks = ticks(top, step);
            assert_eq!(ticks.first(), Some(&0.0));
            assert!((ticks.last().unwrap() - top).abs() < 1e-9);
        }
    }
}
