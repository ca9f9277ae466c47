//! Fuzz reading a script's interpreter from its first bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = venvoy_inspect::shebang::Shebang::parse(data);
});
