//! PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), for
//! scenario discovery: the box of inputs (a range per input) inside which an
//! outcome is likely.
//!
//! Peeling, as the EMA Workbench does it: starting from the box that holds
//! every point, each step considers, for each input and each side, cutting
//! off the slice of the box's points beyond that input's `alpha`-quantile
//! (or `1 - alpha`-quantile), and makes the cut that leaves the highest mean
//! outcome (the box's *density*); ties go to the cut that keeps more mass,
//! then to the first input, lower side first, so the trajectory is a pure
//! function of the data. The cut falls halfway between the last value
//! removed and the first kept (the EMA Workbench's `get_quantile`), so tied
//! values are never split. Peeling stops when every cut would leave less
//! than `min_mass` of the points, or when no cut raises the density (it is
//! 1 already, or the inputs left to cut do not matter).
//! Optional pasting then widens the last box, one side of one input at a
//! time, by the `alpha` share of its points nearest outside that side, as
//! long as that raises the density.
//!
//! Each box of the trajectory has its *coverage* (the share of the outcome
//! that falls inside), *density* (the mean outcome inside) and *mass* (the
//! share of points inside). Points may carry weights (a posterior over
//! worlds); the cuts are quantiles of the points, the statistics weighted.

use std::fmt;

/// How PRIM peels and pastes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrimOptions {
    /// The share of a box's points one peel removes: 0.05, the EMA
    /// Workbench's default and Friedman & Fisher's recommended 0.05–0.10.
    pub alpha: f64,
    /// Peeling stops before a box would hold less than this share of the
    /// points: 0.05, the EMA Workbench's default.
    pub min_mass: f64,
    /// Widen the last box again where that raises its density.
    pub paste: bool,
}

impl Default for PrimOptions {
    fn default() -> Self {
        PrimOptions {
            alpha: 0.05,
            min_mass: 0.05,
            paste: false,
        }
    }
}

/// Why PRIM cannot run on the data it was given.
#[derive(Debug, Clone, PartialEq)]
pub enum PrimError {
    /// No points at all.
    NoPoints,
    /// Point `point` has `found` inputs, the first has `expected`.
    Ragged {
        point: usize,
        expected: usize,
        found: usize,
    },
    /// `y` or the weights do not have one value per point.
    Length {
        what: &'static str,
        found: usize,
        expected: usize,
    },
    /// A value that is not finite, or out of its range.
    BadValue {
        what: &'static str,
        point: usize,
        value: f64,
    },
    /// The outcome is 0 everywhere (or all weights are 0): nothing to find.
    NoOutcome,
    /// `alpha` or `min_mass` outside (0, 1).
    BadOption { what: &'static str, value: f64 },
}

impl fmt::Display for PrimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrimError::NoPoints => write!(f, "no points to search"),
            PrimError::Ragged {
                point,
                expected,
                found,
            } => write!(
                f,
                "point {point} has {found} inputs where the first has {expected}"
            ),
            PrimError::Length {
                what,
                found,
                expected,
            } => write!(f, "{found} {what} for {expected} points"),
            PrimError::BadValue { what, point, value } => {
                write!(f, "{what} of point {point} is {value}")
            }
            PrimError::NoOutcome => write!(f, "the outcome never happens in these points"),
            PrimError::BadOption { what, value } => {
                write!(f, "{what} must lie strictly between 0 and 1, found {value}")
            }
        }
    }
}

impl std::error::Error for PrimError {}

/// One input's range in a box: points with `lo <= x <= hi` are inside.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub lo: f64,
    pub hi: f64,
}

/// A box of the trajectory and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimBox {
    /// Share of the whole outcome (weighted sum of y) inside the box.
    pub coverage: f64,
    /// Mean outcome inside the box (weighted).
    pub density: f64,
    /// Share of the points (weighted) inside the box.
    pub mass: f64,
    /// One per input, in the inputs' order.
    pub limits: Vec<Limit>,
}

/// Which side of an input's range a box restricts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    /// Only values above `lo` are inside.
    Above,
    /// Only values below `hi` are inside.
    Below,
    /// Only values between `lo` and `hi` are inside.
    Between,
}

/// The boxes PRIM went through, widest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// The smallest and largest value of each input over all points: the
    /// first box, which restricts nothing.
    pub bounds: Vec<Limit>,
    pub boxes: Vec<PrimBox>,
    /// How many of `boxes` come from peeling (the rest from pasting).
    pub peeled: usize,
}

/// The box [`Trajectory::choose`] picks, and whether it reaches the
/// threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Index into [`Trajectory::boxes`].
    pub index: usize,
    /// False when no box reaches the threshold and the densest was taken.
    pub meets_threshold: bool,
}

