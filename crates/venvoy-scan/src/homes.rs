//! Where each tool keeps its envs, from the tools' documented defaults and
//! environment variables. The CLI reads the variables into [`HomeVars`].

use std::path::{Path, PathBuf};

/// The tool that manages an env (not necessarily the one that wrote its
/// `pyvenv.cfg`: pipenv and poetry create envs with virtualenv).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tool {
    Venvoy,
    Virtualenvwrapper,
    Pipenv,
    Poetry,
    Hatch,
    Pdm,
    Pipx,
    UvTool,
    PyenvVirtualenv,
    Tox,
    Nox,
    Conda,
    /// A project's own env (`.venv` or named by a `.venv` file).
    Project,
    /// Found by the walk, claimed by no tool's home.
    Other,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Self::Venvoy => "venvoy",
            Self::Virtualenvwrapper => "virtualenvwrapper",
            Self::Pipenv => "pipenv",
            Self::Poetry => "poetry",
            Self::Hatch => "hatch",
            Self::Pdm => "pdm",
            Self::Pipx => "pipx",
            Self::UvTool => "uv-tool",
            Self::PyenvVirtualenv => "pyenv-virtualenv",
            Self::Tox => "tox",
            Self::Nox => "nox",
            Self::Conda => "conda",
            Self::Project => "project",
            Self::Other => "other",
        }
    }

    /// Whether the tool recreates its env by itself when next used.
    pub fn recreates_on_use(self) -> bool {
        matches!(self, Self::Pipenv | Self::Poetry | Self::Hatch | Self::Pdm | Self::Tox | Self::Nox)
    }
}

/// The environment variables and base directories the homes depend on.
#[derive(Debug, Clone, Default)]
pub struct HomeVars {
    pub home: Option<PathBuf>,
    /// `$XDG_DATA_HOME`, else `~/.local/share`.
    pub data_dir: Option<PathBuf>,
    /// `$XDG_CACHE_HOME`, else `~/.cache`.
    pub cache_dir: Option<PathBuf>,
    /// venvoy's env home (`$VENVOY_HOME`, `$WORKON_HOME`, or its default).
    pub venvoy_home: Option<PathBuf>,
    pub workon_home: Option<PathBuf>,
    pub poetry_virtualenvs_path: Option<PathBuf>,
    pub poetry_cache_dir: Option<PathBuf>,
    pub pipx_home: Option<PathBuf>,
    pub uv_tool_dir: Option<PathBuf>,
    pub hatch_data_dir: Option<PathBuf>,
    pub pyenv_root: Option<PathBuf>,
    pub conda_envs_path: Vec<PathBuf>,
}

/// A directory where one tool keeps its envs, one per subdirectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownHome {
    pub path: PathBuf,
    pub tool: Tool,
}

/// Every known home, most specific first (a path claimed by two tools, such
/// as `$WORKON_HOME` shared by virtualenvwrapper and pipenv, goes to the first).
pub fn known_homes(vars: &HomeVars) -> Vec<KnownHome> {
    let mut out = Vec::new();
    let mut add = |path: Option<PathBuf>, tool: Tool| {
        if let Some(path) = path
            && !out.iter().any(|h: &KnownHome| h.path == path)
        {
            out.push(KnownHome { path, tool });
        }
    };
    let home = vars.home.as_deref();
    let data = vars.data_dir.clone().or_else(|| home.map(|h| h.join(".local/share")));
    let cache = vars.cache_dir.clone().or_else(|| home.map(|h| h.join(".cache")));
    add(vars.venvoy_home.clone(), Tool::Venvoy);
    // pipenv: `$WORKON_HOME` if set, else `<data>/virtualenvs`.
    add(data.as_ref().map(|d| d.join("virtualenvs")), Tool::Pipenv);
    add(vars.workon_home.clone().or_else(|| home.map(|h| h.join(".virtualenvs"))), Tool::Virtualenvwrapper);
    let poetry_cache = vars.poetry_cache_dir.clone().or_else(|| cache.as_ref().map(|c| c.join("pypoetry")));
    add(
        vars.poetry_virtualenvs_path.clone().or_else(|| poetry_cache.map(|c| c.join("virtualenvs"))),
        Tool::Poetry,
    );
    add(
        vars.hatch_data_dir
            .clone()
            .or_else(|| data.as_ref().map(|d| d.join("hatch")))
            .map(|d| d.join("env/virtual")),
        Tool::Hatch,
    );
    add(data.as_ref().map(|d| d.join("pdm/venvs")), Tool::Pdm);
    add(
        vars.pipx_home.clone().or_else(|| data.as_ref().map(|d| d.join("pipx"))).map(|d| d.join("venvs")),
        Tool::Pipx,
    );
    add(home.map(|h| h.join(".local/pipx/venvs")), Tool::Pipx);
    add(vars.uv_tool_dir.clone().or_else(|| data.as_ref().map(|d| d.join("uv/tools"))), Tool::UvTool);
    for env_dir in &vars.conda_envs_path {
        add(Some(env_dir.clone()), Tool::Conda);
    }
    if let Some(h) = home {
        for dist in ["miniconda3", "anaconda3", "miniforge3", "mambaforge", ".conda"] {
            add(Some(h.join(dist).join("envs")), Tool::Conda);
        }
    }
    out
}

