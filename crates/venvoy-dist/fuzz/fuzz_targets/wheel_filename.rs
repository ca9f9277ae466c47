//! Fuzz wheel file name parsing and name normalisation.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = venvoy_dist::WheelFilename::parse(text);
        let _ = venvoy_dist::normalize_name(text);
    }
});
