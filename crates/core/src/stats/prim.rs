//! PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), for
//! scenario discovery: the box of inputs (a range per input) inside which an
//! outcome is likely.
//!
//! Peeling, as the EMA Workbench does it: starting from the box that holds
//! every point, each step considers, for each input and each side, cutting
//! off the slice of the box's points beyond that input's `alpha`-quantile
//! (or `1 - alpha`-quantile), and makes the cut that leaves the highest mean
//! outcome (the box's *density*). Densities are compared exactly, as
//! integers: each point's outcome is a count of runs out of its runs, so
//! two cuts that leave the same count in the same number of points tie
//! however a float sum would round them. Ties go to the cut that leaves
//! fewer inputs restricted (as the EMA Workbench's peel ranks them), then
//! to the one that keeps more points, then to the first input, lower side
//! first, so the trajectory is a pure function of the data. The cut falls halfway between the last value
//! removed and the first kept (the EMA Workbench's `get_quantile`), so tied
//! values are never split. Peeling stops when every cut would leave less
//! than `min_mass` of the points, or when no cut raises the density (it is
//! 1 already, or the inputs left to cut do not matter).
//! Optional pasting (Friedman & Fisher 1999's reverse of peeling) then
//! widens each peeled box, not only the last, one side of one input at a
//! time, by the `alpha` share of its points nearest outside that side, as
//! long as that raises the density; each pasted box joins the trajectory
//! after the peeled ones, marked with the step it widens, a candidate for
//! the choice like any other.
//!
//! A category input (its values the indices of its options) is a set, as
//! the EMA Workbench treats one: a peel takes one option out of the box
//! (while more than one is left), a paste puts one back, and the box keeps
//! a set of options, not a range of indices.
//!
//! Each box of the trajectory has its *coverage* (the share of the outcome
//! that falls inside), *density* (the mean outcome inside) and *mass* (the
//! share of points inside).

use std::cmp::{Ordering, Reverse};
use std::fmt;

use super::Estimate;

/// How PRIM peels and pastes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrimOptions {
    /// The share of a box's points one peel removes: 0.05, the EMA
    /// Workbench's default and Friedman & Fisher's recommended 0.05–0.10.
    pub alpha: f64,
    /// Peeling stops before a box would hold less than this share of the
    /// points: 0.05, the EMA Workbench's default.
    pub min_mass: f64,
    /// Widen each peeled box again where that raises its density, adding
    /// the widened boxes to the trajectory.
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
    /// An input value that is not finite.
    BadValue {
        what: &'static str,
        point: usize,
        value: f64,
    },
    /// An outcome of more runs than it counts, or of no runs.
    BadShare { point: usize, share: Share },
    /// The outcomes' run counts are too many different ones to compare
    /// densities exactly in 128-bit integers.
    Denominators,
    /// The outcome is 0 everywhere: nothing to find.
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
            PrimError::BadShare { point, share } => write!(
                f,
                "the outcome of point {point} is {} of {} runs",
                share.count, share.of
            ),
            PrimError::Denominators => write!(
                f,
                "the points' run counts have no common multiple small enough to compare exactly"
            ),
            PrimError::NoOutcome => write!(f, "the outcome never happens in these points"),
            PrimError::BadOption { what, value } => {
                write!(f, "{what} must lie strictly between 0 and 1, found {value}")
            }
        }
    }
}

impl std::error::Error for PrimError {}

/// One point's outcome: it happened in `count` of its `of` runs (a world's
/// runs, or 0 or 1 of 1 for a single run). Kept as integers so that
/// densities compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub count: u64,
    pub of: u64,
}

/// One input's range in a box: points with `lo <= x <= hi` are inside,
/// and, for a category input, whose category is one `kept`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub lo: f64,
    pub hi: f64,
    /// For a category input (its value the index of its option, from 0),
    /// the options the box keeps, bit `c` for option `c`; `None` for a
    /// number.
    pub kept: Option<u64>,
}

impl Limit {
    /// The range from `lo` to `hi` of a number input.
    pub fn range(lo: f64, hi: f64) -> Limit {
        Limit { lo, hi, kept: None }
    }

    /// The options of a category input in the bits of `kept`, its range
    /// from the first to the last.
    fn options(kept: u64) -> Limit {
        Limit {
            lo: f64::from(kept.trailing_zeros()),
            hi: f64::from(63 - kept.leading_zeros()),
            kept: Some(kept),
        }
    }

    /// Whether `v` is inside this range (and among its options).
    fn holds(&self, v: f64) -> bool {
        self.lo <= v && v <= self.hi && self.kept.is_none_or(|kept| kept >> (v as u32) & 1 == 1)
    }

    /// The options kept, in order (none for a number input).
    pub fn kept_options(&self) -> impl Iterator<Item = usize> {
        let kept = self.kept.unwrap_or(0);
        (0..64).filter(move |c| kept >> c & 1 == 1)
    }
}

/// A box of the trajectory and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimBox {
    /// Share of the whole outcome (sum of y) inside the box.
    pub coverage: f64,
    /// Mean outcome inside the box.
    pub density: f64,
    /// Share of the points inside the box.
    pub mass: f64,
    /// One per input, in the inputs' order.
    pub limits: Vec<Limit>,
}

impl PrimBox {
    /// Whether `point` (one value per input) is inside the box.
    pub fn holds(&self, point: &[f64]) -> bool {
        point.iter().zip(&self.limits).all(|(v, l)| l.holds(*v))
    }
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
    /// A category input: only the options `kept` are inside.
    Among,
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
    /// For each box after the peeled ones, in order, the step of the
    /// peeled box it widens (that box pasted).
    pub pasted_from: Vec<usize>,
    /// Which inputs are categories (a set of options, peeled one option at
    /// a time), in the inputs' order.
    pub categories: Vec<bool>,
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
    /// The step of the peeled box that box `index` pastes, or `None` for a
    /// peeled box.
    pub fn pasted_step(&self, index: usize) -> Option<usize> {
        index
            .checked_sub(self.peeled)
            .and_then(|k| self.pasted_from.get(k).copied())
    }

