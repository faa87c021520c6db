//! Design studies (`sweep`, `sensitivity`) across machines: shards as
//! another way to evaluate a design's points. A design of `P` points of
//! `R` runs has `P × R` point-runs, point `p`'s run `r` numbered
//! `p R + r`; shard `i` of `n` takes the point-runs
//! `[floor(i P R / n), floor((i + 1) P R / n))` — whole points, and at its
//! two ends part of a point — and counts them point by point
//! (`partial.json`, docs/OUTPUTS.md). Since a run depends only on the seed,
//! its point and its index, and counts are integers, the merge adds each
//! point's counts up to exactly the tally one machine gets, and so the
//! same headlines, tables and indices, byte for byte.

use std::ops::Range;
use std::path::Path;
use std::time::{Instant, SystemTime};

use super::merge::{
    Counted, Found, Sliced, check_same, corrupted, counts_of, describe_missing, missing_of,
    other_kind, parse_partial, partial_file, read_shards, same_scenario, schema_of,
};
use super::points::{Design, Evaluator, Headlines, headline_of, point, slots_of};
use super::scenario::Scenario;
use super::shard::{checked_shard, empty_shards};
use super::{Method, Sensitivity, SensitivityResults, Sweep, SweepResults};
use crate::engine::shard::Shard;
use crate::engine::{Tally, Worlds};
use crate::error::{Diagnostic, Error, Result, setting, setting_value};
use crate::output::manifest::Manifest;
use crate::output::partial::{
    DESIGN_SCHEMA, DesignPartial, DesignStudy, PartialScenario, PointTally, Slice,
};
use crate::output::summary::Headline;
use crate::scenario::LoadedScenario;
use crate::scenario::load::hex_sha256;
use crate::scenario::validate::MAX_RUNS;

/// What a shard of a design needs besides the design: the scenario, the
/// evaluator of its points and what the study is.
pub(super) struct DesignShard<'s> {
    pub(super) scenario: &'s Scenario,
    pub(super) evaluator: Evaluator<'s>,
    pub(super) study: DesignStudy,
}

impl DesignShard<'_> {
    /// Check and run shard `index` of `count` of `design`: its points
    /// are checked (a shard refuses its own bad points before running any),
    /// then its point-runs counted point by point.
    pub(super) fn run(
        self,
        design: &Design,
        index: u64,
        count: u64,
        started_at: SystemTime,
    ) -> Result<DesignShardResults> {
        let shard = checked_shard(index, count)?;
        let runs = self.study.runs_per_point;
        let total = self.study.points * runs;
        if count > total {
            return Err(empty_shards(count, total, "point-runs"));
        }
        let slice = shard.slice(total);
        self.evaluator
            .check_points(self.scenario, design, points_of(&slice, runs))?;
        let simulate_start = Instant::now();
        let points = self.count(design, &slice)?;
        let loaded = &self.scenario.loaded;
        let (seed, threads) = (self.evaluator.seed(), self.evaluator.threads());
        let mut manifest = Manifest::start(loaded.into(), seed, runs, threads, started_at);
        manifest.simulated(
            slice.end - slice.start,
            simulate_start.elapsed().as_secs_f64(),
        );
        manifest.runs = runs;
        let partial = DesignPartial {
            schema: DESIGN_SCHEMA.into(),
            study: self.study,
            scenario: PartialScenario {
                name: loaded.scenario.scenario.name.clone(),
                sha256: loaded.sha256.clone(),
                text: loaded.source.text.to_string(),
                spec: Some(loaded.spec.clone()),
                overrides: loaded.overrides.clone(),
            },
            seed,
            shard,
            slice: Slice {
                start: slice.start,
                end: slice.end,
            },
            points,
        };
        Ok(DesignShardResults { partial, manifest })
    }

    /// Whether `dir` holds this study's shard `index` of `count`,
    /// complete: its `partial.json` (published only when complete) is of
    /// the same scenario, seed, design and shard.
    pub(super) fn done_in(&self, dir: &Path, index: u64, count: u64) -> bool {
        let Ok(partial) = parse_partial::<DesignPartial>(&dir.join("partial.json")) else {
            return false;
        };
        let loaded = &self.scenario.loaded;
        partial.schema == DESIGN_SCHEMA
            && partial.study == self.study
            && partial.seed == self.evaluator.seed()
            && partial.scenario.sha256 == loaded.sha256
            && partial.shard == (Shard { index, count })
            && partial.slice() == partial.shard.slice(self.study.point_runs())
    }

    /// Count the point-runs `slice` of `design`, point by point: points
    /// that share a range of runs are run together, a group at a time.
    fn count(&self, design: &Design, slice: &Range<u64>) -> Result<Vec<PointTally>> {
        let mut counted = Vec::new();
        let mut done = 0;
        for (points, runs) in pieces(slice, self.study.runs_per_point) {
            let first_run = runs.start;
            let piece_runs = (runs.end - runs.start) * points.len() as u64;
            self.evaluator
                .count_points(self.scenario, design, points, runs, done, |point| {
                    counted.push(PointTally {
                        point: point.index as u64,
                        first_run,
                        tally: point.tally,
                    });
                    Ok(())
                })?;
            done += piece_runs;
        }
        Ok(counted)
    }
}

