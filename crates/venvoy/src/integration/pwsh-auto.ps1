
# Activation on cd: the prompt function checks whether the location changed;
# only then is the nearest `.venv` looked for, and venvoy runs only for a new one.
$script:VenvoyOriginalPrompt = $function:prompt
function global:prompt {
    $here = (Get-Location).Path
    if ($here -ne $global:_VENVOY_LAST_PWD) {
        $global:_VENVOY_LAST_PWD = $here
        $auto = "$global:_VENVOY_AUTO_ENV"
        if (-not $env:VIRTUAL_ENV -or $env:VIRTUAL_ENV -eq $auto) {
            $dir = $here
            $found = ''
            while ($dir) {
                $candidate = Join-Path $dir '.venv'
                if ((Test-Path -LiteralPath $candidate -PathType Container) -or (Test-Path -LiteralPath $candidate -PathType Leaf)) { $found = $candidate; break }
                $parent = Split-Path -Parent $dir
                if ($parent -eq $dir) { break }
                $dir = $parent
            }
            if (-not $found) {
                if ($auto -and $env:VIRTUAL_ENV -eq $auto -and (Get-Command deactivate -ErrorAction SilentlyContinue)) { deactivate }
                $global:_VENVOY_AUTO_ENV = ''
                $global:_VENVOY_AUTO_FROM = ''
            } elseif ($found -ne $global:_VENVOY_AUTO_FROM) {
                $global:_VENVOY_AUTO_FROM = $found
                Invoke-VenvoyActivate -VenvoyArgs @('--auto')
                $global:_VENVOY_AUTO_ENV = "$env:VIRTUAL_ENV"
            }
        }
    }
    & $script:VenvoyOriginalPrompt
}
