# venvoy shell integration for nushell. Load it with:
#   venvoy init nu | save -f ~/.venvoy.nu   (then `source ~/.venvoy.nu` in config.nu)
# nushell's `overlay use` needs a path known when the file is parsed, so the
# in-shell `venvoy activate` sets the variables itself (`load-env`) instead of
# using the env's activate.nu; `venvoy deactivate` restores them exactly.
const __venvoy_bin = __VENVOY_BIN__

def --env __venvoy_activate [args: list<string>] {
    let out = (do { ^$__venvoy_bin __activate-script nu --json ...$args } | complete)
    if $out.exit_code != 0 {
        print -e ($out.stderr | str trim)
        return
    }
    let info = ($out.stdout | from json)
    if ("_VENVOY_OLD_PATH" in $env) { __venvoy_deactivate }
    $env._VENVOY_OLD_PATH = ($env.PATH | to json)
    if ("PYTHONHOME" in $env) {
        $env._VENVOY_OLD_PYTHONHOME = $env.PYTHONHOME
        hide-env PYTHONHOME
    }
    $env.PATH = ($env.PATH | prepend $info.bin)
    $env.VIRTUAL_ENV = $info.path
    $env.VIRTUAL_ENV_PROMPT = $info.prompt
    $env._VENVOY_AUTO_ENV = ""
}

def --env __venvoy_deactivate [] {
    if not ("_VENVOY_OLD_PATH" in $env) {
        print -e "venvoy: no env is active"
        return
    }
    $env.PATH = ($env._VENVOY_OLD_PATH | from json)
    hide-env _VENVOY_OLD_PATH
    if ("VIRTUAL_ENV" in $env) { hide-env VIRTUAL_ENV }
    if ("VIRTUAL_ENV_PROMPT" in $env) { hide-env VIRTUAL_ENV_PROMPT }
    if ("_VENVOY_OLD_PYTHONHOME" in $env) {
        $env.PYTHONHOME = $env._VENVOY_OLD_PYTHONHOME
        hide-env _VENVOY_OLD_PYTHONHOME
    }
}

def --env "venvoy activate" [env_name?: string] {
    __venvoy_activate (if $env_name == null { [] } else { [$env_name] })
}

def --env "venvoy deactivate" [] {
    __venvoy_deactivate
    $env._VENVOY_AUTO_ENV = ""
}

def --wrapped venvoy [...rest: string] {
    ^$__venvoy_bin ...$rest
}

def __venvoy_env_names [] {
    ^$__venvoy_bin list --names | lines
}

# virtualenvwrapper's `workon`: no argument lists the envs, `workon NAME`
# activates one, `workon .` the current project's.
def --env workon [env_name?: string@__venvoy_env_names] {
    if $env_name == null {
        ^$__venvoy_bin list
    } else if $env_name == "." {
        __venvoy_activate ["--nearest" "--create"]
    } else {
        __venvoy_activate [$env_name]
    }
}
