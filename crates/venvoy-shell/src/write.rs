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
        let tmp = bin_dir.join(format!(".{name}.venvoy-tmp"));
        let wrap = |source| Error::Write { path: path.clone(), source };
        fs_err::write(&tmp, &contents).map_err(wrap)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs_err::set_permissions(&tmp, std::fs::Permissions::from_mode(0o644)).map_err(wrap)?;
        }
        fs_err::rename(&tmp, &path).map_err(wrap)?;
        written.push(path);
    }
    Ok(written)
}
