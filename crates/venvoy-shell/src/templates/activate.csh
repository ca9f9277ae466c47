# Activation script for csh and tcsh. Written by venvoy.
# Use it with `source path/to/activate.csh`; `deactivate` undoes it.

# csh substitutes variables in a whole `if (…) command` line before testing,
# so each restore is wrapped in `eval '…'` and only expanded when it runs.
# Values are read as `$name:q`, one word whatever they hold: inside `"…"`
# csh refuses a value with a line break.
# An alias cannot loop: the env's own variables (`venvoy env set`) are put
# back by the commands activation left in _VENVOY_VAR_RESTORE, which name
# variables but never hold a value.
alias deactivate 'if ($?_VENVOY_OLD_PATH) eval '\''setenv PATH $_VENVOY_OLD_PATH:q'\''; unset _VENVOY_OLD_PATH; if ($?_VENVOY_OLD_PYTHONHOME) eval '\''setenv PYTHONHOME $_VENVOY_OLD_PYTHONHOME:q'\''; unset _VENVOY_OLD_PYTHONHOME; if ($?_VENVOY_VAR_RESTORE) eval '\''eval $_VENVOY_VAR_RESTORE:q'\''; unset _VENVOY_VAR_RESTORE; if ($?_VENVOY_OLD_PROMPT) eval '\''set prompt = $_VENVOY_OLD_PROMPT:q'\''; unset _VENVOY_OLD_PROMPT; unsetenv VIRTUAL_ENV; unsetenv VIRTUAL_ENV_PROMPT; rehash; if ("\!*" != "nondestructive") unalias deactivate'

# Undo a previous activation first, so switching envs restores the state
# from before the first one.
deactivate nondestructive

__VENVOY_SET_ENV_DIR__
set _venvoy_bin = $VIRTUAL_ENV:q/__VENVOY_BIN_NAME__
if ($_venvoy_bin:q =~ *:*) then
    echo "venvoy: cannot activate: the environment's path contains ':', which PATH cannot hold" > /dev/stderr
    unset _venvoy_bin
    unsetenv VIRTUAL_ENV
    unalias deactivate
    goto venvoy_done
endif

setenv VIRTUAL_ENV_PROMPT __VENVOY_PROMPT__

set _VENVOY_OLD_PATH = $PATH:q
setenv PATH $_venvoy_bin:q":"$PATH:q
unset _venvoy_bin

if ($?PYTHONHOME) then
    set _VENVOY_OLD_PYTHONHOME = $PYTHONHOME:q
    unsetenv PYTHONHOME
endif
__VENVOY_SET_VARS__

# `$?prompt` is how csh scripts tell an interactive shell: a shell without
# a prompt keeps having none.
set _venvoy_do_prompt = 1
if ($?VIRTUAL_ENV_DISABLE_PROMPT) then
    if ($VIRTUAL_ENV_DISABLE_PROMPT:q != "") set _venvoy_do_prompt = 0
endif
if (! $?prompt) set _venvoy_do_prompt = 0
if ($_venvoy_do_prompt) then
    set _VENVOY_OLD_PROMPT = $prompt:q
    # tcsh reads percent codes in the prompt and both shells replace the
    # history character: the prompt text comes escaped for each.
    if ($?tcsh) then
        set _venvoy_text = __VENVOY_PROMPT_TCSH__
    else
        set _venvoy_text = __VENVOY_PROMPT_CSH__
    endif
    set prompt = "("$_venvoy_text:q") "$prompt:q
    unset _venvoy_text
endif
unset _venvoy_do_prompt

rehash
venvoy_done:
