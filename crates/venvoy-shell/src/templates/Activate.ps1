# Activation script for PowerShell. Written by venvoy.
# Use it with `. path/to/Activate.ps1` or `& path/to/Activate.ps1`;
# `deactivate` undoes it.

function global:deactivate([switch] $NonDestructive) {
    if (Test-Path variable:global:_VENVOY_OLD_PATH) {
        $env:PATH = $global:_VENVOY_OLD_PATH
        Remove-Variable -Name _VENVOY_OLD_PATH -Scope global
    }
    if (Test-Path variable:global:_VENVOY_OLD_PYTHONHOME) {
        $env:PYTHONHOME = $global:_VENVOY_OLD_PYTHONHOME
        Remove-Variable -Name _VENVOY_OLD_PYTHONHOME -Scope global
    }
    # The env's own variables (`venvoy env set`): each gets its old value
    # back, or is removed if it had none.
    if (Test-Path variable:global:_VENVOY_OLD_VARS) {
        foreach ($entry in $global:_VENVOY_OLD_VARS.GetEnumerator()) {
            if ($null -eq $entry.Value) {
                Remove-Item -LiteralPath ('env:' + $entry.Key) -ErrorAction SilentlyContinue
            } else {
                Set-Item -LiteralPath ('env:' + $entry.Key) -Value $entry.Value
            }
        }
        Remove-Variable -Name _VENVOY_OLD_VARS -Scope global
    }
    if (Test-Path function:global:_venvoy_old_prompt) {
        $function:global:prompt = $function:global:_venvoy_old_prompt
        Remove-Item function:global:_venvoy_old_prompt
    }
    Remove-Item env:VIRTUAL_ENV -ErrorAction SilentlyContinue
    Remove-Item env:VIRTUAL_ENV_PROMPT -ErrorAction SilentlyContinue
    if (-not $NonDestructive) {
        Remove-Item function:global:deactivate
    }
}

# Undo a previous activation first, so switching envs restores the state
# from before the first one.
deactivate -NonDestructive

__VENVOY_SET_ENV_DIR__
# .NET path functions: plain strings, no wildcard or provider lookups.
$VenvoyBinDir = [IO.Path]::Combine($VenvoyEnvDir, __VENVOY_BIN_NAME__)
if ($VenvoyBinDir.Contains([string][IO.Path]::PathSeparator)) {
    Remove-Item function:global:deactivate
    throw "venvoy: cannot activate: the environment's path contains the PATH separator"
}

$env:VIRTUAL_ENV = $VenvoyEnvDir
$env:VIRTUAL_ENV_PROMPT = __VENVOY_PROMPT__

$global:_VENVOY_OLD_PATH = $env:PATH
$env:PATH = $VenvoyBinDir + [IO.Path]::PathSeparator + $env:PATH

if (Test-Path env:PYTHONHOME) {
    $global:_VENVOY_OLD_PYTHONHOME = $env:PYTHONHOME
    Remove-Item env:PYTHONHOME
}
__VENVOY_SET_VARS__

if (-not $env:VIRTUAL_ENV_DISABLE_PROMPT) {
    $function:global:_venvoy_old_prompt = $function:prompt
    function global:prompt {
        # The env's name is data, joined as a string: never evaluated.
        '(' + $env:VIRTUAL_ENV_PROMPT + ') ' + (& $function:_venvoy_old_prompt)
    }
}

Remove-Variable -Name VenvoyEnvDir, VenvoyBinDir -ErrorAction SilentlyContinue
