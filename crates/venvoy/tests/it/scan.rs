//! `venvoy scan`, `venvoy gc` and `doctor --all` over a home holding envs
//! made by every tool (real ones where the tool is here: `python -m venv`,
//! virtualenv, uv, venvoy; laid out where pipenv, poetry, pipx,
//! pyenv-virtualenv, tox and conda put theirs), plus bad input.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::peer;
use crate::common::*;
use crate::packages::run_ok;

/// The interpreter the tests make envs with: pyenv's 3.12, else Debian's.
fn python() -> Option<PathBuf> {
    supported_pythons()
        .into_iter()
        .map(|(_, p)| p)
        .find(|p| p.to_string_lossy().contains("3.12"))
        .or_else(|| supported_pythons().into_iter().map(|(_, p)| p).next())
}

fn venv(python: &Path, at: &Path) {
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    run_ok(Command::new(python).args(["-m", "venv", "--without-pip"]).arg(at));
}

/// The envs of the fake home, by what the scan should say of them.
struct World {
    ctx: TestContext,
    home: PathBuf,
    stdlib: PathBuf,
    venvoy_named: PathBuf,
    pipenv_live: PathBuf,
    pipenv_orphan: PathBuf,
    poetry: PathBuf,
    poetry_project: PathBuf,
    pipx: PathBuf,
    pyenv_virtualenv: PathBuf,
    tox: PathBuf,
    conda: PathBuf,
    python_gone: PathBuf,
    clone_a: PathBuf,
    clone_b: PathBuf,
    not_a_venv: PathBuf,
    virtualenv: Option<PathBuf>,
    uv: Option<PathBuf>,
}

