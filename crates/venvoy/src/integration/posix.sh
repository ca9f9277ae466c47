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
    # Activated by hand: the cd hook never replaces or deactivates it.
    _VENVOY_AUTO_ENV=
    . "$__venvoy_script"
    unset __venvoy_script
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