/// The points a slice of point-runs touches, `runs` runs a point.
pub(super) fn points_of(slice: &Range<u64>, runs: u64) -> Range<usize> {
    (slice.start / runs) as usize..slice.end.div_ceil(runs) as usize
}

/// The point-runs `slice` as pieces of points that share a range of runs:
/// part of a point at each end, whole points between.
pub(super) fn pieces(slice: &Range<u64>, runs: u64) -> Vec<(Range<usize>, Range<u64>)> {
    let mut pieces: Vec<(Range<usize>, Range<u64>)> = Vec::new();
    for point in points_of(slice, runs) {
        let at = point as u64 * runs;
        let mine = slice.start.max(at) - at..slice.end.min(at + runs) - at;
        match pieces.last_mut() {
            Some((points, r)) if *r == mine => points.end = point + 1,
            _ => pieces.push((point..point + 1, mine)),
        }
    }
    pieces
}

/// What a shard of a design study returns: the counts of its point-runs
/// (the contents of `partial.json`) and its manifest.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DesignShardResults {
    pub(crate) partial: DesignPartial,
    /// How the shard was run (`manifest.json`; `runs` is per point).
    pub manifest: Manifest,
}

impl DesignShardResults {
    /// `partial.json`, which [`Merge`](super::Merge) reads.
    pub fn to_json(&self) -> String {
        self.partial.to_json()
    }

    /// The point-runs this shard counted (point `p`'s run `r` is
    /// `p × runs per point + r`).
    pub fn slice(&self) -> Range<u64> {
        self.partial.slice()
    }

    /// The design's point-runs in all.
    pub fn study_point_runs(&self) -> u64 {
        self.partial.total()
    }

    /// The points the shard touched (whole or in part).
    pub fn points(&self) -> Range<u64> {
        let r = points_of(&self.slice(), self.partial.study.runs_per_point);
        r.start as u64..r.end as u64
    }
}

impl Sliced for DesignPartial {
    fn shard(&self) -> Shard {
        self.shard
    }
    fn slice(&self) -> Range<u64> {
        self.slice.start..self.slice.end
    }
    fn total(&self) -> u64 {
        self.study.point_runs()
    }
    fn rerun(&self) -> String {
        format!("`{} --shard I/{}`", self.study.command, self.shard.count)
    }
}

/// A merged design study: the sweep or the sensitivity analysis.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MergedDesign {
    /// A sweep's table and manifest.
    Sweep(SweepResults),
    /// A sensitivity analysis's report and manifest.
    Sensitivity(SensitivityResults),
}

