//! ARCHITECTURE.md's crate diagram is the crate graph: each crate's `→`
//! line names exactly the workspace crates its `Cargo.toml` depends on
//! (normal dependencies, as `cargo tree -e normal --depth 1` shows them).

use std::collections::BTreeMap;
use std::path::Path;

/// The workspace crates each crate's `[dependencies]` names.
fn cargo_graph(root: &Path) -> BTreeMap<String, Vec<String>> {
    let mut graph = BTreeMap::new();
    for entry in std::fs::read_dir(root.join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(toml) = std::fs::read_to_string(dir.join("Cargo.toml")) else { continue };
        let name = toml
            .lines()
            .find_map(|l| l.strip_prefix("name = \"").and_then(|r| r.strip_suffix('"')))
            .unwrap()
            .to_string();
        if name == "venvoy-test-support" {
            continue; // a dev-dependency only
        }
        let mut deps: Vec<String> = toml
            .split("\n[")
            .filter(|section| section.starts_with("dependencies]"))
            .flat_map(|section| section.lines().skip(1))
            .filter_map(|l| l.split(['.', ' ', '=']).next())
            .filter(|d| d.starts_with("venvoy"))
            .map(String::from)
            .collect();
        deps.sort();
        graph.insert(name, deps);
    }
    graph
}

/// The crates and `→` lines of the diagram.
fn diagram_graph(text: &str) -> BTreeMap<String, Vec<String>> {
    let start = text.find("## Bird's-eye view").unwrap();
    let block = text[start..].split("```").nth(1).unwrap();
    let mut graph = BTreeMap::new();
    let mut current = None;
    for line in block.lines() {
        if let Some(deps) = line.trim_start().strip_prefix("→ ") {
            let mut deps: Vec<String> =
                deps.split_whitespace().filter(|d| d.starts_with("venvoy")).map(String::from).collect();
            deps.sort();
            graph.insert(current.take().expect("a → line follows a crate line"), deps);
        } else if line.starts_with("venvoy") {
            current = line.split_whitespace().next().map(String::from);
        }
    }
    graph
}

#[test]
fn the_diagram_is_the_crate_graph() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    assert_eq!(
        diagram_graph(&text),
        cargo_graph(&root),
        "ARCHITECTURE.md's diagram differs from the Cargo.toml files"
    );
}
