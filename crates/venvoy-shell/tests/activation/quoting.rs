//! Property tests of the quoting functions: arbitrary strings, quoted for a
//! shell and evaluated by that real shell, come back unchanged.
//!
//! Each case quotes a batch of strings into one script, so a case costs one
//! shell start.

use std::path::Path;

use proptest::prelude::*;
use venvoy_shell::quote;

use crate::support::*;

/// Characters that matter to some shell, plus anything else but NUL.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => proptest::sample::select(
            "'\"`$\\!%^&|;<>(){}[]*?~#@=:, \t\n\r-é🐍\u{2018}\u{2019}\u{201a}\u{201b}"
                .chars()
                .collect::<Vec<_>>()
        ),
        1 => any::<char>().prop_filter("no NUL", |c| *c != '\0'),
    ]
}

fn tricky_string() -> impl Strategy<Value = String> {
    proptest::collection::vec(tricky_char(), 0..24).prop_map(|v| v.into_iter().collect())
}

fn batch() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(tricky_string(), 1..12)
}

/// Run `program args… script` and split its stdout at NULs.
fn eval(program: &Path, args: &[&str], script: &str) -> Vec<String> {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join("home")).unwrap();
    let w = work.path().join("work");
    std::fs::create_dir(&w).unwrap();
    let mut cmd = shell_command(program, &w);
    cmd.args(args).arg(script);
    let out = run(&mut cmd);
    let found: Vec<_> = std::fs::read_dir(&w).unwrap().collect();
    assert!(found.is_empty(), "quoted text ran something");
    let mut parts: Vec<String> =
        out.split(|b| *b == 0).map(|p| String::from_utf8(p.to_vec()).unwrap()).collect();
    assert_eq!(parts.pop().as_deref(), Some(""), "output must end in NUL");
    parts
}