/// What [`Merge::design`](super::Merge::design) returns: the study as
/// one machine gives it, and how its shards made it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DesignMergeResults {
    /// The study's results.
    pub merged: MergedDesign,
    /// The scenario the shards ran (their copy of its text).
    pub scenario: Scenario,
    /// The `--vary` arguments of the study.
    pub varies: Vec<String>,
    /// The number of shards merged.
    pub shards: usize,
    /// The study's seed.
    pub seed: u64,
    /// The study's worlds of judged inputs (`--worlds`), when given.
    pub worlds: Option<u64>,
}

impl DesignMergeResults {
    /// The study's text, as its own command prints it.
    pub fn text(&self) -> String {
        match &self.merged {
            MergedDesign::Sweep(r) => r.table.render_text(),
            MergedDesign::Sensitivity(r) => r.report.render_text(),
        }
    }

    /// The method of a sensitivity analysis (`None` for a sweep).
    pub fn method(&self) -> Option<Method> {
        match &self.merged {
            MergedDesign::Sweep(_) => None,
            MergedDesign::Sensitivity(r) if r.report.method == Method::Oat.name() => {
                Some(Method::Oat)
            }
            MergedDesign::Sensitivity(_) => Some(Method::Sobol),
        }
    }

    /// The command that shards merged: `sweep` or `sensitivity`.
    pub fn command(&self) -> &'static str {
        match &self.merged {
            MergedDesign::Sweep(_) => "sweep",
            MergedDesign::Sensitivity(_) => "sensitivity",
        }
    }
}

/// Read, check and merge the design shards in `dirs` into their study.
pub(super) fn merge_design(dirs: &[String], partial: bool) -> Result<DesignMergeResults> {
    let started_at = SystemTime::now();
    if partial {
        return Err(no_partial_merge(
            "a sweep or sensitivity analysis needs every point's runs",
        ));
    }
    let (found, whole) = read_design_partials(dirs)?;
    if let Some(missing) = missing_of(&found)? {
        return Err(refuse_missing(format!(
            "point-{}",
            describe_missing(&missing, &found)
        )));
    }
    let first = &found[0];
    let p = &first.partial;
    // Every shard's scenario text has the same hash: the first read's.
    let scenario = Scenario::of_partial(&whole.scenario, &first.dir)?;
    drop(whole);
    let study = p.study.clone();
    let seed = p.seed;
    let merged = match study.command.as_str() {
        "sweep" => {
            let mut sweep = Sweep::new(&scenario)
                .runs(study.runs_per_point)
                .seed(seed)
                .worlds(study.worlds);
            for vary in &study.varies {
                sweep = sweep.vary(vary);
            }
            MergedDesign::Sweep(sweep.merge(&found, started_at)?)
        }
        _ => {
            let method = if study.method.as_deref() == Some("oat") {
                Method::Oat
            } else {
                Method::Sobol
            };
            let mut analysis = Sensitivity::new(&scenario)
                .method(method)
                .runs(study.runs_per_point)
                .seed(seed)
                .worlds(study.worlds);
            if let Some(samples) = study.samples {
                analysis = analysis.samples(samples as usize);
            }
            for vary in &study.varies {
                analysis = analysis.vary(vary);
            }
            MergedDesign::Sensitivity(analysis.merge(&found, started_at)?)
        }
    };
    Ok(DesignMergeResults {
        merged,
        scenario,
        varies: study.varies,
        shards: found.len(),
        seed,
        worlds: study.worlds,
    })
}

/// `--partial` refused for a study that needs all its work: `why`.
pub(super) fn no_partial_merge(why: &str) -> Error {
    Error::input(
        Diagnostic::new(format!(
            "{} merges only shards of `run`",
            setting("partial")
        ))
        .setting("partial")
        .help(format!(
            "{why}: run the missing shards (merge's {} lists them)",
            setting("missing")
        )),
    )
}

/// The `missing` work (described) of a study that needs it all, refused.
pub(super) fn refuse_missing(missing: String) -> Error {
    Error::input(Diagnostic::new(format!("missing {missing}")).help(format!(
        "run the missing shards (merge's {} lists them as an array spec)",
        setting("missing")
    )))
}

