//! PEP 668 explained: Debian's `/usr/bin/pip` and `python3` belong to an
//! externally managed Python (its `EXTERNALLY-MANAGED` marker); `which`,
//! `doctor` outside an env and `python list` say so. Debian's python3 and
//! python3-pip are installed by scripts/install-test-tools.sh.

use std::path::Path;

use crate::common::*;

/// Debian's marked Python with its pip, or `None` (a failure under CI).
fn debian_pip() -> Option<std::path::PathBuf> {
    // The marker of the Python `/usr/bin/pip` runs (`/usr/bin/python3`).
    let python = std::fs::canonicalize("/usr/bin/python3").ok();
    let marker = python
        .as_deref()
        .and_then(|p| p.file_name())
        .map(|name| Path::new("/usr/lib").join(name).join("EXTERNALLY-MANAGED"))
        .filter(|p| p.is_file());
    if marker.is_none() || !Path::new("/usr/bin/pip").is_file() {
        missing("Debian's python3 and python3-pip (/usr/bin/pip, /usr/lib/python3.*/EXTERNALLY-MANAGED)");
        return None;
    }
    marker
}

fn system_first(ctx: &mut TestContext) {
    ctx.path = "/usr/bin:/bin".into();
}

#[test]
fn which_pip_names_pep_668_quotes_the_marker_and_hints_at_a_venv() {
    let Some(marker) = debian_pip() else { return };
    let mut ctx = TestContext::new();
    system_first(&mut ctx);
    let out = ctx.run(&["which", "pip"]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("PEP 668") && err.contains("externally managed"), "{err}");
    assert!(err.contains(marker.to_str().unwrap()), "{err}");
    let first_line = std::fs::read_to_string(&marker).unwrap();
    let quoted = first_line.lines().find_map(|l| l.strip_prefix("Error=")).unwrap();
    assert!(err.contains(&format!("| {}", quoted.trim())), "the marker's message is quoted: {err}");
    assert!(err.contains("hint:") && err.contains("venvoy create"), "{err}");
}

#[test]
fn which_python3_of_the_system_says_it_too_but_not_inside_an_env() {
    if debian_pip().is_none() {
        return;
    }
    let mut ctx = TestContext::new();
    system_first(&mut ctx);
    let out = ctx.run(&["which", "python3"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("PEP 668"), "{}", stderr(&out));

    // An env made from that Python, first on PATH: PEP 668 does not apply.
    let env = ctx.work.join("env");
    let made = ctx.run(&["create", env.to_str().unwrap(), "--without-pip", "-p", "/usr/bin/python3"]);
    assert_code(&made, 0);
    ctx.prepend_path(&env.join("bin"));
    let out = ctx.run(&["which", "python3"]);
    assert_code(&out, 0);
    assert!(!stderr(&out).contains("PEP 668"), "{}", stderr(&out));
}

#[test]
fn doctor_outside_an_env_explains_the_system_pip() {
    if debian_pip().is_none() {
        return;
    }
    let mut ctx = TestContext::new();
    system_first(&mut ctx);
    let out = ctx.run(&["doctor"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("PEP 668") && err.contains("/usr/bin/pip"), "{err}");
    assert!(err.contains("venvoy create"), "{err}");
    // One explanation per interpreter, not one per name.
    assert_eq!(err.matches("PEP 668").count(), 1, "{err}");
}

#[test]
fn python_list_marks_externally_managed_interpreters() {
    if debian_pip().is_none() {
        return;
    }
    let mut ctx = TestContext::new();
    system_first(&mut ctx);
    let out = ctx.run(&["python", "list"]);
    assert_code(&out, 0);
    let line = stdout(&out).lines().find(|l| l.contains("/usr/bin/python3")).map(str::to_string);
    assert!(line.as_deref().is_some_and(|l| l.contains("externally managed")), "{}", stdout(&out));
}
