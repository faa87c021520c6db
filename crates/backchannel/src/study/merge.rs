//! Adding up the shards of a study: their integer counts, checked to be
//! of one study, to cover its runs exactly once and to be counts a run of
//! the scenario could produce, give the study exactly as a single run would
//! (the same summary, byte for byte).

use std::io::{BufRead, BufReader, Write};
use std::ops::Range;
use std::path::Path;
use std::time::SystemTime;

use super::compare_shard::{CompareMergeResults, merge_comparison};
use super::design_shard::{DesignMergeResults, is_design_partial, merge_design};
use super::run::StudyResults;
use super::scenario::Scenario;
use super::worlds_shard::sliced_missing;
use crate::engine::shard::{Coverage, Shard, check_coverage};
use crate::engine::{Labels, Tally, Worlds};
use crate::error::{Diagnostic, Error, Result, SourceText, setting, setting_value};
use crate::output::manifest::Manifest;
use crate::output::partial::{self, ComparePartial, DesignPartial, Partial, PartialScenario};
use crate::output::summary::{PartialMerge, StudyId};
use crate::output::{Summary, uncertainty};
use crate::report::ScenarioInfo;
use crate::scenario::load::{hex_sha256, load_text};
use crate::scenario::read::read_text;
use crate::scenario::validate::MAX_RUNS;

/// The merge of the shards of one study, read from the output directories
/// of `run --shard I/N` (or their `partial.json` files), then [`run`]:
///
/// ```no_run
/// # use backchannel::Merge;
/// let merged = Merge::new(&["shard-0", "shard-1"]).run()?;
/// println!("{}", merged.study.summary.to_json());
/// # Ok::<(), backchannel::Error>(())
/// ```
///
/// [`run`]: Merge::run
#[derive(Debug, Clone)]
pub struct Merge {
    dirs: Vec<String>,
    partial: bool,
}

impl Merge {
    /// The merge of the shards in `dirs`.
    pub fn new<S: AsRef<str>>(dirs: &[S]) -> Merge {
        Merge {
            dirs: dirs.iter().map(|d| d.as_ref().to_string()).collect(),
            partial: false,
        }
    }

    /// Merge the shards present even if some runs are missing (the study
    /// then has fewer runs; [`MergeResults::missing`] names them).
    pub fn partial(mut self, partial: bool) -> Self {
        self.partial = partial;
        self
    }

    /// The shards named.
    pub(super) fn dirs(&self) -> &[String] {
        &self.dirs
    }

    /// Whether [`Merge::partial`] asked to merge what is there.
    pub(super) fn wants_partial(&self) -> bool {
        self.partial
    }

    /// Whether the shards are of a design study (`sweep`, `sensitivity`),
    /// to be merged with [`Merge::design`], rather than of `run`
    /// ([`Merge::run`]); read from the first shard.
    pub fn is_design(&self) -> bool {
        self.dirs.first().is_some_and(|d| is_design_partial(d))
    }

    /// Read, check and add up the shards of a sweep or sensitivity
    /// analysis (`--shard I/N`): the study, byte for byte as one machine
    /// runs it. A design needs all its points: [`Merge::partial`] is
    /// refused.
    pub fn design(self) -> Result<DesignMergeResults> {
        merge_design(&self.dirs, self.partial)
    }

    /// Whether the shards are of a comparison (`compare --shard I/N`), to
    /// be merged with [`Merge::compare`]; read from the first shard.
    pub fn is_compare(&self) -> bool {
        self.dirs
            .first()
            .is_some_and(|d| schema_of(d).as_deref() == Some(partial::COMPARE_SCHEMA))
    }

    /// Read, check and add up the shards of a comparison: its tables,
    /// byte for byte as one machine runs it. A comparison needs all its
    /// runs: [`Merge::partial`] is refused.
    pub fn compare(self) -> Result<CompareMergeResults> {
        merge_comparison(&self.dirs, self.partial)
    }

