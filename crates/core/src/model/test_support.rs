//! Small scenarios and scripted randomness for the mechanisms' unit tests.

use super::Model;
use super::streams::Randomness;
use crate::scenario::{PartyIssue, Scenario, validate::validated};

/// Every draw is the same uniform `u`.
pub struct Fixed(pub f64);

impl Randomness for Fixed {
    fn bits(&mut self, _: usize, _: u32, _: u32) -> u64 {
        ((self.0 * (1u64 << 53) as f64) as u64) << 11
    }
}

/// Two parties `x` and `y`, one issue `a` (reservation 0 for both), all
/// else default; `top` is appended at the end of the file, `party_x` and
/// `party_y` inside each party. Issues added in `top` get reservation 0.
pub fn model_with(top: &str, party_x: &str, party_y: &str) -> Model {
    let text = format!(
        "[scenario]\nname = \"t\"\n[[issues]]\nid = \"a\"\n\
         [[parties]]\nid = \"x\"\n{party_x}\n[parties.issues.a]\nreservation = 0.0\n\
         [[parties]]\nid = \"y\"\n{party_y}\n[parties.issues.a]\nreservation = 0.0\n{top}"
    );
    let text = merge_scenario_tables(&text);
    let mut scenario: Scenario = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    for issue in scenario.issues.clone() {
        for party in &mut scenario.parties {
            party
                .issues
                .entry(issue.id.clone())
                .or_insert(PartyIssue { reservation: 0.0 });
        }
    }
    let valid = validated(scenario).unwrap_or_else(|problems| panic!("{problems:?}"));
    Model::new(&valid)
}

/// Like [`model_with`] with nothing added to party `y`.
pub fn model_from(top: &str, party_x: &str) -> Model {
    model_with(top, party_x, "")
}

/// A `[scenario]` table in `top` replaces the default one (TOML forbids two).
fn merge_scenario_tables(text: &str) -> String {
    match text.rfind("[scenario]") {
        Some(last) if last > 0 => {
            text.replacen("[scenario]\nname = \"t\"\n", "", 1)[..].to_string()
        }
        _ => text.to_string(),
    }
}

/// The plain two-party model.
pub fn two_party_model() -> Model {
    model_with("", "", "")
}