    /// The box to report for a density `threshold`, by the rule
    /// docs/MODEL.md states ("The chosen box"): among the boxes on the
    /// trajectory's [frontier](Trajectory::on_frontier) whose density is
    /// at least `threshold`, the one of highest coverage (the widest region
    /// where the outcome is that likely), then the one restricting fewer
    /// inputs, then the earlier. When no box is that dense, the densest
    /// box on the frontier (the same ties), with `meets_threshold` false
    /// so the caller can say so and choose for another threshold.
    pub fn choose(&self, threshold: f64) -> Choice {
        let frontier: Vec<usize> = (0..self.boxes.len())
            .filter(|&i| self.on_frontier(i))
            .collect();
        let dense = frontier
            .iter()
            .copied()
            .filter(|&i| self.boxes[i].density >= threshold);
        match self.best(dense, |b| (b.coverage, b.density)) {
            Some(index) => Choice {
                index,
                meets_threshold: true,
            },
            None => Choice {
                index: self
                    .best(frontier.into_iter(), |b| (b.density, b.coverage))
                    .unwrap_or(0),
                meets_threshold: false,
            },
        }
    }

    /// The box among `candidates` with the greatest `key` (compared first
    /// by its first number, then its second), then the one restricting
    /// fewer inputs, then the earlier.
    fn best(
        &self,
        candidates: impl Iterator<Item = usize>,
        key: impl Fn(&PrimBox) -> (f64, f64),
    ) -> Option<usize> {
        candidates.max_by(|&i, &j| {
            let (a, b) = (&self.boxes[i], &self.boxes[j]);
            let ((a0, a1), (b0, b1)) = (key(a), key(b));
            a0.total_cmp(&b0)
                .then(a1.total_cmp(&b1))
                .then(self.restricted(b).cmp(&self.restricted(a)))
                .then(j.cmp(&i))
        })
    }

    /// Whether box `index` is on the trajectory's coverage–density
    /// frontier: no other box has at least its coverage and its density
    /// while restricting no more inputs, and is better in one of the three
    /// (the Pareto front of EMA Workbench's `show_tradeoff`, with the
    /// number of restricted inputs as the third objective, as Bryant &
    /// Lempert 2010 weigh interpretability).
    pub fn on_frontier(&self, index: usize) -> bool {
        let b = &self.boxes[index];
        let key = |b: &PrimBox| (b.coverage, b.density, self.restricted(b));
        let (coverage, density, restricted) = key(b);
        !self.boxes.iter().any(|other| {
            let (c, d, r) = key(other);
            c >= coverage
                && d >= density
                && r <= restricted
                && (c > coverage || d > density || r < restricted)
        })
    }

    /// How many inputs box `b` restricts.
    pub fn restricted(&self, b: &PrimBox) -> usize {
        (0..self.bounds.len())
            .filter(|&i| self.restriction(b, i).is_some())
            .count()
    }

    /// How box `b` restricts input `i` relative to the first box, or `None`
    /// when it keeps the input's whole range.
    pub fn restriction(&self, b: &PrimBox, i: usize) -> Option<Restriction> {
        let (bound, limit) = (self.bounds[i], b.limits[i]);
        if limit.kept.is_some() {
            return (limit.kept != bound.kept).then_some(Restriction::Among);
        }
        match (limit.lo > bound.lo, limit.hi < bound.hi) {
            (true, true) => Some(Restriction::Between),
            (true, false) => Some(Restriction::Above),
            (false, true) => Some(Restriction::Below),
            (false, false) => None,
        }
    }
}

/// The data PRIM works on, checked: each outcome as a whole number of
/// `scale`ths (`scale` the least common multiple of the run counts).
struct Data<'a> {
    x: &'a [Vec<f64>],
    units: Vec<u128>,
    scale: u128,
    total_units: u128,
    bounds: Vec<Limit>,
}

/// The most options a category input may have: one bit each in a `u64`.
pub const MAX_OPTIONS: usize = 64;

/// The outcome summed over a box (in the data's units) and its points: the
/// box's density is `units / (scale * points)`, compared exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tally {
    units: u128,
    points: usize,
}

impl Tally {
    /// How this box's density compares with `other`'s, by
    /// cross-multiplication (`check` made sure no product overflows; an
    /// empty box has density 0).
    fn density_cmp(&self, other: &Tally) -> Ordering {
        if self.points == 0 || other.points == 0 {
            return (self.points > 0 && self.units > 0).cmp(&(other.points > 0 && other.units > 0));
        }
        (self.units * other.points as u128).cmp(&(other.units * self.points as u128))
    }
}

impl Data<'_> {
    fn tally(&self, members: &[usize]) -> Tally {
        Tally {
            units: members.iter().map(|&j| self.units[j]).sum(),
            points: members.len(),
        }
    }

    fn describe(&self, members: &[usize], limits: Vec<Limit>) -> PrimBox {
        let t = self.tally(members);
        PrimBox {
            coverage: t.units as f64 / self.total_units as f64,
            density: if t.points > 0 {
                t.units as f64 / (self.scale * t.points as u128) as f64
            } else {
                0.0
            },
            mass: t.points as f64 / self.x.len() as f64,
            limits,
        }
    }

    fn inside(&self, j: usize, limits: &[Limit]) -> bool {
        self.x[j].iter().zip(limits).all(|(v, l)| l.holds(*v))
    }

    /// Which sides of input `i` `limit` restricts: (low, high); a category
    /// input's set counts as its low side (as the EMA Workbench reports a
    /// category's quasi-p-value first).
    fn sides(&self, i: usize, limit: &Limit) -> (bool, bool) {
        let bound = &self.bounds[i];
        match limit.kept {
            Some(_) => (limit.kept != bound.kept, false),
            None => (limit.lo > bound.lo, limit.hi < bound.hi),
        }
    }

    /// How many inputs `limits` restricts.
    fn restricted(&self, limits: &[Limit]) -> usize {
        limits
            .iter()
            .zip(&self.bounds)
            .filter(|(l, b)| l != b)
            .count()
    }
}

/// The smallest and largest value of each input over the points (`x`
/// checked: at least one point); for a category input, the options that
/// occur.
fn bounds(x: &[Vec<f64>], categories: &[bool]) -> Vec<Limit> {
    categories
        .iter()
        .enumerate()
        .map(|(i, &category)| {
            if category {
                Limit::options(x.iter().fold(0u64, |kept, row| kept | 1 << (row[i] as u32)))
            } else {
                let range = Limit::range(f64::INFINITY, f64::NEG_INFINITY);
                x.iter().fold(range, |l, row| {
                    Limit::range(l.lo.min(row[i]), l.hi.max(row[i]))
                })
            }
        })
        .collect()
}

