# venvoy shell integration for PowerShell. Load it with:
#   Invoke-Expression (& venvoy init pwsh | Out-String)
# It defines `venvoy` (so `venvoy activate` and `venvoy deactivate` change this
# shell), `workon`, and completions of env names.
$script:VenvoyBin = __VENVOY_BIN__

function script:Invoke-VenvoyActivate {
    param([string[]]$VenvoyArgs)
    $script = & $script:VenvoyBin __activate-script powershell @VenvoyArgs
    if ($LASTEXITCODE -ne 0 -or -not $script) { return }
    $global:_VENVOY_AUTO_ENV = ''
    . ($script -join "`n")
}

function global:venvoy {
    if ($args.Count -gt 0 -and $args[0] -eq 'activate') {
        Invoke-VenvoyActivate -VenvoyArgs @($args | Select-Object -Skip 1)
    } elseif ($args.Count -gt 0 -and $args[0] -eq 'deactivate') {
        if (Get-Command deactivate -CommandType Function -ErrorAction SilentlyContinue) {
            deactivate
            $global:_VENVOY_AUTO_ENV = ''
        } else {
            Write-Error 'venvoy: no env is active'
        }
    } else {
        & $script:VenvoyBin @args
    }
}

function global:workon {
    if ($args.Count -eq 0) {
        & $script:VenvoyBin list
    } elseif ($args[0] -eq '.') {
        Invoke-VenvoyActivate -VenvoyArgs (@('--nearest', '--create') + @($args | Select-Object -Skip 1))
    } else {
        Invoke-VenvoyActivate -VenvoyArgs $args
    }
}

Register-ArgumentCompleter -CommandName workon -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete)
    & $script:VenvoyBin list --names | Where-Object { $_ -like "$wordToComplete*" }
}
