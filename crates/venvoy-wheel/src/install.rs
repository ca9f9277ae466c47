//! Installing an unpacked wheel image into an environment (PEP 427, PEP 376, PEP 491).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use std::os::unix::fs::PermissionsExt;

use venvoy_dist::{EntryPoints, FileHash, RecordEntry, ScriptKind, write_record};
use venvoy_fs::stage::StagedTree;

use crate::cache::wheel_filename;
use crate::hash::sha256_reader;
use crate::image::Manifest;
use crate::link::{LinkMode, Linked, Linker, link_file};
use crate::scheme::relative_path;
use crate::scripts::{adjust_pip_scripts, is_protected_script, launcher, rewrite_python_shebang};
use crate::{InstallError, InstallScheme, TargetPython, WheelCache};

/// The value written to `INSTALLER`.
pub const INSTALLER: &str = "venvoy";

/// What [`install_wheel`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installation {
    /// Distribution name, from the wheel file name.
    pub name: String,
    /// Version, from the wheel file name.
    pub version: String,
    /// The installed `.dist-info` directory.
    pub dist_info: PathBuf,
    /// Every file written (absolute paths), `RECORD` last.
    pub files: Vec<PathBuf>,
    /// The launcher scripts generated from entry points.
    pub scripts: Vec<PathBuf>,
    /// How many files were hardlinked from the cache.
    pub hardlinked: usize,
    /// How many files were cloned (copy-on-write).
    pub cloned: usize,
    /// How many files were copied or written fresh.
    pub copied: usize,
    /// Whether the wheel had to be unpacked into the cache for this install.
    pub unpacked: bool,
}

/// Install `wheel` into `scheme` for `target`, through the image in `cache`.
///
/// The wheel's tags must fit `target`; its members must be safe relative paths
/// matching the hashes in its `RECORD`. Files are materialised with `mode`;
/// `INSTALLER` (`venvoy`), `REQUESTED` (when `requested`) and a new `RECORD`
/// listing every installed file are written, and launchers are generated for
/// `console_scripts` and `gui_scripts`.
///
/// All or nothing: every file is first built in a [`StagedTree`] inside
/// `scheme.data` (the env root, same file system), then moved into place with
/// the `.dist-info` directory and its `RECORD` last. A failure while building
/// (a full disk) removes the stage and leaves the env as it was; a kill while
/// moving leaves a committed stage that the next venvoy run touching the env
/// finishes moving in.
///
/// Like uv (and unlike pip's default), no `.pyc` files are compiled: Python
/// writes them on first import, and `pip uninstall` removes them. An older
/// version of the same distribution is not uninstalled first; callers that
/// upgrade must remove it themselves.
pub fn install_wheel(
    wheel: &Path,
    scheme: &InstallScheme,
    target: &TargetPython,
    cache: &WheelCache,
    mode: LinkMode,
    requested: bool,
) -> Result<Installation, InstallError> {
    scheme.validate()?;
    let filename = wheel_filename(wheel)?;
    if !target.is_compatible(&filename) {
        let tags: Vec<String> = filename.tags().map(|(p, a, f)| format!("{p}-{a}-{f}")).collect();
        return Err(InstallError::Incompatible {
            wheel: wheel.to_path_buf(),
            tags: tags.join(", "),
            target: target.to_string(),
        });
    }
    let image = cache.unpack(wheel)?;
    let stage =
        StagedTree::new(&scheme.data).map_err(InstallError::io("cannot stage files in", &scheme.data))?;
    let mut tx = Transaction { stage, created: Vec::new(), dirs: Default::default() };
    let mut installation =
        tx.run(wheel, scheme, target, &image.files_dir(), image.manifest(), mode, requested)?;
    installation.unpacked = image.was_unpacked();
    let dist_info = installation.dist_info.strip_prefix(&scheme.data).unwrap_or(&installation.dist_info);
    let record = dist_info.join("RECORD");
    tx.stage
        .commit(&[dist_info, &record])
        .map_err(InstallError::io("cannot move the installed files into", &scheme.data))?;
    Ok(installation)
}

/// An install being built in its stage; dropping it unfinished removes the stage.
struct Transaction {
    stage: StagedTree,
    /// The final paths of the files written.
    created: Vec<PathBuf>,
    /// Directories known to exist: each is created (or checked) once, not
    /// once per file — `mkdir` is the slowest call of an install.
    dirs: std::collections::HashSet<PathBuf>,
}

