//! The [`Shell`] enum: which shells venvoy knows, recognising them by name or
//! path, and the command a user types to activate an env in each.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::quote;

/// A shell venvoy writes an activation script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shell {
    /// GNU bash.
    Bash,
    /// zsh.
    Zsh,
    /// A plain POSIX shell: dash, busybox sh/ash, posh.
    Sh,
    /// The Korn shells: ksh93 and mksh.
    Ksh,
    /// fish.
    Fish,
    /// BSD csh.
    Csh,
    /// tcsh.
    Tcsh,
    /// nushell.
    Nu,
    /// xonsh.
    Xonsh,
    /// PowerShell (Windows PowerShell and `pwsh`).
    PowerShell,
    /// Windows `cmd.exe`.
    Cmd,
}

/// The name given to [`Shell::from_str`] is not a shell venvoy knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown shell `{0}`")]
pub struct UnknownShell(pub String);

impl Shell {
    /// Every shell, in a stable order.
    pub const ALL: [Shell; 11] = [
        Shell::Bash,
        Shell::Zsh,
        Shell::Sh,
        Shell::Ksh,
        Shell::Fish,
        Shell::Csh,
        Shell::Tcsh,
        Shell::Nu,
        Shell::Xonsh,
        Shell::PowerShell,
        Shell::Cmd,
    ];

    /// The canonical lowercase name, as accepted by `venvoy init SHELL`.
    pub fn name(&self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Sh => "sh",
            Shell::Ksh => "ksh",
            Shell::Fish => "fish",
            Shell::Csh => "csh",
            Shell::Tcsh => "tcsh",
            Shell::Nu => "nu",
            Shell::Xonsh => "xonsh",
            Shell::PowerShell => "powershell",
            Shell::Cmd => "cmd",
        }
    }

    /// Recognise a shell from a program name: `bash`, `-zsh` (login form),
    /// `mksh`, `pwsh.exe`, `busybox`, … Case-insensitive; `None` when unknown.
    pub fn from_name(name: &str) -> Option<Shell> {
        let name = name.trim().trim_start_matches('-').to_ascii_lowercase();
        let name = name.strip_suffix(".exe").unwrap_or(&name);
        Some(match name {
            "bash" => Shell::Bash,
            "zsh" => Shell::Zsh,
            "sh" | "dash" | "ash" | "busybox" | "posh" => Shell::Sh,
            "ksh" | "ksh93" | "mksh" | "lksh" | "pdksh" | "oksh" => Shell::Ksh,
            "fish" => Shell::Fish,
            "csh" | "bsd-csh" => Shell::Csh,
            "tcsh" => Shell::Tcsh,
            "nu" | "nushell" => Shell::Nu,
            "xonsh" => Shell::Xonsh,
            "powershell" | "pwsh" => Shell::PowerShell,
            "cmd" => Shell::Cmd,
            _ => return None,
        })
    }

    /// Recognise a shell from the path of its program (`$SHELL`,
    /// `/proc/PID/exe`, `/usr/bin/zsh`), by its file name.
    pub fn from_path(path: &Path) -> Option<Shell> {
        let name = path.file_name()?.to_str()?;
        // `C:\Windows\System32\cmd.exe` seen from a Unix build has no `/`.
        let name = name.rsplit('\\').next().unwrap_or(name);
        Shell::from_name(name)
    }

    /// The file name of this shell's activation script in the env's bin dir.
    pub fn script_name(&self) -> &'static str {
        match self {
            Shell::Bash | Shell::Zsh | Shell::Sh | Shell::Ksh => "activate",
            Shell::Fish => "activate.fish",
            Shell::Csh | Shell::Tcsh => "activate.csh",
            Shell::Nu => "activate.nu",
            Shell::Xonsh => "activate.xsh",
            Shell::PowerShell => "Activate.ps1",
            Shell::Cmd => "activate.bat",
        }
    }

    /// What the user types in this shell to activate the env whose scripts
    /// are in `bin_dir`, with the path quoted by this shell's rules.
    pub fn activate_command(&self, bin_dir: &Path) -> String {
        let script = bin_dir.join(self.script_name());
        let path = script.to_string_lossy();
        match self {
            Shell::Bash | Shell::Zsh => format!("source {}", quote::posix(&path)),
            Shell::Sh | Shell::Ksh => format!(". {}", quote::posix(&path)),
            Shell::Fish => format!("source {}", quote::fish(&path)),
            Shell::Csh | Shell::Tcsh => format!("source {}", quote::csh_word(&path)),
            Shell::Nu => format!("overlay use {}", quote::nu(&path)),
            // In subprocess mode xonsh expands `$NAME` even in quotes: the
            // path goes in as a Python value.
            Shell::Xonsh => format!("source @({})", quote::xonsh(&path)),
            Shell::PowerShell => format!("& {}", quote::powershell(&path)),
            Shell::Cmd => format!("\"{path}\""),
        }
    }
}

impl fmt::Display for Shell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Shell {
    type Err = UnknownShell;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Shell::from_name(s).ok_or_else(|| UnknownShell(s.to_owned()))
    }
}

impl venvoy_fs::Hint for UnknownShell {
    fn hint(&self) -> Option<String> {
        let names: Vec<&str> = Shell::ALL.iter().map(Shell::name).collect();
        Some(format!("name one of: {}", names.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for shell in Shell::ALL {
            assert_eq!(shell.name().parse::<Shell>().unwrap(), shell);
            assert_eq!(shell.to_string(), shell.name());
        }
    }

    #[test]
    fn from_path_variants() {
        assert_eq!(Shell::from_path(Path::new("/usr/bin/zsh")), Some(Shell::Zsh));
        assert_eq!(Shell::from_path(Path::new("-bash")), Some(Shell::Bash));
        assert_eq!(Shell::from_path(Path::new("/bin/mksh")), Some(Shell::Ksh));
        assert_eq!(Shell::from_path(Path::new("/bin/dash")), Some(Shell::Sh));
        assert_eq!(Shell::from_path(Path::new(r"C:\Windows\System32\cmd.exe")), Some(Shell::Cmd));
        assert_eq!(Shell::from_path(Path::new("/opt/pwsh")), Some(Shell::PowerShell));
        assert_eq!(Shell::from_path(Path::new("/usr/bin/python3")), None);
        assert!("python".parse::<Shell>().is_err());
    }

    #[test]
    fn activate_commands_are_quoted() {
        let bin = Path::new("/x/it's $(env)/bin");
        assert_eq!(Shell::Bash.activate_command(bin), r"source '/x/it'\''s $(env)/bin/activate'");
        assert_eq!(Shell::Fish.activate_command(bin), r"source '/x/it\'s $(env)/bin/activate.fish'");
        assert_eq!(Shell::Nu.activate_command(bin), "overlay use r#'/x/it's $(env)/bin/activate.nu'#");
        assert_eq!(Shell::PowerShell.activate_command(bin), "& '/x/it''s $(env)/bin/Activate.ps1'");
        assert_eq!(Shell::Tcsh.activate_command(Path::new("/a\nb!")), "source '/a\\\nb\\!/activate.csh'");
    }
}
