//! The scenario file's schema: one Rust type per TOML table, with the
//! defaults of `docs/SCENARIO.md`. Key names are a contract (docs/SCENARIO.md).
//!
//! Every random mechanism defaults to off (hazards, noises and drift 0), so a
//! minimal file is deterministic. Range and cross-reference checks live in
//! [`super::validate`]; this module only says what may be written.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A whole scenario file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub scenario: Meta,
    #[serde(default)]
    pub format: Format,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mediator: Option<Mediator>,
    #[serde(default)]
    pub trust: TrustRules,
    pub issues: Vec<Issue>,
    pub parties: Vec<Party>,
    #[serde(default)]
    pub spoilers: Vec<Spoiler>,
    #[serde(default)]
    pub shocks: Vec<Shock>,
    /// `[record]`: what happened on a historical track, for the back-test
    /// (docs/BACKTEST.md). The model never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Record>,
}

/// `[record]`: the outcomes a historical track had, each judged by a month
/// of the scenario's clock. Only `backtest` reads it; a run ignores it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// A formal agreement on at least one issue by `month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<RecordedOutcome>,
    /// An agreement ratified, or in force, by `month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratified: Option<RecordedOutcome>,
    /// The channel not broken at the end of `month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_alive: Option<RecordedOutcome>,
    /// Violence between the principals escalated by `month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<RecordedOutcome>,
}

impl Record {
    /// The outcomes recorded, in the order above, with their keys.
    pub fn outcomes(&self) -> Vec<(&'static str, &RecordedOutcome)> {
        [
            ("agreement", &self.agreement),
            ("ratified", &self.ratified),
            ("channel_alive", &self.channel_alive),
            ("escalation", &self.escalation),
        ]
        .into_iter()
        .filter_map(|(key, outcome)| outcome.as_ref().map(|o| (key, o)))
        .collect()
    }
}

/// One recorded outcome: whether it happened by the end of round `month`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordedOutcome {
    pub happened: bool,
    /// The round (1 – horizon) by whose end the outcome is judged.
    #[schemars(range(min = 1, max = 1000))]
    pub month: u32,
    /// Where the fact comes from, with its date.
    #[serde(default)]
    pub source: String,
}

/// `[scenario]`: name, horizon and the study's default size.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    #[schemars(regex(pattern = r"^[a-z0-9-]+$"))]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "defaults::horizon")]
    #[schemars(range(min = 1, max = 1000))]
    pub horizon: u32,
    #[serde(default = "defaults::round_label")]
    pub round_label: String,
    /// The month round 1 starts in, `"YYYY-MM"` (e.g. `"2026-02"`): charts
    /// then label rounds with dates. Absent: rounds are only numbered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}$"))]
    pub start: Option<String>,
    /// Months per round, for the dates of `start`.
    #[serde(default = "defaults::one_u32")]
    #[schemars(range(min = 1, max = 120))]
    pub round_months: u32,
    #[serde(default = "defaults::seed")]
    pub seed: u64,
    #[serde(default = "defaults::runs")]
    #[schemars(range(min = 1, max = 1_000_000_000_000u64))]
    pub runs: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Indirect,
    Direct,
}

/// `[format]`: how the parties meet.
///
/// `exposure` and `confirm_rounds` depend on the mode. They are best written
/// per mode, in `[format.indirect]` and `[format.direct]`, so that switching
/// `mode` switches what it implies; a key a table leaves out takes the mode's
/// default. A flat `format.exposure` (or `format.confirm_rounds`) still
/// holds, for whichever mode is chosen; setting a key both flat and in a
/// mode's table is refused as ambiguous.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Format {
    #[serde(default = "defaults::mode")]
    pub mode: Mode,
    /// For either mode; default depends on the mode: see [`Format::exposure`].
    #[serde(default, rename = "exposure", skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub exposure_set: Option<f64>,
    /// For either mode; default depends on the mode: see [`Format::confirm_rounds`].
    #[serde(
        default,
        rename = "confirm_rounds",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(range(min = 0, max = 1000))]
    pub confirm_rounds_set: Option<u32>,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub leak_hazard: f64,
    /// `[format.indirect]`: the mode-dependent values that apply when the
    /// mode is indirect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indirect: Option<ModeValues>,
    /// `[format.direct]`: the mode-dependent values that apply when the mode
    /// is direct.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct: Option<ModeValues>,
}

/// `[format.indirect]` / `[format.direct]`: the values that depend on the
/// mode; only the chosen mode's table applies.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModeValues {
    /// Default: 0.35 indirect, 1.0 direct.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub exposure: Option<f64>,
    /// Default: 1 indirect, 0 direct.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1000))]
    pub confirm_rounds: Option<u32>,
}

