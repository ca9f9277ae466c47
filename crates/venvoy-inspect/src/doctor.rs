//! Diagnosing a venv: every check run against what is on disk (and, for the
//! PATH checks, the caller's environment). The base interpreter's version
//! comes from venvoy's query cache.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use venvoy_fs::atomic::StaleListings;
use venvoy_fs::venv::is_interpreter_name;
use venvoy_python::{Discoverer, Source};

use crate::base::{Base, base_of};
use crate::cfg_check::malformed_reason;
use crate::check::{CheckId, Finding};
use crate::venv::Venv;
use crate::which::{WhichEnv, first, venv_of};
use venvoy_dist::script_header::Shebang;

/// What the doctor found about one env.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub root: PathBuf,
    pub findings: Vec<Finding>,
    pub base: Option<PathBuf>,
    pub base_exists: bool,
    /// The base interpreter's version, asked of it (through the cache).
    pub base_version: Option<String>,
    /// The version `pyvenv.cfg` records.
    pub cfg_version: Option<String>,
    /// Where the env was made, when it has been moved.
    pub moved_from: Option<PathBuf>,
    /// Scripts whose shebang points outside the env (moved) or to a missing interpreter.
    pub stray_scripts: Vec<PathBuf>,
    /// Installed distributions (PEP 503 normalised names) that are not whole.
    pub incomplete_dists: Vec<String>,
    /// Temporary files or directories left by interrupted venvoy runs.
    pub leftovers: Vec<PathBuf>,
    pub base_externally_managed: bool,
    /// The base interpreter's implementation, asked of it.
    pub base_implementation: Option<String>,
    /// Site-packages directories the interpreter does not look in, each with
    /// the one it does (relative to the env root), for `--fix` to merge.
    pub misplaced_site_packages: Vec<(PathBuf, PathBuf)>,
    /// Why the base interpreter was not run (it is not one venvoy found on
    /// its own, and the env is not trusted): its version is unknown.
    pub base_not_run: Option<String>,
}

/// Why the base interpreter `path` of an env may not run, if it may not: it
/// is neither one venvoy discovers on its own nor named by a trusted env.
pub fn base_not_run_reason(path: &Path, env_trusted: bool, discoverer: &Discoverer) -> Option<String> {
    (!env_trusted && !discoverer.is_known(path)).then(|| {
        format!(
            "`{}` is not an interpreter venvoy finds on this machine (PATH, pyenv, uv, asdf, mise, conda), and the env is not trusted, so it was not run",
            path.display()
        )
    })
}

/// Why the base is not an executable Python, judged from the files alone
/// (nothing is run): `home` exists but is not a directory (Python cannot
/// start: it looks for its library there); the interpreter is not a
/// regular executable file, not a program (an ELF or Mach-O binary, or a
/// `#!` script), or named like no Python (`python3.12`, `pypy3`, …) under
/// its own name or its link's.
fn not_python_reason(base: &Base) -> Option<String> {
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;
    if let Some(home) = &base.home
        && std::fs::metadata(home).is_ok_and(|m| !m.is_dir())
    {
        return Some(format!(
            "`home` in `pyvenv.cfg` is `{}`, a file, not the directory of a Python: the env's Python cannot start",
            home.display()
        ));
    }
    let path = base.path.as_ref().filter(|_| base.exists)?;
    let meta = std::fs::metadata(path).ok()?;
    let is_python_name = |p: &Path| p.file_name().and_then(|n| n.to_str()).is_some_and(is_interpreter_name);
    // The link's own name first; resolved only when that is not a Python's.
    let named_python =
        || is_python_name(path) || std::fs::canonicalize(path).is_ok_and(|r| is_python_name(&r));
    let reason = if !meta.is_file() {
        "it is not a file"
    } else if meta.permissions().mode() & 0o111 == 0 {
        "it is not executable"
    } else if !named_python() {
        "its name is not a Python interpreter's"
    } else {
        let mut head = Vec::with_capacity(4);
        let read =
            venvoy_fs::read::open_regular(path).ok().and_then(|f| f.take(4).read_to_end(&mut head).ok());
        const MAGICS: [&[u8]; 7] = [
            b"\x7fELF",
            b"#!",
            b"\xfe\xed\xfa\xce",
            b"\xfe\xed\xfa\xcf",
            b"\xce\xfa\xed\xfe",
            b"\xcf\xfa\xed\xfe",
            b"\xca\xfe\xba\xbe",
        ];
        match read {
            Some(_) if MAGICS.iter().any(|m| head.starts_with(m)) => return None,
            Some(_) => "it is neither a binary program nor a script",
            None => return None,
        }
    };
    Some(format!("the base interpreter `{}` is not an executable Python: {reason}", path.display()))
}

