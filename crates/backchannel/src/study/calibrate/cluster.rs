//! A calibration across a cluster (docs/SCALING.md, "Calibrating on a
//! cluster"): each generation's work — every target in every world,
//! `runs_per_world` runs each — is the sharded unit, and a generation
//! directory holds the calibration's state between generations.
//!
//! The state is integers only: each folded generation's counts
//! (`generation-G/folded/counts.json`). Every command replays the sampler
//! over them on one thread, in the order one machine runs it (the same
//! code, [`Calibration::sample`]), so it finds the worlds of the next
//! generation, and at the end the posterior, exactly as one machine does:
//! the final files are byte-identical to `calibrate` on one machine with
//! the same seed, whatever the number of shards.
//!
//! A generation of `W` worlds, `T` targets and `M` runs a world has
//! `W T M` units of work, ordered as one machine runs them: by group of
//! worlds, then by target, then by run index within the group's study
//! (run `r` in the group's world `r mod len`). Shard `i` of `n` takes the
//! units `[floor(i W T M / n), floor((i + 1) W T M / n))` and counts, by
//! world, the runs with each target's outcome (`generation-G/shard-I/
//! partial.json`); the fold adds them up.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use serde::{Deserialize, Serialize};

use super::super::compare_shard::runs_in_world;
use super::super::merge::{array_spec, parse_partial};
use super::super::points::Evaluator;
use super::super::shard::{checked_shard, empty_shards};
use super::{Calibration, CalibrationResults, GROUP_WORLDS, Plan, Points, Sampling};
use crate::engine::Worlds;
use crate::engine::shard::{Coverage, Shard, check_coverage};
use crate::error::{Diagnostic, Error, Result, setting, setting_value};
use crate::output::manifest::Manifest;
use crate::output::partial::Slice;
use crate::scenario::load::hex_sha256;

/// The schema of a shard of one generation of a calibration.
pub const SHARD_SCHEMA: &str = "backchannel.calibrate-partial.v1";
/// The schema of a generation's folded counts.
pub const COUNTS_SCHEMA: &str = "backchannel.calibrate-counts.v1";

/// What a calibration is: everything that fixes its worlds and their runs,
/// so that shards and folded generations of another are refused by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct CalibrationStudy {
    /// The calibration file, as named.
    file: String,
    sha256: String,
    /// Each target's scenario's SHA-256 (after its `set`), in order.
    targets: Vec<String>,
    seed: u64,
    worlds: u64,
    runs_per_world: u64,
    min_ess: u64,
    max_generations: u64,
}

impl CalibrationStudy {
    /// The fields that differ from `expected`'s, each as `name X, expected Y`.
    fn differences(&self, expected: &CalibrationStudy) -> Vec<String> {
        let mut differ = Vec::new();
        let mut field = |name: &str, found: String, wanted: String| {
            if found != wanted {
                differ.push(format!("{name} {found}, expected {wanted}"));
            }
        };
        field("file", self.file.clone(), expected.file.clone());
        field(
            "the file's sha256",
            short(&self.sha256),
            short(&expected.sha256),
        );
        let scenarios = |s: &CalibrationStudy| {
            s.targets
                .iter()
                .map(|t| short(t))
                .collect::<Vec<_>>()
                .join(", ")
        };
        field(
            "the targets' scenarios (sha256)",
            scenarios(self),
            scenarios(expected),
        );
        field("seed", self.seed.to_string(), expected.seed.to_string());
        field(
            "worlds",
            self.worlds.to_string(),
            expected.worlds.to_string(),
        );
        field(
            "runs_per_world",
            self.runs_per_world.to_string(),
            expected.runs_per_world.to_string(),
        );
        field(
            "min_ess",
            self.min_ess.to_string(),
            expected.min_ess.to_string(),
        );
        field(
            "max_generations",
            self.max_generations.to_string(),
            expected.max_generations.to_string(),
        );
        differ
    }
}

