//! Golden files of the generated scripts, for review and for the shells
//! that cannot run here (PowerShell, cmd.exe).

use std::path::Path;

use venvoy_shell::{ActivationConfig, render_all};

fn render(env_dir: &str, bin: &str, prompt: &str, relocatable: bool) -> Vec<(String, String)> {
    let cfg = ActivationConfig {
        env_dir: Path::new(env_dir),
        bin_dir_name: bin,
        prompt,
        relocatable,
        vars: &venvoy_shell::vars::NONE,
    };
    render_all(&cfg)
        .into_iter()
        .map(|(name, bytes)| {
            let bytes = match bytes.strip_prefix(b"\xef\xbb\xbf") {
                Some(rest) => {
                    assert!(name.ends_with(".ps1"), "{name}: only PowerShell gets a BOM");
                    rest.to_vec()
                }
                None => {
                    assert!(!name.ends_with(".ps1"), "{name}: PowerShell needs a BOM");
                    bytes
                }
            };
            let text = String::from_utf8(bytes).unwrap();
            if name.ends_with(".bat") {
                assert!(!text.replace("\r\n", "").contains('\n'), "{name}: bare LF");
            }
            // Snapshots are stored with LF; CRLF is checked above.
            (name, text.replace("\r\n", "\n"))
        })
        .collect()
}

fn file<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
    &files.iter().find(|(n, _)| n == name).unwrap().1
}

/// A Windows env whose path and prompt use every character cmd and
/// PowerShell treat specially.
const WIN_DIR: &str = r"C:\Users\Zoë\it's 100% ^ & (x) !bang! ‘q’\.venv";
const WIN_PROMPT: &str = "it's 50% $P$G ^ & | < > !x! `$(y)`";

#[test]
fn powershell_golden() {
    let files = render(WIN_DIR, "Scripts", WIN_PROMPT, false);
    insta::assert_snapshot!("Activate.ps1", file(&files, "Activate.ps1"));
    assert_eq!(file(&files, "Activate.ps1"), file(&files, "activate.ps1"));
    let files = render(WIN_DIR, "Scripts", "p", true);
    insta::assert_snapshot!("Activate.ps1-relocatable", file(&files, "Activate.ps1"));
}

#[test]
fn cmd_golden() {
    let files = render(WIN_DIR, "Scripts", WIN_PROMPT, false);
    insta::assert_snapshot!("activate.bat", file(&files, "activate.bat"));
    insta::assert_snapshot!("deactivate.bat", file(&files, "deactivate.bat"));
    let files = render(WIN_DIR, "Scripts", "p", true);
    insta::assert_snapshot!("activate.bat-relocatable", file(&files, "activate.bat"));
    // A double quote cannot be written in a batch file: that script refuses.
    let files = render(WIN_DIR, "Scripts", "say \"hi\"", false);
    insta::assert_snapshot!("activate.bat-refused", file(&files, "activate.bat"));
}

#[test]
fn unix_scripts_golden() {
    let files = render("/home/zoë/it's $(x) `y` 100%/.venv", "bin", "it's $(x) 100% !x", false);
    for name in
        ["activate", "activate.fish", "activate.csh", "activate.nu", "activate.xsh", "activate_this.py"]
    {
        insta::assert_snapshot!(name, file(&files, name));
    }
    // A line break is written as backslash-newline and read as `$name:q`.
    let files = render("/x/new\nline/.venv", "bin", "two\nlines", false);
    insta::assert_snapshot!("activate.csh-line-break", file(&files, "activate.csh"));
    let files = render("/x/.venv", "bin", "p", true);
    insta::assert_snapshot!("activate.csh-refused", file(&files, "activate.csh"));
}

/// The env's own variables (`venvoy env set`) in the shells that cannot run
/// here: set after saving the old value, restored by `deactivate`; a value
/// cmd cannot hold makes `activate.bat` refuse, naming the variable.
#[test]
fn vars_golden() {
    let mut vars = venvoy_shell::EnvVars::default();
    vars.set("DATABASE_URL", "postgres://u:p@h/db?x=1&y=2").unwrap();
    vars.set("HOSTILE", "it's 100% $(x) `y` $env:HOME !PATH! ^& | < > ‘q’").unwrap();
    vars.set("EMPTY", "").unwrap();
    let cfg = ActivationConfig {
        env_dir: Path::new(WIN_DIR),
        bin_dir_name: "Scripts",
        prompt: "p",
        relocatable: false,
        vars: &vars,
    };
    let files: Vec<(String, String)> = render_all(&cfg)
        .into_iter()
        .map(|(n, b)| (n, String::from_utf8_lossy(&b).replace("\r\n", "\n").replace('\u{feff}', "")))
        .collect();
    insta::assert_snapshot!("Activate.ps1-vars", file(&files, "Activate.ps1"));
    insta::assert_snapshot!("activate.bat-vars", file(&files, "activate.bat"));
    let mut vars = vars.clone();
    vars.set("MULTI", "two\nlines").unwrap();
    let cfg = ActivationConfig { vars: &vars, ..cfg };
    let bat = String::from_utf8(render_all(&cfg).into_iter().find(|(n, _)| n == "activate.bat").unwrap().1)
        .unwrap();
    assert!(bat.contains("cannot be activated from cmd") && bat.contains("MULTI"), "{bat}");
}
