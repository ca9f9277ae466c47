//! `venvoy clone`: a real env with pip, wheels with console scripts and two
//! kinds of editable installs of projects kept inside the env; the clone
//! works on its own, nothing in it names the old place, and an interrupted
//! clone never damages the source or leaves half an env.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::common::{TestContext, assert_code, pyenv_root, require, stderr, stdout, supported_pythons};

/// A CPython whose `venv` installs setuptools (3.10, 3.11), for editable installs.
pub fn base_python() -> Option<PathBuf> {
    let found = supported_pythons()
        .into_iter()
        .find(|(v, _)| v.starts_with("3.11.") || v.starts_with("3.10."))
        .map(|(_, p)| p);
    require("a CPython 3.10 or 3.11 from pyenv", found)
}

/// A `wheel` package wheel on this machine (CPython's own test data has
/// one), needed by setuptools 65 to build editable installs offline.
fn wheel_wheel() -> Option<PathBuf> {
    let versions = pyenv_root()?.join("versions");
    let mut found = Vec::new();
    for version in std::fs::read_dir(versions).ok()?.filter_map(Result::ok) {
        let Ok(libs) = std::fs::read_dir(version.path().join("lib")) else { continue };
        for lib in libs.filter_map(Result::ok) {
            for dir in [lib.path().join("test"), lib.path().join("test/wheeldata")] {
                let Ok(files) = std::fs::read_dir(dir) else { continue };
                found.extend(files.filter_map(Result::ok).map(|f| f.path()).filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("wheel-") && n.ends_with("-py3-none-any.whl"))
                }));
            }
        }
    }
    found.sort();
    found.pop()
}

/// Run a command, failing the test with its output when it fails.
#[track_caller]
pub fn ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("spawn");
    assert!(out.status.success(), "{cmd:?}\nstdout:\n{}\nstderr:\n{}", stdout(&out), stderr(&out));
    out
}