/// The least common multiple of the run counts, and each outcome in its
/// units; `None` when a sum of outcomes, or the multiple, times the number
/// of points would not fit in 128 bits (then densities cannot be
/// cross-multiplied, nor a box's runs counted).
fn exact_units(y: &[Share]) -> Option<(u128, Vec<u128>)> {
    fn gcd(a: u128, b: u128) -> u128 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let scale = y.iter().try_fold(1u128, |l, s| {
        let of = u128::from(s.of);
        (l / gcd(l, of)).checked_mul(of)
    })?;
    let units: Vec<u128> = y
        .iter()
        .map(|s| u128::from(s.count) * (scale / u128::from(s.of)))
        .collect();
    let total = units.iter().try_fold(0u128, |t, u| t.checked_add(*u))?;
    total.checked_mul(y.len() as u128)?;
    scale.checked_mul(y.len() as u128)?;
    Some((scale, units))
}

/// Check the data and options; `categories` marks the category inputs.
fn check<'a>(
    x: &'a [Vec<f64>],
    y: &[Share],
    categories: &[bool],
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
    if y.len() != n {
        return Err(PrimError::Length {
            what: "outcomes",
            found: y.len(),
            expected: n,
        });
    }
    if categories.len() != k {
        return Err(PrimError::Length {
            what: "input kinds",
            found: categories.len(),
            expected: k,
        });
    }
    let not_an_option = |v: f64| v < 0.0 || v.fract() != 0.0 || v >= MAX_OPTIONS as f64;
    for (j, row) in x.iter().enumerate() {
        let bad = row
            .iter()
            .zip(categories)
            .find(|&(&v, &c)| c && not_an_option(v));
        if let Some((&value, _)) = bad {
            return Err(PrimError::BadValue {
                what: "a category input (an option's index below 64)",
                point: j,
                value,
            });
        }
    }
    for (j, row) in x.iter().enumerate() {
        if let Some(&value) = row.iter().find(|v| !v.is_finite()) {
            return Err(PrimError::BadValue {
                what: "an input",
                point: j,
                value,
            });
        }
        if y[j].of == 0 || y[j].count > y[j].of {
            return Err(PrimError::BadShare {
                point: j,
                share: y[j],
            });
        }
    }
    let (scale, units) = exact_units(y).ok_or(PrimError::Denominators)?;
    let total_units: u128 = units.iter().sum();
    if total_units == 0 {
        return Err(PrimError::NoOutcome);
    }
    Ok(Data {
        x,
        units,
        scale,
        total_units,
        bounds: bounds(x, categories),
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

/// A candidate box: its limits, members, and what it is ranked by.
struct Candidate {
    limits: Vec<Limit>,
    members: Vec<usize>,
    tally: Tally,
    restricted: usize,
}

impl Candidate {
    /// Whether this candidate beats `other`: higher density (exactly),
    /// then fewer restricted inputs, then more points; a full tie keeps
    /// the earlier candidate.
    fn beats(&self, other: &Candidate) -> bool {
        let rest = |c: &Candidate| (Reverse(c.restricted), c.tally.points);
        match self.tally.density_cmp(&other.tally) {
            Ordering::Equal => rest(self) > rest(other),
            order => order == Ordering::Greater,
        }
    }
}

fn candidate(data: &Data, members: Vec<usize>, limits: Vec<Limit>) -> Candidate {
    Candidate {
        tally: data.tally(&members),
        restricted: data.restricted(&limits),
        limits,
        members,
    }
}

/// The boxes a category input's limit leads to by taking one option out
/// (`out`) or putting one back: its limit with each option of `options`
/// toggled, in the options' order.
fn toggled(limits: &[Limit], i: usize, options: u64) -> impl Iterator<Item = Vec<Limit>> + '_ {
    let kept = limits[i].kept.unwrap_or(0);
    (0..64)
        .filter(move |c| options >> c & 1 == 1)
        .map(move |c| {
            let mut limits = limits.to_vec();
            limits[i] = Limit::options(kept ^ (1 << c));
            limits
        })
}

/// The best peel of the box (`limits`, `members`), if any leaves at least
/// `min_mass`: a number input's slice beyond a quantile, or one option of
/// a category input (the EMA Workbench's categorical peel), while at least
/// one is left.
fn peel(
    data: &Data,
    limits: &[Limit],
    members: &[usize],
    options: &PrimOptions,
) -> Option<Candidate> {
    let k = limits.len();
    let mut best: Option<Candidate> = None;
    let mut consider = |c: Candidate| {
        let mass = c.tally.points as f64 / data.x.len() as f64;
        if mass >= options.min_mass && best.as_ref().is_none_or(|b| c.beats(b)) {
            best = Some(c);
        }
    };
    for i in 0..k {
        if let Some(kept) = limits[i].kept {
            if kept.count_ones() > 1 {
                for peeled in toggled(limits, i, kept) {
                    let inside = members
                        .iter()
                        .copied()
                        .filter(|&j| peeled[i].holds(data.x[j][i]));
                    consider(candidate(data, inside.collect(), peeled));
                }
            }
            continue;
        }
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
            consider(candidate(data, kept, limits));
        }
    }
    best
}

/// The input point `j` lies outside of, when it is outside `limits` on
/// exactly one: the points a paste of that input can take in.
fn only_outside(data: &Data, limits: &[Limit], j: usize) -> Option<usize> {
    let mut outside = data.x[j]
        .iter()
        .zip(limits)
        .enumerate()
        .filter(|(_, (v, l))| !l.holds(**v))
        .map(|(i, _)| i);
    match (outside.next(), outside.next()) {
        (Some(i), None) => Some(i),
        _ => None,
    }
}

