//! Samplers: the points of a typed parameter space, as EMA Workbench's
//! `samplers.py` makes them, apart from the evaluator that runs them
//! ([`super::points`], its `evaluators.py`). A sampler knows its keys and,
//! for point `i`, their typed values; it runs nothing and reads no
//! scenario text. A study is a sampler, the evaluator and a summary of
//! what the points gave:
//!
//! | sampler | points | study |
//! |---|---|---|
//! | [`Grid`] | every combination of one or two lines of values | `sweep` |
//! | [`OneAtATime`] | the scenario's own values, then each key at its low and high end | `sensitivity --method oat` |
//! | [`Cube::saltelli`] | the Saltelli (2002) design of N (k + 2) points | `sensitivity --method sobol` |
//! | [`Prior`] | independent draws of the judged inputs, world by world | `discover` (and every study's worlds) |
//! | [`Cube::latin_hypercube`] | a Latin hypercube over the judged inputs (McKay, Beckman & Conover 1979) | `discover --sampling latin` |
//!
//! Points are made on demand, so a design of a million points is never
//! held at once.

use rand::RngExt;
use rand::seq::SliceRandom;

use crate::engine::worlds;
use crate::experiment::sensitivity::{Factor, derived_rng, saltelli_design};
use crate::experiment::vary::Vary;
use crate::scenario::judged::JudgedInput;
use crate::stats::Drawn;

/// The points of a parameter space: the keys every point sets and, for
/// point `i`, their values. A trait rather than an enum: a new study adds
/// its sampler beside the others without touching them or the evaluator,
/// and a sampler generic over its [`Factor`]s (a `--vary` range or a
/// judged distribution) stays one type.
pub(crate) trait Sampler: Sync {
    /// How many points.
    fn len(&self) -> usize;
    /// The `--set` keys each point gives a value, in the order of its
    /// values.
    fn keys(&self) -> Vec<String>;
    /// Point `i`'s values (`i < len()`), in the order of [`Sampler::keys`].
    fn point(&self, i: usize) -> Vec<Drawn>;
}

/// A line (one key) or grid (two keys) of values: point `i` walks the
/// last key fastest.
pub(crate) struct Grid<'a> {
    varies: &'a [Vary],
    lines: Vec<Vec<f64>>,
}

impl<'a> Grid<'a> {
    /// The grid of each key's `LO..HI:STEPS` values.
    pub(crate) fn new(varies: &'a [Vary]) -> Grid<'a> {
        Grid {
            varies,
            lines: varies.iter().map(Vary::points).collect(),
        }
    }

    /// Point `i`'s value of each key, as numbers (the sweep's table).
    pub(crate) fn coordinates(&self, mut i: usize) -> Vec<f64> {
        let mut row = vec![0.0; self.lines.len()];
        for (x, line) in row.iter_mut().zip(&self.lines).rev() {
            *x = line[i % line.len()];
            i /= line.len();
        }
        row
    }
}

impl Sampler for Grid<'_> {
    fn len(&self) -> usize {
        self.lines.iter().map(Vec::len).product()
    }

    fn keys(&self) -> Vec<String> {
        self.varies.iter().map(|v| v.key.clone()).collect()
    }

    fn point(&self, i: usize) -> Vec<Drawn> {
        self.varies
            .iter()
            .zip(self.coordinates(i))
            .map(|(v, x)| v.value(x))
            .collect()
    }
}

/// One at a time: point 0 at the scenario's own values (`bases`), then
/// for each key its low end and its high end, the others at their own.
pub(crate) struct OneAtATime<'a> {
    varies: &'a [Vary],
    bases: &'a [f64],
}

impl<'a> OneAtATime<'a> {
    /// Around `bases`, the scenario's value of each of `varies`.
    pub(crate) fn new(varies: &'a [Vary], bases: &'a [f64]) -> OneAtATime<'a> {
        OneAtATime { varies, bases }
    }

    /// Point `i`'s value of each key, as numbers.
    fn coordinates(&self, i: usize) -> Vec<f64> {
        let mut row = self.bases.to_vec();
        if i > 0 {
            let v = &self.varies[(i - 1) / 2];
            row[(i - 1) / 2] = if i % 2 == 1 { v.lo } else { v.hi };
        }
        row
    }
}

