//! `create`: the whole job of making a venv, for each state the target can be in.

use std::io;
use std::path::{Path, PathBuf};

use venvoy_python::{Interpreter, PyvenvCfg};

use crate::cfg;
use crate::error::CreateError;
use crate::layout::Layout;
use crate::options::{CreateOptions, Existing, LinkMode};
use venvoy_fs::atomic;

/// What `create` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Created,
    Cleared,
    Upgraded,
    Refreshed,
}

impl Action {
    /// Its stable id (`create --json` shows it).
    pub fn word(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Cleared => "cleared",
            Self::Upgraded => "upgraded",
            Self::Refreshed => "refreshed",
        }
    }
}

/// The venv that was made.
#[derive(Debug, Clone)]
pub struct Created {
    pub root: PathBuf,
    /// The venv's own interpreter (`<root>/bin/python3`).
    pub python: PathBuf,
    pub layout: Layout,
    pub action: Action,
    /// The prompt its activation scripts show.
    pub prompt: String,
    /// Things the user should know (e.g. compiled packages after an upgrade).
    pub notes: Vec<String>,
}

/// The state of the target before `create` touches it.
#[derive(Debug)]
enum Target {
    Missing,
    EmptyDir,
    Venv,
    NonEmptyDir,
    NotADirectory,
    Symlink(PathBuf),
}

fn inspect(target: &Path) -> Result<Target, CreateError> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::Missing),
        Err(e) => return Err(CreateError::io("cannot look at", target, e)),
    };
    if meta.file_type().is_symlink() {
        return Ok(Target::Symlink(std::fs::read_link(target).unwrap_or_default()));
    }
    if !meta.is_dir() {
        return Ok(Target::NotADirectory);
    }
    if venvoy_fs::is_venv(target) {
        return Ok(Target::Venv);
    }
    let mut entries = std::fs::read_dir(target).map_err(|e| CreateError::io("cannot read", target, e))?;
    Ok(if entries.next().is_none() { Target::EmptyDir } else { Target::NonEmptyDir })
}

/// Make a venv at `opts.target` from `interpreter`.
///
/// A new venv is built in a hidden sibling directory and renamed into place,
/// so the target holds either nothing or a complete venv, whenever the
/// process is stopped. `--clear` swaps the new venv in the same way.
/// `--allow-existing` and `--upgrade` work in place.
pub fn create(interpreter: &Interpreter, opts: &CreateOptions) -> Result<Created, CreateError> {
    let target = &opts.target;
    let sep = if cfg!(windows) { ';' } else { ':' };
    if target.as_os_str().as_encoded_bytes().contains(&(sep as u8)) {
        return Err(CreateError::PathSeparator { path: target.clone(), sep });
    }
    // Every activation script but POSIX sh's is text: refused here rather
    // than written as scripts that refuse.
    if target.to_str().is_none() {
        return Err(CreateError::NotUtf8 { path: target.clone() });
    }
    let layout = Layout::for_interpreter(interpreter)?;
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| CreateError::io("cannot create the directory", parent, e))?;
        atomic::clean_stale_siblings(target);
    }
    let state = inspect(target)?;
    tracing::debug!("target `{}` is {state:?}", target.display());
    let (action, notes) = match (state, opts.existing) {
        (Target::Symlink(to), _) => return Err(CreateError::Symlink { path: target.clone(), target: to }),
        (Target::NotADirectory, _) => return Err(CreateError::NotADirectory { path: target.clone() }),
        (Target::Missing, _) => {
            build_and_rename(interpreter, &layout, opts, false)?;
            (Action::Created, vec![])
        }
        (Target::EmptyDir, _) => {
            build_and_rename(interpreter, &layout, opts, true)?;
            (Action::Created, vec![])
        }
        (Target::Venv, Existing::Refuse) => return Err(CreateError::AlreadyVenv { path: target.clone() }),
        (Target::NonEmptyDir, Existing::Refuse) => {
            return Err(CreateError::NotEmpty { path: target.clone() });
        }
        (Target::Venv | Target::NonEmptyDir, Existing::Clear { force }) => {
            // The one deletion gate: a venv with no project or user data in it.
            if !force {
                venvoy_fs::check_deletable(target)
                    .map_err(|refusal| CreateError::ClearRefused { refusal })?;
            }
            build_and_swap(interpreter, &layout, opts)?;
            (Action::Cleared, vec![])
        }
        (Target::Venv | Target::NonEmptyDir, Existing::AllowExisting) => {
            populate(target, interpreter, &layout, opts, true)?;
            (Action::Refreshed, vec![])
        }
        (Target::NonEmptyDir, Existing::Upgrade) => {
            return Err(CreateError::UpgradeNotVenv { path: target.clone() });
        }
        (Target::Venv, Existing::Upgrade) => (Action::Upgraded, upgrade(interpreter, &layout, opts)?),
    };
    Ok(Created {
        root: target.clone(),
        python: layout.python(target),
        prompt: prompt_for(opts),
        layout,
        action,
        notes,
    })
}