/// `<pyenv root>/versions/*/envs`: pyenv-virtualenv's homes, one per Python.
pub fn pyenv_virtualenv_homes(pyenv_root: &Path) -> Vec<KnownHome> {
    let Ok(entries) = std::fs::read_dir(pyenv_root.join("versions")) else { return Vec::new() };
    let mut out: Vec<KnownHome> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path().join("envs"))
        .filter(|p| p.is_dir())
        .map(|path| KnownHome { path, tool: Tool::PyenvVirtualenv })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The tool that manages the env at `env`, from where it is.
pub fn tool_of(env: &Path, homes: &[KnownHome]) -> Tool {
    if let Some(home) = homes.iter().find(|h| env.parent() == Some(h.path.as_path())) {
        // pipenv shares `$WORKON_HOME` with virtualenvwrapper: its envs have `.project`.
        if home.tool == Tool::Virtualenvwrapper && env.join(".project").is_file() {
            return Tool::Pipenv;
        }
        return home.tool;
    }
    let parent = env.parent().and_then(Path::file_name).and_then(|n| n.to_str());
    match parent {
        Some(".tox") => Tool::Tox,
        Some(".nox") => Tool::Nox,
        Some("envs") if env.ancestors().nth(3).and_then(Path::file_name).is_some_and(|n| n == "versions") => {
            Tool::PyenvVirtualenv
        }
        _ if env.file_name().is_some_and(|n| n == ".venv") => Tool::Project,
        _ => Tool::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_tools_docs() {
        let vars = HomeVars { home: Some("/h".into()), ..Default::default() };
        let homes = known_homes(&vars);
        let find = |tool| homes.iter().find(|h| h.tool == tool).map(|h| h.path.clone());
        assert_eq!(find(Tool::Pipenv), Some("/h/.local/share/virtualenvs".into()));
        assert_eq!(find(Tool::Virtualenvwrapper), Some("/h/.virtualenvs".into()));
        assert_eq!(find(Tool::Poetry), Some("/h/.cache/pypoetry/virtualenvs".into()));
        assert_eq!(find(Tool::Pipx), Some("/h/.local/share/pipx/venvs".into()));
        assert_eq!(find(Tool::UvTool), Some("/h/.local/share/uv/tools".into()));
        assert_eq!(find(Tool::Hatch), Some("/h/.local/share/hatch/env/virtual".into()));
    }

    #[test]
    fn variables_win_over_defaults() {
        let vars = HomeVars {
            home: Some("/h".into()),
            poetry_virtualenvs_path: Some("/p".into()),
            pipx_home: Some("/x".into()),
            ..Default::default()
        };
        let homes = known_homes(&vars);
        assert!(homes.contains(&KnownHome { path: "/p".into(), tool: Tool::Poetry }));
        assert!(homes.contains(&KnownHome { path: "/x/venvs".into(), tool: Tool::Pipx }));
    }

    #[test]
    fn tool_from_location() {
        let homes = vec![KnownHome { path: "/h/.virtualenvs".into(), tool: Tool::Virtualenvwrapper }];
        assert_eq!(tool_of(Path::new("/h/.virtualenvs/web"), &homes), Tool::Virtualenvwrapper);
        assert_eq!(tool_of(Path::new("/src/app/.tox/py312"), &homes), Tool::Tox);
        assert_eq!(tool_of(Path::new("/src/app/.nox/tests"), &homes), Tool::Nox);
        assert_eq!(tool_of(Path::new("/src/app/.venv"), &homes), Tool::Project);
        assert_eq!(tool_of(Path::new("/r/.pyenv/versions/3.12.1/envs/x"), &homes), Tool::PyenvVirtualenv);
        assert_eq!(tool_of(Path::new("/srv/env"), &homes), Tool::Other);
    }
}
