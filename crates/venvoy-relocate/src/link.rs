//! How unchanged files get to the new env: [`venvoy_fs::link`], with
//! [`LinkMode::Auto`] (clone, else hardlink, else copy) for `clone` and
//! [`LinkMode::Hardlink`] or [`LinkMode::Copy`] for `move`.

pub use venvoy_fs::link::{LinkMode, Linked, Linker};
