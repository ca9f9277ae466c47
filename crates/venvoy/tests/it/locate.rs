//! `venvoy locate`: the module that wins, the copies it shadows (the current
//! directory, a `.pth` directory, `PYTHONPATH` only when asked), `sys.path` origins.

use std::path::{Path, PathBuf};

use crate::common::{TestContext, assert_code, missing, stdout};
use crate::packages::base_python;

fn locate(ctx: &TestContext, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["locate", "--json"];
    all.extend_from_slice(args);
    let out = ctx.run(&all);
    let json = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&out), crate::common::stderr(&out)));
    (out.status.code().unwrap(), json)
}

fn site_packages(env: &Path) -> PathBuf {
    std::fs::read_dir(env.join("lib"))
        .unwrap()
        .map(|e| e.unwrap().path().join("site-packages"))
        .find(|p| p.is_dir())
        .unwrap()
}

#[test]
fn stdlib_module_shadowed_by_the_current_directory() {
    let Some(python) = base_python() else {
        return missing("no CPython");
    };
    let mut ctx = TestContext::new();
    let env = ctx.root.path().join("env");
    let e = env.to_str().unwrap();
    assert_code(&ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), e]), 0);

    let (code, report) = locate(&ctx, &["json", "-e", e]);
    assert_eq!(code, 0);
    assert!(report["found"]["origin"].as_str().unwrap().ends_with("json/__init__.py"), "{report:#}");
    assert_eq!(report["prefix"], e);
    let kinds: Vec<&str> =
        report["sys_path"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.first(), Some(&"script-dir"));
    assert!(kinds.contains(&"stdlib") && kinds.contains(&"site-packages"), "{kinds:?}");

    // A `json.py` in the current directory wins, and the stdlib's is shadowed.
    std::fs::write(ctx.work.join("json.py"), "X = 1\n").unwrap();
    let (code, report) = locate(&ctx, &["json", "-e", e]);
    assert_eq!(code, 0);
    assert_eq!(report["found"]["origin"], ctx.work.join("json.py").to_str().unwrap());
    let copies = report["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 2, "{report:#}");
    assert_eq!((copies[0]["index"].as_u64(), copies[0]["wins"].as_bool()), (Some(0), Some(true)));
    assert_eq!(copies[1]["wins"], false);
    let text = stdout(&ctx.run(&["locate", "json", "-e", e]));
    assert!(text.contains("shadowed copies:"), "{text}");

    // The caller's PYTHONPATH counts only with --pythonpath.
    let extra = ctx.root.path().join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    std::fs::write(extra.join("only_here.py"), "").unwrap();
    ctx.env("PYTHONPATH", &extra);
    let (code, _) = locate(&ctx, &["only_here", "-e", e]);
    assert_eq!(code, 1);
    let (code, report) = locate(&ctx, &["only_here", "-e", e, "--pythonpath"]);
    assert_eq!(code, 0);
    let index = report["copies"][0]["index"].as_u64().unwrap() as usize;
    assert_eq!(report["sys_path"][index]["kind"], "pythonpath");
}

#[test]
fn pth_directories_builtins_and_errors() {
    let Some(python) = base_python() else {
        return missing("no CPython");
    };
    let ctx = TestContext::new();
    let env = ctx.root.path().join("env");
    let e = env.to_str().unwrap();
    assert_code(&ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), e]), 0);
    let src = ctx.root.path().join("src");
    std::fs::create_dir_all(src.join("mypkg")).unwrap();
    std::fs::write(src.join("mypkg/__init__.py"), "").unwrap();
    let site = site_packages(&env);
    std::fs::write(site.join("zz_dev.pth"), format!("# a comment\n{}\nimport os\n", src.display())).unwrap();
    let (code, report) = locate(&ctx, &["mypkg", "-e", e]);
    assert_eq!(code, 0);
    assert_eq!(report["found"]["origin"], src.join("mypkg/__init__.py").to_str().unwrap());
    let index = report["copies"][0]["index"].as_u64().unwrap() as usize;
    assert_eq!(report["sys_path"][index]["kind"], "pth");
    assert_eq!(report["sys_path"][index]["pth"], site.join("zz_dev.pth").to_str().unwrap());

    let (code, report) = locate(&ctx, &["sys", "-e", e]);
    assert_eq!(code, 0);
    assert_eq!(report["found"]["builtin"], true);

    let (code, report) = locate(&ctx, &["no_such_module_at_all", "-e", e]);
    assert_eq!(code, 1);
    assert!(report["found"].is_null());

    let out = ctx.run(&["locate", "not a module", "-e", e]);
    assert_code(&out, 2);
    assert!(crate::common::stderr(&out).contains("is not a module name"));
}
