//! Seeding pip: `venvoy create` (with and without `--seed`), `venvoy seed`,
//! `venvoy cache update`; the wheel sources in order (cache, ensurepip,
//! index), a tampered cache, a zip-slip wheel, and no source at all.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{
    Served, TestContext, assert_code, build_wheel, cpythons, missing, require, serve_index, stderr, stdout,
    supported_pythons,
};

/// Say why a test did nothing.
/// An index URL nothing listens on: every request fails at once.
const CLOSED_INDEX: &str = "http://127.0.0.1:9/simple";

fn offline() -> TestContext {
    let mut ctx = TestContext::new();
    ctx.env("PIP_INDEX_URL", CLOSED_INDEX);
    ctx
}

/// Run a program with a clean environment (no inherited venv or pip config).
fn run_in(program: &Path, args: &[&str], path: Option<&Path>) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .env_remove("VIRTUAL_ENV")
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .env_remove("PIP_REQUIRE_VIRTUALENV")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PIP_NO_INPUT", "1")
        .env("PIP_NO_INDEX", "1");
    if let Some(dir) = path {
        let mut paths = vec![dir.to_path_buf()];
        paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        cmd.env("PATH", std::env::join_paths(paths).unwrap());
    }
    cmd.output().expect("run")
}

fn ok(o: Output, what: &str) -> String {
    assert!(o.status.success(), "{what} failed: {}\n{}", stdout(&o), stderr(&o));
    stdout(&o)
}

/// A tiny pure-Python wheel with a module and a console script, made with the
/// interpreter's own `zipfile` and `hashlib` so its RECORD is right.
fn build_probe_wheel(python: &Path, dir: &Path) -> PathBuf {
    let module = "def main():\n    import sys\n    print('probe from', sys.prefix)\n";
    build_wheel(
        python,
        dir,
        "venvoy-probe",
        "1.0",
        &[("venvoy_probe.py", module)],
        &[("venvoy-probe", "venvoy_probe:main")],
    )
}

fn sha256(python: &Path, file: &Path) -> String {
    let out = run_in(
        python,
        &[
            "-c",
            "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
            file.to_str().unwrap(),
        ],
        None,
    );
    ok(out, "hashing").trim().to_string()
}

/// Put `wheel` into the sandbox's download cache as if it came from the index.
fn put_in_cache(ctx: &TestContext, python: &Path, wheel: &Path, name: &str) -> PathBuf {
    let dir = ctx.cache.join("wheels").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let dest = dir.join(wheel.file_name().unwrap());
    std::fs::copy(wheel, &dest).unwrap();
    let record = serde_json::json!({
        "sha256": sha256(python, &dest),
        "requires_python": null,
        "url": "https://example.invalid/x.whl",
    });
    let mut record_path = dest.clone().into_os_string();
    record_path.push(".json");
    std::fs::write(record_path, record.to_string()).unwrap();
    dest
}

/// Every file pip's RECORD lists, as absolute paths.
fn record_files(env: &Path) -> Vec<PathBuf> {
    let site = site_packages(env);
    let dist_info = std::fs::read_dir(&site)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.starts_with("pip-") && n.ends_with(".dist-info")
        })
        .expect("pip's dist-info");
    let record = std::fs::read_to_string(dist_info.join("RECORD")).unwrap();
    record
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let rel = l.rsplitn(3, ',').last().unwrap().trim_matches('"');
            let mut p = site.clone();
            for part in rel.split('/') {
                if part == ".." {
                    p.pop();
                } else {
                    p.push(part);
                }
            }
            p
        })
        .collect()
}

fn site_packages(env: &Path) -> PathBuf {
    let lib = env.join("lib");
    let version = std::fs::read_dir(&lib).unwrap().flatten().next().expect("lib/pythonX.Y").file_name();
    lib.join(version).join("site-packages")
}

/// The interpreter's bundled pip wheel version, as `Seeded pip X` would say.
fn bundled_pip(python: &Path) -> Option<String> {
    let out = run_in(python, &["-I", "-c", "import ensurepip; print(ensurepip.version())"], None);
    out.status.success().then(|| stdout(&out).trim().to_string())
}

