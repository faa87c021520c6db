//! Turning what the user named (a path or an embedded scenario) into a
//! validated [`Scenario`], or into diagnostics that point at the problem.

use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml_edit::Document;

use super::embedded;
use super::judged::{self, Corner, JudgedInput, corner_text};
use super::locate::{key_at, span_of};
use super::overrides::{self, Override, Slot, set_argument, set_at};
use super::problem::{Problem, did_you_mean};
use super::read::read_text;
use super::types::Scenario;
use super::validate::{ValidScenario, charge, validated};
use crate::error::{Diagnostic, Error, Result, SourceText, VALUES, setting};
#[cfg(test)]
use crate::stats::Distribution;
use crate::stats::Drawn;

/// Scenario files are written by hand: anything this large is a mistake.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A scenario ready to run, with the text it came from.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    pub scenario: ValidScenario,
    /// The text that was parsed: the file after every `--set`.
    pub source: SourceText,
    /// The file as read, before any `--set`: what further values apply to.
    pub original: SourceText,
    /// How the user named it: a path or an embedded name.
    pub spec: String,
    /// Hex SHA-256 of [`LoadedScenario::source`]'s text.
    pub sha256: String,
    /// The `--set` arguments applied, in order.
    pub overrides: Vec<String>,
    /// The inputs written as distributions, in the order of the text
    /// (empty for a scenario of plain values). [`LoadedScenario::scenario`]
    /// then has each at its median.
    pub judged: Vec<JudgedInput>,
    /// [`LoadedScenario::source`] parsed as TOML values: each world and
    /// each design point starts from it.
    tree: toml::Table,
}

impl LoadedScenario {
    /// This scenario with each judged input at its value in `values`, or
    /// the problems that make that combination invalid.
    pub fn world(&self, values: &[Drawn]) -> std::result::Result<ValidScenario, Vec<String>> {
        world_scenario(&self.tree, &self.judged, values)
    }

    /// A design point made from values, not text: this scenario with each
    /// key of `slots` (found by [`find_slot`] in its text) at its value in
    /// `values`, set in the parsed tree by [`set_at`] and checked as a
    /// file is (at both ends of the support of any judged input left, whose
    /// worlds it then draws). `None` when this route cannot vouch for the
    /// point: an invalid value, or a key inside a distribution. The caller
    /// then loads the point's text with the same values
    /// ([`set_argument`]), which says what is wrong and where.
    ///
    /// A point's text is never made: its `source` and `sha256` are this
    /// scenario's, and it is named by its values (`overrides`). A design
    /// reads only a point's outcomes.
    ///
    /// [`find_slot`]: super::overrides::find_slot
    pub fn assigned(&self, slots: &[Slot], values: &[Drawn]) -> Option<LoadedScenario> {
        let inside_an_input = |slot: &Slot| {
            self.judged
                .iter()
                .any(|j| slot.steps.len() > j.path.len() && slot.steps.starts_with(&j.path))
        };
        let mut tree = self.tree.clone();
        for (slot, value) in slots.iter().zip(values) {
            if inside_an_input(slot) || !set_at(&mut tree, &slot.steps, judged::toml_value(value)) {
                return None;
            }
        }
        let judged: Vec<JudgedInput> = self
            .judged
            .iter()
            .filter(|j| !slots.iter().any(|slot| slot.steps == j.path))
            .cloned()
            .collect();
        if !judged.is_empty() {
            let (lows, highs): (Vec<Drawn>, Vec<Drawn>) =
                judged.iter().map(|j| j.distribution.support()).unzip();
            for corner in [lows, highs] {
                world_scenario(&tree, &judged, &corner).ok()?;
            }
        }
        let medians: Vec<Drawn> = judged
            .iter()
            .map(|j| j.distribution.quantile(0.5))
            .collect();
        let scenario = world_scenario(&tree, &judged, &medians).ok()?;
        let mut overrides = self.overrides.clone();
        overrides.extend(
            slots
                .iter()
                .zip(values)
                .map(|(slot, value)| set_argument(&slot.key, value)),
        );
        Some(LoadedScenario {
            scenario,
            source: SourceText {
                origin: after_set(&self.original.origin),
                text: self.source.text.clone(),
            },
            original: self.original.clone(),
            spec: self.spec.clone(),
            sha256: self.sha256.clone(),
            overrides,
            tree: if judged.is_empty() {
                toml::Table::new()
            } else {
                tree
            },
            judged,
        })
    }

    /// How reports name the study: see [`display_name`].
    pub fn display_name(&self) -> String {
        display_name(&self.scenario.scenario.name, &self.overrides)
    }
}

/// "NAME", or "NAME with KEY=VALUE, ..." for a scenario changed with
/// `--set`: how titles and summaries name a study, so that a changed one
/// never passes for the scenario as written.
pub fn display_name(name: &str, overrides: &[String]) -> String {
    if overrides.is_empty() {
        name.to_string()
    } else {
        format!("{name} with {}", overrides.join(", "))
    }
}

