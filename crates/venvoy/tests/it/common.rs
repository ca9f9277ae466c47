//! The test sandbox: a temp dir with its own HOME, XDG dirs and cache, and
//! helpers to run venvoy inside it and to find the machine's real interpreters.

#![allow(dead_code)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use assert_cmd::cargo::CommandCargoExt;

/// One test's private world.
pub struct TestContext {
    pub root: tempfile::TempDir,
    pub home: PathBuf,
    pub cache: PathBuf,
    pub work: PathBuf,
    /// PATH given to venvoy; starts as the test process's PATH.
    pub path: OsString,
    pub extra_env: Vec<(OsString, OsString)>,
}

impl TestContext {
    pub fn new() -> Self {
        let root = tempfile::Builder::new().prefix("venvoy-test-").tempdir().expect("tempdir");
        let home = root.path().join("home");
        let cache = root.path().join("cache");
        let work = root.path().join("work");
        for d in [&home, &cache, &work] {
            std::fs::create_dir_all(d).unwrap();
        }
        Self {
            root,
            home,
            cache,
            work,
            path: std::env::var_os("PATH").unwrap_or_default(),
            extra_env: Vec::new(),
        }
    }

    /// A `venvoy` command inside the sandbox.
    pub fn venvoy(&self) -> Command {
        let mut cmd = Command::cargo_bin("venvoy").expect("venvoy binary");
        cmd.current_dir(&self.work)
            .env_clear()
            .env("PATH", &self.path)
            .env("HOME", &self.home)
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("VENVOY_CACHE_DIR", &self.cache)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env("SHELL", "/bin/bash");
        if let Some(root) = pyenv_root() {
            cmd.env("PYENV_ROOT", root);
        }
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn env(&mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> &mut Self {
        self.extra_env.push((key.into(), value.into()));
        self
    }

    /// Put `dir` first on PATH.
    pub fn prepend_path(&mut self, dir: &Path) {
        let mut paths = vec![dir.to_path_buf()];
        paths.extend(std::env::split_paths(&self.path));
        self.path = std::env::join_paths(paths).unwrap();
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.venvoy().args(args).output().expect("run venvoy")
    }

    /// Give `cmd` the sandbox's environment, as [`TestContext::venvoy`] sets it
    /// (added to whatever `cmd` already has; clear it first for nothing else).
    pub fn sandbox_env(&self, cmd: &mut Command) {
        for (k, v) in self.venvoy().get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
    }
}

/// Debian's `/usr/bin/python3`, canonical, or [`missing`] when it is not there.
pub fn debian_python() -> Option<PathBuf> {
    require("Debian's /usr/bin/python3", std::fs::canonicalize("/usr/bin/python3").ok())
}

/// A sandbox with an env made by `create --without-pip` from
/// [`debian_python`] at `work/env`.
pub fn with_env() -> Option<TestContext> {
    let python = debian_python()?;
    let ctx = TestContext::new();
    assert_code(&ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), "./env"]), 0);
    Some(ctx)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Assert an exit code, showing the output when it is wrong.
#[track_caller]
pub fn assert_code(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", stdout(o), stderr(o));
}

/// pyenv's root, if pyenv is installed: asked once per test binary.
pub fn pyenv_root() -> Option<PathBuf> {
    static ROOT: OnceLock<Option<PathBuf>> = OnceLock::new();
    ROOT.get_or_init(|| {
        let out = Command::new("pyenv").arg("root").output().ok()?;
        let root = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
        root.is_dir().then_some(root)
    })
    .clone()
}

/// The versions `pyenv versions --bare` reports (not `system`): asked once per test binary.
pub fn pyenv_versions() -> Vec<String> {
    static VERSIONS: OnceLock<Vec<String>> = OnceLock::new();
    VERSIONS
        .get_or_init(|| {
            let Ok(out) = Command::new("pyenv").args(["versions", "--bare", "--skip-aliases"]).output()
            else {
                return vec![];
            };
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.contains('/'))
                .map(String::from)
                .collect()
        })
        .clone()
}

/// A real interpreter of a pyenv version: `<root>/versions/<v>/bin/python<M.m>`, canonical.
pub fn pyenv_python(version: &str) -> Option<PathBuf> {
    let root = pyenv_root()?;
    let mut parts = version.split('.');
    let (major, minor) = (parts.next()?, parts.next()?);
    let exe = root.join("versions").join(version).join("bin").join(format!("python{major}.{minor}"));
    std::fs::canonicalize(exe).ok()
}

