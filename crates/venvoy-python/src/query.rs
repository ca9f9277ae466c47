//! Running an interpreter once with the embedded query script, with a time limit.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use crate::error::QueryError;
use crate::interpreter::QueryInfo;

/// The script run inside the interpreter; valid Python 2.7 and 3.x.
pub const QUERY_SCRIPT: &str = include_str!("query.py");

/// The most output a query may print before it is considered broken.
const MAX_OUTPUT: u64 = 1 << 20;

/// Run `python` with the query script and parse its answer.
pub fn query(python: &Path, timeout: Duration) -> Result<QueryInfo, QueryError> {
    tracing::debug!("querying {}", python.display());
    match run(python, &["-I", "-S"], timeout) {
        // Python 2.7 predates -I: `-E -s` and the script's own sys.path[0] drop are the same.
        Err(QueryError::Failed { stderr, .. }) if stderr.contains("Unknown option: -I") => {
            run(python, &["-E", "-s", "-S"], timeout)
        }
        other => other,
    }
}

fn run(python: &Path, flags: &[&str], timeout: Duration) -> Result<QueryInfo, QueryError> {
    let path = python.to_path_buf();
    let mut child = Command::new(python)
        .args(flags)
        .arg("-c")
        .arg(QUERY_SCRIPT)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("PYTHONHOME")
        .env_remove("PYTHONPATH")
        // Its own process group: on a timeout the whole group is killed, so
        // nothing it started (a wrapper's child, a grandchild) outlives it.
        .process_group(0)
        .spawn()
        .map_err(|source| QueryError::Spawn { path: path.clone(), source })?;

    // Read both pipes on threads so a chatty interpreter cannot fill one and
    // block while we wait for it to exit.
    let stdout = child.stdout.take().map(|s| std::thread::spawn(move || read_capped(s)));
    let stderr = child.stderr.take().map(|s| std::thread::spawn(move || read_capped(s)));

    let status = match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            kill_group(&child);
            let _ = child.kill();
            let _ = child.wait();
            return Err(QueryError::Timeout { path, seconds: timeout.as_secs_f64() });
        }
        Err(source) => {
            kill_group(&child);
            return Err(QueryError::Spawn { path, source });
        }
    };
    // Whatever it left running would keep the pipes open and the readers waiting.
    kill_group(&child);
    let stdout = stdout.and_then(|t| t.join().ok()).unwrap_or_default();
    let stderr =
        String::from_utf8_lossy(&stderr.and_then(|t| t.join().ok()).unwrap_or_default()).into_owned();

    if !status.success() {
        return Err(QueryError::Failed { path, status: describe(status), stderr: stderr.trim().to_string() });
    }
    serde_json::from_slice::<QueryInfo>(&stdout).map_err(|err| QueryError::Garbage {
        path,
        detail: err.to_string(),
        output: String::from_utf8_lossy(&stdout[..stdout.len().min(200)]).into_owned(),
    })
}

/// SIGKILL to every process in the group the child leads (its pid is the
/// group id). While any member runs the id stays taken; once none does the
/// kill finds no group (`ESRCH`), the expected case after a normal exit.
fn kill_group(child: &Child) {
    let group = i32::try_from(child.id()).ok().and_then(rustix::process::Pid::from_raw);
    if let Some(group) = group
        && let Err(err) = rustix::process::kill_process_group(group, rustix::process::Signal::KILL)
        && err != rustix::io::Errno::SRCH
    {
        tracing::debug!("cannot kill the process group {}: {err}", child.id());
    }
}

/// "exited with code 1", "was killed by signal 9".
fn describe(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return format!("was killed by signal {signal}");
    }
    match status.code() {
        Some(code) => format!("exited with code {code}"),
        None => format!("ended with {status}"),
    }
}

fn read_capped(stream: impl Read) -> Vec<u8> {
    let mut buf = Vec::new();
    let _ = stream.take(MAX_OUTPUT).read_to_end(&mut buf);
    buf
}

/// Whether a file starts with `#!`: a script (a shim or a wrapper), not a binary.
pub fn is_script(path: &Path) -> bool {
    let mut head = [0u8; 2];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && &head == b"#!"
}

/// The venv `python` lives in, if it lives in one.
pub fn venv_root_of(python: &Path) -> Option<PathBuf> {
    let bin = python.parent()?;
    [bin, bin.parent()?].into_iter().find(|d| venvoy_fs::is_venv(d)).map(Path::to_path_buf)
}