/// The best paste of the box: widen one side of one number input to take
/// in the `alpha` share (of the box's points, at least one) of the points
/// that are inside on every other input and nearest outside that side, or
/// put one option of a category input back.
fn paste(
    data: &Data,
    limits: &[Limit],
    members: &[usize],
    options: &PrimOptions,
) -> Option<Candidate> {
    let take = ((options.alpha * members.len() as f64).ceil() as usize).max(1);
    let mut near: Vec<Vec<usize>> = vec![Vec::new(); limits.len()];
    for j in 0..data.x.len() {
        if let Some(i) = only_outside(data, limits, j) {
            near[i].push(j);
        }
    }
    let mut best: Option<Candidate> = None;
    let mut consider = |widened: Vec<Limit>, taken_in: Vec<usize>| {
        let mut members = members.to_vec();
        members.extend(taken_in);
        members.sort_unstable();
        let c = candidate(data, members, widened);
        if best.as_ref().is_none_or(|b| c.beats(b)) {
            best = Some(c);
        }
    };
    for (i, near) in near.iter().enumerate() {
        let within = |widened: &[Limit], points: &[usize]| -> Vec<usize> {
            points
                .iter()
                .copied()
                .filter(|&j| widened[i].holds(data.x[j][i]))
                .collect()
        };
        if let (Some(kept), Some(all)) = (limits[i].kept, data.bounds[i].kept) {
            for widened in toggled(limits, i, all & !kept) {
                let taken_in = within(&widened, near);
                consider(widened, taken_in);
            }
            continue;
        }
        for upper in [false, true] {
            let beyond: Vec<usize> = near
                .iter()
                .copied()
                .filter(|&j| {
                    let v = data.x[j][i];
                    if upper {
                        v > limits[i].hi
                    } else {
                        v < limits[i].lo
                    }
                })
                .collect();
            if beyond.is_empty() {
                continue;
            }
            let mut values: Vec<f64> = beyond.iter().map(|&j| data.x[j][i]).collect();
            values.sort_by(f64::total_cmp);
            let mut widened = limits.to_vec();
            if upper {
                widened[i].hi = values[(take - 1).min(values.len() - 1)];
            } else {
                widened[i].lo = values[values.len() - take.min(values.len())];
            }
            let taken_in = within(&widened, &beyond);
            consider(widened, taken_in);
        }
    }
    best
}

/// A `peeled` box pasted: widened one paste at a time while that raises
/// the density, or `None` when no paste does.
fn pasted(data: &Data, peeled: &PrimBox, options: &PrimOptions) -> Option<PrimBox> {
    let mut pasting = State {
        members: (0..data.x.len())
            .filter(|&j| data.inside(j, &peeled.limits))
            .collect(),
        limits: peeled.limits.clone(),
        boxes: Vec::new(),
    };
    pasting.advance(data, |l, m| paste(data, l, m, options));
    pasting.boxes.pop()
}

/// The current box (its limits and the points inside) and the boxes so far.
struct State {
    limits: Vec<Limit>,
    members: Vec<usize>,
    boxes: Vec<PrimBox>,
}

impl State {
    /// Move to the box `step` proposes as long as that raises the density
    /// (exactly: a cut that changes nothing, on an input that does not
    /// matter, is not progress), recording each.
    fn advance(&mut self, data: &Data, step: impl Fn(&[Limit], &[usize]) -> Option<Candidate>) {
        loop {
            let current = data.tally(&self.members);
            match step(&self.limits, &self.members) {
                Some(next) if next.tally.density_cmp(&current) == Ordering::Greater => {
                    (self.limits, self.members) = (next.limits, next.members);
                    self.boxes
                        .push(data.describe(&self.members, self.limits.clone()));
                }
                _ => break,
            }
        }
    }
}

/// Run PRIM on the points `x` (one row of numbers per point) with outcomes
/// `y` (a share of runs per point).
pub fn discover(
    x: &[Vec<f64>],
    y: &[Share],
    options: &PrimOptions,
) -> Result<Trajectory, PrimError> {
    let numbers = vec![false; x.first().map_or(0, Vec::len)];
    discover_with_categories(x, y, &numbers, options)
}

/// Run PRIM on the points `x` with outcomes `y`, the inputs marked in
/// `categories` being category inputs: each value the index of an option
/// (a whole number below [`MAX_OPTIONS`]), a box keeping a set of options,
/// not a range of indices.
pub fn discover_with_categories(
    x: &[Vec<f64>],
    y: &[Share],
    categories: &[bool],
    options: &PrimOptions,
) -> Result<Trajectory, PrimError> {
    let data = check(x, y, categories, options)?;
    let bounds = data.bounds.clone();
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
    let mut boxes = state.boxes;
    let mut pasted_from = Vec::new();
    if options.paste {
        for step in 1..peeled {
            let Some(wider) = pasted(&data, &boxes[step], options) else {
                continue;
            };
            if boxes.iter().all(|b| b.limits != wider.limits) {
                boxes.push(wider);
                pasted_from.push(step);
            }
        }
    }
    Ok(Trajectory {
        bounds,
        boxes,
        peeled,
        pasted_from,
        categories: categories.to_vec(),
    })
}

/// A restriction is kept in the reported box when its quasi-p-value is at
/// most this (Bryant & Lempert 2010 read p <= 0.05 as significant)...
pub const QUASI_P_LEVEL: f64 = 0.05;
/// ... or when at least this share of the half-sample refits restrict the
/// input (a majority: the restriction is more often found than not).
pub const REFIT_SHARE_LEVEL: f64 = 0.5;
/// Half-sample refits made to judge each restriction's stability: enough
/// that the share has a standard error of at most 0.11 (at 0.5), few
/// enough to cost about twenty PRIM searches of half the points.
pub const REFITS: usize = 20;

/// How much one restricted input of a box matters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Significance {
    /// The quasi-p-value of the box's low-side restriction of the input
    /// (`None`: that side is not restricted).
    pub quasi_p_lo: Option<f64>,
    /// The same for the high side.
    pub quasi_p_hi: Option<f64>,
    /// The share of the half-sample refits whose chosen box restricts the
    /// input.
    pub refit_share: f64,
}

impl Significance {
    /// The smaller of the two sides' quasi-p-values: the input matters if
    /// either side does.
    pub fn quasi_p(&self) -> f64 {
        self.quasi_p_lo
            .into_iter()
            .chain(self.quasi_p_hi)
            .fold(1.0, f64::min)
    }

    /// Whether the restriction passes either test: a quasi-p-value of at
    /// most [`QUASI_P_LEVEL`] or a refit share of at least
    /// [`REFIT_SHARE_LEVEL`]. One that fails both is dropped from the
    /// reported box.
    pub fn matters(&self) -> bool {
        self.quasi_p() <= QUASI_P_LEVEL || self.refit_share >= REFIT_SHARE_LEVEL
    }
}

/// The chosen box judged restriction by restriction.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// One per input: `None` when the chosen box does not restrict it.
    pub inputs: Vec<Option<Significance>>,
    /// The chosen box without the restrictions that fail both tests, its
    /// statistics recomputed over the points (the chosen box itself when
    /// every restriction matters).
    pub reported: PrimBox,
    /// The reported box's density with its 95 % interval
    /// ([`density_interval`]).
    pub density: Estimate,
}

