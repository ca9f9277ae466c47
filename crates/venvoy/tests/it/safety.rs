//! Nothing lost: every delete asks the one deletion gate, which refuses
//! project roots, stray `pyvenv.cfg` files and directories venvoy did not make.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// `python -m venv .` run in a project's root, as people do.
fn project_root_venv(ctx: &TestContext) -> std::path::PathBuf {
    let proj = ctx.work.join("proj");
    std::fs::create_dir_all(proj.join(".git")).unwrap();
    std::fs::create_dir_all(proj.join("src/app")).unwrap();
    std::fs::write(proj.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(proj.join("pyproject.toml"), "[project]\nname = \"app\"\n").unwrap();
    std::fs::write(proj.join("app.py"), "print('precious')\n").unwrap();
    std::fs::write(proj.join("src/app/__init__.py"), "").unwrap();
    let py = supported_pythons().remove(0).1;
    let status =
        Command::new(py).args(["-m", "venv", "--without-pip", "."]).current_dir(&proj).status().unwrap();
    assert!(status.success());
    proj
}

fn assert_project_intact(proj: &Path) {
    assert_eq!(std::fs::read_to_string(proj.join("app.py")).unwrap(), "print('precious')\n");
    assert!(proj.join(".git/HEAD").is_file());
    assert!(proj.join("pyproject.toml").is_file());
    assert!(proj.join("src/app/__init__.py").is_file());
}

fn python(ctx: &TestContext) -> String {
    let _ = ctx;
    supported_pythons().remove(0).1.to_string_lossy().into_owned()
}

#[test]
fn a_project_root_that_is_a_venv_is_never_emptied_without_force() {
    let ctx = TestContext::new();
    let proj = project_root_venv(&ctx);
    let py = python(&ctx);

    let out = ctx.run(&["remove", "--yes", "./proj"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("holds a project or user data"), "{err}");
    assert!(err.contains(".git, app.py, pyproject.toml"), "what would be lost is listed: {err}");
    assert!(err.contains("hint:") && err.contains("--force"), "{err}");
    assert_project_intact(&proj);

    let out = ctx.run(&["create", "--without-pip", "-p", &py, "--clear", "proj"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("refusing to empty it") && err.contains(".git, app.py, pyproject.toml"), "{err}");
    assert!(err.contains("--clear --force"), "{err}");
    assert_project_intact(&proj);

    // `move` would delete the source at the end: refused before any work.
    let out = ctx.run(&["move", "./proj", "./elsewhere"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains(".git, app.py, pyproject.toml"), "{}", stderr(&out));
    assert!(!ctx.work.join("elsewhere").exists());
    assert_project_intact(&proj);

    // With --force the user gets what they asked for.
    let out = ctx.run(&["create", "--without-pip", "-p", &py, "--clear", "--force", "proj"]);
    assert_code(&out, 0);
    assert!(!proj.join(".git").exists() && !proj.join("app.py").exists());
    assert!(proj.join("pyvenv.cfg").is_file());
    std::fs::write(proj.join("setup.py"), "").unwrap();
    assert_code(&ctx.run(&["remove", "--yes", "./proj"]), 2);
    assert!(proj.join("setup.py").is_file());
    let out = ctx.run(&["remove", "--yes", "--force", "./proj"]);
    assert_code(&out, 0);
    assert!(!proj.exists());
}

#[test]
fn a_stray_pyvenv_cfg_does_not_make_a_venv() {
    let ctx = TestContext::new();
    let py = python(&ctx);
    // A home directory with a stray empty `pyvenv.cfg` and a `bin/`.
    let home = ctx.work.join("home");
    std::fs::create_dir_all(home.join("bin")).unwrap();
    std::fs::create_dir_all(home.join("docs")).unwrap();
    std::fs::write(home.join("pyvenv.cfg"), "").unwrap();
    std::fs::write(home.join("docs/thesis.txt"), "chapter 1\n").unwrap();
    // A directory with only an empty `pyvenv.cfg` and sources.
    let srcdir = ctx.work.join("srcdir");
    std::fs::create_dir_all(srcdir.join("src")).unwrap();
    std::fs::write(srcdir.join("pyvenv.cfg"), "").unwrap();
    std::fs::write(srcdir.join("src/main.py"), "print(1)\n").unwrap();

    for (dir, lost) in [(&home, "bin, docs, pyvenv.cfg"), (&srcdir, "pyvenv.cfg, src")] {
        let name = &format!("./{}", dir.file_name().unwrap().to_str().unwrap());
        let out = ctx.run(&["remove", "--yes", name]);
        assert_code(&out, 2);
        assert!(stderr(&out).contains("not a venv"), "{}", stderr(&out));
        let out = ctx.run(&["remove", "--yes", "--force", name]);
        assert_code(&out, 2);
        assert!(stderr(&out).contains("not a venv"), "--force never deletes a non-venv: {}", stderr(&out));

        let out = ctx.run(&["create", "--without-pip", "-p", &py, "--clear", name]);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(err.contains("has no `home` key") && err.contains(lost), "{err}");
    }
    assert_eq!(std::fs::read_to_string(home.join("docs/thesis.txt")).unwrap(), "chapter 1\n");
    assert!(srcdir.join("src/main.py").is_file());

    // `--clear --force` is the documented way to empty any directory.
    let out = ctx.run(&["create", "--without-pip", "-p", &py, "--clear", "--force", "srcdir"]);
    assert_code(&out, 0);
    assert!(!srcdir.join("src").exists());
    assert!(venv_works(&srcdir));
}

fn venv_works(env: &Path) -> bool {
    Command::new(env.join("bin/python"))
        .args(["-c", "import sys; assert sys.prefix != sys.base_prefix"])
        .status()
        .unwrap()
        .success()
}

#[test]
fn cache_clean_deletes_only_what_venvoy_made() {
    let mut ctx = TestContext::new();
    let docs = ctx.work.join("Documents");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("thesis.txt"), "chapter 1\n").unwrap();
    ctx.env("VENVOY_CACHE_DIR", &docs);
    // Using it as a cache does not make it venvoy's.
    assert_code(&ctx.run(&["python", "list"]), 0);
    let out = ctx.run(&["cache", "clean"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("was not made by venvoy"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(docs.join("thesis.txt")).unwrap(), "chapter 1\n");

    // A cache venvoy made itself is marked, and cleaned.
    let mut ctx = TestContext::new();
    let own = ctx.root.path().join("fresh-cache");
    ctx.env("VENVOY_CACHE_DIR", &own);
    assert_code(&ctx.run(&["python", "list"]), 0);
    assert!(own.join(".venvoy-owned").is_file());
    assert_code(&ctx.run(&["cache", "clean"]), 0);
    assert!(!own.exists());
    assert!(
        std::fs::read_dir(ctx.root.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".venvoy-"))
    );
}

#[test]
fn a_corrupt_registry_is_kept_aside_and_named() {
    let ctx = TestContext::new();
    let py = python(&ctx);
    let data = ctx.home.join(".local/share/venvoy");
    std::fs::create_dir_all(&data).unwrap();
    let registry = data.join("registry.json");
    std::fs::write(&registry, "{\"version\": 1, \"envs\": [ truncated").unwrap();
    std::fs::set_permissions(&registry, std::os::unix::fs::PermissionsExt::from_mode(0o640)).unwrap();
    let out = ctx.run(&["create", "--without-pip", "-p", &py, "./p/.venv"]);
    assert_code(&out, 0);
    let kept = data.join("registry.json.corrupt-1");
    let err = stderr(&out);
    assert!(err.contains("was corrupt") && err.contains(&kept.display().to_string()), "{err}");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "{\"version\": 1, \"envs\": [ truncated");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&registry).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o640, "the new registry keeps the old one's mode");
    let out = ctx.run(&["list", "--json"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains(".venv"), "{}", stdout(&out));
}

#[test]
fn a_bad_query_timeout_is_a_clear_error() {
    let ctx = TestContext::new();
    for bad in ["inf", "1e300", "abc", "0", "-1", "18446744073709551616", "nan"] {
        let out = ctx.venvoy().env("VENVOY_QUERY_TIMEOUT", bad).args(["python", "list"]).output().unwrap();
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(err.contains(&format!("`VENVOY_QUERY_TIMEOUT={bad}` is not a valid timeout")), "{err}");
        assert!(err.contains("hint:") && !err.contains("panicked"), "{err}");
    }
    let out = ctx.venvoy().env("VENVOY_QUERY_TIMEOUT", "2.5").args(["python", "list"]).output().unwrap();
    assert_code(&out, 0);
}

/// Every regular file under `dir` and its bytes, symlinks as their targets.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_symlink() {
                out.insert(
                    path.clone(),
                    std::fs::read_link(&path).unwrap().into_os_string().into_encoded_bytes(),
                );
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn doctor_fix_never_writes_through_a_hardlink() {
    let ctx = TestContext::new();
    let py = python(&ctx);
    let a = ctx.work.join("a");
    let out = ctx
        .venvoy()
        .env("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
        .args(["create", "-p", &py, "./a"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(a.join("bin/pip").is_file());
    // A copy that shares every file with the original, as `cp -al` makes it.
    let b = ctx.work.join("b");
    assert!(Command::new("cp").arg("-al").arg(&a).arg(&b).status().unwrap().success());
    let before = snapshot(&a);
    let out = ctx.run(&["doctor", "--fix", "./b"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("fixed:"), "{}", stdout(&out));
    assert_eq!(snapshot(&a), before, "the other env's files are byte-identical");
    assert_code(&ctx.run(&["doctor", "./a"]), 0);
    let pip = Command::new(b.join("bin/pip")).arg("--version").output().unwrap();
    assert!(pip.status.success() && stdout(&pip).contains(&b.display().to_string()), "{}", stdout(&pip));
}

#[test]
fn doctor_lists_leftovers_and_fix_removes_them() {
    let ctx = TestContext::new();
    let py = python(&ctx);
    assert_code(&ctx.run(&["create", "--without-pip", "-p", &py, "./e"]), 0);
    let env = ctx.work.join("e");
    // Names only a venvoy process that no longer runs leaves (pids above pid_max).
    let left = [
        env.join("bin/.activate.venvoy-4194305-a1"),
        env.join(".pyvenv.cfg.venvoy-4194306-b2"),
        ctx.work.join(".e.venvoy-4194307-old"),
    ];
    for path in &left {
        std::fs::write(path, "").unwrap();
    }
    let out = ctx.run(&["doctor", "./e"]);
    assert_code(&out, 1);
    assert!(stdout(&out).contains("[leftovers]"), "{}", stdout(&out));
    for path in &left {
        assert!(stdout(&out).contains(&path.display().to_string()), "{}", stdout(&out));
    }
    let out = ctx.run(&["doctor", "--fix", "./e"]);
    assert_code(&out, 0);
    assert!(left.iter().all(|p| !p.exists()));
}
