//! `Backtest`: every historical case of a directory run with its judged
//! inputs and scored against its `[record]` with proper scoring rules
//! (docs/BACKTEST.md).

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use super::checks::{check_count, checked_worlds, threads_or_every_core};
use super::control::{Shared, shared_setters, stopped};
use super::icb::style_rates;
use super::key::Identity;
use crate::engine::Worlds;
use crate::engine::outcomes::{Probe, ProbeCounts, count_probes};
use crate::error::{Diagnostic, Error, Result};
use crate::output::backtest::{
    BacktestReport, BootstrapSettings, CaseResult, Forecast, Hurt, OutcomeScores, SCHEMA,
};
use crate::output::manifest::{Manifest, ManifestScenario};
use crate::output::study_key::StudyKey;
use crate::report::shell_word;
use crate::scenario::load::{LoadedScenario, hex_sha256, load};
use crate::scenario::types::{MediatorStyle, RecordedOutcome};
use crate::stats::scoring::{Interval, bootstrap, brier, log_score, reliability, resamples, skill};
use crate::stats::spread::{WorldCount, spread};

/// Runs per case unless set: enough for a forecast within about ±0.7
/// points (95 %) at 200 worlds.
pub const DEFAULT_RUNS: u64 = 20_000;
/// The most runs per case.
pub const MAX_RUNS_PER_CASE: u64 = 1_000_000_000;
/// Resamples of the cases behind every bootstrap interval.
pub const RESAMPLES: usize = 2_000;
/// Seed of the resampling stream: fixed, so intervals are reproducible.
pub const BOOTSTRAP_SEED: u64 = 1950;
/// The reliability diagram's bins of [0, 1].
const BINS: usize = 5;
/// The outcomes of `[record]`, in the order results list them.
pub const OUTCOMES: [&str; 4] = ["agreement", "channel_alive", "ratified", "escalation"];

/// A back-test of the cases in a directory:
///
/// ```no_run
/// # use backchannel::Backtest;
/// let results = Backtest::new("scenarios/backtest").runs(20_000).run()?;
/// println!("{}", results.report.render_text());
/// # Ok::<(), backchannel::Error>(())
/// ```
///
/// Each case runs on its own `[scenario] seed` (or the seed set for all),
/// with 200 worlds of its judged inputs unless set. Results are
/// byte-identical on any number of threads.
#[derive(Debug)]
pub struct Backtest<'a> {
    pub(super) dir: PathBuf,
    pub(super) runs: u64,
    pub(super) shared: Shared<'a>,
}

/// What a back-test returns: the report (`backtest.json`, `backtest.csv`,
/// the text) and the manifest.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BacktestResults {
    /// Scores, per-case forecasts, reliability bins.
    pub report: BacktestReport,
    /// How it was run.
    pub manifest: Manifest,
}

/// A case loaded and checked, ready to run.
pub(super) struct Case {
    pub(super) file: PathBuf,
    pub(super) loaded: LoadedScenario,
    outcomes: Vec<(&'static str, RecordedOutcome)>,
}

impl<'a> Backtest<'a> {
    shared_setters!('a);

    /// A back-test of the `*.toml` cases in `dir`.
    pub fn new(dir: impl AsRef<Path>) -> Backtest<'a> {
        Backtest {
            dir: dir.as_ref().to_path_buf(),
            runs: DEFAULT_RUNS,
            shared: Shared::default(),
        }
    }

    /// Runs per case.
    pub fn runs(mut self, runs: u64) -> Self {
        self.runs = runs;
        self
    }

