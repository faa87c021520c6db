//! The fields of a tally, listed once: [`count_fields!`] declares a struct
//! of counts from one line per field (its type and what its length is one
//! per), and gives it what every such field needs: an empty value shaped
//! for a model, the check of a shape read from a file, an exact merge that
//! refuses to wrap, and every count by name. Adding a count to a tally is
//! one line. A struct may also be laid out flat (`flat Layout;`): all its
//! counts in one slice, each field at an offset computed once, which is
//! how a study counts each of its worlds while it runs
//! ([`super::counter`]).

use crate::model::Model;

use super::tally::Inconsistency;

/// What the lengths of a tally's vectors come from: the model's rounds
/// (from 0 to the horizon), issues, shocks and spoilers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dims {
    rounds: usize,
    issues: usize,
    shocks: usize,
    spoilers: usize,
}

impl Dims {
    /// Counts in a row of counts by round.
    pub(crate) fn round_count(&self) -> usize {
        self.rounds
    }
}

/// The length a field of counts must have for a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One count, or an array whose length the type fixes.
    Fixed,
    /// One count per `what`, `len` of them.
    Per { len: usize, what: &'static str },
    /// One row per `what`, `rows` of them, each one count per round.
    ByRound {
        rows: usize,
        what: &'static str,
        rounds: usize,
    },
}

const ROUND: &str = "round from 0 to the horizon";

impl Dims {
    pub(crate) fn of(model: &Model) -> Dims {
        Dims {
            rounds: model.horizon as usize + 1,
            issues: model.issues.len(),
            shocks: model.shocks.len(),
            spoilers: model.spoilers.len(),
        }
    }

    pub(crate) fn fixed(&self) -> Shape {
        Shape::Fixed
    }

    pub(crate) fn rounds(&self) -> Shape {
        Shape::Per {
            len: self.rounds,
            what: ROUND,
        }
    }

    pub(crate) fn issues(&self) -> Shape {
        Shape::Per {
            len: self.issues,
            what: "issue",
        }
    }

    pub(crate) fn shocks(&self) -> Shape {
        Shape::Per {
            len: self.shocks,
            what: "shock",
        }
    }

    pub(crate) fn spoilers(&self) -> Shape {
        Shape::Per {
            len: self.spoilers,
            what: "spoiler",
        }
    }

    pub(crate) fn shock_rounds(&self) -> Shape {
        Shape::ByRound {
            rows: self.shocks,
            what: "shock",
            rounds: self.rounds,
        }
    }

    pub(crate) fn spoiler_rounds(&self) -> Shape {
        Shape::ByRound {
            rows: self.spoilers,
            what: "spoiler",
            rounds: self.rounds,
        }
    }
}

impl Shape {
    /// What is wrong with a field of `counts` for this shape, if anything.
    pub(crate) fn problem(self, counts: &impl Counts) -> Option<String> {
        let lengths = counts.lengths();
        match self {
            Shape::Fixed => None,
            Shape::Per { len, what } => (lengths[0] != len).then(|| {
                format!(
                    "has {} entries, expected {len} (one per {what})",
                    lengths[0]
                )
            }),
            Shape::ByRound { rows, what, rounds } => {
                let (have, row_lengths) = (lengths[0], &lengths[1..]);
                (have != rows || row_lengths.iter().any(|&l| l != rounds)).then(|| {
                    format!(
                        "has {have} rows of lengths {row_lengths:?}, expected {rows} (one per \
                         {what}) of {rounds} (one per {ROUND})"
                    )
                })
            }
        }
    }
}

/// A field of counts: one count, an array, a vector or a table of them.
pub(crate) trait Counts: Sized {
    /// Zeros of `shape`.
    fn shaped(shape: Shape) -> Self;
    /// How many counts a field of `shape` holds, laid out flat.
    fn flat_len(shape: Shape) -> usize;
    /// The field of `shape` whose counts, laid out flat, begin `flat`
    /// (row by row for a table).
    fn from_flat(shape: Shape, flat: &[u64]) -> Self;
    /// The length, then each row's length for a table (nothing for one
    /// count or an array).
    fn lengths(&self) -> Vec<usize>;
    /// Add `other`'s counts, refusing to wrap: the error names the count
    /// by its index alone (``, `[i]`, `[k][t]`), which the caller puts
    /// after the field's name.
    fn add_checked(&mut self, other: &Self) -> Result<(), Inconsistency>;
    /// Each count with its index as `partial.json` spells it after the
    /// field's name (``, `[i]`, `[k][t]`).
    fn entries(&self) -> Vec<(String, u64)>;
}

