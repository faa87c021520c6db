//! The scenario format as a JSON Schema (draft 2020-12), generated from the
//! Rust types so editors can complete and check scenario files. Ranges and
//! patterns come from the `#[schemars(...)]` attributes in [`super::types`];
//! a test probes every bound against the validator so the two cannot drift.
//! Checks the schema cannot express (cross-references, rounds within the
//! horizon) are the validator's alone.

use serde_json::{Value as Json, json};

use super::types::Scenario;

/// The schema as pretty-printed JSON, ending in a newline.
pub fn json_schema() -> String {
    let mut schema = schemars::schema_for!(Scenario);
    schema.insert("title".into(), "backchannel scenario".into());
    schema.insert(
        "description".into(),
        "A talks track for backchannel (docs/SCENARIO.md). Cross-references and rounds within the horizon are checked by `backchannel validate`.".into(),
    );
    let mut schema = schema.to_value();
    allow_judged_inputs(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema always serialises");
    text.push('\n');
    text
}

/// Let every numeric key, and every key chosen from a fixed set, be a
/// distribution too (docs/SCENARIO.md, "Judged inputs"): its schema
/// becomes `anyOf` the plain value and `Distribution` (or `OneOf`). The
/// keys of `[scenario]` shape the study and stay plain.
fn allow_judged_inputs(schema: &mut Json) {
    let Some(definitions) = schema.get_mut("$defs").and_then(Json::as_object_mut) else {
        return;
    };
    let enumerations: Vec<String> = definitions
        .iter()
        .filter(|(_, d)| d.get("enum").is_some() || d.get("oneOf").is_some())
        .map(|(name, _)| format!("#/$defs/{name}"))
        .collect();
    for (name, definition) in definitions.iter_mut() {
        if name == "Meta" {
            continue;
        }
        if let Some(properties) = definition
            .get_mut("properties")
            .and_then(Json::as_object_mut)
        {
            for property in properties.values_mut() {
                judge(property, &enumerations);
            }
        }
    }
    definitions.insert("Distribution".into(), distribution_schema());
    definitions.insert("OneOf".into(), one_of_schema());
}

/// Make one property accept a distribution, if it is a number or an
/// enumeration; its description and default stay on the outside.
fn judge(property: &mut Json, enumerations: &[String]) {
    let numeric = |t: &Json| t == "number" || t == "integer";
    let is_number = match property.get("type") {
        Some(Json::Array(types)) => types.iter().any(numeric),
        Some(t) => numeric(t),
        None => false,
    };
    let is_choice = property
        .get("$ref")
        .and_then(Json::as_str)
        .is_some_and(|r| enumerations.iter().any(|e| e == r));
    let alternative = match (is_number, is_choice) {
        (true, _) => "#/$defs/Distribution",
        (_, true) => "#/$defs/OneOf",
        _ => return,
    };
    let Some(object) = property.as_object_mut() else {
        return;
    };
    let mut outside = serde_json::Map::new();
    for key in ["description", "default"] {
        if let Some(value) = object.remove(key) {
            outside.insert(key.into(), value);
        }
    }
    let plain = Json::Object(std::mem::take(object));
    outside.insert("anyOf".into(), json!([plain, { "$ref": alternative }]));
    *object = outside;
}

fn distribution_schema() -> Json {
    let form = |name: &str, count: usize, description: &str| {
        json!({
            "type": "object",
            "description": description,
            "properties": { name: {
                "type": "array", "items": { "type": "number" },
                "minItems": count, "maxItems": count
            }},
            "required": [name],
            "additionalProperties": false
        })
    };
    json!({
        "description": "A judged input (docs/SCENARIO.md, \"Judged inputs\"): its support must lie in the key's range; a whole-number key takes uniform over whole numbers only.",
        "oneOf": [
            form("uniform", 2, "uniform on [lo, hi]"),
            form("triangular", 3, "triangular on [lo, hi] peaking at mode: [lo, mode, hi]"),
            form("beta", 2, "beta with shapes [alpha, beta], on [0, 1]"),
            form("normal", 2, "normal [mean, sd] truncated to the key's range"),
        ]
    })
}

fn one_of_schema() -> Json {
    json!({
        "description": "A judged choice: one of the options, with probabilities proportional to the weights (equal by default).",
        "type": "object",
        "properties": {
            "one_of": { "type": "array", "items": { "type": "string" }, "minItems": 2 },
            "weights": { "type": "array", "items": { "type": "number", "minimum": 0 } }
        },
        "required": ["one_of"],
        "additionalProperties": false
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::load_text;
    use crate::scenario::overrides::Override;
    use crate::scenario::{embedded, validate::MAX_HORIZON};
    use serde_json::Value;

    /// Where each schema type sits in the flagship, to probe its keys.
    const PLACES: &[(&str, &str)] = &[
        ("Scenario", ""),
        ("Meta", "scenario"),
        ("Format", "format"),
        ("Mediator", "mediator"),
        ("StyleWeights", "mediator.style"),
        ("TrustRules", "trust"),
        ("Issue", "issues.detainees"),
        ("Party", "parties.iran"),
        ("Domestic", "parties.iran.domestic"),
        ("DomesticEvent", "parties.us.domestic.events.0"),
        ("PartyIssue", "parties.iran.issues.detainees"),
        ("Spoiler", "spoilers.israel"),
        ("Shock", "shocks.naval-incident"),
    ];

    /// Load the flagship with `key = value` (and the longest horizon, so
    /// round-valued keys are limited by their own range only); the keys
    /// of any problems.
    fn load_with(key: &str, value: &str) -> Result<(), Vec<String>> {
        let text = embedded::get(embedded::FLAGSHIP).unwrap();
        let set = Override::parse(&format!("{key}={value}")).unwrap();
        let set_long = [
            set,
            Override::parse(&format!("scenario.horizon={MAX_HORIZON}")).unwrap(),
        ];
        let overrides = if key == "scenario.horizon" {
            &set_long[..1]
        } else {
            &set_long[..]
        };
        load_text("t", "t", text, overrides)
            .map(|_| ())
            .map_err(|e| match e {
                crate::error::Error::Input(d) => d.into_iter().filter_map(|d| d.key).collect(),
                other => panic!("{other:?}"),
            })
    }

    #[test]
    fn every_bound_in_the_schema_is_the_validators() {
        let schema: Value = serde_json::from_str(&json_schema()).unwrap();
        let mut probed = 0;
        for (type_name, place) in PLACES {
            let definition = if *type_name == "Scenario" {
                &schema
            } else {
                &schema["$defs"][type_name]
            };
            let properties = definition["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("{type_name}"));
            for (key, property) in properties {
                // A judged key's plain form is the first of its `anyOf`.
                let property = property.get("anyOf").map_or(property, |any| &any[0]);
                let (Some(min), Some(max)) = (property.get("minimum"), property.get("maximum"))
                else {
                    continue;
                };
                let path = if place.is_empty() {
                    key.clone()
                } else {
                    format!("{place}.{key}")
                };
                let (min, max) = (min.as_f64().unwrap(), max.as_f64().unwrap());
                let integer = property["type"].as_str() == Some("integer")
                    || property["type"]
                        .as_array()
                        .is_some_and(|t| t.iter().any(|t| t == "integer"));
                let step = if integer { 1.0 } else { 1e-9 };
                let shown = |value: f64| {
                    if integer {
                        format!("{}", value as i64)
                    } else {
                        format!("{value:?}")
                    }
                };
                // At a bound the key itself must pass (other keys may object:
                // horizon = 1 puts the flagship's election outside it).
                for inside in [min, max] {
                    let errors = load_with(&path, &shown(inside)).err().unwrap_or_default();
                    assert!(
                        !errors.contains(&path),
                        "{path} = {} refused: {errors:?}",
                        shown(inside)
                    );
                }
                for outside in [min - step, max + step] {
                    let errors = load_with(&path, &shown(outside)).err().unwrap_or_default();
                    assert!(
                        errors.contains(&path),
                        "{path} = {} accepted: {errors:?}",
                        shown(outside)
                    );
                }
                probed += 1;
            }
        }
        assert!(probed >= 35, "only {probed} bounds probed");
    }

    #[test]
    fn the_committed_schema_is_current() {
        let committed = include_str!("../../../../docs/scenario.schema.json");
        assert!(
            committed == json_schema(),
            "docs/scenario.schema.json is stale: run `cargo run -- schema > docs/scenario.schema.json`"
        );
    }
}