/// A SHA-256 as messages show it.
fn short(sha256: &str) -> String {
    format!("{:.12}…", sha256)
}

/// One shard of a generation (`partial.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct GenerationPartial {
    schema: String,
    calibration: CalibrationStudy,
    generation: u64,
    /// The SHA-256 of the generation's worlds (their coordinates' bits):
    /// shards of one generation ran the same worlds.
    points_sha256: String,
    shard: Shard,
    /// The generation's units of work this shard counted.
    slice: Slice,
    pieces: Vec<Piece>,
}

/// The counts of one target in one group of worlds, over a range of the
/// group's runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Piece {
    target: u64,
    first_world: u64,
    /// The group's runs `first_run .. first_run + runs`.
    first_run: u64,
    runs: u64,
    /// `counts[w]`: runs of world `first_world + w` with the target's
    /// outcome.
    counts: Vec<u64>,
}

/// A generation's counts, added up from its shards (`counts.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct GenerationCounts {
    schema: String,
    calibration: CalibrationStudy,
    generation: u64,
    points_sha256: String,
    /// `counts[t][i]`: runs of target `t` in world `i` with its outcome.
    counts: Vec<Vec<u64>>,
}

/// What a calibration in a generation directory does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GenerationState {
    /// Run the shards of this generation, then fold it.
    Run(u64),
    /// Every generation it needs is folded: write its files.
    Complete,
}

/// What [`Calibration::shard_generation`] returns: the shard's counts (the
/// contents of `partial.json`) and its manifest.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CalibrationShardResults {
    pub(crate) partial: GenerationPartial,
    /// How the shard was run (`manifest.json`; `runs` is the generation's).
    pub manifest: Manifest,
}

impl CalibrationShardResults {
    /// `partial.json`, which [`Calibration::fold_generation`] reads.
    pub fn to_json(&self) -> String {
        crate::output::pretty_json(&self.partial)
    }

    /// The generation the shard is of.
    pub fn generation(&self) -> u64 {
        self.partial.generation
    }

    /// The generation's units of work (runs of a target in a world) this
    /// shard counted.
    pub fn slice(&self) -> Range<u64> {
        self.partial.slice.start..self.partial.slice.end
    }
}

/// What [`Calibration::fold_generation`] returns: a generation's counts
/// added up from its shards (`counts.json`), ready to be published.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FoldedGeneration {
    pub(crate) counts: GenerationCounts,
    /// The number of shards folded.
    pub shards: usize,
    /// How the fold was made (`manifest.json`).
    pub manifest: Manifest,
}

impl FoldedGeneration {
    /// `counts.json`.
    pub fn to_json(&self) -> String {
        crate::output::pretty_json(&self.counts)
    }

    /// The generation folded.
    pub fn generation(&self) -> u64 {
        self.counts.generation
    }
}

/// Generation `generation`'s directory in the generation directory `dir`.
pub(crate) fn generation_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("generation-{generation}"))
}

/// Where shard `index` of a generation writes, in its directory.
pub(crate) fn shard_path(dir: &Path, generation: u64, index: u64) -> PathBuf {
    generation_path(dir, generation).join(format!("shard-{index}"))
}

/// Where a generation's folded counts are, in its directory.
pub(crate) fn folded_path(dir: &Path, generation: u64) -> PathBuf {
    generation_path(dir, generation).join("folded")
}

/// The SHA-256 of worlds' coordinates, bit for bit.
fn points_sha256(points: &Points) -> String {
    let bits: Vec<u8> = points
        .iter()
        .flatten()
        .flat_map(|x| x.to_bits().to_le_bytes())
        .collect();
    hex_sha256(&bits)
}

/// One piece of a generation's work: target `target` in the worlds
/// `worlds` (a group), over the group's runs `runs`.
#[derive(Debug, Clone, PartialEq)]
struct Work {
    target: usize,
    worlds: Range<usize>,
    runs: Range<u64>,
}

