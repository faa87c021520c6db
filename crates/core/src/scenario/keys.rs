//! How ids are spelled where a file or an observation names them: the fixed
//! columns of `runs.csv` and the event keys `shock:<id>`, `spoiler:<id>`,
//! `walkout:<party>` and `leak` (docs/OUTPUTS.md, docs/SCENARIO.md). Every
//! writer and reader of these spellings takes them from here.

/// The fixed columns of `runs.csv` (and of `trace --json`'s outcome), in
/// order; one column per issue id follows them, so an issue cannot take one
/// of these names.
pub const RUN_COLUMNS: [&str; 9] = [
    "run",
    "deal",
    "channel",
    "cause",
    "escalation",
    "contained",
    "revealed",
    "relapse",
    "first_agreement_round",
];

/// The column of `runs.csv` naming each run's world, after the issues,
/// when the scenario has judged inputs (their keys, dotted, follow it).
pub const WORLD_COLUMN: &str = "world";

/// Every name an issue id may not take: it would repeat a `runs.csv` column.
pub fn reserved_columns() -> impl Iterator<Item = &'static str> {
    RUN_COLUMNS.into_iter().chain([WORLD_COLUMN])
}

/// The event key of a leak, which names no entity.
pub const LEAK: &str = "leak";

/// The entity an event key names before its colon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Shock,
    Spoiler,
    Walkout,
}

impl KeyKind {
    /// The word before the colon.
    pub const fn prefix(self) -> &'static str {
        match self {
            KeyKind::Shock => "shock",
            KeyKind::Spoiler => "spoiler",
            KeyKind::Walkout => "walkout",
        }
    }

    /// The key of entity `id`: `shock:naval-incident`.
    pub fn key(self, id: &str) -> String {
        format!("{}:{id}", self.prefix())
    }

    /// The kind and id of `key`, if it is a keyed event (not `leak`).
    pub fn parse(key: &str) -> Option<(KeyKind, &str)> {
        let (prefix, id) = key.split_once(':')?;
        [KeyKind::Shock, KeyKind::Spoiler, KeyKind::Walkout]
            .into_iter()
            .find(|kind| kind.prefix() == prefix)
            .map(|kind| (kind, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_parses_back_into_its_kind_and_id() {
        for kind in [KeyKind::Shock, KeyKind::Spoiler, KeyKind::Walkout] {
            let key = kind.key("a:b");
            assert_eq!(KeyKind::parse(&key), Some((kind, "a:b")));
        }
        assert_eq!(KeyKind::parse(LEAK), None);
        assert_eq!(KeyKind::parse("storm:x"), None);
    }
}
