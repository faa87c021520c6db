//! The command line's words for the library's study settings: how result
//! files, pages and the command line itself name a setting a note or a
//! diagnostic marks (`backchannel::error::setting`). Files and pages name
//! the command line's flags, as their reproduction commands do
//! (docs/OUTPUTS.md).

use serde::Serializer;

use crate::engine::worlds::DEFAULT_WORLDS;
use crate::error::{Note, SettingWords, VALUES};

/// The library's study settings as the command line's flags: `runs` is
/// `--runs`, `runs_per_world` `--runs-per-world`, `runs_csv` (where
/// runs.csv goes) `--save-runs`, and `with_values` (values set on a
/// scenario) `--set`; a suggested value follows its flag (`--runs 200`).
#[derive(Debug, Clone, Copy, Default)]
pub struct CommandLineWords;

impl SettingWords for CommandLineWords {
    fn key(&self, name: &str) -> String {
        flag(name)
    }

    fn text(&self, name: &str, value: Option<&str>) -> String {
        match value {
            Some(value) => format!("{} {value}", flag(name)),
            None => flag(name),
        }
    }
}

/// The flag of the setting `name`.
fn flag(name: &str) -> String {
    match name {
        "runs_csv" => "--save-runs".into(),
        VALUES => "--set".into(),
        _ => format!("--{}", name.replace('_', "-")),
    }
}

/// Notes as a result file writes them: in the command line's words.
pub(crate) fn serialize_notes<S: Serializer>(notes: &[Note], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(notes.iter().map(|note| note.in_words(&CommandLineWords)))
}

/// `--worlds W` when a study's runs were clustered in `worlds` worlds
/// other than the default, so its command draws them again.
pub(crate) fn worlds_words(worlds: Option<u64>) -> Vec<String> {
    match worlds {
        Some(w) if w != DEFAULT_WORLDS => vec!["--worlds".into(), w.to_string()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{setting, setting_value};

    #[test]
    fn settings_are_the_command_lines_flags() {
        let note = Note::new(format!(
            "with {} and {} and {}",
            setting_value("samples", 32),
            setting("runs_per_world"),
            setting("runs_csv")
        ));
        assert_eq!(
            note.in_words(&CommandLineWords),
            "with --samples 32 and --runs-per-world and --save-runs"
        );
        assert_eq!(note.to_string(), "with samples(32) and `runs_per_world` and `runs_csv`");
    }
}
