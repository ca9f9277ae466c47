

@events.on_chdir
def _venvoy_auto(olddir=None, newdir=None, **kwargs):
    import os

    env = __xonsh__.env
    auto = env.get("_VENVOY_AUTO_ENV", "")
    active = env.get("VIRTUAL_ENV", "")
    if active and active != auto:
        return
    found = ""
    project = ""
    d = os.getcwd()
    while True:
        candidate = os.path.join(d, ".venv")
        if os.path.isdir(candidate) or os.path.isfile(candidate):
            found = candidate
            break
        if not project and any(
            os.path.isfile(os.path.join(d, m)) for m in ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt")
        ):
            project = d
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    if not found:
        if auto and active == auto and "deactivate" in aliases:
            deactivate
        env["_VENVOY_AUTO_ENV"] = ""
        env["_VENVOY_AUTO_FROM"] = ""
        if project and project != env.get("_VENVOY_HINTED", ""):
            import sys

            print(
                "venvoy: `%s` is a Python project without an env: `venvoy create` makes one"
                " (`venvoy run`, `venvoy shell` and `workon .` make it on first use)" % project,
                file=sys.stderr,
            )
        env["_VENVOY_HINTED"] = project
    elif found != env.get("_VENVOY_AUTO_FROM", ""):
        env["_VENVOY_AUTO_FROM"] = found
        if _venvoy_activate_env(["--auto"]) == 0:
            env["_VENVOY_AUTO_ENV"] = env.get("VIRTUAL_ENV", "")
        elif auto and env.get("VIRTUAL_ENV", "") == auto and "deactivate" in aliases:
            # Left the env activated on cd for one that is not trusted.
            deactivate
            env["_VENVOY_AUTO_ENV"] = ""
    if found:
        env["_VENVOY_HINTED"] = ""
