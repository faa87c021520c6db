//! Judged inputs: a numeric or enumerated value written as a distribution,
//! `capability = { uniform = [0.4, 0.8] }` (docs/SCENARIO.md, "Judged
//! inputs").
//!
//! The rest of the scenario code sees only plain values: a distribution is
//! found in the TOML document, checked against its key's type and range
//! (read from the JSON Schema, which a test keeps equal to the validator),
//! and replaced in the text by a value before the file is parsed. The ends
//! of every input's support are validated together (two "corner" texts of
//! the same length as the file, so every span still points into it). A
//! world sets each input's draw at the input's [`Step`] path in the file
//! parsed once as TOML values, so drawing worlds never parses text again.

use std::ops::Range;

use serde_json::Value as Json;
use toml_edit::{Document, InlineTable, Item, Table, Value};

use super::overrides::set_at;
use super::validate::charge;
use crate::error::{Diagnostic, SourceText};
use crate::stats::{Distribution, Drawn};

/// The keys that name a distribution.
const KINDS: [&str; 5] = ["uniform", "triangular", "beta", "normal", "one_of"];

/// One input of a scenario written as a distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgedInput {
    /// The key as `--set` names it, e.g. `spoilers.israel.capability`.
    pub key: String,
    pub distribution: Distribution,
    /// Where the distribution is written in the scenario's text.
    pub span: Range<usize>,
    /// Where it is in the file's tree of tables and arrays: the exact
    /// element, where [`JudgedInput::key`] names array entries by id.
    pub path: Vec<Step>,
}

/// One step from a TOML document's root towards a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The entry of a table with this key.
    Key(String),
    /// The element of an array (of values or of tables) at this index.
    Index(usize),
}

/// Which end of every input's support a corner text takes.
#[derive(Debug, Clone, Copy)]
pub enum Corner {
    Low,
    High,
}

/// The distributions written in a scenario: those that are valid, and a
/// refusal for each one that is malformed or on a key that cannot take it.
#[derive(Debug, Default)]
pub struct Found {
    pub inputs: Vec<JudgedInput>,
    pub refused: Vec<Refused>,
}

/// A distribution refused, and what stands in its place while the rest of
/// the file is checked, so that one bad distribution hides no other problem.
#[derive(Debug)]
pub struct Refused {
    pub diagnostic: Diagnostic,
    /// The span of an inline distribution and the plain value of the
    /// key's type written there instead (every problem inside the span is
    /// already reported); `None` for a distribution written as a table,
    /// which no value can stand for.
    pub stand_in: Option<(Range<usize>, &'static str)>,
}

/// Every distribution written in `doc`.
pub fn find(doc: &Document<String>, source: &SourceText) -> Found {
    let mut finder = Finder {
        source,
        schema: serde_json::to_value(schemars::schema_for!(super::Scenario))
            .expect("the schema serialises"),
        steps: Vec::new(),
        found: Found::default(),
    };
    finder.table(doc.as_table(), &mut Vec::new());
    finder.found
}

/// `text` with each refused inline distribution replaced by its stand-in,
/// padded with spaces so every byte offset is unchanged.
pub fn with_stand_ins(text: &str, refused: &[Refused]) -> String {
    charge(text.len());
    splice(
        text,
        refused
            .iter()
            .filter_map(|r| r.stand_in.clone())
            .map(|(span, value)| {
                let width = span.len();
                (span, format!("{value:<width$}"))
            }),
    )
}

/// `text` with each input replaced by the end `corner` of its support,
/// padded with spaces to the distribution's length so every byte offset of
/// the rest of the file is unchanged.
pub fn corner_text(text: &str, inputs: &[JudgedInput], corner: Corner) -> String {
    charge(text.len());
    splice(
        text,
        inputs.iter().map(|input| {
            let (low, high) = input.distribution.support();
            let value = match corner {
                Corner::Low => low,
                Corner::High => high,
            };
            let width = input.span.len();
            // A support end is never longer than the table that states it.
            (input.span.clone(), format!("{:<width$}", value.to_toml()))
        }),
    )
}

/// `text` with each input's distribution replaced by the TOML text in
/// `replacements` (in the order of `inputs`), e.g. a calibrated posterior.
pub fn replace_inputs(text: &str, inputs: &[JudgedInput], replacements: &[String]) -> String {
    splice(
        text,
        inputs
            .iter()
            .zip(replacements)
            .map(|(input, value)| (input.span.clone(), value.clone())),
    )
}

/// Set each input in `tree` (the scenario's text parsed as TOML values) to
/// its value in `values` (in the order of `inputs`): what the text with
/// each distribution replaced by the value's TOML would parse to, since
/// [`Drawn::to_toml`] writes text that reads back as the same value.
pub fn set_values(tree: &mut toml::Table, inputs: &[JudgedInput], values: &[Drawn]) {
    for (input, value) in inputs.iter().zip(values) {
        set_at(tree, &input.path, toml_value(value));
    }
}

/// A drawn value as a TOML value.
pub fn toml_value(value: &Drawn) -> toml::Value {
    match value {
        Drawn::Number(x) => toml::Value::Float(*x),
        Drawn::Integer(i) => toml::Value::Integer(*i),
        Drawn::Text(t) => toml::Value::String(t.clone()),
    }
}

/// `text` with each span replaced by its text; the spans do not overlap.
fn splice(text: &str, replacements: impl Iterator<Item = (Range<usize>, String)>) -> String {
    let mut sorted: Vec<(Range<usize>, String)> = replacements.collect();
    sorted.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, value) in sorted {
        out.push_str(&text[at..span.start]);
        out.push_str(&value);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// What the schema says a key may hold.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Number {
        min: f64,
        max: f64,
    },
    Integer {
        min: i64,
        max: i64,
    },
    Choice(Vec<String>),
    /// Text, lists, tables: not a judgement.
    Other,
}

