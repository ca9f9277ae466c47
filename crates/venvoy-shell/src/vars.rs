//! Variables an env sets while it is active (`venvoy env set`): the file
//! that stores them inside the env, the rule for their names, and which
//! values each shell can hold.
//!
//! The file is `<env>/venvoy-vars.json`, venvoy's own (never `pyvenv.cfg`),
//! written atomically: `{"version": 1, "vars": {"NAME": "value", ...}}`.
//! The activation scripts are rendered from it ([`crate::ActivationConfig::vars`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::quote;

/// The file, at the top of the env.
pub const FILE_NAME: &str = "venvoy-vars.json";

/// Largest file accepted: variables are small; a huge file is not ours.
const CAP: u64 = 1024 * 1024;

/// The variables of one env, sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvVars(BTreeMap<String, String>);

/// No variables, for scripts rendered without any.
pub static NONE: EnvVars = EnvVars(BTreeMap::new());

#[derive(Serialize, Deserialize)]
struct OnDisk {
    version: u32,
    vars: BTreeMap<String, String>,
}

impl EnvVars {
    /// Read the env's variables; none when the file does not exist.
    ///
    /// Entries that break the rules (a file edited by hand) are an error
    /// naming the file, so no script is ever rendered from them.
    pub fn load(env_dir: &Path) -> Result<EnvVars, VarsError> {
        let path = env_dir.join(FILE_NAME);
        let bytes = match venvoy_fs::read_capped(&path, CAP) {
            Ok(bytes) => bytes,
            Err(e) if e.is_not_found() => return Ok(EnvVars::default()),
            Err(source) => return Err(VarsError::Read { source }),
        };
        let disk: OnDisk = serde_json::from_slice(&bytes)
            .map_err(|e| VarsError::Corrupt { path: path.clone(), reason: e.to_string() })?;
        if disk.version != 1 {
            return Err(VarsError::Corrupt { path, reason: format!("unknown version {}", disk.version) });
        }
        for (name, value) in &disk.vars {
            check_name(name)
                .and_then(|()| check_value(name, value))
                .map_err(|e| VarsError::Corrupt { path: path.clone(), reason: e.to_string() })?;
        }
        Ok(EnvVars(disk.vars))
    }

    /// Write the variables into the env atomically (the file is removed
    /// when there are none).
    pub fn save(&self, env_dir: &Path) -> Result<PathBuf, VarsError> {
        let path = env_dir.join(FILE_NAME);
        if self.0.is_empty() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(VarsError::Write { path, source: e })
                }
                _ => Ok(path),
            };
        }
        let disk = OnDisk { version: 1, vars: self.0.clone() };
        let mut text = serde_json::to_vec_pretty(&disk).expect("strings serialize");
        text.push(b'\n');
        venvoy_fs::write_atomic_mode(&path, &text, 0o644)
            .map_err(|source| VarsError::Write { path: path.clone(), source })?;
        Ok(path)
    }

    /// Set one variable, after checking its name and value.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), VarError> {
        check_name(name)?;
        check_value(name, value)?;
        self.0.insert(name.to_owned(), value.to_owned());
        Ok(())
    }

    /// Remove one variable; whether it was there.
    pub fn unset(&mut self, name: &str) -> bool {
        self.0.remove(name).is_some()
    }

    /// The value of one variable.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Every variable, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// Names activation itself sets or restores, or that a shell keeps for
/// itself (matched ignoring case, as Windows does), with why.
const OWNED: &[(&str, &str)] = &[
    ("PATH", "activation puts the env's scripts directory first on it"),
    ("VIRTUAL_ENV", "activation sets it to the env's path"),
    ("VIRTUAL_ENV_PROMPT", "activation sets it to the env's prompt"),
    ("VIRTUAL_ENV_DISABLE_PROMPT", "it tells activation whether to change the prompt"),
    ("PYTHONHOME", "activation unsets it, since a venv's Python must not have it"),
    ("PS1", "activation changes the prompt"),
    ("PROMPT", "activation changes the prompt (cmd, zsh, csh)"),
    ("PROMPT_COMMAND", "activation changes the prompt (nushell; bash runs it)"),
    ("PATHEXT", "cmd and PowerShell find programs through it"),
    ("IFS", "the shell splits words with it"),
    ("PWD", "the shell keeps it"),
    ("OLDPWD", "the shell keeps it"),
    ("SHLVL", "the shell keeps it"),
];

