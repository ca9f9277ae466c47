# venvoy locate: where `import NAME` is found in this interpreter, every copy
# further down sys.path that it shadows, and where each sys.path entry comes
# from. Prints one JSON document. Python 3.7+.
import sys, os

_cwd = os.getcwd()
_saved = sys.path[:]
# Our own imports must not pick up files from the current directory.
sys.path[:] = [p for p in sys.path if p not in ("", _cwd)]
import site, sysconfig
import importlib.util
from importlib.machinery import PathFinder
sys.path[:] = _saved


def q(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\\ufffd")
        elif o > 0xFFFF:
            o -= 0x10000
            out.append("\\u%04x\\u%04x" % (0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF)))
        elif o < 0x20 or o > 0x7E:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def dump(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return q(v)
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(dump(x) for x in v) + "]"
    return "{" + ",".join(q(k) + ":" + dump(x) for k, x in v.items()) + "}"


def norm(p):
    return os.path.normcase(os.path.abspath(p)) if p else p


def origins():
    pythonpath = [norm(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    stdlib = set()
    for key in ("stdlib", "platstdlib"):
        try:
            stdlib.add(norm(sysconfig.get_paths()[key]))
        except Exception:
            pass
    try:
        sites = [norm(p) for p in site.getsitepackages()]
    except Exception:
        sites = []
    user = norm(site.getusersitepackages()) if site.ENABLE_USER_SITE else None
    pth = {}
    for d in sites + ([user] if user else []):
        try:
            names = sorted(n for n in os.listdir(d) if n.endswith(".pth") and not n.startswith("."))
        except OSError:
            continue
        for n in names:
            try:
                with open(os.path.join(d, n), encoding="utf-8", errors="replace") as f:
                    for line in f:
                        if line.startswith(("#", "import ", "import\t")) or not line.strip():
                            continue
                        pth.setdefault(norm(os.path.join(d, line.rstrip())), os.path.join(d, n))
            except OSError:
                pass
    prefix = norm(sys.prefix)
    result = []
    for i, entry in enumerate(sys.path):
        n = norm(entry)
        via = None
        if i == 0 and (entry == "" or n == norm(_cwd)):
            kind = "script-dir"
        elif n in pythonpath:
            kind = "pythonpath"
        elif user and n == user:
            kind = "user-site"
        elif n in sites:
            kind = "site-packages" if n.startswith(prefix + os.sep) else "system-site-packages"
        elif any(n == s or n.startswith(s + os.sep) for s in stdlib) or n.endswith(".zip"):
            kind = "stdlib"
        elif n in pth:
            kind = "pth"
            via = pth[n]
        else:
            kind = "other"
        result.append({"path": entry, "kind": kind, "pth": via})
    return result


def spec_location(spec):
    if spec is None:
        return None
    if spec.origin and spec.origin not in ("namespace", None):
        return spec.origin
    locs = list(spec.submodule_search_locations or [])
    return locs[0] if locs else spec.origin


def main():
    name = sys.argv[1]
    top = name.split(".")[0]
    found = None
    error = None
    try:
        spec = importlib.util.find_spec(name)
        if spec is not None:
            found = {
                "origin": spec.origin,
                "location": spec_location(spec),
                "builtin": spec.origin in ("built-in", "frozen"),
                "namespace": spec.origin in (None, "namespace") and spec.submodule_search_locations is not None,
            }
    except Exception as e:
        error = "%s: %s" % (type(e).__name__, e)
    winner_top = None
    try:
        winner_top = spec_location(importlib.util.find_spec(top))
    except Exception:
        pass
    copies = []
    for i, entry in enumerate(sys.path):
        try:
            s = PathFinder.find_spec(top, [entry])
        except Exception:
            s = None
        if s is None:
            continue
        loc = spec_location(s)
        copies.append({"index": i, "location": loc, "wins": loc == winner_top})
    print(dump({
        "module": name,
        "executable": sys.executable,
        "prefix": sys.prefix,
        "version": "%d.%d.%d" % sys.version_info[:3],
        "found": found,
        "error": error,
        "builtin_top": top in sys.builtin_module_names,
        "copies": copies,
        "sys_path": origins(),
    }))


main()