impl Trajectory {
    /// The box to report for a density `threshold`: the one of highest
    /// coverage among those whose density is at least `threshold` (the
    /// widest region where the outcome is that likely; on a tie, the
    /// earlier); when none is that dense, the densest box (the earlier on a
    /// tie), with `meets_threshold` false so the caller can say so.
    pub fn choose(&self, threshold: f64) -> Choice {
        let best = |candidates: &mut dyn Iterator<Item = (usize, &PrimBox)>,
                    key: fn(&PrimBox) -> f64| {
            candidates
                .fold(None, |best: Option<(usize, f64)>, (i, b)| match best {
                    Some((_, v)) if v >= key(b) => best,
                    _ => Some((i, key(b))),
                })
                .map(|(i, _)| i)
        };
        let dense = best(
            &mut self
                .boxes
                .iter()
                .enumerate()
                .filter(|(_, b)| b.density >= threshold),
            |b| b.coverage,
        );
        match dense {
            Some(index) => Choice {
                index,
                meets_threshold: true,
            },
            None => Choice {
                index: best(&mut self.boxes.iter().enumerate(), |b| b.density).unwrap_or(0),
                meets_threshold: false,
            },
        }
    }

    /// How box `b` restricts input `i` relative to the first box, or `None`
    /// when it keeps the input's whole range.
    pub fn restriction(&self, b: &PrimBox, i: usize) -> Option<Restriction> {
        let (bound, limit) = (self.bounds[i], b.limits[i]);
        match (limit.lo > bound.lo, limit.hi < bound.hi) {
            (true, true) => Some(Restriction::Between),
            (true, false) => Some(Restriction::Above),
            (false, true) => Some(Restriction::Below),
            (false, false) => None,
        }
    }
}

/// The data PRIM works on, checked.
struct Data<'a> {
    x: &'a [Vec<f64>],
    y: &'a [f64],
    w: Vec<f64>,
    /// Weighted sums over all points: of w and of w y.
    total_w: f64,
    total_wy: f64,
}

impl Data<'_> {
    /// Weighted (sum w, sum w y) over `members`.
    fn sums(&self, members: &[usize]) -> (f64, f64) {
        members.iter().fold((0.0, 0.0), |(w, wy), &j| {
            (w + self.w[j], wy + self.w[j] * self.y[j])
        })
    }

    fn describe(&self, members: &[usize], limits: Vec<Limit>) -> PrimBox {
        let (w, wy) = self.sums(members);
        PrimBox {
            coverage: wy / self.total_wy,
            density: if w > 0.0 { wy / w } else { 0.0 },
            mass: w / self.total_w,
            limits,
        }
    }

    fn inside(&self, j: usize, limits: &[Limit]) -> bool {
        self.x[j]
            .iter()
            .zip(limits)
            .all(|(v, l)| l.lo <= *v && *v <= l.hi)
    }
}

/// Check the data and options; the weights default to 1.
fn check<'a>(
    x: &'a [Vec<f64>],
    y: &'a [f64],
    weights: Option<&[f64]>,
    options: &PrimOptions,
) -> Result<Data<'a>, PrimError> {
    for (what, value) in [("alpha", options.alpha), ("min_mass", options.min_mass)] {
        if !(value > 0.0 && value < 1.0) {
            return Err(PrimError::BadOption { what, value });
        }
    }
    let n = x.len();
    if n == 0 {
        return Err(PrimError::NoPoints);
    }
    let k = x[0].len();
    if let Some((point, row)) = x.iter().enumerate().find(|(_, r)| r.len() != k) {
        return Err(PrimError::Ragged {
            point,
            expected: k,
            found: row.len(),
        });
    }
    let w = weights.map_or_else(|| vec![1.0; n], <[f64]>::to_vec);
    for (what, values) in [("outcomes", y), ("weights", &w[..])] {
        if values.len() != n {
            return Err(PrimError::Length {
                what,
                found: values.len(),
                expected: n,
            });
        }
    }
    let bad = |what, point, value| Err(PrimError::BadValue { what, point, value });
    for (j, row) in x.iter().enumerate() {
        if let Some(&v) = row.iter().find(|v| !v.is_finite()) {
            return bad("an input", j, v);
        }
        if !(0.0..=1.0).contains(&y[j]) {
            return bad("the outcome", j, y[j]);
        }
        if !(w[j].is_finite() && w[j] >= 0.0) {
            return bad("the weight", j, w[j]);
        }
    }
    let total_w: f64 = w.iter().sum();
    let total_wy: f64 = w.iter().zip(y).map(|(w, y)| w * y).sum();
    if total_wy <= 0.0 {
        return Err(PrimError::NoOutcome);
    }
    Ok(Data {
        x,
        y,
        w,
        total_w,
        total_wy,
    })
}