/// The pieces of the units `slice` of a generation of `worlds` worlds,
/// `targets` targets and `runs_per_world` runs a world, in order.
fn pieces(slice: &Range<u64>, worlds: usize, targets: usize, runs_per_world: u64) -> Vec<Work> {
    let mut pieces = Vec::new();
    let mut at = 0u64;
    for first in (0..worlds).step_by(GROUP_WORLDS) {
        let group = first..(first + GROUP_WORLDS).min(worlds);
        let span = group.len() as u64 * runs_per_world;
        for target in 0..targets {
            let (start, end) = (slice.start.max(at), slice.end.min(at + span));
            if start < end {
                pieces.push(Work {
                    target,
                    worlds: group.clone(),
                    runs: start - at..end - at,
                });
            }
            at += span;
        }
    }
    pieces
}

/// An input error about the file `file`: `problem`, with `help`.
fn refused(file: &Path, problem: impl std::fmt::Display, help: impl Into<String>) -> Error {
    Error::input(Diagnostic::new(format!("{}: {problem}", file.display())).help(help))
}

/// What to do about a damaged or edited file a shard or fold wrote.
fn rerun_help(what: &str) -> String {
    format!(
        "{what} is written by `calibrate` with {} and cannot be used once edited or damaged: remove it and run that step again",
        setting_value("generation-dir", "DIR")
    )
}

impl<'a> Calibration<'a> {
    /// What this calibration is, for its shards and folds.
    fn study(&self, plan: &Plan) -> CalibrationStudy {
        CalibrationStudy {
            file: self.file.path.clone(),
            sha256: self.file.sha256.clone(),
            targets: plan
                .targets
                .iter()
                .map(|t| t.scenario.loaded.sha256.clone())
                .collect(),
            seed: plan.seed,
            worlds: plan.worlds,
            runs_per_world: plan.runs_per_world,
            min_ess: plan.min_ess,
            max_generations: plan.max_generations,
        }
    }

    /// The sampler replayed over the generations folded in `dir`: where it
    /// stops.
    fn replay(&self, dir: &Path) -> Result<(Plan<'a>, Sampling)> {
        let plan = self.plan()?;
        let study = self.study(&plan);
        let sampling = self.sample(&plan, |generation, points, _| {
            read_counts(dir, generation, &study, points)
        })?;
        Ok((plan, sampling))
    }

    /// The runs of each generation: every target in every world.
    pub fn generation_runs(&self) -> Result<u64> {
        Ok(self.plan()?.generation_runs())
    }

    /// What the calibration in the generation directory `dir` does next
    /// (a directory not made yet is at generation 0).
    pub fn generation_state(&self, dir: &Path) -> Result<GenerationState> {
        Ok(match self.replay(dir)?.1 {
            Sampling::Pending { generation, .. } => GenerationState::Run(generation),
            Sampling::Done(_) => GenerationState::Complete,
        })
    }

    /// Whether `dir` holds shard `index` of `count` of the current
    /// generation, complete (so a rerun of the array may skip it).
    pub fn generation_shard_done(&self, dir: &Path, index: u64, count: u64) -> Result<bool> {
        let (plan, Sampling::Pending { generation, points }) = self.replay(dir)? else {
            return Ok(false);
        };
        let file = shard_path(dir, generation, index).join("partial.json");
        let Ok(partial) = parse_partial::<GenerationPartial>(&file) else {
            return Ok(false);
        };
        let shard = Shard { index, count };
        Ok(partial.schema == SHARD_SCHEMA
            && partial.calibration == self.study(&plan)
            && partial.generation == generation
            && partial.points_sha256 == points_sha256(&points)
            && partial.shard == shard
            && (partial.slice.start..partial.slice.end) == shard.slice(plan.generation_runs()))
    }

