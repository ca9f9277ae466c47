//! `venvoy doctor`: envs broken for real (their interpreter removed or
//! replaced by another version, moved, `pyvenv.cfg` deleted, links broken),
//! each check seen to fire, `--fix` seen to repair, exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{TestContext, assert_code, missing, pyenv_python, stdout};
use crate::packages::{base_python, build_wheels, pip_env, run_ok};

/// A private "installation" of a pyenv CPython: its binary copied into
/// `at/bin` (named `python3` and `python3.M`), `lib` and `include` linked to
/// the real ones. Python finds its prefix from the binary's place, so this
/// runs as a separate interpreter that can be deleted or replaced.
pub fn interpreter_copy(version: &str, at: &Path) -> Option<PathBuf> {
    let real = pyenv_python(version)?;
    let prefix = real.parent()?.parent()?.to_path_buf();
    let minor_name = real.file_name()?.to_owned();
    std::fs::create_dir_all(at.join("bin")).unwrap();
    std::fs::copy(&real, at.join("bin").join(&minor_name)).unwrap();
    std::os::unix::fs::symlink(&minor_name, at.join("bin/python3")).unwrap();
    for dir in ["lib", "include"] {
        std::os::unix::fs::symlink(prefix.join(dir), at.join(dir)).unwrap();
    }
    let python = at.join("bin/python3");
    let out = Command::new(&python).args(["-c", "import sys; print(sys.prefix)"]).output().ok()?;
    (out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == at.to_str()?).then_some(python)
}

fn doctor(ctx: &TestContext, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["doctor", "--json"];
    all.extend_from_slice(args);
    let out = ctx.run(&all);
    let json = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    (out.status.code().unwrap(), json)
}

fn ids(report: &serde_json::Value) -> Vec<String> {
    report[0]["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect()
}

/// The env's Python runs and says its `sys.prefix` is the env.
#[track_caller]
fn assert_runs(env: &Path) {
    let out = run_ok(Command::new(env.join("bin/python")).args(["-c", "import sys; print(sys.prefix)"]));
    assert_eq!(out.trim(), env.to_str().unwrap());
}

fn create(ctx: &TestContext, python: &Path, env: &Path) {
    assert_code(
        &ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), env.to_str().unwrap()]),
        0,
    );
}

/// An env (`<root>/env`) made from a private copy of pyenv's CPython 3.12.1
/// at `<root>/py`, which the test may then break or replace: the env, and
/// the copy's directory. `None` (a failure under CI) without that Python.
fn env_on_a_copy(ctx: &TestContext) -> Option<(PathBuf, PathBuf)> {
    let py = ctx.root.path().join("py");
    let Some(copy) = interpreter_copy("3.12.1", &py) else {
        missing("pyenv's CPython 3.12.1 is not installed");
        return None;
    };
    let env = ctx.root.path().join("env");
    create(ctx, &copy, &env);
    Some((env, py))
}

#[test]
fn base_interpreter_removed_then_fixed() {
    let ctx = TestContext::new();
    let Some((env, py)) = env_on_a_copy(&ctx) else { return };
    let e = env.to_str().unwrap();
    let (code, report) = doctor(&ctx, &[e]);
    assert_eq!((code, ids(&report)), (0, vec![]));
    let out = ctx.run(&["doctor", e]);
    assert_code(&out, 0);
    assert!(stdout(&out).ends_with(": ok\n"), "{}", stdout(&out));

    std::fs::remove_dir_all(&py).unwrap();
    let (code, report) = doctor(&ctx, &[e]);
    assert_eq!(code, 1);
    assert_eq!(ids(&report), ["base-missing", "broken-link"]);
    let info = ctx.run(&["info", e, "--json"]);
    let info: serde_json::Value = serde_json::from_str(&stdout(&info)).unwrap();
    assert_eq!(info["health"], "broken");
    assert_eq!(info["base"]["exists"], false);

    let (code, report) = doctor(&ctx, &["--fix", e]);
    assert_eq!(code, 0, "{report:#}");
    let done = report[0]["repair"]["done"][0].as_str().unwrap();
    assert!(done.contains("3.12.1"), "{done}");
    assert_runs(&env);
    let (code, _) = doctor(&ctx, &[e]);
    assert_eq!(code, 0);
}

