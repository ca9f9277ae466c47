//! `venvoy init SHELL [--auto]`: the shell integration text (templates in `src/integration/`).

use std::process::ExitCode;

use venvoy_shell::{Shell, quote};

use crate::cli::InitArgs;
use crate::printer::Printer;
use crate::report::{Result, UserError};

const POSIX: &str = include_str!("../integration/posix.sh");
const POSIX_AUTO: &str = include_str!("../integration/posix-auto.sh");
const BASH_COMPLETE: &str = include_str!("../integration/bash-complete.sh");
const BASH_AUTO: &str = include_str!("../integration/bash-auto.sh");
const ZSH_COMPLETE: &str = include_str!("../integration/zsh-complete.sh");
const ZSH_AUTO: &str = include_str!("../integration/zsh-auto.sh");
const FISH: &str = include_str!("../integration/fish.fish");
const FISH_AUTO: &str = include_str!("../integration/fish-auto.fish");
const NU: &str = include_str!("../integration/nu.nu");
const NU_AUTO: &str = include_str!("../integration/nu-auto.nu");
const XONSH: &str = include_str!("../integration/xonsh.xsh");
const XONSH_AUTO: &str = include_str!("../integration/xonsh-auto.xsh");
const PWSH: &str = include_str!("../integration/pwsh.ps1");
const PWSH_AUTO: &str = include_str!("../integration/pwsh-auto.ps1");

/// The integration for `shell`, calling venvoy at `bin` (an absolute path, so
/// an env's own PATH never changes which venvoy runs).
pub fn render(shell: Shell, bin: &str, auto: bool) -> Result<String> {
    let parts: Vec<&str> = match (shell, auto) {
        (Shell::Bash, false) => vec![POSIX, BASH_COMPLETE],
        (Shell::Bash, true) => vec![POSIX, BASH_COMPLETE, POSIX_AUTO, BASH_AUTO],
        (Shell::Zsh, false) => vec![POSIX, ZSH_COMPLETE],
        (Shell::Zsh, true) => vec![POSIX, ZSH_COMPLETE, POSIX_AUTO, ZSH_AUTO],
        (Shell::Fish, false) => vec![FISH],
        (Shell::Fish, true) => vec![FISH, FISH_AUTO],
        (Shell::Nu, false) => vec![NU],
        (Shell::Nu, true) => vec![NU, NU_AUTO],
        (Shell::Xonsh, false) => vec![XONSH],
        (Shell::Xonsh, true) => vec![XONSH, XONSH_AUTO],
        (Shell::PowerShell, false) => vec![PWSH],
        (Shell::PowerShell, true) => vec![PWSH, PWSH_AUTO],
        (other, _) => {
            return Err(UserError::new(format!("`venvoy init` does not support {}", other.name()))
                .hint(format!(
                    "supported: bash, zsh, fish, nu, xonsh, pwsh; in {} activate with `{}`, or use `venvoy shell`",
                    other.name(),
                    other.activate_command(std::path::Path::new("ENV/bin"))
                ))
                .into());
        }
    };
    let quoted = match shell {
        Shell::Fish => quote::fish(bin),
        Shell::Nu => quote::nu(bin),
        Shell::Xonsh => quote::xonsh(bin),
        Shell::PowerShell => quote::powershell(bin),
        _ => quote::posix(bin),
    };
    Ok(fill(&parts.concat(), &[("__VENVOY_BIN__", &quoted), ("__SHELL__", shell.name())]))
}

/// Replace each placeholder in one pass over the template, so a value that
/// contains a placeholder's name (a binary under a directory `__SHELL__`) is
/// inserted as it is.
fn fill(template: &str, slots: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    loop {
        let next = slots.iter().filter_map(|(key, value)| rest.find(key).map(|at| (at, *key, *value))).min();
        let Some((at, key, value)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        out.push_str(value);
        rest = &rest[at + key.len()..];
    }
}

pub fn run(args: InitArgs, printer: &Printer) -> Result<ExitCode> {
    let shell = super::activate::activation_shell(args.shell)?;
    let exe = std::env::current_exe()
        .map_err(|e| UserError::new(format!("cannot tell where the venvoy binary is: {e}")))?;
    let exe = exe.to_str().ok_or_else(|| {
        UserError::new(format!("the path of the venvoy binary, `{}`, is not valid UTF-8", exe.display()))
            .hint("install venvoy somewhere with a plain path")
    })?;
    let text = render(shell, exe, args.auto)?;
    printer.raw(text.as_ref());
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_filled_in_one_pass() {
        let text = render(Shell::Bash, "/opt/__SHELL__/__VENVOY_BIN__/venvoy", false).unwrap();
        assert!(text.contains("/opt/__SHELL__/__VENVOY_BIN__/venvoy"), "the path is kept as it is");
        assert!(!text.contains("/opt/bash/"));
        assert!(text.contains("__activate-script bash"));
    }

    #[test]
    fn fill_replaces_every_slot() {
        assert_eq!(fill("a X b Y c X", &[("X", "Y"), ("Y", "X")]), "a Y b X c Y");
    }
}
