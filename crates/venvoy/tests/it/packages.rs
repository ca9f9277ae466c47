//! `venvoy packages` against pip itself: envs made by `python -m venv`,
//! virtualenv, `uv venv` and venvoy, real distributions installed by pip from
//! wheels built here (offline), and `pip list --format=json` / `pip freeze`
//! compared with `venvoy packages --json` / `--freeze`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{
    TestContext, assert_code, build_wheel_set, cpythons, in_ci, missing, peer, pyenv_python, stdout,
    supported_pythons,
};

/// A PEP 660 build backend with no requirements, so `pip install -e` works offline.
const EDITABLE_BACKEND: &str = r#"
import base64, hashlib, os, zipfile
NAME, VERSION, DIST = "ed-pkg", "0.1", "ed_pkg"
def get_requires_for_build_wheel(config_settings=None): return []
def get_requires_for_build_editable(config_settings=None): return []
def _wheel(directory, files):
    di = "%s-%s.dist-info" % (DIST, VERSION)
    files[di + "/METADATA"] = "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: editable\n" % (NAME, VERSION)
    files[di + "/WHEEL"] = "Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    rec = []
    for p, c in files.items():
        d = base64.urlsafe_b64encode(hashlib.sha256(c.encode()).digest()).rstrip(b"=").decode()
        rec.append("%s,sha256=%s,%d" % (p, d, len(c.encode())))
    rec.append(di + "/RECORD,,")
    files[di + "/RECORD"] = "\n".join(rec) + "\n"
    fn = "%s-%s-py3-none-any.whl" % (DIST, VERSION)
    with zipfile.ZipFile(os.path.join(directory, fn), "w") as z:
        for p, c in files.items():
            z.writestr(p, c)
    return fn
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, {"edpkg/__init__.py": "X = 1\n"})
def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src")
    return _wheel(wheel_directory, {"__editable__.ed_pkg-0.1.pth": src + "\n"})
"#;

/// The interpreter these tests build envs from: pyenv's 3.12, else any
/// supported CPython that has ensurepip.
pub fn base_python() -> Option<PathBuf> {
    pyenv_python("3.12.1").or_else(|| {
        cpythons().into_iter().map(|(_, p)| p).find(|p| {
            Command::new(p).args(["-c", "import ensurepip"]).output().is_ok_and(|o| o.status.success())
        })
    })
}

/// Print why a test does nothing here.
#[allow(clippy::print_stderr)]
/// Run a command, asserting success; its stdout.
#[track_caller]
pub fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Build the test wheels into `dir/wheels` (with `extra` numbered ones).
pub fn build_wheels(python: &Path, dir: &Path, extra: usize) -> PathBuf {
    let wheels = dir.join("wheels");
    // A package `<name>` whose `__init__.py` knows its version, as pip lists such.
    let spec = |name: &str, version: &str, summary: &str, scripts: &[&str]| {
        let module = name.replace('-', "_").to_lowercase().replace('.', "_");
        let init = format!("VERSION = {version:?}\ndef main():\n    print('hi from {name}')\n");
        let scripts: Vec<(String, String)> =
            scripts.iter().map(|s| (s.to_string(), format!("{module}:main"))).collect();
        serde_json::json!({"name": name, "version": version, "summary": summary,
            "files": [[format!("{module}/__init__.py"), init]], "scripts": scripts})
    };
    let mut specs = vec![
        spec("Alpha.Pkg", "1.0", "A test distribution", &["alpha-cli"]),
        spec("beta_pkg", "2.0.0-rc1", "A test distribution", &[]),
        spec("gamma", "01.02.post3", "Gamma\n continued", &[]),
    ];
    specs.extend(
        (0..extra)
            .map(|i| spec(&format!("tiny-pkg-{i:02}"), &format!("0.{i}.0"), "A test distribution", &[])),
    );
    build_wheel_set(python, &wheels, &specs);
    wheels
}

