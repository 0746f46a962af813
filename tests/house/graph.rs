//! The files of `src/` as a graph: each file is a module (`src/ui/list.rs` is `ui::list`,
//! `src/ui/mod.rs` is `ui`), and a path it names (see `source`) is an edge to the file
//! that holds the longest module prefix of that path. Paths that leave the crate (`std::`,
//! `serde::`) or name something local are not edges.

use std::collections::{BTreeMap, BTreeSet};

use super::source::{self, Reference};

/// One import: `from` names something in `to`, first on `line`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub line: usize,
}

/// The library's files and what they import; the binary's `main.rs` is a crate of its own
/// and left out.
pub struct Graph {
    /// Module path → file, e.g. `["ui", "list"]` → `src/ui/list.rs`.
    pub files: BTreeMap<Vec<String>, String>,
    pub edges: Vec<Edge>,
}

/// The module path of a file under `src/`: `src/ui/mod.rs` → `["ui"]`.
pub fn module_of(file: &str) -> Vec<String> {
    let inner = file.trim_start_matches("src/").trim_end_matches(".rs");
    let mut path: Vec<String> = inner.split('/').map(str::to_string).collect();
    if matches!(path.last().map(String::as_str), Some("mod" | "lib")) {
        path.pop();
    }
    path
}

impl Graph {
    /// `sources`: file (`src/…`) → its text.
    pub fn build(sources: &BTreeMap<String, String>) -> Graph {
        let files: BTreeMap<Vec<String>, String> = sources
            .keys()
            .filter(|f| f.as_str() != "src/main.rs")
            .map(|f| (module_of(f), f.clone()))
            .collect();
        let mut edges = BTreeSet::new();
        for (module, file) in &files {
            let scan = source::scan(&sources[file]);
            for reference in &scan.references {
                let Some(target) = absolute(module, &scan.children, reference) else {
                    continue;
                };
                let Some(to) = holder(&files, &target) else {
                    continue;
                };
                if to != file {
                    edges.insert((file.clone(), to.clone(), reference.line));
                }
            }
        }
        // One edge per pair of files, at the first line that makes it.
        let mut first: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (from, to, line) in edges {
            first.entry((from, to)).or_insert(line);
        }
        let edges = first
            .into_iter()
            .map(|((from, to), line)| Edge { from, to, line })
            .collect();
        Graph { files, edges }
    }

    /// Every set of files that import each other in a circle, each sorted. An import
    /// between a module's own file and a file of its submodules (`ui/mod.rs` re-exporting
    /// `ui/list.rs`, or `ui/list.rs` using `super::Theme`) is how one module is put
    /// together, not a dependency between two, and is not followed.
    pub fn cycles(&self) -> Vec<Vec<String>> {
        let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for e in &self.edges {
            let (a, b) = (module_of(&e.from), module_of(&e.to));
            if !(a.starts_with(&b) || b.starts_with(&a)) {
                next.entry(&e.from).or_default().push(&e.to);
            }
        }
        let mut tarjan = Tarjan::default();
        for file in self.files.values() {
            if !tarjan.index.contains_key(file.as_str()) {
                tarjan.visit(file, &next);
            }
        }
        let mut cycles: Vec<Vec<String>> = tarjan
            .components
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|c| {
                let mut c: Vec<String> = c.into_iter().map(str::to_string).collect();
                c.sort();
                c
            })
            .collect();
        cycles.sort();
        cycles
    }

    /// The edges between the files of one cycle, to show how it closes.
    pub fn edges_within(&self, files: &[String]) -> Vec<&Edge> {
        self.edges
            .iter()
            .filter(|e| files.contains(&e.from) && files.contains(&e.to))
            .collect()
    }
}

/// The path from the crate root, or `None` for a path that leaves the crate.
fn absolute(module: &[String], children: &[String], r: &Reference) -> Option<Vec<String>> {
    let mut scope: Vec<String> = module.iter().chain(&r.inline).cloned().collect();
    let mut segments = r.segments.iter().peekable();
    match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segments.next();
            scope.clear();
        }
        Some("super" | "self") => {
            while let Some(head) = segments.next_if(|s| *s == "super" || *s == "self") {
                if head == "super" {
                    scope.pop()?;
                }
            }
        }
        // A child module used by its bare name (`use backend::LeanBackend;` in `term`).
        Some(name) if r.inline.is_empty() && children.iter().any(|c| c == name) => {}
        _ => return None,
    }
    scope.extend(segments.cloned());
    Some(scope)
}

