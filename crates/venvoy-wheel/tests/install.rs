//! Installing small generated wheels into temporary environments.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use common::{WheelBuilder, check_record, raw_zip, scheme, target, tree};
use venvoy_wheel::{InstallError, LinkMode, TargetPython, WheelCache, install_wheel};

const PYTHON: &str = "/usr/bin/python3";

fn demo() -> WheelBuilder {
    WheelBuilder::new("demo_pkg", "1.0")
        .file("demo_pkg/__init__.py", "VALUE = 42\n")
        .file("demo_pkg/cli.py", "def main():\n    print('demo says hi')\n    return 0\n")
}

#[test]
fn pure_python_package() {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = demo().build(tmp.path());
    let env = tmp.path().join("env");
    let cache = WheelCache::new(tmp.path().join("cache"));
    let s = scheme(&env, Path::new(PYTHON));
    let done = install_wheel(&wheel, &s, &target(), &cache, LinkMode::Hardlink, true).unwrap();
    assert!(done.unpacked);
    assert_eq!(done.name, "demo_pkg");
    assert_eq!(done.dist_info, s.purelib.join("demo_pkg-1.0.dist-info"));
    assert_eq!(std::fs::read_to_string(s.purelib.join("demo_pkg/__init__.py")).unwrap(), "VALUE = 42\n");
    assert_eq!(std::fs::read_to_string(done.dist_info.join("INSTALLER")).unwrap(), "venvoy\n");
    assert!(done.dist_info.join("REQUESTED").is_file());
    let mut record = check_record(&done.dist_info, &env);
    record.sort();
    assert_eq!(
        record,
        [
            "demo_pkg-1.0.dist-info/INSTALLER",
            "demo_pkg-1.0.dist-info/METADATA",
            "demo_pkg-1.0.dist-info/RECORD",
            "demo_pkg-1.0.dist-info/REQUESTED",
            "demo_pkg-1.0.dist-info/WHEEL",
            "demo_pkg/__init__.py",
            "demo_pkg/cli.py",
        ]
    );
    assert_eq!(done.hardlinked, 4);

    // Not requested: no REQUESTED file.
    let env2 = tmp.path().join("env2");
    let s2 = scheme(&env2, Path::new(PYTHON));
    let done2 = install_wheel(&wheel, &s2, &target(), &cache, LinkMode::Copy, false).unwrap();
    assert!(!done2.unpacked);
    assert!(!done2.dist_info.join("REQUESTED").exists());
    assert_eq!(done2.hardlinked, 0);
    check_record(&done2.dist_info, &env2);
}

#[test]
fn console_and_gui_scripts() {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = demo()
        .entry_points(
            "[console_scripts]\ndemo = demo_pkg.cli:main\n\n[gui_scripts]\ndemo-gui = demo_pkg.cli:main\n",
        )
        .build(tmp.path());
    let env = tmp.path().join("env");
    let s = scheme(&env, Path::new(PYTHON));
    let cache = WheelCache::new(tmp.path().join("cache"));
    let done = install_wheel(&wheel, &s, &target(), &cache, LinkMode::Hardlink, true).unwrap();
    assert_eq!(done.scripts, [env.join("bin/demo"), env.join("bin/demo-gui")]);
    let script = env.join("bin/demo");
    let text = std::fs::read_to_string(&script).unwrap();
    assert!(text.starts_with("#!/usr/bin/python3\n"), "{text}");
    assert_eq!(std::fs::metadata(&script).unwrap().permissions().mode() & 0o777, 0o755);
    let record = check_record(&done.dist_info, &env);
    assert!(record.contains(&"../../../bin/demo".to_owned()), "{record:?}");
    assert!(record.contains(&"../../../bin/demo-gui".to_owned()));

    let out = Command::new(&script).env("PYTHONPATH", &s.purelib).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "demo says hi\n");
}

