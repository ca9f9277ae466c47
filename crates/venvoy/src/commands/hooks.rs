//! `venvoy __hooks SHELL EVENT ENV`: virtualenvwrapper's hooks, for the
//! shell integration. Prints the commands that source the hooks to run, in
//! virtualenvwrapper's order: `postactivate` global then the env's,
//! `predeactivate` and `postdeactivate` the env's then global. Hooks are
//! code: the env's own run only when the env is trusted
//! (`venvoy_env::trust`), a global one only when it belongs to the user
//! (or root); anything skipped gets a notice on stderr.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::ExitCode;

use venvoy_shell::{Shell, quote};

use crate::cli::{HookEvent, HooksArgs};
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

fn event_name(event: HookEvent) -> &'static str {
    match event {
        HookEvent::Postactivate => "postactivate",
        HookEvent::Predeactivate => "predeactivate",
        HookEvent::Postdeactivate => "postdeactivate",
    }
}

pub fn run(args: &HooksArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let shell = super::activate::activation_shell(args.shell)?;
    let (suffix, source) = match shell {
        Shell::Bash | Shell::Zsh | Shell::Sh | Shell::Ksh => ("", "."),
        Shell::Fish => (".fish", "source"),
        other => {
            return Err(UserError::new(format!("virtualenvwrapper's hooks do not run in {}", other.name()))
                .hint("hooks run in bash, zsh, sh and fish (as `.fish` files)")
                .into());
        }
    };
    let file = format!("{}{suffix}", event_name(args.event));
    let bin = venvoy_fs::scripts_dir(&args.env).unwrap_or_else(|| args.env.join("bin"));
    let own = bin.join(&file);
    let global = settings.hook_dir.as_ref().map(|d| d.join(&file));
    let order: Vec<(&Path, bool)> = match args.event {
        HookEvent::Postactivate => {
            global.iter().map(|g| (g.as_path(), false)).chain([(own.as_path(), true)]).collect()
        }
        _ => [(own.as_path(), true)].into_iter().chain(global.iter().map(|g| (g.as_path(), false))).collect(),
    };
    let store = settings.trust();
    let mut out: Vec<u8> = Vec::new();
    for (path, of_env) in order {
        if !venvoy_fs::read::is_regular_file(path) {
            continue;
        }
        let refusal = if of_env {
            store.check(&args.env).reason().map(|why| {
                format!(
                    "venvoy: not running the hook `{}`: the env `{}` {why}; run `venvoy allow {}` to let its hooks run",
                    path.display(),
                    args.env.display(),
                    args.env.display()
                )
            })
        } else {
            store.foreign_owner(path).map(|uid| {
                format!(
                    "venvoy: not running the hook `{}`: it belongs to another user (uid {uid})",
                    path.display()
                )
            })
        };
        match refusal {
            Some(notice) => printer.error(&format!("{notice}\n")),
            None => {
                out.extend_from_slice(source.as_bytes());
                out.push(b' ');
                match shell {
                    Shell::Fish => out.extend_from_slice(quote::fish(&path.to_string_lossy()).as_bytes()),
                    _ => out.extend(quote::posix_bytes(path.as_os_str().as_bytes())),
                }
                out.push(b'\n');
            }
        }
    }
    printer.raw(OsStr::from_bytes(&out));
    Ok(ExitCode::SUCCESS)
}
