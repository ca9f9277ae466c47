# Activation script for nushell. Written by venvoy.
# Use it with `overlay use path/to/activate.nu`; `deactivate` hides the
# overlay again, which restores every variable set here. (Renaming the
# overlay with `as NAME` needs `overlay hide NAME` instead.)

export-env {
    __VENVOY_SET_ENV_DIR__
    let bin_dir = ($venv_dir | path join __VENVOY_BIN_NAME__)
    if ($bin_dir | str contains (char esep)) {
        error make --unspanned { msg: "venvoy: cannot activate: the environment's path contains the PATH separator" }
    }

    # Activating over an active env starts again from the state saved by the
    # first activation, so `deactivate` still returns to it.
    if not ('_VENVOY_OLD_PATH' in $env) {
        $env._VENVOY_OLD_PATH = $env.PATH
        $env._VENVOY_OLD_PROMPT_COMMAND = ($env.PROMPT_COMMAND? | default '')
        $env._VENVOY_HAD_PYTHONHOME = ('PYTHONHOME' in $env)
    }
    let old_path = $env._VENVOY_OLD_PATH
    let old_path = if ($old_path | describe) == 'string' {
        $old_path | split row (char esep)
    } else {
        $old_path
    }

    $env.VIRTUAL_ENV = $venv_dir
    $env.VIRTUAL_ENV_PROMPT = __VENVOY_PROMPT__
    $env.PATH = ($old_path | prepend $bin_dir)
    # A null value inside the overlay hides PYTHONHOME from programs; hiding
    # the overlay brings the old value back.
    if $env._VENVOY_HAD_PYTHONHOME {
        $env.PYTHONHOME = null
    }

    # The env's own variables (`venvoy env set`). Hiding the overlay brings
    # the old values back; switching from another env first restores what
    # it set and this one does not, from the values saved before it.
    let vars = __VENVOY_SET_VARS__
    let saved = ($env._VENVOY_OLD_VARS? | default {})
    let stale = ($saved | columns | where {|n| not ($n in $vars) })
    let restore = ($stale | reduce -f {} {|n, acc|
        let old = ($saved | get $n)
        if $old.had { $acc | insert $n $old.value } else { $acc }
    })
    let gone = ($stale | where {|n| not ($saved | get $n | get had) })
    load-env $restore
    hide-env -i ...$gone
    $env._VENVOY_OLD_VARS = ($vars | columns | reduce -f ($saved | reject ...$stale) {|n, acc|
        if ($n in $acc) {
            $acc
        } else if ($n in $env) {
            $acc | insert $n { had: true, value: ($env | get $n) }
        } else {
            $acc | insert $n { had: false, value: null }
        }
    })
    load-env $vars

    let disabled = ($env.VIRTUAL_ENV_DISABLE_PROMPT? | default '' | into string | is-not-empty)
    if not $disabled {
        let old_prompt = $env._VENVOY_OLD_PROMPT_COMMAND
        $env.PROMPT_COMMAND = {||
            let previous = if ($old_prompt | describe | str starts-with 'closure') {
                do $old_prompt
            } else {
                $old_prompt
            }
            '(' + $env.VIRTUAL_ENV_PROMPT + ') ' + ($previous | into string)
        }
    }
}

export alias deactivate = overlay hide activate
