
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
            $project = ''
            while ($dir) {
                $candidate = Join-Path $dir '.venv'
                if ((Test-Path -LiteralPath $candidate -PathType Container) -or (Test-Path -LiteralPath $candidate -PathType Leaf)) { $found = $candidate; break }
                if (-not $project) {
                    foreach ($m in @('pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt')) {
                        if (Test-Path -LiteralPath (Join-Path $dir $m) -PathType Leaf) { $project = $dir; break }
                    }
                }
                $parent = Split-Path -Parent $dir
                if ($parent -eq $dir) { break }
                $dir = $parent
            }
            if (-not $found) {
                if ($auto -and $env:VIRTUAL_ENV -eq $auto -and (Get-Command deactivate -ErrorAction SilentlyContinue)) { deactivate }
                $global:_VENVOY_AUTO_ENV = ''
                $global:_VENVOY_AUTO_FROM = ''
                if ($project -and $project -ne "$global:_VENVOY_HINTED") {
                    [Console]::Error.WriteLine("venvoy: ``$project`` is a Python project without an env: ``venvoy create`` makes one (``venvoy run``, ``venvoy shell`` and ``workon .`` make it on first use)")
                }
                $global:_VENVOY_HINTED = $project
            } elseif ($found -ne $global:_VENVOY_AUTO_FROM) {
                $global:_VENVOY_AUTO_FROM = $found
                Invoke-VenvoyActivate -VenvoyArgs @('--auto')
                # A refused activation leaves `_VENVOY_AUTO_ENV` as it was (a
                # successful one empties it).
                if ($auto -and "$global:_VENVOY_AUTO_ENV" -eq $auto -and (Get-Command deactivate -ErrorAction SilentlyContinue)) {
                    # Left the env activated on cd for one that is not trusted.
                    deactivate
                    $global:_VENVOY_AUTO_ENV = ''
                } else {
                    $global:_VENVOY_AUTO_ENV = "$env:VIRTUAL_ENV"
                }
            }
            if ($found) { $global:_VENVOY_HINTED = '' }
        }
    }
    & $script:VenvoyOriginalPrompt
}