    /// The shards to run again (those of the N the present shards name
    /// that are absent), as a SLURM `--array` spec (`3,7-9`); empty when
    /// none is missing.
    pub fn missing_array(&self) -> Result<String> {
        let absent = if self.is_design() {
            missing_shards(&self.parsed::<DesignPartial>()?)
        } else if self.is_compare() {
            missing_shards(&self.parsed::<ComparePartial>()?)
        } else if let Some(absent) = sliced_missing(&self.dirs) {
            absent?
        } else {
            let found: Vec<Found> = self
                .dirs
                .iter()
                .map(|d| read_partial(d))
                .collect::<Result<_>>()?;
            missing_shards(&found)
        };
        match absent {
            Some((_, absent)) => Ok(array_spec(&absent)),
            None => Err(Error::input(Diagnostic::new(format!(
                "the shards were split different ways (different N in {}): no one array reruns them",
                setting_value("shard", "I/N")
            )).help("name the shards of one split"))),
        }
    }

    /// Every shard's partial result, parsed but not checked.
    fn parsed<P: serde::de::DeserializeOwned>(&self) -> Result<Vec<Found<P>>> {
        self.dirs
            .iter()
            .map(|d| {
                Ok(Found {
                    dir: d.clone(),
                    file: d.clone(),
                    partial: parse_partial(&partial_file(d))?,
                })
            })
            .collect()
    }

    /// Read, check and add up the shards.
    pub fn run(self) -> Result<MergeResults> {
        let started_at = SystemTime::now();
        if self.dirs.is_empty() {
            return Err(Error::input(Diagnostic::new("no shards to merge").help(
                format!(
                    "name the output directories of `run {}`",
                    setting_value("shard", "I/N")
                ),
            )));
        }
        // Read one shard at a time, keeping what it is and which slice it
        // holds but not its counts, which `add_up` reads again shard by
        // shard: memory holds one shard's counts and the sum, however many
        // shards there are.
        let (mut found, whole) = read_shards(&self.dirs, read_partial)?;
        let (scenario_text, world_count) = whole.map_or_else(Default::default, |p| {
            (p.scenario.text, p.tally.worlds.len() as u64)
        });
        check_same_study(&found)?;
        found.sort_by_key(|f| (f.partial.slice.start, f.partial.slice.end));
        let missing = self.coverage(&found)?;
        let first = &found[0].partial;
        let mut loaded = load_text(
            first
                .scenario
                .spec
                .as_deref()
                .unwrap_or(&first.scenario.name),
            &format!("partial.json of {}", found[0].dir),
            &scenario_text,
            &[],
        )?;
        // The text already holds the `--set` changes; keep them on record.
        loaded.overrides = first.scenario.overrides.clone();
        // The shards drew their worlds from the scenario and seed: draw them
        // again, as many as the counts have.
        let worlds = Worlds::draw(&loaded, first.seed, world_count.max(1))?;
        if worlds.is_uncertain() != (world_count > 0) {
            return Err(Error::input(corrupted(
                &found[0].file,
                format_args!(
                    "tally.worlds has {world_count} worlds, but the scenario {} judged inputs",
                    if worlds.is_uncertain() {
                        "has"
                    } else {
                        "has no"
                    }
                ),
            )));
        }
        let tally = add_up(&found, &worlds)?;
        let study = StudyId::new(&loaded, first.seed);
        let mut manifest = Manifest::start((&loaded).into(), first.seed, tally.runs, 0, started_at);
        manifest.merged_from = found.iter().map(|f| f.dir.clone()).collect();
        let mut summary = Summary::new(&Labels::of(worlds.shape()), &study, &tally);
        summary.partial = missing.as_ref().map(|missing| PartialMerge {
            study_runs: first.runs,
            missing: missing.clone(),
        });
        manifest.partial = summary.partial.clone();
        let worlds_csv = uncertainty::add_to(&mut summary, &worlds, &tally, None);
        Ok(MergeResults {
            study: StudyResults {
                summary,
                manifest,
                scenario: ScenarioInfo::new(&loaded),
                worlds_csv,
                notes: Vec::new(),
            },
            shards: found.len(),
            runs: first.runs,
            seed: first.seed,
            worlds: world_count,
            missing,
            scenario: Scenario { loaded },
            pieces: found
                .iter()
                .map(|f| (f.file.clone(), f.partial.slice()))
                .collect(),
        })
    }

    /// Refuse slices that overlap, and gaps unless merging what is there:
    /// then the missing runs, described.
    fn coverage(&self, found: &[Found]) -> Result<Option<String>> {
        match missing_of(found)? {
            None => Ok(None),
            Some(missing) if !self.partial => Err(Error::input(
                Diagnostic::new(format!("missing {}", describe_missing(&missing, found))).help(
                    format!(
                        "run the missing shards, or merge what is here with {}",
                        setting("partial")
                    ),
                ),
            )),
            Some(missing) => Ok(Some(describe_missing(&missing, found))),
        }
    }
}