#[test]
fn data_directories() {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = WheelBuilder::new("datapkg", "2.0")
        .file("datapkg/__init__.py", "")
        .executable("datapkg-2.0.data/scripts/run-me", "#!python\nimport sys\nprint('ran', sys.argv[1])\n")
        .file("datapkg-2.0.data/scripts/plain.sh", "#!/bin/sh\necho plain\n")
        .file("datapkg-2.0.data/purelib/datapkg_extra/mod.py", "X = 1\n")
        .file("datapkg-2.0.data/platlib/datapkg_native/lib.py", "Y = 2\n")
        .file("datapkg-2.0.data/data/share/datapkg/info.txt", "data\n")
        .file("datapkg-2.0.data/headers/datapkg.h", "/* h */\n")
        .build(tmp.path());
    let env = tmp.path().join("env");
    let s = scheme(&env, Path::new(PYTHON));
    let cache = WheelCache::new(tmp.path().join("cache"));
    let done = install_wheel(&wheel, &s, &target(), &cache, LinkMode::Hardlink, false).unwrap();

    let run_me = env.join("bin/run-me");
    let text = std::fs::read_to_string(&run_me).unwrap();
    assert_eq!(text, "#!/usr/bin/python3\nimport sys\nprint('ran', sys.argv[1])\n");
    assert_eq!(std::fs::metadata(&run_me).unwrap().permissions().mode() & 0o777, 0o755);
    let out = Command::new(&run_me).arg("ok").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ran ok\n");
    assert_eq!(std::fs::read_to_string(env.join("bin/plain.sh")).unwrap(), "#!/bin/sh\necho plain\n");
    assert!(s.purelib.join("datapkg_extra/mod.py").is_file());
    assert!(s.platlib.join("datapkg_native/lib.py").is_file());
    assert!(env.join("share/datapkg/info.txt").is_file());
    assert!(env.join("include/site/python3.11/datapkg/datapkg.h").is_file());
    assert!(!s.purelib.join("datapkg-2.0.data").exists());
    let record = check_record(&done.dist_info, &env);
    assert!(record.contains(&"../../../share/datapkg/info.txt".to_owned()), "{record:?}");
    assert!(record.contains(&"../../../bin/run-me".to_owned()));
}

#[test]
fn shebang_with_spaces_and_long_paths_uses_bin_sh() {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = demo().entry_points("[console_scripts]\ndemo = demo_pkg.cli:main\n").build(tmp.path());
    let long = format!("very long {}", "x".repeat(130));
    let weird = "it's a \"$(echo weird)\" `env` $HOME ''' x";
    for (i, dir) in ["my env", long.as_str(), weird].into_iter().enumerate() {
        let env = tmp.path().join(dir).join(format!("e{i}"));
        std::fs::create_dir_all(env.join("bin")).unwrap();
        let python = env.join("bin/python");
        std::os::unix::fs::symlink(PYTHON, &python).unwrap();
        let s = scheme(&env, &python);
        let cache = WheelCache::new(tmp.path().join("cache"));
        install_wheel(&wheel, &s, &target(), &cache, LinkMode::Hardlink, true).unwrap();
        let script = env.join("bin/demo");
        let text = std::fs::read_to_string(&script).unwrap();
        assert!(text.starts_with("#!/bin/sh\n'''exec' '"), "{text}");
        let out = Command::new(&script).env("PYTHONPATH", &s.purelib).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "demo says hi\n");
    }
}

fn expect_forbidden(members: &[(&str, &str)]) {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = tmp.path().join("evil-1.0-py3-none-any.whl");
    raw_zip(&wheel, members);
    let env = tmp.path().join("a/b/env");
    let s = scheme(&env, Path::new(PYTHON));
    let cache = WheelCache::new(tmp.path().join("a/b/cache"));
    let err = install_wheel(&wheel, &s, &target(), &cache, LinkMode::Hardlink, true).unwrap_err();
    assert!(matches!(err, InstallError::ForbiddenEntry { .. }), "{err:?}");
    assert!(err.to_string().contains("evil-1.0-py3-none-any.whl"), "{err}");
    assert!(tree(&env).is_empty());
    assert!(!tmp.path().join("a/b/evil").exists());
    assert!(!tmp.path().join("a/evil").exists());
    let images = tree(&tmp.path().join("a/b/cache/images"));
    assert!(images.is_empty(), "{images:?}");
}

#[test]
fn zip_slip_is_refused() {
    expect_forbidden(&[("evil/__init__.py", ""), ("../evil", "pwned")]);
    expect_forbidden(&[("evil/../../../evil", "pwned")]);
    expect_forbidden(&[("/tmp/venvoy-test-evil", "pwned")]);
    expect_forbidden(&[("evil\\..\\..\\evil", "pwned")]);
    expect_forbidden(&[("evil/x.py", ""), ("evil/x.py/", "")]);
}

