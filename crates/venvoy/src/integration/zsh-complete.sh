
__venvoy_complete_envs() {
    compadd -- ${(f)"$("$__venvoy_bin" list --names 2>/dev/null)"}
}
if (( $+functions[compdef] )); then
    compdef __venvoy_complete_envs workon
fi
