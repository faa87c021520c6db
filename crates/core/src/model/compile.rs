//! Compiling a validated [`Scenario`] into the flat, index-based [`Model`]
//! the round step reads: ids become indices, mode-dependent defaults are
//! resolved and the mediator's effects are precomputed.

use super::mediator::MediatorEffect;
use super::streams::{Mechanism, StreamLayout};
use crate::scenario::keys::KeyKind;
use crate::scenario::validate::ValidScenario;
use crate::scenario::{Position, Scope, ShockEffect, SpoilerAction, TrustRules};

/// One party, ready for the round step.
#[derive(Debug, Clone)]
pub struct PartyModel {
    pub id: String,
    pub name: String,
    /// `e`: below 1 Boulware, 1 linear, above 1 Conceder.
    pub concession: f64,
    /// `k`
    pub initial_concession: f64,
    /// `T_i`, in rounds.
    pub deadline: f64,
    pub offer_noise: f64,
    pub walkout_hazard: f64,
    pub walkout_rounds: u32,
    pub initial_trust: f64,
    pub audience_cost: f64,
    /// `theta_i` at the start of a run.
    pub threshold: f64,
    pub ratification_noise: f64,
    pub drift: f64,
    pub events: Vec<EventModel>,
    /// `r_ij`, by issue index.
    pub reservation: Vec<f64>,
}

#[derive(Debug, Clone)]
pub struct EventModel {
    pub name: String,
    pub round: u32,
    pub probability: f64,
    pub threshold_shift: f64,
}

#[derive(Debug, Clone)]
pub struct IssueModel {
    pub id: String,
    pub name: String,
    pub comprehensive: bool,
    pub visibility: f64,
}

#[derive(Debug, Clone)]
pub struct SpoilerModel {
    pub id: String,
    pub capability: f64,
    pub pressure: f64,
    pub base_hazard: f64,
    pub max_hazard: f64,
    pub trigger: f64,
    pub sensitivity: f64,
    /// Party indices that pressure falls on.
    pub targets: Vec<usize>,
    pub actions: Vec<SpoilerAction>,
    /// Outside the talks (`position = "outside"`): excluded by a secret
    /// channel, so its revelation provokes it.
    pub excluded: bool,
}

#[derive(Debug, Clone)]
pub struct ShockModel {
    pub id: String,
    pub hazard: f64,
    pub effect: ShockEffect,
    pub duration: u32,
    pub trust_delta: f64,
}

/// A scenario compiled for simulation.
#[derive(Debug, Clone)]
pub struct Model {
    pub horizon: u32,
    pub parties: Vec<PartyModel>,
    pub issues: Vec<IssueModel>,
    pub spoilers: Vec<SpoilerModel>,
    pub shocks: Vec<ShockModel>,
    /// `format.leak_hazard * format.exposure`
    pub leak_probability: f64,
    pub confirm_rounds: u32,
    pub mediator: MediatorEffect,
    pub trust: TrustRules,
    /// Issues whose ratification concludes the track (the comprehensive
    /// ones, or every issue when there are none).
    pub concluding_issues: Vec<usize>,
    /// Both parties' reservations on each issue while their trust is
    /// still the initial one ([`super::offers::reservation`] at
    /// `initial_trust`), so a round need not recompute them.
    pub initial_reservations: Vec<[f64; 2]>,
    /// Both parties' conceded share in each round `0..=horizon` while
    /// their trust is still the initial one ([`super::offers::conceded`]
    /// at `initial_trust`): the concession curve's power, computed once
    /// per world instead of every round of every run.
    pub initial_concessions: Vec<[f64; 2]>,
    pub streams: StreamLayout,
}

