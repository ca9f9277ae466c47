//! URL-safe base64 without padding, the digest encoding of `RECORD` (PEP 376, PEP 427).

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encode bytes as URL-safe base64 with the trailing `=` padding removed.
pub fn encode_urlsafe_nopad(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk[0];
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let symbols = chunk.len() + 1;
        for i in 0..symbols {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

fn value_of(symbol: u8) -> Option<u32> {
    let v = match symbol {
        b'A'..=b'Z' => symbol - b'A',
        b'a'..=b'z' => symbol - b'a' + 26,
        b'0'..=b'9' => symbol - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decode URL-safe base64; trailing `=` padding is accepted and ignored.
/// Returns `None` for any symbol outside the alphabet or an impossible length.
pub fn decode_urlsafe(text: &str) -> Option<Vec<u8>> {
    let trimmed = text.trim_end_matches('=').as_bytes();
    if trimmed.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    for chunk in trimmed.chunks(4) {
        let mut n = 0u32;
        for (i, &symbol) in chunk.iter().enumerate() {
            n |= value_of(symbol)? << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        assert_eq!(encode_urlsafe_nopad(b""), "");
        assert_eq!(encode_urlsafe_nopad(b"f"), "Zg");
        assert_eq!(encode_urlsafe_nopad(b"fo"), "Zm8");
        assert_eq!(encode_urlsafe_nopad(b"foo"), "Zm9v");
        assert_eq!(encode_urlsafe_nopad(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode_urlsafe("Zm8").as_deref(), Some(&b"fo"[..]));
        assert_eq!(decode_urlsafe("Zm8=").as_deref(), Some(&b"fo"[..]));
        assert_eq!(decode_urlsafe("Z"), None);
        assert_eq!(decode_urlsafe("Zm+v"), None);
    }

    #[test]
    fn round_trip() {
        for len in 0..70u8 {
            let data: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(decode_urlsafe(&encode_urlsafe_nopad(&data)), Some(data));
        }
    }
}
