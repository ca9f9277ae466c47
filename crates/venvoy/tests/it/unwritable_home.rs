//! `venvoy create` works wherever `python -m venv` does: as a user whose home
//! does not exist (`HOME=/nonexistent`, Debian's `nobody`), and with a cache
//! another user filled with `venvoy cache update` that this one cannot write.
//! Run as root, the suite switches to `nobody` for these; run as anyone
//! else, it runs as that user with a read-only cache.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;

use crate::common::{Served, assert_code, pyenv_root, require, serve_index, stderr, stdout};

const NOBODY: u32 = 65534;

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A directory every user can enter, with a `work` directory the test user owns.
fn shared_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::Builder::new().prefix("venvoy-nobody-").tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    if running_as_root() {
        std::os::unix::fs::chown(&work, Some(NOBODY), Some(NOBODY)).unwrap();
    }
    (dir, work)
}

/// A command run as the unprivileged test user, with nothing inherited.
fn as_user(program: &Path, cwd: &Path, home: &str) -> Command {
    let mut cmd = Command::new(program);
    as_user_setup(&mut cmd, cwd, home);
    cmd
}

fn as_user_setup(cmd: &mut Command, cwd: &Path, home: &str) {
    cmd.current_dir(cwd).env_clear().env("PATH", "/usr/bin:/bin").env("HOME", home).env("NO_COLOR", "1");
    cmd.env("PIP_NO_INDEX", "1").env("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    if running_as_root() {
        cmd.uid(NOBODY).gid(NOBODY);
    }
}

fn venvoy_as_user(cwd: &Path, home: &str) -> Command {
    let mut cmd = Command::cargo_bin("venvoy").unwrap();
    as_user_setup(&mut cmd, cwd, home);
    // Offline: an index nothing listens on.
    cmd.env("PIP_INDEX_URL", "http://127.0.0.1:9/simple");
    cmd
}

/// The system's Python 3 (readable by every user, unlike pyenv under /root)
/// with its ensurepip wheels.
fn system_python() -> Option<PathBuf> {
    let found = std::fs::canonicalize("/usr/bin/python3").ok().filter(|p| {
        Command::new(p).args(["-c", "import ensurepip"]).output().is_ok_and(|o| o.status.success())
    });
    require("Debian's python3 with ensurepip wheels (python3-pip-whl)", found)
}

#[track_caller]
fn pip_works(env: &Path, cwd: &Path) -> String {
    let out: Output = as_user(&env.join("bin/pip"), cwd, "/nonexistent").arg("--version").output().unwrap();
    assert!(out.status.success(), "pip fails:\n{}\n{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(&env.display().to_string()), "{text}");
    text
}

#[test]
fn create_with_a_home_that_does_not_exist() {
    let Some(python) = system_python() else { return };
    let (_dir, work) = shared_dir();
    let out = venvoy_as_user(&work, "/nonexistent")
        .args(["create", "-p", python.to_str().unwrap(), "env"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("cache")).collect();
    assert_eq!(warnings.len(), 1, "one line about the cache:\n{err}");
    assert!(warnings[0].starts_with("warning: ") && warnings[0].contains("cannot be written"), "{err}");
    assert!(!err.contains("cache clean") && !err.contains("error:") && !err.contains("hint:"), "{err}");
    let env = work.join("env");
    pip_works(&env, &work);
    let leftovers: Vec<_> = std::fs::read_dir(&env)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".venvoy-"))
        .collect();
    assert!(leftovers.is_empty(), "scratch images left in the env");
}

/// The newest pip wheel any pyenv Python bundles (not the system's 23.0.1).
pub fn newest_bundled_pip_wheel() -> Option<PathBuf> {
    let mut found: Vec<(Vec<u64>, PathBuf)> = Vec::new();
    for version in std::fs::read_dir(pyenv_root()?.join("versions")).ok()?.filter_map(Result::ok) {
        let Ok(libs) = std::fs::read_dir(version.path().join("lib")) else { continue };
        for lib in libs.filter_map(Result::ok) {
            let Ok(files) = std::fs::read_dir(lib.path().join("ensurepip/_bundled")) else { continue };
            for file in files.filter_map(Result::ok) {
                let name = file.file_name().to_string_lossy().into_owned();
                let Some(rest) = name.strip_prefix("pip-").and_then(|r| r.strip_suffix("-py3-none-any.whl"))
                else {
                    continue;
                };
                let key: Vec<u64> = rest.split('.').map(|p| p.parse().unwrap_or(0)).collect();
                found.push((key, file.path()));
            }
        }
    }
    found.sort();
    found.pop().map(|(_, p)| p)
}

fn make_read_only(dir: &Path) {
    for entry in walk(dir) {
        let meta = std::fs::symlink_metadata(&entry).unwrap();
        if meta.is_dir() {
            std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.filter_map(Result::ok) {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                out.extend(walk(&e.path()));
            }
        }
    }
    out
}

#[test]
fn create_with_a_read_only_cache_another_user_filled() {
    let Some(python) = system_python() else { return };
    let Some(pip) = require("a pyenv Python with a bundled pip wheel", newest_bundled_pip_wheel()) else {
        return;
    };
    let version = pip.file_name().unwrap().to_str().unwrap().split('-').nth(1).unwrap().to_string();
    let (dir, work) = shared_dir();
    let cache = dir.path().join("cache");

    // The owner fills the cache from a local index, as `venvoy cache update` does.
    let fill = |args: &[&str]| {
        let mut cmd = Command::cargo_bin("venvoy").unwrap();
        cmd.current_dir(dir.path())
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", dir.path())
            .env("VENVOY_CACHE_DIR", &cache)
            .env(
                "PIP_INDEX_URL",
                serve_index(vec![Served { project: "pip", wheel: pip.clone(), requires_python: None }]).0,
            )
            .args(args);
        cmd.output().unwrap()
    };
    assert_code(&fill(&["cache", "update", "pip"]), 0);
    make_read_only(&cache);

    let create = |name: &str| {
        let out = venvoy_as_user(&work, "/nonexistent")
            .env("VENVOY_CACHE_DIR", &cache)
            .args(["create", "-p", python.to_str().unwrap(), name])
            .output()
            .unwrap();
        assert_code(&out, 0);
        let err = stderr(&out);
        assert!(err.contains(&format!("Seeded pip {version} from venvoy's cache")), "{err}");
        assert!(!err.contains("cache clean"), "{err}");
        let said = pip_works(&work.join(name), &work);
        assert!(said.starts_with(&format!("pip {version} ")), "{said}");
    };
    // Only the downloaded wheel is there: it is unpacked privately.
    create("first");

    // The owner's own create unpacks it into the cache; the other user
    // then links from that image without writing anything.
    for d in walk(&cache) {
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert_code(&fill(&["create", "-p", python.to_str().unwrap(), "owner-env"]), 0);
    assert!(cache.join("wheel-images/images").is_dir());
    make_read_only(&cache);
    create("second");
    for d in walk(&cache) {
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}
