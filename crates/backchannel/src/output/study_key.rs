//! What a study *is*, for its output directory: the command, the scenarios it
//! read and every choice on the command line that changes its question
//! (`--set`, `--given`, `--precision`, a seed other than the scenario's,
//! `--vary`, a shard). Two studies with the same key are the same study, and
//! one may replace the other's results; anything else is a different study,
//! whose results are never replaced without `--replace`.
//!
//! The default directory name is built from the same key, so two different
//! studies never share one by default: `output/muscat-2026`,
//! `output/muscat-2026-set-format.mode=direct`,
//! `output/muscat-2026-given-news`, ... The number of runs is not part of
//! the key: a study rerun with more runs is the same study, made more
//! precise.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A directory name stays short enough to read in a listing and well
/// inside the 255 bytes file systems allow, with room for the temporary
/// sibling's prefix and suffix.
const MAX_NAME_BYTES: usize = 100;

/// One choice that changes a study's question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Variation {
    /// The flag, without dashes: `set`, `given`, `precision`, `seed`,
    /// `vary`, `shard`.
    pub flag: String,
    /// Its exact value (for `--given`, the file's full path).
    pub value: String,
    /// How the directory name shows it (for `--given`, the file's stem).
    pub label: String,
}

/// The identity of a study; recorded as `study` in `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StudyKey {
    /// `run`, `compare`, `sweep`, `sensitivity`, `indicators` (`merge`
    /// publishes a `run`).
    pub command: String,
    /// Where each scenario came from: the full path of a file, or the name
    /// of an embedded scenario or variant as given.
    pub scenarios: Vec<String>,
    /// Every choice that changes the question, in the order the default
    /// directory name shows them.
    pub variations: Vec<Variation>,
}

impl StudyKey {
    /// The key of `command` on the scenarios named `specs`.
    pub(crate) fn new(command: &str, specs: &[&str]) -> StudyKey {
        StudyKey {
            command: command.to_string(),
            scenarios: specs.iter().map(|spec| scenario_source(spec)).collect(),
            variations: Vec::new(),
        }
    }

    /// Add a choice shown in the directory name as `label`.
    pub fn with(mut self, flag: &str, value: impl Into<String>, label: impl Into<String>) -> Self {
        self.variations.push(Variation {
            flag: flag.to_string(),
            value: value.into(),
            label: label.into(),
        });
        self
    }

    /// Add `--set` changes, if there are any.
    pub(crate) fn with_sets(self, sets: &[String]) -> Self {
        if sets.is_empty() {
            return self;
        }
        let joined = sets.join(",");
        self.with("set", joined.clone(), joined)
    }

    /// Add an observations file, if there is one: its full path, shown by
    /// its stem.
    pub(crate) fn with_given(self, given: Option<&str>) -> Self {
        let Some(given) = given else { return self };
        let path = Path::new(given);
        let stem = path
            .file_stem()
            .map_or_else(|| given.to_string(), |s| s.to_string_lossy().to_string());
        self.with("given", full_path(path), stem)
    }

    /// Add the seed when it is not the scenario's own.
    pub(crate) fn with_seed(self, seed: u64, scenario_seed: u64) -> Self {
        if seed == scenario_seed {
            return self;
        }
        self.with("seed", seed.to_string(), seed.to_string())
    }

    /// Add `--worlds`, when given and the scenario has judged inputs (for
    /// any other scenario it changes nothing).
    pub(crate) fn with_worlds(self, worlds: Option<u64>, uncertain: bool) -> Self {
        match worlds {
            Some(w) if uncertain => self.with("worlds", w.to_string(), w.to_string()),
            _ => self,
        }
    }

    /// Add a `--precision` target, if there is one.
    pub(crate) fn with_precision(self, precision: Option<f64>) -> Self {
        match precision {
            Some(eps) => self.with("precision", eps.to_string(), eps.to_string()),
            None => self,
        }
    }

    /// The default directory name: `base`, then `-FLAG-LABEL` for each
    /// variation, made safe for a file name and, if longer than
    /// `MAX_NAME_BYTES`, shortened with a hash of the whole: cut after its
    /// last whole word that fits (words are runs of letters and digits),
    /// never inside one, and the separators before the hash dropped.
    pub fn dir_name(&self, base: &str) -> String {
        let mut name = file_name_safe(base);
        if name.is_empty() {
            name.push_str("study");
        }
        // A variation with nothing to show (`sensitivity` without `--vary`
        // varies every judged input) adds no dangling "-vary-".
        for v in self.variations.iter().filter(|v| !v.label.is_empty()) {
            name.push_str(&format!("-{}-{}", v.flag, file_name_safe(&v.label)));
        }
        if name.len() <= MAX_NAME_BYTES {
            return name;
        }
        let hash = hex_prefix(name.as_bytes());
        // The name is ASCII (file_name_safe), so any index is a character
        // boundary. Keep whole words: cut where the next character starts
        // no word, i.e. is a separator.
        let room = MAX_NAME_BYTES - hash.len() - 1;
        let bytes = name.as_bytes();
        let cut = (1..=room)
            .rev()
            .find(|&i| !bytes[i].is_ascii_alphanumeric())
            .unwrap_or(0);
        let kept = name[..cut].trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
        if kept.is_empty() {
            format!("study-{hash}")
        } else {
            format!("{kept}-{hash}")
        }
    }

