//! `venvoy doctor --fix`: repair what is safe. Re-point the env to an
//! interpreter of its own minor version (links, `pyvenv.cfg` and activation
//! scripts made again by `venvoy_venv::create`), rewrite shebangs, fix the
//! `lib64` link, and move packages the interpreter cannot see into the
//! site-packages it reads. Nothing in site-packages is ever deleted.

use std::path::{Path, PathBuf};

use venvoy_python::{Discoverer, Interpreter, PyvenvCfg, Source};
use venvoy_venv::{CreateOptions, Existing, LinkMode};

use crate::check::CheckId;
use crate::doctor::Diagnosis;
use crate::venv::Venv;
use venvoy_dist::script_header::{Shebang, rewrite};

/// What `--fix` did, and what it could not do.
#[derive(Debug, Default, Clone)]
pub struct Repair {
    pub done: Vec<String>,
    pub not_fixed: Vec<String>,
}

/// Repair `venv` according to `diagnosis`.
pub fn repair(venv: &Venv, diagnosis: &Diagnosis, discoverer: &Discoverer, venvoy_version: &str) -> Repair {
    let mut out = Repair::default();
    let repoint = [
        CheckId::CfgMissing,
        CheckId::CfgMalformed,
        CheckId::BaseMissing,
        CheckId::BaseNotPython,
        CheckId::BaseVersion,
        CheckId::BrokenLink,
        CheckId::Moved,
    ]
    .iter()
    .any(|id| diagnosis.has(*id));
    if repoint {
        repoint_env(venv, diagnosis, discoverer, venvoy_version, &mut out);
    }
    if !diagnosis.stray_scripts.is_empty() {
        fix_shebangs(venv, diagnosis, &mut out);
    }
    if diagnosis.has(CheckId::Leftovers) {
        let mut removed = venvoy_fs::atomic::clean_stale_siblings(&venv.root);
        for dir in crate::doctor::leftover_dirs(venv) {
            removed.extend(venvoy_fs::atomic::clean_stale_in(&dir));
        }
        out.done.push(format!("removed {} temporary files left by interrupted runs", removed.len()));
    }
    if diagnosis.has(CheckId::Lib64Link) {
        let link = venv.root.join("lib64");
        let result = std::fs::remove_file(&link).and_then(|()| symlink(Path::new("lib"), &link));
        match result {
            Ok(()) => out.done.push("made `lib64` a link to `lib` again".into()),
            Err(e) => out.not_fixed.push(format!("cannot fix `{}`: {e}", link.display())),
        }
    }
    if diagnosis.has(CheckId::SitePackagesOffPath) {
        for (from, to) in &diagnosis.misplaced_site_packages {
            move_site_packages(from, to, &mut out);
        }
    }
    for finding in diagnosis.findings.iter().filter(|f| !f.fixable) {
        out.not_fixed.push(format!("{} ({}): {}", finding.message, finding.id.id(), finding.hint));
    }
    out
}

fn repoint_env(venv: &Venv, diagnosis: &Diagnosis, discoverer: &Discoverer, version: &str, out: &mut Repair) {
    let Some((major, minor, patch)) = venv.version() else {
        out.not_fixed.push(
            "cannot tell which Python version the env was made for (no version in `pyvenv.cfg`, no `lib/pythonX.Y`)"
                .into(),
        );
        return;
    };
    let Some(interpreter) = choose(venv, diagnosis, discoverer, (major, minor, patch)) else {
        let found: Vec<Interpreter> = discoverer
            .discover()
            .interpreters
            .into_iter()
            .filter(|i| !i.is_venv() && i.is_supported())
            .collect();
        let listed: Vec<String> = found.iter().map(Interpreter::version_string).collect();
        let listed = if listed.is_empty() { "none".to_string() } else { listed.join(", ") };
        let newer =
            found.iter().filter(|i| i.major() == major && i.minor() > minor).map(Interpreter::minor).min();
        let next_step = match newer {
            Some(m) => format!("run `venvoy create --upgrade -p {major}.{m} {}`", venv.root.display()),
            None => format!(
                "make it again with `venvoy create --clear -p VERSION {}` and reinstall its packages",
                venv.root.display()
            ),
        };
        out.not_fixed.push(format!(
            "no Python {major}.{minor} on this machine (found: {listed}); on another minor version, packages with compiled extensions must be reinstalled: {next_step}"
        ));
        return;
    };
    let link_mode = if venv
        .interpreter_links()
        .iter()
        .any(|l| l.target.is_none() && l.path.file_name().is_some_and(|n| n == "python"))
    {
        LinkMode::Copies
    } else {
        LinkMode::Symlinks
    };
    let opts = CreateOptions {
        target: venv.root.clone(),
        prompt: venv.explicit_prompt(),
        system_site_packages: venv.cfg.include_system_site_packages(),
        link_mode,
        existing: if venvoy_fs::is_venv(&venv.root) { Existing::Upgrade } else { Existing::AllowExisting },
        scm_ignore: false,
        relocatable: venv.relocatable(),
        command: venv.cfg.get("command").map_or_else(|| "venvoy doctor --fix".to_string(), str::to_string),
        venvoy_version: version.to_string(),
        seed: None,
    };
    let same_base = diagnosis.base_exists
        && diagnosis.base.as_ref().is_some_and(|b| {
            std::fs::canonicalize(b).is_ok_and(|c| c == interpreter.path)
                && !diagnosis.has(CheckId::BaseVersion)
        });
    let what = if same_base { "kept the env on" } else { "pointed the env at" };
    match venvoy_venv::create(&interpreter, &opts) {
        Ok(_) => {
            if venv.cfg_bytes.is_some() {
                keep_creator(&venv.root, &venv.cfg);
            }
            out.done.push(format!(
                "{what} `{}` (Python {}) and wrote its interpreter links, `pyvenv.cfg` and activation scripts again",
                interpreter.found_as.display(),
                interpreter.version_string()
            ));
        }
        Err(e) => {
            let hint = venvoy_fs::Hint::hint(&e).map(|h| format!(" ({h})")).unwrap_or_default();
            out.not_fixed.push(format!("cannot re-point the env: {e}{hint}"));
        }
    }
}