/// Where one image file goes and whether it is a script.
struct Placement<'a> {
    source: &'a crate::image::ImageFile,
    dest: PathBuf,
    script: bool,
}

impl Transaction {
    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        wheel: &Path,
        scheme: &InstallScheme,
        target: &TargetPython,
        files_dir: &Path,
        manifest: &Manifest,
        mode: LinkMode,
        requested: bool,
    ) -> Result<Installation, InstallError> {
        let python = scheme.python.as_os_str().as_encoded_bytes();
        let root = if manifest.root_is_purelib { &scheme.purelib } else { &scheme.platlib };
        let dist_info_dir = root.join(&manifest.dist_info);
        let placements = plan(wheel, scheme, root, manifest)?;

        let mut record: Vec<RecordEntry> = Vec::new();
        let mut recorded: HashMap<PathBuf, usize> = HashMap::new();
        let mut add_record =
            |record: &mut Vec<RecordEntry>, dest: &Path, hash: Option<FileHash>, size: Option<u64>| {
                let entry = RecordEntry { path: relative_path(dest, root), hash, size };
                match recorded.get(dest) {
                    Some(&i) => record[i] = entry,
                    None => {
                        recorded.insert(dest.to_path_buf(), record.len());
                        record.push(entry);
                    }
                }
            };
        let (mut hardlinked, mut cloned, mut copied) = (0, 0, 0);

        // Directories first, shallowest first, each level's made in parallel;
        // then the files, linked in parallel. Creating directories and links
        // is most of an install's time, and the kernel serialises them only
        // within one parent directory.
        self.dirs.extend(self.stage.path().ancestors().map(Path::to_path_buf));
        let staged: Vec<PathBuf> = placements.iter().map(|p| self.at(&p.dest)).collect::<Result<_, _>>()?;
        self.make_dirs(staged.iter().filter_map(|p| p.parent()))?;
        let (plain, scripted): (Vec<&Placement>, Vec<&Placement>) =
            placements.iter().partition(|p| !p.script);
        let linked = self.link_all(files_dir, &plain, mode)?;
        for (placement, how) in plain.iter().zip(linked) {
            match how {
                Linked::Hardlinked => hardlinked += 1,
                Linked::Cloned => cloned += 1,
                Linked::Copied => copied += 1,
            }
            let hash = FileHash::parse(&format!("sha256={}", placement.source.sha256));
            add_record(&mut record, &placement.dest, hash, Some(placement.source.size));
        }
        for placement in scripted {
            let src = files_dir.join(&placement.source.path);
            let content = std::fs::read(&src).map_err(InstallError::io("cannot read", &src))?;
            let content = rewrite_python_shebang(&content, python).unwrap_or(content);
            let (hash, size) = self.write_file(&placement.dest, &content, 0o755)?;
            add_record(&mut record, &placement.dest, Some(hash), Some(size));
            copied += 1;
        }

        let mut scripts = Vec::new();
        let entry_points_path = files_dir.join(&manifest.dist_info).join("entry_points.txt");
        if entry_points_path.is_file() {
            let bytes = std::fs::read(&entry_points_path)
                .map_err(InstallError::io("cannot read", &entry_points_path))?;
            let metadata_err = |source| InstallError::Metadata {
                wheel: wheel.to_path_buf(),
                file: format!("{}/entry_points.txt", manifest.dist_info),
                source,
            };
            let entry_points = EntryPoints::parse(&bytes).map_err(metadata_err)?;
            for kind in [ScriptKind::Console, ScriptKind::Gui] {
                let entries = entry_points.scripts(kind).map_err(metadata_err)?;
                let entries = adjust_pip_scripts(&manifest.name, entries, target.major, target.minor);
                for entry in entries {
                    let Some(text) = launcher(&entry, python) else {
                        return Err(InstallError::InvalidWheel {
                            wheel: wheel.to_path_buf(),
                            reason: format!("entry point `{}` names no function to call", entry.name),
                        });
                    };
                    if is_protected_script(&entry.name) {
                        return Err(InstallError::InvalidWheel {
                            wheel: wheel.to_path_buf(),
                            reason: format!(
                                "entry point `{}` would replace the environment's own `{}`",
                                entry.name, entry.name
                            ),
                        });
                    }
                    let dest = scheme.scripts.join(&entry.name);
                    let (hash, size) = self.write_file(&dest, &text, 0o755)?;
                    add_record(&mut record, &dest, Some(hash), Some(size));
                    copied += 1;
                    scripts.push(dest);
                }
            }
        }

        self.ensure_dir(&self.at(&dist_info_dir)?)?;
        let installer = dist_info_dir.join("INSTALLER");
        let (hash, size) = self.write_file(&installer, format!("{INSTALLER}\n").as_bytes(), 0o644)?;
        add_record(&mut record, &installer, Some(hash), Some(size));
        if requested {
            let path = dist_info_dir.join("REQUESTED");
            let (hash, size) = self.write_file(&path, b"", 0o644)?;
            add_record(&mut record, &path, Some(hash), Some(size));
        }
        let record_path = dist_info_dir.join("RECORD");
        add_record(&mut record, &record_path, None, None);
        self.write_file(&record_path, write_record(&record).as_bytes(), 0o644)?;

        Ok(Installation {
            name: manifest.name.clone(),
            version: manifest.version.clone(),
            dist_info: dist_info_dir,
            files: self.created.clone(),
            scripts,
            hardlinked,
            cloned,
            copied,
            unpacked: false,
        })
    }

    /// Create every directory in `dirs` (and their parents) that this install
    /// has not seen yet: level by level, shallowest first, each level split
    /// over a few threads.
    fn make_dirs<'p>(&mut self, dirs: impl Iterator<Item = &'p Path>) -> Result<(), InstallError> {
        let mut wanted: std::collections::BTreeSet<&Path> = std::collections::BTreeSet::new();
        for dir in dirs {
            let mut d = Some(dir);
            while let Some(current) = d {
                if self.dirs.contains(current) || !wanted.insert(current) {
                    break;
                }
                d = current.parent();
            }
        }
        let mut levels: std::collections::BTreeMap<usize, Vec<&Path>> = std::collections::BTreeMap::new();
        for dir in wanted {
            levels.entry(dir.components().count()).or_default().push(dir);
        }
        for (_, level) in levels {
            parallel(&level, |dir| match std::fs::create_dir(dir) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    // A parent outside this install's plan (the scheme root): make it all.
                    std::fs::create_dir_all(dir).map_err(InstallError::io("cannot create", dir))
                }
                Err(e) => Err(InstallError::io("cannot create", dir)(e)),
            })
            .into_iter()
            .collect::<Result<Vec<()>, _>>()?;
            self.dirs.extend(level.iter().map(|d| d.to_path_buf()));
        }
        Ok(())
    }

    /// Link (or clone, or copy) every file into the stage, a few threads at a time.
    fn link_all(
        &mut self,
        files_dir: &Path,
        plain: &[&Placement],
        mode: LinkMode,
    ) -> Result<Vec<Linked>, InstallError> {
        let linker = Linker::new(mode);
        let stage = &self.stage;
        // The stage is fresh and every destination distinct: nothing is in the way.
        let results = parallel(plain, |placement| {
            let src = files_dir.join(&placement.source.path);
            let staged = stage.staged(&placement.dest).ok_or_else(|| outside(&placement.dest))?;
            link_file(&linker, &src, &staged)
        });
        let mut linked = Vec::with_capacity(plain.len());
        let mut first_error = None;
        for (placement, result) in plain.iter().zip(results) {
            match result {
                Ok(how) => {
                    self.created.push(placement.dest.clone());
                    linked.push(how);
                }
                Err(err) => {
                    first_error.get_or_insert(err);
                }
            }
        }
        match first_error {
            Some(err) => Err(err),
            None => Ok(linked),
        }
    }

    /// Where the file that goes to `dest` is built.
    fn at(&self, dest: &Path) -> Result<PathBuf, InstallError> {
        self.stage.staged(dest).ok_or_else(|| outside(dest))
    }

    /// Write the file that goes to `path` into the stage. A file already
    /// staged there (a launcher over a `.data` script) is unlinked first,
    /// never written through: it may be a hardlink into the image cache.
    fn write_file(
        &mut self,
        path: &Path,
        content: &[u8],
        mode: u32,
    ) -> Result<(FileHash, u64), InstallError> {
        let staged = self.at(path)?;
        if let Some(dir) = staged.parent() {
            self.ensure_dir(dir)?;
        }
        clear_destination(&staged)?;
        std::fs::write(&staged, content)
            .and_then(|()| std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(mode)))
            .map_err(InstallError::io("cannot write", path))?;
        if !self.created.iter().any(|p| p == path) {
            self.created.push(path.to_path_buf());
        }
        let (digest, size) = sha256_reader(content).map_err(InstallError::io("cannot hash", path))?;
        Ok((FileHash::sha256(digest), size))
    }

    /// Create `dir` and its parents, unless this install already did.
    fn ensure_dir(&mut self, dir: &Path) -> Result<(), InstallError> {
        if self.dirs.contains(dir) {
            return Ok(());
        }
        std::fs::create_dir_all(dir).map_err(InstallError::io("cannot create", dir))?;
        let mut known = Some(dir);
        while let Some(d) = known {
            if !self.dirs.insert(d.to_path_buf()) {
                break;
            }
            known = d.parent();
        }
        Ok(())
    }
}

