//! Which wheel tags an interpreter accepts (PEP 425), in order of preference.

use std::fmt;

use venvoy_dist::WheelFilename;

/// The Python implementation of the target interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Implementation {
    /// CPython (`cp` tags, stable ABI `abi3`).
    CPython,
    /// PyPy (`pp` tags).
    PyPy,
}

impl Implementation {
    fn tag_prefix(&self) -> &'static str {
        match self {
            Self::CPython => "cp",
            Self::PyPy => "pp",
        }
    }
}

/// The interpreter a wheel is installed for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetPython {
    /// Major version, e.g. 3.
    pub major: u8,
    /// Minor version, e.g. 11.
    pub minor: u8,
    /// The implementation.
    pub implementation: Implementation,
    /// ABI tags specific to this interpreter, most preferred first (e.g.
    /// `cp311`, or `pypy310_pp73`). `abi3` and `none` are added automatically.
    pub abi_tags: Vec<String>,
    /// Platform tags, most preferred first (e.g. `manylinux_2_17_x86_64`).
    /// `any` is added automatically.
    pub platform_tags: Vec<String>,
}

impl TargetPython {
    /// CPython `major.minor` with its default ABI (`cpXY`) on `platform_tags`.
    pub fn cpython(major: u8, minor: u8, platform_tags: Vec<String>) -> Self {
        Self {
            major,
            minor,
            implementation: Implementation::CPython,
            abi_tags: vec![format!("cp{major}{minor}")],
            platform_tags,
        }
    }

    /// Every supported `(python, abi, platform)` tag, most preferred first,
    /// in the order `packaging.tags.sys_tags()` produces.
    pub fn supported_tags(&self) -> Vec<(String, String, String)> {
        let (major, minor) = (self.major, self.minor);
        let interpreter = format!("{}{major}{minor}", self.implementation.tag_prefix());
        let mut platforms = self.platform_tags.clone();
        if !platforms.iter().any(|p| p == "any") {
            platforms.push("any".to_owned());
        }
        let specific: Vec<&String> = platforms.iter().filter(|p| *p != "any").collect();
        let mut tags = Vec::new();
        let mut push =
            |py: &str, abi: &str, plat: &str| tags.push((py.to_owned(), abi.to_owned(), plat.to_owned()));

        let mut abis: Vec<String> = self.abi_tags.clone();
        if self.implementation == Implementation::CPython {
            abis.push("abi3".to_owned());
        }
        abis.push("none".to_owned());
        for abi in &abis {
            for plat in &platforms {
                push(&interpreter, abi, plat);
            }
        }
        if self.implementation == Implementation::CPython {
            for older in (2..minor).rev() {
                for plat in &platforms {
                    push(&format!("cp{major}{older}"), "abi3", plat);
                }
            }
        }
        let generic: Vec<String> = std::iter::once(format!("py{major}{minor}"))
            .chain(std::iter::once(format!("py{major}")))
            .chain((0..minor).rev().map(|m| format!("py{major}{m}")))
            .collect();
        for py in &generic {
            for plat in &specific {
                push(py, "none", plat);
            }
        }
        push(&interpreter, "none", "any");
        for py in &generic {
            push(py, "none", "any");
        }
        tags
    }

    /// Whether any tag of the wheel is supported.
    pub fn is_compatible(&self, wheel: &WheelFilename) -> bool {
        let supported = self.supported_tags();
        wheel.tags().any(|(py, abi, plat)| supported.iter().any(|(p, a, f)| p == py && a == abi && f == plat))
    }
}

impl fmt::Display for TargetPython {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.implementation {
            Implementation::CPython => "CPython",
            Implementation::PyPy => "PyPy",
        };
        write!(f, "{name} {}.{}", self.major, self.minor)?;
        if let Some(platform) = self.platform_tags.first() {
            write!(f, " on {platform}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wheel(name: &str) -> WheelFilename {
        WheelFilename::parse(name).unwrap()
    }

    #[test]
    fn cpython_311_on_linux() {
        // glibc 2.36's tags, as pip would list them, most preferred first.
        let mut platforms = Vec::new();
        for m in (5..=36).rev() {
            platforms.push(format!("manylinux_2_{m}_x86_64"));
            let legacy = match m {
                17 => "manylinux2014",
                12 => "manylinux2010",
                5 => "manylinux1",
                _ => continue,
            };
            platforms.push(format!("{legacy}_x86_64"));
        }
        platforms.push("linux_x86_64".to_string());
        let t = TargetPython::cpython(3, 11, platforms);
        let tags = t.supported_tags();
        assert_eq!(tags[0], ("cp311".into(), "cp311".into(), "manylinux_2_36_x86_64".into()));
        for ok in [
            "pip-23.2.1-py3-none-any.whl",
            "x-1-py2.py3-none-any.whl",
            "x-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            "x-1-cp38-abi3-manylinux1_x86_64.whl",
            "x-1-cp311-none-any.whl",
            "x-1-py310-none-any.whl",
        ] {
            assert!(t.is_compatible(&wheel(ok)), "{ok}");
        }
        for bad in [
            "x-1-cp312-cp312-manylinux_2_17_x86_64.whl",
            "x-1-py2-none-any.whl",
            "x-1-cp311-cp311-win_amd64.whl",
            "x-1-cp311-cp311-manylinux_2_38_x86_64.whl",
            "x-1-cp311-cp311-manylinux_2_17_aarch64.whl",
            "x-1-pp310-pypy310_pp73-any.whl",
        ] {
            assert!(!t.is_compatible(&wheel(bad)), "{bad}");
        }
    }
}
