@echo off
rem Deactivation script for cmd.exe. Written by venvoy.
rem Restores what activate.bat changed (the env's own variables too); does nothing when no env is active.
if not defined _VENVOY_ACTIVE goto venvoy_end
if "!!"=="" goto venvoy_delayed
set "PATH=%_VENVOY_OLD_PATH%"
set "PYTHONHOME=%_VENVOY_OLD_PYTHONHOME%"
set "PROMPT=%_VENVOY_OLD_PROMPT%"
for %%n in (%_VENVOY_VAR_NAMES%) do (
    if defined _VENVOY_HAD_VAR_%%n (call set "%%n=%%_VENVOY_OLD_VAR_%%n%%") else (set "%%n=")
    set "_VENVOY_OLD_VAR_%%n="
    set "_VENVOY_HAD_VAR_%%n="
)
goto venvoy_clear
:venvoy_delayed
set "PATH=!_VENVOY_OLD_PATH!"
set "PYTHONHOME=!_VENVOY_OLD_PYTHONHOME!"
set "PROMPT=!_VENVOY_OLD_PROMPT!"
for %%n in (!_VENVOY_VAR_NAMES!) do (
    if defined _VENVOY_HAD_VAR_%%n (set "%%n=!_VENVOY_OLD_VAR_%%n!") else (set "%%n=")
    set "_VENVOY_OLD_VAR_%%n="
    set "_VENVOY_HAD_VAR_%%n="
)
:venvoy_clear
set "_VENVOY_VAR_NAMES="
set "_VENVOY_ACTIVE="
set "_VENVOY_OLD_PATH="
set "_VENVOY_OLD_PYTHONHOME="
set "_VENVOY_OLD_PROMPT="
set "_VENVOY_PROMPT_TEXT="
set "VIRTUAL_ENV="
set "VIRTUAL_ENV_PROMPT="
:venvoy_end