/// What a shard's partial result says of its place in the study.
pub(super) trait Sliced {
    fn shard(&self) -> Shard;
    /// The numbers of the work it did (runs, or a design's point-runs).
    fn slice(&self) -> Range<u64>;
    /// The numbers of the whole study's work.
    fn total(&self) -> u64;
    /// The command that runs one of its shards, for messages.
    fn rerun(&self) -> String;
}

impl Sliced for Partial {
    fn shard(&self) -> Shard {
        self.shard
    }
    fn slice(&self) -> Range<u64> {
        self.slice.start..self.slice.end
    }
    fn total(&self) -> u64 {
        self.runs
    }
    fn rerun(&self) -> String {
        format!(
            "`run --shard I/{}` with --runs {}",
            self.shard.count, self.runs
        )
    }
}

/// Refuse shards that overlap; the numbers no shard covers, if any.
pub(super) fn missing_of<P: Sliced>(found: &[Found<P>]) -> Result<Option<Vec<Range<u64>>>> {
    let slices: Vec<Range<u64>> = found.iter().map(|f| f.partial.slice()).collect();
    match check_coverage(&slices, found[0].partial.total()) {
        Ok(()) => Ok(None),
        Err(Coverage::Overlap(a, b)) => Err(Error::input(overlap(&found[a], &found[b]))),
        Err(Coverage::Missing(missing)) => Ok(Some(missing)),
    }
}

/// The shards' tallies, read again one at a time, each checked against
/// what runs of the scenario can produce and, by world, against the runs
/// its slice puts in each world, added up. The problems of every shard are
/// reported together.
fn add_up(found: &[Found], worlds: &Worlds) -> Result<Tally> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut total = Tally::for_worlds(worlds);
    for f in found {
        let tally = counts_of(f, read_partial)?;
        let slice = f.partial.slice();
        let mut found_problems = tally.inconsistencies(worlds.shape());
        if found_problems.is_empty() {
            found_problems = tally.world_runs_inconsistencies(slice);
        }
        if found_problems.is_empty() && problems.is_empty() {
            total.checked_merge(&tally).map_err(|problem| {
                Error::input(Diagnostic::new(format!(
                    "adding {}: tally.{problem}",
                    f.file
                )))
            })?;
        }
        problems.extend(
            found_problems
                .into_iter()
                .map(|problem| corrupted(&f.file, format_args!("tally.{problem}"))),
        );
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(total)
}

/// A shard's partial result between the merge's two readings of it: all
/// of it but its counts and its scenario texts (their hashes stay), so that
/// the merge holds one shard's counts at a time however many shards it
/// adds up (docs/SCALING.md, "Toward internet scale").
pub(super) trait Counted: PartialEq {
    /// What the shard counted.
    type Counts;
    /// Take its counts out.
    fn take_counts(&mut self) -> Self::Counts;
    /// The scenario texts it carries.
    fn texts(&mut self) -> Vec<&mut String>;
}

/// Read every shard in `dirs` with `read` (which checks each on its own),
/// one at a time, keeping of each only what it is and which slice it holds
/// ([`Counted`]); and the first shard in full (its texts make the
/// scenarios again). [`counts_of`] reads each again for its counts.
pub(super) fn read_shards<P: Counted + Clone>(
    dirs: &[String],
    read: impl Fn(&str) -> Result<Found<P>>,
) -> Result<(Vec<Found<P>>, Option<P>)> {
    let mut first = None;
    let found = dirs
        .iter()
        .map(|dir| {
            let mut f = read(dir)?;
            if first.is_none() {
                first = Some(f.partial.clone());
            }
            f.partial.take_counts();
            // Taken, not cleared: a cleared string keeps its memory.
            for text in f.partial.texts() {
                std::mem::take(text);
            }
            Ok(f)
        })
        .collect::<Result<_>>()?;
    Ok((found, first))
}

/// The counts of the shard `f` (as [`read_shards`] kept it), read again
/// with `read`; refused if the shard changed since it was first read.
pub(super) fn counts_of<P: Counted>(
    f: &Found<P>,
    read: impl Fn(&str) -> Result<Found<P>>,
) -> Result<P::Counts> {
    let mut again = read(&f.dir)?;
    let counts = again.partial.take_counts();
    for text in again.partial.texts() {
        std::mem::take(text);
    }
    if again.partial != f.partial {
        return Err(Error::input(
            Diagnostic::new(format!("{} changed while it was being merged", f.file))
                .help("merge again once no shard is being written"),
        ));
    }
    Ok(counts)
}

