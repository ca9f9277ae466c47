//! Python distribution metadata: parsers for the files inside `*.dist-info`
//! and wheel archives that never panic, whatever bytes they are given.
//!
//! Each format lives in its own module: [`metadata`] (`METADATA`/`PKG-INFO`),
//! [`record`] (`RECORD`), [`entry_points`] (`entry_points.txt`),
//! [`wheel_info`] (the `WHEEL` file), [`filename`] (wheel file names) and
//! [`name`] (PEP 503 normalisation), [`script_header`] (script shebangs, read
//! and written), [`direct_url`] (`direct_url.json`, PEP 610, and `file://` URLs). [`installed`] lists the distributions
//! installed in a `site-packages` directory.

pub mod direct_url;
pub mod entry_points;
mod error;
pub mod filename;
mod headers;
pub mod installed;
pub mod metadata;
pub mod name;
pub mod record;
pub mod script_header;
pub mod wheel_info;

pub use direct_url::DirectUrl;
pub use entry_points::{EntryPoint, EntryPoints, ScriptKind};
pub use error::ParseError;
pub use filename::WheelFilename;
pub use installed::{
    DistFormat, InstalledDist, InstalledError, SitePackages, installer_name, list_installed,
};
pub use metadata::{CoreMetadata, Metadata};
pub use name::{is_valid_name, normalize_name};
pub use record::{Completeness, FileHash, RecordEntry, check_complete, parse_record, write_record};
pub use wheel_info::WheelInfo;
