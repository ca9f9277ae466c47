# Activation script for POSIX shells: bash, zsh, dash, ksh93, mksh, busybox sh.
# Written by venvoy. Use it with `. path/to/activate` (or `source`), never
# run it: a child process cannot change the shell you are typing in.
# `deactivate` undoes exactly what this script did.

# Refuse to run as a program. Each shell tells differently whether a file is
# being sourced; the shell-specific tests sit inside `eval` so that other
# shells never have to parse them.
_venvoy_executed=
if [ -n "${ZSH_VERSION-}" ]; then
    case ${ZSH_EVAL_CONTEXT-} in *:file*) ;; *) _venvoy_executed=1 ;; esac
elif [ -n "${BASH_VERSION-}" ]; then
    if eval '[ "${BASH_SOURCE[0]-}" = "$0" ]'; then _venvoy_executed=1; fi
else
    case ${KSH_VERSION-} in
        'Version '*)
            # ksh93 (mksh's KSH_VERSION starts with `@(#)MIRBSD`)
            if eval '[ "${.sh.file-}" = "$0" ]'; then _venvoy_executed=1; fi
            ;;
        *)
            case ${0##*/} in activate) _venvoy_executed=1 ;; esac
            ;;
    esac
fi
if [ -n "$_venvoy_executed" ]; then
    unset _venvoy_executed
    printf 'venvoy: this activation script must be sourced, not run: use `. %s`\n' "$0" >&2
    exit 2
fi
unset _venvoy_executed

deactivate () {
    # Activated through the shell integration (`venvoy init`), which defines
    # __venvoy_run_hooks: virtualenvwrapper's predeactivate hooks run first
    # and its postdeactivate hooks last.
    # Whatever the mode, the env the hooks were for is being left.
    _venvoy_hooked=
    if [ -n "${_VENVOY_HOOK_ENV-}" ]; then
        if [ "${1-}" != nondestructive ] && [ "${VIRTUAL_ENV-}" = "$_VENVOY_HOOK_ENV" ] &&
            command -v __venvoy_run_hooks >/dev/null 2>&1; then
            _venvoy_hooked=$_VENVOY_HOOK_ENV
            __venvoy_run_hooks predeactivate "$_venvoy_hooked"
        fi
        unset _VENVOY_HOOK_ENV
    fi
    if [ -n "${_VENVOY_OLD_PATH+x}" ]; then
        PATH=$_VENVOY_OLD_PATH
        export PATH
        unset _VENVOY_OLD_PATH
    elif [ -n "${_VENVOY_PATH_WAS_UNSET+x}" ]; then
        unset PATH
    fi
    if [ -n "${_VENVOY_OLD_PYTHONHOME+x}" ]; then
        PYTHONHOME=$_VENVOY_OLD_PYTHONHOME
        export PYTHONHOME
        unset _VENVOY_OLD_PYTHONHOME
    fi
    # The env's own variables (`venvoy env set`): each gets its old value
    # back, or is unset if it had none. Names only ever reach `eval`.
    _venvoy_names=${_VENVOY_VAR_NAMES-}
    while [ -n "$_venvoy_names" ]; do
        _venvoy_name=${_venvoy_names%% *}
        _venvoy_names=${_venvoy_names#"$_venvoy_name"}
        _venvoy_names=${_venvoy_names# }
        case $_venvoy_name in
            '' | [0-9]* | *[!A-Za-z0-9_]*) continue ;;
        esac
        if eval "[ -n \"\${_VENVOY_OLD_VAR_$_venvoy_name+x}\" ]"; then
            eval "$_venvoy_name=\$_VENVOY_OLD_VAR_$_venvoy_name; export $_venvoy_name; unset _VENVOY_OLD_VAR_$_venvoy_name"
        else
            unset "$_venvoy_name"
        fi
    done
    unset _venvoy_names _venvoy_name _VENVOY_VAR_NAMES
    if [ -n "${_VENVOY_OLD_PS1+x}" ]; then
        PS1=$_VENVOY_OLD_PS1
        unset _VENVOY_OLD_PS1
    elif [ -n "${_VENVOY_PS1_WAS_UNSET+x}" ]; then
        unset PS1
    fi
    unset _VENVOY_PATH_WAS_UNSET _VENVOY_PS1_WAS_UNSET _VENVOY_PS1_TEXT
    unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
    # Forget remembered command locations, so `python` is looked up again.
    hash -r 2>/dev/null || true
    if [ "${1-}" != nondestructive ]; then
        unset -f deactivate 2>/dev/null || true
    fi
    if [ -n "$_venvoy_hooked" ]; then
        __venvoy_run_hooks postdeactivate "$_venvoy_hooked"
    fi
    unset _venvoy_hooked
}

# Undo a previous activation first, so switching envs restores the state
# from before the first one.
deactivate nondestructive

__VENVOY_SET_ENV_DIR__

_venvoy_bin_dir=$VIRTUAL_ENV/__VENVOY_BIN_NAME__
case $_venvoy_bin_dir in
    *:*)
        echo "venvoy: cannot activate: the environment's path contains \`:\`, which PATH cannot hold" >&2
        unset VIRTUAL_ENV _venvoy_bin_dir
        unset -f deactivate 2>/dev/null || true
        return 1
        ;;
esac
export VIRTUAL_ENV

VIRTUAL_ENV_PROMPT=__VENVOY_PROMPT__
export VIRTUAL_ENV_PROMPT

if [ -n "${PATH+x}" ]; then
    _VENVOY_OLD_PATH=$PATH
else
    _VENVOY_PATH_WAS_UNSET=1
fi
if [ -n "${PATH-}" ]; then
    PATH=$_venvoy_bin_dir:$PATH
else
    PATH=$_venvoy_bin_dir
fi
export PATH
unset _venvoy_bin_dir

if [ -n "${PYTHONHOME+x}" ]; then
    _VENVOY_OLD_PYTHONHOME=$PYTHONHOME
    unset PYTHONHOME
fi
__VENVOY_SET_VARS__

# Put `(prompt) ` in front of PS1 without ever letting the prompt text be
# expanded: the shells that expand PS1 get a reference to a variable
# holding the text, the others the text itself, escaped for that shell's
# prompt codes.
_venvoy_double () {
    # Double every $1 in $2; the result goes to _venvoy_out.
    _venvoy_out=
    _venvoy_rest=$2
    while :; do
        case $_venvoy_rest in
            *"$1"*)
                _venvoy_out=$_venvoy_out${_venvoy_rest%%"$1"*}$1$1
                _venvoy_rest=${_venvoy_rest#*"$1"}
                ;;
            *)
                _venvoy_out=$_venvoy_out$_venvoy_rest
                break
                ;;
        esac
    done
    unset _venvoy_rest
}

