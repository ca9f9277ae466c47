//! Fuzz `RECORD` parsing, and check that whatever parses also round-trips.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = venvoy_dist::parse_record(data) {
        let text = venvoy_dist::write_record(&entries);
        assert_eq!(venvoy_dist::parse_record(text.as_bytes()).ok(), Some(entries));
    }
});