    /// Run shard `index` of `count` (from 0) of the current generation of
    /// the calibration in the generation directory `dir`: its worlds come
    /// from the seed and the generations folded there.
    pub fn shard_generation(
        self,
        dir: &Path,
        index: u64,
        count: u64,
    ) -> Result<CalibrationShardResults> {
        let started_at = SystemTime::now();
        let shard = checked_shard(index, count)?;
        let (plan, sampling) = self.replay(dir)?;
        let Sampling::Pending { generation, points } = sampling else {
            return Err(complete(dir));
        };
        let total = plan.generation_runs();
        if count > total {
            return Err(empty_shards(count, total, "runs of a generation"));
        }
        let slice = shard.slice(total);
        let evaluator = Evaluator::local(plan.seed, plan.threads, &self.shared.control);
        let simulate_start = Instant::now();
        let mut counted = Vec::new();
        let mut done = 0;
        for work in pieces(
            &slice,
            points.len(),
            plan.targets.len(),
            plan.runs_per_world,
        ) {
            let target = &plan.targets[work.target];
            let worlds = Worlds::at(
                &target.scenario.loaded,
                target.values(&points[work.worlds.clone()]),
            )?;
            let tally = evaluator
                .run_range(std::slice::from_ref(&worlds), work.runs.clone(), done)?
                .pop()
                .expect("one tally per study");
            done += work.runs.end - work.runs.start;
            counted.push(Piece {
                target: work.target as u64,
                first_world: work.worlds.start as u64,
                first_run: work.runs.start,
                runs: work.runs.end - work.runs.start,
                counts: tally
                    .worlds
                    .iter()
                    .map(|w| target.spec.outcome.count(w))
                    .collect(),
            });
        }
        let mut manifest = Manifest::start(
            (&plan.targets[0].scenario.loaded).into(),
            plan.seed,
            total,
            plan.threads,
            started_at,
        );
        manifest.simulated(
            slice.end - slice.start,
            simulate_start.elapsed().as_secs_f64(),
        );
        manifest.runs = total;
        Ok(CalibrationShardResults {
            partial: GenerationPartial {
                schema: SHARD_SCHEMA.into(),
                calibration: self.study(&plan),
                generation,
                points_sha256: points_sha256(&points),
                shard,
                slice: Slice {
                    start: slice.start,
                    end: slice.end,
                },
                pieces: counted,
            },
            manifest,
        })
    }

    /// Add up the shards of the current generation in the generation
    /// directory `dir` (each checked to be of this calibration and
    /// generation, and together to cover its work exactly once), one at a
    /// time: its counts, to be published as `folded/counts.json`. `None`
    /// when every generation the calibration needs is folded already.
    pub fn fold_generation(&self, dir: &Path) -> Result<Option<FoldedGeneration>> {
        let started_at = SystemTime::now();
        let (plan, sampling) = self.replay(dir)?;
        let Sampling::Pending { generation, points } = sampling else {
            return Ok(None);
        };
        let study = self.study(&plan);
        let hash = points_sha256(&points);
        let shards = shard_files(dir, generation)?;
        let total = plan.generation_runs();
        let mut counts = vec![vec![0u64; points.len()]; plan.targets.len()];
        let mut slices = Vec::with_capacity(shards.len());
        for file in &shards {
            let partial: GenerationPartial = parse_partial(file)?;
            check_partial(file, &partial, &study, generation, &hash, total)?;
            for piece in &partial.pieces {
                let into = &mut counts[piece.target as usize][piece.first_world as usize..];
                for (sum, count) in into.iter_mut().zip(&piece.counts) {
                    *sum += count;
                }
            }
            slices.push((partial.shard, partial.slice.start..partial.slice.end));
        }
        check_shards_cover(dir, generation, &shards, &slices, total)?;
        let mut manifest = Manifest::start(
            (&plan.targets[0].scenario.loaded).into(),
            plan.seed,
            total,
            0,
            started_at,
        );
        manifest.merged_from = shards
            .iter()
            .map(|f| f.parent().unwrap_or(f).display().to_string())
            .collect();
        Ok(Some(FoldedGeneration {
            counts: GenerationCounts {
                schema: COUNTS_SCHEMA.into(),
                calibration: study,
                generation,
                points_sha256: hash,
                counts,
            },
            shards: shards.len(),
            manifest,
        }))
    }

