//! `venvoy create` against every real interpreter, compared with the stdlib's
//! own `python -m venv`, plus every refusal and the atomicity guarantees.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::*;

fn create(ctx: &TestContext, args: &[&str]) -> std::process::Output {
    let mut all = vec!["create", "--without-pip"];
    all.extend_from_slice(args);
    ctx.run(&all)
}

/// Run Python code in an env's interpreter and parse its JSON answer.
fn py_json(python: &Path, code: &str) -> serde_json::Value {
    let out = Command::new(python)
        .args(["-c", code])
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

const PROBE: &str = r#"
import json, site, sys, sysconfig, os
def under(p, root):
    return os.path.realpath(p).startswith(os.path.realpath(root) + os.sep)
user = site.getusersitepackages() if hasattr(site, "getusersitepackages") else None
print(json.dumps({
    "prefix": sys.prefix,
    "base_prefix": sys.base_prefix,
    "executable": sys.executable,
    "scheme": sysconfig.get_default_scheme() if hasattr(sysconfig, "get_default_scheme") else None,
    "has_venv_scheme": "venv" in sysconfig.get_scheme_names(),
    "user_site_on_path": user in sys.path,
    "enable_user_site": site.ENABLE_USER_SITE,
    "sys_path": sys.path,
}))
"#;

const SPAWN: &str = r#"
import json, multiprocessing as mp, sys
def child(q):
    import sys
    q.put(sys.prefix)
if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=child, args=(q,))
    p.start()
    prefix = q.get(timeout=60)
    p.join(60)
    print(json.dumps({"child_prefix": prefix, "exitcode": p.exitcode}))
"#;

