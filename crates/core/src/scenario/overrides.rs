//! `--set KEY=VALUE`: change one value of a scenario before it is parsed.
//!
//! Keys are dotted paths whose array entries are named by id
//! (`spoilers.israel.capability`, `parties.iran.issues.nuclear.reservation`)
//! or by index (`parties.iran.domestic.events.0.round`). Overrides edit the
//! TOML document itself, so the value is type-checked and range-checked by
//! exactly the same code as a value written in the file.
//!
//! A caller that holds values rather than text (the Python package, a
//! program on the library) makes the same [`Override`] from a key and a
//! typed [`SetValue`] ([`Override::typed`]): no `KEY=VALUE` text is
//! formatted and parsed again, and the scenario's text is the one
//! `--set` makes from the argument the override is named by.

use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

use super::judged::Step;
use super::problem::did_you_mean;
use crate::error::{Diagnostic, SourceText, VALUES, setting, setting_value};
use crate::stats::Drawn;

/// The most parts a `--set` key may have: the deepest scenario key has
/// six (`parties.us.domestic.events.0.round`); a limit keeps a key of
/// thousands of parts from nesting tables that deep.
pub const MAX_KEY_DEPTH: usize = 16;

/// One parsed `--set` argument.
#[derive(Debug, Clone)]
pub struct Override {
    /// The argument as the user wrote it.
    pub arg: String,
    /// The dotted key, e.g. `spoilers.israel.capability`.
    pub key: String,
    pub value: Value,
}

impl Override {
    /// Parse `KEY=VALUE`. A value that is not TOML (`direct`) is a string.
    pub fn parse(arg: &str) -> Result<Override, Diagnostic> {
        let source = SourceText {
            origin: setting(VALUES),
            text: arg.into(),
        };
        let Some((key, raw)) = arg.split_once('=') else {
            return Err(Diagnostic::new("expected KEY=VALUE, found no '='")
                .at(&source, 0..arg.len())
                .help(format!(
                    "e.g. {} or {}",
                    setting_value(VALUES, "format.mode=direct"),
                    setting_value(VALUES, "spoilers.israel.capability=0.3")
                )));
        };
        let key = key.trim();
        check_key(key, &source)?;
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Diagnostic::new("expected a value after '='")
                .key(key)
                .at(&source, arg.len().saturating_sub(1)..arg.len()));
        }
        let value = raw.parse::<Value>().unwrap_or_else(|_| Value::from(raw));
        Ok(Override {
            arg: arg.to_string(),
            key: key.to_string(),
            value,
        })
    }

    /// `value` at `key`: the override `--set` makes of the argument
    /// `KEY=VALUE` with the value written as [`SetValue`]'s `Display`
    /// writes it, made from the value itself. The key is checked as
    /// [`Override::parse`] checks it; a number that is not finite is
    /// refused (no scenario key holds one).
    pub fn typed(key: &str, value: &SetValue) -> Result<Override, Diagnostic> {
        let arg = format!("{key}={value}");
        let source = SourceText {
            origin: setting(VALUES),
            text: arg.as_str().into(),
        };
        check_key(key, &source)?;
        let value = value.to_toml().map_err(|number| {
            Diagnostic::new(format!("expected a finite number, found {number}"))
                .key(key)
                .at(&source, key.len() + 1..arg.len())
        })?;
        Ok(Override {
            arg,
            key: key.to_string(),
            value,
        })
    }

    /// The `KEY=VALUE` text as a diagnostic can point into it.
    pub fn source(&self) -> SourceText {
        SourceText {
            origin: setting(VALUES),
            text: self.arg.as_str().into(),
        }
    }

    /// Whether a problem at `key` is about this override.
    pub fn concerns(&self, key: &str) -> bool {
        key == self.key
            || key.starts_with(&format!("{}.", self.key))
            || self.key.starts_with(&format!("{key}."))
    }
}

