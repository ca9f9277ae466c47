//! One word for an env's state (ok, broken, moved, stale) and the reason,
//! from the doctor's findings about the env itself (PATH checks left out).

use crate::check::CheckId;
use crate::doctor::Diagnosis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Ok,
    /// Python cannot run the env as it is.
    Broken,
    /// The env moved; its scripts point to the old place.
    Moved,
    /// The base Python changed version under the env.
    Stale,
}

impl Health {
    pub fn word(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Broken => "broken",
            Self::Moved => "moved",
            Self::Stale => "stale",
        }
    }
}

/// The health and, unless ok, the message of the finding that decided it.
pub fn health_of(diagnosis: &Diagnosis) -> (Health, Option<String>) {
    let rank = |id: CheckId| match id {
        CheckId::CfgMissing
        | CheckId::CfgMalformed
        | CheckId::BaseMissing
        | CheckId::BaseNotPython
        | CheckId::BrokenLink
        | CheckId::ScriptInterpreter
        | CheckId::Lib64Link
        | CheckId::DistIncomplete
        | CheckId::SitePackagesOffPath => Some((0, Health::Broken)),
        CheckId::Moved => Some((1, Health::Moved)),
        CheckId::BaseVersion => Some((2, Health::Stale)),
        CheckId::PathTwice | CheckId::ActiveNotFirst | CheckId::ExternallyManaged | CheckId::Leftovers => {
            None
        }
        // About the project's link, not the env itself.
        CheckId::ProjectMoved => None,
    };
    diagnosis
        .findings
        .iter()
        .filter_map(|f| rank(f.id).map(|(r, h)| (r, h, f.message.clone())))
        .min_by_key(|(r, _, _)| *r)
        .map_or((Health::Ok, None), |(_, h, m)| (h, Some(m)))
}
