//! Choosing seed wheels from injected sources: the download cache, ensurepip
//! wheels, and a package index served from a local socket.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::WheelBuilder;
use sha2::{Digest, Sha256};
use venvoy_wheel::index::IndexConfig;
use venvoy_wheel::seed::NoProgress;
use venvoy_wheel::{Origin, PythonVersion, SeedError, Sources, TargetPython, WheelStore};

const PY311: PythonVersion = PythonVersion { major: 3, minor: 11, micro: 7 };

fn target() -> TargetPython {
    TargetPython::cpython(3, 11, Vec::new())
}

fn sha256_hex(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Put `wheel` into the store under `root` as a download would, with `requires_python`.
fn store_wheel(root: &Path, wheel: &Path, requires_python: Option<&str>) -> PathBuf {
    let dir = root.join("pip");
    std::fs::create_dir_all(&dir).unwrap();
    let dest = dir.join(wheel.file_name().unwrap());
    std::fs::copy(wheel, &dest).unwrap();
    let record =
        serde_json::json!({"sha256": sha256_hex(&dest), "requires_python": requires_python, "url": "x"});
    std::fs::write(format!("{}.json", dest.display()), record.to_string()).unwrap();
    dest
}

fn pip(version: &str, dir: &Path) -> PathBuf {
    WheelBuilder::new("pip", version)
        .file("pip/__init__.py", &format!("__version__ = '{version}'\n"))
        .build(dir)
}

#[test]
fn newest_local_wheel_wins_and_requires_python_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let bundled = tmp.path().join("bundled");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&bundled).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    let store_root = tmp.path().join("store");
    let ensurepip = vec![pip("23.2.1", &bundled), WheelBuilder::new("setuptools", "65.5.0").build(&bundled)];
    let sources =
        Sources { store: Some(WheelStore::new(&store_root)), ensurepip: ensurepip.clone(), index: None };

    let chosen = sources.choose(&["pip".into()], PY311, &target(), &NoProgress).unwrap();
    assert_eq!((chosen[0].version.as_str(), chosen[0].origin), ("23.2.1", Origin::Ensurepip));

    // A newer cached wheel wins...
    let cached = store_wheel(&store_root, &pip("24.2", &elsewhere), Some(">=3.8"));
    let chosen = sources.choose(&["pip".into(), "setuptools".into()], PY311, &target(), &NoProgress).unwrap();
    assert_eq!((chosen[0].version.as_str(), chosen[0].origin), ("24.2", Origin::Cache));
    assert_eq!(chosen[0].path, cached);
    assert_eq!((chosen[1].name.as_str(), chosen[1].origin), ("setuptools", Origin::Ensurepip));

    // ...unless it does not support the interpreter...
    let old = PythonVersion::new(3, 7, 16);
    let chosen = sources.choose(&["pip".into()], old, &target(), &NoProgress).unwrap();
    assert_eq!(chosen[0].origin, Origin::Ensurepip);

    // ...or its bytes changed since download: then it is removed.
    let mut bytes = std::fs::read(&cached).unwrap();
    bytes.push(0);
    std::fs::write(&cached, bytes).unwrap();
    let chosen = sources.choose(&["pip".into()], PY311, &target(), &NoProgress).unwrap();
    assert_eq!((chosen[0].version.as_str(), chosen[0].origin), ("23.2.1", Origin::Ensurepip));
    assert!(!cached.exists());
}

#[test]
fn no_source_names_what_to_do() {
    let err = Sources::default().choose(&["pip".into()], PY311, &target(), &NoProgress).unwrap_err();
    assert!(matches!(err, SeedError::NoSource { .. }), "{err}");
    let hint = venvoy_fs::Hint::hint(&err).unwrap();
    assert!(hint.contains("--without-pip") && hint.contains("venvoy cache update"), "{hint}");
}

/// Content type and body for each path.
type Routes = Arc<Mutex<HashMap<String, (String, Vec<u8>)>>>;