impl Diagnosis {
    pub fn has(&self, id: CheckId) -> bool {
        self.findings.iter().any(|f| f.id == id)
    }

    pub fn ok(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Run every check on `venv`. `shell`: the caller's PATH and `$VIRTUAL_ENV`,
/// for the checks about them (left out when `None`).
///
/// The base interpreter named by `pyvenv.cfg` is run (through the query
/// cache) only when venvoy finds it on its own or `env_trusted` (the env is
/// trusted: `venvoy_env::trust`); otherwise `base_not_run` says why.
/// `stale`: where leftover temporary siblings are looked up (one listing per
/// directory for many envs).
pub fn diagnose(
    venv: &Venv,
    discoverer: &Discoverer,
    shell: Option<&WhichEnv>,
    env_trusted: bool,
    stale: &StaleListings,
) -> Diagnosis {
    let root = &venv.root;
    let mut findings = cfg_findings(venv);

    let base: Base = base_of(venv);
    let cfg_version = venv.cfg.version().map(str::to_string);
    let mut base_version = None;
    let mut base_externally_managed = false;
    let mut base_implementation = None;
    let mut misplaced_site_packages = Vec::new();
    // What the files alone show, before anything runs: a base that is not
    // an executable Python is never run, trusted or not.
    let not_python = not_python_reason(&base);
    if let Some(reason) = &not_python {
        findings.push(Finding::new(CheckId::BaseNotPython, reason.clone(), REPOINT));
    }
    let base_not_run = base
        .path
        .as_ref()
        .filter(|_| base.exists)
        .and_then(|p| base_not_run_reason(p, env_trusted, discoverer));
    match (&base.path, base.exists && base_not_run.is_none() && not_python.is_none()) {
        (Some(_), false) if base_not_run.is_some() || not_python.is_some() => {}
        (Some(path), false) => findings.push(base_gone(path)),
        (None, _) => {
            if venv.cfg_bytes.is_some() {
                findings.push(no_base());
            }
        }
        (Some(path), true) => match discoverer.inspect(path, Source::Request) {
            Ok(interpreter) => {
                let version = interpreter.version_string();
                base_externally_managed = interpreter.details().is_some_and(|d| d.externally_managed);
                base_implementation = Some(interpreter.implementation().display_name().to_string());
                if let Some(recorded) = &cfg_version
                    && !same_version(recorded, &version)
                {
                    let minor = minor_of(recorded) != minor_of(&version);
                    let what = if minor { "minor version" } else { "patch version" };
                    let hint = if minor {
                        "packages with compiled extensions were built for the old version: `venvoy doctor --fix` re-points the env to a Python of its own minor version if there is one"
                    } else {
                        "usually harmless; `venvoy doctor --fix` records the new version"
                    };
                    findings.push(Finding::new(
                        CheckId::BaseVersion,
                        format!("the base interpreter `{}` is now Python {version}, but `pyvenv.cfg` says {recorded} ({what} changed)", path.display()),
                        hint,
                    ));
                }
                if let Some(finding) =
                    off_path_site_packages(venv, &interpreter, &mut misplaced_site_packages)
                {
                    findings.push(finding);
                }
                base_version = Some(version);
            }
            Err(err) => findings.push(Finding::new(
                CheckId::BaseMissing,
                format!("the base interpreter `{}` does not run: {err}", path.display()),
                REPOINT,
            )),
        },
    }

    findings.extend(broken_links(venv));

    let (moved_from, stray, missing) = scripts(venv);
    if let Some(old) = &moved_from {
        findings.push(Finding::new(
            CheckId::Moved,
            format!("the env was made at `{}` and has been moved or copied to `{}`: its scripts and activation scripts still point to the old place", old.display(), root.display()),
            "`venvoy doctor --fix` rewrites the shebangs and activation scripts (or move it back)",
        ));
    }
    if !missing.is_empty() {
        let names: Vec<String> = missing
            .iter()
            .map(|(s, i)| {
                format!("`{}` (`{}`)", s.file_name().unwrap_or_default().to_string_lossy(), i.display())
            })
            .collect();
        findings.push(Finding::new(
            CheckId::ScriptInterpreter,
            format!("console scripts run an interpreter that is missing: {}", names.join(", ")),
            "`venvoy doctor --fix` points them at the env's own Python",
        ));
    }
    let mut stray_scripts = stray;
    stray_scripts.extend(missing.into_iter().map(|(s, _)| s));

    let lib64 = root.join("lib64");
    if let Ok(meta) = std::fs::symlink_metadata(&lib64)
        && meta.file_type().is_symlink()
    {
        let target = std::fs::read_link(&lib64).unwrap_or_default();
        let good = std::fs::canonicalize(&lib64).ok() == std::fs::canonicalize(root.join("lib")).ok()
            && root.join("lib").is_dir();
        if !good {
            findings.push(Finding::new(
                CheckId::Lib64Link,
                format!("`lib64` points to `{}`, not to `lib`", target.display()),
                "`venvoy doctor --fix` makes it point to `lib` again",
            ));
        }
    }

    if let Some(shell) = shell {
        path_checks(venv, shell, base_externally_managed, &mut findings);
    }

    let mut incomplete_dists = Vec::new();
    for site in venv.site_packages() {
        let Ok(listing) = venvoy_dist::list_installed(&site) else { continue };
        for dist in listing.dists.iter().filter(|d| d.format == venvoy_dist::DistFormat::DistInfo) {
            let state = venvoy_dist::check_complete(&dist.path);
            if state != venvoy_dist::Completeness::Complete {
                findings.push(Finding::new(
                    CheckId::DistIncomplete,
                    format!("{} {} is incomplete: {state}", dist.name, dist.version),
                    if SEED_PACKAGES.contains(&dist.normalized_name().as_str()) {
                        "`venvoy doctor --fix` installs it again".to_string()
                    } else {
                        format!(
                            "install it again: `python -m pip install --force-reinstall --no-deps {}=={}`",
                            dist.name, dist.version
                        )
                    },
                ));
                incomplete_dists.push(dist.normalized_name());
            }
        }
    }

    let leftovers = leftovers(venv, stale);
    if !leftovers.is_empty() {
        let names: Vec<String> = leftovers.iter().map(|p| format!("`{}`", p.display())).collect();
        findings.push(Finding::new(
            CheckId::Leftovers,
            format!("an interrupted venvoy run left temporary files: {}", names.join(", ")),
            "`venvoy doctor --fix` removes them (so does the next venvoy run in the same directory)",
        ));
    }

    Diagnosis {
        root: root.clone(),
        findings,
        base: base.path,
        base_exists: base.exists,
        base_version,
        cfg_version,
        moved_from,
        stray_scripts,
        incomplete_dists,
        leftovers,
        base_externally_managed,
        base_implementation,
        base_not_run,
        misplaced_site_packages,
    }
}

/// The packages venvoy seeds, which `doctor --fix` can install again.
pub const SEED_PACKAGES: [&str; 3] = ["pip", "setuptools", "wheel"];

/// The checks that read only the env's own files: `pyvenv.cfg` missing or
/// malformed, the base interpreter gone, interpreter links that lead
/// nowhere. Nothing runs and PATH is not looked at; `scan` says an env's
/// health from these (the doctor makes them too, among the rest). `base`:
/// the env's base, as [`base_of`] finds it.
pub fn disk_findings(venv: &Venv, base: &Base) -> Vec<Finding> {
    let mut findings = cfg_findings(venv);
    match &base.path {
        Some(path) if !base.exists => findings.push(base_gone(path)),
        None if venv.cfg_bytes.is_some() => findings.push(no_base()),
        _ => {}
    }
    findings.extend(broken_links(venv));
    findings
}

fn cfg_findings(venv: &Venv) -> Vec<Finding> {
    let root = &venv.root;
    let mut findings = Vec::new();
    let cfg_hint = "`venvoy doctor --fix` rewrites it from an interpreter of the env's Python version";
    match &venv.cfg_bytes {
        None if venv.cfg_error.is_some() => findings.push(Finding::new(
            CheckId::CfgMalformed,
            venv.cfg_error.clone().unwrap_or_default(),
            "venvoy reads only a regular `pyvenv.cfg` of a few KiB; replace it (`venvoy doctor --fix` writes a new one)",
        )),
        None => findings.push(Finding::new(
            CheckId::CfgMissing,
            format!(
                "`{}` is missing: Python does not treat the directory as a venv",
                root.join("pyvenv.cfg").display()
            ),
            cfg_hint,
        )),
        Some(bytes) => {
            if let Some(reason) = malformed_reason(bytes, &venv.cfg) {
                findings.push(Finding::new(
                    CheckId::CfgMalformed,
                    format!("`{}` is malformed: {reason}", root.join("pyvenv.cfg").display()),
                    cfg_hint,
                ));
            }
        }
    }
    findings
}

const REPOINT: &str = "`venvoy doctor --fix` re-points the env to an interpreter of the same minor version";

fn base_gone(path: &Path) -> Finding {
    Finding::new(
        CheckId::BaseMissing,
        format!("the base interpreter `{}` no longer exists", path.display()),
        REPOINT,
    )
}

fn no_base() -> Finding {
    Finding::new(CheckId::BaseMissing, "the env names no base interpreter (`home` in `pyvenv.cfg`)", REPOINT)
}

fn broken_links(venv: &Venv) -> Option<Finding> {
    let broken: Vec<String> = venv
        .interpreter_links()
        .into_iter()
        .filter(|l| !l.resolves)
        .map(|l| {
            let name = l.path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            match l.target {
                Some(t) => format!("`{name}` -> `{}`", t.display()),
                None => format!("`{name}`"),
            }
        })
        .collect();
    (!broken.is_empty()).then(|| {
        Finding::new(
            CheckId::BrokenLink,
            format!("interpreter links lead nowhere: {}", broken.join(", ")),
            "`venvoy doctor --fix` makes them again",
        )
    })
}

/// Where interrupted venvoy runs leave temporary names: beside the env, in
/// its root and scripts dir, and in its site-packages directories.
pub fn leftover_dirs(venv: &Venv) -> Vec<PathBuf> {
    let mut dirs = vec![venv.root.clone(), venv.bin.clone()];
    dirs.extend(venv.site_packages());
    dirs
}

fn leftovers(venv: &Venv, stale: &StaleListings) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> =
        leftover_dirs(venv).iter().flat_map(|d| venvoy_fs::atomic::stale_in(d)).collect();
    found.extend(stale.siblings(&venv.root));
    found.sort();
    found.dedup();
    found
}

/// Site-packages directories of the interpreter's own version that hold
/// packages but are not where the interpreter looks inside a venv (its venv
/// scheme's `purelib`/`platlib`): `lib/python3.9/site-packages` in a PyPy
/// 3.9 env, which PyPy never puts on `sys.path`.
fn off_path_site_packages(
    venv: &Venv,
    interpreter: &venvoy_python::Interpreter,
    misplaced: &mut Vec<(PathBuf, PathBuf)>,
) -> Option<Finding> {
    let scheme = &interpreter.details()?.venv_scheme;
    let root = &venv.root;
    let looked_in = [root.join(&scheme.purelib), root.join(&scheme.platlib)];
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let looked_in_canonical: Vec<PathBuf> = looked_in.iter().map(|p| canonical(p)).collect();
    let own = (interpreter.major(), interpreter.minor());
    for (dir, version) in crate::venv::lib_python_dirs(root) {
        let site = dir.join("site-packages");
        if version.is_some_and(|v| v != own) || looked_in_canonical.contains(&canonical(&site)) {
            continue;
        }
        let holds_packages = std::fs::read_dir(&site).is_ok_and(|mut entries| entries.next().is_some());
        if holds_packages && !misplaced.iter().any(|(from, _)| *from == site) {
            misplaced.push((site, looked_in[0].clone()));
        }
    }
    let (from, to) = misplaced.first()?;
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    Some(Finding::new(
        CheckId::SitePackagesOffPath,
        format!(
            "the packages in `{}` are not on the interpreter's `sys.path`: {} looks in `{}`",
            from.display(),
            interpreter.label(),
            rel(to)
        ),
        "`venvoy doctor --fix` moves them where the interpreter looks",
    ))
}

fn path_checks(venv: &Venv, shell: &WhichEnv, externally_managed: bool, findings: &mut Vec<Finding>) {
    // The same directory, by device and inode: one `stat` per PATH entry
    // (resolving each entry's path took a `readlink` per component, per env
    // for `doctor --all`).
    let id = |p: &Path| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
    let on_path = match id(&venv.bin) {
        Some(bin) => shell.path_dirs().iter().filter(|d| id(d) == Some(bin)).count(),
        None => 0,
    };
    if on_path > 1 {
        findings.push(Finding::new(
            CheckId::PathTwice,
            format!("`{}` is on PATH {on_path} times", venv.bin.display()),
            "the env was activated twice, or a shell startup file adds it: run `deactivate` and check your shell's startup files",
        ));
    }
    let is_active = shell
        .virtual_env
        .as_ref()
        .is_some_and(|v| std::fs::canonicalize(v).ok() == std::fs::canonicalize(&venv.root).ok());
    if is_active && let Some(python) = crate::traps::runs_outside(&venv.bin, shell) {
        let runs = python.map_or_else(|| "nothing".to_string(), |p| format!("`{}`", p.display()));
        findings.push(Finding::new(
            CheckId::ActiveNotFirst,
            format!(
                "`$VIRTUAL_ENV` is this env, but {runs} runs for `python`: the env's `bin` is not first on PATH"
            ),
            "activate the env again (something was put in front of it on PATH), or use `venvoy run`",
        ));
    }
    if externally_managed && (is_active || on_path > 0) {
        let pip = first("pip", shell).or_else(|| first("pip3", shell));
        if let Some(pip) = pip
            && venv_of(&pip.path).is_none()
        {
            findings.push(Finding::new(
                CheckId::ExternallyManaged,
                format!(
                    "the base Python is marked EXTERNALLY-MANAGED and the `pip` on PATH is the system one (`{}`): it will refuse to install, or install outside the env",
                    pip.path.display()
                ),
                if venv.bin.join("pip").is_file() {
                    format!("run `{}` or `python -m pip` (the env's own pip)", venv.bin.join("pip").display())
                } else {
                    "the env has no pip: add it with `venvoy seed`, then use `python -m pip`".to_string()
                },
            ));
        }
    }
}

/// `(moved from, scripts pointing there, scripts whose interpreter is missing)`.
#[allow(clippy::type_complexity)]
fn scripts(venv: &Venv) -> (Option<PathBuf>, Vec<PathBuf>, Vec<(PathBuf, PathBuf)>) {
    let root = &venv.root;
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
    let mut moved_from = activation_root(&venv.bin).filter(|old| !same_place(old, root, &canonical_root));
    let mut stray = Vec::new();
    let mut missing = Vec::new();
    let Ok(entries) = std::fs::read_dir(&venv.bin) else { return (moved_from, stray, missing) };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                !n.starts_with("activate") && !n.starts_with("Activate") && !is_interpreter_name(n)
            })
        })
        .collect();
    files.sort();
    for file in files {
        let Some(shebang) = Shebang::read(&file) else { continue };
        if shebang.env_command.is_some() || shebang.relative {
            continue;
        }
        let interpreter = shebang.interpreter;
        if let Some(prefix) = venvoy_fs::venv::former_root(&interpreter, root, &canonical_root) {
            moved_from.get_or_insert(prefix);
            stray.push(file);
            continue;
        }
        if !interpreter.exists()
            && interpreter.file_name().and_then(|n| n.to_str()).is_some_and(is_interpreter_name)
        {
            missing.push((file, interpreter));
        }
    }
    (moved_from, stray, missing)
}