fn prompt_for(opts: &CreateOptions) -> String {
    opts.prompt.clone().unwrap_or_else(|| {
        opts.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "venv".into())
    })
}

/// Build in a temporary sibling and rename it to the target. `over_empty`:
/// the target is an empty directory, which the rename may replace.
fn build_and_rename(
    interpreter: &Interpreter,
    layout: &Layout,
    opts: &CreateOptions,
    over_empty: bool,
) -> Result<(), CreateError> {
    let target = &opts.target;
    let tmp = atomic::temp_sibling(target)
        .map_err(|e| CreateError::io("cannot create a directory next to", target, e))?;
    populate(tmp.path(), interpreter, layout, opts, false)?;
    let result = if over_empty {
        // rename(2) replaces an empty directory, and fails if it has filled up meanwhile.
        keep_mode(target, tmp.path());
        std::fs::rename(tmp.path(), target)
    } else {
        atomic::rename_noreplace(tmp.path(), target)
    };
    match result {
        Ok(()) => {
            // The directory now lives at `target`: do not delete it on drop.
            let _ = tmp.keep();
            Ok(())
        }
        Err(e) if is_exists_error(&e) => Err(CreateError::Raced { path: target.clone() }),
        Err(e) => Err(CreateError::io("cannot move the new venv into place at", target, e)),
    }
}

fn is_exists_error(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::AlreadyExists | io::ErrorKind::DirectoryNotEmpty)
}

/// Give the new directory the permissions of the empty one it replaces.
fn keep_mode(from: &Path, to: &Path) {
    if let Ok(meta) = std::fs::metadata(from) {
        let _ = std::fs::set_permissions(to, meta.permissions());
    }
}

/// `--clear`: build the new venv aside, swap it with the old one, delete the old.
fn build_and_swap(
    interpreter: &Interpreter,
    layout: &Layout,
    opts: &CreateOptions,
) -> Result<(), CreateError> {
    let target = &opts.target;
    let tmp = atomic::temp_sibling(target)
        .map_err(|e| CreateError::io("cannot create a directory next to", target, e))?;
    populate(tmp.path(), interpreter, layout, opts, false)?;
    keep_mode(target, tmp.path());
    let swapped = atomic::exchange(tmp.path(), target)
        .map_err(|e| CreateError::io("cannot swap in the new venv at", target, e))?;
    if swapped {
        // `tmp` now holds the old contents; dropping it deletes them.
        drop(tmp);
        return Ok(());
    }
    let aside = atomic::aside_path(target);
    std::fs::rename(target, &aside).map_err(|e| CreateError::io("cannot move aside", target, e))?;
    if let Err(e) = std::fs::rename(tmp.path(), target) {
        let _ = std::fs::rename(&aside, target);
        return Err(CreateError::io("cannot move the new venv into place at", target, e));
    }
    let _ = tmp.keep();
    std::fs::remove_dir_all(&aside)
        .map_err(|e| CreateError::io("cannot delete the old contents of", &aside, e))?;
    Ok(())
}

