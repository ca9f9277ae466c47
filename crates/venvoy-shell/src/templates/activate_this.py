"""Activate a virtual environment inside a running Python. Written by venvoy.

Use it with ``runpy.run_path(path)`` (or ``exec`` with ``__file__`` set).
It puts the env's bin dir first on PATH, sets VIRTUAL_ENV and
VIRTUAL_ENV_PROMPT and the env's own variables (``venvoy env set``), drops
PYTHONHOME for child processes, and puts the
env's site-packages ahead of the interpreter's on ``sys.path``. A running
interpreter cannot be deactivated again.
"""

import os
import site
import sys

__VENVOY_SET_ENV_DIR__
bin_dir = os.path.join(env_dir, __VENVOY_BIN_NAME__)

old_path = os.environ.get("PATH", "")
os.environ["PATH"] = bin_dir + (os.pathsep + old_path if old_path else "")
os.environ["VIRTUAL_ENV"] = env_dir
os.environ["VIRTUAL_ENV_PROMPT"] = __VENVOY_PROMPT__
os.environ.pop("PYTHONHOME", None)
__VENVOY_SET_VARS__

before = list(sys.path)
if sys.platform == "win32":
    site_dirs = [os.path.join(env_dir, "Lib", "site-packages")]
elif hasattr(sys, "pypy_version_info") and sys.version_info[:2] < (3, 8):
    # PyPy before 3.8 kept site-packages at the env's top.
    site_dirs = [os.path.join(env_dir, "site-packages")]
else:
    # PyPy 3.8+ uses lib/pypyX.Y, CPython lib/pythonX.Y plus its ABI flags.
    impl = "pypy" if hasattr(sys, "pypy_version_info") else "python"
    lib = "{}{}.{}{}".format(
        impl, sys.version_info[0], sys.version_info[1], getattr(sys, "abiflags", "")
    )
    site_dirs = [os.path.join(env_dir, "lib", lib, "site-packages")]
for site_dir in site_dirs:
    site.addsitedir(site_dir)
sys.path[:] = [p for p in sys.path if p not in before] + before

sys.real_prefix = sys.prefix
sys.prefix = sys.exec_prefix = env_dir