impl Counted for Partial {
    type Counts = Tally;
    fn take_counts(&mut self) -> Tally {
        std::mem::take(&mut self.tally)
    }
    fn texts(&mut self) -> Vec<&mut String> {
        vec![&mut self.scenario.text]
    }
}

/// What [`Merge::run`] returns: the study, and how the shards made it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MergeResults {
    /// The study, as a single run of it would give it (with
    /// [`Merge::partial`] and shards missing, of fewer runs).
    pub study: StudyResults,
    /// The scenario the shards ran (their copy of its text).
    pub scenario: Scenario,
    /// The number of shards merged.
    pub shards: usize,
    /// The runs of the whole study.
    pub runs: u64,
    /// The study's seed.
    pub seed: u64,
    /// The worlds the shards drew from the judged inputs (0 without any).
    pub worlds: u64,
    /// With [`Merge::partial`]: the runs no shard covered, described
    /// (`runs 500..1000 (shards 1/2 of ...)`).
    pub missing: Option<String>,
    /// Each shard's `partial.json` and the runs it covers, in run order.
    pieces: Vec<(String, Range<u64>)>,
}

impl MergeResults {
    /// Whether every shard merged wrote `runs.csv` (`run --shard I/N
    /// --save-runs`), so that the study's can be put together.
    pub fn has_runs_csv(&self) -> bool {
        self.pieces
            .iter()
            .all(|(file, _)| runs_csv_beside(file).is_file())
    }

    /// Write the shards' `runs.csv` into `out` as one machine writes it:
    /// the header once, then every shard's rows in run order. Each file
    /// must have the first's header and exactly its slice's rows, each
    /// starting with its run index.
    pub fn write_runs_csv(&self, out: impl Write) -> Result<()> {
        let mut out = out;
        let mut header: Option<String> = None;
        let failed = |e: std::io::Error| Error::failed("cannot write runs.csv", e);
        for (file, slice) in &self.pieces {
            let path = runs_csv_beside(file);
            let shown = path.display().to_string();
            let input = std::fs::File::open(&path)
                .map_err(|e| Error::failed(format!("cannot read {shown}"), e))?;
            let mut lines = BufReader::new(input).lines();
            let first = lines
                .next()
                .transpose()
                .map_err(|e| Error::failed(format!("cannot read {shown}"), e))?
                .unwrap_or_default();
            match &header {
                None => {
                    writeln!(out, "{first}").map_err(failed)?;
                    header = Some(first);
                }
                Some(h) if *h != first => {
                    return Err(Error::input(corrupted(
                        &shown,
                        "its header differs from the first shard's runs.csv",
                    )));
                }
                Some(_) => {}
            }
            let mut expected = slice.start;
            for line in lines {
                let line = line.map_err(|e| Error::failed(format!("cannot read {shown}"), e))?;
                let run = line.split(',').next().unwrap_or_default();
                if expected >= slice.end || run != expected.to_string() {
                    return Err(Error::input(corrupted(
                        &shown,
                        format_args!(
                            "row {} is of run {run:?}, expected the runs {}..{} of its shard in order",
                            expected - slice.start + 1,
                            slice.start,
                            slice.end
                        ),
                    )));
                }
                writeln!(out, "{line}").map_err(failed)?;
                expected += 1;
            }
            if expected != slice.end {
                return Err(Error::input(corrupted(
                    &shown,
                    format_args!(
                        "it ends at run {expected}, expected the runs {}..{} of its shard",
                        slice.start, slice.end
                    ),
                )));
            }
        }
        out.flush().map_err(failed)
    }
}

/// The `runs.csv` beside a shard's `partial.json`.
fn runs_csv_beside(partial: &str) -> std::path::PathBuf {
    Path::new(partial).with_file_name("runs.csv")
}

/// A shard's partial result and where it came from.
pub(super) struct Found<P = Partial> {
    pub(super) dir: String,
    /// The partial.json read, as messages name it.
    pub(super) file: String,
    pub(super) partial: P,
}