    /// Where the results go by default and what they may replace.
    pub(crate) fn identity(&self) -> Identity {
        let dir = self.dir.to_string_lossy().to_string();
        let mut key = StudyKey::new("backtest", &[&dir]);
        if let Some(seed) = self.shared.seed {
            key = key.with("seed", seed.to_string(), seed.to_string());
        }
        if let Some(worlds) = self.shared.worlds {
            key = key.with("worlds", worlds.to_string(), worlds.to_string());
        }
        let base = self
            .dir
            .file_name()
            .map_or_else(|| "cases".to_string(), |n| n.to_string_lossy().to_string());
        Identity {
            key,
            base: format!("backtest-{base}"),
            inputs: case_files(&self.dir).unwrap_or_default(),
        }
    }

    /// The command that reproduces this back-test: its folder, runs, and
    /// the seed and worlds when set.
    pub fn command(&self) -> String {
        let mut words = vec![
            "backchannel".to_string(),
            "backtest".into(),
            shell_word(&self.dir.to_string_lossy()),
            "--runs".into(),
            self.runs.to_string(),
        ];
        if let Some(seed) = self.shared.seed {
            words.extend(["--seed".into(), seed.to_string()]);
        }
        if let Some(worlds) = self.shared.worlds {
            words.extend(["--worlds".into(), worlds.to_string()]);
        }
        words.join(" ")
    }

    /// Load and check every case without running any: the cases' count, or
    /// every problem of every file.
    pub fn check(&self) -> Result<usize> {
        check_count("runs", self.runs, 1, MAX_RUNS_PER_CASE)?;
        checked_worlds(self.shared.worlds)?;
        threads_or_every_core(self.shared.threads)?;
        Ok(load_cases(&self.dir)?.len())
    }

    /// Run every case and score it.
    pub fn run(self) -> Result<BacktestResults> {
        let started_at = SystemTime::now();
        let (worlds_count, threads) = self.checked()?;
        let cases = load_cases(&self.dir)?;
        let simulate_start = Instant::now();
        let mut counted = Vec::with_capacity(cases.len());
        for (index, case) in cases.iter().enumerate() {
            let done_before = index as u64 * self.runs;
            counted.push(self.count_case(
                case,
                worlds_count,
                0..self.runs,
                threads,
                done_before,
            )?);
        }
        let mut manifest = self.manifest(&cases, threads, started_at);
        manifest.simulated(
            self.runs * cases.len() as u64,
            simulate_start.elapsed().as_secs_f64(),
        );
        Ok(self.results(&cases, &counted, worlds_count, manifest))
    }

    /// The worlds each case draws and the threads, checked with the runs.
    pub(super) fn checked(&self) -> Result<(u64, usize)> {
        check_count("runs", self.runs, 1, MAX_RUNS_PER_CASE)?;
        let worlds_count = checked_worlds(self.shared.worlds)?;
        Ok((worlds_count, threads_or_every_core(self.shared.threads)?))
    }

    /// The seed `case` runs on: the one set for all, or its own.
    pub(super) fn case_seed(&self, case: &Case) -> u64 {
        self.shared
            .seed
            .unwrap_or(case.loaded.scenario.scenario.seed)
    }

    /// The probes of `case` counted over its runs `runs`, in its
    /// `worlds_count` worlds, progress counted from `done_before`.
    pub(super) fn count_case(
        &self,
        case: &Case,
        worlds_count: u64,
        runs: Range<u64>,
        threads: usize,
        done_before: u64,
    ) -> Result<ProbeCounts> {
        let seed = self.case_seed(case);
        let worlds = Worlds::draw(&case.loaded, seed, worlds_count)?;
        let control = &self.shared.control;
        count_probes(
            &worlds,
            &case.probes(),
            seed,
            runs,
            threads,
            control.cancel_flag(),
            |done| control.progress(done_before + done),
        )
        .map_err(stopped)
    }

    /// The manifest of a back-test of `cases` on `threads`.
    pub(super) fn manifest(
        &self,
        cases: &[Case],
        threads: usize,
        started_at: SystemTime,
    ) -> Manifest {
        Manifest::start(
            ManifestScenario {
                spec: self.dir.to_string_lossy().to_string(),
                name: "backtest".into(),
                sha256: cases_sha256(cases),
                overrides: Vec::new(),
            },
            self.shared.seed.unwrap_or(0),
            self.runs * cases.len() as u64,
            threads,
            started_at,
        )
    }