/// Load `spec` (a file path, or the name of an embedded scenario) and apply
/// the `--set` arguments.
pub fn load(spec: &str, set_args: &[String]) -> Result<LoadedScenario> {
    let overrides = parse_overrides(set_args)?;
    let (origin, text) = read_spec(spec)?;
    load_text(spec, &origin, &text, &overrides)
}

/// Load a scenario variant: a path or embedded name, optionally followed by
/// `:KEY=VALUE` overrides (`muscat-2026:format.mode=direct:leak_hazard=0.2`
/// would be written `muscat-2026:format.mode=direct:format.leak_hazard=0.2`).
/// An existing file whose name contains ':' is taken as a file.
pub fn load_variant(spec: &str) -> Result<LoadedScenario> {
    if names_a_file(Path::new(spec)) || embedded::get(spec).is_some() {
        return load(spec, &[]);
    }
    let Some((base, sets)) = spec.split_once(':') else {
        return load(spec, &[]);
    };
    let sets: Vec<String> = sets.split(':').map(str::to_string).collect();
    let mut loaded = load(base, &sets)?;
    loaded.spec = spec.to_string();
    Ok(loaded)
}

/// Parse every `--set` argument, reporting all malformed ones at once.
pub fn parse_overrides(set_args: &[String]) -> Result<Vec<Override>> {
    let (ok, bad): (Vec<_>, Vec<_>) = set_args
        .iter()
        .map(|a| Override::parse(a))
        .partition(|r| r.is_ok());
    if !bad.is_empty() {
        return Err(Error::Input(
            bad.into_iter().filter_map(|r| r.err()).collect(),
        ));
    }
    Ok(ok.into_iter().filter_map(|r| r.ok()).collect())
}

/// Whether something is at `path`, even a file that cannot be read (a
/// symbolic link loop, a broken link): reading it then says why, rather
/// than taking `path` for the name of an embedded scenario.
fn names_a_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Read the text behind `spec`: a file if one exists there, else an
/// embedded scenario of that name.
fn read_spec(spec: &str) -> Result<(String, String)> {
    let path = Path::new(spec);
    if names_a_file(path) {
        let text = read_text(path, "a scenario file", MAX_FILE_BYTES)?;
        return Ok((spec.to_string(), text));
    }
    if let Some(text) = embedded::get(spec) {
        return Ok((format!("embedded:{spec}"), text.to_string()));
    }
    let mut diagnostic = Diagnostic::new(format!(
        "no scenario file or embedded scenario named {spec:?}"
    ))
    .help(format!(
        "embedded scenarios: {}",
        embedded::names().collect::<Vec<_>>().join(", ")
    ));
    if let Some(file) = scenario_file_like(spec) {
        diagnostic = diagnostic.help(format!("did you mean the file {file:?}?"));
    } else if let Some(close) = did_you_mean(spec, embedded::names()) {
        diagnostic = diagnostic.help(format!("did you mean the embedded scenario {close:?}?"));
    }
    Err(Error::input(diagnostic))
}

/// How many entries of a directory are looked through for a file a
/// mistyped name may mean: a bound on the work in a huge directory.
const MAX_ENTRIES_LOOKED_AT: usize = 10_000;

/// The `.toml` file beside the path `spec` names (in the current directory
/// for a bare name) that `spec` most likely means: `ceasfire.toml` or
/// `ceasefire` for `ceasefire.toml`.
fn scenario_file_like(spec: &str) -> Option<String> {
    let path = Path::new(spec);
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let written = path.file_name()?.to_str()?;
    let with_extension = if written.ends_with(".toml") {
        written.to_string()
    } else {
        format!("{written}.toml")
    };
    let names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .take(MAX_ENTRIES_LOOKED_AT)
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    let close = did_you_mean(&with_extension, names.iter().map(String::as_str))?;
    Some(
        dir.join(close)
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string(),
    )
}