/// A repaired env still says which tool made it: the `uv`/`virtualenv` keys
/// come back, and venvoy's own key is only kept on envs venvoy made.
fn keep_creator(root: &Path, old: &PyvenvCfg) {
    let Ok(mut cfg) = PyvenvCfg::read(root) else { return };
    if old.get("venvoy").is_none() {
        cfg.remove("venvoy");
    }
    for key in ["uv", "virtualenv"] {
        if let Some(value) = old.get(key) {
            cfg.set(key, value);
        }
    }
    if let Err(e) = venvoy_fs::write_atomic(&root.join("pyvenv.cfg"), cfg.render().as_bytes()) {
        tracing::warn!("cannot write `{}`: {e}", root.join("pyvenv.cfg").display());
    }
}

/// The base itself when it still runs the env's minor version, else the
/// machine's interpreter of that minor version: the same patch first, then the newest.
fn choose(
    venv: &Venv,
    diagnosis: &Diagnosis,
    discoverer: &Discoverer,
    want: (u64, u64, Option<u64>),
) -> Option<Interpreter> {
    let (major, minor, patch) = want;
    let implementation = venv.implementation().map(str::to_ascii_lowercase);
    let fits = |i: &Interpreter| {
        i.major() == major
            && i.minor() == minor
            && !i.is_venv()
            && implementation
                .as_deref()
                .is_none_or(|want| i.implementation().display_name().eq_ignore_ascii_case(want))
    };
    // A base nobody vouches for is never run (`Diagnosis::base_not_run`).
    if diagnosis.base_exists
        && diagnosis.base_not_run.is_none()
        && let Some(base) = &diagnosis.base
        && let Ok(interpreter) = discoverer.inspect(base, Source::Request)
        && fits(&interpreter)
    {
        return Some(interpreter);
    }
    let mut candidates: Vec<Interpreter> =
        discoverer.discover().interpreters.into_iter().filter(fits).collect();
    candidates.sort_by_key(|i| (Some(i.micro()) != patch, std::cmp::Reverse(i.micro())));
    candidates.into_iter().next()
}

/// Move every entry of `from` into `to` by renaming (same file system, the
/// same env); an entry `to` already has is left where it is and reported.
/// `from` and its parent are removed only when that leaves them empty.
fn move_site_packages(from: &Path, to: &Path, out: &mut Repair) {
    if let Err(e) = std::fs::create_dir_all(to) {
        out.not_fixed.push(format!("cannot make `{}`: {e}", to.display()));
        return;
    }
    let Ok(entries) = std::fs::read_dir(from) else {
        out.not_fixed.push(format!("cannot read `{}`", from.display()));
        return;
    };
    let mut names: Vec<_> = entries.filter_map(Result::ok).map(|e| e.file_name()).collect();
    names.sort();
    let (mut moved, mut kept) = (0, Vec::new());
    for name in names {
        let dest = to.join(&name);
        if std::fs::symlink_metadata(&dest).is_ok() {
            kept.push(name.to_string_lossy().into_owned());
            continue;
        }
        match std::fs::rename(from.join(&name), &dest) {
            Ok(()) => moved += 1,
            Err(e) => out.not_fixed.push(format!("cannot move `{}`: {e}", from.join(&name).display())),
        }
    }
    if moved > 0 {
        out.done.push(format!("moved {moved} entries of `{}` to `{}`", from.display(), to.display()));
    }
    if kept.is_empty() {
        // Only empty directories go: `remove_dir` refuses anything else.
        if std::fs::remove_dir(from).is_ok()
            && let Some(parent) = from.parent()
        {
            let _ = std::fs::remove_dir(parent);
        }
    } else {
        out.not_fixed.push(format!(
            "left {} in `{}`: `{}` already has them",
            kept.join(", "),
            from.display(),
            to.display()
        ));
    }
}

fn fix_shebangs(venv: &Venv, diagnosis: &Diagnosis, out: &mut Repair) {
    let mut fixed = 0;
    for script in &diagnosis.stray_scripts {
        let Ok(contents) = std::fs::read(script) else { continue };
        let Some(shebang) = Shebang::parse(&contents) else { continue };
        let name = shebang.interpreter.file_name().map(PathBuf::from).unwrap_or_else(|| "python".into());
        let mut new = venv.bin.join(&name);
        if !new.exists() {
            new = venv.bin.join("python");
        }
        match rewrite(&contents, &new) {
            // Written beside and renamed over: a script hardlinked into another env keeps its content.
            Some(updated) => match venvoy_fs::write_atomic(script, &updated) {
                Ok(()) => fixed += 1,
                Err(e) => out.not_fixed.push(format!("cannot rewrite `{}`: {e}", script.display())),
            },
            None => out.not_fixed.push(format!("cannot rewrite the shebang of `{}`", script.display())),
        }
    }
    if fixed > 0 {
        out.done.push(format!("pointed the shebangs of {fixed} scripts at `{}`", venv.bin.display()));
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "symlinks are not supported here"))
}