/// The merged manifest of a design study: started at `started_at`, of
/// `runs` runs a point, from the shards `found`.
pub(super) fn merged_manifest(
    scenario: &Scenario,
    seed: u64,
    runs: u64,
    found: &[Found<DesignPartial>],
    started_at: SystemTime,
) -> Manifest {
    let mut manifest = Manifest::start((&scenario.loaded).into(), seed, runs, 0, started_at);
    manifest.merged_from = found.iter().map(|f| f.dir.clone()).collect();
    manifest
}

/// Every point's headlines from the counts of the shards `found` (checked
/// to be of one study, sorted and covering it exactly once), made with
/// the study's `design` on `base`.
pub(super) fn merged_headlines(
    base: &Scenario,
    design: &Design,
    seed: u64,
    found: &[Found<DesignPartial>],
) -> Result<Headlines> {
    let runs = found[0].partial.study.runs_per_point;
    let points = design.sampler.len();
    if points as u64 != found[0].partial.study.points {
        return Err(Error::input(corrupted(
            &found[0].file,
            format_args!(
                "study.points is {}, but the study's design has {} points",
                found[0].partial.study.points, points
            ),
        )));
    }
    let slots = slots_of(base, design);
    let mut headlines = Headlines::default();
    headlines.rows.reserve(points);
    let mut current: Option<(usize, Worlds, Tally, LoadedScenario)> = None;
    // The shards in slice order, each read again for its counts and
    // dropped once added: only the point not yet complete is kept.
    for f in found {
        for piece in &counts_of(f, read_design_partial)? {
            let index = piece.point as usize;
            if current.as_ref().is_some_and(|c| c.0 != index) {
                let (i, worlds, tally, loaded) = current.take().expect("a point in progress");
                let headline =
                    finish_point(&found[0].file, i, &loaded, &worlds, seed, tally, runs)?;
                headlines.push(headline, &worlds);
            }
            if current.is_none() {
                let loaded = point(base, design, slots.as_deref(), index)?;
                let worlds = Worlds::draw(&loaded, seed, design.worlds)?;
                let tally = Tally::for_worlds(&worlds);
                current = Some((index, worlds, tally, loaded));
            }
            let (_, worlds, tally, _) = current.as_mut().expect("a point in progress");
            add_piece(f, piece, worlds, tally)?;
        }
    }
    if let Some((i, worlds, tally, loaded)) = current {
        let headline = finish_point(&found[0].file, i, &loaded, &worlds, seed, tally, runs)?;
        headlines.push(headline, &worlds);
    }
    Ok(headlines)
}

/// Add one shard's counts of a point to the point's `tally`, checked
/// against what runs of the point can produce and, by world, against the
/// runs it names.
fn add_piece(
    f: &Found<DesignPartial>,
    piece: &PointTally,
    worlds: &Worlds,
    tally: &mut Tally,
) -> Result<()> {
    let counted = &piece.tally;
    let runs = piece.first_run..piece.first_run + counted.runs;
    let expected_worlds = if worlds.is_uncertain() {
        worlds.count()
    } else {
        0
    };
    if counted.worlds.len() != expected_worlds {
        return Err(Error::input(corrupted(
            &f.file,
            format_args!(
                "points[{}].tally.worlds has {} worlds, expected {expected_worlds}",
                piece.point,
                counted.worlds.len(),
            ),
        )));
    }
    let mut problems = counted.inconsistencies(worlds.shape());
    if problems.is_empty() {
        problems = counted.world_runs_inconsistencies(runs);
    }
    if !problems.is_empty() {
        return Err(Error::Input(
            problems
                .into_iter()
                .map(|problem| {
                    corrupted(
                        &f.file,
                        format_args!("points[{}].tally.{problem}", piece.point),
                    )
                })
                .collect(),
        ));
    }
    tally.checked_merge(counted).map_err(|problem| {
        Error::input(Diagnostic::new(format!(
            "adding {}: points[{}].tally.{problem}",
            f.file, piece.point
        )))
    })
}

