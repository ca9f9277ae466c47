//! `venvoy python list` against the machine's real interpreters.

use std::path::PathBuf;

use crate::common::*;

#[test]
fn lists_every_pyenv_cpython_and_debian_python3() {
    let ctx = TestContext::new();
    let out = ctx.run(&["python", "list", "--json"]);
    assert_code(&out, 0);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let versions = pyenv_versions();
    assert!(!versions.is_empty() || !in_ci(), "pyenv has no versions on this machine");
    for version in &versions {
        let prefix = pyenv_root().unwrap().join("versions").join(version);
        let entry = list
            .iter()
            .find(|e| PathBuf::from(e["path"].as_str().unwrap()).starts_with(&prefix))
            .unwrap_or_else(|| panic!("pyenv {version} missing from {}", stdout(&out)));
        assert_eq!(entry["python_version"], version.as_str(), "{entry}");
        assert_eq!(entry["implementation"], "cpython");
        assert!(entry["sources"].as_array().unwrap().iter().any(|s| s == "pyenv"), "{entry}");
        let supported = !version.starts_with("2.") && !version.starts_with("3.6");
        assert_eq!(entry["supported"], supported, "{entry}");
    }
    let debian = std::fs::canonicalize("/usr/bin/python3").unwrap();
    let entry = list.iter().find(|e| e["path"] == debian.to_str().unwrap()).expect("Debian's python3 listed");
    assert_eq!(entry["python_version"], python_version(&debian).as_str());
    assert!(entry["sources"].as_array().unwrap().iter().any(|s| s == "PATH"));
    assert_eq!(entry["externally_managed"], true, "Debian marks its python EXTERNALLY-MANAGED");

    // Each file once, newest first.
    let paths: Vec<&str> = list.iter().map(|e| e["path"].as_str().unwrap()).collect();
    let mut unique = paths.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), paths.len(), "duplicates in {paths:?}");
    let keys: Vec<(u64, u64, u64)> = list
        .iter()
        .map(|e| {
            let v = &e["version_info"];
            (v[0].as_u64().unwrap(), v[1].as_u64().unwrap(), v[2].as_u64().unwrap())
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] >= w[1]), "not newest first: {keys:?}");
}

#[test]
fn same_file_through_several_links_is_listed_once() {
    let mut ctx = TestContext::new();
    let real = std::fs::canonicalize("/usr/bin/python3").unwrap();
    let dir = ctx.root.path().join("links");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["python", "python3", "python3.11"] {
        std::os::unix::fs::symlink(&real, dir.join(name)).unwrap();
    }
    ctx.path = dir.clone().into_os_string();
    ctx.env("PYENV_ROOT", ctx.root.path().join("no-pyenv"));
    let out = ctx.run(&["python", "list", "--json"]);
    assert_code(&out, 0);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), 1, "{}", stdout(&out));
    assert_eq!(list[0]["path"], real.to_str().unwrap());
}

#[test]
fn human_listing_has_version_architecture_source_and_path() {
    let ctx = TestContext::new();
    let out = ctx.run(&["python", "list"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let debian = std::fs::canonicalize("/usr/bin/python3").unwrap();
    let line = text
        .lines()
        .find(|l| l.split("  ").any(|field| field.trim() == debian.to_str().unwrap()))
        .expect("Debian python line");
    assert!(line.starts_with("CPython 3."), "{line}");
    assert!(line.contains(std::env::consts::ARCH), "{line}");
    assert!(line.contains("PATH"), "{line}");
    if pyenv_versions().iter().any(|v| v.starts_with("2.")) {
        assert!(text.lines().any(|l| l.starts_with("CPython 2.7") && l.ends_with("(unsupported)")), "{text}");
    }
}
