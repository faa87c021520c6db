//! What each study is, for its output directory: its [`StudyKey`] (the
//! command and every choice that changes its question, in the order the
//! default directory name shows them), the start of that name, and the
//! files it reads, which the directory must not hold. The builders know
//! all three, so the command line only adds `--out` and `--replace`.

use std::path::PathBuf;

use super::{
    CompareMergeResults, Comparison, DesignMergeResults, Discovery, Indicators, MergeResults,
    Method, Observations, Sampling, Scenario, Sensitivity, Study, Sweep,
};
use crate::engine::worlds::DEFAULT_WORLDS;
use crate::output::study_key::StudyKey;

/// Where a study's results go by default, and what they may replace.
pub(crate) struct Identity {
    /// What the study is: two studies with the same key are the same study.
    pub(crate) key: StudyKey,
    /// The start of the default directory's name (`output/<base>-...`).
    pub(crate) base: String,
    /// The files the study reads.
    pub(crate) inputs: Vec<PathBuf>,
}

impl Study<'_> {
    /// A forecast: `run` with its `--set`, `--given`, `--precision`, seed
    /// and worlds.
    pub(crate) fn identity(&self) -> Identity {
        let scenario = self.scenario;
        let spec = scenario.loaded.spec.as_str();
        let key = StudyKey::new("run", &[spec])
            .with_sets(&scenario.loaded.overrides)
            .with_given(given_path(self.given))
            .with_precision(self.precision)
            .with_seed(seed(self.shared.seed, scenario), seed(None, scenario))
            .with_worlds(self.shared.worlds, uncertain(scenario));
        Identity {
            key,
            base: scenario.name().to_string(),
            inputs: input_files([spec], given_path(self.given)),
        }
    }
}

impl Comparison<'_> {
    /// `compare` of its scenarios as named, with `--given`, `--precision`,
    /// seed and worlds.
    pub(crate) fn identity(&self) -> Identity {
        let specs: Vec<&str> = self
            .scenarios
            .iter()
            .map(|s| s.loaded.spec.as_str())
            .collect();
        let baseline = self.scenarios[0];
        let key = StudyKey::new("compare", &specs)
            .with_given(given_path(self.given))
            .with_precision(self.precision)
            .with_seed(seed(self.shared.seed, baseline), seed(None, baseline))
            .with_worlds(
                self.shared.worlds,
                self.scenarios.iter().any(|s| uncertain(s)),
            );
        Identity {
            key,
            base: comparison_name(&specs),
            inputs: input_files(specs.iter().copied(), given_path(self.given)),
        }
    }
}

impl Sweep<'_> {
    /// `sweep` with its `--vary`, `--set`, seed and worlds.
    pub(crate) fn identity(&self) -> Identity {
        design(
            "sweep",
            self.scenario,
            &self.varies,
            self.shared.seed,
            self.shared.worlds,
        )
    }
}

impl Sensitivity<'_> {
    /// `sensitivity --method M` with its `--vary`, `--set`, seed and
    /// worlds.
    pub(crate) fn identity(&self) -> Identity {
        sensitivity_design(
            self.method,
            self.scenario,
            &self.varies,
            self.shared.seed,
            self.shared.worlds,
        )
    }
}

impl Indicators<'_> {
    /// `indicators --at R` with its `--given`, `--set`, seed and worlds.
    pub(crate) fn identity(&self) -> Identity {
        let (scenario, spec) = (self.scenario, self.scenario.loaded.spec.as_str());
        let key = StudyKey::new(&format!("indicators --at {}", self.at), &[spec])
            .with_given(given_path(self.given))
            .with_sets(&scenario.loaded.overrides)
            .with_seed(seed(self.shared.seed, scenario), seed(None, scenario))
            .with_worlds(self.shared.worlds, uncertain(scenario));
        Identity {
            key,
            base: format!("indicators-{}-{}", scenario.name(), self.at),
            inputs: input_files([spec], given_path(self.given)),
        }
    }
}

impl Discovery<'_> {
    /// `discover --outcome O` with its `--set`, seed, case definition,
    /// threshold (and `--below`), step, worlds and sampling.
    pub(crate) fn identity(&self) -> Identity {
        let (scenario, spec) = (self.scenario, self.scenario.loaded.spec.as_str());
        let direction = if self.below { "below-" } else { "" };
        let mut key = StudyKey::new(&format!("discover --outcome {}", self.outcome), &[spec])
            .with_sets(&scenario.loaded.overrides)
            .with_seed(seed(self.shared.seed, scenario), seed(None, scenario));
        if let Some(case) = self.case {
            let bound = if case.op == ">=" {
                "at-least"
            } else {
                "at-most"
            };
            key = key.with(
                "case",
                format!("p{}{}", case.op, case.p),
                format!("p-{bound}-{}", case.p),
            );
        }
        let threshold = format!("{direction}{}", self.threshold);
        key = key.with("threshold", threshold.clone(), threshold);
        if let Some(step) = self.step {
            key = key.with("step", step.to_string(), step.to_string());
        }
        key = key.with_worlds(self.shared.worlds, true);
        // Other worlds are another study; the default keeps the key it had.
        if self.sampling != Sampling::MonteCarlo {
            key = key.with("sampling", self.sampling.name(), self.sampling.name());
        }
        Identity {
            key,
            base: format!("discover-{}-{}", scenario.name(), self.outcome),
            inputs: input_files([spec], None),
        }
    }
}