/// Refuse a key `--set` cannot name: empty parts, or too many of them.
/// `source` is the argument the key starts.
fn check_key(key: &str, source: &SourceText) -> Result<(), Diagnostic> {
    if key.is_empty() || key.split('.').any(str::is_empty) {
        return Err(Diagnostic::new("expected a dotted key such as format.mode")
            .at(source, 0..key.len().max(1)));
    }
    let depth = key.split('.').count();
    if depth > MAX_KEY_DEPTH {
        return Err(Diagnostic::new(format!(
            "expected a key of at most {MAX_KEY_DEPTH} parts, found {depth}"
        ))
        .at(source, 0..key.len())
        .help("keys follow the scenario file, e.g. parties.iran.issues.nuclear.reservation"));
    }
    Ok(())
}

/// A value set on a scenario key, typed: what a `--set` value's text
/// means, for a caller that holds the value itself. A table is an inline
/// table, such as a distribution (`{uniform = [0.2, 0.6]}`), which makes
/// the key a judged input.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SetValue {
    Bool(bool),
    Integer(i64),
    Float(f64),
    Text(String),
    List(Vec<SetValue>),
    /// Keys and values in the order written.
    Table(Vec<SetEntry>),
}

/// One key of a [`SetValue::Table`] and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct SetEntry {
    pub key: String,
    pub value: SetValue,
}

impl SetEntry {
    pub fn new(key: impl Into<String>, value: SetValue) -> SetEntry {
        SetEntry {
            key: key.into(),
            value,
        }
    }
}

impl SetValue {
    /// The value as a TOML value, or the first number in it that is not
    /// finite.
    fn to_toml(&self) -> Result<Value, f64> {
        Ok(match self {
            SetValue::Bool(b) => Value::from(*b),
            SetValue::Integer(i) => Value::from(*i),
            SetValue::Float(x) if !x.is_finite() => return Err(*x),
            // A number's text as the library writes every value it sets
            // (`Drawn::to_toml`): the shortest that reads back the same.
            SetValue::Float(x) => Drawn::Number(*x)
                .to_toml()
                .parse()
                .expect("a finite float's text is TOML"),
            SetValue::Text(t) => Value::from(t.as_str()),
            SetValue::List(items) => Value::Array(
                items
                    .iter()
                    .map(SetValue::to_toml)
                    .collect::<Result<_, _>>()?,
            ),
            SetValue::Table(entries) => {
                let mut table = toml_edit::InlineTable::new();
                for SetEntry { key, value } in entries {
                    table.insert(key, value.to_toml()?);
                }
                Value::InlineTable(table)
            }
        })
    }

    /// Whether `--set` reads this value's text as a string when written
    /// bare: a word that is not TOML (`direct`, not `true` or `inf`).
    fn is_bare_word(&self) -> bool {
        let SetValue::Text(t) = self else {
            return false;
        };
        let mut chars = t.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && t.parse::<Value>().is_err()
    }
}

/// The value as `--set` takes it: a word such as `direct` bare, as a user
/// types it (so results name the change as the command line's would),
/// anything else as TOML. A number that is not finite has no TOML; it is
/// written as Rust writes it, for the message that refuses it.
impl std::fmt::Display for SetValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self, self.to_toml()) {
            (SetValue::Text(t), _) if self.is_bare_word() => f.write_str(t),
            (_, Ok(value)) => write!(f, "{value}"),
            (_, Err(number)) => write!(f, "{number}"),
        }
    }
}

impl From<&Drawn> for SetValue {
    fn from(value: &Drawn) -> SetValue {
        match value {
            Drawn::Number(x) => SetValue::Float(*x),
            Drawn::Integer(i) => SetValue::Integer(*i),
            Drawn::Text(t) => SetValue::Text(t.clone()),
        }
    }
}

/// Apply every override to `text`, in order; the result is the scenario the
/// run actually uses.
pub fn apply(text: &str, overrides: &[Override]) -> Result<String, Vec<Diagnostic>> {
    if overrides.is_empty() {
        return Ok(text.to_string());
    }
    let mut doc: DocumentMut = match text.parse() {
        Ok(doc) => doc,
        // The file itself does not parse: let the loader report that.
        Err(_) => return Ok(text.to_string()),
    };
    let mut problems = Vec::new();
    for o in overrides {
        let path: Vec<&str> = o.key.split('.').collect();
        if let Err(message) = set_in(doc.as_table_mut(), &path, &o.value) {
            let key_end = o.arg.find('=').unwrap_or(o.arg.len());
            problems.push(
                Diagnostic::new(message.0)
                    .key(&o.key)
                    .at(&o.source(), 0..key_end)
                    .help(message.1.unwrap_or_else(|| {
                        "keys follow the scenario file: table.key, or array.id.key".into()
                    })),
            );
        }
    }
    if problems.is_empty() {
        Ok(doc.to_string())
    } else {
        Err(problems)
    }
}