/// Point `i`'s headlines once its counts are added up: they must hold
/// exactly its `runs` runs.
fn finish_point(
    file: &str,
    i: usize,
    loaded: &LoadedScenario,
    worlds: &Worlds,
    seed: u64,
    tally: Tally,
    runs: u64,
) -> Result<Vec<Headline>> {
    if tally.runs != runs {
        return Err(Error::input(corrupted(
            file,
            format_args!("point {i} adds up to {} runs, expected {runs}", tally.runs),
        )));
    }
    Ok(headline_of(loaded, worlds, seed, &tally))
}

/// Read every design shard in `dirs`, each checked on its own and all
/// together to be of one study, sorted by their slices: without their
/// counts, which [`merged_headlines`] reads again one shard at a time
/// ([`read_shards`]); and the first read in full.
fn read_design_partials(dirs: &[String]) -> Result<(Vec<Found<DesignPartial>>, DesignPartial)> {
    let (mut found, whole) = read_shards(dirs, read_design_partial)?;
    let Some(whole) = whole else {
        return Err(Error::input(Diagnostic::new("no shards to merge")));
    };
    check_same_design(&found)?;
    found.sort_by_key(|f| (f.partial.slice.start, f.partial.slice.end));
    Ok((found, whole))
}

impl Counted for DesignPartial {
    type Counts = Vec<PointTally>;
    fn take_counts(&mut self) -> Vec<PointTally> {
        std::mem::take(&mut self.points)
    }
    fn texts(&mut self) -> Vec<&mut String> {
        vec![&mut self.scenario.text]
    }
}

/// Read and check one design shard.
fn read_design_partial(dir: &str) -> Result<Found<DesignPartial>> {
    let path = partial_file(dir);
    let partial: DesignPartial = parse_partial(&path).map_err(|e| other_kind(&path, e))?;
    let file = path.display().to_string();
    let refuse = |problem: String| Err(Error::input(corrupted(&file, problem)));
    if partial.schema != DESIGN_SCHEMA {
        return Err(Error::input(Diagnostic::new(format!(
            "{file}: schema {:?}, expected {DESIGN_SCHEMA:?}",
            partial.schema
        ))));
    }
    if hex_sha256(partial.scenario.text.as_bytes()) != partial.scenario.sha256 {
        return refuse("scenario.text does not match scenario.sha256".into());
    }
    let study = &partial.study;
    if !matches!(study.command.as_str(), "sweep" | "sensitivity") {
        return refuse(format!(
            "study.command is {:?}, expected \"sweep\" or \"sensitivity\"",
            study.command
        ));
    }
    let total = u128::from(study.points) * u128::from(study.runs_per_point);
    if study.points == 0 || study.runs_per_point == 0 || total > u128::from(MAX_RUNS) {
        return refuse(format!(
            "study has {} points of {} runs, expected 1 to {MAX_RUNS} runs in all",
            study.points, study.runs_per_point
        ));
    }
    let Shard { index, count } = partial.shard;
    if count == 0 || index >= count {
        return refuse(format!("shard is {index}/{count}, expected I/N with I < N"));
    }
    let expected = partial.shard.slice(partial.total());
    if expected != partial.slice() || expected.is_empty() {
        return refuse(format!(
            "slice is {}..{}, but shard {index}/{count} of {} point-runs covers {}..{}",
            partial.slice.start,
            partial.slice.end,
            partial.total(),
            expected.start,
            expected.end
        ));
    }
    check_pieces(&file, &partial)?;
    Ok(Found {
        dir: dir.to_string(),
        file,
        partial,
    })
}

