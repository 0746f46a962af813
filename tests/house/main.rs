//! The house, checked on every `cargo test`: no source file in `src/` over 500 lines, every
//! import pointing down the layer order (and every module placed in it), and no import
//! cycle between files. What is not yet mended is listed in [`KNOWN`], each by name: a
//! violation not on the list fails, and so does a listed one that no longer occurs, so the
//! list only ever shrinks.

mod graph;
mod source;

use std::collections::BTreeMap;
use std::path::Path;

use graph::{module_of, Graph};

/// The layers, lowest first: a module may use only the modules before it. This is the order
/// of DESIGN.md's module table (kept in ARCHITECTURE.md), read by its "may use" column: the
/// parts of `ecs` go in the order they use each other (the client uses the credentials,
/// which use the signature), the rest as the table lists them. A module that is not here
/// is a violation of its own (`Kind::Unplaced`) until it is placed.
const LAYERS: &[&str] = &[
    // Reading a small text file safely (regular files only, size-capped): config and
    // credentials both use it, so it sits under everything.
    "textfile",
    // Files only their owner reads (0600, directories 0700): the journal, the log, the
    // simulator's state all write through it.
    "owner_only",
    // The API version, shared by the client and the simulator.
    "ecs",
    "ecs::sign",
    // Not in the table of its own: the API's two time formats, under everything that reads
    // or writes a timestamp.
    "ecs::timefmt",
    "ecs::model",
    "ecs::error",
    // Whom TLS trusts: the ECS client and STS (in the credentials) both use it.
    "ecs::tls",
    "ecs::credentials",
    "ecs::client",
    "rules",
    "change",
    "usage",
    "store",
    // Who and where: the client, the profile, the journal, read-only — what `exec` runs with.
    "session",
    "exec",
    "keys",
    "app",
    "worker",
    "ui",
    "term",
    "sim",
    "config",
    "cli",
];

const MAX_LINES: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A file under `src/` over `MAX_LINES`: its path.
    LongFile,
    /// `a -> b`: module `a` uses `b`, which is not below it in `LAYERS`.
    Upward,
    /// A module of `src/` that `LAYERS` does not place.
    Unplaced,
    /// Files that import each other in a circle: their paths, sorted, space-separated.
    Cycle,
}

/// The violations being mended now, each with what mends it. Delete an entry once the
/// check says it no longer occurs.
const KNOWN: &[(Kind, &str)] = &[];

/// Every `.rs` file under `src/`, by its path from the crate root.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path.strip_prefix(root).unwrap().to_string_lossy();
                let text = std::fs::read_to_string(&path).expect("a source file is UTF-8");
                out.insert(name.replace('\\', "/"), text);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = BTreeMap::new();
    walk(&root.join("src"), root, &mut out);
    out
}

/// The house module a file belongs to: `ecs::<part>` inside `ecs`, else the top-level
/// module; `None` for the crate root and the binary.
fn house_module(file: &str) -> Option<String> {
    match module_of(file).as_slice() {
        [] => None,
        [main] if file == "src/main.rs" && main == "main" => None,
        [ecs, part, ..] if ecs == "ecs" => Some(format!("ecs::{part}")),
        [top, ..] => Some(top.clone()),
    }
}

/// Compares what was found (violation → what to show) with the known ones of `kind`.
fn judge(kind: Kind, found: BTreeMap<String, String>) {
    let known: Vec<&str> = KNOWN
        .iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, name)| *name)
        .collect();
    let new: Vec<&String> = found
        .keys()
        .filter(|f| !known.contains(&f.as_str()))
        .collect();
    let gone: Vec<&&str> = known.iter().filter(|k| !found.contains_key(**k)).collect();
    let mut report = String::new();
    for name in &new {
        report += &format!("  new {kind:?}: {}\n", found[*name]);
    }
    for name in &gone {
        report += &format!("  mended, delete it from KNOWN: ({kind:?}, {name:?})\n");
    }
    assert!(
        report.is_empty(),
        "the house (DESIGN.md's module table, ARCHITECTURE.md):\n{report}"
    );
}

#[test]
fn no_source_file_is_over_500_lines() {
    let found = sources()
        .into_iter()
        .filter_map(|(file, text)| {
            let lines = text.lines().count();
            (lines > MAX_LINES).then(|| {
                let why = format!("{file} has {lines} lines; split it along its concerns");
                (file, why)
            })
        })
        .collect();
    judge(Kind::LongFile, found);
}

#[test]
fn every_module_is_placed_in_the_layers() {
    let found = sources()
        .keys()
        .filter_map(|f| house_module(f))
        .filter(|m| !LAYERS.contains(&m.as_str()))
        .map(|m| {
            let why = format!("module `{m}` is not in LAYERS; place it (and in ARCHITECTURE.md)");
            (m, why)
        })
        .collect();
    judge(Kind::Unplaced, found);
}

#[test]
fn imports_point_down_the_layers() {
    let graph = Graph::build(&sources());
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    for edge in &graph.edges {
        let (Some(from), Some(to)) = (house_module(&edge.from), house_module(&edge.to)) else {
            continue;
        };
        // An unplaced module is reported on its own; where it sits is not known yet.
        let (Some(low), Some(high)) = (rank(&to), rank(&from)) else {
            continue;
        };
        if low > high {
            let why = found
                .entry(format!("{from} -> {to}"))
                .or_insert_with(|| format!("`{from}` uses `{to}`, a higher module:"));
            why.push_str(&format!(" {}:{}", edge.from, edge.line));
        }
    }
    judge(Kind::Upward, found);
}

#[test]
fn no_import_cycle_between_files() {
    let graph = Graph::build(&sources());
    let found = graph
        .cycles()
        .into_iter()
        .map(|files| {
            let how: Vec<String> = graph
                .edges_within(&files)
                .into_iter()
                .map(|e| format!("{}:{} uses {}", e.from, e.line, e.to))
                .collect();
            let why = format!("these files import each other: {}", how.join("; "));
            (files.join(" "), why)
        })
        .collect();
    judge(Kind::Cycle, found);
}

/// ARCHITECTURE.md's module table, in its order: the names in the first column of its rows.
fn architecture_table() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md");
    let text = std::fs::read_to_string(&path).expect("ARCHITECTURE.md is at the project's root");
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`'))
        .map(|(name, _)| name.to_string())
        .collect()
}

#[test]
fn architecture_md_names_every_top_level_module_in_the_layers_order() {
    let present: std::collections::BTreeSet<String> = sources()
        .keys()
        .filter_map(|f| module_of(f).first().cloned())
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut expected: Vec<String> = Vec::new();
    for layer in LAYERS {
        let top = layer.split("::").next().unwrap().to_string();
        if present.contains(&top) && !expected.contains(&top) {
            expected.push(top);
        }
    }
    assert_eq!(
        architecture_table(),
        expected,
        "ARCHITECTURE.md's module table must name every top-level module of src/, lowest \
         first, in the order of LAYERS"
    );
}
