# venvoy shell integration for __SHELL__. Load it with: eval "$(venvoy init __SHELL__)"
# It defines `venvoy` (so `venvoy activate` and `venvoy deactivate` change this
# shell), `workon`, and completions of env names.
__venvoy_bin=__VENVOY_BIN__

venvoy() {
    case "${1-}" in
        activate)
            shift
            __venvoy_activate "$@"
            ;;
        deactivate)
            if __venvoy_is_function deactivate; then
                deactivate
                _VENVOY_AUTO_ENV=
            else
                printf '%s\n' 'venvoy: no env is active' >&2
                return 1
            fi
            ;;
        *)
            "$__venvoy_bin" "$@"
            ;;
    esac
}

# Source the activation script of the env venvoy resolves. The path is read
# exactly (a trailing `x` keeps command substitution from eating newlines).
__venvoy_activate() {
    __venvoy_script="$("$__venvoy_bin" __activate-script __SHELL__ "$@" && printf x)" || {
        unset __venvoy_script
        return 1
    }
    __venvoy_script=${__venvoy_script%x}
    # Leaving an env this integration activated deactivates it first, so its
    # predeactivate and postdeactivate hooks run, as virtualenvwrapper does.
    if [ -n "${_VENVOY_HOOK_ENV-}" ] && [ "${VIRTUAL_ENV-}" = "$_VENVOY_HOOK_ENV" ] && __venvoy_is_function deactivate; then
        deactivate
    fi
    _VENVOY_HOOK_ENV=
    # Activated by hand: the cd hook never replaces or deactivates it.
    _VENVOY_AUTO_ENV=
    . "$__venvoy_script"
    unset __venvoy_script
    if [ -n "${VIRTUAL_ENV-}" ]; then
        _VENVOY_HOOK_ENV=$VIRTUAL_ENV
        __venvoy_run_hooks postactivate "$VIRTUAL_ENV"
    fi
}

# virtualenvwrapper's hooks: `postactivate`, `predeactivate` and
# `postdeactivate` in $VIRTUALENVWRAPPER_HOOK_DIR (else $WORKON_HOME) and in
# the env's bin dir. venvoy runs only when such a file exists; it prints
# what to source, in virtualenvwrapper's order, and never an untrusted
# env's hook (it says so instead: `venvoy allow`).
__venvoy_run_hooks() {
    __venvoy_hook_dir=${VIRTUALENVWRAPPER_HOOK_DIR:-${WORKON_HOME-}}
    if [ -f "$2/bin/$1" ] || { [ -n "$__venvoy_hook_dir" ] && [ -f "$__venvoy_hook_dir/$1" ]; }; then
        __venvoy_hooks="$("$__venvoy_bin" __hooks __SHELL__ "$1" "$2")" && eval "$__venvoy_hooks"
    fi
    unset __venvoy_hook_dir __venvoy_hooks
}

__venvoy_is_function() {
    case "$(type "$1" 2>/dev/null)" in
        *function*) return 0 ;;
        *) return 1 ;;
    esac
}

# virtualenvwrapper's `workon`: no argument lists the envs, `workon NAME`
# activates one, `workon .` the current project's (created on first use;
# `workon . --no-create` does not).
workon() {
    if [ $# -eq 0 ]; then
        "$__venvoy_bin" list
    elif [ "$1" = . ]; then
        shift
        __venvoy_activate --nearest --create "$@"
    else
        __venvoy_activate "$@"
    fi
}