impl DesignMergeResults {
    /// The sweep or sensitivity analysis the merged shards make up, whose
    /// directory must not hold the `shards` read.
    pub(crate) fn identity(&self, shards: &[String]) -> Identity {
        let scenario = &self.scenario;
        let (varies, seed) = (&self.varies, Some(self.seed));
        let mut identity = match self.method() {
            None => design("sweep", scenario, varies, seed, self.worlds),
            Some(method) => sensitivity_design(method, scenario, varies, seed, self.worlds),
        };
        identity.inputs = shards.iter().map(PathBuf::from).collect();
        identity
    }
}

impl CompareMergeResults {
    /// The comparison the merged shards make up, whose directory must
    /// not hold the `shards` read.
    pub(crate) fn identity(&self, shards: &[String]) -> Identity {
        let compared = self.compared();
        let mut identity = Comparison::new(&compared).seed(self.seed).identity();
        identity.inputs = shards.iter().map(PathBuf::from).collect();
        identity
    }
}

impl MergeResults {
    /// The `run` the merged shards make up, whose directory must not hold
    /// the `shards` read.
    pub(crate) fn identity(&self, shards: &[String]) -> Identity {
        let scenario = &self.scenario;
        let worlds = (self.worlds != DEFAULT_WORLDS).then_some(self.worlds);
        let key = StudyKey::new("run", &[&scenario.loaded.spec])
            .with_sets(&scenario.loaded.overrides)
            .with_seed(self.seed, seed(None, scenario))
            .with_worlds(worlds, self.worlds > 0);
        Identity {
            key,
            base: scenario.name().to_string(),
            inputs: shards.iter().map(PathBuf::from).collect(),
        }
    }
}

/// `sensitivity --method M` on `scenario` with the `--vary` arguments,
/// `--set`, seed and worlds.
fn sensitivity_design(
    method: Method,
    scenario: &Scenario,
    varies: &[String],
    chosen: Option<u64>,
    worlds: Option<u64>,
) -> Identity {
    let method = method.name();
    let command = format!("sensitivity --method {method}");
    let mut identity = design(&command, scenario, varies, chosen, worlds);
    identity.base = format!("sensitivity-{}-{method}", scenario.name());
    identity
}

/// A study over a design of points (`sweep`, `sensitivity`): `command` on
/// `scenario` with the `--vary` arguments, `--set`, seed and worlds. The
/// default worlds keep the key such a study had before it took `--worlds`,
/// and a design over the judged inputs themselves (no `--vary`) has none.
fn design(
    command: &str,
    scenario: &Scenario,
    varies: &[String],
    chosen: Option<u64>,
    worlds: Option<u64>,
) -> Identity {
    let spec = scenario.loaded.spec.as_str();
    let vary = varies.join(",");
    let worlds = worlds.filter(|&w| w != DEFAULT_WORLDS);
    let key = StudyKey::new(command, &[spec])
        .with("vary", vary.clone(), vary)
        .with_sets(&scenario.loaded.overrides)
        .with_seed(seed(chosen, scenario), seed(None, scenario))
        .with_worlds(worlds, !varies.is_empty() && uncertain(scenario));
    Identity {
        key,
        base: format!("{command}-{}", scenario.name()),
        inputs: input_files([spec], None),
    }
}

/// The seed `chosen`, or the scenario's own.
fn seed(chosen: Option<u64>, scenario: &Scenario) -> u64 {
    chosen.unwrap_or(scenario.default_seed())
}

/// Whether `scenario` has judged inputs (only then do worlds matter).
fn uncertain(scenario: &Scenario) -> bool {
    !scenario.loaded.judged.is_empty()
}

/// The path of the observations file, as given.
fn given_path(given: Option<&Observations>) -> Option<&str> {
    given.map(|g| g.observations.path.as_str())
}

/// The files among scenario `specs` and an observations file.
fn input_files<'a>(
    specs: impl IntoIterator<Item = &'a str>,
    given: Option<&'a str>,
) -> Vec<PathBuf> {
    specs
        .into_iter()
        .chain(given)
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect()
}

/// `compare-<a>-vs-<b>...`, from the scenario specs.
fn comparison_name(specs: &[&str]) -> String {
    let slug: String = specs
        .iter()
        .map(|s| {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-vs-");
    let slug: String = slug.chars().take(120).collect();
    format!("compare-{slug}")
}
