@echo off
rem Activation script for cmd.exe. Written by venvoy.
rem Run it as `path\to\activate.bat`; `deactivate` undoes it.
rem Each value is written twice: once for a cmd without delayed expansion
rem and once, with `!` and `^` escaped, for one with it (`cmd /V:ON`).
rem The file is UTF-8: read the rest with code page 65001, then restore.
for /f "tokens=2 delims=:." %%a in ('"%SystemRoot%\System32\chcp.com"') do set "_VENVOY_OLD_CODEPAGE=%%a"
"%SystemRoot%\System32\chcp.com" 65001 > nul
if "!!"=="" goto venvoy_delayed

if not defined _VENVOY_ACTIVE goto venvoy_plain_save
rem Switching from another env: go back to the state from before it.
set "PATH=%_VENVOY_OLD_PATH%"
set "PYTHONHOME=%_VENVOY_OLD_PYTHONHOME%"
set "PROMPT=%_VENVOY_OLD_PROMPT%"
call :venvoy_restore_vars
:venvoy_plain_save
set "_VENVOY_ACTIVE=1"
set "_VENVOY_OLD_PATH=%PATH%"
set "_VENVOY_OLD_PYTHONHOME=%PYTHONHOME%"
set "_VENVOY_OLD_PROMPT=%PROMPT%"
__VENVOY_SET_ENV_DIR_PLAIN__
set "VIRTUAL_ENV_PROMPT=__VENVOY_PROMPT_PLAIN__"
set "_VENVOY_PROMPT_TEXT=__VENVOY_PROMPT_TEXT_PLAIN__"
set "PATH=%VIRTUAL_ENV%\__VENVOY_BIN_NAME_PLAIN__;%PATH%"
__VENVOY_SET_VARS_PLAIN__goto venvoy_common

:venvoy_delayed
if not defined _VENVOY_ACTIVE goto venvoy_delayed_save
set "PATH=!_VENVOY_OLD_PATH!"
set "PYTHONHOME=!_VENVOY_OLD_PYTHONHOME!"
set "PROMPT=!_VENVOY_OLD_PROMPT!"
call :venvoy_restore_vars
:venvoy_delayed_save
set "_VENVOY_ACTIVE=1"
set "_VENVOY_OLD_PATH=!PATH!"
set "_VENVOY_OLD_PYTHONHOME=!PYTHONHOME!"
set "_VENVOY_OLD_PROMPT=!PROMPT!"
__VENVOY_SET_ENV_DIR_DELAYED__
set "VIRTUAL_ENV_PROMPT=__VENVOY_PROMPT_DELAYED__"
set "_VENVOY_PROMPT_TEXT=__VENVOY_PROMPT_TEXT_DELAYED__"
set "PATH=!VIRTUAL_ENV!\__VENVOY_BIN_NAME_DELAYED__;!PATH!"
__VENVOY_SET_VARS_DELAYED__
:venvoy_common
set "PYTHONHOME="
if defined VIRTUAL_ENV_DISABLE_PROMPT goto venvoy_end
if not defined PROMPT set "PROMPT=$P$G"
if "!!"=="" goto venvoy_delayed_prompt
set "PROMPT=(%_VENVOY_PROMPT_TEXT%) %PROMPT%"
goto venvoy_end
:venvoy_delayed_prompt
set "PROMPT=(!_VENVOY_PROMPT_TEXT!) !PROMPT!"
:venvoy_end
"%SystemRoot%\System32\chcp.com" %_VENVOY_OLD_CODEPAGE% > nul
set "_VENVOY_OLD_CODEPAGE="
goto :eof

rem Put back the variables an env set (`venvoy env set`): each to its old
rem value, or removed if it had none.
:venvoy_restore_vars
if "!!"=="" goto venvoy_restore_delayed
for %%n in (%_VENVOY_VAR_NAMES%) do (
    if defined _VENVOY_HAD_VAR_%%n (call set "%%n=%%_VENVOY_OLD_VAR_%%n%%") else (set "%%n=")
    set "_VENVOY_OLD_VAR_%%n="
    set "_VENVOY_HAD_VAR_%%n="
)
goto venvoy_restore_done
:venvoy_restore_delayed
for %%n in (!_VENVOY_VAR_NAMES!) do (
    if defined _VENVOY_HAD_VAR_%%n (set "%%n=!_VENVOY_OLD_VAR_%%n!") else (set "%%n=")
    set "_VENVOY_OLD_VAR_%%n="
    set "_VENVOY_HAD_VAR_%%n="
)
:venvoy_restore_done
set "_VENVOY_VAR_NAMES="
goto :eof
