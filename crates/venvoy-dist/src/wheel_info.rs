//! The `WHEEL` file of a wheel's `.dist-info` directory (PEP 427).

use crate::ParseError;
use crate::headers::parse_headers;

const FILE: &str = "WHEEL";

/// What a `WHEEL` file says about its archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelInfo {
    /// `Wheel-Version` as (major, minor).
    pub wheel_version: (u32, u32),
    /// `Generator`, if present.
    pub generator: Option<String>,
    /// `Root-Is-Purelib`: whether the archive root goes to purelib (else platlib).
    pub root_is_purelib: bool,
    /// Every `Tag` line, e.g. `py3-none-any`.
    pub tags: Vec<String>,
    /// `Build`, if present.
    pub build: Option<String>,
}

impl WheelInfo {
    /// Parse a `WHEEL` file. `Wheel-Version` and `Root-Is-Purelib` are required.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let text = String::from_utf8_lossy(bytes);
        let block = parse_headers(&text, FILE)?;
        let version =
            block.get("Wheel-Version").ok_or_else(|| ParseError::new(FILE, 0, "missing `Wheel-Version`"))?;
        let wheel_version = parse_version(version)
            .ok_or_else(|| ParseError::new(FILE, 0, format!("invalid `Wheel-Version` `{version}`")))?;
        let purelib = block
            .get("Root-Is-Purelib")
            .ok_or_else(|| ParseError::new(FILE, 0, "missing `Root-Is-Purelib`"))?;
        let root_is_purelib = match purelib.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            other => {
                return Err(ParseError::new(
                    FILE,
                    0,
                    format!("`Root-Is-Purelib` must be true or false, not `{other}`"),
                ));
            }
        };
        Ok(Self {
            wheel_version,
            generator: block.get("Generator").map(str::to_owned),
            root_is_purelib,
            tags: block.get_all("Tag").map(str::to_owned).collect(),
            build: block.get("Build").map(str::to_owned),
        })
    }
}

fn parse_version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_wheel_file() {
        let w = WheelInfo::parse(
            b"Wheel-Version: 1.0\nGenerator: bdist_wheel (0.40.0)\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n",
        )
        .unwrap();
        assert_eq!(w.wheel_version, (1, 0));
        assert!(w.root_is_purelib);
        assert_eq!(w.tags, ["py3-none-any"]);
    }

    #[test]
    fn rejects_bad_files() {
        assert!(WheelInfo::parse(b"Root-Is-Purelib: true\n").is_err());
        assert!(WheelInfo::parse(b"Wheel-Version: one\nRoot-Is-Purelib: true\n").is_err());
        assert!(WheelInfo::parse(b"Wheel-Version: 1.0\nRoot-Is-Purelib: maybe\n").is_err());
    }
}