fn cases() -> ProptestConfig {
    ProptestConfig {
        // PROPTEST_CASES=1000 for a longer hunt.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn posix_round_trip(shell: &str, pre: &[&str], values: &[String]) {
    let Some(program) = require(shell) else {
        return;
    };
    let mut script = String::from("printf '%s\\0'");
    for v in values {
        script.push(' ');
        script.push_str(&quote::posix(v));
    }
    let mut args = pre.to_vec();
    args.push("-c");
    assert_eq!(eval(&program, &args, &script), values, "{shell}");
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn posix_quoting_round_trips_in_every_sh(values in batch()) {
        for (shell, pre) in [
            ("bash", &[][..]),
            ("zsh", &["-f"][..]),
            ("dash", &[][..]),
            ("ksh93", &[][..]),
            ("mksh", &[][..]),
            ("busybox", &["sh"][..]),
        ] {
            posix_round_trip(shell, pre, &values);
        }
    }

    #[test]
    fn fish_quoting_round_trips(values in batch()) {
        let Some(fish) = require("fish") else { return Ok(()) };
        let mut script = String::from("printf '%s\\0'");
        for v in &values {
            script.push(' ');
            script.push_str(&quote::fish(v));
        }
        prop_assert_eq!(eval(&fish, &["--no-config", "-c"], &script), values);
    }

    #[test]
    fn csh_words_round_trip_line_breaks_included(values in batch()) {
        for shell in ["tcsh", "bsd-csh"] {
            let Some(program) = require(shell) else { continue };
            // Read back as `$v:q`, the way activate.csh reads its values.
            let mut script = String::new();
            for v in &values {
                script.push_str(&format!("set v = {}\n/usr/bin/printf '%s\\0' $v:q\n", quote::csh_word(v)));
            }
            prop_assert_eq!(&eval(&program, &["-f", "-c"], &script), &values, "{}", shell);
        }
    }

    #[test]
    fn nu_quoting_round_trips(values in batch()) {
        let Some(nu) = require("nu") else { return Ok(()) };
        // Inside a block, as in activate.nu's `export-env { … }`.
        let mut script = String::from("do {\n    mut out = ''\n");
        for v in &values {
            script.push_str(&format!("    let v = {}\n    $out = $out + $v + (char nul)\n", quote::nu(v)));
        }
        script.push_str("    print -n $out\n}\n");
        prop_assert_eq!(eval(&nu, &["-n", "--no-std-lib", "-c"], &script), values);
    }

    #[test]
    fn python_literals_round_trip(values in batch()) {
        // xonsh's Python mode and activate_this.py read the same literals.
        let list: Vec<String> = values.iter().map(|v| quote::xonsh(v)).collect();
        let script = format!(
            "import sys; sys.stdout.write(''.join(s + '\\0' for s in [{}]))",
            list.join(", ")
        );
        prop_assert_eq!(eval(&real_python(), &["-c"], &script), values);
    }

    #[test]
    fn powershell_quoting_round_trips(value in tricky_string()) {
        prop_assert_eq!(unquote_powershell(&quote::powershell(&value)), value);
    }

    #[test]
    fn cmd_quoting_round_trips(value in tricky_string()) {
        match quote::cmd(&value) {
            Err(_) => prop_assert!(value.contains(['"', '\n', '\r'])),
            Ok(plain) => {
                prop_assert_eq!(cmd_set_value(&plain, false), value.clone());
                let delayed = quote::cmd_delayed(&value).unwrap();
                prop_assert_eq!(cmd_set_value(&delayed, true), value);
            }
        }
    }
}

/// xonsh itself reads the literals the same way (one batch: xonsh starts
/// slowly).
#[test]
fn xonsh_reads_the_literals() {
    let Some(xonsh) = require("xonsh") else {
        return;
    };
    let values: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    let list: Vec<String> = values.iter().map(|v| quote::xonsh(v)).collect();
    let script = format!(
        "import sys\n_ = sys.stdout.write(''.join(s + '\\0' for s in [{}]))\nsys.stdout.flush()",
        list.join(", ")
    );
    assert_eq!(eval(&xonsh, &["--no-rc", "-c"], &script), values);
}

/// PowerShell's reading of the quoted text: a verbatim string, where two
/// single-quote characters (of any of the four kinds) stand for the second;
/// or `(` verbatim strings joined by ` + [char]13 + ` `)`.
fn unquote_powershell(quoted: &str) -> String {
    let chars: Vec<char> = quoted.chars().collect();
    let (mut i, end, joined) = if chars.first() == Some(&'(') {
        assert_eq!(chars.last(), Some(&')'), "{quoted:?}");
        (1, chars.len() - 1, true)
    } else {
        (0, chars.len(), false)
    };
    let mut out = String::new();
    loop {
        i = read_verbatim(&chars, i, &mut out);
        if i == end {
            return out;
        }
        let sep: Vec<char> = " + [char]13 + ".chars().collect();
        assert!(joined && chars[i..].starts_with(&sep), "junk after string: {quoted:?}");
        out.push('\r');
        i += sep.len();
    }
}

/// Read one verbatim string starting at `i`; returns the index after it.
fn read_verbatim(chars: &[char], mut i: usize, out: &mut String) -> usize {
    let is_quote = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}');
    assert!(is_quote(chars[i]), "string must open with a quote");
    i += 1;
    loop {
        let c = chars[i];
        if is_quote(c) {
            if i + 1 < chars.len() && is_quote(chars[i + 1]) {
                out.push(chars[i + 1]);
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
}

/// What cmd.exe stores for `set "NAME=<text>"` in a batch file: `%%` becomes
/// `%` (a lone `%` would start a variable); then, with delayed expansion on
/// and a `!` in the line, `^x` becomes `x` and a lone `!` would start a
/// variable.
fn cmd_set_value(text: &str, delayed: bool) -> String {
    let mut phase1 = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            assert_eq!(chars.next(), Some('%'), "lone % in {text:?}");
        }
        phase1.push(c);
    }
    if !delayed || !phase1.contains('!') {
        return phase1;
    }
    let mut out = String::new();
    let mut chars = phase1.chars();
    while let Some(c) = chars.next() {
        match c {
            '^' => out.push(chars.next().expect("caret at end")),
            '!' => panic!("unescaped ! in {text:?}"),
            c => out.push(c),
        }
    }
    out
}