/// Everything the seeded env must do: pip runs from the env, installs a local
/// wheel, its `pip` script runs the env's python, and uninstalls itself cleanly.
fn check_seeded_env(env: &Path, probe: &Path) {
    let python = env.join("bin/python");
    let version = ok(run_in(&python, &["-m", "pip", "--version"], None), "python -m pip --version");
    let site = site_packages(env);
    assert!(version.contains(&site.to_string_lossy().into_owned()), "pip is not in the env: {version}");

    // `pip` found on PATH inside the env runs the env's interpreter.
    let via_path = ok(run_in(Path::new("pip"), &["--version"], Some(&env.join("bin"))), "pip on PATH");
    assert!(via_path.contains(&site.to_string_lossy().into_owned()), "{via_path}");
    let exe = ok(run_in(Path::new("pip"), &["debug"], Some(&env.join("bin"))), "pip debug");
    assert!(exe.contains(&format!("sys.executable: {}", env.join("bin").display())), "{exe}");

    ok(
        run_in(&python, &["-m", "pip", "install", "--no-index", probe.to_str().unwrap()], None),
        "pip install",
    );
    let probe_out = ok(run_in(&env.join("bin/venvoy-probe"), &[], None), "the probe's console script");
    assert!(probe_out.contains(&env.to_string_lossy().into_owned()), "{probe_out}");

    let files = record_files(env);
    assert!(files.iter().any(|f| f.ends_with("bin/pip")), "RECORD lists bin/pip: {files:?}");
    ok(run_in(&python, &["-m", "pip", "uninstall", "-y", "pip"], None), "pip uninstall pip");
    let left: Vec<&PathBuf> = files.iter().filter(|f| f.exists()).collect();
    assert!(left.is_empty(), "pip uninstall left {left:?}");
    assert!(!site.join("pip").exists());
    for name in ["pip", "pip3"] {
        assert!(!env.join("bin").join(name).exists(), "bin/{name} is left");
    }
    // The probe is still there and still works.
    ok(run_in(&env.join("bin/venvoy-probe"), &[], None), "the probe after uninstalling pip");
}

#[test]
fn every_interpreter_gets_a_working_pip_offline() {
    let pythons = supported_pythons();
    assert!(!pythons.is_empty(), "no CPython 3.7+ on this machine");
    let ctx = offline();
    let probe = build_probe_wheel(&pythons[0].1, &ctx.work);
    for (version, python) in &pythons {
        let env = ctx.work.join(format!("env-{version}"));
        let out = ctx.run(&["create", "-p", python.to_str().unwrap(), env.to_str().unwrap()]);
        assert_code(&out, 0);
        // Debian's python3 has no `ensurepip.version()`: its wheels live in /usr/share/python-wheels.
        let expected =
            bundled_pip(python).map(|v| format!("Seeded pip {v} ")).unwrap_or("Seeded pip ".into());
        assert!(stderr(&out).contains(&expected), "{version}: {}", stderr(&out));
        assert!(stderr(&out).contains("from the interpreter's ensurepip"), "{version}: {}", stderr(&out));
        check_seeded_env(&env, &probe);
    }
}

#[test]
fn long_paths_and_spaces() {
    let pythons = supported_pythons();
    let Some((_, python)) = pythons.first() else { return };
    let ctx = offline();
    let probe = build_probe_wheel(python, &ctx.work);
    let long = ctx.work.join("l".repeat(100)).join("m".repeat(40)).join("env");
    assert!(long.join("bin/python").to_string_lossy().len() > 127);
    let spaced = ctx.work.join("with space").join("my env");
    for env in [&long, &spaced] {
        let out = ctx.run(&["create", "-p", python.to_str().unwrap(), env.to_str().unwrap()]);
        assert_code(&out, 0);
        // The shebang names the final path, never the temporary build directory.
        let script = std::fs::read_to_string(env.join("bin/pip")).unwrap();
        assert!(script.contains(&env.join("bin/python").to_string_lossy().into_owned()), "{script}");
        assert!(!script.contains(".venvoy-"), "{script}");
        check_seeded_env(env, &probe);
    }
}