/// Parse, apply overrides and validate a scenario text.
pub fn load_text(
    spec: &str,
    origin: &str,
    text: &str,
    overrides: &[Override],
) -> Result<LoadedScenario> {
    let effective = overrides::apply(text, overrides).map_err(Error::Input)?;
    let shown_origin = if overrides.is_empty() {
        origin.to_string()
    } else {
        after_set(origin)
    };
    let source = SourceText {
        origin: shown_origin,
        text: effective.as_str().into(),
    };
    charge(effective.len());
    let doc = Document::parse(effective.clone())
        .map_err(|e| Error::input(syntax_diagnostic(&e, &source)))?;
    let judged::Found {
        inputs: judged,
        refused,
    } = judged::find(&doc, &source);
    // A refused distribution is reported, and a plain value stands in for
    // it while the rest of the file is checked: one bad distribution hides
    // no other problem. A distribution written as a table has no stand-in.
    let mut report = Report::default();
    for refusal in &refused {
        report.add(|| refusal.diagnostic.clone());
    }
    if refused.iter().any(|r| r.stand_in.is_none()) {
        return Err(report.into_error(&source.origin));
    }
    let reported: Vec<Span> = refused
        .iter()
        .filter_map(|r| r.stand_in.as_ref().map(|(span, _)| span.clone()))
        .collect();
    let checked = judged::with_stand_ins(&effective, &refused);
    let checked = if judged.is_empty() {
        check(&checked, &source, overrides, &reported).map(Some)
    } else {
        check_corners(&checked, &judged, &source, overrides, &reported).map(|()| None)
    };
    let valid = match checked {
        Ok(valid) => valid,
        Err(found) => {
            report.absorb(found);
            None
        }
    };
    if !report.is_empty() {
        return Err(report.into_error(&source.origin));
    }
    let tree = parsed_tree(&effective, &source)?;
    let scenario = match valid {
        Some(scenario) => scenario,
        None => at_medians(&tree, &judged, &source)?,
    };
    Ok(LoadedScenario {
        scenario,
        sha256: hex_sha256(effective.as_bytes()),
        source,
        original: SourceText {
            origin: origin.to_string(),
            text: text.into(),
        },
        spec: spec.to_string(),
        overrides: overrides.iter().map(|o| o.arg.clone()).collect(),
        judged,
        tree,
    })
}

type Span = std::ops::Range<usize>;

/// Whether `span` lies inside one of `spans`.
fn within_any(span: &Span, spans: &[Span]) -> bool {
    spans
        .iter()
        .any(|t| t.start <= span.start && span.end <= t.end)
}

/// Parse and validate `text`, locating each problem in `source` (whose
/// byte offsets `text` shares); a problem inside one of the `reported`
/// spans is not reported again.
fn check(
    text: &str,
    source: &SourceText,
    overrides: &[Override],
    reported: &[Span],
) -> std::result::Result<ValidScenario, Report> {
    // Parsed, then deserialised.
    charge(2 * text.len());
    let doc = Document::parse(text.to_string()).map_err(|e| {
        let mut report = Report::default();
        report.add(|| syntax_diagnostic(&e, source));
        report
    })?;
    let mut report = Report::default();
    let (scenario, type_problem_spans) = match toml::from_str::<Scenario>(text) {
        Ok(scenario) => (Some(scenario), reported.to_vec()),
        Err(e) => {
            // Serde stops at the first problem; look for the others table by
            // table so the user can fix them all at once.
            let checked = check_parts(&doc, source, overrides, reported, &mut report);
            let already = e.span().is_some_and(|span| within_any(&span, reported));
            if report.is_empty() && !already {
                report.add(|| serde_diagnostic(&e, &doc, source, overrides));
            }
            let mut spans = checked.problem_spans;
            spans.extend_from_slice(reported);
            (checked.scenario, spans)
        }
    };
    // Range problems too, of whatever deserialised once the type problems
    // were taken out; a key already reported is not reported again, nor is
    // a table whose header a type problem points at (a table without its
    // required key is not also reported as missing).
    let (valid, problems) = match scenario.map(validated) {
        Some(Ok(valid)) => (Some(valid), Vec::new()),
        Some(Err(problems)) => (None, problems),
        None => (None, Vec::new()),
    };
    for problem in problems {
        let span = span_of(&doc, &problem.path);
        let reported = span.as_ref().is_some_and(|span| {
            within_any(span, &type_problem_spans)
                || type_problem_spans
                    .iter()
                    .any(|t| span.start <= t.start && t.end <= span.end)
        });
        if !reported {
            report.add(|| range_diagnostic(problem, span, source, overrides));
        }
    }
    match valid {
        Some(valid) if report.is_empty() => Ok(valid),
        _ => Err(report),
    }
}

/// Validate a scenario with judged inputs at both ends of every input's
/// support, each problem reported once.
fn check_corners(
    text: &str,
    judged: &[JudgedInput],
    source: &SourceText,
    overrides: &[Override],
    reported: &[Span],
) -> std::result::Result<(), Report> {
    let mut report = Report::default();
    for corner in [Corner::Low, Corner::High] {
        let corner = corner_text(text, judged, corner);
        if let Err(found) = check(&corner, source, overrides, reported) {
            report.absorb(found);
        }
    }
    if report.is_empty() {
        Ok(())
    } else {
        Err(report)
    }
}

/// How a text changed by values set on it is named in messages.
fn after_set(origin: &str) -> String {
    format!("{origin} (after {})", setting(VALUES))
}

/// The scenario's text parsed as TOML values, from which every world and
/// design point is made.
fn parsed_tree(effective: &str, source: &SourceText) -> Result<toml::Table> {
    charge(2 * effective.len());
    toml::from_str(effective).map_err(|e| {
        Error::input(
            Diagnostic::new(format!("invalid TOML: {}", e.message().trim())).origin(&source.origin),
        )
    })
}

