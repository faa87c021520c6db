//! Scenarios compiled into the binary, so `backchannel run` works anywhere.

/// (name, TOML text) of every embedded scenario; the first is the flagship.
const EMBEDDED: &[(&str, &str)] = &[(
    "muscat-2026",
    include_str!("../../scenarios/muscat-2026.toml"),
)];

/// The scenario `backchannel run` runs when none is named.
pub const FLAGSHIP: &str = "muscat-2026";

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