#[test]
fn record_mismatches_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = WheelCache::new(tmp.path().join("cache"));
    let env = tmp.path().join("env");
    let s = scheme(&env, Path::new(PYTHON));

    let tampered = demo().tamper("demo_pkg/cli.py").build(tmp.path());
    let err = install_wheel(&tampered, &s, &target(), &cache, LinkMode::Hardlink, true).unwrap_err();
    assert!(
        matches!(&err, InstallError::RecordMismatch { entry, .. } if entry == "demo_pkg/cli.py"),
        "{err:?}"
    );

    std::fs::remove_file(&tampered).unwrap();
    let sneaky = demo().unrecorded("demo_pkg/backdoor.py", "import os\n").build(tmp.path());
    let err = install_wheel(&sneaky, &s, &target(), &cache, LinkMode::Hardlink, true).unwrap_err();
    assert!(
        matches!(&err, InstallError::NotInRecord { entry, .. } if entry == "demo_pkg/backdoor.py"),
        "{err:?}"
    );
    assert!(tree(&env).is_empty());
}

#[test]
fn wheels_cannot_replace_the_interpreter() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = WheelCache::new(tmp.path().join("cache"));
    let env = tmp.path().join("env");
    let s = scheme(&env, Path::new(PYTHON));
    let by_entry_point =
        demo().entry_points("[console_scripts]\npython3 = demo_pkg.cli:main\n").build(tmp.path());
    let err = install_wheel(&by_entry_point, &s, &target(), &cache, LinkMode::Hardlink, true).unwrap_err();
    assert!(err.to_string().contains("python3"), "{err}");
    std::fs::remove_file(&by_entry_point).unwrap();
    let by_data = demo().executable("demo_pkg-1.0.data/scripts/activate", "echo pwned\n").build(tmp.path());
    let err = install_wheel(&by_data, &s, &target(), &cache, LinkMode::Hardlink, true).unwrap_err();
    assert!(err.to_string().contains("activate"), "{err}");
    assert!(tree(&env).is_empty());
}

#[test]
fn incompatible_tags_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = WheelCache::new(tmp.path().join("cache"));
    let env = tmp.path().join("env");
    let s = scheme(&env, Path::new(PYTHON));
    for tag in ["cp312-cp312-manylinux_2_17_x86_64", "py2-none-any", "cp311-cp311-win_amd64"] {
        let wheel = demo().tag(tag).build(tmp.path());
        let err = install_wheel(&wheel, &s, &target(), &cache, LinkMode::Hardlink, true).unwrap_err();
        assert!(matches!(err, InstallError::Incompatible { .. }), "{tag}: {err:?}");
        assert!(err.to_string().contains(tag), "{err}");
    }
    let native = demo().tag("cp311-cp311-manylinux_2_17_x86_64").build(tmp.path());
    let platforms = ["manylinux_2_36_x86_64", "manylinux_2_17_x86_64", "linux_x86_64"];
    let glibc = TargetPython::cpython(3, 11, platforms.map(String::from).to_vec());
    install_wheel(&native, &s, &glibc, &cache, LinkMode::Hardlink, true).unwrap();
    assert!(s.purelib.join("demo_pkg/__init__.py").is_file());
}

#[test]
fn two_envs_share_inodes_but_copies_do_not() {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = demo().build(tmp.path());
    let cache = WheelCache::new(tmp.path().join("cache"));
    let ino = |env: &Path| {
        std::fs::metadata(env.join("lib/python3.11/site-packages/demo_pkg/cli.py")).unwrap().ino()
    };
    let mut inodes = Vec::new();
    for (name, mode) in
        [("a", LinkMode::Hardlink), ("b", LinkMode::Hardlink), ("c", LinkMode::Copy), ("d", LinkMode::Clone)]
    {
        let env = tmp.path().join(name);
        install_wheel(&wheel, &scheme(&env, Path::new(PYTHON)), &target(), &cache, mode, true).unwrap();
        inodes.push(ino(&env));
    }
    assert_eq!(inodes[0], inodes[1]);
    assert_ne!(inodes[0], inodes[2]);
    assert_ne!(inodes[0], inodes[3]);
    // RECORD and INSTALLER are written per env, never shared.
    let record = |env: &str| {
        std::fs::metadata(
            tmp.path().join(env).join("lib/python3.11/site-packages/demo_pkg-1.0.dist-info/RECORD"),
        )
        .unwrap()
        .ino()
    };
    assert_ne!(record("a"), record("b"));
}

