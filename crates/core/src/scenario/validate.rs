//! Range and cross-reference checks of a parsed scenario.
//!
//! Every problem in the file is reported in one pass, each addressed by its
//! key path. What a value may be is written here once; `docs/SCENARIO.md`
//! repeats it for readers.

use std::collections::HashSet;

use super::calendar::YearMonth;
use super::keys::reserved_columns;
use super::problem::{KeyPath, Problem, did_you_mean};
use super::types::*;
use crate::error::{VALUES, setting, setting_value};

/// The largest horizon accepted: beyond it a "round" stops meaning a meeting
/// or a month, and per-round tables would grow without purpose.
pub const MAX_HORIZON: u32 = 1000;
/// The largest study accepted (a trillion runs): far past any real study,
/// small enough that counts never overflow a `u64`.
pub const MAX_RUNS: u64 = 1_000_000_000_000;

/// The longest scenario name: it becomes a file and directory name, which
/// file systems limit (often to 255 bytes), and a title on every page.
pub const MAX_NAME_CHARS: usize = 64;

/// What is wrong with a scenario name, if anything.
pub fn name_problem(name: &str) -> Option<String> {
    let slug = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !slug {
        Some(format!(
            "expected a name of lowercase letters, digits and '-', found {name:?}"
        ))
    } else if name.len() > MAX_NAME_CHARS {
        Some(format!(
            "expected a name of at most {MAX_NAME_CHARS} characters, found {}",
            name.len()
        ))
    } else {
        None
    }
}

/// A scenario that passed [`validate`]: the only kind the model compiles.
/// Only [`validated`] makes one, so a [`Model`](crate::model::Model) never
/// meets a dangling reference or a value out of range.
#[derive(Debug, Clone)]
pub struct ValidScenario(Scenario);

impl std::ops::Deref for ValidScenario {
    type Target = Scenario;

    fn deref(&self) -> &Scenario {
        &self.0
    }
}

/// `scenario` once [`validate`] finds no problem in it, or its problems.
pub fn validated(scenario: Scenario) -> Result<ValidScenario, Vec<Problem>> {
    let problems = validate(&scenario);
    if problems.is_empty() {
        Ok(ValidScenario(scenario))
    } else {
        Err(problems)
    }
}