/// The boundary that cuts off the `alpha` share of `values` at the low end
/// (or, with `upper`, at the high end): halfway between the last value cut
/// off and the first kept, moving past ties so equal values stay together
/// (the EMA Workbench's `get_quantile`). `None` when every value is equal.
fn cut(values: &mut [f64], alpha: f64, upper: bool) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let at = (n - 1) as f64 * if upper { 1.0 - alpha } else { alpha };
    let (mut lo, mut hi) = (at.floor() as usize, at.ceil() as usize);
    if upper {
        while values[lo] == values[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while values[lo] == values[hi] && hi < n - 1 {
            hi += 1;
        }
    }
    (values[lo] != values[hi]).then(|| (values[lo] + values[hi]) / 2.0)
}

/// A candidate box: its limits, members, and (density, mass) to rank by.
struct Candidate {
    limits: Vec<Limit>,
    members: Vec<usize>,
    density: f64,
    mass: f64,
}

impl Candidate {
    /// Whether this candidate beats `other`: higher density, then more
    /// mass; an exact tie keeps the earlier candidate.
    fn beats(&self, other: &Candidate) -> bool {
        (self.density, self.mass) > (other.density, other.mass)
    }
}

fn candidate(data: &Data, members: Vec<usize>, limits: Vec<Limit>) -> Candidate {
    let (w, wy) = data.sums(&members);
    Candidate {
        limits,
        density: if w > 0.0 { wy / w } else { 0.0 },
        mass: w / data.total_w,
        members,
    }
}

/// The best peel of the box (`limits`, `members`), if any leaves at least
/// `min_mass`.
fn peel(
    data: &Data,
    limits: &[Limit],
    members: &[usize],
    options: &PrimOptions,
) -> Option<Candidate> {
    let k = limits.len();
    let mut best: Option<Candidate> = None;
    for i in 0..k {
        for upper in [false, true] {
            let mut values: Vec<f64> = members.iter().map(|&j| data.x[j][i]).collect();
            let Some(at) = cut(&mut values, options.alpha, upper) else {
                continue;
            };
            let mut limits = limits.to_vec();
            if upper {
                limits[i].hi = at;
            } else {
                limits[i].lo = at;
            }
            let kept: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&j| {
                    let v = data.x[j][i];
                    if upper { v <= at } else { v >= at }
                })
                .collect();
            let c = candidate(data, kept, limits);
            if c.mass >= options.min_mass && best.as_ref().is_none_or(|b| c.beats(b)) {
                best = Some(c);
            }
        }
    }
    best
}

/// The best paste of the box: widen one side of one input to take in the
/// `alpha` share (of the box's points, at least one) of the points that are
/// inside on every other input and nearest outside that side.
fn paste(
    data: &Data,
    limits: &[Limit],
    members: &[usize],
    options: &PrimOptions,
) -> Option<Candidate> {
    let take = ((options.alpha * members.len() as f64).ceil() as usize).max(1);
    let mut best: Option<Candidate> = None;
    for i in 0..limits.len() {
        for upper in [false, true] {
            let mut outside: Vec<f64> = (0..data.x.len())
                .filter(|&j| {
                    let v = data.x[j][i];
                    let beyond = if upper {
                        v > limits[i].hi
                    } else {
                        v < limits[i].lo
                    };
                    beyond
                        && data.x[j]
                            .iter()
                            .zip(limits)
                            .enumerate()
                            .all(|(d, (v, l))| d == i || (l.lo <= *v && *v <= l.hi))
                })
                .map(|j| data.x[j][i])
                .collect();
            if outside.is_empty() {
                continue;
            }
            outside.sort_by(f64::total_cmp);
            let mut limits = limits.to_vec();
            if upper {
                limits[i].hi = outside[(take - 1).min(outside.len() - 1)];
            } else {
                limits[i].lo = outside[outside.len() - take.min(outside.len())];
            }
            let members: Vec<usize> = (0..data.x.len())
                .filter(|&j| data.inside(j, &limits))
                .collect();
            let c = candidate(data, members, limits);
            if best.as_ref().is_none_or(|b| c.beats(b)) {
                best = Some(c);
            }
        }
    }
    best
}

/// The least rise in density that counts as one: more than the rounding
/// of a sum of a few thousand outcomes, so a cut that changes nothing (an
/// input that does not matter, on a grid) is not taken for progress.
const ROUNDING: f64 = 1e-12;

/// The current box (its limits and the points inside) and the boxes so far.
struct State {
    limits: Vec<Limit>,
    members: Vec<usize>,
    boxes: Vec<PrimBox>,
}