    /// How a message names the study: "`run` of muscat-2026 with --set
    /// format.mode=direct".
    pub fn describe(&self) -> String {
        let mut text = format!("`{}` of {}", self.command, self.scenarios.join(" and "));
        let flags: Vec<String> = self
            .variations
            .iter()
            .map(|v| format!("--{} {}", v.flag, v.value))
            .collect();
        if !flags.is_empty() {
            text.push_str(&format!(" with {}", flags.join(", ")));
        }
        text
    }
}

/// A scenario's source: the full path of an existing file, else the spec
/// as given (an embedded name or a `NAME:KEY=VALUE` variant).
fn scenario_source(spec: &str) -> String {
    let path = Path::new(spec);
    if path.is_file() {
        full_path(path)
    } else {
        spec.to_string()
    }
}

fn full_path(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// Letters, digits and `. _ = + -` are kept; anything else (a slash, a
/// colon, a space, a quote, a control character) becomes `_`.
fn file_name_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '=' | '+' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

fn hex_prefix(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variations_name_the_directory() {
        let plain = StudyKey::new("run", &["muscat-2026"]);
        assert_eq!(plain.dir_name("muscat-2026"), "muscat-2026");
        let set = StudyKey::new("run", &["muscat-2026"])
            .with_sets(&["format.mode=direct".into()])
            .with_seed(7, 20260206)
            .with_precision(Some(0.005));
        assert_eq!(
            set.dir_name("muscat-2026"),
            "muscat-2026-set-format.mode=direct-seed-7-precision-0.005"
        );
        assert_ne!(plain, set);
        assert_eq!(
            StudyKey::new("run", &["m"]).with_seed(5, 5),
            StudyKey::new("run", &["m"]),
            "the scenario's own seed is no variation"
        );
    }

    #[test]
    fn an_empty_variation_leaves_no_dangling_flag_in_the_name() {
        let every_input = StudyKey::new("sensitivity --method sobol", &["muscat-2026"])
            .with("vary", String::new(), String::new());
        assert_eq!(
            every_input.dir_name("sensitivity-muscat-2026-sobol"),
            "sensitivity-muscat-2026-sobol"
        );
    }

    #[test]
    fn names_are_safe_and_bounded() {
        let hostile = StudyKey::new("run", &["m"])
            .with_sets(&[format!("a.b=\"{}/../\u{1b}[31m\"", "x".repeat(400))]);
        let name = hostile.dir_name("m");
        assert!(name.len() <= MAX_NAME_BYTES, "{}", name.len());
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._=+-".contains(c)),
            "{name}"
        );
        assert_eq!(StudyKey::new("run", &["m"]).dir_name(".."), "study");
    }

    /// A long name is cut between words, never inside one, and stays
    /// within the bound, with a hash that tells long names apart.
    #[test]
    fn long_names_are_cut_between_words() {
        let sets: Vec<String> = [
            "mediator.crisis_management=0.9",
            "mediator.facilitation_strength=0.6",
            "format.indirect.exposure=0.4",
            "spoilers.israel.capability=0.7",
        ]
        .map(String::from)
        .to_vec();
        let key = StudyKey::new("run", &["muscat-2026"]).with_sets(&sets);
        let name = key.dir_name("muscat-2026");
        assert!(name.len() <= MAX_NAME_BYTES, "{} bytes: {name}", name.len());
        let (kept, hash) = name.rsplit_once('-').unwrap();
        assert_eq!(hash.len(), 8, "{name}");
        let whole = format!("muscat-2026-set-{}", sets.join("_"));
        assert!(whole.starts_with(kept), "{name}");
        let next = whole.as_bytes()[kept.len()];
        assert!(!next.is_ascii_alphanumeric(), "cut inside a word: {name}");
        assert!(kept.ends_with(|c: char| c.is_ascii_alphanumeric()), "{name}");
        let other = StudyKey::new("run", &["muscat-2026"])
            .with_sets(&[sets.join(","), "x=1".into()])
            .dir_name("muscat-2026");
        assert_ne!(name, other);
        // One word longer than the bound cannot be kept whole.
        let word = StudyKey::new("run", &["m"]).dir_name(&"x".repeat(300));
        assert!(word.starts_with("study-") && word.len() == 14, "{word}");
    }
}
