//! The env's own variables (`venvoy env set`) in every shell that runs
//! here: set exactly while active, even hostile values; switching from env
//! A to env B first restores what A set; `deactivate` restores every old
//! value and unsets what had none.

use std::path::{Path, PathBuf};
use std::process::Command;

use venvoy_shell::{ActivationConfig, EnvVars, write_activation_scripts};

use crate::support::*;

/// Values that must arrive byte for byte and never run: each command in
/// them would leave a file in the working dir.
const VALUES: &[&str] = &[
    "two\nlines",
    "$(touch marker_cmdsub)",
    "`touch marker_backtick`",
    "${HOME} $HOME %PATH% !PATH! ^& $env:HOME",
    "it's \"quoted\" \\ back\\slash \\n",
    "a;touch marker_semi&touch marker_amp|touch marker_pipe",
    "glob * ? [a] {b,c} ~",
    "@$(touch marker_xonsh) @(print(1))",
    "trailing newline\n",
    " lead and trail ",
    "",
    "ünïcödé 日本語 🐍",
];

/// A's variables: `OLD` existed before activation, the rest did not.
fn vars_a(with_cr: bool) -> EnvVars {
    let mut vars = EnvVars::default();
    vars.set("V_OLD", "a's value").unwrap();
    vars.set("V_A_ONLY", "only in A").unwrap();
    for (i, value) in VALUES.iter().enumerate() {
        vars.set(&format!("V_H{i}"), value).unwrap();
    }
    if with_cr {
        vars.set("V_CR", "cr\r\nlf\r").unwrap();
    }
    vars
}

fn vars_b() -> EnvVars {
    let mut vars = EnvVars::default();
    vars.set("V_OLD", "$(touch marker_b) b").unwrap();
    vars.set("V_B_ONLY", "only\nin B").unwrap();
    vars
}

struct Pair {
    a: TestEnv,
    b: TestEnv,
    a_vars: EnvVars,
    b_vars: EnvVars,
    dump: PathBuf,
}

fn write_vars(env: &TestEnv, vars: &EnvVars) {
    let cfg = ActivationConfig {
        env_dir: &env.env_dir,
        bin_dir_name: "bin",
        prompt: "p",
        relocatable: false,
        vars,
    };
    write_activation_scripts(&cfg).unwrap();
}

/// Prints `TAG_NAME=set:VALUE` or `TAG_NAME=unset` for each name, NUL-separated.
const DUMP: &str = r#"import os, sys
tag = sys.argv[1]
out = sys.stdout.buffer
for name in sys.argv[2:]:
    v = os.environb.get(name.encode())
    out.write(tag.encode() + b"_" + name.encode() + b"=" + (b"unset" if v is None else b"set:" + v) + b"\0")
out.flush()
"#;

fn pair(with_cr: bool) -> Pair {
    let a = TestEnv::new("a", "a");
    let b = TestEnv::new("b", "b");
    let (a_vars, b_vars) = (vars_a(with_cr), vars_b());
    write_vars(&a, &a_vars);
    write_vars(&b, &b_vars);
    let dump = a.root.path().join("dump_vars.py");
    std::fs::write(&dump, DUMP).unwrap();
    Pair { a, b, a_vars, b_vars, dump }
}

impl Pair {
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> =
            self.a_vars.names().chain(self.b_vars.names()).map(str::to_owned).collect();
        names.sort();
        names.dedup();
        names
    }

    /// The dump command line, as words (all plain: temp paths and names).
    fn dump_words(&self, tag: &str) -> String {
        format!("/usr/bin/python3 {} {tag} {}", self.dump.display(), self.names().join(" "))
    }

    /// The driver script: dump, activate A, dump, activate B (which first
    /// restores what A set), dump, `deactivate`, dump. `activate` is how
    /// this shell activates an env dir; `dump` how it runs the dump command
    /// line (most shells: as written).
    fn script(
        &self,
        first: &str,
        activate: impl Fn(&Path) -> String,
        dump: impl Fn(String) -> String,
    ) -> String {
        let stage = |tag: &str| dump(self.dump_words(tag));
        format!(
            "{first}{}\n{}\n{}\n{}\n{}\ndeactivate\n{}\n",
            stage("before"),
            activate(&self.a.env_dir),
            stage("a"),
            activate(&self.b.env_dir),
            stage("b"),
            stage("after"),
        )
    }

    fn command(&self, program: &Path) -> Command {
        let mut cmd = shell_command(program, &self.a.work);
        cmd.env("V_OLD", "orig value\nwith a line");
        cmd
    }

    /// Check the records of the three stages, for `shell`.
    fn check(&self, out: &[u8], shell: &str) {
        let r = Records::parse(out);
        let want = |tag: &str, name: &str, value: Option<&str>| {
            let got = r.get(&format!("{tag}_{name}"));
            let want = value.map_or(b"unset".to_vec(), |v| set(v.as_bytes()));
            assert_eq!(
                String::from_utf8_lossy(got),
                String::from_utf8_lossy(&want),
                "{shell}: {name} at stage {tag}"
            );
        };
        for name in self.names() {
            let before = (name == "V_OLD").then_some("orig value\nwith a line");
            want("before", &name, before);
            want("a", &name, self.a_vars.get(&name).or(before));
            want("b", &name, self.b_vars.get(&name).or(before));
            want("after", &name, before);
        }
        self.a.assert_nothing_ran();
    }
}

