//! Property tests: `pyvenv.cfg` parsing (venvoy_python::PyvenvCfg), the
//! malformed-file check, shebang reading, `direct_url.json` and prompt
//! unquoting never panic on arbitrary bytes; `pyvenv.cfg` survives a
//! render/parse round trip and reads like CPython's `site.py`.

use proptest::prelude::*;
use venvoy_dist::direct_url::{DirectUrl, file_url_to_path};
use venvoy_dist::script_header::{Shebang, rewrite};
use venvoy_inspect::cfg_check::malformed_reason;
use venvoy_python::PyvenvCfg;
use venvoy_python::pyvenv_cfg::unrepr;

/// Bytes biased towards the characters the formats care about.
fn format_bytes() -> impl Strategy<Value = Vec<u8>> {
    let interesting = prop::sample::select(b"\n\r\t =#!'\"\\/%:{}[]homeversion\xff\xc3\xa9".to_vec());
    prop::collection::vec(prop_oneof![any::<u8>(), interesting], 0..400)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn pyvenv_cfg_never_panics_and_round_trips(bytes in format_bytes()) {
        let cfg = PyvenvCfg::parse(&bytes);
        let _ = cfg.home();
        let _ = cfg.version();
        let _ = cfg.include_system_site_packages();
        let _ = malformed_reason(&bytes, &cfg);
        let again = PyvenvCfg::parse(cfg.render().as_bytes());
        prop_assert_eq!(&again, &cfg);
    }

    #[test]
    fn pyvenv_cfg_reads_key_value_lines_like_site_py(
        key in "[a-zA-Z_-]{1,12}",
        value in "[^\r\n]{0,40}",
        pad in "[ \t]{0,3}",
    ) {
        let text = format!("{pad}{key}{pad}={pad}{value}\n");
        let cfg = PyvenvCfg::parse(text.as_bytes());
        prop_assert_eq!(cfg.get(&key.to_uppercase()), Some(value.trim()));
    }

    #[test]
    fn shebangs_never_panic(bytes in format_bytes()) {
        if let Some(shebang) = Shebang::parse(&bytes) {
            let _ = shebang.env_command;
        }
        let _ = rewrite(&bytes, std::path::Path::new("/new env/bin/python"));
        let _ = rewrite(&bytes, std::path::Path::new("/e/bin/python"));
    }

    #[test]
    fn direct_url_and_quoting_never_panic(bytes in format_bytes()) {
        if let Some(url) = DirectUrl::parse(&bytes) {
            let _ = url.requirement("name");
            let _ = url.editable_location();
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = file_url_to_path(&text);
        let _ = file_url_to_path(&format!("file://{text}"));
        let _ = unrepr(&text);
    }
}