fn add(a: &mut u64, b: u64, field: impl FnOnce() -> String) -> Result<(), Inconsistency> {
    *a = a.checked_add(b).ok_or_else(|| Inconsistency {
        field: field(),
        problem: format!("overflows: {a} + {b} is past {}", u64::MAX),
    })?;
    Ok(())
}

fn add_all(a: &mut [u64], b: &[u64]) -> Result<(), Inconsistency> {
    for (i, (x, &y)) in a.iter_mut().zip(b).enumerate() {
        add(x, y, || format!("[{i}]"))?;
    }
    Ok(())
}

fn indexed(counts: &[u64]) -> Vec<(String, u64)> {
    counts
        .iter()
        .enumerate()
        .map(|(i, &c)| (format!("[{i}]"), c))
        .collect()
}

impl Counts for u64 {
    fn shaped(_: Shape) -> u64 {
        0
    }
    fn flat_len(_: Shape) -> usize {
        1
    }
    fn from_flat(_: Shape, flat: &[u64]) -> u64 {
        flat[0]
    }
    fn lengths(&self) -> Vec<usize> {
        Vec::new()
    }
    fn add_checked(&mut self, other: &u64) -> Result<(), Inconsistency> {
        add(self, *other, String::new)
    }
    fn entries(&self) -> Vec<(String, u64)> {
        vec![(String::new(), *self)]
    }
}

impl<const N: usize> Counts for [u64; N] {
    fn shaped(_: Shape) -> [u64; N] {
        [0; N]
    }
    fn flat_len(_: Shape) -> usize {
        N
    }
    fn from_flat(_: Shape, flat: &[u64]) -> [u64; N] {
        std::array::from_fn(|i| flat[i])
    }
    fn lengths(&self) -> Vec<usize> {
        vec![N]
    }
    fn add_checked(&mut self, other: &[u64; N]) -> Result<(), Inconsistency> {
        add_all(self, other)
    }
    fn entries(&self) -> Vec<(String, u64)> {
        indexed(self)
    }
}

impl Counts for Vec<u64> {
    fn shaped(shape: Shape) -> Vec<u64> {
        match shape {
            Shape::Per { len, .. } => vec![0; len],
            _ => unreachable!("a vector of counts is one per something"),
        }
    }
    fn flat_len(shape: Shape) -> usize {
        match shape {
            Shape::Per { len, .. } => len,
            _ => unreachable!("a vector of counts is one per something"),
        }
    }
    fn from_flat(shape: Shape, flat: &[u64]) -> Vec<u64> {
        flat[..Vec::<u64>::flat_len(shape)].to_vec()
    }
    fn lengths(&self) -> Vec<usize> {
        vec![self.len()]
    }
    fn add_checked(&mut self, other: &Vec<u64>) -> Result<(), Inconsistency> {
        add_all(self, other)
    }
    fn entries(&self) -> Vec<(String, u64)> {
        indexed(self)
    }
}

impl Counts for Vec<Vec<u64>> {
    fn shaped(shape: Shape) -> Vec<Vec<u64>> {
        match shape {
            Shape::ByRound { rows, rounds, .. } => vec![vec![0; rounds]; rows],
            _ => unreachable!("a table of counts is one row per something, by round"),
        }
    }
    fn flat_len(shape: Shape) -> usize {
        match shape {
            Shape::ByRound { rows, rounds, .. } => rows * rounds,
            _ => unreachable!("a table of counts is one row per something, by round"),
        }
    }
    fn from_flat(shape: Shape, flat: &[u64]) -> Vec<Vec<u64>> {
        match shape {
            Shape::ByRound { rows, rounds, .. } => (0..rows)
                .map(|k| flat[k * rounds..(k + 1) * rounds].to_vec())
                .collect(),
            _ => unreachable!("a table of counts is one row per something, by round"),
        }
    }
    fn lengths(&self) -> Vec<usize> {
        std::iter::once(self.len())
            .chain(self.iter().map(Vec::len))
            .collect()
    }
    fn add_checked(&mut self, other: &Vec<Vec<u64>>) -> Result<(), Inconsistency> {
        for (k, (a, b)) in self.iter_mut().zip(other).enumerate() {
            add_all(a, b).map_err(|e| e.within(&format!("[{k}]")))?;
        }
        Ok(())
    }
    fn entries(&self) -> Vec<(String, u64)> {
        self.iter()
            .enumerate()
            .flat_map(|(k, row)| {
                indexed(row)
                    .into_iter()
                    .map(move |(t, c)| (format!("[{k}]{t}"), c))
            })
            .collect()
    }
}

