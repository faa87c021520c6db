//! A problem found in a scenario, addressed by its key path so that the
//! loader can point at the offending line and column.

use std::fmt;

/// One step of a key path: a table key or an array element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    /// An element of an array of tables, with its `id` when it has one: paths
    /// print ids (`spoilers.israel.capability`) like `--set` takes them.
    Element {
        index: usize,
        id: Option<String>,
    },
}

/// A dotted key path such as `parties.us.domestic.threshold`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Segment>);

impl KeyPath {
    pub fn child(&self, key: &str) -> KeyPath {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_string()));
        KeyPath(segments)
    }

    pub fn element(&self, index: usize, id: Option<&str>) -> KeyPath {
        let mut segments = self.0.clone();
        segments.push(Segment::Element {
            index,
            id: id.map(str::to_string),
        });
        KeyPath(segments)
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match segment {
                Segment::Key(key) => f.write_str(key)?,
                Segment::Element { id: Some(id), .. } => f.write_str(id)?,
                Segment::Element { index, id: None } => write!(f, "{index}")?,
            }
        }
        Ok(())
    }
}

/// What is wrong at one key, what was expected and, where we can tell, how
/// to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: KeyPath,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(path: KeyPath, message: impl Into<String>) -> Problem {
        Problem {
            path,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// The closest of `candidates` to `word`, when it is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_ids_like_set_takes_them() {
        let path = KeyPath::default()
            .child("spoilers")
            .element(1, Some("israel"))
            .child("capability");
        assert_eq!(path.to_string(), "spoilers.israel.capability");
        let path = KeyPath::default().child("issues").element(3, None);
        assert_eq!(path.to_string(), "issues.3");
    }

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["threshold", "noise", "drift", "events"];
        assert_eq!(did_you_mean("thresold", keys), Some("threshold"));
        assert_eq!(did_you_mean("banana", keys), None);
    }
}
