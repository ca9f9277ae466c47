autoload -Uz add-zsh-hook
add-zsh-hook precmd __venvoy_auto