/// A stdlib venv with pip (from ensurepip): the pip every test drives.
/// `python -m venv` (3-4 s with ensurepip) runs once per interpreter and is
/// kept (see [`pip_template`]); each test gets a copy, its scripts
/// pointed at the copy.
pub fn pip_env(python: &Path, at: &Path) -> PathBuf {
    let template = pip_template(python);
    run_ok(Command::new("cp").arg("-a").arg(&template).arg(at));
    let old = std::fs::read(at.join("made-at")).unwrap();
    std::fs::remove_file(at.join("made-at")).unwrap();
    let (old, new) = (old.as_slice(), at.as_os_str().as_encoded_bytes());
    for entry in std::fs::read_dir(at.join("bin")).unwrap().filter_map(Result::ok) {
        let path = entry.path();
        if !entry.file_type().unwrap().is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        if let Some(i) = bytes.windows(old.len()).position(|w| w == old) {
            // Console scripts and activation scripts name the env once or more.
            let mut out = bytes[..i].to_vec();
            let mut rest = &bytes[i..];
            while let Some(j) = rest.windows(old.len()).position(|w| w == old) {
                out.extend_from_slice(&rest[..j]);
                out.extend_from_slice(new);
                rest = &rest[j + old.len()..];
            }
            out.extend_from_slice(rest);
            std::fs::write(&path, out).unwrap();
        }
    }
    at.join("bin/pip")
}

/// The pip env of `python` the tests copy from: made once under the
/// target's tmp directory and kept there (named after the interpreter's
/// path and modification time, so an upgraded interpreter gets a new one).
fn pip_template(python: &Path) -> PathBuf {
    use std::hash::{Hash, Hasher};
    use std::sync::Mutex;
    static MAKING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = MAKING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    python.hash(&mut hasher);
    std::fs::metadata(python).and_then(|m| m.modified()).ok().hash(&mut hasher);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pip-envs");
    let at = dir.join(format!("{:016x}", hasher.finish()));
    if !at.join("bin/pip").is_file() {
        let stage = dir.join(format!("stage-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&stage);
        std::fs::create_dir_all(&dir).unwrap();
        run_ok(Command::new(python).args(["-m", "venv"]).arg(&stage));
        // Its scripts name the place it was made: copies replace that.
        std::fs::write(stage.join("made-at"), stage.as_os_str().as_encoded_bytes()).unwrap();
        // Another test binary may have made it meanwhile: then this one goes.
        if std::fs::rename(&stage, &at).is_err() {
            let _ = std::fs::remove_dir_all(&stage);
        }
    }
    at
}

/// `pip --python ENV list --format=json` as (name, version, editable location) rows.
fn pip_list(pip: &Path, env: &Path) -> Vec<(String, String, Option<String>)> {
    let text = run_ok(Command::new(pip).arg("--python").arg(env.join("bin/python")).args([
        "list",
        "--format=json",
        "--disable-pip-version-check",
    ]));
    rows(&text)
}

fn rows(json: &str) -> Vec<(String, String, Option<String>)> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["version"].as_str().unwrap().to_string(),
                p.get("editable_project_location").and_then(|l| l.as_str()).map(str::to_string),
            )
        })
        .collect()
}

fn pip_freeze(pip: &Path, env: &Path) -> String {
    run_ok(
        Command::new(pip)
            .arg("--python")
            .arg(env.join("bin/python"))
            .args(["freeze", "--disable-pip-version-check"]),
    )
}

/// Install the test distributions into `env` with pip: wheel files (direct
/// URL installs), one by name from a find-links directory, one editable.
fn install(pip: &Path, env: &Path, wheels: &Path, project: &Path) {
    let python = env.join("bin/python");
    let mut files: Vec<PathBuf> = std::fs::read_dir(wheels)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with("Alpha"))
        .collect();
    files.sort();
    let quiet = ["-q", "--disable-pip-version-check", "--no-index"];
    run_ok(Command::new(pip).arg("--python").arg(&python).arg("install").args(quiet).args(&files));
    run_ok(
        Command::new(pip)
            .arg("--python")
            .arg(&python)
            .arg("install")
            .args(quiet)
            .arg("--find-links")
            .arg(wheels)
            .arg("alpha.pkg"),
    );
    run_ok(Command::new(pip).arg("--python").arg(&python).arg("install").args(quiet).arg("-e").arg(project));
}