    /// Every case scored from its `counted` probes (in the cases' order),
    /// in `worlds_count` worlds, with `manifest`.
    pub(super) fn results(
        &self,
        cases: &[Case],
        counted: &[ProbeCounts],
        worlds_count: u64,
        manifest: Manifest,
    ) -> BacktestResults {
        let results = cases
            .iter()
            .zip(counted)
            .map(|(case, counts)| case_result(case, self.case_seed(case), counts, self.runs))
            .collect();
        let report = score(
            self.dir.to_string_lossy().to_string(),
            self.runs,
            worlds_count,
            results,
        );
        BacktestResults { report, manifest }
    }
}

impl Case {
    /// The probes that forecast the case's recorded outcomes, in order.
    pub(super) fn probes(&self) -> Vec<Probe> {
        self.outcomes
            .iter()
            .map(|(k, o)| probe(k, o.month))
            .collect()
    }
}

/// The probe that forecasts `outcome` at `month`.
fn probe(outcome: &str, month: u32) -> Probe {
    match outcome {
        "agreement" => Probe::AgreementBy(month),
        "ratified" => Probe::RatifiedBy(month),
        "channel_alive" => Probe::AliveAt(month),
        _ => Probe::EscalationBy(month),
    }
}

/// The `*.toml` files of `dir`, sorted by name.
fn case_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::input(
            Diagnostic::new(format!("cannot read the directory of cases: {e}"))
                .origin(dir.display().to_string())
                .help("name a directory of scenario files with [record] tables, e.g. scenarios/backtest"),
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// Every case of `dir` loaded and checked; every problem of every file at
/// once, and nothing run, when any is wrong.
pub(super) fn load_cases(dir: &Path) -> Result<Vec<Case>> {
    let files = case_files(dir)?;
    if files.is_empty() {
        return Err(Error::input(
            Diagnostic::new("no scenario files (*.toml) in the directory of cases")
                .origin(dir.display().to_string())
                .help(
                    "a back-test case is a scenario file with a [record] table (docs/BACKTEST.md)",
                ),
        ));
    }
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        match load_case(&file) {
            Ok(case) => cases.push(case),
            Err(Error::Input(mut diagnostics)) => problems.append(&mut diagnostics),
            Err(other) => return Err(other),
        }
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(Error::Input(problems))
    }
}

fn load_case(file: &Path) -> Result<Case> {
    case_of(file, load(&file.to_string_lossy(), &[])?)
}

/// The case of `file`, `loaded`: refused without a recorded outcome.
pub(super) fn case_of(file: &Path, loaded: LoadedScenario) -> Result<Case> {
    let outcomes: Vec<(&'static str, RecordedOutcome)> = loaded
        .scenario
        .record
        .as_ref()
        .map(|r| {
            r.outcomes()
                .into_iter()
                .map(|(k, o)| (k, o.clone()))
                .collect()
        })
        .unwrap_or_default();
    if outcomes.is_empty() {
        return Err(Error::input(
            Diagnostic::new("a back-test case needs a [record] table with at least one outcome")
                .key("record")
                .origin(file.display().to_string())
                .help(format!(
                    "add what happened, e.g. [record] agreement = {{ happened = true, month = 12, \
                     source = \"...\" }}; outcomes: {}",
                    OUTCOMES.join(", ")
                )),
        ));
    }
    Ok(Case {
        file: file.to_path_buf(),
        loaded,
        outcomes,
    })
}

/// SHA-256 over the cases' own hashes, in file order.
fn cases_sha256(cases: &[Case]) -> String {
    let joined: String = cases.iter().map(|c| c.loaded.sha256.as_str()).collect();
    hex_sha256(joined.as_bytes())
}

/// The highest style the case's mediator uses (at its judged medians).
fn highest_style(loaded: &LoadedScenario) -> Option<MediatorStyle> {
    let weights = loaded.scenario.mediator.as_ref()?.style.weights();
    [
        (MediatorStyle::Manipulation, weights.manipulation),
        (MediatorStyle::Formulation, weights.formulation),
        (MediatorStyle::Facilitation, weights.facilitation),
    ]
    .into_iter()
    .find(|(_, w)| *w > 0.0)
    .map(|(s, _)| s)
}

/// A case's forecasts from its counts, before the base rates (which need
/// every case) are filled in.
fn case_result(case: &Case, seed: u64, counts: &ProbeCounts, runs: u64) -> CaseResult {
    let meta = &case.loaded.scenario.scenario;
    let style = highest_style(&case.loaded);
    let forecasts = case
        .outcomes
        .iter()
        .enumerate()
        .map(|(k, (outcome, recorded))| {
            let p = counts.total_hits(k) as f64 / counts.total_runs().max(1) as f64;
            let worlds: Vec<WorldCount> = counts.hits[k]
                .iter()
                .zip(&counts.runs)
                .map(|(&count, &runs)| WorldCount { count, runs })
                .collect();
            let across = spread(&worlds, &vec![1.0; worlds.len()]);
            let icb_rate = style.and_then(|s| icb_rate(outcome, s));
            Forecast {
                outcome: outcome.to_string(),
                month: recorded.month,
                p,
                p05: across.p05,
                p95: across.p95,
                happened: recorded.happened,
                source: recorded.source.clone(),
                brier: brier(p, recorded.happened),
                log: log_score(p, recorded.happened, runs),
                base_rate: None,
                icb_rate,
            }
        })
        .collect();
    CaseResult {
        file: case.file.to_string_lossy().to_string(),
        name: meta.name.clone(),
        description: meta.description.clone(),
        start: meta.start.clone(),
        seed,
        sha256: case.loaded.sha256.clone(),
        style: style.map(|s| format!("{s:?}").to_lowercase()),
        forecasts,
    }
}

/// ICB's rate for `outcome` among crises of highest style `style`, where
/// ICB codes a counterpart (docs/BACKTEST.md).
fn icb_rate(outcome: &str, style: MediatorStyle) -> Option<f64> {
    let rates = style_rates(style);
    match outcome {
        "agreement" => Some(rates.agreement.p),
        "escalation" => Some(rates.recurrence.p),
        _ => None,
    }
}

/// Fill in the leave-one-out base rates and score everything.
pub(crate) fn score(
    directory: String,
    runs: u64,
    worlds: u64,
    mut cases: Vec<CaseResult>,
) -> BacktestReport {
    fill_base_rates(&mut cases);
    let draws = resamples(cases.len(), RESAMPLES, BOOTSTRAP_SEED);
    let mut scores: Vec<OutcomeScores> = OUTCOMES
        .iter()
        .filter_map(|outcome| outcome_scores(&cases, &draws, Some(outcome)))
        .collect();
    scores.extend(outcome_scores(&cases, &draws, None));
    let pairs: Vec<(f64, bool)> = cases
        .iter()
        .flat_map(|c| c.forecasts.iter().map(|f| (f.p, f.happened)))
        .collect();
    let mut hurt_most: Vec<Hurt> = cases
        .iter()
        .flat_map(|c| {
            c.forecasts.iter().map(|f| Hurt {
                case: c.name.clone(),
                outcome: f.outcome.clone(),
                p: f.p,
                happened: f.happened,
                brier: f.brier,
            })
        })
        .collect();
    hurt_most.sort_by(|a, b| b.brier.total_cmp(&a.brier));
    BacktestReport {
        schema: SCHEMA,
        directory,
        runs,
        worlds,
        bootstrap: BootstrapSettings {
            resamples: RESAMPLES,
            seed: BOOTSTRAP_SEED,
        },
        scores,
        reliability: reliability(&pairs, BINS),
        cases,
        hurt_most,
    }
}

/// Each forecast's base rate: the share of the *other* cases recording the
/// outcome in which it happened (none when no other case records it).
fn fill_base_rates(cases: &mut [CaseResult]) {
    for outcome in OUTCOMES {
        let recorded: Vec<(usize, bool)> = cases
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                c.forecasts
                    .iter()
                    .filter(|f| f.outcome == outcome)
                    .map(move |f| (i, f.happened))
            })
            .collect();
        for (case_index, case) in cases.iter_mut().enumerate() {
            let others: Vec<bool> = recorded
                .iter()
                .filter(|(i, _)| *i != case_index)
                .map(|(_, y)| *y)
                .collect();
            let rate = (!others.is_empty())
                .then(|| others.iter().filter(|y| **y).count() as f64 / others.len() as f64);
            for forecast in case.forecasts.iter_mut().filter(|f| f.outcome == outcome) {
                forecast.base_rate = rate;
            }
        }
    }
}

