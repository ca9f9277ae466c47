//! `clone`: a new, independent env at another path, built in a hidden
//! sibling of the destination and renamed into place in one step, so the
//! destination is complete or absent whatever happens; the source is only read.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use venvoy_fs::atomic::{clean_stale_siblings, rename_noreplace, temp_sibling};
use venvoy_python::PyvenvCfg;

use crate::activation;
use crate::checks;
use crate::error::RelocateError;
use crate::link::LinkMode;
use crate::prefix::Prefixes;
use crate::tree::{Stats, TreeCopy};

/// The result of [`clone_env`] (and of the copy inside a move).
#[derive(Debug, Clone)]
pub struct Cloned {
    /// The new env's root.
    pub root: PathBuf,
    pub stats: Stats,
}

/// Copy the env at `source` to `dest`, which must not exist. Unchanged
/// files are placed with `link`; every file naming the old location is
/// written fresh with the new one.
pub fn clone_env(source: &Path, dest: &Path, link: LinkMode) -> Result<Cloned, RelocateError> {
    let canonical = checks::source(source)?;
    let dest = checks::dest(source, &canonical, dest)?;
    copy_to(source, &canonical, &dest, link)
}

/// The shared part of clone and move: build aside, then publish.
pub(crate) fn copy_to(
    source: &Path,
    canonical: &Path,
    dest: &Path,
    link: LinkMode,
) -> Result<Cloned, RelocateError> {
    let parent = dest.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(parent).map_err(RelocateError::io("create", parent))?;
    clean_stale_siblings(dest);
    let staging = temp_sibling(dest).map_err(RelocateError::io("create a directory in", parent))?;
    let stats = build(source, canonical, staging.path(), dest, link)?;
    match rename_noreplace(staging.path(), dest) {
        Ok(()) => {
            let _ = staging.keep();
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(RelocateError::DestExists { path: dest.to_path_buf() });
        }
        Err(e) => return Err(RelocateError::io("create", dest)(e)),
    }
    tracing::debug!("{stats:?}");
    Ok(Cloned { root: dest.to_path_buf(), stats })
}

