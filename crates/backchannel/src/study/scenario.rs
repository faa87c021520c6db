//! A scenario ready to study, and news to condition it on.

use crate::error::{Error, Result};
use crate::scenario::load::{LoadedScenario, load, load_text, load_variant, parse_overrides};
use crate::scenario::observations::{self, load_observations, parse_observations};
use crate::scenario::overrides::{Override, SetValue};
use crate::stats::Distribution;

/// A scenario file parsed, changed by any `KEY=VALUE` values and checked:
/// every study starts from one. Bad input is an [`Error::Input`] whose
/// diagnostics locate each problem (file, line, column, key, help).
///
/// [`Error::Input`]: crate::Error::Input
#[derive(Debug, Clone)]
pub struct Scenario {
    pub(crate) loaded: LoadedScenario,
}

impl Scenario {
    /// Load `spec`: a path to a scenario file, or the name of an embedded
    /// scenario (`backchannel scenarios` lists them).
    pub fn load(spec: &str) -> Result<Scenario> {
        Ok(Scenario {
            loaded: load(spec, &[])?,
        })
    }

    /// Load a variant: `spec` as for [`Scenario::load`], optionally followed
    /// by `:KEY=VALUE` values (`muscat-2026:format.mode=direct`), as
    /// `compare` names its scenarios. Results label it with `spec`.
    pub fn load_variant(spec: &str) -> Result<Scenario> {
        Ok(Scenario {
            loaded: load_variant(spec)?,
        })
    }

    /// Load a scenario from its TOML text; `origin` names it in messages
    /// (e.g. a notebook cell).
    pub fn from_toml(text: &str, origin: &str) -> Result<Scenario> {
        Ok(Scenario {
            loaded: load_text(origin, origin, text, &[])?,
        })
    }

    /// This scenario with `KEY=VALUE` values set, with the same keys and
    /// checks as the command line's `--set` (a value may be a distribution,
    /// `KEY={uniform=[0.2, 0.6]}`).
    pub fn with_values<S: AsRef<str>>(&self, sets: &[S]) -> Result<Scenario> {
        let sets: Vec<String> = sets.iter().map(|s| s.as_ref().to_string()).collect();
        self.with_overrides(parse_overrides(&sets)?)
    }

    /// This scenario with each key set to its typed value: what
    /// [`Scenario::with_values`] does with the `KEY=VALUE` argument that
    /// names the value (`SetValue`'s `Display`), with the same text,
    /// SHA-256 and results, and no text formatted to be parsed again.
    ///
    /// ```
    /// use backchannel::{Scenario, SetValue};
    /// let s = Scenario::load("muscat-2026")?;
    /// let typed = s.with_typed_values(&[("format.mode", SetValue::Text("direct".into()))])?;
    /// let written = s.with_values(&["format.mode=direct"])?;
    /// assert_eq!(typed.sha256(), written.sha256());
    /// assert_eq!(typed.display_name(), written.display_name());
    /// # Ok::<(), backchannel::Error>(())
    /// ```
    pub fn with_typed_values<K: AsRef<str>>(&self, values: &[(K, SetValue)]) -> Result<Scenario> {
        let (typed, refused): (Vec<_>, Vec<_>) = values
            .iter()
            .map(|(key, value)| Override::typed(key.as_ref(), value))
            .partition(std::result::Result::is_ok);
        if !refused.is_empty() {
            return Err(Error::Input(
                refused
                    .into_iter()
                    .filter_map(std::result::Result::err)
                    .collect(),
            ));
        }
        self.with_overrides(
            typed
                .into_iter()
                .filter_map(std::result::Result::ok)
                .collect(),
        )
    }

    /// This scenario loaded again from its file with `more` overrides
    /// after those already set: each is applied by `--set`'s one function.
    fn with_overrides(&self, more: Vec<Override>) -> Result<Scenario> {
        let mut overrides = parse_overrides(&self.loaded.overrides)?;
        overrides.extend(more);
        let original = &self.loaded.original;
        Ok(Scenario {
            loaded: load_text(
                &self.loaded.spec,
                &original.origin,
                &original.text,
                &overrides,
            )?,
        })
    }

