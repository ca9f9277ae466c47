//! Project envs by the standard: PEP 832 `.venv` files as venvoy writes and
//! reads them, envs kept in the home (`create --in-home`), the one name
//! rule, and links that stay true through remove, move and `doctor --fix`.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::*;

/// A reader written from PEP 832's text alone: walk up to the first `.venv`
/// (directory or file); a file is UTF-8, its path is everything up to the
/// first newline (a trailing `\r` dropped), relative to the file's
/// directory; the directory must exist before it is used.
const PEP_832_READER: &str = r#"
import os, sys
d = os.path.abspath(sys.argv[1])
while True:
    p = os.path.join(d, ".venv")
    if os.path.lexists(p):
        if os.path.isdir(p):
            print(p)
            break
        with open(p, "rb") as f:
            line = f.read().decode("utf-8").split("\n", 1)[0]
        if line.endswith("\r"):
            line = line[:-1]
        env = os.path.normpath(os.path.join(d, line))
        if not os.path.isdir(env):
            sys.exit("not a directory: " + env)
        print(env)
        break
    if os.path.dirname(d) == d:
        sys.exit("no .venv")
    d = os.path.dirname(d)
"#;

struct World {
    ctx: TestContext,
    home: PathBuf,
    py: String,
}

fn world() -> World {
    let mut ctx = TestContext::new();
    let home = ctx.root.path().join("envs");
    ctx.env("VENVOY_HOME", &home);
    let py = supported_pythons().remove(0).1.to_str().unwrap().to_string();
    World { ctx, home, py }
}

impl World {
    fn at(&self, dir: &Path, args: &[&str]) -> Output {
        self.ctx.venvoy().current_dir(dir).args(args).output().unwrap()
    }

    fn create(&self, dir: &Path, args: &[&str]) -> Output {
        let mut all = vec!["create", "--without-pip", "-p", &self.py];
        all.extend_from_slice(args);
        self.at(dir, &all)
    }