/// Fill `staging` with the env at `source` as it must look at `dest`.
fn build(
    source: &Path,
    canonical: &Path,
    staging: &Path,
    dest: &Path,
    link: LinkMode,
) -> Result<Stats, RelocateError> {
    let cfg = PyvenvCfg::read(source).map_err(RelocateError::io("read", source.join("pyvenv.cfg")))?;
    let scripts = venvoy_fs::scripts_dir(source)
        .and_then(|d| d.file_name().map(OsStr::to_os_string))
        .unwrap_or_else(|| "bin".into());
    // The source's own names, and any older place its scripts still name
    // (an env copied with `cp -a` keeps the original's shebangs).
    let mut old = vec![source.to_path_buf(), canonical.to_path_buf()];
    old.extend(crate::prefix::former_roots(source, &source.join(&scripts)));
    let prefixes = Prefixes::new(old, dest);
    let activation =
        activation::render(dest, &scripts.to_string_lossy(), &cfg, activation::is_relocatable(&cfg), source);
    TreeCopy { prefixes: &prefixes, scripts_dir: &scripts, activation: &activation, link }
        .run(source, staging)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::MetadataExt;

    use super::*;

    /// A venv made by hand: every kind of file that names its path.
    fn fake_env(root: &Path) {
        let site = root.join("lib/python3.12/site-packages");
        for dir in ["bin", "src/proj", "pkg/__pycache__", "pkg-1.dist-info"] {
            let dir = if dir.starts_with("pkg") { site.join(dir) } else { root.join(dir) };
            std::fs::create_dir_all(dir).unwrap();
        }
        let r = root.display();
        let files = [
            ("pyvenv.cfg".to_string(), format!("home = /usr/bin\ncommand = /usr/bin/python3 -m venv {r}\n")),
            ("bin/activate".into(), format!("VIRTUAL_ENV='{r}'\n")),
            ("bin/tool".into(), format!("#!{r}/bin/python\nimport tool\n")),
            ("bin/other".into(), format!("#!/usr/bin/env python3\nprint('{r}/x')\n")),
            (
                "lib/python3.12/site-packages/pkg/__init__.py".into(),
                format!("# {r}: package contents are not read\n"),
            ),
            ("lib/python3.12/site-packages/pkg/__pycache__/__init__.cpython-312.pyc".into(), "stale".into()),
            ("lib/python3.12/site-packages/proj.pth".into(), format!("{r}/src/proj\n")),
            (
                "lib/python3.12/site-packages/pkg-1.dist-info/direct_url.json".into(),
                format!("{{\"dir_info\": {{\"editable\": true}}, \"url\": \"file://{r}/src/proj\"}}"),
            ),
            (
                "lib/python3.12/site-packages/pkg-1.dist-info/RECORD".into(),
                format!(
                    "pkg/__init__.py,sha256=AAAA,3\n../../../bin/tool,sha256=AAAA,3\n{r}/share/x,,\npkg-1.dist-info/RECORD,,\n"
                ),
            ),
        ];
        for (rel, text) in files {
            std::fs::write(root.join(rel), text).unwrap();
        }
        std::os::unix::fs::symlink("/usr/bin/python3", root.join("bin/python")).unwrap();
        std::os::unix::fs::symlink(root.join("src/proj"), root.join("bin/proj-link")).unwrap();
    }

    #[test]
    fn every_kind_of_file_follows_the_env() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old");
        let new = dir.path().join("new env");
        fake_env(&old);
        let cloned = clone_env(&old, &new, LinkMode::Hardlink).unwrap();
        assert_eq!(cloned.stats.caches_dropped, 1);
        let read = |rel: &str| std::fs::read_to_string(new.join(rel)).unwrap();
        let (o, n) = (old.display().to_string(), new.display().to_string());
        assert!(read("pyvenv.cfg").contains(&format!("-m venv {n}\n")));
        assert!(read("bin/activate").contains(&n) && !read("bin/activate").contains(&o));
        // The new path has a space: the `/bin/sh` form.
        assert!(read("bin/tool").starts_with(&format!(
            "#!/bin/sh\n'''exec' '{n}/bin/python' \"$0\" \"$@\"\n' '''\nimport tool\n"
        )));
        assert_eq!(read("bin/other"), format!("#!/usr/bin/env python3\nprint('{n}/x')\n"));
        let site = "lib/python3.12/site-packages";
        assert!(
            read(&format!("{site}/pkg/__init__.py")).contains(&o),
            "package contents are linked as they are"
        );
        assert_eq!(read(&format!("{site}/proj.pth")), format!("{n}/src/proj\n"));
        assert!(read(&format!("{site}/pkg-1.dist-info/direct_url.json")).contains("file:///"));
        assert!(read(&format!("{site}/pkg-1.dist-info/direct_url.json")).contains("new%20env/src/proj"));
        let record = read(&format!("{site}/pkg-1.dist-info/RECORD"));
        assert!(record.contains(&format!("{n}/share/x,,")), "{record}");
        assert!(record.contains("pkg/__init__.py,sha256=AAAA,3\n"), "{record}");
        assert!(!record.contains("../../../bin/tool,sha256=AAAA,3"), "{record}");
        assert!(!new.join(format!("{site}/pkg/__pycache__")).exists());
        assert_eq!(std::fs::read_link(new.join("bin/python")).unwrap(), Path::new("/usr/bin/python3"));
        assert_eq!(std::fs::read_link(new.join("bin/proj-link")).unwrap(), new.join("src/proj"));
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        let pkg = format!("{site}/pkg/__init__.py");
        assert_eq!(ino(&old.join(&pkg)), ino(&new.join(&pkg)), "unchanged files are hardlinked");
        let pth = format!("{site}/proj.pth");
        assert_ne!(ino(&old.join(&pth)), ino(&new.join(&pth)));
        // The source is untouched, and no temporary directory is left.
        assert_eq!(
            std::fs::read_to_string(old.join("bin/tool")).unwrap(),
            format!("#!{o}/bin/python\nimport tool\n")
        );
        assert!(old.join(format!("{site}/pkg/__pycache__/__init__.cpython-312.pyc")).exists());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