if [ -z "${VIRTUAL_ENV_DISABLE_PROMPT-}" ]; then
    if [ -n "${PS1+x}" ]; then
        _VENVOY_OLD_PS1=$PS1
    else
        _VENVOY_PS1_WAS_UNSET=1
    fi
    _venvoy_out=$VIRTUAL_ENV_PROMPT
    _venvoy_by_ref=1
    if [ -n "${ZSH_VERSION-}" ]; then
        if eval '[[ -o promptpercent ]]'; then _venvoy_double % "$_venvoy_out"; fi
        if eval '[[ -o promptbang ]]'; then _venvoy_double ! "$_venvoy_out"; fi
        if eval '[[ ! -o promptsubst ]]'; then _venvoy_by_ref=; fi
    elif [ -n "${BASH_VERSION-}" ]; then
        if ! shopt -q promptvars 2>/dev/null; then
            _venvoy_double '\' "$_venvoy_out"
            _venvoy_by_ref=
        fi
    elif [ -z "${KSH_VERSION-}" ] && (eval '_t=a; [ "${_t//a/b}" = b ]') 2>/dev/null; then
        # busybox ash (dash has no `${x//…}`) decodes backslash codes after
        # expanding PS1.
        _venvoy_double '\' "$_venvoy_out"
    else
        case ${KSH_VERSION-} in
            'Version '*)
                # ksh93 turns `!` into the history number after expanding PS1.
                _venvoy_double ! "$_venvoy_out"
                ;;
        esac
    fi
    if [ -n "$_venvoy_by_ref" ]; then
        _VENVOY_PS1_TEXT=$_venvoy_out
        PS1='(${_VENVOY_PS1_TEXT-}) '${PS1-}
    else
        PS1="($_venvoy_out) ${PS1-}"
    fi
    unset _venvoy_out _venvoy_by_ref
fi
unset -f _venvoy_double 2>/dev/null || true

# Forget remembered command locations, so `python` is looked up again.
hash -r 2>/dev/null || true
