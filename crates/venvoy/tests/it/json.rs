//! Every `--json` shape, pinned by a snapshot: the keys are an interface
//! (README, "JSON output"). The sandbox sees one interpreter, Debian's
//! `/usr/bin/python3` (no pyenv), so each list has one entry; paths,
//! versions, sizes and times are replaced by placeholders.

use std::path::{Path, PathBuf};

use insta::assert_snapshot;

use crate::common::{TestContext, assert_code, debian_python, stdout};

/// A sandbox whose only interpreter is Debian's `python3`, linked into a
/// directory that is all of PATH; pyenv's root is an empty directory.
fn one_python() -> Option<(TestContext, PathBuf)> {
    let python = debian_python()?;
    let mut ctx = TestContext::new();
    let bin = ctx.root.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(&python, bin.join("python3")).unwrap();
    ctx.path = bin.into_os_string();
    let pyenv = ctx.root.path().join("no-pyenv");
    std::fs::create_dir_all(&pyenv).unwrap();
    ctx.env("PYENV_ROOT", pyenv);
    Some((ctx, python))
}

/// `ctx` with an env made by `create --without-pip` at `work/env`.
fn with_env() -> Option<(TestContext, PathBuf)> {
    let (ctx, python) = one_python()?;
    let out = ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), "./env"]);
    assert_code(&out, 0);
    Some((ctx, python))
}