/// Build two wheels with console scripts (`alpha-cli`, `beta-cli`) into `dir`.
fn build_wheels(base: &Path, dir: &Path) -> Vec<PathBuf> {
    const SCRIPT: &str = r#"
import base64, hashlib, sys, zipfile
out = sys.argv[1]
def wheel(name, version, files, script):
    dist = f"{name}-{version}.dist-info"
    files = dict(files)
    files[f"{dist}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    files[f"{dist}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{dist}/entry_points.txt"] = f"[console_scripts]\n{script}\n"
    record = []
    path = f"{out}/{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        for f, text in files.items():
            data = text.encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{f},sha256={digest},{len(data)}")
            z.writestr(f, data)
        record.append(f"{dist}/RECORD,,")
        z.writestr(f"{dist}/RECORD", "\n".join(record) + "\n")
    print(path)
main = "def main():\n    import sys, {m}\n    print(sys.executable)\n    print({m}.__file__)\n"
wheel("alpha", "1.0", {"alpha/__init__.py": main.format(m="alpha")}, "alpha-cli = alpha:main")
wheel("beta", "2.0", {"beta.py": main.format(m="beta")}, "beta-cli = beta:main")
"#;
    std::fs::create_dir_all(dir).unwrap();
    let out = ok(Command::new(base).args(["-c", SCRIPT]).arg(dir));
    stdout(&out).lines().map(PathBuf::from).collect()
}

/// Two projects inside the env, as pip keeps VCS checkouts in `src/`:
/// `gamma` (only `setup.py`: a legacy `.egg-link` + `easy-install.pth`
/// editable) and `delta` (`pyproject.toml`, src layout: a PEP 660 editable
/// with a `.pth` and `direct_url.json`).
fn write_projects(env: &Path) -> [PathBuf; 2] {
    let main = "def main():\n    import sys\n    print(sys.executable)\n";
    let gamma = env.join("src/gamma");
    std::fs::create_dir_all(gamma.join("gamma")).unwrap();
    std::fs::write(
        gamma.join("setup.py"),
        "from setuptools import setup\nsetup(name='gamma', version='0.1', packages=['gamma'],\n      entry_points={'console_scripts': ['gamma-cli=gamma:main']})\n",
    )
    .unwrap();
    std::fs::write(gamma.join("gamma/__init__.py"), main).unwrap();
    let delta = env.join("src/delta");
    std::fs::create_dir_all(delta.join("src/delta")).unwrap();
    std::fs::write(
        delta.join("pyproject.toml"),
        "[build-system]\nrequires = ['setuptools>=64']\nbuild-backend = 'setuptools.build_meta'\n\n[project]\nname = 'delta'\nversion = '0.2'\n\n[project.scripts]\ndelta-cli = 'delta:main'\n",
    )
    .unwrap();
    std::fs::write(delta.join("src/delta/__init__.py"), main).unwrap();
    [gamma, delta]
}

/// A pip command of the env, offline.
fn pip(env: &Path) -> Command {
    let mut cmd = Command::new(env.join("bin/python"));
    cmd.args(["-m", "pip", "--disable-pip-version-check", "--no-input", "-q"])
        .env("PIP_NO_INDEX", "1")
        .env_remove("PIP_FIND_LINKS")
        .env_remove("VIRTUAL_ENV")
        .env_remove("PYTHONPATH");
    cmd
}

/// A real env at `env`: `python -m venv` (pip, setuptools), `wheel`, two
/// wheels with console scripts, two editable projects inside the env.
/// `None` when this machine lacks what it takes.
pub fn rich_env(ctx: &TestContext, env: &Path) -> Option<()> {
    rich_env_on(ctx, env, &base_python()?)
}

/// [`rich_env`] made by `base -m venv` (a CPython or a PyPy whose ensurepip
/// brings setuptools).
pub fn rich_env_on(ctx: &TestContext, env: &Path, base: &Path) -> Option<()> {
    let wheel = require("a `wheel-*.whl` in a pyenv CPython's test data", wheel_wheel())?;
    std::fs::create_dir_all(env.parent().unwrap()).unwrap();
    ok(Command::new(base).args(["-m", "venv"]).arg(env));
    let wheels = build_wheels(base, &ctx.root.path().join("wheels"));
    ok(pip(env).arg("install").arg(&wheel).args(&wheels));
    let [gamma, delta] = write_projects(env);
    ok(pip(env).args(["install", "--no-build-isolation", "-e"]).arg(&gamma).arg("-e").arg(&delta));
    let site = site_packages(env);
    assert!(site.join("gamma.egg-link").is_file(), "legacy editable expected");
    assert!(site.join("__editable__.delta-0.2.pth").is_file(), "PEP 660 editable expected");
    Some(())
}

pub fn site_packages(env: &Path) -> PathBuf {
    let lib = env.join("lib");
    let python = std::fs::read_dir(&lib).unwrap().filter_map(Result::ok).find(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        (name.starts_with("python") || name.starts_with("pypy")) && e.path().join("site-packages").is_dir()
    });
    python.expect("lib/pythonX.Y or lib/pypyX.Y").path().join("site-packages")
}

/// The distributions `pip list` reports, as `name==version`.
pub fn pip_freeze(env: &Path) -> Vec<String> {
    let mut list = pip(env);
    list.args(["-v", "list", "--format=freeze"]);
    let out = ok(&mut list);
    // `-v` makes pip print `name==version (location)`; `-q` would print nothing.
    stdout(&out).lines().map(|l| l.split(" (").next().unwrap_or(l).trim().to_lowercase()).collect()
}

/// Run `env/bin/<script>`; the first line it prints is `sys.executable`.
#[track_caller]
fn script_python(env: &Path, script: &str) -> String {
    let out = ok(Command::new(env.join("bin").join(script)).env_remove("VIRTUAL_ENV"));
    stdout(&out).lines().next().unwrap_or_default().to_string()
}

