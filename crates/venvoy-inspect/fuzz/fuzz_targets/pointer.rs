//! Fuzz `.venv` pointer files: never panics, and what venvoy writes for a
//! parsed pointer parses back to the same pointer.
#![no_main]
use std::path::Path;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let dir = Path::new("/project");
    if let Some(pointer) = venvoy_env::pointer::parse(data, dir) {
        let again = venvoy_env::pointer::parse(venvoy_env::pointer::render(&pointer).as_bytes(), dir);
        assert_eq!(again.as_ref(), Some(&pointer), "render/parse round trip");
    }
});