/// Run venvoy with `args`, check the exit code and that stdout is JSON,
/// and snapshot stdout with the machine's parts replaced.
#[track_caller]
fn snapshot(ctx: &TestContext, python: &Path, name: &str, args: &[&str], code: i32) {
    let out = ctx.run(args);
    assert_code(&out, code);
    let text = stdout(&out);
    serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"));
    let text = text
        .replace(&ctx.root.path().to_string_lossy().into_owned(), "[TEMP]")
        .replace(&python.to_string_lossy().into_owned(), "[PYTHON]");
    insta::with_settings!({
        filters => vec![
            (r#""version_info": \[[^\]]*\]"#, r#""version_info": [VERSION_INFO]"#),
            (
                r#""(size|size_bytes|unique_size|total_size|bytes|last_used|dirs_visited|reflinked|hardlinked|copied|rewritten|symlinks|caches_dropped)": \d+"#,
                r#""$1": [N]"#,
            ),
            (r#""(commit_hash|commit_date|build_date|rustc|target)": ("[^"]*"|null)"#, r#""$1": "[BUILD]""#),
            (r"\b\d+\.\d+\.\d+\b", "[X.Y.Z]"),
            (r"python3\.?\d+", "python3[Y]"),
        ],
        prepend_module_to_snapshot => true,
        omit_expression => true,
    }, {
        assert_snapshot!(name, text);
    });
}

#[test]
fn create_json() {
    let Some((ctx, python)) = one_python() else { return };
    let py = python.to_str().unwrap();
    snapshot(&ctx, &python, "create", &["create", "--without-pip", "-p", py, "--json", "./env"], 0);
}

#[test]
fn create_json_seeded_from_ensurepip() {
    let Some((ctx, python)) = one_python() else { return };
    let py = python.to_str().unwrap();
    snapshot(&ctx, &python, "create_seeded", &["create", "-p", py, "--json", "./env"], 0);
}

#[test]
fn list_json() {
    let Some((ctx, python)) = with_env() else { return };
    snapshot(&ctx, &python, "list", &["list", "--json"], 0);
}

#[test]
fn info_json() {
    let Some((ctx, python)) = with_env() else { return };
    snapshot(&ctx, &python, "info", &["info", "--json", "./env"], 0);
}

#[test]
fn doctor_json() {
    let Some((ctx, python)) = with_env() else { return };
    snapshot(&ctx, &python, "doctor", &["doctor", "--json", "./env"], 0);
}

#[test]
fn doctor_json_of_a_stale_env() {
    let Some((ctx, python)) = with_env() else { return };
    // `pyvenv.cfg` records another version than the base now has.
    let cfg = ctx.work.join("env/pyvenv.cfg");
    let text: String = std::fs::read_to_string(&cfg)
        .unwrap()
        .lines()
        .map(|l| if l.starts_with("version") { "version = 3.1.0\n".to_string() } else { format!("{l}\n") })
        .collect();
    std::fs::write(&cfg, text).unwrap();
    snapshot(&ctx, &python, "doctor_stale", &["doctor", "--json", "./env"], 1);
}

/// One installed distribution, written as an installer leaves it.
fn install_dist(env: &Path) {
    let site =
        std::fs::read_dir(env.join("lib")).unwrap().next().unwrap().unwrap().path().join("site-packages");
    let info = site.join("probe-1.0.dist-info");
    std::fs::create_dir_all(&info).unwrap();
    std::fs::write(site.join("probe.py"), "").unwrap();
    std::fs::write(
        info.join("METADATA"),
        "Metadata-Version: 2.1\nName: probe\nVersion: 1.0\nSummary: A probe\n",
    )
    .unwrap();
    std::fs::write(info.join("INSTALLER"), "pip\n").unwrap();
    std::fs::write(info.join("REQUESTED"), "").unwrap();
    std::fs::write(
        info.join("RECORD"),
        "probe.py,,\nprobe-1.0.dist-info/METADATA,,\nprobe-1.0.dist-info/INSTALLER,,\nprobe-1.0.dist-info/RECORD,,\n",
    )
    .unwrap();
}

#[test]
fn packages_json() {
    let Some((ctx, python)) = with_env() else { return };
    install_dist(&ctx.work.join("env"));
    snapshot(&ctx, &python, "packages", &["packages", "--json", "./env"], 0);
}

#[test]
fn locate_json() {
    let Some((ctx, python)) = with_env() else { return };
    install_dist(&ctx.work.join("env"));
    snapshot(&ctx, &python, "locate", &["locate", "-e", "./env", "--json", "probe"], 0);
}

#[test]
fn python_list_json() {
    let Some((ctx, python)) = one_python() else { return };
    snapshot(&ctx, &python, "python_list", &["python", "list", "--json"], 0);
}

#[test]
fn python_find_json() {
    let Some((ctx, python)) = one_python() else { return };
    snapshot(&ctx, &python, "python_find", &["python", "find", "--json"], 0);
}

#[test]
fn which_json() {
    let Some((ctx, python)) = one_python() else { return };
    snapshot(&ctx, &python, "which", &["which", "--json", "python3"], 0);
}

#[test]
fn which_json_with_traps() {
    let Some((mut ctx, python)) = one_python() else { return };
    // The one directory on PATH twice, and `PYTHONPATH` set: two traps.
    let bin = std::path::PathBuf::from(&ctx.path);
    ctx.path = std::env::join_paths([&bin, &bin]).unwrap();
    ctx.env("PYTHONPATH", "/nowhere");
    snapshot(&ctx, &python, "which_traps", &["which", "--json", "python3"], 0);
}

#[test]
fn scan_json() {
    let Some((ctx, python)) = with_env() else { return };
    let work = ctx.work.to_str().unwrap();
    snapshot(&ctx, &python, "scan", &["scan", "--json", work], 0);
}

#[test]
fn gc_json_with_an_orphan() {
    let Some((ctx, python)) = one_python() else { return };
    // A pipenv env whose project is gone.
    let env = ctx.home.join(".local/share/virtualenvs/old-Zyx98765");
    let out = ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), env.to_str().unwrap()]);
    assert_code(&out, 0);
    std::fs::write(env.join(".project"), ctx.home.join("src/deleted-project").to_str().unwrap()).unwrap();
    snapshot(&ctx, &python, "gc", &["gc", "--json", ctx.home.to_str().unwrap()], 0);
    assert!(env.is_dir(), "gc without --yes removes nothing");
}

#[test]
fn allow_list_json() {
    let Some((ctx, python)) = with_env() else { return };
    snapshot(&ctx, &python, "allow_list", &["allow", "--list", "--json"], 0);
}

#[test]
fn version_json() {
    let Some((ctx, python)) = one_python() else { return };
    snapshot(&ctx, &python, "version", &["version", "--json"], 0);
}

#[test]
fn activate_script_json() {
    let Some((ctx, python)) = with_env() else { return };
    snapshot(&ctx, &python, "activate_script", &["__activate-script", "nu", "--json", "./env"], 0);
}

#[test]
fn clone_json() {
    let Some((ctx, python)) = with_env() else { return };
    snapshot(&ctx, &python, "clone", &["clone", "--json", "./env", "./copy"], 0);
}

#[test]
fn move_json() {
    let Some((ctx, python)) = with_env() else { return };
    snapshot(&ctx, &python, "move", &["move", "--json", "./env", "./moved"], 0);
}

#[test]
fn relocatable_json() {
    let Some((ctx, python)) = with_env() else { return };
    snapshot(&ctx, &python, "relocatable", &["relocatable", "--json", "./env"], 0);
}
