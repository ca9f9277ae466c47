
# Activation on cd: runs when PWD changes (never on a plain prompt). The
# nearest `.venv` (a directory or a regular file) is looked for in fish itself;
# venvoy runs only for a new one, and activates it only if it is trusted. In a
# project with no `.venv`, one line says how to make one, once per entry.
function __venvoy_auto --on-variable PWD
    if set -q VIRTUAL_ENV; and test "$VIRTUAL_ENV" != "$_VENVOY_AUTO_ENV"
        return 0
    end
    set -l dir $PWD
    set -l found ''
    set -l project ''
    while true
        if test -d "$dir/.venv"; or test -f "$dir/.venv"
            set found "$dir/.venv"
            break
        end
        if test -z "$project"
            and begin
                test -f "$dir/pyproject.toml"; or test -f "$dir/setup.py"
                or test -f "$dir/setup.cfg"; or test -f "$dir/requirements.txt"
            end
            set project $dir
        end
        test "$dir" = /; and break
        set dir (string replace -r '/[^/]*$' '' -- $dir)
        test -n "$dir"; or set dir /
    end
    if test -z "$found"
        if test -n "$_VENVOY_AUTO_ENV"; and test "$VIRTUAL_ENV" = "$_VENVOY_AUTO_ENV"; and functions -q deactivate
            deactivate
        end
        set -g _VENVOY_AUTO_ENV ''
        set -g _VENVOY_AUTO_FROM ''
        if test -n "$project"; and test "$project" != "$_VENVOY_HINTED"
            printf '%s\n' "venvoy: `$project` is a Python project without an env: `venvoy create` makes one (`venvoy run`, `venvoy shell` and `workon .` make it on first use)" >&2
        end
        set -g _VENVOY_HINTED $project
    else if test "$found" != "$_VENVOY_AUTO_FROM"
        set -g _VENVOY_AUTO_FROM $found
        if __venvoy_activate --auto
            set -g _VENVOY_AUTO_ENV $VIRTUAL_ENV
        else if test -n "$_VENVOY_AUTO_ENV"; and test "$VIRTUAL_ENV" = "$_VENVOY_AUTO_ENV"; and functions -q deactivate
            # Left the env activated on cd for one that is not trusted.
            deactivate
            set -g _VENVOY_AUTO_ENV ''
        end
    end
    test -z "$found"; or set -g _VENVOY_HINTED ''
end
set -g _VENVOY_AUTO_ENV ''
set -g _VENVOY_AUTO_FROM ''
set -g _VENVOY_HINTED ''
__venvoy_auto