struct Finder<'a> {
    source: &'a SourceText,
    schema: Json,
    /// The steps to the value being read, beside its dotted labels.
    steps: Vec<Step>,
    found: Found,
}

impl Finder<'_> {
    fn table(&mut self, table: &Table, path: &mut Vec<String>) {
        for (key, item) in table.iter() {
            charge(1);
            path.push(key.to_string());
            self.steps.push(Step::Key(key.to_string()));
            match item {
                Item::Table(child) if looks_like_distribution(child.iter().map(|(k, _)| k)) => {
                    self.refuse_not_inline(path, child.span());
                }
                Item::Table(child) => self.table(child, path),
                Item::ArrayOfTables(array) => {
                    for (index, element) in array.iter().enumerate() {
                        path.push(label(element.get("id").and_then(Item::as_str), index));
                        self.steps.push(Step::Index(index));
                        self.table(element, path);
                        self.steps.pop();
                        path.pop();
                    }
                }
                Item::Value(value) => self.value(value, path),
                Item::None => {}
            }
            self.steps.pop();
            path.pop();
        }
    }

    fn value(&mut self, value: &Value, path: &mut Vec<String>) {
        charge(1);
        match value {
            Value::InlineTable(table) if looks_like_distribution(table.iter().map(|(k, _)| k)) => {
                self.distribution(table, path);
            }
            Value::InlineTable(table) => {
                for (key, child) in table.iter() {
                    path.push(key.to_string());
                    self.steps.push(Step::Key(key.to_string()));
                    self.value(child, path);
                    self.steps.pop();
                    path.pop();
                }
            }
            Value::Array(array) => {
                for (index, element) in array.iter().enumerate() {
                    let id = element
                        .as_inline_table()
                        .and_then(|t| t.get("id"))
                        .and_then(Value::as_str);
                    path.push(label(id, index));
                    self.steps.push(Step::Index(index));
                    self.value(element, path);
                    self.steps.pop();
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn refuse_not_inline(&mut self, path: &[String], span: Option<Range<usize>>) {
        let key = path.join(".");
        let leaf = path.last().map_or("value", String::as_str);
        let mut diagnostic =
            Diagnostic::new("a distribution must be written inline, on its key's line")
                .key(&key)
                .help(format!("write e.g. {leaf} = {{ uniform = [0.4, 0.8] }}"));
        if let Some(span) = span {
            diagnostic = diagnostic.at(self.source, span);
        }
        self.found.refused.push(Refused {
            diagnostic,
            stand_in: None,
        });
    }

    fn distribution(&mut self, table: &InlineTable, path: &[String]) {
        let key = path.join(".");
        let span = table.span().unwrap_or(0..0);
        let problem = |message: String, help: &str| {
            Diagnostic::new(message)
                .key(&key)
                .at(self.source, span.clone())
                .help(help.to_string())
        };
        let shape = shape_of(&self.schema, path);
        let parsed = match (&shape, path.first().map(String::as_str)) {
            (_, Some("scenario")) => Err(problem(
                format!("`{key}` shapes the study, not the world: it cannot be uncertain"),
                "give it one value; distributions are for the judgements about the talks",
            )),
            (Shape::Other, _) => Err(problem(
                format!("`{key}` is not a number or a choice: it cannot be a distribution"),
                "distributions are for numeric keys and keys with a fixed set of values",
            )),
            _ => parse(table, &shape).map_err(|(message, help)| problem(message, &help)),
        };
        match parsed {
            Ok(distribution) => self.found.inputs.push(JudgedInput {
                key,
                distribution,
                span,
                path: self.steps.clone(),
            }),
            Err(diagnostic) => self.found.refused.push(Refused {
                diagnostic,
                stand_in: Some((span, stand_in(&shape))),
            }),
        }
    }
}

/// A plain value of a key's type, shorter than any inline distribution
/// (`{beta=1}` has 8 characters): a number for a numeric key, else a
/// string, which at worst is one more problem at a place already reported.
fn stand_in(shape: &Shape) -> &'static str {
    match shape {
        Shape::Number { .. } | Shape::Integer { .. } => "0",
        Shape::Choice(_) | Shape::Other => "\"\"",
    }
}

fn label(id: Option<&str>, index: usize) -> String {
    id.map_or_else(|| index.to_string(), str::to_string)
}

/// Whether a table's keys say it is a distribution: one of [`KINDS`]
/// (a table with other keys too is checked as a distribution and refused
/// with a message, since the user clearly meant one).
fn looks_like_distribution<'k>(mut keys: impl Iterator<Item = &'k str>) -> bool {
    keys.any(|k| KINDS.contains(&k))
}

type Refusal = (String, String);

/// The distribution an inline table states, for a key of `shape`.
fn parse(table: &InlineTable, shape: &Shape) -> Result<Distribution, Refusal> {
    let kinds: Vec<&str> = table
        .iter()
        .map(|(k, _)| k)
        .filter(|k| KINDS.contains(k))
        .collect();
    if kinds.len() != 1 {
        return Err((
            format!("expected one distribution, found {}", kinds.join(" and ")),
            "write one of uniform, triangular, beta, normal or one_of".into(),
        ));
    }
    let kind = kinds[0];
    if let Some((other, _)) = table
        .iter()
        .find(|(k, _)| *k != kind && !(kind == "one_of" && *k == "weights"))
    {
        return Err((
            format!("unexpected key `{other}` in a {kind} distribution"),
            if kind == "one_of" {
                "a one_of distribution takes `one_of` and optionally `weights`".into()
            } else {
                format!("write {kind} = [...] alone")
            },
        ));
    }
    let value = table.get(kind).expect("the kind is a key");
    let distribution = match (kind, shape) {
        ("one_of", Shape::Choice(allowed)) => one_of(value, table.get("weights"), allowed)?,
        ("one_of", _) => {
            return Err((
                "one_of is for keys with a fixed set of values".into(),
                "a number takes uniform, triangular, beta or normal".into(),
            ));
        }
        (_, Shape::Choice(allowed)) => {
            return Err((
                format!(
                    "this key is one of {}: a {kind} distribution does not apply",
                    allowed.join(", ")
                ),
                format!(
                    "write one_of = [{}]",
                    allowed
                        .iter()
                        .map(|a| format!("{a:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        ("uniform", Shape::Integer { .. }) => {
            let [lo, hi] = whole_numbers::<2>(value, "uniform = [lo, hi]")?;
            ordered(lo < hi, "uniform needs lo < hi")?;
            // Every whole number of the range must be a distinct f64.
            ordered(
                i128::from(hi) - i128::from(lo) < 1 << 53,
                "the range is too wide to draw from",
            )?;
            Distribution::Integers { lo, hi }
        }
        (_, Shape::Integer { .. }) => {
            return Err((
                format!("a whole-number key takes uniform over whole numbers, not {kind}"),
                "write uniform = [lo, hi] with whole numbers".into(),
            ));
        }
        ("uniform", _) => {
            let [lo, hi] = numbers::<2>(value, "uniform = [lo, hi]")?;
            ordered(lo < hi, "uniform needs lo < hi")?;
            finite_width(lo, hi)?;
            Distribution::Uniform { lo, hi }
        }
        ("triangular", _) => {
            let [lo, mode, hi] = numbers::<3>(value, "triangular = [lo, mode, hi]")?;
            ordered(
                lo <= mode && mode <= hi && lo < hi,
                "triangular needs lo <= mode <= hi and lo < hi",
            )?;
            finite_width(lo, hi)?;
            Distribution::Triangular { lo, mode, hi }
        }
        ("beta", _) => {
            let [alpha, beta] = numbers::<2>(value, "beta = [alpha, beta]")?;
            beta_shapes(alpha, beta)?;
            Distribution::Beta { alpha, beta }
        }
        ("normal", Shape::Number { min, max }) => {
            let [mean, sd] = numbers::<2>(value, "normal = [mean, sd]")?;
            ordered(sd > 0.0, "normal needs sd > 0")?;
            ordered(
                min.is_finite() && max.is_finite(),
                "normal is truncated to the key's range, and this key has no finite range",
            )?;
            mostly_inside(mean, sd, *min, *max)?;
            Distribution::Normal {
                mean,
                sd,
                lo: *min,
                hi: *max,
            }
        }
        _ => unreachable!("every kind and shape is matched"),
    };
    within_range(&distribution, shape)?;
    Ok(distribution)
}

/// The range of shape parameters a beta distribution may take, and why.
/// Inside it the quantile (statrs' inverse of the regularised incomplete
/// beta function) is within 1e-6 of the requested probability and takes a
/// few microseconds; below 0.5 the mass crowds into the few floating-point
/// numbers next to 0 or 1 (errors of 0.001 to 0.1), and past about 10^6 it
/// loses accuracy and, further out, never returns. A beta with
/// alpha + beta = 10^4 has a standard deviation of at most 0.005: a
/// judgement more precise than that is a plain value.
pub const BETA_SHAPES: (f64, f64) = (0.5, 1e4);

fn beta_shapes(alpha: f64, beta: f64) -> Result<(), Refusal> {
    let (low, high) = BETA_SHAPES;
    if [alpha, beta].iter().all(|s| (low..=high).contains(s)) {
        return Ok(());
    }
    Err((
        format!(
            "beta needs both shapes in [{low}, {high}], found [{}, {}]",
            shown(alpha),
            shown(beta)
        ),
        "shapes below 0.5 crowd the mass at 0 or 1, shapes above 10000 make a range \
         narrower than 0.005: write the value itself, or see docs/SCENARIO.md, \"Judged inputs\""
            .into(),
    ))
}

/// The most of a normal's mass that truncation to the key's range may cut
/// away: past half, what is drawn is more the range than the normal
/// written, and its median leaves the mean (docs/SCENARIO.md, "Judged
/// inputs").
pub const MAX_TRUNCATED_MASS: f64 = 0.5;

/// Refuse a normal whose mean lies outside the key's range, or whose mass
/// lies mostly outside it: truncated, either would be drawn from near one
/// end of the range whatever was written.
fn mostly_inside(mean: f64, sd: f64, min: f64, max: f64) -> Result<(), Refusal> {
    if !(min..=max).contains(&mean) {
        return Err((
            format!(
                "the normal's mean {} lies outside this key's range [{min}, {max}]",
                shown(mean)
            ),
            "give a mean inside the range; the normal is truncated to it".into(),
        ));
    }
    let inside = statrs::distribution::Normal::new(mean, sd)
        .map(|n| {
            use statrs::distribution::ContinuousCDF;
            n.cdf(max) - n.cdf(min)
        })
        .unwrap_or(0.0);
    if inside < 1.0 - MAX_TRUNCATED_MASS {
        return Err((
            format!(
                "{:.0} % of normal = [{}, {}] lies outside this key's range [{min}, {max}]: \
                 truncated to it, it would not be the normal written",
                100.0 * (1.0 - inside),
                shown(mean),
                shown(sd)
            ),
            format!(
                "at most {:.0} % may be cut away: narrow the sd, or write \
                 uniform = [{min}, {max}] for a judgement that spans the whole range",
                100.0 * MAX_TRUNCATED_MASS
            ),
        ));
    }
    Ok(())
}

/// A number as a message shows it: as written, or in scientific notation
/// when that is shorter (`1e308`, not 309 digits).
fn shown(x: f64) -> String {
    let plain = x.to_string();
    let scientific = format!("{x:e}");
    if scientific.len() < plain.len() {
        scientific
    } else {
        plain
    }
}

/// Refuse a range too wide for a floating-point number to span.
fn finite_width(lo: f64, hi: f64) -> Result<(), Refusal> {
    ordered((hi - lo).is_finite(), "the range is too wide to draw from")
}

fn ordered(holds: bool, message: &str) -> Result<(), Refusal> {
    if holds {
        Ok(())
    } else {
        Err((
            message.to_string(),
            "see docs/SCENARIO.md, \"Judged inputs\"".into(),
        ))
    }
}

fn numbers<const N: usize>(value: &Value, form: &str) -> Result<[f64; N], Refusal> {
    let refuse = || {
        (
            format!("expected {form}, {N} numbers"),
            format!("e.g. {}", example(form)),
        )
    };
    let array = value.as_array().ok_or_else(refuse)?;
    if array.len() != N {
        return Err(refuse());
    }
    let mut out = [0.0; N];
    for (slot, element) in out.iter_mut().zip(array.iter()) {
        *slot = match element {
            Value::Float(f) if f.value().is_finite() => *f.value(),
            Value::Integer(i) => *i.value() as f64,
            _ => return Err(refuse()),
        };
    }
    Ok(out)
}

fn whole_numbers<const N: usize>(value: &Value, form: &str) -> Result<[i64; N], Refusal> {
    let refuse = || {
        (
            format!("expected {form}, {N} whole numbers"),
            "e.g. uniform = [3, 6]".to_string(),
        )
    };
    let array = value.as_array().ok_or_else(refuse)?;
    if array.len() != N {
        return Err(refuse());
    }
    let mut out = [0; N];
    for (slot, element) in out.iter_mut().zip(array.iter()) {
        *slot = element.as_integer().ok_or_else(refuse)?;
    }
    Ok(out)
}

fn example(form: &str) -> &'static str {
    match form.split(' ').next() {
        Some("triangular") => "triangular = [0.2, 0.3, 0.5]",
        Some("beta") => "beta = [2, 5]",
        Some("normal") => "normal = [0.6, 0.1]",
        _ => "uniform = [0.4, 0.8]",
    }
}

fn one_of(
    value: &Value,
    weights: Option<&Value>,
    allowed: &[String],
) -> Result<Distribution, Refusal> {
    let list = allowed
        .iter()
        .map(|a| format!("{a:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let refuse = || {
        (
            format!("expected one_of = [...] of at least two of {list}"),
            format!("e.g. one_of = [{list}]"),
        )
    };
    let options: Vec<String> = value
        .as_array()
        .ok_or_else(refuse)?
        .iter()
        .map(|v| v.as_str().map(str::to_string).ok_or_else(refuse))
        .collect::<Result<_, _>>()?;
    if options.len() < 2 {
        return Err(refuse());
    }
    if let Some(bad) = options.iter().find(|o| !allowed.contains(o)) {
        return Err((
            format!("{bad:?} is not a value of this key"),
            format!("its values are {list}"),
        ));
    }
    if (1..options.len()).any(|i| options[..i].contains(&options[i])) {
        return Err((
            "one_of lists an option twice".into(),
            "list each option once; weights say how likely".into(),
        ));
    }
    let weights = match weights {
        None => vec![1.0; options.len()],
        Some(w) => {
            let w = w.as_array().map(|a| {
                a.iter()
                    .map(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))
                    .collect::<Option<Vec<f64>>>()
            });
            match w.flatten() {
                Some(w)
                    if w.len() == options.len()
                        && w.iter().all(|x| x.is_finite() && *x >= 0.0)
                        && w.iter().any(|x| *x > 0.0) =>
                {
                    w
                }
                _ => {
                    return Err((
                        format!(
                            "expected weights = [...], {} numbers >= 0, not all 0",
                            options.len()
                        ),
                        "one weight per option, e.g. weights = [0.7, 0.3]".into(),
                    ));
                }
            }
        }
    };
    Ok(Distribution::OneOf {
        options,
        weights: normalised(&weights),
    })
}

/// Weights scaled to sum to 1. When their sum overflows they are divided
/// by the largest first (`[1e308, 1e308]` is an even choice); otherwise
/// by their sum alone, as always. At least one is > 0.
fn normalised(weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    if total.is_finite() {
        return weights.iter().map(|w| w / total).collect();
    }
    let largest = weights.iter().copied().fold(0.0, f64::max);
    let scaled: Vec<f64> = weights.iter().map(|w| w / largest).collect();
    let total: f64 = scaled.iter().sum();
    scaled.iter().map(|w| w / total).collect()
}

/// Refuse a distribution whose support leaves its key's range.
fn within_range(distribution: &Distribution, shape: &Shape) -> Result<(), Refusal> {
    let (low, high) = distribution.support();
    let (low, high) = (low.as_number(&[]), high.as_number(&[]));
    let (min, max) = match shape {
        Shape::Number { min, max } => (*min, *max),
        Shape::Integer { min, max } => (*min as f64, *max as f64),
        _ => return Ok(()),
    };
    if low < min || high > max {
        return Err((
            format!(
                "the distribution ranges over [{low}, {high}], outside this key's range [{min}, {max}]"
            ),
            "every value a distribution can draw must be valid for the key".into(),
        ));
    }
    Ok(())
}

/// What the schema says the key at `path` holds.
fn shape_of(schema: &Json, path: &[String]) -> Shape {
    let mut node = schema;
    for segment in path {
        node = resolve(schema, node);
        // In a list, the segment is an entry's id or index.
        let next = if node.get("type").is_some_and(|t| has_type(t, "array")) {
            node.get("items")
        } else {
            child(schema, node, segment)
        };
        match next {
            Some(next) => node = next,
            None => return Shape::Other,
        }
    }
    leaf_shape(schema, resolve(schema, node))
}

/// The schema of key `segment` of a table: its property, or, for a table
/// of named entries (a party's issues by id), `additionalProperties`; for
/// a key that is a name or a table (`mediator.style`), the property of the
/// table alternative.
fn child<'s>(schema: &'s Json, node: &'s Json, segment: &str) -> Option<&'s Json> {
    let own = node
        .get("properties")
        .and_then(|p| p.get(segment))
        .or_else(|| node.get("additionalProperties").filter(|a| a.is_object()));
    own.or_else(|| {
        node.get("anyOf")?
            .as_array()?
            .iter()
            .find_map(|variant| resolve(schema, variant).get("properties")?.get(segment))
    })
}

fn leaf_shape(schema: &Json, node: &Json) -> Shape {
    let bound = |key: &str, default: f64| node.get(key).and_then(Json::as_f64).unwrap_or(default);
    let Some(kind) = node.get("type") else {
        return choices(schema, node).map_or(Shape::Other, Shape::Choice);
    };
    if has_type(kind, "integer") {
        Shape::Integer {
            min: bound("minimum", i64::MIN as f64) as i64,
            max: bound("maximum", i64::MAX as f64) as i64,
        }
    } else if has_type(kind, "number") {
        Shape::Number {
            min: bound("minimum", f64::NEG_INFINITY),
            max: bound("maximum", f64::INFINITY),
        }
    } else if let Some(options) = choices(schema, node) {
        Shape::Choice(options)
    } else {
        Shape::Other
    }
}

/// The values of an enumerated type: `enum`, or `oneOf` of constants (as
/// schemars writes an enum whose variants are documented). A key that is
/// a name or a table of weights (`mediator.style`) is a choice among the
/// names: a drawn table would be a distribution per weight.
fn choices(schema: &Json, node: &Json) -> Option<Vec<String>> {
    let node = resolve(schema, node);
    if let Some(values) = node.get("enum").and_then(Json::as_array) {
        return values
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect();
    }
    let variants = node
        .get("oneOf")
        .or_else(|| node.get("anyOf"))?
        .as_array()?;
    let mut out = Vec::new();
    for variant in variants {
        let variant = resolve(schema, variant);
        if let Some(c) = variant.get("const").and_then(Json::as_str) {
            out.push(c.to_string());
        } else if let Some(values) = variant.get("enum").and_then(Json::as_array) {
            out.extend(values.iter().filter_map(|v| v.as_str().map(str::to_string)));
        } else if !["null", "object"]
            .contains(&variant.get("type").and_then(Json::as_str).unwrap_or(""))
        {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn has_type(kind: &Json, name: &str) -> bool {
    match kind {
        Json::String(s) => s == name,
        Json::Array(all) => all.iter().any(|k| k.as_str() == Some(name)),
        _ => false,
    }
}

/// Follow a `$ref` to its definition, also through the `anyOf` of a
/// `$ref` and `null` that schemars writes for an optional table.
fn resolve<'s>(schema: &'s Json, node: &'s Json) -> &'s Json {
    let target = |n: &'s Json| {
        n.get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .and_then(|name| schema.get("$defs")?.get(name))
    };
    if let Some(definition) = target(node) {
        return definition;
    }
    let variants = node.get("anyOf").and_then(Json::as_array);
    let refs: Vec<&Json> = variants
        .into_iter()
        .flatten()
        .filter(|v| v.get("type").and_then(Json::as_str) != Some("null"))
        .collect();
    match refs.as_slice() {
        [only] => target(only).unwrap_or(node),
        _ => node,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Result<Vec<JudgedInput>, Vec<String>> {
        let source = SourceText {
            origin: "test.toml".into(),
            text: text.into(),
        };
        let doc = Document::parse(text.to_string()).unwrap();
        let found = find(&doc, &source);
        if found.refused.is_empty() {
            Ok(found.inputs)
        } else {
            Err(found
                .refused
                .into_iter()
                .map(|r| r.diagnostic.message)
                .collect())
        }
    }

    const BASE: &str = "[scenario]\nname = \"x\"\n[format]\nmode = MODE\n[[spoilers]]\nid = \"israel\"\ncapability = CAP\n[[parties]]\nid = \"us\"\n[parties.domestic]\nevents = [{ round = ROUND, kind = \"election\" }]\n";

    fn scenario(mode: &str, cap: &str, round: &str) -> String {
        BASE.replace("MODE", mode)
            .replace("CAP", cap)
            .replace("ROUND", round)
    }

    #[test]
    fn finds_each_kind_under_its_set_key() {
        let text = scenario(
            "{ one_of = [\"indirect\", \"direct\"], weights = [3, 1] }",
            "{ triangular = [0.4, 0.6, 0.8] }",
            "{ uniform = [3, 6] }",
        );
        let inputs = found(&text).unwrap();
        let keys: Vec<&str> = inputs.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "format.mode",
                "spoilers.israel.capability",
                "parties.us.domestic.events.0.round"
            ]
        );
        assert_eq!(
            inputs[0].distribution,
            Distribution::OneOf {
                options: vec!["indirect".into(), "direct".into()],
                weights: vec![0.75, 0.25]
            }
        );
        assert_eq!(
            inputs[2].distribution,
            Distribution::Integers { lo: 3, hi: 6 }
        );
        assert!(text[inputs[1].span.clone()].starts_with("{ triangular"));
    }

    #[test]
    fn normal_is_truncated_to_the_keys_range() {
        let inputs = found(&scenario("\"direct\"", "{ normal = [0.6, 0.2] }", "3")).unwrap();
        assert_eq!(
            inputs[0].distribution,
            Distribution::Normal {
                mean: 0.6,
                sd: 0.2,
                lo: 0.0,
                hi: 1.0
            }
        );
    }

    #[test]
    fn refuses_what_does_not_fit_the_key() {
        let outside = found(&scenario("\"direct\"", "{ uniform = [0.4, 1.8] }", "3")).unwrap_err();
        assert!(
            outside[0].contains("outside this key's range [0, 1]"),
            "{outside:?}"
        );
        let kind = found(&scenario("{ uniform = [0, 1] }", "0.5", "3")).unwrap_err();
        assert!(kind[0].contains("is one of indirect, direct"), "{kind:?}");
        let whole = found(&scenario("\"direct\"", "0.5", "{ uniform = [2.5, 4] }")).unwrap_err();
        assert!(whole[0].contains("whole numbers"), "{whole:?}");
        let two = found(&scenario(
            "\"direct\"",
            "{ uniform = [0.1, 0.2], beta = [1, 2] }",
            "3",
        ))
        .unwrap_err();
        assert!(two[0].contains("expected one distribution"), "{two:?}");
        let shape =
            found("[scenario]\nname = \"x\"\nhorizon = { uniform = [3, 6] }\n").unwrap_err();
        assert!(shape[0].contains("shapes the study"), "{shape:?}");
        let unknown = found(&scenario(
            "{ one_of = [\"indirect\", \"secret\"] }",
            "0.5",
            "3",
        ))
        .unwrap_err();
        assert!(
            unknown[0].contains("\"secret\" is not a value"),
            "{unknown:?}"
        );
    }

    #[test]
    fn distribution_parameters_are_bounded_with_reasons() {
        let refusal = |cap: &str| found(&scenario("\"direct\"", cap, "3")).unwrap_err()[0].clone();
        for shapes in [
            "[1e10, 1e10]",
            "[1e12, 1]",
            "[1, 1e300]",
            "[1e20, 1e-20]",
            "[1e308, 1e308]",
            "[0.1, 2]",
        ] {
            let message = refusal(&format!("{{ beta = {shapes} }}"));
            assert!(
                message.starts_with("beta needs both shapes in [0.5, 10000]"),
                "{message}"
            );
        }
        assert!(refusal("{ beta = [1e308, 1] }").contains("found [1e308, 1]"));
        assert!(found(&scenario("\"direct\"", "{ beta = [0.5, 10000] }", "3")).is_ok());
        let mean = refusal("{ normal = [5, 0.01] }");
        assert_eq!(
            mean,
            "the normal's mean 5 lies outside this key's range [0, 1]"
        );
        let wide = refusal("{ normal = [0.5, 1e17] }");
        assert!(
            wide.starts_with("100 % of normal = [0.5, 1e17] lies outside"),
            "{wide}"
        );
        // Half the mass of a normal centred on the range's end lies outside it.
        assert!(refusal("{ normal = [1, 0.2] }").starts_with("50 % of normal"));
        assert!(found(&scenario("\"direct\"", "{ normal = [0.9, 0.2] }", "3")).is_ok());
        assert_eq!(
            refusal("{ uniform = [-1e308, 1e308] }"),
            "the range is too wide to draw from"
        );
        let rounds = found(&scenario(
            "\"direct\"",
            "0.5",
            "{ uniform = [-9223372036854775808, 9223372036854775807] }",
        ))
        .unwrap_err();
        assert_eq!(rounds[0], "the range is too wide to draw from");
    }

    #[test]
    fn huge_weights_give_an_even_choice() {
        let text = scenario(
            "{ one_of = [\"indirect\", \"direct\"], weights = [1e308, 1e308] }",
            "0.5",
            "3",
        );
        assert_eq!(
            found(&text).unwrap()[0].distribution,
            Distribution::OneOf {
                options: vec!["indirect".into(), "direct".into()],
                weights: vec![0.5, 0.5]
            }
        );
    }

    #[test]
    fn a_mediator_style_and_its_weights_can_be_judged() {
        let text = "[scenario]\nname = \"x\"\n[mediator]\nstyle = { one_of = [\"facilitation\", \"formulation\"] }\n";
        let inputs = found(text).unwrap();
        assert_eq!(inputs[0].key, "mediator.style");
        assert_eq!(
            inputs[0].distribution.options(),
            ["facilitation", "formulation"]
        );
        let text = "[scenario]\nname = \"x\"\n[mediator]\nstyle = { facilitation = { uniform = [0.2, 0.6] }, formulation = 0.3 }\n";
        let inputs = found(text).unwrap();
        assert_eq!(inputs[0].key, "mediator.style.facilitation");
        assert_eq!(
            inputs[0].distribution,
            Distribution::Uniform { lo: 0.2, hi: 0.6 }
        );
        let outside = found(
            "[scenario]\nname = \"x\"\n[mediator.style]\nmanipulation = { uniform = [0.2, 1.6] }\n",
        )
        .unwrap_err();
        assert!(
            outside[0].contains("outside this key's range [0, 1]"),
            "{outside:?}"
        );
    }

    #[test]
    fn corners_keep_every_offset_and_worlds_replace_values() {
        let text = scenario(
            "\"direct\"",
            "{ uniform = [0.4, 0.8] }",
            "{ uniform = [3, 6] }",
        );
        let inputs = found(&text).unwrap();
        let low = corner_text(&text, &inputs, Corner::Low);
        let high = corner_text(&text, &inputs, Corner::High);
        assert_eq!(low.len(), text.len());
        assert!(low.contains("capability = 0.4 "), "{low}");
        assert!(high.contains("round = 6 "), "{high}");
        let mut world: toml::Table = toml::from_str(&text).unwrap();
        set_values(
            &mut world,
            &inputs,
            &[Drawn::Number(0.55), Drawn::Integer(4)],
        );
        let written: toml::Table = toml::from_str(&scenario("\"direct\"", "0.55", "4")).unwrap();
        assert_eq!(world, written);
        assert_eq!(
            inputs[1].path,
            [
                Step::Key("parties".into()),
                Step::Index(0),
                Step::Key("domestic".into()),
                Step::Key("events".into()),
                Step::Index(0),
                Step::Key("round".into()),
            ]
        );
    }
}
