//! Write the activation scripts of an existing env: `render ENV_DIR PROMPT [--relocatable]`.

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cfg = venvoy_shell::ActivationConfig {
        env_dir: Path::new(&args[1]),
        bin_dir_name: "bin",
        prompt: &args[2],
        relocatable: args.get(3).is_some_and(|a| a == "--relocatable"),
    };
    if let Err(e) = venvoy_shell::write_activation_scripts(&cfg) {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}
