# Relocatable: find the env from where this script lives.
_venvoy_src=
if [ -n "${BASH_VERSION-}" ]; then
    eval '_venvoy_src=${BASH_SOURCE[0]-}'
elif [ -n "${ZSH_VERSION-}" ]; then
    # `file:line` of this sourced file; `%x` would escape a line break.
    eval '_venvoy_src=${funcsourcetrace[1]%:*}'
    if [ -z "$_venvoy_src" ]; then eval '_venvoy_src=${(%):-%x}'; fi
else
    case ${KSH_VERSION-} in
        'Version '*) eval '_venvoy_src=${.sh.file-}' ;;
    esac
fi
if [ -z "$_venvoy_src" ]; then
    echo "venvoy: this shell cannot tell a sourced script where it is, so a relocatable env cannot be activated with it; use bash, zsh or ksh93" >&2
    unset _venvoy_src
    unset -f deactivate 2>/dev/null || true
    return 1
fi
case $_venvoy_src in
    */*) _venvoy_src=${_venvoy_src%/*} ;;
    *) _venvoy_src=. ;;
esac
# `echo .` keeps a trailing newline of the path from being stripped.
if VIRTUAL_ENV=$(CDPATH='' cd -- "$_venvoy_src/.." && pwd && echo .); then
    VIRTUAL_ENV=${VIRTUAL_ENV%?}
    VIRTUAL_ENV=${VIRTUAL_ENV%?}
    unset _venvoy_src
else
    echo "venvoy: cannot enter the environment's directory" >&2
    unset _venvoy_src VIRTUAL_ENV
    unset -f deactivate 2>/dev/null || true
    return 1
fi