#[test]
fn reinstall_replaces_files_without_touching_other_envs() {
    // The pip way of changing an installed file: unlink, then write.
    let tmp = tempfile::tempdir().unwrap();
    let wheel = demo().build(tmp.path());
    let cache = WheelCache::new(tmp.path().join("cache"));
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for env in [&a, &b] {
        install_wheel(&wheel, &scheme(env, Path::new(PYTHON)), &target(), &cache, LinkMode::Hardlink, true)
            .unwrap();
    }
    let file_a = a.join("lib/python3.11/site-packages/demo_pkg/__init__.py");
    std::fs::remove_file(&file_a).unwrap();
    std::fs::write(&file_a, "VALUE = 'changed'\n").unwrap();
    let v2 = WheelBuilder::new("demo_pkg", "1.0")
        .tag("py2.py3-none-any")
        .file("demo_pkg/__init__.py", "VALUE = 2\n")
        .file("demo_pkg/cli.py", "")
        .build(tmp.path());
    install_wheel(&v2, &scheme(&a, Path::new(PYTHON)), &target(), &cache, LinkMode::Hardlink, true).unwrap();
    assert_eq!(std::fs::read_to_string(&file_a).unwrap(), "VALUE = 2\n");
    let file_b = b.join("lib/python3.11/site-packages/demo_pkg/__init__.py");
    assert_eq!(std::fs::read_to_string(file_b).unwrap(), "VALUE = 42\n");
}

#[test]
fn corrupt_cache_entry_is_detected_and_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = demo().build(tmp.path());
    let cache = WheelCache::new(tmp.path().join("cache"));
    let a = tmp.path().join("a");
    install_wheel(&wheel, &scheme(&a, Path::new(PYTHON)), &target(), &cache, LinkMode::Hardlink, true)
        .unwrap();

    // An in-place edit through a hardlink changes the cache image too.
    let shared = a.join("lib/python3.11/site-packages/demo_pkg/__init__.py");
    std::fs::OpenOptions::new().append(true).open(&shared).unwrap();
    std::fs::write(&shared, "VALUE = 'edited in place'\n").unwrap();

    let b = tmp.path().join("b");
    let done =
        install_wheel(&wheel, &scheme(&b, Path::new(PYTHON)), &target(), &cache, LinkMode::Hardlink, true)
            .unwrap();
    assert!(done.unpacked, "the corrupt image should have been rebuilt");
    let installed = b.join("lib/python3.11/site-packages/demo_pkg/__init__.py");
    assert_eq!(std::fs::read_to_string(&installed).unwrap(), "VALUE = 42\n");
    check_record(&done.dist_info, &b);

    // A damaged manifest is also rebuilt.
    let images = cache.root().join("images");
    let key = std::fs::read_dir(&images)
        .unwrap()
        .flatten()
        .find(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .unwrap()
        .path();
    std::fs::write(key.join("manifest.json"), "{ not json").unwrap();
    let c = tmp.path().join("c");
    let done =
        install_wheel(&wheel, &scheme(&c, Path::new(PYTHON)), &target(), &cache, LinkMode::Hardlink, true)
            .unwrap();
    assert!(done.unpacked);
    // Nothing but the image and its lock is left in the cache.
    let leftovers: Vec<_> = std::fs::read_dir(&images).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn abandoned_staging_directories_are_cleaned_up() {
    use sha2::{Digest, Sha256};
    let tmp = tempfile::tempdir().unwrap();
    let wheel = demo().build(tmp.path());
    let key: String =
        Sha256::digest(std::fs::read(&wheel).unwrap()).iter().map(|b| format!("{b:02x}")).collect();
    let images = tmp.path().join("cache/images");
    let abandoned = images.join(format!(".tmp-{key}-killed"));
    std::fs::create_dir_all(abandoned.join("files/demo_pkg")).unwrap();
    std::fs::write(abandoned.join("files/demo_pkg/__init__.py"), "half").unwrap();
    let cache = WheelCache::new(tmp.path().join("cache"));
    install_wheel(
        &wheel,
        &scheme(&tmp.path().join("env"), Path::new(PYTHON)),
        &target(),
        &cache,
        LinkMode::Hardlink,
        true,
    )
    .unwrap();
    let names: Vec<_> = std::fs::read_dir(&images).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(names, [std::ffi::OsString::from(&key)]);
}

#[test]
fn hardlinks_across_file_systems_fall_back_to_copies() {
    // /dev/shm is a tmpfs on Linux, so a cache there is on another file system.
    let Ok(shm) = tempfile::tempdir_in("/dev/shm") else { return };
    let tmp = tempfile::tempdir().unwrap();
    if std::fs::metadata(shm.path()).unwrap().dev() == std::fs::metadata(tmp.path()).unwrap().dev() {
        return;
    }
    let wheel = demo().build(tmp.path());
    let cache = WheelCache::new(shm.path().join("cache"));
    let env = tmp.path().join("env");
    let done =
        install_wheel(&wheel, &scheme(&env, Path::new(PYTHON)), &target(), &cache, LinkMode::Hardlink, true)
            .unwrap();
    assert_eq!(done.hardlinked, 0);
    assert!(done.copied >= 4);
    check_record(&done.dist_info, &env);
}

#[test]
fn failed_install_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = demo()
        .entry_points("[console_scripts]\nok = demo_pkg.cli:main\nbroken = demo_pkg.cli\n")
        .build(tmp.path());
    let env = tmp.path().join("env");
    let cache = WheelCache::new(tmp.path().join("cache"));
    let err =
        install_wheel(&wheel, &scheme(&env, Path::new(PYTHON)), &target(), &cache, LinkMode::Hardlink, true)
            .unwrap_err();
    assert!(matches!(err, InstallError::InvalidWheel { .. }), "{err:?}");
    assert_eq!(tree(&env), Vec::<String>::new());
    let left: Vec<_> =
        std::fs::read_dir(&env).map(|d| d.map(|e| e.unwrap().path()).collect()).unwrap_or_default();
    assert!(left.is_empty(), "no stage remains: {left:?}");
}