/// Lower-case names a shell treats specially (tied to `PATH`, read-only,
/// or its own state), matched exactly.
const SHELL_OWNED: &[(&str, &str)] = &[
    ("path", "zsh ties it to PATH and csh to its search path"),
    ("status", "fish and zsh keep the last exit status in it"),
    ("pipestatus", "fish and zsh keep it read-only"),
    ("argv", "fish, zsh and csh keep the arguments in it"),
    ("history", "fish keeps it read-only"),
    ("version", "fish keeps it read-only"),
    ("hostname", "fish keeps it read-only"),
    ("fish_pid", "fish keeps it read-only"),
    ("home", "csh ties it to HOME"),
    ("term", "csh ties it to TERM"),
    ("user", "csh ties it to USER"),
    ("cwd", "csh keeps the working directory in it"),
    ("shell", "csh keeps it"),
    ("FILE_PWD", "nushell keeps it"),
    ("CURRENT_FILE", "nushell keeps it"),
    ("ENV_CONVERSIONS", "nushell reads it to convert variables"),
    ("NU_LIB_DIRS", "nushell reads it while parsing"),
    ("_", "shells keep the last argument in it"),
];

/// Why a variable cannot be set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VarError {
    #[error("`{name}` is not a valid variable name")]
    BadName { name: String },
    #[error("`{name}` cannot be set by `venvoy env`: {reason}")]
    Owned { name: String, reason: &'static str },
    #[error("the value of `{name}` cannot be held by {shell}: {reason}")]
    BadValue { name: String, shell: &'static str, reason: &'static str },
}

impl venvoy_fs::Hint for VarError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            Self::BadName { .. } => {
                "a name is ASCII letters, digits and `_`, not starting with a digit (e.g. `DATABASE_URL`)".into()
            }
            Self::Owned { .. } => "pick another name; activation must keep control of this one".into(),
            Self::BadValue { .. } => {
                "remove the characters that shell cannot hold; see `venvoy env set --help` for each shell's limits"
                    .into()
            }
        })
    }
}

/// Why the variables file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum VarsError {
    #[error(transparent)]
    Read { source: venvoy_fs::ReadError },
    #[error("`{}` is not a valid venvoy variables file: {reason}", path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error("cannot write `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl venvoy_fs::Hint for VarsError {
    fn hint(&self) -> Option<String> {
        match self {
            Self::Read { source } => source.hint(),
            Self::Corrupt { .. } => Some(
                "venvoy writes this file itself: fix or delete it, then set the variables again with `venvoy env set`"
                    .into(),
            ),
            Self::Write { .. } => None,
        }
    }
}

/// Check a variable name: ASCII letters, digits and `_`, not starting with a
/// digit (the names every shell can assign), and not one activation owns.
pub fn check_name(name: &str) -> Result<(), VarError> {
    let valid = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid {
        return Err(VarError::BadName { name: name.to_owned() });
    }
    let upper = name.to_ascii_uppercase();
    if upper.starts_with("_VENVOY_") {
        return Err(VarError::Owned {
            name: name.to_owned(),
            reason: "venvoy's activation keeps its state there",
        });
    }
    if let Some((_, reason)) = OWNED.iter().find(|(n, _)| *n == upper) {
        return Err(VarError::Owned { name: name.to_owned(), reason });
    }
    if let Some((_, reason)) = SHELL_OWNED.iter().find(|(n, _)| *n == name) {
        return Err(VarError::Owned { name: name.to_owned(), reason });
    }
    Ok(())
}