    fn project(&self, rel: &str) -> PathBuf {
        let dir = self.ctx.work.join(rel);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Which env `venvoy run` picks from `dir`: the child's `$VIRTUAL_ENV`.
    fn resolved(&self, dir: &Path, env: Option<&str>) -> String {
        let mut args = vec!["run"];
        if let Some(e) = env {
            args.extend(["-e", e]);
        }
        args.extend(["printenv", "VIRTUAL_ENV"]);
        let out = self.at(dir, &args);
        assert_code(&out, 0);
        stdout(&out).trim_end().to_string()
    }

    fn pep_832(&self, dir: &Path) -> String {
        let out =
            std::process::Command::new("python3").args(["-c", PEP_832_READER]).arg(dir).output().unwrap();
        assert_code(&out, 0);
        stdout(&out).trim_end().to_string()
    }

    fn list(&self) -> Vec<serde_json::Value> {
        let out = self.ctx.run(&["list", "--json"]);
        assert_code(&out, 0);
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn pep_832_files_read_and_written() {
    let w = world();
    assert_code(&w.create(&w.ctx.work, &["-n", "web"]), 0);
    let web = w.home.join("web");

    // `use` writes the absolute path, which a plain PEP 832 reader follows.
    let app = w.project("app");
    assert_code(&w.at(&app, &["use", "web"]), 0);
    assert_eq!(std::fs::read_to_string(app.join(".venv")).unwrap(), format!("{}\n", web.display()));
    assert_eq!(w.pep_832(&app.join("src")), s(&web));
    assert_eq!(w.resolved(&app, None), s(&web));

    // A relative path (as people write by hand), `\r\n` and a second line:
    // relative to the file's directory, up to the first newline.
    let rel = w.project("deep/rel");
    let relative = "../../../envs/web\r\nignored\n";
    std::fs::write(rel.join(".venv"), relative).unwrap();
    assert_eq!(w.pep_832(&rel), s(&web));
    assert_eq!(w.resolved(&rel, None), s(&web));

    // A bare name (pipenv's older convention): read as a name in the env
    // home, and never written: reading leaves the file as it was.
    let named = w.project("named");
    std::fs::write(named.join(".venv"), "web\n").unwrap();
    assert_eq!(w.resolved(&named, None), s(&web));
    assert_code(&w.at(&named, &["info"]), 0);
    assert_code(&w.at(&named, &["doctor"]), 0);
    assert_eq!(std::fs::read_to_string(named.join(".venv")).unwrap(), "web\n");
    // ...unless a directory of that name sits next to it: then it is the path, as PEP 832 says.
    std::fs::create_dir(named.join("web")).unwrap();
    let out = w.at(&named, &["run", "true"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("is not a venv"), "{}", stderr(&out));

    // `~` on the command line and in a file: the home directory.
    assert_code(&w.create(&w.ctx.work, &["~/envs/tilde"]), 0);
    let tilde = w.ctx.home.join("envs/tilde");
    assert!(tilde.join("pyvenv.cfg").is_file());
    assert_eq!(w.resolved(&w.ctx.work, Some("~/envs/tilde")), s(&tilde));
    let t = w.project("t");
    std::fs::write(t.join(".venv"), "~/envs/tilde\n").unwrap();
    assert_eq!(w.resolved(&t, None), s(&tilde));
    assert_code(&w.at(&t, &["use", "~/envs/tilde"]), 0);
    assert_eq!(std::fs::read_to_string(t.join(".venv")).unwrap(), format!("{}\n", tilde.display()));

    // An empty first line names nothing.
    std::fs::write(t.join(".venv"), "\n/elsewhere\n").unwrap();
    let out = w.at(&t, &["run", "true"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("does not name an env") && stderr(&out).contains("PEP 832"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn in_home_from_two_projects_named_api() {
    let w = world();
    let a = w.project("a/api");
    let b = w.project("b/api");
    for p in [&a, &b] {
        let out = w.create(p, &["--in-home"]);
        assert_code(&out, 0);
        assert!(stderr(&out).contains("Linked"), "{}", stderr(&out));
    }
    let env_of = |p: &Path| PathBuf::from(std::fs::read_to_string(p.join(".venv")).unwrap().trim_end());
    let (ea, eb) = (env_of(&a), env_of(&b));
    assert_ne!(ea, eb);
    for (p, e) in [(&a, &ea), (&b, &eb)] {
        assert_eq!(e.parent(), Some(w.home.as_path()));
        let name = e.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with("api-") && name.len() == 12, "{name}");
        assert!(e.join("pyvenv.cfg").is_file());
        assert_eq!(w.pep_832(p), s(e));
        assert_eq!(w.resolved(p, None), s(e));
    }
    let rows = w.list();
    assert_eq!(rows.len(), 2, "{rows:?}");
    for (p, e) in [(&a, &ea), (&b, &eb)] {
        let row = rows.iter().find(|r| r["path"] == s(e)).expect("listed");
        assert_eq!(row["projects"], serde_json::json!([s(p)]));
    }
    let text = stdout(&w.ctx.run(&["list"]));
    assert!(text.contains(&format!("project {}", a.display())), "{text}");
    assert!(text.contains(&format!("project {}", b.display())), "{text}");

    // Again from the same project: the env exists (no silent reuse), the link stays.
    let out = w.create(&a, &["--in-home"]);
    assert_code(&out, 2);
    assert_eq!(env_of(&a), ea);
    // Never over a `.venv` directory or a link to another env.
    let c = w.project("c");
    assert_code(&w.create(&c, &[]), 0);
    let out = w.create(&c, &["--in-home"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));
    let d = w.project("d");
    std::fs::write(d.join(".venv"), format!("{}\n", ea.display())).unwrap();
    let out = w.create(&d, &["--in-home"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("already links this project"), "{}", stderr(&out));
    assert_eq!(env_of(&d), ea);
}

/// `VENVOY_IN_HOME=1` makes `--in-home` the default; `--in-project`, a PATH
/// or a NAME still say where the env goes; a value that is neither on nor
/// off is refused.
#[test]
fn venvoy_in_home_makes_in_home_the_default() {
    let mut w = world();
    w.ctx.env("VENVOY_IN_HOME", "1");
    let api = w.project("api");
    let out = w.create(&api, &[]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("Linked"), "{}", stderr(&out));
    assert!(api.join(".venv").is_file(), "a PEP 832 file, not an env in the project");
    let env = PathBuf::from(std::fs::read_to_string(api.join(".venv")).unwrap().trim_end());
    assert_eq!(env.parent(), Some(w.home.as_path()));
    assert!(env.file_name().unwrap().to_str().unwrap().starts_with("api-"), "{}", env.display());
    assert!(env.join("pyvenv.cfg").is_file());
    assert_eq!(w.pep_832(&api), s(&env));
    assert_eq!(w.list()[0]["projects"], serde_json::json!([s(&api)]));

    // `--in-project` overrides it; so does a PATH or a NAME (nothing linked).
    let web = w.project("web");
    assert_code(&w.create(&web, &["--in-project"]), 0);
    assert!(web.join(".venv/pyvenv.cfg").is_file());
    // An env directory already there: the hint names `--in-project`.
    let out = w.create(&web, &[]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("is a directory") && stderr(&out).contains("--in-project"),
        "{}",
        stderr(&out)
    );
    let cli = w.project("cli");
    assert_code(&w.create(&cli, &["env"]), 0);
    assert_code(&w.create(&cli, &["-n", "named"]), 0);
    assert!(cli.join("env/pyvenv.cfg").is_file() && w.home.join("named/pyvenv.cfg").is_file());
    assert!(!cli.join(".venv").exists());
    let out = w.create(&cli, &["--in-home", "--in-project"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("cannot be used with"), "{}", stderr(&out));

    // The first use of a project with no env makes it in the home too, linked.
    let first = w.project("first");
    std::fs::write(first.join("pyproject.toml"), "[project]\nname = 'first'\nversion = '0'\n").unwrap();
    let out = w.at(&first, &["run", "printenv", "VIRTUAL_ENV"]);
    assert_code(&out, 0);
    let made = PathBuf::from(stdout(&out).trim_end());
    assert_eq!(made.parent(), Some(w.home.as_path()), "{}", stderr(&out));
    assert_eq!(w.pep_832(&first), s(&made));

    // Off, and refused.
    for off in ["0", "off"] {
        w.ctx.env("VENVOY_IN_HOME", off);
        let p = w.project(&format!("off-{off}"));
        assert_code(&w.create(&p, &[]), 0);
        assert!(p.join(".venv/pyvenv.cfg").is_file(), "VENVOY_IN_HOME={off}");
    }
    w.ctx.env("VENVOY_IN_HOME", "maybe");
    let p = w.project("refused");
    let out = w.create(&p, &[]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("`VENVOY_IN_HOME=maybe`") && err.contains("hint: set it to `1`"), "{err}");
    assert!(!p.join(".venv").exists());
}

/// `pipenv --venv` (pipenv from PyPI, see `scripts/install-test-tools.sh`)
/// follows the absolute path venvoy writes, whatever pipenv's own
/// `WORKON_HOME`: for `create --in-home` and for `use NAME`.
#[test]
fn pipenv_finds_envs_linked_by_venvoy() {
    let Some(pipenv) = require("pipenv", crate::common::peer("pipenv")) else { return };
    let w = world();
    let api = w.project("api");
    let web = w.project("web");
    for p in [&api, &web] {
        std::fs::write(p.join("Pipfile"), "[packages]\n").unwrap();
    }
    assert_code(&w.create(&api, &["--in-home"]), 0);
    assert_code(&w.create(&w.ctx.work, &["-n", "shared"]), 0);
    assert_code(&w.at(&web, &["use", "shared"]), 0);
    let elsewhere = w.ctx.root.path().join("pipenv-home");
    std::fs::create_dir_all(&elsewhere).unwrap();
    for p in [&api, &web] {
        let linked = w.pep_832(p);
        assert!(Path::new(&linked).is_absolute() && linked.starts_with(s(&w.home)), "{linked}");
        let out = std::process::Command::new(&pipenv)
            .arg("--venv")
            .current_dir(p)
            .env_clear()
            .env("PATH", &w.ctx.path)
            .env("HOME", &w.ctx.home)
            .env("WORKON_HOME", &elsewhere)
            .env("PIPENV_IGNORE_VIRTUALENVS", "1")
            .env("PIPENV_YES", "1")
            .env("LANG", "C.UTF-8")
            .output()
            .unwrap();
        assert_code(&out, 0);
        assert_eq!(stdout(&out).trim_end(), linked, "pipenv --venv in {}", p.display());
    }
}

#[test]
fn remove_keeps_links_true() {
    let w = world();
    assert_code(&w.create(&w.ctx.work, &["-n", "web"]), 0);
    let web = w.home.join("web");
    let api = w.project("api");
    assert_code(&w.at(&api, &["use", "web"]), 0);
    assert_eq!(w.list()[0]["projects"], serde_json::json!([s(&api)]));

    // Linked: refused, naming the `.venv` file.
    let out = w.ctx.run(&["remove", "--yes", "web"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("`{}`", api.join(".venv").display())) && err.contains("--force --unlink"),
        "{err}"
    );
    assert!(web.is_dir());

    // --force --unlink: env, registry entry and `.venv` file gone; `list` clean.
    let out = w.ctx.run(&["remove", "--yes", "--force", "--unlink", "web"]);
    assert_code(&out, 0);
    assert!(!web.exists() && !api.join(".venv").exists());
    assert!(w.list().is_empty());
    let registry = w.ctx.home.join(".local/share/venvoy/registry.json");
    let entries: serde_json::Value = serde_json::from_slice(&std::fs::read(&registry).unwrap()).unwrap();
    assert_eq!(entries["envs"], serde_json::json!([]));

    // A path env: removing it forgets it, without `--unlink`.
    assert_code(&w.create(&w.ctx.work, &["np"]), 0);
    assert_eq!(w.list().len(), 1);
    assert_code(&w.ctx.run(&["remove", "--yes", "./np"]), 0);
    assert!(w.list().is_empty());
}

#[test]
fn moved_projects_are_relinked_by_doctor_fix() {
    let w = world();
    // A project whose env is kept in the home.
    let api = w.project("api");
    assert_code(&w.create(&api, &["--in-home"]), 0);
    let env = PathBuf::from(std::fs::read_to_string(api.join(".venv")).unwrap().trim_end());
    let moved = w.ctx.work.join("renamed");
    std::fs::rename(&api, &moved).unwrap();
    let out = w.at(&moved, &["doctor", "--json"]);
    assert_code(&out, 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report[0]["findings"][0]["id"], "project-moved", "{report}");
    assert_code(&w.at(&moved, &["doctor", "--fix"]), 0);
    assert_code(&w.at(&moved, &["doctor"]), 0);
    assert_eq!(w.resolved(&moved, None), s(&env));
    let rows = w.list();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["projects"], serde_json::json!([s(&moved)]));

    // A project with its own `.venv` directory, moved with it.
    let proj = w.project("proj");
    assert_code(&w.create(&proj, &[]), 0);
    let moved = w.ctx.work.join("proj2");
    std::fs::rename(&proj, &moved).unwrap();
    assert_code(&w.at(&moved, &["doctor", "--fix"]), 0);
    let rows = w.list();
    let row = rows.iter().find(|r| r["path"] == s(&moved.join(".venv"))).expect("the new place is listed");
    assert_eq!(row["projects"], serde_json::json!([s(&moved)]));
    assert_eq!(row["exists"], true);
    assert!(!rows.iter().any(|r| r["path"] == s(&proj.join(".venv"))), "{rows:?}");
    assert_eq!(w.resolved(&moved, None), s(&moved.join(".venv")));
}

#[test]
fn one_name_rule() {
    let w = world();
    // Every name `create -n` accepts works with info, run -e and remove.
    for name in ["data-3.12", "x+y@z_1", "été"] {
        assert_code(&w.create(&w.ctx.work, &["-n", name]), 0);
        assert_code(&w.ctx.run(&["info", name]), 0);
        assert_eq!(w.resolved(&w.ctx.work, Some(name)), s(&w.home.join(name)));
        assert_code(&w.ctx.run(&["remove", "--yes", name]), 0);
        assert!(!w.home.join(name).exists());
    }
    // What the resolver refuses, `create -n` refuses, stating the rule.
    for name in ["my env", ".hidden", "a:b", "~x", "$(id)"] {
        let out = w.create(&w.ctx.work, &["-n", name]);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("`{name}` is not a valid env name")) && err.contains("a name is one word"),
            "{err}"
        );
        let out = w.ctx.run(&["run", "-e", name, "true"]);
        assert_ne!(out.status.code(), Some(0), "{name}");
    }
    assert!(!w.home.exists() || w.home.read_dir().unwrap().next().is_none());
    // Clone and move destinations follow the same rule.
    assert_code(&w.create(&w.ctx.work, &["-n", "web"]), 0);
    let out = w.ctx.run(&["clone", "web", "my env"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("a name is one word"), "{}", stderr(&out));
    // A bare word that is a venv here, not in the home: the hint names `./word`.
    assert_code(&w.create(&w.ctx.work, &["np"]), 0);
    let out = w.ctx.run(&["info", "np"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("`./np` is a venv here"), "{}", stderr(&out));
}