/// Everything a working copy of [`rich_env`] must do, at `env`.
#[track_caller]
pub fn assert_works(env: &Path) {
    let freeze = pip_freeze(env);
    for dist in ["alpha==1.0", "beta==2.0", "delta==0.2", "gamma==0.1"] {
        assert!(freeze.iter().any(|l| l == dist), "{dist} missing from {freeze:?} in {}", env.display());
    }
    let bin = env.join("bin");
    for script in ["alpha-cli", "beta-cli", "gamma-cli", "delta-cli", "pip"] {
        if script == "pip" {
            ok(Command::new(bin.join("pip")).arg("--version"));
            continue;
        }
        let python = script_python(env, script);
        assert!(
            Path::new(&python).starts_with(&bin),
            "{script} ran {python}, not the interpreter of {}",
            env.display()
        );
    }
    let out = ok(Command::new(bin.join("python")).args([
        "-c",
        "import alpha, gamma, delta; print(alpha.__file__); print(gamma.__file__); print(delta.__file__)",
    ]));
    let files: Vec<String> = stdout(&out).lines().map(String::from).collect();
    assert!(files[0].starts_with(&*site_packages(env).to_string_lossy()), "{files:?}");
    assert!(Path::new(&files[1]).starts_with(env.join("src/gamma")), "{files:?}");
    assert!(Path::new(&files[2]).starts_with(env.join("src/delta")), "{files:?}");
    let activated = ok(Command::new("bash")
        .args([
            "-c",
            ". \"$1/bin/activate\" && printf '%s\\n%s' \"$VIRTUAL_ENV\" \"$(command -v python)\"",
            "_",
        ])
        .arg(env)
        .env_remove("VIRTUAL_ENV"));
    let lines: Vec<String> = stdout(&activated).lines().map(String::from).collect();
    assert_eq!(Path::new(&lines[0]), env, "VIRTUAL_ENV after activation");
    assert_eq!(Path::new(&lines[1]), bin.join("python"));
}

/// `grep -r` finds `old` nowhere in `env` outside `__pycache__` and binary files.
#[track_caller]
pub fn assert_no_old_prefix(env: &Path, old: &Path) {
    let out = Command::new("grep")
        .args(["-r", "-I", "-l", "-F", "--exclude-dir=__pycache__"])
        .arg(old)
        .arg(env)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "files naming `{}`:\n{}{}",
        old.display(),
        stdout(&out),
        stderr(&out)
    );
}

/// No hidden `.<name>.venvoy-*` directories left in `dir`.
#[track_caller]
pub fn assert_no_leftovers(dir: &Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".venvoy-"))
        .collect();
    assert!(left.is_empty(), "left behind in {}: {left:?}", dir.display());
}

/// A directory whose path is longer than 127 bytes and has spaces: console
/// scripts there need the `/bin/sh` form.
pub fn long_spaced_dir(ctx: &TestContext) -> PathBuf {
    let dir = ctx.work.join("a dir with spaces").join("x".repeat(100));
    assert!(dir.as_os_str().len() > 127);
    dir
}