pub(crate) fn editable_project(dir: &Path) -> PathBuf {
    let project = dir.join("ed project");
    std::fs::create_dir_all(project.join("src/edpkg")).unwrap();
    std::fs::write(project.join("backend.py"), EDITABLE_BACKEND).unwrap();
    std::fs::write(
        project.join("pyproject.toml"),
        "[build-system]\nrequires = []\nbuild-backend = \"backend\"\nbackend-path = [\".\"]\n",
    )
    .unwrap();
    std::fs::write(project.join("src/edpkg/__init__.py"), "X = 1\n").unwrap();
    project
}

fn assert_same_as_pip(ctx: &TestContext, pip: &Path, env: &Path, tool: &str) {
    let env_arg = env.to_str().unwrap();
    let out = ctx.run(&["packages", env_arg, "--json"]);
    assert_code(&out, 0);
    let ours = rows(&stdout(&out));
    let theirs = pip_list(pip, env);
    assert_eq!(ours, theirs, "`venvoy packages --json` differs from `pip list` for the {tool} env");
    assert!(ours.iter().any(|(n, _, e)| n == "ed-pkg" && e.is_some()), "{ours:?}");
    assert!(ours.iter().any(|(n, v, _)| n == "beta_pkg" && v == "2.0.0rc1"), "{ours:?}");

    let out = ctx.run(&["packages", env_arg, "--freeze"]);
    assert_code(&out, 0);
    let freeze = stdout(&out);
    assert_eq!(
        freeze,
        pip_freeze(pip, env),
        "`venvoy packages --freeze` differs from `pip freeze` for the {tool} env"
    );
    assert!(freeze.contains("Alpha.Pkg==1.0\n"), "{freeze}");
    assert!(freeze.contains("# Editable install with no version control (ed-pkg==0.1)\n-e "), "{freeze}");
    assert!(freeze.contains("gamma @ file://"), "{freeze}");
}

#[test]
fn packages_match_pip_for_envs_of_every_tool() {
    let Some(python) = base_python() else {
        return missing("no CPython with ensurepip");
    };
    let ctx = TestContext::new();
    let dir = ctx.root.path();
    let wheels = build_wheels(&python, dir, 2);
    let project = editable_project(dir);

    // The stdlib's venv, with pip from ensurepip: it installs into every env.
    let stdlib = dir.join("stdlib-env");
    let pip = pip_env(&python, &stdlib);
    install(&pip, &stdlib, &wheels, &project);
    assert_same_as_pip(&ctx, &pip, &stdlib, "python -m venv");

    let vy = dir.join("venvoy-env");
    assert_code(
        &ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), vy.to_str().unwrap()]),
        0,
    );
    install(&pip, &vy, &wheels, &project);
    assert_same_as_pip(&ctx, &pip, &vy, "venvoy");

    match peer("virtualenv") {
        Some(virtualenv) => {
            let ve = dir.join("virtualenv-env");
            run_ok(
                Command::new(virtualenv)
                    .arg("-q")
                    .arg("-p")
                    .arg(&python)
                    .arg(&ve)
                    .env("VIRTUALENV_OVERRIDE_APP_DATA", dir.join("ve-data")),
            );
            install(&pip, &ve, &wheels, &project);
            assert_same_as_pip(&ctx, &pip, &ve, "virtualenv");
        }
        None => missing("virtualenv is not installed (run `bash bench/setup.sh`)"),
    }
    match peer("uv") {
        Some(uv) => {
            let uve = dir.join("uv-env");
            run_ok(
                Command::new(uv)
                    .args(["venv", "-q", "--no-config", "-p"])
                    .arg(&python)
                    .arg(&uve)
                    .env("UV_CACHE_DIR", dir.join("uv-cache")),
            );
            install(&pip, &uve, &wheels, &project);
            assert_same_as_pip(&ctx, &pip, &uve, "uv");
        }
        None => missing("uv is not installed (run `bash bench/setup.sh`)"),
    }
}

