//! Everything venvoy takes from its environment, read once at start-up.
//! Nothing below the CLI layer reads environment variables.

use std::env;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use etcetera::BaseStrategy;
use venvoy_python::{QueryCache, SearchEnv};
use venvoy_wheel::index::IndexConfig;

use crate::report::{Context as _, Result, UserError};

/// Settings resolved from the environment and global flags.
#[derive(Debug, Clone)]
pub struct Settings {
    /// What interpreter discovery looks at.
    pub search: SearchEnv,
    /// `$VENVOY_CACHE_DIR`, else `$XDG_CACHE_HOME/venvoy`.
    pub cache_dir: PathBuf,
    /// Whether the query cache is used (`--no-cache` turns it off).
    pub use_cache: bool,
    /// `$VENVOY_HOME`, else `$WORKON_HOME`, else `$XDG_DATA_HOME/venvoy/envs`.
    pub env_home: PathBuf,
    /// How long an interpreter may take to answer its query
    /// (`$VENVOY_QUERY_TIMEOUT` seconds, default 10).
    pub query_timeout: Duration,
    /// The user's shell, from `$SHELL`, for activation hints.
    pub shell: Option<PathBuf>,
    /// `$XDG_DATA_HOME/venvoy`: the registry of project envs lives here.
    pub data_dir: PathBuf,
    /// `$VIRTUAL_ENV`: the active env, if any.
    pub virtual_env: Option<PathBuf>,
    /// `$PYTHONHOME`, which `which` and `doctor` warn about.
    pub python_home: Option<OsString>,
    /// `$PYTHONPATH`: warned about, and passed on by `locate --pythonpath`.
    pub python_path: Option<OsString>,
    /// `$VENVOY_SHELL`: the env of the `venvoy shell` we are inside, if any.
    pub venvoy_shell: Option<PathBuf>,
    /// `$VENVOY_IN_HOME`: `create` keeps a project's env in the env home
    /// (`--in-home`) unless told `--in-project`, a PATH or a NAME.
    pub in_home_default: bool,
    /// `$ZDOTDIR`, where zsh reads its start-up files (default: `$HOME`).
    pub zdotdir: Option<PathBuf>,
    /// `$ENV`, the file an interactive POSIX shell (dash, ksh) reads first.
    pub sh_env: Option<OsString>,
    /// The index pip would use (`PIP_INDEX_URL`, proxies, certificates);
    /// `None` with `PIP_NO_INDEX`.
    pub index: Option<IndexConfig>,
    /// The whole environment as it was at start-up, for the Python that
    /// `locate` runs (which filters out the `PYTHON*` variables itself).
    pub vars: Vec<(OsString, OsString)>,
    /// Where every tool keeps its envs, for `scan`, `gc` and `doctor --all`.
    pub home_vars: venvoy_scan::HomeVars,
    /// `$VENVOY_NO_CREATE`: never create a project's env on first use.
    pub no_create: bool,
    /// Where virtualenvwrapper's global hooks live:
    /// `$VIRTUALENVWRAPPER_HOOK_DIR`, else `$WORKON_HOME` (none when neither is set).
    pub hook_dir: Option<PathBuf>,
}

/// How long an interpreter may take to answer, unless `VENVOY_QUERY_TIMEOUT` says otherwise.
const DEFAULT_QUERY_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest timeout accepted: an hour is already far beyond any real interpreter.
const MAX_QUERY_TIMEOUT: Duration = Duration::from_secs(3600);

/// Parse a timeout in seconds strictly: digits with at most one decimal
/// point, above zero, at most [`MAX_QUERY_TIMEOUT`]. No signs, exponents,
/// `inf` or `nan`.
fn parse_timeout(text: &str) -> Result<Duration, &'static str> {
    let text = text.trim();
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !digits(whole) || !digits(frac) {
        return Err("it is not a number of seconds");
    }
    // At most 10 digits before the point keeps the value far below what f64 holds exactly.
    if whole.trim_start_matches('0').len() > 10 {
        return Err("it is too long");
    }
    let secs: f64 = text.parse().map_err(|_| "it is not a number of seconds")?;
    if secs <= 0.0 {
        return Err("it must be above 0");
    }
    if secs > MAX_QUERY_TIMEOUT.as_secs_f64() {
        return Err("it is too long");
    }
    Ok(Duration::from_secs_f64(secs))
}

