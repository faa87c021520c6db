//! The library's public API, listed in `crates/backchannel/public-api.txt`:
//! a change to what a user of the `backchannel` crate can name (an item, a
//! field, a signature, a trait implemented) fails this test until the
//! listing is regenerated, so the change shows in review
//! (ARCHITECTURE.md, "The public API").
//!
//! The listing is made from rustdoc's JSON output of the library as a user
//! builds it (without the `internals` feature), and of `backchannel-core`
//! for the items the library re-exports from it. That output is unstable
//! in Rust 1.95: it is asked for with `RUSTC_BOOTSTRAP=1`, and built in a
//! target directory of its own (`target/public-api`), hence `#[ignore]`.
//! Regenerate the listing with
//! `UPDATE_PUBLIC_API=1 cargo test --test public_api -- --ignored`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value};

const LISTING: &str = "crates/backchannel/public-api.txt";

/// The version of rustdoc's JSON format this test reads (Rust 1.95's).
const FORMAT: u64 = 57;

#[test]
#[ignore = "needs rustdoc's unstable JSON output and a documentation build of its own: run .ci/run or cargo test -- --ignored"]
fn the_public_api_is_the_checked_in_listing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = rustdoc_json_dir();
    let library = Crate::read(&doc.join("backchannel.json"));
    let core = Crate::read(&doc.join("backchannel_core.json"));
    let listing = Listing::of(&library, &core).text();
    let path = root.join(LISTING);
    if std::env::var_os("UPDATE_PUBLIC_API").is_some() {
        std::fs::write(&path, &listing).unwrap();
        return;
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    if written != listing {
        let old: BTreeSet<&str> = written.lines().collect();
        let new: BTreeSet<&str> = listing.lines().collect();
        let mut changes = String::new();
        for line in old.difference(&new) {
            changes += &format!("- {line}\n");
        }
        for line in new.difference(&old) {
            changes += &format!("+ {line}\n");
        }
        panic!(
            "the public API differs from {LISTING}:\n{changes}\nIf the change is meant, \
             regenerate the listing with \
             UPDATE_PUBLIC_API=1 cargo test --test public_api -- --ignored"
        );
    }
}

/// Build the JSON documentation of the core and the library (as a user
/// builds it: no feature) into `target/public-api`, and return its `doc`
/// folder.
fn rustdoc_json_dir() -> PathBuf {
    // This test runs as target/<profile>/deps/public_api-<hash>.
    let exe = std::env::current_exe().unwrap();
    let target = exe.ancestors().nth(3).unwrap().join("public-api");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for package in ["backchannel-core", "backchannel"] {
        let status = Command::new(&cargo)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("RUSTC_BOOTSTRAP", "1")
            .env_remove("RUSTDOCFLAGS")
            .args(["rustdoc", "--quiet", "--lib", "-p", package, "--target-dir"])
            .arg(&target)
            .args(["--", "-Z", "unstable-options", "--output-format", "json"])
            .status()
            .unwrap();
        assert!(status.success(), "cargo rustdoc -p {package} failed");
    }
    target.join("doc")
}

/// One crate's rustdoc JSON: its items by id, and the definition path of
/// every item it mentions.
struct Crate {
    root: String,
    index: Map<String, Value>,
    paths: Map<String, Value>,
    /// Local items by definition path, to find what another crate names.
    by_path: HashMap<String, String>,
}

impl Crate {
    fn read(path: &Path) -> Crate {
        let text = std::fs::read_to_string(path).unwrap();
        let mut json: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            json["format_version"],
            FORMAT,
            "{}: rustdoc's JSON format changed with the toolchain; update this test's reader",
            path.display()
        );
        let index = json["index"].as_object_mut().map(std::mem::take).unwrap();
        let paths = json["paths"].as_object_mut().map(std::mem::take).unwrap();
        let by_path = paths
            .iter()
            .filter(|(_, p)| p["crate_id"] == 0)
            .map(|(id, p)| (joined(&p["path"]), id.clone()))
            .collect();
        Crate {
            root: json["root"].to_string(),
            index,
            paths,
            by_path,
        }
    }

    /// The definition path of `id` (`backchannel_core::stats::wilson::Proportion`).
    fn definition(&self, id: &Value) -> Option<String> {
        self.paths.get(&id.to_string()).map(|p| joined(&p["path"]))
    }
}

