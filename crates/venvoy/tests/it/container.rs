//! What a multi-stage Dockerfile's `COPY --from=build` does to an env, done
//! with `cp -a` (docs/docker.md): an env with pip, a console script and a
//! compiled extension module is made at one prefix (the build stage), copied
//! to another, and the original is taken away (the final image does not hold
//! the build stage). A relocatable env runs as it is; a plain one runs after
//! `venvoy doctor --fix` at its new place, or when `venvoy move` put it at its
//! final path before the copy.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::clone::ok;
use crate::common::{TestContext, assert_code, missing, stderr, stdout, supported_pythons};

/// A C extension module, `demo._speedup.add(a, b)`.
const SPEEDUP_C: &str = r#"
#define PY_SSIZE_T_CLEAN
#include <Python.h>
static PyObject *add(PyObject *self, PyObject *args) {
    long a, b;
    if (!PyArg_ParseTuple(args, "ll", &a, &b)) return NULL;
    return PyLong_FromLong(a + b);
}
static PyMethodDef methods[] = {{"add", add, METH_VARARGS, "a + b"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_speedup", NULL, -1, methods};
PyMODINIT_FUNC PyInit__speedup(void) { return PyModule_Create(&module); }
"#;

/// Packs `demo` (the compiled `_speedup`, and `demo.cli:main` as the console
/// script `demo-hello`) into a platform wheel: argv = out dir, the `.so`.
const PACK_WHEEL: &str = r#"
import base64, hashlib, sys, sysconfig, zipfile
out, so = sys.argv[1], sys.argv[2]
py = "cp%d%d" % sys.version_info[:2]
tag = "%s-%s-%s" % (py, py, sysconfig.get_platform().replace("-", "_").replace(".", "_"))
dist = "demo-1.0.dist-info"
cli = (
    "import sys\nfrom demo import _speedup\n"
    "def main():\n    print(sys.executable)\n    print(sys.prefix)\n    print(_speedup.add(2, 3))\n"
)
files = {
    "demo/__init__.py": b"",
    "demo/cli.py": cli.encode(),
    "demo/_speedup" + sysconfig.get_config_var("EXT_SUFFIX"): open(so, "rb").read(),
    dist + "/METADATA": b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
    dist + "/WHEEL": ("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\nTag: %s\n" % tag).encode(),
    dist + "/entry_points.txt": b"[console_scripts]\ndemo-hello = demo.cli:main\n",
}
path = "%s/demo-1.0-%s.whl" % (out, tag)
record = []
with zipfile.ZipFile(path, "w") as z:
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (name, digest, len(data)))
        z.writestr(name, data)
    record.append(dist + "/RECORD,,")
    z.writestr(dist + "/RECORD", "\n".join(record) + "\n")
print(path)
"#;

/// CPython 3.12 (pyenv's, with its headers), and a C compiler; `None` (a
/// visible skip) when this machine lacks one, a failure under CI.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let python = supported_pythons().into_iter().find(|(v, _)| v.starts_with("3.12.")).map(|(_, p)| p);
    let cc = std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).map(|d| d.join("cc")).find(|p| p.is_file()));
    match (python, cc) {
        (Some(python), Some(cc)) => Some((python, cc)),
        (python, _) => {
            missing(if python.is_none() {
                "a pyenv CPython 3.12 (with its headers)"
            } else {
                "a C compiler (`cc`)"
            });
            None
        }
    }
}

/// Compile `_speedup` against `python`'s headers and pack the `demo` wheel.
fn demo_wheel(python: &Path, cc: &Path, dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let include =
        ok(Command::new(python).args(["-c", "import sysconfig; print(sysconfig.get_paths()['include'])"]));
    std::fs::write(dir.join("speedup.c"), SPEEDUP_C).unwrap();
    let so = dir.join("_speedup.so");
    ok(Command::new(cc)
        .args(["-shared", "-fPIC", "-O1", "-I"])
        .arg(stdout(&include).trim())
        .arg(dir.join("speedup.c"))
        .arg("-o")
        .arg(&so));
    let out = ok(Command::new(python).args(["-c", PACK_WHEEL]).arg(dir).arg(&so));
    PathBuf::from(stdout(&out).trim())
}

/// The build stage: `venvoy create` (with pip) at `env`, then pip installs
/// the demo wheel, offline.
fn build_stage(ctx: &TestContext, python: &Path, wheel: &Path, env: &Path, create_args: &[&str]) {
    std::fs::create_dir_all(env.parent().unwrap()).unwrap();
    let out = ctx.venvoy().arg("create").args(create_args).arg(env).arg("-p").arg(python).output().unwrap();
    assert_code(&out, 0);
    ok(Command::new(env.join("bin/pip"))
        .args(["install", "-q", "--no-index", "--disable-pip-version-check"])
        .arg(wheel)
        .env_remove("VIRTUAL_ENV"));
}

/// `COPY --from=build SRC DEST`: `cp -a`, then the build stage is gone.
fn copy_and_drop_build(src: &Path, dest: &Path, build_root: &Path) {
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    ok(Command::new("cp").arg("-a").arg(src).arg(dest));
    std::fs::rename(build_root, build_root.with_extension("gone")).unwrap();
}