#[test]
fn a_conflict_found_at_commit_leaves_the_env_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = demo()
        .entry_points(
            "[console_scripts]
demo = demo_pkg.cli:main
",
        )
        .build(tmp.path());
    let env = tmp.path().join("env");
    let s = scheme(&env, Path::new(PYTHON));
    // An old file that would be replaced, and a directory where a file goes.
    std::fs::create_dir_all(s.purelib.join("demo_pkg/cli.py")).unwrap();
    std::fs::write(s.purelib.join("demo_pkg/cli.py/keep"), "mine").unwrap();
    std::fs::write(s.purelib.join("demo_pkg/__init__.py"), "OLD = 1\n").unwrap();
    let before = tree(&env);
    let cache = WheelCache::new(tmp.path().join("cache"));
    let err = install_wheel(&wheel, &s, &target(), &cache, LinkMode::Hardlink, true).unwrap_err();
    assert!(err.to_string().contains("cannot move the installed files into"), "{err}");
    assert_eq!(tree(&env), before, "nothing moved in");
    assert_eq!(std::fs::read_to_string(s.purelib.join("demo_pkg/__init__.py")).unwrap(), "OLD = 1\n");
    let hidden: Vec<_> = std::fs::read_dir(&env)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "no stage remains: {hidden:?}");
}

#[test]
fn concurrent_installs_share_one_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = demo().entry_points("[console_scripts]\ndemo = demo_pkg.cli:main\n").build(tmp.path());
    let cache = WheelCache::new(tmp.path().join("cache"));
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (wheel, cache, env) = (&wheel, &cache, tmp.path().join(format!("env{i}")));
                scope.spawn(move || {
                    let s = scheme(&env, Path::new(PYTHON));
                    install_wheel(wheel, &s, &target(), cache, LinkMode::Hardlink, true).map(|d| (env, d))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut unpacked = 0;
    for result in results {
        let (env, done) = result.unwrap();
        unpacked += usize::from(done.unpacked);
        check_record(&done.dist_info, &env);
    }
    assert_eq!(unpacked, 1, "exactly one thread should unpack");
}

/// Run by [`concurrent_processes_share_one_cache`] in child processes; a no-op otherwise.
#[test]
fn child_process_install() {
    let (Ok(wheel), Ok(cache), Ok(env)) = (
        std::env::var("VENVOY_TEST_WHEEL"),
        std::env::var("VENVOY_TEST_CACHE"),
        std::env::var("VENVOY_TEST_ENV"),
    ) else {
        return;
    };
    let env = Path::new(&env);
    let done = install_wheel(
        Path::new(&wheel),
        &scheme(env, Path::new(PYTHON)),
        &target(),
        &WheelCache::new(cache),
        LinkMode::Hardlink,
        true,
    )
    .unwrap();
    check_record(&done.dist_info, env);
}

#[test]
fn concurrent_processes_share_one_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = demo().entry_points("[console_scripts]\ndemo = demo_pkg.cli:main\n").build(tmp.path());
    let cache = tmp.path().join("cache");
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..6)
        .map(|i| {
            Command::new(&exe)
                .args(["--exact", "child_process_install", "--test-threads", "1"])
                .env("VENVOY_TEST_WHEEL", &wheel)
                .env("VENVOY_TEST_CACHE", &cache)
                .env("VENVOY_TEST_ENV", tmp.path().join(format!("env{i}")))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
    for i in 0..6 {
        assert!(tmp.path().join(format!("env{i}/bin/demo")).is_file());
    }
    let images: Vec<_> =
        std::fs::read_dir(cache.join("images")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(images.len(), 1, "{images:?}");
}