impl Default for Format {
    fn default() -> Self {
        Format {
            mode: defaults::mode(),
            exposure_set: None,
            confirm_rounds_set: None,
            leak_hazard: 0.0,
            indirect: None,
            direct: None,
        }
    }
}

impl Meta {
    /// The dates of the rounds, when the scenario gives `start` (and it is
    /// valid: validation reports it otherwise).
    pub fn calendar(&self) -> Option<super::calendar::Calendar> {
        let start = super::calendar::YearMonth::parse(self.start.as_deref()?).ok()?;
        Some(super::calendar::Calendar {
            start,
            months_per_round: self.round_months,
        })
    }
}

impl Format {
    /// The table of `mode`'s values, if the file has one.
    pub fn values_for(&self, mode: Mode) -> Option<&ModeValues> {
        match mode {
            Mode::Indirect => self.indirect.as_ref(),
            Mode::Direct => self.direct.as_ref(),
        }
    }

    /// Share of the talks the public sees: a flat `exposure`, else the
    /// chosen mode's table, else 0.35 indirect, 1.0 direct.
    pub fn exposure(&self) -> f64 {
        self.exposure_set
            .or_else(|| self.values_for(self.mode).and_then(|v| v.exposure))
            .unwrap_or(match self.mode {
                Mode::Indirect => 0.35,
                Mode::Direct => 1.0,
            })
    }

    /// Rounds between agreement and sealing: a flat `confirm_rounds`, else
    /// the chosen mode's table, else 1 indirect, 0 direct.
    pub fn confirm_rounds(&self) -> u32 {
        self.confirm_rounds_set
            .or_else(|| self.values_for(self.mode).and_then(|v| v.confirm_rounds))
            .unwrap_or(match self.mode {
                Mode::Indirect => 1,
                Mode::Direct => 0,
            })
    }
}

/// One of Beardsley et al.'s (2006) three mediation styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MediatorStyle {
    Facilitation,
    Formulation,
    Manipulation,
}

/// How much of each style a mediator uses, each in [0, 1] (a mediator may
/// mix them: Beardsley et al. 2006). A style left out is not used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StyleWeights {
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub facilitation: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub formulation: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub manipulation: f64,
}

/// `mediator.style`: one style by name (weight 1, the others 0), or a
/// table of weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Style {
    One(MediatorStyle),
    Mixed(StyleWeights),
}

impl<'de> Deserialize<'de> for Style {
    /// Either form; a value that is neither gets one message naming both
    /// (serde's untagged error names neither).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Style, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            One(MediatorStyle),
            Mixed(StyleWeights),
        }
        match Either::deserialize(deserializer) {
            Ok(Either::One(style)) => Ok(Style::One(style)),
            Ok(Either::Mixed(weights)) => Ok(Style::Mixed(weights)),
            Err(_) => Err(serde::de::Error::custom(
                "expected \"facilitation\", \"formulation\", \"manipulation\" or a table of weights in [0, 1] with keys facilitation, formulation, manipulation",
            )),
        }
    }
}

impl Style {
    /// The weight of each style.
    pub fn weights(&self) -> StyleWeights {
        match *self {
            Style::Mixed(weights) => weights,
            Style::One(style) => {
                let on = |s: MediatorStyle| if s == style { 1.0 } else { 0.0 };
                StyleWeights {
                    facilitation: on(MediatorStyle::Facilitation),
                    formulation: on(MediatorStyle::Formulation),
                    manipulation: on(MediatorStyle::Manipulation),
                }
            }
        }
    }
}