/// What to do about a partial.json whose contents contradict each other.
fn rerun_help() -> String {
    format!(
        "partial.json is written by a study's {} and cannot be merged once edited or damaged: run that shard again",
        setting_value("shard", "I/N")
    )
}

/// An edited or damaged partial.json: `problem` starts with the field.
pub(super) fn corrupted(file: &str, problem: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::new(format!("{file}: {problem}")).help(rerun_help())
}

/// Refuse a partial whose study, shard, slice and run count disagree: the
/// slice must be the one `run --shard` gives that shard, hold runs, and be
/// what the tally counts.
fn check_slice(file: &str, partial: &Partial) -> Result<()> {
    check_runs_slice(
        file,
        partial.runs,
        partial.shard,
        &partial.slice,
        partial.tally.runs,
    )
}

/// Refuse a shard of a study of `runs` runs whose shard, slice and the
/// runs it `counted` disagree.
pub(super) fn check_runs_slice(
    file: &str,
    runs: u64,
    shard: Shard,
    slice: &partial::Slice,
    counted: u64,
) -> Result<()> {
    let runs = &runs;
    let refuse = |problem: String| Err(Error::input(corrupted(file, problem)));
    if !(1..=MAX_RUNS).contains(runs) {
        return refuse(format!("runs is {runs}, expected 1 to {MAX_RUNS}"));
    }
    if shard.count == 0 {
        return refuse("shard.count is 0, expected at least 1".into());
    }
    if shard.index >= shard.count {
        return refuse(format!(
            "shard.index is {}, expected 0 to {} (shards count from 0)",
            shard.index,
            shard.count - 1
        ));
    }
    let expected = shard.slice(*runs);
    if expected != (slice.start..slice.end) {
        return refuse(format!(
            "slice is {}..{}, but shard {}/{} of {runs} runs covers {}..{}",
            slice.start, slice.end, shard.index, shard.count, expected.start, expected.end
        ));
    }
    if expected.is_empty() {
        return Err(Error::input(
            Diagnostic::new(format!(
                "{file}: slice {}..{} holds no runs: shard {}/{} of a study of {runs} runs",
                slice.start, slice.end, shard.index, shard.count
            ))
            .help("leave out shards of no runs (a study of R runs needs at most R shards)"),
        ));
    }
    let slice_runs = expected.end - expected.start;
    if counted != slice_runs {
        return refuse(format!(
            "tally.runs is {counted}, expected the {slice_runs} runs of slice {}..{}",
            slice.start, slice.end
        ));
    }
    Ok(())
}

/// Read and check the partial result in `dir` (or the file `dir`).
fn read_partial(dir: &str) -> Result<Found> {
    let file = partial_file(dir);
    let partial: Partial = parse_partial(&file).map_err(|e| other_kind(&file, e))?;
    let file = file.display().to_string();
    if partial.schema != partial::SCHEMA {
        return Err(Error::input(Diagnostic::new(format!(
            "{file}: schema {:?}, expected {:?}",
            partial.schema,
            partial::SCHEMA
        ))));
    }
    if hex_sha256(partial.scenario.text.as_bytes()) != partial.scenario.sha256 {
        return Err(Error::input(corrupted(
            &file,
            "scenario.text does not match scenario.sha256",
        )));
    }
    check_slice(&file, &partial)?;
    Ok(Found {
        dir: dir.to_string(),
        file,
        partial,
    })
}

/// `error`, reading the shard `file` — unless the file is a shard of the
/// other kind of study (a design's among `run`'s, or the reverse), which
/// is then said (`run`, a design, a comparison).
pub(super) fn other_kind(file: &Path, error: Error) -> Error {
    let kind = |schema: &str| match schema {
        partial::SCHEMA => Some("`run`"),
        partial::DESIGN_SCHEMA => Some("a sweep or sensitivity analysis"),
        partial::COMPARE_SCHEMA => Some("a comparison"),
        partial::INDICATORS_SCHEMA => Some("`indicators`"),
        partial::DISCOVER_SCHEMA => Some("`discover`"),
        partial::BACKTEST_SCHEMA => Some("`backtest`"),
        _ => None,
    };
    match schema_of(&file.to_string_lossy()).as_deref().and_then(kind) {
        Some(kind) => Error::input(
            Diagnostic::new(format!(
                "{} is a shard of {kind}, unlike the first shard named",
                file.display()
            ))
            .help("merge only the shards of one study"),
        ),
        None => error,
    }
}

