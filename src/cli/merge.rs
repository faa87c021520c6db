//! `backchannel merge DIR... --out DIR`: add up the shards of a study and
//! publish it exactly as a single `run` would (same summary.json, byte for
//! byte, plots and report). Refuses shards of different studies, slices
//! that overlap or leave gaps, and counts no runs of the scenario could have
//! produced (an edited or damaged file), naming them; `--partial` merges what
//! is there.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use super::MergeArgs;
use super::common::{output_dir, results_line};
use super::text_of;
use crate::engine::Labels;
use crate::engine::Tally;
use crate::engine::Worlds;
use crate::engine::shard::{Coverage, check_coverage};
use crate::engine::worlds::DEFAULT_WORLDS;
use crate::error::{Diagnostic, Error, Result, SourceText};
use crate::output::manifest::Manifest;
use crate::output::partial::{self, Partial};
use crate::output::study_key::StudyKey;
use crate::output::summary::StudyId;
use crate::output::{Summary, text, uncertainty};
use crate::report::ScenarioInfo;
use crate::report::publish::{StudyResults, publish};
use crate::scenario::load::{hex_sha256, load_text};
use crate::scenario::validate::MAX_RUNS;

/// A shard's partial result and where it came from.
struct Found {
    dir: String,
    /// The partial.json read, as messages name it.
    file: String,
    partial: Partial,
}

/// What to do about a partial.json whose contents contradict each other.
const RERUN_HELP: &str = "partial.json is written by `run --shard I/N` and cannot be merged once edited or damaged: run that shard again";

/// An edited or damaged partial.json: `problem` starts with the field.
fn corrupted(file: &str, problem: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::new(format!("{file}: {problem}")).help(RERUN_HELP)
}

/// Refuse a partial whose study, shard, slice and run count disagree: the
/// slice must be the one `run --shard` gives that shard, hold runs, and be
/// what the tally counts.
fn check_slice(file: &str, partial: &Partial) -> Result<()> {
    let Partial {
        runs, shard, slice, ..
    } = partial;
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
    if partial.tally.runs != slice_runs {
        return refuse(format!(
            "tally.runs is {}, expected the {slice_runs} runs of slice {}..{}",
            partial.tally.runs, slice.start, slice.end
        ));
    }
    Ok(())
}