/// Declare a struct of counts, one line a field: `name: Type = shape,`
/// where `shape` is a method of [`Dims`] (`fixed`, `rounds`, `issues`,
/// `shocks`, `spoilers`, `shock_rounds`, `spoiler_rounds`). Fields after
/// `and` are kept as written and left to their `Default`. A last line
/// `flat Layout;` also declares `Layout`: where each field's counts sit
/// when the struct's counts are laid out in one slice, in the fields'
/// order (a table row by row).
macro_rules! count_fields {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty = $shape:ident, )*
        }
        and {
            $( $(#[$extra_meta:meta])* pub $extra:ident : $extra_ty:ty, )*
        }
        flat $layout:ident;
    ) => {
        count_fields! {
            $(#[$meta])*
            pub struct $name {
                $( $(#[$field_meta])* $field : $ty = $shape, )*
            }
            and {
                $( $(#[$extra_meta])* pub $extra : $extra_ty, )*
            }
        }

        /// Where each field of a
        #[doc = concat!("[`", stringify!($name), "`]")]
        /// starts when its counts are laid out in one slice, in the order
        /// the fields are declared; `len` counts in all.
        #[derive(Debug, Clone, Copy)]
        pub(crate) struct $layout {
            $( pub(crate) $field: usize, )*
            pub(crate) len: usize,
            pub(crate) dims: $crate::engine::count_fields::Dims,
        }

        impl $layout {
            /// The layout of counts shaped by `dims`.
            pub(crate) fn of(dims: &$crate::engine::count_fields::Dims) -> $layout {
                use $crate::engine::count_fields::Counts;
                let len = 0;
                $(
                    let $field = len;
                    let len = len + <$ty>::flat_len(dims.$shape());
                )*
                $layout { $( $field, )* len, dims: *dims }
            }

            /// The counts `flat` holds, laid out by this layout.
            pub(crate) fn unflatten(&self, flat: &[u64]) -> $name {
                use $crate::engine::count_fields::Counts;
                $name {
                    $( $field: <$ty>::from_flat(self.dims.$shape(), &flat[self.$field..]), )*
                    $( $extra: Default::default(), )*
                }
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty = $shape:ident, )*
        }
        and {
            $( $(#[$extra_meta:meta])* pub $extra:ident : $extra_ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
            $( $(#[$extra_meta])* pub $extra: $extra_ty, )*
        }

        impl $name {
            /// Zero counts shaped by `dims`.
            fn shaped(dims: &$crate::engine::count_fields::Dims) -> $name {
                use $crate::engine::count_fields::Counts;
                $name {
                    $( $field: <$ty>::shaped(dims.$shape()), )*
                    $( $extra: Default::default(), )*
                }
            }

            /// Each field whose length is not the one `dims` gives, its
            /// name after `prefix`.
            fn shape_problems(
                &self,
                dims: &$crate::engine::count_fields::Dims,
                prefix: &str,
            ) -> Vec<Inconsistency> {
                let mut found = Vec::new();
                $(
                    if let Some(problem) = dims.$shape().problem(&self.$field) {
                        found.push(Inconsistency {
                            field: format!("{prefix}{}", stringify!($field)),
                            problem,
                        });
                    }
                )*
                found
            }

            /// Add `other`'s counts to these, field by field, refusing to
            /// wrap (the error names the count).
            fn add_counts(&mut self, other: &$name) -> Result<(), Inconsistency> {
                use $crate::engine::count_fields::Counts;
                $(
                    self.$field
                        .add_checked(&other.$field)
                        .map_err(|e| e.within(stringify!($field)))?;
                )*
                Ok(())
            }

            /// Every count, named as `partial.json` spells it
            /// (`runs`, `deal[2]`, `broken_by_shock_in_round[1][4]`).
            pub fn entries(&self) -> Vec<(String, u64)> {
                use $crate::engine::count_fields::Counts;
                let mut all = Vec::new();
                $(
                    all.extend(
                        self.$field
                            .entries()
                            .into_iter()
                            .map(|(index, count)| (format!("{}{index}", stringify!($field)), count)),
                    );
                )*
                all
            }
        }
    };
}

pub(crate) use count_fields;