#[test]
fn freeze_all_table_and_empty_env() {
    let Some(python) = base_python() else {
        return missing("no CPython with ensurepip");
    };
    let ctx = TestContext::new();
    let env = ctx.root.path().join("env");
    let pip = pip_env(&python, &env);
    let env_arg = env.to_str().unwrap();

    let out = ctx.run(&["packages", env_arg, "--freeze"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), pip_freeze(&pip, &env));
    let out = ctx.run(&["packages", env_arg, "--freeze", "--all"]);
    assert!(stdout(&out).lines().any(|l| l.starts_with("pip==")), "{}", stdout(&out));

    let out = ctx.run(&["packages", env_arg]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.starts_with("Package"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("pip ")), "{text}");

    let empty = ctx.root.path().join("empty");
    assert_code(
        &ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), empty.to_str().unwrap()]),
        0,
    );
    let out = ctx.run(&["packages", empty.to_str().unwrap(), "--json"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "[]");
}

#[test]
fn packages_reads_broken_metadata_and_egg_info_without_panicking() {
    let Some(python) = base_python() else {
        return missing("no CPython");
    };
    let ctx = TestContext::new();
    let env = ctx.root.path().join("env");
    assert_code(
        &ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), env.to_str().unwrap()]),
        0,
    );
    let site = std::fs::read_dir(env.join("lib"))
        .unwrap()
        .map(|e| e.unwrap().path().join("site-packages"))
        .find(|p| p.is_dir())
        .unwrap();
    std::fs::create_dir(site.join("broken-1.0.dist-info")).unwrap();
    std::fs::write(
        site.join("old_style-0.3.egg-info"),
        "Metadata-Version: 1.0\nName: old-style\nVersion: 0.3\n",
    )
    .unwrap();
    let out = ctx.run(&["packages", env.to_str().unwrap(), "--freeze"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "old-style==0.3\n");
    let pip = pip_env(&python, &ctx.root.path().join("pipenv"));
    assert_eq!(stdout(&out), pip_freeze(&pip, &env));

    // Metadata that is not UTF-8 makes pip itself crash; venvoy skips it.
    std::fs::create_dir(site.join("garbage-1.dist-info")).unwrap();
    std::fs::write(site.join("garbage-1.dist-info/METADATA"), b"\xff\xfe\x00Name\n: \n").unwrap();
    let out = ctx.run(&["packages", env.to_str().unwrap(), "--freeze"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "old-style==0.3\n");
}

fn git(dir: &Path, args: &[&str]) {
    run_ok(
        Command::new("git")
            .current_dir(dir)
            .args([
                "-c",
                "user.name=venvoy",
                "-c",
                "user.email=venvoy@example.invalid",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args),
    );
}

#[test]
fn git_editables_and_vcs_urls_freeze_like_pip() {
    let Some(python) = base_python() else {
        return missing("no CPython with ensurepip");
    };
    if Command::new("git").arg("--version").output().is_err() {
        return missing("git is not installed");
    }
    let ctx = TestContext::new();
    let dir = ctx.root.path();
    let project = editable_project(dir);
    git(&project, &["init", "-q"]);
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "-m", "init"]);
    let bare = dir.join("bare.git");
    git(dir, &["clone", "-q", "--bare", project.to_str().unwrap(), bare.to_str().unwrap()]);
    git(&project, &["remote", "add", "origin", bare.to_str().unwrap()]);

    let env = dir.join("env");
    let pip = pip_env(&python, &env);
    let e = env.to_str().unwrap();
    let install = |args: &[&str]| {
        run_ok(
            Command::new(&pip)
                .args(["install", "-q", "--disable-pip-version-check", "--no-index"])
                .args(args),
        );
    };
    let ours = || stdout(&ctx.run(&["packages", e, "--freeze"]));

    install(&["-e", project.to_str().unwrap()]);
    let freeze = ours();
    assert!(freeze.starts_with("-e git+file://"), "{freeze}");
    assert!(freeze.contains("#egg=ed_pkg"), "{freeze}");
    assert_eq!(freeze, pip_freeze(&pip, &env));

    git(&project, &["remote", "remove", "origin"]);
    let freeze = ours();
    assert!(freeze.starts_with("# Editable Git install with no remote (ed-pkg==0.1)\n-e "), "{freeze}");
    assert_eq!(freeze, pip_freeze(&pip, &env));

    install(&[&format!("git+file://{}", bare.display())]);
    let freeze = ours();
    assert!(freeze.starts_with("ed-pkg @ git+file://"), "{freeze}");
    assert_eq!(freeze, pip_freeze(&pip, &env));
}