#[test]
fn base_replaced_by_another_version_then_fixed() {
    let ctx = TestContext::new();
    let Some((env, py)) = env_on_a_copy(&ctx) else { return };
    let e = env.to_str().unwrap();

    // Patch level: the recorded version differs only in the patch.
    let cfg = std::fs::read_to_string(env.join("pyvenv.cfg")).unwrap();
    std::fs::write(env.join("pyvenv.cfg"), cfg.replace("3.12.1", "3.12.0")).unwrap();
    // An edited `pyvenv.cfg` is no longer the env venvoy made (its base, a
    // private copy venvoy does not discover, is not run): trust it again.
    assert_code(&ctx.run(&["allow", e]), 0);
    let (code, report) = doctor(&ctx, &[e]);
    assert_eq!((code, ids(&report)), (1, vec!["base-version".to_string()]));
    assert!(report[0]["findings"][0]["message"].as_str().unwrap().contains("patch version"));
    let info: serde_json::Value = serde_json::from_str(&stdout(&ctx.run(&["info", e, "--json"]))).unwrap();
    assert_eq!(info["health"], "stale");
    assert_eq!(info["base"]["version_matches"], false);
    let (code, _) = doctor(&ctx, &["--fix", e]);
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(env.join("pyvenv.cfg")).unwrap().contains("version = 3.12.1"));

    // Minor: the same path now holds Python 3.11 (an in-place upgrade gone sideways).
    if pyenv_python("3.11.7").is_none() {
        return missing("pyenv's CPython 3.11.7 is not installed");
    }
    std::fs::remove_dir_all(&py).unwrap();
    let eleven = interpreter_copy("3.11.7", &py).unwrap();
    std::fs::rename(py.join("bin/python3.11"), py.join("bin/python3.12")).unwrap();
    std::fs::remove_file(&eleven).unwrap();
    std::os::unix::fs::symlink("python3.12", &eleven).unwrap();
    let (code, report) = doctor(&ctx, &[e]);
    assert_eq!((code, ids(&report)), (1, vec!["base-version".to_string()]));
    assert!(report[0]["findings"][0]["message"].as_str().unwrap().contains("minor version"));
    let (code, report) = doctor(&ctx, &["--fix", e]);
    assert_eq!(code, 0, "{report:#}");
    assert_runs(&env);
    let version =
        run_ok(Command::new(env.join("bin/python")).args(["-c", "import sys; print(sys.version_info[:2])"]));
    assert_eq!(version.trim(), "(3, 12)");
}

#[test]
fn only_another_minor_version_is_not_fixed() {
    let ctx = TestContext::new();
    let Some((env, py)) = env_on_a_copy(&ctx) else { return };
    std::fs::remove_dir_all(&py).unwrap();
    // A machine whose only Python is the system's (not 3.12): no pyenv, PATH without 3.12.
    let mut ctx = ctx;
    let empty_pyenv = ctx.root.path().join("no-pyenv");
    std::fs::create_dir_all(&empty_pyenv).unwrap();
    ctx.env("PYENV_ROOT", &empty_pyenv);
    ctx.path = "/usr/bin:/bin".into();
    let system =
        Command::new("/usr/bin/python3").args(["-c", "import sys; print(sys.version_info[1])"]).output();
    if system.as_ref().map_or(true, |o| String::from_utf8_lossy(&o.stdout).trim() == "12") {
        return missing("the system Python is 3.12 (or missing)");
    }
    let (code, report) = doctor(&ctx, &["--fix", env.to_str().unwrap()]);
    assert_eq!(code, 1);
    let not_fixed = report[0]["repair"]["not_fixed"][0].as_str().unwrap();
    assert!(not_fixed.contains("no Python 3.12 on this machine"), "{not_fixed}");
    assert!(not_fixed.contains("venvoy create --clear -p VERSION"), "only older Pythons: {not_fixed}");
    assert!(not_fixed.contains("reinstalled"), "{not_fixed}");
    let text = stdout(&ctx.run(&["doctor", "--fix", env.to_str().unwrap()]));
    assert!(text.contains("not fixed: no Python 3.12"), "{text}");

    // With a newer minor version around, `--upgrade` to it is the way.
    let (Some(real), true) = (crate::common::pyenv_root(), pyenv_python("3.13.0").is_some()) else {
        return missing("pyenv's CPython 3.13.0 is not installed");
    };
    std::fs::create_dir_all(empty_pyenv.join("versions")).unwrap();
    std::os::unix::fs::symlink(real.join("versions/3.13.0"), empty_pyenv.join("versions/3.13.0")).unwrap();
    let (code, report) = doctor(&ctx, &["--fix", env.to_str().unwrap()]);
    assert_eq!(code, 1);
    let not_fixed = report[0]["repair"]["not_fixed"][0].as_str().unwrap();
    assert!(not_fixed.contains(&format!("venvoy create --upgrade -p 3.13 {}", env.display())), "{not_fixed}");
}

