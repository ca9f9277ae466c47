//! What venvoy fetches from an index (`cache update`, `seed`, the seed cap,
//! the newest pip an old Python supports, `http_proxy`), against a PEP 691
//! index on 127.0.0.1 serving wheels the test builds: no live network.

use std::path::{Path, PathBuf};

use crate::common::{
    Served, TestContext, assert_code, build_wheel, debian_python, pyenv_python, pyenv_versions, require,
    serve_index, stderr,
};

/// Debian's Python, which builds the wheels and makes the envs.
fn python() -> Option<PathBuf> {
    debian_python()
}

/// A stand-in `pip` wheel of `version` (a package that says its version).
fn pip_wheel(python: &Path, dir: &Path, version: &str) -> PathBuf {
    let init = format!("__version__ = {version:?}\n");
    build_wheel(python, dir, "pip", version, &[("pip/__init__.py", &init)], &[])
}

/// A sandbox whose index is `url` (no other index, no proxy).
fn with_index(url: &str) -> TestContext {
    let mut ctx = TestContext::new();
    ctx.env("PIP_INDEX_URL", url);
    ctx
}

#[test]
fn cache_update_downloads_from_the_index_once() {
    let Some(py) = python() else { return };
    let mut ctx = TestContext::new();
    let wheel = pip_wheel(&py, &ctx.root.path().join("wheels"), "99.0");
    let (url, _) = serve_index(vec![Served { project: "pip", wheel, requires_python: None }]);
    ctx.env("PIP_INDEX_URL", &url);
    let out = ctx.run(&["cache", "update", "pip"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("Downloaded pip-99.0"), "{}", stderr(&out));
    let again = ctx.run(&["cache", "update", "pip"]);
    assert_code(&again, 0);
    assert!(!stderr(&again).contains("Downloaded"), "the cache has it: {}", stderr(&again));
}

#[test]
fn seed_takes_wheel_from_the_index_below_its_cap() {
    let Some(py) = python() else { return };
    let root = TestContext::new();
    let dir = root.root.path().join("wheels");
    let served = ["0.45.1", "0.46.0"].map(|v| Served {
        project: "wheel",
        wheel: build_wheel(&py, &dir, "wheel", v, &[("wheel/__init__.py", "")], &[]),
        requires_python: None,
    });
    let (url, _) = serve_index(served.into());
    let ctx = with_index(&url);
    assert_code(&ctx.run(&["create", "--without-pip", "-p", py.to_str().unwrap(), "./env"]), 0);
    let out = ctx.run(&["seed", "-e", "./env", "wheel"]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("Seeded wheel 0.45.1 from the index"), "the newest below 0.46: {err}");
    let site = std::fs::read_dir(ctx.work.join("env/lib")).unwrap().next().unwrap().unwrap().path();
    assert!(site.join("site-packages/wheel-0.45.1.dist-info/RECORD").is_file());
}

#[test]
fn python_3_7_gets_the_newest_pip_that_supports_it() {
    let Some(py) = python() else { return };
    let v37 = pyenv_versions().into_iter().find(|v| v.starts_with("3.7."));
    let Some(py37) = require("pyenv's CPython 3.7", v37.and_then(|v| pyenv_python(&v))) else { return };
    let mut ctx = TestContext::new();
    let dir = ctx.root.path().join("wheels");
    let (url, _) = serve_index(vec![
        Served { project: "pip", wheel: pip_wheel(&py, &dir, "24.0"), requires_python: Some(">=3.7") },
        Served { project: "pip", wheel: pip_wheel(&py, &dir, "99.0"), requires_python: Some(">=3.8") },
    ]);
    ctx.env("PIP_INDEX_URL", &url);
    assert_code(&ctx.run(&["cache", "update", "pip"]), 0);
    let out = ctx.run(&["create", "-p", py37.to_str().unwrap(), "./py37"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("Seeded pip 24.0 from venvoy's cache"), "{}", stderr(&out));
}

#[test]
fn an_http_index_is_reached_through_http_proxy() {
    let Some(py) = python() else { return };
    let mut ctx = TestContext::new();
    let wheel = pip_wheel(&py, &ctx.root.path().join("wheels"), "99.0");
    let (proxy, seen) = serve_index(vec![Served { project: "pip", wheel, requires_python: None }]);
    // The index host does not resolve: only the proxy can answer for it.
    ctx.env("PIP_INDEX_URL", "http://index.invalid/simple");
    ctx.env("http_proxy", proxy.trim_end_matches("/simple"));
    let out = ctx.run(&["cache", "update", "pip"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("Downloaded pip-99.0"), "{}", stderr(&out));
    let seen = seen.lock().unwrap().clone();
    // A tunnel to the index's host, and the index's page asked through it.
    assert!(seen.iter().any(|t| t == "CONNECT index.invalid:80"), "{seen:?}");
    assert!(seen.iter().any(|t| t == "GET /simple/pip/"), "{seen:?}");
}
