# Activation script for fish. Written by venvoy.
# Use it with `source path/to/activate.fish`; `deactivate` undoes it.

function deactivate --description 'Leave the active virtual environment'
    # Activated through the shell integration (`venvoy init`), which defines
    # __venvoy_run_hooks: virtualenvwrapper's predeactivate hooks run first
    # and its postdeactivate hooks last.
    # Whatever the mode, the env the hooks were for is being left.
    set -l hooked
    if set -q _VENVOY_HOOK_ENV; and test -n "$_VENVOY_HOOK_ENV"
        if test "$argv[1]" != nondestructive; and test "$VIRTUAL_ENV" = "$_VENVOY_HOOK_ENV"; and functions -q __venvoy_run_hooks
            set hooked $_VENVOY_HOOK_ENV
            __venvoy_run_hooks predeactivate $hooked
        end
        set -eg _VENVOY_HOOK_ENV
    end
    if set -q _VENVOY_OLD_PATH
        set -gx PATH $_VENVOY_OLD_PATH
        set -e _VENVOY_OLD_PATH
    end
    if set -q _VENVOY_OLD_PYTHONHOME
        set -gx PYTHONHOME $_VENVOY_OLD_PYTHONHOME
        set -e _VENVOY_OLD_PYTHONHOME
    end
    # The env's own variables (`venvoy env set`): each gets its old value
    # back, or is erased if it had none.
    for _venvoy_name in $_VENVOY_VAR_NAMES
        set -l _venvoy_old _VENVOY_OLD_VAR_$_venvoy_name
        if set -q $_venvoy_old
            set -gx $_venvoy_name $$_venvoy_old
            set -eg $_venvoy_old
        else
            set -eg $_venvoy_name
        end
    end
    set -eg _VENVOY_VAR_NAMES
    if set -q _VENVOY_PROMPT_SAVED
        set -e _VENVOY_PROMPT_SAVED
        # With an empty function path fish cannot autoload a fresh
        # fish_prompt while ours is being replaced.
        set -l fish_function_path
        functions -e fish_prompt
        if functions -q _venvoy_old_fish_prompt
            functions -c _venvoy_old_fish_prompt fish_prompt
            functions -e _venvoy_old_fish_prompt
        end
    end
    set -e VIRTUAL_ENV
    set -e VIRTUAL_ENV_PROMPT
    if test "$argv[1]" != nondestructive
        functions -e deactivate
    end
    if test -n "$hooked"
        __venvoy_run_hooks postdeactivate $hooked
    end
end

# Undo a previous activation first, so switching envs restores the state
# from before the first one.
deactivate nondestructive

__VENVOY_SET_ENV_DIR__
set -l _venvoy_bin "$VIRTUAL_ENV/"__VENVOY_BIN_NAME__
if string match -q -- '*:*' "$_venvoy_bin"
    echo "venvoy: cannot activate: the environment's path contains ':', which PATH cannot hold" >&2
    set -e VIRTUAL_ENV
    functions -e deactivate
    return 1
end

set -gx VIRTUAL_ENV_PROMPT __VENVOY_PROMPT__

set -g _VENVOY_OLD_PATH $PATH
set -gx PATH $_venvoy_bin $PATH

if set -q PYTHONHOME
    set -g _VENVOY_OLD_PYTHONHOME $PYTHONHOME
    set -e PYTHONHOME
end
__VENVOY_SET_VARS__

if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"
    if functions -q fish_prompt
        functions -c fish_prompt _venvoy_old_fish_prompt
    end
    function fish_prompt --description 'The prompt, with the virtual environment in front'
        # Run the original first: it may show the last command's status.
        set -l old
        if functions -q _venvoy_old_fish_prompt
            set old (_venvoy_old_fish_prompt)
        end
        printf '(%s) ' "$VIRTUAL_ENV_PROMPT"
        string join -- \n $old
    end
    set -g _VENVOY_PROMPT_SAVED 1
end
