//! Fuzz `WHEEL` file parsing.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = venvoy_dist::WheelInfo::parse(data);
});