impl Sampler for OneAtATime<'_> {
    fn len(&self) -> usize {
        1 + 2 * self.varies.len()
    }

    fn keys(&self) -> Vec<String> {
        self.varies.iter().map(|v| v.key.clone()).collect()
    }

    fn point(&self, i: usize) -> Vec<Drawn> {
        self.varies
            .iter()
            .zip(self.coordinates(i))
            .map(|(v, x)| v.value(x))
            .collect()
    }
}

/// Points of the unit cube `[0, 1)^k`, each coordinate turned into its
/// factor's value ([`Factor::value_at`]: uniform over a `--vary` range, a
/// judged input's quantile).
pub(crate) struct Cube<'a, F> {
    factors: &'a [F],
    unit: Vec<Vec<f64>>,
}

impl<'a, F: Factor + Sync> Cube<'a, F> {
    /// The Saltelli design of `n` base samples over `factors`
    /// ([`saltelli_design`]).
    pub(crate) fn saltelli(factors: &'a [F], n: usize, seed: u64) -> Cube<'a, F> {
        Cube {
            factors,
            unit: saltelli_design(n, factors.len(), seed),
        }
    }

    /// A Latin hypercube of `n` points over `factors` ([`latin_hypercube`]).
    pub(crate) fn latin_hypercube(factors: &'a [F], n: usize, seed: u64) -> Cube<'a, F> {
        let keys: Vec<String> = factors.iter().map(|f| f.key().to_string()).collect();
        Cube {
            factors,
            unit: latin_hypercube(n, &keys, seed),
        }
    }
}

impl<F: Factor + Sync> Sampler for Cube<'_, F> {
    fn len(&self) -> usize {
        self.unit.len()
    }

    fn keys(&self) -> Vec<String> {
        self.factors.iter().map(|f| f.key().to_string()).collect()
    }

    fn point(&self, i: usize) -> Vec<Drawn> {
        self.factors
            .iter()
            .zip(&self.unit[i])
            .map(|(f, &u)| f.value_at(u))
            .collect()
    }
}

/// The judged inputs' prior, `count` worlds of it: point `w` is world
/// `w`'s draw, the values [`crate::engine::Worlds::draw`] gives it.
pub(crate) struct Prior<'a> {
    inputs: &'a [JudgedInput],
    prior: worlds::Prior<'a>,
    count: usize,
}

impl<'a> Prior<'a> {
    /// `count` worlds of `inputs` under `seed`.
    pub(crate) fn new(inputs: &'a [JudgedInput], seed: u64, count: usize) -> Prior<'a> {
        Prior {
            inputs,
            prior: worlds::Prior::new(inputs, seed),
            count,
        }
    }
}

impl Sampler for Prior<'_> {
    fn len(&self) -> usize {
        self.count
    }

    fn keys(&self) -> Vec<String> {
        self.inputs.iter().map(|input| input.key.clone()).collect()
    }

    fn point(&self, i: usize) -> Vec<Drawn> {
        self.prior.world(i as u64)
    }
}