/// Every supported interpreter of this machine, as (version, canonical
/// interpreter path): the pyenv CPythons (3.7+) first, then Debian's
/// `python3`, then Debian's PyPy (a failure under `CI=true` when missing):
/// found (and each asked its version) once per test binary. Tests that take
/// one interpreter take the first, a CPython; matrices run them all.
pub fn supported_pythons() -> Vec<(String, PathBuf)> {
    static PYTHONS: OnceLock<Vec<(String, PathBuf)>> = OnceLock::new();
    PYTHONS
        .get_or_init(|| {
            let mut all = find_supported_pythons();
            if let Some(pypy) = pypy3() {
                all.push((python_version(&pypy), pypy));
            }
            all
        })
        .clone()
}

/// [`supported_pythons`] without PyPy, for tests about CPython's own
/// behaviour (its bundled setuptools, its version numbers).
pub fn cpythons() -> Vec<(String, PathBuf)> {
    supported_pythons().into_iter().filter(|(_, p)| !is_pypy(p)).collect()
}

/// Whether an interpreter path is a PyPy (by its file name, as Debian and
/// pyenv name them).
pub fn is_pypy(python: &Path) -> bool {
    python.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("pypy"))
}

fn find_supported_pythons() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = pyenv_versions()
        .into_iter()
        .filter(|v| {
            let mut p = v.split('.').map(|x| x.parse::<u32>().unwrap_or(0));
            let (a, b) = (p.next().unwrap_or(0), p.next().unwrap_or(0));
            a == 3 && b >= 7 && v.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
        .filter_map(|v| pyenv_python(&v).map(|p| (v, p)))
        .collect();
    if let Ok(p) = std::fs::canonicalize("/usr/bin/python3") {
        out.push((python_version(&p), p));
    }
    out
}

/// `platform.python_version()` of an interpreter, asked directly.
pub fn python_version(python: &Path) -> String {
    let out = Command::new(python)
        .args(["-c", "import platform; print(platform.python_version())"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Write an executable script.
pub fn write_exe(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Whether the tests run in CI, and the one way a test says what it lacks
/// (fails under `CI=true`, a visible SKIP elsewhere): shared by every crate.
pub use venvoy_test_support::{in_ci, missing};

/// `found`, or [`missing`] (a failure under `CI=true`, else a SKIP) when it is `None`:
/// `let Some(pypy) = require("PyPy", find()) else { return };`.
#[track_caller]
pub fn require<T>(what: &str, found: Option<T>) -> Option<T> {
    if found.is_none() {
        missing(what);
    }
    found
}

/// Debian's PyPy (`pypy3`, with `pypy3-venv`'s wheels), canonical.
pub fn pypy3() -> Option<PathBuf> {
    let found =
        ["/usr/bin/pypy3", "/usr/local/bin/pypy3"].iter().find_map(|p| std::fs::canonicalize(p).ok()).filter(
            |p| Command::new(p).args(["-c", "import ensurepip"]).output().is_ok_and(|o| o.status.success()),
        );
    require("PyPy (`pypy3` and `pypy3-venv`)", found)
}

/// The one wheel builder of the tests: `python`'s `zipfile` writes
/// `<dist>-<version>-py3-none-any.whl` into `dir` with `files` (path, text),
/// `METADATA`, `WHEEL`, `entry_points.txt` for `scripts` (`name`,
/// `module:function`) and a hashed `RECORD`.
pub fn build_wheel(
    python: &Path,
    dir: &Path,
    name: &str,
    version: &str,
    files: &[(&str, &str)],
    scripts: &[(&str, &str)],
) -> PathBuf {
    let spec = serde_json::json!({"name": name, "version": version, "files": files, "scripts": scripts});
    build_wheel_set(python, dir, &[spec]).remove(0)
}

/// Many wheels in one run of `python`, each spec a JSON object: `name`,
/// `version`, `files` (`[[path, text], ...]`), `scripts` (`[[name,
/// "module:function"], ...]`), and `summary` when the metadata has one.
/// The `.dist-info` keeps the version as written; the file name has `-` as `_`.
pub fn build_wheel_set(python: &Path, dir: &Path, specs: &[serde_json::Value]) -> Vec<PathBuf> {
    const SCRIPT: &str = r#"
import base64, hashlib, json, os, sys, zipfile
out_dir, specs = sys.argv[1], json.loads(sys.argv[2])
for spec in specs:
    dist, version = spec["name"].replace("-", "_"), spec["version"]
    info = "%s-%s.dist-info" % (dist, version)
    files = dict(spec.get("files", []))
    meta = "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (spec["name"], version)
    if spec.get("summary") is not None:
        meta += "Summary: %s\n" % spec["summary"]
    files[info + "/METADATA"] = meta + "\n"
    files[info + "/WHEEL"] = "Wheel-Version: 1.0\nGenerator: venvoy-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    if spec.get("scripts"):
        files[info + "/entry_points.txt"] = "[console_scripts]\n" + "".join("%s = %s\n" % tuple(s) for s in spec["scripts"])
    record = []
    name = "%s-%s-py3-none-any.whl" % (dist, version.replace("-", "_"))
    with zipfile.ZipFile(os.path.join(out_dir, name), "w") as z:
        for path, text in files.items():
            data = text.encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
            z.writestr(path, data)
        record.append(info + "/RECORD,,")
        z.writestr(info + "/RECORD", "\n".join(record) + "\n")
    print(os.path.join(out_dir, name))
"#;
    std::fs::create_dir_all(dir).unwrap();
    let specs = serde_json::Value::from(specs.to_vec()).to_string();
    let done = Command::new(python).arg("-c").arg(SCRIPT).arg(dir).arg(&specs).output().expect("run python");
    assert!(done.status.success(), "building wheels: {}", String::from_utf8_lossy(&done.stderr));
    String::from_utf8(done.stdout).unwrap().lines().map(PathBuf::from).collect()
}

/// One file a local index serves: the project, the wheel, its `Requires-Python`.
pub struct Served {
    pub project: &'static str,
    pub wheel: PathBuf,
    pub requires_python: Option<&'static str>,
}

/// A PEP 691 simple index on 127.0.0.1 serving `files`, for as long as the
/// test runs: its URL (`http://127.0.0.1:PORT/simple`), and every request
/// request it was sent (`GET /simple/pip/`). It answers as a proxy too:
/// absolute-form requests (`GET http://any.host/simple/pip/`) and `CONNECT`
/// tunnels, serving the request that follows.
pub fn serve_index(files: Vec<Served>) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use sha2::Digest;
    use std::io::{BufRead, BufReader, Write};
    let mut pages: std::collections::HashMap<String, Vec<serde_json::Value>> = Default::default();
    let mut blobs: std::collections::HashMap<String, Vec<u8>> = Default::default();
    for f in &files {
        let bytes = std::fs::read(&f.wheel).unwrap();
        let name = f.wheel.file_name().unwrap().to_str().unwrap().to_string();
        pages.entry(f.project.to_string()).or_default().push(serde_json::json!({
            "filename": name, "url": format!("/files/{name}"),
            "hashes": {"sha256": format!("{:x}", sha2::Sha256::digest(&bytes))},
            "requires-python": f.requires_python,
        }));
        blobs.insert(format!("/files/{name}"), bytes);
    }
    for (project, list) in pages {
        let page = serde_json::json!({"meta": {"api-version": "1.0"}, "name": project, "files": list});
        blobs.insert(format!("/simple/{project}/"), page.to_string().into_bytes());
    }
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/simple", listener.local_addr().unwrap());
    let log = seen.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = || {
                let (mut first, mut line) = (String::new(), String::new());
                let _ = reader.read_line(&mut first);
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let target = first.split_whitespace().nth(1).unwrap_or("/").to_string();
                log.lock()
                    .unwrap()
                    .push(format!("{} {target}", first.split_whitespace().next().unwrap_or("")));
                (first.starts_with("CONNECT "), target)
            };
            let (connect, mut target) = request();
            // A proxy tunnel: accept it, then serve the request that comes through it.
            if connect {
                let _ = stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                target = request().1;
            }
            // Absolute form, as sent to a proxy: keep the path only.
            let path = match target.strip_prefix("http://") {
                Some(rest) => rest.find('/').map_or("/".to_string(), |i| rest[i..].to_string()),
                None => target,
            };
            let (status, kind, body) = match blobs.get(&path) {
                Some(b) if path.starts_with("/simple/") => {
                    ("200 OK", "application/vnd.pypi.simple.v1+json", b.clone())
                }
                Some(b) => ("200 OK", "application/octet-stream", b.clone()),
                None => ("404 Not Found", "text/plain", b"no".to_vec()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    (url, seen)
}

/// uv, virtualenv or pipenv: `bench/.peers/bin` (from `bench/setup.sh`),
/// `target/peers/bin` (from `scripts/install-test-tools.sh`), else PATH.
/// The suite never installs them itself (no network in the tests): a caller
/// given `None` reports it through `missing`, which fails under `CI=true`.
pub fn peer(name: &str) -> Option<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let in_repo = ["bench/.peers/bin", "target/peers/bin"].map(|dir| repo.join(dir).join(name));
    in_repo.into_iter().find(|p| p.is_file()).or_else(|| {
        std::env::var_os("PATH")
            .and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|p| p.is_file()))
    })
}