/// The error for a destination outside the scheme's data directory, which
/// the stage mirrors.
fn outside(dest: &Path) -> InstallError {
    InstallError::Scheme { path: dest.to_path_buf(), reason: "every install directory must be inside `data`" }
}

/// Remove a file already staged at `dest` (never a directory: that is an error).
fn clear_destination(dest: &Path) -> Result<(), InstallError> {
    match std::fs::symlink_metadata(dest) {
        Ok(meta) if meta.is_dir() => Err(InstallError::Io {
            action: "a directory is in the way of",
            path: dest.to_path_buf(),
            source: std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        }),
        Ok(_) => std::fs::remove_file(dest).map_err(InstallError::io("cannot replace", dest)),
        Err(_) => Ok(()),
    }
}

/// Run `job` on every item on a few threads; results come back in order.
fn parallel<T: Sync, R: Send>(
    items: &[T],
    job: impl Fn(&T) -> Result<R, InstallError> + Sync,
) -> Vec<Result<R, InstallError>> {
    const THREADS: usize = 4;
    if items.len() < 16 {
        return items.iter().map(&job).collect();
    }
    let chunk = items.len().div_ceil(THREADS);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&job).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// Decide where every image file goes, before anything is written.
fn plan<'a>(
    wheel: &Path,
    scheme: &InstallScheme,
    root: &Path,
    manifest: &'a Manifest,
) -> Result<Vec<Placement<'a>>, InstallError> {
    let invalid = |reason: String| InstallError::InvalidWheel { wheel: wheel.to_path_buf(), reason };
    let data_prefix = format!("{}/", manifest.data_dir());
    let dist_info_prefix = format!("{}/", manifest.dist_info);
    let skipped = ["RECORD", "RECORD.jws", "RECORD.p7s", "INSTALLER", "REQUESTED"];
    let mut placements = Vec::new();
    let mut seen: HashMap<PathBuf, &str> = HashMap::new();
    for file in &manifest.files {
        if let Some(name) = file.path.strip_prefix(&dist_info_prefix)
            && skipped.contains(&name)
        {
            continue;
        }
        let (dest, script) = match file.path.strip_prefix(&data_prefix) {
            Some(rest) => {
                let Some((key, inner)) = rest.split_once('/') else {
                    return Err(invalid(format!(
                        "`{}` is not inside a scheme directory of `.data`",
                        file.path
                    )));
                };
                match key {
                    "purelib" => (scheme.purelib.join(inner), false),
                    "platlib" => (scheme.platlib.join(inner), false),
                    "scripts" if !inner.contains('/') && is_protected_script(inner) => {
                        return Err(invalid(format!(
                            "`{}` would replace the environment's own `{inner}`",
                            file.path
                        )));
                    }
                    "scripts" => (scheme.scripts.join(inner), true),
                    "headers" => (scheme.include.join(&manifest.name).join(inner), false),
                    "data" => (scheme.data.join(inner), false),
                    other => {
                        return Err(invalid(format!(
                            "unknown `.data` directory `{other}` in `{}`",
                            file.path
                        )));
                    }
                }
            }
            None => (root.join(&file.path), false),
        };
        if let Some(previous) = seen.insert(dest.clone(), &file.path) {
            return Err(invalid(format!(
                "`{previous}` and `{}` both install to `{}`",
                file.path,
                dest.display()
            )));
        }
        placements.push(Placement { source: file, dest, script });
    }
    Ok(placements)
}
