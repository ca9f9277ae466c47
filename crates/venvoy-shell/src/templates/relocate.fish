# Relocatable: find the env from where this script lives.
set -l _venvoy_file (status filename | string collect)
if not string match -q -- '/*' "$_venvoy_file"
    set _venvoy_file "$PWD/$_venvoy_file"
end
set -gx VIRTUAL_ENV (path normalize -- (string replace -r -- '/[^/]*/[^/]*$' '' "$_venvoy_file" | string collect) | string collect)