fn read_partial(dir: &str) -> Result<Found> {
    let path = Path::new(dir);
    let file = if path.is_dir() {
        path.join("partial.json")
    } else {
        path.to_path_buf()
    };
    let text = text_of(
        &file,
        "a shard's output directory (written by `run --shard I/N`)",
    )?;
    let partial: Partial = serde_json::from_str(&text).map_err(|e| {
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
    })?;
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

/// Refuse shards that are not of one study: the first differing field.
fn check_same_study(found: &[Found]) -> Result<()> {
    let first = &found[0];
    let mut problems = Vec::new();
    for other in &found[1..] {
        let (a, b) = (&first.partial, &other.partial);
        let differs = [
            (
                "scenario",
                a.scenario.sha256 != b.scenario.sha256,
                format!(
                    "{} (sha256 {:.12}…) vs {} (sha256 {:.12}…)",
                    a.scenario.name, a.scenario.sha256, b.scenario.name, b.scenario.sha256
                ),
            ),
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
        ];
        for (what, differ, detail) in differs {
            if differ {
                problems.push(
                    Diagnostic::new(format!("{} and {} are shards of different studies: {what} {detail}", first.dir, other.dir))
                        .help("merge only the shards of one `run --shard` study (same scenario, seed and --runs)"),
                );
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}

/// Human names for missing runs: ranges, and shard numbers where the
/// present shards share one N.
fn describe_missing(missing: &[Range<u64>], found: &[Found]) -> String {
    let ranges: Vec<String> = missing
        .iter()
        .map(|r| format!("{}..{}", r.start, r.end))
        .collect();
    let count = found[0].partial.shard.count;
    let runs = found[0].partial.runs;
    if found.iter().all(|f| f.partial.shard.count == count) {
        let present: Vec<u64> = found.iter().map(|f| f.partial.shard.index).collect();
        let shards: Vec<String> = (0..count)
            .filter(|i| !present.contains(i))
            .map(|i| format!("{i}/{count}"))
            .collect();
        if !shards.is_empty() {
            return format!(
                "runs {} (shards {} of `run --shard I/{count}` with --runs {runs})",
                ranges.join(", "),
                shards.join(", ")
            );
        }
    }
    format!("runs {}", ranges.join(", "))
}

pub fn run(args: MergeArgs) -> Result<()> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    // Every shard carries the scenario's text, checked against its hash as
    // it is read; one copy is kept (the hashes must agree), so memory does
    // not grow with the number of shards by the size of the text.
    let mut scenario_text = None;
    let mut found: Vec<Found> = args
        .dirs
        .iter()
        .map(|d| {
            let mut f = read_partial(d)?;
            let text = std::mem::take(&mut f.partial.scenario.text);
            scenario_text.get_or_insert(text);
            Ok(f)
        })
        .collect::<Result<_>>()?;
    let scenario_text = scenario_text.unwrap_or_default();
    check_same_study(&found)?;
    found.sort_by_key(|f| (f.partial.slice.start, f.partial.slice.end));
    let first = found[0].partial.clone();
    let slices: Vec<Range<u64>> = found
        .iter()
        .map(|f| f.partial.slice.start..f.partial.slice.end)
        .collect();
    let mut covered_note = None;
    match check_coverage(&slices, first.runs) {
        Ok(()) => {}
        Err(Coverage::Overlap(a, b)) => {
            let dir = |r: &Range<u64>| {
                found
                    .iter()
                    .find(|f| f.partial.slice.start == r.start && f.partial.slice.end == r.end)
                    .map_or("?", |f| f.dir.as_str())
            };
            return Err(Error::input(
                Diagnostic::new(format!(
                    "{} (runs {}..{}) and {} (runs {}..{}) overlap",
                    dir(&a),
                    a.start,
                    a.end,
                    dir(&b),
                    b.start,
                    b.end
                ))
                .help("each run must be merged once: drop the duplicate shard"),
            ));
        }
        Err(Coverage::Missing(missing)) if !args.partial => {
            return Err(Error::input(
                Diagnostic::new(format!("missing {}", describe_missing(&missing, &found)))
                    .help("run the missing shards, or merge what is here with --partial"),
            ));
        }
        Err(Coverage::Missing(missing)) => covered_note = Some(describe_missing(&missing, &found)),
    }

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
    let world_count = first.tally.worlds.len() as u64;
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
    let model = worlds.shape();
    let problems: Vec<Diagnostic> = found
        .iter()
        .flat_map(|f| {
            f.partial
                .tally
                .inconsistencies(model)
                .into_iter()
                .map(|problem| corrupted(&f.file, format_args!("tally.{problem}")))
        })
        .collect();
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let mut tally = Tally::for_worlds(&worlds);
    for f in &found {
        tally.checked_merge(&f.partial.tally).map_err(|problem| {
            Error::input(Diagnostic::new(format!(
                "adding {}: tally.{problem}",
                f.file
            )))
        })?;
    }
    let meta = &loaded.scenario.scenario;
    let spec = loaded.spec.clone();
    let study = StudyKey::new("run", &[&spec])
        .with_sets(&loaded.overrides)
        .with_seed(first.seed, meta.seed)
        .with_worlds(
            (world_count != DEFAULT_WORLDS).then_some(world_count),
            worlds.is_uncertain(),
        );
    let shards: Vec<PathBuf> = args.dirs.iter().map(PathBuf::from).collect();
    let out = output_dir(
        args.out.as_deref(),
        &meta.name,
        &study,
        args.replace,
        &shards,
    )?;
    let study = StudyId::new(&loaded, first.seed);
    let mut manifest = Manifest::start((&loaded).into(), first.seed, tally.runs, 0, started_at);
    manifest.merged_from = found.iter().map(|f| f.dir.clone()).collect();
    let mut summary = Summary::new(&Labels::of(model), &study, &tally);
    let worlds_csv = uncertainty::add_to(&mut summary, &worlds, &tally, None);
    let mut results = StudyResults {
        summary,
        manifest,
        scenario: ScenarioInfo::new(&loaded),
        plots: !args.no_plots,
        worlds_csv,
    };
    let committed = publish(out, &mut results, &[], started)?;
    if !args.quiet {
        print!("{}", text::render(&results.summary));
        match covered_note {
            Some(note) => println!(
                "\n  PARTIAL MERGE: {} of {} runs from {} shards; missing {note}",
                tally.runs,
                first.runs,
                found.len()
            ),
            None => println!("\n  Merged {} shards: all {} runs", found.len(), first.runs),
        }
        println!("{}", results_line(&committed));
    }
    Ok(())
}