/// `venvoy packages` never starts a process: strace sees only venvoy's own exec.
#[test]
fn packages_runs_no_python() {
    if !Path::new("/usr/bin/strace").exists() {
        return missing("strace is not installed (scripts/install-test-tools.sh installs it)");
    }
    let Some(python) = base_python() else {
        return missing("no CPython with ensurepip");
    };
    let ctx = TestContext::new();
    let env = ctx.root.path().join("env");
    pip_env(&python, &env);
    for args in [&["packages"][..], &["packages", "--freeze", "--all"], &["packages", "--json"]] {
        let log = ctx.root.path().join("strace.log");
        let cmd = ctx.venvoy();
        let mut strace = Command::new("strace");
        strace.args(["-f", "-e", "trace=execve", "-o"]).arg(&log).arg(cmd.get_program()).args(args).arg(&env);
        strace.current_dir(&ctx.work).env_clear();
        for (k, v) in cmd.get_envs() {
            if let Some(v) = v {
                strace.env(k, v);
            }
        }
        let out = strace.output().unwrap();
        assert_code(&out, 0);
        assert!(stdout(&out).contains("pip"), "{}", stdout(&out));
        let trace = std::fs::read_to_string(&log).unwrap();
        assert_eq!(trace.lines().filter(|l| l.contains("execve(")).count(), 1, "{trace}");
    }
}

/// With system site-packages, pip also lists the user site and the base's
/// site-packages; so does venvoy, in the same order.
#[test]
fn system_site_packages_and_user_site_like_pip() {
    let Some(python) = base_python() else {
        return missing("no CPython with ensurepip");
    };
    let ctx = TestContext::new();
    let dir = ctx.root.path();
    let pip = pip_env(&python, &dir.join("pip-env"));
    let env = dir.join("env");
    let e = env.to_str().unwrap();
    assert_code(
        &ctx.run(&["create", "--without-pip", "--system-site-packages", "-p", python.to_str().unwrap(), e]),
        0,
    );
    let minor = crate::common::python_version(&python).split('.').take(2).collect::<Vec<_>>().join(".");
    let user_site = ctx.home.join(format!(".local/lib/python{minor}/site-packages"));
    std::fs::create_dir_all(user_site.join("user_dist-1.0.dist-info")).unwrap();
    std::fs::write(user_site.join("user_dist-1.0.dist-info/METADATA"), "Name: user-dist\nVersion: 1.0\n")
        .unwrap();
    // The same name in the user site and the env: the env's comes first.
    std::fs::create_dir_all(user_site.join("shadow-9.dist-info")).unwrap();
    std::fs::write(user_site.join("shadow-9.dist-info/METADATA"), "Name: shadow\nVersion: 9\n").unwrap();
    let site = std::fs::read_dir(env.join("lib"))
        .unwrap()
        .map(|d| d.unwrap().path().join("site-packages"))
        .next()
        .unwrap();
    std::fs::create_dir_all(site.join("shadow-1.dist-info")).unwrap();
    std::fs::write(site.join("shadow-1.dist-info/METADATA"), "Name: shadow\nVersion: 1\n").unwrap();

    let theirs =
        run_ok(Command::new(&pip).env("HOME", &ctx.home).arg("--python").arg(env.join("bin/python")).args([
            "list",
            "--format=json",
            "--disable-pip-version-check",
        ]));
    let out = ctx.run(&["packages", e, "--json"]);
    assert_code(&out, 0);
    let ours = rows(&stdout(&out));
    assert_eq!(ours, rows(&theirs));
    assert!(ours.iter().any(|(n, v, _)| n == "shadow" && v == "1"), "{ours:?}");
    assert!(ours.iter().any(|(n, _, _)| n == "user-dist"), "{ours:?}");
}