impl State {
    /// Move to the box `step` proposes as long as that raises the density,
    /// recording each.
    fn advance(&mut self, data: &Data, step: impl Fn(&[Limit], &[usize]) -> Option<Candidate>) {
        loop {
            let density = self.boxes.last().map_or(0.0, |b| b.density);
            match step(&self.limits, &self.members) {
                Some(next) if next.density > density + ROUNDING => {
                    (self.limits, self.members) = (next.limits, next.members);
                    self.boxes
                        .push(data.describe(&self.members, self.limits.clone()));
                }
                _ => break,
            }
        }
    }
}

/// Run PRIM on the points `x` (one row of inputs per point) with outcomes
/// `y` in [0, 1] (a probability or 0/1 per point) and optional
/// non-negative `weights`.
pub fn discover(
    x: &[Vec<f64>],
    y: &[f64],
    weights: Option<&[f64]>,
    options: &PrimOptions,
) -> Result<Trajectory, PrimError> {
    let data = check(x, y, weights, options)?;
    let k = x[0].len();
    let bounds: Vec<Limit> = (0..k)
        .map(|i| {
            x.iter().fold(
                Limit {
                    lo: f64::INFINITY,
                    hi: f64::NEG_INFINITY,
                },
                |l, row| Limit {
                    lo: l.lo.min(row[i]),
                    hi: l.hi.max(row[i]),
                },
            )
        })
        .collect();
    let mut state = State {
        members: (0..x.len()).collect(),
        limits: bounds.clone(),
        boxes: Vec::new(),
    };
    state
        .boxes
        .push(data.describe(&state.members, bounds.clone()));
    state.advance(&data, |l, m| peel(&data, l, m, options));
    let peeled = state.boxes.len();
    if options.paste {
        state.advance(&data, |l, m| paste(&data, l, m, options));
    }
    let boxes = state.boxes;
    Ok(Trajectory {
        bounds,
        boxes,
        peeled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` evenly spaced points in (0, 1): the midpoints of `n` equal cells.
    fn grid(n: usize) -> Vec<f64> {
        (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect()
    }

    #[test]
    fn the_cut_moves_past_ties_and_falls_between_values() {
        let mut v = vec![3.0, 1.0, 2.0, 4.0, 5.0];
        assert_eq!(cut(&mut v, 0.25, false), Some(2.5));
        assert_eq!(cut(&mut v, 0.25, true), Some(3.5));
        let mut tied = vec![1.0, 1.0, 1.0, 2.0];
        assert_eq!(cut(&mut tied, 0.05, false), Some(1.5));
        assert_eq!(cut(&mut [7.0; 4], 0.05, false), None);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let x = vec![vec![0.0], vec![1.0]];
        let o = PrimOptions::default();
        assert_eq!(discover(&[], &[], None, &o), Err(PrimError::NoPoints));
        assert!(matches!(
            discover(&[vec![0.0], vec![0.0, 1.0]], &[1.0, 1.0], None, &o),
            Err(PrimError::Ragged { point: 1, .. })
        ));
        assert!(matches!(
            discover(&x, &[1.0], None, &o),
            Err(PrimError::Length { .. })
        ));
        assert!(matches!(
            discover(&x, &[1.5, 0.0], None, &o),
            Err(PrimError::BadValue { point: 0, .. })
        ));
        assert!(matches!(
            discover(&[vec![f64::NAN], vec![1.0]], &[1.0, 0.0], None, &o),
            Err(PrimError::BadValue { point: 0, .. })
        ));
        assert_eq!(
            discover(&x, &[0.0, 0.0], None, &o),
            Err(PrimError::NoOutcome)
        );
        let bad = PrimOptions { alpha: 0.0, ..o };
        assert!(matches!(
            discover(&x, &[1.0, 0.0], None, &bad),
            Err(PrimError::BadOption { what: "alpha", .. })
        ));
        assert!(discover(&x, &[1.0, 0.0], Some(&[1.0, -1.0]), &o).is_err());
    }

    #[test]
    fn the_first_box_restricts_nothing_and_peeling_stops_at_the_minimum_mass() {
        let h = grid(2000);
        let x: Vec<Vec<f64>> = h.iter().map(|&v| vec![v]).collect();
        let t = discover(&x, &h, None, &PrimOptions::default()).unwrap();
        let first = &t.boxes[0];
        assert_eq!((first.coverage, first.mass), (1.0, 1.0));
        assert!((first.density - 0.5).abs() < 1e-12);
        assert_eq!(t.restriction(first, 0), None);
        assert!(t.boxes.iter().all(|b| b.mass >= 0.05));
        let last = t.boxes.last().unwrap();
        assert!(last.mass < 0.05 / 0.95 + 1e-3, "{last:?}");
        assert_eq!(t.peeled, t.boxes.len());
        for pair in t.boxes.windows(2) {
            assert!(pair[1].mass < pair[0].mass);
            assert!(pair[1].density > pair[0].density);
        }
    }
}
