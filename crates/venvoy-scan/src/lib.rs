//! Every venv on the machine, whichever tool made it.
//!
//! - [`homes`]: where each tool keeps its envs ([`Tool`], [`HomeVars`]).
//! - [`walk`]: the parallel walk that finds venvs (and conda envs) under
//!   some roots without descending into them, and the `.venv` files and
//!   projects it passes on the way.
//! - [`facts`]: what each env is, read from disk without running anything:
//!   creator, Python version, project, health, last use.
//! - [`size`]: apparent and unique disk use; files hardlinked between envs
//!   count once.
//! - [`gc`]: which envs are orphans, and removing them through the one
//!   deletion gate.
//! - [`procs`]: envs that running processes use.
//!
//! Nothing here runs a Python: a scan reads only the file system.

pub mod facts;
pub mod gc;
pub mod homes;
pub mod procs;
pub mod size;
pub mod walk;

pub use facts::{EnvFacts, Health, ProjectSource};
pub use gc::{Orphan, OrphanReason};
pub use homes::{HomeVars, KnownHome, Tool};
pub use walk::{Scan, ScanOptions, Skipped, scan, venv_paths};