/// A one-route-per-path HTTP server on 127.0.0.1; counts requests.
struct Server {
    url: String,
    hits: Arc<AtomicUsize>,
    routes: Routes,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let routes: Routes = Arc::default();
        let (h, r) = (hits.clone(), routes.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                let _ = reader.read_line(&mut first);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let mut target = first.split_whitespace().nth(1).unwrap_or("/").to_string();
                if first.starts_with("CONNECT ") {
                    // A proxy tunnel: accept it, then serve the request that follows.
                    r.lock()
                        .unwrap()
                        .entry("#targets".into())
                        .or_default()
                        .1
                        .extend(format!("{target}\n").bytes());
                    let _ = (&stream).write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                    first.clear();
                    let _ = reader.read_line(&mut first);
                    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                        line.clear();
                    }
                    target = first.split_whitespace().nth(1).unwrap_or("/").to_string();
                }
                h.fetch_add(1, Ordering::SeqCst);
                r.lock()
                    .unwrap()
                    .entry("#targets".into())
                    .or_default()
                    .1
                    .extend(format!("{target}\n").bytes());
                // An absolute-form request (to a proxy) names the host too.
                let path = match target.split_once("://") {
                    Some((_, rest)) => rest.find('/').map_or("/".to_string(), |i| rest[i..].to_string()),
                    None => target,
                };
                let found = r.lock().unwrap().get(&path).cloned();
                let mut stream = stream;
                let (status, kind, body) = match found {
                    Some((kind, body)) => ("200 OK", kind, body),
                    None => ("404 Not Found", "text/plain".into(), b"no".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        Self { url, hits, routes }
    }

    fn route(&self, path: &str, kind: &str, body: Vec<u8>) {
        self.routes.lock().unwrap().insert(path.to_string(), (kind.to_string(), body));
    }

    fn config(&self) -> IndexConfig {
        IndexConfig { url: format!("{}/simple", self.url), ..IndexConfig::pypi("venvoy-tests") }
    }
}

#[test]
fn index_downloads_are_checked_cached_and_filtered_by_requires_python() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start();
    let new = pip("99.0", tmp.path());
    let old = pip("98.0", tmp.path());
    let page = serde_json::json!({"meta": {"api-version": "1.0"}, "name": "pip", "files": [
        {"filename": "pip-99.0-py3-none-any.whl", "url": "/files/pip-99.0-py3-none-any.whl",
         "hashes": {"sha256": sha256_hex(&new)}, "requires-python": ">=3.12"},
        {"filename": "pip-98.0-py3-none-any.whl", "url": "../../files/pip-98.0-py3-none-any.whl",
         "hashes": {"sha256": sha256_hex(&old)}, "requires-python": ">=3.8"},
        {"filename": "pip-98.5-py3-none-any.whl", "url": "/files/yanked.whl",
         "hashes": {"sha256": "00"}, "yanked": "broken"},
        {"filename": "pip-98.0.tar.gz", "url": "/files/pip-98.0.tar.gz", "hashes": {"sha256": "00"}},
    ]});
    server.route("/simple/pip/", "application/vnd.pypi.simple.v1+json", page.to_string().into_bytes());
    server.route(
        "/files/pip-99.0-py3-none-any.whl",
        "application/octet-stream",
        std::fs::read(&new).unwrap(),
    );
    server.route(
        "/files/pip-98.0-py3-none-any.whl",
        "application/octet-stream",
        std::fs::read(&old).unwrap(),
    );

    let store_root = tmp.path().join("store");
    let sources = Sources {
        store: Some(WheelStore::new(&store_root)),
        ensurepip: Vec::new(),
        index: Some(server.config()),
    };
    let chosen = sources.choose(&["pip".into()], PY311, &target(), &NoProgress).unwrap();
    assert_eq!((chosen[0].version.as_str(), chosen[0].origin), ("98.0", Origin::Index));
    assert!(chosen[0].path.starts_with(&store_root));
    assert_eq!(sha256_hex(&chosen[0].path), sha256_hex(&old));

    // Now it is cached: no request is made.
    let hits = server.hits.load(Ordering::SeqCst);
    let chosen = sources.choose(&["pip".into()], PY311, &target(), &NoProgress).unwrap();
    assert_eq!(chosen[0].origin, Origin::Cache);
    assert_eq!(server.hits.load(Ordering::SeqCst), hits);

    // `update` fetches the newest for each interpreter version, once.
    let pythons = [PY311, PythonVersion::new(3, 12, 1)];
    let updated = sources.update(&["pip".into()], &pythons, &NoProgress).unwrap();
    let names: Vec<(String, bool)> =
        updated.iter().map(|(p, d)| (p.file_name().unwrap().to_string_lossy().into_owned(), *d)).collect();
    assert_eq!(
        names,
        [("pip-98.0-py3-none-any.whl".to_string(), false), ("pip-99.0-py3-none-any.whl".to_string(), true)]
    );
}

