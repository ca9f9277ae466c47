
__venvoy_complete_envs() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    COMPREPLY=()
    local name
    while IFS= read -r name; do
        case $name in "$cur"*) COMPREPLY+=("$name") ;; esac
    done < <("$__venvoy_bin" list --names 2>/dev/null)
}
complete -F __venvoy_complete_envs workon
