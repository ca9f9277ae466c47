//! Every command that acts on an env takes `-e ENV` as `run` and `locate`
//! do: `clone`, `move`, `use` and `remove` (besides ENV as a word).

use crate::common::{assert_code, stderr, with_env};

#[test]
fn clone_takes_e_env_then_dest() {
    let Some(ctx) = with_env() else { return };
    assert_code(&ctx.run(&["clone", "-e", "./env", "./copy"]), 0);
    assert!(venvoy_fs::is_venv(&ctx.work.join("copy")) && venvoy_fs::is_venv(&ctx.work.join("env")));
}

#[test]
fn move_takes_e_env_then_dest() {
    let Some(ctx) = with_env() else { return };
    assert_code(&ctx.run(&["move", "--env", "./env", "./moved"]), 0);
    assert!(venvoy_fs::is_venv(&ctx.work.join("moved")) && !ctx.work.join("env").exists());
}

#[test]
fn use_takes_e_env() {
    let Some(ctx) = with_env() else { return };
    let project = ctx.work.join("project");
    std::fs::create_dir_all(&project).unwrap();
    let env = ctx.work.join("env");
    let out = ctx.venvoy().current_dir(&project).args(["use", "-e", env.to_str().unwrap()]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(std::fs::read_to_string(project.join(".venv")).unwrap().trim(), env.to_str().unwrap());
}

#[test]
fn remove_takes_e_env_with_and_besides_words() {
    let Some(ctx) = with_env() else { return };
    assert_code(&ctx.run(&["clone", "./env", "./copy"]), 0);
    assert_code(&ctx.run(&["remove", "--yes", "-e", "./env", "./copy"]), 0);
    assert!(!ctx.work.join("env").exists() && !ctx.work.join("copy").exists());
}

#[test]
fn clone_with_e_env_and_two_words_is_a_usage_error() {
    let Some(ctx) = with_env() else { return };
    let out = ctx.run(&["clone", "-e", "./env", "./a", "./b"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("with `-e ENV`, give only DEST"), "{}", stderr(&out));
    assert!(!ctx.work.join("a").exists() && !ctx.work.join("b").exists());
}

#[test]
fn move_with_one_word_and_no_e_env_is_a_usage_error() {
    let Some(ctx) = with_env() else { return };
    let out = ctx.run(&["move", "./env"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("give ENV and DEST"), "{}", stderr(&out));
    assert!(venvoy_fs::is_venv(&ctx.work.join("env")));
}

#[test]
fn use_with_both_forms_is_a_usage_error() {
    let Some(ctx) = with_env() else { return };
    assert_code(&ctx.run(&["use", "./env", "-e", "./env"]), 2);
    assert!(!ctx.work.join(".venv").exists());
}
