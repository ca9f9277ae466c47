//! SHA-256 helpers: hashing readers and files, hex for cache keys.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::InstallError;

/// Hash everything `reader` yields; returns the digest and the byte count.
pub(crate) fn sha256_reader(mut reader: impl Read) -> std::io::Result<([u8; 32], u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hasher.finalize().into(), total))
}

/// Hash a file on disk.
pub(crate) fn sha256_file(path: &Path) -> Result<([u8; 32], u64), InstallError> {
    let file = std::fs::File::open(path).map_err(InstallError::io("cannot open", path))?;
    sha256_reader(file).map_err(InstallError::io("cannot read", path))
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Digest `data` with the named `RECORD` algorithm; `None` for algorithms
/// PEP 427 does not allow (anything weaker than SHA-256, or unknown).
pub(crate) fn digest_for(algorithm: &str, path: &Path) -> Result<Option<Vec<u8>>, InstallError> {
    fn run<D: Digest>(path: &Path) -> Result<Vec<u8>, InstallError> {
        let mut file = std::fs::File::open(path).map_err(InstallError::io("cannot open", path))?;
        let mut hasher = D::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buf).map_err(InstallError::io("cannot read", path))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(hasher.finalize().to_vec())
    }
    Ok(match algorithm {
        "sha256" => Some(run::<Sha256>(path)?),
        "sha384" => Some(run::<sha2::Sha384>(path)?),
        "sha512" => Some(run::<sha2::Sha512>(path)?),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_digest() {
        let (digest, len) = sha256_reader(&b""[..]).unwrap();
        assert_eq!(len, 0);
        assert_eq!(hex(&digest), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