/// Everything the final image runs works at `env` and names only `env`.
#[track_caller]
fn assert_runs_at(env: &Path) {
    let hello =
        ok(Command::new(env.join("bin/demo-hello")).env_remove("VIRTUAL_ENV").env_remove("PYTHONHOME"));
    let text = stdout(&hello);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        Path::new(lines[0]).starts_with(env.join("bin")),
        "demo-hello ran {}, not {}",
        lines[0],
        env.display()
    );
    assert_eq!(Path::new(lines[1]), env, "sys.prefix");
    assert_eq!(lines[2], "5", "the compiled module's answer");

    let pip = ok(Command::new(env.join("bin/pip")).args(["--version"]).env_remove("VIRTUAL_ENV"));
    assert!(stdout(&pip).contains(&*env.to_string_lossy()), "{}", stdout(&pip));
    let list = ok(Command::new(env.join("bin/python"))
        .args(["-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"])
        .env_remove("VIRTUAL_ENV"));
    assert!(stdout(&list).lines().any(|l| l == "demo==1.0"), "{}", stdout(&list));

    let activated = ok(Command::new("bash")
        .args([
            "-c",
            ". \"$1/bin/activate\" && printf '%s\\n' \"$VIRTUAL_ENV\" && command -v demo-hello",
            "_",
        ])
        .arg(env)
        .env_remove("VIRTUAL_ENV"));
    let activated = stdout(&activated);
    assert_eq!(
        activated.lines().collect::<Vec<_>>(),
        [env.to_str().unwrap(), env.join("bin/demo-hello").to_str().unwrap()]
    );
}

#[test]
fn relocatable_env_runs_as_is_after_the_copy() {
    let Some((python, cc)) = tools() else { return };
    let ctx = TestContext::new();
    let wheel = demo_wheel(&python, &cc, &ctx.root.path().join("wheel"));
    let build = ctx.root.path().join("build");
    let env = build.join("app/.venv");
    // docs/docker.md: create --relocatable, install, then `venvoy relocatable`
    // again for the scripts pip wrote with absolute shebangs.
    build_stage(&ctx, &python, &wheel, &env, &["--relocatable"]);
    let script = std::fs::read_to_string(env.join("bin/demo-hello")).unwrap();
    let shebang = format!("#!{}", env.join("bin/python").display());
    assert!(script.starts_with(&shebang), "pip wrote an absolute shebang:\n{script}");
    let out = ctx.venvoy().arg("relocatable").arg(&env).output().unwrap();
    assert_code(&out, 0);
    let script = std::fs::read_to_string(env.join("bin/demo-hello")).unwrap();
    assert!(!script.contains(&*env.to_string_lossy()), "still names the build path:\n{script}");

    let fin = ctx.root.path().join("image/srv/app/.venv");
    copy_and_drop_build(&env, &fin, &build);
    assert_runs_at(&fin);
    let doctor = ctx.venvoy().arg("doctor").arg(&fin).output().unwrap();
    assert_code(&doctor, 0);
}

#[test]
fn plain_env_runs_after_doctor_fix_or_move() {
    let Some((python, cc)) = tools() else { return };
    let ctx = TestContext::new();
    let wheel = demo_wheel(&python, &cc, &ctx.root.path().join("wheel"));

    // Copied as it is: it still names the build stage's path and fails,
    // until `venvoy doctor --fix` at the new place.
    let build = ctx.root.path().join("build");
    let env = build.join("app/.venv");
    build_stage(&ctx, &python, &wheel, &env, &[]);
    let fin = ctx.root.path().join("image/srv/app/.venv");
    copy_and_drop_build(&env, &fin, &build);
    // Its shebang names the build stage's interpreter, which is gone: exec fails.
    assert!(fin.join("bin/demo-hello").is_file());
    let broken = Command::new(fin.join("bin/demo-hello")).env_remove("VIRTUAL_ENV").output();
    assert!(
        broken.is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound),
        "a plain env must not run from a new prefix before the fix"
    );
    let doctor = ctx.venvoy().arg("doctor").arg(&fin).output().unwrap();
    assert_code(&doctor, 1);
    assert!(stdout(&doctor).contains("[moved]"), "{}", stdout(&doctor));
    let fix = ctx.venvoy().args(["doctor", "--fix"]).arg(&fin).output().unwrap();
    assert_code(&fix, 0);
    assert_runs_at(&fin);

    // Moved by `venvoy move` to its final path in the build stage, then
    // copied to that same path (here: out and back in).
    let build = ctx.root.path().join("build2");
    let env = build.join("app/.venv");
    build_stage(&ctx, &python, &wheel, &env, &[]);
    let fin = build.join("srv/app/.venv");
    let out = ctx.venvoy().arg("move").arg(&env).arg(&fin).output().unwrap();
    assert_code(&out, 0);
    let layer = ctx.root.path().join("layer");
    ok(Command::new("cp").arg("-a").arg(&fin).arg(&layer));
    std::fs::remove_dir_all(&build).unwrap();
    std::fs::create_dir_all(fin.parent().unwrap()).unwrap();
    ok(Command::new("cp").arg("-a").arg(&layer).arg(&fin));
    assert_runs_at(&fin);
    assert!(stderr(&out).contains(&*fin.to_string_lossy()), "{}", stderr(&out));
}
