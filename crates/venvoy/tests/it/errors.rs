//! What the main errors look like on stderr, and their exit codes: 2 for a
//! failed action or bad input, 1 only where a lookup found nothing. Each
//! error names its path once, then says what to do (`hint:`).

use insta::assert_snapshot;

use crate::common::{TestContext, assert_code, stderr};

/// Run venvoy and snapshot its stderr with the sandbox's paths and this
/// machine's interpreter list replaced by placeholders.
#[track_caller]
fn snapshot_stderr(ctx: &TestContext, name: &str, args: &[&str], code: i32) {
    let out = ctx.run(args);
    assert_code(&out, code);
    assert!(
        out.stdout.is_empty(),
        "an error prints nothing on stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let root = ctx.root.path().to_string_lossy().into_owned();
    let text = stderr(&out).replace(&root, "[TEMP]");
    insta::with_settings!({
        filters => vec![(r"interpreters found: [^;]*;", "interpreters found: [PYTHONS];")],
        prepend_module_to_snapshot => true,
    }, {
        assert_snapshot!(name, text);
    });
}

/// No path is named twice in one error (the library's message and the
/// file-system error under it used to both carry it).
#[track_caller]
fn names_once(text: &str, path: &str) {
    assert_eq!(text.matches(path).count(), 1, "`{path}` should appear once in:\n{text}");
}

#[test]
fn create_with_an_interpreter_that_does_not_exist_fails_with_2() {
    let ctx = TestContext::new();
    snapshot_stderr(&ctx, "create_no_such_python", &["create", "--without-pip", "-p", "3.99", "env"], 2);
}

#[test]
fn python_find_that_finds_nothing_exits_1() {
    let ctx = TestContext::new();
    snapshot_stderr(&ctx, "python_find_nothing", &["python", "find", "3.99"], 1);
}

#[test]
fn info_of_an_unknown_name_exits_1() {
    let ctx = TestContext::new();
    snapshot_stderr(&ctx, "info_no_such_name", &["info", "nosuch"], 1);
}

#[test]
fn run_in_a_missing_env_fails_with_2() {
    let ctx = TestContext::new();
    snapshot_stderr(&ctx, "run_missing_env", &["run", "-e", "./nope", "true"], 2);
}

#[test]
fn which_of_nothing_on_path_exits_1() {
    let mut ctx = TestContext::new();
    // A PATH of one empty directory, so no trap on this machine's PATH shows.
    let bin = ctx.root.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    ctx.path = bin.into_os_string();
    snapshot_stderr(&ctx, "which_nothing", &["which", "venvoy-no-such-command"], 1);
}

#[test]
fn remove_of_a_directory_that_is_not_a_venv_fails_with_2() {
    let ctx = TestContext::new();
    std::fs::create_dir_all(ctx.work.join("project/src")).unwrap();
    snapshot_stderr(&ctx, "remove_not_a_venv", &["remove", "--yes", "./project"], 2);
    assert!(ctx.work.join("project/src").is_dir());
}

#[test]
fn create_under_a_file_names_the_path_once() {
    let ctx = TestContext::new();
    std::fs::write(ctx.work.join("file"), "").unwrap();
    snapshot_stderr(&ctx, "create_under_a_file", &["create", "--without-pip", "file/env"], 2);
    let out = ctx.run(&["create", "--without-pip", "file/env"]);
    names_once(&stderr(&out), &ctx.work.join("file").to_string_lossy());
}

#[test]
fn a_nested_venvoy_shell_is_refused_with_2() {
    let mut ctx = TestContext::new();
    ctx.env("VENVOY_SHELL", "/somewhere/env");
    snapshot_stderr(&ctx, "shell_nested", &["shell"], 2);
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let ctx = TestContext::new();
    snapshot_stderr(&ctx, "init_unknown_shell", &["init", "cmdx"], 2);
}

#[test]
fn seed_takes_packages_only_as_words() {
    let ctx = TestContext::new();
    snapshot_stderr(&ctx, "seed_env_as_a_word", &["seed", "./env"], 2);
}

#[test]
fn env_given_both_ways_is_a_usage_error() {
    let ctx = TestContext::new();
    let out = ctx.run(&["info", "a", "-e", "b"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("cannot be used with"), "{}", stderr(&out));
}
