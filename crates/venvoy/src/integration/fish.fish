# venvoy shell integration for fish. Load it with: venvoy init fish | source
# It defines `venvoy` (so `venvoy activate` and `venvoy deactivate` change this
# shell), `workon`, and completions of env names.
set -g __venvoy_bin __VENVOY_BIN__

function __venvoy_activate
    set -l script ($__venvoy_bin __activate-script fish $argv | string collect --no-trim-newlines)
    if test -z "$script"; or not test -f "$script"
        return 1
    end
    # Activated by hand: the cd hook never replaces or deactivates it.
    set -g _VENVOY_AUTO_ENV ''
    source $script
end

function venvoy --wraps venvoy --description 'venvoy, with in-shell activate and deactivate'
    switch "$argv[1]"
        case activate
            __venvoy_activate $argv[2..-1]
        case deactivate
            if functions -q deactivate
                deactivate
                set -g _VENVOY_AUTO_ENV ''
            else
                echo 'venvoy: no env is active' >&2
                return 1
            end
        case '*'
            $__venvoy_bin $argv
    end
end

function workon --description 'Activate an env by name (virtualenvwrapper style)'
    if test (count $argv) -eq 0
        $__venvoy_bin list
    else if test "$argv[1]" = .
        __venvoy_activate --nearest --create $argv[2..-1]
    else
        __venvoy_activate $argv
    end
end

complete -c workon -f -a "($__venvoy_bin list --names 2>/dev/null)"
complete -c venvoy -n "__fish_seen_subcommand_from activate shell info packages doctor relocatable use remove clone move" -f -a "($__venvoy_bin list --names 2>/dev/null)"