/// The value at a `--set` key in `scenario`, defaults included (keys left
/// unset whose default depends on others, such as `deadline`, have none).
pub fn value_at(scenario: &super::Scenario, key: &str) -> Option<toml::Value> {
    let mut value = toml::Value::try_from(scenario).ok()?;
    for segment in key.split('.') {
        value = match value {
            toml::Value::Table(mut table) => table.remove(segment)?,
            toml::Value::Array(array) => {
                array.into_iter().enumerate().find_map(|(i, element)| {
                    let by_id = element.get("id").and_then(toml::Value::as_str) == Some(segment);
                    (by_id || i.to_string() == segment).then_some(element)
                })?
            }
            _ => return None,
        };
    }
    Some(value)
}

/// A failed override: what is wrong and, maybe, a suggestion.
struct SetError(String, Option<String>);

/// A `--set` key found in a scenario's document: the key as written and
/// the [`Step`]s that reach its value (entries of arrays of tables named by
/// id or index resolved to their position, tables still missing named by
/// key). Found once, a key is set in any number of copies of the parsed
/// tree by [`set_at`] without being looked up again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// The dotted key, e.g. `spoilers.israel.capability`.
    pub key: String,
    /// Where its value is, from the document's root.
    pub steps: Vec<Step>,
}

/// The `--set KEY=VALUE` argument that puts `value` at `key`: how a value
/// a design chose is named, and loaded as text where it must be checked
/// as text.
pub fn set_argument(key: &str, value: &Drawn) -> String {
    format!("{key}={}", value.to_toml())
}

/// Find `key` in the scenario text `text` as `--set` would set it, or
/// `None` where `--set` would refuse it (the loader then says why, at its
/// place).
pub fn find_slot(text: &str, key: &str) -> Option<Slot> {
    let doc: DocumentMut = text.parse().ok()?;
    let path: Vec<&str> = key.split('.').collect();
    let mut steps = Vec::new();
    resolve(doc.as_table(), &path, &mut steps).ok()?;
    Some(Slot {
        key: key.to_string(),
        steps,
    })
}

/// Set `value` at `steps` in `tree` (a scenario's text parsed as TOML
/// values), making any table missing on the way: what setting the value in
/// the text and parsing it again gives, without the parse. The one way a
/// parsed scenario is changed: each world's judged inputs and each design
/// point's values are set by it. `false` if `steps` do not fit `tree`.
pub fn set_at(tree: &mut toml::Table, steps: &[Step], value: toml::Value) -> bool {
    let Some((Step::Key(key), rest)) = steps.split_first() else {
        return false;
    };
    // A key is copied only when it is missing: a study sets every world's
    // values at keys that are there.
    if rest.is_empty() {
        match tree.get_mut(key) {
            Some(slot) => *slot = value,
            None => {
                tree.insert(key.clone(), value);
            }
        }
        return true;
    }
    if !tree.contains_key(key) {
        tree.insert(key.clone(), toml::Value::Table(toml::Table::new()));
    }
    let child = tree.get_mut(key).expect("there or just made");
    place(child, rest, value)
}

/// [`set_at`] below a value of the tree.
fn place(slot: &mut toml::Value, steps: &[Step], value: toml::Value) -> bool {
    match (slot, steps.split_first()) {
        (slot, None) => {
            *slot = value;
            true
        }
        (toml::Value::Table(table), Some(_)) => set_at(table, steps, value),
        (toml::Value::Array(array), Some((Step::Index(index), rest))) => array
            .get_mut(*index)
            .is_some_and(|element| place(element, rest, value)),
        _ => false,
    }
}

/// Set `value` at the dotted `path` of `table`, keeping the old value's
/// comments: where [`resolve`] finds it.
fn set_in(table: &mut dyn TableLike, path: &[&str], value: &Value) -> Result<(), SetError> {
    let mut steps = Vec::new();
    resolve(table, path, &mut steps)?;
    write(table, &steps, value);
    Ok(())
}