/// Every interpreter's own stdlib venv (pip, and setuptools before 3.12, from
/// ensurepip): the same listing as pip, whose freeze skips setuptools and
/// wheel before Python 3.12.
#[test]
fn stdlib_envs_of_every_python_match_pip() {
    let ctx = TestContext::new();
    let mut seen = 0;
    for (version, python) in supported_pythons() {
        let has_ensurepip =
            Command::new(&python).args(["-c", "import ensurepip"]).output().is_ok_and(|o| o.status.success());
        if !has_ensurepip {
            continue;
        }
        let env = ctx.root.path().join(format!("env-{version}"));
        let pip = pip_env(&python, &env);
        let e = env.to_str().unwrap();
        let theirs =
            rows(&run_ok(Command::new(&pip).args(["list", "--format=json", "--disable-pip-version-check"])));
        assert_eq!(rows(&stdout(&ctx.run(&["packages", e, "--json"]))), theirs, "Python {version}");
        let freeze = run_ok(Command::new(&pip).args(["freeze", "--disable-pip-version-check"]));
        assert_eq!(stdout(&ctx.run(&["packages", e, "--freeze"])), freeze, "Python {version}");
        let all = run_ok(Command::new(&pip).args(["freeze", "--all", "--disable-pip-version-check"]));
        assert_eq!(stdout(&ctx.run(&["packages", e, "--freeze", "--all"])), all, "Python {version}");
        seen += 1;
    }
    if seen == 0 {
        missing("no CPython with ensurepip");
    }
}

