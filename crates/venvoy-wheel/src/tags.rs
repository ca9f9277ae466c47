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
    /// Platform tags, most preferred first (e.g. from [`linux_platform_tags`]).
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

/// Linux platform tags for `arch` (`x86_64`, `aarch64`, ...), most preferred
/// first: `manylinux_2_N` from the given glibc version down (with the legacy
/// `manylinux2014`/`2010`/`1` aliases), or `musllinux_1_N` for musl, then
/// `linux_<arch>`.
pub fn linux_platform_tags(arch: &str, libc: Option<LinuxLibc>) -> Vec<String> {
    let mut tags = Vec::new();
    match libc {
        Some(LinuxLibc::Glibc { major: 2, minor }) => {
            let oldest = if matches!(arch, "x86_64" | "i686") { 5 } else { 17 };
            for m in (oldest..=minor).rev() {
                tags.push(format!("manylinux_2_{m}_{arch}"));
                let legacy = match (m, arch) {
                    (17, "x86_64" | "i686" | "aarch64" | "armv7l" | "ppc64" | "ppc64le" | "s390x") => {
                        Some("manylinux2014")
                    }
                    (12, "x86_64" | "i686") => Some("manylinux2010"),
                    (5, "x86_64" | "i686") => Some("manylinux1"),
                    _ => None,
                };
                if let Some(legacy) = legacy {
                    tags.push(format!("{legacy}_{arch}"));
                }
            }
        }
        Some(LinuxLibc::Musl { major: 1, minor }) => {
            for m in (0..=minor).rev() {
                tags.push(format!("musllinux_1_{m}_{arch}"));
            }
        }
        _ => {}
    }
    tags.push(format!("linux_{arch}"));
    tags
}

/// The C library of a Linux system, which decides manylinux/musllinux tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinuxLibc {
    /// glibc `major.minor`, e.g. 2.36.
    Glibc {
        /// Major version (2).
        major: u16,
        /// Minor version.
        minor: u16,
    },
    /// musl `major.minor`, e.g. 1.2.
    Musl {
        /// Major version (1).
        major: u16,
        /// Minor version.
        minor: u16,
    },
}

/// macOS platform tags for a system at `major.minor` on `arch` (`x86_64` or
/// `arm64`), most preferred first, including `universal2` builds.
pub fn macos_platform_tags(major: u16, minor: u16, arch: &str) -> Vec<String> {
    let mut versions = Vec::new();
    if major >= 11 {
        versions.extend((11..=major).rev().map(|m| (m, 0)));
        if arch == "x86_64" {
            versions.extend((4..=16).rev().map(|m| (10, m)));
        }
    } else {
        versions.extend((4..=minor).rev().map(|m| (10, m)));
    }
    let mut tags = Vec::new();
    for (ma, mi) in versions {
        tags.push(format!("macosx_{ma}_{mi}_{arch}"));
        tags.push(format!("macosx_{ma}_{mi}_universal2"));
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wheel(name: &str) -> WheelFilename {
        WheelFilename::parse(name).unwrap()
    }

    #[test]
    fn cpython_311_on_linux() {
        let t = TargetPython::cpython(
            3,
            11,
            linux_platform_tags("x86_64", Some(LinuxLibc::Glibc { major: 2, minor: 36 })),
        );
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

    #[test]
    fn macos_tags() {
        let tags = macos_platform_tags(14, 0, "arm64");
        assert_eq!(tags[0], "macosx_14_0_arm64");
        assert!(tags.contains(&"macosx_11_0_universal2".to_owned()));
        assert!(!tags.iter().any(|t| t.starts_with("macosx_10")));
    }
}
