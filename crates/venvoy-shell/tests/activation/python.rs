//! `activate_this.py`, run inside a running interpreter.

use crate::support::*;

const DRIVER: &str = r#"import os, runpy, sys
out = sys.stdout.buffer
def rec(key, value):
    out.write(key.encode() + b"=" + (value if isinstance(value, bytes) else os.fsencode(value)) + b"\0")
rec("before_PATH", os.environ["PATH"])
runpy.run_path(sys.argv[1])
rec("VE", os.environ["VIRTUAL_ENV"])
rec("VEP", os.environ["VIRTUAL_ENV_PROMPT"])
rec("PATH", os.environ["PATH"])
rec("PYTHONHOME", os.environ.get("PYTHONHOME", "unset"))
rec("prefix", sys.prefix)
import venvoy_marker
rec("marker", venvoy_marker.__file__)
"#;

fn check_env(python: &std::path::Path, env: &TestEnv, prompt: &str) {
    let ctx = format!("python env {:?} prompt {prompt:?}", env.env_dir);
    let site = std::fs::read_dir(env.env_dir.join("lib"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
        .join("site-packages");
    std::fs::write(site.join("venvoy_marker.py"), "").unwrap();
    let mut cmd = shell_command(python, &env.work);
    cmd.arg("-c").arg(DRIVER).arg(env.bin().join("activate_this.py")).env("PYTHONHOME", "/usr");
    let r = Records::parse(&run(&mut cmd));
    assert_eq!(r.get("VE"), bytes(&env.env_dir), "{ctx}");
    assert_eq!(r.get("VEP"), prompt.as_bytes(), "{ctx}");
    assert_eq!(r.get("PATH"), prepended(&env.bin(), r.get("before_PATH")), "{ctx}");
    assert_eq!(r.str("PYTHONHOME"), "unset", "{ctx}");
    assert_eq!(r.get("prefix"), bytes(&env.env_dir), "{ctx}");
    assert_eq!(r.get("marker"), bytes(&site.join("venvoy_marker.py")), "{ctx}");
    env.assert_nothing_ran();
}

#[test]
fn matrix_activate_this() {
    let python = real_python();
    for name in HOSTILE {
        check_env(&python, &TestEnv::new(name, "plain"), "plain");
        check_env(&python, &TestEnv::new("env", name), name);
    }
    let env = TestEnv::with("first", "p", true);
    let moved = env.root.path().join("moved");
    std::fs::rename(&env.env_dir, &moved).unwrap();
    let moved_env = TestEnv { env_dir: moved, ..env };
    check_env(&python, &moved_env, "p");
}

/// PyPy keeps site-packages in `lib/pypy3.X`: `activate_this.py` finds it there.
#[test]
fn activate_this_on_pypy() {
    let Some(pypy) = pypy() else { return };
    for name in ["plain", "with space"] {
        let root = tempfile::Builder::new().prefix("venvoy-shell-").tempdir().unwrap();
        let work = root.path().join("work");
        std::fs::create_dir(&work).unwrap();
        let env_dir = root.path().join(name);
        make_venv_of(&env_dir, &pypy);
        write_scripts(&env_dir, "pp", false);
        check_env(&pypy, &TestEnv { root, env_dir, work }, "pp");
    }
}