/// The schema of the shard result in `dir` (or the file `dir`), if it is
/// one.
pub(super) fn schema_of(dir: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Schema {
        schema: String,
    }
    parse_partial::<Schema>(&partial_file(dir))
        .ok()
        .map(|s| s.schema)
}

/// The partial.json in `dir`, or the file `dir` itself.
pub(super) fn partial_file(dir: &str) -> std::path::PathBuf {
    let path = Path::new(dir);
    if path.is_dir() {
        path.join("partial.json")
    } else {
        path.to_path_buf()
    }
}

/// The partial result in `file`, parsed (bad JSON is reported at its place).
pub(super) fn parse_partial<P: serde::de::DeserializeOwned>(file: &Path) -> Result<P> {
    let text = text_of(
        file,
        &format!(
            "a shard's output directory (written by a command with {})",
            setting_value("shard", "I/N")
        ),
    )?;
    serde_json::from_str(&text).map_err(|e| {
        let source = SourceText {
            origin: file.display().to_string(),
            text: text.as_str().into(),
        };
        let offset = text
            .lines()
            .take(e.line().saturating_sub(1))
            .map(|l| l.len() + 1)
            .sum::<usize>()
            + e.column().saturating_sub(1);
        Error::input(
            Diagnostic::new(format!("not a partial result: {e}")).at(&source, offset..offset + 1),
        )
    })
}

/// Refuse shards that are not of one study: each differing field named.
fn check_same_study(found: &[Found]) -> Result<()> {
    let help = format!(
        "merge only the shards of one `run` study with {} (same scenario, seed and {})",
        setting("shard"),
        setting("runs")
    );
    check_same(found, "studies", &help, |a, b| {
        vec![
            same_scenario(&a.scenario, &b.scenario),
            (
                "seed",
                a.seed != b.seed,
                format!("{} vs {}", a.seed, b.seed),
            ),
            (
                "runs",
                a.runs != b.runs,
                format!("{} vs {}", a.runs, b.runs),
            ),
        ]
    })
}

/// Whether two shards ran the same scenario, by the hash of its text.
pub(super) fn same_scenario<'n>(a: &PartialScenario, b: &PartialScenario) -> Agreement<'n> {
    (
        "scenario",
        a.sha256 != b.sha256,
        format!(
            "{} (sha256 {:.12}…) vs {} (sha256 {:.12}…)",
            a.name, a.sha256, b.name, b.sha256
        ),
    )
}

/// One field two shards must agree on: its name, whether they differ, and
/// how (`"7 vs 8"`).
pub(super) type Agreement<'n> = (&'n str, bool, String);

