# venvoy shell integration for xonsh. Load it with: execx($(venvoy init xonsh))
# It defines `venvoy` (so `venvoy activate` and `venvoy deactivate` change this
# shell) and `workon`.
import subprocess as _venvoy_subprocess

_venvoy_bin = __VENVOY_BIN__


# Not `_venvoy_activate`: activate.xsh defines that name for itself and
# deletes it when done.
def _venvoy_activate_env(args):
    proc = _venvoy_subprocess.run([_venvoy_bin, "__activate-script", "xonsh", *args], stdout=_venvoy_subprocess.PIPE)
    if proc.returncode != 0:
        return proc.returncode
    script = proc.stdout.decode("utf-8", "surrogateescape")
    __xonsh__.env["_VENVOY_AUTO_ENV"] = ""
    source @(script)
    return 0


def _venvoy(args):
    if args and args[0] == "activate":
        return _venvoy_activate_env(args[1:])
    if args and args[0] == "deactivate":
        if "deactivate" not in aliases:
            print("venvoy: no env is active", file=__import__("sys").stderr)
            return 1
        deactivate
        __xonsh__.env["_VENVOY_AUTO_ENV"] = ""
        return 0
    return _venvoy_subprocess.run([_venvoy_bin, *args]).returncode


def _venvoy_workon(args):
    if not args:
        return _venvoy_subprocess.run([_venvoy_bin, "list"]).returncode
    if args[0] == ".":
        return _venvoy_activate_env(["--nearest", "--create"] + list(args[1:]))
    return _venvoy_activate_env(args)


aliases["venvoy"] = _venvoy
aliases["workon"] = _venvoy_workon