#[test]
fn seed_flag_chooses_packages_and_without_pip_skips() {
    let Some((_, python)) = supported_pythons().into_iter().find(|(v, _)| bundled_setuptools(v)) else {
        return;
    };
    let ctx = offline();
    let py = python.to_str().unwrap();
    let env = ctx.work.join("both");
    let out = ctx.run(&["create", "-p", py, "--seed", "pip,setuptools", env.to_str().unwrap()]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("Seeded setuptools"), "{}", stderr(&out));
    let list = ok(run_in(&env.join("bin/python"), &["-m", "pip", "list"], None), "pip list");
    assert!(list.contains("setuptools") && list.contains("pip"), "{list}");

    let bare = ctx.work.join("bare");
    let out = ctx.run(&["create", "-p", py, "--no-pip", bare.to_str().unwrap()]);
    assert_code(&out, 0);
    assert!(!site_packages(&bare).join("pip").exists());
    assert!(!stderr(&out).contains("Seeded"));

    let out = ctx.run(&["create", "-p", py, "--seed", "numpy", ctx.work.join("x").to_str().unwrap()]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("`numpy` cannot be seeded"), "{}", stderr(&out));
    assert!(!ctx.work.join("x").exists());
}

/// The pyenv builds before 3.12 ship setuptools in ensurepip.
fn bundled_setuptools(version: &str) -> bool {
    let minor: u32 = version.split('.').nth(1).and_then(|m| m.parse().ok()).unwrap_or(0);
    (8..=11).contains(&minor)
}

#[test]
fn json_and_quiet_and_link_modes() {
    use std::os::unix::fs::MetadataExt;
    let Some((_, python)) = supported_pythons().into_iter().next() else { return };
    let ctx = offline();
    let py = python.to_str().unwrap();
    let env = ctx.work.join("json");
    let out = ctx.run(&["create", "-p", py, "--json", env.to_str().unwrap()]);
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["seeded"][0]["name"], "pip");
    assert_eq!(json["seeded"][0]["origin"], "ensurepip");
    let init = site_packages(&env).join("pip/__init__.py");
    assert!(std::fs::metadata(&init).unwrap().nlink() > 1, "hardlinked from the cache by default");

    let copied = ctx.work.join("copied");
    let out = ctx.run(&["create", "-q", "-p", py, "--link-mode", "copy", copied.to_str().unwrap()]);
    assert_code(&out, 0);
    assert_eq!(stderr(&out), "", "-q prints nothing");
    assert_eq!(std::fs::metadata(site_packages(&copied).join("pip/__init__.py")).unwrap().nlink(), 1);
}

