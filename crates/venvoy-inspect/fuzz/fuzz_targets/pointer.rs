//! Fuzz `.venv` files (PEP 832): reading never panics, and what venvoy
//! writes for a path read from one reads back as the same path.
#![no_main]
use std::path::Path;

use venvoy_env::pointer::{self, Pointer};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let dir = Path::new("/project");
    let home = Some(Path::new("/home/u"));
    if let Some(Pointer::Path(path)) = pointer::parse(data, dir, home)
        && let Some(text) = pointer::render(&path)
    {
        let again = pointer::parse(text.as_bytes(), dir, home);
        assert_eq!(again, Some(Pointer::Path(path)), "write/read round trip");
    }
});
