//! A wheel installer (PEP 427, PEP 376, PEP 491) with a shared cache of
//! unpacked wheel images.
//!
//! [`install_wheel`] checks the wheel's tags against a [`TargetPython`],
//! unpacks it once into a [`WheelCache`] (checking every member against the
//! wheel's `RECORD` and refusing paths outside the env), then links its files into an
//! [`InstallScheme`] with a [`LinkMode`], generates entry point launchers and
//! writes `INSTALLER`, `REQUESTED` and a fresh `RECORD`.
//!
//! See [`link`] for why hardlinking from a shared cache is safe.
//!
//! [`seed`] chooses the wheels of pip, setuptools and wheel for a new
//! environment from venvoy's download cache ([`store`]), the interpreter's
//! `ensurepip` wheels or a package index ([`index`]), and installs them.

mod archive;
pub mod cache;
mod error;
mod hash;
pub mod image;
pub mod index;
pub mod install;
pub mod link;
pub mod requires_python;
pub mod scheme;
pub mod scripts;
pub mod seed;
mod seed_error;
pub mod store;
pub mod tags;

pub use cache::{UnpackedWheel, WheelCache};
pub use error::InstallError;
pub use install::{INSTALLER, Installation, install_wheel};
pub use link::LinkMode;
pub use requires_python::PythonVersion;
pub use scheme::InstallScheme;
pub use seed::{Origin, SeedWheel, Sources};
pub use seed_error::SeedError;
pub use store::WheelStore;
pub use tags::{Implementation, TargetPython};
