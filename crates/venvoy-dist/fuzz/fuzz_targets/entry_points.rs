//! Fuzz `entry_points.txt` parsing and entry point validation.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(eps) = venvoy_dist::EntryPoints::parse(data) {
        let _ = eps.scripts(venvoy_dist::ScriptKind::Console);
        let _ = eps.scripts(venvoy_dist::ScriptKind::Gui);
    }
});
