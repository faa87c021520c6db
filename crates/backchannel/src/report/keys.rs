//! How charts name the scenario keys they vary: in words, with the key's
//! unit, from one table of the unit of every numeric key (the "meaning"
//! column of docs/SCENARIO.md, shortened for an axis).

use crate::output::names::Names;
use crate::scenario::LoadedScenario;
use crate::stats::Drawn;

/// The unit of each numeric key, by its path with `*` for an id (a
/// spoiler's, a party's, an issue's, an event's). "round" reads as the
/// scenario's `round_label` ([`unit_of`]).
const UNITS: [(&str, &str); 48] = [
    ("format.exposure", "share of the talks the public sees"),
    ("format.*.exposure", "share of the talks the public sees"),
    ("format.confirm_rounds", "rounds"),
    ("format.*.confirm_rounds", "rounds"),
    ("format.leak_hazard", "probability per round"),
    ("mediator.credibility", "scales every lever, 0–1"),
    ("mediator.facilitation_strength", "share of walkouts averted, 0–1"),
    ("mediator.crisis_management", "share of breaking shocks contained, 0–1"),
    ("mediator.information", "share of offer noise cut, 0–1"),
    ("mediator.bridge", "share of an issue"),
    ("mediator.focal_point", "extra pace of concession, × 1"),
    ("mediator.leverage", "share of an issue"),
    ("mediator.durability_cost", "relapse probability per round"),
    ("mediator.secrecy", "share of the hurdles spared, 0–1"),
    ("mediator.revelation_boost", "× spoilers' activation after a leak"),
    ("mediator.style.*", "weight, 0–1"),
    ("trust.gain_per_agreement", "trust per ratified issue"),
    ("trust.loss_per_incident", "trust per incident"),
    ("trust.loss_per_rejection", "trust per failed ratification"),
    ("trust.concession_boost", "pace of concession per unit of trust"),
    ("trust.reservation_relief", "share of an issue per unit of trust"),
    ("issues.*.visibility", "× the ratification hurdle, 0–1"),
    ("parties.*.concession", "Faratin's e: below 1 late, above 1 early"),
    ("parties.*.initial_concession", "Faratin's k, 0–1"),
    ("parties.*.deadline", "round"),
    ("parties.*.offer_noise", "standard deviation, share of an issue"),
    ("parties.*.walkout_hazard", "probability per round of talks at zero trust"),
    ("parties.*.walkout_rounds", "rounds"),
    ("parties.*.initial_trust", "trust, 0–1"),
    ("parties.*.audience_cost", "added to the threshold after a leak"),
    ("parties.*.domestic.threshold", "share of an issue the ratifiers need"),
    ("parties.*.domestic.noise", "standard deviation of the vote"),
    ("parties.*.domestic.drift", "standard deviation of the threshold per round"),
    ("parties.*.domestic.events.*.round", "round"),
    ("parties.*.domestic.events.*.probability", "probability it happens"),
    ("parties.*.domestic.events.*.threshold_shift", "added to the threshold"),
    ("parties.*.issues.*.reservation", "share of the issue"),
    ("spoilers.*.capability", "probability an action succeeds"),
    ("spoilers.*.pressure", "added to each target's threshold"),
    ("spoilers.*.base_hazard", "activation probability per round"),
    ("spoilers.*.max_hazard", "activation probability per round"),
    ("spoilers.*.trigger", "progress at which the hazard is halfway"),
    ("spoilers.*.sensitivity", "steepness of the hazard's logistic"),
    ("shocks.*.hazard", "probability per round"),
    ("shocks.*.duration", "rounds"),
    ("shocks.*.trust_delta", "added to every party's trust"),
    ("scenario.horizon", "rounds"),
    ("scenario.round_months", "months"),
];

/// Whether `key` matches `pattern`, `*` standing for any one part.
fn matches(pattern: &str, key: &str) -> bool {
    let (mut p, mut k) = (pattern.split('.'), key.split('.'));
    loop {
        match (p.next(), k.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == "*" || a == b => {}
            _ => return false,
        }
    }
}