/// Refuse a shard whose point counts are not exactly its slice's pieces,
/// in order.
fn check_pieces(file: &str, partial: &DesignPartial) -> Result<()> {
    let runs = partial.study.runs_per_point;
    let expected: Vec<(u64, Range<u64>)> = pieces(&partial.slice(), runs)
        .into_iter()
        .flat_map(|(points, r)| points.map(move |p| (p as u64, r.clone())))
        .collect();
    let found: Vec<(u64, Range<u64>)> = partial
        .points
        .iter()
        .map(|p| {
            (
                p.point,
                p.first_run..p.first_run.saturating_add(p.tally.runs),
            )
        })
        .collect();
    if found != expected {
        let at = expected
            .iter()
            .zip(&found)
            .position(|(a, b)| a != b)
            .unwrap_or(expected.len().min(found.len()));
        return Err(Error::input(corrupted(
            file,
            format_args!(
                "points[{at}] does not count the runs of the slice: expected {} points, each the runs its slice holds",
                expected.len()
            ),
        )));
    }
    Ok(())
}

/// Refuse shards that are not of one study: each differing field named.
fn check_same_design(found: &[Found<DesignPartial>]) -> Result<()> {
    let design_settings = format!(
        "design ({})",
        ["vary", "method", "samples", "worlds"]
            .map(setting)
            .join(", ")
    );
    check_same(
        found,
        "studies",
        "merge only the shards of one study (same scenario, seed, design and runs)",
        |a, b| {
            vec![
                same_scenario(&a.scenario, &b.scenario),
                (
                    "seed",
                    a.seed != b.seed,
                    format!("{} vs {}", a.seed, b.seed),
                ),
                (
                    "command",
                    a.study.command != b.study.command,
                    format!("{} vs {}", a.study.command, b.study.command),
                ),
                (
                    &design_settings,
                    (
                        &a.study.varies,
                        &a.study.method,
                        a.study.samples,
                        a.study.worlds,
                    ) != (
                        &b.study.varies,
                        &b.study.method,
                        b.study.samples,
                        b.study.worlds,
                    ),
                    format!(
                        "{} vs {}",
                        describe_design(&a.study),
                        describe_design(&b.study)
                    ),
                ),
                (
                    "points",
                    a.study.points != b.study.points,
                    format!("{} vs {}", a.study.points, b.study.points),
                ),
                (
                    "runs per point",
                    a.study.runs_per_point != b.study.runs_per_point,
                    format!("{} vs {}", a.study.runs_per_point, b.study.runs_per_point),
                ),
            ]
        },
    )
}

/// A design's arguments, as messages show them.
fn describe_design(study: &DesignStudy) -> String {
    let mut words: Vec<String> = study
        .varies
        .iter()
        .map(|v| setting_value("vary", v))
        .collect();
    if let Some(method) = &study.method {
        words.push(setting_value("method", method));
    }
    if let Some(samples) = study.samples {
        words.push(setting_value("samples", samples));
    }
    if let Some(worlds) = study.worlds {
        words.push(setting_value("worlds", worlds));
    }
    words.join(" ")
}

/// Whether the shard result in `dir` is of a design study (`sweep`,
/// `sensitivity`) rather than of `run`.
pub(super) fn is_design_partial(dir: &str) -> bool {
    schema_of(dir).as_deref() == Some(DESIGN_SCHEMA)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_split_points_at_the_ends_only() {
        assert_eq!(
            pieces(&(5..27), 10),
            vec![(0..1, 5..10), (1..2, 0..10), (2..3, 0..7)]
        );
        assert_eq!(pieces(&(10..40), 10), vec![(1..4, 0..10)]);
        assert_eq!(pieces(&(12..17), 10), vec![(1..2, 2..7)]);
        assert_eq!(pieces(&(0..3), 1), vec![(0..3, 0..1)]);
    }

    #[test]
    fn shards_cover_every_point_run_once() {
        for (points, runs, count) in [(7u64, 3u64, 4u64), (3, 100, 7), (50, 1, 50)] {
            let mut seen = vec![0u64; points as usize];
            for index in 0..count {
                let slice = Shard { index, count }.slice(points * runs);
                for (ps, r) in pieces(&slice, runs) {
                    for p in ps {
                        seen[p] += r.end - r.start;
                    }
                }
            }
            assert!(seen.iter().all(|&n| n == runs), "{points} {runs} {count}");
        }
    }
}
