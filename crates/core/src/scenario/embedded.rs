//! Scenarios compiled into the binary, so `backchannel run` works anywhere
//! and `backchannel scenarios` can list them.

/// (name, TOML text) of every embedded scenario; the first is the flagship.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "muscat-2026",
        include_str!("../../../../scenarios/muscat-2026.toml"),
    ),
    (
        "muscat-2026-direct",
        include_str!("../../../../scenarios/muscat-2026-direct.toml"),
    ),
    (
        "muscat-2025",
        include_str!("../../../../scenarios/muscat-2025.toml"),
    ),
    (
        "backchannel-2013",
        include_str!("../../../../scenarios/backchannel-2013.toml"),
    ),
    (
        "minimal",
        include_str!("../../../../scenarios/minimal.toml"),
    ),
    // One scenario per closed form, each stated and checked in tests/closed_forms.rs.
    (
        "faratin-crossing",
        include_str!("../../../../scenarios/validation/faratin-crossing.toml"),
    ),
    (
        "constant-hazard",
        include_str!("../../../../scenarios/validation/constant-hazard.toml"),
    ),
    (
        "spoiler-hazard",
        include_str!("../../../../scenarios/validation/spoiler-hazard.toml"),
    ),
    (
        "ratification",
        include_str!("../../../../scenarios/validation/ratification.toml"),
    ),
    (
        "common-random-numbers",
        include_str!("../../../../scenarios/validation/common-random-numbers.toml"),
    ),
    (
        "mediation-crisis",
        include_str!("../../../../scenarios/validation/mediation-crisis.toml"),
    ),
    (
        "mediator-levers",
        include_str!("../../../../scenarios/validation/mediator-levers.toml"),
    ),
];

/// The scenario `backchannel run` runs when none is named.
pub const FLAGSHIP: &str = "muscat-2026";

/// The commented template `backchannel init` starts from.
pub const TEMPLATE: &str = "minimal";

/// The text of the embedded scenario `name`.
pub fn get(name: &str) -> Option<&'static str> {
    EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// Names of the embedded scenarios, flagship first.
pub fn names() -> impl Iterator<Item = &'static str> {
    EMBEDDED.iter().map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_scenario_loads_under_its_own_name() {
        for name in names() {
            let loaded = crate::scenario::load(name, &[]).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(loaded.scenario.scenario.name, name);
        }
    }
}