fn posix_like(shell: &str) {
    let Some(program) = require(shell) else { return };
    posix_program(shell, &program, &[]);
}

fn posix_program(shell: &str, program: &Path, pre: &[&str]) {
    let p = pair(true);
    let script = p.script("set -e\n", |env| format!(". {}/bin/activate", env.display()), |w| w);
    let out = run(p.command(program).args(pre).arg("-c").arg(script));
    p.check(&out, shell);
}

#[test]
fn vars_bash() {
    posix_like("bash");
}

#[test]
fn vars_zsh() {
    posix_like("zsh");
}

#[test]
fn vars_dash() {
    posix_like("dash");
}

#[test]
fn vars_ksh93_mksh_busybox() {
    for shell in ["ksh93", "mksh"] {
        if let Some(program) = require(shell) {
            posix_program(shell, &program, &[]);
        }
    }
    if let Some(busybox) = require("busybox") {
        posix_program("busybox sh", &busybox, &["sh"]);
    }
}

#[test]
fn vars_fish() {
    let Some(program) = require("fish") else { return };
    let p = pair(true);
    let script = p.script("", |env| format!("source {}/bin/activate.fish", env.display()), |w| w);
    let out = run(p.command(&program).arg("--no-config").arg("-c").arg(script));
    p.check(&out, "fish");
}

#[test]
fn vars_tcsh() {
    csh_like("tcsh");
}

#[test]
fn vars_bsd_csh() {
    // `csh` is a Debian alternative that may point to tcsh: BSD csh by its own name.
    csh_like("bsd-csh");
}

fn csh_like(shell: &str) {
    let Some(program) = require(shell) else { return };
    let p = pair(true);
    let script = p.script("", |env| format!("source {}/bin/activate.csh", env.display()), |w| w);
    let file = p.a.root.path().join("driver.csh");
    std::fs::write(&file, script).unwrap();
    let out = run(p.command(&program).arg("-f").arg(&file));
    p.check(&out, shell);
}

#[test]
fn vars_nushell() {
    let Some(program) = require("nu") else { return };
    let p = pair(true);
    // An external command in nushell is run with `^`.
    let script =
        p.script("", |env| format!("overlay use {}/bin/activate.nu", env.display()), |w| format!("^{w}"));
    let out = run(p.command(&program).args(["-n", "--no-std-lib", "-c"]).arg(script));
    p.check(&out, "nushell");
}

#[test]
fn vars_xonsh() {
    let Some(program) = require("xonsh") else { return };
    let p = pair(true);
    let script = p.script("", |env| format!("source {}/bin/activate.xsh", env.display()), |w| w);
    let file = p.a.root.path().join("driver.xsh");
    std::fs::write(&file, script).unwrap();
    let out = run(p.command(&program).arg("--no-rc").arg(&file));
    p.check(&out, "xonsh");
}

#[test]
fn vars_python_activate_this() {
    let p = pair(true);
    let code = format!(
        "import os, runpy, subprocess\nrunpy.run_path({:?})\nsubprocess.check_call({:?}.split())\n",
        p.a.env_dir.join("bin/activate_this.py").display().to_string(),
        p.dump_words("a"),
    );
    let out = run(p.command(Path::new("/usr/bin/python3")).arg("-c").arg(code));
    let r = Records::parse(&out);
    for (name, value) in p.a_vars.iter() {
        assert_eq!(r.get(&format!("a_{name}")), set(value.as_bytes()), "activate_this.py: {name}");
    }
    p.a.assert_nothing_ran();
}
