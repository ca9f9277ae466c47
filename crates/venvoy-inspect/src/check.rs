//! The doctor's checks: a stable id for each, and what a failed check says.

/// A check, by its stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckId {
    /// `pyvenv.cfg` is missing.
    CfgMissing,
    /// `pyvenv.cfg` cannot be used (no absolute `home`, stray lines, not UTF-8).
    CfgMalformed,
    /// The base interpreter no longer exists.
    BaseMissing,
    /// The base interpreter's version differs from `pyvenv.cfg`'s.
    BaseVersion,
    /// The base is not an executable Python (`home` a file, the
    /// interpreter not executable, not a program, or not named like one),
    /// told from the file alone, without running it.
    BaseNotPython,
    /// A `bin/python*` link leads nowhere.
    BrokenLink,
    /// Scripts or activation scripts point to another prefix.
    Moved,
    /// A console script's interpreter is missing.
    ScriptInterpreter,
    /// `lib64` is a link that does not lead to `lib`.
    Lib64Link,
    /// The env's `bin` is on PATH more than once.
    PathTwice,
    /// `$VIRTUAL_ENV` is this env but its `bin` is not first on PATH.
    ActiveNotFirst,
    /// The base is EXTERNALLY-MANAGED and the `pip` on PATH is the system one.
    ExternallyManaged,
    /// Temporary files or directories left by an interrupted venvoy run.
    Leftovers,
    /// The project linked to the env by a `.venv` file was moved or renamed:
    /// venvoy's records name its old place (or its relative path broke).
    ProjectMoved,
    /// An installed distribution has no `RECORD`, or files it lists are missing or truncated.
    DistIncomplete,
    /// Packages sit in a site-packages directory the env's interpreter does
    /// not put on `sys.path` (a PyPy env laid out the CPython way).
    SitePackagesOffPath,
}

impl CheckId {
    pub const ALL: [Self; 16] = [
        Self::CfgMissing,
        Self::CfgMalformed,
        Self::BaseMissing,
        Self::BaseVersion,
        Self::BaseNotPython,
        Self::BrokenLink,
        Self::Moved,
        Self::ScriptInterpreter,
        Self::Lib64Link,
        Self::PathTwice,
        Self::ActiveNotFirst,
        Self::ExternallyManaged,
        Self::Leftovers,
        Self::ProjectMoved,
        Self::DistIncomplete,
        Self::SitePackagesOffPath,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::CfgMissing => "cfg-missing",
            Self::CfgMalformed => "cfg-malformed",
            Self::BaseMissing => "base-missing",
            Self::BaseVersion => "base-version",
            Self::BaseNotPython => "base-not-python",
            Self::BrokenLink => "broken-link",
            Self::Moved => "moved",
            Self::ScriptInterpreter => "script-interpreter",
            Self::Lib64Link => "lib64-link",
            Self::PathTwice => "path-twice",
            Self::ActiveNotFirst => "active-not-first",
            Self::ExternallyManaged => "externally-managed",
            Self::Leftovers => "leftovers",
            Self::ProjectMoved => "project-moved",
            Self::DistIncomplete => "dist-incomplete",
            Self::SitePackagesOffPath => "site-packages-off-path",
        }
    }

    /// Whether `--fix` can repair it (shell state such as PATH cannot be).
    pub fn fixable(self) -> bool {
        !matches!(self, Self::PathTwice | Self::ActiveNotFirst | Self::ExternallyManaged)
    }
}

/// A failed check.
#[derive(Debug, Clone)]
pub struct Finding {
    pub id: CheckId,
    pub message: String,
    pub hint: String,
    pub fixable: bool,
}

impl Finding {
    pub fn new(id: CheckId, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self { id, message: message.into(), hint: hint.into(), fixable: id.fixable() }
    }
}