// The count exists only for this project's tests (`internals`): a library
// user's build keeps no state across calls, and `charge` compiles to
// nothing.
#[cfg(any(test, feature = "internals"))]
thread_local! {
    /// The validator's work on this thread: see [`charge`].
    static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Count `steps` of validation work on this thread. Every part of loading
/// and checking a scenario charges the work that grows with its input:
/// each byte parsed, deserialised or copied, each deserialisation retried
/// for a type problem, each node a walk of the document visits, each
/// distribution read, each value and id checked, each lookup of an issue's
/// table. `tests/fuzz_scenarios.rs` bounds the sum by the input's size;
/// a loop over user input added without a charge escapes that bound, so
/// charge it. Counted only in this project's test builds.
#[inline]
pub fn charge(steps: usize) {
    #[cfg(any(test, feature = "internals"))]
    STEPS.with(|s| s.set(s.get().saturating_add(steps as u64)));
    #[cfg(not(any(test, feature = "internals")))]
    let _ = steps;
}

/// The steps [`charge`]d on this thread since the last call (then 0 again).
#[cfg(any(test, feature = "internals"))]
pub fn take_steps() -> u64 {
    STEPS.with(|s| s.replace(0))
}

/// All problems of `scenario`; empty when it is valid.
pub fn validate(scenario: &Scenario) -> Vec<Problem> {
    charge(1);
    let mut check = Checker::default();
    check.meta(&scenario.scenario);
    // Checks against the horizon use a valid one, so a bad horizon is
    // reported once rather than again at every round-valued key.
    let horizon = scenario.scenario.horizon.clamp(1, MAX_HORIZON);
    check.format(&scenario.format, scenario.mediator.as_ref());
    if let Some(mediator) = &scenario.mediator {
        check.mediator(mediator);
    }
    check.trust(&scenario.trust);
    check.issues(&scenario.issues);
    let issue_ids = IssueIds::of(&scenario.issues);
    check.parties(&scenario.parties, &issue_ids, horizon);
    let party_ids: Vec<&str> = scenario.parties.iter().map(|p| p.id.as_str()).collect();
    check.spoilers(&scenario.spoilers, &party_ids);
    check.shocks(&scenario.shocks, horizon);
    if let Some(record) = &scenario.record {
        check.record(record, horizon);
    }
    check.problems
}

/// What is valid but will not do what its author most likely meant: deals
/// that cannot seal within the horizon, issues whose reservations cannot
/// both be met. `validate` prints these and exits 0; `run` prints them
/// before its summary.
pub fn warnings(scenario: &Scenario) -> Vec<Problem> {
    let mut found = Vec::new();
    let horizon = scenario.scenario.horizon;
    let confirm = scenario.format.confirm_rounds();
    let first_deadline = scenario
        .parties
        .iter()
        .map(|p| p.deadline.unwrap_or(horizon))
        .min()
        .unwrap_or(horizon);
    if confirm > 0 && u64::from(first_deadline) + u64::from(confirm) > u64::from(horizon) {
        let latest = horizon.saturating_sub(confirm);
        found.push(
            Problem::new(
                root("parties").child("deadline"),
                format!(
                    "deals reached after round {latest} can never seal, and these talks may \
                     reach theirs only then: no party concedes all before round \
                     {first_deadline} (its deadline; the default is the horizon, {horizon}), \
                     and a text needs {} to be sealed (format.confirm_rounds)",
                    plural_rounds(confirm)
                ),
            )
            .with_help(format!(
                "give a party an earlier deadline (deadline = {latest} or less), or lengthen \
                 the horizon to {}",
                u64::from(first_deadline) + u64::from(confirm)
            )),
        );
    }
    for (index, issue) in scenario.issues.iter().enumerate() {
        charge(1);
        let lowest = lowest_reservations(scenario, &issue.id);
        if lowest > 1.0 + bridgeable_gap(scenario) {
            found.push(
                Problem::new(
                    root("issues").element(index, Some(&issue.id)),
                    format!(
                        "{:?} can never be agreed: the parties' reservations sum to more than 1 \
                         ({} even at full trust and with the mediator's leverage and bridging), \
                         so no split gives each its least acceptable share",
                        issue.id,
                        crate::stats::significant(lowest, 3)
                    ),
                )
                .with_help(
                    "lower the parties' reservations on this issue so that they sum to 1 or less",
                ),
            );
        }
    }
    found
}

/// The least the two parties' reservations on `issue` can sum to in a run
/// (docs/MODEL.md, step 8): each lowered by the trust relief at full trust
/// and by the mediator's whole leverage (bounds: the model scales leverage
/// by credibility and style).
fn lowest_reservations(scenario: &Scenario, issue: &str) -> f64 {
    let leverage = mediation(scenario).map_or(0.0, |m| m.leverage);
    let relief = scenario.trust.reservation_relief;
    scenario
        .parties
        .iter()
        .filter_map(|p| {
            let reservation = p.issues.get(issue)?.reservation;
            Some((reservation - relief * (1.0 - p.initial_trust) - leverage).max(0.0))
        })
        .sum()
}

/// The largest gap a formulating mediator bridges (docs/MODEL.md,
/// "formulation"): credibility times the formulation weight times `bridge`.
fn bridgeable_gap(scenario: &Scenario) -> f64 {
    mediation(scenario).map_or(0.0, |m| {
        m.credibility * m.style.weights().formulation * m.bridge
    })
}

/// The mediator, when the talks are mediated.
fn mediation(scenario: &Scenario) -> Option<&Mediator> {
    (scenario.format.mode == Mode::Indirect)
        .then_some(scenario.mediator.as_ref())
        .flatten()
}

fn plural_rounds(rounds: u32) -> String {
    if rounds == 1 {
        "one more round".into()
    } else {
        format!("{rounds} more rounds")
    }
}

/// The first item of `items` that appeared before it.
fn first_repeated<T: Eq + std::hash::Hash>(items: &[T]) -> Option<&T> {
    let mut seen = HashSet::new();
    items.iter().find(|item| !seen.insert(*item))
}

/// The scenario's issue ids, each once, in order, with a set to look
/// them up: checking every party's tables against them takes time linear
/// in the number of issues (docs/SCENARIO.md, "Limits").
struct IssueIds<'s> {
    ordered: Vec<&'s str>,
    set: HashSet<&'s str>,
}