#[test]
fn seed_command_adds_pip_to_an_existing_env() {
    let Some((_, python)) = supported_pythons().into_iter().next() else { return };
    let mut ctx = offline();
    let py = python.to_str().unwrap();
    let env = ctx.work.join(".venv");
    assert_code(&ctx.run(&["create", "-p", py, "--without-pip", env.to_str().unwrap()]), 0);
    assert!(!site_packages(&env).join("pip").exists());

    // No ENV: `.venv` in the current directory.
    let out = ctx.run(&["seed"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("Seeded pip"), "{}", stderr(&out));
    ok(run_in(&env.join("bin/python"), &["-m", "pip", "--version"], None), "pip after seeding");

    // Again, named by path: nothing to do.
    let out = ctx.run(&["seed", "-e", env.to_str().unwrap(), "pip"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("is already installed"), "{}", stderr(&out));

    // `VIRTUAL_ENV` wins over `.venv`.
    let other = ctx.work.join("other");
    assert_code(&ctx.run(&["create", "-p", py, "--without-pip", other.to_str().unwrap()]), 0);
    ctx.env("VIRTUAL_ENV", &other);
    assert_code(&ctx.run(&["seed"]), 0);
    assert!(site_packages(&other).join("pip").is_dir());

    let out = ctx.run(&["seed", "-e", ctx.work.join("nope").to_str().unwrap()]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    let out = ctx.run(&["seed", "-e", ctx.work.to_str().unwrap()]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("is not a venv"), "{}", stderr(&out));
}

/// Two pyenv interpreters whose bundled pips differ, the newer pip supporting the older Python.
fn older_and_newer() -> Option<(PathBuf, PathBuf)> {
    let pythons = supported_pythons();
    let find = |minor: &str| pythons.iter().find(|(v, _)| v.starts_with(minor)).map(|(_, p)| p.clone());
    Some((find("3.12.")?, find("3.13.")?))
}

fn ensurepip_wheel(python: &Path, name: &str) -> PathBuf {
    let out = run_in(
        python,
        &[
            "-I",
            "-c",
            "import ensurepip, os; print(os.path.join(os.path.dirname(ensurepip.__file__), '_bundled'))",
        ],
        None,
    );
    let dir = PathBuf::from(ok(out, "ensurepip dir").trim());
    std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("{name}-")))
        .expect("bundled wheel")
}

#[test]
fn newest_cached_wheel_wins_and_a_tampered_one_is_replaced() {
    let Some((older, newer)) = older_and_newer() else {
        missing("needs Python 3.12 and 3.13");
        return;
    };
    let ctx = offline();
    let newer_pip = ensurepip_wheel(&newer, "pip");
    let cached = put_in_cache(&ctx, &older, &newer_pip, "pip");
    let newer_version = bundled_pip(&newer).unwrap();
    let older_version = bundled_pip(&older).unwrap();

    let env = ctx.work.join("from-cache");
    let out = ctx.run(&["create", "-p", older.to_str().unwrap(), env.to_str().unwrap()]);
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains(&format!("Seeded pip {newer_version} from venvoy's cache")),
        "{}",
        stderr(&out)
    );

    // Change one byte of the cached wheel: its hash no longer matches.
    let mut bytes = std::fs::read(&cached).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&cached, bytes).unwrap();
    let env = ctx.work.join("after-tamper");
    let out = ctx.run(&["create", "-p", older.to_str().unwrap(), env.to_str().unwrap()]);
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains(&format!("Seeded pip {older_version} from the interpreter's ensurepip")),
        "{}",
        stderr(&out)
    );
    assert!(!cached.exists(), "the tampered wheel is removed from the cache");
    ok(run_in(&env.join("bin/python"), &["-m", "pip", "--version"], None), "pip");
}