impl Model {
    /// Compile a scenario that has passed validation.
    pub fn new(scenario: &ValidScenario) -> Model {
        let issues: Vec<IssueModel> = scenario
            .issues
            .iter()
            .map(|i| IssueModel {
                id: i.id.clone(),
                name: i.name.clone().unwrap_or_else(|| i.id.clone()),
                comprehensive: i.scope == Scope::Comprehensive,
                visibility: i.visibility,
            })
            .collect();
        let horizon = scenario.scenario.horizon;
        let parties: Vec<PartyModel> = scenario
            .parties
            .iter()
            .map(|p| PartyModel {
                id: p.id.clone(),
                name: p.name.clone().unwrap_or_else(|| p.id.clone()),
                concession: p.concession,
                initial_concession: p.initial_concession,
                deadline: f64::from(p.deadline.unwrap_or(horizon)),
                offer_noise: p.offer_noise,
                walkout_hazard: p.walkout_hazard,
                walkout_rounds: p.walkout_rounds,
                initial_trust: p.initial_trust,
                audience_cost: p.audience_cost,
                threshold: p.domestic.threshold,
                ratification_noise: p.domestic.noise,
                drift: p.domestic.drift,
                events: p
                    .domestic
                    .events
                    .iter()
                    .map(|e| EventModel {
                        name: e.name.clone(),
                        round: e.round,
                        probability: e.probability,
                        threshold_shift: e.threshold_shift,
                    })
                    .collect(),
                reservation: issues.iter().map(|i| p.issues[&i.id].reservation).collect(),
            })
            .collect();
        let party_index = |id: &str| {
            parties
                .iter()
                .position(|p| p.id == id)
                .expect("a ValidScenario names only parties it has")
        };
        let spoilers = scenario
            .spoilers
            .iter()
            .map(|s| SpoilerModel {
                id: s.id.clone(),
                capability: s.capability,
                pressure: s.pressure,
                base_hazard: s.base_hazard,
                max_hazard: s.max_hazard,
                trigger: s.trigger,
                sensitivity: s.sensitivity,
                targets: if s.targets.is_empty() {
                    (0..parties.len()).collect()
                } else {
                    s.targets.iter().map(|t| party_index(t)).collect()
                },
                actions: s.actions(),
                excluded: s.position == Position::Outside,
            })
            .collect();
        let shocks = scenario
            .shocks
            .iter()
            .map(|s| ShockModel {
                id: s.id.clone(),
                hazard: s.hazard,
                effect: s.effect,
                duration: s.duration,
                trust_delta: s.trust_delta,
            })
            .collect();
        let mut concluding_issues: Vec<usize> = (0..issues.len())
            .filter(|&j| issues[j].comprehensive)
            .collect();
        if concluding_issues.is_empty() {
            concluding_issues = (0..issues.len()).collect();
        }
        let mut model = Model {
            horizon,
            parties,
            issues,
            spoilers,
            shocks,
            leak_probability: scenario.format.leak_hazard * scenario.format.exposure(),
            confirm_rounds: scenario.format.confirm_rounds(),
            mediator: MediatorEffect::new(
                scenario.format.mode,
                scenario.format.exposure(),
                scenario.mediator.as_ref(),
            ),
            trust: scenario.trust.clone(),
            concluding_issues,
            initial_reservations: Vec::new(),
            initial_concessions: Vec::new(),
            streams: StreamLayout::default(),
        };
        model.initial_reservations = model.reservations_at_initial_trust();
        model.initial_concessions = model.concessions_at_initial_trust();
        model.streams = model.layout();
        model
    }

    /// [`Model::initial_reservations`].
    fn reservations_at_initial_trust(&self) -> Vec<[f64; 2]> {
        (0..self.issues.len())
            .map(|j| {
                [0, 1].map(|i| {
                    let party = &self.parties[i];
                    super::offers::reservation(self, party, j, party.initial_trust)
                })
            })
            .collect()
    }

    /// [`Model::initial_concessions`].
    fn concessions_at_initial_trust(&self) -> Vec<[f64; 2]> {
        (0..=self.horizon)
            .map(|t| {
                [0, 1].map(|i| {
                    let party = &self.parties[i];
                    super::offers::conceded(self, party, party.initial_trust, t)
                })
            })
            .collect()
    }

    /// One stream per mechanism and entity, keyed by ids (never by position)
    /// so adding an entity leaves every other entity's draws untouched.
    fn layout(&self) -> StreamLayout {
        let mut layout = StreamLayout::default();
        for party in &self.parties {
            let events = (0..party.events.len())
                .map(|e| layout.add(Mechanism::DomesticEvent, format!("{}/{e}", party.id)))
                .collect();
            layout.domestic_events.push(events);
            let drift = layout.add(Mechanism::Drift, party.id.clone());
            layout.drift.push(drift);
            let walkout = layout.add(Mechanism::Walkout, party.id.clone());
            layout.walkout.push(walkout);
            let per_issue = |layout: &mut StreamLayout, mechanism| {
                self.issues
                    .iter()
                    .map(|issue| layout.add(mechanism, format!("{}/{}", party.id, issue.id)))
                    .collect()
            };
            let offers = per_issue(&mut layout, Mechanism::Offer);
            layout.offers.push(offers);
            let ratification = per_issue(&mut layout, Mechanism::Ratification);
            layout.ratification.push(ratification);
        }
        layout.shocks = self
            .shocks
            .iter()
            .map(|s| layout.add(Mechanism::Shock, s.id.clone()))
            .collect();
        layout.containment = self
            .shocks
            .iter()
            .map(|s| layout.add(Mechanism::Containment, s.id.clone()))
            .collect();
        layout.spoilers = self
            .spoilers
            .iter()
            .map(|s| layout.add(Mechanism::Spoiler, s.id.clone()))
            .collect();
        layout.leak = layout.add(Mechanism::Leak, String::new());
        layout.relapse = layout.add(Mechanism::Relapse, String::new());
        layout
    }

    /// Causes a run's break can have, in output order: every shock that
    /// breaks or escalates, then every spoiler that can strike.
    pub fn possible_causes(&self) -> Vec<super::Cause> {
        let shocks = (0..self.shocks.len())
            .filter(|&i| self.shocks[i].effect.breaks())
            .map(super::Cause::Shock);
        let spoilers = (0..self.spoilers.len())
            .filter(|&i| self.spoilers[i].actions.contains(&SpoilerAction::Strike))
            .map(super::Cause::Spoiler);
        shocks.chain(spoilers).collect()
    }

    /// The output name of a cause: `shock:<id>` or `spoiler:<id>`.
    pub fn cause_name(&self, cause: super::Cause) -> String {
        match cause {
            super::Cause::Shock(i) => KeyKind::Shock.key(&self.shocks[i].id),
            super::Cause::Spoiler(i) => KeyKind::Spoiler.key(&self.spoilers[i].id),
        }
    }
}