fn var_path(name: &str) -> Option<PathBuf> {
    env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}

impl Settings {
    pub fn from_env(no_cache: bool) -> Result<Self> {
        let cwd = env::current_dir().with_context(|| "cannot read the current directory")?;
        let base = etcetera::choose_base_strategy().ok();
        let home = base.as_ref().map(|b| b.home_dir().to_path_buf()).or_else(|| var_path("HOME"));
        let cache_dir = var_path("VENVOY_CACHE_DIR")
            .or_else(|| base.as_ref().map(|b| b.cache_dir().join("venvoy")))
            .ok_or_else(|| {
                UserError::new("cannot tell where the cache lives: no home directory")
                    .hint("set `VENVOY_CACHE_DIR`")
            })?;
        let data_dir =
            var_path("VENVOY_DATA_DIR").or_else(|| base.as_ref().map(|b| b.data_dir().join("venvoy")));
        let env_home = var_path("VENVOY_HOME")
            .or_else(|| var_path("WORKON_HOME"))
            .or_else(|| data_dir.as_ref().map(|d| d.join("envs")))
            .ok_or_else(|| {
                UserError::new("cannot tell where named envs live: no home directory")
                    .hint("set `VENVOY_HOME`")
            })?;
        let xdg_data = base.as_ref().map(|b| b.data_dir());

        let mut conda_roots: Vec<PathBuf> = Vec::new();
        if let Some(prefix) = var_path("CONDA_PREFIX") {
            // Inside an activated conda env the prefix is the env; its base is two up.
            conda_roots.push(prefix);
        }
        if let Some(h) = &home {
            for name in ["miniconda3", "anaconda3", "miniforge3", "mambaforge", ".conda"] {
                conda_roots.push(h.join(name));
            }
        }

        let search = SearchEnv {
            path: env::var_os("PATH"),
            home: home.clone(),
            pyenv_root: var_path("PYENV_ROOT"),
            pyenv_version: env::var("PYENV_VERSION").ok().filter(|v| !v.is_empty()),
            uv_python_dir: var_path("UV_PYTHON_INSTALL_DIR")
                .or_else(|| xdg_data.as_ref().map(|d| d.join("uv/python"))),
            asdf_dir: var_path("ASDF_DATA_DIR"),
            mise_dir: var_path("MISE_DATA_DIR").or_else(|| xdg_data.as_ref().map(|d| d.join("mise"))),
            asdf_python_version: env::var("ASDF_PYTHON_VERSION").ok().filter(|v| !v.trim().is_empty()),
            mise_python_version: env::var("MISE_PYTHON_VERSION").ok().filter(|v| !v.trim().is_empty()),
            conda_roots,
            cwd,
        };
        let query_timeout = match env::var_os("VENVOY_QUERY_TIMEOUT").filter(|v| !v.is_empty()) {
            None => DEFAULT_QUERY_TIMEOUT,
            Some(raw) => parse_timeout(&raw.to_string_lossy()).map_err(|why| {
                UserError::new(format!("`VENVOY_QUERY_TIMEOUT={}` is not a valid timeout: {why}", raw.to_string_lossy()))
                    .hint(format!(
                        "give seconds as a plain number above 0 and at most {}, like `10` or `2.5`, or unset it for the default of {} s",
                        MAX_QUERY_TIMEOUT.as_secs(),
                        DEFAULT_QUERY_TIMEOUT.as_secs()
                    ))
            })?,
        };
        let home_vars = venvoy_scan::HomeVars {
            home: home.clone(),
            data_dir: base.as_ref().map(|b| b.data_dir()),
            cache_dir: base.as_ref().map(|b| b.cache_dir()),
            venvoy_home: Some(env_home.clone()),
            workon_home: var_path("WORKON_HOME"),
            poetry_virtualenvs_path: var_path("POETRY_VIRTUALENVS_PATH"),
            poetry_cache_dir: var_path("POETRY_CACHE_DIR"),
            pipx_home: var_path("PIPX_HOME"),
            uv_tool_dir: var_path("UV_TOOL_DIR"),
            hatch_data_dir: var_path("HATCH_DATA_DIR"),
            pyenv_root: var_path("PYENV_ROOT").or_else(|| home.as_ref().map(|h| h.join(".pyenv"))),
            conda_envs_path: env::var_os("CONDA_ENVS_PATH")
                .map(|v| env::split_paths(&v).filter(|p| !p.as_os_str().is_empty()).collect())
                .unwrap_or_default(),
        };
        Ok(Self {
            search,
            cache_dir,
            use_cache: !no_cache,
            env_home,
            query_timeout,
            shell: env::var_os("SHELL").filter(|s| !s.is_empty()).map(PathBuf::from),
            data_dir: data_dir.ok_or_else(|| {
                UserError::new("cannot tell where venvoy keeps its data: no home directory")
                    .hint("set `VENVOY_DATA_DIR`")
            })?,
            virtual_env: var_path("VIRTUAL_ENV"),
            python_home: env::var_os("PYTHONHOME").filter(|v| !v.is_empty()),
            python_path: env::var_os("PYTHONPATH").filter(|v| !v.is_empty()),
            venvoy_shell: var_path("VENVOY_SHELL"),
            in_home_default: in_home_default()?,
            zdotdir: var_path("ZDOTDIR"),
            sh_env: env::var_os("ENV").filter(|v| !v.is_empty()),
            index: index_config(),
            vars: env::vars_os().collect(),
            home_vars,
            no_create: no_create()?,
            hook_dir: var_path("VIRTUALENVWRAPPER_HOOK_DIR").or_else(|| var_path("WORKON_HOME")),
        })
    }