fn world() -> Option<World> {
    let Some(py) = python() else {
        missing("a CPython 3.7+ (pyenv or /usr/bin/python3)");
        return None;
    };
    let mut ctx = TestContext::new();
    let home = ctx.home.clone();
    let pyenv_root = home.join(".pyenv");
    ctx.env("PYENV_ROOT", &pyenv_root);
    ctx.env("VENVOY_DATA_DIR", home.join(".local/share/venvoy"));

    // A project with a stdlib `.venv`.
    let app = home.join("src/app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("pyproject.toml"), "[project]\nname = \"app\"\n").unwrap();
    let stdlib = app.join(".venv");
    venv(&py, &stdlib);

    // venvoy's own named env, with a 1 MiB file so clones share something.
    let out = ctx.run(&["create", "-n", "web", "--without-pip", "-p", py.to_str().unwrap()]);
    assert_code(&out, 0);
    let venvoy_named = home.join(".local/share/venvoy/envs/web");
    let site = std::fs::read_dir(venvoy_named.join("lib")).unwrap().next().unwrap().unwrap().path();
    std::fs::write(site.join("site-packages/blob.bin"), vec![7u8; 1 << 20]).unwrap();

    // Two clones sharing their files (hardlinks).
    let clone_a = home.join("clones/a");
    let clone_b = home.join("clones/b");
    for dest in [&clone_a, &clone_b] {
        let out = ctx.run(&["clone", venvoy_named.to_str().unwrap(), dest.to_str().unwrap()]);
        assert_code(&out, 0);
    }

    // pipenv: `.project` names the project; one project still there, one gone.
    let pipenv_home = home.join(".local/share/virtualenvs");
    let pipenv_live = pipenv_home.join("app-Abc12345");
    venv(&py, &pipenv_live);
    std::fs::write(pipenv_live.join(".project"), app.to_str().unwrap()).unwrap();
    let pipenv_orphan = pipenv_home.join("old-Zyx98765");
    venv(&py, &pipenv_orphan);
    std::fs::write(pipenv_orphan.join(".project"), home.join("src/deleted-project").to_str().unwrap())
        .unwrap();

    // poetry: the env's name carries the hash of the project's path.
    let poetry_project = home.join("src/api");
    std::fs::create_dir_all(&poetry_project).unwrap();
    std::fs::write(poetry_project.join("pyproject.toml"), "[tool.poetry]\nname = \"api\"\n").unwrap();
    let hash = poetry_hash(&py, &poetry_project);
    let poetry_home = home.join(".cache/pypoetry/virtualenvs");
    let poetry = poetry_home.join(format!("api-{hash}-py3.12"));
    venv(&py, &poetry);
    std::fs::write(
        poetry_home.join("envs.toml"),
        format!("[api-{hash}]\nminor = \"3.12\"\npatch = \"3.12.1\"\n"),
    )
    .unwrap();

    let pipx = home.join(".local/share/pipx/venvs/black");
    venv(&py, &pipx);
    let pyenv_virtualenv = pyenv_root.join("versions/3.12.1/envs/tools");
    venv(&py, &pyenv_virtualenv);
    let tox = app.join(".tox/py312");
    venv(&py, &tox);

    // conda: not a venv, listed as such.
    let conda = home.join("miniconda3/envs/ds");
    std::fs::create_dir_all(conda.join("conda-meta")).unwrap();
    std::fs::write(conda.join("conda-meta/history"), "").unwrap();

    // An env whose Python was uninstalled (a version no machine here has).
    let python_gone = home.join(".virtualenvs/legacy");
    venv(&py, &python_gone);
    let cfg = std::fs::read_to_string(python_gone.join("pyvenv.cfg")).unwrap();
    let cfg: String = cfg
        .lines()
        .map(|l| {
            if l.starts_with("home") {
                "home = /opt/gone-python/bin".to_string()
            } else if l.starts_with("version") {
                "version = 3.4.10".to_string()
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(python_gone.join("pyvenv.cfg"), cfg).unwrap();
    for name in ["python", "python3", "python3.12"] {
        let link = python_gone.join("bin").join(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink("/opt/gone-python/bin/python3.4", &link).unwrap();
    }

    // Looks like an env by name, is not one: a stray `pyvenv.cfg` without `home`.
    let not_a_venv = home.join(".virtualenvs/notes");
    std::fs::create_dir_all(not_a_venv.join("bin")).unwrap();
    std::fs::write(not_a_venv.join("pyvenv.cfg"), "").unwrap();
    std::fs::write(not_a_venv.join("thesis.txt"), "precious").unwrap();

    let virtualenv = peer("virtualenv").map(|ve| {
        let at = home.join("src/ve-proj/env");
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        run_ok(Command::new(ve).args(["-q", "--no-seed", "-p"]).arg(&py).arg(&at));
        at
    });
    let uv = peer("uv").map(|uv| {
        let at = home.join("src/uv-proj/.venv");
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        run_ok(Command::new(uv).args(["venv", "-q", "--python"]).arg(&py).arg(&at).env("UV_NO_CACHE", "1"));
        at
    });
    if virtualenv.is_none() || uv.is_none() {
        missing("uv and virtualenv (scripts/install-test-tools.sh puts them in target/peers)");
    }
    Some(World {
        ctx,
        home,
        stdlib,
        venvoy_named,
        pipenv_live,
        pipenv_orphan,
        poetry,
        poetry_project,
        pipx,
        pyenv_virtualenv,
        tox,
        conda,
        python_gone,
        clone_a,
        clone_b,
        not_a_venv,
        virtualenv,
        uv,
    })
}

/// poetry's name hash, computed by Python the way poetry does.
fn poetry_hash(python: &Path, project: &Path) -> String {
    let code = "import base64,hashlib,sys;print(base64.urlsafe_b64encode(hashlib.sha256(sys.argv[1].encode()).digest()).decode()[:8])";
    run_ok(Command::new(python).args(["-c", code]).arg(project)).trim().to_string()
}

fn scan_json(ctx: &TestContext, args: &[&str]) -> Value {
    let mut all = vec!["scan", "--json"];
    all.extend_from_slice(args);
    let out = ctx.run(&all);
    assert_code(&out, 0);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn find<'a>(scan: &'a Value, path: &Path) -> &'a Value {
    let hits: Vec<&Value> =
        scan["envs"].as_array().unwrap().iter().filter(|e| e["path"] == path.to_str().unwrap()).collect();
    assert_eq!(hits.len(), 1, "`{}` found {} times in {scan:#}", path.display(), hits.len());
    hits[0]
}

#[test]
fn scan_finds_every_tools_envs_once_with_creator_project_and_health() {
    let Some(w) = world() else { return };
    let scan = scan_json(&w.ctx, &[]);
    let expect = |path: &Path, tool: &str, creator: Option<&str>, project: Option<&Path>, health: &str| {
        let e = find(&scan, path);
        assert_eq!(e["tool"], tool, "{e:#}");
        if let Some(c) = creator {
            assert_eq!(e["creator"], c, "{e:#}");
        }
        assert_eq!(e["project"].as_str().map(PathBuf::from).as_deref(), project, "{e:#}");
        assert_eq!(e["health"], health, "{e:#}");
    };
    let app = w.home.join("src/app");
    expect(&w.stdlib, "project", Some("venv"), Some(&app), "ok");
    expect(&w.venvoy_named, "venvoy", Some("venvoy"), None, "ok");
    expect(&w.clone_a, "venvoy", Some("venvoy"), None, "ok");
    expect(&w.pipenv_live, "pipenv", Some("venv"), Some(&app), "ok");
    expect(&w.pipenv_orphan, "pipenv", Some("venv"), Some(&w.home.join("src/deleted-project")), "ok");
    expect(&w.poetry, "poetry", Some("venv"), Some(&w.poetry_project), "ok");
    expect(&w.pipx, "pipx", Some("venv"), None, "ok");
    expect(&w.pyenv_virtualenv, "pyenv-virtualenv", Some("venv"), None, "ok");
    expect(&w.tox, "tox", Some("venv"), Some(&app), "ok");
    expect(&w.conda, "conda", Some("conda"), None, "conda");
    expect(&w.python_gone, "virtualenvwrapper", Some("venv"), None, "base-missing");
    if let Some(ve) = &w.virtualenv {
        expect(ve, "other", Some("virtualenv"), None, "ok");
    }
    if let Some(uv) = &w.uv {
        expect(uv, "project", Some("uv"), Some(&w.home.join("src/uv-proj")), "ok");
    }
    assert_eq!(find(&scan, &w.pipenv_orphan)["project_exists"], false);
    // The stray `pyvenv.cfg` is said to be skipped, not listed.
    let skipped = scan["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["path"] == w.not_a_venv.to_str().unwrap()
                && s["reason"].as_str().unwrap().contains("home")),
        "{skipped:#?}"
    );
    assert!(!scan["envs"].as_array().unwrap().iter().any(|e| e["path"] == w.not_a_venv.to_str().unwrap()));
    let expected = 12 + usize::from(w.virtualenv.is_some()) + usize::from(w.uv.is_some());
    assert_eq!(scan["envs"].as_array().unwrap().len(), expected, "{scan:#}");
}

#[test]
fn shared_files_count_once() {
    let Some(w) = world() else { return };
    let scan = scan_json(&w.ctx, &[w.home.join("clones").to_str().unwrap()]);
    let (a, b) = (find(&scan, &w.clone_a), find(&scan, &w.clone_b));
    let size = |e: &Value, k: &str| e[k].as_u64().unwrap();
    // The clones share every unchanged file, the 1 MiB blob among them.
    assert!(size(a, "size") > 1 << 20, "{a:#}");
    assert!(size(a, "unique_size") + (1 << 20) <= size(a, "size"), "{a:#}");
    let shared = size(a, "size") - size(a, "unique_size");
    assert_eq!(size(b, "size") - size(b, "unique_size"), shared, "{b:#}");
    // The total counts the shared files once: less than the two sizes added.
    let total = scan["total_size"].as_u64().unwrap();
    assert!(total < size(a, "size") + size(b, "size"));
    assert!(total >= size(a, "unique_size") + size(b, "unique_size") + (1 << 20));
    // Named DIRs still name the tool of an env they hold.
    assert_eq!(a["tool"], "venvoy");
}

#[test]
fn gc_lists_and_removes_exactly_the_orphans() {
    let Some(w) = world() else { return };
    let out = w.ctx.run(&["gc", "--json"]);
    assert_code(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut orphans: Vec<&str> =
        report["orphans"].as_array().unwrap().iter().map(|o| o["path"].as_str().unwrap()).collect();
    orphans.sort_unstable();
    let mut expected = vec![w.pipenv_orphan.to_str().unwrap(), w.python_gone.to_str().unwrap()];
    expected.sort_unstable();
    assert_eq!(orphans, expected, "{report:#}");
    assert!(report["removed"].as_array().unwrap().is_empty(), "without --yes nothing is removed");
    assert!(w.pipenv_orphan.exists() && w.python_gone.exists());

    // The text form says why, how much, and that pipenv recreates its envs.
    let text = w.ctx.run(&["gc"]);
    assert_code(&text, 0);
    let err = stderr(&text);
    assert!(stdout(&text).contains("its project"), "{}", stdout(&text));
    assert!(stdout(&text).contains("no installed Python 3.4.10"), "{}", stdout(&text));
    assert!(err.contains("pipenv creates a project's env again"), "{err}");
    assert!(err.contains("venvoy gc --yes"), "{err}");

    let out = w.ctx.run(&["gc", "--yes"]);
    assert_code(&out, 0);
    assert!(!w.pipenv_orphan.exists() && !w.python_gone.exists(), "{}", stderr(&out));
    for kept in
        [&w.stdlib, &w.venvoy_named, &w.pipenv_live, &w.poetry, &w.pipx, &w.tox, &w.clone_a, &w.clone_b]
    {
        assert!(kept.join("pyvenv.cfg").is_file(), "`{}` must survive", kept.display());
    }
    assert_eq!(std::fs::read_to_string(w.not_a_venv.join("thesis.txt")).unwrap(), "precious");
    assert!(w.conda.join("conda-meta").is_dir());
    let leftovers: Vec<_> = std::fs::read_dir(w.home.join(".local/share/virtualenvs"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".venvoy-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Nothing left to collect.
    let again: Value = serde_json::from_slice(&w.ctx.run(&["gc", "--json"]).stdout).unwrap();
    assert!(again["orphans"].as_array().unwrap().is_empty(), "{again:#}");
}

#[test]
fn gc_keeps_the_active_env_and_envs_in_use() {
    let Some(w) = world() else { return };
    let mut ctx = w.ctx;
    ctx.env("VIRTUAL_ENV", &w.pipenv_orphan);
    // A process running from inside the other orphan.
    let sleep = w.python_gone.join("bin/sleep-tool");
    std::fs::copy("/bin/sleep", &sleep).unwrap();
    let mut child = Command::new(&sleep).arg("60").spawn().unwrap();
    let out = ctx.run(&["gc", "--yes", "--json"]);
    child.kill().unwrap();
    let _ = child.wait();
    assert_code(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["orphans"].as_array().unwrap().is_empty(), "{report:#}");
    let kept: Vec<&str> =
        report["kept"].as_array().unwrap().iter().map(|k| k["reason"].as_str().unwrap()).collect();
    assert_eq!(kept.len(), 2, "{report:#}");
    assert!(
        kept.iter().any(|w| w.contains("active env")) && kept.iter().any(|w| w.contains("process")),
        "{kept:?}"
    );
    assert!(w.pipenv_orphan.exists() && w.python_gone.exists());
}

#[test]
fn gc_older_than_takes_unused_envs_only_when_asked() {
    let Some(py) = python() else { return missing("a CPython 3.7+") };
    let ctx = TestContext::new();
    let old = ctx.home.join(".virtualenvs/old");
    venv(&py, &old);
    let fresh = ctx.home.join(".virtualenvs/fresh");
    venv(&py, &fresh);
    // Last read and last installed 400 days ago.
    let past = "400 days ago";
    for p in [old.join("pyvenv.cfg"), old.join("bin")] {
        run_ok(Command::new("touch").args(["-a", "-m", "-d", past]).arg(&p));
    }
    for sp in glob_site_packages(&old) {
        run_ok(Command::new("touch").args(["-a", "-m", "-d", past]).arg(&sp));
    }
    let list = |args: &[&str]| -> Vec<String> {
        let out = ctx.run(args);
        assert_code(&out, 0);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["orphans"].as_array().unwrap().iter().map(|o| o["path"].as_str().unwrap().to_string()).collect()
    };
    assert!(list(&["gc", "--json"]).is_empty());
    assert_eq!(list(&["gc", "--json", "--older-than", "1y"]), vec![old.to_str().unwrap().to_string()]);
    let bad = ctx.run(&["gc", "--older-than", "soon"]);
    assert_code(&bad, 2);
    assert!(stderr(&bad).contains("not a duration"), "{}", stderr(&bad));
}

fn glob_site_packages(env: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(env.join("lib"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path().join("site-packages"))
        .filter(|p| p.is_dir())
        .collect()
}

#[test]
fn doctor_all_covers_every_env_scan_finds() {
    let Some(w) = world() else { return };
    let out = w.ctx.run(&["doctor", "--all", "--json"]);
    assert_code(&out, 1);
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
    let roots: Vec<&str> = reports.as_array().unwrap().iter().map(|r| r["path"].as_str().unwrap()).collect();
    for env in [&w.stdlib, &w.pipenv_live, &w.poetry, &w.pipx, &w.pyenv_virtualenv, &w.tox, &w.python_gone] {
        assert!(roots.contains(&env.to_str().unwrap()), "`{}` not checked: {roots:?}", env.display());
    }
    assert!(!roots.contains(&w.conda.to_str().unwrap()));
}

#[test]
fn scan_survives_bad_input() {
    let Some(py) = python() else { return missing("a CPython 3.7+") };
    let ctx = TestContext::new();
    let root = ctx.work.join("tree");
    let real = root.join("proj/.venv");
    venv(&py, &real);
    // A symlink loop, a FIFO `.venv` and a FIFO `pyvenv.cfg`, garbage `pyvenv.cfg`.
    std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
    std::fs::create_dir_all(root.join("a/b")).unwrap();
    std::os::unix::fs::symlink(root.join("a"), root.join("a/b/up")).unwrap();
    let fifo_dir = root.join("fifo-proj");
    std::fs::create_dir_all(&fifo_dir).unwrap();
    run_ok(Command::new("mkfifo").arg(fifo_dir.join(".venv")));
    let fifo_cfg = root.join("fifo-env");
    std::fs::create_dir_all(fifo_cfg.join("bin")).unwrap();
    run_ok(Command::new("mkfifo").arg(fifo_cfg.join("pyvenv.cfg")));
    let garbage = root.join("garbage-env");
    std::fs::create_dir_all(garbage.join("bin")).unwrap();
    std::fs::write(garbage.join("pyvenv.cfg"), b"\x00\xff\xfe garbage \x01\n[[[").unwrap();
    // A directory of 10 000 entries.
    let wide = root.join("wide");
    std::fs::create_dir_all(&wide).unwrap();
    for i in 0..10_000 {
        std::fs::File::create(wide.join(format!("f{i}"))).unwrap();
    }
    // An unreadable directory (for a user other than root).
    let locked = root.join("locked");
    std::fs::create_dir_all(locked.join("inside")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();

    let start = std::time::Instant::now();
    let scan = scan_json(&ctx, &[root.to_str().unwrap()]);
    assert!(start.elapsed().as_secs() < 10, "scan took {:?}", start.elapsed());
    let envs = scan["envs"].as_array().unwrap();
    assert_eq!(envs.len(), 1, "{scan:#}");
    assert_eq!(envs[0]["path"], real.to_str().unwrap());
    let skipped: Vec<(String, String)> = scan["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap().to_string(), s["reason"].as_str().unwrap().to_string()))
        .collect();
    let reason = |p: &Path| skipped.iter().find(|(s, _)| s == p.to_str().unwrap()).map(|(_, r)| r.clone());
    assert!(reason(&fifo_cfg).is_some_and(|r| r.contains("FIFO")), "{skipped:?}");
    assert!(reason(&garbage).is_some_and(|r| r.contains("home")), "{skipped:?}");

    // As a user who cannot read `locked`: counted, and named with -v.
    if can_run_as_nobody() {
        for dir in [ctx.root.path(), ctx.work.as_path()] {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let out = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(assert_cmd::cargo::cargo_bin("venvoy"))
            .args(["-v", "scan"])
            .arg(&root)
            .env_clear()
            .env("HOME", "/nonexistent")
            .env("PATH", "/usr/bin:/bin")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("permission denied") && err.contains(locked.to_str().unwrap()), "{err}");
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Whether the tests can run venvoy as `nobody` (as root, with `setpriv`).
fn can_run_as_nobody() -> bool {
    if !is_root() {
        return false;
    }
    let ok = Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        missing("setpriv (util-linux)");
    }
    ok
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

#[test]
fn a_pep_832_file_names_the_project_of_an_env_kept_elsewhere() {
    let Some(py) = python() else { return missing("a CPython 3.7+") };
    let ctx = TestContext::new();
    let env = ctx.home.join("envs/kept");
    venv(&py, &env);
    let project = ctx.home.join("src/p");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join(".venv"), "~/envs/kept\n").unwrap();
    let scan = scan_json(&ctx, &[]);
    let e = find(&scan, &env);
    assert_eq!(e["project"], project.to_str().unwrap(), "{e:#}");
    assert_eq!(e["project_source"], "venv-file", "{e:#}");
}

#[test]
fn a_conda_meta_that_is_a_symlink_makes_no_conda_env() {
    let ctx = TestContext::new();
    let envs = ctx.home.join("miniconda3/envs");
    let real = envs.join("real");
    std::fs::create_dir_all(real.join("conda-meta")).unwrap();
    // `linked/conda-meta` leads to the real env's directory: the walk follows no links.
    let linked = envs.join("linked");
    std::fs::create_dir_all(&linked).unwrap();
    std::os::unix::fs::symlink(real.join("conda-meta"), linked.join("conda-meta")).unwrap();
    let scan = scan_json(&ctx, &[ctx.home.to_str().unwrap()]);
    assert_eq!(find(&scan, &real)["tool"], "conda");
    let paths: Vec<&str> =
        scan["envs"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert!(!paths.contains(&linked.to_str().unwrap()), "{scan:#}");
}