/// The file of the longest module prefix of `path`.
fn holder<'f>(files: &'f BTreeMap<Vec<String>, String>, path: &[String]) -> Option<&'f String> {
    (0..=path.len()).rev().find_map(|n| files.get(&path[..n]))
}

#[derive(Default)]
struct Tarjan<'a> {
    counter: usize,
    index: BTreeMap<&'a str, usize>,
    low: BTreeMap<&'a str, usize>,
    stack: Vec<&'a str>,
    on_stack: BTreeSet<&'a str>,
    components: Vec<Vec<&'a str>>,
}

impl<'a> Tarjan<'a> {
    fn visit(&mut self, v: &'a str, next: &BTreeMap<&'a str, Vec<&'a str>>) {
        self.index.insert(v, self.counter);
        self.low.insert(v, self.counter);
        self.counter += 1;
        self.stack.push(v);
        self.on_stack.insert(v);
        for &w in next.get(v).into_iter().flatten() {
            if !self.index.contains_key(w) {
                self.visit(w, next);
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
                component.push(w);
                if w == v {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(files: &[(&str, &str)]) -> Graph {
        Graph::build(
            &files
                .iter()
                .map(|(f, t)| (f.to_string(), t.to_string()))
                .collect(),
        )
    }

    fn edges(g: &Graph) -> Vec<(String, String)> {
        g.edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone()))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn paths_resolve_to_the_file_of_their_longest_module() {
        let g = graph(&[
            ("src/lib.rs", "pub mod ui; pub mod ecs;"),
            ("src/ecs/mod.rs", "pub mod model;"),
            ("src/ecs/model.rs", "use std::fmt; use serde::Deserialize;"),
            ("src/ui/mod.rs", "mod list; pub use list::draw;"),
            (
                "src/ui/list.rs",
                "use super::Theme; use crate::ecs::model::{Image, Tag};\nfn f() { crate::ecs::VERSION; }",
            ),
        ]);
        assert_eq!(
            edges(&g),
            [
                pair("src/ui/list.rs", "src/ecs/mod.rs"),
                pair("src/ui/list.rs", "src/ecs/model.rs"),
                pair("src/ui/list.rs", "src/ui/mod.rs"),
                pair("src/ui/mod.rs", "src/ui/list.rs"),
            ]
        );
    }

    #[test]
    fn a_cycle_is_found_through_others_but_a_module_and_its_parts_are_not_one() {
        let g = graph(&[
            ("src/lib.rs", "pub mod sim;"),
            ("src/sim/mod.rs", "mod a; mod b; mod c; pub use a::X;"),
            ("src/sim/a.rs", "use super::b::Y; use super::DEMO;"),
            ("src/sim/b.rs", "use super::c::Z;"),
            ("src/sim/c.rs", "use crate::sim::a::X;"),
        ]);
        assert_eq!(
            g.cycles(),
            [vec!["src/sim/a.rs", "src/sim/b.rs", "src/sim/c.rs"]]
        );
        let fixed = graph(&[
            ("src/lib.rs", "pub mod sim;"),
            ("src/sim/mod.rs", "mod a; mod b; pub use a::X;"),
            ("src/sim/a.rs", "use super::b::Y; use super::DEMO;"),
            ("src/sim/b.rs", "use super::Shared;"),
        ]);
        assert!(fixed.cycles().is_empty(), "{:?}", fixed.cycles());
    }

    #[test]
    fn super_inside_a_files_tests_module_is_the_file_itself() {
        let g = graph(&[
            ("src/lib.rs", "pub mod rules;"),
            (
                "src/rules.rs",
                "#[cfg(test)]\nmod tests { use super::*; use super::super::ui; }",
            ),
            ("src/ui.rs", ""),
        ]);
        assert_eq!(edges(&g), [pair("src/rules.rs", "src/ui.rs")]);
    }
}