    pub fn query_cache(&self) -> QueryCache {
        if !self.use_cache {
            return QueryCache::disabled();
        }
        self.own_cache_dir();
        QueryCache::new(&self.cache_dir)
    }

    /// Make the cache directory if it is missing, marked as venvoy's own so
    /// `cache clean` may delete it; one that already existed is left
    /// unmarked. A failure here shows up where the cache is written.
    pub fn own_cache_dir(&self) {
        if let Err(e) = venvoy_fs::gate::create_own(&self.cache_dir, "cache") {
            tracing::debug!("cannot create the cache at `{}`: {e}", self.cache_dir.display());
        }
    }

    pub fn discoverer(&self) -> venvoy_python::Discoverer {
        venvoy_python::Discoverer::new(self.search.clone(), self.query_cache(), self.query_timeout)
    }

    /// The ENV resolver's view of this environment.
    pub fn env_context(&self) -> venvoy_env::EnvContext {
        venvoy_env::EnvContext {
            cwd: self.search.cwd.clone(),
            env_home: self.env_home.clone(),
            virtual_env: self.virtual_env.clone(),
            home: self.search.home.clone(),
        }
    }

    /// Where `.venv` files name envs from: the env home and `~`.
    pub fn places(&self) -> venvoy_env::links::Places<'_> {
        venvoy_env::links::Places { env_home: &self.env_home, home: self.search.home.as_deref() }
    }

    /// The registry of project envs.
    pub fn registry(&self) -> venvoy_env::Registry {
        venvoy_env::Registry::new(&self.data_dir)
    }

    /// Which envs may activate on their own.
    pub fn trust(&self) -> venvoy_env::TrustStore {
        venvoy_env::TrustStore::new(&self.data_dir, &self.env_home)
    }

    /// `PATH` with `bin` put first, as activation does.
    pub fn path_with(&self, bin: &std::path::Path) -> Result<std::ffi::OsString, UserError> {
        let mut paths = vec![bin.to_path_buf()];
        paths.extend(
            self.search.path.as_deref().map(|p| env::split_paths(p).collect::<Vec<_>>()).unwrap_or_default(),
        );
        env::join_paths(paths).map_err(|_| {
            UserError::new(format!("`{}` cannot be put on PATH", bin.display()))
                .hint("its path contains the PATH separator")
        })
    }

    /// The user's shell, from `$SHELL`, else bash: for the activation hints.
    pub fn user_shell(&self) -> venvoy_shell::Shell {
        self.shell.as_deref().and_then(venvoy_shell::Shell::from_path).unwrap_or(venvoy_shell::Shell::Bash)
    }
}

