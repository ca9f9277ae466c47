//! Fuzz `.python-version` files and the requests they hold: never panics.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for name in venvoy_python::version_file::parse(data) {
        let _ = venvoy_python::PythonRequest::parse(&name);
    }
});