/// The [`Step`]s from `table` to the dotted `path`, onto `steps`; or why
/// `--set` cannot set it (a table where a value is expected, an entry of
/// an array of tables that no id or index names).
fn resolve(table: &dyn TableLike, path: &[&str], steps: &mut Vec<Step>) -> Result<(), SetError> {
    let (key, rest) = path.split_first().expect("paths are never empty");
    steps.push(Step::Key(key.to_string()));
    if rest.is_empty() {
        return match table.get(key) {
            Some(Item::Value(_)) | None => Ok(()),
            Some(_) => Err(SetError(
                format!("`{key}` is a table or a list of tables, not a value"),
                Some(format!("name a key inside it, e.g. {key}.<key>")),
            )),
        };
    }
    match table.get(key) {
        // Missing tables are made on the way.
        None => {
            steps.extend(rest.iter().map(|k| Step::Key(k.to_string())));
            Ok(())
        }
        Some(Item::Table(child)) => resolve(child, rest, steps),
        Some(Item::Value(Value::InlineTable(child))) => resolve(child, rest, steps),
        Some(Item::ArrayOfTables(array)) => {
            let (selector, rest) = rest.split_first().expect("rest is not empty");
            if rest.is_empty() {
                return Err(SetError(
                    format!("`{key}.{selector}` names an entry, not a value"),
                    Some(format!("name a key inside it, e.g. {key}.{selector}.<key>")),
                ));
            }
            let ids: Vec<String> = array
                .iter()
                .filter_map(|t| t.get("id").and_then(Item::as_str).map(str::to_string))
                .collect();
            let position = ids
                .iter()
                .position(|id| id == selector)
                .or_else(|| selector.parse::<usize>().ok().filter(|&i| i < array.len()));
            let Some(position) = position else {
                let help = did_you_mean(selector, ids.iter().map(String::as_str))
                    .map(|c| format!("did you mean `{key}.{c}`?"))
                    .or_else(|| Some(format!("entries of `{key}`: {}", ids.join(", "))));
                return Err(SetError(
                    format!("no entry of `{key}` has id `{selector}`"),
                    help,
                ));
            };
            steps.push(Step::Index(position));
            let element = array.get(position).expect("position is in range");
            resolve(element, rest, steps)
        }
        _ => Err(SetError(format!("`{key}` is a value, not a table"), None)),
    }
}