/// `[mediator]`: required when the mode is indirect, ignored when direct.
/// Every lever is scaled by `credibility` and by its style's weight
/// (docs/MODEL.md, "The mediator").
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mediator {
    #[serde(default = "defaults::mediator_name")]
    pub name: String,
    #[serde(default = "defaults::half")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub credibility: f64,
    #[serde(default = "defaults::mediator_style")]
    pub style: Style,
    /// Facilitation: share of walkouts a fully credible facilitator prevents.
    #[serde(default = "defaults::half")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub facilitation_strength: f64,
    /// Facilitation: probability that a fully credible facilitator keeps a
    /// breaking shock from ending the channel.
    #[serde(default = "defaults::crisis_management")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub crisis_management: f64,
    /// Facilitation: share of the parties' misperception (offer noise,
    /// demands beyond what the other side can give) a fully credible
    /// facilitator removes.
    #[serde(default = "defaults::information")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub information: f64,
    /// Formulation: the largest gap a fully credible formulator bridges.
    #[serde(default = "defaults::bridge")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub bridge: f64,
    /// Formulation: how much faster a fully credible formulator's focal
    /// point makes the parties concede (time runs `1 + focal_point` times
    /// as fast).
    #[serde(default = "defaults::focal_point")]
    #[schemars(range(min = 0.0, max = 10.0))]
    pub focal_point: f64,
    /// Manipulation: how far a fully credible manipulator's leverage lowers
    /// every reservation, and the share of walkouts it deters.
    #[serde(default = "defaults::leverage")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub leverage: f64,
    /// Manipulation: the hazard per round, after a ratified agreement, that
    /// a fully credible manipulator's deal relapses into crisis.
    #[serde(default = "defaults::durability_cost")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub durability_cost: f64,
    /// Secrecy: the share of the unexposed part of the domestic hurdle an
    /// unrevealed channel spares the parties.
    #[serde(default = "defaults::half")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub secrecy: f64,
    /// Secrecy: after a revelation, every outside (excluded) spoiler's
    /// activation probability is multiplied by `1 + revelation_boost`.
    #[serde(default = "defaults::revelation_boost")]
    #[schemars(range(min = 0.0, max = 10.0))]
    pub revelation_boost: f64,
}

/// `[trust]`: how events move each party's trust. All effects default to 0.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustRules {
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub gain_per_agreement: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub loss_per_incident: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub loss_per_rejection: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 10.0))]
    pub concession_boost: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub reservation_relief: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Narrow,
    Comprehensive,
}

/// `[[issues]]`: one item on the table.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    #[schemars(regex(pattern = r"^[A-Za-z0-9_-]+$"))]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default = "defaults::scope")]
    pub scope: Scope,
    #[serde(default = "defaults::one")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub visibility: f64,
}

/// `[[parties]]`: a principal negotiating party.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[schemars(regex(pattern = r"^[A-Za-z0-9_-]+$"))]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default = "defaults::one")]
    #[schemars(range(min = 0.01, max = 100.0))]
    pub concession: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub initial_concession: f64,
    /// Defaults to the scenario's horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10000))]
    pub deadline: Option<u32>,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub offer_noise: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub walkout_hazard: f64,
    #[serde(default = "defaults::walkout_rounds")]
    #[schemars(range(min = 1, max = 1000))]
    pub walkout_rounds: u32,
    #[serde(default = "defaults::half")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub initial_trust: f64,
    #[serde(default)]
    #[schemars(range(min = -1.0, max = 1.0))]
    pub audience_cost: f64,
    #[serde(default)]
    pub domestic: Domestic,
    /// One table per issue id: `[parties.issues.<issue id>]`. Missing tables
    /// are reported by validation, naming the issue.
    #[serde(default)]
    pub issues: std::collections::BTreeMap<String, PartyIssue>,
}

/// `[parties.domestic]`: the party's ratifiers.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domestic {
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub threshold: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub noise: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub drift: f64,
    #[serde(default)]
    pub events: Vec<DomesticEvent>,
}

/// `[[parties.domestic.events]]`: a scheduled domestic event (an election).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DomesticEvent {
    #[serde(default)]
    pub name: String,
    #[schemars(range(min = 1, max = 1000))]
    pub round: u32,
    #[serde(default = "defaults::one")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub probability: f64,
    #[schemars(range(min = -1.0, max = 1.0))]
    pub threshold_shift: f64,
}

/// `[parties.issues.<id>]`: the party's position on one issue.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyIssue {
    #[schemars(range(min = 0.0, max = 1.0))]
    pub reservation: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SpoilerKind {
    Limited,
    Greedy,
    Total,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    Inside,
    Outside,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SpoilerAction {
    Pressure,
    Leak,
    Incident,
    Strike,
}

impl SpoilerAction {
    pub fn as_str(self) -> &'static str {
        match self {
            SpoilerAction::Pressure => "pressure",
            SpoilerAction::Leak => "leak",
            SpoilerAction::Incident => "incident",
            SpoilerAction::Strike => "strike",
        }
    }
}

impl SpoilerKind {
    /// Stedman's typology read as repertoires: a limited spoiler lobbies, a
    /// greedy one also leaks, a total one will use force.
    pub fn default_actions(self) -> Vec<SpoilerAction> {
        use SpoilerAction::*;
        match self {
            SpoilerKind::Limited => vec![Pressure],
            SpoilerKind::Greedy => vec![Pressure, Leak],
            SpoilerKind::Total => vec![Pressure, Leak, Incident, Strike],
        }
    }
}

