
# Activation on cd. Before each prompt: if the directory has not changed,
# nothing runs (no process). Otherwise the nearest `.venv` (a directory or a
# regular file; a FIFO, a device or a dangling link counts as absent) is looked
# for in the shell itself; only when it is a new one does venvoy run, once, and
# it prints a script to source only if the env is trusted (`venvoy allow`).
# In a project (`pyproject.toml`, `setup.py`, `setup.cfg` or `requirements.txt`
# here or above) with no `.venv`, one line says how to make one, once per
# entry into the project; nothing is created.
__venvoy_auto() {
    [ "$PWD" = "${_VENVOY_LAST_PWD-}" ] && return 0
    _VENVOY_LAST_PWD=$PWD
    # An env activated by hand is never replaced or deactivated.
    if [ -n "${VIRTUAL_ENV-}" ] && [ "$VIRTUAL_ENV" != "${_VENVOY_AUTO_ENV-}" ]; then
        return 0
    fi
    __venvoy_dir=$PWD
    __venvoy_found=
    __venvoy_project=
    while :; do
        if [ -d "$__venvoy_dir/.venv" ] || [ -f "$__venvoy_dir/.venv" ]; then
            __venvoy_found=$__venvoy_dir/.venv
            break
        fi
        if [ -z "$__venvoy_project" ] && { [ -f "$__venvoy_dir/pyproject.toml" ] || [ -f "$__venvoy_dir/setup.py" ] ||
            [ -f "$__venvoy_dir/setup.cfg" ] || [ -f "$__venvoy_dir/requirements.txt" ]; }; then
            __venvoy_project=$__venvoy_dir
        fi
        [ "$__venvoy_dir" = / ] && break
        __venvoy_dir=${__venvoy_dir%/*}
        [ -n "$__venvoy_dir" ] || __venvoy_dir=/
    done
    if [ -z "$__venvoy_found" ]; then
        if [ -n "${_VENVOY_AUTO_ENV-}" ] && [ "${VIRTUAL_ENV-}" = "$_VENVOY_AUTO_ENV" ] && __venvoy_is_function deactivate; then
            deactivate
        fi
        _VENVOY_AUTO_ENV=
        _VENVOY_AUTO_FROM=
        if [ -n "$__venvoy_project" ] && [ "$__venvoy_project" != "${_VENVOY_HINTED-}" ]; then
            printf '%s\n' "venvoy: \`$__venvoy_project\` is a Python project without an env: \`venvoy create\` makes one (\`venvoy run\`, \`venvoy shell\` and \`workon .\` make it on first use)" >&2
        fi
        _VENVOY_HINTED=$__venvoy_project
    elif [ "$__venvoy_found" != "${_VENVOY_AUTO_FROM-}" ]; then
        _VENVOY_AUTO_FROM=$__venvoy_found
        if __venvoy_activate --auto; then
            _VENVOY_AUTO_ENV=${VIRTUAL_ENV-}
        elif [ -n "${_VENVOY_AUTO_ENV-}" ] && [ "${VIRTUAL_ENV-}" = "$_VENVOY_AUTO_ENV" ] && __venvoy_is_function deactivate; then
            # Left the env activated on cd for one that is not trusted.
            deactivate
            _VENVOY_AUTO_ENV=
        fi
    fi
    [ -z "$__venvoy_found" ] || _VENVOY_HINTED=
    unset __venvoy_dir __venvoy_found __venvoy_project
    return 0
}