/// Set `value` at `steps` (found by [`resolve`] in this document),
/// keeping the comments of a value replaced and making missing tables.
fn write(table: &mut dyn TableLike, steps: &[Step], value: &Value) {
    let Some((Step::Key(key), rest)) = steps.split_first() else {
        unreachable!("a path starts at a key of a table")
    };
    if rest.is_empty() {
        match table.get_mut(key) {
            Some(Item::Value(old)) => {
                let decor = old.decor().clone();
                *old = value.clone();
                *old.decor_mut() = decor;
            }
            _ => {
                table.insert(key, Item::Value(value.clone()));
            }
        }
        return;
    }
    if table.get(key).is_none() {
        table.insert(key, Item::Table(Table::new()));
    }
    match (table.get_mut(key), rest) {
        (Some(Item::Table(child)), _) => write(child, rest, value),
        (Some(Item::Value(Value::InlineTable(child))), _) => write(child, rest, value),
        (Some(Item::ArrayOfTables(array)), [Step::Index(index), rest @ ..]) => {
            let element = array.get_mut(*index).expect("resolved in this document");
            write(element, rest, value)
        }
        _ => unreachable!("resolved in this document"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "[format]\nmode = \"indirect\" # how\n\n[[spoilers]]\nid = \"israel\"\ncapability = 0.5\n";

    fn set(args: &[&str]) -> Result<String, Vec<Diagnostic>> {
        let overrides: Vec<Override> = args.iter().map(|a| Override::parse(a).unwrap()).collect();
        apply(TEXT, &overrides)
    }

    #[test]
    fn replaces_values_keeping_comments() {
        let text = set(&["format.mode=direct", "spoilers.israel.capability=0.3"]).unwrap();
        assert!(text.contains("mode = \"direct\" # how"), "{text}");
        assert!(text.contains("capability = 0.3"), "{text}");
    }

    #[test]
    fn selects_array_entries_by_index_too() {
        let text = set(&["spoilers.0.capability=0.25"]).unwrap();
        assert!(text.contains("capability = 0.25"), "{text}");
    }

    #[test]
    fn inserts_missing_keys_and_tables() {
        let text = set(&["format.leak_hazard=0.2", "mediator.credibility=0.9"]).unwrap();
        assert!(text.contains("leak_hazard = 0.2"));
        assert!(text.contains("[mediator]\ncredibility = 0.9"), "{text}");
    }

    #[test]
    fn unknown_entries_get_a_suggestion() {
        let problems = set(&["spoilers.isreal.capability=0.3"]).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .message
                .contains("no entry of `spoilers` has id `isreal`")
        );
        assert_eq!(
            problems[0].help.as_deref(),
            Some("did you mean `spoilers.israel`?")
        );
    }

    #[test]
    fn reads_values_by_id_with_defaults() {
        let scenario = crate::scenario::load("muscat-2026", &[]).unwrap().scenario;
        assert_eq!(
            value_at(&scenario, "spoilers.israel.capability").and_then(|v| v.as_float()),
            Some(0.6)
        );
        assert_eq!(
            value_at(&scenario, "scenario.horizon").and_then(|v| v.as_integer()),
            Some(12)
        );
        assert_eq!(
            value_at(&scenario, "spoilers.uae.actions").map(|v| v.is_array()),
            None,
            "defaulted by kind"
        );
        assert_eq!(
            value_at(&scenario, "parties.us.domestic.events.0.round").and_then(|v| v.as_integer()),
            Some(10)
        );
        assert_eq!(value_at(&scenario, "spoilers.nobody.capability"), None);
    }

    #[test]
    fn typed_values_make_the_text_their_argument_makes() {
        use SetValue::*;
        let values = [
            Text("direct".into()),
            Text("two words".into()),
            Text("true".into()),
            Text("quote \" and 'apostrophe' and é".into()),
            Bool(true),
            Integer(-3),
            Float(0.3),
            Float(1.0),
            Float(1e-5),
            Float(2.5e16),
            List(vec![Float(0.2), Integer(1), Text("a".into())]),
            Table(vec![SetEntry::new(
                "uniform",
                List(vec![Float(0.2), Float(0.6)]),
            )]),
        ];
        for key in [
            "format.mode",
            "spoilers.israel.capability",
            "mediator.credibility",
        ] {
            for value in &values {
                let typed = Override::typed(key, value).unwrap();
                let parsed = Override::parse(&typed.arg).unwrap();
                assert_eq!(parsed.key, typed.key);
                assert_eq!(
                    parsed.value.to_string(),
                    typed.value.to_string(),
                    "{value:?}"
                );
                assert_eq!(apply(TEXT, &[typed]), apply(TEXT, &[parsed]), "{value:?}");
            }
        }
        assert_eq!(Text("direct".into()).to_string(), "direct");
        assert_eq!(Text("nan".into()).to_string(), "\"nan\"");
        assert_eq!(Float(0.3).to_string(), "0.3");
    }

    #[test]
    fn typed_values_are_refused_as_arguments_are() {
        let refused = Override::typed("format.leak_hazard", &SetValue::Float(f64::NAN));
        assert_eq!(
            refused.unwrap_err().message,
            "expected a finite number, found NaN"
        );
        let in_a_list = SetValue::List(vec![SetValue::Float(f64::INFINITY)]);
        assert!(Override::typed("a.b", &in_a_list).is_err());
        assert!(Override::typed("a..b", &SetValue::Integer(1)).is_err());
        assert!(Override::typed("", &SetValue::Integer(1)).is_err());
    }

    #[test]
    fn malformed_arguments_are_refused() {
        assert!(Override::parse("format.mode").is_err());
        assert!(Override::parse("=3").is_err());
        assert!(Override::parse("a..b=3").is_err());
        assert!(Override::parse("a.b=").is_err());
        let deep = format!("{}=1", vec!["a"; 20_000].join("."));
        let refused = Override::parse(&deep).unwrap_err();
        assert_eq!(
            refused.message,
            "expected a key of at most 16 parts, found 20000"
        );
        assert_eq!(refused.location.unwrap().span, 0..deep.len() - 2);
    }
}