fn joined(path: &Value) -> String {
    let segments: Vec<&str> = path
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    segments.join("::")
}

/// Which of the two crates an item lives in.
#[derive(Clone, Copy)]
enum In {
    Library,
    Core,
}

/// The lines of the listing, made by walking the library's public modules
/// and re-exports from its root.
struct Listing<'a> {
    library: &'a Crate,
    core: &'a Crate,
    /// The public path of every item reached, by definition path, to name
    /// types by what a user writes.
    public: HashMap<String, String>,
    /// The public path of the item being described.
    item: String,
    /// Each line after the path of its item and its rank (see `add`), so
    /// an item's lines stay together in the listing.
    lines: BTreeSet<(String, u8, String)>,
}

impl<'a> Listing<'a> {
    fn of(library: &'a Crate, core: &'a Crate) -> Listing<'a> {
        let mut listing = Listing {
            library,
            core,
            public: HashMap::new(),
            item: String::new(),
            lines: BTreeSet::new(),
        };
        let mut reached = Vec::new();
        listing.reach(
            In::Library,
            &library.root,
            "backchannel".into(),
            &mut reached,
        );
        for (krate, id, path) in &reached {
            let item = &listing.krate(*krate).index[id];
            // The shortest public path names the item (`backchannel::Result`
            // rather than `backchannel::error::Result`).
            if let Some(definition) = listing.krate(*krate).definition(&item["id"]) {
                let known = listing.public.entry(definition).or_insert(path.clone());
                if (path.len(), path) < (known.len(), &*known) {
                    *known = path.clone();
                }
            }
        }
        for (krate, id, path) in &reached {
            listing.describe(*krate, id, path);
        }
        listing
    }

    fn text(&self) -> String {
        self.lines
            .iter()
            .map(|(_, _, line)| format!("{line}\n"))
            .collect()
    }

    fn krate(&self, krate: In) -> &'a Crate {
        match krate {
            In::Library => self.library,
            In::Core => self.core,
        }
    }

    /// The item `id` names in `krate`: there, or (for the library's
    /// re-exports of the core) in the core.
    fn resolve(&self, krate: In, id: &Value) -> Option<(In, String)> {
        let key = id.to_string();
        if self.krate(krate).index.contains_key(&key) {
            return Some((krate, key));
        }
        let definition = self.krate(krate).definition(id)?;
        let local = self.core.by_path.get(&definition)?;
        Some((In::Core, local.clone()))
    }

    /// Every item reachable at `path`: modules are entered, re-exports
    /// followed, and each item found recorded with its public path.
    fn reach(&self, krate: In, id: &str, path: String, out: &mut Vec<(In, String, String)>) {
        let item = &self.krate(krate).index[id];
        let inner = &item["inner"];
        if let Some(import) = inner.get("use") {
            let target = self
                .resolve(krate, &import["id"])
                .unwrap_or_else(|| panic!("cannot follow the re-export {path}"));
            if import["is_glob"] == true {
                let module = &self.krate(target.0).index[&target.1]["inner"]["module"];
                let parent = path.rsplit_once("::").unwrap().0.to_string();
                for child in module["items"].as_array().unwrap() {
                    self.reach_child(target.0, child, &parent, out);
                }
            } else {
                self.reach(target.0, &target.1, path, out);
            }
            return;
        }
        out.push((krate, id.to_string(), path.clone()));
        if let Some(module) = inner.get("module") {
            for child in module["items"].as_array().unwrap() {
                self.reach_child(krate, child, &path, out);
            }
        }
    }

    fn reach_child(
        &self,
        krate: In,
        child: &Value,
        parent: &str,
        out: &mut Vec<(In, String, String)>,
    ) {
        let child = child.to_string();
        let item = &self.krate(krate).index[&child];
        if item["visibility"] != "public" {
            return;
        }
        let name = match item["inner"].get("use") {
            Some(import) => import["name"].as_str().unwrap(),
            None => item["name"].as_str().unwrap(),
        };
        self.reach(krate, &child, format!("{parent}::{name}"), out);
    }

    /// The lines of one item: its declaration, then its fields, variants,
    /// methods and the traits it implements.
    fn describe(&mut self, krate: In, id: &str, path: &str) {
        self.item = path.to_string();
        let item = self.krate(krate).index[id].clone();
        let attributes = attributes(&item);
        let inner = &item["inner"];
        let (kind, body) = inner.as_object().unwrap().iter().next().unwrap();
        let generics = body
            .get("generics")
            .map(|g| self.generics(krate, g))
            .unwrap_or_default();
        match kind.as_str() {
            "module" => self.add(0, format!("pub mod {path}")),
            "struct" => {
                self.add(0, format!("{attributes}pub struct {path}{generics}"));
                match &body["kind"] {
                    Value::Object(kind) if kind.contains_key("plain") => {
                        for field in kind["plain"]["fields"].as_array().unwrap() {
                            self.field(krate, field, path);
                        }
                    }
                    Value::Object(kind) if kind.contains_key("tuple") => {
                        for (i, field) in kind["tuple"].as_array().unwrap().iter().enumerate() {
                            if !field.is_null() {
                                let ty = &self.krate(krate).index[&field.to_string()]["inner"]["struct_field"];
                                let ty = self.ty(krate, ty);
                                self.add(1, format!("pub {path}::{i}: {ty}"));
                            }
                        }
                    }
                    _ => {}
                }
                self.impls(krate, &body["impls"], path);
            }
            "enum" => {
                self.add(0, format!("{attributes}pub enum {path}{generics}"));
                for variant in body["variants"].as_array().unwrap() {
                    self.variant(krate, variant, path);
                }
                self.impls(krate, &body["impls"], path);
            }
            "trait" => {
                self.add(0, format!("pub trait {path}{generics}"));
                for member in body["items"].as_array().unwrap() {
                    let member = self.krate(krate).index[&member.to_string()].clone();
                    self.member(krate, &member, path);
                }
            }
            "function" => {
                let signature = self.signature(krate, body, path);
                self.add(0, format!("{attributes}{signature}"));
            }
            "constant" => {
                let ty = self.ty(krate, &body["type"]);
                self.add(0, format!("pub const {path}: {ty}"));
            }
            "static" => {
                let ty = self.ty(krate, &body["type"]);
                self.add(0, format!("pub static {path}: {ty}"));
            }
            "type_alias" => {
                let ty = self.ty(krate, &body["type"]);
                self.add(0, format!("pub type {path}{generics} = {ty}"));
            }
            other => self.add(0, format!("pub {other} {path}")),
        }
    }

    /// A line of the item being described: `rank` orders its declaration
    /// (0), fields and variants (1), methods (2) and traits (3).
    fn add(&mut self, rank: u8, line: String) {
        self.lines.insert((self.item.clone(), rank, line));
    }

    fn field(&mut self, krate: In, id: &Value, owner: &str) {
        let field = &self.krate(krate).index[&id.to_string()];
        if field["visibility"] != "public" {
            return;
        }
        let name = field["name"].as_str().unwrap();
        let ty = self.ty(krate, &field["inner"]["struct_field"]);
        self.add(1, format!("pub {owner}::{name}: {ty}"));
    }

    fn variant(&mut self, krate: In, id: &Value, owner: &str) {
        let variant = self.krate(krate).index[&id.to_string()].clone();
        let name = variant["name"].as_str().unwrap();
        let path = format!("{owner}::{name}");
        let attributes = attributes(&variant);
        match &variant["inner"]["variant"]["kind"] {
            Value::Object(kind) if kind.contains_key("tuple") => {
                let fields: Vec<String> = kind["tuple"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| !f.is_null())
                    .map(|f| {
                        let ty = &self.krate(krate).index[&f.to_string()]["inner"]["struct_field"];
                        self.ty(krate, ty)
                    })
                    .collect();
                self.add(1, format!("{attributes}pub {path}({})", fields.join(", ")));
            }
            Value::Object(kind) if kind.contains_key("struct") => {
                self.add(1, format!("{attributes}pub {path}"));
                for field in kind["struct"]["fields"].as_array().unwrap() {
                    self.field(krate, field, &path);
                }
            }
            _ => self.add(1, format!("{attributes}pub {path}")),
        }
    }

    /// A type's inherent public methods and constants, and the traits it
    /// implements (blanket implementations left out: they come with every
    /// type).
    fn impls(&mut self, krate: In, impls: &Value, owner: &str) {
        for id in impls.as_array().unwrap() {
            let item = self.krate(krate).index[&id.to_string()].clone();
            let body = &item["inner"]["impl"];
            if !body["blanket_impl"].is_null() || self.unstable_marker(krate, body) {
                continue;
            }
            if body["trait"].is_null() {
                for member in body["items"].as_array().unwrap() {
                    let member = self.krate(krate).index[&member.to_string()].clone();
                    if member["visibility"] == "public" {
                        self.member(krate, &member, owner);
                    }
                }
            } else {
                let negative = if body["is_negative"] == true { "!" } else { "" };
                let generics = self.generics(krate, &body["generics"]);
                let of = self.path(krate, &body["trait"]);
                let ty = self.ty(krate, &body["for"]);
                self.add(3, format!("impl{generics} {negative}{of} for {ty}"));
            }
        }
    }

    /// An implementation the compiler makes of a marker trait that is
    /// unstable or internal (`Freeze`, `StructuralPartialEq`, ...): which
    /// of them exist changes with the toolchain, not with this crate.
    fn unstable_marker(&self, krate: In, body: &Value) -> bool {
        const STABLE: [&str; 5] = [
            "core::marker::Send",
            "core::marker::Sync",
            "core::marker::Unpin",
            "core::panic::unwind_safe::UnwindSafe",
            "core::panic::unwind_safe::RefUnwindSafe",
        ];
        let Some(definition) = self.krate(krate).definition(&body["trait"]["id"]) else {
            return false;
        };
        let marker = body["is_synthetic"] == true || definition.starts_with("core::marker::");
        marker && !STABLE.contains(&definition.as_str()) && definition != "core::marker::Copy"
    }

    /// A method, associated constant or associated type of `owner`.
    fn member(&mut self, krate: In, member: &Value, owner: &str) {
        let name = member["name"].as_str().unwrap();
        let path = format!("{owner}::{name}");
        let inner = &member["inner"];
        if let Some(function) = inner.get("function") {
            let signature = self.signature(krate, function, &path);
            self.add(2, format!("{}{signature}", attributes(member)));
        } else if let Some(constant) = inner.get("assoc_const") {
            let ty = self.ty(krate, &constant["type"]);
            self.add(2, format!("pub const {path}: {ty}"));
        } else if inner.get("assoc_type").is_some() {
            self.add(2, format!("pub type {path}"));
        }
    }

    fn signature(&self, krate: In, function: &Value, path: &str) -> String {
        let header = &function["header"];
        let mut qualifiers = String::new();
        for (flag, word) in [
            ("is_const", "const "),
            ("is_async", "async "),
            ("is_unsafe", "unsafe "),
        ] {
            if header[flag] == true {
                qualifiers += word;
            }
        }
        let generics = self.generics(krate, &function["generics"]);
        let sig = &function["sig"];
        let inputs: Vec<String> = sig["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|input| {
                let name = input[0].as_str().unwrap();
                let ty = self.ty(krate, &input[1]);
                // `self`, `&self`, `&'a mut self`, ... as written.
                match ty.strip_suffix("Self") {
                    Some(reference) if name == "self" => format!("{reference}self"),
                    _ => format!("{name}: {ty}"),
                }
            })
            .collect();
        let output = match &sig["output"] {
            Value::Null => String::new(),
            ty => format!(" -> {}", self.ty(krate, ty)),
        };
        let wheres = self.where_clause(krate, &function["generics"]);
        format!(
            "pub {qualifiers}fn {path}{generics}({}){output}{wheres}",
            inputs.join(", ")
        )
    }

    /// `<'a, T: Bound>`, leaving out the parameters of `impl Trait`
    /// arguments (shown where they are written).
    fn generics(&self, krate: In, generics: &Value) -> String {
        let params: Vec<String> = generics["params"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|param| {
                let name = param["name"].as_str().unwrap();
                let kind = &param["kind"];
                if let Some(ty) = kind.get("type") {
                    if ty["is_synthetic"] == true {
                        return None;
                    }
                    let bounds = self.bounds(krate, &ty["bounds"]);
                    return Some(if bounds.is_empty() {
                        name.to_string()
                    } else {
                        format!("{name}: {bounds}")
                    });
                }
                if let Some(constant) = kind.get("const") {
                    return Some(format!(
                        "const {name}: {}",
                        self.ty(krate, &constant["type"])
                    ));
                }
                Some(name.to_string())
            })
            .collect();
        if params.is_empty() {
            String::new()
        } else {
            format!("<{}>", params.join(", "))
        }
    }

    fn where_clause(&self, krate: In, generics: &Value) -> String {
        let predicates: Vec<String> = generics["where_predicates"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|predicate| {
                let bound = predicate.get("bound_predicate")?;
                let ty = self.ty(krate, &bound["type"]);
                Some(format!("{ty}: {}", self.bounds(krate, &bound["bounds"])))
            })
            .collect();
        if predicates.is_empty() {
            String::new()
        } else {
            format!(" where {}", predicates.join(", "))
        }
    }

    fn bounds(&self, krate: In, bounds: &Value) -> String {
        let bounds: Vec<String> = bounds
            .as_array()
            .unwrap()
            .iter()
            .map(|bound| {
                if let Some(trait_bound) = bound.get("trait_bound") {
                    let maybe = if trait_bound["modifier"] == "maybe" {
                        "?"
                    } else {
                        ""
                    };
                    format!("{maybe}{}", self.path(krate, &trait_bound["trait"]))
                } else if let Some(lifetime) = bound.get("outlives") {
                    lifetime.as_str().unwrap().to_string()
                } else {
                    bound.to_string()
                }
            })
            .collect();
        bounds.join(" + ")
    }

    /// A path to a type or trait, by the name a user writes: its public
    /// path in this crate, else its definition path (`alloc::vec::Vec`).
    fn path(&self, krate: In, path: &Value) -> String {
        let named = self.krate(krate).definition(&path["id"]);
        let name = match named {
            Some(definition) => self.public.get(&definition).cloned().unwrap_or(definition),
            None => path["path"].as_str().unwrap().to_string(),
        };
        format!("{name}{}", self.args(krate, &path["args"]))
    }

    fn args(&self, krate: In, args: &Value) -> String {
        if let Some(angle) = args.get("angle_bracketed") {
            let mut all: Vec<String> = angle["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|arg| {
                    if let Some(ty) = arg.get("type") {
                        self.ty(krate, ty)
                    } else if let Some(lifetime) = arg.get("lifetime") {
                        lifetime.as_str().unwrap().to_string()
                    } else if let Some(constant) = arg.get("const") {
                        constant["expr"].as_str().unwrap_or("_").to_string()
                    } else {
                        "_".to_string()
                    }
                })
                .collect();
            for constraint in angle["constraints"].as_array().unwrap() {
                let name = constraint["name"].as_str().unwrap();
                let binding = &constraint["binding"];
                let value = match binding.get("equality") {
                    Some(term) => match term.get("type") {
                        Some(ty) => format!(" = {}", self.ty(krate, ty)),
                        None => format!(" = {term}"),
                    },
                    None => format!(": {}", self.bounds(krate, &binding["constraint"])),
                };
                all.push(format!("{name}{value}"));
            }
            if all.is_empty() {
                String::new()
            } else {
                format!("<{}>", all.join(", "))
            }
        } else if let Some(parenthesized) = args.get("parenthesized") {
            let inputs: Vec<String> = parenthesized["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|ty| self.ty(krate, ty))
                .collect();
            let output = match &parenthesized["output"] {
                Value::Null => String::new(),
                ty => format!(" -> {}", self.ty(krate, ty)),
            };
            format!("({}){output}", inputs.join(", "))
        } else {
            String::new()
        }
    }

    fn ty(&self, krate: In, ty: &Value) -> String {
        let (kind, body) = match ty.as_object().and_then(|o| o.iter().next()) {
            Some(pair) => pair,
            None => return ty.as_str().unwrap_or("_").to_string(),
        };
        match kind.as_str() {
            "resolved_path" => self.path(krate, body),
            "generic" | "primitive" => body.as_str().unwrap().to_string(),
            "tuple" => {
                let types: Vec<String> = body
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| self.ty(krate, t))
                    .collect();
                format!("({})", types.join(", "))
            }
            "slice" => format!("[{}]", self.ty(krate, body)),
            "array" => format!(
                "[{}; {}]",
                self.ty(krate, &body["type"]),
                body["len"].as_str().unwrap_or("_")
            ),
            "borrowed_ref" => {
                let lifetime = match body["lifetime"].as_str() {
                    Some(lifetime) => format!("{lifetime} "),
                    None => String::new(),
                };
                let mutable = if body["is_mutable"] == true {
                    "mut "
                } else {
                    ""
                };
                format!("&{lifetime}{mutable}{}", self.ty(krate, &body["type"]))
            }
            "raw_pointer" => {
                let mutable = if body["is_mutable"] == true {
                    "mut"
                } else {
                    "const"
                };
                format!("*{mutable} {}", self.ty(krate, &body["type"]))
            }
            "impl_trait" => format!("impl {}", self.bounds(krate, body)),
            "dyn_trait" => {
                let mut traits: Vec<String> = body["traits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| self.path(krate, &t["trait"]))
                    .collect();
                if let Some(lifetime) = body["lifetime"].as_str() {
                    traits.push(lifetime.to_string());
                }
                format!("dyn {}", traits.join(" + "))
            }
            "function_pointer" => {
                let sig = &body["sig"];
                let inputs: Vec<String> = sig["inputs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|input| self.ty(krate, &input[1]))
                    .collect();
                let output = match &sig["output"] {
                    Value::Null => String::new(),
                    ty => format!(" -> {}", self.ty(krate, ty)),
                };
                format!("fn({}){output}", inputs.join(", "))
            }
            "qualified_path" => {
                let self_type = self.ty(krate, &body["self_type"]);
                let name = body["name"].as_str().unwrap();
                match body["trait"].is_null() {
                    true => format!("{self_type}::{name}"),
                    false => format!(
                        "<{self_type} as {}>::{name}",
                        self.path(krate, &body["trait"])
                    ),
                }
            }
            _ => "_".to_string(),
        }
    }
}

/// The attributes a user relies on: `#[non_exhaustive]`, `#[must_use]`.
fn attributes(item: &Value) -> String {
    item["attrs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|attribute| {
            let text = match attribute {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            ["non_exhaustive", "must_use"]
                .iter()
                .find(|wanted| text.contains(*wanted))
                .map(|wanted| format!("#[{wanted}] "))
        })
        .collect()
}
