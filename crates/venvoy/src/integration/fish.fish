# venvoy shell integration for fish. Load it with: venvoy init fish | source
# It defines `venvoy` (so `venvoy activate` and `venvoy deactivate` change this
# shell), `workon`, and completions of env names.
set -g __venvoy_bin __VENVOY_BIN__

function __venvoy_activate
    set -l script ($__venvoy_bin __activate-script fish $argv | string collect --no-trim-newlines)
    if test -z "$script"; or not test -f "$script"
        return 1
    end
    # Leaving an env this integration activated deactivates it first, so its
    # predeactivate and postdeactivate hooks run, as virtualenvwrapper does.
    if set -q _VENVOY_HOOK_ENV; and test -n "$_VENVOY_HOOK_ENV"; and test "$VIRTUAL_ENV" = "$_VENVOY_HOOK_ENV"; and functions -q deactivate
        deactivate
    end
    set -g _VENVOY_HOOK_ENV ''
    # Activated by hand: the cd hook never replaces or deactivates it.
    set -g _VENVOY_AUTO_ENV ''
    source $script
    if set -q VIRTUAL_ENV; and test -n "$VIRTUAL_ENV"
        set -g _VENVOY_HOOK_ENV $VIRTUAL_ENV
        __venvoy_run_hooks postactivate $VIRTUAL_ENV
    end
end

# virtualenvwrapper's hooks, as fish files: `postactivate.fish`,
# `predeactivate.fish`, `postdeactivate.fish` in $VIRTUALENVWRAPPER_HOOK_DIR
# (else $WORKON_HOME) and in the env's bin dir. venvoy runs only when such a
# file exists; it prints what to source, in virtualenvwrapper's order, and
# never an untrusted env's hook (it says so instead: `venvoy allow`).
function __venvoy_run_hooks
    set -l dir $WORKON_HOME
    if set -q VIRTUALENVWRAPPER_HOOK_DIR; and test -n "$VIRTUALENVWRAPPER_HOOK_DIR"
        set dir $VIRTUALENVWRAPPER_HOOK_DIR
    end
    if test -f "$argv[2]/bin/$argv[1].fish"; or begin; test -n "$dir"; and test -f "$dir/$argv[1].fish"; end
        set -l hooks ($__venvoy_bin __hooks fish $argv[1] $argv[2] | string collect)
        and test -n "$hooks"
        and eval $hooks
    end
end

function venvoy --wraps venvoy --description 'venvoy, with in-shell activate and deactivate'
    switch "$argv[1]"
        case activate
            __venvoy_activate $argv[2..-1]
        case deactivate
            if functions -q deactivate
                deactivate
                set -g _VENVOY_AUTO_ENV ''
            else
                echo 'venvoy: no env is active' >&2
                return 1
            end
        case '*'
            $__venvoy_bin $argv
    end
end

function workon --description 'Activate an env by name (virtualenvwrapper style)'
    if test (count $argv) -eq 0
        $__venvoy_bin list
    else if test "$argv[1]" = .
        __venvoy_activate --nearest --create $argv[2..-1]
    else
        __venvoy_activate $argv
    end
end

complete -c workon -f -a "($__venvoy_bin list --names 2>/dev/null)"
# Env names after a command that takes ENV, and after `-e`/`--env`.
complete -c venvoy -n "__fish_seen_subcommand_from activate shell info packages doctor relocatable use remove clone move allow deny" -f -a "($__venvoy_bin list --names 2>/dev/null)"
complete -c venvoy -s e -l env -x -a "($__venvoy_bin list --names 2>/dev/null)"