/// A Latin hypercube of `n` points over the coordinates named `keys`, in
/// `[0, 1)` each (McKay, Beckman & Conover 1979; docs/MODEL.md, "Latin
/// hypercube worlds"): each coordinate's range is cut into `n` strata of
/// width `1/n`, and each stratum of each coordinate holds exactly one
/// point. For coordinate `j`, a random permutation `π_j` of `0..n` gives
/// point `i` the stratum `π_j(i)`, and a uniform `U_ij` its place in it:
/// `u_ij = (π_j(i) + U_ij) / n`. Each coordinate's permutation and
/// uniforms come from its own generator, derived from `seed` and its key,
/// so the design is reproducible from the seed and a coordinate's values
/// do not change when another is added or removed.
pub(crate) fn latin_hypercube(n: usize, keys: &[String], seed: u64) -> Vec<Vec<f64>> {
    let mut points = vec![vec![0.0; keys.len()]; n];
    for (j, key) in keys.iter().enumerate() {
        let mut rng = derived_rng(seed, &format!("latin hypercube: {key}"));
        let mut strata: Vec<usize> = (0..n).collect();
        strata.shuffle(&mut rng);
        for (point, &stratum) in points.iter_mut().zip(&strata) {
            point[j] = (stratum as f64 + rng.random::<f64>()) / n as f64;
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vary(text: &str) -> Vary {
        Vary::parse(text, text.contains(':'), |_| false).unwrap()
    }

    #[test]
    fn a_grid_walks_the_last_key_fastest() {
        let varies = [vary("a=0..1:3"), vary("b=10..20:2")];
        let grid = Grid::new(&varies);
        assert_eq!(grid.len(), 6);
        let rows: Vec<Vec<f64>> = (0..6).map(|i| grid.coordinates(i)).collect();
        assert_eq!(
            rows,
            [
                [0.0, 10.0],
                [0.0, 20.0],
                [0.5, 10.0],
                [0.5, 20.0],
                [1.0, 10.0],
                [1.0, 20.0]
            ]
        );
        assert_eq!(grid.point(3), [Drawn::Number(0.5), Drawn::Number(20.0)]);
    }

    #[test]
    fn one_at_a_time_moves_one_key_from_the_base() {
        let varies = [vary("a=0..1"), vary("b=10..20")];
        let bases = [0.3, 12.0];
        let oat = OneAtATime::new(&varies, &bases);
        let rows: Vec<Vec<f64>> = (0..oat.len()).map(|i| oat.coordinates(i)).collect();
        assert_eq!(
            rows,
            [
                [0.3, 12.0],
                [0.0, 12.0],
                [1.0, 12.0],
                [0.3, 10.0],
                [0.3, 20.0]
            ]
        );
    }

    fn keys(k: usize) -> Vec<String> {
        (0..k).map(|j| format!("input.{j}")).collect()
    }

    #[test]
    fn each_stratum_of_each_coordinate_holds_one_point() {
        for (n, k) in [(1, 3), (7, 1), (50, 4), (1000, 3)] {
            let points = latin_hypercube(n, &keys(k), 11);
            assert_eq!(points.len(), n);
            for j in 0..k {
                let mut strata: Vec<usize> = points
                    .iter()
                    .map(|p| {
                        assert!((0.0..1.0).contains(&p[j]));
                        (p[j] * n as f64) as usize
                    })
                    .collect();
                strata.sort_unstable();
                assert_eq!(strata, (0..n).collect::<Vec<_>>(), "n {n}, coordinate {j}");
            }
        }
    }

    #[test]
    fn a_latin_hypercube_is_reproducible_from_its_seed() {
        let three = keys(3);
        assert_eq!(
            latin_hypercube(64, &three, 5),
            latin_hypercube(64, &three, 5)
        );
        assert_ne!(
            latin_hypercube(64, &three, 5),
            latin_hypercube(64, &three, 6)
        );
        // Coordinates are not locked together: their permutations differ.
        let points = latin_hypercube(64, &three, 5);
        assert!(
            points
                .iter()
                .any(|p| (p[0] * 64.0) as usize != (p[1] * 64.0) as usize)
        );
        // A coordinate's values depend on its key, not on the others.
        let two = latin_hypercube(64, &three[1..], 5);
        for (p, q) in points.iter().zip(&two) {
            assert_eq!(&p[1..], &q[..]);
        }
    }

    #[test]
    fn a_latin_hypercube_sets_judged_inputs_at_their_quantiles() {
        let loaded = crate::scenario::load(
            "muscat-2026",
            &["mediator.credibility={uniform=[0.5,0.9]}".into()],
        )
        .unwrap();
        let credibility: Vec<JudgedInput> = loaded
            .judged
            .into_iter()
            .filter(|input| input.key == "mediator.credibility")
            .collect();
        let cube = Cube::latin_hypercube(&credibility, 20, 3);
        assert_eq!(cube.keys(), ["mediator.credibility"]);
        let mut strata: Vec<usize> = (0..cube.len())
            .map(|i| match cube.point(i)[..] {
                [Drawn::Number(x)] => ((x - 0.5) / 0.4 * 20.0) as usize,
                ref other => panic!("one number, not {other:?}"),
            })
            .collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..20).collect::<Vec<_>>());
    }
}
