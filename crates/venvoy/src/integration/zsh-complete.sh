
__venvoy_complete_envs() {
    compadd -- ${(f)"$("$__venvoy_bin" list --names 2>/dev/null)"}
}

# Env names after a command that takes ENV (any word after `remove`), and
# after `-e`/`--env`; everything else goes to venvoy's clap completion
# (`_venvoy`, from `venvoy completions zsh`) when it is installed.
__venvoy_complete_cmd() {
    case ${words[CURRENT-1]} in
        -e|--env) __venvoy_complete_envs; return ;;
    esac
    if (( CURRENT == 3 )) && [[ ${words[2]} == (activate|shell|info|packages|doctor|relocatable|use|remove|clone|move|allow|deny) ]]; then
        __venvoy_complete_envs
        return
    fi
    if (( CURRENT > 3 )) && [[ ${words[2]} == remove && ${words[CURRENT]} != -* ]]; then
        __venvoy_complete_envs
        return
    fi
    if (( $+functions[_venvoy] )); then
        _venvoy "$@"
    else
        _files
    fi
}
if (( $+functions[compdef] )); then
    compdef __venvoy_complete_envs workon
    compdef __venvoy_complete_cmd venvoy
fi
