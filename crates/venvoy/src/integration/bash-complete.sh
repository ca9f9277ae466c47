
__venvoy_complete_envs() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    COMPREPLY=()
    local name
    while IFS= read -r name; do
        case $name in "$cur"*) COMPREPLY+=("$name") ;; esac
    done < <("$__venvoy_bin" list --names 2>/dev/null)
}
complete -F __venvoy_complete_envs workon

# Env names after a command that takes ENV (any word after `remove`), and
# after `-e`/`--env`; everything else goes to venvoy's clap completion when
# it is loaded.
__venvoy_complete_cmd() {
    local prev=${COMP_WORDS[COMP_CWORD-1]}
    if [ "$COMP_CWORD" -eq 2 ]; then
        case ${COMP_WORDS[1]} in
            activate|shell|info|packages|doctor|relocatable|use|remove|clone|move|allow|deny) __venvoy_complete_envs; return ;;
        esac
    fi
    if [ "$COMP_CWORD" -gt 2 ] && [ "${COMP_WORDS[1]}" = remove ]; then
        case ${COMP_WORDS[COMP_CWORD]} in -*) ;; *) __venvoy_complete_envs; return ;; esac
    fi
    case $prev in -e|--env) __venvoy_complete_envs; return ;; esac
    if declare -F _venvoy >/dev/null; then _venvoy "$@"; else COMPREPLY=(); fi
}
complete -o default -F __venvoy_complete_cmd venvoy
