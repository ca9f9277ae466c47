//! End to end: install the real pip wheel into real venvs with venvoy's
//! installer, run it, and let pip uninstall itself without leftovers.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::tree;
use venvoy_test_support::missing;
use venvoy_wheel::{InstallScheme, LinkMode, TargetPython, WheelCache, install_wheel};

/// A pip wheel on this machine, if any.
fn pip_wheel() -> Option<PathBuf> {
    let dirs = [
        "/root/.pyenv/versions/3.12.1/lib/python3.12/ensurepip/_bundled",
        "/root/.pyenv/versions/3.11.7/lib/python3.11/ensurepip/_bundled",
        "/usr/share/python-wheels",
    ];
    dirs.iter().filter_map(|d| std::fs::read_dir(d).ok()).flatten().flatten().map(|e| e.path()).find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("pip-") && n.ends_with("-py3-none-any.whl"))
    })
}

/// Make a venv without pip at `dir` with a Python 3.11; returns false if impossible.
fn make_venv(dir: &Path) -> bool {
    ["/usr/bin/python3", "/root/.pyenv/versions/3.11.7/bin/python3"].iter().any(|python| {
        Command::new(python)
            .args(["-m", "venv", "--without-pip"])
            .arg(dir)
            .output()
            .is_ok_and(|o| o.status.success())
            && dir.join("bin/python").exists()
    })
}

fn python_version(env: &Path) -> (u8, u8) {
    let out = Command::new(env.join("bin/python"))
        .args(["-c", "import sys; print(*sys.version_info[:2])"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut parts = text.split_whitespace().map(|p| p.parse().unwrap());
    (parts.next().unwrap(), parts.next().unwrap())
}

fn run(program: &Path, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .env_remove("PYTHONPATH")
        .env_remove("PIP_REQUIRE_VIRTUALENV")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PIP_NO_INPUT", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{} {args:?}: {out:?}", program.display());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn real_pip_installs_runs_and_uninstalls_cleanly() {
    let Some(wheel) = pip_wheel() else {
        return missing("a pip wheel (from an interpreter's ensurepip)");
    };
    let tmp = tempfile::tempdir().unwrap();
    let cache = WheelCache::new(tmp.path().join("cache"));
    // A plain path, and one with a space (which needs the /bin/sh shebang).
    for (i, name) in ["plain", "with space"].into_iter().enumerate() {
        let env = tmp.path().join(name).join("env");
        if !make_venv(&env) {
            return missing("`python3 -m venv` (python3-venv)");
        }
        let before = tree(&env);
        let (major, minor) = python_version(&env);
        let scheme = InstallScheme::for_venv(&env, major, minor);
        let target = TargetPython::cpython(major, minor, vec!["linux_x86_64".to_string()]);
        let done = install_wheel(&wheel, &scheme, &target, &cache, LinkMode::Hardlink, true).unwrap();
        assert_eq!(done.unpacked, i == 0);
        assert!(done.hardlinked > 100);
        let names: Vec<_> =
            done.scripts.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["pip", format!("pip{major}").as_str(), format!("pip{major}.{minor}").as_str()]);

        let site = scheme.purelib.to_string_lossy().into_owned();
        let version = run(&env.join("bin/python"), &["-m", "pip", "--version"]);
        assert!(version.contains(&site), "{version}");
        for script in &names {
            let version = run(&env.join("bin").join(script), &["--version"]);
            assert!(version.contains(&site), "{script}: {version}");
        }
        let shebang = std::fs::read_to_string(env.join("bin/pip")).unwrap();
        assert_eq!(shebang.starts_with("#!/bin/sh\n"), name.contains(' ') || env.as_os_str().len() > 120);

        // pip sees what we installed, and who installed it.
        let inspect = run(&env.join("bin/python"), &["-m", "pip", "list", "-v", "--format", "json"]);
        assert!(inspect.contains("\"installer\": \"venvoy\""), "{inspect}");

        // venvoy's own reader agrees, without running Python.
        let listing = venvoy_dist::list_installed(&scheme.purelib).unwrap();
        assert!(listing.broken.is_empty(), "{:?}", listing.broken);
        let pip = &listing.dists[0];
        assert_eq!(
            (pip.name.as_str(), pip.installer.as_deref(), pip.requested),
            ("pip", Some("venvoy"), true)
        );
        assert_eq!(pip.freeze_line(), format!("pip=={}", done.version));

        run(&env.join("bin/python"), &["-m", "pip", "uninstall", "-y", "pip"]);
        let after = tree(&env);
        assert_eq!(after, before, "pip uninstall left files behind");
        for file in &done.files {
            assert!(!file.exists(), "{} survived uninstall", file.display());
        }
    }
    // Uninstalling removed only the envs' links: the cache image is intact.
    let env = tmp.path().join("third");
    assert!(make_venv(&env));
    let (major, minor) = python_version(&env);
    let target = TargetPython::cpython(major, minor, vec!["linux_x86_64".to_string()]);
    let done = install_wheel(
        &wheel,
        &InstallScheme::for_venv(&env, major, minor),
        &target,
        &cache,
        LinkMode::Hardlink,
        false,
    )
    .unwrap();
    assert!(!done.unpacked);
}

/// pip replaces files rather than editing them: reinstalling pip over itself
/// in one env gives that env new inodes, while another env hardlinked to the
/// same cache image keeps its files and the image stays valid.
#[test]
fn pip_reinstall_in_one_env_leaves_other_envs_alone() {
    use std::os::unix::fs::MetadataExt;

    let Some(wheel) = pip_wheel() else {
        return missing("a pip wheel (from an interpreter's ensurepip)");
    };
    let tmp = tempfile::tempdir().unwrap();
    let cache = WheelCache::new(tmp.path().join("cache"));
    let mut envs = Vec::new();
    for name in ["a", "b"] {
        let env = tmp.path().join(name);
        if !make_venv(&env) {
            return missing("`python3 -m venv` (python3-venv)");
        }
        let (major, minor) = python_version(&env);
        let scheme = InstallScheme::for_venv(&env, major, minor);
        let target = TargetPython::cpython(major, minor, vec!["linux_x86_64".to_string()]);
        install_wheel(&wheel, &scheme, &target, &cache, LinkMode::Hardlink, true).unwrap();
        envs.push((scheme, target));
    }
    let file = |i: usize| envs[i].0.purelib.join("pip/__init__.py");
    let ino = |i: usize| std::fs::metadata(file(i)).unwrap().ino();
    assert_eq!(ino(0), ino(1));
    let (b_inode, b_content) = (ino(1), std::fs::read(file(1)).unwrap());

    let python = tmp.path().join("a/bin/python");
    let wheel_arg = wheel.to_str().unwrap();
    run(&python, &["-m", "pip", "install", "--force-reinstall", "--no-index", "--no-deps", wheel_arg]);

    assert_ne!(ino(0), ino(1), "pip should have written a new file in env a");
    assert_eq!(ino(1), b_inode);
    assert_eq!(std::fs::read(file(1)).unwrap(), b_content);
    let env = tmp.path().join("c");
    assert!(make_venv(&env));
    let (scheme, target) = &envs[0];
    let scheme_c = InstallScheme::for_venv(&env, target.major, target.minor);
    assert_ne!(&scheme_c, scheme);
    let done = install_wheel(&wheel, &scheme_c, target, &cache, LinkMode::Hardlink, true).unwrap();
    assert!(!done.unpacked, "the cache image should still be valid");
}