/// `--upgrade`: re-point an existing venv to `interpreter`, keeping site-packages.
fn upgrade(
    interpreter: &Interpreter,
    layout: &Layout,
    opts: &CreateOptions,
) -> Result<Vec<String>, CreateError> {
    let target = &opts.target;
    let old =
        PyvenvCfg::read(target).map_err(|e| CreateError::io("cannot read", target.join("pyvenv.cfg"), e))?;
    let old_version = old.version().unwrap_or("").to_string();
    let mut parts = old_version.split('.').map(|p| p.parse::<u64>().ok());
    let (old_major, old_minor) = (parts.next().flatten(), parts.next().flatten());
    let (major, minor) = (interpreter.major(), interpreter.minor());
    let mut notes = Vec::new();
    if let (Some(old_major), Some(old_minor)) = (old_major, old_minor) {
        if old_major != major || old_minor > minor {
            return Err(CreateError::UpgradeDowngrade {
                path: target.clone(),
                from: old_version,
                to: interpreter.version_string(),
                major: old_major,
            });
        }
        if old_minor != minor {
            let old_site = PathBuf::from(
                layout
                    .purelib
                    .to_string_lossy()
                    .replace(&format!("{major}.{minor}"), &format!("{old_major}.{old_minor}")),
            );
            let (from, to) = (target.join(&old_site), target.join(&layout.purelib));
            if old_site != layout.purelib && from.is_dir() && !to.exists() {
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| CreateError::io("cannot create", parent, e))?;
                }
                std::fs::rename(&from, &to)
                    .map_err(|e| CreateError::io("cannot move site-packages to", &to, e))?;
                notes.push(format!(
                    "moved site-packages from `{}` to `{}`; packages with compiled extensions were built for Python {old_major}.{old_minor} and must be reinstalled",
                    old_site.display(),
                    layout.purelib.display()
                ));
            }
        }
    }
    // Old interpreter names (python3.11 after moving to 3.12) would run nothing: remove them.
    let bin = target.join(&layout.scripts);
    if let Ok(entries) = std::fs::read_dir(&bin) {
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            if name.to_str().is_some_and(venvoy_fs::venv::is_interpreter_name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    populate(target, interpreter, layout, opts, true)?;
    Ok(notes)
}

/// Write every file of the venv into `dir`, which will live at `opts.target`.
/// `in_place`: `dir` already has files (they are kept, interpreter links replaced).
fn populate(
    dir: &Path,
    interpreter: &Interpreter,
    layout: &Layout,
    opts: &CreateOptions,
    in_place: bool,
) -> Result<(), CreateError> {
    let mkdir = |rel: &Path| {
        let p = dir.join(rel);
        std::fs::create_dir_all(&p).map_err(|e| CreateError::io("cannot create the directory", p, e))
    };
    mkdir(&layout.scripts)?;
    let bin = dir.join(&layout.scripts);
    // Creating a file costs a few hundred microseconds on many file systems:
    // the activation scripts are written on a second thread meanwhile.
    std::thread::scope(|scope| {
        let activation = scope.spawn(|| write_activation(&bin, layout, opts, in_place));
        let rest = (|| {
            mkdir(&layout.purelib)?;
            if layout.platlib != layout.purelib {
                mkdir(&layout.platlib)?;
            }
            mkdir(&layout.include)?;
            if layout.lib64_link && layout.purelib.starts_with("lib") {
                let link = dir.join("lib64");
                if std::fs::symlink_metadata(&link).is_err() {
                    symlink(Path::new("lib"), &link)?;
                }
            }
            populate_rest(dir, &bin, interpreter, layout, opts, in_place)?;
            if let Some(seed) = &opts.seed {
                (seed.0)(dir, &opts.target)
                    .map_err(|source| CreateError::Seed { path: opts.target.clone(), source })?;
            }
            Ok(())
        })();
        let activation = activation.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        rest.and(activation)
    })
}

/// Everything but the activation scripts: interpreter links, `pyvenv.cfg`, tags.
fn populate_rest(
    dir: &Path,
    bin: &Path,
    interpreter: &Interpreter,
    layout: &Layout,
    opts: &CreateOptions,
    in_place: bool,
) -> Result<(), CreateError> {
    let link_target = link_target(interpreter);
    let main = bin.join(&layout.main_exe);
    replace_file(&main, in_place)?;
    match opts.link_mode {
        LinkMode::Symlinks => symlink(&link_target, &main)?,
        LinkMode::Copies => copy_exe(&interpreter.path, &main)?,
    }
    for alias in &layout.alias_exes {
        let path = bin.join(alias);
        replace_file(&path, in_place)?;
        match opts.link_mode {
            LinkMode::Symlinks => symlink(Path::new(&layout.main_exe), &path)?,
            LinkMode::Copies => copy_exe(&interpreter.path, &path)?,
        }
    }
    if opts.link_mode == LinkMode::Copies {
        copy_libpython(dir, interpreter)?;
    }

    write_file(
        dir,
        "pyvenv.cfg",
        cfg::render(interpreter, &link_target, opts).render().as_bytes(),
        in_place,
    )?;
    if opts.scm_ignore && !dir.join(".gitignore").exists() {
        write_file(dir, ".gitignore", b"# Created by venvoy automatically.\n*\n", in_place)?;
    }
    if !dir.join("CACHEDIR.TAG").exists() {
        write_file(
            dir,
            "CACHEDIR.TAG",
            b"Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by venvoy.\n# For information about cache directory tags see https://bford.info/cachedir/\n",
            in_place,
        )?;
    }

    Ok(())
}

/// Write the activation scripts for every shell into `bin`.
fn write_activation(
    bin: &Path,
    layout: &Layout,
    opts: &CreateOptions,
    in_place: bool,
) -> Result<(), CreateError> {
    let prompt = prompt_for(opts);
    let scripts_name = layout.scripts.to_string_lossy();
    // An env written again in place (`--upgrade`, `--allow-existing`) keeps
    // its variables (`venvoy env set`).
    let vars = venvoy_shell::EnvVars::load(&opts.target).unwrap_or_default();
    let config = venvoy_shell::ActivationConfig {
        env_dir: &opts.target,
        bin_dir_name: &scripts_name,
        prompt: &prompt,
        relocatable: opts.relocatable,
        vars: &vars,
    };
    for (name, contents) in venvoy_shell::render_all(&config) {
        write_file(bin, &name, &contents, in_place)?;
    }
    Ok(())
}

/// What `bin/python3` points to: the name the interpreter was found under
/// (e.g. `/usr/bin/python3.11`, which survives patch upgrades better than a
/// versioned install directory), when that still reaches the same file.
fn link_target(interpreter: &Interpreter) -> PathBuf {
    let found = &interpreter.found_as;
    if found.is_absolute() && std::fs::canonicalize(found).is_ok_and(|c| c == interpreter.path) {
        found.clone()
    } else {
        interpreter.path.clone()
    }
}

fn replace_file(path: &Path, in_place: bool) -> Result<(), CreateError> {
    if in_place && std::fs::symlink_metadata(path).is_ok() {
        std::fs::remove_file(path).map_err(|e| CreateError::io("cannot replace", path, e))?;
    }
    Ok(())
}

fn symlink(target: &Path, link: &Path) -> Result<(), CreateError> {
    #[cfg(unix)]
    let result = std::os::unix::fs::symlink(target, link);
    #[cfg(windows)]
    let result = std::os::windows::fs::symlink_file(target, link);
    result.map_err(|e| CreateError::io("cannot create the symlink", link, e))
}

fn copy_exe(from: &Path, to: &Path) -> Result<(), CreateError> {
    std::fs::copy(from, to).map_err(|e| CreateError::io("cannot copy the interpreter to", to, e))?;
    set_mode(to, 0o755)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<(), CreateError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| CreateError::io("cannot set permissions on", path, e))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<(), CreateError> {
    Ok(())
}

/// A copied interpreter built with a shared libpython finds it through its
/// RPATH; when that is relative (`$ORIGIN/../lib`) it must sit in the venv's `lib/`.
fn copy_libpython(dir: &Path, interpreter: &Interpreter) -> Result<(), CreateError> {
    let Some(d) = interpreter.details() else { return Ok(()) };
    let (true, Some(libdir), Some(soname)) = (d.shared_libpython, &d.libdir, &d.instsoname) else {
        return Ok(());
    };
    let from = libdir.join(soname);
    if !from.is_file() {
        return Ok(());
    }
    let lib = dir.join("lib");
    std::fs::create_dir_all(&lib).map_err(|e| CreateError::io("cannot create", &lib, e))?;
    let to = lib.join(soname);
    if !to.exists() {
        std::fs::copy(&from, &to).map_err(|e| CreateError::io("cannot copy libpython to", &to, e))?;
    }
    Ok(())
}

/// Write a file. Into a fresh directory (not yet visible at the target) it is
/// written directly; into a live venv, by renaming a finished temporary file
/// over the old one, so readers never see half a file.
fn write_file(dir: &Path, name: &str, contents: &[u8], in_place: bool) -> Result<(), CreateError> {
    use std::io::Write;
    let path = dir.join(name);
    if !in_place {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
        let mut file = options.open(&path).map_err(|e| CreateError::io("cannot write", &path, e))?;
        return file.write_all(contents).map_err(|e| CreateError::io("cannot write", &path, e));
    }
    atomic::write_atomic_mode(&path, contents, 0o644).map_err(|e| CreateError::io("cannot write", &path, e))
}
