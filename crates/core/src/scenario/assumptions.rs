//! A scenario's values with the reasons its author wrote beside them: every
//! key whose line carries a comment (`leak_hazard = 0.15  # per month; …`)
//! or whose comment lines sit right above it. Pages show them as the
//! assumptions a reader should check first.

use toml_edit::{DocumentMut, Item, Table, Value};

/// One documented value: the key's dotted path, its value as written and
/// the comment that gives the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumption {
    pub key: String,
    pub value: String,
    pub reason: String,
}

/// Every documented scalar of `text`, in file order; nothing for text that
/// does not parse (a loaded scenario always does).
pub fn documented(text: &str) -> Vec<Assumption> {
    let Ok(doc) = text.parse::<DocumentMut>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    table(doc.as_table(), "", &mut out);
    out
}

fn table(t: &Table, prefix: &str, out: &mut Vec<Assumption>) {
    for (key, item) in t.iter() {
        let path = if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        };
        match item {
            Item::Table(inner) => table(inner, &path, out),
            Item::ArrayOfTables(array) => {
                for (i, inner) in array.iter().enumerate() {
                    // An entry with an id is named by it, as `--set` names it.
                    let name = inner
                        .get("id")
                        .and_then(Item::as_str)
                        .map_or_else(|| i.to_string(), str::to_string);
                    table(inner, &format!("{path}.{name}"), out);
                }
            }
            Item::Value(value) => {
                let above = t.key(key).map(|k| comment(k.leaf_decor().prefix()));
                let reason = [comment(value.decor().suffix()), above.unwrap_or_default()]
                    .into_iter()
                    .find(|c| !c.is_empty());
                if let Some(reason) = reason {
                    out.push(Assumption {
                        key: path,
                        value: written(value),
                        reason,
                    });
                }
            }
            Item::None => {}
        }
    }
}

/// The value as the file writes it, without its decoration.
fn written(value: &Value) -> String {
    let mut bare = value.clone();
    bare.decor_mut().clear();
    bare.to_string()
}

/// The text of the comment lines in a decoration, joined, without `#`.
fn comment(decor: Option<&toml_edit::RawString>) -> String {
    let Some(raw) = decor.and_then(|r| r.as_str()) else {
        return String::new();
    };
    raw.lines()
        .filter_map(|line| line.trim().strip_prefix('#'))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_with_comments_are_found_with_their_reasons() {
        let text = "[format]\nmode = \"indirect\"  # separate rooms (article)\n\
                    # a judgement; 0.1-0.2\nleak_hazard = 0.15\nexposure = 0.3\n\
                    [[issues]]\nid = \"nuclear\"\nvisibility = 0.9 # public\n";
        let found = documented(text);
        assert_eq!(
            found,
            vec![
                Assumption {
                    key: "format.mode".into(),
                    value: "\"indirect\"".into(),
                    reason: "separate rooms (article)".into()
                },
                Assumption {
                    key: "format.leak_hazard".into(),
                    value: "0.15".into(),
                    reason: "a judgement; 0.1-0.2".into()
                },
                Assumption {
                    key: "issues.nuclear.visibility".into(),
                    value: "0.9".into(),
                    reason: "public".into()
                },
            ]
        );
    }

    #[test]
    fn the_flagship_documents_its_values() {
        let text = crate::scenario::embedded::get("muscat-2026").expect("embedded");
        let found = documented(text);
        assert!(found.len() > 20, "{}", found.len());
        assert!(found.iter().any(|a| a.key == "format.leak_hazard"));
    }

    #[test]
    fn text_that_does_not_parse_documents_nothing() {
        assert!(documented("a = ").is_empty());
    }
}
