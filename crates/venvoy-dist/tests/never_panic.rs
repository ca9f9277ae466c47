//! Property tests: every parser returns `Ok` or `Err` on arbitrary bytes, and
//! `RECORD` survives a write/parse round trip.

use proptest::prelude::*;
use venvoy_dist::{
    EntryPoints, FileHash, Metadata, RecordEntry, ScriptKind, WheelFilename, WheelInfo, normalize_name,
    parse_record, write_record,
};

/// Bytes biased towards the characters the formats care about.
fn format_bytes() -> impl Strategy<Value = Vec<u8>> {
    let interesting = prop::sample::select(b"\n\r\t ,\"=:[]#;.-_/\\aZ09\xff\xc3\xa9".to_vec());
    prop::collection::vec(prop_oneof![any::<u8>(), interesting], 0..400)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn metadata_never_panics(bytes in format_bytes()) {
        let _ = Metadata::parse(&bytes);
    }

    #[test]
    fn record_never_panics(bytes in format_bytes()) {
        let _ = parse_record(&bytes);
    }

    #[test]
    fn entry_points_never_panic(bytes in format_bytes()) {
        if let Ok(eps) = EntryPoints::parse(&bytes) {
            let _ = eps.scripts(ScriptKind::Console);
            let _ = eps.scripts(ScriptKind::Gui);
            for section in eps.sections().map(str::to_owned).collect::<Vec<_>>() {
                let _ = eps.group(&section);
            }
        }
    }

    #[test]
    fn wheel_info_never_panics(bytes in format_bytes()) {
        let _ = WheelInfo::parse(&bytes);
    }

    #[test]
    fn filename_never_panics(text in "\\PC{0,80}") {
        if let Ok(parsed) = WheelFilename::parse(&text) {
            let again = WheelFilename::parse(&parsed.to_string());
            prop_assert_eq!(again, Ok(parsed));
        }
        let _ = normalize_name(&text);
    }

    #[test]
    fn record_round_trip(
        rows in prop::collection::vec(
            (
                "[^\u{0}]{1,40}",
                prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
                prop::option::of(any::<u64>()),
            ),
            0..20,
        )
    ) {
        let entries: Vec<RecordEntry> = rows
            .into_iter()
            .map(|(path, digest, size)| RecordEntry { path, hash: digest.map(FileHash::sha256), size })
            .collect();
        let text = write_record(&entries);
        prop_assert_eq!(parse_record(text.as_bytes()).unwrap(), entries);
    }

    #[test]
    fn normalize_is_idempotent(text in "[A-Za-z0-9._-]{0,30}") {
        let once = normalize_name(&text);
        prop_assert_eq!(normalize_name(&once), once.clone());
    }
}