/// The scores of `outcome` (every outcome when `None`) with bootstrap
/// intervals over `draws` of the cases; `None` when no case records it.
fn outcome_scores(
    cases: &[CaseResult],
    draws: &[Vec<usize>],
    outcome: Option<&str>,
) -> Option<OutcomeScores> {
    let chosen = |f: &&Forecast| outcome.is_none_or(|o| f.outcome == o);
    let all: Vec<&Forecast> = cases
        .iter()
        .flat_map(|c| c.forecasts.iter().filter(chosen))
        .collect();
    if all.is_empty() {
        return None;
    }
    // Sums over the forecasts of the cases `indices` names (with repeats).
    let sum = |indices: &[usize], value: &dyn Fn(&Forecast) -> Option<f64>| -> (f64, usize) {
        indices
            .iter()
            .flat_map(|&i| cases[i].forecasts.iter().filter(chosen))
            .filter_map(value)
            .fold((0.0, 0), |(s, n), v| (s + v, n + 1))
    };
    let mean = |indices: &[usize], value: &dyn Fn(&Forecast) -> Option<f64>| {
        let (s, n) = sum(indices, value);
        (n > 0).then(|| s / n as f64)
    };
    let brier_of = |f: &Forecast| Some(f.brier);
    let log_of = |f: &Forecast| Some(f.log);
    let skill_against = |reference: fn(&Forecast) -> Option<f64>| {
        move |indices: &[usize]| {
            // Only forecasts that have the reference are compared.
            let ours = mean(indices, &|f| reference(f).map(|_| f.brier))?;
            let theirs = mean(indices, &|f| reference(f).map(|r| brier(r, f.happened)))?;
            skill(ours, theirs)
        }
    };
    let base_rate = |f: &Forecast| f.base_rate;
    let icb = |f: &Forecast| f.icb_rate;
    let n = cases.len();
    let everyone: Vec<usize> = (0..n).collect();
    let interval =
        |stat: &dyn Fn(&[usize]) -> Option<f64>| -> Option<Interval> { bootstrap(n, draws, stat) };
    Some(OutcomeScores {
        outcome: outcome.unwrap_or("overall").to_string(),
        forecasts: all.len(),
        happened: all.iter().filter(|f| f.happened).count(),
        brier: interval(&|i| mean(i, &brier_of))?,
        log: interval(&|i| mean(i, &log_of))?,
        brier_base_rate: mean(&everyone, &|f| f.base_rate.map(|r| brier(r, f.happened))),
        skill_vs_base_rate: interval(&skill_against(base_rate)),
        brier_icb: mean(&everyone, &|f| f.icb_rate.map(|r| brier(r, f.happened))),
        skill_vs_icb: interval(&skill_against(icb)),
    })
}