/// A valid scenario with judged inputs at the inputs' medians (what
/// reports show as its values, and the scenario compiled where one model
/// stands for all worlds' shape), made from its text parsed as TOML values
/// (`tree`).
fn at_medians(
    tree: &toml::Table,
    judged: &[JudgedInput],
    source: &SourceText,
) -> Result<ValidScenario> {
    // A quantile of each input, bounded by the bounds on its parameters
    // (docs/SCENARIO.md, "Distributions").
    charge(judged.len());
    let medians: Vec<Drawn> = judged
        .iter()
        .map(|j| j.distribution.quantile(0.5))
        .collect();
    let scenario = world_scenario(tree, judged, &medians).map_err(|problems| {
        Error::input(
            Diagnostic::new(format!(
                "the scenario at its judged inputs' medians is not valid: {}",
                problems.join("; ")
            ))
            .origin(&source.origin)
            .help("narrow the distributions so that every combination of values is valid"),
        )
    })?;
    Ok(scenario)
}

/// The scenario whose text parses to `tree` with each judged input at its
/// value in `values`, or the problems that make it invalid (key: message).
/// Setting the values in the parsed tree is what replacing them in the
/// text and parsing it again would give, without the parse: a study draws
/// hundreds of worlds.
pub fn world_scenario(
    tree: &toml::Table,
    judged: &[JudgedInput],
    values: &[Drawn],
) -> std::result::Result<ValidScenario, Vec<String>> {
    let mut tree = tree.clone();
    judged::set_values(&mut tree, judged, values);
    let scenario = Scenario::deserialize(toml::Value::Table(tree))
        .map_err(|e| vec![e.message().to_string()])?;
    validated(scenario).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    })
}

/// A TOML syntax error at its place. The parser gives none for a key of
/// too many dotted parts ("recursion limit"): that is the deepest key.
pub fn syntax_diagnostic(error: &toml_edit::TomlError, source: &SourceText) -> Diagnostic {
    let diagnostic = Diagnostic::new(format!("invalid TOML: {}", error.message().trim()));
    match error.span() {
        Some(span) => diagnostic.at(source, span),
        None => {
            let (depth, span) = deepest_key(&source.text);
            diagnostic.at(source, span).help(format!(
                "this key has {depth} dotted parts; the deepest key of a scenario has six"
            ))
        }
    }
}

/// The number of parts and span of the key with the most dotted parts, a table header or the
/// left of `key = value`. Dots inside quoted keys count too: good enough
/// to point at a key nested thousands deep.
fn deepest_key(text: &str) -> (usize, std::ops::Range<usize>) {
    let mut deepest = (0, 0..0);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let written = line.trim_start();
        let key = match written.strip_prefix('[') {
            Some(_) => written.split(']').next(),
            None => written.split_once('=').map(|(key, _)| key),
        };
        if let Some(key) = key.map(str::trim_end) {
            let depth = key.matches('.').count() + 1;
            if depth > deepest.0 {
                let start = offset + indent;
                deepest = (depth, start..start + key.len());
            }
        }
        offset += line.len();
    }
    deepest
}

/// A range or cross-reference problem at the key it is about: in the file,
/// or in the `--set` argument that set it.
fn range_diagnostic(
    problem: Problem,
    span: Option<std::ops::Range<usize>>,
    source: &SourceText,
    overrides: &[Override],
) -> Diagnostic {
    let key = problem.path.to_string();
    let mut d = Diagnostic::new(problem.message).key(&key);
    if let Some(help) = problem.help {
        d = d.help(help);
    }
    match (overrides.iter().rev().find(|o| o.concerns(&key)), span) {
        (Some(o), _) => d.at(&o.source(), value_span(&o.arg)),
        (None, Some(span)) => d.at(source, span),
        (None, None) => d.origin(source.origin.clone()),
    }
}

/// How many problems of one file are shown: more than any real file has.
/// Locating and rendering a problem each cost a pass over the file, so a
/// generated file with thousands would otherwise take minutes.
const MAX_SHOWN_PROBLEMS: usize = 100;

/// The problems of one file: the first [`MAX_SHOWN_PROBLEMS`] located, the
/// rest only counted.
#[derive(Default)]
struct Report {
    shown: Vec<Diagnostic>,
    not_shown: usize,
}