#[test]
fn every_interpreter_makes_a_working_isolated_venv() {
    let pythons = supported_pythons();
    assert!(pythons.len() >= 2 || !in_ci(), "expected the machine's interpreters");
    for (version, python) in pythons {
        let ctx = TestContext::new();
        let env = ctx.work.join(format!("env-{version}"));
        let out = create(&ctx, &["-p", python.to_str().unwrap(), env.to_str().unwrap()]);
        assert_code(&out, 0);
        let env_python = env.join("bin/python");
        let facts = py_json(&env_python, PROBE);
        let base = py_json(&python, "import json, sys; print(json.dumps(sys.prefix))");
        // The base interpreter's own site-packages, asked outside any venv.
        let base_sites = py_json(&python, "import json, site; print(json.dumps(site.getsitepackages()))");
        let base_sites: Vec<&str> =
            base_sites.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let on_path = |facts: &serde_json::Value| {
            let path: Vec<&str> =
                facts["sys_path"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
            base_sites.iter().any(|s| path.contains(s))
        };
        assert_eq!(facts["prefix"], env.to_str().unwrap(), "{version}: {facts}");
        assert_eq!(facts["base_prefix"], base, "{version}");
        assert!(
            Path::new(facts["executable"].as_str().unwrap()).starts_with(env.join("bin")),
            "{version}: {facts}"
        );
        if facts["has_venv_scheme"] == true {
            assert_eq!(facts["scheme"], "venv", "{version}");
        }
        assert_eq!(facts["user_site_on_path"], false, "{version}: {facts}");
        assert_eq!(facts["enable_user_site"], false, "{version}: {facts}");
        assert!(!on_path(&facts), "{version}: base site-packages {base_sites:?} on {facts}");

        // multiprocessing's spawn start method re-executes sys.executable.
        let script = ctx.work.join("spawn.py");
        std::fs::write(&script, SPAWN).unwrap();
        let out = Command::new(&env_python).arg(&script).output().unwrap();
        assert!(out.status.success(), "{version}: {}", String::from_utf8_lossy(&out.stderr));
        let spawn: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(spawn["child_prefix"], env.to_str().unwrap(), "{version}");
        assert_eq!(spawn["exitcode"], 0);

        // --system-site-packages puts the base site-packages back on sys.path.
        let env2 = ctx.work.join("with-system");
        let out =
            create(&ctx, &["-p", python.to_str().unwrap(), "--system-site-packages", env2.to_str().unwrap()]);
        assert_code(&out, 0);
        let facts = py_json(&env2.join("bin/python"), PROBE);
        assert!(on_path(&facts), "{version}: base site-packages {base_sites:?} not on {facts}");
    }
}

/// Every path the stdlib's venv makes, venvoy makes too, of the same kind;
/// `pyvenv.cfg` has the stdlib's keys with the same values.
#[test]
fn layout_and_pyvenv_cfg_match_the_stdlib() {
    for (version, python) in supported_pythons() {
        let ctx = TestContext::new();
        let stdlib = ctx.work.join("stdlib");
        let ours = ctx.work.join("ours");
        // Run the stdlib the way a user would: through the install's `python3` name.
        let status =
            Command::new(&python).args(["-m", "venv", "--without-pip"]).arg(&stdlib).status().unwrap();
        assert!(status.success());
        let out = create(&ctx, &["-p", python.to_str().unwrap(), ours.to_str().unwrap()]);
        assert_code(&out, 0);

        let theirs = tree(&stdlib);
        let mine = tree(&ours);
        for (rel, kind) in &theirs {
            // Activation scripts are compared by the activation tests.
            if rel.starts_with("bin/activate") || rel.starts_with("bin/Activate") {
                continue;
            }
            assert_eq!(
                mine.get(rel),
                Some(kind),
                "{version}: `{rel}` differs (stdlib: {kind}); ours: {mine:#?}"
            );
        }
        for exe in ["python", "python3"] {
            assert_eq!(
                std::fs::canonicalize(stdlib.join("bin").join(exe)).unwrap(),
                std::fs::canonicalize(ours.join("bin").join(exe)).unwrap(),
                "{version}: bin/{exe} reaches another interpreter"
            );
        }
        let theirs = cfg(&stdlib);
        let mine = cfg(&ours);
        for (key, value) in &theirs {
            if key == "command" {
                assert!(mine["command"].starts_with("venvoy create "), "{}", mine["command"]);
                continue;
            }
            if key == "home" {
                // Both point at the directory of the interpreter name they link to.
                assert_eq!(
                    std::fs::canonicalize(value).unwrap(),
                    std::fs::canonicalize(&mine["home"]).unwrap(),
                    "{version}: home"
                );
                continue;
            }
            assert_eq!(mine.get(key), Some(value), "{version}: pyvenv.cfg key {key}");
        }
        assert_eq!(mine["implementation"], if is_pypy(&python) { "PyPy" } else { "CPython" }, "{version}");
        assert_eq!(mine["version_info"], mine["version"]);
        assert_eq!(mine["venvoy"], env!("CARGO_PKG_VERSION"));
        assert_eq!(std::fs::read_to_string(ours.join(".gitignore")).unwrap().lines().last(), Some("*"));
        assert!(
            std::fs::read_to_string(ours.join("CACHEDIR.TAG"))
                .unwrap()
                .starts_with("Signature: 8a477f597d28d172789f06886806bc55")
        );
    }
}

/// Relative path → "dir" | "file" | "symlink".
fn tree(root: &Path) -> BTreeMap<String, &'static str> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            let rel = e.path().strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if rel.contains("__pycache__") {
                continue;
            }
            let kind = if ft.is_symlink() {
                "symlink"
            } else if ft.is_dir() {
                stack.push(e.path());
                "dir"
            } else {
                "file"
            };
            out.insert(rel, kind);
        }
    }
    out
}

