//! Test support: finding shells, building throwaway venvs, hostile names,
//! and reading the NUL-separated records the shell drivers print.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use venvoy_shell::{ActivationConfig, write_activation_scripts};

/// Names that must neither break an activation script nor run anything.
/// Each command in them would create a `pwned*` file in the working dir.
pub const HOSTILE: &[&str] = &[
    "with space",
    "ünïcödé-日本語",
    "emoji 🐍✨",
    "$(touch pwned_cmdsub)",
    "${HOME}${x-$(touch pwned_param)}${IFS}",
    "`touch pwned_backtick`",
    "it's",
    "say \"hi\"",
    "back\\slash\\n\\\\ \\$HOME",
    "a;touch pwned_semi&touch pwned_amp|touch pwned_pipe<in>out",
    "glob * ? [a] {b,c} ~",
    "~",
    "% ! # %d %% !! !$ #x %~ !#",
    "new\nline",
    "cr\r\nlf\r",
    "'\"`$(touch pwned_mix)`\"' \\' $'x' %PATH% ^& !PATH!",
    "(x) {y} $x @(x) ${x} @$(touch pwned_xonsh)",
    // Variables xonsh would expand inside a $PATH entry (and `~` after `=`).
    "$HOME ${HOME} ${'HOME'} a=~root",
];

/// Where `scripts/install-test-shells.sh` puts tools that are not packages.
pub fn tools_dir() -> PathBuf {
    match std::env::var_os("VENVOY_TEST_TOOLS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-tools"),
    }
}

/// Find a shell program on PATH or in the tools dir.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    let tools = tools_dir();
    dirs.push(tools.join("nu/bin"));
    dirs.push(tools.join("xonsh-venv/bin"));
    dirs.push(PathBuf::from("/usr/bin"));
    dirs.push(PathBuf::from("/bin"));
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// The shell, or `None` after a SKIP note; under `CI=true` a missing shell fails.
pub fn require(name: &str) -> Option<PathBuf> {
    let found = find_program(name);
    if found.is_none() {
        venvoy_test_support::missing(&format!("the shell `{name}`"));
    }
    found
}

/// A real Python interpreter for the test venvs (Debian's, which exists on
/// every machine of this kind).
pub fn real_python() -> PathBuf {
    for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] {
        if let Ok(p) = std::fs::canonicalize(candidate) {
            return p;
        }
    }
    let which = find_program("python3").expect("a python3 interpreter");
    std::fs::canonicalize(which).expect("resolve python3")
}

/// A hand-built venv in a temp dir, with activation scripts written.
pub struct TestEnv {
    pub root: tempfile::TempDir,
    pub env_dir: PathBuf,
    /// An empty directory used as the shells' working dir: anything
    /// a hostile name manages to run shows up here.
    pub work: PathBuf,
}

impl TestEnv {
    pub fn new(dir_name: impl AsRef<OsStr>, prompt: &str) -> TestEnv {
        Self::with(dir_name, prompt, false)
    }

    pub fn with(dir_name: impl AsRef<OsStr>, prompt: &str, relocatable: bool) -> TestEnv {
        let root = tempfile::Builder::new().prefix("venvoy-shell-").tempdir().unwrap();
        let work = root.path().join("work");
        std::fs::create_dir(&work).unwrap();
        std::fs::create_dir(root.path().join("home")).unwrap();
        let env_dir = root.path().join(dir_name.as_ref());
        make_venv(&env_dir);
        write_scripts(&env_dir, prompt, relocatable);
        TestEnv { root, env_dir, work }
    }

    pub fn bin(&self) -> PathBuf {
        self.env_dir.join("bin")
    }

    /// A symlink with a plain name to the env, for shells whose driver
    /// cannot take the hostile path as data (nushell's `overlay use` wants
    /// a literal, csh variables cannot hold a line break).
    pub fn plain_link(&self) -> PathBuf {
        let link = self.root.path().join("plain-link");
        if !link.exists() {
            std::os::unix::fs::symlink(&self.env_dir, &link).unwrap();
        }
        link
    }

    /// Fail if anything appeared in the working dir.
    pub fn assert_nothing_ran(&self) {
        let found: Vec<_> = std::fs::read_dir(&self.work).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(found.is_empty(), "a hostile name ran something: {found:?}");
    }
}

/// Build a venv by hand: pyvenv.cfg, bin/python, lib/python3.X/site-packages.
pub fn make_venv(env_dir: &Path) {
    make_venv_of(env_dir, &real_python());
}

/// Build a venv of `python` by hand, with the interpreter's own lib name
/// (`lib/python3.X`, or `lib/pypy3.X` for a PyPy named `pypy3.X`).
pub fn make_venv_of(env_dir: &Path, python: &Path) {
    std::fs::create_dir_all(env_dir.join("bin")).unwrap();
    let name = python.file_name().unwrap().to_string_lossy().into_owned();
    let lib =
        if name.starts_with("pypy") { name.clone() } else { format!("python{}", python_version(python)) };
    let version = lib.trim_start_matches("pypy").trim_start_matches("python").to_owned();
    std::fs::create_dir_all(env_dir.join(format!("lib/{lib}/site-packages"))).unwrap();
    std::fs::write(
        env_dir.join("pyvenv.cfg"),
        format!(
            "home = {}\ninclude-system-site-packages = false\nversion = {version}\n",
            python.parent().unwrap().display()
        ),
    )
    .unwrap();
    std::os::unix::fs::symlink(python, env_dir.join("bin/python")).unwrap();
}

/// Debian's PyPy (`pypy3.X`, canonical): a failure under `CI=true` when missing.
pub fn pypy() -> Option<PathBuf> {
    let found = std::fs::canonicalize("/usr/bin/pypy3").ok();
    if found.is_none() {
        venvoy_test_support::missing("PyPy (`pypy3`)");
    }
    found
}

