//! [`ActivationConfig`]: what an env's activation scripts are made from.

use std::path::{Path, PathBuf};

use crate::vars::EnvVars;

/// Everything the activation scripts of one env depend on.
#[derive(Debug, Clone, Copy)]
pub struct ActivationConfig<'a> {
    /// The env's root directory (the one holding `pyvenv.cfg`), absolute.
    pub env_dir: &'a Path,
    /// The name of the scripts directory inside it: `bin`, or `Scripts` on
    /// Windows.
    pub bin_dir_name: &'a str,
    /// The prompt text, without parentheses (`VIRTUAL_ENV_PROMPT`).
    pub prompt: &'a str,
    /// Find the env from the script's own location instead of `env_dir`, so
    /// the env keeps working after it is moved.
    pub relocatable: bool,
    /// Variables set while the env is active and restored on deactivate
    /// (`venvoy env set`); [`crate::vars::NONE`] for none.
    pub vars: &'a EnvVars,
}

impl ActivationConfig<'_> {
    /// Where the scripts go: `env_dir/bin_dir_name`.
    pub fn bin_dir(&self) -> PathBuf {
        self.env_dir.join(self.bin_dir_name)
    }
}