/// Check that every Unix shell venvoy activates in can hold `value`.
///
/// Every value is fine except: a NUL (no environment variable can hold
/// one). cmd.exe cannot hold a `"` or a line break: its `activate.bat`
/// refuses to activate an env with such a value (as for paths); see
/// [`cmd_refuses`].
pub fn check_value(name: &str, value: &str) -> Result<(), VarError> {
    if value.contains('\0') {
        return Err(VarError::BadValue {
            name: name.to_owned(),
            shell: "any shell",
            reason: "it contains a NUL byte, which no environment variable can hold",
        });
    }
    Ok(())
}

/// Check that the shells an env of this layout is activated from can hold
/// `value`, as `venvoy env set` does: a Windows env (`Scripts`) is
/// activated from cmd, which cannot hold a `"` or a line break (its
/// `activate.bat` in a Unix env refuses to activate instead). Every Unix
/// shell holds any value without a NUL.
pub fn check_for_layout(name: &str, value: &str, windows: bool) -> Result<(), VarError> {
    check_value(name, value)?;
    if windows && let Some(u) = cmd_refuses(value) {
        return Err(VarError::BadValue { name: name.to_owned(), shell: "cmd", reason: u.reason });
    }
    Ok(())
}

/// Whether cmd.exe's `activate.bat` cannot carry `value` (a `"` or a line
/// break), so an env holding it refuses to activate there.
pub fn cmd_refuses(value: &str) -> Option<quote::Unrepresentable> {
    quote::cmd(value).err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["A", "_x", "DATABASE_URL", "http_proxy", "a1"] {
            check_name(ok).unwrap();
        }
        for bad in ["", "1A", "A-B", "A B", "É", "A=B", "$X"] {
            assert!(matches!(check_name(bad), Err(VarError::BadName { .. })), "{bad}");
        }
        for owned in
            ["PATH", "Path", "VIRTUAL_ENV", "PYTHONHOME", "PS1", "_VENVOY_OLD_PATH", "path", "status"]
        {
            assert!(matches!(check_name(owned), Err(VarError::Owned { .. })), "{owned}");
        }
    }

    #[test]
    fn values() {
        check_value("A", "a\nb $(x) `y` %P% !x! '\"").unwrap();
        assert!(check_value("A", "a\0b").is_err());
        assert!(cmd_refuses("a\nb").is_some());
        assert!(cmd_refuses("a%b!").is_none());
        check_for_layout("A", "two\nlines", false).unwrap();
        let err = check_for_layout("A", "two\nlines", true).unwrap_err();
        assert!(err.to_string().contains("cmd"), "{err}");
        check_for_layout("A", "cr\r\n", false).unwrap();
    }

    #[test]
    fn round_trip_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        assert!(EnvVars::load(dir.path()).unwrap().is_empty());
        let mut vars = EnvVars::default();
        vars.set("B", "two\nlines").unwrap();
        vars.set("A", "$(touch x)").unwrap();
        vars.save(dir.path()).unwrap();
        let back = EnvVars::load(dir.path()).unwrap();
        assert_eq!(back, vars);
        assert_eq!(back.names().collect::<Vec<_>>(), ["A", "B"]);
        let mut back = back;
        assert!(back.unset("A"));
        assert!(!back.unset("A"));
        back.unset("B");
        back.save(dir.path()).unwrap();
        assert!(!dir.path().join(FILE_NAME).exists());
    }

    #[test]
    fn hand_edited_file_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), r#"{"version":1,"vars":{"PATH":"x"}}"#).unwrap();
        let err = EnvVars::load(dir.path()).unwrap_err();
        assert!(err.to_string().contains("venvoy-vars.json"), "{err}");
        std::fs::write(dir.path().join(FILE_NAME), "not json").unwrap();
        assert!(EnvVars::load(dir.path()).is_err());
    }
}