impl Report {
    /// Count a problem, locating it (`diagnostic`) only if it will be shown.
    fn add(&mut self, diagnostic: impl FnOnce() -> Diagnostic) {
        if self.shown.len() < MAX_SHOWN_PROBLEMS {
            self.shown.push(diagnostic());
        } else {
            self.not_shown += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// Add the problems of `other` not already here (the two corners of a
    /// scenario with judged inputs share most of theirs).
    fn absorb(&mut self, other: Report) {
        for diagnostic in other.shown {
            if !self.shown.contains(&diagnostic) {
                self.add(|| diagnostic);
            }
        }
        self.not_shown = self.not_shown.max(other.not_shown);
    }

    fn into_error(mut self, origin: &str) -> Error {
        if self.not_shown > 0 {
            self.shown.push(
                Diagnostic::new(format!(
                    "{} more problems not shown ({} in all)",
                    self.not_shown,
                    self.not_shown + MAX_SHOWN_PROBLEMS
                ))
                .origin(origin)
                .standing_for(self.not_shown)
                .help("fix these first, then validate again"),
            );
        }
        Error::Input(self.shown)
    }
}

fn value_span(arg: &str) -> std::ops::Range<usize> {
    arg.find('=').map_or(0..arg.len(), |eq| eq + 1..arg.len())
}

/// A serde error (unknown key, wrong type, missing key) as a diagnostic with
/// the key it is under and, for unknown names, the closest known one.
pub fn serde_diagnostic(
    error: &toml::de::Error,
    doc: &Document<String>,
    source: &SourceText,
    overrides: &[Override],
) -> Diagnostic {
    located(error.message(), error.span(), doc, source, overrides)
}

/// A problem serde reported at `span` of the document: under its key, with
/// "did you mean" where it helps, pointing at the `--set` argument when one
/// set that key.
pub(crate) fn located(
    message: &str,
    span: Option<std::ops::Range<usize>>,
    doc: &Document<String>,
    source: &SourceText,
    overrides: &[Override],
) -> Diagnostic {
    let message = message.trim().to_string();
    let span = span.unwrap_or(0..0);
    let key = key_at(doc, span.start).filter(|k| !k.is_empty());
    let mut diagnostic = Diagnostic::new(message.clone());
    if let Some(key) = &key {
        diagnostic = diagnostic.key(key);
    }
    if let Some(help) = suggestion(&message) {
        diagnostic = diagnostic.help(help);
    }
    let from_override = key
        .as_deref()
        .and_then(|k| overrides.iter().rev().find(|o| o.concerns(k)));
    match from_override {
        Some(o) => diagnostic.at(&o.source(), 0..o.arg.len()),
        None => diagnostic.at(source, span),
    }
}

/// The tables a scenario may have at its top level.
const TOP_LEVEL: [&str; 9] = [
    "scenario", "format", "mediator", "trust", "issues", "parties", "spoilers", "shocks", "record",
];

/// What [`check_parts`] learnt beyond the problems it reported.
struct Checked {
    /// The scenario with every key that had a type problem taken out, when
    /// the rest deserialises: its range problems can be reported too.
    scenario: Option<Scenario>,
    /// Where the type problems are, so that no key is reported twice.
    problem_spans: Vec<std::ops::Range<usize>>,
}

/// Type problems of every top-level table and array entry, each checked on
/// its own so that one bad entry does not hide the next, and every problem
/// inside an entry found by taking out what serde stopped at and asking
/// again (see [`check_part`]).
fn check_parts(
    doc: &Document<String>,
    source: &SourceText,
    overrides: &[Override],
    reported: &[Span],
    report: &mut Report,
) -> Checked {
    use super::types::{Format, Issue, Mediator, Meta, Party, Record, Shock, Spoiler, TrustRules};
    let mut problem_spans = Vec::new();
    let mut cleaned = Some(toml_edit::InlineTable::new());
    let table = doc.as_table();
    for (key, item) in table.iter() {
        let (found, part) = match key {
            "scenario" => check_part::<Meta>(item),
            "format" => check_part::<Format>(item),
            "mediator" => check_part::<Mediator>(item),
            "trust" => check_part::<TrustRules>(item),
            "issues" => check_entries::<Issue>(item),
            "parties" => check_entries::<Party>(item),
            "spoilers" => check_entries::<Spoiler>(item),
            "shocks" => check_entries::<Shock>(item),
            "record" => check_part::<Record>(item),
            other => {
                report.add(|| unknown_top_level(other, item, table, source));
                continue;
            }
        };
        match (&mut cleaned, part) {
            (Some(cleaned), Some(part)) => {
                cleaned.insert(key, part);
            }
            _ => cleaned = None,
        }
        for problem in found {
            if problem
                .span
                .as_ref()
                .is_some_and(|span| within_any(span, reported))
            {
                continue;
            }
            problem_spans.extend(problem.span.clone());
            report.add(|| located(&problem.message, problem.span, doc, source, overrides));
        }
    }
    if !report.is_empty() {
        for required in ["scenario", "issues", "parties"] {
            if !table.contains_key(required) {
                report.add(|| {
                    Diagnostic::new(format!("missing field `{required}`"))
                        .key(required)
                        .origin(source.origin.clone())
                });
            }
        }
    }
    let scenario = cleaned.and_then(|cleaned| {
        use serde::de::{Deserialize, IntoDeserializer};
        Scenario::deserialize(toml_edit::Value::InlineTable(cleaned).into_deserializer()).ok()
    });
    Checked {
        scenario,
        problem_spans,
    }
}

/// A top-level table that is not part of a scenario.
fn unknown_top_level(
    key: &str,
    item: &toml_edit::Item,
    table: &toml_edit::Table,
    source: &SourceText,
) -> Diagnostic {
    let expected: Vec<String> = TOP_LEVEL.iter().map(|k| format!("`{k}`")).collect();
    let mut d = Diagnostic::new(format!(
        "unknown field `{key}`, expected one of {}",
        expected.join(", ")
    ))
    .key(key);
    if let Some(close) = did_you_mean(key, TOP_LEVEL) {
        d = d.help(format!("did you mean `{close}`?"));
    }
    let span = table
        .key(key)
        .and_then(|k| k.span())
        .or_else(|| item.span())
        .unwrap_or(0..0);
    d.at(source, span)
}

/// How many problems one table may report: enough for any real file, and a
/// bound on the work a hostile one can cause.
const MAX_PROBLEMS_PER_TABLE: usize = 32;

/// Every type problem of one table, and the table without them when it
/// then deserialises. Serde stops at the first problem; taking out the key
/// it stopped at and deserialising again finds the next, until the table
/// deserialises or its problem cannot be located. A required key that was
/// taken out is not reported again as missing. An unknown name among a
/// fixed set (`effect = "explode"`) is replaced by the first name expected
/// rather than taken out, so that the table still deserialises and its
/// range problems are found too. A problem serde does not locate (a
/// missing key) is placed at the table.
pub(crate) fn check_part<T: serde::de::DeserializeOwned>(item: &toml_edit::Item) -> Part {
    use serde::de::IntoDeserializer;
    let whole = item.span();
    let mut value = match item.clone() {
        toml_edit::Item::Table(table) => toml_edit::Value::InlineTable(table.into_inline_table()),
        toml_edit::Item::Value(value) => value,
        _ => return (Vec::new(), None),
    };
    let mut problems = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    while problems.len() < MAX_PROBLEMS_PER_TABLE {
        charge(whole.as_ref().map_or(1, |span| span.len()));
        let Err(error) = T::deserialize(value.clone().into_deserializer()) else {
            return (problems, Some(value));
        };
        let missing_removed = removed
            .iter()
            .any(|key| error.message().contains(&format!("missing field `{key}`")));
        if missing_removed {
            break;
        }
        let at = error.span().map(|span| span.start);
        let stand_in = first_expected_variant(error.message()).map(toml_edit::Value::from);
        problems.push(TypeProblem {
            message: error.message().to_string(),
            span: error.span().or_else(|| whole.clone()),
        });
        let Some(key) = at.and_then(|pos| take_out(&mut value, pos, stand_in)) else {
            break;
        };
        removed.push(key);
    }
    (problems, None)
}

/// A type problem serde found, and where.
pub(crate) struct TypeProblem {
    pub(crate) message: String,
    pub(crate) span: Option<Span>,
}

/// The type problems of a table or array, and it without them if it then
/// deserialises.
pub(crate) type Part = (Vec<TypeProblem>, Option<toml_edit::Value>);

/// The first name serde's "unknown variant `x`, expected one of `a`, `b`"
/// (or "expected `a` or `b`") lists.
fn first_expected_variant(message: &str) -> Option<String> {
    let (_, expected) = message
        .strip_prefix("unknown variant `")?
        .split_once("expected ")?;
    let name = expected.split('`').nth(1)?;
    (!name.is_empty()).then(|| name.to_string())
}

/// Remove the innermost key whose name or value covers source position
/// `pos`, or set its value to `stand_in` when there is one; its name, or
/// `None` when nothing there covers it.
fn take_out(
    value: &mut toml_edit::Value,
    pos: usize,
    stand_in: Option<toml_edit::Value>,
) -> Option<String> {
    match value {
        toml_edit::Value::InlineTable(table) => {
            let key = table
                .iter()
                .find(|(k, v)| {
                    let on_key = table
                        .key(k)
                        .and_then(|k| k.span())
                        .is_some_and(|s| covers(&s, pos));
                    on_key || value_covers(v, pos)
                })
                .map(|(k, _)| k.to_string())?;
            let inner = table.get_mut(&key)?;
            if let Some(deeper) = take_out(inner, pos, stand_in.clone()) {
                return Some(deeper);
            }
            match stand_in {
                Some(stand_in) if inner.is_str() => *inner = stand_in,
                _ => {
                    table.remove(&key);
                }
            }
            Some(key)
        }
        toml_edit::Value::Array(array) => array.iter_mut().find_map(|v| match v {
            toml_edit::Value::InlineTable(_) => take_out(v, pos, stand_in.clone()),
            _ => None,
        }),
        _ => None,
    }
}

/// Whether `value`, or anything inside it, comes from source position `pos`.
fn value_covers(value: &toml_edit::Value, pos: usize) -> bool {
    if value.span().is_some_and(|s| covers(&s, pos)) {
        return true;
    }
    match value {
        toml_edit::Value::InlineTable(table) => table.iter().any(|(k, v)| {
            table
                .key(k)
                .and_then(|k| k.span())
                .is_some_and(|s| covers(&s, pos))
                || value_covers(v, pos)
        }),
        toml_edit::Value::Array(array) => array.iter().any(|v| value_covers(v, pos)),
        _ => false,
    }
}

fn covers(span: &std::ops::Range<usize>, pos: usize) -> bool {
    span.start <= pos && pos < span.end.max(span.start + 1)
}

/// Every type problem of each entry of an array of tables.
fn check_entries<T: serde::de::DeserializeOwned>(item: &toml_edit::Item) -> Part {
    let entries: Vec<toml_edit::Item> = match item {
        toml_edit::Item::ArrayOfTables(array) => array
            .iter()
            .map(|t| toml_edit::Item::Table(t.clone()))
            .collect(),
        toml_edit::Item::Value(toml_edit::Value::Array(array)) => {
            array.iter().cloned().map(toml_edit::Item::Value).collect()
        }
        other => return check_part::<Vec<T>>(other),
    };
    let mut problems = Vec::new();
    let mut cleaned = Some(toml_edit::Array::new());
    for entry in &entries {
        let (found, part) = check_part::<T>(entry);
        problems.extend(found);
        match (&mut cleaned, part) {
            (Some(cleaned), Some(part)) => cleaned.push(part),
            _ => cleaned = None,
        }
    }
    (problems, cleaned.map(toml_edit::Value::Array))
}

/// "did you mean" for serde's `unknown field`/`unknown variant` messages,
/// which list what was expected in backticks.
fn suggestion(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (word, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(word, candidates.iter().copied()).map(|c| format!("did you mean `{c}`?"))
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::overrides::find_slot;

    /// `base` with `values` set at `keys` from its parsed tree, and the
    /// same loaded as text with `--set`.
    fn both_ways(
        base: &LoadedScenario,
        keys: &[&str],
        values: &[Drawn],
    ) -> (Option<LoadedScenario>, Result<LoadedScenario>) {
        let slots: Vec<Slot> = keys
            .iter()
            .map(|k| find_slot(&base.source.text, k).expect("a key --set takes"))
            .collect();
        let mut sets = base.overrides.clone();
        sets.extend(keys.iter().zip(values).map(|(k, v)| set_argument(k, v)));
        (base.assigned(&slots, values), load(&base.spec, &sets))
    }

    #[test]
    fn a_point_set_in_the_tree_is_the_point_loaded_as_text() {
        let judged = load("muscat-2026", &[]).unwrap();
        let medians: Vec<String> = judged
            .judged
            .iter()
            .map(|j| set_argument(&j.key, &j.distribution.quantile(0.5)))
            .collect();
        let plain = load("muscat-2026", &medians);
        let cases: [(&LoadedScenario, &[&str], Vec<Drawn>); 4] = [
            (
                &judged,
                &["spoilers.israel.capability", "scenario.horizon"],
                vec![Drawn::Number(0.25), Drawn::Integer(11)],
            ),
            (
                &judged,
                &["mediator.facilitation_strength", "format.mode"],
                vec![Drawn::Number(0.4), Drawn::Text("direct".into())],
            ),
            (
                plain.as_ref().unwrap(),
                &[
                    "parties.us.domestic.events.0.round",
                    "parties.1.domestic.threshold",
                ],
                vec![Drawn::Integer(4), Drawn::Number(0.35)],
            ),
            (
                plain.as_ref().unwrap(),
                &["trust.missing_table.key"],
                vec![Drawn::Number(0.1)],
            ),
        ];
        for (base, keys, values) in cases.iter().take(3) {
            let (typed, text) = both_ways(base, keys, values);
            let text = text.unwrap_or_else(|e| panic!("{keys:?}: {e:?}"));
            let typed = typed.expect("a valid point");
            assert_eq!(
                format!("{:?}", typed.scenario),
                format!("{:?}", text.scenario)
            );
            let inputs = |l: &LoadedScenario| -> Vec<(String, Distribution)> {
                l.judged
                    .iter()
                    .map(|j| (j.key.clone(), j.distribution.clone()))
                    .collect()
            };
            assert_eq!(inputs(&typed), inputs(&text), "{keys:?}");
            assert_eq!(typed.overrides, text.overrides);
            assert_eq!(typed.source.origin, text.source.origin);
        }
        let (base, keys, values) = &cases[3];
        let (typed, text) = both_ways(base, keys, values);
        assert!(
            typed.is_none() && text.is_err(),
            "an unknown key is refused"
        );
    }

    #[test]
    fn a_point_the_tree_cannot_vouch_for_is_left_to_the_text() {
        let base = load("muscat-2026", &[]).unwrap();
        let out_of_range = find_slot(&base.source.text, "spoilers.israel.capability").unwrap();
        assert!(
            base.assigned(&[out_of_range], &[Drawn::Number(1.5)])
                .is_none()
        );
        let inside = find_slot(
            &base.source.text,
            "mediator.facilitation_strength.triangular",
        )
        .unwrap();
        assert!(base.assigned(&[inside], &[Drawn::Number(0.5)]).is_none());
        assert_eq!(
            find_slot(&base.source.text, "spoilers.isreal.capability"),
            None
        );
        assert_eq!(
            find_slot(&base.source.text, "parties"),
            None,
            "a table, not a value"
        );
    }

    const MINIMAL: &str = r#"
[scenario]
name = "tiny"
[[issues]]
id = "a"
[[parties]]
id = "x"
[parties.issues.a]
reservation = 0.2
[[parties]]
id = "y"
[parties.issues.a]
reservation = 0.2
"#;

    fn errors(text: &str, sets: &[&str]) -> Vec<Diagnostic> {
        let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
        match load_text("t.toml", "t.toml", text, &overrides) {
            Err(Error::Input(d)) => d,
            other => panic!("expected input errors, got {other:?}"),
        }
    }

    #[test]
    fn a_minimal_file_loads() {
        let loaded = load_text("t.toml", "t.toml", MINIMAL, &[]).unwrap();
        assert_eq!(loaded.scenario.scenario.name, "tiny");
        assert_eq!(loaded.sha256, hex_sha256(MINIMAL.as_bytes()));
    }

    #[test]
    fn unknown_keys_get_did_you_mean_and_a_place() {
        let text = MINIMAL.replace(
            "id = \"a\"\n[[parties]]",
            "id = \"a\"\nvisibilty = 0.3\n[[parties]]",
        );
        let d = &errors(&text, &[])[0];
        assert_eq!(d.help.as_deref(), Some("did you mean `visibility`?"));
        assert_eq!(d.key.as_deref(), Some("issues.a.visibilty"));
        assert_eq!(d.line_column().map(|p| (p.line, p.column)), Some((6, 1)));
    }

    #[test]
    fn all_range_problems_are_reported_at_once() {
        let text = MINIMAL.replace("reservation = 0.2", "reservation = 1.5");
        let d = errors(&text, &[]);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].key.as_deref(), Some("parties.x.issues.a.reservation"));
        assert_eq!(d[1].line_column().unwrap().line, 13);
    }

    #[test]
    fn override_problems_point_at_the_argument() {
        let d = &errors(MINIMAL, &["parties.x.walkout_hazard=2"])[0];
        assert_eq!(d.location.as_ref().unwrap().source.origin, setting(VALUES));
        assert!(d.message.contains("probability"));
        let d = &errors(MINIMAL, &["format.mode=sideways"])[0];
        assert_eq!(d.location.as_ref().unwrap().source.origin, setting(VALUES));
    }

    #[test]
    fn type_and_range_problems_are_reported_together_once_each() {
        let text = MINIMAL.replace(
            "id = \"x\"\n[parties.issues.a]\nreservation = 0.2\n",
            "id = \"x\"\nissues = 5\nwalkout_hazard = 3\n",
        );
        let keys: Vec<_> = errors(&text, &[])
            .into_iter()
            .map(|d| (d.key.unwrap(), d.message))
            .collect();
        // The party's issue table, taken out for its type, is not reported
        // again as missing.
        assert_eq!(
            keys,
            [
                (
                    "parties.x.issues".to_string(),
                    "invalid type: integer `5`, expected a map".to_string()
                ),
                (
                    "parties.x.walkout_hazard".to_string(),
                    "expected a probability in [0, 1], found 3".to_string()
                ),
            ]
        );
    }

    #[test]
    fn only_the_first_problems_are_located_and_the_rest_counted() {
        let entries: String = (0..40)
            .map(|i| format!("[[spoilers]]\nid = \"s{i}\"\njunk1 = 1\njunk2 = 2\njunk3 = 3\n"))
            .collect();
        let d = errors(&format!("{MINIMAL}{entries}"), &[]);
        assert_eq!(d.len(), MAX_SHOWN_PROBLEMS + 1);
        assert!(d[..MAX_SHOWN_PROBLEMS].iter().all(|d| d.location.is_some()));
        assert_eq!(
            d[MAX_SHOWN_PROBLEMS].message,
            "20 more problems not shown (120 in all)"
        );
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let d = &errors("[scenario\nname = 1", &[])[0];
        assert!(d.message.starts_with("invalid TOML"));
        assert_eq!(d.line_column().unwrap().line, 1);
    }

    #[test]
    fn a_key_nested_too_deep_is_shown_at_its_line() {
        let deep = vec!["a"; 100].join(".");
        let text = format!("{MINIMAL}[spoilers.{deep}]\nx = 1\n");
        let d = &errors(&text, &[])[0];
        assert_eq!(d.message, "invalid TOML: recursion limit");
        assert_eq!(d.line_column().map(|p| (p.line, p.column)), Some((14, 1)));
        let text = format!("{MINIMAL}  {deep} = 1\n");
        assert_eq!(
            errors(&text, &[])[0]
                .line_column()
                .map(|p| (p.line, p.column)),
            Some((14, 3))
        );
    }
}