#[test]
fn clone_is_independent_and_names_only_itself() {
    let ctx = TestContext::new();
    let orig = ctx.work.join("orig");
    if rich_env(&ctx, &orig).is_none() {
        return;
    }
    let out = ctx.run(&["clone", "./orig", "./copy"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("Cloned `"), "{}", stderr(&out));
    let copy = ctx.work.join("copy");
    // No byte code naming the old paths was carried over (Python rebuilds it).
    let caches = ok(Command::new("find").arg(&copy).args(["-name", "__pycache__"]));
    assert!(stdout(&caches).is_empty(), "{}", stdout(&caches));
    assert_works(&copy);
    assert_no_old_prefix(&copy, &orig);
    assert_no_leftovers(&ctx.work);

    // The two are independent: uninstalling in the clone leaves the original whole.
    ok(pip(&copy).args(["uninstall", "-y", "alpha", "delta"]));
    let freeze = pip_freeze(&copy);
    assert!(!freeze.iter().any(|l| l.starts_with("alpha==") || l.starts_with("delta==")), "{freeze:?}");
    assert!(!copy.join("bin/alpha-cli").exists());
    assert_works(&orig);
    assert!(orig.join("src/delta/pyproject.toml").is_file());
}

#[test]
fn clone_to_a_long_path_with_spaces_and_back() {
    let ctx = TestContext::new();
    let orig = ctx.work.join("orig");
    if rich_env(&ctx, &orig).is_none() {
        return;
    }
    let long = long_spaced_dir(&ctx).join("env copy");
    let out = ctx.venvoy().arg("clone").arg(&orig).arg(&long).output().unwrap();
    assert_code(&out, 0);
    let pip_script = std::fs::read_to_string(long.join("bin/alpha-cli")).unwrap();
    assert!(pip_script.starts_with("#!/bin/sh\n'''exec' "), "{pip_script}");
    assert_works(&long);
    assert_no_old_prefix(&long, &orig);

    // And back to a short path: the plain `#!` form again.
    let short = ctx.work.join("short");
    let out = ctx.venvoy().arg("clone").arg(&long).arg(&short).output().unwrap();
    assert_code(&out, 0);
    let script = std::fs::read_to_string(short.join("bin/alpha-cli")).unwrap();
    assert!(script.starts_with(&format!("#!{}/bin/python", short.display())), "{script}");
    assert_works(&short);
    assert_no_old_prefix(&short, &long);
    assert_no_old_prefix(&short, &orig);
}

/// A small env without pip: quick to make, for the cases that need no packages.
pub fn plain_env(env: &Path) -> Option<()> {
    let base = base_python()?;
    ok(Command::new(base).args(["-m", "venv", "--without-pip"]).arg(env));
    std::fs::create_dir_all(env.join("lib/data")).unwrap();
    std::fs::write(env.join("lib/data/blob.txt"), "some data\n").unwrap();
    Some(())
}

#[test]
fn clone_by_name_and_with_copy() {
    use std::os::unix::fs::MetadataExt;
    let mut ctx = TestContext::new();
    let home = ctx.root.path().join("envs");
    ctx.env("VENVOY_HOME", &home);
    let orig = ctx.work.join("orig");
    if plain_env(&orig).is_none() {
        return;
    }
    let out = ctx.run(&["clone", "./orig", "web", "--json"]);
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["path"].as_str().map(PathBuf::from), Some(home.join("web")));
    let shared = std::fs::metadata(home.join("web/lib/data/blob.txt")).unwrap().ino()
        == std::fs::metadata(orig.join("lib/data/blob.txt")).unwrap().ino();
    let hardlinked = json["files"]["hardlinked"].as_u64().unwrap();
    assert_eq!(shared, hardlinked > 0, "{json}");
    assert!(std::fs::read_to_string(home.join("web/pyvenv.cfg")).unwrap().contains("home = "));

    let out = ctx.run(&["clone", "--copy", "web", "./copied"]);
    assert_code(&out, 0);
    let a = std::fs::metadata(orig.join("lib/data/blob.txt")).unwrap().ino();
    let b = std::fs::metadata(ctx.work.join("copied/lib/data/blob.txt")).unwrap().ino();
    assert_ne!(a, b);
    let activate = std::fs::read_to_string(ctx.work.join("copied/bin/activate")).unwrap();
    assert!(activate.contains(&*ctx.work.join("copied").to_string_lossy()));
    assert!(!activate.contains(&*home.join("web").to_string_lossy()));
}