    /// The calibration's results from the generations folded in `dir`, as
    /// one machine's `calibrate` gives them (its manifest aside); refused
    /// while a generation it needs is not folded.
    pub fn finish_generations(self, dir: &Path) -> Result<CalibrationResults> {
        let started_at = SystemTime::now();
        let (plan, sampling) = self.replay(dir)?;
        let sampled = match sampling {
            Sampling::Done(sampled) => sampled,
            Sampling::Pending { generation, .. } => {
                return Err(Error::input(
                    Diagnostic::new(format!(
                        "the calibration in {} is not complete: generation {generation} is not folded",
                        dir.display()
                    ))
                    .help(format!(
                        "run its shards ({}) and fold them ({}) first",
                        setting_value("shard", "I/N"),
                        setting("step")
                    )),
                ));
            }
        };
        let mut manifest = Manifest::start(
            (&plan.targets[0].scenario.loaded).into(),
            plan.seed,
            sampled.runs,
            0,
            started_at,
        );
        manifest.merged_from = (0..sampled.generations.len() as u64)
            .map(|g| folded_path(dir, g).display().to_string())
            .collect();
        self.results(&plan, sampled, manifest)
    }

    /// The shards of the current generation in `dir` missing among the
    /// `N` its present shards name, as a SLURM `--array` spec (empty when
    /// none is missing).
    pub fn missing_generation_shards(&self, dir: &Path) -> Result<String> {
        let Sampling::Pending { generation, .. } = self.replay(dir)?.1 else {
            return Err(complete(dir));
        };
        let shards = shard_files(dir, generation)?;
        let mut present = Vec::new();
        let mut count = None;
        for file in &shards {
            let partial: GenerationPartial = parse_partial(file)?;
            if *count.get_or_insert(partial.shard.count) != partial.shard.count {
                return Err(Error::input(
                    Diagnostic::new(format!(
                        "the shards of generation {generation} in {} were split different ways (different N in {})",
                        dir.display(),
                        setting_value("shard", "I/N")
                    ))
                    .help("remove the shards of the other split, then run the missing ones"),
                ));
            }
            present.push(partial.shard.index);
        }
        let count = count.unwrap_or(0);
        let absent: Vec<u64> = (0..count).filter(|i| !present.contains(i)).collect();
        Ok(array_spec(&absent))
    }
}

/// Refused: the calibration in `dir` needs no more shards.
fn complete(dir: &Path) -> Error {
    Error::input(
        Diagnostic::new(format!(
            "the calibration in {} is complete: no generation is left to run",
            dir.display()
        ))
        .help(format!(
            "write its files with {} (the same command, without {})",
            setting("step"),
            setting("shard")
        )),
    )
}

/// The `partial.json` of every shard of generation `generation` in `dir`,
/// in shard order; refused when there is none.
fn shard_files(dir: &Path, generation: u64) -> Result<Vec<PathBuf>> {
    let path = generation_path(dir, generation);
    let mut shards: Vec<(u64, PathBuf)> = std::fs::read_dir(&path)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let index = entry
                .file_name()
                .to_str()?
                .strip_prefix("shard-")?
                .parse()
                .ok()?;
            Some((index, entry.path().join("partial.json")))
        })
        .collect();
    shards.sort();
    if shards.is_empty() {
        return Err(Error::input(
            Diagnostic::new(format!(
                "no shard of generation {generation} is in {}",
                path.display()
            ))
            .help(format!(
                "run the generation's shards first: the same command with {} instead of {}",
                setting_value("shard", "I/N"),
                setting("step")
            )),
        ));
    }
    Ok(shards.into_iter().map(|(_, file)| file).collect())
}