fn cfg(env: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(env.join("pyvenv.cfg"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// pyenv's 3.12 (else the first supported Python), as a string for `-p`.
fn py312() -> String {
    let (_, python) = supported_pythons()
        .into_iter()
        .find(|(v, _)| v.starts_with("3.12"))
        .unwrap_or_else(|| supported_pythons().remove(0));
    python.to_str().unwrap().to_string()
}

#[test]
fn prompt_dot_is_the_directory_name_and_json_says_so() {
    // --prompt . is the current directory's name, as in the stdlib.
    let ctx = TestContext::new();
    let out = create(&ctx, &["-p", &py312(), "--prompt", ".", "--json", "dot"]);
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["prompt"], "work");
    assert_eq!(json["action"], "created");
    assert_eq!(json["path"], ctx.work.join("dot").to_str().unwrap());
    assert_eq!(cfg(&ctx.work.join("dot"))["prompt"], "'work'");
}

#[test]
fn a_prompt_with_quotes_is_stored_as_python_repr() {
    let ctx = TestContext::new();
    let out = create(&ctx, &["-p", &py312(), "--prompt", "it's \"x\"", "q"]);
    assert_code(&out, 0);
    assert_eq!(cfg(&ctx.work.join("q"))["prompt"], r#"'it\'s "x"'"#);
}

#[test]
fn copies_makes_real_files_that_run() {
    let ctx = TestContext::new();
    let out = create(&ctx, &["-p", &py312(), "--copies", "copies"]);
    assert_code(&out, 0);
    let exe = ctx.work.join("copies/bin/python3");
    assert!(!std::fs::symlink_metadata(&exe).unwrap().file_type().is_symlink());
    let facts = py_json(&ctx.work.join("copies/bin/python"), PROBE);
    assert_eq!(facts["prefix"], ctx.work.join("copies").to_str().unwrap());
}

#[test]
fn without_scm_ignore_files_writes_no_gitignore() {
    let ctx = TestContext::new();
    let out = create(&ctx, &["-p", &py312(), "--without-scm-ignore-files", "noignore"]);
    assert_code(&out, 0);
    assert!(!ctx.work.join("noignore/.gitignore").exists());
}

#[test]
fn dash_n_goes_to_the_env_home_and_venvoy_home_wins_over_workon_home() {
    let ctx = TestContext::new();
    let py = py312();
    let home = ctx.root.path().join("envs");
    let out = ctx
        .venvoy()
        .env("WORKON_HOME", &home)
        .args(["create", "--without-pip", "-p", &py, "-n", "web"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(home.join("web/pyvenv.cfg").is_file());
    let other = ctx.root.path().join("venvoy-home");
    let out = ctx
        .venvoy()
        .env("WORKON_HOME", &home)
        .env("VENVOY_HOME", &other)
        .args(["create", "--without-pip", "-p", &py, "-n", "api"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(other.join("api/pyvenv.cfg").is_file());
}

#[test]
fn dash_n_with_a_slash_is_not_a_name() {
    let ctx = TestContext::new();
    let out = ctx.run(&["create", "-n", "a/b"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("not a valid env name"));
}

#[test]
fn the_default_target_is_dot_venv_and_the_hint_fits_the_shell() {
    // Default target is .venv, and the message says how to activate.
    let ctx = TestContext::new();
    let py = py312();
    let out = create(&ctx, &["-p", &py]);
    assert_code(&out, 0);
    assert!(ctx.work.join(".venv/pyvenv.cfg").is_file());
    assert!(stderr(&out).contains("Activate with: source '.venv/bin/activate'"), "{}", stderr(&out));
    let out = ctx
        .venvoy()
        .env("SHELL", "/usr/bin/fish")
        .args(["create", "--without-pip", "-p", &py, "fishy"])
        .output()
        .unwrap();
    assert!(stderr(&out).contains("activate.fish"), "{}", stderr(&out));
}

#[test]
fn existing_targets() {
    let ctx = TestContext::new();
    let py = supported_pythons().remove(0).1;
    let py = py.to_str().unwrap();

    // An empty directory is used.
    std::fs::create_dir(ctx.work.join("empty")).unwrap();
    assert_code(&create(&ctx, &["-p", py, "empty"]), 0);
    assert!(ctx.work.join("empty/pyvenv.cfg").is_file());

    // A venv is refused without flags, naming --clear and --upgrade.
    let out = create(&ctx, &["-p", py, "empty"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("is already a venv")
            && stderr(&out).contains("--clear")
            && stderr(&out).contains("--upgrade")
    );

    // --clear empties a venv (files inside it go).
    std::fs::write(ctx.work.join("empty/lib/junk.txt"), "x").unwrap();
    let out = create(&ctx, &["-p", py, "--clear", "empty"]);
    assert_code(&out, 0);
    assert!(!ctx.work.join("empty/lib/junk.txt").exists());
    assert!(ctx.work.join("empty/pyvenv.cfg").is_file());

    // A non-empty directory that is not a venv is refused, and --clear refuses it too: files stay.
    let dir = ctx.work.join("project");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/main.py"), "print('precious')").unwrap();
    let out = create(&ctx, &["-p", py, "project"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("is not empty"), "{}", stderr(&out));
    let out = create(&ctx, &["-p", py, "--clear", "project"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("is not a venv"), "{}", stderr(&out));
    assert!(stderr(&out).contains("hint:"));
    assert_eq!(std::fs::read_to_string(dir.join("src/main.py")).unwrap(), "print('precious')");

    // --allow-existing creates the venv among the files, keeping them.
    let out = create(&ctx, &["-p", py, "--allow-existing", "project"]);
    assert_code(&out, 0);
    assert_eq!(std::fs::read_to_string(dir.join("src/main.py")).unwrap(), "print('precious')");
    assert!(dir.join("pyvenv.cfg").is_file());

    // --clear never follows a symlinked target.
    let real = ctx.work.join("real-venv");
    assert_code(&create(&ctx, &["-p", py, "real-venv"]), 0);
    std::os::unix::fs::symlink(&real, ctx.work.join("link")).unwrap();
    let out = create(&ctx, &["-p", py, "--clear", "link"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("is a symlink"), "{}", stderr(&out));
    assert!(real.join("pyvenv.cfg").is_file());
}

#[test]
fn upgrade_repoints_and_keeps_site_packages() {
    let pythons = supported_pythons();
    let find = |p: &str| pythons.iter().find(|(v, _)| v.starts_with(p)).map(|(_, p)| p.clone());
    let (Some(py311), Some(py312), Some(py310)) = (find("3.11"), find("3.12"), find("3.10")) else { return };
    let ctx = TestContext::new();
    assert_code(&create(&ctx, &["-p", py311.to_str().unwrap(), "env"]), 0);
    let site = ctx.work.join("env/lib/python3.11/site-packages");
    std::fs::write(site.join("mymod.py"), "VALUE = 42\n").unwrap();

    // Older minor: refused.
    let out = create(&ctx, &["-p", py310.to_str().unwrap(), "--upgrade", "env"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("only the same or a newer minor version"), "{}", stderr(&out));

    // Newer minor: re-pointed, site-packages kept (and moved to the new scheme).
    let out = create(&ctx, &["-p", py312.to_str().unwrap(), "--upgrade", "env"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("must be reinstalled"), "{}", stderr(&out));
    let env_python = ctx.work.join("env/bin/python");
    let out = Command::new(&env_python)
        .args(["-c", "import sys, mymod; print(sys.version_info[:2], mymod.VALUE)"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "(3, 12) 42",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!ctx.work.join("env/bin/python3.11").exists());
    assert!(cfg(&ctx.work.join("env"))["version"].starts_with("3.12."));

    // --upgrade of something that is not a venv.
    std::fs::create_dir_all(ctx.work.join("plain/x")).unwrap();
    let out = create(&ctx, &["-p", py312.to_str().unwrap(), "--upgrade", "plain"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("is not a venv"));
}

#[test]
fn refusals() {
    let ctx = TestContext::new();
    let py = supported_pythons().remove(0).1;
    let py = py.to_str().unwrap();

    let out = create(&ctx, &["-p", py, "a:b"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("contains `:`, the PATH separator"), "{}", stderr(&out));
    assert!(!ctx.work.join("a:b").exists());

    std::fs::write(ctx.work.join("file"), "data").unwrap();
    let out = create(&ctx, &["-p", py, "file"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("exists and is not a directory"));
    assert_eq!(std::fs::read_to_string(ctx.work.join("file")).unwrap(), "data");

    // Unsupported interpreters name the minimum.
    for version in pyenv_versions().iter().filter(|v| v.starts_with("2.") || v.starts_with("3.6")) {
        let prefix = pyenv_root().unwrap().join("versions").join(version);
        let out = create(&ctx, &["-p", prefix.to_str().unwrap(), "old"]);
        assert_code(&out, 2);
        assert!(stderr(&out).contains("venvoy needs Python 3.7 or newer"), "{}", stderr(&out));
        assert!(!ctx.work.join("old").exists());
    }

    // An interpreter that is itself a venv: its base is used, and -v says so.
    assert_code(&create(&ctx, &["-p", py, "first"]), 0);
    let out = ctx.run(&[
        "-v",
        "create",
        "--without-pip",
        "-p",
        ctx.work.join("first/bin/python").to_str().unwrap(),
        "second",
    ]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("using its base interpreter"), "{}", stderr(&out));
    assert_eq!(cfg(&ctx.work.join("second"))["executable"], cfg(&ctx.work.join("first"))["executable"]);

    // No permission: an immutable parent directory (root ignores mode bits).
    let locked = ctx.work.join("locked");
    std::fs::create_dir(&locked).unwrap();
    if Command::new("chattr").arg("+i").arg(&locked).status().is_ok_and(|s| s.success()) {
        let out = create(&ctx, &["-p", py, "locked/env"]);
        let _ = Command::new("chattr").arg("-i").arg(&locked).status();
        assert_code(&out, 2);
        assert!(stderr(&out).contains("permission denied"), "{}", stderr(&out));
        assert!(stderr(&out).contains("locked/env"), "{}", stderr(&out));
    } else {
        missing("`chattr +i` (an immutable directory, for the permission check)");
    }
}

/// SIGKILL and SIGINT at many points: the target holds a complete venv or nothing, and a
/// rerun works and leaves no temporary directories behind.
#[test]
fn killed_create_leaves_a_complete_env_or_nothing() {
    use std::time::Duration;
    let ctx = TestContext::new();
    let py = supported_pythons().remove(0).1;
    let target = ctx.work.join("killed");
    // Warm the cache so the kill lands in the creation itself.
    assert_code(&create(&ctx, &["-p", py.to_str().unwrap(), "warm"]), 0);
    let mut complete = 0;
    for i in 0..30u64 {
        let mut child = ctx
            .venvoy()
            .args(["create", "--without-pip", "-p", py.to_str().unwrap()])
            .arg(&target)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(300 * i));
        if i % 2 == 0 {
            let _ = child.kill();
        } else {
            // Ctrl-C.
            let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
        }
        let _ = child.wait();
        if target.exists() {
            assert_complete(&target);
            complete += 1;
            std::fs::remove_dir_all(&target).unwrap();
        }
    }
    eprintln!("{complete} of 30 runs finished before the kill");
    assert_code(&create(&ctx, &["-p", py.to_str().unwrap(), "killed"]), 0);
    assert_complete(&target);
    let debris: Vec<String> = std::fs::read_dir(&ctx.work)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".venvoy-"))
        .collect();
    assert!(debris.is_empty(), "temporary directories left: {debris:?}");
}

fn assert_complete(env: &Path) {
    for rel in ["pyvenv.cfg", "bin/python", "bin/python3", "bin/activate", "lib", "lib64"] {
        assert!(std::fs::symlink_metadata(env.join(rel)).is_ok(), "`{rel}` missing in {}", env.display());
    }
    let out =
        Command::new(env.join("bin/python")).args(["-c", "import sys; print(sys.prefix)"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), env.to_str().unwrap());
}

#[test]
fn concurrent_creates_one_wins() {
    let ctx = TestContext::new();
    let py = supported_pythons().remove(0).1;
    assert_code(&create(&ctx, &["-p", py.to_str().unwrap(), "warm"]), 0);
    for round in 0..5 {
        let target = ctx.work.join(format!("race{round}"));
        let children: Vec<_> = (0..4)
            .map(|_| {
                ctx.venvoy()
                    .args(["create", "--without-pip", "-p", py.to_str().unwrap()])
                    .arg(&target)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outputs: Vec<_> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
        let ok = outputs.iter().filter(|o| o.status.success()).count();
        assert_eq!(ok, 1, "round {round}: exactly one create succeeds");
        for o in outputs.iter().filter(|o| !o.status.success()) {
            let err = stderr(o);
            assert!(
                err.contains("was created by another process") || err.contains("is already a venv"),
                "clear message expected: {err}"
            );
        }
        assert_complete(&target);
    }
}

#[test]
fn the_current_directory_is_named_dot_never_an_empty_name() {
    let ctx = TestContext::new();
    let py = supported_pythons().remove(0).1;
    let dir = ctx.work.join("here");
    std::fs::create_dir_all(&dir).unwrap();
    // A bare venv made in place, as `python -m venv .` does (nothing else there).
    let made =
        Command::new(&py).args(["-m", "venv", "--without-pip", "."]).current_dir(&dir).status().unwrap();
    assert!(made.success());
    let py_arg = py.to_str().unwrap();
    let out = ctx
        .venvoy()
        .current_dir(&dir)
        .args(["create", "--without-pip", "--clear", "-p", py_arg, "."])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("Recreated venv `.` with "), "{err}");
    assert!(!err.contains("``"), "an empty name: {err}");
}