#[test]
fn moved_env_is_detected_and_fixed() {
    let Some(python) = base_python() else {
        return missing("no CPython with ensurepip");
    };
    let ctx = TestContext::new();
    let dir = ctx.root.path();
    let wheels = build_wheels(&python, dir, 0);
    let pip = pip_env(&python, &dir.join("pip-env"));
    let env = dir.join("env");
    create(&ctx, &python, &env);
    let wheel = std::fs::read_dir(&wheels)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("Alpha"))
        .unwrap();
    run_ok(
        Command::new(&pip)
            .arg("--python")
            .arg(env.join("bin/python"))
            .args(["install", "-q", "--no-index"])
            .arg(&wheel),
    );
    run_ok(&mut Command::new(env.join("bin/alpha-cli")));

    let moved = dir.join("moved env");
    std::fs::rename(&env, &moved).unwrap();
    let m = moved.to_str().unwrap();
    let (code, report) = doctor(&ctx, &[m]);
    assert_eq!((code, ids(&report)), (1, vec!["moved".to_string()]));
    assert_eq!(report[0]["moved_from"], env.to_str().unwrap());
    let info: serde_json::Value = serde_json::from_str(&stdout(&ctx.run(&["info", m, "--json"]))).unwrap();
    assert_eq!(info["health"], "moved");

    let (code, report) = doctor(&ctx, &["--fix", m]);
    assert_eq!(code, 0, "{report:#}");
    let out = run_ok(&mut Command::new(moved.join("bin/alpha-cli")));
    assert_eq!(out.trim(), "hi from Alpha.Pkg");
    let info: serde_json::Value = serde_json::from_str(&stdout(&ctx.run(&["info", m, "--json"]))).unwrap();
    assert_eq!(info["creator"]["tool"], "venvoy", "venvoy made it, and still says so");
    let activate = std::fs::read_to_string(moved.join("bin/activate")).unwrap();
    assert!(activate.contains(m), "activate still names the old place");
    assert_runs(&moved);
    // site-packages is untouched: the distribution is still there.
    let list = stdout(&ctx.run(&["packages", m, "--freeze"]));
    assert!(list.contains("Alpha.Pkg @ file://"), "{list}");

    // A copy (`cp -a`): its scripts would run the original env's Python.
    let copy = dir.join("copy");
    run_ok(Command::new("cp").arg("-a").arg(&moved).arg(&copy));
    let c = copy.to_str().unwrap();
    let (code, report) = doctor(&ctx, &[c]);
    assert_eq!((code, ids(&report)), (1, vec!["moved".to_string()]));
    assert_eq!(report[0]["moved_from"], m);
    let (code, _) = doctor(&ctx, &["--fix", c]);
    assert_eq!(code, 0);
    let script = std::fs::read_to_string(copy.join("bin/alpha-cli")).unwrap();
    assert!(script.starts_with(&format!("#!{c}/bin/python\n")), "{script}");
    assert_eq!(run_ok(&mut Command::new(copy.join("bin/alpha-cli"))).trim(), "hi from Alpha.Pkg");
    let (code, _) = doctor(&ctx, &[m]);
    assert_eq!(code, 0, "the original is untouched");
}

#[test]
fn missing_cfg_broken_links_and_lib64() {
    let Some(python) = pyenv_python("3.12.1").or_else(base_python) else {
        return missing("no CPython");
    };
    let ctx = TestContext::new();
    let env = ctx.root.path().join("env");
    create(&ctx, &python, &env);
    let e = env.to_str().unwrap();

    std::fs::remove_file(env.join("pyvenv.cfg")).unwrap();
    let (code, report) = doctor(&ctx, &[e]);
    assert_eq!(code, 1);
    assert_eq!(ids(&report), ["cfg-missing"]);
    let info: serde_json::Value = serde_json::from_str(&stdout(&ctx.run(&["info", e, "--json"]))).unwrap();
    assert_eq!(info["health"], "broken");
    assert!(info["reason"].as_str().unwrap().contains("pyvenv.cfg"), "{info:#}");
    let (code, report) = doctor(&ctx, &["--fix", e]);
    assert_eq!(code, 0, "{report:#}");
    assert!(env.join("pyvenv.cfg").is_file());
    assert_runs(&env);

    std::fs::write(env.join("pyvenv.cfg"), "garbage without equals\n").unwrap();
    let (code, report) = doctor(&ctx, &[e]);
    assert_eq!(code, 1);
    assert!(ids(&report).contains(&"cfg-malformed".to_string()), "{report:#}");
    let (code, _) = doctor(&ctx, &["--fix", e]);
    assert_eq!(code, 0);
    assert_runs(&env);

    let python3 = env.join("bin/python3");
    std::fs::remove_file(&python3).unwrap();
    std::os::unix::fs::symlink("/nonexistent/python3", &python3).unwrap();
    let (code, report) = doctor(&ctx, &[e]);
    assert_eq!(code, 1);
    assert!(ids(&report).contains(&"broken-link".to_string()), "{report:#}");
    let (code, _) = doctor(&ctx, &["--fix", e]);
    assert_eq!(code, 0);
    assert_runs(&env);

    let lib64 = env.join("lib64");
    let _ = std::fs::remove_file(&lib64);
    std::os::unix::fs::symlink("/nowhere", &lib64).unwrap();
    let (code, report) = doctor(&ctx, &[e]);
    assert_eq!((code, ids(&report)), (1, vec!["lib64-link".to_string()]));
    let (code, _) = doctor(&ctx, &["--fix", e]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_link(&lib64).unwrap(), Path::new("lib"));
}

