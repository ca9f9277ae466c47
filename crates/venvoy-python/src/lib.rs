//! Python interpreter discovery for venvoy: finding every interpreter on the
//! machine, querying each once (cached on disk), and choosing one for a request.
//!
//! - [`source`]: where interpreters live (PATH, pyenv, uv, asdf, mise, conda, …).
//! - [`query`]: running an interpreter with the embedded `query.py`.
//! - [`cache`]: query answers on disk, keyed by path and file identity.
//! - [`discovery`]: the parallel, deduplicated discovery pass.
//! - [`request`]: parsing and matching `3.12`, `cp312`, `>=3.10`, paths, commands.
//! - [`find`]: choosing the interpreter for a request.
//! - [`pyvenv_cfg`], [`version_file`]: the two small file formats involved;
//!   [`project`]: `requires-python` of the nearest `pyproject.toml`.

pub mod cache;
pub mod discovery;
pub mod error;
pub mod find;
pub mod interpreter;
pub mod project;
pub mod pyvenv_cfg;
pub mod query;
pub mod request;
pub mod source;
pub mod version_file;

pub use cache::{FileIdentity, QueryCache};
pub use discovery::{Discovered, Discoverer, Problem};
pub use error::{FindError, QueryError};
pub use find::Selection;
pub use interpreter::{Implementation, Interpreter, MINIMUM_VERSION, QueryDetails, VenvScheme};
pub use pyvenv_cfg::PyvenvCfg;
pub use request::{PythonRequest, VersionRequest};
pub use source::{SearchEnv, Source};