/// Refuse a shard of another calibration or generation, or whose slice
/// and counts are not what its shard counts.
fn check_partial(
    file: &Path,
    partial: &GenerationPartial,
    study: &CalibrationStudy,
    generation: u64,
    points_hash: &str,
    total: u64,
) -> Result<()> {
    let help = || rerun_help("partial.json");
    if partial.schema != SHARD_SCHEMA {
        return Err(refused(
            file,
            format_args!("schema {:?}, expected {SHARD_SCHEMA:?}", partial.schema),
            format!(
                "fold only the shards of `calibrate` with {} and {}",
                setting_value("generation-dir", "DIR"),
                setting_value("shard", "I/N")
            ),
        ));
    }
    let differences = partial.calibration.differences(study);
    if !differences.is_empty() {
        return Err(refused(
            file,
            format_args!(
                "a shard of a different calibration: {}",
                differences.join("; ")
            ),
            "fold only the shards of this calibration (same file, scenarios, seed and settings); remove the others",
        ));
    }
    if partial.generation != generation {
        return Err(refused(
            file,
            format_args!(
                "a shard of generation {}, expected generation {generation}",
                partial.generation
            ),
            "each generation's shards stay in its own directory (generation-G/shard-I)",
        ));
    }
    if partial.points_sha256 != points_hash {
        return Err(refused(
            file,
            "its worlds are not this generation's: the generations folded before it changed since it ran",
            "remove this generation's shards and run them again",
        ));
    }
    let Shard { index, count } = partial.shard;
    if count == 0 || index >= count {
        return Err(refused(
            file,
            format_args!("shard is {index}/{count}, expected I/N with I < N"),
            help(),
        ));
    }
    let expected = partial.shard.slice(total);
    if expected != (partial.slice.start..partial.slice.end) || expected.is_empty() {
        return Err(refused(
            file,
            format_args!(
                "slice is {}..{}, but shard {index}/{count} of {total} runs covers {}..{}",
                partial.slice.start, partial.slice.end, expected.start, expected.end
            ),
            help(),
        ));
    }
    let targets = study.targets.len();
    let work = pieces(
        &expected,
        study.worlds as usize,
        targets,
        study.runs_per_world,
    );
    if work.len() != partial.pieces.len() {
        return Err(refused(
            file,
            format_args!(
                "pieces has {}, expected the {} its slice holds",
                partial.pieces.len(),
                work.len()
            ),
            help(),
        ));
    }
    for (k, (work, piece)) in work.iter().zip(&partial.pieces).enumerate() {
        let placed = (piece.target, piece.first_world, piece.first_run, piece.runs)
            == (
                work.target as u64,
                work.worlds.start as u64,
                work.runs.start,
                work.runs.end - work.runs.start,
            );
        if !placed || piece.counts.len() != work.worlds.len() {
            return Err(refused(
                file,
                format_args!("pieces[{k}] does not count the runs of its slice"),
                help(),
            ));
        }
        let worlds = work.worlds.len() as u64;
        if let Some(w) =
            (0..worlds).find(|&w| piece.counts[w as usize] > runs_in_world(&work.runs, w, worlds))
        {
            return Err(refused(
                file,
                format_args!(
                    "pieces[{k}].counts[{w}] is {}, more than the {} runs it holds in that world",
                    piece.counts[w as usize],
                    runs_in_world(&work.runs, w, worlds)
                ),
                help(),
            ));
        }
    }
    Ok(())
}