/// The unit of `key` (as `--set` names it), each "round" read as
/// `round_label`: "probability per month" for a shock's hazard in a
/// scenario of months.
pub fn unit_of(key: &str, round_label: &str) -> Option<String> {
    UNITS
        .iter()
        .find(|(pattern, _)| matches(pattern, key))
        .map(|(_, unit)| unit.replace("round", round_label))
}

/// `key` in words, capitalised: "Israel's capability", "The mediator's
/// credibility"; a key of no entity in words too ("Trust gain per
/// agreement", "Leak hazard").
pub fn key_words(names: &Names, key: &str) -> String {
    let mut name = names.input(key);
    if name == key {
        // A key of the talks' format reads without its section: "Leak
        // hazard", "Indirect exposure"; any other with it: "Trust gain per
        // agreement".
        name = key.strip_prefix("format.").unwrap_or(key).replace(['.', '_'], " ");
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name,
    }
}

/// `key` in words with its unit, for an axis: "Israel's capability
/// (probability an action succeeds)".
pub fn key_name(names: &Names, key: &str, round_label: &str) -> String {
    let name = key_words(names, key);
    match unit_of(key, round_label) {
        Some(unit) => format!("{name} ({unit})"),
        None => name,
    }
}

/// A key a sweep varies, as its chart shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct VariedKey {
    /// The key as `--set` names it.
    pub key: String,
    /// Its name and unit ([`key_name`]).
    pub name: String,
    /// The scenario's own value of it, if numeric.
    pub own: Option<f64>,
    /// The range of its judged input, when the scenario writes it as a
    /// distribution (its support).
    pub judged: Option<(f64, f64)>,
}

impl VariedKey {
    pub fn of(scenario: &LoadedScenario, key: &str, own: Option<f64>) -> VariedKey {
        let names = Names::of(&scenario.scenario);
        let judged = scenario
            .judged
            .iter()
            .find(|input| input.key == key)
            .and_then(|input| match input.distribution.support() {
                (Drawn::Number(lo), Drawn::Number(hi)) => Some((lo, hi)),
                (Drawn::Integer(lo), Drawn::Integer(hi)) => Some((lo as f64, hi as f64)),
                _ => None,
            });
        VariedKey {
            key: key.to_string(),
            name: key_name(&names, key, &scenario.scenario.scenario.round_label),
            own,
            judged,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_named_in_words_with_their_unit_per_round_label() {
        assert_eq!(
            unit_of("shocks.naval-incident.hazard", "month").as_deref(),
            Some("probability per month")
        );
        assert_eq!(
            unit_of("parties.us.domestic.events.midterms.round", "month").as_deref(),
            Some("month")
        );
        assert_eq!(unit_of("spoilers.israel", "month"), None);
        let names = Names::default();
        assert_eq!(
            key_name(&names, "trust.gain_per_agreement", "month"),
            "Trust gain per agreement (trust per ratified issue)"
        );
        assert_eq!(
            key_name(&names, "format.leak_hazard", "month"),
            "Leak hazard (probability per month)"
        );
    }

    /// Every numeric key the scenario format has (its JSON Schema) has a
    /// unit in the table.
    #[test]
    fn every_numeric_key_of_the_schema_has_a_unit() {
        let schema: serde_json::Value =
            serde_json::from_str(&crate::scenario::schema::json_schema()).unwrap();
        let fields: Vec<&str> = UNITS
            .iter()
            .map(|(pattern, _)| pattern.rsplit('.').next().unwrap())
            .collect();
        let numeric = |p: &serde_json::Value| p.to_string().contains("Distribution");
        for (definition, body) in schema["$defs"].as_object().unwrap() {
            if ["Meta", "RecordedOutcome", "StyleWeights"].contains(&definition.as_str()) {
                continue;
            }
            for (field, property) in body["properties"].as_object().into_iter().flatten() {
                if numeric(property) {
                    assert!(
                        fields.contains(&field.as_str()),
                        "{definition}.{field} has no unit"
                    );
                }
            }
        }
    }
}