#[test]
fn a_download_with_the_wrong_hash_is_refused_and_not_cached() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start();
    let wheel = pip("99.0", tmp.path());
    let page = format!(
        "<html><body><a href=\"/files/pip-99.0-py3-none-any.whl#sha256={}\">pip-99.0-py3-none-any.whl</a></body></html>",
        "ab".repeat(32)
    );
    server.route("/simple/pip/", "text/html", page.into_bytes());
    server.route(
        "/files/pip-99.0-py3-none-any.whl",
        "application/octet-stream",
        std::fs::read(&wheel).unwrap(),
    );
    let store_root = tmp.path().join("store");
    let sources = Sources {
        store: Some(WheelStore::new(&store_root)),
        ensurepip: Vec::new(),
        index: Some(server.config()),
    };
    let err = sources.choose(&["pip".into()], PY311, &target(), &NoProgress).unwrap_err();
    assert!(matches!(err, SeedError::HashMismatch { .. }), "{err}");
    let left: Vec<_> =
        std::fs::read_dir(store_root.join("pip")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "{left:?}");

    // An index that is down is not an error while a local wheel fits, and
    // names the index when none does.
    let down = Sources {
        store: Some(WheelStore::new(&store_root)),
        ensurepip: Vec::new(),
        index: Some(IndexConfig { url: "http://127.0.0.1:9/simple".into(), ..IndexConfig::pypi("t") }),
    };
    let err = down.choose(&["pip".into()], PY311, &target(), &NoProgress).unwrap_err();
    assert!(err.to_string().contains("127.0.0.1:9"), "{err}");
    let bundled = Sources { ensurepip: vec![wheel], ..down };
    assert_eq!(
        bundled.choose(&["pip".into()], PY311, &target(), &NoProgress).unwrap()[0].origin,
        Origin::Ensurepip
    );
}

#[test]
fn the_index_is_reached_through_the_proxy_unless_no_proxy_says_otherwise() {
    let tmp = tempfile::tempdir().unwrap();
    let proxy = Server::start();
    let wheel = pip("99.0", tmp.path());
    let page = serde_json::json!({"files": [{"filename": "pip-99.0-py3-none-any.whl",
        "url": "/files/pip-99.0-py3-none-any.whl", "hashes": {"sha256": sha256_hex(&wheel)}}]});
    proxy.route("/simple/pip/", "application/vnd.pypi.simple.v1+json", page.to_string().into_bytes());
    proxy.route(
        "/files/pip-99.0-py3-none-any.whl",
        "application/octet-stream",
        std::fs::read(&wheel).unwrap(),
    );
    // The index host does not exist: only the proxy can answer for it.
    let config = IndexConfig {
        url: "http://index.venvoy-test.invalid/simple".into(),
        proxy: Some(proxy.url.clone()),
        ..IndexConfig::pypi("t")
    };
    let store_root = tmp.path().join("store");
    let sources = Sources {
        store: Some(WheelStore::new(&store_root)),
        ensurepip: Vec::new(),
        index: Some(config.clone()),
    };
    let chosen = sources.choose(&["pip".into()], PY311, &target(), &NoProgress).unwrap();
    assert_eq!((chosen[0].version.as_str(), chosen[0].origin), ("99.0", Origin::Index));
    let seen = String::from_utf8(proxy.routes.lock().unwrap()["#targets"].1.clone()).unwrap();
    assert!(seen.contains("index.venvoy-test.invalid"), "the proxy was asked for the index host: {seen}");

    // With the host in NO_PROXY the proxy is not used, so nothing answers.
    let direct = IndexConfig { no_proxy: vec![".venvoy-test.invalid".into()], ..config };
    let sources = Sources {
        store: Some(WheelStore::new(tmp.path().join("store2"))),
        ensurepip: Vec::new(),
        index: Some(direct),
    };
    let hits = proxy.hits.load(Ordering::SeqCst);
    assert!(sources.choose(&["pip".into()], PY311, &target(), &NoProgress).is_err());
    assert_eq!(proxy.hits.load(Ordering::SeqCst), hits);
}