/// The 95 % interval of `density`, the mean outcome of the points
/// `members` of `y` (docs/OUTPUTS.md, "Intervals"). Points of one run each
/// are independent runs: Wilson's interval over them. Points of several
/// runs each (worlds) hold runs clustered in them: Wilson's interval at the
/// effective sample size `density (1 - density) / Var`, where `Var` is the
/// variance of the mean of the points' shares (their sample variance over
/// their number), never more than their runs; with worlds of equal runs
/// this is [`super::spread::clustered`]'s interval.
pub fn density_interval(y: &[Share], members: &[usize], density: f64) -> Estimate {
    let k = members.len();
    let runs: u64 = members.iter().map(|&j| y[j].of).sum();
    let effective = if members.iter().all(|&j| y[j].of == 1) || k < 2 {
        runs as f64
    } else {
        let shares = members.iter().map(|&j| y[j].count as f64 / y[j].of as f64);
        let squares: f64 = shares.map(|s| (s - density).powi(2)).sum();
        let variance = squares / (k - 1) as f64 / k as f64;
        if variance > 0.0 {
            (density * (1.0 - density) / variance).min(runs as f64)
        } else {
            runs as f64
        }
    };
    if runs == 0 {
        return Estimate {
            value: density,
            lo: 0.0,
            hi: 1.0,
        };
    }
    let (lo, hi) = super::wilson::wilson_bounds(density, effective, super::Z95);
    Estimate {
        value: density,
        lo,
        hi,
    }
}

/// The quasi-p-value of one side of a box's restriction of input `i`, as
/// the EMA Workbench computes it (Bryant & Lempert 2010, "Thinking inside
/// the box", Technological Forecasting & Social Change 77): a one-sided
/// binomial test of whether the box's `Tbox` points would hold its `Hbox`
/// outcomes (the sum of the outcomes, truncated to a whole number) if the
/// outcome were only as frequent as in the box with that side's
/// restriction removed: P(X >= Hbox) for X ~ Binomial(Tbox, p).
fn quasi_p(data: &Data, limits: &[Limit], i: usize, upper: bool) -> f64 {
    let members = |limits: &[Limit]| -> Vec<usize> {
        (0..data.x.len())
            .filter(|&j| data.inside(j, limits))
            .collect()
    };
    let inside = data.tally(&members(limits));
    let mut widened = limits.to_vec();
    if limits[i].kept.is_some() {
        widened[i] = data.bounds[i];
    } else if upper {
        widened[i].hi = data.bounds[i].hi;
    } else {
        widened[i].lo = data.bounds[i].lo;
    }
    let wider = data.tally(&members(&widened));
    let p = wider.units as f64 / (data.scale * wider.points as u128) as f64;
    let hits = (inside.units / data.scale) as u64;
    binomial_at_least(hits, inside.points as u64, p)
}

/// Whether every side of every input `limits` restricts has a
/// quasi-p-value of at most [`QUASI_P_LEVEL`].
fn every_restriction_significant(data: &Data, limits: &[Limit]) -> bool {
    limits.iter().enumerate().all(|(i, limit)| {
        let (low, high) = data.sides(i, limit);
        [(low, false), (high, true)]
            .iter()
            .all(|&(restricted, upper)| {
                !restricted || quasi_p(data, limits, i, upper) <= QUASI_P_LEVEL
            })
    })
}

/// The density threshold the data supports (docs/MODEL.md, "The chosen
/// box"): the density, rounded down to the hundredth, of the densest box
/// on the frontier of `trajectory` (PRIM's run on `x` and `y` with
/// `options`) each of whose restrictions has a quasi-p-value of at most
/// [`QUASI_P_LEVEL`] (Bryant & Lempert 2010's test: no restriction of it
/// could be chance). The first box, which restricts nothing, always
/// qualifies: then the threshold is the outcome's mean over the points.
pub fn supported_threshold(
    x: &[Vec<f64>],
    y: &[Share],
    trajectory: &Trajectory,
    options: &PrimOptions,
) -> Result<f64, PrimError> {
    let data = check(x, y, &trajectory.categories, options)?;
    let densest = (0..trajectory.boxes.len())
        .filter(|&i| trajectory.on_frontier(i))
        .map(|i| &trajectory.boxes[i])
        .filter(|b| every_restriction_significant(&data, &b.limits))
        .map(|b| b.density)
        .fold(trajectory.boxes[0].density, f64::max);
    Ok((100.0 * densest).floor() / 100.0)
}

/// P(X >= k) for X ~ Binomial(n, p).
fn binomial_at_least(k: u64, n: u64, p: f64) -> f64 {
    use statrs::distribution::{Binomial, DiscreteCDF};
    match Binomial::new(p.clamp(0.0, 1.0), n) {
        Ok(b) if k > 0 => b.sf(k - 1),
        _ => 1.0,
    }
}

/// How [`assess`] judges a box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AssessOptions {
    /// The density threshold each refit chooses its box for.
    pub threshold: f64,
    /// Seeds the ChaCha8 stream that draws the half-samples.
    pub seed: u64,
    /// Remove the restrictions that fail both tests from the reported box.
    pub drop: bool,
}

