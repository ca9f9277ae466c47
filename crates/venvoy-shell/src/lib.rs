//! venvoy-shell: activation scripts for every common shell, and the quoting
//! functions they are built from.
//!
//! # What activation does
//!
//! Every script does the same, in its shell's own way: it sets and exports
//! `VIRTUAL_ENV` and `VIRTUAL_ENV_PROMPT`, puts the env's bin dir first on
//! `PATH`, saves and unsets `PYTHONHOME`, prefixes the prompt with
//! `(prompt) ` unless `VIRTUAL_ENV_DISABLE_PROMPT` is set (never exporting
//! `PS1`), and forgets the shell's command hash table. It defines
//! `deactivate`, which puts `PATH`, `PYTHONHOME` and the prompt back exactly
//! as they were (set, empty or unset) and removes what activation added.
//! Activating one env while another is active first undoes the other, so a
//! later `deactivate` returns to the state from before both.
//!
//! | file | shells | used as |
//! |---|---|---|
//! | `activate` | bash, zsh, dash, ksh93, mksh, busybox sh | `. bin/activate` |
//! | `activate.fish` | fish | `source bin/activate.fish` |
//! | `activate.csh` | csh, tcsh | `source bin/activate.csh` |
//! | `activate.nu` | nushell | `overlay use bin/activate.nu` |
//! | `activate.xsh` | xonsh | `source bin/activate.xsh` |
//! | `Activate.ps1`, `activate.ps1` | PowerShell | `. bin/Activate.ps1` |
//! | `activate.bat`, `deactivate.bat` | cmd.exe | `bin\activate.bat` |
//! | `activate_this.py` | a running Python | `runpy.run_path(...)` |
//!
//! # Paths and prompts cannot break or hijack a script
//!
//! Every templated value (env path, bin dir name, prompt) is written with
//! the shell's own quoting ([`quote`]), in one pass, so no value can run
//! anything when sourced. The prompt is also kept from the prompt's own
//! expansion: POSIX shells that expand `PS1` see a reference to a variable
//! holding the text (`${_VENVOY_PS1_TEXT}`), the others the text escaped for
//! their prompt codes (zsh `%`/`!`, bash without `promptvars` `\`, tcsh
//! `%`, BSD csh `!`, busybox `\`, ksh93 `!`). In tcsh a `!` in the prompt
//! still shows the history number: tcsh has no escape for it. fish, nushell,
//! PowerShell and cmd build the prompt from the text as data.
//!
//! Scripts end their lines in LF (`.bat` files: CRLF) and never hold a
//! CRLF pair elsewhere, even for a value with one: POSIX sh and fish put an
//! empty `''` between the CR and the LF, nushell, PowerShell and Python
//! write the CR as an escape, csh writes the LF as backslash-newline (see
//! below), cmd refuses it.
//!
//! Line breaks in csh/tcsh: a newline is written inside single quotes as
//! backslash-newline ([`quote::csh_word`]), and `activate.csh` reads every
//! value as `$name:q`, never inside `"…"` (where csh stops with
//! `Unmatched '"'`). Paths and prompts with line breaks activate in tcsh and
//! BSD csh alike.
//!
//! `$` in xonsh: xonsh expands `$NAME` (and `~` after `=`) in each `$PATH`
//! entry whenever it reads it (`$EXPAND_ENV_VARS`, on by default), and has
//! no escape for it. `activate.xsh` stores such a bin dir as a `str`
//! subclass that tells xonsh's expansion it holds no `$` and no `=`, so it
//! is read, searched and exported exactly as written. Values outside
//! `$PATH` (`VIRTUAL_ENV`, the prompt) are plain strings xonsh never
//! expands. The command shown to xonsh users is `source @('…')`: in
//! subprocess mode xonsh expands `$NAME` even inside quotes.
//!
//! Values a shell cannot represent make only that shell's script refuse to
//! activate, with a message; the others still work. `venvoy create`
//! refuses the path cases up front (a `:`, a path that is not UTF-8), so an
//! env it makes never has one; envs made by other tools can:
//!
//! - csh/tcsh: relocatable envs (see below);
//! - cmd.exe: a `"` or line break (a batch file has no way to quote them);
//!   `%` is doubled and, for shells with delayed expansion, `!` and `^`
//!   are caret-escaped;
//! - every shell but POSIX sh: a path that is not valid UTF-8. POSIX
//!   shells read scripts as bytes, so `activate` holds the raw bytes inside
//!   single quotes;
//! - every Unix shell: a bin dir path containing `:`, which `PATH` cannot
//!   hold (PowerShell and nushell check the platform's separator when
//!   activating).
//!
//! # The env's own variables
//!
//! [`vars::EnvVars`] (`venvoy env set`, stored in `<env>/venvoy-vars.json`)
//! go into every script: activation saves each variable's current value
//! (or that it had none), sets it, and records the names; `deactivate`
//! gives each its old value back or unsets it. The restore is generic (it
//! reads the recorded names), so activating env B over env A first restores
//! A's variables. Names are identifiers that no shell or activation owns
//! ([`vars::check_name`]); values are quoted like paths and never run or
//! expanded. What each shell cannot hold:
//!
//! - every shell: a NUL byte (no environment variable can hold one);
//! - csh/tcsh: nothing more (values are written with [`quote::csh_word`]
//!   and saved and restored as `$name:q`, line breaks included);
//! - cmd.exe: a `"` or a line break; an empty value unsets the variable
//!   (cmd has no empty variables);
//! - PowerShell: an empty value unsets the variable (as `$env:X = ''` does).
//!
//! `venvoy env set` refuses what the shells of the env's own platform cannot
//! hold ([`vars::check_for_layout`]); the other platform's script refuses to
//! activate, naming the variable. nushell restores through its overlay;
//! xonsh and Python keep the old values as Python objects.
//!
//! # Relocatable envs
//!
//! With [`ActivationConfig::relocatable`] the scripts find the env from
//! their own location: bash (`BASH_SOURCE`), zsh (`%x`), ksh93
//! (`.sh.file`), fish (`status filename`), nushell (`path self`), xonsh
//! and Python (`__file__`), PowerShell (`$PSScriptRoot`), cmd (`%~dp0`).
//! dash, mksh and busybox sh cannot tell a sourced file where it is, so the
//! relocatable `activate` refuses in them; csh/tcsh cannot either, so the
//! relocatable `activate.csh` always refuses. A relocatable `activate.bat`
//! run by a cmd with delayed expansion on cannot take a `!` in the env's
//! path (cmd re-reads `%~dp0` for `!` and has no way to stop it).
//!
//! # Known limits
//!
//! - nushell: `deactivate` hides the overlay named `activate`; an overlay
//!   renamed with `overlay use … as NAME` needs `overlay hide NAME`.
//! - xonsh shows the env through its `{env_name}` prompt field, which reads
//!   `VIRTUAL_ENV_PROMPT`; `$PROMPT` itself is not changed.
//! - csh/tcsh: the prompt is changed only where `$prompt` is set (csh
//!   scripts use `$?prompt` to tell an interactive shell).
//! - Scripts from other tools (CPython's venv, virtualenv) keep their own
//!   state: deactivate their env before activating a venvoy one.

mod config;
mod error;
pub mod quote;
mod scripts;
mod shell;
mod template;
pub mod vars;
mod write;

pub use config::ActivationConfig;
pub use error::Error;
pub use scripts::render_all;
pub use shell::{Shell, UnknownShell};
pub use vars::EnvVars;
pub use write::write_activation_scripts;
