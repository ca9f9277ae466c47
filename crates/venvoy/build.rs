//! Build facts for `venvoy --version -v` and `venvoy version`: the commit (when
//! built from a git checkout), the target triple, the compiler, and the build
//! date (`SOURCE_DATE_EPOCH` when set, for reproducible builds).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");

    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    if let Some((hash, date)) = commit(&manifest_dir) {
        println!("cargo:rustc-env=VENVOY_COMMIT_HASH={hash}");
        println!("cargo:rustc-env=VENVOY_COMMIT_DATE={date}");
    }

    let target = std::env::var("TARGET").unwrap_or_default();
    println!("cargo:rustc-env=VENVOY_TARGET={target}");

    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    if let Some(version) = run(Command::new(rustc).arg("--version")) {
        println!("cargo:rustc-env=VENVOY_RUSTC={version}");
    }

    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64));
    println!("cargo:rustc-env=VENVOY_BUILD_DATE={}", civil_date(epoch));
}

/// The full hash and the commit date of `HEAD`, and tell cargo to run this
/// script again when `HEAD` moves. `None` outside a git checkout (an sdist).
fn commit(dir: &Path) -> Option<(String, String)> {
    let git = |args: &[&str]| run(Command::new("git").arg("-C").arg(dir).args(args));
    // Only this project's own checkout: an sdist unpacked inside some other
    // repository (a home directory kept in git) must not take its commit.
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?).canonicalize().ok()?;
    if dir.join("../..").canonicalize().ok()? != top {
        return None;
    }
    let out = git(&["log", "-1", "--format=%H %cs"])?;
    let (hash, date) = out.split_once(' ')?;

    // HEAD itself, the branch it names, and packed refs: whatever changes
    // when a commit is made or checked out.
    let mut watch = vec![git(&["rev-parse", "--path-format=absolute", "--git-path", "HEAD"])?];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch.extend(git(&["rev-parse", "--path-format=absolute", "--git-path", &branch]));
    }
    watch.extend(git(&["rev-parse", "--path-format=absolute", "--git-path", "packed-refs"]));
    for path in watch.iter().filter(|p| Path::new(p).exists()) {
        println!("cargo:rerun-if-changed={path}");
    }
    Some((hash.to_string(), date.to_string()))
}

/// A command's trimmed stdout, if it ran and succeeded.
fn run(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

/// `YYYY-MM-DD` (UTC) of a Unix time (days to civil date, proleptic Gregorian).
fn civil_date(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