#[test]
fn refusals() {
    let mut ctx = TestContext::new();
    let orig = ctx.work.join("orig");
    if plain_env(&orig).is_none() {
        return;
    }
    std::fs::create_dir_all(ctx.work.join("taken")).unwrap();
    std::fs::create_dir_all(ctx.work.join("plain/bin")).unwrap();
    std::os::unix::fs::symlink(&orig, ctx.work.join("link")).unwrap();
    for (args, expect) in [
        (&["clone", "./orig", "./taken"][..], "`"),
        (&["clone", "./orig", "./orig/inner"], "is inside the env"),
        (&["move", "./orig", "./orig/lib/x"], "is inside the env"),
        (&["clone", "./orig", "./orig"], "already exists"),
        (&["move", "./orig", "./taken"], "already exists"),
        (&["clone", "./plain", "./new"], "is not a venv"),
        (&["move", "./missing", "./new"], "does not exist"),
        (&["move", "./link", "./new"], "is a symlink"),
    ] {
        let out = ctx.run(args);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(err.contains(expect) && err.contains("hint:"), "{args:?}: {err}");
    }
    assert!(!ctx.work.join("new").exists());
    assert_no_leftovers(&ctx.work);
    assert_eq!(std::fs::read_dir(ctx.work.join("taken")).unwrap().count(), 0);

    // The active env is not moved without --force; cloning it is fine.
    ctx.env("VIRTUAL_ENV", &orig);
    let out = ctx.run(&["move", "./orig", "./moved"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("is the active env") && stderr(&out).contains("--force"),
        "{}",
        stderr(&out)
    );
    assert!(orig.join("pyvenv.cfg").is_file());
    assert_code(&ctx.run(&["clone", "./orig", "./copy"]), 0);
    assert_code(&ctx.run(&["move", "--force", "./orig", "./moved"]), 0);
    assert!(!orig.exists() && ctx.work.join("moved/pyvenv.cfg").is_file());
}

/// A pseudo-random number from the clock, without a crate for it.
pub fn jitter(max_ms: u64, salt: u64) -> Duration {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let mixed =
        (u64::from(nanos) ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0x2545_F491_4F6C_DD1D);
    Duration::from_micros(mixed % (max_ms * 1000))
}

/// Start venvoy with `args`, kill it with SIGKILL after `delay` (or let it finish).
pub fn run_and_kill(ctx: &TestContext, args: &[&Path], delay: Duration) -> bool {
    let mut child = ctx
        .venvoy()
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < delay {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    killed
}

/// How long one venvoy run with `args` takes here.
pub fn timed(ctx: &TestContext, args: &[&Path]) -> Duration {
    let start = Instant::now();
    let out = ctx.venvoy().args(args).output().unwrap();
    assert_code(&out, 0);
    start.elapsed()
}

#[test]
fn interrupted_clone_leaves_the_source_whole_and_no_half_copy() {
    let ctx = TestContext::new();
    let orig = ctx.work.join("orig");
    if rich_env(&ctx, &orig).is_none() {
        return;
    }
    let dest = ctx.work.join("dest");
    let clone = [Path::new("clone"), &orig, &dest];
    let full = timed(&ctx, &clone);
    std::fs::remove_dir_all(&dest).unwrap();
    let max = (full.as_millis() as u64).max(5) * 3 / 2;
    let mut killed = 0;
    for round in 0..12u64 {
        if run_and_kill(&ctx, &clone, jitter(max, round)) {
            killed += 1;
        }
        if dest.exists() {
            // Complete, or not there at all.
            assert!(dest.join("pyvenv.cfg").is_file());
            assert!(dest.join("bin/alpha-cli").is_file() && dest.join("bin/activate").is_file());
            std::fs::remove_dir_all(&dest).unwrap();
        }
        assert!(orig.join("pyvenv.cfg").is_file() && orig.join("bin/alpha-cli").is_file());
    }
    assert!(killed > 0, "no run was interrupted");
    assert_works(&orig);
    // The next run cleans up what the killed ones left and succeeds.
    assert_code(&ctx.venvoy().args(clone).output().unwrap(), 0);
    assert_no_leftovers(&ctx.work);
    assert_works(&dest);
}

#[test]
fn clone_and_move_of_a_cp_a_copy_name_only_the_new_place() {
    use std::os::unix::fs::MetadataExt;
    let ctx = TestContext::new();
    let orig = ctx.work.join("orig");
    if plain_env(&orig).is_none() {
        return;
    }
    // A console script as installers write it: the env's interpreter, absolute.
    crate::common::write_exe(
        &orig.join("bin/tool"),
        &format!("#!{}/bin/python\nimport sys\nprint(sys.executable)\n", orig.display()),
    );
    for (i, verb) in ["clone", "move"].into_iter().enumerate() {
        // Copied by hand: its scripts still name `orig`, not itself.
        let stale = ctx.work.join(format!("stale{i}"));
        ok(Command::new("cp").arg("-a").arg(&orig).arg(&stale));
        let dest = ctx.work.join(format!("{verb}d"));
        let out = ctx.venvoy().arg(verb).arg(&stale).arg(&dest).output().unwrap();
        assert_code(&out, 0);
        let script = std::fs::read_to_string(dest.join("bin/tool")).unwrap();
        assert!(script.starts_with(&format!("#!{}/bin/python\n", dest.display())), "{verb}: {script}");
        assert_eq!(script_python(&dest, "tool"), dest.join("bin/python").to_string_lossy(), "{verb}");
        assert_ne!(
            std::fs::metadata(dest.join("bin/tool")).unwrap().ino(),
            std::fs::metadata(orig.join("bin/tool")).unwrap().ino(),
            "{verb}: the script is not shared with the original"
        );
        assert_no_old_prefix(&dest, &orig);
        assert_no_old_prefix(&dest, &stale);
        assert_eq!(stale.exists(), verb == "clone");
    }
    // The original is untouched.
    let script = std::fs::read_to_string(orig.join("bin/tool")).unwrap();
    assert!(script.starts_with(&format!("#!{}/bin/python\n", orig.display())), "{script}");
}