fn python_version(python: &Path) -> String {
    let name = python.file_name().unwrap().to_string_lossy().into_owned();
    name.strip_prefix("python")
        .filter(|v| v.contains('.'))
        .map(str::to_owned)
        .unwrap_or_else(|| "3.11".to_owned())
}

pub fn write_scripts(env_dir: &Path, prompt: &str, relocatable: bool) {
    let cfg = ActivationConfig {
        env_dir,
        bin_dir_name: "bin",
        prompt,
        relocatable,
        vars: &venvoy_shell::vars::NONE,
    };
    write_activation_scripts(&cfg).unwrap();
}

/// The PATH the shells start with: system dirs only, so nothing but the
/// env can provide `python` or `deactivate`.
pub fn base_path() -> OsString {
    "/usr/local/bin:/usr/bin:/bin".into()
}

/// A command for `program` with a clean, predictable environment.
pub fn shell_command(program: &Path, work: &Path) -> Command {
    let home = work.with_file_name("home");
    let mut cmd = Command::new(program);
    cmd.current_dir(work)
        .env_clear()
        .env("PATH", base_path())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("LANG", "C.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .env("TERM", "dumb");
    cmd
}

/// Run and return stdout, failing with both streams shown on error.
pub fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().unwrap();
    check(&out, cmd);
    out.stdout
}

pub fn check(out: &Output, cmd: &Command) {
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Records printed as `KEY=VALUE\0`.
#[derive(Debug)]
pub struct Records(pub HashMap<String, Vec<u8>>);

impl Records {
    pub fn parse(out: &[u8]) -> Records {
        let mut map = HashMap::new();
        for rec in out.split(|b| *b == 0) {
            // Shells may print stray newlines between records.
            let rec = rec.strip_prefix(b"\n").unwrap_or(rec);
            if rec.is_empty() {
                continue;
            }
            let eq = rec.iter().position(|b| *b == b'=').expect("KEY=VALUE record");
            let key = String::from_utf8(rec[..eq].to_vec()).unwrap();
            map.insert(key, rec[eq + 1..].to_vec());
        }
        Records(map)
    }

    pub fn get(&self, key: &str) -> &[u8] {
        self.0.get(key).unwrap_or_else(|| panic!("no record {key} in {:?}", self.lossy()))
    }

    pub fn str(&self, key: &str) -> String {
        String::from_utf8(self.get(key).to_vec()).unwrap()
    }

    pub fn lossy(&self) -> HashMap<&str, String> {
        self.0.iter().map(|(k, v)| (k.as_str(), String::from_utf8_lossy(v).into_owned())).collect()
    }
}

/// The bytes of a path.
pub fn bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

/// `new` followed by `:` and `old` (or just `new` when `old` is empty).
pub fn prepended(new: &Path, old: &[u8]) -> Vec<u8> {
    let mut v = bytes(new);
    if !old.is_empty() {
        v.push(b':');
        v.extend_from_slice(old);
    }
    v
}

/// A Python script that prints what a child process of the shell sees, as
/// records tagged with its first argument: `TAG_PATH`, `TAG_PYTHONHOME`,
/// `TAG_VE`, `TAG_VEP`, `TAG_PS1` (`set:VALUE` or `unset`) and `TAG_prefix`.
const DUMP_PY: &str = r#"import os, sys
tag = sys.argv[1]
out = sys.stdout.buffer
def rec(key, value):
    out.write(tag.encode() + b"_" + key.encode() + b"=" + value + b"\0")
for name, key in (("PATH", "PATH"), ("PYTHONHOME", "PYTHONHOME"),
                  ("VIRTUAL_ENV", "VE"), ("VIRTUAL_ENV_PROMPT", "VEP"), ("PS1", "PS1")):
    value = os.environb.get(name.encode())
    rec(key, b"unset" if value is None else b"set:" + value)
rec("prefix", os.fsencode(sys.prefix))
out.flush()
"#;

/// Write the dump script into the env's temp root; returns its path.
pub fn write_dump(env: &TestEnv) -> PathBuf {
    let path = env.root.path().join("dump.py");
    std::fs::write(&path, DUMP_PY).unwrap();
    path
}

/// `set:` + value.
pub fn set(v: &[u8]) -> Vec<u8> {
    let mut out = b"set:".to_vec();
    out.extend_from_slice(v);
    out
}

/// Check what child processes saw before, during and after activation
/// (records from the dump script tagged `before`, `active`, `after`).
pub fn check_child_view(r: &Records, env: &TestEnv, env_dir: &Path, prompt: &str, ctx: &str) {
    let path0 = r.get("before_PATH").strip_prefix(b"set:").unwrap().to_vec();
    let bin = env_dir.join("bin");
    assert_eq!(r.get("active_VE"), set(&bytes(env_dir)), "{ctx}");
    assert_eq!(r.get("active_VEP"), set(prompt.as_bytes()), "{ctx}");
    assert_eq!(r.get("active_PATH"), set(&prepended(&bin, &path0)), "{ctx}");
    assert_eq!(r.str("active_PYTHONHOME"), "unset", "{ctx}");
    assert_eq!(r.get("active_prefix"), bytes(env_dir), "{ctx}: sys.prefix");
    assert_eq!(r.str("active_PS1"), "unset", "{ctx}: nothing exports PS1");
    for key in ["PATH", "PYTHONHOME", "VE", "VEP"] {
        assert_eq!(
            r.get(&format!("after_{key}")),
            r.get(&format!("before_{key}")),
            "{ctx}: {key} not restored"
        );
    }
    env.assert_nothing_ran();
}
