//! Fuzz script headers: reading a script's interpreter never panics, and a
//! header written for a parsed interpreter and arguments reads back the same.
#![no_main]
use venvoy_dist::script_header::{self, Interpreter};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = script_header::Shebang::parse(data);
    if let Some(header) = script_header::parse(data)
        && let Interpreter::Path(python) = &header.interpreter
    {
        let script = script_header::assemble(&script_header::render_path(python, header.args), header.body);
        let again = script_header::parse(&script).expect("a written header parses");
        assert_eq!(again.interpreter, header.interpreter);
        assert_eq!(again.body, header.body);
    }
});
