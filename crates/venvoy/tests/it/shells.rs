//! The shell integration driven in real interactive shells (bash, zsh, fish,
//! nushell, xonsh) on a pseudo-terminal (util-linux `script`), one command at
//! a time: `cd` activation, `workon`, `venvoy activate/deactivate`, `venvoy run`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;

/// Which syntax the session speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Bash,
    /// zsh, dash and other shells that read `printf` and `$?` as sh does.
    Posix,
    Fish,
    /// tcsh and BSD csh.
    Csh,
    Nu,
    Xonsh,
}

/// An interactive shell on a pty, fed one line at a time.
pub(crate) struct Session {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    output: Arc<Mutex<Vec<u8>>>,
    /// Prompts drawn so far, for the shells that ask where the cursor is.
    prompts: Arc<AtomicUsize>,
    /// Prompts that lines were already typed at.
    typed_at: usize,
    pub(crate) step: usize,
    pub(crate) kind: Kind,
}

impl Kind {
    pub(crate) fn of(shell: &str) -> Kind {
        match shell {
            "bash" => Kind::Bash,
            "fish" => Kind::Fish,
            "tcsh" | "csh" | "bsd-csh" => Kind::Csh,
            "nu" => Kind::Nu,
            "xonsh" => Kind::Xonsh,
            _ => Kind::Posix,
        }
    }
}

/// A cursor-position request (`ESC [ 6 n`): nushell's and xonsh's line
/// editors ask once before each prompt and wait for the terminal's answer.
/// They also drop what was typed while a command ran, so lines are typed to
/// them only at a new prompt.
const CURSOR_QUERY: &[u8] = b"\x1b[6n";

impl Session {
    pub(crate) fn start(ctx: &TestContext, shell: &str, args: &[&str]) -> Option<Session> {
        let program = shell_program(shell)?;
        Session::start_program(ctx, &program, args, Kind::of(shell), &[])
    }

