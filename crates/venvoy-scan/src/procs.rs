//! Which envs running processes use: a process whose program, command line,
//! `VIRTUAL_ENV` or mapped files lie inside an env. Read from `/proc`; a
//! process venvoy may not inspect is passed over.

use std::path::{Path, PathBuf};

/// For each of `envs`, a process id that uses it, if any.
pub fn in_use(envs: &[PathBuf]) -> Vec<Option<u32>> {
    let mut out = vec![None; envs.len()];
    let Ok(procs) = std::fs::read_dir("/proc") else { return out };
    let me = std::process::id();
    for entry in procs.filter_map(Result::ok) {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        if pid == me {
            continue;
        }
        let dir = entry.path();
        let paths = process_paths(&dir);
        for (i, env) in envs.iter().enumerate() {
            if out[i].is_none() && paths.iter().any(|p| p.starts_with(env)) {
                out[i] = Some(pid);
            }
        }
    }
    out
}

fn process_paths(dir: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    if let Ok(exe) = std::fs::read_link(dir.join("exe")) {
        paths.push(exe);
    }
    if let Ok(cmdline) = std::fs::read(dir.join("cmdline")) {
        paths.extend(cmdline.split(|b| *b == 0).filter(|a| a.starts_with(b"/")).map(bytes_path));
    }
    if let Ok(environ) = std::fs::read(dir.join("environ")) {
        paths.extend(
            environ.split(|b| *b == 0).filter_map(|v| v.strip_prefix(b"VIRTUAL_ENV=")).map(bytes_path),
        );
    }
    if let Ok(maps) = std::fs::read(dir.join("maps")) {
        for line in maps.split(|b| *b == b'\n') {
            if let Some(at) = line.iter().position(|b| *b == b'/') {
                paths.push(bytes_path(&line[at..]));
            }
        }
    }
    paths
}

fn bytes_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_program_marks_its_directory_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join("env");
        std::fs::create_dir_all(env.join("bin")).unwrap();
        let sleep = env.join("bin/sleep");
        std::fs::copy("/bin/sleep", &sleep).unwrap();
        let mut child = std::process::Command::new(&sleep).arg("30").spawn().unwrap();
        let other = dir.path().join("other");
        let found = in_use(&[env.clone(), other]);
        child.kill().unwrap();
        let _ = child.wait();
        assert_eq!(found[0], Some(child.id()));
        assert_eq!(found[1], None);
    }
}