#[test]
fn script_interpreter_missing_is_repointed() {
    let Some(python) = pyenv_python("3.12.1").or_else(base_python) else {
        return missing("no CPython");
    };
    let ctx = TestContext::new();
    let env = ctx.root.path().join("env");
    create(&ctx, &python, &env);
    crate::common::write_exe(&env.join("bin/tool"), "#!/opt/gone/python3.9\nimport sys\nprint(sys.prefix)\n");
    let (code, report) = doctor(&ctx, &[env.to_str().unwrap()]);
    assert_eq!((code, ids(&report)), (1, vec!["script-interpreter".to_string()]));
    let (code, _) = doctor(&ctx, &["--fix", env.to_str().unwrap()]);
    assert_eq!(code, 0);
    let out = run_ok(&mut Command::new(env.join("bin/tool")));
    assert_eq!(out.trim(), env.to_str().unwrap());
}

#[test]
fn path_checks_are_reported_not_fixed() {
    let Some(python) = pyenv_python("3.12.1").or_else(base_python) else {
        return missing("no CPython");
    };
    let mut ctx = TestContext::new();
    let env = ctx.root.path().join("env");
    create(&ctx, &python, &env);
    let bin = env.join("bin");
    ctx.path = std::env::join_paths([bin.clone(), PathBuf::from("/usr/bin"), bin.clone()]).unwrap();
    let (code, report) = doctor(&ctx, &["--fix", env.to_str().unwrap()]);
    assert_eq!((code, ids(&report)), (1, vec!["path-twice".to_string()]));
    assert!(report[0]["repair"]["not_fixed"][0].as_str().unwrap().contains("path-twice"));

    ctx.path = std::env::join_paths([PathBuf::from("/usr/bin"), bin]).unwrap();
    ctx.env("VIRTUAL_ENV", &env);
    let (code, report) = doctor(&ctx, &[]);
    assert_eq!((code, ids(&report)), (1, vec!["active-not-first".to_string()]));
}

#[test]
fn doctor_all_and_errors() {
    let Some(python) = pyenv_python("3.12.1").or_else(base_python) else {
        return missing("no CPython");
    };
    let ctx = TestContext::new();
    let out = ctx.run(&["doctor", "--all"]);
    assert_code(&out, 2);
    assert!(crate::common::stderr(&out).contains("no envs to check"));
    for name in ["good", "bad"] {
        assert_code(&ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), "-n", name]), 0);
    }
    let home = ctx.home.join(".local/share/venvoy/envs");
    std::fs::remove_file(home.join("bad/pyvenv.cfg")).unwrap();
    let (code, report) = doctor(&ctx, &["--all"]);
    assert_eq!(code, 1);
    let oks: Vec<bool> = report.as_array().unwrap().iter().map(|r| r["ok"].as_bool().unwrap()).collect();
    assert_eq!(oks, [false, true]);
    let (code, _) = doctor(&ctx, &["--all", "--fix"]);
    assert_eq!(code, 0);
    let out = ctx.run(&["doctor", "./not-there"]);
    assert_code(&out, 2);

    // A Python installation is never "repaired" into a venv.
    let Some(copy) = interpreter_copy("3.12.1", &ctx.root.path().join("install")) else {
        return missing("pyenv's CPython 3.12.1 is not installed");
    };
    let prefix = copy.parent().unwrap().parent().unwrap();
    std::fs::write(prefix.join("bin/activate"), "").unwrap();
    let out = ctx.run(&["doctor", "--fix", prefix.to_str().unwrap()]);
    assert_code(&out, 2);
    assert!(crate::common::stderr(&out).contains("is not a venv"), "{}", crate::common::stderr(&out));
    assert!(!prefix.join("pyvenv.cfg").exists());
}