    /// The `KEY=VALUE` values set on this scenario, in order, as results
    /// name them (typed values written as `--set` takes them).
    pub fn values_set(&self) -> &[String] {
        &self.loaded.overrides
    }

    /// The scenario as written and validated, at its judged inputs'
    /// medians: `backchannel-core`'s types, for what a caller checks or
    /// shows of it (e.g. its warnings, `scenario::validate::warnings`).
    pub fn definition(&self) -> &backchannel_core::scenario::types::Scenario {
        &self.loaded.scenario
    }

    /// The scenario's name (its `[scenario] name`).
    pub fn name(&self) -> &str {
        &self.loaded.scenario.scenario.name
    }

    /// How results name the study: the name, and the values set on it.
    pub fn display_name(&self) -> String {
        self.loaded.display_name()
    }

    /// The TOML text studied: the file after every value set.
    pub fn toml(&self) -> &str {
        &self.loaded.source.text
    }

    /// Hex SHA-256 of [`Scenario::toml`], as results record it.
    pub fn sha256(&self) -> &str {
        &self.loaded.sha256
    }

    /// The keys written as distributions (judged inputs), in file order.
    pub fn judged_keys(&self) -> Vec<&str> {
        self.loaded.judged.iter().map(|j| j.key.as_str()).collect()
    }

    /// The judged inputs: each key written as a distribution, with that
    /// distribution, in file order. For tools that draw the inputs
    /// themselves (EMA Workbench, SALib) and set them with
    /// [`Scenario::with_values`].
    pub fn judged_inputs(&self) -> Vec<JudgedInput<'_>> {
        self.loaded
            .judged
            .iter()
            .map(|j| JudgedInput {
                key: &j.key,
                distribution: &j.distribution,
            })
            .collect()
    }

    /// The scenario's own seed (`[scenario] seed`): what a study uses
    /// unless told otherwise.
    pub fn default_seed(&self) -> u64 {
        self.loaded.scenario.scenario.seed
    }

    /// The scenario's own number of runs (`[scenario] runs`): what a study
    /// runs unless told otherwise.
    pub fn default_runs(&self) -> u64 {
        self.loaded.scenario.scenario.runs
    }
}

/// One judged input of a [`Scenario`]: a key written as a distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct JudgedInput<'a> {
    /// The key, as `--set` names it (`spoilers.israel.capability`).
    pub key: &'a str,
    /// The distribution written at that key.
    pub distribution: &'a Distribution,
}

/// What was observed of the talks so far (docs/SCENARIO.md, "Observations"),
/// checked against a scenario: a study given them keeps only the runs
/// consistent with them.
#[derive(Debug, Clone)]
pub struct Observations {
    pub(crate) observations: observations::Observations,
}

impl Observations {
    /// Read an observations file and check it against `scenario`.
    pub fn load(path: &str, scenario: &Scenario) -> Result<Observations> {
        Ok(Observations {
            observations: load_observations(path, &scenario.loaded.scenario)?,
        })
    }

    /// Parse observations from their TOML text (`[[observed]]` tables);
    /// `origin` names it in messages.
    pub fn from_toml(text: &str, origin: &str, scenario: &Scenario) -> Result<Observations> {
        Ok(Observations {
            observations: parse_observations(origin, text, &scenario.loaded.scenario)?,
        })
    }

    /// Each observation in words (`round 2: channel active`).
    pub fn facts(&self) -> Vec<&str> {
        self.observations
            .items
            .iter()
            .map(|o| o.text.as_str())
            .collect()
    }

    /// Hex SHA-256 of the observations' text, as results record it.
    pub fn sha256(&self) -> &str {
        &self.observations.sha256
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judged_inputs_name_their_keys_and_distributions() {
        let plain = Scenario::load("minimal").unwrap();
        assert!(plain.judged_inputs().is_empty());
        let key = "parties.a.domestic.threshold";
        let judged = plain
            .with_values(&[format!("{key}={{triangular=[0.3, 0.4, 0.5]}}")])
            .unwrap();
        assert_eq!(
            judged.judged_inputs(),
            vec![JudgedInput {
                key,
                distribution: &Distribution::Triangular {
                    lo: 0.3,
                    mode: 0.4,
                    hi: 0.5
                }
            }]
        );
        assert_eq!(judged.judged_keys(), vec![key]);
    }
}
