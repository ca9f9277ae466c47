# Activation script for xonsh. Written by venvoy.
# Use it with `source path/to/activate.xsh`; `deactivate` undoes it.
# The prompt shows the env through xonsh's `{env_name}` field (part of the
# default $PROMPT): while active it reads `(prompt) `, and deactivate puts
# the field back. $PROMPT itself is never changed.


def _venvoy_activate(env_dir, bin_name, prompt, variables):
    import os

    env = __xonsh__.env
    # Activating over an active env starts again from the state saved by the
    # first activation, so `deactivate` still returns to it. The state is
    # kept on the session object, never in the environment.
    saved = getattr(__xonsh__, "_venvoy_saved", None)
    if saved is None:
        saved = {
            "PATH": list(env["PATH"]) if "PATH" in env else None,
            "PYTHONHOME": env["PYTHONHOME"] if "PYTHONHOME" in env else None,
        }

    def deactivate(args=None):
        state = getattr(__xonsh__, "_venvoy_saved", None)
        if state is not None:
            field = state.pop("env_name field", None)
            fields = __xonsh__.env.get("PROMPT_FIELDS")
            if field is not None and fields is not None:
                if field[0]:
                    fields["env_name"] = field[1]
                else:
                    fields.pop("env_name", None)
                if hasattr(fields, "reset_key"):
                    fields.reset_key("env_name")
            for name, value in state.items():
                if value is None:
                    __xonsh__.env.pop(name, None)
                else:
                    __xonsh__.env[name] = value
            del __xonsh__._venvoy_saved
        # The env's own variables (`venvoy env set`): each gets its old
        # value back, or is removed if it had none.
        old_vars = getattr(__xonsh__, "_venvoy_saved_vars", None)
        if old_vars is not None:
            for name, value in old_vars.items():
                if value is None:
                    __xonsh__.env.pop(name, None)
                else:
                    __xonsh__.env[name] = value
            del __xonsh__._venvoy_saved_vars
        __xonsh__.env.pop("VIRTUAL_ENV", None)
        __xonsh__.env.pop("VIRTUAL_ENV_PROMPT", None)
        if not args or args[0] != "nondestructive":
            aliases.pop("deactivate", None)

    import sys

    bin_dir = os.path.join(env_dir, bin_name)
    if os.pathsep in bin_dir:
        print(
            "venvoy: cannot activate: the environment's path contains the PATH separator",
            file=sys.stderr,
        )
        return
    # xonsh expands `$NAME` and `~` after `=` in each $PATH entry as it reads
    # it, and has no escape for them. It first asks the entry whether it
    # holds a `$` and splits it at `=`: a path with either is stored as a
    # str that answers as if it held neither, and so is read as written.
    if "$" in bin_dir or "=" in bin_dir:

        class _VenvoyLiteralPath(str):
            def __contains__(self, item):
                return item != "$" and str.__contains__(self, item)

            def partition(self, sep):
                if sep == "=":
                    return (str(self), "", "")
                return str.partition(self, sep)

        bin_dir = _VenvoyLiteralPath(bin_dir)
    env["VIRTUAL_ENV"] = env_dir
    env["VIRTUAL_ENV_PROMPT"] = prompt
    env["PATH"] = [bin_dir] + (saved["PATH"] or [])
    env.pop("PYTHONHOME", None)

    # The env's own variables. Old values are saved before the first env
    # sets them; switching from another env first restores what it set and
    # this one does not. Values are data: assigned, never evaluated.
    old_vars = getattr(__xonsh__, "_venvoy_saved_vars", None) or {}
    for name in [n for n in old_vars if n not in variables]:
        value = old_vars.pop(name)
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    for name, value in variables.items():
        if name not in old_vars:
            old_vars[name] = env[name] if name in env else None
        env[name] = value
    __xonsh__._venvoy_saved_vars = old_vars

    fields = env.get("PROMPT_FIELDS")
    if fields is not None and not env.get("VIRTUAL_ENV_DISABLE_PROMPT"):
        if "env_name field" not in saved:
            had = "env_name" in fields
            saved["env_name field"] = (had, fields["env_name"] if had else None)

        def env_name():
            # The prompt text is data: returned, never formatted or run.
            if __xonsh__.env.get("VIRTUAL_ENV_DISABLE_PROMPT"):
                return ""
            return "(" + str(__xonsh__.env.get("VIRTUAL_ENV_PROMPT", "")) + ") "

        fields["env_name"] = env_name
        if hasattr(fields, "reset_key"):
            fields.reset_key("env_name")
    __xonsh__._venvoy_saved = saved
    aliases["deactivate"] = deactivate


_venvoy_activate(__VENVOY_ENV_DIR__, __VENVOY_BIN_NAME__, __VENVOY_PROMPT__, __VENVOY_SET_VARS__)
del _venvoy_activate