/// Refuse shards that overlap or leave runs of the generation uncounted:
/// the missing shards named, as an array spec when they share one split.
fn check_shards_cover(
    dir: &Path,
    generation: u64,
    files: &[PathBuf],
    slices: &[(Shard, Range<u64>)],
    total: u64,
) -> Result<()> {
    let ranges: Vec<Range<u64>> = slices.iter().map(|(_, r)| r.clone()).collect();
    match check_coverage(&ranges, total) {
        Ok(()) => Ok(()),
        Err(Coverage::Overlap(a, b)) => Err(Error::input(
            Diagnostic::new(format!(
                "{} and {} count the same runs of generation {generation}",
                files[a].display(),
                files[b].display()
            ))
            .help("the generation's shards were split different ways: remove those of the other split"),
        )),
        Err(Coverage::Missing(missing)) => {
            let count = slices[0].0.count;
            let described = if slices.iter().all(|(s, _)| s.count == count) {
                let absent: Vec<u64> = (0..count)
                    .filter(|i| !slices.iter().any(|(s, _)| s.index == *i))
                    .collect();
                format!("shards {} of {count}", array_spec(&absent))
            } else {
                let ranges: Vec<String> = missing
                    .iter()
                    .map(|r| format!("{}..{}", r.start, r.end))
                    .collect();
                format!("runs {}", ranges.join(", "))
            };
            Err(Error::input(
                Diagnostic::new(format!(
                    "generation {generation} in {} is missing {described}",
                    dir.display()
                ))
                .help(format!(
                    "run them ({} lists them as an array spec), then fold again",
                    setting("missing")
                )),
            ))
        }
    }
}

/// Generation `generation`'s folded counts in `dir`, checked to be of
/// `study` and of the worlds `points`; `None` if it is not folded yet.
fn read_counts(
    dir: &Path,
    generation: u64,
    study: &CalibrationStudy,
    points: &Points,
) -> Result<Option<Vec<Vec<u64>>>> {
    let file = folded_path(dir, generation).join("counts.json");
    if !file.exists() {
        return Ok(None);
    }
    let folded: GenerationCounts = parse_partial(&file)?;
    let help = || rerun_help("counts.json");
    if folded.schema != COUNTS_SCHEMA {
        return Err(refused(
            &file,
            format_args!("schema {:?}, expected {COUNTS_SCHEMA:?}", folded.schema),
            help(),
        ));
    }
    let differences = folded.calibration.differences(study);
    if !differences.is_empty() {
        return Err(refused(
            &file,
            format_args!(
                "a generation of a different calibration: {}",
                differences.join("; ")
            ),
            "give each calibration (file, seed, settings) its own generation directory",
        ));
    }
    if folded.generation != generation || folded.points_sha256 != points_sha256(points) {
        return Err(refused(
            &file,
            format_args!(
                "not the counts of generation {generation}'s worlds (generation {} of other worlds)",
                folded.generation
            ),
            help(),
        ));
    }
    let shaped = folded.counts.len() == study.targets.len()
        && folded.counts.iter().all(|c| c.len() == points.len());
    if !shaped {
        return Err(refused(
            &file,
            format_args!(
                "counts is not {} targets of {} worlds",
                study.targets.len(),
                points.len()
            ),
            help(),
        ));
    }
    if folded
        .counts
        .iter()
        .flatten()
        .any(|&c| c > study.runs_per_world)
    {
        return Err(refused(
            &file,
            format_args!(
                "a count exceeds the {} runs of a world",
                study.runs_per_world
            ),
            help(),
        ));
    }
    Ok(Some(folded.counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_run_of_a_generation_once() {
        let (worlds, targets, runs) = (600usize, 2usize, 7u64);
        let total = worlds as u64 * targets as u64 * runs;
        for count in [1u64, 3, 8, 1000] {
            let mut seen = vec![vec![0u64; worlds]; targets];
            for index in 0..count {
                let slice = Shard { index, count }.slice(total);
                for work in pieces(&slice, worlds, targets, runs) {
                    let len = work.worlds.len() as u64;
                    for w in 0..len {
                        seen[work.target][work.worlds.start + w as usize] +=
                            runs_in_world(&work.runs, w, len);
                    }
                }
            }
            assert!(seen.iter().flatten().all(|&n| n == runs), "{count}");
        }
    }
}