    /// Any program on the pty (e.g. `venvoy shell`), speaking `kind`'s
    /// syntax, with `envs` added to the sandbox's environment.
    pub(crate) fn start_program(
        ctx: &TestContext,
        program: &Path,
        args: &[&str],
        kind: Kind,
        envs: &[(&str, &str)],
    ) -> Option<Session> {
        // `script` runs the line with `$SHELL -c`: the variables are given
        // to the program through `env`, not to `script`.
        let mut command_line = String::from("exec /usr/bin/env");
        for (k, v) in envs {
            command_line.push(' ');
            command_line.push_str(&quote(&format!("{k}={v}")));
        }
        command_line.push(' ');
        command_line.push_str(&quote(program.to_str().unwrap()));
        for a in args {
            command_line.push(' ');
            command_line.push_str(&quote(a));
        }
        let mut cmd = Command::new("script");
        cmd.args(["-qfec", &command_line, "/dev/null"]);
        // The sandbox's environment, as venvoy itself gets it.
        cmd.env_clear();
        ctx.sandbox_env(&mut cmd);
        cmd.env("TERM", "dumb").current_dir(&ctx.work);
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null());
        let mut child = cmd.spawn().ok()?;
        let mut stdout = child.stdout.take().unwrap();
        let stdin = Arc::new(Mutex::new(child.stdin.take().unwrap()));
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        let answer = Arc::clone(&stdin);
        let prompts = Arc::new(AtomicUsize::new(0));
        let drawn = Arc::clone(&prompts);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            let mut answered = false;
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                // Output after an answer: the shell has read the answer and
                // draws its prompt, so a line typed now is not swallowed.
                if answered {
                    answered = false;
                    drawn.fetch_add(1, Ordering::SeqCst);
                }
                let queries = buf[..n].windows(CURSOR_QUERY.len()).filter(|w| *w == CURSOR_QUERY).count();
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
                for _ in 0..queries {
                    let mut stdin = answer.lock().unwrap();
                    let _ = stdin.write_all(b"\x1b[1;1R");
                    let _ = stdin.flush();
                    answered = true;
                }
            }
        });
        Some(Session { child, stdin, output, prompts, typed_at: 0, step: 0, kind })
    }

    /// For nushell and xonsh: wait until a prompt newer than the last line
    /// typed is on the screen.
    fn wait_for_prompt(&mut self) {
        if !matches!(self.kind, Kind::Nu | Kind::Xonsh) {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.prompts.load(Ordering::SeqCst) <= self.typed_at {
            assert!(
                Instant::now() < deadline,
                "{:?}: no prompt; output so far:\n{}",
                self.kind,
                String::from_utf8_lossy(&self.output.lock().unwrap())
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        self.typed_at = self.prompts.load(Ordering::SeqCst);
    }

    /// Type a line, then wait until the shell has run it.
    pub(crate) fn run(&mut self, line: &str) {
        self.step += 1;
        let marker = format!("@@done{}@@", self.step);
        self.type_line(&format!("{line}\n"));
        self.type_line(&format!("printf '@@%s@@\\n' done{}\n", self.step));
        self.wait_for(&marker);
    }

    pub(crate) fn type_line(&mut self, text: &str) {
        self.wait_for_prompt();
        let mut stdin = self.stdin.lock().unwrap();
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    pub(crate) fn wait_for(&self, marker: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = String::from_utf8_lossy(&self.output.lock().unwrap()).replace('\r', "");
            if let Some(pos) = text.find(marker) {
                return text[..pos].to_string();
            }
            assert!(Instant::now() < deadline, "timed out waiting for {marker}; output so far:\n{text}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `$VIRTUAL_ENV` and the prompt, as the shell sees them now.
    pub(crate) fn state(&mut self) -> (String, String) {
        self.step += 1;
        let key = format!("state{}", self.step);
        let line = match self.kind {
            Kind::Fish => format!("printf '@@%s=%s|%s@@\\n' {key} \"$VIRTUAL_ENV\" (fish_prompt)\n"),
            // The prompt as bash shows it (`@P` expands it like the prompt).
            Kind::Bash => format!("printf '@@%s=%s|%s@@\\n' {key} \"${{VIRTUAL_ENV-}}\" \"${{PS1@P}}\"\n"),
            Kind::Posix => format!("printf '@@%s=%s|%s@@\\n' {key} \"${{VIRTUAL_ENV-}}\" \"$PS1\"\n"),
            Kind::Csh => format!("printf '@@%s=%s|%s@@\\n' {key} $VIRTUAL_ENV:q $prompt:q\n"),
            // The integration leaves nushell's prompt alone: the env's
            // prompt text stands in for it.
            // (The echoed line must not hold `@@{key}=`: it is built up.)
            Kind::Nu => format!(
                "print ('@@' + '{key}=' + ($env.VIRTUAL_ENV? | default '') + '|' + ($env.VIRTUAL_ENV_PROMPT? | default '') + '@@')\n"
            ),
            // xonsh shows the env through its `{{env_name}}` prompt field.
            Kind::Xonsh => format!(
                "__xonsh__.env['PROMPT_FIELDS'].reset(); print('@@' + '{key}=' + ${{...}}.get('VIRTUAL_ENV', '') + '|' + __import__('xonsh.prompt.base', fromlist=['x']).PromptFormatter()('{{env_name}}') + '@@')\n"
            ),
        };
        self.type_line(&line);
        let start = format!("@@{key}=");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = String::from_utf8_lossy(&self.output.lock().unwrap()).replace('\r', "");
            if let Some(pos) = text.find(&start) {
                let rest = &text[pos + start.len()..];
                if let Some(end) = rest.find("@@") {
                    let (ve, prompt) = rest[..end].split_once('|').unwrap();
                    return (ve.to_string(), prompt.to_string());
                }
            }
            assert!(Instant::now() < deadline, "timed out waiting for {key}; output so far:\n{text}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Two environment variables, as the shell sees them now.
    pub(crate) fn vars(&mut self, a: &str, b: &str) -> (String, String) {
        self.step += 1;
        let key = format!("vars{}", self.step);
        let line = match self.kind {
            Kind::Csh => format!("printf '@@%s=%s|%s@@\\n' {key} ${a}:q ${b}:q\n"),
            Kind::Nu => format!("print ('@@' + '{key}=' + $env.{a} + '|' + $env.{b} + '@@')\n"),
            Kind::Xonsh => format!("print('@@' + '{key}=' + ${a} + '|' + ${b} + '@@')\n"),
            _ => format!("printf '@@%s=%s|%s@@\\n' {key} \"${a}\" \"${b}\"\n"),
        };
        self.type_line(&line);
        let text = self.wait_for_after(&format!("@@{key}="));
        let (x, y) = text.split_once('|').unwrap();
        (x.to_owned(), y.to_owned())
    }

    /// The exit status of a command, in the shell's own terms.
    pub(crate) fn status_of(&mut self, line: &str) -> String {
        self.step += 1;
        let key = format!("rc{}", self.step);
        let var = match self.kind {
            Kind::Fish | Kind::Csh => "$status",
            Kind::Bash | Kind::Posix => "$?",
            other => panic!("status_of speaks sh and fish, not {other:?}"),
        };
        self.type_line(&format!("{line}; printf '@@%s=%s@@\\n' {key} {var}\n"));
        let start = format!("@@{key}=");
        self.wait_for_after(&start)
    }

    pub(crate) fn wait_for_after(&self, start: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = String::from_utf8_lossy(&self.output.lock().unwrap()).replace('\r', "");
            if let Some(pos) = text.find(start) {
                let rest = &text[pos + start.len()..];
                if let Some(end) = rest.find("@@") {
                    return rest[..end].to_string();
                }
            }
            assert!(Instant::now() < deadline, "timed out waiting for {start}; output so far:\n{text}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

pub(crate) fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

/// A shell on PATH, or nushell and xonsh where `scripts/install-test-shells.sh`
/// puts them (`$VENVOY_TEST_TOOLS`, else `target/test-tools`).
pub(crate) fn shell_program(name: &str) -> Option<PathBuf> {
    let tools = std::env::var_os("VENVOY_TEST_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-tools"));
    let local = match name {
        "nu" => Some(tools.join("nu/bin/nu")),
        "xonsh" => Some(tools.join("xonsh-venv/bin/xonsh")),
        _ => None,
    };
    local.filter(|p| p.is_file()).or_else(|| which(name))
}

struct Projects {
    ctx: TestContext,
    web: PathBuf,
    proj: PathBuf,
    linked: PathBuf,
    outside: PathBuf,
    venvoy: PathBuf,
}

fn projects() -> Projects {
    let mut ctx = TestContext::new();
    let home = ctx.root.path().join("envs");
    ctx.env("VENVOY_HOME", &home);
    let py = supported_pythons().remove(0).1;
    let py = py.to_str().unwrap();
    assert_code(&ctx.run(&["create", "--without-pip", "-p", py, "-n", "web"]), 0);
    let proj = ctx.work.join("proj");
    std::fs::create_dir_all(proj.join("src")).unwrap();
    assert_code(&ctx.run(&["create", "--without-pip", "-p", py, "--prompt", "proj", "proj/.venv"]), 0);
    let linked = ctx.work.join("linked");
    std::fs::create_dir_all(&linked).unwrap();
    std::fs::write(linked.join(".venv"), "web\n").unwrap();
    let outside = ctx.work.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let venvoy = PathBuf::from(ctx.venvoy().get_program());
    Projects { web: home.join("web"), proj, linked, outside, venvoy, ctx }
}

pub(crate) fn skip(shell: &str) -> bool {
    if shell_program(shell).is_some() && which("script").is_some() {
        return false;
    }
    missing(&format!("{shell} (and util-linux `script`; see scripts/install-test-shells.sh)"));
    true
}

fn drive(shell: &str) {
    if skip(shell) {
        return;
    }
    let p = projects();
    let venvoy = quote(p.venvoy.to_str().unwrap());
    let (args, init, prompt_setup, original): (&[&str], String, &str, &str) = match shell {
        "bash" => (
            &["--norc", "--noprofile", "-i"],
            format!("eval \"$({venvoy} init bash --auto)\""),
            "PS1='P> '",
            "P> ",
        ),
        "zsh" => (&["-f", "-i"], format!("eval \"$({venvoy} init zsh --auto)\""), "PS1='P> '", "P> "),
        "fish" => (
            &["--no-config", "-i"],
            format!("{venvoy} init fish --auto | source"),
            "function fish_prompt; printf 'P> '; end",
            "P> ",
        ),
        _ => unreachable!(),
    };
    let mut s = Session::start(&p.ctx, shell, args).expect("start the shell");
    let cd = |path: &Path| format!("cd {}", quote(path.to_str().unwrap()));
    let venv = p.proj.join(".venv");

    s.run(prompt_setup);
    s.run(&init);
    assert_eq!(s.state(), (String::new(), original.to_string()), "{shell}: nothing active at first");

    // Entering a project activates its `.venv`; the prompt shows it.
    s.run(&cd(&p.proj));
    let (ve, prompt) = s.state();
    assert_eq!(ve, venv.to_str().unwrap(), "{shell}: cd into the project");
    assert!(prompt.starts_with("(proj) "), "{shell}: prompt {prompt:?}");
    s.run(&cd(&p.proj.join("src")));
    assert_eq!(s.state().0, venv.to_str().unwrap(), "{shell}: a subdirectory keeps it");

    // A project linked by a pointer file switches to the named env.
    s.run(&cd(&p.linked));
    let (ve, prompt) = s.state();
    assert_eq!(ve, p.web.to_str().unwrap(), "{shell}: pointer file");
    assert!(prompt.starts_with("(web) "), "{shell}: prompt {prompt:?}");

    // Leaving the tree deactivates and restores the prompt exactly.
    s.run(&cd(&p.outside));
    assert_eq!(s.state(), (String::new(), original.to_string()), "{shell}: cd out");

    // `workon NAME` by hand survives `cd` into another project.
    s.run("workon web");
    assert_eq!(s.state().0, p.web.to_str().unwrap(), "{shell}: workon");
    s.run(&cd(&p.proj));
    assert_eq!(s.state().0, p.web.to_str().unwrap(), "{shell}: a hand-activated env is not replaced");
    s.run("venvoy deactivate");
    assert_eq!(s.state(), (String::new(), original.to_string()), "{shell}: venvoy deactivate");

    // `workon .` activates the project's env; `venvoy activate NAME` another.
    s.run("workon .");
    assert_eq!(s.state().0, venv.to_str().unwrap(), "{shell}: workon .");
    s.run("venvoy activate web");
    assert_eq!(s.state().0, p.web.to_str().unwrap(), "{shell}: venvoy activate NAME");
    s.run("deactivate");
    s.run(&cd(&p.outside));
    assert_eq!(s.state(), (String::new(), original.to_string()), "{shell}: back to the start");

    // `workon` alone lists the envs.
    s.run("workon");
    assert!(s.wait_for(&format!("@@done{}@@", s.step)).contains("web"), "{shell}: workon lists envs");

    // `venvoy run` gives the program's exit status, 128+N for a signal.
    assert_eq!(s.status_of("venvoy run -e web python -c 'import sys; sys.exit(5)'"), "5", "{shell}");
    assert_eq!(
        s.status_of("venvoy run -e web python -c 'import os; os.kill(os.getpid(), 9)'"),
        "137",
        "{shell}"
    );
}

#[test]
fn bash_integration() {
    drive("bash");
}

#[test]
fn zsh_integration() {
    drive("zsh");
}

#[test]
fn fish_integration() {
    drive("fish");
}

/// `venvoy shell` starts the user's shell (`$SHELL`) with the env active and
/// the env's name in the prompt that shell draws, in every shell it supports
/// here (PowerShell is not installed). The user's own start-up file still
/// runs (sh's through `$ENV`, expanded as the shell does), and `HOME` is the
/// user's again (csh and tcsh find their start-up file through it).
#[test]
fn venvoy_shell_shows_the_env_in_every_prompt() {
    let p = projects();
    let home = &p.ctx.home;
    let rc = |name: &str, text: &str| {
        let path = home.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    rc(".bashrc", "export FROM_RC=bashrc\n");
    rc(".zshrc", "export FROM_RC=zshrc\n");
    rc(".config/fish/config.fish", "set -gx FROM_RC fish\n");
    rc(".shrc", "FROM_RC=shrc; export FROM_RC\n");
    rc(".mkshrc", "FROM_RC=mkshrc; export FROM_RC\n");
    rc(".kshrc", "FROM_RC=kshrc; export FROM_RC\n");
    rc(".tcshrc", "setenv FROM_RC tcshrc\n");
    rc(".cshrc", "setenv FROM_RC cshrc\n");
    rc(".config/nushell/config.nu", "$env.FROM_RC = 'nu'\n");
    rc(".xonshrc", "$FROM_RC = 'xonshrc'\n");
    for (shell, from_rc) in [
        ("bash", "bashrc"),
        ("zsh", "zshrc"),
        ("fish", "fish"),
        ("dash", "shrc"),
        ("mksh", "mkshrc"),
        ("ksh93", "kshrc"),
        ("tcsh", "tcshrc"),
        ("bsd-csh", "cshrc"),
        ("nu", "nu"),
        ("xonsh", "xonshrc"),
    ] {
        if skip(shell) {
            continue;
        }
        let program = shell_program(shell).unwrap();
        let mut envs = vec![("SHELL", program.to_str().unwrap())];
        if shell == "dash" {
            envs.push(("ENV", "$HOME/.shrc"));
        }
        let mut s = Session::start_program(&p.ctx, &p.venvoy, &["shell", "web"], Kind::of(shell), &envs)
            .expect("start venvoy shell");
        s.run("cd .");
        s.run("cd .");
        // The prompts drawn so far, between the commands.
        let drawn = s.wait_for(&format!("@@done{}@@", s.step));
        let drawn = drawn.rsplit("done1@@").next().unwrap();
        assert!(drawn.contains("(web) "), "{shell}: no `(web) ` in the prompt:\n{drawn}");
        assert_eq!(s.state().0, p.web.to_str().unwrap(), "{shell}: VIRTUAL_ENV");
        let (got_rc, got_home) = s.vars("FROM_RC", "HOME");
        assert_eq!(got_rc, from_rc, "{shell}: the user's start-up file ran");
        assert_eq!(got_home, home.to_str().unwrap(), "{shell}: HOME");
    }
}

/// The commands whose usage line takes an ENV, read from `venvoy --help`
/// and each command's `--help`.
fn commands_taking_an_env(ctx: &TestContext) -> Vec<String> {
    let help = stdout(&ctx.run(&["--help"]));
    let commands = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned);
    commands
        .filter(|c| {
            let help = stdout(&ctx.run(&[c, "--help"]));
            help.lines().find(|l| l.starts_with("Usage:")).is_some_and(|usage| usage.contains("ENV"))
        })
        .collect()
}

/// Tab completes env names after every command that takes an ENV (found
/// from `--help`, so a new one is covered) and after `-e`, in real bash,
/// zsh and fish: the line is completed, then run as the argument of `echo`.
#[test]
fn tab_completes_env_names_wherever_an_env_is_taken() {
    let p = projects();
    let commands = commands_taking_an_env(&p.ctx);
    for expected in ["activate", "shell", "info", "remove", "allow"] {
        assert!(commands.iter().any(|c| c == expected), "{expected} takes an ENV: {commands:?}");
    }
    let mut lines: Vec<String> = commands.iter().map(|c| format!("venvoy {c} w")).collect();
    lines.push("venvoy run -e w".into());
    lines.push("venvoy remove web w".into());
    let venvoy = quote(p.venvoy.to_str().unwrap());
    for shell in ["bash", "zsh", "fish"] {
        if skip(shell) {
            continue;
        }
        let (args, setup): (&[&str], Vec<String>) = match shell {
            "bash" => (&["--norc", "--noprofile", "-i"], vec![format!("eval \"$({venvoy} init bash)\"")]),
            "zsh" => (
                &["-f", "-i"],
                vec!["autoload -Uz compinit; compinit -u".into(), format!("eval \"$({venvoy} init zsh)\"")],
            ),
            _ => (&["--no-config", "-i"], vec![format!("{venvoy} init fish | source")]),
        };
        let program = shell_program(shell).unwrap();
        // zsh's line editor is off on a dumb terminal.
        let mut s =
            Session::start_program(&p.ctx, &program, args, Kind::of(shell), &[("TERM", "xterm")]).unwrap();
        for line in &setup {
            s.run(line);
        }
        for (i, line) in lines.iter().enumerate() {
            // Tab, then Ctrl-A and `echo` before the completed line. The
            // echo's output (`@@C…`) differs from the typed text (`'@''@'C…`).
            s.type_line(&format!("{line}\t"));
            s.type_line(&format!("\x01echo '@''@'C{i} \n"));
            s.wait_for(&format!("@@C{i} {line}eb"));
        }
    }
}

/// With the directory unchanged, the prompt hook starts no process: over
/// twenty prompts, venvoy runs only for `init` and for entering the project,
/// whether its `.venv` is trusted (and activates) or not (and does not); a
/// project without an env gets its one hint from the shell itself, with no
/// process at all and nothing created.
#[test]
fn prompt_hook_spawns_nothing_when_the_directory_is_unchanged() {
    for shell in ["bash", "zsh"] {
        if skip(shell) {
            continue;
        }
        if which("strace").is_none() {
            missing("strace");
            continue;
        }
        let p = projects();
        // An env made by the stdlib, which venvoy does not trust.
        let untrusted = p.ctx.work.join("untrusted");
        let py = supported_pythons().remove(0).1;
        let out = Command::new(&py)
            .args(["-m", "venv", "--without-pip"])
            .arg(untrusted.join(".venv"))
            .output()
            .unwrap();
        assert!(out.status.success());
        let bare = p.ctx.work.join("bare");
        std::fs::create_dir_all(&bare).unwrap();
        std::fs::write(bare.join("requirements.txt"), "attrs\n").unwrap();
        for (dir, activates, runs) in [(&p.proj, true, 2), (&untrusted, false, 2), (&bare, false, 1)] {
            let venvoy = quote(p.venvoy.to_str().unwrap());
            let mut script =
                format!("eval \"$({venvoy} init {shell} --auto)\"\ncd {}\n", quote(dir.to_str().unwrap()));
            for _ in 0..20 {
                script.push_str("true\n");
            }
            script.push_str("printf '@@%s@@\\n' \"${VIRTUAL_ENV-}\"\nexit\n");
            let log = p.ctx.root.path().join("strace.log");
            let mut cmd = Command::new("strace");
            cmd.args(["-f", "-qq", "-e", "trace=execve", "-o"]).arg(&log).arg(which(shell).unwrap());
            cmd.args(if shell == "bash" { &["--norc", "--noprofile", "-i"][..] } else { &["-f", "-i"][..] });
            cmd.env_clear();
            p.ctx.sandbox_env(&mut cmd);
            let mut child = cmd
                .current_dir(&p.ctx.work)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            let expected =
                if activates { format!("@@{}@@", dir.join(".venv").display()) } else { "@@@@".into() };
            assert!(
                String::from_utf8_lossy(&out.stdout).contains(&expected),
                "{shell} {dir:?}: activated or not"
            );
            let log = std::fs::read_to_string(&log).unwrap();
            let execs: Vec<&str> =
                log.lines().filter(|l| l.contains("execve(") && !l.contains("ENOENT")).collect();
            let venvoy_runs = execs.iter().filter(|l| l.contains(p.venvoy.to_str().unwrap())).count();
            // The shell itself, `init`, and one lookup when entering a project
            // with a `.venv` (none without one).
            assert_eq!(venvoy_runs, runs, "{shell} {dir:?}: {execs:#?}");
            assert_eq!(execs.len(), runs + 1, "{shell} {dir:?}: no other process ran: {execs:#?}");
            let hints =
                String::from_utf8_lossy(&out.stderr).matches("is a Python project without an env").count();
            assert_eq!(
                hints,
                usize::from(dir == &bare),
                "{shell} {dir:?}: the hint, once, only without an env"
            );
            assert!(
                dir.join(".venv").exists() != (dir == &bare),
                "{shell} {dir:?}: the hook creates nothing"
            );
        }
    }
}

/// How to run a script in `shell` and print `VIRTUAL_ENV|prompt`: the
/// flags, a line set before (a prompt to prefix), and the printing line.
fn one_shot(shell: &str) -> (&'static [&'static str], &'static str, &'static str) {
    match shell {
        "fish" => (
            &["--no-config", "-c"],
            "function fish_prompt; printf 'P> '; end",
            "printf '%s|' \"$VIRTUAL_ENV\"; fish_prompt",
        ),
        "tcsh" | "bsd-csh" => {
            (&["-f", "-c"], "set prompt = 'P> '", "/usr/bin/printf '%s|%s' $VIRTUAL_ENV:q $prompt:q")
        }
        "nu" => (
            &["--no-config-file", "-c"],
            "",
            "print -n ($env.VIRTUAL_ENV + '|' + ($env.VIRTUAL_ENV_PROMPT? | default ''))",
        ),
        "xonsh" => (
            &["--no-rc", "-c"],
            "",
            "print(${...}.get('VIRTUAL_ENV', '') + '|' + __import__('xonsh.prompt.base', fromlist=['x']).PromptFormatter()('{env_name}') + '|' + $PATH[0], end='')",
        ),
        // POSIX shells: the prompt text activation put in front.
        _ => (&["-c"], "PS1='P> '", "printf '%s|%s' \"$VIRTUAL_ENV\" \"${_VENVOY_PS1_TEXT-$PS1}\""),
    }
}

fn run_in(ctx: &TestContext, program: &Path, shell: &str, script: &str) -> (String, String) {
    let (flags, before, print) = one_shot(shell);
    let mut cmd = Command::new(program);
    cmd.env_clear();
    ctx.sandbox_env(&mut cmd);
    cmd.env("SHELL", program).current_dir(&ctx.work).args(flags);
    cmd.arg(format!("{before}\n{script}\n{print}"));
    let out = cmd.output().unwrap();
    (stdout(&out), stderr(&out))
}

/// Every hint that shows a shell command is right for the user's shell
/// (`$SHELL`), run in that shell: `create`'s "Activate with" line and
/// `activate`'s one-off activation and, where the shell has one, its `init`
/// line. The envs' paths hold what each shell finds hardest: `${HOME}` and
/// `$HOME` for xonsh, a line break for tcsh and csh; the path and the prompt
/// are checked.
#[test]
fn hints_run_in_their_shell() {
    let mut ctx = TestContext::new();
    ctx.env("VENVOY_HOME", ctx.root.path().join("envs"));
    // `venvoy` as the init lines name it, on PATH.
    let venvoy = PathBuf::from(ctx.venvoy().get_program());
    ctx.prepend_path(venvoy.parent().unwrap());
    let python = supported_pythons().remove(0).1;
    for (shell, name) in [
        ("bash", "plain"),
        ("zsh", "plain"),
        ("dash", "plain"),
        ("mksh", "plain"),
        ("ksh93", "plain"),
        ("fish", "plain"),
        ("tcsh", "new\nline"),
        ("bsd-csh", "new\nline"),
        ("nu", "plain"),
        ("xonsh", "$HOME ${HOME}"),
    ] {
        let Some(program) = shell_program(shell) else {
            missing(shell);
            continue;
        };
        let dir = ctx.work.join(format!("{shell} {name}"));
        let env_path = dir.to_str().unwrap();
        let out = ctx
            .venvoy()
            .env("SHELL", &program)
            .args(["create", "--without-pip", "-p", python.to_str().unwrap(), "--prompt", "hp", env_path])
            .output()
            .unwrap();
        assert_code(&out, 0);
        let err = stderr(&out);
        let command = err.split_once("Activate with: ").map(|(_, c)| c.trim_end_matches('\n')).unwrap();
        let (got, err) = run_in(&ctx, &program, shell, command);
        let mut fields = got.split('|');
        assert_eq!(fields.next(), Some(env_path), "{shell}: `{command}`: {err}");
        let prompt = fields.next().unwrap_or_default().trim_end_matches('\n');
        match shell {
            "fish" | "tcsh" | "bsd-csh" => assert_eq!(prompt, "(hp) P> ", "{shell}: `{command}`"),
            "xonsh" => assert_eq!(prompt, "(hp) ", "xonsh: the `{{env_name}}` field"),
            // sh's prompt may hold a reference to the text; the activation
            // tests check how each shell draws it.
            _ => assert!(prompt.contains("hp"), "{shell}: prompt {prompt:?}"),
        }
        if shell == "xonsh" {
            assert_eq!(fields.next(), dir.join("bin").to_str(), "xonsh: $PATH[0] as written");
        }

        // `venvoy activate` outside the integration: its hint's commands.
        let out = ctx.venvoy().env("SHELL", &program).args(["activate", env_path]).output().unwrap();
        assert_code(&out, 2);
        let hint = stderr(&out);
        let quoted: Vec<&str> = hint.split('`').skip(1).step_by(2).collect();
        if shell != "bash" {
            assert!(!hint.contains("bash"), "{shell}: a hint for bash:\n{hint}");
        }
        let once = quoted.iter().find(|c| c.contains(&dir.join("bin").to_str().unwrap()[..8])).unwrap();
        let (got, err) = run_in(&ctx, &program, shell, once);
        assert!(got.starts_with(&format!("{env_path}|")), "{shell}: `{once}`: {got} {err}");
        let init: Vec<&str> = quoted.iter().copied().filter(|c| c.contains("venvoy init")).collect();
        match shell {
            "tcsh" | "bsd-csh" | "dash" | "mksh" | "ksh93" => assert!(init.is_empty(), "{shell}: {hint}"),
            "nu" => {
                // Saved once, then sourced (nushell reads sourced files when it parses).
                let (_, err) = run_in(&ctx, &program, shell, init[0]);
                let source = quoted.iter().find(|c| c.starts_with("source ")).unwrap();
                let (got, err2) = run_in(
                    &ctx,
                    &program,
                    shell,
                    &format!("{source}\nvenvoy activate {}", nu_quote(env_path)),
                );
                assert!(got.starts_with(&format!("{env_path}|")), "nu: {got} {err} {err2}");
            }
            _ => {
                assert_eq!(init.len(), 1, "{shell}: {hint}");
                let activate = match shell {
                    "xonsh" => format!("venvoy activate @({env_path:?})"),
                    "fish" => format!("venvoy activate '{env_path}'"),
                    _ => format!("venvoy activate {}", quote(env_path)),
                };
                let (got, err) = run_in(&ctx, &program, shell, &format!("{}\n{activate}", init[0]));
                assert!(got.starts_with(&format!("{env_path}|")), "{shell}: `{}`: {got} {err}", init[0]);
            }
        }
    }
}

fn nu_quote(s: &str) -> String {
    format!("'{s}'")
}

/// A path most shells' scripts cannot hold is refused when the env would be
/// made, naming those shells, and nothing is written; `:` (which no `PATH`
/// can hold) too.
#[test]
fn create_refuses_paths_shells_cannot_activate() {
    use std::os::unix::ffi::OsStrExt;
    let ctx = TestContext::new();
    let python = supported_pythons().remove(0).1;
    let bad = ctx.work.join(std::ffi::OsStr::from_bytes(b"bad\xffname"));
    let out = ctx.venvoy().args(["create", "--without-pip", "-p"]).arg(&python).arg(&bad).output().unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("fish, csh/tcsh, nushell, xonsh and PowerShell"), "{}", stderr(&out));
    assert!(stderr(&out).contains("hint: choose a directory name that is valid UTF-8"), "{}", stderr(&out));
    assert!(!bad.exists());
    let colon = ctx.work.join("a:b");
    let out = ctx.venvoy().args(["create", "--without-pip", "-p"]).arg(&python).arg(&colon).output().unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("the PATH separator"), "{}", stderr(&out));
    assert!(!colon.exists());
}