fn same_place(path: &Path, root: &Path, canonical_root: &Path) -> bool {
    path == root || std::fs::canonicalize(path).is_ok_and(|c| c == canonical_root)
}

/// The env directory the POSIX `activate` script sets, when it is a literal path.
pub fn activation_root(bin: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(bin.join("activate")).ok()?;
    text.lines().find_map(|line| {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        let value = line.strip_prefix("VIRTUAL_ENV=")?;
        let path = shell_unquote(value)?;
        path.starts_with('/').then(|| PathBuf::from(path))
    })
}

/// One POSIX shell word made of literal, `'…'` and `"…"` parts; `None` when
/// it expands anything (`$`, backquotes) or does not end cleanly.
fn shell_unquote(word: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    ch => out.push(ch),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => out.push(chars.next()?),
                    '$' | '`' => return None,
                    ch => out.push(ch),
                }
            },
            '\\' => out.push(chars.next()?),
            '$' | '`' => return None,
            ' ' | '\t' | ';' => break,
            ch => out.push(ch),
        }
    }
    Some(out)
}

fn same_version(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<String> { v.split('.').take(3).map(str::to_string).collect() };
    parts(a) == parts(b)
}

fn minor_of(v: &str) -> Option<(String, String)> {
    let mut parts = v.split('.');
    Some((parts.next()?.to_string(), parts.next()?.to_string()))
}

#[cfg(test)]
mod tests {
    use super::shell_unquote;

    #[test]
    fn unquotes_words() {
        assert_eq!(shell_unquote("'/a b'").as_deref(), Some("/a b"));
        assert_eq!(shell_unquote("\"/a\\\"b\"").as_deref(), Some("/a\"b"));
        assert_eq!(shell_unquote("'/it'\\''s'").as_deref(), Some("/it's"));
        assert_eq!(shell_unquote("/plain").as_deref(), Some("/plain"));
        assert_eq!(shell_unquote("$(cygpath x)"), None);
        assert_eq!(shell_unquote("'open"), None);
    }
}
