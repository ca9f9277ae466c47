//! PyPy envs that work: the layout PyPy itself uses (`lib/pypy3.9`), pip
//! seeded offline from the system's wheels, `python -m pip`, installing a
//! local wheel, `packages --freeze` equal to `pip freeze` (PyPy's own
//! `cffi`, `greenlet`, … included), `seed`, `clone`, and `doctor` on a PyPy
//! env laid out the CPython way. Needs Debian's `pypy3` and `pypy3-venv`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{TestContext, assert_code, build_wheel, pypy3, stderr, stdout};

/// An index nothing listens on: seeding must work without the network.
const CLOSED_INDEX: &str = "http://127.0.0.1:9/simple";

fn offline() -> TestContext {
    let mut ctx = TestContext::new();
    ctx.env("PIP_INDEX_URL", CLOSED_INDEX);
    ctx
}

/// Run a program of an env with no inherited venv or pip configuration.
fn run(program: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .env_remove("VIRTUAL_ENV")
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .env_remove("PIP_REQUIRE_VIRTUALENV")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PIP_NO_INPUT", "1")
        .env("PIP_NO_INDEX", "1")
        .output()
        .expect("run")
}

#[track_caller]
fn ok(o: &Output, what: &str) -> String {
    assert!(o.status.success(), "{what} failed:\n{}\n{}", stdout(o), stderr(o));
    stdout(o)
}

/// Where `pypy3 -m venv` puts site-packages, asked of PyPy itself.
fn reference_site_packages(pypy: &Path, scratch: &Path) -> String {
    let reference = scratch.join("reference");
    ok(&run(pypy, &["-m", "venv", "--without-pip", reference.to_str().unwrap()]), "pypy3 -m venv");
    let out = run(
        &reference.join("bin/python"),
        &["-c", "import site, sys; print(site.getsitepackages()[0][len(sys.prefix) + 1:])"],
    );
    ok(&out, "asking the reference env").trim().to_string()
}

/// A pure-Python wheel with a module and a console script, built by `python`.
fn probe_wheel(python: &Path, dir: &Path) -> PathBuf {
    let module = "def main():\n    import sys\n    print('probe on', sys.implementation.name)\n";
    build_wheel(
        python,
        dir,
        "pypy-probe",
        "1.0",
        &[("pypy_probe.py", module)],
        &[("pypy-probe", "pypy_probe:main")],
    )
}

fn freeze_matches_pip(ctx: &TestContext, env: &Path) {
    for all in [false, true] {
        let mut args = vec!["packages", "--freeze", env.to_str().unwrap()];
        let mut pip_args = vec!["-m", "pip", "freeze"];
        if all {
            args.insert(2, "--all");
            pip_args.push("--all");
        }
        let venvoy = ctx.run(&args);
        assert_code(&venvoy, 0);
        let pip = ok(&run(&env.join("bin/python"), &pip_args), "pip freeze");
        assert_eq!(stdout(&venvoy), pip, "venvoy packages --freeze differs from pip freeze (all: {all})");
    }
}

#[test]
fn pypy_env_has_a_working_pip_packages_seed_and_clone() {
    let Some(pypy) = pypy3() else { return };
    let ctx = offline();
    let site = reference_site_packages(&pypy, ctx.root.path());
    assert!(site.contains("pypy"), "PyPy's own venv layout: {site}");

    let env = ctx.work.join("pv");
    let out = ctx.run(&["create", "-p", "pypy3", "pv"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("PyPy 3."), "{}", stderr(&out));
    assert!(stderr(&out).contains("Seeded pip"), "{}", stderr(&out));
    assert!(env.join(&site).join("pip").is_dir(), "pip is not in `{site}`");
    assert!(!env.join("lib/python3.9").exists(), "a CPython-style lib dir was made");

    let version = ok(&run(&env.join("bin/pip"), &["--version"]), "pip --version");
    assert!(version.contains(&env.join(&site).display().to_string()), "{version}");
    let version = ok(&run(&env.join("bin/python"), &["-m", "pip", "--version"]), "python -m pip --version");
    assert!(version.contains(&env.join(&site).display().to_string()), "{version}");

    let wheel = probe_wheel(&pypy, ctx.root.path());
    ok(&run(&env.join("bin/pip"), &["install", wheel.to_str().unwrap()]), "pip install of a local wheel");
    let said = ok(&run(&env.join("bin/pypy-probe"), &[]), "the probe's console script");
    assert_eq!(said.trim(), "probe on pypy");

    freeze_matches_pip(&ctx, &env);
    let freeze = stdout(&ctx.run(&["packages", "--freeze", "./pv"]));
    assert!(freeze.contains("cffi==") && freeze.contains("pypy-probe @ file:"), "{freeze}");

    // `venvoy seed` seeds for PyPy into the env's own site-packages, offline.
    let out = ctx.run(&["seed", "-e", "./pv", "setuptools"]);
    assert_code(&out, 0);
    assert!(env.join(&site).join("setuptools").is_dir(), "{}", stderr(&out));
    ok(&run(&env.join("bin/python"), &["-c", "import setuptools"]), "import setuptools");
    assert!(!env.join("lib/python3.11").exists(), "seeded for the CPython beside PyPy in /usr/bin");

    let doctor = ctx.run(&["doctor", "./pv"]);
    assert_code(&doctor, 0);

    let out = ctx.run(&["clone", "./pv", "./pv2"]);
    assert_code(&out, 0);
    let clone = ctx.work.join("pv2");
    std::fs::remove_dir_all(&env).unwrap();
    let version = ok(&run(&clone.join("bin/pip"), &["--version"]), "the clone's pip");
    assert!(version.contains(&clone.display().to_string()), "{version}");
    let said = ok(&run(&clone.join("bin/pypy-probe"), &[]), "the clone's console script");
    assert_eq!(said.trim(), "probe on pypy");
    freeze_matches_pip(&ctx, &clone);
}

#[test]
fn doctor_moves_a_pypy_envs_packages_where_pypy_looks() {
    let Some(pypy) = pypy3() else { return };
    let ctx = offline();
    let site = reference_site_packages(&pypy, ctx.root.path());
    let env = ctx.work.join("old");
    assert_code(&ctx.run(&["create", "-p", "pypy3", "old"]), 0);
    // What venvoy 0.1 made: site-packages under CPython's name for the lib dir.
    let lib = env.join(&site).parent().unwrap().to_path_buf();
    let wrong = env
        .join("lib")
        .join(format!("python{}", lib.file_name().unwrap().to_str().unwrap().trim_start_matches("pypy")));
    std::fs::rename(&lib, &wrong).unwrap();
    let broken = run(&env.join("bin/pip"), &["--version"]);
    assert!(!broken.status.success(), "pip works from the wrong place");

    let out = ctx.run(&["doctor", "--json", "./old"]);
    assert_code(&out, 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> =
        report[0]["findings"].as_array().unwrap().iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(ids, ["site-packages-off-path"], "{}", stdout(&out));
    let info = stdout(&ctx.run(&["info", "./old"]));
    assert!(info.contains("broken"), "{info}");

    let out = ctx.run(&["doctor", "--fix", "./old"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("moved"), "{}", stdout(&out));
    assert!(!wrong.exists(), "the emptied CPython-style dir is left");
    ok(&run(&env.join("bin/pip"), &["--version"]), "pip after the fix");
    assert_code(&ctx.run(&["doctor", "./old"]), 0);
}
