//! Writing the rendered scripts into an env's bin dir.

use std::path::PathBuf;

use crate::{ActivationConfig, Error, render_all};

/// Write every activation script into `env_dir/bin_dir_name` (which must
/// exist) and return their paths.
///
/// Files are replaced atomically (written beside, then renamed) with mode
/// 0644: they are sourced, never executed.
pub fn write_activation_scripts(cfg: &ActivationConfig<'_>) -> Result<Vec<PathBuf>, Error> {
    let bin_dir = cfg.bin_dir();
    let mut written = Vec::new();
    for (name, contents) in render_all(cfg) {
        let path = bin_dir.join(&name);
        venvoy_fs::write_atomic_mode(&path, &contents, 0o644)
            .map_err(|source| Error::Write { path: path.clone(), source })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn writes_every_script_with_mode_0644() {
        let dir = tempfile::tempdir().unwrap();
        let env_dir = dir.path().join("env");
        std::fs::create_dir_all(env_dir.join("bin")).unwrap();
        let cfg = ActivationConfig {
            env_dir: &env_dir,
            bin_dir_name: "bin",
            prompt: "p",
            relocatable: false,
            vars: &crate::vars::NONE,
        };
        let written = write_activation_scripts(&cfg).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(env_dir.join("bin"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "Activate.ps1",
                "activate",
                "activate.bat",
                "activate.csh",
                "activate.fish",
                "activate.nu",
                "activate.ps1",
                "activate.xsh",
                "activate_this.py",
                "deactivate.bat",
            ]
        );
        assert_eq!(written.len(), names.len());
        for path in written {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644, "{}", path.display());
        }
        // Writing again replaces the files.
        write_activation_scripts(&cfg).unwrap();
    }

    #[test]
    fn missing_bin_dir_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = ActivationConfig {
            env_dir: dir.path(),
            bin_dir_name: "nope",
            prompt: "p",
            relocatable: false,
            vars: &crate::vars::NONE,
        };
        let err = write_activation_scripts(&cfg).unwrap_err();
        assert!(err.to_string().contains("nope/activate"), "{err}");
    }
}