#[test]
fn externally_managed_base_with_the_system_pip_first() {
    let system = Path::new("/usr/bin/python3");
    let marker = Command::new(system)
        .args([
            "-c",
            "import sysconfig, os; print(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED'))",
        ])
        .output();
    let Ok(marker) = marker else {
        return missing("no /usr/bin/python3");
    };
    if !Path::new(String::from_utf8_lossy(&marker.stdout).trim()).is_file()
        || !Path::new("/usr/bin/pip").is_file()
    {
        return missing("the system Python is not EXTERNALLY-MANAGED, or has no /usr/bin/pip");
    }
    let mut ctx = TestContext::new();
    let env = ctx.root.path().join("env");
    create(&ctx, system, &env);
    ctx.path =
        std::env::join_paths([env.join("bin"), PathBuf::from("/usr/bin"), PathBuf::from("/bin")]).unwrap();
    ctx.env("VIRTUAL_ENV", &env);
    let (code, report) = doctor(&ctx, &[]);
    assert_eq!((code, ids(&report)), (1, vec!["externally-managed".to_string()]));
    assert!(report[0]["findings"][0]["hint"].as_str().unwrap().contains("venvoy seed"));
    // Not active and not on PATH: the system pip is not this env's problem.
    let mut ctx = ctx;
    ctx.path = "/usr/bin:/bin".into();
    ctx.extra_env.retain(|(k, _)| k != "VIRTUAL_ENV");
    let (code, _) = doctor(&ctx, &[env.to_str().unwrap()]);
    assert_eq!(code, 0);
}

#[test]
fn a_base_that_is_no_executable_python_is_flagged_without_running_it() {
    let ctx = TestContext::new();
    let Some(python) = pyenv_python("3.12.1") else {
        return missing("pyenv's CPython 3.12.1 is not installed");
    };
    let env = ctx.root.path().join("env");
    create(&ctx, &python, &env);
    let e = env.to_str().unwrap();
    let cfg = env.join("pyvenv.cfg");
    let good = std::fs::read_to_string(&cfg).unwrap();

    // `home` a file: Python itself cannot start in the env.
    let bad: String = good
        .lines()
        .map(|l| if l.starts_with("home") { "home = /usr/bin/false".to_string() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&cfg, format!("{bad}\n")).unwrap();
    assert!(!Command::new(env.join("bin/python")).arg("-c").arg("pass").status().unwrap().success());
    let (code, report) = doctor(&ctx, &[e]);
    assert_eq!((code, ids(&report)), (1, vec!["base-not-python".to_string()]), "{report:#}");
    let message = report[0]["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("`home` in `pyvenv.cfg` is `/usr/bin/false`, a file"), "{message}");
    let (code, report) = doctor(&ctx, &["--fix", e]);
    assert_eq!(code, 0, "{report:#}");
    assert_runs(&env);

    // The interpreter link leads to files that are no Python, in an untrusted
    // place: each named for what it is, none of them run (one would leave a mark).
    let fake = ctx.root.path().join("fake/bin");
    std::fs::create_dir_all(&fake).unwrap();
    let mark = ctx.root.path().join("ran");
    let cases = [
        ("false", "/usr/bin/false", "its name is not a Python interpreter's"),
        ("python3.12", "text", "it is neither a binary program nor a script"),
        ("python3.12", "noexec", "it is not executable"),
    ];
    for (name, what, reason) in cases {
        let target = if what == "/usr/bin/false" {
            PathBuf::from(what)
        } else {
            let file = fake.join(name);
            std::fs::write(&file, format!("touch {}\n", mark.display())).unwrap();
            let mode = if what == "noexec" { 0o644 } else { 0o755 };
            std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(mode)).unwrap();
            file
        };
        let link = env.join("bin/python3");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let (code, report) = doctor(&ctx, &[e]);
        assert_eq!(code, 1, "{what}: {report:#}");
        assert!(ids(&report).contains(&"base-not-python".to_string()), "{what}: {report:#}");
        let finding =
            report[0]["findings"].as_array().unwrap().iter().find(|f| f["id"] == "base-not-python").unwrap()
                ["message"]
                .as_str()
                .unwrap()
                .to_string();
        assert!(
            finding.contains(reason) && finding.contains(&*target.to_string_lossy()),
            "{what}: {finding}"
        );
        assert!(!mark.exists(), "{what}: the base was run");
    }
}