/// Refuse shards `found` that are not of one study (of one `kind`, in the
/// plural): each field of `fields(first, other)` that differs between the
/// first shard and another is a problem, named, with `help`.
pub(super) fn check_same<'n, P>(
    found: &[Found<P>],
    kind: &str,
    help: &str,
    fields: impl Fn(&P, &P) -> Vec<Agreement<'n>>,
) -> Result<()> {
    let first = &found[0];
    let problems: Vec<Diagnostic> = found[1..]
        .iter()
        .flat_map(|other| {
            fields(&first.partial, &other.partial)
                .into_iter()
                .filter(|(_, differ, _)| *differ)
                .map(move |(what, _, detail)| {
                    Diagnostic::new(format!(
                        "{} and {} are shards of different {kind}: {what} {detail}",
                        first.dir, other.dir
                    ))
                    .help(help)
                })
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}

/// Two shards that share runs, each named once: the same directory named
/// twice, two copies of one shard, or two shards of different splits.
fn overlap<P: Sliced>(a: &Found<P>, b: &Found<P>) -> Diagnostic {
    let (x, y) = (&a.partial, &b.partial);
    let runs = |p: &P| format!("runs {}..{}", p.slice().start, p.slice().end);
    let same_place = a.dir == b.dir
        || std::fs::canonicalize(&a.file).ok() == std::fs::canonicalize(&b.file).ok();
    if same_place {
        return Diagnostic::new(format!("{} is named twice", a.dir)).help("name each shard once");
    }
    if x.slice() == y.slice() {
        return Diagnostic::new(format!(
            "{} and {} are the same shard ({}/{}, {})",
            a.dir,
            b.dir,
            x.shard().index,
            x.shard().count,
            runs(x)
        ))
        .help("each run must be merged once: drop one of them");
    }
    Diagnostic::new(format!(
        "{} ({}) and {} ({}) overlap",
        a.dir,
        runs(x),
        b.dir,
        runs(y)
    ))
    .help("each run must be merged once: drop the duplicate shard")
}

/// Human names for missing work: ranges, and shard numbers where the
/// present shards share one N.
pub(super) fn describe_missing<P: Sliced>(missing: &[Range<u64>], found: &[Found<P>]) -> String {
    let ranges: Vec<String> = missing
        .iter()
        .map(|r| format!("{}..{}", r.start, r.end))
        .collect();
    if let Some((count, absent)) = missing_shards(found)
        && !absent.is_empty()
    {
        let shards: Vec<String> = absent.iter().map(|i| format!("{i}/{count}")).collect();
        return format!(
            "runs {} (shards {} of {})",
            ranges.join(", "),
            shards.join(", "),
            found[0].partial.rerun()
        );
    }
    format!("runs {}", ranges.join(", "))
}

/// Where the shards found share one N: N and the shard indices absent, in
/// order.
pub(super) fn missing_shards<P: Sliced>(found: &[Found<P>]) -> Option<(u64, Vec<u64>)> {
    let count = found.first()?.partial.shard().count;
    if found.iter().any(|f| f.partial.shard().count != count) {
        return None;
    }
    let present: std::collections::BTreeSet<u64> =
        found.iter().map(|f| f.partial.shard().index).collect();
    Some((count, (0..count).filter(|i| !present.contains(i)).collect()))
}

/// Shard indices as a SLURM `--array` spec: runs of consecutive indices as
/// ranges (`3,7-9`).
pub fn array_spec(indices: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < indices.len() {
        let mut j = i;
        while j + 1 < indices.len() && indices[j + 1] == indices[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            indices[i].to_string()
        } else {
            format!("{}-{}", indices[i], indices[j])
        });
        i = j + 1;
    }
    parts.join(",")
}

/// The largest shard result `merge` reads: it holds the scenario text (at
/// most 4 MiB) and integer counts, far below this.
const MAX_PARTIAL_BYTES: u64 = 64 * 1024 * 1024;

/// The text of a file the user named as `what`, or a clear error (exit
/// status 2).
pub(super) fn text_of(path: &std::path::Path, what: &str) -> Result<String> {
    read_text(path, "this file", MAX_PARTIAL_BYTES).map_err(|error| match error {
        Error::Input(diagnostics) => Error::Input(
            diagnostics
                .into_iter()
                .map(|d| match d.help {
                    Some(_) => d,
                    None => d.help(format!("expected {what}")),
                })
                .collect(),
        ),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::Study;

    /// `runs` runs of the flagship on `seed`, shard 0 of 2, as
    /// `partial.json` in `dir`.
    fn write_shard(dir: &Path, seed: u64, runs: u64) -> Tally {
        let scenario = Scenario::load("muscat-2026").unwrap();
        let shard = Study::new(&scenario)
            .runs(runs)
            .seed(seed)
            .threads(1)
            .shard(0, 2)
            .unwrap();
        std::fs::write(dir.join("partial.json"), shard.to_json()).unwrap();
        shard.partial.tally
    }

    /// The second reading gives the counts the first left out, and refuses
    /// a shard that changed in between.
    #[test]
    fn a_shard_is_read_again_for_its_counts_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let written = write_shard(dir.path(), 5, 400);
        let dirs = [dir.path().display().to_string()];
        let (found, whole) = read_shards(&dirs, read_partial).unwrap();
        assert_eq!(found[0].partial.tally, Tally::default(), "counts left out");
        assert!(found[0].partial.scenario.text.is_empty(), "text left out");
        assert_eq!(whole.unwrap().tally, written, "the first kept whole");
        assert_eq!(counts_of(&found[0], read_partial).unwrap(), written);
        write_shard(dir.path(), 6, 400);
        let error = counts_of(&found[0], read_partial).unwrap_err().to_string();
        assert!(
            error.contains("changed while it was being merged"),
            "{error}"
        );
    }

    #[test]
    fn array_specs_join_consecutive_shards() {
        assert_eq!(array_spec(&[]), "");
        assert_eq!(array_spec(&[4]), "4");
        assert_eq!(array_spec(&[0, 1, 2, 5, 7, 8, 9, 11]), "0-2,5,7-9,11");
    }
}