/// Write `count` distributions straight into `site` as pip would leave them:
/// names and versions pip normalises, summaries, `INSTALLER`/`REQUESTED`,
/// archive URLs in `direct_url.json`, editables of plain directories, and
/// `.egg-info` files and directories.
fn generate_dists(site: &Path, projects: &Path, count: usize) {
    for i in 0..count {
        let (name, version) = match i % 5 {
            0 => (format!("gen-pkg-{i}"), format!("1.{i}")),
            1 => (format!("Gen.Dotted_{i}"), format!("2.0-{i}")),
            2 => (format!("gen_under_{i}"), format!("{i}.0RC1")),
            3 => (format!("GenUpper{i}"), format!("v0.{i}.0")),
            _ => (format!("gen-url-{i}"), format!("3.{i}.dev0")),
        };
        let dist = name.replace('-', "_");
        if i % 97 == 13 {
            let egg = site.join(format!("{dist}-{version}-py3.12.egg-info"));
            let pkg_info = format!("Metadata-Version: 1.1\nName: {name}\nVersion: {version}\n");
            if i % 2 == 0 {
                std::fs::create_dir(&egg).unwrap();
                std::fs::write(egg.join("PKG-INFO"), pkg_info).unwrap();
            } else {
                std::fs::write(egg, pkg_info).unwrap();
            }
            continue;
        }
        let di = site.join(format!("{dist}-{version}.dist-info"));
        std::fs::create_dir(&di).unwrap();
        let description = "A long description.\n".repeat(i % 7 * 40);
        std::fs::write(
            di.join("METADATA"),
            format!(
                "Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: generated number {i}\n\
                 Classifier: Programming Language :: Python\n\n{description}"
            ),
        )
        .unwrap();
        std::fs::write(di.join("INSTALLER"), "pip\n").unwrap();
        if i % 3 == 0 {
            std::fs::write(di.join("REQUESTED"), "").unwrap();
        }
        if i % 5 == 4 {
            let url = format!(
                r#"{{"url": "https://example.invalid/{dist}-{version}.tar.gz", "archive_info": {{"hash": "sha256={i:064x}"}}}}"#
            );
            std::fs::write(di.join("direct_url.json"), url).unwrap();
        } else if i % 401 == 7 {
            let project = projects.join(format!("project {i}"));
            std::fs::create_dir_all(&project).unwrap();
            let url = format!("file://{}", project.display()).replace(' ', "%20");
            let json = format!(r#"{{"url": "{url}", "dir_info": {{"editable": true}}}}"#);
            std::fs::write(di.join("direct_url.json"), json).unwrap();
        }
    }
}

/// At 2 000 distributions (enough to spread the reads over threads) the
/// listing and `--freeze` are still exactly pip's, at a bounded cost in
/// system calls.
#[test]
fn two_thousand_generated_dists_match_pip() {
    let Some(python) = base_python() else {
        assert!(!in_ci(), "no CPython with ensurepip: under CI this test must run");
        return missing("no CPython with ensurepip");
    };
    let ctx = TestContext::new();
    let env = ctx.root.path().join("env");
    let pip = pip_env(&python, &env);
    let site = std::fs::read_dir(env.join("lib"))
        .unwrap()
        .map(|e| e.unwrap().path().join("site-packages"))
        .find(|p| p.is_dir())
        .unwrap();
    generate_dists(&site, &ctx.root.path().join("projects"), 2000);
    let e = env.to_str().unwrap();

    let out = ctx.run(&["packages", e, "--json"]);
    assert_code(&out, 0);
    let ours = rows(&stdout(&out));
    assert!(ours.len() > 2000, "{}", ours.len());
    assert_eq!(ours, pip_list(&pip, &env));
    assert!(ours.iter().any(|(n, v, _)| n == "Gen.Dotted_1" && v == "2.0.post1"), "{ours:?}");
    assert!(ours.iter().filter(|(_, _, e)| e.is_some()).count() >= 3, "no editables in {ours:?}");

    let freeze = stdout(&ctx.run(&["packages", e, "--freeze"]));
    assert_eq!(freeze, pip_freeze(&pip, &env));
    assert!(freeze.contains("gen-url-4 @ https://example.invalid/"), "{freeze}");

    // What it costs in system calls: one open per distribution for its
    // metadata, one more where `direct_url.json` exists (and for `--json`
    // one for `INSTALLER`), and the output in one `write` per 64 KiB.
    if !Path::new("/usr/bin/strace").exists() {
        assert!(!in_ci(), "strace is missing: under CI this test must run");
        return missing("strace is not installed (scripts/install-test-tools.sh installs it)");
    }
    let urls = std::fs::read_dir(&site)
        .unwrap()
        .filter(|d| d.as_ref().unwrap().path().join("direct_url.json").exists())
        .count();
    let log = ctx.root.path().join("strace.log");
    for args in [&["packages", e][..], &["packages", e, "--json"], &["packages", e, "--freeze"]] {
        let out = strace(&ctx, &["-f", "-e", "trace=openat,write", "-o", log.to_str().unwrap()], args);
        assert_code(&out, 0);
        let trace = std::fs::read_to_string(&log).unwrap();
        let opens = trace.lines().filter(|l| l.contains("openat(")).count();
        let writes = trace.lines().filter(|l| l.contains("write(1,")).count();
        let per_dist = if args.contains(&"--json") { 2 } else { 1 };
        let bound = per_dist * 2000 + urls + 60;
        assert!(opens <= bound, "{args:?}: {opens} opens for 2000 distributions ({urls} with a URL)");
        assert!(per_dist == 2 || opens <= 2 * 2000, "{args:?}: {opens} opens for 2000 distributions");
        let blocks = out.stdout.len().div_ceil(64 * 1024);
        assert!(writes <= blocks, "{args:?}: {writes} writes for {} bytes", out.stdout.len());
    }
}

/// Run venvoy under strace with the test context's environment.
fn strace(ctx: &TestContext, strace_args: &[&str], args: &[&str]) -> std::process::Output {
    let cmd = ctx.venvoy();
    let mut strace = Command::new("strace");
    strace.args(strace_args).arg(cmd.get_program()).args(args);
    strace.current_dir(&ctx.work).env_clear();
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            strace.env(k, v);
        }
    }
    strace.output().unwrap()
}
