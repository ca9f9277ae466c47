//! Wheel file names: `name-version(-build)?-pytags-abitags-plattags.whl` (PEP 427, PEP 425).

use std::fmt;

use crate::ParseError;
use crate::name::normalize_name;

const FILE: &str = "wheel file name";

/// The parts of a wheel file name. Each tag field may be a compressed set
/// (`py2.py3`), kept here already split on `.`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WheelFilename {
    /// The distribution name as written (`_` in place of `-`).
    pub name: String,
    /// The version as written.
    pub version: String,
    /// The optional build tag (starts with a digit).
    pub build: Option<String>,
    /// Python tags, e.g. `["py2", "py3"]`.
    pub python_tags: Vec<String>,
    /// ABI tags, e.g. `["none"]`.
    pub abi_tags: Vec<String>,
    /// Platform tags, e.g. `["any"]`.
    pub platform_tags: Vec<String>,
}

impl WheelFilename {
    /// Parse a file name (the last path component only; no directories).
    pub fn parse(filename: &str) -> Result<Self, ParseError> {
        let stem = filename
            .strip_suffix(".whl")
            .ok_or_else(|| ParseError::new(FILE, 0, format!("`{filename}` does not end in `.whl`")))?;
        if stem.contains(['/', '\\']) {
            return Err(ParseError::new(FILE, 0, format!("`{filename}` contains a path separator")));
        }
        let parts: Vec<&str> = stem.split('-').collect();
        let (name, version, build, py, abi, plat) = match parts.as_slice() {
            [name, version, py, abi, plat] => (*name, *version, None, *py, *abi, *plat),
            [name, version, build, py, abi, plat] => (*name, *version, Some(*build), *py, *abi, *plat),
            _ => {
                return Err(ParseError::new(
                    FILE,
                    0,
                    format!("`{filename}` does not have 5 or 6 `-`-separated parts"),
                ));
            }
        };
        if name.is_empty() || version.is_empty() {
            return Err(ParseError::new(FILE, 0, format!("`{filename}` has an empty name or version")));
        }
        if let Some(build) = build
            && !build.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(ParseError::new(
                FILE,
                0,
                format!("build tag `{build}` in `{filename}` must start with a digit"),
            ));
        }
        let tags = |field: &str| -> Result<Vec<String>, ParseError> {
            let tags: Vec<String> = field.split('.').map(str::to_owned).collect();
            if tags.iter().any(String::is_empty) {
                return Err(ParseError::new(FILE, 0, format!("empty tag in `{filename}`")));
            }
            Ok(tags)
        };
        Ok(Self {
            name: name.to_owned(),
            version: version.to_owned(),
            build: build.map(str::to_owned),
            python_tags: tags(py)?,
            abi_tags: tags(abi)?,
            platform_tags: tags(plat)?,
        })
    }

    /// The PEP 503 normalised distribution name.
    pub fn normalized_name(&self) -> String {
        normalize_name(&self.name)
    }

    /// Every `(python, abi, platform)` triple the compressed tag sets expand to.
    pub fn tags(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.python_tags.iter().flat_map(move |py| {
            self.abi_tags.iter().flat_map(move |abi| {
                self.platform_tags.iter().map(move |plat| (py.as_str(), abi.as_str(), plat.as_str()))
            })
        })
    }
}

impl fmt::Display for WheelFilename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.name, self.version)?;
        if let Some(build) = &self.build {
            write!(f, "-{build}")?;
        }
        write!(
            f,
            "-{}-{}-{}.whl",
            self.python_tags.join("."),
            self.abi_tags.join("."),
            self.platform_tags.join(".")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_and_compressed() {
        let w = WheelFilename::parse("pip-23.2.1-py3-none-any.whl").unwrap();
        assert_eq!((w.name.as_str(), w.version.as_str()), ("pip", "23.2.1"));
        assert_eq!(w.tags().collect::<Vec<_>>(), [("py3", "none", "any")]);
        let w = WheelFilename::parse(
            "Foo_Bar-1.0-1b-cp311.cp312-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        )
        .unwrap();
        assert_eq!(w.build.as_deref(), Some("1b"));
        assert_eq!(w.tags().count(), 4);
        assert_eq!(w.normalized_name(), "foo-bar");
        assert_eq!(
            w.to_string(),
            "Foo_Bar-1.0-1b-cp311.cp312-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
        );
    }

    #[test]
    fn rejects() {
        for bad in [
            "pip-23.2.1-py3-none-any.zip",
            "pip-py3-none-any.whl",
            "pip-1-x-py3-none-any.whl",
            "a-1-py3..x-none-any.whl",
            "-1-py3-none-any.whl",
            "a/b-1-py3-none-any.whl",
            "a-1-2-3-py3-none-any.whl",
        ] {
            assert!(WheelFilename::parse(bad).is_err(), "{bad}");
        }
    }
}