impl<'s> IssueIds<'s> {
    fn of(issues: &'s [Issue]) -> Self {
        let mut set = HashSet::with_capacity(issues.len());
        let ordered = issues
            .iter()
            .map(|i| i.id.as_str())
            .filter(|id| set.insert(*id))
            .collect();
        IssueIds { ordered, set }
    }
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

fn root(key: &str) -> KeyPath {
    KeyPath::default().child(key)
}

/// `format.KEY` is set both flat (for either mode) and in `[format.TABLE]`:
/// which one applies would depend on reading order, so it is refused.
fn ambiguous(format: &KeyPath, table: &str, key: &str) -> Problem {
    Problem::new(
        format.child(table).child(key),
        format!(
            "format.{key} is set both for either mode (format.{key}) and for {table} talks \
             ([format.{table}]): which one applies is ambiguous"
        ),
    )
    .with_help(format!(
        "keep one: move format.{key} into [format.indirect] and [format.direct], \
         or remove {key} from [format.{table}]; with {}, name the mode's key, \
         e.g. {}",
        setting(VALUES),
        setting_value(VALUES, format!("format.{table}.{key}=..."))
    ))
}

impl Checker {
    fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    // The checks of single values take their key path as a closure, called
    // only for a problem: a world's scenario is validated hundreds of times
    // a study, and building every path allocated more than checking did.

    /// `value` must be a finite number in `[lo, hi]`.
    fn range(&mut self, path: impl FnOnce() -> KeyPath, value: f64, lo: f64, hi: f64) {
        charge(1);
        if !value.is_finite() || value < lo || value > hi {
            self.push(Problem::new(
                path(),
                format!("expected a number in [{lo}, {hi}], found {value}"),
            ));
        }
    }

    fn probability(&mut self, path: impl FnOnce() -> KeyPath, value: f64) {
        charge(1);
        if !value.is_finite() || !(0.0..=1.0).contains(&value) {
            self.push(Problem::new(
                path(),
                format!("expected a probability in [0, 1], found {value}"),
            ));
        }
    }

    fn count_range(
        &mut self,
        path: impl FnOnce() -> KeyPath,
        value: u64,
        lo: u64,
        hi: u64,
        what: &str,
    ) {
        charge(1);
        if value < lo || value > hi {
            self.push(Problem::new(
                path(),
                format!("expected {what} from {lo} to {hi}, found {value}"),
            ));
        }
    }

    fn identifier(&mut self, path: impl FnOnce() -> KeyPath, id: &str) {
        charge(1);
        let ok = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            self.push(Problem::new(
                path(),
                format!("expected an id of letters, digits, '-' or '_', found {id:?}"),
            ));
        }
    }

