//! The house rules that a compiler does not check, checked on the source:
//! layers that point one way (no large circle of modules importing each
//! other), functions of a readable size, wire types declared once, and one
//! module-file style.
//!
//! The checks read the source as rustfmt leaves it (a function's closing
//! brace sits at the indentation of its `fn` line), which `cargo fmt --check`
//! guarantees before this step runs.

use crate::Ctx;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The largest circle of modules allowed to import each other, per crate.
const CIRCLE_LIMITS: &[(&str, usize)] = &[
    ("crates/server/src", 3),
    ("crates/client-core/src", 2),
    ("crates/domain/src", 3),
    ("crates/protocol/src", 2),
];

/// Longest function, in lines from `fn` to its closing brace.
const FUNCTION_LIMIT: usize = 80;

/// Functions that are data tables, not logic: their length is their content.
const DATA_TABLES: &[(&str, &str)] = &[
    ("ui/src/i18n.rs", "ru"),
    ("ui/src/i18n.rs", "en"),
    ("ui/src/i18n/admin.rs", "ru"),
    ("ui/src/i18n/admin.rs", "en"),
    ("crates/domain/tests/rule_matrix.rs", "actions"),
    (
        "crates/client-core/tests/input_limits.rs",
        "new_order_cases",
    ),
];

/// Folders whose Rust files are measured.
const MEASURED: &[&str] = &[
    "crates",
    "ui/src",
    "ui/tests",
    "src-tauri/src",
    "xtask/src",
    "tests",
];

/// Runs every check and reports all breaches at once.
pub fn check(ctx: &Ctx) -> Result<(), String> {
    let mut breaches = Vec::new();
    for (dir, limit) in CIRCLE_LIMITS {
        let graph = module_graph(&ctx.root.join(dir))?;
        let largest = largest_circle(&graph);
        println!(
            "    {dir}: largest import circle {} module(s)",
            largest.len()
        );
        if largest.len() > *limit {
            breaches.push(format!(
                "{dir}: {} modules import each other (at most {limit}): {}",
                largest.len(),
                largest.join(", ")
            ));
        }
    }
    let long = long_functions(&ctx.root)?;
    println!(
        "    functions over {FUNCTION_LIMIT} lines (data tables aside): {}",
        long.len()
    );
    breaches.extend(long);
    breaches.extend(model_duplicates(&ctx.root)?);
    breaches.extend(module_files(&ctx.root)?);
    if breaches.is_empty() {
        Ok(())
    } else {
        Err(format!("house rules broken:\n  {}", breaches.join("\n  ")))
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !matches!(name, "target" | "dist" | "gen") {
                rust_files(&path, out)?;
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Module path (`orders::create`) of each file under a crate's `src`,
/// leaving out the crate root and binaries.
fn module_name(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?.with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    match parts.first().map(String::as_str) {
        None | Some("bin") => None,
        Some("lib" | "main") if parts.len() == 1 => None,
        _ => Some(parts.join("::")),
    }
}

/// Which module uses which, from `crate::…` and `super::…` paths outside
/// `#[cfg(test)]` blocks.
fn module_graph(src: &Path) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let mut files = Vec::new();
    rust_files(src, &mut files)?;
    let mut sources = BTreeMap::new();
    for file in &files {
        if let Some(name) = module_name(src, file) {
            let text = read(file)?;
            let code = match text.find("#[cfg(test)]") {
                Some(at) => text[..at].to_owned(),
                None => text,
            };
            sources.insert(name, code);
        }
    }
    let names: BTreeSet<String> = sources.keys().cloned().collect();
    let mut graph = BTreeMap::new();
    for (module, code) in &sources {
        let mut uses = BTreeSet::new();
        for path in referenced_paths(module, code) {
            if let Some(target) = owning_module(&names, &path) {
                let inside = module.starts_with(&format!("{target}::"));
                if target != *module && !inside {
                    uses.insert(target);
                }
            }
        }
        graph.insert(module.clone(), uses);
    }
    Ok(graph)
}

/// Every `crate::a::b` path, with `{x, y}` groups expanded one level, and
/// `super::…` paths made absolute.
fn referenced_paths(module: &str, code: &str) -> Vec<String> {
    let parent = module.rsplit_once("::").map(|(p, _)| p).unwrap_or("");
    let mut paths = Vec::new();
    for (prefix, base) in [("crate::", String::new()), ("super::", parent.to_owned())] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let boundary = rest[..at]
                .chars()
                .last()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            rest = &rest[at + prefix.len()..];
            if !boundary {
                continue;
            }
            let len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            let path = rest[..len].trim_end_matches(':');
            let full = if base.is_empty() {
                path.to_owned()
            } else {
                format!("{base}::{path}")
            };
            if rest[len..].starts_with('{') {
                let group = &rest[len + 1..rest[len..].find('}').map_or(len + 1, |e| len + e)];
                for item in group.split(',') {
                    let item = item.split(" as ").next().unwrap_or("").trim();
                    if !item.is_empty() && item != "self" {
                        paths.push(format!("{full}::{item}"));
                    }
                }
            }
            paths.push(full);
        }
    }
    paths
}

/// The longest module-path prefix of `path` that is a module.
fn owning_module(names: &BTreeSet<String>, path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split("::").collect();
    (1..=segments.len())
        .rev()
        .map(|n| segments[..n].join("::"))
        .find(|candidate| names.contains(candidate))
}

/// The largest strongly connected set of modules (Tarjan's algorithm).
fn largest_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        best: Vec<String>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if component.len() > self.best.len() {
                    component.sort();
                    self.best = component;
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        best: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.best
}

