//! The layering ARCHITECTURE.md states, checked on the source: every
//! `crate::<module>` a file of `src/` names (outside comments) must be a
//! module its layer may depend on.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// What each top-level module may name besides itself. `cli` may name
/// everything and is not listed.
const ALLOWED: [(&str, &[&str]); 13] = [
    // Printing that survives a closed pipe, for the command line and the
    // few notes of the layers below it.
    ("console", &[]),
    ("error", &["interrupt"]),
    ("interrupt", &["console"]),
    ("stats", &[]),
    ("scenario", &["error", "stats"]),
    ("model", &["scenario", "stats", "error"]),
    ("engine", &["model", "scenario", "stats", "error"]),
    (
        "experiment",
        &["engine", "model", "scenario", "stats", "error"],
    ),
    // Output writes results into files: it reads what the engine and the
    // experiments produce and the scenario's text, never the model.
    (
        "output",
        &[
            "engine",
            "experiment",
            "scenario",
            "stats",
            "error",
            "interrupt",
            "console",
        ],
    ),
    // Report draws from output's results and the scenario's metadata only.
    (
        "report",
        &["output", "scenario", "stats", "error", "console"],
    ),
    // Validation data read as it is: the bounded reader and its errors.
    ("validation", &["scenario", "error"]),
    // The front door runs studies and hands back what output and report
    // make of them.
    (
        "study",
        &[
            "engine",
            "experiment",
            "model",
            "output",
            "report",
            "scenario",
            "stats",
            "error",
            "interrupt",
            "validation",
        ],
    ),
    // The types of every study's results, named for library users.
    ("results", &["engine", "output", "stats"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to.
fn module_of(relative: &Path) -> String {
    let first = relative.components().nth(1).unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// Every module `text` names as `crate::<module>`, outside comments.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let module: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !module.is_empty() {
                named.insert(module);
            }
        }
    }
    named
}

#[test]
fn every_layer_names_only_what_it_may() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut breaks = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(root).unwrap();
        let module = module_of(relative);
        if ["cli", "lib", "main"].contains(&module.as_str()) {
            continue;
        }
        let Some((_, allowed)) = ALLOWED.iter().find(|(m, _)| *m == module) else {
            panic!(
                "{module} (src/{module}) is not in ALLOWED: state its layer here and in ARCHITECTURE.md"
            );
        };
        for named in named_modules(&fs::read_to_string(file).unwrap()) {
            if named != module && !allowed.contains(&named.as_str()) {
                breaks.insert((relative.to_string_lossy().to_string(), named));
            }
        }
    }
    assert!(
        breaks.is_empty(),
        "imports that break the layering of ARCHITECTURE.md: {breaks:?}"
    );
}

#[test]
fn the_scan_sees_imports_and_paths_but_not_comments() {
    let text = "use crate::model::Model;\n// crate::report is only mentioned\nlet x = crate::stats::wilson(1, 2, 3.0); // crate::cli\n";
    let named: Vec<String> = named_modules(text).into_iter().collect();
    assert_eq!(named, ["model", "stats"]);
}
