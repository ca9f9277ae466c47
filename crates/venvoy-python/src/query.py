# venvoy's interpreter query. Run as `python -I -S -c <this>` (or `-E -s -S`
# where `-I` does not exist). Prints one JSON object on stdout.
#
# It must stay valid Python 2.7 syntax: an old interpreter has to get far
# enough to report its version, so that venvoy can say it is unsupported.
import sys

# With `-c` (and no `-I` on 2.7) the current directory comes first on
# sys.path: drop it before importing anything, so a stray json.py cannot run.
if sys.path and sys.path[0] in ("", "."):
    del sys.path[0]

import json  # noqa: E402
import os  # noqa: E402


def relative(path, base):
    if path is None:
        return None
    if path == base:
        return ""
    if path.startswith(base + "/") or path.startswith(base + "\\"):
        return path[len(base) + 1:]
    return None


def venv_scheme(info):
    """Where a venv made by this interpreter keeps its files, relative to the env root."""
    import sysconfig

    placeholder = "/__venvoy_env__" if os.name != "nt" else "C:\\__venvoy_env__"
    names = sysconfig.get_scheme_names()
    if "venv" in names:
        scheme = "venv"
    elif os.name == "nt":
        scheme = "nt"
    elif info["implementation"] == "pypy" and "pypy" in names:
        scheme = "pypy"
    elif "posix_prefix" in names:
        # Before 3.11 `Lib/venv` lays a venv out as an install prefix: the
        # interpreter's own prefix scheme says where (`lib/python3.10`,
        # `lib/pypy3.9`), which no rule written for CPython can guess.
        scheme = "posix_prefix"
    else:
        scheme = None
    out = {"scheme": scheme or "stdlib-venv"}
    if scheme is not None:
        env_vars = {
            "base": placeholder,
            "platbase": placeholder,
            "installed_base": placeholder,
            "installed_platbase": placeholder,
        }
        paths = sysconfig.get_paths(scheme=scheme, vars=env_vars, expand=True)
        for key in ("purelib", "platlib", "scripts", "include", "data"):
            out[key] = relative(paths.get(key), placeholder)
        if scheme == "posix_prefix":
            # Lib/venv before 3.11 makes a bare `include` directory.
            out["include"] = "include"
    else:
        # What Lib/venv/__init__.py does before the `venv` scheme existed (3.7-3.10).
        site = "lib/python%d.%d/site-packages" % sys.version_info[:2]
        out.update(purelib=site, platlib=site, scripts="bin", include="include", data="")
    return out


def ensurepip_wheels(stdlib):
    found = []
    dirs = [os.path.join(stdlib, "ensurepip", "_bundled")]
    try:
        import sysconfig

        pkg_dir = sysconfig.get_config_var("WHEEL_PKG_DIR")
        if pkg_dir:
            dirs.append(pkg_dir)
    except Exception:
        pass
    # Debian's PyPy (and older Debian CPythons) patch ensurepip to install
    # from the system's wheel directory without setting WHEEL_PKG_DIR: read
    # the module's source (never import it) for that directory.
    debian = "/usr/share/python-wheels"
    try:
        with open(os.path.join(stdlib, "ensurepip", "__init__.py"), "rb") as f:
            source = f.read()
        # As a string literal in code: upstream's comments name it too.
        quoted = ("'" + debian).encode(), ('"' + debian).encode()
        if any(q in source for q in quoted) and debian not in dirs:
            dirs.append(debian)
    except (IOError, OSError):
        pass
    for d in dirs:
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        for name in names:
            path = os.path.join(d, name)
            if name.endswith(".whl") and path not in found:
                found.append(path)
    return found


def main():
    info = {"query_version": 1}
    vi = sys.version_info
    info["version_info"] = [vi[0], vi[1], vi[2], str(vi[3]), vi[4]]
    impl = getattr(sys, "implementation", None)
    if impl is not None:
        info["implementation"] = impl.name
    else:
        import platform

        info["implementation"] = platform.python_implementation().lower()
    info["executable"] = sys.executable
    try:
        import platform

        info["machine"] = platform.machine()
    except Exception:
        info["machine"] = ""
    if vi < (3, 7):
        info["supported"] = False
        sys.stdout.write(json.dumps(info))
        return

    import platform
    import struct
    import sysconfig

    info["supported"] = True
    if impl.name == "pypy":
        pv = sys.pypy_version_info
        info["implementation_version"] = "%d.%d.%d" % (pv[0], pv[1], pv[2])
    else:
        info["implementation_version"] = None
    info["base_executable"] = getattr(sys, "_base_executable", None)
    info["prefix"] = sys.prefix
    info["base_prefix"] = getattr(sys, "base_prefix", sys.prefix)
    info["exec_prefix"] = sys.exec_prefix
    info["base_exec_prefix"] = getattr(sys, "base_exec_prefix", sys.exec_prefix)
    # `-S` keeps site.py from moving sys.prefix into a venv, so look for the
    # marker file itself, where PEP 405 puts it.
    exe_dir = os.path.dirname(sys.executable)
    info["is_venv"] = any(
        os.path.isfile(os.path.join(d, "pyvenv.cfg")) for d in (exe_dir, os.path.dirname(exe_dir))
    )
    info["pointer_size"] = struct.calcsize("P") * 8
    info["sys_platform"] = sys.platform
    info["os_name"] = os.name
    info["platform_tag"] = sysconfig.get_platform()
    info["abiflags"] = getattr(sys, "abiflags", "")
    info["gil_disabled"] = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    info["shared_libpython"] = bool(sysconfig.get_config_var("Py_ENABLE_SHARED"))
    info["libdir"] = sysconfig.get_config_var("LIBDIR")
    info["ldlibrary"] = sysconfig.get_config_var("LDLIBRARY")
    info["instsoname"] = sysconfig.get_config_var("INSTSONAME")
    info["soabi"] = sysconfig.get_config_var("SOABI")
    stdlib = sysconfig.get_path("stdlib")
    info["stdlib"] = stdlib
    info["venv_scheme"] = venv_scheme(info)
    info["ensurepip_wheels"] = ensurepip_wheels(stdlib)
    info["externally_managed"] = os.path.isfile(os.path.join(stdlib, "EXTERNALLY-MANAGED"))
    sys.stdout.write(json.dumps(info))


main()
