//! `venvoy --version`, `venvoy --version -v` and `venvoy version [--json]`:
//! the version, and the build facts a bug report needs.

use std::process::Command;

use crate::common::{TestContext, assert_code, stdout};

/// `git rev-parse HEAD` of this checkout, which build.rs recorded.
fn head_commit() -> String {
    let out = Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "HEAD"])
        .output()
        .expect("git");
    assert!(out.status.success(), "the tests run from a git checkout");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn version_flag_is_one_line() {
    let ctx = TestContext::new();
    for args in [&["--version"][..], &["-V"], &["create", "--version"]] {
        let out = ctx.run(args);
        assert_code(&out, 0);
        let text = stdout(&out);
        assert_eq!(text.lines().count(), 1, "{args:?}: {text}");
        assert!(text.trim_end().ends_with(&format!(" {}", env!("CARGO_PKG_VERSION"))), "{args:?}: {text}");
    }
}

#[test]
fn verbose_version_names_commit_target_and_dates() {
    let ctx = TestContext::new();
    let commit = head_commit();
    let long = stdout(&ctx.run(&["version"]));
    for args in [&["--version", "-v"][..], &["-v", "--version"], &["-vV"], &["--verbose", "-V"]] {
        let out = ctx.run(args);
        assert_code(&out, 0);
        assert_eq!(stdout(&out), long, "{args:?}");
    }
    let lines: Vec<&str> = long.lines().collect();
    assert_eq!(lines[0], format!("venvoy {}", env!("CARGO_PKG_VERSION")));
    assert!(lines.contains(&&*format!("commit-hash: {commit}")), "{long}");
    assert!(
        lines.iter().any(|l| l.starts_with("target: x86_64-") || l.starts_with("target: aarch64-")),
        "{long}"
    );
    assert!(lines.iter().any(|l| l.starts_with("rustc: rustc 1.")), "{long}");
    let date = lines.iter().find_map(|l| l.strip_prefix("build-date: ")).expect("build-date");
    assert!(
        date.len() == 10 && date.as_bytes()[4] == b'-' && date[..4].parse::<u32>().unwrap() >= 2024,
        "{date}"
    );

    let out = ctx.run(&["version", "--json"]);
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["commit_hash"], commit.as_str());
    assert_eq!(json["build_date"], date);
    assert_eq!(json["target"].as_str().map(|t| lines.contains(&&*format!("target: {t}"))), Some(true));
}

#[test]
fn verbose_after_double_dash_is_not_read() {
    // `venvoy run -- cmd -v --version` belongs to `cmd`; clap stops at `--`.
    let ctx = TestContext::new();
    let out = ctx.run(&["--version", "--", "-v"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
}