/// Every Rust file under [`MEASURED`].
fn measured_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for dir in MEASURED {
        let dir = root.join(dir);
        if dir.exists() {
            rust_files(&dir, &mut files)?;
        }
    }
    Ok(files)
}

/// Every function longer than the limit, as `file:line name (N lines)`.
fn long_functions(root: &Path) -> Result<Vec<String>, String> {
    let files = measured_files(root)?;
    let mut found = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .to_string_lossy()
            .into_owned();
        let text = read(&file)?;
        for (line, name, length) in function_lengths(&text) {
            let table = DATA_TABLES.iter().any(|(f, n)| rel == *f && name == *n);
            if length > FUNCTION_LIMIT && !table {
                found.push(format!("{rel}:{line} fn {name} has {length} lines"));
            }
        }
    }
    Ok(found)
}

/// `(line, name, length)` of each function with a body in `text`.
fn function_lengths(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((indent, name)) = function_head(line) else {
            continue;
        };
        if line.trim_end().ends_with('}') {
            continue;
        }
        let Some(open) = (i..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with(';')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = (open + 1..lines.len()).find(|&k| lines[k] == close) {
            found.push((i + 1, name, end - i + 1));
        }
    }
    found
}

/// The indentation and name of a line that starts a function.
fn function_head(line: &str) -> Option<(&str, String)> {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let mut words = body.split_whitespace().peekable();
    while let Some(word) = words.peek() {
        let qualifier = word.starts_with("pub")
            || matches!(*word, "const" | "async" | "unsafe" | "extern" | "\"C\"");
        if !qualifier {
            break;
        }
        words.next();
    }
    if words.next() != Some("fn") {
        return None;
    }
    let name: String = words
        .next()?
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some((indent, name))
}

/// One module-file style: `foo.rs` beside `foo/`, never `foo/mod.rs`, except
/// for the shared module of an integration-test folder, which cargo would
/// otherwise take for a test of its own.
fn module_files(root: &Path) -> Result<Vec<String>, String> {
    let files = measured_files(root)?;
    Ok(files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "mod.rs"))
        .filter(|f| {
            let parent = f.parent().and_then(Path::parent);
            parent.is_none_or(|p| p.file_name().is_none_or(|n| n != "tests"))
        })
        .map(|f| {
            let rel = f.strip_prefix(root).unwrap_or(f);
            format!(
                "{}: name the module file after the folder instead",
                rel.display()
            )
        })
        .collect())
}

/// Types `ui/src/model.rs` declares that the protocol crate declares too.
fn model_duplicates(root: &Path) -> Result<Vec<String>, String> {
    let mut protocol_files = Vec::new();
    rust_files(&root.join("crates/protocol/src"), &mut protocol_files)?;
    let mut protocol = BTreeSet::new();
    for file in protocol_files {
        protocol.extend(declared_types(&read(&file)?));
    }
    let model = root.join("ui/src/model.rs");
    if !model.exists() {
        return Ok(Vec::new());
    }
    Ok(declared_types(&read(&model)?)
        .into_iter()
        .filter(|t| protocol.contains(t))
        .map(|t| format!("ui/src/model.rs declares {t}, which the protocol crate declares"))
        .collect())
}

fn declared_types(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let mut word = words.next()?;
            if word.starts_with("pub") {
                word = words.next()?;
            }
            if !matches!(word, "struct" | "enum" | "type") {
                return None;
            }
            let name: String = words
                .next()?
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            Some(name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry((*a).into()).or_default().insert((*b).into());
            g.entry((*b).into()).or_default();
        }
        g
    }

    #[test]
    fn a_circle_of_three_is_found_and_a_chain_is_not() {
        let circle = graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]);
        assert_eq!(largest_circle(&circle), ["a", "b", "c"]);
        let chain = graph(&[("a", "b"), ("b", "c")]);
        assert_eq!(largest_circle(&chain).len(), 1);
    }

    #[test]
    fn paths_in_use_groups_and_super_are_resolved() {
        let code = "use crate::orders::{create, booking::Edit};\nuse super::rows;\nlet x = crate::view::allowed();";
        let paths = referenced_paths("storage::orders", code);
        for expected in [
            "orders::create",
            "orders::booking::Edit",
            "storage::rows",
            "view::allowed",
        ] {
            assert!(
                paths.iter().any(|p| p == expected),
                "{expected} in {paths:?}"
            );
        }
    }

    #[test]
    fn a_function_is_measured_from_fn_to_its_closing_brace() {
        let text = "pub async fn a(\n    x: u8,\n) -> u8 {\n    x\n}\n\nfn b();\n    fn c() {}\n";
        let found = function_lengths(text);
        assert_eq!(found[0], (1, "a".to_owned(), 5));
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn model_types_are_read_from_declarations() {
        let types = declared_types("pub struct Session {\n}\nenum Local;\npub use x::Y;");
        assert_eq!(
            types,
            BTreeSet::from(["Session".to_owned(), "Local".to_owned()])
        );
    }

    #[test]
    fn a_mod_rs_is_refused_except_for_a_test_folders_shared_module() {
        let root = std::env::temp_dir().join(format!("house-{}", std::process::id()));
        for file in ["crates/x/src/orders/mod.rs", "crates/x/tests/common/mod.rs"] {
            let path = root.join(file);
            fs::create_dir_all(path.parent().expect("parent")).expect("folder");
            fs::write(&path, "").expect("file");
        }
        let found = module_files(&root).expect("read");
        let _ = fs::remove_dir_all(&root);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("crates/x/src/orders/mod.rs"));
    }
}