    fn unique_ids<'a>(&mut self, array: &str, ids: impl Iterator<Item = &'a str>) {
        let mut seen = HashSet::new();
        for (index, id) in ids.enumerate() {
            charge(1);
            if !seen.insert(id) {
                self.push(Problem::new(
                    root(array).element(index, Some(id)).child("id"),
                    format!("duplicate id {id:?}: each entry of [[{array}]] needs its own id"),
                ));
            }
        }
    }

    fn meta(&mut self, meta: &Meta) {
        let path = root("scenario");
        if let Some(message) = name_problem(&meta.name) {
            self.push(
                Problem::new(path.child("name"), message)
                    .with_help("the name becomes the output directory, e.g. \"muscat-2026\""),
            );
        }
        self.count_range(
            || path.child("horizon"),
            meta.horizon.into(),
            1,
            MAX_HORIZON.into(),
            "a number of rounds",
        );
        self.count_range(
            || path.child("runs"),
            meta.runs,
            1,
            MAX_RUNS,
            "a number of runs",
        );
        self.count_range(
            || path.child("round_months"),
            meta.round_months.into(),
            1,
            120,
            "a number of months",
        );
        if let Some(Err(message)) = meta.start.as_deref().map(YearMonth::parse) {
            self.push(
                Problem::new(path.child("start"), message)
                    .with_help("the month round 1 starts in, e.g. start = \"2026-02\""),
            );
        }
    }

    fn format(&mut self, format: &Format, mediator: Option<&Mediator>) {
        let path = root("format");
        if let Some(exposure) = format.exposure_set {
            self.probability(|| path.child("exposure"), exposure);
        }
        self.probability(|| path.child("leak_hazard"), format.leak_hazard);
        if let Some(rounds) = format.confirm_rounds_set {
            self.count_range(
                || path.child("confirm_rounds"),
                rounds.into(),
                0,
                MAX_HORIZON.into(),
                "a number of rounds",
            );
        }
        for (mode, table) in [(Mode::Indirect, "indirect"), (Mode::Direct, "direct")] {
            let Some(values) = format.values_for(mode) else {
                continue;
            };
            let table_path = path.child(table);
            if let Some(exposure) = values.exposure {
                self.probability(|| table_path.child("exposure"), exposure);
                if format.exposure_set.is_some() {
                    self.push(ambiguous(&path, table, "exposure"));
                }
            }
            if let Some(rounds) = values.confirm_rounds {
                self.count_range(
                    || table_path.child("confirm_rounds"),
                    rounds.into(),
                    0,
                    MAX_HORIZON.into(),
                    "a number of rounds",
                );
                if format.confirm_rounds_set.is_some() {
                    self.push(ambiguous(&path, table, "confirm_rounds"));
                }
            }
        }
        if format.mode == Mode::Indirect && mediator.is_none() {
            self.push(
                Problem::new(
                    path.child("mode"),
                    "indirect talks need a [mediator] table, and there is none",
                )
                .with_help(
                    "add a [mediator] table (name, credibility, style) or set mode = \"direct\"",
                ),
            );
        }
    }

    fn mediator(&mut self, mediator: &Mediator) {
        let path = root("mediator");
        self.probability(|| path.child("credibility"), mediator.credibility);
        if let Style::Mixed(weights) = mediator.style {
            let style = path.child("style");
            for (key, weight) in [
                ("facilitation", weights.facilitation),
                ("formulation", weights.formulation),
                ("manipulation", weights.manipulation),
            ] {
                self.range(|| style.child(key), weight, 0.0, 1.0);
            }
        }
        for (key, value) in [
            ("facilitation_strength", mediator.facilitation_strength),
            ("crisis_management", mediator.crisis_management),
            ("information", mediator.information),
            ("bridge", mediator.bridge),
            ("leverage", mediator.leverage),
            ("durability_cost", mediator.durability_cost),
            ("secrecy", mediator.secrecy),
        ] {
            self.range(|| path.child(key), value, 0.0, 1.0);
        }
        self.range(
            || path.child("focal_point"),
            mediator.focal_point,
            0.0,
            10.0,
        );
        self.range(
            || path.child("revelation_boost"),
            mediator.revelation_boost,
            0.0,
            10.0,
        );
    }

    fn trust(&mut self, trust: &TrustRules) {
        let path = root("trust");
        self.range(
            || path.child("gain_per_agreement"),
            trust.gain_per_agreement,
            0.0,
            1.0,
        );
        self.range(
            || path.child("loss_per_incident"),
            trust.loss_per_incident,
            0.0,
            1.0,
        );
        self.range(
            || path.child("loss_per_rejection"),
            trust.loss_per_rejection,
            0.0,
            1.0,
        );
        self.range(
            || path.child("concession_boost"),
            trust.concession_boost,
            0.0,
            10.0,
        );
        self.range(
            || path.child("reservation_relief"),
            trust.reservation_relief,
            0.0,
            1.0,
        );
    }

    fn issues(&mut self, issues: &[Issue]) {
        if issues.is_empty() {
            self.push(
                Problem::new(
                    root("issues"),
                    "expected at least one [[issues]] entry, found none",
                )
                .with_help("add an [[issues]] table with an id, e.g. id = \"detainees\""),
            );
        }
        for (index, issue) in issues.iter().enumerate() {
            let path = root("issues").element(index, Some(&issue.id));
            self.identifier(|| path.child("id"), &issue.id);
            if reserved_columns().any(|c| c == issue.id) {
                self.push(
                    Problem::new(
                        path.child("id"),
                        format!(
                            "{:?} is a column of runs.csv; an issue cannot take its name",
                            issue.id
                        ),
                    )
                    .with_help(format!(
                        "choose another id; reserved: {}",
                        reserved_columns().collect::<Vec<_>>().join(", ")
                    )),
                );
            }
            self.probability(|| path.child("visibility"), issue.visibility);
        }
        self.unique_ids("issues", issues.iter().map(|i| i.id.as_str()));
    }

    fn parties(&mut self, parties: &[Party], issue_ids: &IssueIds, horizon: u32) {
        if parties.len() != 2 {
            self.push(
                Problem::new(
                    root("parties"),
                    format!("expected exactly two [[parties]], found {}", parties.len()),
                )
                .with_help("backchannel v1 models two principal parties; model others as spoilers"),
            );
        }
        for (index, party) in parties.iter().enumerate() {
            let path = root("parties").element(index, Some(&party.id));
            self.party(&path, party, issue_ids, horizon);
        }
        self.unique_ids("parties", parties.iter().map(|p| p.id.as_str()));
    }

    fn party(&mut self, path: &KeyPath, party: &Party, issue_ids: &IssueIds, horizon: u32) {
        self.identifier(|| path.child("id"), &party.id);
        self.range(|| path.child("concession"), party.concession, 0.01, 100.0);
        self.range(
            || path.child("initial_concession"),
            party.initial_concession,
            0.0,
            1.0,
        );
        if let Some(deadline) = party.deadline {
            self.count_range(
                || path.child("deadline"),
                deadline.into(),
                1,
                (10 * MAX_HORIZON).into(),
                "a round",
            );
        }
        self.range(|| path.child("offer_noise"), party.offer_noise, 0.0, 1.0);
        self.probability(|| path.child("walkout_hazard"), party.walkout_hazard);
        self.count_range(
            || path.child("walkout_rounds"),
            party.walkout_rounds.into(),
            1,
            horizon.into(),
            "a number of rounds within the horizon",
        );
        self.probability(|| path.child("initial_trust"), party.initial_trust);
        self.range(
            || path.child("audience_cost"),
            party.audience_cost,
            -1.0,
            1.0,
        );
        self.domestic(&path.child("domestic"), &party.domestic, horizon);
        let issues_path = path.child("issues");
        for id in &issue_ids.ordered {
            charge(1);
            if !party.issues.contains_key(*id) {
                // Addressed to the table that is missing (located at its
                // nearest written ancestor), so that a table that is
                // written but was refused for its type, e.g. without a
                // reservation, is not reported again as missing.
                self.push(
                    Problem::new(issues_path.child(id), format!("no table for issue {id:?}"))
                        .with_help(format!(
                            "add [parties.issues.{id}] with a reservation under this party"
                        )),
                );
            }
        }
        for (id, position) in &party.issues {
            charge(1);
            let table = issues_path.child(id);
            if !issue_ids.set.contains(id.as_str()) {
                let mut problem = Problem::new(
                    table.clone(),
                    format!("{id:?} is not an issue of this scenario"),
                );
                if let Some(close) = did_you_mean(id, issue_ids.ordered.iter().copied()) {
                    problem = problem.with_help(format!("did you mean {close:?}?"));
                }
                self.push(problem);
            }
            self.probability(|| table.child("reservation"), position.reservation);
        }
    }

    fn domestic(&mut self, path: &KeyPath, domestic: &Domestic, horizon: u32) {
        self.range(|| path.child("threshold"), domestic.threshold, 0.0, 1.0);
        self.range(|| path.child("noise"), domestic.noise, 0.0, 1.0);
        self.range(|| path.child("drift"), domestic.drift, 0.0, 1.0);
        for (index, event) in domestic.events.iter().enumerate() {
            let path = path.child("events").element(index, None);
            self.count_range(
                || path.child("round"),
                event.round.into(),
                1,
                horizon.into(),
                "a round within the horizon",
            );
            self.probability(|| path.child("probability"), event.probability);
            self.range(
                || path.child("threshold_shift"),
                event.threshold_shift,
                -1.0,
                1.0,
            );
        }
    }

    fn spoilers(&mut self, spoilers: &[Spoiler], party_ids: &[&str]) {
        for (index, spoiler) in spoilers.iter().enumerate() {
            let path = root("spoilers").element(index, Some(&spoiler.id));
            self.identifier(|| path.child("id"), &spoiler.id);
            for target in &spoiler.targets {
                charge(1);
                if !party_ids.contains(&target.as_str()) {
                    let mut problem = Problem::new(
                        path.child("targets"),
                        format!(
                            "{target:?} is not a party of this scenario (parties: {})",
                            party_ids.join(", ")
                        ),
                    );
                    if let Some(close) = did_you_mean(target, party_ids.iter().copied()) {
                        problem = problem.with_help(format!("did you mean {close:?}?"));
                    }
                    self.push(problem);
                }
            }
            let actions = spoiler.actions();
            if actions.is_empty() {
                self.push(Problem::new(
                    path.child("actions"),
                    "expected at least one action (pressure, leak, incident, strike)",
                ));
            }
            if first_repeated(&actions).is_some() {
                self.push(Problem::new(
                    path.child("actions"),
                    "each action may appear once",
                ));
            }
            // A party named twice would be pressed twice as hard.
            if let Some(target) = first_repeated(&spoiler.targets) {
                self.push(
                    Problem::new(
                        path.child("targets"),
                        format!(
                            "{target:?} is listed more than once: each party may be a target once"
                        ),
                    )
                    .with_help("list each party once"),
                );
            }
            self.probability(|| path.child("capability"), spoiler.capability);
            self.range(|| path.child("pressure"), spoiler.pressure, -1.0, 1.0);
            self.probability(|| path.child("base_hazard"), spoiler.base_hazard);
            self.probability(|| path.child("max_hazard"), spoiler.max_hazard);
            self.range(|| path.child("trigger"), spoiler.trigger, 0.0, 1.0);
            self.range(
                || path.child("sensitivity"),
                spoiler.sensitivity,
                0.0,
                1000.0,
            );
        }
        self.unique_ids("spoilers", spoilers.iter().map(|s| s.id.as_str()));
    }

    fn shocks(&mut self, shocks: &[Shock], horizon: u32) {
        for (index, shock) in shocks.iter().enumerate() {
            let path = root("shocks").element(index, Some(&shock.id));
            self.identifier(|| path.child("id"), &shock.id);
            self.probability(|| path.child("hazard"), shock.hazard);
            self.count_range(
                || path.child("duration"),
                shock.duration.into(),
                1,
                horizon.into(),
                "a number of rounds within the horizon",
            );
            self.range(|| path.child("trust_delta"), shock.trust_delta, -1.0, 1.0);
        }
        self.unique_ids("shocks", shocks.iter().map(|s| s.id.as_str()));
    }

    fn record(&mut self, record: &Record, horizon: u32) {
        for (key, outcome) in record.outcomes() {
            if outcome.month < 1 || outcome.month > horizon {
                self.push(
                    Problem::new(
                        root("record").child(key).child("month"),
                        format!(
                            "expected a month within the horizon, from 1 to {horizon}, found {}",
                            outcome.month
                        ),
                    )
                    .with_help(
                        "the forecast of an outcome is read at its month: raise \
                         scenario.horizon to judge a later one",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid scenario with `issues` issues, each party holding a table
    /// for every one.
    fn with_issues(issues: usize) -> Scenario {
        let mut text = String::from("[scenario]\nname = \"many\"\n");
        for i in 0..issues {
            text += &format!("[[issues]]\nid = \"i{i}\"\n");
        }
        for party in ["x", "y"] {
            text += &format!("[[parties]]\nid = \"{party}\"\n");
            for i in 0..issues {
                text += &format!("[parties.issues.i{i}]\nreservation = 0.001\n");
            }
        }
        toml::from_str(&text).unwrap()
    }

    #[test]
    fn thousands_of_issues_are_checked_by_lookups_not_scans() {
        // 20 000 issues: each party's tables are looked up in a set, so this
        // is 40 000 lookups; scanning the list of ids for each was 8 x 10^8
        // comparisons.
        let mut scenario = with_issues(20_000);
        assert!(validate(&scenario).is_empty());
        let table = scenario.parties[1].issues.remove("i19999").unwrap();
        scenario.parties[1].issues.insert("i20000".into(), table);
        let problems: Vec<String> = validate(&scenario)
            .into_iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect();
        assert_eq!(
            problems,
            [
                "parties.y.issues.i19999: no table for issue \"i19999\"",
                "parties.y.issues.i20000: \"i20000\" is not an issue of this scenario",
            ]
        );
    }

    #[test]
    fn a_repeated_issue_id_misses_one_table_once() {
        let mut scenario = with_issues(2);
        let copy = scenario.issues[1].clone();
        scenario.issues.push(copy);
        for party in &mut scenario.parties {
            party.issues.remove("i1");
        }
        let missing = validate(&scenario)
            .iter()
            .filter(|p| p.message.starts_with("no table"))
            .count();
        assert_eq!(missing, 2, "once per party");
    }
}