/// `VENVOY_NO_CREATE`: on turns first-use creation off (a typo must not
/// silently create envs in a script that meant to stop it).
fn no_create() -> Result<bool> {
    switch(
        "VENVOY_NO_CREATE",
        "set it to `1` to stop `run`, `shell` and `workon .` from creating a project's env, or unset it",
    )
}

/// `VENVOY_IN_HOME`: on makes `create --in-home` the default.
fn in_home_default() -> Result<bool> {
    switch(
        "VENVOY_IN_HOME",
        "set it to `1` to keep project envs in the env home by default, `0` or nothing for `.venv` in the project",
    )
}

/// An on/off variable, spelled the way pipenv and poetry spell theirs:
/// `1`/`true`/`yes`/`on` (any case) is on; `0`/`false`/`no`/`off`, empty or
/// unset is off; anything else is refused rather than guessed.
fn switch(name: &str, hint: &str) -> Result<bool> {
    let Some(raw) = env::var_os(name) else { return Ok(false) };
    let text = raw.to_string_lossy();
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "" | "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(UserError::new(format!("`{name}={text}` is neither on nor off")).hint(hint).into()),
    }
}

/// The index pip would use: `PIP_INDEX_URL` (a simple API URL), reached
/// through `https_proxy`/`HTTPS_PROXY` (`http_proxy` for a plain-HTTP index,
/// `ALL_PROXY` else) except for hosts in `NO_PROXY`, trusting pip's
/// certificate authorities. `None` with `PIP_NO_INDEX`.
fn index_config() -> Option<IndexConfig> {
    let var =
        |names: &[&str]| names.iter().find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()));
    if var(&["PIP_NO_INDEX"])
        .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"))
    {
        return None;
    }
    let mut config = IndexConfig::pypi(format!("venvoy/{}", env!("CARGO_PKG_VERSION")));
    if let Some(url) = var(&["PIP_INDEX_URL"]) {
        config.url = url.trim().to_string();
    }
    config.proxy = if config.url.to_ascii_lowercase().starts_with("http://") {
        var(&["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"])
    } else {
        var(&["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"])
    };
    config.no_proxy = var(&["no_proxy", "NO_PROXY"])
        .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    // The certificate authorities pip would trust: its `cert` setting, else
    // OpenSSL's variables, else the system bundle (which holds any local CA).
    config.ca_bundle = var(&["PIP_CERT", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"])
        .map(PathBuf::from)
        .or_else(|| SYSTEM_CA_BUNDLES.iter().map(PathBuf::from).find(|p| p.is_file()));
    Some(config)
}

/// Where systems keep their bundle of trusted certificate authorities
/// (Debian/Ubuntu/Arch, Fedora/RHEL, openSUSE, Alpine, macOS/BSD).
const SYSTEM_CA_BUNDLES: [&str; 5] = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
    "/usr/local/etc/openssl/cert.pem",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_parsed_strictly() {
        assert_eq!(parse_timeout("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_timeout(" 2.5 "), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_timeout(".5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_timeout("3600"), Ok(MAX_QUERY_TIMEOUT));
        for bad in ["abc", "inf", "nan", "-1", "+1", "1e3", "1e300", "", ".", "1.2.3", "0x10"] {
            assert_eq!(parse_timeout(bad), Err("it is not a number of seconds"), "{bad:?}");
        }
        for zero in ["0", "0.0", "000"] {
            assert_eq!(parse_timeout(zero), Err("it must be above 0"), "{zero:?}");
        }
        for huge in ["3601", "18446744073709551616", &"9".repeat(400)] {
            assert_eq!(parse_timeout(huge), Err("it is too long"), "{huge:?}");
        }
    }
}