#[test]
fn zip_slip_wheel_is_refused_and_nothing_is_left() {
    let Some((_, python)) = supported_pythons().into_iter().next() else { return };
    let ctx = offline();
    let evil = ctx.root.path().join("pip-99.0-py3-none-any.whl");
    let script = r#"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("pip/__init__.py", "")
    z.writestr("../../../escaped.txt", "gotcha")
    z.writestr("pip-99.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: pip\nVersion: 99.0\n")
    z.writestr("pip-99.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    z.writestr("pip-99.0.dist-info/RECORD", "")
"#;
    ok(run_in(&python, &["-c", script, evil.to_str().unwrap()], None), "building the evil wheel");
    put_in_cache(&ctx, &python, &evil, "pip");

    let env = ctx.work.join("env");
    let out = ctx.run(&["create", "-p", python.to_str().unwrap(), env.to_str().unwrap()]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("forbidden entry"), "{}", stderr(&out));
    assert!(!env.exists(), "no venv appears");
    let leftovers: Vec<_> = std::fs::read_dir(&ctx.work).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(leftovers.iter().all(|n| !n.to_string_lossy().contains("venvoy")), "{leftovers:?}");
    for dir in [ctx.root.path(), ctx.work.as_path(), ctx.cache.as_path()] {
        assert!(!dir.join("escaped.txt").exists());
    }
}

/// A real interpreter whose ensurepip has no wheels: the pyenv 3.12 binary in
/// a prefix whose stdlib links to the real one, except `ensurepip/_bundled`.
fn python_without_bundled_wheels(root: &Path) -> Option<PathBuf> {
    let real = supported_pythons().into_iter().find(|(v, _)| v.starts_with("3.12."))?.1;
    let prefix = real.parent()?.parent()?;
    let fake = root.join("fake-python");
    let stdlib = fake.join("lib/python3.12");
    std::fs::create_dir_all(fake.join("bin")).ok()?;
    std::fs::create_dir_all(stdlib.join("ensurepip")).ok()?;
    std::fs::copy(&real, fake.join("bin/python3.12")).ok()?;
    for entry in std::fs::read_dir(prefix.join("lib")).ok()?.flatten() {
        if entry.file_name() != "python3.12" {
            std::os::unix::fs::symlink(entry.path(), fake.join("lib").join(entry.file_name())).ok()?;
        }
    }
    for entry in std::fs::read_dir(prefix.join("lib/python3.12")).ok()?.flatten() {
        if entry.file_name() != "ensurepip" {
            std::os::unix::fs::symlink(entry.path(), stdlib.join(entry.file_name())).ok()?;
        }
    }
    for entry in std::fs::read_dir(prefix.join("lib/python3.12/ensurepip")).ok()?.flatten() {
        if entry.file_name() != "_bundled" {
            std::os::unix::fs::symlink(entry.path(), stdlib.join("ensurepip").join(entry.file_name()))
                .ok()?;
        }
    }
    let python = fake.join("bin/python3.12");
    let check = run_in(&python, &["-c", "import ensurepip, sys; print(sys.prefix)"], None);
    (check.status.success() && stdout(&check).trim() == fake.to_string_lossy()).then_some(python)
}

#[test]
fn no_source_fails_before_touching_the_target() {
    let ctx = offline();
    let Some(python) = python_without_bundled_wheels(ctx.root.path()) else {
        missing("cannot build a Python 3.12 prefix without ensurepip wheels");
        return;
    };
    let env = ctx.work.join("env");
    let out = ctx.run(&["create", "-p", python.to_str().unwrap(), env.to_str().unwrap()]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("no wheel of `pip`"), "{err}");
    assert!(
        err.contains("hint:") && err.contains("--without-pip") && err.contains("venvoy cache update"),
        "{err}"
    );
    assert!(!env.exists());
    assert_eq!(std::fs::read_dir(&ctx.work).unwrap().count(), 0, "nothing is left in the parent");

    // An existing empty directory stays as it was.
    std::fs::create_dir(&env).unwrap();
    assert_code(&ctx.run(&["create", "-p", python.to_str().unwrap(), env.to_str().unwrap()]), 2);
    assert_eq!(std::fs::read_dir(&env).unwrap().count(), 0);

    // Without pip it works.
    assert_code(
        &ctx.run(&[
            "create",
            "-p",
            python.to_str().unwrap(),
            "--without-pip",
            "--clear",
            env.to_str().unwrap(),
        ]),
        0,
    );

    // A package ensurepip never ships, offline, with any interpreter: the same refusal.
    let (_, real) = supported_pythons().into_iter().next().unwrap();
    let other = ctx.work.join("other");
    let out =
        ctx.run(&["create", "-p", real.to_str().unwrap(), "--seed", "pip,wheel", other.to_str().unwrap()]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no wheel of `wheel`"), "{}", stderr(&out));
    assert!(!other.exists());
}

#[test]
fn cache_update_without_an_index_fails_with_a_hint() {
    let ctx = offline();
    let out = ctx.run(&["cache", "update"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("cannot fetch `http://127.0.0.1:9/simple/"), "{err}");
    assert!(err.contains("hint:") && err.contains("PIP_INDEX_URL"), "{err}");
    assert!(!ctx.cache.join("wheels/pip").read_dir().is_ok_and(|mut d| d.next().is_some()));

    let out = ctx.run(&["cache", "update", "numpy"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("`numpy` cannot be seeded"), "{}", stderr(&out));
}

/// `unshare` arguments that give a private mount namespace in which `mount`
/// works: plain as root, with a user namespace otherwise.
fn mount_namespace() -> Option<&'static [&'static str]> {
    [&["-m"][..], &["-rm"][..]].into_iter().find(|flags| {
        Command::new("unshare")
            .args(*flags)
            .args(["sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs \"$d\"; r=$?; umount \"$d\" 2>/dev/null; rmdir \"$d\"; exit $r"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn a_full_disk_during_seed_leaves_the_env_as_it_was() {
    let Some(flags) = mount_namespace() else {
        return missing("`unshare` with a mount namespace (root or user namespaces)");
    };
    let ctx = offline();
    let py = supported_pythons().remove(0).1;
    let mnt = ctx.work.join("small");
    let report = ctx.work.join("report");
    std::fs::create_dir_all(&mnt).unwrap();
    std::fs::create_dir_all(&report).unwrap();
    // In a private mount namespace: a 1 MiB tmpfs holds the env but not pip;
    // after the failed seed it is grown and the same seed succeeds.
    let script = r#"
        set -e
        mnt=$1 venvoy=$2 py=$3 out=$4
        mount -t tmpfs -o size=1m tmpfs "$mnt"
        "$venvoy" create --without-pip -p "$py" "$mnt/env" 2>"$out/create.err"
        listing() { (cd "$mnt/env" && find . -printf '%p %y %s %m %l\n' | sort && find . -type f -exec md5sum {} + | sort); }
        listing >"$out/before"
        set +e
        "$venvoy" seed -e "$mnt/env" pip >"$out/seed.out" 2>"$out/seed.err"
        echo $? >"$out/seed.rc"
        set -e
        listing >"$out/after"
        mount -o remount,size=64m "$mnt"
        "$venvoy" seed -e "$mnt/env" pip >"$out/reseed.out" 2>"$out/reseed.err"
        "$mnt/env/bin/python" -m pip --version >"$out/pip.out"
        ls -A "$mnt/env" >"$out/top"
    "#;
    let venvoy = ctx.venvoy();
    let mut cmd = Command::new("unshare");
    cmd.args(flags).args(["sh", "-c", script, "sh"]);
    cmd.arg(&mnt).arg(venvoy.get_program()).arg(&py).arg(&report);
    cmd.env_clear().current_dir(&ctx.work).env("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    ctx.sandbox_env(&mut cmd);
    let out = cmd.output().unwrap();
    let read = |name: &str| std::fs::read_to_string(report.join(name)).unwrap_or_default();
    assert!(
        out.status.success(),
        "{}\n{}\ncreate: {}\nseed: {}\nreseed: {}",
        stdout(&out),
        stderr(&out),
        read("create.err"),
        read("seed.err"),
        read("reseed.err")
    );
    assert_eq!(read("seed.rc").trim(), "2", "seed on a full disk fails: {}", read("seed.err"));
    assert!(read("seed.err").contains("No space left on device"), "{}", read("seed.err"));
    assert!(!read("before").is_empty());
    assert_eq!(read("before"), read("after"), "the env is byte for byte as it was");
    assert!(read("pip.out").starts_with("pip "), "{}", read("pip.out"));
    assert!(!read("top").contains(".venvoy-"), "no stage left: {}", read("top"));
}

/// `create --upgrade-deps`, as `python -m venv --upgrade-deps`: the index's
/// newest pip (an index on 127.0.0.1 serving a newer pip than the
/// interpreter bundles), kept in the cache; offline, the newest in the
/// cache, with a one-line warning saying so.
#[test]
fn create_upgrade_deps_takes_the_newest_pip_from_the_index() {
    let key = |v: &str| v.split('.').map(|p| p.parse::<u64>().unwrap_or(0)).collect::<Vec<_>>();
    let Some(wheel) = require(
        "a pyenv Python with a bundled pip wheel",
        crate::unwritable_home::newest_bundled_pip_wheel(),
    ) else {
        return;
    };
    let newest = wheel.file_name().unwrap().to_str().unwrap().split('-').nth(1).unwrap().to_string();
    let older = cpythons().into_iter().filter(|(v, _)| key(v) >= key("3.8")).find_map(|(_, python)| {
        let bundled = bundled_pip(&python)?;
        (key(&bundled) < key(&newest)).then_some((python, bundled))
    });
    let Some((python, bundled)) =
        require("a CPython 3.8+ bundling an older pip than the newest bundled", older)
    else {
        return;
    };
    let py = python.to_str().unwrap();
    let mut ctx = TestContext::new();
    let (index, _) =
        serve_index(vec![Served { project: "pip", wheel: wheel.clone(), requires_python: None }]);
    ctx.env("PIP_INDEX_URL", index);
    let work = ctx.work.clone();
    let pip_version = |env: &str| ok(run_in(&work.join(env).join("bin/pip"), &["--version"], None), "pip");

    // Without it, the interpreter's own pip: the index is not asked.
    let out = ctx.run(&["create", "-p", py, "plain"]);
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains(&format!("Seeded pip {bundled} from the interpreter's ensurepip")),
        "{}",
        stderr(&out)
    );
    assert!(pip_version("plain").starts_with(&format!("pip {bundled} ")));

    // With it: the index's newest.
    let out = ctx.run(&["create", "-p", py, "--upgrade-deps", "up"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains(&format!("Seeded pip {newest} from ")), "{}", stderr(&out));
    let version = pip_version("up");
    assert!(
        version.starts_with(&format!("pip {newest} from {}", ctx.work.join("up").display())),
        "{version}"
    );

    // Offline (the index unreachable, or `PIP_NO_INDEX`): the newest in the cache, said once.
    ctx.env("PIP_INDEX_URL", CLOSED_INDEX);
    let out = ctx.run(&["create", "-p", py, "--upgrade-deps", "offline"]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_eq!(err.matches("cannot get the newest pip from the index").count(), 1, "{err}");
    assert!(err.contains(&format!("Seeded pip {newest} from venvoy's cache")), "{err}");
    assert!(pip_version("offline").starts_with(&format!("pip {newest} ")));
    ctx.env("PIP_NO_INDEX", "1");
    let out = ctx.run(&["create", "-p", py, "--upgrade-deps", "no-index"]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("`PIP_NO_INDEX` is set")
            && err.contains(&format!("Seeded pip {newest} from venvoy's cache")),
        "{err}"
    );
}

#[test]
fn seed_in_a_directory_whose_name_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let ctx = offline();
    let py = supported_pythons().remove(0).1;
    let dir = ctx.work.join(std::ffi::OsStr::from_bytes(b"caf\xe9 \xff%'dir"));
    std::fs::create_dir_all(&dir).unwrap();
    let env = dir.join("env");
    // `venvoy create` refuses such a path (shells other than POSIX ones could
    // not activate it); an env made there by another tool is still seeded.
    ok(Command::new(&py).args(["-m", "venv", "--without-pip"]).arg(&env).output().unwrap(), "venv");
    // ENV is read as text (`-e` takes UTF-8): named from inside the directory.
    let out = ctx.venvoy().current_dir(&dir).args(["seed", "-e", "./env"]).output().unwrap();
    assert_code(&out, 0);
    assert!(stderr(&out).contains("Seeded pip "), "{}", stderr(&out));
    // The launcher names the env's interpreter byte for byte, and runs.
    let pip = run_in(&env.join("bin/pip"), &["--version"], None);
    assert!(pip.status.success(), "{}", stderr(&pip));
    // pip runs from the env's own site-packages, whose path it prints as bytes.
    let expected = env.join("lib").as_os_str().as_bytes().to_vec();
    assert!(pip.stdout.windows(expected.len()).any(|w| w == expected.as_slice()), "{}", stdout(&pip));
    let header = std::fs::read(env.join("bin/pip")).unwrap();
    assert!(std::str::from_utf8(&header).is_ok(), "the script stays UTF-8 text for Python");
    ok(run_in(&env.join("bin/python"), &["-m", "pip", "--version"], None), "python -m pip");
    let out = ctx.venvoy().current_dir(&dir).args(["doctor", "./env"]).output().unwrap();
    assert_code(&out, 0);
}