/// Judge each restriction of box `index` of `trajectory` (PRIM's run on
/// `x` and `y` with `options`): its quasi-p-value, and the share of
/// [`REFITS`] refits on half the points (drawn without replacement), each
/// choosing its box for the threshold by [`Trajectory::choose`], that
/// restrict the same input. A refit PRIM cannot run (no outcome in that
/// half) restricts nothing.
pub fn assess(
    x: &[Vec<f64>],
    y: &[Share],
    trajectory: &Trajectory,
    index: usize,
    options: &PrimOptions,
    rule: &AssessOptions,
) -> Result<Assessment, PrimError> {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    let data = check(x, y, &trajectory.categories, options)?;
    let chosen = &trajectory.boxes[index];
    let mut rng = ChaCha8Rng::seed_from_u64(rule.seed);
    let n = x.len();
    let mut restricted_in = vec![0usize; data.bounds.len()];
    for _ in 0..REFITS {
        let mut half = rand::seq::index::sample(&mut rng, n, (n / 2).max(1)).into_vec();
        half.sort_unstable();
        let hx: Vec<Vec<f64>> = half.iter().map(|&j| x[j].clone()).collect();
        let hy: Vec<Share> = half.iter().map(|&j| y[j]).collect();
        if let Ok(refit) = discover_with_categories(&hx, &hy, &trajectory.categories, options) {
            let b = &refit.boxes[refit.choose(rule.threshold).index];
            for (i, count) in restricted_in.iter_mut().enumerate() {
                *count += usize::from(refit.restriction(b, i).is_some());
            }
        }
    }
    let inputs: Vec<Option<Significance>> = (0..data.bounds.len())
        .map(|i| {
            trajectory.restriction(chosen, i)?;
            let (lo, hi) = data.sides(i, &chosen.limits[i]);
            Some(Significance {
                quasi_p_lo: lo.then(|| quasi_p(&data, &chosen.limits, i, false)),
                quasi_p_hi: hi.then(|| quasi_p(&data, &chosen.limits, i, true)),
                refit_share: restricted_in[i] as f64 / REFITS as f64,
            })
        })
        .collect();
    let limits: Vec<Limit> = chosen
        .limits
        .iter()
        .zip(&data.bounds)
        .zip(&inputs)
        .map(|((limit, bound), s)| match s {
            Some(s) if rule.drop && !s.matters() => *bound,
            _ => *limit,
        })
        .collect();
    let members: Vec<usize> = (0..n).filter(|&j| data.inside(j, &limits)).collect();
    let reported = data.describe(&members, limits);
    Ok(Assessment {
        inputs,
        density: density_interval(y, &members, reported.density),
        reported,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A box of worlds of equal runs gets the interval for runs clustered
    /// in worlds; a box of single runs, Wilson's over them.
    #[test]
    fn a_box_density_interval_is_clustered_in_worlds_or_wilson_over_runs() {
        use super::super::spread::{WorldCount, clustered};
        let worlds: Vec<Share> = [3, 9, 5, 10, 1, 7]
            .map(|count| Share { count, of: 10 })
            .to_vec();
        let members: Vec<usize> = (0..worlds.len()).collect();
        let density = 35.0 / 60.0;
        let found = density_interval(&worlds, &members, density);
        let counts: Vec<WorldCount> = worlds
            .iter()
            .map(|s| WorldCount {
                count: s.count,
                runs: s.of,
            })
            .collect();
        let expected = clustered(&counts, super::super::Z95);
        assert!(
            (found.lo - expected.lo).abs() < 1e-12,
            "{found:?} {expected:?}"
        );
        assert!(
            (found.hi - expected.hi).abs() < 1e-12,
            "{found:?} {expected:?}"
        );
        assert_eq!(found.value, density);
        // Wider than the runs taken as independent.
        let independent = super::super::wilson(35, 60, super::super::Z95);
        assert!(found.hi - found.lo > independent.hi - independent.lo);
        // Single runs: Wilson's interval over them.
        let runs: Vec<Share> = [1, 0, 1, 1, 0].map(|count| Share { count, of: 1 }).to_vec();
        let found = density_interval(&runs, &[0, 1, 2, 3, 4], 0.6);
        let expected = super::super::wilson(3, 5, super::super::Z95);
        assert!((found.lo - expected.lo).abs() < 1e-12 && (found.hi - expected.hi).abs() < 1e-12);
    }

    /// `n` evenly spaced points in (0, 1): the midpoints of `n` equal cells.
    fn grid(n: usize) -> Vec<f64> {
        (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect()
    }

    /// The same midpoints as outcomes: (2i + 1) of 2n.
    fn grid_shares(n: u64) -> Vec<Share> {
        (0..n)
            .map(|i| Share {
                count: 2 * i + 1,
                of: 2 * n,
            })
            .collect()
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
        let (yes, no) = (Share { count: 1, of: 1 }, Share { count: 0, of: 1 });
        assert_eq!(discover(&[], &[], &o), Err(PrimError::NoPoints));
        assert!(matches!(
            discover(&[vec![0.0], vec![0.0, 1.0]], &[yes, yes], &o),
            Err(PrimError::Ragged { point: 1, .. })
        ));
        assert!(matches!(
            discover(&x, &[yes], &o),
            Err(PrimError::Length { .. })
        ));
        let over = Share { count: 3, of: 2 };
        assert!(matches!(
            discover(&x, &[over, no], &o),
            Err(PrimError::BadShare { point: 0, .. })
        ));
        let of_none = Share { count: 0, of: 0 };
        assert!(matches!(
            discover(&x, &[yes, of_none], &o),
            Err(PrimError::BadShare { point: 1, .. })
        ));
        assert!(matches!(
            discover(&[vec![f64::NAN], vec![1.0]], &[yes, no], &o),
            Err(PrimError::BadValue { point: 0, .. })
        ));
        assert_eq!(discover(&x, &[no, no], &o), Err(PrimError::NoOutcome));
        let huge = |of| Share { count: 1, of };
        assert_eq!(
            discover(&x, &[huge(u64::MAX), huge(u64::MAX - 1)], &o),
            Err(PrimError::Denominators)
        );
        let bad = PrimOptions { alpha: 0.0, ..o };
        assert!(matches!(
            discover(&x, &[yes, no], &bad),
            Err(PrimError::BadOption { what: "alpha", .. })
        ));
    }

    #[test]
    fn the_first_box_restricts_nothing_and_peeling_stops_at_the_minimum_mass() {
        let x: Vec<Vec<f64>> = grid(2000).iter().map(|&v| vec![v]).collect();
        let t = discover(&x, &grid_shares(2000), &PrimOptions::default()).unwrap();
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

    /// The ranking of tied candidates: equal densities (compared as counts,
    /// not float sums) go to fewer restricted inputs, then more points,
    /// then the earlier candidate.
    #[test]
    fn exact_ties_go_to_fewer_restricted_inputs_then_more_points() {
        // Three candidates tie on density: cutting input 0 or input 2
        // (each restricted already) or input 1 (not yet restricted).
        let bounds = vec![Limit::range(0.0, 1.0); 3];
        let data = Data {
            x: &[],
            units: vec![],
            scale: 6,
            total_units: 60,
            bounds: bounds.clone(),
        };
        let tied = |restricted_inputs: &[usize], points| {
            let mut limits = bounds.clone();
            for &i in restricted_inputs {
                limits[i].lo = 0.5;
            }
            Candidate {
                restricted: data.restricted(&limits),
                limits,
                members: vec![],
                tally: Tally {
                    units: 2 * points as u128,
                    points,
                },
            }
        };
        let (first, irrelevant, third) = (tied(&[0], 10), tied(&[0, 1], 10), tied(&[0], 10));
        assert!(!irrelevant.beats(&first) && first.beats(&irrelevant));
        assert!(!third.beats(&first), "a full tie keeps the earlier");
        assert!(tied(&[0], 11).beats(&first), "then more points");
        assert!(
            !tied(&[0, 1], 12).beats(&first),
            "fewer inputs come before points"
        );
        // A third and a sixth of 6 runs hold as many runs as a half.
        let a = Tally {
            units: 2 + 1,
            points: 2,
        };
        let b = Tally {
            units: 3,
            points: 2,
        };
        assert_eq!(a.density_cmp(&b), Ordering::Equal);
    }

    /// Ten points built so that the second peel is a three-way tie: cutting
    /// input 2 again (restricted by the first peel), or input 0 or input 1
    /// (restricted by none), each leaves 26 runs in tenths over 6 points.
    /// The rule takes the cut that restricts fewer inputs; the first input
    /// would have been input 0.
    #[test]
    fn an_engineered_three_way_tie_goes_to_fewer_restricted_inputs() {
        // (input 0, input 1, input 2, runs of 10 with the outcome)
        let points: [(f64, f64, f64, u64); 10] = [
            (5.0, 5.0, 0.0, 0),
            (6.0, 6.0, 1.0, 0),
            (7.0, 7.0, 2.0, 1),
            (8.0, 8.0, 3.0, 2),
            (0.0, 2.0, 4.0, 3),
            (1.0, 3.0, 5.0, 0),
            (2.0, 0.0, 6.0, 2),
            (3.0, 1.0, 7.0, 1),
            (9.0, 9.0, 8.0, 10),
            (10.0, 10.0, 9.0, 10),
        ];
        let x: Vec<Vec<f64>> = points.iter().map(|p| vec![p.0, p.1, p.2]).collect();
        let y: Vec<Share> = points
            .iter()
            .map(|p| Share { count: p.3, of: 10 })
            .collect();
        let o = PrimOptions {
            alpha: 0.2,
            ..PrimOptions::default()
        };
        let t = discover(&x, &y, &o).unwrap();
        let restricted = |b: &PrimBox| -> Vec<usize> {
            (0..3).filter(|&i| t.restriction(b, i).is_some()).collect()
        };
        assert_eq!(restricted(&t.boxes[1]), vec![2]);
        assert_eq!(t.boxes[1].mass, 0.8);
        assert_eq!(restricted(&t.boxes[2]), vec![2], "{:?}", t.boxes[2]);
        assert_eq!(t.boxes[2].mass, 0.6);
        assert_eq!(t.boxes[2].density, 26.0 / 60.0);
    }

    /// A trajectory of made-up boxes over two inputs: `(coverage, density,
    /// restricted inputs)` each.
    fn made_up(boxes: &[(f64, f64, usize)]) -> Trajectory {
        let bounds = vec![Limit::range(0.0, 1.0); 2];
        let boxes = boxes
            .iter()
            .map(|&(coverage, density, restricted)| {
                let mut limits = bounds.clone();
                for limit in limits.iter_mut().take(restricted) {
                    limit.lo = 0.5;
                }
                PrimBox {
                    coverage,
                    density,
                    mass: coverage * 0.3 / density,
                    limits,
                }
            })
            .collect::<Vec<_>>();
        Trajectory {
            bounds,
            peeled: boxes.len(),
            pasted_from: Vec::new(),
            boxes,
            categories: vec![false; 2],
        }
    }

    /// The rule: the frontier's box of highest coverage at the threshold,
    /// fewer restricted inputs on a tie; a box another beats on coverage,
    /// density and restrictions alike is never chosen; with none dense
    /// enough, the frontier's densest and `meets_threshold` false.
    #[test]
    fn the_choice_is_the_frontier_box_of_highest_coverage_at_the_threshold() {
        let t = made_up(&[
            (1.0, 0.3, 0),
            (0.8, 0.6, 2),
            (0.8, 0.6, 1),
            (0.7, 0.55, 2),
            (0.5, 0.7, 2),
        ]);
        let frontier: Vec<bool> = (0..5).map(|i| t.on_frontier(i)).collect();
        assert_eq!(frontier, [true, false, true, false, true]);
        assert_eq!(t.restricted(&t.boxes[1]), 2);
        let at = |threshold| t.choose(threshold);
        assert_eq!(
            at(0.5),
            Choice {
                index: 2,
                meets_threshold: true
            }
        );
        assert_eq!(
            at(0.65),
            Choice {
                index: 4,
                meets_threshold: true
            }
        );
        assert_eq!(
            at(0.2),
            Choice {
                index: 0,
                meets_threshold: true
            }
        );
        assert_eq!(
            at(0.9),
            Choice {
                index: 4,
                meets_threshold: false
            }
        );
    }

    /// The supported threshold: on y ~ Binomial(10, x0) / 10 the dense
    /// boxes restrict x0, significantly, so the threshold the data
    /// supports lies well above the mean (0.5), and it is the density of
    /// the densest frontier box whose every restriction passes the test,
    /// rounded down. On outcomes that do not depend on the inputs it stays
    /// near the mean.
    #[test]
    fn the_supported_threshold_is_the_densest_significant_box() {
        use rand::{RngExt, SeedableRng};
        use rand_chacha::ChaCha8Rng;
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let x: Vec<Vec<f64>> = (0..600)
            .map(|_| (0..3).map(|_| rng.random::<f64>()).collect())
            .collect();
        let draw = |p: f64, rng: &mut ChaCha8Rng| Share {
            count: (0..10).filter(|_| rng.random::<f64>() < p).count() as u64,
            of: 10,
        };
        let y: Vec<Share> = x.iter().map(|p| draw(p[0], &mut rng)).collect();
        let o = PrimOptions::default();
        let t = discover(&x, &y, &o).unwrap();
        let supported = supported_threshold(&x, &y, &t, &o).unwrap();
        assert!(supported > 0.8, "{supported}");
        let data = check(&x, &y, &[false; 3], &o).unwrap();
        let admitted = t.choose(supported);
        assert!(admitted.meets_threshold);
        let densest_significant = t
            .boxes
            .iter()
            .enumerate()
            .filter(|(i, b)| t.on_frontier(*i) && every_restriction_significant(&data, &b.limits))
            .map(|(_, b)| b.density)
            .fold(0.0, f64::max);
        assert_eq!(supported, (100.0 * densest_significant).floor() / 100.0);
        let flat: Vec<Share> = x.iter().map(|_| draw(0.3, &mut rng)).collect();
        let t = discover(&x, &flat, &o).unwrap();
        let mean = t.boxes[0].density;
        let supported = supported_threshold(&x, &flat, &t, &o).unwrap();
        assert!(supported <= t.boxes.last().unwrap().density, "{supported}");
        assert!(
            supported < mean + 0.05,
            "{supported} against the mean {mean}"
        );
    }

    /// A category input is peeled one option at a time and kept as a set:
    /// the outcome is likely for options 1 and 3 of four, which no range of
    /// indices holds without 2; a number input that does not matter is not
    /// restricted. The set's quasi-p-value is reported on its low side, as
    /// the EMA Workbench does; pasting puts an option back only if that
    /// raises the density.
    #[test]
    fn a_category_input_is_kept_as_a_set_of_options() {
        let x: Vec<Vec<f64>> = (0..400)
            .map(|j| vec![(j % 4) as f64, ((j / 4) as f64 + 0.5) / 100.0])
            .collect();
        let y: Vec<Share> = x
            .iter()
            .map(|p| Share {
                count: if p[0] == 1.0 || p[0] == 3.0 { 9 } else { 1 },
                of: 10,
            })
            .collect();
        let o = PrimOptions {
            paste: true,
            ..PrimOptions::default()
        };
        let categories = [true, false];
        let t = discover_with_categories(&x, &y, &categories, &o).unwrap();
        assert_eq!(t.bounds[0].kept, Some(0b1111));
        let last = t.boxes.last().unwrap();
        assert_eq!(last.limits[0].kept, Some(0b1010), "{last:?}");
        assert_eq!(last.limits[0].kept_options().collect::<Vec<_>>(), [1, 3]);
        assert_eq!(t.restriction(last, 0), Some(Restriction::Among));
        assert_eq!(t.restriction(last, 1), None);
        assert_eq!((last.density, last.mass, t.boxes.len()), (0.9, 0.5, 3));
        let index = t.choose(0.8).index;
        assert_eq!(index, 2);
        let rule = AssessOptions {
            threshold: 0.8,
            seed: 2,
            drop: true,
        };
        let a = assess(&x, &y, &t, index, &o, &rule).unwrap();
        let set = a.inputs[0].expect("the set is a restriction");
        assert!(
            set.quasi_p_lo.unwrap() < 1e-6 && set.quasi_p_hi.is_none(),
            "{set:?}"
        );
        assert_eq!(set.refit_share, 1.0);
        assert_eq!(a.inputs[1], None);
        let not_an_option = vec![vec![0.5, 0.0]; 2];
        assert!(matches!(
            discover_with_categories(&not_an_option, &y[..2], &categories, &o),
            Err(PrimError::BadValue { point: 0, .. })
        ));
    }

    #[test]
    fn the_binomial_tail_matches_exact_sums() {
        // Exact sums of C(n, k) p^k (1-p)^(n-k), k >= 7 of 10 at 0.4 and
        // k >= 30 of 100 at 0.2, computed in rationals.
        assert!((binomial_at_least(7, 10, 0.4) - 0.054_761_881_6).abs() < 1e-9);
        assert!((binomial_at_least(30, 100, 0.2) - 0.011_248_978_720_991_634).abs() < 1e-9);
        assert_eq!(binomial_at_least(0, 10, 0.3), 1.0);
    }

    /// y ~ Binomial(10, x0) / 10 over seeded uniform points with two inputs
    /// that do not matter: the restriction of x0 passes both tests; any
    /// restriction of the others that fails both is dropped, and the
    /// reported box's statistics are a recount over its points.
    #[test]
    fn the_assessment_keeps_what_matters_and_recounts_the_box() {
        use rand::{RngExt, SeedableRng};
        use rand_chacha::ChaCha8Rng;
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let x: Vec<Vec<f64>> = (0..600)
            .map(|_| (0..3).map(|_| rng.random::<f64>()).collect())
            .collect();
        let y: Vec<Share> = x
            .iter()
            .map(|p| Share {
                count: (0..10).filter(|_| rng.random::<f64>() < p[0]).count() as u64,
                of: 10,
            })
            .collect();
        let o = PrimOptions::default();
        let t = discover(&x, &y, &o).unwrap();
        let index = t.choose(0.8).index;
        let rule = AssessOptions {
            threshold: 0.8,
            seed: 11,
            drop: true,
        };
        let a = assess(&x, &y, &t, index, &o, &rule).unwrap();
        assert_eq!(a, assess(&x, &y, &t, index, &o, &rule).unwrap(), "seeded");
        let x0 = a.inputs[0].expect("x0 is restricted");
        assert!(x0.quasi_p() < 1e-6 && x0.refit_share >= 0.9, "{x0:?}");
        assert!(x0.quasi_p_lo.is_some());
        let chosen = &t.boxes[index];
        for (i, s) in a.inputs.iter().enumerate() {
            let kept = t.restriction(&a.reported, i).is_some();
            match s {
                None => assert!(!kept),
                Some(s) => assert_eq!(kept, s.matters(), "input {i}: {s:?}"),
            }
        }
        let inside: Vec<usize> = (0..x.len())
            .filter(|&j| {
                x[j].iter()
                    .zip(&a.reported.limits)
                    .all(|(v, l)| l.lo <= *v && *v <= l.hi)
            })
            .collect();
        let sum: u64 = inside.iter().map(|&j| y[j].count).sum();
        let total: u64 = y.iter().map(|s| s.count).sum();
        assert!((a.reported.density - sum as f64 / (10 * inside.len()) as f64).abs() < 1e-12);
        assert!((a.reported.coverage - sum as f64 / total as f64).abs() < 1e-12);
        assert!(a.reported.mass >= chosen.mass);
        let kept_all = assess(
            &x,
            &y,
            &t,
            index,
            &o,
            &AssessOptions {
                drop: false,
                ..rule
            },
        )
        .unwrap();
        assert_eq!(kept_all.reported, *chosen);
        assert_eq!(kept_all.inputs, a.inputs);
    }
}