/// `[[spoilers]]`: a regional or domestic actor who tries to derail progress.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spoiler {
    #[schemars(regex(pattern = r"^[A-Za-z0-9_-]+$"))]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default = "defaults::spoiler_kind")]
    pub kind: SpoilerKind,
    #[serde(default = "defaults::position")]
    pub position: Position,
    /// Party ids pressure falls on; empty means every party.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Defaults by kind: see [`SpoilerKind::default_actions`].
    #[serde(default, rename = "actions", skip_serializing_if = "Option::is_none")]
    pub actions_set: Option<Vec<SpoilerAction>>,
    #[serde(default = "defaults::one")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub capability: f64,
    #[serde(default = "defaults::pressure")]
    #[schemars(range(min = -1.0, max = 1.0))]
    pub pressure: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub base_hazard: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub max_hazard: f64,
    #[serde(default = "defaults::half")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub trigger: f64,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1000.0))]
    pub sensitivity: f64,
}

impl Spoiler {
    pub fn actions(&self) -> Vec<SpoilerAction> {
        self.actions_set
            .clone()
            .unwrap_or_else(|| self.kind.default_actions())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ShockEffect {
    Suspend,
    Break,
    Escalate,
    Trust,
}

impl ShockEffect {
    /// Whether this effect can end the channel (and so be a cause of a break).
    pub fn breaks(self) -> bool {
        matches!(self, ShockEffect::Break | ShockEffect::Escalate)
    }
}

/// `[[shocks]]`: an exogenous event that may hit in any round.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shock {
    #[schemars(regex(pattern = r"^[A-Za-z0-9_-]+$"))]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub hazard: f64,
    pub effect: ShockEffect,
    #[serde(default = "defaults::duration")]
    #[schemars(range(min = 1, max = 1000))]
    pub duration: u32,
    #[serde(default)]
    #[schemars(range(min = -1.0, max = 1.0))]
    pub trust_delta: f64,
}

/// Default values, one function each so serde can name them.
pub(crate) mod defaults {
    use super::*;
    pub fn horizon() -> u32 {
        12
    }
    pub fn round_label() -> String {
        "round".into()
    }
    pub fn one_u32() -> u32 {
        1
    }
    pub fn seed() -> u64 {
        1
    }
    pub fn runs() -> u64 {
        100_000
    }
    pub fn mode() -> Mode {
        Mode::Direct
    }
    pub fn mediator_name() -> String {
        "mediator".into()
    }
    pub fn mediator_style() -> Style {
        Style::One(MediatorStyle::Facilitation)
    }
    // The next three are the ICB v15 calibration's posterior medians
    // (calibrations/icb-mediation/calibration.json, two significant
    // digits): the mediator's parameters that calibration informs
    // (docs/MODEL.md, "Defaults and their reasons").
    pub fn crisis_management() -> f64 {
        0.42
    }
    pub fn leverage() -> f64 {
        0.39
    }
    pub fn durability_cost() -> f64 {
        0.066
    }
    pub fn information() -> f64 {
        0.3
    }
    pub fn focal_point() -> f64 {
        0.25
    }
    pub fn revelation_boost() -> f64 {
        0.5
    }
    pub fn half() -> f64 {
        0.5
    }
    pub fn one() -> f64 {
        1.0
    }
    pub fn bridge() -> f64 {
        0.1
    }
    pub fn scope() -> Scope {
        Scope::Narrow
    }
    pub fn walkout_rounds() -> u32 {
        1
    }
    pub fn spoiler_kind() -> SpoilerKind {
        SpoilerKind::Limited
    }
    pub fn position() -> Position {
        Position::Outside
    }
    pub fn pressure() -> f64 {
        0.05
    }
    pub fn duration() -> u32 {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(text: &str) -> Format {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn mode_values_follow_the_mode_and_fall_back_to_its_defaults() {
        let text = "[indirect]\nexposure = 0.2\nconfirm_rounds = 3\n[direct]\nexposure = 0.9\n";
        let indirect = format(&format!("mode = \"indirect\"\n{text}"));
        assert_eq!((indirect.exposure(), indirect.confirm_rounds()), (0.2, 3));
        // [format.direct] leaves confirm_rounds out: direct talks' default, 0.
        let direct = format(&format!("mode = \"direct\"\n{text}"));
        assert_eq!((direct.exposure(), direct.confirm_rounds()), (0.9, 0));
        // A flat key holds for either mode; a missing one is the mode's default.
        let flat = format("mode = \"direct\"\nexposure = 0.5\n");
        assert_eq!((flat.exposure(), flat.confirm_rounds()), (0.5, 0));
        let none = format("mode = \"indirect\"\n");
        assert_eq!((none.exposure(), none.confirm_rounds()), (0.35, 1));
    }
}
