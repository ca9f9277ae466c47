
# Activation on cd: nushell runs this hook only when PWD changes. The nearest
# `.venv` is looked for in nushell itself; venvoy runs only for a new one.
def --env __venvoy_auto [] {
    let auto = ($env._VENVOY_AUTO_ENV? | default "")
    if ("VIRTUAL_ENV" in $env) and ($env.VIRTUAL_ENV != $auto) { return }
    mut dir = $env.PWD
    mut found = ""
    loop {
        let candidate = ($dir | path join ".venv")
        if ($candidate | path exists) and (($candidate | path expand | path type) in ["dir", "file"]) {
            $found = $candidate
            break
        }
        if $dir == "/" { break }
        $dir = ($dir | path dirname)
    }
    if $found == "" {
        if ($auto != "") and (($env.VIRTUAL_ENV? | default "") == $auto) { __venvoy_deactivate }
        $env._VENVOY_AUTO_ENV = ""
        $env._VENVOY_AUTO_FROM = ""
    } else if $found != ($env._VENVOY_AUTO_FROM? | default "") {
        $env._VENVOY_AUTO_FROM = $found
        __venvoy_activate ["--auto"]
        $env._VENVOY_AUTO_ENV = ($env.VIRTUAL_ENV? | default "")
    }
}

$env.config = ($env.config | upsert hooks.env_change.PWD (
    ($env.config.hooks.env_change.PWD? | default []) | append {|before, after| __venvoy_auto }
))
