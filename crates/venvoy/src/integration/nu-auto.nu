
# Activation on cd: nushell runs this hook only when PWD changes. The nearest
# `.venv` is looked for in nushell itself; venvoy runs only for a new one.
def --env __venvoy_auto [] {
    let auto = ($env._VENVOY_AUTO_ENV? | default "")
    if ("VIRTUAL_ENV" in $env) and ($env.VIRTUAL_ENV != $auto) { return }
    mut dir = $env.PWD
    mut found = ""
    mut project = ""
    loop {
        let candidate = ($dir | path join ".venv")
        if ($candidate | path exists) and (($candidate | path expand | path type) in ["dir", "file"]) {
            $found = $candidate
            break
        }
        if $project == "" {
            let d = $dir
            let marked = (["pyproject.toml" "setup.py" "setup.cfg" "requirements.txt"] | any {|m|
                let f = ($d | path join $m)
                ($f | path exists) and (($f | path expand | path type) == "file")
            })
            if $marked { $project = $dir }
        }
        if $dir == "/" { break }
        $dir = ($dir | path dirname)
    }
    if $found == "" {
        if ($auto != "") and (($env.VIRTUAL_ENV? | default "") == $auto) { __venvoy_deactivate }
        $env._VENVOY_AUTO_ENV = ""
        $env._VENVOY_AUTO_FROM = ""
        if ($project != "") and ($project != ($env._VENVOY_HINTED? | default "")) {
            print -e $"venvoy: `($project)` is a Python project without an env: `venvoy create` makes one \(`venvoy run`, `venvoy shell` and `workon .` make it on first use\)"
        }
        $env._VENVOY_HINTED = $project
    } else if $found != ($env._VENVOY_AUTO_FROM? | default "") {
        $env._VENVOY_AUTO_FROM = $found
        __venvoy_activate ["--auto"]
        # A refused activation leaves `_VENVOY_AUTO_ENV` as it was (a
        # successful one empties it).
        if ($auto != "") and (($env._VENVOY_AUTO_ENV? | default "") == $auto) {
            # Left the env activated on cd for one that is not trusted.
            __venvoy_deactivate
            $env._VENVOY_AUTO_ENV = ""
        } else {
            $env._VENVOY_AUTO_ENV = ($env.VIRTUAL_ENV? | default "")
        }
    }
    if $found != "" { $env._VENVOY_HINTED = "" }
}

$env.config = ($env.config | upsert hooks.env_change.PWD (
    ($env.config.hooks.env_change.PWD? | default []) | append {|before, after| __venvoy_auto }
))
