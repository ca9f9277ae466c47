//! Where a wheel's files go: the install scheme of one environment.

use std::path::{Path, PathBuf};

use crate::InstallError;

/// The directories of one environment, as `sysconfig` would report them.
/// All paths must be absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallScheme {
    /// Pure-Python packages (`site-packages`).
    pub purelib: PathBuf,
    /// Platform-specific packages (the same directory in a venv).
    pub platlib: PathBuf,
    /// Console scripts and `.data/scripts` (`bin`).
    pub scripts: PathBuf,
    /// `.data/data` files go under this prefix (the env root).
    pub data: PathBuf,
    /// `.data/headers` go to `include/<distribution name>/` under this.
    pub include: PathBuf,
    /// The interpreter generated scripts run (`bin/python`).
    pub python: PathBuf,
}

impl InstallScheme {
    /// The POSIX layout of a venv at `root` for Python `major.minor`, the same
    /// paths pip uses inside a venv.
    pub fn for_venv(root: &Path, major: u8, minor: u8) -> Self {
        let version = format!("python{major}.{minor}");
        let site = root.join("lib").join(&version).join("site-packages");
        Self {
            purelib: site.clone(),
            platlib: site,
            scripts: root.join("bin"),
            data: root.to_path_buf(),
            include: root.join("include").join("site").join(version),
            python: root.join("bin").join("python"),
        }
    }

    pub(crate) fn validate(&self) -> Result<(), InstallError> {
        for path in [&self.purelib, &self.platlib, &self.scripts, &self.data, &self.include, &self.python] {
            if !path.is_absolute() {
                return Err(InstallError::Scheme { path: path.clone(), reason: "must be absolute" });
            }
        }
        let bytes = self.python.as_os_str().as_encoded_bytes();
        // A newline would end the shebang; a backslash would be read as an
        // escape inside the Python string literal of the `/bin/sh` form.
        if bytes.iter().any(|b| matches!(b, b'\n' | b'\r' | b'\\')) {
            return Err(InstallError::Scheme {
                path: self.python.clone(),
                reason: "the interpreter path cannot contain a newline or backslash",
            });
        }
        Ok(())
    }
}

/// `target` relative to the directory `base`, lexically (`..` where needed),
/// with `/` separators, as `RECORD` wants. Both must be absolute.
pub(crate) fn relative_path(target: &Path, base: &Path) -> String {
    use std::path::Component;
    let clean = |p: &Path| -> Vec<String> {
        let mut parts: Vec<String> = Vec::new();
        for c in p.components() {
            match c {
                Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                Component::ParentDir => {
                    parts.pop();
                }
                _ => {}
            }
        }
        parts
    };
    let target = clean(target);
    let base = clean(base);
    let common = target.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; base.len() - common];
    parts.extend(target[common..].iter().map(String::as_str));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn venv_layout_and_relative_paths() {
        let s = InstallScheme::for_venv(Path::new("/e"), 3, 11);
        assert_eq!(s.purelib, Path::new("/e/lib/python3.11/site-packages"));
        assert_eq!(relative_path(&s.scripts.join("pip"), &s.purelib), "../../../bin/pip");
        assert_eq!(relative_path(&s.purelib.join("a/b.py"), &s.purelib), "a/b.py");
        assert!(s.validate().is_ok());
        let mut bad = s.clone();
        bad.scripts = PathBuf::from("bin");
        assert!(bad.validate().is_err());
        let mut bad = s.clone();
        bad.python = PathBuf::from("/e\\x/bin/python");
        assert!(bad.validate().is_err());
    }
}
